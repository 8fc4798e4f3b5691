import { DEFAULT_HISTORY_LENGTH, MAX_HISTORY_LENGTH } from '../history/model.js'
import { UsageError } from '../errors.js'
import { INPUT_FORMATS, isInputFormat, type InputFormat } from '../load/sniff.js'
import { quoted } from '../text.js'
import { normalize } from 'node:path'

/** The part of @actions/core that reads inputs (passed in, so tests need no module mocks). */
export interface InputReader {
  getInput(name: string, options?: { required?: boolean; trimWhitespace?: boolean }): string
}

export const BASELINE_MODES = ['artifact', 'path', 'ab', 'none'] as const
export const COMMENT_MODES = ['always', 'on-regression', 'never'] as const
export const RUN_MODES = ['run', 'comment', 'aggregate'] as const
export const CAPTURE_RANGES = ['none', 'cudaProfilerApi', 'nvtx'] as const
export const SAVE_BASELINE = ['auto', 'true', 'false'] as const
export const GPU_MISMATCH = ['inconclusive', 'warn'] as const
export const ON_INCONCLUSIVE = ['fail', 'pass'] as const
/** Who profiles the benchmark in `mode: run` (rocprofv3 is read through `profile-path` for now). */
export const PROFILERS = ['nsys', 'torch', 'rocprofv3', 'none'] as const
/**
 * The inputs only `profiler: nsys` reads, with the defaults action.yml gives them: the runner
 * passes a default like any value, so only a value other than the default tells that one was set.
 */
const NSYS_ONLY = {
  nsys: 'nsys',
  trace: 'cuda,nvtx,osrt',
  'cuda-graph-trace': 'node',
  'capture-range': 'none',
  'nvtx-capture': '',
  'capture-range-end': '',
  'nsys-args': ''
} as const
/** An environment variable's name, as POSIX shells take it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/
/** The longest a self-hosted runner lets a job run: 5 days. */
export const MAX_TIMEOUT_MINUTES = 7200

