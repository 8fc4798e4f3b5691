import { parentPort, workerData } from 'node:worker_threads';
import { readSync, closeSync, statSync, openSync, constants, fstatSync, createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { open } from 'node:fs/promises';

class NameNumbers {
    ids = new Map();
    fresh = [];
    first = 0;
    reset = false;
    get size() {
        return this.ids.size;
    }
    get(name) {
        return this.ids.get(name);
    }
    number(name) {
        let id = this.ids.get(name);
        if (id === undefined) {
            id = this.ids.size;
            this.ids.set(name, id);
            this.fresh.push(name);
        }
        return id;
    }
    startOver() {
        this.ids.clear();
        this.first = 0;
        this.reset = true;
    }
    get pending() {
        return this.fresh.length > 0 || this.reset;
    }
    take() {
        const out = { names: this.fresh, firstName: this.first, namesReset: this.reset };
        this.first += this.fresh.length;
        this.fresh = [];
        this.reset = false;
        return out;
    }
}

const EVENT_KINDS = [
    'kernel',
    'memcpy',
    'memset',
    'api',
    'annotation',
    'gpuAnnotation'
];

const FIELDS = 17;
const BATCH_EVENTS = 4096;
const RING_SLOTS = 4;
const MAX_NAMES$1 = 1 << 20;
function slots(ring) {
    const size = BATCH_EVENTS * FIELDS;
    if (ring.length !== RING_SLOTS * size)
        throw new Error('event batch: a ring of the wrong size');
    return Array.from({ length: RING_SLOTS }, (_, i) => ring.subarray(i * size, (i + 1) * size));
}
const KIND_INDEX = new Map(EVENT_KINDS.map((kind, i) => [kind, i]));
class BatchWriter {
    send;
    maxNames;
    slots;
    slot = 0;
    values;
    count = 0;
    names = new NameNumbers();
    constructor(ring, send, maxNames = MAX_NAMES$1) {
        this.send = send;
        this.maxNames = maxNames;
        this.slots = slots(ring);
        this.values = this.slots[0];
    }
    add = (event) => {
        let id = this.names.get(event.name);
        if (id === undefined) {
            if (this.names.size >= this.maxNames) {
                this.flush();
                this.names.startOver();
            }
            id = this.names.number(event.name);
        }
        const v = this.values;
        const at = this.count * FIELDS;
        v[at] = KIND_INDEX.get(event.kind);
        v[at + 1] = id;
        v[at + 2] = event.start;
        v[at + 3] = event.duration;
        v[at + 4] = event.device ?? NaN;
        v[at + 5] = event.stream ?? NaN;
        v[at + 6] = event.correlation ?? NaN;
        v[at + 7] = event.thread ?? NaN;
        const grid = event.grid;
        v[at + 8] = grid ? grid[0] : NaN;
        v[at + 9] = grid ? grid[1] : NaN;
        v[at + 10] = grid ? grid[2] : NaN;
        const block = event.block;
        v[at + 11] = block ? block[0] : NaN;
        v[at + 12] = block ? block[1] : NaN;
        v[at + 13] = block ? block[2] : NaN;
        v[at + 14] = event.bytes ?? NaN;
        v[at + 15] = event.instance ?? NaN;
        v[at + 16] = event.graph ?? NaN;
        if (++this.count === BATCH_EVENTS)
            this.flush();
    };
    flush() {
        if (this.count === 0 && !this.names.pending)
            return;
        this.send({ slot: this.slot, count: this.count, ...this.names.take() });
        this.slot = (this.slot + 1) % RING_SLOTS;
        this.values = this.slots[this.slot];
        this.count = 0;
    }
}

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Default_Ignorable_Code_Point}\u{fffe}\u{ffff}]|(?! )\p{Zs}/gu;
function visible(text, keepLines = false) {
    const shown = text.replace(INVISIBLE, (ch) => keepLines && ch === '\n' ? ch : `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`);
    return shown.includes('##[') ? shown.replace(/##\[/g, '#\\u{23}[') : shown;
}
function clip(text, max = 200) {
    if (text.length <= max)
        return text;
    let end = max;
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff)
        end -= 1;
    return `${text.slice(0, end)}\u2026`;
}
function quoted(text, max = 200) {
    return `"${visible(clip(text, max)).replace(/"/g, '\\"')}"`;
}

class InputError extends Error {
    name = 'InputError';
    location;
    detail;
    constructor(message, location, options) {
        super(location ? `${formatLocation(location)}: ${message}` : message, options);
        this.location = location;
        this.detail = message;
    }
}
function formatLocation(location) {
    let text = visible(clip(location.file, 300));
    if (location.line !== undefined)
        text += `:${location.line}`;
    if (location.column !== undefined)
        text += ` (column "${visible(clip(location.column, 80))}")`;
    return text;
}
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return `unexpected non-Error exception: ${String(error)}`;
}

const load = createRequire(import.meta.url);
const zlib = () => load('node:zlib');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
class NeedMore extends Error {
    name = 'NeedMore';
}
const NEED_MORE = new NeedMore('need more input');
class ByteSyntaxError extends Error {
    at;
    cut;
    name = 'ByteSyntaxError';
    constructor(message, at, cut = false) {
        super(message);
        this.at = at;
        this.cut = cut;
    }
}
const NEAR = 32;
const MAX_DEPTH = 512;
const STRUCTURAL = new Uint8Array(256);
for (const c of [QUOTE, LBRACE, RBRACE, LBRACKET, RBRACKET])
    STRUCTURAL[c] = 1;
const SPACE = new Uint8Array(256);
for (const c of [0x20, 0x0a, 0x0d, 0x09])
    SPACE[c] = 1;
const ENDS_SCALAR = new Uint8Array(256);
for (const c of [COMMA, RBRACE, RBRACKET, 0x20, 0x0a, 0x0d, 0x09])
    ENDS_SCALAR[c] = 1;
