import { describe, expect, it } from 'vitest'
import { aggregateLegs, type Leg, type LegOutcome } from '../../src/compare/aggregate.js'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { TABLES } from '../../src/profile/model.js'
import { renderAggregateMarkdown, type AggregateLeg } from '../../src/render/aggregate.js'
import { COMMENT_LIMIT } from '../../src/render/markdown.js'
import { checkTables, renderHtml } from '../fuzz/check-markdown.js'
import { profile } from '../support/profiles.js'
import { seededRandom } from '../support/random.js'

/**
 * The verdict and the report of a matrix against a reference written here from README's contract
 * (`mode: aggregate`), not from the code: for seeded sets of legs covering every outcome, with
 * names that repeat, differ only in case or Unicode normalisation, or are hostile to Markdown,
 * HTML and terminals.
 *
 * - the whole: `regression` > `inconclusive` (a leg inconclusive, failed, without results,
 *   unusable, or none at all) > `accepted` > `pass` > `no-baseline` (no leg had a baseline);
 * - a leg: its comparison's verdict, `no-baseline`, `error` (failed or unusable), `missing`;
 * - its regressions: gated items that regressed and were not accepted; its improvements: items
 *   that improved (measured tables);
 * - the report: a row per leg (escaped), the counts of the legs by verdict, each leg's details.
 */
const rules = buildRules(undefined)
const H100 = [{ name: 'NVIDIA H100 80GB HBM3' }]
const A100 = [{ name: 'NVIDIA A100-SXM4-80GB' }]
const BASE = { gemm: 6_000_000, attn: 3_000_000, norm: 1_000_000 }

function compare(
  head: Record<string, number>,
  o: { label?: boolean; baseGpus?: typeof H100; base?: Record<string, number> } = {}
): Comparison {
  return compareProfiles(
    [profile({ kernels: o.base ?? BASE }, { gpus: o.baseGpus ?? H100 })],
    [profile({ kernels: head }, { gpus: H100 })],
    rules,
    o.label ? { acceptLabel: 'perf-ok' } : {}
  )
}

/** Comparisons of every verdict, with regressions and improvements in several numbers. */
const COMPARISONS: Comparison[] = [
  compare(BASE),
  compare({ ...BASE, attn: 3_600_000 }),
  compare({ ...BASE, attn: 3_600_000, norm: 1_300_000 }),
  compare({ ...BASE, attn: 3_600_000, gemm: 5_000_000 }),
  compare({ ...BASE, gemm: 5_000_000 }),
  compare({ ...BASE, attn: 3_600_000 }, { label: true }),
  compare({ ...BASE, attn: 3_600_000, gemm: 5_000_000 }, { label: true }),
  compare(BASE, { baseGpus: A100 }),
  compare({ ...BASE, attn: 3_600_000 }, { baseGpus: A100 }),
  compare({ ...BASE, fresh: 2_000_000 }),
  compare({ gemm: 6_000_000 })
]

const NAMES = [
  'h100',
  'H100',
  'a100-llama-3.1-8b',
  '\u00e9t\u00e9',
  'e\u0301te\u0301',
  '',
  '<img src=x onerror=alert(1)>',
  '@octocat **bold** [click](https://evil.example) www.evil.example',
  'two\nlines | pipe `tick`',
  '</summary></details><h1>x</h1>',
  'x\n::error::pwned ##[error]y',
  '\u202eevil\u200b',
  '   ',
  'a|b\\|c\\',
  '`',
  '#123 GH-45',
  '_em_ ~~s~~ $x$',
  `long-${'L'.repeat(95)}`
]

function outcome(random: () => number): LegOutcome {
  const kind = Math.floor(random() * 6)
  if (kind <= 1) {
    const comparison = COMPARISONS[Math.floor(random() * COMPARISONS.length)] as Comparison
    return { kind: 'compared', comparison }
  }
  if (kind === 2)
    return { kind: 'no-baseline', profile: profile({ kernels: BASE }, { gpus: H100 }) }
  if (kind === 3) return { kind: 'failed', message: 'nsys exited with 1\n<b>@octocat</b> | `x`' }
  if (kind === 4) return { kind: 'missing' }
  return { kind: 'unusable', message: 'its results are for another commit' }
}

function generate(random: () => number, max: number): AggregateLeg[] {
  const n = Math.floor(random() * (max + 1))
  return Array.from({ length: n }, () => ({
    name: NAMES[Math.floor(random() * NAMES.length)] as string,
    outcome: outcome(random)
  }))
}

