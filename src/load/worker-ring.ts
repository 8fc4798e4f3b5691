import { InputError, type InputLocation } from '../errors.js'
import { workerThreads } from '../lazy-node.js'
import { quoted } from '../text.js'

/**
 * What the two reading workers (chrome-worker.ts, nsys-trace-worker.ts) and the thread that
 * started them share: batches sent through a ring of slots in shared memory, each acknowledged
 * by the main thread once read (a counter in `control`), so that the worker writes a slot only
 * once what was in it has been read; then the end, or an error that becomes the same error here.
 */

export type WorkerMessage<Batch, Result> =
  | { type: 'batch'; batch: Batch }
  | { type: 'done'; result: Result }
  | {
      type: 'error'
      /** An InputError: its message (without the location) is for the user as it is. */
      known: boolean
      message: string
      location?: InputLocation | undefined
      stack?: string | undefined
    }

type Port = { postMessage(message: unknown): void }

/**
 * In the worker: sends a batch and returns once the next slot is free, that is once the batch
 * sent `slots` batches ago has been read.
 */
export function ringSender<Batch>(
  port: Port,
  control: SharedArrayBuffer,
  slots: number
): (batch: Batch) => void {
  const read = new Int32Array(control)
  let sent = 0
  return (batch) => {
    port.postMessage({ type: 'batch', batch } satisfies WorkerMessage<Batch, never>)
    sent += 1
    for (;;) {
      const done = Atomics.load(read, 0)
      if (sent - done < slots) break
      Atomics.wait(read, 0, done, 1000)
    }
  }
}

/** In the worker: the error that ended the reading, for the thread that started it. */
export function postError(port: Port, error: unknown): void {
  port.postMessage({
    type: 'error',
    known: error instanceof InputError,
    message:
      error instanceof InputError
        ? error.detail
        : error instanceof Error
          ? error.message
          : String(error),
    location: error instanceof InputError ? error.location : undefined,
    stack: error instanceof Error ? error.stack : undefined
  } satisfies WorkerMessage<never, never>)
}

/**
 * Starts the worker `script` reading `path` and hands each batch it sends to `take`, in order,
 * acknowledging it once taken; resolves with the worker's result. An error of the worker, or of
 * `take`, stops the worker and rejects: an InputError of the worker as the same InputError.
 */
export function driveWorker<Batch, Result>(
  script: URL,
  path: string,
  workerData: { control: SharedArrayBuffer },
  take: (batch: Batch) => void
): Promise<Result> {
  const read = new Int32Array(workerData.control)
  const worker = new (workerThreads().Worker)(script, { workerData })
  return new Promise((resolve, reject) => {
    let settled = false
    const fail = (error: unknown): void => {
      if (settled) return
      settled = true
      // A worker waiting for this thread to catch up is let go before it is stopped.
      Atomics.store(read, 0, 2 ** 30)
      Atomics.notify(read, 0)
      void worker.terminate()
      reject(error instanceof Error ? error : new Error(String(error)))
    }
    worker.on('message', (message: WorkerMessage<Batch, Result>) => {
      if (settled) return
      try {
        if (message.type === 'batch') {
          take(message.batch)
          Atomics.add(read, 0, 1)
          Atomics.notify(read, 0)
        } else if (message.type === 'done') {
          settled = true
          resolve(message.result)
        } else if (message.known) fail(new InputError(message.message, message.location))
        else {
          const error = new Error(message.message)
          if (message.stack !== undefined) error.stack = message.stack
          fail(error)
        }
      } catch (error) {
        fail(error)
      }
    })
    worker.on('error', fail)
    worker.on('exit', (code) => {
      fail(
        new Error(`the worker reading ${quoted(path)} stopped (exit code ${code}) before the end`)
      )
    })
  })
}
