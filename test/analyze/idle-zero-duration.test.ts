import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { idleReference } from '../support/idle-reference.js'
import { seededRandom } from '../support/random.js'
import { TimelineAnalysis } from '../../src/analyze/timeline.js'
import { loadInput } from '../../src/load/index.js'
import type { DeviceTimeline } from '../../src/profile/timeline.js'

/**
 * Activities of zero duration (a 0-ns memset, a kernel whose start is its end) occupy no time:
 * they count among a GPU's activities and change no time figure — no gap ends or starts at one,
 * and none bounds the window (docs/timeline.md, "Activities of zero duration"). Every expected
 * figure below is worked out by hand from the activities written in each test, or, for the random
 * traces, by an independent reader written here (drop the 0-ns intervals, sort, merge).
 */

const MS = 1_000_000

type Row = [start: number, duration: number, name: string, stream?: number, device?: number]

function run(rows: readonly Row[], ordered: boolean): DeviceTimeline[] {
  const a = new TimelineAnalysis(ordered)
  for (const [start, duration, name, stream = 1, device = 0] of rows)
    a.add({
      kind: name.startsWith('memset') ? 'memset' : 'kernel',
      name,
      start,
      duration,
      device,
      stream
    })
  return a.finish().timeline.devices
}

function counts(d: DeviceTimeline): number[] {
  return d.gaps.map((g) => g.count)
}

function totals(d: DeviceTimeline): number[] {
  return d.gaps.map((g) => g.total)
}

/**
 * The 1.5 ms example: gemm [0, 100) on stream 1, a 0-ns memset at 700 100, norm
 * [1 500 100, 1 500 200) on stream 2. The GPU is idle from 100 to 1 500 100: one gap of
 * 1 500 000 ns ("over 1 ms"), not 700 000 + 800 000 (two "100 µs–1 ms"). Window 1 500 200,
 * busy 100 + 100 = 200, idle 1 500 000, 3 activities.
 */
const EXAMPLE: Row[] = [
  [0, 100, 'gemm', 1],
  [700_100, 0, 'memset0', 1],
  [1_500_100, 100, 'norm', 2]
]

const EXAMPLE_GAP = {
  start: 100,
  duration: 1.5 * MS,
  before: { name: 'gemm', stream: 1 },
  after: { name: 'norm', stream: 2 }
}

