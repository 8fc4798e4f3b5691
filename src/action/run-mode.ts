import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { basename, isAbsolute, join, relative, resolve } from 'node:path'
import { compareProfiles, type CompareOptions, type Comparison } from '../compare/compare.js'
import { recordText } from '../compare/record.js'
import type { Rules } from '../compare/rules.js'
import { BenchmarkError, errorMessage, ServiceError } from '../errors.js'
import { appendRun, fingerprintOf, runEntry } from '../history/append.js'
import { decodeHistory, encodeHistory, MAX_HISTORY_FILE_BYTES, MAX_TEXT } from '../history/codec.js'
import { findDrifts } from '../history/drift.js'
import { emptyHistory, HISTORY_FILE, type History } from '../history/model.js'
import { historyView } from '../history/view.js'
import { readFileWithin } from '../load/files.js'
import { loadInput } from '../load/index.js'
import type { Deps } from '../main.js'
import { profileToJson } from '../profile/json.js'
import type { Profile } from '../profile/model.js'
import { inlineCode, markdownText } from '../render/escape.js'
import { driftMarkdown, driftSentence } from '../render/history.js'
import { renderHtml } from '../render/html.js'
import { environmentLine, renderMarkdown, reportTitle } from '../render/markdown.js'
import { clip, listed, logLine, visible } from '../text.js'
import { TOOL } from '../version.js'
import { abRuns } from './ab.js'
import { adaptiveRuns, type Adaptive } from './adaptive.js'
import {
  attemptClash,
  attemptStart,
  clashName,
  runAttemptOf,
  uploadDirectory,
  type Uploaded
} from './artifacts.js'
import {
  baselineAge,
  findBaseline,
  inProgressSentence,
  passedOverVerb,
  unusableBaseline,
  type BaselineRun,
  type UnusableBaseline
} from './baseline.js'
import type { RunContext } from './context.js'
import type { Inputs } from './inputs.js'
import {
  exportStats,
  findNsys,
  loadStatsRun,
  profile,
  splitArgs,
  type Nsys,
  type StatsExport
} from './nsys.js'
import { GPU_NOTES, probeGpus, type GpuProbe, type GpuSnapshot } from './nvidia-smi.js'
import { childEnvironment, leftoverWarning } from './process.js'
import { selfProfiledRun, selfProfiledRuns, type SelfProfiledOptions } from './self-profiled.js'
import { publish, type Published, type Target } from './publish.js'
import { findRocprofv3Version, type Rocprofv3Version } from './rocprofv3.js'
import { resultsClash, writeResults } from './results.js'

/**
 * `mode: run`: profile the benchmark (or read the reports given) → the baseline → compare →
 * publish (summary, comment, outputs) → archive (report, baseline, results) → the gate's
 * failures, for run() to fail the step with.
 */
export async function runMode(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  rules: Rules,
  target: Target
): Promise<Published> {
  const { core } = deps
  // A fresh directory of our own: nothing that existed before is ever removed.
  await mkdir(context.temp, { recursive: true })
  const reportDir = await mkdtemp(
    join(context.temp, `nsys-bench${inputs.name ? `-${inputs.name}` : ''}-`)
  )
  core.setOutput('report-dir', reportDir)
  const started = attemptStart(deps, inputs.token, context.repo, context.runId)
  // Nothing lost: whatever was written (reports, CSVs) is archived, also when a step failed.
  const uploadReport = (): Promise<Uploaded> =>
    uploadDirectory(
      deps,
      inputs.reportArtifact,
      reportDir,
      inputs.retentionDays,
      attemptClash(
        started,
        (aside) =>
          aside === undefined
            ? "This job's report was not uploaded."
            : `This job's report is uploaded as ${visible(aside)} instead.`,
        () => Promise.resolve(clashName(inputs.reportArtifact))
      )
    )
  let done: Done
  try {
    done = await compareAndPublish(deps, inputs, context, rules, target, reportDir)
  } catch (error) {
    const report = await uploadReport()
    // The step fails already: the clash is said beside the failure.
    if (!report.ok && report.clash)
      core.warning(report.clash, { title: 'nsys-bench: artifact name clash' })
    throw error
  }
  const { published } = done
  const report = await uploadReport()
  if (!report.ok && report.clash) published.failures.push(report.clash)
  // After the report: a baseline that cannot be saved says where its profiles are instead.
  if (done.baseline !== undefined) {
    const uploaded = await uploadDirectory(
      deps,
      inputs.baselineArtifact,
      done.baseline,
      inputs.retentionDays,
      attemptClash(started, () => baselineElsewhere(inputs, report))
    )
    if (!uploaded.ok && uploaded.clash) published.failures.push(uploaded.clash)
  }
  return published
}

