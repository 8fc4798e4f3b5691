import { InputError } from '../../errors.js'
import { codePointLength } from '../../profile/keys.js'
import {
  canonicalKey,
  TABLE_NAMES,
  type Stat,
  type Table,
  type TableName
} from '../../profile/model.js'
import { addRow, detach, StatAccumulator, statProblem } from '../../profile/stat.js'
import { PackedTable, keepKey, keyIdIn, keyIn, scratchStat } from '../../profile/packed.js'
import { quoted } from '../../text.js'
import { sizeFactor, sizeStep, timeFactor, timeStep, type Column, type Role } from './columns.js'
import { ByteKey, SHARED_NAMES, type ByteNames, type Interned } from '../intern.js'
import { TimelineAnalysis } from '../../analyze/timeline.js'
import type { EventKind, TraceEvent } from '../../profile/events.js'
import type { GpuTimeline, KernelLaunches } from '../../profile/timeline.js'
import {
  parseCsvNumber,
  POWERS,
  styledParser,
  styleFromFraction,
  styleFromGroups,
  type NumberStyle
} from './numbers.js'
import { FAMILY_TABLES, type Family } from './reports.js'
import type { NumberMemo } from './row-batch.js'
import { RowTail, rowTailCell } from './row-tail.js'
import { csvName, splitBoxedRow, splitColumnRow, splitCsvNameLast, splitTsv } from './rows.js'

/** The event a trace row becomes: one object per block, refilled per row. */
type MutableEvent = TraceEvent & { grid: [number, number, number]; block: [number, number, number] }

/** `table` is the boxed format of `nsys stats --format table`; `column` the default one. */
export type Format = 'csv' | 'tsv' | 'column' | 'table' | 'json'

export interface BlockOptions {
  source: string
  family: Family
  columns: Column[]
  format: Format
  /** Line of the header. */
  line: number
  /** Unit from a title when the header has none (2019: `(nanoseconds)`, `(KiB)`). */
  unitHint?: string | undefined
  /** Column and boxed formats: the width of the name column; longer names were cut to it. */
  nameWidth?: number | undefined
  /**
   * Column and boxed formats: where each column's text lies, [start, end) in code points of a
   * line (from the dashed rule or the border). Read by the reports whose free text comes first.
   */
  spans?: readonly (readonly [number, number])[] | undefined
}

/** What the parser asks of a table block (TableBlock, and NvtxBlock for the NVTX projections). */
export interface ReportBlock {
  readonly line: number
  readonly family: Family
  readonly format: Format
  readonly gpus: ReadonlySet<string>
  readonly notes: BlockNote[]
  readonly rows: number
  readonly lastLine: number
  split(line: string): string[] | undefined
  startsLikeRow(line: string): boolean
  accept(cells: string[], line: number): boolean
  acceptBytes(bytes: Buffer, start: number, end: number, line: number): boolean
  tables(): BlockTables
}

/** What a table block produced: one table, or several for a GPU trace or cuda_gpu_sum. */
export type BlockTables = Partial<Record<TableName, Table>>

/** What the timeline analyses made of a GPU trace's rows (analyze/timeline.ts). */
export interface BlockTimeline {
  timeline: GpuTimeline
  launches: KernelLaunches
}

/** Something the block noticed that a person should know (kept by the parser as a note). */
export interface BlockNote {
  code: string
  severity: 'warning' | 'info'
  message: string
  /** The table the note is about (Note.table). */
  table?: TableName
}

/** Roles whose cells are numbers in every report read here. */
const NUMERIC_ROLES: ReadonlySet<Role> = new Set([
  'share',
  'total',
  'instances',
  'avg',
  'med',
  'min',
  'max',
  'stdDev',
  'start',
  'duration',
  'grid',
  'gridY',
  'gridZ',
  'blockX',
  'blockY',
  'blockZ',
  'stream',
  'bytes'
])

/**
 * The number of a row's column (`i`, undefined when the header has none), times `scale` (rounded
 * to a thousandth): NaN when nothing was printed, Infinity above MAX_VALUE (not a measurement).
 * Shared by the table blocks (TableBlock, NvtxBlock), which throw with cellProblem's words.
 */
export function scaledCell(numbers: Float64Array, i: number | undefined, scale: number): number {
  const raw = i === undefined ? NaN : numbers[i]!
  if (Number.isNaN(raw)) return NaN
  const scaled = scale === 1 ? raw : Math.round(raw * scale * 1000) / 1000
  return scaled > MAX_VALUE ? Infinity : scaled
}

/** Why a scaledCell value of `role` is not a number to use. */
export function cellProblem(value: number, i: number | undefined, role: Role): string {
  if (!Number.isNaN(value)) return 'the value is too large to be a measurement'
  return i === undefined
    ? `the header has no ${role} column`
    : 'expected a number, found an empty value'
}

/** A kernel of a GPU trace: its accumulator, and the kernel that followed it last. */
interface TraceKernel {
  name: string
  /**
   * The name's cell as printed (quotes included) and its interned name, when its first row was
   * read from bytes (acceptBytes).
   */
  bytes: ByteKey | undefined
  interned: Interned | undefined
  acc: StatAccumulator
  next: TraceKernel | undefined
  /** The event id of the name (TraceEvent.id): its rank of appearance in the trace. */
  id: number
  /** The string this kernel's name was last given as (rows of one name mostly share one). */
  given: string
}

/**
 * A row read in scan mode: its numbers (at `columns`), name and device, and its line; `memo`,
 * kept with the name for the sink (RowBatchWriter's number of the name).
 */
export type ScannedRowSink = (
  numbers: Float64Array,
  columns: Int32Array,
  name: string,
  device: string,
  line: number,
  memo: NumberMemo
) => void

interface ScannedName extends NumberMemo {
  bytes: ByteKey
  interned: Interned
  next: ScannedName | undefined
  /** The end of this kernel's last row, from tailCell on (RowTail). */
  tail: RowTail | undefined
}

/** Names a scanning block remembers for its guess of the next one, before it starts over. */
const MAX_SCANNED_NAMES = 1 << 20
/** The bytes of rows' ends (RowTail) a scanning block keeps at most, for all its names. */
const MAX_TAIL_BYTES = 64 * 2 ** 20

/** acceptBytes: what a cell before the name is. */
const CELL_SKIP = 0
const CELL_NUMBER = 1
const CELL_DEVICE = 2

/** Above this a value is not a measurement (2^53 ns is 104 days; 2^53 bytes, 9 PB). */
const MAX_VALUE = Number.MAX_SAFE_INTEGER

