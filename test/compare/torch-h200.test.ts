/**
 * Real PyTorch 2.11 profiler traces of one NVIDIA H200 (test/fixtures/torch-h200, its README.md
 * says how they were recorded and what each variant changed): what `loadInput` reads from each
 * trace, and what `nsys-bench compare` (in process, test/support/compare-cli.ts) says of the
 * variants — the same program again (a pass), a wider MLP, a `torch.cuda.synchronize()` per decode
 * step, math attention instead of flash (regressions that name what changed), and torch.compile
 * twice (a pass).
 *
 * The expected values come from the trace files themselves, through the reader below (gunzip,
 * JSON.parse, sum the `dur` of the `ph: 'X'` events by `cat` and name), never from nsys-bench's
 * output; which variant changed what is from the README (checked by hand in the files).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import type { Profile } from '../../src/profile/model.js'
import { compareRecord } from '../support/compare-cli.js'
import {
  busyAndWindow,
  H200,
  median,
  runFolders,
  traceEvents,
  traceOf
} from '../support/torch-h200.js'

/** Each variant's folder, and its runs as the README lists them. */
const VARIANTS = {
  'eager/base': 5,
  'eager/same': 5,
  'eager/mlp': 3,
  'eager/sync': 3,
  'eager/math': 3,
  'eager/emptycache': 3,
  'eager/nocache': 3,
  'eager/graph': 3,
  'compiled/base': 2,
  'compiled/head': 2
} as const

type Variant = keyof typeof VARIANTS

/** A variant's run folders, run-0 first (each holds one trace: one run). */
function runs(variant: Variant): string[] {
  return runFolders(join(H200, variant))
}

interface Sum {
  /** Nanoseconds: each event's µs `dur` (3 decimals) times 1000, rounded, summed. */
  ns: number
  count: number
}

interface TraceFacts {
  /** `cat: kernel` events by name. */
  kernels: Map<string, Sum>
  /** `cat: gpu_memcpy` and `gpu_memset` events by name. */
  memory: Map<string, Sum>
  /** `cat: cuda_runtime` and `cuda_driver` calls by name: how many. */
  api: Map<string, number>
  /** `deviceProperties[0].name`. */
  gpu: string | undefined
}

interface TraceEvent {
  ph?: string
  cat?: string
  name: string
  dur?: number
}

const facts = new Map<string, TraceFacts>()

/** The independent reader: the trace gunzipped and parsed here, its events summed by hand. */
function read(run: string): TraceFacts {
  return readTrace(traceOf(run))
}

/** As `read`, of one trace file. */
function readTrace(file: string): TraceFacts {
  const cached = facts.get(file)
  if (cached) return cached
  const trace = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
    traceEvents: TraceEvent[]
    deviceProperties?: { name?: string }[]
  }
  const out: TraceFacts = {
    kernels: new Map(),
    memory: new Map(),
    api: new Map(),
    gpu: trace.deviceProperties?.[0]?.name
  }
  const add = (table: Map<string, Sum>, e: TraceEvent): void => {
    const sum = table.get(e.name) ?? { ns: 0, count: 0 }
    sum.ns += Math.round((e.dur ?? 0) * 1000)
    sum.count += 1
    table.set(e.name, sum)
  }
  for (const e of trace.traceEvents) {
    if (e.ph !== 'X') continue
    if (e.cat === 'kernel') add(out.kernels, e)
    else if (e.cat === 'gpu_memcpy' || e.cat === 'gpu_memset') add(out.memory, e)
    else if (e.cat === 'cuda_runtime' || e.cat === 'cuda_driver')
      out.api.set(e.name, (out.api.get(e.name) ?? 0) + 1)
  }
  facts.set(file, out)
  return out
}

/** A kernel's total in each run of a variant (0 where a run did not launch it). */
function perRun(variant: Variant, kernel: string): number[] {
  return runs(variant).map((r) => read(r).kernels.get(kernel)?.ns ?? 0)
}

/** The most launches of a kernel in one run of a variant: the ns the sums may differ by. */
function launches(variant: Variant, kernel: string): number {
  return Math.max(...runs(variant).map((r) => read(r).kernels.get(kernel)?.count ?? 0))
}

/**
 * `actual` within `events` ns of `expected`: the traces' µs durations carry 3 decimals, summed
 * in floating point they may round 1 ns an event off the reader's sum of whole ns.
 */
