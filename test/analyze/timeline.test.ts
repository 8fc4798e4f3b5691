import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ORDER_LIMITS, TimelineAnalysis } from '../../src/analyze/timeline.js'
import { compareProfiles } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadInput } from '../../src/load/index.js'
import type { TraceEvent } from '../../src/profile/events.js'
import { canonicalKey, type Profile } from '../../src/profile/model.js'
import { profileFromJson, profileToJson } from '../../src/profile/json.js'
import { DurationSketch, RELATIVE_ERROR } from '../../src/profile/sketch.js'
import { renderMarkdown } from '../../src/render/markdown.js'
import { renderText } from '../../src/render/text.js'
import { CORPUS } from '../support/paths.js'

/**
 * The timeline analyses (idle gaps, kernel shapes, per-launch sketches) on traces written for the
 * purpose, with every expected figure worked out by hand below, and on the corpus traces against
 * an independent reader written here (sort, then merge the intervals).
 */

const HEADER =
  'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'
const H100 = (id: number): string => `NVIDIA H100 80GB HBM3 (${id})`
const kernel = (
  start: number,
  duration: number,
  device: number,
  stream: number,
  grid: string,
  block: string,
  name: string
): string =>
  `${start},${duration},1,${grid},${block},32,0.000,0.000,,,,,${H100(device)},1,,${stream},${name}`
const memcpy = (start: number, duration: number, device: number, stream: number): string =>
  `${start},${duration},2,,,,,,,,,,0.001,1.000,Pageable,Device,${H100(device)},1,,${stream},[CUDA memcpy Host-to-Device]`

/**
 * GPU 0: gemm [0, 100) on stream 7 and attn [50, 150) on stream 8 overlap (busy [0, 150)); a copy
 * [160, 180) (gap 10 ns); gemm in another shape [50 180, 51 180) (gap 50 000 ns); norm
 * [2 000 000, 2 000 500) (gap 1 948 820 ns). Window 2 000 500, busy 150 + 20 + 1000 + 500 = 1670,
 * idle 1 998 830. GPU 1: gemm [100, 300) and [500, 700): window 600, busy 400, one gap of 200.
 */
const ROWS = [
  kernel(0, 100, 0, 7, '128,1,1', '256,1,1', 'gemm'),
  kernel(50, 100, 0, 8, '16,1,1', '128,1,1', 'attn'),
  kernel(100, 200, 1, 9, '128,1,1', '256,1,1', 'gemm'),
  memcpy(160, 20, 0, 7),
  kernel(500, 200, 1, 9, '128,1,1', '256,1,1', 'gemm'),
  kernel(50_180, 1000, 0, 7, '64,2,1', '128,1,1', 'gemm'),
  kernel(2_000_000, 500, 0, 7, '32,1,1', '64,1,1', 'norm')
]

function writeTrace(rows: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-timeline-'))
  const path = join(dir, 'report_cuda_gpu_trace.csv')
  writeFileSync(path, [HEADER, ...rows, ''].join('\n'))
  return path
}

async function load(path: string): Promise<Profile> {
  const [profile] = await loadInput(path)
  if (!profile) throw new Error(`no profile in ${path}`)
  return profile
}

