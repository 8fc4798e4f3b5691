import { stat } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import type { Comparison } from '../compare/compare.js'
import { BenchmarkError, UsageError } from '../errors.js'
import type { Deps } from '../main.js'
import type { Profile } from '../profile/model.js'
import { inlineCode } from '../render/escape.js'
import { logLine, visible } from '../text.js'
import { adaptiveRuns, type Adaptive } from './adaptive.js'
import type { RunContext } from './context.js'
import { addWorktree, mergeBase, repositoryRoot, type BaseCommit, type Git } from './git.js'
import type { Inputs } from './inputs.js'
import { ProfiledRunError } from './nsys.js'
import { childEnvironment, leftoverWarning } from './process.js'
import {
  finishProfiles,
  nsysRunner,
  profiledRun,
  warmUp,
  type Baseline,
  type NsysRunner
} from './run-mode.js'

/**
 * `baseline: ab`: base and head measured on this runner, in this job. The base is the merge base
 * of HEAD with the pull request's base branch (or `ab-base-ref`), checked out into a worktree
 * beside the workspace; `setup` runs once in each tree; then the benchmark runs in both trees
 * alternately — warm-ups B H B H …, then profiled runs B H B H … — under the same nsys options and
 * environment, so that whatever drifts on the machine (clocks, temperature, other load) falls on
 * both sides alike. Run i of the base and run i of the head are the i-th pair.
 */
export interface AbRuns {
  base: Profile[]
  head: Profile[]
  commit: BaseCommit
  /** The ref the merge base was taken with (`ab-base-ref` or the pull request's base branch). */
  ref: string
  baseline: Baseline
  /** Adaptive repetitions: the last look's level (the final comparison's) and the comment's line. */
  adaptive?: Adaptive
}

/** Compares the runs so far at a significance level (a look of adaptive repetitions). */
export type Look = (base: Profile[], head: Profile[], alpha: number) => Comparison

/** The side and the tree each run of an A/B goes to, in order. */
export type Side = 'base' | 'head'
export const INTERLEAVED: readonly Side[] = ['base', 'head']

export async function abRuns(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  reportDir: string,
  look: { alpha: number; compare: Look }
): Promise<AbRuns> {
  const { core } = deps
  const env = childEnvironment(deps.env)
  const log = (line: string): void => core.info(logLine(line))
  const g: Git = { run: deps.runProcess, env, log }
  const ref = inputs.abBaseRef || context.baseRef
  if (!ref) {
    throw new UsageError(
      'baseline: ab outside a pull request needs `ab-base-ref`: the branch, tag or commit to compare with (its merge base with HEAD is the base)'
    )
  }
  const headCwd = resolve(context.workspace, inputs.workingDirectory)
  // Before git runs there: git started in a missing directory reads as git missing (ENOENT).
  await workingDirectory(inputs, 'head', headCwd, HEAD_TREE)
  const root = await repositoryRoot(g, headCwd)
  core.startGroup(`A/B: finding the merge base of HEAD and ${visible(ref)}`)
  let commit: BaseCommit
  try {
    commit = await mergeBase(g, root, ref)
  } finally {
    core.endGroup()
  }
  const short = commit.sha.slice(0, 7)
  core.info(
    `A/B: base ${short} (the merge base of HEAD ${commit.head.slice(0, 7)} and ${visible(ref)})${commit.fetched.length > 0 ? `; fetched ${visible(commit.fetched.join(' and '))}` : ''}`
  )
  if (commit.sha === commit.head)
    core.notice(
      `HEAD is the merge base of itself and ${visible(ref)}: base and head are the same commit (an A/A run, which measures the noise alone).`,
      { title: 'nsys-bench: A/B' }
    )
  const tree = await addWorktree(g, root, commit.sha)
  // The working directory is the same place in both trees.
  const cwd: Record<Side, string> = {
    base: join(tree.dir, relative(root, headCwd)),
    head: headCwd
  }
  const where: Record<Side, string> = {
    base: `the base tree (${short}, the merge base of HEAD and ${visible(ref)})`,
    head: HEAD_TREE
  }
  const profiles: Record<Side, Profile[]> = { base: [], head: [] }
  let adaptive: Adaptive | undefined
  try {
    // With or without `setup`, before anything runs: a benchmark the base tree lacks would
    // otherwise fail as a program not found (spawn ENOENT), not as the directory missing.
    await workingDirectory(inputs, 'base', cwd.base, where.base)
    for (const side of INTERLEAVED) await setup(deps, inputs, env, cwd[side], where[side])
    const runner: NsysRunner = await nsysRunner(deps, inputs, context, reportDir, env)
    for (let w = 1; w <= inputs.warmupRuns; w++) {
      for (const side of INTERLEAVED) {
        await warmUp(
          runner,
          cwd[side],
          `Warm-up run ${w} of ${inputs.warmupRuns}, ${side}`,
          `${side} warm-up run ${w}`
        )
      }
    }
    const pair = async (i: number, of: string): Promise<void> => {
      for (const side of INTERLEAVED) {
        const title = `Profiled pair ${i} of ${of}: ${side}${side === 'base' ? ` (${short})` : ''}`
        profiles[side].push(
          await profiledRun(runner, cwd[side], `${side}-run-${i}`, title).catch(
            (error: unknown) => {
              throw sided(error, side, `in ${where[side]}, profiled run ${i} of ${of}`)
            }
          )
        )
      }
    }
    for (let i = 1; i <= inputs.repetitions; i++) await pair(i, String(inputs.repetitions))
    if (inputs.maxRepetitions > inputs.repetitions) {
      adaptive = await adaptiveRuns({
        alpha: look.alpha,
        first: inputs.repetitions,
        max: inputs.maxRepetitions,
        growth: { kind: 'ab' },
        look: (level) => look.compare(profiles.base, profiles.head, level),
        runs: () => profiles.head.length,
        add: (next) => pair(next, `at most ${inputs.maxRepetitions}`),
        info: (line) => core.info(line),
        warning: (line) => core.warning(line, { title: 'nsys-bench: adaptive repetitions' })
      })
    }
  } finally {
    await tree
      .remove()
      .catch((error: unknown) =>
        core.warning(
          `Could not remove the base worktree ${visible(tree.dir)}: ${visible(String(error))}`
        )
      )
  }
  const n = profiles.head.length
  return {
    ...(adaptive ? { adaptive } : {}),
    base: await finishProfiles(deps, context, reportDir, env, profiles.base, commit.sha),
    head: await finishProfiles(deps, context, reportDir, env, profiles.head, commit.head),
    commit,
    ref,
    baseline: {
      profiles: profiles.base,
      description: abDescription(context, commit.sha, ref, n, 'this runner')
    }
  }
}

