import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { assembleProfile, parseNsysStats } from '../../src/parse/nsys/index.js'
import type { Profile } from '../../src/profile/model.js'

const TOOL = { name: 'nsys-bench', version: 'test' }
const KERN_HEADER =
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name'

async function parse(
  text: string,
  options: { strict?: boolean | 'auto'; report?: { name: string } } = {}
): Promise<Profile> {
  const result = await parseNsysStats([text], { source: 'input.txt', ...options })
  return assembleProfile([result], TOOL, 'input.txt')
}

function processing(report: string): string {
  return `Processing [report.sqlite] with [/opt/nsys/reports/${report}.py]... `
}

describe('nsys CSV quoting (not RFC 4180)', () => {
  it('reads names quoted because of a comma, with inner quotes never doubled', async () => {
    const profile = await parse(
      [
        processing('nvtx_sum'),
        'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Style,Range',
        '5.0,2999999,1,2999999.0,2999999.0,2999999,2999999,0.0,PushPop,"step, "warmup""',
        '1.0,10,1,10.0,10.0,10,10,0.0,PushPop,"a,b"',
        '1.0,20,1,20.0,20.0,20,20,0.0,PushPop,plain "quoted" name',
        '1.0,30,1,30.0,30.0,30,30,0.0,PushPop,",starts with a comma"',
        ''
      ].join('\n')
    )
    expect([...(profile.tables.nvtx?.keys() ?? [])].sort()).toEqual(
      [',starts with a comma', 'a,b', 'plain "quoted" name', 'step, "warmup"'].sort()
    )
  })

  it('reads decimal-comma numbers that a non-C locale quotes', async () => {
    const profile = await parse(
      [
        processing('cuda_api_sum'),
        'Time (%),Total Time (ms),Num Calls,Avg (ms),Med (ms),Min (ms),Max (ms),StdDev (ms),Name',
        '93.7,"8,0000",1,"8,0000","8,0000","8,0000","8,0000","0,0000",cudaStreamSynchronize',
        ''
      ].join('\n')
    )
    expect(profile.tables.cudaApi?.get('cudaStreamSynchronize')?.total).toBe(8_000_000)
  })
})

describe('re-aggregation', () => {
  it('merges the rows nsys 2022.4 splits by grid and block: sums, extremes, pooled deviation, no median', async () => {
    const profile = await parse(
      [
        processing('gpukernsum'),
        'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),GridXYZ,BlockXYZ,Name',
        '42.9,300,3,100.0,100.0,90,110,10.0, 108    1    1, 256    1    1,gemm',
        '57.1,400,2,200.0,200.0,190,210,14.1, 216    1    1, 128    1    1,gemm',
        ''
      ].join('\n')
    )
    const gemm = profile.tables.kernels?.get('gemm')
    expect(gemm).toMatchObject({ total: 700, instances: 5, avg: 140, min: 90, max: 210 })
    expect(gemm?.med).toBeUndefined()
    // The five samples: mean 140; (3-1)*10² + (2-1)*14.1² + 3*40² + 2*60² = 12,398.81 over 4.
    expect(gemm?.stdDev).toBeCloseTo(Math.sqrt(12398.81 / 4), 6)
  })

  it('gives the same keys to every nsys spelling of the same item, and keeps the printed name', async () => {
    const old = await parse(
      [
        processing('cudaapisum'),
        'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name',
        '1.0,100,1,100.0,100.0,100,100,0.0,cudaLaunchKernel_v7000',
        '',
        processing('gpumemtimesum'),
        'Time (%),Total Time (ns),Count,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Operation',
        '1.0,100,1,100.0,100.0,100,100,0.0,[CUDA memcpy HtoD]',
        '1.0,100,1,100.0,100.0,100,100,0.0,[CUDA Unified Memory memcpy DtoH]',
        '',
        processing('nvtxsum'),
        'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Style,Range',
        '1.0,100,1,100.0,100.0,100,100,0.0,PushPop,forward',
        ''
      ].join('\n')
    )
    const recent = await parse(
      [
        processing('cuda_api_sum'),
        'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name',
        '1.0,100,1,100.0,100.0,100,100,0.0,cudaLaunchKernel',
        '',
        processing('cuda_gpu_mem_time_sum'),
        'Time (%),Total Time (ns),Count,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Operation',
        '1.0,100,1,100.0,100.0,100,100,0.0,[CUDA memcpy Host-to-Device]',
        '1.0,100,1,100.0,100.0,100,100,0.0,[CUDA memcpy Unified Device-to-Host]',
        '',
        processing('nvtx_sum'),
        'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Style,Range',
        '1.0,100,1,100.0,100.0,100,100,0.0,PushPop,:forward',
        ''
      ].join('\n')
    )
    for (const table of ['cudaApi', 'memTime', 'nvtx'] as const) {
      expect([...(old.tables[table]?.keys() ?? [])]).toEqual([
        ...(recent.tables[table]?.keys() ?? [])
      ])
    }
    expect(old.tables.cudaApi?.get('cudaLaunchKernel')?.name).toBe('cudaLaunchKernel_v7000')
    expect(recent.tables.memTime?.get('[CUDA memcpy Unified DtoH]')?.name).toBe(
      '[CUDA memcpy Unified Device-to-Host]'
    )
    expect(recent.tables.nvtx?.get('forward')?.name).toBe(':forward')
  })
})