describe('a 0-ns activity inside an idle stretch', () => {
  for (const ordered of [true, false])
    it(`leaves one 1.5 ms gap, not two under 1 ms (ordered=${ordered})`, () => {
      const [d] = run(EXAMPLE, ordered)
      expect(d).toMatchObject({
        device: 0,
        start: 0,
        window: 1_500_200,
        busy: 200,
        idle: 1.5 * MS,
        activities: 3,
        late: 0
      })
      expect(counts(d!)).toEqual([0, 0, 0, 1])
      expect(totals(d!)).toEqual([0, 0, 0, 1.5 * MS])
      expect(d!.gaps[3]).toEqual({ count: 1, total: 1.5 * MS, min: 1.5 * MS, max: 1.5 * MS })
      expect(d!.top).toEqual([EXAMPLE_GAP])
    })

  it('in the gpuIdle table: the whole 1.5 ms in "over 1 ms", nothing in "100 µs–1 ms"', () => {
    const a = new TimelineAnalysis(true)
    for (const [start, duration, name, stream] of EXAMPLE)
      a.add({ kind: 'kernel', name, start, duration, device: 0, stream })
    const table = a.finish().gpuIdle
    expect(table.get('GPU 0: gaps over 1 ms')).toMatchObject({
      total: 1.5 * MS,
      instances: 1,
      min: 1.5 * MS,
      max: 1.5 * MS
    })
    expect(table.get('GPU 0: gaps 100 µs–1 ms')).toMatchObject({ total: 0, instances: 0 })
    expect([...table.values()].reduce((n, s) => n + s.total, 0)).toBe(1.5 * MS)
  })

  it('several in a row, two at one instant, one where the gap starts and one where it ends', () => {
    // 0-ns activities at 100 (gemm's end), 200 000, 200 000 again, 900 000 and 1 500 100 (norm's
    // start, written before norm): still one gap, from gemm's end to norm's start, and the
    // activities named around it are gemm and norm.
    const rows: Row[] = [
      [0, 100, 'gemm', 1],
      [100, 0, 'memset1', 3],
      [200_000, 0, 'memset2', 3],
      [200_000, 0, 'memset3', 4],
      [900_000, 0, 'empty', 1],
      [1_500_100, 0, 'memset4', 3],
      [1_500_100, 100, 'norm', 2]
    ]
    for (const ordered of [true, false]) {
      const [d] = run(rows, ordered)
      expect(d).toMatchObject({ window: 1_500_200, busy: 200, idle: 1.5 * MS, activities: 7 })
      expect(counts(d!)).toEqual([0, 0, 0, 1])
      expect(d!.top).toEqual([EXAMPLE_GAP])
    }
  })

  it('splits nothing inside a busy stretch, at its start or at its end', () => {
    // a [0, 100); 0-ns at 0, 50, 100; b [100, 300) on another stream; 0-ns at 300; c [400, 500).
    // Busy [0, 300) and [400, 500): one gap of 100 ns, from b's end to c's start.
    const rows: Row[] = [
      [0, 0, 'memset0', 2],
      [0, 100, 'a', 1],
      [50, 0, 'memset1', 2],
      [100, 0, 'memset2', 2],
      [100, 200, 'b', 2],
      [300, 0, 'memset3', 2],
      [400, 100, 'c', 1]
    ]
    for (const ordered of [true, false]) {
      const [d] = run(rows, ordered)
      expect(d).toMatchObject({ start: 0, window: 500, busy: 400, idle: 100, activities: 7 })
      expect(counts(d!)).toEqual([1, 0, 0, 0])
      expect(d!.top).toEqual([
        {
          start: 300,
          duration: 100,
          before: { name: 'b', stream: 2 },
          after: { name: 'c', stream: 1 }
        }
      ])
    }
  })
})

describe('a 0-ns activity first or last on a GPU', () => {
  it('does not bound the window: it runs from the first activity with a duration to the last', () => {
    // 0-ns at 0 and 500, a [1000, 2000), b [3000, 4000), 0-ns at 10 000 and 20 000. Window
    // [1000, 4000) = 3000, busy 2000, one gap of 1000 ns. Had the 0-ns ones bounded it: a window
    // of 20 000 and gaps of 1000, 1000 and 6000 (before a, between, after b).
    const rows: Row[] = [
      [0, 0, 'memset0'],
      [500, 0, 'memset1'],
      [1000, 1000, 'a'],
      [3000, 1000, 'b'],
      [10_000, 0, 'memset2'],
      [20_000, 0, 'memset3']
    ]
    for (const ordered of [true, false]) {
      const [d] = run(rows, ordered)
      expect(d).toMatchObject({ start: 1000, window: 3000, busy: 2000, idle: 1000, activities: 6 })
      expect(counts(d!)).toEqual([1, 0, 0, 0])
      expect(totals(d!)).toEqual([1000, 0, 0, 0])
      expect(d!.top).toEqual([
        {
          start: 2000,
          duration: 1000,
          before: { name: 'a', stream: 1 },
          after: { name: 'b', stream: 1 }
        }
      ])
    }
  })

  it('a GPU with only 0-ns activities: counted, with no window, no gaps and no start', () => {
    // GPU 0: one kernel [0, 100). GPU 1: 0-ns activities at 10 and 5 000 000 (5 ms apart).
    const rows: Row[] = [
      [0, 100, 'a', 1, 0],
      [10, 0, 'memset0', 1, 1],
      [5 * MS, 0, 'memset1', 1, 1]
    ]
    for (const ordered of [true, false]) {
      const devices = run(rows, ordered)
      expect(devices.map((d) => d.device)).toEqual([0, 1])
      const gpu1 = devices[1]!
      expect(gpu1).toMatchObject({ window: 0, busy: 0, idle: 0, activities: 2, late: 0 })
      expect(gpu1.start).toBeUndefined()
      expect(counts(gpu1)).toEqual([0, 0, 0, 0])
      expect(gpu1.gaps.every((g) => g.total === 0 && g.min === 0 && g.max === 0)).toBe(true)
      expect(gpu1.top).toEqual([])
      expect(devices[0]).toMatchObject({ start: 0, window: 100, busy: 100, idle: 0, activities: 1 })
    }
  })
})

