'use strict';

var promises = require('node:fs/promises');
var node_module = require('node:module');
var node_fs = require('node:fs');
var node_path = require('node:path');

var _documentCurrentScript = typeof document !== 'undefined' ? document.currentScript : null;
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
function listed(items, max, show, separator = ', ') {
    const shown = items.slice(0, max).map(show).join(separator);
    return items.length > max ? `${shown} and ${items.length - max} more` : shown;
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
class UsageError extends Error {
    name = 'UsageError';
}
class BenchmarkError extends Error {
    name = 'BenchmarkError';
}
class EnvironmentError extends Error {
    name = 'EnvironmentError';
}
class ServiceError extends Error {
    name = 'ServiceError';
}
function isKnownError(error) {
    return (error instanceof InputError ||
        error instanceof UsageError ||
        error instanceof BenchmarkError ||
        error instanceof EnvironmentError ||
        error instanceof ServiceError);
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
class RenamedSum {
    name;
    total;
    instances;
    avg;
    min;
    max;
    med;
    stdDev;
    constructor(name, first) {
        this.name = name;
        this.total = first.total;
        this.instances = first.instances;
        this.avg = first.avg;
        this.min = first.min;
        this.max = first.max;
        this.med = first.med;
        this.stdDev = first.stdDev;
    }
    add(stat) {
        const instances = this.instances + stat.instances;
        const total = this.total + stat.total;
        const avg = instances > 0 ? total / instances : 0;
        this.stdDev = pooledStdDev(this.instances, this.avg, this.stdDev, stat, instances, avg);
        this.min = Math.min(this.min, stat.min);
        this.max = Math.max(this.max, stat.max);
        this.instances = instances;
        this.total = total;
        this.avg = avg;
        this.med = undefined;
    }
    stat() {
        const row = {
            name: this.name,
            total: this.total,
            instances: this.instances,
            avg: this.avg,
            min: this.min,
            max: this.max
        };
        if (this.med !== undefined)
            row.med = this.med;
        if (this.stdDev !== undefined)
            row.stdDev = this.stdDev;
        return row;
    }
}
class RenamedSums {
    sums = new Map();
    add(name, stat) {
        const sum = this.sums.get(name);
        if (sum)
            sum.add(stat);
        else
            this.sums.set(name, new RenamedSum(name, stat));
    }
    table() {
        const out = new Map();
        for (const [name, sum] of this.sums)
            out.set(name, sum.stat());
        return out;
    }
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
function scanRows(table, visit) {
    if (table instanceof PackedTable)
        table.scan(visit);
    else
        for (const [key, stat] of table)
            visit(key, stat);
}
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
function nvtxKernelName(range, kernel) {
    return `${range}${NVTX_KERNEL_SEPARATOR}${kernel}`;
}
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
        else if (ch === COMMA$2 && nest === 0 && list >= 0)
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
const COMMA$2 = 44;
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
function isTableName(name) {
    return Object.hasOwn(TABLES, name);
}
function canonicalKey(table, name, standalone = false) {
    return TABLES[table].key(name, standalone);
}
function emptyMeta(tool) {
    return {
        tool,
        profiler: { name: 'nsys' },
        sources: [],
        reports: {},
        kernelNaming: 'demangled',
        notes: []
    };
}
function profilerMajor(profiler) {
    const version = profiler.version;
    if (version === undefined || version === '')
        return undefined;
    if (profiler.name === 'rocprofv3') {
        const m = /^(\d+)\.(\d+)/.exec(version);
        if (m)
            return m[1] === '0' ? `0.${m[2]}` : m[1];
    }
    return version.split('.')[0] || undefined;
}
function occurrencesOf(stat) {
    return stat.occurrences ?? stat.instances;
}
function measureOf(table, stat) {
    if (TABLES[table].measure === 'total')
        return stat.total;
    const n = occurrencesOf(stat);
    return n > 0 ? stat.total / n : 0;
}
function tableTotal(table) {
    let sum = 0;
    if (table)
        for (const stat of table.values())
            sum += stat.total;
    return sum;
}
function tableState(table) {
    if (!table)
        return 'missing';
    return table.size === 0 ? 'empty' : 'data';
}

const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
const RELATIVE_ERROR = 1 / (2 * SUB);
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

const SCHEMA_VERSION = 2;
const PROFILE_KIND = 'nsys-bench/profile';
const SUFFIX$1 = { ns: 'Ns', bytes: 'Bytes', calls: 'Calls' };
const MEASURES = ['total', 'avg', 'min', 'max', 'med', 'stdDev'];
function encodeStat(stat, unit) {
    const out = { name: stat.name };
    writeStatFields(out, stat, unit);
    return out;
}
function writeStatFields(out, stat, unit) {
    const [total, avg, min, max, med, stdDev] = FIELDS$1[unit];
    out[total] = round$1(stat.total);
    out.instances = stat.instances;
    out[avg] = round$1(stat.avg);
    out[min] = round$1(stat.min);
    out[max] = round$1(stat.max);
    if (stat.med !== undefined)
        out[med] = round$1(stat.med);
    if (stat.stdDev !== undefined)
        out[stdDev] = round$1(stat.stdDev);
    if (stat.occurrences !== undefined)
        out.occurrences = stat.occurrences;
    if (stat.truncated)
        out.truncated = true;
    if (stat.sharedBy !== undefined && stat.sharedBy > 1)
        out.sharedBy = stat.sharedBy;
}
function sortedRows(table) {
    return [...table.entries()].sort((a, b) => b[1].total - a[1].total || compareText(a[0], b[0]));
}
function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function profileToJson(profile) {
    const tables = {};
    for (const name of TABLE_NAMES) {
        const table = profile.tables[name];
        if (!table || 'derived' in TABLES[name])
            continue;
        const unit = TABLES[name].unit;
        tables[name] = {
            unit,
            rows: Object.fromEntries(sortedRows(table).map(([, stat], rank) => [String(rank), encodeStat(stat, unit)]))
        };
    }
    if (profile.timeline)
        tables[TIMELINE_TABLE] = encodeTimeline(profile.timeline);
    if (profile.launches)
        tables[LAUNCHES_TABLE] = encodeLaunches(profile.launches);
    for (const [name, value] of Object.entries(profile.unknownTables ?? {})) {
        if (!Object.hasOwn(tables, name))
            tables[name] = value;
    }
    return { schemaVersion: SCHEMA_VERSION, kind: PROFILE_KIND, meta: profile.meta, tables };
}
function profileFromJson(value, source) {
    const fail = (message) => new InputError(`not a valid nsys-bench profile: ${message}`, { file: source });
    if (!isObject$3(value))
        throw fail('expected a JSON object');
    if (value.kind !== PROFILE_KIND)
        throw fail(`"kind" must be "${PROFILE_KIND}"`);
    const version = value.schemaVersion;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
        throw fail('"schemaVersion" must be a positive integer');
    }
    if (version > SCHEMA_VERSION) {
        throw new InputError(`this profile has schemaVersion ${version}, written by a newer nsys-bench; this one reads up ` +
            `to ${SCHEMA_VERSION}. Upgrade nsys-bench.`, { file: source });
    }
    const current = migrate(value, version);
    const { tables, unknown } = readTables(current.tables, fail);
    const profile = { meta: readMeta(current.meta, fail), tables };
    const timeline = unknown[TIMELINE_TABLE];
    if (timeline !== undefined) {
        profile.timeline = decodeTimeline(timeline, fail);
        delete unknown[TIMELINE_TABLE];
    }
    const launches = unknown[LAUNCHES_TABLE];
    if (launches !== undefined) {
        profile.launches = decodeLaunches(launches, fail);
        delete unknown[LAUNCHES_TABLE];
    }
    if (Object.keys(unknown).length > 0)
        profile.unknownTables = unknown;
    return profile;
}
function duplicateKeyError(where, key, source) {
    const shown = JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}\u2026` : key);
    return new InputError(`not a valid nsys-bench profile: ${where === '' ? 'the document' : where}: key ${shown} appears twice: ` +
        'the file was edited or damaged (nsys-bench never writes a key twice, and which value counts cannot be told); get the file as nsys-bench wrote it (or make it again from the reports with `nsys-bench summarize --json`)', source === undefined ? undefined : { file: source });
}
function migrate(value, version) {
    let current = value;
    if (version < 2) {
        const meta = isObject$3(current.meta) ? current.meta : {};
        const notes = Array.isArray(meta.notes)
            ? meta.notes.map((note) => typeof note === 'string' ? { code: 'input', severity: 'info', message: note } : note)
            : meta.notes;
        current = { ...current, meta: { ...meta, notes }, schemaVersion: 2 };
    }
    return current;
}
function readMeta(value, fail) {
    if (!isObject$3(value))
        throw fail('"meta" must be an object');
    const tool = value.tool;
    if (!isObject$3(tool) || typeof tool.name !== 'string' || typeof tool.version !== 'string') {
        throw fail('"meta.tool" must have string "name" and "version"');
    }
    const profiler = value.profiler;
    if (!isObject$3(profiler) || typeof profiler.name !== 'string') {
        throw fail('"meta.profiler" must have a string "name"');
    }
    const naming = value.kernelNaming;
    if (naming !== 'demangled' &&
        naming !== 'base' &&
        naming !== 'mangled' &&
        naming !== 'nvtx-name') {
        throw fail('"meta.kernelNaming" must be demangled, base, mangled or nvtx-name');
    }
    const meta = {
        tool: { name: tool.name, version: tool.version },
        profiler: { name: profiler.name },
        sources: stringArray(value.sources, 'meta.sources', fail),
        reports: {},
        kernelNaming: naming,
        notes: readNotes(value.notes, fail)
    };
    if (typeof profiler.version === 'string')
        meta.profiler.version = profiler.version;
    const reports = value.reports;
    if (!isObject$3(reports))
        throw fail('"meta.reports" must be an object');
    for (const [table, report] of Object.entries(reports)) {
        if (typeof report !== 'string')
            throw fail(`"meta.reports.${table}" must be a string`);
        if (isTableName(table))
            meta.reports[table] = report;
    }
    for (const key of ['createdAt', 'command', 'gitSha', 'runner']) {
        const field = value[key];
        if (field === undefined)
            continue;
        if (typeof field !== 'string')
            throw fail(`"meta.${key}" must be a string`);
        meta[key] = field;
    }
    if (value.gpus !== undefined) {
        if (!Array.isArray(value.gpus))
            throw fail('"meta.gpus" must be an array');
        meta.gpus = value.gpus.map((gpu, i) => readGpu(gpu, i, fail));
    }
    if (value.gpuProcesses !== undefined) {
        if (!Array.isArray(value.gpuProcesses))
            throw fail('"meta.gpuProcesses" must be an array');
        meta.gpuProcesses = value.gpuProcesses.map((p, i) => readGpuProcess(p, i, fail));
    }
    if (value.distributed !== undefined) {
        const d = value.distributed;
        const rank = (r) => Number.isSafeInteger(r) && r >= 0;
        if (!isObject$3(d) ||
            !Array.isArray(d.ranks) ||
            d.ranks.length > 100_000 ||
            !d.ranks.every(rank) ||
            (d.worldSize !== undefined && !rank(d.worldSize)))
            throw fail('"meta.distributed" must have "ranks", whole numbers, and may have "worldSize"');
        meta.distributed = { ranks: d.ranks };
        if (d.worldSize !== undefined)
            meta.distributed.worldSize = d.worldSize;
    }
    return meta;
}
const SEVERITIES = ['error', 'warning', 'info'];
function readNotes(value, fail) {
    if (!Array.isArray(value))
        throw fail('"meta.notes" must be an array');
    return value.map((note, i) => {
        if (!isObject$3(note) ||
            typeof note.code !== 'string' ||
            typeof note.message !== 'string' ||
            !SEVERITIES.includes(note.severity)) {
            throw fail(`"meta.notes[${i}]" must have a string "code" and "message" and a "severity"`);
        }
        const read = {
            code: note.code,
            severity: note.severity,
            message: note.message
        };
        if (typeof note.table === 'string' && isTableName(note.table))
            read.table = note.table;
        return read;
    });
}
function readGpu(value, i, fail) {
    if (!isObject$3(value) || typeof value.name !== 'string')
        throw fail(`"meta.gpus[${i}].name" must be a string`);
    const gpu = { name: value.name };
    for (const key of [
        'driver',
        'cuda',
        'clocks',
        'uuid',
        'pciBusId',
        'persistenceMode',
        'migMode',
        'eccMode'
    ]) {
        const field = value[key];
        if (field === undefined)
            continue;
        if (typeof field !== 'string')
            throw fail(`"meta.gpus[${i}].${key}" must be a string`);
        gpu[key] = field;
    }
    for (const key of [
        'powerLimitW',
        'smClockMHz',
        'memClockMHz',
        'maxSmClockMHz',
        'maxMemClockMHz',
        'temperatureC',
        'powerDrawW'
    ]) {
        const field = value[key];
        if (field === undefined)
            continue;
        if (typeof field !== 'number' || !Number.isFinite(field))
            throw fail(`"meta.gpus[${i}].${key}" must be a number`);
        gpu[key] = field;
    }
    if (value.migDevices !== undefined)
        gpu.migDevices = stringArray(value.migDevices, `meta.gpus[${i}].migDevices`, fail);
    return gpu;
}
function readGpuProcess(value, i, fail) {
    if (!isObject$3(value) ||
        typeof value.name !== 'string' ||
        typeof value.pid !== 'number' ||
        !Number.isSafeInteger(value.pid))
        throw fail(`"meta.gpuProcesses[${i}]" must have a whole number "pid" and a string "name"`);
    const p = { pid: value.pid, name: value.name };
    if (value.gpuUuid !== undefined) {
        if (typeof value.gpuUuid !== 'string')
            throw fail(`"meta.gpuProcesses[${i}].gpuUuid" must be a string`);
        p.gpuUuid = value.gpuUuid;
    }
    if (value.usedMemoryMiB !== undefined) {
        if (typeof value.usedMemoryMiB !== 'number' || !Number.isFinite(value.usedMemoryMiB))
            throw fail(`"meta.gpuProcesses[${i}].usedMemoryMiB" must be a number`);
        p.usedMemoryMiB = value.usedMemoryMiB;
    }
    return p;
}
function readTables(value, fail) {
    if (!isObject$3(value))
        throw fail('"tables" must be an object');
    const tables = {};
    const unknown = {};
    for (const [name, tableValue] of Object.entries(value)) {
        if (!isTableName(name)) {
            if (!isObject$3(tableValue) || typeof tableValue.unit !== 'string')
                throw fail(`"tables.${name}" is not a table (an object with a "unit"): the file is damaged or not a profile JSON`);
            if (depth(tableValue) > MAX_DEPTH$1)
                throw fail(`"tables.${name}" nests deeper than ${MAX_DEPTH$1} levels, as no table of any version does: the file is damaged or not written by nsys-bench`);
            unknown[name] = tableValue;
            continue;
        }
        if (!isObject$3(tableValue) || !isObject$3(tableValue.rows))
            throw fail(`"tables.${name}.rows" must be an object`);
        const unit = TABLES[name].unit;
        if (tableValue.unit !== unit)
            throw fail(`"tables.${name}.unit" must be "${unit}"`);
        const rows = tableValue.rows;
        if (rows instanceof RowsFromBytes && rows.name === name) {
            tables[name] = rows.table;
            continue;
        }
        const table = new PackedTable();
        for (const key in rows) {
            if (!Object.hasOwn(rows, key))
                continue;
            const stat = readStat(rows[key], unit, () => `tables.${name}.rows[${JSON.stringify(key)}]`, fail);
            stat.name = detach(stat.name);
            table.merge(canonicalKey(name, stat.name), stat);
        }
        tables[name] = table;
    }
    return { tables, unknown };
}
class RowsFromBytes {
    name;
    table = new PackedTable();
    unit;
    slot;
    constructor(name) {
        this.name = name;
        this.unit = TABLES[name].unit;
        this.slot = TABLE_NAMES.indexOf(name);
    }
    add(row, memo) {
        let stat;
        try {
            stat = checkStat(row, this.unit, NOWHERE, REFUSED);
        }
        catch {
            return false;
        }
        if (memo) {
            const key = keyIn(memo, this.slot) ?? keepKey(memo, this.slot, canonicalKey(this.name, stat.name, true));
            this.table.merge(key, stat, keyIdIn(memo, this.slot, key));
        }
        else {
            stat.name = detach(stat.name);
            this.table.merge(canonicalKey(this.name, stat.name), stat);
        }
        return true;
    }
}
const REFUSED = (message) => new InputError(message);
const NOWHERE = () => 'a row';
function printStep(stat, unit) {
    const floor = unit === 'bytes' ? 1024 : 0;
    return Math.max(floor, rowStep(stat));
}
function rowStep(stat) {
    return valueStep(stat.avg, valueStep(stat.med, valueStep(stat.max, valueStep(stat.min, valueStep(stat.total, PRINT_STEP)))));
}
function valueStep(value, step) {
    if (value === undefined || value === 0)
        return step;
    if (!Number.isInteger(value))
        return 1;
    let power = 1;
    while (power < step && Number.isInteger(value / (power * 10)))
        power *= 10;
    return Math.min(step, power);
}
const PRINT_STEP = 1e5;
const MAX_VALUE$2 = Number.MAX_SAFE_INTEGER;
const FIELDS$1 = {
    ns: MEASURES.map((m) => `${m}${SUFFIX$1.ns}`),
    bytes: MEASURES.map((m) => `${m}${SUFFIX$1.bytes}`),
    calls: MEASURES.map((m) => `${m}${SUFFIX$1.calls}`)
};
function readStat(value, unit, where, fail) {
    if (!isObject$3(value))
        throw fail(`${where()}.name must be a non-empty string`);
    const [totalField, avgField, minField, maxField, medField, stdDevField] = FIELDS$1[unit];
    return checkStat({
        name: value.name,
        total: value[totalField],
        instances: value.instances,
        avg: value[avgField],
        min: value[minField],
        max: value[maxField],
        med: value[medField],
        stdDev: value[stdDevField],
        occurrences: value.occurrences,
        truncated: value.truncated,
        sharedBy: value.sharedBy
    }, unit, where, fail);
}
function checkStat(row, unit, where, fail) {
    if (typeof row.name !== 'string' || row.name.trim() === '')
        throw fail(`${where()}.name must be a non-empty string`);
    const [totalField, avgField, minField, maxField, medField, stdDevField] = FIELDS$1[unit];
    const instances = measure(row.instances, 'instances', where, fail) ?? 0;
    if (!Number.isInteger(instances))
        throw fail(`${where()}.instances must be a whole number`);
    const stat = {
        name: row.name,
        total: measure(row.total, totalField, where, fail) ?? 0,
        instances,
        avg: measure(row.avg, avgField, where, fail) ?? 0,
        min: measure(row.min, minField, where, fail) ?? 0,
        max: measure(row.max, maxField, where, fail) ?? 0
    };
    const med = measure(row.med, medField, where, fail, false);
    if (med !== undefined)
        stat.med = med;
    const stdDev = measure(row.stdDev, stdDevField, where, fail, false);
    if (stdDev !== undefined)
        stat.stdDev = stdDev;
    if (row.occurrences !== undefined) {
        const occurrences = row.occurrences;
        if (typeof occurrences !== 'number' ||
            !Number.isInteger(occurrences) ||
            occurrences < 0 ||
            occurrences > MAX_VALUE$2)
            throw fail(`${where()}.occurrences must be a whole number from 0 to ${MAX_VALUE$2}`);
        if (instances > 0 ? occurrences < 1 || occurrences > instances : occurrences !== 0)
            throw fail(`${where()}.occurrences is ${occurrences} for ${instances} instance${instances === 1 ? '' : 's'}: ` +
                (instances > 0
                    ? `the range instances that launched the kernel are 1 to ${instances}, one launch each at least`
                    : 'a row of no instance occurred in no range instance'));
        stat.occurrences = occurrences;
    }
    if (row.truncated === true)
        stat.truncated = true;
    if (row.sharedBy !== undefined) {
        const shared = row.sharedBy;
        if (typeof shared !== 'number' || !Number.isInteger(shared) || shared < 1 || shared > MAX_VALUE$2)
            throw fail(`${where()}.sharedBy must be a positive whole number`);
        stat.sharedBy = shared;
    }
    const problem = statProblem(stat, printStep(stat, unit));
    if (problem)
        throw fail(`${where()}: ${problem}`);
    return stat;
}
function measure(v, field, where, fail, required = true) {
    if (v === undefined && !required)
        return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_VALUE$2) {
        throw fail(`${where()}.${field} must be a number from 0 to ${MAX_VALUE$2}`);
    }
    return v;
}
const MAX_DEPTH$1 = 64;
function depth(value) {
    let deepest = 0;
    const stack = [[value, 1]];
    while (stack.length > 0) {
        const [v, d] = stack.pop() ?? [undefined, 0];
        if (typeof v !== 'object' || v === null)
            continue;
        deepest = Math.max(deepest, d);
        if (deepest > MAX_DEPTH$1)
            return deepest;
        for (const child of Object.values(v))
            stack.push([child, d + 1]);
    }
    return deepest;
}
function stringArray(value, where, fail) {
    if (!Array.isArray(value))
        throw fail(`"${where}" must be an array of strings`);
    return value.map((v) => {
        if (typeof v !== 'string')
            throw fail(`"${where}" must be an array of strings`);
        return v;
    });
}
function isObject$3(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function round$1(value) {
    return Math.round(value * 1000) / 1000;
}
const TIMELINE_TABLE = 'gpuTimeline';
const LAUNCHES_TABLE = 'kernelLaunches';
const BUCKETS = `log-linear-${SUB_BITS}`;
function encodeTimeline(timeline) {
    return {
        unit: 'ns',
        devices: timeline.devices.map((d) => ({
            device: d.device,
            ...(d.rank === undefined ? {} : { rank: d.rank }),
            ...(d.start === undefined ? {} : { startNs: round$1(d.start) }),
            windowNs: round$1(d.window),
            busyNs: round$1(d.busy),
            idleNs: round$1(d.idle),
            activities: d.activities,
            gaps: d.gaps.map((g) => ({
                count: g.count,
                totalNs: round$1(g.total),
                minNs: round$1(g.min),
                maxNs: round$1(g.max)
            })),
            top: d.top.map((g) => ({
                startNs: round$1(g.start),
                durationNs: round$1(g.duration),
                before: g.before,
                after: g.after
            })),
            late: d.late
        }))
    };
}
function encodeLaunches(launches) {
    const rows = [...launches.values()].sort((a, b) => b.sketch.count - a.sketch.count || compareText(a.name, b.name));
    return {
        unit: 'ns',
        buckets: BUCKETS,
        relativeError: RELATIVE_ERROR,
        rows: Object.fromEntries(rows.map((row, rank) => [
            String(rank),
            {
                name: row.name,
                launches: row.sketch.count,
                buckets: row.sketch.toArray(),
                ...(row.order ? { order: Array.from(row.order, round$1) } : {})
            }
        ]))
    };
}
const MAX_DEVICES = 4096;
const MAX_BUCKET = 64 << SUB_BITS;
const MAX_ORDER = 1 << 20;
function decodeTimeline(value, fail) {
    const where = `"tables.${TIMELINE_TABLE}"`;
    if (!isObject$3(value) || value.unit !== 'ns' || !Array.isArray(value.devices))
        throw fail(`${where} must be an object with "unit": "ns" and a "devices" list`);
    if (value.devices.length > MAX_DEVICES)
        throw fail(`${where} lists more than ${MAX_DEVICES} devices`);
    const devices = value.devices.map((d, i) => {
        const at = `${where}.devices[${i}]`;
        if (!isObject$3(d))
            throw fail(`${at} must be an object`);
        const num = (field, of = d, path = at) => {
            const v = of[field];
            if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
                throw fail(`${path}.${field} must be a non-negative number`);
            return v;
        };
        const time = (field, of = d, path = at) => {
            const v = of[field];
            if (typeof v !== 'number' || !Number.isFinite(v))
                throw fail(`${path}.${field} must be a number`);
            return v;
        };
        if (!Array.isArray(d.gaps) || !Array.isArray(d.top))
            throw fail(`${at} must have "gaps" and "top" lists`);
        if (d.gaps.length > 16 || d.top.length > 100)
            throw fail(`${at} has too many gaps listed`);
        const gaps = d.gaps.map((g, k) => {
            const path = `${at}.gaps[${k}]`;
            if (!isObject$3(g))
                throw fail(`${path} must be an object`);
            return {
                count: num('count', g, path),
                total: num('totalNs', g, path),
                min: num('minNs', g, path),
                max: num('maxNs', g, path)
            };
        });
        const top = d.top.map((g, k) => {
            const path = `${at}.top[${k}]`;
            if (!isObject$3(g))
                throw fail(`${path} must be an object`);
            return {
                start: time('startNs', g, path),
                duration: num('durationNs', g, path),
                before: activityOf(g.before, `${path}.before`, fail),
                after: activityOf(g.after, `${path}.after`, fail)
            };
        });
        const device = num('device');
        if (!Number.isInteger(device))
            throw fail(`${at}.device must be an integer`);
        const rank = d.rank === undefined ? undefined : num('rank');
        if (rank !== undefined && !Number.isInteger(rank))
            throw fail(`${at}.rank must be an integer`);
        const out = {
            device,
            ...(rank === undefined ? {} : { rank }),
            window: num('windowNs'),
            busy: num('busyNs'),
            idle: num('idleNs'),
            activities: num('activities'),
            gaps,
            top,
            late: num('late')
        };
        if (d.startNs !== undefined)
            out.start = time('startNs');
        const problem = timelineProblem(out);
        if (problem)
            throw fail(`${at}: ${problem}: the figures contradict each other, so the file was edited or damaged; get it as nsys-bench wrote it`);
        return out;
    });
    return { devices };
}
function timelineProblem(d) {
    const slack = 1 + 1e-6 * d.window;
    const fmt = round$1;
    if (d.busy > d.window + slack)
        return `busyNs ${fmt(d.busy)} is more than windowNs ${fmt(d.window)}`;
    if (Math.abs(d.window - d.busy - d.idle) > slack)
        return `idleNs ${fmt(d.idle)} is not windowNs ${fmt(d.window)} \u2212 busyNs ${fmt(d.busy)}`;
    let gaps = 0;
    for (const [k, g] of d.gaps.entries()) {
        gaps += g.total;
        if (!Number.isInteger(g.count))
            return `gaps[${k}].count ${g.count} is not a whole number`;
        if (g.count === 0 && (g.total > 0 || g.max > 0))
            return `gaps[${k}] counts no gap but holds ${fmt(Math.max(g.total, g.max))} ns`;
        if (g.max > g.total + slack)
            return `gaps[${k}].maxNs ${fmt(g.max)} is more than its totalNs ${fmt(g.total)}`;
        if (g.min > g.max + slack)
            return `gaps[${k}].minNs ${fmt(g.min)} is more than its maxNs ${fmt(g.max)}`;
    }
    if (Math.abs(gaps - d.idle) > slack)
        return `the gaps' totalNs add up to ${fmt(gaps)}, not idleNs ${fmt(d.idle)}`;
    for (const [k, g] of d.top.entries())
        if (g.duration > d.window + slack)
            return `top[${k}].durationNs ${fmt(g.duration)} is more than windowNs ${fmt(d.window)}`;
    return undefined;
}
function activityOf(value, where, fail) {
    if (!isObject$3(value) || typeof value.name !== 'string')
        throw fail(`${where} must be an object with a "name"`);
    if (value.stream === undefined)
        return { name: value.name };
    if (typeof value.stream !== 'number' || !Number.isFinite(value.stream))
        throw fail(`${where}.stream must be a number`);
    return { name: value.name, stream: value.stream };
}
function decodeLaunches(value, fail) {
    const where = `"tables.${LAUNCHES_TABLE}"`;
    if (!isObject$3(value) || value.unit !== 'ns' || !isObject$3(value.rows))
        throw fail(`${where} must be an object with "unit": "ns" and "rows"`);
    if (value.buckets !== BUCKETS) {
        if (typeof value.buckets === 'string' && /^log-linear-\d+$/.test(value.buckets))
            throw fail(`${where}.buckets is "${value.buckets}", a sketch layout of a newer nsys-bench; this one reads "${BUCKETS}". Upgrade nsys-bench.`);
        throw fail(`${where}.buckets must be "${BUCKETS}" (the sketch layout this version reads)`);
    }
    const launches = new Map();
    const rows = value.rows;
    for (const rank in rows) {
        if (!Object.hasOwn(rows, rank))
            continue;
        const row = rows[rank];
        const at = `${where}.rows[${JSON.stringify(rank)}]`;
        if (!isObject$3(row) || typeof row.name !== 'string' || !Array.isArray(row.buckets))
            throw fail(`${at} must have a "name" and a "buckets" list`);
        const list = row.buckets;
        if (list.length % 2 !== 0)
            throw fail(`${at}.buckets must hold index, count pairs`);
        for (let i = 0; i < list.length; i++) {
            const v = list[i];
            const bad = typeof v !== 'number' ||
                !Number.isInteger(v) ||
                v < 0 ||
                (i % 2 === 0 ? v >= MAX_BUCKET : v > Number.MAX_SAFE_INTEGER);
            if (bad)
                throw fail(`${at}.buckets[${i}] must be a bucket index or a count`);
        }
        const sketch = DurationSketch.fromArray(list);
        if (row.launches !== sketch.count)
            throw fail(`${at}.launches must be the sum of its counts`);
        let order;
        if (row.order !== undefined) {
            const o = row.order;
            if (!Array.isArray(o) || o.length !== sketch.count || o.length > MAX_ORDER)
                throw fail(`${at}.order must list each of the ${sketch.count} launches' durations (at most ${MAX_ORDER})`);
            for (let i = 0; i < o.length; i++) {
                const v = o[i];
                if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
                    throw fail(`${at}.order[${i}] must be a non-negative number`);
            }
            order = Float64Array.from(o);
        }
        const key = canonicalKey('kernels', row.name);
        const entry = launches.get(key);
        if (entry) {
            entry.sketch.merge(sketch);
            delete entry.order;
        }
        else
            launches.set(key, order ? { name: row.name, sketch, order } : { name: row.name, sketch });
    }
    return launches;
}

var version = "0.1.0";
var pkg = {
	version: version};

const TOOL = { name: 'nsys-bench', version: pkg.version };

const BAND_K = 3;
const MAD_SCALE = 1.4826;
const MIN_HISTORY_RUNS = 5;
function median$1(values) {
    if (values.length === 0)
        return 0;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1
        ? sorted[mid]
        : (sorted[mid - 1] + sorted[mid]) / 2;
}
function mad(values) {
    const m = median$1(values);
    return median$1(values.map((v) => Math.abs(v - m)));
}
function bandOf(values) {
    if (values.length < MIN_HISTORY_RUNS)
        return undefined;
    const center = median$1(values);
    const halfWidth = BAND_K * MAD_SCALE * mad(values);
    const pct = center > 0 ? (halfWidth / center) * 100 : halfWidth > 0 ? Infinity : 0;
    return {
        center,
        halfWidth,
        pct,
        low: Math.max(0, center - halfWidth),
        high: center + halfWidth,
        runs: values.length
    };
}
function autoLimit(values, fixed, ruleSetThreshold = false) {
    const runs = values.length;
    if (ruleSetThreshold)
        return { threshold: fixed, limit: { source: 'fixed', why: 'rule', runs } };
    const band = bandOf(values);
    if (!band)
        return { threshold: fixed, limit: { source: 'fixed', why: 'too-few-runs', runs } };
    const pct = Math.min(band.pct, 1000);
    const rounded = Math.round(pct * 100) / 100;
    if (rounded <= fixed)
        return {
            threshold: fixed,
            limit: { source: 'fixed', why: 'band-within-fixed', runs, bandPct: rounded }
        };
    return { threshold: rounded, limit: { source: 'history', runs, bandPct: rounded } };
}

const MAX_CUT_KEY = 1000;
function cutNameJoiner(cut) {
    const prefixes = new Map();
    const shorter = new Map();
    for (const t of cut) {
        scanRows(t, (key, stat) => {
            if (!stat.truncated || !key.endsWith('\u2026') || key.length > MAX_CUT_KEY)
                return;
            const whole = key.slice(0, -1).trimEnd();
            prefixes.set(whole, key);
            const short = cutPrefix(whole);
            if (short === whole)
                return;
            const seen = shorter.get(short);
            shorter.set(short, seen === undefined || seen === key ? key : null);
        });
    }
    const fallbacks = new Set();
    for (const [short, key] of shorter) {
        if (key === null || prefixes.has(short))
            continue;
        prefixes.set(short, key);
        fallbacks.add(short);
    }
    if (prefixes.size === 0)
        return (other) => other;
    const index = new PrefixIndex(prefixes.keys());
    return (other) => joinWith(prefixes, fallbacks, index, other);
}
function joinWith(prefixes, fallbacks, index, other) {
    let changed = false;
    const out = new Map();
    for (const [key, stat] of other) {
        let target = key;
        if (!prefixes.has(key)) {
            for (const prefix of index.prefixesOf(key)) {
                const cutKey = prefixes.get(prefix);
                if (cutKey === undefined || (stat.truncated && fallbacks.has(prefix)))
                    continue;
                if (cutKey === key)
                    break;
                target = cutKey;
                changed = true;
                break;
            }
        }
        if (target === key)
            addRow(out, key, { ...stat });
        else
            addRow(out, target, { ...stat, truncated: true, sharedBy: 1 });
    }
    return changed ? out : other;
}
class PrefixIndex {
    sorted;
    parent;
    constructor(prefixes) {
        this.sorted = [...prefixes].filter((p) => p.length > 0).sort();
        this.parent = new Int32Array(this.sorted.length).fill(-1);
        const stack = [];
        this.sorted.forEach((p, i) => {
            while (stack.length > 0 && !p.startsWith(this.sorted[stack[stack.length - 1]]))
                stack.pop();
            this.parent[i] = stack.length > 0 ? stack[stack.length - 1] : -1;
            stack.push(i);
        });
    }
    *prefixesOf(text) {
        let lo = 0;
        let hi = this.sorted.length - 1;
        let found = -1;
        while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            if (this.sorted[mid] <= text) {
                found = mid;
                lo = mid + 1;
            }
            else
                hi = mid - 1;
        }
        if (found < 0)
            return;
        const candidate = this.sorted[found];
        const max = Math.min(candidate.length, text.length);
        let common = 0;
        while (common < max && candidate.charCodeAt(common) === text.charCodeAt(common))
            common++;
        for (let i = found; i >= 0; i = this.parent[i]) {
            const prefix = this.sorted[i];
            if (prefix.length <= common)
                yield prefix;
        }
    }
}
function cutPrefix(text) {
    let end = text.length;
    const open = text.lastIndexOf('(');
    if (open >= 0 && /^\((?:[\w ]*\)?)?$/.test(text.slice(open)))
        end = open;
    else {
        const space = text.lastIndexOf(' ');
        if (space >= 0 && /^\w+$/.test(text.slice(space + 1)))
            end = space + 1;
    }
    return text.slice(0, end).trimEnd();
}
const BUILTIN_FAMILIES = [
    {
        label: 'source-line suffix (nvc++)',
        family: (name) => /_F\d+L\d+_\d+/.test(name) ? name.replace(/_F\d+L\d+_\d+/g, '_F#L#_#') : undefined
    },
    {
        label: 'Triton kernel index',
        family: (name) => {
            if (!name.startsWith('triton_'))
                return undefined;
            const family = name.replace(/(?:_(?=[0-9de]*\d)[0-9de]+){1,2}$/, '');
            return family === name ? undefined : `triton:${family}`;
        }
    },
    {
        label: 'tile configuration',
        family: (name) => {
            const family = name
                .replace(/(?<!\d)\d+(?:x\d+)+/g, '#')
                .replace(/_(?:tn|nt|nn|tt)(?=_|$|\W)/g, '_##');
            return family === name ? undefined : `tile:${family}`;
        }
    },
    {
        label: 'template arguments',
        family: (name) => {
            const family = withoutTemplateArguments(name);
            if (family === undefined || family === name)
                return undefined;
            const open = family.search(/\((?!anonymous namespace\))/);
            return `template:${(open < 0 ? family : family.slice(0, open)).trim()}`;
        }
    }
];
function familyOf(key, name, user) {
    for (const rule of user) {
        if (rule.match.test(name) || rule.match.test(key))
            return { id: `user:${rule.family}`, label: `family "${rule.family}" (rules file)` };
    }
    for (const builtin of BUILTIN_FAMILIES) {
        const id = builtin.family(key);
        if (id !== undefined)
            return { id, label: builtin.label };
    }
    return undefined;
}
function functionName(signature) {
    const plain = signature.includes('<') ? withoutTemplateArguments(signature) : signature;
    if (plain === undefined)
        return undefined;
    const open = plain.search(/\((?!anonymous namespace\))/);
    if (open <= 0)
        return undefined;
    const head = plain.slice(0, open).trimEnd();
    const colons = head.lastIndexOf('::');
    const name = head.slice(Math.max(colons < 0 ? 0 : colons + 2, head.lastIndexOf(' ') + 1));
    return BARE_NAME.test(name) ? name : undefined;
}
const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/;
function withoutTemplateArguments(name) {
    if (!name.includes('<'))
        return undefined;
    if (/operator\s*(?:<|>|->)|->/.test(name))
        return undefined;
    let depth = 0;
    let out = '';
    for (const ch of name) {
        if (ch === '<')
            depth += 1;
        else if (ch === '>') {
            depth -= 1;
            if (depth < 0)
                return undefined;
        }
        else if (depth === 0)
            out += ch;
    }
    return depth === 0 ? out : undefined;
}

function isGated(rules, table) {
    const t = rules.tables[table];
    return t.gate || t.gateTotal || rules.rules.some((r) => r.table === table && r.gate === true);
}
const tablesHaveData = (evidence, rules) => {
    const notes = [];
    let gatedWithData = false;
    const oneSide = { base: [], head: [] };
    for (const table of TABLE_NAMES) {
        const gated = isGated(rules, table);
        if (!gated && 'derived' in TABLES[table])
            continue;
        const severity = gated ? 'error' : 'warning';
        const title = TABLES[table].title;
        const optional = TABLES[table].optional === true;
        const base = evidence.base.tables[table];
        const head = evidence.head.tables[table];
        const baseHas = base.includes('data');
        const headHas = head.includes('data');
        if (gated && (optional ? baseHas && headHas : baseHas || headHas))
            gatedWithData = true;
        if (baseHas !== headHas) {
            const [without, states] = baseHas ? ['head', head] : ['base', base];
            const missing = states.every((s) => s === 'missing');
            if (missing && optional) {
                oneSide[baseHas ? 'base' : 'head'].push(title);
                continue;
            }
            notes.push({
                code: missing ? 'table-missing' : 'table-empty',
                severity,
                message: missing
                    ? `${title}: the ${baseHas ? 'base' : 'head'} has data but the ${without} has no such report, so it cannot be compared${gated ? ' (the table is gated)' : ''}.`
                    : `${title}: the ${baseHas ? 'base' : 'head'} has data but the ${without}'s report ran and found none (nsys "SKIPPED: \u2026 does not contain \u2026 data"): a failed or empty capture, a capture range that never opened, CUDA graphs recorded whole (--cuda-graph-trace=graph), or a CPU fallback.${gated ? ' The table is gated, so the comparison cannot pass.' : ''}`
            });
            continue;
        }
        if (!baseHas)
            continue;
        for (const [label, states] of [
            ['base', base],
            ['head', head]
        ]) {
            const empty = states.flatMap((s, i) => (s === 'empty' ? [i + 1] : []));
            if (empty.length > 0)
                notes.push({
                    code: 'runs-without-data',
                    severity,
                    message: `${title}: ${empty.length} of ${states.length} ${label} runs (run${empty.length === 1 ? '' : 's'} ${empty.join(', ')}) have no data while the others do: those captures failed, and their zeros would distort the comparison.`
                });
            const missing = states.flatMap((s, i) => (s === 'missing' ? [i + 1] : []));
            if (missing.length > 0)
                notes.push({
                    code: 'runs-without-table',
                    severity: 'warning',
                    message: `${title}: ${missing.length} of ${states.length} ${label} runs (run${missing.length === 1 ? '' : 's'} ${missing.join(', ')}) ${missing.length === 1 ? 'has' : 'have'} no such table while the others do (a report or trace that run did not give): the table is compared over the other runs.`
                });
        }
    }
    for (const side of ['base', 'head']) {
        const titles = oneSide[side];
        if (titles.length === 0)
            continue;
        const one = titles.length === 1;
        notes.push({
            code: 'analysis-one-side',
            severity: 'warning',
            message: `${titles.join('; ')}: only the ${side} has the report ${one ? 'this table comes' : 'these tables come'} from (the GPU trace \`cuda_gpu_trace\`, or for the host side \`cuda_api_sum\`), so ${one ? 'it is' : 'they are'} not compared; the kernels still are. Give both sides the same reports.`
        });
    }
    if (!gatedWithData) {
        const gated = TABLE_NAMES.filter((t) => isGated(rules, t)).map((t) => TABLES[t].title);
        notes.push({
            code: 'no-gated-data',
            severity: 'error',
            message: `Nothing to gate: no gated table (${gated.join(', ') || 'none'}) has data on either side.`
        });
    }
    return notes;
};
const percent$1 = (part, whole) => (whole > 0 ? (part / whole) * 100 : 100);
const pct$2 = (value) => `${Math.round(value * 10) / 10}%`;
const kernelsMatch = (evidence, rules) => {
    const k = evidence.kernels;
    if (!k || k.baseTotal <= 0 || !evidence.head.tables.kernels.includes('data'))
        return [];
    const share = percent$1(k.matchedByName + k.matchedAsVariant, k.baseTotal);
    if (share >= rules.checks.minMatchedShare)
        return [];
    return [
        {
            code: 'low-kernel-match',
            severity: 'error',
            message: `Only ${pct$2(share)} of the base's GPU kernel time has a matching kernel on the head (${pct$2(percent$1(k.matchedByName, k.baseTotal))} by name, ${pct$2(percent$1(k.matchedAsVariant, k.baseTotal))} as a changed variant); the limit is ${rules.checks.minMatchedShare}%. The two sides ran different kernels, or the names do not match (different kernel naming, names cut by the column format): the totals compare different work.`
        }
    ];
};
function sameProfilerMajor(base, head, evidence, rules, what) {
    const sides = { base, head };
    const notes = [];
    const mixed = ['base', 'head'].filter((side) => sides[side].length > 1);
    if (mixed.length > 0)
        notes.push({
            code: what.differs,
            severity: 'warning',
            message: `The runs of a side ran different ${what.title} versions (${mixed.map((side) => `${side} ${sides[side].join(', ')}`).join('; ')}): kernel names may be spelled differently from one run to another, and the runs are not repetitions of one measurement. Profile every run with ${what.same}.`
        });
    if (base.length === 0 || head.length === 0) {
        const known = base.length > 0 ? 'base' : head.length > 0 ? 'head' : undefined;
        const unknown = known === 'base' ? 'head' : 'base';
        if (what.unknown && known && (evidence[unknown].profilers ?? ['nsys']).includes(what.profiler))
            notes.push({
                code: what.unknown,
                severity: 'info',
                message: `Only the ${known} recorded its ${what.title} version (${sides[known].join(', ')}); the ${unknown}'s input names none (report files of \`nsys stats\` do not), so the versions could not be compared, nor a change of version held to the stricter match by name across versions (${rules.checks.minMatchedShareAcrossVersions}%).`
            });
        return notes;
    }
    if (base.join() === head.join())
        return notes;
    const k = evidence.kernels;
    const share = k && k.baseTotal > 0 ? percent$1(k.matchedByName, k.baseTotal) : 100;
    const limit = rules.checks.minMatchedShareAcrossVersions;
    if (share < limit) {
        return [
            {
                code: what.mismatch,
                severity: 'error',
                message: `Different ${what.title} versions (base ${base.join(', ')}, head ${head.join(', ')}) and only ${pct$2(share)} of the base's GPU kernel time matched by name (the limit across versions is ${limit}%): kernel names are spelled differently by the two versions. Profile both sides with ${what.same}.`
            },
            ...notes
        ];
    }
    return [
        {
            code: what.differs,
            severity: 'warning',
            message: `Different ${what.title} versions: base ${base.join(', ')}, head ${head.join(', ')} (${pct$2(share)} of the base's GPU kernel time matched by name).`
        },
        ...notes
    ];
}
const sameNsys = (evidence, rules) => sameProfilerMajor(evidence.base.nsys, evidence.head.nsys, evidence, rules, {
    title: 'Nsight Systems',
    profiler: 'nsys',
    same: 'the same nsys',
    mismatch: 'nsys-version-mismatch',
    differs: 'nsys-version-differs',
    unknown: 'nsys-version-unknown'
});
const sameRocprofv3 = (evidence, rules) => sameProfilerMajor(evidence.base.rocprofv3 ?? [], evidence.head.rocprofv3 ?? [], evidence, rules, {
    title: 'rocprofv3 (rocprofiler-sdk)',
    profiler: 'rocprofv3',
    same: 'the same rocprofv3 (the same ROCm)',
    mismatch: 'rocprofv3-version-mismatch',
    differs: 'rocprofv3-version-differs'
});
const INCOMPLETE_INPUT = new Map([
    [
        'rows-missing',
        { why: 'rows of the report are missing (its "Time (%)" shares fall short: an excerpt?)' }
    ],
    [
        'rows-unreadable',
        { why: 'rows of the report could not be read (a damaged or cut line) and were left out' }
    ],
    [
        'rows-extra',
        {
            why: "rows of another table or run are in the report (its shares add up past 100%): its totals are not one run's"
        }
    ],
    [
        'trace-truncated',
        {
            why: 'the trace ends early (the file was cut while it was written): the rest of the run is missing'
        }
    ],
    [
        'trace-events-unreadable',
        { why: 'events of the trace could not be read (no name, start or duration) and were left out' }
    ],
    [
        'trace-ranks-missing',
        {
            why: "a rank's trace is missing (the world size names more ranks than wrote one)",
            oneSided: true
        }
    ]
]);
const wholeInputs = (evidence, rules) => ['base', 'head'].flatMap((side) => {
    const other = evidence[side === 'base' ? 'head' : 'base'].incomplete ?? [];
    const ranksKnown = evidence.base.ranksByRun && evidence.head.ranksByRun;
    const found = (evidence[side].incomplete ?? []).flatMap((entry) => {
        const [code = '', table] = entry.split(':');
        const known = INCOMPLETE_INPUT.get(code);
        if (known === undefined)
            return [];
        if (table === undefined) {
            if (known.oneSided && (other.includes(entry) || ranksKnown))
                return [];
            return [known.why];
        }
        if (!isTableName(table) || !isGated(rules, table))
            return [];
        return [`${TABLES[table].title}: ${known.why}`];
    });
    if (found.length === 0)
        return [];
    return [
        {
            code: 'input-incomplete',
            severity: 'error',
            message: `The ${side}'s input is not the whole run (${found.join('; ')}): its totals are not the run's totals, and what is missing may be what changed. Give the whole reports (\`nsys stats\` output as written, every rank's trace, a trace the profiler finished writing).`
        }
    ];
});
function labelledRuns(evidence, key) {
    return ['base', 'head'].map((side) => (evidence[side][key] ?? []).flatMap((value, i) => value === '' ? [] : [{ label: `${side} run ${i + 1}`, value }]));
}
const sameRanks = (evidence) => {
    const runs = labelledRuns(evidence, 'ranksByRun').flat();
    if (distinct(runs.map((r) => r.value)).length <= 1)
        return [];
    return [
        {
            code: 'ranks-differ',
            severity: 'error',
            message: `The runs hold different ranks of a distributed run (${groups(runs.map((r) => ({
                label: r.label,
                value: `${r.value.includes(',') ? 'ranks' : 'rank'} ${r.value}`
            })))}): kernels and every other table are summed over the ranks a run holds, so the totals compare different work. Give every run the traces of the same ranks.`
        }
    ];
};
const sameGpu = (evidence, rules) => {
    const severity = rules.checks.gpuMismatch === 'inconclusive' ? 'error' : 'warning';
    const base = evidence.base.gpus.join(', ');
    const head = evidence.head.gpus.join(', ');
    const byRun = labelledRuns(evidence, 'gpusByRun');
    if (byRun.some((runs) => distinct(runs.map((r) => r.value)).length > 1))
        return [
            {
                code: 'gpu-mismatch',
                severity,
                message: `The runs of a side ran on different GPUs (${groups(byRun.flat())}); timings are not comparable.`
            }
        ];
    if (!base !== !head) {
        const [known, unknown] = base ? ['base', 'head'] : ['head', 'base'];
        return [
            {
                code: 'gpu-unknown',
                severity: 'info',
                message: `Only the ${known} recorded its GPU (${base || head}); the ${unknown} recorded none (\`nvidia-smi\` was not found where it ran, or its reports name no device), so the GPU models could not be compared.`
            }
        ];
    }
    if (!base || !head || base === head)
        return [];
    return [
        {
            code: 'gpu-mismatch',
            severity,
            message: `Different GPUs: base ran on ${base}, head on ${head}; timings are not comparable.`
        }
    ];
};
const sameLaunches = (evidence, rules, tables) => {
    const perOccurrence = perOccurrenceGated(evidence, rules, tables);
    const launches = evidence.kernels?.launches;
    const r = rules.checks.minInstanceRatio;
    const ratio = launches && launches.base > 0 ? launches.head / launches.base : 1;
    const outside = launches !== undefined && launches.base > 0 && r > 0 && (ratio < r || ratio > 1 / r);
    if (!outside) {
        const changed = perOccurrence.flatMap(({ occurred }) => occurred);
        if (changed.length === 0)
            return [];
        return [
            {
                code: 'totals-not-comparable',
                severity: 'warning',
                message: `The NVTX phases gated per occurrence occurred a different number of times on the two sides (${listed(changed, 3, (c) => c, '; ')}): the workload changed (iterations, batch size, capture range), so the totals are not comparable. The tables measured in total (kernels, memory operations, idle time, \u2026) are shown but not gated; the verdict rests on ${perOccurrence.map((t) => TABLES[t.table].title).join(' and ')}, compared per occurrence.`
            }
        ];
    }
    const what = `The kernels both sides have were launched ${launches.base} times on the base and ${launches.head} on the head (×${Math.round(ratio * 100) / 100}; the limit is ×${r} to ×${Math.round((1 / r) * 100) / 100}): the capture window or the workload changed (iterations, batch size, capture range), so the totals are not comparable`;
    if (perOccurrence.length > 0)
        return [
            {
                code: 'totals-not-comparable',
                severity: 'warning',
                message: `${what}. The tables measured in total (kernels, memory operations, idle time, \u2026) are shown but not gated; the verdict rests on ${perOccurrence.map((t) => TABLES[t.table].title).join(' and ')}, compared per occurrence.`
            }
        ];
    return [
        {
            code: 'launches-changed',
            severity: 'error',
            message: `${what}. Gate NVTX phases (rules file: \`"tables": {"nvtxGpu": {"gate": true}}\`) to judge per occurrence instead${perOccurrenceRules(rules)}.`
        }
    ];
};
function perOccurrenceRules(rules) {
    const tables = TABLE_NAMES.filter((t) => TABLES[t].measure === 'perOccurrence' && isGated(rules, t));
    return tables.length === 0
        ? ''
        : ` (the rules gate ${tables.map((t) => TABLES[t].title).join(' and ')}, but no gated phase was measured on both sides: check the rule's pattern against the phases' names)`;
}
function perOccurrenceGated(evidence, rules, tables) {
    const out = [];
    for (const diff of tables) {
        const t = diff.table;
        if (TABLES[t].measure !== 'perOccurrence' || !isGated(rules, t))
            continue;
        const everyRun = (side) => side.tables[t].length > 0 && side.tables[t].every((s) => s === 'data');
        if (!everyRun(evidence.base) || !everyRun(evidence.head))
            continue;
        const compared = diff.items.filter((i) => i.gated && i.base && i.head);
        if (compared.length === 0)
            continue;
        const occurred = [];
        for (const item of compared) {
            const b = occurrencesOf(item.base);
            const h = occurrencesOf(item.head);
            if (b !== h)
                occurred.push(`${clip(item.name, 80)}: ${b} \u2192 ${h}`);
        }
        out.push({ table: t, occurred });
    }
    return out;
}
function ungateTotals(tables, notes) {
    if (!notes.some((n) => n.code === 'totals-not-comparable'))
        return;
    for (const table of tables) {
        if (TABLES[table.table].measure !== 'total')
            continue;
        for (const item of table.items)
            item.gated = false;
        table.total.gated = false;
        table.gated = false;
    }
}
function gatedMeasurement(tables, notes) {
    const said = new Set(['no-gated-data', 'table-missing', 'table-empty']);
    if (notes.some((n) => n.severity === 'error' && said.has(n.code)))
        return [];
    for (const t of tables) {
        if (t.total.gated && (t.total.base > 0 || t.total.head > 0))
            return [];
        for (const item of t.items)
            if (item.gated && ((item.base?.value ?? 0) > 0 || (item.head?.value ?? 0) > 0))
                return [];
    }
    const ignored = tables.reduce((sum, t) => sum + t.ignored, 0);
    return [
        {
            code: 'no-gated-data',
            severity: 'error',
            message: `Nothing to gate: no gated item or total measured anything on either side${ignored > 0 ? ` (the rules ignore ${ignored} item${ignored === 1 ? '' : 's'})` : ''}. The rules ignore or ungate everything the reports hold, or the gated tables hold only zeros. Gate a table that measured the benchmark's work.`
        }
    ];
}
function idleWithoutRuns(tables, method) {
    if (method.kind !== 'single-run')
        return [];
    const idle = tables.find((t) => t.table === 'gpuIdle');
    if (!idle || !(idle.gated || idle.total.gated))
        return [];
    for (const item of idle.items)
        item.gated = false;
    idle.gated = false;
    idle.total.gated = false;
    const { total } = idle;
    if (total.status === 'regressed' &&
        total.base > 0 &&
        total.head > IDLE_RISE_WARNING * total.base) {
        return [
            {
                code: 'idle-rise-not-gated',
                severity: 'warning',
                message: `GPU idle time rose ${(total.head / total.base).toFixed(1)}-fold (${ms(total.base)} \u2192 ${ms(total.head)}), more than runs of one unchanged program varied (3.4-fold on an H200), but with one run a side it is not gated: one run cannot tell the host's pace from a change. Turning CUDA graphs off does this (13-fold there). Use 3 or more runs a side (the action: \`repetitions: 5\`) to have it judged.`
            }
        ];
    }
    return [
        {
            code: 'idle-not-gated',
            severity: 'info',
            message: `GPU idle time is shown, not gated, without repeated runs on both sides: it follows the host's pace, which varies from run to run far more than the GPU's work does, and one run a side cannot tell that variation from a change. Use 2 or more runs a side (5 recommended; the action: \`repetitions: 5\`) to gate it. New host synchronisations, a common cause of idle time, are gated as counts.`
        }
    ];
}
function busyWithIgnored(tables) {
    const busy = tables.find((t) => t.table === 'gpuBusy');
    if (!busy?.total.gated)
        return [];
    let ignored = 0;
    for (const t of tables)
        if (t.table === 'kernels' || t.table === 'memTime')
            ignored += t.ignored;
    if (ignored === 0)
        return [];
    busy.total.gated = false;
    return [
        {
            code: 'busy-not-gated',
            severity: 'info',
            message: `GPU busy time is shown, not gated: the rules ignore ${ignored} kernel${ignored === 1 ? '' : 's'} or memory operation${ignored === 1 ? '' : 's'}, and busy time, the union of everything the GPU ran, still holds their time. To gate it anyway, gate its rows with a rule: \`{ "table": "gpuBusy", "match": "^GPU", "gate": true }\`.`
        }
    ];
}
const IDLE_RISE_WARNING = 4;
const ms = (ns) => `${(ns / 1e6).toFixed(2)} ms`;
const sameNaming = (evidence, _rules, tables) => {
    const namings = new Set([...evidence.base.naming, ...evidence.head.naming]);
    if (namings.size > 1)
        return [
            {
                code: 'kernel-naming',
                severity: 'error',
                message: `The two sides name kernels differently (${[...namings].join(' vs ')}: nsys cuda_gpu_kern_sum variants); compare profiles made with the same report variant.`
            }
        ];
    const kernels = tables.find((t) => t.table === 'kernels');
    const pairs = kernels ? bareNamePairs(kernels) : undefined;
    if (!pairs)
        return [];
    const [full, bare] = pairs.example;
    return [
        {
            code: 'kernel-naming',
            severity: 'error',
            message: `The two sides name kernels differently: ${pairs.count} of the ${pairs.of} kernels with a full signature only the ${pairs.side} has reappear on the other side under their bare function name (\`${clip(bare, 80)}\` for \`${clip(full, 120)}\`), as nsys's \`cuda_gpu_kern_sum:base\` variant prints them. Compare profiles made with the same report variant.`
        }
    ];
};
function bareNamePairs(kernels) {
    const only = { base: [], head: [] };
    const signatures = { base: 0, head: 0 };
    for (const item of kernels.items) {
        if (item.variant)
            continue;
        const signature = item.name.includes('(');
        if (item.base && signature)
            signatures.base += 1;
        if (item.head && signature)
            signatures.head += 1;
        if (item.base && !item.head)
            only.base.push(item.name);
        else if (item.head && !item.base)
            only.head.push(item.name);
    }
    for (const [side, other] of [
        ['base', 'head'],
        ['head', 'base']
    ]) {
        const full = only[side].filter((name) => name.includes('('));
        if (full.length === 0)
            continue;
        const bare = new Set(only[other].filter((name) => BARE_NAME.test(name)));
        if (bare.size === 0)
            continue;
        let count = 0;
        let example;
        for (const name of full) {
            const fn = functionName(name);
            if (fn === undefined || !bare.has(fn))
                continue;
            count += 1;
            example ??= [name, fn];
        }
        const of = signatures[side];
        if (example && count * 2 >= of)
            return { count, of, side, example };
    }
    return undefined;
}
const sameProfiler = (evidence) => {
    const base = evidence.base.profilers ?? [];
    const head = evidence.head.profilers ?? [];
    if (base.length === 0 || head.length === 0)
        return [];
    if (base.length === 1 && head.length === 1 && base[0] === head[0])
        return [];
    const mixed = base.length > 1 || head.length > 1;
    return [
        {
            code: 'profiler-mismatch',
            severity: 'error',
            message: `${mixed ? 'A side mixes profiles of different profilers' : 'The two sides were measured by different profilers'} (base: ${base.join(', ')}; head: ${head.join(', ')}). Each records a different window (the PyTorch profiler its scheduled steps, nsys the whole process or its capture range, rocprof every dispatch), with its own overhead and its own spelling of kernel names, so their totals do not compare. Profile both sides with the same profiler.`
        }
    ];
};
function gpuRunFacts(profile) {
    const gpus = profile.meta.gpus ?? [];
    const facts = {};
    if (gpus.length > 0 && gpus.every((g) => g.migMode !== undefined)) {
        facts.mig = gpus
            .map((g) => (g.migMode === 'Enabled' ? g.migDevices?.join('+') || 'on' : 'off'))
            .join('; ');
    }
    const drivers = distinct(gpus.map((g) => g.driver));
    if (drivers.length > 0)
        facts.driver = drivers.join(', ');
    if (gpus.some((g) => g.persistenceMode ?? g.eccMode ?? g.powerLimitW)) {
        facts.settings = gpus
            .map((g) => `persistence ${g.persistenceMode ?? '?'}, ECC ${g.eccMode ?? '?'}, power limit ${g.powerLimitW ?? '?'} W`)
            .join('; ');
    }
    const others = profile.meta.gpuProcesses;
    if (others)
        facts.others = others.map((p) => `${p.name || 'unnamed'} (pid ${p.pid})`);
    const clock = gpus[0]?.smClockMHz;
    if (clock !== undefined)
        facts.smClockMHz = clock;
    return facts;
}
function gpuRuns(evidence) {
    return ['base', 'head'].flatMap((side) => (evidence[side].gpuRuns ?? []).map((facts, i) => ({ label: `${side} run ${i + 1}`, facts })));
}
const distinct = (values) => [...new Set(values.filter((v) => v !== undefined))].sort();
function groups(runs, limit = 6) {
    const by = new Map();
    for (const r of runs)
        by.set(r.value, [...(by.get(r.value) ?? []), r.label]);
    const parts = [...by].map(([value, labels]) => `${value} in ${labels.join(', ')}`);
    return parts.length > limit
        ? `${parts.slice(0, limit).join('; ')}; and ${parts.length - limit} more`
        : parts.join('; ');
}
const sameMigLayout = (evidence) => {
    const base = distinct((evidence.base.gpuRuns ?? []).map((r) => r.mig));
    const head = distinct((evidence.head.gpuRuns ?? []).map((r) => r.mig));
    if (base.length === 0 || head.length === 0 || distinct([...base, ...head]).length <= 1)
        return [];
    return [
        {
            code: 'mig-layout-differs',
            severity: 'error',
            message: `The GPU's MIG layout differs between the runs (${groups(gpuRuns(evidence).flatMap(({ label, facts }) => facts.mig === undefined ? [] : [{ label, value: `MIG ${facts.mig}` }]))}): a MIG instance has a share of the GPU's SMs and memory, so timings on different layouts do not compare.`
        }
    ];
};
const gpuAlone = (evidence) => {
    const shared = gpuRuns(evidence).filter(({ facts }) => (facts.others ?? []).length > 0);
    if (shared.length === 0)
        return [];
    const listed = shared
        .slice(0, 5)
        .map(({ label, facts }) => `${label}: ${(facts.others ?? []).slice(0, 3).join(', ')}`);
    return [
        {
            code: 'gpu-shared',
            severity: 'error',
            message: `Another process was on the GPU when ${shared.length} run${shared.length === 1 ? '' : 's'} started (${listed.join('; ')}${shared.length > 5 ? '; \u2026' : ''}): it competes with the benchmark for the GPU, so the timings measure both. Give the runner the GPU alone.`
        }
    ];
};
const sameDriver = (evidence) => {
    const base = distinct((evidence.base.gpuRuns ?? []).map((r) => r.driver));
    const head = distinct((evidence.head.gpuRuns ?? []).map((r) => r.driver));
    if (base.length === 0 || head.length === 0 || base.join() === head.join())
        return [];
    const major = (v) => v.split('.')[0] ?? v;
    const majors = distinct([...base, ...head].map(major));
    return [
        majors.length > 1
            ? {
                code: 'driver-major-differs',
                severity: 'warning',
                message: `Different GPU driver versions: base ${base.join(', ')}, head ${head.join(', ')}. A major driver version changes the CUDA runtime's behaviour; compare on one driver where you can.`
            }
            : {
                code: 'driver-minor-differs',
                severity: 'info',
                message: `Different GPU driver releases: base ${base.join(', ')}, head ${head.join(', ')}.`
            }
    ];
};
const sameGpuSettings = (evidence) => {
    const base = distinct((evidence.base.gpuRuns ?? []).map((r) => r.settings));
    const head = distinct((evidence.head.gpuRuns ?? []).map((r) => r.settings));
    if (base.length === 0 || head.length === 0 || distinct([...base, ...head]).length <= 1)
        return [];
    return [
        {
            code: 'gpu-settings-differ',
            severity: 'warning',
            message: `The GPU's settings differ between the runs (${groups(gpuRuns(evidence).flatMap(({ label, facts }) => facts.settings === undefined ? [] : [{ label, value: facts.settings }]))}).`
        }
    ];
};
const CLOCK_SPREAD = 0.05;
const steadyClocks = (evidence) => {
    const runs = gpuRuns(evidence).flatMap(({ label, facts }) => facts.smClockMHz === undefined ? [] : [{ label, clock: facts.smClockMHz }]);
    if (runs.length < 2)
        return [];
    const clocks = runs.map((r) => r.clock);
    const high = Math.max(...clocks);
    if (high <= 0 || (high - Math.min(...clocks)) / high <= CLOCK_SPREAD)
        return [];
    return [
        {
            code: 'clocks-differ',
            severity: 'warning',
            message: `The SM clock differed between the runs as they started (${groups(runs.map((r) => ({ label: r.label, value: `${r.clock} MHz` })))}): the clocks are not locked, so each run ran as fast as the GPU's temperature and power allowed. Lock them (README, "Self-hosted GPU runners").`
        }
    ];
};
const CHECKS = [
    tablesHaveData,
    wholeInputs,
    sameRanks,
    sameProfiler,
    sameNaming,
    sameGpu,
    sameMigLayout,
    gpuAlone,
    sameDriver,
    sameGpuSettings,
    steadyClocks,
    sameNsys,
    sameRocprofv3,
    kernelsMatch,
    sameLaunches
];
function runChecks(evidence, rules, tables) {
    return CHECKS.flatMap((check) => check(evidence, rules, tables));
}
function kernelFacts(kernels) {
    const facts = {
        baseTotal: 0,
        matchedByName: 0,
        matchedAsVariant: 0,
        launches: { base: 0, head: 0 }
    };
    for (const item of kernels.items) {
        const b = item.base?.total ?? 0;
        facts.baseTotal += b;
        if (!item.base || !item.head)
            continue;
        if (item.variant)
            facts.matchedAsVariant += b;
        else
            facts.matchedByName += b;
        facts.launches.base += item.base.instances;
        facts.launches.head += item.head.instances;
    }
    return facts;
}

const VERDICTS = ['pass', 'regression', 'inconclusive', 'accepted'];
function gatedItemRegressed(table) {
    return table.items.some((item) => item.gated && item.status === 'regressed');
}
function totalFails(table) {
    return table.total.status === 'regressed' && table.total.gated && !table.total.accepted;
}
function decide(tables, notes) {
    const counts = { regressed: 0, accepted: 0, improved: 0, totalsRegressed: 0 };
    const regressed = [];
    const totals = [];
    const accepted = [];
    for (const table of tables) {
        let n = 0;
        const measured = !('derived' in TABLES[table.table]);
        for (const item of table.items) {
            if (item.status === 'improved' && measured)
                counts.improved += 1;
            if (item.status !== 'regressed' || !item.gated)
                continue;
            if (item.accepted) {
                counts.accepted += 1;
                accepted.push(`${clip(item.name, 200)} (${item.accepted.reason})`);
            }
            else
                n += 1;
        }
        counts.regressed += n;
        const title = TABLES[table.table].title;
        if (n > 0)
            regressed.push(`${title}: ${n}`);
        const total = table.total;
        if (total.status === 'regressed' && total.gated) {
            if (total.accepted)
                accepted.push(`the total of ${title} (${total.accepted.reason})`);
            else {
                counts.totalsRegressed += 1;
                totals.push(`the total of ${title}`);
            }
        }
    }
    const errors = notes.filter((n) => n.severity === 'error');
    if (errors.length > 0)
        return { verdict: 'inconclusive', reasons: errors, counts };
    if (regressed.length > 0 || totals.length > 0) {
        const n = counts.regressed;
        const items = n > 0 ? `${n} gated item${n === 1 ? '' : 's'} regressed (${regressed.join(', ')})` : '';
        const text = [items, ...totals.map((t) => `${t} regressed`)].filter(Boolean).join(', and ');
        return {
            verdict: 'regression',
            reasons: [
                {
                    code: 'regressed',
                    severity: 'error',
                    message: `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
                }
            ],
            counts
        };
    }
    if (accepted.length > 0) {
        return {
            verdict: 'accepted',
            reasons: [
                {
                    code: 'accepted',
                    severity: 'info',
                    message: `Accepted regressions: ${listed(accepted, 10, (a) => a, '; ')}.`
                }
            ],
            counts
        };
    }
    return { verdict: 'pass', reasons: [], counts };
}

function median(values) {
    const n = values.length;
    if (n === 0)
        return 0;
    if (n > scratch.length)
        scratch = new Float64Array(Math.max(n, scratch.length * 2));
    const sorted = scratch;
    let ordered = true;
    for (let i = 0; i < n; i++) {
        const value = values[i];
        if (value !== value)
            ordered = false;
        sorted[i] = value;
    }
    if (n <= 16 && ordered) {
        for (let i = 1; i < n; i++) {
            const value = sorted[i];
            let j = i - 1;
            while (j >= 0 && sorted[j] > value) {
                sorted[j + 1] = sorted[j];
                j--;
            }
            sorted[j + 1] = value;
        }
    }
    else
        sorted.subarray(0, n).sort();
    const mid = n >> 1;
    return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
let scratch = new Float64Array(64);
const CDF_CACHE = new Map();
const EXACT_LIMIT = 400;
function uCdf(n, m) {
    if (n * m > EXACT_LIMIT)
        return undefined;
    const key = `${n},${m}`;
    const cached = CDF_CACHE.get(key);
    if (cached)
        return cached;
    let previous = [];
    for (let i = 0; i <= n; i++) {
        const row = [];
        for (let j = 0; j <= m; j++) {
            const dist = new Float64Array(i * j + 1);
            if (i === 0 || j === 0)
                dist[0] = 1;
            else {
                const a = previous[j];
                const b = row[j - 1];
                if (a)
                    for (let u = 0; u < a.length; u++)
                        dist[u + j] = (dist[u + j] ?? 0) + (a[u] ?? 0);
                if (b)
                    for (let u = 0; u < b.length; u++)
                        dist[u] = (dist[u] ?? 0) + (b[u] ?? 0);
            }
            row.push(dist);
        }
        previous = row;
    }
    const counts = previous[m] ?? new Float64Array(1);
    let total = 0;
    for (const c of counts)
        total += c;
    const cdf = new Float64Array(counts.length);
    let running = 0;
    for (let u = 0; u < counts.length; u++) {
        running += counts[u] ?? 0;
        cdf[u] = running / total;
    }
    CDF_CACHE.set(key, cdf);
    return cdf;
}
function minimumPValue(n, m) {
    const cdf = uCdf(n, m);
    if (cdf)
        return Math.min(1, 2 * (cdf[0] ?? 1));
    return 0;
}
function leastPValue(base, head, way) {
    const n = base.length;
    const m = head.length;
    const untied = minimumPValue(n, m);
    if (n === 0 || m === 0 || base.some(Number.isNaN) || head.some(Number.isNaN))
        return untied;
    const all = [...base, ...head].sort(ascending);
    let ties = false;
    for (let i = 1; i < all.length; i++)
        if (all[i] === all[i - 1])
            ties = true;
    if (!ties)
        return untied;
    let least = 1;
    for (const up of way > 0 ? [true] : way < 0 ? [false] : [true, false]) {
        const cut = up ? n : m;
        if (all[0] === all[all.length - 1])
            continue;
        if (n * m > EXACT_LIMIT) {
            const low = all.slice(0, cut);
            const high = all.slice(cut);
            least = Math.min(least, (up ? mannWhitney(low, high) : mannWhitney(high, low)).p);
            continue;
        }
        const value = all[cut - 1];
        let t = 0;
        let k = 0;
        for (let i = 0; i < all.length; i++) {
            if (all[i] !== value)
                continue;
            t += 1;
            if (i < cut)
                k += 1;
        }
        least = Math.min(least, (2 * binomial(t, k)) / binomial(n + m, m));
    }
    return Math.min(1, least);
}
function binomial(a, b) {
    const k = Math.min(b, a - b);
    let c = 1;
    for (let i = 0; i < k; i++)
        c = (c * (a - i)) / (i + 1);
    return c;
}
function mannWhitney(base, head) {
    const n = base.length;
    const m = head.length;
    if (base.some(Number.isNaN) || head.some(Number.isNaN))
        return { u: Number.NaN, p: 1, exact: false };
    let u = 0;
    for (const b of base) {
        for (const h of head) {
            if (h > b)
                u += 1;
            else if (h === b)
                u += 0.5;
        }
    }
    const all = [...base, ...head].sort(ascending);
    let ties = false;
    for (let i = 1; i < all.length; i++)
        if (all[i] === all[i - 1])
            ties = true;
    if (n * m <= EXACT_LIMIT && ties)
        return { u, p: tiedExactP(base, head), exact: true };
    const cdf = ties ? undefined : uCdf(n, m);
    if (cdf) {
        const tail = cdf[Math.min(u, n * m - u)] ?? 1;
        return { u, p: Math.min(1, 2 * tail), exact: true };
    }
    let tieTerm = 0;
    for (let i = 0; i < all.length;) {
        let j = i;
        while (j < all.length && all[j] === all[i])
            j++;
        const t = j - i;
        tieTerm += t ** 3 - t;
        i = j;
    }
    const N = n + m;
    const mean = (n * m) / 2;
    const variance = ((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
    if (variance <= 0)
        return { u, p: 1, exact: false };
    const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
    return { u, p: Math.min(1, 2 * normalUpperTail(z)), exact: false };
}
const ascending = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
function tiedExactP(base, head) {
    const countHead = head.length <= base.length;
    const all = [
        ...base.map((v) => ({ v, counted: !countHead })),
        ...head.map((v) => ({ v, counted: countHead }))
    ].sort((a, b) => ascending(a.v, b.v));
    const N = all.length;
    const k = countHead ? head.length : base.length;
    const ranks = new Array(N);
    let observed = 0;
    for (let i = 0; i < N;) {
        let j = i;
        while (j < N && all[j].v === all[i].v)
            j++;
        for (let t = i; t < j; t++) {
            ranks[t] = i + j + 1;
            if (all[t].counted)
                observed += i + j + 1;
        }
        i = j;
    }
    let max = 0;
    for (let t = N - k; t < N; t++)
        max += ranks[t];
    const width = max + 1;
    const ways = new Float64Array((k + 1) * width);
    ways[0] = 1;
    let reach = 0;
    for (let t = 0; t < N; t++) {
        const r = ranks[t];
        const top = Math.min(reach, max - r);
        reach += r;
        for (let j = Math.min(t + 1, k); j >= 1; j--) {
            const to = j * width;
            const from = (j - 1) * width;
            for (let s = top; s >= 0; s--) {
                const w = ways[from + s];
                if (w !== 0)
                    ways[to + s + r] = ways[to + s + r] + w;
            }
        }
    }
    let total = 0;
    let low = 0;
    let high = 0;
    for (let s = 0; s <= max; s++) {
        const w = ways[k * width + s];
        total += w;
        if (s <= observed)
            low += w;
        if (s >= observed)
            high += w;
    }
    return Math.min(1, (2 * Math.min(low, high)) / total);
}
function ratioInterval(base, head, confidence) {
    if (base.some((b) => b <= 0))
        return undefined;
    const ratios = [];
    for (const b of base)
        for (const h of head)
            ratios.push(h / b);
    ratios.sort((a, b) => a - b);
    const k = ratios.length;
    const alpha = 1 - confidence;
    const cdf = uCdf(base.length, head.length);
    let c;
    if (cdf) {
        c = 0;
        while (c < cdf.length && (cdf[c] ?? 1) <= alpha / 2)
            c++;
    }
    else {
        const z = normalQuantile(1 - alpha / 2);
        const n = base.length;
        const m = head.length;
        c = Math.floor((n * m) / 2 - z * Math.sqrt((n * m * (n + m + 1)) / 12));
    }
    const rank = Math.max(c, 1);
    return {
        estimate: median(ratios),
        low: ratios[rank - 1] ?? Number.NaN,
        high: ratios[k - rank] ?? Number.NaN,
        confidence: cdf ? 1 - 2 * (cdf[rank - 1] ?? 0) : confidence
    };
}
function normalUpperTail(z) {
    if (z !== z)
        return Number.NaN;
    if (z < 0)
        return 1 - normalUpperTail(-z);
    if (z > 40)
        return 0;
    const h = Math.round(z * 16) / 16;
    const density = Math.exp((-(z - h) * (z + h)) / 2) / Math.sqrt(2 * Math.PI);
    const gaussian = Math.exp((-h * h) / 2);
    if (z < 2.5) {
        let term = z;
        let sum = z;
        for (let i = 1; term > 1e-17 * sum; i++) {
            term *= (z * z) / (2 * i + 1);
            sum += term;
        }
        return 0.5 - gaussian * (density * sum);
    }
    let f = z;
    let c = z;
    let d = 0;
    for (let k = 1; k < 500; k++) {
        d = 1 / (z + k * d);
        c = z + k / c;
        const step = c * d;
        f *= step;
        if (Math.abs(step - 1) < 1e-16)
            break;
    }
    return gaussian * (density / f);
}
function normalQuantile(p) {
    let lo = -10;
    let hi = 10;
    for (let i = 0; i < 100; i++) {
        const mid = (lo + hi) / 2;
        if (1 - normalUpperTail(mid) < p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}
function launchRankTest(base, head) {
    let n = 0;
    let m = 0;
    for (const [, c] of base)
        n += c;
    for (const [, c] of head)
        m += c;
    if (n === 0 || m === 0)
        return { p: 1, z: 0 };
    let u = 0;
    let baseBelow = 0;
    let ties = 0;
    let i = 0;
    let j = 0;
    while (i < base.length || j < head.length) {
        const bi = i < base.length ? base[i][0] : Infinity;
        const hj = j < head.length ? head[j][0] : Infinity;
        const index = Math.min(bi, hj);
        const cb = bi === index ? base[i++][1] : 0;
        const ch = hj === index ? head[j++][1] : 0;
        u += ch * (baseBelow + cb / 2);
        baseBelow += cb;
        const t = cb + ch;
        ties += t * t * t - t;
    }
    const total = n + m;
    const variance = ((n * m) / 12) * (total + 1 - ties / (total * (total - 1)));
    if (!(variance > 0))
        return { p: 1, z: 0 };
    const z = (u - (n * m) / 2) / Math.sqrt(variance);
    return { p: Math.min(1, 2 * normalUpperTail(Math.abs(z))), z };
}
function signedRankTest(base, head) {
    const n = Math.min(base.length, head.length);
    const d = [];
    for (let k = 0; k < n; k++) {
        const b = base[k];
        const h = head[k];
        if (!(b > 0 && h > 0))
            return undefined;
        const x = Math.log(h / b);
        if (x !== 0)
            d.push(x);
    }
    const m = d.length;
    if (m === 0)
        return undefined;
    const order = d.map((_, i) => i).sort((a, b) => Math.abs(d[a]) - Math.abs(d[b]));
    let plus = 0;
    let ties = 0;
    const doubled = new Array(m);
    for (let i = 0; i < m;) {
        let j = i;
        while (j + 1 < m && Math.abs(d[order[j + 1]]) === Math.abs(d[order[i]]))
            j++;
        const rank = (i + j + 2) / 2;
        for (let k = i; k <= j; k++) {
            doubled[k] = i + j + 2;
            if (d[order[k]] > 0)
                plus += rank;
        }
        const t = j - i + 1;
        ties += t * t * t - t;
        i = j + 1;
    }
    const variance = (m * (m + 1) * (2 * m + 1)) / 24 - ties / 48;
    if (!(variance > 0))
        return undefined;
    const z = (plus - (m * (m + 1)) / 4) / Math.sqrt(variance);
    if (m <= SIGNED_RANK_EXACT_LIMIT)
        return { p: signedRankExactP(doubled, 2 * plus), z };
    return { p: Math.min(1, 2 * normalUpperTail(Math.abs(z))), z };
}
const SIGNED_RANK_EXACT_LIMIT = 50;
function signedRankExactP(doubled, observed) {
    let max = 0;
    for (const r of doubled)
        max += r;
    const ways = new Float64Array(max + 1);
    ways[0] = 1;
    let reach = 0;
    for (const r of doubled) {
        for (let s = reach; s >= 0; s--)
            if (ways[s] !== 0)
                ways[s + r] = ways[s + r] + ways[s];
        reach += r;
    }
    let low = 0;
    let high = 0;
    let total = 0;
    for (let s = 0; s <= max; s++) {
        total += ways[s];
        if (s <= observed)
            low += ways[s];
        if (s >= observed)
            high += ways[s];
    }
    return Math.min(1, (2 * Math.min(low, high)) / total);
}
function benjaminiHochberg(ps, q) {
    const m = ps.length;
    const key = (i) => (Number.isNaN(ps[i]) ? Infinity : ps[i]);
    const order = ps.map((_, i) => i).sort((a, b) => ascending(key(a), key(b)));
    let last = -1;
    for (let k = 0; k < m; k++)
        if (ps[order[k]] <= ((k + 1) * q) / m)
            last = k;
    const out = new Array(m).fill(false);
    for (let k = 0; k <= last; k++)
        out[order[k]] = true;
    return out;
}
function runTTest(base, head, confidence) {
    const n = base.length;
    const m = head.length;
    if (n < 2 || m < 2)
        return undefined;
    if (!base.every(Number.isFinite) || !head.every(Number.isFinite))
        return undefined;
    const log = base.every((v) => v > 0) && head.every((v) => v > 0);
    const a = log ? base.map(Math.log) : base;
    const b = log ? head.map(Math.log) : head;
    const meanA = mean(a);
    const meanB = mean(b);
    let squares = 0;
    for (const v of a)
        squares += (v - meanA) ** 2;
    for (const v of b)
        squares += (v - meanB) ** 2;
    const df = n + m - 2;
    const se = Math.sqrt((squares / df) * (1 / n + 1 / m));
    const diff = meanB - meanA;
    const p = se > 0 ? studentTwoSided(diff / se, df) : diff === 0 ? 1 : 0;
    const spread = se * studentQuantile(1 - confidence, df);
    return {
        p,
        df,
        diff,
        low: log ? Math.exp(diff - spread) : Number.NaN,
        high: log ? Math.exp(diff + spread) : Number.NaN,
        log
    };
}
function mean(values) {
    let sum = 0;
    for (const v of values)
        sum += v;
    return sum / values.length;
}
function studentTwoSided(t, df) {
    if (!Number.isFinite(t))
        return Number.isNaN(t) ? 1 : 0;
    return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}
function studentQuantile(p, df) {
    if (p >= 1)
        return 0;
    let lo = 0;
    let hi = 1;
    while (studentTwoSided(hi, df) > p && hi < 1e12)
        hi *= 2;
    for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
        const mid = (lo + hi) / 2;
        if (studentTwoSided(mid, df) > p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}
function regularizedBeta(x, a, b) {
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
    if (x > (a + 1) / (a + b + 2))
        return 1 - (front * betaFraction(1 - x, b, a)) / b;
    return (front * betaFraction(x, a, b)) / a;
}
function betaFraction(x, a, b) {
    const tiny = 1e-300;
    const away = (v) => (Math.abs(v) < tiny ? tiny : v);
    let c = 1;
    let d = 1 / away(1 - ((a + b) * x) / (a + 1));
    let h = d;
    for (let k = 1; k <= 300; k++) {
        const k2 = 2 * k;
        const even = (k * (b - k) * x) / ((a + k2 - 1) * (a + k2));
        const odd = (-(a + k) * (a + b + k) * x) / ((a + k2) * (a + k2 + 1));
        let step = 1;
        for (const term of [even, odd]) {
            d = 1 / away(1 + term * d);
            c = away(1 + term / c);
            step = d * c;
            h *= step;
        }
        if (Math.abs(step - 1) < 1e-15)
            break;
    }
    return h;
}
function logGamma(x) {
    if (x < 0.5)
        return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    const z = x - 1;
    let sum = LANCZOS[0];
    for (let i = 1; i < LANCZOS.length; i++)
        sum += LANCZOS[i] / (z + i);
    const t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
const LANCZOS = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7
];

const MIN_LAUNCHES = 10;
function pooled(runs, key) {
    const sketch = new DurationSketch();
    for (const run of runs) {
        if (!run.launches)
            return undefined;
        const entry = run.launches.get(key);
        if (entry)
            sketch.merge(entry.sketch);
    }
    return sketch;
}
function inOrder$1(base, head, key) {
    if (base.length !== 1 || head.length !== 1)
        return undefined;
    const b = base[0].launches?.get(key)?.order;
    const h = head[0].launches?.get(key)?.order;
    if (!b || !h || b.length !== h.length)
        return undefined;
    return signedRankTest(b, h);
}
function side$1(sketch) {
    return {
        launches: sketch.count,
        p50: sketch.quantile(0.5),
        p90: sketch.quantile(0.9),
        p99: sketch.quantile(0.99)
    };
}
function attachLaunchTests(kernels, base, head, method) {
    if (method.kind !== 'single-run')
        return;
    for (const item of kernels.items) {
        delete item.launches;
        if (!candidate(item) || item.variant)
            continue;
        const b = pooled(base, item.key);
        const h = pooled(head, item.key);
        if (!b || !h || b.count < MIN_LAUNCHES || h.count < MIN_LAUNCHES)
            continue;
        const test = { test: 'launch-rank-test', p: 1, base: side$1(b), head: side$1(h) };
        const paired = inOrder$1(base, head, item.key);
        const result = paired ?? launchRankTest(b.toArray().flatMap(pairs), h.toArray().flatMap(pairs));
        if (paired)
            test.paired = true;
        test.p = directedP(result, item.delta);
        item.launches = test;
    }
}
function directedP(test, delta) {
    return Math.sign(test.z) === Math.sign(delta) && delta !== 0 ? test.p : 1;
}
function pairs(_, i, all) {
    return i % 2 === 0 ? [[all[i], all[i + 1]]] : [];
}
function keepDiscoveries(items, alpha, p, mark) {
    const discoveries = benjaminiHochberg(items.map(p), alpha);
    let dropped = 0;
    items.forEach((item, k) => {
        const found = discoveries[k];
        mark(item, found);
        if (!found && candidate(item)) {
            item.status = 'unchanged';
            item.reason = 'not-significant';
            dropped += 1;
        }
    });
    return dropped;
}
function candidate(item) {
    return item.status === 'regressed' || item.status === 'improved';
}
function launchCountChange(item) {
    const base = item.base;
    const head = item.head;
    if (!base || !head || !(base.instances > 0) || base.instances === head.instances)
        return undefined;
    const delta = base.value * (head.instances / base.instances) - base.value;
    const pct = base.value > 0 ? (delta / base.value) * 100 : null;
    const counted = judge(delta, pct, item.threshold, item.floor, item.direction, () => true);
    return counted.status === item.status ? counted.status : undefined;
}
function decideLaunchTests(tables, alpha) {
    const tested = tables.flatMap((t) => t.items.filter((i) => i.launches && candidate(i)));
    if (tested.length === 0)
        return [];
    const discoveries = benjaminiHochberg(tested.map((item) => item.launches.p), alpha);
    let dropped = 0;
    let counted = 0;
    tested.forEach((item, k) => {
        const launches = item.launches;
        launches.significant = discoveries[k];
        delete launches.byCount;
        if (launches.significant)
            return;
        if (launchCountChange(item) !== undefined) {
            launches.byCount = true;
            counted += 1;
            return;
        }
        item.status = 'unchanged';
        item.reason = 'not-significant';
        dropped += 1;
    });
    const n = tested.length;
    const byCount = counted === 0
        ? ''
        : ` ${counted} ${counted === 1 ? 'change' : 'changes'} that the launch durations do not explain ${counted === 1 ? 'counts' : 'count'} all the same: the kernel was launched so much more or less often that the count alone passes the limits.`;
    return [
        {
            code: 'launch-tests',
            severity: 'info',
            message: `One run a side: ${n} kernel${n === 1 ? '' : 's'} whose change passed the thresholds ${n === 1 ? 'was' : 'were'} tested launch by launch (a rank test on the launch durations of the GPU trace, false discoveries over the kernels tested controlled at ${alpha} with Benjamini\u2013Hochberg); ${dropped} ${dropped === 1 ? 'change was' : 'changes were'} not significant and ${dropped === 1 ? 'does' : 'do'} not count.${byCount}`
        }
    ];
}

const load = node_module.createRequire((typeof document === 'undefined' ? require('u' + 'rl').pathToFileURL(__filename).href : (_documentCurrentScript && _documentCurrentScript.tagName.toUpperCase() === 'SCRIPT' && _documentCurrentScript.src || new URL('cli-main.cjs', document.baseURI).href)));
const zlib = () => load('node:zlib');
const crypto = () => load('node:crypto');
const workerThreads = () => load('node:worker_threads');
function re2() {
    engine ??= loadRe2().RE2JS;
    return engine;
}
let engine;
function loadRe2() {
    try {
        return load('./re2.cjs');
    }
    catch (error) {
        if (error.code !== 'MODULE_NOT_FOUND')
            throw error;
        return load('re2js');
    }
}

const MAX_PATTERN_LENGTH = 1000;
const MAX_PROGRAM_SIZE = 20_000;
const MAX_TOTAL_PROGRAM_SIZE = 200_000;
function patternBudget() {
    return { used: 0, compiled: new Map() };
}
function compilePattern(source, where, budget, fail = (message) => new UsageError(message)) {
    const known = budget?.compiled.get(source);
    if (known)
        return known;
    if (source.length > MAX_PATTERN_LENGTH) {
        throw fail(`${where}: the regular expression is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are accepted`);
    }
    let re;
    try {
        re = re2().compile(source);
    }
    catch (error) {
        throw fail(`${where}: ${quoted(source)} is not a regular expression nsys-bench accepts (${errorMessage(error)}). ` +
            'Patterns use RE2 syntax: no look-ahead or look-behind, no back-references.');
    }
    const size = re.programSize();
    if (size > MAX_PROGRAM_SIZE) {
        throw fail(`${where}: the regular expression ${quoted(source)} is too complex`);
    }
    const pattern = { source, test: (text) => re.test(text) };
    if (budget) {
        budget.used += size;
        if (budget.used > MAX_TOTAL_PROGRAM_SIZE)
            throw fail(`${where}: the patterns up to this one compile to ${budget.used.toLocaleString('en-US')} RE2 instructions; at most ${MAX_TOTAL_PROGRAM_SIZE.toLocaleString('en-US')} are accepted for all the patterns together: use fewer or simpler patterns (a counted repeat such as {999} is compiled that many times)`);
        budget.compiled.set(source, pattern);
    }
    return pattern;
}

const MAX_CATEGORY_LENGTH = 100;
const DEFAULT_THRESHOLD = 5;
const DEFAULT_MIN_SHARE = 0.1;
const DEFAULT_ALPHA = 0.05;
const DEFAULT_CHECKS = {
    minMatchedShare: 50,
    minMatchedShareAcrossVersions: 90,
    minInstanceRatio: 0.5,
    gpuMismatch: 'inconclusive'
};
function itemNames(item) {
    return [
        item.name,
        item.key,
        ...(item.variant ? [...item.variant.base, ...item.variant.head] : [])
    ];
}
function resolveLimits(rules, table, names) {
    const base = rules.tables[table];
    const resolved = {
        threshold: base.threshold,
        minShare: base.minShare,
        direction: base.direction,
        gate: base.gate,
        ignored: false
    };
    if (base.minDelta !== undefined)
        resolved.minDelta = base.minDelta;
    if (rules.ignore.some((p) => names.some((n) => p.test(n)))) {
        resolved.ignored = true;
        return resolved;
    }
    const rule = rules.rules.find((r) => (r.table === undefined || r.table === table) && names.some((n) => r.match.test(n)));
    if (!rule)
        return resolved;
    resolved.rule = rule.match.source;
    if (rule.ignore)
        resolved.ignored = true;
    if (rule.threshold !== undefined) {
        resolved.threshold = rule.threshold;
        resolved.ruleThreshold = true;
    }
    if (rule.minShare !== undefined || rule.minDelta !== undefined) {
        if (rule.minShare !== undefined)
            resolved.minShare = rule.minShare;
        if (rule.minDelta !== undefined)
            resolved.minDelta = rule.minDelta;
        else
            delete resolved.minDelta;
    }
    if (rule.direction !== undefined)
        resolved.direction = rule.direction;
    if (rule.gate !== undefined)
        resolved.gate = rule.gate;
    return resolved;
}
function buildRules(file, overrides = {}, source = 'rules file') {
    const fail = (message) => new InputError(`${source}: ${message}`);
    const config = file === undefined ? {} : file;
    if (!isObject$2(config))
        throw fail('expected a JSON object');
    checkKeys(config, [
        '$schema',
        'threshold',
        'minShare',
        'alpha',
        'ignore',
        'tables',
        'rules',
        'checks',
        'accept',
        'families',
        'categories'
    ], '', fail);
    const flag = (message) => new UsageError(message);
    const fileAuto = config.threshold === 'auto';
    if (typeof config.threshold === 'string' && !fileAuto)
        throw fail('"threshold" must be a number (percent) or "auto"');
    const fileThreshold = fileAuto ? undefined : optionalNumber(config, 'threshold', fail);
    const auto = overrides.threshold !== undefined ? overrides.threshold === 'auto' : fileAuto;
    const threshold = typeof overrides.threshold === 'number'
        ? percent(overrides.threshold, 'the threshold', flag)
        : percent(fileThreshold ?? DEFAULT_THRESHOLD, '"threshold"', fail);
    const minShare = overrides.minShare !== undefined
        ? percent(overrides.minShare, 'the minimum share', flag)
        : percent(optionalNumber(config, 'minShare', fail) ?? DEFAULT_MIN_SHARE, '"minShare"', fail);
    const alpha = overrides.alpha ?? optionalNumber(config, 'alpha', fail) ?? DEFAULT_ALPHA;
    if (!(alpha > 0 && alpha < 1))
        throw (overrides.alpha !== undefined ? flag : fail)(`${overrides.alpha !== undefined ? 'alpha' : '"alpha"'} must be between 0 and 1 (exclusive), got ${alpha}`);
    const tables = {};
    const tableConfig = config.tables === undefined ? {} : config.tables;
    if (!isObject$2(tableConfig))
        throw fail('"tables" must be an object');
    for (const key of Object.keys(tableConfig)) {
        if (!isTableName(key)) {
            throw fail(`unknown table ${JSON.stringify(key)} in "tables" (known: ${TABLE_NAMES.join(', ')})`);
        }
    }
    for (const name of TABLE_NAMES) {
        const entry = tableConfig[name] ?? {};
        if (!isObject$2(entry))
            throw fail(`"tables.${name}" must be an object`);
        checkKeys(entry, ['threshold', 'minShare', 'minDelta', 'direction', 'gate', 'gateTotal'], `tables.${name}.`, fail);
        const limits = readLimits(entry, `tables.${name}`, fail);
        const spec = TABLES[name];
        if (limits.minShare === undefined &&
            limits.minDelta === undefined &&
            spec.minDelta !== undefined)
            limits.minDelta = spec.minDelta;
        const table = {
            threshold: limits.threshold ?? threshold,
            minShare: limits.minShare ?? minShare,
            direction: limits.direction ?? 'lower-is-better',
            gate: limits.gate ?? TABLES[name].gate,
            gateTotal: optionalBoolean(entry, 'gateTotal', `tables.${name}`, fail) ?? TABLES[name].gateTotal
        };
        if (limits.minDelta !== undefined)
            table.minDelta = limits.minDelta;
        tables[name] = table;
    }
    const budget = patternBudget();
    const ignore = [];
    list(config, 'ignore', fail).forEach((pattern, i) => {
        if (typeof pattern !== 'string')
            throw fail(`"ignore[${i}]" must be a regular expression (string)`);
        ignore.push(compilePattern(pattern, `${source}: "ignore[${i}]"`, budget, fileError));
    });
    for (const pattern of overrides.ignore ?? [])
        ignore.push(compilePattern(pattern, '--ignore', budget));
    const rules = list(config, 'rules', fail).map((entry, i) => {
        const where = `rules[${i}]`;
        if (!isObject$2(entry))
            throw fail(`"${where}" must be an object`);
        checkKeys(entry, ['table', 'match', 'threshold', 'minShare', 'minDelta', 'direction', 'gate', 'ignore'], `${where}.`, fail);
        const rule = {
            match: pattern(entry, 'match', where, source, budget, fail),
            ignore: optionalBoolean(entry, 'ignore', where, fail) ?? false,
            ...readLimits(entry, where, fail)
        };
        const table = optionalTable(entry, where, fail);
        if (table)
            rule.table = table;
        return rule;
    });
    rules.forEach((rule, i) => {
        if (rule.gate !== true || rule.ignore)
            return;
        const j = rules.findIndex((earlier, k) => k < i &&
            earlier.match.source === rule.match.source &&
            (earlier.table === undefined || earlier.table === rule.table));
        if (j >= 0)
            throw fail(`"rules[${i}]" can never apply: "rules[${j}]" has the same pattern ${quoted(rule.match.source, 120)} and is tried first for ${rule.table === undefined ? 'every table' : `table ${rule.table}`} (only the first matching entry applies); merge the two entries`);
    });
    const accept = list(config, 'accept', fail).map((entry, i) => {
        const where = `accept[${i}]`;
        if (!isObject$2(entry))
            throw fail(`"${where}" must be an object`);
        checkKeys(entry, ['pattern', 'reason', 'until', 'table'], `${where}.`, fail);
        const reason = entry.reason;
        if (typeof reason !== 'string' || reason.trim() === '')
            throw fail(`"${where}.reason" must say why the regression is accepted`);
        const until = entry.until;
        if (typeof until !== 'string' || !isDate(until))
            throw fail(`"${where}.until" must be the last day the acceptance holds, as YYYY-MM-DD (an acceptance always ends)`);
        const rule = {
            pattern: pattern(entry, 'pattern', where, source, budget, fail),
            reason: reason.trim().slice(0, 500),
            until
        };
        const table = optionalTable(entry, where, fail);
        if (table)
            rule.table = table;
        return rule;
    });
    const families = list(config, 'families', fail).map((entry, i) => {
        const where = `families[${i}]`;
        if (!isObject$2(entry))
            throw fail(`"${where}" must be an object`);
        checkKeys(entry, ['match', 'family'], `${where}.`, fail);
        if (typeof entry.family !== 'string' || entry.family.trim() === '')
            throw fail(`"${where}.family" must name the family`);
        return {
            match: pattern(entry, 'match', where, source, budget, fail),
            family: entry.family.trim().slice(0, 200)
        };
    });
    const categories = list(config, 'categories', fail).map((entry, i) => {
        const where = `categories[${i}]`;
        if (!isObject$2(entry))
            throw fail(`"${where}" must be an object`);
        checkKeys(entry, ['match', 'category'], `${where}.`, fail);
        const category = typeof entry.category === 'string' ? entry.category.trim() : '';
        if (category === '')
            throw fail(`"${where}.category" must name the category (e.g. "attention", or one of your own)`);
        if (category.length > MAX_CATEGORY_LENGTH)
            throw fail(`"${where}.category" is longer than ${MAX_CATEGORY_LENGTH} characters`);
        return { match: pattern(entry, 'match', where, source, budget, fail), category };
    });
    return {
        alpha,
        auto,
        tables,
        rules,
        ignore,
        checks: readChecks(config.checks, overrides, fail),
        accept,
        families,
        categories
    };
}
function readChecks(value, overrides, fail) {
    const entry = value === undefined ? {} : value;
    if (!isObject$2(entry))
        throw fail('"checks" must be an object');
    checkKeys(entry, Object.keys(DEFAULT_CHECKS), 'checks.', fail);
    const checks = { ...DEFAULT_CHECKS };
    for (const key of ['minMatchedShare', 'minMatchedShareAcrossVersions']) {
        const v = optionalNumber(entry, key, fail, 'checks');
        if (v !== undefined) {
            if (!(v >= 0 && v <= 100))
                throw fail(`"checks.${key}" must be a percentage from 0 to 100, got ${v}`);
            checks[key] = v;
        }
    }
    const ratio = optionalNumber(entry, 'minInstanceRatio', fail, 'checks');
    if (ratio !== undefined) {
        if (!(ratio >= 0 && ratio <= 1))
            throw fail(`"checks.minInstanceRatio" must be from 0 to 1, got ${ratio}`);
        checks.minInstanceRatio = ratio;
    }
    const gpu = entry.gpuMismatch;
    if (gpu !== undefined) {
        if (gpu !== 'inconclusive' && gpu !== 'warn')
            throw fail('"checks.gpuMismatch" must be "inconclusive" or "warn"');
        checks.gpuMismatch = gpu;
    }
    if (overrides.gpuMismatch)
        checks.gpuMismatch = overrides.gpuMismatch;
    return checks;
}
function readLimits(entry, where, fail) {
    const limits = {};
    const threshold = optionalNumber(entry, 'threshold', fail, where);
    if (threshold !== undefined)
        limits.threshold = percent(threshold, `"${where}.threshold"`, fail);
    const minShare = optionalNumber(entry, 'minShare', fail, where);
    if (minShare !== undefined)
        limits.minShare = percent(minShare, `"${where}.minShare"`, fail);
    const minDelta = optionalNumber(entry, 'minDelta', fail, where);
    if (minDelta !== undefined) {
        if (minDelta < 0)
            throw fail(`"${where}.minDelta" must be \u2265 0, got ${minDelta}`);
        limits.minDelta = minDelta;
    }
    if (entry.direction !== undefined) {
        if (entry.direction !== 'lower-is-better' && entry.direction !== 'higher-is-better') {
            throw fail(`"${where}.direction" must be "lower-is-better" or "higher-is-better"`);
        }
        limits.direction = entry.direction;
    }
    const gate = optionalBoolean(entry, 'gate', where, fail);
    if (gate !== undefined)
        limits.gate = gate;
    return limits;
}
function pattern(entry, key, where, source, budget, fail) {
    const value = entry[key];
    if (typeof value !== 'string')
        throw fail(`"${where}.${key}" must be a regular expression (string)`);
    return compilePattern(value, `${source}: "${where}.${key}"`, budget, fileError);
}
function optionalTable(entry, where, fail) {
    if (entry.table === undefined)
        return undefined;
    if (typeof entry.table !== 'string' || !isTableName(entry.table))
        throw fail(`"${where}.table" must be one of ${TABLE_NAMES.join(', ')}`);
    return entry.table;
}
function list(config, key, fail) {
    const value = config[key];
    if (value === undefined)
        return [];
    if (!Array.isArray(value))
        throw fail(`"${key}" must be an array`);
    if (value.length > 10_000)
        throw fail(`"${key}" has ${value.length.toLocaleString('en-US')} entries; at most 10,000 are allowed`);
    return value;
}
function checkKeys(entry, allowed, prefix, fail) {
    for (const key of Object.keys(entry)) {
        if (!allowed.includes(key))
            throw fail(`unknown setting ${JSON.stringify(prefix + key).slice(0, 200)} (allowed: ${allowed.join(', ')})`);
    }
}
function optionalNumber(entry, key, fail, where) {
    const value = entry[key];
    if (value === undefined)
        return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw fail(`"${where ? `${where}.` : ''}${key}" must be a number`);
    }
    return value;
}
function optionalBoolean(entry, key, where, fail) {
    const value = entry[key];
    if (value === undefined)
        return undefined;
    if (typeof value !== 'boolean')
        throw fail(`"${where}.${key}" must be true or false`);
    return value;
}
function percent(value, what, fail) {
    if (value < 0)
        throw fail(`${what} must be \u2265 0, got ${value}`);
    if (!(value <= 1000))
        throw fail(`${what} must be a percentage from 0 to 1000, got ${value}`);
    return value;
}
function isDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text))
        return false;
    const date = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
function isObject$2(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function fileError(message) {
    return new InputError(message);
}

const CATEGORIES$1 = {
    gemm: 'GEMM',
    attention: 'attention',
    normalisation: 'normalisation',
    elementwise: 'activation/elementwise',
    communication: 'communication',
    memory: 'memory operations',
    other: 'other'
};
const BUILT_IN = [
    [
        CATEGORIES$1.communication,
        [
            'nccl',
            'rccl',
            'msccl',
            'nvshmem',
            '(?:^|[^a-z])all_?(?:reduce|gather|to_?all)',
            'reduce_?scatter',
            'cross_device_reduce'
        ]
    ],
    [CATEGORIES$1.memory, ['__amd_rocclr_(?:copy|fill)']],
    [
        CATEGORIES$1.attention,
        [
            'attention',
            'attn',
            'fmha',
            '(?:^|[^a-z])m?mha(?:[^a-z]|$)',
            'flash_?(?:fwd|bwd)',
            'flash::',
            'sdpa',
            'xqa',
            'paged_?kv',
            '(?:batch|single)_?(?:prefill|decode)',
            'reshape_and_cache',
            'concat_and_cache'
        ]
    ],
    [
        CATEGORIES$1.gemm,
        [
            'gemm',
            'gemv',
            'matmul',
            'nvjet',
            '^cijk_',
            'cublas',
            'splitkreduce',
            'marlin',
            'triton_tem_fused_\\w*mm',
            'fused_moe_kernel',
            'scudnn',
            'hcudnn',
            'winograd',
            '(?:^|[^a-z])conv(?:olution)?_?(?:fwd|bwd|forward|backward|kernel)',
            'fprop',
            'dgrad',
            'wgrad'
        ]
    ],
    [
        CATEGORIES$1.normalisation,
        [
            'rms_?norm',
            'layer_?norm',
            'group_?norm',
            'batch_?norm',
            'instance_?norm',
            'bnforward',
            'bnbackward',
            'triton_\\w*rsqrt'
        ]
    ],
    [
        CATEGORIES$1.elementwise,
        [
            'act_and_mul',
            'silu',
            'gelu',
            'relu',
            'swiglu',
            'sigmoid',
            'tanh',
            'softplus',
            'softmax',
            'elementwise',
            'triton_poi_',
            'broadcast',
            'rotary',
            'dropout',
            'fillfunctor'
        ]
    ]
];
const BUILT_IN_SPAN = 1000;
class Categorizer {
    rules;
    user;
    memo = new Map();
    constructor(rules) {
        this.rules = rules;
        this.user = rules.categories.map((c) => ({ category: c.category, pattern: c.match }));
    }
    countedCategory(name, key) {
        let category = this.memo.get(name);
        if (category === undefined) {
            category = resolveLimits(this.rules, 'kernels', [name, key]).ignored
                ? IGNORED
                : this.category(name, key);
            if (this.memo.size >= MEMO_LIMIT)
                this.memo.clear();
            this.memo.set(name, category);
        }
        return category === IGNORED ? undefined : category;
    }
    category(name, key = name) {
        for (const m of this.user)
            if (m.pattern.test(name) || (key !== name && m.pattern.test(key)))
                return m.category;
        const text = name.slice(0, BUILT_IN_SPAN).toLowerCase();
        for (const m of builtIn())
            if (m.pattern.test(text))
                return m.category;
        return CATEGORIES$1.other;
    }
}
const MEMO_LIMIT = 100_000;
const IGNORED = '';
let builtInMatchers;
function builtIn() {
    builtInMatchers ??= BUILT_IN.map(([category, parts]) => {
        const re = new RegExp(parts.join('|'));
        const pattern = { source: re.source, test: (text) => re.test(text) };
        return { category, pattern };
    });
    return builtInMatchers;
}
const CATEGORIZERS = new WeakMap();
function categorizerFor(rules) {
    let categorizer = CATEGORIZERS.get(rules);
    if (!categorizer) {
        categorizer = new Categorizer(rules);
        CATEGORIZERS.set(rules, categorizer);
    }
    return categorizer;
}
function categoryTable(kernels, memTime, rules) {
    if (!kernels)
        return undefined;
    const categorizer = categorizerFor(rules);
    const sums = new RenamedSums();
    scanRows(kernels, (key, stat) => {
        const category = categorizer.countedCategory(stat.name, key);
        if (category !== undefined)
            sums.add(category, stat);
    });
    if (memTime)
        scanRows(memTime, (key, stat) => {
            if (!resolveLimits(rules, 'memTime', [stat.name, key]).ignored)
                sums.add(CATEGORIES$1.memory, stat);
        });
    return sums.table();
}

const HOST_KINDS = {
    launches: 'kernel launches',
    graphs: 'graph launches',
    syncs: 'synchronisations',
    allocations: 'allocations',
    copies: 'memory copies and sets'
};
const SYNC_KINDS = {
    device: 'device synchronisations',
    stream: 'stream synchronisations',
    event: 'event synchronisations',
    copies: 'synchronous memory copies',
    frees: 'device memory frees'
};
const SYNC_CALLS = {
    cudaDeviceSynchronize: SYNC_KINDS.device,
    cudaThreadSynchronize: SYNC_KINDS.device,
    cuCtxSynchronize: SYNC_KINDS.device,
    hipDeviceSynchronize: SYNC_KINDS.device,
    hipCtxSynchronize: SYNC_KINDS.device,
    cudaStreamSynchronize: SYNC_KINDS.stream,
    cuStreamSynchronize: SYNC_KINDS.stream,
    hipStreamSynchronize: SYNC_KINDS.stream,
    cudaEventSynchronize: SYNC_KINDS.event,
    cuEventSynchronize: SYNC_KINDS.event,
    hipEventSynchronize: SYNC_KINDS.event
};
const SYNCHRONISING_FREES = new Set(['cudaFree', 'cuMemFree', 'hipFree']);
const GRAPH_LAUNCHES = new Set(['cudaGraphLaunch', 'cuGraphLaunch', 'hipGraphLaunch']);
const KERNEL_LAUNCH = /^(?:cuda|cu|hip)(?:Ext|Hcc)?(?:Module)?Launch(?:Cooperative)?Kernel/;
const OLD_LAUNCHES = new Set(['cudaLaunch', 'cuLaunch', 'cuLaunchGrid', 'cuLaunchGridAsync']);
const ALLOCATION = /^(?:(?:cuda|hip)(?:Malloc|Free|HostAlloc|HostMalloc|HostFree|ExtMalloc)|cuMem(?:Alloc|Free|HostAlloc|Create|Release|Map|Unmap|AddressReserve|AddressFree))/;
const COPY = /^(?:cuda|cu|hip)Mem(?:cpy|set)/;
const MEMCPY = /^(?:cuda|cu|hip)Memcpy/;
function hostCallName(name) {
    let text = apiKey(name);
    while (text.endsWith('_ptsz') || text.endsWith('_ptds'))
        text = apiKey(text.slice(0, -5));
    return text;
}
function hostKind(name) {
    const call = hostCallName(name);
    if (KERNEL_LAUNCH.test(call) || OLD_LAUNCHES.has(call))
        return HOST_KINDS.launches;
    if (GRAPH_LAUNCHES.has(call))
        return HOST_KINDS.graphs;
    if (SYNC_CALLS[call] !== undefined)
        return HOST_KINDS.syncs;
    if (ALLOCATION.test(call))
        return HOST_KINDS.allocations;
    if (COPY.test(call))
        return HOST_KINDS.copies;
    return undefined;
}
function syncKind(name) {
    const call = hostCallName(name);
    const kind = SYNC_CALLS[call];
    if (kind !== undefined)
        return kind;
    if (SYNCHRONISING_FREES.has(call))
        return SYNC_KINDS.frees;
    return MEMCPY.test(call) && !call.includes('Async') ? SYNC_KINDS.copies : undefined;
}
function hostApiTable(api) {
    const sums = new RenamedSums();
    for (const stat of api.values()) {
        const kind = hostKind(stat.name);
        if (kind !== undefined)
            sums.add(kind, stat);
    }
    return sums.table();
}
function hostSyncTable(api) {
    const out = new Map();
    if (api.size === 0)
        return out;
    const counts = new Map();
    for (const stat of api.values()) {
        const kind = syncKind(stat.name);
        if (kind !== undefined)
            counts.set(kind, (counts.get(kind) ?? 0) + stat.instances);
    }
    for (const kind of Object.values(SYNC_KINDS)) {
        const calls = counts.get(kind) ?? 0;
        const one = calls > 0 ? 1 : 0;
        out.set(kind, { name: kind, total: calls, instances: calls, avg: one, min: one, max: one });
    }
    return out;
}

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
            before: activity$1(this.lastName, this.lastStream),
            after: activity$1(name, stream)
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
function activity$1(name, stream) {
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
function busyRowName(timeline) {
    return timeline.rank === undefined
        ? `GPU ${timeline.device}`
        : `GPU ${timeline.device} (rank ${timeline.rank})`;
}
function busyTable(timeline) {
    if (!timeline || timeline.devices.length === 0)
        return undefined;
    const table = new Map();
    for (const device of timeline.devices) {
        const name = busyRowName(device);
        const busy = device.busy;
        table.set(name, { name, total: busy, instances: 1, avg: busy, min: busy, max: busy });
    }
    return table;
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

function withDerivedTables(profile, rules) {
    const tables = { ...profile.tables };
    for (const name of DERIVED_TABLES)
        delete tables[name];
    const derived = {
        categories: categoryTable(tables.kernels, tables.memTime, rules),
        hostApi: tables.cudaApi && hostApiTable(tables.cudaApi),
        hostSyncs: tables.cudaApi && hostSyncTable(tables.cudaApi),
        gpuBusy: busyTable(profile.timeline)
    };
    for (const name of DERIVED_TABLES) {
        const table = derived[name];
        if (table)
            tables[name] = table;
    }
    return { ...profile, tables };
}
const DERIVED_TABLES = TABLE_NAMES.filter((name) => 'derived' in TABLES[name]);

function compareProfiles(baseRuns, headRuns, rules, options = {}) {
    const base = baseRuns.map((p) => withDerivedTables(p, rules));
    const head = headRuns.map((p) => withDerivedTables(p, rules));
    if (base.length === 0 || head.length === 0)
        throw new InputError('compare needs at least one base and one head run');
    const n = base.length;
    const m = head.length;
    const method = n === 1 || m === 1
        ? { kind: 'single-run' }
        : {
            kind: 'mann-whitney-u',
            alpha: rules.alpha,
            minimumP: minimumPValue(n, m),
            attainable: minimumPValue(n, m) < rules.alpha
        };
    const traced = [...base, ...head].every((p) => p.launches !== undefined);
    const notes = [
        ...methodNotes(method, n, m, rules.alpha, traced),
        ...profileNotes(base, head)
    ];
    const today = (options.now ?? new Date()).toISOString().slice(0, 10);
    const tables = [];
    for (const table of TABLE_NAMES) {
        const baseRuns = base.map((p) => p.tables[table]).filter((t) => t !== undefined);
        const headRuns = head.map((p) => p.tables[table]).filter((t) => t !== undefined);
        if (baseRuns.length === 0 || headRuns.length === 0)
            continue;
        const shareOf = floorShareOf(table, tables);
        tables.push(compareTable(table, baseRuns, headRuns, rules, method, options.history, shareOf));
    }
    const kernelDiff = tables.find((t) => t.table === 'kernels');
    if (kernelDiff)
        attachLaunchTests(kernelDiff, base, head, method);
    notes.push(...decideLaunchTests(tables, rules.alpha));
    notes.push(...decideRunTests(tables, method));
    for (const t of tables) {
        t.counts = countStatuses(t.items);
        sortByImportance(t.items);
    }
    const evidence = gatherEvidence(base, head, tables);
    notes.push(...runChecks(evidence, rules, tables));
    notes.push(...unusedGateRules(tables, rules));
    ungateTotals(tables, notes);
    notes.push(...idleWithoutRuns(tables, method));
    notes.push(...busyWithIgnored(tables));
    notes.push(...gatedMeasurement(tables, notes));
    notes.push(...accept(tables, rules, options.acceptLabel, today));
    const comparison = {
        gate: decide(tables, notes),
        runs: { base: n, head: m },
        method,
        tables,
        notes,
        evidence,
        rules,
        today,
        tool: TOOL,
        meta: { base: lastOf(base).meta, head: lastOf(head).meta }
    };
    if (options.acceptLabel !== undefined)
        comparison.acceptLabel = options.acceptLabel;
    if (options.history) {
        const h = options.history;
        comparison.history = { total: h.total, comparable: h.comparable, fingerprint: h.fingerprint };
        if (h.branch !== undefined)
            comparison.history.branch = h.branch;
    }
    if (rules.auto)
        notes.push(autoNote(tables, options.history));
    const baseTimeline = medianTimeline(base);
    const headTimeline = medianTimeline(head);
    if (baseTimeline || headTimeline) {
        comparison.timeline = {};
        if (baseTimeline) {
            comparison.timeline.base = baseTimeline.timeline;
            comparison.timeline.baseRun = baseTimeline.run;
        }
        if (headTimeline) {
            comparison.timeline.head = headTimeline.timeline;
            comparison.timeline.headRun = headTimeline.run;
        }
    }
    return comparison;
}
function methodNotes(method, n, m, alpha, traced) {
    if (method.kind === 'single-run') {
        const runs = n === 1 && m === 1
            ? 'One run a side'
            : `${n} base run${n === 1 ? '' : 's'} against ${m} head run${m === 1 ? '' : 's'}`;
        const judged = n === 1 && m === 1 ? 'the thresholds' : 'the medians and thresholds';
        const message = traced
            ? `${runs}: there are no repeated runs to test how runs vary. A kernel whose change passes the thresholds is tested launch by launch on the GPU trace (${MIN_LAUNCHES} launches a side or more), which cannot see that variation; everything else is judged on ${judged} alone. Use 5 or more runs a side (the action: \`repetitions: 5\`).`
            : n === 1 && m === 1
                ? 'One run a side: changes are judged on the thresholds alone, with no significance test. Use 5 or more runs a side (the action: `repetitions: 5`).'
                : `${runs}: a significance test needs several runs on both sides; changes are judged on the medians and thresholds alone.`;
        return [{ code: 'no-significance-test', severity: 'warning', message }];
    }
    if (!method.attainable) {
        return [
            {
                code: 'test-powerless',
                severity: 'info',
                message: `With ${n} base and ${m} head runs the Mann\u2013Whitney test cannot reach p < ${alpha} (the smallest possible p is ${method.minimumP.toFixed(3)}): changes beyond the limits are tested with Student's t on the logarithms of the run values instead, which assumes the runs log-normal with one spread on both sides. With ${runsForRankTest(alpha)} or more runs a side the rank test decides, assuming nothing about their distribution.`
            }
        ];
    }
    return [];
}
function runsForRankTest(alpha) {
    let n = 2;
    while (minimumPValue(n, n) >= alpha && n < 100)
        n++;
    return n;
}
function profileNotes(base, head) {
    const seen = new Set();
    const out = [];
    for (const [label, runs] of [
        ['base', base],
        ['head', head]
    ]) {
        for (const note of runs.flatMap((p) => p.meta.notes)) {
            const message = `${label}: ${note.message}`;
            if (seen.has(message))
                continue;
            seen.add(message);
            out.push({
                code: note.code,
                severity: note.severity === 'error' ? 'warning' : note.severity,
                message
            });
        }
    }
    return out;
}
function majors(runs, profiler) {
    return [
        ...new Set(runs
            .filter((p) => p.meta.profiler.name === profiler)
            .map((p) => profilerMajor(p.meta.profiler))
            .filter((v) => v !== undefined))
    ].sort();
}
function gatherEvidence(base, head, tables) {
    const facts = (runs) => {
        const side = {
            tables: Object.fromEntries(TABLE_NAMES.map((t) => [t, runs.map((p) => tableState(p.tables[t]))])),
            gpus: [...new Set(runs.flatMap((p) => (p.meta.gpus ?? []).map((g) => g.name)))].sort(),
            nsys: majors(runs, 'nsys'),
            naming: [...new Set(runs.map((p) => p.meta.kernelNaming))].sort(),
            profilers: [...new Set(runs.map((p) => p.meta.profiler.name))].sort()
        };
        const models = runs.map((p) => [...new Set((p.meta.gpus ?? []).map((g) => g.name))].sort().join(' + '));
        if (models.some((m) => m !== ''))
            side.gpusByRun = models;
        const incomplete = new Set();
        for (const p of runs)
            for (const note of p.meta.notes)
                if (INCOMPLETE_INPUT.has(note.code))
                    incomplete.add(note.table === undefined ? note.code : `${note.code}:${note.table}`);
        if (incomplete.size > 0)
            side.incomplete = [...incomplete].sort();
        const ranks = runs.map((p) => {
            const d = p.meta.distributed;
            if (!d)
                return '';
            const shown = clip(d.ranks.join(', '), 200);
            return d.worldSize === undefined ? shown : `${shown} of ${d.worldSize}`;
        });
        if (ranks.some((r) => r !== ''))
            side.ranksByRun = ranks;
        return side;
    };
    const rocprofv3 = { base: majors(base, 'rocprofv3'), head: majors(head, 'rocprofv3') };
    const evidence = { base: facts(base), head: facts(head) };
    for (const side of ['base', 'head'])
        if (rocprofv3[side].length > 0)
            evidence[side].rocprofv3 = rocprofv3[side];
    for (const [side, runs] of [
        ['base', base],
        ['head', head]
    ]) {
        const gpu = runs.map(gpuRunFacts);
        if (gpu.some((f) => Object.keys(f).length > 0))
            evidence[side].gpuRuns = gpu;
    }
    const kernels = tables.find((t) => t.table === 'kernels');
    if (kernels)
        evidence.kernels = kernelFacts(kernels);
    return evidence;
}
function floorShareOf(table, compared) {
    if (table !== 'memTime')
        return undefined;
    return compared.find((t) => t.table === 'kernels')?.total.base;
}
function compareTable(table, baseRuns, headRuns, rules, method, history, shareOf) {
    const { unit, measure } = TABLES[table];
    const tableRules = rules.tables[table];
    const toHead = cutNameJoiner(headRuns);
    const toBase = cutNameJoiner(baseRuns);
    const base = baseRuns.map(toHead);
    const head = headRuns.map(toBase);
    const keys = new Set();
    const ignored = new Set();
    for (const t of [...base, ...head]) {
        for (const key of t.keys()) {
            if (keys.has(key) || (ignored.size > 0 && ignored.has(key)))
                continue;
            const name = t.get(key)?.name ?? key;
            if (resolveLimits(rules, table, [name, key]).ignored)
                ignored.add(key);
            else
                keys.add(key);
        }
    }
    const counted = (t) => {
        let sum = 0;
        scanRows(t, (key, stat) => {
            if (ignored.size === 0 || !ignored.has(key))
                sum += measureOf(table, stat);
        });
        return sum;
    };
    const baseTotals = base.map(counted);
    const headTotals = head.map(counted);
    const baseTotal = median(baseTotals);
    const headTotal = median(headTotals);
    const groups = [];
    const onlyBase = [];
    const onlyHead = [];
    for (const key of keys) {
        const inBase = base.some((t) => t.has(key));
        const inHead = head.some((t) => t.has(key));
        if (inBase && inHead)
            groups.push({ key, baseKeys: [key], headKeys: [key] });
        else if (inBase)
            onlyBase.push(key);
        else
            onlyHead.push(key);
    }
    groups.push(...pairVariants(table, onlyBase, onlyHead, base, head, rules));
    const items = [];
    for (const group of groups) {
        const baseSide = side(table, base, group.baseKeys);
        const headSide = side(table, head, group.headKeys);
        const name = headSide.stat?.name ?? baseSide.stat?.name ?? group.key;
        const variant = group.family
            ? {
                family: group.family,
                base: group.baseKeys.map((k) => nameOf(base, k)),
                head: group.headKeys.map((k) => nameOf(head, k))
            }
            : undefined;
        const limits = resolveLimits(rules, table, itemNames({ name, key: group.key, variant }));
        const floor = limits.minDelta ?? (limits.minShare / 100) * (baseTotal + (shareOf ?? 0));
        const baseValue = baseSide.stat ? baseSide.stat.value : 0;
        const headValue = headSide.stat ? headSide.stat.value : 0;
        const delta = headValue - baseValue;
        const item = {
            key: group.key,
            name,
            status: 'unchanged',
            base: baseSide.stat,
            head: headSide.stat,
            delta,
            deltaPct: baseSide.stat && baseValue > 0 ? (delta / baseValue) * 100 : null,
            sharePct: percentOf(baseSide.stat ? baseValue : headValue, baseSide.stat ? baseTotal : headTotal),
            gated: limits.gate,
            threshold: limits.threshold,
            floor,
            direction: limits.direction
        };
        if (limits.rule !== undefined)
            item.rule = limits.rule;
        if (variant)
            item.variant = variant;
        const values = history ? history.series(table, group.key) : [];
        if (values.length > 0)
            item.history = itemHistory(values);
        if (rules.auto)
            applyAutoLimit(item, values, limits.ruleThreshold === true);
        if (method.kind === 'mann-whitney-u' && baseSide.stat && headSide.stat)
            item.samples = { base: baseSide.samples, head: headSide.samples };
        judgeItem(item, method);
        items.push(item);
    }
    sortByImportance(items);
    const total = tableTotalDiff(baseTotal, headTotal, tableRules, measure, shareOf === undefined ? undefined : baseTotal + shareOf);
    if (method.kind === 'mann-whitney-u')
        total.samples = { base: baseTotals, head: headTotals };
    judgeTotal(total, method);
    const diff = {
        table,
        unit,
        measure,
        gated: tableRules.gate,
        items,
        ignored: ignored.size,
        counts: countStatuses(items),
        total
    };
    if (shareOf !== undefined)
        diff.shareOf = baseTotal + shareOf;
    return diff;
}
function itemHistory(values) {
    const out = { values, runs: values.length };
    const band = bandOf(values);
    if (band)
        out.band = { low: band.low, high: band.high };
    return out;
}
function applyAutoLimit(item, values, ruleThreshold) {
    const { threshold, limit } = autoLimit(values, item.threshold, ruleThreshold);
    item.threshold = threshold;
    item.limit = limit;
}
function autoNote(tables, history) {
    let fromHistory = 0;
    let short = 0;
    let gated = 0;
    for (const t of tables)
        for (const item of t.items) {
            if (!item.gated || !item.limit)
                continue;
            gated += 1;
            if (item.limit.source === 'history')
                fromHistory += 1;
            if (item.limit.why === 'too-few-runs')
                short += 1;
        }
    if (!history || history.comparable === 0)
        return {
            code: 'auto-threshold-no-history',
            severity: 'warning',
            message: `threshold: auto, but the baseline has no history of comparable runs${history ? ` (its ${history.total} runs were measured on another GPU, profiler version or naming)` : ''}: the fixed thresholds applied. The history grows with each push to the default branch that saves a baseline.`
        };
    return {
        code: 'auto-threshold',
        severity: 'info',
        message: `threshold: auto over up to ${history.comparable} comparable run${history.comparable === 1 ? '' : 's'} of history: ${fromHistory} of ${gated} gated item${gated === 1 ? '' : 's'} took a wider limit from their noise band; ${short} had fewer than ${MIN_HISTORY_RUNS} runs of history and kept the fixed threshold; the rest kept the fixed threshold as the floor.`
    };
}
function pairVariants(table, onlyBase, onlyHead, base, head, rules) {
    const singles = (keys) => keys.map((k) => ({
        key: k,
        baseKeys: base.some((t) => t.has(k)) ? [k] : [],
        headKeys: head.some((t) => t.has(k)) ? [k] : []
    }));
    if (table !== 'kernels' || onlyBase.length === 0 || onlyHead.length === 0)
        return [...singles(onlyBase), ...singles(onlyHead)];
    const families = new Map();
    const sort = (keys, runs, into, rest) => {
        for (const key of keys) {
            const family = familyOf(key, nameOf(runs, key), rules.families);
            if (!family) {
                rest.push(key);
                continue;
            }
            const entry = families.get(family.id) ?? { label: family.label, base: [], head: [] };
            entry[into].push(key);
            families.set(family.id, entry);
        }
    };
    const rest = [];
    sort(onlyBase, base, 'base', rest);
    sort(onlyHead, head, 'head', rest);
    const out = [];
    for (const [id, entry] of families) {
        if (entry.base.length > 0 && entry.head.length > 0) {
            out.push({
                key: `variant:${id}`,
                baseKeys: entry.base,
                headKeys: entry.head,
                family: entry.label
            });
        }
        else
            rest.push(...entry.base, ...entry.head);
    }
    return [...out, ...singles(rest)];
}
function nameOf(runs, key) {
    for (const t of runs) {
        const stat = t.get(key);
        if (stat)
            return stat.name;
    }
    return key;
}
function judgeItem(item, method, family = 1) {
    delete item.reason;
    delete item.significance;
    if (!item.base) {
        item.status = 'new';
        return;
    }
    if (!item.head) {
        item.status = 'removed';
        return;
    }
    const verdict = judge(item.delta, item.deltaPct, item.threshold, item.floor, item.direction, () => {
        if (method.kind !== 'mann-whitney-u' || !item.samples)
            return true;
        item.significance = testSamples(item.samples.base, item.samples.head, method, item.delta, family);
        return item.significance.significant;
    });
    item.status = verdict.status;
    if (verdict.reason)
        item.reason = verdict.reason;
}
function judgeTotal(total, method) {
    delete total.significance;
    const verdict = judge(total.delta, total.deltaPct, total.threshold, total.floor, total.direction, () => {
        if (method.kind !== 'mann-whitney-u' || !total.samples)
            return true;
        total.significance = testSamples(total.samples.base, total.samples.head, method, total.delta);
        return total.significance.significant;
    });
    total.status = verdict.status;
    if (total.base === 0 && total.head > 0)
        total.status = 'new';
    if (total.head === 0 && total.base > 0)
        total.status = 'removed';
}
function decideRunTests(tables, method) {
    if (method.kind !== 'mann-whitney-u')
        return [];
    let tested = 0;
    let dropped = 0;
    let switched = 0;
    const underpowered = [];
    for (const table of tables) {
        const items = table.items.filter((i) => i.significance !== undefined);
        if (items.length >= 2) {
            for (const item of items) {
                const { samples, significance } = item;
                if (significance.test === 'mann-whitney-u' &&
                    samples &&
                    !rankTestReaches(samples, item.delta, method.alpha / items.length)) {
                    judgeItem(item, method, items.length);
                    if (item.significance?.test === 'student-t')
                        switched += 1;
                }
            }
            tested += items.length;
            dropped += keepDiscoveries(items, method.alpha, (item) => item.significance.p, (item, found) => {
                if (!found)
                    item.significance.significant = false;
            });
        }
        for (const item of items) {
            const samples = item.samples;
            if (!item.gated || item.status !== 'unchanged' || item.reason !== 'not-significant')
                continue;
            if (!samples || canBeTested(samples, item.delta, method.alpha))
                continue;
            if (!isWorse(item.direction, item.delta))
                continue;
            underpowered.push(`${TABLES[table.table].title}: ${clip(item.name, 120)} (${runsOf(samples)})`);
        }
        const total = table.total;
        if (total.gated &&
            total.samples &&
            total.significance?.significant === false &&
            !canBeTested(total.samples, total.delta, method.alpha) &&
            isWorse(total.direction, total.delta))
            underpowered.push(`the total of ${TABLES[table.table].title} (${runsOf(total.samples)})`);
    }
    const notes = [];
    if (tested > 0) {
        const tests = switched === 0
            ? method.attainable
                ? 'Mann\u2013Whitney'
                : "Student's t"
            : `Mann\u2013Whitney, and Student's t on the logarithms for ${switched} whose runs are too few, or too often tied, for the rank test to reach what the control asks of the strongest item`;
        notes.push({
            code: 'run-tests',
            severity: 'info',
            message: `${tested} changes beyond the limits were tested over the runs (${tests}), with false discoveries among the items of each table controlled at ${method.alpha} (Benjamini\u2013Hochberg): ${dropped === 0 ? 'every change significant alone is a discovery' : `${dropped} ${dropped === 1 ? 'change significant alone is not a discovery and does' : 'changes significant alone are not discoveries and do'} not count`}.`
        });
    }
    if (underpowered.length > 0)
        notes.push({
            code: 'test-underpowered',
            severity: 'error',
            message: `${underpowered.length} gated change${underpowered.length === 1 ? '' : 's'} past the limits cannot be tested: too few runs have ${underpowered.length === 1 ? 'its' : 'their'} table for any test to reach p < ${method.alpha} (${listed(underpowered, 5, (u) => u, '; ')}). Some runs did not give the report (see runs-without-table); rerun so that every run gives it.`
        });
    return notes;
}
const runsOf = (samples) => `${samples.base.length} base, ${samples.head.length} head run${samples.head.length === 1 ? '' : 's'}`;
function rankTestReaches(samples, delta, level) {
    if (minimumPValue(samples.base.length, samples.head.length) >= level)
        return false;
    return leastPValue(samples.base, samples.head, Math.sign(delta)) < level;
}
function canBeTested(samples, delta, alpha) {
    return (rankTestReaches(samples, delta, alpha) || (samples.base.length >= 2 && samples.head.length >= 2));
}
function countStatuses(items) {
    const counts = {
        regressed: 0,
        improved: 0,
        unchanged: 0,
        new: 0,
        removed: 0
    };
    for (const item of items)
        counts[item.status] += 1;
    return counts;
}
const isWorse = (direction, delta) => direction === 'lower-is-better' ? delta > 0 : delta < 0;
function judge(delta, deltaPct, threshold, floor, direction, significant) {
    if (delta === 0)
        return { status: 'unchanged' };
    if (deltaPct !== null && Math.abs(deltaPct) < threshold)
        return { status: 'unchanged', reason: 'below-threshold' };
    if (Math.abs(delta) < floor)
        return { status: 'unchanged', reason: 'below-floor' };
    if (!significant())
        return { status: 'unchanged', reason: 'not-significant' };
    return { status: isWorse(direction, delta) ? 'regressed' : 'improved' };
}
function testSamples(base, head, method, delta, family = 1) {
    const alpha = method.alpha;
    const way = Math.sign(delta);
    if (!rankTestReaches({ base, head }, delta, alpha / family)) {
        const t = runTTest(base, head, 1 - alpha);
        if (t) {
            const p = Math.sign(t.diff) === way ? t.p : 1;
            return {
                test: 'student-t',
                p,
                significant: p < alpha,
                ciLowPct: (t.low - 1) * 100,
                ciHighPct: (t.high - 1) * 100,
                confidence: t.log ? 1 - alpha : Number.NaN
            };
        }
    }
    const test = mannWhitney(base, head);
    const p = Math.sign(test.u - (base.length * head.length) / 2) === way ? test.p : 1;
    const interval = ratioInterval(base, head, 1 - alpha);
    return {
        test: 'mann-whitney-u',
        p,
        significant: p < alpha,
        ciLowPct: interval ? (interval.low - 1) * 100 : Number.NaN,
        ciHighPct: interval ? (interval.high - 1) * 100 : Number.NaN,
        confidence: interval?.confidence ?? Number.NaN
    };
}
function unusedGateRules(tables, rules) {
    const notes = [];
    for (const rule of rules.rules) {
        if (rule.gate !== true || rule.ignore)
            continue;
        const source = rule.match.source;
        const applied = tables.some((t) => (rule.table === undefined || rule.table === t.table) &&
            t.items.some((item) => item.rule === source));
        if (applied)
            continue;
        const where = rule.table === undefined ? 'any table' : TABLES[rule.table].title;
        const why = rule.table !== undefined && !tables.some((t) => t.table === rule.table)
            ? `neither side has ${where}`
            : `no item of ${where} matched it, or an earlier entry matched first`;
        notes.push({
            code: 'rule-unused',
            severity: 'warning',
            message: `The rules file's entry that gates ${quoted(source, 120)} (${rule.table === undefined ? 'every table' : `table ${rule.table}`}) decided no item: ${why}. The gate it asks for is not in force; check the pattern against the names in the report.`
        });
    }
    return notes;
}
function accept(tables, rules, label, today) {
    const notes = [];
    const expired = new Set();
    const acceptedIn = new Map();
    for (const table of tables) {
        let acceptedDelta = table.table === 'gpuBusy'
            ? (acceptedIn.get('kernels') ?? 0) + (acceptedIn.get('memTime') ?? 0)
            : 0;
        for (const item of table.items) {
            delete item.accepted;
            if (item.status !== 'regressed' || !(item.gated || table.total.gated))
                continue;
            if (label !== undefined) {
                item.accepted = { by: 'label', label, reason: `the pull request has the label "${label}"` };
            }
            else {
                const names = itemNames(item);
                for (const rule of rules.accept) {
                    if (rule.table !== undefined && rule.table !== table.table)
                        continue;
                    if (!names.some((n) => rule.pattern.test(n)))
                        continue;
                    if (rule.until < today) {
                        expired.add(`${rule.pattern.source} (until ${rule.until})`);
                        continue;
                    }
                    item.accepted = {
                        by: 'rule',
                        pattern: rule.pattern.source,
                        reason: rule.reason,
                        until: rule.until
                    };
                    break;
                }
            }
            if (item.accepted)
                acceptedDelta += item.delta;
        }
        acceptedIn.set(table.table, acceptedDelta);
        const total = table.total;
        delete total.accepted;
        if (total.status === 'regressed' && total.gated) {
            if (label !== undefined) {
                total.accepted = { by: 'label', label, reason: `the pull request has the label "${label}"` };
            }
            else if (acceptedDelta !== 0) {
                const residual = total.delta - acceptedDelta;
                const verdict = judge(residual, total.base > 0 ? (residual / total.base) * 100 : null, total.threshold, total.floor, total.direction, () => true);
                if (verdict.status !== 'regressed') {
                    total.accepted = {
                        by: 'rule',
                        reason: 'without the accepted regressions the total stays within its limits'
                    };
                }
            }
        }
    }
    for (const entry of expired) {
        notes.push({
            code: 'acceptance-expired',
            severity: 'warning',
            message: `The rules file accepted regressions matching ${entry}; that date has passed, so they count again.`
        });
    }
    return notes;
}
function side(table, runs, keys) {
    const perOccurrence = TABLES[table].measure === 'perOccurrence';
    const samples = new Array(runs.length);
    const totals = new Array(runs.length);
    const launches = new Array(runs.length);
    const occurred = new Array(runs.length);
    let last;
    let present = 0;
    let min = Infinity;
    let max = -Infinity;
    let truncated = false;
    let shared = 0;
    for (let r = 0; r < runs.length; r++) {
        const t = runs[r];
        let total = 0;
        let instances = 0;
        let occurrences = 0;
        let found;
        for (const key of keys) {
            const stat = t.get(key);
            if (!stat)
                continue;
            found = found ? mergeStat(found, stat) : stat;
            total += stat.total;
            instances += stat.instances;
            occurrences += occurrencesOf(stat);
        }
        if (perOccurrence && occurrences === 0 && total > 0)
            throw new Error(`${table}: ${total} ns over 0 occurrences reached the compare (a reader let it through)`);
        samples[r] = perOccurrence ? (occurrences > 0 ? total / occurrences : 0) : total;
        totals[r] = total;
        launches[r] = instances;
        occurred[r] = occurrences;
        if (!found)
            continue;
        last = found;
        present += 1;
        if (found.min < min)
            min = found.min;
        if (found.max > max)
            max = found.max;
        if (found.truncated)
            truncated = true;
        if (keys.length === 1 && (found.sharedBy ?? 0) > shared)
            shared = found.sharedBy ?? 0;
    }
    if (!last)
        return { stat: null, samples };
    if (runs.length === 1)
        return { stat: { ...last, runs: 1, value: samples[0] ?? 0 }, samples };
    const total = median(totals);
    const instances = median(launches);
    const stat = {
        name: last.name,
        total,
        instances,
        avg: instances > 0 ? total / instances : 0,
        min,
        max,
        runs: present,
        value: median(samples)
    };
    if (perOccurrence)
        stat.occurrences = median(occurred);
    if (truncated)
        stat.truncated = true;
    if (shared > 1)
        stat.sharedBy = shared;
    return { stat, samples };
}
const ORDER = {
    regressed: 0,
    improved: 1,
    new: 2,
    removed: 3,
    unchanged: 4
};
function byImportance(a, b) {
    if (a.status !== b.status)
        return ORDER[a.status] - ORDER[b.status];
    return weightOf(b) - weightOf(a) || compareText(a.key, b.key);
}
function weightOf(item) {
    return item.status === 'regressed' || item.status === 'improved'
        ? Math.abs(item.delta)
        : Math.max(item.base?.value ?? 0, item.head?.value ?? 0);
}
function sortByImportance(items) {
    const weights = items.map(weightOf);
    if (weights.some(Number.isNaN)) {
        items.sort(byImportance);
        return;
    }
    const ranks = items.map((item) => ORDER[item.status]);
    const order = items.map((_, i) => i);
    order.sort((a, b) => ranks[a] - ranks[b] || weights[b] - weights[a]);
    const sorted = [];
    for (let start = 0; start < order.length;) {
        const first = order[start];
        let end = start + 1;
        while (end < order.length &&
            ranks[order[end]] === ranks[first] &&
            weights[order[end]] === weights[first])
            end++;
        const run = order.slice(start, end).map((i) => items[i]);
        if (run.length > 1)
            run.sort((a, b) => compareText(a.key, b.key));
        sorted.push(...run);
        start = end;
    }
    sorted.forEach((item, i) => (items[i] = item));
}
function medianTimeline(runs) {
    const traced = [];
    runs.forEach((p, i) => {
        if (p.timeline)
            traced.push({
                timeline: p.timeline,
                run: i + 1,
                idle: p.timeline.devices.reduce((sum, d) => sum + d.idle, 0)
            });
    });
    traced.sort((a, b) => a.idle - b.idle || a.run - b.run);
    const pick = traced[(traced.length - 1) >> 1];
    return pick && { timeline: pick.timeline, run: pick.run };
}
function lastOf(runs) {
    const last = runs[runs.length - 1];
    if (!last)
        throw new InputError('compare needs at least one run a side');
    return last;
}
function percentOf(value, total) {
    return total > 0 ? (value / total) * 100 : 0;
}
function tableTotalDiff(base, head, rules, measure = 'total', shareOf) {
    return {
        base,
        head,
        delta: head - base,
        deltaPct: base > 0 ? ((head - base) / base) * 100 : null,
        status: 'unchanged',
        gated: rules.gateTotal && measure === 'total',
        threshold: rules.threshold,
        floor: rules.minDelta ?? (rules.minShare / 100) * (shareOf ?? base),
        direction: rules.direction
    };
}

const RECORD_KIND = 'nsys-bench/comparison';
const RECORD_VERSION = 1;
const SUFFIX = { ns: 'Ns', bytes: 'Bytes', calls: 'Calls' };
const ITEM_FIELDS = {
    ns: { delta: 'deltaNs', floor: 'floorNs', perOccurrence: 'perOccurrenceNs' },
    bytes: { delta: 'deltaBytes', floor: 'floorBytes', perOccurrence: 'perOccurrenceBytes' },
    calls: { delta: 'deltaCalls', floor: 'floorCalls', perOccurrence: 'perOccurrenceCalls' }
};
function* recordJson(comparison) {
    const record = recordOf(comparison);
    let separator = '{';
    for (const [key, value] of Object.entries(record)) {
        if (value === undefined)
            continue;
        if (key !== 'tables') {
            yield `${separator}${JSON.stringify(key)}:${JSON.stringify(value)}`;
            separator = ',';
            continue;
        }
        yield `${separator}"tables":`;
        separator = ',';
        let tableSeparator = '{';
        for (const table of comparison.tables) {
            const head = JSON.stringify(value[table.table]);
            let piece = `${tableSeparator}${JSON.stringify(table.table)}:${head.slice(0, -2)}`;
            tableSeparator = ',';
            let itemSeparator = '';
            for (const item of table.items) {
                piece += itemSeparator + JSON.stringify(itemRecord(item, table.table, table.unit));
                itemSeparator = ',';
                if (piece.length >= PIECE) {
                    yield piece;
                    piece = '';
                }
            }
            yield `${piece}]}`;
        }
        yield tableSeparator === '{' ? '{}' : '}';
    }
    yield '}';
}
function* recordText(comparison) {
    yield* recordJson(comparison);
    yield '\n';
}
const PIECE = 1 << 18;
function recordOf(comparison, items) {
    const tables = {};
    for (const table of comparison.tables) {
        tables[table.table] = {
            unit: table.unit,
            gated: table.gated,
            ignored: table.ignored,
            counts: table.counts,
            total: totalRecord(table.total, table.unit),
            ...(table.shareOf === undefined
                ? {}
                : { [`shareOf${SUFFIX[table.unit]}`]: round(table.shareOf) }),
            items: []
        };
    }
    const out = {
        kind: RECORD_KIND,
        schemaVersion: RECORD_VERSION,
        tool: comparison.tool,
        verdict: comparison.gate.verdict,
        reasons: comparison.gate.reasons,
        counts: comparison.gate.counts,
        runs: comparison.runs,
        method: comparison.method,
        today: comparison.today,
        rules: rulesToFile(comparison.rules),
        evidence: comparison.evidence,
        base: comparison.meta.base,
        head: comparison.meta.head,
        tables,
        notes: comparison.notes
    };
    if (comparison.acceptLabel !== undefined)
        out.acceptLabel = comparison.acceptLabel;
    if (comparison.timeline)
        out.timeline = comparison.timeline;
    if (comparison.history)
        out.history = comparison.history;
    return out;
}
function rulesToFile(rules) {
    const tables = {};
    for (const [name, t] of Object.entries(rules.tables)) {
        const entry = {
            threshold: t.threshold,
            minShare: t.minShare,
            direction: t.direction,
            gate: t.gate,
            gateTotal: t.gateTotal
        };
        if (t.minDelta !== undefined)
            entry.minDelta = t.minDelta;
        tables[name] = entry;
    }
    return {
        alpha: rules.alpha,
        ...(rules.auto ? { threshold: 'auto' } : {}),
        ignore: rules.ignore.map((p) => p.source),
        tables,
        rules: rules.rules.map((r) => {
            const { match, ...limits } = r;
            return { ...limits, match: match.source };
        }),
        checks: rules.checks,
        accept: rules.accept.map((a) => ({ ...a, pattern: a.pattern.source })),
        families: rules.families.map((f) => ({ match: f.match.source, family: f.family })),
        categories: rules.categories.map((c) => ({ match: c.match.source, category: c.category }))
    };
}
function sideRecord(stat, table, unit, name) {
    if (!stat)
        return null;
    const out = stat.name === name ? {} : { name: stat.name };
    writeStatFields(out, stat, unit);
    if (TABLES[table].measure === 'perOccurrence')
        out[ITEM_FIELDS[unit].perOccurrence] = round(stat.value);
    out.runs = stat.runs;
    return out;
}
function itemRecord(item, table, unit) {
    const s = SUFFIX[unit];
    const fields = ITEM_FIELDS[unit];
    const out = { name: item.name };
    if (item.key !== canonicalKey(table, item.name))
        out.key = item.key;
    out.status = item.status;
    out.base = sideRecord(item.base, table, unit, item.name);
    out.head = sideRecord(item.head, table, unit, item.name);
    out[fields.delta] = round(item.delta);
    out.deltaPct = item.deltaPct === null ? null : round(item.deltaPct);
    out.sharePct = round(item.sharePct);
    out.gated = item.gated;
    out.threshold = item.threshold;
    out[fields.floor] = round(item.floor);
    out.direction = item.direction;
    if (item.reason !== undefined)
        out.reason = item.reason;
    if (item.rule !== undefined)
        out.rule = item.rule;
    if (item.variant)
        out.variant = item.variant;
    if (item.accepted)
        out.accepted = item.accepted;
    if (item.significance)
        out.significance = significanceRecord(item.significance);
    if (item.samples)
        out.samples = item.samples;
    if (item.launches)
        out.launches = item.launches;
    if (item.limit)
        out.limit = item.limit;
    if (item.history) {
        const h = {
            values: item.history.values.map((v) => round(v)),
            runs: item.history.runs
        };
        if (item.history.band)
            h[`band${s}`] = { low: round(item.history.band.low), high: round(item.history.band.high) };
        out.history = h;
    }
    return out;
}
function totalRecord(total, unit) {
    const s = SUFFIX[unit];
    const out = {
        [`base${s}`]: round(total.base),
        [`head${s}`]: round(total.head),
        [`delta${s}`]: round(total.delta),
        deltaPct: total.deltaPct === null ? null : round(total.deltaPct),
        status: total.status,
        gated: total.gated,
        threshold: total.threshold,
        [`floor${s}`]: round(total.floor),
        direction: total.direction
    };
    if (total.samples)
        out.samples = total.samples;
    if (total.significance)
        out.significance = significanceRecord(total.significance);
    if (total.accepted)
        out.accepted = total.accepted;
    return out;
}
function significanceRecord(s) {
    return {
        ...s,
        p: round(s.p, 6),
        ciLowPct: Number.isFinite(s.ciLowPct) ? round(s.ciLowPct) : null,
        ciHighPct: Number.isFinite(s.ciHighPct) ? round(s.ciHighPct) : null,
        confidence: Number.isFinite(s.confidence) ? round(s.confidence, 6) : null
    };
}
function round(value, digits = 3) {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}
function rederiveVerdict(value, source) {
    const fail = (message) => new InputError(`not a valid nsys-bench comparison record: ${message}`, { file: source });
    if (!isObject$1(value) || value.kind !== RECORD_KIND)
        throw fail(`"kind" must be "${RECORD_KIND}" (a file written by \`compare --format json\`)`);
    const version = value.schemaVersion;
    if (typeof version === 'number' && Number.isInteger(version) && version > RECORD_VERSION)
        throw new InputError(`this comparison record has schemaVersion ${version}, written by a newer nsys-bench; this one reads ${RECORD_VERSION}. Upgrade nsys-bench.`, { file: source });
    if (version !== RECORD_VERSION)
        throw fail(`"schemaVersion" ${String(value.schemaVersion)} is not one this nsys-bench reads (${RECORD_VERSION})`);
    if (!VERDICTS.includes(value.verdict))
        throw fail('"verdict" is not a verdict');
    const rules = buildRules(value.rules, {}, `${source}: "rules"`);
    const runs = value.runs;
    if (!isObject$1(runs) ||
        !isCount(runs.base) ||
        !isCount(runs.head) ||
        runs.base < 1 ||
        runs.head < 1)
        throw fail('"runs" must have whole numbers "base" and "head"');
    const method = runs.base === 1 || runs.head === 1
        ? { kind: 'single-run' }
        : {
            kind: 'mann-whitney-u',
            alpha: rules.alpha,
            minimumP: minimumPValue(runs.base, runs.head),
            attainable: minimumPValue(runs.base, runs.head) < rules.alpha
        };
    const today = value.today;
    if (typeof today !== 'string' || !isDate(today))
        throw fail('"today" must be YYYY-MM-DD');
    const label = value.acceptLabel;
    if (label !== undefined && typeof label !== 'string')
        throw fail('"acceptLabel" must be a string');
    if (!isObject$1(value.tables))
        throw fail('"tables" must be an object');
    const tables = [];
    for (const [name, t] of Object.entries(value.tables)) {
        if (!isTableName(name))
            continue;
        tables.push(readTable(name, t, rules, method, runs.base, runs.head, fail));
    }
    const launchNotes = [...decideLaunchTests(tables, rules.alpha), ...decideRunTests(tables, method)];
    for (const t of tables)
        t.counts = countStatuses(t.items);
    const evidence = readEvidence(value.evidence, tables, fail);
    const checked = [...launchNotes, ...runChecks(evidence, rules, tables)];
    ungateTotals(tables, checked);
    checked.push(...idleWithoutRuns(tables, method));
    checked.push(...busyWithIgnored(tables));
    checked.push(...gatedMeasurement(tables, checked));
    const notes = [...checked, ...accept(tables, rules, label, today)];
    return { recorded: value.verdict, gate: decide(tables, notes), notes };
}
function readTable(table, value, rules, method, baseRuns, headRuns, fail) {
    const where = `tables.${table}`;
    if (!isObject$1(value) || !Array.isArray(value.items))
        throw fail(`"${where}.items" must be an array`);
    const { unit, measure } = TABLES[table];
    const s = SUFFIX[unit];
    const items = value.items.map((raw, i) => {
        const at = `${where}.items[${i}]`;
        if (!isObject$1(raw) || typeof raw.name !== 'string')
            throw fail(`"${at}.name" must be a string`);
        const key = raw.key === undefined ? canonicalKey(table, raw.name) : raw.key;
        if (typeof key !== 'string')
            throw fail(`"${at}.key" must be a string`);
        const base = readSide(raw.base, s, measure, raw.name, `${at}.base`, fail);
        const head = readSide(raw.head, s, measure, raw.name, `${at}.head`, fail);
        let variant;
        if (isObject$1(raw.variant)) {
            const v = raw.variant;
            if (typeof v.family !== 'string' || !isStrings(v.base) || !isStrings(v.head))
                throw fail(`"${at}.variant" must have "family", "base" and "head"`);
            variant = { family: v.family, base: v.base, head: v.head };
        }
        const limits = resolveLimits(rules, table, itemNames({ name: raw.name, key, variant }));
        const baseValue = base?.value ?? 0;
        const delta = (head?.value ?? 0) - baseValue;
        const item = {
            key,
            name: raw.name,
            status: 'unchanged',
            base,
            head,
            delta,
            deltaPct: base && baseValue > 0 ? (delta / baseValue) * 100 : null,
            sharePct: 0,
            gated: limits.gate,
            threshold: limits.threshold,
            floor: 0,
            direction: limits.direction
        };
        if (variant)
            item.variant = variant;
        const values = raw.history === undefined ? [] : readHistory$1(raw.history, `${at}.history`, fail);
        if (values.length > 0)
            item.history = itemHistory(values);
        if (rules.auto)
            applyAutoLimit(item, values, limits.ruleThreshold === true);
        if (raw.launches !== undefined)
            item.launches = readLaunches(raw.launches, `${at}.launches`, fail);
        if (raw.samples !== undefined) {
            item.samples = readSamples(raw.samples, baseRuns, headRuns, `${at}.samples`, fail);
        }
        else if (method.kind === 'mann-whitney-u' && base && head) {
            throw fail(`"${at}.samples" is missing: with repeated runs every compared item has them`);
        }
        return { item, minDelta: limits.minDelta, minShare: limits.minShare };
    });
    if (!isObject$1(value.total))
        throw fail(`"${where}.total" must be an object`);
    const baseTotal = number$1(value.total[`base${s}`], `${where}.total.base${s}`, fail);
    const headTotal = number$1(value.total[`head${s}`], `${where}.total.head${s}`, fail);
    const shareOf = value[`shareOf${s}`] === undefined
        ? undefined
        : number$1(value[`shareOf${s}`], `${where}.shareOf${s}`, fail);
    for (const { item, minDelta, minShare } of items) {
        item.floor = minDelta ?? (minShare / 100) * (shareOf ?? baseTotal);
        judgeItem(item, method);
    }
    const total = tableTotalDiff(baseTotal, headTotal, rules.tables[table], measure, shareOf);
    if (value.total.samples !== undefined)
        total.samples = readSamples(value.total.samples, baseRuns, headRuns, `${where}.total.samples`, fail);
    judgeTotal(total, method);
    const diffs = items.map((i) => i.item);
    return {
        table,
        unit,
        measure,
        gated: rules.tables[table].gate,
        items: diffs,
        ignored: isCount(value.ignored) ? value.ignored : 0,
        counts: countStatuses(diffs),
        total,
        ...(shareOf === undefined ? {} : { shareOf })
    };
}
function readSide(value, s, measure, itemName, where, fail) {
    if (value === null)
        return null;
    if (!isObject$1(value) || (value.name !== undefined && typeof value.name !== 'string'))
        throw fail(`"${where}" must be null or a row`);
    const instances = number$1(value.instances, `${where}.instances`, fail);
    const total = number$1(value[`total${s}`], `${where}.total${s}`, fail);
    const side = {
        name: typeof value.name === 'string' ? value.name : itemName,
        total,
        instances,
        avg: instances > 0 ? total / instances : 0,
        min: 0,
        max: 0,
        runs: isCount(value.runs) ? value.runs : 1,
        value: measure === 'perOccurrence'
            ? number$1(value[`perOccurrence${s}`], `${where}.perOccurrence${s}`, fail)
            : total
    };
    if (value.occurrences !== undefined)
        side.occurrences = number$1(value.occurrences, `${where}.occurrences`, fail);
    return side;
}
function readHistory$1(value, where, fail) {
    if (!isObject$1(value) || !Array.isArray(value.values) || value.values.length > 1000)
        throw fail(`"${where}.values" must be an array of at most 1000 numbers`);
    return value.values.map((x) => number$1(x, `${where}.values`, fail));
}
function readSamples(value, baseRuns, headRuns, where, fail) {
    if (!isObject$1(value))
        throw fail(`"${where}" must be an object`);
    const list = (v, n, side) => {
        if (!Array.isArray(v) || v.length < 1 || v.length > n)
            throw fail(`"${where}.${side}" must list 1 to ${n} numbers (one a run that has the table)`);
        return v.map((x) => number$1(x, `${where}.${side}`, fail));
    };
    return { base: list(value.base, baseRuns, 'base'), head: list(value.head, headRuns, 'head') };
}
function readEvidence(value, tables, fail) {
    if (!isObject$1(value))
        throw fail('"evidence" must be an object');
    const side = (v, label) => {
        if (!isObject$1(v) || !isObject$1(v.tables))
            throw fail(`"evidence.${label}.tables" must be an object`);
        const states = {};
        for (const name of Object.keys(TABLES)) {
            const list = v.tables[name];
            if (list === undefined) {
                states[name] = [];
                continue;
            }
            if (!Array.isArray(list) ||
                !list.every((s) => s === 'missing' || s === 'empty' || s === 'data'))
                throw fail(`"evidence.${label}.tables.${name}" must list "missing", "empty" or "data" per run`);
            states[name] = list;
        }
        for (const key of ['gpus', 'nsys', 'naming'])
            if (!isStrings(v[key]))
                throw fail(`"evidence.${label}.${key}" must be an array of strings`);
        const facts = {
            tables: states,
            gpus: v.gpus,
            nsys: v.nsys,
            naming: v.naming
        };
        for (const key of [
            'rocprofv3',
            'profilers',
            'gpusByRun',
            'ranksByRun',
            'incomplete'
        ]) {
            const list = v[key];
            if (list === undefined)
                continue;
            if (!isStrings(list))
                throw fail(`"evidence.${label}.${key}" must be an array of strings`);
            facts[key] = list;
        }
        if (v.gpuRuns !== undefined)
            facts.gpuRuns = readGpuRuns(v.gpuRuns, `evidence.${label}.gpuRuns`, fail);
        return facts;
    };
    const evidence = { base: side(value.base, 'base'), head: side(value.head, 'head') };
    const kernels = tables.find((t) => t.table === 'kernels');
    if (kernels)
        evidence.kernels = kernelFacts(kernels);
    return evidence;
}
function readGpuRuns(value, where, fail) {
    if (!Array.isArray(value))
        throw fail(`"${where}" must be an array, one entry per run`);
    return value.map((run, i) => {
        if (!isObject$1(run))
            throw fail(`"${where}[${i}]" must be an object`);
        const facts = {};
        for (const key of ['mig', 'driver', 'settings']) {
            const field = run[key];
            if (field === undefined)
                continue;
            if (typeof field !== 'string')
                throw fail(`"${where}[${i}].${key}" must be a string`);
            facts[key] = field;
        }
        if (run.others !== undefined) {
            if (!isStrings(run.others))
                throw fail(`"${where}[${i}].others" must be an array of strings`);
            facts.others = run.others;
        }
        if (run.smClockMHz !== undefined)
            facts.smClockMHz = number$1(run.smClockMHz, `${where}[${i}].smClockMHz`, fail);
        return facts;
    });
}
function number$1(value, where, fail) {
    if (typeof value !== 'number' ||
        !Number.isFinite(value) ||
        value < 0 ||
        value > Number.MAX_SAFE_INTEGER)
        throw fail(`"${where}" must be a number from 0 to ${Number.MAX_SAFE_INTEGER}`);
    return value;
}
function isCount(value) {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1_000_000;
}
function isStrings(value) {
    return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
function isObject$1(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function readLaunches(value, where, fail) {
    if (!isObject$1(value) || value.test !== 'launch-rank-test')
        throw fail(`"${where}.test" must be "launch-rank-test"`);
    const p = value.p;
    if (typeof p !== 'number' || !(p >= 0 && p <= 1))
        throw fail(`"${where}.p" must be from 0 to 1`);
    const sideOf = (v, at) => {
        if (!isObject$1(v))
            throw fail(`"${at}" must be an object`);
        return {
            launches: number$1(v.launches, `${at}.launches`, fail),
            p50: number$1(v.p50, `${at}.p50`, fail),
            p90: number$1(v.p90, `${at}.p90`, fail),
            p99: number$1(v.p99, `${at}.p99`, fail)
        };
    };
    const test = {
        test: 'launch-rank-test',
        p,
        base: sideOf(value.base, `${where}.base`),
        head: sideOf(value.head, `${where}.head`)
    };
    if (value.paired === true)
        test.paired = true;
    return test;
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

const ROLE_BY_BASE = {
    Time: 'share',
    'Total Time': 'total',
    Total: 'total',
    Instances: 'instances',
    'Num Calls': 'instances',
    Calls: 'instances',
    Count: 'instances',
    Operations: 'instances',
    Avg: 'avg',
    Average: 'avg',
    Med: 'med',
    Median: 'med',
    Min: 'min',
    Minimum: 'min',
    Max: 'max',
    Maximum: 'max',
    StdDev: 'stdDev',
    Name: 'name',
    Operation: 'name',
    Range: 'name',
    Style: 'style',
    Category: 'category',
    GridXYZ: 'xyz',
    BlockXYZ: 'xyz',
    Start: 'start',
    Duration: 'duration',
    GrdX: 'grid',
    Bytes: 'bytes',
    Device: 'device',
    CorrId: 'other',
    GrdY: 'gridY',
    GrdZ: 'gridZ',
    BlkX: 'blockX',
    BlkY: 'blockY',
    BlkZ: 'blockZ',
    'Reg/Trd': 'other',
    StcSMem: 'other',
    DymSMem: 'other',
    Throughput: 'other',
    SrcMemKd: 'other',
    DstMemKd: 'other',
    Ctx: 'other',
    GreenCtx: 'other',
    Strm: 'stream',
    'Total Proj Time': 'total',
    'Total Range Time': 'other',
    'Range Instances': 'instances',
    'Proj Avg': 'avg',
    'Proj Med': 'med',
    'Proj Min': 'min',
    'Proj Max': 'max',
    'Proj StdDev': 'stdDev',
    'Total GPU Ops': 'other',
    'Avg GPU Ops': 'other',
    'Avg Range Lvl': 'other',
    'Avg Num Child': 'other',
    'Projected Start': 'other',
    'Projected Duration': 'duration',
    'Orig Start': 'other',
    'Orig Duration': 'other',
    PID: 'other',
    TID: 'other',
    NumGPUOps: 'other',
    Lvl: 'other',
    NumChild: 'other',
    RangeId: 'other',
    ParentId: 'other',
    RangeStack: 'other',
    'NVTX Range': 'range',
    'NVTX Inst': 'occurrences',
    'Kern Inst': 'instances',
    'Kernel Name': 'name'
};
const MAX_LABEL = 200;
function parseColumn(cell) {
    const label = cell.trim();
    if (label.length > MAX_LABEL)
        return undefined;
    let base = label;
    let unit;
    const open = label.lastIndexOf('(');
    if (open >= 0 && label.endsWith(')') && label.indexOf(')', open) === label.length - 1) {
        base = label.slice(0, open).trim();
        unit = label.slice(open + 1, -1).trim();
    }
    const role = Object.hasOwn(ROLE_BY_BASE, base) ? ROLE_BY_BASE[base] : undefined;
    if (!role)
        return undefined;
    return unit === undefined ? { label, base, role } : { label, base, unit, role };
}
function parseHeader(cells) {
    if (cells.length < 3)
        return undefined;
    const columns = [];
    for (const cell of cells) {
        const column = parseColumn(cell);
        if (!column)
            return undefined;
        columns.push(column);
    }
    return columns;
}
function classifyHeader(columns) {
    const has = (role) => columns.some((c) => c.role === role);
    const byBase = (base) => columns.find((c) => c.base === base);
    const nameColumn = columns.find((c) => c.role === 'name');
    if (!nameColumn)
        return undefined;
    const nvtx = nvtxShape(columns, nameColumn, byBase);
    if (nvtx !== null)
        return nvtx;
    if (has('range') || has('occurrences'))
        return undefined;
    if (has('start') && has('duration'))
        return has('grid') || has('bytes') ? 'gpuTrace' : undefined;
    if (!has('total') || !has('instances'))
        return undefined;
    if (columns[columns.length - 1] !== nameColumn)
        return undefined;
    const timeTotal = byBase('Total Time') !== undefined;
    const instancesLabel = columns.find((c) => c.role === 'instances')?.base;
    if (has('category'))
        return timeTotal && nameColumn.base === 'Operation' ? 'gpuSum' : undefined;
    switch (nameColumn.base) {
        case 'Range':
            return timeTotal ? 'nvtx' : undefined;
        case 'Operation':
            return timeTotal ? 'memTime' : 'memSize';
        default:
            if (instancesLabel === 'Operations')
                return timeTotal ? 'memTime' : 'memSize';
            if (!timeTotal)
                return 'memSize';
            if (instancesLabel === 'Instances')
                return 'kernels';
            if (instancesLabel === 'Num Calls' || instancesLabel === 'Calls')
                return 'calls';
            return undefined;
    }
}
function nvtxShape(columns, nameColumn, byBase) {
    const first = columns[0];
    if (byBase('Total Proj Time')) {
        const ok = first === nameColumn && first.base === 'Range' && byBase('Range Instances');
        return ok ? 'nvtxGpuSum' : undefined;
    }
    if (byBase('Projected Duration'))
        return first === nameColumn && first.base === 'Name' ? 'nvtxGpuTrace' : undefined;
    if (byBase('Kern Inst') || byBase('NVTX Range')) {
        const ok = first?.role === 'range' &&
            columns[columns.length - 1] === nameColumn &&
            byBase('NVTX Inst') &&
            byBase('Kern Inst') &&
            byBase('Total Time');
        return ok ? 'nvtxKern' : undefined;
    }
    return null;
}
function shapeFits(shape, family) {
    if (shape === 'calls')
        return family === 'cudaApi' || family === 'osrt';
    if (shape === 'kernels')
        return family === 'kernels' || family === 'kernelsByGrid';
    return shape === family;
}
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
const ALL_NAMES = [...BY_ID.keys(), ...Object.keys(ALIASES), ...UNUSED].sort((a, b) => b.length - a.length);
const NAME_IN_TEXT = new RegExp(`(?<![A-Za-z0-9])(${ALL_NAMES.join('|')})(?:(?:_|:|\\]\\()(base|mangled|nvtx-name))?(?![A-Za-z0-9_-])`);
function lookupReport(rawName) {
    const name = rawName
        .trim()
        .replace(/^.*[\\/]/, '')
        .replace(/\.py$/, '');
    const id = ALIASES[name] ?? name;
    const info = BY_ID.get(id);
    if (info)
        return { kind: 'used', info, name };
    if (UNUSED.has(id))
        return { kind: 'unused', id, name };
    return { kind: 'unknown', name };
}
function findReportName(text) {
    const match = NAME_IN_TEXT.exec(text);
    if (!match?.[1])
        return undefined;
    return match[2] ? { name: match[1], variant: match[2] } : { name: match[1] };
}
function reportInfo(id) {
    return BY_ID.get(id);
}
const STATISTICS_TITLES = [
    'CUDA API',
    'CUDA Kernel',
    'CUDA Memory Operation',
    'Operating System Runtime API',
    'NVTX Push-Pop Range',
    'NVTX Start-End Range'
];
function reportFromTitle(line) {
    let text = line.trim();
    const generating = /^Generating\s+/.exec(text);
    if (generating)
        text = text.slice(generating[0].length);
    const what = STATISTICS_TITLES.find((title) => text.startsWith(`${title} Statistics`));
    if (what === undefined)
        return undefined;
    let rest = text.slice(what.length + ' Statistics'.length);
    if (rest.endsWith(':'))
        rest = rest.slice(0, -1);
    else if (rest.endsWith('...'))
        rest = rest.slice(0, -3);
    rest = rest.trim();
    let qualifier;
    if (rest !== '') {
        if (!rest.startsWith('(') || !rest.endsWith(')') || rest.indexOf(')') !== rest.length - 1)
            return undefined;
        qualifier = rest.slice(1, -1).trim();
    }
    switch (what) {
        case 'CUDA API':
            return withUnit('cuda_api_sum', qualifier);
        case 'CUDA Kernel':
            return withUnit('cuda_gpu_kern_sum', qualifier);
        case 'Operating System Runtime API':
            return withUnit('osrt_sum', qualifier);
        case 'NVTX Push-Pop Range':
            return withUnit('nvtx_pushpop_sum', qualifier);
        case 'NVTX Start-End Range':
            return withUnit('nvtx_startend_sum', qualifier);
        default: {
            const q = qualifier?.toLowerCase() ?? '';
            if (q.startsWith('by size') || q === 'kib' || q === 'mb' || q === 'kb')
                return withUnit('cuda_gpu_mem_size_sum', qualifier);
            return withUnit('cuda_gpu_mem_time_sum', qualifier);
        }
    }
}
function withUnit(id, qualifier) {
    if (!qualifier)
        return { id };
    const unit = /^by \w+(?: in (\S+))?$/.exec(qualifier);
    if (unit)
        return unit[1] ? { id, unitHint: unit[1] } : { id };
    return { id, unitHint: qualifier === 'nanoseconds' ? 'ns' : qualifier };
}
function allReportNames() {
    return ALL_NAMES;
}

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
function splitBoxedHeader(line) {
    const text = line.trim();
    if (!text.startsWith('|') || !text.endsWith('|') || text.length < 2)
        return undefined;
    return text
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim());
}
function boxBorder(line) {
    const text = line.trim();
    if (!/^\+(?:-+\+){2,}$/.test(text))
        return undefined;
    return text.length - 1 - text.lastIndexOf('+', text.length - 2) - 1 - 2;
}
function splitColumnHeader(line) {
    return line.trim().split(/ {2,}/);
}
function dashRuns(line) {
    if (!/^ *-+( +-+)* *$/.test(line))
        return undefined;
    return line
        .trim()
        .split(/ +/)
        .map((run) => run.length);
}
function dashSpans(line) {
    if (!/^ *-+( +-+)* *$/.test(line))
        return undefined;
    const spans = [];
    const runs = /-+/g;
    for (let match = runs.exec(line); match; match = runs.exec(line))
        spans.push([match.index, match.index + match[0].length]);
    return spans;
}
function boxSpans(line) {
    const start = line.indexOf('+');
    if (start < 0 || boxBorder(line) === undefined)
        return undefined;
    const spans = [];
    let plus = start;
    for (let next = line.indexOf('+', plus + 1); next >= 0; next = line.indexOf('+', plus + 1)) {
        spans.push([plus + 2, next - 1]);
        plus = next;
    }
    return spans;
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
    return scaled > MAX_VALUE$1 ? Infinity : scaled;
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
const MAX_VALUE$1 = Number.MAX_SAFE_INTEGER;
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
                if (i === bytesAt && value * bytesFactor > MAX_VALUE$1)
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
            if (value !== null && value * (role === 'bytes' ? (this.bytesFactor ?? 1) : 1) > MAX_VALUE$1) {
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
                        acc: accumulator$1(trace.kernels, key, name),
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
    accumulator$1(map, key, name).add(value);
}
function accumulator$1(map, key, name) {
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

const NUMERIC = new Set([
    'total',
    'instances',
    'occurrences',
    'avg',
    'med',
    'min',
    'max',
    'stdDev',
    'duration'
]);
const MAX_QUOTE_TRIES = 64;
const MAX_VALUE = Number.MAX_SAFE_INTEGER;
class NvtxBlock {
    options;
    line;
    lastLine;
    rows = 0;
    gpus = new Set();
    notes = [];
    index = {};
    numeric = [];
    style;
    factor;
    step;
    table;
    rowsByKey = new Map();
    folded = new Map();
    cutKeys = new Set();
    row;
    parse = parseCsvNumber;
    numberStyle;
    outside = { rows: 0, total: 0 };
    cut = 0;
    constructor(options) {
        this.options = options;
        this.line = options.line;
        this.lastLine = options.line;
        this.row = new Float64Array(options.columns.length).fill(NaN);
        options.columns.forEach((column, i) => {
            if (this.index[column.role] === undefined)
                this.index[column.role] = i;
            if (NUMERIC.has(column.role))
                this.numeric.push(i);
        });
        this.style = this.index.style;
        this.table = options.family === 'nvtxKern' ? 'nvtxKernels' : 'nvtxGpu';
        const timeRole = options.family === 'nvtxGpuTrace' ? 'duration' : 'total';
        const at = this.index[timeRole];
        const unit = (at === undefined ? undefined : options.columns[at]?.unit) ?? options.unitHint;
        const factor = timeFactor(unit);
        if (factor === undefined)
            throw this.error(options.line, `unknown time unit ${quoted(unit ?? '')} (nsys prints ns, us, ms or sec)`, timeRole);
        this.factor = factor;
        this.step = timeStep(unit);
        if ((options.format === 'column' || options.format === 'table') && !options.spans)
            throw new InputError('a column-format table without the positions of its columns', {
                file: options.source,
                line: options.line
            });
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
                return this.splitCsv(line);
            case 'tsv':
                return splitTsv(line, count);
            case 'column':
            case 'table':
                return this.splitAtSpans(line);
            case 'json':
                return undefined;
        }
    }
    splitCsv(line) {
        const n = this.options.columns.length;
        if (line.startsWith('"')) {
            let at = line.indexOf('",', 1);
            for (let tries = 0; at >= 0 && tries < MAX_QUOTE_TRIES; tries++) {
                const first = line.slice(1, at);
                if (first.includes(',')) {
                    const rest = splitCsvNameLast(line.slice(at + 2), n - 1);
                    if (rest && this.fits([first, ...rest]))
                        return [first, ...rest];
                }
                at = line.indexOf('",', at + 1);
            }
        }
        const comma = line.indexOf(',');
        if (comma < 0)
            return undefined;
        const rest = splitCsvNameLast(line.slice(comma + 1), n - 1);
        return rest ? [line.slice(0, comma), ...rest] : undefined;
    }
    fits(cells) {
        for (const i of this.numeric)
            if (parseCsvNumber(cells[i] ?? '') === undefined)
                return false;
        return this.style === undefined || /^[A-Za-z]*$/.test(cells[this.style] ?? '');
    }
    splitAtSpans(line) {
        const spans = this.options.spans ?? [];
        const boxed = this.options.format === 'table';
        const points = /[\uD800-\uDFFF]/.test(line) ? Array.from(line) : undefined;
        const at = (i) => (points ? (points[i] ?? '') : line.charAt(i));
        const slice = (from, to) => points ? points.slice(from, to).join('') : line.slice(from, to);
        const cells = [];
        for (let i = 0; i < spans.length; i++) {
            const [from, to] = spans[i];
            const last = i === spans.length - 1;
            if (boxed) {
                if (at(from - 2) !== '|' || at(to + 1) !== '|')
                    return undefined;
            }
            else if (i > 0 && (at(from - 1) !== ' ' || at(from - 2) !== ' '))
                return undefined;
            cells.push((last && !boxed ? slice(from) : slice(from, to)).trim());
        }
        return cells;
    }
    startsLikeRow(line) {
        const text = line.trim();
        if (this.options.format === 'csv' || this.options.format === 'tsv') {
            const separator = this.options.format === 'csv' ? ',' : '\t';
            let count = 0;
            for (let i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, i + 1))
                count++;
            return count >= this.options.columns.length - 1;
        }
        return this.options.format === 'table' ? text.startsWith('|') : /\d/.test(text);
    }
    acceptBytes() {
        return false;
    }
    accept(cells, line) {
        if (cells.length !== this.options.columns.length)
            return false;
        if (this.options.format === 'column' || this.options.format === 'table')
            this.learnStyle(cells, line);
        if (this.options.format === 'csv') {
            const last = cells.length - 1;
            if (this.options.columns[last]?.role === 'name')
                cells[last] = this.csvName(cells[last] ?? '', line);
        }
        const probe = this.numeric[0];
        if (probe === undefined)
            return false;
        const first = this.parse(cells[probe] ?? '');
        if (first === undefined || first === null)
            return false;
        const numbers = this.numbers(cells, line);
        switch (this.options.family) {
            case 'nvtxGpuSum':
                this.acceptSummary(cells, numbers, line);
                break;
            case 'nvtxGpuTrace':
                this.acceptTrace(cells, numbers, line);
                break;
            default:
                this.acceptKernels(cells, numbers, line);
        }
        this.rows += 1;
        this.lastLine = line;
        return true;
    }
    acceptSummary(cells, numbers, line) {
        const name = this.text(cells, 'name', line);
        const stat = this.stat(name, numbers, line, cells[this.index.avg ?? -1]);
        this.add(stat, this.isCut(cells, 'name'));
    }
    acceptTrace(cells, numbers, line) {
        const name = (cells[this.index.name ?? 0] ?? '').trim();
        const style = this.style === undefined ? '' : (cells[this.style] ?? '').trim();
        const duration = this.value(numbers, 'duration', line, true);
        if (name === '' && (style === '' || style === 'None')) {
            this.outside.rows += 1;
            this.outside.total += duration;
            return;
        }
        if (name === '')
            throw this.error(line, 'expected a range name, found nothing', 'name');
        const key = canonicalKey('nvtxGpu', name);
        let acc = this.folded.get(key);
        if (!acc) {
            acc = new StatAccumulator(name);
            this.folded.set(key, acc);
        }
        if (this.isCut(cells, 'name')) {
            this.cut += 1;
            this.cutKeys.add(key);
        }
        acc.add(duration);
    }
    acceptKernels(cells, numbers, line) {
        const occurrences = this.value(numbers, 'occurrences', line, true);
        if (!Number.isInteger(occurrences))
            throw this.error(line, 'expected a whole number of range instances', 'occurrences');
        const range = (cells[this.index.range ?? 0] ?? '').trim();
        const kernel = this.text(cells, 'name', line);
        if (occurrences === 0) {
            this.outside.rows += 1;
            this.outside.total += this.value(numbers, 'total', line, true);
            return;
        }
        if (range === '')
            throw this.error(line, 'expected a range name, found nothing', 'range');
        const stat = this.stat(nvtxKernelName(range, kernel.trim()), numbers, line, cells[this.index.avg ?? -1]);
        if (occurrences > stat.instances)
            throw this.error(line, `${occurrences} range instances launched the kernel only ${stat.instances} time${stat.instances === 1 ? '' : 's'}: a cell is missing, extra or edited, so this row cannot be trusted`, 'occurrences');
        stat.occurrences = occurrences;
        this.add(stat, this.isCut(cells, 'range') || this.isCut(cells, 'name'));
    }
    stat(name, numbers, line, avgCell = '') {
        const total = this.value(numbers, 'total', line, true);
        const instances = this.value(numbers, 'instances', line, true);
        if (!Number.isInteger(instances))
            throw this.error(line, 'expected a whole number of instances', 'instances');
        const avg = this.value(numbers, 'avg', line, false) ?? (instances > 0 ? total / instances : 0);
        const stat = {
            name,
            total,
            instances,
            avg,
            min: this.value(numbers, 'min', line, false) ?? avg,
            max: this.value(numbers, 'max', line, false) ?? avg
        };
        const med = this.value(numbers, 'med', line, false);
        if (med !== undefined)
            stat.med = med;
        const stdDev = this.value(numbers, 'stdDev', line, false);
        if (stdDev !== undefined)
            stat.stdDev = stdDev;
        const floored = this.numberStyle?.decimal === ',' && /,0+$/.test(avgCell.trim());
        const problem = statProblem(stat, this.step, this.factor * (floored ? 2 : 0.1));
        if (problem)
            throw new InputError(`this row is inconsistent (${problem}): a cell is missing, extra or edited, so its numbers cannot be trusted`, { file: this.options.source, line });
        return stat;
    }
    add(stat, cut) {
        if (cut) {
            stat.truncated = true;
            stat.sharedBy = 1;
            this.cut += 1;
        }
        const key = canonicalKey(this.table, stat.name);
        addRow(this.rowsByKey, key, stat);
    }
    isCut(cells, role) {
        const i = this.index[role];
        const spans = this.options.spans;
        if (i === undefined || !spans)
            return false;
        const text = (cells[i] ?? '').trim();
        const span = spans[i];
        if (!text.endsWith('\u2026') || !span)
            return false;
        return codePointLength(text) === span[1] - span[0];
    }
    tables() {
        if (this.outside.rows > 0) {
            const what = this.options.family === 'nvtxKern' ? 'kernels' : 'GPU operations';
            this.notes.push({
                code: 'nvtx-outside-ranges',
                severity: 'info',
                message: `the table at line ${this.line} has ${this.outside.rows} row${this.outside.rows === 1 ? '' : 's'} of ${what} launched outside every NVTX range (${Math.round(this.outside.total)} ns): they belong to no range and are left out of the NVTX tables`
            });
        }
        if (this.cut > 0) {
            this.notes.push({
                code: 'cut-names',
                severity: 'info',
                message: `the table at line ${this.line} has ${this.cut} row${this.cut === 1 ? '' : 's'} whose names nsys cut to the width of their column; rows that share a cut name are kept as one item (use \`nsys stats --format csv\` for full names)`
            });
        }
        if (this.options.family === 'nvtxGpuTrace') {
            const table = new Map();
            for (const [key, acc] of this.folded) {
                const stat = acc.toStat();
                if (this.cutKeys.has(key)) {
                    stat.truncated = true;
                    stat.sharedBy = 1;
                }
                table.set(key, stat);
            }
            return { nvtxGpu: table };
        }
        return { [this.table]: this.rowsByKey };
    }
    learnStyle(cells, line) {
        let found;
        for (const role of ['avg', 'stdDev', 'med']) {
            const i = this.index[role];
            if (i === undefined)
                continue;
            found = styleFromFraction(cells[i] ?? '');
            if (found)
                break;
        }
        const duration = this.index.duration;
        if (!found && duration !== undefined) {
            const cell = (cells[duration] ?? '').trim();
            found = this.factor === 1 ? styleFromGroups(cell) : styleFromFraction(cell);
        }
        if (!found)
            return;
        if (this.numberStyle) {
            if (found.decimal !== this.numberStyle.decimal)
                throw new InputError('the numbers in this column-format table do not follow one locale (decimal point vs thousands separator); re-run `nsys stats` with `--format csv` and LC_ALL=C.', { file: this.options.source, line });
            return;
        }
        this.numberStyle = found;
        const parser = styledParser(found);
        this.parse = (text) => {
            const cell = text.trim();
            if (cell === '' || cell === 'None')
                return null;
            return parser(cell);
        };
    }
    numbers(cells, line) {
        const out = this.row;
        for (const i of this.numeric) {
            const text = cells[i] ?? '';
            const value = this.parse(text);
            const role = this.options.columns[i]?.role ?? 'other';
            if (value === undefined || (value !== null && (!Number.isFinite(value) || value < 0)))
                throw this.error(line, `expected a non-negative number, found ${quoted(text.trim(), 80)}`, role);
            if (value !== null && value > MAX_VALUE)
                throw this.error(line, `${quoted(text.trim(), 80)} is too large to be a measurement`, role);
            out[i] = value ?? NaN;
        }
        return out;
    }
    value(numbers, role, line, required) {
        const i = this.index[role];
        const scale = role === 'instances' || role === 'occurrences' ? 1 : this.factor;
        const value = scaledCell(numbers, i, scale);
        if (value < Infinity)
            return value;
        if (Number.isNaN(value) && !required)
            return undefined;
        throw this.error(line, cellProblem(value, i, role), role);
    }
    text(cells, role, line) {
        const i = this.index[role];
        const value = i === undefined ? undefined : cells[i];
        if (value === undefined || value.trim() === '')
            throw this.error(line, 'expected a name, found nothing', role);
        return value;
    }
    csvName(raw, line) {
        const name = csvName(raw);
        if (name !== undefined)
            return name;
        throw new InputError(raw.startsWith('"')
            ? `the last cell ${quoted(raw, 80)} opens a quote that is never closed: the row is cut short`
            : `this row has more cells than the header at line ${this.line} (${this.options.columns.length}): the last cell ${quoted(raw, 80)} holds a comma but is not quoted, as nsys quotes every value with a comma`, { file: this.options.source, line });
    }
    error(line, message, role) {
        const i = this.index[role];
        const column = i === undefined ? role : (this.options.columns[i]?.label ?? role);
        return new InputError(message, { file: this.options.source, line, column });
    }
}

const MAX_JSON_BLOCK = 256 * 1024 * 1024;
const MAX_MARKER_LINE = 4096;
class NsysStatsParser {
    options;
    state = { kind: 'idle' };
    marker;
    occurrences = [];
    notes = [];
    gpus = new Set();
    nsysVersion;
    headerless;
    strict;
    lineNo = 0;
    lastTerminated = true;
    captures = [];
    boundary;
    prose = false;
    progress;
    db;
    lastWasRow = false;
    constructor(options) {
        this.options = options;
        this.strict = options.strict ?? false;
        if (options.report) {
            this.marker = {
                lookup: lookupReport(options.report.name),
                variant: options.report.variant,
                line: 1,
                structural: true,
                consumed: false
            };
        }
    }
    push(raw, lineNo, terminated = true) {
        this.lineNo = lineNo;
        this.lastTerminated = terminated;
        this.lastWasRow = false;
        let line = raw;
        const cr = line.indexOf('\r') < 0 ? -1 : line.lastIndexOf('\r');
        if (cr >= 0)
            line = cr === line.length - 1 ? line.slice(0, cr) : line.slice(cr + 1);
        if (lineNo === 1 && line.charCodeAt(0) === 0xfeff)
            line = line.slice(1);
        if (this.strict === 'auto' && line.trim() !== '') {
            const cells = line.includes('\t') ? line.split('\t') : line.split(',');
            this.strict = line.length <= MAX_MARKER_LINE && parseHeader(cells) !== undefined;
        }
        if (this.strict === true) {
            this.pushStrict(line, lineNo);
            return;
        }
        switch (this.state.kind) {
            case 'block':
                this.inBlock(line, lineNo, this.state);
                return;
            case 'json':
                this.inJson(line, lineNo, this.state);
                return;
            case 'columnHeader': {
                const header = this.state;
                this.state = { kind: 'idle' };
                const widths = line.length <= MAX_MARKER_LINE ? dashRuns(line) : undefined;
                if (widths?.length === header.columns.length) {
                    this.startBlock(header.columns, 'column', header.line, widths.at(-1), dashSpans(line));
                    return;
                }
                this.idle(line, lineNo);
                return;
            }
            case 'boxTop': {
                this.state = { kind: 'idle' };
                const cells = line.length <= MAX_MARKER_LINE ? splitBoxedHeader(line) : undefined;
                const columns = cells && cells.length >= 3 ? parseHeader(cells) : undefined;
                if (columns) {
                    this.state = { kind: 'boxHeader', columns, line: lineNo };
                    return;
                }
                this.idle(line, lineNo);
                return;
            }
            case 'boxHeader': {
                const header = this.state;
                this.state = { kind: 'idle' };
                const nameWidth = line.length <= MAX_MARKER_LINE ? boxBorder(line) : undefined;
                if (nameWidth !== undefined) {
                    this.startBlock(header.columns, 'table', header.line, nameWidth, boxSpans(line));
                    return;
                }
                this.idle(line, lineNo);
                return;
            }
            case 'idle':
                this.idle(line, lineNo);
        }
    }
    pushBytes(bytes, start, end, lineNo) {
        if (this.strict !== true || this.state.kind !== 'block')
            return false;
        const block = this.state.block;
        if (!block?.acceptBytes(bytes, start, end, lineNo))
            return false;
        this.lineNo = lineNo;
        this.lastTerminated = true;
        this.lastWasRow = true;
        return true;
    }
    scannableBlock() {
        if (this.strict !== true || this.state.kind !== 'block')
            return undefined;
        const block = this.state.block;
        return block instanceof TableBlock && block.scannable ? block : undefined;
    }
    takeScannedRow(block, values, at, name, device, lineNo) {
        block.takeScannedRow(values, at, name, device, lineNo);
        this.lineNo = lineNo;
        this.lastTerminated = true;
        this.lastWasRow = true;
    }
    finish() {
        if (this.state.kind === 'json') {
            throw new InputError('JSON output ends before its closing "]"', {
                file: this.options.source,
                line: this.state.line
            });
        }
        if (this.lastWasRow && !this.lastTerminated) {
            throw new InputError('the input ends in the middle of a table: its last row has no line break after it, so it ' +
                'may be cut short. nsys ends every row with a line break; if the row is whole, add one.', { file: this.options.source, line: this.lineNo });
        }
        this.endBlock();
        this.closeMarker();
        this.flushHeaderless();
        const result = {
            source: this.options.source,
            occurrences: this.occurrences,
            notes: this.notes,
            captures: this.captures.map(({ first, last }) => ({ first, last })),
            gpus: [...this.gpus]
        };
        if (this.nsysVersion)
            result.nsysVersion = this.nsysVersion;
        return result;
    }
    pushStrict(line, lineNo) {
        if (line.trim() === '')
            return;
        if (this.state.kind === 'block') {
            const block = this.state.block;
            const cells = block?.split(line);
            if (block && cells && block.accept(cells, lineNo)) {
                this.lastWasRow = true;
                return;
            }
            throw new InputError(`expected a row of ${this.state.marker?.lookup.name ?? 'the report'} ` +
                `(${block?.format === 'tsv' ? 'tab' : 'comma'}-separated, with the cells of the header on line ${block?.line ?? 1}), found ${quoted(line, 120)}`, { file: this.options.source, line: lineNo });
        }
        const format = line.includes('\t') ? 'tsv' : 'csv';
        const columns = line.length <= MAX_MARKER_LINE
            ? parseHeader(format === 'tsv' ? line.split('\t') : line.split(','))
            : undefined;
        if (!columns) {
            throw new InputError('expected the header of an `nsys stats --format csv` report (for example ' +
                '"Time (%),Total Time (ns),Instances,Avg (ns),\u2026,Name"), found ' +
                `${quoted(line, 120)}. Columns are matched by name, so the header line is required ` +
                '(do not use the `nohdr` format option).', { file: this.options.source, line: lineNo });
        }
        this.startBlock(columns, format, lineNo);
        const state = this.state;
        if (state.kind !== 'block' || !state.block) {
            throw new InputError(`this header is not one of the reports nsys-bench reads (${describeHeader(columns)})`, { file: this.options.source, line: lineNo });
        }
    }
    idle(line, lineNo) {
        const trimmed = line.trim();
        if (trimmed === '')
            return;
        if (trimmed.length > MAX_MARKER_LINE) {
            if (looksLikeRow(trimmed))
                this.noteHeaderless(lineNo);
            return;
        }
        const version = VERSION.exec(trimmed);
        if (version?.[1] && !this.nsysVersion)
            this.nsysVersion = version[1];
        if (this.structural(trimmed, lineNo))
            return;
        if (this.annotations(trimmed, lineNo))
            return;
        if (trimmed.includes('\t')) {
            const columns = parseHeader(trimmed.split('\t'));
            if (columns)
                return this.startBlock(columns, 'tsv', lineNo);
        }
        else if (trimmed.includes(',') && !trimmed.includes('  ')) {
            const columns = parseHeader(trimmed.split(','));
            if (columns)
                return this.startBlock(columns, 'csv', lineNo);
        }
        if (boxBorder(trimmed) !== undefined) {
            this.state = { kind: 'boxTop', line: lineNo };
            return;
        }
        const columnCells = splitColumnHeader(trimmed);
        if (columnCells.length >= 3) {
            const columns = parseHeader(columnCells);
            if (columns) {
                this.state = { kind: 'columnHeader', columns, line: lineNo };
                return;
            }
        }
        if (trimmed === '[' && this.marker && !this.marker.consumed) {
            this.state = { kind: 'json', lines: ['['], size: 1, line: lineNo, marker: this.marker };
            return;
        }
        if (looksLikeRow(trimmed)) {
            this.noteHeaderless(lineNo);
            return;
        }
        if (!NSYS_CONTINUATION.test(trimmed)) {
            this.prose = true;
            const marker = this.marker;
            if (marker?.structural && !marker.consumed)
                marker.prose ??= lineNo;
        }
        const named = findReportName(trimmed);
        if (named) {
            this.setMarker({
                lookup: lookupReport(named.name),
                variant: named.variant,
                line: lineNo,
                structural: false,
                consumed: false
            });
        }
    }
    structural(trimmed, lineNo) {
        const processing = parseProcessing(trimmed);
        if (processing) {
            this.newStructuralMarker(processing, lineNo);
            return true;
        }
        const running = parseRunning(trimmed);
        if (running) {
            this.newStructuralMarker(running, lineNo);
            return true;
        }
        const progress = /^\[(\d{1,4})\/(\d{1,4})\] /.exec(trimmed);
        if (progress) {
            const step = Number(progress[1]);
            const of = Number(progress[2]);
            if (step === 1) {
                this.closeMarker();
                this.newCapture(lineNo);
            }
            else if (this.progress?.of === of && this.progress.step === step - 1) {
                this.prose = false;
            }
            this.progress = { step, of };
        }
        const executing = parseExecuting(trimmed);
        if (executing) {
            this.newStructuralMarker({ script: executing.name, variant: executing.variant, rest: '', found: true }, lineNo);
            return true;
        }
        const titled = parseTitleWithName(trimmed);
        if (titled) {
            const lookup = lookupReport(titled.name);
            if (lookup.kind === 'unknown')
                return false;
            this.setMarker({
                lookup,
                variant: titled.variant,
                line: lineNo,
                structural: false,
                consumed: false
            });
            return true;
        }
        if (trimmed.startsWith('SKIPPED:')) {
            if (this.marker && !this.marker.consumed)
                this.recordNoData(this.marker, lineNo, `nsys skipped it: ${quoted(skipReason(trimmed), 160)}`);
            return true;
        }
        if (/^Generating (?:SQLite file|')/.test(trimmed)) {
            this.closeMarker();
            this.newCapture(lineNo);
            return true;
        }
        const title = reportFromTitle(trimmed);
        if (title) {
            this.setMarker({
                lookup: lookupReport(title.id),
                line: lineNo,
                structural: false,
                consumed: false,
                unitHint: title.unitHint
            });
            return true;
        }
        return false;
    }
    newStructuralMarker(found, lineNo) {
        this.closeMarker();
        if (found.db !== undefined) {
            if (this.db !== undefined && this.db !== found.db)
                this.newCapture(lineNo);
            this.db = found.db;
        }
        const lookup = lookupReport(found.script);
        const marker = {
            lookup,
            variant: found.variant,
            line: lineNo,
            structural: true,
            consumed: false,
            toFile: found.toFile
        };
        this.marker = marker;
        if (!found.found) {
            marker.consumed = true;
            this.note('report-not-found', 'warning', `line ${lineNo}: nsys could not find the report ${quoted(lookup.name, 80)}` +
                (lookup.kind === 'used' && lookup.name === 'nvtx_gpu_proj_sum'
                    ? ' (it is new in nsys 2023; 2022.4 has only the per-instance nvtxgpuproj, which nsys-bench reads instead)'
                    : lookup.kind === 'used' && lookup.name === lookup.info.id
                        ? ' (nsys 2022.4 and older know only the old report names, e.g. gpukernsum, cudaapisum, nvtxsum)'
                        : ''), lineNo);
            return;
        }
        const skipped = /SKIPPED:\s*(.*)$/.exec(found.rest);
        if (skipped) {
            const reason = skipped[1] ?? '';
            if (/output file .* exists/.test(reason)) {
                marker.consumed = true;
                this.note('report-not-written', 'warning', `line ${lineNo}: nsys did not write ${visible(clip(lookup.name, 200))}: ${visible(clip(reason.trim(), 200))} ` +
                    '(its numbers may be stale; nsys-bench runs nsys stats with --force-overwrite=true)', lineNo);
            }
            else {
                this.recordNoData(marker, lineNo, `nsys skipped it: ${quoted(skipReason(reason), 160)}`);
            }
            return;
        }
        if (found.toFile !== undefined) {
            marker.consumed = true;
            if (lookup.kind === 'used') {
                this.note('report-to-file', 'warning', `line ${lineNo}: ${lookup.name} was written to ${quoted(found.toFile, 120)}, not to this output; read that file instead`, lineNo);
            }
        }
    }
    annotations(trimmed, lineNo) {
        if (/^(ERROR|WARNING|Exportation error)\b/.test(trimmed)) {
            this.note('nsys-message', 'warning', `line ${lineNo}: nsys said ${quoted(trimmed, 200)}`, lineNo);
            return true;
        }
        if (/^CUPTI[ _]?ERROR\b/i.test(trimmed) || /\bCUPTI_ERROR_\w+/.test(trimmed)) {
            this.note('cupti-error', 'warning', `line ${lineNo}: the capture reported a CUPTI error (${quoted(trimmed, 200)}): GPU activity may be missing from the reports`, lineNo);
            return true;
        }
        if (trimmed.startsWith('NOTICE: Existing SQLite export found')) {
            this.note('sqlite-reused', 'warning', `line ${lineNo}: nsys reused an existing SQLite export; its numbers may belong to an older report (use --force-export=true)`, lineNo);
            return true;
        }
        return false;
    }
    setMarker(marker) {
        const current = this.marker;
        if (current && !current.consumed && sameReport(current.lookup, marker.lookup)) {
            if (marker.unitHint)
                current.unitHint = marker.unitHint;
            if (marker.variant)
                current.variant = marker.variant;
            return;
        }
        if (marker.structural)
            this.closeMarker();
        else if (current?.structural && !current.consumed && current.lookup.kind === 'used') {
            this.closeMarker();
        }
        this.marker = marker;
    }
    closeMarker() {
        const marker = this.marker;
        if (!marker || !marker.structural || marker.consumed || marker.toFile !== undefined)
            return;
        if (marker.prose !== undefined && marker.lookup.kind === 'used') {
            marker.consumed = true;
            this.note('report-output-missing', 'warning', `line ${marker.line} starts ${marker.lookup.name}, but line ${marker.prose} is text nsys does not print and no table follows: its output was removed or replaced, so the report is left out instead of being read as empty`, marker.line);
            return;
        }
        this.recordNoData(marker, marker.line, this.options.report && marker.line === 1 && this.lineNo === 0
            ? 'the file is empty, as nsys writes a report file it skips for lack of data'
            : 'it ran and printed no table');
    }
    recordNoData(marker, lineNo, why) {
        marker.consumed = true;
        if (marker.lookup.kind !== 'used')
            return;
        this.note('report-empty', 'info', `line ${marker.line}: ${marker.lookup.name} has no data (${why}): read as an empty table`, marker.line);
        this.record({
            report: marker.lookup.info,
            name: marker.lookup.name,
            ...(marker.variant ? { variant: marker.variant } : {}),
            line: lineNo,
            format: 'none',
            noData: true,
            tables: {},
            capture: 0
        }, marker.line, lineNo);
    }
    newCapture(line) {
        const current = this.captures.at(-1);
        if (current && current.reports.size > 0)
            this.boundary ??= line;
    }
    record(occurrence, from = occurrence.line, to = this.lineNo) {
        const key = `${occurrence.report.id}:${occurrence.variant ?? ''}`;
        let current = this.captures.at(-1);
        const earlier = this.boundary === undefined ? current?.reports.get(key) : undefined;
        if (current && earlier && sameRows(earlier.tables, occurrence.tables)) {
            this.note('report-repeated', 'info', `line ${occurrence.line}: ${occurrence.name} repeats the rows printed at line ${earlier.line} (the same report exported again): read once`, occurrence.line);
            this.prose = false;
            current.last = Math.max(current.last, to, occurrence.line);
            return;
        }
        if (!current || earlier || this.boundary !== undefined) {
            const first = Math.min(this.boundary ?? from, from);
            current = { first, last: occurrence.line, reports: new Map() };
            this.captures.push(current);
            this.boundary = undefined;
        }
        current.reports.set(key, occurrence);
        if (this.prose && current.reports.size > 1)
            occurrence.afterProse = true;
        this.prose = false;
        current.first = Math.min(current.first, from);
        current.last = Math.max(current.last, to, occurrence.line);
        occurrence.capture = this.captures.length - 1;
        this.occurrences.push(occurrence);
    }
    startBlock(columns, format, lineNo, nameWidth, spans) {
        this.flushHeaderless();
        const shape = classifyHeader(columns);
        const marker = this.marker && !this.marker.consumed ? this.marker : undefined;
        if (marker)
            marker.consumed = true;
        const info = this.resolveReport(shape, marker, columns, lineNo);
        if (!info || !shape) {
            this.state = { kind: 'block', block: undefined, marker, skipped: [] };
            return;
        }
        const options = {
            source: this.options.source,
            family: info.family,
            columns,
            format,
            line: lineNo,
            unitHint: marker?.unitHint,
            nameWidth,
            spans
        };
        const block = NVTX_FAMILIES.has(info.family)
            ? new NvtxBlock(options)
            : new TableBlock(options);
        const blockMarker = marker && marker.lookup.kind === 'used' && marker.lookup.info === info
            ? marker
            : {
                lookup: { kind: 'used', info, name: info.id },
                line: lineNo,
                structural: false,
                consumed: true,
                inferred: true
            };
        this.state = { kind: 'block', block, marker: blockMarker, skipped: [] };
    }
    resolveReport(shape, marker, columns, lineNo) {
        const lookup = marker?.lookup;
        if (lookup && lookup.kind !== 'used' && marker?.structural)
            return undefined;
        if (lookup?.kind === 'used') {
            if (shape && shapeFits(shape, lookup.info.family))
                return lookup.info;
            if (marker?.structural || this.strict === true) {
                throw new InputError(`the header of ${lookup.name} does not have the columns that report prints (${describeHeader(columns)})`, { file: this.options.source, line: lineNo });
            }
        }
        if (!shape)
            return undefined;
        const info = reportInfo(REPORT_FOR_SHAPE[shape]);
        if (marker && lookup && info) {
            this.note('title-mismatch', 'warning', `line ${marker.line} names ${quoted(lookup.name, 60)}, but the table at line ${lineNo} has the columns of ${info.id}: it was read as ${info.id}`, lineNo);
        }
        return info;
    }
    inBlock(line, lineNo, state) {
        const trimmed = line.trim();
        if (trimmed === '')
            return this.endBlock();
        if (state.block?.format === 'column' &&
            state.block.rows === 0 &&
            state.skipped.length === 0 &&
            /^-+$/.test(trimmed)) {
            throw new InputError(`the dashed rule under the header at line ${state.block.line} continues on this line: the text was wrapped at a fixed width, so every longer row was broken in two and its name cut without a mark. Capture the output unwrapped (redirect nsys's stdout to a file) or use \`nsys stats --format csv\``, { file: this.options.source, line: lineNo });
        }
        if (state.block?.format === 'table' &&
            trimmed.startsWith('+') &&
            boxBorder(trimmed) !== undefined)
            return this.endBlock();
        const cells = state.block?.split(line);
        if (cells && state.block?.accept(cells, lineNo)) {
            this.lastWasRow = true;
            return;
        }
        if (!state.block) {
            if (trimmed.length <= MAX_MARKER_LINE && isMarker(trimmed)) {
                this.endBlock();
                this.idle(line, lineNo);
            }
            return;
        }
        if (trimmed.length <= MAX_MARKER_LINE &&
            (isMarker(trimmed) || this.isHeader(trimmed) || findReportName(trimmed))) {
            this.endBlock();
            this.idle(line, lineNo);
            return;
        }
        if (state.block.startsLikeRow(line)) {
            throw new InputError(`this line starts like a row of the table at line ${state.block.line} but does not have its ` +
                `${state.block.format === 'column' ? 'columns' : 'cells'} (${quoted(trimmed, 120)}): it was cut or edited, so the table cannot be read right`, { file: this.options.source, line: lineNo });
        }
        state.skipped.push(lineNo);
    }
    isHeader(trimmed) {
        if (trimmed.includes('\t'))
            return parseHeader(trimmed.split('\t')) !== undefined;
        if (trimmed.includes(',') && parseHeader(trimmed.split(',')) !== undefined)
            return true;
        return parseHeader(splitColumnHeader(trimmed)) !== undefined;
    }
    endBlock() {
        const state = this.state;
        this.state = { kind: 'idle' };
        if (state.kind !== 'block' || !state.block || !state.marker)
            return;
        const { block, marker } = state;
        if (state.skipped.length > 0) {
            const n = state.skipped.length;
            this.note('lines-skipped', 'info', `${plural$1(n, 'line')} inside the ${marker.lookup.name} table at line ${block.line} ` +
                `${n === 1 ? 'is' : 'are'} not rows of it and ${n === 1 ? 'was' : 'were'} skipped ` +
                `(line${n === 1 ? '' : 's'} ${listLines(state.skipped)})`, block.line);
        }
        let info = marker.lookup.kind === 'used' ? marker.lookup.info : undefined;
        if (!info)
            return;
        const tables = block.tables();
        for (const note of block.notes)
            this.note(note.code, note.severity, note.message, block.line, note.table);
        if (block.family === 'cudaApi' && marker.inferred) {
            info = this.refineCalls(tables, block.line) ?? info;
        }
        for (const gpu of block.gpus)
            this.gpus.add(gpu);
        if (block.rows === 0) {
            this.note('empty-table', 'info', `the ${info.id} table at line ${block.line} has a header and no rows: read as no data`, block.line);
        }
        this.record({
            report: info,
            name: marker.lookup.kind === 'used' && marker.lookup.info === info
                ? marker.lookup.name
                : info.id,
            ...(marker.variant ? { variant: marker.variant } : {}),
            line: block.line,
            format: block.format,
            noData: block.rows === 0,
            tables: block.rows === 0 ? {} : relabel(tables, info),
            ...(block.rows > 0 && block instanceof TableBlock && block.timeline()
                ? { timeline: block.timeline() }
                : {}),
            capture: 0
        }, Math.min(marker.line, block.line), block.lastLine);
    }
    refineCalls(tables, line) {
        const names = [...(tables.cudaApi?.values() ?? [])].map((s) => s.name);
        if (names.length === 0 || names.some((n) => /^(cu|cuda)[A-Z]/.test(n)))
            return undefined;
        this.note('calls-as-osrt', 'info', `line ${line}: a table of calls with no report name nearby was read as OS runtime calls (no cu*/cuda* names)`, line);
        return reportInfo('osrt_sum');
    }
    inJson(line, lineNo, state) {
        state.lines.push(line);
        state.size += line.length + 1;
        if (state.size > MAX_JSON_BLOCK) {
            throw new InputError('a JSON report block is larger than 256 MiB; use --format csv', {
                file: this.options.source,
                line: state.line
            });
        }
        if (line.trim() !== ']')
            return;
        this.state = { kind: 'idle' };
        let rows;
        try {
            rows = JSON.parse(state.lines.map(textNumberAsString).join('\n'));
        }
        catch (error) {
            throw new InputError(`invalid JSON report output: ${visible(clip(error.message, 200))}`, {
                file: this.options.source,
                line: state.line
            });
        }
        if (!Array.isArray(rows))
            return;
        const first = rows[0];
        if (rows.length === 0 || typeof first !== 'object' || first === null) {
            if (state.marker)
                this.recordNoData(state.marker, state.line, 'its JSON output is an empty list');
            return;
        }
        const labels = Object.keys(first);
        const columns = labels.length <= 64 ? parseHeader(labels) : undefined;
        if (!columns)
            return;
        this.marker = state.marker;
        if (this.marker)
            this.marker.consumed = false;
        this.startBlock(columns, 'json', state.line);
        const blockState = this.state;
        if (blockState.kind !== 'block' || !blockState.block) {
            this.state = { kind: 'idle' };
            return;
        }
        rows.forEach((row, i) => {
            const record = (typeof row === 'object' && row !== null ? row : {});
            const cells = labels.map((label) => jsonCell(record[label]));
            if (!blockState.block?.accept(cells, state.line + 1 + i)) {
                throw new InputError(`JSON report row ${i + 1} is not a row of this report`, {
                    file: this.options.source,
                    line: state.line
                });
            }
        });
        this.endBlock();
    }
    noteHeaderless(lineNo) {
        const marker = this.marker;
        if (marker && marker.lookup.kind !== 'used')
            return;
        if (marker && !marker.consumed)
            marker.consumed = true;
        if (this.headerless && this.headerless.line + this.headerless.count === lineNo) {
            this.headerless.count += 1;
            return;
        }
        this.flushHeaderless();
        this.headerless = { line: lineNo, count: 1 };
    }
    flushHeaderless() {
        const run = this.headerless;
        if (!run)
            return;
        this.headerless = undefined;
        this.note('headerless-rows', 'warning', `${plural$1(run.count, 'line')} from line ${run.line} look like table rows but no header precedes ` +
            `${run.count === 1 ? 'it' : 'them'}, so ${run.count === 1 ? 'it was' : 'they were'} not read ` +
            '(columns are matched by header name: keep the header line and do not use the `nohdr` format option)', run.line);
    }
    note(code, severity, message, line, table) {
        const note = line === undefined ? { code, severity, message } : { code, severity, message, line };
        if (table !== undefined)
            note.table = table;
        this.notes.push(note);
    }
}
const NSYS_CONTINUATION = /^(?:It is assumed file was previously exported from|Consider using --force-export|Generated:$|[\\/].*\.(?:nsys-rep|qdrep|sqlite|qdstrm)$|```)/;
const NVTX_FAMILIES = new Set(['nvtxGpuSum', 'nvtxGpuTrace', 'nvtxKern']);
const REPORT_FOR_SHAPE = {
    kernels: 'cuda_gpu_kern_sum',
    gpuSum: 'cuda_gpu_sum',
    gpuTrace: 'cuda_gpu_trace',
    memTime: 'cuda_gpu_mem_time_sum',
    memSize: 'cuda_gpu_mem_size_sum',
    nvtx: 'nvtx_sum',
    calls: 'cuda_api_sum',
    nvtxGpuSum: 'nvtx_gpu_proj_sum',
    nvtxGpuTrace: 'nvtx_gpu_proj_trace',
    nvtxKern: 'nvtx_kern_sum'
};
const VERSION = /(?:nsight[- ]systems[-/ ]|Nsight Systems version |Nsight Systems )(\d{4}\.\d{1,3}\.\d{1,3}(?:\.\d{1,6})?)/i;
function parseProcessing(line) {
    if (!line.startsWith('Processing ['))
        return undefined;
    const dbEnd = line.indexOf('] with [', 12);
    if (dbEnd < 0)
        return undefined;
    const scriptEnd = line.indexOf(']', dbEnd + 8);
    if (scriptEnd < 0)
        return undefined;
    const script = line.slice(dbEnd + 8, scriptEnd);
    let pos = scriptEnd + 1;
    let variant;
    if (line.charAt(pos) === '(') {
        const close = line.indexOf(')', pos);
        if (close < 0 || !/^[\w-]+$/.test(line.slice(pos + 1, close)))
            return undefined;
        variant = line.slice(pos + 1, close);
        pos = close + 1;
    }
    let toFile;
    if (line.startsWith(' to [', pos)) {
        const close = line.indexOf(']...', pos + 5);
        if (close < 0)
            return undefined;
        toFile = line.slice(pos + 5, close);
        pos = close + 1;
    }
    if (!line.startsWith('...', pos))
        return undefined;
    return {
        script,
        variant,
        toFile,
        db: line.slice(12, dbEnd),
        rest: line.slice(pos + 3).trim(),
        found: script.endsWith('.py')
    };
}
function parseRunning(line) {
    if (!line.startsWith('Running ['))
        return undefined;
    const close = line.indexOf(']...', 9);
    if (close < 0)
        return undefined;
    const inside = line.slice(9, close);
    const space = inside.indexOf(' ');
    if (space <= 0)
        return undefined;
    return {
        script: inside.slice(0, space),
        db: inside.slice(space + 1),
        rest: line.slice(close + 4).trim(),
        found: true
    };
}
function sameRows(a, b) {
    const names = Object.keys(a);
    if (names.length !== Object.keys(b).length)
        return false;
    let rows = 0;
    for (const name of names) {
        const x = a[name];
        const y = b[name];
        if (!x || !y || x.size !== y.size)
            return false;
        for (const [key, stat] of x) {
            const other = y.get(key);
            if (!other || other.total !== stat.total || other.instances !== stat.instances)
                return false;
            if (stat.total > 0)
                rows += 1;
        }
    }
    return rows > 0;
}
function skipReason(text) {
    const reason = text.replace(/^SKIPPED:\s*/, '').trim();
    const contains = reason.indexOf(' does not contain ');
    return contains >= 0 ? reason.slice(contains + 1) : reason;
}
function parseExecuting(line) {
    const match = /^\[(\d{1,4})\/\d{1,4}\] Executing '([^']{1,200})' stats report/.exec(line);
    if (!match?.[2])
        return undefined;
    const [name = '', variant] = match[2].split(':');
    return { step: Number(match[1]), name, variant };
}
function parseTitleWithName(line) {
    if (!line.startsWith('** ') || !line.endsWith('):'))
        return undefined;
    const open = line.lastIndexOf('(');
    const inside = line.slice(open + 1, -2);
    if (open < 0 || !/^[\w:-]+$/.test(inside))
        return undefined;
    const [name = '', variant] = inside.split(':');
    return { name, variant };
}
function isMarker(trimmed) {
    return (parseProcessing(trimmed) !== undefined ||
        parseRunning(trimmed) !== undefined ||
        parseExecuting(trimmed) !== undefined ||
        parseTitleWithName(trimmed) !== undefined ||
        trimmed.startsWith('SKIPPED:') ||
        reportFromTitle(trimmed) !== undefined);
}
function looksLikeRow(trimmed) {
    const head = trimmed.slice(0, 200);
    if (!/^-?\d/.test(head))
        return false;
    const tokens = head.split(/[ \t,]+/, 5);
    if (tokens.length < 4)
        return false;
    return tokens.slice(0, 4).every((t) => /^"?-?[\d.,]+"?$/.test(t));
}
function sameReport(a, b) {
    if (a.kind === 'used' && b.kind === 'used')
        return a.info.id === b.info.id;
    return a.kind === b.kind && a.name === b.name;
}
function relabel(tables, info) {
    if (info.family === 'osrt' && tables.cudaApi)
        return { osrt: tables.cudaApi };
    return tables;
}
const TEXT_ROLES = new Set(['name', 'range', 'style', 'category', 'device']);
const JSON_NUMBER_LINE = /^(\s*"((?:[^"\\]|\\.)*)":\s*)(-?\d[\d.eE+-]*)(,?)\s*$/;
function textNumberAsString(line) {
    if (line.length > MAX_MARKER_LINE || !line.includes('": '))
        return line;
    const match = JSON_NUMBER_LINE.exec(line);
    if (!match)
        return line;
    const [, key = '', label = '', number = '', comma = ''] = match;
    const role = parseColumn(label)?.role;
    return role !== undefined && TEXT_ROLES.has(role) ? `${key}"${number}"${comma}` : line;
}
function jsonCell(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value === 'number')
        return String(value);
    if (typeof value === 'string')
        return value;
    return clip(JSON.stringify(value), 1000);
}
function describeHeader(columns) {
    return visible(clip(columns.map((c) => c.label).join(', '), 300));
}
function plural$1(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function listLines(lines) {
    const shown = lines.slice(0, 5).join(', ');
    return lines.length > 5 ? `${shown}, \u2026` : shown;
}

const VARIANT_PREFERENCE = [undefined, 'base', 'mangled', 'nvtx-name'];
function splitCaptures(result, choice = {}) {
    const count = result.captures.length;
    if (choice.capture !== undefined) {
        if (choice.capture < 1 || choice.capture > Math.max(count, 1)) {
            throw new InputError(`there is no capture ${choice.capture}: ${count <= 1 ? 'the input holds one capture' : `the input holds ${count} captures (${describe$1(result)})`}`, { file: result.source });
        }
        return count <= 1 ? [result] : [only(result, choice.capture - 1, byCapture(result))];
    }
    if (count <= 1)
        return [result];
    if (choice.captures === 'runs') {
        const buckets = byCapture(result);
        return result.captures.map((_, i) => only(result, i, buckets));
    }
    throw new InputError(`holds ${count} captures of nsys stats output (${describe$1(result)}), such as a log of several runs ` +
        'or a "before" and an "after"; nsys-bench never mixes them. Choose one with `--capture N`, ' +
        (choice.oneRun ? '' : 'read each as one run with `--captures runs`, ') +
        'or choose the lines of one run with `--lines`.', { file: result.source });
}
function describe$1(result) {
    const shown = result.captures
        .slice(0, 10)
        .map((c, i) => `${i + 1}: lines ${c.first}\u2013${c.last}`)
        .join(', ');
    return result.captures.length > 10 ? `${shown}, \u2026` : shown;
}
function only(result, index, buckets) {
    const capture = result.captures[index];
    const occurrences = buckets.occurrences[index] ?? [];
    const notes = [...buckets.everywhere, ...(buckets.notes[index] ?? [])];
    const joined = occurrences.filter((o) => o.afterProse).map((o) => o.line);
    if (joined.length > 0 && capture) {
        notes.push({
            code: 'capture-joins-prose',
            severity: 'warning',
            message: `capture ${index + 1} (lines ${capture.first}\u2013${capture.last}) joins reports that prose separates (at line${joined.length === 1 ? '' : 's'} ${joined.slice(0, 5).join(', ')}): if they come from different runs, as in a "before" and "after" laid out table by table, choose the lines of one run with \`--lines\``,
            line: capture.first
        });
    }
    return {
        ...result,
        source: `${result.source} (capture ${index + 1})`,
        occurrences,
        notes,
        captures: capture ? [capture] : []
    };
}
function byCapture(result) {
    const { captures } = result;
    const buckets = {
        occurrences: captures.map(() => []),
        notes: captures.map(() => []),
        everywhere: []
    };
    for (const o of result.occurrences)
        buckets.occurrences[o.capture]?.push(o);
    for (const note of result.notes) {
        if (note.line === undefined) {
            buckets.everywhere.push(note);
            continue;
        }
        let lo = 0;
        let hi = captures.length - 1;
        let at = -1;
        while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            if ((captures[mid]?.first ?? Infinity) <= note.line) {
                at = mid;
                lo = mid + 1;
            }
            else
                hi = mid - 1;
        }
        if (at >= 0)
            buckets.notes[at]?.push(note);
    }
    return buckets;
}
function assembleProfile(results, tool, description) {
    const meta = emptyMeta(tool);
    const found = [];
    const gpus = new Set();
    for (const result of results) {
        meta.sources.push(result.source);
        for (const note of result.notes)
            meta.notes.push({
                code: note.code,
                severity: note.severity,
                message: `${result.source}: ${note.message}`,
                ...(note.table === undefined ? {} : { table: note.table })
            });
        for (const occurrence of result.occurrences)
            found.push({ ...occurrence, source: result.source });
        if (result.nsysVersion && !meta.profiler.version)
            meta.profiler.version = result.nsysVersion;
        for (const gpu of result.gpus)
            gpus.add(gpu);
    }
    if (found.length === 0) {
        const why = meta.notes.length > 0
            ? ` What the input shows: ${meta.notes
                .slice(0, 5)
                .map((n) => n.message)
                .join('; ')}${meta.notes.length > 5 ? `; and ${meta.notes.length - 5} more` : ''}.`
            : '';
        throw new InputError(`found no nsys stats report in ${visible(clip(description, 300))}. nsys-bench reads the files written by ` +
            '`nsys stats --format csv --output <dir>/<base> <report>.nsys-rep`, captured `nsys stats` ' +
            `output, or a profile JSON written by nsys-bench; of AMD's profilers, rocprofv3's *_kernel_trace.csv and *_kernel_stats.csv ` +
            `(\`rocprofv3 --kernel-trace --stats --output-format csv\`) and rocprof's results.stats.csv (\`rocprof --stats\`).${why}`);
    }
    if (gpus.size > 0)
        meta.gpus = [...gpus].map((name) => ({ name }));
    const tables = {};
    for (const table of TABLE_NAMES) {
        const chosen = choose(table, found, meta);
        if (!chosen)
            continue;
        tables[table] = chosen.tables[table] ?? new Map();
        meta.reports[table] = chosen.variant ? `${chosen.name}:${chosen.variant}` : chosen.name;
        if (table === 'kernels' && chosen.variant && chosen.report.family !== 'gpuTrace') {
            meta.kernelNaming = chosen.variant;
        }
    }
    const profile = { meta, tables };
    const trace = tables.gpuIdle ? choose('gpuIdle', found, { ...meta, notes: [] }) : undefined;
    if (trace?.timeline) {
        profile.timeline = trace.timeline.timeline;
        profile.launches = trace.timeline.launches;
    }
    return profile;
}
function choose(table, found, meta) {
    const candidates = found.filter((o) => FAMILY_TABLES[o.report.family].includes(table));
    if (candidates.length === 0)
        return undefined;
    const rank = (o) => (VARIANT_PREFERENCE.length - variantIndex(o.variant)) * 10 + o.report.priority;
    const best = Math.max(...candidates.map(rank));
    const group = candidates.filter((o) => rank(o) === best);
    const withData = group.filter((o) => !o.noData);
    const chosen = withData.at(-1) ?? group.at(-1);
    if (!chosen)
        return undefined;
    if (group.length > 1) {
        const where = group
            .map((o) => `${o.source}:${o.line}${o.noData ? ' (no data)' : ''}`)
            .join(', ');
        meta.notes.push({
            code: 'report-repeated',
            severity: 'warning',
            message: `${chosen.name}${chosen.variant ? `:${chosen.variant}` : ''} appears ${group.length} times (${where}); ` +
                `the ${table} table uses ${chosen.source}:${chosen.line}` +
                (chosen !== group.at(-1) ? ' (the last one with data)' : ' (the last one)')
        });
    }
    return chosen;
}
function variantIndex(variant) {
    const i = VARIANT_PREFERENCE.indexOf(variant);
    return i < 0 ? VARIANT_PREFERENCE.length : i;
}

async function parseNsysStats(chunks, options) {
    const parser = new NsysStatsParser(options);
    const ranges = options.lines;
    await forEachLine(chunks, {
        ...(ranges
            ? {}
            : { bytes: (bytes, start, end, lineNo) => parser.pushBytes(bytes, start, end, lineNo) }),
        text: (line, lineNo, terminated) => {
            if (!ranges || ranges.some(([from, to]) => lineNo >= from && lineNo <= to))
                parser.push(line, lineNo, terminated);
        }
    }, { source: options.source });
    return parser.finish();
}
function reportFileName(fileName, knownNames) {
    const match = /^(.*)\.(csv|tsv|json)(\.gz)?$/.exec(fileName);
    if (!match || (match[3] && match[2] === 'json'))
        return undefined;
    const [, stem = '', ext = '', gz] = match;
    const compressed = gz ? { compressed: true } : {};
    for (const variant of ['base', 'mangled', 'nvtx-name', undefined]) {
        const suffixStem = variant ? stem.slice(0, -(variant.length + 1)) : stem;
        if (variant && !stem.endsWith(`_${variant}`))
            continue;
        for (const report of knownNames) {
            if (suffixStem.endsWith(`_${report}`)) {
                const base = suffixStem.slice(0, -(report.length + 1));
                return variant
                    ? { base, report, variant, ext, ...compressed }
                    : { base, report, ext, ...compressed };
            }
        }
    }
    return undefined;
}

const BASELINE_CAPTURE = `Generating SQLite file baseline.sqlite from baseline.nsys-rep
Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/nvtx_sum.py]... 
Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Style,Range
50.5,1013760000,512,1980000.0,1960200.0,1683000,2574000,99000.0,PushPop,execute_model
46.1,924160000,512,1805000.0,1786950.0,1534250,2346500,90250.0,PushPop,forward
2.4,47616000,512,93000.0,91140.0,65099,148800,9300.0,PushPop,prepare_inputs
1.0,20992000,512,41000.0,40344.0,31160,60680,3280.0,PushPop,sample

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/osrt_sum.py]... 
Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
54.9,928200000,420,2210000.0,1989000.0,220999,8840000,1105000.0,poll
41.7,704000000,1100,640000.0,563200.0,63999,2944000,384000.0,pthread_cond_timedwait
3.0,50960000,9800,5200.0,4368.0,519,30160,4160.0,ioctl
0.4,6510000,3100,2100.0,1890.0,209,8400,1050.0,read

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_api_sum.py]... 
Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
90.9,942080000,512,1840000.0,1821600.0,1564000,2392000,92000.0,cudaStreamSynchronize
6.2,63897600,20480,3120.0,2995.2,1247,6864,624.0,cudaLaunchKernel
1.2,12902400,1536,8400.0,7896.0,840,23520,2520.0,cudaMemcpyAsync
0.8,8622080,2048,4210.0,4041.6,1683,9262,842.0,cuLaunchKernel
0.7,7270400,512,14200.0,13916.0,9940,22720,1420.0,cudaGraphLaunch_v10000
0.1,1546240,1024,1510.0,1449.6,603,3322,302.0,cudaEventRecord

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_kern_sum.py]... 
Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
34.5,702873600,32768,21450.0,21364.2,20163,24024,429.0,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas
19.0,387973120,32768,11840.0,11484.8,6512,22496,1776.0,ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)
14.0,284753920,16384,17380.0,17310.5,16337,19465,347.6,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas
11.4,232816640,16384,14210.0,14096.3,12504,17620,568.4,"void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, true, false, false, false, true, true, false, false>(flash::Flash_fwd_params)"
7.3,149422080,16384,9120.0,9065.3,8299,10761,273.6,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x64x64_warpgroupsize1x1x1_execute_segment_k_on_kernel__5x_cublas
3.9,79790080,16384,4870.0,4840.8,4431,5746,146.1,"void vllm::act_and_mul_kernel<c10::BFloat16, &vllm::silu_kernel<c10::BFloat16>, true>(c10::BFloat16*, const c10::BFloat16*, int)"
3.9,78970880,32768,2410.0,2385.9,2048,3133,120.5,"void vllm::rms_norm_kernel<c10::BFloat16>(c10::BFloat16*, const c10::BFloat16*, const c10::BFloat16*, float, int, int)"
2.4,49479680,16384,3020.0,3001.9,2748,3563,90.6,"void flash::flash_fwd_splitkv_combine_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, 4, 3, false>(flash::Flash_fwd_params)"
1.6,31621120,16384,1930.0,1914.6,1698,2393,77.2,"void vllm::rotary_embedding_kernel<c10::BFloat16, true>(const long*, c10::BFloat16*, c10::BFloat16*, const c10::BFloat16*, int, long, long, int, int, int)"
1.4,28016640,16384,1710.0,1692.9,1453,2223,85.5,"void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, __nv_bfloat16, (vllm::Fp8KVCacheDataType)0>(const __nv_bfloat16*, const __nv_bfloat16*, __nv_bfloat16*, __nv_bfloat16*, const long*, int, int, int, int, int, int, const float*, const float*)"
0.2,3194880,512,6240.0,6177.6,5304,8112,312.0,"void at::native::sbtopk::gatherTopK<float, unsigned int, 2, false>(at::cuda::detail::TensorInfo<const float, unsigned int>, unsigned int, unsigned int, bool, unsigned int, unsigned int, at::cuda::detail::TensorInfo<float, unsigned int>, unsigned int, at::cuda::detail::TensorInfo<long, unsigned int>, unsigned int)"
0.1,2058240,512,4020.0,3987.8,3537,4984,160.8,"void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>>(at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>)"
0.1,1812480,1536,1180.0,1168.2,1003,1534,59.0,"void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char *, 1>>(int, T2, T3)"
0.1,1592320,512,3110.0,3085.1,2736,3856,124.4,"void at::native::(anonymous namespace)::cunn_SoftMaxForward<4, float, float, float, at::native::(anonymous namespace)::SoftMaxForwardEpilogue>(float*, const float*, int)"
0.1,1510400,512,2950.0,2920.5,2507,3835,147.5,"void at::native::(anonymous namespace)::indexSelectLargeIndex<c10::BFloat16, long, unsigned int, 2, 2, -2, true>(at::cuda::detail::TensorInfo<c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<const c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<const long, unsigned int>, int, int, unsigned int, unsigned int, long)"
0.1,1141760,512,2230.0,2212.2,1962,2765,89.2,"void at::native::elementwise_kernel<128, 2, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, const at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, const at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}&)::{lambda(int)#1})"
0.0,727040,512,1420.0,1405.8,1207,1846,71.0,triton_poi_fused_add_mul_0

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_mem_time_sum.py]... 
Time (%),Total Time (ns),Count,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Operation
40.4,2990080,2048,1460.0,1430.8,1021,2336,146.0,[CUDA memcpy Device-to-Device]
39.9,2959360,1024,2890.0,2832.2,2022,4624,289.0,[CUDA memcpy Host-to-Device]
11.9,880640,512,1720.0,1685.6,1204,2752,172.0,[CUDA memcpy Device-to-Host]
7.8,578560,512,1130.0,1118.7,960,1469,56.5,[CUDA memset]

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_mem_size_sum.py]... 
Total (MB),Count,Avg (MB),Med (MB),Min (MB),Max (MB),StdDev (MB),Operation
4294.967,2048,2.097,2.097,2.097,2.097,0.000,[CUDA memcpy Device-to-Device]
134.218,1024,0.131,0.131,0.131,0.131,0.000,[CUDA memcpy Host-to-Device]
33.554,512,0.066,0.066,0.066,0.066,0.000,[CUDA memset]
2.097,512,0.004,0.004,0.004,0.004,0.000,[CUDA memcpy Device-to-Host]

`;
const HEAD_CAPTURE = `Generating SQLite file head.sqlite from head.nsys-rep
Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/nvtx_sum.py]... 
Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Style,Range
50.6,1036800000,512,2025000.0,2004750.0,1721250,2632500,101250.0,PushPop,execute_model
46.1,945152000,512,1846000.0,1827540.0,1569100,2399800,92300.0,PushPop,forward
2.3,47616000,512,93000.0,91140.0,65099,148800,9300.0,PushPop,prepare_inputs
1.0,20992000,512,41000.0,40344.0,31160,60680,3280.0,PushPop,sample

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/osrt_sum.py]... 
Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
54.9,928200000,420,2210000.0,1989000.0,220999,8840000,1105000.0,poll
41.7,704000000,1100,640000.0,563200.0,63999,2944000,384000.0,pthread_cond_timedwait
3.0,50960000,9800,5200.0,4368.0,519,30160,4160.0,ioctl
0.4,6510000,3100,2100.0,1890.0,209,8400,1050.0,read

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_api_sum.py]... 
Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
90.9,967680000,512,1890000.0,1871100.0,1606500,2457000,94500.0,cudaStreamSynchronize
6.2,66124800,20992,3150.0,3024.0,1259,6930,630.0,cudaLaunchKernel
1.2,12902400,1536,8400.0,7896.0,840,23520,2520.0,cudaMemcpyAsync
0.8,8622080,2048,4210.0,4041.6,1683,9262,842.0,cuLaunchKernel
0.7,7270400,512,14200.0,13916.0,9940,22720,1420.0,cudaGraphLaunch_v10000
0.1,1546240,1024,1510.0,1449.6,603,3322,302.0,cudaEventRecord

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_kern_sum.py]... 
Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
34.5,702873600,32768,21450.0,21364.2,20163,24024,429.0,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas
19.3,393543680,32768,12010.0,11649.7,6605,22819,1801.5,ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)
14.0,284753920,16384,17380.0,17310.5,16337,19465,347.6,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas
12.5,254279680,16384,15520.0,15395.8,13657,19244,620.8,"void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, true, false, false, false, true, true, false, false>(flash::Flash_fwd_params)"
7.3,149422080,16384,9120.0,9065.3,8299,10761,273.6,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x64x64_warpgroupsize1x1x1_execute_segment_k_on_kernel__5x_cublas
3.5,70615040,16384,4310.0,4284.1,3922,5085,129.3,"void vllm::act_and_mul_kernel<c10::BFloat16, &vllm::silu_kernel<c10::BFloat16>, true>(c10::BFloat16*, const c10::BFloat16*, int)"
2.9,59965440,32768,1830.0,1811.7,1555,2379,91.5,"void vllm::fused_add_rms_norm_kernel<c10::BFloat16, 8>(c10::BFloat16*, c10::BFloat16*, const c10::BFloat16*, float, int, int)"
2.4,49479680,16384,3020.0,3001.9,2748,3563,90.6,"void flash::flash_fwd_splitkv_combine_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, 4, 3, false>(flash::Flash_fwd_params)"
1.6,31621120,16384,1930.0,1914.6,1698,2393,77.2,"void vllm::rotary_embedding_kernel<c10::BFloat16, true>(const long*, c10::BFloat16*, c10::BFloat16*, const c10::BFloat16*, int, long, long, int, int, int)"
1.4,28016640,16384,1710.0,1692.9,1453,2223,85.5,"void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, __nv_bfloat16, (vllm::Fp8KVCacheDataType)0>(const __nv_bfloat16*, const __nv_bfloat16*, __nv_bfloat16*, __nv_bfloat16*, const long*, int, int, int, int, int, int, const float*, const float*)"
0.2,3194880,512,6240.0,6177.6,5304,8112,312.0,"void at::native::sbtopk::gatherTopK<float, unsigned int, 2, false>(at::cuda::detail::TensorInfo<const float, unsigned int>, unsigned int, unsigned int, bool, unsigned int, unsigned int, at::cuda::detail::TensorInfo<float, unsigned int>, unsigned int, at::cuda::detail::TensorInfo<long, unsigned int>, unsigned int)"
0.1,2058240,512,4020.0,3987.8,3537,4984,160.8,"void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>>(at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>)"
0.1,1812480,1536,1180.0,1168.2,1003,1534,59.0,"void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char *, 1>>(int, T2, T3)"
0.1,1592320,512,3110.0,3085.1,2736,3856,124.4,"void at::native::(anonymous namespace)::cunn_SoftMaxForward<4, float, float, float, at::native::(anonymous namespace)::SoftMaxForwardEpilogue>(float*, const float*, int)"
0.1,1510400,512,2950.0,2920.5,2507,3835,147.5,"void at::native::(anonymous namespace)::indexSelectLargeIndex<c10::BFloat16, long, unsigned int, 2, 2, -2, true>(at::cuda::detail::TensorInfo<c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<const c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<const long, unsigned int>, int, int, unsigned int, unsigned int, long)"
0.1,1479680,512,2890.0,2861.1,2456,3757,144.5,triton_red_fused__to_copy_add_mean_mul_pow_rsqrt_0
0.1,1141760,512,2230.0,2212.2,1962,2765,89.2,"void at::native::elementwise_kernel<128, 2, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, const at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, const at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}&)::{lambda(int)#1})"
0.1,1049600,512,2050.0,2029.5,1742,2665,102.5,triton_poi_fused_add_mul_0

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_mem_time_sum.py]... 
Time (%),Total Time (ns),Count,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Operation
40.4,2990080,2048,1460.0,1430.8,1021,2336,146.0,[CUDA memcpy Device-to-Device]
39.9,2959360,1024,2890.0,2832.2,2022,4624,289.0,[CUDA memcpy Host-to-Device]
11.9,880640,512,1720.0,1685.6,1204,2752,172.0,[CUDA memcpy Device-to-Host]
7.8,578560,512,1130.0,1118.7,960,1469,56.5,[CUDA memset]

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_mem_size_sum.py]... 
Total (MB),Count,Avg (MB),Med (MB),Min (MB),Max (MB),StdDev (MB),Operation
4294.967,2048,2.097,2.097,2.097,2.097,0.000,[CUDA memcpy Device-to-Device]
134.218,1024,0.131,0.131,0.131,0.131,0.000,[CUDA memcpy Host-to-Device]
33.554,512,0.066,0.066,0.066,0.066,0.000,[CUDA memset]
2.097,512,0.004,0.004,0.004,0.004,0.000,[CUDA memcpy Device-to-Host]

`;

async function demoProfiles(runs) {
    const base = await parseCapture(BASELINE_CAPTURE, 'demo/baseline.txt');
    const head = await parseCapture(HEAD_CAPTURE, 'demo/head.txt');
    if (runs === 1)
        return { base: [base], head: [head] };
    const random = mulberry32(0x5eed);
    const jitter = (profile) => Array.from({ length: runs }, () => ({
        meta: profile.meta,
        tables: Object.fromEntries(Object.entries(profile.tables).map(([name, table]) => [name, jitterTable(table, random)]))
    }));
    return { base: jitter(base), head: jitter(head) };
}
async function parseCapture(text, source) {
    const result = await parseNsysStats([text], { source });
    return assembleProfile([result], TOOL, source);
}
function jitterTable(table, random) {
    const out = new Map();
    for (const [key, stat] of table) {
        const f = 1 + (random() * 2 - 1) * 0.01;
        const scaled = {
            ...stat,
            total: Math.round(stat.total * f),
            avg: stat.avg * f,
            min: stat.min * f,
            max: stat.max * f
        };
        out.set(key, scaled);
    }
    return out;
}
function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const HISTORY_KIND = 'nsys-bench/history';
const HISTORY_VERSION = 1;
const HISTORY_FILE = 'history.json.gz';
const MAX_HISTORY_LENGTH = 500;
const MAX_RUN_TEXT = 1000;
function storableText(text) {
    return text.length <= MAX_RUN_TEXT ? text : clip(text, MAX_RUN_TEXT - 1);
}
function sameFingerprint(a, b) {
    return (a.gpu === b.gpu && a.profiler === b.profiler && a.major === b.major && a.naming === b.naming);
}
function describeFingerprint(f) {
    const gpu = f.gpu ? `same GPU (${clip(f.gpu, 120)})` : 'GPU unknown';
    const profiler = f.major ? `${clip(f.profiler, 40)} ${clip(f.major, 40)}` : clip(f.profiler, 40);
    return `${gpu}, ${profiler}`;
}

function fingerprintOf(profile) {
    const { profiler } = profile.meta;
    return {
        gpu: storableText(profile.meta.gpus?.[0]?.name ?? ''),
        profiler: storableText(profiler.name),
        major: storableText(profilerMajor(profiler) ?? ''),
        naming: storableText(profile.meta.kernelNaming)
    };
}

function inspect(path) {
    const info = statOf(path);
    if (info.isDirectory())
        return 'directory';
    requireFile(path, info);
    if (/\.(nsys-rep|qdrep|qdstrm|sqlite)$/i.test(path))
        return 'report';
    const head = readHead(path, 4096);
    if (head[0] === 0x1f && head[1] === 0x8b)
        return 'gzip';
    if (head.subarray(0, 16).toString('latin1').startsWith('SQLite format 3'))
        return 'report';
    if (head.includes(0)) {
        throw new InputError(`${quoted(path)} is a binary file (it has NUL bytes), not nsys stats output or a profile JSON`);
    }
    const text = head
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trimStart();
    return text.startsWith('{') ? 'json' : 'text';
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
        return node_fs.statSync(path);
    }
    catch (error) {
        throw fsError(path, error);
    }
}
function listDirectory(path) {
    try {
        return node_fs.readdirSync(path).sort();
    }
    catch (error) {
        throw fsError(path, error);
    }
}
function openToRead(path) {
    try {
        return node_fs.openSync(path, node_fs.constants.O_RDONLY | (node_fs.constants.O_NONBLOCK ?? 0));
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
        for (let n; read < bytes && (n = node_fs.readSync(fd, buffer, read, bytes - read, read)) > 0;)
            read += n;
        return buffer.subarray(0, read);
    }
    catch (error) {
        throw fsError(path, error);
    }
    finally {
        node_fs.closeSync(fd);
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
        FREE_BUFFERS$1.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK_SIZE),
        FREE_BUFFERS$1.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK_SIZE)
    ];
    let pending;
    try {
        handle = await promises.open(path, 'r');
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
        FREE_BUFFERS$1.push(...buffers);
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
        node_fs.closeSync(fd);
    }
}
function regularFileOpen(path, fd) {
    let info;
    try {
        info = node_fs.fstatSync(fd);
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
            n = node_fs.readSync(fd, buffer, 0, buffer.length, position);
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
        buffer = FREE_BUFFERS$1.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK_SIZE);
        yield* readOpenFile(path, fd, buffer, offset);
        return true;
    }
    finally {
        if (buffer)
            FREE_BUFFERS$1.push(buffer);
        node_fs.closeSync(fd);
    }
}
async function* gunzipChunks(path) {
    const file = node_fs.createReadStream(path, { highWaterMark: SMALL_CHUNK_SIZE });
    const gunzip = zlib().createGunzip({ chunkSize: SMALL_CHUNK_SIZE });
    let fileError;
    file.on('error', (error) => {
        fileError = error;
        gunzip.destroy(error);
    });
    try {
        for await (const chunk of file.pipe(gunzip))
            yield chunk;
    }
    catch (error) {
        if (fileError !== undefined)
            throw fsError(path, fileError);
        const code = error.code;
        if (code === 'Z_BUF_ERROR')
            throw new InputError('the gzip stream ends early: the file was cut (an interrupted download or copy?); get it whole again', { file: path });
        if (typeof code === 'string' && code.startsWith('Z_'))
            throw new InputError(`is not valid gzip (${errorMessage(error)})`, { file: path });
        throw error;
    }
    finally {
        file.destroy();
        gunzip.destroy();
    }
}
const SMALL_CHUNK_SIZE = 256 * 1024;
const FREE_BUFFERS$1 = [];
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
async function readFileWithin(path, what, maxBytes) {
    const refused = (why, cause) => new InputError(`cannot read ${what} ${quoted(path)}: ${why}`, undefined, cause === undefined ? undefined : { cause });
    const failed = (error) => error instanceof InputError ? error : refused(visible(clip(errorMessage(error), 200)), error);
    let handle;
    try {
        handle = await promises.open(path, node_fs.constants.O_RDONLY | (node_fs.constants.O_NONBLOCK ?? 0));
    }
    catch (error) {
        throw failed(error);
    }
    try {
        const info = await handle.stat();
        if (info.isDirectory())
            throw refused('it is a directory, not a file');
        if (!info.isFile())
            throw refused(`it is ${notAFile(info)}; give a regular file`);
        const tooLarge = (size) => new InputError(`${what} ${quoted(path)} is ${size}, larger than nsys-bench reads (${sizeText(maxBytes)}): is it the right file?`);
        if (info.size > maxBytes)
            throw tooLarge(`${info.size.toLocaleString('en-US')} bytes`);
        let bytes = Buffer.allocUnsafe(info.size + 1);
        let length = 0;
        for (;;) {
            if (length === bytes.length) {
                if (length > maxBytes)
                    throw tooLarge(`over ${sizeText(maxBytes)}`);
                const grown = Buffer.allocUnsafe(Math.min(length * 2, maxBytes + 1));
                bytes.copy(grown, 0, 0, length);
                bytes = grown;
            }
            const { bytesRead } = await handle.read(bytes, length, bytes.length - length, null);
            if (bytesRead === 0)
                break;
            length += bytesRead;
        }
        return bytes.subarray(0, length);
    }
    catch (error) {
        throw failed(error);
    }
    finally {
        await handle.close().catch(() => undefined);
    }
}
function sizeText(bytes) {
    if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0)
        return `${bytes / 2 ** 20} MiB`;
    if (bytes >= 2 ** 10 && bytes % 2 ** 10 === 0)
        return `${bytes / 2 ** 10} KiB`;
    return `${bytes.toLocaleString('en-US')} bytes`;
}
async function readJsonFile(path, what, maxBytes, error) {
    let text;
    try {
        text = withoutBom((await readFileWithin(path, what, maxBytes)).toString('utf8'));
    }
    catch (cause) {
        throw cause;
    }
    try {
        return JSON.parse(text);
    }
    catch (cause) {
        const message = `${what} ${quoted(path)} is not valid JSON: ${jsonSyntaxProblem(cause, text)}`;
        throw new InputError(message, undefined, { cause });
    }
}
function withoutBom(text) {
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
function jsonSyntaxProblem(error, text) {
    if (text.trim() === '')
        return 'the file is empty: give the file as it was written';
    const message = errorMessage(error);
    const at = /at position (\d+)/.exec(message);
    if (/end of JSON input/.test(message) || (at && Number(at[1]) >= text.trimEnd().length))
        return 'the file ends early (an interrupted download or copy?): get it whole again';
    return visible(clip(message, 200));
}

function readProfileJsonBytes(bytes, length = bytes.length, names = SHARED_NAMES, progress, source) {
    const reader = new Reader(bytes, length, names, progress, source);
    if (length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
        reader.at = 3;
    try {
        const document = reader.object((key) => (key === 'tables' ? reader.tables() : reader.json()), '');
        reader.space();
        return reader.at === length ? document : undefined;
    }
    catch (error) {
        if (error === GENERAL || error instanceof SyntaxError)
            return undefined;
        throw error;
    }
}
function special(x) {
    const q = x ^ 0x22222222;
    const s = x ^ 0x5c5c5c5c;
    return (((((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s) | ((x - 0x20202020) & ~x)) & 0x80808080) !==
        0);
}
class HashedRun {
    hash = 0;
    end(b, start, end, seed) {
        const view = dataView(b);
        let a = seed ^ 0x9e3779b9;
        let c = seed ^ 0x7f4a7c15;
        let i = start;
        for (; i + 8 <= end; i += 8) {
            const x = view.getInt32(i, true);
            const y = view.getInt32(i + 4, true);
            if (special(x) || special(y))
                break;
            a = Math.imul(a ^ x, 0xcc9e2d51);
            a = (a << 15) | (a >>> 17);
            c = Math.imul(c ^ y, 0x1b873593);
            c = (c << 13) | (c >>> 19);
        }
        for (; i < end; i++) {
            const byte = b[i];
            if (byte === QUOTE$1 || byte === BACKSLASH$1 || byte < 0x20)
                break;
            a = Math.imul(a ^ byte, 0xcc9e2d51);
        }
        this.hash = finishHash(a, c, i - start);
        return i;
    }
}
function memberCount(value) {
    let count = 0;
    const stack = [value];
    while (stack.length > 0) {
        const v = stack.pop();
        if (typeof v !== 'object' || v === null)
            continue;
        if (Array.isArray(v)) {
            for (const item of v)
                if (typeof item === 'object' && item !== null)
                    stack.push(item);
            continue;
        }
        for (const key in v) {
            if (!Object.hasOwn(v, key))
                continue;
            count++;
            const item = v[key];
            if (typeof item === 'object' && item !== null)
                stack.push(item);
        }
    }
    return count;
}
function findDuplicateKey(text) {
    const keys = [];
    const member = [];
    let expectKey = false;
    const n = text.length;
    for (let i = 0; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c === QUOTE$1) {
            let end = text.indexOf('"', i + 1);
            for (;;) {
                if (end < 0)
                    return undefined;
                let slashes = 0;
                while (text.charCodeAt(end - 1 - slashes) === BACKSLASH$1)
                    slashes++;
                if (slashes % 2 === 0)
                    break;
                end = text.indexOf('"', end + 1);
            }
            const top = keys.length - 1;
            const set = keys[top];
            if (expectKey && set) {
                const raw = text.slice(i + 1, end);
                const key = raw.includes('\\') ? JSON.parse(text.slice(i, end + 1)) : raw;
                if (set.has(key))
                    return { where: jsonPath(member.slice(0, top)), key };
                set.add(key);
                member[top] = key;
                expectKey = false;
            }
            i = end;
        }
        else if (c === OPEN) {
            keys.push(new Set());
            member.push('');
            expectKey = true;
        }
        else if (c === OPEN_ARRAY) {
            keys.push(undefined);
            member.push(0);
        }
        else if (c === CLOSE || c === CLOSE_ARRAY) {
            keys.pop();
            member.pop();
        }
        else if (c === COMMA$1) {
            const top = keys.length - 1;
            if (keys[top])
                expectKey = true;
            else
                member[top] = member[top] + 1;
        }
    }
    return undefined;
}
function jsonPath(members) {
    let path = '';
    for (const m of members) {
        if (typeof m === 'number')
            path += `[${m}]`;
        else if (/^[A-Za-z_$][\w$]{0,63}$/.test(m))
            path += path === '' ? m : `.${m}`;
        else
            path += `[${JSON.stringify(m.length > 80 ? `${m.slice(0, 80)}\u2026` : m)}]`;
    }
    return path;
}
const GENERAL = new Error('not in the shape the fast path reads');
const PROGRESS_ROWS = 1024;
const QUOTE$1 = 0x22;
const BACKSLASH$1 = 0x5c;
const COLON$1 = 0x3a;
const COMMA$1 = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;
const POINT = 0x2e;
const MINUS = 0x2d;
const isSpace = (c) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
function rowFields(suffix) {
    const keys = ['name', `total${suffix}`, 'instances', `avg${suffix}`, `min${suffix}`];
    keys.push(`max${suffix}`, `med${suffix}`, `stdDev${suffix}`, 'occurrences', 'truncated', 'sharedBy');
    return keys.map((key) => Buffer.from(key, 'latin1'));
}
const ROW_FIELDS = {
    ns: rowFields('Ns'),
    bytes: rowFields('Bytes'),
    calls: rowFields('Calls')
};
const MEMBER_OPENINGS = {
    ns: ROW_FIELDS.ns.map(opening),
    bytes: ROW_FIELDS.bytes.map(opening),
    calls: ROW_FIELDS.calls.map(opening)
};
function opening(key) {
    return Buffer.concat([Buffer.from('"'), key, Buffer.from('":')]);
}
const NAME$1 = 0;
const TRUNCATED = 9;
function setField(row, field, v) {
    switch (field) {
        case 0:
            row.name = v;
            break;
        case 1:
            row.total = v;
            break;
        case 2:
            row.instances = v;
            break;
        case 3:
            row.avg = v;
            break;
        case 4:
            row.min = v;
            break;
        case 5:
            row.max = v;
            break;
        case 6:
            row.med = v;
            break;
        case 7:
            row.stdDev = v;
            break;
        case 8:
            row.occurrences = v;
            break;
        case 9:
            row.truncated = v;
            break;
        default:
            row.sharedBy = v;
    }
}
function emptyRow() {
    return {
        name: undefined,
        total: undefined,
        instances: undefined,
        avg: undefined,
        min: undefined,
        max: undefined,
        med: undefined,
        stdDev: undefined,
        occurrences: undefined,
        truncated: undefined,
        sharedBy: undefined
    };
}
class Reader {
    bytes;
    end;
    names;
    progress;
    source;
    at = 0;
    raw = emptyRow();
    filled = 0;
    memo;
    run = new HashedRun();
    constructor(bytes, end, names, progress, source) {
        this.bytes = bytes;
        this.end = end;
        this.names = names;
        this.progress = progress;
        this.source = source;
    }
    space() {
        while (this.at < this.end && isSpace(this.bytes[this.at]))
            this.at++;
    }
    expect(c) {
        this.space();
        if (this.at >= this.end || this.bytes[this.at] !== c)
            throw GENERAL;
        this.at++;
    }
    object(value, where) {
        const out = {};
        this.expect(OPEN);
        if (this.closes())
            return out;
        for (;;) {
            const key = this.key();
            this.expect(COLON$1);
            this.space();
            if (key === '__proto__')
                throw GENERAL;
            if (Object.hasOwn(out, key))
                throw duplicateKeyError(where, key, this.source);
            out[key] = value(key);
            if (this.next())
                return out;
        }
    }
    closes() {
        this.space();
        if (this.at >= this.end || this.bytes[this.at] !== CLOSE)
            return false;
        this.at++;
        return true;
    }
    next() {
        this.space();
        if (this.at >= this.end)
            throw GENERAL;
        const c = this.bytes[this.at++];
        if (c === COMMA$1)
            return false;
        if (c === CLOSE)
            return true;
        throw GENERAL;
    }
    key() {
        this.expect(QUOTE$1);
        const start = this.at;
        const end = this.plainStringEnd();
        return this.bytes.toString('utf8', start, end);
    }
    plainStringEnd() {
        const b = this.bytes;
        let i = this.at;
        for (; i < this.end; i++) {
            const c = b[i];
            if (c === QUOTE$1) {
                this.at = i + 1;
                return i;
            }
            if (c === BACKSLASH$1 || c < 0x20)
                break;
        }
        throw GENERAL;
    }
    json() {
        const start = this.at;
        const members = this.skipValue();
        const value = JSON.parse(this.bytes.toString('utf8', start, this.at));
        if (members > 0 && memberCount(value) !== members)
            throw GENERAL;
        return value;
    }
    skipValue() {
        const b = this.bytes;
        let depth = 0;
        let colons = 0;
        let i = this.at;
        for (; i < this.end; i++) {
            const c = b[i];
            if (c === QUOTE$1) {
                i = this.stringEnd(i + 1);
                if (depth === 0) {
                    i++;
                    break;
                }
            }
            else if (c === COLON$1)
                colons++;
            else if (c === OPEN || c === OPEN_ARRAY)
                depth++;
            else if (c === CLOSE || c === CLOSE_ARRAY) {
                if (depth === 0)
                    break;
                if (--depth === 0) {
                    i++;
                    break;
                }
            }
            else if (depth === 0 && (c === COMMA$1 || isSpace(c)))
                break;
        }
        if (i === this.at)
            throw GENERAL;
        this.at = i;
        return colons;
    }
    stringEnd(i) {
        const b = this.bytes;
        for (; i < this.end; i++) {
            const c = b[i];
            if (c === QUOTE$1)
                return i;
            if (c === BACKSLASH$1)
                i++;
        }
        throw GENERAL;
    }
    tables() {
        return this.object((name) => {
            if (!isTableName(name))
                return this.json();
            return this.object((key) => (key === 'rows' ? this.rows(name) : this.json()), `tables.${name}`);
        }, 'tables');
    }
    rows(table) {
        const unit = TABLES[table].unit;
        const fields = ROW_FIELDS[unit];
        const openings = MEMBER_OPENINGS[unit];
        const out = new RowsFromBytes(table);
        const b = this.bytes;
        this.expect(OPEN);
        if (this.closes())
            return out;
        for (let i = 0;; i++) {
            this.expect(QUOTE$1);
            const start = this.at;
            const end = this.plainStringEnd();
            let n = 0;
            for (let k = start; k < end; k++) {
                const c = b[k];
                if (c < ZERO || c > NINE)
                    throw GENERAL;
                n = n * 10 + (c - ZERO);
            }
            if (n !== i || end === start || (b[start] === ZERO && end - start > 1))
                throw GENERAL;
            this.expect(COLON$1);
            if (i % PROGRESS_ROWS === 0)
                this.progress?.();
            this.row(fields, openings, out, i);
            if (this.next())
                return out;
        }
    }
    row(fields, openings, out, i) {
        const b = this.bytes;
        const raw = this.raw;
        for (let f = 0; this.filled !== 0; f++, this.filled >>>= 1)
            if (this.filled & 1)
                setField(raw, f, undefined);
        let seen = 0;
        let expected = 0;
        this.expect(OPEN);
        const count = fields.length;
        for (;;) {
            let field = -1;
            const opening = expected < count ? openings[expected] : undefined;
            if (opening !== undefined &&
                this.at + opening.length <= this.end &&
                sameBytes(opening, 0, b, this.at, opening.length)) {
                field = expected;
                this.at += opening.length;
            }
            else {
                this.expect(QUOTE$1);
                const start = this.at;
                const end = this.plainStringEnd();
                for (let k = 0; k < count; k++) {
                    const f = (expected + k) % count;
                    const word = fields[f];
                    if (word.length === end - start && sameBytes(word, 0, b, start, word.length)) {
                        field = f;
                        break;
                    }
                }
                if (field < 0)
                    throw GENERAL;
                this.expect(COLON$1);
            }
            if (seen & (1 << field))
                throw duplicateKeyError(`tables.${out.name}.rows[${JSON.stringify(String(i))}]`, fields[field].toString('latin1'), this.source);
            seen |= 1 << field;
            expected = field + 1;
            this.space();
            setField(raw, field, field === NAME$1 ? this.name() : field === TRUNCATED ? this.literal() : this.number());
            this.filled |= 1 << field;
            if (this.next())
                break;
        }
        if (!out.add(raw, this.memo))
            throw GENERAL;
    }
    name() {
        this.memo = undefined;
        if (this.at >= this.end || this.bytes[this.at] !== QUOTE$1)
            throw GENERAL;
        const open = this.at++;
        const b = this.bytes;
        const i = this.run.end(b, this.at, this.end, this.names.seed);
        if (i < this.end && b[i] === QUOTE$1) {
            this.at = i + 1;
            this.memo = this.names.getHashed(b, open + 1, i, this.run.hash);
            return this.memo ? this.memo.text : b.toString('utf8', open + 1, i);
        }
        this.at = open;
        const text = this.json();
        if (typeof text !== 'string')
            throw GENERAL;
        return text;
    }
    literal() {
        const b = this.bytes;
        const i = this.at;
        if (i + 5 > this.end)
            throw GENERAL;
        if (b[i] === 0x74 && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65) {
            this.at += 4;
            return true;
        }
        if (b[i] === 0x66 &&
            b[i + 1] === 0x61 &&
            b[i + 2] === 0x6c &&
            b[i + 3] === 0x73 &&
            b[i + 4] === 0x65) {
            this.at += 5;
            return false;
        }
        throw GENERAL;
    }
    number() {
        const b = this.bytes;
        const start = this.at;
        let i = start;
        let simple = true;
        if (b[i] === MINUS) {
            simple = false;
            i++;
        }
        let digits = 0;
        let count = 0;
        const first = b[i];
        if (first === undefined || first < ZERO || first > NINE || i >= this.end)
            throw GENERAL;
        if (first === ZERO) {
            i++;
            count = 1;
        }
        else {
            for (; i < this.end && b[i] >= ZERO && b[i] <= NINE; i++) {
                digits = digits * 10 + (b[i] - ZERO);
                count++;
            }
        }
        let fraction = 0;
        if (i < this.end && b[i] === POINT) {
            i++;
            const from = i;
            for (; i < this.end && b[i] >= ZERO && b[i] <= NINE; i++) {
                digits = digits * 10 + (b[i] - ZERO);
                count++;
            }
            fraction = i - from;
            if (fraction === 0)
                throw GENERAL;
        }
        if (i < this.end && (b[i] === 0x65 || b[i] === 0x45)) {
            simple = false;
            i++;
            if (b[i] === 0x2b || b[i] === MINUS)
                i++;
            const from = i;
            while (i < this.end && b[i] >= ZERO && b[i] <= NINE)
                i++;
            if (i === from)
                throw GENERAL;
        }
        this.at = i;
        if (simple && count <= 15)
            return fraction === 0 ? digits : digits / POWERS[fraction];
        return Number(b.toString('latin1', start, i));
    }
}

const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_HISTORY_FILE_BYTES = MAX_JSON_BYTES;
const MAX_ITEMS = 200_000;
const MAX_TEXT = 10_000;
function decodeHistory(bytes, source) {
    const fail = (message, cause) => new InputError(`not a valid nsys-bench history: ${message}`, { file: source }, cause === undefined ? undefined : { cause });
    let text;
    try {
        text = withoutBom(zlib().gunzipSync(bytes, { maxOutputLength: MAX_JSON_BYTES }).toString('utf8'));
    }
    catch (error) {
        const code = error.code;
        const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
        throw fail(bytes.length === 0
            ? 'the file is empty: give the history as it was written'
            : code === 'Z_BUF_ERROR'
                ? 'the gzip stream ends early: the file was cut (an interrupted download or copy?); get it whole again'
                : code === 'ERR_BUFFER_TOO_LARGE'
                    ? `it inflates to more than ${MAX_JSON_BYTES / 1024 / 1024} MiB`
                    : gzip
                        ? `the gzip data is damaged (${visible(clip(errorMessage(error), 100))}): the file changed after it was written; get it again as the baseline artifact holds it`
                        : 'it is not gzip data (a history.json.gz starts with the gzip header 1f 8b): give the history.json.gz of a baseline artifact', error);
    }
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        throw fail(`it is not JSON: ${jsonSyntaxProblem(error, text)}`, error);
    }
    const twice = findDuplicateKey(text);
    if (twice)
        throw fail(`${twice.where === '' ? 'the document' : twice.where}: key ${quoted(twice.key, 80)} appears twice: the file was edited or damaged (nsys-bench never writes a key twice, and which value counts cannot be told); get it as the baseline artifact holds it`);
    if (!isObject(value) || value.kind !== HISTORY_KIND)
        throw fail(`"kind" is not "${HISTORY_KIND}"`);
    const version = value.schemaVersion;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
        throw fail('"schemaVersion" must be a whole number');
    if (version > HISTORY_VERSION)
        throw fail(`it has schema version ${version}, newer than this nsys-bench reads (${HISTORY_VERSION}): upgrade nsys-bench`);
    if (!Array.isArray(value.runs))
        throw fail('"runs" must be an array');
    if (value.runs.length > MAX_HISTORY_LENGTH)
        throw fail(`"runs" has ${value.runs.length} entries; at most ${MAX_HISTORY_LENGTH} are read`);
    const runs = value.runs.map((r, i) => readRun(r, `runs[${i}]`, fail));
    if (!isObject(value.tables))
        throw fail('"tables" must be an object');
    const tables = {};
    let items = 0;
    for (const [name, raw] of Object.entries(value.tables)) {
        if (!isTableName(name))
            continue;
        if (!isObject(raw))
            throw fail(`"tables.${name}" must be an object`);
        const map = new Map();
        for (const [key, entry] of Object.entries(raw)) {
            if ((items += 1) > MAX_ITEMS)
                throw fail(`it holds more than ${MAX_ITEMS} items`);
            map.set(key, readSeries(entry, key, name, runs.length, fail));
        }
        tables[name] = map;
    }
    return { runs, tables };
}
function readRun(value, where, fail) {
    if (!isObject(value))
        throw fail(`"${where}" must be an object`);
    const text = (key) => {
        const v = value[key];
        if (typeof v !== 'string' || v.length > MAX_RUN_TEXT)
            throw fail(`"${where}.${key}" must be a string of at most ${MAX_RUN_TEXT} characters`);
        return v;
    };
    const date = text('date');
    if (Number.isNaN(Date.parse(date)))
        throw fail(`"${where}.date" must be an ISO 8601 date`);
    const repetitions = value.repetitions;
    if (typeof repetitions !== 'number' ||
        !Number.isInteger(repetitions) ||
        repetitions < 1 ||
        repetitions > 1000)
        throw fail(`"${where}.repetitions" must be a whole number from 1 to 1000`);
    return {
        sha: text('sha'),
        date,
        gpu: text('gpu'),
        profiler: text('profiler'),
        major: text('major'),
        naming: text('naming'),
        repetitions
    };
}
function readSeries(value, key, table, runs, fail) {
    const where = `tables.${table}[${quoted(key, 80)}]`;
    if (key.length > MAX_TEXT)
        throw fail(`a key of "tables.${table}" is over ${MAX_TEXT} characters`);
    if (!isObject(value))
        throw fail(`${where} must be an object`);
    const name = value.name === undefined ? key : value.name;
    if (typeof name !== 'string' || name.length > MAX_TEXT)
        throw fail(`${where}.name must be a string of at most ${MAX_TEXT} characters`);
    const column = (field) => {
        const list = value[field];
        if (!Array.isArray(list) || list.length !== runs)
            throw fail(`${where}.${field} must list ${runs} entries, one per run`);
        return list.map((x) => {
            if (x === null)
                return null;
            if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > Number.MAX_SAFE_INTEGER)
                throw fail(`${where}.${field} holds ${shownValue(x)}, not a number from 0 to 2^53`);
            return x;
        });
    };
    const series = { name, value: column('v'), spread: column('s'), count: column('n') };
    for (let i = 0; i < runs; i++) {
        const present = [series.value[i], series.spread[i], series.count[i]].map((x) => x !== null);
        if (present.some((p) => p !== present[0]))
            throw fail(`${where}: run ${i} has some measures and not others`);
    }
    return series;
}
function shownValue(x) {
    if (Array.isArray(x))
        return 'a list';
    if (typeof x === 'object' && x !== null)
        return 'an object';
    if (typeof x === 'string')
        return quoted(x, 40);
    return String(x);
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function historyView(history, fingerprint, options = {}) {
    const indices = [];
    history.runs.forEach((run, i) => {
        if (sameFingerprint(run, fingerprint))
            indices.push(i);
    });
    const window = options.window === undefined ? indices.length : Math.max(0, options.window);
    const used = window === 0 ? [] : indices.slice(-window);
    const view = {
        total: history.runs.length,
        comparable: used.length,
        fingerprint,
        series(table, key) {
            const series = history.tables[table]?.get(key);
            if (!series)
                return [];
            const out = [];
            for (const i of used) {
                const v = series.value[i];
                if (v !== null && v !== undefined)
                    out.push(v);
            }
            return out;
        }
    };
    if (options.branch !== undefined)
        view.branch = options.branch;
    return view;
}

const RANGE_KERNEL_LIMITS = {
    ranges: 262_144,
    launches: 65_536,
    kernels: 65_536,
    depth: 256
};
const PROFILER_STEP = /^ProfilerStep#\d+$/;
function isProfilerStep(name) {
    return name.startsWith('ProfilerStep#') && PROFILER_STEP.test(name);
}
const RECENT = 8;
class RangeKernels {
    limits;
    active = false;
    counts = {
        kernels: 0,
        inside: 0,
        outside: 0,
        noLaunch: 0,
        lost: 0,
        partial: 0,
        limitsHit: new Set(),
        beforeRanges: 0,
        lateRanges: 0
    };
    threads = [];
    sortBudget;
    unknownThread;
    held = 0;
    nextInstance = 1;
    rangeIds = new Map();
    rangeNames = [];
    rows = [];
    nameStamp = [];
    nameInstance = [];
    stamp = 0;
    around = [];
    launchAt = new CorrelationIndex();
    launchCorrelation = new Float64Array(0);
    launchThread = new Int32Array(0);
    launchStart = new Float64Array(0);
    launchDuration = new Float64Array(0);
    launchUsed = new Uint8Array(0);
    launchCount = 0;
    lowestLaunch = Infinity;
    earlyFrom = Infinity;
    earlyTo = -Infinity;
    droppedFrom = Infinity;
    droppedTo = -Infinity;
    kernelAt = new Map();
    kernelCorrelation = new Float64Array(0);
    kernelDuration = new Float64Array(0);
    kernelStart = new Float64Array(0);
    kernelMemory = new Uint8Array(0);
    kernelOlder = new Float64Array(0);
    kernelWaiting = new Uint8Array(0);
    kernelName = [];
    kernelCount = 0;
    finished = false;
    correlated = 0;
    constructor(limits = {}) {
        this.limits = { ...RANGE_KERNEL_LIMITS, ...limits };
        for (const key of Object.keys(this.limits))
            this.limits[key] = Math.max(1, Math.floor(this.limits[key]));
        this.sortBudget = { left: 4 * this.limits.ranges };
        this.unknownThread = new ThreadRanges(this.sortBudget);
    }
    get hasRanges() {
        return this.active;
    }
    get hasTable() {
        return this.active && (this.counts.kernels === 0 || this.correlated > 0);
    }
    add = (event) => {
        switch (event.kind) {
            case 'kernel':
                this.kernel(event, false);
                return;
            case 'memcpy':
            case 'memset':
                if (this.active)
                    this.kernel(event, true);
                return;
            case 'api':
                if (this.active)
                    this.launch(event);
                else if (event.correlation !== undefined) {
                    if (event.correlation < this.earlyFrom)
                        this.earlyFrom = event.correlation;
                    if (event.correlation > this.earlyTo)
                        this.earlyTo = event.correlation;
                }
                return;
            case 'annotation':
                this.range(event);
                return;
            default:
                return;
        }
    };
    range(event) {
        const name = event.name;
        if (event.thread === undefined)
            return;
        if (name.startsWith('ProfilerStep#') && PROFILER_STEP.test(name))
            return;
        if (!this.active)
            this.activate();
        const ranges = this.threadRanges(event.thread);
        const start = event.start;
        const end = start + event.duration;
        if (start <= ranges.attributedTo)
            this.counts.lateRanges += 1;
        if (this.held >= this.limits.ranges ||
            ranges === this.unknownThread ||
            (ranges.queried && this.sortBudget.left <= 0 && ranges.wouldUnorder(start, end))) {
            if (start < ranges.lostFrom)
                ranges.lostFrom = start;
            if (end > ranges.lostTo)
                ranges.lostTo = end;
            return;
        }
        let id = this.rangeIds.get(name);
        if (id === undefined) {
            id = this.rangeNames.length;
            this.rangeIds.set(name, id);
            this.rangeNames.push(name);
            this.rows.push(new Map());
            this.nameStamp.push(0);
            this.nameInstance.push(0);
        }
        ranges.push(start, end, id, this.nextInstance++);
        this.held += 1;
    }
    activate() {
        this.active = true;
        const { launches, kernels } = this.limits;
        this.launchCorrelation = new Float64Array(launches);
        this.launchThread = new Int32Array(launches);
        this.launchStart = new Float64Array(launches);
        this.launchDuration = new Float64Array(launches);
        this.launchUsed = new Uint8Array(launches);
        this.launchAt.allocate(launches);
        this.kernelCorrelation = new Float64Array(kernels);
        this.kernelDuration = new Float64Array(kernels);
        this.kernelStart = new Float64Array(kernels);
        this.kernelMemory = new Uint8Array(kernels);
        this.kernelOlder = new Float64Array(kernels);
        this.kernelWaiting = new Uint8Array(kernels);
        this.kernelName = new Array(kernels).fill(undefined);
    }
    threadRanges(thread) {
        if (thread < 0)
            return this.unknownThread;
        let ranges = this.threads[thread];
        if (!ranges) {
            ranges = new ThreadRanges(this.sortBudget);
            this.threads[thread] = ranges;
        }
        return ranges;
    }
    launch(event) {
        const correlation = event.correlation;
        const thread = event.thread;
        if (correlation === undefined || thread === undefined)
            return;
        if (correlation < this.lowestLaunch)
            this.lowestLaunch = correlation;
        const cap = this.limits.launches;
        if (this.launchCount >= cap)
            this.dropLaunch(this.launchCount - cap);
        const seq = this.launchCount++;
        const slot = seq % cap;
        this.launchCorrelation[slot] = correlation;
        this.launchThread[slot] = thread;
        this.launchStart[slot] = event.start;
        this.launchDuration[slot] = event.duration;
        this.launchUsed[slot] = 0;
        this.launchAt.set(correlation, seq, this.launchCount - this.limits.launches);
        const newest = this.kernelAt.get(correlation);
        if (newest === undefined)
            return;
        this.kernelAt.delete(correlation);
        this.launchUsed[slot] = 1;
        const kcap = this.limits.kernels;
        const oldest = this.kernelCount - kcap;
        for (let k = newest; k >= 0 && k >= oldest; k = this.kernelOlder[k % kcap]) {
            const at = k % kcap;
            if (this.kernelWaiting[at] === 0 || this.kernelCorrelation[at] !== correlation)
                break;
            this.kernelWaiting[at] = 0;
            const name = this.kernelName[at];
            this.kernelName[at] = undefined;
            this.attribute(name, this.kernelStart[at], this.kernelDuration[at], this.kernelMemory[at] === 1, thread, event.start, event.duration);
        }
    }
    dropLaunch(seq) {
        const slot = seq % this.limits.launches;
        const correlation = this.launchCorrelation[slot];
        this.launchAt.forget(correlation, seq);
        if (this.launchUsed[slot] === 1)
            return;
        const ranges = this.threadRanges(this.launchThread[slot]);
        const start = this.launchStart[slot];
        const inside = ranges.enclosing(start, this.launchDuration[slot], this.around, this.limits.depth) !== 0 ||
            (start >= ranges.lostFrom && start <= ranges.lostTo);
        if (!inside)
            return;
        if (correlation < this.droppedFrom)
            this.droppedFrom = correlation;
        if (correlation > this.droppedTo)
            this.droppedTo = correlation;
    }
    kernel(event, memory) {
        if (!memory) {
            this.counts.kernels += 1;
            if (event.correlation !== undefined)
                this.correlated += 1;
            if (!this.active) {
                this.counts.beforeRanges += 1;
                return;
            }
        }
        const correlation = event.correlation;
        if (correlation === undefined) {
            if (!memory)
                this.counts.noLaunch += 1;
            return;
        }
        const seq = this.launchAt.get(correlation, this.launchCount - this.limits.launches);
        if (seq !== undefined) {
            const slot = seq % this.limits.launches;
            this.launchUsed[slot] = 1;
            this.attribute(event.name, event.start, event.duration, memory, this.launchThread[slot], this.launchStart[slot], this.launchDuration[slot]);
            return;
        }
        const cap = this.limits.kernels;
        if (this.kernelCount >= cap)
            this.dropKernel(this.kernelCount - cap);
        const k = this.kernelCount++;
        const slot = k % cap;
        const older = this.kernelAt.get(correlation);
        this.kernelCorrelation[slot] = correlation;
        this.kernelDuration[slot] = event.duration;
        this.kernelStart[slot] = event.start;
        this.kernelMemory[slot] = memory ? 1 : 0;
        this.kernelOlder[slot] = older ?? -1;
        this.kernelWaiting[slot] = 1;
        this.kernelName[slot] = event.name;
        this.kernelAt.set(correlation, k);
    }
    dropKernel(seq) {
        const slot = seq % this.limits.kernels;
        if (this.kernelWaiting[slot] === 0)
            return;
        this.kernelWaiting[slot] = 0;
        this.kernelName[slot] = undefined;
        const correlation = this.kernelCorrelation[slot];
        if (this.kernelAt.get(correlation) === seq)
            this.kernelAt.delete(correlation);
        if (this.kernelMemory[slot] === 1)
            return;
        if (!this.unmatched(correlation))
            if (correlation < this.lowestLaunch)
                this.counts.noLaunch += 1;
            else
                this.lose('kernels');
    }
    unmatched(correlation) {
        if (correlation >= this.droppedFrom && correlation <= this.droppedTo) {
            this.lose('launches');
            return true;
        }
        if (correlation >= this.earlyFrom && correlation <= this.earlyTo) {
            this.counts.beforeRanges += 1;
            return true;
        }
        return false;
    }
    lose(limit) {
        this.counts.lost += 1;
        this.counts.limitsHit.add(limit);
    }
    attribute(kernel, gpuStart, duration, memory, thread, start, callDuration) {
        const ranges = this.threadRanges(thread);
        const around = this.around;
        const n = ranges.enclosing(start, callDuration, around, this.limits.depth);
        const gpuEnd = gpuStart + duration;
        for (let i = 0; i < around.length; i++) {
            const at = around[i];
            if (gpuStart < ranges.gpuFrom[at])
                ranges.gpuFrom[at] = gpuStart;
            if (gpuEnd > ranges.gpuTo[at])
                ranges.gpuTo[at] = gpuEnd;
        }
        if (memory)
            return;
        if (start > ranges.attributedTo)
            ranges.attributedTo = start;
        let cut = false;
        if (n < 0) {
            cut = true;
            this.counts.limitsHit.add('depth');
        }
        if (start >= ranges.lostFrom && start <= ranges.lostTo) {
            cut = true;
            this.counts.limitsHit.add('ranges');
        }
        const found = around.length;
        if (found === 0) {
            if (cut)
                this.counts.lost += 1;
            else
                this.counts.outside += 1;
            return;
        }
        this.counts.inside += 1;
        if (cut)
            this.counts.partial += 1;
        const stamp = ++this.stamp;
        const names = ranges.name;
        const ids = ranges.id;
        for (let i = 0; i < found; i++) {
            const at = around[i];
            const name = names[at];
            this.nameStamp[name] = stamp;
            this.nameInstance[name] = ids[at];
        }
        for (let i = 0; i < found; i++) {
            const name = names[around[i]];
            if (this.nameStamp[name] !== stamp)
                continue;
            this.nameStamp[name] = 0;
            const rows = this.rows[name];
            let row = rows.get(kernel);
            if (!row) {
                row = new Row(nvtxKernelName(this.rangeNames[name], kernel));
                rows.set(kernel, row);
            }
            row.add(duration, this.nameInstance[name]);
        }
    }
    table() {
        if (!this.hasTable)
            return undefined;
        this.finish();
        const table = new Map();
        for (const rows of this.rows)
            for (const row of rows.values())
                addRow(table, canonicalKey('nvtxKernels', row.acc.name), {
                    ...row.acc.toStat(),
                    occurrences: row.occurrences
                });
        return table;
    }
    projection() {
        if (!this.hasTable)
            return undefined;
        this.finish();
        const accs = [];
        for (const ranges of [...this.threads, this.unknownThread]) {
            if (!ranges)
                continue;
            const { name, gpuFrom, gpuTo } = ranges;
            for (let i = 0; i < name.length; i++) {
                if (!(gpuTo[i] >= gpuFrom[i]))
                    continue;
                const id = name[i];
                const acc = (accs[id] ??= new StatAccumulator(this.rangeNames[id]));
                acc.add(gpuTo[i] - gpuFrom[i]);
            }
        }
        const table = new Map();
        for (const acc of accs)
            if (acc)
                addRow(table, canonicalKey('nvtxGpu', acc.name), acc.toStat());
        return table;
    }
    finish() {
        if (this.finished)
            return;
        this.finished = true;
        const cap = this.limits.kernels;
        for (let k = Math.max(0, this.kernelCount - cap); k < this.kernelCount; k++) {
            const slot = k % cap;
            if (this.kernelWaiting[slot] === 0)
                continue;
            this.kernelWaiting[slot] = 0;
            if (this.kernelMemory[slot] === 1)
                continue;
            if (!this.unmatched(this.kernelCorrelation[slot]))
                this.counts.noLaunch += 1;
        }
    }
}
class Row {
    acc;
    occurrences = 0;
    recent = [];
    constructor(name) {
        this.acc = new StatAccumulator(name);
    }
    add(duration, instance) {
        this.acc.add(duration);
        if (this.recent.includes(instance))
            return;
        this.occurrences += 1;
        this.recent.push(instance);
        if (this.recent.length > RECENT)
            this.recent.shift();
    }
}
class ThreadRanges {
    budget;
    start = [];
    end = [];
    name = [];
    id = [];
    gpuFrom = [];
    gpuTo = [];
    parent = [];
    linked = 0;
    ordered = true;
    queried = false;
    attributedTo = -Infinity;
    lostFrom = Infinity;
    lostTo = -Infinity;
    constructor(budget) {
        this.budget = budget;
    }
    wouldUnorder(start, end) {
        const n = this.start.length;
        if (n === 0)
            return false;
        const s = this.start[n - 1];
        return start < s || (start === s && end > this.end[n - 1]);
    }
    push(start, end, name, id) {
        if (this.ordered && this.wouldUnorder(start, end))
            this.ordered = false;
        this.start.push(start);
        this.end.push(end);
        this.name.push(name);
        this.id.push(id);
        this.gpuFrom.push(Infinity);
        this.gpuTo.push(-Infinity);
        this.parent.push(-1);
    }
    enclosing(start, duration, out, depth) {
        out.length = 0;
        const n = this.start.length;
        if (n === 0)
            return 0;
        this.queried = true;
        if (!this.ordered)
            this.sort();
        if (this.linked < n)
            this.link();
        const starts = this.start;
        let lo = 0;
        let hi = n;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (starts[mid] <= start)
                lo = mid + 1;
            else
                hi = mid;
        }
        const end = start + duration;
        let steps = 0;
        for (let j = lo - 1; j >= 0; j = this.parent[j]) {
            if (++steps > depth)
                return -1;
            if (end <= this.end[j])
                out.push(j);
        }
        return out.length;
    }
    sort() {
        const n = this.start.length;
        this.budget.left -= n;
        const { start, end, name, id, gpuFrom, gpuTo } = this;
        const order = Array.from({ length: n }, (_, i) => i);
        order.sort((a, b) => start[a] - start[b] || end[b] - end[a] || id[a] - id[b]);
        const s = order.map((i) => start[i]);
        const e = order.map((i) => end[i]);
        const m = order.map((i) => name[i]);
        const d = order.map((i) => id[i]);
        const f = order.map((i) => gpuFrom[i]);
        const t = order.map((i) => gpuTo[i]);
        for (let i = 0; i < n; i++) {
            start[i] = s[i];
            end[i] = e[i];
            name[i] = m[i];
            id[i] = d[i];
            gpuFrom[i] = f[i];
            gpuTo[i] = t[i];
        }
        this.ordered = true;
        this.linked = 0;
    }
    link() {
        const { start, end, parent } = this;
        for (let i = this.linked; i < start.length; i++) {
            const s = start[i];
            let j = i - 1;
            while (j >= 0 && end[j] <= s)
                j = parent[j];
            parent[i] = j;
        }
        this.linked = start.length;
    }
}
class CorrelationIndex {
    cells = new Int32Array(0);
    mask = 0;
    correlations = new Float64Array(0);
    shared = new Map();
    allocate(ring) {
        let size = 1024;
        while (size < ring * 4)
            size *= 2;
        this.cells = new Int32Array(size);
        this.correlations = new Float64Array(size);
        this.mask = size - 1;
    }
    get(correlation, oldest) {
        const cell = correlation & this.mask;
        const seq = this.cells[cell] - 1;
        if (seq >= oldest && this.correlations[cell] === correlation)
            return seq;
        if (this.shared.size === 0)
            return undefined;
        const other = this.shared.get(correlation);
        return other !== undefined && other >= oldest ? other : undefined;
    }
    set(correlation, seq, oldest) {
        const cell = correlation & this.mask;
        const held = this.cells[cell] - 1;
        const heldCorrelation = this.correlations[cell];
        if (held >= 0 && held >= oldest && heldCorrelation !== correlation)
            this.shared.set(heldCorrelation, held);
        if (this.shared.size > 0)
            this.shared.delete(correlation);
        this.cells[cell] = seq + 1;
        this.correlations[cell] = correlation;
    }
    forget(correlation, seq) {
        const cell = correlation & this.mask;
        if (this.cells[cell] === seq + 1 && this.correlations[cell] === correlation)
            this.cells[cell] = 0;
        else if (this.shared.get(correlation) === seq)
            this.shared.delete(correlation);
    }
}

class EventSummary {
    time = new Map();
    sizes = new Map();
    memWithoutBytes = 0;
    memOps = 0;
    counts = {
        kernel: 0,
        memcpy: 0,
        memset: 0,
        api: 0,
        annotation: 0,
        gpuAnnotation: 0
    };
    graphKernels = 0;
    ranges = new Map();
    gpuRanges = new Map();
    rangesFoldedEarly = 0;
    rangeKernels;
    constructor(options = {}) {
        this.rangeKernels = new RangeKernels(options.rangeKernelLimits);
    }
    add = (event) => {
        this.counts[event.kind] += 1;
        if (event.kind === 'gpuAnnotation') {
            this.addGpuRange(event);
            return;
        }
        this.rangeKernels.add(event);
        const table = this.table(event.kind);
        let acc = table.get(event.name);
        if (!acc) {
            acc = new StatAccumulator(event.name);
            table.set(acc.name, acc);
            if (event.kind === 'kernel')
                canonicalKey('kernels', acc.name);
        }
        acc.add(event.duration);
        if (event.kind === 'kernel') {
            if (event.graph !== undefined)
                this.graphKernels += 1;
        }
        else if (event.kind === 'memcpy' || event.kind === 'memset') {
            this.memOps += 1;
            if (event.bytes === undefined)
                this.memWithoutBytes += 1;
            else
                accumulator(this.sizes, event.name).add(event.bytes);
        }
    };
    addGpuRange(event) {
        const end = event.start + event.duration;
        const id = event.instance;
        if (id === undefined) {
            accumulator(this.gpuRanges, event.name).add(event.duration);
            return;
        }
        const open = this.ranges.get(id);
        if (open && open.name === event.name) {
            if (event.start < open.start)
                open.start = event.start;
            if (end > open.end)
                open.end = end;
            return;
        }
        if (open)
            this.foldRange(id, open);
        if (this.ranges.size >= OPEN_RANGES) {
            const [oldest, range] = this.ranges.entries().next().value;
            this.foldRange(oldest, range);
            this.rangesFoldedEarly += 1;
        }
        this.ranges.set(id, { name: event.name, start: event.start, end });
    }
    foldRange(id, range) {
        this.ranges.delete(id);
        accumulator(this.gpuRanges, range.name).add(range.end - range.start);
    }
    table(kind) {
        const key = kind === 'memset' ? 'memcpy' : kind;
        let table = this.time.get(key);
        if (!table) {
            table = new Map();
            this.time.set(key, table);
        }
        return table;
    }
    tables() {
        const out = {};
        const fill = (table, accumulators) => {
            const rows = new Map();
            for (const acc of accumulators?.values() ?? [])
                addRow(rows, canonicalKey(table, acc.name), acc.toStat());
            out[table] = rows;
        };
        fill('kernels', this.time.get('kernel'));
        fill('memTime', this.time.get('memcpy'));
        if (this.memWithoutBytes === 0)
            fill('memSize', this.sizes);
        fill('cudaApi', this.time.get('api'));
        fill('nvtx', this.time.get('annotation'));
        for (const [id, range] of [...this.ranges])
            this.foldRange(id, range);
        const projected = this.rangeKernels.projection();
        if (projected) {
            for (const acc of this.gpuRanges.values()) {
                const key = canonicalKey('nvtxGpu', acc.name);
                if (!projected.has(key) && !isProfilerStep(acc.name))
                    addRow(projected, key, acc.toStat());
            }
            out.nvtxGpu = projected;
        }
        else if (this.counts.gpuAnnotation > 0)
            fill('nvtxGpu', this.gpuRanges);
        const rangeKernels = this.rangeKernels.table();
        if (rangeKernels)
            out.nvtxKernels = rangeKernels;
        return out;
    }
    missingBytes() {
        return { without: this.memWithoutBytes, of: this.memOps };
    }
}
const OPEN_RANGES = 65_536;
function accumulator(table, name) {
    let acc = table.get(name);
    if (!acc) {
        acc = new StatAccumulator(name);
        table.set(acc.name, acc);
    }
    return acc;
}

class NameList {
    names = [];
    add(batch) {
        if (batch.namesReset)
            this.names = [];
        if (batch.firstName !== this.names.length)
            throw new Error(`batch: names from ${batch.firstName}, ${this.names.length} known`);
        for (const name of batch.names)
            this.names.push(name);
        return this.names;
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
function fanOut(...sinks) {
    if (sinks.length === 1 && sinks[0])
        return sinks[0];
    return (event) => {
        for (const sink of sinks)
            sink(event);
    };
}

const FIELDS = 17;
const BATCH_EVENTS = 4096;
const RING_SLOTS = 4;
const RING_BYTES = RING_SLOTS * BATCH_EVENTS * FIELDS * 8;
function slots$1(ring) {
    const size = BATCH_EVENTS * FIELDS;
    if (ring.length !== RING_SLOTS * size)
        throw new Error('event batch: a ring of the wrong size');
    return Array.from({ length: RING_SLOTS }, (_, i) => ring.subarray(i * size, (i + 1) * size));
}
new Map(EVENT_KINDS.map((kind, i) => [kind, i]));
class BatchReader {
    sink;
    slots;
    names = new NameList();
    constructor(ring, sink) {
        this.sink = sink;
        this.slots = slots$1(ring);
    }
    read(batch) {
        const names = this.names.add(batch);
        const v = this.slots[batch.slot];
        if (v === undefined || !(batch.count <= BATCH_EVENTS))
            throw new Error('event batch: no such slot');
        for (let i = 0; i < batch.count; i++) {
            const at = i * FIELDS;
            const name = names[v[at + 1]];
            const kind = EVENT_KINDS[v[at]];
            if (name === undefined || kind === undefined)
                throw new Error('event batch: unknown name');
            const event = {
                kind,
                name,
                start: v[at + 2],
                duration: v[at + 3],
                device: present(v[at + 4]),
                stream: present(v[at + 5]),
                correlation: present(v[at + 6]),
                thread: present(v[at + 7]),
                grid: Number.isNaN(v[at + 8]) ? undefined : [v[at + 8], v[at + 9], v[at + 10]],
                block: Number.isNaN(v[at + 11]) ? undefined : [v[at + 11], v[at + 12], v[at + 13]],
                bytes: present(v[at + 14]),
                instance: present(v[at + 15]),
                graph: present(v[at + 16])
            };
            this.sink(event);
        }
    }
}
function present(value) {
    return Number.isNaN(value) ? undefined : value;
}

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

async function readChromeTraceHere(path, sink, chunks = 'small') {
    regularFile(path);
    const head = readHead(path, 2);
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    const reader = new ChromeTraceReader(sink);
    const file = gzip ? node_fs.createReadStream(path, { highWaterMark: 256 * 1024 }) : undefined;
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

function driveWorker(script, path, workerData, take) {
    const read = new Int32Array(workerData.control);
    const worker = new (workerThreads().Worker)(script, { workerData });
    return new Promise((resolve, reject) => {
        let settled = false;
        const fail = (error) => {
            if (settled)
                return;
            settled = true;
            Atomics.store(read, 0, 2 ** 30);
            Atomics.notify(read, 0);
            void worker.terminate();
            reject(error instanceof Error ? error : new Error(String(error)));
        };
        worker.on('message', (message) => {
            if (settled)
                return;
            try {
                if (message.type === 'batch') {
                    take(message.batch);
                    Atomics.add(read, 0, 1);
                    Atomics.notify(read, 0);
                }
                else if (message.type === 'done') {
                    settled = true;
                    resolve(message.result);
                }
                else if (message.known)
                    fail(new InputError(message.message, message.location));
                else {
                    const error = new Error(message.message);
                    if (message.stack !== undefined)
                        error.stack = message.stack;
                    fail(error);
                }
            }
            catch (error) {
                fail(error);
            }
        });
        worker.on('error', fail);
        worker.on('exit', (code) => {
            fail(new Error(`the worker reading ${quoted(path)} stopped (exit code ${code}) before the end`));
        });
    });
}

async function loadChromeTrace(path, options = {}) {
    const summary = new EventSummary(options);
    const timeline = new TimelineAnalysis();
    const read = await readChromeTraceFile(path, fanOut(summary.add, timeline.add));
    const profile = chromeProfile(path, read, summary);
    const result = timeline.finish();
    return withTimeline(profile, result);
}
const WORKER_MIN_BYTES = 64 * 2 ** 20;
const WORKER_MIN_GZIP_BYTES = 8 * 2 ** 20;
async function readChromeTraceFile(path, sink) {
    const script = new URL('./chrome-worker.js', (typeof document === 'undefined' ? require('u' + 'rl').pathToFileURL(__filename).href : (_documentCurrentScript && _documentCurrentScript.tagName.toUpperCase() === 'SCRIPT' && _documentCurrentScript.src || new URL('cli-main.cjs', document.baseURI).href)));
    if (node_fs.existsSync(script)) {
        const { size } = regularFile(path);
        if (size >= WORKER_MIN_GZIP_BYTES) {
            const head = readHead(path, 2);
            const gzip = head[0] === 0x1f && head[1] === 0x8b;
            if (gzip || size >= WORKER_MIN_BYTES)
                return readInWorker(script, path, sink);
        }
    }
    return readChromeTraceHere(path, sink);
}
function readInWorker(script, path, sink) {
    const ring = new SharedArrayBuffer(RING_BYTES);
    const data = { path, ring, control: new SharedArrayBuffer(4) };
    const reader = new BatchReader(new Float64Array(ring), sink);
    return driveWorker(script, path, data, (batch) => reader.read(batch));
}
function chromeProfile(path, read, summary) {
    const { info } = read;
    checkTrace(path, read);
    const meta = emptyMeta(TOOL);
    meta.profiler = { name: profilerName(info) };
    meta.sources.push(path);
    const tables = summary.tables();
    for (const table of Object.keys(tables))
        meta.reports[table] = 'chrome-trace';
    const gpus = gpuNames([read]);
    if (gpus.length > 0)
        meta.gpus = gpus.map((name) => ({ name }));
    const rank = info.distributed?.rank;
    if (rank !== undefined && Number.isSafeInteger(rank) && rank >= 0) {
        meta.distributed = { ranks: [rank] };
        const world = info.distributed?.worldSize;
        if (world !== undefined)
            meta.distributed.worldSize = world;
    }
    meta.notes.push(...chromeNotes(path, read, summary, true));
    return { meta, tables };
}
function checkTrace(path, { info }) {
    if (info.form === undefined)
        throw new InputError(`${quoted(path)} is empty: no Chrome trace in it`);
    if (!info.hasEvents)
        throw new InputError(`${quoted(path)} is a JSON object without "traceEvents": not a Chrome trace (the PyTorch profiler writes {"traceEvents": [...], ...})`);
    if (info.trailingByte === 0x7b || info.trailingByte === 0x5b)
        throw new InputError(`${quoted(path)} holds another JSON document after the end of its trace (${info.trailing} bytes starting with "${String.fromCharCode(info.trailingByte)}"): several traces written into one file? Give each trace as a file of its own`);
}
function profilerName(info) {
    return info.writer === 'kineto' ? 'torch' : info.writer === 'rpd' ? 'rpd' : 'chrome-trace';
}
function gpuNames(reads) {
    const names = new Set();
    for (const { info } of reads)
        for (const d of info.usedDevices) {
            const name = info.devices.get(d);
            if (name)
                names.add(name);
        }
    return [...names].sort();
}
const RANK_IN_NAME = /(?:^|[^a-z])(?:rank|tp)[-_.]?(\d{1,6})(?!\d)/i;
async function loadChromeTraces(paths, options = {}) {
    const [first] = paths;
    if (first === undefined)
        throw new InputError('no Chrome trace to read');
    if (paths.length === 1)
        return loadChromeTrace(first, options);
    const timeline = new TimelineAnalysis();
    const owners = [];
    const traces = [];
    for (const [t, path] of paths.entries()) {
        const summary = new EventSummary(options);
        const local = new Map();
        let lastDevice = NaN;
        let lastId = 0;
        const toTimeline = (event) => {
            const kind = event.kind;
            if (kind !== 'kernel' && kind !== 'memcpy' && kind !== 'memset')
                return;
            const own = event.device;
            const device = own ?? 0;
            if (device !== lastDevice) {
                let id = local.get(device);
                if (id === undefined) {
                    id = owners.length;
                    owners.push({ trace: t, device });
                    local.set(device, id);
                }
                lastDevice = device;
                lastId = id;
            }
            event.device = lastId;
            timeline.add(event);
            event.device = own;
        };
        const read = await readChromeTraceFile(path, fanOut(summary.add, toTimeline));
        checkTrace(path, read);
        traces.push({ path, read, summary });
    }
    const ranks = rankOf(traces);
    const kernels = traces.reduce((n, tr) => n + tr.summary.counts.kernel, 0);
    const without = traces.flatMap((tr, t) => (tr.summary.counts.kernel === 0 ? [t] : []));
    if (kernels > 0 && without.length > 0)
        throw new InputError(`${listed(without, 6, (t) => `${quoted(traces[t].path, 120)} (rank ${ranks.of[t]})`)} ${without.length === 1 ? 'has' : 'have'} no GPU kernels while the run's other ranks have ${kernels}: the profiler did not record ${without.length === 1 ? "that rank's" : "those ranks'"} GPU activity (its activities lack CUDA, or CUPTI was not available in that process), and the run's tables would hold the other ranks only. Profile every rank's GPU activity`);
    const order = traces.map((_, t) => t).sort((a, b) => ranks.of[a] - ranks.of[b]);
    const oneEach = traces.every((tr) => tr.read.info.usedDevices.size <= 1);
    const deviceOf = new Map();
    const byRank = owners
        .map((o, id) => ({ ...o, id }))
        .sort((a, b) => ranks.of[a.trace] - ranks.of[b.trace] || a.device - b.device);
    byRank.forEach((o, n) => deviceOf.set(o.id, oneEach ? ranks.of[o.trace] : n));
    const meta = emptyMeta(TOOL);
    const writers = [...new Set(traces.map((tr) => profilerName(tr.read.info)))];
    if (writers.length > 1)
        throw new InputError(`the traces of one run were written by different profilers (${writers.join(', ')}): ${listed(paths, 6, (p) => quoted(p, 120))}; give the traces of one run of one profiler`);
    meta.profiler = { name: writers[0] };
    meta.sources.push(...order.map((t) => traces[t].path));
    const tables = {};
    const each = traces.map((tr) => tr.summary.tables());
    for (const table of TABLE_NAMES) {
        if (!each.every((t) => t[table] !== undefined))
            continue;
        const merged = new Map();
        for (const t of each)
            for (const [key, stat] of t[table])
                addRow(merged, key, { ...stat });
        tables[table] = merged;
        meta.reports[table] = 'chrome-trace';
    }
    const gpus = gpuNames(traces.map((tr) => tr.read));
    if (gpus.length > 0)
        meta.gpus = gpus.map((name) => ({ name }));
    meta.distributed = { ranks: [...ranks.of].sort((a, b) => a - b) };
    if (ranks.worldSize !== undefined)
        meta.distributed.worldSize = ranks.worldSize;
    meta.notes.push(...ranks.notes);
    if (!oneEach)
        meta.notes.push({
            code: 'trace-rank-devices',
            severity: 'info',
            message: `a rank's trace has GPU activity on several GPUs, so the timeline numbers the ranks' GPUs in turn: ${listed(byRank, 16, (o) => `GPU ${deviceOf.get(o.id)} is rank ${ranks.of[o.trace]}'s GPU ${o.device}`)}`
        });
    for (const t of order) {
        const tr = traces[t];
        meta.notes.push(...chromeNotes(tr.path, tr.read, tr.summary, false));
    }
    const profile = { meta, tables };
    const result = timeline.finish((id) => ({
        device: deviceOf.get(id) ?? id,
        rank: ranks.of[owners[id].trace]
    }));
    for (const entry of result.launches.values())
        delete entry.order;
    return withTimeline(profile, result);
}
function rankOf(traces) {
    const notes = [];
    const given = traces.map(({ path, read }) => {
        const rank = read.info.distributed?.rank;
        if (rank !== undefined && Number.isSafeInteger(rank) && rank >= 0)
            return { rank, how: 'distributedInfo' };
        const m = RANK_IN_NAME.exec(node_path.basename(path));
        return m ? { rank: Number(m[1]), how: 'file name' } : undefined;
    });
    let of;
    if (given.every((g) => g === undefined)) {
        sameTraces(traces);
        of = traces.map((_, t) => t);
        notes.push({
            code: 'trace-rank-assumed',
            severity: 'warning',
            message: `no trace names its rank (no distributedInfo, no rank in the file name): the ${traces.length} traces are read as ranks 0 to ${traces.length - 1} in the order given (${listed(traces, 8, (tr) => quoted(tr.path, 120))})`
        });
    }
    else {
        const without = traces.filter((_, t) => given[t] === undefined);
        if (without.length > 0)
            throw new InputError(`${listed(without, 6, (tr) => quoted(tr.path, 120))} name${without.length === 1 ? 's' : ''} no rank (no distributedInfo, no rank in the file name) while the other traces of the run do: give the traces of one run, one per rank`);
        of = given.map((g) => g.rank);
    }
    const seen = new Map();
    for (const [t, rank] of of.entries()) {
        const other = seen.get(rank);
        if (other !== undefined)
            throw new InputError(`${quoted(other, 120)} and ${quoted(traces[t].path, 120)} are both rank ${rank}: one run holds one trace per rank. Two traces of one rank are two profiled windows (several torch.profiler schedule cycles, or two runs): have each run write one per rank (one schedule cycle), and give each run as a run of its own`);
        seen.set(rank, traces[t].path);
    }
    const sorted = [...of].sort((a, b) => a - b);
    const worlds = [
        ...new Set(traces
            .map((tr) => tr.read.info.distributed?.worldSize)
            .filter((w) => w !== undefined))
    ];
    notes.push({
        code: 'trace-ranks',
        severity: 'info',
        message: `${traces.length} traces read as the ranks of one run (${sorted.join(', ')}${worlds.length === 1 ? ` of world size ${worlds[0]}` : ''}; ranks from ${[...new Set(given.map((g) => g?.how ?? 'the order given'))].join(' and ')}): each rank's GPU is a device of the timeline, and kernels and every other table are summed over the ranks`
    });
    if (worlds.length > 1)
        notes.push({
            code: 'trace-ranks-mixed',
            severity: 'warning',
            message: `the traces name different world sizes (${worlds.sort((a, b) => a - b).join(', ')}): they may not be the ranks of one run`
        });
    else if (worlds.length === 1 && worlds[0] > traces.length) {
        const missing = Array.from({ length: worlds[0] }, (_, r) => r).filter((r) => !seen.has(r));
        notes.push({
            code: 'trace-ranks-missing',
            severity: 'warning',
            message: `the world size is ${worlds[0]} but ${traces.length} ranks wrote a trace: rank${missing.length === 1 ? '' : 's'} ${listed(missing, 16, String)} ${missing.length === 1 ? 'is' : 'are'} not in the profile, whose tables hold the ranks read only`
        });
    }
    return worlds.length === 1 ? { of, worldSize: worlds[0], notes } : { of, notes };
}
function sameTraces(traces) {
    const seen = new Map();
    for (const { path, read } of traces) {
        const { originMicros, events, bytes } = read.info;
        if (originMicros === undefined)
            continue;
        const key = `${originMicros}/${events}/${bytes}`;
        const other = seen.get(key);
        if (other !== undefined)
            throw new InputError(`${quoted(other, 120)} and ${quoted(path, 120)} hold the same trace (${events} events from the same start, ${bytes} bytes of JSON): one is a copy of the other (a trace kept plain and compressed?), and read as two ranks its kernels would count twice. Keep one of them`);
        seen.set(key, path);
    }
}
function chromeNotes(path, read, summary, alone) {
    const { info } = read;
    const notes = [];
    const note = (code, severity, message) => {
        notes.push({ code, severity, message: `${path}: ${message}` });
    };
    const writer = info.writer === 'kineto'
        ? 'PyTorch profiler (Kineto) trace'
        : info.writer === 'rpd'
            ? 'rpd2tracing trace (RPD)'
            : 'Chrome trace of an unknown writer';
    const versions = Object.entries(info.metadata)
        .filter(([key]) => key !== 'traceName' && key !== 'displayTimeUnit')
        .map(([key, value]) => `${key} ${visible(clip(String(value), 40))}`);
    note('trace-read', 'info', `${writer}, ${info.form} form${versions.length > 0 ? ` (${versions.join(', ')})` : ''}: ${count$2(info.events, 'event')}, ` +
        `${count$2(summary.counts.kernel, 'kernel')}, ${count$2(summary.counts.memcpy + summary.counts.memset, 'memory operation')}, ` +
        `${count$2(summary.counts.api, 'runtime call')}, ${count$2(summary.counts.annotation, 'annotation')}`);
    if (info.distributed && alone) {
        const d = info.distributed;
        note('trace-rank', 'info', `rank ${d.rank ?? '?'}${d.worldSize !== undefined ? ` of ${d.worldSize}` : ''}${d.backend ? ` (${visible(clip(d.backend, 40))})` : ''}: ` +
            'this profile is one rank; compare it with the same rank');
    }
    if (info.rawQuotes > 0)
        note('trace-invalid-json', 'warning', `the trace is not valid JSON: ${info.rawQuotes} quote${info.rawQuotes === 1 ? '' : 's'} inside names ${info.rawQuotes === 1 ? 'was' : 'were'} not escaped (the PyTorch profiler before kineto's fix for pytorch/pytorch#146900); read as part of the names`);
    if (info.truncatedAt !== undefined || read.gzipCut)
        note('trace-truncated', 'warning', `the trace ends early${read.gzipCut ? ' (the gzip stream is cut)' : ` (at byte ${info.truncatedAt ?? info.bytes} of the JSON)`}: the file was cut while it was written; the ${info.events} events before the cut are read, the rest of the run is missing`);
    if (info.unreadable > 0)
        note('trace-events-unreadable', 'warning', `${info.unreadable} event${info.unreadable === 1 ? '' : 's'} of a category nsys-bench reads had no usable name, "ts" or "dur" (a negative or missing duration) and ${info.unreadable === 1 ? 'was' : 'were'} left out${info.unreadablePairs > 0 ? ` (${info.unreadablePairs} of them durations written as B/E pairs that do not pair, or async b/e events, which are not read${info.unorderedPairs > 0 ? `; ${info.unorderedPairs} B/E pairs on threads whose B/E events are not in time order, which the format pairs by time and a streaming read cannot` : ''})` : ''}, such as ${quoted(info.unreadableExample ?? '', 100)}`);
    if (info.badMetadata.length > 0)
        note('trace-metadata-unreadable', 'warning', `metadata that is not valid JSON was ignored: ${info.badMetadata.map((k) => quoted(k, 40)).join(', ')}`);
    if (info.trailing > 0)
        note('trace-trailing-data', 'warning', `${info.trailing} bytes after the end of the trace were ignored`);
    if (summary.counts.kernel === 0) {
        const cats = listed([...info.categories.entries()].sort((a, b) => b[1] - a[1]), 8, ([cat, n]) => `${quoted(cat, 40)} ${n}`);
        note('trace-no-kernels', 'warning', `the trace has no GPU kernels (complete events by category: ${cats || 'none'}): GPU activity was not recorded (the profiler's activities lack CUDA), or nothing ran on the GPU in the profiled steps`);
    }
    if (summary.rangesFoldedEarly > 0)
        note('trace-gpu-ranges-apart', 'warning', `${summary.rangesFoldedEarly} GPU-side annotation ranges (gpu_user_annotation) were counted before the trace ended, to keep memory bounded: a range whose events lie further apart in the file counts twice in the NVTX GPU-time table`);
    notes.push(...rangeKernelNotes(path, summary));
    if (summary.graphKernels > 0)
        note('trace-cuda-graphs', 'info', `${summary.graphKernels} of ${summary.counts.kernel} kernels ran in CUDA graphs (the trace records their graph id); they are in the kernel table like any other`);
    if (info.usedDevices.size > 1)
        note('trace-devices', 'info', `GPU activity on ${info.usedDevices.size} GPUs (${[...info.usedDevices].sort((a, b) => a - b).join(', ')}) is summed into one table per kind`);
    const bytes = summary.missingBytes();
    if (bytes.without > 0)
        note('mem-size-missing', 'info', `${bytes.without} of ${bytes.of} memory operations carry no byte count (ROCm traces do not record one): there is no memory-size table`);
    return notes;
}
function rangeKernelNotes(path, summary) {
    const join = summary.rangeKernels;
    if (!join.hasRanges)
        return [];
    const c = join.counts;
    const limits = join.limits;
    const notes = [];
    if (!join.hasTable)
        return [
            {
                code: 'trace-nvtx-kernels',
                severity: 'info',
                message: `${path}: the trace's kernels carry no correlation with their launch calls (rpd2tracing writes none), so they cannot be placed in annotation ranges: there is no kernels-per-range table`
            }
        ];
    const left = [
        c.outside > 0 ? `${c.outside} launched outside every range` : '',
        c.noLaunch > 0 ? `${count$2(c.noLaunch, 'kernel')} without a launch call in the trace` : ''
    ].filter(Boolean);
    notes.push({
        code: 'trace-nvtx-kernels',
        severity: 'info',
        message: `${path}: ${c.inside} of ${count$2(c.kernels, 'kernel')} were launched inside annotation ranges (user_annotation, record_function; ProfilerStep#N is not one) and fill the kernels-per-range table, each under every range around its launch${left.length > 0 ? `; ${left.join(' and ')} are left out, as nsys leaves out kernels outside every NVTX range` : ''}. Each range's GPU time is projected from the same launches, copies and sets included: from the first start to the last end of the GPU work launched inside it, nested ranges included, as nsys projects NVTX ranges (the trace's own GPU-side ranges project only the innermost range around each launch)`
    });
    if (c.lost + c.partial > 0) {
        const why = {
            ranges: `more than ${limits.ranges} annotation ranges (or ranges out of order too often)`,
            launches: `launch calls that left the ${limits.launches} held before their kernels came`,
            kernels: `kernels that waited for their launch call past the ${limits.kernels} held`,
            depth: `ranges nested deeper than ${limits.depth}`
        };
        notes.push({
            code: 'trace-nvtx-kernels-capped',
            severity: 'warning',
            message: `${path}: ${count$2(c.lost + c.partial, 'kernel')} could not be attributed to every annotation range around their launch (${c.lost} not at all, ${c.partial} to some of their ranges only), to keep memory bounded: ${[...c.limitsHit].map((l) => why[l]).join('; ')}. The kernels-per-range table misses them`
        });
    }
    if (c.beforeRanges + c.lateRanges > 0) {
        const what = [
            c.beforeRanges > 0
                ? `${count$2(c.beforeRanges, 'kernel')} came before the first annotation range and ${c.beforeRanges === 1 ? 'is' : 'are'} not attributed`
                : '',
            c.lateRanges > 0
                ? `${count$2(c.lateRanges, 'annotation range')} came after kernels launched on ${c.lateRanges === 1 ? 'its' : 'their'} thread from ${c.lateRanges === 1 ? 'its' : 'their'} start on had been counted, and may lack some of them`
                : ''
        ].filter(Boolean);
        notes.push({
            code: 'trace-nvtx-kernels-order',
            severity: 'warning',
            message: `${path}: the trace does not give annotation ranges before the GPU activity, as the PyTorch profiler writes them: ${what.join('; ')}. The kernels-per-range table may miss kernels`
        });
    }
    return notes;
}
function count$2(n, what) {
    return `${n} ${what}${n === 1 ? '' : 's'}`;
}
function withTimeline(profile, result) {
    if (result.timeline.devices.length > 0) {
        profile.tables.gpuIdle = result.gpuIdle;
        profile.tables.kernelShapes = result.kernelShapes;
        profile.meta.reports.gpuIdle = profile.meta.reports.kernelShapes = 'chrome-trace';
        profile.timeline = result.timeline;
        profile.launches = result.launches;
    }
    return profile;
}

const ROW_BATCH = 4096;
const ROW_RING_SLOTS = 4;
function rowRingBytes(columns) {
    return ROW_RING_SLOTS * ROW_BATCH * (3 + columns) * 8;
}
function slots(ring, columns) {
    const size = ROW_BATCH * (3 + columns);
    if (ring.length !== ROW_RING_SLOTS * size)
        throw new Error('row batch: a ring of the wrong size');
    return Array.from({ length: ROW_RING_SLOTS }, (_, i) => ring.subarray(i * size, (i + 1) * size));
}
class RowBatchReader {
    slots;
    stride;
    names = new NameList();
    constructor(ring, columns) {
        this.slots = slots(ring, columns);
        this.stride = 3 + columns;
    }
    read(batch, take) {
        const names = this.names.add(batch);
        const v = this.slots[batch.slot];
        if (v === undefined || !(batch.count <= ROW_BATCH))
            throw new Error('row batch: no such slot');
        const stride = this.stride;
        for (let i = 0; i < batch.count; i++) {
            const base = i * stride;
            const id = v[base];
            if (id < 0) {
                const text = batch.texts[-1 - id];
                if (text === undefined)
                    throw new Error('row batch: unknown text');
                take.text(text, v[base + 2], v[base + 1] === 1);
                continue;
            }
            const name = names[id];
            const device = names[v[base + 1]];
            if (name === undefined || device === undefined)
                throw new Error('row batch: unknown name');
            take.row(v, base + 3, name, device, v[base + 2]);
        }
    }
}

const TRACE_WORKER_MIN_BYTES = 64 * 2 ** 20;
const HEAD_BYTES = 64 * 1024;
async function readTraceInWorker(path, options) {
    if (options.strict !== true || options.report === undefined)
        return undefined;
    const report = lookupReport(options.report.name);
    if (report.kind !== 'used' || report.info.family !== 'gpuTrace')
        return undefined;
    const script = new URL('./nsys-trace-worker.js', (typeof document === 'undefined' ? require('u' + 'rl').pathToFileURL(__filename).href : (_documentCurrentScript && _documentCurrentScript.tagName.toUpperCase() === 'SCRIPT' && _documentCurrentScript.src || new URL('cli-main.cjs', document.baseURI).href)));
    if (!node_fs.existsSync(script))
        return undefined;
    const { size } = regularFile(path);
    if (size < TRACE_WORKER_MIN_BYTES)
        return undefined;
    const head = readHead(path, HEAD_BYTES);
    const newline = head.indexOf(10);
    if (newline < 0)
        return undefined;
    const stop = newline > 0 && head[newline - 1] === 13 ? newline - 1 : newline;
    const parser = new NsysStatsParser(options);
    parser.push(new TextDecoder('utf-8', { ignoreBOM: true }).decode(head.subarray(0, stop)), 1);
    const block = parser.scannableBlock();
    if (!block)
        return undefined;
    const columns = block.scanColumns.length;
    const ring = new SharedArrayBuffer(rowRingBytes(columns));
    const data = {
        path,
        offset: newline + 1,
        firstLine: 2,
        block: block.blockOptions,
        ring,
        control: new SharedArrayBuffer(4)
    };
    const reader = new RowBatchReader(new Float64Array(ring), columns);
    const take = {
        row: (values, at, name, device, line) => parser.takeScannedRow(block, values, at, name, device, line),
        text: (line, lineNo, terminated) => parser.push(line, lineNo, terminated)
    };
    await driveWorker(script, path, data, (batch) => reader.read(batch, take));
    return parser.finish();
}

const ROCPROFV3_CSV = 'profile with `rocprofv3 --kernel-trace --stats --output-format csv` and give its output directory, *_kernel_trace.csv or *_kernel_stats.csv';
const INPUT_FORMATS = ['nsys', 'chrome', 'rocprof', 'rocprofv3', 'profile-json'];
function isInputFormat(value) {
    return INPUT_FORMATS.includes(value);
}
const SNIFF_BYTES = 64 * 1024;
const PROFILE_JSON = /"kind"\s*:\s*"nsys-bench\/profile"/;
const CHROME_KEYS = /"(?:traceEvents|deviceProperties|distributedInfo|displayTimeUnit|ph)"\s*:/;
const ROCPROF_STATS = /^\s*"Name","Calls","TotalDurationNs","AverageNs","Percentage"(,"MinNs")?/m;
const ROCPROF_TRACE = /^(?=.{0,800}"Kernel_Name")(?=.{0,800}"Start_Timestamp")/m;
const ROCPROF_DISPATCHES = /^\s*"?Index"?,"?KernelName"?,/m;
const ROCPROFV3_JSON = /^\s*\{\s*"rocprofiler-sdk-tool"\s*:/;
const ROCPROFV3_BINARY = /\.(pftrace|otf2)$/i;
function sniffFormat(path, kind) {
    if (kind === 'gzip')
        return 'chrome';
    const binary = ROCPROFV3_BINARY.exec(path);
    if (binary)
        throw new InputError(`${quoted(path)} is a${binary[1].toLowerCase() === 'otf2' ? 'n OTF2' : ' Perfetto'} trace (rocprofv3 --output-format ${binary[1].toLowerCase()}), which nsys-bench does not read: ${ROCPROFV3_CSV}`);
    const head = readHead(path, SNIFF_BYTES)
        .toString('utf8')
        .replace(/^\uFEFF/, '');
    if (kind === 'json') {
        if (PROFILE_JSON.test(head))
            return 'profile-json';
        if (ROCPROFV3_JSON.test(head))
            throw new InputError(`${quoted(path)} is rocprofv3's JSON output (--output-format json), which nsys-bench does not read: ${ROCPROFV3_CSV}`);
        return CHROME_KEYS.test(head) ? 'chrome' : 'profile-json';
    }
    if (head.trimStart().startsWith('['))
        return 'chrome';
    const stats = ROCPROF_STATS.exec(head);
    if (stats)
        return stats[1] ? 'rocprofv3' : 'rocprof';
    if (ROCPROF_TRACE.test(head))
        return 'rocprofv3';
    if (ROCPROF_DISPATCHES.test(head))
        return 'rocprof';
    return 'nsys';
}

const MAX_PROFILE_BYTES = 512 * 1024 * 1024;
async function readWhole(path, size) {
    let bytes = FREE_BUFFERS.pop();
    if (bytes === undefined || bytes.length < size + 1)
        bytes = Buffer.allocUnsafeSlow(size + 1 + (size >> 3));
    let handle;
    let length = 0;
    try {
        handle = await promises.open(path, 'r');
        for (;;) {
            if (length === bytes.length) {
                if (length > MAX_PROFILE_BYTES)
                    throw new InputError(tooLarge(path, length));
                const grown = Buffer.allocUnsafeSlow(length * 2);
                bytes.copy(grown, 0, 0, length);
                bytes = grown;
            }
            const { bytesRead } = await handle.read(bytes, length, bytes.length - length, null);
            if (bytesRead === 0)
                break;
            length += bytesRead;
        }
    }
    catch (error) {
        throw fsError(path, error);
    }
    finally {
        await handle?.close().catch(() => undefined);
    }
    return { bytes, length };
}
const FREE_BUFFERS = [];
let reading = 0;
let release;
const MAX_KEPT_BYTES = 64 * 1024 * 1024;
const tooLarge = (path, bytes) => `${quoted(path)} is a ${Math.round(bytes / 2 ** 20)} MiB JSON file, too large for a profile JSON`;
async function loadProfileJson(path, progress) {
    const info = regularFile(path);
    if (info.size > MAX_PROFILE_BYTES)
        throw new InputError(tooLarge(path, info.size));
    reading += 1;
    if (release)
        clearImmediate(release);
    release = undefined;
    let text;
    try {
        const { bytes, length } = await readWhole(path, info.size);
        try {
            const document = readProfileJsonBytes(bytes, length, undefined, progress, path);
            if (document?.kind === PROFILE_KIND)
                return profileFromJson(document, path);
            text = withoutBom(bytes.toString('utf8', 0, length));
        }
        finally {
            if (bytes.length <= MAX_KEPT_BYTES)
                FREE_BUFFERS.push(bytes);
        }
    }
    finally {
        if (--reading === 0)
            release = setImmediate(() => (FREE_BUFFERS.length = 0)).unref();
    }
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (error) {
        throw new InputError(`${quoted(path)} is not valid JSON: ${jsonSyntaxProblem(error, text)}`);
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const record = value;
        if (record.kind === PROFILE_KIND) {
            const duplicate = findDuplicateKey(text);
            if (duplicate)
                throw duplicateKeyError(duplicate.where, duplicate.key, path);
            return profileFromJson(value, path);
        }
        if ('rocprofiler-sdk-tool' in record)
            throw new InputError(`${quoted(path)} is rocprofv3's JSON output (--output-format json), not a profile JSON; nsys-bench does not read it: ${ROCPROFV3_CSV}`);
        if ('traceEvents' in record) {
            throw new InputError(`${quoted(path)} is a Chrome trace (PyTorch profiler, Perfetto), not a profile JSON: give trace files one by one (without --input-format profile-json); a directory of traces is not read`);
        }
    }
    throw new InputError(`${quoted(path)} is JSON but not a profile written by nsys-bench (expected "kind": "${PROFILE_KIND}")`);
}

function splitRecord(text) {
    const cells = [];
    let i = 0;
    for (;;) {
        if (text.charCodeAt(i) === 0x22) {
            let cell = '';
            let from = i + 1;
            for (;;) {
                const q = text.indexOf('"', from);
                if (q < 0)
                    return undefined;
                cell += text.slice(from, q);
                if (text.charCodeAt(q + 1) === 0x22) {
                    cell += '"';
                    from = q + 2;
                    continue;
                }
                i = q + 1;
                break;
            }
            const comma = text.indexOf(',', i);
            cells.push(comma < 0 ? cell + text.slice(i) : cell + text.slice(i, comma));
            if (comma < 0)
                return cells;
            i = comma + 1;
        }
        else {
            const comma = text.indexOf(',', i);
            if (comma < 0) {
                cells.push(text.slice(i));
                return cells;
            }
            cells.push(text.slice(i, comma));
            i = comma + 1;
        }
    }
}
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
function csvNumber(cell) {
    if (cell === undefined)
        return undefined;
    const text = cell.trim();
    if (text.length > 40 || !NUMBER.test(text))
        return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value : undefined;
}
function headerName(cell) {
    return cell.replace(/\s+/g, '');
}

const STATS_COLUMNS = ['Name', 'Calls', 'TotalDurationNs', 'AverageNs', 'Percentage'];
const V3_COLUMNS = ['MinNs', 'MaxNs', 'StdDev'];
const FILE_HINT = /([\w.%-]*?)((?:hip_api|hip|hsa_api|hsa|memory_copy|copy|kernel|domain|memory_allocation|scratch_memory|[a-z]+_api)_stats|stats)\.csv/;
const MAX_RECORD_LINES = 4;
class RocprofParser {
    source;
    sink;
    pending;
    table;
    hint;
    captures = [];
    notes = [];
    headerless = [];
    start = { high: 0, low: 0 };
    end = { high: 0, low: 0 };
    constructor(source, fileName, sink) {
        this.source = source;
        this.sink = sink;
        this.hint = fileName !== undefined ? FILE_HINT.exec(fileName)?.[2] : undefined;
    }
    push(input, lineNo) {
        const line = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
        const held = this.pending;
        const lines = held ? [...held.lines, line] : [line];
        const first = held?.first ?? lineNo;
        const text = lines.join('\n');
        const cells = splitRecord(text);
        if (cells === undefined) {
            if (lines.length < MAX_RECORD_LINES &&
                ((this.table !== undefined && this.table.gap === undefined) || /^\s*"[^"]*"\s*,/.test(text))) {
                this.pending = { lines, first };
                return;
            }
        }
        else if (!held ||
            (this.table?.width === cells.length && !lines.some((l, k) => k > 0 && /^\s*"/.test(l))) ||
            isHeader(cells.map(headerName))) {
            this.pending = undefined;
            this.record(cells, first, lineNo, line);
            return;
        }
        this.pending = undefined;
        if (!held) {
            this.other(line, lineNo);
            return;
        }
        if (this.table && this.table.gap === undefined) {
            this.table.skipped.push(first);
            this.table.last = first;
        }
        else
            this.other(lines[0], first);
        lines.slice(1).forEach((rest, k) => this.push(rest, first + 1 + k));
    }
    finish() {
        for (let open = this.pending; open; open = this.pending) {
            this.pending = undefined;
            if (this.table && this.table.gap === undefined) {
                this.table.skipped.push(open.first);
                this.table.last = open.first;
            }
            open.lines.slice(1).forEach((rest, k) => this.push(rest, open.first + 1 + k));
            this.notes.push({
                code: 'record-unclosed',
                severity: 'warning',
                message: `the record at line ${open.first} has a quoted cell that is not closed before the end of the input (a cut or damaged file): it was left out`,
                line: open.first
            });
        }
        this.endTable();
        if (this.headerless.length > 0)
            this.noteHeaderless();
        return { source: this.source, captures: this.captures, notes: this.notes };
    }
    record(cells, first, lineNo, line) {
        const names = cells.map(headerName);
        const trace = isTraceHeader(names);
        const refused = refusedTable(names, trace);
        if (refused) {
            this.endTable();
            this.table = {
                type: 'refused',
                first,
                last: lineNo,
                width: names.length,
                rows: 0,
                skipped: [],
                what: refused,
                gaps: []
            };
            return;
        }
        if (isStatsHeader(names)) {
            this.endTable();
            const v3 = names.length === STATS_COLUMNS.length + V3_COLUMNS.length;
            this.table = {
                type: 'stats',
                version: v3 ? 'rocprofv3' : 'rocprof',
                first,
                last: lineNo,
                columns: indexOf(names),
                width: names.length,
                hint: this.hint,
                rows: [],
                shares: 0,
                skipped: [],
                gaps: []
            };
            this.hint = undefined;
            return;
        }
        if (trace) {
            this.endTable();
            this.table = {
                type: 'trace',
                first,
                last: lineNo,
                columns: indexOf(names),
                width: names.length,
                summary: new EventSummary(),
                timeline: new TimelineAnalysis(),
                origin: undefined,
                skipped: [],
                others: 0,
                dispatches: 0,
                gaps: []
            };
            return;
        }
        const table = this.table;
        if (table && cells.length === 1 && cells[0].trim() === '') {
            table.gap ??= lineNo;
            return;
        }
        if (table && cells.length === table.width) {
            if (table.gap !== undefined)
                table.gaps.push(table.gap);
            table.gap = undefined;
            table.last = lineNo;
            if (table.type === 'stats')
                this.statsRow(table, cells, lineNo);
            else if (table.type === 'trace')
                this.dispatch(table, cells, lineNo);
            else
                table.rows += 1;
            return;
        }
        if (table && table.type !== 'refused' && cells.length > 1 && table.gap === undefined) {
            table.skipped.push(lineNo);
            table.last = lineNo;
            return;
        }
        if (table && table.type !== 'refused')
            table.endedBy = { line: lineNo, cells: cells.length };
        this.other(line, lineNo, cells);
    }
    other(line, lineNo, cells) {
        this.endTable();
        const hint = FILE_HINT.exec(line.slice(0, 1000));
        if (hint)
            this.hint = hint[2];
        if (cells &&
            (cells.length === STATS_COLUMNS.length ||
                cells.length === STATS_COLUMNS.length + V3_COLUMNS.length) &&
            csvNumber(cells[0]) === undefined &&
            cells.slice(1).every((c) => csvNumber(c) !== undefined))
            this.headerless.push(lineNo);
    }
    statsRow(table, cells, lineNo) {
        const c = table.columns;
        const name = (cells[c.Name ?? 0] ?? '').trim();
        const calls = csvNumber(cells[c.Calls ?? -1]);
        const total = csvNumber(cells[c.TotalDurationNs ?? -1]);
        const avg = csvNumber(cells[c.AverageNs ?? -1]);
        const share = csvNumber(cells[c.Percentage ?? -1]);
        if (name === '' ||
            calls === undefined ||
            !Number.isInteger(calls) ||
            calls < 0 ||
            total === undefined ||
            total < 0 ||
            avg === undefined ||
            share === undefined) {
            table.skipped.push(lineNo);
            return;
        }
        const stat = { name, total, instances: calls, avg, min: 0, max: total };
        if (table.version === 'rocprofv3') {
            const min = csvNumber(cells[c.MinNs ?? -1]);
            const max = csvNumber(cells[c.MaxNs ?? -1]);
            const stdDev = csvNumber(cells[c.StdDev ?? -1]);
            if (min === undefined || max === undefined || stdDev === undefined) {
                table.skipped.push(lineNo);
                return;
            }
            stat.min = min;
            stat.max = max;
            stat.stdDev = stdDev;
        }
        if (statProblem(stat, 1, table.version === 'rocprof' ? 2 : 1e-6)) {
            table.skipped.push(lineNo);
            return;
        }
        stat.avg = calls > 0 ? total / calls : 0;
        table.rows.push({ line: lineNo, stat });
        table.shares += share;
    }
    dispatch(table, cells, lineNo) {
        const c = table.columns;
        const cell = (name) => {
            const i = c[name];
            return i === undefined ? undefined : cells[i];
        };
        const kind = cell('Kind');
        if (kind !== undefined && kind.trim() !== 'KERNEL_DISPATCH') {
            table.others += 1;
            return;
        }
        const name = (cell('Kernel_Name') ?? '').trim();
        const start = this.start;
        const end = this.end;
        const duration = readStamp(cell('Start_Timestamp'), start) && readStamp(cell('End_Timestamp'), end)
            ? difference(end, start)
            : NaN;
        if (name === '' || !(duration >= 0 && duration <= Number.MAX_SAFE_INTEGER)) {
            table.skipped.push(lineNo);
            return;
        }
        table.origin ??= { high: start.high, low: start.low };
        const event = {
            kind: 'kernel',
            name,
            start: difference(start, table.origin),
            duration
        };
        const agent = integerIn(cell('Agent_Id'));
        if (agent !== undefined)
            event.device = agent;
        const stream = integerIn(cell('Stream_Id')) ?? integerIn(cell('Queue_Id'));
        if (stream !== undefined)
            event.stream = stream;
        const correlation = integerIn(cell('Correlation_Id'));
        if (correlation !== undefined)
            event.correlation = correlation;
        const block = dims(cell, 'Workgroup_Size');
        const items = dims(cell, 'Grid_Size');
        if (block) {
            event.block = block;
            if (items && block.every((b) => b > 0))
                event.grid = [
                    Math.ceil(items[0] / block[0]),
                    Math.ceil(items[1] / block[1]),
                    Math.ceil(items[2] / block[2])
                ];
        }
        table.dispatches += 1;
        table.summary.add(event);
        table.timeline.add(event);
        this.sink?.(event);
    }
    endTable() {
        const table = this.table;
        if (!table)
            return;
        this.table = undefined;
        if (table.type === 'stats')
            this.endStats(table);
        else if (table.type === 'trace')
            this.endTrace(table);
        else
            this.refuse(table.first, table.last, table.rows + table.skipped.length, table.what);
        if (table.gaps.length > 0) {
            const capture = this.captures.at(-1);
            (capture?.last === table.last ? capture.notes : this.notes).push({
                code: 'table-blank-lines',
                severity: 'info',
                message: `the table at lines ${table.first}\u2013${table.last} has blank lines among its rows (line${table.gaps.length === 1 ? '' : 's'} ${table.gaps.slice(0, 5).join(', ')}${table.gaps.length > 5 ? ', \u2026' : ''}): the rows after them, of its width, were read as its rows`,
                line: table.gaps[0]
            });
        }
    }
    refuse(first, last, rows, what) {
        this.notes.push({
            code: 'table-not-read',
            severity: 'warning',
            message: `the table at lines ${first}\u2013${last} (${rows} row${rows === 1 ? '' : 's'}) is ${what}`,
            line: first
        });
    }
    endStats(table) {
        const target = statsTarget(table);
        if (typeof target !== 'string') {
            this.refuse(table.first, table.last, table.rows.length + table.skipped.length, target.what);
            return;
        }
        const rows = new Map();
        const memory = new Map();
        for (const { stat } of table.rows) {
            if (target === 'kernels' && stat.name.startsWith('MEMORY_COPY_'))
                addRow(memory, canonicalKey('memTime', stat.name), stat);
            else
                addRow(rows, canonicalKey(target, stat.name), stat);
        }
        const capture = this.capture(target, table.first, table.last, table.version);
        capture.tables[target] = rows;
        capture.reports[target] = `${table.version}:${table.hint ?? 'stats'}`;
        if (memory.size > 0 && !capture.tables.memTime) {
            capture.tables.memTime = memory;
            capture.reports.memTime = `${table.version}:${table.hint ?? 'stats'}`;
        }
        const where = `lines ${table.first}\u2013${table.last}`;
        if (table.rows.length === 0 && table.skipped.length === 0)
            capture.notes.push(noRows(`${table.version} table`, where, table));
        if (table.skipped.length > 0)
            capture.notes.push({
                code: 'rows-unreadable',
                severity: 'warning',
                message: `${table.skipped.length} line${table.skipped.length === 1 ? '' : 's'} of the ${table.version} table at ${where} ${table.skipped.length === 1 ? 'is' : 'are'} not a consistent row and ${table.skipped.length === 1 ? 'was' : 'were'} left out (line${table.skipped.length === 1 ? '' : 's'} ${table.skipped.slice(0, 5).join(', ')})`,
                line: table.skipped[0],
                table: target
            });
        if (table.rows.length > 0 && table.shares > 101)
            capture.notes.push({
                code: 'rows-extra',
                severity: 'warning',
                message: `the "Percentage" shares of the ${table.version} table at ${where} add up to ${Math.round(table.shares * 10) / 10}%, more than 100%: rows of another table or run seem to be in it (stats files joined without a header?), so its rows are not one run's`,
                line: table.first,
                table: target
            });
        if (table.rows.length > 0 && table.shares < 99)
            capture.notes.push({
                code: 'rows-missing',
                severity: 'warning',
                message: `the "Percentage" shares of the ${table.version} table at ${where} add up to ${Math.round(table.shares * 10) / 10}%, not 100%: rows seem to be missing (an excerpt?), so its total is not the run's total`,
                line: table.first,
                table: target
            });
        if (table.version === 'rocprof')
            capture.notes.push({
                code: 'min-max-unknown',
                severity: 'info',
                message: `rocprof v1 prints no minimum, maximum or deviation (the table at ${where}): min and max are recorded as their bounds, 0 and the total`,
                line: table.first
            });
    }
    endTrace(table) {
        const capture = this.capture('kernels', table.first, table.last, 'rocprofv3');
        const kernels = table.summary.tables().kernels ?? new Map();
        capture.tables.kernels = kernels;
        capture.reports.kernels = 'rocprofv3:kernel_trace';
        const timeline = table.timeline.finish();
        capture.tables.gpuIdle = timeline.gpuIdle;
        capture.tables.kernelShapes = timeline.kernelShapes;
        capture.reports.gpuIdle = capture.reports.kernelShapes = 'rocprofv3:kernel_trace';
        capture.timeline = timeline.timeline;
        capture.launches = timeline.launches;
        const where = `lines ${table.first}\u2013${table.last}`;
        if (table.dispatches === 0 && table.skipped.length === 0 && table.others === 0)
            capture.notes.push(noRows('kernel trace', where, table));
        if (table.skipped.length > 0)
            capture.notes.push({
                code: 'rows-unreadable',
                severity: 'warning',
                message: `${table.skipped.length} dispatch${table.skipped.length === 1 ? '' : 'es'} of the kernel trace at ${where} had no name, no valid start and end, or not the header's cells and ${table.skipped.length === 1 ? 'was' : 'were'} left out (line${table.skipped.length === 1 ? '' : 's'} ${table.skipped.slice(0, 5).join(', ')})`,
                line: table.skipped[0],
                table: 'kernels'
            });
        if (table.others > 0)
            capture.notes.push({
                code: 'trace-rows-ignored',
                severity: 'info',
                message: `${table.others} row${table.others === 1 ? '' : 's'} of the kernel trace at ${where} ${table.others === 1 ? 'is' : 'are'} not a KERNEL_DISPATCH and ${table.others === 1 ? 'was' : 'were'} ignored`,
                line: table.first
            });
    }
    capture(target, first, last, profiler) {
        let capture = this.captures.at(-1);
        if (!capture || capture.tables[target] !== undefined || capture.profiler !== profiler) {
            capture = { first, last, profiler, tables: {}, reports: {}, notes: [] };
            this.captures.push(capture);
        }
        capture.last = last;
        return capture;
    }
    noteHeaderless() {
        const lines = this.headerless;
        this.notes.push({
            code: 'headerless-rows',
            severity: 'warning',
            message: `${lines.length} line${lines.length === 1 ? '' : 's'} look${lines.length === 1 ? 's' : ''} like rows of a rocprof stats table with no header above ${lines.length === 1 ? 'it' : 'them'} (an excerpt?); not read (line${lines.length === 1 ? '' : 's'} ${lines.slice(0, 5).join(', ')}${lines.length > 5 ? ', \u2026' : ''})`,
            line: lines[0]
        });
    }
}
function isStatsHeader(names) {
    if (names.length !== STATS_COLUMNS.length &&
        names.length !== STATS_COLUMNS.length + V3_COLUMNS.length)
        return false;
    return [...STATS_COLUMNS, ...V3_COLUMNS].slice(0, names.length).every((n, i) => names[i] === n);
}
function indexOf(names) {
    const out = {};
    names.forEach((n, i) => {
        out[n] = i;
    });
    return out;
}
const GIVE_KERNELS = "give the kernel trace (*_kernel_trace.csv, from rocprofv3 --kernel-trace --output-format csv) or the kernel stats (*_kernel_stats.csv, from --stats) of the run, or rocprof v1's results.stats.csv (rocprof --stats)";
function statsTarget(table) {
    const hint = table.hint;
    if (hint) {
        if (hint === 'stats' || hint === 'kernel_stats')
            return 'kernels';
        if (hint.endsWith('copy_stats'))
            return 'memTime';
        if (/^(?:hip|hsa)(?:_api)?_stats$/.test(hint))
            return 'cudaApi';
        return {
            what: `rocprofv3's ${hint}.csv (${hint === 'domain_stats' ? 'the time of each tracing domain: HIP API, kernel dispatch, memory copy, \u2026' : 'the calls of a domain other than kernels, memory copies and HIP/HSA API'}), not kernel times: it is not read; ${GIVE_KERNELS}`
        };
    }
    const names = table.rows.map((r) => r.stat.name);
    if (names.length > 0 &&
        names.every((n) => /^[A-Z][A-Z0-9_]{0,60}$/.test(n)) &&
        names.some((n) => n === 'KERNEL_DISPATCH' || n === 'MEMORY_COPY' || n.endsWith('_API')))
        return {
            what: `rocprofv3's domain stats (*_domain_stats.csv: rows are tracing domains such as ${names
                .slice(0, 3)
                .join(', ')}), not kernel times: it is not read; ${GIVE_KERNELS}`
        };
    if (names.length > 0 && names.every((n) => /^(?:hip|hsa_)\w{0,200}$/.test(n)))
        return 'cudaApi';
    return 'kernels';
}
function refusedTable(names, trace) {
    if (trace && (names.includes('Counter_Name') || names.includes('Counter_Value')))
        return `rocprofv3's counter collection (*_counter_collection.csv, from --pmc: one row per dispatch and counter), not a kernel trace: it is not read; ${GIVE_KERNELS}`;
    if (names[0] === 'Index' && names[1] === 'KernelName')
        return `rocprof v1's per-dispatch results.csv (one row per dispatch), not its --stats summary: it is not read; give results.stats.csv (rocprof --stats), or profile with rocprofv3 and give its *_kernel_trace.csv or *_kernel_stats.csv`;
    return undefined;
}
function readStamp(cell, out) {
    if (cell === undefined)
        return false;
    if (cell.length > 15) {
        const digits = /^\s*(\d{7,12})(\d{9})\s*$/.exec(cell);
        if (digits) {
            out.high = Number(digits[1]);
            out.low = Number(digits[2]);
            return true;
        }
    }
    const value = csvNumber(cell);
    if (value === undefined || !(value >= 0 && value <= Number.MAX_SAFE_INTEGER))
        return false;
    out.high = 0;
    out.low = value;
    return true;
}
function difference(a, b) {
    return (a.high - b.high) * 1e9 + (a.low - b.low);
}
function integerIn(cell) {
    if (cell === undefined)
        return undefined;
    const match = /^\s*(?:[A-Za-z]{1,20} ?)?(\d{1,15})\s*$/.exec(cell);
    return match?.[1] === undefined ? undefined : Number(match[1]);
}
function dims(cell, prefix) {
    const [x, y, z] = ['X', 'Y', 'Z'].map((axis) => integerIn(cell(`${prefix}_${axis}`)));
    return x !== undefined && y !== undefined && z !== undefined ? [x, y, z] : undefined;
}
function noRows(what, where, table) {
    const ended = table.endedBy;
    return {
        code: 'table-without-rows',
        severity: 'warning',
        message: ended
            ? `the ${what} at ${where} has a header and no rows: line ${ended.line}, after it, has ${ended.cells} cells where the header has ${table.width} (a damaged header or row?)`
            : `the ${what} at ${where} has a header and no rows: the profiled program ran no kernel in its window, or the file was cut after its header`,
        line: table.first
    };
}
function isTraceHeader(names) {
    return (names.includes('Kernel_Name') &&
        names.includes('Start_Timestamp') &&
        names.includes('End_Timestamp'));
}
function isHeader(names) {
    return isStatsHeader(names) || isTraceHeader(names);
}

async function loadRocprof(path, choice = {}, expect) {
    regularFile(path);
    const parser = new RocprofParser(path, node_path.basename(path));
    await forEachLine(readChunks(path), { text: (line, lineNo) => parser.push(line, lineNo) }, { source: path });
    const result = parser.finish();
    const other = result.captures.find((c) => expect !== undefined && c.profiler !== expect);
    if (other)
        throw new InputError(`holds ${other.profiler} output (lines ${other.first}\u2013${other.last}), not ${expect}: name the format it is (--input-format ${other.profiler}), or let nsys-bench detect it`, { file: path });
    return chooseCaptures(result, choice).map((capture) => rocprofProfile(result, capture));
}
function chooseCaptures(result, choice) {
    const { captures, source } = result;
    if (captures.length === 0) {
        const refused = result.notes.filter((n) => n.code === 'table-not-read');
        if (refused.length > 0)
            throw new InputError(`holds no table nsys-bench reads: ${refused
                .slice(0, 3)
                .map((n) => n.message)
                .join('; ')}${refused.length > 3 ? `; and ${refused.length - 3} more` : ''}`, { file: source });
        const why = result.notes.map((n) => n.message).join('; ');
        throw new InputError(`found no rocprof table: nsys-bench reads rocprof's results.stats.csv ` +
            '("Name","Calls","TotalDurationNs","AverageNs","Percentage"), rocprofv3\'s *_kernel_stats.csv and *_kernel_trace.csv' +
            (why ? `. What the input shows: ${why}` : ''), { file: source });
    }
    if (choice.lines)
        throw new InputError('--lines chooses lines of nsys stats text, not of rocprof output', {
            file: source
        });
    if (choice.capture !== undefined) {
        const capture = captures[choice.capture - 1];
        if (!capture)
            throw new InputError(`there is no capture ${choice.capture}: the input holds ${captures.length} (${describe(captures)})`, { file: source });
        return [capture];
    }
    if (captures.length === 1 || choice.captures === 'runs')
        return captures;
    throw new InputError(`holds ${captures.length} captures of rocprof output (${describe(captures)}): tables of the same kind from different runs (or processes); ` +
        `nsys-bench never mixes them. Choose one with \`--capture N\`${choice.oneRun ? '' : ', or read each as one run with `--captures runs`'}.`, { file: source });
}
function describe(captures) {
    const shown = captures
        .slice(0, 10)
        .map((c, i) => `${i + 1}: lines ${c.first}\u2013${c.last}`)
        .join(', ');
    return captures.length > 10 ? `${shown}, \u2026` : shown;
}
function rocprofProfile(result, capture) {
    const meta = emptyMeta(TOOL);
    meta.profiler = { name: capture.profiler };
    const source = result.captures.length > 1
        ? `${result.source} (capture ${result.captures.indexOf(capture) + 1})`
        : result.source;
    meta.sources.push(source);
    meta.reports = { ...capture.reports };
    for (const note of [...result.notes, ...capture.notes])
        meta.notes.push({
            code: note.code,
            severity: note.severity,
            message: `${visible(clip(source, 300))}: ${note.message}`,
            ...(note.table ? { table: note.table } : {})
        });
    const profile = { meta, tables: { ...capture.tables } };
    if (capture.timeline)
        profile.timeline = capture.timeline;
    if (capture.launches)
        profile.launches = capture.launches;
    return profile;
}
const KERNEL_TRACE = /_kernel_trace\.csv$/i;
const KERNEL_STATS = /_kernel_stats\.csv$/i;
const COUNTER_COLLECTION = /_counter_collection\.csv$/i;
const KERNEL_FILE = /(?:kernel_trace|kernel_stats)\.csv$/i;
const PROCESS_STATS = [
    { suffix: 'hip_api_stats.csv', what: "rocprofv3's HIP API statistics" },
    { suffix: 'memory_copy_stats.csv', what: "rocprofv3's memory-copy statistics" }
];
const DOMAINS = {
    hip_api: ['HIP API', 'call'],
    hsa_api: ['HSA API', 'call'],
    marker_api: ['marker (ROCTx) API', 'call'],
    rccl_api: ['RCCL API', 'call'],
    rocdecode_api: ['rocDecode API', 'call'],
    rocjpeg_api: ['rocJPEG API', 'call'],
    memory_copy: ['memory-copy', 'copy'],
    memory_allocation: ['memory-allocation', 'allocation'],
    scratch_memory: ['scratch-memory', 'operation']
};
const DOMAIN_FILE = new RegExp(`_(${Object.keys(DOMAINS).join('|')})_(trace|stats)\\.csv$`, 'i');
async function loadRocprofv3Run(files) {
    const traces = files.filter((f) => KERNEL_TRACE.test(f));
    const stats = files.filter((f) => KERNEL_STATS.test(f));
    const read = traces.length > 0 ? traces : stats;
    const counters = files.filter((f) => COUNTER_COLLECTION.test(f));
    if (read.length === 0 && counters.length > 0)
        throw new InputError(`rocprofv3 wrote only counter collection (${listedFiles(counters)}: one row per dispatch and counter, not kernel times), no kernel trace or kernel stats: profile with \`rocprofv3 --kernel-trace --stats --output-format csv\` (counters are collected in a run of their own), and give its output directory or *_kernel_trace.csv`);
    if (read.length === 0)
        throw new InputError(`rocprofv3 wrote no kernel trace or kernel stats (*_kernel_trace.csv, *_kernel_stats.csv)${files.length > 0 ? `; it wrote ${listedFiles(files)}` : ': its output directory is empty'}. Did the command launch GPU kernels?`);
    const prefixes = new Set(read.map((f) => f.replace(KERNEL_FILE, '')));
    const byName = new Map(files.map((f) => [lower(f), f]));
    const taken = new Set(read);
    const profiles = [];
    for (const path of read) {
        const profile = await oneProfile(path);
        const prefix = path.replace(KERNEL_FILE, '');
        for (const { suffix, what } of PROCESS_STATS) {
            const found = byName.get(lower(prefix + suffix));
            if (found === undefined)
                continue;
            taken.add(found);
            await addProcessStats(profile, found, what);
        }
        profiles.push(profile);
    }
    const beside = traces.length > 0 ? stats.filter((f) => prefixes.has(f.replace(KERNEL_FILE, ''))) : [];
    for (const f of beside)
        taken.add(f);
    const notes = [];
    if (beside.length > 0)
        notes.push({
            code: 'rocprof-stats-not-read',
            severity: 'info',
            message: read.length === 1
                ? 'the kernel trace is read (every dispatch); the kernel stats beside it (*_kernel_stats.csv) sum the same dispatches and are archived, not read'
                : `the kernel traces are read (every dispatch); the kernel stats beside them (*_kernel_stats.csv, ${beside.length} files) sum the same dispatches and are archived, not read`
        });
    const readNames = new Set([...taken].map(lower));
    notes.push(...ignoredNotes(files.filter((f) => !taken.has(f)), traces.length > 0, readNames));
    const [first] = profiles;
    const run = profiles.length === 1 && first
        ? first
        : mergeProcesses(profiles, read, traces.length > 0 ? 'kernel traces' : 'kernel stats');
    run.meta.notes.push(...notes);
    return run;
}
function lower(path) {
    return path.toLowerCase();
}
async function oneProfile(path) {
    const [profile, ...more] = await loadRocprof(path, {}, 'rocprofv3');
    if (!profile || more.length > 0)
        throw new InputError(`holds ${more.length + 1} captures: one rocprofv3 process writes one table per file`, { file: path });
    return profile;
}
async function addProcessStats(profile, path, what) {
    const shown = visible(clip(path, 300));
    let stats;
    try {
        stats = await oneProfile(path);
    }
    catch (error) {
        if (!(error instanceof InputError))
            throw error;
        profile.meta.notes.push({
            code: 'file-ignored',
            severity: 'warning',
            message: `${shown}: ${what} of the process, not read: ${error.detail}; ignored`
        });
        return;
    }
    profile.meta.sources.push(...stats.meta.sources);
    profile.meta.notes.push(...stats.meta.notes);
    for (const table of TABLE_NAMES) {
        const rows = stats.tables[table];
        if (rows === undefined)
            continue;
        if (profile.tables[table] !== undefined) {
            profile.meta.notes.push({
                code: 'rocprof-table-twice',
                severity: 'info',
                message: `${shown}: ${what} hold the ${TABLES[table].title} table (${table}), which the kernel file of the process (${visible(clip(profile.meta.sources[0] ?? '', 300))}) already holds: the kernel file's is kept, this one is not read`,
                table
            });
            continue;
        }
        profile.tables[table] = rows;
        profile.meta.reports[table] = stats.meta.reports[table] ?? 'rocprofv3';
    }
}
function ignoredNotes(paths, traced, read) {
    const kinds = new Map();
    for (const path of paths) {
        const kind = unreadKind(path, traced, read);
        const key = `${kind.severity}\u0000${kind.pattern ?? ''}\u0000${kind.what}`;
        const entry = kinds.get(key) ?? { kind, paths: [] };
        entry.paths.push(path);
        kinds.set(key, entry);
    }
    return [...kinds.values()].map(({ kind, paths: some }) => ({
        code: 'file-ignored',
        severity: kind.severity,
        message: kind.pattern === undefined
            ? `${listedFiles(some)}: ${kind.what}; ignored`
            : `${kind.pattern} (${some.length === 1 ? 'one file' : `${some.length} files`}): ${kind.what}, not read; ignored`
    }));
}
function unreadKind(path, traced, read) {
    const named = (what, severity = 'info') => ({
        what,
        severity
    });
    const counted = (what, pattern) => ({
        what,
        severity: 'info',
        pattern
    });
    const stats = PROCESS_STATS.find(({ suffix }) => lower(path).endsWith(`_${suffix}`));
    if (stats)
        return named(`${stats.what} of a process whose kernels are not read (no kernel trace or kernel stats of it is: did it launch no kernel?), not read: the run's tables are those of the processes whose kernels are read`);
    if (KERNEL_STATS.test(path) && traced)
        return named("rocprofv3's kernel stats of a process with no kernel trace, while other processes' kernel traces are read: not read (a run is read from kernel traces, or else from kernel stats), so this process's kernels are missing from the run", 'warning');
    if (COUNTER_COLLECTION.test(path))
        return counted("rocprofv3's counter collection (--pmc: one row per dispatch and counter, not kernel times)", '*_counter_collection.csv');
    if (/_agent_info\.csv$/i.test(path))
        return counted("rocprofv3's agent information (the node's CPUs and GPUs)", '*_agent_info.csv');
    if (/_domain_stats\.csv$/i.test(path))
        return counted("rocprofv3's domain statistics (time per tracing domain)", '*_domain_stats.csv');
    const domain = DOMAIN_FILE.exec(path);
    if (domain) {
        const id = domain[1].toLowerCase();
        const type = domain[2].toLowerCase();
        const [name, row] = DOMAINS[id] ?? [id, 'event'];
        const pattern = `*_${id}_${type}.csv`;
        if (type === 'stats')
            return counted(`rocprofv3's ${name} statistics${id === 'hsa_api' ? ' (API calls are read from the HIP API statistics)' : ''}`, pattern);
        const stats = PROCESS_STATS.find(({ suffix }) => suffix === `${id}_stats.csv`);
        const beside = stats && `${path.slice(0, domain.index + 1)}${stats.suffix}`;
        return counted(`rocprofv3's ${name} trace (one row per ${row}${beside === undefined ? '' : read.has(lower(beside)) ? `; its process's ${name} statistics are read` : `; no ${name} statistics of its process are read`})`, pattern);
    }
    if (/_trace\.csv$/i.test(path))
        return named('a rocprofv3 trace of a kind nsys-bench does not read, not read');
    if (/_stats\.csv$/i.test(path))
        return named('rocprofv3 statistics of a kind nsys-bench does not read, not read');
    return named("not a file nsys-bench reads in a rocprofv3 output directory (it reads <pid>_kernel_trace.csv, else <pid>_kernel_stats.csv, each with its process's <pid>_hip_api_stats.csv and <pid>_memory_copy_stats.csv)");
}
function listedFiles(files) {
    return listed(files, 6, (f) => quoted(f, 200));
}
function mergeProcesses(profiles, paths, what) {
    const meta = emptyMeta(TOOL);
    meta.profiler = { name: 'rocprofv3' };
    meta.sources.push(...profiles.flatMap((p) => p.meta.sources));
    const tables = {};
    const partial = [];
    const devices = profiles.flatMap((p) => p.timeline?.devices ?? []);
    const ids = devices.map((d) => d.device);
    const shared = ids.filter((id, i) => ids.indexOf(id) !== i);
    const timed = profiles.every((p) => p.timeline !== undefined) && shared.length === 0;
    for (const table of TABLE_NAMES) {
        const lacking = paths.filter((_, i) => profiles[i]?.tables[table] === undefined);
        if (lacking.length > 0) {
            if (lacking.length < profiles.length)
                partial.push({
                    code: 'rocprof-table-partial',
                    severity: 'warning',
                    message: `the ${TABLES[table].title} table (${table}) is read for ${profiles.length - lacking.length} of the ${profiles.length} processes, not for the process${lacking.length === 1 ? '' : 'es'} of ${listedFiles(lacking)}: it is left out of the run, since a sum over some processes is not the run's`,
                    table
                });
            continue;
        }
        if (table === 'gpuIdle' && !timed)
            continue;
        const merged = new Map();
        for (const p of profiles)
            for (const [key, stat] of p.tables[table])
                addRow(merged, key, { ...stat });
        tables[table] = merged;
        meta.reports[table] = profiles[0]?.meta.reports[table] ?? 'rocprofv3';
    }
    for (const p of profiles)
        meta.notes.push(...p.meta.notes);
    meta.notes.push(...partial);
    meta.notes.push({
        code: 'rocprof-processes',
        severity: 'info',
        message: `${profiles.length} processes' ${what} (${listedFiles(paths)}) are summed into one run, as nsys sums the GPUs of a run`
    });
    const profile = { meta, tables };
    if (profiles.every((p) => p.launches !== undefined)) {
        const launches = new Map();
        for (const p of profiles)
            for (const [key, entry] of p.launches ?? []) {
                const have = launches.get(key);
                if (have)
                    have.sketch.merge(entry.sketch);
                else
                    launches.set(key, { name: entry.name, sketch: entry.sketch });
            }
        profile.launches = launches;
    }
    if (timed)
        profile.timeline = { devices: devices.sort((a, b) => a.device - b.device) };
    else if (devices.length > 0)
        meta.notes.push({
            code: 'rocprof-timeline-shared',
            severity: 'warning',
            message: `two processes ran kernels on the same GPU (agent ${[...new Set(shared)].join(', ')}): their timelines, read from separate files, cannot be put together, so the GPU idle analysis is left out; the kernel tables and per-launch distributions are summed`
        });
    return profile;
}

async function loadInput(path, options = {}) {
    const kind = inspect(path);
    if (kind === 'directory') {
        if (options.lines)
            throw new InputError(`${quoted(path)} is a directory; --lines chooses lines of one nsys stats text: give the file whose lines you mean`);
        if (options.format === 'rocprofv3') {
            const found = await rocprofv3Files(path);
            if (!found.kernels)
                throw new InputError(`${quoted(path)} has no rocprofv3 kernel trace or kernel stats (<host>/<pid>_kernel_trace.csv, _kernel_stats.csv): give rocprofv3's output directory (-d), or its files`);
            return [await loadRocprofv3Dir(found)];
        }
        if (options.format !== undefined &&
            options.format !== 'nsys' &&
            options.format !== 'profile-json' &&
            options.format !== 'chrome')
            throw new InputError(`${quoted(path)} is a directory; ${options.format} input is read from files: give each file (one run each)`);
        return loadDirectory(path, options);
    }
    const format = options.format ??
        (kind === 'report' || compressedReport(path, kind) ? 'nsys' : sniffFormat(path, kind));
    if (kind === 'gzip' && format !== 'chrome' && format !== 'nsys')
        throw new InputError(`${quoted(path)} is gzip-compressed, and ${FORMAT_NAMES[format]} is read as plain text: decompress it (gunzip), or leave the format to be detected`);
    if (options.lines && format !== 'nsys')
        throw new InputError(`${quoted(path)} is ${FORMAT_NAMES[format]}; --lines chooses lines of nsys stats text`);
    switch (format) {
        case 'chrome':
            if (options.capture !== undefined && options.capture !== 1)
                throw new InputError(`${quoted(path)} is a Chrome trace: it holds one capture`);
            return [await loadChromeTrace(path)];
        case 'rocprof':
        case 'rocprofv3':
            return loadRocprof(path, options, options.format === undefined ? undefined : format);
        case 'profile-json':
            return [await loadProfileJson(path, options.progress)];
        case 'nsys':
            return loadFile(path, kind, options);
    }
}
const FORMAT_NAMES = {
    nsys: 'nsys stats output',
    chrome: 'a Chrome trace (PyTorch profiler, Perfetto, rpd2tracing)',
    rocprof: 'rocprof output',
    rocprofv3: 'rocprofv3 output',
    'profile-json': 'a profile JSON'
};
function compressedReport(path, kind) {
    return kind === 'gzip' && reportFileName(node_path.basename(path), allReportNames())?.compressed === true;
}
async function loadRun(paths, options = {}) {
    options = { ...options, oneRun: true };
    if (paths.length === 1 && paths[0] !== undefined) {
        const runs = await loadInput(paths[0], options);
        if (runs.length !== 1 || !runs[0]) {
            throw new InputError(`${quoted(paths[0])} holds ${runs.length} runs; give one run (compare takes several per side)`);
        }
        return runs[0];
    }
    const results = [];
    for (const path of paths) {
        const kind = inspect(path);
        if (kind === 'directory')
            throw new InputError(`${quoted(path)} is a directory; to read one run from several inputs, give files`);
        const compressed = compressedReport(path, kind);
        const format = options.format ??
            (kind === 'text' ? sniffFormat(path, kind) : compressed ? 'nsys' : undefined);
        if ((kind !== 'text' && !compressed) || format !== 'nsys')
            throw new InputError(`${quoted(path)} is ${format ? FORMAT_NAMES[format] : 'not nsys stats output'}; only nsys report files combine into one run (give one input for one run)`);
        results.push(oneCapture(splitCaptures(await readStatsFile(path, options), options), path));
    }
    return assembleProfile(results, TOOL, paths.join(', '));
}
function oneCapture(parts, path) {
    const [part] = parts;
    if (parts.length === 1 && part)
        return part;
    throw new InputError(`${quoted(path)} holds ${parts.length} captures, and it is one of several report files read as one run: ` +
        'captures are never mixed. Choose one with --capture N.');
}
const CONCURRENT_FILES = 4;
async function inOrder(items, work, limit = CONCURRENT_FILES) {
    const results = new Array(items.length);
    let failed;
    let next = 0;
    const worker = async () => {
        while (next < items.length && (failed === undefined || next < failed.at)) {
            const i = next++;
            try {
                results[i] = await work(items[i]);
            }
            catch (error) {
                if (failed === undefined || i < failed.at)
                    failed = { at: i, error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    if (failed)
        throw failed.error;
    return results;
}
async function loadDirectory(dir, options) {
    const names = listDirectory(dir);
    const known = allReportNames();
    const bases = new Map();
    const profiles = [];
    const traces = [];
    const named = options.format === 'nsys' || options.format === 'profile-json';
    const reports = [];
    const ignored = [];
    const stray = [];
    const plain = new Set(names);
    const duplicates = [];
    for (const name of names) {
        const file = reportFileName(name, known);
        if (file) {
            if (lookupReport(file.report).kind !== 'used') {
                ignored.push(name);
                continue;
            }
            if (file.compressed && plain.has(name.slice(0, -3))) {
                duplicates.push(name);
                continue;
            }
            const list = bases.get(file.base) ?? [];
            list.push(name);
            bases.set(file.base, list);
        }
        else if (name === HISTORY_FILE) {
            continue;
        }
        else if (/\.json\.gz$/i.test(name) && !named) {
            traces.push(name);
        }
        else if (node_path.extname(name).toLowerCase() === '.json') {
            profiles.push(name);
        }
        else if (/\.(nsys-rep|qdrep|sqlite)$/.test(name)) {
            reports.push(name);
        }
        else {
            stray.push(name);
        }
    }
    const unread = (runBases) => unreadNotes(dir, names, known, {
        stray,
        reports,
        unused: [...ignored, ...duplicates].filter((name) => !runBases.has(reportFileName(name, known)?.base ?? ''))
    });
    if (profiles.length > 0 && (options.format === 'chrome' || (!named && bases.size === 0))) {
        const formats = profiles.map((name) => {
            const path = node_path.join(dir, name);
            const kind = inspect(path);
            return kind === 'json' || kind === 'text' || kind === 'gzip'
                ? sniffFormat(path, kind)
                : undefined;
        });
        const chrome = profiles.filter((_, i) => formats[i] === 'chrome');
        traces.push(...chrome);
        profiles.splice(0, profiles.length, ...profiles.filter((_, i) => formats[i] !== 'chrome'));
    }
    if (traces.length > 0) {
        if (bases.size > 0 || profiles.length > 0)
            throw new InputError(`${quoted(dir)} holds Chrome traces (${listed(traces.sort(), 3, (t) => quoted(t))}) and ${bases.size > 0 ? 'nsys stats files' : `profile JSONs (${listed(profiles, 3, (p) => quoted(p))})`}: a directory of traces is one run, one trace per rank; keep one kind per directory`);
        const run = await loadChromeTraces(traces.sort().map((name) => node_path.join(dir, name)));
        run.meta.notes.push(...unread(new Set()));
        return [run];
    }
    if (options.format === 'chrome')
        throw new InputError(`${quoted(dir)} has no Chrome trace (*.json, *.json.gz): a directory of traces is one run, one trace per rank`);
    if (bases.size > 0 && profiles.length > 0) {
        throw new InputError(`${quoted(dir)} holds both nsys stats files and JSON files (${profiles
            .slice(0, 3)
            .map((p) => quoted(p))
            .join(', ')}); keep one kind per directory`);
    }
    if (profiles.length > 0) {
        const runs = await inOrder(profiles, (name) => loadProfileJson(node_path.join(dir, name), options.progress), 2);
        const notes = unread(new Set());
        for (const run of runs)
            run.meta.notes.push(...notes.map((n) => ({ ...n })));
        return runs;
    }
    if (bases.size === 0 && !named) {
        const rocprof = await rocprofv3Files(dir);
        if (rocprof.kernels)
            return [await loadRocprofv3Dir(rocprof)];
    }
    if (bases.size === 0) {
        const hint = reports.length > 0
            ? ` It has ${reports
                .slice(0, 3)
                .map((r) => quoted(r))
                .join(', ')}: turn a report into stats files with ` +
                '`LC_ALL=C nsys stats --force-export=true --force-overwrite=true --format csv:noconv ' +
                '--report cuda_gpu_kern_sum,cuda_api_sum,cuda_gpu_mem_time_sum,cuda_gpu_mem_size_sum,nvtx_sum,osrt_sum ' +
                '--output <dir>/run <report>.nsys-rep` (the action does this for you).'
            : '';
        throw new InputError(`${quoted(dir)} has no nsys stats output files (<base>_<report>.csv, e.g. run_cuda_gpu_kern_sum.csv) and no profile JSON.${hint}`);
    }
    const files = [...bases.values()].flat();
    const parsed = await inOrder(files, async (name) => {
        const path = node_path.join(dir, name);
        regularFile(path);
        return oneCapture(splitCaptures(await readStatsFile(path), options), path);
    });
    const runs = [];
    const notes = unread(new Set(bases.keys()));
    let next = 0;
    for (const [base, names] of bases) {
        const results = parsed.slice(next, (next += names.length));
        const profile = assembleProfile(results, TOOL, `${node_path.join(dir, base)}_*`);
        for (const name of ignored) {
            if (name.startsWith(`${base}_`))
                profile.meta.notes.push({
                    code: 'file-ignored',
                    severity: 'info',
                    message: `${node_path.join(dir, name)}: not a report nsys-bench reads; ignored`
                });
        }
        for (const name of duplicates) {
            if (name.startsWith(`${base}_`))
                profile.meta.notes.push({
                    code: 'file-ignored',
                    severity: 'info',
                    message: `${node_path.join(dir, name)}: the same report as ${node_path.join(dir, name.slice(0, -3))} beside it, which is read; ignored`
                });
        }
        profile.meta.notes.push(...notes.map((n) => ({ ...n })));
        runs.push(profile);
    }
    return runs;
}
function unreadNotes(dir, names, known, files) {
    const notes = [];
    const present = new Set(names);
    for (const name of files.stray) {
        const path = node_path.join(dir, name);
        const fixed = reportLikeName(name, known);
        if (fixed === undefined) {
            notes.push({
                code: 'file-ignored',
                severity: 'info',
                message: isDirectory(path)
                    ? `${path}: a directory inside an input directory, not looked into; ignored`
                    : `${path}: not a file nsys-bench reads in an input directory (nsys stats files <base>_<report>.csv, profile JSONs *.json, Chrome traces *.json or *.json.gz); ignored`
            });
            continue;
        }
        notes.push({
            code: 'file-ignored',
            severity: 'warning',
            message: present.has(fixed)
                ? `${path}: named like the report file ${fixed} beside it (a copy?), and not read: if it holds another run, rename it with a base name of its own (<base>_<report>.csv, as nsys stats --output writes it)`
                : `${path}: named like a report file, but not as nsys stats --output names one (a copy's suffix, or an extension in capitals?), so it was not read: rename it to ${fixed} to read it`
        });
    }
    for (const name of files.reports)
        notes.push({
            code: 'file-ignored',
            severity: 'info',
            message: `${node_path.join(dir, name)}: an Nsight Systems report, not read (nsys-bench reads the stats exported from it with nsys stats); ignored`
        });
    for (const name of files.unused)
        notes.push({
            code: 'file-ignored',
            severity: 'info',
            message: `${node_path.join(dir, name)}: not a report nsys-bench reads, and no run of its base name was read; ignored`
        });
    return notes;
}
function isDirectory(path) {
    try {
        return node_fs.statSync(path).isDirectory();
    }
    catch {
        return false;
    }
}
function reportLikeName(name, known) {
    const m = /^(.+?)(?: \(\d+\)| - Copy(?: \(\d+\))?| copy(?: \d+)?)?(\.(?:csv|tsv|json)(?:\.gz)?)$/i.exec(name);
    if (!m)
        return undefined;
    const fixed = `${m[1]}${m[2].toLowerCase()}`;
    const read = (candidate) => {
        const file = reportFileName(candidate, known);
        return file !== undefined && lookupReport(file.report).kind === 'used';
    };
    if (fixed !== name && read(fixed))
        return fixed;
    const lower = fixed.toLowerCase();
    const file = reportFileName(lower, known);
    if (!file || lower.length !== fixed.length || !read(lower))
        return undefined;
    const renamed = `${fixed.slice(0, file.base.length)}${lower.slice(file.base.length)}`;
    return renamed === name ? undefined : renamed;
}
async function rocprofv3Files(dir) {
    const files = [];
    const notes = [];
    const walk = async (at, depth) => {
        let entries;
        try {
            entries = await promises.readdir(at, { withFileTypes: true });
        }
        catch (error) {
            throw fsError(at, error);
        }
        for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
            const path = node_path.join(at, e.name);
            if (e.isFile())
                files.push(path);
            else if (e.isDirectory() && depth < 2)
                await walk(path, depth + 1);
            else
                notes.push({
                    code: 'file-ignored',
                    severity: 'info',
                    message: e.isDirectory()
                        ? `${path}: a directory deeper inside a rocprofv3 output directory than rocprofv3 writes (<dir>/<host>/<pid>_\u2026), not looked into; ignored`
                        : `${path}: not a regular file (a link, a pipe, \u2026), not read in a rocprofv3 output directory; ignored`
                });
        }
    };
    await walk(dir, 0);
    const kernels = files.some((f) => /_(?:kernel_trace|kernel_stats|counter_collection)\.csv$/i.test(f));
    return { files, kernels, notes };
}
async function loadRocprofv3Dir(found) {
    const run = await loadRocprofv3Run(found.files);
    run.meta.notes.push(...found.notes);
    return run;
}
async function loadFile(path, kind, options) {
    if (kind === 'gzip' && !compressedReport(path, kind))
        throw new InputError(`${quoted(path)} is gzip-compressed, and nsys stats output is plain text unless its name is a report file's (<base>_<report>.csv.gz, as the action keeps GPU traces); if it is a PyTorch profiler or Perfetto trace, read it as one (--input-format chrome, or no --input-format).`);
    switch (kind) {
        case 'report':
            throw new InputError(`${quoted(path)} is an Nsight Systems report, not stats output. Export its stats first: ` +
                '`LC_ALL=C nsys stats --force-export=true --force-overwrite=true --format csv:noconv ' +
                '--report cuda_gpu_kern_sum,cuda_api_sum,cuda_gpu_mem_time_sum,cuda_gpu_mem_size_sum,nvtx_sum,osrt_sum ' +
                '--output out/run <report>` and pass the out/ directory (the action does this for you).');
        case 'json':
            if (options.format === 'nsys')
                throw new InputError(`${quoted(path)} is a profile JSON, not nsys stats output: name it profile-json (--input-format, profile-format), or leave the format to be detected`);
            if (options.lines)
                throw new InputError(`${quoted(path)} is a profile JSON; --lines chooses lines of nsys stats text`);
            return [await loadProfileJson(path, options.progress)];
        case 'gzip':
        case 'text': {
            const parts = splitCaptures(await readStatsFile(path, options), options);
            return parts.map((part) => assembleProfile([part], TOOL, part.source));
        }
    }
}
async function readStatsFile(path, options = {}) {
    const name = node_path.basename(path);
    const file = reportFileName(name, allReportNames());
    const strict = file && file.ext !== 'json' ? true : /\.(csv|tsv)$/i.test(name) ? 'auto' : false;
    const parserOptions = {
        source: path,
        strict: options.lines ? false : strict,
        ...(file ? { report: { name: file.report, variant: file.variant } } : {})
    };
    const compressed = file?.compressed === true;
    const inWorker = options.lines || compressed ? undefined : await readTraceInWorker(path, parserOptions);
    return (inWorker ??
        parseNsysStats(compressed ? gunzipChunks(path) : readChunks(path), {
            ...parserOptions,
            ...(options.lines ? { lines: options.lines } : {})
        }));
}

const MAX_RULES_BYTES = 4 * 1024 * 1024;
async function readRulesFile(path, overrides) {
    if (path === undefined)
        return buildRules(undefined, overrides);
    const json = await readJsonFile(path, 'the rules file', MAX_RULES_BYTES);
    return buildRules(json, overrides, visible(clip(path, 200)));
}

function shorten(text, max) {
    if (text.length <= max)
        return text;
    const head = Math.ceil((max - 1) * 0.65);
    const tail = max - 1 - head;
    const start = takeStart(text, head);
    const end = tail > 0 ? takeEnd(text, tail) : '';
    if (start.length + end.length >= text.length)
        return text;
    return `${start}\u2026${end}`;
}
function shortenApart(names, max) {
    const byHash = new Map();
    let alike = false;
    for (const name of names) {
        if (name.length <= max && !name.includes('\u2026'))
            continue;
        const h = shownHash(name, max);
        const seen = byHash.get(h);
        if (seen === undefined)
            byHash.set(h, name);
        else if (seen !== name) {
            alike = true;
            if (typeof seen === 'string')
                byHash.set(h, [seen, name]);
            else
                seen.push(name);
        }
    }
    if (!alike)
        return (name) => shorten(name, max);
    const shownByAnother = (text, name) => {
        const seen = byHash.get(textHash(text, 0, text.length, HASH_SEED));
        if (seen === undefined)
            return false;
        const others = typeof seen === 'string' ? [seen] : seen;
        return others.some((other) => other !== name && shorten(other, max) === text);
    };
    const apart = new Map();
    const taken = new Set();
    for (const bucket of byHash.values()) {
        if (typeof bucket === 'string')
            continue;
        const groups = new Map();
        for (const name of bucket) {
            const shown = shorten(name, max);
            const group = groups.get(shown);
            if (group)
                group.push(name);
            else
                groups.set(shown, [name]);
        }
        for (const group of groups.values()) {
            if (group.length < 2)
                continue;
            group.sort();
            const first = group[0];
            const last = group[group.length - 1];
            for (const name of group) {
                if (apart.has(name))
                    continue;
                const differs = Math.min(commonStart(name, first), commonStart(name, last));
                let text = middleShown(name, differs, max);
                if (taken.has(text) || shownByAnother(text, name))
                    text = shorten(name, max * 4);
                if (taken.has(text) || shownByAnother(text, name))
                    text = name;
                taken.add(text);
                apart.set(name, text);
            }
        }
    }
    return (name) => apart.get(name) ?? shorten(name, max);
}
const HASH_SEED = 0x811c9dc5;
function textHash(text, start, end, h) {
    for (let i = start; i < end; i++)
        h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h;
}
function shownHash(name, max) {
    if (name.length <= max)
        return textHash(name, 0, name.length, HASH_SEED);
    const head = Math.ceil((max - 1) * 0.65);
    const tail = max - 1 - head;
    let i = 0;
    for (let k = 0; k < head && i < name.length; k++)
        i += isHigh(name.charCodeAt(i)) ? 2 : 1;
    i = Math.min(i, name.length);
    let j = name.length;
    if (tail > 0)
        for (let k = 0; k < tail && j > 0; k++)
            j -= isLow(name.charCodeAt(j - 1)) && j > 1 ? 2 : 1;
    j = Math.max(j, 0);
    if (i + (name.length - j) >= name.length)
        return textHash(name, 0, name.length, HASH_SEED);
    const h = Math.imul(textHash(name, 0, i, HASH_SEED) ^ 0x2026, 16777619);
    return textHash(name, j, name.length, h);
}
const APART = new WeakMap();
function shortenApartOf(owner, names, max) {
    let byLength = APART.get(owner);
    if (!byLength) {
        byLength = new Map();
        APART.set(owner, byLength);
    }
    let shown = byLength.get(max);
    if (!shown) {
        shown = shortenApart(names(), max);
        byLength.set(max, shown);
    }
    return shown;
}
function commonStart(a, b) {
    if (a === b)
        return a.length;
    const n = Math.min(a.length, b.length);
    let i = 0;
    while (i < n && a.charCodeAt(i) === b.charCodeAt(i))
        i++;
    return i;
}
function middleShown(name, differs, max) {
    if (name.length <= max)
        return name;
    const room = max - 2;
    const head = Math.floor(room * 0.35);
    const tail = Math.floor(room * 0.3);
    const width = room - head - tail;
    let from = Math.max(head, Math.min(differs - Math.floor(width / 4), name.length - tail - width));
    if (isLow(name.charCodeAt(from)))
        from += 1;
    if (from <= head)
        return `${takeStart(name, head + width)}\u2026${takeEnd(name, tail)}`;
    if (from + width >= name.length - tail)
        return `${takeStart(name, head)}\u2026${name.slice(from)}`;
    const middle = takeStart(name.slice(from), width);
    return `${takeStart(name, head)}\u2026${middle}\u2026${takeEnd(name, tail)}`;
}
function takeStart(text, n) {
    let i = 0;
    for (let k = 0; k < n && i < text.length; k++)
        i += isHigh(text.charCodeAt(i)) ? 2 : 1;
    return text.slice(0, Math.min(i, text.length));
}
function takeEnd(text, n) {
    let i = text.length;
    for (let k = 0; k < n && i > 0; k++)
        i -= isLow(text.charCodeAt(i - 1)) && i > 1 ? 2 : 1;
    return text.slice(Math.max(i, 0));
}
const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;
function codeSpan(name, maxLength = Infinity) {
    let text = blanksShown(visible(shorten(name, maxLength)));
    if (text.includes('|'))
        text = text.replace(/\\(?!u\{[0-9a-f]+\})/g, '\\u{5c}');
    return fenced(text, (inside) => inside.replace(/\|/g, '\\|'));
}
function inlineCode(text, maxLength = 200) {
    return fenced(blanksShown(visible(shorten(text, maxLength))), (inside) => inside);
}
function blanksShown(text) {
    return /^ +$/.test(text) ? text.replace(/ /g, '\\u{20}') : text;
}
function fenced(shown, escape) {
    let text = shown;
    let longest = 0;
    for (const run of text.match(/`+/g) ?? [])
        longest = Math.max(longest, run.length);
    const fence = '`'.repeat(longest + 1);
    if (text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')))
        text = ` ${text} `;
    if (text === '')
        text = ' ';
    return `${fence}${escape(text)}${fence}`;
}
function markdownText(text) {
    return (visible(text)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/([\\`*_[\]{}#+!|~])/g, '\\$1')
        .replace(/@/g, '@&#8203;')
        .replace(/\\#(?=\d)/g, '\\#&#8203;')
        .replace(/\bGH-(?=\d)/gi, (gh) => `${gh}&#8203;`)
        .replace(/:\/\//g, ':&#8203;//')
        .replace(/(?<![a-z0-9])www\./gi, (www) => `${www.slice(0, 3)}&#8203;.`));
}
function terminalText(text) {
    return visible(text);
}

function formatDuration(ns) {
    const abs = Math.abs(ns);
    if (abs < 1e3)
        return `${Math.round(ns)} ns`;
    if (abs < 1e6)
        return `${(ns / 1e3).toFixed(2)} µs`;
    if (abs < 1e9)
        return `${(ns / 1e6).toFixed(2)} ms`;
    return `${(ns / 1e9).toFixed(3)} s`;
}
function formatBytes(bytes) {
    const abs = Math.abs(bytes);
    if (abs < 1e3)
        return `${Math.round(bytes)} B`;
    if (abs < 1e6)
        return `${(bytes / 1e3).toFixed(2)} kB`;
    if (abs < 1e9)
        return `${(bytes / 1e6).toFixed(2)} MB`;
    return `${(bytes / 1e9).toFixed(2)} GB`;
}
function formatCalls(n) {
    return `${formatCount(n)} ${Math.abs(n) === 1 ? 'call' : 'calls'}`;
}
function formatValue(unit, value) {
    if (unit === 'calls')
        return formatCalls(value);
    return unit === 'ns' ? formatDuration(value) : formatBytes(value);
}
function formatDelta(unit, delta) {
    const text = formatValue(unit, Math.abs(delta));
    if (!/[1-9]/.test(text))
        return text;
    if (delta > 0)
        return `+${text}`;
    if (delta < 0)
        return `-${text}`;
    return text;
}
function formatPercent(pct, digits = 1) {
    if (pct === null || pct === undefined || !Number.isFinite(pct))
        return 'n/a';
    const text = Math.abs(pct).toFixed(digits);
    if (Number(text) === 0)
        return `${(0).toFixed(digits)}%`;
    return `${pct > 0 ? '+' : '-'}${text}%`;
}
function formatShare(pct) {
    return `${pct.toFixed(1)}%`;
}
function formatCount(n) {
    return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
function formatP(p) {
    if (p < 0.001)
        return '<0.001';
    return p.toFixed(3);
}
function plural(n, one, many = `${one}s`) {
    return `${n} ${n === 1 ? one : many}`;
}
function singleRunMethod(comparison) {
    const tested = comparison.tables.some((t) => t.items.some((i) => i.launches !== undefined));
    return tested
        ? 'one run a side: thresholds, then a launch-by-launch test of the kernels past them (GPU trace)'
        : 'one run a side: thresholds only, no significance test';
}

// @ts-check
/**
 * The HTML report's script, run by the browser that opens report.html. html.ts embeds this
 * function's source (`(${client})()`), so it must stand alone: it refers to nothing outside its own
 * body but the browser's globals.
 *
 * It reads the report's data (src/render/html.ts: ReportData) from the JSON element, inflating it
 * when it is gzipped, and fills each section: a filter box, a table sortable by every column, the
 * first rows with a button for more, and for regressed and improved items an SVG chart drawn here;
 * a kernel with details (launch distributions, launch test, shapes) gets a button that opens them
 * under its row. Then the GPU timeline and the NVTX phases, where the data has them.
 * Data is only ever set as text (textContent, attribute values): never parsed as markup.
 */
function client() {
  const SVG = 'http://www.w3.org/2000/svg';
  /** Rows drawn at first, and added by each "show more". */
  const PAGE = 100;
  /** Names longer than this are shortened in the middle in the table (the tooltip has them whole). */
  const SHOWN_NAME = 160;
  const STATUS = ['regressed', 'improved', 'new', 'removed', 'unchanged'];
  const CHART = { width: 184, height: 46, left: 30, right: 6, lanes: [11, 27] };
  /** The inline launch histogram (regressions, improvements) and the one in a kernel's details. */
  const SMALL_HIST = { width: 150, height: 40, axis: 0 };
  const LARGE_HIST = { width: 560, height: 150, axis: 16 };
  const TIMELINE = { width: 900, lane: 26, left: 44, right: 8, top: 14 };
  const PHASE_BAR = { width: 240, height: 26 };
  const TREND = { width: 360, height: 110, left: 64, right: 16, top: 8, bottom: 8 };

  /**
   * @typedef {{ b: number[], h: number[], lo: number, hi: number, lt: string, ht: string, d: string }} Chart
   * @typedef {{ b: number[] | null, h: number[] | null, t: [number, string][], m: [number | null, number | null], q: string[][] }} Dist
   * @typedef {{ n: string, s: number, t: string, c: string[] }} Shape
   * @typedef {{ v: number[], h: number, b?: [number, number], lo: string, hi: string, t: string }} Trend
   * @typedef {{ l?: Dist, lt?: string, sh?: Shape[], tr?: Trend }} Detail
   * @typedef {{ n: string, s: number, t: string, c: string[], k: (number | null)[], g?: Chart, x?: Detail, a?: string }} Row
   * @typedef {{ title: string, item: string, columns: string[], rows: Row[] }} Table
   * @typedef {{ id: string, table: number, statuses: number[], charts: boolean }} View
   * @typedef {{ r: number, x: number | null, w: number, t: string }} LaneGap
   * @typedef {{ side: string, w: number, l: string, g: LaneGap[] }} Lane
   * @typedef {{ device: number, rank?: number, rows: string[][], lanes: Lane[], al: string, gaps: string[][] }} Device
   * @typedef {{ devices: Device[], imbalance?: string, late?: string, runs?: string }} Timeline
   * @typedef {{ n: string, s: number, t: string, b: number | null, h: number | null, c: string[], k: { n: string, c: string[] }[], km: number }} Phase
   * @typedef {{ rows: Phase[], max: number, ml: string, more: number }} Phases
   * @typedef {{ tables: Table[], views: View[], timeline?: Timeline, phases?: Phases }} Report
   */

  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {string} [text]
   * @param {string} [className]
   * @returns {HTMLElementTagNameMap[K]}
   */
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node
  }

  /**
   * @param {string} tag
   * @param {Record<string, string | number>} attributes
   * @returns {SVGElement}
   */
  function svg(tag, attributes) {
    const node = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    return node
  }

  /**
   * An SVG drawing of a class and size, an image for assistive technology (its title follows).
   * @param {string} className
   * @param {number} width
   * @param {number} height
   */
  function figure(className, width, height) {
    return svg('svg', {
      class: className,
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img'
    })
  }

  /** @param {string} base64 @returns {Promise<string>} */
  async function inflate(base64) {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text()
  }

  /** @returns {Promise<Report>} */
  async function readData() {
    const holder = document.getElementById('report-data');
    const raw = JSON.parse(holder?.textContent ?? 'null');
    if (raw && raw.encoding === 'json') return raw.report
    if (raw && raw.encoding === 'gzip+base64') return JSON.parse(await inflate(raw.data))
    throw new Error('the report holds no data the script can read')
  }

  /** Code points, the middle shortened: the start (namespace, template) and the end (arguments). */
  /** @param {string} name */
  function shortName(name) {
    const points = Array.from(name);
    if (points.length <= SHOWN_NAME) return name
    const head = Math.ceil((SHOWN_NAME - 1) * 0.65);
    const tail = SHOWN_NAME - 1 - head;
    return `${points.slice(0, head).join('')}\u2026${points.slice(points.length - tail).join('')}`
  }

  /**
   * One chart: with several runs a side, a dot per run on two lanes (base, head) and a tick at each
   * median; with one run a side, a bar each.
   * @param {Chart} g
   */
  function chart(g) {
    const { width, height, left, right, lanes } = CHART;
    const root = figure('chart', width, height);
    const title = svg('title', {});
    title.textContent = g.d;
    root.append(title);
    const span = g.hi - g.lo || 1;
    /** @param {number} v */
    const x = (v) => left + ((v - g.lo) / span) * (width - left - right);
    const repeated = g.b.length > 1 || g.h.length > 1;
    /** @type {[string, number[], number][]} */
    const sides = [
      ['base', g.b, lanes[0]],
      ['head', g.h, lanes[1]]
    ];
    root.append(svg('line', { class: 'axis', x1: left, x2: width - right, y1: 37, y2: 37 }));
    for (const [label, values, y] of sides) {
      const name = svg('text', { x: 0, y: y + 3 });
      name.textContent = label;
      root.append(name);
      if (repeated) {
        for (const v of values)
          root.append(svg('circle', { class: label, cx: x(v), cy: y, r: 3, 'fill-opacity': 0.7 }));
        const sorted = [...values].sort((a, b) => a - b);
        const mid = sorted.length / 2;
        const median =
          sorted.length % 2
            ? (sorted[Math.floor(mid)] ?? 0)
            : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
        root.append(
          svg('line', { class: 'median', x1: x(median), x2: x(median), y1: y - 6, y2: y + 6 })
        );
      } else {
        const v = values[0] ?? 0;
        root.append(
          svg('rect', {
            class: label,
            x: left,
            y: y - 5,
            width: Math.max(1, x(v) - left),
            height: 10
          })
        );
      }
    }
    const lo = svg('text', { x: left, y: height - 1 });
    lo.textContent = g.lt;
    const hi = svg('text', { x: width - right, y: height - 1, 'text-anchor': 'end' });
    hi.textContent = g.ht;
    root.append(lo, hi);
    return root
  }

  /**
   * An item's trend over the baseline's history: the runs as a line (oldest left), the noise band
   * behind them, and this head's value as the last point, marked. The value axis' ends are
   * labelled; positions come as fractions (details.ts trendData).
   * @param {Trend} tr
   */
  function trend(tr) {
    const { width, height, left, right, top, bottom } = TREND;
    const root = figure('trend', width, height);
    const title = svg('title', {});
    title.textContent = tr.t;
    root.append(title);
    const plotW = width - left - right;
    const plotH = height - top - bottom;
    const clamp = (/** @type {number} */ p) => Math.min(1, Math.max(0, p));
    const y = (/** @type {number} */ p) => top + (1 - clamp(p)) * plotH;
    const points = tr.v.length + 1;
    const x = (/** @type {number} */ i) =>
      left + (points === 1 ? plotW : (i / (points - 1)) * plotW);
    if (tr.b) {
      const [low, high] = tr.b;
      root.append(
        svg('rect', {
          class: 'band',
          x: left,
          y: y(high),
          width: plotW,
          height: Math.max(1, y(low) - y(high))
        })
      );
    }
    root.append(svg('line', { class: 'axis', x1: left, x2: left, y1: top, y2: top + plotH }));
    for (const [label, p] of /** @type {[string, number][]} */ ([
      [tr.hi, 1],
      [tr.lo, 0]
    ])) {
      const text = svg('text', { x: left - 4, y: y(p) + (p === 1 ? 8 : 0), 'text-anchor': 'end' });
      text.textContent = label;
      root.append(text);
    }
    root.append(
      svg('polyline', {
        class: 'history',
        points: tr.v.map((p, i) => `${x(i).toFixed(1)},${y(p).toFixed(1)}`).join(' ')
      })
    );
    tr.v.forEach((p, i) => root.append(svg('circle', { class: 'run', cx: x(i), cy: y(p), r: 2 })));
    const last = tr.v.length - 1;
    if (last >= 0)
      root.append(
        svg('line', {
          class: 'to-head',
          x1: x(last),
          y1: y(tr.v[last] ?? 0),
          x2: x(points - 1),
          y2: y(tr.h)
        })
      );
    root.append(svg('circle', { class: 'head', cx: x(points - 1), cy: y(tr.h), r: 4 }));
    return root
  }

  /**
   * A kernel's launch durations, base and head overlaid: each bar the share of that side's
   * launches, the base's in grey behind the head's; a dashed line at each side's p50. The large
   * one has the axis' ticks and a legend.
   * @param {Dist} l
   * @param {{ width: number, height: number, axis: number }} size
   */
  function histogram(l, size) {
    const { width, height, axis } = size;
    const root = figure('dist', width, height);
    const title = svg('title', {});
    const ends = `${l.t[0]?.[1] ?? ''} to ${l.t[l.t.length - 1]?.[1] ?? ''}`;
    const rows = l.q.map(([label, b, h]) => `${label} ${b} \u2192 ${h}`).join(', ');
    title.textContent = `Launch durations from ${ends}, base \u2192 head: ${rows}. Bar height: share of each side's launches.`;
    root.append(title);
    const plot = height - axis - (axis ? 2 : 1);
    /** @param {number[] | null} counts */
    const total = (counts) => (counts ?? []).reduce((a, b) => a + b, 0);
    const tb = total(l.b);
    const th = total(l.h);
    const share = (/** @type {number} */ n, /** @type {number} */ t) => (t > 0 ? n / t : 0);
    const bars = (l.b ?? l.h ?? []).length;
    let top = 0;
    for (let i = 0; i < bars; i++)
      top = Math.max(top, share(l.b?.[i] ?? 0, tb), share(l.h?.[i] ?? 0, th));
    const step = width / Math.max(1, bars);
    /** @type {[string, number[] | null, number][]} */
    const sides = [
      ['base', l.b, tb],
      ['head', l.h, th]
    ];
    for (const [side, counts, sum] of sides) {
      if (!counts) continue
      counts.forEach((n, i) => {
        if (n <= 0) return
        const h = Math.max(1, (share(n, sum) / (top || 1)) * (plot - 2));
        root.append(
          svg('rect', {
            class: side,
            x: i * step + 0.5,
            y: plot - h,
            width: Math.max(1, step - 1),
            height: h,
            'data-count': n
          })
        );
      });
    }
    root.append(svg('line', { class: 'axis', x1: 0, x2: width, y1: plot + 0.5, y2: plot + 0.5 }));
    l.m.forEach((m, i) => {
      if (m === null) return
      root.append(
        svg('line', {
          class: `p50 ${i === 0 ? 'base' : 'head'}`,
          x1: m * width,
          x2: m * width,
          y1: 0,
          y2: plot
        })
      );
    });
    if (axis) {
      l.t.forEach(([at, label], i) => {
        const anchor = i === 0 ? 'start' : i === l.t.length - 1 ? 'end' : 'middle';
        const text = svg('text', { x: at * width, y: height - 2, 'text-anchor': anchor });
        text.textContent = label;
        root.append(text);
      });
    }
    return root
  }

  /**
   * A small table: header cells, then rows of text.
   * @param {string[]} headers
   * @param {string[][]} rows
   * @param {string} [className]
   */
  function textTable(headers, rows, className) {
    const table = el('table', undefined, className);
    const head = el('thead');
    const tr = el('tr');
    for (const h of headers) {
      const th = el('th', h);
      th.scope = 'col';
      tr.append(th);
    }
    head.append(tr);
    const body = el('tbody');
    for (const row of rows) {
      const line = el('tr');
      row.forEach((cell, i) => line.append(el(i === 0 ? 'th' : 'td', cell)));
      const first = line.firstElementChild;
      if (first instanceof HTMLTableCellElement) first.scope = 'row';
      body.append(line);
    }
    table.append(head, body);
    return table
  }

  /**
   * The parts of a kernel's detail panel, in order: each returns its element, or null when the
   * row's data has nothing for it. A per-kernel trend over history is one more part here (and one
   * more field of the data: html/details.ts DetailData).
   * @type {((x: Detail) => HTMLElement | null)[]}
   */
  const DETAIL_PARTS = [
    (x) => {
      if (!x.tr) return null
      const part = el('div', undefined, 'part');
      part.append(el('h4', 'Trend over the history'));
      part.append(trend(x.tr));
      part.append(el('p', x.tr.t, 'legend'));
      return part
    },
    (x) => {
      if (!x.l) return null
      const part = el('div', undefined, 'part');
      part.append(el('h4', 'Launch durations'));
      part.append(histogram(x.l, LARGE_HIST));
      const legend = el('p', undefined, 'legend');
      legend.append(el('span', 'base', 'key base'), el('span', 'head', 'key head'));
      legend.append(" · bar height: share of each side's launches; dashed line: p50");
      part.append(legend);
      part.append(textTable(['', 'Base', 'Head', '\u0394 %'], x.l.q, 'quantiles'));
      return part
    },
    (x) => (x.lt ? el('p', x.lt, 'launch-test') : null),
    (x) => {
      if (!x.sh) return null
      const part = el('div', undefined, 'part');
      part.append(el('h4', 'Launch shapes'));
      const table = textTable(
        ['Shape', 'Status', 'Base', 'Head', '\u0394 %', 'Launches'],
        x.sh.map((s) => [s.n, s.t, ...s.c]),
        'shapes'
      );
      x.sh.forEach((s, i) => {
        table.tBodies[0]?.rows[i]?.classList.add(`status-${STATUS[s.s] ?? 'unchanged'}`);
      });
      part.append(table);
      return part
    }
  ];

  /** @param {Detail} x */
  function detailPanel(x) {
    const panel = el('div', undefined, 'detail-panel');
    for (const part of DETAIL_PARTS) {
      const node = part(x);
      if (node) panel.append(node);
    }
    return panel
  }

  /**
   * A button that opens and closes something under a row.
   * @param {string} label what it opens, for screen readers
   * @param {boolean} open
   * @param {() => void} toggle
   */
  function toggleButton(label, open, toggle) {
    // The arrow is the style's (::before), so that the cell's text is the name alone.
    const button = el('button', undefined, 'toggle');
    button.type = 'button';
    button.setAttribute('aria-expanded', String(open));
    button.setAttribute('aria-label', label);
    button.addEventListener('click', toggle);
    return button
  }

  /**
   * A section: filter box, count, sortable table, "show more".
   * @param {Report} report
   * @param {View} view
   */
  function renderView(report, view) {
    const section = document.getElementById(view.id);
    const body = section?.querySelector('.view-body');
    const table = report.tables[view.table];
    if (!body || !table) return
    const rows = table.rows.filter((row) => view.statuses.includes(row.s));
    /** A column with each kernel's launch histogram (charted sections with launch sketches). */
    const launches = view.charts && rows.some((row) => row.x?.l);
    const details = rows.some((row) => row.x);
    /** Rows whose details are open. */
    /** @type {Set<Row>} */
    const open = new Set();
    /** Lower-cased names, made on the first filtering. */
    /** @type {string[] | undefined} */
    let lower;
    const state = { filter: '', column: -2, descending: false, shown: PAGE };

    const controls = el('div', undefined, 'controls');
    const input = el('input');
    input.type = 'search';
    input.placeholder = `Filter by ${table.item.toLowerCase()} name`;
    input.setAttribute('aria-label', `Filter by ${table.item.toLowerCase()} name`);
    const count = el('span', undefined, 'count');
    controls.append(input, count);

    const grid = el('table');
    const head = el('thead');
    const headRow = el('tr');
    /** Column -1: the name; 0: the status; 1\u2026: the cells. */
    const titles = [table.item, 'Status', ...table.columns];
    /** @type {HTMLTableCellElement[]} */
    const headers = [];
    titles.forEach((label, i) => {
      const th = el('th');
      th.scope = 'col';
      const button = el('button', label);
      button.type = 'button';
      button.addEventListener('click', () => {
        const column = i - 1;
        if (state.column === column) state.descending = !state.descending;
        else {
          state.column = column;
          // Numbers: largest first; names and statuses: in order.
          state.descending = column >= 1;
        }
        state.shown = PAGE;
        draw();
      });
      th.append(button);
      headers.push(th);
      headRow.append(th);
    });
    if (view.charts) {
      const th = el('th', 'Chart');
      th.scope = 'col';
      headRow.append(th);
    }
    if (launches) {
      const th = el('th', 'Launches');
      th.scope = 'col';
      headRow.append(th);
    }
    const columns = headRow.children.length;
    head.append(headRow);
    const tbody = el('tbody');
    grid.append(head, tbody);
    const more = el('button', '', 'more');
    more.type = 'button';
    more.addEventListener('click', () => {
      state.shown += PAGE * 10;
      draw();
    });
    const scroll = el('div', undefined, 'scroll');
    scroll.append(grid);
    body.append(controls, scroll, more);
    input.addEventListener('input', () => {
      state.filter = input.value.toLowerCase();
      state.shown = PAGE;
      draw();
    });

    /** @param {Row} a @param {Row} b */
    function compare(a, b) {
      if (state.column === -1) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0
      if (state.column === 0) return a.s - b.s
      const i = state.column - 1;
      const x = a.k[i] ?? null;
      const y = b.k[i] ?? null;
      if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1
      return x - y
    }

    function draw() {
      let list = rows;
      if (state.filter) {
        lower ??= rows.map((row) => row.n.toLowerCase());
        const names = lower;
        list = rows.filter((_, i) => (names[i] ?? '').includes(state.filter));
      }
      if (state.column !== -2) {
        const sign = state.descending ? -1 : 1;
        const numeric = state.column >= 1;
        list = [...list].sort((a, b) => {
          const c = compare(a, b);
          // Values missing stay last whichever way the column is sorted.
          if (
            numeric &&
            ((a.k[state.column - 1] ?? null) === null || (b.k[state.column - 1] ?? null) === null)
          )
            return c
          return sign * c
        });
      }
      headers.forEach((th, i) => {
        if (i - 1 === state.column)
          th.setAttribute('aria-sort', state.descending ? 'descending' : 'ascending');
        else th.removeAttribute('aria-sort');
      });
      const shown = list.slice(0, state.shown);
      tbody.replaceChildren(...shown.flatMap(rowElements));
      count.textContent =
        list.length === rows.length
          ? `${rows.length.toLocaleString('en-US')} ${rows.length === 1 ? 'row' : 'rows'}`
          : `${list.length.toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')} rows match`;
      const rest = list.length - shown.length;
      more.hidden = rest <= 0;
      more.textContent = `Show ${Math.min(rest, PAGE * 10).toLocaleString('en-US')} more (${rest.toLocaleString('en-US')} not shown)`;
    }

    /**
     * The row, and under it its details when they are open.
     * @param {Row} row
     * @returns {HTMLTableRowElement[]}
     */
    function rowElements(row) {
      const status = `status-${STATUS[row.s] ?? 'unchanged'}`;
      const tr = el('tr', undefined, status);
      const name = el('td', undefined, 'name');
      // The server's text where the page's shortening would read like another row's name.
      const shown = row.a ?? shortName(row.n);
      const text = el('span', shown);
      if (text.textContent !== row.n) name.title = row.n;
      const x = row.x;
      if (x)
        name.append(
          toggleButton(`Details of ${shown}`, open.has(row), () => {
            if (open.has(row)) open.delete(row);
            else open.add(row);
            draw();
          })
        );
      else if (details) name.append(el('span', '', 'toggle-space'));
      name.append(text);
      tr.append(name, el('td', row.t, 'status'));
      row.c.forEach((cell, i) =>
        tr.append(el('td', cell, i === 2 || i === 3 ? 'delta' : undefined))
      );
      if (view.charts) {
        const td = el('td', undefined, 'chart-cell');
        if (row.g) td.append(chart(row.g));
        tr.append(td);
      }
      if (launches) {
        const td = el('td', undefined, 'chart-cell');
        if (row.x?.l) td.append(histogram(row.x.l, SMALL_HIST));
        tr.append(td);
      }
      if (!x || !open.has(row)) return [tr]
      const more = el('tr', undefined, `detail ${status}`);
      const cell = el('td');
      cell.colSpan = columns;
      cell.append(detailPanel(x));
      more.append(cell);
      return [tr, more]
    }

    draw();
  }

  /**
   * The GPU timeline: per device, the figures base vs head, each side's window as a lane on one
   * time scale with its longest gaps placed on it (numbered; a tooltip each), and the gaps listed
   * with the activity before and after each.
   * @param {Timeline} timeline
   */
  function renderTimeline(timeline) {
    const body = document.querySelector('#gpu-timeline .timeline-body');
    if (!body) return
    if (timeline.runs) body.append(el('p', timeline.runs));
    for (const device of timeline.devices) {
      const part = el('div', undefined, 'device');
      part.append(el('h3', `GPU ${gpuLabel(device)}`));
      part.append(textTable(['', 'Base', 'Head', 'Change'], device.rows, 'figures'));
      part.append(lanes(device));
      part.append(
        el(
          'p',
          "Each side's window on one time scale, from its first activity (0): marked, its longest gaps, numbered as in the table below (a tooltip each).",
          'legend'
        )
      );
      if (device.gaps.length > 0)
        part.append(
          textTable(
            [
              'Side',
              'Gap',
              'Length',
              'Starts at',
              'Before it (ended last before the gap)',
              'After it (ended the gap)'
            ],
            device.gaps,
            'gaps'
          )
        );
      body.append(part);
    }
    if (timeline.imbalance) body.append(el('p', timeline.imbalance));
    if (timeline.late) body.append(el('p', timeline.late, 'warning'));
  }

  /**
   * `0`, or `0 (rank 0)` for a rank's GPU (as the Markdown says it).
   * @param {Device} device
   */
  function gpuLabel(device) {
    return device.rank === undefined
      ? String(device.device)
      : `${device.device} (rank ${device.rank})`
  }

  /** @param {Device} device */
  function lanes(device) {
    const { width, lane, left, right, top } = TIMELINE;
    const height = top + device.lanes.length * lane + 14;
    const root = figure('timeline', width, height);
    const title = svg('title', {});
    title.textContent = `GPU ${gpuLabel(device)}: each side's window on one time scale, its longest gaps marked and numbered`;
    root.append(title);
    const span = width - left - right;
    device.lanes.forEach((l, k) => {
      const y = top + k * lane;
      /** Where the numbers of this lane's gaps are written (a number too close to one is left out). */
      /** @type {number[]} */
      const labelled = [];
      const name = svg('text', { x: 0, y: y + 12 });
      name.textContent = l.side;
      root.append(name);
      const win = svg('rect', {
        class: 'window',
        x: left,
        y,
        width: Math.max(1, l.w * span),
        height: 16
      });
      const tip = svg('title', {});
      tip.textContent = l.l;
      win.append(tip);
      root.append(win);
      for (const g of l.g) {
        if (g.x === null) continue
        const x = left + g.x * span;
        const gap = svg('rect', {
          class: `gap ${l.side}`,
          x,
          y: y - 2,
          width: Math.max(2, g.w * span),
          height: 20
        });
        const t = svg('title', {});
        t.textContent = g.t;
        gap.append(t);
        root.append(gap);
        const mid = x + Math.max(2, g.w * span) / 2;
        if (g.r <= 5 && labelled.every((at) => Math.abs(at - mid) > 10)) {
          labelled.push(mid);
          const label = svg('text', {
            x: mid,
            y: y - 4,
            'text-anchor': 'middle'
          });
          label.textContent = String(g.r);
          root.append(label);
        }
      }
    });
    const axisY = top + device.lanes.length * lane;
    root.append(svg('line', { class: 'axis', x1: left, x2: width - right, y1: axisY, y2: axisY }));
    const zero = svg('text', { x: left, y: axisY + 12 });
    zero.textContent = '0';
    const end = svg('text', { x: width - right, y: axisY + 12, 'text-anchor': 'end' });
    end.textContent = device.al;
    root.append(zero, end);
    return root
  }

  /**
   * The NVTX phases: a row a range with its GPU time per occurrence, base and head as two bars on
   * one scale, and the kernels launched inside it under a button.
   * @param {Phases} phases
   */
  function renderPhases(phases) {
    const body = document.querySelector('#nvtx-phases .phases-body');
    if (!body) return
    /** @type {Set<Phase>} */
    const open = new Set();
    const table = el('table', undefined, 'phases');
    const head = el('thead');
    const headRow = el('tr');
    for (const label of [
      'Range',
      'Status',
      `Per occurrence (scale: 0 to ${phases.ml})`,
      'Base',
      'Head',
      '\u0394 %',
      'Occurrences'
    ]) {
      const th = el('th', label);
      th.scope = 'col';
      headRow.append(th);
    }
    head.append(headRow);
    const tbody = el('tbody');
    table.append(head, tbody);
    const scroll = el('div', undefined, 'scroll');
    scroll.append(table);
    body.append(scroll);
    if (phases.more > 0)
      body.append(
        el(
          'p',
          `${phases.more.toLocaleString('en-US')} more ranges in the full table below.`,
          'count'
        )
      );

    function draw() {
      tbody.replaceChildren(...phases.rows.flatMap(phaseRows));
    }

    /** @param {Phase} p @returns {HTMLTableRowElement[]} */
    function phaseRows(p) {
      const status = `status-${STATUS[p.s] ?? 'unchanged'}`;
      const tr = el('tr', undefined, status);
      const name = el('td', undefined, 'name');
      if (p.k.length > 0)
        name.append(
          toggleButton(`Kernels of ${shortName(p.n)}`, open.has(p), () => {
            if (open.has(p)) open.delete(p);
            else open.add(p);
            draw();
          })
        );
      else name.append(el('span', '', 'toggle-space'));
      const text = el('span', shortName(p.n));
      if (text.textContent !== p.n) name.title = p.n;
      name.append(text);
      const chartCell = el('td', undefined, 'chart-cell');
      chartCell.append(phaseBars(p));
      tr.append(name, el('td', p.t, 'status'), chartCell);
      p.c.forEach((cell, i) => tr.append(el('td', cell, i === 2 ? 'delta' : undefined)));
      if (!open.has(p)) return [tr]
      const more = el('tr', undefined, `detail ${status}`);
      const cell = el('td');
      cell.colSpan = 7;
      const rows = p.k.map((k) => [shortName(k.n), ...k.c]);
      const kernels = textTable(
        ['Kernel in this range', 'Base', 'Head', '\u0394 %', 'Occurrences'],
        rows,
        'phase-kernels'
      );
      // A shortened name has the whole one in its tooltip, as the tables' names do.
      kernels.querySelectorAll('tbody th').forEach((th, i) => {
        const whole = p.k[i]?.n;
        if (whole !== undefined && th.textContent !== whole) th.setAttribute('title', whole);
      });
      cell.append(kernels);
      if (p.km > 0)
        cell.append(
          el('p', `${p.km} more kernels in the full table "Kernels per NVTX range".`, 'count')
        );
      more.append(cell);
      return [tr, more]
    }

    /** @param {Phase} p */
    function phaseBars(p) {
      const { width, height } = PHASE_BAR;
      const root = figure('chart phase', width, height);
      const title = svg('title', {});
      title.textContent = `${p.n}: per occurrence, base ${p.c[0] ?? ''}, head ${p.c[1] ?? ''} (${p.c[2] ?? ''})`;
      root.append(title);
      /** @type {[string, number | null, number][]} */
      const bars = [
        ['base', p.b, 3],
        ['head', p.h, 14]
      ];
      for (const [side, value, y] of bars) {
        if (value === null) continue
        root.append(
          svg('rect', {
            class: side,
            x: 0,
            y,
            width: Math.max(1, (value / phases.max) * width),
            height: 9
          })
        );
      }
      return root
    }

    draw();
  }

  /** @param {unknown} error */
  function fail(error) {
    const message = error instanceof Error ? error.message : String(error);
    const note = el('p', `The report's tables could not be drawn: ${message}`);
    note.id = 'report-error';
    document.querySelector('main')?.prepend(note);
    console.error(error);
  }

  readData()
    .then((report) => {
      for (const view of report.views) renderView(report, view);
      if (report.timeline) renderTimeline(report.timeline);
      if (report.phases) renderPhases(report.phases);
      document.body.dataset.ready = 'true';
    })
    .catch(fail);
}

function trendData(item, unit) {
    const history = item.history;
    const head = item.head?.value;
    if (!history || history.values.length === 0 || head === undefined)
        return undefined;
    const all = [...history.values, head];
    if (history.band)
        all.push(history.band.low, history.band.high);
    let lo = Math.min(...all);
    let hi = Math.max(...all);
    const margin = (hi - lo) / 20 || Math.abs(hi) / 20 || 1;
    lo = Math.max(0, lo - margin);
    hi += margin;
    const at = (value) => round4((value - lo) / (hi - lo));
    const f = (value) => formatValue(unit, value);
    const n = history.values.length;
    const band = history.band;
    const out = {
        v: history.values.map(at),
        h: at(head),
        lo: f(lo),
        hi: f(hi),
        t: `The last ${n} comparable run${n === 1 ? '' : 's'} of the baseline's history: ${f(Math.min(...history.values))} to ${f(Math.max(...history.values))}${band ? `; noise band ${f(band.low)} to ${f(band.high)}` : ' (too few runs for a noise band)'}; this head: ${f(head)}.`
    };
    if (band)
        out.b = [at(band.low), at(band.high)];
    return out;
}
function round4(x) {
    return Math.round(x * 10_000) / 10_000;
}
const MAX_BARS = 40;
const QUANTILES = [
    ['p50', 0.5],
    ['p90', 0.9],
    ['p99', 0.99]
];
function launchSides(runs) {
    return { base: pooledLaunches(runs.base), head: pooledLaunches(runs.head) };
}
function pooledLaunches(runs) {
    if (runs.length === 0 || runs.some((r) => !r.launches))
        return undefined;
    const out = new Map();
    if (runs.length === 1) {
        for (const [key, entry] of runs[0].launches)
            out.set(key, entry.sketch);
        return out;
    }
    for (const run of runs)
        for (const [key, entry] of run.launches) {
            let sketch = out.get(key);
            if (!sketch)
                out.set(key, (sketch = new DurationSketch()));
            sketch.merge(entry.sketch);
        }
    return out;
}
function shapesByKernel(shapes, statusOf) {
    const out = new Map();
    if (!shapes)
        return out;
    for (const item of shapes.items) {
        const at = item.key.lastIndexOf(' [grid ');
        if (at < 0)
            continue;
        const kernel = item.key.slice(0, at);
        const b = item.base?.value;
        const h = item.head?.value;
        const row = {
            n: visible(item.key.slice(at + 1)),
            s: statusOf(item.status),
            t: item.status,
            c: [
                b === undefined ? '\u2014' : formatValue('ns', b),
                h === undefined ? '\u2014' : formatValue('ns', h),
                formatPercent(item.deltaPct),
                launchesText(item.base?.instances, item.head?.instances)
            ]
        };
        const list = out.get(kernel);
        if (list)
            list.push(row);
        else
            out.set(kernel, [row]);
    }
    return out;
}
function launchesText(base, head) {
    if (base === undefined || head === undefined)
        return formatCount(base ?? head ?? 0);
    return base === head ? formatCount(base) : `${formatCount(base)} \u2192 ${formatCount(head)}`;
}
function detailData(item, launches, shapes, unit) {
    const out = {};
    const tr = trendData(item, unit);
    if (tr)
        out.tr = tr;
    if (!item.variant) {
        const l = distData(launches.base?.get(item.key), launches.head?.get(item.key), launches);
        if (l)
            out.l = l;
        const sh = shapes.get(item.key);
        if (sh)
            out.sh = sh;
    }
    if (item.launches) {
        const t = item.launches;
        const decided = t.significant === undefined
            ? ''
            : t.significant
                ? ', a discovery after the Benjamini\u2013Hochberg correction over the kernels tested'
                : t.byCount
                    ? ', not a discovery after the Benjamini\u2013Hochberg correction over the kernels tested, but the launch count alone passes the limits: the change counts'
                    : ', not a discovery after the Benjamini\u2013Hochberg correction over the kernels tested: the change does not count';
        const how = t.paired
            ? 'signed-rank test on the launches paired by order, the k-th against the k-th'
            : 'rank test on the launch durations';
        out.lt = `Launch test (${how}, ${formatCount(t.base.launches)} \u2192 ${formatCount(t.head.launches)} launches): p ${t.p < 0.001 ? '< 0.001' : `= ${formatP(t.p)}`}${decided}.`;
    }
    return out.l || out.sh || out.lt || out.tr ? out : undefined;
}
function distData(base, head, sides) {
    const present = [base, head].filter((s) => s !== undefined && s.count > 0);
    if (present.length === 0)
        return undefined;
    const lists = [base, head].map((s) => (s ? s.toArray() : []));
    let low = Infinity;
    let high = -Infinity;
    for (const list of lists)
        if (list.length > 0) {
            low = Math.min(low, list[0]);
            high = Math.max(high, list[list.length - 2]);
        }
    const span = high - low + 1;
    const width = Math.max(1, Math.ceil(span / MAX_BARS));
    const start = Math.max(0, low - width);
    const bars = Math.ceil((high + 1 + width - start) / width);
    const end = start + bars * width;
    const counts = (list, has) => {
        if (!has)
            return null;
        const out = new Array(bars).fill(0);
        for (let i = 0; i + 1 < list.length; i += 2)
            out[Math.floor((list[i] - start) / width)] += list[i + 1];
        return out;
    };
    const position = (value) => {
        const v = Math.max(0, Math.round(value));
        const index = bucketOf(v);
        const [lo, hi] = bucketBounds(index);
        const at = (index - start + (v - lo) / (hi - lo)) / (end - start);
        return Math.round(Math.min(1, Math.max(0, at)) * 1e4) / 1e4;
    };
    const lo = bucketBounds(start)[0];
    const hi = bucketBounds(end - 1)[1];
    const ticks = [[0, formatDuration(lo)]];
    for (const v of middleTicks(lo, hi))
        ticks.push([position(v), formatDuration(v)]);
    ticks.push([1, formatDuration(hi)]);
    const levels = QUANTILES.map(([, p]) => p);
    const quantiles = (s) => s && s.count > 0 ? s.quantiles(levels) : levels.map(() => undefined);
    const bq = quantiles(base);
    const hq = quantiles(head);
    const q = [
        ['launches', launchCount(base, sides.base), launchCount(head, sides.head), '']
    ];
    for (const [k, [label]] of QUANTILES.entries()) {
        const b = bq[k];
        const h = hq[k];
        q.push([
            label,
            b === undefined ? '\u2014' : formatDuration(b),
            h === undefined ? '\u2014' : formatDuration(h),
            b !== undefined && h !== undefined && b > 0 ? formatPercent((h / b - 1) * 100) : ''
        ]);
    }
    const b50 = bq[0];
    const h50 = hq[0];
    return {
        b: counts(lists[0], sides.base !== undefined),
        h: counts(lists[1], sides.head !== undefined),
        t: ticks,
        m: [b50 === undefined ? null : position(b50), h50 === undefined ? null : position(h50)],
        q
    };
}
function launchCount(sketch, side) {
    if (!side)
        return 'no trace';
    return formatCount(sketch?.count ?? 0);
}
function middleTicks(lo, hi) {
    if (!(hi > lo) || lo < 0)
        return [];
    const inside = (v) => v > lo + (hi - lo) * 0.12 && v < hi - (hi - lo) * 0.12;
    let values = [];
    if (lo > 0 && hi / lo > 4) {
        for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
            for (const m of [1, 2, 5]) {
                const v = m * 10 ** e;
                if (v > lo && v < hi)
                    values.push(v);
            }
        values = values.filter((v) => v > lo * 1.3 && v < hi / 1.3);
    }
    else {
        const rough = (hi - lo) / 4;
        const power = 10 ** Math.floor(Math.log10(rough));
        const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
        for (let v = Math.ceil(lo / step) * step; v < hi; v += step)
            if (inside(v))
                values.push(v);
    }
    if (values.length <= 3)
        return values;
    const every = Math.ceil(values.length / 3);
    return values.filter((_, i) => i % every === 0);
}

const TOP = 5;
const OVER = [
    { label: '> 10 µs', from: 1 },
    { label: '> 100 µs', from: 2 },
    { label: '> 1 ms', from: 3 }
];
function timelineView(comparison) {
    const { base, head } = comparison.timeline ?? {};
    if (!base && !head)
        return undefined;
    const ids = [
        ...new Set([...(base?.devices ?? []), ...(head?.devices ?? [])].map((d) => d.device))
    ].sort((a, b) => a - b);
    const find = (t, id) => t?.devices.find((d) => d.device === id);
    const top = (head ?? base).devices
        .flatMap((d) => d.top.map((gap) => ({ device: d.device, gap })))
        .sort((a, b) => b.gap.duration - a.gap.duration)
        .slice(0, TOP);
    const imbalance = {};
    const spread = (t) => {
        if (!t || t.devices.length < 2)
            return undefined;
        const busy = t.devices.map((d) => d.busy);
        const max = Math.max(...busy);
        return max > 0 ? (1 - Math.min(...busy) / max) * 100 : undefined;
    };
    const b = spread(base);
    const h = spread(head);
    if (b !== undefined)
        imbalance.base = b;
    if (h !== undefined)
        imbalance.head = h;
    const devices = ids.map((device) => {
        const b = find(base, device);
        const h = find(head, device);
        const rank = h?.rank ?? b?.rank;
        return { device, ...(rank === undefined ? {} : { rank }), base: b, head: h };
    });
    const view = {
        devices,
        ranks: devices.every((d) => d.rank !== undefined),
        top,
        imbalance
    };
    const runs = runsShown(comparison);
    if (runs !== undefined)
        view.runs = runs;
    return view;
}
function runsShown(comparison) {
    const { base, head } = comparison.runs;
    if (base < 2 && head < 2)
        return undefined;
    const t = comparison.timeline;
    const one = (run, of) => run === undefined ? 'none traced' : of === 1 ? 'its one run' : `run ${run} of ${of}`;
    return `From each side's run with the median idle time: base ${one(t?.baseRun, base)}, head ${one(t?.headRun, head)}.`;
}
function deviceLabel(device, rank) {
    return rank === undefined ? String(device) : `${device} (rank ${rank})`;
}
function utilisation(d) {
    return d && d.window > 0 ? (d.busy / d.window) * 100 : undefined;
}
function over(d, from) {
    let count = 0;
    let total = 0;
    for (const g of d?.gaps.slice(from) ?? []) {
        count += g.count;
        total += g.total;
    }
    return { count, total };
}
function pair(base, head) {
    return `${base ?? '\u2013'} \u2192 ${head ?? '\u2013'}`;
}
function pct$1(value) {
    return value === undefined ? undefined : `${value.toFixed(1)}%`;
}
function countDelta(base, head) {
    const d = head - base;
    return d === 0 ? '' : ` (${d > 0 ? '+' : ''}${d})`;
}
function mostChanged(devices, max) {
    if (devices.length <= max)
        return devices;
    const change = (d) => Math.abs((d.head?.idle ?? 0) - (d.base?.idle ?? 0));
    const kept = new Set(devices
        .map((d, i) => ({ d, i, c: change(d) }))
        .sort((a, b) => b.c - a.c || a.i - b.i)
        .slice(0, Math.max(0, max))
        .map(({ d }) => d));
    return devices.filter((d) => kept.has(d));
}
function timelineMarkdown(comparison, maxDevices = Infinity, trimmed) {
    const view = timelineView(comparison);
    if (!view)
        return [];
    const out = [`<details><summary>GPU timeline (idle gaps)</summary>`, ''];
    if (view.runs)
        out.push(`_${view.runs}_`, '');
    const devices = mostChanged(view.devices, maxDevices);
    const left = view.devices.length - devices.length;
    if (devices.length > 0)
        out.push('| GPU | Window | Busy | Utilisation | Idle | ' +
            OVER.map((o) => `Gaps ${o.label}`).join(' | ') +
            ' |', '|---|---|---|---|---|' + OVER.map(() => '---|').join(''));
    for (const { device, rank, base, head } of devices) {
        const cells = [
            deviceLabel(device, rank),
            pair(base && formatDuration(base.window), head && formatDuration(head.window)),
            pair(base && formatDuration(base.busy), head && formatDuration(head.busy)),
            pair(pct$1(utilisation(base)), pct$1(utilisation(head))),
            pair(base && formatDuration(base.idle), head && formatDuration(head.idle)) +
                (base && head ? ` (${formatDelta('ns', head.idle - base.idle)})` : ''),
            ...OVER.map((o) => {
                const b = over(base, o.from);
                const h = over(head, o.from);
                return `${pair(base && String(b.count), head && String(h.count))}${base && head ? countDelta(b.count, h.count) : ''}`;
            })
        ];
        out.push(`| ${cells.join(' | ')} |`);
    }
    if (devices.length > 0)
        out.push('');
    if (left > 0) {
        out.push(`_${plural(left, devices.length > 0 ? 'more GPU' : 'GPU')} not shown (those whose idle time changed least)._`, '');
        if (trimmed)
            trimmed.rows += left;
    }
    if (view.imbalance.base !== undefined || view.imbalance.head !== undefined)
        out.push(`Imbalance between ${view.ranks ? 'ranks' : 'GPUs'} (least busy against busiest): ${pair(pct$1(view.imbalance.base), pct$1(view.imbalance.head))}.`, '');
    const late = view.devices.reduce((n, d) => n + (d.head?.late ?? 0) + (d.base?.late ?? 0), 0);
    if (late > 0)
        out.push(`_${late} activities came too far out of order in the trace to be placed exactly: these figures are approximate._`, '');
    if (view.top.length > 0) {
        out.push(`Longest gaps of the ${comparison.timeline?.head ? 'head' : 'base'}:`, '', '| GPU | Gap | Starts at | Before it | After it |', '|---|---|---|---|---|');
        for (const { device, gap } of view.top) {
            const activity = (a) => `${codeSpan(a.name, 80)}${a.stream === undefined ? '' : ` (stream ${a.stream})`}`;
            out.push(`| ${device} | ${formatDuration(gap.duration)} | ${markdownText(formatDuration(gap.start))} | ${activity(gap.before)} | ${activity(gap.after)} |`);
        }
        out.push('');
    }
    out.push('</details>', '');
    return out;
}
function timelineText(comparison) {
    const view = timelineView(comparison);
    if (!view)
        return [];
    const out = ['GPU timeline (base \u2192 head):'];
    if (view.runs)
        out.push(`  ${view.runs}`);
    for (const { device, rank, base, head } of view.devices) {
        const idle = base && head
            ? `idle ${formatDuration(base.idle)} \u2192 ${formatDuration(head.idle)} (${formatDelta('ns', head.idle - base.idle)})`
            : `idle ${pair(base && formatDuration(base.idle), head && formatDuration(head.idle))}`;
        const gaps = OVER.map((o) => `${o.label}: ${pair(base && String(over(base, o.from).count), head && String(over(head, o.from).count))}`).join(', ');
        out.push(`  GPU ${deviceLabel(device, rank)}: busy ${pair(base && formatDuration(base.busy), head && formatDuration(head.busy))}, utilisation ${pair(pct$1(utilisation(base)), pct$1(utilisation(head)))}, ${idle}; gaps ${gaps}`);
    }
    if (view.imbalance.base !== undefined || view.imbalance.head !== undefined)
        out.push(`  imbalance between ${view.ranks ? 'ranks' : 'GPUs'}: ${pair(pct$1(view.imbalance.base), pct$1(view.imbalance.head))}`);
    for (const { device, gap } of view.top.slice(0, 3))
        out.push(`  gap ${formatDuration(gap.duration)} on GPU ${device} after ${terminalText(clip(gap.before.name, 80))}, before ${terminalText(clip(gap.after.name, 80))}`);
    return out;
}

const NAME = 300;
function shownName$2(name, max) {
    const text = visible(shorten(name, max));
    return BLANK.test(text) ? text.replace(/ /g, '\\u{20}') : text;
}
const BLANK = /^ +$/;
const PHASES = 60;
const PHASE_KERNELS = 25;
const TABLE_GAPS = 5;
function timelineData(comparison) {
    const view = timelineView(comparison);
    if (!view)
        return undefined;
    const devices = view.devices.map(({ device, rank, base, head }) => {
        const data = deviceData(device, base, head);
        if (rank !== undefined)
            data.rank = rank;
        return data;
    });
    const out = { devices };
    if (view.runs)
        out.runs = view.runs;
    const { imbalance } = view;
    if (imbalance.base !== undefined || imbalance.head !== undefined)
        out.imbalance = `Imbalance between ${view.ranks ? 'ranks' : 'GPUs'} (1 \u2212 least busy / busiest): ${pct(imbalance.base) ?? '\u2013'} \u2192 ${pct(imbalance.head) ?? '\u2013'}.`;
    const late = view.devices.reduce((n, d) => n + (d.base?.late ?? 0) + (d.head?.late ?? 0), 0);
    if (late > 0)
        out.late = `${late} activities came too far out of order in the trace to be placed exactly: these figures are approximate.`;
    return out;
}
function pct(value) {
    return value === undefined ? undefined : `${value.toFixed(1)}%`;
}
function deviceData(device, base, head) {
    const both = base !== undefined && head !== undefined;
    const time = (label, of) => [
        label,
        base ? formatDuration(of(base)) : '\u2013',
        head ? formatDuration(of(head)) : '\u2013',
        both ? formatDelta('ns', of(head) - of(base)) : ''
    ];
    const use = (d) => d && d.window > 0 ? (d.busy / d.window) * 100 : undefined;
    const ub = use(base);
    const uh = use(head);
    const rows = [
        time('Window', (d) => d.window),
        time('Busy', (d) => d.busy),
        [
            'Utilisation',
            pct(ub) ?? '\u2013',
            pct(uh) ?? '\u2013',
            ub !== undefined && uh !== undefined ? `${formatPoints(uh - ub)}` : ''
        ],
        time('Idle', (d) => d.idle),
        ...GAP_CLASSES.map((label, c) => {
            const g = (d) => d?.gaps[c] ? `${formatCount(d.gaps[c].count)} · ${formatDuration(d.gaps[c].total)}` : '\u2013';
            const change = both && base.gaps[c] && head.gaps[c]
                ? `${signed(head.gaps[c].count - base.gaps[c].count)} · ${formatDelta('ns', head.gaps[c].total - base.gaps[c].total)}`
                : '';
            return [`Gaps ${label}`, g(base), g(head), change];
        })
    ];
    const longest = Math.max(base?.window ?? 0, head?.window ?? 0) || 1;
    const lanes = [];
    const gaps = [];
    for (const [side, d] of [
        ['base', base],
        ['head', head]
    ]) {
        if (!d)
            continue;
        lanes.push({
            side,
            w: d.window / longest,
            l: `${side}: window ${formatDuration(d.window)}, ${formatCount(d.activities)} activities`,
            g: d.top.map((gap, i) => ({
                r: i + 1,
                x: d.start === undefined ? null : (gap.start - d.start) / longest,
                w: gap.duration / longest,
                t: `${side} gap ${i + 1}: ${formatDuration(gap.duration)}${at(d, gap)}, after ${activity(gap.before)}, before ${activity(gap.after)}`
            }))
        });
        const rows = d.top
            .slice(0, TABLE_GAPS)
            .map((gap, i) => [
            side,
            String(i + 1),
            formatDuration(gap.duration),
            d.start === undefined
                ? `${formatDuration(gap.start)} (from the trace's start)`
                : formatDuration(gap.start - d.start),
            activity(gap.before),
            activity(gap.after)
        ]);
        if (side === 'head')
            gaps.unshift(...rows);
        else
            gaps.push(...rows);
    }
    return { device, rows, lanes, al: formatDuration(longest), gaps };
}
function at(d, gap) {
    return d.start === undefined ? '' : ` at ${formatDuration(gap.start - d.start)}`;
}
function activity(a) {
    return `${shownName$2(a.name, NAME)}${a.stream === undefined ? '' : ` (stream ${a.stream})`}`;
}
function signed(n) {
    return n > 0 ? `+${n}` : String(n);
}
function formatPoints(points) {
    const text = Math.abs(points).toFixed(1);
    if (Number(text) === 0)
        return '0.0 pp';
    return `${points > 0 ? '+' : '-'}${text} pp`;
}
function phasesData(comparison, statusIndex, statusText) {
    const gpu = comparison.tables.find((t) => t.table === 'nvtxGpu');
    if (!gpu || gpu.items.length === 0)
        return undefined;
    const kernels = kernelsByRange(comparison.tables.find((t) => t.table === 'nvtxKernels'), new Set(gpu.items.map((item) => item.key)));
    const shown = gpu.items.slice(0, PHASES);
    let max = 0;
    const rows = shown.map((item) => {
        const b = item.base?.value ?? null;
        const h = item.head?.value ?? null;
        max = Math.max(max, b ?? 0, h ?? 0);
        const inside = kernels.get(item.key) ?? [];
        const skip = separators(item.key) + 1;
        return {
            n: shownName$2(item.name, NAME),
            s: statusIndex(item),
            t: statusText(item),
            b,
            h,
            c: cells(item),
            k: inside.slice(0, PHASE_KERNELS).map((k) => ({
                n: shownName$2(afterSeparators(k.name, skip), NAME),
                c: cells(k)
            })),
            km: Math.max(0, inside.length - PHASE_KERNELS)
        };
    });
    return {
        rows,
        max: max || 1,
        ml: formatDuration(max),
        more: gpu.items.length - shown.length
    };
}
function cells(item) {
    const b = item.base;
    const h = item.head;
    const occurrences = (s) => s ? (s.occurrences ?? s.instances) : undefined;
    const ob = occurrences(b);
    const oh = occurrences(h);
    return [
        b ? formatValue('ns', b.value) : '\u2014',
        h ? formatValue('ns', h.value) : '\u2014',
        formatPercent(item.deltaPct),
        ob !== undefined && oh !== undefined && ob !== oh
            ? `${formatCount(ob)} \u2192 ${formatCount(oh)}`
            : formatCount(ob ?? oh ?? 0)
    ];
}
function kernelsByRange(table, ranges) {
    const out = new Map();
    for (const item of table?.items ?? []) {
        const range = rangeOf(item.key, ranges);
        if (range === undefined)
            continue;
        const list = out.get(range);
        if (list)
            list.push(item);
        else
            out.set(range, [item]);
    }
    return out;
}
function rangeOf(key, ranges) {
    const ends = [];
    for (let at = key.indexOf(NVTX_KERNEL_SEPARATOR); at >= 0 && ends.length < MAX_RANGE_SEPARATORS; at = key.indexOf(NVTX_KERNEL_SEPARATOR, at + 1))
        ends.push(at);
    for (let i = ends.length - 1; i >= 0; i--) {
        const range = key.slice(0, ends[i]);
        if (ranges.has(range))
            return range;
    }
    return undefined;
}
const MAX_RANGE_SEPARATORS = 64;
function separators(text) {
    return text.split(NVTX_KERNEL_SEPARATOR).length - 1;
}
function afterSeparators(name, count) {
    let from = 0;
    for (let i = 0; i < count; i++) {
        const at = name.indexOf(NVTX_KERNEL_SEPARATOR, from);
        if (at < 0)
            return name;
        from = at + NVTX_KERNEL_SEPARATOR.length;
    }
    return name.slice(from);
}

const STYLE = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --line: #d1d9e0;
  --head: #f6f8fa; --bad: #cf222e; --good: #1a7f37; --warn: #9a6700; --base: #8c959f; --new: #0969da; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --head: #151b23;
    --bad: #ff7b72; --good: #3fb950; --warn: #d29922; --base: #9198a1; --new: #4493f8; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 40px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 8px; }
/* Text from a profile or a rules file (a name, a GPU, a reason) can be one long word: it wraps
   rather than widening the page. */
.tool, #reasons li, .context, #notes li, td.status { overflow-wrap: anywhere; }
.tool { margin: 0; color: var(--muted); font-weight: 600; }
h1 { margin: 4px 0 8px; font-size: 26px; }
h1::before { display: inline-block; width: 0.8em; margin-right: 8px; }
.verdict-pass h1::before { content: "\u2713"; color: var(--good); }
.verdict-regression h1::before { content: "\u2717"; color: var(--bad); }
.verdict-inconclusive h1::before { content: "!"; color: var(--warn); }
.verdict-accepted h1::before { content: "\u2713"; color: var(--warn); }
.verdict-regression h1 { color: var(--bad); }
.verdict-inconclusive h1 { color: var(--warn); }
h2 { font-size: 18px; margin: 24px 0 8px; }
.headline { font-size: 15px; margin: 6px 0; }
.context { margin: 2px 0; color: var(--muted); }
code, .name { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right;
  vertical-align: middle; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--head); }
th button { all: unset; cursor: pointer; font-weight: 600; }
th button:focus-visible { outline: 2px solid var(--new); }
th[aria-sort="ascending"] button::after { content: " \u25b2"; }
th[aria-sort="descending"] button::after { content: " \u25bc"; }
/* Names keep their spaces (\`a  b\` is not \`a b\`): pre-wrap shows every one and still wraps. */
td.name { white-space: pre-wrap; overflow-wrap: anywhere; text-align: left; min-width: 14em; }
td.chart-cell { width: 196px; min-width: 196px; padding-right: 0; }
.scroll { overflow-x: auto; }
td.status { text-align: left; white-space: normal; color: var(--muted); }
tr.status-regressed td.status, tr.status-regressed td.delta { color: var(--bad); }
tr.status-improved td.status, tr.status-improved td.delta { color: var(--good); }
tr.status-new td.status { color: var(--new); }
/* A per-occurrence table's label is long ("\u2026, per occurrence (sum over items)"): it wraps. */
#breakdown th[scope="row"] { white-space: normal; min-width: 12em; }
#breakdown tr.status-regressed td:nth-child(5) { color: var(--bad); }
#breakdown tr.status-improved td:nth-child(5) { color: var(--good); }
.controls { display: flex; gap: 12px; align-items: center; margin: 6px 0; }
.controls input { font: inherit; padding: 4px 8px; min-width: 22em; border: 1px solid var(--line);
  border-radius: 6px; background: var(--bg); color: var(--fg); }
.count { color: var(--muted); }
.more { margin: 8px 0; font: inherit; padding: 4px 10px; border: 1px solid var(--line);
  border-radius: 6px; background: var(--head); color: var(--fg); cursor: pointer; }
details.view { margin: 8px 0; }
details.view > summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
svg.chart { display: block; overflow: visible; }
svg.chart .base { fill: var(--base); }
svg.chart .head { fill: var(--bad); }
tr.status-improved svg.chart .head { fill: var(--good); }
svg.chart .median { stroke: var(--fg); stroke-width: 1.5; }
svg.chart .axis { stroke: var(--line); }
svg.chart text { fill: var(--muted); font-size: 9px; }
svg.dist .base, svg.chart.phase .base { fill: var(--base); }
svg.timeline .gap { fill: var(--warn); }
svg.timeline .gap.base { fill-opacity: 0.6; }
svg.dist .base { fill-opacity: 0.75; }
svg.dist .head, svg.chart.phase .head { fill: var(--new); }
svg.dist .head { fill-opacity: 0.55; }
tr.status-regressed svg.dist .head, tr.status-regressed svg.chart.phase .head { fill: var(--bad); }
tr.status-improved svg.dist .head, tr.status-improved svg.chart.phase .head { fill: var(--good); }
svg.dist .p50 { stroke-width: 1.5; stroke-dasharray: 3 2; }
svg.dist .p50.base { stroke: var(--fg); }
svg.dist .p50.head { stroke: var(--new); }
tr.status-regressed svg.dist .p50.head { stroke: var(--bad); }
tr.status-improved svg.dist .p50.head { stroke: var(--good); }
svg.dist .axis, svg.timeline .axis { stroke: var(--line); }
svg.trend .band { fill: var(--base); fill-opacity: 0.2; }
svg.trend .axis { stroke: var(--line); }
svg.trend .history, svg.trend .to-head { fill: none; stroke: var(--base); stroke-width: 1.5; }
svg.trend .to-head { stroke-dasharray: 3 2; }
svg.trend .run { fill: var(--base); }
svg.trend .head { fill: var(--new); }
tr.status-regressed svg.trend .head { fill: var(--bad); }
tr.status-improved svg.trend .head { fill: var(--good); }
svg.trend text { fill: var(--muted); font-size: 10px; }
svg.dist text, svg.timeline text { fill: var(--muted); font-size: 10px; }
svg.timeline { display: block; width: 100%; height: auto; max-width: 900px; }
svg.timeline .window { fill: var(--head); stroke: var(--line); }
button.toggle { all: unset; cursor: pointer; display: inline-block; width: 1.2em; color: var(--muted); }
button.toggle:focus-visible { outline: 2px solid var(--new); }
button.toggle::before { content: "\u25b8"; }
button.toggle[aria-expanded="true"]::before { content: "\u25be"; }
.toggle-space { display: inline-block; width: 1.2em; }
tr.detail > td { background: var(--head); padding: 8px 12px 12px; text-align: left; white-space: normal; }
.detail-panel { display: flex; flex-wrap: wrap; gap: 8px 32px; align-items: flex-start; }
.detail-panel .part { min-width: 0; }
.detail-panel h4, .device h3 { margin: 4px 0; font-size: 14px; }
.detail-panel table, .device table, .phase-kernels { width: auto; }
.detail-panel .launch-test { flex-basis: 100%; margin: 0; }
.legend { margin: 2px 0 6px; color: var(--muted); font-size: 12px; }
.key::before { content: ""; display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 8px;
  vertical-align: -1px; }
.key.base::before { background: var(--base); }
.key.head::before { background: var(--new); }
tr.status-regressed .key.head::before { background: var(--bad); }
tr.status-improved .key.head::before { background: var(--good); }
.device { margin: 8px 0 20px; }
.device table.gaps th:nth-child(n+5) { text-align: left; }
.device table.gaps td:nth-child(5), .device table.gaps td:nth-child(6) { text-align: left;
  white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
.phase-kernels th[scope="row"] { white-space: pre-wrap; overflow-wrap: anywhere;
  font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; font-weight: normal; }
#notes li { margin: 4px 0; }
.severity { display: inline-block; min-width: 4.5em; font-weight: 600; color: var(--muted); }
.note-error .severity { color: var(--bad); }
.note-warning .severity { color: var(--warn); }
.warning, #report-error { color: var(--bad); font-weight: 600; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

const NAME_LIMIT = 1000;
const DEFAULT_COMPRESS_ABOVE = 1024 * 1024;
const NOTE_LIMIT = 200;
const NOTE_LENGTH$1 = 1000;
const STATUS_ORDER = [
    'regressed',
    'improved',
    'new',
    'removed',
    'unchanged'
];
const VERDICT_TEXT = {
    pass: 'No GPU performance regression',
    regression: 'GPU performance regression',
    inconclusive: 'Inconclusive \u2014 the two sides cannot be compared honestly',
    accepted: 'Regression accepted'
};
function renderHtml(comparison, options = {}) {
    const views = viewsOf(comparison);
    const data = {
        ...reportData(comparison, options.runs),
        views: views.map(({ id, table, statuses, charts }) => ({ id, table, statuses, charts }))
    };
    const script = `(${client.toString()})();`;
    const policy = [
        "default-src 'none'",
        `script-src '${sha256(script)}'`,
        `style-src '${sha256(STYLE)}'`,
        "img-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'"
    ].join('; ');
    const title = `nsys-bench${options.name ? ` (${clip(options.name, 100)})` : ''}`;
    const out = [
        '<!doctype html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        `<title>${pageText(`${title}: ${VERDICT_TEXT[comparison.gate.verdict]}`)}</title>`,
        `<style>${STYLE}</style>`,
        '</head>',
        `<body class="verdict-${comparison.gate.verdict}">`,
        '<main>',
        ...header(comparison, title, options),
        ...breakdown(comparison),
        ...sections(views.filter((v) => !v.full), data),
        ...sections(views.filter((v) => v.full), undefined),
        ...notes(comparison.notes),
        `<footer>${pageText(`${comparison.tool.name} ${comparison.tool.version} · compared on ${comparison.today}`)}</footer>`,
        '</main>',
        `<script type="application/json" id="report-data">${embedded(data, options.compressAbove ?? DEFAULT_COMPRESS_ABOVE)}</script>`,
        `<script>${script}</script>`,
        '</body>',
        '</html>',
        ''
    ];
    return out.join('\n');
}
function pageText(text) {
    return visible(text)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
}
function scriptJson(value) {
    return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => {
        return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    });
}
function embedded(data, compressAbove) {
    const json = JSON.stringify(data);
    if (json.length <= compressAbove)
        return scriptJson({ encoding: 'json', report: data });
    const packed = zlib().gzipSync(Buffer.from(json, 'utf8'), { level: 9 }).toString('base64');
    return scriptJson({ encoding: 'gzip+base64', data: packed });
}
function sha256(text) {
    return `sha256-${crypto().createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
function header(comparison, title, options) {
    const { gate } = comparison;
    const out = [
        '<header>',
        `<p class="tool">${pageText(title)}</p>`,
        `<h1 id="verdict" data-verdict="${gate.verdict}">${pageText(VERDICT_TEXT[gate.verdict])}</h1>`
    ];
    if (gate.verdict === 'inconclusive')
        out.push('<p>This is not a pass: the comparison cannot be trusted because</p>');
    if (gate.reasons.length > 0) {
        out.push('<ul id="reasons">');
        for (const reason of gate.reasons)
            out.push(`<li><code>${pageText(reason.code)}</code> ${pageText(clip(reason.message, NOTE_LENGTH$1))}</li>`);
        out.push('</ul>');
    }
    const kernels = comparison.tables.find((t) => t.table === 'kernels');
    if (kernels) {
        const t = kernels.total;
        const c = kernels.counts;
        out.push(`<p class="headline">Total GPU kernel time <strong>${pageText(formatValue('ns', t.base))} \u2192 ${pageText(formatValue('ns', t.head))}</strong> (<strong>${pageText(formatPercent(t.deltaPct))}</strong>) · ${c.regressed} regressed · ${c.improved} improved · ${c.new} new · ${c.removed} removed kernels</p>`);
    }
    else
        out.push('<p class="headline">No GPU kernel table on both sides.</p>');
    const method = comparison.method.kind === 'mann-whitney-u'
        ? comparison.method.attainable
            ? `Mann\u2013Whitney U test at \u03b1 = ${comparison.method.alpha}`
            : `Student's t on the runs' logarithms at \u03b1 = ${comparison.method.alpha} (too few runs for Mann\u2013Whitney)`
        : singleRunMethod(comparison);
    const lines = [
        `Base: ${plural(comparison.runs.base, 'run')} · head: ${plural(comparison.runs.head, 'run')} · ${method}`,
        environment('Base', comparison.meta.base),
        environment('Head', comparison.meta.head),
        ...(options.context ?? []).map((line) => clip(line, 400))
    ].filter((line) => line !== undefined);
    for (const line of lines)
        out.push(`<p class="context">${pageText(line)}</p>`);
    out.push('</header>');
    return out;
}
function environment(label, meta) {
    const parts = [];
    const gpus = meta.gpus ?? [];
    const first = gpus[0];
    if (first) {
        const details = [
            first.driver ? `driver ${first.driver}` : '',
            first.cuda ? `CUDA ${first.cuda}` : ''
        ].filter(Boolean);
        parts.push(`${gpus.length > 1 ? `${gpus.length} × ` : ''}${first.name}${details.length ? ` (${details.join(', ')})` : ''}`);
    }
    const { profiler } = meta;
    if (profiler.name !== 'nsys')
        parts.push(`profiler ${clip(profiler.name, 40)}${profiler.version ? ` ${clip(profiler.version, 40)}` : ''}`);
    else if (profiler.version)
        parts.push(`Nsight Systems ${profiler.version}`);
    if (meta.runner)
        parts.push(`runner ${meta.runner}`);
    return parts.length > 0 ? `${label}: ${clip(parts.join(' · '), 400)}` : undefined;
}
function breakdown(comparison) {
    if (comparison.tables.length === 0)
        return [];
    const out = [
        '<section id="breakdown">',
        '<h2>Breakdown by table</h2>',
        '<div class="scroll"><table>',
        '<thead><tr><th>Table</th><th>Base</th><th>Head</th><th>\u0394</th><th>\u0394 %</th><th>Regressed</th><th>Improved</th><th>New</th><th>Removed</th><th>Unchanged</th><th>Gated</th></tr></thead>',
        '<tbody>'
    ];
    for (const table of comparison.tables) {
        const t = table.total;
        const c = table.counts;
        const cells = [
            formatValue(table.unit, t.base),
            formatValue(table.unit, t.head),
            formatDelta(table.unit, t.delta),
            formatPercent(t.deltaPct),
            String(c.regressed),
            String(c.improved),
            String(c.new),
            String(c.removed),
            String(c.unchanged),
            table.gated ? (t.gated ? 'items and total' : 'items') : t.gated ? 'total' : 'no'
        ];
        const label = `${TABLES[table.table].title}${perOccurrence$1(table) ? ', per occurrence (sum over items)' : ''}`;
        out.push(`<tr class="status-${t.status}"><th scope="row">${pageText(label)}</th>${cells.map((cell) => `<td>${pageText(cell)}</td>`).join('')}</tr>`);
    }
    out.push('</tbody>', '</table></div>', '</section>');
    return out;
}
function viewsOf(comparison) {
    const views = [];
    const add = (table, statuses, heading, charts) => {
        views.push({
            id: `view-${views.length}`,
            table,
            statuses: statuses.map((s) => STATUS_ORDER.indexOf(s)),
            charts,
            heading,
            full: false,
            open: true
        });
    };
    const failing = (t) => gatedItemRegressed(t) || totalFails(t);
    const rank = (t) => (t.table === 'kernels' ? 0 : failing(t) ? 1 : 2);
    const ordered = [...comparison.tables.entries()].sort(([, a], [, b]) => rank(a) - rank(b));
    for (const [i, table] of ordered) {
        const label = TABLES[table.table].title;
        const kernels = table.table === 'kernels';
        const c = table.counts;
        if (c.regressed > 0)
            add(i, ['regressed'], `${kernels ? 'Regressions' : `Regressions in ${label}`} (${c.regressed})`, true);
        if (!kernels && c.new > 0 && totalFails(table))
            add(i, ['new'], `New in ${label} (${c.new})`, false);
        if (c.improved > 0)
            add(i, ['improved'], `${kernels ? 'Improvements' : `Improvements in ${label}`} (${c.improved})`, true);
        if (kernels && c.new > 0)
            add(i, ['new'], `New kernels (${c.new})`, false);
        if (kernels && c.removed > 0)
            add(i, ['removed'], `Removed kernels (${c.removed})`, false);
    }
    for (const [i, table] of comparison.tables.entries()) {
        if (table.items.length === 0 && table.ignored === 0)
            continue;
        const c = table.counts;
        views.push({
            id: `view-${views.length}`,
            table: i,
            statuses: STATUS_ORDER.map((_, k) => k),
            charts: false,
            heading: `${TABLES[table.table].title}: ${plural(table.items.length, 'item')} · ${c.regressed} regressed, ${c.improved} improved, ${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged${table.ignored > 0 ? ` · ${plural(table.ignored, 'item')} ignored by rules` : ''}${table.gated ? '' : table.total.gated ? ' · gated on the total' : ' · not gated'}`,
            full: true,
            open: table.table === 'kernels'
        });
    }
    return views;
}
function sections(views, data) {
    const out = data
        ? [
            '<noscript><p class="warning">The tables and charts of this report are drawn by its script: allow JavaScript for this file (comparison.json holds the same numbers).</p></noscript>'
        ]
        : [];
    let fullHeading = false;
    for (const view of views) {
        if (!view.full) {
            out.push(`<section class="view" id="${view.id}"><h2>${pageText(view.heading)}</h2><div class="view-body"></div></section>`);
            continue;
        }
        if (!fullHeading)
            out.push('<h2 id="full-tables">Full tables</h2>');
        fullHeading = true;
        out.push(`<details class="view" id="${view.id}"${view.open ? ' open' : ''}><summary>${pageText(view.heading)}</summary><div class="view-body"></div></details>`);
    }
    if (data?.timeline)
        out.push(`<section id="gpu-timeline"><h2>GPU timeline: idle gaps</h2><div class="timeline-body"></div></section>`);
    if (data?.phases)
        out.push(`<section id="nvtx-phases"><h2>NVTX phases: GPU time per occurrence</h2><div class="phases-body"></div></section>`);
    return out;
}
function notes(all) {
    if (all.length === 0)
        return [];
    const out = ['<section id="notes">', `<h2>Notes (${all.length})</h2>`, '<ul>'];
    const shown = [...all]
        .sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity])
        .slice(0, NOTE_LIMIT);
    for (const note of shown)
        out.push(`<li class="note-${note.severity}"><span class="severity">${note.severity}</span> <code>${pageText(note.code)}</code> ${pageText(clip(note.message, NOTE_LENGTH$1))}</li>`);
    out.push('</ul>');
    if (all.length > shown.length)
        out.push(`<p>${plural(all.length - shown.length, 'more note')} not shown (comparison.json has them all).</p>`);
    out.push('</section>');
    return out;
}
const SEVERITY = { error: 0, warning: 1, info: 2 };
function reportData(comparison, runs) {
    const repeated = comparison.method.kind === 'mann-whitney-u';
    const launches = runs ? launchSides(runs) : { base: undefined, head: undefined };
    const shapes = shapesByKernel(comparison.tables.find((t) => t.table === 'kernelShapes'), (status) => STATUS_ORDER.indexOf(status));
    const data = {
        tables: comparison.tables.map((table) => tableData(table, repeated, table.table === 'kernels'
            ? (item) => detailData(item, launches, shapes, table.unit)
            : (item) => {
                const tr = trendData(item, table.unit);
                return tr ? { tr } : undefined;
            })),
        views: []
    };
    const timeline = timelineData(comparison);
    if (timeline)
        data.timeline = timeline;
    const phases = phasesData(comparison, (item) => STATUS_ORDER.indexOf(item.status), statusText);
    if (phases)
        data.phases = phases;
    return data;
}
function tableData(table, repeated, details) {
    const each = perOccurrence$1(table) ? ' per occurrence' : '';
    const columns = [
        `Base${each}`,
        `Head${each}`,
        '\u0394',
        '\u0394 %',
        perOccurrence$1(table) ? 'Occurrences' : 'Instances',
        'Share'
    ];
    if (repeated)
        columns.push('p', 'CI of \u0394 %');
    return {
        title: TABLES[table.table].title,
        item: TABLES[table.table].item,
        columns,
        rows: table.items.map((item) => {
            const row = rowData(item, table, repeated);
            const x = details?.(item);
            if (x)
                row.x = x;
            return row;
        })
    };
}
function rowData(item, table, repeated) {
    const unit = table.unit;
    const base = item.base?.value;
    const head = item.head?.value;
    const counted = count$1(table, item.head) ?? count$1(table, item.base) ?? null;
    const cells = [
        base === undefined ? '\u2014' : formatValue(unit, base),
        head === undefined ? '\u2014' : formatValue(unit, head),
        formatDelta(unit, item.delta),
        formatPercent(item.deltaPct),
        countText(item, table),
        formatShare(item.sharePct)
    ];
    const keys = [
        base ?? null,
        head ?? null,
        item.delta,
        item.deltaPct,
        counted,
        item.sharePct
    ];
    if (repeated) {
        const s = item.significance;
        const finite = (n) => n !== undefined && Number.isFinite(n) ? n : null;
        cells.push(s ? formatP(s.p) : '', s ? `${formatPercent(s.ciLowPct)} \u2026 ${formatPercent(s.ciHighPct)}` : '');
        keys.push(finite(s?.p), finite(s?.ciLowPct));
    }
    const row = {
        n: nameText(item, table),
        s: STATUS_ORDER.indexOf(item.status),
        t: statusText(item, table.total.gated),
        c: cells,
        k: keys
    };
    if ((item.status === 'regressed' || item.status === 'improved') &&
        base !== undefined &&
        head !== undefined)
        row.g = chartData(item, unit, base, head);
    if (!item.variant) {
        const shown = apartName(table, item.name);
        if (shown !== undefined)
            row.a = shownName$2(shown, Infinity);
    }
    else if ([...row.n].length > SHOWN_NAME) {
        row.a = variantText(item.variant, Math.floor((SHOWN_NAME - 3) / 2));
    }
    return row;
}
const SHOWN_NAME = 160;
function apartName(table, name) {
    const shown = shortenApartOf(table, () => table.items.map((i) => i.name), SHOWN_NAME)(name);
    return shown === shorten(name, SHOWN_NAME) ? undefined : shown;
}
function variantText(variant, max) {
    const apart = shortenApart([...variant.base, ...variant.head], max);
    const side = (names) => listed(names, 3, (n) => shownName$2(apart(n), Infinity), ' + ');
    return `${side(variant.base)} \u2192 ${side(variant.head)}`;
}
function nameText(item, table) {
    if (item.variant)
        return variantText(item.variant, 300);
    const shared = Math.max(item.base?.sharedBy ?? 0, item.head?.sharedBy ?? 0);
    const what = table.table === 'kernels' ? 'kernels' : 'names';
    return (shownName$2(item.name, NAME_LIMIT) +
        (shared > 1 ? ` (${shared} ${what} share this cut name)` : ''));
}
const REASON_TEXT = {
    'below-threshold': 'under threshold',
    'below-floor': 'under floor',
    'not-significant': 'not significant'
};
function statusText(item, totalGated = false) {
    const parts = [
        item.status === 'unchanged' && item.reason
            ? `unchanged (${REASON_TEXT[item.reason]})`
            : item.status
    ];
    if (item.variant)
        parts.push(`variant changed (${visible(clip(item.variant.family, 120))})`);
    if (item.accepted) {
        const by = item.accepted.by === 'label'
            ? `label ${visible(clip(item.accepted.label ?? '', 100))}`
            : `rules file until ${item.accepted.until ?? '?'}: ${visible(clip(item.accepted.reason, 120))}`;
        parts.push(`accepted (${by})`);
    }
    if (!item.gated && item.status === 'regressed')
        parts.push(totalGated ? 'gated on the total' : 'not gated');
    return parts.join(', ');
}
function perOccurrence$1(table) {
    return table.measure === 'perOccurrence';
}
function count$1(table, stat) {
    if (!stat)
        return undefined;
    return perOccurrence$1(table) ? occurrencesOf(stat) : stat.instances;
}
function countText(item, table) {
    const b = count$1(table, item.base);
    const h = count$1(table, item.head);
    if (b === undefined || h === undefined)
        return formatCount(b ?? h ?? 0);
    return b === h ? formatCount(b) : `${formatCount(b)} \u2192 ${formatCount(h)}`;
}
function chartData(item, unit, base, head) {
    const b = item.samples?.base ?? [base];
    const h = item.samples?.head ?? [head];
    const all = [...b, ...h];
    const max = Math.max(...all);
    let lo = 0;
    let hi = max > 0 ? max : 1;
    if (b.length > 1 || h.length > 1) {
        const min = Math.min(...all);
        const pad = (max - min) * 0.08 || Math.abs(max) * 0.05 || 1;
        lo = Math.max(0, min - pad);
        hi = max + pad;
    }
    const side = (label, values, median) => values.length > 1
        ? `${label}: ${values.length} runs from ${formatValue(unit, Math.min(...values))} to ${formatValue(unit, Math.max(...values))}, median ${formatValue(unit, median)}`
        : `${label}: ${formatValue(unit, median)}`;
    return {
        b,
        h,
        lo,
        hi,
        lt: formatValue(unit, lo),
        ht: formatValue(unit, hi),
        d: `${side('base', b, base)}; ${side('head', h, head)} (${formatPercent(item.deltaPct)})`
    };
}

// To do: next major: remove.
/**
 * @typedef {Options} MarkdownTableOptions
 *   Configuration.
 */

/**
 * @typedef Options
 *   Configuration.
 * @property {boolean | null | undefined} [alignDelimiters=true]
 *   Whether to align the delimiters (default: `true`);
 *   they are aligned by default:
 *
 *   ```markdown
 *   | Alpha | B     |
 *   | ----- | ----- |
 *   | C     | Delta |
 *   ```
 *
 *   Pass `false` to make them staggered:
 *
 *   ```markdown
 *   | Alpha | B |
 *   | - | - |
 *   | C | Delta |
 *   ```
 * @property {ReadonlyArray<string | null | undefined> | string | null | undefined} [align]
 *   How to align columns (default: `''`);
 *   one style for all columns or styles for their respective columns;
 *   each style is either `'l'` (left), `'r'` (right), or `'c'` (center);
 *   other values are treated as `''`, which doesn\u2019t place the colon in the
 *   alignment row but does align left;
 *   *only the lowercased first character is used, so `Right` is fine.*
 * @property {boolean | null | undefined} [delimiterEnd=true]
 *   Whether to end each row with the delimiter (default: `true`).
 *
 *   > \ud83d\udc49 **Note**: please don\u2019t use this: it could create fragile structures
 *   > that aren\u2019t understandable to some markdown parsers.
 *
 *   When `true`, there are ending delimiters:
 *
 *   ```markdown
 *   | Alpha | B     |
 *   | ----- | ----- |
 *   | C     | Delta |
 *   ```
 *
 *   When `false`, there are no ending delimiters:
 *
 *   ```markdown
 *   | Alpha | B
 *   | ----- | -----
 *   | C     | Delta
 *   ```
 * @property {boolean | null | undefined} [fillRows=true]
 *   Whether to fill rows with empty cells up to the most cells in a row
 *   (default: `true`).
 *
 *   When `true`, all rows have as many cells as the longest row:
 *
 *   ```markdown
 *   | Alpha | B    |   |
 *   | ----- | ---- | - |
 *   | C     |      |   |
 *   | D     | Echo | F |
 *   ```
 *
 *   When `false`, rows keep their cells,
 *   and the delimiter row has as many cells as the header row:
 *
 *   ```markdown
 *   | Alpha | B    |
 *   | ----- | ---- |
 *   | C     |
 *   | D     | Echo | F |
 *   ```
 * @property {boolean | null | undefined} [delimiterStart=true]
 *   Whether to begin each row with the delimiter (default: `true`).
 *
 *   > \ud83d\udc49 **Note**: please don\u2019t use this: it could create fragile structures
 *   > that aren\u2019t understandable to some markdown parsers.
 *
 *   When `true`, there are starting delimiters:
 *
 *   ```markdown
 *   | Alpha | B     |
 *   | ----- | ----- |
 *   | C     | Delta |
 *   ```
 *
 *   When `false`, there are no starting delimiters:
 *
 *   ```markdown
 *   Alpha | B     |
 *   ----- | ----- |
 *   C     | Delta |
 *   ```
 * @property {boolean | null | undefined} [padding=true]
 *   Whether to add a space of padding between delimiters and cells
 *   (default: `true`).
 *
 *   When `true`, there is padding:
 *
 *   ```markdown
 *   | Alpha | B     |
 *   | ----- | ----- |
 *   | C     | Delta |
 *   ```
 *
 *   When `false`, there is no padding:
 *
 *   ```markdown
 *   |Alpha|B    |
 *   |-----|-----|
 *   |C    |Delta|
 *   ```
 * @property {((value: string) => number) | null | undefined} [stringLength]
 *   Function to detect the length of table cell content (optional);
 *   this is used when aligning the delimiters (`|`) between table cells;
 *   full-width characters and emoji mess up delimiter alignment when viewing
 *   the markdown source;
 *   to fix this, you can pass this function,
 *   which receives the cell content and returns its \u201cvisible\u201d size;
 *   note that what is and isn\u2019t visible depends on where the text is displayed.
 *
 *   Without such a function, the following:
 *
 *   ```js
 *   markdownTable([
 *     ['Alpha', 'Bravo'],
 *     ['\u4e2d\u6587', 'Charlie'],
 *     ['\ud83d\udc69\u200d\u2764\ufe0f\u200d\ud83d\udc69', 'Delta']
 *   ])
 *   ```
 *
 *   Yields:
 *
 *   ```markdown
 *   | Alpha | Bravo |
 *   | - | - |
 *   | \u4e2d\u6587 | Charlie |
 *   | \ud83d\udc69\u200d\u2764\ufe0f\u200d\ud83d\udc69 | Delta |
 *   ```
 *
 *   With [`string-width`](https://github.com/sindresorhus/string-width):
 *
 *   ```js
 *   import stringWidth from 'string-width'
 *
 *   markdownTable(
 *     [
 *       ['Alpha', 'Bravo'],
 *       ['\u4e2d\u6587', 'Charlie'],
 *       ['\ud83d\udc69\u200d\u2764\ufe0f\u200d\ud83d\udc69', 'Delta']
 *     ],
 *     {stringLength: stringWidth}
 *   )
 *   ```
 *
 *   Yields:
 *
 *   ```markdown
 *   | Alpha | Bravo   |
 *   | ----- | ------- |
 *   | \u4e2d\u6587  | Charlie |
 *   | \ud83d\udc69\u200d\u2764\ufe0f\u200d\ud83d\udc69    | Delta   |
 *   ```
 */

/**
 * Get the length of a cell.
 *
 * @param {string} value
 *   Cell value.
 * @returns {number}
 *   Cell size.
 */
function defaultStringLength(value) {
  return value.length
}

/**
 * Generate a markdown
 * ([GFM](https://docs.github.com/en/github/writing-on-github/working-with-advanced-formatting/organizing-information-with-tables))
 * table.
 *
 * @param {ReadonlyArray<ReadonlyArray<string | null | undefined>>} table
 *   Table data (matrix of strings).
 * @param {Readonly<Options> | null | undefined} [options]
 *   Configuration (optional).
 * @returns {string}
 *   Result.
 */
function markdownTable(table, options) {
  const settings = options || {};
  // To do: next major: change to spread.
  // eslint-disable-next-line unicorn/prefer-spread -- `align` can be a string.
  const align = (settings.align || []).concat();
  const stringLength = settings.stringLength || defaultStringLength;
  /** @type {Array<number>} Character codes as symbols for alignment per column. */
  const alignments = [];
  /** @type {Array<Array<string>>} Cells per row. */
  const cellMatrix = [];
  /** @type {Array<Array<number>>} Sizes of each cell per row. */
  const sizeMatrix = [];
  /** @type {Array<number>} */
  const longestCellByColumn = [];
  let mostCellsPerRow = 0;
  let rowIndex = -1;

  // This is a superfluous loop if we don\u2019t align delimiters, but otherwise we\u2019d
  // do superfluous work when aligning, so optimize for aligning.
  while (++rowIndex < table.length) {
    /** @type {Array<string>} */
    const row = [];
    /** @type {Array<number>} */
    const sizes = [];
    let columnIndex = -1;

    if (table[rowIndex].length > mostCellsPerRow) {
      mostCellsPerRow = table[rowIndex].length;
    }

    while (++columnIndex < table[rowIndex].length) {
      const cell = serialize(table[rowIndex][columnIndex]);

      if (settings.alignDelimiters !== false) {
        const size = stringLength(cell);
        sizes[columnIndex] = size;

        if (
          longestCellByColumn[columnIndex] === undefined ||
          size > longestCellByColumn[columnIndex]
        ) {
          longestCellByColumn[columnIndex] = size;
        }
      }

      row.push(cell);
    }

    cellMatrix[rowIndex] = row;
    sizeMatrix[rowIndex] = sizes;
  }

  // Figure out which alignments to use.
  let columnIndex = -1;

  if (typeof align === 'object' && 'length' in align) {
    while (++columnIndex < mostCellsPerRow) {
      alignments[columnIndex] = toAlignment(align[columnIndex]);
    }
  } else {
    const code = toAlignment(align);

    while (++columnIndex < mostCellsPerRow) {
      alignments[columnIndex] = code;
    }
  }

  // Inject the alignment row.
  columnIndex = -1;
  /** @type {Array<string>} */
  const row = [];
  /** @type {Array<number>} */
  const sizes = [];

  while (++columnIndex < mostCellsPerRow) {
    const code = alignments[columnIndex];
    let before = '';
    let after = '';

    if (code === 99 /* `c` */) {
      before = ':';
      after = ':';
    } else if (code === 108 /* `l` */) {
      before = ':';
    } else if (code === 114 /* `r` */) {
      after = ':';
    }

    // There *must* be at least one hyphen-minus in each alignment cell.
    let size =
      settings.alignDelimiters === false
        ? 1
        : Math.max(
            1,
            longestCellByColumn[columnIndex] - before.length - after.length
          );

    const cell = before + '-'.repeat(size) + after;

    if (settings.alignDelimiters !== false) {
      size = before.length + size + after.length;

      if (size > longestCellByColumn[columnIndex]) {
        longestCellByColumn[columnIndex] = size;
      }

      sizes[columnIndex] = size;
    }

    row[columnIndex] = cell;
  }

  // Inject the alignment row.
  cellMatrix.splice(1, 0, row);
  sizeMatrix.splice(1, 0, sizes);

  rowIndex = -1;
  /** @type {Array<string>} */
  const lines = [];

  while (++rowIndex < cellMatrix.length) {
    const row = cellMatrix[rowIndex];
    const sizes = sizeMatrix[rowIndex];
    const cellsInRow =
      settings.fillRows === false
        ? Math.max(1, cellMatrix[rowIndex === 1 ? 0 : rowIndex].length)
        : mostCellsPerRow;
    columnIndex = -1;
    /** @type {Array<string>} */
    const line = [];

    while (++columnIndex < cellsInRow) {
      const cell = row[columnIndex] || '';
      let before = '';
      let after = '';

      if (settings.alignDelimiters !== false) {
        const size =
          longestCellByColumn[columnIndex] - (sizes[columnIndex] || 0);
        const code = alignments[columnIndex];

        if (code === 114 /* `r` */) {
          before = ' '.repeat(size);
        } else if (code === 99 /* `c` */) {
          const half = size / 2;

          if (size % 2) {
            before = ' '.repeat(half + 0.5);
            after = ' '.repeat(half - 0.5);
          } else {
            before = ' '.repeat(half);
            after = before;
          }
        } else {
          after = ' '.repeat(size);
        }
      }

      if (settings.delimiterStart !== false && !columnIndex) {
        line.push('|');
      }

      if (
        settings.padding !== false &&
        // Don\u2019t add the opening space if we\u2019re not aligning and the cell is
        // empty: there will be a closing space.
        !(settings.alignDelimiters === false && cell === '') &&
        (settings.delimiterStart !== false || columnIndex)
      ) {
        line.push(' ');
      }

      if (settings.alignDelimiters !== false) {
        line.push(before);
      }

      line.push(cell);

      if (settings.alignDelimiters !== false) {
        line.push(after);
      }

      if (settings.padding !== false) {
        line.push(' ');
      }

      if (settings.delimiterEnd !== false || columnIndex !== cellsInRow - 1) {
        line.push('|');
      }
    }

    lines.push(
      settings.delimiterEnd === false
        ? line.join('').replace(/ +$/, '')
        : line.join('')
    );
  }

  return lines.join('\n')
}

/**
 * Serialize a cell value.
 *
 * @param {string | null | undefined} [value]
 *   Value to serialize.
 * @returns {string}
 *   Result.
 */
function serialize(value) {
  return value === null || value === undefined ? '' : String(value)
}

/**
 * Get the alignment character code from a value.
 *
 * @param {string | null | undefined} value
 *   Value.
 * @returns {number}
 *   Alignment.
 */
function toAlignment(value) {
  const code = typeof value === 'string' ? value.codePointAt(0) : 0;

  return code === 67 /* `C` */ || code === 99 /* `c` */
    ? 99 /* `c` */
    : code === 76 /* `L` */ || code === 108 /* `l` */
      ? 108 /* `l` */
      : code === 82 /* `R` */ || code === 114 /* `r` */
        ? 114 /* `r` */
        : 0
}

function categoryLineMarkdown(comparison) {
    const parts = categoryParts(comparison, (name) => markdownText(name));
    if (!parts)
        return undefined;
    const text = parts.map((p) => (p.changed ? `**${p.name}** ${p.change}` : `${p.name} ${p.change}`));
    return `**By category:** ${text.join(' · ')}`;
}
function categoryLineText(comparison) {
    const parts = categoryParts(comparison, (name) => terminalText(name));
    if (!parts)
        return undefined;
    return `By category: ${parts.map((p) => `${p.name} ${p.change}`).join(', ')}`;
}
const MAX_PARTS = 12;
function categoryParts(comparison, escape) {
    const timeline = [busyPart(comparison), idlePart(comparison)].filter((p) => p !== undefined);
    const table = comparison.tables.find((t) => t.table === 'categories');
    if (!table || table.items.length === 0)
        return timeline.length > 0 ? timeline : undefined;
    const size = (i) => Math.max(i.base?.total ?? 0, i.head?.total ?? 0);
    const items = [...table.items].sort((a, b) => size(b) - size(a) || (a.key < b.key ? -1 : 1));
    const parts = items.slice(0, MAX_PARTS).map((item) => ({
        name: escape(clip(item.name, 100)),
        change: change(item, table.unit),
        changed: item.status === 'regressed' || item.status === 'improved'
    }));
    if (items.length > MAX_PARTS)
        parts.push({ name: `${items.length - MAX_PARTS} more`, change: '', changed: false });
    parts.push(...timeline);
    return parts;
}
function busyPart(comparison) {
    const table = comparison.tables.find((t) => t.table === 'gpuBusy');
    if (!table)
        return undefined;
    const { total } = table;
    const pct = formatPercent(total.deltaPct);
    return {
        name: 'GPU busy',
        change: total.delta === 0 ? pct : `${pct} (${formatDelta('ns', total.delta)})`,
        changed: total.status === 'regressed' || total.status === 'improved'
    };
}
function idlePart(comparison) {
    const table = comparison.tables.find((t) => t.table === 'gpuIdle');
    if (!table)
        return undefined;
    const { total } = table;
    const pct = formatPercent(total.deltaPct);
    let change = total.delta === 0 ? pct : `${pct} (${formatDelta('ns', total.delta)})`;
    let gaps = 0;
    for (const item of table.items) {
        if (!/: gaps (100 µs\u20131 ms|over 1 ms)$/.test(item.key))
            continue;
        gaps += (item.head?.instances ?? 0) - (item.base?.instances ?? 0);
    }
    if (gaps !== 0)
        change += `, ${Math.abs(gaps)} ${gaps > 0 ? 'more' : 'fewer'} gap${Math.abs(gaps) === 1 ? '' : 's'} over 100 µs`;
    return {
        name: 'GPU idle',
        change,
        changed: total.status === 'regressed' || total.status === 'improved'
    };
}
function change(item, unit) {
    if (item.status === 'new')
        return `new (${formatValue(unit, item.head?.total ?? 0)})`;
    if (item.status === 'removed')
        return `removed (${formatDelta(unit, item.delta)})`;
    const pct = formatPercent(item.deltaPct);
    return item.delta === 0 ? pct : `${pct} (${formatDelta(unit, item.delta)})`;
}

const BARS = '\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588';
function sparkline(values, head) {
    const shown = values.slice(-20);
    const all = head === undefined ? shown : [...shown, head];
    if (all.length === 0)
        return '';
    const low = Math.min(...all);
    const high = Math.max(...all);
    const bar = (v) => high === low
        ? BARS[3]
        : BARS[Math.round(((v - low) / (high - low)) * 7)];
    const line = shown.map(bar).join('');
    return head === undefined ? line : `${line}\u2192${bar(head)}`;
}
function trendCell(item) {
    if (!item.history)
        return '';
    return `\`${sparkline(item.history.values, item.head?.value)}\``;
}
function limitCell(item) {
    const limit = item.limit;
    if (!limit)
        return `±${item.threshold}%`;
    const runs = plural(limit.runs, 'run');
    if (limit.source === 'history')
        return `±${item.threshold}% (noise band of ${runs})`;
    switch (limit.why) {
        case 'rule':
            return `±${item.threshold}% (rules file)`;
        case 'too-few-runs':
            return `±${item.threshold}% (fixed: ${runs} of history, too few)`;
        default:
            return `±${item.threshold}% (fixed; band ±${limit.bandPct ?? 0}% of ${runs})`;
    }
}
function historyColumns(comparison) {
    return { trend: comparison.history !== undefined, limit: comparison.rules.auto };
}
function historyLine(comparison) {
    const h = comparison.history;
    if (!h)
        return comparison.rules.auto
            ? '_History: none (`threshold: auto` used the fixed thresholds)._'
            : undefined;
    const where = h.branch !== undefined ? ` on ${inlineCode(h.branch)}` : '';
    const used = `last ${plural(h.comparable, 'run')}${where}, ${markdownText(describeFingerprint(h.fingerprint))}`;
    const other = h.total > h.comparable
        ? ` (${h.total - h.comparable} other runs measured differently left out)`
        : '';
    const auto = comparison.rules.auto ? ' · limits: `threshold: auto`' : '';
    return `<sub>History: ${used}${other}${auto}.</sub>`;
}

const COMMENT_LIMIT = 65_536;
function renderCache() {
    return new Map();
}
const MIN_ROW = 10;
const LEVELS = [
    { sectionRows: Infinity, nameLength: 200, notes: 50 },
    { sectionRows: 100, nameLength: 160, notes: 30 },
    { sectionRows: 50, nameLength: 120, notes: 20 },
    { sectionRows: 20, nameLength: 100, notes: 10 },
    { sectionRows: 10, nameLength: 80, notes: 5 },
    { sectionRows: 5, nameLength: 60, notes: 3 },
    { sectionRows: 0, nameLength: 60, notes: 0 }
];
const FIRST_ROWS = 16;
const NOTE_LENGTH = 400;
function renderMarkdown(comparison, options = {}) {
    const prefix = options.prefix ?? '';
    const fits = (text) => (options.maxChars === undefined || prefix.length + text.length <= options.maxChars) &&
        (options.maxBytes === undefined || Buffer.byteLength(prefix + text, 'utf8') <= options.maxBytes);
    const most = Math.max(0, ...comparison.tables.map((t) => t.items.length));
    const rows = options.cache ?? renderCache();
    const limit = Math.min(options.maxChars ?? Infinity, options.maxBytes ?? Infinity);
    const room = Math.floor(limit / MIN_ROW);
    const all = comparison.tables.reduce((sum, t) => sum + t.items.length, 0);
    for (const level of LEVELS) {
        if (all <= room) {
            const text = build(comparison, options, { ...level, detailRows: Infinity, rows });
            if (fits(text))
                return text;
        }
        if (!fits(build(comparison, options, { ...level, detailRows: 0, rows })))
            continue;
        let lo = 0;
        let hi = Math.min(most, room);
        for (let count = FIRST_ROWS; count <= hi; count *= 2) {
            if (!fits(build(comparison, options, { ...level, detailRows: count, rows }))) {
                hi = count - 1;
                break;
            }
            lo = count;
        }
        while (lo < hi) {
            const mid = Math.ceil((lo + hi) / 2);
            if (fits(build(comparison, options, { ...level, detailRows: mid, rows })))
                lo = mid;
            else
                hi = mid - 1;
        }
        return build(comparison, options, { ...level, detailRows: lo, rows });
    }
    return headingOnly(comparison, options);
}
function headingOnly(comparison, options) {
    const lines = [heading(comparison.gate.verdict, options.title), ''];
    lines.push(`_The report did not fit in this space${options.fullReport ? `; ${options.fullReport}` : ''}._`, '');
    return lines.join('\n');
}
const VERDICT_HEADING = {
    pass: '\u2705 {title}: no GPU performance regression',
    regression: '\u274c {title}: GPU performance regression',
    inconclusive: '\u26a0\ufe0f {title}: inconclusive \u2014 the two sides cannot be compared honestly',
    accepted: '\u2611\ufe0f {title}: regression accepted'
};
function heading(verdict, title = 'nsys-bench') {
    return `### ${VERDICT_HEADING[verdict].replace('{title}', title)}`;
}
function build(comparison, options, budget) {
    const out = [];
    const trimmed = { rows: 0, notes: 0 };
    const { gate } = comparison;
    out.push(heading(gate.verdict, options.title), '');
    if (gate.verdict === 'inconclusive') {
        out.push('> [!CAUTION]', '> This is not a pass: the comparison cannot be trusted because');
        for (const reason of gate.reasons)
            out.push(`> - ${noteText(reason)}`);
        out.push('');
    }
    else if (gate.verdict === 'accepted') {
        out.push(`> [!NOTE]`, `> ${noteText(gate.reasons[0] ?? { message: '' })}`, '');
    }
    else if (gate.verdict === 'regression' && gate.reasons[0]) {
        out.push(`> [!IMPORTANT]`, `> ${noteText(gate.reasons[0])}`, '');
    }
    out.push(headline(comparison), '');
    const byCategory = categoryLineMarkdown(comparison);
    if (byCategory)
        out.push(byCategory, '');
    for (const line of options.context ?? [])
        out.push(line, '');
    out.push(limitsLine(comparison), '');
    const history = historyLine(comparison);
    if (history)
        out.push(history, '');
    const warnings = comparison.notes.filter((n) => n.severity === 'warning');
    const shownWarnings = warnings.slice(0, Math.max(budget.notes, 3));
    for (const note of shownWarnings)
        out.push(`> [!WARNING]\n> ${noteText(note)}\n`);
    trimmed.notes += warnings.length - shownWarnings.length;
    const kernels = comparison.tables.find((t) => t.table === 'kernels');
    if (kernels) {
        const c = kernels.counts;
        const gated = c.regressed === 0 || kernels.items.some((i) => i.gated && i.status === 'regressed');
        section(out, `${gated ? '' : 'Reported, not gated: '}Regressions (${c.regressed})`, kernels, 'regressed', budget, options, comparison);
        section(out, `Improvements (${c.improved})`, kernels, 'improved', budget, options, comparison);
        section(out, `New kernels (${c.new})`, kernels, 'new', budget, options, comparison);
        section(out, `Removed kernels (${c.removed})`, kernels, 'removed', budget, options, comparison);
    }
    const regressedTables = comparison.tables
        .filter((t) => t.table !== 'kernels' && t.table !== 'categories' && t.counts.regressed > 0)
        .map((table) => {
        const gated = gatedItemRegressed(table);
        const byTotal = !gated && table.total.gated && table.total.status === 'regressed';
        return { table, gated, byTotal };
    });
    const gating = (t) => (t.gated || t.byTotal ? 0 : 1);
    regressedTables.sort((a, b) => gating(a) - gating(b));
    for (const { table, gated, byTotal } of regressedTables) {
        const label = TABLES[table.table].title;
        section(out, `${gated ? '' : byTotal ? 'Gated on the total: ' : 'Reported, not gated: '}regressions in ${label} (${table.counts.regressed})`, table, 'regressed', budget, options, comparison);
    }
    for (const table of comparison.tables) {
        if (table.table === 'kernels' || table.counts.new === 0)
            continue;
        if (!totalFails(table))
            continue;
        section(out, `Gated on the total: new in ${TABLES[table.table].title} (${table.counts.new})`, table, 'new', budget, options, comparison);
    }
    out.push(...timelineMarkdown(comparison, budget.sectionRows, trimmed));
    const empty = [];
    for (const table of comparison.tables) {
        if (table.items.length === 0 && table.ignored === 0)
            empty.push(TABLES[table.table].title);
        else
            details(out, table, budget, trimmed, comparison);
    }
    if (empty.length > 0)
        out.push(`_No rows on either side: ${empty.join(', ')}._`, '');
    const notes = comparison.notes.filter((n) => n.severity === 'info');
    const shownNotes = notes.slice(0, budget.notes);
    trimmed.notes += notes.length - shownNotes.length;
    if (shownNotes.length > 0) {
        out.push(`<details><summary>Notes (${notes.length})</summary>`, '');
        for (const note of shownNotes)
            out.push(`- ${noteText(note)}`);
        out.push('', '</details>', '');
    }
    if (trimmed.rows > 0 || trimmed.notes > 0) {
        const what = [
            trimmed.rows > 0 ? plural(trimmed.rows, 'row') : '',
            trimmed.notes > 0 ? plural(trimmed.notes, 'note') : ''
        ]
            .filter(Boolean)
            .join(' and ');
        out.push(`_${what} not shown to keep this report within GitHub's size limit${options.fullReport ? `; ${options.fullReport}` : ''}._`, '');
    }
    if (options.footer)
        out.push(`<sub>${options.footer}</sub>`, '');
    return out.join('\n');
}
function noteText(note) {
    return markdownText(clip(note.message, NOTE_LENGTH));
}
function headline(comparison) {
    const kernels = comparison.tables.find((t) => t.table === 'kernels');
    const parts = [];
    if (kernels) {
        const t = kernels.total;
        const over = t.status === 'regressed' && t.gated ? (t.accepted ? ', accepted' : ', over the limit') : '';
        parts.push(`**Total GPU kernel time:** ${formatValue('ns', t.base)} \u2192 ${formatValue('ns', t.head)} (**${formatPercent(t.deltaPct)}**${over})`);
        const c = kernels.counts;
        parts.push(`${c.regressed} regressed · ${c.improved} improved · ${c.new} new · ${c.removed} removed kernels`);
    }
    else {
        parts.push('**No GPU kernel table on both sides**');
    }
    return parts.join(' · ');
}
function limitsLine(comparison) {
    const kernels = comparison.tables.find((t) => t.table === 'kernels');
    const runs = `Base: ${plural(comparison.runs.base, 'run')} · head: ${plural(comparison.runs.head, 'run')}`;
    const method = comparison.method.kind === 'mann-whitney-u'
        ? comparison.method.attainable
            ? `Mann\u2013Whitney U test at \u03b1 = ${comparison.method.alpha}`
            : `Student's t on the runs' logarithms at \u03b1 = ${comparison.method.alpha} (too few runs for Mann\u2013Whitney)`
        : singleRunMethod(comparison);
    const threshold = comparison.rules.auto
        ? `its noise band (at least ${kernels?.total.threshold ?? 0}%, \`threshold: auto\`)`
        : `${kernels ? firstThreshold(kernels) : 0}%`;
    const limits = kernels
        ? `a kernel counts when it moves by \u2265 ${threshold} and \u2265 ${formatValue('ns', firstFloor(kernels))}`
        : '';
    return `<sub>${[runs, method, limits].filter(Boolean).join(' · ')}</sub>`;
}
function firstThreshold(table) {
    return table.items.find((i) => i.rule === undefined)?.threshold ?? table.total.threshold;
}
function firstFloor(table) {
    return table.items.find((i) => i.rule === undefined)?.floor ?? table.total.floor;
}
function section(out, title, table, status, budget, options, comparison) {
    const items = table.items.filter((i) => i.status === status);
    if (items.length === 0)
        return;
    out.push(`#### ${title}`, '');
    const shown = items.slice(0, budget.sectionRows);
    if (shown.length > 0)
        out.push(itemTable(table, shown, status, budget, comparison), '');
    if (shown.length < items.length) {
        const where = budget.detailRows >= table.items.length
            ? ' (see the full table below)'
            : options.fullReport
                ? `; ${options.fullReport}`
                : ' (see the JSON report)';
        const left = items.length - shown.length;
        out.push(shown.length > 0 ? `_\u2026 and ${left} more${where}._` : `_${left} not listed here${where}._`, '');
    }
}
function details(out, table, budget, trimmed, comparison) {
    const label = TABLES[table.table].title;
    const c = table.counts;
    const summary = [
        `${label}${perOccurrence(table) ? ', per occurrence (sum over items)' : ''}: ${formatValue(table.unit, table.total.base)} \u2192 ${formatValue(table.unit, table.total.head)} (${formatPercent(table.total.deltaPct)})`,
        `${c.regressed} regressed, ${c.improved} improved, ${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged`,
        table.gated ? '' : table.total.gated ? 'gated on the total' : 'not gated'
    ]
        .filter(Boolean)
        .join(' · ');
    out.push(`<details><summary>${summary}</summary>`, '');
    const shown = table.items.slice(0, budget.detailRows);
    if (shown.length > 0)
        out.push(itemTable(table, shown, undefined, budget, comparison), '');
    if (shown.length < table.items.length) {
        out.push(`_${plural(table.items.length - shown.length, 'row')} not shown._`, '');
        trimmed.rows += table.items.length - shown.length;
    }
    if (table.ignored > 0)
        out.push(`_${plural(table.ignored, 'item')} ignored by rules._`, '');
    out.push('</details>', '');
}
function nameCell(item, table, maxLength) {
    if (item.variant) {
        const shown = shortenApart([...item.variant.base, ...item.variant.head], maxLength);
        const side = (names) => listed(names, 3, (n) => codeSpan(shown(n)));
        return `${side(item.variant.base)} \u2192 ${side(item.variant.head)}`;
    }
    const shared = Math.max(item.base?.sharedBy ?? 0, item.head?.sharedBy ?? 0);
    const what = table.table === 'kernels' ? 'kernels' : 'names';
    return (codeSpan(shownName$1(table, maxLength)(item.name)) +
        (shared > 1 ? ` (${shared} ${what} share this cut name)` : ''));
}
function shownName$1(table, maxLength) {
    return shortenApartOf(table, () => table.items.map((i) => i.name), maxLength);
}
function itemTable(table, items, status, budget, comparison) {
    const unit = table.unit;
    const what = TABLES[table.table].item;
    const repeated = comparison.method.kind === 'mann-whitney-u';
    const each = perOccurrence(table) ? ' per occurrence' : '';
    const counted = perOccurrence(table) ? 'Occurrences' : 'Instances';
    if (status === 'new' || status === 'removed') {
        const side = status === 'new' ? 'head' : 'base';
        return tableText([what, `${status === 'new' ? 'Head' : 'Base'}${each}`, counted, `Share of ${side}`], ['l', 'r', 'r', 'r'], items, (i) => [
            nameCell(i, table, budget.nameLength),
            formatValue(unit, i[side]?.value ?? 0),
            formatCount(count(table, i[side]) ?? 0),
            formatShare(i.sharePct)
        ], budget);
    }
    const header = [
        what,
        ...(status === 'unchanged' || status === undefined || items.some((i) => i.variant || i.accepted)
            ? ['Status']
            : []),
        `Base${each}`,
        `Head${each}`,
        '\u0394',
        '\u0394 %',
        counted,
        'Share'
    ];
    const withStatus = header[1] === 'Status';
    if (repeated)
        header.push('p', 'CI of \u0394 %');
    const columns = historyColumns(comparison);
    const moved = status === 'regressed' || status === 'improved';
    const limit = moved && columns.limit;
    const trend = moved && columns.trend;
    const launches = !repeated && items.some((i) => i.launches);
    if (launches)
        header.push('p (launches)', 'Launch p50', 'Launch p99');
    if (limit)
        header.push('Limit');
    if (trend)
        header.push('Trend');
    const cells = (i) => {
        const row = [
            nameCell(i, table, budget.nameLength),
            ...(withStatus ? [statusLabel(i)] : []),
            i.base ? formatValue(unit, i.base.value) : '\u2014',
            i.head ? formatValue(unit, i.head.value) : '\u2014',
            formatDelta(unit, i.delta),
            formatPercent(i.deltaPct),
            instances(table, i),
            formatShare(i.sharePct)
        ];
        if (repeated) {
            const s = i.significance;
            row.push(s ? formatP(s.p) : '', s ? `${formatPercent(s.ciLowPct)} \u2026 ${formatPercent(s.ciHighPct)}` : '');
        }
        if (launches) {
            const l = i.launches;
            row.push(l
                ? `${formatP(l.p)}${l.byCount ? ` (launches ${l.base.launches} \u2192 ${l.head.launches})` : ''}`
                : '', l ? `${formatDuration(l.base.p50)} \u2192 ${formatDuration(l.head.p50)}` : '', l ? `${formatDuration(l.base.p99)} \u2192 ${formatDuration(l.head.p99)}` : '');
        }
        if (limit)
            row.push(limitCell(i));
        if (trend)
            row.push(trendCell(i));
        return row;
    };
    const align = header.map((_, k) => (k === 0 || (withStatus && k === 1) ? 'l' : 'r'));
    return tableText(header, align, items, cells, budget);
}
function tableText(header, align, items, cells, budget) {
    const options = { align, alignDelimiters: false };
    const head = markdownTable([header], options);
    const key = `${budget.nameLength}\u0000${header.join('\u0000')}`;
    let lines = budget.rows?.get(key);
    if (!lines) {
        lines = new Map();
        budget.rows?.set(key, lines);
    }
    const out = [head];
    for (const item of items) {
        let line = lines.get(item);
        if (line === undefined) {
            line = markdownTable([header, cells(item)], options).slice(head.length + 1);
            lines.set(item, line);
        }
        out.push(line);
    }
    return out.join('\n');
}
function instances(table, item) {
    const b = count(table, item.base);
    const h = count(table, item.head);
    if (b === undefined || h === undefined)
        return formatCount(b ?? h ?? 0);
    return b === h ? formatCount(b) : `${formatCount(b)} \u2192 ${formatCount(h)}`;
}
function perOccurrence(table) {
    return table.measure === 'perOccurrence';
}
function count(table, stat) {
    if (!stat)
        return undefined;
    return perOccurrence(table) ? occurrencesOf(stat) : stat.instances;
}
function statusLabel(item) {
    const base = item.status !== 'unchanged' || !item.reason
        ? STATUS_LABEL[item.status]
        : `unchanged (${REASON_LABEL[item.reason]})`;
    const parts = [base];
    if (item.variant)
        parts.push(`variant changed (${markdownText(clip(item.variant.family, 120))})`);
    if (item.accepted) {
        const by = item.accepted.by === 'label'
            ? `label ${markdownText(item.accepted.label ?? '')}`
            : `rules file until ${item.accepted.until ?? '?'}: ${markdownText(clip(item.accepted.reason, 120))}`;
        parts.push(`\u2611\ufe0f accepted (${by})`);
    }
    return parts.join(', ');
}
const REASON_LABEL = {
    'below-threshold': 'under threshold',
    'below-floor': 'under floor',
    'not-significant': 'not significant'
};
const STATUS_LABEL = {
    regressed: '\ud83d\udd34 regressed',
    improved: '\ud83d\udfe2 improved',
    unchanged: 'unchanged',
    new: '\ud83c\udd95 new',
    removed: '\u2796 removed'
};

const VERDICT_LINE = {
    pass: 'pass (no regression)',
    regression: 'REGRESSION',
    inconclusive: 'INCONCLUSIVE (the two sides cannot be compared honestly)',
    accepted: 'regression ACCEPTED'
};
function renderText(comparison, options = {}) {
    const nameLength = options.nameLength ?? 100;
    const rows = options.rows ?? 20;
    const out = [];
    const kernels = comparison.tables.find((t) => t.table === 'kernels');
    out.push(`nsys-bench: ${VERDICT_LINE[comparison.gate.verdict]}`);
    for (const reason of comparison.gate.reasons)
        out.push(`  ${reason.code}: ${terminalText(clip(reason.message, 400))}`);
    if (kernels) {
        const t = kernels.total;
        const c = kernels.counts;
        out.push(`Total GPU kernel time: ${formatValue('ns', t.base)} -> ${formatValue('ns', t.head)} (${formatPercent(t.deltaPct)})` +
            `  ${c.regressed} regressed, ${c.improved} improved, ${c.new} new, ${c.removed} removed`);
    }
    const byCategory = categoryLineText(comparison);
    if (byCategory)
        out.push(byCategory);
    out.push(`Runs: base ${comparison.runs.base}, head ${comparison.runs.head}; ` +
        (comparison.method.kind === 'mann-whitney-u'
            ? comparison.method.attainable
                ? `Mann-Whitney U test, alpha ${comparison.method.alpha}`
                : `Student's t on the runs' logarithms, alpha ${comparison.method.alpha} (too few runs for Mann-Whitney)`
            : singleRunMethod(comparison)));
    const empty = [];
    for (const table of comparison.tables) {
        const label = TABLES[table.table].title;
        if (table.items.length === 0 && table.ignored === 0) {
            empty.push(label);
            continue;
        }
        const c = table.counts;
        out.push('');
        out.push(`${label}${table.measure === 'perOccurrence' ? ', per occurrence (sum over items)' : ''}: ${formatValue(table.unit, table.total.base)} -> ${formatValue(table.unit, table.total.head)} ` +
            `(${formatPercent(table.total.deltaPct)}); ${c.regressed} regressed, ${c.improved} improved, ` +
            `${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged${table.gated ? '' : table.total.gated ? ' (gated on the total)' : ' (not gated)'}`);
        for (const status of ['regressed', 'improved', 'new', 'removed']) {
            const items = table.items.filter((i) => i.status === status);
            if (items.length === 0)
                continue;
            out.push(`  ${STATUS_TITLE[status]}:`);
            out.push(...align(items.slice(0, rows).map((i) => itemCells(i, table, comparison, nameLength))).map((l) => `    ${l}`));
            if (items.length > rows)
                out.push(`    \u2026 and ${items.length - rows} more`);
        }
    }
    if (empty.length > 0)
        out.push('', `No rows on either side: ${empty.join(', ')}.`);
    const h = comparison.history;
    if (h)
        out.push('', `History: last ${h.comparable} comparable runs${h.branch === undefined ? '' : ` on ${terminalText(clip(h.branch, 100))}`}, ${terminalText(clip(describeFingerprint(h.fingerprint), 300))}${comparison.rules.auto ? '; limits: threshold auto' : ''}`);
    const timeline = timelineText(comparison);
    if (timeline.length > 0)
        out.push('', ...timeline);
    return `${out.join('\n')}\n`;
}
const STATUS_TITLE = {
    regressed: 'Regressed',
    improved: 'Improved',
    new: 'New',
    removed: 'Removed'
};
function itemName(item, table, nameLength) {
    if (item.variant) {
        const shown = shortenApart([...item.variant.base, ...item.variant.head], Math.floor(nameLength / 2));
        const side = (names) => listed(names, 3, (n) => terminalText(shown(n)), ' + ');
        return `variant changed (${terminalText(clip(item.variant.family, 120))}): ${side(item.variant.base)} -> ${side(item.variant.head)}`;
    }
    const shared = Math.max(item.base?.sharedBy ?? 0, item.head?.sharedBy ?? 0);
    const name = terminalText(shownName(table, nameLength)(item.name));
    return shared > 1 ? `${name} (${shared} share this cut name)` : name;
}
function itemCells(item, table, comparison, nameLength) {
    const unit = table.unit;
    const name = itemName(item, table, nameLength);
    const each = table.measure === 'perOccurrence';
    const count = (stat) => `x${formatCount(stat ? (each ? occurrencesOf(stat) : stat.instances) : 0)}`;
    const value = (stat) => `${formatValue(unit, stat?.value ?? 0)}${each ? '/occurrence' : ''}`;
    if (item.status === 'new')
        return [value(item.head), count(item.head), name];
    if (item.status === 'removed')
        return [value(item.base), count(item.base), name];
    const cells = [
        formatPercent(item.deltaPct),
        formatDelta(unit, item.delta),
        `${formatValue(unit, item.base?.value ?? 0)} -> ${value(item.head)}`
    ];
    if (comparison.method.kind === 'mann-whitney-u' && item.significance)
        cells.push(`p=${formatP(item.significance.p)}`);
    else if (item.launches) {
        const l = item.launches;
        cells.push(`p=${formatP(l.p)} (launches${l.byCount ? `; launched ${l.base.launches} -> ${l.head.launches} times` : ''})`);
    }
    if (comparison.rules.auto)
        cells.push(`limit ${limitCell(item)}`);
    if (comparison.history)
        cells.push(item.history ? sparkline(item.history.values, item.head?.value) : '');
    cells.push(item.accepted ? `[accepted] ${name}` : name);
    return cells;
}
function align(rows) {
    const widths = [];
    for (const row of rows)
        row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
    return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padStart(widths[i] ?? 0))).join('  '));
}
function renderProfileText(profile, options = {}) {
    const nameLength = options.nameLength ?? 100;
    const rows = options.rows ?? 20;
    const out = [];
    const meta = profile.meta;
    out.push(`Profile from ${meta.sources.map((s) => terminalText(clip(s, 300))).join(', ')}`);
    if (meta.profiler.name === 'nsys') {
        if (meta.profiler.version)
            out.push(`Nsight Systems ${terminalText(meta.profiler.version)}`);
    }
    else
        out.push(`Profiler: ${terminalText(clip(meta.profiler.name, 40))}${meta.profiler.version ? ` ${terminalText(clip(meta.profiler.version, 40))}` : ''}`);
    if (meta.gpus?.length)
        out.push(`GPU: ${meta.gpus.map((g) => terminalText(clip(g.name, 100))).join(', ')}`);
    if (meta.kernelNaming !== 'demangled')
        out.push(`Kernel names: ${meta.kernelNaming} variant`);
    for (const name of TABLE_NAMES) {
        const table = profile.tables[name];
        if (!table)
            continue;
        const unit = TABLES[name].unit;
        const report = terminalText(meta.reports[name] ?? '');
        out.push('');
        if (table.size === 0) {
            out.push(`${TABLES[name].title} (${report}): no data`);
            continue;
        }
        const total = tableTotal(table);
        out.push(`${TABLES[name].title} (${report}): ${plural(table.size, 'item')}, total ${formatValue(unit, total)}`);
        const sorted = sortedRows(table);
        const shown = sorted.slice(0, rows);
        const named = shortenApart(shown.map(([, s]) => s.name), nameLength);
        out.push(...align([
            ['Total', 'Share', 'Count', 'Average', 'Name'],
            ...shown.map(([, s]) => [
                formatValue(unit, s.total),
                formatShare(total > 0 ? (s.total / total) * 100 : 0),
                formatCount(s.instances),
                formatValue(unit, s.avg),
                terminalText(named(s.name)) +
                    ((s.sharedBy ?? 0) > 1 ? ` (${s.sharedBy} share this cut name)` : '')
            ])
        ]).map((l) => `  ${l}`));
        if (sorted.length > rows)
            out.push(`  \u2026 and ${sorted.length - rows} more (--json for all)`);
    }
    const devices = profile.timeline?.devices ?? [];
    if (devices.length > 0) {
        out.push('', 'GPU timeline (trace):');
        for (const d of devices)
            out.push(`  GPU ${d.device}${d.rank === undefined ? '' : ` (rank ${d.rank})`}: busy ${formatDuration(d.busy)} of a ${formatDuration(d.window)} window (${formatShare(d.window > 0 ? (d.busy / d.window) * 100 : 0)}), idle ${formatDuration(d.idle)}`);
    }
    return `${out.join('\n')}\n`;
}
function shownName(table, nameLength) {
    return shortenApartOf(table, () => table.items.map((i) => i.name), nameLength);
}

function parseOptions(command, args, specs) {
    const values = {};
    const positionals = [];
    let help = false;
    for (let i = 0; i < args.length; i++) {
        const arg = args[i] ?? '';
        if (arg === '--') {
            positionals.push(...args.slice(i + 1));
            break;
        }
        if (arg === '--help' || arg === '-h') {
            help = true;
            continue;
        }
        if (!arg.startsWith('--') || arg === '-') {
            if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg))
                throw unknown(command, arg, specs);
            positionals.push(arg);
            continue;
        }
        const eq = arg.indexOf('=');
        const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
        const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
        if (!spec)
            throw unknown(command, `--${name}`, specs);
        if (spec.type === 'boolean') {
            if (eq >= 0)
                throw new UsageError(`${command}: --${name} takes no value`);
            values[name] = true;
            continue;
        }
        let value;
        if (eq >= 0)
            value = arg.slice(eq + 1);
        else {
            const next = args[i + 1];
            if (next === undefined)
                throw new UsageError(`${command}: --${name} needs a value (${spec.value ?? 'VALUE'})`);
            value = next;
            i += 1;
        }
        if (spec.multiple)
            values[name] = [...(values[name] ?? []), value];
        else {
            const earlier = values[name];
            if (typeof earlier === 'string')
                throw new UsageError(`${command}: --${name} is given twice (${quoted(earlier, 60)} and ${quoted(value, 60)}); give it once`);
            values[name] = value;
        }
    }
    return { values: values, positionals, help };
}
function unknown(command, option, specs) {
    const names = Object.keys(specs).map((n) => `--${n}`);
    const close = names
        .map((n) => ({ n, d: distance(option, n) }))
        .filter((c) => c.d <= Math.max(2, Math.floor(option.length / 3)))
        .sort((a, b) => a.d - b.d)[0];
    return new UsageError(`${command}: unknown option ${quoted(option, 60)}${close ? `; did you mean ${close.n}?` : ''}`);
}
function distance(a, b) {
    if (a.length > 64)
        return Infinity;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = row;
    }
    return previous[b.length] ?? Infinity;
}

const EXIT = { pass: 0, regression: 1, error: 2, inconclusive: 3 };
const VERDICT_EXIT = {
    pass: EXIT.pass,
    accepted: EXIT.pass,
    regression: EXIT.regression,
    inconclusive: EXIT.inconclusive
};
const INPUTS = `Inputs: a directory of \`nsys stats --format csv --output <dir>/<base>\` files (.csv or
.csv.gz), captured \`nsys stats\` output, one report CSV, a profile JSON written by \`summarize --json\`, a Chrome
trace (PyTorch profiler, Perfetto JSON, rpd2tracing; .json or .json.gz) or a directory of them
(one run: one trace per rank), rocprof's
results.stats.csv, rocprofv3's kernel_stats.csv or kernel_trace.csv or its output directory
(-d; one run). The format is detected
from the content; --input-format names it instead.`;
const INPUT_FORMAT_HELP = `  --input-format F    read every input as F: ${INPUT_FORMATS.join(', ')} (default: detected)`;
const CAPTURE_OPTIONS = {
    'input-format': { type: 'string', value: 'F' },
    capture: { type: 'string', value: 'N' },
    lines: { type: 'string', value: 'A-B,C-D' }
};
const COMMANDS = {
    summarize: {
        usage: 'nsys-bench summarize <input>... [--json] [--rows N] [--capture N | --lines A-B,...]',
        about: "Reads one run and prints its tables, and from a trace each GPU's busy and idle time (or, with --json, its profile JSON).",
        options: {
            json: { type: 'boolean' },
            rows: { type: 'string', value: 'N' },
            ...CAPTURE_OPTIONS
        },
        help: `  --json              print the profile JSON (the baseline format) instead of tables
  --rows N            rows per table (default 20)
  --capture N         read only capture N of a text holding several (a log of several runs)
  --lines A-B,C-D     read only these lines of nsys stats text, as one run
${INPUT_FORMAT_HELP}`
    },
    compare: {
        usage: 'nsys-bench compare <base> <head> [options]\n       nsys-bench compare --base <input> [--base <input>...] --head <input> [--head <input>...] [options]',
        about: 'Compares a base with a head, kernel by kernel, and exits with the verdict.',
        options: {
            base: { type: 'string', multiple: true, value: 'INPUT' },
            head: { type: 'string', multiple: true, value: 'INPUT' },
            threshold: { type: 'string', value: 'PCT' },
            'min-share': { type: 'string', value: 'PCT' },
            alpha: { type: 'string', value: 'A' },
            rules: { type: 'string', value: 'FILE' },
            history: { type: 'string', value: 'FILE' },
            ignore: { type: 'string', multiple: true, value: 'REGEX' },
            format: { type: 'string', value: 'F' },
            output: { type: 'string', value: 'FILE' },
            'no-fail': { type: 'boolean' },
            ...CAPTURE_OPTIONS,
            captures: { type: 'string', value: 'runs' }
        },
        help: `  --threshold PCT     relative change that counts (default 5); \`auto\`: each item's own
                      from its history's noise band (--history), this one as the floor
  --history FILE      the baseline's history (history.json.gz of a baseline artifact):
                      trends, and the limits of --threshold auto
  --min-share PCT     absolute floor, percent of the base's table total (default 0.1)
  --alpha A           significance level with repeated runs (default 0.05)
  --rules FILE        JSON rules: limits, gates, ignores, checks, accepted regressions, families,
                      categories
  --ignore REGEX      ignore items whose name matches (RE2 syntax; repeatable)
  --format F          text (default), markdown, json (the comparison record) or html (one
                      self-contained page: sortable tables, charts; open it in a browser)
  --output FILE       write the report to FILE instead of stdout
  --no-fail           exit 0 whatever the verdict (the report still says it)
  --capture N         read only capture N of texts holding several captures
  --captures runs     read each capture of such a text as one run (repetitions)
  --lines A-B,C-D     read only these lines of nsys stats text (a run chosen by hand)
${INPUT_FORMAT_HELP}`
    },
    verdict: {
        usage: 'nsys-bench verdict <comparison.json>',
        about: "Re-derives the verdict of a comparison record (compare --format json, the action's\n" +
            'comparison.json) from the inputs it records, without the profiles, and exits with it.',
        options: {},
        help: ''
    },
    demo: {
        usage: 'nsys-bench demo [--format text|markdown|json|html] [--runs N]',
        about: 'Compares the two embedded sample profiles of an LLM-serving benchmark.',
        options: { format: { type: 'string', value: 'F' }, runs: { type: 'string', value: 'N' } },
        help: `  --format F          text (default), markdown, json or html
  --runs N            runs a side (with jitter), for the statistics (default 1, at most 50)`
    }
};
const HELP = `nsys-bench ${TOOL.version}: compare NVIDIA Nsight Systems profiles kernel by kernel

Usage:
${Object.values(COMMANDS)
    .map((c) => `  ${c.usage.replace(/\n\s+/g, '\n  ')}`)
    .join('\n')}

${INPUTS}
Several --base/--head inputs (or a directory of profile JSONs) are repeated runs; the Chrome
traces in one directory are the ranks of one run.
\`nsys-bench <command> --help\` describes a command's options.

Exit status: 0 pass (or accepted), 1 regression, 2 bad input or usage, 3 inconclusive.
`;
function commandHelp(command) {
    const c = COMMANDS[command];
    return `Usage: ${c.usage}\n\n${c.about}\n${c.help ? `\nOptions:\n${c.help}\n` : ''}${command === 'verdict' || command === 'demo' ? '' : `\n${INPUTS}\n`}\nExit status: 0 pass (or accepted), 1 regression, 2 bad input or usage, 3 inconclusive.\n`;
}
async function runCli(argv, io) {
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case 'summarize':
                return await summarize(rest, io);
            case 'compare':
                return await compare(rest, io);
            case 'verdict':
                return await verdict(rest, io);
            case 'demo':
                return await demo(rest, io);
            case '--version':
            case '-v':
                io.stdout(`${TOOL.version}\n`);
                return EXIT.pass;
            case undefined:
            case '--help':
            case '-h':
            case 'help':
                io.stdout(HELP);
                return command === undefined ? EXIT.error : EXIT.pass;
            default:
                throw new UsageError(`unknown command ${quoted(command, 60)}`);
        }
    }
    catch (error) {
        const known = isKnownError(error);
        const usage = error instanceof UsageError
            ? `\nRun \`nsys-bench ${command && Object.hasOwn(COMMANDS, command) ? `${command} ` : ''}--help\` for usage.`
            : '';
        const message = visible(clip(errorMessage(error), 2000));
        io.stderr(`nsys-bench: ${known ? 'error' : 'internal error'}: ${message}${usage}\n`);
        return EXIT.error;
    }
}
function options(command, specs, args, io) {
    const parsed = parseOptions(command, args, specs);
    if (parsed.help)
        io.stdout(commandHelp(command));
    return parsed;
}
function loadOptions(values, io) {
    const out = io.progress ? { progress: io.progress } : {};
    const format = values['input-format'];
    if (format !== undefined) {
        if (!isInputFormat(format))
            throw new UsageError(`--input-format takes ${INPUT_FORMATS.join(', ')}, not ${quoted(format, 40)}`);
        out.format = format;
    }
    const given = ['capture', 'captures', 'lines'].filter((k) => values[k] !== undefined);
    if (given.length > 1)
        throw new UsageError(`${given.map((k) => `--${k}`).join(' and ')} each choose what to read of a text: give one`);
    if (values.lines !== undefined)
        out.lines = lineRanges(values.lines);
    if (values.capture !== undefined)
        out.capture = positiveInt(values.capture, '--capture');
    if (values.captures !== undefined) {
        if (values.captures !== 'runs' && values.captures !== 'one')
            throw new UsageError(`--captures takes "runs" (or "one"), not ${quoted(values.captures, 40)}`);
        out.captures = values.captures;
    }
    return out;
}
async function summarize(args, io) {
    const { values, positionals, help } = options('summarize', COMMANDS.summarize.options, args, io);
    if (help)
        return EXIT.pass;
    if (positionals.length === 0)
        throw new UsageError('summarize needs at least one input');
    const rows = values.rows === undefined ? 20 : positiveInt(values.rows, '--rows');
    const profile = await loadRun(positionals, loadOptions(values, io));
    profile.meta.createdAt ??= new Date().toISOString();
    if (values.json) {
        io.stdout(JSON.stringify(profileToJson(profile)));
        io.stdout('\n');
    }
    else {
        io.stdout(renderProfileText(profile, { rows }));
        printNotes(profile.meta.notes, io);
    }
    return EXIT.pass;
}
async function compare(args, io) {
    const { values, positionals, help } = options('compare', COMMANDS.compare.options, args, io);
    if (help)
        return EXIT.pass;
    const format = checkFormat(values.format);
    let baseInputs = values.base ?? [];
    let headInputs = values.head ?? [];
    if (positionals.length > 0) {
        if (baseInputs.length > 0 || headInputs.length > 0) {
            throw new UsageError(`with --base and --head, each input takes its own option (--base r0 --base r1 --head h0 --head h1); ${listed(positionals, 4, (p) => quoted(p, 200))} ${positionals.length === 1 ? 'has' : 'have'} none`);
        }
        if (positionals.length !== 2)
            throw new UsageError(`compare takes <base> <head>, or --base/--head options; found ${positionals.length} input${positionals.length === 1 ? '' : 's'}`);
        baseInputs = [positionals[0] ?? ''];
        headInputs = [positionals[1] ?? ''];
    }
    if (baseInputs.length === 0 || headInputs.length === 0)
        throw new UsageError('compare needs a base and a head input');
    const overrides = {};
    const threshold = values.threshold?.trim() === 'auto' ? 'auto' : limit(values.threshold, '--threshold');
    if (threshold !== undefined)
        overrides.threshold = threshold;
    const minShare = limit(values['min-share'], '--min-share');
    if (minShare !== undefined)
        overrides.minShare = minShare;
    const alpha = number(values.alpha, '--alpha');
    if (alpha !== undefined) {
        if (!(alpha > 0 && alpha < 1))
            throw new UsageError(`--alpha must be between 0 and 1, got ${alpha}`);
        overrides.alpha = alpha;
    }
    overrides.ignore = values.ignore ?? [];
    const rules = await readRulesFile(values.rules, overrides);
    const load = loadOptions(values, io);
    const [base = [], head = []] = await inOrder([baseInputs, headInputs], (inputs) => loadRuns(inputs, load));
    const history = values.history === undefined ? undefined : await readHistory(values.history);
    const last = head.at(-1);
    const comparison = compareProfiles(base, head, rules, history && last ? { history: historyView(history, fingerprintOf(last)) } : {});
    await emit(render(comparison, format, { base, head }), values.output, io);
    if (format === 'text')
        printNotes(comparison.notes, io);
    if (values['no-fail'])
        return EXIT.pass;
    return VERDICT_EXIT[comparison.gate.verdict];
}
async function readHistory(path) {
    return decodeHistory(await readFileWithin(path, 'the history', MAX_HISTORY_FILE_BYTES), path);
}
async function verdict(args, io) {
    const { positionals, help } = options('verdict', COMMANDS.verdict.options, args, io);
    if (help)
        return EXIT.pass;
    const [path] = positionals;
    if (positionals.length !== 1 || path === undefined)
        throw new UsageError('verdict takes one comparison record (compare --format json)');
    const value = await readJsonFile(path, 'the comparison record', MAX_PROFILE_BYTES);
    const { recorded, gate } = rederiveVerdict(value, path);
    if (gate.verdict !== recorded) {
        throw new InputError(`the record says "${recorded}" but its inputs give "${gate.verdict}": the record was edited, or written by a different nsys-bench`, { file: path });
    }
    io.stdout(`${gate.verdict} (re-derived from the recorded inputs)\n`);
    for (const reason of gate.reasons)
        io.stdout(`  ${reason.code}: ${visible(clip(reason.message, 400))}\n`);
    return VERDICT_EXIT[gate.verdict];
}
async function demo(args, io) {
    const { values, positionals, help } = options('demo', COMMANDS.demo.options, args, io);
    if (help)
        return EXIT.pass;
    if (positionals.length > 0)
        throw new UsageError('demo takes no inputs');
    const format = checkFormat(values.format);
    const runs = values.runs === undefined ? 1 : positiveInt(values.runs, '--runs');
    if (runs > 50)
        throw new UsageError('--runs takes at most 50');
    const { base, head } = await demoProfiles(runs);
    const comparison = compareProfiles(base, head, buildRules(undefined));
    await emit(render(comparison, format, { base, head }), undefined, io);
    if (format === 'text') {
        io.stderr(`\nThis was the embedded demo: a baseline and a head profile of an LLM-serving benchmark (nsys stats output in src/demo/). ` +
            `On real inputs \`nsys-bench compare\` would exit ${VERDICT_EXIT[comparison.gate.verdict]} (${comparison.gate.verdict}).\n`);
    }
    return EXIT.pass;
}
function printNotes(notes, io) {
    for (const note of notes)
        io.stderr(`nsys-bench: ${note.severity === 'info' ? 'note' : note.severity}: ${visible(clip(note.message, 1000))}\n`);
}
const FORMATS = ['text', 'markdown', 'json', 'html'];
function checkFormat(value) {
    if (value === undefined)
        return 'text';
    const format = FORMATS.find((f) => f === value);
    if (format)
        return format;
    throw new UsageError(`--format must be text, markdown, json or html, not ${quoted(value, 40)}`);
}
function render(comparison, format, runs) {
    switch (format) {
        case 'json':
            return recordText(comparison);
        case 'markdown':
            return renderMarkdown(comparison, { maxChars: COMMENT_LIMIT });
        case 'html':
            return renderHtml(comparison, { runs });
        case 'text':
            return renderText(comparison);
    }
}
async function loadRuns(inputs, options) {
    const runs = [];
    for (const input of inputs)
        runs.push(...(await loadInput(input, options)));
    return runs;
}
async function emit(text, output, io) {
    if (output === undefined) {
        if (typeof text === 'string')
            io.stdout(text);
        else
            for (const piece of text)
                io.stdout(piece);
        return;
    }
    try {
        await promises.writeFile(output, text);
    }
    catch (error) {
        throw new InputError(`cannot write ${quoted(output)}: ${visible(clip(errorMessage(error), 200))}`, undefined, { cause: error });
    }
}
function number(value, flag) {
    if (value === undefined)
        return undefined;
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed))
        throw new UsageError(`${flag} takes a number, not ${quoted(value, 40)}`);
    return parsed;
}
function limit(value, flag) {
    const parsed = number(value, flag);
    if (parsed === undefined)
        return undefined;
    if (parsed < 0)
        throw new UsageError(`${flag} must be \u2265 0, got ${parsed}`);
    if (parsed > 1000)
        throw new UsageError(`${flag} must be at most 1000, got ${parsed}`);
    return parsed;
}
function lineRanges(text) {
    const ranges = text.split(',').map((part) => {
        const match = /^\s*(\d{1,9})\s*-\s*(\d{1,9})\s*$/.exec(part);
        const from = Number(match?.[1]);
        const to = Number(match?.[2]);
        if (!match || from < 1 || to < from)
            throw new UsageError(`--lines takes ranges like 12-40,55-70, not ${quoted(text, 60)}`);
        return [from, to];
    });
    if (ranges.length > 1000)
        throw new UsageError('--lines takes at most 1,000 ranges');
    return ranges;
}
function positiveInt(value, flag) {
    const parsed = number(value, flag) ?? 0;
    if (!Number.isInteger(parsed) || parsed < 1)
        throw new UsageError(`${flag} takes a positive whole number, not ${quoted(value, 40)}`);
    return parsed;
}

async function main(args, progress) {
    const stdout = output(process.stdout);
    const stderr = output(process.stderr);
    let status = await runCli(args, {
        stdout: stdout.write,
        stderr: stderr.write,
        ...(progress ? { progress } : {})
    });
    await Promise.all([stdout.settled(), stderr.settled()]);
    if (stdout.failure) {
        status = EXIT.error;
        stderr.write(`nsys-bench: error: cannot write to standard output (${visible(clip(errorMessage(stdout.failure), 200))}), so the output is incomplete: send it where it can be written in full${args[0] === 'compare' ? ', or write the report with --output FILE' : ''}.\n`);
        await stderr.settled();
    }
    if (stderr.failure)
        status = EXIT.error;
    process.exitCode = status;
}
function output(stream) {
    let failure;
    let closed = false;
    let pending = 0;
    let waiting = [];
    const failed = (error) => {
        if (closed || failure)
            return;
        if (error.code === 'EPIPE')
            closed = true;
        else
            failure = error;
    };
    stream.on('error', failed);
    const answered = (error) => {
        if (error)
            failed(error);
        pending -= 1;
        if (pending > 0)
            return;
        const resolve = waiting;
        waiting = [];
        for (const done of resolve)
            done();
    };
    return {
        write: (text) => {
            if (closed || failure)
                return;
            pending += 1;
            stream.write(text, answered);
        },
        settled: () => pending === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve)),
        get failure() {
            return failure;
        }
    };
}

exports.main = main;
