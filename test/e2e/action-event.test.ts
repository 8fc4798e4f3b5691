/**
 * The event payload file the runner points GITHUB_EVENT_PATH at, broken: `dist/index.js` must
 * fail with one line that says so, never with a stack trace from a library that reads the file
 * when it is loaded (@actions/github), and never echo a crafted path as a workflow command.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { FIXTURES } from '../support/paths.js'
import { startFakeGitHub, type FakeGitHub } from './fakes/github.js'
import { runAction, type ActionResult } from './harness/run-action.js'
import { prEvent } from './support/bench.js'

let fake: FakeGitHub
let work: string

beforeAll(async () => {
  ;[fake, work] = await Promise.all([
    startFakeGitHub(),
    mkdtemp(path.join(tmpdir(), 'nsys-bench-e2e-event-'))
  ])
})

afterAll(async () => {
  await fake?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

async function runWithEvent(
  name: string,
  eventPath: (dir: string) => Promise<string> | string
): Promise<ActionResult> {
  const dir = path.join(work, name)
  const workspace = path.join(dir, 'workspace')
  await mkdir(workspace, { recursive: true })
  await copyFile(path.join(FIXTURES, 'profile-v1.json'), path.join(workspace, 'head.json'))
  return runAction({
    fake,
    event: prEvent(fake),
    cwd: workspace,
    inputs: { 'profile-path': 'head.json', baseline: 'none', comment: 'never' },
    env: { GITHUB_EVENT_PATH: await eventPath(dir) }
  })
}

function expectOneLineFailure(r: ActionResult, message: RegExp): void {
  expect(r.code).toBe(1)
  expect(r.annotations).toEqual([
    expect.objectContaining({ level: 'error', message: expect.stringMatching(message) })
  ])
  expect(r.annotations[0]?.message).not.toContain('\n')
  // No stack outside the debug log.
  const visible = `${r.stdout}\n${r.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::debug::'))
    .join('\n')
  expect(visible).not.toMatch(/^\s+at /m)
  expect(r.outputs.verdict).toBe('error')
}

describe('an event payload file that cannot be read', () => {
  test('not JSON (cut short)', async () => {
    const r = await runWithEvent('cut', async (dir) => {
      const file = path.join(dir, 'event.json')
      await writeFile(file, '{"pull_request": ')
      return file
    })
    expectOneLineFailure(r, /^nsys-bench: the event payload ".*event\.json" is not valid JSON: /)
  })

  test('a directory', async () => {
    const r = await runWithEvent('dir', async (dir) => {
      const file = path.join(dir, 'event-dir')
      await mkdir(file)
      return file
    })
    expectOneLineFailure(
      r,
      /^nsys-bench: cannot read the event payload ".*event-dir": it is a directory, not a file/
    )
  })

  test('missing, with a workflow command in its name', async () => {
    const r = await runWithEvent('missing', (dir) => path.join(dir, 'gone\n::error::pwned.json'))
    expectOneLineFailure(
      r,
      /^nsys-bench: cannot read the event payload ".*gone\\u\{a\}::error::pwned\.json": ENOENT/
    )
    expect(r.annotations.map((a) => a.message).join('\n')).not.toMatch(/^pwned/m)
  })
})
