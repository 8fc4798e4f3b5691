/**
 * A mergeable sketch of a distribution of durations (nanoseconds): the per-launch distribution of
 * one kernel, kept in memory that grows with the spread of its durations, not with its launches.
 *
 * Buckets are logarithmic with linear subdivision, read from the bits of the integer value: the
 * octave [2^e, 2^(e+1)) is split into 2^SUB_BITS equal buckets (HdrHistogram's layout, DDSketch's
 * "bitwise linearly interpolated" mapping). A bucket [lo, hi) has hi / lo ≤ 1 + 2^-SUB_BITS, so a
 * quantile read at the bucket's midpoint is within RELATIVE_ERROR of a value in the bucket.
 * Values below 2^SUB_BITS ns are exact (one bucket each). Durations are rounded to whole
 * nanoseconds. Two sketches merge by adding their buckets: repeated runs pool exactly.
 *
 * docs/timeline.md explains the choice.
 */

export const SUB_BITS = 7
const SUB = 1 << SUB_BITS
/** The largest relative distance of a value from its bucket's midpoint. */
export const RELATIVE_ERROR = 1 / (2 * SUB)

/** Octaves above 2^31 ns (2.1 s) go through Math.log2; none is expected of a kernel. */
const MAX_INDEX = 64 * SUB

/** The bucket of a whole number of nanoseconds ≥ 0. */
export function bucketOf(value: number): number {
  if (value < SUB) return value
  if (value < 2 ** 32) {
    // The common case, in integer arithmetic.
    const e = 31 - Math.clz32(value)
    return ((e - SUB_BITS + 1) << SUB_BITS) + (value >>> (e - SUB_BITS)) - SUB
  }
  const e = Math.min(Math.floor(Math.log2(value)), 63)
  // value = 2^e · (1 + m / SUB + …): the SUB_BITS bits after the leading one.
  const m = Math.floor(value / 2 ** (e - SUB_BITS)) - SUB
  return (e - SUB_BITS + 1) * SUB + m
}

/** [lo, hi) of a bucket. */
export function bucketBounds(index: number): [number, number] {
  if (index < SUB) return [index, index + 1]
  const octave = Math.floor(index / SUB) - 1 // e - SUB_BITS
  const m = index % SUB
  const width = 2 ** octave
  const lo = (SUB + m) * width
  return [lo, lo + width]
}

/** The value a bucket stands for: its midpoint (exact below 2^SUB_BITS). */
export function bucketValue(index: number): number {
  if (index < SUB) return index
  const [lo, hi] = bucketBounds(index)
  return (lo + hi - 1) / 2
}

export class DurationSketch {
  /** Counts per bucket, allocated one octave at a time (a kernel's durations span a few). */
  private readonly octaves: (Float64Array | null)[] = []
  count = 0

  add(duration: number): void {
    const value = duration < 0 ? 0 : Math.round(duration)
    const index = Math.min(bucketOf(value), MAX_INDEX - 1)
    const o = index >>> SUB_BITS
    let octave = o < this.octaves.length ? this.octaves[o]! : null
    if (octave === null) octave = this.octave(o)
    octave[index & (SUB - 1)]! += 1
    this.count += 1
  }

  private octave(o: number): Float64Array {
    while (this.octaves.length <= o) this.octaves.push(null)
    const octave = new Float64Array(SUB)
    this.octaves[o] = octave
    return octave
  }

  /** Adds `count` values in bucket `index` (reading a stored sketch, merging). */
  addBucket(index: number, count: number): void {
    if (count <= 0) return
    const o = index >>> SUB_BITS
    const octave = (o < this.octaves.length ? this.octaves[o]! : null) ?? this.octave(o)
    octave[index & (SUB - 1)]! += count
    this.count += count
  }

  merge(other: DurationSketch): void {
    other.forEachBucket((index, count) => this.addBucket(index, count))
  }

  /**
   * Calls `visit` for each non-empty bucket in increasing order; stops when it returns true.
   * (A generator made an array per bucket: a 300 MB trace's sketches hold millions of buckets.)
   */
  forEachBucket(visit: (index: number, count: number) => boolean | void): void {
    for (let o = 0; o < this.octaves.length; o++) {
      const octave = this.octaves[o]
      if (!octave) continue
      for (let i = 0; i < SUB; i++) if (octave[i]! > 0 && visit(o * SUB + i, octave[i]!)) return
    }
  }

  /**
   * The q-quantile (0 ≤ q ≤ 1): the value of the bucket holding the value of rank
   * ⌈q·count⌉ (nearest rank), within RELATIVE_ERROR of that value. NaN when empty.
   */
  quantile(q: number): number {
    return this.quantiles([q])[0]!
  }

  /** Several quantiles (as `quantile`, each), in one pass over the buckets: `qs` in increasing order. */
  quantiles(qs: readonly number[]): number[] {
    const out = qs.map(() => NaN)
    if (this.count === 0) return out
    const ranks = qs.map((q) => Math.max(1, Math.ceil(q * this.count)))
    let k = 0
    let seen = 0
    this.forEachBucket((index, count) => {
      seen += count
      while (k < ranks.length && seen >= ranks[k]!) out[k++] = bucketValue(index)
      return k === ranks.length
    })
    return out
  }

  /** Buckets as a compact list for JSON: [index, count, index, count, …]. */
  toArray(): number[] {
    const out: number[] = []
    this.forEachBucket((index, count) => {
      out.push(index, count)
    })
    return out
  }

  static fromArray(values: readonly number[]): DurationSketch {
    const sketch = new DurationSketch()
    for (let i = 0; i + 1 < values.length; i += 2) sketch.addBucket(values[i]!, values[i + 1]!)
    return sketch
  }
}