/** Characters @actions/artifact refuses in an artifact name. */
const NOT_IN_ARTIFACT_NAMES = /["':<>|*?\r\n\\/]/

export interface Inputs {
  mode: (typeof RUN_MODES)[number]
  profiler: (typeof PROFILERS)[number]
  /** `profiler: torch`: variables set, besides NSYS_BENCH_TRACE_DIR, to each run's trace directory. */
  traceDirEnv: string[]
  command: string
  workingDirectory: string
  repetitions: number
  /** Adaptive repetitions (baseline: ab): at most this many runs a side; = repetitions: off. */
  maxRepetitions: number
  warmupRuns: number
  nsys: string
  /** `profiler: rocprofv3`: the executable (a name on PATH or a path). */
  rocprofv3: string
  trace: string
  cudaGraphTrace: string
  captureRange: (typeof CAPTURE_RANGES)[number]
  nvtxCapture: string
  captureRangeEnd: string
  nsysArgs: string
  timeoutMinutes: number
  profilePaths: string[]
  /** The format of what profile-path names (the CLI's --input-format); undefined: detected. */
  profileFormat: InputFormat | undefined
  baseline: (typeof BASELINE_MODES)[number]
  baselinePath: string
  baselineArtifact: string
  baselineBranch: string
  /** `baseline: ab`: the ref whose merge base with HEAD is the base (empty: the pull request's base branch). */
  abBaseRef: string
  /** `baseline: ab`: run once in each tree before any run (build, install); not profiled. */
  setup: string
  saveBaseline: (typeof SAVE_BASELINE)[number]
  reportArtifact: string
  resultsArtifact: string
  /** The artifact names before the `-<name>` suffix: mode aggregate finds each leg's by them. */
  baselinePrefix: string
  resultsPrefix: string
  /** Mode aggregate: the legs that must have left results (empty: the legs found). */
  expectedLegs: string[]
  retentionDays: number | undefined
  name: string
  comment: (typeof COMMENT_MODES)[number]
  commentId: string
  /** A percentage, or `auto` (each item's limit from its history, the fixed one as the floor). */
  threshold: number | 'auto' | undefined
  /** Runs the baseline's history keeps (docs/history.md). */
  historyLength: number
  minShare: number | undefined
  alpha: number | undefined
  rulesFile: string
  failOnRegression: boolean
  onInconclusive: (typeof ON_INCONCLUSIVE)[number]
  acceptLabel: string
  gpuMismatch: (typeof GPU_MISMATCH)[number] | undefined
  token: string
}

/** Reads and checks every input once, inside run(); a bad value names the input and what it takes. */
export function readInputs(core: InputReader): Inputs {
  const text = (name: string): string => core.getInput(name)
  const choice = <T extends readonly string[]>(
    name: string,
    allowed: T,
    fallback: T[number]
  ): T[number] => {
    const value = text(name) || fallback
    if (!allowed.includes(value))
      throw new UsageError(
        `input ${name} must be one of ${allowed.join(', ')}; got ${quoted(value, 60)}`
      )
    return value
  }
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name)
    const value = raw === '' ? fallback : Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(
        `input ${name} must be a whole number from ${min} to ${max}; got ${quoted(raw, 40)}`
      )
    }
    return value
  }
  const number = (name: string, min: number, max: number): number | undefined => {
    const raw = text(name)
    if (raw === '') return undefined
    const value = Number(raw)
    if (!Number.isFinite(value))
      throw new UsageError(`input ${name} must be a number; got ${quoted(raw, 40)}`)
    if (value < min) throw new UsageError(`input ${name} must be ≥ ${min}; got ${value}`)
    if (value > max) throw new UsageError(`input ${name} must be at most ${max}; got ${value}`)
    return value
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = text(name).toLowerCase()
    if (raw === '') return fallback
    if (raw === 'true') return true
    if (raw === 'false') return false
    throw new UsageError(`input ${name} must be true or false; got ${quoted(text(name), 40)}`)
  }
  const artifactName = (name: string, fallback: string, suffix: string): string => {
    const value = (text(name) || fallback) + suffix
    if (NOT_IN_ARTIFACT_NAMES.test(value)) {
      throw new UsageError(
        `input ${name} gives the artifact name ${quoted(value, 120)}, which may not contain " : < > | * ? \\ / or line breaks`
      )
    }
    return value
  }

  const legName = (input: string, name: string): string => {
    if (NOT_IN_ARTIFACT_NAMES.test(name) || name.length > 100) {
      throw new UsageError(
        `input ${input} ${quoted(name, 120)} is used in artifact names: at most 100 characters, without " : < > | * ? \\ / or line breaks`
      )
    }
    return name
  }
  const name = legName('name', text('name'))
  const suffix = name ? `-${name}` : ''
  const timeoutRaw = text('timeout-minutes')
  const timeoutMinutes = timeoutRaw === '' ? 60 : Number(timeoutRaw)
  if (!(timeoutMinutes > 0) || !(timeoutMinutes <= MAX_TIMEOUT_MINUTES)) {
    throw new UsageError(
      `input timeout-minutes must be a number of minutes above 0 and at most ${MAX_TIMEOUT_MINUTES} (5 days, the longest a job runs); got ${quoted(timeoutRaw, 40)}`
    )
  }
  const retention = text('retention-days')
  const retentionDays = retention === '' ? undefined : integer('retention-days', 0, 1, 400)

  const inputs: Inputs = {
    mode: choice('mode', RUN_MODES, 'run'),
    profiler: choice('profiler', PROFILERS, 'nsys'),
    traceDirEnv: traceDirEnv(text('trace-dir-env')),
    command: text('command'),
    workingDirectory: text('working-directory') || '.',
    repetitions: integer('repetitions', 1, 1, 100),
    maxRepetitions: 0,
    warmupRuns: integer('warmup-runs', 0, 0, 100),
    nsys: text('nsys') || 'nsys',
    rocprofv3: text('rocprofv3').trim() || 'rocprofv3',
    trace: text('trace') || 'cuda,nvtx,osrt',
    cudaGraphTrace: text('cuda-graph-trace') || 'node',
    captureRange: choice('capture-range', CAPTURE_RANGES, 'none'),
    nvtxCapture: text('nvtx-capture'),
    captureRangeEnd: text('capture-range-end'),
    nsysArgs: text('nsys-args'),
    timeoutMinutes,
    profilePaths: text('profile-path')
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean),
    profileFormat: profileFormat(text('profile-format')),
    // Empty: `path` when a baseline-path is given, else `artifact`.
    baseline: choice('baseline', BASELINE_MODES, text('baseline-path') ? 'path' : 'artifact'),
    baselinePath: text('baseline-path'),
    baselineArtifact: artifactName('baseline-artifact', 'nsys-bench-baseline', suffix),
    baselineBranch: text('baseline-branch'),
    abBaseRef: text('ab-base-ref').trim(),
    setup: text('setup'),
    saveBaseline: choice('save-baseline', SAVE_BASELINE, 'auto'),
    reportArtifact: artifactName('report-artifact', 'nsys-bench-report', suffix),
    resultsArtifact: artifactName('results-artifact', 'nsys-bench-results', suffix),
    baselinePrefix: artifactName('baseline-artifact', 'nsys-bench-baseline', ''),
    resultsPrefix: artifactName('results-artifact', 'nsys-bench-results', ''),
    expectedLegs: expectedLegs(text('expected-legs')).map((leg) => legName('expected-legs', leg)),
    retentionDays,
    name,
    comment: choice('comment', COMMENT_MODES, 'always'),
    commentId: text('comment-id') || name || 'default',
    threshold: threshold(text('threshold'), number),
    historyLength: integer('history-length', DEFAULT_HISTORY_LENGTH, 1, MAX_HISTORY_LENGTH),
    minShare: number('min-share', 0, 1000),
    alpha: number('alpha', Number.MIN_VALUE, 0.999999),
    rulesFile: text('rules-file'),
    failOnRegression: bool('fail-on-regression', true),
    onInconclusive: choice('on-inconclusive', ON_INCONCLUSIVE, 'fail'),
    acceptLabel: text('accept-label'),
    gpuMismatch: text('gpu-mismatch')
      ? choice('gpu-mismatch', GPU_MISMATCH, 'inconclusive')
      : undefined,
    token: text('github-token')
  }
  checkProfilePaths(inputs.profilePaths)
  if (inputs.mode === 'run') checkProfiler(inputs, text)
  else if (inputs.traceDirEnv.length > 0)
    throw new UsageError('trace-dir-env is read only by mode: run with profiler: torch: drop it')
  if (inputs.profileFormat !== undefined) checkProfileFormat(inputs, inputs.profileFormat)
  if (inputs.mode !== 'aggregate' && inputs.expectedLegs.length > 0) {
    throw new UsageError('expected-legs is read only by mode: aggregate: drop it, or set the mode')
  }
  const seen = new Set<string>()
  for (const leg of inputs.expectedLegs) {
    if (seen.has(leg))
      throw new UsageError(`input expected-legs names the leg ${quoted(leg, 120)} twice`)
    seen.add(leg)
  }
  if (inputs.baseline === 'path' && !inputs.baselinePath) {
    throw new UsageError(
      'baseline: path needs `baseline-path` (a profile JSON or an nsys stats directory in the workspace)'
    )
  }
  if (inputs.baseline !== 'path' && inputs.baselinePath) {
    throw new UsageError(
      `baseline-path is given but baseline is "${inputs.baseline}", which does not read it: drop \`baseline\` (baseline-path implies \`baseline: path\`) or the path`
    )
  }
  inputs.maxRepetitions = integer('max-repetitions', inputs.repetitions, 1, 100)
  if (inputs.maxRepetitions < inputs.repetitions) {
    throw new UsageError(
      `input max-repetitions (${inputs.maxRepetitions}) is below repetitions (${inputs.repetitions}): it is the most runs a side, repetitions the first look's`
    )
  }
  checkAb(inputs)
  if (inputs.captureRange === 'nvtx' && !inputs.nvtxCapture) {
    throw new UsageError(
      'capture-range: nvtx needs `nvtx-capture` (the range name, e.g. "benchmark" or "benchmark@domain")'
    )
  }
  if (inputs.captureRange !== 'none' && !inputs.captureRangeEnd) inputs.captureRangeEnd = 'stop'
  if (!/^[\w.-]{1,100}$/.test(inputs.commentId)) {
    throw new UsageError(
      `input comment-id must be 1 to 100 letters, digits, ".", "_" or "-"; got ${quoted(inputs.commentId, 120)}`
    )
  }
  return inputs
}

