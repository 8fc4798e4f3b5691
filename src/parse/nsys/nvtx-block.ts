import { InputError } from '../../errors.js'
import { codePointLength, nvtxKernelName } from '../../profile/keys.js'
import { canonicalKey, type Stat, type Table, type TableName } from '../../profile/model.js'
import { addRow, StatAccumulator, statProblem } from '../../profile/stat.js'
import { quoted } from '../../text.js'
import {
  cellProblem,
  scaledCell,
  type BlockNote,
  type BlockOptions,
  type BlockTables,
  type Format,
  type ReportBlock
} from './block.js'
import { timeFactor, timeStep, type Role } from './columns.js'
import {
  parseCsvNumber,
  styledParser,
  styleFromFraction,
  styleFromGroups,
  type NumberStyle
} from './numbers.js'
import type { Family } from './reports.js'
import { csvName, splitCsvNameLast, splitTsv } from './rows.js'

/** Roles whose cells are numbers in the NVTX projection reports. */
const NUMERIC: ReadonlySet<Role> = new Set([
  'total',
  'instances',
  'occurrences',
  'avg',
  'med',
  'min',
  'max',
  'stdDev',
  'duration'
])

/** A `",` tried as the end of a quoted first cell at most this many times (hostile rows). */
const MAX_QUOTE_TRIES = 64

/** Above this a value is not a measurement (2^53 ns is 104 days). */
const MAX_VALUE = Number.MAX_SAFE_INTEGER

/**
 * The rows of nsys's NVTX projection reports (docs/nsys-notes.md "NVTX in GPU time"):
 *
 * - `nvtx_gpu_proj_sum` (2023+): one row per range name and style, the GPU time projected onto
 *   its instances (from the start of the first GPU operation launched inside an instance to the
 *   end of the last): read as is into `nvtxGpu`.
 * - `nvtx_gpu_proj_trace` (2023+) and 2022.4's `nvtxgpuproj`: one row per range instance, folded
 *   per range name into `nvtxGpu` (no median: it cannot be had from a running fold).
 * - `nvtx_kern_sum` (`nvtxkernsum`): one row per range, kernel, process and thread: kernel time
 *   inside each range (every enclosing range, not only the innermost), folded per range and
 *   kernel into `nvtxKernels`, with the range instances (`NVTX Inst`) as the occurrences.
 *
 * Their free text comes first (the range; nvtx_kern_sum's kernel name is last as well), unlike
 * every other report read here, hence a block of their own: in CSV a quoted first cell ends at
 * the `",` after which the rest of the row reads as the header's cells; in the column and boxed
 * formats cells are read at the positions the dashed rule or the border gives. Rows are checked
 * like every other row (numbers in every numeric cell, the invariants of profile/stat.ts) and
 * refused with their line when they cannot be read right.
 *
 * Rows of GPU work launched outside every NVTX range (nvtx_kern_sum prints them with an empty
 * range, or `None` in 2022.4, and 0 range instances; 2023.4's nvtx_gpu_proj_trace with an empty
 * name and style) belong to no range: they are left out, and a note says how many.
 */
export class NvtxBlock implements ReportBlock {
  readonly line: number
  lastLine: number
  rows = 0
  readonly gpus = new Set<string>()
  readonly notes: BlockNote[] = []
  private readonly index: Partial<Record<Role, number>> = {}
  private readonly numeric: number[] = []
  private readonly style: number | undefined
  private readonly factor: number
  private readonly step: number
  private readonly table: TableName
  private readonly rowsByKey: Table = new Map()
  private readonly folded = new Map<string, StatAccumulator>()
  /** Trace rows: the keys of names that nsys cut (column and boxed formats). */
  private readonly cutKeys = new Set<string>()
  private readonly row: Float64Array
  private parse: (text: string) => number | null | undefined = parseCsvNumber
  private numberStyle: NumberStyle | undefined
  private outside = { rows: 0, total: 0 }
  private cut = 0

