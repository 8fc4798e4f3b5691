import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import {
  profileFromJson,
  profileToJson,
  SCHEMA_VERSION,
  valueStep
} from '../../src/profile/json.js'
import { CORPUS, FIXTURES } from '../support/paths.js'

const V1 = join(FIXTURES, 'profile-v1.json')

describe('profile JSON', () => {
  it('reads the frozen version-1 fixture (baselines written by this version must load in later ones)', async () => {
    // Never regenerate this file: it stands for baselines already stored as artifacts.
    const [profile] = await loadInput(V1)
    expect(profile?.meta.profiler.version).toBe('2023.4.4.54')
    expect(profile?.meta.gpus?.[0]).toEqual({
      name: 'NVIDIA H100 80GB HBM3',
      driver: '550.54.15',
      cuda: '12.4',
      clocks: 'sm 1980 MHz, mem 2619 MHz'
    })
    expect(profile?.meta.gitSha).toBe('0123456789abcdef0123456789abcdef01234567')
    expect(profile?.tables.kernels?.get('ampere_sgemm_128x64_tn')).toEqual({
      name: 'ampere_sgemm_128x64_tn',
      total: 3718568,
      instances: 3,
      avg: 1239522.7,
      min: 1234000,
      max: 1250001,
      med: 1234567,
      stdDev: 9078.9
    })
    expect(profile?.tables.memSize?.get('[CUDA memcpy HtoD]')?.total).toBe(134222000)
    expect(profile?.tables.nvtx?.has('step, "warmup"')).toBe(true)
  })

  it('upgrades version 1 (notes become structured), then writes what it reads (round trip)', () => {
    const v1 = JSON.parse(readFileSync(V1, 'utf8')) as Record<string, any>
    v1.meta.notes = ['how the input was read']
    const v2 = JSON.parse(JSON.stringify(profileToJson(profileFromJson(v1, V1)))) as Record<
      string,
      any
    >
    expect(v2.schemaVersion).toBe(SCHEMA_VERSION)
    expect(v2.meta.notes).toEqual([
      { code: 'input', severity: 'info', message: 'how the input was read' }
    ])
    // Same rows; kernels are keyed by their normalised spelling now (profile/keys.ts).
    type Tables = Record<string, { rows: Record<string, { name: string }> }>
    const byName = (tables: Tables): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(tables).map(([t, table]) => [
          t,
          Object.fromEntries(Object.values(table.rows).map((r) => [r.name, r]))
        ])
      )
    expect(byName(v2.tables as Tables)).toEqual(byName(v1.tables as Tables))
    // Rows are keyed by rank, largest total first (each name is written once, in the row).
    const kernels = Object.entries(
      (v2.tables as Record<string, { rows: Record<string, { totalNs: number }> }>).kernels?.rows ??
        {}
    )
    expect(kernels.map(([key]) => key)).toEqual(kernels.map((_, i) => String(i)))
    const totals = kernels.map(([, row]) => row.totalNs)
    expect(totals).toEqual([...totals].sort((a, b) => b - a))
    expect(profileToJson(profileFromJson(v2, 'v2.json'))).toEqual(v2)
  })

  it('keeps the tables of a later version it does not know, and writes them back', () => {
    const json = JSON.parse(readFileSync(V1, 'utf8')) as Record<string, any>
    json.tables.gpuPower = { unit: 'W', rows: { 'device 0': { avgW: 5 } } }
    const profile = profileFromJson(json, 'later.json')
    expect(Object.keys(profile.tables)).not.toContain('gpuPower')
    expect((profileToJson(profile) as { tables: Record<string, unknown> }).tables.gpuPower).toEqual(
      json.tables.gpuPower
    )
  })

  it('keeps a profile through JSON exactly as parsed from nsys output', async () => {
    const [parsed] = await loadInput(
      join(CORPUS, 'generated_nsys-2023.4.4_stats_trace-and-variant-reports_csv.txt')
    )
    const back = profileFromJson(JSON.parse(JSON.stringify(profileToJson(parsed!))), 'x.json')
    for (const [name, table] of Object.entries(parsed!.tables)) {
      for (const [key, stat] of table) {
        const other = back.tables[name as keyof typeof back.tables]?.get(key)
        expect(other?.total).toBe(stat.total)
        expect(other?.instances).toBe(stat.instances)
        if (stat.stdDev === undefined) expect(other?.stdDev).toBeUndefined()
        else expect(other?.stdDev).toBeCloseTo(stat.stdDev, 2)
      }
    }
    // The timeline figures and the per-launch sketches come back as they were.
    expect(parsed!.timeline?.devices).toHaveLength(1)
    expect(back.timeline).toEqual(parsed!.timeline)
    expect([...back.launches!.keys()].sort()).toEqual([...parsed!.launches!.keys()].sort())
    for (const [key, launches] of parsed!.launches!) {
      expect(back.launches!.get(key)?.name).toBe(launches.name)
      expect(back.launches!.get(key)?.sketch.toArray()).toEqual(launches.sketch.toArray())
    }
  })

  it('reads back every profile it writes: each capture of every corpus and public file', async () => {
    const dirs = [CORPUS, join(FIXTURES, 'public')]
    let read = 0
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => /\.(txt|csv)$/.test(f))) {
        let runs
        try {
          runs = await loadInput(join(dir, file), { captures: 'runs' })
        } catch {
          continue // refused inputs are tested elsewhere
        }
        for (const run of runs) {
          // Through JSON text, as an artifact is: the reader checks every row's invariants.
          const back = profileFromJson(JSON.parse(JSON.stringify(profileToJson(run))), file)
          expect(Object.keys(back.tables).sort(), file).toEqual(Object.keys(run.tables).sort())
          read += 1
        }
      }
    }
    expect(read).toBeGreaterThan(40)
  })

  it('refuses a profile from a newer nsys-bench with a message saying to upgrade', () => {
    const json = {
      ...(JSON.parse(readFileSync(V1, 'utf8')) as object),
      schemaVersion: SCHEMA_VERSION + 1
    }
    expect(() => profileFromJson(json, 'new.json')).toThrow(
      new RegExp(
        `new\\.json: this profile has schemaVersion ${SCHEMA_VERSION + 1}, written by a newer nsys-bench; .*Upgrade nsys-bench`
      )
    )
  })

  const bad: [string, (p: Record<string, any>) => void, RegExp][] = [
    ['not a profile', (p) => (p.kind = 'something'), /"kind" must be "nsys-bench\/profile"/],
    [
      'a negative time',
      (p) => (p.tables.kernels.rows.ampere_sgemm_128x64_tn.totalNs = -1),
      /totalNs must be a number from 0 to 9007199254740991/
    ],
    [
      'a string where a number goes',
      (p) => (p.tables.kernels.rows.ampere_sgemm_128x64_tn.instances = '3'),
      /instances must be a number from 0 to/
    ],
    [
      'a number no measurement reaches (1e308)',
      (p) => (p.tables.kernels.rows.ampere_sgemm_128x64_tn.totalNs = 1e308),
      /totalNs must be a number from 0 to/
    ],
    [
      'a row whose numbers contradict each other',
      (p) => (p.tables.kernels.rows.ampere_sgemm_128x64_tn.minNs = 9e9),
      /min 9000000000 is above avg 1239522.7/
    ],
    [
      // The row's totals and extremes are whole thousands: an average of 1.5 is no rounding.
      'an average far below the minimum of a row printed in whole microseconds',
      (p) => {
        Object.assign(p.tables.kernels.rows.ampere_sgemm_128x64_tn, {
          totalNs: 3_750_000,
          minNs: 1_234_000,
          maxNs: 1_258_000,
          medNs: 1_250_000,
          avgNs: 1_234_000 - 1_500
        })
      },
      /min 1234000 is above avg 1232500/
    ],
    [
      // Totals and extremes in whole 100 ns, but an average of 1.5 ns: the row was printed finer
      // than 100 ns, so 100 ns of slack would let a made-up average through (found by the fuzzer).
      'an average with a fraction beside whole hundreds',
      (p) => {
        Object.assign(p.tables.kernels.rows.ampere_sgemm_128x64_tn, {
          totalNs: 100,
          instances: 1,
          avgNs: 1.5,
          minNs: 100,
          maxNs: 100,
          medNs: 100,
          stdDevNs: 0
        })
      },
      /min 100 is above avg 1\.5/
    ],
    [
      'time over zero instances',
      (p) => {
        Object.assign(p.tables.kernels.rows.ampere_sgemm_128x64_tn, {
          totalNs: 400,
          instances: 0,
          avgNs: 400,
          minNs: 400,
          maxNs: 400,
          medNs: 400,
          stdDevNs: 0
        })
      },
      /400 in total over 0 instances/
    ],
    [
      'an unknown table nested beyond reason',
      (p) =>
        (p.tables.shaders = {
          unit: 'ns',
          rows: JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown
        }),
      /"tables\.shaders" nests deeper than 64 levels/
    ],
    [
      // A table's members moved up a level (a line moved in the file, found by the fuzzer): not
      // two tables of a later version named "unit" and "rows".
      'a table member where a table goes',
      (p) => {
        p.tables.unit = 'ns'
        p.tables.rows = p.tables.kernels.rows
      },
      /"tables\.unit" is not a table \(an object with a "unit"\): the file is damaged or not a profile JSON/
    ],
    [
      'an unknown table without a unit',
      (p) => (p.tables.gpuPower = { rows: {} }),
      /"tables\.gpuPower" is not a table/
    ],
    [
      // All of the row is whole thousands, which 1,000 ns of rounding would have let through.
      'time over zero instances, in whole thousands',
      (p) => {
        Object.assign(p.tables.kernels.rows.ampere_sgemm_128x64_tn, {
          totalNs: 1000,
          instances: 0,
          avgNs: 1000,
          minNs: 1000,
          maxNs: 1000,
          medNs: 1000,
          stdDevNs: 0
        })
      },
      /1000 in total over 0 instances/
    ],
    [
      // An empty row (a bucket of idle gaps nobody fell in) with one number edited: found by the
      // fuzzer (seed 71005) on gpuIdle, where 0 instances skipped every other check.
      'an average over zero instances',
      (p) => {
        Object.assign(p.tables.kernels.rows.ampere_sgemm_128x64_tn, {
          totalNs: 0,
          instances: 0,
          avgNs: 1.5,
          minNs: 0,
          maxNs: 0
        })
      },
      /avg 1\.5 over 0 instances/
    ],
    [
      'a maximum over zero instances, in whole thousands',
      (p) => {
        Object.assign(p.tables.kernels.rows.ampere_sgemm_128x64_tn, {
          totalNs: 0,
          instances: 0,
          avgNs: 0,
          minNs: 0,
          maxNs: 1000
        })
      },
      /max 1000 over 0 instances/
    ],
    [
      'the wrong unit',
      (p) => (p.tables.memSize.unit = 'ns'),
      /"tables\.memSize\.unit" must be "bytes"/
    ],
    ['a bad kernel naming', (p) => (p.meta.kernelNaming = 'short'), /kernelNaming/]
  ]
  for (const [what, mutate, message] of bad) {
    it(`rejects ${what} (baselines are untrusted input)`, () => {
      const json = JSON.parse(readFileSync(V1, 'utf8')) as Record<string, any>
      mutate(json)
      expect(() => profileFromJson(json, 'baseline.json')).toThrow(message)
    })
  }

  it('keeps hostile keys as data (no prototype pollution)', () => {
    const json = JSON.parse(readFileSync(V1, 'utf8')) as Record<string, any>
    json.tables.kernels.rows = JSON.parse(
      '{"__proto__": {"name": "__proto__", "totalNs": 5, "instances": 1, "avgNs": 5, "minNs": 5, "maxNs": 5}}'
    )
    const profile = profileFromJson(json, 'x.json')
    expect(profile.tables.kernels?.get('__proto__')?.total).toBe(5)
    expect(({} as Record<string, unknown>).totalNs).toBeUndefined()
  })
})

