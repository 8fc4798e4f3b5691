/**
 * The real NVIDIA Nsight Systems CLI for tests, fetched from Debian non-free into a cache.
 *
 * The logic lives in fetch-nsys.mjs (plain JS, so that it also works as a command line on Node 20:
 * `node test/support/nsys/fetch-nsys.mjs [--profile] 2023.4`); this module gives it types.
 */
import { defaultCacheDir, ensureNsys as ensureNsysImpl, NSYS_VERSIONS, run } from './fetch-nsys.mjs'
import type { EnsureOptions, NsysInstall, NsysVersion } from './fetch-nsys.mjs'

export type { EnsureOptions, NsysInstall, NsysVersion }
export { defaultCacheDir, NSYS_VERSIONS }

export interface NsysSkipped {
  skipped: string
}

/**
 * Download (first call) or find (cached) nsys `version`. Resolves to `{ skipped }` only when it
 * cannot be had on this machine (no apt-get, Debian mirror unreachable, not linux/x86-64); throws
 * on bugs. With `{ profile: true }` also fetches the host package (QdstrmImporter) and libssh so
 * that `nsys profile` writes a `.nsys-rep`; `canProfile` tells whether that layout is complete.
 */
export async function ensureNsys(
  version: NsysVersion,
  opts?: EnsureOptions
): Promise<NsysInstall | NsysSkipped> {
  return ensureNsysImpl(version, opts)
}

export function isSkipped(r: NsysInstall | NsysSkipped): r is NsysSkipped {
  return 'skipped' in r
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Run the installed nsys with its environment (`LC_ALL=C`, `LD_LIBRARY_PATH`). */
export async function runNsys(
  install: NsysInstall,
  args: string[],
  opts: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}
): Promise<RunResult> {
  return run(install.nsys, args, {
    cwd: opts.cwd,
    timeoutMs: opts.timeoutMs ?? 300_000,
    env: { ...process.env, ...install.env, ...opts.env }
  })
}
