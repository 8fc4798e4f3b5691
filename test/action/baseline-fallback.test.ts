/**
 * The baseline lookup passes over a baseline it cannot use for the next older push run's, and says
 * so: an artifact that downloads but holds no profile that can be read (as a failed download is
 * passed over), and a newer push run of the base branch that has not completed (queued, in
 * progress, being re-run), whose baseline is not there yet. In-process (`run(deps)` through
 * test/support/action-harness.ts) against the loopback GitHub fake (validated against GitHub's
 * OpenAPI description), in `mode: run` on a pull request and in `mode: comment`.
 *
 * Each baseline holds its own flash kernel time, so the comparison tells which one was used:
 * `comparison.json` in the report directory (read here as plain JSON) gives the baseline's numbers.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  seedPullRequestRun,
  startActionHarness,
  type ActionHarness,
  type FakeArtifactsOptions,
  type StepOutcome
} from '../support/action-harness.js'
import { workflowRunEvent } from '../support/workflow-run-event.js'
import { FAKE_TOKENS, type FakeGitHub } from '../e2e/fakes/github.js'
import type { RunStatus } from '../e2e/fakes/state.js'
import { kernelProfileJson } from '../e2e/support/bench.js'

const FLASH = 'flashAttnKernel'
const BASE = { gemmKernel: 4_000_000, [FLASH]: 2_000_000, rmsNormKernel: 500_000 }
/** An older baseline, told apart by its flash kernel (2.6 ms). */
const OLDER = { ...BASE, [FLASH]: 2_600_000 }
/** Flash +50 % against BASE: a regression under the default limits. */
const SLOWER = { ...BASE, [FLASH]: 3_000_000 }
const HEAD = 'abcdef12'.padEnd(40, '0')
const FORK = 'forker/llm-serve'
const RUN_ID = 900_001
const ARTIFACT = 'nsys-bench-baseline'
const TOKEN = FAKE_TOKENS.github

/** Artifacts that download, but hold nothing that can be read as a profile. */
const NO_PROFILE: Record<string, Record<string, string>> = {
  'a text file only': { 'README.txt': 'not a profile' },
  'a profile JSON cut short': { 'run-1.json': kernelProfileJson(BASE).slice(0, 40) }
}

let harness: ActionHarness
let fake: FakeGitHub
/** Artifact ids whose download fails, with the client's message. */
let failing: Map<number, string>

beforeAll(async () => {
  harness = await startActionHarness('nsys-bench-baseline-fallback-')
  fake = harness.fake
})
afterAll(async () => {
  await harness.close()
})
beforeEach(() => {
  fake.reset()
  failing = new Map()
})

interface Seeded {
  runId: number
  runNumber: number
  sha: string
  artifactId?: number
}

/**
 * A push run of bench.yml on main: `files` as its baseline artifact (a profile of `totals` when
 * none given; no artifact with null); `status` other than completed for a run still going.
 */
function pushRun(
  o: {
    totals?: Record<string, number>
    files?: Record<string, string> | null
    status?: RunStatus
    runAttempt?: number
  } = {}
): Seeded {
  const run = fake.seedRun({
    event: 'push',
    headBranch: 'main',
    ...(o.status ? { status: o.status } : {}),
    ...(o.runAttempt ? { runAttempt: o.runAttempt } : {})
  })
  const out = { runId: run.id, runNumber: run.runNumber, sha: run.headSha }
  if (o.files === null) return out
  const files = o.files ?? { 'run-1.json': kernelProfileJson(o.totals ?? BASE) }
  return { ...out, artifactId: fake.seedArtifact(run.id, ARTIFACT, files).id }
}

const short = (sha: string): string => sha.slice(0, 7)
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Everything the step said holds no token; every request it made, and every answer of the fake,
 * is one GitHub's OpenAPI description allows (the runs' `status` and `run_attempt` included).
 */
