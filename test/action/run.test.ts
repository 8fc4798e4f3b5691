/**
 * `run(deps)` in-process: every collaborator is a fake of this file (a recording `core`, an
 * in-memory ArtifactClient, a `runProcess` that refuses everything but the nvidia-smi probe, a
 * recorded job summary) except the REST API, which is the loopback GitHub fake of the e2e tests
 * (validated against GitHub's OpenAPI description), reached through @actions/github's Octokit.
 *
 * The head and the baseline are profile JSONs written by the test, so no nsys is needed and the
 * verdicts follow from the numbers below: the base spends 10 ms in three kernels; the default
 * limits are 5 % and 0.1 % of the base's kernel time (10 µs).
 *
 * A behaviour that contradicts the README or action.yml gets a test marked `it.fails` with an
 * `// ACTION BUG: …` comment until it is fixed: the assertion is the correct expectation.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, relative } from 'node:path'
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
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { RunProcess } from '../../src/action/process.js'
import { run } from '../../src/main.js'
import { RecordingCore, type Annotation } from '../support/recording-core.js'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../e2e/fakes/github.js'
import { ROOT } from '../support/paths.js'

// ---------------------------------------------------------------------------------------------
// Profiles

/** name → total ns (10 instances), or [total ns, instances]. */
type Rows = Record<string, number | [number, number]>

interface ProfileSpec {
  /** null: no kernels report at all; {}: the report ran and found no data. */
  kernels?: Rows | null
  cudaApi?: Rows
  gpu?: string | null
  nsys?: string
  naming?: 'demangled' | 'base' | 'mangled' | 'nvtx-name'
  notes?: { code: string; severity: 'error' | 'warning' | 'info'; message: string }[]
}

const H100 = 'NVIDIA H100 80GB HBM3'
const A100 = 'NVIDIA A100-SXM4-80GB'
const INSTANCES = 10

/** The base: 10 ms of GPU kernel time. */
const BASE: Rows = { gemmKernel: 8_000_000, flashAttnKernel: 1_500_000, rmsNormKernel: 500_000 }

/** BASE with some kernels' totals scaled. */
function scaled(factors: Record<string, number>): Rows {
  return Object.fromEntries(
    Object.entries(BASE).map(([name, total]) => [
      name,
      Math.round((typeof total === 'number' ? total : total[0]) * (factors[name] ?? 1))
    ])
  )
}

function table(rows: Rows): object {
  return {
    unit: 'ns',
    rows: Object.fromEntries(
      Object.entries(rows).map(([name, value]) => {
        const [total, instances] = typeof value === 'number' ? [value, INSTANCES] : value
        const avg = total / instances
        return [
          name,
          { name, totalNs: total, instances, avgNs: avg, minNs: avg, maxNs: avg, medNs: avg }
        ]
      })
    )
  }
}

/** A profile JSON (schema version 2), as the action's own baseline artifact holds. */
function profileJson(spec: ProfileSpec = {}): string {
  const kernels = spec.kernels === undefined ? BASE : spec.kernels
  const tables: Record<string, object> = {}
  const reports: Record<string, string> = {}
  if (kernels !== null) {
    tables.kernels = table(kernels)
    reports.kernels = 'cuda_gpu_kern_sum'
  }
  if (spec.cudaApi) {
    tables.cudaApi = table(spec.cudaApi)
    reports.cudaApi = 'cuda_api_sum'
  }
  const gpu = spec.gpu === undefined ? H100 : spec.gpu
  return `${JSON.stringify(
    {
      schemaVersion: 2,
      kind: 'nsys-bench/profile',
      meta: {
        tool: { name: 'nsys-bench', version: '0.1.0' },
        profiler: { name: 'nsys', version: spec.nsys ?? '2023.4.4.54' },
        sources: ['run-1_cuda_gpu_kern_sum.csv'],
        reports,
        kernelNaming: spec.naming ?? 'demangled',
        notes: spec.notes ?? [],
        ...(gpu === null ? {} : { gpus: [{ name: gpu, driver: '550.54.15', cuda: '12.4' }] })
      },
      tables
    },
    null,
    2
  )}\n`
}

// ---------------------------------------------------------------------------------------------
// Fakes of the collaborators

interface Upload {
  name: string
  /** path relative to the root directory → content */
  files: Record<string, string>
  retentionDays?: number
}

/**
 * An in-memory ArtifactClient: uploads are read from disk and recorded (a second artifact of one
 * name in a run is refused with 409, as the Results service does); downloads are served from
 * `served` (artifact id → files), written under the requested path.
 */
class FakeArtifacts implements ArtifactClient {
  readonly uploads: Upload[] = []
  readonly downloads: { id: number; path: string; workflowRunId?: number }[] = []
  readonly served = new Map<number, Record<string, string>>()
  readonly unexpected: string[] = []
  /** every upload is refused with this error */
  failUploads: string | undefined
  private nextId = 9000

  async uploadArtifact(
    name: string,
    files: string[],
    rootDirectory: string,
    options?: { retentionDays?: number }
  ): Promise<UploadArtifactResponse> {
    if (this.failUploads) throw new Error(this.failUploads)
    if (this.uploads.some((u) => u.name === name))
      throw new Error(
        `Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run`
      )
    const read: Record<string, string> = {}
    for (const file of files) {
      const path = isAbsolute(file) ? file : join(rootDirectory, file)
      read[relative(rootDirectory, path)] = await readFile(path, 'utf8')
    }
    this.uploads.push({
      name,
      files: read,
      ...(options?.retentionDays === undefined ? {} : { retentionDays: options.retentionDays })
    })
    return { id: this.nextId++, size: Object.values(read).join('').length }
  }

  async downloadArtifact(
    artifactId: number,
    options?: { path?: string; findBy?: { workflowRunId: number } }
  ): Promise<DownloadArtifactResponse> {
    const files = this.served.get(artifactId)
    const path = options?.path
    if (!files || !path) throw new Error(`fake artifacts: no artifact ${artifactId} to download`)
    this.downloads.push({
      id: artifactId,
      path,
      ...(options.findBy ? { workflowRunId: options.findBy.workflowRunId } : {})
    })
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(path, name)), { recursive: true })
      await writeFile(join(path, name), content)
    }
    return { downloadPath: path }
  }

  listArtifacts(): Promise<ListArtifactsResponse> {
    return this.refuse('listArtifacts')
  }
  getArtifact(): Promise<GetArtifactResponse> {
    return this.refuse('getArtifact')
  }
  deleteArtifact(): Promise<DeleteArtifactResponse> {
    return this.refuse('deleteArtifact')
  }
  private refuse(what: string): Promise<never> {
    this.unexpected.push(what)
    return Promise.reject(new Error(`fake artifacts: ${what} was not expected`))
  }

  files(name: string): Record<string, string> | undefined {
    return this.uploads.find((u) => u.name === name)?.files
  }
}

// ---------------------------------------------------------------------------------------------
// Running the action

const OWNER_REPO = 'octo-org/llm-serve'
const MARKER = '<!-- nsys-bench:default -->'
const PR = 7
const HEAD_SHA = 'a1b2c3d4'.padEnd(40, '0')
const MERGE_SHA = 'fe'.repeat(20)
const RUN_ID = 900_001
const ACCEPT = 'nsys-bench:accept-regression'

interface EventSpec {
  name: string
  /** the payload file's text, as is (invalid payloads) */
  raw?: string
  payload?: object
}

function prEvent(
  o: { number?: number; headSha?: string; labels?: string[]; headRepo?: string } = {}
): EventSpec {
  const number = o.number ?? PR
  const headRepo = o.headRepo ?? OWNER_REPO
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        head: {
          ref: 'feature',
          sha: o.headSha ?? HEAD_SHA,
          repo: { full_name: headRepo, fork: headRepo !== OWNER_REPO }
        },
        base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: OWNER_REPO } },
        labels: (o.labels ?? []).map((name, i) => ({ id: i + 1, name, color: 'ededed' }))
      },
      repository: { full_name: OWNER_REPO, default_branch: 'main' }
    }
  }
}

function pushEvent(): EventSpec {
  return {
    name: 'push',
    payload: {
      ref: 'refs/heads/main',
      after: MERGE_SHA,
      repository: { full_name: OWNER_REPO, default_branch: 'main' }
    }
  }
}

