import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import { sniffFormat } from '../../src/load/sniff.js'
import { RocprofParser } from '../../src/parse/rocprof/parser.js'
import type { TraceEvent } from '../../src/profile/events.js'
import { kernelKey } from '../../src/profile/keys.js'
import type { Profile } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'

/**
 * rocprof v1 and rocprofv3 output: every file of test/fixtures/corpus/rocm (real output pasted in
 * public repositories; first lines name the source), the numbers transcribed from the files by
 * hand.
 */
const ROCM = join(FIXTURES, 'corpus', 'rocm')
const file = (name: string): string => join(ROCM, name)

async function one(path: string): Promise<Profile> {
  const runs = await loadInput(path)
  expect(runs).toHaveLength(1)
  return runs[0]!
}

const codes = (p: Profile): string[] => p.meta.notes.map((n) => n.code)

describe('rocprof corpus', () => {
  it('rocprof v1 hsa_stats.csv: API calls, unquoted names, full-precision percentages', async () => {
    const path = file('ROCm_ROCm_issue-1640_rocprof-v1_hsa_stats.csv.txt')
    expect(sniffFormat(path, 'text')).toBe('rocprof')
    const p = await one(path)
    expect(p.meta.profiler.name).toBe('rocprof')
    expect(Object.keys(p.tables)).toEqual(['cudaApi'])
    const api = p.tables.cudaApi!
    expect(api.size).toBe(6)
    expect(api.get('hsa_signal_wait_scacquire')).toMatchObject({
      total: 177633790,
      instances: 1220,
      // rocprof v1 prints no extremes: their bounds.
      min: 0,
      max: 177633790
    })
    expect(api.get('hsa_signal_wait_scacquire')?.avg).toBeCloseTo(177633790 / 1220, 6)
    expect(api.get('hsa_system_get_info')).toMatchObject({ total: 7117219, instances: 10612 })
    // The shares add up to 92.6%: the stored issue body is cut after the 6th row.
    expect(codes(p)).toEqual(expect.arrayContaining(['rows-missing', 'min-max-unknown']))
    expect(p.meta.notes.find((n) => n.code === 'rows-missing')?.message).toMatch(/92\.6%/)
  })

  it('rocprof v1 results.stats.csv: a kernel with " [clone .kd]" keys as without it', async () => {
    const path = file('unattributed_rocprof-v1_results.stats.csv_kernel-clone-kd.txt')
    expect(sniffFormat(path, 'text')).toBe('rocprof')
    const p = await one(path)
    const row = p.tables.kernels?.get('copy_kernel(float*, float*, int, int)')
    expect(row).toMatchObject({
      name: 'copy_kernel(float*, float*, int, int) [clone .kd]',
      total: 165920,
      instances: 1,
      avg: 165920
    })
    expect(codes(p)).not.toContain('rows-missing')
    // The three spellings rocprof versions print meet; other names are unchanged.
    expect(kernelKey('k_BLOCK_SIZE_M_8.kd')).toBe('k_BLOCK_SIZE_M_8')
    expect(kernelKey('copy_kernel(float*, float*, int, int) [clone .kd]')).toBe(
      kernelKey('copy_kernel(float*, float*, int, int)')
    )
    expect(kernelKey('gemm_kd')).toBe('gemm_kd')
  })

  it('rocprofv3 kernel_stats.csv: two runs in one text, a row with a paste artifact left out', async () => {
    const path = file('amd_HPCTrainingExamples_PyTorch_Profiling_rocprofv3_kernel_stats.csv.txt')
    expect(sniffFormat(path, 'text')).toBe('rocprofv3')
    await expect(loadInput(path)).rejects.toThrow(
      /holds 2 captures of rocprof output \(1: lines 7–16, 2: lines 18–21\)/
    )
    const [single, mpi] = await loadInput(path, { captures: 'runs' })
    const kernels = single!.tables.kernels!
    // 9 rows; the last ends in "> " (the author's paste): not a number, so not read, and said.
    expect(kernels.size).toBe(8)
    expect(kernels.get('__amd_rocclr_copyBuffer')).toMatchObject({
      total: 17229993,
      instances: 7084,
      min: 601,
      max: 10656,
      stdDev: 1241.386133
    })
    const name =
      'void at::native::vectorized_elementwise_kernel<4, at::native::AUnaryFunctor<float, float, float, at::native::binary_internal::MulFunctor<float> >, at::detail::Array<char*, 2> >(int, at::native::AUnaryFunctor<float, float, float, at::native::binary_internal::MulFunctor<float> >, at::detail::Array<char*, 2>)'
    expect(kernels.get(kernelKey(name))).toMatchObject({ name, total: 12535732, instances: 3402 })
    expect(single!.meta.notes.find((n) => n.code === 'rows-unreadable')?.message).toMatch(
      /1 line of the rocprofv3 table at lines 7–16 is not a consistent row .*line 16/
    )
    expect(single!.meta.sources[0]).toMatch(/\(capture 1\)$/)
    expect(
      mpi!.tables.kernels?.get('rccl_main_kernel(ncclDevComm*, unsigned long, ncclWork*)')
    ).toMatchObject({
      total: 916515855,
      instances: 142,
      min: 7210,
      max: 382428559
    })
    const [second] = await loadInput(path, { capture: 2 })
    expect(second?.tables.kernels?.size).toBe(3)
  })

  it('rocprofv3 kernel_trace.csv (ROCm 6.2 columns, a hard-wrapped header): one event per dispatch', async () => {
    const path = file(
      'unattributed_rocprofv3_kernel_stats_scientific-notation_and_kernel_trace.txt'
    )
    expect(sniffFormat(path, 'text')).toBe('rocprofv3')
    const p = await one(path)
    expect(p.meta.reports.kernels).toBe('rocprofv3:kernel_trace')
    expect(p.tables.kernels?.get('__amd_rocclr_fillBufferAligned')).toMatchObject({
      total: 4484384343935074 - 4484384343929154,
      instances: 1
    })
    expect(
      p.tables.kernels?.get(kernelKey('NormKernel1(int, double, double, double const*, double*)'))
        ?.total
    ).toBe(4484384528106260 - 4484384527705139)
    // The kernel_stats rows above are an excerpt without their header: said, not guessed.
    expect(p.meta.notes.find((n) => n.code === 'headerless-rows')?.message).toMatch(
      /4 lines look like rows .*\(lines 4, 5, 6, 7\)/
    )
    // The same file as an event producer.
    const events: TraceEvent[] = []
    const parser = new RocprofParser(path, 'trace.csv', (e) => events.push(e))
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => parser.push(line, i + 1))
    parser.finish()
    expect(events).toEqual([
      {
        kind: 'kernel',
        name: '__amd_rocclr_fillBufferAligned',
        start: 0,
        duration: 5920,
        device: 8,
        stream: 1,
        correlation: 15,
        block: [256, 1, 1],
        grid: [32, 1, 1]
      },
      {
        kind: 'kernel',
        name: 'NormKernel1(int, double, double, double const*, double*)',
        start: 4484384527705139 - 4484384343929154,
        duration: 401121,
        device: 8,
        stream: 2,
        correlation: 33,
        block: [128, 1, 1],
        grid: [128, 1, 1]
      }
    ])
  })

  it('rocprofv3 kernel_stats.csv with scientific notation (the excerpt under its header)', async () => {
    const p = await one(join(FIXTURES, 'rocprof', 'rocprofv3_kernel_stats_scientific-notation.csv'))
    expect(p.meta.profiler.name).toBe('rocprofv3')
    expect(p.tables.kernels?.get('__amd_rocclr_fillBufferAligned')).toMatchObject({
      total: 5920,
      instances: 1,
      min: 5920,
      max: 5920,
      stdDev: 0
    })
    expect(
      p.tables.kernels?.get(kernelKey('NormKernel2(int, double const*, double*)'))
    ).toMatchObject({
      total: 3754094,
      instances: 1001,
      stdDev: 105.963559
    })
  })

  it('rocprofv3 kernel_trace.csv of ROCm 6.3+ ("Agent 2", Stream_Id), and --input-format checks', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rocprof-'))
    const path = join(root, 'run_kernel_trace.csv')
    writeFileSync(
      path,
      [
        '"Kind","Agent_Id","Queue_Id","Stream_Id","Thread_Id","Dispatch_Id","Kernel_Id","Kernel_Name","Correlation_Id","Start_Timestamp","End_Timestamp","LDS_Block_Size","Scratch_Size","VGPR_Count","Accum_VGPR_Count","SGPR_Count","Workgroup_Size_X","Workgroup_Size_Y","Workgroup_Size_Z","Grid_Size_X","Grid_Size_Y","Grid_Size_Z"',
        '"KERNEL_DISPATCH","Agent 2",1,3,9,1,4,"gemm, tiled",7,1000,1600,0,0,32,0,16,64,1,1,640,1,1',
        '"KERNEL_DISPATCH","Agent 2",1,3,9,2,4,"gemm, tiled",8,2000,2400,0,0,32,0,16,64,1,1,640,1,1',
        ''
      ].join('\n')
    )
    const p = await one(path)
    expect(p.tables.kernels?.get('gemm, tiled')).toMatchObject({
      total: 1000,
      instances: 2,
      min: 400,
      max: 600
    })
    await expect(loadInput(path, { format: 'rocprof' })).rejects.toThrow(
      /holds rocprofv3 output .* not rocprof: name the format it is \(--input-format rocprofv3\)/
    )
    expect(await loadInput(path, { format: 'rocprofv3' })).toHaveLength(1)
    await expect(loadInput(path, { format: 'chrome' })).rejects.toThrow(
      /is not a Chrome trace nsys-bench can read: not a Chrome trace: it starts with neither/
    )
  })
})