function expectNear(actual: number | undefined, expected: number, events: number): void {
  expect(actual).toBeDefined()
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(events)
}

/** The kernel names of a variant; every run of a variant launches the same kernels. */
function kernelNames(variant: Variant): Set<string> {
  const sets = runs(variant).map((r) => [...read(r).kernels.keys()].sort())
  for (const s of sets) expect(s).toEqual(sets[0])
  return new Set(sets[0])
}

function apiCalls(run: string, name: string): number {
  return read(run).api.get(name) ?? 0
}

interface Side {
  totalNs?: number
  totalCalls?: number
  instances: number
}

interface Item {
  name: string
  status: 'regressed' | 'improved' | 'unchanged' | 'new' | 'removed'
  gated: boolean
  base: Side | null
  head: Side | null
  variant?: { family: string; base: string[]; head: string[] }
  samples?: { base: number[]; head: number[] }
  launches?: { p: number; paired?: boolean }
}

interface TableDiff {
  gated: boolean
  total: { status: string; samples?: { base: number[]; head: number[] } }
  items: Item[]
}

interface ComparisonRecord {
  verdict: string
  reasons: { code: string; message: string }[]
  runs: { base: number; head: number }
  tables: Record<string, TableDiff | undefined>
}

function table(record: ComparisonRecord, name: string): TableDiff {
  const t = record.tables[name]
  if (!t) throw new Error(`no ${name} table in the record`)
  return t
}

function item(record: ComparisonRecord, tableName: string, name: string): Item {
  const found = table(record, tableName).items.find((i) => i.name === name)
  if (!found) throw new Error(`no item ${JSON.stringify(name)} in ${tableName}`)
  return found
}

/** The gated items that regressed, as `table: name`. */
function regressed(record: ComparisonRecord): string[] {
  return Object.entries(record.tables).flatMap(([name, t]) =>
    t?.gated
      ? t.items.filter((i) => i.gated && i.status === 'regressed').map((i) => `${name}: ${i.name}`)
      : []
  )
}

function compare(base: Variant, head: Variant): Promise<ComparisonRecord> {
  return compareRecord<ComparisonRecord>(runs(base), runs(head))
}

/**
 * The kernels that one variant launches and the other does not, as the record must account for
 * them: each only-in-head kernel is a `new` item, or the head side of a changed variant whose
 * base side holds only-in-base kernels; each only-in-base kernel is `removed`, or on the base side
 * of such a variant. A kernel both launch is never new, removed, or part of a variant.
 */
function expectKernelSetChange(record: ComparisonRecord, base: Variant, head: Variant): void {
  const b = kernelNames(base)
  const h = kernelNames(head)
  const onlyBase = [...b].filter((n) => !h.has(n))
  const onlyHead = [...h].filter((n) => !b.has(n))
  const items = table(record, 'kernels').items
  const variants = items.filter((i) => i.variant)
  for (const v of variants) {
    for (const n of v.variant!.base) expect(onlyBase).toContain(n)
    for (const n of v.variant!.head) expect(onlyHead).toContain(n)
  }
  for (const n of onlyHead) {
    const paired = variants.some((v) => v.variant!.head.includes(n))
    if (!paired) expect(item(record, 'kernels', n).status).toBe('new')
  }
  for (const n of onlyBase) {
    const paired = variants.some((v) => v.variant!.base.includes(n))
    if (!paired) expect(item(record, 'kernels', n).status).toBe('removed')
  }
  for (const i of items) {
    if (i.variant) continue
    if (b.has(i.name) && h.has(i.name)) expect(i.status).not.toMatch(/^(?:new|removed)$/)
  }
  // Every kernel of either side is an item, or one side of a variant.
  const named = new Set([
    ...items.filter((i) => !i.variant).map((i) => i.name),
    ...variants.flatMap((v) => [...v.variant!.base, ...v.variant!.head])
  ])
  expect([...named].sort()).toEqual([...new Set([...b, ...h])].sort())
}

async function profileOf(run: string): Promise<Profile> {
  const profiles = await loadInput(traceOf(run))
  expect(profiles).toHaveLength(1)
  return profiles[0]!
}

/** A profile's table holds exactly the reader's rows: the same names, launches and totals. */
function expectRows(actual: Map<string, [number, number]>, expected: Map<string, Sum>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort())
  for (const [name, sum] of expected) {
    const [total, instances] = actual.get(name)!
    expect(instances).toBe(sum.count)
    expectNear(total, sum.ns, sum.count)
  }
}

