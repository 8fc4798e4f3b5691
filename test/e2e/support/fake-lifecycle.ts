import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import { startFakeGitHub, type FakeGitHub } from '../fakes/github.js'

/**
 * One fake GitHub and one scratch directory for a test file: started before its tests, reset
 * before each, closed and removed after them; after each test, the fake must have seen no call
 * that breaks GitHub's OpenAPI description. `ready` hands both to the file's own variables.
 */
export function useFakeGitHub(name: string, ready: (fake: FakeGitHub, work: string) => void): void {
  let fake: FakeGitHub | undefined
  let work: string | undefined
  beforeAll(async () => {
    ;[fake, work] = await Promise.all([
      startFakeGitHub(),
      mkdtemp(path.join(tmpdir(), `nsys-bench-e2e-${name}-`))
    ])
    ready(fake, work)
  })
  afterAll(async () => {
    await fake?.close()
    if (work) await rm(work, { recursive: true, force: true })
  })
  beforeEach(() => fake?.reset())
  afterEach(() => {
    expect(fake?.violations).toEqual([])
  })
}
