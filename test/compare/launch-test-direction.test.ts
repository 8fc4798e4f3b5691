/**
 * The launch test confirms a change only in the direction the kernel's total moved: a total that
 * grew is confirmed by launches that got longer, never by launches that got shorter. Expected
 * values by hand (Wilcoxon's signed-rank z, paired by order, and the pooled rank test's sign).
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { directedP } from '../../src/compare/launches.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadInput } from '../../src/load/index.js'
import type { Profile } from '../../src/profile/model.js'

const HEADER =
  'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'

/**
 * A GPU trace of a kernel's launches, then 100 launches of 10 µs of another kernel that never
 * changes (so the table's totals move by less than their threshold), one after the other, 1 µs
 * apart.
 */
async function trace(name: string, durations: number[]): Promise<Profile> {
  let start = 0
  const launches: [string, number][] = [
    ...durations.map((d): [string, number] => [name, d]),
    ...Array.from({ length: 100 }, (): [string, number] => ['steady', 10_000])
  ]
  const rows = launches.map(([name, duration]) => {
    const row = `${start},${duration},1,1,1,1,32,1,1,32,0.000,0.000,,,,,NVIDIA H100 80GB HBM3 (0),1,,7,${name}`
    start += duration + 1000
    return row
  })
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-direction-'))
  const path = join(dir, 'run_cuda_gpu_trace.csv')
  writeFileSync(path, [HEADER, ...rows, ''].join('\n'))
  const [profile] = await loadInput(path)
  return profile!
}

describe('the launch test of one run a side', () => {
  // 100 launches of 1,000 ns; on the head 90 of them take 950 ns and 10 take 2,000 ns: by hand
  // the total goes 100,000 → 105,500 ns (+5.5 %, past the 5 % threshold), launched as often.
  // Paired by order, 90 pairs got shorter (|log 0.95|, ranks 1–90, mean 45.5) and 10 longer
  // (log 2, ranks 91–100, mean 95.5): W+ = 955 against a mean of 2,525, sd 263.4, z = −5.96.
  // The launches got shorter, which cannot confirm that the kernel got slower.
  const baseDurations = Array.from({ length: 100 }, () => 1000)
  const headDurations = baseDurations.map((_, k) => (k % 10 === 9 ? 2000 : 950))

  it('does not confirm a total that grew with launches that got shorter', async () => {
    const base = await trace('gemm', baseDurations)
    const head = await trace('gemm', headDurations)
    const comparison = compareProfiles([base], [head], buildRules({}))
    const gemm = comparison.tables[0]!.items.find((i) => i.key === 'gemm')!
    expect(gemm.deltaPct).toBeCloseTo(5.5, 6)
    expect(gemm.launches).toMatchObject({ paired: true, p: 1, significant: false })
    expect(gemm).toMatchObject({ status: 'unchanged', reason: 'not-significant' })
    expect(comparison.gate.verdict).toBe('pass')
    const record = JSON.parse(JSON.stringify(comparisonToRecord(comparison))) as unknown
    expect(rederiveVerdict(record, 'record.json').gate).toEqual(comparison.gate)
  })

  it('the same, pooled (launch counts differ, so no pairs)', async () => {
    // One launch of 1,000 ns more on the base: 101 against 100, pooled rank test. The base's
    // launches are all 1,000 ns; 90 of the head's are shorter and 10 longer: U of the head is
    // 10 × 101 = 1,010 of 10,100 pairs, far below the mean of 5,050 (z < 0). Total +4.5 %
    // against 101,000 ns: by hand 105,500 / 101,000 − 1 = +4.46 %, so use a 4 % threshold.
    const base = await trace('gemm', [...baseDurations, 1000])
    const head = await trace('gemm', headDurations)
    const comparison = compareProfiles([base], [head], buildRules({}, { threshold: 4 }))
    const gemm = comparison.tables[0]!.items.find((i) => i.key === 'gemm')!
    expect(gemm.deltaPct).toBeCloseTo((105_500 / 101_000 - 1) * 100, 6)
    expect(gemm.launches?.paired).toBeUndefined()
    expect(gemm.launches).toMatchObject({ p: 1, significant: false })
    expect(gemm).toMatchObject({ status: 'unchanged', reason: 'not-significant' })
  })

  it('still confirms launches that got longer, and an improvement from launches that got shorter', async () => {
    const base = await trace('gemm', baseDurations)
    const slower = await trace(
      'gemm',
      baseDurations.map((d) => d * 1.1)
    )
    const up = compareProfiles([base], [slower], buildRules({})).tables[0]!.items.find(
      (i) => i.key === 'gemm'
    )!
    expect(up).toMatchObject({ status: 'regressed', launches: { significant: true } })
    expect(up.launches!.p).toBeLessThan(1e-6)
    const down = compareProfiles([slower], [base], buildRules({})).tables[0]!.items.find(
      (i) => i.key === 'gemm'
    )!
    expect(down).toMatchObject({ status: 'improved', launches: { significant: true } })
  })

  it('directedP: the two-sided p when the test goes the change’s way, else 1', () => {
    expect(directedP({ p: 0.001, z: 3.3 }, 500)).toBe(0.001)
    expect(directedP({ p: 0.001, z: -3.3 }, -500)).toBe(0.001)
    expect(directedP({ p: 0.001, z: -3.3 }, 500)).toBe(1)
    expect(directedP({ p: 0.001, z: 3.3 }, -500)).toBe(1)
    expect(directedP({ p: 1, z: 0 }, 500)).toBe(1)
  })
})
