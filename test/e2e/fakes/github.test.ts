/**
 * Proves the fake against the real libraries the action bundles (@actions/github 9,
 * @actions/artifact 6, @actions/core 3), in-process, and proves runAction with a throwaway action.
 *
 * @actions/github captures GITHUB_API_URL when it is first imported, so the environment is set in
 * beforeAll and the libraries are imported dynamically after it.
 */

import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { runAction } from '../harness/run-action.js'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from './github.js'

type GitHubLib = typeof import('@actions/github')
type ArtifactLib = typeof import('@actions/artifact')
type Octokit = ReturnType<GitHubLib['getOctokit']>

let fake: FakeGitHub
let gh: GitHubLib
let artifactLib: ArtifactLib
let octokit: Octokit
let tmp: string
const savedEnv = { ...process.env }
const MARKER = '<!-- nsys-bench:default -->'

beforeAll(async () => {
  fake = await startFakeGitHub({ log: process.env.FAKE_LOG === '1' })
  tmp = await mkdtemp(path.join(tmpdir(), 'fake-github-test-'))
  for (const k of Object.keys(process.env))
    if (/^(GITHUB_|ACTIONS_|INPUT_|RUNNER_)/.test(k)) delete process.env[k]
  Object.assign(process.env, {
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: fake.fullName,
    GITHUB_WORKSPACE: tmp,
    ACTIONS_RESULTS_URL: `${fake.url}/`,
    ACTIONS_RUNTIME_URL: `${fake.url}/`
  })
  // the libraries log through @actions/core to stdout (::debug::, progress); keep the test output readable
  if (process.env.FAKE_LOG !== '1') vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  gh = await import('@actions/github')
  artifactLib = await import('@actions/artifact')
  octokit = gh.getOctokit(FAKE_TOKENS.github)
})

afterAll(async () => {
  vi.restoreAllMocks()
  await fake?.close()
  await rm(tmp, { recursive: true, force: true })
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k]
  Object.assign(process.env, savedEnv)
})

beforeEach(() => fake.reset())
afterEach(() => {
  // every test ends with no spec/protocol violations (tests that provoke them empty the list)
  expect(fake.violations).toEqual([])
})

/** Points ACTIONS_RUNTIME_TOKEN at a run, as the runner does for the job running in it. */
function actAsRun(runId: number): void {
  process.env.ACTIONS_RUNTIME_TOKEN = fake.runtimeToken({ runId })
}

const { owner, repo } = { owner: 'octo-org', repo: 'llm-serve' }

describe('OpenAPI validation', () => {
  test('loads the description once and validates the implemented operations', () => {
    expect(fake.spec.operations).toHaveLength(16)
    expect(fake.spec.totalOperations).toBeGreaterThan(1000)
    expect(fake.spec.loadMs).toBeLessThan(5000)
    console.info(
      `OpenAPI load: ${fake.spec.loadMs.toFixed(0)} ms; ${fake.spec.operations.length} of ${fake.spec.totalOperations} operations served`
    )
  })

  test('a body that breaks the description is answered 422 and recorded', async () => {
    const err = await octokit
      .request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo,
        issue_number: 7,
        bdy: 'x'
      } as never)
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 422 })
    expect(fake.violations).toHaveLength(1)
    expect(fake.violations[0]).toMatchObject({ method: 'POST', kind: 'request' })
    expect(fake.violations[0]?.message).toMatch(
      /issues\/create-comment.*must have required property 'body'/
    )
    expect(fake.comments(7)).toEqual([])
    fake.violations.splice(0)
  })

  test('a query parameter of the wrong type, and an unknown one, are recorded', async () => {
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo,
        issue_number: 7,
        per_page: 'lots'
      } as never)
    ).rejects.toMatchObject({ status: 422 })
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner,
        repo,
        issue_number: 7,
        perpage: 5
      } as never)
    ).rejects.toMatchObject({ status: 422 })
    expect(fake.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(/\/query\/per_page must be integer/),
      expect.stringMatching(/must NOT have additional properties 'perpage'/)
    ])
    fake.violations.splice(0)
  })

  test('routes the fake lacks, or GitHub lacks, are 404 and recorded', async () => {
    await expect(octokit.rest.repos.listBranches({ owner, repo })).rejects.toMatchObject({
      status: 404
    })
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/benchmarks', { owner, repo })
    ).rejects.toMatchObject({ status: 404 })
    expect(fake.violations.map((v) => [v.kind, v.message])).toEqual([
      ['route', expect.stringContaining('does not implement repos/list-branches')],
      [
        'route',
        expect.stringContaining(
          "no route GET /repos/octo-org/llm-serve/benchmarks in GitHub's OpenAPI description"
        )
      ]
    ])
    fake.violations.splice(0)
  })

  test('a request without a token is 401 and recorded', async () => {
    const { Octokit } = await import('@octokit/core')
    const anonymous = new (Octokit.plugin(
      (await import('@octokit/plugin-rest-endpoint-methods')).restEndpointMethods
    ))({ baseUrl: fake.url })
    await expect(
      anonymous.rest.issues.listComments({ owner, repo, issue_number: 1 })
    ).rejects.toMatchObject({ status: 401 })
    expect(fake.violations).toEqual([
      expect.objectContaining({ kind: 'auth', message: 'no Authorization header' })
    ])
    fake.violations.splice(0)
  })
})

