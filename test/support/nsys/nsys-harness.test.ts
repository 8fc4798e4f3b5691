/**
 * End-to-end proof of the real-nsys test harness, with nsys 2022.4 and 2023.4 from Debian:
 * install + cache, SQLite built with the real export schema → `nsys stats` CSV for every report
 * the core parses, and `nsys profile` of a CPU program → `.nsys-rep` → `nsys stats`.
 *
 * Cold run: downloads ~225 MB once into the cache (see install.ts); later runs reuse it.
 * Tests are skipped (with the reason printed) only when nsys cannot be had on this machine.
 *
 * NSYS_BENCH_WRITE_FIXTURES=1 rewrites test/fixtures/nsys-real/<version>/ from the real output;
 * otherwise the CSV files there are compared byte for byte with what nsys produces now.
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
import { buildNsysSqlite } from './sqlite.js'
import type { NsysDbSpec } from './sqlite.js'
import {
  apiReportName,
  csvObjects,
  memcpyOperation,
  nsysStatsCsv,
  parseNsysCsv,
  REPORTS,
  reportName
} from './stats.js'
import type { ReportKey } from './stats.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/nsys-real/', import.meta.url))
const HOSTILE_SPEC_FILE = path.join(FIXTURES, 'spec-hostile.json')
const WRITE_FIXTURES = process.env.NSYS_BENCH_WRITE_FIXTURES === '1'
const FETCH_CLI = fileURLToPath(new URL('./fetch-nsys.mjs', import.meta.url))
const INSTALL_TIMEOUT = 900_000
const NSYS_TIMEOUT = 120_000

const hostileSpec = JSON.parse(await fsp.readFile(HOSTILE_SPEC_FILE, 'utf8')) as NsysDbSpec
const ALL_REPORTS = Object.keys(REPORTS) as ReportKey[]

let work: string
beforeAll(async () => {
  work = await fsp.mkdtemp(path.join(os.tmpdir(), 'nsys-harness-'))
})
afterAll(async () => {
  if (work) await fsp.rm(work, { recursive: true, force: true })
})

// ---------------------------------------------------------------------------------------------
// expectations computed from a spec

interface Agg {
  count: number
  total: number
  min: number
  max: number
}

function group<T>(items: readonly T[], key: (t: T) => string, dur: (t: T) => number) {
  const m = new Map<string, Agg>()
  for (const it of items) {
    const k = key(it)
    const d = dur(it)
    const a = m.get(k)
    if (a) {
      a.count++
      a.total += d
      a.min = Math.min(a.min, d)
      a.max = Math.max(a.max, d)
    } else m.set(k, { count: 1, total: d, min: d, max: d })
  }
  return m
}

const span = (e: { start: number; end: number | null }): number => (e.end ?? e.start) - e.start
const xyz = (v: readonly number[] | undefined): string =>
  (v ?? [1, 1, 1]).map((n) => String(n).padStart(4)).join(' ')

/** Rows of a summary CSV keyed by the columns `keyCols`, as Agg (count/total/min/max). */
function summaryRows(csvText: string, countCol: string, keyCols: string[]): Map<string, Agg> {
  const m = new Map<string, Agg>()
  for (const r of csvObjects(csvText)) {
    const key = keyCols.map((c) => r[c]).join('\u0000')
    expect(m.has(key), `duplicate row ${key}`).toBe(false)
    m.set(key, {
      count: Number(r[countCol]),
      total: Number(r['Total Time (ns)']),
      min: Number(r['Min (ns)']),
      max: Number(r['Max (ns)'])
    })
  }
  return m
}

function expectSameMap(actual: Map<string, Agg>, expected: Map<string, Agg>): void {
  const sort = (m: Map<string, Agg>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1))
  expect(sort(actual)).toEqual(sort(expected))
}

