import { describe, expect, it } from 'vitest'
import { aggregateLegs } from '../../src/compare/aggregate.js'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { renderAggregateMarkdown, type AggregateLeg } from '../../src/render/aggregate.js'
import { COMMENT_LIMIT, reportTitle } from '../../src/render/markdown.js'
import { profile } from '../support/profiles.js'

/**
 * A leg's name is untrusted (an artifact name): a very long one is shortened in the heading of
 * the leg's report, as it is in the table and the summary, so that the report still fits.
 */
describe('a leg with a 70,000-character name', () => {
  const name = `leg-${'L'.repeat(70_000)}`
  const comparison = compareProfiles(
    [profile({ kernels: { k1: 1_000_000, k2: 1_000_000 } })],
    [profile({ kernels: { k1: 2_000_000, k2: 1_000_000 } })],
    buildRules(undefined)
  )
  const legs: AggregateLeg[] = [
    { name, outcome: { kind: 'compared', comparison } },
    { name: 'short', outcome: { kind: 'compared', comparison } }
  ]

  it("keeps that leg's report in the comment, under a shortened heading", () => {
    const out = renderAggregateMarkdown(legs, aggregateLegs(legs), {
      maxChars: COMMENT_LIMIT,
      fullReport: 'ART'
    })
    expect(out.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(out).not.toContain('left out')
    expect(out).not.toContain("This leg's report did not fit")
    // Both legs' reports, each with its regression.
    expect(out.match(/^#### Regressions \(1\)$/gm)).toHaveLength(2)
    const heading = out.split('\n').find((l) => l.startsWith('### ❌ nsys-bench (leg-'))
    expect(heading).toBeDefined()
    expect(heading!.length).toBeLessThan(300)
  })

  it('a title is at most a few hundred characters whatever the name', () => {
    expect(reportTitle(name).length).toBeLessThan(300)
    expect(reportTitle('gpu | @a')).toBe('nsys-bench (gpu \\| @&#8203;a)')
  })
})
