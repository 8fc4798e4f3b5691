import { existsSync } from 'node:fs'
import type { RangeKernelLimits } from '../analyze/range-kernels.js'
import { EventSummary } from '../analyze/summary.js'
import { TimelineAnalysis, type TimelineResult } from '../analyze/timeline.js'
import { InputError } from '../errors.js'
import type { ChromeTraceInfo } from '../parse/chrome/reader.js'
import { BatchReader, RING_BYTES, type EventBatch } from '../profile/event-batch.js'
import { basename } from 'node:path'
import { fanOut, type EventSink, type TraceEvent } from '../profile/events.js'
import {
  emptyMeta,
  TABLE_NAMES,
  type Note,
  type Profile,
  type Table,
  type TableName
} from '../profile/model.js'
import { addRow } from '../profile/stat.js'
import { clip, listed, quoted, visible } from '../text.js'
import { TOOL } from '../version.js'
import { readChromeTraceHere, type ChromeTraceRead } from './chrome-read.js'
import type { ChromeWorkerData } from './chrome-worker.js'
import { readHead, regularFile } from './files.js'
import { driveWorker } from './worker-ring.js'

export interface ChromeTraceOptions {
  /** The bounds of what is held to attribute kernels to ranges (tests lower them). */
  rangeKernelLimits?: Partial<RangeKernelLimits>
}

/**
 * A Chrome Trace Event JSON file (the PyTorch profiler / Kineto, Perfetto's JSON export,
 * rpd2tracing), plain or gzip-compressed (told by its first bytes, not its name), read as one run.
 * See docs/chrome-trace.md.
 */
export async function loadChromeTrace(
  path: string,
  options: ChromeTraceOptions = {}
): Promise<Profile> {
  const summary = new EventSummary(options)
  const timeline = new TimelineAnalysis()
  const read = await readChromeTraceFile(path, fanOut(summary.add, timeline.add))
  const profile = chromeProfile(path, read, summary)
  const result = timeline.finish()
  return withTimeline(profile, result)
}

export type { ChromeTraceRead } from './chrome-read.js'

/**
 * Traces from this size on are read in a worker (a gzip-compressed one from a smaller size: it
 * inflates about ten times over). Below, starting the worker and sharing the cores costs more
 * than it saves: on the 2-core development machine a 35 MB trace took 0.75 s in the worker and
 * 0.70 s without, a 300 MB one 1.73 s and 1.83 s (docs/performance.md).
 */
export const WORKER_MIN_BYTES = 64 * 2 ** 20
const WORKER_MIN_GZIP_BYTES = 8 * 2 ** 20

/**
 * Streams the trace's events to `sink` (the summary, the timeline analyses), in one pass with
 * flat memory. A large trace is read and parsed in a worker while this thread runs the sink
 * (docs/performance.md, "Chrome traces on two cores"): the same events in the same order. The
 * worker is the bundle dist/chrome-worker.js beside this one; where it is not (the sources run
 * by the tests), the trace is read here.
 */
export async function readChromeTraceFile(path: string, sink: EventSink): Promise<ChromeTraceRead> {
  const script = new URL('./chrome-worker.js', import.meta.url)
  if (existsSync(script)) {
    const { size } = regularFile(path)
    if (size >= WORKER_MIN_GZIP_BYTES) {
      const head = readHead(path, 2)
      const gzip = head[0] === 0x1f && head[1] === 0x8b
      if (gzip || size >= WORKER_MIN_BYTES) return readInWorker(script, path, sink)
    }
  }
  return readChromeTraceHere(path, sink)
}

function readInWorker(script: URL, path: string, sink: EventSink): Promise<ChromeTraceRead> {
  const ring = new SharedArrayBuffer(RING_BYTES)
  const data: ChromeWorkerData = { path, ring, control: new SharedArrayBuffer(4) }
  const reader = new BatchReader(new Float64Array(ring), sink)
  return driveWorker<EventBatch, ChromeTraceRead>(script, path, data, (batch) => reader.read(batch))
}