class ByteScanner {
    buf = Buffer.alloc(0);
    end = 0;
    final = false;
    rawQuotes = 0;
    reset(buf, end, final) {
        this.buf = buf;
        this.end = end;
        this.final = final;
    }
    space(i) {
        const { buf, end } = this;
        const space = SPACE;
        while (i < end && space[buf[i]] === 1)
            i++;
        return i;
    }
    spaceTo(i) {
        i = this.space(i);
        if (i >= this.end)
            throw this.final ? new ByteSyntaxError('the input ends early', i, true) : NEED_MORE;
        return i;
    }
    stringEnd(i) {
        const { buf, end } = this;
        const near = i + NEAR < end ? i + NEAR : end;
        let q = i;
        while (q < near && buf[q] !== QUOTE)
            q++;
        if (q === near)
            return this.stringEndFrom(i, near);
        if (q + 2 < end && buf[q - 1] !== BACKSLASH) {
            const n = buf[q + 1];
            if (n === COLON || n === RBRACE || n === RBRACKET)
                return q;
            if (n === COMMA) {
                const m = buf[q + 2];
                if (m === QUOTE || (m === 0x20 && buf[q + 3] === QUOTE))
                    return q;
            }
        }
        return this.stringEndFrom(i, i);
    }
    stringEndFrom(i, k) {
        const { buf, end } = this;
        for (;;) {
            let q = -1;
            if (k > i)
                q = buf.indexOf(QUOTE, k);
            else {
                const near = Math.min(k + NEAR, end);
                for (let j = k; j < near; j++)
                    if (buf[j] === QUOTE) {
                        q = j;
                        break;
                    }
                if (q < 0 && near < end)
                    q = buf.indexOf(QUOTE, near);
            }
            if (q < 0 || q >= end)
                throw this.final ? new ByteSyntaxError('a string is not closed', i, true) : NEED_MORE;
            let b = q;
            while (b > i && buf[b - 1] === BACKSLASH)
                b--;
            if ((q - b) % 2 === 0) {
                if (this.closes(q + 1))
                    return q;
                this.rawQuotes += 1;
            }
            k = q + 1;
        }
    }
    skipNested(i, depth = 0, outer = 0) {
        const { buf, end } = this;
        const structural = STRUCTURAL;
        for (let k = i; k < end; k++) {
            const c = buf[k];
            if (structural[c] === 0)
                continue;
            if (c === QUOTE)
                k = this.stringEnd(k + 1);
            else if (c === LBRACE || c === LBRACKET) {
                if (++depth + outer > MAX_DEPTH)
                    throw new ByteSyntaxError(`nesting deeper than ${MAX_DEPTH}`, k);
            }
            else if (c === RBRACE || c === RBRACKET) {
                if (--depth === 0)
                    return k + 1;
            }
        }
        throw this.final ? new ByteSyntaxError('the input ends early', end, true) : NEED_MORE;
    }
    closes(j) {
        const { buf, end } = this;
        let k = this.space(j);
        if (k >= end) {
            if (this.final)
                return true;
            throw NEED_MORE;
        }
        const c = buf[k];
        if (c === COLON || c === RBRACE || c === RBRACKET)
            return true;
        if (c !== COMMA)
            return false;
        k = this.space(k + 1);
        if (k >= end) {
            if (this.final)
                return true;
            throw NEED_MORE;
        }
        const v = buf[k];
        return (v === QUOTE ||
            v === LBRACE ||
            v === LBRACKET ||
            v === 0x2d ||
            (v >= 0x30 && v <= 0x39) ||
            v === 0x74 ||
            v === 0x66 ||
            v === 0x6e);
    }
    valueEnd(i, outer = 0) {
        const { buf, end } = this;
        if (i >= end)
            throw this.final ? new ByteSyntaxError('the input ends early', i, true) : NEED_MORE;
        const c = buf[i];
        if (c === QUOTE)
            return this.stringEnd(i + 1) + 1;
        if (c === LBRACE || c === LBRACKET)
            return this.skipNested(i, 0, outer);
        const ends = ENDS_SCALAR;
        let k = i;
        while (k < end && ends[buf[k]] === 0)
            k += 1;
        if (k >= end && !this.final)
            throw NEED_MORE;
        if (k === i)
            throw new ByteSyntaxError(`unexpected "${String.fromCharCode(c ?? 0)}"`, k);
        return k;
    }
    equals(s, e, key) {
        const n = key.length;
        if (e - s !== n)
            return false;
        const { buf } = this;
        if (n > 64)
            return buf.compare(key, 0, n, s, e) === 0;
        for (let k = 0; k < n; k++)
            if (buf[s + k] !== key[k])
                return false;
        return true;
    }
}
function ascii(text) {
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
function numberStart(buf, s, e) {
    return e - s >= 2 && buf[s] === QUOTE && buf[e - 1] === QUOTE ? s + 1 : s;
}
function numberEnd(buf, s, e) {
    return e - s >= 2 && buf[s] === QUOTE && buf[e - 1] === QUOTE ? e - 1 : e;
}
function readMicros(buf, start, stop, out) {
    const s = numberStart(buf, start, stop);
    const e = numberEnd(buf, start, stop);
    let k = s;
    let negative = false;
    if (buf[k] === 0x2d) {
        negative = true;
        k += 1;
    }
    let whole = 0;
    let digits = 0;
    while (k < e) {
        const c = buf[k];
        if (c < 0x30 || c > 0x39)
            break;
        whole = whole * 10 + (c - 0x30);
        digits += 1;
        k += 1;
    }
    let fraction = 0;
    if (k < e && buf[k] === 0x2e) {
        k += 1;
        let scale = 100;
        while (k < e) {
            const c = buf[k];
            if (c < 0x30 || c > 0x39)
                break;
            fraction += (c - 0x30) * scale;
            scale /= 10;
            digits += 1;
            k += 1;
        }
    }
    if (digits === 0)
        return false;
    if (k < e)
        return readMicrosExponent(buf.toString('latin1', s, e), out);
    out.whole = negative ? -whole : whole;
    out.fraction = negative ? -fraction : fraction;
    return true;
}
function readMicrosExponent(text, out) {
    const m = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d{1,4})$/.exec(text);
    if (!m)
        return false;
    const digits = m[2] + (m[3] ?? '');
    const point = m[2].length + Number(m[4]);
    if (point > 21)
        return false;
    const int = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
    const rest = point >= 0 ? digits.slice(point) : '0'.repeat(-point) + digits;
    const whole = Number(int);
    const ns = rest.slice(0, 3).padEnd(3, '0');
    const below = rest.length > 3 ? Number(`0.${rest.slice(3, 20)}`) : 0;
    const fraction = Number(ns) + below;
    const negative = m[1] === '-';
    out.whole = negative ? -whole : whole;
    out.fraction = negative ? -fraction : fraction;
    return true;
}
function readInteger(buf, start, stop) {
    const s = numberStart(buf, start, stop);
    const e = numberEnd(buf, start, stop);
    if (e <= s || e - s > 40)
        return undefined;
    if (e - s <= 15) {
        let value = 0;
        let k = s;
        for (; k < e; k++) {
            const c = buf[k];
            if (c < 0x30 || c > 0x39)
                break;
            value = value * 10 + (c - 0x30);
        }
        if (k === e)
            return value;
    }
    if (e - s > 2 && buf[s] === 0x30 && (buf[s + 1] === 0x78 || buf[s + 1] === 0x58)) {
        const value = Number.parseInt(buf.toString('latin1', s + 2, e), 16);
        return Number.isSafeInteger(value) ? value : undefined;
    }
    let k = e;
    while (k > s && buf[k - 1] >= 0x30 && buf[k - 1] <= 0x39)
        k--;
    if (k === e) {
        const value = Number(buf.toString('latin1', s, e));
        return Number.isFinite(value) && Number.isInteger(value) ? value : undefined;
    }
    if (k > s && !(buf[k - 1] === 0x20 || buf[k - 1] === 0x2d))
        return undefined;
    const value = Number(buf.toString('latin1', k, e));
    return buf[k - 1] === 0x2d && k - 1 === s ? -value : value;
}
function readNumber(buf, start, stop) {
    const s = numberStart(buf, start, stop);
    const e = numberEnd(buf, start, stop);
    if (e <= s || e - s > 64)
        return undefined;
    const text = buf.toString('latin1', s, e);
    if (!JSON_NUMBER.test(text))
        return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
}
const JSON_NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
function decodeString(buf, s, e) {
    const raw = buf.toString('utf8', s, e);
    return raw.includes('\\') ? unescape(raw) : raw;
}
const ESCAPES = {
    n: '\n',
    t: '\t',
    r: '\r',
    b: '\b',
    f: '\f'
};
function unescape(text) {
    return text.replace(/\\(u[0-9a-fA-F]{4}|[^u])/g, (_, e) => e.length === 5 ? String.fromCharCode(Number.parseInt(e.slice(1), 16)) : (ESCAPES[e] ?? e));
}

