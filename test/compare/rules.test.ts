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
    ],
    [
      'an ignore entry that is not a pattern, with its place',
      { ignore: ['ok', 3] },
      /^rules\.json: "ignore\[1\]" must be a regular expression \(string\)$/
    ],
    [
      'an ignore list that is not a list',
      { ignore: 'warmup' },
      /^rules\.json: "ignore" must be an array$/
    ],
    [
      'more than 10,000 ignore entries (refused, not cut)',
      { ignore: Array.from({ length: 10_001 }, (_, i) => `k${i}`) },
      /^rules\.json: "ignore" has 10,001 entries; at most 10,000 are allowed$/
    ],
    [
      'more than 10,000 rules (refused, not cut)',
      { rules: Array.from({ length: 10_001 }, () => ({ match: 'k' })) },
      /^rules\.json: "rules" has 10,001 entries; at most 10,000 are allowed$/
    ]
  ]
  for (const [what, file, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => buildRules(file, {}, 'rules.json')).toThrow(message)
    })
  }
})

describe('the patterns of a set of rules: bounded together', () => {
  // `[ab]{1000}` is a thousand one-character-class instructions: 19 of them in a row are about
  // 19,000, within the bound of one pattern (20,000) and its length (1,000 characters). Ten such
  // patterns are about 190,000 instructions, within the 200,000 of all together; the eleventh
  // takes them to about 209,000.
  const heavy = (i: number): string => `${'[ab]{1000}'.repeat(19)}x${i}`

  it('refuses the pattern that takes all of them past 200,000 instructions, quickly and by name', () => {
    // 1,500 of them: 100 KB of JSON that took the CLI past its heap limit after 78 s.
    const file = { ignore: Array.from({ length: 1500 }, (_, i) => heavy(i)) }
    const started = Date.now()
    expect(() => buildRules(file, {}, 'rules.json')).toThrow(
      /^rules\.json: "ignore\[10\]": the patterns up to this one compile to 2\d\d,\d{3} RE2 instructions; at most 200,000 are accepted for all the patterns together: use fewer or simpler patterns/
    )
    expect(Date.now() - started).toBeLessThan(10_000)
    // Ten of them are accepted.
    expect(buildRules({ ignore: file.ignore.slice(0, 10) }).ignore).toHaveLength(10)
  })

  it('counts every list of the file and the --ignore patterns together', () => {
    const spread = {
      rules: [0, 1, 2].map((i) => ({ match: heavy(i), threshold: 10 })),
      accept: [3, 4].map((i) => ({ pattern: heavy(i), reason: 'known', until: '2999-12-31' })),
      families: [5, 6].map((i) => ({ match: heavy(i), family: 'f' })),
      categories: [7].map((i) => ({ match: heavy(i), category: 'c' }))
    }
    // Eight in the file, two from flags: ten, accepted. A third flag makes eleven: the pattern
    // read last (the file's lists are read after the ignores) is the one named.
    expect(buildRules(spread, { ignore: [heavy(8), heavy(9)] }).ignore).toHaveLength(2)
    expect(() =>
      buildRules(spread, { ignore: [heavy(8), heavy(9), heavy(10)] }, 'rules.json')
    ).toThrow(
      /^rules\.json: "categories\[0\]\.match": the patterns up to this one compile to 2\d\d,\d{3} RE2 instructions; at most 200,000/
    )
    // Nine ignores in the file and two flags: the second flag is the eleventh.
    const nine = { ignore: Array.from({ length: 9 }, (_, i) => heavy(i)) }
    expect(() => buildRules(nine, { ignore: [heavy(9), heavy(10)] })).toThrow(
      /^--ignore: the patterns up to this one compile to 2\d\d,\d{3} RE2 instructions/
    )
    // The limit is the file's own too when a record's inline rules are read back (verdict).
    expect(() =>
      buildRules({ ...spread, ignore: [heavy(8), heavy(9), heavy(10)] }, {}, 'c.json: "rules"')
    ).toThrow(/^c\.json: "rules": "categories\[0\]\.match": the patterns up to this one compile/)
  })

  it('compiles, and counts, a pattern written many times once', () => {
    // A thousand times 19,000 instructions if each were counted: accepted, as one.
    const same = Array.from({ length: 1000 }, () => heavy(0))
    const rules = buildRules({ ignore: same, rules: [{ match: heavy(0), gate: false }] })
    expect(rules.ignore).toHaveLength(1000)
    expect(rules.rules).toHaveLength(1)
    expect(rules.ignore[999]?.test('x0')).toBe(false)
  })

  it('takes a rules file of thousands of plain names', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `^kernel_name_${i}$`)
    const rules = buildRules({ rules: names.map((match) => ({ match, threshold: 20 })) })
    expect(rules.rules).toHaveLength(5000)
    expect(resolveLimits(rules, 'kernels', ['kernel_name_4321']).threshold).toBe(20)
    expect(resolveLimits(rules, 'kernels', ['kernel_name_43210']).threshold).toBe(5)
  })
})