/** The profile of one trace: the summary's tables, and notes on everything read or not read. */
export function chromeProfile(path: string, read: ChromeTraceRead, summary: EventSummary): Profile {
  const { info } = read
  checkTrace(path, read)
  const meta = emptyMeta(TOOL)
  meta.profiler = { name: profilerName(info) }
  meta.sources.push(path)
  const tables = summary.tables()
  for (const table of Object.keys(tables) as TableName[]) meta.reports[table] = 'chrome-trace'
  const gpus = gpuNames([read])
  if (gpus.length > 0) meta.gpus = gpus.map((name) => ({ name }))
  const rank = info.distributed?.rank
  if (rank !== undefined && Number.isSafeInteger(rank) && rank >= 0) {
    meta.distributed = { ranks: [rank] }
    const world = info.distributed?.worldSize
    if (world !== undefined) meta.distributed.worldSize = world
  }
  meta.notes.push(...chromeNotes(path, read, summary, true))
  return { meta, tables }
}

function checkTrace(path: string, { info }: ChromeTraceRead): void {
  if (info.form === undefined)
    throw new InputError(`${quoted(path)} is empty: no Chrome trace in it`)
  if (!info.hasEvents)
    throw new InputError(
      `${quoted(path)} is a JSON object without "traceEvents": not a Chrome trace (the PyTorch profiler writes {"traceEvents": [...], ...})`
    )
  // A second JSON document after the trace (traces concatenated, a trace written twice into one
  // file): reading the first alone would drop the other's kernels, summing both is not one run.
  if (info.trailingByte === 0x7b || info.trailingByte === 0x5b)
    throw new InputError(
      `${quoted(path)} holds another JSON document after the end of its trace (${info.trailing} bytes starting with "${String.fromCharCode(info.trailingByte)}"): several traces written into one file? Give each trace as a file of its own`
    )
}

function profilerName(info: ChromeTraceInfo): string {
  return info.writer === 'kineto' ? 'torch' : info.writer === 'rpd' ? 'rpd' : 'chrome-trace'
}

/** The names (deviceProperties) of the GPUs the traces' events ran on. */
function gpuNames(reads: readonly ChromeTraceRead[]): string[] {
  const names = new Set<string>()
  for (const { info } of reads)
    for (const d of info.usedDevices) {
      const name = info.devices.get(d)
      if (name) names.add(name)
    }
  return [...names].sort()
}

/** A rank in a trace's file name: `rank-3`, `rank3`, `rank_3` (HTA, torchrun), `TP-3` (SGLang). */
const RANK_IN_NAME = /(?:^|[^a-z])(?:rank|tp)[-_.]?(\d{1,6})(?!\d)/i

/**
 * Several traces of one run — one per rank, as the PyTorch profiler writes them under tensor or
 * pipeline parallelism — read as one profile (docs/chrome-trace.md "Several ranks"): each rank's
 * GPU is a device of the timeline (device = rank when every trace used one GPU), and the kernels
 * (and every other table) are pooled across ranks, as nsys pools the GPUs of one process. A rank
 * comes from the trace's `distributedInfo`, else from its file name, else (no trace names one)
 * from the order of the paths. Two traces of one rank are refused: they are two profiled windows
 * (repetitions), not one run.
 */
