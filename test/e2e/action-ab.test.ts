/**
 * `baseline: ab` end to end: the bundled action in a shallow clone of a git repository the test
 * builds (a base commit on `main`, a pull request's head commit on `feature` whose benchmark is
 * slower), with `origin` a local bare repository. The action fetches the merge base, checks it
 * out beside the workspace, builds the benchmark in each tree with `setup`, and profiles both
 * under the real `nsys profile`, interleaved. The benchmark is a CPU program with NVTX ranges
 * around sleeps; it appends its side and the time to a log, which shows the order of the runs.
 */
import { execFile } from 'node:child_process'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, test } from 'vitest'
import type { FakeGitHub } from './fakes/github.js'
import { NVTX_PROGRAM_SOURCE } from '../support/nsys/prog.js'
import {
  annotations,
  bench,
  expectExit,
  fakeNvidiaSmi,
  FAKE_GPU_UUID,
  logOf,
  H100,
  prEvent,
  setupNsys,
  text,
  type BenchEnv,
  type NsysSetup
} from './support/bench.js'
import { useFakeGitHub } from './support/fake-lifecycle.js'
import { skipOrFail } from '../support/nsys/skip-or-fail.js'

const exec = promisify(execFile)

let fake: FakeGitHub
let work: string
let nsys: NsysSetup
let smiDir: string
let cc: string | undefined

useFakeGitHub('ab', (f, w) => {
  fake = f
  work = w
})

beforeAll(async () => {
  nsys = await setupNsys('2023.4', { profile: true })
  smiDir = await fakeNvidiaSmi(path.join(work, 'smi'), H100)
  cc = await exec(process.env.CC ?? 'gcc', ['--version']).then(
    () => process.env.CC ?? 'gcc',
    () => undefined
  )
}, 300_000)

function need(ctx: { skip: (note?: string) => never }): BenchEnv {
  if (nsys.skip || !nsys.install) return skipOrFail(ctx, nsys.skip)
  if (!cc) return skipOrFail(ctx, 'no C compiler to build the benchmark in each tree')
  return { nsys: nsys.install, smiDir, profiles: true }
}

/** The NVTX v3 headers the benchmark includes (vendored beside the test program). */
const NVTX_INCLUDE = path.dirname(NVTX_PROGRAM_SOURCE)

/** The benchmark of one commit: five NVTX `step` ranges around usleep(stepUs). */
function benchSource(side: string, stepUs: number): string {
  return `#include <nvtx3/nvToolsExt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  const char *log = getenv("AB_ORDER_LOG");
  if (log) {
    struct timespec t;
    FILE *f = fopen(log, "a");
    clock_gettime(CLOCK_REALTIME, &t);
    fprintf(f, "${side} %lld.%09ld\\n", (long long)t.tv_sec, t.tv_nsec);
    fclose(f);
  }
  for (int i = 0; i < 5; i++) {
    nvtxRangePushA("step");
    usleep(${stepUs});
    nvtxRangePop();
  }
  return 0;
}
`
}

const BUILD = `#!/bin/sh
set -e
\${CC:-gcc} -O1 -I"$NVTX_INCLUDE" bench.c -o bench -ldl
echo built
`
/** NVTX ranges gated; a wide threshold: sleeps on a loaded machine stretch, a 3× change stays. */
const RULES = `${JSON.stringify({ tables: { nvtx: { gate: true, threshold: 50 } } })}\n`

const WIDE_RULES = `${JSON.stringify({ tables: { nvtx: { gate: true, threshold: 1000 } } })}\n`

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0'
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd, env: GIT_ENV })
  return stdout.trim()
}

interface Repo {
  /** a clone of `feature`, one commit deep: what actions/checkout leaves by default */
  workspace: string
  baseSha: string
  headSha: string
}

/**
 * origin (bare) with `main` (one commit older than the base, then the base) and `feature` (the
 * base, then the head): the merge base of the two is the base commit. The workspace is a shallow
 * clone of `feature`, so the base is not in it and must be fetched.
 */
async function makeRepo(
  name: string,
  base: Record<string, string>,
  head: Record<string, string>
): Promise<Repo> {
  const dir = path.join(work, name)
  const origin = path.join(dir, 'origin.git')
  const author = path.join(dir, 'author')
  await mkdir(author, { recursive: true })
  await git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', origin)
  await git(author, 'init', '--quiet', '--initial-branch=main')
  const commit = async (files: Record<string, string>, message: string): Promise<string> => {
    for (const [file, content] of Object.entries(files))
      await writeFile(path.join(author, file), content, { mode: 0o755 })
    await git(author, 'add', '-A')
    await git(author, 'commit', '--quiet', '-m', message)
    return git(author, 'rev-parse', 'HEAD')
  }
  await commit({ 'README.md': 'a benchmark\n' }, 'first')
  const baseSha = await commit(base, 'base')
  await git(author, 'checkout', '--quiet', '-b', 'feature')
  const headSha = await commit(head, 'head')
  await git(author, 'push', '--quiet', origin, 'main', 'feature')
  const workspace = path.join(dir, 'workspace')
  await git(dir, 'clone', '--quiet', '--depth=1', '--branch=feature', `file://${origin}`, workspace)
  return { workspace, baseSha, headSha }
}

