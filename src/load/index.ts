import { HISTORY_FILE } from '../history/model.js'
import { statSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { InputError } from '../errors.js'
import {
  allReportNames,
  assembleProfile,
  lookupReport,
  parseNsysStats,
  reportFileName,
  splitCaptures,
  type CaptureChoice,
  type StatsParseResult,
  type StatsParserOptions
} from '../parse/nsys/index.js'
import type { Note, Profile } from '../profile/model.js'
import { listed, quoted } from '../text.js'
import { TOOL } from '../version.js'
import { loadChromeTrace, loadChromeTraces } from './chrome-trace.js'
import {
  fsError,
  gunzipChunks,
  inspect,
  listDirectory,
  readChunks,
  regularFile,
  type Kind
} from './files.js'
import { readTraceInWorker } from './nsys-trace.js'
import { loadProfileJson } from './profile-json.js'
import { loadRocprof, loadRocprofv3Run } from './rocprof.js'
import { sniffFormat, type InputFormat } from './sniff.js'

/**
 * Input detection. One input is:
 * - a directory of `nsys stats --output` files (`<base>_<report>.csv`): one run per base name;
 * - a directory of profile JSONs written by nsys-bench: one run per file;
 * - a profile JSON;
 * - a single report file (`.csv`/`.tsv`/`.json`), or captured `nsys stats` output: one run, or
 *   one per capture with `captures: 'runs'`;
 * - a Chrome trace (PyTorch profiler, Perfetto JSON, rpd2tracing), plain or gzip: one run;
 * - a directory of Chrome traces (`*.json`, `*.json.gz`): one run, each trace one of its ranks
 *   (tensor parallelism writes one per rank; chrome-trace.ts loadChromeTraces). Traces given as
 *   files, not in one directory, are runs of their own (repetitions);
 * - rocprof / rocprofv3 CSV output (or text showing it): one run, or one per capture;
 * - rocprofv3's output directory (`-d`, its files under `<host>/`): one run (rocprof.ts
 *   loadRocprofv3Run), as the action's `profiler: rocprofv3` reads it.
 * A file's format is sniffed from its first bytes (sniff.ts) unless `format` names it.
 */
export interface LoadOptions extends CaptureChoice {
  /** The format of every input, instead of detecting it. */
  format?: InputFormat
  /**
   * Called now and then (every 1,024 rows) while a profile JSON is read: the reading of one is
   * synchronous, 25 to 200 ms of a large one. The CLI watches its heap there
   * (cli/young-generation.ts).
   */
  progress?: () => void
}

export async function loadInput(path: string, options: LoadOptions = {}): Promise<Profile[]> {
  const kind = inspect(path)
  if (kind === 'directory') {
    // Line numbers belong to one file: a directory's reports would each be cut at the same lines.
    if (options.lines)
      throw new InputError(
        `${quoted(path)} is a directory; --lines chooses lines of one nsys stats text: give the file whose lines you mean`
      )
    if (options.format === 'rocprofv3') {
      const found = await rocprofv3Files(path)
      if (!found.kernels)
        throw new InputError(
          `${quoted(path)} has no rocprofv3 kernel trace or kernel stats (<host>/<pid>_kernel_trace.csv, _kernel_stats.csv): give rocprofv3's output directory (-d), or its files`
        )
      return [await loadRocprofv3Dir(found)]
    }
    if (
      options.format !== undefined &&
      options.format !== 'nsys' &&
      options.format !== 'profile-json' &&
      options.format !== 'chrome'
    )
      throw new InputError(
        `${quoted(path)} is a directory; ${options.format} input is read from files: give each file (one run each)`
      )
    return loadDirectory(path, options)
  }
  const format =
    options.format ??
    (kind === 'report' || compressedReport(path, kind) ? 'nsys' : sniffFormat(path, kind))
  // Only Chrome traces are read compressed (nsys stats output says so in loadFile).
  if (kind === 'gzip' && format !== 'chrome' && format !== 'nsys')
    throw new InputError(
      `${quoted(path)} is gzip-compressed, and ${FORMAT_NAMES[format]} is read as plain text: decompress it (gunzip), or leave the format to be detected`
    )
  if (options.lines && format !== 'nsys')
    throw new InputError(
      `${quoted(path)} is ${FORMAT_NAMES[format]}; --lines chooses lines of nsys stats text`
    )
  switch (format) {
    case 'chrome':
      if (options.capture !== undefined && options.capture !== 1)
        throw new InputError(`${quoted(path)} is a Chrome trace: it holds one capture`)
      return [await loadChromeTrace(path)]
    case 'rocprof':
    case 'rocprofv3':
      return loadRocprof(path, options, options.format === undefined ? undefined : format)
    case 'profile-json':
      return [await loadProfileJson(path, options.progress)]
    case 'nsys':
      return loadFile(path, kind, options)
  }
}

/** How messages name each format. */
export const FORMAT_NAMES: Readonly<Record<InputFormat, string>> = {
  nsys: 'nsys stats output',
  chrome: 'a Chrome trace (PyTorch profiler, Perfetto, rpd2tracing)',
  rocprof: 'rocprof output',
  rocprofv3: 'rocprofv3 output',
  'profile-json': 'a profile JSON'
}

/**
 * A report file the action kept gzip-compressed (`run_cuda_gpu_trace.csv.gz`): nsys stats output
 * whatever gzip holds elsewhere (a Chrome trace), read through gunzip (readStatsFile).
 */
function compressedReport(path: string, kind: Kind): boolean {
  return kind === 'gzip' && reportFileName(basename(path), allReportNames())?.compressed === true
}

/**
 * Several report files of one run (`summarize a_cuda_gpu_kern_sum.csv a_cuda_api_sum.csv`), or
 * one input of any kind that holds exactly one run.
 */
export async function loadRun(
  paths: readonly string[],
  options: LoadOptions = {}
): Promise<Profile> {
  // Advice for a text of several captures leaves out `--captures runs`: one run is wanted here.
  options = { ...options, oneRun: true }
  if (paths.length === 1 && paths[0] !== undefined) {
    const runs = await loadInput(paths[0], options)
    if (runs.length !== 1 || !runs[0]) {
      throw new InputError(
        `${quoted(paths[0])} holds ${runs.length} runs; give one run (compare takes several per side)`
      )
    }
    return runs[0]
  }
  const results: StatsParseResult[] = []
  for (const path of paths) {
    const kind = inspect(path)
    if (kind === 'directory')
      throw new InputError(
        `${quoted(path)} is a directory; to read one run from several inputs, give files`
      )
    const compressed = compressedReport(path, kind)
    const format =
      options.format ??
      (kind === 'text' ? sniffFormat(path, kind) : compressed ? 'nsys' : undefined)
    if ((kind !== 'text' && !compressed) || format !== 'nsys')
      throw new InputError(
        `${quoted(path)} is ${format ? FORMAT_NAMES[format] : 'not nsys stats output'}; only nsys report files combine into one run (give one input for one run)`
      )
    results.push(oneCapture(splitCaptures(await readStatsFile(path, options), options), path))
  }
  return assembleProfile(results, TOOL, paths.join(', '))
}

/**
 * The report files of one run hold one capture each. With `--captures runs` a file may split
 * into several, which would mix captures into one run: refused.
 */
function oneCapture(parts: StatsParseResult[], path: string): StatsParseResult {
  const [part] = parts
  if (parts.length === 1 && part) return part
  throw new InputError(
    `${quoted(path)} holds ${parts.length} captures, and it is one of several report files read as one run: ` +
      'captures are never mixed. Choose one with --capture N.'
  )
}

/**
 * Files read at once by inOrder. Each holds two read buffers of 256 KiB (files.ts, readChunks),
 * which the free list keeps for the rest of the process: eight at once, for each side of a
 * compare, held 8.6 MB; four read as fast (the files come from the page cache, and parsing, not
 * reading, is the work) and hold half that.
 */
const CONCURRENT_FILES = 4

/**
 * `work` on every item, `limit` at a time, the results in the items' order. When some
 * fail, the first failing item's error is thrown, whichever failed first in time: the error a
 * user sees does not depend on timing.
 */
export async function inOrder<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  limit = CONCURRENT_FILES
): Promise<R[]> {
  const results = new Array<R>(items.length)
  // The first failing item: items after it are not started (their errors could not be shown).
  let failed: { at: number; error: unknown } | undefined
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length && (failed === undefined || next < failed.at)) {
      const i = next++
      try {
        results[i] = await work(items[i] as T)
      } catch (error) {
        if (failed === undefined || i < failed.at) failed = { at: i, error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failed) throw failed.error
  return results
}

async function loadDirectory(dir: string, options: LoadOptions): Promise<Profile[]> {
  const names = listDirectory(dir)
  const known = allReportNames()
  const bases = new Map<string, string[]>()
  const profiles: string[] = []
  const traces: string[] = []
  // `--input-format nsys` or `profile-json` names what the directory holds: no trace is looked for.
  const named = options.format === 'nsys' || options.format === 'profile-json'
  const reports: string[] = []
  const ignored: string[] = []
  // Files no branch reads (a README, a `.bak`, a report file's copy `… (1).csv`): each is said.
  const stray: string[] = []
  // A report kept both plain and compressed (a trace decompressed beside its .csv.gz): read once.
  const plain = new Set(names)
  const duplicates: string[] = []
  for (const name of names) {
    const file = reportFileName(name, known)
    if (file) {
      if (lookupReport(file.report).kind !== 'used') {
        ignored.push(name)
        continue
      }
      if (file.compressed && plain.has(name.slice(0, -3))) {
        duplicates.push(name)
        continue
      }
      const list = bases.get(file.base) ?? []
      list.push(name)
      bases.set(file.base, list)
    } else if (name === HISTORY_FILE) {
      // A baseline artifact's history (docs/history.md), beside its profiles: not a run. The CLI
      // reads it with --history; the action with the baseline.
      continue
    } else if (/\.json\.gz$/i.test(name) && !named) {
      traces.push(name)
    } else if (extname(name).toLowerCase() === '.json') {
      profiles.push(name)
    } else if (/\.(nsys-rep|qdrep|sqlite)$/.test(name)) {
      reports.push(name)
    } else {
      stray.push(name)
    }
  }
  /** The notes of the files not read, for every run read from the directory. */
  const unread = (runBases: ReadonlySet<string>): Note[] =>
    unreadNotes(dir, names, known, {
      stray,
      reports,
      // Files of a base no run has: no run would say them otherwise.
      unused: [...ignored, ...duplicates].filter(
        (name) => !runBases.has(reportFileName(name, known)?.base ?? '')
      )
    })
  // JSON files are profile JSONs or Chrome traces, told by their first bytes.
  if (profiles.length > 0 && (options.format === 'chrome' || (!named && bases.size === 0))) {
    const formats = profiles.map((name) => {
      const path = join(dir, name)
      const kind = inspect(path)
      return kind === 'json' || kind === 'text' || kind === 'gzip'
        ? sniffFormat(path, kind)
        : undefined
    })
    const chrome = profiles.filter((_, i) => formats[i] === 'chrome')
    traces.push(...chrome)
    profiles.splice(0, profiles.length, ...profiles.filter((_, i) => formats[i] !== 'chrome'))
  }
  if (traces.length > 0) {
    if (bases.size > 0 || profiles.length > 0)
      throw new InputError(
        `${quoted(dir)} holds Chrome traces (${listed(traces.sort(), 3, (t) => quoted(t))}) and ${bases.size > 0 ? 'nsys stats files' : `profile JSONs (${listed(profiles, 3, (p) => quoted(p))})`}: a directory of traces is one run, one trace per rank; keep one kind per directory`
      )
    const run = await loadChromeTraces(traces.sort().map((name) => join(dir, name)))
    run.meta.notes.push(...unread(new Set()))
    return [run]
  }
  if (options.format === 'chrome')
    throw new InputError(
      `${quoted(dir)} has no Chrome trace (*.json, *.json.gz): a directory of traces is one run, one trace per rank`
    )
  if (bases.size > 0 && profiles.length > 0) {
    throw new InputError(
      `${quoted(dir)} holds both nsys stats files and JSON files (${profiles
        .slice(0, 3)
        .map((p) => quoted(p))
        .join(', ')}); keep one kind per directory`
    )
  }
  // Two at a time: a profile JSON is read whole before it is parsed, so more at once would only
  // hold more text in memory.
  if (profiles.length > 0) {
    const runs = await inOrder(
      profiles,
      (name) => loadProfileJson(join(dir, name), options.progress),
      2
    )
    const notes = unread(new Set())
    for (const run of runs) run.meta.notes.push(...notes.map((n) => ({ ...n })))
    return runs
  }
  if (bases.size === 0 && !named) {
    // rocprofv3's output directory (-d): one run, its files per process under <host>/.
    const rocprof = await rocprofv3Files(dir)
    if (rocprof.kernels) return [await loadRocprofv3Dir(rocprof)]
  }
  if (bases.size === 0) {
    const hint =
      reports.length > 0
        ? ` It has ${reports
            .slice(0, 3)
            .map((r) => quoted(r))
            .join(', ')}: turn a report into stats files with ` +
          '`LC_ALL=C nsys stats --force-export=true --force-overwrite=true --format csv:noconv ' +
          '--report cuda_gpu_kern_sum,cuda_api_sum,cuda_gpu_mem_time_sum,cuda_gpu_mem_size_sum,nvtx_sum,osrt_sum ' +
          '--output <dir>/run <report>.nsys-rep` (the action does this for you).'
        : ''
    throw new InputError(
      `${quoted(dir)} has no nsys stats output files (<base>_<report>.csv, e.g. run_cuda_gpu_kern_sum.csv) and no profile JSON.${hint}`
    )
  }
  // Every file of every run at once (a few at a time): a run's files are small, and reading them
  // one after another leaves the process waiting on the disk between them.
  const files = [...bases.values()].flat()
  const parsed = await inOrder(files, async (name) => {
    const path = join(dir, name)
    regularFile(path)
    return oneCapture(splitCaptures(await readStatsFile(path), options), path)
  })
  const runs: Profile[] = []
  const notes = unread(new Set(bases.keys()))
  let next = 0
  for (const [base, names] of bases) {
    // `parsed` is in the order of `files`: each base's files, base after base.
    const results = parsed.slice(next, (next += names.length))
    const profile = assembleProfile(results, TOOL, `${join(dir, base)}_*`)
    for (const name of ignored) {
      if (name.startsWith(`${base}_`))
        profile.meta.notes.push({
          code: 'file-ignored',
          severity: 'info',
          message: `${join(dir, name)}: not a report nsys-bench reads; ignored`
        })
    }
    for (const name of duplicates) {
      if (name.startsWith(`${base}_`))
        profile.meta.notes.push({
          code: 'file-ignored',
          severity: 'info',
          message: `${join(dir, name)}: the same report as ${join(dir, name.slice(0, -3))} beside it, which is read; ignored`
        })
    }
    profile.meta.notes.push(...notes.map((n) => ({ ...n })))
    runs.push(profile)
  }
  return runs
}

/**
 * `file-ignored` notes for the files of an input directory that no run reads (`history.json.gz`
 * is the baseline's history, read on its own, and gets none). A name that is a report file's
 * but for a copy's suffix (`run_cuda_gpu_kern_sum (1).csv`, `… - Copy.csv`) or its case
 * (`.CSV`) is a warning that says the name to give it: a run may be missing.
 */
function unreadNotes(
  dir: string,
  names: readonly string[],
  known: readonly string[],
  files: { stray: readonly string[]; reports: readonly string[]; unused: readonly string[] }
): Note[] {
  const notes: Note[] = []
  const present = new Set(names)
  for (const name of files.stray) {
    const path = join(dir, name)
    const fixed = reportLikeName(name, known)
    if (fixed === undefined) {
      notes.push({
        code: 'file-ignored',
        severity: 'info',
        message: isDirectory(path)
          ? `${path}: a directory inside an input directory, not looked into; ignored`
          : `${path}: not a file nsys-bench reads in an input directory (nsys stats files <base>_<report>.csv, profile JSONs *.json, Chrome traces *.json or *.json.gz); ignored`
      })
      continue
    }
    notes.push({
      code: 'file-ignored',
      severity: 'warning',
      message: present.has(fixed)
        ? `${path}: named like the report file ${fixed} beside it (a copy?), and not read: if it holds another run, rename it with a base name of its own (<base>_<report>.csv, as nsys stats --output writes it)`
        : `${path}: named like a report file, but not as nsys stats --output names one (a copy's suffix, or an extension in capitals?), so it was not read: rename it to ${fixed} to read it`
    })
  }
  for (const name of files.reports)
    notes.push({
      code: 'file-ignored',
      severity: 'info',
      message: `${join(dir, name)}: an Nsight Systems report, not read (nsys-bench reads the stats exported from it with nsys stats); ignored`
    })
  for (const name of files.unused)
    notes.push({
      code: 'file-ignored',
      severity: 'info',
      message: `${join(dir, name)}: not a report nsys-bench reads, and no run of its base name was read; ignored`
    })
  return notes
}

/** Whether `path` is a directory (false where it cannot be looked at: a note, not an error). */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * The report file name that `name` would be without a copy's suffix (` (1)`, ` - Copy`,
 * ` copy 2`) and with its extension and report name in lower case, where that names a report
 * the parser reads; undefined otherwise.
 */
