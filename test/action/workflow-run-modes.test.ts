/**
 * `mode: aggregate` and `mode: comment` in-process (`run(deps)` from src/main.ts): the REST API is
 * the loopback GitHub fake of the e2e tests; the artifact client is an in-memory stand-in that
 * lists and serves the fake's artifacts. The profiles are written here by hand: the base spends
 * 6.50 ms in three kernels, and SLOWER makes one of them +50 % (+1.00 ms): a regression under the
 * default limits (5 % and 0.1 % of the base's kernel time).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type {
  ArtifactClient,
  DeleteArtifactResponse,
  DownloadArtifactResponse,
  GetArtifactResponse,
  ListArtifactsResponse,
  UploadArtifactResponse
} from '@actions/artifact'
import { getOctokit } from '@actions/github'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { run } from '../../src/main.js'
import { RecordingCore } from '../support/recording-core.js'
import { workflowRunEvent as sharedWorkflowRunEvent } from '../support/workflow-run-event.js'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../e2e/fakes/github.js'
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

/** Lists this run's artifacts of the fake and downloads any of its artifacts by id. */
class FakeArtifacts implements ArtifactClient {
  constructor(
    private readonly fake: FakeGitHub,
    private readonly runId: number
  ) {}
  async downloadArtifact(
    artifactId: number,
    options?: { path?: string }
  ): Promise<DownloadArtifactResponse> {
    const path = options?.path
    if (!path) throw new Error('fake artifacts: no path')
    for (const [name, content] of Object.entries(this.fake.artifactFiles(artifactId))) {
      await mkdir(dirname(join(path, name)), { recursive: true })
      await writeFile(join(path, name), content)
    }
    return { downloadPath: path }
  }
  listArtifacts(): Promise<ListArtifactsResponse> {
    return Promise.resolve({
      artifacts: this.fake
        .artifacts()
        .filter((a) => a.runId === this.runId && !a.expired)
        .map((a) => ({ id: a.id, name: a.name, size: a.size, createdAt: new Date(a.createdAt) }))
    })
  }
  uploadArtifact(): Promise<UploadArtifactResponse> {
    return Promise.reject(new Error('fake artifacts: no upload expected'))
  }
  getArtifact(): Promise<GetArtifactResponse> {
    return Promise.reject(new Error('fake artifacts: getArtifact not expected'))
  }
  deleteArtifact(): Promise<DeleteArtifactResponse> {
    return Promise.reject(new Error('fake artifacts: deleteArtifact not expected'))
  }
}

let fake: FakeGitHub
let root: string
let cases = 0

beforeAll(async () => {
  fake = await startFakeGitHub()
  root = await mkdtemp(join(tmpdir(), 'nsys-bench-workflow-run-'))
})
afterAll(async () => {
  await fake.close()
  await rm(root, { recursive: true, force: true })
})
beforeEach(() => {
  fake.reset()
})

interface Outcome {
  core: RecordingCore
  summaries: string[]
}

async function runStep(o: {
  inputs: Record<string, string>
  event: { name: string; payload: object }
  /** the run whose artifacts the artifact client lists (same-run aggregate) */
  runId?: number
}): Promise<Outcome> {
  const dir = join(root, `case-${++cases}`)
  const workspace = join(dir, 'workspace')
  const temp = join(dir, 'temp')
  await mkdir(workspace, { recursive: true })
  await mkdir(temp, { recursive: true })
  const eventPath = join(dir, 'event.json')
  await writeFile(eventPath, JSON.stringify(o.event.payload))
  const runId = o.runId ?? OWN_RUN
  const core = new RecordingCore({
    'github-token': FAKE_TOKENS.github,
    comment: 'always',
    ...o.inputs
  })
  const summaries: string[] = []
  await run({
    core,
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: fake.fullName,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: fake.url,
      GITHUB_RUN_ID: String(runId),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_SHA: 'c'.repeat(40),
      GITHUB_WORKFLOW_REF: `${fake.fullName}/.github/workflows/${o.runId === undefined ? 'bench-comment.yml' : 'bench.yml'}@refs/heads/main`,
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: temp,
      GITHUB_EVENT_NAME: o.event.name,
      GITHUB_EVENT_PATH: eventPath
    },
    runProcess: () => Promise.reject(new Error('no process expected')),
    octokit: (token) => getOctokit(token, { baseUrl: fake.url }),
    artifacts: () => new FakeArtifacts(fake, runId),
    writeSummary: (markdown) => {
      summaries.push(markdown)
      return Promise.resolve()
    }
  })
  return { core, summaries }
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
  function seed(artifact: string): { push: number; prRun: number } {
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
    return { push: push.id, prRun: prRun.id }
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
    const { prRun } = seed('nsys-bench-results')
    const r = await runStep({
      inputs: { mode: 'comment', 'baseline-branch': 'main' },
      event: workflowRunEvent(prRun)
    })
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('regression')
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
