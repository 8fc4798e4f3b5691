import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, isAbsolute, join, relative, resolve } from 'node:path'
import type { ArtifactClient } from '@actions/artifact'
import { findBaseline, workflowFile, type BaselineRun } from './action/baseline.js'
import { upsertStickyComment, type CommentResult, type Repo } from './action/comment.js'
import { readInputs, type InputReader, type Inputs } from './action/inputs.js'
import {
  BenchmarkError,
  exportStats,
  findNsys,
  gpuEnvironment,
  profile,
  splitArgs,
  type Nsys
} from './action/nsys.js'
import type { Octokit } from './action/octokit.js'
import type { RunProcess } from './action/process.js'
import { compareProfiles, type Comparison } from './compare/compare.js'
import { buildRules, type Rules } from './compare/rules.js'
import { errorMessage, InputError, UsageError } from './errors.js'
import { loadInput, loadRun } from './inputs/load.js'
import { profileToJson } from './profile/json.js'
import type { Profile } from './profile/model.js'
import { comparisonToJson } from './render/json.js'
import {
  environmentLine,
  COMMENT_LIMIT,
  renderMarkdown,
  renderProfileMarkdown,
  SUMMARY_LIMIT_BYTES
} from './render/markdown.js'
import { TOOL } from './version.js'

/** The part of @actions/core the action uses; passed in so tests need no module mocks. */
export interface Core extends InputReader {
  info(message: string): void
  warning(message: string, properties?: { title?: string }): void
  notice(message: string, properties?: { title?: string }): void
  setOutput(name: string, value: string | number): void
  setFailed(message: string): void
  startGroup(name: string): void
  endGroup(): void
}

export interface Deps {
  core: Core
  env: NodeJS.ProcessEnv
  runProcess: RunProcess
  octokit: (token: string) => Octokit
  artifacts: () => ArtifactClient
  /** Appends Markdown to the job summary. */
  writeSummary: (markdown: string) => Promise<void>
}

/** The fields of the event payload the action reads. */
interface EventPayload {
  pull_request?: { number?: number; base?: { ref?: string }; head?: { sha?: string } }
  repository?: { default_branch?: string }
  workflow_run?: { id?: number; head_sha?: string }
}

/** GitHub facts about this run, from the runner's environment and the event payload. */
interface RunContext {
  eventName: string
  payload: EventPayload
  repo: Repo
  runId: number
  sha: string
  serverUrl: string
  workspace: string
  temp: string
  pullNumber?: number
  baseRef?: string
  defaultBranch?: string
  pushToDefault: boolean
  workflow?: string
}

interface Outcome {
  verdict: 'regression' | 'pass' | 'no-baseline'
  regressions: number
  improvements: number
  comment: CommentResult
  failures: string[]
}

/**
 * The action: profile → baseline → compare → summary → comment → archive → outputs → gate.
 * Inputs are read here, never at import time; errors are caught once, at the end.
 */
export async function run(deps: Deps): Promise<void> {
  const { core } = deps
  let reportDir: string | undefined
  let inputs: Inputs | undefined
  try {
    inputs = readInputs(core)
    const context = await readContext(deps.env)
    if (inputs.mode === 'comment') {
      await commentFromResults(deps, inputs, context)
      return
    }
    reportDir = join(context.temp, `nsys-bench${inputs.name ? `-${inputs.name}` : ''}`)
    await rm(reportDir, { recursive: true, force: true })
    await mkdir(reportDir, { recursive: true })
    core.setOutput('report-dir', reportDir)
    const outcome = await benchmark(deps, inputs, context, reportDir)
    core.setOutput('verdict', outcome.verdict)
    core.setOutput('regressions', outcome.regressions)
    core.setOutput('improvements', outcome.improvements)
    core.setOutput('comment-status', outcome.comment.status)
    core.setOutput('comment-url', outcome.comment.url ?? '')
    if (outcome.failures.length > 0) core.setFailed(outcome.failures.join('\n'))
  } catch (error) {
    // Nothing lost: whatever was written (reports, CSVs) is still archived.
    if (reportDir && inputs) await uploadReport(deps, inputs, reportDir).catch(() => undefined)
    const message = errorMessage(error)
    const hint =
      error instanceof UsageError ? ' (see the inputs table in the nsys-bench README)' : ''
    core.setFailed(`nsys-bench: ${message}${hint}`)
  }
}

