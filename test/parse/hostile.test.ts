import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadInput, loadRun } from '../../src/load/index.js'
import { assembleProfile, parseNsysStats, splitCaptures } from '../../src/parse/nsys/index.js'
import type { Profile } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'
import { budget } from '../support/timing.js'

/**
 * Hostile and damaged input, one test per class of defect: never a wrong number, never a hang,
 * never a crash. Each input is the smallest that showed the defect.
 */
const TOOL = { name: 'nsys-bench', version: 'test' }
const KERN =
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name'
const ROW_A = '60.0,300,3,100.0,100.0,90,110,10.0,kernA'
const ROW_B = '40.0,200,2,100.0,100.0,95,105,7.1,kernB'

async function parse(text: string, strict: boolean | 'auto' = false): Promise<Profile> {
  const result = await parseNsysStats([text], {
    source: 'in.csv',
    strict,
    ...(strict === true ? { report: { name: 'cuda_gpu_kern_sum' } } : {})
  })
  return assembleProfile(splitCaptures(result), TOOL, 'in.csv')
}

const processing = (report: string, db = 'report.sqlite'): string =>
  `Processing [${db}] with [/opt/nsys/reports/${report}.py]... `

const messages = (p: Profile): string => p.meta.notes.map((n) => n.message).join('\n')