/** name → [total, instances] of a profile's table. */
function rows(p: Profile, name: 'kernels' | 'memTime' | 'cudaApi'): Map<string, [number, number]> {
  return new Map([...(p.tables[name]?.values() ?? [])].map((s) => [s.name, [s.total, s.instances]]))
}

describe('the H200 traces as the loader reads them', () => {
  const all = (Object.keys(VARIANTS) as Variant[]).flatMap((v) =>
    runs(v).map((r, i) => ({ variant: v, run: r, label: `${v}/run-${i}` }))
  )

  it('holds the runs the README lists', () => {
    for (const [v, n] of Object.entries(VARIANTS)) expect(runs(v as Variant)).toHaveLength(n)
  })

  it.each(all)(
    '$label: kernels, memory operations and API calls as the trace has them',
    async ({ run }) => {
      const f = read(run)
      expect(f.gpu).toBe('NVIDIA H200')
      const p = await profileOf(run)

      // Kernels: the trace's names, each with its summed durations and its launches.
      expectRows(rows(p, 'kernels'), f.kernels)
      // Memory copies and sets by name, likewise.
      expectRows(rows(p, 'memTime'), f.memory)

      // The API calls (runtime and driver), counted.
      const api = rows(p, 'cudaApi')
      expect(new Map([...api].map(([name, [, n]]) => [name, n]))).toEqual(f.api)
      expect(api.get('cudaDeviceSynchronize')?.[1]).toBe(apiCalls(run, 'cudaDeviceSynchronize'))
    }
  )

  it('the variants differ from eager/base as the README says (the reader alone)', () => {
    const base = runs('eager/base')
    // sync: 8 more cudaDeviceSynchronize calls a run (one after each of 4 decode steps, 2
    // profiled iterations); the other variants as many as the base.
    const syncs = (v: Variant): number[] => runs(v).map((r) => apiCalls(r, 'cudaDeviceSynchronize'))
    for (const s of syncs('eager/sync'))
      expect(s).toBe(apiCalls(base[0]!, 'cudaDeviceSynchronize') + 8)
    for (const v of ['eager/base', 'eager/same', 'eager/mlp', 'eager/math'] as const)
      expect(new Set(syncs(v))).toEqual(new Set([apiCalls(base[0]!, 'cudaDeviceSynchronize')]))
    // same and sync launch the base's kernels, as often.
    for (const v of ['eager/same', 'eager/sync'] as const) {
      expect(kernelNames(v)).toEqual(kernelNames('eager/base'))
      for (const r of runs(v))
        for (const [name, sum] of read(r).kernels)
          expect(sum.count).toBe(read(base[0]!).kernels.get(name)?.count)
    }
    // math: no flash-attention kernel; the base has two (cuDNN's and PyTorch's own).
    expect([...kernelNames('eager/base')].filter((n) => /flash/i.test(n))).toHaveLength(2)
    expect([...kernelNames('eager/math')].filter((n) => /flash/i.test(n))).toEqual([])
    // compiled: Triton kernels.
    expect([...kernelNames('compiled/base')].some((n) => n.startsWith('triton_'))).toBe(true)
  })
})

