import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { codeSpan, inlineCode, markdownText } from '../../src/render/escape.js'
import { COMMENT_LIMIT, renderMarkdown } from '../../src/render/markdown.js'
import { renderHtml } from '../fuzz/check-markdown.js'
import { profile } from '../support/profiles.js'

/**
 * Names made of nothing but spaces, and names with spaces other than U+0020 (no-break, ideographic,
 * thin): each must be told from the others and from an empty cell (the contract: separator
 * characters are shown as `\u{…}`).
 */
describe('names that are only blanks', () => {
  const names = [' ', '  ', '\u00a0', '\u3000', 'a\u2009b', 'a b']

  it('are shown, each as itself', () => {
    expect(codeSpan(' ')).toBe('`\\u{20}`')
    expect(codeSpan('  ')).toBe('`\\u{20}\\u{20}`')
    expect(codeSpan('\u00a0')).toBe('`\\u{a0}`')
    expect(codeSpan('\u3000')).toBe('`\\u{3000}`')
    expect(codeSpan('a\u2009b')).toBe('`a\\u{2009}b`')
    // An ordinary space inside a name stays a space.
    expect(codeSpan('a b')).toBe('`a b`')
    expect(inlineCode('\u00a0')).toBe('`\\u{a0}`')
    expect(markdownText('a\u00a0b')).toBe('a\\\\u\\{a0\\}b')
  })

  it('get a cell of their own in the comment, none of them blank', () => {
    const base = Object.fromEntries(names.map((n, i) => [n, 100_000 + i * 1000]))
    const head = Object.fromEntries(names.map((n, i) => [n, 200_000 + i * 1000]))
    const c = compareProfiles(
      [profile({ kernels: base })],
      [profile({ kernels: head })],
      buildRules(undefined)
    )
    const html = renderHtml(renderMarkdown(c, { maxChars: COMMENT_LIMIT }))
    const section = html.slice(html.indexOf('Regressions (6)'), html.indexOf('</table>'))
    const cells = [...section.matchAll(/<tr>\s*<td[^>]*><code>([\s\S]*?)<\/code><\/td>/g)].map(
      (m) => m[1] ?? ''
    )
    expect(cells).toHaveLength(names.length)
    expect(new Set(cells).size).toBe(names.length)
    for (const cell of cells) expect(cell.trim()).not.toBe('')
    for (const cell of cells) expect(cell).not.toMatch(/[\u00a0\u2009\u3000]/u)
  })
})
