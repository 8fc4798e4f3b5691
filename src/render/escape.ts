/**
 * Kernel names are hostile input: they come from user code and end up in PR comments and
 * terminals. Everything taken from a profile goes through these functions.
 */

// C0/C1 controls, bidirectional overrides/isolates and marks (Trojan Source), zero-width
// characters and the BOM: shown as visible \u{…} escapes rather than acted on.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu

/** Makes control and invisible characters visible: `\u{1b}`, `\u{202e}`. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (ch) => `\\u{${ch.codePointAt(0)?.toString(16) ?? ''}}`)
}

/** Shortens in the middle, keeping the start (namespace, template) and the end (arguments). */
export function shorten(text: string, max: number): string {
  const chars = [...text]
  if (chars.length <= max) return text
  const head = Math.ceil((max - 1) * 0.65)
  const tail = max - 1 - head
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`
}

/**
 * A name as an inline code span, safe inside a GFM table cell: HTML, mentions, emphasis and
 * links are inert in code; the fence is longer than any backtick run inside; `|` is escaped
 * for the table (GFM unescapes `\|` inside code spans in tables).
 */
export function codeSpan(name: string, maxLength = Infinity): string {
  let text = visible(shorten(name, maxLength))
  let longest = 0
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length)
  const fence = '`'.repeat(longest + 1)
  if (text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ')))
    text = ` ${text} `
  if (text === '') text = ' '
  return `${fence}${text.replace(/\|/g, '\\|')}${fence}`
}

/**
 * Untrusted text in Markdown prose or a table cell: no HTML, no emphasis or links (not even
 * bare URLs), no @mentions (a zero-width space after `@`, as Renovate does), no line breaks.
 */
export function markdownText(text: string): string {
  return (
    visible(text.replace(/\r?\n/g, ' '))
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Parentheses need no escape: with [ and ] escaped they cannot form a link.
      .replace(/([\\`*_[\]{}#+!|~])/g, '\\$1')
      .replace(/@/g, '@&#8203;')
      // GFM turns bare URLs and www. names into links: a zero-width space defuses them.
      .replace(/:\/\//g, ':&#8203;//')
      .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}&#8203;.`)
  )
}

/** Untrusted text for a terminal: no escape sequences, no control characters. */
export function terminalText(text: string): string {
  return visible(text)
}
