import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { comparisonToRecord } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { canonicalKey, type Stat, type Table } from '../../src/profile/model.js'
import { profile } from '../support/profiles.js'
import { seededRandom } from '../support/random.js'

/**
 * Nothing lost, nothing counted twice, whatever kernels appear, disappear or change variant: for
 * generated sides drawn from kernel families that the comparison pairs as changed variants
 * (template arguments, Triton kernel indices, cuBLAS tile configurations) and plain names, one run
 * a side, every kernel of the inputs is in exactly one item of the record — as its name, or in its
 * variant's list — and the items' sides add up to the inputs' totals, worked out here.
 */

const FAMILIES: ((random: () => number) => string)[] = [
  (r) => `void gemm<${pick(r, [64, 128, 256])}, ${pick(r, [32, 64])}>(Params)`,
  (r) => `void flash::attn<${pick(r, ['true', 'false'])}, ${pick(r, [64, 128])}>(Flash_params)`,
  (r) => `triton_poi_fused_add_${pick(r, [0, 1, 2, 3])}`,
  (r) => `triton_red_fused_mean_mul_${pick(r, [0, 1, 2])}`,
  (r) => `ampere_sgemm_${pick(r, ['128x64', '64x64', '32x32', '128x128'])}_tn`,
  (r) =>
    `sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize${pick(r, ['128x128x64', '64x128x64', '64x64x64'])}_cublas`,
  (r) => `plain_kernel_${pick(r, [0, 1, 2, 3, 4, 5])}`
]

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!
}

function side(random: () => number): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {}
  const count = 1 + Math.floor(random() * 12)
  for (let i = 0; i < count; i++) {
    const name = pick(random, FAMILIES)(random)
    out[name] = [1 + Math.floor(random() * 1e6), 1 + Math.floor(random() * 100)]
  }
  return out
}

/** Changed variants the generated sides made: the test is about them. */
let variants = 0

describe('kernel identity conserves the kernels', () => {
  it.each(Array.from({ length: 300 }, (_, i) => 5000 + i))('seed %i', (seed) => {
    const random = seededRandom(seed)
    const base = side(random)
    const head = side(random)
    const record = comparisonToRecord(
      compareProfiles(
        [profile({ kernels: base })],
        [profile({ kernels: head })],
        buildRules(undefined)
      )
    ) as {
      tables: {
        kernels: {
          total: { baseNs: number; headNs: number }
          items: {
            name: string
            base: { totalNs: number; instances: number } | null
            head: { totalNs: number; instances: number } | null
            variant?: { base: string[]; head: string[] }
          }[]
        }
      }
    }
    const { items, total } = record.tables.kernels
    const sum = (rows: Record<string, [number, number]>, at: 0 | 1): number =>
      Object.values(rows).reduce((s, r) => s + r[at], 0)
    expect(total.baseNs).toBe(sum(base, 0))
    expect(total.headNs).toBe(sum(head, 0))
    expect(items.reduce((s, i) => s + (i.base?.totalNs ?? 0), 0)).toBe(sum(base, 0))
    expect(items.reduce((s, i) => s + (i.head?.totalNs ?? 0), 0)).toBe(sum(head, 0))
    expect(items.reduce((s, i) => s + (i.base?.instances ?? 0), 0)).toBe(sum(base, 1))
    expect(items.reduce((s, i) => s + (i.head?.instances ?? 0), 0)).toBe(sum(head, 1))
    for (const [which, rows] of [
      ['base', base],
      ['head', head]
    ] as const) {
      for (const [name, [ns]] of Object.entries(rows)) {
        const holders = items.filter((i) =>
          i.variant ? i.variant[which].includes(name) : i.name === name && i[which] !== null
        )
        expect(holders.length, `${which} ${name}: in one item`).toBe(1)
        const holder = holders[0]!
        // A lone kernel's item has its numbers; a variant's adds up its list.
        if (!holder.variant) expect(holder[which]!.totalNs).toBe(ns)
        else
          expect(holder[which]!.totalNs).toBe(
            holder.variant[which].reduce((s, n) => s + rows[n]![0], 0)
          )
      }
    }
    for (const item of items) expect(item.base !== null || item.head !== null).toBe(true)
    variants += items.filter((i) => i.variant).length
  })

  it('the generated sides made changed variants', () => {
    expect(variants).toBeGreaterThan(100)
  })
})

/**
 * A side in nsys's column format (names cut to 100 characters, `…` after them, rows whose cut
 * names collide merged: `sharedBy`) against a side with the full names: each full name joins
 * the cut item it begins like, and both sides' time is all there.
 */
describe('cut names conserve the kernels', () => {
  const STEM = `void cutlass::Kernel2<cutlass_80_tensorop_s16816gemm_relu_f16_${'x'.repeat(40)}_align`
  it.each(Array.from({ length: 100 }, (_, i) => 7000 + i))('seed %i', (seed) => {
    const random = seededRandom(seed)
    const full: Record<string, [number, number]> = {}
    const count = 1 + Math.floor(random() * 8)
    for (let i = 0; i < count; i++) {
      // Long names sharing their first 100 characters or not, and short ones never cut.
      const name =
        random() < 0.7
          ? `${STEM}${pick(random, [1, 2, 4, 8])}>(T1::Params)_${Math.floor(random() * 1e4)}`
          : `short_kernel_${Math.floor(random() * 20)}`
      full[name] = [1 + Math.floor(random() * 1e6), 1 + Math.floor(random() * 50)]
    }
    // The cut side: what the column format prints of a run of the same kernels.
    const cut = new Map<string, Stat>()
    for (const [name, [ns, n]] of Object.entries(full)) {
      const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name
      const was = cut.get(shown)
      cut.set(shown, {
        name: shown,
        total: (was?.total ?? 0) + ns,
        instances: (was?.instances ?? 0) + n,
        avg: 0,
        min: 0,
        max: 0,
        ...(name.length > 100 ? { truncated: true, sharedBy: (was?.sharedBy ?? 0) + 1 } : {})
      })
    }
    const cutSide = profile({})
    const table: Table = new Map()
    for (const [shown, stat] of cut) {
      stat.avg = stat.total / stat.instances
      stat.min = stat.avg
      stat.max = stat.avg
      table.set(canonicalKey('kernels', shown), stat)
    }
    cutSide.tables.kernels = table
    const fullSide = profile({ kernels: full })
    for (const [baseSide, headSide] of [
      [cutSide, fullSide],
      [fullSide, cutSide]
    ]) {
      const record = comparisonToRecord(
        compareProfiles([baseSide!], [headSide!], buildRules(undefined))
      ) as {
        tables: {
          kernels: {
            items: {
              base: { totalNs: number } | null
              head: { totalNs: number } | null
            }[]
          }
        }
      }
      const { items } = record.tables.kernels
      const all = Object.values(full).reduce((s, r) => s + r[0], 0)
      expect(items.reduce((s, i) => s + (i.base?.totalNs ?? 0), 0)).toBe(all)
      expect(items.reduce((s, i) => s + (i.head?.totalNs ?? 0), 0)).toBe(all)
      // The same kernels on both sides: every item has both (none reads as new or removed).
      for (const item of items) expect(item.base !== null && item.head !== null).toBe(true)
    }
  })
})