function reportLikeName(name: string, known: readonly string[]): string | undefined {
  const m =
    /^(.+?)(?: \(\d+\)| - Copy(?: \(\d+\))?| copy(?: \d+)?)?(\.(?:csv|tsv|json)(?:\.gz)?)$/i.exec(
      name
    )
  if (!m) return undefined
  const fixed = `${m[1]!}${m[2]!.toLowerCase()}`
  const read = (candidate: string): boolean => {
    const file = reportFileName(candidate, known)
    return file !== undefined && lookupReport(file.report).kind === 'used'
  }
  if (fixed !== name && read(fixed)) return fixed
  // The report's name in capitals (`RUN_CUDA_GPU_KERN_SUM.csv`): the base keeps its case.
  const lower = fixed.toLowerCase()
  const file = reportFileName(lower, known)
  if (!file || lower.length !== fixed.length || !read(lower)) return undefined
  const renamed = `${fixed.slice(0, file.base.length)}${lower.slice(file.base.length)}`
  return renamed === name ? undefined : renamed
}

/**
 * rocprofv3 writes `<dir>/<host>/<pid>_kernel_trace.csv`: files are looked for two levels down at
 * most. Every file found is given to loadRocprofv3Run, which reads some and says the others
 * (`file-ignored`); `kernels` tells whether any is a kernel file (or counter collection, which it
 * refuses saying why), i.e. whether this is rocprofv3's output at all. A directory deeper down,
 * or an entry that is not a regular file, gets its `file-ignored` note here.
 */
