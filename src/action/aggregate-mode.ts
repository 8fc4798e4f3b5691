import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { aggregateLegs, type Aggregate, type LegOutcome } from '../compare/aggregate.js'
import type { Rules } from '../compare/rules.js'
import { errorMessage, ServiceError, UsageError } from '../errors.js'
import type { Deps } from '../main.js'
import type { Profile } from '../profile/model.js'
import { renderAggregateMarkdown, type AggregateLeg } from '../render/aggregate.js'
import { inlineCode } from '../render/escape.js'
import { plural } from '../render/format.js'
import { COMMENT_LIMIT, reportTitle, SUMMARY_LIMIT_BYTES } from '../render/markdown.js'
import { clip, quoted, visible } from '../text.js'
import { TOOL } from '../version.js'
import { runAttemptOf } from './artifacts.js'
import { marker } from './comment.js'
import { pullMovedOn, type RunContext } from './context.js'
import type { Inputs } from './inputs.js'
import { judgeResults } from './judge.js'
import { postComment, writeSummary, type Published, type Target } from './publish.js'
import { readResults, type Results } from './results.js'
import { environment } from './run-mode.js'

/**
 * `mode: aggregate`: one comment for the legs of a matrix (GPUs, models). It runs after them —
 * in the same workflow run (a job that `needs:` the legs, `if: always()`), or in a `workflow_run`
 * workflow after the benchmark run (fork pull requests, as `mode: comment`) — finds every leg's
 * results artifact by the `results-artifact` prefix, reads each as the comment mode does
 * (untrusted: the head's profiles only, checked to belong to this pull request's head; the
 * baseline from the base branch's own artifact; compared under this step's rules), and publishes
 * one report: the job summary, one sticky comment, the outputs. A leg that failed before a
 * verdict is a row saying so; a leg named in `expected-legs` that left no results is a row too;
 * either makes the whole inconclusive. Like the comment mode, it never fails the step on a
 * verdict: each leg's own check is the gate.
 */
