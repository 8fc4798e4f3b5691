/**
 * The bundled action end to end in the larger workflow shapes: `mode: comment` in a `workflow_run`
 * workflow (the two-workflow pattern for fork pull requests), matrix legs with their own comments
 * and artifacts, and the whole push → pull request flow with nsys 2022.4 (the old report names).
 *
 * Heads and baselines come from `.sqlite` exports with GPU kernels, through the real `nsys stats`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from './fakes/github.js'
import {
  A100,
  annotations,
  bench,
  buildSqliteFixtures,
  expectExit,
  fakeNvidiaSmi,
  H100,
  KERNELS,
  kernelProfileJson,
  kernelTotal,
  kernelTotals,
  MARKER,
  prEvent,
  pushEvent,
  seedBaseline,
  setupNsys,
  text,
  type BenchEnv,
  type NsysSetup,
  type SqliteFixtures
} from './support/bench.js'
import { skipOrFail } from '../support/nsys/skip-or-fail.js'
import { workflowRunEvent as sharedWorkflowRunEvent } from '../support/workflow-run-event.js'

let fake: FakeGitHub
let work: string
let fx: SqliteFixtures
let nsys: NsysSetup
let h100Smi: string
let a100Smi: string

beforeAll(async () => {
  ;[fake, work, nsys] = await Promise.all([
    startFakeGitHub(),
    mkdtemp(path.join(tmpdir(), 'nsys-bench-e2e-workflows-')),
    setupNsys('2023.4')
  ])
  ;[fx, h100Smi, a100Smi] = await Promise.all([
    buildSqliteFixtures(work),
    fakeNvidiaSmi(path.join(work, 'smi-h100'), H100),
    fakeNvidiaSmi(path.join(work, 'smi-a100'), A100)
  ])
})

afterAll(async () => {
  await fake?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

beforeEach(() => fake.reset())

afterEach(() => {
  expect(fake.violations).toEqual([])
})

const FLASH = 'flash::flash_fwd_kernel'
const FORK = 'forker/llm-serve'

function env23(ctx: { skip: (note?: string) => never }, smiDir = h100Smi): BenchEnv {
  if (!nsys.install) return skipOrFail(ctx, nsys.skip)
  return { nsys: nsys.install, smiDir }
}

/** A push run of `sqlite` on the default branch; returns its baseline profile JSON. */
async function pushBaseline(env: BenchEnv, sqlite: string, inputs: Record<string, string> = {}) {
  const push = await bench(env, {
    fake,
    event: pushEvent(fake),
    inputs: { 'profile-path': sqlite, ...inputs }
  })
  expectExit(push, 0)
  return push
}

/** The `workflow_run` event of a `mode: comment` workflow, triggered by a finished bench run. */
function workflowRunEvent(runId: number, headSha: string, conclusion = 'failure') {
  return sharedWorkflowRunEvent(runId, { headRepo: FORK, headSha, conclusion })
}

/** The `mode: comment` workflow, triggered by the run `runId` of `headSha`. */
function commentRun(
  runId: number,
  headSha: string,
  conclusion?: Parameters<typeof workflowRunEvent>[2]
): ReturnType<typeof bench> {
  return bench(
    {},
    {
      fake,
      workflowFile: 'bench-comment.yml',
      event: workflowRunEvent(runId, headSha, conclusion),
      inputs: { mode: 'comment' }
    }
  )
}