async function benchmark(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  reportDir: string
): Promise<Outcome> {
  const { core } = deps
  const rules = await loadRules(inputs, context)

  // 1. The head: profile the benchmark, or read the reports given.
  const head = await headProfiles(deps, inputs, context, reportDir)
  const profilesDir = join(reportDir, 'profiles')
  await mkdir(profilesDir, { recursive: true })
  for (const [i, p] of head.entries()) {
    await writeFile(
      join(profilesDir, `run-${i + 1}.json`),
      `${JSON.stringify(profileToJson(p), null, 2)}\n`
    )
  }
  core.setOutput('profile-json', join(profilesDir, 'run-1.json'))

  // 2. The baseline.
  const baseline = await baselineProfiles(deps, inputs, context)
  if (baseline.run) {
    core.setOutput('baseline-run-id', baseline.run.runId)
    core.setOutput('baseline-sha', baseline.run.sha)
  }

  // 3. Compare and render; the job summary is always written.
  const title = inputs.name ? `nsys-bench (${inputs.name})` : 'nsys-bench'
  const links = runLinks(context, inputs)
  let comparison: Comparison | undefined
  let body: string
  const failures: string[] = []
  if (baseline.profiles.length > 0) {
    comparison = compareProfiles(baseline.profiles, head, rules)
    const lines = [baseline.description, ...links.context, ...environment(head, baseline.profiles)]
    const full = renderMarkdown(comparison, { title, context: lines, footer: links.footer })
    await writeFile(join(reportDir, 'comparison.md'), full)
    await writeFile(
      join(reportDir, 'comparison.json'),
      `${JSON.stringify(comparisonToJson(comparison), null, 2)}\n`
    )
    const fullReport = `the full report is in the \`${inputs.reportArtifact}\` artifact of ${links.runLink}`
    body = renderMarkdown(comparison, {
      title,
      context: lines,
      footer: links.footer,
      fullReport,
      maxChars: COMMENT_LIMIT - 100
    })
    await summary(
      deps,
      renderMarkdown(comparison, {
        title,
        context: lines,
        footer: links.footer,
        fullReport,
        maxBytes: SUMMARY_LIMIT_BYTES - 1024
      })
    )
    const note = comparison.notes.find((n) => n.startsWith('Different GPUs'))
    if (note) {
      if (inputs.gpuMismatch === 'fail') failures.push(`nsys-bench: ${note} (gpu-mismatch: fail)`)
      else core.warning(note, { title: 'nsys-bench: GPU mismatch' })
    }
  } else {
    const last = head.at(-1)
    if (!last) throw new InputError('no head profile was read')
    body = renderProfileMarkdown(last, {
      title,
      context: [baseline.description, ...links.context, ...environment(head, [])]
    })
    await summary(deps, body)
  }

  // 4. The PR comment.
  const comment = await postComment(deps, inputs, context, body, comparison)

  // 5. Archive: the report, the baseline (pushes to the default branch), the results (PRs).
  await writeResults(inputs, context, reportDir, head, baseline)
  await uploadReport(deps, inputs, reportDir)
  if (inputs.saveBaseline === 'true' || (inputs.saveBaseline === 'auto' && context.pushToDefault)) {
    await upload(deps, inputs, inputs.baselineArtifact, profilesDir)
  }
  if (context.pullNumber !== undefined)
    await upload(deps, inputs, inputs.resultsArtifact, join(reportDir, 'results'))

  // 6. The verdict.
  const verdict = comparison ? comparison.verdict : 'no-baseline'
  const regressions = comparison ? count(comparison, 'regressed') : 0
  if (verdict === 'regression') {
    const message = `GPU performance regression: ${regressions} gated item${regressions === 1 ? '' : 's'} regressed${totalRegressed(comparison) ? ', and the total GPU kernel time' : ''} (see the job summary${comment.url ? ` and ${comment.url}` : ''})`
    if (inputs.failOnRegression) failures.unshift(message)
    else core.warning(message, { title: 'nsys-bench' })
  }
  return {
    verdict,
    regressions,
    improvements: comparison ? count(comparison, 'improved') : 0,
    comment,
    failures
  }
}