describe('GPU idle time, from an nsys GPU trace', () => {
  it('measures busy time over all streams, the gaps by class and the longest gaps', async () => {
    const profile = await load(writeTrace(ROWS))
    const [gpu0, gpu1] = profile.timeline!.devices
    expect(gpu0).toMatchObject({
      device: 0,
      start: 0,
      window: 2_000_500,
      busy: 1670,
      idle: 1_998_830
    })
    expect(gpu0!.activities).toBe(5)
    expect(gpu0!.gaps.map((g) => [g.count, g.total])).toEqual([
      [1, 10],
      [1, 50_000],
      [0, 0],
      [1, 1_948_820]
    ])
    expect(gpu0!.top).toEqual([
      {
        start: 51_180,
        duration: 1_948_820,
        before: { name: 'gemm', stream: 7 },
        after: { name: 'norm', stream: 7 }
      },
      {
        start: 180,
        duration: 50_000,
        before: { name: '[CUDA memcpy Host-to-Device]', stream: 7 },
        after: { name: 'gemm', stream: 7 }
      },
      {
        start: 150,
        duration: 10,
        before: { name: 'attn', stream: 8 },
        after: { name: '[CUDA memcpy Host-to-Device]', stream: 7 }
      }
    ])
    expect(gpu1).toMatchObject({
      device: 1,
      start: 100,
      window: 600,
      busy: 400,
      idle: 200,
      late: 0
    })
    // The table: four classes a device, present even when empty; its total is all idle time.
    const idle = profile.tables.gpuIdle!
    expect(idle.size).toBe(8)
    expect(idle.get('GPU 0: gaps over 1 ms')).toMatchObject({ total: 1_948_820, instances: 1 })
    expect(idle.get('GPU 0: gaps 100 µs–1 ms')).toMatchObject({ total: 0, instances: 0 })
    expect(idle.get('GPU 1: gaps under 10 µs')).toMatchObject({ total: 200, instances: 1 })
    expect([...idle.values()].reduce((sum, s) => sum + s.total, 0)).toBe(1_998_830 + 200)
  })

  it('gets the same figures whatever order the events come in', async () => {
    const ordered = (await load(writeTrace(ROWS))).timeline!
    // The same activities as events, reversed: the analysis of a producer that does not sort.
    const events: TraceEvent[] = ROWS.map((row) => {
      const cells = row.split(',')
      const name = cells.at(-1)!
      return {
        kind: name.startsWith('[CUDA') ? 'memcpy' : 'kernel',
        name,
        start: Number(cells[0]),
        duration: Number(cells[1]),
        device: Number(/\((\d+)\)/.exec(row)![1]),
        stream: Number(cells.at(-2))
      }
    })
    const analysis = new TimelineAnalysis()
    for (const event of [...events].reverse()) analysis.add(event)
    const result = analysis.finish().timeline
    expect(result.devices.map((d) => [d.window, d.busy, d.idle, d.late])).toEqual(
      ordered.devices.map((d) => [d.window, d.busy, d.idle, 0])
    )
    expect(result.devices[0]!.gaps).toEqual(ordered.devices[0]!.gaps)
  })

  // The time limit is the point: the quadratic version took 12 s on a quiet machine, this 0.3 s.
  it(
    'stays linear on activities in reverse order, and says its figures are approximate',
    { timeout: 5000 },
    () => {
      // 300,000 kernels of 100 ns with 50 ns gaps, handed over last first: an insertion sort would
      // move every entry of the buffer for each (about 3.7 billion moves). Beyond the
      // buffer's reach they cannot be placed: they are counted as late, not silently dropped.
      const n = 300_000
      const analysis = new TimelineAnalysis()
      for (let i = n - 1; i >= 0; i--)
        analysis.add({ kind: 'kernel', name: 'k', start: i * 150, duration: 100, device: 0 })
      const [device] = analysis.finish().timeline.devices
      expect(device!.activities).toBe(n)
      expect(device!.late).toBeGreaterThan(n / 2)
      expect(device!.busy).toBeLessThanOrEqual(n * 100)
      // Within the buffer's reach the order is restored exactly: the last 16,384 kernels (the first
      // handed over) and the half of the buffer kept are swept in order, their gaps all 50 ns.
      expect(device!.gaps[0]!.min).toBe(50)
      expect(device!.gaps[0]!.max).toBe(50)
    }
  )

  it('breaks out a kernel launched with two shapes, and only such kernels', async () => {
    const profile = await load(writeTrace(ROWS))
    const shapes = profile.tables.kernelShapes!
    expect([...shapes.values()].map((s) => [s.name, s.total, s.instances]).sort()).toEqual([
      ['gemm [grid 128×1×1, block 256×1×1]', 500, 3],
      ['gemm [grid 64×2×1, block 128×1×1]', 1000, 1]
    ])
  })

  it('keeps a sketch of each kernel’s launch durations', async () => {
    const profile = await load(writeTrace(ROWS))
    const gemm = profile.launches!.get('gemm')!
    expect(gemm.sketch.count).toBe(4)
    // 100, 200, 200, 1000: exact below 256 ns; 1000 lies in the bucket [1000, 1004).
    expect(gemm.sketch.quantile(0.5)).toBe(200)
    expect(gemm.sketch.quantile(0.25)).toBe(100)
    expect(gemm.sketch.quantile(0.99)).toBe(1001.5)
  })
})