export async function loadChromeTraces(
  paths: readonly string[],
  options: ChromeTraceOptions = {}
): Promise<Profile> {
  const [first] = paths
  if (first === undefined) throw new InputError('no Chrome trace to read')
  if (paths.length === 1) return loadChromeTrace(first, options)
  const timeline = new TimelineAnalysis()
  /** Per device the traces name, in order of first sight: the trace and its own device number. */
  const owners: { trace: number; device: number }[] = []
  const traces: { path: string; read: ChromeTraceRead; summary: EventSummary }[] = []
  for (const [t, path] of paths.entries()) {
    const summary = new EventSummary(options)
    const local = new Map<number, number>()
    let lastDevice = NaN
    let lastId = 0
    // The timeline sees each trace's GPUs under ids of their own (renumbered at the end); the
    // event is handed back as it came.
    const toTimeline = (event: TraceEvent): void => {
      const kind = event.kind
      if (kind !== 'kernel' && kind !== 'memcpy' && kind !== 'memset') return
      const own = event.device
      const device = own ?? 0
      if (device !== lastDevice) {
        let id = local.get(device)
        if (id === undefined) {
          id = owners.length
          owners.push({ trace: t, device })
          local.set(device, id)
        }
        lastDevice = device
        lastId = id
      }
      event.device = lastId
      timeline.add(event)
      event.device = own
    }
    const read = await readChromeTraceFile(path, fanOut(summary.add, toTimeline))
    checkTrace(path, read)
    traces.push({ path, read, summary })
  }

  const ranks = rankOf(traces)
  // A rank whose trace has no kernels while the others' have some did not record its GPU
  // activity: summed, the run's kernel time would be the other ranks' alone, and a comparison
  // with a whole run would pass as an improvement.
  const kernels = traces.reduce((n, tr) => n + tr.summary.counts.kernel, 0)
  const without = traces.flatMap((tr, t) => (tr.summary.counts.kernel === 0 ? [t] : []))
  if (kernels > 0 && without.length > 0)
    throw new InputError(
      `${listed(without, 6, (t) => `${quoted(traces[t]!.path, 120)} (rank ${ranks.of[t]})`)} ${without.length === 1 ? 'has' : 'have'} no GPU kernels while the run's other ranks have ${kernels}: the profiler did not record ${without.length === 1 ? "that rank's" : "those ranks'"} GPU activity (its activities lack CUDA, or CUPTI was not available in that process), and the run's tables would hold the other ranks only. Profile every rank's GPU activity`
    )
  const order = traces.map((_, t) => t).sort((a, b) => ranks.of[a]! - ranks.of[b]!)
  // Device numbers: the rank, when every trace ran on one GPU; else the ranks' GPUs in order.
  const oneEach = traces.every((tr) => tr.read.info.usedDevices.size <= 1)
  const deviceOf = new Map<number, number>()
  const byRank = owners
    .map((o, id) => ({ ...o, id }))
    .sort((a, b) => ranks.of[a.trace]! - ranks.of[b.trace]! || a.device - b.device)
  byRank.forEach((o, n) => deviceOf.set(o.id, oneEach ? ranks.of[o.trace]! : n))

  const meta = emptyMeta(TOOL)
  const writers = [...new Set(traces.map((tr) => profilerName(tr.read.info)))]
  if (writers.length > 1)
    throw new InputError(
      `the traces of one run were written by different profilers (${writers.join(', ')}): ${listed(paths, 6, (p) => quoted(p, 120))}; give the traces of one run of one profiler`
    )
  meta.profiler = { name: writers[0]! }
  meta.sources.push(...order.map((t) => traces[t]!.path))
  const tables: Partial<Record<TableName, Table>> = {}
  const each = traces.map((tr) => tr.summary.tables())
  for (const table of TABLE_NAMES) {
    // A table some trace could not fill (memory sizes without byte counts) would hold part of
    // the run: left out, as each trace's notes say.
    if (!each.every((t) => t[table] !== undefined)) continue
    const merged: Table = new Map()
    for (const t of each) for (const [key, stat] of t[table]!) addRow(merged, key, { ...stat })
    tables[table] = merged
    meta.reports[table] = 'chrome-trace'
  }
  const gpus = gpuNames(traces.map((tr) => tr.read))
  if (gpus.length > 0) meta.gpus = gpus.map((name) => ({ name }))
  meta.distributed = { ranks: [...ranks.of].sort((a, b) => a - b) }
  if (ranks.worldSize !== undefined) meta.distributed.worldSize = ranks.worldSize
  meta.notes.push(...ranks.notes)
  if (!oneEach)
    meta.notes.push({
      code: 'trace-rank-devices',
      severity: 'info',
      message: `a rank's trace has GPU activity on several GPUs, so the timeline numbers the ranks' GPUs in turn: ${listed(byRank, 16, (o) => `GPU ${deviceOf.get(o.id)} is rank ${ranks.of[o.trace]}'s GPU ${o.device}`)}`
    })
  for (const t of order) {
    const tr = traces[t]!
    meta.notes.push(...chromeNotes(tr.path, tr.read, tr.summary, false))
  }
  const profile: Profile = { meta, tables }
  const result = timeline.finish((id) => ({
    device: deviceOf.get(id) ?? id,
    rank: ranks.of[owners[id]!.trace]!
  }))
  // The traces were read in the order of their paths, not of their ranks: a kernel's launches
  // in that order would pair one run's rank with another's rank (docs/timeline.md, "Paired by
  // order"). The launch test pools them instead.
  for (const entry of result.launches.values()) delete entry.order
  return withTimeline(profile, result)
}

