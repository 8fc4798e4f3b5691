import { basename } from 'node:path'
import { InputError } from '../errors.js'
import type { CaptureChoice } from '../parse/nsys/index.js'
import { forEachLine } from '../parse/lines.js'
import { RocprofParser, type RocprofCapture, type RocprofResult } from '../parse/rocprof/parser.js'
import {
  emptyMeta,
  TABLE_NAMES,
  TABLES,
  type Note,
  type Profile,
  type Table
} from '../profile/model.js'
import { addRow } from '../profile/stat.js'
import type { KernelLaunches } from '../profile/timeline.js'
import { clip, listed, quoted, visible } from '../text.js'
import { TOOL } from '../version.js'
import { readChunks, regularFile } from './files.js'

/**
 * rocprof v1 stats, rocprofv3 stats and rocprofv3 kernel traces (CSV files, or text showing
 * them): one run per capture, chosen as for nsys stats text (`--capture N`, `--captures runs`).
 * See docs/rocprof.md.
 */
export async function loadRocprof(
  path: string,
  choice: CaptureChoice = {},
  /** The version the user named (`--input-format`): output of the other is refused. */
  expect?: 'rocprof' | 'rocprofv3'
): Promise<Profile[]> {
  regularFile(path)
  const parser = new RocprofParser(path, basename(path))
  await forEachLine(
    readChunks(path),
    { text: (line, lineNo) => parser.push(line, lineNo) },
    { source: path }
  )
  const result = parser.finish()
  const other = result.captures.find((c) => expect !== undefined && c.profiler !== expect)
  if (other)
    throw new InputError(
      `holds ${other.profiler} output (lines ${other.first}–${other.last}), not ${expect}: name the format it is (--input-format ${other.profiler}), or let nsys-bench detect it`,
      { file: path }
    )
  return chooseCaptures(result, choice).map((capture) => rocprofProfile(result, capture))
}

function chooseCaptures(result: RocprofResult, choice: CaptureChoice): RocprofCapture[] {
  const { captures, source } = result
  if (captures.length === 0) {
    // A table of a kind that is not read (a counter collection, domain stats): said first, with
    // the file to give instead.
    const refused = result.notes.filter((n) => n.code === 'table-not-read')
    if (refused.length > 0)
      throw new InputError(
        `holds no table nsys-bench reads: ${refused
          .slice(0, 3)
          .map((n) => n.message)
          .join('; ')}${refused.length > 3 ? `; and ${refused.length - 3} more` : ''}`,
        { file: source }
      )
    const why = result.notes.map((n) => n.message).join('; ')
    throw new InputError(
      `found no rocprof table: nsys-bench reads rocprof's results.stats.csv ` +
        '("Name","Calls","TotalDurationNs","AverageNs","Percentage"), rocprofv3\'s *_kernel_stats.csv and *_kernel_trace.csv' +
        (why ? `. What the input shows: ${why}` : ''),
      { file: source }
    )
  }
  if (choice.lines)
    throw new InputError('--lines chooses lines of nsys stats text, not of rocprof output', {
      file: source
    })
  if (choice.capture !== undefined) {
    const capture = captures[choice.capture - 1]
    if (!capture)
      throw new InputError(
        `there is no capture ${choice.capture}: the input holds ${captures.length} (${describe(captures)})`,
        { file: source }
      )
    return [capture]
  }
  if (captures.length === 1 || choice.captures === 'runs') return captures
  throw new InputError(
    `holds ${captures.length} captures of rocprof output (${describe(captures)}): tables of the same kind from different runs (or processes); ` +
      `nsys-bench never mixes them. Choose one with \`--capture N\`${choice.oneRun ? '' : ', or read each as one run with `--captures runs`'}.`,
    { file: source }
  )
}

function describe(captures: readonly RocprofCapture[]): string {
  const shown = captures
    .slice(0, 10)
    .map((c, i) => `${i + 1}: lines ${c.first}–${c.last}`)
    .join(', ')
  return captures.length > 10 ? `${shown}, …` : shown
}

