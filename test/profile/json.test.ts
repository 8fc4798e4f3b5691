import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/inputs/load.js'
import { profileFromJson, profileToJson, SCHEMA_VERSION } from '../../src/profile/json.js'
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

  it('writes what it reads (round trip)', () => {
    const json = JSON.parse(readFileSync(V1, 'utf8')) as object
    expect(profileToJson(profileFromJson(json, V1))).toEqual(json)
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
        expect(other?.stdDev).toBeCloseTo(stat.stdDev ?? 0, 2)
      }
    }
  })

  it('refuses a profile from a newer nsys-bench with a message saying to upgrade', () => {
    const json = {
      ...(JSON.parse(readFileSync(V1, 'utf8')) as object),
      schemaVersion: SCHEMA_VERSION + 1
    }
    expect(() => profileFromJson(json, 'new.json')).toThrow(
      /new\.json: this profile has schemaVersion 2, written by a newer nsys-bench; .*Upgrade nsys-bench/
    )
  })

  const bad: [string, (p: Record<string, any>) => void, RegExp][] = [
    ['not a profile', (p) => (p.kind = 'something'), /"kind" must be "nsys-bench\/profile"/],
    [
      'a negative time',
      (p) => (p.tables.kernels.rows.ampere_sgemm_128x64_tn.totalNs = -1),
      /totalNs must be a non-negative number/
    ],
    [
      'a string where a number goes',
      (p) => (p.tables.kernels.rows.ampere_sgemm_128x64_tn.instances = '3'),
      /instances must be a non-negative number/
    ],
    [
      'an unknown table',
      (p) => (p.tables.shaders = { unit: 'ns', rows: {} }),
      /unknown table "shaders"/
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
