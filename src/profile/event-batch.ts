import { NameList, NameNumbers, type BatchNames } from './batch-names.js'
import { EVENT_KINDS, type EventKind, type EventSink, type TraceEvent } from './events.js'

/**
 * The event stream across threads: a producer in a worker (load/chrome-worker.ts) writes its
 * events as numbers into a ring of batches in memory both threads share, and the main thread
 * reads them back into the same events, in the same order. A message says which slot of the
 * ring is ready and carries the names first seen in it; events refer to names by number. The
 * ring's memory is allocated once: a fresh buffer per batch, touched for the first time, cost
 * more on the development machine than the whole parse gained (docs/performance.md).
 *
 * Per event, FIELDS doubles: kind, name, start, duration, device, stream, correlation, thread,
 * grid (3), block (3), bytes, instance, graph. An absent field is NaN: every field a producer
 * sets is a finite number.
 */

export const FIELDS = 17
/** Events per batch: 4,096 × 17 doubles, 557 KB. */
export const BATCH_EVENTS = 4096
/** Batches in the ring: the producer writes one while the consumer may hold the others. */
export const RING_SLOTS = 4
/** The bytes of a ring. */
export const RING_BYTES = RING_SLOTS * BATCH_EVENTS * FIELDS * 8
/** Names kept numbered before the numbering starts over (memory stays bounded). */
const MAX_NAMES = 1 << 20

export interface EventBatch extends BatchNames {
  /** The slot of the ring that holds the batch's events. */
  slot: number
  count: number
}

function slots(ring: Float64Array): Float64Array[] {
  const size = BATCH_EVENTS * FIELDS
  if (ring.length !== RING_SLOTS * size) throw new Error('event batch: a ring of the wrong size')
  return Array.from({ length: RING_SLOTS }, (_, i) => ring.subarray(i * size, (i + 1) * size))
}

const KIND_INDEX = new Map<EventKind, number>(EVENT_KINDS.map((kind, i) => [kind, i]))

/**
 * Writes events into the ring's slots in turn and hands each full batch to `send`, which must
 * return only once the next slot is free (the consumer has read the batch that was in it).
 */
export class BatchWriter {
  private readonly slots: Float64Array[]
  private slot = 0
  private values: Float64Array
  private count = 0
  private readonly names = new NameNumbers()

  constructor(
    ring: Float64Array,
    private readonly send: (batch: EventBatch) => void,
    /** Names numbered at most before the numbering starts over (tests lower it). */
    private readonly maxNames = MAX_NAMES
  ) {
    this.slots = slots(ring)
    this.values = this.slots[0]!
  }

  readonly add = (event: TraceEvent): void => {
    let id = this.names.get(event.name)
    if (id === undefined) {
      if (this.names.size >= this.maxNames) {
        // Names of this batch already numbered would be lost with the old numbering: sent first.
        this.flush()
        this.names.startOver()
      }
      id = this.names.number(event.name)
    }
    const v = this.values
    const at = this.count * FIELDS
    v[at] = KIND_INDEX.get(event.kind)!
    v[at + 1] = id
    v[at + 2] = event.start
    v[at + 3] = event.duration
    v[at + 4] = event.device ?? NaN
    v[at + 5] = event.stream ?? NaN
    v[at + 6] = event.correlation ?? NaN
    v[at + 7] = event.thread ?? NaN
    const grid = event.grid
    v[at + 8] = grid ? grid[0] : NaN
    v[at + 9] = grid ? grid[1] : NaN
    v[at + 10] = grid ? grid[2] : NaN
    const block = event.block
    v[at + 11] = block ? block[0] : NaN
    v[at + 12] = block ? block[1] : NaN
    v[at + 13] = block ? block[2] : NaN
    v[at + 14] = event.bytes ?? NaN
    v[at + 15] = event.instance ?? NaN
    v[at + 16] = event.graph ?? NaN
    if (++this.count === BATCH_EVENTS) this.flush()
  }

  /** Sends what is written (nothing when there is nothing). */
  flush(): void {
    if (this.count === 0 && !this.names.pending) return
    this.send({ slot: this.slot, count: this.count, ...this.names.take() })
    this.slot = (this.slot + 1) % RING_SLOTS
    this.values = this.slots[this.slot]!
    this.count = 0
  }
}

/** Reads batches back into events for `sink`, in order. */
export class BatchReader {
  private readonly slots: Float64Array[]
  private readonly names = new NameList()

  constructor(
    ring: Float64Array,
    private readonly sink: EventSink
  ) {
    this.slots = slots(ring)
  }

  read(batch: EventBatch): void {
    const names = this.names.add(batch)
    const v = this.slots[batch.slot]
    if (v === undefined || !(batch.count <= BATCH_EVENTS))
      throw new Error('event batch: no such slot')
    for (let i = 0; i < batch.count; i++) {
      const at = i * FIELDS
      const name = names[v[at + 1]!]
      const kind = EVENT_KINDS[v[at]!]
      if (name === undefined || kind === undefined) throw new Error('event batch: unknown name')
      const event: TraceEvent = {
        kind,
        name,
        start: v[at + 2]!,
        duration: v[at + 3]!,
        device: present(v[at + 4]!),
        stream: present(v[at + 5]!),
        correlation: present(v[at + 6]!),
        thread: present(v[at + 7]!),
        grid: Number.isNaN(v[at + 8]) ? undefined : [v[at + 8]!, v[at + 9]!, v[at + 10]!],
        block: Number.isNaN(v[at + 11]) ? undefined : [v[at + 11]!, v[at + 12]!, v[at + 13]!],
        bytes: present(v[at + 14]!),
        instance: present(v[at + 15]!),
        graph: present(v[at + 16]!)
      }
      this.sink(event)
    }
  }
}

function present(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value
}
