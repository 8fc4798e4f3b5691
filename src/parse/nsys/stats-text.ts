import { InputError } from '../../errors.js'
import { TableBlock, type BlockTables, type Format } from './block.js'
import { classifyHeader, parseHeader, shapeFits, type Column, type HeaderShape } from './columns.js'
import {
  findReportName,
  lookupReport,
  reportFromTitle,
  reportInfo,
  type ReportInfo,
  type ReportLookup
} from './reports.js'
import { dashRuns, splitColumnHeader } from './rows.js'

/**
 * Reads `nsys stats` output line by line: a single report file (`<base>_<report>.csv`), or
 * captured stdout of `nsys stats` / `nsys profile --stats=true` in any version from 2019.5 to
 * 2025.x, in CSV, TSV, JSON or the column (table) format, with `Processing […]`/`Running […]`
 * lines, titles, `SKIPPED:` lines, `NOTICE:` blocks, progress bars and prose around the tables.
 *
 * The parser keeps no more than one report's JSON text and one entry per distinct item: memory
 * does not grow with the size of the input.
 */

/** One report found in the input: its rows, or "no data" (SKIPPED, 0 rows, a 0-byte file). */
export interface ReportOccurrence {
  report: ReportInfo
  /** The name as printed: `gpukernsum`, `cuda_gpu_kern_sum`. */
  name: string
  /** `cuda_gpu_kern_sum` variants: `base`, `mangled`, `nvtx-name`. */
  variant?: string
  line: number
  format: Format | 'none'
  noData: boolean
  tables: BlockTables
}

export interface StatsParseResult {
  source: string
  occurrences: ReportOccurrence[]
  notes: string[]
  nsysVersion?: string
  gpus: string[]
}

export interface StatsParserOptions {
  /** The file name, for messages. */
  source: string
  /**
   * A report file written by `nsys stats --output`: the first line must be its header and every
   * other line one of its rows. `auto`: strict when the first non-blank line is a header.
   */
  strict?: boolean | 'auto'
  /** The report a file holds, from its name (`<base>_<report>[_<variant>].csv`). */
  report?: { name: string; variant?: string | undefined }
}

interface Marker {
  lookup: ReportLookup
  variant?: string | undefined
  line: number
  /** A `Processing`/`Running`/`Executing` line: the report ran, so silence means "no rows". */
  structural: boolean
  consumed: boolean
  unitHint?: string | undefined
  /** The report went to a file (`… to [x.csv]... PROCESSED`): its data is not in this text. */
  toFile?: string | undefined
  /** No name was printed: the report was guessed from the header. */
  inferred?: boolean
}

type State =
  | { kind: 'idle' }
  | { kind: 'columnHeader'; columns: Column[]; line: number }
  | { kind: 'block'; block: TableBlock | undefined; marker: Marker | undefined; skipped: number[] }
  | { kind: 'json'; lines: string[]; size: number; line: number; marker: Marker | undefined }

const MAX_JSON_BLOCK = 256 * 1024 * 1024

const PROCESSING =
  /^\s*Processing \[(.*?)\] with \[(.*?)\](?:\(([\w-]+)\))?(?: to \[(.*?)\])?\.\.\.\s*(.*)$/
const RUNNING = /^\s*Running \[(\S+) (.*?)\]\.\.\.\s*(.*)$/
const EXECUTING = /^\s*\[\d+\/\d+\] Executing '([^']+)' stats report/
const TITLE_WITH_NAME = /^\s*\*\* .*\(([\w:-]+)\):\s*$/
const VERSION =
  /(?:nsight[- ]systems[-/ ]|Nsight Systems version |Nsight Systems )(\d{4}\.\d+\.\d+(?:\.\d+)?)/i
const LOOKS_LIKE_ROW = /^\s*-?\d[\d.,]*(?:[ \t,]+"?-?[\d.,]+"?){3,}/

