import { describe, expect, it } from 'vitest'
import type { Stat } from '../../src/profile/model.js'
import {
  PackedTable,
  keepKey,
  keyIdIn,
  keyIn,
  scanRows,
  type KeyMemo
} from '../../src/profile/packed.js'
import { addRow } from '../../src/profile/stat.js'

// Deterministic pseudo-random numbers (a fixed LCG), so a failure replays. In 32-bit steps
// (Math.imul): the product in doubles passes 2^53, loses bits and falls into a short cycle.
function lcg(seed: number): () => number {
  let s = seed
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff
    return s / 2147483648
  }
}

function randomStat(random: () => number, name: string): Stat {
  const total = Math.round(random() * 1e12) / (random() < 0.3 ? 10 : 1)
  const stat: Stat = {
    name,
    total,
    instances: Math.floor(random() * 1000),
    avg: random() * 1e6,
    min: random() < 0.05 ? -0 : random() * 10,
    max: random() * 1e7
  }
  if (random() < 0.8) stat.med = random() * 1e5
  if (random() < 0.8) stat.stdDev = random() < 0.1 ? 0 : random() * 1e3
  if (random() < 0.1) stat.occurrences = Math.floor(random() * 100)
  if (random() < 0.1) stat.truncated = random() < 0.8
  if (random() < 0.1) stat.sharedBy = 1 + Math.floor(random() * 4)
  return stat
}

function withoutUndefined(stat: Stat): Stat {
  return Object.fromEntries(Object.entries(stat).filter(([, v]) => v !== undefined)) as Stat
}

describe('PackedTable', () => {
  it('behaves as a Map of the same operations (set, get, has, delete, clear, iteration, size)', () => {
    // The reference is a plain Map: every answer of the packed table must equal its answer.
    for (let seed = 1; seed <= 20; seed++) {
      const random = lcg(seed)
      const packed = new PackedTable()
      const reference = new Map<string, Stat>()
      // Enough keys to cross several blocks of rows and grow the id index.
      const keys = Array.from({ length: 3000 }, (_, i) => `kernel_${seed}_${i % 2500}`)
      for (let step = 0; step < 6000; step++) {
        const key = keys[Math.floor(random() * keys.length)]!
        const roll = random()
        if (roll < 0.6) {
          const stat = randomStat(random, `${key} as printed`)
          expect(packed.set(key, stat)).toBe(packed)
          reference.set(key, { ...stat })
        } else if (roll < 0.7) {
          expect(packed.delete(key)).toBe(reference.delete(key))
        } else if (roll < 0.9999) {
          expect(packed.has(key)).toBe(reference.has(key))
          expect(packed.get(key)).toStrictEqual(reference.get(key))
        } else {
          packed.clear()
          reference.clear()
        }
      }
      expect(packed.size).toBe(reference.size)
      expect([...packed.keys()]).toEqual([...reference.keys()])
      expect([...packed.values()]).toStrictEqual([...reference.values()])
      expect([...packed]).toStrictEqual([...reference])
      const seen: [string, Stat][] = []
      packed.forEach((stat, key, map) => {
        expect(map).toBe(packed)
        seen.push([key, stat])
      })
      expect(seen).toStrictEqual([...reference.entries()])
      // scanRows: one Stat, written anew for each row with every field (undefined where the row
      // has none); copied without those, the rows of the reference, and a Map's rows as they are.
      const scanned: [string, Stat][] = []
      let shared: Stat | undefined
      scanRows(packed, (key, stat) => {
        if (shared) expect(stat).toBe(shared)
        shared = stat
        scanned.push([key, withoutUndefined(stat)])
      })
      expect(scanned).toStrictEqual([...reference.entries()])
      const fromMap: [string, Stat][] = []
      scanRows(reference, (key, stat) => fromMap.push([key, stat]))
      expect(fromMap).toStrictEqual([...reference.entries()])
    }
  })

  it('merge gives what addRow gives on a Map (rows of one key merged, new keys appended)', () => {
    const random = lcg(7)
    const packed = new PackedTable()
    const reference = new Map<string, Stat>()
    for (let i = 0; i < 2000; i++) {
      const key = `k${Math.floor(random() * 300)}`
      const stat = randomStat(random, `${key} printed`)
      packed.merge(key, { ...stat })
      addRow(reference, key, { ...stat })
    }
    expect([...packed]).toStrictEqual([...reference])
  })

  it('keeps numbers exactly: -0, fractions, 2^53 - 1, and no field the row did not have', () => {
    const table = new PackedTable()
    const exact: Stat = {
      name: 'k',
      total: Number.MAX_SAFE_INTEGER,
      instances: 3,
      avg: 0.1 + 0.2,
      min: -0,
      max: 1e-7
    }
    table.set('k', exact)
    const back = table.get('k')!
    expect(back).toStrictEqual(exact)
    expect(Object.is(back.min, -0)).toBe(true)
    expect(Object.keys(back)).toEqual(['name', 'total', 'instances', 'avg', 'min', 'max'])
    // Overwriting a row with optional fields by one without them removes them.
    table.set('k', { ...exact, med: 1, stdDev: 2, occurrences: 4, truncated: true, sharedBy: 2 })
    expect(table.get('k')).toStrictEqual({
      ...exact,
      med: 1,
      stdDev: 2,
      occurrences: 4,
      truncated: true,
      sharedBy: 2
    })
    table.set('k', exact)
    expect(table.get('k')).toStrictEqual(exact)
  })

  it('hands out copies: changing a returned Stat leaves the table as it was', () => {
    const table = new PackedTable()
    table.set('k', { name: 'k', total: 10, instances: 1, avg: 10, min: 10, max: 10 })
    const copy = table.get('k')!
    copy.total = 99
    expect(table.get('k')!.total).toBe(10)
  })

  it('reads as a Map to Object.prototype.toString and to deep equality', () => {
    const a = new PackedTable()
    const b = new PackedTable()
    const stat: Stat = { name: 'k', total: 1, instances: 1, avg: 1, min: 1, max: 1 }
    a.set('k', stat)
    b.set('k', { ...stat })
    expect(Object.prototype.toString.call(a)).toBe('[object Map]')
    expect(a).toEqual(b)
    b.set('k', { ...stat, total: 2 })
    expect(a).not.toEqual(b)
  })
})

