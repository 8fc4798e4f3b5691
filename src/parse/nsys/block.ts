import { InputError } from '../../errors.js'
import { canonicalKey } from '../../profile/keys.js'
import type { Stat, Table, TableName } from '../../profile/model.js'
import { addRow, detach, StatAccumulator } from '../../profile/stat.js'
import { sizeFactor, timeFactor, type Column, type Role } from './columns.js'
import { parseCsvNumber, styledParser, styleFromFraction, type NumberStyle } from './numbers.js'
import type { Family } from './reports.js'
import { splitColumnRow, splitCsvNameLast, splitTsv } from './rows.js'

export type Format = 'csv' | 'tsv' | 'column' | 'json'

export interface BlockOptions {
  source: string
  family: Family
  columns: Column[]
  format: Format
  /** Line of the header. */
  line: number
  /** Unit from a title when the header has none (2019: `(nanoseconds)`, `(KiB)`). */
  unitHint?: string | undefined
}

/** What a table block produced: one table, or three for a GPU trace. */
export type BlockTables = Partial<Record<TableName, Table>>

const FAMILY_TABLE: Readonly<Record<Exclude<Family, 'gpuTrace'>, TableName>> = {
  kernels: 'kernels',
  kernelsByGrid: 'kernels',
  cudaApi: 'cudaApi',
  memTime: 'memTime',
  memSize: 'memSize',
  nvtx: 'nvtx',
  osrt: 'osrt'
}

/**
 * Reads the rows of one report block into tables. Rows stream through: a summary keeps one entry
 * per distinct name, a GPU trace one running accumulator per name, whatever the row count.
 */
export class TableBlock {
  readonly line: number
  private readonly index: Partial<Record<Role, number>> = {}
  private readonly factor: number
  private readonly bytesFactor: number | undefined
  private style: NumberStyle | undefined
  private parse: (text: string) => number | null | undefined
  private readonly summary: Table | undefined
  private readonly trace:
    | {
        kernels: Map<string, StatAccumulator>
        memTime: Map<string, StatAccumulator>
        memSize: Map<string, StatAccumulator>
      }
    | undefined
  readonly gpus = new Set<string>()
  rows = 0

  constructor(private readonly options: BlockOptions) {
    this.line = options.line
    options.columns.forEach((column, i) => {
      if (this.index[column.role] === undefined) this.index[column.role] = i
    })
    const unitOf = (role: Role): string | undefined => {
      const i = this.index[role]
      return (i === undefined ? undefined : options.columns[i]?.unit) ?? options.unitHint
    }
    if (options.family === 'memSize') {
      const unit = unitOf('total')
      const factor = sizeFactor(unit)
      if (factor === undefined)
        throw this.error(options.line, `unknown size unit "${unit ?? ''}"`, 'total')
      this.factor = factor
    } else {
      const unit = unitOf(options.family === 'gpuTrace' ? 'duration' : 'total')
      const factor = timeFactor(unit)
      if (factor === undefined)
        throw this.error(options.line, `unknown time unit "${unit ?? ''}"`, 'total')
      this.factor = factor
    }
    if (options.family === 'gpuTrace') {
      const bytesColumn = this.index.bytes
      this.bytesFactor =
        bytesColumn === undefined ? undefined : sizeFactor(options.columns[bytesColumn]?.unit)
      this.trace = { kernels: new Map(), memTime: new Map(), memSize: new Map() }
    } else {
      this.bytesFactor = undefined
      this.summary = new Map()
    }
    this.parse = parseCsvNumber
  }

  get family(): Family {
    return this.options.family
  }

  get format(): Format {
    return this.options.format
  }

  /** Splits a text line into cells for this block's format; undefined when it is not a row. */
  split(line: string): string[] | undefined {
    const count = this.options.columns.length
    switch (this.options.format) {
      case 'csv':
        return splitCsvNameLast(line, count)
      case 'tsv':
        return splitTsv(line, count)
      case 'column':
        return splitColumnRow(line, this.options.columns)
      case 'json':
        return undefined
    }
  }

  /**
   * Takes one row's cells. Answers false when the cells are not a row of this table at all (prose,
   * an elided-rows marker), so the caller can skip the line; throws InputError when they are a row
   * with a bad value.
   */
  accept(cells: string[], line: number): boolean {
    // The first column (always a number in the reports read here) decides whether this is a row.
    const first = (cells[0] ?? '').trim()
    if (this.options.format === 'column') {
      if (!/^-?\d/.test(first)) return false
      this.learnStyle(cells, line)
    }
    if (this.parse(first) === undefined) return false
    if (this.trace) this.acceptTraceRow(cells, line)
    else this.acceptSummaryRow(cells, line)
    this.rows += 1
    return true
  }

  /** The tables this block produced. */
  tables(): BlockTables {
    if (this.summary) {
      return { [FAMILY_TABLE[this.options.family as Exclude<Family, 'gpuTrace'>]]: this.summary }
    }
    const out: BlockTables = {}
    if (this.trace) {
      out.kernels = finish(this.trace.kernels)
      out.memTime = finish(this.trace.memTime)
      out.memSize = finish(this.trace.memSize)
    }
    return out
  }

  private learnStyle(cells: string[], line: number): void {
    // Avg, StdDev and Time (%) always carry a fraction; its last separator is the decimal point.
    let found: NumberStyle | undefined
    for (const role of ['avg', 'stdDev', 'share', 'med'] as const) {
      const i = this.index[role]
      if (i === undefined) continue
      found = styleFromFraction(cells[i] ?? '')
      if (found) break
    }
    if (!found || (this.style && found.decimal !== this.style.decimal)) this.ambiguous(line)
    if (this.style) return
    this.style = found
    const parser = styledParser(found)
    this.parse = (text: string) => {
      const cell = text.trim()
      if (cell === '' || cell === 'None') return null
      return parser(cell)
    }
  }

