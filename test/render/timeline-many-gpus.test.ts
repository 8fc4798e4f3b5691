import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import type { GpuTimeline } from '../../src/profile/timeline.js'
import { COMMENT_LIMIT, renderMarkdown } from '../../src/render/markdown.js'
import { checkTables, renderHtml } from '../fuzz/check-markdown.js'
import { profile } from '../support/profiles.js'

/**
 * The GPU timeline of a large distributed run (one trace per rank, 1,024 ranks): its table of
 * GPUs is trimmed like the other tables, so that the comment keeps its verdict and regressions.
 */
const GPUS = 1024

/** Each GPU busy for 10 ms less `idle(d)`; GPU 1000 idles 5 ms longer in the head than the rest. */
function timeline(idle: (device: number) => number): GpuTimeline {
  return {
    devices: Array.from({ length: GPUS }, (_, device) => ({
      device,
      rank: device,
      window: 10_000_000,
      busy: 10_000_000 - idle(device),
      idle: idle(device),
      activities: 100,
      gaps: [0, 1, 2, 3].map(() => ({ count: 2, total: idle(device) / 4, min: 1, max: 1 })),
      top: [{ start: 0, duration: idle(device) / 4, before: { name: 'a' }, after: { name: 'b' } }],
      late: 0
    }))
  }
}

describe('a comparison of 1,024 GPUs', () => {
  const base = profile({ kernels: { gemm: 1_000_000, attn: 1_000_000 } })
  base.timeline = timeline(() => 1_000_000)
  const head = profile({ kernels: { gemm: 2_000_000, attn: 1_000_000 } })
  head.timeline = timeline((d) => (d === 1000 ? 6_000_000 : 2_000_000))
  const comparison = compareProfiles([base], [head], buildRules(undefined))
  const markdown = renderMarkdown(comparison, { maxChars: COMMENT_LIMIT, fullReport: 'ART' })

  it('keeps the regressions in the comment: the GPU table is trimmed, not the report', () => {
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(markdown.split('\n')[0]).toBe('### ❌ nsys-bench: GPU performance regression')
    expect(markdown).toContain('#### Regressions (1)')
    expect(markdown).toMatch(/^\| `gemm` \| 1\.00 ms \| 2\.00 ms \|/m)
    const html = renderHtml(markdown)
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length)
    expect(checkTables(markdown)).toEqual([])
  })

  it('says how many GPUs it left out, and shows the one whose idle time grew the most', () => {
    const block = markdown.slice(markdown.indexOf('<summary>GPU timeline'))
    const start = block.indexOf('| GPU | Window')
    const table = block.slice(start, block.indexOf('\n\n', start))
    const rows = table.split('\n').slice(2)
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThan(GPUS)
    const left = /^_(\d+) more GPUs not shown/m.exec(block)?.[1]
    expect(Number(left)).toBe(GPUS - rows.length)
    expect(rows.some((row) => row.startsWith('| 1000 (rank 1000) |'))).toBe(true)
  })
})
