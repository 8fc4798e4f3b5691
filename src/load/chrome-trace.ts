import { createReadStream } from 'node:fs'
import { createGunzip } from 'node:zlib'
import { EventSummary } from '../analyze/summary.js'
import { TimelineAnalysis } from '../analyze/timeline.js'
import { errorMessage, InputError } from '../errors.js'
import {
  ChromeTraceReader,
  ChromeTraceSyntaxError,
  type ChromeTraceInfo
} from '../parse/chrome/reader.js'
import { fanOut, type EventSink } from '../profile/events.js'
import { emptyMeta, type Note, type Profile, type TableName } from '../profile/model.js'
import { clip, listed, quoted, visible } from '../text.js'
import { TOOL } from '../version.js'
import { fsError, readHead, regularFile } from './files.js'

/**
 * A Chrome Trace Event JSON file (the PyTorch profiler / Kineto, Perfetto's JSON export,
 * rpd2tracing), plain or gzip-compressed (told by its first bytes, not its name), read as one run.
 * See docs/chrome-trace.md.
 */
export async function loadChromeTrace(path: string): Promise<Profile> {
  const summary = new EventSummary()
  const timeline = new TimelineAnalysis()
  const read = await readChromeTraceFile(path, fanOut(summary.add, timeline.add))
  const profile = chromeProfile(path, read, summary)
  const result = timeline.finish()
  if (result.timeline.devices.length > 0) {
    profile.tables.gpuIdle = result.gpuIdle
    profile.tables.kernelShapes = result.kernelShapes
    profile.meta.reports.gpuIdle = profile.meta.reports.kernelShapes = 'chrome-trace'
    profile.timeline = result.timeline
    profile.launches = result.launches
  }
  return profile
}

export interface ChromeTraceRead {
  info: ChromeTraceInfo
  /** The gzip stream ended early (a file cut while it was written). */
  gzipCut: boolean
}

/**
 * Streams the trace's events to `sink` (the summary, the timeline analyses), in one pass with
 * flat memory.
 */
export async function readChromeTraceFile(path: string, sink: EventSink): Promise<ChromeTraceRead> {
  await regularFile(path)
  const head = await readHead(path, 2)
  const gzip = head[0] === 0x1f && head[1] === 0x8b
  const reader = new ChromeTraceReader(sink)
  const file = createReadStream(path, { highWaterMark: 256 * 1024 })
  const gunzip = gzip ? createGunzip({ chunkSize: 256 * 1024 }) : undefined
  const stream = gunzip ? file.pipe(gunzip) : file
  // A read error of the file reaches the gunzip stream's consumer only through this.
  let fileError: unknown
  file.on('error', (error) => {
    fileError = error
    gunzip?.destroy(error)
  })
  let gzipCut = false
  try {
    for await (const chunk of stream) reader.push(chunk as Buffer)
  } catch (error) {
    if (fileError !== undefined) throw fsError(path, fileError)
    if (error instanceof ChromeTraceSyntaxError) throw syntaxError(path, error)
    const code = (error as NodeJS.ErrnoException).code
    if (gzip && code === 'Z_BUF_ERROR') {
      // "unexpected end of file": the gzip stream was cut; what was inflated is read.
      gzipCut = true
    } else if (gzip && typeof code === 'string' && code.startsWith('Z_')) {
      throw new InputError(
        `${quoted(path)} starts like gzip but is not a valid gzip file (${visible(clip(errorMessage(error), 200))}); give the trace as the profiler wrote it`,
        undefined,
        { cause: error }
      )
    } else throw fsError(path, error)
  } finally {
    file.destroy()
    gunzip?.destroy()
  }
  try {
    return { info: reader.finish(), gzipCut }
  } catch (error) {
    if (error instanceof ChromeTraceSyntaxError) throw syntaxError(path, error)
    throw error
  }
}

function syntaxError(path: string, error: ChromeTraceSyntaxError): InputError {
  return new InputError(
    `${quoted(path)} is not a Chrome trace nsys-bench can read: ${error.message}. ` +
      'It reads the JSON the PyTorch profiler (export_chrome_trace, tensorboard_trace_handler), ' +
      "Perfetto's JSON export and rpd2tracing write, plain or .gz.",
    undefined,
    { cause: error }
  )
}

/** The profile of one trace: the summary's tables, and notes on everything read or not read. */
export function chromeProfile(path: string, read: ChromeTraceRead, summary: EventSummary): Profile {
  const { info } = read
  if (info.form === undefined)
    throw new InputError(`${quoted(path)} is empty: no Chrome trace in it`)
  if (!info.hasEvents)
    throw new InputError(
      `${quoted(path)} is a JSON object without "traceEvents": not a Chrome trace (the PyTorch profiler writes {"traceEvents": [...], ...})`
    )
  const meta = emptyMeta(TOOL)
  meta.profiler = {
    name: info.writer === 'kineto' ? 'torch' : info.writer === 'rpd' ? 'rpd' : 'chrome-trace'
  }
  meta.sources.push(path)
  const tables = summary.tables()
  for (const table of Object.keys(tables) as TableName[]) meta.reports[table] = 'chrome-trace'
  const gpus = [
    ...new Set(
      [...info.usedDevices].map((d) => info.devices.get(d)).filter((n): n is string => !!n)
    )
  ].sort()
  if (gpus.length > 0) meta.gpus = gpus.map((name) => ({ name }))
  meta.notes.push(...chromeNotes(path, read, summary))
  return { meta, tables }
}

function chromeNotes(path: string, read: ChromeTraceRead, summary: EventSummary): Note[] {
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
  if (info.distributed) {
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
      `${info.unreadable} event${info.unreadable === 1 ? '' : 's'} of a category nsys-bench reads had no usable name, "ts" or "dur" (a negative or missing duration) and ${info.unreadable === 1 ? 'was' : 'were'} left out, such as ${quoted(info.unreadableExample ?? '', 100)}`
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
  if (summary.counts.gpuAnnotation > 0)
    note(
      'trace-gpu-annotations',
      'info',
      `${summary.counts.gpuAnnotation} GPU-side annotation ranges (gpu_user_annotation) are not in the NVTX table, which holds the host-side ranges (user_annotation), as nsys nvtx_sum does`
    )
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

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}
