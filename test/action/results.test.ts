import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { readResults, resultsClash } from '../../src/action/results.js'
import { hasMkfifo, withFifo } from '../support/fifo.js'

/**
 * The results artifact comes from a job that ran the pull request's code: its results.json is read
 * as inputs are (a regular file of bounded size, opened without waiting for a writer). A named
 * pipe there would hang the comment workflow until its timeout; a huge file would fill its memory.
 */

const root = mkdtempSync(join(tmpdir(), 'nsys-bench-results-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const SHA = 'a'.repeat(40)
const record = {
  kind: 'nsys-bench/results',
  schemaVersion: 3,
  pullRequest: 7,
  headSha: SHA,
  commentId: 'nsys-bench',
  name: 'nsys-bench'
}

function artifactDir(name: string): string {
  const dir = join(root, name)
  mkdirSync(dir)
  return dir
}

describe('readResults', () => {
  it('reads a regular results.json (here a run that failed before a verdict)', async () => {
    const dir = artifactDir('good')
    const failed = { ...record, failure: 'the benchmark exited with 1' }
    writeFileSync(join(dir, 'results.json'), `${JSON.stringify(failed, null, 2)}\n`)
    const read = await readResults(dir)
    expect(read.results).toMatchObject({
      pullRequest: 7,
      headSha: SHA,
      commentId: 'nsys-bench',
      failure: 'the benchmark exited with 1'
    })
    expect(read.head).toEqual([])
  })

  it('refuses a results.json larger than any nsys-bench writes, before reading it', async () => {
    const dir = artifactDir('large')
    const padded = { ...record, padding: 'x'.repeat(1024 * 1024) }
    writeFileSync(join(dir, 'results.json'), JSON.stringify(padded))
    const read = readResults(dir)
    await expect(read).rejects.toThrow(InputError)
    await expect(read).rejects.toThrow(
      /^the results artifact has no readable results\.json: results\.json ".*large\/results\.json" is 1,048,7\d\d bytes, larger than nsys-bench reads \(1 MiB\): is it the right file\?$/
    )
  })

  it.skipIf(!hasMkfifo)('refuses a named pipe in place of results.json at once', async () => {
    const dir = artifactDir('fifo')
    await withFifo(join(dir, 'results.json'), async () => {
      await expect(readResults(dir)).rejects.toThrow(
        /^the results artifact has no readable results\.json: cannot read results\.json ".*fifo\/results\.json": it is a named pipe \(FIFO\); give a regular file$/
      )
    })
  })

  it.skipIf(!hasMkfifo)(
    'a clash check whose downloaded results.json is a named pipe takes it as unreadable',
    async () => {
      const temp = artifactDir('clash')
      const fifo = join(root, 'clash-pipe')
      await withFifo(fifo, async () => {
        const clash = resultsClash(
          (_id, into) => {
            symlinkSync(fifo, join(into, 'results.json'))
            return Promise.resolve()
          },
          temp,
          'nsys-bench-results',
          temp,
          2
        )
        // Unreadable: an earlier attempt's, as for any results.json that cannot be read.
        expect(await clash.whose({ id: 1 })).toBe('earlier')
      })
    }
  )
})
