/**
 * `baseline: ab`'s failure messages: which tree a failed run was in, and what to do. abRuns()
 * runs for real — a git repository made here (main: the base commit, feature: HEAD, one commit
 * ahead), the worktree git checks out beside it, the rules, the comparison of each adaptive look
 * — behind a stand-in for the one process runner it is given: git runs for real through it, and
 * nsys, bash and nvidia-smi are answered as the real ones would be (nsys 2023.4, no nvidia-smi on
 * the runner). Like the real spawn(), it rejects with ENOENT when the directory to start in does
 * not exist.
 */
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { abRuns } from '../../src/action/ab.js'
import type { RunContext } from '../../src/action/context.js'
import { readInputs } from '../../src/action/inputs.js'
import {
  runProcess as realRunProcess,
  type ProcessOptions,
  type ProcessResult,
  type RunProcess
} from '../../src/action/process.js'
import { compareProfiles } from '../../src/compare/compare.js'
import { BenchmarkError } from '../../src/errors.js'
import { readRulesFile } from '../../src/load/rules-file.js'
import type { Core, Deps } from '../../src/main.js'

let dir: string
let workspace: string
let baseSha: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsys-bench-ab-messages-'))
  workspace = join(dir, 'ws')
  await mkdir(workspace)
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function git(...args: string[]): string {
  const r = spawnSync(
    'git',
    [
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      '-c',
      'init.defaultBranch=main',
      ...args
    ],
    { cwd: workspace, encoding: 'utf8' }
  )
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

/** main: `base` files; feature (HEAD): the same plus `head` files. */
async function repository(base: Record<string, string>, head: Record<string, string>) {
  const write = async (files: Record<string, string>): Promise<void> => {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(workspace, path, '..'), { recursive: true })
      await writeFile(join(workspace, path), text)
    }
  }
  git('init', '-q')
  await write({ 'README.md': 'x\n', ...base })
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
  baseSha = git('rev-parse', 'HEAD')
  git('checkout', '-q', '-b', 'feature')
  await write(head)
  git('add', '-A')
  git('commit', '-q', '--allow-empty', '-m', 'head')
}

type Outcome = 'ok' | 'fail' | 'timeout'
interface Call {
  command: string
  args: readonly string[]
  side: 'base' | 'head' | undefined
}

/** A kernel table `nsys stats` writes: one kernel, `ns` in total over 10 launches. */
function kernels(ns: number): string {
  return `Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n100.0,${ns},10,${ns / 10},${ns / 10},${ns / 10},${ns / 10},0.0,gemmKernel\n`
}

/**
 * The process runner: git for real; `nsys profile` runs the benchmark of `outcome(side, n)` (its
 * n-th profiled run on that side); `nsys stats` writes the reports, the head's kernel twice the
 * base's (a change beyond the limits, which one run a side cannot confirm).
 */
function processes(outcome: (side: 'base' | 'head', n: number) => Outcome) {
  const calls: Call[] = []
  const profiled = { base: 0, head: 0 }
  const sideOf = (cwd: string | undefined): 'base' | 'head' | undefined =>
    cwd === undefined
      ? undefined
      : cwd.startsWith(`${workspace}.nsys-bench-base-`)
        ? 'base'
        : 'head'
  const result = (code: number | null, tail: string[], timedOut = false): ProcessResult => ({
    code,
    signal: code === null ? 'SIGTERM' : null,
    timedOut,
    stdout: tail.join('\n'),
    stderr: '',
    tail
  })
  const run: RunProcess = async (command, args, options: ProcessOptions = {}) => {
    if (command === 'git') return realRunProcess(command, args, options)
    const side = sideOf(options.cwd)
    calls.push({ command, args, side })
    // As spawn() does: a missing directory to start in is ENOENT, named after the program.
    if (options.cwd !== undefined && !(await stat(options.cwd).catch(() => undefined)))
      throw Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' })
    if (command === 'nvidia-smi')
      throw Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' })
    if (command === 'bash') return result(0, [])
    if (command !== 'nsys') throw new Error(`unexpected process ${command}`)
    if (args[0] === '--version') return result(0, ['NVIDIA Nsight Systems version 2023.4.4.54'])
    const output = (flag: string): string => {
      const arg = args.find((a) => a.startsWith(`${flag}=`))
      return arg ? arg.slice(flag.length + 1) : (args[args.indexOf(flag) + 1] ?? '')
    }
    if (args[0] === 'profile') {
      if (!side) throw new Error('nsys profile without a working directory')
      const marker = options.env?.NSYS_BENCH_LAUNCHED
      if (marker) await writeFile(marker, '')
      const what = outcome(side, ++profiled[side])
      if (what === 'fail') return result(2, ['unknown option --num-iters', 'usage: run.sh'])
      if (what === 'timeout') return result(null, ['step 9 of 20'], true)
      await writeFile(`${output('--output')}.nsys-rep`, '')
      return result(0, [])
    }
    if (args[0] === 'stats') {
      const out = output('--output')
      const rep = args.at(-1) ?? ''
      for (const report of output('--report').split(','))
        await writeFile(
          `${out}_${report}.csv`,
          report === 'cuda_gpu_kern_sum'
            ? kernels(rep.includes('head-') ? 2_000_000 : 1_000_000)
            : ''
        )
      return result(0, [])
    }
    throw new Error(`unexpected nsys ${args.join(' ')}`)
  }
  return { run, calls }
}