/**
 * Reads the rows of one report block into tables. Rows stream through: a summary keeps one entry
 * per distinct name, a GPU trace one running accumulator per name, whatever the row count.
 *
 * Every row is checked before it counts: the right number of cells, a number in every numeric
 * column, and the invariants every row obeys (profile/stat.ts statProblem). A row that breaks
 * them was cut, edited or read with shifted columns: it is refused with its line, never guessed.
 */
export class TableBlock implements ReportBlock {
  readonly line: number
  private readonly index: Partial<Record<Role, number>> = {}
  private readonly numeric: number[] = []
  private readonly factor: number
  /** The step of the printed numbers in the table's unit (rounding tolerance). */
  private readonly step: number
  private readonly bytesFactor: number | undefined
  private style: NumberStyle | undefined
  private parse: (text: string) => number | null | undefined
  private readonly summary: Partial<Record<TableName, PackedTable>> | undefined
  private readonly trace:
    | {
        kernels: Map<string, StatAccumulator>
        memTime: Map<string, StatAccumulator>
        memSize: Map<string, StatAccumulator>
      }
    | undefined
  /** GPU trace: the accumulator of each kernel name as printed, and the last device cell. */
  private readonly traceKernels = new Map<string, TraceKernel>()
  /** The kernel of the last kernel row (see acceptTraceRow). */
  private lastKernel: TraceKernel | undefined
  private lastDevice: string | undefined
  /** The device cell as acceptTraceRow was last given it (lastDevice is a copy). */
  private lastDeviceGiven: string | undefined
  /** The device cell acceptBytes read last: its bytes and text (deviceOf). */
  private lastDeviceBytes: ByteKey | undefined
  private lastDeviceCell: string | undefined
  /** GPU trace: the timeline analyses, fed one event per row (reused: see TimelineAnalysis.add). */
  private readonly analysis: TimelineAnalysis | undefined
  private readonly event: MutableEvent = {
    kind: 'kernel',
    name: '',
    start: 0,
    duration: 0,
    device: 0,
    stream: undefined,
    id: undefined,
    grid: [NaN, NaN, NaN],
    block: [NaN, NaN, NaN]
  }
  private readonly startFactor: number = 1
  /** Columns of grid x, y, z and block x, y, z (−1: not printed). */
  private readonly dims: Int32Array
  /** The device index of the last device cell (`NVIDIA H100 80GB HBM3 (0)` → 0). */
  private lastDeviceId = 0
  private readonly deviceIds = new Map<string, number>()
  /** The device ids device cells gave (`… (0)`): cells without one are numbered apart (deviceId). */
  private readonly explicitIds = new Set<number>()
  private timelineResult: BlockTimeline | undefined
  /** In tables split by grid and block (2022.4 gpukernsum): per key, the names and shapes seen. */
  private readonly shapes = new Map<string, Set<string>>()
  /** Keys printed under several names in one table: the names seen (checkRepeat). */
  private readonly spellings = new Map<string, Set<string>>()
  /** `Time (%)` and total of each row, to check the shares at the end. */
  private readonly shares: { share: number[]; total: number[]; line: number[] } = {
    share: [],
    total: [],
    line: []
  }
  readonly gpus = new Set<string>()
  readonly notes: BlockNote[] = []
  rows = 0
  /** The line of the last row read (or of the header). */
  lastLine: number
  private cutRows = 0
  /**
   * A GPU trace in the boxed (or column) format: the keys of the names nsys cut to their
   * column, per table (`kernels`, `memTime`), looked at once per distinct name.
   */
  private readonly traceCuts: Map<string, TableName> | undefined
  /** The numbers of the row being read, by column; NaN where nsys printed nothing. */
  private readonly row: Float64Array
  /** The Stat of a summary row read from bytes, written anew for each (acceptSummaryRow). */
  private readonly scratch = scratchStat()
  /** The cells read: the first and those of a known role (the rest are counted, not cut out). */
  private readonly wanted: boolean[]
  /** CSV rows read from bytes (acceptBytes): what to do with each cell before the name. */
  private readonly bytePlan: Uint8Array | undefined
  /** For each cell the plan skips, how many in a row it starts (acceptBytes skips them at once). */
  private readonly byteSkips: Uint8Array
  /**
   * Scan mode (scanRowsTo): rows read from bytes go to this sink instead of the tables, for
   * another block to take in order (takeScannedRow). The names met, each with the name that
   * followed it last time, stand in for traceKernels in acceptBytes' guess of the next name.
   */
  private scanSink: ScannedRowSink | undefined
  private readonly scanNames = new Map<Interned, ScannedName>()
  private lastScanned: ScannedName | undefined
  /** Scan mode: the first cell of a row's repeating end (RowTail), −1 where none; its bytes kept. */
  private readonly tailCell: number
  private tailBytes = 0
  /** The columns acceptBytes reads as numbers: what a scanned row carries, in this order. */
  readonly scanColumns: Int32Array
  /** Decimals of the last row's average as printed (acceptBytes), for avgStep. */
  private avgDecimals = 0