const CATEGORIES = new Map([
    ['kernel', 'kernel'],
    ['gpu_memcpy', 'memcpy'],
    ['memcpy', 'memcpy'],
    ['gpu_memset', 'memset'],
    ['memset', 'memset'],
    ['cuda_runtime', 'api'],
    ['cuda_driver', 'api'],
    ['runtime', 'api'],
    ['user_annotation', 'annotation'],
    ['gpu_user_annotation', 'gpuAnnotation']
]);
const KINETO_CATEGORIES = new Set([
    ...CATEGORIES.keys(),
    'cpu_op',
    'operator',
    'python_function',
    'cuda_sync',
    'ac2g',
    'fwdbwd',
    'trace'
]);
const METADATA_KEYS = new Set([
    'schemaVersion',
    'deviceProperties',
    'distributedInfo',
    'displayTimeUnit',
    'traceName',
    'cupti_version',
    'cuda_runtime_version',
    'cuda_driver_version',
    'hip_runtime_version',
    'roctracer_version'
]);
const MAX_VALUE_BYTES = 64 * 1024 * 1024;
const KEY = {
    ph: ascii('ph'),
    cat: ascii('cat'),
    name: ascii('name'),
    pid: ascii('pid'),
    tid: ascii('tid'),
    ts: ascii('ts'),
    dur: ascii('dur'),
    args: ascii('args'),
    stream: ascii('stream'),
    device: ascii('device'),
    correlation: ascii('correlation'),
    externalId: ascii('External id'),
    externalIdLower: ascii('external id'),
    grid: ascii('grid'),
    block: ascii('block'),
    bytes: ascii('bytes'),
    graphId: ascii('graph id'),
    desc: ascii('desc'),
    kernels: ascii('kernels')
};
class Fields {
    ph = -1;
    phEnd = -1;
    cat = -1;
    catEnd = -1;
    name = -1;
    nameEnd = -1;
    nameEscaped = false;
    nameHigh = false;
    pid = -1;
    pidEnd = -1;
    tid = -1;
    tidEnd = -1;
    ts = -1;
    tsEnd = -1;
    dur = -1;
    durEnd = -1;
    args = -1;
    argsEnd = -1;
    argsRead = -1;
    clear() {
        this.ph = this.cat = this.name = this.pid = this.tid = this.ts = this.dur = this.args = -1;
        this.argsRead = -1;
    }
}
class ChromeTraceReader {
    sink;
    scan = new ByteScanner();
    fields = new Fields();
    buf = Buffer.alloc(0);
    work = Buffer.alloc(0);
    pos = 0;
    base = 0;
    state = 'start';
    waitFor = 0;
    skipDepth = 0;
    skipInString = false;
    skipEscape = false;
    cats = [];
    catOverflow = 0;
    uncategorised = 0;
    args = new Args();
    names = new Map();
    lastName = {};
    gpuPids = new Set();
    originWhole;
    originFraction = 0;
    threads = new Map();
    threadBytes = Buffer.alloc(64);
    threadPidLength = -1;
    threadTidLength = -1;
    lastThread = -1;
    ts = { whole: 0, fraction: 0 };
    dur = { whole: 0, fraction: 0 };
    spans = new Spans();
    info = {
        writer: 'unknown',
        hasEvents: false,
        events: 0,
        categories: new Map(),
        devices: new Map(),
        usedDevices: new Set(),
        metadata: {},
        badMetadata: [],
        rawQuotes: 0,
        unreadable: 0,
        unreadablePairs: 0,
        unorderedPairs: 0,
        trailing: 0,
        bytes: 0
    };
    constructor(sink) {
        this.sink = sink;
    }
    push(chunk) {
        if (chunk.length === 0)
            return;
        this.info.bytes += chunk.length;
        const bytes = Buffer.isBuffer(chunk)
            ? chunk
            : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
        const pending = this.buf.length - this.pos;
        if (pending === 0) {
            this.base += this.buf.length;
            this.buf = bytes;
        }
        else {
            this.base += this.pos;
            const need = pending + bytes.length;
            if (this.work.length < need) {
                const grown = Buffer.allocUnsafeSlow(Math.max(need, this.work.length * 2));
                this.work.copy(grown, 0, 0, pending);
                this.work = grown;
            }
            bytes.copy(this.work, pending);
            this.buf = this.work.subarray(0, need);
        }
        this.pos = 0;
        if (this.buf.length >= this.waitFor)
            this.pump(false);
        this.keepPending();
    }
    keepPending() {
        const pending = this.buf.length - this.pos;
        if (pending === 0)
            return;
        if (this.buf.buffer === this.work.buffer && this.buf.byteOffset === this.work.byteOffset) {
            if (this.pos > 0)
                this.work.copyWithin(0, this.pos, this.buf.length);
        }
        else {
            if (this.work.length < pending)
                this.work = Buffer.allocUnsafeSlow(Math.max(pending, 2 * this.work.length, 64 * 1024));
            this.buf.copy(this.work, 0, this.pos);
        }
        this.base += this.pos;
        this.buf = this.work.subarray(0, pending);
        this.pos = 0;
    }
    finish() {
        this.pump(true);
        const info = this.info;
        info.rawQuotes = this.scan.rawQuotes;
        for (const c of this.cats)
            if (c.count > 0)
                info.categories.set(c.label, c.count);
        if (this.catOverflow > 0)
            info.categories.set('(other categories)', this.catOverflow);
        if (this.uncategorised > 0)
            info.categories.set('(none)', this.uncategorised);
        if (this.state !== 'end' && this.state !== 'start')
            info.truncatedAt = info.bytes;
        for (const stack of this.spans.drain()) {
            this.release(stack);
            for (const span of stack.spans)
                if (span)
                    this.unpaired(span.event?.name);
        }
        if (this.originWhole !== undefined)
            info.originMicros = this.originWhole;
        if (info.writer === 'unknown' && this.gpuPids.size > 0)
            info.writer = 'rpd';
        return info;
    }
    fail(message, at) {
        throw new ChromeTraceSyntaxError(`${message} at byte ${this.base + at}`, this.base + at);
    }
    pump(final) {
        const scan = this.scan;
        scan.reset(this.buf, this.buf.length, final);
        try {
            this.run();
            this.waitFor = 0;
        }
        catch (error) {
            if (error === NEED_MORE) {
                const pending = this.buf.length - this.pos;
                if (pending > MAX_VALUE_BYTES)
                    this.fail(`an event or value longer than ${MAX_VALUE_BYTES / 2 ** 20} MiB (not a trace a profiler writes)`, this.pos);
                this.waitFor = Math.max(pending + 1, 2 * pending);
                return;
            }
            if (error instanceof ByteSyntaxError) {
                if (final && error.cut) {
                    this.state = 'end';
                    this.info.truncatedAt = this.base + this.pos;
                    return;
                }
                this.fail(error.message, error.at);
            }
            throw error;
        }
    }
    run() {
        const buf = this.buf;
        const end = buf.length;
        const scan = this.scan;
        for (;;) {
            if (this.state === 'skip') {
                this.skipStreaming();
                continue;
            }
            let p = scan.space(this.pos);
            if (p >= end) {
                this.pos = p;
                if (scan.final)
                    return;
                throw NEED_MORE;
            }
            const c = buf[p];
            switch (this.state) {
                case 'start':
                    if (c === 0xef && p + 3 > end && !scan.final)
                        throw NEED_MORE;
                    if (c === 0xef && buf[p + 1] === 0xbb && buf[p + 2] === 0xbf) {
                        this.pos = p + 3;
                        continue;
                    }
                    if (c === LBRACE) {
                        this.info.form = 'object';
                        this.state = 'key';
                    }
                    else if (c === LBRACKET) {
                        this.info.form = 'array';
                        this.info.hasEvents = true;
                        this.state = 'events';
                    }
                    else
                        this.fail('not a Chrome trace: it starts with neither "{" nor "["', p);
                    this.pos = p + 1;
                    continue;
                case 'key': {
                    if (c === RBRACE) {
                        this.state = 'end';
                        this.pos = p + 1;
                        continue;
                    }
                    if (c !== QUOTE)
                        this.fail('expected a key', p);
                    const ke = scan.stringEnd(p + 1);
                    const key = decodeString(buf, p + 1, ke);
                    p = scan.spaceTo(ke + 1);
                    if (buf[p] !== COLON)
                        this.fail('expected ":"', p);
                    p = scan.spaceTo(p + 1);
                    if (key === 'traceEvents') {
                        if (buf[p] !== LBRACKET)
                            this.fail('"traceEvents" is not an array', p);
                        if (this.info.hasEvents)
                            this.fail('"traceEvents" written twice in the object', p);
                        this.info.hasEvents = true;
                        this.state = 'events';
                        this.pos = p + 1;
                    }
                    else if (METADATA_KEYS.has(key)) {
                        const ve = scan.valueEnd(p);
                        this.metadata(key, buf.toString('utf8', p, ve));
                        this.state = 'afterValue';
                        this.pos = ve;
                    }
                    else {
                        this.state = 'skip';
                        this.skipDepth = 0;
                        this.skipInString = false;
                        this.skipEscape = false;
                        this.pos = p;
                    }
                    continue;
                }
                case 'afterValue':
                    if (c === COMMA)
                        this.state = 'key';
                    else if (c === RBRACE)
                        this.state = 'end';
                    else
                        this.fail('expected "," or "}" after a value', p);
                    this.pos = p + 1;
                    continue;
                case 'events':
                case 'afterEvent':
                    if (c === RBRACKET) {
                        this.state = this.info.form === 'object' ? 'afterValue' : 'end';
                        this.pos = p + 1;
                        continue;
                    }
                    if (this.state === 'afterEvent') {
                        if (c !== COMMA)
                            this.fail('expected "," or "]" between events', p);
                        this.state = 'events';
                        this.pos = p + 1;
                        continue;
                    }
                    this.events(p);
                    continue;
                case 'end':
                    if (this.info.trailing === 0)
                        this.info.trailingByte = c;
                    this.info.trailing += end - p;
                    this.pos = end;
                    continue;
            }
        }
    }
    events(p) {
        const buf = this.buf;
        const end = buf.length;
        const scan = this.scan;
        const info = this.info;
        for (;;) {
            this.pos = p = buf[p] === LBRACE ? this.event(p) : scan.valueEnd(p);
            info.events += 1;
            this.state = 'afterEvent';
            p = scan.space(p);
            if (p >= end || buf[p] !== COMMA)
                return;
            p = scan.space(p + 1);
            if (p >= end || buf[p] === RBRACKET)
                return;
            this.state = 'events';
            this.pos = p;
        }
    }
    skipStreaming() {
        const buf = this.buf;
        const end = buf.length;
        let p = this.pos;
        let depth = this.skipDepth;
        let inString = this.skipInString;
        let escape = this.skipEscape;
        try {
            for (; p < end; p++) {
                const c = buf[p];
                if (inString) {
                    if (escape)
                        escape = false;
                    else if (c === 0x5c)
                        escape = true;
                    else if (c === QUOTE)
                        inString = false;
                    continue;
                }
                if (c === QUOTE)
                    inString = true;
                else if (c === LBRACE || c === LBRACKET)
                    depth++;
                else if (c === RBRACE || c === RBRACKET) {
                    if (depth === 0)
                        break;
                    depth--;
                }
                else if (c === COMMA && depth === 0)
                    break;
            }
        }
        finally {
            this.skipDepth = depth;
            this.skipInString = inString;
            this.skipEscape = escape;
        }
        this.pos = p;
        if (p < end) {
            this.state = 'afterValue';
            return;
        }
        if (this.scan.final)
            throw new ByteSyntaxError('the input ends early', p, true);
        throw NEED_MORE;
    }
    metadata(key, text) {
        let value;
        try {
            value = JSON.parse(text);
        }
        catch {
            this.info.badMetadata.push(key);
            return;
        }
        const info = this.info;
        if (key === 'deviceProperties') {
            if (!Array.isArray(value))
                return;
            for (const device of value) {
                if (typeof device !== 'object' || device === null)
                    continue;
                const { id, name } = device;
                if (typeof id === 'number' && typeof name === 'string')
                    info.devices.set(id, name);
            }
        }
        else if (key === 'distributedInfo') {
            if (typeof value !== 'object' || value === null)
                return;
            const d = value;
            const out = {};
            if (typeof d.rank === 'number')
                out.rank = d.rank;
            if (typeof d.world_size === 'number')
                out.worldSize = d.world_size;
            if (typeof d.backend === 'string')
                out.backend = d.backend;
            info.distributed = out;
        }
        else if (typeof value === 'string' || typeof value === 'number') {
            info.metadata[key] = value;
        }
    }
    event(p) {
        const buf = this.buf;
        const scan = this.scan;
        const f = this.fields;
        f.clear();
        p = scan.spaceTo(p + 1);
        if (buf[p] === RBRACE)
            return p + 1;
        for (;;) {
            if (buf[p] !== QUOTE)
                this.fail('expected a key in an event', p);
            const ks = p + 1;
            const ke = scan.stringEnd(ks);
            p = scan.spaceTo(ke + 1);
            if (buf[p] !== COLON)
                this.fail('expected ":" in an event', p);
            const vs = scan.spaceTo(p + 1);
            const ve = buf[vs] === LBRACE && ke - ks === 4 && scan.equals(ks, ke, KEY.args)
                ? this.readArgs(vs)
                : scan.valueEnd(vs);
            if (this.field(ks, ke, vs, ve))
                return scan.skipNested(ve, 1);
            p = scan.spaceTo(ve);
            const c = buf[p];
            if (c === COMMA) {
                p = scan.spaceTo(p + 1);
                continue;
            }
            if (c === RBRACE)
                break;
            this.fail('expected "," or "}" in an event', p);
        }
        this.classify();
        return p + 1;
    }
    field(ks, ke, vs, ve) {
        const f = this.fields;
        const scan = this.scan;
        const buf = this.buf;
        const first = buf[ks];
        switch (ke - ks) {
            case 2:
                if (first === 0x70 && scan.equals(ks, ke, KEY.ph)) {
                    f.ph = vs;
                    f.phEnd = ve;
                    if (ve - vs !== 3)
                        return true;
                    const ph = buf[vs + 1];
                    if (ph === 0x58)
                        return f.cat >= 0 && this.unmodelled();
                    if (ph === 0x4d)
                        return false;
                    if (ph === 0x45)
                        return this.spans.open === 0;
                    if (ph === 0x42 || ph === 0x62)
                        return f.cat >= 0 && this.notSpanned();
                    return true;
                }
                else if (first === 0x74 && scan.equals(ks, ke, KEY.ts)) {
                    f.ts = vs;
                    f.tsEnd = ve;
                }
                return false;
            case 3:
                if (first === 0x63) {
                    if (!scan.equals(ks, ke, KEY.cat))
                        return false;
                    f.cat = vs;
                    f.catEnd = ve;
                    if (f.ph >= 0) {
                        const ph = buf[f.ph + 1];
                        if (ph === 0x58)
                            return this.unmodelled();
                        if (ph === 0x42 || ph === 0x62)
                            return this.notSpanned();
                    }
                }
                else if (first === 0x64) {
                    if (!scan.equals(ks, ke, KEY.dur))
                        return false;
                    f.dur = vs;
                    f.durEnd = ve;
                }
                else if (first === 0x70) {
                    if (!scan.equals(ks, ke, KEY.pid))
                        return false;
                    f.pid = vs;
                    f.pidEnd = ve;
                }
                else if (first === 0x74) {
                    if (!scan.equals(ks, ke, KEY.tid))
                        return false;
                    f.tid = vs;
                    f.tidEnd = ve;
                }
                return false;
            case 4:
                if (first === 0x6e && scan.equals(ks, ke, KEY.name)) {
                    f.name = vs;
                    f.nameEnd = ve;
                }
                else if (first === 0x61 && scan.equals(ks, ke, KEY.args)) {
                    f.args = vs;
                    f.argsEnd = ve;
                }
                return false;
            default:
                return false;
        }
    }
    unmodelled() {
        const category = this.category();
        if (category === undefined || category.kind !== null)
            return false;
        category.count += 1;
        return true;
    }
    notSpanned() {
        if (this.spans.open > 0 && this.buf[this.fields.ph + 1] === 0x42)
            return false;
        const category = this.category();
        return category !== undefined && category.kind === null;
    }
    category() {
        const f = this.fields;
        const buf = this.buf;
        if (f.cat < 0 || buf[f.cat] !== QUOTE)
            return undefined;
        const s = f.cat + 1;
        const e = f.catEnd - 1;
        for (const entry of this.cats)
            if (this.scan.equals(s, e, entry.bytes))
                return entry;
        const label = buf.toString('latin1', s, e);
        const lower = label.toLowerCase();
        const entry = {
            bytes: Buffer.from(buf.subarray(s, e)),
            label,
            kind: CATEGORIES.get(lower) ?? null,
            count: 0
        };
        if (KINETO_CATEGORIES.has(lower))
            this.info.writer = 'kineto';
        if (this.cats.length < MAX_CATEGORIES)
            this.cats.push(entry);
        else
            this.catOverflow += 1;
        return entry;
    }
    text(s, e) {
        if (s < 0 || this.buf[s] !== QUOTE)
            return undefined;
        return this.buf.toString('latin1', s + 1, e - 1);
    }
    classify() {
        const f = this.fields;
        const buf = this.buf;
        if (f.ph < 0 || f.phEnd - f.ph !== 3)
            return;
        const ph = buf[f.ph + 1];
        if (ph === 0x4d) {
            this.processName();
            return;
        }
        if (ph !== 0x58) {
            if (ph === 0x42)
                this.begin();
            else if (ph === 0x45)
                this.end();
            else if (ph === 0x62) {
                const kind = this.category()?.kind;
                if (kind)
                    this.unpaired(this.nameOf(kind));
            }
            return;
        }
        let kind;
        if (f.cat >= 0) {
            const category = this.category();
            if (category)
                category.count += 1;
            if (!category?.kind)
                return;
            kind = category.kind;
        }
        else {
            this.uncategorised += 1;
            kind = this.rpdKind();
            if (kind === undefined)
                return;
        }
        this.emit(kind);
    }
    processName() {
        const f = this.fields;
        if (f.args < 0 || f.pid < 0 || this.text(f.name, f.nameEnd) !== 'process_name')
            return;
        const a = this.scanArgs();
        const label = this.text(a.name, a.nameEnd);
        if (label !== undefined && /^GPU ?\d{1,6}$/.test(label))
            this.gpuPids.add(this.pidText());
    }
    pidText() {
        const f = this.fields;
        return this.text(f.pid, f.pidEnd) ?? this.buf.toString('latin1', f.pid, f.pidEnd);
    }
    rpdKind() {
        if (this.gpuPids.size === 0)
            return undefined;
        const f = this.fields;
        const a = this.scanArgs();
        const desc = this.text(a.desc, a.descEnd);
        if (this.gpuPids.has(this.pidText())) {
            if (a.kernels >= 0 || desc === undefined)
                return undefined;
            if (/kernel/i.test(desc))
                return 'kernel';
            if (/copy/i.test(desc))
                return 'memcpy';
            if (/fill/i.test(desc))
                return 'memset';
            return undefined;
        }
        const name = this.text(f.name, f.nameEnd);
        return desc !== undefined && name !== undefined && desc === name ? 'annotation' : 'api';
    }
    nameOf(kind) {
        const f = this.fields;
        const buf = this.buf;
        if (f.name < 0 || buf[f.name] !== QUOTE)
            return undefined;
        const s = f.name + 1;
        const e = f.nameEnd - 1;
        const last = this.lastName[kind];
        const guess = last?.next;
        if (guess && this.scan.equals(s, e, guess.bytes)) {
            this.lastName[kind] = guess;
            return guess.text;
        }
        const text = decodeString(buf, s, e);
        let entry = this.names.get(text);
        if (!entry) {
            if (this.names.size >= MAX_NAMES)
                this.names.clear();
            entry = { bytes: Buffer.from(buf.subarray(s, e)), text };
            this.names.set(text, entry);
        }
        if (last)
            last.next = entry;
        this.lastName[kind] = entry;
        return entry.text;
    }
    emit(kind) {
        const f = this.fields;
        const dur = this.dur;
        const duration = f.dur >= 0 && readMicros(this.buf, f.dur, f.durEnd, dur)
            ? dur.whole * 1000 + dur.fraction
            : NaN;
        const event = this.timedEvent(kind, duration);
        if (event)
            this.sink(event);
    }
    timedEvent(kind, duration) {
        const f = this.fields;
        const buf = this.buf;
        const info = this.info;
        const ts = this.ts;
        const timed = f.ts >= 0 && readMicros(buf, f.ts, f.tsEnd, ts);
        const name = this.nameOf(kind);
        if (!timed || !(duration >= 0) || name === undefined || name.trim() === '') {
            info.unreadable += 1;
            info.unreadableExample ??= name ?? '(no name)';
            return undefined;
        }
        if (this.originWhole === undefined) {
            this.originWhole = ts.whole;
            this.originFraction = ts.fraction;
        }
        const event = {
            kind,
            name,
            start: (ts.whole - this.originWhole) * 1000 + (ts.fraction - this.originFraction),
            duration,
            device: undefined,
            stream: undefined,
            correlation: undefined,
            thread: undefined,
            grid: undefined,
            block: undefined,
            bytes: undefined,
            instance: undefined,
            graph: undefined
        };
        if (kind !== 'annotation')
            this.gpuFields(event);
        if (kind === 'annotation' || kind === 'api')
            event.thread = this.threadOf();
        return event;
    }
    begin() {
        const f = this.fields;
        let kind = null;
        if (f.cat >= 0) {
            const category = this.category();
            if (category?.kind) {
                category.count += 1;
                kind = category.kind;
            }
        }
        const spans = this.spans;
        const ts = this.ts;
        if (kind === null) {
            if (spans.open > 0) {
                const timed = f.ts >= 0 && readMicros(this.buf, f.ts, f.tsEnd, ts);
                spans.push(this.spanThread(), null, timed ? ts : undefined);
            }
            return;
        }
        if (spans.open >= MAX_OPEN_SPANS) {
            this.unpaired(this.nameOf(kind));
            return;
        }
        const event = this.timedEvent(kind, 0);
        const span = { event, whole: ts.whole, fraction: ts.fraction };
        spans.push(this.spanThread(), span, event ? ts : undefined);
    }
    end() {
        const spans = this.spans;
        const f = this.fields;
        const ts = this.ts;
        const timed = f.ts >= 0 && readMicros(this.buf, f.ts, f.tsEnd, ts);
        const span = spans.pop(this.spanThread(), timed ? ts : undefined);
        const stack = spans.last;
        if (!span || !stack)
            return;
        const event = span.event;
        if (event) {
            const duration = timed ? (ts.whole - span.whole) * 1000 + (ts.fraction - span.fraction) : NaN;
            if (!(duration >= 0) || stack.unordered) {
                if (stack.unordered)
                    this.info.unorderedPairs += 1;
                this.unpaired(event.name);
            }
            else {
                event.duration = duration;
                stack.held.push(event);
            }
        }
        if (stack.modelled === 0 || stack.held.length > MAX_OPEN_SPANS)
            this.release(stack);
        spans.settle();
    }
    release(stack) {
        for (const event of stack.held) {
            if (stack.unordered) {
                this.info.unorderedPairs += 1;
                this.unpaired(event.name);
            }
            else
                this.sink(event);
        }
        stack.held.length = 0;
    }
    unpaired(name) {
        const info = this.info;
        info.unreadable += 1;
        info.unreadablePairs += 1;
        info.unreadableExample ??= name ?? '(no name)';
    }
    spanThread() {
        const f = this.fields;
        const buf = this.buf;
        const pid = f.pid >= 0 ? buf.toString('latin1', f.pid, f.pidEnd) : '';
        const tid = f.tid >= 0 ? buf.toString('latin1', f.tid, f.tidEnd) : '';
        return `${pid}\u0000${tid}`;
    }
    threadOf() {
        const f = this.fields;
        const buf = this.buf;
        const ps = f.pid;
        const ts = f.tid;
        const pl = ps >= 0 ? f.pidEnd - ps : 0;
        const tl = ts >= 0 ? f.tidEnd - ts : 0;
        const last = this.threadBytes;
        if (pl === this.threadPidLength && tl === this.threadTidLength) {
            let k = 0;
            while (k < pl && buf[ps + k] === last[k])
                k++;
            if (k === pl) {
                let j = 0;
                while (j < tl && buf[ts + j] === last[pl + j])
                    j++;
                if (j === tl)
                    return this.lastThread;
            }
        }
        const pid = ps >= 0 ? buf.toString('latin1', ps, f.pidEnd) : '';
        const tid = ts >= 0 ? buf.toString('latin1', ts, f.tidEnd) : '';
        const key = `${pid}\u0000${tid}`;
        let id = this.threads.get(key);
        if (id === undefined) {
            id = this.threads.size < MAX_THREADS ? this.threads.size : -1;
            if (id >= 0)
                this.threads.set(key, id);
        }
        if (pl + tl <= last.length) {
            if (pl > 0)
                buf.copy(last, 0, ps, ps + pl);
            if (tl > 0)
                buf.copy(last, pl, ts, ts + tl);
            this.threadPidLength = pl;
            this.threadTidLength = tl;
            this.lastThread = id;
        }
        else
            this.threadPidLength = -1;
        return id;
    }
    readArgs(vs) {
        const a = this.args;
        a.clear();
        const buf = this.buf;
        const scan = this.scan;
        let p = scan.spaceTo(vs + 1);
        if (buf[p] === RBRACE) {
            this.fields.argsRead = vs;
            return p + 1;
        }
        for (;;) {
            if (buf[p] !== QUOTE)
                break;
            const ks = p + 1;
            const ke = scan.stringEnd(ks);
            p = scan.spaceTo(ke + 1);
            if (buf[p] !== COLON)
                break;
            const s = scan.spaceTo(p + 1);
            const e = scan.valueEnd(s, 1);
            if (STRUCTURAL[buf[s]] === 0 && !plainScalar(buf, s, e))
                break;
            a.take(scan, ks, ke, s, e);
            p = scan.spaceTo(e);
            const c = buf[p];
            if (c === RBRACE) {
                this.fields.argsRead = vs;
                return p + 1;
            }
            if (c !== COMMA)
                break;
            p = scan.spaceTo(p + 1);
        }
        a.clear();
        return scan.skipNested(vs);
    }
    scanArgs() {
        const a = this.args;
        const f = this.fields;
        if (f.argsRead >= 0 && f.argsRead === f.args)
            return a;
        a.clear();
        const buf = this.buf;
        const scan = this.scan;
        if (f.args < 0 || buf[f.args] !== LBRACE)
            return a;
        const end = f.argsEnd;
        let p = scan.space(f.args + 1);
        if (buf[p] === RBRACE)
            return a;
        while (p < end) {
            if (buf[p] !== QUOTE)
                this.fail('expected a key in "args"', p);
            const ks = p + 1;
            const ke = scan.stringEnd(ks);
            p = scan.space(ke + 1);
            if (buf[p] !== COLON)
                this.fail('expected ":" in "args"', p);
            const vs = scan.space(p + 1);
            const ve = scan.valueEnd(vs);
            a.take(scan, ks, ke, vs, ve);
            p = scan.space(ve);
            if (buf[p] !== COMMA)
                break;
            p = scan.space(p + 1);
        }
        return a;
    }
    gpuFields(event) {
        const f = this.fields;
        const buf = this.buf;
        const a = this.scanArgs();
        if (a.grid >= 0)
            setDim(event, 'grid', buf, a.grid, a.gridEnd);
        if (a.block >= 0)
            setDim(event, 'block', buf, a.block, a.blockEnd);
        if (a.bytes >= 0) {
            const bytes = readNumber(buf, a.bytes, a.bytesEnd);
            if (bytes !== undefined && bytes >= 0)
                event.bytes = bytes;
        }
        if (a.stream >= 0)
            setInt(event, 'stream', buf, a.stream, a.streamEnd);
        if (a.device >= 0)
            setInt(event, 'device', buf, a.device, a.deviceEnd);
        if (a.graph >= 0)
            setInt(event, 'graph', buf, a.graph, a.graphEnd);
        if (a.correlation >= 0)
            setInt(event, 'correlation', buf, a.correlation, a.correlationEnd);
        if (event.kind === 'gpuAnnotation' && a.external >= 0)
            setInt(event, 'instance', buf, a.external, a.externalEnd);
        if (event.kind === 'api')
            return;
        if (event.device === undefined && f.pid >= 0)
            setInt(event, 'device', buf, f.pid, f.pidEnd);
        if (event.stream === undefined && f.tid >= 0)
            setInt(event, 'stream', buf, f.tid, f.tidEnd);
        if (event.device !== undefined)
            this.info.usedDevices.add(event.device);
    }
}
class Spans {
    open = 0;
    last;
    threads = new Map();
    push(thread, span, at) {
        let stack = this.threads.get(thread);
        if (!stack) {
            stack = { spans: [], modelled: 0, held: [], whole: -Infinity, fraction: 0, unordered: false };
            this.threads.set(thread, stack);
        }
        order(stack, at);
        this.last = stack;
        stack.spans.push(span);
        if (span) {
            this.open += 1;
            stack.modelled += 1;
        }
    }
    pop(thread, at) {
        const stack = this.threads.get(thread);
        this.last = stack;
        if (!stack)
            return undefined;
        order(stack, at);
        const span = stack.spans.pop();
        if (span) {
            this.open -= 1;
            stack.modelled -= 1;
        }
        return span;
    }
    settle() {
        if (this.open === 0) {
            this.threads.clear();
            this.last = undefined;
        }
    }
    drain() {
        const stacks = [...this.threads.values()];
        this.threads.clear();
        this.last = undefined;
        this.open = 0;
        return stacks;
    }
}
function order(stack, at) {
    if (at === undefined)
        return;
    const d = at.whole - stack.whole || at.fraction - stack.fraction;
    if (d < 0)
        stack.unordered = true;
    else {
        stack.whole = at.whole;
        stack.fraction = at.fraction;
    }
}
const MAX_OPEN_SPANS = 65_536;
const MAX_NAMES = 100_000;
const MAX_THREADS = 65_536;
const MAX_CATEGORIES = 256;
class Args {
    stream = -1;
    streamEnd = -1;
    device = -1;
    deviceEnd = -1;
    correlation = -1;
    correlationEnd = -1;
    external = -1;
    externalEnd = -1;
    grid = -1;
    gridEnd = -1;
    block = -1;
    blockEnd = -1;
    bytes = -1;
    bytesEnd = -1;
    graph = -1;
    graphEnd = -1;
    desc = -1;
    descEnd = -1;
    name = -1;
    nameEnd = -1;
    kernels = -1;
    clear() {
        this.stream = this.device = this.correlation = this.external = this.grid = this.block = -1;
        this.bytes = this.graph = this.desc = this.name = this.kernels = -1;
    }
    take(scan, ks, ke, vs, ve) {
        const first = scan.buf[ks];
        switch (ke - ks) {
            case 4:
                if (first === 0x67 && scan.equals(ks, ke, KEY.grid)) {
                    this.grid = vs;
                    this.gridEnd = ve;
                }
                else if (first === 0x64 && scan.equals(ks, ke, KEY.desc)) {
                    this.desc = vs;
                    this.descEnd = ve;
                }
                else if (first === 0x6e && scan.equals(ks, ke, KEY.name)) {
                    this.name = vs;
                    this.nameEnd = ve;
                }
                return;
            case 5:
                if (first !== 0x62)
                    return;
                if (scan.equals(ks, ke, KEY.block)) {
                    this.block = vs;
                    this.blockEnd = ve;
                }
                else if (scan.equals(ks, ke, KEY.bytes)) {
                    this.bytes = vs;
                    this.bytesEnd = ve;
                }
                return;
            case 6:
                if (first === 0x73 && scan.equals(ks, ke, KEY.stream)) {
                    this.stream = vs;
                    this.streamEnd = ve;
                }
                else if (first === 0x64 && scan.equals(ks, ke, KEY.device)) {
                    this.device = vs;
                    this.deviceEnd = ve;
                }
                return;
            case 7:
                if (first === 0x6b && scan.equals(ks, ke, KEY.kernels))
                    this.kernels = vs;
                return;
            case 8:
                if (first === 0x67 && scan.equals(ks, ke, KEY.graphId)) {
                    this.graph = vs;
                    this.graphEnd = ve;
                }
                return;
            case 11:
                if (first === 0x63) {
                    if (scan.equals(ks, ke, KEY.correlation)) {
                        this.correlation = vs;
                        this.correlationEnd = ve;
                    }
                }
                else if ((first === 0x45 && scan.equals(ks, ke, KEY.externalId)) ||
                    (first === 0x65 && scan.equals(ks, ke, KEY.externalIdLower))) {
                    this.external = vs;
                    this.externalEnd = ve;
                }
                return;
        }
    }
}
function setInt(event, field, buf, s, e) {
    const value = readInteger(buf, s, e);
    if (value !== undefined)
        event[field] = value;
}
function setDim(event, field, buf, s, e) {
    if (buf[s] !== LBRACKET)
        return;
    let x = -1;
    let y = -1;
    let z = -1;
    let count = 0;
    let value = -1;
    for (let k = s + 1; k < e; k++) {
        const c = buf[k];
        if (c >= 0x30 && c <= 0x39)
            value = (value < 0 ? 0 : value * 10) + (c - 0x30);
        else if (c === COMMA || c === RBRACKET) {
            if (value < 0 || count === 3)
                return;
            if (count === 0)
                x = value;
            else if (count === 1)
                y = value;
            else
                z = value;
            count += 1;
            value = -1;
            if (c === RBRACKET)
                break;
        }
        else if (c !== 0x20)
            return;
    }
    if (count === 3)
        event[field] = [x, y, z];
}
function plainScalar(buf, s, e) {
    for (let k = s; k < e; k++) {
        const c = buf[k];
        if (c === QUOTE || c === LBRACE || c === LBRACKET)
            return false;
    }
    return true;
}
class ChromeTraceSyntaxError extends Error {
    offset;
    name = 'ChromeTraceSyntaxError';
    constructor(message, offset) {
        super(message);
        this.offset = offset;
    }
}

