import { createHash } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { demoProfiles } from '../../src/demo/demo.js'
import { renderHtml, type ReportData, type RowData } from '../../src/render/html.js'
import { HOSTILE_HTML, hostileHtmlComparison, largeComparison } from './html-fixtures.js'

/** The text of the data element, and the report it holds (decoded by this test, not the code). */
function dataOf(html: string): { text: string; encoding: string; rows: RowData[] } {
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
  return { text, encoding: wrapper.encoding, rows: report?.tables[0]?.rows ?? [] }
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
    'stays small for 20,000 kernels with long names: the data is gzipped',
    { timeout: 120_000 },
    () => {
      const comparison: Comparison = largeComparison(20_000)
      const html = renderHtml(comparison)
      // Measured: 0.76 MB (the JSON alone is 9.3 MB).
      expect(html.length).toBeLessThan(3 * 1024 * 1024)
      const { encoding, rows } = dataOf(html)
      expect(encoding).toBe('gzip+base64')
      expect(rows).toHaveLength(20_000)
      expect(rows.map((r) => r.n)).toEqual(comparison.tables[0]?.items.map((i) => i.name))
    }
  )

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
