import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { MARKDOWN_MAX_CHARS, violation, type Violation } from './contract.js'

/** The only HTML elements a rendered report may contain. */
export const ALLOWED_ELEMENTS: ReadonlySet<string> = new Set([
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'div'],
  ...['table', 'thead', 'tbody', 'tr', 'th', 'td'],
  ...['code', 'strong', 'em', 'sub', 'sup'],
  ...['details', 'summary', 'blockquote', 'ul', 'ol', 'li']
])

/** Renders Markdown the way GitHub's parser does (CommonMark + GFM, raw HTML kept). */
export function renderHtml(markdown: string): string {
  return micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()]
  })
}

/**
 * A PR comment / job summary: short enough for GitHub, no links, images or mentions, no HTML
 * beyond the allow-list, tables that keep their shape, every <details> closed.
 */
export function checkMarkdown(markdown: string): Violation[] {
  const out: Violation[] = []
  if (markdown.length > MARKDOWN_MAX_CHARS)
    out.push(violation('md:too-long', `${markdown.length} characters`))
  const html = renderHtml(markdown)
  out.push(...checkElements(html), ...checkMentions(html), ...checkDetails(html))
  out.push(...checkTables(markdown))
  return dedupe(out)
}

function checkElements(html: string): Violation[] {
  const out: Violation[] = []
  for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/gu)) {
    const tag = (match[2] ?? '').toLowerCase()
    if (ALLOWED_ELEMENTS.has(tag)) continue
    const excerpt = html.slice(match.index, match.index + 160)
    if (tag === 'a' && match[1] === '') out.push(violation(linkClause(html, match.index), excerpt))
    else if (tag === 'img') out.push(violation('md:image', excerpt))
    else if (tag !== 'a') out.push(violation(`md:element(<${tag}>)`, excerpt))
  }
  return out
}

/** `md:autolink` when the link text is its own URL (GFM autolink literal), else `md:link`. */
function linkClause(html: string, index: number): string {
  const m = /^<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/u.exec(html.slice(index))
  if (!m) return 'md:link'
  const href = decode(m[1] ?? '')
  const text = decode(m[2] ?? '')
  const bare = href.replace(/^(https?:\/\/|mailto:)/u, '')
  return text === href || text === bare ? 'md:autolink' : 'md:link'
}

/** Every `@` + letter outside <code> would notify someone (a zero-width space after @ defuses). */
function checkMentions(html: string): Violation[] {
  const text = html.replace(/<code>[\s\S]*?<\/code>/gu, '').replace(/<[^>]*>/gu, ' ')
  const m = /@[A-Za-z]/u.exec(decode(text))
  return m
    ? [violation('md:mention', decode(text).slice(Math.max(0, m.index - 30), m.index + 30))]
    : []
}

function checkDetails(html: string): Violation[] {
  let depth = 0
  for (const m of html.matchAll(/<(\/?)details[\s>]/gu)) {
    depth += m[1] === '/' ? -1 : 1
    if (depth < 0) return [violation('md:details-unbalanced', 'a </details> closes nothing')]
  }
  return depth === 0 ? [] : [violation('md:details-unbalanced', `${depth} <details> not closed`)]
}

const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/u
/** Lines that start another block and so end a GFM table. */
const BLOCK_START = /^ {0,3}(#|>|<|```|~~~|[-*+] |\d+[.)] |(\*\s*){3,}$|(-\s*){3,}$|(_\s*){3,}$)/u

/** Every row of a GFM table must have as many cells as its header row (checked on the source). */
export function checkTables(markdown: string): Violation[] {
  const lines = markdown.split(/\r\n|\r|\n/u)
  const out: Violation[] = []
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i] ?? ''
    const delimiter = lines[i + 1] ?? ''
    if (!header.includes('|') || !DELIMITER_ROW.test(delimiter)) continue
    const cells = countCells(header)
    if (countCells(delimiter) !== cells) {
      out.push(violation('md:table-cells', `delimiter row of "${header}"`))
      continue
    }
    let j = i + 2
    for (; j < lines.length; j++) {
      const row = lines[j] ?? ''
      if (row.trim() === '' || BLOCK_START.test(row)) break
      const n = countCells(row)
      if (n !== cells) {
        out.push(violation('md:table-cells', `${n} cells, header has ${cells}: ${row}`))
        break
      }
    }
    i = j - 1
  }
  return out
}

/** Cells in a table row: pipes not escaped with a backslash separate them (even in code spans). */
export function countCells(row: string): number {
  const cells: string[] = []
  let cell = ''
  const text = row.trim()
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\\' && i + 1 < text.length) {
      cell += c + text[i + 1]
      i++
    } else if (c === '|') {
      cells.push(cell)
      cell = ''
    } else cell += c
  }
  cells.push(cell)
  if (cells.length > 1 && cells[0]?.trim() === '') cells.shift()
  if (cells.length > 1 && cells.at(-1)?.trim() === '') cells.pop()
  return cells.length
}

function decode(text: string): string {
  return text
    .replace(/&quot;/gu, '"')
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&amp;/gu, '&')
}

function dedupe(list: Violation[]): Violation[] {
  const seen = new Set<string>()
  return list.filter((v) => !seen.has(v.clause) && seen.add(v.clause) !== undefined)
}