function rocprofProfile(result: RocprofResult, capture: RocprofCapture): Profile {
  const meta = emptyMeta(TOOL)
  meta.profiler = { name: capture.profiler }
  const source =
    result.captures.length > 1
      ? `${result.source} (capture ${result.captures.indexOf(capture) + 1})`
      : result.source
  meta.sources.push(source)
  meta.reports = { ...capture.reports }
  for (const note of [...result.notes, ...capture.notes])
    meta.notes.push({
      code: note.code,
      severity: note.severity,
      message: `${visible(clip(source, 300))}: ${note.message}`,
      ...(note.table ? { table: note.table } : {})
    })
  const profile: Profile = { meta, tables: { ...capture.tables } }
  if (capture.timeline) profile.timeline = capture.timeline
  if (capture.launches) profile.launches = capture.launches
  return profile
}

/** rocprofv3's per-process files (`<pid>_kernel_trace.csv`, `<pid>_kernel_stats.csv`, …). */
const KERNEL_TRACE = /_kernel_trace\.csv$/i
const KERNEL_STATS = /_kernel_stats\.csv$/i
const COUNTER_COLLECTION = /_counter_collection\.csv$/i
/** The end of a kernel file's name; what is before it is its process's (`<dir>/<host>/<pid>_`). */
const KERNEL_FILE = /(?:kernel_trace|kernel_stats)\.csv$/i

/**
 * The stats of a process read beside its kernel file, as each is read when given alone
 * (docs/rocprof.md "rocprofv3 --stats"): API calls and memory-operation time.
 */
const PROCESS_STATS = [
  { suffix: 'hip_api_stats.csv', what: "rocprofv3's HIP API statistics" },
  { suffix: 'memory_copy_stats.csv', what: "rocprofv3's memory-copy statistics" }
] as const

/**
 * The tracing domains of rocprofv3's other `*_trace.csv` and `*_stats.csv` files, by name: what
 * the domain is, and what one row of its trace is.
 */
const DOMAINS: Readonly<Record<string, readonly [string, string]>> = {
  hip_api: ['HIP API', 'call'],
  hsa_api: ['HSA API', 'call'],
  marker_api: ['marker (ROCTx) API', 'call'],
  rccl_api: ['RCCL API', 'call'],
  rocdecode_api: ['rocDecode API', 'call'],
  rocjpeg_api: ['rocJPEG API', 'call'],
  memory_copy: ['memory-copy', 'copy'],
  memory_allocation: ['memory-allocation', 'allocation'],
  scratch_memory: ['scratch-memory', 'operation']
}
const DOMAIN_FILE = new RegExp(`_(${Object.keys(DOMAINS).join('|')})_(trace|stats)\\.csv$`, 'i')

/**
 * The output of one `rocprofv3 --kernel-trace --stats --output-format csv -d <dir>` run (the
 * action's `profiler: rocprofv3`), given as the files found under `<dir>`: one profile. Each
 * process writes its own files (`<host>/<pid>_kernel_trace.csv`, …): the kernel traces are read
 * (every dispatch: the timeline analyses apply), or, where the run left none, the kernel stats;
 * with each, its process's `<pid>_hip_api_stats.csv` and `<pid>_memory_copy_stats.csv` where
 * present. Several processes (one per GPU under tensor parallelism) are summed into one profile,
 * as nsys sums GPUs. Every other file gets a note (`file-ignored`, or `rocprof-stats-not-read`
 * for the kernel stats beside a kernel trace); see docs/rocprof.md "In the action".
 */
