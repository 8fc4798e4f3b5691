import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { loadChromeTraces } from '../../src/load/chrome-trace.js'
import { loadInput } from '../../src/load/index.js'
import { compareProfiles } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { profileFromJson, profileToJson } from '../../src/profile/json.js'
import type { Profile } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'

/**
 * Several Chrome traces of one run (one per rank, as tensor parallelism writes them), read as one
 * profile. Rank 0 is a real PyTorch profiler trace of the corpus (HTA's
 * critical_path_simple_add_trace: A100, rank 0, GPU 0); the other ranks are generated from it
 * here, as another rank of the same job would write it: its rank in distributedInfo, its GPU in
 * `args.device` and `pid`, and (rank 1) every GPU activity half as long. Expected values come
 * from the files as parsed here (JSON.parse), never from the code under test.
 */
const REAL = join(
  FIXTURES,
  'corpus',
  'traces',
  'HTA_tests-data_critical_path_simple_add_trace.json.gz'
)

interface JsonEvent {
  ph?: string
  cat?: string
  name?: string
  pid?: number | string
  ts?: number
  dur?: number
  args?: Record<string, unknown>
}
interface JsonTrace {
  distributedInfo?: Record<string, unknown>
  traceEvents: JsonEvent[]
  [key: string]: unknown
}

const GPU_CATS = new Set(['kernel', 'gpu_memcpy', 'gpu_memset'])

function real(): JsonTrace {
  return JSON.parse(gunzipSync(readFileSync(REAL)).toString('utf8')) as JsonTrace
}

/** The real trace as rank `rank` of `world` would write it, on GPU `device`. */
function rankTrace(rank: number, world: number | undefined, device: number, scale = 1): JsonTrace {
  const trace = real()
  if (world === undefined) delete trace.distributedInfo
  else trace.distributedInfo = { ...trace.distributedInfo, rank, world_size: world }
  for (const e of trace.traceEvents) {
    if (e.ph !== 'X' || !GPU_CATS.has(e.cat ?? '')) continue
    e.pid = device
    e.args = { ...e.args, device }
    if (scale !== 1 && e.dur !== undefined) e.dur = Math.round(e.dur * 1000 * scale) / 1000
  }
  return trace
}

function write(dir: string, name: string, trace: JsonTrace, gzip = false): string {
  const text = JSON.stringify(trace)
  const path = join(dir, name)
  writeFileSync(path, gzip ? gzipSync(text) : text)
  return path
}

/** Kernel name → [total ns, launches] over the traces, summed here. */
function kernelTotals(traces: JsonTrace[]): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>()
  for (const t of traces)
    for (const e of t.traceEvents) {
      if (e.ph !== 'X' || e.cat !== 'kernel') continue
      const [total, n] = out.get(e.name ?? '') ?? [0, 0]
      out.set(e.name ?? '', [total + (e.dur ?? 0) * 1000, n + 1])
    }
  return out
}

/**
 * Busy time of a trace's GPU: the union of its activities' intervals, in ns, computed here by
 * sorting and merging. The trace's `ts` (1.69e15 µs) is a double with a quarter-µs step, so the
 * figure is good to about half a µs per activity: `tolerance`.
 */
function busy(trace: JsonTrace): { busy: number; tolerance: number } {
  const spans = trace.traceEvents
    .filter((e) => e.ph === 'X' && GPU_CATS.has(e.cat ?? ''))
    .map((e) => [e.ts ?? 0, (e.ts ?? 0) + (e.dur ?? 0)] as const)
    .sort((a, b) => a[0] - b[0])
  let total = 0
  let [start, end] = spans[0] ?? [0, 0]
  for (const [s, e] of spans.slice(1)) {
    if (s > end) {
      total += end - start
      start = s
      end = e
    } else if (e > end) end = e
  }
  total += end - start
  return { busy: total * 1000, tolerance: spans.length * 500 }
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nsys-bench-ranks-'))
}