async function headProfiles(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  reportDir: string
): Promise<Profile[]> {
  const { core, env } = deps
  const statsDir = join(reportDir, 'stats')
  const repDir = join(reportDir, 'nsys')
  const profiles: Profile[] = []
  let nsys: Nsys | undefined
  const needNsys = async (): Promise<Nsys> =>
    (nsys ??= await findNsys(deps.runProcess, inputs.nsys, env))
  const log = (line: string): void => core.info(line)

  if (inputs.profilePaths.length > 0) {
    for (const given of inputs.profilePaths) {
      const path = resolve(context.workspace, given)
      if (/\.(nsys-rep|qdrep|sqlite)$/.test(path)) {
        const n = await needNsys()
        const i = profiles.length + 1
        await mkdir(repDir, { recursive: true })
        await copyFile(path, join(repDir, basename(path)))
        core.startGroup(`nsys stats ${given}`)
        try {
          profiles.push(
            await loadRun(
              await exportStats(deps.runProcess, n, path, statsDir, `run-${i}`, env, log)
            )
          )
        } finally {
          core.endGroup()
        }
      } else {
        profiles.push(...(await loadInput(path)))
      }
    }
    if (nsys) for (const p of profiles) p.meta.profiler.version ??= nsys.version
  } else {
    const n = await needNsys()
    core.info(`Nsight Systems ${n.version} (${n.path})`)
    const cwd = resolve(context.workspace, inputs.workingDirectory)
    const timeoutMs = inputs.timeoutMinutes * 60_000
    for (let w = 1; w <= inputs.warmupRuns; w++) {
      core.startGroup(`Warm-up run ${w} of ${inputs.warmupRuns} (not profiled, not kept)`)
      try {
        const result = await deps.runProcess('bash', ['-c', inputs.command], {
          cwd,
          env,
          timeoutMs,
          onLine: log
        })
        if (result.timedOut)
          throw new BenchmarkError(
            `warm-up run ${w} ran longer than timeout-minutes and was stopped`
          )
        if (result.code !== 0) {
          throw new BenchmarkError(
            `the benchmark failed in warm-up run ${w} (exit code ${result.code ?? result.signal}). Last output:\n${result.tail.slice(-20).join('\n')}`
          )
        }
      } finally {
        core.endGroup()
      }
    }
    await mkdir(repDir, { recursive: true })
    for (let i = 1; i <= inputs.repetitions; i++) {
      core.startGroup(`Profiled run ${i} of ${inputs.repetitions}`)
      try {
        const rep = await profile(deps.runProcess, n, {
          command: inputs.command,
          cwd,
          env,
          output: join(repDir, `run-${i}`),
          trace: inputs.trace,
          cudaGraphTrace: inputs.cudaGraphTrace,
          captureRange: inputs.captureRange,
          nvtxCapture: inputs.nvtxCapture,
          captureRangeEnd: inputs.captureRangeEnd,
          extraArgs: splitArgs(inputs.nsysArgs),
          timeoutMs,
          log
        })
        profiles.push(
          await loadRun(await exportStats(deps.runProcess, n, rep, statsDir, `run-${i}`, env, log))
        )
      } finally {
        core.endGroup()
      }
    }
    for (const p of profiles) {
      p.meta.profiler.version = n.version
      p.meta.command = inputs.command
    }
  }
  const gpu = await gpuEnvironment(deps.runProcess, env)
  for (const note of gpu.notes) core.info(note)
  for (const p of profiles) {
    p.meta.createdAt = new Date().toISOString()
    p.meta.gitSha = context.sha
    if (env.RUNNER_NAME) p.meta.runner = env.RUNNER_NAME
    if (gpu.gpus.length > 0) p.meta.gpus = gpu.gpus
    // Report paths relative to the report directory: they are what the artifact holds.
    p.meta.sources = p.meta.sources.map((s) =>
      isAbsolute(s) && s.startsWith(reportDir) ? relative(reportDir, s) : s
    )
    for (const note of p.meta.notes) core.warning(note, { title: 'nsys-bench: input note' })
  }
  return profiles
}

