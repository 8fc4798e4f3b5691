import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { GAP_CLASSES } from '../../src/analyze/idle.js'
import type { Profile, ProfileMeta } from '../../src/profile/model.js'
import type { DeviceTimeline } from '../../src/profile/timeline.js'
import { profile } from '../support/profiles.js'

/**
 * The verdict and its reasons: one test per reason a comparison is inconclusive, accepted or a
 * regression, each with the threshold that decides it set from the rules file as well.
 */
const rules = buildRules(undefined)
const KERNELS = { gemm: [6_000_000, 60], attn: [3_000_000, 30], norm: [1_000_000, 10] } as const
const base = (meta: Partial<ProfileMeta> = {}): Profile =>
  profile(
    {
      kernels: { gemm: [...KERNELS.gemm], attn: [...KERNELS.attn], norm: [...KERNELS.norm] },
      memTime: { '[CUDA memcpy HtoD]': [100_000, 4] }
    },
    meta
  )
const codes = (c: Comparison): string[] => c.gate.reasons.map((r) => r.code)
const note = (c: Comparison, code: string) => c.notes.find((n) => n.code === code)

describe('a head that can be compared', () => {
  it('passes when nothing moved', () => {
    const c = compareProfiles([base()], [base()], rules)
    expect(c.gate).toMatchObject({ verdict: 'pass', reasons: [] })
  })

  it('is a regression when a gated kernel slows down, with the reason', () => {
    const head = base()
    head.tables.kernels?.set('attn', { ...head.tables.kernels.get('attn')!, total: 3_600_000 })
    const c = compareProfiles([base()], [head], rules)
    expect(c.gate.verdict).toBe('regression')
    expect(c.gate.reasons).toEqual([
      {
        code: 'regressed',
        severity: 'error',
        message: '1 gated item regressed (GPU kernels: 1), and the total of GPU kernels regressed.'
      }
    ])
    expect(c.gate.counts).toMatchObject({ regressed: 1, totalsRegressed: 1 })
  })
})

