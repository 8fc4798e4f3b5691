/**
 * An independent reader of the console tables of `nsys stats` and `nsys profile --stats=true`
 * (the column format of every version from 2019.5 on, and the boxed `--format table`), written
 * for the tests from the format alone, never from src/parse/nsys.
 *
 * The format, as nsys prints it (docs/nsys-notes.md "Column format and cut names"):
 *
 * - A header line, then a rule: one run of dashes per column (column format), or a border
 *   `+----+----+` above and below a `| … | … |` header (boxed format). The runs (or the spaces
 *   between the `+`) say where each column's text lies, counted in code points.
 * - Each row puts every cell inside its column: numbers right-aligned, text left-aligned, the last
 *   column (the name) padded or not. Only blanks lie between the columns (`|` in the boxed
 *   format); the last column's text runs to the end of the line (to the closing `|`).
 * - A blank line (a closing border) ends the table. Lines inside it whose first cell is not a
 *   number are not rows (an excerpt's `[... rows elided ...]`): they are counted, not read.
 *
 * The reader takes cells by position. It throws when a row does not fit the positions (text
 * where blanks must be), so that a re-indented table can never be read with shifted cells.
 */

export interface RefRow {
  /** 1-based line number. */
  line: number
  /** Every cell as printed, without the blanks around it (names keep inner blanks). */
  cells: string[]
  /** The last cell (the name) with only its right padding removed. */
  rawName: string
}

export interface RefTable {
  format: 'column' | 'table'
  /** The header's line (1-based). */
  line: number
  header: string[]
  /** Width of each column in code points (the runs of dashes, or the border's cells). */
  widths: number[]
  rows: RefRow[]
  /** Lines inside the table that are not rows. */
  skipped: number[]
  /** The line the table ended at (blank, border, or past the end), 1-based. */
  end: number
}

const RULE = /^ *-+(?: +-+)+ *$/
const BORDER = /^ *\+(?:-+\+){2,} *$/

/** Spans [start, end) of runs of `ch` in a line of code points. */
function runs(cps: string[], ch: string): [number, number][] {
  const out: [number, number][] = []
  let start = -1
  for (let i = 0; i <= cps.length; i++) {
    if (cps[i] === ch && start < 0) start = i
    else if (cps[i] !== ch && start >= 0) {
      out.push([start, i])
      start = -1
    }
  }
  return out
}

/** The screen a terminal shows for one line: only what follows the last carriage return. */
export function shownLine(line: string): string {
  const stripped = line.endsWith('\r') ? line.slice(0, -1) : line
  const cr = stripped.lastIndexOf('\r')
  return cr < 0 ? stripped : stripped.slice(cr + 1)
}

function isNumberCell(cell: string): boolean {
  return /^-?\d[\d.,]*$/.test(cell)
}

/** Reads every column-format or boxed table of a text. */
export function readTables(text: string): RefTable[] {
  const lines = text.split('\n').map(shownLine)
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1)
  const tables: RefTable[] = []
  for (let i = 0; i + 1 < lines.length; i++) {
    const header = lines[i]!
    const next = lines[i + 1]!
    if (RULE.test(next) && header.trim() !== '' && !RULE.test(header)) {
      const spans = runs([...next], '-')
      const table = readColumn(lines, i, spans)
      if (table) {
        tables.push(table)
        i = table.end - 1
      }
    } else if (
      BORDER.test(header) &&
      next.trim().startsWith('|') &&
      BORDER.test(lines[i + 2] ?? '')
    ) {
      const table = readBoxed(lines, i)
      tables.push(table)
      i = table.end - 1
    }
  }
  return tables
}

function cellsAt(cps: string[], spans: [number, number][], sep: ' ' | '|'): string[] | undefined {
  const cells: string[] = []
  for (let k = 0; k < spans.length; k++) {
    const [from, to] = spans[k]!
    const last = k === spans.length - 1
    // Between this column and the previous one: blanks only (and one bar in the boxed format).
    const gapFrom = k === 0 ? 0 : spans[k - 1]![1]
    const gap = cps.slice(gapFrom, from).join('')
    if (gap.replace(/ /g, '') !== (sep === '|' ? '|' : '')) return undefined
    if (last) {
      let rest = cps.slice(from).join('')
      if (sep === '|') {
        const trimmed = rest.trimEnd()
        if (!trimmed.endsWith('|')) return undefined
        rest = trimmed.slice(0, -1)
      }
      cells.push(rest)
    } else cells.push(cps.slice(from, to).join(''))
  }
  return cells
}

function readColumn(lines: string[], at: number, spans: [number, number][]): RefTable | undefined {
  const headerCps = [...lines[at]!]
  // Header labels are centred over their column (or right-aligned in 2019.5), never outside it;
  // the last one may be padded on the right.
  const header = cellsAt(headerCps, spans, ' ')?.map((c) => c.trim())
  if (!header || header.some((h) => h === '')) return undefined
  const table: RefTable = {
    format: 'column',
    line: at + 1,
    header,
    widths: spans.map(([a, b]) => b - a),
    rows: [],
    skipped: [],
    end: lines.length
  }
  for (let j = at + 2; j < lines.length; j++) {
    const line = lines[j]!
    if (line.trim() === '') {
      table.end = j + 1
      return table
    }
    const cps = [...line]
    const first = cps.slice(0, spans[0]![1]).join('').trim()
    if (!isNumberCell(first)) {
      table.skipped.push(j + 1)
      continue
    }
    // A row an editor moved as a whole by a blank or two (seen in pasted logs) still fits once
    // moved back: every cell at the same offset. Anything else is refused.
    let cells: string[] | undefined
    for (const shift of [0, 1, -1, 2, -2]) {
      const moved = shift >= 0 ? [...' '.repeat(shift), ...cps] : cps.slice(-shift)
      if (shift < 0 && cps.slice(0, -shift).join('').trim() !== '') continue
      cells = cellsAt(moved, spans, ' ')
      if (cells) break
    }
    if (!cells)
      throw new Error(
        `reference: line ${j + 1} does not fit the columns of line ${at + 1}: ${line}`
      )
    const rawName = cells.at(-1)!.trimEnd()
    table.rows.push({ line: j + 1, cells: cells.map((c) => c.trim()), rawName })
  }
  return table
}

