import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { expect } from 'vitest'
import { FIXTURES } from './paths.js'

/** The real H200 traces (test/fixtures/torch-h200, its README says what each folder holds). */
export const H200 = join(FIXTURES, 'torch-h200')

/** A variant folder's runs, run-0 first (each `run-N` holds one trace: one run). */
export function runFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((d) => /^run-\d+$/.test(d))
    .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    .map((d) => join(dir, d))
}

/** The one trace of a run folder. */
export function traceOf(run: string): string {
  const files = readdirSync(run).filter((f) => f.endsWith('.pt.trace.json.gz'))
  expect(files).toHaveLength(1)
  return join(run, files[0]!)
}

/** The median of the per-run values (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** A GPU activity of a trace: its start and end, ns. */
export interface Span {
  start: number
  end: number
}

/**
 * The union of the spans' intervals (the GPU's busy time, over all streams) and their window
 * (first start to last end), ns: the independent reader's, for the tests.
 */
export function busyAndWindow(spans: readonly Span[]): { busy: number; window: number } {
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  let busy = 0
  let from = sorted[0]!.start
  let to = sorted[0]!.end
  let last = to
  for (const { start, end } of sorted.slice(1)) {
    if (start > to) {
      busy += to - from
      from = start
      to = end
    } else to = Math.max(to, end)
    last = Math.max(last, end)
  }
  return { busy: busy + to - from, window: last - sorted[0]!.start }
}

/** A Chrome trace event, as far as these tests read it. */
export interface TraceEvent {
  ph?: string
  cat?: string
  name: string
  ts: number
  dur: number
  args?: { stream?: number; correlation?: number }
}

/** The events of a run folder's one trace (gunzipped and parsed here, not by nsys-bench). */
export function traceEvents(run: string): TraceEvent[] {
  const trace = JSON.parse(gunzipSync(readFileSync(traceOf(run))).toString('utf8')) as {
    traceEvents: TraceEvent[]
  }
  return trace.traceEvents
}
