import type { Column } from './columns.js'

/**
 * Splitting one line of a report into cells, per output format (docs/nsys-notes.md "CSV").
 *
 * nsys CSV is not RFC 4180: a value is quoted only when it contains a comma, and quotes inside
 * are never doubled (`"step, "warmup""`, `triton_poi_fused_add_"quoted"_0`). Every report this
 * tool reads has its one free-text column last, so the first n-1 cells are read with a
 * quote-aware tokenizer (numbers are quoted only under a decimal-comma locale: `"8,0000"`) and
 * the rest of the line is the name, as printed: csvName() unquotes it.
 */
export function splitCsvNameLast(
  line: string,
  count: number,
  wanted?: readonly boolean[]
): string[] | undefined {
  const cells: string[] = []
  let pos = 0
  for (let i = 0; i < count - 1; i++) {
    // A cell nobody reads (`wanted[i]` false) is found but not cut out: a GPU trace row has 21
    // cells and 6 are read, by the million.
    const keep = wanted === undefined || wanted[i] === true
    if (line.charCodeAt(pos) === 34 /* " */) {
      const close = line.indexOf('",', pos + 1)
      if (close < 0) return undefined
      cells.push(keep ? line.slice(pos + 1, close) : '')
      pos = close + 2
    } else {
      const comma = line.indexOf(',', pos)
      if (comma < 0) return undefined
      cells.push(keep ? line.slice(pos, comma) : '')
      pos = comma + 1
    }
  }
  cells.push(line.slice(pos))
  return cells
}

/**
 * The name cell of a CSV row: a value with a comma lost exactly one quote at each end; one
 * without a comma is printed as it is. Undefined when the cell cannot be what nsys prints: an
 * unquoted comma (the row has more cells than its header) or a quote never closed (cut short).
 */
export function csvName(raw: string): string | undefined {
  if (!raw.includes(',')) return raw
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1)
  return undefined
}

/** TSV is never quoted; nsys replaces tabs inside values with spaces. */
export function splitTsv(line: string, count: number): string[] | undefined {
  const cells = line.split('\t')
  return cells.length === count ? cells : undefined
}

const TOKEN = / *([^ ]+)/y

/**
 * The column (table) format. Values are right- or left-aligned under a dashed rule, but captured
 * logs get re-indented and edited, so cells are read by grammar instead of by position: every
 * column but the last is one whitespace-free token (GridXYZ/BlockXYZ are three), and the name is
 * the rest of the line. Only ASCII spaces separate tokens.
 */
export function splitColumnRow(line: string, columns: readonly Column[]): string[] | undefined {
  const cells: string[] = []
  let pos = 0
  for (let i = 0; i < columns.length - 1; i++) {
    const width = columns[i]?.role === 'xyz' ? 3 : 1
    const parts: string[] = []
    for (let k = 0; k < width; k++) {
      TOKEN.lastIndex = pos
      const match = TOKEN.exec(line)
      if (!match?.[1]) return undefined
      parts.push(match[1])
      pos = TOKEN.lastIndex
    }
    cells.push(parts.join(' '))
  }
  const name = line.slice(pos).trim()
  if (name === '') return undefined
  cells.push(name)
  return cells
}

/**
 * The boxed format (`nsys stats --format table`): `| 65.8 |  24038586640 | … | name |` between
 * `+----+` borders. Read by grammar like the column format: every cell but the last lies
 * between two bars, and the name is the rest up to the closing bar (a name may hold `|`).
 */
export function splitBoxedRow(line: string, columns: readonly Column[]): string[] | undefined {
  const text = line.trim()
  if (!text.startsWith('|') || !text.endsWith('|') || text.length < 2) return undefined
  const cells: string[] = []
  let pos = 1
  for (let i = 0; i < columns.length - 1; i++) {
    const bar = text.indexOf('|', pos)
    if (bar < 0) return undefined
    const cell = text.slice(pos, bar).trim()
    cells.push(columns[i]?.role === 'xyz' ? cell.split(/ +/).join(' ') : cell)
    pos = bar + 1
  }
  if (pos > text.length - 1) return undefined
  const name = text.slice(pos, -1).trim()
  if (name === '') return undefined
  cells.push(name)
  return cells
}

/** The cells of a boxed header line (`| Time (%) | … | Name |`); undefined for anything else. */
export function splitBoxedHeader(line: string): string[] | undefined {
  const text = line.trim()
  if (!text.startsWith('|') || !text.endsWith('|') || text.length < 2) return undefined
  return text
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim())
}

/**
 * A border of the boxed format, `+----+-----+`: the width of its last cell's text (the dashes
 * less the two padding spaces), where nsys cut longer names; undefined for any other line.
 */
export function boxBorder(line: string): number | undefined {
  const text = line.trim()
  if (!/^\+(?:-+\+){2,}$/.test(text)) return undefined
  return text.length - 1 - text.lastIndexOf('+', text.length - 2) - 1 - 2
}

/** Header cells of a column-format table: separated by two or more spaces. */
export function splitColumnHeader(line: string): string[] {
  return line.trim().split(/ {2,}/)
}

/**
 * The dashed rule under a column-format header, one run of dashes per column: the widths of the
 * columns (the width of a text column is where nsys cut its longer cells).
 */
export function dashRuns(line: string): number[] | undefined {
  if (!/^ *-+( +-+)* *$/.test(line)) return undefined
  return line
    .trim()
    .split(/ +/)
    .map((run) => run.length)
}

/** The column format's dashed rule: [start, end) of each run of dashes (the columns' text). */
export function dashSpans(line: string): [number, number][] | undefined {
  if (!/^ *-+( +-+)* *$/.test(line)) return undefined
  const spans: [number, number][] = []
  const runs = /-+/g
  for (let match = runs.exec(line); match; match = runs.exec(line))
    spans.push([match.index, match.index + match[0].length])
  return spans
}

/**
 * The boxed format's border, `+------+----+`: [start, end) of each cell's text, without the one
 * blank of padding on each side.
 */
export function boxSpans(line: string): [number, number][] | undefined {
  const start = line.indexOf('+')
  if (start < 0 || boxBorder(line) === undefined) return undefined
  const spans: [number, number][] = []
  let plus = start
  for (let next = line.indexOf('+', plus + 1); next >= 0; next = line.indexOf('+', plus + 1)) {
    spans.push([plus + 2, next - 1])
    plus = next
  }
  return spans
}