  constructor(private readonly options: BlockOptions) {
    this.line = options.line
    this.lastLine = options.line
    this.row = new Float64Array(options.columns.length).fill(NaN)
    // The first cell always: it tells a row from other text (accept).
    this.wanted = options.columns.map((column, i) => i === 0 || column.role !== 'other')
    options.columns.forEach((column, i) => {
      if (this.index[column.role] === undefined) this.index[column.role] = i
      if (NUMERIC_ROLES.has(column.role)) this.numeric.push(i)
    })
    const unitOf = (role: Role): string | undefined => {
      const i = this.index[role]
      return (i === undefined ? undefined : options.columns[i]?.unit) ?? options.unitHint
    }
    if (options.family === 'memSize') {
      const unit = unitOf('total')
      const factor = sizeFactor(unit)
      if (factor === undefined)
        throw this.error(
          options.line,
          `unknown size unit ${quoted(unit ?? '')} (nsys prints B, KB, KiB, MB, MiB, GB or GiB)`,
          'total'
        )
      this.factor = factor
      this.step = sizeStep(unit)
    } else {
      const unit = unitOf(options.family === 'gpuTrace' ? 'duration' : 'total')
      const factor = timeFactor(unit)
      if (factor === undefined)
        throw this.error(
          options.line,
          `unknown time unit ${quoted(unit ?? '')} (nsys prints ns, us, ms or sec)`,
          'total'
        )
      this.factor = factor
      this.step = timeStep(unit)
    }
    if (options.family === 'gpuTrace') {
      const bytesColumn = this.index.bytes
      this.bytesFactor =
        bytesColumn === undefined ? undefined : sizeFactor(options.columns[bytesColumn]?.unit)
      this.trace = { kernels: new Map(), memTime: new Map(), memSize: new Map() }
      if (options.format === 'table' || options.format === 'column') this.traceCuts = new Map()
      if (this.index.start !== undefined) {
        const startFactor = timeFactor(options.columns[this.index.start]?.unit ?? options.unitHint)
        if (startFactor === undefined)
          throw this.error(options.line, 'unknown time unit of the start column', 'start')
        this.startFactor = startFactor
        // nsys prints the trace in order of start.
        this.analysis = new TimelineAnalysis(true)
      }
    } else {
      this.bytesFactor = undefined
      this.summary = Object.fromEntries(
        FAMILY_TABLES[options.family].map((t) => [t, new PackedTable()])
      )
    }
    this.parse = parseCsvNumber
    this.bytePlan = this.planBytes()
    const plan = this.bytePlan
    this.tailCell =
      this.trace && plan ? rowTailCell(options.columns, this.index.start, this.index.duration) : -1
    this.byteSkips = new Uint8Array(plan?.length ?? 0)
    // A run of skipped cells stops before the tail's first cell, where acceptBytes looks.
    for (let i = this.byteSkips.length - 1; i >= 0; i--)
      if (plan![i] === CELL_SKIP)
        this.byteSkips[i] = Math.min(
          255,
          1 + (i + 1 === this.tailCell ? 0 : (this.byteSkips[i + 1] ?? 0))
        )
    this.scanColumns = Int32Array.from(
      plan ? [...plan.keys()].filter((i) => plan[i] === CELL_NUMBER) : []
    )
    this.dims = Int32Array.from(
      (['grid', 'gridY', 'gridZ', 'blockX', 'blockY', 'blockZ'] as const).map(
        (role) => this.index[role] ?? -1
      )
    )
  }

