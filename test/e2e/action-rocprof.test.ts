/**
 * The bundled action with `profiler: rocprofv3`. rocprofv3 (ROCm's profiler) cannot be installed
 * here, so these tests put a STAND-IN `rocprofv3` on PATH: a shell script that answers
 * `--version` as rocprofv3 does (VERSION_ANSWER), checks the arguments the action passes
 * (`--kernel-trace --stats --output-format csv -d <dir> -- bash -c <command>`), runs the command,
 * and writes real rocprofv3 CSV files of the corpus (test/fixtures/rocprof/, see its README)
 * where rocprofv3 writes them, `<dir>/<host>/<pid>_kernel_trace.csv` and `_kernel_stats.csv`. The real CLI was not run: what it writes is taken from its
 * documentation and the corpus. Expected values are read off the CSV files by hand.
 */
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
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

const TRACE = path.join(FIXTURES, 'rocprof', 'rocprofv3_kernel_trace_rocm-6.2.csv')
const STATS = path.join(FIXTURES, 'rocprof', 'rocprofv3_kernel_stats_scientific-notation.csv')
const NORM = 'NormKernel1(int, double, double, double const*, double*)'
const FILL = '__amd_rocclr_fillBufferAligned'

/**
 * `rocprofv3 --version` as rocprofv3.py answers it (`print(f"    {key:>16}: {itr}")` per
 * entry, exit 0), with the values of its documentation's example (ROCm/rocm-systems,
 * projects/rocprofiler-sdk/source/docs/how-to/using-rocprofv3.rst; docs/rocprof.md). With
 * ROCPROF_STANDIN_VERSION=fail it answers as an early rocprofv3 without the option (argparse's
 * error, exit code 2); with =hostile, a workflow command and a 1 MB line.
 */
const VERSION_ANSWER = `             version: 1.0.0
        git_revision: a1b2c3d4e5f6789012345678901234567890abcd
        library_arch: x86_64-linux-gnu
         system_name: Linux
    system_processor: x86_64
      system_version: 6.8.0-57-generic
         compiler_id: GNU
    compiler_version: 11.4.0
        rocm_version: 6.2.0`

const STAND_IN = `#!/usr/bin/env bash
# A stand-in for rocprofv3 (see the test's header): not the real profiler.
set -u
printf '%s\\n' "$*" >> "$ROCPROF_STANDIN_LOG"
if [ "$*" = "--version" ]; then
  case "\${ROCPROF_STANDIN_VERSION:-}" in
    fail)
      echo 'usage: rocprofv3 [options] -- <application> [application options]' >&2
      echo 'rocprofv3: error: unrecognized arguments: --version' >&2
      exit 2 ;;
    hostile)
      echo '::error::x'
      head -c 1048576 /dev/zero | tr '\\0' A
      echo
      exit 0 ;;
    *)
      cat <<'ANSWER'
${VERSION_ANSWER}
ANSWER
      exit 0 ;;
  esac
fi
if [ "$#" -lt 10 ] || [ "$1 $2 $3 $4 $5" != "--kernel-trace --stats --output-format csv -d" ] || [ "$7" != "--" ]; then
  echo "rocprofv3 stand-in: unexpected arguments: $*" >&2
  exit 64
fi
dir=$6
shift 7
"$@"
code=$?
mkdir -p "$dir/runner-host"
for f in "$ROCPROF_STANDIN_FILES"/*; do cp "$f" "$dir/runner-host/4242_$(basename "$f")"; done
exit $code
`

let fake: FakeGitHub
let work: string

useFakeGitHub('rocprof', (f, w) => {
  fake = f
  work = w
})

/** A PATH directory with the stand-in, and the files it writes (name → content). */
async function standIn(
  files: Record<string, string>
): Promise<{ env: BenchEnv; vars: Record<string, string> }> {
  const root = await mkdtemp(path.join(work, 'standin-'))
  const bin = path.join(root, 'bin')
  const out = path.join(root, 'files')
  await mkdir(bin)
  await mkdir(out)
  await writeFile(path.join(bin, 'rocprofv3'), STAND_IN)
  await chmod(path.join(bin, 'rocprofv3'), 0o755)
  for (const [name, content] of Object.entries(files))
    await writeFile(path.join(out, name), content)
  return {
    env: { smiDir: bin },
    vars: { ROCPROF_STANDIN_FILES: out, ROCPROF_STANDIN_LOG: path.join(root, 'calls.log') }
  }
}