  constructor(private readonly options: BlockOptions) {
    this.line = options.line
    this.lastLine = options.line
    this.row = new Float64Array(options.columns.length).fill(NaN)
    options.columns.forEach((column, i) => {
      if (this.index[column.role] === undefined) this.index[column.role] = i
      if (NUMERIC.has(column.role)) this.numeric.push(i)
    })
    this.style = this.index.style
    this.table = options.family === 'nvtxKern' ? 'nvtxKernels' : 'nvtxGpu'
    const timeRole: Role = options.family === 'nvtxGpuTrace' ? 'duration' : 'total'
    const at = this.index[timeRole]
    const unit = (at === undefined ? undefined : options.columns[at]?.unit) ?? options.unitHint
    const factor = timeFactor(unit)
    if (factor === undefined)
      throw this.error(
        options.line,
        `unknown time unit ${quoted(unit ?? '')} (nsys prints ns, us, ms or sec)`,
        timeRole
      )
    this.factor = factor
    this.step = timeStep(unit)
    if ((options.format === 'column' || options.format === 'table') && !options.spans)
      throw new InputError('a column-format table without the positions of its columns', {
        file: options.source,
        line: options.line
      })
  }

  get family(): Family {
    return this.options.family
  }

  get format(): Format {
    return this.options.format
  }

  split(line: string): string[] | undefined {
    const count = this.options.columns.length
    switch (this.options.format) {
      case 'csv':
        return this.splitCsv(line)
      case 'tsv':
        return splitTsv(line, count)
      case 'column':
      case 'table':
        return this.splitAtSpans(line)
      case 'json':
        return undefined
    }
  }

  /**
   * A row's first cell is free text, quoted exactly when it holds a comma, with its quotes never
   * doubled: a quoted cell ends at the first `",` after which the rest reads as the row's other
   * cells, and holds a comma (else it was not quoted: a range may start with a quote).
   */
  private splitCsv(line: string): string[] | undefined {
    const n = this.options.columns.length
    if (line.startsWith('"')) {
      let at = line.indexOf('",', 1)
      for (let tries = 0; at >= 0 && tries < MAX_QUOTE_TRIES; tries++) {
        const first = line.slice(1, at)
        if (first.includes(',')) {
          const rest = splitCsvNameLast(line.slice(at + 2), n - 1)
          if (rest && this.fits([first, ...rest])) return [first, ...rest]
        }
        at = line.indexOf('",', at + 1)
      }
    }
    const comma = line.indexOf(',')
    if (comma < 0) return undefined
    const rest = splitCsvNameLast(line.slice(comma + 1), n - 1)
    return rest ? [line.slice(0, comma), ...rest] : undefined
  }

  /** Do the cells read as a row: a number (or nothing) in every numeric cell, a word for style? */
  private fits(cells: string[]): boolean {
    for (const i of this.numeric) if (parseCsvNumber(cells[i] ?? '') === undefined) return false
    return this.style === undefined || /^[A-Za-z]*$/.test(cells[this.style] ?? '')
  }

  /**
   * Column and boxed formats: each cell at its column's position, in code points (nsys pads by
   * code points); the last column takes the rest of the line. Between two columns there must be
   * the blanks (column) or the bar (boxed) nsys prints, else the line is not a row of this table.
   */
  private splitAtSpans(line: string): string[] | undefined {
    const spans = this.options.spans ?? []
    const boxed = this.options.format === 'table'
    const points = /[\uD800-\uDFFF]/.test(line) ? Array.from(line) : undefined
    const at = (i: number): string => (points ? (points[i] ?? '') : line.charAt(i))
    const slice = (from: number, to?: number): string =>
      points ? points.slice(from, to).join('') : line.slice(from, to)
    const cells: string[] = []
    for (let i = 0; i < spans.length; i++) {
      const [from, to] = spans[i]!
      const last = i === spans.length - 1
      if (boxed) {
        // `| text |`: a bar before and after every cell, the text padded to the column's width.
        if (at(from - 2) !== '|' || at(to + 1) !== '|') return undefined
      } else if (i > 0 && (at(from - 1) !== ' ' || at(from - 2) !== ' ')) return undefined
      cells.push((last && !boxed ? slice(from) : slice(from, to)).trim())
    }
    return cells
  }

