import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseNsysStats, type StatsParseResult } from '../../src/parse/nsys/index.js'
import { canonicalKey, type Stat, type TableName } from '../../src/profile/model.js'
import {
  label,
  localeOf,
  readTables,
  SIZE_FACTOR,
  TIME_SHIFT,
  value,
  type Locale,
  type RefTable
} from '../support/column-reader.js'
import { ensureNsys, isSkipped, runNsys, type NsysInstall } from '../support/nsys/install.js'
import type { NsysVersion } from '../support/nsys/install.js'
import { skipOrFail } from '../support/nsys/skip-or-fail.js'
import { buildNsysSqlite, MEMCPY_KIND, type NsysDbSpec } from '../support/nsys/sqlite.js'
import { CORPUS, FIXTURES } from '../support/paths.js'
import { seededRandom } from '../support/random.js'

/**
 * The non-CSV paths of the nsys stats parser (the column format, the boxed `--format table`, TSV,
 * and the console text of `nsys profile --stats=true` of 2019–2025) held to two references that
 * share no code with it:
 *
 * 1. **The CSV of the same nsys run** (the CSV path has its own reference tests): one SQLite
 *    export with hostile names, run through the real nsys 2022.4 and 2023.4 in every console
 *    format, each output read by the parser and compared table by table with the CSV's.
 * 2. **An independent reader** (test/support/column-reader.ts, which reads cells by their
 *    position under the dashed rule, not by the parser's token grammar) over every file of the
 *    corpus and the public captures that holds such tables.
 *
 * What the formats lose, and the comparisons therefore allow (nothing else):
 * - column and boxed: a text longer than its column (100 code points, or fewer after the 100th
 *   row) is its first width − 1 code points and `…`: such names are compared cut, and rows that
 *   share a cut name as one item; blanks around a name are padding (names are compared trimmed).
 * - TSV: a tab inside a name is printed as a space.
 * - `--timeunit us`: every time to 0.001 us (averages, medians and deviations of 0.1 ns are
 *   rounded to 1 ns); `--timeunit ms`: to 0.0001 ms (100 ns).
 * - en_US/de_DE: a name that reads as a number is printed as a number of the locale (`12,345`;
 *   de_DE `1.5` as `1,0`); de_DE prints every fraction of a float as zeros, the value cut down to
 *   a whole unit (averages, medians, deviations; `Time (%)`, which the parser keeps nowhere).
 * (docs/nsys-notes.md "Numbers", "Column format and cut names".)
 */

// ---- the spec: one export, many hostile names ------------------------------------------------

/** Names each report prints as they are (kernel, NVTX range and OS runtime call alike). */
const HOSTILE = [
  'plain_kernel',
  'kernel  with   runs of  spaces',
  '12345',
  '1.5',
  '-3',
  '0',
  '100.0',
  '1,234',
  '1  2  3  4  5  6  7  8  9',
  ' leading blank',
  'trailing blank ',
  'bar | inside | name |',
  '| a | b |',
  'ends with …',
  'comma, in name',
  '"quoted"',
  'step, "warmup"',
  'tab\tinside',
  '漢字カーネル',
  '🚀 rocket',
  'e\u0301 combining',
  '--------',
  '----  ----',
  '+----+----+',
  'Processing [x.sqlite] with [y.py]... ',
  'SKIPPED: fake',
  'NOTICE: Existing SQLite export found',
  'ERROR: boom',
  '[1/8] Executing',
  'Time (%)  Total Time (ns)  Instances  Avg (ns)  Med (ns)  Min (ns)  Max (ns)  StdDev (ns)  Name',
  '** CUDA GPU Kernel Summary (cuda_gpu_kern_sum):',
  'void f<int, (anonymous namespace)::Tag>(int, float const*)',
  'x'.repeat(99),
  'y'.repeat(100),
  'z'.repeat(101),
  'κ'.repeat(120),
  '🚀'.repeat(110),
  // Two names that share their first 99 code points: one cut name in the column format.
  `${'p'.repeat(99)}_first_of_two`,
  `${'p'.repeat(99)}_second_of_two`
]

const PIECES = [
  'void ',
  'at::native::',
  'kernel',
  '<float, 4>',
  '(int, float*)',
  ' ',
  '  ',
  ',',
  '"',
  '(',
  ')',
  'λ',
  '內核',
  '_',
  'gemm',
  '128x64',
  '…',
  '|'
]

/** Random names: 1 to 140 code points of the pieces above, none blank at either end. */
function randomNames(count: number, random: () => number): string[] {
  const out = new Set<string>()
  while (out.size < count) {
    const target = 1 + Math.floor(random() * 140)
    let name = `r${out.size}_`
    while ([...name].length < target) name += PIECES[Math.floor(random() * PIECES.length)]
    name = [...name].slice(0, target).join('').trim()
    if (name !== '' && !name.startsWith('p'.repeat(99))) out.add(name)
  }
  return [...out]
}

interface Item {
  name: string
  durations: number[]
}