describe('mode: comment (workflow_run)', () => {
  test('re-renders the results of a fork pull request run and posts the sticky comment', async (ctx) => {
    const env = env23(ctx)
    const push = await pushBaseline(env, fx.base)
    const base = fake.runs().find((r) => r.id === push.runId)!
    const pr = prEvent(fake, { number: 12, headRepo: FORK })
    const run = await bench(env, {
      fake,
      token: FAKE_TOKENS.readOnly,
      event: pr,
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(run, 1)
    expect(run.outputs['comment-status']).toBe('skipped-no-permission')
    const results = fake.artifactFiles('nsys-bench-results', { runId: run.runId })
    // The head's profiles and which baseline run they were compared with: never the baseline's
    // numbers, which the comment workflow takes from the base branch's own artifact.
    expect(Object.keys(results).sort()).toEqual(['head/run-1.json', 'results.json'])
    expect(JSON.parse(text(results, 'results.json'))).toEqual({
      kind: 'nsys-bench/results',
      schemaVersion: 3,
      pullRequest: 12,
      headSha: pr.headSha,
      commentId: 'default',
      name: '',
      baselineRunId: base.id,
      runAttempt: 1
    })

    fake.seedPull({ number: 12, headSha: pr.headSha, headRepoFullName: FORK })
    const comment = await commentRun(run.runId, pr.headSha)
    expectExit(comment, 0)
    expect(comment.outputs).toMatchObject({
      verdict: 'regression',
      regressions: '1',
      'comment-status': 'created'
    })
    const [posted] = fake.comments(12)
    expect(fake.comments(12)).toHaveLength(1)
    expect(posted?.user.login).toBe('github-actions[bot]')
    expect(
      posted?.body.startsWith(`${MARKER}\n### ❌ nsys-bench: GPU performance regression`)
    ).toBe(true)
    expect(posted?.body).toMatch(new RegExp(`#### Regressions \\(1\\)[^]*${FLASH}`))
    expect(posted?.body).toContain(
      `Baseline: [run #${base.runNumber}](https://github.com/octo-org/llm-serve/actions/runs/${base.id}) of \`${fake.defaultBranch}\` at [\`${base.headSha.slice(0, 7)}\`]`
    )
    expect(posted?.body).toContain(
      `[benchmark run](https://github.com/octo-org/llm-serve/actions/runs/${run.runId})`
    )
    expect(comment.outputs['comment-url']).toMatch(new RegExp(`#issuecomment-${posted?.id}$`))
    expect(comment.summary).toContain('### ❌ nsys-bench: GPU performance regression')

    // The next push to the pull request: the comment workflow updates the same comment.
    const headSha = 'feedbee'.padEnd(40, '0')
    const again = await bench(env, {
      fake,
      token: FAKE_TOKENS.readOnly,
      event: prEvent(fake, { number: 12, headRepo: FORK, headSha }),
      inputs: { 'profile-path': fx.same }
    })
    expectExit(again, 0)
    fake.seedPull({ number: 12, headSha, headRepoFullName: FORK })
    const update = await commentRun(again.runId, headSha, 'success')
    expectExit(update, 0)
    expect(update.outputs).toMatchObject({ verdict: 'pass', 'comment-status': 'updated' })
    expect(fake.comments(12)).toEqual([
      expect.objectContaining({
        id: posted?.id,
        body: expect.stringMatching(/^<!-- nsys-bench:default -->\n### ✅ nsys-bench/)
      })
    ])
  }, 60_000)

  test('never takes the baseline from the pull request: results naming its own run are refused', async (ctx) => {
    const env = env23(ctx)
    const push = await pushBaseline(env, fx.base)
    const profileJson = text(
      fake.artifactFiles('nsys-bench-baseline', { runId: push.runId }),
      'run-1.json'
    )
    // The pull request's own run uploads a doctored "baseline" and results that name it.
    const headSha = 'f00dfeed'.padEnd(40, '0')
    const prRun = fake.seedRun({
      event: 'pull_request',
      headRepoFullName: FORK,
      headBranch: 'feature',
      headSha
    })
    fake.seedArtifact(prRun.id, 'nsys-bench-baseline', { 'run-1.json': profileJson })
    fake.seedArtifact(prRun.id, 'nsys-bench-results', {
      'results.json': JSON.stringify({
        kind: 'nsys-bench/results',
        schemaVersion: 2,
        pullRequest: 14,
        headSha,
        commentId: 'default',
        name: '',
        baselineRunId: prRun.id
      }),
      'head/run-1.json': profileJson
    })
    fake.seedPull({ number: 14, headSha, headRepoFullName: FORK })
    const comment = await commentRun(prRun.id, headSha, 'success')
    expectExit(comment, 1)
    expect(annotations(comment, 'error')).toEqual([
      expect.stringMatching(
        new RegExp(
          `results name baseline run ${prRun.id}, which is not a completed push run of .* on main; refusing it`
        )
      )
    ])
    expect(fake.comments(14)).toEqual([])
  })

  test('baseline: ab results: the base the run measured is the baseline for its own repository, never for a fork', async (ctx) => {
    const env = env23(ctx)
    const push = await pushBaseline(env, fx.base)
    const artifactBase = text(
      fake.artifactFiles('nsys-bench-baseline', { runId: push.runId }),
      'run-1.json'
    )
    // The slower head's profile, as a pull request's run writes it.
    const slowRun = await bench(env, {
      fake,
      token: FAKE_TOKENS.readOnly,
      event: prEvent(fake, { number: 20 }),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(slowRun, 1)
    const slower = text(
      fake.artifactFiles('nsys-bench-results', { runId: slowRun.runId }),
      'head/run-1.json'
    )
    // An A/B run whose base measured as slow as its head: against its own base nothing moved,
    // against the artifact's (fx.base) the flash kernel regressed.
    const baseSha = 'abcdef1'.padEnd(40, '2')
    const seedAb = (number: number, headRepo: string) => {
      const headSha = `${number}`.padEnd(40, 'c')
      const run = fake.seedRun({
        event: 'pull_request',
        headRepoFullName: headRepo,
        headBranch: 'feature',
        headSha
      })
      fake.seedArtifact(run.id, 'nsys-bench-results', {
        'results.json': JSON.stringify({
          kind: 'nsys-bench/results',
          schemaVersion: 3,
          pullRequest: number,
          headSha,
          commentId: 'default',
          name: '',
          ab: { baseSha, ref: 'main' },
          adaptive: { first: 1, max: 3, alpha: 0.01 }
        }),
        'head/run-1.json': slower,
        'base/run-1.json': slower
      })
      fake.seedPull({ number, headSha, headRepoFullName: headRepo })
      return { run, headSha }
    }

    const own = seedAb(21, fake.fullName)
    const trusted = await commentRun(own.run.id, own.headSha, 'success')
    expectExit(trusted, 0)
    expect(trusted.outputs.verdict).toBe('pass')
    const [body] = fake.comments(21).map((c) => c.body)
    expect(body).toContain(
      `Baseline: A/B on the benchmark run's runner, 1 pair, interleaved: base [\`abcdef1\`](https://github.com/octo-org/llm-serve/commit/${baseSha}), the merge base of HEAD and \`main\`.`
    )
    expect(body).toContain(
      'Runs: 1 pair of at most 3 (adaptive repetitions from 1; the last look tested at α = 0.01'
    )

    const fork = seedAb(22, FORK)
    const refused = await commentRun(fork.run.id, fork.headSha, 'success')
    expectExit(refused, 0)
    expect(refused.outputs.verdict).toBe('regression')
    const [forkBody] = fake.comments(22).map((c) => c.body)
    const pushRun = fake.runs().find((r) => r.id === push.runId)
    expect(forkBody).toContain(`at [\`${pushRun?.headSha.slice(0, 7) ?? '?'}\`]`)
    expect(forkBody).toContain(
      "The benchmark run measured its own base (`baseline: ab`, merge base `abcdef1`), but it ran a fork's code: its base numbers are not used."
    )
    expect(artifactBase).not.toBe(slower)
  }, 60_000)

  test("refuses results that name a pull request of another branch than the triggering run's", async (ctx) => {
    const env = env23(ctx)
    const pr = prEvent(fake, { number: 13, headRepo: FORK })
    const run = await bench(env, {
      fake,
      token: FAKE_TOKENS.readOnly,
      event: pr,
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(run, 0) // no baseline yet
    // The results name a pull request whose head is another commit, of another branch: not the
    // one the run ran for.
    fake.seedPull({
      number: 13,
      headSha: 'ba5eba11'.padEnd(40, '0'),
      headRef: 'elsewhere',
      headRepoFullName: FORK
    })
    const seen = fake.requests.length
    const comment = await commentRun(run.runId, pr.headSha, 'success')
    expectExit(comment, 1)
    expect(annotations(comment, 'error')).toEqual([
      expect.stringMatching(
        /results artifact names pull request #13, whose head is ba5eba1, not the triggering run's .*; refusing to comment/
      )
    ])
    expect(fake.comments(13)).toEqual([])
    const writes = fake.requests
      .slice(seen)
      .filter((q) => q.method !== 'GET' && q.service === 'rest')
    expect(writes).toEqual([])
  })

  test("an older run's comment run finishing after the pull request moved on: judged, the newer head's comment left alone (skipped-stale)", async (ctx) => {
    const env = env23(ctx)
    const push = await pushBaseline(env, fx.base)
    const pr = prEvent(fake, { number: 14, headRepo: FORK })
    const run = await bench(env, {
      fake,
      token: FAKE_TOKENS.readOnly,
      event: pr,
      inputs: { 'profile-path': fx.slower, comment: 'never' }
    })
    expectExit(run, 1)
    // A newer push to the same branch of the fork; its runs finished first and commented.
    const newer = 'feedface'.padEnd(40, '0')
    fake.seedPull({ number: 14, headSha: newer, headRef: 'feature', headRepoFullName: FORK })
    const [comment] = fake.seedComments(14, [
      {
        body: `${MARKER}\n### ✅ nsys-bench: no GPU performance regression\n\nHead: \`feedfac\`.`,
        user: { login: 'github-actions[bot]' }
      }
    ])
    const seen = fake.requests.length
    const late = await commentRun(run.runId, pr.headSha)
    expectExit(late, 0)
    expect(late.outputs).toMatchObject({
      verdict: 'regression',
      'comment-status': 'skipped-stale',
      'comment-url': ''
    })
    expect(annotations(late, 'error')).toEqual([])
    expect(annotations(late, 'notice')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Pull request #14 has moved on: this run judged \`${pr.headSha.slice(0, 7)}\`, and its head is now \`feedfac\`\\. `
        )
      )
    ])
    expect(late.summary).toContain('### ❌ nsys-bench: GPU performance regression')
    expect(late.summary).toContain(`Head: \`${pr.headSha.slice(0, 7)}\``)
    expect(late.summary).toContain(`/actions/runs/${push.runId})`)
    expect(fake.comments(14)).toEqual([comment])
    const writes = fake.requests
      .slice(seen)
      .filter((q) => q.method !== 'GET' && q.service === 'rest')
    expect(writes).toEqual([])
  }, 60_000)

  test("a fork's run that fails before a verdict hands over the failure: the comment stops showing the old verdict", async () => {
    const [old] = fake.seedComments(12, [
      {
        body: `${MARKER}\n### ✅ nsys-bench: no GPU performance regression`,
        user: { login: 'github-actions[bot]' }
      }
    ])
    const pr = prEvent(fake, { number: 12, headRepo: FORK })
    const run = await bench(
      {},
      {
        fake,
        token: FAKE_TOKENS.readOnly,
        event: pr,
        inputs: { 'profile-path': 'missing.json' }
      }
    )
    expectExit(run, 1)
    const results = fake.artifactFiles('nsys-bench-results', { runId: run.runId })
    expect(Object.keys(results)).toEqual(['results.json'])
    const record = JSON.parse(text(results, 'results.json'))
    expect(record).toMatchObject({ pullRequest: 12, headSha: pr.headSha })
    expect(record.failure).toMatch(/missing\.json.*no such file or directory/)
    // The fork's read-only token could not touch the comment.
    expect(fake.comments(12)[0]?.body).toContain('no GPU performance regression')

    fake.seedPull({ number: 12, headSha: pr.headSha, headRepoFullName: FORK })
    const comment = await commentRun(run.runId, pr.headSha)
    expectExit(comment, 0)
    expect(comment.outputs).toMatchObject({ verdict: 'error', 'comment-status': 'updated' })
    expect(fake.comments(12)).toEqual([
      expect.objectContaining({
        id: old?.id,
        body: expect.stringMatching(
          /^<!-- nsys-bench:default -->\n### ❗ nsys-bench: the benchmark run failed, there is no verdict for this commit\n\n```text\n[^`]*missing\.json/
        )
      })
    ])
    expect(fake.violations).toEqual([])
  })

  test('a comment run that fails after checking the results updates the comment: no old ✅ stays', async () => {
    const baseline = seedBaseline(fake, { 'run-1.json': kernelProfileJson({ gemm: 1_000_000 }) })
    const [old] = fake.seedComments(12, [
      {
        body: `${MARKER}\n### ✅ nsys-bench: no GPU performance regression`,
        user: { login: 'github-actions[bot]' }
      }
    ])
    const workspace = await mkdtemp(path.join(tmpdir(), 'nsys-bench-comment-fail-'))
    await writeFile(path.join(workspace, 'head.json'), kernelProfileJson({ gemm: 1_300_000 }))
    const pr = prEvent(fake, { number: 12, headRepo: FORK })
    const run = await bench(
      {},
      {
        fake,
        token: FAKE_TOKENS.readOnly,
        event: pr,
        cwd: workspace,
        inputs: { 'profile-path': 'head.json' }
      }
    )
    expectExit(run, 1)
    fake.seedPull({ number: 12, headSha: pr.headSha, headRepoFullName: FORK })
    // GitHub fails while the comment run looks up the baseline's artifacts.
    fake.fail({
      method: 'GET',
      path: new RegExp(`/actions/runs/${baseline.runId}/artifacts`),
      status: 500
    })
    const comment = await commentRun(run.runId, pr.headSha)
    expectExit(comment, 1)
    expect(comment.outputs).toMatchObject({ verdict: 'error', 'comment-status': 'updated' })
    // GitHub's failure, said as such: not "internal error", which means a bug of ours.
    expect(annotations(comment, 'error')[0]).toMatch(/^nsys-bench: could not look up the baseline/)
    expect(fake.comments(12)).toEqual([
      expect.objectContaining({
        id: old?.id,
        body: expect.stringMatching(
          /^<!-- nsys-bench:default -->\n### ❗ nsys-bench: the run that compares its results failed, there is no verdict for this commit/
        )
      })
    ])
    await rm(workspace, { recursive: true, force: true })
  })

  test('a triggering run without results (a push) leaves a notice and no comment', async () => {
    const push = fake.seedRun({ event: 'push' })
    fake.seedArtifact(push.id, 'nsys-bench-report', { 'comparison.md': '# report' })
    const comment = await commentRun(push.id, push.headSha, 'success')
    expectExit(comment, 0)
    expect(annotations(comment, 'notice')).toEqual([
      expect.stringContaining(`Run ${push.id} has no nsys-bench-results artifact`)
    ])
    expect(comment.outputs['comment-status']).toBe('skipped-not-pull-request')
  })
})

describe('matrix legs', () => {
  test('each leg has its own sticky comment and suffixed artifacts', async (ctx) => {
    const h100 = env23(ctx, h100Smi)
    const a100 = env23(ctx, a100Smi)
    // The push run: both legs are jobs of one workflow run.
    const pushRun = fake.seedRun({ event: 'push', status: 'in_progress' }).id
    const legs = [
      { name: 'h100', env: h100, head: fx.slower },
      { name: 'a100', env: a100, head: fx.same }
    ]
    for (const leg of legs) {
      const r = await bench(leg.env, {
        fake,
        runId: pushRun,
        event: pushEvent(fake),
        inputs: { 'profile-path': fx.base, name: leg.name }
      })
      expectExit(r, 0)
    }
    expect(
      fake
        .artifacts()
        .filter((a) => a.runId === pushRun)
        .map((a) => a.name)
        .sort()
    ).toEqual([
      'nsys-bench-baseline-a100',
      'nsys-bench-baseline-h100',
      'nsys-bench-report-a100',
      'nsys-bench-report-h100'
    ])
    const a100Baseline = JSON.parse(
      text(fake.artifactFiles('nsys-bench-baseline-a100'), 'run-1.json')
    ) as { meta: { gpus: { name: string }[] } }
    // The report was recorded on an H100: its GPU trace says so, whatever nvidia-smi says of the
    // runner that read it.
    expect(a100Baseline.meta.gpus[0]?.name).toBe(H100)

    const prRun = fake.seedRun({ event: 'pull_request', status: 'in_progress' }).id
    const results: Record<string, Awaited<ReturnType<typeof bench>>> = {}
    for (const leg of legs) {
      results[leg.name] = await bench(leg.env, {
        fake,
        runId: prRun,
        event: prEvent(fake),
        inputs: { 'profile-path': leg.head, name: leg.name }
      })
    }
    expectExit(results.h100!, 1)
    expectExit(results.a100!, 0)
    expect(results.h100?.outputs).toMatchObject({
      verdict: 'regression',
      'comment-status': 'created',
      'baseline-run-id': String(pushRun)
    })
    expect(results.a100?.outputs).toMatchObject({ verdict: 'pass', 'comment-status': 'created' })
    // Same GPU on both sides of each leg: no mismatch warning.
    expect(annotations(results.a100!, 'warning')).toEqual([])

    const comments = fake.comments(7)
    expect(comments).toHaveLength(2)
    const h100Comment = comments.find((c) => c.body.startsWith('<!-- nsys-bench:h100 -->\n'))
    const a100Comment = comments.find((c) => c.body.startsWith('<!-- nsys-bench:a100 -->\n'))
    expect(h100Comment?.body).toContain('### ❌ nsys-bench (h100): GPU performance regression')
    expect(a100Comment?.body).toContain('### ✅ nsys-bench (a100): no GPU performance regression')
    expect(h100Comment?.body).toContain('leg `h100`')
    expect(
      fake
        .artifacts()
        .filter((a) => a.runId === prRun)
        .map((a) => a.name)
        .sort()
    ).toEqual([
      'nsys-bench-report-a100',
      'nsys-bench-report-h100',
      'nsys-bench-results-a100',
      'nsys-bench-results-h100'
    ])
    expect(
      JSON.parse(text(fake.artifactFiles('nsys-bench-results-h100'), 'results.json'))
    ).toMatchObject({ commentId: 'h100', name: 'h100' })

    // A re-run of the h100 leg updates its own comment only.
    const rerun = await bench(h100, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.same, name: 'h100' }
    })
    expectExit(rerun, 0)
    expect(rerun.outputs['comment-status']).toBe('updated')
    const after = fake.comments(7)
    expect(after.map((c) => c.id)).toEqual(comments.map((c) => c.id))
    expect(after.find((c) => c.id === h100Comment?.id)?.body).toContain('### ✅ nsys-bench (h100)')
    expect(after.find((c) => c.id === a100Comment?.id)?.body).toBe(a100Comment?.body)
  }, 90_000)
})

describe('matrix legs without a name', () => {
  test("collide on artifact names: the second leg fails, saying so, and keeps the first leg's", async (ctx) => {
    const env = env23(ctx)
    const prRun = fake.seedRun({ event: 'pull_request', status: 'in_progress' }).id
    const first = await bench(env, {
      fake,
      runId: prRun,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower, 'fail-on-regression': 'false' }
    })
    expectExit(first, 0)
    const second = await bench(env, {
      fake,
      runId: prRun,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.same }
    })
    // It had no baseline yet, but its results would hide the first leg's: the step fails.
    expectExit(second, 1)
    expect(second.outputs.verdict).toBe('no-baseline')
    expect(annotations(second, 'error').join('\n')).toMatch(
      /Another job of this workflow run \(attempt 1\) uploaded an artifact named nsys-bench-results: two jobs ran with the same `name`.*Give each matrix leg its own `name`.*uploaded as nsys-bench-results-clash-[0-9a-f]{8}/
    )
    // The report clashes too: a failure of the step as well, and the report goes aside.
    expect(annotations(second, 'error').join('\n')).toMatch(
      /Another job of this workflow run \(attempt 1\) uploaded an artifact named nsys-bench-report: two jobs ran with the same `name`.*This job's report is uploaded as nsys-bench-report-clash-[0-9a-f]{8} instead\./
    )
    expect(annotations(second, 'warning')).toEqual([])
    const head = text(fake.artifactFiles('nsys-bench-results', { runId: prRun }), 'head/run-1.json')
    expect(kernelTotals(head)[KERNELS.flash.name]).toBe(kernelTotal('flash', 1.2))
    const reports = fake.artifacts().filter((a) => a.runId === prRun && a.name.includes('-report'))
    const firstReport = text(
      fake.artifactFiles('nsys-bench-report', { runId: prRun }),
      'profiles/run-1.json'
    )
    expect(kernelTotals(firstReport)[KERNELS.flash.name]).toBe(kernelTotal('flash', 1.2))
    const aside = reports.find((a) => a.name.startsWith('nsys-bench-report-clash-'))
    expect(aside, "the second leg's report, aside").toBeDefined()
    const secondReport = text(fake.artifactFiles(aside!.id), 'profiles/run-1.json')
    expect(kernelTotals(secondReport)[KERNELS.flash.name]).toBe(kernelTotal('flash'))
  })
})