function readBoxed(lines: string[], at: number): RefTable {
  const border = [...lines[at]!]
  const pluses: number[] = []
  border.forEach((c, i) => {
    if (c === '+') pluses.push(i)
  })
  // A cell's text lies between `| ` and ` |`.
  const spans: [number, number][] = []
  for (let k = 0; k + 1 < pluses.length; k++) spans.push([pluses[k]! + 2, pluses[k + 1]! - 1])
  const header = cellsAt([...lines[at + 1]!], spans, '|')?.map((c) => c.trim())
  if (!header) throw new Error(`reference: boxed header at line ${at + 2} does not fit its border`)
  const table: RefTable = {
    format: 'table',
    line: at + 2,
    header,
    widths: spans.map(([a, b]) => b - a),
    rows: [],
    skipped: [],
    end: lines.length
  }
  for (let j = at + 3; j < lines.length; j++) {
    const line = lines[j]!
    if (BORDER.test(line) || line.trim() === '') {
      // The border under the header, then the closing one.
      if (BORDER.test(line) && j === at + 2) continue
      table.end = j + 1
      return table
    }
    const cps = [...line]
    const cells = cellsAt(cps, spans, '|')
    if (!cells || !isNumberCell(cells[0]!.trim())) {
      table.skipped.push(j + 1)
      continue
    }
    table.rows.push({
      line: j + 1,
      cells: cells.map((c) => c.trim()),
      rawName: cells.at(-1)!.trimEnd()
    })
  }
  return table
}

// ---- numbers ---------------------------------------------------------------------------------

/** How a table writes its numbers: `,` or `.` as the decimal mark, the other one grouping. */
export type Locale = 'C' | 'en' | 'de'

/**
 * The locale of a table's numbers, from its cells: a cell with two group marks, or a mark
 * followed by other than three digits, tells. C (no grouping) when no cell has a comma.
 */
export function localeOf(cells: string[]): Locale {
  let comma = false
  for (const c of cells) if (isNumberCell(c) && c.includes(',')) comma = true
  if (!comma) return 'C'
  // de_DE: `8.000.000,0`, `93,0` (decimals after a comma, groups of three after dots).
  for (const c of cells) {
    if (/,\d{1,2}$|,\d{4,}$/.test(c) || /\.\d{3}\./.test(c)) return 'de'
    if (/,\d{3}\.\d+$/.test(c) || /,\d{3},/.test(c)) return 'en'
  }
  return 'en'
}

/** A printed number as an exact decimal string `digits` with `scale` digits after the point. */
export function decimal(cell: string, locale: Locale): { digits: string; scale: number } {
  let text = cell.trim()
  if (locale === 'en') text = text.replace(/,/g, '')
  else if (locale === 'de') text = text.replace(/\./g, '').replace(',', '.')
  if (!/^\d+(?:\.\d+)?$/.test(text)) throw new Error(`reference: not a number: ${cell}`)
  const [whole = '', frac = ''] = text.split('.')
  return { digits: (whole + frac).replace(/^0+(?=\d)/, ''), scale: frac.length }
}

/** `cell` (in the unit whose factor to the base unit is 10^shift, or `factor`) → a number. */
export function value(
  cell: string,
  locale: Locale,
  unit: { shift?: number; factor?: number }
): number {
  const { digits, scale } = decimal(cell, locale)
  if (unit.factor !== undefined) return (Number(digits) / 10 ** scale) * unit.factor
  const shift = unit.shift ?? 0
  // Exact: move the point by `shift` digits.
  if (shift >= scale) return Number(digits + '0'.repeat(shift - scale))
  const cut = digits.length - (scale - shift)
  return cut <= 0
    ? Number(`0.${'0'.repeat(-cut)}${digits}`)
    : Number(`${digits.slice(0, cut)}.${digits.slice(cut)}`)
}

/** Powers of ten from a time unit to ns. */
export const TIME_SHIFT: Record<string, number> = {
  ns: 0,
  nanoseconds: 0,
  us: 3,
  ms: 6,
  sec: 9,
  s: 9
}
/** Size units to bytes. */
export const SIZE_FACTOR: Record<string, number> = {
  B: 1,
  KB: 1e3,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 ** 2,
  GB: 1e9,
  GiB: 1024 ** 3
}

/** `Total Time (ns)` → `{ label: 'Total Time', unit: 'ns' }`. */
export function label(cell: string): { label: string; unit?: string } {
  const m = /^(.*?)\s*\(([^()]*)\)$/.exec(cell)
  return m ? { label: m[1]!, unit: m[2]! } : { label: cell }
}