describe('sticky comment through Octokit', () => {
  test('paginates 3 pages in ascending id order with Link headers, then updates the bot comment', async () => {
    fake.seedComments(
      7,
      Array.from({ length: 64 }, (_, i) => `noise ${i}`)
    )
    fake.seedComments(7, [{ body: `${MARKER}\nquoted by a human`, user: { login: 'mallory' } }])
    const [sticky] = fake.seedComments(7, [
      { body: `${MARKER}\nold report`, user: { login: 'github-actions[bot]' } }
    ])

    const first = await octokit.rest.issues.listComments({
      owner,
      repo,
      issue_number: 7,
      per_page: 30,
      page: 2
    })
    const link = first.headers.link ?? ''
    expect(link).toContain('page=3>; rel="next"')
    expect(link).toContain('page=3>; rel="last"')
    expect(link).toContain('page=1>; rel="prev"')
    expect(link).toContain('page=1>; rel="first"')

    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: 7,
      per_page: 30
    })
    expect(all).toHaveLength(66)
    expect(all.map((c) => c.id)).toEqual([...all.map((c) => c.id)].sort((a, b) => a - b))
    const pages = fake.requests.filter((r) => r.operation === 'issues/list-comments').slice(1)
    expect(pages.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3'])

    const mine = all.find((c) => c.user?.type === 'Bot' && c.body?.startsWith(MARKER))
    expect(mine?.id).toBe(sticky?.id)
    await octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: mine?.id ?? 0,
      body: `${MARKER}\nnew report`
    })
    const after = fake.comments(7)
    expect(after).toHaveLength(66)
    expect(after.find((c) => c.id === sticky?.id)?.body).toBe(`${MARKER}\nnew report`)
  })

  test('creates a comment as github-actions[bot] with 201 and Location', async () => {
    const res = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: 8,
      body: `${MARKER}\nfirst`
    })
    expect(res.status).toBe(201)
    expect(res.headers.location).toBe(
      `${fake.url}/repos/${owner}/${repo}/issues/comments/${res.data.id}`
    )
    expect(res.data.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' })
    expect(fake.comments(8).map((c) => c.body)).toEqual([`${MARKER}\nfirst`])
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: res.data.id })
    expect(fake.comments(8)).toEqual([])
  })

  test('a body over 65,536 characters is 422, exactly 65,536 is accepted', async () => {
    const err = await octokit.rest.issues
      .createComment({ owner, repo, issue_number: 9, body: 'x'.repeat(65_537) })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({
      status: 422,
      response: {
        data: { errors: [{ message: 'Body is too long (maximum is 65536 characters)' }] }
      }
    })
    await expect(
      octokit.rest.issues.createComment({ owner, repo, issue_number: 9, body: 'x'.repeat(65_536) })
    ).resolves.toMatchObject({ status: 201 })
  })

  test('an injected 403 surfaces as a RequestError with the accepted-permissions header', async () => {
    const fault = fake.fail({
      method: 'POST',
      path: /\/issues\/\d+\/comments$/,
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        status: '403'
      },
      headers: { 'x-accepted-github-permissions': 'issues=write; pull_requests=write' }
    })
    const err = await octokit.rest.issues
      .createComment({ owner, repo, issue_number: 7, body: 'hi' })
      .catch((e: unknown) => e)
    const { RequestError } = await import('@octokit/request-error')
    expect(err).toBeInstanceOf(RequestError)
    expect(err).toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration')
    })
    expect(
      (err as InstanceType<typeof RequestError>).response?.headers['x-accepted-github-permissions']
    ).toBe('issues=write; pull_requests=write')
    expect(fault.hits).toBe(1)
    expect(fake.comments(7)).toEqual([])
  })

  test('the read-only token of a fork PR can read but gets 403 on writes, with no injection', async () => {
    const fork = gh.getOctokit(FAKE_TOKENS.readOnly)
    await expect(
      fork.rest.issues.listComments({ owner, repo, issue_number: 7 })
    ).resolves.toMatchObject({ status: 200 })
    const err = await fork.rest.issues
      .createComment({ owner, repo, issue_number: 7, body: 'hi' })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({
      status: 403,
      response: {
        headers: { 'x-accepted-github-permissions': 'issues=write; pull_requests=write' }
      }
    })
  })

  test('GET /user answers a PAT and refuses an installation token', async () => {
    await expect(
      gh.getOctokit(FAKE_TOKENS.pat).rest.users.getAuthenticated()
    ).resolves.toMatchObject({ data: { login: 'octocat' } })
    await expect(octokit.rest.users.getAuthenticated()).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration')
    })
  })

  test('GET a pull request', async () => {
    fake.seedPull({
      number: 12,
      headRef: 'feat',
      headSha: 'a'.repeat(40),
      headRepoFullName: 'someone/llm-serve'
    })
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: 12 })
    expect(data).toMatchObject({
      number: 12,
      head: {
        ref: 'feat',
        sha: 'a'.repeat(40),
        repo: { full_name: 'someone/llm-serve', fork: true }
      },
      base: { ref: 'main' }
    })
  })
})

