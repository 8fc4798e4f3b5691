/**
 * Run the real `nsys stats` into CSV files and read them back (test-side reference helpers).
 */
import fsp from 'node:fs/promises'
import path from 'node:path'
import { runNsys } from './install.js'
import type { NsysInstall, NsysVersion, RunResult } from './install.js'

/** Report names per version: 2022.4 knows only the old ones (docs/nsys-notes.md "Report names"). */
export const REPORTS = {
  kernSum: { '2022.4': 'gpukernsum', '2023.4': 'cuda_gpu_kern_sum' },
  apiSum: { '2022.4': 'cudaapisum', '2023.4': 'cuda_api_sum' },
  memTimeSum: { '2022.4': 'gpumemtimesum', '2023.4': 'cuda_gpu_mem_time_sum' },
  memSizeSum: { '2022.4': 'gpumemsizesum', '2023.4': 'cuda_gpu_mem_size_sum' },
  nvtxSum: { '2022.4': 'nvtxsum', '2023.4': 'nvtx_sum' },
  osrtSum: { '2022.4': 'osrtsum', '2023.4': 'osrt_sum' },
  gpuTrace: { '2022.4': 'gputrace', '2023.4': 'cuda_gpu_trace' },
  /** Kernels and memory operations in one table (`Category` column: CUDA_KERNEL, MEMORY_OPER). */
  gpuSum: { '2022.4': 'gpusum', '2023.4': 'cuda_gpu_sum' }
} as const satisfies Record<string, Record<NsysVersion, string>>

export type ReportKey = keyof typeof REPORTS

export function reportName(key: ReportKey, version: NsysVersion): string {
  return REPORTS[key][version]
}

/** Memcpy operation text as the memops reports print it (2022.4 short forms, 2023.4 enum labels). */
export function memcpyOperation(copyKind: number, version: NsysVersion): string {
  const short = [
    'Unknown',
    'HtoD',
    'DtoH',
    'HtoA',
    'AtoH',
    'AtoA',
    'AtoD',
    'DtoA',
    'DtoD',
    'HtoH',
    'PtoP'
  ]
  const label = [
    'Unknown',
    'Host-to-Device',
    'Device-to-Host',
    'Host-to-Array',
    'Array-to-Host',
    'Array-to-Array',
    'Array-to-Device',
    'Device-to-Array',
    'Device-to-Device',
    'Host-to-Host',
    'Peer-to-Peer',
    'Unified Host-to-Device',
    'Unified Device-to-Host',
    'Unified Device-to-Device'
  ]
  if (version === '2022.4') {
    const uvm = ({ 11: 'HtoD', 12: 'DtoH', 13: 'DtoD' } as Record<number, string>)[copyKind]
    if (uvm) return `[CUDA Unified Memory memcpy ${uvm}]`
    return `[CUDA memcpy ${short[copyKind] ?? '?'}]`
  }
  return `[CUDA memcpy ${label[copyKind] ?? '?'}]`
}

/** API name as cuda_api_sum prints it: only a 4-digit `_vNNNN` suffix is stripped. */
export function apiReportName(name: string): string {
  return name.slice(-6, -4) === '_v' ? name.slice(0, -6) : name
}

export interface StatsCsvResult extends RunResult {
  /** Full command line (for README/debugging). */
  args: string[]
  /** Report name → CSV file content ('' for the 0-byte file of a SKIPPED report). */
  csv: Record<string, string>
  /** Report name → path of its CSV file. */
  files: Record<string, string>
}

/**
 * `nsys stats [--force-export=true] --force-overwrite=true -f csv -o <outDir>/<base> -r <reports> <input>`.
 * `--force-export=true` is only passed for `.nsys-rep` input: for a `.sqlite` input both 2022.4
 * and 2023.4 refuse it (`ERROR: Cannot force export of SQLite data from .sqlite input file.`, exit 1).
 */
export async function nsysStatsCsv(
  install: NsysInstall,
  input: string,
  reports: readonly string[],
  outDir: string,
  base = 'out'
): Promise<StatsCsvResult> {
  await fsp.mkdir(outDir, { recursive: true })
  const prefix = path.join(outDir, base)
  const args = [
    'stats',
    ...(input.endsWith('.sqlite') ? [] : ['--force-export=true']),
    '--force-overwrite=true',
    '-f',
    'csv',
    '-o',
    prefix,
    '-r',
    reports.join(','),
    input
  ]
  const r = await runNsys(install, args)
  const csv: Record<string, string> = {}
  const files: Record<string, string> = {}
  for (const report of reports) {
    const file = `${prefix}_${report.replace(/:/g, '_')}.csv`
    try {
      csv[report] = await fsp.readFile(file, 'utf8')
      files[report] = file
    } catch {
      // no file: unknown report (nsys says so on stderr, exit code 0)
    }
  }
  return { ...r, args, csv, files }
}

