/**
 * End-to-end proof of the real-nsys test harness, with nsys 2022.4 and 2023.4 from Debian:
 * install + cache, SQLite built with the real export schema → `nsys stats` CSV for every report
 * the core parses, and `nsys profile` of a CPU program → `.nsys-rep` → `nsys stats`.
 *
 * Cold run: downloads ~225 MB once into the cache (see install.ts); later runs reuse it.
 * Tests are skipped (with the reason printed) only when nsys cannot be had on this machine, and
 * fail instead where NSYS_BENCH_REQUIRE_NSYS=1 (CI, see skip-or-fail.ts).
 *
 * NSYS_BENCH_WRITE_FIXTURES=1 rewrites test/fixtures/nsys-real/<version>/ from the real output;
 * otherwise the CSV files there, and the column-format .txt files, are compared byte for byte
 * with what nsys produces now.
 */
import { existsSync } from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureNsys, isSkipped, runNsys } from './install.js'
import type { NsysInstall, NsysVersion } from './install.js'
import { run } from './fetch-nsys.mjs'
import { buildNvtxProgram, NVTX_PROGRAM_EXPECTED, profileProgram } from './prog.js'
import { nsysRequired, REQUIRE_NSYS_ENV, skipOrFail } from './skip-or-fail.js'
import type { SkippableContext } from './skip-or-fail.js'
import {
  expectedKernelsPerRange,
  expectedProjections,
  outsideOperations,
  rangeName
} from './nvtx-expected.js'
import { buildNsysSqlite } from './sqlite.js'
import type { NsysDbSpec } from './sqlite.js'
import {
  apiReportName,
  columnCut,
  columnObjects,
  csvObjects,
  memcpyOperation,
  nsysStatsCsv,
  parseNsysCsv,
  parseNsysColumn,
  reportName
} from './stats.js'
import type { ReportKey } from './stats.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/nsys-real/', import.meta.url))
const HOSTILE_SPEC_FILE = path.join(FIXTURES, 'spec-hostile.json')
const CUT_SPEC_FILE = path.join(FIXTURES, 'spec-cut-names.json')
const WRITE_FIXTURES = process.env.NSYS_BENCH_WRITE_FIXTURES === '1'
const FETCH_CLI = fileURLToPath(new URL('./fetch-nsys.mjs', import.meta.url))
const INSTALL_TIMEOUT = 900_000
const NSYS_TIMEOUT = 120_000

const hostileSpec = JSON.parse(await fsp.readFile(HOSTILE_SPEC_FILE, 'utf8')) as NsysDbSpec
const cutSpec = JSON.parse(await fsp.readFile(CUT_SPEC_FILE, 'utf8')) as NsysDbSpec
const nvtxSpec = JSON.parse(
  await fsp.readFile(path.join(FIXTURES, 'spec-nvtx-proj.json'), 'utf8')
) as NsysDbSpec
/** The reports of the hostile console/file runs (their .txt fixtures list exactly these). */
const HOSTILE_REPORTS: readonly ReportKey[] = [
  'kernSum',
  'apiSum',
  'memTimeSum',
  'memSizeSum',
  'nvtxSum',
  'osrtSum',
  'gpuTrace'
]
/** The summaries of the cut-names runs (column format and CSV; the CSV run adds gpuSum). */
const CUT_REPORTS: readonly SummaryKey[] = [
  'kernSum',
  'apiSum',
  'memTimeSum',
  'memSizeSum',
  'nvtxSum',
  'osrtSum'
]
/** cuda_gpu_sum (2023.4) and gpusum (2022.4) print the same header. */
const GPU_SUM_HEADER =
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Category,Operation'

let work: string
beforeAll(async () => {
  work = await fsp.mkdtemp(path.join(os.tmpdir(), 'nsys-harness-'))
})
afterAll(async () => {
  if (work) await fsp.rm(work, { recursive: true, force: true })
})

// ---------------------------------------------------------------------------------------------
// expectations computed from a spec

/** One row a summary report must print: its text cells and the values it summarises. */
interface ExpectedRow {
  key: string[]
  /** Durations (ns), or sizes (B) for cuda_gpu_mem_size_sum. */
  values: number[]
}

function group<T>(
  items: readonly T[],
  key: (t: T) => string[],
  value: (t: T) => number
): ExpectedRow[] {
  const m = new Map<string, ExpectedRow>()
  for (const it of items) {
    const k = key(it)
    const row = m.get(JSON.stringify(k)) ?? { key: k, values: [] }
    row.values.push(value(it))
    m.set(JSON.stringify(k), row)
  }
  return [...m.values()]
}

const span = (e: { start: number; end: number | null }): number => (e.end ?? e.start) - e.start
const xyz = (v: readonly number[] | undefined): string =>
  (v ?? [1, 1, 1]).map((n) => String(n).padStart(4)).join(' ')
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0)
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const h = Math.floor(s.length / 2)
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2
}
/** Sample standard deviation (n - 1), 0 for one value: what the report scripts print. */
function stdev(xs: readonly number[]): number {
  if (xs.length < 2) return 0
  const mean = sum(xs) / xs.length
  return Math.sqrt(sum(xs.map((x) => (x - mean) ** 2)) / (xs.length - 1))
}

type SummaryKey = Exclude<ReportKey, 'gpuTrace'>
interface SummaryExpectation {
  /** Text columns that identify a row. */
  keys: string[]
  /** The column that counts (`Instances`, `Num Calls`, `Count`). */
  count: string
  /** 'ns': time columns `Total Time (ns)`…; 'MB': sizes in MB (10^6 B) with 3 decimals. */
  unit: 'ns' | 'MB'
  rows: ExpectedRow[]
}