/** `baseline: ab` profiles both trees itself: it needs the command, and owns setup and ab-base-ref. */
function checkAb(inputs: Inputs): void {
  if (inputs.baseline !== 'ab') {
    const set = [
      ...(inputs.setup.trim() ? ['setup'] : []),
      ...(inputs.abBaseRef ? ['ab-base-ref'] : [])
    ]
    if (set.length > 0) {
      throw new UsageError(
        `${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} read only by baseline: ab (base and head profiled on this runner): drop ${set.length === 1 ? 'it' : 'them'}, or set \`baseline: ab\``
      )
    }
    checkAdaptive(inputs)
    return
  }
  if (inputs.mode !== 'run')
    throw new UsageError(
      `baseline: ab profiles both sides, so it needs mode: run; got mode: ${inputs.mode}`
    )
  if (inputs.profiler !== 'nsys' || !inputs.command || inputs.profilePaths.length > 0) {
    throw new UsageError(
      `baseline: ab runs \`command\` under nsys profile in both trees: it needs profiler: nsys and \`command\`, without \`profile-path\`${inputs.profiler === 'nsys' ? '' : ` (got profiler: ${inputs.profiler})`}`
    )
  }
  if (inputs.baselineBranch) {
    throw new UsageError(
      'baseline-branch names the branch whose artifact is the baseline (baseline: artifact); with baseline: ab give the ref to compare with in `ab-base-ref`'
    )
  }
}

