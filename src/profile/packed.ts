import type { Stat, Table } from './model.js'
import { mergeStat } from './stat.js'

/**
 * A table of the profile model (`Map<string, Stat>`) that keeps its rows' numbers in one typed
 * array instead of one object per row.
 *
 * Why: a compare of 20,000 kernels × 10 runs a side holds 450,000 rows for its whole life. As
 * objects (eight fields, the doubles boxed) they are moved twice by the garbage collector and
 * cost as much as the rest of the parse (docs/performance.md); as columns they are written once.
 * Readers see a Map: `get` and the iterators hand out a fresh `Stat` for each row they return,
 * which dies young, so every consumer of the model (compare, render, the profile JSON) works
 * unchanged. A returned Stat is a copy: changing it changes nothing in the table (`set` does).
 */
export class PackedTable implements Table {
  /** By key id (KEY_IDS): the row + 1, 0 where the table does not hold the key. */
  private rowOfId = new Int32Array(0)
  private live = 0
  private keyAt: (string | undefined)[] = []
  private nameAt: string[] = []
  /**
   * COLUMNS numbers a row (NaN where a Stat leaves med or stdDev out), in blocks of BLOCK rows:
   * a large table grows by a block, never by copying what it holds.
   */
  private blocks: Float64Array[] = []
  /** The fields most rows do not have (occurrences, truncated, sharedBy), by row. */
  private rare = new Map<number, Rare>()
  /** Rows ever added, deleted ones included (their key is undefined). */
  private rows = 0

  get size(): number {
    return this.live
  }

  get [Symbol.toStringTag](): string {
    // Object.prototype.toString says Map, as for the tables it stands in for.
    return 'Map'
  }

  has(key: string): boolean {
    return this.rowOf(key) >= 0
  }

  get(key: string): Stat | undefined {
    const row = this.rowOf(key)
    return row < 0 ? undefined : this.statAt(row)
  }

  /** `get` by the key's number (keyId): a reader that remembers it skips the lookup. */
  getById(id: number): Stat | undefined {
    const row = id < this.rowOfId.length ? this.rowOfId[id]! - 1 : -1
    return row < 0 ? undefined : this.statAt(row)
  }

  /** The row of a key, -1 if the table does not hold it. */
  private rowOf(key: string): number {
    const id = KEY_IDS.get(key)
    return id === undefined || id >= this.rowOfId.length ? -1 : this.rowOfId[id]! - 1
  }

  set(key: string, stat: Stat): this {
    const row = this.rowOf(key)
    if (row < 0) this.add(key, stat)
    else {
      this.nameAt[row] = stat.name
      this.write(row, stat)
    }
    return this
  }

  /**
   * `set` of a key the table does not hold (the caller has just looked): one lookup less, none
   * where the caller knows the key's number (keyId).
   */
  add(key: string, stat: Stat, id = idOf(key)): void {
    this.append(id, key, stat)
  }

  /**
   * addRow (stat.ts) with one lookup of the key (none given its number, keyId): a new key takes
   * the row, a known one is merged with it (mergeStat).
   */
  merge(key: string, stat: Stat, id = idOf(key)): void {
    const row = id < this.rowOfId.length ? this.rowOfId[id]! - 1 : -1
    if (row < 0) {
      this.append(id, key, stat)
      return
    }
    const merged = mergeStat(this.statAt(row), stat)
    this.nameAt[row] = merged.name
    this.write(row, merged)
  }

  private append(id: number, key: string, stat: Stat): void {
    const row = this.rows++
    const b = row >> BLOCK_BITS
    const at = (row & (BLOCK - 1)) * COLUMNS
    // The first block starts small and doubles (most tables have a few rows), the others are whole.
    if (b === this.blocks.length)
      this.blocks.push(new Float64Array((b === 0 ? 8 : BLOCK) * COLUMNS))
    else if (at >= this.blocks[b]!.length) {
      const grown = new Float64Array(Math.min(BLOCK * COLUMNS, this.blocks[b]!.length * 2))
      grown.set(this.blocks[b]!)
      this.blocks[b] = grown
    }
    if (id >= this.rowOfId.length) {
      // Fresh zeroed memory is free until written: room for the ids to come, at no cost.
      const grown = new Int32Array(Math.max(1024, id * 2))
      grown.set(this.rowOfId)
      this.rowOfId = grown
    }
    this.rowOfId[id] = row + 1
    this.live += 1
    this.keyAt.push(key)
    this.nameAt.push(stat.name)
    this.write(row, stat)
  }

