import { EventSummary } from '../../analyze/summary.js'
import { TimelineAnalysis } from '../../analyze/timeline.js'
import type { GpuTimeline, KernelLaunches } from '../../profile/timeline.js'
import type { EventSink, TraceEvent } from '../../profile/events.js'
import {
  canonicalKey,
  type Severity,
  type Stat,
  type Table,
  type TableName
} from '../../profile/model.js'
import { addRow, statProblem } from '../../profile/stat.js'
import { csvNumber, headerName, splitRecord } from './csv.js'

/**
 * AMD's profilers, line by line (docs/rocprof.md):
 * - rocprof v1/v2 `--stats`: `results.stats.csv` (kernels), `results.hip_stats.csv` and
 *   `results.hsa_stats.csv` (API calls), `results.copy_stats.csv` (copies), all with the header
 *   `"Name","Calls","TotalDurationNs","AverageNs","Percentage"`;
 * - rocprofv3 `--stats`: `*_kernel_stats.csv` (and the other `*_stats.csv`) with `"MinNs"`,
 *   `"MaxNs"`, `"StdDev"` added (numbers may be in scientific notation);
 * - rocprofv3 `--kernel-trace`: `*_kernel_trace.csv`, one row per dispatch, read as events.
 *
 * Tables that look like these and are not kernel times are refused by name, with a note saying
 * which file to give (`table-not-read`): rocprofv3's `*_counter_collection.csv` (one row per
 * dispatch *and counter*), its `*_domain_stats.csv` (time per tracing domain: HIP API, kernel
 * dispatch, memory copy) and the other non-kernel `*_stats.csv`, rocprof v1's per-dispatch
 * `results.csv`.
 *
 * The input may be the file itself or text that shows it (a log, notes): tables are found by
 * their header, and a table ends at the first line that is not one of its rows (a blank line ends
 * it only if what follows is not one of its rows either). A table of a kind the current capture
 * already has starts the next capture (another run).
 */

export interface RocprofNote {
  code: string
  severity: Severity
  message: string
  line?: number
  /** The table the note is about (rows of it left out: its totals are not the run's). */
  table?: TableName
}

export interface RocprofCapture {
  first: number
  last: number
  profiler: 'rocprof' | 'rocprofv3'
  tables: Partial<Record<TableName, Table>>
  reports: Partial<Record<TableName, string>>
  notes: RocprofNote[]
  /** A kernel trace's timeline figures and per-launch distributions (analyze/timeline.ts). */
  timeline?: GpuTimeline
  launches?: KernelLaunches
}

export interface RocprofResult {
  source: string
  captures: RocprofCapture[]
  /** Notes about no capture in particular (rows without a header). */
  notes: RocprofNote[]
}

const STATS_COLUMNS = ['Name', 'Calls', 'TotalDurationNs', 'AverageNs', 'Percentage'] as const
const V3_COLUMNS = ['MinNs', 'MaxNs', 'StdDev'] as const

/**
 * File names that say which table a stats file fills (the file itself, or `cat <file>` above it).
 * Besides the kernel, API and copy stats, rocprofv3 `--stats` writes `*_domain_stats.csv` (time per
 * tracing domain) and one `*_stats.csv` per other domain traced (`marker_api`, `rccl_api`,
 * `memory_allocation`, `scratch_memory`, …): named here so that they are refused, not read as
 * kernels (statsTarget).
 */
const FILE_HINT =
  /([\w.%-]*?)((?:hip_api|hip|hsa_api|hsa|memory_copy|copy|kernel|domain|memory_allocation|scratch_memory|[a-z]+_api)_stats|stats)\.csv/

/** A record that starts on one line and goes on on the next is joined at most this many times. */
const MAX_RECORD_LINES = 4

interface StatsTable {
  type: 'stats'
  version: 'rocprof' | 'rocprofv3'
  first: number
  last: number
  columns: Record<string, number>
  width: number
  hint: string | undefined
  rows: { line: number; stat: Stat }[]
  shares: number
  skipped: number[]
  /** The record that ended the table, when it was not a row of it (another width). */
  endedBy?: { line: number; cells: number }
  /**
   * The first blank line since its last row, while it is not known whether the table goes on
   * after it (a row of its width) or ended there (anything else); the blank lines its rows went on
   * after (the `table-blank-lines` note).
   */
  gap?: number
  gaps: number[]
}

