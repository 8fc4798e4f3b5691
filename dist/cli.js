#!/usr/bin/env node
import module$1 from 'node:module';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SEMI_SPACE_FLAG = '--max-semi-space-size=8';
const RELAUNCH_MIN_BYTES = 8 * 2 ** 20;
const RELAUNCHED = 'NSYS_BENCH_RELAUNCHED';
const SIZED = /--max[-_](?:semi[-_]space|heap)[-_]size/;
const DEBUGGED = /(?:^|\s)--inspect(?:-brk|-wait)?(?:[=\s]|$)/;
function relaunchArgs(launch, bytesOf = inputBytes) {
    if (launch.env[RELAUNCHED] !== undefined)
        return undefined;
    const flags = [...launch.execArgv, launch.env.NODE_OPTIONS ?? ''];
    if (flags.some((flag) => SIZED.test(flag) || DEBUGGED.test(flag)))
        return undefined;
    const [script, command, ...rest] = launch.argv.slice(1);
    if (script === undefined || command !== 'compare')
        return undefined;
    let total = 0;
    for (const arg of rest) {
        total += bytesOf(arg);
        if (total >= RELAUNCH_MIN_BYTES)
            return [SEMI_SPACE_FLAG, ...launch.execArgv, script, command, ...rest];
    }
    return undefined;
}
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
function relaunchIfLarge(proc, exists = existsSync) {
    if (typeof proc.execve !== 'function' || proc.platform === 'win32')
        return;
    const args = relaunchArgs(proc);
    if (!args || !exists(proc.execPath))
        return;
    try {
        proc.execve(proc.execPath, [proc.execPath, ...args], { ...proc.env, [RELAUNCHED]: '1' });
    }
    catch {
    }
}

relaunchIfLarge(process);
const enableCompileCache = module$1.enableCompileCache;
enableCompileCache?.();
await import('./cli-main.js');
