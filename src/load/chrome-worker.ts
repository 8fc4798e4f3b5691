import { parentPort, workerData } from 'node:worker_threads'
import { BatchWriter, RING_SLOTS, type EventBatch } from '../profile/event-batch.js'
import { readChromeTraceHere, type ChromeTraceRead } from './chrome-read.js'
import { postError, ringSender, type WorkerMessage } from './worker-ring.js'

/**
 * The worker that reads a large Chrome trace (dist/chrome-worker.js, started by
 * readChromeTraceFile in chrome-trace.ts): it reads and parses the file on a core of its own and
 * sends the events to the main thread in batches (profile/event-batch.ts), where the summary and
 * the timeline analyses take them in file order, as they would from a reader on their thread.
 */

export interface ChromeWorkerData {
  path: string
  /** The ring the events are written into (profile/event-batch.ts), RING_BYTES. */
  ring: SharedArrayBuffer
  /** The batches the main thread has read (worker-ring.ts): a slow consumer holds the worker back. */
  control: SharedArrayBuffer
}

export type ChromeWorkerMessage = WorkerMessage<EventBatch, ChromeTraceRead>

async function work(port: NonNullable<typeof parentPort>, data: ChromeWorkerData): Promise<void> {
  const writer = new BatchWriter(
    new Float64Array(data.ring),
    ringSender<EventBatch>(port, data.control, RING_SLOTS)
  )
  try {
    const result = await readChromeTraceHere(data.path, writer.add, 'large')
    writer.flush()
    port.postMessage({ type: 'done', result } satisfies ChromeWorkerMessage)
  } catch (error) {
    postError(port, error)
  }
}

if (parentPort && workerData) await work(parentPort, workerData as ChromeWorkerData)
