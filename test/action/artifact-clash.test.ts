import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ArtifactClient } from '@actions/artifact'
import { afterAll, describe, expect, it } from 'vitest'
import { attemptClash, clashName, uploadDirectory } from '../../src/action/artifacts.js'
import type { Deps } from '../../src/main.js'
import { RecordingCore } from '../support/recording-core.js'

/**
 * The clash policy of the report and baseline artifacts (src/action/artifacts.ts): an artifact of
 * the name already in the run is an earlier attempt's when it was created before this attempt
 * started; when that cannot be known it is kept, and a warning says so. The end-to-end cases
 * (two legs, a re-run, a refused REST call) are in test/e2e/action-rerun.test.ts.
 */

const STARTED = new Date('2026-03-02T10:00:00Z')
const where = (aside: string | undefined): string => `aside: ${aside ?? 'none'}.`

describe('attemptClash', () => {
  const clash = attemptClash(() => Promise.resolve(STARTED), where)

  it('an artifact created before this attempt started is an earlier attempt’s', async () => {
    const createdAt = new Date('2026-03-02T09:59:59.999Z')
    expect(await clash.whose({ id: 1, createdAt })).toBe('earlier')
  })

  it('one created as it started or later is this attempt’s (run_started_at is given to the second)', async () => {
    expect(await clash.whose({ id: 1, createdAt: STARTED })).toBe('this')
    const later = new Date('2026-03-02T10:00:00.400Z')
    expect(await clash.whose({ id: 1, createdAt: later })).toBe('this')
  })

  it('without a creation time it cannot tell, and says why', async () => {
    expect(await clash.whose({ id: 1 })).toEqual({
      unknown: 'the artifact service did not say when that artifact was created.'
    })
  })

  it('when the REST API refuses, it cannot tell, and says which permission to give', async () => {
    const refused = attemptClash(
      () => Promise.reject(new Error('Resource not accessible by integration')),
      where
    )
    const whose = await refused.whose({ id: 1, createdAt: new Date('2026-03-01T00:00:00Z') })
    expect(whose).toEqual({
      unknown:
        "the REST API did not say when this attempt started (Resource not accessible by integration); give the job's token `actions: read` if it lacks it (GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number})."
    })
  })
})

describe('uploadDirectory at attempt 2 when the artifact service gives no creation time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-clash-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'report.md'), 'report\n')

  it('keeps the artifact already there, uploads aside, warns, and does not fail the step', async () => {
    const calls: string[] = []
    const client = {
      uploadArtifact: (name: string) => {
        calls.push(`upload ${name}`)
        return name === 'nsys-bench-report'
          ? Promise.reject(
              new Error(
                'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run'
              )
            )
          : Promise.resolve({ id: 2, size: 7 })
      },
      getArtifact: (name: string) => {
        calls.push(`get ${name}`)
        return Promise.resolve({ artifact: { id: 1, name, size: 7 } })
      },
      deleteArtifact: (name: string) => {
        calls.push(`delete ${name}`)
        return Promise.resolve({ id: 1 })
      }
    }
    const core = new RecordingCore({})
    const deps = {
      core,
      env: { GITHUB_RUN_ATTEMPT: '2' },
      artifacts: () => client as unknown as ArtifactClient
    } as unknown as Deps
    let asked = 0
    const clash = attemptClash(
      () => {
        asked++
        return Promise.resolve(STARTED)
      },
      where,
      () => Promise.resolve('nsys-bench-report-clash-0a1b2c3d')
    )
    const uploaded = await uploadDirectory(deps, 'nsys-bench-report', dir, undefined, clash)
    expect(uploaded).toEqual({ ok: true, name: 'nsys-bench-report-clash-0a1b2c3d' })
    expect(calls).toEqual([
      'upload nsys-bench-report',
      'get nsys-bench-report',
      'upload nsys-bench-report-clash-0a1b2c3d'
    ])
    // No creation time: the attempt's start is not even asked.
    expect(asked).toBe(0)
    expect(core.warnings).toEqual([
      {
        message:
          "Could not tell whether the nsys-bench-report artifact already in this workflow run is an earlier attempt's or another job's of this attempt (2): the artifact service did not say when that artifact was created. It is kept, not replaced: replacing another job's artifact would lose it. aside: nsys-bench-report-clash-0a1b2c3d.",
        title: 'nsys-bench: artifact of another attempt or job'
      }
    ])
  })
})

describe('clashName', () => {
  it('says the clash and keeps the name in front', () => {
    expect(clashName('nsys-bench-report-h100')).toMatch(
      /^nsys-bench-report-h100-clash-[0-9a-f]{8}$/
    )
  })
})
