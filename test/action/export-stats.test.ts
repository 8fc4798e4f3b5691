import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { exportStats, type Nsys } from '../../src/action/nsys.js'
import type { ProcessResult, RunProcess } from '../../src/action/process.js'
import { EnvironmentError } from '../../src/errors.js'

/**
 * `nsys stats` as the action runs it, with a stand-in for nsys that behaves as the real one does
 * for an unknown report (test/fixtures/nsys-real/2022.4/misc/new-report-name_stderr.txt): it
 * writes no file for it, says `ERROR: Report '<name>' could not be found.` on stderr and exits 0.
 */
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsys-bench-export-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** An nsys that knows every report but `unknown`; it writes `<base>_<report>.csv` for the rest. */
function fakeNsys(unknown: readonly string[], calls: string[][]): RunProcess {
  return async (_command, args) => {
    calls.push([...args])
    const reports = (args[args.indexOf('--report') + 1] ?? '').split(',')
    const output = args[args.indexOf('--output') + 1] ?? ''
    const stderr: string[] = []
    for (const report of reports) {
      if (unknown.includes(report)) stderr.push(`ERROR: Report '${report}' could not be found.`)
      else await writeFile(`${output}_${report}.csv`, '')
    }
    const result: ProcessResult = {
      code: 0,
      signal: null,
      timedOut: false,
      stdout: '',
      stderr: stderr.map((l) => `${l}\n`).join(''),
      tail: stderr
    }
    return result
  }
}

const nsys = (major: number, version: string): Nsys => ({ path: '/opt/nsys', version, major })

describe('exportStats: the NVTX projection reports', () => {
  it('exports them under their 2023+ names, and under their old ones for 2022.4', async () => {
    const calls: string[][] = []
    const recent = await exportStats(
      fakeNsys([], calls),
      nsys(2023, '2023.4.4'),
      'r.nsys-rep',
      join(dir, 'a'),
      'run-1',
      {},
      () => {}
    )
    expect(calls[0]).toContain(
      'cuda_gpu_kern_sum,cuda_api_sum,cuda_gpu_mem_time_sum,cuda_gpu_mem_size_sum,nvtx_sum,osrt_sum,nvtx_gpu_proj_sum,nvtx_kern_sum,cuda_gpu_trace'
    )
    expect(recent.notes).toEqual([])
    expect(recent.files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toContain(
      'run-1_nvtx_kern_sum.csv'
    )
    const old = await exportStats(
      fakeNsys([], calls),
      nsys(2022, '2022.4.2'),
      'r.nsys-rep',
      join(dir, 'b'),
      'run-1',
      {},
      () => {}
    )
    expect(calls[1]).toContain(
      'gpukernsum,cudaapisum,gpumemtimesum,gpumemsizesum,nvtxsum,osrtsum,nvtxgpuproj,nvtxkernsum,gputrace'
    )
    expect(old.files).toHaveLength(9)
  })

  it('an nsys without them (2021): left out with a note, not an error', async () => {
    const calls: string[][] = []
    const out = await exportStats(
      fakeNsys(['nvtxgpuproj', 'nvtxkernsum'], calls),
      nsys(2021, '2021.5.1'),
      'r.nsys-rep',
      dir,
      'run-1',
      {},
      () => {}
    )
    expect(calls).toHaveLength(1)
    expect(out.files).toHaveLength(7)
    expect(out.notes.map((n) => [n.code, n.severity])).toEqual([
      ['report-not-available', 'info'],
      ['report-not-available', 'info']
    ])
    expect(out.notes[0]?.message).toContain('nsys 2021.5.1 has no nvtxgpuproj report')
    expect((await readdir(dir)).sort()).toHaveLength(7)
  })

  it('a report the tool needs that nsys cannot find is still an error', async () => {
    await expect(
      exportStats(
        fakeNsys(['gpukernsum'], []),
        nsys(2021, '2021.5.1'),
        'r.nsys-rep',
        dir,
        'run-1',
        {},
        () => {}
      )
    ).rejects.toThrow(EnvironmentError)
    await expect(
      exportStats(
        fakeNsys(['gpukernsum'], []),
        nsys(2021, '2021.5.1'),
        'r.nsys-rep',
        dir,
        'run-2',
        {},
        () => {}
      )
    ).rejects.toThrow(/run-2_gpukernsum\.csv.*Report 'gpukernsum' could not be found/)
  })
})
