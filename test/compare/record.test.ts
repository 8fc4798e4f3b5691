import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { comparisonToRecord, recordJson, rederiveVerdict } from '../../src/compare/record.js'
import { demoProfiles } from '../../src/demo/demo.js'
import { buildRules } from '../../src/compare/rules.js'
import type { Profile } from '../../src/profile/model.js'
import { profile, runs } from '../support/profiles.js'

/** A comparison as the JSON file a reader gets (compare --format json, comparison.json). */
function record(c: Comparison): Record<string, any> {
  return JSON.parse(JSON.stringify(comparisonToRecord(c))) as Record<string, any>
}

/** The record's item of a kernel, by name. */
function item(r: Record<string, any>, name: string): Record<string, any> {
  const items = r.tables.kernels.items as Record<string, any>[]
  const found = items.find((i) => i.name === name)
  if (!found) throw new Error(`no ${name} in the record`)
  return found
}

const now = new Date('2026-11-29T12:00:00Z')
const KERNELS = { gemm: 6_000_000, attn: 3_000_000, norm: 1_000_000 }
const one = (scale: Partial<typeof KERNELS> = {}, meta: Partial<Profile['meta']> = {}): Profile =>
  profile({ kernels: { ...KERNELS, ...scale }, memTime: { '[CUDA memcpy HtoD]': 100_000 } }, meta)

