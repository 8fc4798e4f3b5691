/**
 * The checks over the GPU's fingerprint (what nvidia-smi said as each run started): a different
 * MIG layout or another process on the GPU makes the verdict inconclusive; another driver, other
 * settings or clocks that moved are notes. Each through compareProfiles, and re-derived from the
 * comparison record (a record keeps the facts, so the verdict can be re-derived from it).
 */
import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import type { GpuInfo, GpuProcess, Profile } from '../../src/profile/model.js'
import { profile } from '../support/profiles.js'

const rules = buildRules(undefined)

const H100: GpuInfo = {
  name: 'NVIDIA H100 80GB HBM3',
  uuid: 'GPU-8f2c1a3e-5b7d-4c9e-a1f0-3d2e1b9a7c55',
  driver: '550.54.15',
  persistenceMode: 'Enabled',
  migMode: 'Disabled',
  eccMode: 'Enabled',
  powerLimitW: 700,
  smClockMHz: 1980,
  memClockMHz: 2619
}

/** One run: the same kernels every time, on `gpu`, with `processes` on the GPU as it started. */
function run(gpu: Partial<GpuInfo> = {}, processes: GpuProcess[] | undefined = []): Profile {
  return profile(
    { kernels: { gemm: [6_000_000, 60], attn: [3_000_000, 30] } },
    { gpus: [{ ...H100, ...gpu }], ...(processes ? { gpuProcesses: processes } : {}) }
  )
}

const notes = (c: Comparison) => c.notes.map((n) => ({ code: n.code, severity: n.severity }))

/** The verdict and notes again, from the JSON record alone. */
function rederived(c: Comparison) {
  const record = JSON.parse(JSON.stringify(comparisonToRecord(c))) as unknown
  return rederiveVerdict(record, 'comparison.json')
}

describe('the GPU fingerprint checks', () => {
  it('the same GPU, alone, clocks locked: nothing to say', () => {
    const c = compareProfiles([run(), run()], [run(), run()], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(c.notes.filter((n) => n.code !== 'test-powerless')).toEqual([])
    expect(c.evidence.head.gpuRuns).toEqual([
      {
        mig: 'off',
        driver: '550.54.15',
        settings: 'persistence Enabled, ECC Enabled, power limit 700 W',
        others: [],
        smClockMHz: 1980
      },
      expect.anything()
    ])
  })

  it('gpu-unknown: only the base recorded its GPU (a local CSV against the baseline): said, and it compares', () => {
    const bare = profile({ kernels: { gemm: [6_000_000, 60], attn: [3_000_000, 30] } })
    expect(bare.meta.gpus ?? []).toEqual([])
    const c = compareProfiles([run()], [bare], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(notes(c)).toContainEqual({ code: 'gpu-unknown', severity: 'info' })
    expect(c.notes.find((n) => n.code === 'gpu-unknown')?.message).toBe(
      'Only the base recorded its GPU (NVIDIA H100 80GB HBM3); the head recorded none (`nvidia-smi` was not found where it ran, or its reports name no device), so the GPU models could not be compared.'
    )
    expect(rederived(c).notes).toContainEqual(c.notes.find((n) => n.code === 'gpu-unknown'))
    // Neither side knows its GPU (two CSVs): nothing to say.
    expect(compareProfiles([bare], [bare], rules).notes.map((n) => n.code)).not.toContain(
      'gpu-unknown'
    )
  })

  it('mig-layout-differs: base on a 3g.40gb+2g.20gb split, head on the whole GPU', () => {
    const split = { migMode: 'Enabled', migDevices: ['3g.40gb', '2g.20gb'] }
    const c = compareProfiles([run(split)], [run()], rules)
    expect(c.gate.verdict).toBe('inconclusive')
    expect(c.gate.reasons).toEqual([
      {
        code: 'mig-layout-differs',
        severity: 'error',
        message:
          "The GPU's MIG layout differs between the runs (MIG 3g.40gb+2g.20gb in base run 1; MIG off in head run 1): a MIG instance has a share of the GPU's SMs and memory, so timings on different layouts do not compare."
      }
    ])
    expect(rederived(c).gate.verdict).toBe('inconclusive')
  })

  it('gpu-shared: another process on the GPU as a head run started', () => {
    const other = [{ pid: 4242, name: '/usr/bin/python3', usedMemoryMiB: 30512 }]
    const c = compareProfiles([run(), run()], [run(), run({}, other)], rules)
    expect(c.gate.verdict).toBe('inconclusive')
    expect(c.gate.reasons).toEqual([
      {
        code: 'gpu-shared',
        severity: 'error',
        message:
          'Another process was on the GPU when 1 run started (head run 2: /usr/bin/python3 (pid 4242)): it competes with the benchmark for the GPU, so the timings measure both. Give the runner the GPU alone.'
      }
    ])
    const again = rederived(c)
    expect(again.gate.verdict).toBe('inconclusive')
    expect(again.gate.reasons.map((r) => r.code)).toEqual(['gpu-shared'])
  })

  it('processes not looked at (an older baseline) are no evidence either way', () => {
    const c = compareProfiles([run({}, undefined)], [run()], rules)
    expect(c.gate.verdict).toBe('pass')
  })

  it('a driver release apart is an info note; a major version apart, a warning', () => {
    const minor = compareProfiles([run({ driver: '550.54.14' })], [run()], rules)
    expect(minor.gate.verdict).toBe('pass')
    expect(notes(minor)).toContainEqual({ code: 'driver-minor-differs', severity: 'info' })
    const major = compareProfiles([run({ driver: '535.104.05' })], [run()], rules)
    expect(major.gate.verdict).toBe('pass')
    expect(major.notes.find((n) => n.code === 'driver-major-differs')).toEqual({
      code: 'driver-major-differs',
      severity: 'warning',
      message:
        "Different GPU driver versions: base 535.104.05, head 550.54.15. A major driver version changes the CUDA runtime's behaviour; compare on one driver where you can."
    })
  })

  it('another power limit or persistence mode is a warning', () => {
    const c = compareProfiles([run({ powerLimitW: 500 })], [run()], rules)
    expect(c.gate.verdict).toBe('pass')
    expect(c.notes.find((n) => n.code === 'gpu-settings-differ')?.message).toBe(
      "The GPU's settings differ between the runs (persistence Enabled, ECC Enabled, power limit 500 W in base run 1; persistence Enabled, ECC Enabled, power limit 700 W in head run 1)."
    )
  })

  it('clocks-differ flags the runs that started at another SM clock (more than 5 % apart)', () => {
    const within = compareProfiles([run({ smClockMHz: 1980 })], [run({ smClockMHz: 1890 })], rules)
    expect(within.notes.map((n) => n.code)).not.toContain('clocks-differ')
    const c = compareProfiles(
      [run(), run({ smClockMHz: 1410 })],
      [run(), run({ smClockMHz: 345 })],
      rules
    )
    expect(c.gate.verdict).toBe('pass')
    expect(c.notes.find((n) => n.code === 'clocks-differ')).toMatchObject({
      severity: 'warning',
      message: expect.stringContaining(
        '(1980 MHz in base run 1, head run 1; 1410 MHz in base run 2; 345 MHz in head run 2)'
      )
    })
  })
})
