import { describe, expect, it } from 'vitest'
import type { Comparison } from '../../src/compare/compare.js'
import { historyLine } from '../../src/render/history.js'

/**
 * The line on the history used names the head's GPU, profiler and version: text from the head's
 * profile (a profile JSON made elsewhere can hold any), shown escaped and of bounded length,
 * whatever its length, with the profiler still said after the GPU.
 */
function line(gpu: string, version = '2024'): string {
  const comparison = {
    history: {
      total: 6,
      comparable: 6,
      branch: 'main',
      fingerprint: { gpu, profiler: 'nsys', major: version, naming: 'demangled' }
    },
    rules: { auto: false }
  } as unknown as Comparison
  return historyLine(comparison) ?? ''
}

describe('the history line of the comment', () => {
  it('keeps a 100,000-character GPU name short, the profiler still shown', () => {
    const text = line(`NVIDIA ${'H'.repeat(100_000)}`)
    expect(text.length).toBeLessThanOrEqual(400)
    expect(text.startsWith('<sub>History: last 6 runs on `main`, same GPU (NVIDIA HHH')).toBe(true)
    expect(text.endsWith('), nsys 2024.</sub>')).toBe(true)
  })

  it('keeps a long profiler version short too', () => {
    const text = line('NVIDIA H100', '9'.repeat(50_000))
    expect(text.length).toBeLessThanOrEqual(400)
    expect(
      text.startsWith('<sub>History: last 6 runs on `main`, same GPU (NVIDIA H100), nsys 999')
    ).toBe(true)
  })

  it('escapes a hostile GPU name (shown as `\\u{202e}` once rendered)', () => {
    expect(line('<img src=x onerror=alert(1)>@team\u202e')).toBe(
      '<sub>History: last 6 runs on `main`, same GPU (&lt;img src=x onerror=alert(1)&gt;@&#8203;team\\\\u\\{202e\\}), nsys 2024.</sub>'
    )
  })
})