/** Each trace's rank, and the notes that say how they were told. */
function rankOf(traces: readonly { path: string; read: ChromeTraceRead }[]): {
  of: number[]
  /** The world size, where the traces name one (and only one). */
  worldSize?: number
  notes: Note[]
} {
  const notes: Note[] = []
  const given = traces.map(({ path, read }) => {
    const rank = read.info.distributed?.rank
    if (rank !== undefined && Number.isSafeInteger(rank) && rank >= 0)
      return { rank, how: 'distributedInfo' }
    const m = RANK_IN_NAME.exec(basename(path))
    return m ? { rank: Number(m[1]), how: 'file name' } : undefined
  })
  let of: number[]
  if (given.every((g) => g === undefined)) {
    sameTraces(traces)
    of = traces.map((_, t) => t)
    notes.push({
      code: 'trace-rank-assumed',
      severity: 'warning',
      message: `no trace names its rank (no distributedInfo, no rank in the file name): the ${traces.length} traces are read as ranks 0 to ${traces.length - 1} in the order given (${listed(traces, 8, (tr) => quoted(tr.path, 120))})`
    })
  } else {
    const without = traces.filter((_, t) => given[t] === undefined)
    if (without.length > 0)
      throw new InputError(
        `${listed(without, 6, (tr) => quoted(tr.path, 120))} name${without.length === 1 ? 's' : ''} no rank (no distributedInfo, no rank in the file name) while the other traces of the run do: give the traces of one run, one per rank`
      )
    of = given.map((g) => g!.rank)
  }
  const seen = new Map<number, string>()
  for (const [t, rank] of of.entries()) {
    const other = seen.get(rank)
    if (other !== undefined)
      throw new InputError(
        `${quoted(other, 120)} and ${quoted(traces[t]!.path, 120)} are both rank ${rank}: one run holds one trace per rank. Two traces of one rank are two profiled windows (several torch.profiler schedule cycles, or two runs): have each run write one per rank (one schedule cycle), and give each run as a run of its own`
      )
    seen.set(rank, traces[t]!.path)
  }
  const sorted = [...of].sort((a, b) => a - b)
  const worlds = [
    ...new Set(
      traces
        .map((tr) => tr.read.info.distributed?.worldSize)
        .filter((w): w is number => w !== undefined)
    )
  ]
  notes.push({
    code: 'trace-ranks',
    severity: 'info',
    message: `${traces.length} traces read as the ranks of one run (${sorted.join(', ')}${worlds.length === 1 ? ` of world size ${worlds[0]}` : ''}; ranks from ${[...new Set(given.map((g) => g?.how ?? 'the order given'))].join(' and ')}): each rank's GPU is a device of the timeline, and kernels and every other table are summed over the ranks`
  })
  if (worlds.length > 1)
    notes.push({
      code: 'trace-ranks-mixed',
      severity: 'warning',
      message: `the traces name different world sizes (${worlds.sort((a, b) => a - b).join(', ')}): they may not be the ranks of one run`
    })
  else if (worlds.length === 1 && worlds[0]! > traces.length) {
    const missing = Array.from({ length: worlds[0]! }, (_, r) => r).filter((r) => !seen.has(r))
    notes.push({
      code: 'trace-ranks-missing',
      severity: 'warning',
      message: `the world size is ${worlds[0]} but ${traces.length} ranks wrote a trace: rank${missing.length === 1 ? '' : 's'} ${listed(missing, 16, String)} ${missing.length === 1 ? 'is' : 'are'} not in the profile, whose tables hold the ranks read only`
    })
  }
  return worlds.length === 1 ? { of, worldSize: worlds[0]!, notes } : { of, notes }
}

/**
 * Refuses two traces that hold the same events — one trace kept plain and compressed (`gzip -k`),
 * or copied — where nothing names the ranks: read as two ranks, its kernels would count twice.
 * Told by what was read, not by the bytes: the same decompressed size, the same number of events
 * and the same first timestamp (µs). Traces of two processes never share all three.
 */
function sameTraces(traces: readonly { path: string; read: ChromeTraceRead }[]): void {
  const seen = new Map<string, string>()
  for (const { path, read } of traces) {
    const { originMicros, events, bytes } = read.info
    if (originMicros === undefined) continue
    const key = `${originMicros}/${events}/${bytes}`
    const other = seen.get(key)
    if (other !== undefined)
      throw new InputError(
        `${quoted(other, 120)} and ${quoted(path, 120)} hold the same trace (${events} events from the same start, ${bytes} bytes of JSON): one is a copy of the other (a trace kept plain and compressed?), and read as two ranks its kernels would count twice. Keep one of them`
      )
    seen.set(key, path)
  }
}

