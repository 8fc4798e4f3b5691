/**
 * The bundled action with `profiler: torch` and `profiler: none` (no nsys anywhere): the benchmark
 * is a shell command that copies a real PyTorch profiler trace of the corpus (HTA's
 * critical_path_simple_add_trace, A100) where the action tells it to, as a framework's profiler
 * would write it. The expected kernel totals come from the trace itself, gunzipped and parsed
 * here, not from the code under test.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import type { FakeGitHub } from './fakes/github.js'
import { useFakeGitHub } from './support/fake-lifecycle.js'
import {
  annotations,
  bench,
  expectExit,
  kernelTotals,
  MARKER,
  prEvent,
  pushEvent,
  text,
  type BenchEnv
} from './support/bench.js'
import { FIXTURES } from '../support/paths.js'

const TRACE_NAME = 'HTA_tests-data_critical_path_simple_add_trace.json.gz'
const TRACE = path.join(FIXTURES, 'corpus', 'traces', TRACE_NAME)
const SECOND = path.join(
  FIXTURES,
  'corpus',
  'traces',
  'kineto_tb_plugin_samples_resnet50_2021_EXCERPT.pt.trace.json'
)

/** Kernel name → total ns, summed here from the trace's `cat: kernel` complete events. */
function expectedKernels(file: string): Record<string, number> {
  let bytes = readFileSync(file)
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes)
  const events = (
    JSON.parse(bytes.toString('utf8')) as {
      traceEvents: { ph?: string; cat?: string; name: string; dur?: number }[]
    }
  ).traceEvents
  const out: Record<string, number> = {}
  for (const e of events) {
    if (e.ph !== 'X' || e.cat?.toLowerCase() !== 'kernel') continue
    out[e.name] = (out[e.name] ?? 0) + (e.dur ?? 0) * 1000
  }
  return out
}

let fake: FakeGitHub
let work: string
// No nvidia-smi, no nsys: the GPU comes from the trace's deviceProperties.
const env: BenchEnv = {}
const kernels = expectedKernels(TRACE)

useFakeGitHub('torch', (f, w) => {
  fake = f
  work = w
})

/** Rounded to the ns: the trace's µs floats (1.76) are not exact in binary. */
function rounded(totals: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Math.round(v)]))
}