const ARENA_WASM = 'AGFzbQEAAAABCAFgA39/fwF/AwMCAAAFBgEBgAKAAgcYAwZtZW1vcnkCAARzYW1lAAAEZmluZAABCtUCAp4BACACQRBJBEACQANAIAJFDQEgAC0AACABLQAARwRAQQAPCyAAQQFqIQAgAUEBaiEBIAJBAWshAgwACwtBAQ8LIAAgAmpBEGv9AAQAIAEgAmpBEGv9AAQA/VH9UwRAQQAPCwJAA0AgAkEQSQ0BIAD9AAQAIAH9AAQA/VH9UwRAQQAPCyAAQRBqIQAgAUEQaiEBIAJBEGshAgwACwtBAQuyAQIBfwF7IAL9DyEEAkADQCAAQcAAaiABSw0BIAD9AAQAIAT9IyAA/QAEECAE/SP9UCAA/QAEICAE/SMgAP0ABDAgBP0j/VD9UP1TDQEgAEHAAGohAAwACwsCQANAIABBEGogAUsNASAA/QAEACAE/SP9ZCEDIAMEQCAAIANoag8LIABBEGohAAwACwsCQANAIAAgAU8NASAALQAAIAJGBEAgAA8LIABBAWohAAwACwtBfws=';
let arena;
let arenaSame = () => 0;
let arenaFind = () => -1;
let used = 0;
let unavailable = false;
function arenaBytes(size) {
    const memory = arena ?? instantiate();
    if (memory === undefined || size > memory.byteLength - used)
        return undefined;
    const at = used;
    used = Math.min(memory.byteLength, (at + size + 15) & -16);
    return Buffer.from(memory, at, size);
}
function instantiate() {
    if (unavailable)
        return undefined;
    try {
        const wasm = globalThis.WebAssembly;
        if (wasm === undefined)
            throw new Error('no WebAssembly');
        const { exports } = new wasm.Instance(new wasm.Module(Buffer.from(ARENA_WASM, 'base64')));
        const { memory, same, find } = exports;
        arenaSame = same;
        arenaFind = find;
        arena = memory.buffer;
        return arena;
    }
    catch {
        unavailable = true;
        return undefined;
    }
}

