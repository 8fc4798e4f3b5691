import { createRequire } from 'node:module'
import type * as Crypto from 'node:crypto'
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
