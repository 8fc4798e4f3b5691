import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { appendRun, type RunEntry } from '../../src/history/append.js'
import { emptyHistory, type History } from '../../src/history/model.js'
import { historyView } from '../../src/history/view.js'
import { renderMarkdown } from '../../src/render/markdown.js'
import { profile } from '../support/profiles.js'

const GPU = 'NVIDIA H100 80GB HBM3'
const FP = { gpu: GPU, profiler: 'nsys', major: '', naming: 'demangled' }
const NOISY = '<b>noisy</b>|`kernel`'

/** A history of kernel totals, one map per run, all measured on the same GPU. */
function history(values: Record<string, number>[]): History {
  return values.reduce(
    (h, kernels, i): History =>
      appendRun(
        h,
        {
          run: { sha: `s${i}`, date: '2026-11-01T00:00:00Z', repetitions: 1, ...FP },
          tables: {
            kernels: new Map(
              Object.entries(kernels).map(([k, v]) => [
                k,
                { name: k, value: v, spread: 0, count: 1 }
              ])
            )
          }
        } satisfies RunEntry,
        50
      ),
    emptyHistory()
  )
}

// NOISY: median 100,000, MAD 4,000 → band ±17.79 %; steady: MAD 0 → the 5 % floor.
const NOISY_VALUES = [100, 92, 108, 96, 104, 100, 94, 106, 100].map((v) => v * 1000)
const HISTORY = history(NOISY_VALUES.map((v) => ({ [NOISY]: v, steady: 100_000, big: 1_000_000 })))

function run(rulesFile: unknown, h: History | null = HISTORY): Comparison {
  const meta = { gpus: [{ name: GPU }] }
  return compareProfiles(
    [profile({ kernels: { big: 1_000_000, [NOISY]: 100_000, steady: 100_000 } }, meta)],
    [profile({ kernels: { big: 1_000_000, [NOISY]: 112_000, steady: 108_000 } }, meta)],
    buildRules(rulesFile),
    h ? { history: historyView(h, FP, { branch: 'main' }) } : {}
  )
}

const item = (c: Comparison, key: string) =>
  c.tables.find((t) => t.table === 'kernels')?.items.find((i) => i.key === key)

describe('threshold: auto', () => {
  it("takes a noisy kernel's limit from its band, a steady one's from the fixed floor", () => {
    const c = run({ threshold: 'auto' })
    const noisy = item(c, NOISY)
    expect(noisy).toMatchObject({
      status: 'unchanged',
      reason: 'below-threshold',
      threshold: 17.79
    })
    expect(noisy?.limit).toEqual({ source: 'history', runs: 9, bandPct: 17.79 })
    const steady = item(c, 'steady')
    expect(steady).toMatchObject({ status: 'regressed', threshold: 5 })
    expect(steady?.limit).toEqual({
      source: 'fixed',
      why: 'band-within-fixed',
      runs: 9,
      bandPct: 0
    })
    expect(c.gate.verdict).toBe('regression')
    expect(c.history).toEqual({ total: 9, comparable: 9, fingerprint: FP, branch: 'main' })
  })

  it('with the fixed threshold (not auto) both count, and the history is only shown', () => {
    const c = run(undefined)
    expect(item(c, NOISY)).toMatchObject({ status: 'regressed', threshold: 5 })
    expect(item(c, NOISY)?.limit).toBeUndefined()
    expect(item(c, NOISY)?.history?.values).toEqual(NOISY_VALUES)
    expect(item(c, NOISY)?.history?.band?.low).toBeCloseTo(100_000 - 17_791.2, 6)
  })

  it('keeps the fixed threshold with too short a history, and says so', () => {
    const c = run(
      { threshold: 'auto' },
      history(NOISY_VALUES.slice(0, 4).map((v) => ({ [NOISY]: v })))
    )
    expect(item(c, NOISY)).toMatchObject({ status: 'regressed', threshold: 5 })
    expect(item(c, NOISY)?.limit).toEqual({ source: 'fixed', why: 'too-few-runs', runs: 4 })
    const md = renderMarkdown(c)
    expect(md).toContain('±5% (fixed: 4 runs of history, too few)')
  })

  it('uses the fixed thresholds without history, with a warning', () => {
    const c = run({ threshold: 'auto' }, null)
    expect(item(c, NOISY)?.limit).toEqual({ source: 'fixed', why: 'too-few-runs', runs: 0 })
    expect(c.notes.find((n) => n.code === 'auto-threshold-no-history')?.severity).toBe('warning')
  })

  it("lets a rule's own threshold win", () => {
    const c = run({ threshold: 'auto', rules: [{ match: 'noisy', threshold: 8 }] })
    expect(item(c, NOISY)).toMatchObject({ status: 'regressed', threshold: 8 })
    expect(item(c, NOISY)?.limit?.why).toBe('rule')
  })

  it('records the limit and the history, and the verdict re-derives from the record', () => {
    const c = run({ threshold: 'auto' })
    const record = JSON.parse(JSON.stringify(comparisonToRecord(c))) as {
      rules: { threshold?: unknown }
      tables: { kernels: { items: Record<string, unknown>[] } }
      verdict: string
    }
    expect(record.rules.threshold).toBe('auto')
    const noisy = record.tables.kernels.items.find((i) => i.name === NOISY)
    expect(noisy?.limit).toEqual({ source: 'history', runs: 9, bandPct: 17.79 })
    expect(noisy?.history).toMatchObject({ values: NOISY_VALUES, runs: 9 })
    expect(rederiveVerdict(record, 'c.json').gate.verdict).toBe('regression')
    // Without the noisy kernel's history its limit falls to the fixed 5 %: it regresses too.
    delete noisy?.history
    const again = rederiveVerdict(record, 'c.json')
    expect(again.gate.counts.regressed).toBe(2)
  })

  it('shows the limit and a trend in the regressed rows, names escaped', () => {
    const c = run({ threshold: 'auto', rules: [{ match: 'noisy', threshold: 8 }] })
    const md = renderMarkdown(c)
    expect(md).toContain('| Limit | Trend |')
    // Steady history 100 µs ×9 then the head's 108 µs: flat at the bottom, the head on top.
    expect(md).toContain('`▁▁▁▁▁▁▁▁▁→█`')
    // The noisy kernel on one scale from 92 (▁) to 112 µs (█): bar round((v − 92) / 20 × 7).
    expect(md).toContain('| ±8% (rules file) | `▄▁▇▂▅▄▂▆▄→█` |')
    expect(md).toMatch(/History: last 9 runs on `main`, same GPU \(NVIDIA H100 80GB HBM3\), nsys/)
    // The hostile name stays inert: in a code span, its pipe escaped for the table.
    expect(md).toContain('| `` <b>noisy</b>\\|`kernel` `` |')
  })

  it('reads "auto" from the rules file and from the override, and refuses other words', () => {
    expect(buildRules({ threshold: 'auto' }).auto).toBe(true)
    expect(buildRules({ threshold: 'auto' }).tables.kernels.threshold).toBe(5)
    expect(buildRules({ threshold: 7 }, { threshold: 'auto' })).toMatchObject({ auto: true })
    expect(buildRules({ threshold: 7 }, { threshold: 'auto' }).tables.kernels.threshold).toBe(7)
    expect(buildRules({ threshold: 'auto' }, { threshold: 3 }).auto).toBe(false)
    expect(() => buildRules({ threshold: 'often' })).toThrow(/number \(percent\) or "auto"/)
  })
})