describe('the corpus traces, against an independent reader', () => {
  const files = readdirSync(CORPUS).filter((f) => {
    const text = readFileSync(join(CORPUS, f), 'utf8')
    return /\ncuda_gpu_trace|Start \(ns\),Duration \(ns\),CorrId/.test(text)
  })

  it('finds trace files in the corpus', () => {
    expect(files.length).toBeGreaterThan(0)
  })

  for (const file of files) {
    it(file, async () => {
      const text = readFileSync(join(CORPUS, file), 'utf8')
      // The first trace block: its header, then rows up to the first line that is not one.
      const lines = text.split('\n')
      const at = lines.findIndex((l) => l.startsWith('Start (ns),Duration (ns),CorrId'))
      const header = lines[at]!.split(',')
      const col = (name: string): number => header.indexOf(name)
      const intervals: [number, number][] = []
      for (const line of lines.slice(at + 1)) {
        if (!/^\d/.test(line)) break
        const cells = line.split(',')
        const start = Number(cells[col('Start (ns)')])
        intervals.push([start, start + Number(cells[col('Duration (ns)')])])
      }
      intervals.sort((a, b) => a[0] - b[0])
      let busy = 0
      const gaps: number[] = []
      let [s, e] = intervals[0]!
      for (const [a, b] of intervals.slice(1)) {
        if (a > e) {
          busy += e - s
          gaps.push(a - e)
          s = a
          e = b
        } else e = Math.max(e, b)
      }
      busy += e - s
      const window = e - intervals[0]![0]
      const runs = await loadInput(join(CORPUS, file), { captures: 'runs' })
      const withTrace = runs.find((p) => p.timeline)
      expect(withTrace).toBeDefined()
      const device = withTrace!.timeline!.devices[0]!
      expect([device.window, device.busy, device.idle, device.activities]).toEqual([
        window,
        busy,
        window - busy,
        intervals.length
      ])
      expect(device.gaps.reduce((n, g) => n + g.count, 0)).toBe(gaps.length)
      expect(device.top[0]?.duration).toBe(Math.max(...gaps))
    })
  }
})

describe('the duration sketch', () => {
  // A fixed pseudo-random sequence (xorshift), log-normal-ish durations from 1 µs to 10 ms.
  function values(n: number, seed: number): number[] {
    let x = seed
    const out: number[] = []
    for (let i = 0; i < n; i++) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      const u = (x >>> 0) / 2 ** 32
      out.push(Math.round(1000 * 10 ** (4 * u)))
    }
    return out
  }

  it('reads every quantile within its relative error', () => {
    const data = values(20_000, 12345)
    const sketch = new DurationSketch()
    for (const v of data) sketch.add(v)
    const sorted = [...data].sort((a, b) => a - b)
    const levels = [0, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1]
    const together = sketch.quantiles(levels)
    for (const [k, q] of levels.entries()) {
      const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!
      expect(Math.abs(sketch.quantile(q) - exact) / exact).toBeLessThanOrEqual(RELATIVE_ERROR)
      // Several in one pass: the same values as one at a time.
      expect(together[k]).toBe(sketch.quantile(q))
    }
    expect(new DurationSketch().quantiles([0.5, 0.9]).every(Number.isNaN)).toBe(true)
  })

  it('merges two runs into the sketch of both', () => {
    const a = values(5000, 1)
    const b = values(7000, 2)
    const left = new DurationSketch()
    const right = new DurationSketch()
    const both = new DurationSketch()
    for (const v of a) {
      left.add(v)
      both.add(v)
    }
    for (const v of b) {
      right.add(v)
      both.add(v)
    }
    left.merge(right)
    expect(left.toArray()).toEqual(both.toArray())
    expect(DurationSketch.fromArray(both.toArray()).toArray()).toEqual(both.toArray())
  })
})