/** Worktrees the action left beside the workspace (none may stay). */
async function leftBeside(workspace: string): Promise<string[]> {
  const entries = await readdir(path.dirname(workspace))
  return entries.filter((e) => e.startsWith(`${path.basename(workspace)}.nsys-bench-base-`))
}

describe('baseline: ab', () => {
  test('profiles base and head interleaved on this runner and finds the regression', async (ctx) => {
    const env = need(ctx)
    const repo = await makeRepo(
      'slower',
      { 'bench.c': benchSource('base', 1000), 'build.sh': BUILD, 'rules.json': RULES },
      { 'bench.c': benchSource('head', 8000) }
    )
    const order = path.join(work, 'slower-order.log')
    const pr = prEvent(fake, { headSha: repo.headSha })
    const r = await bench(env, {
      fake,
      event: pr,
      cwd: repo.workspace,
      timeoutMs: 240_000,
      env: { AB_ORDER_LOG: order, NVTX_INCLUDE },
      inputs: {
        baseline: 'ab',
        setup: './build.sh',
        command: './bench',
        trace: 'nvtx,osrt',
        repetitions: '3',
        'max-repetitions': '6',
        'warmup-runs': '1',
        'rules-file': 'rules.json'
      }
    })
    expectExit(r, 1)
    // Failing for the regression, not for an error (with the action's log if it did).
    expect(r.outputs.verdict, logOf(r)).toBe('regression')

    // Adaptive repetitions (alpha 0.05, 3 to 6 pairs): the first look, at 3 pairs, tests at
    // 0.05·3/6 = 0.025, which Mann–Whitney cannot reach with 3 runs a side (its smallest p is
    // 0.1): Student's t on the runs' logarithms decides, and a head several times slower in
    // every run is significant at once: it stops there, three pairs before the cap.
    // The order of the runs, as the benchmark itself logged it: one warm-up a side, then three
    // profiled pairs, base first in each.
    const lines = (await readFile(order, 'utf8')).trim().split('\n')
    expect(lines.map((l) => l.split(' ')[0])).toEqual(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? 'base' : 'head'))
    )
    const times = lines.map((l) => Number(l.split(' ')[1]))
    expect([...times].sort((a, b) => a - b)).toEqual(times)

    // The verdict, from both sides measured here; no artifact was looked for.
    expect(r.outputs).toMatchObject({ verdict: 'regression', 'baseline-sha': repo.baseSha })
    expect(r.outputs['baseline-run-id']).toBeUndefined()
    expect(fake.requests.filter((q) => q.operation?.startsWith('actions/'))).toEqual([])
    expect(annotations(r, 'error')).toEqual([
      expect.stringMatching(/^GPU performance regression: .*NVTX ranges/)
    ])
    const [comment] = fake.comments(pr.number)
    const body = comment?.body ?? ''
    expect(body).toContain('### ❌ nsys-bench: GPU performance regression')
    expect(body).toContain(
      `Baseline: A/B on this runner, 3 pairs, interleaved: base [\`${repo.baseSha.slice(0, 7)}\`](https://github.com/octo-org/llm-serve/commit/${repo.baseSha}), the merge base of HEAD and \`main\`.`
    )
    expect(body).toMatch(
      /Runs: 3 pairs of at most 6 \(adaptive: the first 3 were enough; stopped because \d+ gated changes? (is|are) significant at α = 0\.025\)\./
    )
    expect(body).toMatch(/Base: 3 runs · head: 3 runs/)
    expect(body).toContain("Student's t on the runs' logarithms at α = 0.025")
    expect(body).toMatch(/\| `step` \|/)

    // Each side's profiles, with its own commit; the runs' end times alternate B H B H.
    const report = fake.artifactFiles('nsys-bench-report', { runId: r.runId })
    const meta = (file: string): { gitSha: string; createdAt: string } =>
      (JSON.parse(text(report, file)) as { meta: { gitSha: string; createdAt: string } }).meta
    const ended: string[] = []
    for (let i = 1; i <= 3; i++) {
      const base = meta(`base-profiles/run-${i}.json`)
      const head = meta(`profiles/run-${i}.json`)
      expect(base.gitSha).toBe(repo.baseSha)
      expect(head.gitSha).toBe(repo.headSha)
      ended.push(base.createdAt, head.createdAt)
    }
    expect([...ended].sort()).toEqual(ended)
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['nsys/base-run-1.nsys-rep', 'nsys/head-run-3.nsys-rep'])
    )
    expect(Object.keys(report)).not.toContain('nsys/head-run-4.nsys-rep')
    // The head's step ranges took several times the base's.
    const stepTotal = (file: string): number => {
      const p = JSON.parse(text(report, file)) as {
        tables: { nvtx: { rows: Record<string, { name: string; totalNs: number }> } }
      }
      return Object.values(p.tables.nvtx.rows).find((row) => row.name === 'step')?.totalNs ?? 0
    }
    expect(stepTotal('profiles/run-1.json')).toBeGreaterThan(
      1.5 * stepTotal('base-profiles/run-1.json')
    )

    // The results artifact hands the base it measured to mode: comment / aggregate, with the
    // level of the last look.
    const results = fake.artifactFiles('nsys-bench-results', { runId: r.runId })
    expect(Object.keys(results).sort()).toEqual([
      ...[1, 2, 3].map((i) => `base/run-${i}.json`),
      ...[1, 2, 3].map((i) => `head/run-${i}.json`),
      'results.json'
    ])
    expect(JSON.parse(text(results, 'results.json'))).toMatchObject({
      schemaVersion: 3,
      ab: { baseSha: repo.baseSha, ref: 'main' },
      adaptive: { first: 3, max: 6, alpha: expect.closeTo(0.025, 12) }
    })
    expect(meta('base-profiles/run-1.json').gitSha).toBe(
      (JSON.parse(text(results, 'base/run-1.json')) as { meta: { gitSha: string } }).meta.gitSha
    )

    // The base worktree is gone, and git no longer knows it.
    expect(await leftBeside(repo.workspace)).toEqual([])
    expect(await git(repo.workspace, 'worktree', 'list', '--porcelain')).not.toContain(
      'nsys-bench-base'
    )
  }, 300_000)

  test('adaptive repetitions stop at the cap when a change is noise, and say so', async (ctx) => {
    const env = need(ctx)
    // The head is noisy: every third run (a counter in its tree) is fast, the others slow, so its
    // median is far above the base's but its runs fall on both sides of the base's.
    const noisy = benchSource('head', 8000)
      .replace(
        'int main(void) {',
        'int main(void) {\n  int c = 0;\n  FILE *k = fopen("count", "r");\n  if (k) { if (fscanf(k, "%d", &c) != 1) c = 0; fclose(k); }\n  k = fopen("count", "w");\n  fprintf(k, "%d\\n", c + 1);\n  fclose(k);'
      )
      .replace('usleep(8000)', 'usleep(c % 3 == 2 ? 200 : 8000)')
    const repo = await makeRepo(
      'noisy',
      { 'bench.c': benchSource('base', 4000), 'build.sh': BUILD, 'rules.json': RULES },
      { 'bench.c': noisy }
    )
    const order = path.join(work, 'noisy-order.log')
    const pr = prEvent(fake, { headSha: repo.headSha })
    const r = await bench(env, {
      fake,
      event: pr,
      cwd: repo.workspace,
      timeoutMs: 240_000,
      env: { AB_ORDER_LOG: order, NVTX_INCLUDE },
      inputs: {
        baseline: 'ab',
        setup: './build.sh',
        command: './bench',
        trace: 'nvtx,osrt',
        repetitions: '3',
        'max-repetitions': '5',
        'rules-file': 'rules.json'
      }
    })
    expectExit(r, 0)
    expect(r.outputs.verdict).toBe('pass')
    // Five pairs: the cap.
    expect((await readFile(order, 'utf8')).trim().split('\n')).toHaveLength(10)
    const body = fake.comments(pr.number)[0]?.body ?? ''
    expect(body).toMatch(
      /Runs: 5 pairs of at most 5 \(adaptive: 3, then 2 more, one at a time; stopped because the cap \(max-repetitions: 5\) was reached with [12] gated changes? beyond the limits not significant yet at α = 0\.01\)\./
    )
    expect(body).toContain('Mann–Whitney U test at α = 0.01')
  }, 300_000)

  test('another process on the GPU as a run starts makes the verdict inconclusive (gpu-shared)', async (ctx) => {
    const env = need(ctx)
    const repo = await makeRepo(
      'shared',
      { 'bench.c': benchSource('base', 1000), 'build.sh': BUILD, 'rules.json': RULES },
      { 'bench.c': benchSource('head', 1000) }
    )
    // What the fake nvidia-smi lists as compute processes (support/bench.ts).
    const apps = path.join(work, 'shared-apps.csv')
    await writeFile(apps, `${FAKE_GPU_UUID}, 4242, 30512, /usr/bin/python3 serve.py\n`)
    const pr = prEvent(fake, { headSha: repo.headSha })
    const r = await bench(env, {
      fake,
      event: pr,
      cwd: repo.workspace,
      env: { FAKE_SMI_APPS: apps, NVTX_INCLUDE },
      inputs: {
        baseline: 'ab',
        setup: './build.sh',
        command: './bench',
        trace: 'nvtx,osrt',
        'rules-file': 'rules.json'
      }
    })
    expectExit(r, 1)
    expect(r.outputs.verdict).toBe('inconclusive')
    expect(JSON.parse(r.outputs.reasons ?? '[]')).toEqual([
      expect.objectContaining({
        code: 'gpu-shared',
        message: expect.stringContaining(
          'base run 1: /usr/bin/python3 serve.py (pid 4242); head run 1: /usr/bin/python3 serve.py (pid 4242)'
        )
      })
    ])
    expect(fake.comments(pr.number)[0]?.body).toContain('Another process was on the GPU')
    const report = fake.artifactFiles('nsys-bench-report', { runId: r.runId })
    const head = JSON.parse(text(report, 'profiles/run-1.json')) as {
      meta: { gpuProcesses: unknown; gpus: { uuid: string; smClockMHz: number }[] }
    }
    expect(head.meta.gpuProcesses).toEqual([
      { pid: 4242, name: '/usr/bin/python3 serve.py', gpuUuid: FAKE_GPU_UUID, usedMemoryMiB: 30512 }
    ])
    expect(head.meta.gpus).toEqual([
      expect.objectContaining({ uuid: FAKE_GPU_UUID, smClockMHz: 1980 })
    ])
  }, 120_000)

  test('without nvidia-smi the runs are compared, with a note that the GPU was not recorded', async (ctx) => {
    const env = need(ctx)
    const repo = await makeRepo(
      'no-smi',
      // The same benchmark on both sides, one run each: a threshold no noise reaches.
      { 'bench.c': benchSource('base', 1000), 'build.sh': BUILD, 'rules.json': WIDE_RULES },
      { 'bench.c': benchSource('head', 1000) }
    )
    const pr = prEvent(fake, { headSha: repo.headSha })
    const r = await bench(
      { ...(env.nsys ? { nsys: env.nsys } : {}) },
      {
        fake,
        event: pr,
        cwd: repo.workspace,
        env: { NVTX_INCLUDE },
        inputs: {
          baseline: 'ab',
          setup: './build.sh',
          command: './bench',
          trace: 'nvtx,osrt',
          'rules-file': 'rules.json'
        }
      }
    )
    expectExit(r, 0)
    expect(r.outputs.verdict).toBe('pass')
    const body = fake.comments(pr.number)[0]?.body ?? ''
    expect(body).toContain('head: nvidia-smi was not found: the GPU model, driver, clocks')
    expect(annotations(r, 'warning')).toEqual([])
  }, 120_000)

  test.each([
    [
      'base',
      /^nsys-bench: setup failed in the base tree \(([0-9a-f]{7}), the merge base of HEAD and main\) \(exit code 7\)\. Last output:\n.*cannot build the base/
    ],
    [
      'head',
      /^nsys-bench: setup failed in the head tree \(the workspace\) \(exit code 7\)\. Last output:\n.*cannot build the head/
    ]
  ] as const)(
    'a setup that fails in the %s tree fails the step, saying which',
    async (side, message) => {
      const ok = `#!/bin/sh\necho built\n`
      const broken = `#!/bin/sh\necho "cannot build the ${side}" >&2\nexit 7\n`
      const repo = await makeRepo(
        `setup-${side}`,
        { 'build.sh': side === 'base' ? broken : ok, 'bench.c': 'int main(void){return 0;}\n' },
        { 'build.sh': side === 'head' ? broken : ok }
      )
      const r = await bench(
        { smiDir },
        {
          fake,
          event: prEvent(fake, { headSha: repo.headSha }),
          cwd: repo.workspace,
          inputs: {
            baseline: 'ab',
            setup: './build.sh',
            command: './bench',
            nsys: '/nonexistent/nsys'
          }
        }
      )
      expectExit(r, 1)
      const errors = annotations(r, 'error')
      expect(errors).toEqual([expect.stringMatching(message)])
      if (side === 'base') expect(message.exec(errors[0] ?? '')?.[1]).toBe(repo.baseSha.slice(0, 7))
      expect(r.outputs.verdict).toBe('error')
      expect(await leftBeside(repo.workspace)).toEqual([])
    },
    60_000
  )
})
