import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadInput } from '../../src/load/index.js'
import { kernelKey } from '../../src/profile/keys.js'
import type { Profile } from '../../src/profile/model.js'
import { COMMENT_LIMIT, renderMarkdown } from '../../src/render/markdown.js'
import { CORPUS, FIXTURES, ROOT } from '../support/paths.js'
import { profile } from '../support/profiles.js'

/**
 * Comparisons of PyTorch profiler traces, and of profiles from different profilers.
 * The golden report (test/golden/chrome-traces.md) was reviewed by hand: the head is the corpus
 * trace with one kernel's durations made 1.5 times as long, so that kernel, and the total, regress.
 */
const TRACE = join(
  FIXTURES,
  'corpus',
  'traces',
  'HTA_tests-data_critical_path_simple_add_trace.json.gz'
)
const SGEMM = 'ampere_sgemm_32x32_sliced1x4_tn'

async function load(path: string): Promise<Profile> {
  const [profile] = await loadInput(path)
  if (!profile) throw new Error(`no profile in ${path}`)
  return profile
}

/** The corpus trace with `SGEMM`'s kernels lasting 1.5 times as long, written by the test. */
function slowerTrace(dir: string): string {
  const trace = JSON.parse(gunzipSync(readFileSync(TRACE)).toString('utf8')) as {
    traceEvents: { cat?: string; name?: string; dur?: number }[]
  }
  for (const e of trace.traceEvents)
    if (e.cat === 'kernel' && e.name === SGEMM && e.dur !== undefined) e.dur *= 1.5
  const path = join(dir, 'head.pt.trace.json')
  writeFileSync(path, JSON.stringify(trace))
  return path
}