  /** A line of this table's rows that cannot be read is refused, never skipped. */
  startsLikeRow(line: string): boolean {
    const text = line.trim()
    if (this.options.format === 'csv' || this.options.format === 'tsv') {
      const separator = this.options.format === 'csv' ? ',' : '\t'
      let count = 0
      for (let i = text.indexOf(separator); i >= 0; i = text.indexOf(separator, i + 1)) count++
      return count >= this.options.columns.length - 1
    }
    return this.options.format === 'table' ? text.startsWith('|') : /\d/.test(text)
  }

  acceptBytes(): boolean {
    return false
  }

  accept(cells: string[], line: number): boolean {
    if (cells.length !== this.options.columns.length) return false
    if (this.options.format === 'column' || this.options.format === 'table')
      this.learnStyle(cells, line)
    if (this.options.format === 'csv') {
      const last = cells.length - 1
      if (this.options.columns[last]?.role === 'name')
        cells[last] = this.csvName(cells[last] ?? '', line)
    }
    // A row has a number in its first numeric cell; anything else is not a row of this table.
    const probe = this.numeric[0]
    if (probe === undefined) return false
    const first = this.parse(cells[probe] ?? '')
    if (first === undefined || first === null) return false
    const numbers = this.numbers(cells, line)
    switch (this.options.family) {
      case 'nvtxGpuSum':
        this.acceptSummary(cells, numbers, line)
        break
      case 'nvtxGpuTrace':
        this.acceptTrace(cells, numbers, line)
        break
      default:
        this.acceptKernels(cells, numbers, line)
    }
    this.rows += 1
    this.lastLine = line
    return true
  }

  private acceptSummary(cells: string[], numbers: Float64Array, line: number): void {
    const name = this.text(cells, 'name', line)
    const stat = this.stat(name, numbers, line, cells[this.index.avg ?? -1])
    this.add(stat, this.isCut(cells, 'name'))
  }

  private acceptTrace(cells: string[], numbers: Float64Array, line: number): void {
    const name = (cells[this.index.name ?? 0] ?? '').trim()
    const style = this.style === undefined ? '' : (cells[this.style] ?? '').trim()
    const duration = this.value(numbers, 'duration', line, true)
    if (name === '' && (style === '' || style === 'None')) {
      this.outside.rows += 1
      this.outside.total += duration
      return
    }
    if (name === '') throw this.error(line, 'expected a range name, found nothing', 'name')
    const key = canonicalKey('nvtxGpu', name)
    let acc = this.folded.get(key)
    if (!acc) {
      acc = new StatAccumulator(name)
      this.folded.set(key, acc)
    }
    if (this.isCut(cells, 'name')) {
      this.cut += 1
      this.cutKeys.add(key)
    }
    acc.add(duration)
  }

  private acceptKernels(cells: string[], numbers: Float64Array, line: number): void {
    const occurrences = this.value(numbers, 'occurrences', line, true)
    if (!Number.isInteger(occurrences))
      throw this.error(line, 'expected a whole number of range instances', 'occurrences')
    const range = (cells[this.index.range ?? 0] ?? '').trim()
    const kernel = this.text(cells, 'name', line)
    if (occurrences === 0) {
      // Kernels launched outside every range: an empty range (None in 2022.4), 0 instances.
      this.outside.rows += 1
      this.outside.total += this.value(numbers, 'total', line, true)
      return
    }
    if (range === '') throw this.error(line, 'expected a range name, found nothing', 'range')
    const stat = this.stat(
      nvtxKernelName(range, kernel.trim()),
      numbers,
      line,
      cells[this.index.avg ?? -1]
    )
    // Each range instance counted launched the kernel at least once (profile/json.ts checkStat).
    if (occurrences > stat.instances)
      throw this.error(
        line,
        `${occurrences} range instances launched the kernel only ${stat.instances} time${stat.instances === 1 ? '' : 's'}: a cell is missing, extra or edited, so this row cannot be trusted`,
        'occurrences'
      )
    stat.occurrences = occurrences
    this.add(stat, this.isCut(cells, 'range') || this.isCut(cells, 'name'))
  }

