import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { buildRules } from '../../src/compare/rules.js'
import { appendRun, fingerprintOf, runEntry, type RunEntry } from '../../src/history/append.js'
import { autoLimit, bandOf } from '../../src/history/band.js'
import { decodeHistory, encodeHistory } from '../../src/history/codec.js'
import { findDrifts, streak } from '../../src/history/drift.js'
import { emptyHistory, type History, type HistoryRun } from '../../src/history/model.js'
import { historyView } from '../../src/history/view.js'
import { driftMarkdown, driftSentence, sparkline } from '../../src/render/history.js'
import { profile } from '../support/profiles.js'

const H100 = { gpu: 'NVIDIA H100 80GB HBM3', profiler: 'nsys', major: '2024', naming: 'demangled' }

function run(n: number, over: Partial<HistoryRun> = {}): HistoryRun {
  return {
    sha: `sha${n}`,
    date: `2026-11-${String(n).padStart(2, '0')}T00:00:00.000Z`,
    repetitions: 1,
    ...H100,
    ...over
  }
}

/** An entry of kernel values by hand: key → value (spread 0, count 10). */
function entry(
  n: number,
  kernels: Record<string, number>,
  over: Partial<HistoryRun> = {}
): RunEntry {
  return {
    run: run(n, over),
    tables: {
      kernels: new Map(
        Object.entries(kernels).map(([k, v]) => [k, { name: k, value: v, spread: 0, count: 10 }])
      )
    }
  }
}

function grow(entries: RunEntry[], length = 50): History {
  return entries.reduce((h, e) => appendRun(h, e, length), emptyHistory())
}

describe('appendRun', () => {
  it('aligns every series with the runs, null where a run lacked the item', () => {
    const h = grow([entry(1, { a: 10 }), entry(2, { a: 11, b: 5 }), entry(3, { b: 6 })])
    expect(h.runs.map((r) => r.sha)).toEqual(['sha1', 'sha2', 'sha3'])
    expect(h.tables.kernels?.get('a')?.value).toEqual([10, 11, null])
    expect(h.tables.kernels?.get('b')?.value).toEqual([null, 5, 6])
    expect(h.tables.kernels?.get('b')?.count).toEqual([null, 10, 10])
  })

  it('keeps the newest runs up to the length; an item no kept run has leaves', () => {
    const h = grow([entry(1, { gone: 1, a: 10 }), entry(2, { a: 11 }), entry(3, { a: 12 })], 2)
    expect(h.runs.map((r) => r.sha)).toEqual(['sha2', 'sha3'])
    expect(h.tables.kernels?.get('a')?.value).toEqual([11, 12])
    expect(h.tables.kernels?.has('gone')).toBe(false)
  })

  it('does not change the history it is given', () => {
    const first = grow([entry(1, { a: 10 })])
    appendRun(first, entry(2, { a: 11 }), 50)
    expect(first.runs).toHaveLength(1)
    expect(first.tables.kernels?.get('a')?.value).toEqual([10])
  })
})

describe('runEntry', () => {
  it('takes the median over repetitions (0 where one lacked the item), the MAD and the median count', () => {
    const rules = buildRules(undefined)
    const reps = [
      profile({ kernels: { k: [100, 2], only: [50, 1] } }),
      profile({ kernels: { k: [130, 2] } }),
      profile({ kernels: { k: [110, 4] } }, { gpus: [{ name: 'NVIDIA A100' }] })
    ]
    const e = runEntry(reps, rules, { sha: 'abc', date: '2026-11-29T00:00:00Z' })
    // k: values 100, 130, 110 → median 110; deviations 10, 20, 0 → MAD 10; counts 2, 2, 4 → 2.
    expect(e.tables.kernels?.get('k')).toEqual({ name: 'k', value: 110, spread: 10, count: 2 })
    // only: 50, 0, 0 → median 0, deviations 50, 0, 0 → MAD 0; counts 1, 0, 0 → 0.
    expect(e.tables.kernels?.get('only')).toEqual({ name: 'only', value: 0, spread: 0, count: 0 })
    // The fingerprint is the last repetition's.
    expect(e.run).toEqual({
      sha: 'abc',
      date: '2026-11-29T00:00:00Z',
      repetitions: 3,
      gpu: 'NVIDIA A100',
      profiler: 'nsys',
      major: '',
      naming: 'demangled'
    })
    // Derived tables are kept too: all three kernels are "other" GPU time.
    expect(e.tables.categories?.size).toBeGreaterThan(0)
  })

  it('reads the profiler major from the version', () => {
    const p = profile({ kernels: { k: 1 } }, { profiler: { name: 'nsys', version: '2023.4.4.54' } })
    expect(fingerprintOf(p).major).toBe('2023')
    // rocprofv3's (rocprofiler-sdk's): the semantic-version major; a 0.x release's minor too.
    const rocprof = (version?: string) =>
      fingerprintOf(
        profile(
          { kernels: { k: 1 } },
          { profiler: { name: 'rocprofv3', ...(version === undefined ? {} : { version }) } }
        )
      )
    expect(rocprof('1.0.0')).toMatchObject({ profiler: 'rocprofv3', major: '1' })
    expect(rocprof('0.6.0').major).toBe('0.6')
    expect(rocprof(undefined).major).toBe('')
  })
})

