import { CHECK_CODES } from '../compare/checks.js'
import type { Comparison } from '../compare/compare.js'
import { errorMessage } from '../errors.js'
import type { Deps } from '../main.js'
import type { Note, Profile } from '../profile/model.js'
import { codeBlock } from '../render/escape.js'
import {
  COMMENT_LIMIT,
  renderMarkdown,
  renderProfileMarkdown,
  SUMMARY_LIMIT_BYTES,
  reportTitle
} from '../render/markdown.js'
import { clip, visible } from '../text.js'
import { marker, upsertStickyComment, type CommentResult, type Repo } from './comment.js'
import type { FailureSettings, Inputs } from './inputs.js'

/**
 * Publishing a verdict, the same for both modes: the job summary, the sticky comment, the
 * outputs, then the gate (what fails the step). Outputs are set before anything fails.
 */
export interface Report {
  title: string
  /** Trusted Markdown lines under the headline: the baseline, the head, the environments. */
  context: string[]
  footer: string
  /** Trusted Markdown: where the untrimmed report is. */
  fullReport: string
  comparison?: Comparison
  /** The head's profile, shown on its own when there is no baseline. */
  profile: Profile
  /** Trusted Markdown for the job summary only, after the report (a push's drifts). */
  summaryExtra?: string
}

export interface Target {
  repo: Repo
  pullNumber?: number
  commentId: string
  /**
   * The pull request's head commit the run judged (40 hex digits, the one the report shows as
   * "Head:"): the sticky comment is written only while the pull request is still at it
   * (comment.ts upsertStickyComment). Undefined where the run knows no head of the pull request
   * (a payload without one: its own sha is a merge commit): not checked.
   */
  headSha?: string
}

export interface Published {
  comment: CommentResult
  /** Why the step must fail (empty: it passes). */
  failures: string[]
}

export async function publish(
  deps: Deps,
  inputs: Inputs,
  report: Report,
  target: Target,
  options: { gate: boolean }
): Promise<Published> {
  const { core } = deps
  const { comparison } = report
  const prefix = `${marker(target.commentId)}\n`
  const markdown = (limits: { maxChars?: number; maxBytes?: number }): string =>
    comparison
      ? renderMarkdown(comparison, {
          title: report.title,
          context: report.context,
          footer: report.footer,
          fullReport: report.fullReport,
          ...limits
        })
      : renderProfileMarkdown(report.profile, { title: report.title, context: report.context })
  const extra = report.summaryExtra ? `\n${report.summaryExtra}` : ''
  await writeSummary(
    deps,
    markdown({ maxBytes: SUMMARY_LIMIT_BYTES - 1024 - Buffer.byteLength(extra) }) + extra
  )
  const comment = await postComment(
    deps,
    inputs,
    target,
    () => markdown({ maxChars: COMMENT_LIMIT - prefix.length }),
    comparison?.gate.verdict
  )

  const verdict = comparison ? comparison.gate.verdict : 'no-baseline'
  const reasons: Note[] = comparison ? comparison.gate.reasons : []
  core.setOutput('verdict', verdict)
  core.setOutput('reasons', JSON.stringify(reasons))
  core.setOutput('regressions', comparison ? comparison.gate.counts.regressed : 0)
  core.setOutput('improvements', comparison ? comparison.gate.counts.improved : 0)
  core.setOutput('comment-status', comment.status)
  core.setOutput('comment-url', comment.url ?? '')

  const failures: string[] = []
  if (!comparison) return { comment, failures }
  const where = `see the job summary${comment.url ? ` and ${comment.url}` : ''}`
  // The checks' warnings (a different GPU with gpu-mismatch: warn, another nsys version, a report
  // that is not gated missing on one side) are annotated too, where people look.
  for (const note of comparison.notes) {
    if (
      note.severity === 'warning' &&
      (CHECK_CODES.has(note.code) || note.code === 'acceptance-expired')
    )
      core.warning(visible(clip(note.message, 500)), { title: 'nsys-bench: comparison' })
  }
  const why = reasons.map((r) => visible(clip(r.message, 300))).join(' ')
  core.info(`nsys-bench verdict: ${verdict}${why ? ` (${why})` : ''}`)
  switch (verdict) {
    case 'regression': {
      const message = `GPU performance regression: ${why.replace(/\.$/, '')} (${where})`
      if (options.gate && inputs.failOnRegression) failures.push(message)
      else core.warning(message, { title: 'nsys-bench: regression' })
      break
    }
    case 'inconclusive': {
      const message = `The comparison is inconclusive, so it cannot pass: ${why} (${where}). Set \`on-inconclusive: pass\` to let such runs pass.`
      if (options.gate && inputs.onInconclusive === 'fail') failures.push(message)
      else core.warning(message, { title: 'nsys-bench: inconclusive' })
      break
    }
    case 'accepted':
      core.notice(`${why} (${where})`, { title: 'nsys-bench: regression accepted' })
      break
    case 'pass':
      break
  }
  return { comment, failures }
}

