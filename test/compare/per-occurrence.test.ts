import { describe, expect, it } from 'vitest'
import { compareProfiles, type TableDiff } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { profileFromJson, profileToJson } from '../../src/profile/json.js'
import { nvtxKernelName } from '../../src/profile/keys.js'
import type { Profile, Stat, Table, TableName } from '../../src/profile/model.js'
import { renderMarkdown } from '../../src/render/markdown.js'
import { renderText } from '../../src/render/text.js'
import { profile } from '../support/profiles.js'

/**
 * NVTX phases are compared per occurrence (TableSpec.measure 'perOccurrence'): a head that runs
 * more iterations at the same time per iteration is unchanged; a slower iteration regresses.
 * Expected values are worked out by hand in each test.
 */

/** A row of an NVTX table: `total` ns over `instances`, and (nvtxKernels) range `occurrences`. */
function stat(name: string, total: number, instances: number, occurrences?: number): Stat {
  const s: Stat = { name, total, instances, avg: total / instances, min: 0, max: total }
  if (occurrences !== undefined) s.occurrences = occurrences
  return s
}

/** A profile with GPU kernels (so there is gated data) and the NVTX tables given. */
function run(tables: Partial<Record<TableName, Stat[]>>): Profile {
  const p = profile({ kernels: { gemm: [1_000_000, 100] } })
  for (const [name, rows] of Object.entries(tables) as [TableName, Stat[]][]) {
    const table: Table = new Map()
    for (const row of rows) table.set(row.name, row)
    p.tables[name] = table
  }
  return p
}

const table = (diff: ReturnType<typeof compareProfiles>, name: TableName): TableDiff => {
  const t = diff.tables.find((x) => x.table === name)
  if (!t) throw new Error(`no ${name} table`)
  return t
}

const DECODE_ATTN = nvtxKernelName('decode', 'void attn<128>(float const*, int)')