export class NsysStatsParser {
  private state: State = { kind: 'idle' }
  private marker: Marker | undefined
  private readonly occurrences: ReportOccurrence[] = []
  private readonly notes: string[] = []
  private readonly gpus = new Set<string>()
  private nsysVersion: string | undefined
  private headerless: { line: number; count: number } | undefined
  private strict: boolean | 'auto'

  constructor(private readonly options: StatsParserOptions) {
    this.strict = options.strict ?? false
    if (options.report) {
      this.marker = {
        lookup: lookupReport(options.report.name),
        variant: options.report.variant,
        line: 1,
        structural: true,
        consumed: false
      }
    }
  }

  /** Feeds one line (without its line break). */
  push(raw: string, lineNo: number): void {
    let line = raw
    // Progress bars redraw with \r: only the last drawing is what a terminal shows.
    const cr = line.lastIndexOf('\r')
    if (cr >= 0) line = cr === line.length - 1 ? line.slice(0, cr) : line.slice(cr + 1)
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1)

    if (this.strict === 'auto' && line.trim() !== '') {
      const cells = line.includes('\t') ? line.split('\t') : line.split(',')
      this.strict = parseHeader(cells) !== undefined
    }
    if (this.strict === true) {
      this.pushStrict(line, lineNo)
      return
    }
    switch (this.state.kind) {
      case 'block':
        this.inBlock(line, lineNo, this.state)
        return
      case 'json':
        this.inJson(line, lineNo, this.state)
        return
      case 'columnHeader': {
        const header = this.state
        this.state = { kind: 'idle' }
        if (dashRuns(line) === header.columns.length) {
          this.startBlock(header.columns, 'column', header.line)
          return
        }
        this.idle(line, lineNo)
        return
      }
      case 'idle':
        this.idle(line, lineNo)
    }
  }

  finish(): StatsParseResult {
    if (this.state.kind === 'json') {
      throw new InputError('JSON output ends before its closing "]"', {
        file: this.options.source,
        line: this.state.line
      })
    }
    this.endBlock()
    // A report that ran without rows; for a report file, a 0-byte file (nsys writes one on SKIPPED).
    this.closeMarker()
    this.flushHeaderless()
    const result: StatsParseResult = {
      source: this.options.source,
      occurrences: this.occurrences,
      notes: this.notes,
      gpus: [...this.gpus]
    }
    if (this.nsysVersion) result.nsysVersion = this.nsysVersion
    return result
  }

  // ---- strict mode: one report file ------------------------------------------------------

  private pushStrict(line: string, lineNo: number): void {
    if (line.trim() === '') return
    if (this.state.kind === 'block') {
      const block = this.state.block
      const cells = block?.split(line)
      if (!block || !cells || !block.accept(cells, lineNo)) {
        throw new InputError(
          `expected a row of ${this.state.marker?.lookup.name ?? 'the report'} ` +
            `(${block?.format === 'tsv' ? 'tab' : 'comma'}-separated, matching the header on line ${block?.line ?? 1}), found "${clip(line)}"`,
          { file: this.options.source, line: lineNo }
        )
      }
      return
    }
    const format: Format = line.includes('\t') ? 'tsv' : 'csv'
    const columns = parseHeader(format === 'tsv' ? line.split('\t') : line.split(','))
    if (!columns) {
      throw new InputError(
        'expected the header of an `nsys stats --format csv` report (for example ' +
          '"Time (%),Total Time (ns),Instances,Avg (ns),…,Name"), found ' +
          `"${clip(line)}". Columns are matched by name, so the header line is required ` +
          '(do not use the `nohdr` format option).',
        { file: this.options.source, line: lineNo }
      )
    }
    this.startBlock(columns, format, lineNo)
    const state = this.state as State // startBlock changed it
    if (state.kind !== 'block' || !state.block) {
      throw new InputError(
        `this header is not one of the reports nsys-bench reads (${describeHeader(columns)})`,
        { file: this.options.source, line: lineNo }
      )
    }
  }

  // ---- captured output -------------------------------------------------------------------

  private idle(line: string, lineNo: number): void {
    const trimmed = line.trim()
    if (trimmed === '') return
    const version = VERSION.exec(trimmed)
    if (version?.[1] && !this.nsysVersion) this.nsysVersion = version[1]
    if (this.structural(trimmed, lineNo)) return
    if (this.annotations(trimmed, lineNo)) return

    // Headers: CSV, TSV, column (needs the dashed rule on the next line), JSON.
    if (trimmed.includes('\t')) {
      const columns = parseHeader(trimmed.split('\t'))
      if (columns) return this.startBlock(columns, 'tsv', lineNo)
    } else if (trimmed.includes(',') && !trimmed.includes('  ')) {
      const columns = parseHeader(trimmed.split(','))
      if (columns) return this.startBlock(columns, 'csv', lineNo)
    }
    const columnCells = splitColumnHeader(trimmed)
    if (columnCells.length >= 3) {
      const columns = parseHeader(columnCells)
      if (columns) {
        this.state = { kind: 'columnHeader', columns, line: lineNo }
        return
      }
    }
    if (trimmed === '[' && this.marker && !this.marker.consumed) {
      this.state = { kind: 'json', lines: ['['], size: 1, line: lineNo, marker: this.marker }
      return
    }
    if (LOOKS_LIKE_ROW.test(line)) {
      this.noteHeaderless(lineNo)
      return
    }
    // Prose may still name a report: `## --- cuda_api_sum ---`, `## out/ci_cuda_gpu_kern_sum_base.csv`.
    const named = findReportName(trimmed)
    if (named) {
      this.setMarker({
        lookup: lookupReport(named.name),
        variant: named.variant,
        line: lineNo,
        structural: false,
        consumed: false
      })
    }
  }

  /** Processing/Running/Executing lines, ` ** Title (report):`, titles, SKIPPED. */
  private structural(trimmed: string, lineNo: number): boolean {
    let match = PROCESSING.exec(trimmed)
    if (match) {
      const [, , script = '', variant, toFile, rest = ''] = match
      this.newStructuralMarker(script, variant, toFile, rest, lineNo, /\.py$/.test(script))
      return true
    }
    match = RUNNING.exec(trimmed)
    if (match) {
      const [, script = '', , rest = ''] = match
      this.newStructuralMarker(script, undefined, undefined, rest, lineNo, true)
      return true
    }
    match = EXECUTING.exec(trimmed)
    if (match) {
      const [name = '', variant] = (match[1] ?? '').split(':')
      this.newStructuralMarker(name, variant, undefined, '', lineNo, true)
      return true
    }
    match = TITLE_WITH_NAME.exec(trimmed)
    if (match) {
      const [name = '', variant] = (match[1] ?? '').split(':')
      const lookup = lookupReport(name)
      if (lookup.kind === 'unknown') return false
      this.setMarker({ lookup, variant, line: lineNo, structural: false, consumed: false })
      return true
    }
    if (trimmed.startsWith('SKIPPED:')) {
      if (this.marker && !this.marker.consumed) this.recordNoData(this.marker, lineNo)
      return true
    }
    const title = reportFromTitle(trimmed)
    if (title) {
      this.setMarker({
        lookup: lookupReport(title.id),
        line: lineNo,
        structural: false,
        consumed: false,
        unitHint: title.unitHint
      })
      return true
    }
    return false
  }

  private newStructuralMarker(
    script: string,
    variant: string | undefined,
    toFile: string | undefined,
    rest: string,
    lineNo: number,
    found: boolean
  ): void {
    this.closeMarker()
    const lookup = lookupReport(script)
    const marker: Marker = {
      lookup,
      variant,
      line: lineNo,
      structural: true,
      consumed: false,
      toFile
    }
    this.marker = marker
    if (!found) {
      marker.consumed = true
      this.notes.push(
        `line ${lineNo}: nsys could not find the report "${lookup.name}"` +
          (lookup.kind === 'used' && lookup.name === lookup.info.id
            ? ' (nsys 2022.4 and older know only the old report names, e.g. gpukernsum, cudaapisum, nvtxsum)'
            : '')
      )
      return
    }
    const skipped = /SKIPPED:\s*(.*)$/.exec(rest)
    if (skipped) {
      const reason = skipped[1] ?? ''
      if (/output file .* exists/.test(reason)) {
        marker.consumed = true
        this.notes.push(
          `line ${lineNo}: nsys did not write ${lookup.name}: ${reason.trim()} ` +
            '(its numbers may be stale; nsys-bench runs nsys stats with --force-overwrite=true)'
        )
      } else {
        this.recordNoData(marker, lineNo)
      }
      return
    }
    if (toFile !== undefined) {
      marker.consumed = true
      if (lookup.kind === 'used') {
        this.notes.push(
          `line ${lineNo}: ${lookup.name} was written to ${toFile}, not to this output; read that file instead`
        )
      }
    }
  }

  /** ERROR/NOTICE/WARNING lines and the nsys version. */
  private annotations(trimmed: string, lineNo: number): boolean {
    if (/^(ERROR|WARNING|Exportation error)\b/.test(trimmed)) {
      this.notes.push(`line ${lineNo}: nsys said "${clip(trimmed)}"`)
      return true
    }
    if (trimmed.startsWith('NOTICE: Existing SQLite export found')) {
      this.notes.push(
        `line ${lineNo}: nsys reused an existing SQLite export; its numbers may belong to an older report (use --force-export=true)`
      )
      return true
    }
    return false
  }

  private setMarker(marker: Marker): void {
    const current = this.marker
    if (current && !current.consumed && sameReport(current.lookup, marker.lookup)) {
      // A title under its Processing line: same report, keep the structural facts.
      if (marker.unitHint) current.unitHint = marker.unitHint
      if (marker.variant) current.variant = marker.variant
      return
    }
    if (marker.structural) this.closeMarker()
    else if (current?.structural && !current.consumed && current.lookup.kind === 'used') {
      // A title for another report: the previous one ran without rows.
      this.closeMarker()
    }
    this.marker = marker
  }

  /** A structural marker that saw neither rows nor SKIPPED: the report ran and had no rows. */
  private closeMarker(): void {
    const marker = this.marker
    if (marker && marker.structural && !marker.consumed && marker.toFile === undefined) {
      this.recordNoData(marker, marker.line)
    }
  }

  private recordNoData(marker: Marker, lineNo: number): void {
    marker.consumed = true
    if (marker.lookup.kind !== 'used') return
    const occurrence: ReportOccurrence = {
      report: marker.lookup.info,
      name: marker.lookup.name,
      line: lineNo,
      format: 'none',
      noData: true,
      tables: {}
    }
    if (marker.variant) occurrence.variant = marker.variant
    this.occurrences.push(occurrence)
  }

  private startBlock(columns: Column[], format: Format, lineNo: number): void {
    this.flushHeaderless()
    const shape = classifyHeader(columns)
    const marker = this.marker && !this.marker.consumed ? this.marker : undefined
    if (marker) marker.consumed = true
    const info = this.resolveReport(shape, marker, columns, lineNo)
    if (!info || !shape) {
      // A report we do not read (or an unrecognised one): consume its rows quietly.
      this.state = { kind: 'block', block: undefined, marker, skipped: [] }
      return
    }
    const block = new TableBlock({
      source: this.options.source,
      family: info.family,
      columns,
      format,
      line: lineNo,
      unitHint: marker?.unitHint
    })
    const blockMarker: Marker = marker ?? {
      lookup: { kind: 'used', info, name: info.id },
      line: lineNo,
      structural: false,
      consumed: true,
      inferred: true
    }
    this.state = { kind: 'block', block, marker: blockMarker, skipped: [] }
  }

  /** Which report a header belongs to: the marker's, checked against the header's shape. */
  private resolveReport(
    shape: HeaderShape | undefined,
    marker: Marker | undefined,
    columns: Column[],
    lineNo: number
  ): ReportInfo | undefined {
    const lookup = marker?.lookup
    if (lookup && lookup.kind !== 'used') return undefined
    if (lookup?.kind === 'used') {
      if (shape && shapeFits(shape, lookup.info.family)) return lookup.info
      if (marker?.structural || this.strict === true) {
        throw new InputError(
          `the header of ${lookup.name} does not have the columns that report prints (${describeHeader(columns)})`,
          { file: this.options.source, line: lineNo }
        )
      }
    }
    if (!shape) return undefined
    // No report name nearby: the header alone says which report it is (a `calls` table is refined
    // by its names when the block ends).
    return reportInfo(REPORT_FOR_SHAPE[shape])
  }

  private inBlock(line: string, lineNo: number, state: Extract<State, { kind: 'block' }>): void {
    const trimmed = line.trim()
    if (trimmed === '') return this.endBlock()
    const cells = state.block?.split(line)
    if (cells && state.block?.accept(cells, lineNo)) return
    if (!state.block) {
      // Rows of a report we skip: stop at anything that marks the next report.
      if (PROCESSING.test(trimmed) || RUNNING.test(trimmed) || EXECUTING.test(trimmed)) {
        this.endBlock()
        this.idle(line, lineNo)
      }
      return
    }
    // Not a row: the next report's marker or header ends the table; anything else is noted.
    if (
      PROCESSING.test(trimmed) ||
      RUNNING.test(trimmed) ||
      EXECUTING.test(trimmed) ||
      TITLE_WITH_NAME.test(trimmed) ||
      trimmed.startsWith('SKIPPED:') ||
      reportFromTitle(trimmed) ||
      this.isHeader(trimmed) ||
      findReportName(trimmed)
    ) {
      this.endBlock()
      this.idle(line, lineNo)
      return
    }
    state.skipped.push(lineNo)
  }

  private isHeader(trimmed: string): boolean {
    if (trimmed.includes('\t')) return parseHeader(trimmed.split('\t')) !== undefined
    if (trimmed.includes(',') && parseHeader(trimmed.split(',')) !== undefined) return true
    return parseHeader(splitColumnHeader(trimmed)) !== undefined
  }

  private endBlock(): void {
    const state = this.state
    this.state = { kind: 'idle' }
    if (state.kind !== 'block' || !state.block || !state.marker) return
    const { block, marker } = state
    if (state.skipped.length > 0) {
      this.notes.push(
        `${plural(state.skipped.length, 'line')} inside the ${marker.lookup.name} table at line ${block.line} ` +
          `${state.skipped.length === 1 ? 'is' : 'are'} not rows of it and ${state.skipped.length === 1 ? 'was' : 'were'} skipped ` +
          `(line${state.skipped.length === 1 ? '' : 's'} ${listLines(state.skipped)})`
      )
    }
    let info = marker.lookup.kind === 'used' ? marker.lookup.info : undefined
    if (!info) return
    const tables = block.tables()
    if (block.family === 'cudaApi' && marker.inferred) {
      // A `Num Calls` table with no report name nearby: CUDA API calls start with cu/cuda.
      info = this.refineCalls(tables, block.line) ?? info
    }
    for (const gpu of block.gpus) this.gpus.add(gpu)
    const occurrence: ReportOccurrence = {
      report: info,
      name:
        marker.lookup.kind === 'used' && marker.lookup.info === info ? marker.lookup.name : info.id,
      line: block.line,
      format: block.format,
      noData: block.rows === 0,
      tables: block.rows === 0 ? {} : relabel(tables, info)
    }
    if (marker.variant) occurrence.variant = marker.variant
    this.occurrences.push(occurrence)
  }

  private refineCalls(tables: BlockTables, line: number): ReportInfo | undefined {
    const names = [...(tables.cudaApi?.values() ?? [])].map((s) => s.name)
    if (names.length === 0 || names.some((n) => /^(cu|cuda)[A-Z]/.test(n))) return undefined
    this.notes.push(
      `line ${line}: a table of calls with no report name nearby was read as OS runtime calls (no cu*/cuda* names)`
    )
    return reportInfo('osrt_sum')
  }

  private inJson(line: string, lineNo: number, state: Extract<State, { kind: 'json' }>): void {
    state.lines.push(line)
    state.size += line.length + 1
    if (state.size > MAX_JSON_BLOCK) {
      throw new InputError('a JSON report block is larger than 256 MiB; use --format csv', {
        file: this.options.source,
        line: state.line
      })
    }
    if (line.trim() !== ']') return
    this.state = { kind: 'idle' }
    let rows: unknown
    try {
      rows = JSON.parse(state.lines.join('\n'))
    } catch (error) {
      throw new InputError(`invalid JSON report output: ${(error as Error).message}`, {
        file: this.options.source,
        line: state.line
      })
    }
    if (!Array.isArray(rows)) return
    const first: unknown = rows[0]
    if (rows.length === 0 || typeof first !== 'object' || first === null) {
      if (state.marker) this.recordNoData(state.marker, state.line)
      return
    }
    const labels = Object.keys(first)
    const columns = parseHeader(labels)
    if (!columns) return
    this.marker = state.marker
    if (this.marker) this.marker.consumed = false
    this.startBlock(columns, 'json', state.line)
    const blockState = this.state as State
    if (blockState.kind !== 'block' || !blockState.block) {
      this.state = { kind: 'idle' }
      return
    }
    rows.forEach((row: unknown, i) => {
      const record = (row ?? {}) as Record<string, unknown>
      const cells = labels.map((label) => jsonCell(record[label]))
      if (!blockState.block?.accept(cells, state.line + 1 + i)) {
        throw new InputError(`JSON report row ${i + 1} is not a row of this report`, {
          file: this.options.source,
          line: state.line
        })
      }
    })
    this.endBlock()
  }

  private noteHeaderless(lineNo: number): void {
    const marker = this.marker
    if (marker && marker.lookup.kind !== 'used') return // rows of a report we do not read
    if (marker && !marker.consumed) marker.consumed = true
    if (this.headerless && this.headerless.line + this.headerless.count === lineNo) {
      this.headerless.count += 1
      return
    }
    this.flushHeaderless()
    this.headerless = { line: lineNo, count: 1 }
  }

  private flushHeaderless(): void {
    const run = this.headerless
    if (!run) return
    this.headerless = undefined
    this.notes.push(
      `${plural(run.count, 'line')} from line ${run.line} look like table rows but no header precedes ` +
        `${run.count === 1 ? 'it' : 'them'}, so ${run.count === 1 ? 'it was' : 'they were'} not read ` +
        '(columns are matched by header name: keep the header line and do not use the `nohdr` format option)'
    )
  }
}

const REPORT_FOR_SHAPE: Readonly<Record<HeaderShape, string>> = {
  kernels: 'cuda_gpu_kern_sum',
  gpuTrace: 'cuda_gpu_trace',
  memTime: 'cuda_gpu_mem_time_sum',
  memSize: 'cuda_gpu_mem_size_sum',
  nvtx: 'nvtx_sum',
  calls: 'cuda_api_sum'
}

function sameReport(a: ReportLookup, b: ReportLookup): boolean {
  if (a.kind === 'used' && b.kind === 'used') return a.info.id === b.info.id
  return a.kind === b.kind && a.name === b.name
}

function relabel(tables: BlockTables, info: ReportInfo): BlockTables {
  // A `calls` table refined to OS runtime moves from cudaApi to osrt.
  if (info.family === 'osrt' && tables.cudaApi) return { osrt: tables.cudaApi }
  return tables
}

function jsonCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

function describeHeader(columns: Column[]): string {
  return columns.map((c) => c.label).join(', ')
}

function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, 5).join(', ')
  return lines.length > 5 ? `${shown}, …` : shown
}