// ---------------------------------------------------------------------------------------------
// The reference

type RefVerdict =
  'pass' | 'regression' | 'inconclusive' | 'accepted' | 'no-baseline' | 'error' | 'missing'

function refLeg(leg: Leg): { verdict: RefVerdict; regressions: number; improvements: number } {
  const o = leg.outcome
  if (o.kind === 'compared') {
    let regressions = 0
    let improvements = 0
    for (const table of o.comparison.tables) {
      for (const item of table.items) {
        if (item.status === 'regressed' && item.gated && !item.accepted) regressions += 1
        if (item.status === 'improved' && !('derived' in TABLES[table.table])) improvements += 1
      }
    }
    return { verdict: o.comparison.gate.verdict, regressions, improvements }
  }
  const verdict: RefVerdict =
    o.kind === 'no-baseline' ? 'no-baseline' : o.kind === 'missing' ? 'missing' : 'error'
  return { verdict, regressions: 0, improvements: 0 }
}

function refWhole(legs: readonly Leg[]): RefVerdict {
  const v = legs.map((l) => refLeg(l).verdict)
  if (v.length === 0) return 'inconclusive'
  if (v.includes('regression')) return 'regression'
  if (v.some((x) => x === 'inconclusive' || x === 'error' || x === 'missing')) return 'inconclusive'
  if (v.includes('accepted')) return 'accepted'
  if (v.includes('pass')) return 'pass'
  return 'no-baseline'
}

const WORD: Record<RefVerdict, string> = {
  regression: 'regression',
  inconclusive: 'inconclusive',
  accepted: 'accepted',
  pass: 'pass',
  'no-baseline': 'no baseline yet',
  error: 'error',
  missing: 'no results'
}

/** `\u{hex}` back to its character: what a reader sees, read back. */
const unshow = (text: string): string =>
  text.replace(/\\u\{([0-9a-f]+)\}/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))

const decode = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#8203;/g, '\u200b')
    .replace(/&amp;/g, '&')

/** The rendered table's rows: the first cell's text, the second's. */
function tableCells(markdown: string): { leg: string; verdict: string }[] {
  const html = renderHtml(markdown)
  const table = /<table>[\s\S]*?<\/table>/.exec(html)?.[0] ?? ''
  return [...table.matchAll(/<tr>\s*<td[^>]*>([\s\S]*?)<\/td>\s*<td[^>]*>([\s\S]*?)<\/td>/g)].map(
    (m) => ({ leg: m[1] ?? '', verdict: decode(m[2] ?? '') })
  )
}

const expectedCell = (name: string): string => (name === '' ? '<em>(no name)</em>' : name)

function legCell(cell: string): string {
  if (cell === '<em>(no name)</em>') return cell
  const code = /^<code>([\s\S]*)<\/code>$/.exec(cell)
  expect(code, cell).not.toBeNull()
  return unshow(decode(code?.[1] ?? ''))
}

function counted<T>(items: readonly T[]): Map<T, number> {
  const m = new Map<T, number>()
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1)
  return m
}

describe('the verdict of generated matrices, against the reference', () => {
  const random = seededRandom(20_261_202)
  const sets = Array.from({ length: 300 }, () => generate(random, 9))
  sets.push([])

  it('the whole, each leg, the sums, and never a pass without an honest comparison', () => {
    for (const legs of sets) {
      const a = aggregateLegs(legs)
      const refs = legs.map(refLeg)
      expect(a.verdict).toBe(refWhole(legs))
      expect(a.legs.map((l) => l.name)).toEqual(legs.map((l) => l.name))
      expect(a.legs.map((l) => l.verdict)).toEqual(refs.map((r) => r.verdict))
      expect(a.legs.map((l) => l.regressions)).toEqual(refs.map((r) => r.regressions))
      expect(a.legs.map((l) => l.improvements)).toEqual(refs.map((r) => r.improvements))
      if (a.verdict === 'pass') {
        expect(refs.every((r) => r.verdict === 'pass' || r.verdict === 'no-baseline')).toBe(true)
        expect(refs.some((r) => r.verdict === 'pass')).toBe(true)
      }
      // A reason per leg that is not a plain pass (nor only unbaselined), worst first.
      const noted = legs.filter((_, i) => !['pass', 'no-baseline'].includes(refs[i]!.verdict))
      if (legs.length === 0) expect(a.reasons.map((r) => r.code)).toEqual(['no-legs'])
      else expect(a.reasons).toHaveLength(noted.length)
      for (const r of a.reasons) {
        expect(r.severity).toBe(r.code === 'leg-accepted' ? 'info' : 'error')
        // The leg's name shown, not obeyed: no line break, no bidi override, no workflow command.
        const name = /^Leg ("(?:[^"\\]|\\.)*"): /.exec(r.message)?.[1] ?? ''
        expect(name).not.toMatch(/[\n\r\u202e\u200b]|##\[/)
      }
    }
  })
})