describe('workflow runs', () => {
  beforeEach(() => {
    const day = (d: number): string => new Date(Date.UTC(2026, 0, d, 12)).toISOString()
    for (let d = 1; d <= 25; d++)
      fake.seedRun({ id: 100 + d, createdAt: day(d), headSha: `${d}`.padStart(40, '0') })
    fake.seedRun({ id: 200, createdAt: day(26), conclusion: 'failure' })
    fake.seedRun({ id: 201, createdAt: day(27), status: 'in_progress' })
    // a fork PR whose head branch is also called main: must not look like a baseline
    fake.seedRun({
      id: 202,
      createdAt: day(28),
      event: 'pull_request',
      headRepoFullName: 'evil/llm-serve'
    })
    fake.seedRun({ id: 203, createdAt: day(29), workflowFile: 'other.yml' })
  })

  test('listWorkflowRuns by file name with branch/event/status filters, paginated newest first', async () => {
    const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
      owner,
      repo,
      workflow_id: 'bench.yml',
      branch: 'main',
      event: 'push',
      status: 'success',
      per_page: 10
    })
    expect(runs.map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => 125 - i))
    expect(
      runs.every(
        (r) =>
          r.head_repository.full_name === `${owner}/${repo}` &&
          r.path === '.github/workflows/bench.yml'
      )
    ).toBe(true)
    const calls = fake.requests.filter((r) => r.operation === 'actions/list-workflow-runs')
    expect(calls).toHaveLength(3)
    expect(calls[2]?.query).toMatchObject({
      branch: 'main',
      event: 'push',
      status: 'success',
      per_page: '10',
      page: '3'
    })
  })

  test('numeric workflow id, status as a status, head_sha, unknown workflow', async () => {
    const { data: one } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: 201 })
    const inProgress = await octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: one.workflow_id,
      status: 'in_progress'
    })
    expect(inProgress.data.workflow_runs.map((r) => r.id)).toEqual([201])
    const bySha = await octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: 'bench.yml',
      head_sha: `${7}`.padStart(40, '0')
    })
    expect(bySha.data).toMatchObject({ total_count: 1, workflow_runs: [{ id: 107 }] })
    const anyBranch = await octokit.rest.actions.listWorkflowRuns({
      owner,
      repo,
      workflow_id: 'bench.yml',
      branch: 'main',
      per_page: 1
    })
    expect(
      anyBranch.data.workflow_runs.map((r) => [r.id, r.event, r.head_repository.full_name])
    ).toEqual([[202, 'pull_request', 'evil/llm-serve']])
    await expect(
      octokit.rest.actions.listWorkflowRuns({ owner, repo, workflow_id: 'nope.yml' })
    ).rejects.toMatchObject({ status: 404 })
  })

  test('a re-run: each attempt is served with its own start, the run with its latest attempt', async () => {
    // Run 125 completed (success) at day 25; "Re-run jobs" starts attempt 2 now.
    const day25 = new Date(Date.UTC(2026, 0, 25, 12)).toISOString().replace('.000Z', 'Z')
    fake.updateRun(125, { status: 'in_progress', runAttempt: 2 })
    const second = fake.runs().find((r) => r.id === 125)?.attempts[1]?.startedAt ?? ''
    expect(Date.parse(second)).toBeGreaterThan(Date.parse(day25))
    const attempt = (n: number) =>
      octokit.rest.actions.getWorkflowRunAttempt({
        owner,
        repo,
        run_id: 125,
        attempt_number: n,
        exclude_pull_requests: true
      })
    const { data: one } = await attempt(1)
    expect(one).toMatchObject({
      id: 125,
      run_attempt: 1,
      run_started_at: day25,
      status: 'completed',
      conclusion: 'success',
      previous_attempt_url: null
    })
    const { data: two } = await attempt(2)
    expect(two).toMatchObject({
      run_attempt: 2,
      run_started_at: second,
      status: 'in_progress',
      conclusion: null,
      previous_attempt_url: `${fake.url}/repos/${owner}/${repo}/actions/runs/125/attempts/1`
    })
    const { data: run } = await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: 125 })
    expect(run).toMatchObject({ run_attempt: 2, run_started_at: second })
    await expect(attempt(3)).rejects.toMatchObject({ status: 404 })
    expect(
      fake.requests.filter((r) => r.operation === 'actions/get-workflow-run-attempt')
    ).toHaveLength(3)
  })

  test('a fault with times answers that many requests, then the route works again', async () => {
    const fault = fake.fail({
      method: 'GET',
      path: `/repos/${owner}/${repo}/actions/runs/101`,
      status: 404,
      times: 1
    })
    await expect(
      octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: 101 })
    ).rejects.toMatchObject({ status: 404 })
    await expect(
      octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: 101 })
    ).resolves.toMatchObject({ data: { id: 101 } })
    expect(fault.hits).toBe(1)
    expect(fake.requests.filter((r) => r.injected)).toHaveLength(1)
  })
})

