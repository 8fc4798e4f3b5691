import { UsageError } from '../errors.js'

/** The part of @actions/core that reads inputs (passed in, so tests need no module mocks). */
export interface InputReader {
  getInput(name: string, options?: { required?: boolean; trimWhitespace?: boolean }): string
}

export const BASELINE_MODES = ['artifact', 'path', 'none'] as const
export const COMMENT_MODES = ['always', 'on-regression', 'never'] as const
export const RUN_MODES = ['run', 'comment'] as const
export const CAPTURE_RANGES = ['none', 'cudaProfilerApi', 'nvtx'] as const
export const SAVE_BASELINE = ['auto', 'true', 'false'] as const
export const GPU_MISMATCH = ['warn', 'fail'] as const

/** Characters @actions/artifact refuses in an artifact name. */
const NOT_IN_ARTIFACT_NAMES = /["':<>|*?\r\n\\/]/

export interface Inputs {
  mode: (typeof RUN_MODES)[number]
  command: string
  workingDirectory: string
  repetitions: number
  warmupRuns: number
  nsys: string
  trace: string
  cudaGraphTrace: string
  captureRange: (typeof CAPTURE_RANGES)[number]
  nvtxCapture: string
  captureRangeEnd: string
  nsysArgs: string
  timeoutMinutes: number
  profilePaths: string[]
  baseline: (typeof BASELINE_MODES)[number]
  baselinePath: string
  baselineArtifact: string
  baselineBranch: string
  saveBaseline: (typeof SAVE_BASELINE)[number]
  reportArtifact: string
  resultsArtifact: string
  retentionDays: number | undefined
  name: string
  comment: (typeof COMMENT_MODES)[number]
  commentId: string
  threshold: number | undefined
  minShare: number | undefined
  alpha: number | undefined
  rulesFile: string
  failOnRegression: boolean
  gpuMismatch: (typeof GPU_MISMATCH)[number]
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
      throw new UsageError(`input ${name} must be one of ${allowed.join(', ')}; got "${value}"`)
    return value
  }
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name)
    const value = raw === '' ? fallback : Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new UsageError(
        `input ${name} must be a whole number from ${min} to ${max}; got "${raw}"`
      )
    }
    return value
  }
  const number = (name: string): number | undefined => {
    const raw = text(name)
    if (raw === '') return undefined
    const value = Number(raw)
    if (!Number.isFinite(value))
      throw new UsageError(`input ${name} must be a number; got "${raw}"`)
    return value
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = text(name).toLowerCase()
    if (raw === '') return fallback
    if (raw === 'true') return true
    if (raw === 'false') return false
    throw new UsageError(`input ${name} must be true or false; got "${text(name)}"`)
  }
  const artifactName = (name: string, fallback: string, suffix: string): string => {
    const value = (text(name) || fallback) + suffix
    if (NOT_IN_ARTIFACT_NAMES.test(value)) {
      throw new UsageError(
        `input ${name} gives the artifact name "${value}", which may not contain " : < > | * ? \\ / or line breaks`
      )
    }
    return value
  }

  const name = text('name')
  if (NOT_IN_ARTIFACT_NAMES.test(name)) {
    throw new UsageError(
      `input name "${name}" is used in artifact names and may not contain " : < > | * ? \\ / or line breaks`
    )
  }
  const suffix = name ? `-${name}` : ''
  const timeoutRaw = text('timeout-minutes')
  const timeoutMinutes = timeoutRaw === '' ? 60 : Number(timeoutRaw)
  if (!(timeoutMinutes > 0) || !Number.isFinite(timeoutMinutes)) {
    throw new UsageError(`input timeout-minutes must be a positive number; got "${timeoutRaw}"`)
  }
  const retention = text('retention-days')
  const retentionDays = retention === '' ? undefined : integer('retention-days', 0, 1, 400)

  const inputs: Inputs = {
    mode: choice('mode', RUN_MODES, 'run'),
    command: text('command'),
    workingDirectory: text('working-directory') || '.',
    repetitions: integer('repetitions', 1, 1, 100),
    warmupRuns: integer('warmup-runs', 0, 0, 100),
    nsys: text('nsys') || 'nsys',
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
    baseline: choice('baseline', BASELINE_MODES, 'artifact'),
    baselinePath: text('baseline-path'),
    baselineArtifact: artifactName('baseline-artifact', 'nsys-bench-baseline', suffix),
    baselineBranch: text('baseline-branch'),
    saveBaseline: choice('save-baseline', SAVE_BASELINE, 'auto'),
    reportArtifact: artifactName('report-artifact', 'nsys-bench-report', suffix),
    resultsArtifact: artifactName('results-artifact', 'nsys-bench-results', suffix),
    retentionDays,
    name,
    comment: choice('comment', COMMENT_MODES, 'always'),
    commentId: text('comment-id') || name || 'default',
    threshold: number('threshold'),
    minShare: number('min-share'),
    alpha: number('alpha'),
    rulesFile: text('rules-file'),
    failOnRegression: bool('fail-on-regression', true),
    gpuMismatch: choice('gpu-mismatch', GPU_MISMATCH, 'warn'),
    token: text('github-token')
  }
  if (inputs.mode === 'run' && !inputs.command && inputs.profilePaths.length === 0) {
    throw new UsageError(
      'give the benchmark to profile in `command`, or existing reports in `profile-path`'
    )
  }
  if (inputs.command && inputs.profilePaths.length > 0) {
    throw new UsageError('give either `command` or `profile-path`, not both')
  }
  if (inputs.baseline === 'path' && !inputs.baselinePath) {
    throw new UsageError(
      'baseline: path needs `baseline-path` (a profile JSON or an nsys stats directory in the workspace)'
    )
  }
  if (inputs.captureRange === 'nvtx' && !inputs.nvtxCapture) {
    throw new UsageError(
      'capture-range: nvtx needs `nvtx-capture` (the range name, e.g. "benchmark" or "benchmark@domain")'
    )
  }
  if (inputs.captureRange !== 'none' && !inputs.captureRangeEnd) inputs.captureRangeEnd = 'stop'
  if (!/^[\w.-]+$/.test(inputs.commentId)) {
    throw new UsageError(
      `input comment-id must be letters, digits, ".", "_" or "-"; got "${inputs.commentId}"`
    )
  }
  return inputs
}