/** What compareAndPublish leaves to runMode: the published outcome, and the baseline to save. */
interface Done {
  published: Published
  /** The directory to save as the baseline artifact (the head's profiles and their history). */
  baseline?: string
}

/**
 * Where the profiles of a baseline that was not saved are: the report artifact (under its own
 * name or aside) holds them under `profiles/`.
 */
function baselineElsewhere(inputs: Inputs, report: Uploaded): string {
  const holder = report.name
  return holder === undefined
    ? `This job's baseline is not saved over it, and its report artifact, which holds its profiles, could not be uploaded either (see the warning about ${visible(inputs.reportArtifact)}).`
    : `This job's baseline is not saved over it: its profiles are in the ${visible(holder)} artifact of this run, under profiles/.`
}

async function compareAndPublish(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  rules: Rules,
  target: Target,
  reportDir: string
): Promise<Done> {
  const { core } = deps
  const label =
    inputs.acceptLabel && context.labels.includes(inputs.acceptLabel)
      ? inputs.acceptLabel
      : undefined
  const compare = (
    base: Profile[],
    head: Profile[],
    alpha = rules.alpha,
    history?: Baseline['history']
  ): Comparison => {
    return compareProfiles(base, head, { ...rules, alpha }, compareOptions(label, history, head))
  }
  const ab =
    inputs.baseline === 'ab'
      ? await abRuns(deps, inputs, context, reportDir, { alpha: rules.alpha, compare })
      : undefined
  const headRuns = ab ? undefined : await headProfiles(deps, inputs, context, reportDir)
  const head = ab ? ab.head : (headRuns?.profiles ?? [])
  const profilesDir = join(reportDir, 'profiles')
  await writeProfiles(profilesDir, head)
  core.setOutput('profile-json', join(profilesDir, 'run-1.json'))
  // Beside the head's, not among them: the head's directory may become the baseline artifact.
  if (ab) await writeProfiles(join(reportDir, 'base-profiles'), ab.base)

  const baseline = ab ? ab.baseline : await baselineProfiles(deps, inputs, context)
  if (baseline.historyProblem)
    core.warning(visible(baseline.historyProblem), { title: 'nsys-bench: history' })
  if (baseline.run) {
    core.setOutput('baseline-run-id', baseline.run.runId)
    core.setOutput('baseline-sha', baseline.run.sha)
  }
  if (ab) core.setOutput('baseline-sha', ab.commit.sha)
  const adaptive =
    ab?.adaptive ??
    (headRuns && inputs.maxRepetitions > inputs.repetitions
      ? await moreHeadRuns(
          deps,
          inputs,
          rules.alpha,
          // Each look with the limits the final comparison has (threshold: auto from the history).
          (b, h, alpha) => compare(b, h, alpha, baseline.history),
          baseline,
          headRuns
        )
      : undefined)
  if (adaptive && !ab) await writeProfiles(profilesDir, head)

  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`
  const headSha = context.headSha ?? context.sha
  const title = reportTitle(inputs.name)
  const contextLines = [
    baseline.description,
    `Head: \`${headSha.slice(0, 7)}\`${inputs.name ? ` · leg ${inlineCode(inputs.name)}` : ''}.`,
    ...(adaptive ? [adaptive.line] : []),
    ...environment(head, baseline.profiles)
  ]
  const footer = `nsys-bench ${TOOL.version} · [workflow run](${runUrl})`
  let comparison: Comparison | undefined
  if (baseline.profiles.length > 0) {
    // Adaptive repetitions: judged at the level of the last look (compare/sequential.ts).
    comparison = compare(baseline.profiles, head, adaptive?.alpha, baseline.history)
    await writeFile(
      join(reportDir, 'comparison.md'),
      renderMarkdown(comparison, { title, context: contextLines, footer })
    )
    // In pieces: a large comparison's record is never one string (record.ts recordJson).
    await writeFile(join(reportDir, 'comparison.json'), recordText(comparison))
    await writeFile(
      join(reportDir, 'report.html'),
      renderHtml(comparison, {
        name: inputs.name,
        context: [`Head: ${headSha.slice(0, 7)}`, `Workflow run: ${runUrl}`],
        // The launch sketches are in the profiles: the report draws the launch distributions.
        runs: { base: baseline.profiles, head }
      })
    )
  }
  const last = head.at(-1)
  if (!last) throw new BenchmarkError('no head profile was read')
  const saveBaseline =
    inputs.saveBaseline === 'true' || (inputs.saveBaseline === 'auto' && context.pushToDefault)
  // The baseline carries its history: the previous baseline's, plus this run (docs/history.md).
  // A history that cannot be written is a warning: the baseline is saved without it.
  const summaryExtra = saveBaseline
    ? await writeHistory(deps, inputs, context, rules, head, baseline, profilesDir).catch(
        (error: unknown) => {
          core.warning(
            visible(`Could not write the baseline's history: ${clip(errorMessage(error), 300)}`),
            { title: 'nsys-bench: history' }
          )
          return ''
        }
      )
    : ''
  const published = await publish(
    deps,
    inputs,
    {
      title,
      context: contextLines,
      footer,
      fullReport: `the full report is in the \`${inputs.reportArtifact}\` artifact of [this run](${runUrl})`,
      profile: last,
      ...(comparison ? { comparison } : {}),
      ...(summaryExtra ? { summaryExtra } : {})
    },
    target,
    { gate: true }
  )

  // The results for a `mode: comment` workflow (the baseline is saved by runMode, after the report).
  if (context.pullNumber !== undefined) {
    // Beside the report, not in it: the report artifact already holds the head's profiles.
    const dir = await mkdtemp(join(context.temp, 'nsys-bench-results-'))
    await writeResults(
      dir,
      {
        pullRequest: context.pullNumber,
        headSha,
        commentId: inputs.commentId,
        name: inputs.name,
        ...(baseline.run ? { baselineRunId: baseline.run.runId } : {}),
        ...(ab ? { ab: { baseSha: ab.commit.sha, ref: ab.ref } } : {}),
        ...(inputs.baseline === 'path' ? { basePath: inputs.baselinePath } : {}),
        ...(adaptive && !adaptive.off
          ? { adaptive: { first: adaptive.first, max: adaptive.max, alpha: adaptive.alpha } }
          : {}),
        runAttempt: runAttemptOf(deps.env)
      },
      head,
      ab?.base ?? (inputs.baseline === 'path' ? baseline.profiles : [])
    )
    const uploaded = await uploadResults(deps, inputs, context, dir)
    if (uploaded.clash) published.failures.push(uploaded.clash)
  }
  return { published, ...(saveBaseline ? { baseline: profilesDir } : {}) }
}

