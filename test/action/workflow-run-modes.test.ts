/**
 * `mode: aggregate` and `mode: comment` in-process (`run(deps)` from src/main.ts, through the shared
 * harness, test/support/action-harness.ts): the REST API is the loopback GitHub fake of the e2e
 * tests; the artifact client is an in-memory stand-in that lists and serves the fake's artifacts. The profiles are written here by hand: the base spends
 * 6.50 ms in three kernels, and SLOWER makes one of them +50 % (+1.00 ms): a regression under the
 * default limits (5 % and 0.1 % of the base's kernel time).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  startActionHarness,
  type ActionHarness,
  type StepOutcome
} from '../support/action-harness.js'
import { workflowRunEvent as sharedWorkflowRunEvent } from '../support/workflow-run-event.js'
import type { FakeGitHub } from '../e2e/fakes/github.js'
import { kernelProfileJson } from '../e2e/support/bench.js'

const GEMM = 'gemmKernel'
const FLASH = 'flashAttnKernel'
const NORM = 'rmsNormKernel'
const BASE = { [GEMM]: 4_000_000, [FLASH]: 2_000_000, [NORM]: 500_000 }
const SLOWER = { ...BASE, [FLASH]: 3_000_000 }
const FORK = 'forker/llm-serve'
const HEAD = 'abcdef12'.padEnd(40, '0')
/** This (the comment or aggregate workflow's) run. */
const OWN_RUN = 777_001

/** A profile JSON of one run on an H100: kernel → total ns, one launch each. */
const profileJson = (totals: Record<string, number>): string => kernelProfileJson(totals)

let harness: ActionHarness
let fake: FakeGitHub

beforeAll(async () => {
  harness = await startActionHarness('nsys-bench-workflow-run-')
  fake = harness.fake
})
afterAll(async () => {
  await harness.close()
})
beforeEach(() => {
  fake.reset()
})

/**
 * The step, with `comment: always`: the artifact client lists the artifacts of `runId` (a
 * same-run aggregate; default this workflow's own run) and takes no uploads; no process runs.
 */
function runStep(o: {
  inputs: Record<string, string>
  event: { name: string; payload: object }
  /** the run whose artifacts the artifact client lists (same-run aggregate) */
  runId?: number
}): Promise<StepOutcome> {
  const runId = o.runId ?? OWN_RUN
  return harness.runStep({
    inputs: { comment: 'always', ...o.inputs },
    event: o.event,
    runId,
    workflow: o.runId === undefined ? 'bench-comment.yml' : 'bench.yml',
    artifacts: { listRun: runId, upload: 'refuse' },
    runProcess: () => Promise.reject(new Error('no process expected'))
  })
}

function seedResults(
  runId: number,
  artifact: string,
  record: Record<string, unknown>,
  head?: string
): void {
  fake.seedArtifact(runId, artifact, {
    'results.json': JSON.stringify({
      kind: 'nsys-bench/results',
      schemaVersion: 3,
      commentId: 'default',
      name: '',
      ...record
    }),
    ...(head === undefined ? {} : { 'head/run-1.json': head })
  })
}

function workflowRunEvent(runId: number, headRepo = FORK): { name: string; payload: object } {
  return sharedWorkflowRunEvent(runId, { headRepo, headSha: HEAD })
}

describe('baseline-branch in the workflow_run modes', () => {
  /**
   * The pull request targets `release`; the baselines are saved by push runs of `main`, which the
   * legs were told with `baseline-branch: main`, and so is the trusted workflow.
   */
  function seed(artifact: string): { push: number; pushSha: string; prRun: number } {
    const push = fake.seedRun({ event: 'push', headBranch: 'main' })
    fake.seedArtifact(push.id, 'nsys-bench-baseline-h100', { 'run-1.json': profileJson(BASE) })
    fake.seedArtifact(push.id, 'nsys-bench-baseline', { 'run-1.json': profileJson(BASE) })
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'completed',
      conclusion: 'failure',
      headSha: HEAD,
      headBranch: 'feature',
      headRepoFullName: FORK
    })
    seedResults(
      prRun.id,
      artifact,
      { pullRequest: 12, headSha: HEAD, baselineRunId: push.id, name: 'h100' },
      profileJson(SLOWER)
    )
    fake.seedPull({
      number: 12,
      headSha: HEAD,
      headRef: 'feature',
      headRepoFullName: FORK,
      baseRef: 'release'
    })
    return { push: push.id, pushSha: push.headSha, prRun: prRun.id }
  }

  it('mode: aggregate judges each leg against the baseline-branch given, not the base ref', async () => {
    const { prRun } = seed('nsys-bench-results-h100')
    const r = await runStep({
      inputs: { mode: 'aggregate', 'baseline-branch': 'main' },
      event: workflowRunEvent(prRun)
    })
    expect(r.core.failures).toEqual([])
    // flash 2.00 → 3.00 ms against main's baseline, the one the leg compared with.
    expect(r.core.outputs.verdict).toBe('regression')
    const legs = JSON.parse(r.core.outputs.legs ?? '[]') as { name: string; verdict: string }[]
    expect(legs.map((l) => [l.name, l.verdict])).toEqual([['h100', 'regression']])
  })

  it('mode: comment judges against the baseline-branch given, not the base ref', async () => {
    const { push, pushSha, prRun } = seed('nsys-bench-results')
    const r = await runStep({
      inputs: { mode: 'comment', 'baseline-branch': 'main' },
      event: workflowRunEvent(prRun)
    })
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('regression')
    // The outputs name the baseline, as in run mode.
    expect(r.core.outputs['baseline-run-id']).toBe(String(push))
    expect(r.core.outputs['baseline-sha']).toBe(pushSha)
  })

  it('without baseline-branch, the pull request base ref still decides (refusing main)', async () => {
    const { prRun } = seed('nsys-bench-results-h100')
    const r = await runStep({ inputs: { mode: 'aggregate' }, event: workflowRunEvent(prRun) })
    expect(r.core.outputs.verdict).toBe('inconclusive')
    expect(r.core.outputs.legs).toContain('which is not a completed push run of')
  })
})