/** Memcpys and memsets of the spec, with their operation text as `version` prints it. */
function memopsOf(version: NsysVersion, spec: NsysDbSpec) {
  return [
    ...(spec.memcpys ?? []).map((m) => ({ ...m, op: memcpyOperation(m.copyKind, version) })),
    ...(spec.memsets ?? []).map((m) => ({ ...m, op: '[CUDA memset]' }))
  ]
}

/** What each summary report must print for `spec`, computed from the spec alone. */
function expectedSummaries(
  version: NsysVersion,
  spec: NsysDbSpec
): Record<SummaryKey, SummaryExpectation> {
  const kernels = spec.kernels ?? []
  const memops = memopsOf(version, spec)
  return {
    // One row per name (2022.4 gpukernsum: per name + grid + block).
    kernSum:
      version === '2022.4'
        ? {
            keys: ['Name', 'GridXYZ', 'BlockXYZ'],
            count: 'Instances',
            unit: 'ns',
            rows: group(kernels, (k) => [k.name, xyz(k.grid), xyz(k.block)], span)
          }
        : {
            keys: ['Name'],
            count: 'Instances',
            unit: 'ns',
            rows: group(kernels, (k) => [k.name], span)
          },
    apiSum: {
      keys: ['Name'],
      count: 'Num Calls',
      unit: 'ns',
      rows: group(spec.runtime ?? [], (r) => [apiReportName(r.name)], span)
    },
    memTimeSum: {
      keys: ['Operation'],
      count: 'Count',
      unit: 'ns',
      rows: group(memops, (m) => [m.op], span)
    },
    memSizeSum: {
      keys: ['Operation'],
      count: 'Count',
      unit: 'MB',
      rows: group(
        memops,
        (m) => [m.op],
        (m) => m.bytes
      )
    },
    nvtxSum: {
      keys: ['Range', 'Style'],
      count: 'Instances',
      unit: 'ns',
      rows: group(
        spec.nvtx ?? [],
        (n) => [
          `${n.domain ? `${n.domain}:` : ''}${n.text}`,
          n.style === 'startend' ? 'StartEnd' : 'PushPop'
        ],
        span
      )
    },
    osrtSum: {
      keys: ['Name'],
      count: 'Num Calls',
      unit: 'ns',
      rows: group(spec.osrt ?? [], (o) => [o.name], span)
    },
    // Kernels (by name only, in both versions) and memory operations in one table.
    gpuSum: {
      keys: ['Category', 'Operation'],
      count: 'Instances',
      unit: 'ns',
      rows: [
        ...group(kernels, (k) => ['CUDA_KERNEL', k.name], span),
        ...group(memops, (m) => ['MEMORY_OPER', m.op], span)
      ]
    }
  }
}

/**
 * Every row and every number of a summary report, against the spec: the text cells and the count
 * exactly, and for time reports Total/Min/Max too; the rounded columns (Avg, Med, StdDev,
 * Time (%): 1 decimal; sizes in MB: 3 decimals) within half a unit of their last digit; rows by
 * Total, largest first. `text` maps a spec text to how the output shows it (column format: cut).
 */
function checkSummary(
  what: string,
  rows: readonly Record<string, string>[],
  want: SummaryExpectation,
  text: (s: string) => string = (s) => s
): void {
  const ns = want.unit === 'ns'
  const unit = ns ? '(ns)' : '(MB)'
  const totalCol = ns ? 'Total Time (ns)' : 'Total (MB)'
  const scale = ns ? 1 : 1e6
  const digits = ns ? 1 : 3
  /** A cell as printed (text), or without the column format's padding (`trim`: numbers). */
  const cell = (r: Record<string, string>, c: string, trim = true): string => {
    const v = r[c]
    if (v === undefined) throw new Error(`${what}: no column ${c} in ${JSON.stringify(r)}`)
    return trim ? v.trim() : v
  }
  // Exact part as one string per row, so that a mismatch shows as a readable diff.
  const exact = (key: string[], n: number, total: number, min: number, max: number): string =>
    JSON.stringify(ns ? [...key, n, total, min, max] : [...key, n])
  const actual = rows.map((r) =>
    exact(
      want.keys.map((k) => cell(r, k, false)),
      Number(cell(r, want.count)),
      Number(cell(r, totalCol)),
      Number(cell(r, `Min ${unit}`)),
      Number(cell(r, `Max ${unit}`))
    )
  )
  const expected = want.rows.map((e) => ({
    e,
    id: exact(
      e.key.map((k) => text(k)),
      e.values.length,
      sum(e.values),
      Math.min(...e.values),
      Math.max(...e.values)
    )
  }))
  expect([...actual].sort(), what).toEqual(expected.map((x) => x.id).sort())

  const grand = sum(want.rows.map((e) => sum(e.values)))
  const unmatched = [...expected]
  rows.forEach((r, i) => {
    const { e } = unmatched.splice(
      unmatched.findIndex((x) => x.id === actual[i]),
      1
    )[0]!
    const n = e.values.length
    const rounded: { col: string; value: number; digits: number }[] = [
      { col: `Avg ${unit}`, value: sum(e.values) / n / scale, digits },
      { col: `Med ${unit}`, value: median(e.values) / scale, digits },
      { col: `StdDev ${unit}`, value: stdev(e.values) / scale, digits },
      ...(ns
        ? [{ col: 'Time (%)', value: (sum(e.values) * 100) / grand, digits: 1 }]
        : [
            { col: totalCol, value: sum(e.values) / scale, digits },
            { col: `Min ${unit}`, value: Math.min(...e.values) / scale, digits },
            { col: `Max ${unit}`, value: Math.max(...e.values) / scale, digits }
          ])
    ]
    for (const { col, value, digits: d } of rounded) {
      const printed = cell(r, col)
      const msg = `${what}, ${col} of ${actual[i]}: printed ${printed}, exact ${value}`
      expect(printed, msg).toMatch(new RegExp(`^\\d+\\.\\d{${d}}$`))
      expect(Math.abs(Number(printed) - value), msg).toBeLessThanOrEqual(0.5 * 10 ** -d + 1e-9)
    }
  })
  const totals = rows.map((r) => Number(cell(r, totalCol)))
  expect(totals, `${what}: rows by Total, largest first`).toEqual([...totals].sort((a, b) => b - a))
}