describe('comparing idle time', () => {
  const rules = buildRules({})

  /** ROWS with the last kernel (norm) at `at` ns: GPU 0's idle time is at + 500 − 1670. */
  const lastAt = (at: number): Promise<Profile> =>
    load(writeTrace([...ROWS.slice(0, -1), kernel(at, 500, 0, 7, '32,1,1', '64,1,1', 'norm')]))

  it('gates the idle time of a head that leaves the GPU idle longer, over repeated runs', async () => {
    // Three runs a side; the head's last kernel starts 2 ms later: the gap over 1 ms, and the
    // idle time, grow by 2 000 000 ns in every run.
    const base = await Promise.all([2_000_000, 2_010_000, 2_020_000].map(lastAt))
    const head = await Promise.all([4_000_000, 4_010_000, 4_020_000].map(lastAt))
    const comparison = compareProfiles(base, head, rules)
    const idle = comparison.tables.find((t) => t.table === 'gpuIdle')!
    expect(idle.total).toMatchObject({ status: 'regressed', delta: 2_000_000, gated: true })
    // The classes are shown, not gated: a gap that grows past a class's bound moves its whole
    // length to the next class.
    const over = idle.items.find((i) => i.key === 'GPU 0: gaps over 1 ms')!
    expect(over).toMatchObject({ status: 'regressed', delta: 2_000_000, gated: false })
    expect(comparison.gate.verdict).toBe('regression')
    expect(comparison.gate.reasons.map((r) => r.message).join(' ')).toContain(
      'The total of GPU idle time (gaps between activities) regressed'
    )
    expect(renderText(comparison)).toContain('unchanged (gated on the total)')
    expect(renderMarkdown(comparison)).toMatch(
      /<summary>GPU idle time \(gaps between activities\): [^<]* · gated on the total<\/summary>/
    )
  })

  it('shows, without gating, the idle time of one run a side, and says why', async () => {
    const comparison = compareProfiles([await lastAt(2_000_000)], [await lastAt(4_000_000)], rules)
    const idle = comparison.tables.find((t) => t.table === 'gpuIdle')!
    expect(idle.total).toMatchObject({ status: 'regressed', delta: 2_000_000, gated: false })
    expect(idle.gated).toBe(false)
    expect(comparison.gate.verdict).toBe('pass')
    const note = comparison.notes.find((n) => n.code === 'idle-not-gated')
    expect(note?.severity).toBe('info')
    expect(note?.message).toContain('without repeated runs on both sides')
    // The record re-derives it.
    const record = JSON.parse(JSON.stringify(comparisonToRecord(comparison))) as unknown
    expect(rederiveVerdict(record, 'record.json').gate).toEqual(comparison.gate)
  })

  it('with one run a side, says so in a warning when the idle time rose more than 4-fold; the verdict stays a pass', async () => {
    // Idle time of all GPUs, by hand: GPU 0's at + 500 − 1670, GPU 1's 200 ns.
    const base = await lastAt(2_000_000)
    const fivefold = compareProfiles([base], [await lastAt(10_000_000)], rules)
    expect(fivefold.gate.verdict).toBe('pass')
    const rise = fivefold.notes.find((n) => n.code === 'idle-rise-not-gated')
    expect(rise?.severity).toBe('warning')
    // 9 999 030 / 1 999 030 = 5.0.
    expect(rise?.message).toMatch(/^GPU idle time rose 5\.0-fold \(2\.00 ms → 10\.00 ms\)/)
    expect(fivefold.notes.map((n) => n.code)).not.toContain('idle-not-gated')
    // 6 999 030 / 1 999 030 = 3.5: within what runs of one program varied, the info note alone.
    const less = compareProfiles([base], [await lastAt(7_000_000)], rules)
    expect(less.notes.map((n) => n.code)).toContain('idle-not-gated')
    expect(less.notes.map((n) => n.code)).not.toContain('idle-rise-not-gated')
  })

  it('leaves the idle table out, with a warning, when one side has no trace', async () => {
    const base = await load(writeTrace(ROWS))
    const head = structuredClone(base)
    delete head.tables.gpuIdle
    delete head.tables.kernelShapes
    const comparison = compareProfiles([base], [head], rules)
    expect(comparison.tables.map((t) => t.table)).not.toContain('gpuIdle')
    expect(comparison.notes.find((n) => n.code === 'analysis-one-side')?.severity).toBe('warning')
    expect(comparison.gate.verdict).toBe('pass')
  })
})

