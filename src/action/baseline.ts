import { mkdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { ArtifactClient } from '@actions/artifact'
import { errorMessage, ServiceError } from '../errors.js'
import { inlineCode } from '../render/escape.js'
import { clip } from '../text.js'
import type { Octokit } from './octokit.js'
import type { Repo } from './comment.js'

/**
 * Finds the baseline: the newest completed `push` run of this workflow on the base branch, in
 * this repository (a fork cannot plant one: its runs are `pull_request` runs, and their head
 * repository is the fork), that still has the baseline artifact; expired artifacts are skipped,
 * and so is one that cannot be downloaded or (with `read`) holds no profile that can be read: the
 * next older run's is used, and the search says which were passed over.
 *
 * The run's conclusion does not matter: the artifact is uploaded only after the benchmark was
 * profiled and read, and a push that failed the gate (a regression that was merged anyway) must
 * still become the new baseline; otherwise every later run would be compared with the state
 * before it and fail forever. Its `status` does: a run not yet `completed` (queued, in progress,
 * or being re-run) has not saved its baseline yet, so it is passed over, and said.
 */
export interface BaselineRun {
  runId: number
  runNumber: number
  sha: string
  url: string
  artifactId: number
  dir: string
  /** When the artifact was saved (its `created_at`; the run's start where GitHub gives none). */
  savedAt: string
}

/**
 * A baseline that exists but was passed over: `download`, it could not be downloaded (or arrived
 * damaged); `profile`, it downloaded but holds no profile that can be read.
 */
export interface UnusableBaseline {
  runId: number
  sha: string
  reason: 'download' | 'profile'
  /** What was wrong, naming the artifact and its run. */
  message: string
  /** The error that said it, when one did. */
  cause?: unknown
}

/** A newer push run of the branch that has not completed: it has saved no baseline yet. */
export interface RunInProgress {
  runId: number
  sha: string
  /** The run's `status` as GitHub gives it (`in_progress`, `queued`, `waiting`, …). */
  status: string
  /** Its `run_attempt`: above 1 when it is being re-run. */
  attempt?: number
}

export interface BaselineSearch<T = undefined> {
  found?: BaselineRun
  /** What `read` made of the found baseline's files (with `read` given, found has one). */
  value?: T
  /** What was looked at, for the notice when nothing is found. */
  looked: number
  notes: string[]
  /**
   * Baselines that exist but could not be used, newest first: with none found, the run cannot
   * say "no baseline yet"; with an older one found, it says it compared with that.
   */
  unusable: UnusableBaseline[]
  /** The messages of `unusable`, newest first. */
  unreadable: string[]
  /**
   * Runs whose baseline artifact expired (`run 1001 (4386c90)`), newest first: with none found,
   * "no baseline yet" would be untrue, and the gate went quiet because nothing saved a new one.
   */
  expired: string[]
  /**
   * Newer runs looked at that have no artifact of this name at all, newest first: the baseline
   * found is older than the branch, and nothing else would say so.
   */
  withoutArtifact: { runId: number; sha: string }[]
  /**
   * Newer push runs of this workflow on the branch that had not completed (a push still being
   * benchmarked, or a run being re-run), newest first, among the branch's newest runs: whatever
   * baseline they save was not there to be found, so the one found (if any) is older than the
   * branch.
   */
  inProgress: RunInProgress[]
}

/** What happened to a baseline passed over, for "A newer baseline … (why)". */
export function passedOverVerb(u: UnusableBaseline): string {
  return u.reason === 'download' ? 'could not be downloaded' : 'could not be read'
}

/** How many runs to look at before giving up. */
const MAX_RUNS = 100

export async function findBaseline<T = undefined>(
  octokit: Octokit,
  artifacts: ArtifactClient,
  options: {
    repo: Repo
    token: string
    workflow: string
    branch: string
    artifactName: string
    currentRunId: number
    downloadTo: string
    /**
     * Reads a downloaded baseline (its profiles); a throw means its artifact holds no profile that
     * can be read, and the next older run's baseline is tried, as after a failed download.
     */
    read?: (found: BaselineRun) => Promise<T>
  }
): Promise<BaselineSearch<T>> {
  const { repo } = options
  const fullName = `${repo.owner}/${repo.repo}`
  const notes: string[] = []
  const unusable: UnusableBaseline[] = []
  const expired: string[] = []
  const withoutArtifact: BaselineSearch['withoutArtifact'] = []
  let looked = 0
  const searched = async (hit?: { found: BaselineRun; value?: T }): Promise<BaselineSearch<T>> => ({
    ...hit,
    looked,
    notes,
    unusable,
    unreadable: unusable.map((u) => u.message),
    expired,
    withoutArtifact,
    inProgress: await newerRunsInProgress(octokit, options, hit?.found.runId, notes)
  })
  for await (const page of octokit.paginate.iterator(octokit.rest.actions.listWorkflowRuns, {
    ...repo,
    workflow_id: options.workflow,
    branch: options.branch,
    event: 'push',
    status: 'completed',
    per_page: 50
  })) {
    for (const run of page.data) {
      if (looked >= MAX_RUNS) return searched()
      if (run.id === options.currentRunId) continue
      if (
        run.head_repository?.full_name !== fullName ||
        run.event !== 'push' ||
        run.status !== 'completed'
      )
        continue
      looked += 1
      const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
        ...repo,
        run_id: run.id,
        name: options.artifactName,
        per_page: 100
      })
      const failed: string[] = []
      const found = await downloadBaseline(
        artifacts,
        run,
        data.artifacts,
        options,
        notes,
        failed,
        expired
      )
      for (const message of failed)
        unusable.push({ runId: run.id, sha: run.head_sha, reason: 'download', message })
      if (found) {
        if (!options.read) return searched({ found })
        let value: T
        try {
          value = await options.read(found)
        } catch (error) {
          // Downloaded, but nothing in it can be compared with: passed over as a failed download is.
          const message = `the ${options.artifactName} artifact of run ${run.id} (${run.head_sha.slice(0, 7)}) on ${clip(options.branch, 200)} holds no profile that can be read: ${clip(errorMessage(error), 400)}`
          notes.push(message)
          unusable.push({
            runId: run.id,
            sha: run.head_sha,
            reason: 'profile',
            message,
            cause: error
          })
          continue
        }
        return searched({ found, value })
      }
      if (!data.artifacts.some((a) => a.name === options.artifactName))
        withoutArtifact.push({ runId: run.id, sha: run.head_sha })
    }
  }
  return searched()
}