  /** A summary row's numbers as a Stat, checked against the invariants every row obeys. */
  private stat(name: string, numbers: Float64Array, line: number, avgCell = ''): Stat {
    const total = this.value(numbers, 'total', line, true)
    const instances = this.value(numbers, 'instances', line, true)
    if (!Number.isInteger(instances))
      throw this.error(line, 'expected a whole number of instances', 'instances')
    const avg = this.value(numbers, 'avg', line, false) ?? (instances > 0 ? total / instances : 0)
    const stat: Stat = {
      name,
      total,
      instances,
      avg,
      min: this.value(numbers, 'min', line, false) ?? avg,
      max: this.value(numbers, 'max', line, false) ?? avg
    }
    const med = this.value(numbers, 'med', line, false)
    if (med !== undefined) stat.med = med
    const stdDev = this.value(numbers, 'stdDev', line, false)
    if (stdDev !== undefined) stat.stdDev = stdDev
    // Averages are printed with one decimal (0.1 of the unit); under a decimal-comma locale the
    // column format cuts them down to a whole unit (`47,0` for 47.5: TableBlock.decimalsOf), so
    // the half step statProblem allows must be a whole unit.
    const floored = this.numberStyle?.decimal === ',' && /,0+$/.test(avgCell.trim())
    const problem = statProblem(stat, this.step, this.factor * (floored ? 2 : 0.1))
    if (problem)
      throw new InputError(
        `this row is inconsistent (${problem}): a cell is missing, extra or edited, so its numbers cannot be trusted`,
        { file: this.options.source, line }
      )
    return stat
  }

  /** Rows of one range (and kernel) on several threads, or of two styles, make one item. */
  private add(stat: Stat, cut: boolean): void {
    if (cut) {
      stat.truncated = true
      stat.sharedBy = 1
      this.cut += 1
    }
    const key = canonicalKey(this.table, stat.name)
    addRow(this.rowsByKey, key, stat)
  }

  /** Column and boxed formats cut text longer than its column to the width: `…` last. */
  private isCut(cells: string[], role: Role): boolean {
    const i = this.index[role]
    const spans = this.options.spans
    if (i === undefined || !spans) return false
    const text = (cells[i] ?? '').trim()
    const span = spans[i]
    if (!text.endsWith('…') || !span) return false
    return codePointLength(text) === span[1] - span[0]
  }

  tables(): BlockTables {
    if (this.outside.rows > 0) {
      const what = this.options.family === 'nvtxKern' ? 'kernels' : 'GPU operations'
      this.notes.push({
        code: 'nvtx-outside-ranges',
        severity: 'info',
        message: `the table at line ${this.line} has ${this.outside.rows} row${this.outside.rows === 1 ? '' : 's'} of ${what} launched outside every NVTX range (${Math.round(this.outside.total)} ns): they belong to no range and are left out of the NVTX tables`
      })
    }
    if (this.cut > 0) {
      this.notes.push({
        code: 'cut-names',
        severity: 'info',
        message: `the table at line ${this.line} has ${this.cut} row${this.cut === 1 ? '' : 's'} whose names nsys cut to the width of their column; rows that share a cut name are kept as one item (use \`nsys stats --format csv\` for full names)`
      })
    }
    if (this.options.family === 'nvtxGpuTrace') {
      const table: Table = new Map()
      for (const [key, acc] of this.folded) {
        const stat = acc.toStat()
        if (this.cutKeys.has(key)) {
          stat.truncated = true
          stat.sharedBy = 1
        }
        table.set(key, stat)
      }
      return { nvtxGpu: table }
    }
    return { [this.table]: this.rowsByKey }
  }