describe('the print step of a stored number (valueStep)', () => {
  /** The same by whole-number arithmetic: BigInt remainders, no doubles. */
  function reference(value: number, step: number): number {
    if (value === 0) return step
    if (!Number.isInteger(value)) return 1
    let power = 1n
    while (power < BigInt(step) && BigInt(value) % (power * 10n) === 0n) power *= 10n
    return Math.min(step, Number(power))
  }

  it('is the largest power of ten that divides the number, up to 2^53', () => {
    let state = 20261130
    const random = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0
      return state / 2 ** 32
    }
    const values = [1, 7, 10, 100000, 1000000, 2 ** 53 - 1, 2 ** 53 - 2, 9007199254740000, 0.5]
    for (let i = 0; i < 20000; i++) {
      // Whole numbers of every size, many of them multiples of powers of ten, and fractions.
      const magnitude = Math.floor(random() * 16)
      const base = Math.floor(random() * 2 ** 53) % 10 ** magnitude
      const scaled = base * 10 ** Math.floor(random() * 6)
      values.push(Number.isSafeInteger(scaled) ? scaled : base, base + random())
      // Just off a multiple: the remainder is 1 or p − 1, the quotient's nearest miss.
      const p = 10 ** (1 + Math.floor(random() * 5))
      const near = Math.floor((random() * 2 ** 53) / p) * p
      values.push(Math.max(0, near - 1), Math.min(2 ** 53 - 1, near + 1))
    }
    for (const value of values)
      for (const step of [1e5, 1024, 10])
        if (valueStep(value, step) !== reference(value, step))
          throw new Error(
            `valueStep(${value}, ${step}) = ${valueStep(value, step)}, by BigInt ${reference(value, step)}`
          )
    expect(valueStep(123400000, 1e5)).toBe(1e5)
    expect(valueStep(1234500, 1e5)).toBe(100)
    expect(valueStep(2 ** 53 - 1, 1e5)).toBe(1)
  })
})