describe('compare on the H200 traces', () => {
  it('eager/base vs eager/same (5 runs each, the same program again): a pass', async () => {
    const record = await compare('eager/base', 'eager/same')
    expect(record.runs).toEqual({ base: 5, head: 5 })
    expect(regressed(record)).toEqual([])
    expect(record.verdict).toBe('pass')
    expect(record.reasons).toEqual([])
    // Each kernel: the median of its per-run totals, each run's total as the reader sums it.
    const kernels = table(record, 'kernels')
    expect(kernels.items.map((i) => i.name).sort()).toEqual([...kernelNames('eager/base')].sort())
    for (const i of kernels.items) {
      const b = perRun('eager/base', i.name)
      const h = perRun('eager/same', i.name)
      const n = Math.max(launches('eager/base', i.name), launches('eager/same', i.name))
      expect(i.samples?.base).toHaveLength(b.length)
      expect(i.samples?.head).toHaveLength(h.length)
      b.forEach((x, k) => expectNear(i.samples?.base[k], x, n))
      h.forEach((x, k) => expectNear(i.samples?.head[k], x, n))
      expectNear(i.base?.totalNs, median(b), n)
      expectNear(i.head?.totalNs, median(h), n)
    }
  })

  it('eager/base vs eager/mlp (MLP 11008 wide): a regression; the GELU kernel regressed; the GEMMs cuBLAS picked instead are accounted for', async () => {
    const record = await compare('eager/base', 'eager/mlp')
    expect(record.verdict).toBe('regression')
    // The GELU runs over 11008 columns instead of 8192: slower in every mlp run than in any base
    // run, by the reader.
    const gelu = [...kernelNames('eager/base')].filter((n) => n.includes('GeluCUDAKernelImpl'))
    expect(gelu).toHaveLength(1)
    const name = gelu[0]!
    expect(kernelNames('eager/mlp').has(name)).toBe(true)
    expect(Math.min(...perRun('eager/mlp', name))).toBeGreaterThan(
      1.05 * Math.max(...perRun('eager/base', name))
    )
    const g = item(record, 'kernels', name)
    expect(g.status).toBe('regressed')
    expect(g.gated).toBe(true)
    expectNear(g.base?.totalNs, median(perRun('eager/base', name)), launches('eager/base', name))
    expectNear(g.head?.totalNs, median(perRun('eager/mlp', name)), launches('eager/mlp', name))
    expect(regressed(record)).toContain(`kernels: ${name}`)
    // cuBLAS picked other GEMM kernels for some shapes: each appears as new or as a changed
    // variant of the one it replaced.
    expect(
      [...kernelNames('eager/mlp')].filter((n) => !kernelNames('eager/base').has(n))
    ).not.toEqual([])
    expectKernelSetChange(record, 'eager/base', 'eager/mlp')
  })

  it('eager/base vs eager/sync (a device synchronisation after each decode step): a regression on host synchronisations', async () => {
    const record = await compare('eager/base', 'eager/sync')
    expect(record.verdict).toBe('regression')
    const base = runs('eager/base').map((r) => apiCalls(r, 'cudaDeviceSynchronize'))
    const head = runs('eager/sync').map((r) => apiCalls(r, 'cudaDeviceSynchronize'))
    const device = item(record, 'hostSyncs', 'device synchronisations')
    expect(device.status).toBe('regressed')
    expect(device.gated).toBe(true)
    // Per run, the calls the trace has; each side, their median.
    expect(device.samples).toEqual({ base, head })
    expect(device.base?.totalCalls).toBe(median(base))
    expect(device.head?.totalCalls).toBe(median(head))
    // Stream synchronisations (the `.item()` of each iteration) did not change.
    const streams = item(record, 'hostSyncs', 'stream synchronisations')
    expect(streams.samples).toEqual({
      base: runs('eager/base').map((r) => apiCalls(r, 'cudaStreamSynchronize')),
      head: runs('eager/sync').map((r) => apiCalls(r, 'cudaStreamSynchronize'))
    })
    expect(streams.status).toBe('unchanged')
    expect(regressed(record)).toContain('hostSyncs: device synchronisations')
  })

  it('eager/base vs eager/math (math attention): a regression; the flash-attention kernels are removed', async () => {
    const record = await compare('eager/base', 'eager/math')
    expect(record.verdict).toBe('regression')
    const flash = [...kernelNames('eager/base')].filter((n) => /flash/i.test(n))
    expect(flash).not.toEqual([])
    for (const n of flash) expect(item(record, 'kernels', n).status).toBe('removed')
    expectKernelSetChange(record, 'eager/base', 'eager/math')
    // The GPU did more than twice the kernel work a run, by the reader; the total says so.
    const totals = (v: Variant): number[] =>
      runs(v).map((r) => [...read(r).kernels.values()].reduce((t, s) => t + s.ns, 0))
    expect(Math.min(...totals('eager/math'))).toBeGreaterThan(2 * Math.max(...totals('eager/base')))
    expect(table(record, 'kernels').total.status).toBe('regressed')
  })

  it.each(['eager/emptycache', 'eager/nocache'] as const)(
    'eager/base vs %s (device memory freed in the loop): a regression on host synchronisations, with one run a side too',
    async (variant) => {
      const frees = (v: Variant): number[] => runs(v).map((r) => apiCalls(r, 'cudaFree'))
      // By the reader: the base frees nothing; every run of the variant frees 10 or more times.
      expect(new Set([...frees('eager/base'), ...frees('eager/same')])).toEqual(new Set([0]))
      for (const n of frees(variant)) expect(n).toBeGreaterThanOrEqual(10)
      const record = await compare('eager/base', variant)
      expect(record.verdict).toBe('regression')
      const item_ = item(record, 'hostSyncs', 'device memory frees')
      expect(item_.samples).toEqual({ base: frees('eager/base'), head: frees(variant) })
      expect(regressed(record)).toContain('hostSyncs: device memory frees')
      // One run a side (the action's default): before frees counted, all of nocache's and 9 of
      // emptycache's 15 such comparisons passed.
      for (const b of runs('eager/base').slice(0, 2))
        for (const h of runs(variant)) {
          const one = await compareRecord<ComparisonRecord>(b, h)
          expect(regressed(one), `${b} vs ${h}`).toContain('hostSyncs: device memory frees')
        }
    }
  )

  it('a rule leaves the frees out (docs/categories-and-host.md): eager/emptycache then passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'h200-rules-'))
    const rules = join(dir, 'rules.json')
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [{ table: 'hostSyncs', match: '^device memory frees$', ignore: true }]
      })
    )
    const record = await compareRecord<ComparisonRecord>(
      runs('eager/base')[0]!,
      runs('eager/emptycache')[0]!,
      ['--rules', rules]
    )
    expect(record.verdict).toBe('pass')
    expect(table(record, 'hostSyncs').items.map((i) => i.name)).not.toContain('device memory frees')
  })

  it('a free waits for the GPU: every cudaFree of eager/nocache called while the GPU had work returns after it ends', () => {
    // The reader alone: the work launched before each free (by its launch call's start), and
    // when the last of it ended.
    for (const run of runs('eager/nocache')) {
      const events = traceEvents(run).filter((e) => e.ph === 'X')
      const launched = new Map<number, number>()
      for (const e of events)
        if (e.cat === 'cuda_runtime' && e.args?.correlation !== undefined)
          launched.set(e.args.correlation, e.ts)
      const gpu = events.filter((e) => ['kernel', 'gpu_memcpy', 'gpu_memset'].includes(e.cat ?? ''))
      let busy = 0
      for (const free of events.filter((e) => e.cat === 'cuda_runtime' && e.name === 'cudaFree')) {
        const ends = gpu
          .filter((g) => (launched.get(g.args?.correlation ?? -1) ?? Infinity) < free.ts)
          .map((g) => g.ts + g.dur)
        const last = Math.max(0, ...ends)
        if (last <= free.ts) continue
        busy += 1
        expect(free.ts + free.dur).toBeGreaterThanOrEqual(last)
      }
      // Many frees were made while the GPU was busy (115 of 328 in run-0).
      expect(busy).toBeGreaterThan(50)
    }
  })

  it('eager/graph vs eager/base (CUDA graphs turned off): one run a side passes with a warning; three runs a side fail on idle time', async () => {
    const graphLaunches = (v: Variant): number[] =>
      runs(v).map((r) => apiCalls(r, 'cudaGraphLaunch'))
    expect(graphLaunches('eager/graph')).toEqual([8, 8, 8])
    expect(new Set(graphLaunches('eager/base'))).toEqual(new Set([0]))
    // The reader's idle time of a run: the window of its GPU activity less their union.
    const idleOf = (run: string): number => {
      const { busy, window } = busyAndWindow(
        traceEvents(run)
          .filter(
            (e) => e.ph === 'X' && ['kernel', 'gpu_memcpy', 'gpu_memset'].includes(e.cat ?? '')
          )
          .map((e) => ({ start: e.ts * 1000, end: (e.ts + e.dur) * 1000 }))
      )
      return window - busy
    }
    // Every eager run idles over 4 times as long as every graph run.
    const graphIdle = runs('eager/graph').map(idleOf)
    const eagerIdle = runs('eager/base').map(idleOf)
    expect(Math.min(...eagerIdle)).toBeGreaterThan(4 * Math.max(...graphIdle))
    // The kernels are the same: nothing but idle time tells.
    expect(kernelNames('eager/graph')).toEqual(kernelNames('eager/base'))
    const one = await compareRecord<ComparisonRecord & { notes: { code: string }[] }>(
      runs('eager/graph')[0]!,
      runs('eager/base')[0]!
    )
    expect(one.verdict).toBe('pass')
    expect(one.notes.map((n) => n.code)).toContain('idle-rise-not-gated')
    const three = await compareRecord<ComparisonRecord>(
      runs('eager/graph'),
      runs('eager/base').slice(0, 3)
    )
    expect(three.verdict).toBe('regression')
    expect(table(three, 'gpuIdle').total.status).toBe('regressed')
    expect(regressed(three)).toEqual([])
  })

  it('compiled/base vs compiled/head (torch.compile twice): a pass; the Triton kernels are compared', async () => {
    const record = await compare('compiled/base', 'compiled/head')
    expect(record.runs).toEqual({ base: 2, head: 2 })
    expect(regressed(record)).toEqual([])
    expect(record.verdict).toBe('pass')
    const triton = [...kernelNames('compiled/base')].filter((n) => n.startsWith('triton_'))
    expect(triton.length).toBeGreaterThan(0)
    expect(kernelNames('compiled/head')).toEqual(kernelNames('compiled/base'))
    for (const n of triton) {
      const i = item(record, 'kernels', n)
      expect(i.status).toBe('unchanged')
      expect(i.base?.instances).toBe(read(runs('compiled/base')[0]!).kernels.get(n)?.count)
      expectNear(i.base?.totalNs, median(perRun('compiled/base', n)), launches('compiled/base', n))
      expectNear(i.head?.totalNs, median(perRun('compiled/head', n)), launches('compiled/head', n))
    }
  })

  it('one run a side, the same program: every pairing of a base run with a run of eager/same, both ways, is a pass', async () => {
    // 50 comparisons. Before idle time stopped gating with one run a side and the memory
    // operations' floor became a share of the GPU's time, 4 of the 5 pairings run-i/run-i failed
    // (a 1.5 µs memset, gaps moving across the 10 µs class bound).
    for (const base of runs('eager/base'))
      for (const head of runs('eager/same'))
        for (const [b, h] of [
          [base, head],
          [head, base]
        ] as const) {
          const record = await compareRecord<ComparisonRecord>(b, h)
          expect(record.runs).toEqual({ base: 1, head: 1 })
          expect({ b, h, regressed: regressed(record) }).toEqual({ b, h, regressed: [] })
          expect(record.verdict).toBe('pass')
        }
  })

  it('one run a side, a changed program: every pairing of a base run with a run of mlp, sync or math is a regression', async () => {
    const expected = {
      'eager/mlp': 'kernels',
      'eager/sync': 'hostSyncs',
      'eager/math': 'kernels'
    } as const
    for (const [variant, tableName] of Object.entries(expected))
      for (const base of runs('eager/base'))
        for (const head of runs(variant as Variant)) {
          const record = await compareRecord<ComparisonRecord>(base, head)
          expect({ base, head, verdict: record.verdict }).toEqual({
            base,
            head,
            verdict: 'regression'
          })
          expect(regressed(record).some((r) => r.startsWith(`${tableName}: `))).toBe(true)
        }
  })
})

