import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { benjaminiHochberg, launchRankTest } from '../../src/compare/statistics.js'
import { loadInput } from '../../src/load/index.js'
import type { Profile } from '../../src/profile/model.js'
import { bucketOf } from '../../src/profile/sketch.js'
import { renderHtml } from '../../src/render/html.js'
import { renderMarkdown } from '../../src/render/markdown.js'
import { renderText } from '../../src/render/text.js'

/**
 * Testing launch by launch, one run a side (compare/launches.ts): the rank test against a direct
 * computation written here, Benjamini–Hochberg on textbook cases, and comparisons of GPU traces
 * built for the purpose.
 */

/** Mann–Whitney z from the values themselves: midranks over the pooled sample, tie-corrected. */
function directZ(base: number[], head: number[]): number {
  const all = [...base.map((v) => ({ v, head: false })), ...head.map((v) => ({ v, head: true }))]
  all.sort((a, b) => a.v - b.v)
  const ranks = new Array<number>(all.length)
  let ties = 0
  for (let i = 0; i < all.length;) {
    let j = i
    while (j < all.length && all[j]!.v === all[i]!.v) j++
    for (let k = i; k < j; k++) ranks[k] = (i + j + 1) / 2
    const t = j - i
    ties += t ** 3 - t
    i = j
  }
  const n = base.length
  const m = head.length
  const rankSum = all.reduce((s, x, k) => s + (x.head ? ranks[k]! : 0), 0)
  const u = rankSum - (m * (m + 1)) / 2
  const N = n + m
  const variance = ((n * m) / 12) * (N + 1 - ties / (N * (N - 1)))
  return (u - (n * m) / 2) / Math.sqrt(variance)
}

/** Values as sketch buckets; below 128 ns every value is its own bucket, so nothing is lost. */
function buckets(values: number[]): [number, number][] {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(bucketOf(v), (counts.get(bucketOf(v)) ?? 0) + 1)
  return [...counts].sort((a, b) => a[0] - b[0])
}

describe('the launch rank test', () => {
  it('is the Mann–Whitney test with ties, computed from buckets', () => {
    const base = [10, 12, 12, 13, 15, 15, 15, 20, 21, 30, 31, 40]
    const head = [12, 15, 22, 22, 25, 31, 33, 41, 45, 50]
    const { z } = launchRankTest(buckets(base), buckets(head))
    expect(z).toBeCloseTo(directZ(base, head), 10)
    expect(launchRankTest(buckets(head), buckets(base)).z).toBeCloseTo(-z, 10)
  })

  it('says nothing when every launch is alike', () => {
    expect(launchRankTest([[100, 5]], [[100, 7]]).p).toBe(1)
  })
})

describe('Benjamini–Hochberg', () => {
  it('keeps the p values up to the largest below its rank’s line', () => {
    // Thresholds k × 0.05 / 8: 0.00625, 0.0125, 0.01875, …: only the first two pass.
    const ps = [0.041, 0.001, 0.205, 0.039, 0.008, 0.06, 0.042, 0.074]
    expect(benjaminiHochberg(ps, 0.05)).toEqual([
      false,
      true,
      false,
      false,
      true,
      false,
      false,
      false
    ])
    // A later p under its line brings the earlier ones with it: 0.03 ≤ 2 × 0.05 / 2.
    expect(benjaminiHochberg([0.04, 0.03], 0.05)).toEqual([true, true])
    expect(benjaminiHochberg([], 0.05)).toEqual([])
  })
})

const HEADER =
  'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'

/** A GPU trace of the given kernels, one after the other, 1 µs apart. */
async function trace(kernels: [string, number][]): Promise<Profile> {
  let start = 0
  const rows = kernels.map(([name, duration]) => {
    const row = `${start},${duration},1,1,1,1,32,1,1,32,0.000,0.000,,,,,NVIDIA H100 80GB HBM3 (0),1,,7,${name}`
    start += duration + 1000
    return row
  })
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-launches-'))
  const path = join(dir, 'run_cuda_gpu_trace.csv')
  writeFileSync(path, [HEADER, ...rows, ''].join('\n'))
  const [profile] = await loadInput(path)
  return profile!
}