describe('the band and the auto limit', () => {
  // Median 100; deviations 0, 8, 8, 4, 4, 0, 6, 6, 0 → sorted 0 0 0 4 4 6 6 8 8 → MAD 4.
  const noisy = [100, 92, 108, 96, 104, 100, 94, 106, 100]

  it('is median ± 3 × 1.4826 × MAD', () => {
    const band = bandOf(noisy)
    expect(band?.center).toBe(100)
    expect(band?.halfWidth).toBeCloseTo(3 * 1.4826 * 4, 10) // 17.7912
    expect(band?.low).toBeCloseTo(82.2088, 10)
    expect(band?.high).toBeCloseTo(117.7912, 10)
    expect(band?.pct).toBeCloseTo(17.7912, 10)
  })

  it('takes the band when it is wider than the fixed threshold', () => {
    expect(autoLimit(noisy, 5)).toEqual({
      threshold: 17.79,
      limit: { source: 'history', runs: 9, bandPct: 17.79 }
    })
  })

  it('keeps the fixed threshold as the floor', () => {
    expect(autoLimit(noisy, 20)).toEqual({
      threshold: 20,
      limit: { source: 'fixed', why: 'band-within-fixed', runs: 9, bandPct: 17.79 }
    })
  })

  it('keeps the fixed threshold with fewer than 5 runs, or when a rule set it', () => {
    expect(autoLimit([100, 50, 150, 100], 5)).toEqual({
      threshold: 5,
      limit: { source: 'fixed', why: 'too-few-runs', runs: 4 }
    })
    expect(bandOf([100, 50, 150, 100])).toBeUndefined()
    expect(autoLimit(noisy, 5, true).limit).toEqual({ source: 'fixed', why: 'rule', runs: 9 })
  })

  it('is empty for a steady history', () => {
    expect(autoLimit([7, 7, 7, 7, 7], 5).limit).toEqual({
      source: 'fixed',
      why: 'band-within-fixed',
      runs: 5,
      bandPct: 0
    })
  })
})

describe('the change point (drift)', () => {
  it('finds the longest streak outside the band of the runs before it', () => {
    // Before the last 4: five runs of 100 (MAD 0), so the band is the 5 % floor: 95 … 105.
    // 106, 110, 114, 118 are all above it; a streak of 5 would leave 4 reference runs (too few).
    const found = streak([100, 100, 100, 100, 100, 106, 110, 114, 118], 5, 'lower-is-better')
    expect(found).toMatchObject({ runs: 4, reference: 100, worse: true })
    expect(found?.pct).toBeCloseTo(18, 10)
  })

  it('is no drift when a run of the streak comes back', () => {
    expect(streak([100, 100, 100, 100, 100, 100, 110, 100, 112], 5, 'lower-is-better')).toBe(
      undefined
    )
  })

  it('is no drift with too little history before the streak', () => {
    expect(streak([100, 100, 100, 100, 120, 120, 120], 5, 'lower-is-better')).toBe(undefined)
  })

  it('calls a drift down an improvement for lower-is-better', () => {
    const found = streak([100, 100, 100, 100, 100, 90, 89, 88], 5, 'lower-is-better')
    expect(found).toMatchObject({ runs: 3, reference: 100, worse: false })
    expect(found?.pct).toBeCloseTo(-12, 10)
  })

  it('looks only at runs measured like the newest, and only at gated items', () => {
    const values = [100, 100, 100, 100, 100, 110, 114, 118]
    const entries = values.map((v, i) => entry(i + 1, { k: v }))
    // An A100 run in the middle at 50: not comparable, left out.
    entries.splice(3, 0, entry(99, { k: 50 }, { gpu: 'NVIDIA A100' }))
    const h = grow(entries)
    const drifts = findDrifts(h, buildRules(undefined))
    expect(drifts).toHaveLength(1)
    expect(drifts[0]).toMatchObject({ key: 'k', runs: 3, reference: 100, latest: 118, worse: true })
    expect(drifts[0]?.pct).toBeCloseTo(18, 10)
    const ungated = buildRules({ rules: [{ match: '^k$', gate: false }] })
    expect(findDrifts(h, ungated)).toEqual([])
  })
})

