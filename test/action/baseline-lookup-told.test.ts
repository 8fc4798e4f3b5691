/**
 * What a run is told about the baseline it found (or could not use), in `mode: run` and
 * `mode: comment`, in-process (`run(deps)`, through test/support/action-harness.ts): the REST API
 * is the loopback GitHub fake of the e2e tests (validated against GitHub's OpenAPI description);
 * the artifact client serves the fake's artifacts as @actions/artifact 6 does for another run
 * (`findBy`): files unzipped into the path, and `digestMismatch` true only when an `expectedHash`
 * was given and the bytes do not match it.
 *
 * The base spends 6.5 ms in three kernels; the head is the same (a pass) unless said.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  seedPullRequestRun,
  startActionHarness,
  type ActionHarness,
  type StepOutcome
} from '../support/action-harness.js'
import { workflowRunEvent } from '../support/workflow-run-event.js'
import { FAKE_TOKENS, type FakeGitHub } from '../e2e/fakes/github.js'
import { kernelProfileJson } from '../e2e/support/bench.js'

const BASE = { gemmKernel: 4_000_000, flashAttnKernel: 2_000_000, rmsNormKernel: 500_000 }
const SLOWER = { ...BASE, flashAttnKernel: 3_000_000 }
const HEAD = 'abcdef12'.padEnd(40, '0')
const FORK = 'forker/llm-serve'
const RUN_ID = 900_001
const DAY = 86_400_000

/** A profile JSON of one run on an H100: kernel → total ns, one launch each. */
const profileJson = (totals: Record<string, number>): string => kernelProfileJson(totals)

let harness: ActionHarness
let fake: FakeGitHub
/**
 * Artifact ids that arrive with other bytes than the ones stored (a transfer that went wrong
 * without an error): their files come out as SLOWER's, and their digest is not the listed one.
 */
let damaged: Set<number>

beforeAll(async () => {
  harness = await startActionHarness('nsys-bench-baseline-told-')
  fake = harness.fake
})
afterAll(async () => {
  await harness.close()
})
beforeEach(() => {
  fake.reset()
  damaged = new Set()
})

interface Outcome {
  core: StepOutcome['core']
  summary: string
}

/** The step, with action.yml's defaults, on a pull request's merge ref; uploads succeed. */
async function runStep(o: {
  inputs: Record<string, string>
  event: { name: string; payload: object }
  files?: Record<string, string>
  workflow?: string
}): Promise<Outcome> {
  const r = await harness.runStep({
    inputs: { ...harness.defaults, ...o.inputs },
    event: o.event,
    runId: RUN_ID,
    ...(o.workflow === undefined ? {} : { workflow: o.workflow }),
    ...(o.files === undefined ? {} : { files: o.files }),
    env: { GITHUB_REF: 'refs/pull/7/merge' },
    artifacts: { damaged, damagedContent: profileJson(SLOWER), upload: 'accept' },
    pulls: [7]
  })
  // The token is never printed, whatever happened.
  expect(r.said).not.toContain(FAKE_TOKENS.github)
  return { core: r.core, summary: r.summary }
}

const prEvent = {
  name: 'pull_request',
  payload: {
    action: 'synchronize',
    number: 7,
    pull_request: {
      number: 7,
      head: { ref: 'feature', sha: HEAD, repo: { full_name: 'octo-org/llm-serve', fork: false } },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'octo-org/llm-serve' } },
      labels: []
    },
    repository: { full_name: 'octo-org/llm-serve', default_branch: 'main' }
  }
}

/** `mode: run` on a pull request whose head is `head` (BASE: a pass). */
function runMode(head = BASE): Promise<Outcome> {
  return runStep({
    inputs: { 'profile-path': 'bench/head.json', comment: 'never' },
    event: prEvent,
    files: { 'bench/head.json': profileJson(head) }
  })
}

/** A push run of bench.yml on main holding `files` as nsys-bench-baseline (none with null). */
function seedBaseline(o: { files?: Record<string, string> | null; savedAt?: Date } = {}): {
  runId: number
  runNumber: number
  sha: string
  artifactId?: number
} {
  const pushRun = fake.seedRun({
    event: 'push',
    headBranch: 'main',
    ...(o.savedAt ? { createdAt: o.savedAt } : {})
  })
  const out = { runId: pushRun.id, runNumber: pushRun.runNumber, sha: pushRun.headSha }
  if (o.files === null) return out
  const artifact = fake.seedArtifact(
    pushRun.id,
    'nsys-bench-baseline',
    o.files ?? { 'run-1.json': profileJson(BASE) },
    // Kept longer than the default 90 days (a repository's retention goes up to 400).
    o.savedAt ? { createdAt: o.savedAt, expiresAt: new Date(Date.now() + 30 * DAY) } : {}
  )
  return { ...out, artifactId: artifact.id }
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10)