/** The comment's line on an A/B baseline: where, how many pairs, which base commit. */
export function abDescription(
  context: RunContext,
  sha: string,
  ref: string,
  pairs: number,
  where: string
): string {
  return `Baseline: A/B on ${where}, ${pairs} pair${pairs === 1 ? '' : 's'}, interleaved: base [\`${sha.slice(0, 7)}\`](${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/commit/${sha}), the merge base of HEAD and ${inlineCode(ref)}.`
}

const HEAD_TREE = 'the head tree (the workspace)'

/** What to do when the base fails what the head passes: the command runs on both commits. */
const BOTH_COMMITS =
  'With baseline: ab, `command` runs on both commits: it has to run on the base (the code before this change) too. Prepare the base tree in `setup`, or compare with a commit it runs on (`ab-base-ref`).'

/**
 * A profiled run's failure, with the side, the tree and the run put between what went wrong and
 * the output (the output alone names neither, and a reader takes it for the head's). A failure
 * of nsys itself (EnvironmentError: not the benchmark, nor its tree) is left as it is.
 */
function sided(error: unknown, side: Side, run: string): unknown {
  if (!(error instanceof ProfiledRunError)) return error
  return new BenchmarkError(
    `${run}: ${error.problem}.${side === 'base' ? ` ${BOTH_COMMITS}` : ''} Last output:\n${error.last}`,
    { cause: error }
  )
}

/** `working-directory` in one tree: the benchmark runs there, so it must be a directory. */
async function workingDirectory(
  inputs: Inputs,
  side: Side,
  cwd: string,
  which: string
): Promise<void> {
  if ((await stat(cwd).catch(() => undefined))?.isDirectory()) return
  throw new BenchmarkError(
    `the working directory ${visible(inputs.workingDirectory)} does not exist in ${which}: the benchmark cannot run there. ` +
      (side === 'head'
        ? '`working-directory` is relative to the workspace (the repository actions/checkout checked out): check the path.'
        : 'With baseline: ab, `command` runs in `working-directory` of both commits, so the base needs it too: compare with a commit that has it (`ab-base-ref`), or, on the pull request that adds the benchmark, use another `baseline` (`artifact`: no baseline yet is a notice, not a failure).')
  )
}

/** `setup` in one tree (`which`), once, not profiled; a failure says which side it was. */
async function setup(
  deps: Deps,
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  cwd: string,
  which: string
): Promise<void> {
  if (!inputs.setup.trim()) return
  const { core } = deps
  core.startGroup(`Setup in ${which}`)
  try {
    const result = await deps.runProcess('bash', ['-c', inputs.setup], {
      cwd,
      env,
      timeoutMs: inputs.timeoutMinutes * 60_000,
      onLine: (line) => core.info(logLine(line))
    })
    if (result.leftover)
      core.warning(leftoverWarning(`setup in ${which}`, result.leftover), {
        title: 'nsys-bench: processes left running'
      })
    if (result.timedOut)
      throw new BenchmarkError(`setup in ${which} ran longer than timeout-minutes and was stopped`)
    if (result.code !== 0) {
      throw new BenchmarkError(
        `setup failed in ${which} (exit code ${result.code ?? result.signal}). Last output:\n${result.tail.slice(-20).join('\n')}`
      )
    }
  } finally {
    core.endGroup()
  }
}