function buildSpec(): { spec: NsysDbSpec; items: Item[] } {
  const random = seededRandom(20261202)
  const names = [...HOSTILE, ...randomNames(130, random)]
  const items: Item[] = names.map((name, i) => {
    // Single calls, pairs, a few; one item with 1,234 calls (thousands separators in a count).
    const count = i === 3 ? 1234 : random() < 0.4 ? 1 : 1 + Math.floor(random() * 4)
    const durations = Array.from({ length: count }, () => {
      const r = random()
      return r < 0.05 ? 0 : r < 0.1 ? 1 : Math.floor(10 ** (1 + random() * 8))
    })
    return { name, durations }
  })
  // Very large: 3 hours, and the largest sum of the table.
  items[1]!.durations.push(10_800_000_000_000)
  const spec: NsysDbSpec = {
    kernels: [],
    runtime: [],
    nvtx: [],
    osrt: [],
    memcpys: [],
    memsets: []
  }
  let t = 1000
  let correlation = 1
  for (const item of items) {
    for (const d of item.durations) {
      // A range around a launch of the kernel of the same name, on the GPU inside the range.
      spec.nvtx!.push({ text: item.name, start: t, end: t + d + 30 })
      spec.runtime!.push({
        name: 'cudaLaunchKernel_v7000',
        start: t + 1,
        end: t + 2,
        correlationId: correlation
      })
      spec.kernels!.push({
        name: item.name,
        start: t + 10,
        end: t + 10 + d,
        correlationId: correlation
      })
      correlation += 1
      spec.runtime!.push({ name: `cuda${item.name}`, start: t + 3, end: t + 3 + d })
      spec.osrt!.push({ name: item.name, start: t, end: t + d })
      t += d + 100
    }
  }
  const copies: [number, number][] = [
    [MEMCPY_KIND.HtoD, 100],
    [MEMCPY_KIND.HtoD, 134_217_728],
    [MEMCPY_KIND.DtoH, 49_152],
    [MEMCPY_KIND.DtoD, 1_000_000_000],
    [MEMCPY_KIND.PtoP, 1]
  ]
  for (const [copyKind, bytes] of copies) {
    spec.memcpys!.push({ copyKind, bytes, start: t, end: t + 1 + (bytes % 9973) })
    t += 20_000
  }
  spec.memsets!.push({ bytes: 4096, start: t, end: t + 77 })
  return { spec, items }
}

/** The reports of one run, per version; the NVTX projections print their free text first. */
const REPORTS: Record<NsysVersion, string[]> = {
  '2022.4': [
    'gpukernsum',
    'cudaapisum',
    'gpumemtimesum',
    'gpumemsizesum',
    'nvtxsum',
    'osrtsum',
    'gpusum',
    'nvtxkernsum',
    'nvtxgpuproj'
  ],
  '2023.4': [
    'cuda_gpu_kern_sum',
    'cuda_api_sum',
    'cuda_gpu_mem_time_sum',
    'cuda_gpu_mem_size_sum',
    'nvtx_sum',
    'osrt_sum',
    'cuda_gpu_sum',
    'cuda_gpu_kern_gb_sum',
    'nvtx_kern_sum',
    'nvtx_gpu_proj_sum',
    'nvtx_gpu_proj_trace'
  ]
}

// ---- comparing parsed reports ----------------------------------------------------------------

interface Expect {
  total: number
  instances: number
  min: number
  max: number
  avg?: number | undefined
  med?: number | undefined
  stdDev?: number | undefined
  name: string
  truncated: boolean
  rows: number
}

/** A column-format cut of a text to `width` code points (the rule under test, restated). */
function cut(text: string, width = 100): string {
  const points = [...text]
  return points.length > width ? `${points.slice(0, width - 1).join('')}…` : text
}

/** Occurrences of a parse, by report id (and variant); each must appear once. */
function byReport(result: StatsParseResult): Map<string, StatsParseResult['occurrences'][number]> {
  const out = new Map<string, StatsParseResult['occurrences'][number]>()
  for (const o of result.occurrences) {
    const id = `${o.report.id}${o.variant ? `:${o.variant}` : ''}`
    expect(out.has(id), `${id} read twice`).toBe(false)
    out.set(id, o)
  }
  return out
}

/**
 * The CSV's tables as another format must print them: each name through `printed`, rows that
 * then share a key summed (extremes kept), per-row statistics only where one row makes the key.
 */
function expectedFrom(
  table: TableName,
  stats: Iterable<Stat>,
  printed: (name: string) => { name: string; truncated: boolean }
): Map<string, Expect> {
  const out = new Map<string, Expect>()
  for (const s of stats) {
    const shown = printed(s.name)
    const key = canonicalKey(table, shown.name)
    const e = out.get(key)
    if (!e) {
      out.set(key, {
        total: s.total,
        instances: s.instances,
        min: s.min,
        max: s.max,
        avg: s.avg,
        med: s.med,
        stdDev: s.stdDev,
        name: shown.name,
        truncated: shown.truncated,
        rows: 1
      })
    } else {
      e.total += s.total
      e.instances += s.instances
      e.min = Math.min(e.min, s.min)
      e.max = Math.max(e.max, s.max)
      e.avg = e.med = e.stdDev = undefined
      e.truncated ||= shown.truncated
      e.rows += 1
    }
  }
  return out
}

/** Tolerances: `time` for totals, extremes and per-row statistics in the format's time unit. */
interface Tolerance {
  /** Largest difference of a total, min or max (ns; bytes for sizes). */
  value: number
  /** Of an average, median or deviation. */
  stat: number
}

function compareTable(
  where: string,
  actual: Map<string, Stat>,
  expected: Map<string, Expect>,
  tolerance: Tolerance,
  sizes = false,
  trace = false
): void {
  expect([...actual.keys()].sort(), `${where}: keys`).toEqual([...expected.keys()].sort())
  for (const [key, e] of expected) {
    const a = actual.get(key)!
    const at = `${where}: ${JSON.stringify(e.name)}`
    expect(a.name, at).toBe(e.name)
    expect(a.instances, `${at} instances`).toBe(e.instances)
    expect(a.truncated ?? false, `${at} truncated`).toBe(e.truncated)
    // (A trace's rows are folded per name: its items count no rows.)
    if (e.rows > 1 && !trace)
      expect(a.sharedBy ?? 1, `${at} rows sharing the cut name`).toBe(e.rows)
    // Sizes are printed in MB with 3 decimals in every format, the CSV too: the same numbers.
    const tol = sizes ? { value: 1e-6, stat: 1e-6 } : tolerance
    const close = (what: string, x: number | undefined, y: number | undefined, d: number): void => {
      if (y === undefined) return
      expect(x, `${at} ${what}`).toBeDefined()
      // Each printed value is rounded once: a sum of n of them is off by n steps at most.
      const n = trace ? e.instances : e.rows
      expect(Math.abs(x! - y), `${at} ${what}: ${x} vs ${y}`).toBeLessThanOrEqual(d * n + 1e-6)
    }
    close('total', a.total, e.total, tol.value)
    close('min', a.min, e.min, tol.value)
    close('max', a.max, e.max, tol.value)
    close('avg', a.avg, e.avg, tol.stat)
    close('med', a.med, e.med, tol.stat)
    close('stdDev', a.stdDev, e.stdDev, tol.stat)
  }
}