describe('errors name the file, the line and what was expected', () => {
  it('a bad number in a report file', async () => {
    await expect(
      parse(
        [
          KERN_HEADER,
          '61.6,3718568,3,1239522.7,1234567.0,1234000,1250001,9078.9,ok',
          '1.0,100,1,abc,100.0,100,100,0.0,bad'
        ].join('\n'),
        {
          strict: true,
          report: { name: 'cuda_gpu_kern_sum' }
        }
      )
    ).rejects.toThrow(
      'input.txt:3 (column "Avg (ns)"): expected a non-negative number, found "abc"'
    )
  })

  it('a line that is not a row of the report', async () => {
    await expect(
      parse([KERN_HEADER, 'this is not a row'].join('\n'), {
        strict: true,
        report: { name: 'cuda_gpu_kern_sum' }
      })
    ).rejects.toThrow(
      /input\.txt:2: expected a row of cuda_gpu_kern_sum .*the header on line 1\), found "this is not a row"/
    )
  })

  it('a report file without its header (nsys `nohdr`)', async () => {
    await expect(
      parse('61.6,3718568,3,1239522.7,1234567.0,1234000,1250001,9078.9,gemm', {
        strict: true,
        report: { name: 'cuda_gpu_kern_sum' }
      })
    ).rejects.toThrow(
      /input\.txt:1: expected the header of an `nsys stats --format csv` report .*nohdr/
    )
  })

  it('a header that does not belong to the report the file is named after', async () => {
    await expect(
      parse(
        [
          'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name',
          '1.0,1,1,1.0,1.0,1,1,0.0,x'
        ].join('\n'),
        {
          strict: true,
          report: { name: 'cuda_gpu_kern_sum' }
        }
      )
    ).rejects.toThrow(
      /input\.txt:1: the header of cuda_gpu_kern_sum does not have the columns that report prints/
    )
  })

  it('a non-integer instance count', async () => {
    await expect(
      parse([KERN_HEADER, '1.0,100,1.5,100.0,100.0,100,100,0.0,k'].join('\n'), { strict: 'auto' })
    ).rejects.toThrow(/input\.txt:2 \(column "Instances"\): expected a whole number of instances/)
  })

  it('input with no report at all is an error, never an empty profile', async () => {
    await expect(parse('hello\nworld\n')).rejects.toThrow(
      /found no nsys stats report in input\.txt/
    )
  })
})

describe('no data is not an error', () => {
  it('a 0-byte report file (nsys writes one when the report is SKIPPED)', async () => {
    const profile = await parse('', { strict: true, report: { name: 'cuda_gpu_kern_sum' } })
    expect(profile.tables.kernels?.size).toBe(0)
  })

  it('SKIPPED lines, and a report that printed nothing before the next one', async () => {
    const profile = await parse(
      [
        processing('cuda_gpu_kern_sum'),
        'SKIPPED: report.sqlite does not contain CUDA kernel data.',
        '',
        processing('nvtx_sum'),
        processing('osrt_sum'),
        'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name',
        '100.0,5,1,5.0,5.0,5,5,0.0,poll',
        ''
      ].join('\n')
    )
    expect(profile.tables.kernels?.size).toBe(0)
    expect(profile.tables.nvtx?.size).toBe(0)
    expect(profile.tables.osrt?.size).toBe(1)
    expect(profile.tables.cudaApi).toBeUndefined()
  })
})

