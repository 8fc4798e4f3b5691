import type { TableName } from '../profile/model.js'
import { clip } from '../text.js'

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

/** The longest field of a run (sha, date, GPU, profiler, major, naming) a history file holds. */
export const MAX_RUN_TEXT = 1000

/** A run's text field as a history file holds it: cut to MAX_RUN_TEXT (the cut marked `…`). */
export function storableText(text: string): string {
  return text.length <= MAX_RUN_TEXT ? text : clip(text, MAX_RUN_TEXT - 1)
}

/**
 * A run as a history file holds it (codec.ts reads nothing else back): its fields cut to
 * MAX_RUN_TEXT, a date that is not one replaced by `now` (a profile JSON made elsewhere keeps its
 * `createdAt`, any text; the history is written as the run ends), repetitions from 1 to 1000.
 */
export function storableRun(
  run: HistoryRun,
  now: () => string = () => new Date().toISOString()
): HistoryRun {
  const date = storableText(run.date)
  return {
    sha: storableText(run.sha),
    date: Number.isNaN(Date.parse(date)) ? now() : date,
    gpu: storableText(run.gpu),
    profiler: storableText(run.profiler),
    major: storableText(run.major),
    naming: storableText(run.naming),
    repetitions: Math.min(1000, Math.max(1, Math.round(run.repetitions) || 1))
  }
}

/**
 * A measure as a history file holds it: whole units (ns, bytes, calls: a fraction of one is below
 * any profiler's resolution), null for no value and for one no file holds (codec.ts reads finite
 * numbers from 0 to 2^53 only). The writer stores this; the drift check of a push reads the run it
 * appends through it too, so that it judges what the saved history says.
 */
export function storableValue(value: number | null | undefined): number | null {
  if (value === null || value === undefined) return null
  const rounded = Math.round(value)
  return Number.isFinite(rounded) && rounded >= 0 && rounded <= Number.MAX_SAFE_INTEGER
    ? rounded
    : null
}

/** Whether two runs were measured alike (same GPU model, profiler and major, naming). */
export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return (
    a.gpu === b.gpu && a.profiler === b.profiler && a.major === b.major && a.naming === b.naming
  )
}

/**
 * "same GPU (NVIDIA H100 80GB HBM3), nsys 2024": what comparable means, for the reports. Of
 * bounded length (the head's profile names the GPU and the version: any text, in a profile JSON
 * made elsewhere); the caller escapes it.
 */
export function describeFingerprint(f: Fingerprint): string {
  const gpu = f.gpu ? `same GPU (${clip(f.gpu, 120)})` : 'GPU unknown'
  const profiler = f.major ? `${clip(f.profiler, 40)} ${clip(f.major, 40)}` : clip(f.profiler, 40)
  return `${gpu}, ${profiler}`
}