describe('wrong numbers are refused, with the file and the line', () => {
  it('a header missing a column over rows that have it (every number would shift)', async () => {
    const header = KERN.replace('Min (ns),', '')
    await expect(parse([header, ROW_A, ''].join('\n'), true)).rejects.toThrow(
      /in\.csv:2: this row has more cells than the header at line 1 \(8\): the last cell "10\.0,kernA" holds a comma but is not quoted/
    )
  })

  it('a number written with a thousands separator (1,234)', async () => {
    await expect(
      parse([KERN, '60.0,1,300,3,100.0,100.0,90,110,10.0,kernA', ''].join('\n'), true)
    ).rejects.toThrow(/in\.csv:2: this row has more cells than the header/)
  })

  it('a row with a cell too few', async () => {
    await expect(
      parse([KERN, '60.0,300,3,100.0,90,110,10.0,kernA', ''].join('\n'), true)
    ).rejects.toThrow(/in\.csv:2: .*expected|in\.csv:2: this row is inconsistent/)
  })

  it('a row whose numbers contradict each other (an edited max)', async () => {
    await expect(
      parse([KERN, '60.0,300,3,100.0,100.0,90,50,10.0,kernA', ''].join('\n'), true)
    ).rejects.toThrow(/in\.csv:2: this row is inconsistent \(avg 100 is above max 50\)/)
  })

  it('an average that does not make the total', async () => {
    await expect(
      parse([KERN, '60.0,900,3,100.0,100.0,90,110,10.0,kernA', ''].join('\n'), true)
    ).rejects.toThrow(/avg 100 × 3 instances is 300, not the total 900/)
  })

  it('a row printed twice (nsys prints each name once)', async () => {
    await expect(parse([KERN, ROW_A, ROW_A, ''].join('\n'), true)).rejects.toThrow(
      /in\.csv:3: this row repeats the name of an earlier row \("kernA"\)/
    )
  })

  it('shares over 100 % are impossible; under 100 % (an excerpt) is a warning', async () => {
    await expect(
      parse([KERN, ROW_A, '60.0,200,2,100.0,100.0,95,105,7.1,kernB', ''].join('\n'), true)
    ).rejects.toThrow(/shares of the table at line 1 add up to 120%, more than 100%/)
    const excerpt = await parse([KERN, ROW_A, ''].join('\n'), true)
    expect(excerpt.meta.notes).toContainEqual(
      expect.objectContaining({ code: 'rows-missing', severity: 'warning' })
    )
  })

  it('a share that does not match its total when the table is whole', async () => {
    await expect(
      parse(
        [KERN, ROW_A.replace('60.0', '40.0'), ROW_B.replace('40.0', '60.0'), ''].join('\n'),
        true
      )
    ).rejects.toThrow(
      /in\.csv:2: this row's share 40% does not match its total \(60% of the table\)/
    )
  })

  it('an average that does not give the total (printed to 0.1 ns, off by 1 ns per instance)', async () => {
    // 1000 instances of 1000.0 ns are 1,000,000 ns; 1001.0 would be 1,001,000.
    await expect(
      parse([KERN, '100.0,1000000,1000,1001.0,1000.0,900,1100,10.0,kernA', ''].join('\n'), true)
    ).rejects.toThrow(
      /in\.csv:2: this row is inconsistent \(avg 1001 × 1000 instances is 1001000, not the total 1000000\)/
    )
  })

  it('a value no measurement reaches (1e308)', async () => {
    await expect(
      parse([KERN, '100.0,1e308,1,1e308,1e308,1e308,1e308,0.0,kernA', ''].join('\n'), true)
    ).rejects.toThrow(
      /in\.csv:2 \(column "Total Time \(ns\)"\): "1e308" is too large to be a measurement/
    )
  })

  it('a quote opened and never closed', async () => {
    await expect(
      parse([KERN, '100.0,300,3,100.0,100.0,90,110,10.0,"void f<int, float', ''].join('\n'), true)
    ).rejects.toThrow(/the last cell "\\"void f<int, float" opens a quote that is never closed/)
  })
})

describe('data never vanishes silently', () => {
  it('a prose line naming another report above a kernel table: read by its columns, and said', async () => {
    const readme = (total: number): string =>
      [
        '## cuda_api_sum',
        KERN,
        `100.0,${total},1,${total}.0,${total}.0,${total},${total},0.0,attn`,
        ''
      ].join('\n')
    const base = await parse(readme(1000))
    const head = await parse(readme(9000))
    expect(base.tables.kernels?.get('attn')?.total).toBe(1000)
    expect(base.tables.cudaApi).toBeUndefined()
    expect(messages(base)).toMatch(
      /line 1 names "cuda_api_sum", but the table at line 2 has the columns of cuda_gpu_kern_sum: it was read as cuda_gpu_kern_sum/
    )
    // The 9× slowdown that used to pass.
    expect(compareProfiles([base], [head], buildRules(undefined)).gate.verdict).toBe('regression')
  })

  it('a file cut in the middle of its last row', async () => {
    await expect(
      parse([KERN, ROW_A, '40.0,200,2,100.0,100.0,95,105,7.1,ker'].join('\n'), true)
    ).rejects.toThrow(
      /in\.csv:3: the input ends in the middle of a table: its last row has no line break after it/
    )
  })

  it('a file cut right after its header: no data, and a note', async () => {
    const p = await parse([processing('cuda_gpu_kern_sum'), KERN, ''].join('\n'))
    expect(p.tables.kernels?.size).toBe(0)
    expect(p.meta.notes).toContainEqual(
      expect.objectContaining({
        code: 'empty-table',
        message: expect.stringMatching(/line 2 has a header and no rows/)
      })
    )
  })

  it('a row-like line inside a table that is not a row: refused, not skipped', async () => {
    await expect(
      parse([processing('cuda_gpu_kern_sum'), KERN, ROW_A, '40.0,200,2', ''].join('\n'))
    ).rejects.toThrow(
      /in\.csv:4: this line starts like a row of the table at line 2 but does not have its cells/
    )
  })

  it('CUPTI errors in a capture are warnings of the profile', async () => {
    const p = await parse(
      [
        'CUPTI ERROR: cuptiActivityEnable(CUPTI_ACTIVITY_KIND_KERNEL) returned CUPTI_ERROR_INSUFFICIENT_PRIVILEGES',
        processing('cuda_gpu_kern_sum'),
        KERN,
        '100.0,300,3,100.0,100.0,90,110,10.0,kernA',
        ''
      ].join('\n')
    )
    expect(p.meta.notes).toContainEqual(
      expect.objectContaining({
        code: 'cupti-error',
        severity: 'warning',
        message: expect.stringMatching(
          /line 1: the capture reported a CUPTI error .*GPU activity may be missing/
        )
      })
    )
  })
})

describe('several captures in one text are never mixed', () => {
  const log = [
    '$ nsys stats run1.nsys-rep',
    processing('cuda_gpu_kern_sum', 'run1.sqlite'),
    KERN,
    '100.0,300,3,100.0,100.0,90,110,10.0,kernA',
    '',
    processing('cuda_api_sum', 'run1.sqlite'),
    'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name',
    '100.0,50,1,50.0,50.0,50,50,0.0,cudaMalloc',
    '',
    '$ nsys stats run2.nsys-rep',
    processing('cuda_gpu_kern_sum', 'run2.sqlite'),
    'SKIPPED: run2.sqlite does not contain CUDA kernel data.',
    '',
    processing('cuda_api_sum', 'run2.sqlite'),
    'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name',
    '100.0,70,1,70.0,70.0,70,70,0.0,cudaMalloc',
    ''
  ].join('\n')

  it('without a choice the text is refused, naming each capture by its lines', async () => {
    await expect(parse(log)).rejects.toThrow(
      /in\.csv: holds 2 captures of nsys stats output \(1: lines 2–8, 2: lines 11–16\), .*`--capture N`.*`--captures runs`/
    )
  })

  it('one capture, or each as a run: the kernels and the API calls always come from the same run', async () => {
    const result = await parseNsysStats([log], { source: 'log.txt' })
    const [first, second] = splitCaptures(result, { captures: 'runs' }).map((r) =>
      assembleProfile([r], TOOL, r.source)
    )
    expect(first?.tables.kernels?.get('kernA')?.total).toBe(300)
    expect(first?.tables.cudaApi?.get('cudaMalloc')?.total).toBe(50)
    expect(second?.tables.kernels?.size).toBe(0)
    expect(second?.tables.cudaApi?.get('cudaMalloc')?.total).toBe(70)
    const [only] = splitCaptures(result, { capture: 2 })
    expect(only?.source).toBe('log.txt (capture 2)')
    expect(() => splitCaptures(result, { capture: 3 })).toThrow(/there is no capture 3/)
  })

  it('several files read as one run take one capture each, even with --captures runs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-captures-'))
    const twice = join(root, 'log.txt')
    writeFileSync(twice, log)
    const other = join(root, 'other.txt')
    writeFileSync(other, log)
    await expect(loadRun([twice, other], { captures: 'runs' })).rejects.toThrow(
      /log\.txt" holds 2 captures, and it is one of several report files read as one run: captures are never mixed/
    )
    // One capture of each file is one run.
    const one = await loadRun([twice, other], { capture: 1 })
    expect(one.tables.kernels?.get('kernA')?.total).toBe(300)
    expect(one.tables.cudaApi?.get('cudaMalloc')?.total).toBe(50)
  })
})