/**
 * Writes the history of the baseline this run saves (the previous baseline's history, or a fresh
 * one, plus this run, capped at history-length) beside its profiles, and checks it for drifts:
 * each is a warning, and the returned Markdown goes to the job summary. Never a failure.
 */
async function writeHistory(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  rules: Rules,
  head: readonly Profile[],
  baseline: Baseline,
  profilesDir: string
): Promise<string> {
  const { core } = deps
  const previous = baseline.history?.value ?? emptyHistory()
  const date = head.at(-1)?.meta.createdAt ?? new Date().toISOString()
  const entry = runEntry(head, rules, { sha: context.sha, date })
  const updated = appendRun(previous, entry, inputs.historyLength)
  // A key longer than a history file holds (codec.ts, MAX_TEXT) is left out of it: said once.
  const leftOut: string[] = []
  await writeFile(
    join(profilesDir, HISTORY_FILE),
    encodeHistory(updated, (_table, key) => leftOut.push(key))
  )
  if (leftOut.length > 0)
    core.warning(
      visible(
        `${leftOut.length === 1 ? 'One item has a key' : `${leftOut.length} items have keys`} longer than ${MAX_TEXT.toLocaleString('en')} characters (the first: ${clip(leftOut[0]!, 120)}) and ${leftOut.length === 1 ? 'is' : 'are'} not kept in the history: ${leftOut.length === 1 ? 'its comparison uses' : 'their comparisons use'} the fixed threshold, never a band (threshold: auto), and ${leftOut.length === 1 ? 'it has' : 'they have'} no drift report.`
      ),
      { title: 'nsys-bench: history' }
    )
  core.info(
    `History: ${updated.runs.length} run${updated.runs.length === 1 ? '' : 's'} (history-length ${inputs.historyLength}) saved with the baseline.`
  )
  // The newer baseline carried the history up to its run: the one saved here goes on from the
  // older baseline's, so the newer run's measurements (and any it alone carried) are not in it.
  const [newer] = baseline.passedOver ?? []
  if (newer !== undefined && baseline.run)
    core.warning(
      visible(
        `The history saved with this baseline goes on from run ${baseline.run.runId} (${baseline.run.sha.slice(0, 7)}): ${baseline.passedOver!.length === 1 ? 'a newer baseline' : `${baseline.passedOver!.length} newer baselines`} ${passedOverVerb(newer)} (${newer.message}), so ${baseline.passedOver!.length === 1 ? 'its run is' : 'their runs are'} missing from it. Drifts are read over the runs it has.`
      ),
      { title: 'nsys-bench: history' }
    )
  const drifts = findDrifts(updated, rules)
  for (const d of drifts.filter((d) => d.worse).slice(0, 10))
    core.warning(visible(driftSentence(d)), { title: 'nsys-bench: drift' })
  return driftMarkdown(drifts, updated.runs.length)
}