  private ambiguous(line: number): never {
    throw new InputError(
      'the numbers in this column-format table do not follow one locale (decimal point vs thousands ' +
        'separator); the table is ambiguous. Re-run `nsys stats` with `--format csv` and LC_ALL=C.',
      { file: this.options.source, line }
    )
  }

  private acceptSummaryRow(cells: string[], line: number): void {
    const family = this.options.family as Exclude<Family, 'gpuTrace'>
    const table = FAMILY_TABLE[family]
    const name = this.text(cells, 'name', line)
    const total = this.number(cells, 'total', line, this.factor, true)
    const instances = this.number(cells, 'instances', line, 1, true)
    if (!Number.isInteger(instances)) {
      throw this.error(
        line,
        `expected a whole number of instances, found "${cells[this.index.instances ?? 0] ?? ''}"`,
        'instances'
      )
    }
    const avg =
      this.number(cells, 'avg', line, this.factor, false) ?? (instances > 0 ? total / instances : 0)
    const stat: Stat = {
      name,
      total,
      instances,
      avg,
      min: this.number(cells, 'min', line, this.factor, false) ?? avg,
      max: this.number(cells, 'max', line, this.factor, false) ?? avg
    }
    const med = this.number(cells, 'med', line, this.factor, false)
    if (med !== undefined) stat.med = med
    const stdDev = this.number(cells, 'stdDev', line, this.factor, false)
    if (stdDev !== undefined) stat.stdDev = stdDev
    const key = canonicalKey(table, name)
    if (this.options.format === 'column' && name.endsWith('…')) {
      stat.truncated = true
      // Two rows with the same cut name may be two kernels or one split by grid/block: unknowable.
      if (this.summary?.has(key)) {
        throw new InputError(
          `two rows share the name "${name}", cut short by nsys at 100 characters, so they cannot be told apart. ` +
            'Re-run `nsys stats` with `--format csv`.',
          { file: this.options.source, line }
        )
      }
    }
    if (this.summary) addRow(this.summary, key, stat)
  }

  private acceptTraceRow(cells: string[], line: number): void {
    const trace = this.trace
    if (!trace) return
    const name = this.text(cells, 'name', line)
    const duration = this.number(cells, 'duration', line, this.factor, true)
    const device = this.index.device === undefined ? '' : (cells[this.index.device] ?? '').trim()
    if (device !== '' && device !== 'None') this.gpus.add(device.replace(/\s*\(\d+\)$/, ''))
    const gridIndex = this.index.grid
    const grid = gridIndex === undefined ? null : this.parse(cells[gridIndex] ?? '')
    if (grid !== null && grid !== undefined) {
      accumulate(trace.kernels, canonicalKey('kernels', name), name, duration)
      return
    }
    if (!name.startsWith('[CUDA ')) return // neither a kernel nor a memory operation
    accumulate(trace.memTime, canonicalKey('memTime', name), name, duration)
    const bytesIndex = this.index.bytes
    if (bytesIndex !== undefined && this.bytesFactor !== undefined) {
      const bytes = this.parse(cells[bytesIndex] ?? '')
      if (bytes === undefined)
        throw this.error(line, `expected a size, found "${cells[bytesIndex] ?? ''}"`, 'bytes')
      if (bytes !== null) {
        accumulate(
          trace.memSize,
          canonicalKey('memSize', name),
          name,
          Math.round(bytes * this.bytesFactor)
        )
      }
    }
  }

  private text(cells: string[], role: Role, line: number): string {
    const i = this.index[role]
    const value = i === undefined ? undefined : cells[i]
    if (value === undefined || value.trim() === '')
      throw this.error(line, 'expected a name, found nothing', role)
    return value
  }

  private number(cells: string[], role: Role, line: number, factor: number, required: true): number
  private number(
    cells: string[],
    role: Role,
    line: number,
    factor: number,
    required: false
  ): number | undefined
  private number(
    cells: string[],
    role: Role,
    line: number,
    factor: number,
    required: boolean
  ): number | undefined {
    const i = this.index[role]
    if (i === undefined) {
      if (required) throw this.error(line, `the header has no ${role} column`, role)
      return undefined
    }
    const text = cells[i] ?? ''
    const value = this.parse(text)
    if (value === undefined || (value !== null && (!Number.isFinite(value) || value < 0))) {
      throw this.error(line, `expected a non-negative number, found "${text.trim()}"`, role)
    }
    if (value === null) {
      if (required) throw this.error(line, 'expected a number, found an empty value', role)
      return undefined
    }
    // Unit conversions (us, ms, MB) leave float noise: ns and bytes need no more than 3 decimals.
    return factor === 1 ? value : Math.round(value * factor * 1000) / 1000
  }

  private error(line: number, message: string, role: Role): InputError {
    const i = this.index[role]
    const column = i === undefined ? role : (this.options.columns[i]?.label ?? role)
    return new InputError(message, { file: this.options.source, line, column })
  }
}

function accumulate(
  map: Map<string, StatAccumulator>,
  key: string,
  name: string,
  value: number
): void {
  let acc = map.get(key)
  if (!acc) {
    acc = new StatAccumulator(name)
    map.set(key === name ? acc.name : detach(key), acc)
  }
  acc.add(value)
}

function finish(map: Map<string, StatAccumulator>): Table {
  const table: Table = new Map()
  for (const [key, acc] of map) table.set(key, acc.toStat())
  return table
}
