import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './paths.js'

/**
 * Running the CLI bundle (dist/cli.js) as a user does, with a preloaded script that writes a
 * line to stderr for every worker it starts: a read on the main thread cannot pass for one in a
 * worker (test/load/chrome-worker.test.ts, nsys-trace-worker.test.ts).
 */

export interface BundleRun {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Writes the preload script into `dir`; returns a runner of the bundle with it (and `nodeArgs`,
 * Node's own flags, before it).
 */
export function bundleLoggingWorkers(
  dir: string,
  nodeArgs: readonly string[] = []
): (...args: string[]) => BundleRun {
  const preload = join(dir, 'log-workers.cjs')
  writeFileSync(
    preload,
    "const wt = require('node:worker_threads')\n" +
      'const Base = wt.Worker\n' +
      'wt.Worker = class extends Base {\n' +
      '  constructor(script, options) {\n' +
      '    super(script, options)\n' +
      "    process.stderr.write('[test] worker ' + String(script) + '\\n')\n" +
      '  }\n' +
      '}\n'
  )
  return (...args) => {
    const result = spawnSync(
      process.execPath,
      [...nodeArgs, '--require', preload, join(ROOT, 'dist', 'cli.js'), ...args],
      { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 28 }
    )
    return { code: result.status, stdout: result.stdout, stderr: result.stderr }
  }
}

/** A profile JSON without the moment it was written. */
export function comparable(json: unknown): unknown {
  const copy = structuredClone(json) as { meta: { createdAt?: string } }
  delete copy.meta.createdAt
  return copy
}