function regularFile(path) {
    const info = statOf(path);
    requireFile(path, info);
    return info;
}
function requireFile(path, info) {
    if (info.isFile())
        return;
    if (info.isDirectory())
        throw new InputError(`${quoted(path)} is a directory where a file was expected`);
    throw new InputError(`${quoted(path)} is ${notAFile(info)}; give a file or a directory`);
}
function notAFile(info) {
    return info.isFIFO()
        ? 'a named pipe (FIFO)'
        : info.isCharacterDevice() || info.isBlockDevice()
            ? 'a device'
            : info.isSocket()
                ? 'a socket'
                : 'not a regular file';
}
function statOf(path) {
    try {
        return statSync(path);
    }
    catch (error) {
        throw fsError(path, error);
    }
}
function openToRead(path) {
    try {
        return openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    }
    catch (error) {
        throw fsError(path, error);
    }
}
function readHead(path, bytes) {
    const fd = openToRead(path);
    try {
        const buffer = Buffer.alloc(bytes);
        let read = 0;
        for (let n; read < bytes && (n = readSync(fd, buffer, read, bytes - read, read)) > 0;)
            read += n;
        return buffer.subarray(0, read);
    }
    catch (error) {
        throw fsError(path, error);
    }
    finally {
        closeSync(fd);
    }
}
async function* readChunks(path, offset = 0, size = 'small') {
    if (size === 'large') {
        yield* readLarge(path, offset);
        return;
    }
    if (yield* readSmall(path, offset))
        return;
    let handle;
    const buffers = [
        FREE_BUFFERS.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK_SIZE),
        FREE_BUFFERS.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK_SIZE)
    ];
    let pending;
    try {
        handle = await open(path, 'r');
        let current = 0;
        let position = offset;
        pending = handle.read(buffers[0], 0, SMALL_CHUNK_SIZE, position);
        for (;;) {
            const { bytesRead } = await pending;
            pending = undefined;
            if (bytesRead === 0)
                return;
            position += bytesRead;
            const chunk = buffers[current].subarray(0, bytesRead);
            current ^= 1;
            pending = handle.read(buffers[current], 0, SMALL_CHUNK_SIZE, position);
            yield chunk;
        }
    }
    catch (error) {
        throw fsError(path, error);
    }
    finally {
        if (pending)
            await pending.catch(() => undefined);
        FREE_BUFFERS.push(...buffers);
        await handle?.close().catch(() => undefined);
    }
}
function* readLarge(path, offset) {
    const fd = openToRead(path);
    const buffer = FREE_LARGE_BUFFERS.pop() ?? largeChunk();
    try {
        regularFileOpen(path, fd);
        yield* readOpenFile(path, fd, buffer, offset);
    }
    finally {
        FREE_LARGE_BUFFERS.push(buffer);
        closeSync(fd);
    }
}
function regularFileOpen(path, fd) {
    let info;
    try {
        info = fstatSync(fd);
    }
    catch (error) {
        throw fsError(path, error);
    }
    requireFile(path, info);
    return info;
}
function* readOpenFile(path, fd, buffer, position) {
    for (;;) {
        let n;
        try {
            n = readSync(fd, buffer, 0, buffer.length, position);
        }
        catch (error) {
            throw fsError(path, error);
        }
        if (n === 0)
            return;
        position += n;
        yield buffer.subarray(0, n);
    }
}
function* readSmall(path, offset) {
    const fd = openToRead(path);
    let buffer;
    try {
        const info = regularFileOpen(path, fd);
        if (info.size - offset > SMALL_CHUNK_SIZE)
            return false;
        buffer = FREE_BUFFERS.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK_SIZE);
        yield* readOpenFile(path, fd, buffer, offset);
        return true;
    }
    finally {
        if (buffer)
            FREE_BUFFERS.push(buffer);
        closeSync(fd);
    }
}
const SMALL_CHUNK_SIZE = 256 * 1024;
const FREE_BUFFERS = [];
const LARGE_CHUNK_SIZE = 1024 * 1024;
function largeChunk() {
    return arenaBytes(LARGE_CHUNK_SIZE) ?? Buffer.allocUnsafeSlow(LARGE_CHUNK_SIZE);
}
const FREE_LARGE_BUFFERS = [];
function fsError(path, error) {
    if (error instanceof InputError)
        return error;
    const code = error.code;
    const name = quoted(path);
    const message = (() => {
        switch (code) {
            case 'ENOENT':
                return `${name}: no such file or directory`;
            case 'EACCES':
            case 'EPERM':
                return `${name}: permission denied`;
            case 'ELOOP':
                return `${name}: too many levels of symbolic links (a symlink loop?)`;
            case 'ENOTDIR':
                return `${name}: a part of the path is not a directory`;
            case 'EISDIR':
                return `${name} is a directory where a file was expected`;
            case 'EMFILE':
            case 'ENFILE':
                return `${name}: too many open files (raise the limit, e.g. \`ulimit -n 4096\`)`;
            case 'ENAMETOOLONG':
                return `${name}: the path is too long`;
            default:
                return `${name}: cannot read (${code ?? (error instanceof Error ? error.message : String(error))})`;
        }
    })();
    return new InputError(message, undefined, { cause: error });
}