describe('artifacts through @actions/artifact', () => {
  async function writeTree(root: string, files: Record<string, Uint8Array>): Promise<string[]> {
    const paths: string[] = []
    for (const [rel, data] of Object.entries(files)) {
      const p = path.join(root, rel)
      await mkdir(path.dirname(p), { recursive: true })
      await writeFile(p, data)
      paths.push(p)
    }
    return paths
  }
  async function readTree(root: string, names: string[]): Promise<Record<string, string>> {
    return fingerprints(
      Object.fromEntries(
        await Promise.all(
          names.map(async (n) => [n, new Uint8Array(await readFile(path.join(root, n)))] as const)
        )
      )
    )
  }
  /** byte-for-byte comparison without asking vitest to diff 9 MiB arrays */
  function fingerprints(files: Record<string, Uint8Array>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(files).map(([n, d]) => [
        n,
        `${d.length}:${createHash('sha256').update(d).digest('hex')}`
      ])
    )
  }

  test('push uploads a multi-block baseline; a later PR run finds it and downloads it cross-run and same-run', async () => {
    const client = new artifactLib.DefaultArtifactClient()
    const files: Record<string, Uint8Array> = {
      'summary.json': Buffer.from(JSON.stringify({ kernels: 3 })),
      'kernels/gemm.csv': Buffer.from('name,ns\ngemm,1200\n'),
      // incompressible and over 8 MiB, so the blob is staged in several blocks
      'trace.bin': new Uint8Array(randomBytes(9 * 1024 * 1024 + 123))
    }
    const root = await mkdtemp(path.join(tmp, 'up-'))
    const paths = await writeTree(root, files)

    const push = fake.seedRun({ id: 41, event: 'push', status: 'in_progress' })
    actAsRun(push.id)
    const up = await client.uploadArtifact('bench-results', paths, root, {
      compressionLevel: 0,
      retentionDays: 5
    })
    const artifactId = up.id as number
    expect(artifactId).toBeGreaterThan(0)
    const blocks = fake.requests.filter((r) => r.operation === 'blob/PutBlock')
    expect(blocks.length).toBeGreaterThanOrEqual(2)
    expect(blocks.every((r) => r.status === 201)).toBe(true)
    expect(
      fake.requests.filter((r) => r.operation === 'blob/PutBlockList').map((r) => r.status)
    ).toEqual([201])
    const create = fake.requests.find((r) => r.operation === 'twirp/CreateArtifact')
    expect(JSON.parse(create?.body ?? '{}')).toMatchObject({
      name: 'bench-results',
      version: 7,
      mime_type: 'application/zip',
      workflow_run_backend_id: push.backendId
    })
    expect(create?.headers.authorization).toMatch(/^Bearer /)
    expect(fingerprints(fake.artifactFiles('bench-results'))).toEqual(fingerprints(files))
    expect(fake.artifacts()).toEqual([
      expect.objectContaining({
        id: up.id,
        runId: 41,
        digest: `sha256:${up.digest}`,
        finalized: true
      })
    ])
    fake.updateRun(push.id, { status: 'completed', conclusion: 'success' })

    // a later PR run: find the baseline with REST only, as the action will
    const pr = fake.seedRun({
      id: 42,
      event: 'pull_request',
      headBranch: 'feature',
      status: 'in_progress'
    })
    actAsRun(pr.id)
    const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
      owner,
      repo,
      workflow_id: 'bench.yml',
      branch: 'main',
      event: 'push',
      status: 'success'
    })
    expect(runs.map((r) => r.id)).toEqual([41])
    const { data: list } = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner,
      repo,
      run_id: 41,
      name: 'bench-results'
    })
    expect(list.artifacts).toEqual([
      expect.objectContaining({
        id: up.id,
        expired: false,
        digest: `sha256:${up.digest}`,
        workflow_run: expect.objectContaining({ id: 41, head_branch: 'main' })
      })
    ])

    const findBy = {
      token: FAKE_TOKENS.github,
      workflowRunId: 41,
      repositoryOwner: owner,
      repositoryName: repo
    }
    const found = await client.getArtifact('bench-results', { findBy })
    expect(found.artifact).toMatchObject({
      id: up.id,
      name: 'bench-results',
      digest: `sha256:${up.digest}`
    })
    const cross = path.join(tmp, 'cross')
    const down = await client.downloadArtifact(artifactId, {
      path: cross,
      findBy,
      expectedHash: `sha256:${up.digest}`
    })
    expect(down.digestMismatch).toBe(false)
    expect(await readTree(cross, Object.keys(files))).toEqual(fingerprints(files))
    const zip = fake.requests.find((r) => r.operation === 'actions/download-artifact')
    expect(zip?.status).toBe(302)
    expect(
      fake.requests.filter((r) => r.operation === 'blob/GetBlob').map((r) => r.status)
    ).toEqual([200])

    // same run (no findBy): Twirp ListArtifacts + GetSignedArtifactURL
    actAsRun(push.id)
    const same = path.join(tmp, 'same')
    const down2 = await client.downloadArtifact(artifactId, {
      path: same,
      expectedHash: `sha256:${up.digest}`
    })
    expect(down2.digestMismatch).toBe(false)
    expect(await readTree(same, Object.keys(files))).toEqual(fingerprints(files))
    expect(fake.requests.filter((r) => r.service === 'twirp').map((r) => r.operation)).toEqual([
      'twirp/CreateArtifact',
      'twirp/FinalizeArtifact',
      'twirp/ListArtifacts',
      'twirp/GetSignedArtifactURL'
    ])
  }, 20_000)

  test('a second CreateArtifact with the same name in a run is 409', async () => {
    const client = new artifactLib.DefaultArtifactClient()
    const root = await mkdtemp(path.join(tmp, 'dup-'))
    const paths = await writeTree(root, { 'a.txt': Buffer.from('a') })
    actAsRun(fake.seedRun({ status: 'in_progress' }).id)
    await client.uploadArtifact('dup', paths, root)
    await expect(client.uploadArtifact('dup', paths, root)).rejects.toThrow(
      /\(409\).*an artifact with this name already exists on the workflow run/
    )
    expect(
      fake.requests.filter((r) => r.operation === 'twirp/CreateArtifact').map((r) => r.status)
    ).toEqual([200, 409])
  })

  test('an expired artifact is listed as expired and its zip is 410', async () => {
    const run = fake.seedRun({ id: 77 })
    const a = fake.seedArtifact(77, 'bench-results', { 'summary.json': '{}' }, { expired: true })
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner,
      repo,
      run_id: run.id
    })
    expect(data.artifacts).toEqual([expect.objectContaining({ id: a.id, expired: true })])
    const findBy = {
      token: FAKE_TOKENS.github,
      workflowRunId: 77,
      repositoryOwner: owner,
      repositoryName: repo
    }
    const client = new artifactLib.DefaultArtifactClient()
    await expect(
      client.downloadArtifact(a.id, { path: path.join(tmp, 'expired'), findBy })
    ).rejects.toMatchObject({
      status: 410,
      message: expect.stringContaining('Artifact has expired')
    })
  })

  test('a seeded artifact downloads cross-run like an uploaded one', async () => {
    fake.seedRun({ id: 90 })
    const a = fake.seedArtifact(90, 'bench-results', {
      'summary.json': '{"ok":true}',
      'deep/x.bin': new Uint8Array([0, 1, 2])
    })
    const client = new artifactLib.DefaultArtifactClient()
    const out = path.join(tmp, 'seeded')
    const findBy = {
      token: FAKE_TOKENS.github,
      workflowRunId: 90,
      repositoryOwner: owner,
      repositoryName: repo
    }
    const res = await client.downloadArtifact(a.id, {
      path: out,
      findBy,
      expectedHash: a.digest ?? ''
    })
    expect(res.digestMismatch).toBe(false)
    expect(await readFile(path.join(out, 'summary.json'), 'utf8')).toBe('{"ok":true}')
    expect([...(await readFile(path.join(out, 'deep/x.bin')))]).toEqual([0, 1, 2])
  })

  test('a 500 on the artifact list is retried by @actions/artifact (the one test that waits ~1 s)', async () => {
    fake.seedRun({ id: 91 })
    fake.seedArtifact(91, 'bench-results', { 'a.txt': 'a' })
    const fault = fake.fail({
      method: 'GET',
      path: `/repos/${owner}/${repo}/actions/runs/91/artifacts`,
      status: 500,
      times: 1
    })
    const client = new artifactLib.DefaultArtifactClient()
    const findBy = {
      token: FAKE_TOKENS.github,
      workflowRunId: 91,
      repositoryOwner: owner,
      repositoryName: repo
    }
    await expect(client.getArtifact('bench-results', { findBy })).resolves.toMatchObject({
      artifact: { name: 'bench-results' }
    })
    expect(fault.hits).toBe(1)
    expect(
      fake.requests
        .filter((r) => r.operation === 'actions/list-workflow-run-artifacts')
        .map((r) => r.status)
    ).toEqual([500, 200])
  }, 10_000)

  test('a Twirp call with a token the fake did not sign is 401 and recorded', async () => {
    const b64u = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
    fake.seedRun({ id: 41, status: 'in_progress' })
    process.env.ACTIONS_RUNTIME_TOKEN = `${b64u({ alg: 'HS256', typ: 'JWT' })}.${b64u({ scp: 'Actions.Results:41:job-a' })}.c2ln`
    const client = new artifactLib.DefaultArtifactClient()
    await expect(client.listArtifacts()).rejects.toThrow(/\(401\)/)
    expect(fake.violations.map((v) => v.message)).toEqual([
      expect.stringContaining('signature is invalid')
    ])
    fake.violations.splice(0)
  })
})

