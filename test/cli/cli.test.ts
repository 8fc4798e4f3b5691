import { spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { writeSide } from '../render/html-timeline-fixture.js'
import { CORPUS, ROOT } from '../support/paths.js'

/** The CLI as a user runs it: the committed bundle, plain node, no node_modules needed. */
function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
    encoding: 'utf8',
    cwd: ROOT
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const csv22 = join(CORPUS, 'generated_nsys-2022.4.2_stats_default-reports_csv.txt')
const csv23 = join(CORPUS, 'generated_nsys-2023.4.4_stats_default-reports_csv.txt')

function temp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-cli-'))
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}

const KERN =
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n'
/** A kernel summary as nsys prints it: each row's `Time (%)` its share of the rows' total. */
const kern = (rows: Record<string, number>): string => {
  const sum = Object.values(rows).reduce((a, b) => a + b, 0)
  const share = (total: number): string => ((total * 100) / sum).toFixed(1)
  return (
    KERN +
    Object.entries(rows)
      .map(
        ([name, total]) =>
          `${share(total)},${total},1,${total}.0,${total}.0,${total},${total},0.0,${name}`
      )
      .join('\n') +
    '\n'
  )
}

describe('nsys-bench CLI (dist/cli.js)', () => {
  it('reads PyTorch profiler traces and rocprof output; --input-format names the format', () => {
    const trace = join(
      ROOT,
      'test',
      'fixtures',
      'corpus',
      'traces',
      'HTA_tests-data_triton_example.json.gz'
    )
    const summary = cli('summarize', trace)
    expect(summary.code).toBe(0)
    expect(summary.stdout).toContain('Profiler: torch')
    expect(summary.stdout).toMatch(
      /1\.76 µs\s+100\.0%\s+1\s+1\.76 µs\s+triton_poi_fused_add_cos_sin_0/
    )
    expect(cli('summarize', trace, '--input-format', 'chrome').code).toBe(0)
    const wrong = cli('summarize', trace, '--input-format', 'nsys')
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/gzip-compressed, and nsys stats output is plain text/)
    // Every other format named for a compressed file: the same advice, not a parser's puzzlement.
    for (const [format, name] of [
      ['rocprof', 'rocprof output'],
      ['rocprofv3', 'rocprofv3 output'],
      ['profile-json', 'a profile JSON']
    ]) {
      const named = cli('summarize', trace, '--input-format', format!)
      expect(named.code).toBe(2)
      expect(named.stderr).toContain(
        `is gzip-compressed, and ${name} is read as plain text: decompress it (gunzip), or leave the format to be detected`
      )
    }
    // A profile JSON named nsys stats output: refused, not read as what it is.
    const profileJson = join(ROOT, 'test', 'fixtures', 'profile-v1.json')
    expect(cli('summarize', profileJson, '--input-format', 'profile-json').code).toBe(0)
    const asNsys = cli('summarize', profileJson, '--input-format', 'nsys')
    expect(asNsys.code).toBe(2)
    expect(asNsys.stderr).toContain('is a profile JSON, not nsys stats output')
    const bad = cli('summarize', trace, '--input-format', 'perfetto')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(
      /--input-format takes nsys, chrome, rocprof, rocprofv3, profile-json, not "perfetto"/
    )
    expect(cli('compare', '--help').stdout).toContain('--input-format F')
    // An nsys base against a PyTorch profiler head: inconclusive (exit 3), saying why.
    const mixed = cli('compare', csv23, trace)
    expect(mixed.code).toBe(3)
    expect(mixed.stdout + mixed.stderr).toMatch(/different profilers/)
    const rocprof = join(
      ROOT,
      'test',
      'fixtures',
      'rocprof',
      'rocprofv3_kernel_stats_scientific-notation.csv'
    )
    const rocprofRun = cli('summarize', rocprof, '--json')
    expect(rocprofRun.code).toBe(0)
    expect(JSON.parse(rocprofRun.stdout).meta.profiler).toEqual({ name: 'rocprofv3' })
  })

  it('demo: runs the embedded comparison and exits 0', () => {
    const { code, stdout, stderr } = cli('demo')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^nsys-bench: REGRESSION/)
    expect(stdout).toContain('void flash::flash_fwd_splitkv_kernel')
    expect(stderr).toMatch(/embedded demo.*would exit 1 \(regression\)/)
  })

  it('demo --format json and markdown', () => {
    const json = JSON.parse(cli('demo', '--format', 'json').stdout) as {
      verdict: string
      tables: { kernels: { items: { status: string }[] } }
    }
    expect(json.verdict).toBe('regression')
    expect(json.tables.kernels.items.filter((k) => k.status === 'regressed')).toHaveLength(1)
    expect(cli('demo', '--format', 'markdown', '--runs', '5').stdout).toMatch(
      /Mann–Whitney U test at α = 0\.05/
    )
  })

  it('summarize prints a profile, and --json one that compare reads back', () => {
    const text = cli('summarize', csv23)
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/GPU kernels \(cuda_gpu_kern_sum\): 5 items, total 6\.04 ms/)
    const out = temp({})
    const json = cli('summarize', csv23, '--json')
    writeFileSync(join(out, 'p.json'), json.stdout)
    const again = cli('compare', join(out, 'p.json'), csv23)
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/0 regressed, 0 improved, 0 new, 0 removed/)
  })

  it('compares nsys 2022.4 output with nsys 2023.4 output of the same data: nothing changed', () => {
    const { code, stdout } = cli('compare', csv22, csv23, '--format', 'json')
    expect(code).toBe(0)
    const json = JSON.parse(stdout) as {
      verdict: string
      tables: Record<string, { items: { status: string }[] }>
    }
    expect(json.verdict).toBe('pass')
    for (const table of ['kernels', 'memTime', 'memSize', 'cudaApi', 'nvtx', 'osrt']) {
      const items = json.tables[table]?.items ?? []
      expect(items.length, table).toBeGreaterThan(0)
      expect(
        items.every((item) => item.status === 'unchanged'),
        table
      ).toBe(true)
    }
  })

  it('a reader that stops early (| head) gets no stack trace, and the exit status is still the verdict’s', () => {
    // 5,000 kernels: the JSON out is far larger than a pipe holds, so the writes meet the closed
    // pipe after head has read its byte and gone.
    const table = (slower: number): string => {
      const totals = Array.from({ length: 5000 }, (_, i) => (i === 0 ? 10_000_000 * slower : 1_000))
      const sum = totals.reduce((a, b) => a + b, 0)
      return (
        KERN +
        totals
          .map(
            (t, i) =>
              `${((t * 100) / sum).toFixed(1)},${t},1,${t}.0,${t}.0,${t},${t},0.0,kernel_${i}_${'x'.repeat(60)}`
          )
          .join('\n') +
        '\n'
      )
    }
    const dir = temp({ 'base.csv': table(1), 'head.csv': table(1.2) })
    const script = `"${process.execPath}" "${join(ROOT, 'dist', 'cli.js')}" compare "${join(dir, 'base.csv')}" "${join(dir, 'head.csv')}" --format json --no-fail 2> "${join(dir, 'stderr.txt')}" | head -c 1 > /dev/null; echo "status=\${PIPESTATUS[0]}"`
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8' })
    // --no-fail: the verdict's status is 0, where a crash on the closed pipe would give 1.
    expect(result.stdout.trim()).toBe('status=0')
    expect(readFileSync(join(dir, 'stderr.txt'), 'utf8')).toBe('')
  })

  describe('a write to stdout or stderr that fails', () => {
    /**
     * The CLI with its stdout and stderr each a pipe whose reading end is closed before the CLI
     * writes (`closed`: a reader that stopped early, `| head -c1`), a file descriptor of ours
     * (/dev/full), or a pipe read to the end.
     */
    function run(
      args: string[],
      out: { stdout?: 'closed' | number; stderr?: 'closed' | number } = {}
    ): Promise<{ code: number | null; stdout: string; stderr: string }> {
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
        cwd: ROOT,
        stdio: [
          'ignore',
          typeof out.stdout === 'number' ? out.stdout : 'pipe',
          typeof out.stderr === 'number' ? out.stderr : 'pipe'
        ]
      })
      const text = { stdout: '', stderr: '' }
      for (const name of ['stdout', 'stderr'] as const) {
        const stream = child[name]
        if (!stream) continue
        if (out[name] === 'closed') stream.destroy()
        else stream.on('data', (chunk: Buffer) => (text[name] += chunk.toString('utf8')))
      }
      return new Promise((resolve, reject) => {
        child.on('error', reject)
        child.on('close', (code) => resolve({ code, ...text }))
      })
    }

    // An inconclusive comparison (exit 3): none of the base's kernel time has a kernel of the
    // same name on the head. One run a side, so the text report has notes for stderr.
    const dir = temp({
      'base.csv': kern({ gemm: 1_000_000, attn: 500_000 }),
      'head.csv': kern({ gemm_v2: 1_000_000, attn_v2: 500_000 })
    })
    const inconclusive = ['compare', join(dir, 'base.csv'), join(dir, 'head.csv')]
    const full = '/dev/full'

    it('a reader that stops early on both (`2>&1 | head -c1`): the verdict’s status, nothing else', async () => {
      const plain = await run(inconclusive)
      expect(plain.code).toBe(3)
      expect(plain.stdout).toMatch(/^nsys-bench: INCONCLUSIVE/)
      expect(plain.stderr).toMatch(/^nsys-bench: warning: One run a side/)
      for (const format of ['text', 'json', 'markdown']) {
        const closed = await run([...inconclusive, '--format', format], {
          stdout: 'closed',
          stderr: 'closed'
        })
        expect(closed.code, format).toBe(3)
      }
      // --no-fail: 0, whatever the pipes did.
      const noFail = await run([...inconclusive, '--no-fail'], {
        stdout: 'closed',
        stderr: 'closed'
      })
      expect(noFail.code).toBe(0)
      // summarize, verdict's pass of 0 too.
      expect(
        (await run(['summarize', join(dir, 'base.csv')], { stdout: 'closed', stderr: 'closed' }))
          .code
      ).toBe(0)
    })

    it('a reader of stderr that stops early: the report whole on stdout, the verdict’s status', async () => {
      const result = await run(inconclusive, { stderr: 'closed' })
      expect(result.code).toBe(3)
      expect(result.stdout).toMatch(/^nsys-bench: INCONCLUSIVE/)
      expect(result.stdout).toMatch(/gemm_v2/)
      const stdoutClosed = await run(inconclusive, { stdout: 'closed' })
      expect(stdoutClosed.code).toBe(3)
      expect(stdoutClosed.stderr).toMatch(/^nsys-bench: warning: One run a side/)
      expect(stdoutClosed.stderr).not.toMatch(/cannot write|\n\s+at /)
    })

    it.skipIf(!existsSync(full))(
      'stdout on a full device (> /dev/full): exit 2, whatever the verdict, and one line that says so',
      async () => {
        const fd = openSync(full, 'w')
        try {
          for (const args of [
            inconclusive,
            [...inconclusive, '--format', 'json'],
            [...inconclusive, '--format', 'markdown', '--no-fail'],
            ['summarize', join(dir, 'base.csv')],
            ['summarize', join(dir, 'base.csv'), '--json']
          ]) {
            const result = await run(args, { stdout: fd })
            expect(result.code, args.join(' ')).toBe(2)
            // The last line of stderr, after the notes (an inconclusive comparison's reason among
            // them, as an error note).
            expect(result.stderr.split('\n').slice(-2), args.join(' ')).toEqual([
              `nsys-bench: error: cannot write to standard output (ENOSPC: no space left on device, write), so the output is incomplete: send it where it can be written in full${args[0] === 'compare' ? ', or write the report with --output FILE' : ''}.`,
              ''
            ])
            expect(result.stderr, args.join(' ')).not.toMatch(/\n\s+at /)
          }
        } finally {
          closeSync(fd)
        }
      }
    )

    it.skipIf(!existsSync(full))(
      'stderr on a full device (2> /dev/full): exit 2 when a note was lost, the verdict’s status when nothing was',
      async () => {
        const fd = openSync(full, 'w')
        try {
          // Text: the notes go to stderr, and are lost.
          const text = await run(inconclusive, { stderr: fd })
          expect(text.code).toBe(2)
          expect(text.stdout).toMatch(/^nsys-bench: INCONCLUSIVE/)
          // JSON: the notes are in the document; nothing is written to stderr.
          const json = await run([...inconclusive, '--format', 'json'], { stderr: fd })
          expect(json.code).toBe(3)
          expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'inconclusive' })
          // Both on the full device: exit 2, with nowhere to say why.
          const both = await run(inconclusive, { stdout: fd, stderr: fd })
          expect(both.code).toBe(2)
        } finally {
          closeSync(fd)
        }
      }
    )
  })

  it('exits 1 on a regression, 0 with --no-fail, and writes --output', () => {
    const dir = temp({
      'base.csv': kern({ gemm: 1_000_000, attn: 500_000 }),
      'head.csv': kern({ gemm: 1_000_000, attn: 600_000 })
    })
    const regression = cli('compare', join(dir, 'base.csv'), join(dir, 'head.csv'))
    expect(regression.code).toBe(1)
    expect(regression.stdout).toMatch(/\+20\.0%\s+\+100\.00 µs\s+500\.00 µs -> 600\.00 µs\s+attn/)
    expect(cli('compare', join(dir, 'base.csv'), join(dir, 'head.csv'), '--no-fail').code).toBe(0)
    expect(
      cli('compare', join(dir, 'base.csv'), join(dir, 'head.csv'), '--threshold', '25').code
    ).toBe(0)
    const written = cli(
      'compare',
      join(dir, 'base.csv'),
      join(dir, 'head.csv'),
      '--format',
      'markdown',
      '--output',
      join(dir, 'report.md')
    )
    expect(written.code).toBe(1)
    expect(written.stdout).toBe('')
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(
      /^### ❌ nsys-bench: GPU performance regression/
    )
  })

  it('reads a directory of Chrome traces as one run, one trace per rank', () => {
    // Rank 0 is the corpus's PyTorch profiler trace; rank 1 the same as rank 1 of the job would
    // write it (its rank, its GPU), in the head with every kernel 30 % longer.
    const real = join(
      ROOT,
      'test',
      'fixtures',
      'corpus',
      'traces',
      'HTA_tests-data_critical_path_simple_add_trace.json.gz'
    )
    const rank = (r: number, slower: number): string => {
      const t = JSON.parse(gunzipSync(readFileSync(real)).toString('utf8')) as {
        distributedInfo: object
        traceEvents: { ph?: string; cat?: string; pid?: unknown; dur?: number; args?: object }[]
      }
      t.distributedInfo = { ...t.distributedInfo, rank: r, world_size: 2 }
      for (const e of t.traceEvents) {
        if (e.ph !== 'X' || !['kernel', 'gpu_memcpy', 'gpu_memset'].includes(e.cat ?? '')) continue
        e.pid = r
        e.args = { ...e.args, device: r }
        if (e.cat === 'kernel' && e.dur !== undefined)
          e.dur = Math.round(e.dur * slower * 1000) / 1000
      }
      return JSON.stringify(t)
    }
    const base = temp({ 'rank0.pt.trace.json': rank(0, 1), 'rank1.pt.trace.json': rank(1, 1) })
    const head = temp({ 'rank0.pt.trace.json': rank(0, 1), 'rank1.pt.trace.json': rank(1, 1.3) })
    const summary = cli('summarize', base)
    expect(summary.code).toBe(0)
    expect(summary.stderr).toContain('2 traces read as the ranks of one run (0, 1 of world size 2')
    const result = cli('compare', base, head)
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/GPU 1 \(rank 1\): busy [^,]+, utilisation/)
    expect(result.stdout).toMatch(/imbalance between ranks: 0\.0% → \d+\.\d%/)
  })

  it('takes repeated runs with --base/--head', () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 5; i++) {
      files[`b${i}.csv`] = kern({ gemm: 1_000_000 + i * 1000, attn: 500_000 + i * 500 })
      files[`h${i}.csv`] = kern({ gemm: 1_000_000 + i * 1000, attn: 560_000 + i * 500 })
    }
    const dir = temp(files)
    const args = [0, 1, 2, 3, 4].flatMap((i) => [
      '--base',
      join(dir, `b${i}.csv`),
      '--head',
      join(dir, `h${i}.csv`)
    ])
    const { code, stdout } = cli('compare', ...args, '--format', 'json')
    expect(code).toBe(1)
    const json = JSON.parse(stdout) as {
      runs: object
      tables: {
        kernels: { items: { name: string; status: string; significance?: { p: number } }[] }
      }
    }
    expect(json.runs).toEqual({ base: 5, head: 5 })
    const attn = json.tables.kernels.items.find((k) => k.name === 'attn')
    expect(attn?.status).toBe('regressed')
    expect(attn?.significance?.p).toBeCloseTo(0.008, 3)
  })

  it('exits 2 on bad input with the file, line and column, never a stack trace', () => {
    const dir = temp({
      'run_cuda_gpu_kern_sum.csv': `${KERN}1.0,100,1,1e,100.0,100,100,0.0,gemm\n`
    })
    const { code, stderr, stdout } = cli('compare', dir, csv23)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(
      /^nsys-bench: error: .*run_cuda_gpu_kern_sum\.csv:2 \(column "Avg \(ns\)"\): expected a non-negative number, found "1e"/
    )
    expect(stderr).not.toMatch(/\n\s+at /)
  })

  it('exits 2 on usage errors, with a pointer to --help', () => {
    const unknown = cli('compare', csv22, csv23, '--treshold', '5')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe(
      'nsys-bench: error: compare: unknown option "--treshold"; did you mean --threshold?\n' +
        'Run `nsys-bench compare --help` for usage.\n'
    )
    expect(cli('compare', csv22).stderr).toMatch(
      /^nsys-bench: error: compare takes <base> <head>, or --base\/--head options; found 1 input\n/
    )
    // Several runs a side, written as the usage line's `<input>...` might suggest: each input
    // takes its own option, and the error names the inputs that had none.
    const several = cli('compare', '--base', csv22, csv23, '--head', csv22, csv23)
    expect(several.code).toBe(2)
    expect(several.stderr).toBe(
      `nsys-bench: error: with --base and --head, each input takes its own option (--base r0 --base r1 --head h0 --head h1); "${csv23}", "${csv23}" have none\n` +
        'Run `nsys-bench compare --help` for usage.\n'
    )
    expect(cli('compare', '--help').stdout).toContain(
      'nsys-bench compare --base <input> [--base <input>...] --head <input> [--head <input>...]'
    )
    expect(cli('frobnicate').stderr).toMatch(/unknown command "frobnicate"/)
    expect(cli('compare', csv22, csv23, '--threshold', 'five').stderr).toMatch(
      /--threshold takes a number, not "five"/
    )
    const dir = temp({ 'rules.json': '{"tables": {"kernel": {}}}' })
    expect(cli('compare', csv22, csv23, '--rules', join(dir, 'rules.json')).stderr).toMatch(
      /rules\.json: unknown table "kernel"/
    )
    expect(cli('compare', csv22, csv23, '--threshold', '-5').stderr).toMatch(
      /^nsys-bench: error: --threshold must be ≥ 0, got -5\n/
    )
    // An option of one value given twice: refused, never the last one silently. A second rules
    // file would leave the first unread: here the first is invalid, and says nothing.
    const rules = temp({ 'bad.json': '{"threshold": "x"}', 'lax.json': '{"threshold": 1000}' })
    const twice = cli(
      'compare',
      csv22,
      csv23,
      '--rules',
      join(rules, 'bad.json'),
      '--rules',
      join(rules, 'lax.json')
    )
    expect(twice.code).toBe(2)
    expect(twice.stdout).toBe('')
    expect(twice.stderr).toBe(
      `nsys-bench: error: compare: --rules is given twice ("${join(rules, 'bad.json')}" and "${join(rules, 'lax.json')}"); give it once\n` +
        'Run `nsys-bench compare --help` for usage.\n'
    )
    for (const [args, message] of [
      [
        ['compare', csv22, csv23, '--threshold', '5', '--threshold=50'],
        'compare: --threshold is given twice ("5" and "50"); give it once'
      ],
      [
        ['compare', csv22, csv23, '--format', 'text', '--format', 'json'],
        'compare: --format is given twice ("text" and "json"); give it once'
      ],
      [
        ['summarize', csv23, '--rows', '3', '--rows', '4'],
        'summarize: --rows is given twice ("3" and "4"); give it once'
      ],
      [
        ['demo', '--runs', '2', '--runs', '3'],
        'demo: --runs is given twice ("2" and "3"); give it once'
      ]
    ] as const) {
      const result = cli(...args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr.split('\n')[0], args.join(' ')).toBe(`nsys-bench: error: ${message}`)
    }
    // Options that take several values, and flags, may be repeated.
    expect(cli('compare', csv22, csv23, '--ignore', '^x', '--ignore', '^y').code).toBe(0)
    expect(cli('compare', csv22, csv23, '--no-fail', '--no-fail').code).toBe(0)
    expect(cli('--help').stdout).toMatch(
      /Exit status: 0 pass \(or accepted\), 1 regression, 2 bad input or usage, 3 inconclusive\./
    )
    expect(cli('--version').stdout.trim()).toBe(
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version
    )
  })

  it('each command has its --help (exit 0), and an unknown option gets "did you mean"', () => {
    for (const command of ['summarize', 'compare', 'verdict', 'demo']) {
      const help = cli(command, '--help')
      expect(help.code, command).toBe(0)
      expect(help.stdout, command).toMatch(new RegExp(`^Usage: nsys-bench ${command}`))
      expect(help.stdout, command).toMatch(
        /Exit status: 0 pass \(or accepted\), 1 regression, 2 bad input or usage, 3 inconclusive\./
      )
    }
    expect(cli('compare', '--help').stdout).toContain('--captures runs')
    expect(cli('summarize', csv23, '--jsno').stderr).toBe(
      'nsys-bench: error: summarize: unknown option "--jsno"; did you mean --json?\n' +
        'Run `nsys-bench summarize --help` for usage.\n'
    )
  })

  it('exits 3 when the head has no kernel data (nsys SKIPPED): inconclusive, never a pass', () => {
    const head = temp({
      'run_cuda_gpu_kern_sum.csv': '',
      'run_cuda_api_sum.csv':
        'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n100.0,7,1,7.0,7.0,7,7,0.0,cudaMalloc\n'
    })
    const base = temp({ 'run_cuda_gpu_kern_sum.csv': kern({ gemm: 1_000_000, attn: 500_000 }) })
    const { code, stdout } = cli('compare', base, head)
    expect(code).toBe(3)
    expect(stdout).toMatch(
      /^nsys-bench: INCONCLUSIVE \(the two sides cannot be compared honestly\)\n {2}table-empty: GPU kernels: the base has data but the head's report ran and found none/
    )
    expect(cli('compare', base, head, '--no-fail').code).toBe(0)
  })

  it('prints notes once, on stderr, in text mode; in JSON they are in the document', () => {
    const file = join(CORPUS, 'unattributed-zh-notes_nsys-2022.1.3_nsys-stats_pytorch-mnist.txt')
    const text = cli('summarize', file)
    expect(text.code).toBe(0)
    expect(text.stdout).not.toMatch(/^(Note|nsys-bench: note)/m)
    const stderrNotes = text.stderr.split('\n').filter(Boolean)
    expect(stderrNotes.length).toBeGreaterThan(0)
    for (const line of stderrNotes) expect(line).toMatch(/^nsys-bench: (note|warning): /)
    expect(new Set(stderrNotes).size).toBe(stderrNotes.length)
    const json = cli('summarize', file, '--json')
    expect(json.stderr).toBe('')
    expect((JSON.parse(json.stdout) as { meta: { notes: unknown[] } }).meta.notes).toHaveLength(
      stderrNotes.length
    )
  })

  it('reads a log of several captures one capture at a time, or each as a run', () => {
    // Kernels and API calls (lines 4–33), then kernels again after --force-export (35–43).
    const log = join(
      CORPUS,
      'LittleLittleCloud_dotLLM-Optimization_prefill-profiling_nsys-2024.6.2_csv.txt'
    )
    const refused = cli('summarize', log)
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(
      /holds 2 captures of nsys stats output \(1: lines 2–33, 2: lines 35–43\)/
    )
    expect(cli('summarize', log, '--capture', '1').stdout).toMatch(
      /GPU kernels \(cuda_gpu_kern_sum\): 15 items/
    )
    expect(cli('summarize', log, '--capture', '2').stdout).toMatch(
      /GPU kernels \(cuda_gpu_kern_sum\): 7 items/
    )
    const runs = cli(
      'compare',
      '--base',
      log,
      '--head',
      log,
      '--captures',
      'runs',
      '--format',
      'json'
    )
    expect((JSON.parse(runs.stdout) as { runs: object }).runs).toEqual({ base: 2, head: 2 })
  })

  it('compare --format html --output writes the report page; demo --format html', () => {
    const dir = temp({
      'base.csv': kern({ gemm: 1_000_000, attn: 500_000 }),
      'head.csv': kern({ gemm: 1_000_000, attn: 600_000 })
    })
    const out = join(dir, 'report.html')
    const args = [join(dir, 'base.csv'), join(dir, 'head.csv')]
    const written = cli('compare', ...args, '--format', 'html', '--output', out)
    expect(written.code).toBe(1)
    expect(written.stdout).toBe('')
    const html = readFileSync(out, 'utf8')
    expect(html).toMatch(/^<!doctype html>\n[^]*<\/html>\n$/)
    expect(html).toContain('<h1 id="verdict" data-verdict="regression">')
    // The data the page's script draws from: attn's row, +20 %.
    expect(html).toMatch(
      /\{"n":"attn","s":0,"t":"regressed","c":\["500\.00 µs","600\.00 µs","\+100\.00 µs","\+20\.0%"/
    )
    const demo = cli('demo', '--format', 'html', '--runs', '5')
    expect(demo.code).toBe(0)
    expect(demo.stdout).toMatch(/^<!doctype html>\n[^]*flash_fwd_splitkv_kernel[^]*<\/html>\n$/)
    const bad = cli('compare', ...args, '--format', 'pdf')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--format must be text, markdown, json or html, not "pdf"/)
  })

  it('compare --threshold auto --history: limits from the history file, re-derived by verdict', () => {
    // The history by hand: 5 runs of "wobbly" at 100, 80, 120, 90, 110 µs (median 100, MAD 10:
    // a band of ±3 × 1.4826 × 10 = ±44.48 %) and "steady" at 100 µs. No GPU: fingerprint empty.
    const runs = [1, 2, 3, 4, 5].map((n) => ({
      sha: String(n).repeat(40),
      date: '2026-11-01T00:00:00Z',
      gpu: '',
      profiler: 'nsys',
      major: '',
      naming: 'demangled',
      repetitions: 1
    }))
    const series = (v: number[]) => ({ v, s: v.map(() => 0), n: v.map(() => 1) })
    const history = gzipSync(
      JSON.stringify({
        kind: 'nsys-bench/history',
        schemaVersion: 1,
        runs,
        tables: {
          kernels: {
            wobbly: series([100_000, 80_000, 120_000, 90_000, 110_000]),
            steady: series([100_000, 100_000, 100_000, 100_000, 100_000])
          }
        }
      })
    )
    const dir = temp({
      'base.csv': kern({ wobbly: 100_000, steady: 100_000 }),
      'head.csv': kern({ wobbly: 130_000, steady: 110_000 })
    })
    writeFileSync(join(dir, 'history.json.gz'), history)
    const args = ['compare', join(dir, 'base.csv'), join(dir, 'head.csv'), '--threshold', 'auto']
    const out = join(dir, 'c.json')
    const r = cli(
      ...args,
      '--history',
      join(dir, 'history.json.gz'),
      '--format',
      'json',
      '--output',
      out
    )
    expect(r.code).toBe(1)
    const record = JSON.parse(readFileSync(out, 'utf8')) as {
      tables: { kernels: { items: { name: string; status: string; limit: unknown }[] } }
    }
    const by = Object.fromEntries(record.tables.kernels.items.map((i) => [i.name, i]))
    expect(by.wobbly).toMatchObject({
      status: 'unchanged',
      limit: { source: 'history', runs: 5, bandPct: 44.48 }
    })
    expect(by.steady).toMatchObject({
      status: 'regressed',
      limit: { source: 'fixed', why: 'band-within-fixed', runs: 5, bandPct: 0 }
    })
    expect(cli('verdict', out).stdout).toMatch(/^regression \(re-derived/)
    // The terminal report: the limit and the trend (5 runs at 100 µs, the head at 110 µs).
    const shown = cli(...args, '--history', join(dir, 'history.json.gz')).stdout
    expect(shown).toMatch(/limit ±5% \(fixed; band ±0% of 5 runs\)\s+▁▁▁▁▁→█\s+steady/)
    expect(shown).toContain(
      'History: last 5 comparable runs, GPU unknown, nsys; limits: threshold auto'
    )
    // Without the history both regress (the fixed 5 %), and the comparison says why.
    const bare = cli(...args, '--format', 'markdown')
    expect(bare.stdout).toContain('threshold: auto, but the baseline has no history')
    expect(bare.stdout).toContain('#### Regressions (2)')
    const bad = cli(...args, '--history', join(dir, 'base.csv'))
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('not a valid nsys-bench history: it is not gzip data')
  })

  it("compare --format html draws the launch distributions of GPU traces (the profiles' sketches)", () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nsys-bench-cli-')), 'report.html')
    const written = cli(
      'compare',
      writeSide('base'),
      writeSide('head'),
      '--format',
      'html',
      '--output',
      out
    )
    expect(written.code).toBe(1)
    const html = readFileSync(out, 'utf8')
    // rms_norm's row carries its launches: 100 a side (html-timeline-fixture.ts).
    const row = /\{"n":"rms_norm",[^]*?"x":\{"l":\{"b":\[([\d,]+)\],"h":\[([\d,]+)\]/.exec(html)
    const sum = (list: string | undefined): number =>
      (list ?? '').split(',').reduce((a, b) => a + Number(b), 0)
    expect(sum(row?.[1])).toBe(100)
    expect(sum(row?.[2])).toBe(100)
    expect(html).toContain('<section id="gpu-timeline">')
    expect(html).toContain('<section id="nvtx-phases">')
  })

  it('verdict: re-derives the verdict of a comparison record, and catches an edited one', () => {
    const dir = temp({
      'base.csv': kern({ gemm: 1_000_000, attn: 500_000 }),
      'head.csv': kern({ gemm: 1_000_000, attn: 600_000 })
    })
    const record = join(dir, 'comparison.json')
    expect(
      cli(
        'compare',
        join(dir, 'base.csv'),
        join(dir, 'head.csv'),
        '--format',
        'json',
        '--output',
        record
      ).code
    ).toBe(1)
    const again = cli('verdict', record)
    expect(again.code).toBe(1)
    expect(again.stdout).toMatch(
      /^regression \(re-derived from the recorded inputs\)\n {2}regressed: /
    )
    const edited = JSON.parse(readFileSync(record, 'utf8')) as { verdict: string }
    edited.verdict = 'pass'
    writeFileSync(record, JSON.stringify(edited))
    const caught = cli('verdict', record)
    expect(caught.code).toBe(2)
    expect(caught.stderr).toMatch(/the record says "pass" but its inputs give "regression"/)
  })
})