describe('comparing Chrome traces', () => {
  it('finds the slower kernel between two traces (golden report)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'profilers-'))
    const base = await load(TRACE)
    const head = await load(slowerTrace(dir))
    // The report names each source and cuts long notes to a length: fixed names keep the golden
    // file independent of where the repository and the temporary folder are.
    for (const [p, from, to] of [
      [base, ROOT, '/repo'],
      [head, dir, '/tmp']
    ] as const) {
      p.meta.sources = p.meta.sources.map((s) => s.replaceAll(from, to))
      for (const note of p.meta.notes) note.message = note.message.replaceAll(from, to)
    }
    const comparison = compareProfiles([base], [head], buildRules(undefined), {
      now: new Date('2026-11-29T00:00:00Z')
    })
    expect(comparison.gate.verdict).toBe('regression')
    const kernels = comparison.tables.find((t) => t.table === 'kernels')
    const item = kernels?.items.find((i) => i.key === SGEMM)
    // 6 launches of 445.5 µs on the base (by hand from the trace: 2,673 µs), ×1.5 on the head.
    expect(item?.base?.total).toBe(2673000)
    expect(item?.head?.total).toBe(4009500)
    expect(item?.status).toBe('regressed')
    const markdown = renderMarkdown(comparison, { maxChars: COMMENT_LIMIT })
    const path = join(ROOT, 'test', 'golden', 'chrome-traces.md')
    if (process.env.UPDATE_GOLDEN || !existsSync(path)) {
      writeFileSync(path, markdown)
      if (!process.env.UPDATE_GOLDEN)
        throw new Error('wrote missing golden file chrome-traces.md; review it and run again')
    }
    expect(markdown).toBe(readFileSync(path, 'utf8'))
  })

  it('a head trace cut while it was written (its slower kernels lost): inconclusive, not a pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'profilers-cut-'))
    const base = await load(TRACE)
    const whole = slowerTrace(dir)
    expect(compareProfiles([base], [await load(whole)], buildRules(undefined)).gate.verdict).toBe(
      'regression'
    )
    // Cut 200 bytes into the last slower kernel's event, as a profiler killed mid-write leaves it.
    const text = readFileSync(whole, 'utf8')
    const at = text.lastIndexOf(`"name":"${SGEMM}"`)
    expect(at).toBeGreaterThan(0)
    const cutPath = join(dir, 'cut.pt.trace.json')
    writeFileSync(cutPath, text.slice(0, at + 200))
    const cut = await load(cutPath)
    expect(cut.meta.notes.map((n) => n.code)).toContain('trace-truncated')
    const c = compareProfiles([base], [cut], buildRules(undefined))
    expect(c.evidence.head.incomplete).toEqual(['trace-truncated'])
    expect(c.gate.verdict).toBe('inconclusive')
    expect(c.gate.reasons.map((r) => r.code)).toEqual(['input-incomplete'])
    expect(c.gate.reasons[0]?.message).toContain('the trace ends early')
    const record = JSON.parse(JSON.stringify(comparisonToRecord(c))) as unknown
    expect(rederiveVerdict(record, 'record.json').gate).toEqual(c.gate)
    // A kernel event without its duration, left out as unreadable: the same.
    const trace = JSON.parse(text) as { traceEvents: { cat?: string; dur?: number }[] }
    delete trace.traceEvents.find((e) => e.cat === 'kernel')!.dur
    const lostPath = join(dir, 'lost.pt.trace.json')
    writeFileSync(lostPath, JSON.stringify(trace))
    const lost = compareProfiles([base], [await load(lostPath)], buildRules(undefined))
    expect(lost.gate.reasons.map((r) => r.code)).toEqual(['input-incomplete'])
  })

  it('calls an nsys base against a PyTorch profiler head inconclusive, with the reason', async () => {
    const nsys = await load(join(CORPUS, 'generated_nsys-2023.4.4_stats_default-reports_csv.txt'))
    const torch = await load(TRACE)
    for (const [base, head] of [
      [nsys, torch],
      [torch, nsys]
    ] as const) {
      const comparison = compareProfiles([base], [head], buildRules(undefined))
      expect(comparison.gate.verdict).toBe('inconclusive')
      const reason = comparison.gate.reasons.find((r) => r.code === 'profiler-mismatch')
      expect(reason?.severity).toBe('error')
      // The record keeps the facts, and `nsys-bench verdict` re-derives the same verdict.
      const record = JSON.parse(JSON.stringify(comparisonToRecord(comparison))) as unknown
      expect(rederiveVerdict(record, 'record.json').gate.verdict).toBe('inconclusive')
    }
    // The Nsight Systems version check looks at nsys runs only.
    const comparison = compareProfiles([nsys], [torch], buildRules(undefined))
    expect(comparison.evidence.head.nsys).toEqual([])
    expect(comparison.evidence.head.profilers).toEqual(['torch'])
  })

  it('a record written before profilers were recorded still re-derives (all nsys)', async () => {
    const nsys = await load(join(CORPUS, 'generated_nsys-2023.4.4_stats_default-reports_csv.txt'))
    const record = JSON.parse(
      JSON.stringify(comparisonToRecord(compareProfiles([nsys], [nsys], buildRules(undefined))))
    ) as { evidence: { base: Record<string, unknown>; head: Record<string, unknown> } }
    delete record.evidence.base.profilers
    delete record.evidence.head.profilers
    expect(rederiveVerdict(record, 'old.json').gate.verdict).toBe('pass')
  })

  it("rocprofv3's majors are kept in the record: `verdict` re-derives the version check; older records have none", () => {
    const rocprof = (version: string): Profile =>
      profile(
        { kernels: { NormKernel1: [401_121, 1], __amd_rocclr_fillBufferAligned: [5920, 1] } },
        { profiler: { name: 'rocprofv3', version } }
      )
    const comparison = compareProfiles(
      [rocprof('0.6.0')],
      [rocprof('1.0.0')],
      buildRules(undefined)
    )
    expect(comparison.notes.map((n) => n.code)).toContain('rocprofv3-version-differs')
    const record = JSON.parse(JSON.stringify(comparisonToRecord(comparison))) as {
      evidence: { base: Record<string, unknown>; head: Record<string, unknown> }
    }
    expect(record.evidence.base.rocprofv3).toEqual(['0.6'])
    expect(record.evidence.head.rocprofv3).toEqual(['1'])
    const again = rederiveVerdict(record, 'record.json')
    expect(again.notes.map((n) => n.code)).toContain('rocprofv3-version-differs')
    delete record.evidence.base.rocprofv3
    delete record.evidence.head.rocprofv3
    expect(rederiveVerdict(record, 'old.json').notes.map((n) => n.code)).not.toContain(
      'rocprofv3-version-differs'
    )
    record.evidence.head.rocprofv3 = [1]
    expect(() => rederiveVerdict(record, 'bad.json')).toThrow(
      '"evidence.head.rocprofv3" must be an array of strings'
    )
  })

  it('meets kernel names as nsys and the PyTorch profiler (Kineto) spell them', () => {
    // nsys 2024 prints template parameters as T1, T2 and `char *`; Kineto (cxxabi) spells them
    // out, with `> >` and `char*`. The names meet; the profilers still do not compare.
    expect(
      kernelKey(
        'void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char *, 1>>(int, T2, T3)'
      )
    ).toBe(
      kernelKey(
        'void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char*, 1> >(int, at::native::FillFunctor<float>, at::detail::Array<char*, 1>)'
      )
    )
  })
})