/** cuda_gpu_trace: one row per kernel/memcpy/memset, by start time. */
function checkTrace(version: NsysVersion, spec: NsysDbSpec, csvText: string): void {
  const gpuName = (id = 0): string => (spec.gpus ?? []).find((g) => g.id === id)?.name ?? ''
  const ops = [
    ...(spec.kernels ?? []).map((k) => ({ ...k, op: k.name })),
    ...memopsOf(version, spec)
  ]
  const expectedTrace = ops
    .sort((a, b) => a.start - b.start)
    .map((e) => ({
      'Start (ns)': String(e.start),
      'Duration (ns)': String(e.end - e.start),
      Device: `${gpuName(e.deviceId)} (${e.deviceId ?? 0})`,
      Strm: String(e.streamId ?? 7),
      Name: e.op
    }))
  const trace = csvObjects(csvText).map((r) => ({
    'Start (ns)': r['Start (ns)'],
    'Duration (ns)': r['Duration (ns)'],
    Device: r.Device,
    Strm: r.Strm,
    Name: r.Name
  }))
  expect(trace).toEqual(expectedTrace)
}

/** Check the CSV of each report in `csv` (report name → file content) that is one of `keys`. */
function checkReports(
  version: NsysVersion,
  spec: NsysDbSpec,
  csv: Record<string, string>,
  keys: readonly ReportKey[]
): void {
  const want = expectedSummaries(version, spec)
  for (const key of keys) {
    const name = reportName(key, version)
    const text = csv[name]
    expect(text, `${name} CSV`).toBeTruthy()
    if (key === 'gpuTrace') checkTrace(version, spec, text ?? '')
    else checkSummary(`${name} CSV`, csvObjects(text ?? ''), want[key])
  }
  const gpuSum = csv[reportName('gpuSum', version)]
  if (keys.includes('gpuSum'))
    expect(parseNsysCsv(gpuSum ?? '').header.join(',')).toBe(GPU_SUM_HEADER)
  const kern = csv[reportName('kernSum', version)]
  if (kern !== undefined) {
    const header = parseNsysCsv(kern).header
    if (version === '2022.4') expect(header).toContain('GridXYZ')
    else expect(header).not.toContain('GridXYZ')
  }
}

/**
 * The cells of an NVTX projection report's CSV, read independently of the parser: their free
 * text comes first (quoted only when it holds a comma, inner quotes not doubled), and
 * nvtx_kern_sum's kernel name last; the cells between are plain words and numbers, so a row is
 * matched against that shape.
 */
function nvtxCsvRows(report: string, text: string): string[][] {
  const unquote = (cell: string): string =>
    cell.includes(',') && cell.startsWith('"') && cell.endsWith('"') ? cell.slice(1, -1) : cell
  const lines = text.split('\n').filter((l) => l !== '')
  const [head, ...rows] = lines
  const header = (head ?? '').split(',')
  const kern = report === 'nvtx_kern_sum' || report === 'nvtxkernsum'
  return [
    header,
    ...rows.map((line) => {
      if (kern) {
        const m =
          /^(.*?),(PushPop|StartEnd|None|),(\d+),(\d+),(\d+),(\d+),(\d+),([\d.]+),([\d.]+),(\d+),(\d+),([\d.]+),(.*)$/.exec(
            line
          )
        if (!m) throw new Error(`not a row of ${report}: ${line}`)
        return [unquote(m[1] ?? ''), ...m.slice(2, 13), unquote(m[13] ?? '')]
      }
      // Every cell after the first is a word or a number: n - 1 cells from the right.
      const cells = line.split(',')
      const tail = cells.splice(cells.length - (header.length - 1))
      return [unquote(cells.join(',')), ...tail]
    })
  ]
}