interface Baseline {
  profiles: Profile[]
  run?: BaselineRun
  /** A Markdown line saying where the baseline came from. */
  description: string
}

async function baselineProfiles(
  deps: Deps,
  inputs: Inputs,
  context: RunContext
): Promise<Baseline> {
  const { core } = deps
  if (inputs.baseline === 'none')
    return { profiles: [], description: 'Baseline: none (`baseline: none`).' }
  if (inputs.baseline === 'path') {
    const profiles = await loadInput(resolve(context.workspace, inputs.baselinePath))
    return {
      profiles,
      description: `Baseline: \`${inputs.baselinePath.replace(/`/g, '')}\` (${profiles.length} run${profiles.length === 1 ? '' : 's'}).`
    }
  }
  const branch = inputs.baselineBranch || context.baseRef || context.defaultBranch
  if (!branch)
    throw new InputError('cannot tell which branch holds the baseline: set `baseline-branch`')
  const octokit = deps.octokit(inputs.token)
  let workflow = context.workflow
  if (!workflow) {
    const { data } = await octokit.rest.actions.getWorkflowRun({
      ...context.repo,
      run_id: context.runId
    })
    workflow = basename(data.path)
  }
  let search
  try {
    search = await findBaseline(octokit, deps.artifacts(), {
      repo: context.repo,
      token: inputs.token,
      workflow,
      branch,
      artifactName: inputs.baselineArtifact,
      currentRunId: context.runId,
      downloadTo: join(context.temp, 'nsys-bench-baseline', inputs.name || 'default')
    })
  } catch (error) {
    const status = (error as { status?: number }).status
    const hint =
      status === 403 || status === 404
        ? ' The token needs `actions: read` to list workflow runs and artifacts: add it to the `permissions:` block.'
        : ''
    throw new InputError(
      `could not look up the baseline on ${branch}: ${errorMessage(error)}.${hint}`
    )
  }
  for (const note of search.notes) core.info(note)
  if (!search.found) {
    const message =
      `No baseline yet: no completed push run of ${workflow} on ${branch} has a \`${inputs.baselineArtifact}\` artifact ` +
      `(looked at ${search.looked} run${search.looked === 1 ? '' : 's'}). A push to ${branch} running this workflow saves one.`
    core.notice(message, { title: 'nsys-bench: no baseline' })
    return { profiles: [], description: message }
  }
  const found = search.found
  const profiles = await loadInput(found.dir)
  const sha = found.sha.slice(0, 7)
  return {
    profiles,
    run: found,
    description: `Baseline: [run #${found.runNumber}](${found.url}) of \`${branch}\` at [\`${sha}\`](${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/commit/${found.sha}) (${profiles.length} run${profiles.length === 1 ? '' : 's'}).`
  }
}

async function postComment(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  body: string,
  comparison: Comparison | undefined
): Promise<CommentResult> {
  if (context.pullNumber === undefined) return { status: 'skipped-not-pull-request' }
  if (inputs.comment === 'never') return { status: 'skipped-by-setting' }
  const result = await upsertStickyComment(
    deps.octokit(inputs.token),
    context.repo,
    context.pullNumber,
    inputs.commentId,
    body,
    {
      createIfMissing: inputs.comment === 'always' || comparison?.verdict === 'regression'
    }
  )
  reportComment(deps, context, result)
  return result
}

function reportComment(deps: Deps, context: RunContext, result: CommentResult): void {
  const { core } = deps
  if (result.status === 'skipped-no-permission') {
    const readme = deps.env.GITHUB_ACTION_REPOSITORY
      ? `${context.serverUrl}/${deps.env.GITHUB_ACTION_REPOSITORY}#permissions-and-fork-pull-requests`
      : 'the nsys-bench README, section "Permissions and fork pull requests"'
    core.warning(
      `Could not comment on the pull request (${result.message ?? 'refused'}). Add \`pull-requests: write\` to the job's \`permissions:\`; ` +
        `pull requests from forks get a read-only token, so use the two-workflow pattern (mode: comment) described in ${readme}. ` +
        'The report is in the job summary.',
      { title: 'nsys-bench: no permission to comment' }
    )
  } else if (result.status === 'failed') {
    core.warning(
      `Could not comment on the pull request: ${result.message ?? ''}. The report is in the job summary.`,
      { title: 'nsys-bench: comment failed' }
    )
  } else if (result.url) {
    core.info(`PR comment ${result.status}: ${result.url}`)
  }
}