describe('a damaged rocprofv3 kernel trace: nothing is dropped silently', () => {
  const HEADER =
    '"Kind","Agent_Id","Queue_Id","Thread_Id","Dispatch_Id","Kernel_Id","Kernel_Name","Correlation_Id","Start_Timestamp","End_Timestamp"'
  const row = (i: number): string =>
    `"KERNEL_DISPATCH",8,1,1,${i},10,"k${i}",${i},${1000 * i},${1000 * i + 500}`
  const write = (name: string, lines: string[]): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'nsys-bench-rocprof-')), name)
    writeFileSync(path, `${lines.join('\n')}\n`)
    return path
  }
  const trace = (lines: string[]): string => write('run_kernel_trace.csv', lines)
  const names = (p: Profile): string[] => [...(p.tables.kernels?.values() ?? [])].map((s) => s.name)
  const message = (p: Profile, code: string): string | undefined =>
    p.meta.notes.find((n) => n.code === code)?.message
  const rows = (from: number, to: number): string[] =>
    Array.from({ length: to - from + 1 }, (_, k) => row(from + k))

  it('a row whose quote is never closed: that row is left out and named, the rows after it are read', async () => {
    // Line 5 (dispatch 4) opens a quote in the name and never closes it.
    const p = await one(
      trace([HEADER, ...rows(1, 3), '"KERNEL_DISPATCH",8,1,1,4,10,"k4,4,4000,4500', ...rows(5, 9)])
    )
    expect(names(p)).toEqual(['k1', 'k2', 'k3', 'k5', 'k6', 'k7', 'k8', 'k9'])
    expect(p.tables.kernels?.get('k9')).toMatchObject({ total: 500, instances: 1 })
    expect(message(p, 'rows-unreadable')).toMatch(
      /: 1 dispatch of the kernel trace at lines 1–10 .* \(line 5\)$/
    )
  })

  it('a row with one cell too many: left out and named, the table goes on', async () => {
    const p = await one(trace([HEADER, ...rows(1, 3), `${row(4)},extra`, ...rows(5, 6)]))
    expect(names(p)).toEqual(['k1', 'k2', 'k3', 'k5', 'k6'])
    expect(message(p, 'rows-unreadable')).toMatch(/\(line 5\)$/)
  })

  it('the last record cut inside a quote: said, and the rows before it kept', async () => {
    const p = await one(trace([HEADER, ...rows(1, 2), '"KERNEL_DISPATCH",8,1,1,3,10,"k3,3,30']))
    expect(names(p)).toEqual(['k1', 'k2'])
    // Two records cut at the end, each opening a quote: each is said.
    const two = await one(
      trace([
        HEADER,
        ...rows(1, 2),
        '"KERNEL_DISPATCH",8,1,1,3,10,"k3,3',
        '"KERNEL_DISPATCH",8,1,1,4,10,"k4,4'
      ])
    )
    expect(names(two)).toEqual(['k1', 'k2'])
    expect(
      two.meta.notes
        .filter((n) => n.code === 'record-unclosed')
        .map((n) => /the record at line (\d+)/.exec(n.message)?.[1])
    ).toEqual(['4', '5'])
    expect(message(p, 'record-unclosed')).toMatch(
      /: the record at line 4 has a quoted cell that is not closed/
    )
  })

  it('a kernel_stats row with 1e308 calls: not a count, left out and named (the profile JSON could not hold it)', async () => {
    const p = await one(
      write('run_kernel_stats.csv', [
        '"Name","Calls","TotalDurationNs","AverageNs","Percentage","MinNs","MaxNs","StdDev"',
        '"a",1e308,13996851,13996.851000,60,12800,17120,424.909547',
        '"b",1001,3754094,3750.343656,40,3520,4320,105.963559'
      ])
    )
    expect(names(p)).toEqual(['b'])
    expect(message(p, 'rows-unreadable')).toMatch(/: 1 line of the rocprofv3 table .* \(line 2\)$/)
  })

  it('a header without rows, or whose rows do not fit it: a warning, never a silent empty table', async () => {
    const empty = await one(trace([HEADER]))
    expect(empty.tables.kernels?.size).toBe(0)
    expect(message(empty, 'table-without-rows')).toMatch(
      /: the kernel trace at lines 1–1 has a header and no rows/
    )
    // The fuzzer's case: a quote of the header turned into \x01, so no row has the header's cells.
    const damaged = await one(
      trace([HEADER.replace('Thread_Id"', 'Thread_Id\u0001'), ...rows(1, 2)])
    )
    expect(damaged.tables.kernels?.size).toBe(0)
    expect(message(damaged, 'rows-unreadable')).toMatch(/: 2 dispatches .* \(lines 2, 3\)$/)
  })
})