export async function loadRocprofv3Run(files: readonly string[]): Promise<Profile> {
  const traces = files.filter((f) => KERNEL_TRACE.test(f))
  const stats = files.filter((f) => KERNEL_STATS.test(f))
  const read = traces.length > 0 ? traces : stats
  const counters = files.filter((f) => COUNTER_COLLECTION.test(f))
  if (read.length === 0 && counters.length > 0)
    throw new InputError(
      `rocprofv3 wrote only counter collection (${listedFiles(counters)}: one row per dispatch and counter, not kernel times), no kernel trace or kernel stats: profile with \`rocprofv3 --kernel-trace --stats --output-format csv\` (counters are collected in a run of their own), and give its output directory or *_kernel_trace.csv`
    )
  if (read.length === 0)
    throw new InputError(
      `rocprofv3 wrote no kernel trace or kernel stats (*_kernel_trace.csv, *_kernel_stats.csv)${files.length > 0 ? `; it wrote ${listedFiles(files)}` : ': its output directory is empty'}. Did the command launch GPU kernels?`
    )
  // Each process's files by their prefix (`<dir>/<host>/<pid>_`); names compared in lower case.
  const prefixes = new Set(read.map((f) => f.replace(KERNEL_FILE, '')))
  const byName = new Map(files.map((f) => [lower(f), f]))
  const taken = new Set<string>(read)
  const profiles: Profile[] = []
  for (const path of read) {
    const profile = await oneProfile(path)
    const prefix = path.replace(KERNEL_FILE, '')
    for (const { suffix, what } of PROCESS_STATS) {
      const found = byName.get(lower(prefix + suffix))
      if (found === undefined) continue
      taken.add(found)
      await addProcessStats(profile, found, what)
    }
    profiles.push(profile)
  }
  // The kernel stats beside a kernel trace sum the same dispatches: one note says so.
  const beside =
    traces.length > 0 ? stats.filter((f) => prefixes.has(f.replace(KERNEL_FILE, ''))) : []
  for (const f of beside) taken.add(f)
  const notes: Note[] = []
  // Counted, not named: the runs of a benchmark say it in the same words, so a report says it once.
  if (beside.length > 0)
    notes.push({
      code: 'rocprof-stats-not-read',
      severity: 'info',
      message:
        read.length === 1
          ? 'the kernel trace is read (every dispatch); the kernel stats beside it (*_kernel_stats.csv) sum the same dispatches and are archived, not read'
          : `the kernel traces are read (every dispatch); the kernel stats beside them (*_kernel_stats.csv, ${beside.length} files) sum the same dispatches and are archived, not read`
    })
  const readNames = new Set([...taken].map(lower))
  notes.push(
    ...ignoredNotes(
      files.filter((f) => !taken.has(f)),
      traces.length > 0,
      readNames
    )
  )
  const [first] = profiles
  const run =
    profiles.length === 1 && first
      ? first
      : mergeProcesses(profiles, read, traces.length > 0 ? 'kernel traces' : 'kernel stats')
  run.meta.notes.push(...notes)
  return run
}

function lower(path: string): string {
  return path.toLowerCase()
}

/** The one profile of a rocprofv3 file (one process writes one table per file). */
async function oneProfile(path: string): Promise<Profile> {
  const [profile, ...more] = await loadRocprof(path, {}, 'rocprofv3')
  if (!profile || more.length > 0)
    throw new InputError(
      `holds ${more.length + 1} captures: one rocprofv3 process writes one table per file`,
      { file: path }
    )
  return profile
}

/**
 * A process's API or memory-copy stats, read into its profile. A table the kernel file already
 * filled (memory copies in its kernel stats) is kept, with a note; a file that cannot be read
 * leaves the run as it is, with a warning: the kernels are what the run is read for.
 */
async function addProcessStats(profile: Profile, path: string, what: string): Promise<void> {
  const shown = visible(clip(path, 300))
  let stats: Profile
  try {
    stats = await oneProfile(path)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    profile.meta.notes.push({
      code: 'file-ignored',
      severity: 'warning',
      message: `${shown}: ${what} of the process, not read: ${error.detail}; ignored`
    })
    return
  }
  profile.meta.sources.push(...stats.meta.sources)
  profile.meta.notes.push(...stats.meta.notes)
  for (const table of TABLE_NAMES) {
    const rows = stats.tables[table]
    if (rows === undefined) continue
    if (profile.tables[table] !== undefined) {
      profile.meta.notes.push({
        code: 'rocprof-table-twice',
        severity: 'info',
        message: `${shown}: ${what} hold the ${TABLES[table].title} table (${table}), which the kernel file of the process (${visible(clip(profile.meta.sources[0] ?? '', 300))}) already holds: the kernel file's is kept, this one is not read`,
        table
      })
      continue
    }
    profile.tables[table] = rows
    profile.meta.reports[table] = stats.meta.reports[table] ?? 'rocprofv3'
  }
}

