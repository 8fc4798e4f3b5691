import { describe, expect, it } from 'vitest'
import { aggregateLegs } from '../../src/compare/aggregate.js'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { renderAggregateMarkdown, type AggregateLeg } from '../../src/render/aggregate.js'
import { checkTables } from '../fuzz/check-markdown.js'
import { profile } from '../support/profiles.js'

/**
 * Two legs whose names differ only in Unicode normalisation (`é` as one code point, or `e` and a
 * combining accent) look the same: before, their rows, summaries and headings read alike, one a
 * pass and one a regression, and a reader could not tell which leg regressed. The combining marks
 * of such names are shown as code points; other names are shown as they are.
 */
const rules = buildRules(undefined)
const compare = (head: number) =>
  compareProfiles(
    [profile({ kernels: { k1: 4_000_000, k2: 1_000_000 } })],
    [profile({ kernels: { k1: 4_000_000, k2: head } })],
    rules
  )

describe('legs whose names differ only in Unicode normalisation', () => {
  const NFC = '\u00e9t\u00e9-h100'
  const NFD = 'e\u0301te\u0301-h100'
  const legs: AggregateLeg[] = [
    { name: NFC, outcome: { kind: 'compared', comparison: compare(1_000_000) } },
    { name: NFD, outcome: { kind: 'compared', comparison: compare(1_500_000) } },
    { name: 'a\u0301-alone', outcome: { kind: 'missing' } }
  ]
  const text = renderAggregateMarkdown(legs, aggregateLegs(legs))

  it('shows them apart: in the table, the summaries and the headings', () => {
    expect(text).toContain('| `e\\u{301}te\\u{301}-h100` | ❌ regression')
    expect(text).toContain(`| \`${NFC}\` | ✅ pass`)
    expect(text).toContain(
      '<details><summary>❌ regression · leg e\\u{301}te\\u{301}-h100</summary>'
    )
    expect(text).toContain(`<details><summary>✅ pass · leg ${NFC}</summary>`)
    expect(text).toContain(
      // (Markdown prose: the backslashes and braces escaped, read as e\u{301}te\u{301}.)
      '### ❌ nsys-bench (e\\\\u\\{301\\}te\\\\u\\{301\\}-h100): GPU performance regression'
    )
    expect(checkTables(text)).toEqual([])
  })

  it('leaves a name that no other resembles as it is', () => {
    expect(text).toContain('| `a\u0301-alone` | ❗ no results')
  })
})
