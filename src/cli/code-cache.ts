import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync
} from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { Script } from 'node:vm'

/**
 * The command line's bundle (dist/cli-main.cjs), run with V8's code cache of a previous run of the
 * same command (docs/performance.md, "Start-up").
 *
 * V8 compiles a function the first time it is called. Node's compile cache (Node 22.1 and later)
 * keeps what V8 compiled of a module right after compiling it: its top level, not the functions a
 * command calls. A script's cache made once the command is done (`Script.createCachedData`) holds
 * every function it ran: with it, the usual compare of a few hundred kernels takes about 12 ms
 * less under Node 20 (which has no compile cache) and 7 ms less under Node 24.
 *
 * The cache is a file per command and output format (`cacheSignature`), for one build of the
 * bundle in one folder (its size, modification time and inode: V8 itself checks only the
 * source's length) and one Node (its version and architecture; V8 checks its own version and
 * flags, and rejects a cache made under others). It lives in a folder only its user can write to: a cache is code that
 * this process runs. Nothing in it decides an outcome; a cache that cannot be read or written is
 * passed over without a word, as Node does with its own.
 */
export interface LoadedScript<T> {
  /** What the script put in `module.exports`. */
  readonly exports: T
  /** How the cache was found: used, rejected by V8, absent, or not looked for (no folder). */
  readonly cache: 'accepted' | 'rejected' | 'absent' | 'off'
  /**
   * Writes the script's cache as it stands now (every function compiled so far), unless the one
   * it started from was used. Returns what it did; it never throws.
   */
  save(): 'kept' | 'written' | 'off' | 'failed'
}

/** Where the launcher looks for its caches: the process's environment, Node and home folder. */
export interface CacheHost {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly version: string
  readonly arch: string
  /** The user's home folder; throws where there is none. */
  readonly home: () => string
}

/**
 * The folder of this Node's caches: in NODE_COMPILE_CACHE when the user set it (beside Node's
 * own), else in `$XDG_CACHE_HOME/nsys-bench` (by default `~/.cache/nsys-bench`). None with
 * NODE_DISABLE_COMPILE_CACHE set, as for Node's compile cache, or without a home folder.
 */
export function cacheDirectory(host: CacheHost): string | undefined {
  const { env } = host
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined
  const node = `${host.version}-${host.arch}`
  if (env.NODE_COMPILE_CACHE) return resolve(env.NODE_COMPILE_CACHE, `nsys-bench-${node}`)
  let base = env.XDG_CACHE_HOME
  if (!base) {
    try {
      base = join(host.home(), '.cache')
    } catch {
      return undefined
    }
  }
  return resolve(base, 'nsys-bench', 'code-cache', node)
}

/** The commands, and the output formats, whose code differs enough to keep a cache apiece. */
const COMMANDS = new Set(['summarize', 'compare', 'verdict', 'demo'])
const FORMATS = new Set(['text', 'markdown', 'json', 'html'])

/**
 * The cache a command line uses: its command and output format (`compare-json`, `demo-html`,
 * `summarize-text`), `other` for the rest (`--version`, `--help`, a mistyped command).
 */
export function cacheSignature(args: readonly string[]): string {
  const command = args[0] !== undefined && COMMANDS.has(args[0]) ? args[0] : 'other'
  let format = 'text'
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!
    const value =
      arg === '--format' ? args[i + 1] : arg.startsWith('--format=') ? arg.slice(9) : undefined
    if (value !== undefined && FORMATS.has(value)) format = value
    else if (arg === '--json') format = 'json'
  }
  return `${command}-${format}`
}

/**
 * Runs a CommonJS bundle (`file`, UTF-8) in this context, from the cache of `signature` in
 * `directory` where there is a usable one.
 */
