/**
 * Real PyTorch 2.11 profiler traces of one NVIDIA H200 in which a 64 MB host-to-device copy runs
 * on a side stream under eight bf16 GEMMs (`streams/overlap`, twice in two processes), and the
 * same program with the copy on the GEMMs' stream, so that they wait for it (`streams/serial`):
 * test/fixtures/torch-h200/README.md and streams/streams.py. Every kernel and copy is as fast in
 * both; the GPU takes half as long again for each step. The gate must say so, and must not say
 * it of the program against itself. And `streams/pageable`: `overlap` copying from pageable
 * memory, a copy the profiler names differently and that takes six times as long.
 *
 * The expected values come from the trace files, through the reader below (gunzip, JSON.parse,
 * the union of the `[ts, ts + dur]` intervals of the kernels, copies and sets), never from
 * nsys-bench's output.
 */
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { loadInput } from '../../src/load/index.js'
import { compareRecord } from '../support/compare-cli.js'
import {
  busyAndWindow,
  H200,
  median,
  runFolders,
  traceEvents,
  traceOf
} from '../support/torch-h200.js'

const STREAMS = join(H200, 'streams')
type Variant = 'overlap' | 'overlap-again' | 'serial' | 'pageable'

function runs(variant: Variant): string[] {
  return runFolders(join(STREAMS, variant))
}

interface Activity {
  cat: string
  name: string
  stream: number
  start: number
  end: number
}

interface Facts {
  activities: Activity[]
  /** The union of the activities' intervals, ns (µs × 1000, rounded). */
  busy: number
  /** Each kernel's summed duration, ns. */
  kernels: Map<string, number>
}

const cache = new Map<string, Facts>()

/** The independent reader. */
function read(run: string): Facts {
  const cached = cache.get(run)
  if (cached) return cached
  const activities: Activity[] = []
  const kernels = new Map<string, number>()
  for (const e of traceEvents(run)) {
    if (e.ph !== 'X' || !['kernel', 'gpu_memcpy', 'gpu_memset'].includes(e.cat ?? '')) continue
    const start = Math.round(e.ts * 1000)
    const end = Math.round((e.ts + e.dur) * 1000)
    activities.push({ cat: e.cat!, name: e.name, stream: e.args?.stream ?? -1, start, end })
    if (e.cat === 'kernel') kernels.set(e.name, (kernels.get(e.name) ?? 0) + (end - start))
  }
  const { busy } = busyAndWindow(activities)
  const facts = { activities, busy, kernels }
  cache.set(run, facts)
  return facts
}

interface TableDiff {
  gated: boolean
  total: {
    status: string
    gated: boolean
    baseNs: number
    headNs: number
    samples?: { base: number[]; head: number[] }
  }
  items: { name: string; status: string; gated: boolean }[]
}

interface ComparisonRecord {
  verdict: string
  reasons: { code: string; message: string }[]
  tables: Record<string, TableDiff | undefined>
}

/** Every gated item that regressed, and every gated total that did, as `table: name`. */
function failing(record: ComparisonRecord): string[] {
  return Object.entries(record.tables).flatMap(([name, t]) => [
    ...(t?.items ?? [])
      .filter((i) => i.gated && i.status === 'regressed')
      .map((i) => `${name}: ${i.name}`),
    ...(t?.total.gated && t.total.status === 'regressed' ? [`${name}: total`] : [])
  ])
}

const BUSY_REGRESSED = 'gpuBusy: total'

describe('the stream traces, by the reader alone', () => {
  it('hold three runs a variant; the copy overlaps the GEMMs only in overlap runs', () => {
    expect(runs('pageable')).toHaveLength(3)
    for (const v of ['overlap', 'overlap-again', 'serial'] as const) {
      expect(runs(v)).toHaveLength(3)
      for (const run of runs(v)) {
        const { activities } = read(run)
        const copy = activities.find((a) => a.name === 'Memcpy HtoD (Pinned -> Device)')!
        const gemms = activities.filter((a) => a.name.startsWith('nvjet_'))
        expect(gemms.length).toBeGreaterThan(0)
        const overlapped = gemms.some((g) => g.start < copy.end && copy.start < g.end)
        const streams = new Set(activities.map((a) => a.stream))
        if (v === 'serial') {
          expect(overlapped).toBe(false)
          expect(streams.size).toBe(1)
        } else {
          expect(overlapped).toBe(true)
          expect(streams.size).toBe(2)
        }
      }
    }
  })

  it('launch the same kernels in every variant, as long within 3 %; serial is busy half as long again', () => {
    const names = (v: Variant) => [...read(runs(v)[0]!).kernels.keys()].sort()
    expect(names('serial')).toEqual(names('overlap'))
    expect(names('overlap-again')).toEqual(names('overlap'))
    const kernelTime = (v: Variant) =>
      median(runs(v).map((r) => [...read(r).kernels.values()].reduce((a, b) => a + b, 0)))
    expect(Math.abs(kernelTime('serial') / kernelTime('overlap') - 1)).toBeLessThan(0.03)
    const busy = (v: Variant) => median(runs(v).map((r) => read(r).busy))
    expect(busy('serial') / busy('overlap')).toBeGreaterThan(1.4)
    expect(Math.abs(busy('overlap-again') / busy('overlap') - 1)).toBeLessThan(0.03)
  })
})

