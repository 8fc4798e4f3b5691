import { describe, expect, it } from 'vitest'
import { aggregateLegs } from '../../src/compare/aggregate.js'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { renderAggregateMarkdown, type AggregateLeg } from '../../src/render/aggregate.js'
import { renderMarkdown } from '../../src/render/markdown.js'
import { checkTables, renderHtml } from '../fuzz/check-markdown.js'
import { profile } from '../support/profiles.js'

/**
 * The aggregate report of a matrix. The frame (heading, counts, table, the legs' summaries, the
 * notes of what was cut) is written here by hand; a compared leg's details are its own report
 * (renderMarkdown, tested in render.test.ts), folded.
 */
const rules = buildRules(undefined)
const compare = (base: Record<string, number>, head: Record<string, number>): Comparison =>
  compareProfiles([profile({ kernels: base })], [profile({ kernels: head })], rules)

/** h100: k2 1.00 → 1.50 ms (+50%), the total 5.00 → 5.50 ms (+10%). */
const h100 = compare({ k1: 4_000_000, k2: 1_000_000 }, { k1: 4_000_000, k2: 1_500_000 })
const a100 = compare({ k1: 4_000_000, k2: 1_000_000 }, { k1: 4_000_000, k2: 1_000_000 })

const LEGS: AggregateLeg[] = [
  { name: 'a100', outcome: { kind: 'compared', comparison: a100 }, context: ['Head: `a1`.'] },
  { name: 'mi300', outcome: { kind: 'failed', message: 'nsys exited with 1\nlast line' } },
  { name: 'h100', outcome: { kind: 'compared', comparison: h100 }, context: ['Head: `h1`.'] },
  {
    name: 'new',
    outcome: { kind: 'no-baseline', profile: profile({ kernels: { k1: 2_000_000 } }) }
  },
  { name: 'l4', outcome: { kind: 'missing' } }
]
const OPTIONS = {
  context: ['Head: `abc1234` · 5 legs.'],
  footer: 'nsys-bench test · [run](https://github.com/o/r/actions/runs/1)'
}

