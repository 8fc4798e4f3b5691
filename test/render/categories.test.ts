import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { categoryLineMarkdown, categoryLineText } from '../../src/render/categories.js'
import { renderMarkdown } from '../../src/render/markdown.js'
import { renderText } from '../../src/render/text.js'
import { profile } from '../support/profiles.js'

/** The one-line breakdown by category that leads the comment and the CLI's text. */

const base = profile({
  kernels: {
    ampere_sgemm_128x64_tn: [10_000_000, 100],
    'void flash::flash_fwd_kernel<x>(flash::Flash_fwd_params)': [4_000_000, 100],
    'ncclDevKernel_AllReduce_Sum_bf16_RING_LL(x)': [2_000_000, 100]
  }
})
const head = profile({
  kernels: {
    ampere_sgemm_128x64_tn: [10_000_000, 100],
    'void flash::flash_fwd_kernel<x>(flash::Flash_fwd_params)': [5_000_000, 100],
    triton_red_fused__to_copy_add_mean_mul_pow_rsqrt_0: [500_000, 100]
  }
})

describe('the category line', () => {
  const c = compareProfiles([base], [head], buildRules(undefined))

  it('lists every category, largest first, with its change; changed ones stand out', () => {
    // GEMM 10 ms → 10 ms; attention 4 → 5 ms (+25 %); communication 2 ms → none; normalisation
    // none → 0.5 ms.
    expect(categoryLineMarkdown(c)).toBe(
      '**By category:** GEMM 0.0% · **attention** +25.0% (+1.00 ms) · communication removed (-2.00 ms) · normalisation new (500.00 µs)'
    )
    expect(categoryLineText(c)).toBe(
      'By category: GEMM 0.0%, attention +25.0% (+1.00 ms), communication removed (-2.00 ms), normalisation new (500.00 µs)'
    )
  })

  it('leads the reports, under the headline', () => {
    const markdown = renderMarkdown(c)
    const lines = markdown.split('\n')
    // The heading, the reason for a regression, then the headline and the line under it.
    const headline = lines.findIndex((l) => /^\*\*Total GPU kernel time:\*\*/.test(l))
    expect(lines.slice(0, headline).join('\n')).toMatch(/^### .*\n\n> \[!IMPORTANT\]\n> .*\n$/)
    expect(lines[headline + 2]).toBe(categoryLineMarkdown(c))
    // No second list of category regressions: the line says it.
    expect(markdown).not.toContain('regressions in GPU time by category')
    const text = renderText(c).split('\n')
    const total = text.findIndex((l) => l.startsWith('Total GPU kernel time:'))
    expect(total).toBeGreaterThan(0)
    expect(text[total + 1]).toBe(categoryLineText(c))
  })

  it('is absent without a categories table', () => {
    const c2 = compareProfiles(
      [profile({ nvtx: { step: 10 } })],
      [profile({ nvtx: { step: 10 } })],
      buildRules({ tables: { nvtx: { gate: true } } })
    )
    expect(categoryLineMarkdown(c2)).toBeUndefined()
    expect(renderText(c2)).not.toContain('By category')
  })

  it("escapes a rules file's category names (hostile input)", () => {
    const rules = buildRules({
      categories: [
        { match: 'gemm', category: '<img src=x onerror=alert(1)>|@octocat **x** \u001b[31m' }
      ]
    })
    const hostile = compareProfiles([base], [head], rules)
    const line = categoryLineMarkdown(hostile) ?? ''
    expect(line).toContain('&lt;img src=x onerror=alert(1)&gt;\\|@&#8203;octocat \\*\\*x\\*\\*')
    expect(line).not.toContain('<img')
    expect(categoryLineText(hostile)).not.toContain('\u001b')
  })
})
