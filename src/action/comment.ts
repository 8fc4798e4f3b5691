import { errorMessage } from '../errors.js'
import { clip, quoted } from '../text.js'
import type { Octokit } from './octokit.js'

/**
 * The sticky PR comment: one per `comment-id`, found by its marker at the start of the body,
 * searched over every page of comments and accepted only from the token's own account (a
 * foreign comment that quotes the marker is never edited), updated in place on re-runs.
 */
export function marker(commentId: string): string {
  return `<!-- nsys-bench:${commentId} -->`
}

export type CommentStatus =
  | 'created'
  | 'updated'
  | 'skipped-no-permission'
  | 'skipped-not-pull-request'
  | 'skipped-by-setting'
  | 'skipped-no-regression'
  | 'skipped-stale'
  | 'failed'

export interface CommentResult {
  status: CommentStatus
  url?: string
  /** Why it was skipped or failed (a sentence for the log, shown through visible()). */
  message?: string
  /**
   * Set when the pull request's head could not be read before writing (pulls.get refused or
   * failed): the comment was written without that check. A sentence for the log.
   */
  unchecked?: string
}

export interface Repo {
  owner: string
  repo: string
}

/**
 * Who the token writes as: the user of a personal token; undefined for GITHUB_TOKEN and GitHub
 * App tokens, which may not call /user: their comments are written by a bot account
 * (`github-actions[bot]`, `<app>[bot]`).
 */
export async function tokenLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return data.login
  } catch {
    return undefined
  }
}

export async function findStickyComment(
  octokit: Octokit,
  repo: Repo,
  issueNumber: number,
  commentId: string,
  login: string | undefined
): Promise<{ id: number; html_url: string } | undefined> {
  const mark = marker(commentId)
  // Without a known login (GITHUB_TOKEN, App tokens), a bot wrote ours: github-actions[bot] first.
  let found: { id: number; html_url: string } | undefined
  let otherBot: { id: number; html_url: string } | undefined
  for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100
  })) {
    for (const comment of page.data) {
      if (!comment.body?.startsWith(mark)) continue
      const author = comment.user?.login
      if (login !== undefined ? author === login : author === 'github-actions[bot]') {
        found ??= { id: comment.id, html_url: comment.html_url }
      } else if (login === undefined && comment.user?.type === 'Bot') {
        otherBot ??= { id: comment.id, html_url: comment.html_url }
      }
    }
  }
  return found ?? otherBot
}

/**
 * Creates or updates the sticky comment. A refused write (403/404: a fork PR's read-only token,
 * or a missing `pull-requests: write`) is a soft outcome, reported in the status.
 *
 * `headSha`: the head commit this run judged (the one its comment shows as "Head:"). Two runs of
 * one pull request can overlap (a push while the previous run still profiles, without
 * `concurrency: cancel-in-progress`), and the older can finish last: its comment would then
 * replace the newer head's and show the verdict of a commit that is no longer the pull request's
 * (a stale ✅ hiding the newer head's regression). So right before writing, the pull request's
 * head is read (pulls.get); when it has moved on from `headSha`, nothing is written
 * (`skipped-stale`): the comment is for the current head's run to write. The verdict, the job
 * summary and the gate are the caller's and do not change.
 *
 * Why ask GitHub rather than write the judged SHA into the comment and compare with it: two SHAs
 * do not say which commit is newer (a force-push, a rebase or a revert can make the current head
 * an older commit, and a re-run of an old run writes last), and run ids are not documented to be
 * ordered; only the pull request's head, read now, says which commit the comment must show. The
 * read comes after the search for the existing comment, right before the write, to keep the
 * window in which a newer run can slip in as short as it can be without a lock GitHub does not
 * offer. When the read fails (a token without `pull-requests: read`, a 5xx), the comment is
 * written as before, and `unchecked` says that the head could not be checked: a comment that may
 * be stale is better than none, which is what blocking on the check would leave.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  repo: Repo,
  issueNumber: number,
  commentId: string,
  body: string,
  options: { createIfMissing: boolean; headSha?: string }
): Promise<CommentResult> {
  let unchecked: string | undefined
  const checked = (result: CommentResult): CommentResult =>
    unchecked === undefined ? result : { ...result, unchecked }
  try {
    const login = await tokenLogin(octokit)
    const existing = await findStickyComment(octokit, repo, issueNumber, commentId, login)
    if (!existing && !options.createIfMissing) return { status: 'skipped-no-regression' }
    if (options.headSha !== undefined) {
      const head = await pullHead(octokit, repo, issueNumber)
      if ('problem' in head)
        unchecked = `Could not check that pull request #${issueNumber} is still at \`${short(options.headSha)}\` before writing the sticky comment (${head.problem}); it was written without that check.`
      else if (head.sha !== options.headSha)
        return {
          status: 'skipped-stale',
          message: `Pull request #${issueNumber} has moved on: this run judged \`${short(options.headSha)}\`, and its head is now \`${short(head.sha)}\`. The sticky comment is left to the run of \`${short(head.sha)}\` (a newer run's comment is never replaced by an older run's); this run's report is in the job summary.`
        }
    }
    const full = `${marker(commentId)}\n${body}`
    if (existing) {
      const { data } = await octokit.rest.issues.updateComment({
        ...repo,
        comment_id: existing.id,
        body: full
      })
      return checked({ status: 'updated', url: data.html_url })
    }
    const { data } = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: issueNumber,
      body: full
    })
    return checked({ status: 'created', url: data.html_url })
  } catch (error) {
    const status = (error as { status?: number }).status
    const message = (error as Error).message
    if (status === 403 || status === 404)
      return checked({ status: 'skipped-no-permission', message })
    return checked({ status: 'failed', message })
  }
}

const SHA = /^[0-9a-f]{40}$/

/** The first 7 characters of a commit SHA, as the reports show it ("Head: `abc1234`"). */
function short(sha: string): string {
  return sha.slice(0, 7)
}

/** The pull request's head commit now, or why it could not be read. */
async function pullHead(
  octokit: Octokit,
  repo: Repo,
  pullNumber: number
): Promise<{ sha: string } | { problem: string }> {
  try {
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber })
    const sha: unknown = data.head.sha
    return typeof sha === 'string' && SHA.test(sha)
      ? { sha }
      : { problem: `its head is not a commit SHA: ${quoted(String(sha), 60)}` }
  } catch (error) {
    const status = (error as { status?: number }).status
    const why = clip(errorMessage(error), 200)
    return {
      problem:
        status === 403 || status === 404
          ? `HTTP ${status}: ${why}; the token needs \`pull-requests: read\` (\`write\` includes it)`
          : `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${why}`
    }
  }
}
