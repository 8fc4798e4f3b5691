import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import { parseNsysStats } from '../../src/parse/nsys/index.js'
import { assembleProfile } from '../../src/parse/nsys/assemble.js'
import { nvtxKernelName } from '../../src/profile/keys.js'
import type { Profile, Stat } from '../../src/profile/model.js'
import { expectedKernelsPerRange, expectedProjections } from '../support/nsys/nvtx-expected.js'
import type { NsysDbSpec } from '../support/nsys/sqlite.js'
import { FIXTURES } from '../support/paths.js'

/**
 * nsys's NVTX projection reports as the real nsys 2022.4 and 2023.4 print them
 * (test/fixtures/nsys-real/<version>/nvtx-proj, written by test/support/nsys/nsys-harness.test.ts
 * from spec-nvtx-proj.json), in every format. Expected values come from the spec
 * (test/support/nsys/nvtx-expected.ts, independent of nsys and of the parser), and a few are
 * written out by hand below.
 */
const REAL = join(FIXTURES, 'nsys-real')
const spec = JSON.parse(readFileSync(join(REAL, 'spec-nvtx-proj.json'), 'utf8')) as NsysDbSpec
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0)
const ATTN = 'void flash::attn<128, true>(Params const*, int)'
const GEMM = 'ampere_sgemm_128x64_tn'

function byName(profile: Profile, table: 'nvtxGpu' | 'nvtxKernels'): Map<string, Stat> {
  return new Map([...(profile.tables[table]?.values() ?? [])].map((s) => [s.name, s]))
}

/** nvtxGpu: every range with GPU work, its projected time, instances, extremes. */
function checkGpu(profile: Profile, withMedian: boolean): void {
  const expected = expectedProjections(spec)
  const actual = byName(profile, 'nvtxGpu')
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort())
  for (const [name, xs] of expected) {
    const stat = actual.get(name)
    expect(stat?.total, name).toBe(sum(xs))
    expect(stat?.instances, name).toBe(xs.length)
    expect(stat?.min, name).toBe(Math.min(...xs))
    expect(stat?.max, name).toBe(Math.max(...xs))
    expect(stat?.avg, name).toBeCloseTo(sum(xs) / xs.length, 6)
    if (!withMedian) expect(stat?.med, name).toBeUndefined()
  }
  // By hand: decode ran 4 times, projected 8, 9, 9 and 10 µs (its CPU ranges last 20 µs each);
  // iteration twice, 83 and 72 µs; `idle` launched nothing and is not listed.
  expect(actual.get('decode')).toMatchObject({
    total: 36_000,
    instances: 4,
    min: 8000,
    max: 10_000
  })
  expect(actual.get('iteration')).toMatchObject({ total: 155_000, instances: 2 })
  expect(actual.get('vllm:step, "warmup"')).toMatchObject({ total: 18_000, instances: 1 })
  if (withMedian) expect(actual.get('decode')?.med).toBe(9000)
  expect(actual.has('idle')).toBe(false)
}

/** nvtxKernels: every range › kernel, with its launches and the range instances (occurrences). */
function checkKernels(profile: Profile): void {
  const expected = expectedKernelsPerRange(spec)
  const actual = byName(profile, 'nvtxKernels')
  expect([...actual.keys()].sort()).toEqual(
    expected.map((e) => nvtxKernelName(e.range, e.kernel)).sort()
  )
  for (const e of expected) {
    const name = nvtxKernelName(e.range, e.kernel)
    const stat = actual.get(name)
    expect(stat?.total, name).toBe(sum(e.durations))
    expect(stat?.instances, name).toBe(e.durations.length)
    expect(stat?.occurrences, name).toBe(e.rangeInstances)
    expect(stat?.min, name).toBe(Math.min(...e.durations))
    expect(stat?.max, name).toBe(Math.max(...e.durations))
  }
  // By hand: attention in decode, 3 + 4 + 3 + 5 µs over 4 decode steps; in iteration (every
  // launch of both iterations, nested ranges included) 53 µs over 2.
  expect(actual.get(`decode › ${ATTN}`)).toMatchObject({
    total: 15_000,
    instances: 4,
    occurrences: 4,
    med: 3500
  })
  expect(actual.get(`iteration › ${ATTN}`)).toMatchObject({ total: 53_000, occurrences: 2 })
  expect(actual.get(`prefill › ${GEMM}`)).toMatchObject({ total: 22_000, instances: 2 })
}

