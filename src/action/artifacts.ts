import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage } from '../errors.js'
import { clip, visible } from '../text.js'
import type { Deps } from '../main.js'
import type { Repo } from './comment.js'

/**
 * What to do when the run already holds an artifact of the name (409). "Re-run jobs" runs in the
 * same workflow run, which still holds the earlier attempt's artifact: it is replaced, or a later
 * reader would get the stale one. But two jobs of one attempt with the same `name` (a matrix
 * dimension added without it in `name`) clash too, and replacing the other's artifact, or
 * giving up with a warning, loses one leg's results without a trace: the clash is a failure of
 * the step, and (`aside`) the artifact is uploaded under another name that says so.
 */
export interface Clash {
  /** Whose the artifact already in the run is (asked from the second attempt on). */
  whose(existing: Existing): Promise<Whose>
  /**
   * Where the artifact goes instead when the other one stays: prepares the directory (marks it
   * as the clash it is) and returns the name to upload under. Without it nothing is uploaded.
   */
  aside?: () => Promise<string>
  /**
   * The sentence that says where this job's files are when the other artifact stays: `uploaded`
   * is the name they went under (`aside`), or undefined when they were not uploaded.
   */
  where(uploaded: string | undefined): string
}

/** The artifact of the name already in the run, as the artifact service describes it. */
export interface Existing {
  id: number
  /** When it was created, where the service says. */
  createdAt?: Date
}

/**
 * An earlier attempt's (it is replaced), another job's of this attempt (a clash), or not known:
 * then the other artifact stays, this one goes aside (or is not uploaded), and a warning says why.
 */
export type Whose = 'earlier' | 'this' | { unknown: string }

/**
 * How an upload went: a failure is a warning, a clash (`Clash`) a failure of the step. `name`:
 * the artifact the files went under (aside, after a clash), when they were uploaded.
 */
export type Uploaded = { ok: true; name: string } | { ok: false; clash?: string; name?: string }

/**
 * Uploads a directory as an artifact. A failure is a warning: an upload never loses the verdict.
 * A second artifact of the name in the run (409) is handled as `Clash` says: from the second
 * attempt on, an earlier attempt's is replaced; on the first, any is another job's.
 */
export async function uploadDirectory(
  deps: Deps,
  name: string,
  dir: string,
  retentionDays: number | undefined,
  clash: Clash
): Promise<Uploaded> {
  const attempt = runAttemptOf(deps.env)
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
      let whose: Whose = 'this'
      if (attempt > 1) {
        const { artifact } = await client.getArtifact(name)
        whose = await clash.whose({
          id: artifact.id,
          ...(artifact.createdAt ? { createdAt: artifact.createdAt } : {})
        })
      }
      if (whose === 'earlier') {
        await client.deleteArtifact(name)
        deps.core.info(`Deleted the ${visible(name)} artifact of an earlier attempt of this run`)
        result = await client.uploadArtifact(name, files, dir, options)
      } else if (whose !== 'this') {
        // Not known to be a clash: a warning, not a failure of the step (see `attemptClash`).
        const aside = clash.aside ? await clash.aside() : undefined
        if (aside !== undefined) await client.uploadArtifact(aside, files, dir, options)
        deps.core.warning(
          `Could not tell whether the ${visible(name)} artifact already in this workflow run is an earlier attempt's or another job's of this attempt (${attempt}): ${whose.unknown} It is kept, not replaced: replacing another job's artifact would lose it. ${clash.where(aside)}`,
          { title: 'nsys-bench: artifact of another attempt or job' }
        )
        return aside === undefined ? { ok: false } : { ok: true, name: aside }
      } else {
        clashed = `Another job of this workflow run (attempt ${attempt}) uploaded an artifact named ${visible(name)}: two jobs ran with the same \`name\`, and one's artifact would hide the other's. Give each matrix leg its own \`name\` (e.g. \`name: \${{ matrix.gpu }}-\${{ matrix.model }}\`).`
        if (!clash.aside) {
          clashed += ` ${clash.where(undefined)}`
          deps.core.warning(clashed, { title: 'nsys-bench: artifact name clash' })
          return { ok: false, clash: clashed }
        }
        uploaded = await clash.aside()
        result = await client.uploadArtifact(uploaded, files, dir, options)
        clashed += ` ${clash.where(uploaded)}`
      }
    }
    deps.core.info(
      `Uploaded artifact ${visible(uploaded)} (${files.length} files, ${result.size ?? '?'} bytes)`
    )
    return clashed === undefined
      ? { ok: true, name: uploaded }
      : { ok: false, clash: clashed, name: uploaded }
  } catch (error) {
    if (clashed !== undefined) {
      deps.core.warning(clashed, { title: 'nsys-bench: artifact name clash' })
      return { ok: false, clash: clashed }
    }
    deps.core.warning(
      `Could not upload the ${visible(name)} artifact: ${visible(clip(errorMessage(error), 500))}`,
      { title: 'nsys-bench: upload failed' }
    )
    return { ok: false }
  }
}