/** The projection reports of spec-nvtx-proj, against the spec (nvtx-expected.ts). */
function checkNvtxReports(version: NsysVersion, csv: Record<string, string>): void {
  const objects = (report: string): Record<string, string>[] => {
    const [header = [], ...rows] = nvtxCsvRows(report, csv[report] ?? '')
    return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
  }
  const projections = expectedProjections(nvtxSpec)
  const styles = new Map(
    (nvtxSpec.nvtx ?? []).map((n) => [
      rangeName(n),
      n.style === 'startend' ? 'StartEnd' : 'PushPop'
    ])
  )
  const close = (printed: string | undefined, exact: number, what: string): void => {
    expect(printed, what).toMatch(/^\d+\.\d$/)
    expect(
      Math.abs(Number(printed) - exact),
      `${what}: ${printed} vs ${exact}`
    ).toBeLessThanOrEqual(0.05 + 1e-9)
  }
  if (version === '2023.4') {
    const rows = objects('nvtx_gpu_proj_sum')
    expect(rows.map((r) => r.Range).sort()).toEqual([...projections.keys()].sort())
    for (const r of rows) {
      const xs = projections.get(r.Range ?? '') ?? []
      expect(r.Style).toBe(styles.get(r.Range ?? ''))
      expect(Number(r['Total Proj Time (ns)'])).toBe(sum(xs))
      expect(Number(r['Range Instances'])).toBe(xs.length)
      expect(Number(r['Proj Min (ns)'])).toBe(Math.min(...xs))
      expect(Number(r['Proj Max (ns)'])).toBe(Math.max(...xs))
      close(r['Proj Avg (ns)'], sum(xs) / xs.length, `${r.Range} avg`)
      close(r['Proj Med (ns)'], median(xs), `${r.Range} med`)
      close(r['Proj StdDev (ns)'], stdev(xs), `${r.Range} stdev`)
    }
  }
  const trace = objects(version === '2022.4' ? 'nvtxgpuproj' : 'nvtx_gpu_proj_trace')
  const named = trace.filter((r) => r.Name !== '')
  const folded = new Map<string, number[]>()
  for (const r of named)
    folded.set(r.Name ?? '', [
      ...(folded.get(r.Name ?? '') ?? []),
      Number(r['Projected Duration (ns)'])
    ])
  for (const xs of folded.values()) xs.sort((a, b) => a - b)
  expect(Object.fromEntries(folded)).toEqual(
    Object.fromEntries([...projections].map(([k, xs]) => [k, [...xs].sort((a, b) => a - b)]))
  )
  // 2023.4 also lists the GPU work launched outside every range, as one row without a name.
  const outside = outsideOperations(nvtxSpec)
  expect(
    trace.filter((r) => r.Name === '').map((r) => Number(r['Projected Duration (ns)']))
  ).toEqual(version === '2022.4' ? [] : [sum(outside)])

  const kern = objects(version === '2022.4' ? 'nvtxkernsum' : 'nvtx_kern_sum')
  const inRanges = kern.filter((r) => r['NVTX Inst'] !== '0')
  const want = expectedKernelsPerRange(nvtxSpec)
  expect(inRanges.map((r) => `${r['NVTX Range']} › ${r['Kernel Name']}`).sort()).toEqual(
    want.map((w) => `${w.range} › ${w.kernel}`).sort()
  )
  for (const r of inRanges) {
    const w = want.find((x) => x.range === r['NVTX Range'] && x.kernel === r['Kernel Name'])
    const xs = w?.durations ?? []
    expect(Number(r['NVTX Inst'])).toBe(w?.rangeInstances)
    expect(Number(r['Kern Inst'])).toBe(xs.length)
    expect(Number(r['Total Time (ns)'])).toBe(sum(xs))
    expect(Number(r['Min (ns)'])).toBe(Math.min(...xs))
    expect(Number(r['Max (ns)'])).toBe(Math.max(...xs))
    close(r['Med (ns)'], median(xs), 'kernel med')
  }
  // Kernels outside every range: one row, range and style NULL (None in 2022.4, empty in 2023.4).
  const none = version === '2022.4' ? 'None' : ''
  expect(kern.filter((r) => r['NVTX Inst'] === '0').map((r) => [r['NVTX Range'], r.Style])).toEqual(
    [[none, none]]
  )
}

/** stdout of nsys stats with machine-specific paths replaced. */
function normalise(text: string, install: NsysInstall, dir: string): string {
  return text
    .split(`${install.root}/host-linux-x64/reports/`)
    .join('<nsys>/reports/')
    .split(`${install.root}/target-linux-x64/reports/`)
    .join('<nsys>/reports/')
    .split(dir + '/')
    .join('')
}

/**
 * Write (NSYS_BENCH_WRITE_FIXTURES=1) or compare a fixture. Compared: every `.csv`, and the files
 * passed with `compare` (deterministic console output); the others are only written.
 */
async function fixture(
  version: NsysVersion,
  name: string,
  content: string,
  compare = name.endsWith('.csv')
): Promise<void> {
  const file = path.join(FIXTURES, version, name)
  if (WRITE_FIXTURES) {
    await fsp.mkdir(path.dirname(file), { recursive: true })
    await fsp.writeFile(file, content)
  } else if (compare) {
    // Deterministic real output: it must not drift from the saved parser fixtures.
    expect(existsSync(file), `${file} is missing: run with NSYS_BENCH_WRITE_FIXTURES=1`).toBe(true)
    expect(content, `${file} differs from real nsys output`).toBe(await fsp.readFile(file, 'utf8'))
  }
}

// ---------------------------------------------------------------------------------------------