const outsideNote = (profile: Profile): string[] =>
  profile.meta.notes.filter((n) => n.code === 'nvtx-outside-ranges').map((n) => n.message)

describe('NVTX projection reports of the real nsys', () => {
  it('nsys 2023.4, the files of --output: nvtx_gpu_proj_sum wins over the trace', async () => {
    const [run] = await loadInput(join(REAL, '2023.4', 'nvtx-proj'))
    expect(run?.meta.reports).toEqual({
      nvtxGpu: 'nvtx_gpu_proj_sum',
      nvtxKernels: 'nvtx_kern_sum'
    })
    checkGpu(run!, true)
    checkKernels(run!)
    // The trace's row of GPU work outside every range, and nvtx_kern_sum's: left out, with a note.
    expect(outsideNote(run!)).toHaveLength(2)
    expect(outsideNote(run!)[0]).toContain(
      '1 row of GPU operations launched outside every NVTX range (2000 ns)'
    )
  })

  it('nsys 2023.4: nvtx_gpu_proj_trace alone, folded per range', async () => {
    const [run] = await loadInput(join(REAL, '2023.4', 'nvtx-proj', 'nvtx_nvtx_gpu_proj_trace.csv'))
    expect(run?.meta.reports).toEqual({ nvtxGpu: 'nvtx_gpu_proj_trace' })
    checkGpu(run!, false)
  })

  it('nsys 2022.4, the files of --output: nvtxgpuproj folded per range, nvtxkernsum', async () => {
    const [run] = await loadInput(join(REAL, '2022.4', 'nvtx-proj'))
    expect(run?.meta.reports).toEqual({ nvtxGpu: 'nvtxgpuproj', nvtxKernels: 'nvtxkernsum' })
    checkGpu(run!, false)
    checkKernels(run!)
    // 2022.4's trace lists no row for work outside the ranges; its nvtxkernsum does (`None`).
    expect(outsideNote(run!)).toHaveLength(1)
  })

  for (const version of ['2022.4', '2023.4'] as const) {
    for (const format of ['csv', 'column', 'table', 'tsv', 'json'] as const) {
      it(`nsys ${version}, ${format} format on the console`, async () => {
        const runs = await loadInput(join(REAL, version, 'nvtx-proj', `stdout_${format}.txt`))
        expect(runs).toHaveLength(1)
        checkGpu(runs[0]!, version === '2023.4')
        checkKernels(runs[0]!)
        if (version === '2022.4')
          expect(runs[0]?.meta.notes.find((n) => n.code === 'report-not-found')?.message).toContain(
            'new in nsys 2023; 2022.4 has only the per-instance nvtxgpuproj'
          )
      })
    }
  }

  it('every format reads the same tables', async () => {
    for (const version of ['2022.4', '2023.4']) {
      const [csv] = await loadInput(join(REAL, version, 'nvtx-proj', 'stdout_csv.txt'))
      for (const format of ['column', 'table', 'tsv', 'json']) {
        const [other] = await loadInput(join(REAL, version, 'nvtx-proj', `stdout_${format}.txt`))
        expect(other?.tables, `${version} ${format}`).toEqual(csv?.tables)
      }
    }
  })
})

/** One report's text (a header and rows) read as a report file. */
async function read(report: string, text: string): Promise<Profile> {
  const result = await parseNsysStats([text], {
    source: `x_${report}.csv`,
    report: { name: report },
    strict: 'auto'
  })
  return assembleProfile([result], { name: 'nsys-bench', version: 'test' }, 'x')
}

const KERN_HEADER =
  'NVTX Range,Style,PID,TID,NVTX Inst,Kern Inst,Total Time (ns),Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Kernel Name'
