import { execFileSync, spawnSync } from 'node:child_process'
import { closeSync, constants, openSync } from 'node:fs'
import { expect } from 'vitest'

/** Whether this machine has mkfifo (every Linux and macOS does; the tests that need it skip else). */
export const hasMkfifo = spawnSync('mkfifo', ['--version']).error === undefined

/**
 * Makes `fifo`, a named pipe no one writes to, and runs `check`, which must be refused by the code
 * under test without a blocking open or read: if `check` has not ended within 5 s the test fails,
 * and a writer that opens and closes the FIFO then ends any read left waiting, so the test cannot
 * hang.
 */
export async function withFifo(fifo: string, check: () => Promise<void>): Promise<void> {
  execFileSync('mkfifo', [fifo])
  let timer: NodeJS.Timeout | undefined
  try {
    const outcome = await Promise.race([
      check().then(() => 'refused'),
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve('waited'), 5000)))
    ])
    expect(outcome, 'the FIFO was waited on').toBe('refused')
  } finally {
    clearTimeout(timer)
    try {
      // O_RDWR: opens without a reader, lets a waiting open end, and the close gives it EOF.
      closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK))
    } catch {
      // Nothing waits on it.
    }
  }
}
