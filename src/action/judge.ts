import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import { compareProfiles, type Comparison } from '../compare/compare.js'
import type { Rules } from '../compare/rules.js'
import { errorMessage, ServiceError } from '../errors.js'
import type { Deps } from '../main.js'
import type { Profile } from '../profile/model.js'
import { inlineCode, markdownText } from '../render/escape.js'
import { clip, visible } from '../text.js'
import { abDescription } from './ab.js'
import { adaptiveLine } from './adaptive.js'
import {
  baselineAge,
  baselineOfRun,
  findBaseline,
  inProgressSentence,
  passedOverVerb,
  unusableBaseline,
  type BaselineRun,
  type BaselineSearch,
  type UnusableBaseline
} from './baseline.js'
import type { RunContext } from './context.js'
import type { Inputs } from './inputs.js'
import type { Results } from './results.js'
import { baselineFrom, compareOptions, workflowOfRun, type Baseline } from './run-mode.js'

/**
 * Judges a results artifact (untrusted: a pull request's run wrote it) as `mode: comment` and
 * `mode: aggregate` do: the baseline is the base branch's own artifact — of the push run the
 * results name, checked to be a completed push run of the base branch, or, when they name none,
 * the newest one found the way the run mode finds it; then the head's profiles are compared with
 * it under this step's rules. The one exception is `baseline: ab`, where the run measured the
 * base itself: its base profiles are the baseline when the caller trusts the run (`trusted`: the
 * same workflow run, or a pull request from this repository), as the run's own verdict did;
 * a fork's are not used, and the baseline's line says so. The same holds for `baseline: path`
 * (`basePath`): the profiles the run read from that path are its baseline where it is trusted.
 */
export interface JudgeOptions {
  results: Results
  head: Profile[]
  /** The pull request's base branch. */
  branch: string
  /** The pull request's labels (the accept label). */
  labels: readonly string[]
  /** The run that wrote the results: its workflow's push runs hold the baselines. */
  runId: number
  /** That run's workflow file, when known (else it is asked for). */
  workflow?: string
  /** The baseline artifact's name (with the leg's suffix). */
  baselineArtifact: string
  /** The base profiles the run measured itself (`baseline: ab`), and whether they may be used. */
  base: Profile[]
  trusted: boolean
}

export interface Judged {
  baseline: Baseline
  /** Undefined when there is no baseline yet. */
  comparison?: Comparison
  /** Adaptive repetitions in the benchmark run: the comment's line on its runs. */
  runsLine?: string
}

export async function judgeResults(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  rules: Rules,
  o: JudgeOptions
): Promise<Judged> {
  const label =
    inputs.acceptLabel && o.labels.includes(inputs.acceptLabel) ? inputs.acceptLabel : undefined
  // The level the run's own verdict used (adaptive repetitions), never above this step's alpha.
  const adaptive = o.results.adaptive
  const alpha = adaptive && adaptive.alpha < rules.alpha ? adaptive.alpha : rules.alpha
  const compare = (baseline: Baseline): Comparison =>
    compareProfiles(
      baseline.profiles,
      o.head,
      { ...rules, alpha },
      compareOptions(label, baseline.history, o.head)
    )
  const ab = o.results.ab
  const runsLine = adaptive
    ? adaptiveLine({ ...adaptive, alpha }, o.head.length, ab ? 'pair' : 'run')
    : undefined
  const extra = runsLine ? { runsLine } : {}
  if (ab && o.trusted && o.base.length > 0) {
    const baseline: Baseline = {
      profiles: o.base,
      description: abDescription(
        context,
        ab.baseSha,
        ab.ref,
        o.base.length,
        "the benchmark run's runner"
      )
    }
    return { baseline, comparison: compare(baseline), ...extra }
  }
  const path = o.results.basePath
  if (path !== undefined && o.trusted && o.base.length > 0) {
    const baseline: Baseline = {
      profiles: o.base,
      description: `Baseline: \`${path.replace(/[`\r\n]/g, '')}\` (${o.base.length} run${o.base.length === 1 ? '' : 's'}; \`baseline-path\`, as the benchmark run compared).`
    }
    return { baseline, comparison: compare(baseline), ...extra }
  }
  const judged = await artifactBaseline(deps, inputs, context, o)
  if (path !== undefined)
    judged.baseline.description += ` The benchmark run compared with \`baseline-path\` (\`${path.replace(/[`\r\n]/g, '')}\`), files of a fork's checkout: they are not used.`
  if (ab)
    judged.baseline.description += ` The benchmark run measured its own base (\`baseline: ab\`, merge base \`${ab.baseSha.slice(0, 7)}\`), but it ran a fork's code: its base numbers are not used.`
  if (judged.baseline.profiles.length === 0) return { ...judged, ...extra }
  return { ...judged, comparison: compare(judged.baseline), ...extra }
}

