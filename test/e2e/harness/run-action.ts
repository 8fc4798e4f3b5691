/**
 * Runs a node action (by default the bundled `dist/index.js`) in a child process the way a GitHub
 * runner does (actions/runner: NodeScriptActionHandler, Handler.AddInputsToEnvironment,
 * GitHubContext), against a fake GitHub from `../fakes/github.ts`, and parses what it left behind:
 * file commands ($GITHUB_OUTPUT, $GITHUB_ENV, $GITHUB_STATE, $GITHUB_PATH), the job summary, and
 * workflow commands in stdout/stderr (annotations, masks, debug lines).
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FakeGitHub } from '../fakes/github.js'

/** Events the harness derives GITHUB_REF/SHA/BASE_REF/HEAD_REF for; any other name works as a push-like event. */
export type EventName =
  | 'pull_request'
  | 'pull_request_target'
  | 'push'
  | 'workflow_run'
  | 'workflow_dispatch'
  | 'schedule'
  | (string & {})

export interface RunActionOptions {
  /**
   * the action's entry point, relative to the current directory (default: $NSYS_BENCH_ACTION,
   * a bundle built elsewhere with NSYS_BENCH_DIST_DIR and action.yml copied beside its folder;
   * else `dist/index.js`)
   */
  script?: string
  /** `with:` values by input name (kebab-case as in action.yml); they win over action.yml defaults */
  inputs?: Record<string, string>
  /** the triggering event; `repository` and `sender` are added to the payload when missing */
  event: { name: EventName; payload: object }
  fake: FakeGitHub
  /** extra variables; `undefined` removes one the harness would set */
  env?: Record<string, string | undefined>
  /** GITHUB_WORKSPACE and the child's cwd (default: a fresh empty temp directory) */
  cwd?: string
  /** default 60 000; the child is killed with SIGKILL after it */
  timeoutMs?: number
  /** GITHUB_RUN_ID (default: one above every run the fake knows) */
  runId?: number
  runNumber?: number
  runAttempt?: number
  /** GITHUB_JOB (default `bench`); when given, the job also gets its own Results-service id */
  job?: string
  /** GITHUB_WORKFLOW, the workflow's name (default: the file name without extension) */
  workflow?: string
  /** the workflow file under .github/workflows (default `bench.yml`) */
  workflowFile?: string
  /** the value of `${{ github.token }}` in action.yml defaults (default: fake.token) */
  token?: string
  /** GITHUB_SHA / GITHUB_REF overrides (defaults derive from the event, as the runner does) */
  sha?: string
  ref?: string
  /** GITHUB_SERVER_URL: must pass @actions/artifact's GHES check (default https://github.com) */
  serverUrl?: string
  /** action.yml whose input defaults the "runner" applies; false: none (default: `<script dir>/../action.yml` if present) */
  actionYml?: string | false
  /** seed the run in the fake as in_progress, then mark it completed with success/failure from the exit code (default true) */
  completeRun?: boolean
  /** keep the temp directory (event file, file commands, RUNNER_TEMP, default workspace) */
  keepTemp?: boolean
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  title?: string
  file?: string
  line?: number
  endLine?: number
  col?: number
  endColumn?: number
}

export interface WorkflowCommand {
  command: string
  properties: Record<string, string>
  message: string
  stream: 'stdout' | 'stderr'
}

export interface ActionResult {
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  stdout: string
  stderr: string
  /** $GITHUB_OUTPUT */
  outputs: Record<string, string>
  /** $GITHUB_STEP_SUMMARY */
  summary: string
  annotations: Annotation[]
  /** $GITHUB_ENV and $GITHUB_STATE */
  exportedEnv: Record<string, string>
  state: Record<string, string>
  /** $GITHUB_PATH lines */
  addedPaths: string[]
  /** `::add-mask::` values */
  masks: string[]
  /** `::debug::` messages */
  debug: string[]
  /** every workflow command the runner would have processed, in order (stdout before stderr) */
  commands: WorkflowCommand[]
  runId: number
  /** the environment the child got */
  env: Record<string, string>
  workspace: string
  /** set when keepTemp */
  tempDir?: string
  durationMs: number
}

/** Variables of the test process that must not leak into the "runner" environment. */
const SCRUB =
  /^(GITHUB_|INPUT_|ACTIONS_|RUNNER_|STATE_|VITEST|npm_|NODE_OPTIONS$|NODE_ENV$|CI$|TEST$|INIT_CWD$|https?_proxy$|HTTPS?_PROXY$|no_proxy$|NO_PROXY$|ALL_PROXY$|all_proxy$)/