describe('the verdict never depends on prose', () => {
  /** The same legs, every message replaced by text that reads like another verdict. */
  function reworded(legs: readonly Leg[], text: string): Leg[] {
    return legs.map((leg) => {
      const o = leg.outcome
      if (o.kind === 'failed' || o.kind === 'unusable')
        return { ...leg, outcome: { ...o, message: text } }
      if (o.kind !== 'compared') return leg
      const comparison: Comparison = {
        ...o.comparison,
        gate: {
          ...o.comparison.gate,
          reasons: o.comparison.gate.reasons.map((r) => ({ ...r, message: text }))
        },
        notes: o.comparison.notes.map((n) => ({ ...n, message: text }))
      }
      return { ...leg, outcome: { kind: 'compared', comparison } }
    })
  }

  it('rewording every message changes no verdict, count or code', () => {
    const random = seededRandom(99)
    for (let i = 0; i < 100; i++) {
      const legs = generate(random, 8)
      const a = aggregateLegs(legs)
      for (const text of ['pass', 'no regression: ok', 'regression', 'inconclusive', '']) {
        const b = aggregateLegs(reworded(legs, text))
        expect(b.verdict).toBe(a.verdict)
        expect(b.legs.map((l) => [l.verdict, l.regressions, l.improvements])).toEqual(
          a.legs.map((l) => [l.verdict, l.regressions, l.improvements])
        )
        expect(b.reasons.map((r) => [r.code, r.severity])).toEqual(
          a.reasons.map((r) => [r.code, r.severity])
        )
      }
    }
  })
})

describe('the report of generated matrices, against the reference', () => {
  const random = seededRandom(7_070_707)
  const sets = Array.from({ length: 50 }, () => generate(random, 9)).filter((s) => s.length > 0)

  it('a row per leg (its name exact, escaped), its verdict, the counts, the details', () => {
    for (const legs of sets) {
      const a = aggregateLegs(legs)
      const text = renderAggregateMarkdown(legs, a, { fullReport: 'ART' })
      expect(checkTables(text)).toEqual([])
      const html = renderHtml(text)
      // No element from a leg: only the report's own.
      const tags = new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]))
      for (const tag of tags)
        expect([
          'h3',
          'h4',
          'p',
          'table',
          'thead',
          'tbody',
          'tr',
          'th',
          'td',
          'code',
          'strong',
          'em',
          'sub',
          'details',
          'summary',
          'pre',
          'blockquote',
          'ul',
          'li'
        ]).toContain(tag)
      const outside = html.replace(/<code[^>]*>[\s\S]*?<\/code>/g, '').replace(/<[^>]*>/g, ' ')
      expect(/.{0,40}@[A-Za-z].{0,40}/s.exec(outside)?.[0]).toBeUndefined()

      const rows = tableCells(text)
      expect(rows).toHaveLength(legs.length)
      // Every leg once, its name as it is (read back from what is shown).
      expect(counted(rows.map((r) => legCell(r.leg)))).toEqual(
        counted(legs.map((l) => expectedCell(l.name)))
      )
      // Legs of different names can be told apart (as shown, not only as read back).
      expect(new Set(rows.map((r) => r.leg)).size).toBe(new Set(legs.map((l) => l.name)).size)
      const refs = legs.map(refLeg)
      expect(counted(rows.map((r) => /^\S+ ([a-z ]+?)(?::|$)/.exec(r.verdict)?.[1]))).toEqual(
        counted(refs.map((r) => WORD[r.verdict]))
      )
      // The counts line.
      const line = /^\*\*Legs:\*\* (.*)$/m.exec(text)?.[1] ?? ''
      const parts = new Map(
        line.split(' · ').map((p) => {
          const m = /^(\d+) \S+ (.+)$/.exec(p)
          return [m?.[2], Number(m?.[1])]
        })
      )
      expect(parts).toEqual(counted(refs.map((r) => WORD[r.verdict])))
      // The heading.
      const whole = refWhole(legs)
      const heading = text.split('\n')[0] ?? ''
      const n = (vs: RefVerdict[]): number => refs.filter((r) => vs.includes(r.verdict)).length
      if (whole === 'regression')
        expect(heading).toContain(`regression in ${n(['regression'])} of ${legs.length} leg`)
      if (whole === 'inconclusive')
        expect(heading).toContain(
          `inconclusive — ${n(['inconclusive', 'error', 'missing'])} of ${legs.length} leg`
        )
      if (whole === 'pass') expect(heading).toMatch(/^### ✅ .*no GPU performance regression/)
      // Each leg's details, once.
      expect(
        counted(
          [...html.matchAll(/<details><summary>([^<]*?) · leg ([^<]*?)<\/summary>/g)].map(
            // (A zero-width space defuses @mentions, #123 and links: not part of the name.)
            (m) => `${m[1]} ${unshow(decode(m[2] ?? '').replace(/\u200b/g, ''))}`
          )
        )
      ).toEqual(
        counted(
          legs.map((l, i) => `${LABELS[refs[i]!.verdict]} ${l.name === '' ? '(no name)' : l.name}`)
        )
      )
    }
  })
})