/**
 * Adaptive repetitions against a fixed baseline add head runs: they need a baseline to compare
 * with and a benchmark this step runs (not reports read from `profile-path`).
 */
function checkAdaptive(inputs: Inputs): void {
  if (inputs.maxRepetitions <= inputs.repetitions) return
  if (inputs.mode !== 'run')
    throw new UsageError(
      `max-repetitions adds profiled runs, so it needs mode: run; got mode: ${inputs.mode}`
    )
  if (inputs.baseline === 'none')
    throw new UsageError(
      'max-repetitions adds runs until the comparison with the baseline is clear, and baseline: none compares with nothing: drop max-repetitions or choose a baseline'
    )
  if (!inputs.command || (inputs.profiler === 'nsys' && inputs.profilePaths.length > 0))
    throw new UsageError(
      'max-repetitions adds runs of `command`, and this step reads reports (`profile-path`) instead of running it: drop max-repetitions, or give `command` without `profile-path`'
    )
}

/** `profile-format`: one of the input formats, or empty (detected from each file's content). */
function profileFormat(raw: string): InputFormat | undefined {
  const value = raw.trim()
  if (value === '') return undefined
  if (!isInputFormat(value))
    throw new UsageError(
      `input profile-format must be one of ${INPUT_FORMATS.join(', ')}, or empty (detected from each file); got ${quoted(value, 60)}`
    )
  return value
}

/**
 * Each line of `profile-path` is a repetition: one path given twice would count one measurement
 * as two, and a significance test would take the copy for agreement.
 */
