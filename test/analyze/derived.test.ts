import { describe, expect, it } from 'vitest'
import { withDerivedTables } from '../../src/analyze/derived.js'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { profileFromJson, profileToJson } from '../../src/profile/json.js'
import type { Profile } from '../../src/profile/model.js'
import { profile } from '../support/profiles.js'

/**
 * The derived tables in comparisons: computed for both sides at compare time, gated (host
 * synchronisations) or reported (categories, host API time), recorded and re-derived.
 */

const KERNELS = {
  ampere_sgemm_128x64_tn: [6_000_000, 600] as [number, number],
  'void flash::flash_fwd_kernel<x>(flash::Flash_fwd_params)': [3_000_000, 300] as [number, number]
}

/** A decode loop of 512 steps: launches, one stream synchronisation a step, plus `extra` API rows. */
function run(extra: Record<string, [number, number]> = {}, syncNs = 50_000_000): Profile {
  return profile({
    kernels: KERNELS,
    cudaApi: {
      cudaLaunchKernel_v7000: [4_000_000, 900],
      cudaStreamSynchronize_v3020: [syncNs, 512],
      ...extra
    }
  })
}

const rules = buildRules(undefined)
const syncs = (c: Comparison) => c.tables.find((t) => t.table === 'hostSyncs')
const item = (c: Comparison, name: string) => syncs(c)?.items.find((i) => i.name === name)

