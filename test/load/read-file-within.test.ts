import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { InputError, UsageError } from '../../src/errors.js'
import { readFileWithin, readJsonFile } from '../../src/load/files.js'
import { MAX_RULES_BYTES, readRulesFile } from '../../src/load/rules-file.js'
import { hasMkfifo, withFifo } from '../support/fifo.js'

/**
 * The files read whole that are not input profiles (the rules file, a comparison record, a
 * history): read with the checks inputs get. A FIFO or a link to /dev/stdin would block a plain
 * readFile forever, /dev/zero would fill the memory.
 */

const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-within-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `withFifo` with a symlink to the FIFO beside it (as /dev/stdin is a link to a pipe). */
function withFifoAndLink(
  name: string,
  check: (fifo: string, link: string) => Promise<void>
): Promise<void> {
  const fifo = join(dir, name)
  const link = join(dir, `${name}-link.json`)
  return withFifo(fifo, async () => {
    symlinkSync(fifo, link)
    await check(fifo, link)
  })
}

describe('readFileWithin', () => {
  it('reads a regular file whole, up to and including its limit', async () => {
    const path = join(dir, 'ten.bin')
    writeFileSync(path, '0123456789')
    expect((await readFileWithin(path, 'the test file', 10)).toString()).toBe('0123456789')
    expect((await readFileWithin(path, 'the test file', 1000)).toString()).toBe('0123456789')
    const empty = join(dir, 'empty.bin')
    writeFileSync(empty, '')
    expect((await readFileWithin(empty, 'the test file', 10)).length).toBe(0)
  })

  it('refuses a file over its limit, naming it, before reading it', async () => {
    const path = join(dir, 'eleven.bin')
    writeFileSync(path, '01234567890')
    const refusal = readFileWithin(path, 'the test file', 10)
    await expect(refusal).rejects.toThrow(InputError)
    await expect(refusal).rejects.toThrow(
      /^the test file ".*eleven\.bin" is 11 bytes, larger than nsys-bench reads \(10 bytes\): is it the right file\?$/
    )
    writeFileSync(path, Buffer.alloc(5 * 1024 * 1024))
    await expect(readFileWithin(path, 'the test file', 4 * 1024 * 1024)).rejects.toThrow(
      /is 5,242,880 bytes, larger than nsys-bench reads \(4 MiB\)/
    )
  })

  // /proc files say they are empty (st_size 0) and are not: what is read is bounded, not what
  // the stat said.
  it.skipIf(!existsSync('/proc/self/status'))(
    'stops at its limit a file longer than its stat said',
    async () => {
      await expect(readFileWithin('/proc/self/status', 'the test file', 100)).rejects.toThrow(
        /"\/proc\/self\/status" is over 100 bytes, larger than nsys-bench reads \(100 bytes\)/
      )
    }
  )

  it.skipIf(!hasMkfifo)('refuses a FIFO, and a link to one, without waiting for a writer', () =>
    withFifoAndLink('pipe', async (fifo, link) => {
      for (const path of [fifo, link])
        await expect(readFileWithin(path, 'the test file', 1000)).rejects.toThrow(
          /^cannot read the test file ".*pipe(-link\.json)?": it is a named pipe \(FIFO\); give a regular file$/
        )
    })
  )

  it.skipIf(!existsSync('/dev/zero'))(
    'refuses a device, and a link to one, without reading from it',
    async () => {
      const link = join(dir, 'zero.json')
      symlinkSync('/dev/zero', link)
      for (const path of ['/dev/zero', link])
        await expect(readFileWithin(path, 'the test file', 1000)).rejects.toThrow(
          /^cannot read the test file ".*zero(\.json)?": it is a device; give a regular file$/
        )
    }
  )

  it('refuses a directory, and keeps the cause of a missing file', async () => {
    const folder = join(dir, 'folder')
    mkdirSync(folder)
    await expect(readFileWithin(folder, 'the test file', 1000)).rejects.toThrow(
      /^cannot read the test file ".*folder": it is a directory, not a file$/
    )
    const missing = await readFileWithin(join(dir, 'absent'), 'the test file', 1000).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(missing).toBeInstanceOf(InputError)
    expect((missing as Error).message).toMatch(/^cannot read the test file ".*absent": ENOENT/)
    expect(((missing as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT')
  })
})

describe('readJsonFile', () => {
  it('skips a byte order mark, and says a file cut short is', async () => {
    const path = join(dir, 'bom.json')
    writeFileSync(path, '\uFEFF{"a": [1, 2]}')
    expect(await readJsonFile(path, 'the test file', 1000)).toEqual({ a: [1, 2] })
    writeFileSync(path, '{"a": [1, ')
    await expect(readJsonFile(path, 'the test file', 1000)).rejects.toThrow(
      /^the test file ".*bom\.json" is not valid JSON: the file ends early \(an interrupted download or copy\?\): get it whole again$/
    )
  })
})

describe('the rules file', () => {
  const overrides = {}

  it('is read up to 4 MiB', async () => {
    expect(MAX_RULES_BYTES).toBe(4 * 1024 * 1024)
    // A file of 4 MiB exactly: spaces after the JSON.
    const path = join(dir, 'large-rules.json')
    const json = '{"threshold": 7}'
    writeFileSync(path, json + ' '.repeat(4 * 1024 * 1024 - json.length))
    const rules = await readRulesFile(path, overrides)
    expect(rules.tables.kernels.threshold).toBe(7)
    writeFileSync(path, json + ' '.repeat(4 * 1024 * 1024 - json.length + 1))
    await expect(readRulesFile(path, overrides)).rejects.toThrow(
      /^the rules file ".*large-rules\.json" is 4,194,305 bytes, larger than nsys-bench reads \(4 MiB\): is it the right file\?$/
    )
  })

  it.skipIf(!hasMkfifo)('a FIFO, or a link to one (as to /dev/stdin), is refused at once', () =>
    withFifoAndLink('rules-fifo', async (fifo, link) => {
      for (const path of [fifo, link])
        await expect(readRulesFile(path, overrides)).rejects.toThrow(
          /^cannot read the rules file ".*rules-fifo(-link\.json)?": it is a named pipe \(FIFO\); give a regular file$/
        )
    })
  )

  it.skipIf(!existsSync('/dev/zero'))('a link to /dev/zero is refused at once', async () => {
    const link = join(dir, 'rules-zero.json')
    symlinkSync('/dev/zero', link)
    await expect(readRulesFile(link, overrides)).rejects.toThrow(
      /^cannot read the rules file ".*rules-zero\.json": it is a device; give a regular file$/
    )
  })

  it("what is wrong in it is an InputError (the file's), a flag's a UsageError", async () => {
    const path = join(dir, 'bad-rules.json')
    for (const [text, message] of [
      ['{"threshold": "x"}', /bad-rules\.json: "threshold" must be a number \(percent\) or "auto"/],
      [
        '{"rules": [{"match": "(?=x)"}]}',
        /bad-rules\.json: "rules\[0\]\.match": "\(\?=x\)" is not/
      ],
      ['{"ignore": ["a", 3]}', /bad-rules\.json: "ignore\[1\]" must be a regular expression/],
      ['{"tables": ', /bad-rules\.json" is not valid JSON: the file ends early/]
    ] as const) {
      writeFileSync(path, text)
      const error = await readRulesFile(path, overrides).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error, text).toBeInstanceOf(InputError)
      expect((error as Error).message, text).toMatch(message)
    }
    // The same file read with a wrong flag: the flag is the usage error.
    writeFileSync(path, '{"threshold": 7}')
    await expect(readRulesFile(path, { alpha: 2 })).rejects.toThrow(UsageError)
    await expect(readRulesFile(path, { ignore: ['(?=x)'] })).rejects.toThrow(UsageError)
  })
})