describe('the aggregate report', () => {
  const text = renderAggregateMarkdown(LEGS, aggregateLegs(LEGS), OPTIONS)

  it('starts with the verdict, the legs by verdict, and one row per leg, worst first', () => {
    expect(text.slice(0, text.indexOf('<details>'))).toBe(
      [
        '### ❌ nsys-bench: GPU performance regression in 1 of 5 legs',
        '',
        '**Legs:** 1 ❌ regression · 1 ❗ error · 1 ❗ no results · 1 ✅ pass · 1 🆕 no baseline yet',
        '',
        'Head: `abc1234` · 5 legs.',
        '',
        '| Leg | Verdict | Total GPU kernel time | Regressed | Improved | New | Removed | Top regression |',
        '| :- | :- | -: | -: | -: | -: | -: | :- |',
        '| `h100` | ❌ regression: 1 gated item regressed (GPU kernels: 1), and the total of GPU kernels regressed. | 5.00 ms → 5.50 ms (+10.0%) | 1 | 0 | 0 | 0 | `k2` +50.0% (+500.00 µs) |',
        '| `l4` | ❗ no results: the leg left no results (see its details) | — | — | — | — | — | — |',
        '| `mi300` | ❗ error: failed before a verdict: nsys exited with 1\\\\u\\{a\\}last line | — | — | — | — | — | — |',
        '| `a100` | ✅ pass | 5.00 ms → 5.00 ms (0.0%) | 0 | 0 | 0 | 0 | — |',
        '| `new` | 🆕 no baseline yet | — → 2.00 ms | — | — | — | — | — |',
        '',
        ''
      ].join('\n')
    )
  })

  it('a pass counts only the legs compared; the legs without a baseline yet are said', () => {
    const legs = LEGS.filter((l) => l.name === 'a100' || l.name === 'new')
    const pass = renderAggregateMarkdown(legs, aggregateLegs(legs), OPTIONS)
    expect(pass.split('\n')[0]).toBe(
      '### ✅ nsys-bench: no GPU performance regression in 1 leg compared (1 without a baseline yet)'
    )
    const compared = LEGS.filter((l) => l.name === 'a100')
    expect(renderAggregateMarkdown(compared, aggregateLegs(compared), OPTIONS).split('\n')[0]).toBe(
      '### ✅ nsys-bench: no GPU performance regression in 1 leg'
    )
  })

  it("then folds each leg's own report, in the order of the rows, and ends with the footer", () => {
    const details = text.slice(text.indexOf('<details>'))
    const summaries = [...details.matchAll(/^<details><summary>(.* · leg .*)<\/summary>$/gm)].map(
      (m) => m[1]
    )
    expect(summaries).toEqual([
      '❌ regression · leg h100',
      '❗ no results · leg l4',
      '❗ error · leg mi300',
      '✅ pass · leg a100',
      '🆕 no baseline yet · leg new'
    ])
    const h100Report = renderMarkdown(h100, {
      title: 'nsys-bench (h100)',
      context: ['Head: `h1`.']
    })
    expect(details).toContain(
      `<details><summary>❌ regression · leg h100</summary>\n\n${h100Report}\n</details>\n`
    )
    expect(h100Report.startsWith('### ❌ nsys-bench (h100): GPU performance regression\n')).toBe(
      true
    )
    expect(details).toContain(
      [
        '<details><summary>❗ no results · leg l4</summary>',
        '',
        'The leg left no results in this run: it failed before nsys-bench wrote any (a step before it failed, the job was cancelled or timed out, the runner was lost), or it did not run. It has no verdict, so the whole is inconclusive.',
        '',
        '</details>',
        ''
      ].join('\n')
    )
    expect(details).toContain(
      [
        '<details><summary>❗ error · leg mi300</summary>',
        '',
        'The leg failed before a verdict; its message:',
        '',
        '```text',
        'nsys exited with 1',
        'last line',
        '```',
        '',
        '</details>',
        ''
      ].join('\n')
    )
    expect(details).toContain(
      '<details><summary>🆕 no baseline yet · leg new</summary>\n\n### nsys-bench (new): profile recorded, no baseline to compare with\n'
    )
    expect(
      text.endsWith(
        '</details>\n\n<sub>nsys-bench test · [run](https://github.com/o/r/actions/runs/1)</sub>\n'
      )
    ).toBe(true)
    expect(text).not.toContain('size limit')
  })

  it('says when there were no legs at all', () => {
    expect(renderAggregateMarkdown([], aggregateLegs([]), OPTIONS)).toBe(
      [
        "### ⚠️ nsys-bench: inconclusive — no leg's results were found",
        '',
        "> No leg's results were found in the run: there is nothing to judge, which is not a pass.",
        '',
        'Head: `abc1234` · 5 legs.',
        '',
        '<sub>nsys-bench test · [run](https://github.com/o/r/actions/runs/1)</sub>',
        ''
      ].join('\n')
    )
  })

  it('escapes leg names: code spans in the table, entities in the summaries', () => {
    const name = '<b>x</b> @octocat | `y`'
    const legs: AggregateLeg[] = [{ name, outcome: { kind: 'missing' } }]
    const out = renderAggregateMarkdown(legs, aggregateLegs(legs))
    expect(out).toContain('| `` <b>x</b> @octocat \\| `y` `` | ❗ no results: ')
    expect(out).toContain(
      '<details><summary>❗ no results · leg &lt;b&gt;x&lt;/b&gt; @&#8203;octocat | `y`</summary>'
    )
    const html = renderHtml(out)
    expect(html).not.toContain('<b>')
    expect(checkTables(out)).toEqual([])
  })
})

/** `n` kernels with long names, each 10% slower in the head: every one a regression. */
function big(n: number, tag: string): Comparison {
  const base: Record<string, number> = {}
  const head: Record<string, number> = {}
  for (let i = 0; i < n; i++) {
    const name = `void ${tag}::kernel_${i}<float, ${i % 5}>(float const*, float*, int)`
    base[name] = 1_000_000 + i * 100
    head[name] = Math.round((1_000_000 + i * 100) * 1.1)
  }
  return compare(base, head)
}

