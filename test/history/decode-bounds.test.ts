import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { decodeHistory } from '../../src/history/codec.js'

/**
 * The history file is hostile input (any push's artifact, a damaged download): whatever it holds,
 * decodeHistory answers with an InputError that says what is wrong, or with exactly what the file
 * says — never a value JSON.parse picked among two, never a stack overflow.
 */

const RUN =
  '{"sha":"a","date":"2026-11-01T00:00:00.000Z","gpu":"G","profiler":"nsys","major":"2024","naming":"demangled","repetitions":1}'
/** A history file's JSON with one run and the given `tables` text. */
const doc = (tables: string, runs = `[${RUN}]`): string =>
  `{"kind":"nsys-bench/history","schemaVersion":1,"runs":${runs},"tables":${tables}}`
const gz = (text: string): Buffer => gzipSync(Buffer.from(text, 'utf8'))

function refusal(bytes: Buffer): Error {
  try {
    decodeHistory(bytes, 'history.json.gz')
  } catch (error) {
    return error as Error
  }
  throw new Error('decodeHistory accepted the file')
}

describe('a history nested deeper than any history is', () => {
  it('is refused with what is wrong, not a stack overflow', () => {
    // 200,000 nested lists where a number belongs: JSON.parse reads it; showing it must not recurse.
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`
    const error = refusal(gz(doc(`{"kernels":{"k":{"v":[${deep}],"s":[0],"n":[1]}}}`)))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toMatch(
      /^history\.json\.gz: not a valid nsys-bench history: tables\.kernels\["k"\]\.v holds a list, not a number from 0 to 2\^53/
    )
  })

  it('names an object where a number belongs as an object', () => {
    const error = refusal(gz(doc('{"kernels":{"k":{"v":[{"a":1}],"s":[0],"n":[1]}}}')))
    expect(error.message).toMatch(/tables\.kernels\["k"\]\.v holds an object, not a number/)
  })
})

describe('a key written twice in one object', () => {
  // JSON.parse keeps the last: which of the two the writer meant cannot be told, and the first
  // one's series (here, kernel "k" of table kernels) would be dropped without a word.
  it('of a table is refused, naming the key', () => {
    const twice = doc(
      '{"kernels":{"k":{"v":[5],"s":[0],"n":[1]}},"kernels":{"j":{"v":[6],"s":[0],"n":[1]}}}'
    )
    expect(refusal(gz(twice)).message).toMatch(
      /^history\.json\.gz: not a valid nsys-bench history: tables: key "kernels" appears twice: the file was edited or damaged/
    )
  })

  it('of a kernel is refused, naming the key', () => {
    const twice = doc('{"kernels":{"k":{"v":[5],"s":[0],"n":[1]},"k":{"v":[500],"s":[0],"n":[1]}}}')
    expect(refusal(gz(twice)).message).toMatch(/tables\.kernels: key "k" appears twice/)
  })

  it('at the top (two "runs") is refused', () => {
    const twice = `{"kind":"nsys-bench/history","schemaVersion":1,"runs":[${RUN}],"runs":[${RUN}],"tables":{}}`
    expect(refusal(gz(twice)).message).toMatch(/the document: key "runs" appears twice/)
  })

  it('in different objects is no duplicate', () => {
    // "v" in two series, "k" in two tables: each object has its keys once.
    const h = decodeHistory(
      gz(
        doc(
          '{"kernels":{"k":{"v":[5],"s":[0],"n":[1]},"j":{"v":[6],"s":[0],"n":[1]}},"memTime":{"k":{"v":[7],"s":[0],"n":[1]}}}'
        )
      ),
      'h'
    )
    expect(h.tables.kernels?.get('k')?.value).toEqual([5])
    expect(h.tables.kernels?.get('j')?.value).toEqual([6])
    expect(h.tables.memTime?.get('k')?.value).toEqual([7])
  })
})

describe('gzip data that is damaged, not foreign', () => {
  it('says the file is damaged when the gzip stream fails its check', () => {
    const whole = gz(doc('{"kernels":{"k":{"v":[5],"s":[0],"n":[1]}}}'))
    // The gzip trailer is CRC-32 then the length, 4 bytes each: flip a bit of the CRC.
    const damaged = Buffer.from(whole)
    damaged[damaged.length - 8] = (damaged[damaged.length - 8] as number) ^ 1
    const error = refusal(damaged)
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toMatch(
      /^history\.json\.gz: not a valid nsys-bench history: the gzip data is damaged/
    )
    expect(error.message).not.toMatch(/not gzip/)
  })

  it('still says "not gzip" of a file that does not start like gzip', () => {
    expect(refusal(Buffer.from(doc('{}'))).message).toMatch(/it is not gzip data/)
  })
})
