import type { Comparison } from '../compare/compare.js'
import type { Unit } from '../profile/model.js'

/**
 * Deterministic number formatting, shared by every renderer: the same input always gives the
 * same text (golden files depend on it).
 */

export function formatDuration(ns: number): string {
  const abs = Math.abs(ns)
  if (abs < 1e3) return `${Math.round(ns)} ns`
  if (abs < 1e6) return `${(ns / 1e3).toFixed(2)} µs`
  if (abs < 1e9) return `${(ns / 1e6).toFixed(2)} ms`
  return `${(ns / 1e9).toFixed(3)} s`
}

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes)
  if (abs < 1e3) return `${Math.round(bytes)} B`
  if (abs < 1e6) return `${(bytes / 1e3).toFixed(2)} kB`
  if (abs < 1e9) return `${(bytes / 1e6).toFixed(2)} MB`
  return `${(bytes / 1e9).toFixed(2)} GB`
}

/** A number of calls: `512 calls`, `1 call`, `512.5 calls` (a median of runs). */
export function formatCalls(n: number): string {
  return `${formatCount(n)} ${Math.abs(n) === 1 ? 'call' : 'calls'}`
}

export function formatValue(unit: Unit, value: number): string {
  if (unit === 'calls') return formatCalls(value)
  return unit === 'ns' ? formatDuration(value) : formatBytes(value)
}

/**
 * A signed difference: `+1.20 ms`, `-350 ns`, `0 ns`. One that rounds to nothing has no sign: a
 * median 0.3 ns lower reads `0 ns`, not `-0 ns`.
 */
export function formatDelta(unit: Unit, delta: number): string {
  const text = formatValue(unit, Math.abs(delta))
  if (!/[1-9]/.test(text)) return text
  if (delta > 0) return `+${text}`
  if (delta < 0) return `-${text}`
  return text
}

/** `+5.4%`, `-12.0%`, `0.0%`; `n/a` when there is no base to compare with. */
export function formatPercent(pct: number | null | undefined, digits = 1): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return 'n/a'
  const text = Math.abs(pct).toFixed(digits)
  if (Number(text) === 0) return `${(0).toFixed(digits)}%`
  return `${pct > 0 ? '+' : '-'}${text}%`
}

/** An unsigned share: `12.3%`. */
export function formatShare(pct: number): string {
  return `${pct.toFixed(1)}%`
}

export function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1)
}

export function formatP(p: number): string {
  if (p < 0.001) return '<0.001'
  return p.toFixed(3)
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

/**
 * How a comparison of one run a side judged its changes, for the method line of every report:
 * where kernels were tested launch by launch (compare/launches.ts), it says so.
 */
export function singleRunMethod(comparison: Comparison): string {
  const tested = comparison.tables.some((t) => t.items.some((i) => i.launches !== undefined))
  return tested
    ? 'one run a side: thresholds, then a launch-by-launch test of the kernels past them (GPU trace)'
    : 'one run a side: thresholds only, no significance test'
}
