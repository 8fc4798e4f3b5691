import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { demoProfiles } from '../../src/demo/demo.js'
import { renderHtml, type ReportData, type RowData } from '../../src/render/html.js'
import { HOSTILE_HTML, hostileHtmlComparison, LAUNCHES, largeRuns } from './html-fixtures.js'
import { PHASES, timelineComparison } from './html-timeline-fixture.js'

/** The text of the data element, and the report it holds (decoded by this test, not the code). */
function dataOf(html: string): {
  text: string
  encoding: string
  rows: RowData[]
  report: ReportData | undefined
} {
  const match = /<script type="application\/json" id="report-data">([^]*?)<\/script>/.exec(html)
  if (!match) throw new Error('no data element')
  const text = match[1] ?? ''
  const wrapper = JSON.parse(text) as { encoding: string; report?: ReportData; data?: string }
  const report =
    wrapper.encoding === 'json'
      ? wrapper.report
      : (JSON.parse(
          gunzipSync(Buffer.from(wrapper.data ?? '', 'base64')).toString('utf8')
        ) as ReportData)
  return { text, encoding: wrapper.encoding, rows: report?.tables[0]?.rows ?? [], report }
}

const hash = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

describe('renderHtml', () => {
  it('allows only its own inline script and style, by hash, and no request of any kind', async () => {
    const { base, head } = await demoProfiles(1)
    const html = renderHtml(compareProfiles(base, head, buildRules(undefined)))
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1]
    expect(policy).toBeDefined()
    const directives = new Map(
      (policy ?? '').split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/)
        return [name, values.join(' ')]
      })
    )
    const scripts = [...html.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1] ?? '')
    const styles = [...html.matchAll(/<style>([^]*?)<\/style>/g)].map((m) => m[1] ?? '')
    expect(scripts).toHaveLength(1)
    expect(styles).toHaveLength(1)
    expect(directives.get('default-src')).toBe("'none'")
    expect(directives.get('script-src')).toBe(hash(scripts[0] ?? ''))
    expect(directives.get('style-src')).toBe(hash(styles[0] ?? ''))
    expect(directives.get('base-uri')).toBe("'none'")
    expect(directives.get('require-trusted-types-for')).toBe("'script'")
    // Nothing that loads: no src/href/srcset/action attribute, no URL in the style.
    expect(html).not.toMatch(/\s(src|href|srcset|action|poster|data)\s*=/i)
    expect(styles[0]).not.toMatch(/url\(|@import/)
    // The script builds the page from data with DOM calls only: no HTML parsing, no eval.
    expect(scripts[0]).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/
    )
    // The policy comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'))
  })

  it('keeps hostile names out of the markup: the data element cannot be ended, every name is text', () => {
    const html = renderHtml(hostileHtmlComparison(), {
      name: '<b>leg</b>',
      context: ['"><script>alert(1)</script>']
    })
    const { text, encoding, rows } = dataOf(html)
    expect(encoding).toBe('json')
    // Nothing in the data element can end it or open a comment, nor break a line in old engines.
    expect(text).not.toMatch(/[<>\u2028\u2029]/)
    expect(html.match(/<script\b/g)).toHaveLength(2)
    expect(html.match(/<\/script>/g)).toHaveLength(2)
    expect(html).not.toMatch(/<(img|b|textarea|iframe|svg|a)\b/i)
    expect(html).toContain('&lt;b&gt;leg&lt;/b&gt;')
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
    const names = rows.map((r) => r.n)
    // Markup stays as it is (the script sets it as text); invisible characters are shown.
    for (const name of [
      '<script>alert(1)</script>',
      '</script><script>alert(2)</script>',
      '<img src=x onerror="window.pwned=1">',
      '</textarea><textarea>',
      '"quoted" and \'single\' &amp;',
      '<!-- comment',
      'nul\\u{0}byte',
      'bidi \\u{202e}evil\\u{202c} and zero\\u{200b}width',
      'line\\u{2028}separator\\u{2029}paragraph',
      'new\\u{a}line'
    ])
      expect(names).toContain(name)
    expect(names).toHaveLength(HOSTILE_HTML.length)
  })

  it('carries, per regressed or improved item, the values of its chart', async () => {
    const { base, head } = await demoProfiles(5)
    const comparison = compareProfiles(base, head, buildRules(undefined))
    const { rows } = dataOf(renderHtml(comparison))
    const kernels = comparison.tables.find((t) => t.table === 'kernels')
    const regressed = kernels?.items.find((i) => i.status === 'regressed')
    const chart = rows.find((r) => r.n === regressed?.name)?.g
    if (!chart) throw new Error('no chart for the regressed kernel')
    // Five runs a side: the per-run totals, as the comparison has them.
    expect(chart.b).toEqual(regressed?.samples?.base)
    expect(chart.h).toEqual(regressed?.samples?.head)
    expect(chart.b).toHaveLength(5)
    expect(chart.lo).toBeLessThanOrEqual(Math.min(...chart.b, ...chart.h))
    expect(chart.hi).toBeGreaterThanOrEqual(Math.max(...chart.b, ...chart.h))
    const unchanged = rows.filter((r) => r.s === 4)
    expect(unchanged.length).toBeGreaterThan(0)
    expect(unchanged.every((r) => r.g === undefined)).toBe(true)
  })

  it(
    'stays under a few MB for 20,000 kernels with long names, with or without the launch distributions of every one',
    { timeout: 120_000 },
    () => {
      // Compared without the sketches (the launch tests are not what this measures), drawn with.
      const plain = largeRuns(20_000)
      const comparison: Comparison = compareProfiles(plain.base, plain.head, buildRules(undefined))
      const runs = largeRuns(20_000, true)
      const html = renderHtml(comparison)
      // Measured: 0.78 MB (the JSON alone is 9.3 MB).
      expect(html.length).toBeLessThan(3 * 1024 * 1024)
      const { encoding, rows } = dataOf(html)
      expect(encoding).toBe('gzip+base64')
      expect(rows).toHaveLength(20_000)
      expect(rows.map((r) => r.n)).toEqual(comparison.tables[0]?.items.map((i) => i.name))
      expect(rows.every((r) => r.x === undefined)).toBe(true)

      const withLaunches = renderHtml(comparison, { runs })
      // Measured: 2.67 MB (17.7 MB of JSON). 200 launches a kernel spread at random over ±25 %:
      // real kernels, more regular, compress better.
      expect(withLaunches.length).toBeLessThan(3.5 * 1024 * 1024)
      const all = dataOf(withLaunches).rows
      expect(all).toHaveLength(20_000)
      for (const row of [all[0], all[9_999], all[19_999]]) {
        const l = row?.x?.l
        expect(l?.b?.reduce((a, b) => a + b, 0)).toBe(LAUNCHES)
        expect(l?.h?.reduce((a, b) => a + b, 0)).toBe(LAUNCHES)
      }
    }
  )

  it("bins each kernel's launches from the runs given, pooled over a side's runs", async () => {
    const { comparison, base, head } = await timelineComparison()
    const kernel = (rows: RowData[], name: string): RowData | undefined =>
      rows.find((r) => r.n === name)
    // Without the runs: no distributions (the comparison does not keep the sketches), but the
    // shapes and the launch test, which it does.
    const without = dataOf(renderHtml(comparison)).rows
    expect(kernel(without, 'gemm_bf16')?.x?.l).toBeUndefined()
    expect(kernel(without, 'gemm_bf16')?.x?.sh?.map((s) => s.n)).toEqual([
      '[grid 128×4×1, block 128×1×1]',
      '[grid 64×1×1, block 256×1×1]'
    ])
    expect(kernel(without, 'gemm_bf16')?.x?.lt).toMatch(
      /^Launch test \(signed-rank test on the launches paired by order, the k-th against the k-th, 40 → 40 launches\)/
    )
    expect(kernel(without, 'elementwise')?.x).toBeUndefined()

    // The fixture's launches a kernel: 50, 40, 100, 100 and 5 a side.
    const rows = dataOf(renderHtml(comparison, { runs: { base, head } })).rows
    const launches = { 'flash_attn_fwd<128>': 50, gemm_bf16: 40, rms_norm: 100, elementwise: 100 }
    for (const [name, n] of Object.entries(launches)) {
      const l = kernel(rows, name)?.x?.l
      expect(
        l?.b?.reduce((a, b) => a + b, 0),
        name
      ).toBe(n)
      expect(
        l?.h?.reduce((a, b) => a + b, 0),
        name
      ).toBe(n)
      expect(l?.q[0], name).toEqual(['launches', String(n), String(n), ''])
      // Ticks inside the axis, in order, the ends first and last.
      const at = l?.t.map(([p]) => p) ?? []
      expect(at[0]).toBe(0)
      expect(at.at(-1)).toBe(1)
      expect([...at].sort((a, b) => a - b)).toEqual(at)
    }
    // elementwise: every launch 1,000 ns, one bar a side.
    const flat = kernel(rows, 'elementwise')?.x?.l
    expect(flat?.b?.filter((n) => n > 0)).toEqual([100])

    // Two base runs: the base's launches pooled (twice each), the head's as they were.
    const pooled = dataOf(renderHtml(comparison, { runs: { base: [...base, ...base], head } })).rows
    const l = kernel(pooled, 'rms_norm')?.x?.l
    expect(l?.b?.reduce((a, b) => a + b, 0)).toBe(200)
    expect(l?.h?.reduce((a, b) => a + b, 0)).toBe(100)
    // A side with a run without a trace: no distribution for that side, said so.
    const noTrace = { ...base[0]!, launches: undefined }
    const half = dataOf(renderHtml(comparison, { runs: { base: [noTrace], head } })).rows
    const one = kernel(half, 'rms_norm')?.x?.l
    expect(one?.b).toBeNull()
    expect(one?.h?.reduce((a, b) => a + b, 0)).toBe(100)
    expect(one?.q[0]).toEqual(['launches', 'no trace', '100', ''])
  })

  it('carries the GPU timeline and the NVTX phases of the comparison', async () => {
    const { comparison } = await timelineComparison()
    const { report } = dataOf(renderHtml(comparison))
    const device = report?.timeline?.devices[0]
    expect(report?.timeline?.devices).toHaveLength(1)
    // Both lanes on the head's (longer) window: 5,859,750 ns against the base's 4,200,750.
    expect(device?.lanes.map((l) => l.side)).toEqual(['base', 'head'])
    expect(device?.lanes[1]?.w).toBe(1)
    expect(device?.lanes[0]?.w).toBeCloseTo(4_200_750 / 5_859_750, 9)
    // The head's longest gap (3 ms) starts after everything but the five hostile launches: at
    // the window's end less those (5 × 2,000 and four 1 µs gaps) and itself.
    const gap = device?.lanes[1]?.g[0]
    expect(gap?.w).toBeCloseTo(3_000_000 / 5_859_750, 9)
    expect(gap?.x).toBeCloseTo((5_859_750 - 10_000 - 4_000 - 3_000_000) / 5_859_750, 9)
    // The phases in the comparison's order, per occurrence.
    const phases = report?.phases?.rows.map((r) => [r.n, r.b, r.h])
    expect(phases).toEqual([
      ['prefill', 200_000, 230_000],
      [PHASES[2]!.name, 50_000, 40_000],
      ['decode', 100_000, 100_000]
    ])
    expect(report?.phases?.max).toBe(230_000)
  })

  it('writes out invisible characters in the names of the timeline and the phases', async () => {
    const { comparison } = await timelineComparison()
    const gap = comparison.timeline!.head!.devices[0]!.top[0]!
    gap.before = { name: 'norm\u202Eevil\u202C', stream: 7 }
    const phase = comparison.tables.find((t) => t.table === 'nvtxGpu')!.items[0]!
    phase.name = 'pre\u0000fill\u200B'
    const { report } = dataOf(renderHtml(comparison))
    expect(report?.timeline?.devices[0]?.gaps[0]?.[4]).toBe('norm\\u{202e}evil\\u{202c} (stream 7)')
    expect(report?.timeline?.devices[0]?.lanes[1]?.g[0]?.t).toContain(
      'after norm\\u{202e}evil\\u{202c} (stream 7)'
    )
    expect(report?.phases?.rows[0]?.n).toBe('pre\\u{0}fill\\u{200b}')
  })

  it('holds the same report whether the data is gzipped or not', async () => {
    const { base, head } = await demoProfiles(3)
    const comparison = compareProfiles(base, head, buildRules(undefined))
    const plain = dataOf(renderHtml(comparison))
    const packed = dataOf(renderHtml(comparison, { compressAbove: 0 }))
    expect(plain.encoding).toBe('json')
    expect(packed.encoding).toBe('gzip+base64')
    expect(packed.rows).toEqual(plain.rows)
    expect(plain.rows.length).toBeGreaterThan(10)
  })
})
