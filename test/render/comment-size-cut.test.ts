import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { COMMENT_LIMIT, renderMarkdown, SUMMARY_LIMIT_BYTES } from '../../src/render/markdown.js'
import { checkTables, renderHtml } from '../fuzz/check-markdown.js'
import { profile } from '../support/profiles.js'

/**
 * A report cut to fit GitHub's limits: 20,000 regressed kernels with 3,000-character hostile
 * names (comment markers, pipes, backticks, mentions). What is cut is counted once, and said
 * with where the rest is; the verdict and the regressions stay; every block stays closed.
 */
const KERNELS = 20_000
/** 20,000 kernels and the one category they all fall in ("other"). */
const ROWS = KERNELS + 1
const FULL = 'the full report is in the artifact'
const MARKER = '<!-- nsys-bench:default -->\n'

function regressed(): Comparison {
  const base: Record<string, number> = {}
  const head: Record<string, number> = {}
  for (let i = 0; i < KERNELS; i++) {
    // 3,000 characters: `k<i>_` and 375 × an 8-character hostile piece, cut to 3,000.
    const name = `k${i}_${'<!--|`@x'.repeat(375)}`.slice(0, 3000)
    base[name] = 1_000_000 + i
    head[name] = 2_000_000 + i
  }
  return compareProfiles(
    [profile({ kernels: base })],
    [profile({ kernels: head })],
    buildRules({ minShare: 0.0001 })
  )
}

/** The numbers of `_N rows not shown._` (one per table cut) and of the closing note. */
function cuts(markdown: string): { perTable: number[]; total: number | undefined } {
  const perTable = [...markdown.matchAll(/^_(\d+) rows? not shown\._$/gm)].map((m) => Number(m[1]))
  const total = /^_(\d+) rows? not shown to keep this report within GitHub's size limit/m.exec(
    markdown
  )?.[1]
  return { perTable, total: total === undefined ? undefined : Number(total) }
}

function checkStructure(markdown: string): void {
  const html = renderHtml(markdown)
  expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length)
  // Every `<!--` of a name is inside a code span: none reaches the HTML as a comment.
  expect(html.replace(/<code>[\s\S]*?<\/code>/g, '')).not.toContain('<!--')
  expect(checkTables(markdown)).toEqual([])
}

describe('a report of 20,000 regressed kernels with 3,000-character names', () => {
  const comparison = regressed()

  describe('as the PR comment', () => {
    const markdown = renderMarkdown(comparison, {
      maxChars: COMMENT_LIMIT - MARKER.length,
      fullReport: FULL
    })

    it('keeps the verdict, its reason and some regressions, within the limit, every block closed', () => {
      expect(MARKER.length + markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT)
      const lines = markdown.split('\n')
      expect(lines[0]).toBe('### ❌ nsys-bench: GPU performance regression')
      expect(lines).toContain(
        '> 20000 gated items regressed (GPU kernels: 20000), and the total of GPU kernels regressed.'
      )
      const section = markdown.slice(markdown.indexOf('#### Regressions (20000)'))
      const rows = section
        .slice(0, section.indexOf('\n\n', section.indexOf('| :-')))
        .split('\n')
        .filter((line) => line.startsWith('| `'))
      expect(rows.length).toBeGreaterThanOrEqual(5)
      checkStructure(markdown)
    })

    it('counts each row cut once: the closing note sums the tables, never more rows than exist', () => {
      const { perTable, total } = cuts(markdown)
      expect(perTable.length).toBeGreaterThan(0)
      expect(total).toBe(perTable.reduce((a, b) => a + b, 0))
      expect(total).toBeLessThanOrEqual(ROWS)
    })

    it('sends the regressions it does not list to the full report, not to a table that was cut too', () => {
      const more = /^_… and (\d+) more(.*)_$/m.exec(markdown)
      expect(more).not.toBeNull()
      expect(more?.[2]).not.toContain('full table below')
      expect(more?.[2]).toContain(FULL)
    })
  })

  describe('as the job summary', () => {
    const markdown = renderMarkdown(comparison, {
      maxBytes: SUMMARY_LIMIT_BYTES - 1024,
      fullReport: FULL
    })

    it('stays under 1 MiB and counts each row cut once', () => {
      expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES - 1024)
      const { perTable, total } = cuts(markdown)
      expect(total).toBe(perTable.reduce((a, b) => a + b, 0))
      expect(total).toBeLessThanOrEqual(ROWS)
      checkStructure(markdown)
    })
  })
})