export async function aggregateMode(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  rules: Rules
): Promise<Published | undefined> {
  const { core } = deps
  const fork = context.eventName === 'workflow_run'
  if (fork && !context.triggeringRun)
    throw new UsageError(
      'mode: aggregate in a `workflow_run` workflow needs the event of a finished run (`workflow_run.id` and `head_sha`): the event payload has none'
    )
  const source = fork
    ? context.triggeringRun
    : context.pullNumber !== undefined
      ? { id: context.runId, headSha: context.headSha ?? context.sha }
      : undefined
  if (!source) {
    core.notice(
      `mode: aggregate comments on pull requests (the legs write results only there); this ${visible(clip(context.eventName, 60))} event has none, so there is nothing to aggregate.`,
      { title: 'nsys-bench: aggregate' }
    )
    core.setOutput('comment-status', 'skipped-not-pull-request')
    return undefined
  }
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${source.id}`

  const artifacts = await legArtifacts(deps, inputs, context, source.id, fork)
  // No results at all: a run that was not a pull request's (its legs write none), or one whose
  // legs all failed before writing any. The latter has no verdict, which is not silence: its
  // expected legs are rows saying so and the whole is inconclusive (there is no pull request
  // named to comment on, so the job summary and the outputs say it).
  if (
    fork &&
    artifacts.length === 0 &&
    !(await ranForPullRequest(deps, inputs, context, source.id))
  ) {
    core.notice(
      `Run ${source.id} has no ${inputs.resultsPrefix} artifacts (it was not a pull request, or no leg got as far as writing results); nothing to comment.`,
      { title: 'nsys-bench: aggregate' }
    )
    core.setOutput('comment-status', 'skipped-not-pull-request')
    return undefined
  }

  // Each leg's results, read strictly; a leg that cannot be read is a row saying why.
  const read: {
    name: string
    results?: Results
    head?: Profile[]
    base?: Profile[]
    problem?: string
  }[] = []
  for (const [i, artifact] of artifacts.entries()) {
    // Not downloaded (more than a matrix has), but not dropped either: a row says why.
    if (i >= MAX_LEGS) {
      read.push({
        name: artifact.leg,
        problem: `its ${artifact.name} artifact was not read: the run has ${artifacts.length} artifacts named ${inputs.resultsPrefix} or ${inputs.resultsPrefix}-…, more than the ${MAX_LEGS} legs a matrix can have, and only the first ${MAX_LEGS} (by name) are read. Give each leg its own \`name\`, and no other artifact a name that starts with \`results-artifact\`.`
      })
      continue
    }
    if (artifact.expired) {
      read.push({ name: artifact.leg, problem: `its ${artifact.name} artifact has expired` })
      continue
    }
    try {
      const dir = await mkdtemp(join(context.temp, 'nsys-bench-leg-'))
      await deps.artifacts().downloadArtifact(artifact.id, {
        path: dir,
        ...(fork
          ? {
              findBy: {
                token: inputs.token,
                workflowRunId: source.id,
                repositoryOwner: context.repo.owner,
                repositoryName: context.repo.repo
              }
            }
          : {})
      })
      read.push({ name: artifact.leg, ...(await readResults(dir)) })
    } catch (error) {
      read.push({ name: artifact.leg, problem: visible(clip(errorMessage(error), 500)) })
    }
  }

  // The pull request: this run's, or (workflow_run) the one the results name, whose head must be
  // the triggering run's head, or a later commit of the branch that run ran on (as in the comment
  // mode).
  let pullNumber = context.pullNumber
  let branch = inputs.baselineBranch || context.baseRef || context.defaultBranch
  let labels: readonly string[] = context.labels
  // A base the legs measured themselves (baseline: ab) is used where their run is trusted: this
  // same run, or a pull request from this repository.
  let trusted = !fork
  if (fork) {
    const named = [...new Set(read.flatMap((r) => (r.results ? [r.results.pullRequest] : [])))]
    if (named.length > 1)
      throw new ServiceError(
        `the legs' results name different pull requests (${named.map((n) => `#${n}`).join(', ')}); refusing to comment`
      )
    pullNumber = named[0]
    if (pullNumber !== undefined) {
      const { data: pull } = await deps.octokit(inputs.token).rest.pulls.get({
        ...context.repo,
        pull_number: pullNumber
      })
      // Its branch moved on since the run (a newer push): judged all the same, for the job
      // summary and the outputs; the comment is left to the newer head's run (skipped-stale).
      const run = context.triggeringRun
      if (pull.head.sha !== source.headSha && !(run && pullMovedOn(pull, run)))
        throw new ServiceError(
          `the legs' results name pull request #${pullNumber}, whose head is ${pull.head.sha.slice(0, 7)}, not the triggering run's ${source.headSha.slice(0, 7)}; refusing to comment`
        )
      // `baseline-branch` (this trusted step's input) as the legs were told, else the base.
      branch = inputs.baselineBranch || pull.base.ref
      labels = (pull.labels ?? []).map((l) => l.name)
      trusted = pull.head.repo?.full_name === `${context.repo.owner}/${context.repo.repo}`
    }
  }

  // Two jobs that ran with one `name`: the second uploaded its results aside (`clashOf`), and
  // neither leg's results can be told from the other's.
  const clashes = new Map<string, string>()
  for (const [i, r] of read.entries()) {
    if (r.results?.clashOf !== undefined) clashes.set(r.results.clashOf, artifacts[i]?.name ?? '')
    // Results aside that cannot be read still say, by their name, which leg they clashed with.
    const aside = r.results ? undefined : /^(?:(.*)-)?clash-[0-9a-f]{8}$/.exec(r.name)
    if (aside) clashes.set(aside[1] ?? '', artifacts[i]?.name ?? '')
  }
  const legs: AggregateLeg[] = []
  for (const r of read) {
    const leg = {
      name: r.name,
      fullReport: `the full report is in the leg's report artifact of [the benchmark run](${runUrl})`
    }
    if (r.problem !== undefined || !r.results || !r.head) {
      legs.push({ ...leg, outcome: { kind: 'unusable', message: r.problem ?? 'no results' } })
      continue
    }
    const clashOf = r.results.clashOf
    const aside = clashes.get(r.name)
    if (clashOf !== undefined || aside !== undefined) {
      legs.push({
        ...leg,
        outcome: {
          kind: 'unusable',
          message:
            clashOf !== undefined
              ? `two jobs of the run ran with the name ${quoted(clashOf, 100)}: these are the results of the one that uploaded second (aside), and neither leg can be told from the other. Give each matrix leg its own \`name\`.`
              : `two jobs of the run ran with this name: the other uploaded its results aside (${quoted(aside ?? '', 200)}), and neither leg can be told from the other. Give each matrix leg its own \`name\`.`
        }
      })
      continue
    }
    const { results, head, base = [] } = r
    if (
      (pullNumber !== undefined && results.pullRequest !== pullNumber) ||
      results.headSha !== source.headSha
    ) {
      legs.push({
        ...leg,
        outcome: {
          kind: 'unusable',
          message: `its results are for pull request #${results.pullRequest} at ${results.headSha.slice(0, 7)}, not for #${pullNumber ?? '?'} at ${source.headSha.slice(0, 7)}`
        }
      })
      continue
    }
    if (results.failure !== undefined) {
      legs.push({ ...leg, outcome: { kind: 'failed', message: results.failure } })
      continue
    }
    legs.push({
      ...leg,
      ...(await judgeLeg(deps, inputs, context, rules, {
        name: r.name,
        results,
        head,
        base,
        trusted,
        branch,
        labels,
        runId: source.id,
        ...(fork ? {} : { attempt: runAttemptOf(deps.env) })
      }))
    })
  }
  const found = new Set(artifacts.map((a) => a.leg))
  const fold = (name: string): string => name.normalize('NFKC').toLowerCase()
  for (const name of inputs.expectedLegs) {
    if (found.has(name)) continue
    // A leg that left results under nearly this name: one of the two spellings is wrong.
    const near = artifacts.map((a) => a.leg).filter((leg) => fold(leg) === fold(name))
    legs.push({ name, outcome: { kind: 'missing', ...(near.length > 0 ? { near } : {}) } })
  }

  const aggregate = aggregateLegs(legs)
  for (const [i, leg] of aggregate.legs.entries()) {
    const outcome = legs[i]?.outcome
    const line = `leg ${quoted(leg.name, 100)}: ${leg.verdict}`
    if (outcome?.kind === 'unusable' || outcome?.kind === 'missing')
      core.warning(`${line}: ${visible(clip(leg.reasons[0]?.message ?? '', 500))}`, {
        title: 'nsys-bench: aggregate'
      })
    else core.info(line)
  }
  if (pullNumber === undefined)
    core.warning(
      `No leg of run ${source.id} left results that could be read, so they name no pull request to comment on; the report is in the job summary.`,
      { title: 'nsys-bench: aggregate' }
    )
  // The head the legs were judged at: the comment is written only while the pull request is there.
  const judged = fork ? source.headSha : context.headSha
  const target: Target = {
    repo: context.repo,
    commentId: inputs.commentId,
    ...(pullNumber === undefined ? {} : { pullNumber }),
    ...(judged === undefined ? {} : { headSha: judged })
  }
  return publishAggregate(deps, inputs, legs, aggregate, target, {
    title: reportTitle(inputs.name),
    context: [
      `Head: \`${source.headSha.slice(0, 7)}\` · ${plural(legs.length, 'leg')} of [${fork ? 'the benchmark run' : 'this run'}](${runUrl}), found by their ${inlineCode(inputs.resultsPrefix)} artifacts${inputs.expectedLegs.length > 0 ? ` and \`expected-legs\`` : ''}.`
    ],
    fullReport: `the full reports are in the legs' report artifacts of [the benchmark run](${runUrl})`,
    footer: `nsys-bench ${TOOL.version} · [${fork ? 'benchmark run' : 'workflow run'}](${runUrl})`
  })
}

