import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { basename, join, relative, resolve } from 'node:path'
import { BenchmarkError, EnvironmentError, InputError } from '../errors.js'
import { loadChromeTraces } from '../load/chrome-trace.js'
import { loadInput } from '../load/index.js'
import { loadRocprofv3Run } from '../load/rocprof.js'
import type { Profile } from '../profile/model.js'
import { listed, quoted } from '../text.js'
import type { Inputs } from './inputs.js'
import { leftoverWarning, type RunProcess } from './process.js'
import type { Rocprofv3Version } from './rocprofv3.js'

/**
 * The benchmarks profiled without nsys:
 * - `profiler: torch`: the command runs plainly and writes its PyTorch profiler traces into a
 *   fresh directory the action owns for each profiled run (NSYS_BENCH_TRACE_DIR, and the
 *   variables of `trace-dir-env`), under the report directory so that they are archived with
 *   it; one trace, or one per rank, read as one run;
 * - `profiler: rocprofv3`: the command runs under `rocprofv3 --kernel-trace --stats` with an
 *   output directory the action owns (under the report directory), whose kernel traces are read;
 *   rocprofv3's version (asked once before the runs: rocprofv3.ts) goes into each profile;
 * - `profiler: none`: the command runs plainly and writes its profile at `profile-path`, which
 *   is copied into the report directory after each run.
 */

/** The variable that tells a `profiler: torch` benchmark where to write its traces. */
export const TRACE_DIR_ENV = 'NSYS_BENCH_TRACE_DIR'

/** The files read as traces: PyTorch profiler / Kineto (`*.pt.trace.json(.gz)`) and any JSON. */
const TRACE_FILE = /\.json(?:\.gz)?$/i

export interface SelfProfiledOptions {
  run: RunProcess
  inputs: Inputs
  /** the workspace: working-directory and profile-path are relative to it */
  workspace: string
  /** the action's temp directory (warm-up trace directories, removed after each warm-up) */
  temp: string
  reportDir: string
  /** the benchmark's environment (childEnvironment) */
  env: NodeJS.ProcessEnv
  log: (line: string) => void
  /** A warning for the workflow (processes the benchmark left running); `log` when absent. */
  warn?: (message: string) => void
  group: <T>(title: string, body: () => Promise<T>) => Promise<T>
  /**
   * `profiler: rocprofv3`: its version, asked once before the runs (findRocprofv3Version):
   * recorded in each profile's meta, or its note when unknown.
   */
  rocprofv3Version?: Rocprofv3Version
}

/** Warm-up runs, then `repetitions` runs, each read as one profile. */
export async function selfProfiledRuns(o: SelfProfiledOptions): Promise<Profile[]> {
  const { inputs } = o
  const cwd = resolve(o.workspace, inputs.workingDirectory)
  for (let w = 1; w <= inputs.warmupRuns; w++) {
    await o.group(`Warm-up run ${w} of ${inputs.warmupRuns} (not profiled, not kept)`, async () => {
      if (inputs.profiler !== 'torch') return runBenchmark(o, cwd, o.env, `warm-up run ${w}`)
      // The same environment as a profiled run, so that a command that writes its trace there
      // works alike; what it writes is thrown away.
      await mkdir(o.temp, { recursive: true })
      const dir = await mkdtemp(join(o.temp, 'nsys-bench-warmup-'))
      try {
        await runBenchmark(o, cwd, traceEnv(o, dir), `warm-up run ${w}`)
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    })
  }
  const profiles: Profile[] = []
  for (let i = 1; i <= inputs.repetitions; i++)
    profiles.push(...(await selfProfiledRun(o, i, String(inputs.repetitions))))
  return profiles
}

/** Profiled run `i` (of `of`, for its title), read as one profile. */
export async function selfProfiledRun(
  o: SelfProfiledOptions,
  i: number,
  of: string
): Promise<Profile[]> {
  const { inputs } = o
  const cwd = resolve(o.workspace, inputs.workingDirectory)
  const profiles: Profile[] = []
  await o.group(`Profiled run ${i} of ${of} (profiler: ${inputs.profiler})`, () =>
    inputs.profiler === 'torch'
      ? torchRun(o, cwd, i, profiles)
      : inputs.profiler === 'rocprofv3'
        ? rocprofRun(o, cwd, i, profiles)
        : plainRun(o, cwd, i, profiles)
  )
  for (const p of profiles) p.meta.command = inputs.command
  return profiles
}

function traceEnv(o: SelfProfiledOptions, dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...o.env, [TRACE_DIR_ENV]: dir }
  for (const name of o.inputs.traceDirEnv) env[name] = dir
  return env
}

