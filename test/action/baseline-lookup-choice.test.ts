/**
 * The baseline lookup (src/action/baseline.ts) against the fake GitHub REST API (validated against
 * GitHub's OpenAPI description): which push run's artifact becomes the baseline, and what is
 * said when none can be used. The artifact client is an in-memory one serving seeded files.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ArtifactClient } from '@actions/artifact'
import { getOctokit } from '@actions/github'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { baselineOfRun, findBaseline } from '../../src/action/baseline.js'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../e2e/fakes/github.js'

const NAME = 'nsys-bench-baseline-h100'

let fake: FakeGitHub
let root: string
let cases = 0
/** artifact id → files the fake artifact client writes on download */
let served: Map<number, Record<string, string>>
/** artifact ids whose download fails */
let failing: Set<number>
let downloads: { id: number; runId: number | undefined }[]

const artifacts = {
  downloadArtifact(
    id: number,
    options?: { path?: string; findBy?: { workflowRunId: number } }
  ): Promise<{ downloadPath: string }> {
    downloads.push({ id, runId: options?.findBy?.workflowRunId })
    if (failing.has(id)) return Promise.reject(new Error(`Unexpected status: 500`))
    const files = served.get(id)
    if (!files || !options?.path) return Promise.reject(new Error(`no artifact ${id}`))
    const path = options.path
    return Promise.all(
      Object.entries(files).map(([name, content]) => writeFile(join(path, name), content))
    ).then(() => ({ downloadPath: path }))
  }
} as unknown as ArtifactClient

const repo = { owner: 'octo-org', repo: 'llm-serve' }

/** A push run on main of `workflowFile` (bench.yml) holding `name`'s artifact. */
function seed(
  o: {
    workflowFile?: string
    headRepoFullName?: string
    conclusion?: 'success' | 'failure' | 'cancelled'
    name?: string | null
    expired?: boolean
  } = {}
): { runId: number; artifactId?: number } {
  const run = fake.seedRun({
    event: 'push',
    headBranch: 'main',
    workflowFile: o.workflowFile ?? 'bench.yml',
    ...(o.headRepoFullName ? { headRepoFullName: o.headRepoFullName } : {}),
    ...(o.conclusion ? { conclusion: o.conclusion } : {})
  })
  if (o.name === null) return { runId: run.id }
  const name = o.name ?? NAME
  const files = { [`run-${run.id}.json`]: `{"run":${run.id}}` }
  const artifact = fake.seedArtifact(run.id, name, files, o.expired ? { expired: true } : {})
  served.set(artifact.id, files)
  return { runId: run.id, artifactId: artifact.id }
}

async function search(o: { currentRunId?: number; workflow?: string } = {}) {
  const downloadTo = join(root, `case-${++cases}`)
  const found = await findBaseline(
    getOctokit(FAKE_TOKENS.github, { baseUrl: fake.url }),
    artifacts,
    {
      repo,
      token: FAKE_TOKENS.github,
      workflow: o.workflow ?? 'bench.yml',
      branch: 'main',
      artifactName: NAME,
      currentRunId: o.currentRunId ?? 999_999_999,
      downloadTo
    }
  )
  return { ...found, downloadTo }
}

function named(runId: number, o: { workflow?: string } = {}) {
  return baselineOfRun(getOctokit(FAKE_TOKENS.github, { baseUrl: fake.url }), artifacts, {
    repo,
    token: FAKE_TOKENS.github,
    runId,
    branch: 'main',
    artifactName: NAME,
    downloadTo: join(root, `case-${++cases}`),
    ...o
  })
}

beforeAll(async () => {
  ;[fake, root] = await Promise.all([
    startFakeGitHub({ workflows: ['bench.yml', 'other.yml'] }),
    mkdtemp(join(tmpdir(), 'nsys-bench-baseline-lookup-'))
  ])
})

afterAll(async () => {
  await fake?.close()
  if (root) await rm(root, { recursive: true, force: true })
})

beforeEach(() => {
  fake.reset()
  served = new Map()
  failing = new Set()
  downloads = []
})

describe('findBaseline chooses', () => {
  it('the newest push run of this workflow, not a newer one of another workflow file', async () => {
    const mine = seed()
    seed({ workflowFile: 'other.yml' })
    const r = await search()
    expect(r.found?.runId).toBe(mine.runId)
    expect(fake.violations).toEqual([])
  })

  it("not a fork's push run of a branch named main", async () => {
    const mine = seed()
    seed({ headRepoFullName: 'mallory/llm-serve' })
    const r = await search()
    expect(r.found?.runId).toBe(mine.runId)
  })

  it('the exact artifact name, never one it is a prefix of (another matrix leg)', async () => {
    const mine = seed()
    seed({ name: `${NAME}-fp8` })
    const r = await search()
    expect(r.found?.runId).toBe(mine.runId)
    expect(downloads.map((d) => d.runId)).toEqual([mine.runId])
  })

  it('a failed push run that saved a baseline (a merged regression): it is the newest', async () => {
    seed()
    const failed = seed({ conclusion: 'failure' })
    expect((await search()).found?.runId).toBe(failed.runId)
  })

  it('never the current run', async () => {
    const older = seed()
    const current = seed()
    expect((await search({ currentRunId: current.runId })).found?.runId).toBe(older.runId)
  })

  it('the newest of more than one page of runs, and an older one past runs without any', async () => {
    const oldest = seed()
    for (let i = 0; i < 60; i++) seed({ name: null })
    const r = await search()
    expect(r.found?.runId).toBe(oldest.runId)
    expect(r.looked).toBe(61)
  })

  it('at most 100 runs: a baseline on the 101st is not found, and the search says 100', async () => {
    seed()
    for (let i = 0; i < 100; i++) seed({ name: null })
    const r = await search()
    expect(r.found).toBeUndefined()
    expect(r.looked).toBe(100)
    expect(r.unreadable).toEqual([])
  })

  it('an older valid artifact past a newer expired one; the expired one is said', async () => {
    const valid = seed()
    const old = seed({ expired: true })
    const r = await search()
    expect(r.found?.runId).toBe(valid.runId)
    expect(r.expired).toEqual([expect.stringContaining(`run ${old.runId}`)])
  })

  it('a download failure is unreadable (never "no baseline"), and only one run’s files are in the directory', async () => {
    const older = seed()
    const newer = seed()
    failing.add(newer.artifactId!)
    const r = await search()
    expect(r.unreadable).toEqual([expect.stringContaining(`run ${newer.runId}`)])
    expect(r.found?.runId).toBe(older.runId)
    expect(await readdir(r.found!.dir)).toEqual([`run-${older.runId}.json`])
  })
})

describe('baselineOfRun (the run a results artifact names)', () => {
  it('accepts a completed push run of this workflow on the branch', async () => {
    const mine = seed()
    expect((await named(mine.runId, { workflow: 'bench.yml' })).found.runId).toBe(mine.runId)
  })

  it('refuses a push run of another workflow file, one the search would never have found', async () => {
    seed()
    const other = seed({ workflowFile: 'other.yml' })
    await expect(named(other.runId, { workflow: 'bench.yml' })).rejects.toThrow(
      /a push run of another workflow \(other\.yml\), not of bench\.yml/
    )
    expect(downloads).toEqual([])
  })
})
