import { createRequire } from 'node:module'
import type * as Crypto from 'node:crypto'
import type * as Re2 from 're2js'
import type * as V8 from 'node:v8'
import type * as WorkerThreads from 'node:worker_threads'
import type * as Zlib from 'node:zlib'

/**
 * Node's zlib, crypto, worker threads and v8, loaded on first use instead of at start. Most runs never use them (zlib:
 * a `.gz` trace, the history, the HTML report; crypto: the HTML report's script hash; v8: a heap
 * grown large, cli/young-generation.ts), and
 * importing them loads some forty of Node's internal modules (crypto alone brings WebCrypto,
 * X.509, key generation…) before the first line of nsys-bench runs: a cost every `nsys-bench
 * compare` paid. A `require` of a built-in module is synchronous and cached, as an import is.
 */
const load = createRequire(import.meta.url)

export const zlib = (): typeof Zlib => load('node:zlib') as typeof Zlib
export const crypto = (): typeof Crypto => load('node:crypto') as typeof Crypto
export const workerThreads = (): typeof WorkerThreads =>
  load('node:worker_threads') as typeof WorkerThreads
export const v8 = (): typeof V8 => load('node:v8') as typeof V8

/**
 * RE2 (re2js), on first use too: only user patterns run on it (compare/pattern.ts), and as part of
 * a bundle it was a third of the CLI's source, compiled at every start (docs/performance.md,
 * "Start-up"). In dist/ it is `re2.cjs`, beside the bundles (rollup.config.js, src/re2-file.ts);
 * from the sources, the package itself.
 */
export function re2(): typeof Re2.RE2JS {
  engine ??= loadRe2().RE2JS
  return engine
}

let engine: typeof Re2.RE2JS | undefined

function loadRe2(): typeof Re2 {
  try {
    return load('./re2.cjs') as typeof Re2
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error
    return load('re2js') as typeof Re2
  }
}