/** A table of a kind that is not read (table-not-read): its rows are passed over. */
interface RefusedTable {
  type: 'refused'
  first: number
  last: number
  width: number
  rows: number
  /** Records of it that were damaged (an unclosed quote): passed over as its rows are. */
  skipped: number[]
  /** What it is and what to give instead (the note). */
  what: string
  gap?: number
  gaps: number[]
}

interface TraceTable {
  type: 'trace'
  first: number
  last: number
  columns: Record<string, number>
  width: number
  summary: EventSummary
  timeline: TimelineAnalysis
  /** The first dispatch's start (starts are relative to it), exact (Stamp). */
  origin: Stamp | undefined
  skipped: number[]
  others: number
  /** Dispatches read. */
  dispatches: number
  /** The record that ended the table, when it was not a row of it (another width). */
  endedBy?: { line: number; cells: number }
  gap?: number
  gaps: number[]
}

export class RocprofParser {
  /** A record whose quoted cell is still open: its lines so far, from line `first`. */
  private pending: { lines: string[]; first: number } | undefined
  private table: StatsTable | TraceTable | RefusedTable | undefined
  private hint: string | undefined
  private readonly captures: RocprofCapture[] = []
  private readonly notes: RocprofNote[] = []
  private headerless: number[] = []
  /** A dispatch's start and end as read (reused from row to row). */
  private readonly start: Stamp = { high: 0, low: 0 }
  private readonly end: Stamp = { high: 0, low: 0 }

  constructor(
    private readonly source: string,
    /** The file's own name: a hint to what its stats table holds. */
    fileName?: string,
    /** Also gets every kernel dispatch of a kernel trace (the timeline analyses). */
    private readonly sink?: EventSink
  ) {
    this.hint = fileName !== undefined ? FILE_HINT.exec(fileName)?.[2] : undefined
  }