/** The defaults of action.yml, as the runner fills them in for inputs a workflow does not set. */
async function actionDefaults(): Promise<Record<string, string>> {
  const yml = parseYaml(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  const out: Record<string, string> = {}
  for (const [name, input] of Object.entries(yml.inputs))
    if (input.default !== undefined && !input.default.includes('${{')) out[name] = input.default
  return out
}

interface RunOptions {
  inputs?: Record<string, string>
  event?: EventSpec | null
  /** files written into the workspace (relative path → content) */
  files?: Record<string, string>
  /** github-token (default FAKE_TOKENS.github) */
  token?: string
  /** added to (undefined: removed from) the environment */
  env?: Record<string, string | undefined>
  /** a workspace to use (a second run of one job) */
  workspace?: string
  /** writeSummary rejects with this error */
  summaryFails?: string
  /** the GPU line `nvidia-smi --query-gpu=… --format=csv,nounits` prints (default: not found) */
  nvidiaSmi?: string
}

interface Result {
  core: RecordingCore
  outputs: Record<string, string>
  failures: string[]
  summaries: string[]
  artifacts: FakeArtifacts
  workspace: string
  runnerTemp: string
  /** the reasons output, parsed */
  reasons: { code: string; severity: string; message: string }[]
}

let fake: FakeGitHub
let root: string
let defaults: Record<string, string>
let artifacts: FakeArtifacts
/** Processes the action started, other than the nvidia-smi probe (there must be none). */
let processes: string[]
let cases = 0

/**
 * nvidia-smi is "not found" (a runner without a GPU), or prints `smi` (its CSV query output);
 * anything else fails the test.
 */
const GPU_HEADER =
  'index, uuid, name, pci.bus_id, driver_version, persistence_mode, mig.mode.current, ecc.mode.current, power.limit [W], clocks.current.sm [MHz], clocks.current.memory [MHz], clocks.max.sm [MHz], clocks.max.memory [MHz], temperature.gpu, power.draw [W]'

const processRunner =
  (smi?: string): RunProcess =>
  (command, args) => {
    if (command === 'nvidia-smi') {
      if (smi === undefined)
        return Promise.reject(
          Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' })
        )
      // As nvidia-smi answers the action's calls (src/action/nvidia-smi.ts): the GPU list, the
      // plain call with the CUDA version, the GPU query (header first), the compute processes.
      const stdout =
        args.length === 0
          ? '| NVIDIA-SMI 550.54.15   CUDA Version: 12.4 |\n'
          : args[0] === '-L'
            ? 'GPU 0: the GPU (UUID: GPU-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b)\n'
            : args[0]?.startsWith('--query-gpu=')
              ? `${GPU_HEADER}\n${smi}`
              : 'gpu_uuid, pid, used_gpu_memory [MiB], process_name\n'
      return Promise.resolve({
        code: 0,
        signal: null,
        timedOut: false,
        stdout,
        stderr: '',
        tail: []
      })
    }
    processes.push([command, ...args].join(' '))
    return Promise.reject(new Error(`the test does not expect the action to run ${command}`))
  }

async function runAction(o: RunOptions = {}): Promise<Result> {
  const dir = join(root, `case-${++cases}`)
  const workspace = o.workspace ?? join(dir, 'workspace')
  const runnerTemp = join(dir, 'runner-temp')
  await mkdir(workspace, { recursive: true })
  await mkdir(runnerTemp, { recursive: true })
  for (const [name, content] of Object.entries(o.files ?? {})) {
    await mkdir(dirname(join(workspace, name)), { recursive: true })
    await writeFile(join(workspace, name), content)
  }
  const event = o.event === undefined ? prEvent() : o.event
  const env: NodeJS.ProcessEnv = {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: OWNER_REPO,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: fake.url,
    GITHUB_RUN_ID: String(RUN_ID),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: event?.name === 'push' ? MERGE_SHA : 'c'.repeat(40),
    GITHUB_REF: event?.name === 'push' ? 'refs/heads/main' : `refs/pull/${PR}/merge`,
    GITHUB_WORKFLOW_REF: `${OWNER_REPO}/.github/workflows/bench.yml@refs/heads/main`,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp
  }
  if (event) {
    const path = join(dir, 'event.json')
    await writeFile(path, event.raw ?? JSON.stringify(event.payload ?? {}))
    env.GITHUB_EVENT_NAME = event.name
    env.GITHUB_EVENT_PATH = path
  }
  for (const [k, v] of Object.entries(o.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  const core = new RecordingCore({
    ...defaults,
    'github-token': o.token ?? FAKE_TOKENS.github,
    ...o.inputs
  })
  const summaries: string[] = []
  await run({
    core,
    env,
    runProcess: processRunner(o.nvidiaSmi),
    octokit: (token) => getOctokit(token, { baseUrl: fake.url }),
    artifacts: () => artifacts,
    writeSummary: (markdown) => {
      if (o.summaryFails) return Promise.reject(new Error(o.summaryFails))
      summaries.push(markdown)
      return Promise.resolve()
    }
  })
  expect(core.openGroups).toBe(0)
  let reasons: Result['reasons'] = []
  if (core.outputs.reasons !== undefined)
    reasons = JSON.parse(core.outputs.reasons) as Result['reasons']
  return {
    core,
    outputs: core.outputs,
    failures: core.failures,
    summaries,
    artifacts,
    workspace,
    runnerTemp,
    reasons
  }
}

/** Seeds a push run on main with a baseline artifact: REST lists it, the fake client serves it. */
function seedBaseline(files: Record<string, string>): { runId: number; headSha: string } {
  const pushRun = fake.seedRun({ event: 'push', headBranch: 'main' })
  const artifact = fake.seedArtifact(pushRun.id, 'nsys-bench-baseline', files)
  artifacts.served.set(artifact.id, files)
  return { runId: pushRun.id, headSha: pushRun.headSha }
}

/** The profile-path/baseline-path inputs and files of a comparison of `head` with `base`. */
function compare(
  head: ProfileSpec,
  base: ProfileSpec = {}
): { inputs: Record<string, string>; files: Record<string, string> } {
  return {
    inputs: { 'profile-path': 'bench/head.json', 'baseline-path': 'bench/base.json' },
    files: { 'bench/head.json': profileJson(head), 'bench/base.json': profileJson(base) }
  }
}

function withInputs(
  spec: { inputs: Record<string, string>; files: Record<string, string> },
  inputs: Record<string, string>
): { inputs: Record<string, string>; files: Record<string, string> } {
  return { files: spec.files, inputs: { ...spec.inputs, ...inputs } }
}

/** A spec whose `rules-file` input names `path`, written with `text`. */
function withRulesFile(
  spec: { inputs: Record<string, string>; files: Record<string, string> },
  text: string,
  path = '.github/nsys-bench.json'
): { inputs: Record<string, string>; files: Record<string, string> } {
  return { inputs: { ...spec.inputs, 'rules-file': path }, files: { ...spec.files, [path]: text } }
}

const PASS = { kernels: scaled({ gemmKernel: 1.01, rmsNormKernel: 0.6 }) }
/** flashAttnKernel +20 % (+300 µs, 3 % of the total: the total stays within its limits). */
const SLOWER = { kernels: scaled({ flashAttnKernel: 1.2 }) }

const requests = (operation: string) => fake.requests.filter((q) => q.operation === operation)
const titles = (list: Annotation[]) => list.map((a) => a.title)

/** The checks every run must pass: one summary (unless said), no stray process or artifact call. */
function expectClean(r: Result, o: { summary?: boolean } = {}): void {
  if (o.summary !== undefined) expect(r.summaries).toHaveLength(o.summary ? 1 : 0)
  else expect(r.summaries).toHaveLength(1)
  expect(processes).toEqual([])
  expect(r.artifacts.unexpected).toEqual([])
  for (const failure of r.failures) expect(failure).not.toMatch(/\n\s+at /)
}

beforeAll(async () => {
  ;[fake, root, defaults] = await Promise.all([
    startFakeGitHub(),
    mkdtemp(join(tmpdir(), 'nsys-bench-run-test-')),
    actionDefaults()
  ])
})

afterAll(async () => {
  await fake?.close()
  if (root) await rm(root, { recursive: true, force: true })
})

beforeEach(() => {
  fake.reset()
  artifacts = new FakeArtifacts()
  processes = []
})

// ---------------------------------------------------------------------------------------------
// 1. Each verdict, end to end

describe('verdicts', () => {
  it('pass: the step passes, outputs say so, and a ✅ sticky comment is created', async () => {
    const r = await runAction(compare(PASS))
    expect(r.failures).toEqual([])
    expect(r.outputs).toMatchObject({
      verdict: 'pass',
      reasons: '[]',
      regressions: '0',
      improvements: '1',
      'comment-status': 'created'
    })
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(1)
    const [comment] = comments
    expect(comment?.user.login).toBe('github-actions[bot]')
    expect(
      comment?.body.startsWith(`${MARKER}\n### ✅ nsys-bench: no GPU performance regression`)
    ).toBe(true)
    expect(comment?.body).toContain('Head: `a1b2c3d`')
    expect(comment?.body).toContain('Baseline: `bench/base.json` (1 run).')
    expect(r.outputs['comment-url']).toBe(
      `https://github.com/${OWNER_REPO}/issues/${PR}#issuecomment-${comment?.id}`
    )
    expect(r.summaries[0]).toMatch(/^### ✅ nsys-bench: no GPU performance regression/)
    expect(r.core.warnings).toEqual([])
    expect(r.core.infos).toContain('nsys-bench verdict: pass')
    // The report directory is the runner's temp, never the workspace.
    const reportDir = r.outputs['report-dir'] ?? ''
    expect(relative(r.runnerTemp, reportDir)).toMatch(/^nsys-bench-[^/]+$/)
    expect(r.outputs['profile-json']).toBe(join(reportDir, 'profiles', 'run-1.json'))
    const written = JSON.parse(await readFile(r.outputs['profile-json'] ?? '', 'utf8')) as {
      meta: { gpus: { name: string }[] }
    }
    expect(written.meta.gpus).toEqual([expect.objectContaining({ name: H100 })])
    // A pull request's run archives the report and the results, never a baseline.
    expect(artifacts.uploads.map((u) => u.name).sort()).toEqual([
      'nsys-bench-report',
      'nsys-bench-results'
    ])
    expect(Object.keys(artifacts.files('nsys-bench-report') ?? {})).toEqual(
      expect.arrayContaining([
        'comparison.json',
        'comparison.md',
        'report.html',
        'profiles/run-1.json'
      ])
    )
    expect(JSON.parse(artifacts.files('nsys-bench-results')?.['results.json'] ?? '')).toMatchObject(
      { kind: 'nsys-bench/results', pullRequest: PR, headSha: HEAD_SHA, commentId: 'default' }
    )
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('regression: outputs are set, the step fails once with one message, the comment says ❌', async () => {
    const r = await runAction(compare(SLOWER))
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      regressions: '1',
      improvements: '0',
      'comment-status': 'created'
    })
    expect(r.reasons).toEqual([
      {
        code: 'regressed',
        severity: 'error',
        message: '1 gated item regressed (GPU kernels: 1).'
      }
    ])
    expect(r.failures).toHaveLength(1)
    expect(r.failures[0]).toBe(
      `GPU performance regression: 1 gated item regressed (GPU kernels: 1) (see the job summary and ${r.outputs['comment-url']})`
    )
    const body = fake.comments(PR)[0]?.body ?? ''
    expect(body.startsWith(`${MARKER}\n### ❌ nsys-bench: GPU performance regression`)).toBe(true)
    const regressions = /#### Regressions \(1\)\n\n([^]*?)\n\n/.exec(body)?.[1] ?? ''
    expect(regressions).toContain('`flashAttnKernel`')
    expect(regressions).toContain('+20.0%')
    expect(r.summaries[0]).toMatch(/^### ❌ nsys-bench: GPU performance regression/)
    expect(r.core.warnings).toEqual([])
    // Outputs first, then the failure.
    expect(r.core.events.at(-1)).toBe('failed')
    expect(r.core.events.filter((e) => e === 'failed')).toHaveLength(1)
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('regression of the total alone (every kernel under the floor): verdict regression, 0 items', async () => {
    const many = (f: number): Rows =>
      Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`tinyKernel${i}`, 50_000 * f]))
    const r = await runAction(compare({ kernels: many(1.06) }, { kernels: many(1) }))
    expect(r.outputs).toMatchObject({ verdict: 'regression', regressions: '0' })
    expect(r.reasons).toEqual([
      { code: 'regressed', severity: 'error', message: 'The total of GPU kernels regressed.' }
    ])
    expect(r.failures).toEqual([
      `GPU performance regression: The total of GPU kernels regressed (see the job summary and ${r.outputs['comment-url']})`
    ])
    expect(fake.comments(PR)[0]?.body).toContain('(**+6.0%**, over the limit)')
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('regression with fail-on-regression: false: a warning, the step passes', async () => {
    const r = await runAction(withInputs(compare(SLOWER), { 'fail-on-regression': 'false' }))
    expect(r.failures).toEqual([])
    expect(r.outputs.verdict).toBe('regression')
    expect(r.core.warnings).toEqual([
      {
        message: expect.stringMatching(/^GPU performance regression: 1 gated item regressed/),
        title: 'nsys-bench: regression'
      }
    ])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('inconclusive: a head whose kernel report found no data fails the step, saying why', async () => {
    const r = await runAction(compare({ kernels: {} }))
    expect(r.outputs).toMatchObject({
      verdict: 'inconclusive',
      regressions: '0',
      'comment-status': 'created'
    })
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'table-empty', severity: 'error' })])
    expect(r.reasons[0]?.message).toMatch(/^GPU kernels: the base has data but the head's report/)
    expect(r.failures).toHaveLength(1)
    expect(r.failures[0]).toMatch(
      /^The comparison is inconclusive, so it cannot pass: GPU kernels: the base has data .*Set `on-inconclusive: pass` to let such runs pass\.$/
    )
    const body = fake.comments(PR)[0]?.body ?? ''
    expect(body.startsWith(`${MARKER}\n### ⚠️ nsys-bench: inconclusive`)).toBe(true)
    expect(body).toContain('> [!CAUTION]')
    expect(body).toContain("> - GPU kernels: the base has data but the head's report ran")
    expect(r.summaries[0]).toMatch(/^### ⚠️ nsys-bench: inconclusive/)
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('inconclusive with on-inconclusive: pass: the step passes, the verdict is still inconclusive', async () => {
    const r = await runAction(withInputs(compare({ kernels: {} }), { 'on-inconclusive': 'pass' }))
    expect(r.failures).toEqual([])
    expect(r.outputs.verdict).toBe('inconclusive')
    expect(r.reasons.map((n) => n.code)).toEqual(['table-empty'])
    expect(r.core.warnings).toEqual([
      {
        message: expect.stringMatching(/^The comparison is inconclusive, so it cannot pass: /),
        title: 'nsys-bench: inconclusive'
      }
    ])
    expect(fake.comments(PR)[0]?.body).toContain('### ⚠️ nsys-bench: inconclusive')
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('accepted by the accept label: verdict accepted, the step passes, the comment says what and by which label', async () => {
    const r = await runAction({
      ...withInputs(compare(SLOWER), { 'accept-label': ACCEPT }),
      event: prEvent({ labels: ['performance', ACCEPT] })
    })
    expect(r.failures).toEqual([])
    expect(r.outputs).toMatchObject({
      verdict: 'accepted',
      regressions: '0',
      'comment-status': 'created'
    })
    expect(r.reasons).toEqual([
      {
        code: 'accepted',
        severity: 'info',
        message: `Accepted regressions: flashAttnKernel (the pull request has the label "${ACCEPT}").`
      }
    ])
    expect(r.core.notices).toEqual([
      {
        message: expect.stringContaining(`the pull request has the label "${ACCEPT}"`),
        title: 'nsys-bench: regression accepted'
      }
    ])
    const body = fake.comments(PR)[0]?.body ?? ''
    expect(body.startsWith(`${MARKER}\n### ☑️ nsys-bench: regression accepted`)).toBe(true)
    expect(body).toContain(
      `> Accepted regressions: flashAttnKernel (the pull request has the label "${ACCEPT}").`
    )
    expect(body).toContain(`☑️ accepted (label ${ACCEPT})`)
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it("accept-label's default (action.yml) is nsys-bench:accept-regression", async () => {
    const r = await runAction({ ...compare(SLOWER), event: prEvent({ labels: [ACCEPT] }) })
    expect(r.failures).toEqual([])
    expect(r.outputs.verdict).toBe('accepted')
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('the accept label does nothing when the pull request does not carry it', async () => {
    const r = await runAction({
      ...withInputs(compare(SLOWER), { 'accept-label': ACCEPT }),
      event: prEvent({ labels: ['performance'] })
    })
    expect(r.outputs.verdict).toBe('regression')
    expect(r.failures).toHaveLength(1)
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('accepted by a rules-file entry that has not expired', async () => {
    const spec = compare(SLOWER)
    const r = await runAction({
      ...withRulesFile(
        spec,
        JSON.stringify({
          accept: [
            { pattern: '^flashAttn', reason: 'causal masking, tracked in #12', until: '2999-12-31' }
          ]
        })
      )
    })
    expect(r.failures).toEqual([])
    expect(r.outputs).toMatchObject({ verdict: 'accepted', regressions: '0' })
    expect(r.reasons).toEqual([
      {
        code: 'accepted',
        severity: 'info',
        message: 'Accepted regressions: flashAttnKernel (causal masking, tracked in #12).'
      }
    ])
    const body = fake.comments(PR)[0]?.body ?? ''
    expect(body).toContain('### ☑️ nsys-bench: regression accepted')
    expect(body).toContain(
      '☑️ accepted (rules file until 2999-12-31: causal masking, tracked in \\#&#8203;12)'
    )
    expect(r.core.warnings).toEqual([])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('an expired rules-file acceptance: the regression counts again, with a warning saying so', async () => {
    const spec = compare(SLOWER)
    const r = await runAction({
      ...withRulesFile(
        spec,
        JSON.stringify({
          accept: [{ pattern: '^flashAttn', reason: 'causal masking', until: '2000-01-31' }]
        })
      )
    })
    expect(r.outputs).toMatchObject({ verdict: 'regression', regressions: '1' })
    expect(r.failures).toHaveLength(1)
    expect(r.failures[0]).toMatch(/^GPU performance regression: 1 gated item regressed/)
    expect(r.core.warnings).toEqual([
      {
        message:
          'The rules file accepted regressions matching ^flashAttn (until 2000-01-31); that date has passed, so they count again.',
        title: 'nsys-bench: comparison'
      }
    ])
    expect(fake.comments(PR)[0]?.body).toContain('that date has passed, so they count again')
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('no-baseline (baseline: none): the profile alone, the step passes', async () => {
    const r = await runAction({
      inputs: { 'profile-path': 'bench/head.json', baseline: 'none' },
      files: { 'bench/head.json': profileJson(SLOWER) }
    })
    expect(r.failures).toEqual([])
    expect(r.outputs).toMatchObject({
      verdict: 'no-baseline',
      reasons: '[]',
      regressions: '0',
      improvements: '0',
      'comment-status': 'created'
    })
    expect(r.outputs['baseline-run-id']).toBeUndefined()
    const body = fake.comments(PR)[0]?.body ?? ''
    expect(
      body.startsWith(`${MARKER}\n### nsys-bench: profile recorded, no baseline to compare with`)
    ).toBe(true)
    expect(body).toContain('Baseline: none (`baseline: none`).')
    expect(body).toContain('`flashAttnKernel`')
    expect(r.summaries[0]).toMatch(/^### nsys-bench: profile recorded, no baseline/)
    // Nothing REST-side but the comment.
    expect(requests('actions/list-workflow-runs')).toEqual([])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('the artifact baseline: found through REST, downloaded through the artifact client', async () => {
    const base = seedBaseline({ 'run-1.json': profileJson() })
    const r = await runAction({
      inputs: { 'profile-path': 'bench/head.json' },
      files: { 'bench/head.json': profileJson(SLOWER) }
    })
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      'baseline-run-id': String(base.runId),
      'baseline-sha': base.headSha
    })
    expect(artifacts.downloads).toEqual([expect.objectContaining({ workflowRunId: base.runId })])
    expect(fake.comments(PR)[0]?.body).toContain(
      `Baseline: [run #1](https://github.com/${OWNER_REPO}/actions/runs/${base.runId}) of \`main\``
    )
    expect(requests('actions/list-workflow-runs')[0]?.query).toMatchObject({
      branch: 'main',
      event: 'push',
      status: 'completed'
    })
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('no artifact baseline yet: a notice, verdict no-baseline', async () => {
    fake.seedRun({ event: 'push', headBranch: 'main' })
    const r = await runAction({
      inputs: { 'profile-path': 'bench/head.json' },
      files: { 'bench/head.json': profileJson() }
    })
    expect(r.failures).toEqual([])
    expect(r.outputs.verdict).toBe('no-baseline')
    expect(r.core.notices).toEqual([
      {
        message: expect.stringMatching(/^No baseline yet: .*\(looked at 1 run\)/),
        title: 'nsys-bench: no baseline'
      }
    ])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('a push to the default branch saves the baseline and comments nowhere', async () => {
    const r = await runAction({
      event: pushEvent(),
      inputs: { 'profile-path': 'bench/head.json', baseline: 'none' },
      files: { 'bench/head.json': profileJson() }
    })
    expect(r.failures).toEqual([])
    expect(r.outputs).toMatchObject({
      verdict: 'no-baseline',
      'comment-status': 'skipped-not-pull-request',
      'comment-url': ''
    })
    expect(artifacts.uploads.map((u) => u.name).sort()).toEqual([
      'nsys-bench-baseline',
      'nsys-bench-report'
    ])
    const saved = JSON.parse(artifacts.files('nsys-bench-baseline')?.['run-1.json'] ?? '') as {
      meta: { gitSha: string }
    }
    expect(saved.meta.gitSha).toBe(MERGE_SHA)
    expect(fake.requests).toEqual([])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })
})

describe('inconclusive checks, each end to end', () => {
  const renamed = (names: Record<string, string>): Rows =>
    Object.fromEntries(Object.entries(BASE).map(([n, v]) => [names[n] ?? n, v]))
  const cases: [string, ProfileSpec, ProfileSpec, RegExp][] = [
    [
      'table-missing',
      { kernels: null, cudaApi: { cudaLaunchKernel: 1_000_000 } },
      // The same API report on both sides: only the kernel report is missing.
      { cudaApi: { cudaLaunchKernel: 1_000_000 } },
      /no such report/
    ],
    ['no-gated-data', { kernels: {} }, { kernels: {} }, /^Nothing to gate/],
    [
      'low-kernel-match',
      { kernels: renamed({ gemmKernel: 'gemmKernelV2', flashAttnKernel: 'flashAttnV2' }) },
      {},
      /^Only 5% of the base's GPU kernel time has a matching kernel/
    ],
    [
      'gpu-mismatch',
      {},
      { gpu: A100 },
      new RegExp(`^Different GPUs: base ran on ${A100}, head on ${H100}`)
    ],
    [
      'nsys-version-mismatch',
      {
        nsys: '2024.5.1.113',
        kernels: renamed({ flashAttnKernel: 'flashAttn2', rmsNormKernel: 'rmsNorm2' })
      },
      {},
      /^Different Nsight Systems versions \(base 2023, head 2024\) and only 80% /
    ],
    [
      'launches-changed',
      { kernels: Object.fromEntries(Object.entries(BASE).map(([n, v]) => [n, [v as number, 30]])) },
      {},
      /launched 30 times on the base and 90 on the head \(×3;/
    ],
    [
      'kernel-naming',
      { naming: 'base' },
      {},
      /^The two sides name kernels differently \(demangled vs base/
    ]
  ]
  it.each(cases)('%s', async (code, head, base, message) => {
    const r = await runAction(compare(head, base))
    expect(r.outputs.verdict).toBe('inconclusive')
    expect(r.reasons).toEqual([expect.objectContaining({ code, severity: 'error' })])
    expect(r.reasons[0]?.message).toMatch(message)
    expect(r.failures).toEqual([expect.stringMatching(/^The comparison is inconclusive/)])
    expect(fake.comments(PR)[0]?.body).toContain('### ⚠️ nsys-bench: inconclusive')
    expectClean(r)
    expect(fake.violations).toEqual([])
  })
})

describe('the GPU of a profile made elsewhere', () => {
  const smi = `0, GPU-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b, ${A100}, 00000000:07:00.0, 550.54.15, Enabled, Disabled, Enabled, 400.00, 1410, 1593, 1410, 1593, 31, 58.20\n`

  it('stays: nvidia-smi of this runner does not replace it', async () => {
    const r = await runAction({ ...compare(PASS), nvidiaSmi: smi })
    expect(r.outputs.verdict).toBe('pass')
    const written = JSON.parse(await readFile(r.outputs['profile-json'] ?? '', 'utf8')) as {
      meta: { gpus: { name: string }[] }
    }
    expect(written.meta.gpus).toEqual([expect.objectContaining({ name: H100 })])
    expect(fake.violations).toEqual([])
  })

  it("a profile that names no GPU gets the runner's", async () => {
    const r = await runAction({ ...compare({ ...PASS, gpu: null }, { gpu: A100 }), nvidiaSmi: smi })
    expect(r.outputs.verdict).toBe('pass')
    const written = JSON.parse(await readFile(r.outputs['profile-json'] ?? '', 'utf8')) as {
      meta: { gpus: { name: string; driver?: string; cuda?: string }[] }
    }
    expect(written.meta.gpus).toEqual([
      {
        name: A100,
        uuid: 'GPU-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
        pciBusId: '00000000:07:00.0',
        driver: '550.54.15',
        cuda: '12.4',
        persistenceMode: 'Enabled',
        migMode: 'Disabled',
        eccMode: 'Enabled',
        powerLimitW: 400,
        smClockMHz: 1410,
        memClockMHz: 1593,
        maxSmClockMHz: 1410,
        maxMemClockMHz: 1593,
        temperatureC: 31,
        powerDrawW: 58.2,
        clocks: 'sm 1410 MHz (max 1410), mem 1593 MHz'
      }
    ])
    expect(fake.violations).toEqual([])
  })
})

describe('warnings that do not change the verdict', () => {
  it('gpu-mismatch: warn: pass, with a warning annotation and the note in the comment', async () => {
    const r = await runAction(withInputs(compare(PASS, { gpu: A100 }), { 'gpu-mismatch': 'warn' }))
    expect(r.failures).toEqual([])
    expect(r.outputs.verdict).toBe('pass')
    const note = `Different GPUs: base ran on ${A100}, head on ${H100}; timings are not comparable.`
    expect(r.core.warnings).toEqual([{ message: note, title: 'nsys-bench: comparison' }])
    expect(fake.comments(PR)[0]?.body).toContain(`> [!WARNING]\n> ${note}`)
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('another nsys version with the kernels matched: pass, with a warning', async () => {
    const r = await runAction(compare({ ...PASS, nsys: '2024.5.1.113' }))
    expect(r.outputs.verdict).toBe('pass')
    expect(r.core.warnings).toEqual([
      {
        message: expect.stringMatching(/^Different Nsight Systems versions: base 2023, head 2024/),
        title: 'nsys-bench: comparison'
      }
    ])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it("the head profile's notes: warnings are annotated, the rest logged", async () => {
    const r = await runAction(
      compare({
        ...PASS,
        notes: [
          {
            code: 'skipped-lines',
            severity: 'warning',
            message: '3 lines of the kernel report were skipped'
          },
          { code: 'input', severity: 'info', message: 'read from cuda_gpu_kern_sum' }
        ]
      })
    )
    expect(r.outputs.verdict).toBe('pass')
    expect(r.core.warnings).toEqual([
      { message: '3 lines of the kernel report were skipped', title: 'nsys-bench: input note' }
    ])
    expect(r.core.infos).toContain('note: read from cuda_gpu_kern_sum')
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('failed artifact uploads are warnings: the verdict, the outputs and the comment survive', async () => {
    artifacts.failUploads =
      'Failed to CreateArtifact: (403) Forbidden: artifact storage quota exceeded'
    const r = await runAction(compare(SLOWER))
    expect(r.outputs).toMatchObject({ verdict: 'regression', 'comment-status': 'created' })
    expect(r.failures).toEqual([expect.stringMatching(/^GPU performance regression/)])
    expect(r.core.warnings.map((w) => [w.title, w.message.slice(0, 45)]).sort()).toEqual([
      ['nsys-bench: upload failed', 'Could not upload the nsys-bench-report artifa'],
      ['nsys-bench: upload failed', 'Could not upload the nsys-bench-results artif']
    ])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('a job summary that cannot be written is a warning: the comment and the gate still work', async () => {
    const r = await runAction({ ...compare(SLOWER), summaryFails: 'EACCES: GITHUB_STEP_SUMMARY' })
    expect(r.outputs).toMatchObject({ verdict: 'regression', 'comment-status': 'created' })
    expect(r.failures).toHaveLength(1)
    expect(r.core.warnings).toEqual([
      { message: 'Could not write the job summary: EACCES: GITHUB_STEP_SUMMARY' }
    ])
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  it('a matrix leg (name): its own artifacts, comment id and title', async () => {
    const r = await runAction(withInputs(compare(SLOWER), { name: 'h100' }))
    expect(r.outputs.verdict).toBe('regression')
    expect(artifacts.uploads.map((u) => u.name).sort()).toEqual([
      'nsys-bench-report-h100',
      'nsys-bench-results-h100'
    ])
    const body = fake.comments(PR)[0]?.body ?? ''
    expect(
      body.startsWith(
        '<!-- nsys-bench:h100 -->\n### ❌ nsys-bench (h100): GPU performance regression'
      )
    ).toBe(true)
    expect(body).toContain('leg `h100`')
    expect(
      JSON.parse(artifacts.files('nsys-bench-results-h100')?.['results.json'] ?? '')
    ).toMatchObject({
      commentId: 'h100',
      name: 'h100'
    })
    expectClean(r)
    expect(fake.violations).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// 2. The sticky comment

describe('the sticky comment', () => {
  const BOT = { login: 'github-actions[bot]' }

  it('is updated in place on a second run', async () => {
    const first = await runAction(compare(SLOWER))
    expect(first.outputs['comment-status']).toBe('created')
    const [created] = fake.comments(PR)
    // The second run is another workflow run: the first one's artifacts are not in it.
    artifacts.uploads.splice(0)
    const second = await runAction({
      ...compare(PASS),
      event: prEvent({ headSha: 'abcdef1'.padEnd(40, '0') })
    })
    expect(second.failures).toEqual([])
    expect(second.outputs).toMatchObject({
      verdict: 'pass',
      'comment-status': 'updated',
      'comment-url': first.outputs['comment-url']
    })
    const after = fake.comments(PR)
    expect(after).toHaveLength(1)
    expect(after[0]?.id).toBe(created?.id)
    expect(after[0]?.body.startsWith(`${MARKER}\n### ✅ nsys-bench`)).toBe(true)
    expect(after[0]?.body).toContain('Head: `abcdef1`')
    expect(after[0]?.body).not.toContain('❌')
    expect(requests('issues/create-comment')).toHaveLength(1)
    expect(requests('issues/update-comment')).toHaveLength(1)
    expectClean(second)
    expect(fake.violations).toEqual([])
  })

  it('is found on page 2 of the comments', async () => {
    fake.seedComments(
      PR,
      Array.from({ length: 130 }, (_, i) =>
        i % 3 ? `comment ${i}` : { body: `review ${i}`, user: { login: `reviewer${i}` } }
      )
    )
    const [sticky] = fake.seedComments(PR, [{ body: `${MARKER}\nold report`, user: BOT }])
    fake.seedComments(PR, ['later'])
    const r = await runAction(compare(SLOWER))
    expect(r.outputs['comment-status']).toBe('updated')
    expect(r.outputs['comment-url']).toMatch(new RegExp(`#issuecomment-${sticky?.id}$`))
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(132)
    expect(comments.find((c) => c.id === sticky?.id)?.body).toMatch(
      /^<!-- nsys-bench:default -->\n### ❌ nsys-bench: GPU performance regression/
    )
    expect(requests('issues/list-comments').map((q) => q.query.page ?? '1')).toEqual(['1', '2'])
    expect(requests('issues/create-comment')).toEqual([])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('not found: created, leaving the comments of other ids and other pull requests alone', async () => {
    const others = fake.seedComments(PR, [
      'LGTM',
      { body: '<!-- nsys-bench:h100 -->\nthe h100 leg', user: BOT },
      { body: `note: ${MARKER} is how the bot finds its comment`, user: BOT }
    ])
    const [elsewhere] = fake.seedComments(8, [{ body: `${MARKER}\nPR 8's report`, user: BOT }])
    const r = await runAction(compare(PASS))
    expect(r.outputs['comment-status']).toBe('created')
    const comments = fake.comments(PR)
    expect(comments.slice(0, 3)).toEqual(others)
    expect(comments).toHaveLength(4)
    expect(comments[3]?.body.startsWith(`${MARKER}\n### ✅`)).toBe(true)
    expect(fake.comments(8)).toEqual([elsewhere])
    expect(requests('issues/update-comment')).toEqual([])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it("never edits a foreign user's comment that carries the marker", async () => {
    const [foreign] = fake.seedComments(PR, [
      { body: `${MARKER}\nI copied the bot's comment here`, user: { login: 'mallory' } }
    ])
    const r = await runAction(compare(SLOWER))
    expect(r.outputs['comment-status']).toBe('created')
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(2)
    expect(comments[0]).toEqual(foreign)
    expect(comments[1]?.user.login).toBe('github-actions[bot]')
    expect(requests('issues/update-comment')).toEqual([])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it("a personal access token: the token user's own comment is the sticky one, not the bot's", async () => {
    const [bots, mine] = fake.seedComments(PR, [
      { body: `${MARKER}\nwritten with GITHUB_TOKEN`, user: BOT },
      { body: `${MARKER}\nwritten with the PAT`, user: { login: 'octocat' } }
    ])
    const r = await runAction({ ...compare(PASS), token: FAKE_TOKENS.pat })
    expect(r.outputs['comment-status']).toBe('updated')
    expect(r.outputs['comment-url']).toMatch(new RegExp(`#issuecomment-${mine?.id}$`))
    expect(fake.comments(PR)[0]).toEqual(bots)
    expect(fake.comments(PR)[1]?.body).toContain('### ✅ nsys-bench')
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it("a fork's read-only token: skipped-no-permission, a warning pointing to the permissions section, the summary, and the gate still fails", async () => {
    const r = await runAction({
      ...compare(SLOWER),
      token: FAKE_TOKENS.readOnly,
      event: prEvent({ headRepo: 'forker/llm-serve' }),
      env: { GITHUB_ACTION_REPOSITORY: 'nsys-bench/nsys-bench' }
    })
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      'comment-status': 'skipped-no-permission',
      'comment-url': ''
    })
    expect(r.failures).toEqual([expect.stringMatching(/^GPU performance regression: /)])
    expect(r.failures[0]).toContain('(see the job summary)')
    expect(r.core.warnings).toHaveLength(1)
    expect(r.core.warnings[0]?.title).toBe('nsys-bench: no permission to comment')
    expect(r.core.warnings[0]?.message).toContain("Add `pull-requests: write` to the job's")
    expect(r.core.warnings[0]?.message).toContain(
      'https://github.com/nsys-bench/nsys-bench#permissions-and-fork-pull-requests'
    )
    expect(r.summaries[0]).toMatch(/^### ❌ nsys-bench: GPU performance regression/)
    expect(fake.comments(PR)).toEqual([])
    expect(requests('issues/create-comment').map((q) => q.status)).toEqual([403])
    // The results for the trusted `mode: comment` workflow are still uploaded.
    expect(artifacts.files('nsys-bench-results')).toHaveProperty('results.json')
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('a 403 on create (no pull-requests: write): skipped-no-permission, and the README section is named', async () => {
    const fault = fake.fail({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 403 })
    const r = await runAction(compare(SLOWER))
    expect(fault.hits).toBe(1)
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      'comment-status': 'skipped-no-permission',
      'comment-url': ''
    })
    expect(r.failures).toHaveLength(1)
    expect(titles(r.core.warnings)).toEqual(['nsys-bench: no permission to comment'])
    expect(r.core.warnings[0]?.message).toContain(
      'the nsys-bench README, section "Permissions and fork pull requests"'
    )
    expect(r.summaries[0]).toContain('### ❌ nsys-bench: GPU performance regression')
    expect(fake.comments(PR)).toEqual([])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('a 500 on create: comment-status failed, a warning, the gate still decides', async () => {
    fake.fail({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 500 })
    const r = await runAction(compare(PASS))
    expect(r.failures).toEqual([])
    expect(r.outputs).toMatchObject({
      verdict: 'pass',
      'comment-status': 'failed',
      'comment-url': ''
    })
    expect(titles(r.core.warnings)).toEqual(['nsys-bench: comment failed'])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('comment: on-regression creates none on a pass, but updates an existing one', async () => {
    const quiet = await runAction(withInputs(compare(PASS), { comment: 'on-regression' }))
    expect(quiet.failures).toEqual([])
    expect(quiet.outputs).toMatchObject({
      verdict: 'pass',
      'comment-status': 'skipped-no-regression',
      'comment-url': ''
    })
    expect(fake.comments(PR)).toEqual([])
    expect(quiet.summaries[0]).toContain('### ✅ nsys-bench')
    expect(requests('issues/create-comment')).toEqual([])

    const [old] = fake.seedComments(PR, [
      { body: `${MARKER}\n### ❌ nsys-bench: an earlier regression`, user: BOT }
    ])
    const fixed = await runAction(withInputs(compare(PASS), { comment: 'on-regression' }))
    expect(fixed.outputs).toMatchObject({
      'comment-status': 'updated',
      'comment-url': expect.stringMatching(new RegExp(`#issuecomment-${old?.id}$`))
    })
    expect(fake.comments(PR)).toEqual([
      expect.objectContaining({ id: old?.id, body: expect.stringContaining('### ✅ nsys-bench') })
    ])
    expectClean(fixed)
    expect(fake.violations).toEqual([])
  })

  it('comment: on-regression creates one on a regression', async () => {
    const r = await runAction(withInputs(compare(SLOWER), { comment: 'on-regression' }))
    expect(r.outputs['comment-status']).toBe('created')
    expect(fake.comments(PR)).toHaveLength(1)
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('comment: never: no comment request at all, the summary is still written', async () => {
    const r = await runAction(withInputs(compare(SLOWER), { comment: 'never' }))
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      'comment-status': 'skipped-by-setting',
      'comment-url': ''
    })
    expect(r.failures).toEqual([
      expect.stringMatching(/^GPU performance regression: .*\(see the job summary\)$/)
    ])
    expect(fake.requests.filter((q) => q.path.includes('/comments'))).toEqual([])
    expect(r.summaries[0]).toContain('### ❌ nsys-bench')
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('a comment-id of its own: its own marker, beside the default one', async () => {
    const [other] = fake.seedComments(PR, [{ body: `${MARKER}\nthe default leg`, user: BOT }])
    const r = await runAction(withInputs(compare(PASS), { 'comment-id': 'llama-8b.h100' }))
    expect(r.outputs['comment-status']).toBe('created')
    const comments = fake.comments(PR)
    expect(comments[0]).toEqual(other)
    expect(comments[1]?.body.startsWith('<!-- nsys-bench:llama-8b.h100 -->\n### ✅')).toBe(true)
    expectClean(r)
    expect(fake.violations).toEqual([])
  })
})

describe('the sticky comment of a pull request that has moved on', () => {
  const BOT = { login: 'github-actions[bot]' }
  /** The pull request's head now: a push after the one this run judged (HEAD_SHA, `a1b2c3d`). */
  const NEWER = 'feedface'.padEnd(40, '0')
  /** The comment the newer head's run wrote. */
  const NEWER_COMMENT = `${MARKER}\n### ✅ nsys-bench: no GPU performance regression\n\nHead: \`feedfac\`.`
  const NOTICE = 'nsys-bench: comment left to the newer run'
  /** Everything the action logged or annotated (a token must never be among it). */
  const logged = (r: Result): string =>
    [
      ...r.core.infos,
      ...r.core.debugs,
      ...r.core.notices.map((n) => n.message),
      ...r.core.warnings.map((w) => w.message),
      ...r.failures
    ].join('\n')

  it("an older run finishing last: the newer head's comment stays, skipped-stale with a notice, the verdict, the summary and the gate unchanged", async () => {
    fake.seedPull({ number: PR, headSha: NEWER })
    const [newer] = fake.seedComments(PR, [{ body: NEWER_COMMENT, user: BOT }])
    const r = await runAction(compare(SLOWER))
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      regressions: '1',
      improvements: '0',
      'comment-status': 'skipped-stale',
      'comment-url': ''
    })
    // The regression still fails the step, pointing at the job summary (no comment URL).
    expect(r.failures).toEqual([
      'GPU performance regression: 1 gated item regressed (GPU kernels: 1) (see the job summary)'
    ])
    expect(r.summaries[0]).toMatch(/^### ❌ nsys-bench: GPU performance regression/)
    expect(r.summaries[0]).toContain('Head: `a1b2c3d`')
    // The newer head's comment is untouched; the head was read once, and nothing written.
    expect(fake.comments(PR)).toEqual([newer])
    expect(requests('pulls/get').map((q) => q.path)).toEqual([`/repos/${OWNER_REPO}/pulls/${PR}`])
    expect(requests('issues/update-comment')).toEqual([])
    expect(requests('issues/create-comment')).toEqual([])
    expect(r.core.notices).toEqual([
      {
        title: NOTICE,
        message: expect.stringMatching(
          /^Pull request #7 has moved on: this run judged `a1b2c3d`, and its head is now `feedfac`\. .*the run of `feedfac`/
        )
      }
    ])
    expect(r.core.warnings).toEqual([])
    expect(logged(r)).not.toContain(FAKE_TOKENS.github)
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('no comment yet (the newer run still profiling): none is created for the older head; a pass still passes', async () => {
    fake.seedPull({ number: PR, headSha: NEWER })
    const r = await runAction(compare(PASS))
    expect(r.failures).toEqual([])
    expect(r.outputs).toMatchObject({
      verdict: 'pass',
      'comment-status': 'skipped-stale',
      'comment-url': ''
    })
    expect(fake.comments(PR)).toEqual([])
    expect(requests('issues/create-comment')).toEqual([])
    expect(titles(r.core.notices)).toEqual([NOTICE])
    expect(r.summaries[0]).toMatch(/^### ✅ nsys-bench/)
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it('a pull request still at the judged head: its head is read after the search and right before the write, and the comment is updated', async () => {
    fake.seedPull({ number: PR, headSha: HEAD_SHA })
    const [old] = fake.seedComments(PR, [{ body: NEWER_COMMENT, user: BOT }])
    const r = await runAction(compare(PASS))
    expect(r.outputs).toMatchObject({
      verdict: 'pass',
      'comment-status': 'updated',
      'comment-url': expect.stringMatching(new RegExp(`#issuecomment-${old?.id}$`))
    })
    expect(fake.comments(PR)[0]?.body).toContain('Head: `a1b2c3d`')
    expect(fake.requests.map((q) => q.operation)).toEqual([
      'users/get-authenticated',
      'issues/list-comments',
      'pulls/get',
      'issues/update-comment'
    ])
    expect(r.core.notices).toEqual([])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  for (const status of [403, 404, 500]) {
    it(`pulls.get answers ${status}: the comment is written as before, and a log line says the head could not be checked`, async () => {
      const refused = fake.fail({ method: 'GET', path: `/repos/${OWNER_REPO}/pulls/${PR}`, status })
      const r = await runAction(compare(SLOWER))
      expect(refused.hits).toBeGreaterThanOrEqual(1)
      expect(r.outputs).toMatchObject({ verdict: 'regression', 'comment-status': 'created' })
      expect(r.failures).toEqual([
        `GPU performance regression: 1 gated item regressed (GPU kernels: 1) (see the job summary and ${r.outputs['comment-url']})`
      ])
      const [comment] = fake.comments(PR)
      expect(
        comment?.body.startsWith(`${MARKER}\n### ❌ nsys-bench: GPU performance regression`)
      ).toBe(true)
      expect(comment?.body).toContain('Head: `a1b2c3d`')
      expect(r.core.infos).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^Could not check that pull request #7 is still at \`a1b2c3d\` before writing the sticky comment \\(HTTP ${status}: .*\\); it was written without that check\\.$`
          )
        )
      )
      if (status !== 500) expect(r.core.infos.join('\n')).toContain('`pull-requests: read`')
      expect(r.core.notices).toEqual([])
      expect(r.core.warnings).toEqual([])
      expect(logged(r)).not.toContain(FAKE_TOKENS.github)
      expectClean(r)
      expect(fake.violations).toEqual([])
    })
  }

  it("an event that names no head commit: nothing to check against (the run's sha is a merge commit), the comment is written", async () => {
    fake.seedPull({ number: PR, headSha: NEWER })
    const r = await runAction({ ...compare(PASS), event: prEvent({ headSha: 'not a sha' }) })
    expect(r.outputs['comment-status']).toBe('created')
    expect(requests('pulls/get')).toEqual([])
    expectClean(r)
    expect(fake.violations).toEqual([])
  })

  it("a run that fails before a verdict, once the pull request has moved on: the newer head's comment does not become the failure", async () => {
    fake.seedPull({ number: PR, headSha: NEWER })
    const [newer] = fake.seedComments(PR, [{ body: NEWER_COMMENT, user: BOT }])
    const r = await runAction({
      inputs: { 'profile-path': 'bench/missing.json', baseline: 'none' }
    })
    expect(r.failures).toEqual([expect.stringMatching(/^nsys-bench: .*bench\/missing\.json/)])
    expect(r.outputs).toMatchObject({
      verdict: 'error',
      'comment-status': 'skipped-stale',
      'comment-url': ''
    })
    expect(fake.comments(PR)).toEqual([newer])
    expect(requests('issues/update-comment')).toEqual([])
    expect(r.core.notices).toEqual([
      { title: NOTICE, message: expect.stringContaining('this run judged `a1b2c3d`') }
    ])
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// 3. Failures

describe('a run that fails before a verdict', () => {
  const STALE = `${MARKER}\n### ✅ nsys-bench: no GPU performance regression\n\nan earlier run`

  /** The outputs and the one failure every error leaves. */
  function expectError(r: Result, problem: RegExp, o: { oneLine?: boolean } = {}): string {
    expect(r.failures).toHaveLength(1)
    const failure = r.failures[0] ?? ''
    expect(failure).toMatch(/^nsys-bench: /)
    expect(failure).not.toContain('internal error')
    if (o.oneLine !== false) expect(failure).not.toContain('\n')
    expect(failure).toMatch(problem)
    expect(r.outputs).toMatchObject({
      verdict: 'error',
      regressions: '0',
      improvements: '0',
      'comment-url': expect.any(String)
    })
    expect(r.reasons).toEqual([{ code: 'error', severity: 'error', message: expect.any(String) }])
    expect(failure).toContain(r.reasons[0]?.message ?? '?')
    // The stack is in the debug log only.
    expect(r.core.debugs.join('\n')).toMatch(/\n\s+at /)
    return r.reasons[0]?.message ?? ''
  }

  it('a profile-path that does not exist: one failure naming it, verdict error, skipped-error', async () => {
    const r = await runAction({
      inputs: { 'profile-path': 'bench/missing.json', baseline: 'none' }
    })
    expectError(r, /bench\/missing\.json/)
    expect(r.outputs['comment-status']).toBe('skipped-error')
    expect(r.outputs['comment-url']).toBe('')
    // It looked for the sticky comment, found none, and created nothing.
    expect(requests('issues/create-comment')).toEqual([])
    expect(fake.comments(PR)).toEqual([])
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  it('profile-format names the format of profile-path: another format is an error, not read as another', async () => {
    const files = { 'bench/head.json': profileJson(SLOWER) }
    // Detected, this file is a profile JSON; named a Chrome trace, it is refused as not one.
    const wrong = await runAction({
      inputs: { 'profile-path': 'bench/head.json', baseline: 'none', 'profile-format': 'chrome' },
      files
    })
    expectError(
      wrong,
      /bench\/head\.json" is a JSON object without "traceEvents": not a Chrome trace/
    )
    expectClean(wrong, { summary: false })
    // Another workflow run: the failed one's results artifact is not in it.
    artifacts.uploads.splice(0)
    const right = await runAction({
      inputs: {
        'profile-path': 'bench/head.json',
        baseline: 'none',
        'profile-format': 'profile-json'
      },
      files
    })
    expect(right.failures).toEqual([])
    expect(right.outputs.verdict).toBe('no-baseline')
    expect(fake.violations).toEqual([])
  })

  it('an invalid rules file: one failure naming the file and the problem', async () => {
    const spec = compare(PASS)
    const r = await runAction({
      ...withRulesFile(spec, '{ "treshold": 5 }', '.github/nsys-bench.json')
    })
    expectError(r, /nsys-bench\.json.*treshold/)
    expect(r.outputs['comment-status']).toBe('skipped-error')
    expect(fake.comments(PR)).toEqual([])
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  it('a rules file that is not JSON (YAML by mistake)', async () => {
    const spec = compare(PASS)
    const r = await runAction({
      ...withRulesFile(spec, 'threshold: 5\n', 'rules.json')
    })
    expectError(r, /the rules file ".*rules\.json" is not valid JSON: Unexpected token/, {
      oneLine: false
    })
    expect(r.outputs['comment-status']).toBe('skipped-error')
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  // JSON.parse's message quotes the start of the file with its raw line break
  // (`Unexpected token 'h', "threshold: 5<LF>" is not valid JSON`): passed on as is, the failure
  // (and the annotation) would break inside the quote onto a second line.
  it('a rules file that is not JSON fails with a one-line message', async () => {
    const spec = compare(PASS)
    const r = await runAction({
      ...withRulesFile(spec, 'threshold: 5\n', 'rules.json')
    })
    expect(fake.violations).toEqual([])
    expect(r.failures).toHaveLength(1)
    expect(r.failures[0]).not.toContain('\n')
  })

  // A symlink can be committed: a pull request could point the rules file at /dev/zero (which
  // never ends) or /dev/stdin (which waits). Refused before anything is read, as an input is, and
  // as a file's problem: no pointer to the inputs table.
  it.skipIf(!existsSync('/dev/zero'))(
    'a rules file that is a symlink to /dev/zero: refused at once, one line',
    async () => {
      const spec = withRulesFile(compare(PASS), '{}', 'rules.json')
      const workspace = await mkdtemp(join(root, 'workspace-'))
      await symlink('/dev/zero', join(workspace, 'zero.json'))
      const r = await runAction({
        ...spec,
        inputs: { ...spec.inputs, 'rules-file': 'zero.json' },
        workspace
      })
      expectError(
        r,
        /cannot read the rules file ".*zero\.json": it is a device; give a regular file$/
      )
      expect(r.failures[0]).not.toContain('inputs table')
      expect(r.outputs['comment-status']).toBe('skipped-error')
      expectClean(r, { summary: false })
      expect(fake.violations).toEqual([])
    }
  )

  it('an invalid input: one failure pointing at the inputs table', async () => {
    const r = await runAction(withInputs(compare(PASS), { comment: 'sometimes' }))
    expectError(r, /input comment must be one of always, on-regression, never; got "sometimes"/)
    expect(r.failures[0]).toMatch(/\(see the inputs table in the nsys-bench README\)$/)
    expect(r.outputs['comment-status']).toBe('skipped-error')
    expect(fake.requests).toEqual([])
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  it('an existing sticky comment is updated to say the run failed, with the message in a code block', async () => {
    const [old] = fake.seedComments(PR, [{ body: STALE, user: { login: 'github-actions[bot]' } }])
    const r = await runAction({
      inputs: { 'profile-path': 'bench/missing.json', baseline: 'none' }
    })
    const message = expectError(r, /bench\/missing\.json/)
    expect(r.outputs['comment-status']).toBe('updated')
    const comments = fake.comments(PR)
    expect(comments).toHaveLength(1)
    const body = comments[0]?.body ?? ''
    expect(comments[0]?.id).toBe(old?.id)
    expect(body).not.toContain('✅')
    expect(
      body.startsWith(
        `${MARKER}\n### ❗ nsys-bench: the benchmark run failed, there is no verdict for this commit\n\n`
      )
    ).toBe(true)
    expect(body).toContain(`\n\`\`\`text\n${message}\n\`\`\`\n`)
    expect(body).toMatch(/<sub>nsys-bench \d+\.\d+\.\d+<\/sub>/)
    expect(r.core.infos).toContainEqual(
      expect.stringMatching(
        new RegExp(`^PR comment updated to say the run failed: https://.*#issuecomment-${old?.id}$`)
      )
    )
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  // action.yml documents comment-url as "URL of the sticky comment, when one was written": that
  // includes the comment updated to say the run failed (comment-status says `updated`).
  it('when the sticky comment was updated to say the run failed, comment-url is its URL', async () => {
    const [old] = fake.seedComments(PR, [{ body: STALE, user: { login: 'github-actions[bot]' } }])
    const r = await runAction({
      inputs: { 'profile-path': 'bench/missing.json', baseline: 'none' }
    })
    expect(fake.violations).toEqual([])
    expect(r.outputs['comment-status']).toBe('updated')
    expect(r.outputs['comment-url']).toMatch(new RegExp(`#issuecomment-${old?.id}$`))
  })

  // An invalid input is thrown by readInputs() before run() knows its inputs. github-token,
  // comment-id and the pull request are all readable here (only `threshold` is wrong): the
  // earlier run's ✅ must not stay on the pull request as if it were this commit's verdict.
  it('an invalid input with an existing sticky comment: the comment says the run failed', async () => {
    const [old] = fake.seedComments(PR, [{ body: STALE, user: { login: 'github-actions[bot]' } }])
    const r = await runAction(withInputs(compare(PASS), { threshold: '5%' }))
    expect(fake.violations).toEqual([])
    expectError(r, /input threshold must be a percentage \(e\.g\. 5\) or auto; got "5%"/)
    expect(r.outputs['comment-status']).toBe('updated')
    expect(fake.comments(PR)).toEqual([
      expect.objectContaining({
        id: old?.id,
        body: expect.stringContaining('### ❗ nsys-bench: the benchmark run failed')
      })
    ])
  })

  it('an invalid rules file with an existing sticky comment: the comment says so too', async () => {
    fake.seedComments(PR, [{ body: STALE, user: { login: 'github-actions[bot]' } }])
    const spec = compare(PASS)
    const r = await runAction({
      ...withRulesFile(spec, '{ "treshold": 5 }', 'rules.json')
    })
    expectError(r, /treshold/)
    expect(r.outputs['comment-status']).toBe('updated')
    expect(fake.comments(PR)[0]?.body).toContain('### ❗ nsys-bench: the benchmark run failed')
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  it('the baseline lookup refused (no actions: read): the failure says which permission to add', async () => {
    fake.fail({ method: 'GET', path: /\/actions\/workflows\/[^/]+\/runs/, status: 403 })
    const r = await runAction({
      inputs: { 'profile-path': 'bench/head.json' },
      files: { 'bench/head.json': profileJson(SLOWER) }
    })
    expectError(
      r,
      /^nsys-bench: could not look up the baseline on main: Forbidden .*The token needs `actions: read`/
    )
    expect(r.outputs['comment-status']).toBe('skipped-error')
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  it('comment: never leaves an existing sticky comment alone on a failure', async () => {
    const [old] = fake.seedComments(PR, [{ body: STALE, user: { login: 'github-actions[bot]' } }])
    const r = await runAction({
      inputs: { 'profile-path': 'bench/missing.json', baseline: 'none', comment: 'never' }
    })
    expectError(r, /missing\.json/)
    expect(r.outputs['comment-status']).toBe('skipped-error')
    expect(fake.comments(PR)).toEqual([old])
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  it('a head profile JSON that is not a profile: the file and the field are named', async () => {
    const r = await runAction({
      inputs: { 'profile-path': 'bench/head.json', baseline: 'none' },
      files: { 'bench/head.json': JSON.stringify({ schemaVersion: 2, kind: 'something/else' }) }
    })
    expectError(r, /bench\/head\.json" is JSON but not a profile .*"kind": "nsys-bench\/profile"/)
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// 4. The comment budget

describe('the comment budget', () => {
  it('a 100-character comment-id and 20,000 kernels: the posted body, marker included, is at most 65,536 characters', async () => {
    const commentId = 'x'.repeat(100)
    const base: Rows = {}
    const head: Rows = {}
    for (let i = 0; i < 20_000; i++) {
      const name = `void cutlass::Kernel<GemmUniversal<tile_${i}, 128, 64, 4>>(Params)`
      base[name] = 1_000_000
      // every 50th kernel 30 % slower, every 50th 30 % faster
      head[name] = i % 50 === 0 ? 1_300_000 : i % 50 === 1 ? 700_000 : 1_000_000
    }
    // min-share 0: each kernel is 0.005 % of the total, under the default floor.
    const r = await runAction(
      withInputs(compare({ kernels: head }, { kernels: base }), {
        'comment-id': commentId,
        'min-share': '0'
      })
    )
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      regressions: '400',
      improvements: '400',
      'comment-status': 'created'
    })
    const [comment] = fake.comments(PR)
    const body = comment?.body ?? ''
    expect(body.startsWith(`<!-- nsys-bench:${commentId} -->\n### ❌ nsys-bench`)).toBe(true)
    expect(body.length).toBeLessThanOrEqual(65_536)
    // Trimmed visibly, pointing at the full report.
    expect(body).toMatch(/not shown to keep this report within GitHub's size limit/)
    expect(body).toContain('the full report is in the `nsys-bench-report` artifact')
    const create = requests('issues/create-comment')[0]
    expect(create?.status).toBe(201)
    expect(Buffer.byteLength(r.summaries[0] ?? '', 'utf8')).toBeLessThanOrEqual(1024 * 1024)
    expectClean(r)
    expect(fake.violations).toEqual([])
    // A bound on a stuck run, not a speed check (the bench measures speed): it took over 20 s on
    // two cores with other test files beside it.
  }, 90_000)
})

// ---------------------------------------------------------------------------------------------
// 5. An invalid event payload

describe('an invalid event payload file', () => {
  it.each([
    [
      'not JSON (cut short)',
      '{\n  "pull_request": {\n    "number": 7,\n',
      /the event payload ".*event\.json" is not valid JSON: /
    ],
    ['null', 'null', /the event payload ".*event\.json" is not a JSON object$/],
    [
      'an array',
      '[{"pull_request": {"number": 7}}]',
      /the event payload ".*event\.json" is not a JSON object$/
    ]
  ])('%s: a clear failure, no stack trace, outputs set', async (_what, raw, message) => {
    const r = await runAction({
      ...compare(PASS),
      event: { name: 'pull_request', raw }
    })
    expect(r.failures).toHaveLength(1)
    expect(r.failures[0]).toMatch(/^nsys-bench: the event payload /)
    expect(r.failures[0]).toMatch(message)
    expect(r.failures[0]).not.toContain('internal error')
    expect(r.failures[0]).not.toMatch(/\n|\bat .*:\d+:\d+/)
    expect(r.outputs).toMatchObject({
      verdict: 'error',
      regressions: '0',
      improvements: '0',
      'comment-status': 'skipped-error',
      'comment-url': ''
    })
    expect(r.reasons).toEqual([{ code: 'error', severity: 'error', message: expect.any(String) }])
    expect(fake.requests).toEqual([])
    expect(artifacts.uploads).toEqual([])
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })

  it('a payload file that does not exist', async () => {
    const r = await runAction({
      ...compare(PASS),
      env: { GITHUB_EVENT_PATH: join(root, 'no-such-event.json') }
    })
    expect(r.failures).toEqual([
      expect.stringMatching(/^nsys-bench: cannot read the event payload ".*no-such-event\.json": /)
    ])
    expect(r.outputs).toMatchObject({ verdict: 'error', 'comment-status': 'skipped-error' })
    expectClean(r, { summary: false })
    expect(fake.violations).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// 6. RUNNER_TEMP

describe('RUNNER_TEMP empty or relative', () => {
  /** Every path under a directory, with file contents. */
  async function tree(dir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
      const path = join(entry.parentPath, entry.name)
      out[relative(dir, path)] = entry.isFile() ? await readFile(path, 'utf8') : '<dir>'
    }
    return out
  }

  it.each([
    ['empty', ''],
    ['relative', 'nsys-bench'],
    ['relative, dot', '.']
  ])('%s: nothing is created or deleted under the workspace', async (_what, runnerTemp) => {
    const workspace = join(root, `workspace-temp-${++cases}`)
    const spec = compare(SLOWER)
    const files = {
      ...spec.files,
      'nsys-bench/keep.txt': 'canary',
      'nsys-bench/nested/keep.txt': 'canary 2'
    }
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(workspace, name)), { recursive: true })
      await writeFile(join(workspace, name), content)
    }
    const before = await tree(workspace)
    const cwdBefore = (await readdir(process.cwd())).sort()
    const r = await runAction({
      inputs: spec.inputs,
      workspace,
      env: { RUNNER_TEMP: runnerTemp }
    })
    const reportDir = r.outputs['report-dir'] ?? ''
    try {
      expect(r.outputs.verdict).toBe('regression')
      expect(isAbsolute(reportDir)).toBe(true)
      expect(relative(tmpdir(), reportDir).startsWith('..')).toBe(false)
      expect(relative(workspace, reportDir).startsWith('..')).toBe(true)
      expect((await stat(join(reportDir, 'profiles', 'run-1.json'))).isFile()).toBe(true)
      expect(await tree(workspace)).toEqual(before)
      expect((await readdir(process.cwd())).sort()).toEqual(cwdBefore)
      expectClean(r)
      expect(fake.violations).toEqual([])
    } finally {
      if (reportDir && isAbsolute(reportDir) && !relative(tmpdir(), reportDir).startsWith('..'))
        await rm(reportDir, { recursive: true, force: true })
    }
  })
})