/**
 * The history in a downloaded baseline artifact: none in older ones; a bad one is a problem said.
 * Read as the CLI's --history is: a regular file (never a FIFO or a device a crafted artifact
 * could point at), of at most what decodeHistory reads.
 */
async function readHistory(dir: string): Promise<{ history?: History; problem?: string }> {
  let bytes: Buffer
  try {
    bytes = await readFileWithin(
      join(dir, HISTORY_FILE),
      "the baseline's history",
      MAX_HISTORY_FILE_BYTES
    )
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined
    if ((cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return {}
    return {
      problem: `${clip(errorMessage(error), 300)}; a fresh history starts with this run`
    }
  }
  try {
    return { history: decodeHistory(bytes, HISTORY_FILE) }
  } catch (error) {
    return {
      problem: `the baseline's history was left out: ${clip(errorMessage(error), 300)}; a fresh history starts with this run`
    }
  }
}

async function writeProfiles(dir: string, profiles: readonly Profile[]): Promise<void> {
  await mkdir(dir, { recursive: true })
  for (const [i, p] of profiles.entries())
    await writeFile(join(dir, `run-${i + 1}.json`), `${JSON.stringify(profileToJson(p))}\n`)
}

/** The head's profiles, and (when the action runs the benchmark) how to add one more run. */
interface HeadRuns {
  profiles: Profile[]
  /** One more profiled run, number `i` (1-based), finished like the others. */
  more?: (i: number, of: string) => Promise<Profile[]>
}

/**
 * Adaptive repetitions against a fixed baseline (an artifact or a path): head runs are added one
 * at a time while a gated change beyond the limits is not yet significant (compare/sequential.ts).
 * Without a baseline to compare with there is nothing to decide, and no run is added.
 */
async function moreHeadRuns(
  deps: Deps,
  inputs: Inputs,
  alpha: number,
  compare: (base: Profile[], head: Profile[], alpha: number) => Comparison,
  baseline: Baseline,
  headRuns: HeadRuns
): Promise<Adaptive | undefined> {
  const { core } = deps
  const { more } = headRuns
  const head = headRuns.profiles
  if (baseline.profiles.length === 0 || !more) {
    core.info(
      `Adaptive repetitions: ${more ? 'no baseline to compare with' : 'the head is read from reports, not run here'}, so no run is added.`
    )
    return undefined
  }
  return adaptiveRuns({
    alpha,
    first: inputs.repetitions,
    max: inputs.maxRepetitions,
    growth: { kind: 'head', baseRuns: baseline.profiles.length },
    look: (level) => compare(baseline.profiles, head, level),
    runs: () => head.length,
    add: async (next) => {
      head.push(...(await more(next, `at most ${inputs.maxRepetitions}`)))
    },
    info: (line) => core.info(line),
    warning: (line) => core.warning(line, { title: 'nsys-bench: adaptive repetitions' })
  })
}

async function headProfiles(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  reportDir: string
): Promise<HeadRuns> {
  const { core } = deps
  const env = childEnvironment(deps.env)
  const statsDir = join(reportDir, 'stats')
  const repDir = join(reportDir, 'nsys')
  const profiles: Profile[] = []
  let nsys: Nsys | undefined
  const needNsys = async (): Promise<Nsys> =>
    (nsys ??= await findNsys(deps.runProcess, inputs.nsys, env))
  const log = (line: string): void => core.info(logLine(line))

  const finished = async (more: Profile[]): Promise<Profile[]> =>
    finishProfiles(deps, context, reportDir, env, more, context.sha)
  if (inputs.profiler !== 'nsys') {
    // Once per action run, before the first run: every profile of this step records it.
    const rocprofv3Version =
      inputs.profiler === 'rocprofv3'
        ? await rocprofv3VersionLogged(deps, inputs.rocprofv3, env)
        : undefined
    const options: SelfProfiledOptions = {
      run: deps.runProcess,
      inputs,
      workspace: context.workspace,
      temp: context.temp,
      reportDir,
      env,
      log,
      warn: (message) =>
        core.warning(visible(message), { title: 'nsys-bench: processes left running' }),
      group: async (title, body) => {
        core.startGroup(title)
        try {
          return await body()
        } finally {
          core.endGroup()
        }
      },
      ...(rocprofv3Version ? { rocprofv3Version } : {})
    }
    return {
      profiles: await finished(await selfProfiledRuns(options)),
      more: async (i, of) => finished(await selfProfiledRun(options, i, of))
    }
  } else if (inputs.profilePaths.length > 0) {
    for (const [index, given] of inputs.profilePaths.entries()) {
      const path = resolve(context.workspace, given)
      if (/\.(nsys-rep|qdrep|sqlite)$/.test(path)) {
        const n = await needNsys()
        const i = profiles.length + 1
        await mkdir(repDir, { recursive: true })
        // Numbered: two inputs named alike (a/run.nsys-rep, b/run.nsys-rep) both stay. The stats
        // come from the copy: nsys writes its SQLite export beside the report it reads, which
        // belongs in the report artifact, not in the user's workspace.
        const copy = join(repDir, `${index + 1}-${basename(path)}`)
        await copyFile(path, copy)
        core.startGroup(`nsys stats ${visible(clip(given, 200))}`)
        try {
          profiles.push(
            await statsRun(
              await exportStats(deps.runProcess, n, copy, statsDir, `run-${i}`, env, log)
            )
          )
        } finally {
          core.endGroup()
        }
      } else {
        profiles.push(
          ...(await loadInput(path, inputs.profileFormat ? { format: inputs.profileFormat } : {}))
        )
      }
    }
    if (nsys) for (const p of profiles) p.meta.profiler.version ??= nsys.version
  } else {
    const runner = await nsysRunner(deps, inputs, context, reportDir, env)
    for (let w = 1; w <= inputs.warmupRuns; w++)
      await warmUp(
        runner,
        runner.cwd,
        `Warm-up run ${w} of ${inputs.warmupRuns}`,
        `warm-up run ${w}`
      )
    const run = async (i: number, of: string): Promise<Profile> =>
      profiledRun(runner, runner.cwd, `run-${i}`, `Profiled run ${i} of ${of}`)
    for (let i = 1; i <= inputs.repetitions; i++)
      profiles.push(await run(i, String(inputs.repetitions)))
    return {
      profiles: await finished(profiles),
      more: async (i, of) => finished([await run(i, of)])
    }
  }
  return { profiles: await finished(profiles) }
}

/** rocprofv3's version (never a failure: unknown, it is a note on each profile), logged. */
async function rocprofv3VersionLogged(
  deps: Deps,
  path: string,
  env: NodeJS.ProcessEnv
): Promise<Rocprofv3Version> {
  const found = await findRocprofv3Version(deps.runProcess, path, env)
  const where = `${clip(path, 200)} --version`
  deps.core.info(
    logLine(
      found.version !== undefined
        ? `rocprofv3 ${found.version} (rocprofiler-sdk${found.rocm !== undefined ? `; ROCm ${found.rocm}` : ''}), from ${where}`
        : (found.note?.message ?? `rocprofv3's version is unknown (${where})`)
    )
  )
  return found
}

/** What runs the benchmark under nsys: the nsys found, the directories, the limits. */
export interface NsysRunner {
  deps: Deps
  inputs: Inputs
  nsys: Nsys
  env: NodeJS.ProcessEnv
  /** The head's working directory. */
  cwd: string
  repDir: string
  statsDir: string
  timeoutMs: number
  log: (line: string) => void
  /** Looks at the GPUs before each profiled run. */
  gpu: GpuProbe
}

export async function nsysRunner(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  reportDir: string,
  env: NodeJS.ProcessEnv
): Promise<NsysRunner> {
  const nsys = await findNsys(deps.runProcess, inputs.nsys, env)
  deps.core.info(`Nsight Systems ${nsys.version} (${visible(nsys.path)})`)
  const repDir = join(reportDir, 'nsys')
  await mkdir(repDir, { recursive: true })
  return {
    deps,
    inputs,
    nsys,
    env,
    cwd: resolve(context.workspace, inputs.workingDirectory),
    repDir,
    statsDir: join(reportDir, 'stats'),
    timeoutMs: inputs.timeoutMinutes * 60_000,
    log: (line) => deps.core.info(logLine(line)),
    gpu: await probeGpus(deps.runProcess, env)
  }
}

/** One run of the benchmark without nsys, in `cwd`; its results are not kept. */
export async function warmUp(
  r: NsysRunner,
  cwd: string,
  title: string,
  what: string
): Promise<void> {
  const { core } = r.deps
  core.startGroup(`${title} (not profiled, not kept)`)
  try {
    const result = await r.deps.runProcess('bash', ['-c', r.inputs.command], {
      cwd,
      env: r.env,
      timeoutMs: r.timeoutMs,
      onLine: r.log
    })
    if (result.leftover)
      core.warning(visible(`${what}: ${leftoverWarning('the benchmark', result.leftover)}`), {
        title: 'nsys-bench: processes left running'
      })
    if (result.timedOut)
      throw new BenchmarkError(`${what} ran longer than timeout-minutes and was stopped`)
    if (result.code !== 0) {
      throw new BenchmarkError(
        `the benchmark failed in ${what} (exit code ${result.code ?? result.signal}). Last output:\n${result.tail.slice(-20).join('\n')}`
      )
    }
  } finally {
    core.endGroup()
  }
}

/** One run of the benchmark under nsys profile, in `cwd`, read back as a profile. */
export async function profiledRun(
  r: NsysRunner,
  cwd: string,
  name: string,
  title: string
): Promise<Profile> {
  const { core } = r.deps
  const { inputs } = r
  core.startGroup(title)
  try {
    // Before the run: the benchmark is not on the GPU yet, so any process there is other work.
    const gpu = await r.gpu.snapshot()
    const rep = await profile(r.deps.runProcess, r.nsys, {
      command: inputs.command,
      cwd,
      env: r.env,
      output: join(r.repDir, name),
      trace: inputs.trace,
      cudaGraphTrace: inputs.cudaGraphTrace,
      captureRange: inputs.captureRange,
      nvtxCapture: inputs.nvtxCapture,
      captureRangeEnd: inputs.captureRangeEnd,
      extraArgs: splitArgs(inputs.nsysArgs),
      timeoutMs: r.timeoutMs,
      log: r.log,
      warn: (message) => core.warning(visible(message), { title: 'nsys-bench: nsys' })
    })
    const finished = new Date().toISOString()
    const p = await statsRun(
      await exportStats(r.deps.runProcess, r.nsys, rep, r.statsDir, name, r.env, r.log)
    )
    p.meta.profiler.version = r.nsys.version
    p.meta.command = inputs.command
    // When this run ended: the order of the runs can be read back from the profiles.
    p.meta.createdAt = finished
    if (gpu.gpus.length > 0) p.meta.gpus = gpu.gpus
    if (gpu.processes) p.meta.gpuProcesses = gpu.processes
    p.meta.notes.push(...gpu.notes)
    return p
  } finally {
    core.endGroup()
  }
}

/** What every profile of this step records: the commit, the runner, the GPUs, its notes logged. */
export async function finishProfiles(
  deps: Deps,
  context: RunContext,
  reportDir: string,
  env: NodeJS.ProcessEnv,
  profiles: Profile[],
  gitSha: string
): Promise<Profile[]> {
  const { core } = deps
  const now = new Date().toISOString()
  // Profiles read, not profiled here (reports given, self-profiled runs), get one look at the
  // GPUs now; GPUs the profile names itself (a GPU trace, a profile JSON made elsewhere) stay.
  let gpu: GpuSnapshot | undefined
  for (const p of profiles) {
    if (p.meta.notes.some((n) => GPU_NOTES.has(n.code))) continue
    const named = p.meta.gpus
    // A GPU the profile names without details (a GPU trace's device column) gets nvidia-smi's
    // details of a GPU of the same name.
    if (named?.length && named.every((g) => g.driver !== undefined)) continue
    gpu ??= await (await probeGpus(deps.runProcess, env)).snapshot()
    if (named?.length) {
      const seen = gpu.gpus
      p.meta.gpus = named.map((g) => seen.find((s) => s.name === g.name) ?? g)
      continue
    }
    if (gpu.gpus.length > 0) p.meta.gpus = gpu.gpus
    p.meta.notes.push(...gpu.notes)
  }
  // A note every run carries alike (rocprofv3's version unknown, nvidia-smi's) is said once.
  const said = new Set<string>()
  for (const p of profiles) {
    p.meta.createdAt ??= now
    p.meta.gitSha = gitSha
    if (env.RUNNER_NAME) p.meta.runner = env.RUNNER_NAME
    // Report paths relative to the report directory: they are what the artifact holds.
    p.meta.sources = p.meta.sources.map((s) =>
      isAbsolute(s) && s.startsWith(reportDir) ? relative(reportDir, s) : s
    )
    for (const note of p.meta.notes) {
      const key = `${note.severity}\n${note.message}`
      if (said.has(key)) continue
      said.add(key)
      if (note.severity === 'warning')
        core.warning(visible(clip(note.message, 1000)), { title: 'nsys-bench: input note' })
      else core.info(`note: ${visible(clip(note.message, 1000))}`)
    }
  }
  return profiles
}

/**
 * What a step's comparison is told besides the runs: the accept label on the pull request, and
 * the baseline's history, seen from the head (its runs measured like the head's last run).
 */
export function compareOptions(
  label: string | undefined,
  history: Baseline['history'],
  head: readonly Profile[]
): CompareOptions {
  const last = head.at(-1)
  return {
    ...(label === undefined ? {} : { acceptLabel: label }),
    ...(history && last
      ? { history: historyView(history.value, fingerprintOf(last), { branch: history.branch }) }
      : {})
  }
}

export interface Baseline {
  profiles: Profile[]
  run?: BaselineRun
  /** A Markdown line saying where the baseline came from. */
  description: string
  /** The history its artifact carried, and the branch whose pushes wrote it. */
  history?: { value: History; branch: string }
  /** Why its history could not be used (a warning; a fresh history starts). */
  historyProblem?: string
  /**
   * Newer baselines that could not be used (not downloaded, or without a readable profile; newest
   * first): the history this run saves continues the older one's, without their runs.
   */
  passedOver?: UnusableBaseline[]
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
      description: `Baseline: \`${inputs.baselinePath.replace(/[`\r\n]/g, '')}\` (${profiles.length} run${profiles.length === 1 ? '' : 's'}).`
    }
  }
  const branch = inputs.baselineBranch || context.baseRef || context.defaultBranch
  if (!branch)
    throw new ServiceError('cannot tell which branch holds the baseline: set `baseline-branch`')
  const octokit = deps.octokit(inputs.token)
  let search
  try {
    const workflow = context.workflow ?? (await workflowOfRun(deps, inputs, context, context.runId))
    search = await findBaseline(octokit, deps.artifacts(), {
      repo: context.repo,
      token: inputs.token,
      workflow,
      branch,
      artifactName: inputs.baselineArtifact,
      currentRunId: context.runId,
      downloadTo: await mkdtemp(join(context.temp, 'nsys-bench-baseline-')),
      // An artifact without a readable profile is passed over for the next older one.
      read: (run) => baselineFrom(context, branch, run)
    })
  } catch (error) {
    const status = (error as { status?: number }).status
    const hint =
      status === 403 || status === 404
        ? ' The token needs `actions: read` to list workflow runs and artifacts: add it to the `permissions:` block.'
        : ''
    throw new ServiceError(
      `could not look up the baseline on ${branch}: ${clip(errorMessage(error), 300)}.${hint}`,
      { cause: error }
    )
  }
  for (const note of search.notes) core.info(visible(note))
  const [newest] = search.unusable
  if ((!search.found || !search.value) && newest !== undefined)
    // A baseline exists: "no baseline yet" would be untrue, and a pass without a comparison.
    throw unusableBaseline(search.unusable, branch)
  if (search.found && newest !== undefined) {
    core.warning(
      visible(
        `A newer baseline ${passedOverVerb(newest)} (${newest.message}); this run compares with run ${search.found.runId} (${search.found.sha.slice(0, 7)}) instead.`
      ),
      { title: 'nsys-bench: baseline' }
    )
  }
  if (!search.found || !search.value) {
    const [expired] = search.expired
    const running = (code: (text: string) => string): string => {
      const sentence = inProgressSentence(search.inProgress, branch, code, false)
      return sentence === undefined ? '' : ` ${sentence}.`
    }
    const message = (
      branchName: string,
      artifact: string,
      code: (text: string) => string
    ): string =>
      expired === undefined
        ? `No baseline yet: no completed push run of this workflow on ${branchName} has a ${artifact} artifact ` +
          `(looked at ${search.looked} run${search.looked === 1 ? '' : 's'}).${running(code)} A push to the default branch running this workflow ` +
          '(or any push with `save-baseline: true`) saves one.'
        : `No baseline: the ${artifact} artifact${search.expired.length === 1 ? '' : 's'} of ${listed(search.expired, 3, (e) => e, ', ')} on ${branchName} expired (artifacts are kept for the repository's retention days), and no newer push run saved one, so nothing was compared.${running(code)} ` +
          'Push to the default branch, or re-run its latest workflow run, to save a new baseline.'
    const plain = (text: string): string => visible(clip(text, 200))
    if (expired === undefined)
      core.notice(message(plain(branch), inputs.baselineArtifact, plain), {
        title: 'nsys-bench: no baseline'
      })
    else
      core.warning(message(plain(branch), inputs.baselineArtifact, plain), {
        title: 'nsys-bench: baseline expired'
      })
    return {
      profiles: [],
      description: message(inlineCode(branch), inlineCode(inputs.baselineArtifact), inlineCode)
    }
  }
  const found = search.value
  const age = baselineAge(search.found, {
    branch,
    artifactName: inputs.baselineArtifact,
    withoutArtifact: search.withoutArtifact,
    inProgress: search.inProgress
  })
  if (age.line) found.description += ` ${age.line}`
  if (newest !== undefined)
    found.description += ` A newer baseline ${passedOverVerb(newest)} (${markdownText(clip(newest.message, 300))}).`
  if (age.warning !== undefined)
    core.warning(visible(age.warning), { title: 'nsys-bench: old baseline' })
  if (age.notice !== undefined) core.notice(visible(age.notice), { title: 'nsys-bench: baseline' })
  return newest !== undefined ? { ...found, passedOver: search.unusable } : found
}

