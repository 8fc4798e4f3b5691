import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { beforeAll, describe, expect, it } from 'vitest'
import { readChunks } from '../../src/load/files.js'
import { loadInput } from '../../src/load/index.js'
import { TRACE_WORKER_MIN_BYTES } from '../../src/load/nsys-trace.js'
import type { TraceWorkerData, TraceWorkerMessage } from '../../src/load/nsys-trace-worker.js'
import { parseNsysStats } from '../../src/parse/nsys/index.js'
import { RowBatchReader, rowRingBytes } from '../../src/parse/nsys/row-batch.js'
import { NsysStatsParser } from '../../src/parse/nsys/stats-text.js'
import { profileToJson } from '../../src/profile/json.js'
import { ROOT } from '../support/paths.js'
import { bundleLoggingWorkers, comparable, type BundleRun } from '../support/worker-bundle.js'

/**
 * A large GPU trace report is read on two cores by the bundles (dist/nsys-trace-worker.js beside
 * them: its rows read in a worker, taken in order on the main thread); the sources, as the tests
 * run them, read it on one thread. The two are held to each other here: the same profile, the
 * same error at the same line. A preloaded script says when the bundle starts a worker, so that
 * a read on one thread cannot pass for one.
 */

const HEADER =
  'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'
const KERNELS = [
  '"void gemm<float, 128>(float const*, float*, int)"',
  'softmax_kernel',
  '"void flash_fwd<64, true>(Params)"',
  'rmsnorm_kernel'
]

let dir = ''
let trace = ''
let bundle: (...args: string[]) => BundleRun
/** Lines of the trace, header included, and the byte offset of each. */
let lines: string[] = []

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nsys-bench-trace-worker-'))
  // Steps of four kernels and a copy on two GPUs, until 1 MiB past the size from which the
  // bundles read in a worker. Now and then a row the byte path leaves to the text path (a
  // quoted device cell), on the other GPU, and a blank line.
  lines = [HEADER]
  let bytes = HEADER.length + 1
  for (let i = 0; bytes < TRACE_WORKER_MIN_BYTES + 2 ** 20; i++) {
    const start = 1_000_000 + i * 5_000
    const gpu = Math.floor(i / 20_000) % 2
    const device = i % 25_003 === 7 ? `"NVIDIA H100 (${1 - gpu})"` : `NVIDIA H100 (${gpu})`
    const line =
      i % 5 === 4
        ? `${start},${300 + (i % 11)},${i},,,,,,,,,,1.049,1000,Pageable,Device,${device},1,,7,[CUDA memcpy Host-to-Device]`
        : `${start},${1000 + (i % 977)},${i},${108 + (i % 3)},1,1,256,1,1,32,0.000,0.049,,,,,${device},1,,${7 + gpu},${KERNELS[i % 4]}`
    lines.push(line)
    bytes += line.length + 1
    if (i % 100_003 === 50) {
      lines.push('')
      bytes += 1
    }
  }
  trace = join(dir, 'run_cuda_gpu_trace.csv')
  writeFileSync(trace, `${lines.join('\n')}\n`)
  bundle = bundleLoggingWorkers(dir)
})