async function rocprofv3Files(
  dir: string
): Promise<{ files: string[]; kernels: boolean; notes: Note[] }> {
  const files: string[] = []
  const notes: Note[] = []
  const walk = async (at: string, depth: number): Promise<void> => {
    let entries
    try {
      entries = await readdir(at, { withFileTypes: true })
    } catch (error) {
      throw fsError(at, error)
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(at, e.name)
      if (e.isFile()) files.push(path)
      else if (e.isDirectory() && depth < 2) await walk(path, depth + 1)
      else
        notes.push({
          code: 'file-ignored',
          severity: 'info',
          message: e.isDirectory()
            ? `${path}: a directory deeper inside a rocprofv3 output directory than rocprofv3 writes (<dir>/<host>/<pid>_…), not looked into; ignored`
            : `${path}: not a regular file (a link, a pipe, …), not read in a rocprofv3 output directory; ignored`
        })
    }
  }
  await walk(dir, 0)
  const kernels = files.some((f) =>
    /_(?:kernel_trace|kernel_stats|counter_collection)\.csv$/i.test(f)
  )
  return { files, kernels, notes }
}

/** rocprofv3's output directory as one run: its files read, and the entries not looked at said. */
async function loadRocprofv3Dir(found: {
  files: readonly string[]
  notes: readonly Note[]
}): Promise<Profile> {
  const run = await loadRocprofv3Run(found.files)
  run.meta.notes.push(...found.notes)
  return run
}

