#!/usr/bin/env node
import { stat, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createReadStream } from 'node:fs';
import { basename, extname, join } from 'node:path';

/**
 * Typed errors. Deep code throws these; `run()` and the CLI catch once and print the message,
 * which always says what was wrong and what to do.
 */
/** The input (a file, a directory, a profile JSON) is not what it should be. */
class InputError extends Error {
    name = 'InputError';
    location;
    constructor(message, location, options) {
        super(location ? `${formatLocation(location)}: ${message}` : message, options);
        this.location = location;
    }
}
/** The command line or the action's inputs are wrong. */
class UsageError extends Error {
    name = 'UsageError';
}
function formatLocation(location) {
    let text = location.file;
    if (location.line !== undefined)
        text += `:${location.line}`;
    if (location.column !== undefined)
        text += ` (column "${location.column}")`;
    return text;
}
/** A message for any thrown value: non-Error throws must not pass silently. */
function errorMessage(error) {
    if (error instanceof Error)
        return error.message;
    return `unexpected non-Error exception: ${String(error)}`;
}

/**
 * The profile model: one run of a benchmark, reduced to per-report summary tables.
 *
 * Everything downstream of the parsers (compare, render, the action's baseline) reads only this.
 * The JSON form is documented in docs/profile-format.md and versioned by `schemaVersion`.
 */
/** The tables a profile can hold, in display order. */
const TABLE_NAMES = ['kernels', 'memTime', 'memSize', 'cudaApi', 'nvtx', 'osrt'];
const TABLE_UNIT = {
    kernels: 'ns',
    memTime: 'ns',
    memSize: 'bytes',
    cudaApi: 'ns',
    nvtx: 'ns',
    osrt: 'ns'
};
/** Human labels, used by every renderer. */
const TABLE_LABEL = {
    kernels: { title: 'GPU kernels', item: 'Kernel' },
    memTime: { title: 'GPU memory operations (time)', item: 'Operation' },
    memSize: { title: 'GPU memory operations (size)', item: 'Operation' },
    cudaApi: { title: 'CUDA API calls', item: 'API call' },
    nvtx: { title: 'NVTX ranges', item: 'Range' },
    osrt: { title: 'OS runtime calls', item: 'Call' }
};
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
/** Sum of `total` over a table's rows (0 for an absent table). */
function tableTotal(table) {
    let sum = 0;
    if (table)
        for (const stat of table.values())
            sum += stat.total;
    return sum;
}

/**
 * The profile JSON: the baseline artifact format, documented in docs/profile-format.md.
 *
 * Version 1. A later nsys-bench must keep reading every earlier version (migrate() below); a
 * profile from a newer nsys-bench is refused with a message saying to upgrade.
 */