describe('runAction', () => {
  const actionYml = `name: throwaway
description: test action
inputs:
  github-token:
    description: token
    default: \${{ github.token }}
  bench-name:
    description: |
      the name
      of the bench
    required: true
  fail on regression:
    default: 'true'
  notes:
    default: |
      line one
      line two
runs:
  using: node24
  main: dist/index.js
`
  const script = `import * as core from '@actions/core'
import * as github from '@actions/github'
import { DefaultArtifactClient } from '@actions/artifact'
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs'
import path from 'node:path'

const mode = core.getInput('mode')
const name = core.getInput('bench-name', { required: true })
const octokit = github.getOctokit(core.getInput('github-token'))
const { owner, repo } = github.context.repo
const client = new DefaultArtifactClient()
if (mode === 'upload') {
  const dir = path.join(process.env.RUNNER_TEMP, 'out')
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'result.json'), JSON.stringify({ name, ns: 1200 }))
  const up = await client.uploadArtifact('bench-baseline', [path.join(dir, 'result.json')], dir)
  core.setOutput('artifact-id', String(up.id))
} else {
  const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, { owner, repo, workflow_id: 'bench.yml', branch: github.context.payload.pull_request.base.ref, event: 'push', status: 'success' })
  const run = runs.find((r) => r.head_repository.full_name === owner + '/' + repo)
  const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({ owner, repo, run_id: run.id, name: 'bench-baseline' })
  const dir = path.join(process.env.RUNNER_TEMP, 'baseline')
  await client.downloadArtifact(data.artifacts[0].id, { path: dir, findBy: { token: core.getInput('github-token'), workflowRunId: run.id, repositoryOwner: owner, repositoryName: repo } })
  core.setOutput('baseline', readFileSync(path.join(dir, 'result.json'), 'utf8'))
  await octokit.rest.issues.createComment({ ...github.context.repo, issue_number: github.context.issue.number, body: '<!-- nsys-bench:default -->\\nreport' })
}
core.setOutput('report', 'line1\\nline2 for ' + name)
core.setOutput('flags', core.getInput('fail on regression') + '|' + core.getInput('notes'))
core.setSecret('s3cr3t-value')
core.debug('debug line')
core.warning('slower by 5%\\nsee table: a,b', { title: 'Regression: gemm, 5%' })
core.notice('plain notice')
core.error('bad kernel', { file: 'src/gemm.cu', startLine: 3, endLine: 4 })
core.exportVariable('FOO', 'bar\\nbaz')
core.saveState('k', 'v')
core.addPath('/opt/nsys/bin')
await core.summary.addHeading('Bench ' + name).addRaw('ok').write()
console.log('CONTEXT ' + JSON.stringify({
  event: github.context.eventName, issue: github.context.issue, runId: github.context.runId, apiUrl: github.context.apiUrl,
  leaked: Object.keys(process.env).filter((k) => /^(VITEST|npm_)/.test(k) || k === 'GITHUB_TOKEN'),
  baseRef: process.env.GITHUB_BASE_REF, headRef: process.env.GITHUB_HEAD_REF, ref: process.env.GITHUB_REF,
  workflowRef: process.env.GITHUB_WORKFLOW_REF, token: core.getInput('github-token'), mode
}))
`
  let actionDir: string

  beforeAll(async () => {
    actionDir = await mkdtemp(path.join(tmpdir(), 'throwaway-action-'))
    await mkdir(path.join(actionDir, 'dist'))
    await writeFile(path.join(actionDir, 'package.json'), '{"type":"module"}')
    await writeFile(path.join(actionDir, 'action.yml'), actionYml)
    await writeFile(path.join(actionDir, 'dist/index.js'), script)
    // let the throwaway action resolve the repo's @actions/* packages
    await symlink(path.resolve('node_modules'), path.join(actionDir, 'node_modules'), 'dir')
  })
  afterAll(async () => {
    await rm(actionDir, { recursive: true, force: true })
  })

  test('runs a node action with the runner environment; push uploads, a PR run finds and downloads the baseline', async () => {
    const scriptPath = path.join(actionDir, 'dist/index.js')
    const push = await runAction({
      script: scriptPath,
      fake,
      inputs: { mode: 'upload', 'bench-name': 'llama' },
      event: { name: 'push', payload: { ref: 'refs/heads/main', after: 'c'.repeat(40) } }
    })
    expect(push.stderr).toBe('')
    expect(push.code).toBe(0)
    expect(push.outputs['artifact-id']).toMatch(/^\d+$/)
    expect(fake.runs().find((r) => r.id === push.runId)).toMatchObject({
      event: 'push',
      headBranch: 'main',
      headSha: 'c'.repeat(40),
      status: 'completed',
      conclusion: 'success'
    })
    const baseline = fake.artifactFiles('bench-baseline', { runId: push.runId })['result.json']
    expect(Buffer.from(baseline ?? []).toString('utf8')).toBe('{"name":"llama","ns":1200}')

    const pr = await runAction({
      script: scriptPath,
      fake,
      inputs: { mode: 'download', 'bench-name': 'llama' },
      event: {
        name: 'pull_request',
        payload: {
          action: 'synchronize',
          number: 7,
          pull_request: {
            number: 7,
            head: { ref: 'feature', sha: 'd'.repeat(40), repo: { full_name: fake.fullName } },
            base: { ref: 'main', sha: 'c'.repeat(40) }
          }
        }
      }
    })
    expect(pr.stderr).toBe('')
    expect(pr.code).toBe(0)
    console.info(
      `runAction: push ${push.durationMs.toFixed(0)} ms, pull_request ${pr.durationMs.toFixed(0)} ms`
    )
    expect(pr.outputs.baseline).toBe('{"name":"llama","ns":1200}')
    expect(pr.outputs.report).toBe('line1\nline2 for llama')
    // action.yml defaults applied like the runner: quoted scalar, block scalar, ${{ github.token }}
    expect(pr.outputs.flags).toBe('true|line one\nline two')
    expect(pr.env['INPUT_FAIL_ON_REGRESSION']).toBe('true')
    expect(pr.env['INPUT_GITHUB-TOKEN']).toBe(fake.token)
    expect(pr.annotations).toEqual([
      { level: 'warning', message: 'slower by 5%\nsee table: a,b', title: 'Regression: gemm, 5%' },
      { level: 'notice', message: 'plain notice' },
      { level: 'error', message: 'bad kernel', file: 'src/gemm.cu', line: 3, endLine: 4 }
    ])
    expect(pr.masks).toEqual(['s3cr3t-value'])
    expect(pr.debug).toContain('debug line')
    expect(pr.summary).toBe('<h1>Bench llama</h1>\nok')
    expect(pr.exportedEnv).toEqual({ FOO: 'bar\nbaz' })
    expect(pr.state).toEqual({ k: 'v' })
    expect(pr.addedPaths).toEqual(['/opt/nsys/bin'])
    const line = pr.stdout.split('\n').find((l) => l.startsWith('CONTEXT '))
    expect(JSON.parse(line?.slice('CONTEXT '.length) ?? '{}')).toEqual({
      event: 'pull_request',
      issue: { owner, repo, number: 7 },
      runId: pr.runId,
      apiUrl: fake.url,
      leaked: [],
      baseRef: 'main',
      headRef: 'feature',
      ref: 'refs/pull/7/merge',
      workflowRef: `${owner}/${repo}/.github/workflows/bench.yml@refs/pull/7/merge`,
      token: fake.token,
      mode: 'download'
    })
    expect(fake.comments(7).map((c) => [c.user.login, c.body])).toEqual([
      ['github-actions[bot]', '<!-- nsys-bench:default -->\nreport']
    ])
    expect(fake.runs().find((r) => r.id === pr.runId)).toMatchObject({
      event: 'pull_request',
      headBranch: 'feature',
      headSha: 'd'.repeat(40),
      pullRequests: [7]
    })
  }, 30_000)

  test('a failing action: exit code 1 and the ::error:: annotation', async () => {
    const dir = await mkdtemp(path.join(actionDir, 'fail-'))
    await writeFile(
      path.join(dir, 'index.mjs'),
      `import * as core from '@actions/core'\ncore.setOutput('partial', 'yes')\ncore.setFailed('boom: 100%')\n`
    )
    const res = await runAction({
      script: path.join(dir, 'index.mjs'),
      fake,
      actionYml: false,
      event: { name: 'workflow_dispatch', payload: {} }
    })
    expect(res.code).toBe(1)
    expect(res.outputs).toEqual({ partial: 'yes' })
    expect(res.annotations).toEqual([{ level: 'error', message: 'boom: 100%' }])
    expect(fake.runs().find((r) => r.id === res.runId)).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      event: 'workflow_dispatch'
    })
  })
})