describe('profiler: torch', () => {
  test('two profiled runs after a warm-up: each run reads its trace; push, then a pull request', async () => {
    expect(Object.keys(kernels)).toHaveLength(16)
    const workspace = await mkdtemp(path.join(work, 'torch-'))
    // The command logs the directory it was given and whether it sees the action's inputs.
    const command = [
      'echo "$NSYS_BENCH_TRACE_DIR" >> dirs.txt',
      'env | grep -c "^INPUT_" >> inputs-seen.txt || true',
      `cp ${JSON.stringify(TRACE)} "$NSYS_BENCH_TRACE_DIR/"`
    ].join('; ')
    const inputs = { profiler: 'torch', command, repetitions: '2', 'warmup-runs': '1' }
    const push = await bench(env, { fake, event: pushEvent(fake), cwd: workspace, inputs })
    expectExit(push, 0)
    expect(push.outputs.verdict).toBe('no-baseline')

    // Three runs, three directories: the warm-up's (outside the report, gone), then one per run
    // under the report directory.
    const dirs = (await readFile(path.join(workspace, 'dirs.txt'), 'utf8')).trim().split('\n')
    expect(dirs).toHaveLength(3)
    const reportDir = push.outputs['report-dir'] ?? ''
    expect(dirs[0]?.startsWith(reportDir)).toBe(false)
    expect(path.basename(dirs[0] ?? '')).toMatch(/^nsys-bench-warmup-/)
    expect(dirs.slice(1)).toEqual([
      path.join(reportDir, 'traces', 'run-1'),
      path.join(reportDir, 'traces', 'run-2')
    ])
    expect((await readFile(path.join(workspace, 'inputs-seen.txt'), 'utf8')).trim()).toBe('0\n0\n0')

    // The traces are archived with the report, and each run's profile holds the trace's kernels
    // with the trace's values.
    const report = fake.artifactFiles('nsys-bench-report')
    const original = readFileSync(TRACE)
    // The warm-up's trace is not archived.
    expect(Object.keys(report).filter((f) => f.startsWith('traces/'))).toEqual([
      `traces/run-1/${TRACE_NAME}`,
      `traces/run-2/${TRACE_NAME}`
    ])
    for (const run of [1, 2]) {
      expect(Buffer.from(report[`traces/run-${run}/${TRACE_NAME}`] ?? [])).toEqual(original)
      const profile = text(report, `profiles/run-${run}.json`)
      expect(rounded(kernelTotals(profile))).toEqual(rounded(kernels))
      const meta = (JSON.parse(profile) as { meta: { command?: string; sources: string[] } }).meta
      expect(meta.command).toBe(command)
      expect(meta.sources).toEqual([`traces/run-${run}/${TRACE_NAME}`])
    }
    expect(Object.keys(fake.artifactFiles('nsys-bench-baseline')).sort()).toEqual([
      'history.json.gz',
      'run-1.json',
      'run-2.json'
    ])
    // The trace's kernels add up to 10.73 ms; ampere_sgemm_32x32_sliced1x4_tn is 2673 µs in 6.
    const total = Object.values(kernels).reduce((a, b) => a + b, 0)
    expect(Math.round(total / 10_000) / 100).toBe(10.73)
    expect(push.summary).toContain('- GPU kernels: 16 items, 10.73 ms')
    expect(push.summary).toContain('| `ampere_sgemm_32x32_sliced1x4_tn` | 2.67 ms | 6 | 24.9% |')
    expect(push.summary).toContain('NVIDIA A100-PG509-200 · profiler torch')

    // A pull request running the same benchmark: compared with the push run's traces, it passes.
    const pr = prEvent(fake)
    const head = await bench(env, { fake, event: pr, cwd: workspace, inputs })
    expectExit(head, 0)
    expect(head.outputs.verdict).toBe('pass')
    const [comment] = fake.comments(pr.number)
    expect(comment?.body.startsWith(MARKER)).toBe(true)
    expect(comment?.body).toContain('ampere_sgemm_32x32_sliced1x4_tn')
    expect(kernels.ampere_sgemm_32x32_sliced1x4_tn).toBe(2_673_000)
    expect(head.summary).toContain('ampere_sgemm_32x32_sliced1x4_tn')
  }, 120_000)

  test('trace-dir-env names the variable a framework reads (vLLM)', async () => {
    const workspace = await mkdtemp(path.join(work, 'vllm-'))
    const result = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: {
        profiler: 'torch',
        'trace-dir-env': 'VLLM_TORCH_PROFILER_DIR',
        command: `mkdir -p "$VLLM_TORCH_PROFILER_DIR/worker0" && cp ${JSON.stringify(SECOND)} "$VLLM_TORCH_PROFILER_DIR/worker0/"`
      }
    })
    expectExit(result, 0)
    const report = fake.artifactFiles('nsys-bench-report')
    const name = path.basename(SECOND)
    expect(report[`traces/run-1/worker0/${name}`]).toBeDefined()
    expect(rounded(kernelTotals(text(report, 'profiles/run-1.json')))).toEqual(
      rounded(expectedKernels(SECOND))
    )
  }, 60_000)

  test('a run that writes no trace fails the step, saying where the action looked', async () => {
    const workspace = await mkdtemp(path.join(work, 'none-written-'))
    const result = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: {
        profiler: 'torch',
        command: 'echo profiled; echo notes > "$NSYS_BENCH_TRACE_DIR/log.txt"'
      }
    })
    expectExit(result, 1)
    expect(result.outputs.verdict).toBe('error')
    const [error] = annotations(result, 'error')
    const dir = path.join(result.outputs['report-dir'] ?? '', 'traces', 'run-1')
    expect(error).toContain(
      `profiled run 1 wrote no trace: nothing ending in .json or .json.gz is in "${dir}" (it holds "log.txt")`
    )
    expect(error).toContain('into the directory named by $NSYS_BENCH_TRACE_DIR')
    // What it wrote is still archived.
    expect(Object.keys(fake.artifactFiles('nsys-bench-report'))).toContain('traces/run-1/log.txt')
  }, 60_000)

  test('a run that writes one trace per rank is read as one run: ranks as GPUs, kernels summed', async () => {
    const workspace = await mkdtemp(path.join(work, 'ranks-'))
    // Rank 1 is the real trace as another rank of the job would write it: its rank, its GPU, and
    // (in the pull request) its kernels 30% slower, so that the ranks drift apart.
    const rankFile = (rank: number, slower: number): string => {
      const trace = JSON.parse(gunzipSync(readFileSync(TRACE)).toString('utf8')) as {
        distributedInfo: Record<string, unknown>
        traceEvents: { ph?: string; cat?: string; pid?: unknown; dur?: number; args?: object }[]
      }
      trace.distributedInfo = { ...trace.distributedInfo, rank, world_size: 2 }
      for (const e of trace.traceEvents) {
        if (e.ph !== 'X' || !['kernel', 'gpu_memcpy', 'gpu_memset'].includes(e.cat ?? '')) continue
        e.pid = rank
        e.args = { ...e.args, device: rank }
        if (e.cat === 'kernel' && e.dur !== undefined)
          e.dur = Math.round(e.dur * slower * 1000) / 1000
      }
      const file = path.join(workspace, `rank${rank}-x${slower}.pt.trace.json`)
      writeFileSync(file, JSON.stringify(trace))
      return file
    }
    const command = (slower: number): string =>
      `cp ${JSON.stringify(rankFile(0, 1))} "$NSYS_BENCH_TRACE_DIR/rank0.pt.trace.json"; ` +
      `cp ${JSON.stringify(rankFile(1, slower))} "$NSYS_BENCH_TRACE_DIR/rank1.pt.trace.json"`
    const push = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: { profiler: 'torch', command: command(1) }
    })
    expectExit(push, 0)
    const report = fake.artifactFiles('nsys-bench-report')
    const profile = text(report, 'profiles/run-1.json')
    // Both ranks' kernels, summed: twice the trace's.
    expect(rounded(kernelTotals(profile))).toEqual(
      rounded(Object.fromEntries(Object.entries(kernels).map(([k, v]) => [k, 2 * v])))
    )
    const json = JSON.parse(profile) as {
      meta: { sources: string[]; notes: { code: string }[] }
      tables: { gpuTimeline: { devices: { device: number; rank?: number }[] } }
    }
    expect(json.meta.sources).toEqual([
      'traces/run-1/rank0.pt.trace.json',
      'traces/run-1/rank1.pt.trace.json'
    ])
    expect(json.meta.notes.map((n) => n.code)).toContain('trace-ranks')
    expect(json.tables.gpuTimeline.devices.map((d) => [d.device, d.rank])).toEqual([
      [0, 0],
      [1, 1]
    ])

    // The pull request slows rank 1's kernels: a regression, and the ranks' imbalance shows.
    const pr = prEvent(fake)
    const head = await bench(env, {
      fake,
      event: pr,
      cwd: workspace,
      inputs: { profiler: 'torch', command: command(1.3) }
    })
    expectExit(head, 1)
    expect(head.outputs.verdict).toBe('regression')
    const [comment] = fake.comments(pr.number)
    expect(comment?.body).toContain('| 1 (rank 1) |')
    expect(comment?.body).toMatch(
      /Imbalance between ranks \(least busy against busiest\): 0\.0% → \d+\.\d%/
    )
  }, 120_000)

  test('two traces of one rank in a run are refused, naming them', async () => {
    const workspace = await mkdtemp(path.join(work, 'cycles-'))
    const result = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: {
        profiler: 'torch',
        command: `cp ${JSON.stringify(TRACE)} "$NSYS_BENCH_TRACE_DIR/step1.pt.trace.json.gz"; cp ${JSON.stringify(TRACE)} "$NSYS_BENCH_TRACE_DIR/step2.pt.trace.json.gz"`
      }
    })
    expectExit(result, 1)
    const [error] = annotations(result, 'error')
    expect(error).toContain('profiled run 1 wrote 2 traces into')
    expect(error).toMatch(
      /step1\.pt\.trace\.json\.gz" and ".*step2\.pt\.trace\.json\.gz" are both rank 0/
    )
    expect(fake.artifacts().filter((a) => a.name === 'nsys-bench-baseline')).toEqual([])
  }, 60_000)

  test('a link to a trace is refused, not followed', async () => {
    const workspace = await mkdtemp(path.join(work, 'link-'))
    const result = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: {
        profiler: 'torch',
        command: `ln -s ${JSON.stringify(TRACE)} "$NSYS_BENCH_TRACE_DIR/trace.json.gz"`
      }
    })
    expectExit(result, 1)
    expect(annotations(result, 'error')[0]).toMatch(
      /^nsys-bench: profiled run 1 left "trace\.json\.gz" in ".*", which is not a regular file \(a symbolic link\?\): write the trace itself there/
    )
  }, 60_000)

  test('a failing or overlong benchmark fails the step with its exit code or the limit', async () => {
    const workspace = await mkdtemp(path.join(work, 'fails-'))
    const failing = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: { profiler: 'torch', command: 'echo out of memory >&2; exit 3', 'warmup-runs': '1' }
    })
    expectExit(failing, 1)
    expect(annotations(failing, 'error')[0]).toContain(
      'the benchmark exited with code 3 in warm-up run 1. Last output:'
    )
    expect(annotations(failing, 'error')[0]).toContain('out of memory')
    const started = Date.now()
    const long = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: {
        profiler: 'none',
        command: 'sleep 30',
        'profile-path': 'p.json',
        'timeout-minutes': '0.01'
      }
    })
    expectExit(long, 1)
    expect(annotations(long, 'error')[0]).toContain(
      'profiled run 1 ran longer than timeout-minutes (0.01 min) and was stopped'
    )
    expect(Date.now() - started).toBeLessThan(20_000)
  }, 60_000)

  test('conflicting inputs are usage errors, and nothing is run', async () => {
    const workspace = await mkdtemp(path.join(work, 'usage-'))
    const cases: [Record<string, string>, string][] = [
      [
        { profiler: 'torch', command: 'touch ran', 'capture-range': 'cudaProfilerApi' },
        'capture-range is read only by profiler: nsys, but profiler is torch'
      ],
      [
        { profiler: 'torch', 'profile-path': 'trace.json' },
        'profiler: torch reads the traces the command writes into $NSYS_BENCH_TRACE_DIR, not `profile-path`'
      ],
      [{ profiler: 'none', command: 'touch ran' }, 'profiler: none needs `command`']
    ]
    for (const [inputs, message] of cases) {
      const result = await bench(env, { fake, event: pushEvent(fake), cwd: workspace, inputs })
      expectExit(result, 1)
      expect(annotations(result, 'error')[0]).toContain(message)
    }
    await expect(readFile(path.join(workspace, 'ran'))).rejects.toThrow(/ENOENT/)
  }, 60_000)
})

