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
  | 'failed'

export interface CommentResult {
  status: CommentStatus
  url?: string
  /** Why it was skipped or failed. */
  message?: string
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
 */
export async function upsertStickyComment(
  octokit: Octokit,
  repo: Repo,
  issueNumber: number,
  commentId: string,
  body: string,
  options: { createIfMissing: boolean }
): Promise<CommentResult> {
  try {
    const login = await tokenLogin(octokit)
    const existing = await findStickyComment(octokit, repo, issueNumber, commentId, login)
    const full = `${marker(commentId)}\n${body}`
    if (existing) {
      const { data } = await octokit.rest.issues.updateComment({
        ...repo,
        comment_id: existing.id,
        body: full
      })
      return { status: 'updated', url: data.html_url }
    }
    if (!options.createIfMissing) return { status: 'skipped-no-regression' }
    const { data } = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: issueNumber,
      body: full
    })
    return { status: 'created', url: data.html_url }
  } catch (error) {
    const status = (error as { status?: number }).status
    const message = (error as Error).message
    if (status === 403 || status === 404) return { status: 'skipped-no-permission', message }
    return { status: 'failed', message }
  }
}