function codes(profile: Profile): string[] {
  return profile.meta.notes.map((n) => n.code)
}

describe('the traces of a run, one per rank', () => {
  it('a directory of rank traces is one run: ranks as devices, kernels pooled, each rank timed', async () => {
    const dir = tempDir()
    const r0 = rankTrace(0, 2, 0)
    const r1 = rankTrace(1, 2, 1, 0.5)
    // Named so that the file order is not the rank order: ranks come from distributedInfo.
    write(dir, 'b-worker.pt.trace.json.gz', r0, true)
    write(dir, 'a-worker.pt.trace.json', r1)
    const runs = await loadInput(dir)
    expect(runs).toHaveLength(1)
    const [run] = runs as [Profile]

    // Kernels summed over the ranks, as nsys sums the GPUs of one process.
    const want = kernelTotals([r0, r1])
    expect(want.size).toBe(16)
    const got = new Map([...run.tables.kernels!.values()].map((s) => [s.name, s] as const))
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [name, [total, n]] of want) {
      expect(got.get(name)?.instances, name).toBe(n)
      expect(got.get(name)?.total, name).toBeCloseTo(total, 0)
    }
    // ampere_sgemm_32x32_sliced1x4_tn: 2673 µs in 6 launches on rank 0, half that on rank 1.
    expect(got.get('ampere_sgemm_32x32_sliced1x4_tn')).toMatchObject({ instances: 12 })
    expect(got.get('ampere_sgemm_32x32_sliced1x4_tn')?.total).toBeCloseTo(2_673_000 * 1.5, -1)
    // Per-launch sketches hold the launches of both ranks.
    expect(run.launches?.get('ampere_sgemm_32x32_sliced1x4_tn')?.sketch.count).toBe(12)

    // One device per rank, each with its own rank's busy time.
    const devices = run.timeline?.devices ?? []
    expect(devices.map((d) => d.device)).toEqual([0, 1])
    for (const [d, trace] of [r0, r1].entries()) {
      const { busy: b, tolerance } = busy(trace)
      expect(Math.abs(devices[d]!.busy - b), `rank ${d}`).toBeLessThanOrEqual(tolerance)
    }
    // Rank 1's activities are half as long: its GPU is about half as busy.
    expect(devices[1]!.busy / devices[0]!.busy).toBeCloseTo(0.5, 2)
    // The idle table has each rank's rows.
    expect(
      [...run.tables.gpuIdle!.values()].map((s) => s.name).filter((n) => /^GPU 1\b/.test(n))
    ).not.toHaveLength(0)

    expect(run.meta.sources).toEqual([
      join(dir, 'b-worker.pt.trace.json.gz'),
      join(dir, 'a-worker.pt.trace.json')
    ])
    expect(run.meta.profiler.name).toBe('torch')
    expect(run.meta.gpus).toEqual([{ name: 'NVIDIA A100-PG509-200' }])
    const ranks = run.meta.notes.find((n) => n.code === 'trace-ranks')
    expect(ranks?.message).toContain('2 traces read as the ranks of one run (0, 1 of world size 2')
    expect(ranks?.message).toContain('ranks from distributedInfo')
    expect(codes(run)).not.toContain('trace-rank')
    expect(codes(run).filter((c) => c === 'trace-read')).toHaveLength(2)
  })

  it('is the two traces read alone, put side by side', async () => {
    const dir = tempDir()
    const a = write(dir, 'rank0.json', rankTrace(0, 2, 0))
    const b = write(dir, 'rank1.json', rankTrace(1, 2, 1, 0.5))
    const [run] = (await loadInput(dir)) as [Profile]
    const [alone0] = (await loadInput(a)) as [Profile]
    const [alone1] = (await loadInput(b)) as [Profile]
    expect(run.timeline?.devices).toEqual([
      { ...alone0.timeline?.devices[0], rank: 0 },
      { ...alone1.timeline?.devices[0], rank: 1 }
    ])
    for (const [key, stat] of alone0.tables.gpuIdle!)
      expect(run.tables.gpuIdle?.get(key)).toEqual(stat)
    for (const [key, stat] of alone1.tables.gpuIdle!)
      expect(run.tables.gpuIdle?.get(key)).toEqual(stat)
  })

  it('files given one by one are runs of their own (repetitions), as before', async () => {
    const dir = tempDir()
    const a = write(dir, 'rank0.json', rankTrace(0, 2, 0))
    const [alone] = (await loadInput(a)) as [Profile]
    expect(alone.timeline?.devices.map((d) => d.device)).toEqual([0])
    expect(alone.meta.notes.find((n) => n.code === 'trace-rank')?.message).toContain('rank 0 of 2')
  })

  it('takes the rank from the file name when the trace has no distributedInfo', async () => {
    const dir = tempDir()
    write(dir, 'trace-rank-1.json', rankTrace(1, undefined, 0))
    write(dir, 'trace-rank-0.json', rankTrace(0, undefined, 0))
    const [run] = (await loadInput(dir)) as [Profile]
    // Both ranks ran on their node's GPU 0: still one device per rank.
    expect(run.timeline?.devices.map((d) => d.device)).toEqual([0, 1])
    expect(run.meta.notes.find((n) => n.code === 'trace-ranks')?.message).toContain(
      'ranks from file name'
    )
    expect(codes(run)).not.toContain('trace-rank-assumed')
  })

  it('numbers ranks in the order given when nothing names them, and says so', async () => {
    const dir = tempDir()
    const paths = [
      write(dir, 'x.json', rankTrace(0, undefined, 0)),
      write(dir, 'y.json', rankTrace(0, undefined, 0, 0.5))
    ]
    const run = await loadChromeTraces(paths)
    const note = run.meta.notes.find((n) => n.code === 'trace-rank-assumed')
    expect(note?.severity).toBe('warning')
    expect(note?.message).toContain('read as ranks 0 to 1 in the order given')
    expect(run.timeline?.devices.map((d) => d.device)).toEqual([0, 1])
  })

  it('refuses two traces of one rank: two profiled windows are not one run', async () => {
    const dir = tempDir()
    write(dir, 'cycle1.json', rankTrace(0, 2, 0))
    write(dir, 'cycle2.json', rankTrace(0, 2, 0))
    await expect(loadInput(dir)).rejects.toThrow(
      /cycle1\.json" and ".*cycle2\.json" are both rank 0: one run holds one trace per rank/
    )
  })

  it('refuses a trace without a rank among traces with one', async () => {
    const dir = tempDir()
    write(dir, 'rank0.json', rankTrace(0, 2, 0))
    write(dir, 'other.json', rankTrace(0, undefined, 0))
    await expect(loadInput(dir)).rejects.toThrow(/other\.json" names no rank/)
  })

  it('warns when ranks of the world are missing', async () => {
    const dir = tempDir()
    write(dir, 'r0.json', rankTrace(0, 4, 0))
    write(dir, 'r2.json', rankTrace(2, 4, 2))
    const [run] = (await loadInput(dir)) as [Profile]
    const note = run.meta.notes.find((n) => n.code === 'trace-ranks-missing')
    expect(note?.severity).toBe('warning')
    expect(note?.message).toContain(
      'the world size is 4 but 2 ranks wrote a trace: ranks 1, 3 are not in the profile'
    )
    expect(run.timeline?.devices.map((d) => d.device)).toEqual([0, 2])
  })

  it('compares runs of the same ranks; runs of different ranks are inconclusive (ranks-differ)', async () => {
    const both = tempDir()
    write(both, 'r0.json', rankTrace(0, 2, 0))
    write(both, 'r1.json', rankTrace(1, 2, 1))
    const [whole] = (await loadInput(both)) as [Profile]
    expect(whole.meta.distributed).toEqual({ ranks: [0, 1], worldSize: 2 })
    // A run whose rank 1 wrote no trace: rank 0's alone, half the launches of the whole.
    const lone = write(tempDir(), 'r0.json', rankTrace(0, 2, 0))
    const [rank0] = (await loadInput(lone)) as [Profile]
    expect(rank0.meta.distributed).toEqual({ ranks: [0], worldSize: 2 })
    const rules = buildRules(undefined)
    const c = compareProfiles([whole], [rank0], rules)
    expect(c.gate.verdict).toBe('inconclusive')
    expect(c.gate.reasons.map((r) => r.code)).toEqual(['ranks-differ'])
    expect(c.gate.reasons[0]?.message).toContain(
      'ranks 0, 1 of 2 in base run 1; rank 0 of 2 in head run 1'
    )
    // Kept through the profile JSON the action stores, and in the comparison record.
    const stored = profileFromJson(JSON.parse(JSON.stringify(profileToJson(whole))), 'b.json')
    expect(stored.meta.distributed).toEqual({ ranks: [0, 1], worldSize: 2 })
    const record = JSON.parse(JSON.stringify(comparisonToRecord(c))) as unknown
    expect(rederiveVerdict(record, 'record.json').gate).toEqual(c.gate)
    // The same ranks on both sides compare, and so does rank 0 against rank 0.
    expect(compareProfiles([stored], [whole], rules).gate.verdict).toBe('pass')
    expect(compareProfiles([rank0], [rank0], rules).gate.verdict).toBe('pass')
  })

  it("numbers the GPUs in turn when a rank's trace has several, and says which is which", async () => {
    const dir = tempDir()
    const two = rankTrace(1, 2, 0)
    // Rank 1's memory operations on its GPU 3, its kernels on GPU 0.
    for (const e of two.traceEvents)
      if (e.ph === 'X' && (e.cat === 'gpu_memcpy' || e.cat === 'gpu_memset')) {
        e.pid = 3
        e.args = { ...e.args, device: 3 }
      }
    write(dir, 'r0.json', rankTrace(0, 2, 0))
    write(dir, 'r1.json', two)
    const [run] = (await loadInput(dir)) as [Profile]
    expect(run.timeline?.devices.map((d) => d.device)).toEqual([0, 1, 2])
    expect(run.meta.notes.find((n) => n.code === 'trace-rank-devices')?.message).toContain(
      "GPU 0 is rank 0's GPU 0, GPU 1 is rank 1's GPU 0, GPU 2 is rank 1's GPU 3"
    )
  })

  it('refuses a directory mixing traces with profile JSONs', async () => {
    const dir = tempDir()
    write(dir, 'r0.json', rankTrace(0, 2, 0))
    writeFileSync(join(dir, 'p.json'), readFileSync(join(FIXTURES, 'profile-v1.json')))
    await expect(loadInput(dir)).rejects.toThrow(
      /holds Chrome traces \("r0\.json"\) and profile JSONs \("p\.json"\)/
    )
  })
})

describe('a directory of traces and --input-format', () => {
  it('reads it as one run with --input-format chrome, and as profile JSONs when told so', async () => {
    const dir = tempDir()
    write(dir, 'r0.json', rankTrace(0, 2, 0))
    write(dir, 'r1.json.gz', rankTrace(1, 2, 1), true)
    const [run] = (await loadInput(dir, { format: 'chrome' })) as [Profile]
    expect(run.timeline?.devices.map((d) => d.rank)).toEqual([0, 1])
    // Told the directory holds profile JSONs, it reads r0.json as one (and refuses it).
    await expect(loadInput(dir, { format: 'profile-json' })).rejects.toThrow(/r0\.json/)
    await expect(loadInput(tempDir(), { format: 'chrome' })).rejects.toThrow(
      /has no Chrome trace \(\*\.json, \*\.json\.gz\): a directory of traces is one run/
    )
  })
})
