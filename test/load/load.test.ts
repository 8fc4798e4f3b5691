import { mkdtempSync, writeFileSync, mkdirSync, copyFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { inOrder, loadInput, loadRun } from '../../src/load/index.js'
import { readRulesFile } from '../../src/load/rules-file.js'
import { FIXTURES } from '../support/paths.js'

const KERN =
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n100.0,100,1,100.0,100.0,100,100,0.0,gemm\n'
const API =
  'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n100.0,7,1,7.0,7.0,7,7,0.0,cudaMalloc\n'

function dir(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'nsys-bench-load-'))
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content)
  return root
}

describe('input detection', () => {
  it('reads a directory of nsys stats --output files as one run, with 0-byte files as no data', async () => {
    const root = dir({
      'run_cuda_gpu_kern_sum.csv': KERN,
      'run_cuda_api_sum.csv': API,
      'run_nvtx_sum.csv': '',
      'run_cuda_api_trace.csv': 'Start (ns),Duration (ns),Name\n',
      'README.md': 'not a report'
    })
    const runs = await loadInput(root)
    expect(runs).toHaveLength(1)
    const [run] = runs
    expect(run?.tables.kernels?.get('gemm')?.total).toBe(100)
    expect(run?.tables.cudaApi?.get('cudaMalloc')?.total).toBe(7)
    expect(run?.tables.nvtx?.size).toBe(0)
    expect(run?.meta.notes.map((n) => n.message).join('\n')).toMatch(
      /run_cuda_api_trace\.csv: not a report nsys-bench reads; ignored/
    )
  })

  it('reads one run per base name from a directory (repetitions)', async () => {
    const root = dir({
      'rep1_cuda_gpu_kern_sum.csv': KERN,
      'rep2_cuda_gpu_kern_sum.csv': KERN.replace(
        '100.0,100,1,100.0,100.0,100,100',
        '100.0,120,1,120.0,120.0,120,120'
      )
    })
    const runs = await loadInput(root)
    expect(runs.map((r) => r.tables.kernels?.get('gemm')?.total)).toEqual([100, 120])
  })

  it('reads a directory of profile JSONs as one run per file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-load-'))
    copyFileSync(join(FIXTURES, 'profile-v1.json'), join(root, 'a.json'))
    copyFileSync(join(FIXTURES, 'profile-v1.json'), join(root, 'b.json'))
    expect(await loadInput(root)).toHaveLength(2)
  })

  it('reads a report file named after its report, and several files of one run together', async () => {
    const root = dir({ 'x_cuda_gpu_kern_sum.csv': KERN, 'x_cuda_api_sum.csv': API })
    const run = await loadRun([
      join(root, 'x_cuda_gpu_kern_sum.csv'),
      join(root, 'x_cuda_api_sum.csv')
    ])
    expect(Object.keys(run.tables).sort()).toEqual(['cudaApi', 'kernels'])
  })

  it('explains what to do with an .nsys-rep', async () => {
    const root = dir({ 'bench.nsys-rep': Buffer.from([0, 1, 2]) })
    await expect(loadInput(join(root, 'bench.nsys-rep'))).rejects.toThrow(
      /is an Nsight Systems report, not stats output\. Export its stats first: `LC_ALL=C nsys stats/
    )
    await expect(loadInput(root)).rejects.toThrow(
      /has no nsys stats output files .* It has "bench\.nsys-rep": turn a report into stats files/
    )
  })

  it('says what is wrong with other inputs', async () => {
    const root = dir({
      'trace.json': '{"traceEvents": []}',
      'other.json': '{"a": 1}',
      'broken.json': '{"a":',
      'trace.json.gz': gzipSync('{}')
    })
    await expect(loadInput(join(root, 'missing'))).rejects.toThrow(
      /missing": no such file or directory/
    )
    // A trace without events is read, and says that it has no kernels.
    const [trace] = await loadInput(join(root, 'trace.json'))
    expect(trace?.meta.notes.map((n) => n.code)).toContain('trace-no-kernels')
    expect(trace?.tables.kernels?.size).toBe(0)
    await expect(loadInput(join(root, 'other.json'))).rejects.toThrow(
      /is JSON but not a profile written by nsys-bench/
    )
    await expect(loadInput(join(root, 'broken.json'))).rejects.toThrow(/is not valid JSON/)
    await expect(loadInput(join(root, 'trace.json.gz'))).rejects.toThrow(
      /a JSON object without "traceEvents": not a Chrome trace/
    )
    const empty = join(root, 'empty')
    mkdirSync(empty)
    await expect(loadInput(empty)).rejects.toThrow(/has no nsys stats output files/)
  })

  it('refuses a directory that mixes stats files and JSON', async () => {
    const root = dir({ 'run_cuda_gpu_kern_sum.csv': KERN, 'profile.json': '{}' })
    await expect(loadInput(root)).rejects.toThrow(/holds both nsys stats files and JSON files/)
  })
})

describe('--lines', () => {
  it('is refused for a directory: line numbers belong to one file', async () => {
    const root = dir({ 'run_cuda_gpu_kern_sum.csv': KERN, 'run_cuda_api_sum.csv': API })
    await expect(loadInput(root, { lines: [[1, 2]] })).rejects.toThrow(
      /is a directory; --lines chooses lines of one nsys stats text: give the file whose lines you mean/
    )
    // The same directory without it is read.
    expect(await loadInput(root)).toHaveLength(1)
  })
})

describe('files read at once', () => {
  const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

  it('keeps the inputs’ order, and throws the first input’s error whichever fails first', async () => {
    expect(
      await inOrder([30, 1, 10, 20], async (ms) => {
        await wait(ms)
        return ms
      })
    ).toEqual([30, 1, 10, 20])
    await expect(
      inOrder([40, 1, 5], async (ms) => {
        await wait(ms)
        if (ms !== 5) throw new Error(`input ${ms}`)
        return ms
      })
    ).rejects.toThrow('input 40')
  })

  it('reads at most 4 files at a time', async () => {
    let open = 0
    let most = 0
    await inOrder(
      Array.from({ length: 30 }, (_, i) => i),
      async () => {
        most = Math.max(most, ++open)
        await wait(2)
        open--
      }
    )
    expect(most).toBe(4)
  })
})

describe('a downloaded baseline artifact', () => {
  it('reads its profile JSONs as runs and leaves its history.json.gz (not a trace) to --history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-baseline-artifact-'))
    const profile = JSON.stringify({
      schemaVersion: 2,
      kind: 'nsys-bench/profile',
      meta: {
        tool: { name: 'nsys-bench', version: 'test' },
        profiler: { name: 'nsys' },
        sources: [],
        reports: { kernels: 'cuda_gpu_kern_sum' },
        kernelNaming: 'demangled',
        notes: []
      },
      tables: {
        kernels: {
          unit: 'ns',
          rows: {
            '0': {
              name: 'gemm',
              totalNs: 1000,
              instances: 1,
              avgNs: 1000,
              minNs: 1000,
              maxNs: 1000
            }
          }
        }
      }
    })
    writeFileSync(join(dir, 'run-1.json'), profile)
    writeFileSync(join(dir, 'run-2.json'), profile)
    writeFileSync(join(dir, 'history.json.gz'), gzipSync('{"kind":"nsys-bench/history"}'))
    const runs = await loadInput(dir)
    expect(runs).toHaveLength(2)
    expect(runs.map((r) => r.tables.kernels?.get('gemm')?.total)).toEqual([1000, 1000])
  })
})

describe('a downloaded report artifact', () => {
  // The action keeps each run's GPU trace gzip-compressed beside its other reports
  // (src/action/nsys.ts, loadStatsRun): read through gunzip, as the plain file is read.
  const TRACE =
    'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name\n' +
    '1000,100000,7,,,,,,,,,,1.049,10490.000,Pageable,Device,NVIDIA H100 80GB HBM3 (0),1,,7,[CUDA memcpy Host-to-Device]\n' +
    '200000,50000,8,108,1,1,256,1,1,32,0.000,0.049,,,,,NVIDIA H100 80GB HBM3 (0),1,,7,gemm\n' +
    '300000,1000,9,,,,,,,,,,0.049,49000.000,Device,,NVIDIA H100 80GB HBM3 (0),1,,7,[CUDA memset]\n'
  const comparable = (p: Awaited<ReturnType<typeof loadInput>>[number]) => ({
    kernels: [...(p.tables.kernels ?? [])],
    memTime: [...(p.tables.memTime ?? [])],
    memSize: [...(p.tables.memSize ?? [])],
    gpuIdle: [...(p.tables.gpuIdle ?? [])],
    timeline: p.timeline,
    launches: [...(p.launches ?? [])].map(([k, v]) => [k, v.sketch.count])
  })

  it('reads a run whose GPU trace is kept as .csv.gz, in a directory and alone, as the plain file', async () => {
    const plain = dir({ 'run_cuda_gpu_kern_sum.csv': KERN, 'run_cuda_gpu_trace.csv': TRACE })
    const packed = dir({
      'run_cuda_gpu_kern_sum.csv': KERN,
      'run_cuda_gpu_trace.csv.gz': gzipSync(TRACE)
    })
    const [a] = await loadInput(plain)
    const [b] = await loadInput(packed)
    expect(comparable(b!)).toEqual(comparable(a!))
    // By hand: the copy and the set (100 µs and 1 µs), 1.049 MB and 0.049 MB; one GPU (keys
    // spell copies as nsys 2022 did, src/profile/keys.ts).
    expect(b!.tables.memTime?.get('[CUDA memcpy HtoD]')?.total).toBe(100_000)
    expect(b!.tables.memSize?.get('[CUDA memset]')?.total).toBe(49_000)
    expect(b!.timeline?.devices).toHaveLength(1)
    // Alone: a report file's name says what the gzip holds (not a Chrome trace).
    const [alone] = await loadInput(join(packed, 'run_cuda_gpu_trace.csv.gz'))
    const [alonePlain] = await loadInput(join(plain, 'run_cuda_gpu_trace.csv'))
    expect(comparable(alone!)).toEqual(comparable(alonePlain!))
    // And as files of one run (`summarize run_cuda_gpu_kern_sum.csv run_cuda_gpu_trace.csv.gz`).
    const files = await loadRun([
      join(packed, 'run_cuda_gpu_kern_sum.csv'),
      join(packed, 'run_cuda_gpu_trace.csv.gz')
    ])
    expect(comparable(files)).toEqual(comparable(a!))
  })

  it('reads a trace kept both plain and compressed once, and says so', async () => {
    const both = dir({
      'run_cuda_gpu_kern_sum.csv': KERN,
      'run_cuda_gpu_trace.csv': TRACE,
      'run_cuda_gpu_trace.csv.gz': gzipSync(TRACE)
    })
    const [run] = await loadInput(both)
    expect(run!.tables.memTime?.get('[CUDA memset]')?.instances).toBe(1)
    expect(run!.meta.notes.map((n) => n.message)).toContainEqual(
      `${join(both, 'run_cuda_gpu_trace.csv.gz')}: the same report as ${join(both, 'run_cuda_gpu_trace.csv')} beside it, which is read; ignored`
    )
  })

  it('refuses a cut or corrupt .csv.gz, naming the file', async () => {
    const whole = gzipSync(TRACE)
    const cut = dir({ 'run_cuda_gpu_trace.csv.gz': whole.subarray(0, whole.length - 12) })
    await expect(loadInput(cut)).rejects.toThrow(
      `${join(cut, 'run_cuda_gpu_trace.csv.gz')}: the gzip stream ends early: the file was cut`
    )
    const bad = Buffer.from(whole)
    bad[20] = bad[20]! ^ 0xff
    const corrupt = dir({ 'run_cuda_gpu_trace.csv.gz': bad })
    await expect(loadInput(corrupt)).rejects.toThrow(
      new RegExp(
        `${join(corrupt, 'run_cuda_gpu_trace.csv.gz').replace(/[.]/g, '\\.')}: (is not valid gzip|the gzip stream ends early)`
      )
    )
  })
})

describe('files of an input directory that are not read', () => {
  // Every file no run reads is named on each run read from the directory (`file-ignored`), the
  // baseline's history.json.gz aside; a report file's name spoiled by a copy's suffix or by
  // capitals is a warning that gives the name to use.
  const ignored = (run: {
    meta: { notes: { code: string; severity: string; message: string }[] }
  }) =>
    run.meta.notes
      .filter((n) => n.code === 'file-ignored')
      .map((n) => `${n.severity}: ${n.message}`)
      .sort()

  it('in a directory of nsys stats files: strays, copies of report files and reports', async () => {
    const root = dir({
      'run_cuda_gpu_kern_sum.csv': KERN,
      'run2_cuda_gpu_kern_sum (1).csv': KERN,
      'run_cuda_gpu_kern_sum (1).csv': KERN,
      'run3_cuda_gpu_kern_sum.CSV': KERN,
      'RUN4_CUDA_GPU_KERN_SUM.csv': KERN,
      'run5_cudagpukernsum.csv': KERN,
      'other_cuda_api_trace.csv': 'Start (ns),Duration (ns),Name\n',
      'README.txt': 'notes',
      'bench.nsys-rep': Buffer.from([0, 1, 2]),
      'history.json.gz': gzipSync('{}')
    })
    mkdirSync(join(root, 'old'))
    const runs = await loadInput(root)
    expect(runs).toHaveLength(1)
    const at = (name: string) => join(root, name)
    const elsewhere =
      'not a file nsys-bench reads in an input directory (nsys stats files <base>_<report>.csv, profile JSONs *.json, Chrome traces *.json or *.json.gz); ignored'
    const rename = (name: string, to: string) =>
      `warning: ${at(name)}: named like a report file, but not as nsys stats --output names one (a copy's suffix, or an extension in capitals?), so it was not read: rename it to ${to} to read it`
    expect(ignored(runs[0]!)).toEqual(
      [
        `info: ${at('README.txt')}: ${elsewhere}`,
        `info: ${at('old')}: a directory inside an input directory, not looked into; ignored`,
        `info: ${at('run5_cudagpukernsum.csv')}: ${elsewhere}`,
        `info: ${at('bench.nsys-rep')}: an Nsight Systems report, not read (nsys-bench reads the stats exported from it with nsys stats); ignored`,
        `info: ${at('other_cuda_api_trace.csv')}: not a report nsys-bench reads, and no run of its base name was read; ignored`,
        rename('run2_cuda_gpu_kern_sum (1).csv', 'run2_cuda_gpu_kern_sum.csv'),
        rename('run3_cuda_gpu_kern_sum.CSV', 'run3_cuda_gpu_kern_sum.csv'),
        rename('RUN4_CUDA_GPU_KERN_SUM.csv', 'RUN4_cuda_gpu_kern_sum.csv'),
        `warning: ${at('run_cuda_gpu_kern_sum (1).csv')}: named like the report file run_cuda_gpu_kern_sum.csv beside it (a copy?), and not read: if it holds another run, rename it with a base name of its own (<base>_<report>.csv, as nsys stats --output writes it)`
      ].sort()
    )
  })

  it('on every run of a directory of profile JSONs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-load-'))
    copyFileSync(join(FIXTURES, 'profile-v1.json'), join(root, 'run-1.json'))
    copyFileSync(join(FIXTURES, 'profile-v1.json'), join(root, 'run-2.json'))
    copyFileSync(join(FIXTURES, 'profile-v1.json'), join(root, 'run-3.json.bak'))
    writeFileSync(join(root, 'results.csv'), 'a,b\n')
    writeFileSync(join(root, 'history.json.gz'), gzipSync('{}'))
    const runs = await loadInput(root)
    expect(runs).toHaveLength(2)
    const expected = ['run-3.json.bak', 'results.csv']
      .map(
        (name) =>
          `info: ${join(root, name)}: not a file nsys-bench reads in an input directory (nsys stats files <base>_<report>.csv, profile JSONs *.json, Chrome traces *.json or *.json.gz); ignored`
      )
      .sort()
    expect(ignored(runs[0]!)).toEqual(expected)
    expect(ignored(runs[1]!)).toEqual(expected)
  })

  it('on the run of a directory of Chrome traces', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-load-'))
    copyFileSync(
      join(FIXTURES, 'corpus', 'traces', 'HTA_tests-data_critical_path_simple_add_trace.json.gz'),
      join(root, 'rank-0.json.gz')
    )
    writeFileSync(join(root, 'rank-0.log'), 'log')
    const runs = await loadInput(root)
    expect(runs).toHaveLength(1)
    expect(ignored(runs[0]!)).toEqual([
      `info: ${join(root, 'rank-0.log')}: not a file nsys-bench reads in an input directory (nsys stats files <base>_<report>.csv, profile JSONs *.json, Chrome traces *.json or *.json.gz); ignored`
    ])
  })
})

describe('JSON files with a byte order mark, or cut', () => {
  // Windows editors and PowerShell's Out-File start a UTF-8 file with EF BB BF.
  const BOM = '\uFEFF'

  it('reads a profile JSON and a rules file that start with one', async () => {
    const profile = readFileSync(join(FIXTURES, 'profile-v1.json'), 'utf8')
    const root = dir({ 'run.json': BOM + profile, 'rules.json': `${BOM}{"alpha": 0.01}` })
    const [run] = await loadInput(join(root, 'run.json'))
    // The fixture's row, by hand: 3 launches, 3718568 ns.
    expect(run?.tables.kernels?.get('ampere_sgemm_128x64_tn')?.total).toBe(3718568)
    expect((await readRulesFile(join(root, 'rules.json'), {})).alpha).toBe(0.01)
  })

  it('says a rules file that ends inside the JSON was cut', async () => {
    const root = dir({ 'rules.json': '{"alpha": 0.01, "rules": [{"table": "kern' })
    await expect(readRulesFile(join(root, 'rules.json'), {})).rejects.toThrow(
      `the rules file "${join(root, 'rules.json')}" is not valid JSON: the file ends early (an interrupted download or copy?): get it whole again`
    )
  })
})
