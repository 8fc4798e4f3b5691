import { parentPort, workerData } from 'node:worker_threads'
import { forEachLine } from '../parse/lines.js'
import { TableBlock, type BlockOptions } from '../parse/nsys/block.js'
import { ROW_RING_SLOTS, RowBatchWriter, type RowBatch } from '../parse/nsys/row-batch.js'
import { readChunks } from './files.js'
import { postError, ringSender, type WorkerMessage } from './worker-ring.js'

/**
 * The worker that reads the rows of a large GPU trace report (dist/nsys-trace-worker.js, started
 * by load/nsys-trace.ts): past the header, which the main thread has read, it reads each line
 * from its bytes with a block made from the same options (TableBlock in scan mode) and sends the
 * rows, and the lines it leaves to the text path, to the main thread in batches
 * (parse/nsys/row-batch.ts), where the block that builds the tables takes them in file order.
 */

export interface TraceWorkerData {
  path: string
  /** Where the first line after the header starts, in bytes. */
  offset: number
  /** Its line number. */
  firstLine: number
  block: BlockOptions
  /** The ring the rows are written into (row-batch.ts), rowRingBytes(scanColumns). */
  ring: SharedArrayBuffer
  /** The batches the main thread has read (worker-ring.ts). */
  control: SharedArrayBuffer
}

export type TraceWorkerMessage = WorkerMessage<RowBatch, null>

async function work(port: NonNullable<typeof parentPort>, data: TraceWorkerData): Promise<void> {
  const block = new TableBlock(data.block)
  const writer = new RowBatchWriter(
    new Float64Array(data.ring),
    block.scanColumns.length,
    ringSender<RowBatch>(port, data.control, ROW_RING_SLOTS)
  )
  block.scanRowsTo(writer.row)
  try {
    await forEachLine(
      readChunks(data.path, data.offset, 'large'),
      {
        bytes: (bytes, start, end, lineNo) => block.acceptBytes(bytes, start, end, lineNo),
        text: writer.text
      },
      { source: data.block.source, firstLine: data.firstLine }
    )
    writer.flush()
    port.postMessage({ type: 'done', result: null } satisfies TraceWorkerMessage)
  } catch (error) {
    // The lines read before it first: one of them may hold the error the main thread reports.
    writer.flush()
    postError(port, error)
  }
}

if (parentPort && workerData) await work(parentPort, workerData as TraceWorkerData)
