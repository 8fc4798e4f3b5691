/**
 * The rows of a GPU trace across threads (load/nsys-trace.ts): a worker reads them from the
 * file's bytes (TableBlock in scan mode) and writes them as numbers into a ring of batches in
 * memory both threads share; the main thread takes them back, in order, into the block that
 * builds the tables and feeds the timeline analyses. A message says which slot is ready and
 * carries the names first seen in it and the lines given as text. The ring is allocated once
 * (as profile/event-batch.ts's, and for the same reason: fresh memory is costly to touch).
 *
 * Per record, 3 + columns doubles: the name's number, or −1 − the index of a line given as text
 * (a line the worker's block did not read from bytes: the main thread's parser reads it as text,
 * or refuses it with its error); the device's number, or for a text line 1 when a line break
 * ended it; the line number; then the row's numbers in TableBlock.scanColumns' order.
 */

import { NameList, NameNumbers, type BatchNames } from '../../profile/batch-names.js'

/** Records per batch. */
export const ROW_BATCH = 4096
/**
 * Records in the first batch; each next one holds twice as many, up to ROW_BATCH. The worker's
 * first rows run on cold code, and the main thread waits for them: a full batch took it 30-40 ms.
 */
export const FIRST_ROW_BATCH = 256
/** Batches in the ring: the worker writes one while the main thread may hold the others. */
export const ROW_RING_SLOTS = 4
/** Names kept numbered before the numbering starts over (memory stays bounded). */
const MAX_NAMES = 1 << 20

/** The bytes of a ring for rows of `columns` numbers. */
export function rowRingBytes(columns: number): number {
  return ROW_RING_SLOTS * ROW_BATCH * (3 + columns) * 8
}

/** Names here are the names and the device cells of the rows, in one numbering. */
export interface RowBatch extends BatchNames {
  slot: number
  count: number
  /** The lines given as text, by index. */
  texts: string[]
}

/**
 * A name's number as a writer last gave it, kept by the caller beside the name: a row whose name
 * the caller already knows (a GPU trace's kernel guessed from the one before) skips the lookup.
 * Valid while `numbering` is the writer's (each writer, and each start over, has its own).
 */
export interface NumberMemo {
  numbered: number
  numbering: number
}

/** Numberings handed out in this thread (see NumberMemo). */
let numberings = 0

/** What the main thread does with each record, in order. */
export interface RowTaker {
  row(values: Float64Array, at: number, name: string, device: string, line: number): void
  text(line: string, lineNo: number, terminated: boolean): void
}

function slots(ring: Float64Array, columns: number): Float64Array[] {
  const size = ROW_BATCH * (3 + columns)
  if (ring.length !== ROW_RING_SLOTS * size) throw new Error('row batch: a ring of the wrong size')
  return Array.from({ length: ROW_RING_SLOTS }, (_, i) => ring.subarray(i * size, (i + 1) * size))
}

/**
 * Writes records into the ring's slots in turn and hands each full batch to `send`, which must
 * return only once the next slot is free (the main thread has read the batch that was in it).
 */
export class RowBatchWriter {
  private readonly slots: Float64Array[]
  private readonly stride: number
  private slot = 0
  private values: Float64Array
  private count = 0
  /** Records in the batch being written (FIRST_ROW_BATCH, doubling up to ROW_BATCH). */
  private limit = FIRST_ROW_BATCH
  private readonly names = new NameNumbers()
  private texts: string[] = []
  private lastDevice = ''
  private lastDeviceId: number | undefined
  private numbering = ++numberings

  constructor(
    ring: Float64Array,
    private readonly columns: number,
    private readonly send: (batch: RowBatch) => void,
    /** Names numbered at most before the numbering starts over (tests lower it; 2 at least). */
    private readonly maxNames = MAX_NAMES
  ) {
    if (!(maxNames >= 2)) throw new Error('row batch: a row numbers two names')
    this.slots = slots(ring, columns)
    this.values = this.slots[0]!
    this.stride = 3 + columns
  }

  /**
   * A row read from bytes: its numbers at `at` (TableBlock.scanColumns), name and device; `memo`,
   * the name's number as this writer last gave it, where the caller keeps one.
   */
  readonly row = (
    numbers: Float64Array,
    at: Int32Array,
    name: string,
    device: string,
    line: number,
    memo?: NumberMemo
  ): void => {
    const names = this.names
    let nameId =
      memo !== undefined && memo.numbering === this.numbering ? memo.numbered : names.get(name)
    // Millions of rows name the same device: its number is looked up when it changes.
    let deviceId = device === this.lastDevice ? this.lastDeviceId : names.get(device)
    if (nameId === undefined || deviceId === undefined) {
      // Both in one numbering: it starts over before either would be numbered past the limit.
      if (names.size + 2 > this.maxNames) {
        // Names of this batch already numbered would be lost with the old numbering: sent first.
        this.flush()
        names.startOver()
        this.numbering = ++numberings
      }
      nameId = names.number(name)
      deviceId = names.number(device)
      if (memo !== undefined) {
        memo.numbered = nameId
        memo.numbering = this.numbering
      }
    }
    this.lastDevice = device
    this.lastDeviceId = deviceId
    const v = this.values
    const base = this.count * this.stride
    v[base] = nameId
    v[base + 1] = deviceId
    v[base + 2] = line
    for (let k = 0; k < this.columns; k++) v[base + 3 + k] = numbers[at[k]!]!
    if (++this.count === this.limit) this.flush()
  }

  /** A line the block did not read from bytes: the main thread reads it as text. */
  readonly text = (line: string, lineNo: number, terminated: boolean): void => {
    const base = this.count * this.stride
    this.values[base] = -1 - this.texts.length
    this.values[base + 1] = terminated ? 1 : 0
    this.values[base + 2] = lineNo
    this.texts.push(line)
    if (++this.count === this.limit) this.flush()
  }

  /** Sends what is written (nothing when there is nothing). */
  flush(): void {
    if (this.count === 0 && !this.names.pending) return
    this.send({ slot: this.slot, count: this.count, ...this.names.take(), texts: this.texts })
    this.slot = (this.slot + 1) % ROW_RING_SLOTS
    this.values = this.slots[this.slot]!
    this.count = 0
    this.texts = []
    this.limit = Math.min(ROW_BATCH, 2 * this.limit)
  }
}

/** Reads batches back, in order, record by record. */
export class RowBatchReader {
  private readonly slots: Float64Array[]
  private readonly stride: number
  private readonly names = new NameList()

  constructor(ring: Float64Array, columns: number) {
    this.slots = slots(ring, columns)
    this.stride = 3 + columns
  }

  read(batch: RowBatch, take: RowTaker): void {
    const names = this.names.add(batch)
    const v = this.slots[batch.slot]
    if (v === undefined || !(batch.count <= ROW_BATCH)) throw new Error('row batch: no such slot')
    const stride = this.stride
    for (let i = 0; i < batch.count; i++) {
      const base = i * stride
      const id = v[base]!
      if (id < 0) {
        const text = batch.texts[-1 - id]
        if (text === undefined) throw new Error('row batch: unknown text')
        take.text(text, v[base + 2]!, v[base + 1] === 1)
        continue
      }
      const name = names[id]
      const device = names[v[base + 1]!]
      if (name === undefined || device === undefined) throw new Error('row batch: unknown name')
      take.row(v, base + 3, name, device, v[base + 2]!)
    }
  }
}
