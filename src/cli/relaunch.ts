import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A large compare starts again under a smaller young generation. It keeps its runs, names and
 * items to its end, and V8 grows its young generation while that much survives: to semi-spaces
 * of 16 MB under Node 20 and 64 MB under Node 24, whose pages the process then touches for the
 * first time. With semi-spaces of 8 MB the compare of 20,000 kernels × 10 runs a side takes
 * 0.97 s and 203 MB under Node 24 instead of 1.06 s and 323 MB (docs/performance.md, "The young
 * generation"). V8 reads the size when it makes the heap, before any of this code runs, so only
 * the command line that starts Node can give it: the command starts Node again with it, in place
 * (`process.execve`, Node 22.15 and 23.11 on; not on Windows), once its inputs pass
 * RELAUNCH_MIN_BYTES. A start costs 20-50 ms, which a compare of that size gains back; smaller
 * ones, other commands and older Nodes run as they are.
 */
export const SEMI_SPACE_FLAG = '--max-semi-space-size=8'

/** The inputs' bytes from which a compare starts again. */
export const RELAUNCH_MIN_BYTES = 8 * 2 ** 20

/** Set in the environment of the Node started again (and by a user, to keep one process). */
export const RELAUNCHED = 'NSYS_BENCH_RELAUNCHED'

/** What relaunchArgs reads of the process. */
export interface Launch {
  readonly execArgv: readonly string[]
  /** `process.argv`: Node, the script, then the command line. */
  readonly argv: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
}

/** A flag of V8's that sizes the young generation, given by the user: theirs is kept. */
const SIZED = /--max[-_](?:semi[-_]space|heap)[-_]size/
/** A debugger listening: the process it is attached to is the one that must run the command. */
const DEBUGGED = /(?:^|\s)--inspect(?:-brk|-wait)?(?:[=\s]|$)/

/**
 * Node's arguments to start the command again with (after Node itself: its flags, the script,
 * the command line), or undefined to go on in this process: a compare whose inputs (every
 * argument that names a file or a folder, folders to two levels) hold RELAUNCH_MIN_BYTES or
 * more, where no flag of the user's already sizes the heap, no debugger listens and this is
 * not the Node started again.
 */
export function relaunchArgs(
  launch: Launch,
  bytesOf: (path: string) => number = inputBytes
): string[] | undefined {
  if (launch.env[RELAUNCHED] !== undefined) return undefined
  const flags = [...launch.execArgv, launch.env.NODE_OPTIONS ?? '']
  if (flags.some((flag) => SIZED.test(flag) || DEBUGGED.test(flag))) return undefined
  const [script, command, ...rest] = launch.argv.slice(1)
  if (script === undefined || command !== 'compare') return undefined
  let total = 0
  for (const arg of rest) {
    total += bytesOf(arg)
    if (total >= RELAUNCH_MIN_BYTES)
      return [SEMI_SPACE_FLAG, ...launch.execArgv, script, command, ...rest]
  }
  return undefined
}

/** At most this many entries of a folder are looked at: the estimate stays cheap. */
const MAX_ENTRIES = 4096

/**
 * The bytes of the files a path names: a file's size, a folder's files to two levels; 0 for
 * anything else (an option, a path that is not there). An estimate, read before the command
 * line is: it only decides whether Node starts again.
 */
export function inputBytes(path: string): number {
  let seen = 0
  const walk = (at: string, depth: number): number => {
    let stat
    try {
      stat = statSync(at, { throwIfNoEntry: false })
    } catch {
      return 0
    }
    if (!stat) return 0
    if (stat.isFile()) return stat.size
    if (!stat.isDirectory() || depth >= 2) return 0
    let entries: string[]
    try {
      entries = readdirSync(at)
    } catch {
      return 0
    }
    let sum = 0
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES) break
      sum += walk(join(at, entry), depth + 1)
    }
    return sum
  }
  return walk(path, 0)
}

/** `process`, as far as relaunch uses it. */
export interface Relaunchable extends Launch {
  readonly execPath: string
  readonly platform: string
  readonly execve?: (file: string, args: string[], env: Record<string, string | undefined>) => void
}

/**
 * Starts the command again under SEMI_SPACE_FLAG where relaunchArgs says so and Node can
 * (`process.execve` replaces this process: it does not return). Where it cannot, or fails, the
 * command runs in this process as it would have.
 */
export function relaunchIfLarge(
  proc: Relaunchable,
  exists: (path: string) => boolean = existsSync
): void {
  if (typeof proc.execve !== 'function' || proc.platform === 'win32') return
  const args = relaunchArgs(proc)
  // Some releases of Node abort where execve(2) fails, rather than throw: the one failure that
  // can be seen coming, Node's binary gone (an upgrade under a running job), keeps this process.
  if (!args || !exists(proc.execPath)) return
  try {
    proc.execve(proc.execPath, [proc.execPath, ...args], { ...proc.env, [RELAUNCHED]: '1' })
  } catch {
    // Not started again: the compare runs here, with the young generation it has.
  }
}