async function readChromeTraceHere(path, sink, chunks = 'small') {
    regularFile(path);
    const head = readHead(path, 2);
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    const reader = new ChromeTraceReader(sink);
    const file = gzip ? createReadStream(path, { highWaterMark: 256 * 1024 }) : undefined;
    const gunzip = gzip ? zlib().createGunzip({ chunkSize: 256 * 1024 }) : undefined;
    const stream = file && gunzip ? file.pipe(gunzip) : readChunks(path, 0, chunks);
    let fileError;
    file?.on('error', (error) => {
        fileError = error;
        gunzip?.destroy(error);
    });
    let gzipCut = false;
    try {
        for await (const chunk of stream)
            reader.push(chunk);
    }
    catch (error) {
        if (fileError !== undefined)
            throw fsError(path, fileError);
        if (error instanceof ChromeTraceSyntaxError)
            throw syntaxError(path, error);
        const code = error.code;
        if (gzip && code === 'Z_BUF_ERROR') {
            gzipCut = true;
        }
        else if (gzip && typeof code === 'string' && code.startsWith('Z_')) {
            throw new InputError(`${quoted(path)} starts like gzip but is not a valid gzip file (${visible(clip(errorMessage(error), 200))}); give the trace as the profiler wrote it`, undefined, { cause: error });
        }
        else
            throw fsError(path, error);
    }
    finally {
        file?.destroy();
        gunzip?.destroy();
    }
    try {
        return { info: reader.finish(), gzipCut };
    }
    catch (error) {
        if (error instanceof ChromeTraceSyntaxError)
            throw syntaxError(path, error);
        throw error;
    }
}
function syntaxError(path, error) {
    return new InputError(`${quoted(path)} is not a Chrome trace nsys-bench can read: ${error.message}. ` +
        'It reads the JSON the PyTorch profiler (export_chrome_trace, tensorboard_trace_handler), ' +
        "Perfetto's JSON export and rpd2tracing write, plain or .gz.", undefined, { cause: error });
}

function ringSender(port, control, slots) {
    const read = new Int32Array(control);
    let sent = 0;
    return (batch) => {
        port.postMessage({ type: 'batch', batch });
        sent += 1;
        for (;;) {
            const done = Atomics.load(read, 0);
            if (sent - done < slots)
                break;
            Atomics.wait(read, 0, done, 1000);
        }
    };
}
function postError(port, error) {
    port.postMessage({
        type: 'error',
        known: error instanceof InputError,
        message: error instanceof InputError
            ? error.detail
            : error instanceof Error
                ? error.message
                : String(error),
        location: error instanceof InputError ? error.location : undefined,
        stack: error instanceof Error ? error.stack : undefined
    });
}

async function work(port, data) {
    const writer = new BatchWriter(new Float64Array(data.ring), ringSender(port, data.control, RING_SLOTS));
    try {
        const result = await readChromeTraceHere(data.path, writer.add, 'large');
        writer.flush();
        port.postMessage({ type: 'done', result });
    }
    catch (error) {
        postError(port, error);
    }
}
if (parentPort && workerData)
    await work(parentPort, workerData);