describe('the GPU timeline in the reports', () => {
  it('shows idle time base → head and the longest gaps, names escaped', async () => {
    const hostile = '<img src=x onerror=alert(1)>|`@here`'
    const base = await load(writeTrace(ROWS))
    const head = await load(
      writeTrace([
        ...ROWS.slice(0, -1),
        kernel(4_000_000, 500, 0, 7, '32,1,1', '64,1,1', `"${hostile}"`)
      ])
    )
    const comparison = compareProfiles([base], [head], buildRules({}))
    const markdown = renderMarkdown(comparison)
    // The lead line has idle time beside the categories.
    expect(markdown).toMatch(/\*\*GPU idle\*\* \+100\.0% \(\+2\.00 ms\)/)
    const from = markdown.indexOf('<summary>GPU timeline')
    const section = markdown.slice(from, markdown.indexOf('</details>', from))
    // GPU 0: idle 1 998 830 → 3 998 830 ns, one gap over 1 ms on each side.
    expect(section).toContain('| 0 | 2.00 ms → 4.00 ms |')
    expect(section).toMatch(/\| 2\.00 ms → 4\.00 ms \(\+2\.00 ms\) \| 2 → 2 \| 1 → 1 \| 1 → 1 \|/)
    expect(section).toContain('Longest gaps of the head')
    // Names only ever in code spans (a `|` escaped: the table holds), never as HTML or a mention.
    expect(section).toContain(
      '| 0 | 3.95 ms | 51.18 µs | `gemm` (stream 7) | ``"<img src=x onerror=alert(1)>\\|`@here`"`` (stream 7) |'
    )
    expect(section.split('<img')).toHaveLength(2)
    expect(section.split('@here')).toHaveLength(2)
    const text = renderText(comparison)
    // Busy on GPU 0, by hand: [0, 150] (gemm and attn overlap), the copy [160, 180], 1000 and 500.
    expect(text).toContain(
      'GPU 0: busy 1.67 µs → 1.67 µs, utilisation 0.1% → 0.0%, idle 2.00 ms → 4.00 ms (+2.00 ms)'
    )
  })
})

describe('launches kept in order (the paired launch test)', () => {
  it('keeps each kernel’s durations in launch order within the bounds, and none of a kernel past them', () => {
    const analysis = new TimelineAnalysis(true)
    let t = 0
    const launch = (name: string, duration: number): void => {
      analysis.add({ kind: 'kernel', name, start: (t += 1000), duration, device: 0 })
    }
    // `a`: three launches, interleaved with another kernel's; `big`: one launch more than a
    // kernel may keep.
    launch('a', 30)
    launch('b', 7)
    launch('a', 10)
    launch('a', 20)
    for (let i = 0; i <= ORDER_LIMITS.kernel; i++) launch('big', 5 + (i % 3))
    const { launches } = analysis.finish()
    expect([...launches.get(canonicalKey('kernels', 'a'))!.order!]).toEqual([30, 10, 20])
    expect([...launches.get(canonicalKey('kernels', 'b'))!.order!]).toEqual([7])
    expect(launches.get(canonicalKey('kernels', 'big'))!.order).toBeUndefined()
    // The sketch has every launch still.
    expect(launches.get(canonicalKey('kernels', 'big'))!.sketch.count).toBe(ORDER_LIMITS.kernel + 1)
  })

  it('stops at the total bound: the kernels complete by then keep theirs, the rest none', () => {
    const analysis = new TimelineAnalysis(true)
    let t = 0
    // Kernel after kernel, 1000 launches each: 65 of them fill 65,000 of the 65,536 places.
    const kernels = Math.ceil(ORDER_LIMITS.total / 1000) + 2
    for (let k = 0; k < kernels; k++)
      for (let i = 0; i < 1000; i++)
        analysis.add({ kind: 'kernel', name: `k${k}`, start: (t += 10), duration: 5, device: 0 })
    const { launches } = analysis.finish()
    const kept = [...launches.values()].filter((l) => l.order !== undefined)
    expect(kept.map((l) => l.name)).toEqual(
      Array.from({ length: Math.floor(ORDER_LIMITS.total / 1000) }, (_, k) => `k${k}`)
    )
    for (const l of kept) expect(l.order).toHaveLength(1000)
  })

  it('survive the profile JSON, and a file whose order does not hold every launch is refused', async () => {
    // ROWS in file order: gemm 100 ns (GPU 0), 200 and 200 ns (GPU 1), 1000 ns (GPU 0).
    const profile = await load(writeTrace(ROWS))
    const key = canonicalKey('kernels', 'gemm')
    expect([...profile.launches!.get(key)!.order!]).toEqual([100, 200, 200, 1000])
    const json = JSON.parse(JSON.stringify(profileToJson(profile))) as {
      tables: { kernelLaunches: { rows: Record<string, { name: string; order?: number[] }> } }
    }
    const row = Object.values(json.tables.kernelLaunches.rows).find((r) => r.name === 'gemm')!
    expect(row.order).toEqual([100, 200, 200, 1000])
    const back = profileFromJson(json, 'p.json')
    expect([...back.launches!.get(key)!.order!]).toEqual([100, 200, 200, 1000])
    row.order = [100, 200]
    expect(() => profileFromJson(json, 'p.json')).toThrow(/order must list each of the 4 launches/)
  })
})

