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
   * Two counters shared with the main thread: [0] batches sent, [1] batches read there. The
   * worker writes a slot of the ring only once the main thread has read what was in it, so a
   * slow consumer holds the worker back instead of letting batches pile up.
   */
  control: SharedArrayBuffer
}

export type ChromeWorkerMessage =
  | { type: 'batch'; batch: EventBatch }
  | { type: 'done'; read: ChromeTraceRead }
  | { type: 'error'; known: boolean; message: string; stack?: string }

async function work(port: NonNullable<typeof parentPort>, data: ChromeWorkerData): Promise<void> {
  const counters = new Int32Array(data.control)
  let sent = 0
  const writer = new BatchWriter(new Float64Array(data.ring), (batch) => {
    port.postMessage({ type: 'batch', batch } satisfies ChromeWorkerMessage)
    Atomics.store(counters, 0, ++sent)
    // The next slot is free once the batch written in it RING_SLOTS batches ago has been read.
    for (;;) {
      const read = Atomics.load(counters, 1)
      if (sent - read < RING_SLOTS) break
      Atomics.wait(counters, 1, read, 1000)
    }
  })
  try {
    const read = await readChromeTraceHere(data.path, writer.add)
    writer.flush()
    port.postMessage({ type: 'done', read } satisfies ChromeWorkerMessage)
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