describe('Twirp and blob protocol, by hand', () => {
  test('blocks staged out of order are committed in block-list order; bad SAS and missing blocks are refused', async () => {
    const run = fake.seedRun({ status: 'in_progress' })
    const token = fake.runtimeToken({ runId: run.id })
    const ids = {
      workflow_run_backend_id: run.backendId,
      workflow_job_run_backend_id: fake.jobBackendId(run.id)
    }
    const twirp = async (
      method: string,
      body: object
    ): Promise<{ status: number; json: Record<string, string> }> => {
      const res = await fetch(
        `${fake.url}/twirp/github.actions.results.api.v1.ArtifactService/${method}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body)
        }
      )
      return { status: res.status, json: (await res.json()) as Record<string, string> }
    }
    const created = await twirp('CreateArtifact', { ...ids, name: 'raw', version: 7 })
    expect(created.json).toMatchObject({ ok: true })
    const upload = created.json.signed_upload_url ?? ''
    expect(new URL(upload).pathname).toMatch(/^\/devstoreaccount1\/actions-results\/.+\.zip$/)
    const put = (url: string, body: string): Promise<Response> =>
      fetch(url, { method: 'PUT', body })
    const idA = Buffer.from('block-000').toString('base64')
    const idB = Buffer.from('block-001').toString('base64')
    const block = (id: string): string => `${upload}&comp=block&blockid=${encodeURIComponent(id)}`
    expect((await put(block(idB), 'BBB')).status).toBe(201)
    expect((await put(block(idA), 'AAA')).status).toBe(201)

    // refused: a forged signature, reading with the write-only upload URL, a block never staged
    expect((await put(block(idA).replace(/sig=[^&]+/, 'sig=forged'), 'x')).status).toBe(403)
    expect((await fetch(upload)).status).toBe(403)
    const missing = Buffer.from('block-009').toString('base64')
    const listOf = (...xs: string[]): string =>
      `<?xml version="1.0" encoding="utf-8"?><BlockList>${xs.map((x) => `<Latest>${x}</Latest>`).join('')}</BlockList>`
    expect((await put(`${upload}&comp=blocklist`, listOf(idA, missing))).status).toBe(400)
    expect(fake.violations.map((v) => v.message)).toEqual([
      'blob AuthenticationFailed: Signature did not match',
      expect.stringContaining('blob AuthorizationPermissionMismatch'),
      expect.stringContaining('blob InvalidBlockList')
    ])
    fake.violations.splice(0)

    expect((await put(`${upload}&comp=blocklist`, listOf(idA, idB))).status).toBe(201)
    const hash = `sha256:${createHash('sha256').update('AAABBB').digest('hex')}`
    const finalized = await twirp('FinalizeArtifact', { ...ids, name: 'raw', size: '6', hash })
    expect(finalized.json).toMatchObject({ ok: true, artifact_id: expect.stringMatching(/^\d+$/) })
    expect(Buffer.from(fake.artifactZip('raw')).toString()).toBe('AAABBB')
    const listed = await twirp('ListArtifacts', { ...ids, name_filter: 'raw' })
    expect(listed.json).toMatchObject({
      artifacts: [{ name: 'raw', size: '6', digest: hash, database_id: finalized.json.artifact_id }]
    })
    const signed = await twirp('GetSignedArtifactURL', { ...ids, name: 'raw' })
    const got = await fetch(signed.json.signed_url ?? '')
    expect(got.status).toBe(200)
    expect(await got.text()).toBe('AAABBB')

    // Twirp errors are JSON too, and a wrong field type is a protocol violation
    const dup = await twirp('CreateArtifact', { ...ids, name: 'raw' })
    expect(dup).toEqual({
      status: 409,
      json: {
        code: 'already_exists',
        msg: 'an artifact with this name already exists on the workflow run'
      }
    })
    const bad = await twirp('FinalizeArtifact', { ...ids, name: 'raw', size: 'six' })
    expect(bad).toMatchObject({ status: 400, json: { code: 'malformed' } })
    expect(fake.violations).toEqual([
      expect.objectContaining({
        kind: 'protocol',
        message: expect.stringContaining("field 'size' is not a valid int64")
      })
    ])
    fake.violations.splice(0)
  })

  test("a job reads another job's artifact of its run by that job's ids, and writes only under its own", async () => {
    const run = fake.seedRun({ status: 'in_progress' })
    const other = fake.seedRun({ status: 'in_progress' })
    const seeded = fake.seedArtifact(run.id, 'nsys-bench-results-h100', { 'results.json': '{}' })
    const job = fake.jobBackendId(run.id, 'aggregate')
    expect(job).not.toBe(fake.jobBackendId(run.id))
    const token = fake.runtimeToken({ runId: run.id, jobBackendId: job })
    type Reply = { artifacts?: unknown[]; signed_url?: string }
    const twirp = async (
      method: string,
      body: object
    ): Promise<{ status: number; json: Reply }> => {
      const res = await fetch(
        `${fake.url}/twirp/github.actions.results.api.v1.ArtifactService/${method}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body)
        }
      )
      return { status: res.status, json: (await res.json()) as Reply }
    }
    const own = { workflow_run_backend_id: run.backendId, workflow_job_run_backend_id: job }
    // Listing with its own ids shows every job's artifacts of the run, with the uploader's ids.
    const listed = await twirp('ListArtifacts', own)
    expect(listed.json.artifacts).toEqual([
      expect.objectContaining({
        name: 'nsys-bench-results-h100',
        database_id: String(seeded.id),
        workflow_run_backend_id: run.backendId,
        workflow_job_run_backend_id: fake.jobBackendId(run.id)
      })
    ])
    const uploader = {
      workflow_run_backend_id: run.backendId,
      workflow_job_run_backend_id: fake.jobBackendId(run.id)
    }
    const signed = await twirp('GetSignedArtifactURL', {
      ...uploader,
      name: 'nsys-bench-results-h100'
    })
    expect(signed.status).toBe(200)
    expect((await fetch(signed.json.signed_url ?? '')).status).toBe(200)
    // Its own job has no artifact of that name; another run is not its to read; it cannot
    // upload in another job's name.
    expect(
      (await twirp('GetSignedArtifactURL', { ...own, name: 'nsys-bench-results-h100' })).status
    ).toBe(404)
    const foreign = await twirp('GetSignedArtifactURL', {
      workflow_run_backend_id: other.backendId,
      workflow_job_run_backend_id: fake.jobBackendId(other.id),
      name: 'nsys-bench-results-h100'
    })
    expect(foreign.status).toBe(403)
    expect((await twirp('CreateArtifact', { ...uploader, name: 'x', version: 7 })).status).toBe(403)
    expect(fake.violations.map((v) => v.message)).toEqual([
      expect.stringMatching(/^Twirp GetSignedArtifactURL: backend ids .* differ from the token's/),
      expect.stringMatching(/^Twirp CreateArtifact: backend ids .* differ from the token's/)
    ])
    fake.violations.splice(0)
  })
})
