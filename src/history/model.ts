import type { TableName } from '../profile/model.js'

/**
 * The history the baseline artifact carries (docs/history.md): one entry per push that saved a
 * baseline, oldest first, capped at `history-length`, and per item of every compared table the
 * series of what each of those runs measured. Pure data: the action only moves the file.
 */
export const HISTORY_KIND = 'nsys-bench/history'
export const HISTORY_VERSION = 1
/** The file beside the baseline's `run-N.json` profiles (gzip: see docs/history.md, "Size"). */
export const HISTORY_FILE = 'history.json.gz'
export const DEFAULT_HISTORY_LENGTH = 50
/** The longest history kept, whatever `history-length` says. */
export const MAX_HISTORY_LENGTH = 500

/**
 * Where a run was measured: only runs with the same fingerprint are compared (a band learned on
 * an A100 says nothing about an H100; nsys majors name kernels differently).
 */
export interface Fingerprint {
  /** The first GPU's model as nvidia-smi names it; empty when unknown. */
  gpu: string
  /** `nsys`, `torch`, `rocprofv3`, … */
  profiler: string
  /** The profiler's major version (`2024`); empty when unknown. */
  major: string
  /** The kernel naming (`demangled`, `base`, …). */
  naming: string
}

export interface HistoryRun extends Fingerprint {
  /** The commit measured. */
  sha: string
  /** When it was measured (ISO 8601). */
  date: string
  /** Repetitions of the run (profiles the medians were taken over). */
  repetitions: number
}

/** One item's series, aligned with `History.runs`: null where a run did not have the item. */
export interface Series {
  /** The display name (the newest run's). */
  name: string
  /** The compared value (total, or per occurrence): the median over the run's repetitions. */
  value: (number | null)[]
  /** Its spread over the repetitions: the median absolute deviation (0 with one repetition). */
  spread: (number | null)[]
  /** Instances (occurrences for a per-occurrence table): the median over the repetitions. */
  count: (number | null)[]
}

export interface History {
  runs: HistoryRun[]
  /** Per table, per canonical key. */
  tables: Partial<Record<TableName, Map<string, Series>>>
}

export function emptyHistory(): History {
  return { runs: [], tables: {} }
}

/** Whether two runs were measured alike (same GPU model, profiler and major, naming). */
export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return (
    a.gpu === b.gpu && a.profiler === b.profiler && a.major === b.major && a.naming === b.naming
  )
}

/** "same GPU (NVIDIA H100 80GB HBM3), nsys 2024": what comparable means, for the reports. */
export function describeFingerprint(f: Fingerprint): string {
  const gpu = f.gpu ? `same GPU (${f.gpu})` : 'GPU unknown'
  const profiler = f.major ? `${f.profiler} ${f.major}` : f.profiler
  return `${gpu}, ${profiler}`
}