  /** Column and boxed formats: the locale of the numbers, from a cell that has a fraction. */
  private learnStyle(cells: string[], line: number): void {
    let found: NumberStyle | undefined
    for (const role of ['avg', 'stdDev', 'med'] as const) {
      const i = this.index[role]
      if (i === undefined) continue
      found = styleFromFraction(cells[i] ?? '')
      if (found) break
    }
    const duration = this.index.duration
    if (!found && duration !== undefined) {
      // nvtx_gpu_proj_trace / nvtxgpuproj have no column with a fraction. Their times in ns are
      // whole numbers, so a separator there groups digits (`15,849` under en_US is 15849 ns, never
      // 15.849); in us or ms every time has decimals, so its last separator is the decimal point.
      const cell = (cells[duration] ?? '').trim()
      found = this.factor === 1 ? styleFromGroups(cell) : styleFromFraction(cell)
    }
    if (!found) return
    if (this.numberStyle) {
      if (found.decimal !== this.numberStyle.decimal)
        throw new InputError(
          'the numbers in this column-format table do not follow one locale (decimal point vs thousands separator); re-run `nsys stats` with `--format csv` and LC_ALL=C.',
          { file: this.options.source, line }
        )
      return
    }
    this.numberStyle = found
    const parser = styledParser(found)
    this.parse = (text: string) => {
      const cell = text.trim()
      if (cell === '' || cell === 'None') return null
      return parser(cell)
    }
  }

  private numbers(cells: string[], line: number): Float64Array {
    const out = this.row
    for (const i of this.numeric) {
      const text = cells[i] ?? ''
      const value = this.parse(text)
      const role = this.options.columns[i]?.role ?? 'other'
      if (value === undefined || (value !== null && (!Number.isFinite(value) || value < 0)))
        throw this.error(
          line,
          `expected a non-negative number, found ${quoted(text.trim(), 80)}`,
          role
        )
      if (value !== null && value > MAX_VALUE)
        throw this.error(line, `${quoted(text.trim(), 80)} is too large to be a measurement`, role)
      out[i] = value ?? NaN
    }
    return out
  }

  private value(numbers: Float64Array, role: Role, line: number, required: true): number
  private value(
    numbers: Float64Array,
    role: Role,
    line: number,
    required: false
  ): number | undefined
  private value(
    numbers: Float64Array,
    role: Role,
    line: number,
    required: boolean
  ): number | undefined {
    const i = this.index[role]
    const scale = role === 'instances' || role === 'occurrences' ? 1 : this.factor
    const value = scaledCell(numbers, i, scale)
    if (value < Infinity) return value
    if (Number.isNaN(value) && !required) return undefined
    throw this.error(line, cellProblem(value, i, role), role)
  }

  private text(cells: string[], role: Role, line: number): string {
    const i = this.index[role]
    const value = i === undefined ? undefined : cells[i]
    if (value === undefined || value.trim() === '')
      throw this.error(line, 'expected a name, found nothing', role)
    return value
  }

  private csvName(raw: string, line: number): string {
    const name = csvName(raw)
    if (name !== undefined) return name
    throw new InputError(
      raw.startsWith('"')
        ? `the last cell ${quoted(raw, 80)} opens a quote that is never closed: the row is cut short`
        : `this row has more cells than the header at line ${this.line} (${this.options.columns.length}): the last cell ${quoted(raw, 80)} holds a comma but is not quoted, as nsys quotes every value with a comma`,
      { file: this.options.source, line }
    )
  }

  private error(line: number, message: string, role: Role): InputError {
    const i = this.index[role]
    const column = i === undefined ? role : (this.options.columns[i]?.label ?? role)
    return new InputError(message, { file: this.options.source, line, column })
  }
}