describe.each(['2022.4', '2023.4'] as const)('real nsys %s', (version) => {
  const profile = version === '2023.4'
  let install: NsysInstall | undefined
  let skipReason = ''

  beforeAll(async () => {
    const t0 = Date.now()
    const r = await ensureNsys(version, {
      profile,
      log: (l) => console.log(`[nsys ${version}] ${l}`)
    })
    if (isSkipped(r)) {
      skipReason = `nsys ${version} unavailable: ${r.skipped}`
      const what = nsysRequired() ? `FAILING (${REQUIRE_NSYS_ENV}=1)` : 'SKIPPING'
      console.warn(`${what} real-nsys tests: ${skipReason}`)
    } else {
      install = r
      console.log(`[nsys ${version}] ready in ${Date.now() - t0} ms: ${r.nsys}`)
    }
  }, INSTALL_TIMEOUT)

  const need = (ctx: SkippableContext): NsysInstall => {
    if (!install) return skipOrFail(ctx, skipReason)
    return install
  }

  it(
    'is installed, runs, and a warm ensureNsys is offline and fast',
    { timeout: NSYS_TIMEOUT },
    async (ctx) => {
      const nsys = need(ctx)
      expect(path.isAbsolute(nsys.nsys)).toBe(true)
      expect(nsys.fullVersion.startsWith(version)).toBe(true)
      expect(nsys.env.LC_ALL).toBe('C')
      const v = await runNsys(nsys, ['--version'])
      expect(v.code).toBe(0)
      expect(v.stdout).toContain(`NVIDIA Nsight Systems version ${nsys.fullVersion}`)
      if (profile) expect(nsys.canProfile).toBe(true)

      // Second call, in a fresh process, with downloads forbidden: must come from the cache.
      const t0 = Date.now()
      const cli = await run(
        process.execPath,
        [FETCH_CLI, '--json', ...(profile ? ['--profile'] : []), version],
        { env: { ...process.env, NSYS_BENCH_OFFLINE: '1' }, timeoutMs: 60_000 }
      )
      const ms = Date.now() - t0
      expect(cli.stderr).toBe('')
      expect(cli.code).toBe(0)
      expect(JSON.parse(cli.stdout)).toEqual(nsys)
      expect(ms).toBeLessThan(5_000)
    }
  )

  it(
    "nsys stats on a built SQLite gives every report with the spec's rows (hostile names intact)",
    async (ctx) => {
      const nsys = need(ctx)
      const dir = path.join(work, `hostile-${version}`)
      await fsp.mkdir(dir, { recursive: true })
      const db = await buildNsysSqlite(path.join(dir, 'hostile.sqlite'), hostileSpec)
      const reports = HOSTILE_REPORTS.map((k) => reportName(k, version))

      const r = await nsysStatsCsv(nsys, db, reports, path.join(dir, 'csv'), 'hostile')
      expect(r.code).toBe(0)
      expect(r.stderr).not.toMatch(/ERROR/)
      for (const rep of reports) expect(r.stdout).toContain(`_${rep}.csv]... PROCESSED`)
      checkReports(version, hostileSpec, r.csv, HOSTILE_REPORTS)

      // Same reports to the console (CSV on stdout), run from the file's directory.
      const con = await runNsys(
        nsys,
        ['stats', '-f', 'csv', '-r', reports.join(','), 'hostile.sqlite'],
        {
          cwd: dir
        }
      )
      expect(con.code).toBe(0)
      // After each `Processing [...]... ` line: exactly the file's content, then one blank line.
      const blocks = con.stdout.split(/^Processing \[.*\n/m)
      expect(blocks.shift()).toBe('')
      expect(blocks).toEqual(reports.map((rep) => `${r.csv[rep] ?? ''}\n`))
      for (const rep of reports) {
        expect(r.csv[rep]).toMatch(/[^\n]\n$/) // files end with one newline
        await fixture(version, `hostile/hostile_${rep}.csv`, r.csv[rep] ?? '')
      }
      await fixture(version, 'hostile/stdout_console_csv.txt', normalise(con.stdout, nsys, dir))
      await fixture(version, 'hostile/stderr_console_csv.txt', normalise(con.stderr, nsys, dir))
      const files = await runNsys(
        nsys,
        [
          'stats',
          '--force-overwrite=true',
          '-f',
          'csv',
          '-o',
          'hostile',
          '-r',
          reports.join(','),
          'hostile.sqlite'
        ],
        { cwd: dir }
      )
      expect(files.code).toBe(0)
      await fixture(version, 'hostile/stdout_file_output.txt', normalise(files.stdout, nsys, dir))

      // The boxed format (`-f table`), to the console: names with `|` inside `|` cells.
      const boxed = await runNsys(
        nsys,
        ['stats', '-f', 'table', '-r', reports.join(','), 'hostile.sqlite'],
        { cwd: dir }
      )
      expect(boxed.code).toBe(0)
      expect(boxed.stderr).toBe('')
      expect(boxed.stdout).toMatch(/^\+-+\+/m)
      await fixture(version, 'hostile/stdout_table.txt', normalise(boxed.stdout, nsys, dir), true)
    },
    NSYS_TIMEOUT
  )

  it(
    'column format: names over 100 characters are cut, and long names sharing a prefix collide (spec-cut-names)',
    async (ctx) => {
      const nsys = need(ctx)
      const dir = path.join(work, `cut-names-${version}`)
      const db = await buildNsysSqlite(path.join(dir, 'cut.sqlite'), cutSpec)
      const reports = CUT_REPORTS.map((k) => reportName(k, version))
      const want = expectedSummaries(version, cutSpec)

      // The default format (column), to the console, from the file's directory.
      const col = await runNsys(nsys, ['stats', '-r', reports.join(','), 'cut.sqlite'], {
        cwd: dir
      })
      expect(col.code).toBe(0)
      expect(col.stderr).toBe('')
      const tables = parseNsysColumn(col.stdout)
      expect(tables.map((t) => t.report)).toEqual(reports)
      CUT_REPORTS.forEach((key, i) => {
        // Every row and number, with the texts cut as the rule says.
        checkSummary(`${reports[i]} column`, columnObjects(tables[i]!), want[key], columnCut)
      })

      /** Cut texts printed on more than one row, with their row counts. */
      const collisions = (key: SummaryKey, column: string): Record<string, number> => {
        const table = tables[CUT_REPORTS.indexOf(key)]!
        const tally: Record<string, number> = {}
        for (const r of columnObjects(table)) tally[r[column]!] = (tally[r[column]!] ?? 0) + 1
        const cut = Object.fromEntries(Object.entries(tally).filter(([, n]) => n > 1))
        for (const text of Object.keys(cut)) {
          expect(text.endsWith('\u2026'), text).toBe(true)
          expect([...text], text).toHaveLength(100) // 99 code points + '…'
          expect(Buffer.byteLength(text), text).toBe(102) // ASCII names: 99 bytes + E2 80 A6
        }
        // The same collisions, predicted from the spec's full names.
        const fromSpec: Record<string, number> = {}
        for (const e of want[key].rows) {
          const text = columnCut(e.key[0]!)
          fromSpec[text] = (fromSpec[text] ?? 0) + 1
        }
        expect(cut).toEqual(Object.fromEntries(Object.entries(fromSpec).filter(([, n]) => n > 1)))
        return cut
      }
      const kernCut = collisions('kernSum', 'Name')
      // CompareEqFunctor<float|c10::BFloat16|c10::Half> ×3, direct_copy lambdas ×2 (2022.4: ×3,
      // one of them with two grid/block shapes), DeviceRadixSortOnesweepKernel false/true ×2.
      expect(Object.values(kernCut).sort((a, b) => a - b)).toEqual(
        version === '2022.4' ? [2, 3, 3] : [2, 2, 3]
      )
      expect(Object.values(collisions('nvtxSum', 'Range'))).toEqual([2])
      await fixture(version, 'cut-names/stdout_column.txt', normalise(col.stdout, nsys, dir), true)

      // The boxed format cuts the same way ("identical to the column formatter" but for borders).
      const boxed = await runNsys(
        nsys,
        ['stats', '-f', 'table', '-r', reports.join(','), 'cut.sqlite'],
        {
          cwd: dir
        }
      )
      expect(boxed.code).toBe(0)
      expect(boxed.stderr).toBe('')
      await fixture(version, 'cut-names/stdout_table.txt', normalise(boxed.stdout, nsys, dir), true)

      // The same reports, and gpusum / cuda_gpu_sum, as CSV files: never cut.
      const csvReports = [...reports, reportName('gpuSum', version)]
      const r = await nsysStatsCsv(nsys, db, csvReports, path.join(dir, 'csv'), 'cut')
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
      for (const rep of csvReports) expect(r.stdout).toContain(`_${rep}.csv]... PROCESSED`)
      checkReports(version, cutSpec, r.csv, [...CUT_REPORTS, 'gpuSum'])
      for (const rep of csvReports)
        await fixture(version, `cut-names/cut_${rep}.csv`, r.csv[rep] ?? '')
    },
    NSYS_TIMEOUT
  )

  it(
    'gpusum / cuda_gpu_sum: kernels and memory operations in one table (spec-hostile)',
    { timeout: NSYS_TIMEOUT },
    async (ctx) => {
      const nsys = need(ctx)
      const dir = path.join(work, `gpusum-${version}`)
      const db = await buildNsysSqlite(path.join(dir, 'hostile.sqlite'), hostileSpec)
      const rep = reportName('gpuSum', version)
      const r = await nsysStatsCsv(nsys, db, [rep], path.join(dir, 'csv'), 'hostile')
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
      expect(r.stdout).toContain(`_${rep}.csv]... PROCESSED`)
      // Kernels by name only (foo's two shapes and two GPUs make one row, in 2022.4 too).
      checkReports(version, hostileSpec, r.csv, ['gpuSum'])
      await fixture(version, `hostile/hostile_${rep}.csv`, r.csv[rep] ?? '')
    }
  )

  it(
    'column format: the cut counts code points; the width comes from the header and the first 100 rows',
    { timeout: NSYS_TIMEOUT },
    async (ctx) => {
      const nsys = need(ctx)
      const dir = path.join(work, `cut-rule-${version}`)
      const kern = reportName('kernSum', version)
      const nameByTotal = async (file: string, spec: NsysDbSpec) => {
        await buildNsysSqlite(path.join(dir, file), spec)
        const r = await runNsys(nsys, ['stats', '-r', kern, file], { cwd: dir })
        expect(r.code).toBe(0)
        expect(r.stderr).toBe('')
        const [table] = parseNsysColumn(r.stdout)
        const names = new Map(
          columnObjects(table!).map((row) => [Number(row['Total Time (ns)']), row.Name])
        )
        return { stdout: normalise(r.stdout, nsys, dir), names }
      }

      // Around 100 code points, with characters of 1, 2 and 4 UTF-8 bytes (🚀: 2 UTF-16 units,
      // 2 cells wide on a terminal).
      const long = [
        'y'.repeat(100),
        'z'.repeat(101),
        'x'.repeat(99) + 'κ'.repeat(10),
        'κ'.repeat(120),
        '🚀'.repeat(110)
      ]
      const widths = await nameByTotal('widths.sqlite', {
        kernels: long.map((name, i) => ({ name, start: 1000 * i, end: 1000 * i + 100 + i }))
      })
      const cut = long.map((_, i) => widths.names.get(100 + i) ?? '')
      expect(cut).toEqual([
        'y'.repeat(100),
        'z'.repeat(99) + '…',
        'x'.repeat(99) + '…',
        'κ'.repeat(99) + '…',
        '🚀'.repeat(99) + '…'
      ])
      expect(cut.map((c) => [...c].length)).toEqual([100, 100, 100, 100, 100])
      expect(cut.map((c) => Buffer.byteLength(c))).toEqual([100, 102, 102, 201, 399])
      expect(long.map((n) => columnCut(n))).toEqual(cut)
      await fixture(version, 'misc/column-cut-widths.txt', widths.stdout, true)

      // 99 rows of 6 characters, row 100 of 12, row 101 of 22 (rows sorted by Total): the column
      // is 12 wide, so row 101 is cut to 11 characters + '…'.
      const rows = await nameByTotal('autolines.sqlite', {
        kernels: [
          ...Array.from({ length: 99 }, (_, i) => `kern${String(i).padStart(2, '0')}`),
          'kern_row_100',
          'kern_row_101_is_longer'
        ].map((name, i) => ({ name, start: 1000 * i, end: 1000 * i + 500 - i }))
      })
      expect(rows.names.size).toBe(101)
      expect(rows.names.get(500 - 99)).toBe('kern_row_100')
      expect(rows.names.get(500 - 100)).toBe('kern_row_10…')
      expect(columnCut('kern_row_101_is_longer', 12)).toBe('kern_row_10…')
      await fixture(version, 'misc/column-cut-autolines.txt', rows.stdout, true)
    }
  )

  it(
    '--force-export=true is refused for .sqlite input; unwritable -o still exits 0',
    { timeout: NSYS_TIMEOUT },
    async (ctx) => {
      const nsys = need(ctx)
      const dir = path.join(work, `force-export-${version}`)
      await fsp.mkdir(dir, { recursive: true })
      await buildNsysSqlite(path.join(dir, 'x.sqlite'), {
        osrt: [{ name: 'poll', start: 1, end: 2 }]
      })
      const r = await runNsys(
        nsys,
        [
          'stats',
          '--force-export=true',
          '-f',
          'csv',
          '-r',
          reportName('osrtSum', version),
          'x.sqlite'
        ],
        { cwd: dir }
      )
      expect(r.code).toBe(1)
      // The error is on stdout; stderr gets the usage hint.
      expect(r.stdout).toBe('ERROR: Cannot force export of SQLite data from .sqlite input file.\n')
      expect(r.stderr).toContain('usage: nsys stats')
      await fixture(
        version,
        'misc/force-export-sqlite.txt',
        `exit code ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`
      )

      // An output directory that does not exist: error on stderr, no file, exit code 0.
      const o = await runNsys(
        nsys,
        [
          'stats',
          '-f',
          'csv',
          '-o',
          'missing-dir/x',
          '-r',
          reportName('osrtSum', version),
          'x.sqlite'
        ],
        { cwd: dir }
      )
      expect(o.code).toBe(0)
      expect(o.stderr).toContain('ERROR: Unable to open output file for writing')
      expect(existsSync(path.join(dir, 'missing-dir'))).toBe(false)
      await fixture(
        version,
        'misc/output-dir-missing.txt',
        `exit code ${o.code}\n--- stdout\n${normalise(o.stdout, nsys, dir)}--- stderr\n${o.stderr}`
      )
    }
  )

  it(
    'missing data: a lazy export without kernels → SKIPPED and a 0-byte CSV',
    { timeout: NSYS_TIMEOUT },
    async (ctx) => {
      const nsys = need(ctx)
      const dir = path.join(work, `lazy-${version}`)
      const db = await buildNsysSqlite(path.join(dir, 'nvtx-only.sqlite'), {
        nvtx: [{ text: 'forward', start: 10, end: 20 }]
      })
      const kern = reportName('kernSum', version)
      const r = await nsysStatsCsv(
        nsys,
        db,
        [kern, reportName('nvtxSum', version)],
        path.join(dir, 'csv')
      )
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`SKIPPED: ${db} does not contain CUDA kernel data.`)
      expect(r.csv[kern]).toBe('')
      expect(csvObjects(r.csv[reportName('nvtxSum', version)] ?? '')).toHaveLength(1)
    }
  )

  it("report names: the other era's name", { timeout: NSYS_TIMEOUT }, async (ctx) => {
    const nsys = need(ctx)
    const dir = path.join(work, `names-${version}`)
    await fsp.mkdir(dir, { recursive: true })
    await buildNsysSqlite(path.join(dir, 'k.sqlite'), {
      kernels: [{ name: 'k', start: 1, end: 5 }]
    })
    if (version === '2022.4') {
      // Only old names: the new one is unknown, reported on stderr, exit code still 0.
      const r = await runNsys(nsys, ['stats', '-f', 'csv', '-r', 'cuda_gpu_kern_sum', 'k.sqlite'], {
        cwd: dir
      })
      expect(r.code).toBe(0)
      expect(r.stderr).toContain("ERROR: Report 'cuda_gpu_kern_sum' could not be found.")
      await fixture(version, 'misc/new-report-name_stdout.txt', r.stdout)
      await fixture(version, 'misc/new-report-name_stderr.txt', `exit code ${r.code}\n${r.stderr}`)
    } else {
      // Old names are hidden aliases with the new layout.
      const r = await runNsys(
        nsys,
        ['stats', '-f', 'csv', '-r', 'gpukernsum,cuda_gpu_kern_sum', 'k.sqlite'],
        { cwd: dir }
      )
      expect(r.code).toBe(0)
      const blocks = r.stdout
        .split(/^Processing .*$/m)
        .slice(1)
        .map((b) => b.trim())
      expect(blocks).toHaveLength(2)
      expect(blocks[0]).toBe(blocks[1])
      expect(blocks[0]).not.toContain('GridXYZ')
    }
  })

  it(
    'greenContextId: an export without the column (nsys < 2023.4)',
    async (ctx) => {
      const nsys = need(ctx)
      const dir = path.join(work, `green-${version}`)
      await fsp.mkdir(dir, { recursive: true })
      await buildNsysSqlite(path.join(dir, 'old.sqlite'), hostileSpec, {
        dropColumns: ['greenContextId']
      })
      const trace = reportName('gpuTrace', version)
      const kern = reportName('kernSum', version)
      const r = await runNsys(
        nsys,
        ['stats', '-f', 'csv', '-r', `${kern},${trace},${kern}`, 'old.sqlite'],
        { cwd: dir }
      )
      expect(r.code).toBe(0)
      const blocks = r.stdout
        .split(/^Processing .*$/m)
        .slice(1)
        .map((b) => b.trim())
      expect(blocks).toHaveLength(3)
      if (version === '2022.4') {
        // 2022.4 never reads the column.
        expect(blocks[1]).toMatch(/^Start \(ns\),/)
        expect(blocks[2]).toBe(blocks[0])
      } else {
        // 2023.4: cuda_gpu_trace skips, and (class-level table_col_checks) so does every later report.
        const msg =
          "SKIPPED: old.sqlite does not contain 'greenContextId' column. Please re-export the report file with a recent version of Nsight Systems."
        expect(blocks[0]).toMatch(/^Time \(%\),/)
        expect(blocks[1]).toBe(msg)
        expect(blocks[2]).toBe(msg)
        await fixture(
          version,
          'misc/greenContextId-missing_stdout.txt',
          normalise(r.stdout, nsys, dir)
        )
      }
    },
    NSYS_TIMEOUT
  )

  it(
    'NVTX projections (spec-nvtx-proj): nested ranges, repeated ranges, kernels inside ranges, in every format',
    { timeout: NSYS_TIMEOUT },
    async (ctx) => {
      const nsys = need(ctx)
      const dir = path.join(work, `nvtx-proj-${version}`)
      const db = await buildNsysSqlite(path.join(dir, 'nvtx.sqlite'), nvtxSpec)
      const reports =
        version === '2022.4'
          ? ['nvtxgpuproj', 'nvtxkernsum']
          : ['nvtx_gpu_proj_sum', 'nvtx_gpu_proj_trace', 'nvtx_kern_sum']
      const r = await nsysStatsCsv(nsys, db, reports, path.join(dir, 'csv'), 'nvtx')
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
      for (const rep of reports) expect(r.stdout).toContain(`_${rep}.csv]... PROCESSED`)
      checkNvtxReports(version, r.csv)
      for (const rep of reports)
        await fixture(version, `nvtx-proj/nvtx_${rep}.csv`, r.csv[rep] ?? '')

      // The console, in every format the parser reads. 2022.4 is also asked for the 2023 summary
      // it does not have: a `Processing […] with [nvtx_gpu_proj_sum]...` line without a script,
      // and the error on stderr.
      const asked = version === '2022.4' ? ['nvtx_gpu_proj_sum', ...reports] : reports
      for (const format of ['csv', 'column', 'table', 'tsv', 'json'] as const) {
        const out = await runNsys(
          nsys,
          [
            'stats',
            ...(format === 'column' ? [] : ['-f', format]),
            '-r',
            asked.join(','),
            'nvtx.sqlite'
          ],
          { cwd: dir }
        )
        expect(out.code).toBe(0)
        if (version === '2022.4')
          expect(out.stderr.trim()).toBe("ERROR: Report 'nvtx_gpu_proj_sum' could not be found.")
        else expect(out.stderr).toBe('')
        if (format === 'tsv') {
          // Tabs are never quoted: the TSV rows are the CSV file's rows, cell for cell.
          const blocks = out.stdout.split(/^Processing \[.*\n/m).slice(version === '2022.4' ? 2 : 1)
          blocks.forEach((block, i) => {
            const csvRows = nvtxCsvRows(reports[i] ?? '', r.csv[reports[i] ?? ''] ?? '')
            expect(
              block
                .trim()
                .split('\n')
                .map((l) => l.split('\t'))
            ).toEqual(csvRows)
          })
        }
        await fixture(
          version,
          `nvtx-proj/stdout_${format}.txt`,
          normalise(out.stdout, nsys, dir),
          true
        )
      }
    }
  )

  // Profiling is exercised with 2023.4 (its host package is what the docs verified); registered
  // only there, so that nothing shows as skipped for 2022.4.
  if (!profile) return
  it(
    'nsys profile of a CPU program → .nsys-rep → nsys stats nvtx_sum,osrt_sum',
    async (ctx) => {
      const nsys = need(ctx)
      if (!nsys.canProfile) throw new Error(`canProfile is false: ${nsys.profileProblem ?? '?'}`)
      const dir = path.join(work, `profile-${version}`)
      const prog = await buildNvtxProgram(dir)
      if (typeof prog !== 'string') skipOrFail(ctx, prog.skipped)
      const p = await profileProgram(nsys, {
        program: prog,
        programArgs: ['3'],
        output: path.join(dir, 'rep'),
        cwd: dir
      })
      expect(p.code, p.stderr).toBe(3) // the program's exit code, propagated by nsys
      expect(existsSync(p.rep), `${p.rep} (stdout: ${p.stdout}, stderr: ${p.stderr})`).toBe(true)
      expect(p.stdout).toContain(p.rep)

      const nvtxSum = reportName('nvtxSum', version)
      const osrtSum = reportName('osrtSum', version)
      const s = await nsysStatsCsv(nsys, p.rep, [nvtxSum, osrtSum], path.join(dir, 'csv'), 'rep')
      expect(s.code, s.stderr).toBe(0)
      expect(s.stdout).toContain('Generating SQLite file')
      expect(existsSync(path.join(dir, 'rep.sqlite'))).toBe(true)

      const nvtx = csvObjects(s.csv[nvtxSum] ?? '')
      expect(
        nvtx
          .map((r) => ({ range: r.Range ?? '', style: r.Style, instances: Number(r.Instances) }))
          .sort((a, b) => (a.range < b.range ? -1 : 1))
      ).toEqual([...NVTX_PROGRAM_EXPECTED.nvtx].sort((a, b) => (a.range < b.range ? -1 : 1)))
      for (const r of nvtx)
        expect(Number(r['Total Time (ns)'])).toBeGreaterThan(500_000 * Number(r.Instances))

      const osrt = csvObjects(s.csv[osrtSum] ?? '')
      for (const want of NVTX_PROGRAM_EXPECTED.osrt) {
        const row = osrt.find((r) => r.Name === want.name)
        expect(row, `${want.name} in ${osrtSum}: ${s.csv[osrtSum]}`).toBeDefined()
        expect(Number(row?.['Num Calls'])).toBe(want.calls)
      }
      // Timings vary run to run: saved as examples, never compared.
      await fixture(version, `profile/rep_${nvtxSum}.csv.example`, s.csv[nvtxSum] ?? '')
      await fixture(version, `profile/rep_${osrtSum}.csv.example`, s.csv[osrtSum] ?? '')
      await fixture(
        version,
        'profile/profile_stdout.txt.example',
        p.stdout.split(dir + '/').join('')
      )
    },
    NSYS_TIMEOUT
  )
})