describe('historyView', () => {
  it('gives the comparable runs of an item, newest window', () => {
    const h = grow([
      entry(1, { k: 1 }),
      entry(2, { k: 2 }, { major: '2023' }),
      entry(3, { k: 3 }),
      entry(4, {}),
      entry(5, { k: 5 })
    ])
    const view = historyView(h, H100)
    expect(view.total).toBe(5)
    expect(view.comparable).toBe(4)
    expect(view.series('kernels', 'k')).toEqual([1, 3, 5])
    expect(historyView(h, H100, { window: 2 }).series('kernels', 'k')).toEqual([5])
    expect(view.series('kernels', 'nope')).toEqual([])
  })
})

describe('the history file', () => {
  const hostile = 'evil`|<img src=x onerror=alert(1)>@team\u202e\n'
  const history = grow([
    entry(1, { a: 10.4, [hostile]: 3 }),
    entry(
      2,
      Object.fromEntries([
        ['a', 11.6],
        ['__proto__', 7]
      ])
    )
  ])

  it('round-trips (values in whole units), hostile names included', () => {
    const back = decodeHistory(encodeHistory(history), 'h')
    expect(back.runs).toEqual(history.runs)
    expect(back.tables.kernels?.get('a')?.value).toEqual([10, 12])
    expect(back.tables.kernels?.get(hostile)?.value).toEqual([3, null])
    expect(back.tables.kernels?.get('__proto__')?.value).toEqual([null, 7])
  })

  it('is the documented JSON, gzip-compressed', () => {
    const json = JSON.parse(
      decodeHistoryText(encodeHistory(grow([entry(1, { a: 10 })])))
    ) as unknown
    expect(json).toEqual({
      kind: 'nsys-bench/history',
      schemaVersion: 1,
      runs: [run(1)],
      tables: { kernels: { a: { v: [10], s: [0], n: [10] } } }
    })
  })

  const valid = {
    kind: 'nsys-bench/history',
    schemaVersion: 1,
    runs: [run(1)],
    tables: { kernels: { a: { v: [10], s: [0], n: [1] } } }
  }
  const gz = (value: unknown): Buffer => gzipSync(Buffer.from(JSON.stringify(value)))
  const cases: [string, Buffer, RegExp][] = [
    ['not gzip', Buffer.from('{"kind":"nsys-bench/history"}'), /not gzip/],
    ['gzip of text', gzipSync(Buffer.from('hello')), /not JSON/],
    ['another kind', gz({ ...valid, kind: 'nsys-bench/profile' }), /"kind"/],
    ['a newer version', gz({ ...valid, schemaVersion: 2 }), /newer.*upgrade/],
    ['runs not a list', gz({ ...valid, runs: {} }), /"runs" must be an array/],
    ['a run without a sha', gz({ ...valid, runs: [{ ...run(1), sha: 5 }] }), /runs\[0\]\.sha/],
    ['a bad date', gz({ ...valid, runs: [{ ...run(1), date: 'yesterday' }] }), /date/],
    [
      'a series of the wrong length',
      gz({ ...valid, tables: { kernels: { a: { v: [1, 2], s: [0], n: [1] } } } }),
      /must list 1 entries/
    ],
    [
      'a negative value',
      gz({ ...valid, tables: { kernels: { a: { v: [-1], s: [0], n: [1] } } } }),
      /not a number from 0/
    ],
    [
      'a string value',
      gz({ ...valid, tables: { kernels: { a: { v: ['1'], s: [0], n: [1] } } } }),
      /not a number from 0/
    ],
    [
      'measures present and absent in one run',
      gz({ ...valid, tables: { kernels: { a: { v: [1], s: [null], n: [1] } } } }),
      /some measures and not others/
    ],
    ['too many runs', gz({ ...valid, runs: new Array(501).fill(run(1)) }), /at most 500/],
    // 70 gzip members of 1 MiB of zeros each inflate past the bound: refused, not held.
    ['a gzip bomb', bomb(70), /more than 64 MiB/]
  ]
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => decodeHistory(bytes, 'baseline/history.json.gz')).toThrow(message)
    })
  }

  it('skips a byte order mark before the JSON', () => {
    const bom = gzipSync(Buffer.from(`\uFEFF${JSON.stringify(valid)}`))
    const back = decodeHistory(bom, 'h')
    expect(back.runs).toEqual([run(1)])
    expect(back.tables.kernels?.get('a')?.value).toEqual([10])
  })

  it('says a file cut short, or empty, is (not "not gzip")', () => {
    const whole = gz(valid)
    expect(() => decodeHistory(whole.subarray(0, whole.length - 5), 'h')).toThrow(
      /^h: not a valid nsys-bench history: the gzip stream ends early: the file was cut \(an interrupted download or copy\?\); get it whole again$/
    )
    expect(() => decodeHistory(Buffer.alloc(0), 'h')).toThrow(
      /^h: not a valid nsys-bench history: the file is empty/
    )
    // JSON cut before it was compressed: the JSON's end is missing.
    const json = JSON.stringify(valid)
    expect(() => decodeHistory(gzipSync(Buffer.from(json.slice(0, 40))), 'h')).toThrow(
      /^h: not a valid nsys-bench history: it is not JSON: the file ends early/
    )
  })

  it('skips a table it does not know', () => {
    const back = decodeHistory(gz({ ...valid, tables: { ...valid.tables, later: {} } }), 'h')
    expect(Object.keys(back.tables)).toEqual(['kernels'])
  })
})