/** What the `mode: comment` workflow needs: profiles, not Markdown (it re-renders from data). */
async function writeResults(
  inputs: Inputs,
  context: RunContext,
  reportDir: string,
  head: Profile[],
  baseline: Baseline
): Promise<void> {
  if (context.pullNumber === undefined) return
  const dir = join(reportDir, 'results')
  for (const [side, profiles] of [
    ['head', head],
    ['base', baseline.profiles]
  ] as const) {
    await mkdir(join(dir, side), { recursive: true })
    for (const [i, p] of profiles.entries()) {
      await writeFile(join(dir, side, `run-${i + 1}.json`), `${JSON.stringify(profileToJson(p))}\n`)
    }
  }
  const results = {
    kind: 'nsys-bench/results',
    schemaVersion: 1,
    pullRequest: context.pullNumber,
    headSha: context.payload.pull_request?.head?.sha ?? context.sha,
    commentId: inputs.commentId,
    name: inputs.name,
    baseline: baseline.run
      ? {
          runId: baseline.run.runId,
          runNumber: baseline.run.runNumber,
          sha: baseline.run.sha,
          url: baseline.run.url
        }
      : null,
    baselineDescription: baseline.description
  }
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
}

async function uploadReport(deps: Deps, inputs: Inputs, reportDir: string): Promise<void> {
  await upload(deps, inputs, inputs.reportArtifact, reportDir)
}

