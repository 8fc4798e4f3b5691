import { visible } from '../text.js'

/**
 * Kernel names are hostile input: they come from user code and end up in PR comments and
 * terminals. Everything taken from a profile goes through these functions.
 */

/**
 * Shortens in the middle, keeping the start (namespace, template) and the end (arguments), by
 * code points. Only the kept ends are looked at: a 100 MB name costs no more than a short one.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  const head = Math.ceil((max - 1) * 0.65)
  const tail = max - 1 - head
  const start = takeStart(text, head)
  const end = tail > 0 ? takeEnd(text, tail) : ''
  // Fewer code points than `max` in all (surrogate pairs): nothing to cut.
  if (start.length + end.length >= text.length) return text
  return `${start}…${end}`
}

/** The first `n` code points. */
function takeStart(text: string, n: number): string {
  let i = 0
  for (let k = 0; k < n && i < text.length; k++) i += isHigh(text.charCodeAt(i)) ? 2 : 1
  return text.slice(0, Math.min(i, text.length))
}

/** The last `n` code points. */
function takeEnd(text: string, n: number): string {
  let i = text.length
  for (let k = 0; k < n && i > 0; k++) i -= isLow(text.charCodeAt(i - 1)) && i > 1 ? 2 : 1
  return text.slice(Math.max(i, 0))
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff

/**
 * A name as an inline code span, safe inside a GFM table cell: HTML, mentions, emphasis and
 * links are inert in code; the fence is longer than any backtick run inside; `|` is escaped
 * for the table (GFM unescapes `\|` inside code spans in tables). GFM parsers disagree on a
 * backslash right before a pipe (`a\|b`: micromark reads `\\` as an escaped backslash and splits
 * the cell at the pipe, cmark-gfm does not), so in a name with a pipe every backslash is shown as
 * `\u{5c}`, like the other characters that cannot be shown as they are.
 */
export function codeSpan(name: string, maxLength = Infinity): string {
  let text = blanksShown(visible(shorten(name, maxLength)))
  if (text.includes('|')) text = text.replace(/\\(?!u\{[0-9a-f]+\})/g, '\\u{5c}')
  return fenced(text, (inside) => inside.replace(/\|/g, '\\|'))
}

/** Untrusted text as inline code in prose, outside a table (where `|` needs no escape). */
export function inlineCode(text: string, maxLength = 200): string {
  return fenced(blanksShown(visible(shorten(text, maxLength))), (inside) => inside)
}

/**
 * A name of nothing but spaces with each space shown as `\u{20}`: as a code span it would be a
 * blank cell, one such name indistinguishable from another.
 */
function blanksShown(text: string): string {
  return /^ +$/.test(text) ? text.replace(/ /g, '\\u{20}') : text
}

/** A code span around shown text: a fence longer than any backtick run inside. */
function fenced(shown: string, escape: (inside: string) => string): string {
  let text = shown
  let longest = 0
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length)
  const fence = '`'.repeat(longest + 1)
  if (text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')))
    text = ` ${text} `
  if (text === '') text = ' '
  return `${fence}${escape(text)}${fence}`
}

/**
 * Untrusted text in Markdown prose or a table cell: no HTML, no emphasis or links (not even
 * bare URLs), no @mentions (a zero-width space after `@`, as Renovate does), no line breaks.
 */
export function markdownText(text: string): string {
  return (
    visible(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Parentheses need no escape: with [ and ] escaped they cannot form a link.
      .replace(/([\\`*_[\]{}#+!|~])/g, '\\$1')
      .replace(/@/g, '@&#8203;')
      // GitHub links `#123`, `owner/repo#123` and `GH-123` even escaped (`\#123`), and a
      // reference to another repository's issue adds an entry to it: a zero-width space defuses them.
      .replace(/\\#(?=\d)/g, '\\#&#8203;')
      .replace(/\bGH-(?=\d)/gi, (gh) => `${gh}&#8203;`)
      // GFM turns bare URLs and www. names into links: a zero-width space defuses them. A www
      // link may start after any character but a letter or digit (`_www.`, escaped `\_www.`).
      .replace(/:\/\//g, ':&#8203;//')
      .replace(/(?<![a-z0-9])www\./gi, (www) => `${www.slice(0, 3)}&#8203;.`)
  )
}

/**
 * Untrusted multi-line text as a fenced code block: everything inside is literal; the fence is
 * longer than any backtick run inside; invisible characters other than line breaks are shown.
 */
export function codeBlock(text: string): string {
  const body = visible(text.replace(/\r\n?/g, '\n'), true)
  let longest = 2
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length)
  const fence = '`'.repeat(longest + 1)
  return `${fence}text\n${body}\n${fence}`
}

/** Untrusted text for a terminal: no escape sequences, no control characters. */
export function terminalText(text: string): string {
  return visible(text)
}

/**
 * Untrusted text inside raw HTML (a `<summary>` line is an HTML block: Markdown is not read
 * there, so backslash escapes would show): entities for `& < > " '`, no @mentions and no bare
 * links (a zero-width space, as in markdownText), no line breaks or other invisible characters.
 */
export function htmlText(text: string): string {
  return (
    visible(text)
      .replace(/&/g, '&amp;')
      // Before any entity of ours, which holds `#` and digits: `#123` and `GH-123` (markdownText).
      .replace(/#(?=\d)/g, '#&#8203;')
      .replace(/\bGH-(?=\d)/gi, (gh) => `${gh}&#8203;`)
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;')
      .replace(/@/g, '@&#8203;')
      .replace(/:\/\//g, ':&#8203;//')
      .replace(/(?<![a-z0-9])www\./gi, (www) => `${www.slice(0, 3)}&#8203;.`)
  )
}