  private write(row: number, stat: Stat): void {
    const n = this.blocks[row >> BLOCK_BITS]!
    const at = (row & (BLOCK - 1)) * COLUMNS
    n[at + TOTAL] = stat.total
    n[at + INSTANCES] = stat.instances
    n[at + AVG] = stat.avg
    n[at + MIN] = stat.min
    n[at + MAX] = stat.max
    n[at + MED] = stat.med ?? NaN
    n[at + STD_DEV] = stat.stdDev ?? NaN
    if (
      stat.occurrences !== undefined ||
      stat.truncated !== undefined ||
      stat.sharedBy !== undefined
    ) {
      const rare: Rare = {}
      if (stat.occurrences !== undefined) rare.occurrences = stat.occurrences
      if (stat.truncated !== undefined) rare.truncated = stat.truncated
      if (stat.sharedBy !== undefined) rare.sharedBy = stat.sharedBy
      this.rare.set(row, rare)
    } else this.rare.delete(row)
  }

  delete(key: string): boolean {
    const row = this.rowOf(key)
    if (row < 0) return false
    this.rowOfId[KEY_IDS.get(key)!] = 0
    this.keyAt[row] = undefined
    this.live -= 1
    return true
  }

  clear(): void {
    this.rowOfId = new Int32Array(0)
    this.live = 0
    this.keyAt = []
    this.nameAt = []
    this.blocks = []
    this.rare = new Map()
    this.rows = 0
  }

  forEach(callback: (value: Stat, key: string, map: Map<string, Stat>) => void, thisArg?: unknown) {
    for (const [key, stat] of this) callback.call(thisArg, stat, key, this)
  }

  *entries(): MapIterator<[string, Stat]> {
    // Rows added while iterating are visited, as a Map's are.
    for (let row = 0; row < this.rows; row++) {
      const key = this.keyAt[row]
      if (key !== undefined) yield [key, this.statAt(row)]
    }
  }

  *keys(): MapIterator<string> {
    for (let row = 0; row < this.rows; row++) {
      const key = this.keyAt[row]
      if (key !== undefined) yield key
    }
  }

  *values(): MapIterator<Stat> {
    for (let row = 0; row < this.rows; row++) {
      if (this.keyAt[row] !== undefined) yield this.statAt(row)
    }
  }

  [Symbol.iterator](): MapIterator<[string, Stat]> {
    return this.entries()
  }

  /**
   * Each row's key and numbers, in the order iteration gives them (scanRows), in one Stat object
   * written anew for each row: for readers that sum rows and keep none, where iterating makes a
   * Stat a row (400,000 in a compare of 20,000 kernels × 10 runs a side). The Stat is valid only
   * during the call, and holds every field, undefined where the row has none.
   */
  scan(visit: (key: string, stat: Stat) => void): void {
    const stat = scratchStat()
    for (let row = 0; row < this.rows; row++) {
      const key = this.keyAt[row]
      if (key === undefined) continue
      const n = this.blocks[row >> BLOCK_BITS]!
      const at = (row & (BLOCK - 1)) * COLUMNS
      const med = n[at + MED]!
      const stdDev = n[at + STD_DEV]!
      stat.name = this.nameAt[row] ?? ''
      stat.total = n[at + TOTAL]!
      stat.instances = n[at + INSTANCES]!
      stat.avg = n[at + AVG]!
      stat.min = n[at + MIN]!
      stat.max = n[at + MAX]!
      stat.med = med === med ? med : undefined
      stat.stdDev = stdDev === stdDev ? stdDev : undefined
      const rare = this.rare.size > 0 ? this.rare.get(row) : undefined
      stat.occurrences = rare?.occurrences
      stat.truncated = rare?.truncated
      stat.sharedBy = rare?.sharedBy
      visit(key, stat)
    }
  }