function expectSafe(r: StepOutcome): void {
  expect(r.said).not.toContain(TOKEN)
  expect(fake.violations).toEqual([])
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

/** `mode: run` on pull request #7 whose head profile has `head`'s kernel times. */
async function runMode(
  head: Record<string, number>,
  artifacts: FakeArtifactsOptions = {}
): Promise<StepOutcome> {
  const r = await harness.runStep({
    inputs: { ...harness.defaults, 'profile-path': 'bench/head.json', comment: 'never' },
    event: prEvent,
    runId: RUN_ID,
    files: { 'bench/head.json': kernelProfileJson(head) },
    env: { GITHUB_REF: 'refs/pull/7/merge' },
    artifacts: { failing, upload: 'accept', ...artifacts },
    pulls: [7]
  })
  expectSafe(r)
  return r
}

/**
 * `mode: run` on a push to main: this run (RUN_ID) is itself a push run of main still in progress,
 * as GitHub lists it while the step runs; its head profile has `head`'s kernel times.
 */
async function pushMode(head: Record<string, number>): Promise<StepOutcome> {
  fake.seedRun({ id: RUN_ID, event: 'push', headBranch: 'main', status: 'in_progress' })
  const r = await harness.runStep({
    inputs: { ...harness.defaults, 'profile-path': 'bench/head.json', comment: 'never' },
    event: {
      name: 'push',
      payload: {
        ref: 'refs/heads/main',
        after: 'c'.repeat(40),
        repository: { full_name: 'octo-org/llm-serve', default_branch: 'main' }
      }
    },
    runId: RUN_ID,
    files: { 'bench/head.json': kernelProfileJson(head) },
    env: { GITHUB_REF: 'refs/heads/main' },
    artifacts: { failing, upload: 'accept' }
  })
  expectSafe(r)
  return r
}

/** The flash kernel's time in the baseline the run compared with, from its comparison.json. */
async function baselineFlash(r: StepOutcome): Promise<number | undefined> {
  const dir = r.core.outputs['report-dir']
  if (dir === undefined) return undefined
  const record = JSON.parse(await readFile(join(dir, 'comparison.json'), 'utf8')) as {
    tables: { kernels: { items: { name: string; base?: { totalNs: number } }[] } }
  }
  return record.tables.kernels.items.find((i) => i.name === FLASH)?.base?.totalNs
}

describe('mode: run: a baseline artifact that holds no profile that can be read', () => {
  for (const [what, files] of Object.entries(NO_PROFILE)) {
    it(`(${what}) is passed over for the next older run's baseline, with a warning naming it`, async () => {
      const older = pushRun({ totals: OLDER })
      const newer = pushRun({ files })
      const r = await runMode(OLDER)
      expect(r.core.failures).toEqual([])
      // Compared with the older baseline's numbers: the same as the head's, so a pass.
      expect(r.core.outputs.verdict).toBe('pass')
      expect(r.core.outputs['baseline-run-id']).toBe(String(older.runId))
      expect(r.core.outputs['baseline-sha']).toBe(older.sha)
      expect(await baselineFlash(r)).toBe(OLDER[FLASH])
      expect(r.core.warnings).toEqual([
        {
          message: expect.stringMatching(
            new RegExp(
              `^A newer baseline could not be read \\(the ${ARTIFACT} artifact of run ${newer.runId} \\(${short(newer.sha)}\\) on main holds no profile that can be read: .+\\); this run compares with run ${older.runId} \\(${short(older.sha)}\\) instead\\.$`
            )
          ),
          title: 'nsys-bench: baseline'
        }
      ])
      // The summary's baseline line: the run used, and the one passed over.
      expect(r.summary).toContain(`/actions/runs/${older.runId})`)
      expect(r.summary).toContain(
        `A newer baseline could not be read (the ${ARTIFACT} artifact of run ${newer.runId} (${short(newer.sha)}) on main holds no profile that can be read: `
      )
      expect(r.summary).not.toContain(`/actions/runs/${newer.runId})`)
    })
  }

  it('the next older one is the one used, not the oldest: a regression against it is found', async () => {
    pushRun({ totals: OLDER })
    const next = pushRun({ totals: BASE })
    pushRun({ files: NO_PROFILE['a text file only']! })
    const r = await runMode(SLOWER)
    expect(r.core.outputs['baseline-run-id']).toBe(String(next.runId))
    expect(await baselineFlash(r)).toBe(BASE[FLASH])
    // flash 2.0 → 3.0 ms (+50 %) against BASE; against OLDER (2.6 ms) it would be +15 %, also a
    // regression, so the numbers above are what tell them apart.
    expect(r.core.outputs.verdict).toBe('regression')
  })

  it('past a failed download and an unreadable artifact: the oldest usable one, both said in the log', async () => {
    const oldest = pushRun({ totals: OLDER })
    const failed = pushRun({ totals: SLOWER })
    failing.set(failed.artifactId!, 'Unable to download artifact. Unexpected status: 500')
    const unreadable = pushRun({ files: NO_PROFILE['a text file only']! })
    const r = await runMode(OLDER)
    expect(r.core.outputs.verdict).toBe('pass')
    expect(r.core.outputs['baseline-run-id']).toBe(String(oldest.runId))
    expect(await baselineFlash(r)).toBe(OLDER[FLASH])
    // The warning names the newest passed over; the log says each.
    expect(r.core.warnings.map((w) => w.title)).toEqual(['nsys-bench: baseline'])
    expect(r.core.warnings[0]?.message).toContain(`artifact of run ${unreadable.runId} `)
    expect(r.core.infos).toContainEqual(
      expect.stringContaining(`could not download ${ARTIFACT} from run ${failed.runId} `)
    )
    expect(r.core.infos).toContainEqual(
      expect.stringContaining(`${ARTIFACT} artifact of run ${unreadable.runId} `)
    )
  })

  it('with no older usable baseline: the step fails as before (never "no baseline yet", never a pass)', async () => {
    const older = pushRun({ files: NO_PROFILE['a profile JSON cut short']! })
    const newer = pushRun({ files: NO_PROFILE['a text file only']! })
    const r = await runMode(BASE)
    expect(r.core.outputs.verdict).toBe('error')
    expect(r.core.outputs['baseline-run-id']).toBeUndefined()
    expect(r.core.notices.map((n) => n.title)).not.toContain('nsys-bench: no baseline')
    expect(r.core.failures).toEqual([
      expect.stringMatching(
        new RegExp(
          `^nsys-bench: the ${ARTIFACT} artifact of run ${newer.runId} \\(${short(newer.sha)}\\) on main holds no profile that can be read: .+ \\(and 1 older could not be used either\\)\\. Nothing was compared\\.`
        )
      )
    ])
    expect(r.core.infos).toContainEqual(
      expect.stringContaining(`${ARTIFACT} artifact of run ${older.runId} `)
    )
  })

  it('within the lookup limit of 100 runs: a usable baseline on the 101st is not reached', async () => {
    const beyond = pushRun({ totals: BASE })
    const unreadable: Seeded[] = []
    for (let i = 0; i < 100; i++) unreadable.push(pushRun({ files: { 'README.txt': `run ${i}` } }))
    const r = await runMode(BASE)
    expect(r.core.outputs.verdict).toBe('error')
    expect(r.artifacts.downloads).toHaveLength(100)
    expect(r.artifacts.downloads.map((d) => d.id)).not.toContain(beyond.artifactId)
    expect(r.core.failures).toEqual([
      expect.stringContaining(
        `the ${ARTIFACT} artifact of run ${unreadable.at(-1)!.runId} (${short(unreadable.at(-1)!.sha)}) on main holds no profile that can be read: `
      )
    ])
    expect(r.core.failures[0]).toContain('(and 99 older could not be used either)')
  }, 60_000)
})

describe('mode: run: a newer push run of the base branch that has not completed', () => {
  it('being re-run: the older baseline is used, and a notice and the summary say the newer one was not available', async () => {
    const older = pushRun({ totals: OLDER })
    const rerun = pushRun({ files: null, status: 'in_progress', runAttempt: 2 })
    const r = await runMode(OLDER)
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('pass')
    expect(r.core.outputs['baseline-run-id']).toBe(String(older.runId))
    expect(await baselineFlash(r)).toBe(OLDER[FLASH])
    expect(r.core.notices).toEqual([
      {
        message: expect.stringContaining(
          `A newer push run of this workflow on main has not completed, run ${rerun.runId} (${short(rerun.sha)}, in progress, attempt 2: a re-run): its baseline was not available yet; this compares with run ${older.runId} (${short(older.sha)})`
        ),
        title: 'nsys-bench: baseline'
      }
    ])
    expect(r.summary).toContain(
      `A newer push run of this workflow on \`main\` has not completed, run ${rerun.runId} (\`${short(rerun.sha)}\`, in progress, attempt 2: a re-run): its baseline was not available yet; this compares with run ${older.runId} (\`${short(older.sha)}\`)`
    )
    expect(r.core.warnings).toEqual([])
  })

  it('two of them, the newest queued: counted, the newest named', async () => {
    const older = pushRun({ totals: OLDER })
    pushRun({ files: null, status: 'in_progress' })
    const queued = pushRun({ files: null, status: 'queued' })
    const r = await runMode(OLDER)
    expect(r.core.outputs['baseline-run-id']).toBe(String(older.runId))
    expect(r.core.notices.map((n) => n.message)).toEqual([
      expect.stringContaining(
        `2 newer push runs of this workflow on main have not completed (the newest: run ${queued.runId} (${short(queued.sha)}, queued)): their baselines were not available yet`
      )
    ])
  })

  it('together with a newer unreadable baseline: both are said', async () => {
    const older = pushRun({ totals: OLDER })
    const unreadable = pushRun({ files: NO_PROFILE['a text file only']! })
    const running = pushRun({ files: null, status: 'in_progress' })
    const r = await runMode(OLDER)
    expect(r.core.outputs['baseline-run-id']).toBe(String(older.runId))
    expect(r.core.warnings.map((w) => w.message)).toEqual([
      expect.stringContaining(`artifact of run ${unreadable.runId} `)
    ])
    expect(r.core.notices.map((n) => n.message)).toEqual([
      expect.stringContaining(`run ${running.runId} (${short(running.sha)}, in progress)`)
    ])
  })

  it('one older than the baseline found is not said: the baseline is newer than it', async () => {
    pushRun({ files: null, status: 'in_progress' })
    const newer = pushRun({ totals: OLDER })
    const r = await runMode(OLDER)
    expect(r.core.outputs['baseline-run-id']).toBe(String(newer.runId))
    expect(r.core.notices).toEqual([])
    expect(r.summary).not.toContain('has not completed')
  })

  it('with no baseline at all: "no baseline yet" says that a run in progress may save one', async () => {
    const running = pushRun({ files: null, status: 'in_progress' })
    const r = await runMode(BASE)
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('no-baseline')
    expect(r.core.notices).toEqual([
      {
        message: expect.stringMatching(
          new RegExp(
            `^No baseline yet: .*${escape(`run ${running.runId} (${short(running.sha)}, in progress)`)}: its baseline was not available yet\\.`
          )
        ),
        title: 'nsys-bench: no baseline'
      }
    ])
  })

  it("a push's own run (in progress itself) is not said of itself", async () => {
    const older = pushRun({ totals: OLDER })
    const r = await pushMode(OLDER)
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs['baseline-run-id']).toBe(String(older.runId))
    expect(r.core.notices.map((n) => n.message).join('\n')).not.toContain('has not completed')
    expect(r.summary).not.toContain('has not completed')
  })
})