async function torchRun(
  o: SelfProfiledOptions,
  cwd: string,
  i: number,
  profiles: Profile[]
): Promise<void> {
  const dir = join(o.reportDir, 'traces', `run-${i}`)
  await mkdir(dir, { recursive: true })
  const names = [TRACE_DIR_ENV, ...o.inputs.traceDirEnv.filter((n) => n !== TRACE_DIR_ENV)]
  o.log(`${names.join(', ')}=${dir}`)
  await runBenchmark(o, cwd, traceEnv(o, dir), `profiled run ${i}`)
  const { files, odd } = await entriesUnder(dir)
  const traces = files.filter((f) => TRACE_FILE.test(f))
  const others = files.filter((f) => !TRACE_FILE.test(f))
  const shown = (list: string[]): string => listed(list, 10, (f) => quoted(f, 120))
  if (odd.length > 0) {
    // A link (or anything but a file) is neither read nor archived: the action reads what the run
    // wrote into its directory, not what a link points to.
    throw new BenchmarkError(
      `profiled run ${i} left ${shown(odd)} in ${quoted(dir, 300)}, which ${odd.length === 1 ? 'is not a regular file' : 'are not regular files'} (a symbolic link?): write the trace itself there, not a link to it`
    )
  }
  if (others.length > 0)
    o.log(`not read (not *.json or *.json.gz), archived with the report: ${shown(others)}`)
  if (traces.length === 0) {
    throw new BenchmarkError(
      `profiled run ${i} wrote no trace: nothing ending in .json or .json.gz is in ${quoted(dir, 300)}` +
        (others.length > 0 ? ` (it holds ${shown(others)})` : ' (it is empty)') +
        `. With profiler: torch the command must write its PyTorch profiler trace into the directory named by $${TRACE_DIR_ENV}` +
        ` (e.g. torch.profiler.tensorboard_trace_handler(os.environ["${TRACE_DIR_ENV}"]), or prof.export_chrome_trace into it)` +
        ', or name the variable your framework reads in `trace-dir-env` (e.g. VLLM_TORCH_PROFILER_DIR).'
    )
  }
  if (traces.length > 1) {
    // The ranks of one run (tensor parallelism writes one trace per rank): one profile, each
    // rank's GPU a device of the timeline. Two traces of one rank (several profiler cycles) are
    // refused by the loader, naming them.
    o.log(`reading ${traces.length} traces as the ranks of one run: ${shown(traces)}`)
    try {
      profiles.push(await loadChromeTraces(traces.map((t) => join(dir, t))))
    } catch (error) {
      if (error instanceof InputError)
        throw new InputError(
          `profiled run ${i} wrote ${traces.length} traces into ${quoted(dir, 300)}, read as the ranks of one run: ${error.message}`,
          undefined,
          { cause: error }
        )
      throw error
    }
    return
  }
  const [trace] = traces as [string]
  o.log(`reading ${quoted(trace, 300)}`)
  const read = await loadInput(join(dir, trace))
  profiles.push(...one(read, trace, i))
}

/** What `profiler: rocprofv3` runs the command under (docs/rocprof.md "In the action"). */
export function rocprofArgs(dir: string, command: string): string[] {
  return [
    '--kernel-trace',
    '--stats',
    '--output-format',
    'csv',
    '-d',
    dir,
    '--',
    'bash',
    '-c',
    command
  ]
}

async function rocprofRun(
  o: SelfProfiledOptions,
  cwd: string,
  i: number,
  profiles: Profile[]
): Promise<void> {
  const dir = join(o.reportDir, 'rocprofv3', `run-${i}`)
  await mkdir(dir, { recursive: true })
  const args = rocprofArgs(dir, o.inputs.command)
  o.log(`${o.inputs.rocprofv3} ${args.slice(0, -1).join(' ')} <command>`)
  await runBenchmark(o, cwd, o.env, `profiled run ${i}`, [o.inputs.rocprofv3, args])
  const { files, odd } = await entriesUnder(dir)
  if (odd.length > 0)
    throw new BenchmarkError(
      `profiled run ${i}: rocprofv3 left ${listed(odd, 10, (f) => quoted(f, 120))} in ${quoted(dir, 300)}, which ${odd.length === 1 ? 'is not a regular file' : 'are not regular files'}; nsys-bench reads only files rocprofv3 wrote itself`
    )
  o.log(`reading the kernel traces (else kernel stats) of ${files.length} files rocprofv3 wrote`)
  try {
    const p = await loadRocprofv3Run(files.map((f) => join(dir, f)))
    const { version, note } = o.rocprofv3Version ?? {}
    if (version !== undefined) p.meta.profiler.version = version
    if (note) p.meta.notes.push({ ...note })
    profiles.push(p)
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(`profiled run ${i}: ${error.message}`, undefined, { cause: error })
    throw error
  }
}