const LABELS: Record<RefVerdict, string> = {
  regression: '❌ regression',
  inconclusive: '⚠️ inconclusive',
  accepted: '☑️ accepted',
  pass: '✅ pass',
  'no-baseline': '🆕 no baseline yet',
  error: '❗ error',
  missing: '❗ no results'
}

/** `n` kernels with long names, each 10% slower in the head: every one a regression. */
function big(n: number, tag: string): Comparison {
  const base: Record<string, number> = {}
  const head: Record<string, number> = {}
  for (let i = 0; i < n; i++) {
    const name = `void ${tag}::kernel_${i}<float, ${i % 5}>(float const*, float*, int)`
    base[name] = 1_000_000 + i * 100
    head[name] = Math.round((1_000_000 + i * 100) * 1.1)
  }
  return compareProfiles([profile({ kernels: base })], [profile({ kernels: head })], rules)
}

describe('the report of a large matrix under the comment limit', () => {
  const prefix = '<!-- nsys-bench:default -->\n'
  const sections = (text: string): string[] =>
    text.split(/^<details><summary>(?=[^\n]* · leg )/m).slice(1)

  for (const count of [6, 40, 256]) {
    it(`${count} legs: within the limit, and what is not whole is said, by name or by number`, () => {
      const random = seededRandom(count)
      const comparisons = [big(600, 'x'), big(60, 'y'), COMPARISONS[0]!, COMPARISONS[7]!]
      const legs: AggregateLeg[] = Array.from({ length: count }, (_, i) => {
        const pick = Math.floor(random() * 6)
        const name = `leg-${String(i).padStart(3, '0')}-${'n'.repeat(Math.floor(random() * 60))}`
        return {
          name,
          outcome:
            pick < 4
              ? { kind: 'compared', comparison: comparisons[pick]! }
              : pick === 4
                ? { kind: 'failed', message: 'F'.repeat(3000) }
                : { kind: 'missing' },
          fullReport: 'the full report is in its artifact'
        }
      })
      const a = aggregateLegs(legs)
      const whole = renderAggregateMarkdown(legs, a, { fullReport: 'ART' })
      const text = renderAggregateMarkdown(legs, a, {
        fullReport: 'ART',
        prefix,
        maxChars: COMMENT_LIMIT - prefix.length
      })
      expect(prefix.length + text.length).toBeLessThanOrEqual(COMMENT_LIMIT)
      expect(checkTables(text)).toEqual([])
      const rows = tableCells(text)
      const notShown = /_(\d+) (?:more )?legs? not shown/.exec(text)
      if (process.env.PROBE)
        console.log(
          count,
          rows.length,
          notShown?.[0],
          /_To keep[^\n]*/.exec(text)?.[0],
          /_The legs' details are not shown/.test(text)
        )
      expect(rows.length + Number(notShown?.[1] ?? 0)).toBe(count)
      if (rows.length < count) return
      const all = sections(whole)
      const got = sections(text)
      if (got.length === 0) {
        expect(text).toContain("_The legs' details are not shown")
        return
      }
      expect(got).toHaveLength(count)
      const cut = got.filter((s, i) => s !== all[i]).length
      const note = /_To keep this report within GitHub's size limit, (.*)_$/m.exec(text)?.[1] ?? ''
      const listedCount = [...note.matchAll(/(?:the details|those) of (\d+) legs?/g)].reduce(
        (n, m) => n + Number(m[1]),
        0
      )
      expect(listedCount).toBe(cut)
    })
  }
})