/** The base branch's own artifact: of the run the results name, else the newest found. */
async function artifactBaseline(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  o: JudgeOptions
): Promise<{ baseline: Baseline }> {
  const { core } = deps
  const octokit = deps.octokit(inputs.token)
  const downloadTo = await mkdtemp(join(context.temp, 'nsys-bench-baseline-'))
  let found: BaselineRun | undefined
  let read: Baseline | undefined
  let unusable: UnusableBaseline[] = []
  let expired: string | undefined
  let withoutArtifact: BaselineSearch['withoutArtifact'] = []
  let inProgress: BaselineSearch['inProgress'] = []
  const namedRun = o.results.baselineRunId
  if (namedRun !== undefined) {
    const named = await (async () =>
      baselineOfRun(octokit, deps.artifacts(), {
        repo: context.repo,
        token: inputs.token,
        runId: namedRun,
        branch: o.branch,
        // Only a push run of the workflow that ran the benchmark, as its own search would have
        // found: another workflow may save an artifact of the same name with other profiles.
        workflow: o.workflow ?? (await workflowOfRun(deps, inputs, context, o.runId)),
        artifactName: o.baselineArtifact,
        downloadTo
      }))().catch((error: unknown) => {
      // GitHub's answer (a 500 listing the artifacts), not a fault of ours.
      if (error instanceof ServiceError) throw error
      throw new ServiceError(
        `could not look up the baseline of run ${o.results.baselineRunId}: ${clip(errorMessage(error), 300)}`,
        { cause: error }
      )
    })
    for (const note of named.notes) core.info(visible(note))
    found = named.found
  } else {
    try {
      const search = await findBaseline(octokit, deps.artifacts(), {
        repo: context.repo,
        token: inputs.token,
        workflow: o.workflow ?? (await workflowOfRun(deps, inputs, context, o.runId)),
        branch: o.branch,
        artifactName: o.baselineArtifact,
        currentRunId: o.runId,
        downloadTo,
        // An artifact without a readable profile is passed over for the next older one.
        read: (run) => baselineFrom(context, o.branch, run)
      })
      for (const note of search.notes) core.info(visible(note))
      found = search.found
      read = search.value
      unusable = search.unusable
      expired = search.expired[0]
      withoutArtifact = search.withoutArtifact
      inProgress = search.inProgress
    } catch (error) {
      throw new ServiceError(
        `could not look up the baseline on ${o.branch}: ${clip(errorMessage(error), 300)}`,
        { cause: error }
      )
    }
  }
  const [newest] = unusable
  // Baselines exist but none could be used: nothing was compared, and that is a failure.
  if (!found && newest !== undefined) throw unusableBaseline(unusable, o.branch)
  if (found) {
    const run = found
    // The named run's baseline is read here: it is the one the benchmark run compared with, and
    // no other stands in for it.
    const baseline =
      read ??
      (await baselineFrom(context, o.branch, run).catch((error: unknown) => {
        throw new ServiceError(
          `the ${o.baselineArtifact} artifact of run ${run.runId} (${run.sha.slice(0, 7)}) on ${clip(o.branch, 200)} holds no profile that can be read: ${clip(errorMessage(error), 400)}`,
          { cause: error }
        )
      }))
    const age = baselineAge(run, {
      branch: o.branch,
      artifactName: o.baselineArtifact,
      withoutArtifact,
      inProgress
    })
    if (age.line) baseline.description += ` ${age.line}`
    if (newest !== undefined) {
      // As the run mode says it: a newer baseline was passed over, never silently.
      baseline.description += ` A newer baseline ${passedOverVerb(newest)} (${markdownText(clip(newest.message, 300))}).`
      core.warning(
        visible(
          `A newer baseline ${passedOverVerb(newest)} (${newest.message}); this comparison uses run ${run.runId} (${run.sha.slice(0, 7)}) instead.`
        ),
        { title: 'nsys-bench: baseline' }
      )
    }
    if (age.warning !== undefined)
      core.warning(visible(age.warning), { title: 'nsys-bench: old baseline' })
    if (age.notice !== undefined)
      core.notice(visible(age.notice), { title: 'nsys-bench: baseline' })
    return { baseline }
  }
  const running = inProgressSentence(inProgress, o.branch, (text) => inlineCode(text), false)
  const baseline: Baseline = {
    profiles: [],
    description:
      (expired === undefined
        ? `Baseline: none yet on ${inlineCode(o.branch)}.`
        : `Baseline: none on ${inlineCode(o.branch)}: the artifact of ${expired} expired, and no newer push run saved one.`) +
      (running === undefined ? '' : ` ${running}.`)
  }
  return { baseline }
}
