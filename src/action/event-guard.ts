import { readFileSync, statSync } from 'node:fs'

/**
 * @actions/github builds its `context` when it is loaded: it JSON.parses the file at
 * GITHUB_EVENT_PATH (a payload that is not JSON, or a directory, kills the action with a stack
 * trace before run() starts) and prints a missing path raw to stdout (where a crafted name would
 * be read as a workflow command). src/index.ts imports this module first, so it runs before
 * @actions/github: it hides such a path, and src/index.ts puts it back before run(), whose
 * readContext (src/action/context.ts) reports the problem in one line.
 */
const original = process.env.GITHUB_EVENT_PATH

function readable(path: string): boolean {
  try {
    const stat = statSync(path)
    if (!stat.isFile() || stat.size > 64 * 1024 * 1024) return false
    JSON.parse(readFileSync(path, 'utf8'))
    return true
  } catch {
    return false
  }
}

if (original && !readable(original)) delete process.env.GITHUB_EVENT_PATH

/** Puts GITHUB_EVENT_PATH back as the runner set it. */
export function restoreEventPath(): void {
  if (original !== undefined) process.env.GITHUB_EVENT_PATH = original
}
