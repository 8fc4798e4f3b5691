/**
 * The report and baseline artifacts on "Re-run jobs", end to end: the bundled action as the legs
 * of a matrix run it on a push to the default branch, against the fake GitHub. A re-run runs in
 * the same workflow run, which still holds the earlier attempt's artifacts: the action tells an
 * earlier attempt's artifact (replaced) from one another leg of this attempt uploaded under the
 * same name (a clash: kept, and the step fails) by when the artifact was created and when this
 * attempt started (REST `run_started_at`), without changing what either artifact holds.
 *
 * No nsys is needed: the legs read profile JSONs written here.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import type { ArtifactRecord, FakeGitHub } from './fakes/github.js'
import { runAction, type ActionResult } from './harness/run-action.js'
import { useFakeGitHub } from './support/fake-lifecycle.js'
import {
  A100,
  annotations,
  expectExit,
  H100,
  kernelProfileJson,
  kernelTotals,
  logOf,
  pushEvent,
  text
} from './support/bench.js'

let fake: FakeGitHub
let work: string

useFakeGitHub('rerun', (f, w) => {
  fake = f
  work = w
})

const GEMM = 'ampere_bf16_s16816gemm_bf16_128x256_ldg8_f2f_stages_64x3_tn'
const BASELINE = 'nsys-bench-baseline-gpu'
const REPORT = 'nsys-bench-report-gpu'
const CLASH = (artifact: string): RegExp =>
  new RegExp(
    `Another job of this workflow run \\(attempt \\d\\) uploaded an artifact named ${artifact}: two jobs ran with the same \`name\``
  )

/**
 * A leg's profile: its GEMM takes `ns` (each leg and attempt measures its own number, so that an
 * artifact's content says whose it is).
 */
async function profile(label: string, ns: number, gpu: string): Promise<string> {
  const p = path.join(work, `${label}.json`)
  await writeFile(p, kernelProfileJson({ [GEMM]: ns }, { gpu: { name: gpu } }))
  return p
}

/** A leg of the matrix (`name: gpu` in both: the dimension is missing from `name`). */
async function leg(runId: number, job: string, profilePath: string): Promise<ActionResult> {
  return runAction({
    fake,
    runId,
    job,
    event: pushEvent(fake),
    timeoutMs: 60_000,
    completeRun: false,
    inputs: { name: 'gpu', 'profile-path': profilePath }
  })
}

function inRun(runId: number): ArtifactRecord[] {
  return fake.artifacts().filter((a) => a.runId === runId)
}

/** The GEMM time an artifact's profile holds (`file` in the artifact). */
function gemmOf(artifact: ArtifactRecord, file: string): number | undefined {
  return kernelTotals(text(fake.artifactFiles(artifact.id), file))[GEMM]
}

function named(runId: number, name: string): ArtifactRecord[] {
  return inRun(runId).filter((a) => a.name === name)
}

function aside(runId: number): ArtifactRecord[] {
  return inRun(runId)
    .filter((a) => a.name.startsWith(`${REPORT}-clash-`))
    .sort((a, b) => a.id - b.id)
}

/** The push run of the legs, at attempt 1 (the harness seeds it when the first leg starts). */
function pushRun(): number {
  return fake.seedRun({ event: 'push', status: 'in_progress', runAttempt: 1 }).id
}