function chromeNotes(
  path: string,
  read: ChromeTraceRead,
  summary: EventSummary,
  /** One trace read alone: its rank is said (several are described together). */
  alone: boolean
): Note[] {
  const { info } = read
  const notes: Note[] = []
  const note = (code: string, severity: Note['severity'], message: string): void => {
    notes.push({ code, severity, message: `${path}: ${message}` })
  }
  const writer =
    info.writer === 'kineto'
      ? 'PyTorch profiler (Kineto) trace'
      : info.writer === 'rpd'
        ? 'rpd2tracing trace (RPD)'
        : 'Chrome trace of an unknown writer'
  const versions = Object.entries(info.metadata)
    .filter(([key]) => key !== 'traceName' && key !== 'displayTimeUnit')
    .map(([key, value]) => `${key} ${visible(clip(String(value), 40))}`)
  note(
    'trace-read',
    'info',
    `${writer}, ${info.form} form${versions.length > 0 ? ` (${versions.join(', ')})` : ''}: ${count(info.events, 'event')}, ` +
      `${count(summary.counts.kernel, 'kernel')}, ${count(summary.counts.memcpy + summary.counts.memset, 'memory operation')}, ` +
      `${count(summary.counts.api, 'runtime call')}, ${count(summary.counts.annotation, 'annotation')}`
  )
  if (info.distributed && alone) {
    const d = info.distributed
    note(
      'trace-rank',
      'info',
      `rank ${d.rank ?? '?'}${d.worldSize !== undefined ? ` of ${d.worldSize}` : ''}${d.backend ? ` (${visible(clip(d.backend, 40))})` : ''}: ` +
        'this profile is one rank; compare it with the same rank'
    )
  }
  if (info.rawQuotes > 0)
    note(
      'trace-invalid-json',
      'warning',
      `the trace is not valid JSON: ${info.rawQuotes} quote${info.rawQuotes === 1 ? '' : 's'} inside names ${info.rawQuotes === 1 ? 'was' : 'were'} not escaped (the PyTorch profiler before kineto's fix for pytorch/pytorch#146900); read as part of the names`
    )
  if (info.truncatedAt !== undefined || read.gzipCut)
    note(
      'trace-truncated',
      'warning',
      `the trace ends early${read.gzipCut ? ' (the gzip stream is cut)' : ` (at byte ${info.truncatedAt ?? info.bytes} of the JSON)`}: the file was cut while it was written; the ${info.events} events before the cut are read, the rest of the run is missing`
    )
  if (info.unreadable > 0)
    note(
      'trace-events-unreadable',
      'warning',
      `${info.unreadable} event${info.unreadable === 1 ? '' : 's'} of a category nsys-bench reads had no usable name, "ts" or "dur" (a negative or missing duration) and ${info.unreadable === 1 ? 'was' : 'were'} left out${info.unreadablePairs > 0 ? ` (${info.unreadablePairs} of them durations written as B/E pairs that do not pair, or async b/e events, which are not read${info.unorderedPairs > 0 ? `; ${info.unorderedPairs} B/E pairs on threads whose B/E events are not in time order, which the format pairs by time and a streaming read cannot` : ''})` : ''}, such as ${quoted(info.unreadableExample ?? '', 100)}`
    )
  if (info.badMetadata.length > 0)
    note(
      'trace-metadata-unreadable',
      'warning',
      `metadata that is not valid JSON was ignored: ${info.badMetadata.map((k) => quoted(k, 40)).join(', ')}`
    )
  if (info.trailing > 0)
    note(
      'trace-trailing-data',
      'warning',
      `${info.trailing} bytes after the end of the trace were ignored`
    )
  if (summary.counts.kernel === 0) {
    const cats = listed(
      [...info.categories.entries()].sort((a, b) => b[1] - a[1]),
      8,
      ([cat, n]) => `${quoted(cat, 40)} ${n}`
    )
    note(
      'trace-no-kernels',
      'warning',
      `the trace has no GPU kernels (complete events by category: ${cats || 'none'}): GPU activity was not recorded (the profiler's activities lack CUDA), or nothing ran on the GPU in the profiled steps`
    )
  }
  if (summary.rangesFoldedEarly > 0)
    note(
      'trace-gpu-ranges-apart',
      'warning',
      `${summary.rangesFoldedEarly} GPU-side annotation ranges (gpu_user_annotation) were counted before the trace ended, to keep memory bounded: a range whose events lie further apart in the file counts twice in the NVTX GPU-time table`
    )
  notes.push(...rangeKernelNotes(path, summary))
  if (summary.graphKernels > 0)
    note(
      'trace-cuda-graphs',
      'info',
      `${summary.graphKernels} of ${summary.counts.kernel} kernels ran in CUDA graphs (the trace records their graph id); they are in the kernel table like any other`
    )
  if (info.usedDevices.size > 1)
    note(
      'trace-devices',
      'info',
      `GPU activity on ${info.usedDevices.size} GPUs (${[...info.usedDevices].sort((a, b) => a - b).join(', ')}) is summed into one table per kind`
    )
  const bytes = summary.missingBytes()
  if (bytes.without > 0)
    note(
      'mem-size-missing',
      'info',
      `${bytes.without} of ${bytes.of} memory operations carry no byte count (ROCm traces do not record one): there is no memory-size table`
    )
  return notes
}