async function plainRun(
  o: SelfProfiledOptions,
  cwd: string,
  i: number,
  profiles: Profile[]
): Promise<void> {
  const given = o.inputs.profilePaths[0] ?? ''
  const path = resolve(o.workspace, given)
  const before = await filesOf(path)
  const started = Date.now()
  await runBenchmark(o, cwd, o.env, `profiled run ${i}`)
  const after = await filesOf(path)
  if (after === undefined) {
    throw new BenchmarkError(
      `profiled run ${i} finished, but profile-path ${quoted(given, 300)} does not exist (looked at ${quoted(path, 300)}): with profiler: none the command must write its profile there`
    )
  }
  // Reading what an earlier run, a warm-up or another step left would compare one profile twice
  // (or an old one as new): every file there must have been written during this run. A file the
  // run did not touch keeps its modification time, size and inode; one older than the run's start
  // (a second's leeway for coarse clocks) was copied in with its time, or left from before.
  const stale = [...after].filter(([file, now]) => {
    const was = before?.get(file)
    return now.mtimeMs < started - 1000 || (was !== undefined && sameFile(was, now))
  })
  if (stale.length > 0) {
    const [file, info] = stale[0]!
    const where =
      file === ''
        ? ''
        : ` (${stale.length} of its ${after.size} files, such as ${quoted(file, 200)})`
    throw new BenchmarkError(
      `profiled run ${i} finished, but profile-path ${quoted(given, 300)} was not written during it${where}: last changed ${new Date(info.mtimeMs).toISOString()}, the run started ${new Date(started).toISOString()}. With profiler: none the command must write a fresh profile there on every run (warm-up runs included); for a directory, have the command empty it first`
    )
  }
  // Archived as read, before reading: a profile that cannot be read is kept for a look.
  const copy = join(o.reportDir, 'profile-path', `run-${i}`, basename(path))
  await mkdir(join(o.reportDir, 'profile-path', `run-${i}`), { recursive: true })
  await cp(path, copy, { recursive: true })
  o.log(`reading ${quoted(given, 300)} (copied to ${quoted(relative(o.reportDir, copy), 300)})`)
  const format = o.inputs.profileFormat
  profiles.push(...one(await loadInput(copy, format ? { format } : {}), given, i))
}

function one(read: Profile[], name: string, i: number): Profile[] {
  if (read.length !== 1) {
    throw new BenchmarkError(
      `profiled run ${i}: ${quoted(name, 300)} holds ${read.length} runs; each run of the command must leave one profile`
    )
  }
  return read
}

async function runBenchmark(
  o: SelfProfiledOptions,
  cwd: string,
  env: NodeJS.ProcessEnv,
  what: string,
  /** The program that runs the command (rocprofv3 and its arguments); else `bash -c` itself. */
  under?: [string, string[]]
): Promise<void> {
  const timeoutMs = o.inputs.timeoutMinutes * 60_000
  const [program, args] = under ?? ['bash', ['-c', o.inputs.command]]
  let result
  try {
    result = await o.run(program, args, { cwd, env, timeoutMs, onLine: o.log })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (under && (code === 'ENOENT' || code === 'EACCES'))
      throw new EnvironmentError(
        `${program === 'rocprofv3' ? program : quoted(program, 300)} ${code === 'ENOENT' ? (program.includes('/') ? 'was not found' : 'was not found on PATH') : 'is not executable'}: profiler: ${o.inputs.profiler} runs the command under it. Install ROCm's rocprofiler-sdk on the runner and put its bin directory (/opt/rocm/bin) on PATH, e.g. in an earlier step: echo /opt/rocm/bin >> "$GITHUB_PATH"; or give its path in the rocprofv3 input`,
        { cause: error }
      )
    throw error
  }
  if (result.leftover)
    (o.warn ?? o.log)(`${what}: ${leftoverWarning('the benchmark', result.leftover)}`)
  const last = result.tail.slice(-20).join('\n')
  if (result.timedOut) {
    throw new BenchmarkError(
      `${what} ran longer than timeout-minutes (${o.inputs.timeoutMinutes} min) and was stopped. Last output:\n${last}`
    )
  }
  if (result.code !== 0) {
    const how =
      result.code === null
        ? `was killed by ${result.signal ?? 'a signal'}`
        : `exited with code ${result.code}`
    throw new BenchmarkError(
      `the benchmark${under ? ` (under ${under[0]}, whose own failure ends it alike)` : ''} ${how} in ${what}. Last output:\n${last}`
    )
  }
}

/**
 * The regular files under `dir`, and whatever else is there but directories (links, sockets),
 * relative to it and sorted: subdirectories included, nothing is missed.
 */
async function entriesUnder(dir: string): Promise<{ files: string[]; odd: string[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const name = (e: (typeof entries)[number]): string => relative(dir, join(e.parentPath, e.name))
  return {
    files: entries
      .filter((e) => e.isFile())
      .map(name)
      .sort(),
    odd: entries
      .filter((e) => !e.isFile() && !e.isDirectory())
      .map(name)
      .sort()
  }
}

interface FileState {
  mtimeMs: number
  size: number
  ino: number
}

/**
 * The file at `path` (keyed `''`), or each regular file under the directory at `path` (keyed by
 * its path inside it), with what tells a rewrite: undefined where there is nothing.
 */
async function filesOf(path: string): Promise<Map<string, FileState> | undefined> {
  const info = await stat(path).catch(() => undefined)
  if (!info) return undefined
  const state = (s: FileState): FileState => ({ mtimeMs: s.mtimeMs, size: s.size, ino: s.ino })
  if (!info.isDirectory()) return new Map([['', state(info)]])
  const out = new Map<string, FileState>()
  for (const file of (await entriesUnder(path)).files)
    out.set(file, state(await stat(join(path, file))))
  return out
}

const sameFile = (a: FileState, b: FileState): boolean =>
  a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino
