/**
 * The action in-process (`run(deps)` from src/main.ts) against the loopback GitHub fake of the
 * e2e tests (its REST API validated against GitHub's OpenAPI description), with an in-memory
 * artifact client that serves the fake's artifacts: one harness for the tests of the baseline
 * lookup and the workflow_run modes.
 *
 *   const h = await startActionHarness('nsys-bench-told-')        // beforeAll
 *   h.fake.seedRun(…); h.fake.seedArtifact(…)
 *   const r = await h.runStep({ inputs, event, runId: 900_001 })
 *   r.core.outputs.verdict; r.summary; r.said; r.artifacts.downloads
 *   await h.close()                                                 // afterAll
 *
 * Nothing here reaches the network: the fake listens on loopback, and the artifact client reads
 * the fake's store directly.
 */
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
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
import { parse as parseYaml } from 'yaml'
import { run, type Deps } from '../../src/main.js'
import { RecordingCore } from './recording-core.js'
import { ROOT } from './paths.js'
import {
  FAKE_TOKENS,
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubOptions
} from '../e2e/fakes/github.js'

export interface FakeArtifactsOptions {
  /**
   * The run whose (unexpired) artifacts `listArtifacts` lists, as the client lists the artifacts
   * of the run it is in; none: it lists nothing.
   */
  listRun?: number
  /**
   * Artifact ids whose download arrives with other bytes than the ones stored, without an error
   * (a transfer that went wrong): each file's content is `damagedContent`, and the digest is not
   * the listed one.
   */
  damaged?: ReadonlySet<number>
  /** What the files of a damaged download hold. */
  damagedContent?: string
  /** Artifact ids whose download throws, with the message the client's error gives. */
  failing?: ReadonlyMap<number, string>
  /** `accept`: uploads succeed (recorded); `refuse` (the default): no upload is expected. */
  upload?: 'accept' | 'refuse'
}

/**
 * The artifact client, in memory: it downloads any of the fake's artifacts by id as
 * @actions/artifact 6 does for another run (`findBy`): the files unzipped into the path, and
 * `digestMismatch` true only when an `expectedHash` was given and the bytes do not match it.
 */
export class FakeArtifacts implements ArtifactClient {
  /** Every download asked for, in order. */
  readonly downloads: {
    id: number
    path: string
    expectedHash?: string
    workflowRunId?: number
  }[] = []
  /** The `expectedHash` of each download, in order. */
  readonly hashes: (string | undefined)[] = []
  readonly uploads: { name: string; files: string[] }[] = []

  constructor(
    private readonly fake: FakeGitHub,
    private readonly o: FakeArtifactsOptions = {}
  ) {}

  async downloadArtifact(
    artifactId: number,
    options?: { path?: string; expectedHash?: string; findBy?: { workflowRunId: number } }
  ): Promise<DownloadArtifactResponse> {
    const path = options?.path
    if (!path) throw new Error('fake artifacts: no path')
    const expected = options?.expectedHash
    this.hashes.push(expected)
    this.downloads.push({
      id: artifactId,
      path,
      ...(expected === undefined ? {} : { expectedHash: expected }),
      ...(options?.findBy ? { workflowRunId: options.findBy.workflowRunId } : {})
    })
    const failure = this.o.failing?.get(artifactId)
    if (failure !== undefined) throw new Error(failure)
    let zip = Buffer.from(this.fake.artifactZip(artifactId))
    let files: Record<string, Uint8Array> = this.fake.artifactFiles(artifactId)
    if (this.o.damaged?.has(artifactId)) {
      zip = Buffer.concat([zip, Buffer.from('!')])
      const content = Buffer.from(this.o.damagedContent ?? '')
      files = Object.fromEntries(Object.keys(files).map((name) => [name, content]))
    }
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(path, name)), { recursive: true })
      await writeFile(join(path, name), content)
    }
    const digest = `sha256:${createHash('sha256').update(zip).digest('hex')}`
    return { downloadPath: path, digestMismatch: expected !== undefined && expected !== digest }
  }

  listArtifacts(): Promise<ListArtifactsResponse> {
    const runId = this.o.listRun
    if (runId === undefined) return Promise.resolve({ artifacts: [] })
    return Promise.resolve({
      artifacts: this.fake
        .artifacts()
        .filter((a) => a.runId === runId && !a.expired)
        .map((a) => ({ id: a.id, name: a.name, size: a.size, createdAt: new Date(a.createdAt) }))
    })
  }

  uploadArtifact(name: string, files: string[]): Promise<UploadArtifactResponse> {
    if (this.o.upload !== 'accept')
      return Promise.reject(new Error('fake artifacts: no upload expected'))
    this.uploads.push({ name, files })
    return Promise.resolve({ id: this.uploads.length, size: 1 })
  }
  getArtifact(): Promise<GetArtifactResponse> {
    return Promise.reject(new Error('fake artifacts: getArtifact not expected'))
  }
  deleteArtifact(): Promise<DeleteArtifactResponse> {
    return Promise.reject(new Error('fake artifacts: deleteArtifact not expected'))
  }
}