describe('nsys 2022.4 (old report names)', () => {
  let old: NsysSetup
  beforeAll(async () => {
    old = await setupNsys('2022.4')
  })

  test('push baseline, then a pull request with a regression', async (ctx) => {
    if (!old.install) return skipOrFail(ctx, old.skip)
    const env: BenchEnv = { nsys: old.install, smiDir: h100Smi }
    const push = await pushBaseline(env, fx.base)
    const report = fake.artifactFiles('nsys-bench-report', { runId: push.runId })
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['stats/run-1_gpukernsum.csv', 'stats/run-1_cudaapisum.csv'])
    )
    const baseline = text(fake.artifactFiles('nsys-bench-baseline'), 'run-1.json')
    expect(JSON.parse(baseline)).toMatchObject({
      meta: {
        profiler: { name: 'nsys', version: expect.stringMatching(/^2022\.4\./) },
        reports: { kernels: 'gpukernsum' }
      }
    })
    expect(kernelTotals(baseline)).toEqual({
      [KERNELS.gemm.name]: kernelTotal('gemm'),
      [KERNELS.flash.name]: kernelTotal('flash'),
      [KERNELS.norm.name]: kernelTotal('norm')
    })

    const pr = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(pr, 1)
    expect(pr.outputs).toMatchObject({
      verdict: 'regression',
      regressions: '1',
      'baseline-run-id': String(push.runId)
    })
    expect(fake.comments(7)[0]?.body).toMatch(new RegExp(`#### Regressions \\(1\\)[^]*${FLASH}`))
  }, 60_000)
})