describe('host synchronisations gate', () => {
  it('a new synchronisation in the loop is a regression (0 → 512 calls)', () => {
    const c = compareProfiles([run()], [run({ cudaDeviceSynchronize: [1_000_000, 512] })], rules)
    expect(c.gate.verdict).toBe('regression')
    expect(c.gate.reasons[0]?.message).toContain('Host synchronisations (calls): 1')
    expect(item(c, 'device synchronisations')).toMatchObject({
      status: 'regressed',
      gated: true,
      delta: 512,
      deltaPct: null,
      floor: 4
    })
    // The kinds that did not change stay unchanged.
    expect(item(c, 'stream synchronisations')?.status).toBe('unchanged')
  })

  it('more calls of a kind the base had: judged by the threshold and the 4-call floor', () => {
    const more = (n: number) =>
      compareProfiles([run()], [run({ cudaStreamSynchronize_v3020: [50_000_000, 512 + n] })], rules)
    // The head's row replaces the base's spelling: 512 + n calls.
    expect(item(more(512), 'stream synchronisations')?.status).toBe('regressed')
    // +20 calls are 3.9 %: under the 5 % threshold.
    expect(item(more(20), 'stream synchronisations')).toMatchObject({
      status: 'unchanged',
      reason: 'below-threshold'
    })
    // From none: no percentage, the floor decides (3 calls < 4; 4 calls, one a step of a
    // four-step profiled window, are a regression).
    const fromNone = (n: number) =>
      compareProfiles([run()], [run({ cudaEventSynchronize: [1000, n] })], rules)
    expect(item(fromNone(3), 'event synchronisations')).toMatchObject({
      status: 'unchanged',
      reason: 'below-floor'
    })
    expect(item(fromNone(4), 'event synchronisations')?.status).toBe('regressed')
    expect(fromNone(4).gate.verdict).toBe('regression')
  })

  it('waiting longer with the same calls is not a regression: the count gates, not the time', () => {
    // A slower GPU (or a faster host) makes each synchronisation wait longer.
    const c = compareProfiles([run()], [run({}, 80_000_000)], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(item(c, 'stream synchronisations')?.status).toBe('unchanged')
    const time = c.tables.find((t) => t.table === 'hostApi')
    expect(time?.gated).toBe(false)
    expect(time?.items.find((i) => i.name === 'synchronisations')?.status).toBe('regressed')
  })

  it('the rules file can report instead of gate, or set its own floor', () => {
    const head = run({ cudaDeviceSynchronize: [1_000_000, 512] })
    const reported = compareProfiles(
      [run()],
      [head],
      buildRules({ tables: { hostSyncs: { gate: false } } })
    )
    expect(reported.gate.verdict).toBe('pass')
    const floor = buildRules({ tables: { hostSyncs: { minShare: 0.1 } } })
    expect(floor.tables.hostSyncs.minDelta).toBeUndefined()
    expect(buildRules({ tables: { hostSyncs: { minDelta: 100 } } }).tables.hostSyncs.minDelta).toBe(
      100
    )
  })

  it('with repeated runs, a new synchronisation is significant (Mann–Whitney)', () => {
    const base = [1, 2, 3, 4, 5].map(() => run())
    const head = [1, 2, 3, 4, 5].map(() => run({ cudaDeviceSynchronize: [1_000_000, 512] }))
    const c = compareProfiles(base, head, rules)
    expect(c.method.kind).toBe('mann-whitney-u')
    expect(item(c, 'device synchronisations')?.significance?.significant).toBe(true)
    expect(c.gate.verdict).toBe('regression')
  })

  it('an API table on one side only: the host tables are left out with a warning, the kernels decide', () => {
    const head = run()
    delete head.tables.cudaApi
    const c = compareProfiles([run()], [head], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(c.tables.map((t) => t.table)).not.toContain('hostSyncs')
    const note = c.notes.find(
      (n) => n.code === 'analysis-one-side' && n.message.startsWith('Host synchronisations')
    )
    expect(note?.severity).toBe('warning')
    expect(note?.message).toMatch(/^Host synchronisations \(calls\): only the base has the report/)
  })

  it('neither side with an API table: no host tables, nothing to say about them', () => {
    const bare = profile({ kernels: KERNELS })
    const c = compareProfiles([bare], [bare], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(c.tables.map((t) => t.table)).toEqual(['kernels', 'categories'])
  })
})

describe('derived tables and profiles', () => {
  it('a baseline written before derived tables existed gets them at compare time', () => {
    const json = JSON.parse(JSON.stringify(profileToJson(run()))) as { tables: object }
    expect(Object.keys(json.tables)).toEqual(['kernels', 'cudaApi'])
    const base = profileFromJson(json, 'old-baseline.json')
    const c = compareProfiles([base], [run()], rules)
    expect(c.tables.map((t) => t.table)).toEqual([
      'kernels',
      'categories',
      'cudaApi',
      'hostApi',
      'hostSyncs'
    ])
    expect(c.gate.verdict).toBe('pass')
  })

  it('a derived table in an input is recomputed from the measured tables, not trusted', () => {
    const forged = profile({
      kernels: KERNELS,
      categories: { GEMM: 1 },
      hostSyncs: { 'device synchronisations': 1 }
    })
    const derived = withDerivedTables(forged, rules)
    expect(derived.tables.categories?.get('GEMM')?.total).toBe(6_000_000)
    expect(derived.tables.hostSyncs).toBeUndefined()
    // The profile given is not changed.
    expect(forged.tables.categories?.get('GEMM')?.total).toBe(1)
  })

  it('derived tables do not count twice in the improvements', () => {
    const faster = profile({
      kernels: { ...KERNELS, ampere_sgemm_128x64_tn: [3_000_000, 600] },
      cudaApi: {
        cudaLaunchKernel_v7000: [4_000_000, 900],
        cudaStreamSynchronize_v3020: [50_000_000, 512]
      }
    })
    const c = compareProfiles([run()], [faster], rules)
    // The GEMM kernel improved, and so did the GEMM category: one improvement.
    expect(c.tables.find((t) => t.table === 'categories')?.counts.improved).toBe(1)
    expect(c.gate.counts.improved).toBe(1)
  })
})

describe('comparison records', () => {
  it('re-derive a host synchronisation regression', () => {
    const c = compareProfiles([run()], [run({ cudaDeviceSynchronize: [1_000_000, 512] })], rules)
    const record = JSON.parse(JSON.stringify(comparisonToRecord(c))) as Record<string, unknown>
    const hostSyncs = (record.tables as Record<string, { items: Record<string, unknown>[] }>)
      .hostSyncs
    expect(hostSyncs?.items.find((i) => i.name === 'device synchronisations')).toMatchObject({
      base: { totalCalls: 0, instances: 0 },
      head: { totalCalls: 512, instances: 512 },
      deltaCalls: 512,
      floorCalls: 4
    })
    const again = rederiveVerdict(record, 'comparison.json')
    expect(again.gate.verdict).toBe('regression')
    expect(again.gate).toEqual(c.gate)
  })

  it('written before the derived tables existed still re-derive', () => {
    const c = compareProfiles([run()], [run()], rules)
    const record = JSON.parse(JSON.stringify(comparisonToRecord(c))) as {
      tables: Record<string, unknown>
      evidence: Record<'base' | 'head', { tables: Record<string, unknown> }>
      rules: { tables: Record<string, unknown>; categories?: unknown }
    }
    for (const name of ['categories', 'hostApi', 'hostSyncs']) {
      delete record.tables[name]
      delete record.evidence.base.tables[name]
      delete record.evidence.head.tables[name]
      delete record.rules.tables[name]
    }
    delete record.rules.categories
    expect(rederiveVerdict(record, 'old.json').gate.verdict).toBe('pass')
  })
})