  /**
   * What acceptBytes does with each cell before the name: a number (every cell of a numeric
   * role, and the first, which tells a row from other text), the device, or skip (counted, not
   * read). Undefined where rows need the text path: tables that route or check rows by a text
   * cell (cuda_gpu_sum's Category, 2022.4's GridXYZ/BlockXYZ), and every format but CSV.
   */
  private planBytes(): Uint8Array | undefined {
    const { columns, format, family } = this.options
    if (format !== 'csv' || family === 'gpuSum' || this.index.xyz !== undefined) return undefined
    const plan = new Uint8Array(columns.length - 1)
    for (let i = 0; i < plan.length; i++) {
      const role = columns[i]!.role
      plan[i] =
        i === 0 || NUMERIC_ROLES.has(role)
          ? CELL_NUMBER
          : role === 'device'
            ? CELL_DEVICE
            : CELL_SKIP
    }
    return plan
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
        return splitCsvNameLast(line, count, this.wanted)
      case 'tsv':
        return splitTsv(line, count)
      case 'column':
        // A GPU trace in the column format leaves the cells a row lacks blank and prints the
        // device with blanks in it (`NVIDIA H100 80GB HBM3 (0)`): read by the token grammar, its
        // cells shift (docs/nsys-notes.md, "cuda_gpu_trace"). A row is refused as such, rather than
        // with whatever error the shifted cells happen to give, at the table's header.
        if (this.trace && /^\s*\d/.test(line))
          throw new InputError(
            `the GPU trace at line ${this.line} is in the column format, whose cells cannot be told apart (blank cells, device names with blanks): run \`nsys stats\` with \`--format csv\` for the GPU trace`,
            { file: this.options.source, line: this.line }
          )
        return splitColumnRow(line, this.options.columns)
      case 'table':
        return splitBoxedRow(line, this.options.columns)
      case 'json':
        return undefined
    }
  }

  /**
   * Does a line start like a row of this table (a number first)? Such a line must be a row: when
   * it cannot be read as one, the parser refuses it instead of skipping it.
   */
  startsLikeRow(line: string): boolean {
    const start = line.trimStart()
    const trimmed =
      this.options.format === 'table' && start.startsWith('|') ? start.slice(1).trimStart() : start
    const end = this.options.format === 'tsv' ? trimmed.indexOf('\t') : -1
    const first =
      this.options.format === 'csv'
        ? (trimmed.startsWith('"') ? trimmed.slice(1) : trimmed).split(',', 1)[0]
        : this.options.format === 'tsv'
          ? trimmed.slice(0, end < 0 ? undefined : end)
          : trimmed.split(' ', 1)[0]
    return /^-?\d/.test(first ?? '')
  }

  /**
   * Takes one row's cells. Answers false when the cells are not a row of this table at all (prose,
   * an elided-rows marker), so the caller can skip the line; throws InputError when they are a row
   * that cannot be read right.
   */
  accept(cells: string[], line: number): boolean {
    // The first column (always a number in the reports read here) decides whether this is a row.
    const first = (cells[0] ?? '').trim()
    if (this.options.format === 'column' || this.options.format === 'table') {
      if (!/^-?\d/.test(first)) return false
      this.learnStyle(cells, line)
    }
    const value = this.parse(first)
    if (value === undefined || value === null) return false
    if (this.options.format === 'csv')
      cells[cells.length - 1] = this.csvName(cells[cells.length - 1] ?? '', line)
    const numbers = this.numbers(cells, line)
    this.avgDecimals = this.decimalsOf(cells)
    const name = this.text(cells, 'name', line)
    if (this.trace) {
      const device = this.index.device === undefined ? '' : (cells[this.index.device] ?? '')
      this.acceptTraceRow(name, device, numbers, line)
    } else this.acceptSummaryRow(name, cells, numbers, line)
    this.rows += 1
    this.lastLine = line
    return true
  }

  /**
   * The fast path of accept for a CSV row, read in place from its bytes (the line [start, end)
   * without its line break): the numbers scanned from the digits, the name and the device looked
   * up by their bytes (decoded once for the whole input, see ByteNames). It takes only the usual
   * shape: plain non-negative numbers or empty cells, no quote before the name, a name that is
   * not blank. Anything else answers false before the row counts for anything, and the line
   * goes the text path (split, accept), which reads or refuses it with its error. Both paths
   * end in the same acceptSummaryRow / acceptTraceRow (docs/performance.md).
   */
  acceptBytes(bytes: Buffer, start: number, end: number, line: number): boolean {
    const plan = this.bytePlan
    if (plan === undefined) return false
    const skips = this.byteSkips
    const numbers = this.row
    const avg = this.index.avg ?? -1
    const bytesAt = this.index.bytes ?? -1
    const bytesFactor = this.bytesFactor ?? 1
    let device: string | undefined
    let p = start
    // The kernel that followed the last row's kernel last time: a GPU trace repeats its kernels
    // in order. In scan mode, a row that ends as that kernel's last row did is not read past
    // tailCell (RowTail); otherwise where its end starts is kept for scanned().
    const next = this.scanSink ? this.lastScanned?.next : this.lastKernel?.next
    const tailCell = this.scanSink ? this.tailCell : -1
    let tailStart = -1
    let repeated = false
    for (let i = 0; i < plan.length; i++) {
      if (i === tailCell) {
        const tail = (next as ScannedName | undefined)?.tail
        if (tail !== undefined && tail.matches(bytes, p, end)) {
          tail.restore(numbers, i)
          device = tail.device
          repeated = true
          break
        }
        tailStart = p
      }
      const kind = plan[i]
      if (kind === CELL_SKIP) {
        // The cells skipped from here on, one comma each, counted in one loop.
        let left = skips[i]!
        i += left - 1
        for (;;) {
          if (p >= end) return false
          const c = bytes[p++]
          if (c === 44 /* , */) {
            if (--left === 0) break
          } else if (c === 34 /* " */) return false
        }
        continue
      }
      if (kind === CELL_DEVICE) {
        // Millions of rows name the last row's device: its cell (no quote, no comma: it was
        // scanned) is compared where this one starts, and its comma, not scanned for first.
        const last = this.lastDeviceBytes
        const after = last === undefined ? -1 : p + last.length
        if (after >= 0 && after < end && bytes[after] === 44 && last!.equals(bytes, p, after)) {
          device = this.lastDeviceCell
          if (device === undefined) return false
          p = after + 1
          continue
        }
        const from = p
        for (;;) {
          if (p >= end) return false
          const c = bytes[p++]
          if (c === 44) break
          if (c === 34) return false
        }
        device = this.deviceOf(bytes, from, p - 1)
        if (device === undefined) return false
        continue
      }
      // A plain number (digits, at most one point with digits on both sides, at most 15 digits:
      // the value is exact, as parseCsvNumber's), or nothing.
      let digits = 0
      let count = 0
      let point = -1
      let q = p
      for (; q < end; q++) {
        const c = bytes[q]!
        if (c >= 48 && c <= 57) {
          digits = digits * 10 + (c - 48)
          count += 1
        } else if (c === 44) break
        else if (c === 46 && point < 0 && count > 0) point = q
        else return false
      }
      if (q >= end || count > 15 || point === q - 1) return false
      if (q === p) {
        if (i === 0) return false
        numbers[i] = NaN
      } else {
        const value = point < 0 ? digits : digits / POWERS[q - 1 - point]!
        // Under 10^15 (15 digits at most): only the bytes column, scaled, can pass MAX_VALUE.
        if (i === bytesAt && value * bytesFactor > MAX_VALUE) return false
        numbers[i] = value
      }
      if (i === avg) this.avgDecimals = point < 0 ? 0 : q - 1 - point
      p = q + 1
    }
    // The name: the rest of the line. The cell of the kernel guessed next is compared first, as
    // printed (its quotes included: a cell met before was checked when it was met). See
    // acceptTraceRow.
    let interned: Interned | undefined
    let guessed = false
    if (repeated || (next?.bytes !== undefined && next.bytes.equals(bytes, p, end))) {
      interned = next!.interned
      guessed = true
    } else {
      // nsys quotes a name exactly when it holds a comma (csvName).
      let from = p
      let to = end
      const comma = bytes.indexOf(44, from)
      if (comma >= 0 && comma < to) {
        if (to - from < 2 || bytes[from] !== 34 || bytes[to - 1] !== 34) return false
        from += 1
        to -= 1
      }
      // A blank name is the text path's error; a name that starts or ends with a space is rare.
      if (from >= to || bytes[from] === 32 || bytes[to - 1] === 32) return false
      interned = this.names.get(bytes, from, to)
    }
    if (interned === undefined) return false
    const name = interned.text
    if (this.scanSink) {
      // A guess that held is the entry scanned() would look up.
      const entry = guessed ? (next as ScannedName) : undefined
      this.scanned(numbers, name, device ?? '', line, bytes, p, end, interned, entry, tailStart)
    } else if (this.trace)
      this.acceptTraceRow(name, device ?? '', numbers, line, bytes, p, end, interned)
    else {
      if (this.index.instances !== undefined && !Number.isInteger(numbers[this.index.instances]))
        return false
      this.acceptSummaryRow(name, undefined, numbers, line, interned)
    }
    this.rows += 1
    this.lastLine = line
    return true
  }

  /** Names and devices read from bytes: shared by every block of the process (see ByteNames). */
  private get names(): ByteNames {
    return SHARED_NAMES
  }

  /** The device cell [from, to) of a trace row: millions of rows name the same device. */
  private deviceOf(bytes: Buffer, from: number, to: number): string | undefined {
    const last = this.lastDeviceBytes
    if (last?.equals(bytes, from, to)) return this.lastDeviceCell
    const device = this.names.get(bytes, from, to)?.text
    this.lastDeviceBytes = new ByteKey(bytes, from, to)
    this.lastDeviceCell = device
    return device
  }

  /** The tables this block produced, after the checks that need every row. */
  tables(): BlockTables {
    this.checkShares()
    if (this.cutRows > 0) {
      this.notes.push({
        code: 'cut-names',
        severity: 'info',
        message: `the table at line ${this.line} has ${this.cutRows} rows whose names nsys cut to ${this.options.nameWidth ?? 100} characters and that share their cut name; each such name is kept as one item (use \`nsys stats --format csv\` for full names)`
      })
    }
    if (this.summary) {
      this.markSilentCuts()
      return this.summary
    }
    const out: BlockTables = {}
    if (this.trace) {
      out.kernels = finish(this.trace.kernels)
      out.memTime = finish(this.trace.memTime)
      out.memSize = finish(this.trace.memSize)
      this.markTraceCuts(out)
      if (this.analysis) {
        const result = this.analysis.finish(this.idLessDevices())
        out.gpuIdle = result.gpuIdle
        out.kernelShapes = result.kernelShapes
        this.timelineResult = { timeline: result.timeline, launches: result.launches }
      }
    }
    return out
  }

  /**
   * A GPU trace printed with its names cut to their column (the boxed format): each cut name is
   * marked as such, like the cut names of a summary, so that a comparison joins it to the full
   * name of another run (and never takes it for a kernel of its own); the rows of kernels that
   * share a cut name were counted as one.
   */
  private markTraceCuts(out: BlockTables): void {
    const cuts = this.traceCuts
    if (!cuts || cuts.size === 0) return
    let names = 0
    for (const [tagged, table] of cuts) {
      const stat = out[table]?.get(tagged.slice(table.length + 1))
      if (!stat) continue
      stat.truncated = true
      stat.sharedBy = 1
      // A memory operation's name is marked in both of its tables: counted once.
      if (table !== 'memSize') names += 1
    }
    if (names === 0) return
    this.notes.push({
      code: 'cut-names',
      severity: 'info',
      message: `the GPU trace at line ${this.line} has ${names} name${names === 1 ? '' : 's'} that nsys cut to ${this.options.nameWidth ?? 100} characters; each is kept as one item, with the rows of every name it may stand for (use \`nsys stats --format csv\` for full names)`
    })
  }

  /** The timeline analyses' figures of a GPU trace, once tables() was called. */
  timeline(): BlockTimeline | undefined {
    return this.timelineResult
  }

  /**
   * nsys 2019–2020 column output does not cut names at the dashes: it pads every row to the
   * longest name, and cuts the longest without a mark (333 code points in a public 2020 log, the
   * cut falling mid-template). A name of that longest length that opens more brackets than it
   * closes was cut: it gets the `…` of later versions, so that it is handled as cut (joined with
   * the full name of another report, never taken for a distinct kernel).
   */
  private markSilentCuts(): void {
    const width = this.options.nameWidth
    if (this.options.format !== 'column' || width === undefined || !this.summary) return
    for (const [name, table] of Object.entries(this.summary) as [TableName, Table][]) {
      let longest = 0
      for (const stat of table.values()) {
        if (stat.name.length > width) longest = Math.max(longest, codePointLength(stat.name))
      }
      if (longest <= width) continue
      let cut = 0
      const out = new PackedTable()
      for (const [key, stat] of table) {
        if (
          !stat.truncated &&
          stat.name.length >= longest &&
          codePointLength(stat.name) === longest &&
          opensMoreThanCloses(stat.name)
        ) {
          const printed = `${stat.name}…`
          addRow(out, canonicalKey(name, printed), {
            ...stat,
            name: printed,
            truncated: true,
            sharedBy: 1
          })
          cut += 1
        } else addRow(out, key, stat)
      }
      if (cut === 0) continue
      this.summary[name] = out
      this.notes.push({
        code: 'cut-names',
        severity: 'info',
        message: `the table at line ${this.line} has ${cut} name${cut === 1 ? '' : 's'} of the longest length (${longest} characters) that stop mid-template: nsys cut ${cut === 1 ? 'it' : 'them'} without a mark, so ${cut === 1 ? 'it is' : 'they are'} read as cut (…)`
      })
    }
  }

  private learnStyle(cells: string[], line: number): void {
    // Avg, StdDev, Med and Time (%) always carry a fraction, as do sizes in MB/KB (trace rows of
    // memory operations): the last separator is the decimal point.
    let found: NumberStyle | undefined
    for (const role of FRACTION_ROLES) {
      const i = this.index[role]
      if (i === undefined) continue
      if (role === 'bytes' && this.options.columns[i]?.unit === 'B') continue
      found = styleFromFraction(cells[i] ?? '')
      if (found) break
    }
    if (!found && !this.style && this.trace) {
      // A kernel row of a GPU trace has no cell with a fraction, but its start and duration in ns
      // are whole numbers: a separator there groups digits (`1,010` under en_US is 1010 ns).
      for (const role of ['duration', 'start'] as const) {
        const i = this.index[role]
        const unit = i === undefined ? undefined : this.options.columns[i]?.unit
        if (i === undefined || timeFactor(unit ?? this.options.unitHint) !== 1) continue
        found = styleFromGroups((cells[i] ?? '').trim())
        if (found) break
      }
    }
    if (!found) {
      if (this.style) return
      // Nothing in this row tells the locale: only whole numbers without separators can be read.
      for (const i of this.numeric) if (/[.,]/.test(cells[i] ?? '')) this.ambiguous(line)
      return
    }
    if (this.style && found.decimal !== this.style.decimal) this.ambiguous(line)
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

  /**
   * nsys quotes a CSV value exactly when it holds a comma: an unquoted name with a comma is a row
   * with more cells than its header (a number written `1,234`, a header missing a column), and a
   * quoted one must end with its quote.
   */
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

  /** Every numeric cell, parsed (null where nsys printed nothing). */
  private numbers(cells: string[], line: number): Float64Array {
    // One array per block, refilled per row: rows stream by the million.
    const out = this.row
    for (const i of this.numeric) {
      const text = cells[i] ?? ''
      const value = this.parse(text)
      const role = this.options.columns[i]?.role ?? 'other'
      if (value === undefined || (value !== null && (!Number.isFinite(value) || value < 0))) {
        throw this.error(
          line,
          `expected a non-negative number, found ${quoted(text.trim(), 80)}`,
          role
        )
      }
      if (value !== null && value * (role === 'bytes' ? (this.bytesFactor ?? 1) : 1) > MAX_VALUE) {
        throw this.error(line, `${quoted(text.trim(), 80)} is too large to be a measurement`, role)
      }
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
    const value = scaledCell(numbers, i, role === 'instances' || role === 'share' ? 1 : this.factor)
    if (value < Infinity) return value
    if (Number.isNaN(value) && !required) return undefined
    throw this.error(line, cellProblem(value, i, role), role)
  }

  /** A summary row; `cells` only from the text path (acceptBytes reads no table that needs them). */
  private acceptSummaryRow(
    name: string,
    cells: string[] | undefined,
    numbers: Float64Array,
    line: number,
    interned?: Interned
  ): void {
    const total = this.value(numbers, 'total', line, true)
    const instances = this.value(numbers, 'instances', line, true)
    if (!Number.isInteger(instances)) {
      throw this.error(
        line,
        `expected a whole number of instances, found ${quoted(cells?.[this.index.instances ?? 0] ?? String(instances), 40)}`,
        'instances'
      )
    }
    const avg = this.value(numbers, 'avg', line, false) ?? (instances > 0 ? total / instances : 0)
    const min = this.value(numbers, 'min', line, false) ?? avg
    const max = this.value(numbers, 'max', line, false) ?? avg
    const med = this.value(numbers, 'med', line, false)
    const stdDev = this.value(numbers, 'stdDev', line, false)
    const cut =
      (this.options.format === 'column' || this.options.format === 'table') &&
      isCut(name, this.options.nameWidth)
    // One literal for the usual row (every nsys summary has both): objects kept by the hundred
    // thousand then share one shape, built without adding properties one by one.
    let stat: Stat
    if (med !== undefined && stdDev !== undefined) {
      if (interned && !cut) {
        // Read from bytes: the row goes into a packed table, which copies its numbers, so one
        // object serves every such row (a compare of 20,000 kernels × 10 runs a side reads
        // 400,000, each of which was young garbage to collect).
        stat = this.scratch
        stat.name = name
        stat.total = total
        stat.instances = instances
        stat.avg = avg
        stat.min = min
        stat.max = max
        stat.med = med
        stat.stdDev = stdDev
      } else stat = { name, total, instances, avg, min, max, med, stdDev }
    } else {
      stat = { name, total, instances, avg, min, max }
      if (med !== undefined) stat.med = med
      if (stdDev !== undefined) stat.stdDev = stdDev
    }
    const problem = statProblem(stat, this.step, this.avgStep())
    if (problem) {
      throw new InputError(
        `this row is inconsistent (${problem}): a cell is missing, extra or edited, so its numbers cannot be trusted`,
        { file: this.options.source, line }
      )
    }
    const share = this.index.share === undefined ? NaN : numbers[this.index.share]!
    if (!Number.isNaN(share)) {
      this.shares.share.push(share)
      this.shares.total.push(total)
      this.shares.line.push(line)
    }

    const table = this.tableFor(cells ?? [], line)
    // A name read from bytes has its key worked out, and numbered, once for the whole input.
    let key: string
    let id: number | undefined
    if (interned) {
      const slot = TABLE_NAMES.indexOf(table)
      key = keyIn(interned, slot) ?? keepKey(interned, slot, canonicalKey(table, name, true))
      id = keyIdIn(interned, slot, key)
    } else key = canonicalKey(table, name)
    const rows = this.summary?.[table]
    if (!rows) return
    const existing = id === undefined ? rows.get(key) : rows.getById(id)
    if (!cut) this.checkRepeat(existing, key, cells ?? [], name, line)
    if (cut) {
      stat.truncated = true
      stat.sharedBy = 1
      if (existing) this.cutRows += existing.sharedBy === 1 ? 2 : 1
    }
    // A name read from bytes (and a key cut from it) points into no input chunk: kept as is.
    if (!existing && id !== undefined) rows.add(key, stat, id)
    else addRow(rows, key, stat)
  }

  /**
   * The step of the printed average, in the table's unit after scaling: `9727.7` ns → 0.1,
   * `3.7186` ms → 100 ns, `972` (no fraction) → the unit itself.
   */
  private avgStep(): number {
    const decimals = this.avgDecimals
    // FLOORED: 2 units, so that the half step statProblem allows is the whole unit a floor loses.
    if (decimals === FLOORED) return 2 * this.factor
    return decimals > 12 ? this.step : this.factor * 10 ** -decimals
  }

  /** The decimals of the average as printed in a row's cells (avgStep). */
  private decimalsOf(cells: string[]): number {
    const i = this.index.avg
    const text = i === undefined ? '' : (cells[i] ?? '').trim()
    const point = this.style?.decimal === ',' ? text.lastIndexOf(',') : text.lastIndexOf('.')
    if (point < 0) return 0
    // Under a decimal-comma locale the column format prints the fraction of every number nsys
    // computes as a float (averages, medians, deviations, `Time (%)`) as zeros, the value cut
    // down to a whole unit: `47,0` for 47.5 ns, `93,0` for 93.7 % (docs/nsys-notes.md "Numbers").
    if (this.style?.decimal === ',' && /^0+$/.test(text.slice(point + 1))) return FLOORED
    return text.length - point - 1
  }

  /** Which table a summary row goes to: cuda_gpu_sum rows by their Category. */
  private tableFor(cells: string[], line: number): TableName {
    const tables = FAMILY_TABLES[this.options.family]
    if (this.options.family !== 'gpuSum') return tables[0] ?? 'kernels'
    const category = (cells[this.index.category ?? -1] ?? '').trim()
    if (category === 'CUDA_KERNEL') return 'kernels'
    if (category === 'MEMORY_OPER') return 'memTime'
    throw this.error(
      line,
      `expected the category CUDA_KERNEL or MEMORY_OPER, found ${quoted(category, 40)}`,
      'category'
    )
  }

  /**
   * nsys prints each item once (each shape once, where it splits items by grid and block). Two
   * spellings that share a key (`cuMemcpyHtoD`, `cuMemcpyHtoD_v2`) are two items of nsys's, merged
   * here: only the same printed name again is a repeat.
   */
  private checkRepeat(
    existing: Stat | undefined,
    key: string,
    cells: string[],
    name: string,
    line: number
  ): void {
    if (this.index.xyz === undefined) {
      if (!existing) return
      if (existing.name !== name) {
        let names = this.spellings.get(key)
        if (!names) {
          names = new Set([existing.name])
          this.spellings.set(key, names)
        }
        if (!names.has(name)) {
          names.add(detach(name))
          return
        }
      }
    } else {
      const shape = [
        detach(name),
        ...this.options.columns.map((c, i) => (c.role === 'xyz' ? (cells[i] ?? '').trim() : ''))
      ].join('|')
      const shapes = this.shapes.get(key) ?? new Set<string>()
      if (!shapes.has(shape)) {
        shapes.add(shape)
        this.shapes.set(key, shapes)
        return
      }
    }
    throw new InputError(
      `this row repeats the name${this.index.xyz === undefined ? '' : ', grid and block'} of an earlier row (${quoted(name, 80)}); nsys prints each once, so the rows were duplicated or edited`,
      { file: this.options.source, line }
    )
  }

  /**
   * `Time (%)` is each row's share of the listed rows' total, rounded to 0.1. The shares of a
   * whole table add up to 100 (within rounding); more is impossible, less means rows are missing
   * (an excerpt). The largest share also implies the table's total within 0.05 / share, which
   * stays tight when thousands of rounded shares would add too much slack. When the table is
   * whole, each row's share must match its total.
   */
  private checkShares(): void {
    const { share: shares, total: rowTotals, line: lines } = this.shares
    const n = shares.length
    if (n === 0 || n !== this.rows) return
    // Under a locale with a decimal comma nsys prints `Time (%)` wrong in the column format
    // (`93,0` where the CSV of the same run says 93.7: docs/nsys-notes.md): no test of them holds.
    if (this.style?.decimal === ',') return
    let sum = 0
    let totals = 0
    let top = 0
    for (let i = 0; i < n; i++) {
      sum += shares[i]!
      totals += rowTotals[i]!
      if (shares[i]! > shares[top]!) top = i
    }
    const largest = { share: shares[top]!, total: rowTotals[top]!, line: lines[top]! }
    const where = { file: this.options.source, line: this.line }
    const slack = 0.05 * n + 0.1
    let listed: number | undefined // the listed totals as a fraction of the implied total
    let margin = 0
    if (largest.share >= 1 && largest.total > 0) {
      listed = (totals * largest.share) / (largest.total * 100)
      margin = 2 * (0.05 / largest.share + this.step / largest.total) + 1e-3
    }
    if (sum > 100 + slack) {
      throw new InputError(
        `the "Time (%)" shares of the table at line ${this.line} add up to ${round1(sum)}%, more than 100%: rows were repeated, added or read with shifted columns`,
        where
      )
    }
    if (sum < 100 - slack || (listed !== undefined && listed < 1 - margin)) {
      const seen =
        listed === undefined
          ? `${round1(sum)}% of the shares`
          : `${round1(listed * 100)}% of the time`
      this.notes.push({
        code: 'rows-missing',
        severity: 'warning',
        // The report's first table: the kernels, for every report that holds kernels.
        table: FAMILY_TABLES[this.options.family][0],
        message: `the rows of the table at line ${this.line} hold ${seen} its "Time (%)" column implies: rows seem to be missing (an excerpt?), so its total is not the report's total`
      })
      return
    }
    if (totals <= 0) return
    const tolerance = 0.05 + 0.1 + (100 * this.step) / totals
    for (let i = 0; i < n; i++) {
      const expected = (rowTotals[i]! / totals) * 100
      if (Math.abs(expected - shares[i]!) > tolerance) {
        throw new InputError(
          `this row's share ${shares[i]}% does not match its total (${round1(expected)}% of the table): a number was edited or read from the wrong column`,
          { file: this.options.source, line: lines[i] }
        )
      }
    }
    if (listed !== undefined && listed > 1 + margin) {
      throw new InputError(
        `the rows of the table at line ${this.line} add up to ${round1(listed * 100)}% of the total implied by its largest "Time (%)" share (${largest.share}% at line ${largest.line}): rows were repeated, added or read with shifted columns`,
        where
      )
    }
  }

  /**
   * Whether the rows of this block can be read elsewhere (a worker: load/nsys-trace.ts) and
   * taken here in order: a GPU trace in CSV, whose rows acceptBytes reads from their bytes.
   */
  get scannable(): boolean {
    return this.trace !== undefined && this.bytePlan !== undefined
  }

  /** What the block was made from (plain data: a block made from it reads rows alike). */
  get blockOptions(): BlockOptions {
    return this.options
  }

  /**
   * Scan mode: acceptBytes reads each row as before (the same checks, the same lines it
   * declines) but hands it to `sink` instead of taking it into the tables.
   */
  scanRowsTo(sink: ScannedRowSink): void {
    if (!this.scannable) throw new Error('scanRowsTo: not a GPU trace read from bytes')
    this.scanSink = sink
  }

  private scanned(
    numbers: Float64Array,
    name: string,
    device: string,
    line: number,
    bytes: Buffer,
    from: number,
    to: number,
    interned: Interned,
    guessed: ScannedName | undefined,
    tailStart = -1
  ): void {
    let entry = guessed ?? this.scanNames.get(interned)
    if (!entry) {
      // A guess, not a record: bounded like the name table it guesses from.
      if (this.scanNames.size >= MAX_SCANNED_NAMES) {
        this.scanNames.clear()
        this.tailBytes = 0
      }
      entry = {
        bytes: new ByteKey(bytes, from, to),
        interned,
        next: undefined,
        numbered: -1,
        numbering: 0,
        tail: undefined
      }
      this.scanNames.set(interned, entry)
    }
    // The row was read cell by cell from tailStart to its end (`to`): kept for the next one.
    if (tailStart >= 0 && this.tailBytes < MAX_TAIL_BYTES) {
      entry.tail ??= new RowTail()
      this.tailBytes += entry.tail.keep(bytes, tailStart, to, numbers, this.tailCell, device)
    }
    if (this.lastScanned) this.lastScanned.next = entry
    this.lastScanned = entry
    this.scanSink!(numbers, this.scanColumns, name, device, line, entry)
  }

  /**
   * A row that acceptBytes read in another block made from the same options (scanRowsTo): its
   * numbers (`values` from `at`, in scanColumns' order), name and device. Taken as acceptBytes
   * takes a row it read itself.
   */
  takeScannedRow(
    values: Float64Array,
    at: number,
    name: string,
    device: string,
    line: number
  ): void {
    const numbers = this.row
    const columns = this.scanColumns
    for (let k = 0; k < columns.length; k++) numbers[columns[k]!] = values[at + k]!
    this.acceptTraceRow(name, device, numbers, line)
    this.rows += 1
    this.lastLine = line
  }

  /**
   * A trace row; `bytes` [from, to) is its name's cell as printed where it was read from bytes
   * (acceptBytes).
   */
  private acceptTraceRow(
    name: string,
    device: string,
    numbers: Float64Array,
    line: number,
    bytes?: Buffer,
    from = 0,
    to = 0,
    interned?: Interned
  ): void {
    const trace = this.trace
    if (!trace) return
    const duration = this.value(numbers, 'duration', line, true)
    // A trace names the same device on millions of rows, mostly as one string object (the
    // interned cell, or the batch's): compared by identity first, by content only when it differs.
    if (device !== this.lastDeviceGiven && device !== this.lastDevice) {
      this.lastDevice = detach(device)
      const text = device.trim()
      if (text !== '' && text !== 'None') this.gpus.add(detach(withoutDeviceId(text)))
      this.lastDeviceId = this.deviceId(text)
    }
    this.lastDeviceGiven = device
    const gridIndex = this.index.grid
    if (gridIndex !== undefined && !Number.isNaN(numbers[gridIndex])) {
      // A trace repeats a few thousand names, mostly in the same order iteration after
      // iteration: the kernel that followed this row's predecessor last time is tried first (the
      // name object it was last given, by identity, then its name by content), then a lookup by
      // the name as printed (a hash of the whole name). The key is worked out once per name.
      const previous = this.lastKernel
      let kernel = previous?.next
      if (kernel !== undefined && kernel.given !== name && kernel.name === name) kernel.given = name
      if (kernel === undefined || kernel.given !== name) {
        kernel = this.traceKernels.get(name)
        if (!kernel) {
          const printed = detach(name)
          const key = canonicalKey('kernels', name)
          if (this.traceCuts && isCut(name, this.options.nameWidth))
            this.traceCuts.set(`kernels\u0000${key}`, 'kernels')
          kernel = {
            name: printed,
            bytes: bytes && new ByteKey(bytes, from, to),
            interned,
            acc: accumulator(trace.kernels, key, name),
            next: undefined,
            id: this.traceKernels.size,
            given: name
          }
          this.traceKernels.set(printed, kernel)
        }
        kernel.given = name
        if (previous) previous.next = kernel
      }
      this.lastKernel = kernel
      kernel.acc.add(duration)
      if (this.analysis) this.emit('kernel', kernel.name, numbers, duration, line, kernel.id)
      return
    }
    if (!name.startsWith('[CUDA ')) return // neither a kernel nor a memory operation
    if (this.traceCuts && isCut(name, this.options.nameWidth)) {
      this.traceCuts.set(`memTime\u0000${canonicalKey('memTime', name)}`, 'memTime')
      this.traceCuts.set(`memSize\u0000${canonicalKey('memSize', name)}`, 'memSize')
    }
    accumulate(trace.memTime, canonicalKey('memTime', name), name, duration)
    if (this.analysis)
      this.emit(
        name.startsWith('[CUDA memset') ? 'memset' : 'memcpy',
        name,
        numbers,
        duration,
        line
      )
    const bytesIndex = this.index.bytes
    if (bytesIndex !== undefined && this.bytesFactor !== undefined) {
      const bytes = numbers[bytesIndex]!
      if (!Number.isNaN(bytes)) {
        accumulate(
          trace.memSize,
          canonicalKey('memSize', name),
          name,
          Math.round(bytes * this.bytesFactor)
        )
      }
    }
  }

  /** Hands a trace row to the timeline analyses as an event (one object, refilled per row). */
  private emit(
    kind: EventKind,
    name: string,
    numbers: Float64Array,
    duration: number,
    line: number,
    id?: number
  ): void {
    const event = this.event
    const index = this.index
    event.kind = kind
    event.name = name
    // Assigned, never deleted: the object keeps one shape row after row (a delete would turn it
    // into a dictionary).
    event.id = id
    const start = scaledCell(numbers, index.start, this.startFactor)
    if (!(start < Infinity))
      throw this.error(line, cellProblem(start, index.start, 'start'), 'start')
    event.start = start
    event.duration = duration
    event.device = this.lastDeviceId
    const stream = index.stream === undefined ? NaN : numbers[index.stream]!
    event.stream = Number.isNaN(stream) ? undefined : stream
    const dims = this.dims
    const grid = event.grid
    const block = event.block
    for (let k = 0; k < 3; k++) {
      grid[k] = dims[k]! < 0 ? NaN : numbers[dims[k]!]!
      block[k] = dims[k + 3]! < 0 ? NaN : numbers[dims[k + 3]!]!
    }
    this.analysis!.add(event)
  }

  /**
   * `NVIDIA H100 80GB HBM3 (0)` → 0. A device cell without an index (nsys always prints one) is
   * numbered as it comes from ID_LESS on, above every index a cell can give, so that its GPU is
   * never summed with one that has that index; idLessDevices renumbers them at the end.
   */
  private deviceId(text: string): number {
    const open = text.lastIndexOf('(')
    if (open >= 0 && text.endsWith(')')) {
      const digits = text.slice(open + 1, -1)
      if (/^\d{1,6}$/.test(digits)) {
        const id = Number(digits)
        this.explicitIds.add(id)
        return id
      }
    }
    let id = this.deviceIds.get(text)
    if (id === undefined) {
      id = ID_LESS + this.deviceIds.size
      this.deviceIds.set(detach(text), id)
    }
    return id
  }

  /**
   * The devices numbered from ID_LESS on (deviceId), in the order they came, given the lowest
   * numbers no device cell gave as its index; undefined when there are none.
   */
  private idLessDevices(): ((device: number) => { device: number }) | undefined {
    if (this.deviceIds.size === 0) return undefined
    const numbers = new Map<number, number>()
    let next = 0
    for (const id of this.deviceIds.values()) {
      while (this.explicitIds.has(next)) next += 1
      numbers.set(id, next++)
    }
    return (device) => ({ device: numbers.get(device) ?? device })
  }

  private text(cells: string[], role: Role, line: number): string {
    const i = this.index[role]
    const value = i === undefined ? undefined : cells[i]
    if (value === undefined || value.trim() === '')
      throw this.error(line, 'expected a name, found nothing', role)
    return value
  }

  private error(line: number, message: string, role: Role): InputError {
    const i = this.index[role]
    const column = i === undefined ? role : (this.options.columns[i]?.label ?? role)
    return new InputError(message, { file: this.options.source, line, column })
  }
}

/** More `<` or `(` than `>` or `)`: a demangled name cut before its end. */
function opensMoreThanCloses(name: string): boolean {
  let angle = 0
  let round = 0
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c === 60) angle += 1
    else if (c === 62 && name.charCodeAt(i - 1) !== 45)
      angle -= 1 // not `->`
    else if (c === 40) round += 1
    else if (c === 41) round -= 1
  }
  return angle > 0 || round > 0
}

