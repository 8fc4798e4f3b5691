import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { loadRun } from '../load/index.js'
import { BenchmarkError, EnvironmentError, UsageError } from '../errors.js'
import { clip, quoted } from '../text.js'
import type { Note, Profile } from '../profile/model.js'
import { leftoverWarning, type ProcessResult, type RunProcess } from './process.js'

/**
 * The Nsight Systems edge: find nsys, run the benchmark under `nsys profile`, export the stats
 * with `nsys stats`, and record the GPU environment. Every nsys call runs with LC_ALL=C: the
 * formatter is locale-aware (docs/nsys-notes.md "Numbers").
 */

export interface Nsys {
  path: string
  /** e.g. 2023.4.4.54 */
  version: string
  /** The year: 2023+ knows the new report names. */
  major: number
}

export const INSTALL_HINT =
  'Install Nsight Systems on the runner (it ships with the CUDA toolkit, or from ' +
  'https://developer.nvidia.com/nsight-systems; Debian/Ubuntu: the nsight-systems package) and put ' +
  '`nsys` on PATH, or give its path in the `nsys` input.'

export async function findNsys(
  run: RunProcess,
  path: string,
  env: NodeJS.ProcessEnv
): Promise<Nsys> {
  let result
  try {
    result = await run(path, ['--version'], { env: { ...env, LC_ALL: 'C' }, timeoutMs: 60_000 })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT')
      throw new EnvironmentError(`nsys was not found (${quoted(path)}). ${INSTALL_HINT}`)
    if (code === 'EACCES')
      throw new EnvironmentError(`nsys at ${quoted(path)} is not executable. ${INSTALL_HINT}`)
    throw new EnvironmentError(
      `could not run nsys at ${quoted(path)}: ${clip(String(error), 200)}`,
      {
        cause: error
      }
    )
  }
  const match = /(\d{4})\.(\d+)\.(\d+)(?:\.(\d+))?/.exec(result.stdout + result.stderr)
  if (result.code !== 0 || !match) {
    throw new EnvironmentError(
      `${quoted(`${path} --version`)} did not print an Nsight Systems version (exit code ${result.code}): ${quoted(result.tail.join(' '), 300)}`
    )
  }
  return { path, version: match[0], major: Number(match[1]) }
}

/** The reports nsys-bench reads, by their 2023+ name and their old one. */
export const REPORTS = [
  ['cuda_gpu_kern_sum', 'gpukernsum'],
  ['cuda_api_sum', 'cudaapisum'],
  ['cuda_gpu_mem_time_sum', 'gpumemtimesum'],
  ['cuda_gpu_mem_size_sum', 'gpumemsizesum'],
  ['nvtx_sum', 'nvtxsum'],
  ['osrt_sum', 'osrtsum'],
  // NVTX ranges in GPU time: 2022.4 has no summary, only the per-instance trace (folded per range
  // when read); the kernels per range came with it.
  ['nvtx_gpu_proj_sum', 'nvtxgpuproj'],
  ['nvtx_kern_sum', 'nvtxkernsum'],
  // One row per kernel and memory operation: the timeline analyses (idle gaps, shapes, launch
  // distributions). Large: kept gzip-compressed in the report artifact (loadStatsRun).
  ['cuda_gpu_trace', 'gputrace']
] as const

/**
 * Reports that an older nsys may lack (the NVTX projections appeared in 2022.x): when nsys cannot
 * find one, its table is left out with a note instead of failing the run.
 */
export const OPTIONAL_REPORTS: ReadonlySet<string> = new Set([
  'nvtx_gpu_proj_sum',
  'nvtxgpuproj',
  'nvtx_kern_sum',
  'nvtxkernsum'
])

/** The files of one run's reports, and what a person should know about the reports left out. */
export interface StatsExport {
  files: string[]
  notes: Note[]
}

/** The GPU trace's report files: compressed once read (they reach gigabytes). */
const TRACE_FILE = /_(cuda_gpu_trace|gputrace)\.csv$/

/**
 * Reads one run's report files into a profile, then compresses its GPU trace CSV in place
 * (`.csv.gz`, for the report artifact): the profile already holds what the trace says.
 */
export async function loadStatsRun(files: readonly string[]): Promise<Profile> {
  const profile = await loadRun(files)
  for (const file of files) {
    if (!TRACE_FILE.test(file)) continue
    await pipeline(
      createReadStream(file),
      createGzip({ level: 6 }),
      createWriteStream(`${file}.gz`)
    )
    await rm(file)
  }
  return profile
}

export interface ProfileOptions {
  command: string
  cwd: string
  env: NodeJS.ProcessEnv
  /** Without extension: nsys appends .nsys-rep. */
  output: string
  trace: string
  cudaGraphTrace: string
  captureRange: 'none' | 'cudaProfilerApi' | 'nvtx'
  nvtxCapture: string
  captureRangeEnd: string
  extraArgs: readonly string[]
  timeoutMs: number
  log: (line: string) => void
  /** A warning for the job's annotations (a retry); the log where absent. */
  warn?: (message: string) => void
}