describe('the GPU timeline of several runs', () => {
  it("shows each side's run with the median idle time, and says which", async () => {
    // The last kernel (norm) starts at `at`: GPU 0's window ends 500 ns later and its busy time
    // stays 1670 ns (see ROWS), so its idle time is at + 500 − 1670; GPU 1's is 200 ns in every run.
    const run = (at: number): Promise<Profile> =>
      load(writeTrace([...ROWS.slice(0, -1), kernel(at, 500, 0, 7, '32,1,1', '64,1,1', 'norm')]))
    const base = [await run(4_000_000), await run(2_000_000), await run(3_000_000)]
    const head = [await run(5_000_000), await run(3_000_000)]
    const comparison = compareProfiles(base, head, buildRules({}))
    // Base idle ≈ 4, 2, 3 ms: the median is the third run. Head ≈ 5, 3 ms: the lower of the two,
    // the second. The last runs (3 ms and 3 ms) would have shown no change at all.
    expect(comparison.timeline?.baseRun).toBe(3)
    expect(comparison.timeline?.headRun).toBe(2)
    expect(comparison.timeline?.base?.devices[0]?.idle).toBe(3_000_000 + 500 - 1670)
    expect(comparison.timeline?.head?.devices[0]?.idle).toBe(3_000_000 + 500 - 1670)
    const said = "From each side's run with the median idle time: base run 3 of 3, head run 2 of 2."
    const text = renderText(comparison)
    expect(text).toContain(`GPU timeline (base → head):\n  ${said}\n`)
    expect(text).toContain('idle 3.00 ms → 3.00 ms')
    const markdown = renderMarkdown(comparison)
    expect(markdown).toContain(`<summary>GPU timeline (idle gaps)</summary>\n\n_${said}_\n`)
    // With one run a side there is nothing to choose, and nothing is said.
    const single = compareProfiles([base[0]!], [head[0]!], buildRules({}))
    expect(renderText(single)).not.toContain('median idle time')
    expect(single.timeline?.baseRun).toBe(1)
  })
})

describe('the lead line', () => {
  it('says when the head has more long gaps', async () => {
    const base = await load(writeTrace(ROWS))
    // A 100 ns kernel at 1 ms splits the 1.95 ms gap in two of 0.95 ms and 1.00 ms − 100 ns: both
    // between 100 µs and 1 ms, where the base had one gap over 1 ms: one more gap over 100 µs.
    const rows = [...ROWS]
    rows.splice(6, 0, kernel(1_000_000, 100, 0, 7, '32,1,1', '64,1,1', 'norm'))
    const head = await load(writeTrace(rows))
    const markdown = renderMarkdown(compareProfiles([base], [head], buildRules({})))
    expect(markdown).toMatch(/GPU idle 0\.0% \(-100 ns\), 1 more gap over 100 µs/)
  })
})