describe('one run a side, a persistent GEMM 6 % slower', () => {
  it('is found by pairing its launches in order, which pooled launches do not show', async () => {
    // The prefill GEMM (58 % of the kernel time): one grid for four problem sizes, 16 launches
    // of about 44, 135, 165 and 177 µs. The head is another process's run of the
    // same program with that kernel's launches made 6 % longer in the file.
    const base = runs('eager/base')[0]!
    const same = runs('eager/same')[0]!
    const gemm = [...read(base).kernels].sort((a, b) => b[1].ns - a[1].ns)[0]![0]
    expect(gemm).toContain('nvjet')
    const trace = JSON.parse(gunzipSync(readFileSync(traceOf(same))).toString('utf8')) as {
      traceEvents: (TraceEvent & { args?: { grid?: number[] } })[]
    }
    const grids = new Set<string>()
    for (const e of trace.traceEvents)
      if (e.ph === 'X' && e.cat === 'kernel' && e.name === gemm) {
        grids.add(JSON.stringify(e.args?.grid))
        e.dur = Math.round(e.dur! * 1.06 * 1000) / 1000
      }
    expect(grids.size).toBe(1)
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-h200-gemm-'))
    const head = join(dir, 'head.pt.trace.json')
    writeFileSync(head, JSON.stringify(trace))
    const record = await compareRecord<ComparisonRecord>(base, head)
    expect(record.verdict).toBe('regression')
    const gemmItem = item(record, 'kernels', gemm)
    expect(gemmItem.status).toBe('regressed')
    expect(gemmItem.launches?.paired).toBe(true)
    expect(gemmItem.launches!.p).toBeLessThan(0.001)
  })
})

