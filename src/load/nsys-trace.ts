import { existsSync } from 'node:fs'
import { lookupReport } from '../parse/nsys/reports.js'
import {
  NsysStatsParser,
  type StatsParseResult,
  type StatsParserOptions
} from '../parse/nsys/stats-text.js'
import {
  RowBatchReader,
  rowRingBytes,
  type RowBatch,
  type RowTaker
} from '../parse/nsys/row-batch.js'
import { readHead, regularFile } from './files.js'
import type { TraceWorkerData } from './nsys-trace-worker.js'
import { driveWorker } from './worker-ring.js'

/**
 * A large GPU trace report (`*_cuda_gpu_trace.csv`) on two cores: a worker reads its rows from
 * the file's bytes while this thread takes them into the tables and the timeline analyses, in
 * file order (docs/performance.md, "GPU traces on two cores"). The rows are read by the same
 * code either way (TableBlock.acceptBytes, in scan mode in the worker), the lines it does not
 * take go to the same text path here, and errors are raised here, in line order: the result is
 * the one the file gives read on one thread, which test/load/nsys-trace-worker.test.ts checks
 * through the bundle.
 */

/** From this size on a trace report is read in a worker (as Chrome traces, chrome-trace.ts). */
export const TRACE_WORKER_MIN_BYTES = 64 * 2 ** 20
/** The header must lie in the file's first bytes. */
const HEAD_BYTES = 64 * 1024

/**
 * Parses a report file as parseNsysStats does, with the rows read in a worker; undefined when
 * that does not apply (a small file, no worker bundle beside this one, not a CSV GPU trace), and
 * the caller parses the file on this thread.
 */
export async function readTraceInWorker(
  path: string,
  options: StatsParserOptions
): Promise<StatsParseResult | undefined> {
  if (options.strict !== true || options.report === undefined) return undefined
  const report = lookupReport(options.report.name)
  if (report.kind !== 'used' || report.info.family !== 'gpuTrace') return undefined
  const script = new URL('./nsys-trace-worker.js', import.meta.url)
  if (!existsSync(script)) return undefined
  const { size } = regularFile(path)
  if (size < TRACE_WORKER_MIN_BYTES) return undefined
  // The header, line 1, read here as forEachLine would give it (parse/lines.ts).
  const head = readHead(path, HEAD_BYTES)
  const newline = head.indexOf(10)
  if (newline < 0) return undefined
  const stop = newline > 0 && head[newline - 1] === 13 ? newline - 1 : newline
  const parser = new NsysStatsParser(options)
  parser.push(new TextDecoder('utf-8', { ignoreBOM: true }).decode(head.subarray(0, stop)), 1)
  const block = parser.scannableBlock()
  if (!block) return undefined

  const columns = block.scanColumns.length
  const ring = new SharedArrayBuffer(rowRingBytes(columns))
  const data: TraceWorkerData = {
    path,
    offset: newline + 1,
    firstLine: 2,
    block: block.blockOptions,
    ring,
    control: new SharedArrayBuffer(4)
  }
  const reader = new RowBatchReader(new Float64Array(ring), columns)
  const take: RowTaker = {
    row: (values, at, name, device, line) =>
      parser.takeScannedRow(block, values, at, name, device, line),
    text: (line, lineNo, terminated) => parser.push(line, lineNo, terminated)
  }
  await driveWorker<RowBatch, null>(script, path, data, (batch) => reader.read(batch, take))
  return parser.finish()
}
