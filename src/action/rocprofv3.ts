import type { Note } from '../profile/model.js'
import { clip, quoted } from '../text.js'
import type { RunProcess } from './process.js'

/**
 * rocprofv3's version, asked once per action run before the profiled runs
 * (docs/rocprof.md "rocprofv3's version"). rocprofv3 (rocprofiler-sdk's `rocprofv3.py`) answers
 * `--version` (or `-v`) with one `key: value` line per build fact, the key right-aligned in 16
 * characters, and exits 0:
 *
 *                  version: 1.0.0
 *             git_revision: a1b2c3d4e5f6789012345678901234567890abcd
 *             library_arch: x86_64-linux-gnu
 *              …
 *             rocm_version: 6.2.0
 *
 * `version` is rocprofiler-sdk's (its VERSION file), `rocm_version` the ROCm install's
 * (`/opt/rocm/.info/version`; not printed by every release). An early rocprofv3 without the option
 * refuses it: argparse's "unrecognized arguments", exit code 2. A version that cannot be told is no
 * failure: the profile is as good, and a warning note says the version is unknown.
 */

export interface Rocprofv3Version {
  /** rocprofiler-sdk's version (`1.0.0`), as printed; absent when unknown. */
  version?: string
  /** The ROCm install's version (`6.2.0`, `6.4.0-47`), as printed; absent when not printed. */
  rocm?: string
  /** Why the version is unknown (`rocprofv3-version-unknown`, a warning). */
  note?: Note
}

/** The most of rocprofv3's answer that is read: the real one is under 1 KiB. */
export const VERSION_READ_LIMIT = 64 * 1024
/** How long `rocprofv3 --version` may take (it starts Python; it loads no GPU library). */
export const VERSION_TIMEOUT_MS = 60_000

/** `1.0.0`, `0.6.0`, with at most a short pre-release or build suffix (`1.0.0-rc1`). */
const VERSION = /^(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:[-+.~][0-9A-Za-z.+~-]{1,64})?$/
/** `6.2.0`, `6.4.0-47`, `6.4.1.60401-83~24.04`. */
const ROCM_VERSION = /^\d{1,6}\.\d{1,6}(?:\.\d{1,6})?(?:[-+.~][0-9A-Za-z.+~-]{1,64})?$/
/** One line of the answer: `<blanks><key>: <value>`. */
const LINE = /^\s{0,64}([a-z_]{1,32}):(?:\s(.*))?$/

/**
 * Reads rocprofv3's answer to `--version` (its standard output). Only a `version:` line whose
 * value is a version is taken; none, two that disagree, or one that is not a version (an
 * unsubstituted `@FULL_VERSION_STRING@` of a development build) gives no version and the reason.
 * At most VERSION_READ_LIMIT characters are read.
 */
export function parseRocprofv3Version(output: string): {
  version?: string
  rocm?: string
  problem?: string
} {
  const text = output.slice(0, VERSION_READ_LIMIT)
  const values = new Map<string, string[]>()
  for (const raw of text.split('\n')) {
    const m = LINE.exec(raw.replace(/\r$/, ''))
    if (!m) continue
    const key = m[1] ?? ''
    const list = values.get(key) ?? []
    list.push((m[2] ?? '').trim())
    values.set(key, list)
  }
  const rocm = [...new Set(values.get('rocm_version') ?? [])]
  const out: { version?: string; rocm?: string; problem?: string } = {}
  if (rocm.length === 1 && ROCM_VERSION.test(rocm[0] ?? '')) out.rocm = rocm[0]
  const versions = [...new Set(values.get('version') ?? [])]
  const [version] = versions
  if (version === undefined) {
    const first = text.split('\n').find((l) => l.trim() !== '')
    out.problem = `it printed no "version: …" line${first === undefined ? ' (nothing at all)' : ` (its first line: ${quoted(first.trim(), 120)})`}`
  } else if (versions.length > 1) {
    out.problem = `it printed ${versions.length} different "version:" lines (${versions
      .slice(0, 3)
      .map((v) => quoted(v, 40))
      .join(', ')})`
  } else if (!VERSION.test(version)) {
    out.problem = `its "version:" line holds ${quoted(version, 80)}, not a version like 1.0.0`
  } else {
    out.version = version
  }
  return out
}

/**
 * Asks `<path> --version` once, through the action's process runner, with a time limit. Never
 * throws: a rocprofv3 that is missing, fails or answers something else gives no version and a
 * warning note (a missing one then fails the profiled run, which says so).
 */
export async function findRocprofv3Version(
  run: RunProcess,
  path: string,
  env: NodeJS.ProcessEnv
): Promise<Rocprofv3Version> {
  const unknown = (why: string): Rocprofv3Version => ({
    note: {
      code: 'rocprofv3-version-unknown',
      severity: 'warning',
      message: `rocprofv3's version is unknown: ${quoted(`${clip(path, 200)} --version`, 240)} ${why}. The profile is read as usual, but its rocprofv3 version is not recorded, so the comparison cannot warn about a different one.`
    }
  })
  let result
  try {
    result = await run(path, ['--version'], { env, timeoutMs: VERSION_TIMEOUT_MS, tailLines: 5 })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return unknown(
      code === 'ENOENT'
        ? 'could not be run: not found'
        : code === 'EACCES'
          ? 'could not be run: not executable'
          : `could not be run: ${quoted(String(error), 200)}`
    )
  }
  if (result.timedOut)
    return unknown(`did not answer within ${VERSION_TIMEOUT_MS / 1000} s and was stopped`)
  if (result.code !== 0) {
    const how =
      result.code === null
        ? `was killed by ${result.signal ?? 'a signal'}`
        : `exited with code ${result.code}`
    // An early rocprofv3 has no --version: argparse says so on its last line, exit code 2.
    const last = result.tail
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1)
    return unknown(
      `${how}${last === undefined ? '' : ` (${quoted(last, 160)})`}` +
        (/unrecognized arguments/.test(last ?? '')
          ? ' (a rocprofv3 older than its --version option answers so)'
          : '')
    )
  }
  const parsed = parseRocprofv3Version(result.stdout)
  if (parsed.version === undefined)
    return {
      ...(parsed.rocm ? { rocm: parsed.rocm } : {}),
      ...unknown(`answered in a form nsys-bench does not know: ${parsed.problem ?? 'no version'}`)
    }
  return { version: parsed.version, ...(parsed.rocm ? { rocm: parsed.rocm } : {}) }
}