describe('GPU busy time on the stream traces', () => {
  it("each run's timeline has the reader's busy time", async () => {
    for (const v of ['overlap', 'overlap-again', 'serial', 'pageable'] as const)
      for (const run of runs(v)) {
        const [profile] = await loadInput(traceOf(run))
        const devices = profile!.timeline!.devices
        expect(devices).toHaveLength(1)
        const { busy, activities } = read(run)
        // µs with 3 decimals, rounded to ns by each reader: 1 ns an activity at most.
        expect(Math.abs(devices[0]!.busy - busy)).toBeLessThanOrEqual(activities.length)
      }
  })

  it('overlap vs serial, 3 runs a side: a regression, on GPU busy time alone', async () => {
    const record = await compareRecord<ComparisonRecord>(runs('overlap'), runs('serial'))
    expect(record.verdict).toBe('regression')
    expect(failing(record)).toEqual([BUSY_REGRESSED])
    const busy = record.tables.gpuBusy!.total
    const base = runs('overlap').map((r) => read(r).busy)
    const head = runs('serial').map((r) => read(r).busy)
    // Within 1 ns an activity (64 a run) of the reader's: each rounds µs with 3 decimals to ns.
    busy.samples!.base.forEach((x, i) => expect(Math.abs(x - base[i]!)).toBeLessThanOrEqual(64))
    busy.samples!.head.forEach((x, i) => expect(Math.abs(x - head[i]!)).toBeLessThanOrEqual(64))
    expect(Math.abs(busy.baseNs - median(base))).toBeLessThanOrEqual(64)
    expect(Math.abs(busy.headNs - median(head))).toBeLessThanOrEqual(64)
    // The kernels and the copies themselves did not regress.
    for (const t of ['kernels', 'memTime'])
      expect(record.tables[t]!.items.filter((i) => i.status === 'regressed')).toEqual([])
  })

  it('overlap vs overlap-again (the same program in another process): a pass', async () => {
    const record = await compareRecord<ComparisonRecord>(runs('overlap'), runs('overlap-again'))
    expect(failing(record)).toEqual([])
    expect(record.verdict).toBe('pass')
    expect(record.tables.gpuBusy!.total.status).toBe('unchanged')
  })

  it('one run a side: every pairing with serial is a busy-time regression, every pairing of the program with itself a pass', async () => {
    const overlap = [...runs('overlap'), ...runs('overlap-again')]
    for (const b of overlap) {
      for (const h of runs('serial')) {
        const record = await compareRecord<ComparisonRecord>(b, h)
        expect(failing(record), `${b} vs ${h}`).toEqual([BUSY_REGRESSED])
      }
      for (const h of overlap) {
        if (h === b) continue
        const record = await compareRecord<ComparisonRecord>(b, h)
        expect(record.verdict, `${b} vs ${h}`).toBe('pass')
      }
    }
  })

  it('a rules file can accept it, by the GPU it names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streams-'))
    const rules = join(dir, 'rules.json')
    writeFileSync(
      rules,
      JSON.stringify({
        accept: [
          {
            table: 'gpuBusy',
            pattern: '^GPU 0$',
            reason: 'copies serialised for determinism',
            until: '2999-12-31'
          }
        ]
      })
    )
    const record = await compareRecord<ComparisonRecord>(runs('overlap'), runs('serial'), [
      '--rules',
      rules
    ])
    expect(record.verdict).toBe('accepted')
  })
})

/** The summed duration of the activities of one name in a run, ns. */
function timeOf(run: string, name: string): number {
  return read(run)
    .activities.filter((a) => a.name === name)
    .reduce((t, a) => t + a.end - a.start, 0)
}

const PINNED = 'Memcpy HtoD (Pinned -> Device)'
const PAGEABLE = 'Memcpy HtoD (Pageable -> Device)'