export async function runAction(opts: RunActionOptions): Promise<ActionResult> {
  const started = performance.now()
  const { fake, event } = opts
  const script = path.resolve(opts.script ?? process.env.NSYS_BENCH_ACTION ?? 'dist/index.js')
  if (!existsSync(script)) throw new Error(`runAction: ${script} does not exist (build it first)`)
  const temp = await mkdtemp(path.join(tmpdir(), 'nsys-bench-e2e-'))
  const files = path.join(temp, '_runner_file_commands')
  const runnerTemp = path.join(temp, '_temp')
  const workspace = opts.cwd ? path.resolve(opts.cwd) : path.join(temp, 'workspace')
  await Promise.all([
    mkdir(files, { recursive: true }),
    mkdir(runnerTemp, { recursive: true }),
    mkdir(workspace, { recursive: true })
  ])

  const ctx = deriveContext(opts)
  const payload = {
    ...event.payload,
    repository: (event.payload as { repository?: unknown }).repository ?? {
      id: fake.repoId,
      node_id: `R_kgDO${fake.repoId}`,
      name: fake.repo,
      full_name: fake.fullName,
      private: false,
      owner: { login: fake.owner, type: 'Organization' },
      html_url: `${fake.serverUrl}/${fake.fullName}`,
      default_branch: fake.defaultBranch
    },
    sender: (event.payload as { sender?: unknown }).sender ?? {
      login: 'octocat',
      id: 583231,
      type: 'User'
    }
  }

  const eventPath = path.join(temp, '_github_workflow', 'event.json')
  await mkdir(path.dirname(eventPath), { recursive: true })
  await writeFile(eventPath, JSON.stringify(payload, null, 2))
  const fileCmd = (kind: string): string => path.join(files, `${kind}_${randomUUID()}`)
  const outputFile = fileCmd('set_output')
  const summaryFile = fileCmd('step_summary')
  const stateFile = fileCmd('save_state')
  const envFile = fileCmd('set_env')
  const pathFile = fileCmd('add_path')
  await Promise.all(
    [outputFile, summaryFile, stateFile, envFile, pathFile].map((f) => writeFile(f, ''))
  )

  const runId = opts.runId ?? Math.max(1000, ...fake.runs().map((r) => r.id)) + 1
  const workflowFile = opts.workflowFile ?? 'bench.yml'
  const completeRun = opts.completeRun ?? true
  fake.ensureRun({
    id: runId,
    workflowFile,
    workflowName: opts.workflow,
    event: event.name,
    status: 'in_progress',
    headBranch: ctx.runHeadBranch,
    headSha: ctx.runHeadSha,
    headRepoFullName: ctx.headRepoFullName,
    runNumber: opts.runNumber,
    runAttempt: opts.runAttempt,
    pullRequests:
      ctx.prNumber !== undefined && ctx.headRepoFullName === fake.fullName ? [ctx.prNumber] : []
  })
  const run = fake.runs().find((r) => r.id === runId)
  const actionPath = path.dirname(path.dirname(script))
  const serverUrl = opts.serverUrl ?? 'https://github.com'
  const token = opts.token ?? fake.token

  const github: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_ACTION: '__self',
    GITHUB_ACTION_PATH: actionPath,
    GITHUB_ACTION_REPOSITORY: '',
    GITHUB_ACTION_REF: '',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTOR_ID: '583231',
    GITHUB_TRIGGERING_ACTOR: 'octocat',
    GITHUB_API_URL: fake.url,
    GITHUB_GRAPHQL_URL: `${fake.url}/graphql`,
    GITHUB_SERVER_URL: serverUrl,
    GITHUB_REPOSITORY: fake.fullName,
    GITHUB_REPOSITORY_ID: String(fake.repoId),
    GITHUB_REPOSITORY_OWNER: fake.owner,
    GITHUB_REPOSITORY_OWNER_ID: '9919',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: ctx.sha,
    GITHUB_REF: ctx.ref,
    GITHUB_REF_NAME: ctx.refName,
    GITHUB_REF_TYPE: ctx.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_BASE_REF: ctx.baseRef,
    GITHUB_HEAD_REF: ctx.headRef,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_NUMBER: String(run?.runNumber ?? opts.runNumber ?? 1),
    GITHUB_RUN_ATTEMPT: String(run?.runAttempt ?? opts.runAttempt ?? 1),
    GITHUB_JOB: opts.job ?? 'bench',
    GITHUB_WORKFLOW: opts.workflow ?? run?.workflowName ?? workflowFile.replace(/\.ya?ml$/, ''),
    GITHUB_WORKFLOW_REF: `${fake.fullName}/.github/workflows/${workflowFile}@${ctx.ref}`,
    GITHUB_WORKFLOW_SHA: ctx.sha,
    GITHUB_WORKSPACE: workspace,
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    GITHUB_ENV: envFile,
    GITHUB_PATH: pathFile,
    // A job named in the options has its own Results-service id, as each job of a run has.
    ACTIONS_RUNTIME_TOKEN: fake.runtimeToken({
      runId,
      ...(opts.job === undefined ? {} : { jobBackendId: fake.jobBackendId(runId, opts.job) })
    }),
    ACTIONS_RUNTIME_URL: `${fake.url}/`,
    ACTIONS_RESULTS_URL: `${fake.url}/`,
    RUNNER_NAME: 'GitHub Actions 1000000001',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: path.join(temp, '_tool'),
    RUNNER_WORKSPACE: path.dirname(workspace)
  }

  const defaults =
    opts.actionYml === false
      ? {}
      : await readActionDefaults(
          opts.actionYml ?? path.join(actionPath, 'action.yml'),
          opts.actionYml !== undefined
        )
  const inputs: Record<string, string> = {}
  for (const [name, value] of Object.entries(defaults))
    inputs[name] = evaluateDefault(value, { token, env: github, payload, runnerTemp })
  Object.assign(inputs, opts.inputs)

  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !SCRUB.test(k)) env[k] = v
  Object.assign(env, github)
  // Handler.AddInputsToEnvironment: INPUT_{name.Replace(' ', '_').ToUpperInvariant()} (hyphens kept)
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }

  const child = spawn(process.execPath, [script], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => out.push(c))
  child.stderr.on('data', (c: Buffer) => err.push(c))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, opts.timeoutMs ?? 60_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolve, reject) => {
      child.once('error', reject)
      child.once('close', (c, s) => resolve([c, s]))
    }
  ).finally(() => clearTimeout(timer))

  const stdout = Buffer.concat(out).toString('utf8')
  const stderr = Buffer.concat(err).toString('utf8')
  const commands = [
    ...parseWorkflowCommands(stdout, 'stdout'),
    ...parseWorkflowCommands(stderr, 'stderr')
  ]
  const [outputText, summary, stateText, envText, pathText] = await Promise.all(
    [outputFile, summaryFile, stateFile, envFile, pathFile].map((f) => readFile(f, 'utf8'))
  )
  if (completeRun)
    fake.updateRun(runId, { status: 'completed', conclusion: code === 0 ? 'success' : 'failure' })
  if (!opts.keepTemp) await rm(temp, { recursive: true, force: true })

  return {
    code,
    signal,
    timedOut,
    stdout,
    stderr,
    outputs: parseFileCommand(outputText as string, 'GITHUB_OUTPUT'),
    summary: summary as string,
    annotations: commands.flatMap(toAnnotation),
    exportedEnv: parseFileCommand(envText as string, 'GITHUB_ENV'),
    state: parseFileCommand(stateText as string, 'GITHUB_STATE'),
    addedPaths: (pathText as string).split(/\r?\n/).filter(Boolean),
    masks: commands.filter((c) => c.command === 'add-mask').map((c) => c.message),
    debug: commands.filter((c) => c.command === 'debug').map((c) => c.message),
    commands,
    runId,
    env,
    workspace,
    ...(opts.keepTemp ? { tempDir: temp } : {}),
    durationMs: performance.now() - started
  }
}