/** How many of the branch's newest push runs are looked at for ones not yet completed. */
const NEWEST_RUNS = 30

/**
 * The push runs of this workflow on the branch, newer than the baseline found (all of the newest
 * when none was found), whose `status` is not `completed` yet: queued, in progress, or being
 * re-run (a re-run keeps its place: the list is ordered by when the run was created). They are
 * not in the search (it lists completed runs only), and whatever baseline they save is not there
 * yet. Only said, so a failure to list them is a note, not a failed lookup.
 */
async function newerRunsInProgress(
  octokit: Octokit,
  options: { repo: Repo; workflow: string; branch: string; currentRunId: number },
  foundRunId: number | undefined,
  notes: string[]
): Promise<RunInProgress[]> {
  const { repo } = options
  const fullName = `${repo.owner}/${repo.repo}`
  let runs
  try {
    runs = (
      await octokit.rest.actions.listWorkflowRuns({
        ...repo,
        workflow_id: options.workflow,
        branch: options.branch,
        event: 'push',
        per_page: NEWEST_RUNS
      })
    ).data.workflow_runs
  } catch (error) {
    notes.push(
      `could not list the newest push runs on ${clip(options.branch, 200)} to tell whether one is still in progress: ${clip(errorMessage(error), 300)}`
    )
    return []
  }
  const inProgress: RunInProgress[] = []
  for (const run of runs) {
    if (run.id === foundRunId) break
    if (
      run.id === options.currentRunId ||
      run.head_repository?.full_name !== fullName ||
      run.event !== 'push' ||
      run.status === 'completed'
    )
      continue
    inProgress.push({
      runId: run.id,
      sha: run.head_sha,
      status: run.status ?? 'not completed',
      ...(run.run_attempt === undefined ? {} : { attempt: run.run_attempt })
    })
  }
  return inProgress
}

interface RunFacts {
  id: number
  run_number: number
  head_sha: string
  html_url: string
  run_started_at?: string
  created_at: string
}

interface ListedArtifact {
  id: number
  name: string
  expired: boolean
  /** `sha256:<hex>` of the zip (null for artifacts of upload-artifact before v4) */
  digest?: string | null
  created_at?: string | null
}