describe('the column (table) format', () => {
  const header = [
    ' Time (%)  Total Time (ns)  Instances   Avg (ns)     Med (ns)    Min (ns)   Max (ns)   StdDev (ns)   Name',
    ' --------  ---------------  ---------  -----------  -----------  ---------  ---------  -----------  ------'
  ]

  it('is read when the numbers follow one locale', async () => {
    const profile = await parse(
      [
        processing('cuda_gpu_kern_sum'),
        '',
        ...header,
        '     61.6        3,718,568          3  1,239,522.7  1,234,567.0  1,234,000  1,250,001      9,078.9  gemm',
        ''
      ].join('\n')
    )
    expect(profile.tables.kernels?.get('gemm')).toMatchObject({
      total: 3718568,
      min: 1234000,
      avg: 1239522.7
    })
  })

  it('refuses a table whose numbers mix decimal conventions, and says to use --format csv', async () => {
    await expect(
      parse(
        [
          processing('cuda_gpu_kern_sum'),
          ...header,
          '     61.6        3,718,568          3  1,239,522.7  1,234,567.0  1,234,000  1,250,001      9,078.9  a',
          '     38,4        2.100.000          3    700.000,0    700.000,0    690.000    710.000     10.000,0  b'
        ].join('\n')
      )
    ).rejects.toThrow(
      /input\.txt:5: the numbers in this column-format table do not follow one locale .*--format csv/
    )
  })

  it('keeps rows whose names nsys cut to the same 100 characters together, as one item', async () => {
    const cut = `${'k'.repeat(99)}…`
    const wide = [header[0], `${header[1]?.slice(0, -6)}${'-'.repeat(100)}`]
    const profile = await parse(
      [
        processing('cuda_gpu_kern_sum'),
        ...wide,
        `     50.0              100          1        100.0        100.0        100        100          0.0  ${cut}`,
        `     50.0              100          2         50.0         50.0         40         60         14.1  ${cut}`,
        ''
      ].join('\n')
    )
    expect(profile.tables.kernels?.get(cut)).toMatchObject({
      total: 200,
      instances: 3,
      min: 40,
      max: 100,
      truncated: true,
      sharedBy: 2
    })
    expect(profile.meta.notes.map((n) => n.message).join()).toMatch(
      /2 rows whose names nsys cut .*--format csv/
    )
  })

  it('reads a name that only ends in "…" as it is when the column is wider than the name', async () => {
    const profile = await parse(
      [
        processing('cuda_gpu_kern_sum'),
        ...header.map((l) => `${l}${l.startsWith(' -') ? '----' : '    '}`),
        '    100.0              100          1        100.0        100.0        100        100          0.0  wait…',
        ''
      ].join('\n')
    )
    expect(profile.tables.kernels?.get('wait…')?.truncated).toBeUndefined()
  })
})