describe('reports of other shapes', () => {
  it('cuda_gpu_sum (kernels and memory operations in one table) when the per-kind reports are absent', async () => {
    for (const [version, file] of [
      ['2022.4', 'hostile_gpusum.csv'],
      ['2023.4', 'hostile_cuda_gpu_sum.csv']
    ] as const) {
      const [p] = await loadInput(join(FIXTURES, 'nsys-real', version, 'hostile', file))
      // spec-hostile.json: foo<int> 1000 + 500 + 250 ns over 3 launches; 7 memcpys of 6 kinds, 2 memsets.
      const foo = [...(p?.tables.kernels?.values() ?? [])].find(
        (s) => s.name === 'void foo<int>(int)'
      )
      expect(foo).toMatchObject({ total: 1750, instances: 3, min: 250, max: 1000 })
      expect(p?.tables.kernels?.size).toBe(7)
      expect(p?.tables.memTime?.get('[CUDA memcpy HtoD]')).toMatchObject({
        total: 900,
        instances: 2
      })
      expect(p?.tables.memTime?.get('[CUDA memset]')).toMatchObject({ total: 60, instances: 2 })
      expect(p?.meta.reports).toMatchObject({
        kernels: file.replace(/^hostile_|\.csv$/g, ''),
        memTime: file.replace(/^hostile_|\.csv$/g, '')
      })
    }
  })

  it('the 2021 memory table whose unit is in its title: "(by size in KiB)"', async () => {
    const p = await parse(
      [
        'CUDA Memory Operation Statistics (by size in KiB):',
        '',
        '   Total     Operations  Average   Minimum   Maximum        Operation     ',
        ' ----------  ----------  --------  --------  --------  ------------------',
        '  2048.000          2  1024.000  1024.000  1024.000  [CUDA memcpy HtoD]',
        ''
      ].join('\n')
    )
    expect(p.tables.memSize?.get('[CUDA memcpy HtoD]')).toMatchObject({
      total: 2048 * 1024,
      instances: 2
    })
  })
})