export interface CsvTable {
  header: string[]
  rows: string[][]
}

/**
 * Parse nsys CSV (not RFC 4180: a value is wrapped in quotes only if it contains a comma, and
 * embedded quotes are not doubled). The free-text column must be the last one (true for every
 * `*_sum` report and cuda_gpu_trace): the first n-1 fields are split on commas, the rest of the
 * line is the name, unwrapped when it holds a comma (docs/nsys-notes.md "CSV").
 */
export function parseNsysCsv(text: string): CsvTable {
  const lines = text.split('\n').filter((l) => l !== '')
  const [head, ...body] = lines
  if (head === undefined) return { header: [], rows: [] }
  const header = head.split(',')
  const n = header.length
  const rows = body.map((line) => {
    const fields: string[] = []
    let rest = line
    for (let i = 0; i < n - 1; i++) {
      const at = rest.indexOf(',')
      if (at < 0) throw new Error(`CSV row has fewer than ${n} fields: ${line}`)
      fields.push(rest.slice(0, at))
      rest = rest.slice(at + 1)
    }
    if (rest.includes(',') && rest.length >= 2 && rest.startsWith('"') && rest.endsWith('"')) {
      rest = rest.slice(1, -1)
    }
    fields.push(rest)
    return fields
  })
  return { header, rows }
}

/** Rows as objects keyed by header. */
export function csvObjects(text: string): Record<string, string>[] {
  const { header, rows } = parseNsysCsv(text)
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
}

// ---------------------------------------------------------------------------------------------
// The column (table) format: the default of `nsys stats` without `-f`

/** Widest a column grows by default (`--help-formats column`: `colmax`, default 100). */
export const COLUMN_MAX = 100

/**
 * A text as the column format prints it in a column `width` code points wide: unchanged when it
 * fits, else its first `width - 1` code points and `…` (U+2026), `width` code points in all. What
 * nsys 2022.4 and 2023.4 were seen to do (test/fixtures/nsys-real/README.md): code points, not
 * bytes, UTF-16 units or display cells.
 */
export function columnCut(text: string, width = COLUMN_MAX): string {
  const cps = [...text]
  return cps.length <= width ? text : `${cps.slice(0, width - 1).join('')}\u2026`
}

export interface ColumnTable {
  /** The report script's path, from `Processing [<db>] with [<script>]... `. */
  script: string
  /** ` ** <title> (<report>):` (empty, like header and rows, when the report printed no table). */
  title: string
  report: string
  header: string[]
  /** Cells as printed: text cells without the padding on their right, numbers as printed. */
  rows: string[][]
}

/**
 * Split the console output of `nsys stats` in the column format into its tables. Each report
 * prints `Processing [...]... `, a blank line, ` ** <title> (<report>):`, a blank line, the
 * header, a line of dashes (one run per column, two spaces between), the rows, a blank line
 * (docs/nsys-notes.md "Console output and captures", "Column format and cut names"). Columns
 * are found from the dashes, counting code points.
 */
export function parseNsysColumn(stdout: string): ColumnTable[] {
  const lines = stdout.split('\n')
  const tables: ColumnTable[] = []
  for (let i = 0; i < lines.length; i++) {
    const processing = /^Processing \[.*\] with \[(.*)\]\.\.\. $/.exec(lines[i] ?? '')
    if (!processing) continue
    const table: ColumnTable = {
      script: processing[1] ?? '',
      title: '',
      report: '',
      header: [],
      rows: []
    }
    tables.push(table)
    const title = /^ \*\* (.*) \(([\w:]+)\):$/.exec(lines[i + 2] ?? '')
    if (lines[i + 1] !== '' || !title || lines[i + 3] !== '') continue
    table.title = title[1] ?? ''
    table.report = title[2] ?? ''
    const dashes = lines[i + 5] ?? ''
    if (!/^ -+( {2}-+)*$/.test(dashes))
      throw new Error(`no column rule below the header: ${dashes}`)
    const cols = [...dashes.matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const)
    const cells = (line: string): string[] => {
      const cps = [...line]
      return cols.map(([from, to], c) =>
        cps
          .slice(from, c === cols.length - 1 ? undefined : to)
          .join('')
          .trimEnd()
      )
    }
    table.header = cells(lines[i + 4] ?? '').map((h) => h.trim())
    for (i += 6; i < lines.length && lines[i] !== ''; i++) table.rows.push(cells(lines[i] ?? ''))
  }
  return tables
}

/** Rows of a column table as objects keyed by header. */
export function columnObjects(table: ColumnTable): Record<string, string>[] {
  return table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i] ?? ''])))
}