function checkReports(version: NsysVersion, spec: NsysDbSpec, csv: Record<string, string>): void {
  const get = (key: ReportKey): string => {
    const text = csv[reportName(key, version)]
    expect(text, `${reportName(key, version)} CSV`).toBeTruthy()
    return text ?? ''
  }
  const kernels = spec.kernels ?? []
  const memops = [
    ...(spec.memcpys ?? []).map((m) => ({ ...m, op: memcpyOperation(m.copyKind, version) })),
    ...(spec.memsets ?? []).map((m) => ({ ...m, op: '[CUDA memset]' }))
  ]

  // cuda_gpu_kern_sum: one row per name (2022.4 gpukernsum: per name + grid + block).
  const kernCsv = get('kernSum')
  if (version === '2022.4') {
    expect(parseNsysCsv(kernCsv).header).toContain('GridXYZ')
    expectSameMap(
      summaryRows(kernCsv, 'Instances', ['Name', 'GridXYZ', 'BlockXYZ']),
      group(kernels, (k) => [k.name, xyz(k.grid), xyz(k.block)].join('\u0000'), span)
    )
  } else {
    expect(parseNsysCsv(kernCsv).header).not.toContain('GridXYZ')
    expectSameMap(
      summaryRows(kernCsv, 'Instances', ['Name']),
      group(kernels, (k) => k.name, span)
    )
  }

  expectSameMap(
    summaryRows(get('apiSum'), 'Num Calls', ['Name']),
    group(spec.runtime ?? [], (r) => apiReportName(r.name), span)
  )
  expectSameMap(
    summaryRows(get('memTimeSum'), 'Count', ['Operation']),
    group(memops, (m) => m.op, span)
  )

  // cuda_gpu_mem_size_sum: MB (10^6 B) with 3 decimals.
  const sizes = new Map<string, { count: number; total: string }>()
  for (const m of memops) {
    const s = sizes.get(m.op) ?? { count: 0, total: '' }
    s.count++
    sizes.set(m.op, s)
  }
  for (const [op, s] of sizes) {
    const bytes = memops.filter((m) => m.op === op).reduce((a, m) => a + m.bytes, 0)
    s.total = (bytes / 1e6).toFixed(3)
  }
  const sizeRows = csvObjects(get('memSizeSum'))
  expect(
    Object.fromEntries(
      sizeRows.map((r) => [r.Operation, { count: Number(r.Count), total: r['Total (MB)'] }])
    )
  ).toEqual(Object.fromEntries(sizes))

  expectSameMap(
    summaryRows(get('nvtxSum'), 'Instances', ['Range', 'Style']),
    group(
      spec.nvtx ?? [],
      (n) =>
        `${n.domain ? `${n.domain}:` : ''}${n.text}\u0000${n.style === 'startend' ? 'StartEnd' : 'PushPop'}`,
      span
    )
  )
  expectSameMap(
    summaryRows(get('osrtSum'), 'Num Calls', ['Name']),
    group(spec.osrt ?? [], (o) => o.name, span)
  )

  // cuda_gpu_trace: one row per kernel/memcpy/memset, by start time.
  const gpuName = (id = 0): string => (spec.gpus ?? []).find((g) => g.id === id)?.name ?? ''
  const expectedTrace = [...kernels.map((k) => ({ ...k, op: k.name })), ...memops]
    .sort((a, b) => a.start - b.start)
    .map((e) => ({
      'Start (ns)': String(e.start),
      'Duration (ns)': String(e.end - e.start),
      Device: `${gpuName(e.deviceId)} (${e.deviceId ?? 0})`,
      Strm: String(e.streamId ?? 7),
      Name: e.op
    }))
  const trace = csvObjects(get('gpuTrace')).map((r) => ({
    'Start (ns)': r['Start (ns)'],
    'Duration (ns)': r['Duration (ns)'],
    Device: r.Device,
    Strm: r.Strm,
    Name: r.Name
  }))
  expect(trace).toEqual(expectedTrace)
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

async function fixture(version: NsysVersion, name: string, content: string): Promise<void> {
  const file = path.join(FIXTURES, version, name)
  if (WRITE_FIXTURES) {
    await fsp.mkdir(path.dirname(file), { recursive: true })
    await fsp.writeFile(file, content)
  } else if (name.endsWith('.csv') && existsSync(file)) {
    // Deterministic real output: it must not drift from the saved parser fixtures.
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
      console.warn(`SKIPPING real-nsys tests: ${skipReason}`)
    } else {
      install = r
      console.log(`[nsys ${version}] ready in ${Date.now() - t0} ms: ${r.nsys}`)
    }
  }, INSTALL_TIMEOUT)

  const need = (ctx: { skip: (note?: string) => never }): NsysInstall => {
    if (!install) return ctx.skip(skipReason)
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
      const reports = ALL_REPORTS.map((k) => reportName(k, version))

      const r = await nsysStatsCsv(nsys, db, reports, path.join(dir, 'csv'), 'hostile')
      expect(r.code).toBe(0)
      expect(r.stderr).not.toMatch(/ERROR/)
      for (const rep of reports) expect(r.stdout).toContain(`_${rep}.csv]... PROCESSED`)
      checkReports(version, hostileSpec, r.csv)

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
    },
    NSYS_TIMEOUT
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
      if (typeof prog !== 'string') ctx.skip(prog.skipped)
      const p = await profileProgram(nsys, {
        program: prog as string,
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