/**
 * The `file-ignored` notes of the files of a rocprofv3 run that are not read, one a kind. The
 * files rocprofv3 writes in every run (agent information, domain statistics, the traces and
 * statistics of other domains) are counted, not named: a run of eight processes says each kind
 * once, and the runs of a benchmark say it in the same words, so the report says it once. A file
 * whose absence from the run changes what is compared, or one rocprofv3 does not write, is named.
 * `traced`: kernel traces are read; `read`: the files read, in lower case.
 */
function ignoredNotes(
  paths: readonly string[],
  traced: boolean,
  read: ReadonlySet<string>
): Note[] {
  const kinds = new Map<string, { kind: UnreadKind; paths: string[] }>()
  for (const path of paths) {
    const kind = unreadKind(path, traced, read)
    const key = `${kind.severity}\u0000${kind.pattern ?? ''}\u0000${kind.what}`
    const entry = kinds.get(key) ?? { kind, paths: [] }
    entry.paths.push(path)
    kinds.set(key, entry)
  }
  return [...kinds.values()].map(({ kind, paths: some }) => ({
    code: 'file-ignored',
    severity: kind.severity,
    message:
      kind.pattern === undefined
        ? `${listedFiles(some)}: ${kind.what}; ignored`
        : `${kind.pattern} (${some.length === 1 ? 'one file' : `${some.length} files`}): ${kind.what}, not read; ignored`
  }))
}

/** What an unread file is: said with its name (no `pattern`), or counted by its name's pattern. */
interface UnreadKind {
  what: string
  severity: Note['severity']
  pattern?: string
}

function unreadKind(path: string, traced: boolean, read: ReadonlySet<string>): UnreadKind {
  const named = (what: string, severity: Note['severity'] = 'info'): UnreadKind => ({
    what,
    severity
  })
  const counted = (what: string, pattern: string): UnreadKind => ({
    what,
    severity: 'info',
    pattern
  })
  const stats = PROCESS_STATS.find(({ suffix }) => lower(path).endsWith(`_${suffix}`))
  if (stats)
    // A process with no kernel file (it ran no kernel): its tables would not sum with the others'.
    return named(
      `${stats.what} of a process whose kernels are not read (no kernel trace or kernel stats of it is: did it launch no kernel?), not read: the run's tables are those of the processes whose kernels are read`
    )
  if (KERNEL_STATS.test(path) && traced)
    return named(
      "rocprofv3's kernel stats of a process with no kernel trace, while other processes' kernel traces are read: not read (a run is read from kernel traces, or else from kernel stats), so this process's kernels are missing from the run",
      'warning'
    )
  if (COUNTER_COLLECTION.test(path))
    return counted(
      "rocprofv3's counter collection (--pmc: one row per dispatch and counter, not kernel times)",
      '*_counter_collection.csv'
    )
  if (/_agent_info\.csv$/i.test(path))
    return counted("rocprofv3's agent information (the node's CPUs and GPUs)", '*_agent_info.csv')
  if (/_domain_stats\.csv$/i.test(path))
    return counted("rocprofv3's domain statistics (time per tracing domain)", '*_domain_stats.csv')
  const domain = DOMAIN_FILE.exec(path)
  if (domain) {
    const id = domain[1]!.toLowerCase()
    const type = domain[2]!.toLowerCase()
    const [name, row] = DOMAINS[id] ?? [id, 'event']
    const pattern = `*_${id}_${type}.csv`
    if (type === 'stats')
      return counted(
        `rocprofv3's ${name} statistics${id === 'hsa_api' ? ' (API calls are read from the HIP API statistics)' : ''}`,
        pattern
      )
    // A trace whose domain's stats are read: where they were, for this process.
    const stats = PROCESS_STATS.find(({ suffix }) => suffix === `${id}_stats.csv`)
    const beside = stats && `${path.slice(0, domain.index + 1)}${stats.suffix}`
    return counted(
      `rocprofv3's ${name} trace (one row per ${row}${beside === undefined ? '' : read.has(lower(beside)) ? `; its process's ${name} statistics are read` : `; no ${name} statistics of its process are read`})`,
      pattern
    )
  }
  if (/_trace\.csv$/i.test(path))
    return named('a rocprofv3 trace of a kind nsys-bench does not read, not read')
  if (/_stats\.csv$/i.test(path))
    return named('rocprofv3 statistics of a kind nsys-bench does not read, not read')
  return named(
    "not a file nsys-bench reads in a rocprofv3 output directory (it reads <pid>_kernel_trace.csv, else <pid>_kernel_stats.csv, each with its process's <pid>_hip_api_stats.csv and <pid>_memory_copy_stats.csv)"
  )
}