const SUM_HEADER =
  'Range,Style,Total Proj Time (ns),Total Range Time (ns),Range Instances,Proj Avg (ns),Proj Med (ns),Proj Min (ns),Proj Max (ns),Proj StdDev (ns),Total GPU Ops,Avg GPU Ops,Avg Range Lvl,Avg Num Child'

describe('NVTX projection rows: hostile names, refused rows', () => {
  it('a quoted first cell ends where the rest reads as the row; a leading quote without a comma is text', async () => {
    const profile = await read(
      'nvtx_kern_sum',
      [
        KERN_HEADER,
        // Range `a", b` (quoted: it holds a comma), kernel `k, "x"`.
        '"a", b",PushPop,1,1,2,2,300,150.0,150.0,100,200,70.7,"k, "x""',
        // Range `"quoted"` has no comma: printed as it is.
        '"quoted",PushPop,1,1,1,1,50,50.0,50.0,50,50,0.0,k',
        // The same range and kernel on another thread: one item.
        '"a", b",PushPop,1,2,1,1,100,100.0,100.0,100,100,0.0,"k, "x""',
        ''
      ].join('\n')
    )
    const rows = byName(profile, 'nvtxKernels')
    expect(rows.get('a", b › k, "x"')).toMatchObject({
      total: 400,
      instances: 3,
      occurrences: 3,
      min: 100,
      max: 200
    })
    expect(rows.get('"quoted" › k')).toMatchObject({ total: 50, occurrences: 1 })
  })

  it('a row with an edited number is refused with its line', async () => {
    await expect(
      read(
        'nvtx_gpu_proj_sum',
        [
          SUM_HEADER,
          'decode,PushPop,36000,80000,4,9000.0,9000.0,8000,10000,816.5,8,2.0,1.0,0.0',
          'prefill,PushPop,60000,60000,2,3000.0,30000.0,30000,30000,0.0,4,2.0,1.0,0.0',
          ''
        ].join('\n')
      )
    ).rejects.toThrow(/x_nvtx_gpu_proj_sum\.csv:3.*inconsistent/)
  })

  it('a row with a cell missing is refused with its line', async () => {
    await expect(
      read(
        'nvtx_gpu_proj_sum',
        [
          SUM_HEADER,
          'decode,PushPop,36000,80000,4,9000.0,9000.0,8000,10000,816.5,8,2.0,1.0',
          ''
        ].join('\n')
      )
    ).rejects.toThrow(/x_nvtx_gpu_proj_sum\.csv:2/)
  })

  it('a kernel name with a comma but no quotes (a cut or edited row) is refused', async () => {
    await expect(
      read(
        'nvtx_kern_sum',
        [
          KERN_HEADER,
          'decode,PushPop,1,1,4,4,15000,3750.0,3500.0,3000,5000,957.4,void f<1, 2>()',
          ''
        ].join('\n')
      )
    ).rejects.toThrow(/x_nvtx_kern_sum\.csv:2.*holds a comma but is not quoted/)
  })

  it('a row of more range instances than launches is refused with its line', async () => {
    // 4 launches of the kernel cannot have been made in 5 instances of `decode`, one each at least.
    await expect(
      read(
        'nvtx_kern_sum',
        [
          KERN_HEADER,
          'decode,PushPop,1,1,4,4,15000,3750.0,3500.0,3000,5000,957.4,gemm',
          'prefill,PushPop,1,1,5,4,15000,3750.0,3500.0,3000,5000,957.4,gemm',
          ''
        ].join('\n')
      )
    ).rejects.toThrow(
      /x_nvtx_kern_sum\.csv:3 \(column "NVTX Inst"\): 5 range instances launched the kernel only 4 times/
    )
  })

  it('a header of these reports with its free text moved is not read as them', async () => {
    await expect(
      read(
        'nvtx_gpu_proj_sum',
        ['Style,Range,Total Proj Time (ns),Range Instances,Proj Avg (ns)', ''].join('\n')
      )
    ).rejects.toThrow(/does not have the columns that report prints/)
  })
})