/** How a format prints a name read from the CSV. */
type Printer = (
  table: TableName,
  name: string,
  widths: Map<string, number>
) => { name: string; truncated: boolean }

const asIs: Printer = (_table, name) => ({ name, truncated: false })
const tsvPrinter: Printer = (_table, name) => ({ name: name.replace(/\t/g, ' '), truncated: false })
/** Column and boxed formats: trimmed, cut at the width of the table's name column. */
function columnPrinter(
  table: TableName,
  name: string,
  widths: Map<string, number>,
  shown: (text: string) => string = (text) => text
): { name: string; truncated: boolean } {
  const one = (text: string, width: number): { name: string; truncated: boolean } => {
    const printed = cut(shown(text), width).trim()
    return { name: printed, truncated: printed !== shown(text).trim() }
  }
  if (table === 'nvtxKernels') {
    // `<range> › <kernel>`: each part printed in a column of its own.
    const at = name.indexOf(' › ')
    const range = one(name.slice(0, at), widths.get('range') ?? 100)
    const kernel = one(name.slice(at + 3), widths.get('name') ?? 100)
    return {
      name: `${range.name} › ${kernel.name}`,
      truncated: range.truncated || kernel.truncated
    }
  }
  return one(name, widths.get('name') ?? 100)
}

/**
 * The column format under en_US.UTF-8 and de_DE.UTF-8 prints a name that reads as a number as a
 * number of the locale (seen with nsys 2022.4 and 2023.4): `12345` as `12,345` / `12.345`, and
 * under de_DE `100.0` as `100,0` and `1.5` as `1,0` (every fraction printed as `,0`, as the
 * numbers of the table are). The parser cannot undo this; the comparison applies it.
 */
function localePrinter(locale: 'en' | 'de'): Printer {
  const group = (digits: string): string =>
    digits.replace(/\B(?=(\d{3})+$)/g, locale === 'en' ? ',' : '.')
  const shown = (name: string): string => {
    const int = /^(-?)(\d+)$/.exec(name)
    if (int) return `${int[1]}${group(int[2]!)}`
    const dec = /^(-?)(\d+)\.(\d+)$/.exec(name)
    if (dec && locale === 'de') return `${dec[1]}${group(dec[2]!)},${'0'.repeat(dec[3]!.length)}`
    return name
  }
  return (table, name, widths) => columnPrinter(table, name, widths, shown)
}

function compareRuns(
  where: string,
  csv: StatsParseResult,
  other: StatsParseResult,
  printer: Printer,
  tolerance: Tolerance,
  /** Per report: the width of its name (and range) columns as printed. */
  widthsOf: (line: number) => Map<string, number> = () => new Map()
): void {
  const want = byReport(csv)
  const got = byReport(other)
  expect([...got.keys()].sort(), `${where}: reports`).toEqual([...want.keys()].sort())
  for (const [id, w] of want) {
    const g = got.get(id)!
    expect(Object.keys(g.tables).sort(), `${where} ${id}: tables`).toEqual(
      Object.keys(w.tables).sort()
    )
    for (const [table, stats] of Object.entries(w.tables) as [TableName, Map<string, Stat>][]) {
      if (
        ![
          'kernels',
          'cudaApi',
          'osrt',
          'nvtx',
          'memTime',
          'memSize',
          'nvtxGpu',
          'nvtxKernels'
        ].includes(table)
      )
        continue
      const widths = widthsOf(g.line)
      const expected = expectedFrom(table, stats.values(), (name) => printer(table, name, widths))
      compareTable(
        `${where} ${id} ${table}`,
        g.tables[table]!,
        expected,
        tolerance,
        table === 'memSize',
        w.report.family === 'nvtxGpuTrace' || w.report.family === 'gpuTrace'
      )
    }
  }
}

async function parseText(text: string, source: string): Promise<StatsParseResult> {
  return parseNsysStats([text], { source })
}

// ---- 1. the real nsys, every console format against its CSV ----------------------------------

/** A private en_US.UTF-8 and de_DE.UTF-8 (localedef into a temporary LOCPATH), if it can be had. */
function buildLocales(dir: string): string | undefined {
  try {
    for (const [name, source] of [
      ['en_US.UTF-8', 'en_US'],
      ['de_DE.UTF-8', 'de_DE']
    ] as const)
      execFileSync('localedef', ['-i', source, '-f', 'UTF-8', path.join(dir, name)], {
        stdio: 'ignore'
      })
    return dir
  } catch {
    return undefined
  }
}

let work = ''
beforeAll(async () => {
  work = await fsp.mkdtemp(path.join(os.tmpdir(), 'nsys-bench-column-ref-'))
})
afterAll(async () => {
  if (work) await fsp.rm(work, { recursive: true, force: true })
})

