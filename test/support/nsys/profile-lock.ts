import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * One `nsys profile` session at a time across the test run's workers. Two sessions on one machine
 * disturb each other: when one ends, the other's agent can lose its connection ("End of file",
 * nsys exits before launching the program) and its timings stretch. The action retries the
 * first and tolerates the second, but a test that checks one run's exact log or a gated verdict
 * on sleeps must not depend on the timing of another file's tests.
 *
 * The lock is a directory (mkdir is atomic) under the run's temporary root, holding the owner's
 * pid; a lock whose owner is gone is taken over.
 */
const LOCK = (): string => join(tmpdir(), 'nsys-profile.lock')

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function acquire(): Promise<void> {
  const lock = LOCK()
  for (;;) {
    try {
      await mkdir(lock)
      await writeFile(join(lock, 'pid'), String(process.pid))
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''))
    // No pid yet: the owner is between mkdir and writeFile; wait like for a live one.
    if (owner > 0 && owner !== process.pid && !alive(owner))
      await rm(lock, { recursive: true, force: true })
    else await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Runs `fn` while no other worker of this test run profiles with nsys. */
export async function exclusiveNsysProfile<T>(fn: () => Promise<T>): Promise<T> {
  await acquire()
  try {
    return await fn()
  } finally {
    await rm(LOCK(), { recursive: true, force: true })
  }
}
