import { describe, expect, it } from 'vitest'
import { readInputs } from '../../src/action/inputs.js'
import { pullMovedOn, type TriggeringRun } from '../../src/action/context.js'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { profile, profileArgs, splitArgs, type ProfileOptions } from '../../src/action/nsys.js'
import type { RunProcess } from '../../src/action/process.js'
import { parseCsvNumber } from '../../src/parse/nsys/numbers.js'
import { BenchmarkError, EnvironmentError } from '../../src/errors.js'

const core = (inputs: Record<string, string>) => ({
  getInput: (name: string) => inputs[name] ?? ''
})

describe('action inputs', () => {
  it('has the documented defaults, and name suffixes artifacts and the comment id', () => {
    const inputs = readInputs(core({ command: './bench.sh', name: 'h100' }))
    expect(inputs).toMatchObject({
      repetitions: 1,
      trace: 'cuda,nvtx,osrt',
      cudaGraphTrace: 'node',
      timeoutMinutes: 60,
      baseline: 'artifact',
      comment: 'always',
      commentId: 'h100',
      baselineArtifact: 'nsys-bench-baseline-h100',
      reportArtifact: 'nsys-bench-report-h100',
      failOnRegression: true,
      threshold: undefined
    })
    expect(
      readInputs(core({ command: 'x', 'capture-range': 'cudaProfilerApi' })).captureRangeEnd
    ).toBe('stop')
    expect(readInputs(core({ command: 'x' }))).toMatchObject({
      onInconclusive: 'fail',
      acceptLabel: '',
      gpuMismatch: undefined
    })
    // A baseline-path alone means `baseline: path`.
    expect(readInputs(core({ command: 'x', 'baseline-path': 'base/' })).baseline).toBe('path')
    expect(
      readInputs(core({ command: 'x', baseline: 'ab', setup: 'make', 'ab-base-ref': ' v1.2 ' }))
    ).toMatchObject({ baseline: 'ab', setup: 'make', abBaseRef: 'v1.2' })
    // max-repetitions defaults to repetitions: adaptive repetitions off.
    expect(readInputs(core({ command: 'x', repetitions: '4' })).maxRepetitions).toBe(4)
    expect(
      readInputs(core({ command: 'x', baseline: 'ab', repetitions: '4', 'max-repetitions': '9' }))
        .maxRepetitions
    ).toBe(9)
    // Against an artifact's baseline too: head runs are added (a command this step runs).
    expect(
      readInputs(core({ command: 'x', repetitions: '3', 'max-repetitions': '6' })).maxRepetitions
    ).toBe(6)
  })

  const bad: [string, Record<string, string>, RegExp][] = [
    ['neither command nor profile-path', {}, /give the benchmark to profile in `command`/],
    [
      'both command and profile-path',
      { command: 'x', 'profile-path': 'a' },
      /either `command` or `profile-path`/
    ],
    [
      'an unknown choice',
      { command: 'x', comment: 'sometimes' },
      /input comment must be one of always, on-regression, never; got "sometimes"/
    ],
    [
      'a bad number',
      { command: 'x', repetitions: 'three' },
      /input repetitions must be a whole number from 1 to 100; got "three"/
    ],
    [
      'a bad boolean',
      { command: 'x', 'fail-on-regression': 'yes' },
      /input fail-on-regression must be true or false/
    ],
    [
      'a name artifacts refuse',
      { command: 'x', name: 'h100/a' },
      /input name "h100\/a" is used in artifact names/
    ],
    [
      'baseline: path without a path',
      { command: 'x', baseline: 'path' },
      /baseline: path needs `baseline-path`/
    ],
    [
      'an nvtx capture range without its name',
      { command: 'x', 'capture-range': 'nvtx' },
      /capture-range: nvtx needs `nvtx-capture`/
    ],
    [
      'a zero timeout',
      { command: 'x', 'timeout-minutes': '0' },
      /timeout-minutes must be a number of minutes above 0 and at most 7200/
    ],
    [
      'a timeout the timer cannot hold (over 24.8 days overflows setTimeout)',
      { command: 'x', 'timeout-minutes': '35792' },
      /timeout-minutes must be a number of minutes above 0 and at most 7200 \(5 days/
    ],
    [
      'a baseline-path that baseline: artifact would ignore',
      { command: 'x', baseline: 'artifact', 'baseline-path': 'base/' },
      /baseline-path is given but baseline is "artifact", which does not read it/
    ],
    [
      'a negative threshold',
      { command: 'x', threshold: '-5' },
      /input threshold must be ≥ 0; got -5/
    ],
    [
      'a comment id longer than a marker should be',
      { command: 'x', 'comment-id': 'x'.repeat(101) },
      /input comment-id must be 1 to 100 letters/
    ],
    [
      'an unknown on-inconclusive',
      { command: 'x', 'on-inconclusive': 'ignore' },
      /input on-inconclusive must be one of fail, pass; got "ignore"/
    ],
    [
      'setup without baseline: ab',
      { command: 'x', setup: 'make' },
      /setup is read only by baseline: ab .*drop it, or set `baseline: ab`/
    ],
    [
      'setup and ab-base-ref without baseline: ab',
      { command: 'x', setup: 'make', 'ab-base-ref': 'main' },
      /setup and ab-base-ref are read only by baseline: ab/
    ],
    [
      'baseline: ab with existing reports',
      { 'profile-path': 'a.nsys-rep', baseline: 'ab' },
      /baseline: ab runs `command` under nsys profile in both trees: it needs profiler: nsys and `command`, without `profile-path`$/
    ],
    [
      'baseline: ab with another profiler',
      { command: 'x', profiler: 'torch', baseline: 'ab' },
      /without `profile-path` \(got profiler: torch\)/
    ],
    [
      'max-repetitions with baseline: none',
      { command: 'x', baseline: 'none', repetitions: '3', 'max-repetitions': '6' },
      /max-repetitions adds runs until the comparison with the baseline is clear, and baseline: none compares with nothing/
    ],
    [
      'max-repetitions with reports read, not run',
      { 'profile-path': 'a.nsys-rep', repetitions: '1', 'max-repetitions': '6' },
      /this step reads reports \(`profile-path`\) instead of running it/
    ],
    [
      'max-repetitions below repetitions',
      { command: 'x', baseline: 'ab', repetitions: '5', 'max-repetitions': '3' },
      /input max-repetitions \(3\) is below repetitions \(5\)/
    ],
    [
      'baseline: ab with baseline-branch',
      { command: 'x', baseline: 'ab', 'baseline-branch': 'main' },
      /with baseline: ab give the ref to compare with in `ab-base-ref`/
    ]
  ]
  for (const [what, inputs, message] of bad) {
    it(`rejects ${what}`, () => expect(() => readInputs(core(inputs))).toThrow(message))
  }

  it('profiler: nsys by default; torch takes trace-dir-env names, one a line or comma separated', () => {
    expect(readInputs(core({ command: 'x' }))).toMatchObject({ profiler: 'nsys', traceDirEnv: [] })
    expect(
      readInputs(
        core({
          command: 'x',
          profiler: 'torch',
          'trace-dir-env':
            ' VLLM_TORCH_PROFILER_DIR,SGLANG_TORCH_PROFILER_DIR\n\n_dir2 \nVLLM_TORCH_PROFILER_DIR'
        })
      )
    ).toMatchObject({
      profiler: 'torch',
      traceDirEnv: ['VLLM_TORCH_PROFILER_DIR', 'SGLANG_TORCH_PROFILER_DIR', '_dir2'],
      profilePaths: []
    })
    // What the runner passes for inputs left alone (action.yml's defaults) is no conflict.
    const defaults = {
      nsys: 'nsys',
      trace: 'cuda,nvtx,osrt',
      'cuda-graph-trace': 'node',
      'capture-range': 'none'
    }
    expect(readInputs(core({ ...defaults, command: 'x', profiler: 'torch' })).profiler).toBe(
      'torch'
    )
    expect(readInputs(core({ ...defaults, command: 'x', profiler: 'rocprofv3' })).profiler).toBe(
      'rocprofv3'
    )
    expect(
      readInputs(core({ ...defaults, command: 'x', profiler: 'none', 'profile-path': 'out.json' }))
    ).toMatchObject({ profiler: 'none', profilePaths: ['out.json'] })
    // nsys with profile-path alone reads existing reports, as before.
    expect(readInputs(core({ 'profile-path': 'a\nb' })).profilePaths).toEqual(['a', 'b'])
    // profile-format: detected (undefined) unless named, around spaces.
    expect(readInputs(core({ 'profile-path': 'a' })).profileFormat).toBeUndefined()
    expect(
      readInputs(core({ 'profile-path': 'trace.json', 'profile-format': ' chrome ' })).profileFormat
    ).toBe('chrome')
    expect(
      readInputs(
        core({
          profiler: 'none',
          command: 'x',
          'profile-path': 'k.csv',
          'profile-format': 'rocprofv3'
        })
      ).profileFormat
    ).toBe('rocprofv3')
    expect(
      readInputs(core({ 'profile-path': 'run.nsys-rep', 'profile-format': 'nsys' })).profileFormat
    ).toBe('nsys')
  })

  const badProfiler: [string, Record<string, string>, RegExp][] = [
    [
      'an unknown profiler',
      { command: 'x', profiler: 'ncu' },
      /input profiler must be one of nsys, torch, rocprofv3, none; got "ncu"/
    ],
    [
      'rocprofv3 without a command',
      { profiler: 'rocprofv3' },
      /profiler: rocprofv3 needs `command`: the benchmark, which the action runs under rocprofv3 --kernel-trace --stats/
    ],
    [
      'rocprofv3 with profile-path',
      { profiler: 'rocprofv3', command: 'x', 'profile-path': 'k.csv' },
      /profiler: rocprofv3 runs `command` under rocprofv3 and reads what it writes, not `profile-path`/
    ],
    [
      'nsys inputs set with rocprofv3',
      { profiler: 'rocprofv3', command: 'x', 'capture-range': 'nvtx' },
      /^capture-range is read only by profiler: nsys, but profiler is rocprofv3: drop it/
    ],
    [
      'torch without a command',
      { profiler: 'torch' },
      /profiler: torch needs `command`.*\$NSYS_BENCH_TRACE_DIR/
    ],
    [
      'torch with profile-path',
      { profiler: 'torch', command: 'x', 'profile-path': 'trace.json' },
      /profiler: torch reads the traces the command writes into \$NSYS_BENCH_TRACE_DIR, not `profile-path`/
    ],
    [
      'nsys inputs set with torch, naming them',
      { profiler: 'torch', command: 'x', trace: 'cuda', 'nsys-args': '--stats=true' },
      /^trace, nsys-args are read only by profiler: nsys, but profiler is torch: drop them/
    ],
    [
      'an nsys input set with none',
      { profiler: 'none', command: 'x', 'profile-path': 'p.json', 'capture-range': 'nvtx' },
      /^capture-range is read only by profiler: nsys, but profiler is none/
    ],
    [
      'none without profile-path',
      { profiler: 'none', command: 'x' },
      /profiler: none needs `command` .* and one `profile-path` .*; got a command and 0 profile-paths/
    ],
    [
      'none without command',
      { profiler: 'none', 'profile-path': 'p.json' },
      /profiler: none needs `command`.*; got no command and 1 profile-path$/
    ],
    [
      'none with two profile-paths',
      { profiler: 'none', command: 'x', 'profile-path': 'a.json\nb.json' },
      /got a command and 2 profile-paths/
    ],
    [
      'none with an nsys report',
      { profiler: 'none', command: 'x', 'profile-path': 'out/run.nsys-rep' },
      /use profiler: nsys \(the default\), which runs the command under nsys profile/
    ],
    [
      'trace-dir-env without profiler: torch',
      { command: 'x', 'trace-dir-env': 'VLLM_TORCH_PROFILER_DIR' },
      /trace-dir-env is read only by profiler: torch, but profiler is nsys/
    ],
    [
      'trace-dir-env in mode: aggregate',
      { mode: 'aggregate', 'trace-dir-env': 'VLLM_TORCH_PROFILER_DIR' },
      /trace-dir-env is read only by mode: run with profiler: torch/
    ],
    [
      'one profile-path given twice (as written, or spelled another way)',
      { 'profile-path': 'out/run1.json\n./out/run1.json' },
      /profile-path lists "\.\/out\/run1\.json" twice: each line is a run of its own/
    ],
    [
      'a trace-dir-env entry that is not a variable name',
      { profiler: 'torch', command: 'x', 'trace-dir-env': 'VLLM_DIR, 2BAD' },
      /input trace-dir-env must list environment variable names .*; got "2BAD"/
    ],
    [
      'a trace-dir-env entry with a shell expansion',
      { profiler: 'torch', command: 'x', 'trace-dir-env': 'A=$(id)' },
      /got "A=\$\(id\)"/
    ],
    [
      'a trace-dir-env entry the runner owns',
      { profiler: 'torch', command: 'x', 'trace-dir-env': 'PATH' },
      /input trace-dir-env names "PATH", which the runner or the shell owns/
    ],
    [
      'an unknown profile-format',
      { 'profile-path': 'trace.json', 'profile-format': 'perfetto' },
      /^input profile-format must be one of nsys, chrome, rocprof, rocprofv3, profile-json, or empty \(detected from each file\); got "perfetto"$/
    ],
    [
      'profile-format without profile-path',
      { command: 'x', 'profile-format': 'chrome' },
      /^profile-format names the format of `profile-path`, which this step does not read/
    ],
    [
      'profile-format in mode: comment',
      { mode: 'comment', 'profile-format': 'chrome' },
      /^profile-format names the format of `profile-path`, which this step does not read/
    ],
    [
      'a profile-format other than nsys for an nsys report',
      { 'profile-path': 'a.json\nout/run.nsys-rep', 'profile-format': 'profile-json' },
      /^profile-format is profile-json, but profile-path "out\/run\.nsys-rep" is an Nsight Systems report/
    ]
  ]
  for (const [what, inputs, message] of badProfiler) {
    it(`rejects ${what}`, () => expect(() => readInputs(core(inputs))).toThrow(message))
  }

  it('mode: aggregate needs no benchmark; expected-legs is one name a line or a JSON array', () => {
    const lines = readInputs(core({ mode: 'aggregate', 'expected-legs': ' h100\n\n a100 bf16 \n' }))
    expect(lines).toMatchObject({
      mode: 'aggregate',
      expectedLegs: ['h100', 'a100 bf16'],
      resultsPrefix: 'nsys-bench-results',
      baselinePrefix: 'nsys-bench-baseline',
      commentId: 'default'
    })
    expect(
      readInputs(core({ mode: 'aggregate', 'expected-legs': '["h100", "mi300"]' })).expectedLegs
    ).toEqual(['h100', 'mi300'])
    // The prefixes are the artifact names before any leg's suffix, also for a named aggregate.
    expect(
      readInputs(
        core({
          mode: 'aggregate',
          name: 'all',
          'results-artifact': 'perf',
          'baseline-artifact': 'base'
        })
      )
    ).toMatchObject({ resultsPrefix: 'perf', baselinePrefix: 'base', resultsArtifact: 'perf-all' })
  })

  const badLegs: [string, Record<string, string>, RegExp][] = [
    [
      'expected-legs outside mode: aggregate',
      { command: 'x', 'expected-legs': 'h100' },
      /expected-legs is read only by mode: aggregate/
    ],
    [
      'a leg named twice',
      { mode: 'aggregate', 'expected-legs': 'h100\nh100' },
      /input expected-legs names the leg "h100" twice/
    ],
    [
      'a leg name artifacts refuse',
      { mode: 'aggregate', 'expected-legs': 'h100\na100/x' },
      /input expected-legs "a100\/x" is used in artifact names/
    ],
    [
      'a JSON array that is not one',
      { mode: 'aggregate', 'expected-legs': '[h100, a100]' },
      /starts with "\[" but is not a JSON array/
    ],
    [
      'a JSON array of other things',
      { mode: 'aggregate', 'expected-legs': '["h100", 3]' },
      /must be a JSON array of strings/
    ]
  ]
  for (const [what, inputs, message] of badLegs) {
    it(`rejects ${what}`, () => expect(() => readInputs(core(inputs))).toThrow(message))
  }
})

describe('nsys profile arguments', () => {
  const options: ProfileOptions = {
    command: 'python bench.py --n 3',
    cwd: '/w',
    env: {},
    output: '/r/run-1',
    trace: 'cuda,nvtx,osrt',
    cudaGraphTrace: 'node',
    captureRange: 'none',
    nvtxCapture: '',
    captureRangeEnd: '',
    extraArgs: ['--trace-fork-before-exec=true'],
    timeoutMs: 1000,
    log: () => undefined
  }

  it('records CUDA graphs node by node, runs the command through bash, keeps extra args before it', () => {
    expect(profileArgs(options)).toEqual([
      'profile',
      '--trace=cuda,nvtx,osrt',
      '--sample=none',
      '--cpuctxsw=none',
      '--force-overwrite=true',
      '--output=/r/run-1',
      '--cuda-graph-trace=node',
      '--trace-fork-before-exec=true',
      'bash',
      '-c',
      ': >"$NSYS_BENCH_LAUNCHED"; exec bash -c "$1"',
      'bash',
      'python bench.py --n 3'
    ])
  })

  it('launches the command as bash -c would, and marks the launch first (real bash)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-launch-'))
    try {
      const marker = join(dir, 'run-1.launched')
      const command = 'printf "%s|%s|" "$0" "$#"; echo "$NSYS_BENCH_LAUNCHED" >/dev/null; exit 7'
      const args = profileArgs({ ...options, command })
      const launched = args.slice(args.indexOf('bash'))
      const run = spawnSync(launched[0]!, launched.slice(1), {
        env: { ...process.env, NSYS_BENCH_LAUNCHED: marker },
        encoding: 'utf8'
      })
      // The same $0, arguments and exit code as `bash -c <command>` gives.
      const plain = spawnSync('bash', ['-c', command], { encoding: 'utf8' })
      expect(run.stdout).toBe(plain.stdout)
      expect(run.stdout).toBe('bash|0|')
      expect(run.status).toBe(7)
      expect(existsSync(marker)).toBe(true)
      // Without the variable (nsys-args cleared the environment), the command still runs.
      const bare = spawnSync(launched[0]!, launched.slice(1), {
        env: { PATH: process.env.PATH },
        encoding: 'utf8'
      })
      expect(bare.stdout).toBe('bash|0|')
      expect(bare.status).toBe(7)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('passes --cuda-graph-trace only when CUDA is traced, and the capture range flags', () => {
    const args = profileArgs({
      ...options,
      trace: 'nvtx,osrt',
      captureRange: 'nvtx',
      nvtxCapture: 'bench@vllm',
      captureRangeEnd: 'stop',
      extraArgs: []
    })
    expect(args.some((a) => a.startsWith('--cuda-graph-trace'))).toBe(false)
    expect(args).toContain('--capture-range=nvtx')
    expect(args).toContain('--nvtx-capture=bench@vllm')
    expect(args).toContain('--capture-range-end=stop')
  })

  it('splits nsys-args like a shell, without expanding anything', () => {
    expect(splitArgs(`--env-var="A=1 2" -e 'B=$HOME'  --delay=5 ""`)).toEqual([
      '--env-var=A=1 2',
      '-e',
      'B=$HOME',
      '--delay=5',
      ''
    ])
    expect(() => splitArgs('--env-var="A=1')).toThrow(/unterminated " quote/)
  })
})

describe('nsys profile failing before it launched the benchmark', () => {
  const nsys = { path: '/opt/nsys/bin/nsys', version: '2023.4.4', major: 2023 }
  /**
   * A fake RunProcess, one behaviour a call: 'fail-early' exits 1 before launching (nsys's own
   * failure), 'fail' launches and exits 1 (the benchmark's), 'ok' launches and writes the report,
   * 'timeout' is stopped after launching (the benchmark's), 'hang' before (nsys's).
   */
  function fake(script: ('fail-early' | 'fail' | 'ok' | 'timeout' | 'hang')[]) {
    const calls: string[][] = []
    const run: RunProcess = (_command, args, opts) => {
      calls.push([...args])
      const what = script[calls.length - 1] ?? 'ok'
      const marker = opts?.env?.NSYS_BENCH_LAUNCHED
      const output = args.find((a) => a.startsWith('--output='))!.slice('--output='.length)
      if (what === 'fail' || what === 'ok' || what === 'timeout') writeFileSync(marker!, '')
      if (what === 'ok') writeFileSync(`${output}.nsys-rep`, 'report')
      const tail =
        what === 'fail-early' || what === 'hang' ? ['Connection to Agent lost.'] : ['bench output']
      const stopped = what === 'timeout' || what === 'hang'
      return Promise.resolve({
        code: what === 'ok' ? 0 : stopped ? null : 1,
        signal: stopped ? 'SIGTERM' : null,
        timedOut: stopped,
        stdout: '',
        stderr: '',
        tail
      })
    }
    return { run, calls }
  }
  const withDir = async (body: (output: string) => Promise<void>): Promise<void> => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-profile-'))
    try {
      await body(join(dir, 'run-1'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const optionsFor = (output: string, warnings: string[]): ProfileOptions => ({
    command: './bench.sh',
    cwd: '/w',
    env: {},
    output,
    trace: 'cuda,nvtx,osrt',
    cudaGraphTrace: 'node',
    captureRange: 'none',
    nvtxCapture: '',
    captureRangeEnd: '',
    extraArgs: [],
    timeoutMs: 1000,
    log: () => undefined,
    warn: (m) => warnings.push(m)
  })

  it('runs it once more, with a warning, and the second run counts', () =>
    withDir(async (output) => {
      const warnings: string[] = []
      const { run, calls } = fake(['fail-early', 'ok'])
      expect(await profile(run, nsys, optionsFor(output, warnings))).toBe(`${output}.nsys-rep`)
      expect(calls).toHaveLength(2)
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatch(
        /exited with code 1 before it launched the benchmark: a failure of nsys/
      )
      expect(warnings[0]).toContain('Connection to Agent lost.')
      // The marker does not stay among the reports.
      expect(existsSync(`${output}.launched`)).toBe(false)
    }))

  it('twice: an error that blames nsys, not the benchmark', () =>
    withDir(async (output) => {
      const { run, calls } = fake(['fail-early', 'fail-early'])
      await expect(profile(run, nsys, optionsFor(output, []))).rejects.toThrow(
        /nsys profile exited with code 1 twice before it launched the benchmark: nsys failed, not the benchmark/
      )
      expect(calls).toHaveLength(2)
    }))

  it('a benchmark that launched and failed is not run again', () =>
    withDir(async (output) => {
      const warnings: string[] = []
      const { run, calls } = fake(['fail'])
      await expect(profile(run, nsys, optionsFor(output, warnings))).rejects.toThrow(
        /the benchmark exited with code 1 under nsys profile\. Last output:\nbench output/
      )
      expect(calls).toHaveLength(1)
      expect(warnings).toEqual([])
      expect(existsSync(`${output}.launched`)).toBe(false)
    }))

  it('a run stopped at the time limit is not run again', () =>
    withDir(async (output) => {
      const { run, calls } = fake(['timeout'])
      const stopped = profile(run, nsys, optionsFor(output, []))
      await expect(stopped).rejects.toThrow(BenchmarkError)
      await expect(stopped).rejects.toThrow(
        /^the benchmark ran longer than timeout-minutes \(0\.02 min\) and was stopped\. Last output:\nbench output$/
      )
      expect(calls).toHaveLength(1)
    }))

  it('nsys stopped at the time limit before it launched the benchmark: blamed, not run again', () =>
    withDir(async (output) => {
      const { run, calls } = fake(['hang'])
      const stopped = profile(run, nsys, optionsFor(output, []))
      await expect(stopped).rejects.toThrow(EnvironmentError)
      await expect(stopped).rejects.toThrow(
        /^nsys profile had not launched the benchmark when timeout-minutes \(0\.02 min\) ran out, and was stopped: nsys hung or was too slow to start, not the benchmark .*Last output:\nConnection to Agent lost\.$/s
      )
      expect(calls).toHaveLength(1)
      expect(existsSync(`${output}.launched`)).toBe(false)
    }))
})

describe('CSV numbers', () => {
  it('take plain decimals, not JavaScript literals', () => {
    expect(parseCsvNumber('1234567')).toBe(1234567)
    expect(parseCsvNumber('-0.5')).toBe(-0.5)
    expect(parseCsvNumber('8,0000')).toBe(8)
    expect(parseCsvNumber('None')).toBeNull()
    expect(parseCsvNumber('')).toBeNull()
    for (const text of ['0x10', '0x1F', '0b101', '0o17', '1_000', 'Infinity', '1.2.3', 'abc'])
      expect(parseCsvNumber(text), text).toBeUndefined()
  })
})

describe('a pull request that moved on from the triggering run (workflow_run modes)', () => {
  const RAN = 'a'.repeat(40)
  const NOW = 'b'.repeat(40)
  const run: TriggeringRun = {
    id: 41,
    headSha: RAN,
    headBranch: 'feature',
    headRepo: 'forker/llm-serve'
  }
  const pull = (sha: string, ref = 'feature', repo: string | null = 'forker/llm-serve') => ({
    head: { sha, ref, repo: repo === null ? null : { full_name: repo } }
  })

  it('the same branch of the same repository at a later commit: moved on', () => {
    expect(pullMovedOn(pull(NOW), run)).toBe(true)
  })

  it("still at the run's commit: not moved on (it is the head)", () => {
    expect(pullMovedOn(pull(RAN), run)).toBe(false)
  })

  it("another branch, another repository, or a deleted head repository: not the run's pull request", () => {
    expect(pullMovedOn(pull(NOW, 'elsewhere'), run)).toBe(false)
    expect(pullMovedOn(pull(NOW, 'feature', 'octo-org/llm-serve'), run)).toBe(false)
    expect(pullMovedOn(pull(NOW, 'feature', null), run)).toBe(false)
  })

  it('an event without the branch or the repository: nothing can be told, not moved on', () => {
    expect(pullMovedOn(pull(NOW), { id: 41, headSha: RAN, headRepo: 'forker/llm-serve' })).toBe(
      false
    )
    expect(pullMovedOn(pull(NOW), { id: 41, headSha: RAN, headBranch: 'feature' })).toBe(false)
  })
})
