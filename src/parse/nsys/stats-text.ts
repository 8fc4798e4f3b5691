import { InputError } from '../../errors.js'
import { clip, quoted, visible } from '../../text.js'
import {
  TableBlock,
  type BlockNote,
  type BlockTables,
  type BlockTimeline,
  type Format,
  type ReportBlock
} from './block.js'
import type { TableName } from '../../profile/model.js'
import { NvtxBlock } from './nvtx-block.js'
import {
  classifyHeader,
  parseColumn,
  parseHeader,
  shapeFits,
  type Column,
  type HeaderShape,
  type Role
} from './columns.js'
import {
  findReportName,
  lookupReport,
  reportFromTitle,
  reportInfo,
  type ReportInfo,
  type ReportLookup
} from './reports.js'
import {
  boxBorder,
  boxSpans,
  dashRuns,
  dashSpans,
  splitBoxedHeader,
  splitColumnHeader
} from './rows.js'

/**
 * Reads `nsys stats` output line by line: a single report file (`<base>_<report>.csv`), or
 * captured stdout of `nsys stats` / `nsys profile --stats=true` in any version from 2019.5 to
 * 2025.x, in CSV, TSV, JSON or the column (table) format, with `Processing […]`/`Running […]`
 * lines, titles, `SKIPPED:` lines, `NOTICE:` blocks, progress bars and prose around the tables.
 *
 * A text can hold several captures (a log of several runs, a README with "before" and "after"):
 * a report that appears again, another database in the `Processing` lines, or a new export starts
 * a new capture. Every occurrence carries its capture; the loader never mixes them.
 *
 * The parser keeps no more than one report's JSON text and one entry per distinct item: memory
 * does not grow with the size of the input. Lines are classified with linear-time code only, and
 * long lines are never given to a pattern (hostile input cannot make it slow).
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
  /** A GPU trace's timeline figures and per-launch distributions (analyze/timeline.ts). */
  timeline?: BlockTimeline
  /** The capture it belongs to (0-based). */
  capture: number
  /** Prose (text that is not nsys output) came between this report and the one before it. */
  afterProse?: boolean
}

/** A note of the parser: what it saw and did, with the line it is about. */
export interface ParseNote {
  code: string
  severity: 'warning' | 'info'
  message: string
  line?: number
  /** The table the note is about (Note.table). */
  table?: TableName
}

/** One capture: the lines it spans. */
export interface Capture {
  first: number
  last: number
}

export interface StatsParseResult {
  source: string
  occurrences: ReportOccurrence[]
  notes: ParseNote[]
  captures: Capture[]
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
  /** The first line of prose after a structural marker, before any table: output was removed. */
  prose?: number | undefined
}

type State =
  | { kind: 'idle' }
  | { kind: 'columnHeader'; columns: Column[]; line: number }
  /** Boxed format: after the top border, and after the header (the border under it ends it). */
  | { kind: 'boxTop'; line: number }
  | { kind: 'boxHeader'; columns: Column[]; line: number }
  | { kind: 'block'; block: ReportBlock | undefined; marker: Marker | undefined; skipped: number[] }
  | { kind: 'json'; lines: string[]; size: number; line: number; marker: Marker | undefined }

const MAX_JSON_BLOCK = 256 * 1024 * 1024
/** Markers, titles and headers are short; longer lines can only be rows or prose. */
const MAX_MARKER_LINE = 4096

export class NsysStatsParser {
  private state: State = { kind: 'idle' }
  private marker: Marker | undefined
  private readonly occurrences: ReportOccurrence[] = []
  private readonly notes: ParseNote[] = []
  private readonly gpus = new Set<string>()
  private nsysVersion: string | undefined
  private headerless: { line: number; count: number } | undefined
  private strict: boolean | 'auto'
  private lineNo = 0
  private lastTerminated = true
  private readonly captures: (Capture & { reports: Map<string, ReportOccurrence> })[] = []
  /** A line that starts another capture, once the current one holds a report. */
  private boundary: number | undefined
  /** Prose was seen since the last report was filed. */
  private prose = false
  /** The last `[k/N]` step of `nsys profile --stats=true` seen. */
  private progress: { step: number; of: number } | undefined
  /** The database the last `Processing`/`Running` line named. */
  private db: string | undefined
  /** The last line fed was accepted as a row of a table. */
  private lastWasRow = false

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

