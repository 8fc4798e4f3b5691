/**
 * Untrusted text in messages. Names, cells and file names come from profiles and users; before
 * they reach an error message, a log line or a terminal they are cut to a bounded length and
 * their invisible characters are shown instead of obeyed.
 */

/**
 * Characters a reader cannot see or that change how the text around them is shown: controls
 * (C0, C1: terminal escapes, line breaks), format characters (bidi overrides and marks,
 * zero-width characters, the soft hyphen, Unicode tag characters), line and paragraph separators,
 * other default-ignorable code points (variation selectors, fillers), private-use characters,
 * lone surrogates, and the spaces a reader cannot tell from U+0020 (no-break, thin, ideographic:
 * every space separator but the space itself).
 */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}\p{Default_Ignorable_Code_Point}\u{fffe}\u{ffff}]|(?! )\p{Zs}/gu

/**
 * Shows invisible characters as `\u{1b}`, `\u{202e}`. With `keepLines`, line breaks stay (for
 * text whose lines are then escaped by its receiver, such as an annotation).
 *
 * `##[` is shown as `#\u{23}[`: GitHub's runner still reads its older workflow-command syntax
 * (`##[error]…`, `##[stop-commands]…`, `##[add-mask]…`) anywhere in a line of the log, not only
 * at its start as it does `::error::…`, so a name written into the log must not carry it.
 */
export function visible(text: string, keepLines = false): string {
  const shown = text.replace(INVISIBLE, (ch) =>
    keepLines && ch === '\n' ? ch : `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`
  )
  return shown.includes('##[') ? shown.replace(/##\[/g, '#\\u{23}[') : shown
}

/**
 * A line of another program's output (the benchmark's, nsys's) for the workflow log: invisible
 * characters shown, and a line the runner would read as a workflow command (`::error::…`, after
 * any leading blanks) set off with `> `, so that it is only shown.
 */
export function logLine(text: string): string {
  const line = visible(text)
  return /^\s*::/.test(line) ? `> ${line}` : line
}

/**
 * The first `max` UTF-16 code units of a text (never splitting a surrogate pair), with `…` when
 * it was longer. Works on any length without copying the whole text.
 */
export function clip(text: string, max = 200): string {
  if (text.length <= max) return text
  let end = max
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1
  return `${text.slice(0, end)}…`
}

/** Untrusted text inside a message: cut, invisible characters shown, in double quotes (escaped). */
export function quoted(text: string, max = 200): string {
  return `"${visible(clip(text, max)).replace(/"/g, '\\"')}"`
}

/**
 * The first `max` items, each shown by `show`, joined by `separator`, with "and N more" for the
 * rest: a list from a profile stays short however long it is.
 */
export function listed<T>(
  items: readonly T[],
  max: number,
  show: (item: T) => string,
  separator = ', '
): string {
  const shown = items.slice(0, max).map(show).join(separator)
  return items.length > max ? `${shown} and ${items.length - max} more` : shown
}