function core(inputs: Record<string, string>): Core & { infos: string[] } {
  const infos: string[] = []
  return {
    infos,
    getInput: (name) => inputs[name] ?? '',
    info: (m) => infos.push(m),
    debug: () => undefined,
    warning: () => undefined,
    notice: () => undefined,
    setOutput: () => undefined,
    setFailed: () => undefined,
    startGroup: (m) => infos.push(`group: ${m}`),
    endGroup: () => undefined
  }
}

/** abRuns() with these inputs; its error (it must fail), and the processes it started. */
async function failure(
  inputs: Record<string, string>,
  outcome: (side: 'base' | 'head', n: number) => Outcome = () => 'ok'
): Promise<{ error: unknown; calls: Call[] }> {
  const { run, calls } = processes(outcome)
  const c = core({
    command: './run.sh --num-iters 20',
    baseline: 'ab',
    'ab-base-ref': 'main',
    ...inputs
  })
  const deps = {
    core: c,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    runProcess: run,
    octokit: () => {
      throw new Error('no REST API here')
    },
    artifacts: () => {
      throw new Error('no artifacts here')
    },
    writeSummary: () => Promise.resolve()
  } as unknown as Deps
  const context: RunContext = {
    eventName: 'push',
    repo: { owner: 'o', repo: 'r' },
    runId: 1,
    sha: 'f'.repeat(40),
    serverUrl: 'https://github.com',
    workspace,
    temp: dir,
    labels: [],
    pushToDefault: false
  }
  const reportDir = await mkdtemp(join(dir, 'report-'))
  const rules = await readRulesFile(undefined, {})
  const error = await abRuns(deps, readInputs(c), context, reportDir, {
    alpha: rules.alpha,
    compare: (base, head, alpha) => compareProfiles(base, head, { ...rules, alpha })
  }).then(
    () => undefined,
    (e: unknown) => e
  )
  // The base worktree is removed also when a run failed.
  expect((await readdir(dir)).filter((f) => f.includes('.nsys-bench-base-'))).toEqual([])
  return { error, calls }
}

const BENCH = { 'bench/run.sh': '#!/bin/sh\n' }
const BOTH_COMMITS =
  'With baseline: ab, `command` runs on both commits: it has to run on the base (the code before this change) too. Prepare the base tree in `setup`, or compare with a commit it runs on (`ab-base-ref`).'

