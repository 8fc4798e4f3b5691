import { describe, expect, it } from 'vitest'
import { byImportance, sortByImportance, type ItemDiff } from '../../src/compare/compare.js'

/**
 * Items are listed by importance: regressions first, larger changes (or, for unchanged items,
 * larger values) first, then by key. sortByImportance sorts with each weight worked out once;
 * it must give exactly the order of a sort by byImportance, ties and infinities included.
 */

const STATUSES = ['regressed', 'improved', 'new', 'removed', 'unchanged'] as const

function item(key: string, status: ItemDiff['status'], delta: number, value: number): ItemDiff {
  const side = { value } as ItemDiff['base']
  return { key, name: key, status, delta, base: side, head: side } as ItemDiff
}

describe('the order of items', () => {
  it('is byImportance order on random tables with many ties, zeros and infinities', () => {
    let state = 7
    const random = (n: number): number => {
      state = (Math.imul(state ^ (state >>> 13), 0x5bd1e995) + 0x9e3779b9) | 0
      return (state >>> 0) % n
    }
    const values = [0, -0, 1, 2, 2.5, 1e9, Infinity]
    for (let round = 0; round < 200; round++) {
      const n = 1 + random(60)
      const items = Array.from({ length: n }, () =>
        item(
          // Keys with a long common prefix, as kernel names have, and repeats.
          `void at::native::kernel<${random(8)}>`,
          STATUSES[random(STATUSES.length)]!,
          values[random(values.length)]! * (random(2) ? 1 : -1),
          values[random(values.length)]!
        )
      )
      const expected = [...items].sort(byImportance)
      const actual = [...items]
      sortByImportance(actual)
      expect(actual).toEqual(expected)
      // The same objects in the same places, not only equal ones.
      actual.forEach((a, i) => expect(a).toBe(expected[i]))
    }
  })

  it('lists regressions first, the largest change first, ties by key', () => {
    const items = [
      item('b', 'unchanged', 0, 5),
      item('z', 'regressed', 10, 1),
      item('a', 'regressed', -30, 1),
      item('c', 'unchanged', 0, 5),
      item('a', 'unchanged', 0, 9),
      item('m', 'improved', -50, 1)
    ]
    sortByImportance(items)
    expect(items.map((i) => `${i.status}:${i.key}`)).toEqual([
      'regressed:a',
      'regressed:z',
      'improved:m',
      'unchanged:a',
      'unchanged:b',
      'unchanged:c'
    ])
  })
})