describe('a trace with every option of the profiler', () => {
  it('record_shapes, with_stack, profile_memory and with_flops add events, not kernels: the same kernels as a plain trace of the program, and a pass against it', async () => {
    const full = join(H200, 'full', 'run-0')
    const plain = runs('eager/base')[0]!
    const f = read(full)
    const p = await profileOf(full)
    expectRows(rows(p, 'kernels'), f.kernels)
    // The same kernels, launched as often, as in a trace of the program without those options.
    const counts = (t: TraceFacts): Map<string, number> =>
      new Map([...t.kernels].map(([n, s]) => [n, s.count]))
    expect(counts(f)).toEqual(counts(read(plain)))
    const record = await compareRecord<ComparisonRecord>(plain, full)
    expect(regressed(record)).toEqual([])
    expect(record.verdict).toBe('pass')
  })
})

describe('two ranks of one run (gloo on one GPU, distributedInfo in each trace)', () => {
  const dir = (side: 'base' | 'head'): string => join(H200, 'ranks', side, 'run-0')
  const files = (side: 'base' | 'head'): string[] =>
    readdirSync(dir(side))
      .sort()
      .map((f) => join(dir(side), f))

  it('a directory of the ranks is one profile: each rank a device, kernels summed over the ranks', async () => {
    const traces = files('base')
    expect(traces).toHaveLength(2)
    const profiles = await loadInput(dir('base'))
    expect(profiles).toHaveLength(1)
    const p = profiles[0]!
    // Kernels: the sum of the two traces', by the reader.
    const summed = new Map<string, Sum>()
    for (const file of traces)
      for (const [name, s] of readTrace(file).kernels) {
        const t = summed.get(name) ?? { ns: 0, count: 0 }
        summed.set(name, { ns: t.ns + s.ns, count: t.count + s.count })
      }
    expectRows(rows(p, 'kernels'), summed)
    // Both ranks used GPU 0; each is a device of the timeline, numbered by its rank.
    expect(p.timeline?.devices.map((d) => [d.device, d.rank])).toEqual([
      [0, 0],
      [1, 1]
    ])
    // Read in the order of their files, not of their ranks: no launch order is kept (the launch
    // test pools the launches), where a trace read alone keeps it.
    expect([...p.launches!.values()].every((l) => l.order === undefined)).toBe(true)
    const [alone] = await loadInput(traces[0]!)
    expect([...alone!.launches!.values()].some((l) => l.order !== undefined)).toBe(true)
    const ranks = p.meta.notes.find((n) => n.code === 'trace-ranks')
    expect(ranks?.message).toContain('of world size 2; ranks from distributedInfo')
  })

  it('the same program run again: a pass', async () => {
    const record = await compareRecord<ComparisonRecord>(dir('base'), dir('head'))
    expect(record.runs).toEqual({ base: 1, head: 1 })
    expect(regressed(record)).toEqual([])
    expect(record.verdict).toBe('pass')
  })
})

describe('a rules file that gates phases', () => {
  it('an entry that names no phase of the trace is said (rule-unused); one that does gates it', async () => {
    // `decode` is projected from the host side (its kernels run inside `attention` and `mlp`,
    // and Kineto writes no GPU-side range for it: docs/chrome-trace.md); `Decode` is a typo.
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-h200-rules-'))
    const rules = join(dir, 'rules.json')
    writeFileSync(
      rules,
      JSON.stringify({
        rules: [
          { table: 'nvtxGpu', match: '^Decode$', gate: true },
          { table: 'nvtxGpu', match: '^decode$', gate: true }
        ]
      })
    )
    const record = await compareRecord<
      ComparisonRecord & { notes: { code: string; severity: string; message: string }[] }
    >(runs('eager/base'), runs('eager/same'), ['--rules', rules])
    const unused = record.notes.filter((n) => n.code === 'rule-unused')
    expect(unused).toHaveLength(1)
    expect(unused[0]!.severity).toBe('warning')
    expect(unused[0]!.message).toContain('"^Decode$" (table nvtxGpu) decided no item')
    expect(table(record, 'nvtxGpu').items.find((i) => i.name === 'decode')?.gated).toBe(true)
    expect(record.verdict).toBe('pass')
  })
})
