/**
 * One action case: `node dist/index.js` as a child process, with a runner-like environment built
 * from hostile pieces (event file, INPUT_* values, RUNNER_TEMP), reading a mutated input through
 * `profile-path`. The GitHub API is http://127.0.0.1:9, where nothing listens.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { ACTION_INPUTS, actionTokens, type ActionCase, type EventKind } from './cases.js'
import { checkActionRun, type ActionRun } from './check-action.js'
import { printable } from './contract.js'
import type { CaseResult } from './evaluate.js'
import { materializeInput, type SeedStore } from './materialize.js'
import { INJECTION_MARK } from './payloads.js'
import { rulesText } from './rules-file.js'

export { actionTokens }

/** The runner's INPUT_ variable for an input name. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /gu, '_').toUpperCase()}`
}

function eventText(kind: EventKind): string {
  const repository = { default_branch: 'main', full_name: 'o/r' }
  switch (kind) {
    case 'push':
      return JSON.stringify({ repository, ref: 'refs/heads/main' })
    case 'pull_request':
      return JSON.stringify({
        repository,
        pull_request: { number: 7, base: { ref: 'main' }, head: { sha: 'a'.repeat(40) } }
      })
    case 'pr-hostile':
      return JSON.stringify({
        repository: { default_branch: `x\n::error::${INJECTION_MARK}` },
        pull_request: { number: '7', base: { ref: ['main'] }, head: { sha: 42 } }
      })
    case 'workflow_run':
      return JSON.stringify({ repository, workflow_run: { id: 5, head_sha: 'b'.repeat(40) } })
    case 'invalid-json':
      return '{"pull_request": '
    case 'null':
      return 'null'
    case 'array':
      return '[]'
    case 'string':
      return '"x"'
    case 'huge':
      return JSON.stringify({
        repository,
        padding: 'x'.repeat(5_000_000),
        list: Array(100_000).fill({})
      })
    case 'deep':
      return '['.repeat(100_000) + ']'.repeat(100_000)
    case 'missing':
    case 'directory':
      return ''
  }
}

/** Files planted where the action has no business deleting anything. */
function plantCanaries(root: string, workspace: string): string[] {
  const canaries = [
    join(workspace, 'canary.txt'),
    join(workspace, 'nsys-bench', 'canary.txt'),
    join(workspace, 'nsys-bench-baseline', 'default', 'canary.txt'),
    join(workspace, 'nsys-bench-results-5', 'canary.txt'),
    join(root, 'nsys-bench', 'canary.txt')
  ]
  for (const file of canaries) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, 'keep me\n')
  }
  return canaries
}

export interface ActionOptions {
  script: string
  store: SeedStore
  killMs: number
}

export async function runActionCase(
  c: ActionCase,
  dir: string,
  options: ActionOptions
): Promise<CaseResult> {
  const workspace = join(dir, 'workspace')
  const files = join(dir, 'files')
  mkdirSync(workspace, { recursive: true })
  mkdirSync(files, { recursive: true })
  const canaries = plantCanaries(dir, workspace)

  const runnerTemp = {
    ok: join(dir, 'runner-temp'),
    empty: '',
    relative: 'runner-temp',
    dot: '.',
    dotdot: '..',
    unset: undefined
  }[c.runnerTemp]
  if (c.runnerTemp === 'ok') mkdirSync(join(dir, 'runner-temp'))

  const eventPath = join(files, 'event.json')
  if (c.event === 'directory') mkdirSync(eventPath)
  else if (c.event !== 'missing') writeFileSync(eventPath, eventText(c.event))

  const inputs: Record<string, string> = { 'github-token': 'fake-token', baseline: c.baseline }
  if (c.profilePath !== 'none' && c.profile) {
    const input = materializeInput(c.profile, join(workspace, 'in'), options.store)
    const rel = relative(workspace, input.path)
    inputs['profile-path'] = {
      absolute: input.path,
      relative: rel,
      multi: `${rel}\n${rel}`,
      missing: 'nope/missing.csv'
    }[c.profilePath]
  } else inputs.command = 'true'
  if (c.baseline === 'path' && c.baselineInput) {
    const base = materializeInput(c.baselineInput, join(workspace, 'base'), options.store)
    inputs['baseline-path'] = relative(workspace, base.path)
  }
  if (c.rules) {
    writeFileSync(join(workspace, 'rules.json'), rulesText(c.rules))
    inputs['rules-file'] = 'rules.json'
  }
  for (const [name, pick] of c.inputs) {
    const values = ACTION_INPUTS[name] ?? ['']
    inputs[name] = values[pick % values.length] ?? ''
  }

  const env: Record<string, string> = {
    PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_SERVER_URL: 'http://127.0.0.1:9',
    GITHUB_GRAPHQL_URL: 'http://127.0.0.1:9/graphql',
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_EVENT_NAME: c.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: 'c'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '5',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/bench.yml@refs/heads/main',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(files, 'output'),
    GITHUB_STEP_SUMMARY: join(files, 'summary'),
    GITHUB_STATE: join(files, 'state'),
    GITHUB_ENV: join(files, 'env'),
    ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/',
    RUNNER_NAME: 'fuzz',
    // Where the action falls back to without a usable RUNNER_TEMP: inside the case, removed with it.
    TMPDIR: join(dir, 'tmp')
  }
  mkdirSync(join(dir, 'tmp'), { recursive: true })
  for (const f of ['output', 'summary', 'state', 'env']) writeFileSync(join(files, f), '')
  if (runnerTemp !== undefined) env.RUNNER_TEMP = runnerTemp
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value

  const run = await spawnAction(options.script, workspace, env, options.killMs)
  // Files in the workspace must survive; elsewhere, only RUNNER_TEMP is the action's to clear.
  const temp = runnerTemp === undefined ? undefined : resolve(workspace, runnerTemp)
  const protectedFile = (f: string): boolean =>
    isInside(f, workspace) || temp === undefined || !isInside(f, temp)
  const deleted = canaries
    .filter((f) => protectedFile(f) && !existsSync(f))
    .map((f) => relative(dir, f))
  const result: ActionRun = { ...run, deleted }
  return {
    outcome: run.timedOut
      ? 'timeout'
      : run.code === null
        ? `signal ${run.signal ?? '?'}`
        : `exit ${run.code}`,
    violations: checkActionRun(result),
    ms: run.ms,
    argv: [
      'node',
      options.script,
      ...Object.entries(inputs).map(([k, v]) => `${inputEnvName(k)}=${printable(v, 80)}`)
    ],
    inputBytes: 0,
    stdout: run.stdout.slice(0, 256 * 1024),
    stderr: run.stderr.slice(0, 256 * 1024)
  }
}

function isInside(file: string, dir: string): boolean {
  return file.startsWith(dir.endsWith(sep) ? dir : dir + sep)
}

async function spawnAction(
  script: string,
  cwd: string,
  env: Record<string, string>,
  killMs: number
): Promise<Omit<ActionRun, 'deleted'>> {
  const start = performance.now()
  const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (b: Buffer) => out.push(b))
  child.stderr.on('data', (b: Buffer) => err.push(b))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, killMs)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (c, s) => resolve([c, s]))
  )
  clearTimeout(timer)
  return {
    code,
    signal,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    ms: performance.now() - start,
    timedOut
  }
}
