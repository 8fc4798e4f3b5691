import { describe, expect, it } from 'vitest'
import { ByteKey, ByteNames, hashBytes, sameBytes } from '../../src/parse/intern.js'

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

describe('hashing and comparing name bytes', () => {
  it('never gives two names of one length that differ in one byte the same hash', () => {
    // Each step of the hash is invertible in its state (an XOR, a multiply by an odd number, a
    // rotation), so one byte changed anywhere, in the eight-byte steps or the tail, must change
    // the hash, at every offset of the name in its buffer and for every seed.
    for (const seed of [0, 1, -1, 0x12345678]) {
      for (let length = 1; length <= 40; length++) {
        const name = Buffer.from(
          'flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128>>'.slice(0, length)
        )
        for (const offset of [0, 1, 3]) {
          const bytes = Buffer.concat([Buffer.alloc(offset, 0x61), name])
          const original = hashBytes(bytes, offset, bytes.length, seed)
          for (let at = 0; at < length; at++) {
            for (const replacement of [0x00, 0x41, 0xff, bytes[offset + at]! ^ 1]) {
              const edited = Buffer.from(bytes)
              edited[offset + at] = replacement
              if (edited.equals(bytes)) continue
              expect(hashBytes(edited, offset, edited.length, seed)).not.toBe(original)
            }
          }
          // The same bytes elsewhere, in another buffer: the same hash.
          const moved = Buffer.concat([Buffer.from('xyz,"'), name, Buffer.from('"\n')])
          expect(hashBytes(moved, 5, 5 + length, seed)).toBe(original)
        }
      }
    }
  })

  it('spreads names that differ only inside over the low bits the table indexes by', () => {
    // Kernel names of one template differ in a few bytes in the middle, with long common
    // heads and tails: 3,000 such names over 4,096 slots fill about as many as random numbers
    // would (4096 × (1 − e^(−3000/4096)) ≈ 2,126).
    const seed = 987654321
    const slots = new Set<number>()
    for (let i = 0; i < 3000; i++) {
      const name = Buffer.from(
        `void at::native::elementwise_kernel<128, ${i % 8}, at::native::kernel_${i}<c10::BFloat16>>(int, T3)`
      )
      slots.add(hashBytes(name, 0, name.length, seed) & 4095)
    }
    expect(slots.size).toBeGreaterThan(2050)
    expect(slots.size).toBeLessThan(2200)
  })

  it('compares bytes as Buffer.equals does, below and above the length compared natively', () => {
    const a = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 7) % 256))
    for (const length of [0, 1, 3, 4, 5, 7, 8, 25, 63, 64, 65, 66, 150]) {
      // A key of a's bytes [3, 3 + length): the words it keeps are read at an odd offset.
      const key = new ByteKey(a, 3, 3 + length)
      for (const shift of [0, 5]) {
        const b = Buffer.concat([Buffer.alloc(shift), a])
        expect(sameBytes(a, 3, b, 3 + shift, length)).toBe(true)
        expect(key.equals(b, 3 + shift, 3 + shift + length)).toBe(true)
        // Another length over the same bytes is another key.
        expect(key.equals(b, 3 + shift, 3 + shift + length + 1)).toBe(false)
        if (length > 0) expect(key.equals(b, 3 + shift, 2 + shift + length)).toBe(false)
        for (let at = 0; at < length; at++) {
          const c = Buffer.from(b)
          c[3 + shift + at] = c[3 + shift + at]! ^ 0x80
          expect(sameBytes(a, 3, c, 3 + shift, length)).toBe(false)
          expect(key.equals(c, 3 + shift, 3 + shift + length)).toBe(false)
        }
      }
    }
  })
})
