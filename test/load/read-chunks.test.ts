import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readChunks } from '../../src/load/files.js'

const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-chunks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A file of `size` bytes that differs from every other file written here at every offset. */
function patterned(name: string, size: number, salt: number): string {
  const bytes = Buffer.alloc(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + salt * 7 + (i >> 12)) & 0xff
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

async function whole(
  path: string,
  offset = 0,
  size: 'small' | 'large' = 'small',
  sizes: number[] = []
): Promise<Buffer> {
  const parts: Buffer[] = []
  // A chunk is the caller's only until it asks for the next one: copied here.
  for await (const chunk of readChunks(path, offset, size)) {
    parts.push(Buffer.from(chunk))
    sizes.push(chunk.length)
  }
  return Buffer.concat(parts)
}

describe('readChunks', () => {
  it('gives every byte of files of several chunks, of one, and of none, in order', async () => {
    for (const [i, size] of [
      0,
      1,
      1000,
      256 * 1024,
      256 * 1024 + 1,
      3 * 256 * 1024 + 17
    ].entries()) {
      const path = patterned(`f${i}`, size, i)
      expect((await whole(path)).equals(readFileSync(path)), `${size} bytes`).toBe(true)
    }
  })

  it('reads files at once without one read landing in another file’s chunks', async () => {
    const paths = [0, 1, 2, 3].map((i) => patterned(`c${i}`, 2 * 256 * 1024 + 100 * i, 10 + i))
    const read = await Promise.all(paths.map((path) => whole(path)))
    read.forEach((bytes, i) => expect(bytes.equals(readFileSync(paths[i]!))).toBe(true))
  })

  it('a reader that stops early (a read of the next chunk in flight) ends cleanly, and files read after it are whole', async () => {
    const big = patterned('big', 4 * 256 * 1024, 20)
    const next = patterned('next', 3 * 256 * 1024, 21)
    for (let round = 0; round < 5; round++) {
      for await (const chunk of readChunks(big)) {
        expect(chunk.length).toBeGreaterThan(0)
        break
      }
      expect((await whole(next)).equals(readFileSync(next))).toBe(true)
    }
  })

  it('starts at an offset, in chunks of 256 KiB or of 1 MiB, and reads the same bytes both ways', async () => {
    const path = patterned('offset', 3 * 1024 * 1024 + 5, 30)
    const bytes = readFileSync(path)
    for (const offset of [
      0,
      1,
      4095,
      256 * 1024,
      1024 * 1024 + 3,
      bytes.length - 1,
      bytes.length
    ]) {
      for (const size of ['small', 'large'] as const) {
        const sizes: number[] = []
        const read = await whole(path, offset, size, sizes)
        expect(read.equals(bytes.subarray(offset)), `from ${offset}, ${size}`).toBe(true)
        const chunk = size === 'large' ? 1024 * 1024 : 256 * 1024
        expect(Math.max(0, ...sizes)).toBeLessThanOrEqual(chunk)
        // Whole chunks but the last: a 3 MiB file in 1 MiB chunks is four reads, not twelve.
        expect(sizes.slice(0, -1).every((n) => n === chunk)).toBe(true)
      }
    }
  })

  it('says which file is missing', async () => {
    await expect(whole(join(dir, 'absent.csv'))).rejects.toThrow(/absent\.csv.*no such file/)
  })
})
