import type { Stat, Table } from './model.js'

/**
 * Merges two rows that describe the same item (nsys 2022.4 `gpukernsum` splits a kernel by
 * grid/block; `:nvtx-name` and name normalisation can also bring rows together).
 *
 * total and instances add up (and occurrences: the parts are disjoint, as nsys prints each
 * range instance in one row), min/max are the extremes, avg = total / instances. The sample
 * standard deviation is pooled exactly from each part's count, mean and deviation; a median
 * cannot be merged from medians, so it is dropped.
 */
export function mergeStat(a: Stat, b: Stat): Stat {
  const instances = a.instances + b.instances
  const total = a.total + b.total
  const avg = instances > 0 ? total / instances : 0
  const merged: Stat = {
    name: a.name,
    total,
    instances,
    avg,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max)
  }
  const stdDev = pooledStdDev(a.instances, a.avg, a.stdDev, b, instances, avg)
  if (stdDev !== undefined) merged.stdDev = stdDev
  if (a.occurrences !== undefined || b.occurrences !== undefined)
    merged.occurrences = (a.occurrences ?? a.instances) + (b.occurrences ?? b.instances)
  if (a.truncated || b.truncated) merged.truncated = true
  if (a.sharedBy !== undefined || b.sharedBy !== undefined)
    merged.sharedBy = (a.sharedBy ?? 1) + (b.sharedBy ?? 1)
  return merged
}

/**
 * The sample standard deviation of two parts together, of `instances` values with mean `avg`:
 * undefined unless both parts have one and there are two values at least.
 */
function pooledStdDev(
  aInstances: number,
  aAvg: number,
  aStdDev: number | undefined,
  b: Stat,
  instances: number,
  avg: number
): number | undefined {
  if (aStdDev === undefined || b.stdDev === undefined || instances <= 1) return undefined
  const squares =
    Math.max(aInstances - 1, 0) * aStdDev ** 2 +
    Math.max(b.instances - 1, 0) * b.stdDev ** 2 +
    aInstances * (aAvg - avg) ** 2 +
    b.instances * (b.avg - avg) ** 2
  return Math.sqrt(squares / (instances - 1))
}

/**
 * Items summed under one name (a category, a kind of call), in place. The first item's numbers
 * come under the name, its median and deviation too (the cut-name marks and occurrences stay
 * behind); each further item merges as mergeStat merges (which drops the median: medians do
 * not merge). `stat()` is, number for number, what folding mergeStat over the renamed rows
 * gives, without two new objects an item: a compare of 20,000 kernels × 10 runs a side sums
 * 400,000 of them into its categories.
 */
export class RenamedSum {
  private total: number
  private instances: number
  private avg: number
  private min: number
  private max: number
  /** The first item's, until a second joins (medians do not merge). */
  private med: number | undefined
  private stdDev: number | undefined

  constructor(
    private readonly name: string,
    first: Stat
  ) {
    this.total = first.total
    this.instances = first.instances
    this.avg = first.avg
    this.min = first.min
    this.max = first.max
    this.med = first.med
    this.stdDev = first.stdDev
  }

  add(stat: Stat): void {
    const instances = this.instances + stat.instances
    const total = this.total + stat.total
    const avg = instances > 0 ? total / instances : 0
    this.stdDev = pooledStdDev(this.instances, this.avg, this.stdDev, stat, instances, avg)
    this.min = Math.min(this.min, stat.min)
    this.max = Math.max(this.max, stat.max)
    this.instances = instances
    this.total = total
    this.avg = avg
    this.med = undefined
  }

  stat(): Stat {
    const row: Stat = {
      name: this.name,
      total: this.total,
      instances: this.instances,
      avg: this.avg,
      min: this.min,
      max: this.max
    }
    if (this.med !== undefined) row.med = this.med
    if (this.stdDev !== undefined) row.stdDev = this.stdDev
    return row
  }
}

/** Rows summed by the name they go under (RenamedSum each), as a table in first-seen order. */
export class RenamedSums {
  private readonly sums = new Map<string, RenamedSum>()

  add(name: string, stat: Stat): void {
    const sum = this.sums.get(name)
    if (sum) sum.add(stat)
    else this.sums.set(name, new RenamedSum(name, stat))
  }

  table(): Table {
    const out: Table = new Map()
    for (const [name, sum] of this.sums) out.set(name, sum.stat())
    return out
  }
}

/**
 * Adds a row to a table, merging with an existing row of the same key. The table takes the
 * object (its name detached), so a caller hands over a stat it no longer changes.
 */
export function addRow(table: Table, key: string, stat: Stat): void {
  const existing = table.get(key)
  if (existing) {
    table.set(key, mergeStat(existing, stat))
    return
  }
  const name = detach(stat.name)
  stat.name = name
  table.set(key === name ? name : detach(key), stat)
}

/**
 * A copy of a string that does not point into the text it was cut from. V8 implements
 * `slice` as a view of the parent string, so a kept kernel name would otherwise keep its whole
 * input chunk alive: memory would grow with the input instead of with the distinct names.
 */
export function detach(text: string): string {
  if (text.length < 13) return text
  // Interned: the same kernel in ten runs is stored once.
  let copy = POOL.get(text)
  if (copy === undefined) {
    if (POOL.size >= POOL_LIMIT) POOL.clear()
    // Flattening a concatenation copies the characters; the slice then points into the copy.
    copy = (' ' + text).slice(1)
    POOL.set(copy, copy)
  }
  return copy
}