/** The first number given to a device cell without an index: above every index (6 digits). */
const ID_LESS = 1_000_000

const FRACTION_ROLES = ['avg', 'stdDev', 'share', 'med', 'bytes'] as const

/** decimalsOf: an average a decimal-comma locale printed cut down to a whole unit (`47,0`). */
const FLOORED = -1

/**
 * Column format cuts text longer than its column to the column's width: the first width − 1
 * characters (code points) and `…` (docs/nsys-notes.md "Column format and cut names").
 */
function isCut(name: string, width: number | undefined): boolean {
  if (!name.endsWith('…')) return false
  return width === undefined || codePointLength(name) === width
}

/** `NVIDIA H100 80GB HBM3 (0)` → `NVIDIA H100 80GB HBM3`. */
function withoutDeviceId(device: string): string {
  if (!device.endsWith(')')) return device
  const open = device.lastIndexOf('(')
  if (open < 0 || !/^\d+$/.test(device.slice(open + 1, -1))) return device
  return device.slice(0, open).trimEnd()
}

function round1(value: number): number {
  return Math.round(value * 10) / 10
}

function accumulate(
  map: Map<string, StatAccumulator>,
  key: string,
  name: string,
  value: number
): void {
  accumulator(map, key, name).add(value)
}

function accumulator(
  map: Map<string, StatAccumulator>,
  key: string,
  name: string
): StatAccumulator {
  let acc = map.get(key)
  if (!acc) {
    acc = new StatAccumulator(name)
    map.set(key === name ? acc.name : detach(key), acc)
  }
  return acc
}

function finish(map: Map<string, StatAccumulator>): Table {
  const table: Table = new Map()
  for (const [key, acc] of map) table.set(key, acc.toStat())
  return table
}
