import { createReadStream } from 'node:fs'
import { errorMessage, InputError } from '../errors.js'
import { zlib } from '../lazy-node.js'
import {
  ChromeTraceReader,
  ChromeTraceSyntaxError,
  type ChromeTraceInfo
} from '../parse/chrome/reader.js'
import type { EventSink } from '../profile/events.js'
import { clip, quoted, visible } from '../text.js'
import { fsError, readChunks, readHead, regularFile } from './files.js'

/**
 * Reading a Chrome trace file into an event sink on the calling thread: what the worker runs
 * (chrome-worker.ts) and what chrome-trace.ts does itself for small traces.
 */

export interface ChromeTraceRead {
  info: ChromeTraceInfo
  /** The gzip stream ended early (a file cut while it was written). */
  gzipCut: boolean
}

/**
 * Streams the trace's events to `sink` (the summary, the timeline analyses), in one pass with
 * flat memory, on this thread.
 */
export async function readChromeTraceHere(
  path: string,
  sink: EventSink,
  /** Chunks of a plain file: 'large' on a thread of its own (readChunks). */
  chunks: 'small' | 'large' = 'small'
): Promise<ChromeTraceRead> {
  regularFile(path)
  const head = readHead(path, 2)
  const gzip = head[0] === 0x1f && head[1] === 0x8b
  const reader = new ChromeTraceReader(sink)
  // A plain file is read into the same two buffers again and again (readChunks): a fresh buffer
  // per chunk cost more than a tenth of the pass on the development machine (docs/performance.md).
  const file = gzip ? createReadStream(path, { highWaterMark: 256 * 1024 }) : undefined
  const gunzip = gzip ? zlib().createGunzip({ chunkSize: 256 * 1024 }) : undefined
  const stream = file && gunzip ? file.pipe(gunzip) : readChunks(path, 0, chunks)
  // A read error of the file reaches the gunzip stream's consumer only through this.
  let fileError: unknown
  file?.on('error', (error) => {
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
    file?.destroy()
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