/** Uploads a directory as an artifact. A failure is a warning: it never loses the verdict. */
async function upload(deps: Deps, inputs: Inputs, name: string, dir: string): Promise<void> {
  try {
    const files = await listFiles(dir)
    if (files.length === 0) return
    const options =
      inputs.retentionDays === undefined ? {} : { retentionDays: inputs.retentionDays }
    const client = deps.artifacts()
    let result
    try {
      result = await client.uploadArtifact(name, files, dir, options)
    } catch (error) {
      // "Re-run jobs" runs in the same workflow run, which still holds the earlier attempt's
      // artifact of this name (409): replace it, or a later reader gets the stale one.
      if (!isConflict(error) || Number(deps.env.GITHUB_RUN_ATTEMPT ?? 1) <= 1) throw error
      await client.deleteArtifact(name)
      deps.core.info(`Deleted the ${name} artifact of an earlier attempt of this run`)
      result = await client.uploadArtifact(name, files, dir, options)
    }
    deps.core.info(`Uploaded artifact ${name} (${files.length} files, ${result.size ?? '?'} bytes)`)
  } catch (error) {
    const hint = isConflict(error)
      ? '. Another job of this workflow run uploaded an artifact of that name: give each matrix leg its own `name`'
      : ''
    deps.core.warning(`Could not upload the ${name} artifact: ${errorMessage(error)}${hint}`, {
      title: 'nsys-bench: upload failed'
    })
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

async function summary(deps: Deps, markdown: string): Promise<void> {
  try {
    await deps.writeSummary(markdown)
  } catch (error) {
    deps.core.warning(`Could not write the job summary: ${errorMessage(error)}`)
  }
}

async function loadRules(inputs: Inputs, context: RunContext): Promise<Rules> {
  const overrides = {
    ...(inputs.threshold === undefined ? {} : { threshold: inputs.threshold }),
    ...(inputs.minShare === undefined ? {} : { minShare: inputs.minShare }),
    ...(inputs.alpha === undefined ? {} : { alpha: inputs.alpha })
  }
  if (!inputs.rulesFile) return buildRules(undefined, overrides)
  const path = resolve(context.workspace, inputs.rulesFile)
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new UsageError(`rules-file ${inputs.rulesFile}: ${errorMessage(error)}`)
  }
  return buildRules(json, overrides, inputs.rulesFile)
}

/** Where head and base were measured: GPU, driver, CUDA, clocks, nsys version, runner. */
function environment(head: Profile[], base: Profile[]): string[] {
  return [
    environmentLine('Head ran on', head.at(-1)),
    environmentLine('Base ran on', base.at(-1))
  ].filter((line): line is string => line !== undefined)
}

function runLinks(
  context: RunContext,
  inputs: Inputs
): { context: string[]; footer: string; runLink: string } {
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`
  const headSha = String(context.payload.pull_request?.head?.sha ?? context.sha)
  return {
    context: [`Head: \`${headSha.slice(0, 7)}\`${inputs.name ? ` · leg \`${inputs.name}\`` : ''}.`],
    footer: `nsys-bench ${TOOL.version} · [workflow run](${runUrl})`,
    runLink: `[this run](${runUrl})`
  }
}

function count(comparison: Comparison, status: 'regressed' | 'improved'): number {
  return comparison.tables.reduce(
    (n, t) =>
      n + t.items.filter((i) => i.status === status && (status === 'improved' || i.gated)).length,
    0
  )
}

function totalRegressed(comparison: Comparison | undefined): boolean {
  return comparison?.tables.some((t) => t.total.gated && t.total.status === 'regressed') ?? false
}

async function readContext(env: NodeJS.ProcessEnv): Promise<RunContext> {
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  let payload: EventPayload = {}
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as EventPayload
    } catch (error) {
      throw new InputError(
        `cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${errorMessage(error)}`
      )
    }
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo)
    throw new InputError(
      'GITHUB_REPOSITORY is not set: nsys-bench runs as a step of a GitHub Actions job'
    )
  const pull = payload.pull_request
  const defaultBranch = payload.repository?.default_branch
  const context: RunContext = {
    eventName,
    payload,
    repo: { owner, repo },
    runId: Number(env.GITHUB_RUN_ID ?? 0),
    sha: env.GITHUB_SHA ?? '',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    temp: env.RUNNER_TEMP ?? tmpdir(),
    pushToDefault:
      eventName === 'push' &&
      defaultBranch !== undefined &&
      env.GITHUB_REF === `refs/heads/${defaultBranch}`
  }
  if (
    typeof pull?.number === 'number' &&
    (eventName === 'pull_request' || eventName === 'pull_request_target')
  ) {
    context.pullNumber = pull.number
  }
  if (pull?.base?.ref) context.baseRef = pull.base.ref
  else if (env.GITHUB_BASE_REF) context.baseRef = env.GITHUB_BASE_REF
  if (defaultBranch) context.defaultBranch = defaultBranch
  const workflow = workflowFile(env.GITHUB_WORKFLOW_REF)
  if (workflow) context.workflow = workflow
  return context
}

/**
 * `mode: comment`, in a `workflow_run` workflow (trusted, with a write token): reads the results
 * artifact of the benchmark run that triggered it, checks that it belongs to the pull request it
 * names, compares and renders again from the profiles (never trusting Markdown from that run),
 * and posts the sticky comment.
 */
async function commentFromResults(deps: Deps, inputs: Inputs, context: RunContext): Promise<void> {
  const { core } = deps
  const triggering = context.payload.workflow_run
  if (context.eventName !== 'workflow_run' || !triggering?.id || !triggering.head_sha) {
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
      `Run ${triggering.id} has no ${inputs.resultsArtifact} artifact (it was not a pull request, or the benchmark failed before comparing); nothing to comment.`
    )
    core.setOutput('comment-status', 'skipped-not-pull-request')
    return
  }
  const dir = join(context.temp, `nsys-bench-results-${triggering.id}`)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  await deps.artifacts().downloadArtifact(artifact.id, {
    path: dir,
    findBy: {
      token: inputs.token,
      workflowRunId: triggering.id,
      repositoryOwner: context.repo.owner,
      repositoryName: context.repo.repo
    }
  })
  const results = await readResults(join(dir, 'results.json'))
  const { data: pull } = await octokit.rest.pulls.get({
    ...context.repo,
    pull_number: results.pullRequest
  })
  if (pull.head.sha !== triggering.head_sha) {
    throw new InputError(
      `the results artifact names pull request #${results.pullRequest}, whose head is ${pull.head.sha.slice(0, 7)}, not the triggering run's ${triggering.head_sha.slice(0, 7)}; refusing to comment`
    )
  }
  const head = await loadProfileDir(join(dir, 'head'))
  const base = await loadProfileDir(join(dir, 'base'))
  if (head.length === 0) throw new InputError('the results artifact holds no head profile')
  const rules = await loadRules(inputs, context)
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${triggering.id}`
  const title = results.name ? `nsys-bench (${results.name})` : 'nsys-bench'
  const contextLines = [
    results.baselineDescription,
    `Head: \`${triggering.head_sha.slice(0, 7)}\`.`
  ]
  const footer = `nsys-bench ${TOOL.version} · [benchmark run](${runUrl})`
  let body: string
  let comparison: Comparison | undefined
  if (base.length > 0) {
    comparison = compareProfiles(base, head, rules)
    body = renderMarkdown(comparison, {
      title,
      context: contextLines,
      footer,
      maxChars: COMMENT_LIMIT - 100,
      fullReport: `the full report is in the artifacts of [the benchmark run](${runUrl})`
    })
  } else {
    body = renderProfileMarkdown(head[head.length - 1]!, { title, context: contextLines })
  }
  await summary(deps, body)
  const commentId = inputs.commentId !== 'default' ? inputs.commentId : results.commentId
  let result: CommentResult
  if (inputs.comment === 'never') result = { status: 'skipped-by-setting' }
  else {
    result = await upsertStickyComment(
      octokit,
      context.repo,
      results.pullRequest,
      commentId,
      body,
      {
        createIfMissing: inputs.comment === 'always' || comparison?.verdict === 'regression'
      }
    )
    reportComment(deps, context, result)
  }
  core.setOutput('verdict', comparison ? comparison.verdict : 'no-baseline')
  core.setOutput('regressions', comparison ? count(comparison, 'regressed') : 0)
  core.setOutput('improvements', comparison ? count(comparison, 'improved') : 0)
  core.setOutput('comment-status', result.status)
  core.setOutput('comment-url', result.url ?? '')
}