/** Downloads the newest unexpired baseline artifact of a run; undefined (with a note) when none. */
async function downloadBaseline(
  artifacts: ArtifactClient,
  run: RunFacts,
  listed: readonly ListedArtifact[],
  options: { repo: Repo; token: string; artifactName: string; downloadTo: string },
  notes: string[],
  unreadable: string[] = [],
  expired: string[] = []
): Promise<BaselineRun | undefined> {
  const usable = listed.filter((a) => a.name === options.artifactName && !a.expired)
  if (usable.length === 0) {
    if (listed.some((a) => a.name === options.artifactName && a.expired)) {
      notes.push(
        `run ${run.id} (${run.head_sha.slice(0, 7)}) had an expired ${options.artifactName} artifact; skipped`
      )
      expired.push(`run ${run.id} (${run.head_sha.slice(0, 7)})`)
    }
    return undefined
  }
  const artifact = usable.reduce((a, b) => (b.id > a.id ? b : a))
  const dir = join(options.downloadTo, String(run.id))
  await mkdir(dir, { recursive: true })
  const failed = (why: string): undefined => {
    const message = `could not download ${options.artifactName} from run ${run.id} (${run.head_sha.slice(0, 7)}): ${why}`
    notes.push(message)
    unreadable.push(message)
    return undefined
  }
  let response
  try {
    response = await artifacts.downloadArtifact(artifact.id, {
      path: dir,
      // The client unzips without checking each file's CRC: a download damaged on the way would be
      // read as a baseline with other numbers. The digest GitHub lists tells.
      ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
      findBy: {
        token: options.token,
        workflowRunId: run.id,
        repositoryOwner: options.repo.owner,
        repositoryName: options.repo.repo
      }
    })
  } catch (error) {
    return failed(clip(errorMessage(error), 300))
  }
  if (response.digestMismatch)
    return failed(
      `the download does not match its digest (${clip(artifact.digest ?? '', 80)}): it was damaged on the way, and is not used`
    )
  return {
    runId: run.id,
    runNumber: run.run_number,
    sha: run.head_sha,
    url: run.html_url,
    artifactId: artifact.id,
    dir,
    savedAt: artifact.created_at ?? run.run_started_at ?? run.created_at
  }
}

/**
 * The baseline of one named run (the one a pull request's run compared with, as its untrusted
 * results say): used only when that run is a completed push run of this repository on the given
 * branch and, when `workflow` is given, of that workflow file (the pull request's run searched
 * only its own workflow's runs) — what findBaseline would have accepted. Anything else is
 * refused: another workflow of the repository may save an artifact of the same name with another
 * benchmark's profiles.
 */
export async function baselineOfRun(
  octokit: Octokit,
  artifacts: ArtifactClient,
  options: {
    repo: Repo
    token: string
    runId: number
    branch: string
    /** The workflow file whose push runs hold the baselines (`bench.yml`), when known. */
    workflow?: string
    artifactName: string
    downloadTo: string
  }
): Promise<{ found: BaselineRun; notes: string[] }> {
  const { repo } = options
  const fullName = `${repo.owner}/${repo.repo}`
  let run
  try {
    run = (await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: options.runId })).data
  } catch (error) {
    throw new ServiceError(
      `the results name baseline run ${options.runId}, which cannot be read: ${clip(errorMessage(error), 300)}`,
      { cause: error }
    )
  }
  if (
    run.event !== 'push' ||
    run.status !== 'completed' ||
    run.head_repository?.full_name !== fullName ||
    run.head_branch !== options.branch
  ) {
    throw new ServiceError(
      `the results name baseline run ${options.runId}, which is not a completed push run of ${fullName} on ${options.branch}; refusing it (a pull request cannot choose its own baseline)`
    )
  }
  const file = basename(run.path.split('@')[0] ?? '')
  if (options.workflow !== undefined && file !== options.workflow)
    throw new ServiceError(
      `the results name baseline run ${options.runId}, a push run of another workflow (${clip(file, 100)}), not of ${options.workflow}; refusing it (a pull request cannot choose its own baseline)`
    )
  const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
    ...repo,
    run_id: run.id,
    name: options.artifactName,
    per_page: 100
  })
  const notes: string[] = []
  const found = await downloadBaseline(artifacts, run, data.artifacts, options, notes)
  if (!found)
    throw new ServiceError(
      `baseline run ${options.runId} has no usable ${options.artifactName} artifact${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`
    )
  return { found, notes }
}

/**
 * The failure when baselines exist but none could be used (nothing was compared: never "no
 * baseline yet", never a pass), said by the newest of them, with what to do.
 */
export function unusableBaseline(
  unusable: readonly UnusableBaseline[],
  branch: string
): ServiceError {
  const [newest, ...older] = unusable
  if (newest === undefined) throw new TypeError('unusableBaseline: no baseline passed over')
  const more = older.length > 0 ? ` (and ${older.length} older could not be used either)` : ''
  if (newest.reason === 'download')
    return new ServiceError(
      `a baseline exists, but it could not be downloaded, so nothing was compared: ${newest.message}${more}. ` +
        'Re-run the job; if it fails again, check that the token has `actions: read`.',
      newest.cause === undefined ? {} : { cause: newest.cause }
    )
  return new ServiceError(
    `${newest.message.replace(/\.$/, '')}${more}. Nothing was compared. Check that the workflow saving the baseline profiles the benchmark into the artifact (a profile JSON or nsys stats), then push to ${clip(branch, 200)} or re-run its latest workflow run to save a new one.`,
    newest.cause === undefined ? {} : { cause: newest.cause }
  )
}

