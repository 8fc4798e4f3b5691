import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * vitest globalSetup: every temporary directory of the run (tests, the CLI and the action they
 * start, which inherit the variable) goes under one root, removed when the run ends, so runs
 * leave nothing in the machine's temp directory.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'nsys-bench-test-'))
  const previous = process.env.TMPDIR
  process.env.TMPDIR = root
  return () => {
    if (previous === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = previous
    rmSync(root, { recursive: true, force: true })
  }
}