describe.each(['2022.4', '2023.4'] as const)(
  'real nsys %s: every console format reads as its CSV',
  (version) => {
    let install: NsysInstall | undefined
    let skipReason = ''
    const outputs = new Map<string, string>()
    let locales: string | undefined

    beforeAll(async () => {
      const r = await ensureNsys(version)
      if (isSkipped(r)) {
        skipReason = `nsys ${version} unavailable: ${r.skipped}`
        return
      }
      install = r
      const dir = path.join(work, version)
      await fsp.mkdir(dir, { recursive: true })
      await buildNsysSqlite(path.join(dir, 'h.sqlite'), buildSpec().spec)
      locales = buildLocales(await fsp.mkdtemp(path.join(work, 'locales-')))
      const trace = version === '2022.4' ? ['gputrace'] : ['cuda_gpu_trace']
      const runs: [string, string[], Record<string, string>?, string[]?][] = [
        ['csv', ['-f', 'csv']],
        // The GPU trace, whose column format cannot be read (docs/nsys-notes.md): CSV and boxed.
        ['trace-csv', ['-f', 'csv'], {}, trace],
        ['trace-table', ['-f', 'table'], {}, trace],
        ['column', []],
        ['table', ['-f', 'table']],
        ['tsv', ['-f', 'tsv']],
        ['json', ['-f', 'json']],
        ['us', ['--timeunit', 'us']],
        ['ms', ['--timeunit', 'ms']]
      ]
      if (locales) {
        for (const locale of ['en_US.UTF-8', 'de_DE.UTF-8'])
          runs.push([locale, [], { LOCPATH: locales, LC_ALL: locale, LANG: locale }])
        for (const locale of ['en_US.UTF-8', 'de_DE.UTF-8'])
          runs.push([
            `trace-table-${locale}`,
            ['-f', 'table'],
            { LOCPATH: locales, LC_ALL: locale, LANG: locale },
            trace
          ])
      }
      // Concurrently: each run only reads the export.
      await Promise.all(
        runs.map(async ([name, args, env, reports = REPORTS[version]]) => {
          const out = await runNsys(
            install!,
            ['stats', ...args, '-r', reports.join(','), 'h.sqlite'],
            {
              cwd: dir,
              ...(env ? { env } : {})
            }
          )
          if (out.code !== 0 || /ERROR/.test(out.stderr))
            throw new Error(`nsys ${name}: ${out.stderr}`)
          outputs.set(name, out.stdout)
        })
      )
    }, 300_000)

    const need = (ctx: Parameters<typeof skipOrFail>[0]): void => {
      if (!install) skipOrFail(ctx, skipReason)
    }

    /** The width of each table's name columns in the column output, from the reference reader. */
    const widthsFrom = (text: string) => {
      const tables = readTables(text)
      return (line: number): Map<string, number> => {
        const table = tables.find((t) => t.line === line)
        const widths = new Map<string, number>()
        if (!table) return widths
        const last = table.header.length - 1
        table.header.forEach((h, i) => {
          const base = label(h).label
          if (i === last && ['Name', 'Operation', 'Range', 'Kernel Name'].includes(base))
            widths.set('name', table.widths[i]!)
          // nvtx_kern_sum's range, nvtx_gpu_proj_*'s range or name: the first column.
          if (i === 0 && ['NVTX Range', 'Range', 'Name'].includes(base))
            widths.set('range', table.widths[i]!)
        })
        if (!widths.has('name') && widths.has('range')) widths.set('name', widths.get('range')!)
        return widths
      }
    }

    it('the default column format: every name (trimmed, cut at its column) and every number', async (ctx) => {
      need(ctx)
      const csv = await parseText(outputs.get('csv')!, 'csv')
      const text = outputs.get('column')!
      compareRuns(
        `${version} column`,
        csv,
        await parseText(text, 'column'),
        columnPrinter,
        { value: 0, stat: 0 },
        widthsFrom(text)
      )
    })

    it('the boxed format (-f table)', async (ctx) => {
      need(ctx)
      const csv = await parseText(outputs.get('csv')!, 'csv')
      const text = outputs.get('table')!
      compareRuns(
        `${version} table`,
        csv,
        await parseText(text, 'table'),
        columnPrinter,
        { value: 0, stat: 0 },
        widthsFrom(text)
      )
    })

    it('the GPU trace in the boxed format, under C, en_US.UTF-8 and de_DE.UTF-8', async (ctx) => {
      need(ctx)
      const csv = await parseText(outputs.get('trace-csv')!, 'trace-csv')
      for (const [name, printer] of [
        ['trace-table', columnPrinter],
        ['trace-table-en_US.UTF-8', localePrinter('en')],
        ['trace-table-de_DE.UTF-8', localePrinter('de')]
      ] as const) {
        const text = outputs.get(name)
        if (text === undefined) continue // no private locales here (see the locale test)
        const table = await parseText(text, name)
        compareRuns(
          `${version} ${name}`,
          csv,
          table,
          printer,
          { value: 0, stat: 0 },
          widthsFrom(text)
        )
      }
    })

    it('TSV: everything, a tab inside a name aside', async (ctx) => {
      need(ctx)
      const csv = await parseText(outputs.get('csv')!, 'csv')
      compareRuns(`${version} tsv`, csv, await parseText(outputs.get('tsv')!, 'tsv'), tsvPrinter, {
        value: 0,
        stat: 0
      })
    })

    it('JSON: everything, names that read as numbers included', async (ctx) => {
      need(ctx)
      const csv = await parseText(outputs.get('csv')!, 'csv')
      const json = outputs.get('json')!
      // nsys writes such a name as a JSON number: `"Name": 100.0`.
      expect(json).toMatch(/^ {4}"Name": 100\.0$/m)
      compareRuns(`${version} json`, csv, await parseText(json, 'json'), asIs, {
        value: 0,
        stat: 0
      })
    })

    it('--timeunit us and ms: times to the printed step', async (ctx) => {
      need(ctx)
      const csv = await parseText(outputs.get('csv')!, 'csv')
      for (const [unit, step] of [
        ['us', 1],
        ['ms', 100]
      ] as const) {
        const text = outputs.get(unit)!
        expect(text).toContain(`Total Time (${unit})`)
        compareRuns(
          `${version} ${unit}`,
          csv,
          await parseText(text, unit),
          columnPrinter,
          { value: step / 2, stat: step / 2 },
          widthsFrom(text)
        )
      }
    })

    it('the column format under en_US.UTF-8 (thousands separators) and de_DE.UTF-8', async (ctx) => {
      need(ctx)
      if (!locales) return ctx.skip('localedef cannot build en_US.UTF-8 and de_DE.UTF-8 here')
      const csv = await parseText(outputs.get('csv')!, 'csv')
      const en = outputs.get('en_US.UTF-8')!
      expect(en).toMatch(/ 1,234 /)
      compareRuns(
        `${version} en_US`,
        csv,
        await parseText(en, 'en_US'),
        localePrinter('en'),
        { value: 0, stat: 0 },
        widthsFrom(en)
      )
      const de = outputs.get('de_DE.UTF-8')!
      expect(de).toMatch(/ 1\.234 /)
      // de_DE prints every fraction as `,0`: averages, medians and deviations lose up to 0.9.
      compareRuns(
        `${version} de_DE`,
        csv,
        await parseText(de, 'de_DE'),
        localePrinter('de'),
        { value: 0, stat: 0.9 },
        widthsFrom(de)
      )
    })
  }
)