function listedFiles(files: readonly string[]): string {
  return listed(files, 6, (f) => quoted(f, 200))
}

/**
 * The processes of one run, summed: every table present in all of them, row by row (a table
 * some lack is left out, with a `rocprof-table-partial` warning); the GPU
 * timelines side by side when the processes ran on different GPUs (rocprofv3's agent ids are the
 * node's). Two processes on one GPU cannot have their timelines put together from separate
 * files, so the idle analysis is then left out, with a warning.
 */
function mergeProcesses(profiles: Profile[], paths: readonly string[], what: string): Profile {
  const meta = emptyMeta(TOOL)
  meta.profiler = { name: 'rocprofv3' }
  meta.sources.push(...profiles.flatMap((p) => p.meta.sources))
  const tables: Profile['tables'] = {}
  // A table some processes lack (no API or memory-copy stats written for them) is left out:
  // a sum over some processes is not the run's. Said, naming the processes.
  const partial: Note[] = []
  const devices = profiles.flatMap((p) => p.timeline?.devices ?? [])
  const ids = devices.map((d) => d.device)
  const shared = ids.filter((id, i) => ids.indexOf(id) !== i)
  const timed = profiles.every((p) => p.timeline !== undefined) && shared.length === 0
  for (const table of TABLE_NAMES) {
    const lacking = paths.filter((_, i) => profiles[i]?.tables[table] === undefined)
    if (lacking.length > 0) {
      if (lacking.length < profiles.length)
        partial.push({
          code: 'rocprof-table-partial',
          severity: 'warning',
          message: `the ${TABLES[table].title} table (${table}) is read for ${profiles.length - lacking.length} of the ${profiles.length} processes, not for the process${lacking.length === 1 ? '' : 'es'} of ${listedFiles(lacking)}: it is left out of the run, since a sum over some processes is not the run's`,
          table
        })
      continue
    }
    if (table === 'gpuIdle' && !timed) continue
    const merged: Table = new Map()
    for (const p of profiles)
      for (const [key, stat] of p.tables[table]!) addRow(merged, key, { ...stat })
    tables[table] = merged
    meta.reports[table] = profiles[0]?.meta.reports[table] ?? 'rocprofv3'
  }
  for (const p of profiles) meta.notes.push(...p.meta.notes)
  meta.notes.push(...partial)
  meta.notes.push({
    code: 'rocprof-processes',
    severity: 'info',
    message: `${profiles.length} processes' ${what} (${listedFiles(paths)}) are summed into one run, as nsys sums the GPUs of a run`
  })
  const profile: Profile = { meta, tables }
  if (profiles.every((p) => p.launches !== undefined)) {
    const launches: KernelLaunches = new Map()
    for (const p of profiles)
      for (const [key, entry] of p.launches ?? []) {
        const have = launches.get(key)
        if (have) have.sketch.merge(entry.sketch)
        else launches.set(key, { name: entry.name, sketch: entry.sketch })
      }
    profile.launches = launches
  }
  if (timed) profile.timeline = { devices: devices.sort((a, b) => a.device - b.device) }
  else if (devices.length > 0)
    meta.notes.push({
      code: 'rocprof-timeline-shared',
      severity: 'warning',
      message: `two processes ran kernels on the same GPU (agent ${[...new Set(shared)].join(', ')}): their timelines, read from separate files, cannot be put together, so the GPU idle analysis is left out; the kernel tables and per-launch distributions are summed`
    })
  return profile
}