const repeat = (name: string, durations: number[]): [string, number][] =>
  durations.map((d) => [name, d])

describe('one run a side, with GPU traces', () => {
  // gemm: 50 launches of 990–1,039 ns, then 10 % longer each: a real shift.
  const gemmBase = Array.from({ length: 50 }, (_, i) => 990 + i)
  const gemmHead = gemmBase.map((d) => Math.round(d * 1.1))
  // norm: 20 launches of 1,000 ns; the head's are the same but one of 2,200 ns: +6 % in total,
  // past the 5 % threshold, from one launch.
  const normBase = Array.from({ length: 20 }, () => 1000)
  const normHead = [...normBase.slice(1), 2200]

  it('counts the shift of every launch, not the one slow launch', async () => {
    const base = await trace([...repeat('gemm', gemmBase), ...repeat('norm', normBase)])
    const head = await trace([...repeat('gemm', gemmHead), ...repeat('norm', normHead)])
    const rules = buildRules({})
    const comparison = compareProfiles([base], [head], rules)
    const kernels = comparison.tables.find((t) => t.table === 'kernels')!
    const gemm = kernels.items.find((i) => i.key === 'gemm')!
    const norm = kernels.items.find((i) => i.key === 'norm')!
    expect(gemm.status).toBe('regressed')
    expect(gemm.launches).toMatchObject({ significant: true })
    expect(gemm.launches!.p).toBeLessThan(1e-6)
    // The 25th of 990…1039 is 1014, read at the middle of its bucket [1012, 1016).
    expect(gemm.launches!.base).toMatchObject({ launches: 50, p50: 1013.5 })
    expect(norm).toMatchObject({ status: 'unchanged', reason: 'not-significant' })
    expect(norm.deltaPct).toBeCloseTo(6, 5)
    expect(comparison.notes.find((n) => n.code === 'launch-tests')?.message).toContain(
      '2 kernels whose change passed the thresholds were tested launch by launch'
    )
    // The warning of one run a side says so too, and what that test cannot see; not that there
    // is no test at all.
    const single = comparison.notes.find((n) => n.code === 'no-significance-test')?.message
    expect(single).toContain(
      'tested launch by launch on the GPU trace (10 launches a side or more)'
    )
    expect(single).toContain('cannot see that variation')
    expect(single).not.toContain('no significance test')
    // The record re-derives the same verdict from the p values it carries.
    const record = JSON.parse(JSON.stringify(comparisonToRecord(comparison))) as unknown
    expect(rederiveVerdict(record, 'record.json').gate).toEqual(comparison.gate)
    const markdown = renderMarkdown(comparison)
    expect(markdown).toMatch(/\| p \(launches\) \| Launch p50 \| Launch p99 \|/)
    // The method line says how the changes were judged, in every report.
    const method =
      'one run a side: thresholds, then a launch-by-launch test of the kernels past them (GPU trace)'
    expect(markdown).toContain(method)
    expect(renderText(comparison)).toContain(method)
    expect(renderHtml(comparison)).toContain(method)
    // Tables the traces fill with no rows on either side (no copies here): one line, no empty
    // <details> blocks.
    expect(markdown).toContain(
      '_No rows on either side: GPU memory operations (time), GPU memory operations (size)'
    )
    expect(markdown).not.toMatch(/<summary>GPU memory operations/)
    expect(renderText(comparison)).toContain(
      'No rows on either side: GPU memory operations (time), GPU memory operations (size)'
    )
    // The HTML page lists them in its breakdown, with no empty section of their own.
    const html = renderHtml(comparison)
    expect(html).toContain('<th scope="row">GPU memory operations (time)</th>')
    expect(html).not.toContain('GPU memory operations (time): 0 items')
  })

  it('keeps the thresholds alone for kernels launched fewer than 10 times', async () => {
    const base = await trace(repeat('init', [1000, 1000, 1000]))
    const head = await trace(repeat('init', [1000, 1000, 1300]))
    const comparison = compareProfiles([base], [head], buildRules({}))
    const init = comparison.tables[0]!.items.find((i) => i.key === 'init')!
    expect(init.status).toBe('regressed')
    expect(init.launches).toBeUndefined()
  })

  it('counts a kernel launched twice as often, every launch as long: the same work done twice', async () => {
    // norm: 20 launches of 1,000 ns on the base, 40 on the head. The launch test finds the
    // launches alike (p = 1), but the total doubled with the count: by hand, base 20,000 ns,
    // head 40,000 ns, +100 %; the count alone (40 / 20) passes the thresholds. gemm: unchanged.
    const base = await trace([...repeat('gemm', gemmBase), ...repeat('norm', normBase)])
    const head = await trace([
      ...repeat('gemm', gemmBase),
      ...repeat('norm', [...normBase, ...normBase])
    ])
    const comparison = compareProfiles([base], [head], buildRules({}))
    const norm = comparison.tables[0]!.items.find((i) => i.key === 'norm')!
    expect(norm).toMatchObject({ status: 'regressed', deltaPct: 100 })
    expect(norm.launches).toMatchObject({ p: 1, significant: false, byCount: true })
    expect(comparison.gate.verdict).toBe('regression')
    expect(comparison.notes.find((n) => n.code === 'launch-tests')?.message).toContain(
      '0 changes were not significant and do not count. 1 change that the launch durations do not explain counts all the same'
    )
    expect(renderMarkdown(comparison)).toContain('(launches 20 → 40)')
    const record = JSON.parse(JSON.stringify(comparisonToRecord(comparison))) as unknown
    expect(rederiveVerdict(record, 'record.json').gate).toEqual(comparison.gate)

    // Half as often: improved, as counted.
    const fewer = compareProfiles([head], [base], buildRules({}))
    expect(fewer.tables[0]!.items.find((i) => i.key === 'norm')).toMatchObject({
      status: 'improved',
      launches: { byCount: true }
    })

    // One launch more, and slow: by hand, gemm 50,725 ns → 53,325 ns (+5.1 %, past the
    // threshold), but one more launch of 50 alone is +2 %: the launch test decides, unchanged.
    const oneMore = await trace([
      ...repeat('gemm', [...gemmBase, 2600]),
      ...repeat('norm', normBase)
    ])
    const gemm = compareProfiles([base], [oneMore], buildRules({})).tables[0]!.items.find(
      (i) => i.key === 'gemm'
    )!
    expect(gemm.deltaPct).toBeCloseTo(5.126, 2)
    expect(gemm).toMatchObject({ status: 'unchanged', reason: 'not-significant' })
    expect(gemm.launches?.byCount).toBeUndefined()
  })

  it('says there is no test at all where a side has no trace', async () => {
    // The base from a trace, the head from a kernel summary: no launches to test on one side.
    const base = await trace(repeat('gemm', gemmBase))
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-launches-'))
    const path = join(dir, 'run_cuda_gpu_kern_sum.csv')
    const total = gemmHead.reduce((a, b) => a + b, 0)
    writeFileSync(
      path,
      `Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n100.0,${total},50,${(total / 50).toFixed(1)},${(total / 50).toFixed(1)},${Math.min(...gemmHead)},${Math.max(...gemmHead)},15.0,gemm\n`
    )
    const [head] = await loadInput(path)
    const comparison = compareProfiles([base], [head!], buildRules({}))
    expect(comparison.notes.find((n) => n.code === 'no-significance-test')?.message).toBe(
      'One run a side: changes are judged on the thresholds alone, with no significance test. Use 5 or more runs a side (the action: `repetitions: 5`).'
    )
    const gemm = comparison.tables[0]!.items.find((i) => i.key === 'gemm')!
    expect(gemm.status).toBe('regressed')
    expect(gemm.launches).toBeUndefined()
  })
})