/** The profiles of a downloaded baseline artifact, and the line that says where they came from. */
export async function baselineFrom(
  context: RunContext,
  branch: string,
  found: BaselineRun
): Promise<Baseline> {
  const profiles = await loadInput(found.dir)
  const sha = found.sha.slice(0, 7)
  const { history, problem } = await readHistory(found.dir)
  const baseline: Baseline = {
    profiles,
    run: found,
    description: `Baseline: [run #${found.runNumber}](${found.url}) of ${inlineCode(branch)} at [\`${sha}\`](${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/commit/${found.sha}) (${profiles.length} run${profiles.length === 1 ? '' : 's'}).`
  }
  if (history) baseline.history = { value: history, branch }
  if (problem !== undefined) baseline.historyProblem = problem
  return baseline
}

/** The workflow file of a run, from the API (when GITHUB_WORKFLOW_REF does not say). */
export async function workflowOfRun(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  runId: number
): Promise<string> {
  const { data } = await deps.octokit(inputs.token).rest.actions.getWorkflowRun({
    ...context.repo,
    run_id: runId
  })
  // `.github/workflows/bench.yml`, or with `@<ref>` after it (a called workflow): the file name.
  return basename(data.path.split('@')[0] ?? data.path)
}

/** Where head and base were measured: GPU, driver, CUDA, clocks, nsys version, runner. */
export function environment(head: readonly Profile[], base: readonly Profile[]): string[] {
  return [
    environmentLine('Head ran on', head.at(-1)),
    environmentLine('Base ran on', base.at(-1))
  ].filter((line): line is string => line !== undefined)
}

