import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage } from '../errors.js'
import { clip } from '../text.js'
import type { Deps } from '../main.js'

/**
 * Uploads a directory as an artifact. A failure is a warning: an upload never loses the verdict.
 * "Re-run jobs" runs in the same workflow run, which still holds the earlier attempt's artifact
 * of this name (409): it is replaced, or a later reader would get the stale one.
 */
export async function uploadDirectory(
  deps: Deps,
  name: string,
  dir: string,
  retentionDays: number | undefined
): Promise<boolean> {
  try {
    const files = await listFiles(dir)
    if (files.length === 0) return true
    const options = retentionDays === undefined ? {} : { retentionDays }
    const client = deps.artifacts()
    let result
    try {
      result = await client.uploadArtifact(name, files, dir, options)
    } catch (error) {
      if (!isConflict(error) || Number(deps.env.GITHUB_RUN_ATTEMPT ?? 1) <= 1) throw error
      await client.deleteArtifact(name)
      deps.core.info(`Deleted the ${name} artifact of an earlier attempt of this run`)
      result = await client.uploadArtifact(name, files, dir, options)
    }
    deps.core.info(`Uploaded artifact ${name} (${files.length} files, ${result.size ?? '?'} bytes)`)
    return true
  } catch (error) {
    const hint = isConflict(error)
      ? '. Another job of this workflow run uploaded an artifact of that name: give each matrix leg its own `name`'
      : ''
    deps.core.warning(
      `Could not upload the ${name} artifact: ${clip(errorMessage(error), 500)}${hint}`,
      {
        title: 'nsys-bench: upload failed'
      }
    )
    return false
  }
}

/** The artifact service's answer to a second artifact of one name in a run. */
function isConflict(error: unknown): boolean {
  return /\(409\)/.test(errorMessage(error))
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await listFiles(path)))
    else if (entry.isFile()) out.push(path)
  }
  return out.sort()
}
