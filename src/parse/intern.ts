import type { KeyMemo } from '../profile/packed.js'

/**
 * Names read from bytes, decoded once: the same bytes give the same string object, however many
 * rows and files repeat them. A GPU trace repeats a few thousand kernel names millions of times,
 * and ten runs of a summary repeat each name ten times; downstream, every Map keyed by these
 * strings then finds its key by identity, with the hash V8 keeps in the string.
 *
 * An open-addressing table of byte hashes (hashBytes, from a random seed), and a lookup that
 * probes too long gives up: the caller then takes its text path, which uses V8's own seeded Maps.
 * So names crafted to collide cost speed, never time quadratic in the input, and never a wrong
 * name (a hit is confirmed by comparing bytes). Memory is bounded: past a limit the table starts
 * over.
 */
/**
 * A name read from bytes, and what its readers worked out from it once: its canonical keys and
 * the number of one (KeyMemo, src/profile/packed.ts).
 */
export interface Interned extends KeyMemo {
  readonly text: string
}

export class ByteNames {
  private slots = new Int32Array(1 << 12).fill(-1)
  private hashes: number[] = []
  /**
   * The bytes of every name, one after another in blocks of BLOCK bytes (a longer name has a
   * block of its own): name `id` is at starts[id] of blockOf[id]. Blocks are never copied.
   */
  private block = Buffer.alloc(0)
  private used = 0
  private blockOf: Buffer[] = []
  private starts: number[] = []
  private lengths: number[] = []
  private values: Interned[] = []
  private held = 0

  /** The start of every hash (see hash()). */
  readonly seed = (Math.random() * 0x7fffffff) | 0

  /**
   * The name of bytes [start, end), decoded once, or undefined when the lookup gave up (see the
   * class comment).
   */
  get(bytes: Buffer, start: number, end: number): Interned | undefined {
    return this.find(bytes, start, end, hashBytes(bytes, start, end, this.seed))
  }

  /**
   * get(), for a caller that hashed the bytes as it scanned them anyway (one pass over a name
   * instead of two): `hash` must be hashBytes(bytes, start, end, this.seed).
   */
  getHashed(bytes: Buffer, start: number, end: number, hash: number): Interned | undefined {
    return this.find(bytes, start, end, hash)
  }

  private find(bytes: Buffer, start: number, end: number, hash: number): Interned | undefined {
    const mask = this.slots.length - 1
    const length = end - start
    let slot = hash & mask
    for (let probes = 0; probes < MAX_PROBES; probes++) {
      const id = this.slots[slot]!
      if (id < 0) return this.add(bytes, start, end, hash, slot)
      if (this.hashes[id] === hash && this.lengths[id] === length) {
        const from = this.starts[id]!
        if (sameBytes(this.blockOf[id]!, from, bytes, start, length)) return this.values[id]
      }
      slot = (slot + 1) & mask
    }
    return undefined
  }

  private add(
    bytes: Buffer,
    start: number,
    end: number,
    hash: number,
    slot: number
  ): Interned | undefined {
    if (this.values.length >= MAX_NAMES || this.held + end - start > MAX_BYTES) {
      this.clear()
      return this.find(bytes, start, end, hash)
    }
    const id = this.values.length
    const length = end - start
    if (this.used + length > this.block.length) {
      this.block = Buffer.allocUnsafeSlow(Math.max(BLOCK, length))
      this.used = 0
    }
    bytes.copy(this.block, this.used, start, end)
    this.blockOf.push(this.block)
    this.starts.push(this.used)
    this.lengths.push(length)
    this.used += length
    // Buffer's UTF-8 decoding replaces invalid sequences as TextDecoder does (the text path's).
    this.values.push({
      text: bytes.toString('utf8', start, end),
      slot: -1,
      key: undefined,
      id: -1,
      others: undefined
    })
    this.hashes.push(hash)
    this.held += length
    this.slots[slot] = id
    // At most half full: probe runs stay short.
    if (2 * this.values.length > this.slots.length) this.grow()
    return this.values[id]
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1)
    const mask = slots.length - 1
    this.hashes.forEach((hash, id) => {
      let slot = hash & mask
      while (slots[slot]! >= 0) slot = (slot + 1) & mask
      slots[slot] = id
    })
    this.slots = slots
  }

  private clear(): void {
    this.slots = new Int32Array(1 << 12).fill(-1)
    this.hashes = []
    this.block = Buffer.alloc(0)
    this.used = 0
    this.blockOf = []
    this.starts = []
    this.lengths = []
    this.values = []
    this.held = 0
  }
}