/** `INPUT_<NAME>`: spaces → `_`, upper-cased, hyphens kept (actions/runner Handler.cs). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

// ---------------------------------------------------------------------------------------------
// Event → GITHUB_SHA / GITHUB_REF / base and head refs, and the run the fake should hold

interface DerivedContext {
  sha: string
  ref: string
  refName: string
  baseRef: string
  headRef: string
  prNumber?: number
  runHeadBranch: string
  runHeadSha: string
  headRepoFullName: string
}

function deriveContext(opts: RunActionOptions): DerivedContext {
  const { fake, event } = opts
  const p = event.payload as {
    number?: number
    ref?: string
    after?: string
    pull_request?: {
      number?: number
      merge_commit_sha?: string | null
      head?: { ref?: string; sha?: string; repo?: { full_name?: string } | null }
      base?: { ref?: string; sha?: string }
    }
  }
  const fakeSha = (seed: string): string =>
    Buffer.from(seed).toString('hex').padEnd(40, '0').slice(0, 40)
  if (
    p.pull_request &&
    (event.name === 'pull_request' ||
      event.name === 'pull_request_target' ||
      event.name === 'pull_request_review')
  ) {
    const pr = p.pull_request
    const n = p.number ?? pr.number ?? 1
    const headRef = pr.head?.ref ?? 'feature'
    const headSha = pr.head?.sha ?? fakeSha(`head${n}`)
    const baseRef = pr.base?.ref ?? fake.defaultBranch
    const target = event.name === 'pull_request_target'
    // pull_request: the merge ref; pull_request_target: the base branch
    const ref = opts.ref ?? (target ? `refs/heads/${baseRef}` : `refs/pull/${n}/merge`)
    return {
      sha:
        opts.sha ??
        (target
          ? (pr.base?.sha ?? fakeSha(`base${n}`))
          : (pr.merge_commit_sha ?? fakeSha(`merge${n}`))),
      ref,
      refName: target ? baseRef : `${n}/merge`,
      baseRef,
      headRef,
      prNumber: n,
      runHeadBranch: headRef,
      runHeadSha: headSha,
      headRepoFullName: pr.head?.repo?.full_name ?? fake.fullName
    }
  }
  const ref = opts.ref ?? p.ref ?? `refs/heads/${fake.defaultBranch}`
  const sha = opts.sha ?? p.after ?? fakeSha(`${event.name}${ref}`)
  const refName = ref.replace(/^refs\/(heads|tags)\//, '')
  return {
    sha,
    ref,
    refName,
    baseRef: '',
    headRef: '',
    runHeadBranch: refName,
    runHeadSha: sha,
    headRepoFullName: fake.fullName
  }
}

// ---------------------------------------------------------------------------------------------
// action.yml input defaults (a small reader for the `inputs:` block; no YAML dependency)

export async function readActionDefaults(
  file: string,
  required = false
): Promise<Record<string, string>> {
  if (!existsSync(file)) {
    if (required) throw new Error(`runAction: ${file} does not exist`)
    return {}
  }
  return parseActionDefaults(await readFile(file, 'utf8'))
}

export function parseActionDefaults(yml: string): Record<string, string> {
  const lines = yml.split(/\r?\n/)
  const indent = (l: string): number => l.length - l.trimStart().length
  const start = lines.findIndex((l) => /^inputs:\s*(#.*)?$/.test(l))
  const out: Record<string, string> = {}
  if (start < 0) return out
  let inputIndent = -1
  let current: string | undefined
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] as string
    if (!line.trim() || line.trimStart().startsWith('#')) continue
    const ind = indent(line)
    if (ind === 0) break
    if (inputIndent < 0) inputIndent = ind
    if (ind === inputIndent) {
      current = /^\s*(['"]?)([^'":]+)\1:\s*$/.exec(line)?.[2]
      continue
    }
    const m = /^\s*default:\s*(.*)$/.exec(line)
    if (!current || ind <= inputIndent || !m) continue
    const raw = (m[1] as string).trim()
    if (/^[|>][+-]?$/.test(raw)) {
      const block: string[] = []
      let blockIndent = -1
      for (i++; i < lines.length; i++) {
        const l = lines[i] as string
        if (l.trim() && indent(l) <= ind) break
        if (blockIndent < 0 && l.trim()) blockIndent = indent(l)
        block.push(l.slice(Math.max(0, blockIndent)))
      }
      i--
      const text = raw.startsWith('>')
        ? block.join(' ').replace(/\s+$/, '')
        : block.join('\n').replace(/\n+$/, '')
      out[current] = raw.endsWith('-') ? text : `${text}\n`
    } else {
      out[current] = unquote(raw.replace(/\s+#.*$/, ''))
    }
  }
  return out
}

function unquote(s: string): string {
  if (s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'")
  if (s.startsWith('"') && s.endsWith('"')) return JSON.parse(s) as string
  return s
}

/** Evaluates the `${{ … }}` expressions action.yml defaults use. Unknown ones throw. */
function evaluateDefault(
  value: string,
  c: { token: string; env: Record<string, string>; payload: object; runnerTemp: string }
): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    if (expr === 'github.token') return c.token
    if (expr === 'runner.temp') return c.runnerTemp
    if (expr === 'runner.os') return c.env.RUNNER_OS ?? 'Linux'
    const ev = /^github\.event\.(.+)$/.exec(expr)
    if (ev) {
      const v = (ev[1] as string)
        .split('.')
        .reduce<unknown>(
          (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
          c.payload
        )
      return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v)
    }
    const gh = /^github\.([a-z_]+)$/.exec(expr)
    const key = gh && `GITHUB_${(gh[1] as string).toUpperCase()}`
    if (key && key in c.env) return c.env[key] as string
    throw new Error(
      `runAction: cannot evaluate \${{ ${expr} }} in an action.yml default; pass the input explicitly`
    )
  })
}

