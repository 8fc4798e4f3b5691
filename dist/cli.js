#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import { openSync, fstatSync, readSync, closeSync, statSync, readFileSync, mkdirSync, writeFileSync, renameSync, readdirSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { Script } from 'node:vm';

function cacheDirectory(host) {
    const { env } = host;
    if (env.NODE_DISABLE_COMPILE_CACHE)
        return undefined;
    const node = `${host.version}-${host.arch}`;
    if (env.NODE_COMPILE_CACHE)
        return resolve(env.NODE_COMPILE_CACHE, `nsys-bench-${node}`);
    let base = env.XDG_CACHE_HOME;
    if (!base) {
        try {
            base = join(host.home(), '.cache');
        }
        catch {
            return undefined;
        }
    }
    return resolve(base, 'nsys-bench', 'code-cache', node);
}
const COMMANDS = new Set(['summarize', 'compare', 'verdict', 'demo']);
const FORMATS = new Set(['text', 'markdown', 'json', 'html']);
function cacheSignature(args) {
    const command = args[0] !== undefined && COMMANDS.has(args[0]) ? args[0] : 'other';
    let format = 'text';
    for (let i = 1; i < args.length; i++) {
        const arg = args[i];
        const value = arg === '--format' ? args[i + 1] : arg.startsWith('--format=') ? arg.slice(9) : undefined;
        if (value !== undefined && FORMATS.has(value))
            format = value;
        else if (arg === '--json')
            format = 'json';
    }
    return `${command}-${format}`;
}
function loadScript(file, directory, signature, uid) {
    const { source, key } = readSource(file);
    const prefix = `${signature}-${shortName(dirname(file))}.`;
    const cacheFile = directory === undefined ? undefined : join(directory, `${prefix}${key}.v8`);
    const cachedData = cacheFile !== undefined && trusted(directory, uid) ? readCache(cacheFile) : undefined;
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
    const cache = cacheFile === undefined
        ? 'off'
        : cachedData === undefined
            ? 'absent'
            : script.cachedDataRejected === true
                ? 'rejected'
                : 'accepted';
    const module = { exports: {} };
    const run = script.runInThisContext();
    run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
    return {
        exports: module.exports,
        cache,
        save() {
            if (cacheFile === undefined)
                return 'off';
            if (cache === 'accepted')
                return 'kept';
            try {
                return writeCache(directory, cacheFile, prefix, script.createCachedData(), uid)
                    ? 'written'
                    : 'failed';
            }
            catch {
                return 'failed';
            }
        }
    };
}
function shortName(path) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < path.length; i++)
        hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193);
    return (hash >>> 0).toString(16).padStart(8, '0');
}
function readSource(file) {
    const fd = openSync(file, 'r');
    try {
        const stat = fstatSync(fd, { bigint: true });
        const bytes = Buffer.allocUnsafe(Number(stat.size));
        let read = 0;
        while (read < bytes.length) {
            const n = readSync(fd, bytes, read, bytes.length - read, read);
            if (n === 0)
                break;
            read += n;
        }
        return {
            source: bytes.toString('utf8', 0, read),
            key: `${read}-${stat.mtimeNs}-${stat.ino}`
        };
    }
    finally {
        closeSync(fd);
    }
}
function trusted(directory, uid) {
    try {
        const stat = statSync(directory);
        return (stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0);
    }
    catch {
        return false;
    }
}
function readCache(file) {
    try {
        return readFileSync(file);
    }
    catch {
        return undefined;
    }
}
function writeCache(directory, file, prefix, data, uid) {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    if (!trusted(directory, uid))
        return false;
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, data, { mode: 0o600 });
    renameSync(partial, file);
    const name = file.slice(directory.length + 1);
    const kept = [];
    const now = Date.now();
    for (const other of readdirSync(directory)) {
        if (other === name)
            continue;
        const path = join(directory, other);
        try {
            if (other.endsWith('.v8')) {
                if (other.startsWith(prefix))
                    unlinkSync(path);
                else
                    kept.push({ name: other, mtimeMs: statSync(path).mtimeMs });
            }
            else if (other.endsWith('.partial') && now - statSync(path).mtimeMs > PARTIAL_AGE_MS) {
                unlinkSync(path);
            }
        }
        catch {
        }
    }
    kept.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const old of kept.slice(MAX_CACHES - 1))
        try {
            unlinkSync(join(directory, old.name));
        }
        catch {
        }
    return true;
}
const MAX_CACHES = 48;
const PARTIAL_AGE_MS = 60 * 60 * 1000;

function largeInputs(args, bytesOf = inputBytes) {
    let total = 0;
    for (const arg of args) {
        total += bytesOf(arg);
        if (total >= LARGE_INPUT_BYTES)
            return true;
    }
    return false;
}
const LARGE_INPUT_BYTES = 8 * 2 ** 20;
const MAX_ENTRIES = 4096;
function inputBytes(path) {
    let seen = 0;
    const walk = (at, depth) => {
        let stat;
        try {
            stat = statSync(at, { throwIfNoEntry: false });
        }
        catch {
            return 0;
        }
        if (!stat)
            return 0;
        if (stat.isFile())
            return stat.size;
        if (!stat.isDirectory() || depth >= 2)
            return 0;
        let entries;
        try {
            entries = readdirSync(at);
        }
        catch {
            return 0;
        }
        let sum = 0;
        for (const entry of entries) {
            if (++seen > MAX_ENTRIES)
                break;
            sum += walk(join(at, entry), depth + 1);
        }
        return sum;
    };
    return walk(path, 0);
}

const load = createRequire(import.meta.url);
const v8 = () => load('node:v8');

const SEMI_SPACE_CAP = 8 * 2 ** 20;
const SIZED = /--(?:(?:max|min)[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|max[-_]heap[-_]size)\b/;
function capYoungGeneration(launch, young = V8_YOUNG_GENERATION, now = performance.now.bind(performance)) {
    const flags = [...launch.execArgv, launch.env.NODE_OPTIONS ?? ''];
    if (flags.some((flag) => SIZED.test(flag)))
        return undefined;
    let done = false;
    let last = -Infinity;
    const look = () => {
        if (done)
            return;
        last = now();
        const reached = young.reached(2 * SEMI_SPACE_CAP);
        if (reached === undefined || reached) {
            if (reached)
                young.freeze();
            done = true;
            stop();
        }
    };
    const stop = young.poll(look);
    return () => {
        if (!done && now() - last >= POLL_MS)
            look();
    };
}
const POLL_MS = 5;
const V8_YOUNG_GENERATION = {
    reached(bytes) {
        if (process.memoryUsage().heapTotal < bytes)
            return false;
        const size = v8()
            .getHeapSpaceStatistics()
            .find((space) => space.space_name === 'new_space')?.space_size;
        return size === undefined ? undefined : size >= bytes;
    },
    freeze: () => v8().setFlagsFromString('--semi-space-growth-factor=1'),
    poll(check) {
        const timer = setInterval(check, POLL_MS);
        timer.unref();
        return () => clearInterval(timer);
    }
};

const args = process.argv.slice(2);
const large = largeInputs(args);
const progress = large ? capYoungGeneration(process) : undefined;
const commandLine = loadScript(fileURLToPath(new URL('./cli-main.cjs', import.meta.url)), cacheDirectory({
    env: process.env,
    version: process.version,
    arch: process.arch,
    home: homedir
}), cacheSignature(args), process.getuid?.());
await commandLine.exports.main(args, progress);
if (!large)
    commandLine.save();
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0)
    process.exit();
