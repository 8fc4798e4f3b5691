import { gunzipSync } from 'node:zlib'
/**
 * The bundled action (`dist/index.js`) end to end, as a runner starts it, against the fake GitHub:
 * pull requests with and without a regression, the sticky comment, the baseline from push runs,
 * expired artifacts, fork tokens, GPU mismatch and a failing artifact upload.
 *
 * The head (and the push runs' baselines) are `.sqlite` exports with GPU kernels built with the
 * real export schema; the action runs the real `nsys stats` 2023.4 on them. Tests that need nsys
 * are skipped, with the reason, where it cannot be had.
 */
import { mkdtemp, rm } from 'node:fs/promises'
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
  FAKE_GPU_UUID,
  H100,
  KERNELS,
  kernelTotal,
  kernelTotals,
  MARKER,
  prEvent,
  pushEvent,
  seedBaseline,
  setupNsys,
  text,
  withGpu,
  type BenchEnv,
  type NsysSetup,
  type SqliteFixtures
} from './support/bench.js'
import { skipOrFail } from '../support/nsys/skip-or-fail.js'

let fake: FakeGitHub
let work: string
let fx: SqliteFixtures
let nsys: NsysSetup
let env: BenchEnv
/** The baseline profile JSON a push run of `fx.base` uploads (H100). */
let baseJson: string

beforeAll(async () => {
  ;[fake, work, nsys] = await Promise.all([
    startFakeGitHub(),
    mkdtemp(path.join(tmpdir(), 'nsys-bench-e2e-action-')),
    setupNsys('2023.4')
  ])
  ;[fx, env] = await Promise.all([
    buildSqliteFixtures(work),
    fakeNvidiaSmi(path.join(work, 'smi-h100'), H100).then((smiDir) => ({
      ...(nsys.install ? { nsys: nsys.install } : {}),
      smiDir
    }))
  ])
  if (!nsys.install) return
  const push = await bench(env, {
    fake,
    event: pushEvent(fake),
    inputs: { 'profile-path': fx.base }
  })
  expectExit(push, 0)
  baseJson = text(fake.artifactFiles('nsys-bench-baseline'), 'run-1.json')
})