function checkProfilePaths(paths: readonly string[]): void {
  const seen = new Set<string>()
  for (const path of paths) {
    const key = normalize(path)
    if (seen.has(key))
      throw new UsageError(
        `profile-path lists ${quoted(path, 200)} twice: each line is a run of its own, and one profile read twice would count as two measurements. Give each run's profile once`
      )
    seen.add(key)
  }
}

/** `profile-format` names the format of `profile-path`: it goes with it, and fits what it names. */
function checkProfileFormat(inputs: Inputs, format: InputFormat): void {
  if (inputs.mode !== 'run' || inputs.profilePaths.length === 0)
    throw new UsageError(
      'profile-format names the format of `profile-path`, which this step does not read: drop profile-format, or give profile-path (mode: run)'
    )
  const report = inputs.profilePaths.find((p) => /\.(nsys-rep|qdrep|sqlite)$/i.test(p))
  if (report !== undefined && format !== 'nsys')
    throw new UsageError(
      `profile-format is ${format}, but profile-path ${quoted(report, 200)} is an Nsight Systems report, which nsys stats reads: drop profile-format, or give only files of that format`
    )
}

/** The inputs that go with each profiler, and those that conflict with it. */
function checkProfiler(inputs: Inputs, text: (name: string) => string): void {
  const { profiler } = inputs
  if (profiler !== 'nsys') {
    const set = Object.entries(NSYS_ONLY)
      .filter(([name, fallback]) => text(name).trim() !== '' && text(name).trim() !== fallback)
      .map(([name]) => name)
    if (set.length > 0) {
      throw new UsageError(
        `${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} read only by profiler: nsys, but profiler is ${profiler}: drop ${set.length === 1 ? 'it' : 'them'}, or use profiler: nsys`
      )
    }
  }
  if (profiler !== 'rocprofv3' && inputs.rocprofv3 !== 'rocprofv3') {
    throw new UsageError(
      `rocprofv3 (the executable) is read only by profiler: rocprofv3, but profiler is ${profiler}: drop it, or use profiler: rocprofv3`
    )
  }
  if (profiler !== 'torch' && inputs.traceDirEnv.length > 0) {
    throw new UsageError(
      `trace-dir-env is read only by profiler: torch, but profiler is ${profiler}: drop it, or use profiler: torch`
    )
  }
  switch (profiler) {
    case 'nsys':
      if (!inputs.command && inputs.profilePaths.length === 0) {
        throw new UsageError(
          'give the benchmark to profile in `command`, or existing reports in `profile-path`'
        )
      }
      if (inputs.command && inputs.profilePaths.length > 0)
        throw new UsageError('give either `command` or `profile-path`, not both')
      return
    case 'torch':
      if (inputs.profilePaths.length > 0) {
        throw new UsageError(
          'profiler: torch reads the traces the command writes into $NSYS_BENCH_TRACE_DIR, not `profile-path`: drop `profile-path` (to read existing traces without running anything, use profiler: nsys, the default, with `profile-path` alone)'
        )
      }
      if (!inputs.command)
        throw new UsageError(
          'profiler: torch needs `command`: the benchmark, which writes its PyTorch profiler trace into $NSYS_BENCH_TRACE_DIR'
        )
      return
    case 'rocprofv3':
      if (inputs.profilePaths.length > 0) {
        throw new UsageError(
          'profiler: rocprofv3 runs `command` under rocprofv3 and reads what it writes, not `profile-path`: drop `profile-path` (to read existing rocprofv3 output without running anything, use profiler: nsys, the default, with `profile-path` alone)'
        )
      }
      if (!inputs.command)
        throw new UsageError(
          'profiler: rocprofv3 needs `command`: the benchmark, which the action runs under rocprofv3 --kernel-trace --stats'
        )
      return
    case 'none':
      if (!inputs.command || inputs.profilePaths.length !== 1) {
        throw new UsageError(
          `profiler: none needs \`command\` (the benchmark, which profiles itself) and one \`profile-path\` (the profile each run writes, read after each run); got ${inputs.command ? 'a command' : 'no command'} and ${inputs.profilePaths.length} profile-path${inputs.profilePaths.length === 1 ? '' : 's'}`
        )
      }
      if (/\.(nsys-rep|qdrep|sqlite)$/i.test(inputs.profilePaths[0] ?? '')) {
        throw new UsageError(
          'profiler: none reads the profile as it is, and an nsys report needs nsys stats: use profiler: nsys (the default), which runs the command under nsys profile'
        )
      }
      return
  }
}

