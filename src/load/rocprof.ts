import { basename } from 'node:path'
import { InputError } from '../errors.js'
import type { CaptureChoice } from '../parse/nsys/index.js'
import { forEachLine } from '../parse/lines.js'
import { RocprofParser, type RocprofCapture, type RocprofResult } from '../parse/rocprof/parser.js'
import { emptyMeta, TABLE_NAMES, type Profile, type Table } from '../profile/model.js'
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

/** rocprofv3's per-process files (`<pid>_kernel_trace.csv`, `<pid>_kernel_stats.csv`). */
const KERNEL_TRACE = /_kernel_trace\.csv$/i
const KERNEL_STATS = /_kernel_stats\.csv$/i
const COUNTER_COLLECTION = /_counter_collection\.csv$/i

/**
 * The output of one `rocprofv3 --kernel-trace --stats --output-format csv -d <dir>` run (the
 * action's `profiler: rocprofv3`), given as the files found under `<dir>`: one profile. Each
 * process writes its own files (`<host>/<pid>_kernel_trace.csv`, …): the kernel traces are read
 * (every dispatch: the timeline analyses apply), or, where the run left none, the kernel stats.
 * Several processes (one per GPU under tensor parallelism) are summed into one profile, as nsys
 * sums GPUs; see docs/rocprof.md "In the action".
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
  const profiles: Profile[] = []
  for (const path of read) {
    const [profile, ...more] = await loadRocprof(path, {}, 'rocprofv3')
    if (!profile || more.length > 0)
      throw new InputError(
        `holds ${more.length + 1} captures: one rocprofv3 process writes one table per file`,
        { file: path }
      )
    profiles.push(profile)
  }
  const [first] = profiles
  if (profiles.length === 1 && first) {
    if (traces.length > 0 && stats.length > 0)
      first.meta.notes.push({
        code: 'rocprof-stats-not-read',
        severity: 'info',
        message: `the kernel trace is read (every dispatch); the kernel stats beside it (${listedFiles(stats)}) sum the same dispatches and are archived, not read`
      })
    return first
  }
  return mergeProcesses(profiles, read, traces.length > 0 ? 'kernel traces' : 'kernel stats')
}

function listedFiles(files: readonly string[]): string {
  return listed(files, 6, (f) => quoted(f, 200))
}

/**
 * The processes of one run, summed: every table present in all of them, row by row; the GPU
 * timelines side by side when the processes ran on different GPUs (rocprofv3's agent ids are the
 * node's). Two processes on one GPU cannot have their timelines put together from separate
 * files, so the idle analysis is then left out, with a warning.
 */
function mergeProcesses(profiles: Profile[], paths: readonly string[], what: string): Profile {
  const meta = emptyMeta(TOOL)
  meta.profiler = { name: 'rocprofv3' }
  meta.sources.push(...paths)
  const tables: Profile['tables'] = {}
  const devices = profiles.flatMap((p) => p.timeline?.devices ?? [])
  const ids = devices.map((d) => d.device)
  const shared = ids.filter((id, i) => ids.indexOf(id) !== i)
  const timed = profiles.every((p) => p.timeline !== undefined) && shared.length === 0
  for (const table of TABLE_NAMES) {
    if (!profiles.every((p) => p.tables[table] !== undefined)) continue
    if (table === 'gpuIdle' && !timed) continue
    const merged: Table = new Map()
    for (const p of profiles)
      for (const [key, stat] of p.tables[table]!) addRow(merged, key, { ...stat })
    tables[table] = merged
    meta.reports[table] = profiles[0]?.meta.reports[table] ?? 'rocprofv3'
  }
  for (const p of profiles) meta.notes.push(...p.meta.notes)
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
