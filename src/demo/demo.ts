import { assembleProfile, parseNsysStats } from '../parse/nsys/index.js'
import type { Profile, Stat, Table } from '../profile/model.js'
import { TOOL } from '../version.js'
import { BASELINE_CAPTURE, HEAD_CAPTURE } from './data.js'

/**
 * The demo's baseline and head: the embedded captures, parsed by the real parser. With runs > 1,
 * each side becomes that many runs with deterministic ±1 % run-to-run jitter per item, so the
 * statistics (medians, Mann–Whitney, confidence intervals) have something to work on.
 */
export async function demoProfiles(runs: number): Promise<{ base: Profile[]; head: Profile[] }> {
  const base = await parseCapture(BASELINE_CAPTURE, 'demo/baseline.txt')
  const head = await parseCapture(HEAD_CAPTURE, 'demo/head.txt')
  if (runs === 1) return { base: [base], head: [head] }
  const random = mulberry32(0x5eed)
  const jitter = (profile: Profile): Profile[] =>
    Array.from({ length: runs }, () => ({
      meta: profile.meta,
      tables: Object.fromEntries(
        Object.entries(profile.tables).map(([name, table]) => [name, jitterTable(table, random)])
      )
    }))
  return { base: jitter(base), head: jitter(head) }
}

async function parseCapture(text: string, source: string): Promise<Profile> {
  const result = await parseNsysStats([text], { source })
  return assembleProfile([result], TOOL, source)
}

function jitterTable(table: Table, random: () => number): Table {
  const out: Table = new Map()
  for (const [key, stat] of table) {
    const f = 1 + (random() * 2 - 1) * 0.01
    const scaled: Stat = {
      ...stat,
      total: Math.round(stat.total * f),
      avg: stat.avg * f,
      min: stat.min * f,
      max: stat.max * f
    }
    out.set(key, scaled)
  }
  return out
}

/** A small deterministic PRNG (public domain), so the demo prints the same report every time. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