describe('the keys a name keeps (KeyMemo)', () => {
  const fresh = (): KeyMemo => ({ slot: -1, key: undefined, id: -1, others: undefined })
  const stat = (name: string, total: number): Stat => ({
    name,
    total,
    instances: 1,
    avg: total,
    min: total,
    max: total
  })

  it('keeps a key in each slot, the first apart from the others', () => {
    const memo = fresh()
    expect(keyIn(memo, 3)).toBeUndefined()
    expect(keepKey(memo, 3, 'k3')).toBe('k3')
    expect(keepKey(memo, 0, 'k0')).toBe('k0')
    expect(keepKey(memo, 7, 'k7')).toBe('k7')
    expect([keyIn(memo, 3), keyIn(memo, 0), keyIn(memo, 7), keyIn(memo, 1)]).toEqual([
      'k3',
      'k0',
      'k7',
      undefined
    ])
  })

  it('numbers a key as the tables do, whichever slot it is kept in', () => {
    const memo = fresh()
    keepKey(memo, 2, 'memo-first-key')
    keepKey(memo, 5, 'memo-other-key')
    const table = new PackedTable()
    table.add('memo-first-key', stat('a', 1), keyIdIn(memo, 2, 'memo-first-key'))
    table.merge('memo-other-key', stat('b', 2), keyIdIn(memo, 5, 'memo-other-key'))
    // Kept once it was asked for, and the same number the next time.
    expect(memo.id).toBeGreaterThanOrEqual(0)
    expect(keyIdIn(memo, 2, 'memo-first-key')).toBe(memo.id)
    table.merge('memo-first-key', stat('a', 3), keyIdIn(memo, 2, 'memo-first-key'))
    // Found by key as by number: the numbers are the tables' own.
    expect(table.get('memo-first-key')?.total).toBe(4)
    expect(table.get('memo-other-key')?.total).toBe(2)
    expect(table.getById(keyIdIn(memo, 5, 'memo-other-key'))?.total).toBe(2)
    expect([...table.keys()]).toEqual(['memo-first-key', 'memo-other-key'])
    const other = new PackedTable()
    other.add('memo-other-key', stat('b', 5))
    expect(other.getById(keyIdIn(memo, 5, 'memo-other-key'))?.total).toBe(5)
    expect(other.getById(keyIdIn(memo, 2, 'memo-first-key'))).toBeUndefined()
  })
})
