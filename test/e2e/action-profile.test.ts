/**
 * The bundled action running a benchmark under the real `nsys profile` (2023.4, with the host
 * package so that it writes `.nsys-rep` files): a CPU program with NVTX ranges and OS runtime
 * calls (there is no GPU), a benchmark that fails, one that runs too long, and nsys missing.
 */
import { randomInt } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from './fakes/github.js'
import { buildNvtxProgram, NVTX_PROGRAM_EXPECTED } from '../support/nsys/prog.js'
import {
  annotations,
  bench,
  expectExit,
  fakeNvidiaSmi,
  H100,
  prEvent,
  pushEvent,
  setupNsys,
  text,
  type BenchEnv,
  type NsysSetup
} from './support/bench.js'
import { skipOrFail } from '../support/nsys/skip-or-fail.js'

let fake: FakeGitHub
let work: string
let nsys: NsysSetup
let smiDir: string
let program: string | { skipped: string }

beforeAll(async () => {
  ;[fake, work, nsys] = await Promise.all([
    startFakeGitHub(),
    mkdtemp(path.join(tmpdir(), 'nsys-bench-e2e-profile-')),
    setupNsys('2023.4', { profile: true })
  ])
  ;[smiDir, program] = await Promise.all([
    fakeNvidiaSmi(path.join(work, 'smi'), H100),
    buildNvtxProgram(path.join(work, 'bin'))
  ])
  if (typeof program !== 'string') console.warn(`[e2e] ${program.skipped}`)
})

