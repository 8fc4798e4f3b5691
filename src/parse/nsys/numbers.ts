/**
 * Numbers as nsys prints them (docs/nsys-notes.md "Numbers").
 *
 * CSV/TSV/JSON use plain numbers with `.` in the C locale; under a decimal-comma locale with a
 * `--timeunit`, CSV values become `"8,0000"` (a CSV field never has a thousands separator, so a
 * comma there can only be a decimal comma). The column format is re-formatted for the process
 * locale: `8000000`, `8,000,000.0` (en_US) or `8.000.000,0` (de_DE).
 */

/** A missing value: nsys prints NULL as `None` (2022) or an empty field (2023+). */
export const MISSING = null

const PLAIN = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/
const DECIMAL_COMMA = /^-?\d+,\d+$/

/** A CSV/TSV cell: a number, MISSING, or undefined when it is not a number at all. */
export function parseCsvNumber(text: string): number | null | undefined {
  // The hot path (every cell of every row): plain digits, a sign, one point.
  const scanned = scanDecimal(text)
  if (scanned !== undefined) return scanned
  const cell = text.trim()
  if (cell === '' || cell === 'None') return MISSING
  if (PLAIN.test(cell)) return Number(cell)
  if (DECIMAL_COMMA.test(cell)) return Number(cell.replace(',', '.'))
  return undefined
}

/** 10^k for k ≤ 22: every one of them is a double exactly. */
export const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k)

/**
 * The hot path of parseCsvNumber: `123`, `-4`, `9727.7`, read from the characters without the
 * string-to-number conversion. Exactly `Number(text)`: the digits make an integer below 2^53, so
 * they are exact, and dividing by an exact 10^k rounds once, as the conversion does. Anything
 * else (exponents, long digit runs, spaces, empty cells) answers undefined for the general path.
 */
function scanDecimal(text: string): number | undefined {
  const length = text.length
  if (length === 0 || length > 16) return undefined
  let i = 0
  const negative = text.charCodeAt(0) === 45
  if (negative) i = 1
  let digits = 0
  let count = 0
  let point = -1
  for (; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      digits = digits * 10 + (c - 48)
      count += 1
    } else if (c === 46 && point < 0 && count > 0) point = i
    else return undefined
  }
  // At least one digit after a point, and at most 15 digits in all (below 2^53).
  if (count === 0 || count > 15 || point === length - 1) return undefined
  const value = point < 0 ? digits : digits / POWERS[length - 1 - point]!
  return negative ? -value : value
}

/** How a block of column-format output writes its numbers. */
export interface NumberStyle {
  decimal: '.' | ','
  group: ',' | '.'
}

/**
 * Learns the number style from a value that nsys always prints with a fractional part (Avg,
 * StdDev, `Time (%)`): its last separator is the decimal point. Undefined when the value has no
 * separator at all (then it says nothing).
 */
export function styleFromFraction(text: string): NumberStyle | undefined {
  const last = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','))
  if (last < 0) return undefined
  return text[last] === '.' ? { decimal: '.', group: ',' } : { decimal: ',', group: '.' }
}

/**
 * Learns the number style from a whole number (a time in ns, which nsys never prints with a
 * fraction): its separator groups digits. Undefined when it has none.
 */
export function styleFromGroups(text: string): NumberStyle | undefined {
  if (text.includes(',')) return { decimal: '.', group: ',' }
  if (text.includes('.')) return { decimal: ',', group: '.' }
  return undefined
}

const STYLE_CACHE = new Map<string, (text: string) => number | undefined>()

/**
 * A parser for column-format cells under a known style. It answers undefined when the text does not
 * follow the style exactly (digit groups of three, at most one decimal point): the table is then
 * ambiguous. Patterns are cached: this is called per cell.
 */
export function styledParser(style: NumberStyle): (text: string) => number | undefined {
  const key = style.decimal + style.group
  let parser = STYLE_CACHE.get(key)
  if (!parser) {
    const g = style.group === ',' ? ',' : '\\.'
    const d = style.decimal === '.' ? '\\.' : ','
    const pattern = new RegExp(`^(-?)(\\d{1,3}(?:${g}\\d{3})+|\\d+)(?:${d}(\\d+))?$`)
    const group = style.group
    parser = (text: string): number | undefined => {
      const match = pattern.exec(text)
      if (!match) return undefined
      const [, sign, whole = '', fraction] = match
      const digits = whole.includes(group) ? whole.split(group).join('') : whole
      return Number(`${sign}${digits}${fraction === undefined ? '' : `.${fraction}`}`)
    }
    STYLE_CACHE.set(key, parser)
  }
  return parser
}