// ---------------------------------------------------------------------------------------------
// File commands and workflow commands

/**
 * Parses a file command file ($GITHUB_OUTPUT, $GITHUB_ENV, $GITHUB_STATE) like the runner's
 * FileCommandManager: `name=value` lines and `name<<DELIMITER` … `DELIMITER` heredocs.
 */
export function parseFileCommand(text: string, what = 'file command'): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line === '') continue
    const eq = line.indexOf('=')
    const hd = line.indexOf('<<')
    if (hd > 0 && (eq < 0 || hd < eq)) {
      const name = line.slice(0, hd)
      const delimiter = line.slice(hd + 2)
      if (!delimiter) throw new Error(`${what}: empty heredoc delimiter for '${name}'`)
      const value: string[] = []
      let closed = false
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true
          break
        }
        value.push(lines[i] as string)
      }
      if (!closed) throw new Error(`${what}: matching delimiter not found '${delimiter}'`)
      out[name] = value.join('\n')
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1)
    } else {
      throw new Error(`${what}: invalid line '${line}'`)
    }
  }
  return out
}

const unescapeData = (s: string): string =>
  s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%')
const unescapeProperty = (s: string): string =>
  s
    .replace(/%0D/gi, '\r')
    .replace(/%0A/gi, '\n')
    .replace(/%3A/gi, ':')
    .replace(/%2C/gi, ',')
    .replace(/%25/g, '%')