describe('NVTX phases compared per occurrence', () => {
  it('twice the iterations at the same time per occurrence is unchanged (nvtxGpu, nvtxKernels)', () => {
    // Base: 4 decode steps of 9000 ns, attention 3750 ns per decode step (15000 ns over 4).
    // Head: 8 decode steps, 72000 ns (9000 each); attention 30000 ns over 8 (3750 each).
    const base = run({
      nvtxGpu: [stat('decode', 36_000, 4)],
      nvtxKernels: [stat(DECODE_ATTN, 15_000, 4, 4)]
    })
    const head = run({
      nvtxGpu: [stat('decode', 72_000, 8)],
      nvtxKernels: [stat(DECODE_ATTN, 30_000, 8, 8)]
    })
    const diff = compareProfiles([base], [head], buildRules(undefined))
    const gpu = table(diff, 'nvtxGpu')
    expect(gpu.measure).toBe('perOccurrence')
    expect(gpu.items[0]).toMatchObject({ status: 'unchanged', delta: 0, deltaPct: 0 })
    expect(gpu.items[0]?.base?.value).toBe(9000)
    expect(gpu.items[0]?.head?.value).toBe(9000)
    // The table total sums the per-occurrence values: 9000 on both sides, not 36000 → 72000.
    expect(gpu.total).toMatchObject({ base: 9000, head: 9000, status: 'unchanged', gated: false })
    const kernels = table(diff, 'nvtxKernels')
    expect(kernels.items[0]).toMatchObject({ status: 'unchanged', delta: 0 })
    expect(kernels.items[0]?.head?.value).toBe(3750)
    expect(diff.gate.verdict).toBe('pass')
  })

  it('a per-occurrence +20 % regresses, though the head ran fewer occurrences', () => {
    // Base 4 × 9000 ns; head 2 occurrences of 10800 ns (21600 ns): +1800 ns, +20 %.
    // By total it would read as an improvement (36000 → 21600).
    const base = run({ nvtxGpu: [stat('decode', 36_000, 4), stat('prefill', 60_000, 2)] })
    const head = run({ nvtxGpu: [stat('decode', 21_600, 2), stat('prefill', 30_000, 1)] })
    const diff = compareProfiles([base], [head], buildRules(undefined))
    const decode = table(diff, 'nvtxGpu').items.find((i) => i.name === 'decode')
    expect(decode).toMatchObject({ status: 'regressed', delta: 1800, gated: false })
    expect(decode?.deltaPct).toBeCloseTo(20, 9)
    // prefill: 30000 per occurrence on both sides.
    expect(table(diff, 'nvtxGpu').items.find((i) => i.name === 'prefill')?.status).toBe('unchanged')
    // Reported, not gated by default: the verdict stays pass.
    expect(diff.gate.verdict).toBe('pass')
  })

  it('attention in decode +18 %: kernel time per range occurrence, not per launch', () => {
    // Base: 15000 ns over 4 decode steps (3750 each), 4 launches.
    // Head: 4 decode steps, 8 launches (two per step) of 2212.5 ns: 17700 ns = 4425 per step,
    // +18 %, though the time per launch fell from 3750 to 2212.5.
    const base = run({ nvtxKernels: [stat(DECODE_ATTN, 15_000, 4, 4)] })
    const head = run({ nvtxKernels: [stat(DECODE_ATTN, 17_700, 8, 4)] })
    const diff = compareProfiles([base], [head], buildRules(undefined))
    const item = table(diff, 'nvtxKernels').items[0]
    expect(item?.status).toBe('regressed')
    expect(item?.delta).toBe(675)
    expect(item?.deltaPct).toBeCloseTo(18, 9)
  })

  it('a rule gates a range: then the verdict is a regression; the total never gates', () => {
    const rules = buildRules({
      tables: { nvtxGpu: { gateTotal: true } },
      rules: [{ table: 'nvtxGpu', match: '^decode$', gate: true }]
    })
    const base = run({ nvtxGpu: [stat('decode', 36_000, 4)] })
    const head = run({ nvtxGpu: [stat('decode', 21_600, 2)] })
    const diff = compareProfiles([base], [head], rules)
    expect(table(diff, 'nvtxGpu').items[0]).toMatchObject({ status: 'regressed', gated: true })
    // The total (the sum of per-occurrence values) regressed too, but is never gated.
    expect(table(diff, 'nvtxGpu').total).toMatchObject({ status: 'regressed', gated: false })
    expect(diff.gate.verdict).toBe('regression')
    // The record re-derives the same verdict from its per-occurrence values.
    const record = JSON.parse(JSON.stringify(comparisonToRecord(diff))) as Record<string, unknown>
    expect(rederiveVerdict(record, 'record.json').gate.verdict).toBe('regression')
  })

  it('repeated runs: per-run values per occurrence, their medians compared', () => {
    // Base runs: 4 × 9000, 8 × 9000, 4 × 9000 → 9000 each. Head runs: 5 × 9900, 10 × 9900,
    // 5 × 9900 → 9900 each (+10 %), with ever more occurrences than the base.
    const base = [4, 8, 4, 8, 4].map((n) => run({ nvtxGpu: [stat('decode', 9000 * n, n)] }))
    const head = [5, 10, 5, 10, 5].map((n) => run({ nvtxGpu: [stat('decode', 9900 * n, n)] }))
    const diff = compareProfiles(base, head, buildRules(undefined))
    const item = table(diff, 'nvtxGpu').items[0]
    expect(item?.samples).toEqual({
      base: [9000, 9000, 9000, 9000, 9000],
      head: [9900, 9900, 9900, 9900, 9900]
    })
    expect(item?.base?.value).toBe(9000)
    expect(item?.head?.value).toBe(9900)
    expect(item?.delta).toBe(900)
    expect(item?.status).toBe('regressed')
    expect(item?.significance?.significant).toBe(true)
  })

  it('the renderers label per-occurrence numbers', () => {
    const base = run({ nvtxGpu: [stat('decode', 36_000, 4)] })
    const head = run({ nvtxGpu: [stat('decode', 21_600, 2)] })
    const diff = compareProfiles([base], [head], buildRules(undefined))
    const md = renderMarkdown(diff)
    expect(md).toContain(
      'NVTX ranges in GPU time, per occurrence (sum over items): 9.00 µs → 10.80 µs'
    )
    expect(md).toMatch(
      /\| Range +\| Status +\| Base per occurrence +\| Head per occurrence +\|.*\| Occurrences +\|/
    )
    expect(md).toMatch(/`decode` .*\| 9\.00 µs +\| 10\.80 µs +\| .*\| 4 → 2 +\|/)
    const text = renderText(diff)
    expect(text).toContain(
      'NVTX ranges in GPU time, per occurrence (sum over items): 9.00 µs -> 10.80 µs'
    )
    expect(text).toMatch(/9\.00 µs -> 10\.80 µs\/occurrence +decode/)
  })

  it('a profile JSON keeps the occurrences of nvtxKernels rows', () => {
    const p = run({
      nvtxKernels: [stat(DECODE_ATTN, 15_000, 4, 4)],
      nvtxGpu: [stat('decode', 36_000, 4)]
    })
    const back = profileFromJson(JSON.parse(JSON.stringify(profileToJson(p))), 'p.json')
    const row = [...(back.tables.nvtxKernels?.values() ?? [])][0]
    expect(row).toMatchObject({ name: DECODE_ATTN, total: 15_000, instances: 4, occurrences: 4 })
    // The key is the range's and the kernel's (kernel spelling normalised): `float const*` → `const float*`.
    expect([...(back.tables.nvtxKernels?.keys() ?? [])]).toEqual([
      'decode › void attn<128>(const float*, int)'
    ])
  })

  it('time over no occurrence never reaches a verdict: the profile JSON refuses it, compare stops', () => {
    // A gated phase: 1 ms over 10 launches in 10 occurrences (100 µs each); the head claims
    // its 2 ms ran in 0 range instances, which would read as 0 ns per occurrence, an improvement.
    const rules = buildRules({ rules: [{ table: 'nvtxKernels', match: 'decode', gate: true }] })
    const base = run({ nvtxKernels: [stat(DECODE_ATTN, 1_000_000, 10, 10)] })
    const head = run({ nvtxKernels: [stat(DECODE_ATTN, 2_000_000, 10, 0)] })
    const written = JSON.parse(JSON.stringify(profileToJson(head))) as Record<string, unknown>
    expect(() => profileFromJson(written, 'head.json')).toThrow(
      /tables\.nvtxKernels\.rows\["0"\]\.occurrences is 0 for 10 instances/
    )
    // Made by hand in memory, past every reader: not a pass, a stop.
    expect(() => compareProfiles([base], [head], rules)).toThrow(
      /nvtxKernels: 2000000 ns over 0 occurrences reached the compare/
    )
    // With its 10 occurrences, +100% per occurrence: the regression it is.
    const honest = run({ nvtxKernels: [stat(DECODE_ATTN, 2_000_000, 10, 10)] })
    expect(compareProfiles([base], [honest], rules).gate.verdict).toBe('regression')
  })

  it('an NVTX table on one side only is a warning (not gated), an error once a rule gates it', () => {
    const base = run({ nvtxGpu: [stat('decode', 36_000, 4)] })
    const head = run({})
    const diff = compareProfiles([base], [head], buildRules(undefined))
    const note = diff.notes.find((n) => n.code === 'table-missing')
    expect(note).toMatchObject({ severity: 'warning' })
    expect(note?.message).toContain('NVTX ranges in GPU time')
    expect(diff.gate.verdict).toBe('pass')
    const gated = compareProfiles(
      [base],
      [head],
      buildRules({ rules: [{ table: 'nvtxGpu', match: 'decode', gate: true }] })
    )
    expect(gated.notes.find((n) => n.code === 'table-missing')?.severity).toBe('error')
    expect(gated.gate.verdict).toBe('inconclusive')
  })
})

