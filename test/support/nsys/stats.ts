/**
 * Run the real `nsys stats` into CSV files and read them back (test-side reference helpers).
 */
import fsp from 'node:fs/promises'
import path from 'node:path'
import { runNsys } from './install.js'
import type { NsysInstall, NsysVersion, RunResult } from './install.js'

/** Report names per version: 2022.4 knows only the old names (formats.md §1.1). */
export const REPORTS = {
  kernSum: { '2022.4': 'gpukernsum', '2023.4': 'cuda_gpu_kern_sum' },
  apiSum: { '2022.4': 'cudaapisum', '2023.4': 'cuda_api_sum' },
  memTimeSum: { '2022.4': 'gpumemtimesum', '2023.4': 'cuda_gpu_mem_time_sum' },
  memSizeSum: { '2022.4': 'gpumemsizesum', '2023.4': 'cuda_gpu_mem_size_sum' },
  nvtxSum: { '2022.4': 'nvtxsum', '2023.4': 'nvtx_sum' },
  osrtSum: { '2022.4': 'osrtsum', '2023.4': 'osrt_sum' },
  gpuTrace: { '2022.4': 'gputrace', '2023.4': 'cuda_gpu_trace' }
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
 * line is the name, unwrapped when it holds a comma (formats.md §1.5).
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