/** Workflow commands (`::name key=value,…::message`) as the runner reads them, honouring stop-commands. */
export function parseWorkflowCommands(
  text: string,
  stream: 'stdout' | 'stderr' = 'stdout'
): WorkflowCommand[] {
  const out: WorkflowCommand[] = []
  let stopToken: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line.startsWith('::')) continue
    const end = line.indexOf('::', 2)
    if (end < 0) continue
    const head = line.slice(2, end)
    const message = line.slice(end + 2)
    const space = head.indexOf(' ')
    const command = (space < 0 ? head : head.slice(0, space)).toLowerCase()
    if (stopToken !== undefined) {
      if (head === stopToken) stopToken = undefined
      continue
    }
    const properties: Record<string, string> = {}
    if (space >= 0) {
      for (const pair of head.slice(space + 1).split(',')) {
        const eq = pair.indexOf('=')
        if (eq > 0) properties[pair.slice(0, eq).trim()] = unescapeProperty(pair.slice(eq + 1))
      }
    }
    if (command === 'stop-commands') {
      stopToken = message
      continue
    }
    out.push({ command, properties, message: unescapeData(message), stream })
  }
  return out
}

function toAnnotation(c: WorkflowCommand): Annotation[] {
  if (c.command !== 'error' && c.command !== 'warning' && c.command !== 'notice') return []
  const a: Annotation = { level: c.command, message: c.message }
  const p = c.properties
  if (p.title !== undefined) a.title = p.title
  if (p.file !== undefined) a.file = p.file
  const num = (v: string | undefined): number | undefined =>
    v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined
  const line = num(p.line)
  const endLine = num(p.endLine)
  const col = num(p.col)
  const endColumn = num(p.endColumn)
  if (line !== undefined) a.line = line
  if (endLine !== undefined) a.endLine = endLine
  if (col !== undefined) a.col = col
  if (endColumn !== undefined) a.endColumn = endColumn
  return [a]
}
