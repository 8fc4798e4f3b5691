#!/usr/bin/env node
import module$1, { createRequire } from 'node:module';
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
function capYoungGeneration(launch, young = V8_YOUNG_GENERATION) {
    const flags = [...launch.execArgv, launch.env.NODE_OPTIONS ?? ''];
    if (flags.some((flag) => SIZED.test(flag)))
        return false;
    const stop = young.poll(() => {
        const reached = young.reached(2 * SEMI_SPACE_CAP);
        if (reached === undefined)
            stop();
        else if (reached) {
            young.freeze();
            stop();
        }
    });
    return true;
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

if (largeInputs(process.argv.slice(2)))
    capYoungGeneration(process);
const enableCompileCache = module$1.enableCompileCache;
enableCompileCache?.();
await import('./cli-main.js');