describe('profile JSON: figures that contradict each other', () => {
  const v1 = (): Record<string, any> => JSON.parse(readFileSync(V1, 'utf8')) as Record<string, any>

  /** A range and kernel launched 10 times for 2 ms in all (0.2 ms a launch), in `occurrences`. */
  function withPhase(occurrences: number, instances = 10): Record<string, any> {
    const json = v1()
    const each = instances > 0 ? 200_000 : 0
    json.tables.nvtxKernels = {
      unit: 'ns',
      rows: {
        '0': {
          name: 'decode › gemm',
          totalNs: each * instances,
          instances,
          avgNs: each,
          minNs: each,
          maxNs: each,
          occurrences
        }
      }
    }
    return json
  }

  it('reads occurrences from 1 to the instances, and 0 in a row of no instance', () => {
    for (const n of [1, 4, 10])
      expect(
        profileFromJson(withPhase(n), 'p.json').tables.nvtxKernels?.get('decode › gemm')
          ?.occurrences
      ).toBe(n)
    expect(
      profileFromJson(withPhase(0, 0), 'p.json').tables.nvtxKernels?.get('decode › gemm')
        ?.occurrences
    ).toBe(0)
  })

  it('refuses a row whose occurrences cannot be (none for its launches, more than its launches)', () => {
    const path = 'tables\\.nvtxKernels\\.rows\\["0"\\]\\.occurrences'
    expect(() => profileFromJson(withPhase(0), 'p.json')).toThrow(
      new RegExp(
        `${path} is 0 for 10 instances: the range instances that launched the kernel are 1 to 10`
      )
    )
    expect(() => profileFromJson(withPhase(11), 'p.json')).toThrow(
      new RegExp(`${path} is 11 for 10 instances`)
    )
    expect(() => profileFromJson(withPhase(1_000_000), 'p.json')).toThrow(
      new RegExp(`${path} is 1000000 for 10 instances`)
    )
    expect(() => profileFromJson(withPhase(1, 0), 'p.json')).toThrow(
      new RegExp(`${path} is 1 for 0 instances: a row of no instance occurred in no range instance`)
    )
  })

  /**
   * One GPU: a window of 1 ms, busy 0.7 ms; idle 0.3 ms in three gaps, two under 10 µs (2 and
   * 8 µs) and one of 290 µs, the longest listed.
   */
  function withTimeline(): Record<string, any> {
    const json = v1()
    const gap = (count: number, totalNs: number, minNs: number, maxNs: number) => ({
      count,
      totalNs,
      minNs,
      maxNs
    })
    json.tables.gpuTimeline = {
      unit: 'ns',
      devices: [
        {
          device: 0,
          startNs: 0,
          windowNs: 1_000_000,
          busyNs: 700_000,
          idleNs: 300_000,
          activities: 4,
          gaps: [
            gap(2, 10_000, 2_000, 8_000),
            gap(0, 0, 0, 0),
            gap(1, 290_000, 290_000, 290_000),
            gap(0, 0, 0, 0)
          ],
          top: [
            {
              startNs: 500_000,
              durationNs: 290_000,
              before: { name: 'gemm', stream: 7 },
              after: { name: 'attn', stream: 7 }
            }
          ],
          late: 0
        }
      ]
    }
    return json
  }

  it('reads a GPU timeline whose figures agree, to the 3 decimals they are written to', () => {
    expect(profileFromJson(withTimeline(), 'p.json').timeline?.devices[0]).toMatchObject({
      window: 1_000_000,
      busy: 700_000,
      idle: 300_000
    })
    // Each figure rounded on its own: window − busy − idle is 0.4 ns off.
    const rounded = withTimeline()
    rounded.tables.gpuTimeline.devices[0].busyNs = 700_000.4
    expect(profileFromJson(rounded, 'p.json').timeline?.devices[0]?.busy).toBe(700_000.4)
  })

  const device = '"tables\\.gpuTimeline"\\.devices\\[0\\]'
  const contradictions: [string, (d: Record<string, any>) => void, RegExp][] = [
    [
      'busy time longer than the window (busy 5×, as an edited baseline)',
      (d) => (d.busyNs = 3_500_000),
      /busyNs 3500000 is more than windowNs 1000000/
    ],
    [
      'idle time other than window − busy',
      (d) => (d.idleNs = 200_000),
      /idleNs 200000 is not windowNs 1000000 − busyNs 700000/
    ],
    [
      'gaps that do not add up to the idle time',
      (d) => {
        d.busyNs = 800_000
        d.idleNs = 200_000
      },
      /the gaps' totalNs add up to 300000, not idleNs 200000/
    ],
    [
      'a class whose longest gap is longer than its total',
      (d) => (d.gaps[0].maxNs = 20_000),
      /gaps\[0\]\.maxNs 20000 is more than its totalNs 10000/
    ],
    [
      'a class counting no gap that holds time',
      (d) => (d.gaps[2].count = 0),
      /gaps\[2\] counts no gap but holds 290000 ns/
    ],
    [
      'a gap longer than the window',
      (d) => (d.top[0].durationNs = 2_000_000),
      /top\[0\]\.durationNs 2000000 is more than windowNs 1000000/
    ]
  ]
  for (const [what, mutate, message] of contradictions) {
    it(`refuses a GPU timeline with ${what}`, () => {
      const json = withTimeline()
      mutate(json.tables.gpuTimeline.devices[0] as Record<string, any>)
      expect(() => profileFromJson(json, 'p.json')).toThrow(
        new RegExp(`${device}: ${message.source}: the figures contradict each other`)
      )
    })
  }

  it('says a sketch layout of a newer nsys-bench is one, and to upgrade', () => {
    const json = v1()
    json.tables.kernelLaunches = {
      unit: 'ns',
      buckets: 'log-linear-8',
      relativeError: 0.002,
      rows: {}
    }
    expect(() => profileFromJson(json, 'p.json')).toThrow(
      '"tables.kernelLaunches".buckets is "log-linear-8", a sketch layout of a newer nsys-bench; this one reads "log-linear-7". Upgrade nsys-bench.'
    )
    json.tables.kernelLaunches.buckets = 'ddsketch'
    expect(() => profileFromJson(json, 'p.json')).toThrow(
      '"tables.kernelLaunches".buckets must be "log-linear-7" (the sketch layout this version reads)'
    )
  })
})

describe('profile JSON: the derived tables', () => {
  it('are not written, and are still read from a file an older writer made', () => {
    const json = JSON.parse(readFileSync(V1, 'utf8')) as Record<string, any>
    // A categories table, as summarize --json wrote one back from its input before.
    json.tables.categories = {
      unit: 'ns',
      rows: {
        '0': { name: 'GEMM', totalNs: 5000, instances: 2, avgNs: 2500, minNs: 2000, maxNs: 3000 }
      }
    }
    const read = profileFromJson(json, 'old.json')
    expect(read.tables.categories?.get('GEMM')?.total).toBe(5000)
    const written = profileToJson(read) as { tables: Record<string, unknown> }
    expect(Object.keys(written.tables)).not.toContain('categories')
    expect(Object.keys(written.tables)).toContain('kernels')
  })
})
