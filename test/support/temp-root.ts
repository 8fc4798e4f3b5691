import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * vitest globalSetup: every temporary directory of the run (tests, the CLI and the action they
 * start, which inherit the variable) goes under one root, removed when the run ends, so runs
 * leave nothing in the machine's temp directory. So do the code caches of the CLI bundles the
 * tests run (src/cli/code-cache.ts; each copy of the bundle in a folder of its own keeps its
 * own): NODE_COMPILE_CACHE puts them, and Node's own, under the root instead of the user's
 * ~/.cache. Tests of where the caches go set their own environment.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'nsys-bench-test-'))
  const previous = {
    TMPDIR: process.env.TMPDIR,
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE
  }
  process.env.TMPDIR = root
  process.env.NODE_COMPILE_CACHE = join(root, 'compile-cache')
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    rmSync(root, { recursive: true, force: true })
  }
}