// ---- 2. the independent reader over the corpus -----------------------------------------------

/** Name columns of the summaries read here, by label. */
const NAME_LABELS = new Set(['Name', 'Operation', 'Range'])
const COUNT_LABELS = new Set(['Instances', 'Num Calls', 'Calls', 'Count', 'Operations'])

/** A reference summary table: per printed name, its rows' numbers, in ns or bytes. */
interface RefSummary {
  kind: 'time' | 'size'
  category?: number
  rows: {
    line: number
    name: string
    category?: string
    instances: number
    total: number
    min: number
    max: number
    avg: number
  }[]
}

/** The unit a title above the table gives (2019.5 `(nanoseconds)`, `(KiB)`; 2020 `in KiB`). */
function titleUnit(lines: string[], headerLine: number): string | undefined {
  for (let i = headerLine - 2; i >= Math.max(0, headerLine - 4); i--) {
    const line = lines[i] ?? ''
    if (/\(nanoseconds\)/.test(line)) return 'ns'
    if (/KiB\)/.test(line)) return 'KiB'
  }
  return undefined
}

function summaryOf(table: RefTable, lines: string[]): RefSummary | undefined {
  const labels = table.header.map(label)
  const nameLabel = labels.at(-1)!.label
  const count = labels.findIndex((l) => COUNT_LABELS.has(l.label))
  const totalTime = labels.findIndex((l) => l.label === 'Total Time')
  const totalSize = labels.findIndex((l) => l.label === 'Total')
  if (!NAME_LABELS.has(nameLabel) || count < 0 || (totalTime < 0 && totalSize < 0)) return undefined
  const at = (...names: string[]): number => labels.findIndex((l) => names.includes(l.label))
  const total = totalTime >= 0 ? totalTime : totalSize
  const kind = totalTime >= 0 ? 'time' : 'size'
  const unitName =
    labels[total]!.unit ?? titleUnit(lines, table.line) ?? (kind === 'time' ? 'ns' : undefined)
  if (unitName === undefined)
    throw new Error(`reference: no unit for the table at line ${table.line}`)
  const unit =
    kind === 'time' ? { shift: TIME_SHIFT[unitName]! } : { factor: SIZE_FACTOR[unitName]! }
  const locale: Locale = localeOf(table.rows.flatMap((r) => r.cells.slice(0, -1)))
  const avg = at('Avg', 'Average')
  const min = at('Min', 'Minimum')
  const max = at('Max', 'Maximum')
  const category = at('Category')
  return {
    kind,
    ...(category >= 0 ? { category } : {}),
    rows: table.rows.map((r) => {
      const v = (i: number): number => value(r.cells[i]!, locale, unit)
      return {
        line: r.line,
        name: r.rawName.trim(),
        ...(category >= 0 ? { category: r.cells[category] } : {}),
        instances: value(r.cells[count]!, locale, { shift: 0 }),
        total: v(total),
        min: v(min >= 0 ? min : avg),
        max: v(max >= 0 ? max : avg),
        avg: v(avg)
      }
    })
  }
}

