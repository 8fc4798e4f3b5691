import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import wabt from 'wabt'
import {
  ARENA_WASM,
  arenaBytes,
  arenaFind,
  arenaOffset,
  arenaSame
} from '../../src/parse/byte-arena.js'
import { forEachLine } from '../../src/parse/lines.js'
import { ROOT } from '../support/paths.js'

/**
 * The WebAssembly of src/parse/byte-arena.ts: the bytes it holds are its .wat source assembled,
 * and its comparison and search answer as a byte-by-byte reading does, at every length, offset
 * and position of the difference or of the byte sought — in particular around the 16- and
 * 64-byte steps and the range's end, past which nothing may be found.
 */

/** A seeded generator: the same cases on every run. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state % n
  }
}

// Everything below works in one piece of the memory, taken once: pieces are never given back.
const SCRATCH = arenaBytes(64 * 1024)!
const base = (): number => arenaOffset(SCRATCH)

describe('the WebAssembly module (byte-arena.wat)', () => {
  it('is the .wat source beside it, assembled', async () => {
    const source = readFileSync(join(ROOT, 'src', 'parse', 'byte-arena.wat'), 'utf8')
    const module = (await wabt()).parseWat('byte-arena.wat', source, { simd: true })
    const assembled = Buffer.from(module.toBinary({}).buffer).toString('base64')
    module.destroy()
    expect(
      ARENA_WASM,
      'ARENA_WASM is not byte-arena.wat assembled: run `node scripts/byte-arena-wasm.mjs` and paste its output'
    ).toBe(assembled)
  })

  it('hands out pieces of its memory, on 16 bytes, that do not overlap', () => {
    expect(SCRATCH).toBeDefined()
    expect(base() % 16).toBe(0)
    const pieces = [1, 15, 16, 17, 100].map((size) => arenaBytes(size)!)
    pieces.forEach((piece, i) => piece.fill(i + 1))
    SCRATCH.fill(0)
    pieces.forEach((piece, i) => {
      expect(arenaOffset(piece) % 16).toBe(0)
      expect([...piece].every((b) => b === i + 1)).toBe(true)
    })
    // Views of other memory are not in it, whatever their contents.
    expect(arenaOffset(Buffer.from(pieces[4]!))).toBe(-1)
    expect(arenaOffset(Buffer.alloc(16))).toBe(-1)
  })
})

describe('comparing two ranges (arenaSame)', () => {
  const same = (a: number, b: number, n: number): boolean =>
    arenaSame(base() + a, base() + b, n) === 1

  it('tells equal ranges from ranges that differ in any one byte, at every length and offset', () => {
    for (let length = 0; length <= 80; length++) {
      for (const [a, b] of [
        [0, 4096],
        [3, 4101],
        [17, 8000],
        [1, 2]
      ] as const) {
        for (let k = 0; k < length; k++) SCRATCH[a + k] = SCRATCH[b + k] = 0x41 + ((k * 7) % 50)
        expect(same(a, b, length), `${length} bytes at ${a} and ${b}`).toBe(
          // Overlapping ranges (1 and 2) are equal only where the bytes repeat.
          SCRATCH.subarray(a, a + length).equals(SCRATCH.subarray(b, b + length))
        )
        if (b - a < length) continue
        for (let at = 0; at < length; at++) {
          const kept = SCRATCH[b + at]!
          SCRATCH[b + at] = kept ^ 0x80
          expect(same(a, b, length), `${length} bytes differing at ${at}`).toBe(false)
          SCRATCH[b + at] = kept
        }
        expect(same(a, b, length)).toBe(true)
      }
    }
  })

  it('agrees with Buffer.equals on long ranges with one difference anywhere (seeded)', () => {
    const next = random(20261201)
    for (let round = 0; round < 2000; round++) {
      const length = 16 + next(600)
      const a = next(4096)
      const b = 8192 + next(4096)
      for (let k = 0; k < length; k++) SCRATCH[a + k] = SCRATCH[b + k] = next(256)
      if (next(3) > 0) {
        const at = b + next(length)
        SCRATCH[at] = SCRATCH[at]! ^ (1 << next(8))
      }
      expect(same(a, b, length)).toBe(
        SCRATCH.subarray(a, a + length).equals(SCRATCH.subarray(b, b + length))
      )
    }
  })
})

describe('finding a byte (arenaFind)', () => {
  const find = (from: number, to: number, byte: number): number => {
    const at = arenaFind(base() + from, base() + to, byte)
    return at < 0 ? -1 : at - base()
  }
  const reference = (from: number, to: number, byte: number): number => {
    const at = SCRATCH.subarray(from, to).indexOf(byte)
    return at < 0 ? -1 : from + at
  }

  it('finds the first one at every position, and none past the end of the range', () => {
    for (let length = 0; length <= 200; length++) {
      for (const from of [0, 1, 15, 33]) {
        const to = from + length
        SCRATCH.fill(0x61, 0, to + 80)
        // One right past the end, which must not be found.
        SCRATCH[to] = 10
        expect(find(from, to, 10), `none in ${length} bytes from ${from}`).toBe(-1)
        for (let at = from; at < to; at++) {
          SCRATCH[at] = 10
          expect(find(from, to, 10), `at ${at} of ${from}..${to}`).toBe(at)
          // A second one after it changes nothing.
          if (at + 1 < to) {
            SCRATCH[to - 1] = 10
            expect(find(from, to, 10)).toBe(at)
            SCRATCH[to - 1] = 0x61
          }
          SCRATCH[at] = 0x61
        }
      }
    }
  })

  it('agrees with Buffer.indexOf on random bytes, for any byte (seeded)', () => {
    const next = random(7)
    for (let round = 0; round < 3000; round++) {
      const from = next(2048)
      const to = from + next(3000)
      // Sparse or dense: the byte sought now and then, or one in four.
      const odds = next(2) === 0 ? 400 : 4
      const byte = next(256)
      for (let k = from; k < to + 64; k++) SCRATCH[k] = next(odds) === 0 ? byte : byte ^ 0x20
      expect(find(from, to, byte)).toBe(reference(from, to, byte))
    }
  })
})

describe('lines of chunks in WebAssembly memory (forEachLine)', () => {
  it('are the lines of the same chunks in ordinary buffers (seeded)', async () => {
    const next = random(99)
    const pieces = ['abc', 'x'.repeat(70), 'y'.repeat(300), '\n', '\r\n', '\r', ',', 'é']
    for (let round = 0; round < 60; round++) {
      const text = Array.from({ length: 200 + next(400) }, () => pieces[next(pieces.length)]).join(
        ''
      )
      const bytes = Buffer.from(text)
      const chunk = 1 + next(2000)
      // The chunks are copied into the same piece of WebAssembly memory, one after another, as
      // a reader reuses its buffer (a chunk is the caller's until it asks for the next).
      function* inArena(): Generator<Buffer> {
        for (let i = 0; i < bytes.length; i += chunk) {
          const n = bytes.copy(SCRATCH, 0, i, i + chunk)
          yield SCRATCH.subarray(0, n)
        }
      }
      function* plain(): Generator<Buffer> {
        for (let i = 0; i < bytes.length; i += chunk)
          yield Buffer.from(bytes.subarray(i, i + chunk))
      }
      // The byte path takes a line or leaves it to the text path, by its length.
      const read = async (chunks: Iterable<Buffer>): Promise<string[]> => {
        const out: string[] = []
        await forEachLine(
          chunks,
          {
            bytes: (b, start, end, lineNo) => {
              if ((end - start) % 2 === 1) return false
              out.push(`${lineNo} bytes ${b.toString('latin1', start, end)}`)
              return true
            },
            text: (line, lineNo, terminated) => out.push(`${lineNo} text ${line} ${terminated}`)
          },
          { source: 'test' }
        )
        return out
      }
      const expected = await read(plain())
      expect(expected.length).toBeGreaterThan(10)
      expect(await read(inArena()), `chunks of ${chunk} bytes`).toEqual(expected)
    }
  })
})

describe('a memory used up', () => {
  it('hands out nothing more, and the comparison still works on what it gave', () => {
    const pieces: Buffer[] = []
    for (let piece = arenaBytes(1 << 20); piece; piece = arenaBytes(1 << 20)) pieces.push(piece)
    expect(pieces.length).toBeGreaterThan(10)
    expect(arenaBytes(1 << 20)).toBeUndefined()
    SCRATCH.fill(7, 0, 100)
    SCRATCH.fill(7, 200, 300)
    expect(arenaSame(base(), base() + 200, 100)).toBe(1)
  })
})