/**
 * A hash of bytes [start, end) from `seed`, eight bytes a step: two lanes of four bytes, each
 * mixed by a multiply and a rotation (both invertible, so two names of one length that differ in
 * one word never meet in that lane), the tail byte by byte, then the length and MurmurHash3's
 * finaliser, whose low bits index the table. A byte-at-a-time FNV-1a took 0.9 ns a byte on this
 * machine, one long chain of multiplies; this takes about a third of that (docs/performance.md).
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number, seed: number): number {
  const view = dataView(bytes)
  let a = seed ^ 0x9e3779b9
  let b = seed ^ 0x7f4a7c15
  let i = start
  for (; i + 8 <= end; i += 8) {
    a = Math.imul(a ^ view.getInt32(i, true), 0xcc9e2d51)
    a = (a << 15) | (a >>> 17)
    b = Math.imul(b ^ view.getInt32(i + 4, true), 0x1b873593)
    b = (b << 13) | (b >>> 19)
  }
  for (; i < end; i++) a = Math.imul(a ^ bytes[i]!, 0xcc9e2d51)
  return finishHash(a, b, end - start)
}

/** hashBytes' last step: its two lanes and the length mixed into the hash. */
export function finishHash(a: number, b: number, length: number): number {
  let h = a ^ ((b << 16) | (b >>> 16)) ^ length
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/**
 * Whether `a` from `aStart` and `b` from `bStart` hold the same `length` bytes: compared here
 * when short, natively when long. A call into C++ (Buffer's compare) costs about 50 ns whatever
 * it compares, about what 64 bytes compared here cost; a GPU trace compares its device cell
 * (25 bytes) on every row.
 */
export function sameBytes(
  a: Buffer,
  aStart: number,
  b: Buffer,
  bStart: number,
  length: number
): boolean {
  if (length > 64) return a.compare(b, bStart, bStart + length, aStart, aStart + length) === 0
  for (let k = 0; k < length; k++) if (a[aStart + k] !== b[bStart + k]) return false
  return true
}

/**
 * Bytes kept to be recognised again, many times (a GPU trace's device cell on every row, the
 * kernel name it guesses comes next): up to 64 bytes compared four at a time against words
 * read once, longer ones natively (a call into C++ costs what 64 bytes compared here do).
 */
export class ByteKey {
  private readonly bytes: Buffer
  private readonly words: Int32Array
  readonly length: number

  constructor(from: Buffer, start: number, end: number) {
    this.bytes = Buffer.copyBytesFrom(from, start, end - start)
    this.length = end - start
    const length = end - start
    this.words = new Int32Array(length <= 64 ? length >> 2 : 0)
    const view = dataView(from)
    for (let k = 0; k < this.words.length; k++) this.words[k] = view.getInt32(start + 4 * k, true)
  }

  /** Whether bytes [start, end) of `b` are these. */
  equals(b: Buffer, start: number, end: number): boolean {
    const length = this.bytes.length
    if (end - start !== length) return false
    if (length > 64) return this.bytes.compare(b, start, end) === 0
    const words = this.words
    const view = dataView(b)
    for (let k = 0; k < words.length; k++)
      if (view.getInt32(start + 4 * k, true) !== words[k]) return false
    for (let k = words.length * 4; k < length; k++) if (b[start + k] !== this.bytes[k]) return false
    return true
  }
}

/**
 * A DataView of `bytes`, for reading four bytes at once at any offset (one load where TurboFan
 * compiles it). The last one is kept: a reader hashes many names of one chunk in a row.
 */
export function dataView(bytes: Uint8Array): DataView<ArrayBufferLike> {
  if (bytes !== viewed) {
    viewed = bytes
    view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  return view
}
let viewed: Uint8Array | undefined
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0))

/** Probes before a lookup gives up; real tables need one or two. */
const MAX_PROBES = 32
const MAX_NAMES = 1 << 20
const BLOCK = 1024 * 1024
const MAX_BYTES = 256 * 1024 * 1024

/**
 * The names of the whole process: the nsys parser's rows and the profile JSON reader's share it,
 * so a kernel named by a baseline file and by the head's output is one string, with one memo of
 * its canonical keys (`derived`, by TABLE_NAMES index: canonicalKey(table, text, true)).
 */
export const SHARED_NAMES = new ByteNames()