describe('the age of the baseline', () => {
  it('a baseline saved 120 days ago: the summary gives its date and age, and a warning says it is old', async () => {
    const savedAt = new Date(Date.now() - 120 * DAY - 3_600_000)
    seedBaseline({ savedAt })
    const r = await runMode()
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('pass')
    expect(r.summary).toContain(`saved ${isoDay(savedAt)}, 120 days ago`)
    expect(r.core.warnings).toEqual([
      {
        message: expect.stringMatching(/^The baseline is 120 days old \(run \d+, saved /),
        title: 'nsys-bench: old baseline'
      }
    ])
  })

  it('a baseline saved two days ago: its date and age, and no warning', async () => {
    const savedAt = new Date(Date.now() - 2 * DAY - 60_000)
    seedBaseline({ savedAt })
    const r = await runMode()
    expect(r.core.outputs.verdict).toBe('pass')
    expect(r.summary).toContain(`saved ${isoDay(savedAt)}, 2 days ago`)
    expect(r.core.warnings).toEqual([])
  })
})

describe('newer push runs that saved no baseline', () => {
  it('are counted in the summary, with the newest named: the baseline is older than the branch', async () => {
    const base = seedBaseline()
    seedBaseline({ files: null })
    seedBaseline({ files: null })
    const newest = seedBaseline({ files: null })
    const r = await runMode()
    expect(r.core.outputs['baseline-run-id']).toBe(String(base.runId))
    expect(r.summary).toContain(
      `3 newer push runs of this workflow on \`main\` saved no \`nsys-bench-baseline\` artifact (the newest: run ${newest.runId}, \`${newest.sha.slice(0, 7)}\`)`
    )
  })

  it('none passed over: nothing of the kind is said', async () => {
    seedBaseline()
    const r = await runMode()
    expect(r.summary).not.toContain('saved no')
  })
})

describe('a damaged download', () => {
  it('whose bytes do not match the listed digest is never compared with: the step fails, saying so', async () => {
    const only = seedBaseline()
    damaged.add(only.artifactId!)
    const r = await runMode()
    // Compared with the damaged files it would read +50 % on flash: a regression that is not there.
    expect(r.core.outputs.verdict).toBe('error')
    expect(r.core.failures).toEqual([
      expect.stringMatching(
        new RegExp(
          `^nsys-bench: a baseline exists, but it could not be downloaded, so nothing was compared: .*run ${only.runId} .*does not match its digest`
        )
      )
    ])
  })

  it('of the newest baseline, with an intact older one: the older one is used, with a warning', async () => {
    const older = seedBaseline()
    const newer = seedBaseline()
    damaged.add(newer.artifactId!)
    const r = await runMode()
    expect(r.core.outputs.verdict).toBe('pass')
    expect(r.core.outputs['baseline-run-id']).toBe(String(older.runId))
    expect(r.core.warnings.map((w) => w.title)).toEqual(['nsys-bench: baseline'])
  })
})

describe('a baseline artifact without a profile', () => {
  it('fails the step with a message that names the artifact and its run, not only a temporary directory', async () => {
    const base = seedBaseline({ files: { 'README.txt': 'not a profile' } })
    const r = await runMode()
    expect(r.core.outputs.verdict).toBe('error')
    expect(r.core.failures).toEqual([
      expect.stringMatching(
        new RegExp(
          `^nsys-bench: the nsys-bench-baseline artifact of run ${base.runId} \\(${base.sha.slice(0, 7)}\\) on main holds no profile that can be read: `
        )
      )
    ])
  })
})

describe('mode: comment (the baseline searched again for results that name none)', () => {
  function pullRequestRun(): number {
    return seedPullRequestRun(fake, {
      headSha: HEAD,
      headRepo: FORK,
      headProfile: profileJson(BASE)
    })
  }

  function commentMode(prRun: number): Promise<Outcome> {
    return runStep({
      inputs: { mode: 'comment' },
      workflow: 'bench-comment.yml',
      event: workflowRunEvent(prRun, { headRepo: FORK, headSha: HEAD })
    })
  }

  it('a newer baseline that cannot be downloaded: the older one is used, and a warning says so', async () => {
    const older = seedBaseline()
    const newer = seedBaseline()
    damaged.add(newer.artifactId!)
    const prRun = pullRequestRun()
    const r = await commentMode(prRun)
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('pass')
    expect(fake.comments(12)[0]?.body).toContain(`/actions/runs/${older.runId})`)
    expect(r.core.warnings).toEqual([
      {
        message: expect.stringContaining(
          `A newer baseline could not be downloaded (could not download nsys-bench-baseline from run ${newer.runId}`
        ),
        title: 'nsys-bench: baseline'
      }
    ])
    expect(fake.comments(12)[0]?.body).toContain('A newer baseline could not be downloaded')
  })

  it('an old baseline: the comment gives its date and age, and a warning says it is old', async () => {
    const savedAt = new Date(Date.now() - 200 * DAY - 3_600_000)
    seedBaseline({ savedAt })
    const prRun = pullRequestRun()
    const r = await commentMode(prRun)
    expect(r.core.outputs.verdict).toBe('pass')
    expect(fake.comments(12)[0]?.body).toContain(`saved ${isoDay(savedAt)}, 200 days ago`)
    expect(r.core.warnings.map((w) => w.title)).toEqual(['nsys-bench: old baseline'])
  })
})