describe('a 0-ns activity out of order', () => {
  it('in a trace read as ordered (nsys): no reorder, not late, the gap whole', () => {
    // The example with the memset written after norm, 800 000 ns before norm's start: an
    // activity with a duration there would be late (before the current busy stretch).
    const rows: Row[] = [EXAMPLE[0]!, EXAMPLE[2]!, EXAMPLE[1]!]
    const [d] = run(rows, true)
    expect(d).toMatchObject({ window: 1_500_200, busy: 200, idle: 1.5 * MS, late: 0 })
    expect(d!.activities).toBe(3)
    expect(d!.top).toEqual([EXAMPLE_GAP])
    // The same row with 1 ns is late, and said to be: the place the 0-ns one is set aside matters.
    const [late] = run([EXAMPLE[0]!, EXAMPLE[2]!, [700_100, 1, 'memset0', 1]], true)
    expect(late!.late).toBe(1)
  })

  it('past the reorder buffer (Chrome): not late, the figures exact', () => {
    // 20 000 kernels [200 i, 200 i + 100), then a 0-ns memset at 50 (inside the first kernel,
    // long let through by the buffer of 16 384) and one at 150 (in the first gap). Busy
    // 20 000 × 100, window 19 999 × 200 + 100, 19 999 gaps of 100 ns.
    const n = 20_000
    const rows: Row[] = []
    for (let i = 0; i < n; i++) rows.push([200 * i, 100, 'k'])
    rows.push([50, 0, 'memset0'], [150, 0, 'memset1'])
    for (const ordered of [false, true]) {
      const [d] = run(rows, ordered)
      expect(d).toMatchObject({
        start: 0,
        window: 19_999 * 200 + 100,
        busy: n * 100,
        idle: 19_999 * 100,
        activities: n + 2,
        late: 0
      })
      expect(counts(d!)).toEqual([19_999, 0, 0, 0])
      expect(totals(d!)).toEqual([19_999 * 100, 0, 0, 0])
    }
  })
})

describe('read from the traces', () => {
  it('an nsys GPU trace with a 0-ns memset row', async () => {
    const header =
      'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'
    const gpu = 'NVIDIA H100 80GB HBM3 (0)'
    const kernel = (start: number, duration: number, stream: number, name: string): string =>
      `${start},${duration},1,128,1,1,256,1,1,32,0.000,0.000,,,,,${gpu},1,,${stream},${name}`
    const rows = [
      kernel(0, 100, 1, 'gemm'),
      `700100,0,2,,,,,,,,,,0.000,0.000,Device,,${gpu},1,,1,[CUDA memset]`,
      kernel(1_500_100, 100, 2, 'norm')
    ]
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-zero-'))
    const path = join(dir, 'report_cuda_gpu_trace.csv')
    writeFileSync(path, [header, ...rows, ''].join('\n'))
    const [profile] = await loadInput(path)
    const d = profile!.timeline!.devices[0]!
    expect(d).toMatchObject({ window: 1_500_200, busy: 200, idle: 1.5 * MS, activities: 3 })
    expect(counts(d)).toEqual([0, 0, 0, 1])
    expect(d.top).toEqual([EXAMPLE_GAP])
    expect(profile!.tables.gpuIdle!.get('GPU 0: gaps over 1 ms')).toMatchObject({
      total: 1.5 * MS,
      instances: 1
    })
  })

  it('a Chrome trace with a "dur": 0 memset', async () => {
    // µs: gemm [10, 110), memset at 810 with dur 0, norm [1610, 1710): one gap of 1500 µs.
    const ev = (cat: string, name: string, ts: number, dur: number, stream: number): string =>
      `{"ph": "X", "cat": "${cat}", "name": "${name}", "pid": 0, "tid": ${stream}, "ts": ${ts}, "dur": ${dur}, "args": {"stream": ${stream}, "device": 0}}`
    const text = `{"traceEvents": [${[
      ev('kernel', 'gemm', 10, 100, 7),
      ev('gpu_memset', 'Memset (Device)', 810, 0, 7),
      ev('kernel', 'norm', 1610, 100, 8)
    ].join(', ')}]}`
    const path = join(mkdtempSync(join(tmpdir(), 'nsys-bench-zero-')), 'trace.json')
    writeFileSync(path, text)
    const [profile] = await loadInput(path)
    const d = profile!.timeline!.devices[0]!
    expect(d).toMatchObject({ window: 1_700_000, busy: 200_000, idle: 1.5 * MS, activities: 3 })
    expect(counts(d)).toEqual([0, 0, 0, 1])
    expect(d.top).toHaveLength(1)
    expect(d.top[0]).toMatchObject({
      start: d.start! + 100_000,
      duration: 1.5 * MS,
      before: { name: 'gemm', stream: 7 },
      after: { name: 'norm', stream: 8 }
    })
  })
})