/** The names of `trace-dir-env`: one per line or comma separated, each an environment variable's. */
function traceDirEnv(raw: string): string[] {
  const names = raw
    .split(/[\n,]/)
    .map((name) => name.trim())
    .filter(Boolean)
  for (const name of names) {
    if (!ENV_NAME.test(name)) {
      throw new UsageError(
        `input trace-dir-env must list environment variable names (letters, digits and "_", not starting with a digit), one per line or comma separated; got ${quoted(name, 60)}`
      )
    }
    if (/^(?:PATH|HOME|PWD|SHELL|LD_\w*|GITHUB_\w*|RUNNER_\w*|INPUT_\w*|ACTIONS_\w*)$/.test(name)) {
      throw new UsageError(
        `input trace-dir-env names ${quoted(name, 60)}, which the runner or the shell owns: name the variable your framework reads for its trace directory (e.g. VLLM_TORCH_PROFILER_DIR)`
      )
    }
  }
  return [...new Set(names)]
}

/**
 * The legs of `expected-legs`: one per line, or a JSON array of strings (what
 * `${{ vars.LEGS }}` holds when the matrix reads the same variable with fromJSON).
 */
function expectedLegs(raw: string): string[] {
  const value = raw.trim()
  if (value.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(value)
    } catch {
      throw new UsageError(
        'input expected-legs starts with "[" but is not a JSON array: give a JSON array of names, or one name per line'
      )
    }
    if (!Array.isArray(parsed) || !parsed.every((x): x is string => typeof x === 'string'))
      throw new UsageError("input expected-legs must be a JSON array of strings (the legs' names)")
    return parsed.map((x) => x.trim()).filter(Boolean)
  }
  return value
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
}

/** What telling the pull request about a failure needs (see failureSettings). */
export type FailureSettings = Pick<Inputs, 'mode' | 'comment' | 'commentId' | 'name' | 'token'>

/**
 * The inputs a failure report needs, read leniently when readInputs() refused another input: an
 * existing sticky comment must still learn that this commit has no verdict. Undefined where they
 * are themselves unusable (then no comment is touched).
 */
export function failureSettings(core: InputReader): FailureSettings | undefined {
  const text = (name: string): string => core.getInput(name).trim()
  const mode = text('mode') || 'run'
  const comment = text('comment') || 'always'
  const name = text('name')
  const commentId = text('comment-id') || name || 'default'
  if (
    !(RUN_MODES as readonly string[]).includes(mode) ||
    !(COMMENT_MODES as readonly string[]).includes(comment) ||
    !/^[\w.-]{1,100}$/.test(commentId)
  )
    return undefined
  return {
    mode: mode as Inputs['mode'],
    comment: comment as Inputs['comment'],
    commentId,
    name,
    token: text('github-token')
  }
}

/** The threshold input: a percentage, or `auto`. */
function threshold(
  raw: string,
  number: (name: string, min: number, max: number) => number | undefined
): number | 'auto' | undefined {
  const value = raw.trim()
  if (value === 'auto') return 'auto'
  if (value !== '' && !Number.isFinite(Number(value)))
    throw new UsageError(
      `input threshold must be a percentage (e.g. 5) or auto; got ${quoted(raw, 40)}`
    )
  return number('threshold', 0, 1000)
}