afterAll(async () => {
  await fake?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

beforeEach(() => fake.reset())

afterEach(() => {
  expect(fake.violations).toEqual([])
})

/** The nsys that can profile and the NVTX program, or a skip with the reason. */
function need(ctx: { skip: (note?: string) => never }): { env: BenchEnv; prog: string } {
  if (nsys.skip || !nsys.install) return skipOrFail(ctx, nsys.skip)
  if (typeof program !== 'string') return skipOrFail(ctx, program.skipped)
  return { env: { nsys: nsys.install, smiDir, profiles: true }, prog: program }
}

const PROFILE_INPUTS = { trace: 'nvtx,osrt' }

interface ProfileJson {
  meta: { command?: string; profiler: { version?: string }; sources: string[] }
  tables: {
    nvtx?: { rows: Record<string, { name: string; instances: number; totalNs: number }> }
    osrt?: { rows: Record<string, { name: string; instances: number }> }
  }
}

/** `sleep 60.<digits>`: a command line no other process has, to look for afterwards. */
function uniqueSleep(): string {
  return `sleep 60.${randomInt(1, 1e9)}`
}

/** Processes whose command line contains `needle` (none may outlive a stopped benchmark). */
async function processesRunning(needle: string): Promise<string[]> {
  const found: string[] = []
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    const command = cmdline.split('\0').join(' ')
    if (command.includes(needle)) found.push(`${pid}: ${command}`)
  }
  return found
}

function nvtxInstances(json: string): Record<string, number> {
  const p = JSON.parse(json) as ProfileJson
  return Object.fromEntries(
    Object.values(p.tables.nvtx?.rows ?? {}).map((r) => [r.name, r.instances])
  )
}

describe('a benchmark profiled by the real nsys', () => {
  test('push then pull request, two repetitions each: NVTX ranges end to end', async (ctx) => {
    const { env, prog } = need(ctx)
    // A CPU benchmark: nothing runs on a GPU, so its NVTX ranges are what the rules gate. They
    // time real sleeps of a few milliseconds, which a loaded 2-core machine can stretch several
    // times over: the threshold is wide, as what is tested here is the way, not the timing.
    const workspace = await mkdtemp(path.join(work, 'nvtx-'))
    // A pattern that matches no range: RE2, which the bundle loads on first use
    // (src/lazy-node.ts), runs in the action too. (test/dist/dist.test.ts runs the CLI from a
    // copy of dist/ without node_modules, where only dist/re2.cjs can provide it.)
    await writeFile(
      path.join(workspace, 'rules.json'),
      JSON.stringify({
        ignore: ['^no range is called this$'],
        tables: { nvtx: { gate: true, threshold: 1000 } }
      })
    )
    const inputs = {
      ...PROFILE_INPUTS,
      command: prog,
      repetitions: '2',
      'rules-file': 'rules.json'
    }
    const push = await bench(env, { fake, event: pushEvent(fake), cwd: workspace, inputs })
    expectExit(push, 0)
    expect(push.outputs.verdict).toBe('no-baseline')
    expect(push.summary).toContain('- NVTX ranges: 4 items')

    const report = fake.artifactFiles('nsys-bench-report', { runId: push.runId })
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining([
        'nsys/run-1.nsys-rep',
        'nsys/run-2.nsys-rep',
        'stats/run-1_nvtx_sum.csv',
        'stats/run-2_nvtx_sum.csv',
        'stats/run-1_osrt_sum.csv',
        'profiles/run-1.json',
        'profiles/run-2.json'
      ])
    )
    expect(text(report, 'stats/run-1_nvtx_sum.csv')).toContain('forward')
    const baseline = fake.artifactFiles('nsys-bench-baseline', { runId: push.runId })
    expect(Object.keys(baseline).sort()).toEqual(['history.json.gz', 'run-1.json', 'run-2.json'])
    const expected = Object.fromEntries(
      NVTX_PROGRAM_EXPECTED.nvtx.map((r) => [r.range, r.instances])
    )
    for (const run of ['run-1.json', 'run-2.json']) {
      const json = text(baseline, run)
      expect(nvtxInstances(json)).toEqual(expected)
      const p = JSON.parse(json) as ProfileJson
      expect(p.meta.command).toBe(prog)
      expect(p.meta.profiler.version).toMatch(/^2023\.4\./)
      const osrt = Object.fromEntries(
        Object.values(p.tables.osrt?.rows ?? {}).map((r) => [r.name, r.instances])
      )
      expect(osrt).toMatchObject({ usleep: 5, nanosleep: 1 })
    }

    const pr = await bench(env, { fake, event: prEvent(fake), cwd: workspace, inputs })
    expectExit(pr, 0)
    expect(pr.outputs).toMatchObject({
      verdict: 'pass',
      'baseline-run-id': String(push.runId),
      'comment-status': 'created'
    })
    // The summary lists the NVTX ranges (gated here by the rules file) with their instances.
    const nvtx = /<details><summary>NVTX ranges:[^]*?<\/details>/.exec(pr.summary)?.[0] ?? ''
    expect(nvtx).toMatch(/\| `forward` \| [^|]+ \|[^\n]*\| 3 \|/)
    expect(nvtx).toContain('`vllm:execute_model`')
    expect(pr.summary).toMatch(/Base: 2 runs · head: 2 runs/)
    const prReport = fake.artifactFiles('nsys-bench-report', { runId: pr.runId })
    expect(nvtxInstances(text(prReport, 'profiles/run-2.json'))).toEqual(expected)
    const comparison = JSON.parse(text(prReport, 'comparison.json')) as {
      tables: { nvtx: { gated: boolean; items: { name: string; status: string }[] } }
    }
    expect(comparison.tables.nvtx.gated).toBe(true)
    expect(comparison.tables.nvtx.items.map((r) => r.name).sort()).toEqual(
      Object.keys(expected).sort()
    )
  }, 120_000)

  test('a benchmark that exits with code 3 fails the step with its last output; the report is kept', async (ctx) => {
    const { env, prog } = need(ctx)
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: {
        ...PROFILE_INPUTS,
        command: `echo "loading weights"; echo "CUDA error: out of memory" >&2; ${prog} 3`
      }
    })
    expectExit(r, 1)
    const [error, ...more] = annotations(r, 'error')
    expect(more).toEqual([])
    expect(error).toMatch(/^nsys-bench: the benchmark exited with code 3 under nsys profile\./)
    expect(error).toContain('Last output:\nloading weights\nCUDA error: out of memory\n')
    // nsys's progress bar is shown as its last state, not as a screenful of carriage returns.
    expect(error).not.toContain('\r')
    // No verdict: the outputs say so, and no sticky comment keeps an older verdict (none exists).
    expect(r.outputs).toMatchObject({ verdict: 'error', 'comment-status': 'skipped-error' })
    expect(JSON.parse(r.outputs.reasons ?? '[]')).toEqual([
      expect.objectContaining({
        code: 'error',
        message: expect.stringContaining('exited with code 3')
      })
    ])
    const report = fake.artifactFiles('nsys-bench-report', { runId: r.runId })
    expect(Object.keys(report)).toContain('nsys/run-1.nsys-rep')
    expect(fake.comments(7)).toEqual([])
  }, 60_000)

  test("the benchmark (the pull request's code) gets no token and cannot issue workflow commands", async (ctx) => {
    const { env, prog } = need(ctx)
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: {
        ...PROFILE_INPUTS,
        'warmup-runs': '1',
        command: `printf '%s\\n' '::error::pwned' '  ::warning title=x::also'; env | sed 's/^/env: /'; ${prog}`
      }
    })
    expectExit(r, 0)
    // The environment was printed, twice (warm-up and profiled run), without what is the action's.
    expect(r.stdout).toContain('env: PATH=')
    expect(r.stdout).not.toMatch(/env: (INPUT_|ACTIONS_RUNTIME_|ACTIONS_RESULTS_URL)/)
    expect(r.stdout).not.toContain(fake.token)
    expect(r.annotations.map((a) => a.message).join('\n')).not.toMatch(/pwned|also/)
    expect(r.stdout).toContain('> ::error::pwned')
  }, 60_000)

  test('a benchmark that runs past timeout-minutes is stopped, and the step fails quickly', async (ctx) => {
    const { env } = need(ctx)
    const stopped = async () => {
      const sleep = uniqueSleep()
      const r = await bench(env, {
        fake,
        event: prEvent(fake),
        inputs: { ...PROFILE_INPUTS, command: `echo started; ${sleep}`, 'timeout-minutes': '0.05' }
      })
      return { r, sleep }
    }
    let { r, sleep } = await stopped()
    // nsys's agent can lose its connection while other tests start or end nsys sessions: nsys then
    // hangs before it launches the benchmark, and the step says that (units.test.ts holds that
    // message). Not what this test is about: once more.
    if (annotations(r, 'error').some((a) => a.includes('had not launched the benchmark')))
      ({ r, sleep } = await stopped())
    expectExit(r, 1)
    expect(r.durationMs).toBeLessThan(30_000)
    expect(await processesRunning(sleep)).toEqual([])
    expect(annotations(r, 'error')).toEqual([
      expect.stringMatching(
        /^nsys-bench: the benchmark ran longer than timeout-minutes \(0\.05 min\) and was stopped\. Last output:\nstarted\n/
      )
    ])
  }, 120_000)

  test('a warm-up run past timeout-minutes is stopped too', async (ctx) => {
    const { env } = need(ctx)
    const sleep = uniqueSleep()
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: {
        ...PROFILE_INPUTS,
        command: sleep,
        'warmup-runs': '1',
        'timeout-minutes': '0.05'
      }
    })
    expectExit(r, 1)
    expect(r.durationMs).toBeLessThan(30_000)
    expect(annotations(r, 'error')).toEqual([
      'nsys-bench: warm-up run 1 ran longer than timeout-minutes and was stopped'
    ])
    expect(await processesRunning(sleep)).toEqual([])
  }, 60_000)
})

test('nsys missing: the step fails with the install hint', async () => {
  const r = await bench(
    { smiDir },
    {
      fake,
      event: prEvent(fake),
      inputs: { command: 'true', nsys: '/nonexistent/nsys' }
    }
  )
  expectExit(r, 1)
  expect(annotations(r, 'error')).toEqual([
    expect.stringMatching(
      /^nsys-bench: nsys was not found \("\/nonexistent\/nsys"\)\. Install Nsight Systems on the runner .*`nsys` input\.$/
    )
  ])
  expect(r.outputs.verdict).toBe('error')
})
