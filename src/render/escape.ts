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

/**
 * `shorten` for the names of one table, keeping them apart: kernels of one template that differ
 * only in its middle shorten to the same text (vLLM's `flash_fwd_splitkv_kernel<…, true, …>` and
 * `<…, false, …>`: the causal and non-causal kernels), and a report would show a regression on
 * a row that reads like another kernel's. Such names show the start, the part where they differ
 * from the others and the end, `start…middle…end`, in the same length; names that shorten apart
 * are shortened as `shorten` does. Work is done only for names longer than `max`.
 */
export function shortenApart(names: Iterable<string>, max: number): (name: string) => string {
  // Names by a hash of the text they show, worked out without making the text (a report
  // shortens 20,000 names at several lengths while it trims itself to GitHub's limit).
  const byHash = new Map<number, string | string[]>()
  let alike = false
  for (const name of names) {
    // A whole name can read like a shortened one only if it has an ellipsis of its own.
    if (name.length <= max && !name.includes('…')) continue
    const h = shownHash(name, max)
    const seen = byHash.get(h)
    if (seen === undefined) byHash.set(h, name)
    else if (seen !== name) {
      alike = true
      if (typeof seen === 'string') byHash.set(h, [seen, name])
      else seen.push(name)
    }
  }
  if (!alike) return (name) => shorten(name, max)
  /** Whether some name other than `name` shows `text`. */
  const shownByAnother = (text: string, name: string): boolean => {
    const seen = byHash.get(textHash(text, 0, text.length, HASH_SEED))
    if (seen === undefined) return false
    const others = typeof seen === 'string' ? [seen] : seen
    return others.some((other) => other !== name && shorten(other, max) === text)
  }
  const apart = new Map<string, string>()
  const taken = new Set<string>()
  for (const bucket of byHash.values()) {
    if (typeof bucket === 'string') continue
    // One hash, maybe several texts: the names that show the same text are a group.
    const groups = new Map<string, string[]>()
    for (const name of bucket) {
      const shown = shorten(name, max)
      const group = groups.get(shown)
      if (group) group.push(name)
      else groups.set(shown, [name])
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue
      // Sorted, a name shares the least of its start with the first or the last of its group.
      group.sort()
      const first = group[0]!
      const last = group[group.length - 1]!
      for (const name of group) {
        if (apart.has(name)) continue // the same name twice
        const differs = Math.min(commonStart(name, first), commonStart(name, last))
        // The shorter start and end of a window can make a name read like another's, and
        // differences far apart can leave two of one group alike: a text shown already is not
        // shown again, the later name is shown longer (four times the length, then whole).
        let text = middleShown(name, differs, max)
        if (taken.has(text) || shownByAnother(text, name)) text = shorten(name, max * 4)
        if (taken.has(text) || shownByAnother(text, name)) text = name
        taken.add(text)
        apart.set(name, text)
      }
    }
  }
  return (name) => apart.get(name) ?? shorten(name, max)
}

const HASH_SEED = 0x811c9dc5

/** FNV-1a over the code units of `text` from `start` to `end`, continuing from `h`. */
function textHash(text: string, start: number, end: number, h: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h
}

/** textHash of `shorten(name, max)`, without making it. */
function shownHash(name: string, max: number): number {
  if (name.length <= max) return textHash(name, 0, name.length, HASH_SEED)
  const head = Math.ceil((max - 1) * 0.65)
  const tail = max - 1 - head
  let i = 0
  for (let k = 0; k < head && i < name.length; k++) i += isHigh(name.charCodeAt(i)) ? 2 : 1
  i = Math.min(i, name.length)
  let j = name.length
  if (tail > 0)
    for (let k = 0; k < tail && j > 0; k++) j -= isLow(name.charCodeAt(j - 1)) && j > 1 ? 2 : 1
  j = Math.max(j, 0)
  // As shorten: fewer code points than `max` in all, the whole name.
  if (i + (name.length - j) >= name.length) return textHash(name, 0, name.length, HASH_SEED)
  const h = Math.imul(textHash(name, 0, i, HASH_SEED) ^ 0x2026, 16777619)
  return textHash(name, j, name.length, h)
}

const APART = new WeakMap<object, Map<number, (name: string) => string>>()

/**
 * shortenApart of the names of `owner` (a table of a comparison) at `max`, worked out once for
 * each: a report renders a table's rows at several lengths while it trims itself, and its
 * sections and full table show the same names.
 */
export function shortenApartOf(
  owner: object,
  names: () => Iterable<string>,
  max: number
): (name: string) => string {
  let byLength = APART.get(owner)
  if (!byLength) {
    byLength = new Map<number, (name: string) => string>()
    APART.set(owner, byLength)
  }
  let shown = byLength.get(max)
  if (!shown) {
    shown = shortenApart(names(), max)
    byLength.set(max, shown)
  }
  return shown
}

/** How many code units `a` and `b` start with alike (the whole of a name against itself). */
function commonStart(a: string, b: string): number {
  if (a === b) return a.length
  const n = Math.min(a.length, b.length)
  let i = 0
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++
  return i
}

/**
 * `start…middle…end` of `name` in `max` code points, the middle from a little before `differs`,
 * where it first differs from the names it would read like.
 */
function middleShown(name: string, differs: number, max: number): string {
  if (name.length <= max) return name
  const room = max - 2
  const head = Math.floor(room * 0.35)
  const tail = Math.floor(room * 0.3)
  const width = room - head - tail
  // A little before the first difference, so that the window reads as part of the name.
  let from = Math.max(head, Math.min(differs - Math.floor(width / 4), name.length - tail - width))
  if (isLow(name.charCodeAt(from))) from += 1
  // Next to the start or the end, the window joins it: an ellipsis always stands for something.
  if (from <= head) return `${takeStart(name, head + width)}…${takeEnd(name, tail)}`
  if (from + width >= name.length - tail) return `${takeStart(name, head)}…${name.slice(from)}`
  const middle = takeStart(name.slice(from), width)
  return `${takeStart(name, head)}…${middle}…${takeEnd(name, tail)}`
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