describe('AMD output that is not kernel times: refused, saying what to give instead', () => {
  const write = (name: string, lines: string[]): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'nsys-bench-rocprof-')), name)
    writeFileSync(path, `${lines.join('\n')}\n`)
    return path
  }
  const COUNTER_HEADER =
    '"Correlation_Id","Dispatch_Id","Agent_Id","Queue_Id","Process_Id","Thread_Id","Grid_Size","Kernel_Id","Kernel_Name","Workgroup_Size","LDS_Block_Size","Scratch_Size","VGPR_Count","Accum_VGPR_Count","SGPR_Count","Counter_Name","Counter_Value","Start_Timestamp","End_Timestamp"'
  // rocprofiler-sdk's using-rocprofv3.rst example: two dispatches, two counters each.
  const COUNTER_ROWS = [
    '1,1,4,1,225049,225049,1048576,10,"void addition_kernel<float>(float*, float const*, float const*, int, int)",64,0,0,8,0,16,"SQ_WAVES",16384.000000,317095766765717,317095766775957',
    '1,1,4,1,225049,225049,1048576,10,"void addition_kernel<float>(float*, float const*, float const*, int, int)",64,0,0,8,0,16,"GRBM_COUNT",99.000000,317095766765717,317095766775957',
    '2,2,4,1,225049,225049,1048576,13,"subtract_kernel(float*, float const*, float const*, int, int)",64,0,0,8,0,16,"SQ_WAVES",16384.000000,317095767013157,317095767022957',
    '2,2,4,1,225049,225049,1048576,13,"subtract_kernel(float*, float const*, float const*, int, int)",64,0,0,8,0,16,"GRBM_COUNT",98.000000,317095767013157,317095767022957'
  ]
  const STATS_HEADER =
    '"Name","Calls","TotalDurationNs","AverageNs","Percentage","MinNs","MaxNs","StdDev"'

  it('a counter_collection.csv (one row per dispatch and counter) is not read as a kernel trace', async () => {
    const path = write('218_counter_collection.csv', [COUNTER_HEADER, ...COUNTER_ROWS])
    expect(sniffFormat(path, 'text')).toBe('rocprofv3')
    await expect(loadInput(path)).rejects.toThrow(
      /holds no table nsys-bench reads: the table at lines 1–5 \(4 rows\) is rocprofv3's counter collection \(\*_counter_collection\.csv.*not a kernel trace: it is not read; give the kernel trace \(\*_kernel_trace\.csv/
    )
    // Beside a kernel trace in one text: the trace is read, the counters said.
    const both = await one(
      write('notes.txt', [
        COUNTER_HEADER,
        ...COUNTER_ROWS,
        '',
        '"Kind","Agent_Id","Queue_Id","Thread_Id","Dispatch_Id","Kernel_Id","Kernel_Name","Correlation_Id","Start_Timestamp","End_Timestamp"',
        '"KERNEL_DISPATCH",4,1,1,1,10,"addition_kernel",1,317095766765717,317095766775957'
      ])
    )
    expect(both.tables.kernels?.get('addition_kernel')).toMatchObject({
      total: 10240,
      instances: 1
    })
    expect(both.meta.notes.find((n) => n.code === 'table-not-read')?.message).toMatch(
      /the table at lines 1–5 \(4 rows\) is rocprofv3's counter collection/
    )
  })

  it("rocprofv3's domain stats (and other non-kernel *_stats.csv) are not read as kernels", async () => {
    // rocprofiler-sdk's source/docs/data/hip_domain_stats.csv, verbatim.
    const domain = [
      STATS_HEADER,
      '"HIP_API",13,458514859,35270373.769231,100.00,2300,352276613,99315857.546240'
    ]
    await expect(loadInput(write('12345_domain_stats.csv', domain))).rejects.toThrow(
      /the table at lines 1–2 \(1 row\) is rocprofv3's domain_stats\.csv \(the time of each tracing domain.*not kernel times: it is not read; .*\*_kernel_stats\.csv/
    )
    await expect(loadInput(write('kernels_marker_api_stats.csv', domain))).rejects.toThrow(
      /is rocprofv3's marker_api_stats\.csv .*not kernel times/
    )
    // Without its file name: the rows are domains.
    const unnamed = [
      STATS_HEADER,
      '"HIP_RUNTIME_API",20000,400000000,20000.000000,80.00,1000,90000,5000.0',
      '"KERNEL_DISPATCH",10000,90000000,9000.000000,18.00,600,50000,2000.0',
      '"MEMORY_COPY",100,10000000,100000.000000,2.00,5000,500000,3000.0'
    ]
    await expect(loadInput(write('pasted.csv', unnamed))).rejects.toThrow(
      /is rocprofv3's domain stats \(\*_domain_stats\.csv: rows are tracing domains such as HIP_RUNTIME_API, KERNEL_DISPATCH, MEMORY_COPY\)/
    )
    // The API stats are still the API table, the copy stats the memory table.
    const api = await one(
      write('1_hip_api_stats.csv', [
        STATS_HEADER,
        '"hipLaunchKernel",10,1000,100.000000,100.0,90,110,5.0'
      ])
    )
    expect(api.tables.cudaApi?.get('hipLaunchKernel')).toMatchObject({ total: 1000, instances: 10 })
    const copies = await one(
      write('1_memory_copy_stats.csv', [
        STATS_HEADER,
        '"MEMORY_COPY_HOST_TO_DEVICE",2,3000,1500.000000,100.0,1000,2000,500.0'
      ])
    )
    expect(copies.tables.memTime?.get('MEMORY_COPY_HOST_TO_DEVICE')).toMatchObject({
      total: 3000
    })
  })

  it('a kernel name with a line break inside its quotes (RFC 4180): the record is joined, no row lost', async () => {
    const p = await one(
      write('nl2_kernel_stats.csv', [
        STATS_HEADER,
        '"k1",10,99500,9950.000000,99.5,9000,11000,5.0',
        '"k2',
        'line2",5,500,100.000000,0.5,80,120,10.0'
      ])
    )
    expect([...p.tables.kernels!.values()].map((s) => [s.name, s.total, s.instances])).toEqual([
      ['k1', 99500, 10],
      ['k2\nline2', 500, 5]
    ])
    expect(codes(p)).not.toContain('headerless-rows')
    expect(codes(p)).not.toContain('rows-unreadable')
    // The rows after it are still the table's.
    const three = await one(
      write('nl_kernel_stats.csv', [
        STATS_HEADER,
        '"k1",10,1000,100.000000,50.0,90,110,5.0',
        '"k2',
        'line2",5,500,100.000000,25.0,80,120,10.0',
        '"k3",1,500,500.000000,25.0,500,500,0'
      ])
    )
    expect([...three.tables.kernels!.values()].map((s) => s.name)).toEqual([
      'k1',
      'k2\nline2',
      'k3'
    ])
    expect(codes(three)).not.toContain('rows-missing')
    // A first cell opened and never closed: its line is a row left out (gating), never headerless.
    const damaged = await one(
      write('d_kernel_stats.csv', [
        STATS_HEADER,
        '"k1",10,99500,9950.000000,99.5,9000,11000,5.0',
        '"k2,5,500,100.000000,0.5,80,120,10.0',
        '"k3",1,500,500.000000,0.0,500,500,0'
      ])
    )
    expect([...damaged.tables.kernels!.values()].map((s) => s.name)).toEqual(['k1', 'k3'])
    const note = damaged.meta.notes.find((n) => n.code === 'rows-unreadable')
    expect(note).toMatchObject({ table: 'kernels' })
    expect(note?.message).toMatch(/\(line 3\)$/)
    expect(codes(damaged)).not.toContain('headerless-rows')
  })

  it('kernel-trace timestamps past 2^53 ns (104 days up): durations and starts exact', async () => {
    const HEADER =
      '"Kind","Agent_Id","Queue_Id","Thread_Id","Dispatch_Id","Kernel_Id","Kernel_Name","Correlation_Id","Start_Timestamp","End_Timestamp"'
    // 2^54 + 1 = 18014398509481985: 1001 ns dispatches, 4000 ns apart.
    const path = write('big_kernel_trace.csv', [
      HEADER,
      '"KERNEL_DISPATCH",2,1,100,1,5,"k",1,18014398509481985,18014398509482986',
      '"KERNEL_DISPATCH",2,1,100,2,5,"k",2,18014398509485985,18014398509486986',
      '"KERNEL_DISPATCH",2,1,100,3,5,"k",3,18014398509489985,18014398509490987'
    ])
    const p = await one(path)
    expect(p.tables.kernels?.get('k')).toMatchObject({
      total: 1001 + 1001 + 1002,
      instances: 3,
      min: 1001,
      max: 1002
    })
    const events: TraceEvent[] = []
    const parser = new RocprofParser(path, 'big_kernel_trace.csv', (e) => events.push(e))
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => parser.push(line, i + 1))
    parser.finish()
    expect(events.map((e) => [e.start, e.duration])).toEqual([
      [0, 1001],
      [4000, 1001],
      [8000, 1002]
    ])
  })

  it("rocprof v1's per-dispatch results.csv, rocprofv3's JSON and Perfetto output: said what they are", async () => {
    const v1 = write('results.csv', [
      'Index,KernelName,gpu-id,queue-id,queue-index,pid,tid,grd,wgr,lds,scr,arch_vgpr,accum_vgpr,sgpr,wave_size,sig,obj,DispatchNs,BeginNs,EndNs,CompleteNs',
      '0,"copy_kernel(float*, float*, int, int) [clone .kd]",2,0,0,4321,4321,1048576,256,0,0,8,0,16,64,0x0,0x7f00,100,200,366120,366200'
    ])
    expect(sniffFormat(v1, 'text')).toBe('rocprof')
    await expect(loadInput(v1)).rejects.toThrow(
      /is rocprof v1's per-dispatch results\.csv \(one row per dispatch\), not its --stats summary: it is not read; give results\.stats\.csv \(rocprof --stats\)/
    )
    const json = write('1234_results.json', [
      '{"rocprofiler-sdk-tool": [{"metadata": {"pid": 1}, "agents": [], "kernel_symbols": []}]}'
    ])
    await expect(loadInput(json)).rejects.toThrow(
      /is rocprofv3's JSON output \(--output-format json\), which nsys-bench does not read: profile with `rocprofv3 --kernel-trace --stats --output-format csv`/
    )
    await expect(loadInput(json, { format: 'profile-json' })).rejects.toThrow(
      /is rocprofv3's JSON output \(--output-format json\), not a profile JSON; .*--output-format csv/
    )
    const pftrace = write('1234_results.pftrace', ['\n\u008e\u0001\u0012\u000b\b\u0001'])
    await expect(loadInput(pftrace)).rejects.toThrow(
      /is a Perfetto trace \(rocprofv3 --output-format pftrace\), which nsys-bench does not read: profile with `rocprofv3 --kernel-trace/
    )
    // Text that is no profile: the message names AMD's files too.
    await expect(
      loadInput(write('agent_info.csv', ['"Node_Id","Logical_Node_Id"', '0,0']))
    ).rejects.toThrow(
      /found no nsys stats report .* of AMD's profilers, rocprofv3's \*_kernel_trace\.csv and \*_kernel_stats\.csv/
    )
  })
})
