import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Whether a command's inputs are large: every argument that names a file or a folder (folders
 * to two levels) counted, until LARGE_INPUT_BYTES. Read before the command line is, it only
 * decides whether the command holds its young generation (young-generation.ts): a small one
 * (the usual compare of a few hundred kernels, 0.1 s, most of it Node's start) does not pay
 * for watching it.
 */
export function largeInputs(
  args: readonly string[],
  bytesOf: (path: string) => number = inputBytes
): boolean {
  let total = 0
  for (const arg of args) {
    total += bytesOf(arg)
    if (total >= LARGE_INPUT_BYTES) return true
  }
  return false
}

/** The inputs' bytes from which a command is large. */
export const LARGE_INPUT_BYTES = 8 * 2 ** 20

/** At most this many entries of a folder are looked at: the estimate stays cheap. */
const MAX_ENTRIES = 4096

/**
 * The bytes of the files a path names: a file's size, a folder's files to two levels; 0 for
 * anything else (an option, a path that is not there, a device). An estimate: nothing is read.
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