/** What the attribution of kernels to annotation ranges (nvtxKernels) did, and could not do. */
function rangeKernelNotes(path: string, summary: EventSummary): Note[] {
  const join = summary.rangeKernels
  if (!join.hasRanges) return []
  const c = join.counts
  const limits = join.limits
  const notes: Note[] = []
  if (!join.hasTable)
    return [
      {
        code: 'trace-nvtx-kernels',
        severity: 'info',
        message: `${path}: the trace's kernels carry no correlation with their launch calls (rpd2tracing writes none), so they cannot be placed in annotation ranges: there is no kernels-per-range table`
      }
    ]
  const left = [
    c.outside > 0 ? `${c.outside} launched outside every range` : '',
    c.noLaunch > 0 ? `${count(c.noLaunch, 'kernel')} without a launch call in the trace` : ''
  ].filter(Boolean)
  notes.push({
    code: 'trace-nvtx-kernels',
    severity: 'info',
    message: `${path}: ${c.inside} of ${count(c.kernels, 'kernel')} were launched inside annotation ranges (user_annotation, record_function; ProfilerStep#N is not one) and fill the kernels-per-range table, each under every range around its launch${left.length > 0 ? `; ${left.join(' and ')} are left out, as nsys leaves out kernels outside every NVTX range` : ''}. Each range's GPU time is projected from the same launches, copies and sets included: from the first start to the last end of the GPU work launched inside it, nested ranges included, as nsys projects NVTX ranges (the trace's own GPU-side ranges project only the innermost range around each launch)`
  })
  if (c.lost + c.partial > 0) {
    const why = {
      ranges: `more than ${limits.ranges} annotation ranges (or ranges out of order too often)`,
      launches: `launch calls that left the ${limits.launches} held before their kernels came`,
      kernels: `kernels that waited for their launch call past the ${limits.kernels} held`,
      depth: `ranges nested deeper than ${limits.depth}`
    }
    notes.push({
      code: 'trace-nvtx-kernels-capped',
      severity: 'warning',
      message: `${path}: ${count(c.lost + c.partial, 'kernel')} could not be attributed to every annotation range around their launch (${c.lost} not at all, ${c.partial} to some of their ranges only), to keep memory bounded: ${[...c.limitsHit].map((l) => why[l]).join('; ')}. The kernels-per-range table misses them`
    })
  }
  if (c.beforeRanges + c.lateRanges > 0) {
    const what = [
      c.beforeRanges > 0
        ? `${count(c.beforeRanges, 'kernel')} came before the first annotation range and ${c.beforeRanges === 1 ? 'is' : 'are'} not attributed`
        : '',
      c.lateRanges > 0
        ? `${count(c.lateRanges, 'annotation range')} came after kernels launched on ${c.lateRanges === 1 ? 'its' : 'their'} thread from ${c.lateRanges === 1 ? 'its' : 'their'} start on had been counted, and may lack some of them`
        : ''
    ].filter(Boolean)
    notes.push({
      code: 'trace-nvtx-kernels-order',
      severity: 'warning',
      message: `${path}: the trace does not give annotation ranges before the GPU activity, as the PyTorch profiler writes them: ${what.join('; ')}. The kernels-per-range table may miss kernels`
    })
  }
  return notes
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}

/** A trace's timeline analyses in its profile, where it had GPU activity (analyze/timeline.ts). */
function withTimeline(profile: Profile, result: TimelineResult): Profile {
  if (result.timeline.devices.length > 0) {
    profile.tables.gpuIdle = result.gpuIdle
    profile.tables.kernelShapes = result.kernelShapes
    profile.meta.reports.gpuIdle = profile.meta.reports.kernelShapes = 'chrome-trace'
    profile.timeline = result.timeline
    profile.launches = result.launches
  }
  return profile
}