describe('baseline: ab, a profiled run that fails', () => {
  it('in the base tree: says so, with its commit and the ref, and what to do', async () => {
    await repository(BENCH, { 'bench/run.sh': '#!/bin/sh\necho new\n' })
    const { error, calls } = await failure(
      { 'working-directory': 'bench', repetitions: '3' },
      (side) => (side === 'base' ? 'fail' : 'ok')
    )
    expect(error).toBeInstanceOf(BenchmarkError)
    expect((error as Error).message).toBe(
      `in the base tree (${baseSha.slice(0, 7)}, the merge base of HEAD and main), profiled run 1 of 3: the benchmark exited with code 2 under nsys profile. ${BOTH_COMMITS} Last output:\nunknown option --num-iters\nusage: run.sh`
    )
    // It was the first run: the head had not run.
    expect(calls.filter((c) => c.args[0] === 'profile').map((c) => c.side)).toEqual(['base'])
  })

  it('in the head tree: says so, without the advice for the base', async () => {
    await repository(BENCH, {})
    const { error } = await failure(
      { 'working-directory': 'bench', repetitions: '2' },
      (side, n) => (side === 'head' && n === 2 ? 'fail' : 'ok')
    )
    expect((error as Error).message).toBe(
      'in the head tree (the workspace), profiled run 2 of 2: the benchmark exited with code 2 under nsys profile. Last output:\nunknown option --num-iters\nusage: run.sh'
    )
  })

  it('stopped at timeout-minutes in the base tree: says so, with the tree and what to do', async () => {
    await repository(BENCH, {})
    const { error } = await failure(
      { 'working-directory': 'bench', repetitions: '2', 'timeout-minutes': '3' },
      (side, n) => (side === 'base' && n === 2 ? 'timeout' : 'ok')
    )
    expect(error).toBeInstanceOf(BenchmarkError)
    expect((error as Error).message).toBe(
      `in the base tree (${baseSha.slice(0, 7)}, the merge base of HEAD and main), profiled run 2 of 2: the benchmark ran longer than timeout-minutes (3 min) and was stopped. ${BOTH_COMMITS} Last output:\nstep 9 of 20`
    )
  })

  it("in an adaptive repetitions' pair: says which pair of at most how many", async () => {
    await repository(BENCH, {})
    // One pair (the head's kernel twice the base's, which one run a side cannot confirm), so a
    // second pair is added; its base run fails.
    const { error, calls } = await failure(
      { 'working-directory': 'bench', repetitions: '1', 'max-repetitions': '4' },
      (side, n) => (side === 'base' && n === 2 ? 'fail' : 'ok')
    )
    expect(calls.filter((c) => c.args[0] === 'profile').map((c) => c.side)).toEqual([
      'base',
      'head',
      'base'
    ])
    expect((error as Error).message).toBe(
      `in the base tree (${baseSha.slice(0, 7)}, the merge base of HEAD and main), profiled run 2 of at most 4: the benchmark exited with code 2 under nsys profile. ${BOTH_COMMITS} Last output:\nunknown option --num-iters\nusage: run.sh`
    )
  })
})

describe('baseline: ab, a working-directory one tree lacks', () => {
  const inBase = (): string =>
    `the working directory bench does not exist in the base tree (${baseSha.slice(0, 7)}, the merge base of HEAD and main): the benchmark cannot run there. With baseline: ab, \`command\` runs in \`working-directory\` of both commits, so the base needs it too: compare with a commit that has it (\`ab-base-ref\`), or, on the pull request that adds the benchmark, use another \`baseline\` (\`artifact\`: no baseline yet is a notice, not a failure).`

  it.each([
    ['no setup, no warm-up', {}],
    ['no setup, a warm-up', { 'warmup-runs': '1' }],
    ['a setup', { setup: 'make' }]
  ])('missing in the base tree (%s): says so before anything runs', async (_, more) => {
    // The pull request adds the benchmark: the base commit has no bench/.
    await repository({}, BENCH)
    const { error, calls } = await failure({ 'working-directory': 'bench', ...more })
    expect(error).toBeInstanceOf(BenchmarkError)
    expect((error as Error).message).toBe(inBase())
    // Nothing ran in either tree: no setup, no warm-up, no profiled run (nsys was not looked for).
    expect(calls).toEqual([])
  })

  it('missing in the head tree: says so, before git is run there', async () => {
    await repository({}, {})
    const { error, calls } = await failure({ 'working-directory': 'bench' })
    expect(error).toBeInstanceOf(BenchmarkError)
    expect((error as Error).message).toBe(
      'the working directory bench does not exist in the head tree (the workspace): the benchmark cannot run there. `working-directory` is relative to the workspace (the repository actions/checkout checked out): check the path.'
    )
    expect(calls).toEqual([])
  })
})
