import { parentPort, workerData } from 'node:worker_threads';
import { closeSync, openSync, constants, fstatSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';

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

const ARENA_WASM = 'AGFzbQEAAAABCAFgA39/fwF/AwMCAAAFBgEBgAKAAgcYAwZtZW1vcnkCAARzYW1lAAAEZmluZAABCtUCAp4BACACQRBJBEACQANAIAJFDQEgAC0AACABLQAARwRAQQAPCyAAQQFqIQAgAUEBaiEBIAJBAWshAgwACwtBAQ8LIAAgAmpBEGv9AAQAIAEgAmpBEGv9AAQA/VH9UwRAQQAPCwJAA0AgAkEQSQ0BIAD9AAQAIAH9AAQA/VH9UwRAQQAPCyAAQRBqIQAgAUEQaiEBIAJBEGshAgwACwtBAQuyAQIBfwF7IAL9DyEEAkADQCAAQcAAaiABSw0BIAD9AAQAIAT9IyAA/QAEECAE/SP9UCAA/QAEICAE/SMgAP0ABDAgBP0j/VD9UP1TDQEgAEHAAGohAAwACwsCQANAIABBEGogAUsNASAA/QAEACAE/SP9ZCEDIAMEQCAAIANoag8LIABBEGohAAwACwsCQANAIAAgAU8NASAALQAAIAJGBEAgAA8LIABBAWohAAwACwtBfws=';
let arena;
let arenaSame = () => 0;
let arenaFind = () => -1;
function arenaOffset(b) {
    if (b !== asked) {
        asked = b;
        askedOffset = arena !== undefined && b.buffer === arena ? b.byteOffset : -1;
    }
    return askedOffset;
}
let asked;
let askedOffset = -1;
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

const MAX_LINE_LENGTH = 4 * 1024 * 1024;
async function forEachLine(chunks, sink, options) {
    const max = options.maxLineLength ?? MAX_LINE_LENGTH;
    let lineNo = (options.firstLine ?? 1) - 1;
    const tooLongHere = () => tooLong(lineNo + 1, max, options.source);
    let pieces = [];
    let pending = 0;
    const emitText = (last, terminated) => {
        let line = pieces.length === 0 ? last : pieces.join('') + last;
        pieces = [];
        pending = 0;
        if (terminated && line.charCodeAt(line.length - 1) === 13)
            line = line.slice(0, -1);
        sink.text(line, ++lineNo, terminated);
    };
    const takeText = (text) => {
        let start = 0;
        let newline = text.indexOf('\n');
        while (newline >= 0) {
            if (pending + newline - start > max)
                tooLongHere();
            emitText(text.slice(start, newline), true);
            start = newline + 1;
            newline = text.indexOf('\n', start);
        }
        if (start < text.length) {
            pending += text.length - start;
            if (pending > max)
                tooLongHere();
            pieces.push(text.slice(start));
        }
    };
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    let carry = Buffer.alloc(0);
    let carried = 0;
    let cr = -1;
    let crFrom = Infinity;
    const hasCr = (bytes, start, stop) => {
        if (start < crFrom || (cr >= 0 && cr < start)) {
            cr = bytes.indexOf(13, start);
            crFrom = start;
        }
        return cr >= 0 && cr < stop;
    };
    const emitBytes = (bytes, start, end, terminated) => {
        let stop = end;
        if (terminated && stop > start && bytes[stop - 1] === 13)
            stop -= 1;
        lineNo += 1;
        if (terminated &&
            sink.bytes &&
            !hasCr(bytes, start, stop) &&
            sink.bytes(bytes, start, stop, lineNo))
            return;
        sink.text(decoder.decode(bytes.subarray(start, stop)), lineNo, terminated);
    };
    const keep = (bytes, start, end) => {
        const need = carried + end - start;
        if (need > max)
            tooLongHere();
        if (need > carry.length) {
            const grown = Buffer.allocUnsafe(Math.min(Math.max(need, 2 * carry.length, 4096), max));
            carry.copy(grown, 0, 0, carried);
            carry = grown;
        }
        carry.set(bytes.subarray(start, end), carried);
        carried = need;
    };
    const takeBytes = (bytes) => {
        crFrom = Infinity;
        const base = arenaOffset(bytes);
        const newlineFrom = (from) => {
            if (base < 0)
                return bytes.indexOf(10, from);
            const at = arenaFind(base + from, base + bytes.length, 10);
            return at < 0 ? -1 : at - base;
        };
        let start = 0;
        let newline = newlineFrom(0);
        if (carried > 0) {
            if (newline < 0) {
                keep(bytes, 0, bytes.length);
                return;
            }
            keep(bytes, 0, newline);
            crFrom = Infinity;
            emitBytes(carry, 0, carried, true);
            carried = 0;
            crFrom = Infinity;
            start = newline + 1;
            newline = newlineFrom(start);
        }
        while (newline >= 0) {
            if (newline - start > max)
                tooLongHere();
            emitBytes(bytes, start, newline, true);
            start = newline + 1;
            newline = newlineFrom(start);
        }
        if (start < bytes.length)
            keep(bytes, start, bytes.length);
    };
    for await (const chunk of chunks) {
        if (typeof chunk === 'string') {
            if (carried > 0) {
                pieces.push(decoder.decode(carry.subarray(0, carried)));
                pending += carried;
                carried = 0;
            }
            takeText(chunk);
        }
        else {
            if (pieces.length > 0) {
                const text = new TextEncoder().encode(pieces.join(''));
                pieces = [];
                pending = 0;
                keep(text, 0, text.length);
            }
            takeBytes(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
        }
    }
    if (carried > 0)
        emitBytes(carry, 0, carried, false);
    else if (pending > 0)
        emitText('', false);
    return lineNo;
}
function tooLong(lineNo, max, source) {
    throw new InputError(`line ${lineNo} is longer than ${max / (1024 * 1024)} MiB; nsys stats output has no such lines ` +
        '(is this a binary or a different kind of file?)', { file: source });
}

function mergeStat(a, b) {
    const instances = a.instances + b.instances;
    const total = a.total + b.total;
    const avg = instances > 0 ? total / instances : 0;
    const merged = {
        name: a.name,
        total,
        instances,
        avg,
        min: Math.min(a.min, b.min),
        max: Math.max(a.max, b.max)
    };
    const stdDev = pooledStdDev(a.instances, a.avg, a.stdDev, b, instances, avg);
    if (stdDev !== undefined)
        merged.stdDev = stdDev;
    if (a.occurrences !== undefined || b.occurrences !== undefined)
        merged.occurrences = (a.occurrences ?? a.instances) + (b.occurrences ?? b.instances);
    if (a.truncated || b.truncated)
        merged.truncated = true;
    if (a.sharedBy !== undefined || b.sharedBy !== undefined)
        merged.sharedBy = (a.sharedBy ?? 1) + (b.sharedBy ?? 1);
    return merged;
}
function pooledStdDev(aInstances, aAvg, aStdDev, b, instances, avg) {
    if (aStdDev === undefined || b.stdDev === undefined || instances <= 1)
        return undefined;
    const squares = Math.max(aInstances - 1, 0) * aStdDev ** 2 +
        Math.max(b.instances - 1, 0) * b.stdDev ** 2 +
        aInstances * (aAvg - avg) ** 2 +
        b.instances * (b.avg - avg) ** 2;
    return Math.sqrt(squares / (instances - 1));
}
function addRow(table, key, stat) {
    const existing = table.get(key);
    if (existing) {
        table.set(key, mergeStat(existing, stat));
        return;
    }
    const name = detach(stat.name);
    stat.name = name;
    table.set(key === name ? name : detach(key), stat);
}
function detach(text) {
    if (text.length < 13)
        return text;
    let copy = POOL.get(text);
    if (copy === undefined) {
        if (POOL.size >= POOL_LIMIT)
            POOL.clear();
        copy = (' ' + text).slice(1);
        POOL.set(copy, copy);
    }
    return copy;
}
const POOL = new Map();
const POOL_LIMIT = 1_000_000;
class StatAccumulator {
    count = 0;
    sum = 0;
    lo = Infinity;
    hi = -Infinity;
    mean = 0;
    m2 = 0;
    name;
    constructor(name) {
        this.name = detach(name);
    }
    add(value) {
        this.count += 1;
        this.sum += value;
        if (value < this.lo)
            this.lo = value;
        if (value > this.hi)
            this.hi = value;
        const delta = value - this.mean;
        this.mean += delta / this.count;
        this.m2 += delta * (value - this.mean);
    }
    toStat() {
        const stat = {
            name: this.name,
            total: this.sum,
            instances: this.count,
            avg: this.count > 0 ? this.sum / this.count : 0,
            min: this.count > 0 ? this.lo : 0,
            max: this.count > 0 ? this.hi : 0
        };
        if (this.count > 1)
            stat.stdDev = Math.sqrt(this.m2 / (this.count - 1));
        else if (this.count === 1)
            stat.stdDev = 0;
        return stat;
    }
}
function statProblem(stat, resolution, avgResolution = resolution) {
    const { total, instances, avg, min, max, med, stdDev } = stat;
    if (!(total <= Number.MAX_SAFE_INTEGER))
        return `the total ${fmt(total)} is not a measurement`;
    if (!(instances <= Number.MAX_SAFE_INTEGER))
        return `${fmt(instances)} instances is not a count`;
    if (!(max <= Number.MAX_SAFE_INTEGER))
        return `max ${fmt(max)} is not a measurement`;
    const slack = (a, b) => resolution + 1e-9 * (Math.abs(a) > Math.abs(b) ? Math.abs(a) : Math.abs(b));
    if (instances === 0) {
        if (total > 0)
            return `${fmt(total)} in total over 0 instances`;
        for (const [label, value] of [
            ['avg', avg],
            ['min', min],
            ['max', max],
            ['med', med],
            ['stdDev', stdDev]
        ])
            if (value !== undefined && Math.abs(value) > 0)
                return `${label} ${fmt(value)} over 0 instances`;
        return undefined;
    }
    if (above(min, avg, resolution))
        return `min ${fmt(min)} is above avg ${fmt(avg)}`;
    if (above(avg, max, resolution))
        return `avg ${fmt(avg)} is above max ${fmt(max)}`;
    if (med !== undefined && (above(min, med, resolution) || above(med, max, resolution)))
        return `med ${fmt(med)} is outside min ${fmt(min)} \u2026 max ${fmt(max)}`;
    if (above(max, total, resolution))
        return `max ${fmt(max)} is above the total ${fmt(total)}`;
    const product = avg * instances;
    if (Math.abs(product - total) > (instances * avgResolution) / 2 + slack(product, total))
        return `avg ${fmt(avg)} × ${instances} instances is ${fmt(product)}, not the total ${fmt(total)}`;
    if (stdDev !== undefined) {
        const range = instances > 1 ? max - min : 0;
        if (stdDev > range + slack(stdDev, range))
            return `stdDev ${fmt(stdDev)} is larger than the range ${fmt(range)} of ${instances} instance${instances === 1 ? '' : 's'}`;
    }
    return undefined;
}
function above(a, b, step) {
    const excess = a - b;
    return excess >= step && excess > 1e-9 * (Math.abs(a) > Math.abs(b) ? Math.abs(a) : Math.abs(b));
}
function fmt(value) {
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

const MEMCPY_KIND = {
    'Host-to-Device': 'HtoD',
    'Device-to-Host': 'DtoH',
    'Device-to-Device': 'DtoD',
    'Host-to-Host': 'HtoH',
    'Peer-to-Peer': 'PtoP',
    'Host-to-Array': 'HtoA',
    'Array-to-Host': 'AtoH',
    'Array-to-Array': 'AtoA',
    'Array-to-Device': 'AtoD',
    'Device-to-Array': 'DtoA'
};
function memoryOperationKey(name) {
    const text = name.trim();
    if (!text.startsWith('[CUDA '))
        return text;
    const uvmOld = /^\[CUDA Unified Memory memcpy (\w+)\]$/.exec(text);
    if (uvmOld?.[1])
        return `[CUDA memcpy Unified ${uvmOld[1]}]`;
    const memcpy = /^\[CUDA memcpy (Unified )?([A-Za-z-]+)\]$/.exec(text);
    if (memcpy?.[2]) {
        const kind = MEMCPY_KIND[memcpy[2]] ?? memcpy[2];
        return `[CUDA memcpy ${memcpy[1] ?? ''}${kind}]`;
    }
    return text;
}
function apiKey(name) {
    const text = name.trim();
    let end = text.length;
    for (;;) {
        let i = end;
        while (i > 0 && text.charCodeAt(i - 1) >= 48 && text.charCodeAt(i - 1) <= 57)
            i--;
        if (i === end || i < 3 || text[i - 1] !== 'v' || text[i - 2] !== '_')
            break;
        end = i - 2;
    }
    return end === text.length ? text : text.slice(0, end);
}
function nvtxKey(name) {
    const text = name.trim();
    return text.startsWith(':') ? text.slice(1) : text;
}
const NVTX_KERNEL_SEPARATOR = ' \u203a ';
function nvtxKernelKey(name, standalone = false) {
    const at = name.indexOf(NVTX_KERNEL_SEPARATOR);
    if (at < 0)
        return plainKey(name);
    const range = nvtxKey(name.slice(0, at));
    const kernel = kernelKey(name.slice(at + NVTX_KERNEL_SEPARATOR.length), standalone);
    return `${range}${NVTX_KERNEL_SEPARATOR}${kernel}`;
}
function plainKey(name) {
    return name.trim();
}
function kernelKey(name, standalone = false) {
    let key = KERNEL_KEYS.get(name);
    if (key === undefined) {
        key = normaliseKernelName(name);
        if (KERNEL_KEYS.size >= KERNEL_KEYS_LIMIT)
            KERNEL_KEYS.clear();
        if (standalone)
            KERNEL_KEYS.set(name, key);
        else {
            key = detach(key);
            KERNEL_KEYS.set(detach(name), key);
        }
    }
    return key;
}
function kernelShapeKey(name) {
    const at = name.lastIndexOf(' [grid ');
    return at < 0 ? kernelKey(name) : `${kernelKey(name.slice(0, at))}${name.slice(at)}`;
}
const KERNEL_KEYS = new Map();
const KERNEL_KEYS_LIMIT = 200_000;
const SPELLING = /[ <>*&(,]/;
const INTEGRAL_SPELLINGS = [
    [/\bunsigned long long int\b/g, 'unsigned long long'],
    [/\blong long int\b/g, 'long long'],
    [/\bunsigned long int\b/g, 'unsigned long'],
    [/\blong unsigned int\b/g, 'unsigned long'],
    [/\bunsigned short int\b/g, 'unsigned short'],
    [/\bshort unsigned int\b/g, 'unsigned short'],
    [/\bunsigned int\b/g, 'unsigned'],
    [/\blong int\b/g, 'long'],
    [/\bshort int\b/g, 'short'],
    [/\bsigned int\b/g, 'int']
];
const INTEGRAL_HINT = /\b(?:unsigned|signed|long|short) int\b/;
const INTEGRAL_TYPE = '(?:unsigned long long|long long|unsigned long|unsigned short|unsigned char|signed char|unsigned|long|short|char|int|bool|std::size_t|size_t)';
const CAST = new RegExp(`\\(${INTEGRAL_TYPE}\\)(-?\\d+)\\b`, 'g');
const LITERAL_SUFFIX = /(?<![\w.])(\d+)(?:ull|ul|ll|lu|llu|u|l)\b/gi;
const CAST_HINT = new RegExp(`\\(${INTEGRAL_TYPE}\\)-?\\d`);
const SUFFIX_HINT = /\d[ul]/i;
const NORMALISE_LIMIT = 64 * 1024;
const CODE_OBJECT_SUFFIX = /(?: \[clone \.kd\]|\.kd)$/;
function normaliseKernelName(name) {
    let text = name.trim();
    if (text.endsWith('.kd]') || text.endsWith('.kd'))
        text = text.replace(CODE_OBJECT_SUFFIX, '');
    if (!SPELLING.test(text) || text.length > NORMALISE_LIMIT)
        return text;
    if (/[^\S ]| {2}/.test(text))
        text = text.replace(/\s+/g, ' ');
    if (text.includes('<unnamed>'))
        text = text.replace(/<unnamed>/g, '(anonymous namespace)');
    while (text.includes('> >'))
        text = text.replace(/> >/g, '>>');
    if (/ [*&]|[*&] /.test(text))
        text = text.replace(/ ?([*&]) ?/g, '$1');
    if (/ ,|,(?! )/.test(text))
        text = text.replace(/ ?, ?/g, ', ');
    if (INTEGRAL_HINT.test(text))
        for (const [pattern, replacement] of INTEGRAL_SPELLINGS)
            text = text.replace(pattern, replacement);
    if (text.includes('(bool)'))
        text = text.replace(/\(bool\)1\b/g, 'true').replace(/\(bool\)0\b/g, 'false');
    if (CAST_HINT.test(text))
        text = text.replace(CAST, '$1');
    if (SUFFIX_HINT.test(text))
        text = text.replace(LITERAL_SUFFIX, '$1');
    return withTemplateArguments(westConst(text));
}
function withTemplateArguments(text) {
    if (!/\bT\d+\b/.test(text))
        return text;
    let angles = 0;
    let open = -1;
    let list = -1;
    let nest = 0;
    const cuts = [];
    for (let i = 0; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (ch === LT) {
            if (angles++ === 0) {
                list = i + 1;
                nest = 0;
                cuts.length = 0;
            }
            else
                nest++;
        }
        else if (ch === GT) {
            angles--;
            nest--;
        }
        else if (ch === LPAREN) {
            if (angles === 0) {
                if (text.startsWith('(anonymous namespace)', i)) {
                    i += 20;
                    continue;
                }
                open = i;
                break;
            }
            nest++;
        }
        else if (ch === RPAREN)
            nest--;
        else if (ch === COMMA && nest === 0 && list >= 0)
            cuts.push(i);
    }
    if (open < 0 || list < 0 || text.charCodeAt(open - 1) !== GT)
        return text;
    const args = [];
    let from = list;
    for (const cut of cuts) {
        args.push(text.slice(from, cut).trim());
        from = cut + 1;
    }
    args.push(text.slice(from, open - 1).trim());
    const params = text.slice(open).replace(/\bT(\d+)\b/g, (t, n) => args[Number(n) - 1] ?? t);
    return text.slice(0, open) + params;
}
const LT = 60;
const GT = 62;
const LPAREN = 40;
const RPAREN = 41;
const COMMA = 44;
const MAX_CONST_MOVES = 64;
const BUILTIN_WORDS = new Set(['unsigned', 'signed', 'long', 'short', 'char', 'int', 'double']);
function westConst(text) {
    if (!text.includes(' const'))
        return text;
    let out = text;
    let from = 0;
    const budget = { left: 8 * text.length + 4096 };
    let moves = 0;
    for (;;) {
        const at = out.indexOf(' const', from);
        if (at < 0)
            return out;
        const after = out.charAt(at + 6);
        from = at + 6;
        if (after !== '' && !'*&,>)'.includes(after))
            continue;
        const start = typeStart(out, at, budget);
        if (budget.left < 0)
            return out;
        if (start === undefined || start === at)
            continue;
        if (++moves > MAX_CONST_MOVES)
            return out;
        const type = out.slice(start, at);
        out = `${out.slice(0, start)}const ${type}${out.slice(at + 6)}`;
        from = start + 6 + type.length;
    }
}
function typeStart(text, end, budget) {
    let i = end;
    for (;;) {
        const from = i;
        while (i > 0 && /[\w:]/.test(text.charAt(i - 1)))
            i--;
        budget.left -= from - i;
        if (text.charAt(i - 1) !== '>')
            break;
        let depth = 0;
        let k = i - 1;
        for (; k >= 0; k--) {
            if (--budget.left < 0)
                return undefined;
            const ch = text.charAt(k);
            if (ch === '>')
                depth++;
            else if (ch === '<' && --depth === 0)
                break;
        }
        if (k <= 0)
            return undefined;
        i = k;
    }
    for (;;) {
        const word = /(\w+) $/.exec(text.slice(Math.max(0, i - 10), i));
        if (!word?.[1] || !BUILTIN_WORDS.has(word[1]))
            break;
        const current = text.slice(i, end).split(/[<:]/)[0] ?? '';
        if (!BUILTIN_WORDS.has(current.trim().split(' ')[0] ?? ''))
            break;
        i -= word[1].length + 1;
    }
    return /[A-Za-z_:]/.test(text.charAt(i)) ? i : undefined;
}
function codePointLength(text) {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c < 0xdc00 || c > 0xdfff)
            n += 1;
    }
    return n;
}

const TABLES = {
    kernels: {
        unit: 'ns',
        title: 'GPU kernels',
        item: 'Kernel',
        key: kernelKey,
        gate: true,
        gateTotal: true,
        measure: 'total'
    },
    categories: {
        unit: 'ns',
        title: 'GPU time by category',
        item: 'Category',
        key: plainKey,
        gate: false,
        gateTotal: false,
        derived: true,
        measure: 'total'
    },
    memTime: {
        unit: 'ns',
        title: 'GPU memory operations (time)',
        item: 'Operation',
        key: memoryOperationKey,
        gate: true,
        gateTotal: true,
        measure: 'total'
    },
    memSize: {
        unit: 'bytes',
        title: 'GPU memory operations (size)',
        item: 'Operation',
        key: memoryOperationKey,
        gate: false,
        gateTotal: false,
        measure: 'total'
    },
    cudaApi: {
        unit: 'ns',
        title: 'CUDA API calls',
        item: 'API call',
        key: apiKey,
        gate: false,
        gateTotal: false,
        measure: 'total'
    },
    hostApi: {
        unit: 'ns',
        title: 'Host API time by kind',
        item: 'Kind',
        key: plainKey,
        gate: false,
        gateTotal: false,
        derived: true,
        measure: 'total'
    },
    hostSyncs: {
        unit: 'calls',
        title: 'Host synchronisations (calls)',
        item: 'Synchronisation',
        key: plainKey,
        gate: true,
        gateTotal: false,
        minDelta: 4,
        optional: true,
        derived: true,
        measure: 'total'
    },
    nvtx: {
        unit: 'ns',
        title: 'NVTX ranges',
        item: 'Range',
        key: nvtxKey,
        gate: false,
        gateTotal: false,
        measure: 'total'
    },
    osrt: {
        unit: 'ns',
        title: 'OS runtime calls',
        item: 'Call',
        key: plainKey,
        gate: false,
        gateTotal: false,
        measure: 'total'
    },
    nvtxGpu: {
        unit: 'ns',
        title: 'NVTX ranges in GPU time',
        item: 'Range',
        key: nvtxKey,
        gate: false,
        gateTotal: false,
        measure: 'perOccurrence'
    },
    nvtxKernels: {
        unit: 'ns',
        title: 'Kernels per NVTX range',
        item: 'Range \u203a kernel',
        key: nvtxKernelKey,
        gate: false,
        gateTotal: false,
        measure: 'perOccurrence'
    },
    gpuBusy: {
        unit: 'ns',
        title: 'GPU busy time (union over streams)',
        item: 'GPU',
        key: plainKey,
        gate: false,
        gateTotal: true,
        optional: true,
        derived: true,
        measure: 'total'
    },
    gpuIdle: {
        unit: 'ns',
        title: 'GPU idle time (gaps between activities)',
        item: 'Gaps',
        key: plainKey,
        gate: false,
        gateTotal: true,
        optional: true,
        measure: 'total'
    },
    kernelShapes: {
        unit: 'ns',
        title: 'Kernels by launch shape',
        item: 'Kernel and shape',
        key: kernelShapeKey,
        gate: false,
        gateTotal: false,
        optional: true,
        measure: 'total'
    }
};
const TABLE_NAMES = Object.keys(TABLES);
function canonicalKey(table, name, standalone = false) {
    return TABLES[table].key(name, standalone);
}

class PackedTable {
    rowOfId = new Int32Array(0);
    live = 0;
    keyAt = [];
    nameAt = [];
    blocks = [];
    rare = new Map();
    rows = 0;
    get size() {
        return this.live;
    }
    get [Symbol.toStringTag]() {
        return 'Map';
    }
    has(key) {
        return this.rowOf(key) >= 0;
    }
    get(key) {
        const row = this.rowOf(key);
        return row < 0 ? undefined : this.statAt(row);
    }
    getById(id) {
        const row = id < this.rowOfId.length ? this.rowOfId[id] - 1 : -1;
        return row < 0 ? undefined : this.statAt(row);
    }
    rowOf(key) {
        const id = KEY_IDS.get(key);
        return id === undefined || id >= this.rowOfId.length ? -1 : this.rowOfId[id] - 1;
    }
    set(key, stat) {
        const row = this.rowOf(key);
        if (row < 0)
            this.add(key, stat);
        else {
            this.nameAt[row] = stat.name;
            this.write(row, stat);
        }
        return this;
    }
    add(key, stat, id = idOf(key)) {
        this.append(id, key, stat);
    }
    merge(key, stat, id = idOf(key)) {
        const row = id < this.rowOfId.length ? this.rowOfId[id] - 1 : -1;
        if (row < 0) {
            this.append(id, key, stat);
            return;
        }
        const merged = mergeStat(this.statAt(row), stat);
        this.nameAt[row] = merged.name;
        this.write(row, merged);
    }
    append(id, key, stat) {
        const row = this.rows++;
        const b = row >> BLOCK_BITS;
        const at = (row & (BLOCK$1 - 1)) * COLUMNS;
        if (b === this.blocks.length)
            this.blocks.push(new Float64Array((b === 0 ? 8 : BLOCK$1) * COLUMNS));
        else if (at >= this.blocks[b].length) {
            const grown = new Float64Array(Math.min(BLOCK$1 * COLUMNS, this.blocks[b].length * 2));
            grown.set(this.blocks[b]);
            this.blocks[b] = grown;
        }
        if (id >= this.rowOfId.length) {
            const grown = new Int32Array(Math.max(1024, id * 2));
            grown.set(this.rowOfId);
            this.rowOfId = grown;
        }
        this.rowOfId[id] = row + 1;
        this.live += 1;
        this.keyAt.push(key);
        this.nameAt.push(stat.name);
        this.write(row, stat);
    }
    write(row, stat) {
        const n = this.blocks[row >> BLOCK_BITS];
        const at = (row & (BLOCK$1 - 1)) * COLUMNS;
        n[at + TOTAL] = stat.total;
        n[at + INSTANCES] = stat.instances;
        n[at + AVG] = stat.avg;
        n[at + MIN] = stat.min;
        n[at + MAX] = stat.max;
        n[at + MED] = stat.med ?? NaN;
        n[at + STD_DEV] = stat.stdDev ?? NaN;
        if (stat.occurrences !== undefined ||
            stat.truncated !== undefined ||
            stat.sharedBy !== undefined) {
            const rare = {};
            if (stat.occurrences !== undefined)
                rare.occurrences = stat.occurrences;
            if (stat.truncated !== undefined)
                rare.truncated = stat.truncated;
            if (stat.sharedBy !== undefined)
                rare.sharedBy = stat.sharedBy;
            this.rare.set(row, rare);
        }
        else
            this.rare.delete(row);
    }
    delete(key) {
        const row = this.rowOf(key);
        if (row < 0)
            return false;
        this.rowOfId[KEY_IDS.get(key)] = 0;
        this.keyAt[row] = undefined;
        this.live -= 1;
        return true;
    }
    clear() {
        this.rowOfId = new Int32Array(0);
        this.live = 0;
        this.keyAt = [];
        this.nameAt = [];
        this.blocks = [];
        this.rare = new Map();
        this.rows = 0;
    }
    forEach(callback, thisArg) {
        for (const [key, stat] of this)
            callback.call(thisArg, stat, key, this);
    }
    *entries() {
        for (let row = 0; row < this.rows; row++) {
            const key = this.keyAt[row];
            if (key !== undefined)
                yield [key, this.statAt(row)];
        }
    }
    *keys() {
        for (let row = 0; row < this.rows; row++) {
            const key = this.keyAt[row];
            if (key !== undefined)
                yield key;
        }
    }
    *values() {
        for (let row = 0; row < this.rows; row++) {
            if (this.keyAt[row] !== undefined)
                yield this.statAt(row);
        }
    }
    [Symbol.iterator]() {
        return this.entries();
    }
    scan(visit) {
        const stat = scratchStat();
        for (let row = 0; row < this.rows; row++) {
            const key = this.keyAt[row];
            if (key === undefined)
                continue;
            const n = this.blocks[row >> BLOCK_BITS];
            const at = (row & (BLOCK$1 - 1)) * COLUMNS;
            const med = n[at + MED];
            const stdDev = n[at + STD_DEV];
            stat.name = this.nameAt[row] ?? '';
            stat.total = n[at + TOTAL];
            stat.instances = n[at + INSTANCES];
            stat.avg = n[at + AVG];
            stat.min = n[at + MIN];
            stat.max = n[at + MAX];
            stat.med = med === med ? med : undefined;
            stat.stdDev = stdDev === stdDev ? stdDev : undefined;
            const rare = this.rare.size > 0 ? this.rare.get(row) : undefined;
            stat.occurrences = rare?.occurrences;
            stat.truncated = rare?.truncated;
            stat.sharedBy = rare?.sharedBy;
            visit(key, stat);
        }
    }
    statAt(row) {
        const n = this.blocks[row >> BLOCK_BITS];
        const at = (row & (BLOCK$1 - 1)) * COLUMNS;
        const name = this.nameAt[row] ?? '';
        const total = n[at + TOTAL];
        const instances = n[at + INSTANCES];
        const avg = n[at + AVG];
        const min = n[at + MIN];
        const max = n[at + MAX];
        const med = n[at + MED];
        const stdDev = n[at + STD_DEV];
        let stat;
        if (med === med && stdDev === stdDev)
            stat = { name, total, instances, avg, min, max, med, stdDev };
        else {
            stat = { name, total, instances, avg, min, max };
            if (med === med)
                stat.med = med;
            if (stdDev === stdDev)
                stat.stdDev = stdDev;
        }
        const rare = this.rare.size > 0 ? this.rare.get(row) : undefined;
        if (rare) {
            if (rare.occurrences !== undefined)
                stat.occurrences = rare.occurrences;
            if (rare.truncated !== undefined)
                stat.truncated = rare.truncated;
            if (rare.sharedBy !== undefined)
                stat.sharedBy = rare.sharedBy;
        }
        return stat;
    }
}
const KEY_IDS = new Map();
function scratchStat() {
    return {
        name: '',
        total: 0,
        instances: 0,
        avg: 0,
        min: 0,
        max: 0,
        med: undefined,
        stdDev: undefined,
        occurrences: undefined,
        truncated: undefined,
        sharedBy: undefined
    };
}
function keyIn(memo, slot) {
    return memo.slot === slot ? memo.key : memo.others?.[slot];
}
function keepKey(memo, slot, key) {
    if (memo.slot < 0) {
        memo.slot = slot;
        memo.key = key;
    }
    else
        (memo.others ??= [])[slot] = key;
    return key;
}
function keyIdIn(memo, slot, key) {
    if (memo.slot !== slot)
        return idOf(key);
    if (memo.id < 0)
        memo.id = idOf(key);
    return memo.id;
}
function idOf(key) {
    let id = KEY_IDS.get(key);
    if (id === undefined) {
        id = KEY_IDS.size;
        KEY_IDS.set(key, id);
    }
    return id;
}
const TOTAL = 0;
const INSTANCES = 1;
const AVG = 2;
const MIN = 3;
const MAX = 4;
const MED = 5;
const STD_DEV = 6;
const COLUMNS = 7;
const BLOCK_BITS = 10;
const BLOCK$1 = 1 << BLOCK_BITS;

const TIME_FACTORS = {
    ns: 1,
    us: 1e3,
    µs: 1e3,
    ms: 1e6,
    s: 1e9,
    sec: 1e9,
    nanoseconds: 1
};
const SIZE_FACTORS = {
    B: 1,
    KB: 1e3,
    KiB: 1024,
    MB: 1e6,
    MiB: 1024 ** 2,
    GB: 1e9,
    GiB: 1024 ** 3
};
const TIME_STEP = {
    ns: 1,
    us: 1,
    µs: 1,
    ms: 100,
    s: 1e5,
    sec: 1e5,
    nanoseconds: 1
};
function timeStep(unit) {
    return unit === undefined ? 1 : (TIME_STEP[unit] ?? 1);
}
function sizeStep(unit) {
    const factor = sizeFactor(unit) ?? 1;
    return unit === 'KiB' ? factor : Math.max(1, factor / 1000);
}
function timeFactor(unit) {
    return unit === undefined ? 1 : TIME_FACTORS[unit];
}
function sizeFactor(unit) {
    return unit === undefined ? undefined : SIZE_FACTORS[unit];
}

class ByteNames {
    slots = new Int32Array(1 << 12).fill(-1);
    hashes = [];
    block = Buffer.alloc(0);
    used = 0;
    blockOf = [];
    starts = [];
    lengths = [];
    values = [];
    held = 0;
    seed = (Math.random() * 0x7fffffff) | 0;
    get(bytes, start, end) {
        return this.find(bytes, start, end, hashBytes(bytes, start, end, this.seed));
    }
    getHashed(bytes, start, end, hash) {
        return this.find(bytes, start, end, hash);
    }
    find(bytes, start, end, hash) {
        const mask = this.slots.length - 1;
        const length = end - start;
        let slot = hash & mask;
        for (let probes = 0; probes < MAX_PROBES; probes++) {
            const id = this.slots[slot];
            if (id < 0)
                return this.add(bytes, start, end, hash, slot);
            if (this.hashes[id] === hash && this.lengths[id] === length) {
                const from = this.starts[id];
                if (sameBytes(this.blockOf[id], from, bytes, start, length))
                    return this.values[id];
            }
            slot = (slot + 1) & mask;
        }
        return undefined;
    }
    add(bytes, start, end, hash, slot) {
        if (this.values.length >= MAX_NAMES$1 || this.held + end - start > MAX_BYTES) {
            this.clear();
            return this.find(bytes, start, end, hash);
        }
        const id = this.values.length;
        const length = end - start;
        if (this.used + length > this.block.length) {
            this.block = Buffer.allocUnsafeSlow(Math.max(BLOCK, length));
            this.used = 0;
        }
        bytes.copy(this.block, this.used, start, end);
        this.blockOf.push(this.block);
        this.starts.push(this.used);
        this.lengths.push(length);
        this.used += length;
        this.values.push({
            text: bytes.toString('utf8', start, end),
            slot: -1,
            key: undefined,
            id: -1,
            others: undefined
        });
        this.hashes.push(hash);
        this.held += length;
        this.slots[slot] = id;
        if (2 * this.values.length > this.slots.length)
            this.grow();
        return this.values[id];
    }
    grow() {
        const slots = new Int32Array(this.slots.length * 2).fill(-1);
        const mask = slots.length - 1;
        this.hashes.forEach((hash, id) => {
            let slot = hash & mask;
            while (slots[slot] >= 0)
                slot = (slot + 1) & mask;
            slots[slot] = id;
        });
        this.slots = slots;
    }
    clear() {
        this.slots = new Int32Array(1 << 12).fill(-1);
        this.hashes = [];
        this.block = Buffer.alloc(0);
        this.used = 0;
        this.blockOf = [];
        this.starts = [];
        this.lengths = [];
        this.values = [];
        this.held = 0;
    }
}
function hashBytes(bytes, start, end, seed) {
    const view = dataView(bytes);
    let a = seed ^ 0x9e3779b9;
    let b = seed ^ 0x7f4a7c15;
    let i = start;
    for (; i + 8 <= end; i += 8) {
        a = Math.imul(a ^ view.getInt32(i, true), 0xcc9e2d51);
        a = (a << 15) | (a >>> 17);
        b = Math.imul(b ^ view.getInt32(i + 4, true), 0x1b873593);
        b = (b << 13) | (b >>> 19);
    }
    for (; i < end; i++)
        a = Math.imul(a ^ bytes[i], 0xcc9e2d51);
    return finishHash(a, b, end - start);
}
function finishHash(a, b, length) {
    let h = a ^ ((b << 16) | (b >>> 16)) ^ length;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
}
function sameBytes(a, aStart, b, bStart, length) {
    if (length > 64)
        return a.compare(b, bStart, bStart + length, aStart, aStart + length) === 0;
    for (let k = 0; k < length; k++)
        if (a[aStart + k] !== b[bStart + k])
            return false;
    return true;
}
class ByteKey {
    bytes;
    words;
    length;
    constructor(from, start, end) {
        this.bytes = Buffer.copyBytesFrom(from, start, end - start);
        this.length = end - start;
        const length = end - start;
        this.words = new Int32Array(length <= 64 ? length >> 2 : 0);
        const view = dataView(from);
        for (let k = 0; k < this.words.length; k++)
            this.words[k] = view.getInt32(start + 4 * k, true);
    }
    equals(b, start, end) {
        const length = this.bytes.length;
        if (end - start !== length)
            return false;
        if (length > 64)
            return this.bytes.compare(b, start, end) === 0;
        const words = this.words;
        const view = dataView(b);
        for (let k = 0; k < words.length; k++)
            if (view.getInt32(start + 4 * k, true) !== words[k])
                return false;
        for (let k = words.length * 4; k < length; k++)
            if (b[start + k] !== this.bytes[k])
                return false;
        return true;
    }
}
function dataView(bytes) {
    if (bytes !== viewed) {
        viewed = bytes;
        view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return view;
}
let viewed;
let view = new DataView(new ArrayBuffer(0));
const MAX_PROBES = 32;
const MAX_NAMES$1 = 1 << 20;
const BLOCK = 1024 * 1024;
const MAX_BYTES = 256 * 1024 * 1024;
const SHARED_NAMES = new ByteNames();

const GAP_LIMITS = [10_000, 100_000, 1_000_000];
const GAP_CLASSES = ['under 10 µs', '10\u2013100 µs', '100 µs\u20131 ms', 'over 1 ms'];
const TOP_GAPS = 10;
const REORDER = 1 << 14;
class DeviceIdle {
    device;
    started = false;
    windowStart = 0;
    curStart = 0;
    curEnd = 0;
    lastName = '';
    lastStream;
    lastStartSeen = -Infinity;
    busy = 0;
    activities = 0;
    late = 0;
    classes = GAP_CLASSES.map(() => ({
        count: 0,
        total: 0,
        min: Infinity,
        max: 0
    }));
    top = [];
    buffer;
    constructor(device, ordered = false) {
        this.device = device;
        if (!ordered)
            this.buffer = new ReorderBuffer();
    }
    add(start, duration, name, stream) {
        this.activities += 1;
        if (!(duration > 0))
            return;
        let b = this.buffer;
        if (b === undefined) {
            if (start >= this.lastStartSeen) {
                this.lastStartSeen = start;
                this.sweep(start, start + duration, name, stream);
                return;
            }
            b = this.buffer = new ReorderBuffer();
        }
        b.insert(start, start + duration, name, stream ?? -1);
        if (b.size === REORDER)
            this.drain(REORDER >>> 1);
    }
    drain(count) {
        const b = this.buffer;
        if (!b)
            return;
        b.sort();
        for (let i = 0; i < count; i++) {
            const s = b.starts[i];
            const e = b.ends[i];
            const stream = b.streams[i];
            if (s < this.lastStartSeen) {
                if (s < this.curStart)
                    this.late += 1;
                if (e > this.curEnd) {
                    this.curEnd = e;
                    this.lastName = b.names[i];
                    this.lastStream = stream < 0 ? undefined : stream;
                }
                continue;
            }
            this.lastStartSeen = s;
            this.sweep(s, e, b.names[i], stream < 0 ? undefined : stream);
        }
        b.shift(count);
    }
    sweep(start, end, name, stream) {
        if (!this.started) {
            this.started = true;
            this.windowStart = start;
            this.curStart = start;
            this.curEnd = end;
            this.lastName = name;
            this.lastStream = stream;
            return;
        }
        if (start > this.curEnd) {
            this.gap(this.curEnd, start - this.curEnd, name, stream);
            this.busy += this.curEnd - this.curStart;
            this.curStart = start;
            this.curEnd = end;
            this.lastName = name;
            this.lastStream = stream;
        }
        else if (end > this.curEnd) {
            this.curEnd = end;
            this.lastName = name;
            this.lastStream = stream;
        }
    }
    gap(start, duration, name, stream) {
        let c = 0;
        while (c < GAP_LIMITS.length && duration > GAP_LIMITS[c])
            c += 1;
        const cls = this.classes[c];
        cls.count += 1;
        cls.total += duration;
        if (duration < cls.min)
            cls.min = duration;
        if (duration > cls.max)
            cls.max = duration;
        const top = this.top;
        if (top.length === TOP_GAPS && duration <= top[top.length - 1].duration)
            return;
        const entry = {
            start,
            duration,
            before: activity(this.lastName, this.lastStream),
            after: activity(name, stream)
        };
        let i = top.length;
        while (i > 0 && top[i - 1].duration < duration)
            i -= 1;
        top.splice(i, 0, entry);
        if (top.length > TOP_GAPS)
            top.pop();
    }
    finish() {
        if (this.buffer)
            this.drain(this.buffer.size);
        const busy = this.started ? this.busy + (this.curEnd - this.curStart) : 0;
        const window = this.started ? this.curEnd - this.windowStart : 0;
        const out = {
            device: this.device,
            window,
            busy,
            idle: window - busy,
            activities: this.activities,
            gaps: this.classes.map((c) => ({
                count: c.count,
                total: c.total,
                min: c.count > 0 ? c.min : 0,
                max: c.max
            })),
            top: this.top,
            late: this.late
        };
        if (this.started)
            out.start = this.windowStart;
        return out;
    }
}
function activity(name, stream) {
    return stream === undefined ? { name } : { name, stream };
}
function gapRowName(device, cls) {
    return `GPU ${device}: gaps ${GAP_CLASSES[cls]}`;
}
function idleRows(timeline) {
    return timeline.gaps.map((g, cls) => {
        const name = gapRowName(timeline.device, cls);
        return [
            name,
            {
                name,
                total: g.total,
                instances: g.count,
                avg: g.count > 0 ? g.total / g.count : 0,
                min: g.min,
                max: g.max
            }
        ];
    });
}
const MAX_SHIFT = 64;
class ReorderBuffer {
    starts = new Float64Array(REORDER);
    ends = new Float64Array(REORDER);
    names = new Array(REORDER).fill('');
    streams = new Float64Array(REORDER);
    size = 0;
    unsorted = false;
    insert(start, end, name, stream) {
        let i = this.size;
        const { starts, ends, names, streams } = this;
        const stop = this.unsorted ? i : Math.max(0, i - MAX_SHIFT);
        while (i > stop && starts[i - 1] > start) {
            starts[i] = starts[i - 1];
            ends[i] = ends[i - 1];
            names[i] = names[i - 1];
            streams[i] = streams[i - 1];
            i -= 1;
        }
        if (i > 0 && starts[i - 1] > start)
            this.unsorted = true;
        starts[i] = start;
        ends[i] = end;
        names[i] = name;
        streams[i] = stream;
        this.size += 1;
    }
    sort() {
        if (!this.unsorted)
            return;
        this.unsorted = false;
        const { starts, ends, names, streams, size } = this;
        const order = Array.from({ length: size }, (_, k) => k);
        order.sort((a, b) => starts[a] - starts[b] || ends[a] - ends[b]);
        const s = new Float64Array(REORDER);
        const e = new Float64Array(REORDER);
        const t = new Float64Array(REORDER);
        const n = new Array(REORDER).fill('');
        for (let k = 0; k < size; k++) {
            const from = order[k];
            s[k] = starts[from];
            e[k] = ends[from];
            t[k] = streams[from];
            n[k] = names[from];
        }
        this.starts = s;
        this.ends = e;
        this.streams = t;
        this.names = n;
    }
    shift(count) {
        const { starts, ends, names, streams } = this;
        starts.copyWithin(0, count, this.size);
        ends.copyWithin(0, count, this.size);
        streams.copyWithin(0, count, this.size);
        for (let i = count; i < this.size; i++)
            names[i - count] = names[i];
        this.size -= count;
    }
}

const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
const MAX_INDEX = 64 * SUB;
function bucketOf(value) {
    if (value < SUB)
        return value;
    if (value < 2 ** 32) {
        const e = 31 - Math.clz32(value);
        return ((e - SUB_BITS + 1) << SUB_BITS) + (value >>> (e - SUB_BITS)) - SUB;
    }
    const e = Math.min(Math.floor(Math.log2(value)), 63);
    const m = Math.floor(value / 2 ** (e - SUB_BITS)) - SUB;
    return (e - SUB_BITS + 1) * SUB + m;
}
function bucketBounds(index) {
    if (index < SUB)
        return [index, index + 1];
    const octave = Math.floor(index / SUB) - 1;
    const m = index % SUB;
    const width = 2 ** octave;
    const lo = (SUB + m) * width;
    return [lo, lo + width];
}
function bucketValue(index) {
    if (index < SUB)
        return index;
    const [lo, hi] = bucketBounds(index);
    return (lo + hi - 1) / 2;
}
class DurationSketch {
    octaves = [];
    count = 0;
    add(duration) {
        const value = duration < 0 ? 0 : Math.round(duration);
        const index = Math.min(bucketOf(value), MAX_INDEX - 1);
        const o = index >>> SUB_BITS;
        let octave = o < this.octaves.length ? this.octaves[o] : null;
        if (octave === null)
            octave = this.octave(o);
        octave[index & (SUB - 1)] += 1;
        this.count += 1;
    }
    octave(o) {
        while (this.octaves.length <= o)
            this.octaves.push(null);
        const octave = new Float64Array(SUB);
        this.octaves[o] = octave;
        return octave;
    }
    addBucket(index, count) {
        if (count <= 0)
            return;
        const o = index >>> SUB_BITS;
        const octave = (o < this.octaves.length ? this.octaves[o] : null) ?? this.octave(o);
        octave[index & (SUB - 1)] += count;
        this.count += count;
    }
    merge(other) {
        other.forEachBucket((index, count) => this.addBucket(index, count));
    }
    forEachBucket(visit) {
        for (let o = 0; o < this.octaves.length; o++) {
            const octave = this.octaves[o];
            if (!octave)
                continue;
            for (let i = 0; i < SUB; i++)
                if (octave[i] > 0 && visit(o * SUB + i, octave[i]))
                    return;
        }
    }
    quantile(q) {
        return this.quantiles([q])[0];
    }
    quantiles(qs) {
        const out = qs.map(() => NaN);
        if (this.count === 0)
            return out;
        const ranks = qs.map((q) => Math.max(1, Math.ceil(q * this.count)));
        let k = 0;
        let seen = 0;
        this.forEachBucket((index, count) => {
            seen += count;
            while (k < ranks.length && seen >= ranks[k])
                out[k++] = bucketValue(index);
            return k === ranks.length;
        });
        return out;
    }
    toArray() {
        const out = [];
        this.forEachBucket((index, count) => {
            out.push(index, count);
        });
        return out;
    }
    static fromArray(values) {
        const sketch = new DurationSketch();
        for (let i = 0; i + 1 < values.length; i += 2)
            sketch.addBucket(values[i], values[i + 1]);
        return sketch;
    }
}

const ORDER_LIMITS = { kernel: 1024, total: 65_536 };
const NO_DIMS = [NaN, NaN, NaN];
class TimelineAnalysis {
    ordered;
    devices = new Map();
    kernels = new Map();
    byId = [];
    orderDuration;
    orderKernel = new Int32Array(0);
    orderLength = 0;
    lastDevice;
    lastDeviceId = NaN;
    constructor(ordered = false) {
        this.ordered = ordered;
    }
    add = (event) => {
        const kind = event.kind;
        if (kind !== 'kernel' && kind !== 'memcpy' && kind !== 'memset')
            return;
        const deviceId = event.device ?? 0;
        let device = this.lastDevice;
        if (deviceId !== this.lastDeviceId || device === undefined) {
            device = this.devices.get(deviceId);
            if (!device) {
                device = new DeviceIdle(deviceId, this.ordered);
                this.devices.set(deviceId, device);
            }
            this.lastDevice = device;
            this.lastDeviceId = deviceId;
        }
        device.add(event.start, event.duration, event.name, event.stream);
        if (kind !== 'kernel')
            return;
        const id = event.id;
        let state = id === undefined ? this.kernels.get(event.name) : this.byId[id];
        if (!state) {
            state = this.kernels.get(event.name);
            if (!state) {
                state = {
                    sketch: new DurationSketch(),
                    shapes: [],
                    last: undefined,
                    index: this.kernels.size,
                    inOrder: 0,
                    orderLost: false
                };
                this.kernels.set(event.name, state);
            }
            if (id !== undefined) {
                while (this.byId.length < id)
                    this.byId.push(undefined);
                this.byId[id] = state;
            }
        }
        state.sketch.add(event.duration);
        if (!state.orderLost) {
            if (state.inOrder >= ORDER_LIMITS.kernel || this.orderLength >= ORDER_LIMITS.total)
                state.orderLost = true;
            else {
                if (this.orderDuration === undefined) {
                    this.orderDuration = new Float64Array(ORDER_LIMITS.total);
                    this.orderKernel = new Int32Array(ORDER_LIMITS.total);
                }
                this.orderDuration[this.orderLength] = event.duration;
                this.orderKernel[this.orderLength++] = state.index;
                state.inOrder += 1;
            }
        }
        const grid = event.grid ?? NO_DIMS;
        const block = event.block ?? NO_DIMS;
        let shape = state.last;
        if (shape === undefined || !sameDims(shape.dims, grid, block)) {
            shape = shapeOf(state.shapes, grid, block);
            if (!shape) {
                shape = {
                    dims: Float64Array.of(grid[0], grid[1], grid[2], block[0], block[1], block[2]),
                    acc: new StatAccumulator(event.name)
                };
                state.shapes.push(shape);
            }
            state.last = shape;
        }
        shape.acc.add(event.duration);
    };
    orders() {
        const out = [];
        const filled = [];
        for (const state of this.kernels.values())
            if (!state.orderLost && state.inOrder > 0) {
                out[state.index] = new Float64Array(state.inOrder);
                filled[state.index] = 0;
            }
        const durations = this.orderDuration;
        if (!durations)
            return out;
        for (let i = 0; i < this.orderLength; i++) {
            const k = this.orderKernel[i];
            const order = out[k];
            if (order)
                order[filled[k]++] = durations[i];
        }
        return out;
    }
    finish(deviceOf) {
        const gpuIdle = new Map();
        const devices = [...this.devices.values()]
            .map((d) => {
            const timeline = d.finish();
            if (deviceOf) {
                const { device, rank } = deviceOf(timeline.device);
                timeline.device = device;
                if (rank !== undefined)
                    timeline.rank = rank;
            }
            return timeline;
        })
            .sort((a, b) => a.device - b.device);
        for (const device of devices)
            for (const [name, stat] of idleRows(device))
                gpuIdle.set(canonicalKey('gpuIdle', name), stat);
        const launches = new Map();
        const kernelShapes = new Map();
        const shapesByKey = new Map();
        const orders = this.orders();
        for (const [name, state] of this.kernels) {
            const key = canonicalKey('kernels', name);
            const entry = launches.get(key);
            if (entry) {
                entry.sketch.merge(state.sketch);
                delete entry.order;
            }
            else {
                const added = { name, sketch: state.sketch };
                const order = orders[state.index];
                if (order)
                    added.order = order;
                launches.set(key, added);
            }
            let shapes = shapesByKey.get(key);
            if (!shapes) {
                shapes = new Map();
                shapesByKey.set(key, shapes);
            }
            for (const shape of state.shapes) {
                const label = shapeLabel(shape.dims);
                const stat = shape.acc.toStat();
                const existing = shapes.get(label);
                if (existing)
                    addRow(shapes, label, stat);
                else
                    shapes.set(label, stat);
            }
        }
        for (const [key, shapes] of shapesByKey) {
            if (shapes.size < 2)
                continue;
            const name = launches.get(key)?.name ?? key;
            for (const [label, stat] of shapes) {
                const rowName = `${name} ${label}`;
                stat.name = rowName;
                addRow(kernelShapes, canonicalKey('kernelShapes', rowName), stat);
            }
        }
        return { gpuIdle, kernelShapes, timeline: { devices }, launches };
    }
}
function shapeOf(shapes, grid, block) {
    for (const shape of shapes)
        if (sameDims(shape.dims, grid, block))
            return shape;
    return undefined;
}
function sameDims(dims, grid, block) {
    return (same(dims[0], grid[0]) &&
        same(dims[1], grid[1]) &&
        same(dims[2], grid[2]) &&
        same(dims[3], block[0]) &&
        same(dims[4], block[1]) &&
        same(dims[5], block[2]));
}
function same(a, b) {
    return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
function shapeLabel(dims) {
    const d = (i) => (Number.isNaN(dims[i]) ? '?' : String(dims[i]));
    return `[grid ${d(0)}×${d(1)}×${d(2)}, block ${d(3)}×${d(4)}×${d(5)}]`;
}

const MISSING = null;
const PLAIN = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
const DECIMAL_COMMA = /^-?\d+,\d+$/;
function parseCsvNumber(text) {
    const scanned = scanDecimal(text);
    if (scanned !== undefined)
        return scanned;
    const cell = text.trim();
    if (cell === '' || cell === 'None')
        return MISSING;
    if (PLAIN.test(cell))
        return Number(cell);
    if (DECIMAL_COMMA.test(cell))
        return Number(cell.replace(',', '.'));
    return undefined;
}
const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);
function scanDecimal(text) {
    const length = text.length;
    if (length === 0 || length > 16)
        return undefined;
    let i = 0;
    const negative = text.charCodeAt(0) === 45;
    if (negative)
        i = 1;
    let digits = 0;
    let count = 0;
    let point = -1;
    for (; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 48 && c <= 57) {
            digits = digits * 10 + (c - 48);
            count += 1;
        }
        else if (c === 46 && point < 0 && count > 0)
            point = i;
        else
            return undefined;
    }
    if (count === 0 || count > 15 || point === length - 1)
        return undefined;
    const value = point < 0 ? digits : digits / POWERS[length - 1 - point];
    return negative ? -value : value;
}
function styleFromFraction(text) {
    const last = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
    if (last < 0)
        return undefined;
    return text[last] === '.' ? { decimal: '.', group: ',' } : { decimal: ',', group: '.' };
}
function styleFromGroups(text) {
    if (text.includes(','))
        return { decimal: '.', group: ',' };
    if (text.includes('.'))
        return { decimal: ',', group: '.' };
    return undefined;
}
const STYLE_CACHE = new Map();
function styledParser(style) {
    const key = style.decimal + style.group;
    let parser = STYLE_CACHE.get(key);
    if (!parser) {
        const g = style.group === ',' ? ',' : '\\.';
        const d = style.decimal === '.' ? '\\.' : ',';
        const pattern = new RegExp(`^(-?)(\\d{1,3}(?:${g}\\d{3})+|\\d+)(?:${d}(\\d+))?$`);
        const group = style.group;
        parser = (text) => {
            const match = pattern.exec(text);
            if (!match)
                return undefined;
            const [, sign, whole = '', fraction] = match;
            const digits = whole.includes(group) ? whole.split(group).join('') : whole;
            return Number(`${sign}${digits}${fraction === undefined ? '' : `.${fraction}`}`);
        };
        STYLE_CACHE.set(key, parser);
    }
    return parser;
}

const FAMILY_TABLES = {
    kernels: ['kernels'],
    kernelsByGrid: ['kernels'],
    gpuSum: ['kernels', 'memTime'],
    gpuTrace: ['kernels', 'memTime', 'memSize', 'gpuIdle', 'kernelShapes'],
    cudaApi: ['cudaApi'],
    memTime: ['memTime'],
    memSize: ['memSize'],
    nvtx: ['nvtx'],
    osrt: ['osrt'],
    nvtxGpuSum: ['nvtxGpu'],
    nvtxGpuTrace: ['nvtxGpu'],
    nvtxKern: ['nvtxKernels']
};
const USED = [
    { id: 'cuda_gpu_kern_sum', family: 'kernels', priority: 4 },
    { id: 'cuda_gpu_kern_gb_sum', family: 'kernelsByGrid', priority: 3 },
    { id: 'cuda_gpu_sum', family: 'gpuSum', priority: 2 },
    { id: 'cuda_gpu_trace', family: 'gpuTrace', priority: 1 },
    { id: 'cuda_api_sum', family: 'cudaApi', priority: 3 },
    { id: 'cuda_gpu_mem_time_sum', family: 'memTime', priority: 3 },
    { id: 'cuda_gpu_mem_size_sum', family: 'memSize', priority: 3 },
    { id: 'nvtx_sum', family: 'nvtx', priority: 3 },
    { id: 'nvtx_pushpop_sum', family: 'nvtx', priority: 2 },
    { id: 'nvtx_startend_sum', family: 'nvtx', priority: 1 },
    { id: 'osrt_sum', family: 'osrt', priority: 3 },
    { id: 'nvtx_gpu_proj_sum', family: 'nvtxGpuSum', priority: 3 },
    { id: 'nvtx_gpu_proj_trace', family: 'nvtxGpuTrace', priority: 2 },
    { id: 'nvtx_kern_sum', family: 'nvtxKern', priority: 3 }
];
const ALIASES = {
    gpukernsum: 'cuda_gpu_kern_sum',
    gpukerngbsum: 'cuda_gpu_kern_gb_sum',
    gputrace: 'cuda_gpu_trace',
    cudaapisum: 'cuda_api_sum',
    gpumemtimesum: 'cuda_gpu_mem_time_sum',
    gpumemsizesum: 'cuda_gpu_mem_size_sum',
    nvtxsum: 'nvtx_sum',
    nvtxppsum: 'nvtx_pushpop_sum',
    nvtxsesum: 'nvtx_startend_sum',
    nvtxsssum: 'nvtx_startend_sum',
    osrtsum: 'osrt_sum',
    cudaapitrace: 'cuda_api_trace',
    gpusum: 'cuda_gpu_sum',
    apigpusum: 'cuda_api_gpu_sum',
    kernexecsum: 'cuda_kern_exec_sum',
    kernexectrace: 'cuda_kern_exec_trace',
    nvtxpptrace: 'nvtx_pushpop_trace',
    nvtxkernsum: 'nvtx_kern_sum',
    nvtxgpuproj: 'nvtx_gpu_proj_trace',
    openmpevtsum: 'openmp_sum',
    openaccsum: 'openacc_sum',
    khrdebugsum: 'opengl_khr_range_sum',
    khrdebuggpusum: 'opengl_khr_gpu_range_sum',
    vulkanmarkerssum: 'vulkan_marker_sum',
    vulkangpumarkersum: 'vulkan_gpu_marker_sum',
    vulkanapisum: 'vulkan_api_sum',
    vulkanapitrace: 'vulkan_api_trace',
    dx11pixsum: 'dx11_pix_sum',
    dx12gpumarkersum: 'dx12_gpu_marker_sum',
    dx12pixsum: 'dx12_pix_sum',
    wddmqueuesdetails: 'wddm_queue_sum',
    unifiedmemory: 'um_sum',
    unifiedmemorytotals: 'um_total_sum',
    umcpupagefaults: 'um_cpu_page_faults_sum'
};
const UNUSED = new Set([
    'cuda_api_trace',
    'cuda_api_gpu_sum',
    'cuda_kern_exec_sum',
    'cuda_kern_exec_trace',
    'nvtx_pushpop_trace',
    'openmp_sum',
    'openacc_sum',
    'opengl_khr_range_sum',
    'opengl_khr_gpu_range_sum',
    'vulkan_marker_sum',
    'vulkan_gpu_marker_sum',
    'vulkan_api_sum',
    'vulkan_api_trace',
    'dx11_pix_sum',
    'dx12_gpu_marker_sum',
    'dx12_pix_sum',
    'wddm_queue_sum',
    'um_sum',
    'um_total_sum',
    'um_cpu_page_faults_sum',
    'syscall_sum',
    'mpi_event_sum',
    'mpi_event_trace',
    'network_sum',
    'ucx_gpu_time_util_map'
]);
const BY_ID = new Map(USED.map((info) => [info.id, info]));
[...BY_ID.keys(), ...Object.keys(ALIASES), ...UNUSED].sort((a, b) => b.length - a.length);

class RowTail {
    bytes = EMPTY;
    at = -1;
    length = -1;
    numbers = new Float64Array(0);
    device = '';
    misses = 0;
    waited = 0;
    matches(b, start, end) {
        if (this.length < 0 || this.misses >= MAX_MISSES)
            return false;
        const length = this.length;
        if (length !== end - start) {
            this.misses += 1;
            return false;
        }
        const offset = this.at >= 0 ? arenaOffset(b) : -1;
        const same = offset >= 0
            ? arenaSame(this.at, offset + start, length) === 1
            : sameBytes(this.bytes, 0, b, start, length);
        if (same)
            this.misses = 0;
        else
            this.misses += 1;
        return same;
    }
    restore(numbers, from) {
        const kept = this.numbers;
        for (let k = 0; k < kept.length; k++)
            numbers[from + k] = kept[k];
    }
    keep(b, start, end, numbers, from, device) {
        if (this.misses >= MAX_MISSES) {
            if (++this.waited < RETRY)
                return 0;
            this.waited = 0;
            this.misses = MAX_MISSES - 1;
        }
        const length = end - start;
        let grown = 0;
        if (length > this.bytes.length) {
            grown = length - this.bytes.length;
            const kept = arenaBytes(length);
            this.bytes = kept ?? Buffer.allocUnsafeSlow(length);
            this.at = kept ? arenaOffset(kept) : -1;
        }
        b.copy(this.bytes, 0, start, end);
        this.length = length;
        if (this.numbers.length !== numbers.length - from)
            this.numbers = numbers.slice(from);
        else
            for (let k = 0; k < this.numbers.length; k++)
                this.numbers[k] = numbers[from + k];
        this.device = device;
        return grown;
    }
}
const EMPTY = Buffer.alloc(0);
const MAX_MISSES = 3;
const RETRY = 64;
function rowTailCell(columns, start, duration) {
    if (start === undefined || duration === undefined)
        return -1;
    const corrId = columns.findIndex((column) => column.base === 'CorrId');
    const cell = Math.max(start, duration, corrId) + 1;
    return cell < columns.length - 1 ? cell : -1;
}

function splitCsvNameLast(line, count, wanted) {
    const cells = [];
    let pos = 0;
    for (let i = 0; i < count - 1; i++) {
        const keep = wanted === undefined || wanted[i] === true;
        if (line.charCodeAt(pos) === 34) {
            const close = line.indexOf('",', pos + 1);
            if (close < 0)
                return undefined;
            cells.push(keep ? line.slice(pos + 1, close) : '');
            pos = close + 2;
        }
        else {
            const comma = line.indexOf(',', pos);
            if (comma < 0)
                return undefined;
            cells.push(keep ? line.slice(pos, comma) : '');
            pos = comma + 1;
        }
    }
    cells.push(line.slice(pos));
    return cells;
}
function csvName(raw) {
    if (!raw.includes(','))
        return raw;
    if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"'))
        return raw.slice(1, -1);
    return undefined;
}
function splitTsv(line, count) {
    const cells = line.split('\t');
    return cells.length === count ? cells : undefined;
}
const TOKEN = / *([^ ]+)/y;
function splitColumnRow(line, columns) {
    const cells = [];
    let pos = 0;
    for (let i = 0; i < columns.length - 1; i++) {
        const width = columns[i]?.role === 'xyz' ? 3 : 1;
        const parts = [];
        for (let k = 0; k < width; k++) {
            TOKEN.lastIndex = pos;
            const match = TOKEN.exec(line);
            if (!match?.[1])
                return undefined;
            parts.push(match[1]);
            pos = TOKEN.lastIndex;
        }
        cells.push(parts.join(' '));
    }
    const name = line.slice(pos).trim();
    if (name === '')
        return undefined;
    cells.push(name);
    return cells;
}
function splitBoxedRow(line, columns) {
    const text = line.trim();
    if (!text.startsWith('|') || !text.endsWith('|') || text.length < 2)
        return undefined;
    const cells = [];
    let pos = 1;
    for (let i = 0; i < columns.length - 1; i++) {
        const bar = text.indexOf('|', pos);
        if (bar < 0)
            return undefined;
        const cell = text.slice(pos, bar).trim();
        cells.push(columns[i]?.role === 'xyz' ? cell.split(/ +/).join(' ') : cell);
        pos = bar + 1;
    }
    if (pos > text.length - 1)
        return undefined;
    const name = text.slice(pos, -1).trim();
    if (name === '')
        return undefined;
    cells.push(name);
    return cells;
}

const NUMERIC_ROLES = new Set([
    'share',
    'total',
    'instances',
    'avg',
    'med',
    'min',
    'max',
    'stdDev',
    'start',
    'duration',
    'grid',
    'gridY',
    'gridZ',
    'blockX',
    'blockY',
    'blockZ',
    'stream',
    'bytes'
]);
function scaledCell(numbers, i, scale) {
    const raw = i === undefined ? NaN : numbers[i];
    if (Number.isNaN(raw))
        return NaN;
    const scaled = scale === 1 ? raw : Math.round(raw * scale * 1000) / 1000;
    return scaled > MAX_VALUE ? Infinity : scaled;
}
function cellProblem(value, i, role) {
    if (!Number.isNaN(value))
        return 'the value is too large to be a measurement';
    return i === undefined
        ? `the header has no ${role} column`
        : 'expected a number, found an empty value';
}
const MAX_SCANNED_NAMES = 1 << 20;
const MAX_TAIL_BYTES = 64 * 2 ** 20;
const CELL_SKIP = 0;
const CELL_NUMBER = 1;
const CELL_DEVICE = 2;
const MAX_VALUE = Number.MAX_SAFE_INTEGER;
class TableBlock {
    options;
    line;
    index = {};
    numeric = [];
    factor;
    step;
    bytesFactor;
    style;
    parse;
    summary;
    trace;
    traceKernels = new Map();
    lastKernel;
    lastDevice;
    lastDeviceGiven;
    lastDeviceBytes;
    lastDeviceCell;
    analysis;
    event = {
        kind: 'kernel',
        name: '',
        start: 0,
        duration: 0,
        device: 0,
        stream: undefined,
        id: undefined,
        grid: [NaN, NaN, NaN],
        block: [NaN, NaN, NaN]
    };
    startFactor = 1;
    dims;
    lastDeviceId = 0;
    deviceIds = new Map();
    explicitIds = new Set();
    timelineResult;
    shapes = new Map();
    spellings = new Map();
    shares = {
        share: [],
        total: [],
        line: []
    };
    gpus = new Set();
    notes = [];
    rows = 0;
    lastLine;
    cutRows = 0;
    traceCuts;
    row;
    scratch = scratchStat();
    wanted;
    bytePlan;
    byteSkips;
    scanSink;
    scanNames = new Map();
    lastScanned;
    tailCell;
    tailBytes = 0;
    scanColumns;
    avgDecimals = 0;
    constructor(options) {
        this.options = options;
        this.line = options.line;
        this.lastLine = options.line;
        this.row = new Float64Array(options.columns.length).fill(NaN);
        this.wanted = options.columns.map((column, i) => i === 0 || column.role !== 'other');
        options.columns.forEach((column, i) => {
            if (this.index[column.role] === undefined)
                this.index[column.role] = i;
            if (NUMERIC_ROLES.has(column.role))
                this.numeric.push(i);
        });
        const unitOf = (role) => {
            const i = this.index[role];
            return (i === undefined ? undefined : options.columns[i]?.unit) ?? options.unitHint;
        };
        if (options.family === 'memSize') {
            const unit = unitOf('total');
            const factor = sizeFactor(unit);
            if (factor === undefined)
                throw this.error(options.line, `unknown size unit ${quoted(unit ?? '')} (nsys prints B, KB, KiB, MB, MiB, GB or GiB)`, 'total');
            this.factor = factor;
            this.step = sizeStep(unit);
        }
        else {
            const unit = unitOf(options.family === 'gpuTrace' ? 'duration' : 'total');
            const factor = timeFactor(unit);
            if (factor === undefined)
                throw this.error(options.line, `unknown time unit ${quoted(unit ?? '')} (nsys prints ns, us, ms or sec)`, 'total');
            this.factor = factor;
            this.step = timeStep(unit);
        }
        if (options.family === 'gpuTrace') {
            const bytesColumn = this.index.bytes;
            this.bytesFactor =
                bytesColumn === undefined ? undefined : sizeFactor(options.columns[bytesColumn]?.unit);
            this.trace = { kernels: new Map(), memTime: new Map(), memSize: new Map() };
            if (options.format === 'table' || options.format === 'column')
                this.traceCuts = new Map();
            if (this.index.start !== undefined) {
                const startFactor = timeFactor(options.columns[this.index.start]?.unit ?? options.unitHint);
                if (startFactor === undefined)
                    throw this.error(options.line, 'unknown time unit of the start column', 'start');
                this.startFactor = startFactor;
                this.analysis = new TimelineAnalysis(true);
            }
        }
        else {
            this.bytesFactor = undefined;
            this.summary = Object.fromEntries(FAMILY_TABLES[options.family].map((t) => [t, new PackedTable()]));
        }
        this.parse = parseCsvNumber;
        this.bytePlan = this.planBytes();
        const plan = this.bytePlan;
        this.tailCell =
            this.trace && plan ? rowTailCell(options.columns, this.index.start, this.index.duration) : -1;
        this.byteSkips = new Uint8Array(plan?.length ?? 0);
        for (let i = this.byteSkips.length - 1; i >= 0; i--)
            if (plan[i] === CELL_SKIP)
                this.byteSkips[i] = Math.min(255, 1 + (i + 1 === this.tailCell ? 0 : (this.byteSkips[i + 1] ?? 0)));
        this.scanColumns = Int32Array.from(plan ? [...plan.keys()].filter((i) => plan[i] === CELL_NUMBER) : []);
        this.dims = Int32Array.from(['grid', 'gridY', 'gridZ', 'blockX', 'blockY', 'blockZ'].map((role) => this.index[role] ?? -1));
    }
    planBytes() {
        const { columns, format, family } = this.options;
        if (format !== 'csv' || family === 'gpuSum' || this.index.xyz !== undefined)
            return undefined;
        const plan = new Uint8Array(columns.length - 1);
        for (let i = 0; i < plan.length; i++) {
            const role = columns[i].role;
            plan[i] =
                i === 0 || NUMERIC_ROLES.has(role)
                    ? CELL_NUMBER
                    : role === 'device'
                        ? CELL_DEVICE
                        : CELL_SKIP;
        }
        return plan;
    }
    get family() {
        return this.options.family;
    }
    get format() {
        return this.options.format;
    }
    split(line) {
        const count = this.options.columns.length;
        switch (this.options.format) {
            case 'csv':
                return splitCsvNameLast(line, count, this.wanted);
            case 'tsv':
                return splitTsv(line, count);
            case 'column':
                if (this.trace && /^\s*\d/.test(line))
                    throw new InputError(`the GPU trace at line ${this.line} is in the column format, whose cells cannot be told apart (blank cells, device names with blanks): run \`nsys stats\` with \`--format csv\` for the GPU trace`, { file: this.options.source, line: this.line });
                return splitColumnRow(line, this.options.columns);
            case 'table':
                return splitBoxedRow(line, this.options.columns);
            case 'json':
                return undefined;
        }
    }
    startsLikeRow(line) {
        const start = line.trimStart();
        const trimmed = this.options.format === 'table' && start.startsWith('|') ? start.slice(1).trimStart() : start;
        const end = this.options.format === 'tsv' ? trimmed.indexOf('\t') : -1;
        const first = this.options.format === 'csv'
            ? (trimmed.startsWith('"') ? trimmed.slice(1) : trimmed).split(',', 1)[0]
            : this.options.format === 'tsv'
                ? trimmed.slice(0, end < 0 ? undefined : end)
                : trimmed.split(' ', 1)[0];
        return /^-?\d/.test(first ?? '');
    }
    accept(cells, line) {
        const first = (cells[0] ?? '').trim();
        if (this.options.format === 'column' || this.options.format === 'table') {
            if (!/^-?\d/.test(first))
                return false;
            this.learnStyle(cells, line);
        }
        const value = this.parse(first);
        if (value === undefined || value === null)
            return false;
        if (this.options.format === 'csv')
            cells[cells.length - 1] = this.csvName(cells[cells.length - 1] ?? '', line);
        const numbers = this.numbers(cells, line);
        this.avgDecimals = this.decimalsOf(cells);
        const name = this.text(cells, 'name', line);
        if (this.trace) {
            const device = this.index.device === undefined ? '' : (cells[this.index.device] ?? '');
            this.acceptTraceRow(name, device, numbers, line);
        }
        else
            this.acceptSummaryRow(name, cells, numbers, line);
        this.rows += 1;
        this.lastLine = line;
        return true;
    }
    acceptBytes(bytes, start, end, line) {
        const plan = this.bytePlan;
        if (plan === undefined)
            return false;
        const skips = this.byteSkips;
        const numbers = this.row;
        const avg = this.index.avg ?? -1;
        const bytesAt = this.index.bytes ?? -1;
        const bytesFactor = this.bytesFactor ?? 1;
        let device;
        let p = start;
        const next = this.scanSink ? this.lastScanned?.next : this.lastKernel?.next;
        const tailCell = this.scanSink ? this.tailCell : -1;
        let tailStart = -1;
        let repeated = false;
        for (let i = 0; i < plan.length; i++) {
            if (i === tailCell) {
                const tail = next?.tail;
                if (tail !== undefined && tail.matches(bytes, p, end)) {
                    tail.restore(numbers, i);
                    device = tail.device;
                    repeated = true;
                    break;
                }
                tailStart = p;
            }
            const kind = plan[i];
            if (kind === CELL_SKIP) {
                let left = skips[i];
                i += left - 1;
                for (;;) {
                    if (p >= end)
                        return false;
                    const c = bytes[p++];
                    if (c === 44) {
                        if (--left === 0)
                            break;
                    }
                    else if (c === 34)
                        return false;
                }
                continue;
            }
            if (kind === CELL_DEVICE) {
                const last = this.lastDeviceBytes;
                const after = last === undefined ? -1 : p + last.length;
                if (after >= 0 && after < end && bytes[after] === 44 && last.equals(bytes, p, after)) {
                    device = this.lastDeviceCell;
                    if (device === undefined)
                        return false;
                    p = after + 1;
                    continue;
                }
                const from = p;
                for (;;) {
                    if (p >= end)
                        return false;
                    const c = bytes[p++];
                    if (c === 44)
                        break;
                    if (c === 34)
                        return false;
                }
                device = this.deviceOf(bytes, from, p - 1);
                if (device === undefined)
                    return false;
                continue;
            }
            let digits = 0;
            let count = 0;
            let point = -1;
            let q = p;
            for (; q < end; q++) {
                const c = bytes[q];
                if (c >= 48 && c <= 57) {
                    digits = digits * 10 + (c - 48);
                    count += 1;
                }
                else if (c === 44)
                    break;
                else if (c === 46 && point < 0 && count > 0)
                    point = q;
                else
                    return false;
            }
            if (q >= end || count > 15 || point === q - 1)
                return false;
            if (q === p) {
                if (i === 0)
                    return false;
                numbers[i] = NaN;
            }
            else {
                const value = point < 0 ? digits : digits / POWERS[q - 1 - point];
                if (i === bytesAt && value * bytesFactor > MAX_VALUE)
                    return false;
                numbers[i] = value;
            }
            if (i === avg)
                this.avgDecimals = point < 0 ? 0 : q - 1 - point;
            p = q + 1;
        }
        let interned;
        let guessed = false;
        if (repeated || (next?.bytes !== undefined && next.bytes.equals(bytes, p, end))) {
            interned = next.interned;
            guessed = true;
        }
        else {
            let from = p;
            let to = end;
            const comma = bytes.indexOf(44, from);
            if (comma >= 0 && comma < to) {
                if (to - from < 2 || bytes[from] !== 34 || bytes[to - 1] !== 34)
                    return false;
                from += 1;
                to -= 1;
            }
            if (from >= to || bytes[from] === 32 || bytes[to - 1] === 32)
                return false;
            interned = this.names.get(bytes, from, to);
        }
        if (interned === undefined)
            return false;
        const name = interned.text;
        if (this.scanSink) {
            const entry = guessed ? next : undefined;
            this.scanned(numbers, name, device ?? '', line, bytes, p, end, interned, entry, tailStart);
        }
        else if (this.trace)
            this.acceptTraceRow(name, device ?? '', numbers, line, bytes, p, end, interned);
        else {
            if (this.index.instances !== undefined && !Number.isInteger(numbers[this.index.instances]))
                return false;
            this.acceptSummaryRow(name, undefined, numbers, line, interned);
        }
        this.rows += 1;
        this.lastLine = line;
        return true;
    }
    get names() {
        return SHARED_NAMES;
    }
    deviceOf(bytes, from, to) {
        const last = this.lastDeviceBytes;
        if (last?.equals(bytes, from, to))
            return this.lastDeviceCell;
        const device = this.names.get(bytes, from, to)?.text;
        this.lastDeviceBytes = new ByteKey(bytes, from, to);
        this.lastDeviceCell = device;
        return device;
    }
    tables() {
        this.checkShares();
        if (this.cutRows > 0) {
            this.notes.push({
                code: 'cut-names',
                severity: 'info',
                message: `the table at line ${this.line} has ${this.cutRows} rows whose names nsys cut to ${this.options.nameWidth ?? 100} characters and that share their cut name; each such name is kept as one item (use \`nsys stats --format csv\` for full names)`
            });
        }
        if (this.summary) {
            this.markSilentCuts();
            return this.summary;
        }
        const out = {};
        if (this.trace) {
            out.kernels = finish(this.trace.kernels);
            out.memTime = finish(this.trace.memTime);
            out.memSize = finish(this.trace.memSize);
            this.markTraceCuts(out);
            if (this.analysis) {
                const result = this.analysis.finish(this.idLessDevices());
                out.gpuIdle = result.gpuIdle;
                out.kernelShapes = result.kernelShapes;
                this.timelineResult = { timeline: result.timeline, launches: result.launches };
            }
        }
        return out;
    }
    markTraceCuts(out) {
        const cuts = this.traceCuts;
        if (!cuts || cuts.size === 0)
            return;
        let names = 0;
        for (const [tagged, table] of cuts) {
            const stat = out[table]?.get(tagged.slice(table.length + 1));
            if (!stat)
                continue;
            stat.truncated = true;
            stat.sharedBy = 1;
            if (table !== 'memSize')
                names += 1;
        }
        if (names === 0)
            return;
        this.notes.push({
            code: 'cut-names',
            severity: 'info',
            message: `the GPU trace at line ${this.line} has ${names} name${names === 1 ? '' : 's'} that nsys cut to ${this.options.nameWidth ?? 100} characters; each is kept as one item, with the rows of every name it may stand for (use \`nsys stats --format csv\` for full names)`
        });
    }
    timeline() {
        return this.timelineResult;
    }
    markSilentCuts() {
        const width = this.options.nameWidth;
        if (this.options.format !== 'column' || width === undefined || !this.summary)
            return;
        for (const [name, table] of Object.entries(this.summary)) {
            let longest = 0;
            for (const stat of table.values()) {
                if (stat.name.length > width)
                    longest = Math.max(longest, codePointLength(stat.name));
            }
            if (longest <= width)
                continue;
            let cut = 0;
            const out = new PackedTable();
            for (const [key, stat] of table) {
                if (!stat.truncated &&
                    stat.name.length >= longest &&
                    codePointLength(stat.name) === longest &&
                    opensMoreThanCloses(stat.name)) {
                    const printed = `${stat.name}\u2026`;
                    addRow(out, canonicalKey(name, printed), {
                        ...stat,
                        name: printed,
                        truncated: true,
                        sharedBy: 1
                    });
                    cut += 1;
                }
                else
                    addRow(out, key, stat);
            }
            if (cut === 0)
                continue;
            this.summary[name] = out;
            this.notes.push({
                code: 'cut-names',
                severity: 'info',
                message: `the table at line ${this.line} has ${cut} name${cut === 1 ? '' : 's'} of the longest length (${longest} characters) that stop mid-template: nsys cut ${cut === 1 ? 'it' : 'them'} without a mark, so ${cut === 1 ? 'it is' : 'they are'} read as cut (\u2026)`
            });
        }
    }
    learnStyle(cells, line) {
        let found;
        for (const role of FRACTION_ROLES) {
            const i = this.index[role];
            if (i === undefined)
                continue;
            if (role === 'bytes' && this.options.columns[i]?.unit === 'B')
                continue;
            found = styleFromFraction(cells[i] ?? '');
            if (found)
                break;
        }
        if (!found && !this.style && this.trace) {
            for (const role of ['duration', 'start']) {
                const i = this.index[role];
                const unit = i === undefined ? undefined : this.options.columns[i]?.unit;
                if (i === undefined || timeFactor(unit ?? this.options.unitHint) !== 1)
                    continue;
                found = styleFromGroups((cells[i] ?? '').trim());
                if (found)
                    break;
            }
        }
        if (!found) {
            if (this.style)
                return;
            for (const i of this.numeric)
                if (/[.,]/.test(cells[i] ?? ''))
                    this.ambiguous(line);
            return;
        }
        if (this.style && found.decimal !== this.style.decimal)
            this.ambiguous(line);
        if (this.style)
            return;
        this.style = found;
        const parser = styledParser(found);
        this.parse = (text) => {
            const cell = text.trim();
            if (cell === '' || cell === 'None')
                return null;
            return parser(cell);
        };
    }
    ambiguous(line) {
        throw new InputError('the numbers in this column-format table do not follow one locale (decimal point vs thousands ' +
            'separator); the table is ambiguous. Re-run `nsys stats` with `--format csv` and LC_ALL=C.', { file: this.options.source, line });
    }
    csvName(raw, line) {
        const name = csvName(raw);
        if (name !== undefined)
            return name;
        throw new InputError(raw.startsWith('"')
            ? `the last cell ${quoted(raw, 80)} opens a quote that is never closed: the row is cut short`
            : `this row has more cells than the header at line ${this.line} (${this.options.columns.length}): the last cell ${quoted(raw, 80)} holds a comma but is not quoted, as nsys quotes every value with a comma`, { file: this.options.source, line });
    }
    numbers(cells, line) {
        const out = this.row;
        for (const i of this.numeric) {
            const text = cells[i] ?? '';
            const value = this.parse(text);
            const role = this.options.columns[i]?.role ?? 'other';
            if (value === undefined || (value !== null && (!Number.isFinite(value) || value < 0))) {
                throw this.error(line, `expected a non-negative number, found ${quoted(text.trim(), 80)}`, role);
            }
            if (value !== null && value * (role === 'bytes' ? (this.bytesFactor ?? 1) : 1) > MAX_VALUE) {
                throw this.error(line, `${quoted(text.trim(), 80)} is too large to be a measurement`, role);
            }
            out[i] = value ?? NaN;
        }
        return out;
    }
    value(numbers, role, line, required) {
        const i = this.index[role];
        const value = scaledCell(numbers, i, role === 'instances' || role === 'share' ? 1 : this.factor);
        if (value < Infinity)
            return value;
        if (Number.isNaN(value) && !required)
            return undefined;
        throw this.error(line, cellProblem(value, i, role), role);
    }
    acceptSummaryRow(name, cells, numbers, line, interned) {
        const total = this.value(numbers, 'total', line, true);
        const instances = this.value(numbers, 'instances', line, true);
        if (!Number.isInteger(instances)) {
            throw this.error(line, `expected a whole number of instances, found ${quoted(cells?.[this.index.instances ?? 0] ?? String(instances), 40)}`, 'instances');
        }
        const avg = this.value(numbers, 'avg', line, false) ?? (instances > 0 ? total / instances : 0);
        const min = this.value(numbers, 'min', line, false) ?? avg;
        const max = this.value(numbers, 'max', line, false) ?? avg;
        const med = this.value(numbers, 'med', line, false);
        const stdDev = this.value(numbers, 'stdDev', line, false);
        const cut = (this.options.format === 'column' || this.options.format === 'table') &&
            isCut(name, this.options.nameWidth);
        let stat;
        if (med !== undefined && stdDev !== undefined) {
            if (interned && !cut) {
                stat = this.scratch;
                stat.name = name;
                stat.total = total;
                stat.instances = instances;
                stat.avg = avg;
                stat.min = min;
                stat.max = max;
                stat.med = med;
                stat.stdDev = stdDev;
            }
            else
                stat = { name, total, instances, avg, min, max, med, stdDev };
        }
        else {
            stat = { name, total, instances, avg, min, max };
            if (med !== undefined)
                stat.med = med;
            if (stdDev !== undefined)
                stat.stdDev = stdDev;
        }
        const problem = statProblem(stat, this.step, this.avgStep());
        if (problem) {
            throw new InputError(`this row is inconsistent (${problem}): a cell is missing, extra or edited, so its numbers cannot be trusted`, { file: this.options.source, line });
        }
        const share = this.index.share === undefined ? NaN : numbers[this.index.share];
        if (!Number.isNaN(share)) {
            this.shares.share.push(share);
            this.shares.total.push(total);
            this.shares.line.push(line);
        }
        const table = this.tableFor(cells ?? [], line);
        let key;
        let id;
        if (interned) {
            const slot = TABLE_NAMES.indexOf(table);
            key = keyIn(interned, slot) ?? keepKey(interned, slot, canonicalKey(table, name, true));
            id = keyIdIn(interned, slot, key);
        }
        else
            key = canonicalKey(table, name);
        const rows = this.summary?.[table];
        if (!rows)
            return;
        const existing = id === undefined ? rows.get(key) : rows.getById(id);
        if (!cut)
            this.checkRepeat(existing, key, cells ?? [], name, line);
        if (cut) {
            stat.truncated = true;
            stat.sharedBy = 1;
            if (existing)
                this.cutRows += existing.sharedBy === 1 ? 2 : 1;
        }
        if (!existing && id !== undefined)
            rows.add(key, stat, id);
        else
            addRow(rows, key, stat);
    }
    avgStep() {
        const decimals = this.avgDecimals;
        if (decimals === FLOORED)
            return 2 * this.factor;
        return decimals > 12 ? this.step : this.factor * 10 ** -decimals;
    }
    decimalsOf(cells) {
        const i = this.index.avg;
        const text = i === undefined ? '' : (cells[i] ?? '').trim();
        const point = this.style?.decimal === ',' ? text.lastIndexOf(',') : text.lastIndexOf('.');
        if (point < 0)
            return 0;
        if (this.style?.decimal === ',' && /^0+$/.test(text.slice(point + 1)))
            return FLOORED;
        return text.length - point - 1;
    }
    tableFor(cells, line) {
        const tables = FAMILY_TABLES[this.options.family];
        if (this.options.family !== 'gpuSum')
            return tables[0] ?? 'kernels';
        const category = (cells[this.index.category ?? -1] ?? '').trim();
        if (category === 'CUDA_KERNEL')
            return 'kernels';
        if (category === 'MEMORY_OPER')
            return 'memTime';
        throw this.error(line, `expected the category CUDA_KERNEL or MEMORY_OPER, found ${quoted(category, 40)}`, 'category');
    }
    checkRepeat(existing, key, cells, name, line) {
        if (this.index.xyz === undefined) {
            if (!existing)
                return;
            if (existing.name !== name) {
                let names = this.spellings.get(key);
                if (!names) {
                    names = new Set([existing.name]);
                    this.spellings.set(key, names);
                }
                if (!names.has(name)) {
                    names.add(detach(name));
                    return;
                }
            }
        }
        else {
            const shape = [
                detach(name),
                ...this.options.columns.map((c, i) => (c.role === 'xyz' ? (cells[i] ?? '').trim() : ''))
            ].join('|');
            const shapes = this.shapes.get(key) ?? new Set();
            if (!shapes.has(shape)) {
                shapes.add(shape);
                this.shapes.set(key, shapes);
                return;
            }
        }
        throw new InputError(`this row repeats the name${this.index.xyz === undefined ? '' : ', grid and block'} of an earlier row (${quoted(name, 80)}); nsys prints each once, so the rows were duplicated or edited`, { file: this.options.source, line });
    }
    checkShares() {
        const { share: shares, total: rowTotals, line: lines } = this.shares;
        const n = shares.length;
        if (n === 0 || n !== this.rows)
            return;
        if (this.style?.decimal === ',')
            return;
        let sum = 0;
        let totals = 0;
        let top = 0;
        for (let i = 0; i < n; i++) {
            sum += shares[i];
            totals += rowTotals[i];
            if (shares[i] > shares[top])
                top = i;
        }
        const largest = { share: shares[top], total: rowTotals[top], line: lines[top] };
        const where = { file: this.options.source, line: this.line };
        const slack = 0.05 * n + 0.1;
        let listed;
        let margin = 0;
        if (largest.share >= 1 && largest.total > 0) {
            listed = (totals * largest.share) / (largest.total * 100);
            margin = 2 * (0.05 / largest.share + this.step / largest.total) + 1e-3;
        }
        if (sum > 100 + slack) {
            throw new InputError(`the "Time (%)" shares of the table at line ${this.line} add up to ${round1(sum)}%, more than 100%: rows were repeated, added or read with shifted columns`, where);
        }
        if (sum < 100 - slack || (listed !== undefined && listed < 1 - margin)) {
            const seen = listed === undefined
                ? `${round1(sum)}% of the shares`
                : `${round1(listed * 100)}% of the time`;
            this.notes.push({
                code: 'rows-missing',
                severity: 'warning',
                table: FAMILY_TABLES[this.options.family][0],
                message: `the rows of the table at line ${this.line} hold ${seen} its "Time (%)" column implies: rows seem to be missing (an excerpt?), so its total is not the report's total`
            });
            return;
        }
        if (totals <= 0)
            return;
        const tolerance = 0.05 + 0.1 + (100 * this.step) / totals;
        for (let i = 0; i < n; i++) {
            const expected = (rowTotals[i] / totals) * 100;
            if (Math.abs(expected - shares[i]) > tolerance) {
                throw new InputError(`this row's share ${shares[i]}% does not match its total (${round1(expected)}% of the table): a number was edited or read from the wrong column`, { file: this.options.source, line: lines[i] });
            }
        }
        if (listed !== undefined && listed > 1 + margin) {
            throw new InputError(`the rows of the table at line ${this.line} add up to ${round1(listed * 100)}% of the total implied by its largest "Time (%)" share (${largest.share}% at line ${largest.line}): rows were repeated, added or read with shifted columns`, where);
        }
    }
    get scannable() {
        return this.trace !== undefined && this.bytePlan !== undefined;
    }
    get blockOptions() {
        return this.options;
    }
    scanRowsTo(sink) {
        if (!this.scannable)
            throw new Error('scanRowsTo: not a GPU trace read from bytes');
        this.scanSink = sink;
    }
    scanned(numbers, name, device, line, bytes, from, to, interned, guessed, tailStart = -1) {
        let entry = guessed ?? this.scanNames.get(interned);
        if (!entry) {
            if (this.scanNames.size >= MAX_SCANNED_NAMES) {
                this.scanNames.clear();
                this.tailBytes = 0;
            }
            entry = {
                bytes: new ByteKey(bytes, from, to),
                interned,
                next: undefined,
                numbered: -1,
                numbering: 0,
                tail: undefined
            };
            this.scanNames.set(interned, entry);
        }
        if (tailStart >= 0 && this.tailBytes < MAX_TAIL_BYTES) {
            entry.tail ??= new RowTail();
            this.tailBytes += entry.tail.keep(bytes, tailStart, to, numbers, this.tailCell, device);
        }
        if (this.lastScanned)
            this.lastScanned.next = entry;
        this.lastScanned = entry;
        this.scanSink(numbers, this.scanColumns, name, device, line, entry);
    }
    takeScannedRow(values, at, name, device, line) {
        const numbers = this.row;
        const columns = this.scanColumns;
        for (let k = 0; k < columns.length; k++)
            numbers[columns[k]] = values[at + k];
        this.acceptTraceRow(name, device, numbers, line);
        this.rows += 1;
        this.lastLine = line;
    }
    acceptTraceRow(name, device, numbers, line, bytes, from = 0, to = 0, interned) {
        const trace = this.trace;
        if (!trace)
            return;
        const duration = this.value(numbers, 'duration', line, true);
        if (device !== this.lastDeviceGiven && device !== this.lastDevice) {
            this.lastDevice = detach(device);
            const text = device.trim();
            if (text !== '' && text !== 'None')
                this.gpus.add(detach(withoutDeviceId(text)));
            this.lastDeviceId = this.deviceId(text);
        }
        this.lastDeviceGiven = device;
        const gridIndex = this.index.grid;
        if (gridIndex !== undefined && !Number.isNaN(numbers[gridIndex])) {
            const previous = this.lastKernel;
            let kernel = previous?.next;
            if (kernel !== undefined && kernel.given !== name && kernel.name === name)
                kernel.given = name;
            if (kernel === undefined || kernel.given !== name) {
                kernel = this.traceKernels.get(name);
                if (!kernel) {
                    const printed = detach(name);
                    const key = canonicalKey('kernels', name);
                    if (this.traceCuts && isCut(name, this.options.nameWidth))
                        this.traceCuts.set(`kernels\u0000${key}`, 'kernels');
                    kernel = {
                        name: printed,
                        bytes: bytes && new ByteKey(bytes, from, to),
                        interned,
                        acc: accumulator(trace.kernels, key, name),
                        next: undefined,
                        id: this.traceKernels.size,
                        given: name
                    };
                    this.traceKernels.set(printed, kernel);
                }
                kernel.given = name;
                if (previous)
                    previous.next = kernel;
            }
            this.lastKernel = kernel;
            kernel.acc.add(duration);
            if (this.analysis)
                this.emit('kernel', kernel.name, numbers, duration, line, kernel.id);
            return;
        }
        if (!name.startsWith('[CUDA '))
            return;
        if (this.traceCuts && isCut(name, this.options.nameWidth)) {
            this.traceCuts.set(`memTime\u0000${canonicalKey('memTime', name)}`, 'memTime');
            this.traceCuts.set(`memSize\u0000${canonicalKey('memSize', name)}`, 'memSize');
        }
        accumulate(trace.memTime, canonicalKey('memTime', name), name, duration);
        if (this.analysis)
            this.emit(name.startsWith('[CUDA memset') ? 'memset' : 'memcpy', name, numbers, duration, line);
        const bytesIndex = this.index.bytes;
        if (bytesIndex !== undefined && this.bytesFactor !== undefined) {
            const bytes = numbers[bytesIndex];
            if (!Number.isNaN(bytes)) {
                accumulate(trace.memSize, canonicalKey('memSize', name), name, Math.round(bytes * this.bytesFactor));
            }
        }
    }
    emit(kind, name, numbers, duration, line, id) {
        const event = this.event;
        const index = this.index;
        event.kind = kind;
        event.name = name;
        event.id = id;
        const start = scaledCell(numbers, index.start, this.startFactor);
        if (!(start < Infinity))
            throw this.error(line, cellProblem(start, index.start, 'start'), 'start');
        event.start = start;
        event.duration = duration;
        event.device = this.lastDeviceId;
        const stream = index.stream === undefined ? NaN : numbers[index.stream];
        event.stream = Number.isNaN(stream) ? undefined : stream;
        const dims = this.dims;
        const grid = event.grid;
        const block = event.block;
        for (let k = 0; k < 3; k++) {
            grid[k] = dims[k] < 0 ? NaN : numbers[dims[k]];
            block[k] = dims[k + 3] < 0 ? NaN : numbers[dims[k + 3]];
        }
        this.analysis.add(event);
    }
    deviceId(text) {
        const open = text.lastIndexOf('(');
        if (open >= 0 && text.endsWith(')')) {
            const digits = text.slice(open + 1, -1);
            if (/^\d{1,6}$/.test(digits)) {
                const id = Number(digits);
                this.explicitIds.add(id);
                return id;
            }
        }
        let id = this.deviceIds.get(text);
        if (id === undefined) {
            id = ID_LESS + this.deviceIds.size;
            this.deviceIds.set(detach(text), id);
        }
        return id;
    }
    idLessDevices() {
        if (this.deviceIds.size === 0)
            return undefined;
        const numbers = new Map();
        let next = 0;
        for (const id of this.deviceIds.values()) {
            while (this.explicitIds.has(next))
                next += 1;
            numbers.set(id, next++);
        }
        return (device) => ({ device: numbers.get(device) ?? device });
    }
    text(cells, role, line) {
        const i = this.index[role];
        const value = i === undefined ? undefined : cells[i];
        if (value === undefined || value.trim() === '')
            throw this.error(line, 'expected a name, found nothing', role);
        return value;
    }
    error(line, message, role) {
        const i = this.index[role];
        const column = i === undefined ? role : (this.options.columns[i]?.label ?? role);
        return new InputError(message, { file: this.options.source, line, column });
    }
}
function opensMoreThanCloses(name) {
    let angle = 0;
    let round = 0;
    for (let i = 0; i < name.length; i++) {
        const c = name.charCodeAt(i);
        if (c === 60)
            angle += 1;
        else if (c === 62 && name.charCodeAt(i - 1) !== 45)
            angle -= 1;
        else if (c === 40)
            round += 1;
        else if (c === 41)
            round -= 1;
    }
    return angle > 0 || round > 0;
}
const ID_LESS = 1_000_000;
const FRACTION_ROLES = ['avg', 'stdDev', 'share', 'med', 'bytes'];
const FLOORED = -1;
function isCut(name, width) {
    if (!name.endsWith('\u2026'))
        return false;
    return width === undefined || codePointLength(name) === width;
}
function withoutDeviceId(device) {
    if (!device.endsWith(')'))
        return device;
    const open = device.lastIndexOf('(');
    if (open < 0 || !/^\d+$/.test(device.slice(open + 1, -1)))
        return device;
    return device.slice(0, open).trimEnd();
}
function round1(value) {
    return Math.round(value * 10) / 10;
}
function accumulate(map, key, name, value) {
    accumulator(map, key, name).add(value);
}
function accumulator(map, key, name) {
    let acc = map.get(key);
    if (!acc) {
        acc = new StatAccumulator(name);
        map.set(key === name ? acc.name : detach(key), acc);
    }
    return acc;
}
function finish(map) {
    const table = new Map();
    for (const [key, acc] of map)
        table.set(key, acc.toStat());
    return table;
}

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

const ROW_BATCH = 4096;
const FIRST_ROW_BATCH = 256;
const ROW_RING_SLOTS = 4;
const MAX_NAMES = 1 << 20;
let numberings = 0;
function slots(ring, columns) {
    const size = ROW_BATCH * (3 + columns);
    if (ring.length !== ROW_RING_SLOTS * size)
        throw new Error('row batch: a ring of the wrong size');
    return Array.from({ length: ROW_RING_SLOTS }, (_, i) => ring.subarray(i * size, (i + 1) * size));
}
class RowBatchWriter {
    columns;
    send;
    maxNames;
    slots;
    stride;
    slot = 0;
    values;
    count = 0;
    limit = FIRST_ROW_BATCH;
    names = new NameNumbers();
    texts = [];
    lastDevice = '';
    lastDeviceId;
    numbering = ++numberings;
    constructor(ring, columns, send, maxNames = MAX_NAMES) {
        this.columns = columns;
        this.send = send;
        this.maxNames = maxNames;
        if (!(maxNames >= 2))
            throw new Error('row batch: a row numbers two names');
        this.slots = slots(ring, columns);
        this.values = this.slots[0];
        this.stride = 3 + columns;
    }
    row = (numbers, at, name, device, line, memo) => {
        const names = this.names;
        let nameId = memo !== undefined && memo.numbering === this.numbering ? memo.numbered : names.get(name);
        let deviceId = device === this.lastDevice ? this.lastDeviceId : names.get(device);
        if (nameId === undefined || deviceId === undefined) {
            if (names.size + 2 > this.maxNames) {
                this.flush();
                names.startOver();
                this.numbering = ++numberings;
            }
            nameId = names.number(name);
            deviceId = names.number(device);
            if (memo !== undefined) {
                memo.numbered = nameId;
                memo.numbering = this.numbering;
            }
        }
        this.lastDevice = device;
        this.lastDeviceId = deviceId;
        const v = this.values;
        const base = this.count * this.stride;
        v[base] = nameId;
        v[base + 1] = deviceId;
        v[base + 2] = line;
        for (let k = 0; k < this.columns; k++)
            v[base + 3 + k] = numbers[at[k]];
        if (++this.count === this.limit)
            this.flush();
    };
    text = (line, lineNo, terminated) => {
        const base = this.count * this.stride;
        this.values[base] = -1 - this.texts.length;
        this.values[base + 1] = terminated ? 1 : 0;
        this.values[base + 2] = lineNo;
        this.texts.push(line);
        if (++this.count === this.limit)
            this.flush();
    };
    flush() {
        if (this.count === 0 && !this.names.pending)
            return;
        this.send({ slot: this.slot, count: this.count, ...this.names.take(), texts: this.texts });
        this.slot = (this.slot + 1) % ROW_RING_SLOTS;
        this.values = this.slots[this.slot];
        this.count = 0;
        this.texts = [];
        this.limit = Math.min(ROW_BATCH, 2 * this.limit);
    }
}

createRequire(import.meta.url);

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
function openToRead(path) {
    try {
        return openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    }
    catch (error) {
        throw fsError(path, error);
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
    const block = new TableBlock(data.block);
    const writer = new RowBatchWriter(new Float64Array(data.ring), block.scanColumns.length, ringSender(port, data.control, ROW_RING_SLOTS));
    block.scanRowsTo(writer.row);
    try {
        await forEachLine(readChunks(data.path, data.offset, 'large'), {
            bytes: (bytes, start, end, lineNo) => block.acceptBytes(bytes, start, end, lineNo),
            text: writer.text
        }, { source: data.block.source, firstLine: data.firstLine });
        writer.flush();
        port.postMessage({ type: 'done', result: null });
    }
    catch (error) {
        writer.flush();
        postError(port, error);
    }
}
if (parentPort && workerData)
    await work(parentPort, workerData);
