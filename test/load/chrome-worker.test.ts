import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { Worker } from 'node:worker_threads'
import { beforeAll, describe, expect, it } from 'vitest'
import { readChromeTraceHere } from '../../src/load/chrome-read.js'
import { WORKER_MIN_BYTES } from '../../src/load/chrome-trace.js'
import type { ChromeWorkerMessage } from '../../src/load/chrome-worker.js'
import { loadInput } from '../../src/load/index.js'
import { BatchReader, RING_BYTES } from '../../src/profile/event-batch.js'
import type { TraceEvent } from '../../src/profile/events.js'
import { profileToJson } from '../../src/profile/json.js'
import { FIXTURES, ROOT } from '../support/paths.js'
import { bundleLoggingWorkers, comparable, type BundleRun } from '../support/worker-bundle.js'

/**
 * A large Chrome trace is read in a worker by the bundles (dist/chrome-worker.js beside them);
 * the sources, as the tests run them, read it on their own thread. The two are held to each
 * other here: the same profile, the same error, the same truncated read. A preloaded script
 * says when the bundle starts a worker, so that a read on the main thread cannot pass for one.
 */

const SEED = join(
  FIXTURES,
  'corpus',
  'traces',
  'HTA_tests-data_critical_path_simple_add_trace.json.gz'
)

let dir = ''
let trace = ''
let bundle: (...args: string[]) => BundleRun

interface Event {
  ts?: number
  args?: Record<string, unknown>
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nsys-bench-worker-'))
  // The seed's events again and again, each copy later in time with its own correlations, up to
  // 1 MiB past the size from which the bundles read in a worker.
  const seed = JSON.parse(gunzipSync(readFileSync(SEED)).toString('utf8')) as {
    traceEvents: Event[]
  } & Record<string, unknown>
  const times = seed.traceEvents.flatMap((e) => (typeof e.ts === 'number' ? [e.ts] : []))
  const span = Math.max(...times) - Math.min(...times) + 1000
  const lines: string[] = []
  let bytes = 0
  for (let copy = 0; bytes < WORKER_MIN_BYTES + 2 ** 20; copy++) {
    for (const event of seed.traceEvents) {
      const e = structuredClone(event)
      if (typeof e.ts === 'number') e.ts += copy * span
      if (e.args && typeof e.args.correlation === 'number') e.args.correlation += copy * 1_000_000
      const line = JSON.stringify(e)
      lines.push(line)
      bytes += line.length + 3
    }
  }
  const meta: Record<string, unknown> = { ...seed }
  delete meta.traceEvents
  const head = JSON.stringify(meta).slice(0, -1)
  trace = join(dir, 'large.pt.trace.json')
  writeFileSync(trace, `${head}, "traceEvents": [\n  ${lines.join(',\n  ')}\n]}\n`)
  bundle = bundleLoggingWorkers(dir)
})

describe('large Chrome traces read in a worker (dist/)', () => {
  it('give the profile the sources give reading on their own thread', async () => {
    expect(existsSync(join(ROOT, 'dist', 'chrome-worker.js'))).toBe(true)
    const run = bundle('summarize', trace, '--json')
    expect(run.stderr).toContain('[test] worker ')
    expect(run.stderr).toContain('chrome-worker.js')
    expect(run.code).toBe(0)
    const [here] = await loadInput(trace)
    const expected = comparable(JSON.parse(JSON.stringify(profileToJson(here!))))
    expect(comparable(JSON.parse(run.stdout))).toEqual(expected)
    // Not an empty read on both sides: the copies' kernels are all there.
    expect(here!.tables.kernels!.size).toBeGreaterThan(10)
  })

  it('hold the worker back while the main thread is slow: no batch is overwritten before it is read', async () => {
    // Every event, digested in order, as read on this thread.
    const digest = (): { add: (e: TraceEvent) => void; hex: () => string; count: () => number } => {
      const hash = createHash('sha256')
      let n = 0
      return {
        add: (e) => {
          n += 1
          hash.update(JSON.stringify([e.kind, e.name, e.start, e.duration, e.correlation, e.grid]))
        },
        hex: () => hash.digest('hex'),
        count: () => n
      }
    }
    const here = digest()
    await readChromeTraceHere(trace, here.add)
    // The same through the worker, this thread pausing 40 ms before each batch it reads: the
    // worker, faster, would write over slots not yet read if it did not wait.
    const there = digest()
    const ring = new SharedArrayBuffer(RING_BYTES)
    const control = new SharedArrayBuffer(4)
    const read = new Int32Array(control)
    const reader = new BatchReader(new Float64Array(ring), there.add)
    const pause = new Int32Array(new SharedArrayBuffer(4))
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(join(ROOT, 'dist', 'chrome-worker.js'), {
        workerData: { path: trace, ring, control }
      })
      worker.on('message', (message: ChromeWorkerMessage) => {
        if (message.type === 'batch') {
          Atomics.wait(pause, 0, 0, 40)
          reader.read(message.batch)
          Atomics.add(read, 0, 1)
          Atomics.notify(read, 0)
        } else if (message.type === 'done') resolve()
        else reject(new Error(message.message))
      })
      worker.on('error', reject)
    })
    expect(there.count()).toBe(here.count())
    expect(there.count()).toBeGreaterThan(100_000)
    expect(there.hex()).toBe(here.hex())
  })

  it('refuse a broken trace with the same message, naming the same byte', async () => {
    const text = readFileSync(trace, 'latin1')
    // A colon missing after a key, well into the file.
    const at = text.indexOf('"ph":"X"', Math.floor(0.7 * text.length))
    expect(at).toBeGreaterThan(0)
    const broken = join(dir, 'broken.pt.trace.json')
    writeFileSync(broken, text.slice(0, at) + '"ph" "X"' + text.slice(at + 8), 'latin1')
    const run = bundle('summarize', broken)
    expect(run.stderr).toContain('[test] worker ')
    expect(run.code).not.toBe(0)
    const error = await loadInput(broken).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toMatch(/at byte \d+/)
    expect(run.stderr).toContain(error!.message)
  })

  it('read a trace cut short the same way: what is there, with the same notes', async () => {
    const text = readFileSync(trace)
    const cut = join(dir, 'cut.pt.trace.json')
    writeFileSync(cut, text.subarray(0, text.length - 5000))
    const run = bundle('summarize', cut, '--json')
    expect(run.stderr).toContain('[test] worker ')
    expect(run.code).toBe(0)
    const [here] = await loadInput(cut)
    expect(here!.meta.notes.find((n) => n.code === 'trace-truncated')?.message).toMatch(
      /the trace ends early \(at byte \d+ of the JSON\)/
    )
    expect(comparable(JSON.parse(run.stdout))).toEqual(
      comparable(JSON.parse(JSON.stringify(profileToJson(here!))))
    )
  })
})
