import { describe, expect, it } from 'vitest'
import {
  BATCH_EVENTS,
  BatchReader,
  BatchWriter,
  RING_BYTES,
  RING_SLOTS,
  type EventBatch
} from '../../src/profile/event-batch.js'
import type { TraceEvent } from '../../src/profile/events.js'

/** Events written through a ring and read back as the worker and the main thread do. */
function roundTrip(
  events: TraceEvent[],
  maxNames?: number
): { out: TraceEvent[]; batches: EventBatch[] } {
  const ring = new Float64Array(new SharedArrayBuffer(RING_BYTES))
  const out: TraceEvent[] = []
  const batches: EventBatch[] = []
  const reader = new BatchReader(ring, (e) => out.push(e))
  // Read as soon as sent: the slot is free again before the writer moves on, as the worker waits.
  const writer = new BatchWriter(
    ring,
    (batch) => {
      batches.push(batch)
      reader.read(structuredClone(batch))
    },
    maxNames
  )
  for (const event of events) writer.add(event)
  writer.flush()
  return { out, batches }
}

describe('event batches between threads', () => {
  it('give back every field as it was, and leave absent fields absent', () => {
    const events: TraceEvent[] = [
      {
        kind: 'kernel',
        name: 'gemm',
        start: -15_300_000,
        duration: 1760,
        device: 1,
        stream: 7,
        correlation: 35,
        grid: [4096, 2, 1],
        block: [128, 1, 1],
        graph: 4
      },
      {
        kind: 'api',
        name: 'cudaLaunchKernel',
        start: 0.5,
        duration: 4250,
        correlation: 35,
        thread: 0
      },
      {
        kind: 'memcpy',
        name: 'Memcpy HtoD',
        start: 10,
        duration: 3,
        bytes: 2 ** 40,
        device: 0,
        stream: 0
      },
      { kind: 'annotation', name: 'decode', start: 1, duration: 2, thread: 3 },
      {
        kind: 'gpuAnnotation',
        name: 'decode',
        start: 1,
        duration: 2,
        instance: 9,
        device: 0,
        stream: 7
      },
      { kind: 'memset', name: 'Memset', start: 2 ** 52, duration: 0 }
    ]
    const { out } = roundTrip(events)
    expect(out).toEqual(events)
    // Absent stays absent (not 0, not NaN).
    expect(out[3]?.grid).toBeUndefined()
    expect(out[3]?.device).toBeUndefined()
    expect(out[5]?.bytes).toBeUndefined()
  })

  it('go round the ring in order, each name sent once', () => {
    const n = BATCH_EVENTS * (RING_SLOTS + 2) + 17
    const events: TraceEvent[] = Array.from({ length: n }, (_, i) => ({
      kind: 'kernel',
      name: `k${i % 300}`,
      start: i,
      duration: i % 977
    }))
    const { out, batches } = roundTrip(events)
    expect(out).toEqual(events)
    expect(batches.map((b) => b.slot)).toEqual([0, 1, 2, 3, 0, 1, 2])
    expect(batches.flatMap((b) => b.names)).toEqual(Array.from({ length: 300 }, (_, i) => `k${i}`))
  })

  it('start the numbering of names over past the bound, and still give every name back', () => {
    const events: TraceEvent[] = Array.from({ length: 50 }, (_, i) => ({
      kind: 'api',
      name: `call ${i % 20}`,
      start: i,
      duration: 1
    }))
    const { out, batches } = roundTrip(events, 8)
    expect(out).toEqual(events)
    expect(batches.filter((b) => b.namesReset).length).toBeGreaterThan(0)
  })

  it('refuse a batch whose names do not follow the ones known', () => {
    const ring = new Float64Array(new SharedArrayBuffer(RING_BYTES))
    const reader = new BatchReader(ring, () => undefined)
    expect(() =>
      reader.read({ slot: 0, count: 0, names: ['a'], firstName: 3, namesReset: false })
    ).toThrow(/names from 3, 0 known/)
  })
})