  /** Feeds one line (without its line break); `terminated` is false for a last line without one. */
  push(raw: string, lineNo: number, terminated = true): void {
    this.lineNo = lineNo
    this.lastTerminated = terminated
    this.lastWasRow = false
    let line = raw
    // Progress bars redraw with \r: only the last drawing is what a terminal shows.
    // indexOf first: it is fast where lastIndexOf scans slowly, and most lines have no \r.
    const cr = line.indexOf('\r') < 0 ? -1 : line.lastIndexOf('\r')
    if (cr >= 0) line = cr === line.length - 1 ? line.slice(0, cr) : line.slice(cr + 1)
    if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1)

    if (this.strict === 'auto' && line.trim() !== '') {
      const cells = line.includes('\t') ? line.split('\t') : line.split(',')
      this.strict = line.length <= MAX_MARKER_LINE && parseHeader(cells) !== undefined
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
        const widths = line.length <= MAX_MARKER_LINE ? dashRuns(line) : undefined
        if (widths?.length === header.columns.length) {
          this.startBlock(header.columns, 'column', header.line, widths.at(-1), dashSpans(line))
          return
        }
        this.idle(line, lineNo)
        return
      }
      case 'boxTop': {
        this.state = { kind: 'idle' }
        const cells = line.length <= MAX_MARKER_LINE ? splitBoxedHeader(line) : undefined
        const columns = cells && cells.length >= 3 ? parseHeader(cells) : undefined
        if (columns) {
          this.state = { kind: 'boxHeader', columns, line: lineNo }
          return
        }
        this.idle(line, lineNo)
        return
      }
      case 'boxHeader': {
        const header = this.state
        this.state = { kind: 'idle' }
        const nameWidth = line.length <= MAX_MARKER_LINE ? boxBorder(line) : undefined
        if (nameWidth !== undefined) {
          this.startBlock(header.columns, 'table', header.line, nameWidth, boxSpans(line))
          return
        }
        this.idle(line, lineNo)
        return
      }
      case 'idle':
        this.idle(line, lineNo)
    }
  }

  /**
   * The fast path of push for a line of a report file (strict mode) inside a CSV table: the
   * block reads the row from its bytes (TableBlock.acceptBytes). False when it did not take the
   * line, which then comes through push as text.
   */
  pushBytes(bytes: Buffer, start: number, end: number, lineNo: number): boolean {
    if (this.strict !== true || this.state.kind !== 'block') return false
    const block = this.state.block
    if (!block?.acceptBytes(bytes, start, end, lineNo)) return false
    this.lineNo = lineNo
    this.lastTerminated = true
    this.lastWasRow = true
    return true
  }

  /**
   * The block whose rows can be read elsewhere from here on (TableBlock.scannable): a report file
   * (strict mode), inside its table, a CSV GPU trace. Every line after it is then a row, a blank
   * line or an error (pushStrict), so the block stays the same to the end.
   */
  scannableBlock(): TableBlock | undefined {
    if (this.strict !== true || this.state.kind !== 'block') return undefined
    const block = this.state.block
    return block instanceof TableBlock && block.scannable ? block : undefined
  }

  /** A row of scannableBlock() read elsewhere (TableBlock.takeScannedRow), as pushBytes takes one. */
  takeScannedRow(
    block: TableBlock,
    values: Float64Array,
    at: number,
    name: string,
    device: string,
    lineNo: number
  ): void {
    block.takeScannedRow(values, at, name, device, lineNo)
    this.lineNo = lineNo
    this.lastTerminated = true
    this.lastWasRow = true
  }

  finish(): StatsParseResult {
    if (this.state.kind === 'json') {
      throw new InputError('JSON output ends before its closing "]"', {
        file: this.options.source,
        line: this.state.line
      })
    }
    if (this.lastWasRow && !this.lastTerminated) {
      // The last line was a row and nothing followed it, not even a line break: cut short?
      throw new InputError(
        'the input ends in the middle of a table: its last row has no line break after it, so it ' +
          'may be cut short. nsys ends every row with a line break; if the row is whole, add one.',
        { file: this.options.source, line: this.lineNo }
      )
    }
    this.endBlock()
    // A report that ran without rows; for a report file, a 0-byte file (nsys writes one on SKIPPED).
    this.closeMarker()
    this.flushHeaderless()
    const result: StatsParseResult = {
      source: this.options.source,
      occurrences: this.occurrences,
      notes: this.notes,
      captures: this.captures.map(({ first, last }) => ({ first, last })),
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
      if (block && cells && block.accept(cells, lineNo)) {
        this.lastWasRow = true
        return
      }
      throw new InputError(
        `expected a row of ${this.state.marker?.lookup.name ?? 'the report'} ` +
          `(${block?.format === 'tsv' ? 'tab' : 'comma'}-separated, with the cells of the header on line ${block?.line ?? 1}), found ${quoted(line, 120)}`,
        { file: this.options.source, line: lineNo }
      )
    }
    const format: Format = line.includes('\t') ? 'tsv' : 'csv'
    const columns =
      line.length <= MAX_MARKER_LINE
        ? parseHeader(format === 'tsv' ? line.split('\t') : line.split(','))
        : undefined
    if (!columns) {
      throw new InputError(
        'expected the header of an `nsys stats --format csv` report (for example ' +
          '"Time (%),Total Time (ns),Instances,Avg (ns),…,Name"), found ' +
          `${quoted(line, 120)}. Columns are matched by name, so the header line is required ` +
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
    if (trimmed.length > MAX_MARKER_LINE) {
      // Too long for a marker, a title or a header: a row without a header, or prose.
      if (looksLikeRow(trimmed)) this.noteHeaderless(lineNo)
      return
    }
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
    if (boxBorder(trimmed) !== undefined) {
      this.state = { kind: 'boxTop', line: lineNo }
      return
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
    if (looksLikeRow(trimmed)) {
      this.noteHeaderless(lineNo)
      return
    }
    // Anything else is prose: text between reports that nsys did not print.
    if (!NSYS_CONTINUATION.test(trimmed)) {
      this.prose = true
      const marker = this.marker
      if (marker?.structural && !marker.consumed) marker.prose ??= lineNo
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

  /** Processing/Running/Executing lines, ` ** Title (report):`, titles, SKIPPED, new exports. */
  private structural(trimmed: string, lineNo: number): boolean {
    const processing = parseProcessing(trimmed)
    if (processing) {
      this.newStructuralMarker(processing, lineNo)
      return true
    }
    const running = parseRunning(trimmed)
    if (running) {
      this.newStructuralMarker(running, lineNo)
      return true
    }
    // `[1/8] [====100%] out.nsys-rep`: `nsys profile --stats=true` starts another capture.
    const progress = /^\[(\d{1,4})\/(\d{1,4})\] /.exec(trimmed)
    if (progress) {
      const step = Number(progress[1])
      const of = Number(progress[2])
      if (step === 1) {
        this.closeMarker()
        this.newCapture(lineNo)
      } else if (this.progress?.of === of && this.progress.step === step - 1) {
        // `[4/8]`, a cut, `[5/8]`: the steps of one run, so the prose between does not part runs.
        this.prose = false
      }
      this.progress = { step, of }
    }
    const executing = parseExecuting(trimmed)
    if (executing) {
      this.newStructuralMarker(
        { script: executing.name, variant: executing.variant, rest: '', found: true },
        lineNo
      )
      return true
    }
    const titled = parseTitleWithName(trimmed)
    if (titled) {
      const lookup = lookupReport(titled.name)
      if (lookup.kind === 'unknown') return false
      this.setMarker({
        lookup,
        variant: titled.variant,
        line: lineNo,
        structural: false,
        consumed: false
      })
      return true
    }
    if (trimmed.startsWith('SKIPPED:')) {
      if (this.marker && !this.marker.consumed)
        this.recordNoData(
          this.marker,
          lineNo,
          `nsys skipped it: ${quoted(skipReason(trimmed), 160)}`
        )
      return true
    }
    if (/^Generating (?:SQLite file|')/.test(trimmed)) {
      // A new export or capture: what follows is another capture.
      this.closeMarker()
      this.newCapture(lineNo)
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

  private newStructuralMarker(found: StructuralLine, lineNo: number): void {
    this.closeMarker()
    if (found.db !== undefined) {
      // Another database: another capture.
      if (this.db !== undefined && this.db !== found.db) this.newCapture(lineNo)
      this.db = found.db
    }
    const lookup = lookupReport(found.script)
    const marker: Marker = {
      lookup,
      variant: found.variant,
      line: lineNo,
      structural: true,
      consumed: false,
      toFile: found.toFile
    }
    this.marker = marker
    if (!found.found) {
      marker.consumed = true
      this.note(
        'report-not-found',
        'warning',
        `line ${lineNo}: nsys could not find the report ${quoted(lookup.name, 80)}` +
          (lookup.kind === 'used' && lookup.name === 'nvtx_gpu_proj_sum'
            ? ' (it is new in nsys 2023; 2022.4 has only the per-instance nvtxgpuproj, which nsys-bench reads instead)'
            : lookup.kind === 'used' && lookup.name === lookup.info.id
              ? ' (nsys 2022.4 and older know only the old report names, e.g. gpukernsum, cudaapisum, nvtxsum)'
              : ''),
        lineNo
      )
      return
    }
    const skipped = /SKIPPED:\s*(.*)$/.exec(found.rest)
    if (skipped) {
      const reason = skipped[1] ?? ''
      if (/output file .* exists/.test(reason)) {
        marker.consumed = true
        this.note(
          'report-not-written',
          'warning',
          `line ${lineNo}: nsys did not write ${visible(clip(lookup.name, 200))}: ${visible(clip(reason.trim(), 200))} ` +
            '(its numbers may be stale; nsys-bench runs nsys stats with --force-overwrite=true)',
          lineNo
        )
      } else {
        this.recordNoData(marker, lineNo, `nsys skipped it: ${quoted(skipReason(reason), 160)}`)
      }
      return
    }
    if (found.toFile !== undefined) {
      marker.consumed = true
      if (lookup.kind === 'used') {
        this.note(
          'report-to-file',
          'warning',
          `line ${lineNo}: ${lookup.name} was written to ${quoted(found.toFile, 120)}, not to this output; read that file instead`,
          lineNo
        )
      }
    }
  }

  /** ERROR/NOTICE/WARNING/CUPTI lines. */
  private annotations(trimmed: string, lineNo: number): boolean {
    if (/^(ERROR|WARNING|Exportation error)\b/.test(trimmed)) {
      this.note(
        'nsys-message',
        'warning',
        `line ${lineNo}: nsys said ${quoted(trimmed, 200)}`,
        lineNo
      )
      return true
    }
    if (/^CUPTI[ _]?ERROR\b/i.test(trimmed) || /\bCUPTI_ERROR_\w+/.test(trimmed)) {
      this.note(
        'cupti-error',
        'warning',
        `line ${lineNo}: the capture reported a CUPTI error (${quoted(trimmed, 200)}): GPU activity may be missing from the reports`,
        lineNo
      )
      return true
    }
    if (trimmed.startsWith('NOTICE: Existing SQLite export found')) {
      this.note(
        'sqlite-reused',
        'warning',
        `line ${lineNo}: nsys reused an existing SQLite export; its numbers may belong to an older report (use --force-export=true)`,
        lineNo
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
    if (!marker || !marker.structural || marker.consumed || marker.toFile !== undefined) return
    if (marker.prose !== undefined && marker.lookup.kind === 'used') {
      // `[4/8] Executing 'osrt_sum'`, then `[... cut ...]`: whoever kept the log removed what the
      // report printed. Silence would mean "no rows"; text that nsys did not print means unknown.
      marker.consumed = true
      this.note(
        'report-output-missing',
        'warning',
        `line ${marker.line} starts ${marker.lookup.name}, but line ${marker.prose} is text nsys does not print and no table follows: its output was removed or replaced, so the report is left out instead of being read as empty`,
        marker.line
      )
      return
    }
    this.recordNoData(
      marker,
      marker.line,
      this.options.report && marker.line === 1 && this.lineNo === 0
        ? 'the file is empty, as nsys writes a report file it skips for lack of data'
        : 'it ran and printed no table'
    )
  }

  private recordNoData(marker: Marker, lineNo: number, why: string): void {
    marker.consumed = true
    if (marker.lookup.kind !== 'used') return
    this.note(
      'report-empty',
      'info',
      `line ${marker.line}: ${marker.lookup.name} has no data (${why}): read as an empty table`,
      marker.line
    )
    this.record(
      {
        report: marker.lookup.info,
        name: marker.lookup.name,
        ...(marker.variant ? { variant: marker.variant } : {}),
        line: lineNo,
        format: 'none',
        noData: true,
        tables: {},
        capture: 0
      },
      marker.line,
      lineNo
    )
  }

  // ---- captures ----------------------------------------------------------------------------

  private newCapture(line: number): void {
    const current = this.captures.at(-1)
    if (current && current.reports.size > 0) this.boundary ??= line
  }

  /**
   * Files an occurrence in its capture: a report seen again in this capture starts the next.
   * `from` is where its output begins (its marker line).
   */
  private record(occurrence: ReportOccurrence, from = occurrence.line, to = this.lineNo): void {
    const key = `${occurrence.report.id}:${occurrence.variant ?? ''}`
    let current = this.captures.at(-1)
    const earlier = this.boundary === undefined ? current?.reports.get(key) : undefined
    if (current && earlier && sameRows(earlier.tables, occurrence.tables)) {
      // `nsys stats --report cuda_api_sum` of the same export after `nsys profile --stats=true`:
      // the same rows again (measured times never repeat to the nanosecond), not another run.
      this.note(
        'report-repeated',
        'info',
        `line ${occurrence.line}: ${occurrence.name} repeats the rows printed at line ${earlier.line} (the same report exported again): read once`,
        occurrence.line
      )
      this.prose = false
      current.last = Math.max(current.last, to, occurrence.line)
      return
    }
    if (!current || earlier || this.boundary !== undefined) {
      const first = Math.min(this.boundary ?? from, from)
      current = { first, last: occurrence.line, reports: new Map() }
      this.captures.push(current)
      this.boundary = undefined
    }
    current.reports.set(key, occurrence)
    if (this.prose && current.reports.size > 1) occurrence.afterProse = true
    this.prose = false
    current.first = Math.min(current.first, from)
    current.last = Math.max(current.last, to, occurrence.line)
    occurrence.capture = this.captures.length - 1
    this.occurrences.push(occurrence)
  }

  private startBlock(
    columns: Column[],
    format: Format,
    lineNo: number,
    nameWidth?: number,
    spans?: readonly (readonly [number, number])[]
  ): void {
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
    const options = {
      source: this.options.source,
      family: info.family,
      columns,
      format,
      line: lineNo,
      unitHint: marker?.unitHint,
      nameWidth,
      spans
    }
    const block: ReportBlock = NVTX_FAMILIES.has(info.family)
      ? new NvtxBlock(options)
      : new TableBlock(options)
    const blockMarker: Marker =
      marker && marker.lookup.kind === 'used' && marker.lookup.info === info
        ? marker
        : {
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
    if (lookup && lookup.kind !== 'used' && marker?.structural) return undefined
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
    // No report name nearby, or prose naming another one: the header says which report it is
    // (a `calls` table is refined by its names when the block ends).
    const info = reportInfo(REPORT_FOR_SHAPE[shape])
    if (marker && lookup && info) {
      this.note(
        'title-mismatch',
        'warning',
        `line ${marker.line} names ${quoted(lookup.name, 60)}, but the table at line ${lineNo} has the columns of ${info.id}: it was read as ${info.id}`,
        lineNo
      )
    }
    return info
  }

  private inBlock(line: string, lineNo: number, state: Extract<State, { kind: 'block' }>): void {
    const trimmed = line.trim()
    if (trimmed === '') return this.endBlock()
    if (
      state.block?.format === 'column' &&
      state.block.rows === 0 &&
      state.skipped.length === 0 &&
      /^-+$/.test(trimmed)
    ) {
      // The dashed rule goes on on this line: the text was wrapped at a fixed width. The rule is
      // as long as the longest row, so the rows were wrapped too, their names cut without a mark
      // and their ends left on lines of their own (docs/nsys-notes.md "Column format and cut names").
      throw new InputError(
        `the dashed rule under the header at line ${state.block.line} continues on this line: the text was wrapped at a fixed width, so every longer row was broken in two and its name cut without a mark. Capture the output unwrapped (redirect nsys's stdout to a file) or use \`nsys stats --format csv\``,
        { file: this.options.source, line: lineNo }
      )
    }
    // The boxed format closes its table with a border.
    if (
      state.block?.format === 'table' &&
      trimmed.startsWith('+') &&
      boxBorder(trimmed) !== undefined
    )
      return this.endBlock()
    const cells = state.block?.split(line)
    if (cells && state.block?.accept(cells, lineNo)) {
      this.lastWasRow = true
      return
    }
    if (!state.block) {
      // Rows of a report we skip: stop at anything that marks the next report.
      if (trimmed.length <= MAX_MARKER_LINE && isMarker(trimmed)) {
        this.endBlock()
        this.idle(line, lineNo)
      }
      return
    }
    // Not a row: the next report's marker or header ends the table.
    if (
      trimmed.length <= MAX_MARKER_LINE &&
      (isMarker(trimmed) || this.isHeader(trimmed) || findReportName(trimmed))
    ) {
      this.endBlock()
      this.idle(line, lineNo)
      return
    }
    if (state.block.startsLikeRow(line)) {
      // A number first, yet not a row of this table: a cell too many or too few.
      throw new InputError(
        `this line starts like a row of the table at line ${state.block.line} but does not have its ` +
          `${state.block.format === 'column' ? 'columns' : 'cells'} (${quoted(trimmed, 120)}): it was cut or edited, so the table cannot be read right`,
        { file: this.options.source, line: lineNo }
      )
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
      const n = state.skipped.length
      this.note(
        'lines-skipped',
        'info',
        `${plural(n, 'line')} inside the ${marker.lookup.name} table at line ${block.line} ` +
          `${n === 1 ? 'is' : 'are'} not rows of it and ${n === 1 ? 'was' : 'were'} skipped ` +
          `(line${n === 1 ? '' : 's'} ${listLines(state.skipped)})`,
        block.line
      )
    }
    let info = marker.lookup.kind === 'used' ? marker.lookup.info : undefined
    if (!info) return
    const tables = block.tables()
    for (const note of block.notes)
      this.note(note.code, note.severity, note.message, block.line, note.table)
    if (block.family === 'cudaApi' && marker.inferred) {
      // A `Num Calls` table with no report name nearby: CUDA API calls start with cu/cuda.
      info = this.refineCalls(tables, block.line) ?? info
    }
    for (const gpu of block.gpus) this.gpus.add(gpu)
    if (block.rows === 0) {
      this.note(
        'empty-table',
        'info',
        `the ${info.id} table at line ${block.line} has a header and no rows: read as no data`,
        block.line
      )
    }
    this.record(
      {
        report: info,
        name:
          marker.lookup.kind === 'used' && marker.lookup.info === info
            ? marker.lookup.name
            : info.id,
        ...(marker.variant ? { variant: marker.variant } : {}),
        line: block.line,
        format: block.format,
        noData: block.rows === 0,
        tables: block.rows === 0 ? {} : relabel(tables, info),
        ...(block.rows > 0 && block instanceof TableBlock && block.timeline()
          ? { timeline: block.timeline() }
          : {}),
        capture: 0
      },
      Math.min(marker.line, block.line),
      block.lastLine
    )
  }

  private refineCalls(tables: BlockTables, line: number): ReportInfo | undefined {
    const names = [...(tables.cudaApi?.values() ?? [])].map((s) => s.name)
    if (names.length === 0 || names.some((n) => /^(cu|cuda)[A-Z]/.test(n))) return undefined
    this.note(
      'calls-as-osrt',
      'info',
      `line ${line}: a table of calls with no report name nearby was read as OS runtime calls (no cu*/cuda* names)`,
      line
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
      rows = JSON.parse(state.lines.map(textNumberAsString).join('\n'))
    } catch (error) {
      throw new InputError(
        `invalid JSON report output: ${visible(clip((error as Error).message, 200))}`,
        {
          file: this.options.source,
          line: state.line
        }
      )
    }
    if (!Array.isArray(rows)) return
    const first: unknown = rows[0]
    if (rows.length === 0 || typeof first !== 'object' || first === null) {
      if (state.marker)
        this.recordNoData(state.marker, state.line, 'its JSON output is an empty list')
      return
    }
    const labels = Object.keys(first)
    const columns = labels.length <= 64 ? parseHeader(labels) : undefined
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
      const record = (typeof row === 'object' && row !== null ? row : {}) as Record<string, unknown>
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
    this.note(
      'headerless-rows',
      'warning',
      `${plural(run.count, 'line')} from line ${run.line} look like table rows but no header precedes ` +
        `${run.count === 1 ? 'it' : 'them'}, so ${run.count === 1 ? 'it was' : 'they were'} not read ` +
        '(columns are matched by header name: keep the header line and do not use the `nohdr` format option)',
      run.line
    )
  }

  private note(
    code: string,
    severity: ParseNote['severity'],
    message: string,
    line?: number,
    table?: TableName
  ): void {
    const note: ParseNote =
      line === undefined ? { code, severity, message } : { code, severity, message, line }
    if (table !== undefined) note.table = table
    this.notes.push(note)
  }
}

export type { BlockNote }

/** Lines nsys prints that continue a NOTICE, or list the files it generated. */
const NSYS_CONTINUATION =
  /^(?:It is assumed file was previously exported from|Consider using --force-export|Generated:$|[\\/].*\.(?:nsys-rep|qdrep|sqlite|qdstrm)$|```)/

/** The reports whose free text comes first: read by NvtxBlock. */
const NVTX_FAMILIES: ReadonlySet<string> = new Set(['nvtxGpuSum', 'nvtxGpuTrace', 'nvtxKern'])

const REPORT_FOR_SHAPE: Readonly<Record<HeaderShape, string>> = {
  kernels: 'cuda_gpu_kern_sum',
  gpuSum: 'cuda_gpu_sum',
  gpuTrace: 'cuda_gpu_trace',
  memTime: 'cuda_gpu_mem_time_sum',
  memSize: 'cuda_gpu_mem_size_sum',
  nvtx: 'nvtx_sum',
  calls: 'cuda_api_sum',
  nvtxGpuSum: 'nvtx_gpu_proj_sum',
  nvtxGpuTrace: 'nvtx_gpu_proj_trace',
  nvtxKern: 'nvtx_kern_sum'
}

// ---- line classification: linear-time, no backtracking patterns on long input ------------------

const VERSION =
  /(?:nsight[- ]systems[-/ ]|Nsight Systems version |Nsight Systems )(\d{4}\.\d{1,3}\.\d{1,3}(?:\.\d{1,6})?)/i

interface StructuralLine {
  script: string
  variant?: string | undefined
  toFile?: string | undefined
  db?: string
  rest: string
  /** The line names a report script that ran (a `.py` path), not one nsys could not find. */
  found: boolean
}

/** `Processing [<db>] with [<script>](<variant>) to [<file>]... <rest>` (2022.4, 2023+). */
function parseProcessing(line: string): StructuralLine | undefined {
  if (!line.startsWith('Processing [')) return undefined
  const dbEnd = line.indexOf('] with [', 12)
  if (dbEnd < 0) return undefined
  const scriptEnd = line.indexOf(']', dbEnd + 8)
  if (scriptEnd < 0) return undefined
  const script = line.slice(dbEnd + 8, scriptEnd)
  let pos = scriptEnd + 1
  let variant: string | undefined
  if (line.charAt(pos) === '(') {
    const close = line.indexOf(')', pos)
    if (close < 0 || !/^[\w-]+$/.test(line.slice(pos + 1, close))) return undefined
    variant = line.slice(pos + 1, close)
    pos = close + 1
  }
  let toFile: string | undefined
  if (line.startsWith(' to [', pos)) {
    const close = line.indexOf(']...', pos + 5)
    if (close < 0) return undefined
    toFile = line.slice(pos + 5, close)
    pos = close + 1
  }
  if (!line.startsWith('...', pos)) return undefined
  return {
    script,
    variant,
    toFile,
    db: line.slice(12, dbEnd),
    rest: line.slice(pos + 3).trim(),
    found: script.endsWith('.py')
  }
}

/** `Running [<script> <db>]... <rest>` (2022.1–2022.3). */
function parseRunning(line: string): StructuralLine | undefined {
  if (!line.startsWith('Running [')) return undefined
  const close = line.indexOf(']...', 9)
  if (close < 0) return undefined
  const inside = line.slice(9, close)
  const space = inside.indexOf(' ')
  if (space <= 0) return undefined
  return {
    script: inside.slice(0, space),
    db: inside.slice(space + 1),
    rest: line.slice(close + 4).trim(),
    found: true
  }
}

/**
 * Do two occurrences of a report hold the same rows, with times? Empty tables never count: two
 * runs without kernels print the same nothing.
 */
function sameRows(a: BlockTables, b: BlockTables): boolean {
  const names = Object.keys(a) as (keyof BlockTables)[]
  if (names.length !== Object.keys(b).length) return false
  let rows = 0
  for (const name of names) {
    const x = a[name]
    const y = b[name]
    if (!x || !y || x.size !== y.size) return false
    for (const [key, stat] of x) {
      const other = y.get(key)
      if (!other || other.total !== stat.total || other.instances !== stat.instances) return false
      if (stat.total > 0) rows += 1
    }
  }
  return rows > 0
}

/** `SKIPPED: /x/y.sqlite does not contain CUDA kernel data.` → `does not contain CUDA kernel data.` */
function skipReason(text: string): string {
  const reason = text.replace(/^SKIPPED:\s*/, '').trim()
  const contains = reason.indexOf(' does not contain ')
  return contains >= 0 ? reason.slice(contains + 1) : reason
}

/** `[6/8] Executing 'cuda_gpu_kern_sum' stats report` (`nsys profile --stats=true`). */
function parseExecuting(
  line: string
): { step: number; name: string; variant?: string | undefined } | undefined {
  const match = /^\[(\d{1,4})\/\d{1,4}\] Executing '([^']{1,200})' stats report/.exec(line)
  if (!match?.[2]) return undefined
  const [name = '', variant] = match[2].split(':')
  return { step: Number(match[1]), name, variant }
}

/** ` ** CUDA GPU Kernel Summary (cuda_gpu_kern_sum):` (2023+ column output). */
function parseTitleWithName(
  line: string
): { name: string; variant?: string | undefined } | undefined {
  if (!line.startsWith('** ') || !line.endsWith('):')) return undefined
  const open = line.lastIndexOf('(')
  const inside = line.slice(open + 1, -2)
  if (open < 0 || !/^[\w:-]+$/.test(inside)) return undefined
  const [name = '', variant] = inside.split(':')
  return { name, variant }
}

function isMarker(trimmed: string): boolean {
  return (
    parseProcessing(trimmed) !== undefined ||
    parseRunning(trimmed) !== undefined ||
    parseExecuting(trimmed) !== undefined ||
    parseTitleWithName(trimmed) !== undefined ||
    trimmed.startsWith('SKIPPED:') ||
    reportFromTitle(trimmed) !== undefined
  )
}

/**
 * A line that starts with four or more numbers (separated by spaces, tabs or commas): the rows of
 * a table whose header is missing. Looks at the first 200 characters only.
 */
function looksLikeRow(trimmed: string): boolean {
  const head = trimmed.slice(0, 200)
  if (!/^-?\d/.test(head)) return false
  const tokens = head.split(/[ \t,]+/, 5)
  if (tokens.length < 4) return false
  return tokens.slice(0, 4).every((t) => /^"?-?[\d.,]+"?$/.test(t))
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

/** Columns of free text: a value there is a name, even when nsys wrote it as a JSON number. */
const TEXT_ROLES: ReadonlySet<Role> = new Set(['name', 'range', 'style', 'category', 'device'])
/** `    "Name": 100.0,`: one key and a bare number on a line, as nsys indents its JSON. */
const JSON_NUMBER_LINE = /^(\s*"((?:[^"\\]|\\.)*)":\s*)(-?\d[\d.eE+-]*)(,?)\s*$/

/**
 * nsys writes a name that reads as a number as a JSON number (`"Name": 100.0` for the kernel or
 * range `100.0`, in 2022.4 and 2023.4), which JSON.parse would turn into `100`: the number's text
 * is kept as the string it was.
 */
function textNumberAsString(line: string): string {
  if (line.length > MAX_MARKER_LINE || !line.includes('": ')) return line
  const match = JSON_NUMBER_LINE.exec(line)
  if (!match) return line
  const [, key = '', label = '', number = '', comma = ''] = match
  const role = parseColumn(label)?.role
  return role !== undefined && TEXT_ROLES.has(role) ? `${key}"${number}"${comma}` : line
}

function jsonCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return value
  return clip(JSON.stringify(value), 1000)
}

function describeHeader(columns: Column[]): string {
  // Labels come from the input: invisible characters are shown, never passed on.
  return visible(clip(columns.map((c) => c.label).join(', '), 300))
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function listLines(lines: number[]): string {
  const shown = lines.slice(0, 5).join(', ')
  return lines.length > 5 ? `${shown}, …` : shown
}