/**
 * Whether the run `runId` ran for a pull request (GitHub's own record of its event, not the
 * results'). Unknown (the run cannot be read) counts as no, as before this was asked.
 */
async function ranForPullRequest(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  runId: number
): Promise<boolean> {
  try {
    const { data } = await deps
      .octokit(inputs.token)
      .rest.actions.getWorkflowRun({ ...context.repo, run_id: runId })
    return data.event === 'pull_request' || data.event === 'pull_request_target'
  } catch (error) {
    deps.core.info(
      `Could not read run ${runId} to tell whether it ran for a pull request: ${visible(clip(errorMessage(error), 300))}`
    )
    return false
  }
}

/** The largest matrix GitHub runs: 256 jobs. */
const MAX_LEGS = 256

interface LegArtifact {
  id: number
  name: string
  /** The name after the prefix and its `-` (empty: the artifact is the prefix itself). */
  leg: string
  expired: boolean
}

/**
 * The newest artifact of each name starting with the results prefix, in the run `runId`, by name
 * (all of them: the caller reads the first MAX_LEGS).
 */
async function legArtifacts(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  runId: number,
  fork: boolean
): Promise<LegArtifact[]> {
  let all: { id: number; name: string; expired: boolean }[]
  try {
    if (fork) {
      // Another run: the REST API, which also says which artifacts have expired.
      const octokit = deps.octokit(inputs.token)
      all = (
        await octokit.paginate(octokit.rest.actions.listWorkflowRunArtifacts, {
          ...context.repo,
          run_id: runId,
          per_page: 100
        })
      ).map((a) => ({ id: a.id, name: a.name, expired: a.expired }))
    } else {
      // This run: the artifact service, with the job's own runtime token.
      all = (await deps.artifacts().listArtifacts()).artifacts.map((a) => ({
        id: a.id,
        name: a.name,
        expired: false
      }))
    }
  } catch (error) {
    const status = (error as { status?: number }).status
    throw new ServiceError(
      `could not list the artifacts of run ${runId}: ${clip(errorMessage(error), 300)}${status === 403 || status === 404 ? '. The token needs `actions: read`: add it to the `permissions:` block.' : ''}`,
      { cause: error }
    )
  }
  const prefix = inputs.resultsPrefix
  const newest = new Map<string, LegArtifact>()
  for (const a of all) {
    const leg =
      a.name === prefix
        ? ''
        : a.name.startsWith(`${prefix}-`)
          ? a.name.slice(prefix.length + 1)
          : undefined
    if (leg === undefined) continue
    const seen = newest.get(a.name)
    if (!seen || a.id > seen.id) newest.set(a.name, { ...a, leg })
  }
  const legs = [...newest.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  // Only the first MAX_LEGS are read; the others are rows saying so (aggregateMode).
  if (legs.length > MAX_LEGS) {
    deps.core.warning(
      `Run ${runId} has ${legs.length} artifacts named ${inputs.resultsPrefix}*; only the first ${MAX_LEGS} (by name) are read, and the others are rows saying so.`,
      { title: 'nsys-bench: aggregate' }
    )
  }
  return legs
}

/** One leg's results judged against its own baseline artifact (`<baseline-artifact>-<leg>`). */
async function judgeLeg(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  rules: Rules,
  o: {
    name: string
    results: Results
    head: Profile[]
    base: Profile[]
    trusted: boolean
    branch: string | undefined
    labels: readonly string[]
    runId: number
    /** This step's attempt of the run, when the legs are of this run. */
    attempt?: number
  }
): Promise<{ outcome: LegOutcome; context?: string[] }> {
  if (!o.branch)
    return {
      outcome: {
        kind: 'unusable',
        message: 'cannot tell which branch holds the baseline: set `baseline-branch`'
      }
    }
  const sameRun = o.runId === context.runId
  try {
    const { baseline, comparison, runsLine } = await judgeResults(deps, inputs, context, rules, {
      results: o.results,
      head: o.head,
      base: o.base,
      trusted: o.trusted,
      branch: o.branch,
      labels: o.labels,
      runId: o.runId,
      ...(sameRun && context.workflow ? { workflow: context.workflow } : {}),
      baselineArtifact: o.name ? `${inputs.baselinePrefix}-${o.name}` : inputs.baselinePrefix
    })
    const lines = [
      baseline.description,
      `Head: \`${o.results.headSha.slice(0, 7)}\`${o.name ? ` · leg ${inlineCode(o.name)}` : ''}.`,
      ...(runsLine ? [runsLine] : []),
      ...attemptLine(o.results.runAttempt, o.attempt),
      ...environment(o.head, baseline.profiles)
    ]
    const last = o.head.at(-1)
    if (comparison) return { outcome: { kind: 'compared', comparison }, context: lines }
    if (last) return { outcome: { kind: 'no-baseline', profile: last }, context: lines }
    return { outcome: { kind: 'unusable', message: 'the results hold no head profile' } }
  } catch (error) {
    return { outcome: { kind: 'unusable', message: visible(clip(errorMessage(error), 500)) } }
  }
}

/**
 * Results of an earlier attempt of this run: the leg was not re-run, or its re-run wrote none
 * (it failed before nsys-bench). They are of this commit, and judged; the leg's details say so.
 */
function attemptLine(results: number | undefined, current: number | undefined): string[] {
  if (results === undefined || current === undefined || results >= current) return []
  return [
    `These results are of attempt ${results} of the run; this is attempt ${current}: the leg was not re-run, or its re-run left no results (see its job).`
  ]
}

async function publishAggregate(
  deps: Deps,
  inputs: Inputs,
  legs: readonly AggregateLeg[],
  aggregate: Aggregate,
  target: Target,
  options: { title: string; context: string[]; fullReport: string; footer: string }
): Promise<Published> {
  const { core } = deps
  const prefix = `${marker(target.commentId)}\n`
  await writeSummary(
    deps,
    renderAggregateMarkdown(legs, aggregate, { ...options, maxBytes: SUMMARY_LIMIT_BYTES - 1024 })
  )
  const comment = await postComment(
    deps,
    inputs,
    target,
    () =>
      renderAggregateMarkdown(legs, aggregate, {
        ...options,
        maxChars: COMMENT_LIMIT - prefix.length
      }),
    aggregate.verdict
  )
  const sum = (pick: (l: Aggregate['legs'][number]) => number): number =>
    aggregate.legs.reduce((n, l) => n + pick(l), 0)
  core.setOutput('verdict', aggregate.verdict)
  core.setOutput('reasons', JSON.stringify(aggregate.reasons))
  core.setOutput(
    'regressions',
    sum((l) => l.regressions)
  )
  core.setOutput(
    'improvements',
    sum((l) => l.improvements)
  )
  core.setOutput(
    'legs',
    JSON.stringify(
      aggregate.legs.map((l) => ({
        name: l.name,
        verdict: l.verdict,
        regressions: l.regressions,
        improvements: l.improvements,
        reasons: l.reasons.map((r) => ({ ...r, message: clip(r.message, 500) }))
      }))
    )
  )
  core.setOutput('comment-status', comment.status)
  core.setOutput('comment-url', comment.url ?? '')

  const why = aggregate.reasons.map((r) => visible(clip(r.message, 300))).join(' ')
  core.info(`nsys-bench aggregate verdict: ${aggregate.verdict}${why ? ` (${why})` : ''}`)
  const where = `see the job summary${comment.url ? ` and ${comment.url}` : ''}`
  if (aggregate.verdict === 'regression')
    core.warning(`GPU performance regression in the matrix: ${why} (${where})`, {
      title: 'nsys-bench: regression'
    })
  else if (aggregate.verdict === 'inconclusive')
    core.warning(`The matrix has no trustworthy verdict: ${why} (${where})`, {
      title: 'nsys-bench: inconclusive'
    })
  return { comment, failures: [] }
}