/** The workflow file of this run, from GITHUB_WORKFLOW_REF (`owner/repo/.github/workflows/x.yml@ref`). */
export function workflowFile(workflowRef: string | undefined): string | undefined {
  const match = /\/\.github\/workflows\/([^@]+)@/.exec(workflowRef ?? '')
  return match?.[1]
}

/** A baseline older than this many days is warned about. */
export const OLD_BASELINE_DAYS = 30

/**
 * What the baseline line adds about the baseline found: when it was saved, the newer runs of the
 * branch that saved none, and those still in progress (their changes since then are the pull
 * request's, as the comparison sees it). `warning`: an old baseline, for an annotation;
 * `notice`: a newer run still in progress, for an annotation.
 */
export function baselineAge(
  found: BaselineRun,
  o: {
    branch: string
    artifactName: string
    withoutArtifact?: BaselineSearch['withoutArtifact']
    inProgress?: BaselineSearch['inProgress']
    now?: number
  }
): { line: string; warning?: string; notice?: string } {
  const saved = Date.parse(found.savedAt)
  const parts: string[] = []
  let warning: string | undefined
  if (Number.isFinite(saved)) {
    const days = Math.max(0, Math.floor(((o.now ?? Date.now()) - saved) / 86_400_000))
    const date = new Date(saved).toISOString().slice(0, 10)
    const ago = days === 0 ? 'today' : days === 1 ? '1 day ago' : `${days} days ago`
    parts.push(`It was saved ${date}, ${ago}.`)
    if (days >= OLD_BASELINE_DAYS)
      warning =
        `The baseline is ${days} days old (run ${found.runId}, saved ${date}): whatever changed on ${clip(o.branch, 200)} since then counts as this change. ` +
        `Push to ${clip(o.branch, 200)} (or re-run its latest workflow run) to save a newer one.`
  }
  const skipped = o.withoutArtifact ?? []
  const [newest] = skipped
  if (newest !== undefined)
    parts.push(
      `${skipped.length} newer push run${skipped.length === 1 ? '' : 's'} of this workflow on ${inlineCode(o.branch)} saved no ${inlineCode(o.artifactName)} artifact (the newest: run ${newest.runId}, \`${newest.sha.slice(0, 7)}\`).`
    )
  // Markdown for the line (code spans), plain text for the annotation.
  const running = (code: (text: string) => string): string | undefined => {
    const sentence = inProgressSentence(o.inProgress ?? [], o.branch, code)
    return sentence === undefined
      ? undefined
      : `${sentence}; this compares with run ${found.runId} (${code(found.sha.slice(0, 7))}), the newest completed one that saved a usable baseline.`
  }
  const line = running(inlineCode)
  if (line !== undefined) parts.push(line)
  const notice = running((text) => clip(text, 200))
  return {
    line: parts.join(' '),
    ...(warning === undefined ? {} : { warning }),
    ...(notice === undefined ? {} : { notice })
  }
}

/**
 * "A newer push run of this workflow on `main` has not completed, run 1234 (`abc1234`, in
 * progress, attempt 2: a re-run): its baseline was not available yet" (no full stop, for the
 * caller to go on); undefined when no newer run was in progress. `code` shows the branch and
 * commit (a code span in Markdown, plain text in an annotation).
 */
export function inProgressSentence(
  runs: readonly RunInProgress[],
  branch: string,
  code: (text: string) => string,
  /** false when no baseline was found: the runs are then not newer than any. */
  newer = true
): string | undefined {
  const [newest] = runs
  if (newest === undefined) return undefined
  const status = newest.status.replace(/_/g, ' ')
  const attempt =
    newest.attempt !== undefined && newest.attempt > 1
      ? `, attempt ${newest.attempt}: a re-run`
      : ''
  const which = `run ${newest.runId} (${code(newest.sha.slice(0, 7))}, ${status}${attempt})`
  const kind = newer ? ' newer' : ''
  return runs.length === 1
    ? `A${kind} push run of this workflow on ${code(branch)} has not completed, ${which}: its baseline was not available yet`
    : `${runs.length}${kind} push runs of this workflow on ${code(branch)} have not completed (the newest: ${which}): their baselines were not available yet`
}