  private statAt(row: number): Stat {
    const n = this.blocks[row >> BLOCK_BITS]!
    const at = (row & (BLOCK - 1)) * COLUMNS
    const name = this.nameAt[row] ?? ''
    const total = n[at + TOTAL]!
    const instances = n[at + INSTANCES]!
    const avg = n[at + AVG]!
    const min = n[at + MIN]!
    const max = n[at + MAX]!
    const med = n[at + MED]!
    const stdDev = n[at + STD_DEV]!
    // The same field order as the parsers' literals: one object shape for the usual row.
    let stat: Stat
    if (med === med && stdDev === stdDev)
      stat = { name, total, instances, avg, min, max, med, stdDev }
    else {
      stat = { name, total, instances, avg, min, max }
      if (med === med) stat.med = med
      if (stdDev === stdDev) stat.stdDev = stdDev
    }
    const rare = this.rare.size > 0 ? this.rare.get(row) : undefined
    if (rare) {
      if (rare.occurrences !== undefined) stat.occurrences = rare.occurrences
      if (rare.truncated !== undefined) stat.truncated = rare.truncated
      if (rare.sharedBy !== undefined) stat.sharedBy = rare.sharedBy
    }
    return stat
  }
}

/**
 * Every key any packed table holds, numbered once for the process: the same kernel in ten runs
 * is one lookup here and an index into each run's table, not a lookup in ten maps.
 */
const KEY_IDS = new Map<string, number>()

/**
 * Each row of a table as `visit(key, stat)`, in iteration order; a packed table's through one
 * Stat object written anew for each row (PackedTable.scan), so `visit` keeps nothing of it.
 */
export function scanRows(table: Table, visit: (key: string, stat: Stat) => void): void {
  if (table instanceof PackedTable) table.scan(visit)
  else for (const [key, stat] of table) visit(key, stat)
}

/**
 * A Stat to write rows into, one after another (PackedTable.scan, a parser's usual row): every
 * field there from the start, so that writing one never changes its shape.
 */
export function scratchStat(): Stat {
  return {
    name: '',
    total: 0,
    instances: 0,
    avg: 0,
    min: 0,
    max: 0,
    med: undefined,
    stdDev: undefined,
    occurrences: undefined,
    truncated: undefined,
    sharedBy: undefined
  }
}

/**
 * What a reader keeps with a name it meets again and again (a name read from bytes, see
 * src/parse/intern.ts): its canonical key in one table (`slot`, a TABLE_NAMES index; -1 none
 * yet) and that key's number (-1 until asked), keys in other slots in `others`. Nearly every name
 * is the key of one table: one slot, not an array per name (3.6 MB for 20,000 names).
 */
export interface KeyMemo {
  slot: number
  key: string | undefined
  id: number
  others: (string | undefined)[] | undefined
}

/** The key kept in `slot`, undefined if none yet. */
export function keyIn(memo: KeyMemo, slot: number): string | undefined {
  return memo.slot === slot ? memo.key : memo.others?.[slot]
}

/** Keeps `key` in `slot`, and returns it. */
export function keepKey(memo: KeyMemo, slot: number, key: string): string {
  if (memo.slot < 0) {
    memo.slot = slot
    memo.key = key
  } else (memo.others ??= [])[slot] = key
  return key
}

/**
 * The number of `key`, the key kept in `slot`: worked out once where it is the memo's first slot,
 * so that a row of a name met before costs no lookup of its key in the map of every key (for
 * 300-character keys met in no particular order, a cache miss a row).
 */
export function keyIdIn(memo: KeyMemo, slot: number, key: string): number {
  if (memo.slot !== slot) return idOf(key)
  if (memo.id < 0) memo.id = idOf(key)
  return memo.id
}

function idOf(key: string): number {
  let id = KEY_IDS.get(key)
  if (id === undefined) {
    id = KEY_IDS.size
    KEY_IDS.set(key, id)
  }
  return id
}

type Rare = Pick<Stat, 'occurrences' | 'truncated' | 'sharedBy'>

const TOTAL = 0
const INSTANCES = 1
const AVG = 2
const MIN = 3
const MAX = 4
const MED = 5
const STD_DEV = 6
const COLUMNS = 7
const BLOCK_BITS = 10
const BLOCK = 1 << BLOCK_BITS