describe('the aggregate report under a size limit', () => {
  const legs: AggregateLeg[] = [
    { name: 'big1', outcome: { kind: 'compared', comparison: big(2000, 'one') } },
    { name: 'big2', outcome: { kind: 'compared', comparison: big(2000, 'two') } },
    { name: 'small', outcome: { kind: 'compared', comparison: a100 } },
    { name: 'crash', outcome: { kind: 'failed', message: 'segfault' } }
  ]
  const aggregate = aggregateLegs(legs)
  const fullReport = 'the full reports are in the artifacts'
  const sections = (text: string): Map<string, string> =>
    new Map(
      text
        .split(/^<details><summary>(?=[^\n]* · leg )/m)
        .slice(1)
        .map((part) => {
          const name = /leg (\S+)<\/summary>/.exec(part)?.[1] ?? ''
          return [name, part]
        })
    )

  it('gives the large legs equal shares, keeps small ones whole, and says what it cut', () => {
    const text = renderAggregateMarkdown(legs, aggregate, { maxChars: 20_000, fullReport })
    expect(text.length).toBeLessThanOrEqual(20_000)
    expect(text.length).toBeGreaterThan(18_000)
    expect(text).toContain(
      "\n_To keep this report within GitHub's size limit, the details of 2 legs were shortened (`big1`, `big2`); the full reports are in the artifacts._\n"
    )
    const parts = sections(text)
    expect([...parts.keys()]).toEqual(['big1', 'big2', 'crash', 'small'])
    // Whole: the small comparison and the failure.
    expect(parts.get('small')).toContain(
      renderMarkdown(a100, { title: 'nsys-bench (small)', context: [] })
    )
    expect(parts.get('crash')).toContain('```text\nsegfault\n```')
    // Shortened, to within a few rows of each other.
    const [one, two] = [parts.get('big1') ?? '', parts.get('big2') ?? '']
    expect(one).toMatch(/_\d+ rows not shown to keep this report within GitHub's size limit/)
    expect(two).toMatch(/_\d+ rows not shown to keep this report within GitHub's size limit/)
    expect(Math.abs(one.length - two.length)).toBeLessThan(1000)
    expect(renderHtml(text).match(/<details>/g)?.length).toBe(
      renderHtml(text).match(/<\/details>/g)?.length
    )
    expect(checkTables(text)).toEqual([])
  })

  it('counts the prefix, and measures bytes for a summary', () => {
    const prefix = '<!-- nsys-bench:default -->\n'
    const chars = renderAggregateMarkdown(legs, aggregate, { maxChars: 20_000, prefix })
    expect(prefix.length + chars.length).toBeLessThanOrEqual(20_000)
    const bytes = renderAggregateMarkdown(legs, aggregate, { maxBytes: 20_000 })
    expect(Buffer.byteLength(bytes)).toBeLessThanOrEqual(20_000)
    // The emoji and arrows take more bytes than characters: less fits.
    expect(bytes.length).toBeLessThan(chars.length + prefix.length)
  })

  it('leaves the details out, then rows, when even the table hardly fits', () => {
    const render = (maxChars: number): string => {
      const text = renderAggregateMarkdown(legs, aggregate, { maxChars, fullReport })
      expect(text.length).toBeLessThanOrEqual(maxChars)
      return text
    }
    expect(render(1_400)).toContain(
      "\n_To keep this report within GitHub's size limit, the details of 1 leg was shortened (`big2`) and those of 2 legs left out (`big1`, `small`); the full reports are in the artifacts._\n"
    )
    const leftOut = render(1_200)
    expect(leftOut).toContain(
      "\n_To keep this report within GitHub's size limit, the details of 4 legs were left out (`big1`, `big2`, `crash`, `small`); the full reports are in the artifacts._\n"
    )
    expect(
      leftOut.match(/_This leg's report did not fit in this space; the full reports/g)
    ).toBeNull()
    expect(leftOut.match(/_This leg's report did not fit in this space\._/g)).toHaveLength(4)
    // Shorter cells: the verdict without its reasons.
    expect(leftOut).toContain('| `crash` | ❗ error | — | — | — | — | — | — |')

    const noDetails = render(900)
    expect(noDetails).not.toContain('<details>')
    expect(noDetails).toContain(
      "\n_The legs' details are not shown, to keep this report within GitHub's size limit; the full reports are in the artifacts._\n"
    )
    expect(noDetails).toContain('| `small` | ✅ pass |')

    const fewer = render(600)
    expect(fewer).not.toContain('`small`')
    expect(fewer).toContain(
      "| `crash` | ❗ error | — | — | — | — | — | — |\n\n_1 more leg not shown, nor any leg's details, to keep this report within GitHub's size limit; the full reports are in the artifacts._\n"
    )
  })
})