export async function writeSummary(deps: Deps, markdown: string): Promise<void> {
  try {
    await deps.writeSummary(markdown)
  } catch (error) {
    deps.core.warning(`Could not write the job summary: ${clip(errorMessage(error), 300)}`)
  }
}

/** The sticky comment, as `comment` says; `verdict` decides it for `on-regression`. */
export async function postComment(
  deps: Deps,
  inputs: Inputs,
  target: Target,
  body: () => string,
  verdict: string | undefined
): Promise<CommentResult> {
  if (target.pullNumber === undefined) return { status: 'skipped-not-pull-request' }
  if (inputs.comment === 'never') return { status: 'skipped-by-setting' }
  const result = await upsertStickyComment(
    deps.octokit(inputs.token),
    target.repo,
    target.pullNumber,
    target.commentId,
    body(),
    {
      // `on-regression`: a new comment only when there is something to act on.
      createIfMissing:
        inputs.comment === 'always' || verdict === 'regression' || verdict === 'inconclusive',
      ...(target.headSha === undefined ? {} : { headSha: target.headSha })
    }
  )
  reportComment(deps, result)
  return result
}

export function reportComment(deps: Deps, result: CommentResult): void {
  const { core } = deps
  reportHeadCheck(deps, result)
  const serverUrl = deps.env.GITHUB_SERVER_URL || 'https://github.com'
  if (result.status === 'skipped-no-permission') {
    const readme = deps.env.GITHUB_ACTION_REPOSITORY
      ? `${serverUrl}/${deps.env.GITHUB_ACTION_REPOSITORY}#permissions-and-fork-pull-requests`
      : 'the nsys-bench README, section "Permissions and fork pull requests"'
    core.warning(
      `Could not comment on the pull request (${clip(result.message ?? 'refused', 300)}). Add \`pull-requests: write\` to the job's \`permissions:\`; ` +
        `pull requests from forks get a read-only token, so use the two-workflow pattern (mode: comment) described in ${readme}. ` +
        'The report is in the job summary.',
      { title: 'nsys-bench: no permission to comment' }
    )
  } else if (result.status === 'failed') {
    core.warning(
      `Could not comment on the pull request: ${clip(result.message ?? '', 300)}. The report is in the job summary.`,
      { title: 'nsys-bench: comment failed' }
    )
  } else if (result.url) {
    core.info(visible(`PR comment ${result.status}: ${result.url}`))
  }
}

/**
 * What the check of the pull request's head said: a run whose pull request has moved on left the
 * comment to the newer run (a notice: nothing is wrong, the verdict and the gate are this run's);
 * a head that could not be read is a log line (the comment was written as before).
 */
function reportHeadCheck(deps: Deps, result: CommentResult): void {
  if (result.status === 'skipped-stale')
    deps.core.notice(visible(clip(result.message ?? 'the pull request has moved on', 500)), {
      title: 'nsys-bench: comment left to the newer run'
    })
  if (result.unchecked !== undefined) deps.core.info(visible(clip(result.unchecked, 500)))
}

/**
 * The step failed before a verdict: outputs say so, and an existing sticky comment is updated to
 * say the run failed, so that it never keeps showing an older run's verdict as current.
 */
export async function publishFailure(
  deps: Deps,
  inputs: FailureSettings | undefined,
  target: Target | undefined,
  message: string,
  footer: string,
  /** What failed: the benchmark run, or (mode: comment) the run that judges its results. */
  what = 'the benchmark run'
): Promise<void> {
  const { core } = deps
  core.setOutput('verdict', 'error')
  core.setOutput('reasons', JSON.stringify([{ code: 'error', severity: 'error', message }]))
  core.setOutput('regressions', 0)
  core.setOutput('improvements', 0)
  core.setOutput('comment-url', '')
  if (!inputs || !target || target.pullNumber === undefined || inputs.comment === 'never') {
    core.setOutput('comment-status', 'skipped-error')
    return
  }
  const title = reportTitle(inputs.name)
  const body = [
    `### ❗ ${title}: ${what} failed, there is no verdict for this commit`,
    '',
    codeBlock(clip(message, 4000)),
    '',
    `<sub>${footer}</sub>`,
    ''
  ].join('\n')
  const result = await upsertStickyComment(
    deps.octokit(inputs.token),
    target.repo,
    target.pullNumber,
    target.commentId,
    body,
    // A failure of an older commit's run must not replace the newer head's comment either.
    { createIfMissing: false, ...(target.headSha === undefined ? {} : { headSha: target.headSha }) }
  ).catch((error: unknown): CommentResult => ({ status: 'failed', message: errorMessage(error) }))
  reportHeadCheck(deps, result)
  core.setOutput(
    'comment-status',
    result.status === 'skipped-no-regression' ? 'skipped-error' : result.status
  )
  if (result.status === 'updated') {
    core.setOutput('comment-url', result.url ?? '')
    core.info(visible(`PR comment updated to say the run failed: ${result.url ?? ''}`))
  }
}
