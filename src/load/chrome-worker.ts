import { parentPort, workerData } from 'node:worker_threads'
import { InputError } from '../errors.js'
import { BatchWriter, RING_SLOTS, type EventBatch } from '../profile/event-batch.js'
import { readChromeTraceHere, type ChromeTraceRead } from './chrome-read.js'

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
  /**
   * One counter shared with the main thread: the batches it has read. The worker writes a slot
   * of the ring only once the main thread has read what was in it, so a slow consumer holds the
   * worker back instead of letting batches pile up.
   */
  control: SharedArrayBuffer
}

export type ChromeWorkerMessage =
  | { type: 'batch'; batch: EventBatch }
  | { type: 'done'; read: ChromeTraceRead }
  | { type: 'error'; known: boolean; message: string; stack?: string }

async function work(port: NonNullable<typeof parentPort>, data: ChromeWorkerData): Promise<void> {
  const read = new Int32Array(data.control)
  let sent = 0
  const writer = new BatchWriter(new Float64Array(data.ring), (batch) => {
    port.postMessage({ type: 'batch', batch } satisfies ChromeWorkerMessage)
    sent += 1
    // The next slot is free once the batch written in it RING_SLOTS batches ago has been read.
    for (;;) {
      const done = Atomics.load(read, 0)
      if (sent - done < RING_SLOTS) break
      Atomics.wait(read, 0, done, 1000)
    }
  })
  try {
    const result = await readChromeTraceHere(data.path, writer.add, 'large')
    writer.flush()
    port.postMessage({ type: 'done', read: result } satisfies ChromeWorkerMessage)
  } catch (error) {
    port.postMessage({
      type: 'error',
      known: error instanceof InputError,
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined
    } satisfies ChromeWorkerMessage)
  }
}

if (parentPort && workerData) await work(parentPort, workerData as ChromeWorkerData)