describe('mode: aggregate (workflow_run) when no leg left a results artifact', () => {
  it('a pull request run whose expected legs all left nothing is inconclusive, not silent', async () => {
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'completed',
      conclusion: 'failure',
      headSha: HEAD,
      headBranch: 'feature',
      headRepoFullName: FORK
    })
    const r = await runStep({
      inputs: { mode: 'aggregate', 'expected-legs': 'h100\na100' },
      event: workflowRunEvent(prRun.id)
    })
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('inconclusive')
    const legs = JSON.parse(r.core.outputs.legs ?? '[]') as { name: string; verdict: string }[]
    expect(legs.map((l) => [l.name, l.verdict])).toEqual([
      ['h100', 'missing'],
      ['a100', 'missing']
    ])
    // No results name the (fork's) pull request: nothing to comment on, but the summary says it.
    expect(r.core.outputs['comment-status']).toBe('skipped-not-pull-request')
    expect(r.summaries).toHaveLength(1)
    expect(r.summaries[0]).toMatch(/inconclusive — 2 of 2 legs without a trustworthy verdict/)
    expect(fake.comments(12)).toEqual([])
  })

  it('a pull request run with no results artifact at all is inconclusive too', async () => {
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'completed',
      conclusion: 'failure',
      headSha: HEAD,
      headBranch: 'feature',
      headRepoFullName: FORK
    })
    const r = await runStep({ inputs: { mode: 'aggregate' }, event: workflowRunEvent(prRun.id) })
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('inconclusive')
    expect(r.core.outputs.legs).toBe('[]')
  })

  it('a push run (no pull request, so no results) only leaves a notice, as before', async () => {
    const pushRun = fake.seedRun({ event: 'push', headBranch: 'main', headSha: HEAD })
    const event = workflowRunEvent(pushRun.id, fake.fullName)
    const r = await runStep({
      inputs: { mode: 'aggregate', 'expected-legs': 'h100\na100' },
      event
    })
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs).toEqual({ 'comment-status': 'skipped-not-pull-request' })
    expect(r.core.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/^Run \d+ has no nsys-bench-results artifacts/)
    ])
    expect(r.summaries).toEqual([])
  })
})

describe('the baseline run a fork pull request names', () => {
  it("refuses a push run of another workflow file holding an artifact of the same name (the PR's run searched only bench.yml)", async () => {
    // bench.yml's baseline: the base. Another workflow (bench-slow.yml, a slower benchmark) saves
    // an artifact of the same default name on main.
    const own = fake.seedRun({ event: 'push', headBranch: 'main', workflowFile: 'bench.yml' })
    fake.seedArtifact(own.id, 'nsys-bench-baseline', { 'run-1.json': profileJson(BASE) })
    const other = fake.seedRun({
      event: 'push',
      headBranch: 'main',
      workflowFile: 'bench-slow.yml'
    })
    fake.seedArtifact(other.id, 'nsys-bench-baseline', { 'run-1.json': profileJson(SLOWER) })
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'completed',
      conclusion: 'failure',
      headSha: HEAD,
      headBranch: 'feature',
      headRepoFullName: FORK
    })
    // The fork's head is SLOWER (flash +50 % against bench.yml's baseline); its results name the
    // other workflow's run.
    seedResults(
      prRun.id,
      'nsys-bench-results',
      { pullRequest: 12, headSha: HEAD, baselineRunId: other.id },
      profileJson(SLOWER)
    )
    fake.seedPull({
      number: 12,
      headSha: HEAD,
      headRef: 'feature',
      headRepoFullName: FORK,
      baseRef: 'main'
    })
    const r = await runStep({ inputs: { mode: 'comment' }, event: workflowRunEvent(prRun.id) })
    // Refused (the results name a run the search would never have found), never a pass.
    expect(r.core.outputs.verdict).not.toBe('pass')
    expect(r.core.outputs['baseline-run-id']).not.toBe(String(other.id))
  })
})