/** The bundled action on a push event in `cwd`, with these inputs and environment variables. */
function onPush(
  benchEnv: BenchEnv,
  cwd: string,
  inputs: Record<string, string>,
  env?: Record<string, string>
): ReturnType<typeof bench> {
  return bench(benchEnv, { fake, event: pushEvent(fake), cwd, inputs, ...(env ? { env } : {}) })
}

describe('profiler: rocprofv3 (with a stand-in rocprofv3 on PATH)', () => {
  test('runs the command under rocprofv3, reads the kernel trace it wrote; a slower kernel fails the PR', async () => {
    const trace = await readFile(TRACE, 'utf8')
    const stats = await readFile(STATS, 'utf8')
    const s = await standIn({ 'kernel_trace.csv': trace, 'kernel_stats.csv': stats })
    const workspace = await mkdtemp(path.join(work, 'rocprof-'))
    const command = 'echo ran >> runs.txt'
    const inputs = { profiler: 'rocprofv3', command, 'warmup-runs': '1' }
    const push = await onPush(s.env, workspace, inputs, s.vars)
    expectExit(push, 0)
    expect(push.outputs.verdict).toBe('no-baseline')
    // The warm-up ran plainly, the profiled run under rocprofv3, with the flags the docs give.
    expect(await readFile(path.join(workspace, 'runs.txt'), 'utf8')).toBe('ran\nran\n')
    const reportDir = push.outputs['report-dir'] ?? ''
    const calls = (await readFile(s.vars.ROCPROF_STANDIN_LOG!, 'utf8')).trim().split('\n')
    // Its version asked once, before the profiled run.
    expect(calls).toEqual([
      '--version',
      `--kernel-trace --stats --output-format csv -d ${path.join(reportDir, 'rocprofv3', 'run-1')} -- bash -c ${command}`
    ])
    expect(push.stdout).toContain(
      'rocprofv3 1.0.0 (rocprofiler-sdk; ROCm 6.2.0), from rocprofv3 --version'
    )

    // The kernel trace is read: fillBufferAligned 4484384343935074 − 4484384343929154 = 5920 ns,
    // NormKernel1 4484384528106260 − 4484384527705139 = 401121 ns, one dispatch each, agent 8.
    const report = fake.artifactFiles('nsys-bench-report')
    expect(
      Object.keys(report)
        .filter((f) => f.startsWith('rocprofv3/'))
        .sort()
    ).toEqual([
      'rocprofv3/run-1/runner-host/4242_kernel_stats.csv',
      'rocprofv3/run-1/runner-host/4242_kernel_trace.csv'
    ])
    const profile = text(report, 'profiles/run-1.json')
    expect(kernelTotals(profile)).toEqual({ [FILL]: 5920, [NORM]: 401_121 })
    const json = JSON.parse(profile) as {
      meta: {
        profiler: { name: string; version?: string }
        command?: string
        notes: { code: string }[]
      }
      tables: { gpuTimeline?: { devices: { device: number; busyNs: number }[] } }
    }
    // rocprofiler-sdk's version, in the profile's meta as nsys's is.
    expect(json.meta.profiler).toEqual({ name: 'rocprofv3', version: '1.0.0' })
    expect(json.meta.command).toBe(command)
    expect(json.meta.notes.map((n) => n.code)).toContain('rocprof-stats-not-read')
    expect(json.tables.gpuTimeline?.devices).toMatchObject([{ device: 8, busyNs: 5920 + 401_121 }])
    expect(push.summary).toContain('Head ran on: profiler rocprofv3 1.0.0')
    expect(annotations(push, 'warning')).toEqual([])

    // The pull request's NormKernel1 takes 100 µs longer (End_Timestamp + 100000): +24.9 %.
    const slower = trace.replace('4484384528106260', '4484384528206260')
    expect(slower).not.toBe(trace)
    await writeFile(path.join(s.vars.ROCPROF_STANDIN_FILES!, 'kernel_trace.csv'), slower)
    const pr = prEvent(fake)
    const head = await bench(s.env, { fake, event: pr, cwd: workspace, inputs, env: s.vars })
    expectExit(head, 1)
    expect(head.outputs.verdict).toBe('regression')
    const [comment] = fake.comments(pr.number)
    expect(comment?.body.startsWith(MARKER)).toBe(true)
    expect(comment?.body).toContain('NormKernel1')
    expect(comment?.body).toContain('+24.9%')
    // Both sides' rocprofv3, in the comment and in the comparison record; the same major: no note.
    expect(comment?.body).toContain('Head ran on: profiler rocprofv3 1.0.0')
    expect(comment?.body).toContain('Base ran on: profiler rocprofv3 1.0.0')
    const record = JSON.parse(text(fake.artifactFiles('nsys-bench-report'), 'comparison.json')) as {
      evidence: { base: { rocprofv3?: string[] }; head: { rocprofv3?: string[] } }
      notes: { code: string }[]
    }
    expect(record.evidence.base.rocprofv3).toEqual(['1'])
    expect(record.evidence.head.rocprofv3).toEqual(['1'])
    expect(record.notes.map((n) => n.code)).not.toContain('rocprofv3-version-differs')
    // Asked once per action run: the push's and the pull request's, each before its run.
    const all = (await readFile(s.vars.ROCPROF_STANDIN_LOG!, 'utf8')).trim().split('\n')
    expect(all.map((c) => c.split(' ')[0])).toEqual([
      '--version',
      '--kernel-trace',
      '--version',
      '--kernel-trace'
    ])
  }, 120_000)

  test('a rocprofv3 --version that fails, or answers garbage: the run goes on, the version unknown (one warning)', async () => {
    const s = await standIn({ 'kernel_trace.csv': await readFile(TRACE, 'utf8') })
    const workspace = await mkdtemp(path.join(work, 'rocprof-version-'))
    const inputs = { profiler: 'rocprofv3', command: 'true', repetitions: '2' }
    type Meta = { profiler: { name: string; version?: string }; notes: { code: string }[] }
    const meta = (): Meta =>
      (
        JSON.parse(text(fake.artifactFiles('nsys-bench-report'), 'profiles/run-2.json')) as {
          meta: Meta
        }
      ).meta

    // An early rocprofv3 without the option: argparse's error, exit code 2.
    const failing = await onPush(s.env, workspace, inputs, {
      ...s.vars,
      ROCPROF_STANDIN_VERSION: 'fail'
    })
    expectExit(failing, 0)
    expect(meta().profiler).toEqual({ name: 'rocprofv3' })
    expect(meta().notes.map((n) => n.code)).toContain('rocprofv3-version-unknown')
    // Said once, though both runs carry the note.
    expect(annotations(failing, 'warning')).toEqual([
      'rocprofv3\'s version is unknown: "rocprofv3 --version" exited with code 2 ("rocprofv3: error: unrecognized arguments: --version") (a rocprofv3 older than its --version option answers so). The profile is read as usual, but its rocprofv3 version is not recorded, so the comparison cannot warn about a different one.'
    ])
    expect(
      kernelTotals(text(fake.artifactFiles('nsys-bench-report'), 'profiles/run-1.json'))
    ).toEqual({
      [FILL]: 5920,
      [NORM]: 401_121
    })
    expect(failing.summary).toContain('Head ran on: profiler rocprofv3 · runner')

    // A workflow command and a 1 MB line: neither obeyed nor copied; the first line quoted, cut.
    const hostile = await onPush(s.env, workspace, inputs, {
      ...s.vars,
      ROCPROF_STANDIN_VERSION: 'hostile'
    })
    expectExit(hostile, 0)
    expect(annotations(hostile, 'error')).toEqual([])
    expect(annotations(hostile, 'warning')).toEqual([
      expect.stringMatching(
        /^rocprofv3's version is unknown: "rocprofv3 --version" answered in a form nsys-bench does not know: it printed no "version: …" line \(its first line: "::error::x"\)\. The profile is read as usual/
      )
    ])
    expect(hostile.stdout).not.toMatch(/^::error::x/m)
    expect(hostile.stdout).not.toContain('A'.repeat(1000))
    expect(meta().profiler).toEqual({ name: 'rocprofv3' })
    expect(hostile.summary).not.toContain('A'.repeat(1000))
  }, 120_000)

  test('runs the rocprofv3 the input names by its path (not on PATH); a path that is not there fails the step', async () => {
    const s = await standIn({ 'kernel_stats.csv': await readFile(STATS, 'utf8') })
    const workspace = await mkdtemp(path.join(work, 'rocprof-path-'))
    // Off PATH: the stand-in is reached only through the input.
    const executable = path.join(s.env.smiDir!, 'rocprofv3')
    const result = await onPush(
      {},
      workspace,
      { profiler: 'rocprofv3', command: 'true', rocprofv3: executable },
      s.vars
    )
    expectExit(result, 0)
    expect(result.stdout).toContain(`${executable} --kernel-trace --stats --output-format csv -d `)
    expect(await readFile(s.vars.ROCPROF_STANDIN_LOG!, 'utf8')).toContain('--kernel-trace --stats')

    const absent = path.join(workspace, 'no-such-dir', 'rocprofv3')
    const missing = await onPush({}, workspace, {
      profiler: 'rocprofv3',
      command: 'true',
      rocprofv3: absent
    })
    expectExit(missing, 1)
    expect(annotations(missing, 'error')[0]).toContain(
      `"${absent}" was not found: profiler: rocprofv3 runs the command under it`
    )

    // A name that reads as a workflow command is shown in the log (the step's log goes through
    // logLine), never run as one.
    const hostile = await onPush({}, workspace, {
      profiler: 'rocprofv3',
      command: 'true',
      rocprofv3: '::error::injected'
    })
    expectExit(hostile, 1)
    expect(hostile.stdout).toContain('> ::error::injected --kernel-trace')
    expect(annotations(hostile, 'error')).toEqual([
      expect.stringContaining('"::error::injected" was not found on PATH')
    ])
  }, 60_000)

  test('reads the kernel stats where rocprofv3 wrote no kernel trace', async () => {
    const s = await standIn({ 'kernel_stats.csv': await readFile(STATS, 'utf8') })
    const workspace = await mkdtemp(path.join(work, 'rocprof-stats-'))
    const result = await onPush(
      s.env,
      workspace,
      { profiler: 'rocprofv3', command: 'true' },
      s.vars
    )
    expectExit(result, 0)
    // The stats file's rows: Halo 13996851 ns in 1000 calls, copyBuffer 7823550 in 1001,
    // NormKernel2 3754094 in 1001, fillBufferAligned 5920 in 1.
    expect(
      kernelTotals(text(fake.artifactFiles('nsys-bench-report'), 'profiles/run-1.json'))
    ).toEqual({
      'HaloLaplacianKernel(int, int, int, double, double, double const*, double const*, double*)': 13_996_851,
      __amd_rocclr_copyBuffer: 7_823_550,
      'NormKernel2(int, double const*, double*)': 3_754_094,
      [FILL]: 5920
    })
  }, 60_000)

  test('a run that leaves no kernel files, a failing command, and no rocprofv3 on PATH fail the step', async () => {
    const workspace = await mkdtemp(path.join(work, 'rocprof-fail-'))
    const empty = await standIn({ 'agent_info.csv': '"Node_Id"\n0\n' })
    const none = await onPush(
      empty.env,
      workspace,
      { profiler: 'rocprofv3', command: 'true' },
      empty.vars
    )
    expectExit(none, 1)
    expect(annotations(none, 'error')[0]).toMatch(
      /profiled run 1: rocprofv3 wrote no kernel trace or kernel stats \(\*_kernel_trace\.csv, \*_kernel_stats\.csv\); it wrote ".*4242_agent_info\.csv"/
    )

    const failing = await onPush(
      empty.env,
      workspace,
      { profiler: 'rocprofv3', command: 'echo hip error >&2; exit 5' },
      empty.vars
    )
    expectExit(failing, 1)
    expect(annotations(failing, 'error')[0]).toContain(
      'the benchmark (under rocprofv3, whose own failure ends it alike) exited with code 5 in profiled run 1'
    )

    const missing = await onPush({}, workspace, { profiler: 'rocprofv3', command: 'true' })
    expectExit(missing, 1)
    expect(annotations(missing, 'error')[0]).toContain(
      'rocprofv3 was not found on PATH: profiler: rocprofv3 runs the command under it'
    )
  }, 60_000)

  test('conflicting inputs are usage errors', async () => {
    const workspace = await mkdtemp(path.join(work, 'rocprof-usage-'))
    for (const [inputs, message] of [
      [
        { profiler: 'rocprofv3', command: 'true', 'profile-path': 'x.csv' },
        'profiler: rocprofv3 runs `command` under rocprofv3 and reads what it writes, not `profile-path`'
      ],
      [{ profiler: 'rocprofv3' }, 'profiler: rocprofv3 needs `command`'],
      [
        { profiler: 'rocprofv3', command: 'true', 'trace-dir-env': 'X' },
        'trace-dir-env is read only by profiler: torch'
      ],
      [
        { profiler: 'torch', command: 'true', rocprofv3: '/opt/rocm/bin/rocprofv3' },
        'rocprofv3 (the executable) is read only by profiler: rocprofv3, but profiler is torch'
      ]
    ] as const) {
      const result = await onPush({}, workspace, inputs)
      expectExit(result, 1)
      expect(annotations(result, 'error')[0]).toContain(message)
    }
  }, 60_000)
})