const POOL = new Map<string, string>()
const POOL_LIMIT = 1_000_000

/**
 * Streaming accumulator for per-event durations (GPU trace rows): count, sum, min, max and a
 * Welford running variance. Memory does not grow with the number of events.
 */
export class StatAccumulator {
  private count = 0
  private sum = 0
  private lo = Infinity
  private hi = -Infinity
  private mean = 0
  private m2 = 0

  readonly name: string

  constructor(name: string) {
    this.name = detach(name)
  }

  add(value: number): void {
    this.count += 1
    this.sum += value
    if (value < this.lo) this.lo = value
    if (value > this.hi) this.hi = value
    const delta = value - this.mean
    this.mean += delta / this.count
    this.m2 += delta * (value - this.mean)
  }

  toStat(): Stat {
    const stat: Stat = {
      name: this.name,
      total: this.sum,
      instances: this.count,
      avg: this.count > 0 ? this.sum / this.count : 0,
      min: this.count > 0 ? this.lo : 0,
      max: this.count > 0 ? this.hi : 0
    }
    if (this.count > 1) stat.stdDev = Math.sqrt(this.m2 / (this.count - 1))
    else if (this.count === 1) stat.stdDev = 0
    return stat
  }
}

/**
 * What is inconsistent in a row, or undefined when nothing is. Rows obey invariants whatever the
 * profiler: every number below 2^53, min ≤ avg ≤ max, min ≤ med ≤ max, avg × instances ≈ total,
 * total ≥ max, a standard deviation no larger than the range. `resolution` is the step of the printed numbers (in the
 * table's unit): rounding is never reported as an inconsistency; `avgResolution` that of the
 * average, when it was printed finer (`1239522.7` ns beside whole-ns totals). A row read with its
 * columns shifted (a cell too many or too few) breaks at least one of these.
 */
export function statProblem(
  stat: Stat,
  resolution: number,
  avgResolution = resolution
): string | undefined {
  const { total, instances, avg, min, max, med, stdDev } = stat
  // Above 2^53 a number has no exact integer: not a count, not a time in ns (104 days). The checks
  // below bound min and avg by max, and max by the total. NaN fails here too.
  if (!(total <= Number.MAX_SAFE_INTEGER)) return `the total ${fmt(total)} is not a measurement`
  if (!(instances <= Number.MAX_SAFE_INTEGER)) return `${fmt(instances)} instances is not a count`
  if (!(max <= Number.MAX_SAFE_INTEGER)) return `max ${fmt(max)} is not a measurement`
  const slack = (a: number, b: number): number =>
    resolution + 1e-9 * (Math.abs(a) > Math.abs(b) ? Math.abs(a) : Math.abs(b))
  // Nothing ran: the total is 0 in any unit (no rounding makes time of no instance), and so is
  // every other measure (0 prints as 0 at any step: an average of 1.5 over nothing is made up).
  if (instances === 0) {
    if (total > 0) return `${fmt(total)} in total over 0 instances`
    for (const [label, value] of [
      ['avg', avg],
      ['min', min],
      ['max', max],
      ['med', med],
      ['stdDev', stdDev]
    ] as const)
      if (value !== undefined && Math.abs(value) > 0)
        return `${label} ${fmt(value)} over 0 instances`
    return undefined
  }
  if (above(min, avg, resolution)) return `min ${fmt(min)} is above avg ${fmt(avg)}`
  if (above(avg, max, resolution)) return `avg ${fmt(avg)} is above max ${fmt(max)}`
  if (med !== undefined && (above(min, med, resolution) || above(med, max, resolution)))
    return `med ${fmt(med)} is outside min ${fmt(min)} … max ${fmt(max)}`
  if (above(max, total, resolution)) return `max ${fmt(max)} is above the total ${fmt(total)}`
  const product = avg * instances
  // avg is total / instances, printed to avgResolution: each instance adds half a step.
  if (Math.abs(product - total) > (instances * avgResolution) / 2 + slack(product, total))
    return `avg ${fmt(avg)} × ${instances} instances is ${fmt(product)}, not the total ${fmt(total)}`
  if (stdDev !== undefined) {
    const range = instances > 1 ? max - min : 0
    if (stdDev > range + slack(stdDev, range))
      return `stdDev ${fmt(stdDev)} is larger than the range ${fmt(range)} of ${instances} instance${instances === 1 ? '' : 's'}`
  }
  return undefined
}

/**
 * Whether `a`, which should be at most `b`, is above it by more than printing can explain.
 * Rounding to one step keeps order (a ≤ b prints as a ≤ b); an average printed finer than the
 * rest is off by less than half of each step, so under one step in all; a row merged from parts
 * (a kernel split by launch shape) is too (each part's total is at least its count times the
 * least minimum, less half a step, so the merged average is under one step below the minimum).
 * A whole step or more is no rounding: `min 1000, avg 0` in a row of whole µs is a made-up
 * number, not a print. Beyond the step, the doubles' own error (1e-9 of the larger) is allowed.
 */
function above(a: number, b: number, step: number): boolean {
  const excess = a - b
  return excess >= step && excess > 1e-9 * (Math.abs(a) > Math.abs(b) ? Math.abs(a) : Math.abs(b))
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000)
}