/**
 * The benchmark runs as `bash -c` of the command, behind a first bash that marks the launch in
 * the file NSYS_BENCH_LAUNCHED names and then becomes the command's bash (`exec`, the same
 * process): so a failure of nsys before it launched anything is told from a failure of the
 * benchmark. nsys can fail that way on its own — its agent losing its connection ("End of
 * file", "Connection to Agent lost"), seen with other nsys sessions starting and ending on the
 * same machine — and exits 1, as a benchmark might.
 */
const LAUNCH_MARK = ': >"$NSYS_BENCH_LAUNCHED"; exec bash -c "$1"'
const LAUNCH_MARK_VARIABLE = 'NSYS_BENCH_LAUNCHED'

export function profileArgs(options: ProfileOptions): string[] {
  const args = [
    'profile',
    `--trace=${options.trace}`,
    '--sample=none',
    '--cpuctxsw=none',
    '--force-overwrite=true',
    `--output=${options.output}`
  ]
  // Without node-level tracing, kernels launched inside CUDA graphs are missing (docs/nsys-notes.md
  // "CUDA graphs").
  if (options.trace.split(',').includes('cuda') && options.cudaGraphTrace)
    args.push(`--cuda-graph-trace=${options.cudaGraphTrace}`)
  if (options.captureRange !== 'none') {
    args.push(`--capture-range=${options.captureRange}`)
    if (options.nvtxCapture) args.push(`--nvtx-capture=${options.nvtxCapture}`)
    if (options.captureRangeEnd) args.push(`--capture-range-end=${options.captureRangeEnd}`)
  }
  args.push(...options.extraArgs, 'bash', '-c', LAUNCH_MARK, 'bash', options.command)
  return args
}

/**
 * The benchmark failed under nsys profile, ran past timeout-minutes, or left no report: what went
 * wrong, and the output's last lines, apart, so that `baseline: ab` can say between them which
 * tree the run was in and what to do (ab.ts). The message is the two together.
 */
export class ProfiledRunError extends BenchmarkError {
  constructor(
    readonly problem: string,
    readonly last: string
  ) {
    super(`${problem}. Last output:\n${last}`)
  }
}

/**
 * Runs the benchmark under nsys profile; returns the .nsys-rep path. When nsys fails before it
 * launched the benchmark, it is run once more, with a warning; twice, and the error says that
 * nsys failed, not the benchmark.
 */
export async function profile(
  run: RunProcess,
  nsys: Nsys,
  options: ProfileOptions
): Promise<string> {
  const started = Date.now()
  const args = profileArgs(options)
  const marker = `${options.output}.launched`
  const rep = `${options.output}.nsys-rep`
  options.log(`nsys ${args.map(quote).join(' ')}`)
  const attempt = async (): Promise<{ result: ProcessResult; launched: boolean }> => {
    await rm(marker, { force: true })
    // A report an attempt that failed before the launch left behind is not this attempt's.
    await rm(rep, { force: true })
    const result = await run(nsys.path, args, {
      cwd: options.cwd,
      env: { ...options.env, LC_ALL: 'C', [LAUNCH_MARK_VARIABLE]: marker },
      timeoutMs: options.timeoutMs,
      onLine: options.log
    })
    const launched = (await stat(marker).catch(() => undefined)) !== undefined
    await rm(marker, { force: true })
    return { result, launched }
  }
  let { result, launched } = await attempt()
  const failedEarly = (): boolean => !result.timedOut && result.code !== 0 && !launched
  if (failedEarly()) {
    ;(options.warn ?? options.log)(
      `nsys profile ${exitOf(result)} before it launched the benchmark: a failure of nsys, not of the benchmark (its agent can lose its connection while other nsys sessions start or end on this machine). Running it once more. Its last output:\n${result.tail.slice(-20).join('\n')}`
    )
    ;({ result, launched } = await attempt())
    if (failedEarly())
      throw new EnvironmentError(
        `nsys profile ${exitOf(result)} twice before it launched the benchmark: nsys failed, not the benchmark. Check that nsys runs on this runner (\`nsys profile true\`), and whether other nsys sessions run on it at the same time. Last output:\n${result.tail.slice(-20).join('\n')}`
      )
  }
  if (result.leftover)
    (options.warn ?? options.log)(leftoverWarning('the benchmark', result.leftover))
  const last = result.tail.slice(-20).join('\n')
  if (result.timedOut) {
    const minutes = Math.round(options.timeoutMs / 600) / 100
    // Stopped before the benchmark started: nsys hung (not run again, it took the whole limit).
    if (!launched)
      throw new EnvironmentError(
        `nsys profile had not launched the benchmark when timeout-minutes (${minutes} min) ran out, and was stopped: nsys hung or was too slow to start, not the benchmark (its agent can lose its connection while other nsys sessions start or end on this machine). Check that \`nsys profile true\` runs on this runner. Last output:\n${last}`
      )
    throw new ProfiledRunError(
      `the benchmark ran longer than timeout-minutes (${minutes} min) and was stopped`,
      last
    )
  }
  if (result.code !== 0)
    throw new ProfiledRunError(`the benchmark ${exitOf(result)} under nsys profile`, last)
  const info = await stat(rep).catch(() => undefined)
  if (!info || info.mtimeMs < started - 1000) {
    throw new ProfiledRunError(
      `nsys profile finished but wrote no fresh ${basename(rep)} (nsys may have failed to import the capture)`,
      last
    )
  }
  return rep
}

