import { describe, expect, it } from 'vitest'
import { buildRules, resolveLimits } from '../../src/compare/rules.js'

describe('rules', () => {
  it('has the documented defaults', () => {
    const rules = buildRules(undefined)
    expect(rules.alpha).toBe(0.05)
    expect(rules.tables.kernels).toEqual({
      threshold: 5,
      minShare: 0.1,
      direction: 'lower-is-better',
      gate: true,
      gateTotal: true
    })
    expect(rules.tables.memTime.gate).toBe(true)
    for (const table of ['memSize', 'cudaApi', 'nvtx', 'osrt', 'categories', 'hostApi'] as const)
      expect(rules.tables[table].gate).toBe(false)
    // Host synchronisations gate, on counts with a floor of 4 calls instead of a share.
    expect(rules.tables.hostSyncs).toEqual({
      threshold: 5,
      minShare: 0.1,
      minDelta: 4,
      direction: 'lower-is-better',
      gate: true,
      gateTotal: false
    })
    expect(rules.categories).toEqual([])
  })

  it('applies precedence: defaults < file top level < flags < file tables < file rules', () => {
    const rules = buildRules(
      {
        threshold: 7,
        minShare: 0.5,
        tables: { cudaApi: { threshold: 20 } },
        rules: [{ table: 'kernels', match: 'nccl', threshold: 30 }]
      },
      { threshold: 9 }
    )
    expect(rules.tables.kernels.threshold).toBe(9)
    expect(rules.tables.kernels.minShare).toBe(0.5)
    expect(rules.tables.cudaApi.threshold).toBe(20)
    expect(resolveLimits(rules, 'kernels', ['ncclDevKernel_AllReduce', 'x']).threshold).toBe(30)
    expect(resolveLimits(rules, 'memTime', ['nccl', 'nccl']).threshold).toBe(9)
  })

  const bad: [string, unknown, RegExp][] = [
    [
      'an unknown top-level setting (a typo must not silently do nothing)',
      { treshold: 5 },
      /unknown setting "treshold"/
    ],
    ['an unknown table', { tables: { kernel: {} } }, /unknown table "kernel"/],
    [
      'an unknown rule setting',
      { rules: [{ match: 'x', thresold: 1 }] },
      /unknown setting "rules\[0\]\.thresold"/
    ],
    [
      'a bad regular expression',
      { rules: [{ match: '(' }] },
      /"rules\[0\]\.match": "\(" is not a regular expression nsys-bench accepts \(error parsing regexp: missing closing \)/
    ],
    [
      'a pattern RE2 cannot run in linear time (a back-reference)',
      { ignore: ['(a)\\1'] },
      /"ignore\[0\]": .*RE2 syntax: no look-ahead or look-behind, no back-references/
    ],
    [
      'a pattern nested too deeply',
      { rules: [{ match: `${'('.repeat(2000)}a${')'.repeat(2000)}` }] },
      /at most 1000 are accepted/
    ],
    [
      'an acceptance without a reason',
      { accept: [{ pattern: 'gemm', until: '2026-12-31' }] },
      /"accept\[0\]\.reason" must say why/
    ],
    [
      'an acceptance that never ends',
      { accept: [{ pattern: 'gemm', reason: 'known' }] },
      /"accept\[0\]\.until" must be the last day .*YYYY-MM-DD/
    ],
    [
      'an acceptance with an impossible date',
      { accept: [{ pattern: 'gemm', reason: 'known', until: '2026-02-30' }] },
      /"accept\[0\]\.until" must be the last day/
    ],
    [
      'a family without a name',
      { families: [{ match: '^gemm' }] },
      /"families\[0\]\.family" must name the family/
    ],
    [
      'a check threshold out of range',
      { checks: { minMatchedShare: 150 } },
      /"checks\.minMatchedShare" must be a percentage from 0 to 100/
    ],
    ['an unknown check', { checks: { minMatch: 50 } }, /unknown setting "checks\.minMatch"/],
    [
      'a rule without a pattern',
      { rules: [{ threshold: 1 }] },
      /"rules\[0\]\.match" must be a regular expression/
    ],
    [
      'a bad direction',
      { tables: { nvtx: { direction: 'up' } } },
      /"tables\.nvtx\.direction" must be "lower-is-better" or "higher-is-better"/
    ],
    ['a negative threshold', { threshold: -1 }, /"threshold" must be ≥ 0, got -1/],
    ['alpha out of range', { alpha: 1.5 }, /"alpha" must be between 0 and 1/],
    ['not an object', [1, 2], /expected a JSON object/],
    [
      'a category without a name',
      { categories: [{ match: 'moe' }] },
      /"categories\[0\]\.category" must name the category/
    ],
    [
      'a category name too long to show',
      { categories: [{ match: 'moe', category: 'x'.repeat(101) }] },
      /"categories\[0\]\.category" is longer than 100 characters/
    ],
    [
      'a category whose pattern RE2 refuses',
      { categories: [{ match: '(?=moe)', category: 'MoE' }] },
      /"categories\[0\]\.match": .*RE2 syntax/
    ],
    [
      'an unknown category setting',
      { categories: [{ match: 'moe', category: 'MoE', gate: true }] },
      /unknown setting "categories\[0\]\.gate"/
    ],
    [
      'categories that are not a list',
      { categories: { MoE: 'moe' } },
      /"categories" must be an array/
    ]
  ]
  for (const [what, file, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => buildRules(file, {}, 'rules.json')).toThrow(message)
    })
  }
})
