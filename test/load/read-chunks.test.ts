import { execFileSync } from 'node:child_process'
import {
  mkdtempSync,
  openSync,
  closeSync,
  constants,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readChunks, readHead } from '../../src/load/files.js'

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

  it('reads a file of one chunk, first bytes, and a file read by a thread of its own without the thread pool: a pool kept busy does not hold them up', async () => {
    // libuv's threads (four unless UV_THREADPOOL_SIZE says), each waiting in open() for a writer
    // of a FIFO of its own.
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4)
    const fifos = Array.from({ length: threads }, (_, i) => join(dir, `busy${i}`))
    for (const fifo of fifos) execFileSync('mkfifo', [fifo])
    const waiting = fifos.map((fifo) => open(fifo, 'r'))
    try {
      const small = patterned('small-while-busy', 256 * 1024, 40)
      const inTime = await Promise.race([
        whole(small),
        new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 2000))
      ])
      expect(inTime, 'the file of one chunk waited for the thread pool').not.toBe('waited')
      expect((inTime as Buffer).equals(readFileSync(small))).toBe(true)
      expect(readHead(small, 10).equals(readFileSync(small).subarray(0, 10))).toBe(true)
      // A file read by a thread of its own ('large') is read on that thread, whatever its size.
      const own = patterned('own-thread-while-busy', 2 * 1024 * 1024 + 3, 42)
      expect((await whole(own, 0, 'large')).equals(readFileSync(own))).toBe(true)
      // A file of more than one chunk is read in the pool: it waits for a thread.
      const large = patterned('large-while-busy', 256 * 1024 + 1, 41)
      let done = false
      const reading = whole(large).then((bytes) => ((done = true), bytes))
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(done).toBe(false)
      // Writers let the opens end: the pool is free again.
      for (const fifo of fifos) closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK))
      for (const handle of await Promise.all(waiting)) await handle.close()
      expect((await reading).equals(readFileSync(large))).toBe(true)
    } finally {
      for (const fifo of fifos) {
        try {
          closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK))
        } catch {
          // Its reader is gone already.
        }
      }
    }
  })

  it('refuses a FIFO given to it, without waiting for a writer', async () => {
    const fifo = join(dir, 'lonely')
    execFileSync('mkfifo', [fifo])
    for (const size of ['small', 'large'] as const)
      await expect(whole(fifo, 0, size)).rejects.toThrow(/lonely.*is a named pipe \(FIFO\)/)
  })

  it('says which file is missing', async () => {
    for (const size of ['small', 'large'] as const)
      await expect(whole(join(dir, 'absent.csv'), 0, size)).rejects.toThrow(
        /absent\.csv.*no such file/
      )
  })
})