const SCHEMA_VERSION = 1;
const PROFILE_KIND = 'nsys-bench/profile';
const SUFFIX$1 = { ns: 'Ns', bytes: 'Bytes' };
const MEASURES = ['total', 'avg', 'min', 'max', 'med', 'stdDev'];
function encodeStat(stat, unit) {
    const s = SUFFIX$1[unit];
    const out = {
        name: stat.name,
        [`total${s}`]: round$1(stat.total),
        instances: stat.instances
    };
    out[`avg${s}`] = round$1(stat.avg);
    out[`min${s}`] = round$1(stat.min);
    out[`max${s}`] = round$1(stat.max);
    if (stat.med !== undefined)
        out[`med${s}`] = round$1(stat.med);
    if (stat.stdDev !== undefined)
        out[`stdDev${s}`] = round$1(stat.stdDev);
    if (stat.truncated)
        out.truncated = true;
    return out;
}
/** Rows in a stable order: largest total first, then by key. */
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
        if (!table)
            continue;
        const unit = TABLE_UNIT[name];
        tables[name] = {
            unit,
            rows: Object.fromEntries(sortedRows(table).map(([key, stat]) => [key, encodeStat(stat, unit)]))
        };
    }
    return { schemaVersion: SCHEMA_VERSION, kind: PROFILE_KIND, meta: profile.meta, tables };
}
/** Reads a profile JSON value (already parsed). Untrusted input: everything is checked. */
function profileFromJson(value, source) {
    const fail = (message) => new InputError(`not a valid nsys-bench profile: ${message}`, { file: source });
    if (!isObject$1(value))
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
    return { meta: readMeta(current.meta, fail), tables: readTables(current.tables, fail) };
}
/** Upgrades older profile JSON to the current schema, one version at a time. */
function migrate(value, version) {
    let current = value;
    for (let v = version; v < SCHEMA_VERSION; v++) {
        // No version before 1 exists yet; when 2 arrives, its upgrade step goes here.
        current = { ...current, schemaVersion: v + 1 };
    }
    return current;
}
function readMeta(value, fail) {
    if (!isObject$1(value))
        throw fail('"meta" must be an object');
    const tool = value.tool;
    if (!isObject$1(tool) || typeof tool.name !== 'string' || typeof tool.version !== 'string') {
        throw fail('"meta.tool" must have string "name" and "version"');
    }
    const profiler = value.profiler;
    if (!isObject$1(profiler) || typeof profiler.name !== 'string') {
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
        notes: stringArray(value.notes, 'meta.notes', fail)
    };
    if (typeof profiler.version === 'string')
        meta.profiler.version = profiler.version;
    const reports = value.reports;
    if (!isObject$1(reports))
        throw fail('"meta.reports" must be an object');
    for (const [table, report] of Object.entries(reports)) {
        if (!isTableName(table) || typeof report !== 'string')
            throw fail(`bad "meta.reports.${table}"`);
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
    return meta;
}
function readGpu(value, i, fail) {
    if (!isObject$1(value) || typeof value.name !== 'string')
        throw fail(`"meta.gpus[${i}].name" must be a string`);
    const gpu = { name: value.name };
    for (const key of ['driver', 'cuda', 'clocks']) {
        const field = value[key];
        if (field === undefined)
            continue;
        if (typeof field !== 'string')
            throw fail(`"meta.gpus[${i}].${key}" must be a string`);
        gpu[key] = field;
    }
    return gpu;
}
function readTables(value, fail) {
    if (!isObject$1(value))
        throw fail('"tables" must be an object');
    const tables = {};
    for (const [name, tableValue] of Object.entries(value)) {
        if (!isTableName(name))
            throw fail(`unknown table "${name}" (known: ${TABLE_NAMES.join(', ')})`);
        if (!isObject$1(tableValue) || !isObject$1(tableValue.rows))
            throw fail(`"tables.${name}.rows" must be an object`);
        const unit = TABLE_UNIT[name];
        if (tableValue.unit !== unit)
            throw fail(`"tables.${name}.unit" must be "${unit}"`);
        const table = new Map();
        for (const [key, row] of Object.entries(tableValue.rows)) {
            table.set(key, readStat(row, unit, `tables.${name}.rows[${JSON.stringify(key)}]`, fail));
        }
        tables[name] = table;
    }
    return tables;
}
function readStat(value, unit, where, fail) {
    if (!isObject$1(value) || typeof value.name !== 'string')
        throw fail(`${where}.name must be a string`);
    const s = SUFFIX$1[unit];
    const number = (field, required) => {
        const v = value[field];
        if (v === undefined && !required)
            return undefined;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
            throw fail(`${where}.${field} must be a non-negative number`);
        }
        return v;
    };
    const instances = number('instances', true) ?? 0;
    if (!Number.isInteger(instances))
        throw fail(`${where}.instances must be a whole number`);
    const [total, avg, min, max, med, stdDev] = MEASURES.map((m, i) => number(`${m}${s}`, i < 4));
    const stat = {
        name: value.name,
        total: total ?? 0,
        instances,
        avg: avg ?? 0,
        min: min ?? 0,
        max: max ?? 0
    };
    if (med !== undefined)
        stat.med = med;
    if (stdDev !== undefined)
        stat.stdDev = stdDev;
    if (value.truncated === true)
        stat.truncated = true;
    return stat;
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
function isTableName(name) {
    return TABLE_NAMES.includes(name);
}
function isObject$1(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Three decimals are more than nsys prints; they keep the JSON stable and short. */
function round$1(value) {
    return Math.round(value * 1000) / 1000;
}

const DEFAULT_THRESHOLD = 5;
const DEFAULT_MIN_SHARE = 0.1;
const DEFAULT_ALPHA = 0.05;
/** Kernels and memory-operation time gate by default; the rest is reported only. */
const DEFAULT_GATE = {
    kernels: { gate: true, gateTotal: true },
    memTime: { gate: true, gateTotal: false },
    memSize: { gate: false, gateTotal: false },
    cudaApi: { gate: false, gateTotal: false },
    nvtx: { gate: false, gateTotal: false },
    osrt: { gate: false, gateTotal: false }
};
function resolveLimits(rules, table, name, key) {
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
    if (rules.ignore.some((re) => re.test(name) || re.test(key))) {
        resolved.ignored = true;
        return resolved;
    }
    const rule = rules.rules.find((r) => (r.table === undefined || r.table === table) && (r.match.test(name) || r.match.test(key)));
    if (!rule)
        return resolved;
    resolved.rule = rule.match.source;
    if (rule.ignore)
        resolved.ignored = true;
    if (rule.threshold !== undefined)
        resolved.threshold = rule.threshold;
    if (rule.minShare !== undefined)
        resolved.minShare = rule.minShare;
    if (rule.minDelta !== undefined)
        resolved.minDelta = rule.minDelta;
    if (rule.direction !== undefined)
        resolved.direction = rule.direction;
    if (rule.gate !== undefined)
        resolved.gate = rule.gate;
    return resolved;
}
/** Builds the rules from an optional rules file (already parsed JSON) and command-line overrides. */
function buildRules(file, overrides = {}, source = 'rules file') {
    const fail = (message) => new UsageError(`${source}: ${message}`);
    const config = file === undefined ? {} : file;
    if (!isObject(config))
        throw fail('expected a JSON object');
    checkKeys(config, ['$schema', 'threshold', 'minShare', 'alpha', 'ignore', 'tables', 'rules'], '', fail);
    const threshold = overrides.threshold ?? optionalNumber(config, 'threshold', fail) ?? DEFAULT_THRESHOLD;
    const minShare = overrides.minShare ?? optionalNumber(config, 'minShare', fail) ?? DEFAULT_MIN_SHARE;
    const alpha = overrides.alpha ?? optionalNumber(config, 'alpha', fail) ?? DEFAULT_ALPHA;
    checkPercent(threshold, 'threshold', fail);
    checkPercent(minShare, 'minShare', fail);
    if (!(alpha > 0 && alpha < 1))
        throw fail(`"alpha" must be between 0 and 1, got ${alpha}`);
    const tables = {};
    const tableConfig = config.tables === undefined ? {} : config.tables;
    if (!isObject(tableConfig))
        throw fail('"tables" must be an object');
    for (const key of Object.keys(tableConfig)) {
        if (!TABLE_NAMES.includes(key)) {
            throw fail(`unknown table "${key}" in "tables" (known: ${TABLE_NAMES.join(', ')})`);
        }
    }
    for (const name of TABLE_NAMES) {
        const entry = tableConfig[name] ?? {};
        if (!isObject(entry))
            throw fail(`"tables.${name}" must be an object`);
        checkKeys(entry, ['threshold', 'minShare', 'minDelta', 'direction', 'gate', 'gateTotal'], `tables.${name}.`, fail);
        const limits = readLimits(entry, `tables.${name}`, fail);
        const table = {
            threshold: limits.threshold ?? threshold,
            minShare: limits.minShare ?? minShare,
            direction: limits.direction ?? 'lower-is-better',
            gate: limits.gate ?? DEFAULT_GATE[name].gate,
            gateTotal: optionalBoolean(entry, 'gateTotal', `tables.${name}`, fail) ?? DEFAULT_GATE[name].gateTotal
        };
        if (limits.minDelta !== undefined)
            table.minDelta = limits.minDelta;
        tables[name] = table;
    }
    const ignore = [];
    const ignoreConfig = config.ignore === undefined ? [] : config.ignore;
    if (!Array.isArray(ignoreConfig) || !ignoreConfig.every((p) => typeof p === 'string')) {
        throw fail('"ignore" must be an array of regular expressions (strings)');
    }
    for (const pattern of [...ignoreConfig, ...(overrides.ignore ?? [])]) {
        ignore.push(compile(pattern, 'ignore', fail));
    }
    const rules = [];
    const ruleConfig = config.rules === undefined ? [] : config.rules;
    if (!Array.isArray(ruleConfig))
        throw fail('"rules" must be an array');
    ruleConfig.forEach((entry, i) => {
        const where = `rules[${i}]`;
        if (!isObject(entry))
            throw fail(`"${where}" must be an object`);
        checkKeys(entry, ['table', 'match', 'threshold', 'minShare', 'minDelta', 'direction', 'gate', 'ignore'], `${where}.`, fail);
        if (typeof entry.match !== 'string')
            throw fail(`"${where}.match" must be a regular expression (string)`);
        const rule = {
            match: compile(entry.match, `${where}.match`, fail),
            ignore: false,
            ...readLimits(entry, where, fail)
        };
        if (entry.table !== undefined) {
            if (typeof entry.table !== 'string' ||
                !TABLE_NAMES.includes(entry.table)) {
                throw fail(`"${where}.table" must be one of ${TABLE_NAMES.join(', ')}`);
            }
            rule.table = entry.table;
        }
        const ignored = optionalBoolean(entry, 'ignore', where, fail);
        if (ignored !== undefined)
            rule.ignore = ignored;
        rules.push(rule);
    });
    return { alpha, tables, rules, ignore };
}
function readLimits(entry, where, fail) {
    const limits = {};
    const threshold = optionalNumber(entry, 'threshold', fail, where);
    if (threshold !== undefined)
        limits.threshold = checkPercent(threshold, `${where}.threshold`, fail);
    const minShare = optionalNumber(entry, 'minShare', fail, where);
    if (minShare !== undefined)
        limits.minShare = checkPercent(minShare, `${where}.minShare`, fail);
    const minDelta = optionalNumber(entry, 'minDelta', fail, where);
    if (minDelta !== undefined) {
        if (minDelta < 0)
            throw fail(`"${where}.minDelta" must not be negative`);
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
function compile(pattern, where, fail) {
    try {
        return new RegExp(pattern);
    }
    catch (error) {
        throw fail(`"${where}": invalid regular expression ${JSON.stringify(pattern)}: ${error.message}`);
    }
}
function checkKeys(entry, allowed, prefix, fail) {
    for (const key of Object.keys(entry)) {
        if (!allowed.includes(key))
            throw fail(`unknown setting "${prefix}${key}" (allowed: ${allowed.join(', ')})`);
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
function checkPercent(value, what, fail) {
    if (!(value >= 0 && value <= 1000))
        throw fail(`"${what}" must be a percentage between 0 and 1000, got ${value}`);
    return value;
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Statistics for repeated runs: the Mann–Whitney U test and the Hodges–Lehmann confidence
 * interval that goes with it (distribution-free; no assumption of normal run-to-run noise).
 *
 * Each sample is one run's total time for an item. The test asks whether head runs are
 * systematically slower or faster than base runs; the interval bounds the ratio head/base with
 * the matching confidence, taken from the order statistics of all pairwise ratios.
 */
function median(values) {
    if (values.length === 0)
        return 0;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1
        ? (sorted[mid] ?? 0)
        : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
/**
 * Null distribution of U for sample sizes (n, m) without ties: cdf[u] = P(U <= u).
 * Counts come from the recurrence f(n, m, u) = f(n - 1, m, u - m) + f(n, m - 1, u); the result
 * depends only on (n, m), so it is computed once per pair of sizes.
 */
const CDF_CACHE = new Map();
const EXACT_LIMIT = 400; // n * m above this: normal approximation
function uCdf(n, m) {
    if (n * m > EXACT_LIMIT)
        return undefined;
    const key = `${n},${m}`;
    const cached = CDF_CACHE.get(key);
    if (cached)
        return cached;
    // counts[i][j] = distribution of U for sizes (i, j), as an array over u (length i*j+1).
    let previous = []; // row i-1
    for (let i = 0; i <= n; i++) {
        const row = [];
        for (let j = 0; j <= m; j++) {
            const dist = new Float64Array(i * j + 1);
            if (i === 0 || j === 0)
                dist[0] = 1;
            else {
                const a = previous[j]; // (i-1, j): U shifted by j
                const b = row[j - 1]; // (i, j-1)
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
/** The smallest two-sided p-value any data can give with these sample sizes. */
function minimumPValue(n, m) {
    const cdf = uCdf(n, m);
    if (cdf)
        return Math.min(1, 2 * (cdf[0] ?? 1));
    return 0; // large samples: unbounded below
}
/** Two-sided Mann–Whitney U test of head against base. */
function mannWhitney(base, head) {
    const n = base.length;
    const m = head.length;
    let u = 0;
    let ties = false;
    for (const b of base) {
        for (const h of head) {
            if (h > b)
                u += 1;
            else if (h === b) {
                u += 0.5;
                ties = true;
            }
        }
    }
    const cdf = ties ? undefined : uCdf(n, m);
    if (cdf) {
        const low = cdf[Math.floor(u)] ?? 1;
        const high = 1 - (u >= 1 ? (cdf[Math.ceil(u) - 1] ?? 0) : 0);
        return { u, p: Math.min(1, 2 * Math.min(low, high)), exact: true };
    }
    // Normal approximation with tie correction and continuity correction.
    const all = [...base, ...head].sort((a, b) => a - b);
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
/**
 * Confidence interval for the ratio head/base from the pairwise ratios' order statistics
 * (the interval that inverts the Mann–Whitney test). Undefined when a base sample is 0.
 */
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
    let c; // 1-based rank of the lower bound
    if (cdf) {
        c = 0;
        while (c < cdf.length && (cdf[c] ?? 1) <= alpha / 2)
            c++;
        // cdf[c-1] <= alpha/2 < cdf[c]: the bound is the c-th smallest ratio.
    }
    else {
        const z = normalQuantile(1 - alpha / 2);
        const n = base.length;
        const m = head.length;
        c = Math.floor((n * m) / 2 - z * Math.sqrt((n * m * (n + m + 1)) / 12));
    }
    // The interval [D(r), D(nm+1-r)] covers the true ratio with probability 1 - 2 P(U <= r-1).
    const rank = Math.max(c, 1);
    return {
        estimate: median(ratios),
        low: ratios[rank - 1] ?? Number.NaN,
        high: ratios[k - rank] ?? Number.NaN,
        confidence: cdf ? 1 - 2 * (cdf[rank - 1] ?? 0) : confidence
    };
}
/** P(Z > z) for a standard normal Z (Abramowitz–Stegun 26.2.17, error < 7.5e-8). */
function normalUpperTail(z) {
    if (z < 0)
        return 1 - normalUpperTail(-z);
    const t = 1 / (1 + 0.2316419 * z);
    const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    return (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly;
}
/** Inverse of the standard normal CDF by bisection (only used for large samples). */
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

/**
 * Compares base runs with head runs item by item, table by table.
 *
 * With one run a side, a change is called when it passes both the relative threshold and the
 * absolute floor. With several runs a side, each item's per-run totals are compared as
 * distributions: the medians give the change, a two-sided Mann–Whitney U test its significance,
 * and a change is called only when it is significant at `alpha` AND passes both limits.
 */
function compareProfiles(base, head, rules) {
    if (base.length === 0 || head.length === 0)
        throw new InputError('compare needs at least one base and one head run');
    const notes = [];
    checkComparable(base, head, notes);
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
    if (method.kind === 'single-run' && (n > 1 || m > 1)) {
        notes.push(`${n} base run${n === 1 ? '' : 's'} against ${m} head run${m === 1 ? '' : 's'}: a significance test needs several runs on both sides; changes are judged on the medians and thresholds alone.`);
    }
    if (method.kind === 'mann-whitney-u' && !method.attainable) {
        notes.push(`With ${n} base and ${m} head runs the Mann–Whitney test cannot reach p < ${rules.alpha} (the smallest possible p is ${method.minimumP.toFixed(3)}); changes are judged on the medians and thresholds alone. Use 4 or more runs a side.`);
    }
    const seen = new Set();
    for (const [label, runs] of [
        ['base', base],
        ['head', head]
    ]) {
        for (const note of runs.flatMap((p) => p.meta.notes)) {
            const text = `${label}: ${note}`;
            if (!seen.has(text))
                notes.push(text);
            seen.add(text);
        }
    }
    const tables = [];
    for (const table of TABLE_NAMES) {
        const baseRuns = base.map((p) => p.tables[table]);
        const headRuns = head.map((p) => p.tables[table]);
        const baseHas = baseRuns.filter((t) => t !== undefined).length;
        const headHas = headRuns.filter((t) => t !== undefined).length;
        if (baseHas === 0 && headHas === 0)
            continue;
        if (baseHas === 0 || headHas === 0) {
            notes.push(`${TABLE_LABEL[table].title}: only the ${baseHas === 0 ? 'head' : 'base'} has this report, so it is not compared.`);
            continue;
        }
        if (baseHas < baseRuns.length || headHas < headRuns.length) {
            notes.push(`${TABLE_LABEL[table].title}: some runs lack this report; only the runs that have it are compared.`);
        }
        tables.push(compareTable(table, baseRuns.filter((t) => t !== undefined), headRuns.filter((t) => t !== undefined), rules, method));
    }
    const regressed = tables.some((t) => t.items.some((i) => i.gated && i.status === 'regressed') ||
        (t.total.gated && t.total.status === 'regressed'));
    return {
        verdict: regressed ? 'regression' : 'pass',
        runs: { base: n, head: m },
        method,
        tables,
        notes,
        meta: { base: lastOf(base).meta, head: lastOf(head).meta }
    };
}
function compareTable(table, base, head, rules, method) {
    const unit = TABLE_UNIT[table];
    const tableRules = rules.tables[table];
    const baseTotals = base.map(tableTotal);
    const headTotals = head.map(tableTotal);
    const baseTotal = median(baseTotals);
    const headTotal = median(headTotals);
    const keys = new Set();
    for (const t of [...base, ...head])
        for (const key of t.keys())
            keys.add(key);
    const items = [];
    let ignored = 0;
    for (const key of keys) {
        const baseSide = side(base, key);
        const headSide = side(head, key);
        const name = headSide.stat?.name ?? baseSide.stat?.name ?? key;
        const limits = resolveLimits(rules, table, name, key);
        if (limits.ignored) {
            ignored += 1;
            continue;
        }
        const floor = limits.minDelta ?? (limits.minShare / 100) * baseTotal;
        const baseValue = baseSide.stat ? baseSide.stat.total : 0;
        const headValue = headSide.stat ? headSide.stat.total : 0;
        const delta = headValue - baseValue;
        const deltaPct = baseSide.stat && baseValue > 0 ? (delta / baseValue) * 100 : null;
        const item = {
            key,
            name,
            status: 'unchanged',
            base: baseSide.stat,
            head: headSide.stat,
            delta,
            deltaPct,
            sharePct: percentOf(baseSide.stat ? baseValue : headValue, baseSide.stat ? baseTotal : headTotal),
            gated: limits.gate,
            threshold: limits.threshold,
            floor,
            direction: limits.direction
        };
        if (limits.rule !== undefined)
            item.rule = limits.rule;
        if (!baseSide.stat)
            item.status = 'new';
        else if (!headSide.stat)
            item.status = 'removed';
        else {
            if (method.kind === 'mann-whitney-u') {
                item.samples = { base: baseSide.samples, head: headSide.samples };
            }
            const verdict = judge(delta, deltaPct, limits.threshold, floor, limits.direction, () => {
                if (method.kind !== 'mann-whitney-u')
                    return true;
                const significance = testSamples(baseSide.samples, headSide.samples, method.alpha);
                item.significance = significance;
                return method.attainable ? significance.significant : true;
            });
            item.status = verdict.status;
            if (verdict.reason)
                item.reason = verdict.reason;
        }
        items.push(item);
    }
    items.sort(byImportance);
    const totalDelta = headTotal - baseTotal;
    const totalPct = baseTotal > 0 ? (totalDelta / baseTotal) * 100 : null;
    const total = {
        base: baseTotal,
        head: headTotal,
        delta: totalDelta,
        deltaPct: totalPct,
        status: 'unchanged',
        gated: tableRules.gateTotal
    };
    const totalVerdict = judge(totalDelta, totalPct, tableRules.threshold, tableRules.minDelta ?? (tableRules.minShare / 100) * baseTotal, tableRules.direction, () => {
        if (method.kind !== 'mann-whitney-u')
            return true;
        total.significance = testSamples(baseTotals, headTotals, method.alpha);
        return method.attainable ? total.significance.significant : true;
    });
    total.status = totalVerdict.status;
    if (baseTotal === 0 && headTotal > 0)
        total.status = 'new';
    if (headTotal === 0 && baseTotal > 0)
        total.status = 'removed';
    const counts = {
        regressed: 0,
        improved: 0,
        unchanged: 0,
        new: 0,
        removed: 0
    };
    for (const item of items)
        counts[item.status] += 1;
    return { table, unit, gated: tableRules.gate, items, ignored, counts, total };
}
/** Passes both limits (and, with repeated runs, the significance test)? Then which way? */
function judge(delta, deltaPct, threshold, floor, direction, significant) {
    if (delta === 0)
        return { status: 'unchanged' };
    if (deltaPct !== null && Math.abs(deltaPct) < threshold)
        return { status: 'unchanged', reason: 'below-threshold' };
    if (Math.abs(delta) < floor)
        return { status: 'unchanged', reason: 'below-floor' };
    if (!significant())
        return { status: 'unchanged', reason: 'not-significant' };
    const worse = direction === 'lower-is-better' ? delta > 0 : delta < 0;
    return { status: worse ? 'regressed' : 'improved' };
}
function testSamples(base, head, alpha) {
    const test = mannWhitney(base, head);
    const interval = ratioInterval(base, head, 1 - alpha);
    return {
        test: 'mann-whitney-u',
        p: test.p,
        significant: test.p < alpha,
        ciLowPct: interval ? (interval.low - 1) * 100 : Number.NaN,
        ciHighPct: interval ? (interval.high - 1) * 100 : Number.NaN,
        confidence: interval?.confidence ?? Number.NaN
    };
}
/**
 * One side's view of an item across its runs: per-run totals (0 where a run lacks the item) and
 * the median run's numbers.
 */
function side(runs, key) {
    const present = [];
    const samples = runs.map((t) => {
        const stat = t.get(key);
        if (stat)
            present.push(stat);
        return stat ? stat.total : 0;
    });
    const last = present[present.length - 1];
    if (!last)
        return { stat: null, samples };
    if (runs.length === 1)
        return { stat: { ...last, runs: 1 }, samples };
    const total = median(samples);
    const instances = median(runs.map((t) => t.get(key)?.instances ?? 0));
    return {
        stat: {
            name: last.name,
            total,
            instances,
            avg: instances > 0 ? total / instances : 0,
            min: Math.min(...present.map((s) => s.min)),
            max: Math.max(...present.map((s) => s.max)),
            runs: present.length,
            ...(present.some((s) => s.truncated) ? { truncated: true } : {})
        },
        samples
    };
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
    const weight = (i) => i.status === 'regressed' || i.status === 'improved'
        ? Math.abs(i.delta)
        : Math.max(i.base?.total ?? 0, i.head?.total ?? 0);
    return weight(b) - weight(a) || compareText(a.key, b.key);
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
/** Refuses comparisons that are meaningless, and notes the ones that are doubtful. */
function checkComparable(base, head, notes) {
    const namings = new Set([...base, ...head].map((p) => p.meta.kernelNaming));
    if (namings.size > 1) {
        throw new InputError(`the runs name kernels differently (${[...namings].join(' vs ')}: nsys cuda_gpu_kern_sum variants); compare profiles made with the same report variant`);
    }
    const gpuNames = (runs) => [...new Set(runs.flatMap((p) => (p.meta.gpus ?? []).map((g) => g.name)))].sort().join(', ');
    const baseGpus = gpuNames(base);
    const headGpus = gpuNames(head);
    if (baseGpus && headGpus && baseGpus !== headGpus) {
        notes.push(`Different GPUs: base ran on ${baseGpus}, head on ${headGpus}; timings are not comparable.`);
    }
    const major = (runs) => [...new Set(runs.map((p) => p.meta.profiler.version?.split('.')[0]).filter(Boolean))].join(', ');
    const baseMajor = major(base);
    const headMajor = major(head);
    if (baseMajor && headMajor && baseMajor !== headMajor) {
        notes.push(`Different Nsight Systems versions: base ${baseMajor}, head ${headMajor}.`);
    }
    const truncated = [...base, ...head].some((p) => Object.values(p.tables).some((t) => [...(t?.values() ?? [])].some((s) => s.truncated)));
    if (truncated) {
        notes.push('Some names were cut to 100 characters by nsys column output (ending in "…"); such names may not match between runs. Use `nsys stats --format csv`.');
    }
}

/**
 * Splits a byte or text stream into lines without ever holding more than one line and one chunk:
 * inputs reach gigabytes. Handles \n and \r\n; a lone \r stays in the line (progress bars).
 */
async function forEachLine(chunks, onLine) {
    const decoder = new TextDecoder('utf-8');
    let carry = '';
    let lineNo = 0;
    for await (const chunk of chunks) {
        const text = carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
        let start = 0;
        let newline = text.indexOf('\n', start);
        while (newline >= 0) {
            const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
            onLine(text.slice(start, end), ++lineNo);
            start = newline + 1;
            newline = text.indexOf('\n', start);
        }
        carry = text.slice(start);
    }
    carry += decoder.decode();
    if (carry.length > 0)
        onLine(carry.endsWith('\r') ? carry.slice(0, -1) : carry, ++lineNo);
    return lineNo;
}

/**
 * Canonical keys: the same item must get the same key whatever nsys version printed it, so that
 * a 2022.4 baseline compares with a 2024.x head. The display name always stays the original.
 */
// 2023.2+ prints memcpy kinds from ENUM_CUDA_MEMCPY_OPER labels; earlier versions the short forms.
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
/** `[CUDA memcpy Host-to-Device]` → `[CUDA memcpy HtoD]`; UVM spellings of ≤2022 and 2023.4+ meet. */
function memoryOperationKey(name) {
    const text = name.trim();
    // ≤2022: "[CUDA Unified Memory memcpy HtoD]"; 2023.4+: "[CUDA memcpy Unified Host-to-Device]"
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
/**
 * `cudaLaunchKernel_v7000` → `cudaLaunchKernel`, `cudaGraphLaunch_v10000` → `cudaGraphLaunch`,
 * `cuMemcpyHtoD_v2` → `cuMemcpyHtoD`. Versions of nsys strip some of these tags and not others
 * (formats.md §1.3); removing every trailing `_v<digits>` makes them meet. It only removes a
 * version tag, so two different APIs never merge.
 */
function apiKey(name) {
    return name.trim().replace(/_v\d+$/, '');
}
/** NVTX: 2024+ prints default-domain ranges with a leading `:` (`:forward`); older ones do not. */
function nvtxKey(name) {
    const text = name.trim();
    return text.startsWith(':') ? text.slice(1) : text;
}
function canonicalKey(table, name) {
    switch (table) {
        case 'memTime':
        case 'memSize':
            return memoryOperationKey(name);
        case 'cudaApi':
            return apiKey(name);
        case 'nvtx':
            return nvtxKey(name);
        case 'kernels':
        case 'osrt':
            return name.trim();
    }
}

/**
 * Merges two rows that describe the same item (nsys 2022.4 `gpukernsum` splits a kernel by
 * grid/block; `:nvtx-name` and name normalisation can also bring rows together).
 *
 * total and instances add up, min/max are the extremes, avg = total / instances. The sample
 * standard deviation is pooled exactly from each part's count, mean and deviation; a median
 * cannot be merged from medians, so it is dropped.
 */
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
    if (a.stdDev !== undefined && b.stdDev !== undefined && instances > 1) {
        const squares = Math.max(a.instances - 1, 0) * a.stdDev ** 2 +
            Math.max(b.instances - 1, 0) * b.stdDev ** 2 +
            a.instances * (a.avg - avg) ** 2 +
            b.instances * (b.avg - avg) ** 2;
        merged.stdDev = Math.sqrt(squares / (instances - 1));
    }
    if (a.truncated || b.truncated)
        merged.truncated = true;
    return merged;
}
/** Adds a row to a table, merging with an existing row of the same key. */
function addRow(table, key, stat) {
    const existing = table.get(key);
    if (existing) {
        table.set(key, mergeStat(existing, stat));
        return;
    }
    const name = detach(stat.name);
    table.set(key === stat.name ? name : detach(key), { ...stat, name });
}
/**
 * A copy of a string that does not point into the text it was cut from. V8 implements
 * `slice` as a view of the parent string, so a kept kernel name would otherwise keep its whole
 * input chunk alive: memory would grow with the input instead of with the distinct names.
 */
function detach(text) {
    if (text.length < 13)
        return text;
    // Interned: the same kernel in ten runs is stored once.
    let copy = POOL.get(text);
    if (copy === undefined) {
        if (POOL.size >= POOL_LIMIT)
            POOL.clear();
        copy = Buffer.from(text, 'utf8').toString('utf8');
        POOL.set(copy, copy);
    }
    return copy;
}
const POOL = new Map();
const POOL_LIMIT = 1_000_000;
/**
 * Streaming accumulator for per-event durations (GPU trace rows): count, sum, min, max and a
 * Welford running variance. Memory does not grow with the number of events.
 */
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
    GridXYZ: 'xyz',
    BlockXYZ: 'xyz',
    Start: 'start',
    Duration: 'duration',
    GrdX: 'grid',
    Bytes: 'bytes',
    Device: 'device',
    CorrId: 'other',
    GrdY: 'other',
    GrdZ: 'other',
    BlkX: 'other',
    BlkY: 'other',
    BlkZ: 'other',
    'Reg/Trd': 'other',
    StcSMem: 'other',
    DymSMem: 'other',
    Throughput: 'other',
    SrcMemKd: 'other',
    DstMemKd: 'other',
    Ctx: 'other',
    GreenCtx: 'other',
    Strm: 'other'
};
/** Parses one header cell; undefined when it is not a column nsys prints in the reports we read. */
function parseColumn(cell) {
    const label = cell.trim();
    const match = /^(.*?)\s*\(([^()]*)\)$/.exec(label);
    const base = (match?.[1] ?? label).trim();
    const unit = match?.[2]?.trim();
    const role = Object.hasOwn(ROLE_BY_BASE, base) ? ROLE_BY_BASE[base] : undefined;
    if (!role)
        return undefined;
    return unit === undefined ? { label, base, role } : { label, base, unit, role };
}
/** Splits a header line of the given format into columns, or undefined if it is not a header. */
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
    if (has('start') && has('duration'))
        return has('grid') || has('bytes') ? 'gpuTrace' : undefined;
    if (!has('total') || !has('instances'))
        return undefined;
    // Only the name (and GridXYZ/BlockXYZ/Style) may be text, and the name must come last: the
    // row grammar relies on it.
    if (columns[columns.length - 1] !== nameColumn)
        return undefined;
    const timeTotal = byBase('Total Time') !== undefined;
    const instancesLabel = columns.find((c) => c.role === 'instances')?.base;
    switch (nameColumn.base) {
        case 'Range':
            return timeTotal ? 'nvtx' : undefined;
        case 'Operation':
            return timeTotal ? 'memTime' : 'memSize';
        default:
            // Name: kernels (Instances), API/OS runtime (Num Calls / Calls), 2019 memory (Operations).
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
/** Does a header shape fit a report family? */
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
/** Factor that turns a printed time into nanoseconds; undefined for an unknown unit. */
function timeFactor(unit) {
    return unit === undefined ? 1 : TIME_FACTORS[unit];
}
/** Factor that turns a printed size into bytes; undefined for an unknown or missing unit. */
function sizeFactor(unit) {
    return unit === undefined ? undefined : SIZE_FACTORS[unit];
}

/**
 * Numbers as nsys prints them (formats.md §1.4).
 *
 * CSV/TSV/JSON use plain numbers with `.` in the C locale; under a decimal-comma locale with a
 * `--timeunit`, CSV values become `"8,0000"` (a CSV field never has a thousands separator, so a
 * comma there can only be a decimal comma). The column format is re-formatted for the process
 * locale: `8000000`, `8,000,000.0` (en_US) or `8.000.000,0` (de_DE).
 */
/** A missing value: nsys prints NULL as `None` (2022) or an empty field (2023+). */
const MISSING = null;
const PLAIN = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
const DECIMAL_COMMA = /^-?\d+,\d+$/;
/** A CSV/TSV cell: a number, MISSING, or undefined when it is not a number at all. */
function parseCsvNumber(text) {
    // Fast path (this runs for every cell of every row): plain digits, a sign, one point.
    const first = text.charCodeAt(0);
    const last = text.charCodeAt(text.length - 1);
    if (((first >= 48 && first <= 57) || first === 45) && last >= 48 && last <= 57) {
        const second = text.charCodeAt(1);
        if (!(second === 120 || second === 111 || second === 98)) {
            // not 0x…, 0o…, 0b…
            const value = Number(text);
            if (Number.isFinite(value))
                return value;
        }
    }
    const cell = text.trim();
    if (cell === '' || cell === 'None')
        return MISSING;
    if (PLAIN.test(cell))
        return Number(cell);
    if (DECIMAL_COMMA.test(cell))
        return Number(cell.replace(',', '.'));
    return undefined;
}
/**
 * Learns the number style from a value that nsys always prints with a fractional part (Avg,
 * StdDev, `Time (%)`): its last separator is the decimal point. Undefined when the value has no
 * separator at all (then it says nothing).
 */
function styleFromFraction(text) {
    const last = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
    if (last < 0)
        return undefined;
    return text[last] === '.' ? { decimal: '.', group: ',' } : { decimal: ',', group: '.' };
}
const STYLE_CACHE = new Map();
/**
 * A parser for column-format cells under a known style. It answers undefined when the text does not
 * follow the style exactly (digit groups of three, at most one decimal point): the table is then
 * ambiguous. Patterns are cached: this is called per cell.
 */
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

/**
 * Splitting one line of a report into cells, per output format (formats.md §1.5).
 *
 * nsys CSV is not RFC 4180: a value is quoted only when it contains a comma, and quotes inside
 * are never doubled (`"step, "warmup""`, `triton_poi_fused_add_"quoted"_0`). Every report this
 * tool reads has its one free-text column last, so the first n-1 cells are read with a
 * quote-aware tokenizer (numbers are quoted only under a decimal-comma locale: `"8,0000"`) and
 * the rest of the line is the name; a name wrapped in quotes because of a comma loses exactly
 * one quote at each end.
 */
function splitCsvNameLast(line, count) {
    const cells = [];
    let pos = 0;
    for (let i = 0; i < count - 1; i++) {
        if (line.charCodeAt(pos) === 34 /* " */) {
            const close = line.indexOf('",', pos + 1);
            if (close < 0)
                return undefined;
            cells.push(line.slice(pos + 1, close));
            pos = close + 2;
        }
        else {
            const comma = line.indexOf(',', pos);
            if (comma < 0)
                return undefined;
            cells.push(line.slice(pos, comma));
            pos = comma + 1;
        }
    }
    let name = line.slice(pos);
    if (name.length >= 2 && name.startsWith('"') && name.endsWith('"') && name.includes(',')) {
        name = name.slice(1, -1);
    }
    cells.push(name);
    return cells;
}
/** TSV is never quoted; nsys replaces tabs inside values with spaces. */
function splitTsv(line, count) {
    const cells = line.split('\t');
    return cells.length === count ? cells : undefined;
}
const TOKEN = / *([^ ]+)/y;
/**
 * The column (table) format. Values are right- or left-aligned under a dashed rule, but captured
 * logs get re-indented and edited, so cells are read by grammar instead of by position: every
 * column but the last is one whitespace-free token (GridXYZ/BlockXYZ are three), and the name is
 * the rest of the line. Only ASCII spaces separate tokens.
 */
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
/** Header cells of a column-format table: separated by two or more spaces. */
function splitColumnHeader(line) {
    return line.trim().split(/ {2,}/);
}
/** The dashed rule under a column-format header, with one run of dashes per column. */
function dashRuns(line) {
    if (!/^ *-+( +-+)* *$/.test(line))
        return undefined;
    return line.trim().split(/ +/).length;
}

const FAMILY_TABLE = {
    kernels: 'kernels',
    kernelsByGrid: 'kernels',
    cudaApi: 'cudaApi',
    memTime: 'memTime',
    memSize: 'memSize',
    nvtx: 'nvtx',
    osrt: 'osrt'
};
/**
 * Reads the rows of one report block into tables. Rows stream through: a summary keeps one entry
 * per distinct name, a GPU trace one running accumulator per name, whatever the row count.
 */
class TableBlock {
    options;
    line;
    index = {};
    factor;
    bytesFactor;
    style;
    parse;
    summary;
    trace;
    gpus = new Set();
    rows = 0;
    constructor(options) {
        this.options = options;
        this.line = options.line;
        options.columns.forEach((column, i) => {
            if (this.index[column.role] === undefined)
                this.index[column.role] = i;
        });
        const unitOf = (role) => {
            const i = this.index[role];
            return (i === undefined ? undefined : options.columns[i]?.unit) ?? options.unitHint;
        };
        if (options.family === 'memSize') {
            const unit = unitOf('total');
            const factor = sizeFactor(unit);
            if (factor === undefined)
                throw this.error(options.line, `unknown size unit "${unit ?? ''}"`, 'total');
            this.factor = factor;
        }
        else {
            const unit = unitOf(options.family === 'gpuTrace' ? 'duration' : 'total');
            const factor = timeFactor(unit);
            if (factor === undefined)
                throw this.error(options.line, `unknown time unit "${unit ?? ''}"`, 'total');
            this.factor = factor;
        }
        if (options.family === 'gpuTrace') {
            const bytesColumn = this.index.bytes;
            this.bytesFactor =
                bytesColumn === undefined ? undefined : sizeFactor(options.columns[bytesColumn]?.unit);
            this.trace = { kernels: new Map(), memTime: new Map(), memSize: new Map() };
        }
        else {
            this.bytesFactor = undefined;
            this.summary = new Map();
        }
        this.parse = parseCsvNumber;
    }
    get family() {
        return this.options.family;
    }
    get format() {
        return this.options.format;
    }
    /** Splits a text line into cells for this block's format; undefined when it is not a row. */
    split(line) {
        const count = this.options.columns.length;
        switch (this.options.format) {
            case 'csv':
                return splitCsvNameLast(line, count);
            case 'tsv':
                return splitTsv(line, count);
            case 'column':
                return splitColumnRow(line, this.options.columns);
            case 'json':
                return undefined;
        }
    }
    /**
     * Takes one row's cells. Answers false when the cells are not a row of this table at all (prose,
     * an elided-rows marker), so the caller can skip the line; throws InputError when they are a row
     * with a bad value.
     */
    accept(cells, line) {
        // The first column (always a number in the reports read here) decides whether this is a row.
        const first = (cells[0] ?? '').trim();
        if (this.options.format === 'column') {
            if (!/^-?\d/.test(first))
                return false;
            this.learnStyle(cells, line);
        }
        if (this.parse(first) === undefined)
            return false;
        if (this.trace)
            this.acceptTraceRow(cells, line);
        else
            this.acceptSummaryRow(cells, line);
        this.rows += 1;
        return true;
    }
    /** The tables this block produced. */
    tables() {
        if (this.summary) {
            return { [FAMILY_TABLE[this.options.family]]: this.summary };
        }
        const out = {};
        if (this.trace) {
            out.kernels = finish(this.trace.kernels);
            out.memTime = finish(this.trace.memTime);
            out.memSize = finish(this.trace.memSize);
        }
        return out;
    }
    learnStyle(cells, line) {
        // Avg, StdDev and Time (%) always carry a fraction; its last separator is the decimal point.
        let found;
        for (const role of ['avg', 'stdDev', 'share', 'med']) {
            const i = this.index[role];
            if (i === undefined)
                continue;
            found = styleFromFraction(cells[i] ?? '');
            if (found)
                break;
        }
        if (!found || (this.style && found.decimal !== this.style.decimal))
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
    acceptSummaryRow(cells, line) {
        const family = this.options.family;
        const table = FAMILY_TABLE[family];
        const name = this.text(cells, 'name', line);
        const total = this.number(cells, 'total', line, this.factor, true);
        const instances = this.number(cells, 'instances', line, 1, true);
        if (!Number.isInteger(instances)) {
            throw this.error(line, `expected a whole number of instances, found "${cells[this.index.instances ?? 0] ?? ''}"`, 'instances');
        }
        const avg = this.number(cells, 'avg', line, this.factor, false) ?? (instances > 0 ? total / instances : 0);
        const stat = {
            name,
            total,
            instances,
            avg,
            min: this.number(cells, 'min', line, this.factor, false) ?? avg,
            max: this.number(cells, 'max', line, this.factor, false) ?? avg
        };
        const med = this.number(cells, 'med', line, this.factor, false);
        if (med !== undefined)
            stat.med = med;
        const stdDev = this.number(cells, 'stdDev', line, this.factor, false);
        if (stdDev !== undefined)
            stat.stdDev = stdDev;
        const key = canonicalKey(table, name);
        if (this.options.format === 'column' && name.endsWith('…')) {
            stat.truncated = true;
            // Two rows with the same cut name may be two kernels or one split by grid/block: unknowable.
            if (this.summary?.has(key)) {
                throw new InputError(`two rows share the name "${name}", cut short by nsys at 100 characters, so they cannot be told apart. ` +
                    'Re-run `nsys stats` with `--format csv`.', { file: this.options.source, line });
            }
        }
        if (this.summary)
            addRow(this.summary, key, stat);
    }
    acceptTraceRow(cells, line) {
        const trace = this.trace;
        if (!trace)
            return;
        const name = this.text(cells, 'name', line);
        const duration = this.number(cells, 'duration', line, this.factor, true);
        const device = this.index.device === undefined ? '' : (cells[this.index.device] ?? '').trim();
        if (device !== '' && device !== 'None')
            this.gpus.add(device.replace(/\s*\(\d+\)$/, ''));
        const gridIndex = this.index.grid;
        const grid = gridIndex === undefined ? null : this.parse(cells[gridIndex] ?? '');
        if (grid !== null && grid !== undefined) {
            accumulate(trace.kernels, canonicalKey('kernels', name), name, duration);
            return;
        }
        if (!name.startsWith('[CUDA '))
            return; // neither a kernel nor a memory operation
        accumulate(trace.memTime, canonicalKey('memTime', name), name, duration);
        const bytesIndex = this.index.bytes;
        if (bytesIndex !== undefined && this.bytesFactor !== undefined) {
            const bytes = this.parse(cells[bytesIndex] ?? '');
            if (bytes === undefined)
                throw this.error(line, `expected a size, found "${cells[bytesIndex] ?? ''}"`, 'bytes');
            if (bytes !== null) {
                accumulate(trace.memSize, canonicalKey('memSize', name), name, Math.round(bytes * this.bytesFactor));
            }
        }
    }
    text(cells, role, line) {
        const i = this.index[role];
        const value = i === undefined ? undefined : cells[i];
        if (value === undefined || value.trim() === '')
            throw this.error(line, 'expected a name, found nothing', role);
        return value;
    }
    number(cells, role, line, factor, required) {
        const i = this.index[role];
        if (i === undefined) {
            if (required)
                throw this.error(line, `the header has no ${role} column`, role);
            return undefined;
        }
        const text = cells[i] ?? '';
        const value = this.parse(text);
        if (value === undefined || (value !== null && (!Number.isFinite(value) || value < 0))) {
            throw this.error(line, `expected a non-negative number, found "${text.trim()}"`, role);
        }
        if (value === null) {
            if (required)
                throw this.error(line, 'expected a number, found an empty value', role);
            return undefined;
        }
        // Unit conversions (us, ms, MB) leave float noise: ns and bytes need no more than 3 decimals.
        return factor === 1 ? value : Math.round(value * factor * 1000) / 1000;
    }
    error(line, message, role) {
        const i = this.index[role];
        const column = i === undefined ? role : (this.options.columns[i]?.label ?? role);
        return new InputError(message, { file: this.options.source, line, column });
    }
}
function accumulate(map, key, name, value) {
    let acc = map.get(key);
    if (!acc) {
        acc = new StatAccumulator(name);
        map.set(key === name ? acc.name : detach(key), acc);
    }
    acc.add(value);
}
function finish(map) {
    const table = new Map();
    for (const [key, acc] of map)
        table.set(key, acc.toStat());
    return table;
}

/**
 * What nsys calls its reports, across versions (docs/nsys-formats.md §1.1, §1.3).
 */
const USED = [
    { id: 'cuda_gpu_kern_sum', family: 'kernels', priority: 3 },
    { id: 'cuda_gpu_kern_gb_sum', family: 'kernelsByGrid', priority: 2 },
    { id: 'cuda_gpu_trace', family: 'gpuTrace', priority: 1 },
    { id: 'cuda_api_sum', family: 'cudaApi', priority: 3 },
    { id: 'cuda_gpu_mem_time_sum', family: 'memTime', priority: 3 },
    { id: 'cuda_gpu_mem_size_sum', family: 'memSize', priority: 3 },
    { id: 'nvtx_sum', family: 'nvtx', priority: 3 },
    { id: 'nvtx_pushpop_sum', family: 'nvtx', priority: 2 },
    { id: 'nvtx_startend_sum', family: 'nvtx', priority: 1 },
    { id: 'osrt_sum', family: 'osrt', priority: 3 }
];
/** Old (≤2022.4) names and hidden 2023 aliases → the 2023+ name. */
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
/** Reports nsys has that this tool recognises (to skip their output cleanly) but does not read. */
const UNUSED = new Set([
    'cuda_api_trace',
    'cuda_gpu_sum',
    'cuda_api_gpu_sum',
    'cuda_kern_exec_sum',
    'cuda_kern_exec_trace',
    'nvtx_pushpop_trace',
    'nvtx_kern_sum',
    'nvtx_gpu_proj_sum',
    'nvtx_gpu_proj_trace',
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
/** All names, longest first, for finding a report name inside a line of text. */
const ALL_NAMES = [...BY_ID.keys(), ...Object.keys(ALIASES), ...UNUSED].sort((a, b) => b.length - a.length);
const NAME_IN_TEXT = new RegExp(`(?<![A-Za-z0-9])(${ALL_NAMES.join('|')})(?:(?:_|:|\\]\\()(base|mangled|nvtx-name))?(?![A-Za-z0-9_-])`);
/** Resolves a report name as nsys prints it (`gpukernsum`, `cuda_gpu_kern_sum.py`, …). */
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
/**
 * The first report name mentioned in a line of prose, with a variant when one is attached
 * (`cuda_gpu_kern_sum:base`, `ci_cuda_gpu_kern_sum_base.csv`).
 */
function findReportName(text) {
    const match = NAME_IN_TEXT.exec(text);
    if (!match?.[1])
        return undefined;
    return match[2] ? { name: match[1], variant: match[2] } : { name: match[1] };
}
function reportInfo(id) {
    return BY_ID.get(id);
}
/**
 * Titles that 2019–2022 `--stats` output prints instead of report names. The parenthesis, when
 * present, is a unit (2019: `(nanoseconds)`, `(KiB)`) or a qualifier (`(by time)`, `(by size)`).
 */
function reportFromTitle(line) {
    const match = /^\s*(?:Generating\s+)?(CUDA API|CUDA Kernel|CUDA Memory Operation|Operating System Runtime API|NVTX Push-Pop Range|NVTX Start-End Range) Statistics(?:\s*\(([^)]*)\))?\s*(?::|\.\.\.)?\s*$/.exec(line);
    if (!match)
        return undefined;
    const [, what, paren] = match;
    const qualifier = paren?.trim();
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
            // Memory operations: by time (ns) or by size (KiB in 2019, MB later).
            const q = qualifier?.toLowerCase();
            if (q === 'by size' || q === 'kib' || q === 'mb' || q === 'kb')
                return withUnit('cuda_gpu_mem_size_sum', qualifier);
            return withUnit('cuda_gpu_mem_time_sum', qualifier);
        }
    }
}
function withUnit(id, qualifier) {
    if (!qualifier || qualifier.startsWith('by '))
        return { id };
    return { id, unitHint: qualifier === 'nanoseconds' ? 'ns' : qualifier };
}
/** Every report name nsys has used (new, old and unused ones), longest first. */
function allReportNames() {
    return ALL_NAMES;
}

const MAX_JSON_BLOCK = 256 * 1024 * 1024;
const PROCESSING = /^\s*Processing \[(.*?)\] with \[(.*?)\](?:\(([\w-]+)\))?(?: to \[(.*?)\])?\.\.\.\s*(.*)$/;
const RUNNING = /^\s*Running \[(\S+) (.*?)\]\.\.\.\s*(.*)$/;
const EXECUTING = /^\s*\[\d+\/\d+\] Executing '([^']+)' stats report/;
const TITLE_WITH_NAME = /^\s*\*\* .*\(([\w:-]+)\):\s*$/;
const VERSION = /(?:nsight[- ]systems[-/ ]|Nsight Systems version |Nsight Systems )(\d{4}\.\d+\.\d+(?:\.\d+)?)/i;
const LOOKS_LIKE_ROW = /^\s*-?\d[\d.,]*(?:[ \t,]+"?-?[\d.,]+"?){3,}/;
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
    /** Feeds one line (without its line break). */
    push(raw, lineNo) {
        let line = raw;
        // Progress bars redraw with \r: only the last drawing is what a terminal shows.
        const cr = line.lastIndexOf('\r');
        if (cr >= 0)
            line = cr === line.length - 1 ? line.slice(0, cr) : line.slice(cr + 1);
        if (lineNo === 1 && line.charCodeAt(0) === 0xfeff)
            line = line.slice(1);
        if (this.strict === 'auto' && line.trim() !== '') {
            const cells = line.includes('\t') ? line.split('\t') : line.split(',');
            this.strict = parseHeader(cells) !== undefined;
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
                if (dashRuns(line) === header.columns.length) {
                    this.startBlock(header.columns, 'column', header.line);
                    return;
                }
                this.idle(line, lineNo);
                return;
            }
            case 'idle':
                this.idle(line, lineNo);
        }
    }
    finish() {
        if (this.state.kind === 'json') {
            throw new InputError('JSON output ends before its closing "]"', {
                file: this.options.source,
                line: this.state.line
            });
        }
        this.endBlock();
        // A report that ran without rows; for a report file, a 0-byte file (nsys writes one on SKIPPED).
        this.closeMarker();
        this.flushHeaderless();
        const result = {
            source: this.options.source,
            occurrences: this.occurrences,
            notes: this.notes,
            gpus: [...this.gpus]
        };
        if (this.nsysVersion)
            result.nsysVersion = this.nsysVersion;
        return result;
    }
    // ---- strict mode: one report file ------------------------------------------------------
    pushStrict(line, lineNo) {
        if (line.trim() === '')
            return;
        if (this.state.kind === 'block') {
            const block = this.state.block;
            const cells = block?.split(line);
            if (!block || !cells || !block.accept(cells, lineNo)) {
                throw new InputError(`expected a row of ${this.state.marker?.lookup.name ?? 'the report'} ` +
                    `(${block?.format === 'tsv' ? 'tab' : 'comma'}-separated, matching the header on line ${block?.line ?? 1}), found "${clip(line)}"`, { file: this.options.source, line: lineNo });
            }
            return;
        }
        const format = line.includes('\t') ? 'tsv' : 'csv';
        const columns = parseHeader(format === 'tsv' ? line.split('\t') : line.split(','));
        if (!columns) {
            throw new InputError('expected the header of an `nsys stats --format csv` report (for example ' +
                '"Time (%),Total Time (ns),Instances,Avg (ns),…,Name"), found ' +
                `"${clip(line)}". Columns are matched by name, so the header line is required ` +
                '(do not use the `nohdr` format option).', { file: this.options.source, line: lineNo });
        }
        this.startBlock(columns, format, lineNo);
        const state = this.state; // startBlock changed it
        if (state.kind !== 'block' || !state.block) {
            throw new InputError(`this header is not one of the reports nsys-bench reads (${describeHeader(columns)})`, { file: this.options.source, line: lineNo });
        }
    }
    // ---- captured output -------------------------------------------------------------------
    idle(line, lineNo) {
        const trimmed = line.trim();
        if (trimmed === '')
            return;
        const version = VERSION.exec(trimmed);
        if (version?.[1] && !this.nsysVersion)
            this.nsysVersion = version[1];
        if (this.structural(trimmed, lineNo))
            return;
        if (this.annotations(trimmed, lineNo))
            return;
        // Headers: CSV, TSV, column (needs the dashed rule on the next line), JSON.
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
        if (LOOKS_LIKE_ROW.test(line)) {
            this.noteHeaderless(lineNo);
            return;
        }
        // Prose may still name a report: `## --- cuda_api_sum ---`, `## out/ci_cuda_gpu_kern_sum_base.csv`.
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
    /** Processing/Running/Executing lines, ` ** Title (report):`, titles, SKIPPED. */
    structural(trimmed, lineNo) {
        let match = PROCESSING.exec(trimmed);
        if (match) {
            const [, , script = '', variant, toFile, rest = ''] = match;
            this.newStructuralMarker(script, variant, toFile, rest, lineNo, /\.py$/.test(script));
            return true;
        }
        match = RUNNING.exec(trimmed);
        if (match) {
            const [, script = '', , rest = ''] = match;
            this.newStructuralMarker(script, undefined, undefined, rest, lineNo, true);
            return true;
        }
        match = EXECUTING.exec(trimmed);
        if (match) {
            const [name = '', variant] = (match[1] ?? '').split(':');
            this.newStructuralMarker(name, variant, undefined, '', lineNo, true);
            return true;
        }
        match = TITLE_WITH_NAME.exec(trimmed);
        if (match) {
            const [name = '', variant] = (match[1] ?? '').split(':');
            const lookup = lookupReport(name);
            if (lookup.kind === 'unknown')
                return false;
            this.setMarker({ lookup, variant, line: lineNo, structural: false, consumed: false });
            return true;
        }
        if (trimmed.startsWith('SKIPPED:')) {
            if (this.marker && !this.marker.consumed)
                this.recordNoData(this.marker, lineNo);
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
    newStructuralMarker(script, variant, toFile, rest, lineNo, found) {
        this.closeMarker();
        const lookup = lookupReport(script);
        const marker = {
            lookup,
            variant,
            line: lineNo,
            structural: true,
            consumed: false,
            toFile
        };
        this.marker = marker;
        if (!found) {
            marker.consumed = true;
            this.notes.push(`line ${lineNo}: nsys could not find the report "${lookup.name}"` +
                (lookup.kind === 'used' && lookup.name === lookup.info.id
                    ? ' (nsys 2022.4 and older know only the old report names, e.g. gpukernsum, cudaapisum, nvtxsum)'
                    : ''));
            return;
        }
        const skipped = /SKIPPED:\s*(.*)$/.exec(rest);
        if (skipped) {
            const reason = skipped[1] ?? '';
            if (/output file .* exists/.test(reason)) {
                marker.consumed = true;
                this.notes.push(`line ${lineNo}: nsys did not write ${lookup.name}: ${reason.trim()} ` +
                    '(its numbers may be stale; nsys-bench runs nsys stats with --force-overwrite=true)');
            }
            else {
                this.recordNoData(marker, lineNo);
            }
            return;
        }
        if (toFile !== undefined) {
            marker.consumed = true;
            if (lookup.kind === 'used') {
                this.notes.push(`line ${lineNo}: ${lookup.name} was written to ${toFile}, not to this output; read that file instead`);
            }
        }
    }
    /** ERROR/NOTICE/WARNING lines and the nsys version. */
    annotations(trimmed, lineNo) {
        if (/^(ERROR|WARNING|Exportation error)\b/.test(trimmed)) {
            this.notes.push(`line ${lineNo}: nsys said "${clip(trimmed)}"`);
            return true;
        }
        if (trimmed.startsWith('NOTICE: Existing SQLite export found')) {
            this.notes.push(`line ${lineNo}: nsys reused an existing SQLite export; its numbers may belong to an older report (use --force-export=true)`);
            return true;
        }
        return false;
    }
    setMarker(marker) {
        const current = this.marker;
        if (current && !current.consumed && sameReport(current.lookup, marker.lookup)) {
            // A title under its Processing line: same report, keep the structural facts.
            if (marker.unitHint)
                current.unitHint = marker.unitHint;
            if (marker.variant)
                current.variant = marker.variant;
            return;
        }
        if (marker.structural)
            this.closeMarker();
        else if (current?.structural && !current.consumed && current.lookup.kind === 'used') {
            // A title for another report: the previous one ran without rows.
            this.closeMarker();
        }
        this.marker = marker;
    }
    /** A structural marker that saw neither rows nor SKIPPED: the report ran and had no rows. */
    closeMarker() {
        const marker = this.marker;
        if (marker && marker.structural && !marker.consumed && marker.toFile === undefined) {
            this.recordNoData(marker, marker.line);
        }
    }
    recordNoData(marker, lineNo) {
        marker.consumed = true;
        if (marker.lookup.kind !== 'used')
            return;
        const occurrence = {
            report: marker.lookup.info,
            name: marker.lookup.name,
            line: lineNo,
            format: 'none',
            noData: true,
            tables: {}
        };
        if (marker.variant)
            occurrence.variant = marker.variant;
        this.occurrences.push(occurrence);
    }
    startBlock(columns, format, lineNo) {
        this.flushHeaderless();
        const shape = classifyHeader(columns);
        const marker = this.marker && !this.marker.consumed ? this.marker : undefined;
        if (marker)
            marker.consumed = true;
        const info = this.resolveReport(shape, marker, columns, lineNo);
        if (!info || !shape) {
            // A report we do not read (or an unrecognised one): consume its rows quietly.
            this.state = { kind: 'block', block: undefined, marker, skipped: [] };
            return;
        }
        const block = new TableBlock({
            source: this.options.source,
            family: info.family,
            columns,
            format,
            line: lineNo,
            unitHint: marker?.unitHint
        });
        const blockMarker = marker ?? {
            lookup: { kind: 'used', info, name: info.id },
            line: lineNo,
            structural: false,
            consumed: true,
            inferred: true
        };
        this.state = { kind: 'block', block, marker: blockMarker, skipped: [] };
    }
    /** Which report a header belongs to: the marker's, checked against the header's shape. */
    resolveReport(shape, marker, columns, lineNo) {
        const lookup = marker?.lookup;
        if (lookup && lookup.kind !== 'used')
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
        // No report name nearby: the header alone says which report it is (a `calls` table is refined
        // by its names when the block ends).
        return reportInfo(REPORT_FOR_SHAPE[shape]);
    }
    inBlock(line, lineNo, state) {
        const trimmed = line.trim();
        if (trimmed === '')
            return this.endBlock();
        const cells = state.block?.split(line);
        if (cells && state.block?.accept(cells, lineNo))
            return;
        if (!state.block) {
            // Rows of a report we skip: stop at anything that marks the next report.
            if (PROCESSING.test(trimmed) || RUNNING.test(trimmed) || EXECUTING.test(trimmed)) {
                this.endBlock();
                this.idle(line, lineNo);
            }
            return;
        }
        // Not a row: the next report's marker or header ends the table; anything else is noted.
        if (PROCESSING.test(trimmed) ||
            RUNNING.test(trimmed) ||
            EXECUTING.test(trimmed) ||
            TITLE_WITH_NAME.test(trimmed) ||
            trimmed.startsWith('SKIPPED:') ||
            reportFromTitle(trimmed) ||
            this.isHeader(trimmed) ||
            findReportName(trimmed)) {
            this.endBlock();
            this.idle(line, lineNo);
            return;
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
            this.notes.push(`${plural$1(state.skipped.length, 'line')} inside the ${marker.lookup.name} table at line ${block.line} ` +
                `${state.skipped.length === 1 ? 'is' : 'are'} not rows of it and ${state.skipped.length === 1 ? 'was' : 'were'} skipped ` +
                `(line${state.skipped.length === 1 ? '' : 's'} ${listLines(state.skipped)})`);
        }
        let info = marker.lookup.kind === 'used' ? marker.lookup.info : undefined;
        if (!info)
            return;
        const tables = block.tables();
        if (block.family === 'cudaApi' && marker.inferred) {
            // A `Num Calls` table with no report name nearby: CUDA API calls start with cu/cuda.
            info = this.refineCalls(tables, block.line) ?? info;
        }
        for (const gpu of block.gpus)
            this.gpus.add(gpu);
        const occurrence = {
            report: info,
            name: marker.lookup.kind === 'used' && marker.lookup.info === info ? marker.lookup.name : info.id,
            line: block.line,
            format: block.format,
            noData: block.rows === 0,
            tables: block.rows === 0 ? {} : relabel(tables, info)
        };
        if (marker.variant)
            occurrence.variant = marker.variant;
        this.occurrences.push(occurrence);
    }
    refineCalls(tables, line) {
        const names = [...(tables.cudaApi?.values() ?? [])].map((s) => s.name);
        if (names.length === 0 || names.some((n) => /^(cu|cuda)[A-Z]/.test(n)))
            return undefined;
        this.notes.push(`line ${line}: a table of calls with no report name nearby was read as OS runtime calls (no cu*/cuda* names)`);
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
            rows = JSON.parse(state.lines.join('\n'));
        }
        catch (error) {
            throw new InputError(`invalid JSON report output: ${error.message}`, {
                file: this.options.source,
                line: state.line
            });
        }
        if (!Array.isArray(rows))
            return;
        const first = rows[0];
        if (rows.length === 0 || typeof first !== 'object' || first === null) {
            if (state.marker)
                this.recordNoData(state.marker, state.line);
            return;
        }
        const labels = Object.keys(first);
        const columns = parseHeader(labels);
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
            const record = (row ?? {});
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
            return; // rows of a report we do not read
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
        this.notes.push(`${plural$1(run.count, 'line')} from line ${run.line} look like table rows but no header precedes ` +
            `${run.count === 1 ? 'it' : 'them'}, so ${run.count === 1 ? 'it was' : 'they were'} not read ` +
            '(columns are matched by header name: keep the header line and do not use the `nohdr` format option)');
    }
}
const REPORT_FOR_SHAPE = {
    kernels: 'cuda_gpu_kern_sum',
    gpuTrace: 'cuda_gpu_trace',
    memTime: 'cuda_gpu_mem_time_sum',
    memSize: 'cuda_gpu_mem_size_sum',
    nvtx: 'nvtx_sum',
    calls: 'cuda_api_sum'
};
function sameReport(a, b) {
    if (a.kind === 'used' && b.kind === 'used')
        return a.info.id === b.info.id;
    return a.kind === b.kind && a.name === b.name;
}
function relabel(tables, info) {
    // A `calls` table refined to OS runtime moves from cudaApi to osrt.
    if (info.family === 'osrt' && tables.cudaApi)
        return { osrt: tables.cudaApi };
    return tables;
}
function jsonCell(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value === 'number')
        return String(value);
    if (typeof value === 'string')
        return value;
    return JSON.stringify(value);
}
function describeHeader(columns) {
    return columns.map((c) => c.label).join(', ');
}
function clip(text, max = 120) {
    return text.length > max ? `${text.slice(0, max)}…` : text;
}
function plural$1(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function listLines(lines) {
    const shown = lines.slice(0, 5).join(', ');
    return lines.length > 5 ? `${shown}, …` : shown;
}

/** Which report families can fill a table. */
const SOURCES = {
    kernels: ['kernels', 'kernelsByGrid', 'gpuTrace'],
    memTime: ['memTime', 'gpuTrace'],
    memSize: ['memSize', 'gpuTrace'],
    cudaApi: ['cudaApi'],
    nvtx: ['nvtx'],
    osrt: ['osrt']
};
const VARIANT_PREFERENCE = [undefined, 'base', 'mangled', 'nvtx-name'];
/**
 * Builds one profile (one run) from everything read out of one input: a report file, a
 * directory of them, or one captured output.
 *
 * For each table the best report wins (cuda_gpu_kern_sum over cuda_gpu_kern_gb_sum over the GPU
 * trace; the default kernel naming over the `base`/`mangled`/`nvtx-name` variants). When the same
 * report appears more than once, the last one with data wins, and a note says so: a later re-run
 * supersedes earlier output, and "no data" never erases numbers.
 */
function assembleProfile(results, tool, description) {
    const meta = emptyMeta(tool);
    const found = [];
    const gpus = new Set();
    for (const result of results) {
        meta.sources.push(result.source);
        for (const note of result.notes)
            meta.notes.push(`${result.source}: ${note}`);
        for (const occurrence of result.occurrences)
            found.push({ ...occurrence, source: result.source });
        if (result.nsysVersion && !meta.profiler.version)
            meta.profiler.version = result.nsysVersion;
        for (const gpu of result.gpus)
            gpus.add(gpu);
    }
    if (found.length === 0) {
        const why = meta.notes.length > 0 ? `\n  ${meta.notes.join('\n  ')}` : '';
        throw new InputError(`found no nsys stats report in ${description}. nsys-bench reads the files written by ` +
            '`nsys stats --format csv --output <dir>/<base> <report>.nsys-rep`, captured `nsys stats` ' +
            `output, or a profile JSON written by nsys-bench.${why}`);
    }
    if (gpus.size > 0)
        meta.gpus = [...gpus].map((name) => ({ name }));
    const tables = {};
    for (const table of TABLE_NAMES) {
        const chosen = choose(table, found, meta.notes);
        if (!chosen)
            continue;
        tables[table] = chosen.tables[table] ?? new Map();
        meta.reports[table] = chosen.variant ? `${chosen.name}:${chosen.variant}` : chosen.name;
        if (table === 'kernels' && chosen.variant && chosen.report.family === 'kernels') {
            meta.kernelNaming = chosen.variant;
        }
    }
    return { meta, tables };
}
function choose(table, found, notes) {
    const candidates = found.filter((o) => SOURCES[table].includes(o.report.family));
    if (candidates.length === 0)
        return undefined;
    // Kernel naming first (profiles compare only like with like), then the report's precision.
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
        notes.push(`${chosen.name}${chosen.variant ? `:${chosen.variant}` : ''} appears ${group.length} times (${where}); ` +
            `the ${table} table uses ${chosen.source}:${chosen.line}` +
            (chosen !== group.at(-1) ? ' (the last one with data)' : ' (the last one)'));
    }
    return chosen;
}
function variantIndex(variant) {
    const i = VARIANT_PREFERENCE.indexOf(variant);
    return i < 0 ? VARIANT_PREFERENCE.length : i;
}

/** Parses `nsys stats` output from a stream of bytes or text (see NsysStatsParser). */
async function parseNsysStats(chunks, options) {
    const parser = new NsysStatsParser(options);
    await forEachLine(chunks, (line, lineNo) => parser.push(line, lineNo));
    return parser.finish();
}
/** Report output file names: `<base>_<report>[_<variant>].<ext>` (formats.md §1.6). */
function reportFileName(fileName, knownNames) {
    const match = /^(.*)\.(csv|tsv|json)$/.exec(fileName);
    if (!match)
        return undefined;
    const [, stem = '', ext = ''] = match;
    for (const variant of ['base', 'mangled', 'nvtx-name', undefined]) {
        const suffixStem = variant ? stem.slice(0, -(variant.length + 1)) : stem;
        if (variant && !stem.endsWith(`_${variant}`))
            continue;
        for (const report of knownNames) {
            if (suffixStem.endsWith(`_${report}`)) {
                const base = suffixStem.slice(0, -(report.length + 1));
                return variant ? { base, report, variant, ext } : { base, report, ext };
            }
        }
    }
    return undefined;
}

var version = "0.1.0";
var pkg = {
	version: version};

/** This tool's name and version, recorded in every profile it writes. */
const TOOL = { name: 'nsys-bench', version: pkg.version };

/**
 * The embedded demo: captured `nsys stats --format csv` output (Nsight Systems 2023.4 layout) of
 * an LLM-serving decode benchmark (Llama-style model, 32 layers, 512 decode steps, TP=2 on H100):
 * cuBLAS GEMMs, FlashAttention, RMSNorm, SiLU, rotary embedding, KV-cache writes, NCCL
 * all-reduce, sampling. The head is a pull request that fuses RMSNorm into the residual add and
 * bumps FlashAttention: attention got slower, the activation faster, a tiny Triton kernel jumped
 * by 44 % but stays under the absolute floor, and NCCL moved within its noise.
 *
 * Generated once by a script (numbers are synthetic but shaped like real vLLM profiles) and
 * kept verbatim here so that `npm run demo` runs the real parser on real-format text.
 */
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

/**
 * The demo's baseline and head: the embedded captures, parsed by the real parser. With runs > 1,
 * each side becomes that many runs with deterministic ±1 % run-to-run jitter per item, so the
 * statistics (medians, Mann–Whitney, confidence intervals) have something to work on.
 */
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
/** A small deterministic PRNG (public domain), so the demo prints the same report every time. */
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

/**
 * Input detection. One input is:
 * - a directory of `nsys stats --output` files (`<base>_<report>.csv`): one run per base name;
 * - a directory of profile JSONs written by nsys-bench: one run per file;
 * - a profile JSON;
 * - a single report file (`.csv`/`.tsv`/`.json`), or captured `nsys stats` output.
 */
async function loadInput(path) {
    const info = await statOrFail(path);
    if (info.isDirectory())
        return loadDirectory(path);
    return [await loadFile(path)];
}
/**
 * Several report files of one run (`summarize a_cuda_gpu_kern_sum.csv a_cuda_api_sum.csv`), or
 * one input of any kind that holds exactly one run.
 */
async function loadRun(paths) {
    if (paths.length === 1 && paths[0] !== undefined) {
        const runs = await loadInput(paths[0]);
        if (runs.length !== 1 || !runs[0]) {
            throw new InputError(`${paths[0]} holds ${runs.length} runs; give one run (compare takes several per side)`);
        }
        return runs[0];
    }
    const results = [];
    for (const path of paths) {
        const info = await statOrFail(path);
        if (info.isDirectory())
            throw new InputError(`${path} is a directory; to read one run from several inputs, give files`);
        const kind = await sniff(path);
        if (kind !== 'text')
            throw new InputError(`${path} is not nsys stats output; only report files combine into one run`);
        results.push(await readStatsFile(path));
    }
    return assembleProfile(results, TOOL, paths.join(', '));
}
async function loadDirectory(dir) {
    const names = (await readdir(dir)).sort();
    const known = allReportNames();
    const bases = new Map();
    const profiles = [];
    const reports = [];
    const ignored = [];
    for (const name of names) {
        const file = reportFileName(name, known);
        if (file) {
            if (lookupReport(file.report).kind !== 'used') {
                ignored.push(name);
                continue;
            }
            const list = bases.get(file.base) ?? [];
            list.push(name);
            bases.set(file.base, list);
        }
        else if (extname(name) === '.json') {
            profiles.push(name);
        }
        else if (/\.(nsys-rep|qdrep|sqlite)$/.test(name)) {
            reports.push(name);
        }
    }
    if (bases.size > 0 && profiles.length > 0) {
        throw new InputError(`${dir} holds both nsys stats files and JSON files (${profiles.slice(0, 3).join(', ')}); keep one kind per directory`);
    }
    if (profiles.length > 0) {
        return Promise.all(profiles.map((name) => loadFile(join(dir, name))));
    }
    if (bases.size === 0) {
        const hint = reports.length > 0
            ? ` It has ${reports.slice(0, 3).join(', ')}: turn a report into stats files with ` +
                '`LC_ALL=C nsys stats --force-export=true --force-overwrite=true --format csv ' +
                '--report cuda_gpu_kern_sum,cuda_api_sum,cuda_gpu_mem_time_sum,cuda_gpu_mem_size_sum,nvtx_sum,osrt_sum ' +
                `--output ${join(dir, 'run')} ${join(dir, reports[0] ?? 'report.nsys-rep')}` +
                '` (the action does this for you).'
            : '';
        throw new InputError(`${dir} has no nsys stats output files (<base>_<report>.csv, e.g. run_cuda_gpu_kern_sum.csv) and no profile JSON.${hint}`);
    }
    const runs = [];
    for (const [base, files] of bases) {
        const results = [];
        for (const name of files)
            results.push(await readStatsFile(join(dir, name)));
        const profile = assembleProfile(results, TOOL, `${join(dir, base)}_*`);
        for (const name of ignored) {
            if (name.startsWith(`${base}_`))
                profile.meta.notes.push(`${join(dir, name)}: not a report nsys-bench reads; ignored`);
        }
        runs.push(profile);
    }
    return runs;
}
async function loadFile(path) {
    const kind = await sniff(path);
    switch (kind) {
        case 'gzip':
            throw new InputError(`${path} is gzip-compressed. nsys stats output is plain text; PyTorch/Perfetto traces (.json.gz) are not supported yet.`);
        case 'report':
            throw new InputError(`${path} is an Nsight Systems report, not stats output. Export its stats first: ` +
                '`LC_ALL=C nsys stats --force-export=true --force-overwrite=true --format csv ' +
                '--report cuda_gpu_kern_sum,cuda_api_sum,cuda_gpu_mem_time_sum,cuda_gpu_mem_size_sum,nvtx_sum,osrt_sum ' +
                `--output out/run ${path}\` and pass the out/ directory (the action does this for you).`);
        case 'json':
            return loadJson(path);
        case 'text':
            return assembleProfile([await readStatsFile(path)], TOOL, path);
    }
}
async function loadJson(path) {
    const info = await stat(path);
    if (info.size > 512 * 1024 * 1024) {
        throw new InputError(`${path} is a ${Math.round(info.size / 2 ** 20)} MiB JSON file, too large for a profile JSON`);
    }
    let value;
    try {
        value = JSON.parse(await readFile(path, 'utf8'));
    }
    catch (error) {
        throw new InputError(`${path} is not valid JSON: ${error.message}`);
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const record = value;
        if (record.kind === PROFILE_KIND)
            return profileFromJson(value, path);
        if ('traceEvents' in record) {
            throw new InputError(`${path} is a Chrome/Perfetto trace (PyTorch profiler); traces are not supported yet`);
        }
    }
    throw new InputError(`${path} is JSON but not a profile written by nsys-bench (expected "kind": "${PROFILE_KIND}")`);
}
/** Reads one file of nsys stats text (a report file or captured output). */
async function readStatsFile(path) {
    const name = basename(path);
    const file = reportFileName(name, allReportNames());
    const strict = file && file.ext !== 'json' ? true : /\.(csv|tsv)$/i.test(name) ? 'auto' : false;
    return parseNsysStats(createReadStream(path), {
        source: path,
        strict,
        ...(file ? { report: { name: file.report, variant: file.variant } } : {})
    });
}
async function sniff(path) {
    if (/\.(nsys-rep|qdrep|qdstrm|sqlite)$/i.test(path))
        return 'report';
    const handle = await open(path, 'r');
    try {
        const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
        const head = buffer.subarray(0, bytesRead);
        if (head[0] === 0x1f && head[1] === 0x8b)
            return 'gzip';
        if (head.subarray(0, 16).toString('latin1').startsWith('SQLite format 3'))
            return 'report';
        const text = head
            .toString('utf8')
            .replace(/^\uFEFF/, '')
            .trimStart();
        return text.startsWith('{') ? 'json' : 'text';
    }
    finally {
        await handle.close();
    }
}
async function statOrFail(path) {
    try {
        return await stat(path);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ENOENT')
            throw new InputError(`${path}: no such file or directory`);
        if (code === 'EACCES')
            throw new InputError(`${path}: permission denied`);
        throw new InputError(`${path}: cannot read (${error.message})`, undefined, {
            cause: error
        });
    }
}

/**
 * The machine-readable comparison (`compare --format json`, the action's comparison.json):
 * `{"verdict", "runs", "method", "kernels": [...], "memTime": [...], …, "totals": {...}, "notes"}`.
 * Items carry `deltaNs` (time tables) or `deltaBytes` (the size table).
 */
function comparisonToJson(comparison) {
    const out = {
        verdict: comparison.verdict,
        runs: comparison.runs,
        method: comparison.method
    };
    const totals = {};
    for (const table of comparison.tables) {
        out[table.table] = table.items.map((item) => itemJson(item, table.unit));
        totals[table.table] = totalJson(table);
    }
    out.totals = totals;
    out.notes = comparison.notes;
    return out;
}
const SUFFIX = { ns: 'Ns', bytes: 'Bytes' };
function sideJson(stat, unit) {
    if (!stat)
        return null;
    return { ...encodeStat(stat, unit), runs: stat.runs };
}
function itemJson(item, unit) {
    const s = SUFFIX[unit];
    const out = {
        name: item.name,
        key: item.key,
        status: item.status,
        base: sideJson(item.base, unit),
        head: sideJson(item.head, unit),
        [`delta${s}`]: round(item.delta),
        deltaPct: item.deltaPct === null ? null : round(item.deltaPct),
        sharePct: round(item.sharePct),
        gated: item.gated,
        threshold: item.threshold,
        [`floor${s}`]: round(item.floor),
        direction: item.direction
    };
    if (item.reason !== undefined)
        out.reason = item.reason;
    if (item.rule !== undefined)
        out.rule = item.rule;
    if (item.significance) {
        out.significance = {
            ...item.significance,
            p: round(item.significance.p, 6),
            ciLowPct: round(item.significance.ciLowPct),
            ciHighPct: round(item.significance.ciHighPct),
            confidence: round(item.significance.confidence, 6)
        };
    }
    if (item.samples)
        out.samples = item.samples;
    return out;
}
function totalJson(table) {
    const s = SUFFIX[table.unit];
    const t = table.total;
    return {
        [`base${s}`]: round(t.base),
        [`head${s}`]: round(t.head),
        [`delta${s}`]: round(t.delta),
        deltaPct: t.deltaPct === null ? null : round(t.deltaPct),
        status: t.status,
        gated: t.gated,
        counts: table.counts,
        ignored: table.ignored
    };
}
function round(value, digits = 3) {
    if (!Number.isFinite(value))
        return value;
    const f = 10 ** digits;
    return Math.round(value * f) / f;
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
 *   other values are treated as `''`, which doesn’t place the colon in the
 *   alignment row but does align left;
 *   *only the lowercased first character is used, so `Right` is fine.*
 * @property {boolean | null | undefined} [delimiterEnd=true]
 *   Whether to end each row with the delimiter (default: `true`).
 *
 *   > 👉 **Note**: please don’t use this: it could create fragile structures
 *   > that aren’t understandable to some markdown parsers.
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
 *   > 👉 **Note**: please don’t use this: it could create fragile structures
 *   > that aren’t understandable to some markdown parsers.
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
 *   which receives the cell content and returns its “visible” size;
 *   note that what is and isn’t visible depends on where the text is displayed.
 *
 *   Without such a function, the following:
 *
 *   ```js
 *   markdownTable([
 *     ['Alpha', 'Bravo'],
 *     ['中文', 'Charlie'],
 *     ['👩‍❤️‍👩', 'Delta']
 *   ])
 *   ```
 *
 *   Yields:
 *
 *   ```markdown
 *   | Alpha | Bravo |
 *   | - | - |
 *   | 中文 | Charlie |
 *   | 👩‍❤️‍👩 | Delta |
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
 *       ['中文', 'Charlie'],
 *       ['👩‍❤️‍👩', 'Delta']
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
 *   | 中文  | Charlie |
 *   | 👩‍❤️‍👩    | Delta   |
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

  // This is a superfluous loop if we don’t align delimiters, but otherwise we’d
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
        // Don’t add the opening space if we’re not aligning and the cell is
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

/**
 * Kernel names are hostile input: they come from user code and end up in PR comments and
 * terminals. Everything taken from a profile goes through these functions.
 */
// C0/C1 controls, bidirectional overrides/isolates and marks (Trojan Source), zero-width
// characters and the BOM: shown as visible \u{…} escapes rather than acted on.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
/** Makes control and invisible characters visible: `\u{1b}`, `\u{202e}`. */
function visible(text) {
    return text.replace(INVISIBLE, (ch) => `\\u{${ch.codePointAt(0)?.toString(16) ?? ''}}`);
}
/** Shortens in the middle, keeping the start (namespace, template) and the end (arguments). */
function shorten(text, max) {
    const chars = [...text];
    if (chars.length <= max)
        return text;
    const head = Math.ceil((max - 1) * 0.65);
    const tail = max - 1 - head;
    return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}
/**
 * A name as an inline code span, safe inside a GFM table cell: HTML, mentions, emphasis and
 * links are inert in code; the fence is longer than any backtick run inside; `|` is escaped
 * for the table (GFM unescapes `\|` inside code spans in tables).
 */
function codeSpan(name, maxLength = Infinity) {
    let text = visible(shorten(name, maxLength));
    let longest = 0;
    for (const run of text.match(/`+/g) ?? [])
        longest = Math.max(longest, run.length);
    const fence = '`'.repeat(longest + 1);
    if (text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')))
        text = ` ${text} `;
    if (text === '')
        text = ' ';
    return `${fence}${text.replace(/\|/g, '\\|')}${fence}`;
}
/**
 * Untrusted text in Markdown prose or a table cell: no HTML, no emphasis or links (not even
 * bare URLs), no @mentions (a zero-width space after `@`, as Renovate does), no line breaks.
 */
function markdownText(text) {
    return (visible(text.replace(/\r?\n/g, ' '))
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        // Parentheses need no escape: with [ and ] escaped they cannot form a link.
        .replace(/([\\`*_[\]{}#+!|~])/g, '\\$1')
        .replace(/@/g, '@&#8203;')
        // GFM turns bare URLs and www. names into links: a zero-width space defuses them.
        .replace(/:\/\//g, ':&#8203;//')
        .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}&#8203;.`));
}
/** Untrusted text for a terminal: no escape sequences, no control characters. */
function terminalText(text) {
    return visible(text);
}

/**
 * Deterministic number formatting, shared by every renderer: the same input always gives the
 * same text (golden files depend on it).
 */
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
function formatValue(unit, value) {
    return unit === 'ns' ? formatDuration(value) : formatBytes(value);
}
/** A signed difference: `+1.20 ms`, `-350 ns`, `0 ns`. */
function formatDelta(unit, delta) {
    const text = formatValue(unit, Math.abs(delta));
    if (delta > 0)
        return `+${text}`;
    if (delta < 0)
        return `-${text}`;
    return text;
}
/** `+5.4%`, `-12.0%`, `0.0%`; `n/a` when there is no base to compare with. */
function formatPercent(pct, digits = 1) {
    if (pct === null || pct === undefined || !Number.isFinite(pct))
        return 'n/a';
    const text = Math.abs(pct).toFixed(digits);
    if (Number(text) === 0)
        return `${(0).toFixed(digits)}%`;
    return `${pct > 0 ? '+' : '-'}${text}%`;
}
/** An unsigned share: `12.3%`. */
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

const COMMENT_LIMIT = 65_536;
/** Trimming levels: fewer rows in the visible sections, shorter names. */
const LEVELS = [
    { sectionRows: Infinity, nameLength: 200 },
    { sectionRows: 100, nameLength: 160 },
    { sectionRows: 50, nameLength: 120 },
    { sectionRows: 20, nameLength: 100 },
    { sectionRows: 10, nameLength: 80 },
    { sectionRows: 5, nameLength: 60 },
    { sectionRows: 0, nameLength: 60 }
];
function renderMarkdown(comparison, options = {}) {
    const prefix = options.prefix ?? '';
    const fits = (text) => (options.maxChars === undefined || prefix.length + text.length <= options.maxChars) &&
        (options.maxBytes === undefined || Buffer.byteLength(prefix + text, 'utf8') <= options.maxBytes);
    const most = Math.max(0, ...comparison.tables.map((t) => t.items.length));
    let text = '';
    for (const level of LEVELS) {
        text = build(comparison, options, { ...level, detailRows: Infinity });
        if (fits(text))
            return text;
        if (!fits(build(comparison, options, { ...level, detailRows: 0 })))
            continue;
        // As many rows of the full tables as fit (binary search: rendering is linear in rows).
        let lo = 0;
        let hi = most;
        while (lo < hi) {
            const mid = Math.ceil((lo + hi) / 2);
            if (fits(build(comparison, options, { ...level, detailRows: mid })))
                lo = mid;
            else
                hi = mid - 1;
        }
        return build(comparison, options, { ...level, detailRows: lo });
    }
    // Only the headline is left and it still does not fit (absurd limits): cut it, visibly.
    const limit = Math.max(0, (options.maxChars ?? text.length) - prefix.length - 200);
    return `${text.slice(0, limit)}\n\n_(report cut at ${limit} characters)_\n`;
}
function build(comparison, options, budget) {
    const out = [];
    const trimmed = { rows: 0 };
    const regression = comparison.verdict === 'regression';
    const title = options.title ?? 'nsys-bench';
    out.push(`### ${regression ? '❌' : '✅'} ${title}: ${regression ? 'GPU performance regression' : 'no GPU performance regression'}`);
    out.push('');
    out.push(headline(comparison));
    out.push('');
    for (const line of options.context ?? [])
        out.push(line, '');
    out.push(limitsLine(comparison));
    out.push('');
    for (const note of warnings(comparison))
        out.push(`> [!WARNING]\n> ${note}\n`);
    const kernels = comparison.tables.find((t) => t.table === 'kernels');
    if (kernels) {
        section(out, `Regressions (${kernels.counts.regressed})`, kernels, 'regressed', budget, trimmed, comparison);
        section(out, `Improvements (${kernels.counts.improved})`, kernels, 'improved', budget, trimmed, comparison);
        section(out, `New kernels (${kernels.counts.new})`, kernels, 'new', budget, trimmed, comparison);
        section(out, `Removed kernels (${kernels.counts.removed})`, kernels, 'removed', budget, trimmed, comparison);
    }
    for (const table of comparison.tables) {
        if (table.table === 'kernels' || table.counts.regressed === 0)
            continue;
        const label = TABLE_LABEL[table.table].title;
        const gated = table.items.some((i) => i.gated && i.status === 'regressed');
        section(out, `${gated ? '' : 'Reported, not gated: '}regressions in ${label} (${table.counts.regressed})`, table, 'regressed', budget, trimmed, comparison);
    }
    for (const table of comparison.tables)
        details(out, table, budget, trimmed, comparison);
    const notes = comparison.notes.filter((n) => !isWarning(n));
    if (notes.length > 0) {
        out.push(`<details><summary>Notes (${notes.length})</summary>`, '');
        for (const note of notes)
            out.push(`- ${markdownText(note)}`);
        out.push('', '</details>', '');
    }
    if (trimmed.rows > 0) {
        out.push(`_${plural(trimmed.rows, 'row')} not shown to keep this report within GitHub's size limit${options.fullReport ? `; ${options.fullReport}` : ''}._`, '');
    }
    if (options.footer)
        out.push(`<sub>${options.footer}</sub>`, '');
    return out.join('\n');
}
function headline(comparison) {
    const kernels = comparison.tables.find((t) => t.table === 'kernels');
    const parts = [];
    if (kernels) {
        const t = kernels.total;
        parts.push(`**Total GPU kernel time:** ${formatValue('ns', t.base)} → ${formatValue('ns', t.head)} (**${formatPercent(t.deltaPct)}**${t.status === 'regressed' && t.gated ? ', over the limit' : ''})`);
        const c = kernels.counts;
        parts.push(`${c.regressed} regressed · ${c.improved} improved · ${c.new} new · ${c.removed} removed kernels`);
    }
    else {
        parts.push('**No GPU kernel data on both sides**');
    }
    return parts.join(' · ');
}
function limitsLine(comparison) {
    const kernels = comparison.tables.find((t) => t.table === 'kernels');
    const runs = `Base: ${plural(comparison.runs.base, 'run')} · head: ${plural(comparison.runs.head, 'run')}`;
    const method = comparison.method.kind === 'mann-whitney-u'
        ? `Mann–Whitney U test at α = ${comparison.method.alpha}${comparison.method.attainable ? '' : ' (not attainable with these runs)'}`
        : 'one run a side: thresholds only, no significance test';
    const limits = kernels
        ? `a kernel counts when it moves by ≥ ${firstThreshold(kernels)}% and ≥ ${formatValue('ns', firstFloor(kernels))}`
        : '';
    return `<sub>${[runs, method, limits].filter(Boolean).join(' · ')}</sub>`;
}
function firstThreshold(table) {
    return table.items.find((i) => i.rule === undefined)?.threshold ?? table.items[0]?.threshold ?? 0;
}
function firstFloor(table) {
    return table.items.find((i) => i.rule === undefined)?.floor ?? table.items[0]?.floor ?? 0;
}
/** Notes that must be seen, not folded away. */
function isWarning(note) {
    return /^(Different GPUs|Different Nsight Systems|With \d+ base and|\d+ base runs? against)/.test(note);
}
function warnings(comparison) {
    const list = comparison.notes.filter(isWarning).map(markdownText);
    if (comparison.method.kind === 'single-run' &&
        comparison.runs.base === 1 &&
        comparison.runs.head === 1) {
        list.push('One run a side: changes are judged on the thresholds alone, with no significance test. Set `repetitions` to 5 or more for a test.');
    }
    return list;
}
function section(out, heading, table, status, budget, trimmed, comparison) {
    const items = table.items.filter((i) => i.status === status);
    if (items.length === 0)
        return;
    out.push(`#### ${heading}`, '');
    const shown = items.slice(0, budget.sectionRows);
    if (shown.length > 0)
        out.push(itemTable(table, shown, status, budget, comparison), '');
    if (shown.length < items.length) {
        out.push(`_… and ${items.length - shown.length} more (see the full table below or the JSON report)._`, '');
        trimmed.rows += items.length - shown.length;
    }
}
function details(out, table, budget, trimmed, comparison) {
    const label = TABLE_LABEL[table.table].title;
    const c = table.counts;
    const summary = [
        `${label}: ${formatValue(table.unit, table.total.base)} → ${formatValue(table.unit, table.total.head)} (${formatPercent(table.total.deltaPct)})`,
        `${c.regressed} regressed, ${c.improved} improved, ${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged`,
        table.gated ? '' : 'not gated'
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
function itemTable(table, items, status, budget, comparison) {
    const unit = table.unit;
    const what = TABLE_LABEL[table.table].item;
    const repeated = comparison.method.kind === 'mann-whitney-u';
    if (status === 'new' || status === 'removed') {
        // One side only: the head's numbers for a new item, the base's for a removed one.
        const side = status === 'new' ? 'head' : 'base';
        return markdownTable([
            [what, status === 'new' ? 'Head' : 'Base', 'Instances', `Share of ${side}`],
            ...items.map((i) => [
                codeSpan(i.name, budget.nameLength),
                formatValue(unit, i[side]?.total ?? 0),
                formatCount(i[side]?.instances ?? 0),
                formatShare(i.sharePct)
            ])
        ], { align: ['l', 'r', 'r', 'r'], alignDelimiters: false });
    }
    const header = [
        what,
        ...(status ? [] : ['Status']),
        'Base',
        'Head',
        'Δ',
        'Δ %',
        'Instances',
        'Share'
    ];
    if (repeated)
        header.push('p', 'CI of Δ %');
    const rows = items.map((i) => {
        const row = [
            codeSpan(i.name, budget.nameLength),
            ...(status ? [] : [statusLabel(i)]),
            i.base ? formatValue(unit, i.base.total) : '—',
            i.head ? formatValue(unit, i.head.total) : '—',
            formatDelta(unit, i.delta),
            formatPercent(i.deltaPct),
            instances(i),
            formatShare(i.sharePct)
        ];
        if (repeated) {
            const s = i.significance;
            row.push(s ? formatP(s.p) : '', s ? `${formatPercent(s.ciLowPct)} … ${formatPercent(s.ciHighPct)}` : '');
        }
        return row;
    });
    const align = header.map((_, k) => (k === 0 || (!status && k === 1) ? 'l' : 'r'));
    return markdownTable([header, ...rows], { align, alignDelimiters: false });
}
function instances(item) {
    const b = item.base?.instances;
    const h = item.head?.instances;
    if (b === undefined || h === undefined)
        return formatCount(b ?? h ?? 0);
    return b === h ? formatCount(b) : `${formatCount(b)} → ${formatCount(h)}`;
}
function statusLabel(item) {
    if (item.status !== 'unchanged' || !item.reason)
        return STATUS_LABEL[item.status];
    return `unchanged (${REASON_LABEL[item.reason]})`;
}
const REASON_LABEL = {
    'below-threshold': 'under threshold',
    'below-floor': 'under floor',
    'not-significant': 'not significant'
};
const STATUS_LABEL = {
    regressed: '🔴 regressed',
    improved: '🟢 improved',
    unchanged: 'unchanged',
    new: '🆕 new',
    removed: '➖ removed'
};

function renderText(comparison, options = {}) {
    const nameLength = options.nameLength ?? 100;
    const rows = options.rows ?? 20;
    const out = [];
    const kernels = comparison.tables.find((t) => t.table === 'kernels');
    out.push(`nsys-bench: ${comparison.verdict === 'regression' ? 'REGRESSION' : 'pass (no regression)'}`);
    if (kernels) {
        const t = kernels.total;
        const c = kernels.counts;
        out.push(`Total GPU kernel time: ${formatValue('ns', t.base)} -> ${formatValue('ns', t.head)} (${formatPercent(t.deltaPct)})` +
            `  ${c.regressed} regressed, ${c.improved} improved, ${c.new} new, ${c.removed} removed`);
    }
    out.push(`Runs: base ${comparison.runs.base}, head ${comparison.runs.head}; ` +
        (comparison.method.kind === 'mann-whitney-u'
            ? `Mann-Whitney U test, alpha ${comparison.method.alpha}`
            : 'one run a side: thresholds only, no significance test'));
    for (const note of comparison.notes)
        out.push(`Note: ${terminalText(note)}`);
    for (const table of comparison.tables) {
        const label = TABLE_LABEL[table.table].title;
        const c = table.counts;
        out.push('');
        out.push(`${label}: ${formatValue(table.unit, table.total.base)} -> ${formatValue(table.unit, table.total.head)} ` +
            `(${formatPercent(table.total.deltaPct)}); ${c.regressed} regressed, ${c.improved} improved, ` +
            `${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged${table.gated ? '' : ' (not gated)'}`);
        for (const status of ['regressed', 'improved', 'new', 'removed']) {
            const items = table.items.filter((i) => i.status === status);
            if (items.length === 0)
                continue;
            out.push(`  ${STATUS_TITLE[status]}:`);
            out.push(...align(items.slice(0, rows).map((i) => itemCells(i, table, comparison, nameLength))).map((l) => `    ${l}`));
            if (items.length > rows)
                out.push(`    … and ${items.length - rows} more`);
        }
    }
    return `${out.join('\n')}\n`;
}
const STATUS_TITLE = {
    regressed: 'Regressed',
    improved: 'Improved',
    new: 'New',
    removed: 'Removed'
};
function itemCells(item, table, comparison, nameLength) {
    const unit = table.unit;
    const name = terminalText(shorten(item.name, nameLength));
    if (item.status === 'new')
        return [
            formatValue(unit, item.head?.total ?? 0),
            `x${formatCount(item.head?.instances ?? 0)}`,
            name
        ];
    if (item.status === 'removed')
        return [
            formatValue(unit, item.base?.total ?? 0),
            `x${formatCount(item.base?.instances ?? 0)}`,
            name
        ];
    const cells = [
        formatPercent(item.deltaPct),
        formatDelta(unit, item.delta),
        `${formatValue(unit, item.base?.total ?? 0)} -> ${formatValue(unit, item.head?.total ?? 0)}`
    ];
    if (comparison.method.kind === 'mann-whitney-u' && item.significance)
        cells.push(`p=${formatP(item.significance.p)}`);
    cells.push(name);
    return cells;
}
/** Pads every column but the last to its widest cell; numbers right-aligned. */
function align(rows) {
    const widths = [];
    for (const row of rows)
        row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
    return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padStart(widths[i] ?? 0))).join('  '));
}
/** `summarize` without --json: each table's rows, largest first. */
function renderProfileText(profile, options = {}) {
    const nameLength = options.nameLength ?? 100;
    const rows = options.rows ?? 20;
    const out = [];
    const meta = profile.meta;
    out.push(`Profile from ${meta.sources.map(terminalText).join(', ')}`);
    if (meta.profiler.version)
        out.push(`Nsight Systems ${meta.profiler.version}`);
    if (meta.gpus?.length)
        out.push(`GPU: ${meta.gpus.map((g) => terminalText(g.name)).join(', ')}`);
    if (meta.kernelNaming !== 'demangled')
        out.push(`Kernel names: ${meta.kernelNaming} variant`);
    for (const note of meta.notes)
        out.push(`Note: ${terminalText(note)}`);
    for (const name of TABLE_NAMES) {
        const table = profile.tables[name];
        if (!table)
            continue;
        const unit = TABLE_UNIT[name];
        const report = meta.reports[name] ?? '';
        out.push('');
        if (table.size === 0) {
            out.push(`${TABLE_LABEL[name].title} (${report}): no data`);
            continue;
        }
        const total = tableTotal(table);
        out.push(`${TABLE_LABEL[name].title} (${report}): ${plural(table.size, 'item')}, total ${formatValue(unit, total)}`);
        const sorted = sortedRows(table);
        out.push(...align([
            ['Total', 'Share', 'Count', 'Average', 'Name'],
            ...sorted
                .slice(0, rows)
                .map(([, s]) => [
                formatValue(unit, s.total),
                formatShare(total > 0 ? (s.total / total) * 100 : 0),
                formatCount(s.instances),
                formatValue(unit, s.avg),
                terminalText(shorten(s.name, nameLength))
            ])
        ]).map((l) => `  ${l}`));
        if (sorted.length > rows)
            out.push(`  … and ${sorted.length - rows} more (--json for all)`);
    }
    return `${out.join('\n')}\n`;
}

const EXIT = { pass: 0, regression: 1, error: 2 };
const HELP = `nsys-bench ${TOOL.version}: compare NVIDIA Nsight Systems profiles kernel by kernel

Usage:
  nsys-bench summarize <input>... [--json] [--rows N]
  nsys-bench compare <base> <head> [options]
  nsys-bench compare --base <input> [--base <input>...] --head <input> [--head <input>...] [options]
  nsys-bench demo [--format text|markdown|json] [--runs N]

Inputs: a directory of \`nsys stats --format csv --output <dir>/<base>\` files, captured
\`nsys stats\` output, one report CSV, or a profile JSON written by \`summarize --json\`.
Several --base/--head inputs (or a directory of profile JSONs) are repeated runs.

Compare options:
  --threshold PCT     relative change that counts (default 5)
  --min-share PCT     absolute floor, percent of the base's table total (default 0.1)
  --alpha A           significance level with repeated runs (default 0.05)
  --rules FILE        JSON rules: per-table and per-name (regex) limits, gates, ignores
  --ignore REGEX      ignore items whose name matches (repeatable)
  --format F          text (default), markdown or json
  --output FILE       write the report to FILE instead of stdout
  --no-fail           exit 0 even on a regression

Exit status: 0 pass, 1 regression, 2 bad input or usage.
`;
async function runCli(argv, io) {
    try {
        const [command, ...rest] = argv;
        switch (command) {
            case 'summarize':
                return await summarize(rest, io);
            case 'compare':
                return await compare(rest, io);
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
                throw new UsageError(`unknown command "${command}"`);
        }
    }
    catch (error) {
        const hint = error instanceof UsageError ? '\nRun `nsys-bench --help` for usage.' : '';
        const kind = error instanceof InputError || error instanceof UsageError ? 'error' : 'internal error';
        io.stderr(`nsys-bench: ${kind}: ${errorMessage(error)}${hint}\n`);
        return EXIT.error;
    }
}
function parse(args, options, positionals = true) {
    try {
        return parseArgs({ args: [...args], options, allowPositionals: positionals, strict: true });
    }
    catch (error) {
        throw new UsageError(errorMessage(error));
    }
}
async function summarize(args, io) {
    const { values, positionals } = parse(args, {
        json: { type: 'boolean', default: false },
        rows: { type: 'string' }
    });
    if (positionals.length === 0)
        throw new UsageError('summarize needs at least one input');
    const profile = await loadRun(positionals);
    profile.meta.createdAt = new Date().toISOString();
    if (values.json) {
        io.stdout(`${JSON.stringify(profileToJson(profile), null, 2)}\n`);
    }
    else {
        io.stdout(renderProfileText(profile, { rows: positiveInt(values.rows, '--rows') ?? 20 }));
    }
    for (const note of profile.meta.notes)
        io.stderr(`nsys-bench: note: ${note}\n`);
    return EXIT.pass;
}
async function compare(args, io) {
    const { values, positionals } = parse(args, {
        base: { type: 'string', multiple: true },
        head: { type: 'string', multiple: true },
        threshold: { type: 'string' },
        'min-share': { type: 'string' },
        alpha: { type: 'string' },
        rules: { type: 'string' },
        ignore: { type: 'string', multiple: true },
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        'no-fail': { type: 'boolean', default: false }
    });
    const format = checkFormat(values.format);
    let baseInputs = values.base ?? [];
    let headInputs = values.head ?? [];
    if (positionals.length > 0) {
        if (positionals.length !== 2 || baseInputs.length > 0 || headInputs.length > 0) {
            throw new UsageError('compare takes <base> <head>, or --base/--head options (not both)');
        }
        baseInputs = [positionals[0] ?? ''];
        headInputs = [positionals[1] ?? ''];
    }
    if (baseInputs.length === 0 || headInputs.length === 0)
        throw new UsageError('compare needs a base and a head input');
    const rules = await readRules(values.rules, {
        threshold: number(values.threshold, '--threshold'),
        minShare: number(values['min-share'], '--min-share'),
        alpha: number(values.alpha, '--alpha'),
        ignore: values.ignore ?? []
    });
    const base = await loadRuns(baseInputs);
    const head = await loadRuns(headInputs);
    const comparison = compareProfiles(base, head, rules);
    await emit(render(comparison, format), values.output, io);
    if (comparison.verdict === 'regression' && !values['no-fail'])
        return EXIT.regression;
    return EXIT.pass;
}
async function demo(args, io) {
    const { values } = parse(args, { format: { type: 'string', default: 'text' }, runs: { type: 'string' } }, false);
    const format = checkFormat(values.format);
    const runs = positiveInt(values.runs, '--runs') ?? 1;
    if (runs > 50)
        throw new UsageError('--runs takes at most 50');
    const { base, head } = await demoProfiles(runs);
    const comparison = compareProfiles(base, head, buildRules(undefined));
    io.stdout(render(comparison, format));
    if (format === 'text') {
        io.stderr(`\nThis was the embedded demo: a baseline and a head profile of an LLM-serving benchmark (nsys stats output in src/demo/). ` +
            `On real inputs \`nsys-bench compare\` would exit ${comparison.verdict === 'regression' ? '1 (regression)' : '0 (pass)'}.\n`);
    }
    return EXIT.pass;
}
function checkFormat(value) {
    if (value === 'text' || value === 'markdown' || value === 'json')
        return value;
    throw new UsageError(`--format must be text, markdown or json, not "${value ?? ''}"`);
}
function render(comparison, format) {
    switch (format) {
        case 'json':
            return `${JSON.stringify(comparisonToJson(comparison), null, 2)}\n`;
        case 'markdown':
            return renderMarkdown(comparison, { maxChars: COMMENT_LIMIT });
        case 'text':
            return renderText(comparison);
    }
}
async function loadRuns(inputs) {
    const runs = [];
    for (const input of inputs)
        runs.push(...(await loadInput(input)));
    return runs;
}
async function readRules(path, overrides) {
    if (path === undefined)
        return buildRules(undefined, overrides);
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch (error) {
        throw new UsageError(`cannot read the rules file ${path}: ${errorMessage(error)}`);
    }
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (error) {
        throw new UsageError(`${path} is not valid JSON: ${errorMessage(error)}`);
    }
    return buildRules(json, overrides, path);
}
async function emit(text, output, io) {
    if (output === undefined) {
        io.stdout(text);
        return;
    }
    try {
        await writeFile(output, text);
    }
    catch (error) {
        throw new UsageError(`cannot write ${output}: ${errorMessage(error)}`);
    }
}
function number(value, flag) {
    if (value === undefined)
        return undefined;
    const parsed = Number(value);
    if (value.trim() === '' || !Number.isFinite(parsed))
        throw new UsageError(`${flag} takes a number, not "${value}"`);
    return parsed;
}
function positiveInt(value, flag) {
    const parsed = number(value, flag);
    if (parsed === undefined)
        return undefined;
    if (!Number.isInteger(parsed) || parsed < 1)
        throw new UsageError(`${flag} takes a positive whole number, not "${value}"`);
    return parsed;
}

// The nsys-bench command line. All output goes through the Io passed to runCli.
process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text)
});