describe('inconclusive: the two sides cannot be compared honestly', () => {
  it('table-empty: the head ran the kernel report and found no data (SKIPPED)', () => {
    const head = base()
    head.tables.kernels = new Map()
    const c = compareProfiles([base()], [head], rules)
    expect(c.gate.verdict).toBe('inconclusive')
    expect(codes(c)).toEqual(['table-empty'])
    expect(c.gate.reasons[0]?.message).toMatch(
      /^GPU kernels: the base has data but the head's report ran and found none .*--cuda-graph-trace=graph.*The table is gated/
    )
  })

  it('table-empty the other way round: a base without kernel data', () => {
    const old = base()
    old.tables.kernels = new Map()
    expect(codes(compareProfiles([old], [base()], rules))).toEqual(['table-empty'])
  })

  it('table-missing: the head has no kernel report at all; a missing table that is not gated only warns', () => {
    const head = base()
    delete head.tables.kernels
    expect(codes(compareProfiles([base()], [head], rules))).toContain('table-missing')
    const withNvtx = base()
    withNvtx.tables.nvtx = new Map([
      ['step', { name: 'step', total: 5, instances: 1, avg: 5, min: 5, max: 5 }]
    ])
    const c = compareProfiles([withNvtx], [base()], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(note(c, 'table-missing')?.severity).toBe('warning')
  })

  it('runs-without-data: one of five head runs captured no kernels', () => {
    const heads = [base(), base(), base(), base(), base()]
    heads[2]!.tables.kernels = new Map()
    const c = compareProfiles([base(), base(), base(), base(), base()], heads, rules)
    expect(c.gate.verdict).toBe('inconclusive')
    expect(c.gate.reasons[0]).toMatchObject({ code: 'runs-without-data' })
    expect(c.gate.reasons[0]?.message).toMatch(/1 of 5 head runs \(run 3\)/)
  })

  it('no-gated-data: neither side has data in any gated table', () => {
    const cpu = profile({ kernels: {}, memTime: {}, nvtx: { step: 1000 } })
    const c = compareProfiles([cpu], [cpu], rules)
    expect(codes(c)).toEqual(['no-gated-data'])
    // Gating NVTX ranges (a CPU benchmark) makes it comparable.
    expect(
      compareProfiles([cpu], [cpu], buildRules({ tables: { nvtx: { gate: true } } })).gate.verdict
    ).toBe('pass')
  })

  it('low-kernel-match: most of the base kernel time has no counterpart (threshold 50 %, settable)', () => {
    const renamed = profile({
      kernels: { gemm_v2: [6_000_000, 60], attn: [3_000_000, 30], norm: [1_000_000, 10] },
      memTime: { '[CUDA memcpy HtoD]': [100_000, 4] }
    })
    const c = compareProfiles([base()], [renamed], rules)
    expect(codes(c)).toEqual(['low-kernel-match'])
    expect(c.gate.reasons[0]?.message).toMatch(
      /^Only 40% of the base's GPU kernel time has a matching kernel on the head \(40% by name, 0% as a changed variant\); the limit is 50%/
    )
    expect(c.evidence.kernels).toMatchObject({ baseTotal: 10_000_000, matchedByName: 4_000_000 })
    const lenient = buildRules({ checks: { minMatchedShare: 30 } })
    expect(compareProfiles([base()], [renamed], lenient).gate.verdict).not.toBe('inconclusive')
  })

  it('gpu-mismatch: another GPU model (inconclusive by default, a warning when set so)', () => {
    const a100 = base({ gpus: [{ name: 'NVIDIA A100-SXM4-80GB' }] })
    const h100 = base({ gpus: [{ name: 'NVIDIA H100 80GB HBM3' }] })
    const c = compareProfiles([a100], [h100], rules)
    expect(codes(c)).toEqual(['gpu-mismatch'])
    expect(c.gate.reasons[0]?.message).toBe(
      'Different GPUs: base ran on NVIDIA A100-SXM4-80GB, head on NVIDIA H100 80GB HBM3; timings are not comparable.'
    )
    const warn = compareProfiles([a100], [h100], buildRules({ checks: { gpuMismatch: 'warn' } }))
    expect(warn.gate.verdict).toBe('pass')
    expect(note(warn, 'gpu-mismatch')?.severity).toBe('warning')
    expect(
      compareProfiles([a100], [h100], buildRules(undefined, { gpuMismatch: 'warn' })).gate.verdict
    ).toBe('pass')
  })

  it('nsys-version-mismatch: another nsys major and names that do not match well (90 %)', () => {
    const old = base({ profiler: { name: 'nsys', version: '2021.5.1.117' } })
    const recent = profile(
      {
        kernels: { 'gemm<(int)1>': [6_000_000, 60], attn: [3_000_000, 30], norm: [1_000_000, 10] },
        memTime: { '[CUDA memcpy HtoD]': [100_000, 4] }
      },
      { profiler: { name: 'nsys', version: '2023.4.4.54' } }
    )
    const c = compareProfiles([old], [recent], buildRules({ checks: { minMatchedShare: 10 } }))
    expect(codes(c)).toEqual(['nsys-version-mismatch'])
    expect(c.gate.reasons[0]?.message).toMatch(
      /base 2021, head 2023\) and only 40% of the base's GPU kernel time matched by name/
    )
    // The same versions with every name matched: a visible warning, not a failure.
    const fine = compareProfiles(
      [old],
      [base({ profiler: { name: 'nsys', version: '2023.4.4.54' } })],
      rules
    )
    expect(fine.gate.verdict).toBe('pass')
    expect(note(fine, 'nsys-version-differs')?.severity).toBe('warning')
  })

  it('nsys-version-unknown: only one side names its nsys version (a baseline JSON against report files): said, and it compares', () => {
    const nsys = (version?: string): Partial<ProfileMeta> => ({
      profiler: { name: 'nsys', ...(version === undefined ? {} : { version }) }
    })
    const c = compareProfiles([base(nsys('2022.4.2.18'))], [base()], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(note(c, 'nsys-version-unknown')).toEqual({
      code: 'nsys-version-unknown',
      severity: 'info',
      message:
        "Only the base recorded its Nsight Systems version (2022); the head's input names none (report files of `nsys stats` do not), so the versions could not be compared, nor a change of version held to the stricter match by name across versions (90%)."
    })
    // From the record alone: the same note.
    const record = JSON.parse(JSON.stringify(comparisonToRecord(c))) as unknown
    expect(rederiveVerdict(record, 'record.json').notes).toContainEqual(
      note(c, 'nsys-version-unknown')
    )
    // The head known, the base not; and the limit the rules file sets is the one named.
    const headKnown = compareProfiles(
      [base()],
      [base(nsys('2024.1.1.59'))],
      buildRules({ checks: { minMatchedShareAcrossVersions: 95 } })
    )
    expect(note(headKnown, 'nsys-version-unknown')?.message).toMatch(
      /^Only the head recorded its Nsight Systems version \(2024\); the base's input names none .*across versions \(95%\)\.$/
    )
    // Neither side knows (two directories of report files), or both do: nothing about it.
    for (const [b, h] of [
      [undefined, undefined],
      ['2023.4.4.54', '2023.1.1.127']
    ] as const) {
      const same = compareProfiles([base(nsys(b))], [base(nsys(h))], rules)
      expect(same.notes.map((n) => n.code)).not.toContain('nsys-version-unknown')
      expect(same.notes.map((n) => n.code)).not.toContain('nsys-version-differs')
    }
    // A head that nsys did not measure: profiler-mismatch says it, not this check.
    const torch = compareProfiles(
      [base(nsys('2023.4.4.54'))],
      [base({ profiler: { name: 'torch' } })],
      rules
    )
    expect(codes(torch)).toEqual(['profiler-mismatch'])
    expect(torch.notes.map((n) => n.code)).not.toContain('nsys-version-unknown')
  })

  it('nsys-version-differs: the runs of a side span several nsys majors, even when both sides hold the same mix', () => {
    const nsys = (version: string): Partial<ProfileMeta> => ({
      profiler: { name: 'nsys', version }
    })
    const mix = [base(nsys('2022.4.2.18')), base(nsys('2024.1.1.59'))]
    const c = compareProfiles(mix, [base(nsys('2024.1.1.59')), base(nsys('2022.4.2.18'))], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(c.notes.filter((n) => n.code.startsWith('nsys-version'))).toEqual([
      {
        code: 'nsys-version-differs',
        severity: 'warning',
        message:
          'The runs of a side ran different Nsight Systems versions (base 2022, 2024; head 2022, 2024): kernel names may be spelled differently from one run to another, and the runs are not repetitions of one measurement. Profile every run with the same nsys.'
      }
    ])
    // One side mixed, the other on one of its majors: the difference between the sides is said as
    // before, and the mix as well.
    const one = compareProfiles(mix, [base(nsys('2024.1.1.59')), base(nsys('2024.2.1.106'))], rules)
    expect(
      one.notes.filter((n) => n.code.startsWith('nsys-version')).map((n) => n.message)
    ).toEqual([
      "Different Nsight Systems versions: base 2022, 2024, head 2024 (100% of the base's GPU kernel time matched by name).",
      'The runs of a side ran different Nsight Systems versions (base 2022, 2024): kernel names may be spelled differently from one run to another, and the runs are not repetitions of one measurement. Profile every run with the same nsys.'
    ])
    // rocprofv3 alike: 0.6.0 and 1.0.0 are two majors.
    const rocprof = (version: string): Partial<ProfileMeta> => ({
      profiler: { name: 'rocprofv3', version }
    })
    const rocMix = [base(rocprof('0.6.0')), base(rocprof('1.0.0'))]
    const roc = compareProfiles(rocMix, rocMix, rules)
    expect(roc.gate.verdict).toBe('pass')
    expect(note(roc, 'rocprofv3-version-differs')?.message).toBe(
      'The runs of a side ran different rocprofv3 (rocprofiler-sdk) versions (base 0.6, 1; head 0.6, 1): kernel names may be spelled differently from one run to another, and the runs are not repetitions of one measurement. Profile every run with the same rocprofv3 (the same ROCm).'
    )
  })

  it('rocprofv3-version-mismatch: another rocprofv3 (rocprofiler-sdk) major, as for nsys', () => {
    const rocprof = (version?: string): Partial<ProfileMeta> => ({
      profiler: { name: 'rocprofv3', ...(version === undefined ? {} : { version }) }
    })
    const old = base(rocprof('0.6.0'))
    const renamed = profile(
      {
        kernels: { 'gemm<(int)1>': [6_000_000, 60], attn: [3_000_000, 30], norm: [1_000_000, 10] },
        memTime: { '[CUDA memcpy HtoD]': [100_000, 4] }
      },
      rocprof('1.0.0')
    )
    const c = compareProfiles([old], [renamed], buildRules({ checks: { minMatchedShare: 10 } }))
    expect(c.gate.verdict).toBe('inconclusive')
    expect(codes(c)).toEqual(['rocprofv3-version-mismatch'])
    expect(c.gate.reasons[0]?.message).toBe(
      "Different rocprofv3 (rocprofiler-sdk) versions (base 0.6, head 1) and only 40% of the base's GPU kernel time matched by name (the limit across versions is 90%): kernel names are spelled differently by the two versions. Profile both sides with the same rocprofv3 (the same ROCm)."
    )
    expect(c.evidence.base.rocprofv3).toEqual(['0.6'])
    expect(c.evidence.head.rocprofv3).toEqual(['1'])
    // Every name matched: a warning. 0.5 and 0.6 are different majors (0.x: each minor).
    const fine = compareProfiles([base(rocprof('0.5.0'))], [base(rocprof('0.6.0'))], rules)
    expect(fine.gate.verdict).toBe('pass')
    expect(note(fine, 'rocprofv3-version-differs')).toEqual({
      code: 'rocprofv3-version-differs',
      severity: 'warning',
      message:
        "Different rocprofv3 (rocprofiler-sdk) versions: base 0.5, head 0.6 (100% of the base's GPU kernel time matched by name)."
    })
    // The same major (1.0.0, 1.2.3), or a side whose version is unknown: nothing said.
    for (const [b, h] of [
      ['1.0.0', '1.2.3'],
      [undefined, '1.0.0'],
      ['1.0.0', undefined]
    ] as const) {
      const same = compareProfiles([base(rocprof(b))], [base(rocprof(h))], rules)
      expect(same.notes.map((n) => n.code)).not.toContain('rocprofv3-version-differs')
      expect(same.gate.verdict).toBe('pass')
    }
    // No rocprofv3 version on either side: the evidence has no rocprofv3 field (records of other
    // profilers are unchanged).
    const nsys = compareProfiles([base()], [base()], rules)
    expect(nsys.evidence.base).not.toHaveProperty('rocprofv3')
  })

  it('launches-changed: the same kernels launched far fewer times (a capture window that changed)', () => {
    const fewer = profile({
      kernels: { gemm: [2_400_000, 24], attn: [1_200_000, 12], norm: [400_000, 4] },
      memTime: { '[CUDA memcpy HtoD]': [100_000, 4] }
    })
    const c = compareProfiles([base()], [fewer], rules)
    expect(c.gate.verdict).toBe('inconclusive')
    expect(codes(c)).toEqual(['launches-changed'])
    expect(c.gate.reasons[0]?.message).toMatch(
      /launched 100 times on the base and 40 on the head \(×0\.4/
    )
    // At the ratio it still compares; the ratio is settable.
    expect(
      codes(compareProfiles([base()], [fewer], buildRules({ checks: { minInstanceRatio: 0.4 } })))
    ).not.toContain('launches-changed')
  })

  it('kernel-naming: nsys report variants that never meet (demangled vs base)', () => {
    const c = compareProfiles([base()], [base({ kernelNaming: 'base' })], rules)
    expect(codes(c)).toEqual(['kernel-naming'])
  })

  it('wins over a regression: a regression measured on another GPU is not trusted', () => {
    const head = base({ gpus: [{ name: 'NVIDIA H100 80GB HBM3' }] })
    head.tables.kernels?.set('attn', { ...head.tables.kernels.get('attn')!, total: 3_600_000 })
    const c = compareProfiles([base({ gpus: [{ name: 'NVIDIA A100-SXM4-80GB' }] })], [head], rules)
    expect(c.gate.verdict).toBe('inconclusive')
    expect(c.gate.counts.regressed).toBe(1)
  })
})

describe('accepting a known regression', () => {
  const slower = (): Profile => {
    const head = base()
    head.tables.kernels?.set('attn', { ...head.tables.kernels.get('attn')!, total: 3_600_000 })
    return head
  }
  const now = new Date('2026-11-29T12:00:00Z')

  it('by the pull request label: every gated regression, with a trail', () => {
    const c = compareProfiles([base()], [slower()], rules, { acceptLabel: 'perf-ok', now })
    expect(c.gate.verdict).toBe('accepted')
    expect(c.gate.counts).toMatchObject({ regressed: 0, accepted: 1, totalsRegressed: 0 })
    const attn = c.tables[0]?.items.find((i) => i.key === 'attn')
    expect(attn?.accepted).toEqual({
      by: 'label',
      label: 'perf-ok',
      reason: 'the pull request has the label "perf-ok"'
    })
    expect(c.gate.reasons[0]?.message).toMatch(
      /^Accepted regressions: attn \(the pull request has the label "perf-ok"\)/
    )
  })

  it('names ten accepted regressions at most, and counts the rest', () => {
    const names = Array.from({ length: 25 }, (_, i) => `k${i}`)
    const b = profile({ kernels: Object.fromEntries(names.map((n) => [n, 1_000_000])) })
    const h = profile({ kernels: Object.fromEntries(names.map((n) => [n, 2_000_000])) })
    const c = compareProfiles([b], [h], rules, { acceptLabel: 'perf-ok', now })
    expect(c.gate.counts.accepted).toBe(25)
    const message = c.gate.reasons[0]?.message ?? ''
    // Ten items, then "and 16 more": 25 items and the total, accepted by the label.
    expect(message.match(/\(the pull request has the label "perf-ok"\)/g)).toHaveLength(10)
    expect(message).toMatch(/ and 16 more\.$/)
  })

  it('by a rules-file entry until its date; the total follows when the rest stays within limits', () => {
    const accept = buildRules({
      accept: [{ pattern: '^attn$', reason: 'FA3 port, tracked in #123', until: '2026-12-31' }]
    })
    const c = compareProfiles([base()], [slower()], accept, { now })
    expect(c.gate.verdict).toBe('accepted')
    expect(c.tables[0]?.items.find((i) => i.key === 'attn')?.accepted).toEqual({
      by: 'rule',
      pattern: '^attn$',
      reason: 'FA3 port, tracked in #123',
      until: '2026-12-31'
    })
    expect(c.tables[0]?.total.accepted?.reason).toMatch(/without the accepted regressions/)
  })

  it('holds through its last day, and not a day longer', () => {
    const accept = buildRules({
      accept: [{ pattern: 'attn', reason: 'known', until: '2026-11-29' }]
    })
    expect(compareProfiles([base()], [slower()], accept, { now }).gate.verdict).toBe('accepted')
    const later = compareProfiles([base()], [slower()], accept, {
      now: new Date('2026-11-30T00:00:01Z')
    })
    expect(later.gate.verdict).toBe('regression')
    expect(note(later, 'acceptance-expired')?.message).toMatch(
      /attn \(until 2026-11-29\); that date has passed/
    )
  })

  it('covers only what it names: another regression still fails', () => {
    const head = slower()
    head.tables.kernels?.set('gemm', { ...head.tables.kernels.get('gemm')!, total: 7_000_000 })
    const accept = buildRules({
      accept: [{ pattern: '^attn$', reason: 'known', until: '2026-12-31' }]
    })
    const c = compareProfiles([base()], [head], accept, { now })
    expect(c.gate.verdict).toBe('regression')
    expect(c.gate.counts).toMatchObject({ regressed: 1, accepted: 1, totalsRegressed: 1 })
  })

  it('never turns an inconclusive comparison into a pass', () => {
    const head = slower()
    head.meta.gpus = [{ name: 'NVIDIA H100 80GB HBM3' }]
    const c = compareProfiles([base({ gpus: [{ name: 'NVIDIA L4' }] })], [head], rules, {
      acceptLabel: 'perf-ok',
      now
    })
    expect(c.gate.verdict).toBe('inconclusive')
  })
})

/** One GPU's timeline whose busy time (the union over its streams) is `busy` ns. */
function timelineOf(busy: number, device = 0, rank?: number): DeviceTimeline {
  const idle = 1_000_000
  return {
    device,
    ...(rank === undefined ? {} : { rank }),
    window: busy + idle,
    busy,
    idle,
    activities: 100,
    gaps: GAP_CLASSES.map((_, i) =>
      i === 2
        ? { count: 2, total: idle, min: idle / 2, max: idle / 2 }
        : { count: 0, total: 0, min: 0, max: 0 }
    ),
    top: [],
    late: 0
  }
}

/** `base()` with a GPU trace's timeline: one device per entry of `busy`. */
function traced(busy: number[], ranks = false): Profile {
  const p = base()
  p.timeline = { devices: busy.map((b, i) => timelineOf(b, i, ranks ? i : undefined)) }
  return p
}

describe('GPU busy time (the union of kernels and copies over streams)', () => {
  const now = new Date('2026-11-29T12:00:00Z')
  const busyOf = (c: Comparison) => c.tables.find((t) => t.table === 'gpuBusy')

  it('a head whose kernels and copies are as fast but overlap less: a regression on the total', () => {
    // The base's 10.1 ms of kernels and copies ran in 8 ms (some on two streams at once).
    const c = compareProfiles([traced([8_000_000])], [traced([10_000_000])], rules)
    expect(c.gate.verdict).toBe('regression')
    expect(c.gate.reasons.map((r) => r.message)).toEqual([
      'The total of GPU busy time (union over streams) regressed.'
    ])
    const busy = busyOf(c)!
    expect(busy.items.map((i) => [i.name, i.base?.total, i.head?.total, i.gated])).toEqual([
      ['GPU 0', 8_000_000, 10_000_000, false]
    ])
    expect(busy.total).toMatchObject({ status: 'regressed', gated: true, delta: 2_000_000 })
  })

  it('the same busy time, or 4% more: a pass', () => {
    for (const head of [8_000_000, 8_320_000]) {
      const c = compareProfiles([traced([8_000_000])], [traced([head])], rules)
      expect(c.gate.verdict).toBe('pass')
    }
  })

  it('one row a GPU, named with its rank when the run was one trace a rank; the total gates', () => {
    const c = compareProfiles(
      [traced([8_000_000, 8_000_000], true)],
      [traced([8_000_000, 9_600_000], true)],
      rules
    )
    const busy = busyOf(c)!
    expect(busy.items.map((i) => i.name).sort()).toEqual(['GPU 0 (rank 0)', 'GPU 1 (rank 1)'])
    // +1.6 ms of 16 ms: 10 %.
    expect(busy.total).toMatchObject({ status: 'regressed', gated: true, delta: 1_600_000 })
    expect(c.gate.verdict).toBe('regression')
  })

  it('is accepted with the kernel regression that made it: its total less the accepted changes stays within limits', () => {
    // attn +600 µs (+20 %), accepted; the GPU busy +600 µs too (+7.5 % of 8 ms).
    const head = traced([8_600_000])
    head.tables.kernels?.set('attn', { ...head.tables.kernels.get('attn')!, total: 3_600_000 })
    const accept = buildRules({
      accept: [{ pattern: '^attn$', reason: 'FA3 port', until: '2026-12-31' }]
    })
    const c = compareProfiles([traced([8_000_000])], [head], accept, { now })
    expect(busyOf(c)?.total.status).toBe('regressed')
    expect(busyOf(c)?.total.accepted?.reason).toMatch(/without the accepted regressions/)
    expect(c.gate.verdict).toBe('accepted')
    // Without the acceptance, the busy time fails as well as the kernel.
    const plain = compareProfiles([traced([8_000_000])], [head], rules, { now })
    expect(plain.gate.reasons[0]?.message).toMatch(
      /the total of GPU kernels regressed, and the total of GPU busy time \(union over streams\) regressed\.$/
    )
  })

  it('is accepted by a rules-file entry that names the GPU, in its own table', () => {
    const accept = buildRules({
      accept: [
        {
          table: 'gpuBusy',
          pattern: '^GPU 0$',
          reason: 'copies serialised, #9',
          until: '2026-12-31'
        }
      ]
    })
    const c = compareProfiles([traced([8_000_000])], [traced([10_000_000])], accept, { now })
    expect(c.gate.verdict).toBe('accepted')
    expect(busyOf(c)?.items[0]?.accepted).toMatchObject({ by: 'rule', pattern: '^GPU 0$' })
  })

  it('while the rules ignore kernels, its total is shown, not gated (it still holds their time); a rule can gate its rows', () => {
    // The base's 8 ms of busy time become 10 ms; `norm` (1 ms of kernel time) is ignored.
    const ignoring = buildRules({ rules: [{ match: '^norm$', ignore: true }] })
    const c = compareProfiles([traced([8_000_000])], [traced([10_000_000])], ignoring)
    expect(c.gate.verdict).toBe('pass')
    expect(busyOf(c)?.total).toMatchObject({ status: 'regressed', gated: false })
    const note = c.notes.find((n) => n.code === 'busy-not-gated')
    expect(note?.severity).toBe('info')
    expect(note?.message).toMatch(/the rules ignore 1 kernel or memory operation,/)
    // The record re-derives it.
    const record = JSON.parse(JSON.stringify(comparisonToRecord(c))) as unknown
    expect(rederiveVerdict(record, 'record.json').gate).toEqual(c.gate)
    const gatingRows = buildRules({
      rules: [
        { match: '^norm$', ignore: true },
        { table: 'gpuBusy', match: '^GPU', gate: true }
      ]
    })
    const rows = compareProfiles([traced([8_000_000])], [traced([10_000_000])], gatingRows)
    expect(rows.gate.verdict).toBe('regression')
    expect(rows.gate.reasons[0]?.message).toBe(
      '1 gated item regressed (GPU busy time (union over streams): 1).'
    )
  })

  it('a run without its trace, among runs with theirs: compared over the others, with a warning naming it', () => {
    const heads = [traced([8_000_000]), base(), traced([8_100_000])]
    const c = compareProfiles([traced([8_000_000]), traced([8_050_000])], heads, rules)
    expect(c.gate.verdict).toBe('pass')
    const busy = busyOf(c)!
    // The medians of the runs that have it: base 8.025 ms, head 8.05 ms.
    expect([busy.total.base, busy.total.head]).toEqual([8_025_000, 8_050_000])
    const notes = c.notes.filter((n) => n.code === 'runs-without-table')
    expect(notes.map((n) => [n.severity, n.message])).toEqual([
      [
        'warning',
        'GPU busy time (union over streams): 1 of 3 head runs (run 2) has no such table while the others do (a report or trace that run did not give): the table is compared over the other runs.'
      ]
    ])
  })

  it('a side without a trace: one warning for every table the trace gives, the kernels decide', () => {
    const withTrace = traced([8_000_000])
    withTrace.tables.gpuIdle = new Map([
      [
        'GPU 0: gaps 100 µs–1 ms',
        {
          name: 'GPU 0: gaps 100 µs–1 ms',
          total: 1_000_000,
          instances: 2,
          avg: 500_000,
          min: 500_000,
          max: 500_000
        }
      ]
    ])
    const c = compareProfiles([withTrace], [base()], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(c.tables.map((t) => t.table)).not.toContain('gpuBusy')
    const notes = c.notes.filter((n) => n.code === 'analysis-one-side')
    expect(notes.map((n) => n.message.split(': only')[0])).toEqual([
      'GPU busy time (union over streams); GPU idle time (gaps between activities)'
    ])
    expect(notes[0]?.message).toMatch(
      /only the base has the report these tables come from .* so they are not compared/
    )
  })
})