describe('the comparison record', () => {
  it('records every input of the verdict: rules inline, method, runs, day, tool, both sides', () => {
    const rules = buildRules({
      threshold: 3,
      rules: [{ table: 'kernels', match: '^norm$', threshold: 20 }],
      accept: [{ pattern: '^attn$', reason: 'known', until: '2026-12-31' }],
      checks: { minMatchedShare: 60 }
    })
    const r = record(
      compareProfiles(
        [
          one(
            {},
            {
              gpus: [{ name: 'NVIDIA H100 80GB HBM3', driver: '550.54.15' }],
              sources: ['base.csv']
            }
          )
        ],
        [
          one(
            { attn: 3_300_000 },
            { gpus: [{ name: 'NVIDIA H100 80GB HBM3' }], sources: ['head.csv'] }
          )
        ],
        rules,
        { now }
      )
    )
    expect(r).toMatchObject({
      kind: 'nsys-bench/comparison',
      schemaVersion: 1,
      tool: { name: 'nsys-bench' },
      verdict: 'accepted',
      runs: { base: 1, head: 1 },
      method: { kind: 'single-run' },
      today: '2026-11-29',
      base: { sources: ['base.csv'], gpus: [{ driver: '550.54.15' }] },
      head: { sources: ['head.csv'] }
    })
    expect(r.rules).toMatchObject({
      alpha: 0.05,
      tables: { kernels: { threshold: 3, minShare: 0.1, gate: true, gateTotal: true } },
      rules: [{ table: 'kernels', match: '^norm$', threshold: 20, ignore: false }],
      accept: [{ pattern: '^attn$', reason: 'known', until: '2026-12-31' }],
      checks: { minMatchedShare: 60, gpuMismatch: 'inconclusive' }
    })
    expect(item(r, 'attn')).toMatchObject({
      status: 'regressed',
      deltaNs: 300_000,
      threshold: 3,
      floorNs: 10_000,
      accepted: { by: 'rule', pattern: '^attn$' }
    })
  })

  it("writes a side's fields in encodeStat's order, its own name only where it differs, and per-occurrence values", () => {
    // One kernel key spelled two ways: the item is named as the head spells it, the base side
    // keeps its own spelling.
    const spelled = (name: string): Profile => {
      const p = profile({})
      p.tables.kernels = new Map([
        [
          'void f(const float*)',
          { name, total: 4_000, instances: 2, avg: 2_000, min: 1_500, max: 2_500, med: 2_000 }
        ]
      ])
      p.tables.nvtxKernels = new Map([
        [
          'decode › f',
          {
            name: 'decode › f',
            total: 15_000,
            instances: 4,
            avg: 3_750,
            min: 0,
            max: 15_000,
            occurrences: 4
          }
        ]
      ])
      return p
    }
    const r = record(
      compareProfiles(
        [spelled('void f(float const*)')],
        [spelled('void f(const float *)')],
        buildRules(undefined),
        { now }
      )
    )
    const kernel = (r.tables.kernels.items as Record<string, any>[])[0]!
    expect(kernel.name).toBe('void f(const float *)')
    expect(Object.entries(kernel.base as object)).toEqual([
      ['name', 'void f(float const*)'],
      ['totalNs', 4_000],
      ['instances', 2],
      ['avgNs', 2_000],
      ['minNs', 1_500],
      ['maxNs', 2_500],
      ['medNs', 2_000],
      ['runs', 1]
    ])
    expect(Object.keys(kernel.head as object)[0]).toBe('totalNs')
    const phase = (r.tables.nvtxKernels.items as Record<string, any>[])[0]!
    // 15,000 ns over 4 occurrences of the range: 3,750 ns an occurrence.
    expect(Object.entries(phase.base as object)).toEqual([
      ['totalNs', 15_000],
      ['instances', 4],
      ['avgNs', 3_750],
      ['minNs', 0],
      ['maxNs', 15_000],
      ['occurrences', 4],
      ['perOccurrenceNs', 3_750],
      ['runs', 1]
    ])
    expect(Object.keys(phase)).toEqual([
      'name',
      'status',
      'base',
      'head',
      'deltaNs',
      'deltaPct',
      'sharePct',
      'gated',
      'threshold',
      'floorNs',
      'direction'
    ])
  })

  const cases: [string, () => Comparison][] = [
    ['pass', () => compareProfiles([one()], [one()], buildRules(undefined), { now })],
    [
      'regression, one run a side',
      () => compareProfiles([one()], [one({ attn: 3_600_000 })], buildRules(undefined), { now })
    ],
    [
      'regression, five runs a side (Mann–Whitney)',
      () =>
        compareProfiles(
          runs(KERNELS, [1, 1.01, 0.99, 1.005, 0.995]),
          runs({ ...KERNELS, attn: 3_400_000 }, [1, 1.01, 0.99, 1.005, 0.995]),
          buildRules(undefined),
          { now }
        )
    ],
    [
      'inconclusive (an empty head)',
      () => {
        const head = one()
        head.tables.kernels = new Map()
        return compareProfiles([one()], [head], buildRules(undefined), { now })
      }
    ],
    [
      'accepted by a label',
      () =>
        compareProfiles([one()], [one({ attn: 3_600_000 })], buildRules(undefined), {
          now,
          acceptLabel: 'ok'
        })
    ],
    [
      'a changed variant',
      () =>
        compareProfiles(
          [profile({ kernels: { big: 9_000_000, ampere_sgemm_128x64_tn: 1_000_000 } })],
          [profile({ kernels: { big: 9_000_000, ampere_sgemm_128x128_nn: 1_500_000 } })],
          buildRules(undefined),
          { now }
        )
    ]
  ]
  for (const [what, make] of cases) {
    it(`re-derives its verdict from the record alone: ${what}`, () => {
      const c = make()
      const again = rederiveVerdict(record(c), 'comparison.json')
      expect(again.recorded).toBe(c.gate.verdict)
      expect(again.gate).toEqual(c.gate)
    })
  }

  it('trusts nothing it can derive: an edited number changes the verdict, an edited verdict is caught', () => {
    const c = compareProfiles([one()], [one({ attn: 3_600_000 })], buildRules(undefined), { now })
    const edited = record(c)
    const attn = item(edited, 'attn')
    attn.head.totalNs = 3_000_000
    attn.status = 'regressed' // a status written by hand means nothing
    edited.tables.kernels.total.headNs = 10_000_000
    expect(rederiveVerdict(edited, 'x.json')).toMatchObject({
      recorded: 'regression',
      gate: { verdict: 'pass' }
    })
    const flipped = record(c)
    flipped.verdict = 'pass'
    expect(rederiveVerdict(flipped, 'x.json')).toMatchObject({
      recorded: 'pass',
      gate: { verdict: 'regression' }
    })
  })

  it('refuses what is not a record, and repeated runs without their samples', () => {
    expect(() => rederiveVerdict({ kind: 'nsys-bench/profile' }, 'p.json')).toThrow(
      /p\.json: not a valid nsys-bench comparison record: "kind" must be "nsys-bench\/comparison"/
    )
    const c = compareProfiles(
      runs(KERNELS, [1, 1, 1, 1, 1]),
      runs(KERNELS, [1, 1, 1, 1, 1]),
      buildRules(undefined),
      { now }
    )
    const r = record(c)
    delete r.tables.kernels.items[0].samples
    expect(() => rederiveVerdict(r, 'r.json')).toThrow(/samples" is missing/)
  })

  it('says a record of a later schemaVersion was written by a newer nsys-bench, and to upgrade', () => {
    const r = record(compareProfiles([one()], [one()], buildRules(undefined), { now }))
    r.schemaVersion = 2
    expect(() => rederiveVerdict(r, 'r.json')).toThrow(
      'r.json: this comparison record has schemaVersion 2, written by a newer nsys-bench; this one reads 1. Upgrade nsys-bench.'
    )
    // Not a version at all: not a record.
    for (const version of [0, '2', 1.5, undefined]) {
      r.schemaVersion = version
      expect(() => rederiveVerdict(r, 'r.json'), String(version)).toThrow(
        /not a valid nsys-bench comparison record: "schemaVersion" .* is not one this nsys-bench reads \(1\)/
      )
    }
  })

  it('refuses a "today" that is no calendar day (acceptances expire by it)', () => {
    const r = record(compareProfiles([one()], [one()], buildRules(undefined), { now }))
    r.today = '2026-02-30'
    expect(() => rederiveVerdict(r, 'r.json')).toThrow(/"today" must be YYYY-MM-DD/)
  })
})

describe('the record written in pieces (recordJson)', () => {
  // JSON.stringify of the whole record is the reference: the pieces must join to its bytes.
  const whole = (c: Comparison): string => JSON.stringify(comparisonToRecord(c))
  const pieces = (c: Comparison): string[] => [...recordJson(c)]

  it('joins to JSON.stringify of the record: the demo, one run and five runs a side', async () => {
    for (const n of [1, 5]) {
      const { base, head } = await demoProfiles(n)
      const c = compareProfiles(base, head, buildRules(undefined), { now })
      expect(pieces(c).join('')).toBe(whole(c))
    }
  })

  it('joins to it with hostile names, names beyond Latin-1, many items and no tables', () => {
    const names: Record<string, number> = {}
    // Enough long names for several pieces of 2^18 characters.
    for (let i = 0; i < 3000; i++) names[`kernel_${i}_${'x'.repeat(200)}`] = 1000 + i
    names['"]},{"items":[\\u0000</script>'] = 5_000
    names['attention→decode – 注意力 \u2028 😀'] = 7_000
    const base = profile({ kernels: names, nvtx: { 'décode – ステップ': 10 } })
    const head = profile({
      kernels: { ...names, 'attention→decode – 注意力 \u2028 😀': 9_000, nouveau: 3 },
      nvtx: { 'décode – ステップ': 12 }
    })
    const c = compareProfiles([base], [head], buildRules(undefined), { now })
    const out = pieces(c)
    expect(out.length).toBeGreaterThan(3)
    expect(out.join('')).toBe(whole(c))
    const empty = compareProfiles([profile({})], [profile({})], buildRules(undefined), { now })
    expect(pieces(empty).join('')).toBe(whole(empty))
  })
})

describe("the memory operations' floor in a record", () => {
  it('is a share of the GPU time (shareOfNs); a record without it re-derives from the table total, as it was written', () => {
    // Kernels 10 ms, copies 100 µs: the floor is 0.1 % of 10.1 ms = 10.1 µs. A copy 8 µs (8 %)
    // longer passes the threshold and not that floor.
    const c = compareProfiles(
      [one()],
      [profile({ kernels: KERNELS, memTime: { '[CUDA memcpy HtoD]': 108_000 } })],
      buildRules(undefined),
      { now }
    )
    expect(c.gate.verdict).toBe('pass')
    const r = record(c)
    expect(r.tables.memTime.shareOfNs).toBe(10_100_000)
    expect(r.tables.memTime.items[0]).toMatchObject({
      status: 'unchanged',
      reason: 'below-floor',
      floorNs: 10_100
    })
    expect(rederiveVerdict(r, 'r.json').gate.verdict).toBe('pass')
    // Written before 2026-11-30: the floor was 0.1 % of the copies' 100 µs, 100 ns, and the copy
    // regressed; the record re-derives that.
    delete r.tables.memTime.shareOfNs
    expect(rederiveVerdict(r, 'r.json').gate.verdict).toBe('regression')
  })
})