/**
 * A pull request's run that failed before a verdict still hands the `mode: comment` workflow a
 * results artifact, with the failure instead of profiles: there, as here, the sticky comment
 * then says that this commit has no verdict instead of keeping an older one.
 */
export async function archiveFailure(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  message: string
): Promise<void> {
  if (inputs.mode !== 'run' || context.pullNumber === undefined) return
  await mkdir(context.temp, { recursive: true })
  const dir = await mkdtemp(join(context.temp, 'nsys-bench-results-'))
  await writeResults(
    dir,
    {
      pullRequest: context.pullNumber,
      headSha: context.headSha ?? context.sha,
      commentId: inputs.commentId,
      name: inputs.name,
      failure: message,
      runAttempt: runAttemptOf(deps.env)
    },
    []
  )
  const uploaded = await uploadResults(deps, inputs, context, dir)
  // The step fails already: the clash is said beside the failure.
  if (uploaded.clash)
    deps.core.warning(uploaded.clash, { title: 'nsys-bench: artifact name clash' })
}

/** The results artifact, with the clash policy of results (results.ts, `resultsClash`). */
async function uploadResults(
  deps: Deps,
  inputs: Inputs,
  context: RunContext,
  dir: string
): Promise<{ clash?: string }> {
  const clash = resultsClash(
    (id, path) => deps.artifacts().downloadArtifact(id, { path }),
    context.temp,
    inputs.resultsArtifact,
    dir,
    runAttemptOf(deps.env)
  )
  const uploaded = await uploadDirectory(
    deps,
    inputs.resultsArtifact,
    dir,
    inputs.retentionDays,
    clash
  )
  return !uploaded.ok && uploaded.clash ? { clash: uploaded.clash } : {}
}

/** One run from its exported reports, with the notes about reports this nsys does not have. */
async function statsRun(exported: StatsExport): Promise<Profile> {
  const run = await loadStatsRun(exported.files)
  run.meta.notes.push(...exported.notes)
  return run
}