async function loadFile(
  path: string,
  kind: Exclude<Awaited<ReturnType<typeof inspect>>, 'directory'>,
  options: LoadOptions
): Promise<Profile[]> {
  if (kind === 'gzip' && !compressedReport(path, kind))
    throw new InputError(
      `${quoted(path)} is gzip-compressed, and nsys stats output is plain text unless its name is a report file's (<base>_<report>.csv.gz, as the action keeps GPU traces); if it is a PyTorch profiler or Perfetto trace, read it as one (--input-format chrome, or no --input-format).`
    )
  switch (kind) {
    case 'report':
      throw new InputError(
        `${quoted(path)} is an Nsight Systems report, not stats output. Export its stats first: ` +
          '`LC_ALL=C nsys stats --force-export=true --force-overwrite=true --format csv:noconv ' +
          '--report cuda_gpu_kern_sum,cuda_api_sum,cuda_gpu_mem_time_sum,cuda_gpu_mem_size_sum,nvtx_sum,osrt_sum ' +
          '--output out/run <report>` and pass the out/ directory (the action does this for you).'
      )
    case 'json':
      // Named nsys stats output by the user: a profile JSON is not read as what it is.
      if (options.format === 'nsys')
        throw new InputError(
          `${quoted(path)} is a profile JSON, not nsys stats output: name it profile-json (--input-format, profile-format), or leave the format to be detected`
        )
      if (options.lines)
        throw new InputError(
          `${quoted(path)} is a profile JSON; --lines chooses lines of nsys stats text`
        )
      return [await loadProfileJson(path, options.progress)]
    // A report file the action kept compressed: read as text, through gunzip (readStatsFile).
    case 'gzip':
    case 'text': {
      const parts = splitCaptures(await readStatsFile(path, options), options)
      return parts.map((part) => assembleProfile([part], TOOL, part.source))
    }
  }
}

/** Reads one file of nsys stats text (a report file or captured output), or some of its lines. */
export async function readStatsFile(
  path: string,
  options: LoadOptions = {}
): Promise<StatsParseResult> {
  const name = basename(path)
  const file = reportFileName(name, allReportNames())
  const strict = file && file.ext !== 'json' ? true : /\.(csv|tsv)$/i.test(name) ? 'auto' : false
  const parserOptions: StatsParserOptions = {
    source: path,
    strict: options.lines ? false : strict,
    ...(file ? { report: { name: file.report, variant: file.variant } } : {})
  }
  // A large GPU trace: its rows are read in a worker (nsys-trace.ts), where that applies; the
  // worker reads byte ranges of a plain file, so a compressed one is read here.
  const compressed = file?.compressed === true
  const inWorker =
    options.lines || compressed ? undefined : await readTraceInWorker(path, parserOptions)
  return (
    inWorker ??
    parseNsysStats(compressed ? gunzipChunks(path) : readChunks(path), {
      ...parserOptions,
      ...(options.lines ? { lines: options.lines } : {})
    })
  )
}
