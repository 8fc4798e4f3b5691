import { describe, expect, it } from 'vitest'
import { ByteNames, hashBytes } from '../../src/parse/intern.js'

/** Names as bytes, at offsets inside a larger buffer (as a reader finds them in a chunk). */
function layout(names: readonly string[]): { bytes: Buffer; at: [number, number][] } {
  const parts: Buffer[] = []
  const at: [number, number][] = []
  let offset = 3
  parts.push(Buffer.from('x,"'))
  for (const name of names) {
    const b = Buffer.from(name, 'utf8')
    at.push([offset, offset + b.length])
    parts.push(b, Buffer.from('","'))
    offset += b.length + 3
  }
  return { bytes: Buffer.concat(parts), at }
}

describe('names read from bytes (ByteNames)', () => {
  it('gives one object per distinct name, its text decoded, across growth', () => {
    const names = Array.from({ length: 30_000 }, (_, i) => `kernel_${i}<float, ${i % 7}>`)
    names.push('', 'é核', 'x'.repeat(2 * 1024 * 1024)) // empty, UTF-8, longer than a block
    const { bytes, at } = layout(names)
    const table = new ByteNames()
    const first = at.map(([s, e]) => table.get(bytes, s, e))
    // A lookup may give up (a long probe run, rare with a random seed): the caller then reads
    // the row as text. It never answers another name.
    const found = first.filter((interned) => interned !== undefined)
    expect(found.length).toBeGreaterThan(names.length * 0.999)
    first.forEach((interned, i) => {
      if (interned) expect(interned.text).toBe(names[i])
    })
    // Again, from another copy of the bytes: the same objects.
    const copy = Buffer.from(bytes)
    at.forEach(([s, e], i) => {
      if (first[i]) expect(table.get(copy, s, e)).toBe(first[i])
    })
    expect(new Set(found).size).toBe(found.length)
  })

  it('tells names of one hash apart by their bytes, and gives up after a bounded search', () => {
    const names = Array.from({ length: 40 }, (_, i) => `same_length_${String(i).padStart(2, '0')}`)
    const { bytes, at } = layout(names)
    const table = new ByteNames()
    // Every name given the same hash: each lookup must compare bytes to find its own.
    const found = at.map(([s, e]) => table.getHashed(bytes, s, e, 12345))
    expect(found.slice(0, 32).map((f) => f?.text)).toEqual(names.slice(0, 32))
    // Past 32 probes the table gives up (the caller takes its text path): no quadratic work.
    expect(found.slice(32)).toEqual(new Array(8).fill(undefined))
    at.slice(0, 32).forEach(([s, e], i) =>
      expect(table.getHashed(bytes, s, e, 12345)).toBe(found[i])
    )
  })

  it('hashes as getHashed expects: hashBytes from the table seed', () => {
    const { bytes, at } = layout(['flash_fwd_kernel'])
    const [[s, e]] = at as [[number, number]]
    const table = new ByteNames()
    const byHash = table.getHashed(bytes, s, e, hashBytes(bytes, s, e, table.seed))
    expect(table.get(bytes, s, e)).toBe(byHash)
  })
})