describe('large GPU trace reports read on two cores (dist/)', () => {
  it('give the profile the sources give reading on one thread', async () => {
    expect(existsSync(join(ROOT, 'dist', 'nsys-trace-worker.js'))).toBe(true)
    const run = bundle('summarize', trace, '--json')
    expect(run.stderr).toContain('nsys-trace-worker.js')
    expect(run.code).toBe(0)
    const [here] = await loadInput(trace)
    const expected = comparable(JSON.parse(JSON.stringify(profileToJson(here!))))
    expect(comparable(JSON.parse(run.stdout))).toEqual(expected)
    // Not an empty read on both sides: every kernel, both GPUs, every launch (by hand).
    expect(here!.tables.kernels!.size).toBe(4)
    const launches = [...here!.tables.kernels!.values()].reduce((n, s) => n + s.instances, 0)
    const kernelRows = lines.filter((l) => /,(7|8),[^,]*$|,(7|8),"/.test(l) && !l.includes('[CUDA'))
    expect(launches).toBe(kernelRows.length)
    const idle = [...here!.tables.gpuIdle!.values()].map((s) => s.name)
    expect(idle.some((name) => name.startsWith('GPU 1:'))).toBe(true)
  })

  it('give the same profile where WebAssembly is not available (ordinary buffers)', async () => {
    // A preload takes WebAssembly away; Node runs it in every worker too (checked here), as it
    // would be under --jitless, which is too slow for a test. --no-expose-wasm is gone in Node 24.
    const noWasm = join(dir, 'no-wasm.cjs')
    writeFileSync(noWasm, 'delete globalThis.WebAssembly\n')
    const probe = spawnSync(
      process.execPath,
      [
        '--require',
        noWasm,
        '-e',
        "new (require('node:worker_threads').Worker)('console.log(typeof WebAssembly)', { eval: true })"
      ],
      { encoding: 'utf8' }
    )
    expect(probe.stdout.trim()).toBe('undefined')
    const run = bundleLoggingWorkers(dir, ['--require', noWasm])('summarize', trace, '--json')
    expect(run.stderr).toContain('nsys-trace-worker.js')
    expect(run.code).toBe(0)
    const [here] = await loadInput(trace)
    expect(comparable(JSON.parse(run.stdout))).toEqual(
      comparable(JSON.parse(JSON.stringify(profileToJson(here!))))
    )
  })

  it('refuse a broken row with the same message, naming the same line', async () => {
    const broken = join(dir, 'broken_cuda_gpu_trace.csv')
    const at = Math.floor(lines.length * 0.7)
    const copy = [...lines]
    copy[at] = copy[at]!.replace(/^(\d+),(\d+)/, '$1,-$2')
    writeFileSync(broken, `${copy.join('\n')}\n`)
    const run = bundle('summarize', broken)
    expect(run.stderr).toContain('nsys-trace-worker.js')
    expect(run.code).not.toBe(0)
    const error = await loadInput(broken).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toContain(`broken_cuda_gpu_trace.csv:${at + 1}`)
    expect(run.stderr).toContain(error!.message)
  })

  it('refuse a line too long, found by the worker, with the message the sources give', async () => {
    // The worker's own InputError (file and line) crosses to the main thread: said once, not twice.
    const long = join(dir, 'long_cuda_gpu_trace.csv')
    const at = Math.floor(lines.length * 0.6)
    const copy = [...lines]
    copy[at] = `${copy[at]!}${'x'.repeat(5 * 2 ** 20)}`
    writeFileSync(long, `${copy.join('\n')}\n`)
    const run = bundle('summarize', long)
    expect(run.stderr).toContain('nsys-trace-worker.js')
    expect(run.code).not.toBe(0)
    const error = await loadInput(long).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toBe(
      `${long}: line ${at + 1} is longer than 4 MiB; nsys stats output has no such lines (is this a binary or a different kind of file?)`
    )
    expect(run.stderr).toContain(`error: ${error!.message}\n`)
  })

  it('hold the worker back while the main thread is slow: no batch is overwritten before it is read', async () => {
    const reference = await parseNsysStats(readChunks(trace), { source: trace, strict: true })
    // The same through the worker, this thread pausing 40 ms before each of the first batches
    // it reads: the worker, faster, would write over slots not yet read if it did not wait.
    const head = readFileSync(trace).subarray(0, HEADER.length + 1)
    const parser = new NsysStatsParser({ source: trace, strict: true })
    parser.push(head.subarray(0, HEADER.length).toString('utf8'), 1)
    const block = parser.scannableBlock()!
    const columns = block.scanColumns.length
    const ring = new SharedArrayBuffer(rowRingBytes(columns))
    const control = new SharedArrayBuffer(4)
    const read = new Int32Array(control)
    const reader = new RowBatchReader(new Float64Array(ring), columns)
    const pause = new Int32Array(new SharedArrayBuffer(4))
    const data: TraceWorkerData = {
      path: trace,
      offset: head.length,
      firstLine: 2,
      block: block.blockOptions,
      ring,
      control
    }
    let batches = 0
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(join(ROOT, 'dist', 'nsys-trace-worker.js'), { workerData: data })
      worker.on('message', (message: TraceWorkerMessage) => {
        if (message.type === 'batch') {
          if ((batches += 1) <= 16) Atomics.wait(pause, 0, 0, 40)
          reader.read(message.batch, {
            row: (values, at, name, device, line) =>
              parser.takeScannedRow(block, values, at, name, device, line),
            text: (line, lineNo, terminated) => parser.push(line, lineNo, terminated)
          })
          Atomics.add(read, 0, 1)
          Atomics.notify(read, 0)
        } else if (message.type === 'done') resolve()
        else reject(new Error(message.message))
      })
      worker.on('error', reject)
    })
    expect(batches).toBeGreaterThan(100)
    expect(parser.finish()).toEqual(reference)
  })
})