describe('report and baseline artifacts on a re-run', () => {
  test('attempt 2 ("Re-run all jobs") of two legs of one name on a push: the second leg keeps the first one\'s baseline and report, fails with the clash, and puts its report aside', async () => {
    const run = pushRun()
    const [a1, b1, a2, b2] = await Promise.all([
      profile('a1', 4_000_000, H100),
      profile('b1', 9_000_000, A100),
      profile('a2', 4_100_000, H100),
      profile('b2', 9_100_000, A100)
    ])

    // Attempt 1: the first leg saves the baseline; the second clashes on both, and fails.
    const firstA = await leg(run, 'bench (h100)', a1)
    expectExit(firstA, 0)
    const firstB = await leg(run, 'bench (a100)', b1)
    expectExit(firstB, 1)
    expect(annotations(firstB, 'error').join('\n')).toMatch(CLASH(BASELINE))
    // The report's clash fails the step too (it was only a warning of an ignored upload).
    expect(annotations(firstB, 'error').join('\n')).toMatch(CLASH(REPORT))
    expect(aside(run).map((a) => gemmOf(a, 'profiles/run-1.json'))).toEqual([9_000_000])

    // "Re-run all jobs": attempt 2 of the same run, which still holds attempt 1's artifacts.
    fake.updateRun(run, { runAttempt: 2 })
    const started = Date.parse(fake.runs().find((r) => r.id === run)?.attempts[1]?.startedAt ?? '')
    const secondA = await leg(run, 'bench (h100)', a2)
    expectExit(secondA, 0)
    expect(annotations(secondA, 'warning')).toEqual([])
    expect(secondA.stdout).toContain(
      `Deleted the ${BASELINE} artifact of an earlier attempt of this run`
    )
    expect(secondA.stdout).toContain(
      `Deleted the ${REPORT} artifact of an earlier attempt of this run`
    )

    const secondB = await leg(run, 'bench (a100)', b2)
    expectExit(secondB, 1)
    expect(secondB.stdout, logOf(secondB)).not.toContain('Deleted the')
    const errors = annotations(secondB, 'error').join('\n')
    expect(errors).toMatch(CLASH(BASELINE))
    expect(errors).toMatch(CLASH(REPORT))
    expect(errors).toContain('(attempt 2)')
    expect(errors).toContain('Give each matrix leg its own `name`')

    // The first leg's baseline and report of attempt 2 stay, each once.
    const [baseline] = named(run, BASELINE)
    expect(named(run, BASELINE)).toHaveLength(1)
    expect(gemmOf(baseline!, 'run-1.json')).toBe(4_100_000)
    expect(Date.parse(baseline!.createdAt)).toBeGreaterThanOrEqual(started)
    const [report] = named(run, REPORT)
    expect(named(run, REPORT)).toHaveLength(1)
    expect(gemmOf(report!, 'profiles/run-1.json')).toBe(4_100_000)
    // The second leg's report went aside (attempt 1's aside stays too), with its profiles.
    const asides = aside(run)
    expect(asides.map((a) => gemmOf(a, 'profiles/run-1.json'))).toEqual([9_000_000, 9_100_000])
    const mine = asides[1]!.name
    expect(errors).toContain(`This job's report is uploaded as ${mine} instead.`)
    // Its baseline was not saved over the other leg's: the message says where its profiles are.
    expect(errors).toContain(
      `This job's baseline is not saved over it: its profiles are in the ${mine} artifact of this run, under profiles/.`
    )
    expect(Object.keys(fake.artifactFiles(asides[1]!.id))).toContain('profiles/history.json.gz')
  })

  test('attempt 2 of one leg: its report and baseline of attempt 1 are replaced, as before', async () => {
    const run = pushRun()
    const [a1, a2] = await Promise.all([
      profile('a1', 4_000_000, H100),
      profile('a2', 4_200_000, H100)
    ])
    expectExit(await leg(run, 'bench (h100)', a1), 0)
    fake.updateRun(run, { runAttempt: 2 })
    const again = await leg(run, 'bench (h100)', a2)
    expectExit(again, 0)
    expect(annotations(again, 'warning')).toEqual([])
    expect(again.stdout).toContain(`Deleted the ${BASELINE} artifact of an earlier attempt`)
    expect(again.stdout).toContain(`Deleted the ${REPORT} artifact of an earlier attempt`)
    expect(
      inRun(run)
        .map((a) => a.name)
        .sort()
    ).toEqual([BASELINE, REPORT])
    expect(gemmOf(named(run, BASELINE)[0]!, 'run-1.json')).toBe(4_200_000)
    expect(gemmOf(named(run, REPORT)[0]!, 'profiles/run-1.json')).toBe(4_200_000)
    // Asked once for both artifacts, for this attempt.
    const asked = fake.requests.filter((r) => r.operation === 'actions/get-workflow-run-attempt')
    expect(asked.map((r) => r.path)).toEqual([
      `/repos/${fake.fullName}/actions/runs/${run}/attempts/2`
    ])
  })

  test("the attempt's start cannot be read (REST refused): the artifacts already there are kept, the report goes aside, the baseline is not saved over them, with a warning; the step passes", async () => {
    const run = pushRun()
    const [a1, a2] = await Promise.all([
      profile('a1', 4_000_000, H100),
      profile('a2', 4_300_000, H100)
    ])
    expectExit(await leg(run, 'bench (h100)', a1), 0)
    fake.updateRun(run, { runAttempt: 2 })
    fake.fail({
      method: 'GET',
      path: /\/actions\/runs\/\d+\/attempts\/2(\?|$)/,
      status: 403,
      headers: { 'x-accepted-github-permissions': 'actions=read' }
    })
    const again = await leg(run, 'bench (h100)', a2)
    expectExit(again, 0)
    expect(again.stdout).not.toContain('Deleted the')
    const warnings = annotations(again, 'warning')
    expect(warnings).toHaveLength(2)
    const [forReport, forBaseline] = warnings
    for (const [w, name] of [
      [forReport, REPORT],
      [forBaseline, BASELINE]
    ] as const) {
      expect(w).toContain(
        `Could not tell whether the ${name} artifact already in this workflow run is an earlier attempt's or another job's of this attempt (2): the REST API did not say when this attempt started (`
      )
      expect(w).toContain("give the job's token `actions: read`")
      expect(w).toContain(
        "It is kept, not replaced: replacing another job's artifact would lose it."
      )
    }
    expect(again.annotations.find((a) => a.message === forReport)?.title).toBe(
      'nsys-bench: artifact of another attempt or job'
    )
    // Nothing was deleted: attempt 1's baseline and report stay; this attempt's report is aside.
    expect(named(run, BASELINE)).toHaveLength(1)
    expect(gemmOf(named(run, BASELINE)[0]!, 'run-1.json')).toBe(4_000_000)
    expect(gemmOf(named(run, REPORT)[0]!, 'profiles/run-1.json')).toBe(4_000_000)
    const asides = aside(run)
    expect(asides).toHaveLength(1)
    expect(gemmOf(asides[0]!, 'profiles/run-1.json')).toBe(4_300_000)
    expect(forReport).toContain(`This job's report is uploaded as ${asides[0]!.name} instead.`)
    expect(forBaseline).toContain(
      `This job's baseline is not saved over it: its profiles are in the ${asides[0]!.name} artifact of this run, under profiles/.`
    )
    // One refused lookup, shared by both artifacts.
    expect(
      fake.requests.filter((r) => r.operation === 'actions/get-workflow-run-attempt')
    ).toHaveLength(1)
  })
})