describe('captured output', () => {
  it('handles CRLF, a BOM and progress bars redrawn with carriage returns', async () => {
    const profile = await parse(
      [
        '\uFEFFGenerating SQLite file report.sqlite from report.nsys-rep',
        '[1/8] [0%   ] report.nsys-rep\r[1/8] [========================100%] report.nsys-rep',
        processing('cuda_gpu_kern_sum'),
        KERN_HEADER,
        '100.0,100,1,100.0,100.0,100,100,0.0,gemm',
        ''
      ].join('\r\n')
    )
    expect(profile.tables.kernels?.get('gemm')?.total).toBe(100)
    expect(profile.meta.notes).toEqual([])
  })

  it('tells CUDA API from OS runtime calls by the names when no report name is printed', async () => {
    const header =
      'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name'
    const osrt = await parse([header, '100.0,5,1,5.0,5.0,5,5,0.0,poll', ''].join('\n'))
    expect(osrt.tables.osrt?.has('poll')).toBe(true)
    expect(osrt.meta.notes.map((n) => n.message).join()).toMatch(/read as OS runtime calls/)
    const api = await parse([header, '100.0,5,1,5.0,5.0,5,5,0.0,cudaMalloc', ''].join('\n'))
    expect(api.tables.cudaApi?.has('cudaMalloc')).toBe(true)
  })

  it('streams: memory does not grow with the size of a GPU trace', async () => {
    const rows = 1_000_000
    const header =
      'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (B),DymSMem (B),Bytes (B),Throughput (B/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'
    function* lines(): Generator<string> {
      yield `${processing('cuda_gpu_trace')}\n${header}\n`
      let chunk = ''
      for (let i = 0; i < rows; i++) {
        chunk += `${1_000_000 + i * 10},${1000 + (i % 7)},${i},108,1,1,256,1,1,32,0,49152,,,,,NVIDIA H100 80GB HBM3 (0),1,,7,"void kernel_${i % 50}<float, 4>(float*, int)"\n`
        if (chunk.length > 1 << 16) {
          yield chunk
          chunk = ''
        }
      }
      yield chunk
    }
    const before = process.memoryUsage().heapUsed
    const result = await parseNsysStats(Readable.from(lines()), { source: 'trace.csv' })
    const grown = process.memoryUsage().heapUsed - before
    const kernels = result.occurrences[0]?.tables.kernels
    expect(kernels?.size).toBe(50)
    expect([...(kernels?.values() ?? [])].reduce((n, s) => n + s.instances, 0)).toBe(rows)
    // About 130 MB of text went through; a parser that kept lines would hold all of it.
    expect(grown).toBeLessThan(64 * 1024 * 1024)
  })

  it('counts each kernel of a trace whatever order the kernels come in', async () => {
    const header =
      'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (B),DymSMem (B),Bytes (B),Throughput (B/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'
    // A repeating order, then the same kernels shuffled, with copies between them: the parser
    // guesses the next kernel from the order it saw, and must count right when the guess fails.
    let seed = 7
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff
      return seed / 2147483648
    }
    const names = ['a', 'b', 'a', 'c', 'ab', 'a', 'b', 'bb']
    const order = [
      ...Array.from({ length: 400 }, (_, i) => names[i % names.length]!),
      ...Array.from({ length: 400 }, () => names[Math.floor(random() * names.length)]!)
    ]
    const expected = new Map<string, { n: number; total: number }>()
    const rows = order.map((name, i) => {
      const duration = 100 + ((i * 37) % 91)
      const seen = expected.get(name) ?? { n: 0, total: 0 }
      expected.set(name, { n: seen.n + 1, total: seen.total + duration })
      const copy =
        i % 5 === 0
          ? `\n${i * 10 + 5},7,${i},,,,,,,,,,1048576,,Pageable,Device,NVIDIA H100 80GB HBM3 (0),1,,7,[CUDA memcpy Host-to-Device]`
          : ''
      return `${i * 10},${duration},${i},1,1,1,32,1,1,16,0,0,,,,,NVIDIA H100 80GB HBM3 (0),1,,7,${name}${copy}`
    })
    const profile = await parse([processing('cuda_gpu_trace'), header, ...rows, ''].join('\n'))
    const kernels = profile.tables.kernels
    expect(kernels?.size).toBe(expected.size)
    for (const [name, { n, total }] of expected) {
      expect(kernels?.get(name)).toMatchObject({ instances: n, total })
    }
  })
})

describe('two spellings with one key are two rows of nsys, not a repeat', () => {
  const API =
    'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name'

  it('cuMemcpyHtoD and cuMemcpyHtoD_v2 (one key) are merged; the same name twice is refused', async () => {
    const rows = [
      '60.0,600,2,300.0,300.0,200,400,141.4,cuMemcpyHtoD_v2',
      '40.0,400,1,400.0,400.0,400,400,0.0,cuMemcpyHtoD'
    ]
    const profile = await parse([processing('cuda_api_sum'), API, ...rows, ''].join('\n'))
    const [stat, ...more] = [...(profile.tables.cudaApi?.values() ?? [])]
    expect(more).toEqual([])
    // By hand: 600 + 400 ns over 2 + 1 calls.
    expect(stat).toMatchObject({ total: 1000, instances: 3, min: 200, max: 400 })
    await expect(
      parse(
        [processing('cuda_api_sum'), API, ...rows, '0.0,1,1,1.0,1.0,1,1,0.0,cuMemcpyHtoD', ''].join(
          '\n'
        )
      )
    ).rejects.toThrow(/repeats the name of an earlier row \("cuMemcpyHtoD"\)/)
  })
})