describe('no hang, no quadratic time, no crash', () => {
  const fast = async (text: string, ms: number): Promise<number> => {
    const limit = budget(ms)
    const started = performance.now()
    await parse(text).catch(() => undefined)
    const took = performance.now() - started
    expect(took).toBeLessThan(limit)
    return took
  }

  it('lines built against the patterns that classify lines stay linear', async () => {
    await fast(`Processing [${'['.repeat(1_000_000)}\n`, 2000)
    await fast(`${'1,'.repeat(500_000)}x\n`, 2000)
    await fast(`** ${'('.repeat(500_000)}):\n`, 2000)
    await fast(` ${'- '.repeat(500_000)}x\n`, 2000)
  })

  it('runs of spaces in prose, headers and JSON labels stay linear', async () => {
    // Each line reaches the title and header-cell parsers: 400 lines of 4 KB, 1.6 MB in all.
    const run = ' '.repeat(4000)
    await fast(
      Array.from({ length: 400 }, () => `CUDA Kernel Statistics${run}x\ta\tb`).join('\n'),
      1500
    )
    await fast(
      Array.from({ length: 400 }, () => `a${'\u00a0'.repeat(4000)}b (ns),c,d`).join('\n'),
      1500
    )
    await fast(
      `[3/8] Executing 'cuda_gpu_kern_sum' stats report\n[\n{"a${' '.repeat(80_000)}b (ns)": 1, "c": 2, "d": 3}\n]\n`,
      1500
    )
  })

  it('20,000 captures (one line each) read as runs in linear time', async () => {
    const log = Array.from(
      { length: 20_000 },
      (_, i) =>
        `Processing [a${i}.sqlite] with [/r/cuda_gpu_kern_sum.py]... SKIPPED: a${i}.sqlite does not contain CUDA kernel data.`
    ).join('\n')
    const limit = budget(1500)
    const started = performance.now()
    const result = await parseNsysStats([log], { source: 'log.txt' })
    expect(splitCaptures(result, { captures: 'runs' })).toHaveLength(20_000)
    expect(performance.now() - started).toBeLessThan(limit)
  })

  it('a long line costs what it weighs; a line longer than 4 MiB is refused', async () => {
    await fast(`${KERN}\n100.0,1,1,1.0,1.0,1,1,0.0,${'k'.repeat(3_000_000)}\n`, 3000)
    await expect(parse(`${'x'.repeat(5 * 1024 * 1024)}\n`)).rejects.toThrow(
      /in\.csv: line 1 is longer than 4 MiB; nsys stats output has no such lines/
    )
  })

  it('chunks that split a huge line do not make it quadratic', async () => {
    const chunk = 'y'.repeat(64 * 1024)
    const limit = budget(3000)
    const started = performance.now()
    await expect(
      parseNsysStats(
        Array.from({ length: 100 }, () => chunk),
        { source: 'big.txt' }
      )
    ).rejects.toThrow(/big\.txt: line 1 is longer than 4 MiB/)
    expect(performance.now() - started).toBeLessThan(limit)
  })
})

describe('inputs that are not files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-special-'))

  it('a FIFO, a device, a binary file and a symlink loop are refused at once', async () => {
    const fifo = join(dir, 'pipe.csv')
    execFileSync('mkfifo', [fifo])
    await expect(loadInput(fifo)).rejects.toThrow(
      /pipe\.csv" is a named pipe \(FIFO\); give a file or a directory/
    )
    await expect(loadInput('/dev/zero')).rejects.toThrow(/"\/dev\/zero" is a device/)
    writeFileSync(join(dir, 'binary.csv'), Buffer.from([0x54, 0x69, 0, 0, 0xff, 0x10]))
    await expect(loadInput(join(dir, 'binary.csv'))).rejects.toThrow(
      /binary\.csv" is a binary file \(it has NUL bytes\)/
    )
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'))
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'))
    await expect(loadInput(join(dir, 'loop-a'))).rejects.toThrow(
      /loop-a": too many levels of symbolic links/
    )
  })

  it('inside a directory too: a FIFO report file and a profile JSON linked to a device', async () => {
    const fifos = join(dir, 'fifos')
    mkdirSync(fifos)
    execFileSync('mkfifo', [join(fifos, 'run_cuda_gpu_kern_sum.csv')])
    await expect(loadInput(fifos)).rejects.toThrow(
      /run_cuda_gpu_kern_sum\.csv" is a named pipe \(FIFO\)/
    )
    const devices = join(dir, 'devices')
    mkdirSync(devices)
    symlinkSync('/dev/zero', join(devices, 'run.json'))
    await expect(loadInput(devices)).rejects.toThrow(/run\.json" is a device/)
  })

  it('a file name with a line break cannot start a workflow command in a message', async () => {
    const name = join(dir, 'a\n::error::pwned.csv')
    writeFileSync(name, 'not a table\n')
    const error = (await loadInput(name).then(
      () => new Error('no error'),
      (e: unknown) => e
    )) as Error
    expect(error.message).not.toMatch(/\n/)
    expect(error.message).toContain('a\\u{a}::error::pwned.csv')
  })
})
