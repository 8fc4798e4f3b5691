import { describe, expect, it } from 'vitest'
import { aggregateLegs } from '../../src/compare/aggregate.js'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { renderAggregateMarkdown, type AggregateLeg } from '../../src/render/aggregate.js'
import { COMMENT_LIMIT } from '../../src/render/markdown.js'
import { profile } from '../support/profiles.js'
import { seededRandom } from '../support/random.js'

/**
 * The note of what was cut names the first ten legs of each list, which may be any legs, not the
 * first rows: the room kept for it must hold the longest names. Before, it held the names of the
 * first rows (worst first: here, short names of small reports), and a report whose cut legs had
 * long names (shown: invisible characters take 8 each) came out longer than GitHub's limit.
 */
const rules = buildRules(undefined)
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
const small = compareProfiles(
  [profile({ kernels: { k: 1_000_000 } })],
  [profile({ kernels: { k: 2_000_000 } })],
  rules
)

describe('the note of the legs cut to fit', () => {
  for (const [what, long] of [
    ['long names', (i: number) => `z${i}-${'n'.repeat(98)}`],
    ['names of invisible characters', (i: number) => `z${i}${'\u200b'.repeat(60)}`]
  ] as const) {
    it(`fits with the cut legs' ${what}, whatever the limit`, () => {
      const legs: AggregateLeg[] = [
        // Worst first: the short names of small reports are the first rows.
        ...Array.from({ length: 10 }, (_, i) => ({
          name: `a${i}`,
          outcome: { kind: 'compared' as const, comparison: small }
        })),
        ...Array.from({ length: 4 }, (_, i) => ({
          name: long(i),
          outcome: { kind: 'compared' as const, comparison: big(400, `t${i}`) }
        }))
      ]
      const aggregate = aggregateLegs(legs)
      const prefix = '<!-- nsys-bench:default -->\n'
      for (const maxChars of [30_000, 40_000, 50_000, COMMENT_LIMIT - prefix.length]) {
        const text = renderAggregateMarkdown(legs, aggregate, {
          maxChars,
          prefix,
          fullReport: 'ART'
        })
        expect(prefix.length + text.length).toBeLessThanOrEqual(maxChars)
        // What was cut is said, naming the legs.
        expect(text).toMatch(
          /^_To keep this report within GitHub's size limit, the details of .*`z0/m
        )
      }
      for (const maxBytes of [40_000, 60_000]) {
        const text = renderAggregateMarkdown(legs, aggregate, { maxBytes, fullReport: 'ART' })
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(maxBytes)
      }
    })
  }
})

describe('the aggregate report under generated limits', () => {
  it('is never longer than the limit, and says what it cut', () => {
    const random = seededRandom(65_536)
    const comparisons = [big(300, 'p'), big(40, 'q'), small]
    const names = [
      'h100',
      `long-${'n'.repeat(95)}`,
      '\u200b'.repeat(70),
      '<b>@octocat</b> | `x`',
      '',
      'e\u0301'.repeat(30)
    ]
    for (let round = 0; round < 16; round++) {
      const legs: AggregateLeg[] = Array.from({ length: 1 + Math.floor(random() * 30) }, () => {
        const pick = Math.floor(random() * 5)
        const name = `${names[Math.floor(random() * names.length)]}${Math.floor(random() * 100)}`
        return {
          name,
          outcome:
            pick < 3
              ? { kind: 'compared' as const, comparison: comparisons[pick]! }
              : pick === 3
                ? { kind: 'failed' as const, message: 'F\n'.repeat(Math.floor(random() * 2000)) }
                : { kind: 'missing' as const }
        }
      })
      const aggregate = aggregateLegs(legs)
      const maxChars = 2_000 + Math.floor(random() * 70_000)
      const text = renderAggregateMarkdown(legs, aggregate, { maxChars, fullReport: 'ART' })
      expect(text.length).toBeLessThanOrEqual(maxChars)
      const whole = renderAggregateMarkdown(legs, aggregate, { fullReport: 'ART' })
      if (text !== whole) expect(text).toMatch(/size limit/)
    }
  })
})