  push(input: string, lineNo: number): void {
    // A UTF-8 byte-order mark starts a file (files joined with `cat`: any line), not its first
    // cell: left in, it would hide the header's first name.
    const line = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
    const held = this.pending
    const lines = held ? [...held.lines, line] : [line]
    const first = held?.first ?? lineNo
    const text = lines.join('\n')
    const cells = splitRecord(text)
    if (cells === undefined) {
      // A quoted cell still open: a record hard-wrapped inside a cell, if it looks like one.
      // Inside a table, any record (RFC 4180 allows a line break in a quoted cell: a kernel
      // name's, its first cell's too); elsewhere, a header's first cell is closed. What joins
      // into no row is left out and counted (below), never taken for the end of the table.
      if (
        lines.length < MAX_RECORD_LINES &&
        ((this.table !== undefined && this.table.gap === undefined) || /^\s*"[^"]*"\s*,/.test(text))
      ) {
        this.pending = { lines, first }
        return
      }
    } else if (
      !held ||
      // A row joined across lines, unless a line it took starts with a quote: that is the next
      // record, whose first quote closed the cell a damaged line left open.
      (this.table?.width === cells.length && !lines.some((l, k) => k > 0 && /^\s*"/.test(l))) ||
      isHeader(cells.map(headerName))
    ) {
      this.pending = undefined
      this.record(cells, first, lineNo, line)
      return
    }
    this.pending = undefined
    if (!held) {
      this.other(line, lineNo)
      return
    }
    // The lines joined make no row: the quote left open was a damaged cell, not a wrapped one.
    // Its line is left out (and counted, inside a table); the lines after it are read again.
    if (this.table && this.table.gap === undefined) {
      this.table.skipped.push(first)
      this.table.last = first
    } else this.other(lines[0]!, first)
    lines.slice(1).forEach((rest, k) => this.push(rest, first + 1 + k))
  }

  finish(): RocprofResult {
    // A quoted cell still open at the end of the input: the record is cut, and said so; the lines
    // after its first are read again (they may be rows, or open a quote of their own: again).
    for (let open = this.pending; open; open = this.pending) {
      this.pending = undefined
      // Inside a table, the record was one of its rows: the table is counted short.
      if (this.table && this.table.gap === undefined) {
        this.table.skipped.push(open.first)
        this.table.last = open.first
      }
      open.lines.slice(1).forEach((rest, k) => this.push(rest, open.first + 1 + k))
      this.notes.push({
        code: 'record-unclosed',
        severity: 'warning',
        message: `the record at line ${open.first} has a quoted cell that is not closed before the end of the input (a cut or damaged file): it was left out`,
        line: open.first
      })
    }
    this.endTable()
    if (this.headerless.length > 0) this.noteHeaderless()
    return { source: this.source, captures: this.captures, notes: this.notes }
  }

  private record(cells: string[], first: number, lineNo: number, line: string): void {
    const names = cells.map(headerName)
    const trace = isTraceHeader(names)
    const refused = refusedTable(names, trace)
    if (refused) {
      this.endTable()
      this.table = {
        type: 'refused',
        first,
        last: lineNo,
        width: names.length,
        rows: 0,
        skipped: [],
        what: refused,
        gaps: []
      }
      return
    }
    if (isStatsHeader(names)) {
      this.endTable()
      const v3 = names.length === STATS_COLUMNS.length + V3_COLUMNS.length
      this.table = {
        type: 'stats',
        version: v3 ? 'rocprofv3' : 'rocprof',
        first,
        last: lineNo,
        columns: indexOf(names),
        width: names.length,
        hint: this.hint,
        rows: [],
        shares: 0,
        skipped: [],
        gaps: []
      }
      this.hint = undefined
      return
    }
    if (trace) {
      this.endTable()
      this.table = {
        type: 'trace',
        first,
        last: lineNo,
        columns: indexOf(names),
        width: names.length,
        summary: new EventSummary(),
        timeline: new TimelineAnalysis(),
        origin: undefined,
        skipped: [],
        others: 0,
        dispatches: 0,
        gaps: []
      }
      return
    }
    const table = this.table
    if (table && cells.length === 1 && cells[0]!.trim() === '') {
      // A blank line: the table goes on if the next record is one of its rows (a CSV file with a
      // blank line inside), and ends here otherwise (a table pasted in text, prose after it).
      // Ending it at once would leave the rows after it out without a word: a trace row has no
      // name for its columns without its header.
      table.gap ??= lineNo
      return
    }
    if (table && cells.length === table.width) {
      if (table.gap !== undefined) table.gaps.push(table.gap)
      table.gap = undefined
      table.last = lineNo
      if (table.type === 'stats') this.statsRow(table, cells, lineNo)
      else if (table.type === 'trace') this.dispatch(table, cells, lineNo)
      else table.rows += 1
      return
    }
    if (table && table.type !== 'refused' && cells.length > 1 && table.gap === undefined) {
      // A record of another width inside a table (a cell cut, or one comma too many): left out
      // and counted; the rows after it still belong to the table.
      table.skipped.push(lineNo)
      table.last = lineNo
      return
    }
    if (table && table.type !== 'refused') table.endedBy = { line: lineNo, cells: cells.length }
    this.other(line, lineNo, cells)
  }

  /** A line that is not a row of the current table: it ends the table. */
  private other(line: string, lineNo: number, cells?: string[]): void {
    this.endTable()
    const hint = FILE_HINT.exec(line.slice(0, 1000))
    if (hint) this.hint = hint[2]
    // Rows of a stats table whose header is not in the input (an excerpt).
    if (
      cells &&
      (cells.length === STATS_COLUMNS.length ||
        cells.length === STATS_COLUMNS.length + V3_COLUMNS.length) &&
      csvNumber(cells[0]) === undefined &&
      cells.slice(1).every((c) => csvNumber(c) !== undefined)
    )
      this.headerless.push(lineNo)
  }

  private statsRow(table: StatsTable, cells: string[], lineNo: number): void {
    const c = table.columns
    const name = (cells[c.Name ?? 0] ?? '').trim()
    const calls = csvNumber(cells[c.Calls ?? -1])
    const total = csvNumber(cells[c.TotalDurationNs ?? -1])
    const avg = csvNumber(cells[c.AverageNs ?? -1])
    const share = csvNumber(cells[c.Percentage ?? -1])
    if (
      name === '' ||
      calls === undefined ||
      !Number.isInteger(calls) ||
      calls < 0 ||
      total === undefined ||
      total < 0 ||
      avg === undefined ||
      share === undefined
    ) {
      table.skipped.push(lineNo)
      return
    }
    // v1 prints no extremes: the only true bounds are 0 and the total.
    const stat: Stat = { name, total, instances: calls, avg, min: 0, max: total }
    if (table.version === 'rocprofv3') {
      const min = csvNumber(cells[c.MinNs ?? -1])
      const max = csvNumber(cells[c.MaxNs ?? -1])
      const stdDev = csvNumber(cells[c.StdDev ?? -1])
      if (min === undefined || max === undefined || stdDev === undefined) {
        table.skipped.push(lineNo)
        return
      }
      stat.min = min
      stat.max = max
      stat.stdDev = stdDev
    }
    // v1 truncates the average to whole ns (an error below 1 ns a call); v3 prints 6 decimals.
    if (statProblem(stat, 1, table.version === 'rocprof' ? 2 : 1e-6)) {
      table.skipped.push(lineNo)
      return
    }
    stat.avg = calls > 0 ? total / calls : 0
    table.rows.push({ line: lineNo, stat })
    table.shares += share
  }

  private dispatch(table: TraceTable, cells: string[], lineNo: number): void {
    const c = table.columns
    const cell = (name: string): string | undefined => {
      const i = c[name]
      return i === undefined ? undefined : cells[i]
    }
    const kind = cell('Kind')
    if (kind !== undefined && kind.trim() !== 'KERNEL_DISPATCH') {
      table.others += 1
      return
    }
    const name = (cell('Kernel_Name') ?? '').trim()
    const start = this.start
    const end = this.end
    const duration =
      readStamp(cell('Start_Timestamp'), start) && readStamp(cell('End_Timestamp'), end)
        ? difference(end, start)
        : NaN
    // Past 2^53 ns (104 days) a duration is not exact in a double: a damaged row, not a kernel.
    if (name === '' || !(duration >= 0 && duration <= Number.MAX_SAFE_INTEGER)) {
      table.skipped.push(lineNo)
      return
    }
    table.origin ??= { high: start.high, low: start.low }
    const event: TraceEvent = {
      kind: 'kernel',
      name,
      start: difference(start, table.origin),
      duration
    }
    const agent = integerIn(cell('Agent_Id'))
    if (agent !== undefined) event.device = agent
    const stream = integerIn(cell('Stream_Id')) ?? integerIn(cell('Queue_Id'))
    if (stream !== undefined) event.stream = stream
    const correlation = integerIn(cell('Correlation_Id'))
    if (correlation !== undefined) event.correlation = correlation
    const block = dims(cell, 'Workgroup_Size')
    const items = dims(cell, 'Grid_Size')
    if (block) {
      event.block = block
      // rocprofv3's grid is in work-items; CUDA's (and the event's) in blocks.
      if (items && block.every((b) => b > 0))
        event.grid = [
          Math.ceil(items[0] / block[0]),
          Math.ceil(items[1] / block[1]),
          Math.ceil(items[2] / block[2])
        ]
    }
    table.dispatches += 1
    table.summary.add(event)
    table.timeline.add(event)
    this.sink?.(event)
  }

  private endTable(): void {
    const table = this.table
    if (!table) return
    this.table = undefined
    if (table.type === 'stats') this.endStats(table)
    else if (table.type === 'trace') this.endTrace(table)
    else this.refuse(table.first, table.last, table.rows + table.skipped.length, table.what)
    if (table.gaps.length > 0) {
      // Said with the capture the table filled (the one whose last line is the table's).
      const capture = this.captures.at(-1)
      ;(capture?.last === table.last ? capture.notes : this.notes).push({
        code: 'table-blank-lines',
        severity: 'info',
        message: `the table at lines ${table.first}–${table.last} has blank lines among its rows (line${table.gaps.length === 1 ? '' : 's'} ${table.gaps.slice(0, 5).join(', ')}${table.gaps.length > 5 ? ', …' : ''}): the rows after them, of its width, were read as its rows`,
        line: table.gaps[0]
      })
    }
  }

  /** A table that is not read: said, with the file to give instead. */
  private refuse(first: number, last: number, rows: number, what: string): void {
    this.notes.push({
      code: 'table-not-read',
      severity: 'warning',
      message: `the table at lines ${first}–${last} (${rows} row${rows === 1 ? '' : 's'}) is ${what}`,
      line: first
    })
  }

  private endStats(table: StatsTable): void {
    const target = statsTarget(table)
    if (typeof target !== 'string') {
      this.refuse(table.first, table.last, table.rows.length + table.skipped.length, target.what)
      return
    }
    const rows: Table = new Map()
    const memory: Table = new Map()
    for (const { stat } of table.rows) {
      // rocprofv3 memory-copy rows (MEMORY_COPY_HOST_TO_DEVICE, …) are not kernels.
      if (target === 'kernels' && stat.name.startsWith('MEMORY_COPY_'))
        addRow(memory, canonicalKey('memTime', stat.name), stat)
      else addRow(rows, canonicalKey(target, stat.name), stat)
    }
    const capture = this.capture(target, table.first, table.last, table.version)
    capture.tables[target] = rows
    capture.reports[target] = `${table.version}:${table.hint ?? 'stats'}`
    if (memory.size > 0 && !capture.tables.memTime) {
      capture.tables.memTime = memory
      capture.reports.memTime = `${table.version}:${table.hint ?? 'stats'}`
    }
    const where = `lines ${table.first}–${table.last}`
    if (table.rows.length === 0 && table.skipped.length === 0)
      capture.notes.push(noRows(`${table.version} table`, where, table))
    if (table.skipped.length > 0)
      capture.notes.push({
        code: 'rows-unreadable',
        severity: 'warning',
        message: `${table.skipped.length} line${table.skipped.length === 1 ? '' : 's'} of the ${table.version} table at ${where} ${table.skipped.length === 1 ? 'is' : 'are'} not a consistent row and ${table.skipped.length === 1 ? 'was' : 'were'} left out (line${table.skipped.length === 1 ? '' : 's'} ${table.skipped.slice(0, 5).join(', ')})`,
        line: table.skipped[0],
        table: target
      })
    // The shares of a whole table add up to 100 (to its printed precision): more is rows of
    // another table or run in it (stats files joined without the second's header).
    if (table.rows.length > 0 && table.shares > 101)
      capture.notes.push({
        code: 'rows-extra',
        severity: 'warning',
        message: `the "Percentage" shares of the ${table.version} table at ${where} add up to ${Math.round(table.shares * 10) / 10}%, more than 100%: rows of another table or run seem to be in it (stats files joined without a header?), so its rows are not one run's`,
        line: table.first,
        table: target
      })
    if (table.rows.length > 0 && table.shares < 99)
      capture.notes.push({
        code: 'rows-missing',
        severity: 'warning',
        message: `the "Percentage" shares of the ${table.version} table at ${where} add up to ${Math.round(table.shares * 10) / 10}%, not 100%: rows seem to be missing (an excerpt?), so its total is not the run's total`,
        line: table.first,
        table: target
      })
    if (table.version === 'rocprof')
      capture.notes.push({
        code: 'min-max-unknown',
        severity: 'info',
        message: `rocprof v1 prints no minimum, maximum or deviation (the table at ${where}): min and max are recorded as their bounds, 0 and the total`,
        line: table.first
      })
  }

  private endTrace(table: TraceTable): void {
    const capture = this.capture('kernels', table.first, table.last, 'rocprofv3')
    const kernels = table.summary.tables().kernels ?? new Map()
    capture.tables.kernels = kernels
    capture.reports.kernels = 'rocprofv3:kernel_trace'
    const timeline = table.timeline.finish()
    capture.tables.gpuIdle = timeline.gpuIdle
    capture.tables.kernelShapes = timeline.kernelShapes
    capture.reports.gpuIdle = capture.reports.kernelShapes = 'rocprofv3:kernel_trace'
    capture.timeline = timeline.timeline
    capture.launches = timeline.launches
    const where = `lines ${table.first}–${table.last}`
    if (table.dispatches === 0 && table.skipped.length === 0 && table.others === 0)
      capture.notes.push(noRows('kernel trace', where, table))
    if (table.skipped.length > 0)
      capture.notes.push({
        code: 'rows-unreadable',
        severity: 'warning',
        message: `${table.skipped.length} dispatch${table.skipped.length === 1 ? '' : 'es'} of the kernel trace at ${where} had no name, no valid start and end, or not the header's cells and ${table.skipped.length === 1 ? 'was' : 'were'} left out (line${table.skipped.length === 1 ? '' : 's'} ${table.skipped.slice(0, 5).join(', ')})`,
        line: table.skipped[0],
        table: 'kernels'
      })
    if (table.others > 0)
      capture.notes.push({
        code: 'trace-rows-ignored',
        severity: 'info',
        message: `${table.others} row${table.others === 1 ? '' : 's'} of the kernel trace at ${where} ${table.others === 1 ? 'is' : 'are'} not a KERNEL_DISPATCH and ${table.others === 1 ? 'was' : 'were'} ignored`,
        line: table.first
      })
  }

  /** The capture a table of `target` goes to: the current one, or a new one if it has one. */
  private capture(
    target: TableName,
    first: number,
    last: number,
    profiler: RocprofCapture['profiler']
  ): RocprofCapture {
    let capture = this.captures.at(-1)
    if (!capture || capture.tables[target] !== undefined || capture.profiler !== profiler) {
      capture = { first, last, profiler, tables: {}, reports: {}, notes: [] }
      this.captures.push(capture)
    }
    capture.last = last
    return capture
  }

  private noteHeaderless(): void {
    const lines = this.headerless
    this.notes.push({
      code: 'headerless-rows',
      severity: 'warning',
      message: `${lines.length} line${lines.length === 1 ? '' : 's'} look${lines.length === 1 ? 's' : ''} like rows of a rocprof stats table with no header above ${lines.length === 1 ? 'it' : 'them'} (an excerpt?); not read (line${lines.length === 1 ? '' : 's'} ${lines.slice(0, 5).join(', ')}${lines.length > 5 ? ', …' : ''})`,
      line: lines[0]
    })
  }
}

function isStatsHeader(names: readonly string[]): boolean {
  if (
    names.length !== STATS_COLUMNS.length &&
    names.length !== STATS_COLUMNS.length + V3_COLUMNS.length
  )
    return false
  return [...STATS_COLUMNS, ...V3_COLUMNS].slice(0, names.length).every((n, i) => names[i] === n)
}

function indexOf(names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {}
  names.forEach((n, i) => {
    // Capitalisation changed between versions (rocpd2csv: `Lds_Block_Size`).
    out[n] = i
  })
  return out
}

/** What to give instead of a table that is not read (the end of a table-not-read note). */
const GIVE_KERNELS =
  "give the kernel trace (*_kernel_trace.csv, from rocprofv3 --kernel-trace --output-format csv) or the kernel stats (*_kernel_stats.csv, from --stats) of the run, or rocprof v1's results.stats.csv (rocprof --stats)"

/**
 * Which table a stats table fills: by its file name, else by its names; a stats file of another
 * kind (rocprofv3's domain stats, marker or RCCL API stats, …) is not read: what it is.
 */
function statsTarget(table: StatsTable): TableName | { what: string } {
  const hint = table.hint
  if (hint) {
    if (hint === 'stats' || hint === 'kernel_stats') return 'kernels'
    if (hint.endsWith('copy_stats')) return 'memTime'
    if (/^(?:hip|hsa)(?:_api)?_stats$/.test(hint)) return 'cudaApi'
    return {
      what: `rocprofv3's ${hint}.csv (${hint === 'domain_stats' ? 'the time of each tracing domain: HIP API, kernel dispatch, memory copy, …' : 'the calls of a domain other than kernels, memory copies and HIP/HSA API'}), not kernel times: it is not read; ${GIVE_KERNELS}`
    }
  }
  const names = table.rows.map((r) => r.stat.name)
  // rocprofv3's domain stats given without their file name: its rows are domains.
  if (
    names.length > 0 &&
    names.every((n) => /^[A-Z][A-Z0-9_]{0,60}$/.test(n)) &&
    names.some((n) => n === 'KERNEL_DISPATCH' || n === 'MEMORY_COPY' || n.endsWith('_API'))
  )
    return {
      what: `rocprofv3's domain stats (*_domain_stats.csv: rows are tracing domains such as ${names
        .slice(0, 3)
        .join(', ')}), not kernel times: it is not read; ${GIVE_KERNELS}`
    }
  if (names.length > 0 && names.every((n) => /^(?:hip|hsa_)\w{0,200}$/.test(n))) return 'cudaApi'
  return 'kernels'
}

/**
 * What a table of dispatches that is not read is, by its header: rocprofv3's counter collection
 * (the kernel trace's columns and a counter's: one row per dispatch and counter, so its rows do
 * not sum to kernel time), rocprof v1's per-dispatch `results.csv`; undefined for any other.
 */
function refusedTable(names: readonly string[], trace: boolean): string | undefined {
  if (trace && (names.includes('Counter_Name') || names.includes('Counter_Value')))
    return `rocprofv3's counter collection (*_counter_collection.csv, from --pmc: one row per dispatch and counter), not a kernel trace: it is not read; ${GIVE_KERNELS}`
  if (names[0] === 'Index' && names[1] === 'KernelName')
    return `rocprof v1's per-dispatch results.csv (one row per dispatch), not its --stats summary: it is not read; give results.stats.csv (rocprof --stats), or profile with rocprofv3 and give its *_kernel_trace.csv or *_kernel_stats.csv`
  return undefined
}

/**
 * A timestamp in whole ns as `high·10⁹ + low`: rocprofv3's count ns since boot, past 2^53 after
 * 104 days up, where a double no longer holds every ns; the two parts do, and a difference of
 * two (a duration, a start from the origin) is exact.
 */
interface Stamp {
  high: number
  low: number
}

/** Reads a timestamp cell into `out`; false when it is not a number. */
function readStamp(cell: string | undefined, out: Stamp): boolean {
  if (cell === undefined) return false
  // Up to 15 digits a double is exact (the common case: one conversion).
  if (cell.length > 15) {
    const digits = /^\s*(\d{7,12})(\d{9})\s*$/.exec(cell)
    if (digits) {
      out.high = Number(digits[1])
      out.low = Number(digits[2])
      return true
    }
  }
  const value = csvNumber(cell)
  // A time since boot is not negative; past 2^53 a double has lost ns (a number printed in
  // scientific notation, with decimals, or of more than 21 digits): not a timestamp read exactly,
  // so the row is left out and counted, never given a duration off by the rounding.
  if (value === undefined || !(value >= 0 && value <= Number.MAX_SAFE_INTEGER)) return false
  out.high = 0
  out.low = value
  return true
}

/**
 * a − b, exact whenever it is below 2^53 ns: the high parts (below 10¹²) differ by less than
 * 2^53 / 10⁹, whose product with 10⁹ (1953125 · 2⁹) a double holds exactly, and so the sum.
 */
function difference(a: Stamp, b: Stamp): number {
  return (a.high - b.high) * 1e9 + (a.low - b.low)
}

/** `2`, `"Agent 2"`: the whole number in a cell. */
function integerIn(cell: string | undefined): number | undefined {
  if (cell === undefined) return undefined
  const match = /^\s*(?:[A-Za-z]{1,20} ?)?(\d{1,15})\s*$/.exec(cell)
  return match?.[1] === undefined ? undefined : Number(match[1])
}

function dims(
  cell: (name: string) => string | undefined,
  prefix: string
): [number, number, number] | undefined {
  const [x, y, z] = ['X', 'Y', 'Z'].map((axis) => integerIn(cell(`${prefix}_${axis}`)))
  return x !== undefined && y !== undefined && z !== undefined ? [x, y, z] : undefined
}

/** A table with a header and not a row: said, so that an empty table is never silent. */
function noRows(
  what: string,
  where: string,
  table: { first: number; width: number; endedBy?: { line: number; cells: number } }
): RocprofNote {
  const ended = table.endedBy
  return {
    code: 'table-without-rows',
    severity: 'warning',
    message: ended
      ? `the ${what} at ${where} has a header and no rows: line ${ended.line}, after it, has ${ended.cells} cells where the header has ${table.width} (a damaged header or row?)`
      : `the ${what} at ${where} has a header and no rows: the profiled program ran no kernel in its window, or the file was cut after its header`,
    line: table.first
  }
}

function isTraceHeader(names: readonly string[]): boolean {
  return (
    names.includes('Kernel_Name') &&
    names.includes('Start_Timestamp') &&
    names.includes('End_Timestamp')
  )
}

/** A table's header (documents wrap long ones: a header may come over several lines). */
function isHeader(names: readonly string[]): boolean {
  return isStatsHeader(names) || isTraceHeader(names)
}