describe('more iterations on the head: totals not comparable, phases are', () => {
  /** Kernels: gemm `total` ns over `launches`; NVTX decode steps as given. */
  function iterations(total: number, launches: number, decode: Stat): Profile {
    const p = profile({ kernels: { gemm: [total, launches] } })
    p.tables.nvtxGpu = new Map([[decode.name, decode]])
    return p
  }
  // Base: 100 launches, 1 ms of gemm, 4 decode steps of 9000 ns. Head: three times the iterations
  // (twice is still inside the default limit, ×0.5 to ×2).
  const base = iterations(1_000_000, 100, stat('decode', 36_000, 4))
  const gateNvtx = { tables: { nvtxGpu: { gate: true } } }

  it('with NVTX phases gated: the totals are shown but do not gate; same time per step passes', () => {
    const head = iterations(3_000_000, 300, stat('decode', 108_000, 12))
    const diff = compareProfiles([base], [head], buildRules(gateNvtx))
    const note = diff.notes.find((n) => n.code === 'totals-not-comparable')
    expect(note?.severity).toBe('warning')
    expect(note?.message).toMatch(
      /launched 100 times on the base and 300 on the head \(×3; .*the verdict rests on NVTX ranges in GPU time, compared per occurrence\.$/
    )
    expect(diff.notes.map((n) => n.code)).not.toContain('launches-changed')
    // gemm tripled (+200 %): shown as regressed, not gated.
    const gemm = table(diff, 'kernels').items[0]
    expect(gemm).toMatchObject({ status: 'regressed', gated: false, deltaPct: 200 })
    expect(table(diff, 'kernels').total.gated).toBe(false)
    expect(table(diff, 'nvtxGpu').items[0]).toMatchObject({ status: 'unchanged', gated: true })
    expect(diff.gate.verdict).toBe('pass')
    const record = JSON.parse(JSON.stringify(comparisonToRecord(diff))) as unknown
    expect(rederiveVerdict(record, 'record.json').gate.verdict).toBe('pass')
  })

  it('with NVTX phases gated: a slower step regresses (9000 → 10800 ns per step, +20 %)', () => {
    const head = iterations(3_000_000, 300, stat('decode', 129_600, 12))
    const diff = compareProfiles([base], [head], buildRules(gateNvtx))
    expect(table(diff, 'nvtxGpu').items[0]).toMatchObject({ status: 'regressed', gated: true })
    expect(diff.gate.verdict).toBe('regression')
    expect(diff.gate.reasons[0]?.message).toMatch(/NVTX ranges in GPU time: 1/)
  })

  it('without gated phases: inconclusive, and the note says how to judge per occurrence', () => {
    const head = iterations(3_000_000, 300, stat('decode', 108_000, 12))
    const diff = compareProfiles([base], [head], buildRules(undefined))
    expect(diff.gate.verdict).toBe('inconclusive')
    const note = diff.notes.find((n) => n.code === 'launches-changed')
    expect(note?.message).toContain('Gate NVTX phases')
  })
})