describe('profiler: none', () => {
  test('runs the command plainly and reads profile-path after each run, archiving a copy', async () => {
    const workspace = await mkdtemp(path.join(work, 'plain-'))
    const command = `mkdir -p out && cp ${JSON.stringify(TRACE)} out/trace.json.gz && echo run >> runs.txt`
    const result = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: { profiler: 'none', command, 'profile-path': 'out/trace.json.gz', repetitions: '2' }
    })
    expectExit(result, 0)
    expect(await readFile(path.join(workspace, 'runs.txt'), 'utf8')).toBe('run\nrun\n')
    const report = fake.artifactFiles('nsys-bench-report')
    for (const run of [1, 2]) {
      expect(Buffer.from(report[`profile-path/run-${run}/trace.json.gz`] ?? [])).toEqual(
        readFileSync(TRACE)
      )
      expect(rounded(kernelTotals(text(report, `profiles/run-${run}.json`)))).toEqual(
        rounded(kernels)
      )
    }
  }, 60_000)

  test('profile-format names what the command writes: a trace named rocprofv3 output is refused', async () => {
    const workspace = await mkdtemp(path.join(work, 'format-'))
    const command = `mkdir -p out && cp ${JSON.stringify(TRACE)} out/trace.json.gz`
    const result = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: {
        profiler: 'none',
        command,
        'profile-path': 'out/trace.json.gz',
        'profile-format': 'rocprofv3'
      }
    })
    expectExit(result, 1)
    expect(annotations(result, 'error')[0]).toMatch(
      /trace\.json\.gz" is gzip-compressed, and rocprofv3 output is read as plain text/
    )
  }, 60_000)

  test('a profile-path the run did not write is refused, not read again', async () => {
    const workspace = await mkdtemp(path.join(work, 'stale-'))
    await mkdir(path.join(workspace, 'out'))
    const stale = path.join(workspace, 'out', 'trace.json.gz')
    await writeFile(stale, readFileSync(TRACE))
    const old = new Date(Date.now() - 3_600_000)
    await utimes(stale, old, old)
    const result = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: { profiler: 'none', command: 'true', 'profile-path': 'out/trace.json.gz' }
    })
    expectExit(result, 1)
    expect(annotations(result, 'error')[0]).toContain(
      'profiled run 1 finished, but profile-path "out/trace.json.gz" was not written during it'
    )
  }, 60_000)

  test('a profile an earlier run or a warm-up wrote, read again within the second: refused', async () => {
    // The command writes the trace only where there is none yet: its second run writes nothing.
    const command = `mkdir -p out && { [ -e out/trace.json.gz ] || cp ${JSON.stringify(TRACE)} out/trace.json.gz; }`
    const cases: Record<string, string>[] = [{ repetitions: '2' }, { 'warmup-runs': '1' }]
    for (const extra of cases) {
      const workspace = await mkdtemp(path.join(work, 'twice-'))
      const result = await bench(env, {
        fake,
        event: pushEvent(fake),
        cwd: workspace,
        inputs: { profiler: 'none', command, 'profile-path': 'out/trace.json.gz', ...extra }
      })
      expectExit(result, 1)
      const run = 'repetitions' in extra ? 2 : 1
      expect(annotations(result, 'error')[0], JSON.stringify(extra)).toContain(
        `profiled run ${run} finished, but profile-path "out/trace.json.gz" was not written during it`
      )
    }
  }, 60_000)

  test('a directory with one fresh file and a stale trace is refused, naming the stale file', async () => {
    const workspace = await mkdtemp(path.join(work, 'dir-'))
    await mkdir(path.join(workspace, 'out'))
    const stale = path.join(workspace, 'out', 'rank0.pt.trace.json.gz')
    await writeFile(stale, readFileSync(TRACE))
    const old = new Date(Date.now() - 2 * 86_400_000)
    await utimes(stale, old, old)
    const result = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: workspace,
      inputs: { profiler: 'none', command: 'echo done > out/bench.log', 'profile-path': 'out' }
    })
    expectExit(result, 1)
    expect(annotations(result, 'error')[0]).toContain(
      'profile-path "out" was not written during it (1 of its 2 files, such as "rank0.pt.trace.json.gz")'
    )
  }, 60_000)
})
