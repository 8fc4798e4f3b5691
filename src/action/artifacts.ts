import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage } from '../errors.js'
import { clip, visible } from '../text.js'
import type { Deps } from '../main.js'

/**
 * What to do when the run already holds an artifact of the name (409). "Re-run jobs" runs in the
 * same workflow run, which still holds the earlier attempt's artifact: it is replaced, or a later
 * reader would get the stale one. But two jobs of one attempt with the same `name` (a matrix
 * dimension added without it in `name`) clash too, and replacing the other's artifact, or
 * giving up with a warning, loses one leg's results without a trace: the clash is a failure of
 * the step, and (`aside`) the artifact is uploaded under another name that says so, where a
 * reader (mode: aggregate) finds it.
 */
export interface Clash {
  /** Whether the artifact already in the run was uploaded by an earlier attempt. */
  earlier(existing: number): Promise<boolean>
  /**
   * Where the artifact goes instead when the other is this attempt's: prepares the directory
   * (marks it as the clash it is) and returns the name to upload under.
   */
  aside?: () => Promise<string>
}

/** How an upload went: a failure is a warning, a clash (`Clash`) a failure of the step. */
export type Uploaded = { ok: true; name: string } | { ok: false; clash?: string }

/**
 * Uploads a directory as an artifact. A failure is a warning: an upload never loses the verdict.
 * A second artifact of the name in the run (409) is handled as `Clash` says; without one, an
 * earlier attempt's is assumed only from the second attempt on, and replaced.
 */
export async function uploadDirectory(
  deps: Deps,
  name: string,
  dir: string,
  retentionDays: number | undefined,
  clash?: Clash
): Promise<Uploaded> {
  const attempt = Number(deps.env.GITHUB_RUN_ATTEMPT ?? 1)
  let clashed: string | undefined
  try {
    const files = await listFiles(dir)
    if (files.length === 0) return { ok: true, name }
    const options = retentionDays === undefined ? {} : { retentionDays }
    const client = deps.artifacts()
    let result
    let uploaded = name
    try {
      result = await client.uploadArtifact(name, files, dir, options)
    } catch (error) {
      if (!isConflict(error)) throw error
      const existing = attempt > 1 ? (await client.getArtifact(name)).artifact.id : undefined
      if (existing !== undefined && (!clash || (await clash.earlier(existing)))) {
        await client.deleteArtifact(name)
        deps.core.info(`Deleted the ${name} artifact of an earlier attempt of this run`)
        result = await client.uploadArtifact(name, files, dir, options)
      } else {
        clashed = `Another job of this workflow run (attempt ${attempt}) uploaded an artifact named ${visible(name)}: two jobs ran with the same \`name\`, and one's artifact would hide the other's. Give each matrix leg its own \`name\` (e.g. \`name: \${{ matrix.gpu }}-\${{ matrix.model }}\`).`
        if (!clash?.aside) throw error
        uploaded = await clash.aside()
        result = await client.uploadArtifact(uploaded, files, dir, options)
        clashed += ` This job's artifact is uploaded as ${visible(uploaded)}, where mode: aggregate reports the clash.`
      }
    }
    deps.core.info(
      `Uploaded artifact ${uploaded} (${files.length} files, ${result.size ?? '?'} bytes)`
    )
    return clashed === undefined ? { ok: true, name: uploaded } : { ok: false, clash: clashed }
  } catch (error) {
    if (clashed !== undefined) {
      deps.core.warning(clashed, { title: 'nsys-bench: artifact name clash' })
      return { ok: false, clash: clashed }
    }
    deps.core.warning(`Could not upload the ${name} artifact: ${clip(errorMessage(error), 500)}`, {
      title: 'nsys-bench: upload failed'
    })
    return { ok: false }
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