function exitOf(result: ProcessResult): string {
  return result.code === null
    ? `was killed by ${result.signal ?? 'a signal'}`
    : `exited with code ${result.code}`
}

/**
 * Exports the reports of one run as CSV files `<dir>/<base>_<report>.csv`. `csv:noconv` keeps
 * times in ns and sizes in bytes. nsys answers exit code 0 for an unknown report, a crashed report
 * and an output file it did not write (docs/nsys-notes.md "Exit codes and files"), so the files are
 * checked, not the code.
 */
export async function exportStats(
  run: RunProcess,
  nsys: Nsys,
  input: string,
  dir: string,
  base: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void
): Promise<StatsExport> {
  await mkdir(dir, { recursive: true })
  const attempt = async (
    names: readonly string[]
  ): Promise<{ stderr: string; stdout: string; code: number | null }> => {
    const args = [
      'stats',
      '--report',
      names.join(','),
      '--format',
      'csv:noconv',
      '--output',
      join(dir, base),
      '--force-overwrite=true'
    ]
    // --force-export re-exports a stale .sqlite beside a report; nsys refuses it for .sqlite input.
    if (!input.endsWith('.sqlite')) args.push('--force-export=true')
    args.push(input)
    log(`nsys ${args.map(quote).join(' ')}`)
    const result = await run(nsys.path, args, {
      env: { ...env, LC_ALL: 'C' },
      timeoutMs: 30 * 60_000,
      onLine: log
    })
    return { stderr: result.stderr, stdout: result.stdout, code: result.code }
  }
  const started = Date.now()
  let names: readonly string[] = REPORTS.map(([recent, old]) => (nsys.major >= 2023 ? recent : old))
  let result = await attempt(names)
  if (notFound(result.stderr).some((name) => !OPTIONAL_REPORTS.has(name)) && nsys.major >= 2023) {
    // A 2023.x build without the new names is unheard of, but nsys says so only on stderr.
    names = REPORTS.map(([, old]) => old)
    result = await attempt(names)
  }
  if (result.code !== 0) {
    throw new EnvironmentError(
      `nsys stats failed on ${quoted(input)} (exit code ${result.code}): ${quoted((result.stdout + result.stderr).trim().slice(-600), 600)}`
    )
  }
  // An optional report this nsys does not have: left out, with a note.
  const absent = new Set(notFound(result.stderr).filter((name) => OPTIONAL_REPORTS.has(name)))
  const errors = (result.stdout + '\n' + result.stderr)
    .split('\n')
    .filter((l) => /^\s*ERROR/.test(l))
    .filter((l) => ![...absent].some((name) => l.includes(`Report '${name}' could not be found`)))
  const files: string[] = []
  const missing: string[] = []
  const notes: Note[] = []
  const present = new Set(await readdir(dir))
  for (const name of names) {
    const file = `${base}_${name}.csv`
    const info = present.has(file) ? await stat(join(dir, file)) : undefined
    if (absent.has(name) && !info) {
      notes.push({
        code: 'report-not-available',
        severity: 'info',
        message: `nsys ${nsys.version} has no ${name} report: its NVTX table is left out (the NVTX projection reports need nsys 2022.4 or later)`
      })
      continue
    }
    if (!info || info.mtimeMs < started - 1000) missing.push(file)
    else files.push(join(dir, file))
  }
  if (missing.length > 0 || errors.length > 0) {
    throw new EnvironmentError(
      `nsys stats did not write fresh report files for ${quoted(input)}: ${missing.join(', ') || 'none missing'}` +
        (errors.length > 0
          ? `; nsys said: ${quoted(errors.map((e) => e.trim()).join(' / '), 600)}`
          : '')
    )
  }
  return { files, notes }
}

/** The reports nsys said it could not find (`ERROR: Report 'x' could not be found.`). */
function notFound(stderr: string): string[] {
  return [...stderr.matchAll(/Report '([\w]{1,100})' could not be found/g)].map((m) => m[1] ?? '')
}

/** Splits extra nsys arguments like a shell would, without running one (quotes, no expansion). */
export function splitArgs(text: string): string[] {
  const args: string[] = []
  let current = ''
  let quote: '"' | "'" | undefined
  let has = false
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined
      else current += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      has = true
    } else if (/\s/.test(ch)) {
      if (has || current) args.push(current)
      current = ''
      has = false
    } else {
      current += ch
    }
  }
  if (quote) throw new UsageError(`input nsys-args has an unterminated ${quote} quote`)
  if (has || current) args.push(current)
  return args
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}