/** `mib` MiB of zeros as gzip members one after another (a reader inflates them all). */
function bomb(mib: number): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024))
  return Buffer.concat(new Array<Buffer>(mib).fill(member))
}

/** An independent reader of the file: node's zlib and JSON, not the code under test. */
function decodeHistoryText(bytes: Buffer): string {
  return gunzipSync(bytes).toString('utf8')
}

describe('rendering history', () => {
  it('draws a sparkline on one scale, the head after →; equal values in the middle', () => {
    // 0 … 70 on one scale: bar k for k × 10.
    expect(sparkline([0, 10, 20, 30, 40, 50, 60], 70)).toBe('▁▂▃▄▅▆▇→█')
    expect(sparkline([5, 5, 5], 5)).toBe('▄▄▄→▄')
    // At most the newest 20 runs.
    expect(sparkline(new Array<number>(30).fill(1), 2)).toBe(`${'▁'.repeat(20)}→█`)
  })

  it('lists drifts with names escaped, and says each in a sentence (the log shows it through visible())', () => {
    const name = 'evil`|<script>@x\u001b[31m'
    const drift = {
      table: 'kernels' as const,
      key: name,
      name,
      runs: 4,
      reference: 200_000,
      latest: 236_000,
      pct: 18,
      worse: true
    }
    const md = driftMarkdown([drift], 9)
    expect(md).toContain('#### Drifts over the last merges (1)')
    expect(md).toContain(
      '| ``evil`\\|<script>@x\\u{1b}[31m`` | GPU kernels | 🔴 +18.0% | 4 merges | 200.00 µs → 236.00 µs |'
    )
    expect(driftSentence(drift)).toBe(
      `Kernel "${name}" drifted +18.0% over the last 4 merges (200.00 µs → 236.00 µs)`
    )
    expect(driftMarkdown([], 9)).toBe('')
  })
})