/** The attempt of this workflow run (1, or more after "Re-run jobs"). */
export function runAttemptOf(env: NodeJS.ProcessEnv): number {
  const attempt = Number(env.GITHUB_RUN_ATTEMPT ?? 1)
  return Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : 1
}

/**
 * The clash policy of artifacts that carry no attempt of their own (the report, the baseline,
 * whose format older nsys-bench versions read): the artifact already in the run is an earlier
 * attempt's when the artifact service created it before this attempt started (`started`: the
 * REST API's `run_started_at` of this attempt). Any job of this attempt uploads only after the
 * attempt started, and a re-run starts only after the earlier attempt ended: the two never
 * overlap. `run_started_at` is given to the second; an artifact created within the second this
 * attempt started counts as this attempt's (a clash said, never a deletion).
 *
 * When it cannot tell (the REST API refused, or the service gave no creation time), the artifact
 * already there stays: deleting it could lose another leg's report or baseline for good, while
 * keeping it loses nothing — this job's report goes aside, its baseline is not saved (its
 * profiles are in its report artifact), and a warning says so. It is not a failure of the step:
 * a re-run of one leg (the common case) is not a clash.
 */
export function attemptClash(
  started: () => Promise<Date>,
  where: Clash['where'],
  aside?: () => Promise<string>
): Clash {
  return {
    async whose(existing) {
      if (!existing.createdAt || Number.isNaN(existing.createdAt.getTime()))
        return { unknown: 'the artifact service did not say when that artifact was created.' }
      let start: Date
      try {
        start = await started()
      } catch (error) {
        return {
          unknown: `the REST API did not say when this attempt started (${visible(clip(errorMessage(error), 300))}); give the job's token \`actions: read\` if it lacks it (GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}).`
        }
      }
      return existing.createdAt.getTime() < start.getTime() ? 'earlier' : 'this'
    },
    ...(aside ? { aside } : {}),
    where
  }
}

/** An artifact name that says it clashed: `<name>-clash-<random hex>`. */
export function clashName(name: string): string {
  return `${name}-clash-${randomBytes(4).toString('hex')}`
}

/**
 * When this attempt of the workflow run started (`run_started_at` of
 * GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}); asked once.
 */
export function attemptStart(
  deps: Deps,
  token: string,
  repo: Repo,
  runId: number
): () => Promise<Date> {
  let asked: Promise<Date> | undefined
  return () =>
    (asked ??= (async () => {
      const { data } = await deps.octokit(token).rest.actions.getWorkflowRunAttempt({
        ...repo,
        run_id: runId,
        attempt_number: runAttemptOf(deps.env),
        exclude_pull_requests: true
      })
      const start = new Date(data.run_started_at ?? '')
      if (Number.isNaN(start.getTime()))
        throw new Error(
          `run ${runId} attempt ${runAttemptOf(deps.env)} has no run_started_at (${visible(clip(String(data.run_started_at), 40))})`
        )
      return start
    })())
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