afterAll(async () => {
  await fake?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

beforeEach((ctx) => {
  fake.reset()
  if (!nsys.install) skipOrFail(ctx, nsys.skip)
})

afterEach(() => {
  expect(fake.violations).toEqual([])
})

const FLASH = 'flash::flash_fwd_kernel'

describe('a pull request with a regression', () => {
  test('fails the step, creates one sticky comment, and updates it on a re-run', async () => {
    const base = seedBaseline(fake, { 'run-1.json': baseJson })
    const pr = prEvent(fake)
    const first = await bench(env, { fake, event: pr, inputs: { 'profile-path': fx.slower } })

    expectExit(first, 1)
    expect(annotations(first, 'error')).toEqual([
      expect.stringMatching(/^GPU performance regression: 1 gated item regressed/)
    ])
    expect(first.outputs).toMatchObject({
      verdict: 'regression',
      'comment-status': 'created',
      'baseline-run-id': String(base.runId),
      'baseline-sha': base.headSha
    })
    expect(Number(first.outputs.regressions)).toBeGreaterThanOrEqual(1)
    const comments = fake.comments(pr.number)
    expect(comments).toHaveLength(1)
    const [comment] = comments
    expect(comment?.user.login).toBe('github-actions[bot]')
    expect(
      comment?.body.startsWith(`${MARKER}\n### ❌ nsys-bench: GPU performance regression`)
    ).toBe(true)
    const regressions = /#### Regressions \(1\)\n\n([^]*?)\n\n/.exec(comment?.body ?? '')?.[1]
    expect(regressions).toContain(FLASH)
    expect(regressions).toContain('+20.0%')
    expect(first.outputs['comment-url']).toMatch(
      new RegExp(`^https://github\\.com/octo-org/llm-serve/.*#issuecomment-${comment?.id}$`)
    )
    expect(first.summary).toContain('### ❌ nsys-bench: GPU performance regression')

    // A new push to the pull request: the same comment is edited in place.
    const second = await bench(env, {
      fake,
      event: prEvent(fake, { headSha: 'abcdef1'.padEnd(40, '0') }),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(second, 1)
    expect(second.outputs['comment-status']).toBe('updated')
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url'])
    const after = fake.comments(pr.number)
    expect(after).toHaveLength(1)
    expect(after[0]?.id).toBe(comment?.id)
    expect(after[0]?.body).toContain('Head: `abcdef1`')
    expect(fake.requests.filter((r) => r.operation === 'issues/create-comment')).toHaveLength(1)
  }, 60_000)

  test('a re-run attempt of the job replaces its artifacts and updates the comment', async () => {
    seedBaseline(fake, { 'run-1.json': baseJson })
    const first = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(first, 1)
    // "Re-run jobs": the same workflow run, attempt 2, still holding attempt 1's artifacts.
    fake.updateRun(first.runId, { status: 'in_progress', runAttempt: 2 })
    const second = await bench(env, {
      fake,
      runId: first.runId,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.same }
    })
    expectExit(second, 0)
    expect(annotations(second, 'warning')).toEqual([])
    expect(second.outputs).toMatchObject({ verdict: 'pass', 'comment-status': 'updated' })
    expect(fake.comments(7)).toHaveLength(1)
    const inRun = fake.artifacts().filter((a) => a.runId === first.runId)
    expect(inRun.map((a) => a.name).sort()).toEqual(['nsys-bench-report', 'nsys-bench-results'])
    // The results a `mode: comment` workflow reads are this attempt's, not the stale ones.
    const results = fake.artifactFiles('nsys-bench-results', { runId: first.runId })
    expect(kernelTotals(text(results, 'head/run-1.json'))[KERNELS.flash.name]).toBe(
      kernelTotal('flash')
    )
  }, 60_000)

  test("never edits another user's comment that quotes the marker", async () => {
    seedBaseline(fake, { 'run-1.json': baseJson })
    const [foreign] = fake.seedComments(7, [
      { body: `${MARKER}\nI copied the bot's comment here`, user: { login: 'mallory' } },
      { body: `${MARKER}\nso did octocat` }
    ])
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(r, 1)
    expect(r.outputs['comment-status']).toBe('created')
    const comments = fake.comments(7)
    expect(comments).toHaveLength(3)
    expect(comments[0]).toEqual(foreign)
    expect(comments[1]?.body).toBe(`${MARKER}\nso did octocat`)
    expect(comments[2]?.user.login).toBe('github-actions[bot]')
    expect(fake.requests.filter((r) => r.operation === 'issues/update-comment')).toEqual([])
  })

  test('finds its sticky comment on page 2 of the comments', async () => {
    seedBaseline(fake, { 'run-1.json': baseJson })
    const noise = Array.from({ length: 130 }, (_, i) =>
      i % 3 ? `comment ${i}` : { body: `review ${i}`, user: { login: `reviewer${i}` } }
    )
    fake.seedComments(7, noise)
    const [sticky] = fake.seedComments(7, [
      { body: `${MARKER}\nold report`, user: { login: 'github-actions[bot]' } }
    ])
    fake.seedComments(7, ['later', 'and later'])
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(r, 1)
    expect(r.outputs['comment-status']).toBe('updated')
    expect(r.outputs['comment-url']).toMatch(new RegExp(`#issuecomment-${sticky?.id}$`))
    const comments = fake.comments(7)
    expect(comments).toHaveLength(133)
    const updated = comments.find((c) => c.id === sticky?.id)
    expect(updated?.body).toMatch(/^<!-- nsys-bench:default -->\n### ❌ nsys-bench/)
    const pages = fake.requests
      .filter((q) => q.operation === 'issues/list-comments')
      .map((q) => q.query.page ?? '1')
    expect(pages).toEqual(['1', '2'])
  })
})

describe('two runs of one pull request that overlap', () => {
  test("the older run finishing last leaves the newer head's comment alone: skipped-stale, a notice, its own verdict and summary", async () => {
    seedBaseline(fake, { 'run-1.json': baseJson })
    // Run 5001 profiles the pull request's first head; a push starts run 5002 for the next one
    // (no cancel-in-progress), which finishes first, with a regression; the older run, a pass,
    // finishes last and must not replace the ❌ with its ✅.
    const older = prEvent(fake)
    const newer = prEvent(fake, { headSha: 'feedface'.padEnd(40, '0') })
    fake.seedPull({ number: older.number, headSha: newer.headSha })
    const second = await bench(env, {
      fake,
      runId: 5002,
      event: newer,
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(second, 1)
    expect(second.outputs['comment-status']).toBe('created')
    const [comment] = fake.comments(older.number)
    expect(comment?.body).toContain('Head: `feedfac`')
    expect(comment?.body).toContain('### ❌ nsys-bench: GPU performance regression')

    const seen = fake.requests.length
    const first = await bench(env, {
      fake,
      runId: 5001,
      event: older,
      inputs: { 'profile-path': fx.same }
    })
    expectExit(first, 0)
    const judged = older.headSha.slice(0, 7)
    expect(first.outputs).toMatchObject({
      verdict: 'pass',
      'comment-status': 'skipped-stale',
      'comment-url': ''
    })
    expect(annotations(first, 'notice')).toEqual([
      `Pull request #${older.number} has moved on: this run judged \`${judged}\`, and its head is now \`feedfac\`. The sticky comment is left to the run of \`feedfac\` (a newer run's comment is never replaced by an older run's); this run's report is in the job summary.`
    ])
    expect(annotations(first, 'warning')).toEqual([])
    expect(first.summary).toContain('### ✅ nsys-bench: no GPU performance regression')
    expect(first.summary).toContain(`Head: \`${judged}\``)
    expect(fake.comments(older.number)).toEqual([comment])
    const rest = fake.requests.slice(seen).filter((q) => q.service === 'rest')
    expect(rest.filter((q) => q.operation === 'pulls/get').map((q) => q.path)).toEqual([
      `/repos/${fake.fullName}/pulls/${older.number}`
    ])
    expect(rest.filter((q) => q.path.includes('/comments') && q.method !== 'GET')).toEqual([])
    expect(first.stdout).not.toContain(fake.token)
  }, 60_000)
})

describe('a pull request without a regression', () => {
  test('passes and creates a ✅ comment', async () => {
    seedBaseline(fake, { 'run-1.json': baseJson })
    const r = await bench(env, { fake, event: prEvent(fake), inputs: { 'profile-path': fx.same } })
    expectExit(r, 0)
    expect(annotations(r, 'error')).toEqual([])
    expect(r.outputs).toMatchObject({
      verdict: 'pass',
      regressions: '0',
      'comment-status': 'created'
    })
    const [comment] = fake.comments(7)
    expect(
      comment?.body.startsWith(`${MARKER}\n### ✅ nsys-bench: no GPU performance regression`)
    ).toBe(true)
    expect(r.summary).toContain('### ✅ nsys-bench: no GPU performance regression')
  })

  test('with comment: on-regression creates none, but still updates an existing one', async () => {
    seedBaseline(fake, { 'run-1.json': baseJson })
    const quiet = await bench(env, {
      fake,
      event: prEvent(fake, { number: 8 }),
      inputs: { 'profile-path': fx.same, comment: 'on-regression' }
    })
    expectExit(quiet, 0)
    expect(quiet.outputs).toMatchObject({
      verdict: 'pass',
      'comment-status': 'skipped-no-regression',
      'comment-url': ''
    })
    expect(fake.comments(8)).toEqual([])
    expect(quiet.summary).toContain('### ✅ nsys-bench')

    const [old] = fake.seedComments(9, [
      { body: `${MARKER}\n### ❌ an earlier regression`, user: { login: 'github-actions[bot]' } }
    ])
    const fixed = await bench(env, {
      fake,
      event: prEvent(fake, { number: 9 }),
      inputs: { 'profile-path': fx.same, comment: 'on-regression' }
    })
    expectExit(fixed, 0)
    expect(fixed.outputs['comment-status']).toBe('updated')
    expect(fake.comments(9)).toEqual([
      expect.objectContaining({ id: old?.id, body: expect.stringContaining('### ✅ nsys-bench') })
    ])
  }, 60_000)
})

describe('push to the default branch, then a pull request', () => {
  test('the push uploads the baseline and the report; the pull request compares with it', async () => {
    const sha = 'c0ffee0'.padEnd(40, '0')
    const push = await bench(env, {
      fake,
      event: pushEvent(fake, sha),
      inputs: { 'profile-path': fx.base }
    })
    expectExit(push, 0)
    expect(push.outputs).toMatchObject({
      verdict: 'no-baseline',
      'comment-status': 'skipped-not-pull-request'
    })

    const baseline = fake.artifactFiles('nsys-bench-baseline', { runId: push.runId })
    // The profiles, and the history that starts with this run (docs/history.md).
    expect(Object.keys(baseline).sort()).toEqual(['history.json.gz', 'run-1.json'])
    const profile = JSON.parse(text(baseline, 'run-1.json')) as {
      kind: string
      meta: { gitSha: string; gpus: { name: string; cuda?: string }[]; reports: object }
    }
    expect(profile.kind).toBe('nsys-bench/profile')
    expect(profile.meta.gitSha).toBe(sha)
    expect(profile.meta.gpus).toEqual([expect.objectContaining({ name: H100, cuda: '12.4' })])
    expect(profile.meta.reports).toMatchObject({ kernels: 'cuda_gpu_kern_sum' })
    expect(kernelTotals(text(baseline, 'run-1.json'))).toEqual({
      [KERNELS.gemm.name]: kernelTotal('gemm'),
      [KERNELS.flash.name]: kernelTotal('flash'),
      [KERNELS.norm.name]: kernelTotal('norm')
    })
    const pushReport = fake.artifactFiles('nsys-bench-report', { runId: push.runId })
    expect(Object.keys(pushReport)).toEqual(
      expect.arrayContaining([
        'nsys/1-base.sqlite',
        'stats/run-1_cuda_gpu_kern_sum.csv',
        'stats/run-1_cuda_api_sum.csv',
        'profiles/run-1.json'
      ])
    )
    expect(text(pushReport, 'stats/run-1_cuda_gpu_kern_sum.csv')).toContain(KERNELS.flash.name)
    // The GPU trace is read (the timeline), then kept gzip-compressed: one row per launch.
    expect(Object.keys(pushReport)).toContain('stats/run-1_cuda_gpu_trace.csv.gz')
    expect(Object.keys(pushReport)).not.toContain('stats/run-1_cuda_gpu_trace.csv')
    expect(
      gunzipSync(Buffer.from(pushReport['stats/run-1_cuda_gpu_trace.csv.gz']!)).toString('utf8')
    ).toContain(KERNELS.flash.name)
    expect(profile.meta.reports).toMatchObject({ gpuIdle: 'cuda_gpu_trace' })
    expect(fake.artifacts().map((a) => a.name)).not.toContain('nsys-bench-results')

    const pr = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(pr, 1)
    expect(pr.outputs).toMatchObject({
      verdict: 'regression',
      'baseline-run-id': String(push.runId),
      'baseline-sha': sha
    })
    expect(pr.summary).toContain(
      `Baseline: [run #1](https://github.com/octo-org/llm-serve/actions/runs/${push.runId}) of \`main\` at [\`c0ffee0\`]`
    )
    const report = fake.artifactFiles('nsys-bench-report', { runId: pr.runId })
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining([
        'nsys/1-slower.sqlite',
        'stats/run-1_cuda_gpu_kern_sum.csv',
        'profiles/run-1.json',
        'comparison.json',
        'comparison.md',
        'report.html'
      ])
    )
    expect(text(report, 'report.html')).toMatch(
      /^<!doctype html>[^]*<h1 id="verdict" data-verdict="regression">/
    )
    // The results for `mode: comment` are their own artifact: the report holds no second copy.
    expect(Object.keys(report).filter((k) => k.startsWith('results/'))).toEqual([])
    const comparison = JSON.parse(text(report, 'comparison.json')) as {
      verdict: string
      tables: { kernels: { items: { name: string; status: string; deltaPct: number }[] } }
    }
    expect(comparison.verdict).toBe('regression')
    expect(
      comparison.tables.kernels.items.find((k) => k.name === KERNELS.flash.name)
    ).toMatchObject({
      status: 'regressed',
      deltaPct: expect.closeTo(20, 1)
    })
    expect(kernelTotals(text(report, 'profiles/run-1.json'))[KERNELS.flash.name]).toBe(
      kernelTotal('flash', 1.2)
    )
    // A pull request never saves a baseline; it leaves the results for `mode: comment`.
    const prArtifacts = fake
      .artifacts()
      .filter((a) => a.runId === pr.runId)
      .map((a) => a.name)
      .sort()
    expect(prArtifacts).toEqual(['nsys-bench-report', 'nsys-bench-results'])
  }, 60_000)
})

describe('baseline lookup', () => {
  test('no baseline: a notice, verdict no-baseline, the step passes and the summary is written', async () => {
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(r, 0)
    expect(r.outputs).toMatchObject({ verdict: 'no-baseline', regressions: '0' })
    expect(r.outputs['baseline-run-id']).toBeUndefined()
    expect(annotations(r, 'notice')).toEqual([expect.stringMatching(/^No baseline yet: /)])
    expect(annotations(r, 'error')).toEqual([])
    expect(r.summary).toContain('### nsys-bench: profile recorded, no baseline to compare with')
    expect(r.summary).toContain(FLASH)
    expect(fake.comments(7)[0]?.body).toContain('no baseline to compare with')
  })

  test('a baseline that cannot be downloaded is no "no baseline": the step fails, saying so', async () => {
    const only = seedBaseline(fake, { 'run-1.json': baseJson })
    fake.fail({ method: 'GET', path: /\/actions\/artifacts\/\d+\/zip$/, status: 404 })
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(r, 1)
    expect(r.outputs.verdict).not.toBe('no-baseline')
    expect(annotations(r, 'notice')).toEqual([])
    expect(annotations(r, 'error')).toEqual([
      expect.stringMatching(
        new RegExp(
          `a baseline exists, but it could not be downloaded, so nothing was compared: could not download nsys-bench-baseline from run ${only.runId} \\(${only.headSha.slice(0, 7)}\\)`
        )
      )
    ])
  })

  test('when the newest baseline cannot be downloaded, an older one is used, with a warning', async () => {
    const older = seedBaseline(fake, { 'run-1.json': baseJson })
    const newer = seedBaseline(fake, { 'run-1.json': baseJson })
    fake.fail({ method: 'GET', path: /\/actions\/artifacts\/\d+\/zip$/, status: 404, times: 1 })
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(r, 1)
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      'baseline-run-id': String(older.runId)
    })
    expect(annotations(r, 'warning')).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^A newer baseline could not be downloaded \\(could not download nsys-bench-baseline from run ${newer.runId} .*\\); this run compares with run ${older.runId} `
        )
      )
    )
  })

  test('skips an expired artifact on the newest push run and uses an older run', async () => {
    const older = seedBaseline(fake, { 'run-1.json': baseJson })
    const expired = seedBaseline(fake, { 'run-1.json': baseJson }, { expired: true })
    // A pull request run may not provide the baseline.
    const prRun = fake.seedRun({ event: 'pull_request', headBranch: 'main' })
    fake.seedArtifact(prRun.id, 'nsys-bench-baseline', { 'run-1.json': baseJson })

    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(r, 1)
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      'baseline-run-id': String(older.runId),
      'baseline-sha': older.headSha
    })
    expect(r.stdout).toContain(
      `run ${expired.runId} (${expired.headSha.slice(0, 7)}) had an expired nsys-bench-baseline artifact; skipped`
    )
    expect(r.summary).toContain(`actions/runs/${older.runId})`)
  })

  test('the only baseline expired: said as a warning, in the summary too, never "no baseline yet"', async () => {
    const expired = seedBaseline(fake, { 'run-1.json': baseJson }, { expired: true })
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expect(r.outputs.verdict).toBe('no-baseline')
    const said = `No baseline: the nsys-bench-baseline artifact of run ${expired.runId} (${expired.headSha.slice(0, 7)}) on main expired`
    expect(annotations(r, 'warning')).toEqual(
      expect.arrayContaining([expect.stringContaining(said)])
    )
    expect(annotations(r, 'notice').some((n) => n.startsWith('No baseline yet'))).toBe(false)
    expect(r.summary).toContain('expired (artifacts are kept for the repository')
  })
})

test('finds the sticky comment of a GitHub App token (a bot account other than github-actions)', async () => {
  const [mine] = fake.seedComments(7, [
    { body: `${MARKER}\nold report`, user: { login: 'acme-benchmarks[bot]' } }
  ])
  const r = await bench(env, { fake, event: prEvent(fake), inputs: { 'profile-path': fx.same } })
  expect(r.outputs['comment-status']).toBe('updated')
  expect(r.outputs['comment-url']).toMatch(new RegExp(`#issuecomment-${mine?.id}$`))
  expect(fake.violations).toEqual([])
})

test('a push run that failed its gate still provides the baseline: a merged regression does not stick', async () => {
  seedBaseline(fake, { 'run-1.json': baseJson })
  const failed = fake.seedRun({ event: 'push', conclusion: 'failure' })
  fake.seedArtifact(failed.id, 'nsys-bench-baseline', { 'run-1.json': baseJson })
  const r = await bench(env, { fake, event: prEvent(fake), inputs: { 'profile-path': fx.slower } })
  expect(r.outputs['baseline-run-id']).toBe(String(failed.id))
  expect(fake.violations).toEqual([])
})

describe('a pull request from a fork (read-only token)', () => {
  test('the comment is refused: a warning, the summary, and the gate still fails', async () => {
    seedBaseline(fake, { 'run-1.json': baseJson })
    const r = await bench(env, {
      fake,
      token: FAKE_TOKENS.readOnly,
      event: prEvent(fake, { headRepo: 'forker/llm-serve' }),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(r, 1)
    expect(annotations(r, 'error')).toEqual([expect.stringMatching(/^GPU performance regression/)])
    const warnings = annotations(r, 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('`pull-requests: write`')
    expect(warnings[0]).toContain('two-workflow pattern (mode: comment)')
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      'comment-status': 'skipped-no-permission',
      'comment-url': ''
    })
    expect(r.summary).toContain('### ❌ nsys-bench: GPU performance regression')
    expect(fake.comments(7)).toEqual([])
    expect(fake.requests.find((q) => q.operation === 'issues/create-comment')?.status).toBe(403)
    // The results for the trusted `mode: comment` workflow are still uploaded.
    expect(Object.keys(fake.artifactFiles('nsys-bench-results', { runId: r.runId }))).toContain(
      'results.json'
    )
  })

  test('without a regression the step passes', async () => {
    seedBaseline(fake, { 'run-1.json': baseJson })
    const r = await bench(env, {
      fake,
      token: FAKE_TOKENS.readOnly,
      event: prEvent(fake, { headRepo: 'forker/llm-serve' }),
      inputs: { 'profile-path': fx.same }
    })
    expectExit(r, 0)
    expect(r.outputs).toMatchObject({
      verdict: 'pass',
      'comment-status': 'skipped-no-permission'
    })
  })
})

describe('a baseline from another GPU model', () => {
  test('with gpu-mismatch: warn, warns, and the comment says Different GPUs', async () => {
    seedBaseline(fake, { 'run-1.json': withGpu(baseJson, A100) })
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.same, 'gpu-mismatch': 'warn' }
    })
    expectExit(r, 0)
    expect(r.outputs.verdict).toBe('pass')
    const note = `Different GPUs: base ran on ${A100}, head on ${H100}`
    // The baseline's driver (withGpu: 535.104.05) is another major version than the head's.
    expect(annotations(r, 'warning')).toEqual([
      expect.stringContaining(note),
      "Different GPU driver versions: base 535.104.05, head 550.54.15. A major driver version changes the CUDA runtime's behaviour; compare on one driver where you can."
    ])
    const body = fake.comments(7)[0]?.body ?? ''
    expect(body).toContain(note)
    // Where each side ran, with the clocks, so a reader can judge the comparison.
    expect(body).toMatch(
      new RegExp(
        `Head ran on: ${H100} \\(driver 550\\.54\\.15, CUDA 12\\.4, sm 1980 MHz \\(max 1980\\), mem 2619 MHz\\) · Nsight Systems 2023\\.4`
      )
    )
    expect(body).toContain(`Base ran on: ${A100}`)
    const head = JSON.parse(
      text(fake.artifactFiles('nsys-bench-report', { runId: r.runId }), 'profiles/run-1.json')
    ) as { meta: { gpus: unknown } }
    // The fingerprint, as the fake nvidia-smi printed it (support/bench.ts).
    expect(head.meta.gpus).toEqual([
      {
        name: H100,
        uuid: FAKE_GPU_UUID,
        pciBusId: '00000000:18:00.0',
        driver: '550.54.15',
        cuda: '12.4',
        persistenceMode: 'Enabled',
        migMode: 'Disabled',
        eccMode: 'Enabled',
        powerLimitW: 700,
        smClockMHz: 1980,
        memClockMHz: 2619,
        maxSmClockMHz: 1980,
        maxMemClockMHz: 2619,
        temperatureC: 34,
        powerDrawW: 71.52,
        clocks: 'sm 1980 MHz (max 1980), mem 2619 MHz'
      }
    ])
  })

  test('by default the verdict is inconclusive and the step fails, saying why', async () => {
    seedBaseline(fake, { 'run-1.json': withGpu(baseJson, A100) })
    const r = await bench(env, { fake, event: prEvent(fake), inputs: { 'profile-path': fx.same } })
    expectExit(r, 1)
    expect(r.outputs.verdict).toBe('inconclusive')
    expect(JSON.parse(r.outputs.reasons ?? '[]')).toEqual([
      expect.objectContaining({ code: 'gpu-mismatch', severity: 'error' })
    ])
    expect(annotations(r, 'error')).toEqual([
      expect.stringMatching(
        /^The comparison is inconclusive, so it cannot pass: Different GPUs: .*A100.*H100.*on-inconclusive: pass/
      )
    ])
    const body = fake.comments(7)[0]?.body ?? ''
    expect(body).toContain('### ⚠️ nsys-bench: inconclusive')
    expect(body).toContain('Different GPUs')
  })

  test('with on-inconclusive: pass the step passes, and still says inconclusive', async () => {
    seedBaseline(fake, { 'run-1.json': withGpu(baseJson, A100) })
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.same, 'on-inconclusive': 'pass' }
    })
    expectExit(r, 0)
    expect(r.outputs.verdict).toBe('inconclusive')
    expect(annotations(r, 'warning')).toContainEqual(
      expect.stringMatching(/^The comparison is inconclusive/)
    )
  })
})

describe('an artifact upload that fails', () => {
  test('is a warning: the verdict, the outputs and the comment survive', async () => {
    seedBaseline(fake, { 'run-1.json': baseJson })
    const fault = fake.fail({
      method: 'POST',
      path: /\/CreateArtifact$/,
      status: 403,
      body: { code: 'permission_denied', msg: 'artifact storage quota exceeded' }
    })
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      inputs: { 'profile-path': fx.slower }
    })
    expectExit(r, 1)
    expect(fault.hits).toBe(2)
    expect(annotations(r, 'error')).toEqual([expect.stringMatching(/^GPU performance regression/)])
    expect(annotations(r, 'warning').sort()).toEqual([
      expect.stringMatching(/^Could not upload the nsys-bench-report artifact: .*403/),
      expect.stringMatching(/^Could not upload the nsys-bench-results artifact: .*403/)
    ])
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      regressions: '1',
      'comment-status': 'created'
    })
    expect(fake.comments(7)).toHaveLength(1)
    expect(fake.artifacts().filter((a) => a.runId === r.runId)).toEqual([])
  })
})