describe('mode: run on a push to main (saving the next baseline and its history)', () => {
  it('past an unreadable newer baseline: the history goes on from the older one, and a warning says why', async () => {
    const older = pushRun({ totals: OLDER })
    const unreadable = pushRun({ files: NO_PROFILE['a text file only']! })
    const r = await pushMode(OLDER)
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs['baseline-run-id']).toBe(String(older.runId))
    expect(r.core.warnings).toContainEqual({
      message: expect.stringMatching(
        new RegExp(
          `^The history saved with this baseline goes on from run ${older.runId} \\(${short(older.sha)}\\): a newer baseline could not be read \\(the ${ARTIFACT} artifact of run ${unreadable.runId} \\(${short(unreadable.sha)}\\) on main holds no profile that can be read: `
        )
      ),
      title: 'nsys-bench: history'
    })
    // This run's profiles are saved as the next baseline all the same.
    expect(r.artifacts.uploads.map((u) => u.name)).toContain(ARTIFACT)
  })
})

describe('mode: comment (the baseline searched for results that name none)', () => {
  function pullRequestRun(head: Record<string, number>): number {
    return seedPullRequestRun(fake, {
      headSha: HEAD,
      headRepo: FORK,
      headProfile: kernelProfileJson(head)
    })
  }

  async function commentMode(prRun: number): Promise<StepOutcome> {
    const r = await harness.runStep({
      inputs: { ...harness.defaults, mode: 'comment' },
      event: workflowRunEvent(prRun, { headRepo: FORK, headSha: HEAD }),
      runId: RUN_ID,
      workflow: 'bench-comment.yml',
      artifacts: { failing, upload: 'accept' },
      pulls: [12]
    })
    expectSafe(r)
    return r
  }

  it('an unreadable newer baseline: the next older is used (a pass against it, a regression against the oldest), with a warning', async () => {
    pushRun({ totals: BASE })
    const next = pushRun({ totals: SLOWER })
    const unreadable = pushRun({ files: NO_PROFILE['a profile JSON cut short']! })
    // The head is SLOWER: the same as the next older baseline, +50 % on flash against the oldest.
    const r = await commentMode(pullRequestRun(SLOWER))
    expect(r.core.failures).toEqual([])
    // Against the next older baseline (SLOWER, as the head): a pass; against the oldest it would
    // be a regression. (mode: comment sets no baseline-run-id: the comment links the run.)
    expect(r.core.outputs.verdict).toBe('pass')
    expect(r.core.warnings).toEqual([
      {
        message: expect.stringMatching(
          new RegExp(
            `^A newer baseline could not be read \\(the ${ARTIFACT} artifact of run ${unreadable.runId} \\(${short(unreadable.sha)}\\) on main holds no profile that can be read: .+\\); this comparison uses run ${next.runId} \\(${short(next.sha)}\\) instead\\.$`
          )
        ),
        title: 'nsys-bench: baseline'
      }
    ])
    const body = fake.comments(12)[0]?.body ?? ''
    expect(body).toContain(`/actions/runs/${next.runId})`)
    expect(body).toContain(
      `A newer baseline could not be read (the ${ARTIFACT} artifact of run ${unreadable.runId} (${short(unreadable.sha)}) on main holds no profile that can be read: `
    )
  })

  it('no usable baseline at all: the step fails, naming the artifact and run, no passing comment', async () => {
    const only = pushRun({ files: NO_PROFILE['a text file only']! })
    const r = await commentMode(pullRequestRun(SLOWER))
    expect(r.core.outputs.verdict).not.toBe('pass')
    expect(r.core.outputs.verdict).not.toBe('no-baseline')
    expect(r.core.failures).toEqual([
      expect.stringContaining(
        `the ${ARTIFACT} artifact of run ${only.runId} (${short(only.sha)}) on main holds no profile that can be read: `
      )
    ])
  })

  it('a newer push run in progress: the older baseline is used, and a notice and the comment say so', async () => {
    const older = pushRun({ totals: SLOWER })
    const running = pushRun({ files: null, status: 'in_progress', runAttempt: 3 })
    const r = await commentMode(pullRequestRun(SLOWER))
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('pass')
    expect(fake.comments(12)[0]?.body).toContain(`/actions/runs/${older.runId})`)
    expect(r.core.notices).toContainEqual({
      message: expect.stringContaining(
        `run ${running.runId} (${short(running.sha)}, in progress, attempt 3: a re-run): its baseline was not available yet; this compares with run ${older.runId} (${short(older.sha)})`
      ),
      title: 'nsys-bench: baseline'
    })
    expect(fake.comments(12)[0]?.body).toContain(
      `run ${running.runId} (\`${short(running.sha)}\`, in progress, attempt 3: a re-run): its baseline was not available yet`
    )
  })
})