export interface StepOptions {
  inputs: Record<string, string>
  event: { name: string; payload: object }
  /** GITHUB_RUN_ID: this step's run. */
  runId: number
  /** The workflow file of this run (GITHUB_WORKFLOW_REF); default `bench.yml`. */
  workflow?: string
  /** Files written into the workspace first (path → content). */
  files?: Record<string, string>
  /** More of the runner's environment (GITHUB_REF, …). */
  env?: Record<string, string>
  /** The artifact client's behaviour (one client for the whole step). */
  artifacts?: FakeArtifactsOptions
  /** How a child process is run; default: every command is missing (ENOENT). */
  runProcess?: Deps['runProcess']
  /** Pull requests whose comments count as said (for `said`). */
  pulls?: readonly number[]
}

export interface StepOutcome {
  core: RecordingCore
  /** Each job summary written, in order. */
  summaries: string[]
  /** The job summaries, joined. */
  summary: string
  artifacts: FakeArtifacts
  /**
   * Everything the step said: failures, log lines, annotations, summaries, outputs, and the
   * comments of `pulls` (to check that no token is ever among them).
   */
  said: string
}

export interface ActionHarness {
  fake: FakeGitHub
  /** The action's input defaults from action.yml (those that are not expressions). */
  defaults: Record<string, string>
  runStep(o: StepOptions): Promise<StepOutcome>
  close(): Promise<void>
}

/** The defaults action.yml gives its inputs, leaving out `${{ … }}` expressions. */
export async function actionDefaults(): Promise<Record<string, string>> {
  const yml = parseYaml(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(yml.inputs))
    if (input.default !== undefined && !input.default.includes('${{'))
      defaults[name] = input.default
  return defaults
}

/**
 * Starts the fake and a temporary root for the steps' workspaces. Each step's inputs are the
 * given ones over `github-token` (the fake's token); pass `harness.defaults` in for action.yml's
 * defaults.
 */
export async function startActionHarness(
  prefix: string,
  fakeOptions: FakeGitHubOptions = {}
): Promise<ActionHarness> {
  const [fake, root, defaults] = await Promise.all([
    startFakeGitHub(fakeOptions),
    mkdtemp(join(tmpdir(), prefix)),
    actionDefaults()
  ])
  let cases = 0

  const runStep = async (o: StepOptions): Promise<StepOutcome> => {
    const dir = join(root, `case-${++cases}`)
    const workspace = join(dir, 'workspace')
    const temp = join(dir, 'temp')
    await mkdir(workspace, { recursive: true })
    await mkdir(temp, { recursive: true })
    for (const [name, content] of Object.entries(o.files ?? {})) {
      await mkdir(dirname(join(workspace, name)), { recursive: true })
      await writeFile(join(workspace, name), content)
    }
    const eventPath = join(dir, 'event.json')
    await writeFile(eventPath, JSON.stringify(o.event.payload))
    const core = new RecordingCore({ 'github-token': FAKE_TOKENS.github, ...o.inputs })
    const artifacts = new FakeArtifacts(fake, o.artifacts)
    const summaries: string[] = []
    await run({
      core,
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: fake.fullName,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: fake.url,
        GITHUB_RUN_ID: String(o.runId),
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_SHA: 'c'.repeat(40),
        GITHUB_WORKFLOW_REF: `${fake.fullName}/.github/workflows/${o.workflow ?? 'bench.yml'}@refs/heads/main`,
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: temp,
        GITHUB_EVENT_NAME: o.event.name,
        GITHUB_EVENT_PATH: eventPath,
        ...o.env
      },
      runProcess:
        o.runProcess ??
        ((command) =>
          Promise.reject(Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' }))),
      octokit: (token) => getOctokit(token, { baseUrl: fake.url }),
      artifacts: () => artifacts,
      writeSummary: (markdown) => {
        summaries.push(markdown)
        return Promise.resolve()
      }
    })
    const said = [
      ...core.failures,
      ...core.infos,
      ...core.debugs,
      ...core.warnings.map((w) => w.message),
      ...core.notices.map((n) => n.message),
      ...summaries,
      ...Object.values(core.outputs),
      ...(o.pulls ?? []).flatMap((n) => fake.comments(n).map((c) => c.body))
    ].join('\n')
    return { core, summaries, summary: summaries.join('\n'), artifacts, said }
  }

  return {
    fake,
    defaults,
    runStep,
    close: async () => {
      await fake.close()
      await rm(root, { recursive: true, force: true })
    }
  }
}

/**
 * A fork's pull request run of the benchmark (`pull_request`, completed, failed) whose
 * `nsys-bench-results` artifact holds results that name no baseline and one head profile, and
 * the pull request itself (number 12, from `headRepo`'s `feature` into `main`): what comment mode
 * is started for by its workflow_run event. Returns the run's id.
 */
export function seedPullRequestRun(
  fake: FakeGitHub,
  o: { headSha: string; headRepo: string; headProfile: string }
): number {
  const prRun = fake.seedRun({
    event: 'pull_request',
    status: 'completed',
    conclusion: 'failure',
    headSha: o.headSha,
    headBranch: 'feature',
    headRepoFullName: o.headRepo
  })
  fake.seedArtifact(prRun.id, 'nsys-bench-results', {
    'results.json': JSON.stringify({
      kind: 'nsys-bench/results',
      schemaVersion: 3,
      commentId: 'default',
      name: '',
      pullRequest: 12,
      headSha: o.headSha
    }),
    'head/run-1.json': o.headProfile
  })
  fake.seedPull({
    number: 12,
    headSha: o.headSha,
    headRef: 'feature',
    headRepoFullName: o.headRepo,
    baseRef: 'main'
  })
  return prRun.id
}