interface Results {
  pullRequest: number
  commentId: string
  name: string
  baselineDescription: string
}

/** The results artifact is untrusted (a pull request's code wrote it): checked field by field. */
async function readResults(path: string): Promise<Results> {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
  } catch (error) {
    throw new InputError(
      `the results artifact has no readable results.json: ${errorMessage(error)}`
    )
  }
  const pr = value.pullRequest
  if (
    value.kind !== 'nsys-bench/results' ||
    typeof pr !== 'number' ||
    !Number.isInteger(pr) ||
    pr < 1
  ) {
    throw new InputError('results.json in the results artifact is not an nsys-bench results file')
  }
  const commentId =
    typeof value.commentId === 'string' && /^[\w.-]+$/.test(value.commentId)
      ? value.commentId
      : 'default'
  const name = typeof value.name === 'string' && /^[\w.-]*$/.test(value.name) ? value.name : ''
  // The description came from the other run: only its trusted shape is kept.
  const baseline = value.baseline as { runNumber?: unknown; url?: unknown; sha?: unknown } | null
  let baselineDescription = 'Baseline: none found.'
  if (
    baseline &&
    typeof baseline.runNumber === 'number' &&
    typeof baseline.sha === 'string' &&
    /^[0-9a-f]{7,40}$/.test(baseline.sha)
  ) {
    baselineDescription = `Baseline: run #${baseline.runNumber} at \`${baseline.sha.slice(0, 7)}\`.`
  }
  return { pullRequest: pr, commentId, name, baselineDescription }
}

/** Profiles of one side of a results artifact; none when the side is empty (no baseline). */
async function loadProfileDir(dir: string): Promise<Profile[]> {
  const names = await readdir(dir).catch(() => [])
  return names.some((n) => n.endsWith('.json')) ? loadInput(dir) : []
}
