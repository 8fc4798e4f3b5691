import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import type { Rules } from '../compare/rules.js'
import { ServiceError, UsageError } from '../errors.js'
import type { Deps } from '../main.js'
import { reportTitle } from '../render/markdown.js'
import { TOOL } from '../version.js'
import { pullMovedOn, type RunContext } from './context.js'
import type { Inputs } from './inputs.js'
import { publish, publishFailure, type Published, type Target } from './publish.js'
import { judgeResults } from './judge.js'
import { readResults } from './results.js'
import { environment } from './run-mode.js'

/**
 * `mode: comment`, in a `workflow_run` workflow (trusted, with a write token): reads the results
 * artifact of the benchmark run that triggered it — untrusted, the pull request's code wrote it —
 * checks that it belongs to the pull request it names, takes the baseline from the base branch's
 * own artifact (never from the results), compares, and posts the sticky comment. It never fails
 * the step on a regression: the benchmark run's own check is the gate.
 */
export async function commentMode(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  rules: Rules,
  /**
   * Told the pull request and comment once the results are checked against its head: a failure
   * after that updates the sticky comment (run() does), so that it does not keep showing an older
   * commit's verdict.
   */
  onTarget: (target: Target) => void = () => undefined
): Promise<Published | undefined> {
  const { core } = deps
  const triggering = context.triggeringRun
  if (context.eventName !== 'workflow_run' || !triggering) {
    throw new UsageError(
      'mode: comment runs in a workflow triggered by `workflow_run` (see the two-workflow example in the README)'
    )
  }
  const octokit = deps.octokit(inputs.token)
  const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
    ...context.repo,
    run_id: triggering.id,
    name: inputs.resultsArtifact
  })
  const artifact = data.artifacts.find((a) => a.name === inputs.resultsArtifact && !a.expired)
  if (!artifact) {
    core.notice(
      `Run ${triggering.id} has no ${inputs.resultsArtifact} artifact (it was not a pull request, or the benchmark step failed on its inputs); nothing to comment.`
    )
    core.setOutput('comment-status', 'skipped-not-pull-request')
    return undefined
  }
  const dir = await mkdtemp(join(context.temp, `nsys-bench-results-${triggering.id}-`))
  await deps.artifacts().downloadArtifact(artifact.id, {
    path: dir,
    findBy: {
      token: inputs.token,
      workflowRunId: triggering.id,
      repositoryOwner: context.repo.owner,
      repositoryName: context.repo.repo
    }
  })
  const { results, head, base } = await readResults(dir)
  const { data: pull } = await octokit.rest.pulls.get({
    ...context.repo,
    pull_number: results.pullRequest
  })
  // The results must be the triggering run's, and the pull request they name the one it ran for:
  // at its head, or, when its branch has moved on since (a newer push), of that same branch. Then
  // the results are still judged (the job summary, the outputs), and the comment is left to the
  // newer head's run (publish: skipped-stale).
  if (
    results.headSha !== triggering.headSha ||
    (pull.head.sha !== triggering.headSha && !pullMovedOn(pull, triggering))
  ) {
    throw new ServiceError(
      `the results artifact names pull request #${results.pullRequest}, whose head is ${pull.head.sha.slice(0, 7)}, not the triggering run's ${triggering.headSha.slice(0, 7)}; refusing to comment`
    )
  }

  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${triggering.id}`
  const target = {
    repo: context.repo,
    pullNumber: results.pullRequest,
    commentId: inputs.commentId !== 'default' ? inputs.commentId : results.commentId,
    headSha: triggering.headSha
  }
  onTarget(target)
  if (results.failure !== undefined) {
    // The benchmark run failed before a verdict: an existing comment must not keep showing an
    // older commit's verdict (none is created). The message is the run's, shown as code.
    await publishFailure(
      deps,
      { ...inputs, name: results.name },
      target,
      results.failure,
      `nsys-bench ${TOOL.version} · [benchmark run](${runUrl})`
    )
    return undefined
  }

  const { baseline, comparison, runsLine } = await judgeResults(deps, inputs, context, rules, {
    results,
    head,
    base,
    // A run of this repository's own branch may hand over the base it measured (baseline: ab); a
    // fork's may not.
    trusted: pull.head.repo?.full_name === `${context.repo.owner}/${context.repo.repo}`,
    // `baseline-branch` (this trusted step's input), as the benchmark step was told; else the
    // pull request's base branch.
    branch: inputs.baselineBranch || pull.base.ref,
    labels: (pull.labels ?? []).map((l) => l.name),
    runId: triggering.id,
    baselineArtifact: inputs.baselineArtifact
  })
  // Which base branch run the comparison used, as run mode says it (a baseline searched for or
  // named by the results; none with `baseline: ab` numbers, or none yet).
  if (baseline.run) {
    core.setOutput('baseline-run-id', baseline.run.runId)
    core.setOutput('baseline-sha', baseline.run.sha)
  }
  const title = reportTitle(results.name)
  const last = head.at(-1)
  if (!last) throw new ServiceError('the results artifact holds no head profile')
  return publish(
    deps,
    inputs,
    {
      title,
      context: [
        baseline.description,
        `Head: \`${triggering.headSha.slice(0, 7)}\`.`,
        ...(runsLine ? [runsLine] : []),
        ...environment(head, baseline.profiles)
      ],
      footer: `nsys-bench ${TOOL.version} · [benchmark run](${runUrl})`,
      fullReport: `the full report is in the artifacts of [the benchmark run](${runUrl})`,
      profile: last,
      ...(comparison ? { comparison } : {})
    },
    target,
    { gate: false }
  )
}