describe('a copy from pageable memory instead of pinned (another name, six times as long)', () => {
  it('by the reader: the pageable runs have no pinned copy, and theirs is over five times as long', () => {
    for (const run of runs('pageable')) {
      expect(timeOf(run, PINNED)).toBe(0)
      for (const base of runs('overlap'))
        expect(timeOf(run, PAGEABLE)).toBeGreaterThan(5 * timeOf(base, PINNED))
    }
  })

  it("overlap vs pageable: a regression on the memory operations' total (the copy is new, its pinned one removed) and on busy time", async () => {
    const record = await compareRecord<ComparisonRecord>(runs('overlap'), runs('pageable'))
    expect(record.verdict).toBe('regression')
    expect(failing(record)).toEqual(expect.arrayContaining(['memTime: total', BUSY_REGRESSED]))
    const mem = record.tables.memTime!
    expect(mem.items.find((i) => i.name === PAGEABLE)?.status).toBe('new')
    expect(mem.items.find((i) => i.name === PINNED)?.status).toBe('removed')
    // Each run's total of copies and sets, as the reader sums them.
    const memoryOf = (run: string) =>
      read(run)
        .activities.filter((a) => a.cat !== 'kernel')
        .reduce((t, a) => t + a.end - a.start, 0)
    expect(Math.abs(mem.total.headNs - median(runs('pageable').map(memoryOf)))).toBeLessThan(64)
    expect(Math.abs(mem.total.baseNs - median(runs('overlap').map(memoryOf)))).toBeLessThan(64)
  })

  it("one run a side: every pairing is a regression, the memory operations' total among the reasons", async () => {
    for (const b of runs('overlap'))
      for (const h of runs('pageable')) {
        const record = await compareRecord<ComparisonRecord>(b, h)
        expect(failing(record), `${b} vs ${h}`).toContain('memTime: total')
      }
  })

  it('the Markdown report says why, and lists the new copy under the failed total', async () => {
    let markdown = ''
    const code = await runCli(
      ['compare', runs('overlap')[0]!, runs('pageable')[0]!, '--format', 'markdown'],
      { stdout: (t) => (markdown += t), stderr: () => undefined }
    )
    expect(code).toBe(1)
    expect(markdown).toContain(
      '> [!IMPORTANT]\n> The total of GPU memory operations (time) regressed, and the total of GPU busy time (union over streams) regressed.'
    )
    const section = markdown.split(
      '#### Gated on the total: new in GPU memory operations (time) (1)'
    )[1]
    expect(section?.split('####')[0]).toContain('| `Memcpy HtoD (Pageable -> Device)` |')
  })

  it('the HTML report leads with what failed the check: the new copy, then the busy time', async () => {
    let html = ''
    const code = await runCli(
      ['compare', runs('overlap')[0]!, runs('pageable')[0]!, '--format', 'html'],
      { stdout: (t) => (html += t), stderr: () => undefined }
    )
    expect(code).toBe(1)
    const headings = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1])
    // After the breakdown: the memory operations (their total failed; what is new in it first),
    // then the busy time (its total failed), then the tables that only report.
    expect(headings.slice(1, 5)).toEqual([
      'New in GPU memory operations (time) (1)',
      'Improvements in GPU memory operations (time) (1)',
      'Regressions in GPU busy time (union over streams) (1)',
      'Regressions in GPU time by category (1)'
    ])
    // The busy row's status says how it gates.
    expect(html).toContain('"t":"regressed, gated on the total"')
  })

  it("summarize shows each GPU's busy time in its window, as the reader has them", async () => {
    for (const run of [runs('overlap')[0]!, runs('serial')[0]!]) {
      let text = ''
      const code = await runCli(['summarize', run], {
        stdout: (t) => (text += t),
        stderr: () => undefined
      })
      expect(code).toBe(0)
      const line = /GPU 0: busy ([\d.]+) ms of a ([\d.]+) ms window \(([\d.]+)%\)/.exec(text)
      expect(line).not.toBeNull()
      const { busy, window } = busyAndWindow(read(run).activities)
      // Printed to 10 µs (two decimals of ms).
      expect(Math.abs(Number(line![1]) * 1e6 - busy)).toBeLessThanOrEqual(5_000)
      expect(Math.abs(Number(line![2]) * 1e6 - window)).toBeLessThanOrEqual(5_000)
      expect(Math.abs(Number(line![3]) - (busy / window) * 100)).toBeLessThanOrEqual(0.05)
    }
  })
})
