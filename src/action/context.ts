import { tmpdir } from 'node:os'
import { isAbsolute } from 'node:path'
import { EnvironmentError } from '../errors.js'
import { readJsonFile } from '../load/files.js'
import { quoted } from '../text.js'
import { workflowFile } from './baseline.js'
import type { Repo } from './comment.js'

/**
 * GitHub facts about this run, from the runner's environment and the event payload. The payload
 * is read defensively: only the fields below, each checked for its type (a payload can be
 * anything a workflow's author or a test points GITHUB_EVENT_PATH at).
 */
export interface RunContext {
  eventName: string
  repo: Repo
  runId: number
  sha: string
  serverUrl: string
  workspace: string
  /** An absolute directory for this step's files (RUNNER_TEMP, else the system's temp). */
  temp: string
  pullNumber?: number
  /** The pull request's head commit (the workflow's own sha is a merge commit). */
  headSha?: string
  /** Labels the pull request had when the event fired. */
  labels: string[]
  baseRef?: string
  defaultBranch?: string
  pushToDefault: boolean
  workflow?: string
  /** `workflow_run` events: the run that triggered this one. */
  triggeringRun?: TriggeringRun
}

/** The run a `workflow_run` event is about (GitHub's own facts, not the pull request's). */
export interface TriggeringRun {
  id: number
  headSha: string
  /** The branch it ran on (a pull request's: its head branch, in the head repository). */
  headBranch?: string
  /** owner/repo of the repository that branch is in (a fork's, for a fork's pull request). */
  headRepo?: string
}

export async function readContext(env: NodeJS.ProcessEnv): Promise<RunContext> {
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const payload = env.GITHUB_EVENT_PATH ? await readPayload(env.GITHUB_EVENT_PATH) : {}
  const [owner, repo, extra] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (!owner || !repo || extra !== undefined)
    throw new EnvironmentError(
      'GITHUB_REPOSITORY is not set to owner/repo: nsys-bench runs as a step of a GitHub Actions job'
    )
  const pull = object(payload.pull_request)
  const repository = object(payload.repository)
  const defaultBranch = string(repository.default_branch)
  const runId = Number(env.GITHUB_RUN_ID ?? 0)
  const context: RunContext = {
    eventName,
    repo: { owner, repo },
    runId: Number.isSafeInteger(runId) && runId > 0 ? runId : 0,
    sha: env.GITHUB_SHA ?? '',
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    // An empty or relative RUNNER_TEMP must never make a path relative to the workspace.
    temp: env.RUNNER_TEMP && isAbsolute(env.RUNNER_TEMP) ? env.RUNNER_TEMP : tmpdir(),
    labels: [],
    pushToDefault:
      eventName === 'push' &&
      defaultBranch !== undefined &&
      env.GITHUB_REF === `refs/heads/${defaultBranch}`
  }
  const number = pull.number
  if (
    typeof number === 'number' &&
    Number.isSafeInteger(number) &&
    number > 0 &&
    (eventName === 'pull_request' || eventName === 'pull_request_target')
  ) {
    context.pullNumber = number
    const head = string(object(pull.head).sha)
    if (head && /^[0-9a-f]{40}$/.test(head)) context.headSha = head
    const labels = Array.isArray(pull.labels) ? pull.labels : []
    context.labels = labels
      .map((l: unknown) => string(object(l).name))
      .filter((l): l is string => l !== undefined)
  }
  const baseRef = string(object(pull.base).ref) ?? (env.GITHUB_BASE_REF || undefined)
  if (baseRef) context.baseRef = baseRef
  if (defaultBranch) context.defaultBranch = defaultBranch
  const workflow = workflowFile(env.GITHUB_WORKFLOW_REF)
  if (workflow) context.workflow = workflow
  const run = object(payload.workflow_run)
  if (
    typeof run.id === 'number' &&
    Number.isSafeInteger(run.id) &&
    run.id > 0 &&
    typeof run.head_sha === 'string' &&
    /^[0-9a-f]{40}$/.test(run.head_sha)
  ) {
    const headBranch = string(run.head_branch)
    const headRepo = string(object(run.head_repository).full_name)
    context.triggeringRun = {
      id: run.id,
      headSha: run.head_sha,
      ...(headBranch ? { headBranch } : {}),
      ...(headRepo ? { headRepo } : {})
    }
  }
  return context
}

async function readPayload(path: string): Promise<Record<string, unknown>> {
  // 64 MiB, as event-guard.ts reads it (GitHub's webhook payloads are at most 25 MB).
  const value = await readJsonFile(
    path,
    'the event payload',
    64 * 1024 * 1024,
    (message, cause) => new EnvironmentError(message, { cause })
  )
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new EnvironmentError(`the event payload ${quoted(path)} is not a JSON object`)
  return value as Record<string, unknown>
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * Whether the pull request is the one the triggering run ran for, though its head is now another
 * commit: the run was of the pull request's head branch, in its head repository, and the branch
 * has moved on since (a push while the run profiled). Results that name a pull request of another
 * branch stay refused; without the branch in the event, nothing can be told, and it is no.
 */
export function pullMovedOn(
  pull: { head: { sha: string; ref: string; repo?: { full_name: string } | null } },
  run: TriggeringRun
): boolean {
  return (
    pull.head.sha !== run.headSha &&
    run.headBranch !== undefined &&
    run.headRepo !== undefined &&
    pull.head.ref === run.headBranch &&
    pull.head.repo?.full_name === run.headRepo
  )
}
