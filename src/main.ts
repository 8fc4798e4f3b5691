import { resolve } from 'node:path'
import type { ArtifactClient } from '@actions/artifact'
import { aggregateMode } from './action/aggregate-mode.js'
import { commentMode } from './action/comment-mode.js'
import { readContext, type RunContext } from './action/context.js'
import { failureSettings, readInputs, type InputReader, type Inputs } from './action/inputs.js'
import type { Octokit } from './action/octokit.js'
import type { RunProcess } from './action/process.js'
import { publishFailure, type Target } from './action/publish.js'
import { archiveFailure, runMode } from './action/run-mode.js'
import type { RulesOverrides } from './compare/rules.js'
import { errorMessage, isKnownError, UsageError } from './errors.js'
import { readRulesFile } from './load/rules-file.js'
import { clip, visible } from './text.js'
import { TOOL } from './version.js'

/** The part of @actions/core the action uses; passed in so tests need no module mocks. */
export interface Core extends InputReader {
  info(message: string): void
  debug(message: string): void
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

/**
 * The action. Inputs are read here, never at import time; the mode does the work (action/
 * run-mode.ts, comment-mode.ts) and returns why the step must fail, if it must; errors are
 * caught once, here: outputs still say what happened, an existing sticky comment is told, and
 * the step fails with one message.
 */
export async function run(deps: Deps): Promise<void> {
  const { core } = deps
  let inputs: Inputs | undefined
  let target: Target | undefined
  /** mode: comment: the pull request the results were checked against, once they were. */
  let verified: Target | undefined
  let context: RunContext | undefined
  try {
    inputs = readInputs(core)
    context = await readContext(deps.env)
    target = pullTarget(context, inputs.commentId)
    const rules = await readRulesFile(
      inputs.rulesFile ? resolve(context.workspace, inputs.rulesFile) : undefined,
      overrides(inputs)
    )
    const published =
      inputs.mode === 'comment'
        ? await commentMode(deps, inputs, context, rules, (t) => (verified = t))
        : inputs.mode === 'aggregate'
          ? await aggregateMode(deps, inputs, context, rules)
          : await runMode(deps, inputs, context, rules, target)
    if (published && published.failures.length > 0) core.setFailed(published.failures.join('\n'))
  } catch (error) {
    // Lines stay (an annotation escapes them); every other invisible character is shown.
    const message = visible(clip(errorMessage(error), 4000), true)
    // The cause and the stack, for a debug log (ACTIONS_STEP_DEBUG): never lost, never noisy.
    core.debug(describe(error))
    const hint =
      error instanceof UsageError ? ' (see the inputs table in the nsys-bench README)' : ''
    const footer = `nsys-bench ${TOOL.version}`
    // An input readInputs() refused: the rest may still say where the sticky comment is.
    const settings = inputs ?? failureSettings(core)
    if (settings && settings.mode !== 'comment' && !target) {
      context ??= await readContext(deps.env).catch(() => undefined)
      if (context) target = pullTarget(context, settings.commentId)
    }
    await publishFailure(
      deps,
      settings,
      settings?.mode === 'comment' ? verified : target,
      message,
      footer,
      settings?.mode === 'comment' ? 'the run that compares its results' : undefined
    ).catch((e: unknown) =>
      core.debug(`could not report the failure on the pull request: ${describe(e)}`)
    )
    if (inputs && context)
      await archiveFailure(deps, inputs, context, message).catch((e: unknown) =>
        core.warning(
          `Could not upload the ${inputs?.resultsArtifact ?? 'results'} artifact with the failure: ${visible(clip(errorMessage(e), 300))}`
        )
      )
    core.setFailed(`nsys-bench: ${isKnownError(error) ? '' : 'internal error: '}${message}${hint}`)
  }
}

/**
 * This run's pull request and comment; its head (from the event) is what the run judges, so the
 * comment is written only while the pull request is still there (action/comment.ts).
 */
function pullTarget(context: RunContext, commentId: string): Target {
  return {
    repo: context.repo,
    commentId,
    ...(context.pullNumber === undefined ? {} : { pullNumber: context.pullNumber }),
    ...(context.headSha === undefined ? {} : { headSha: context.headSha })
  }
}

function overrides(inputs: Inputs): RulesOverrides {
  const out: RulesOverrides = {}
  if (inputs.threshold !== undefined) out.threshold = inputs.threshold
  if (inputs.minShare !== undefined) out.minShare = inputs.minShare
  if (inputs.alpha !== undefined) out.alpha = inputs.alpha
  if (inputs.gpuMismatch !== undefined) out.gpuMismatch = inputs.gpuMismatch
  return out
}

/** An error with its causes and stacks, for the debug log. */
function describe(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(
      current instanceof Error ? (current.stack ?? current.message) : errorMessage(current)
    )
    current = current instanceof Error ? current.cause : undefined
  }
  return visible(clip(parts.join('\ncaused by: '), 20_000)).replace(/\\u\{a\}/g, '\n')
}