describe('random traces with many 0-ns activities', () => {
  for (const ordered of [false, true])
    it(`match the reader that leaves them out, and adding them changes only the count (ordered=${ordered})`, () => {
      for (let seed = 1; seed <= 300; seed++) {
        const r = seededRandom(seed)
        const n = 1 + Math.floor(r() * 50)
        const rows: Row[] = []
        for (let i = 0; i < n; i++) {
          const device = Math.floor(r() * 3)
          const stream = Math.floor(r() * 3)
          const start = Math.floor(r() * 3 * MS)
          rows.push([start, r() < 0.4 ? 0 : Math.floor(r() * 200_000), `k${i}`, stream, device])
          // A 0-ns activity at the start or the end of an interval just written, often.
          const at = rows[rows.length - 1]!
          if (r() < 0.3) rows.push([r() < 0.5 ? at[0] : at[0] + at[1], 0, `z${i}`, stream, device])
        }
        if (ordered) rows.sort((a, b) => a[0] - b[0])
        const got = run(rows, ordered)
        const withoutZero = run(
          rows.filter((row) => row[1] > 0),
          ordered
        )
        for (const d of got) {
          const ctx = `seed ${seed} device ${d.device}`
          const mine = rows.filter((row) => row[4] === d.device)
          const want = idleReference(mine.map(([a, dur]) => [a, a + dur]))
          expect(d.activities, ctx).toBe(mine.length)
          expect(d.start, ctx).toBe(want.start)
          expect(d.window, ctx).toBe(want.window)
          expect(d.busy, ctx).toBe(want.busy)
          expect(d.idle, ctx).toBe(want.window - want.busy)
          expect(d.late, ctx).toBe(0)
          const c = [0, 0, 0, 0]
          const t = [0, 0, 0, 0]
          for (const g of want.gaps) {
            const k = g <= 10_000 ? 0 : g <= 100_000 ? 1 : g <= MS ? 2 : 3
            c[k]! += 1
            t[k]! += g
          }
          expect(counts(d), ctx).toEqual(c)
          expect(totals(d), ctx).toEqual(t)
          expect(
            d.top.map((g) => g.duration),
            ctx
          ).toEqual([...want.gaps].sort((x, y) => y - x).slice(0, 10))
          // The same trace without its 0-ns activities: the same figures, fewer activities.
          const other = withoutZero.find((o) => o.device === d.device)
          const zeros = mine.filter((row) => row[1] === 0).length
          if (other) expect({ ...d, activities: d.activities - zeros }, ctx).toEqual(other)
          else expect(zeros, ctx).toBe(mine.length)
        }
      }
    })
})