export function loadScript<T>(
  file: string,
  directory: string | undefined,
  signature: string,
  uid?: number
): LoadedScript<T> {
  const { source, key } = readSource(file)
  // The bundle's folder is part of the name: two checkouts run in turn keep a cache each, instead
  // of each removing the other's.
  const prefix = `${signature}-${shortName(dirname(file))}.`
  const cacheFile = directory === undefined ? undefined : join(directory, `${prefix}${key}.v8`)
  const cachedData =
    cacheFile !== undefined && trusted(directory!, uid) ? readCache(cacheFile) : undefined
  // The wrapper shares the first line of the file: line numbers in stack traces stay the file's.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: file, cachedData }
  )
  const cache =
    cacheFile === undefined
      ? 'off'
      : cachedData === undefined
        ? 'absent'
        : script.cachedDataRejected === true
          ? 'rejected'
          : 'accepted'
  const module = { exports: {} as T }
  const run = script.runInThisContext() as (...args: unknown[]) => void
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file))
  return {
    exports: module.exports,
    cache,
    save() {
      if (cacheFile === undefined) return 'off'
      if (cache === 'accepted') return 'kept'
      try {
        return writeCache(directory!, cacheFile, prefix, script.createCachedData(), uid)
          ? 'written'
          : 'failed'
      } catch {
        return 'failed'
      }
    }
  }
}

/** A short name of a path (FNV-1a, 32 bits, in hex). */
function shortName(path: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** The file's text, and what names this build of it: size, modification time, inode. */
function readSource(file: string): { source: string; key: string } {
  const fd = openSync(file, 'r')
  try {
    const stat = fstatSync(fd, { bigint: true })
    const bytes = Buffer.allocUnsafe(Number(stat.size))
    let read = 0
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read)
      if (n === 0) break
      read += n
    }
    return {
      source: bytes.toString('utf8', 0, read),
      key: `${read}-${stat.mtimeNs}-${stat.ino}`
    }
  } finally {
    closeSync(fd)
  }
}

/**
 * A folder whose files this process may run as code: its user's, and writable by no one else. A
 * folder that does not exist yet holds nothing to read.
 */
function trusted(directory: string, uid: number | undefined): boolean {
  try {
    const stat = statSync(directory)
    return (
      stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0
    )
  } catch {
    return false
  }
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/**
 * Writes the cache whole (a file of its own, renamed into place: a reader never sees half of
 * one), then removes the caches of the same command and bundle left by other builds of it.
 */
function writeCache(
  directory: string,
  file: string,
  prefix: string,
  data: Buffer,
  uid: number | undefined
): boolean {
  mkdirSync(directory, { recursive: true, mode: 0o700 })
  if (!trusted(directory, uid)) return false
  const partial = `${file}.${process.pid}.partial`
  writeFileSync(partial, data, { mode: 0o600 })
  renameSync(partial, file)
  const name = file.slice(directory.length + 1)
  const kept: { name: string; mtimeMs: number }[] = []
  const now = Date.now()
  for (const other of readdirSync(directory)) {
    if (other === name) continue
    const path = join(directory, other)
    try {
      if (other.endsWith('.v8')) {
        if (other.startsWith(prefix)) unlinkSync(path)
        else kept.push({ name: other, mtimeMs: statSync(path).mtimeMs })
      } else if (other.endsWith('.partial') && now - statSync(path).mtimeMs > PARTIAL_AGE_MS) {
        // Left by a process that died while writing.
        unlinkSync(path)
      }
    } catch {
      // Another process removed it first.
    }
  }
  // Caches of other commands and other folders (checkouts, worktrees, folders long gone): the
  // newest are kept, so that the folder stays bounded however many bundles ran from it.
  kept.sort((a, b) => b.mtimeMs - a.mtimeMs)
  for (const old of kept.slice(MAX_CACHES - 1))
    try {
      unlinkSync(join(directory, old.name))
    } catch {
      // Another process removed it first.
    }
  return true
}

/**
 * At most this many caches in the folder (each a few hundred KB): 11 commands and formats for a
 * few checkouts. The oldest written go first; one that was still in use is written again by its
 * next run, which then runs as without a cache.
 */
export const MAX_CACHES = 48

/** A `.partial` file this old was left by a process that died while writing it. */
const PARTIAL_AGE_MS = 60 * 60 * 1000