/** Text files of the corpus and the public captures. */
const FILES = [
  ...readdirSync(CORPUS).map((f) => path.join(CORPUS, f)),
  ...readdirSync(path.join(FIXTURES, 'public'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => path.join(FIXTURES, 'public', f))
].filter((f) => existsSync(f))

describe('an independent reader of the console tables, over every corpus and public capture', () => {
  const withTables = FILES.filter((f) => readTables(readFileSync(f, 'utf8')).length > 0)

  it('finds tables in the files that hold the column or boxed format', () => {
    expect(withTables.length).toBeGreaterThanOrEqual(20)
  })

  for (const file of withTables) {
    it(path.basename(file), async () => {
      const text = readFileSync(file, 'utf8')
      const lines = text.split('\n')
      const tables = readTables(text)
      const parsed = await parseText(text, file)
      const at = new Map(parsed.occurrences.map((o) => [o.line, o]))
      let compared = 0
      for (const table of tables) {
        const ref = summaryOf(table, lines)
        if (!ref) continue
        const where = `${path.basename(file)} line ${table.line}`
        const occurrence = at.get(table.line)
        expect(occurrence, `${where}: the parser read no table there`).toBeDefined()
        // Lines inside the table that are not rows are said, never silently dropped.
        if (table.skipped.length > 0)
          expect(
            parsed.notes.some((n) => n.code === 'lines-skipped' && n.line === table.line),
            `${where}: lines ${table.skipped.join(', ')} skipped without a note`
          ).toBe(true)
        const actual = new Map<string, Stat>()
        for (const [table, stats] of Object.entries(occurrence!.tables) as [
          TableName,
          Map<string, Stat>
        ][])
          for (const [key, stat] of stats) actual.set(`${table}\u0000${key}`, stat)
        const groups = new Map<string, RefSummary['rows']>()
        for (const row of ref.rows) {
          const into =
            ref.category !== undefined
              ? row.category === 'CUDA_KERNEL'
                ? 'kernels'
                : 'memTime'
              : (Object.keys(occurrence!.tables)[0] as TableName)
          let key = `${into}\u0000${canonicalKey(into, row.name)}`
          // 2019/2020 cut the longest names without a mark (docs/nsys-notes.md): the parser
          // appends the `…` later versions print. Allowed only for a name wider than its column.
          const marked = `${into}\u0000${canonicalKey(into, `${row.name}…`)}`
          if (
            !actual.has(key) &&
            actual.get(marked)?.truncated &&
            [...row.name].length > table.widths.at(-1)!
          )
            key = marked
          groups.set(key, [...(groups.get(key) ?? []), row])
        }
        expect([...actual.keys()].sort(), `${where}: items`).toEqual([...groups.keys()].sort())
        for (const [key, rows] of groups) {
          const a = actual.get(key)!
          const name = rows[0]!.name
          const what = `${where} ${JSON.stringify(name)}`
          // 2019/2020 cut the longest names without a mark; the parser adds the `…` later ones print.
          expect([name, `${name}…`], what).toContain(a.name)
          const sum = (f: (r: RefSummary['rows'][number]) => number): number =>
            rows.reduce((s, r) => s + f(r), 0)
          const near = (x: number, y: number, label: string): void =>
            expect(Math.abs(x - y), `${what} ${label}: ${x} vs ${y}`).toBeLessThanOrEqual(
              1e-6 * Math.max(1, Math.abs(y))
            )
          expect(a.instances, `${what} instances`).toBe(sum((r) => r.instances))
          near(
            a.total,
            sum((r) => r.total),
            'total'
          )
          near(a.min, Math.min(...rows.map((r) => r.min)), 'min')
          near(a.max, Math.max(...rows.map((r) => r.max)), 'max')
          if (rows.length === 1) near(a.avg, rows[0]!.avg, 'avg')
          compared += 1
        }
      }
      expect(compared, 'items compared').toBeGreaterThan(0)
      // And the parser read no column or boxed table the reader does not see.
      for (const o of parsed.occurrences)
        if ((o.format === 'column' || o.format === 'table') && !o.noData)
          expect(
            tables.some((t) => t.line === o.line),
            `${path.basename(file)}: the parser read a table at line ${o.line}`
          ).toBe(true)
    })
  }
})

// ---- 3. defects found by the comparisons, and attacks on the column format -------------------

const P23 = '/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports'

/** Verbatim nvtx_gpu_proj_trace rows of nsys 2023.4 under a locale that groups digits. */
function projTrace(group: ',' | '.'): string {
  // The numbers only: the names (the first 32 characters) keep their commas.
  const g = (text: string): string => text.slice(0, 32) + text.slice(32).replace(/,/g, group)
  return [
    `Processing [h.sqlite] with [${P23}/nvtx_gpu_proj_trace.py]... `,
    '',
    ' ** NVTX GPU Projection Trace (nvtx_gpu_proj_trace):',
    '',
    '              Name               Projected Start (ns)  Projected Duration (ns)   Orig Start (ns)    Orig Duration (ns)   Style    PID    TID   NumGPUOps  Lvl  NumChild  RangeId  ParentId  RangeStack',
    ' ------------------------------  --------------------  -----------------------  ------------------  ------------------  -------  -----  -----  ---------  ---  --------  -------  --------  ----------',
    g(
      '            r2_(int, float*),12    10,852,708,330,367                  634,321  10,852,708,330,357             634,351  PushPop  4,242  4,242          1    0         0    1,315            :1315     '
    ),
    g(
      '            r2_(int, float*),12    10,852,708,964,889                    3,455  10,852,708,964,879               3,485  PushPop  4,242  4,242          1    0         0    1,317            :1317     '
    ),
    g(
      '                        r3_kern    10,852,708,968,444                   21,001  10,852,708,968,434              21,031  PushPop  4,242  4,242          1    0         0    1,318            :1318     '
    ),
    ''
  ].join('\n')
}

describe('defects the comparisons found (each failed before its fix)', () => {
  it('nvtx_gpu_proj_trace under en_US/de_DE: 634,321 ns is 634321 ns, never 634.321', async () => {
    // The trace has no column with a fraction to learn the locale from; a duration with one
    // group (1 µs to 1 ms, the usual) was read as a decimal-comma number, 1000 times too small
    // (de_DE: `634.321` as 634.321), without a word.
    for (const group of [',', '.'] as const) {
      const result = await parseText(projTrace(group), `proj-${group}`)
      const table = result.occurrences[0]!.tables.nvtxGpu!
      const r2 = table.get(canonicalKey('nvtxGpu', 'r2_(int, float*),12'))!
      expect([r2.total, r2.instances, r2.min, r2.max], group).toEqual([637776, 2, 3455, 634321])
      expect(table.get('r3_kern')?.total, group).toBe(21001)
    }
  })

  it('de_DE column format: averages printed cut to a whole ns (`47,0` for 47.5) are read, not refused', async () => {
    // nsys 2022.4 and 2023.4 under a decimal-comma locale print every fraction of the numbers
    // they compute as floats as zeros, the value cut down: Time (%) 99.3 → `99,0`, an average of
    // 5400000000047.5 → `5.400.000.000.047,0`. The parser refused such rows as edited
    // ("avg 40206363 × 1234 instances is 49614651942, not the total 49614653068").
    const text = [
      `Processing [h.sqlite] with [${P23}/cuda_gpu_kern_sum.py]... `,
      '',
      ' ** CUDA GPU Kernel Summary (cuda_gpu_kern_sum):',
      '',
      ' Time (%)   Total Time (ns)    Instances       Avg (ns)             Med (ns)         Min (ns)         Max (ns)           StdDev (ns)                                                      Name                                                  ',
      ' --------  ------------------  ---------  -------------------  -------------------  -----------  ------------------  -------------------  ----------------------------------------------------------------------------------------------------',
      '     99,0  10.800.000.000.095          2  5.400.000.000.047,0  5.400.000.000.047,0           95  10.800.000.000.000  7.636.753.236.747,0  kernel  with   runs of  spaces',
      '      0,0      49.614.653.068      1.234         40.206.363,0             13.590,0            0         984.994.951        129.035.934,0  1,0',
      '',
      `Processing [h.sqlite] with [${P23}/nvtx_kern_sum.py]... `,
      '',
      ' ** NVTX Range Kernel Summary (nvtx_kern_sum):',
      '',
      '                                              NVTX Range                                                Style    PID    TID   NVTX Inst  Kern Inst   Total Time (ns)         Avg (ns)             Med (ns)         Min (ns)         Max (ns)           StdDev (ns)                                                  Kernel Name',
      ' ----------------------------------------------------------------------------------------------------  -------  -----  -----  ---------  ---------  ------------------  -------------------  -------------------  -----------  ------------------  -------------------  ----------------------------------------------------------------------------------------------------',
      ' 1,0                                                                                                   PushPop  4.242  4.242      1.234      1.234      49.614.653.068         40.206.363,0             13.590,0            0         984.994.951        129.035.934,0  1,0',
      ' kernel  with   runs of  spaces                                                                        PushPop  4.242  4.242          2          2  10.800.000.000.095  5.400.000.000.047,0  5.400.000.000.047,0           95  10.800.000.000.000  7.636.753.236.747,0  kernel  with   runs of  spaces',
      ''
    ].join('\n')
    const result = await parseText(text, 'de_DE')
    const kernels = result.occurrences[0]!.tables.kernels!
    const one = kernels.get(canonicalKey('kernels', '1,0'))!
    expect([one.total, one.instances, one.avg, one.min, one.max]).toEqual([
      49614653068, 1234, 40206363, 0, 984994951
    ])
    const spaces = kernels.get(canonicalKey('kernels', 'kernel  with   runs of  spaces'))!
    expect([spaces.total, spaces.instances, spaces.avg]).toEqual([10800000000095, 2, 5400000000047])
    const ranges = result.occurrences[1]!.tables.nvtxKernels!
    expect([...ranges.values()].map((s) => [s.name, s.total, s.instances, s.occurrences])).toEqual([
      ['1,0 › 1,0', 49614653068, 1234, 1234],
      ['kernel  with   runs of  spaces › kernel  with   runs of  spaces', 10800000000095, 2, 2]
    ])
  })

  it('JSON: a range named `100.0`, which nsys writes as a JSON number, keeps its name', async () => {
    // JSON.parse made it `100`: another item than the `100.0` of the CSV, TSV and column output.
    const row = (share: string, name: string): string[] => [
      '  {',
      `    "Time (%)": ${share},`,
      '    "Total Time (ns)": 160266,',
      '    "Instances": 3,',
      '    "Avg (ns)": 53422.0,',
      '    "Med (ns)": 53422.0,',
      '    "Min (ns)": 53409,',
      '    "Max (ns)": 53435,',
      '    "StdDev (ns)": 13.0,',
      '    "Style": "PushPop",',
      `    "Range": ${name}`
    ]
    const text = [
      `Processing [h.sqlite] with [${P23}/nvtx_sum.py]... `,
      '[',
      ...row('50.0', '100.0'),
      '  },',
      ...row('50.0', '"1e3"'),
      '  }',
      ']',
      ''
    ].join('\n')
    const result = await parseText(text, 'json')
    expect([...result.occurrences[0]!.tables.nvtx!.values()].map((s) => s.name)).toEqual([
      '100.0',
      '1e3'
    ])
  })

  /** A boxed GPU trace (`--format table`) as nsys 2023.4 lays it out, from rows of cells. */
  function boxedTrace(rows: string[][]): string {
    const header = [
      'Start (ns)',
      'Duration (ns)',
      'CorrId',
      'GrdX',
      'GrdY',
      'GrdZ',
      'BlkX',
      'BlkY',
      'BlkZ',
      'Reg/Trd',
      'StcSMem (MB)',
      'DymSMem (MB)',
      'Bytes (MB)',
      'Throughput (MB/s)',
      'SrcMemKd',
      'DstMemKd',
      'Device',
      'Ctx',
      'GreenCtx',
      'Strm',
      'Name'
    ]
    const widths = header.map((h, i) =>
      Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length))
    )
    const pad = (text: string, i: number): string =>
      i >= 14 && i !== 17 && i !== 19 ? text.padEnd(widths[i]!) : text.padStart(widths[i]!)
    const line = (cells: string[]): string => `| ${cells.map(pad).join(' | ')} |`
    const border = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`
    return [
      `Processing [h.sqlite] with [${P23}/cuda_gpu_trace.py]... `,
      '',
      ' ** CUDA GPU Trace (cuda_gpu_trace):',
      '',
      border,
      line(header),
      border,
      ...rows.map(line),
      border,
      ''
    ].join('\n')
  }
  const H100 = 'NVIDIA H100 80GB HBM3 (0)'
  const kernelRow = (start: string, duration: string, name: string): string[] => [
    start,
    duration,
    '101',
    '108',
    '1',
    '1',
    '256',
    '1',
    '1',
    '32',
    '0.000',
    '0.000',
    '',
    '',
    '',
    '',
    H100,
    '1',
    '',
    '7',
    name
  ]

  it('a boxed GPU trace under en_US (kernel rows first) is read, not refused as ambiguous', async () => {
    // A kernel row has no cell with a fraction; its start and duration in ns are whole numbers,
    // so `10,000` groups digits. It was refused: "the numbers in this column-format table do not
    // follow one locale".
    const memcpy = kernelRow('13,000', '100', '[CUDA memcpy Host-to-Device]').map((c, i) =>
      i >= 3 && i <= 11 ? '' : i === 12 ? '1.049' : i === 13 ? '10,490,000.000' : c
    )
    const text = boxedTrace([
      kernelRow('10,000', '1,000', 'void foo<int>(int)'),
      kernelRow('12,000', '500', 'void foo<int>(int)'),
      memcpy
    ])
    const result = await parseText(text, 'trace-en')
    const tables = result.occurrences[0]!.tables
    const foo = [...tables.kernels!.values()][0]!
    expect([foo.name, foo.total, foo.instances, foo.max]).toEqual([
      'void foo<int>(int)',
      1500,
      2,
      1000
    ])
    expect([...tables.memSize!.values()].map((s) => s.total)).toEqual([1049000])
  })

  it('a boxed GPU trace marks the names nsys cut, so that they meet the full names of a CSV run', async () => {
    // Cut names in a GPU trace were taken for whole names: never joined to the full name of
    // another run, and two kernels sharing a cut name silently made one.
    const cut = `${'k'.repeat(29)}…`
    const text = boxedTrace([
      kernelRow('10000', '1000', cut),
      kernelRow('12000', '500', cut),
      kernelRow('13000', '100', 'short_kernel')
    ])
    const result = await parseText(text, 'trace-cut')
    const kernels = result.occurrences[0]!.tables.kernels!
    expect(kernels.get(canonicalKey('kernels', cut))).toMatchObject({
      total: 1500,
      truncated: true
    })
    expect(kernels.get('short_kernel')?.truncated).toBeUndefined()
    expect(result.notes.map((n) => n.code)).toContain('cut-names')
  })

  it('a column table wrapped at a fixed width is refused, not read with names cut without a mark', async () => {
    // A terminal or an editor broke every line longer than 180 characters: the names of long
    // rows lost their ends to lines of their own, which were skipped with an info note.
    const text = readFileSync(
      path.join(CORPUS, 'generated_nsys-2023.4.4_stats_default-reports_column.txt'),
      'utf8'
    )
    const wrapped = text
      .split('\n')
      .flatMap((line) => {
        const out: string[] = []
        let rest = line.trimEnd()
        for (; rest.length > 180; rest = rest.slice(180)) out.push(rest.slice(0, 180))
        return [...out, rest]
      })
      .join('\n')
    await expect(parseText(wrapped, 'wrapped')).rejects.toThrow(
      /the dashed rule under the header at line 40 continues on this line: the text was wrapped at a fixed width.*--format csv/
    )
    // Not wrapped where no line is longer: read whole.
    const whole = await parseText(text, 'whole')
    expect(whole.occurrences.map((o) => o.report.id)).toContain('cuda_gpu_kern_sum')
  })
})

describe('attacks on captured column output (the generated 2023.4 default reports)', () => {
  const file = path.join(CORPUS, 'generated_nsys-2023.4.4_stats_default-reports_column.txt')
  const text = readFileSync(file, 'utf8')
  const tablesOf = (r: StatsParseResult): unknown =>
    r.occurrences.map((o) => [
      o.report.id,
      Object.entries(o.tables).map(([t, m]) => [t, [...m.entries()]])
    ])

  it('CRLF line ends, re-indented lines and right-trimmed lines read to the same tables', async () => {
    const want = tablesOf(await parseText(text, 'lf'))
    expect(tablesOf(await parseText(text.replace(/\n/g, '\r\n'), 'crlf'))).toEqual(want)
    const moved = text
      .split('\n')
      .map((l) => `    ${l.trimEnd()}`)
      .join('\n')
    expect(tablesOf(await parseText(moved, 'moved'))).toEqual(want)
  })

  it('the same output printed twice is one capture, each report read once and said so', async () => {
    const twice = await parseText(text + text, 'twice')
    expect(twice.captures).toHaveLength(1)
    expect(tablesOf(twice)).toEqual(tablesOf(await parseText(text, 'once')))
    expect(twice.notes.filter((n) => n.code === 'report-repeated')).toHaveLength(6)
  })

  it('a blank line inside a table: the rows after it are never dropped without a warning', async () => {
    const lines = text.split('\n')
    const at = lines.findIndex((l) => l.includes('(cuda_gpu_kern_sum):')) + 5
    lines.splice(at, 0, '')
    const result = await parseText(lines.join('\n'), 'blank')
    const warnings = result.notes.filter((n) => n.severity === 'warning').map((n) => n.code)
    expect(warnings).toEqual(expect.arrayContaining(['headerless-rows', 'rows-missing']))
  })

  it('a row cut in its numbers is refused with its line', async () => {
    const lines = text.split('\n')
    const at = lines.findIndex((l) => l.includes('(cuda_gpu_kern_sum):')) + 5
    lines[at] = lines[at]!.slice(0, 60)
    await expect(parseText(lines.join('\n'), 'cut')).rejects.toThrow(
      /starts like a row of the table at line 39/
    )
  })
})
