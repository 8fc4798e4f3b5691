/**
 * One loopback HTTP server that stands in for everything the action talks to on a runner:
 *
 * - GitHub REST (the subset in `IMPLEMENTED_OPERATIONS`), every request and response checked
 *   against GitHub's OpenAPI description (`./openapi.ts`);
 * - the Actions Results service (Twirp JSON, `github.actions.results.api.v1.ArtifactService`);
 * - an Azure block-blob store behind signed URLs (Azurite-style paths).
 *
 * The three share one state: an artifact uploaded through Twirp in run N is an artifact of run N
 * in REST, downloadable cross-run through the REST 302. Protocol facts: docs/actions-runtime.md.
 *
 * Anything a test should never see (a route GitHub does not have, a request or a response that
 * breaks the description, a malformed Twirp or blob call) is answered with an error AND recorded
 * in `violations`; every test should end with `expect(fake.violations).toEqual([])`.
 *
 *   const fake = await startFakeGitHub()                     // octo-org/llm-serve, bench.yml
 *   fake.seedRun({ id: 41, event: 'push', headBranch: 'main' })  // completed/success by default
 *   fake.seedArtifact(41, 'bench-results', { 'profile.json': '{…}' })
 *   fake.seedComments(7, ['noise', { body: '<!-- nsys-bench:default -->', user: { login: 'github-actions[bot]' } }])
 *   fake.fail({ method: 'POST', path: /\/comments$/, status: 403, headers: { … } })
 *   const r = await runAction({ fake, inputs, event: { name: 'pull_request', payload } }) // ../harness
 *   fake.comments(7); fake.artifactFiles('bench-results'); fake.requests; fake.violations
 *
 * Module map: ./openapi.ts (GitHub's description, validation), ./rest.ts (REST handlers and
 * objects), ./results-service.ts (Twirp, runtime token, blob store), ./state.ts (shared state).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { unzipSync, zipSync } from 'fflate'
import { loadGitHubSpec, type OperationId } from './openapi.js'
import { createRestHandler } from './rest.js'
import { BLOB_ACCOUNT, createResultsService } from './results-service.js'
import {
  BOT,
  HUMAN,
  HttpError,
  blobKey,
  freshState,
  hashInt,
  isText,
  iso,
  jobBackendIdFor,
  publicArtifact,
  sha1,
  uuidFrom,
  type Artifact,
  type ArtifactRecord,
  type CommentRecord,
  type CommentUser,
  type FakeContext,
  type FaultHandle,
  type FaultSpec,
  type Fault,
  type PermissionLevel,
  type PermissionScope,
  type RecordedRequest,
  type Reply,
  type RunRecord,
  type SeedCommentInput,
  type SeedPullInput,
  type SeedRunInput,
  type TokenIdentity,
  type Violation
} from './state.js'

export type {
  ArtifactRecord,
  AttemptRecord,
  CommentRecord,
  CommentUser,
  FaultHandle,
  FaultSpec,
  PermissionLevel,
  PermissionScope,
  RecordedRequest,
  RunConclusion,
  RunRecord,
  RunStatus,
  SeedCommentInput,
  SeedPullInput,
  SeedRunInput,
  TokenIdentity,
  Violation
} from './state.js'

// ---------------------------------------------------------------------------------------------
// Public types

/** Tokens every fake accepts (add more with `tokens`). */
export const FAKE_TOKENS = {
  /** the job's GITHUB_TOKEN on a same-repo event: installation token with write scopes */
  github: 'ghs_fakeGitHubToken0000000000000000000000',
  /** the GITHUB_TOKEN of a pull_request from a public fork: every scope capped at read */
  readOnly: 'ghs_fakeForkReadOnlyToken000000000000000',
  /** a personal access token of user `octocat` */
  pat: 'ghp_fakePersonalAccessToken0000000000000'
} as const

export interface FakeGitHubOptions {
  owner?: string
  repo?: string
  /** numeric repository id (default 700001) */
  repoId?: number
  defaultBranch?: string
  /** used for html_url links only; never contacted (default https://github.com) */
  serverUrl?: string
  /** extra or replacement tokens; FAKE_TOKENS are always known */
  tokens?: Record<string, TokenIdentity>
  /** workflow files that exist before any run (default ['bench.yml']) */
  workflows?: string[]
  /** default artifact retention when CreateArtifact sends no expires_at (default 90) */
  retentionDays?: number
  /** print one line per request (true → stderr) */
  log?: boolean | ((line: string) => void)
  port?: number
}

export interface FakeGitHub {
  /** http://127.0.0.1:PORT — GITHUB_API_URL and ACTIONS_RESULTS_URL origin */
  readonly url: string
  readonly owner: string
  readonly repo: string
  /** owner/repo */
  readonly fullName: string
  readonly repoId: number
  readonly defaultBranch: string
  readonly serverUrl: string
  /** FAKE_TOKENS.github */
  readonly token: string
  /** how long the OpenAPI description took to load (first load in this process) and what is validated */
  readonly spec: { loadMs: number; operations: readonly OperationId[]; totalOperations: number }
  readonly requests: RecordedRequest[]
  readonly violations: Violation[]

  seedRun(input?: SeedRunInput): RunRecord
  /** the run with this id, seeded from `input` if it does not exist yet */
  ensureRun(input: SeedRunInput & { id: number }): RunRecord
  updateRun(id: number, patch: Partial<Omit<SeedRunInput, 'id'>>): RunRecord
  runs(): RunRecord[]
  /** an ACTIONS_RUNTIME_TOKEN (HS256 JWT, signed by this fake) scoped to the run's backend ids */
  runtimeToken(opts: { runId: number; jobBackendId?: string }): string
  /** the Results-service job id a runtimeToken without `jobBackendId` carries, or that of the job named `job` */
  jobBackendId(runId: number, job?: string): string

  seedArtifact(
    runId: number,
    name: string,
    files: Record<string, string | Uint8Array>,
    opts?: { expired?: boolean; createdAt?: string | Date; expiresAt?: string | Date }
  ): ArtifactRecord
  expireArtifact(id: number): void
  artifacts(): ArtifactRecord[]
  /** the unzipped files of an artifact (by id, or by name: the newest one with that name) */
  artifactFiles(idOrName: number | string, opts?: { runId?: number }): Record<string, Uint8Array>
  /** the stored zip of an artifact */
  artifactZip(idOrName: number | string, opts?: { runId?: number }): Uint8Array

  seedComments(issueNumber: number, comments: (string | SeedCommentInput)[]): CommentRecord[]
  comments(issueNumber: number): CommentRecord[]
  seedPull(input: SeedPullInput): void

  fail(spec: FaultSpec): FaultHandle
  clearFaults(): void
  /** forget runs, artifacts, blobs, comments, pulls, faults, requests, violations (the port stays) */
  reset(): void
  close(): Promise<void>
}

const WRITE_SCOPES: Partial<Record<PermissionScope, PermissionLevel>> = {
  actions: 'write',
  contents: 'write',
  issues: 'write',
  pull_requests: 'write',
  metadata: 'read'
}
const READ_SCOPES: Partial<Record<PermissionScope, PermissionLevel>> = {
  actions: 'read',
  contents: 'read',
  issues: 'read',
  pull_requests: 'read',
  metadata: 'read'
}

// ---------------------------------------------------------------------------------------------

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const spec = await loadGitHubSpec()
  const owner = opts.owner ?? 'octo-org'
  const repo = opts.repo ?? 'llm-serve'
  const fullName = `${owner}/${repo}`
  const repoId = opts.repoId ?? 700001
  const defaultBranch = opts.defaultBranch ?? 'main'
  const serverUrl = (opts.serverUrl ?? 'https://github.com').replace(/\/$/, '')
  const retentionDays = opts.retentionDays ?? 90
  const secret = randomBytes(32)
  const tokens = new Map<string, TokenIdentity>([
    [FAKE_TOKENS.github, { kind: 'installation', permissions: WRITE_SCOPES }],
    [FAKE_TOKENS.readOnly, { kind: 'installation', permissions: READ_SCOPES }],
    [FAKE_TOKENS.pat, { kind: 'user', login: HUMAN.login, id: HUMAN.id, name: 'The Octocat' }],
    ...Object.entries(opts.tokens ?? {})
  ])
  const log =
    opts.log === true
      ? (line: string) => process.stderr.write(`[fake-github] ${line}\n`)
      : opts.log || undefined

  const requests: RecordedRequest[] = []
  const violations: Violation[] = []
  const state = freshState(opts.workflows ?? ['bench.yml'])

  const workflowIdFor = (file: string): number => {
    let id = state.workflows.get(file)
    if (id === undefined) {
      id = state.nextWorkflowId++
      state.workflows.set(file, id)
    }
    return id
  }

  const addComment = (issueNumber: number, input: SeedCommentInput): CommentRecord => {
    const user = { ...HUMAN, ...input.user } as Required<CommentUser>
    if (input.user && input.user.id === undefined)
      user.id = input.user.login === BOT.login ? BOT.id : hashInt(input.user.login)
    if (input.user && input.user.type === undefined)
      user.type = input.user.login.endsWith('[bot]') ? 'Bot' : 'User'
    const createdAt = input.createdAt ? iso(input.createdAt) : ctx.tick()
    const record: CommentRecord = {
      id: state.nextCommentId++,
      issueNumber,
      body: input.body,
      user,
      createdAt,
      updatedAt: input.updatedAt ? iso(input.updatedAt) : createdAt,
      authorAssociation: input.authorAssociation ?? (user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR')
    }
    state.comments.set(record.id, record)
    return record
  }

  const ctx: FakeContext = {
    spec,
    state,
    owner,
    repo,
    fullName,
    repoId,
    defaultBranch,
    serverUrl,
    retentionDays,
    tokens,
    base: '',
    sign: (data) => createHmac('sha256', secret).update(data).digest('base64url'),
    tick: () => {
      state.clock = Math.max(state.clock + 1000, Date.now())
      return iso(new Date(state.clock))
    },
    violate: (rec, kind, message) => {
      violations.push({ method: rec.method, url: rec.url, message, kind })
    },
    injectedReply: (rec, u, errorBody) => {
      const f = state.faults.find(
        (x) =>
          (x.times === undefined || x.hits < x.times) &&
          (!x.method || x.method.toUpperCase() === rec.method) &&
          (typeof x.path === 'string' ? x.path === u.pathname : x.path.test(u.pathname + u.search))
      )
      if (!f) return undefined
      f.hits++
      rec.injected = true
      const headers = { ...f.headers }
      if (f.body === undefined) return { status: f.status, headers, body: errorBody(f.status) }
      if (typeof f.body === 'string' || f.body instanceof Uint8Array)
        return { status: f.status, headers, raw: Buffer.from(f.body) }
      return { status: f.status, headers, body: f.body }
    },
    addComment
  }
  const results = createResultsService(ctx)
  const handleRest = createRestHandler(ctx, results.signedBlobUrl)

  // ---- public seeding API --------------------------------------------------------------------

  /** A copy a test may change without changing the fake's run. */
  const copyRun = (r: RunRecord): RunRecord => ({
    ...r,
    attempts: r.attempts.map((a) => ({ ...a }))
  })

  const seedRun = (input: SeedRunInput = {}): RunRecord => {
    const id = input.id ?? state.nextRunId++
    if (state.runs.has(id)) throw new Error(`fake GitHub: run ${id} already exists`)
    state.nextRunId = Math.max(state.nextRunId, id + 1)
    const workflowFile = input.workflowFile ?? 'bench.yml'
    const status = input.status ?? 'completed'
    const createdAt = input.createdAt ? iso(input.createdAt) : ctx.tick()
    const runAttempt = input.runAttempt ?? 1
    if (input.attemptsStartedAt && input.attemptsStartedAt.length !== runAttempt)
      throw new Error(
        `fake GitHub: run ${id} has ${runAttempt} attempts but attemptsStartedAt names ${input.attemptsStartedAt.length}`
      )
    const run: RunRecord = {
      id,
      backendId: uuidFrom(`run:${id}`),
      workflowId: workflowIdFor(workflowFile),
      workflowFile,
      workflowName: input.workflowName ?? workflowFile.replace(/\.ya?ml$/, ''),
      headBranch: input.headBranch ?? defaultBranch,
      headSha: input.headSha ?? sha1(`sha:${id}`),
      event: input.event ?? 'push',
      status,
      conclusion:
        input.conclusion !== undefined
          ? input.conclusion
          : status === 'completed'
            ? 'success'
            : null,
      headRepoFullName: input.headRepoFullName ?? fullName,
      createdAt,
      updatedAt: createdAt,
      runNumber:
        input.runNumber ??
        [...state.runs.values()].filter((r) => r.workflowFile === workflowFile).length + 1,
      runAttempt,
      attempts: Array.from({ length: runAttempt }, (_, i) => ({
        startedAt: input.attemptsStartedAt?.[i]
          ? iso(input.attemptsStartedAt[i])
          : i === 0
            ? createdAt
            : ctx.tick(),
        // Seeded earlier attempts ended as runs that are re-run mostly do.
        conclusion: 'failure'
      })),
      actor: input.actor ?? HUMAN.login,
      displayTitle: input.displayTitle ?? `Run ${id}`,
      pullRequests: input.pullRequests ?? []
    }
    state.runs.set(id, run)
    return copyRun(run)
  }

  const updateRun = (id: number, patch: Partial<Omit<SeedRunInput, 'id'>>): RunRecord => {
    const run = state.runs.get(id)
    if (!run) throw new Error(`fake GitHub: no run ${id}`)
    const { createdAt, workflowFile, runAttempt, attemptsStartedAt, ...rest } = patch
    const ended = run.conclusion ?? 'failure'
    Object.assign(run, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)))
    // A re-run starts each new attempt now; the one it re-runs ended as the run had.
    if (runAttempt !== undefined && runAttempt > run.runAttempt) {
      const last = run.attempts[run.attempts.length - 1]
      if (last) last.conclusion = ended
      while (run.attempts.length < runAttempt)
        run.attempts.push({ startedAt: ctx.tick(), conclusion: 'failure' })
      run.runAttempt = runAttempt
      // The new attempt has not ended, unless the patch says it has.
      if (patch.conclusion === undefined && run.status !== 'completed') run.conclusion = null
    } else if (runAttempt !== undefined && runAttempt !== run.runAttempt)
      throw new Error(`fake GitHub: run ${id} is at attempt ${run.runAttempt}; attempts only grow`)
    if (attemptsStartedAt)
      attemptsStartedAt.forEach((t, i) => {
        const attempt = run.attempts[i]
        if (!attempt) throw new Error(`fake GitHub: run ${id} has no attempt ${i + 1}`)
        attempt.startedAt = iso(t)
      })
    if (workflowFile) {
      run.workflowFile = workflowFile
      run.workflowId = workflowIdFor(workflowFile)
    }
    if (createdAt) run.createdAt = iso(createdAt)
    if (patch.status === 'completed' && patch.conclusion === undefined && run.conclusion === null)
      run.conclusion = 'success'
    run.updatedAt = ctx.tick()
    return copyRun(run)
  }

  const seedArtifact: FakeGitHub['seedArtifact'] = (runId, name, files, o = {}) => {
    const run = state.runs.get(runId)
    if (!run) throw new Error(`fake GitHub: seedArtifact on run ${runId}, which is not seeded`)
    const zippable: Record<string, Uint8Array> = {}
    for (const [path, content] of Object.entries(files))
      zippable[path] = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
    const zip = Buffer.from(zipSync(zippable))
    const createdAt = o.createdAt ? iso(o.createdAt) : ctx.tick()
    const expiresAt = o.expiresAt
      ? iso(o.expiresAt)
      : o.expired
        ? iso(new Date(Date.now() - 86400_000))
        : iso(new Date(Date.parse(createdAt) + retentionDays * 86400_000))
    const id = state.nextArtifactId++
    const job = jobBackendIdFor(runId)
    const key = blobKey(run.backendId, job, name, id)
    state.blobs.set(key, { data: zip, contentType: 'application/zip' })
    const a: Artifact = {
      id,
      runId,
      jobBackendId: job,
      name,
      size: zip.length,
      digest: `sha256:${createHash('sha256').update(zip).digest('hex')}`,
      createdAt,
      expiresAt,
      expired: o.expired ?? false,
      finalized: true,
      mimeType: 'application/zip',
      version: 7,
      blobKey: key
    }
    state.artifacts.set(id, a)
    return publicArtifact(a)
  }

  const findArtifact = (idOrName: number | string, runId?: number): Artifact => {
    const all = [...state.artifacts.values()].filter(
      (a) => a.finalized && (runId === undefined || a.runId === runId)
    )
    const hit =
      typeof idOrName === 'number'
        ? all.find((a) => a.id === idOrName)
        : all.filter((a) => a.name === idOrName).sort((x, y) => y.id - x.id)[0]
    if (!hit)
      throw new Error(
        `fake GitHub: no finalized artifact ${JSON.stringify(idOrName)}${runId === undefined ? '' : ` in run ${runId}`}`
      )
    return hit
  }
  const artifactZip = (idOrName: number | string, o: { runId?: number } = {}): Uint8Array => {
    const a = findArtifact(idOrName, o.runId)
    const blob = state.blobs.get(a.blobKey)
    if (!blob) throw new Error(`fake GitHub: artifact ${a.id} has no committed blob`)
    return new Uint8Array(blob.data)
  }

  const seedComments = (
    issueNumber: number,
    comments: (string | SeedCommentInput)[]
  ): CommentRecord[] =>
    comments.map((c) => ({ ...addComment(issueNumber, typeof c === 'string' ? { body: c } : c) }))

  const seedPull = (p: SeedPullInput): void => {
    state.pulls.set(p.number, {
      number: p.number,
      title: p.title ?? `PR #${p.number}`,
      state: p.state ?? 'open',
      headRef: p.headRef ?? 'feature',
      headSha: p.headSha ?? sha1(`head:${p.number}`),
      headRepoFullName: p.headRepoFullName ?? fullName,
      baseRef: p.baseRef ?? defaultBranch,
      baseSha: p.baseSha ?? sha1(`base:${p.number}`),
      user: p.user ?? HUMAN.login,
      draft: p.draft ?? false
    })
  }

  // ---- request plumbing ----------------------------------------------------------------------

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const u = new URL(req.url ?? '/', ctx.base)
      const method = (req.method ?? 'GET').toUpperCase()
      const service: RecordedRequest['service'] = u.pathname.startsWith('/twirp/')
        ? 'twirp'
        : u.pathname.startsWith(`/${BLOB_ACCOUNT}/`)
          ? 'blob'
          : 'rest'
      const rec: RecordedRequest = {
        method,
        url: req.url ?? '/',
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        service,
        status: 0,
        headers: Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [
            k,
            Array.isArray(v) ? v.join(', ') : (v ?? '')
          ])
        ),
        bodyBytes: body.length,
        ...(body.length && body.length < 65536 && isText(body)
          ? { body: body.toString('utf8') }
          : {})
      }
      requests.push(rec)
      let reply: Reply
      try {
        reply =
          service === 'twirp'
            ? results.handleTwirp(rec, u, body)
            : service === 'blob'
              ? results.handleBlob(rec, u, body, req.headers)
              : handleRest(rec, u, body)
      } catch (err) {
        if (err instanceof HttpError) {
          if (err.violation) ctx.violate(rec, err.violation.kind, err.violation.message)
          reply = err.reply
        } else {
          const message = `fake GitHub crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
          ctx.violate(rec, 'protocol', message)
          reply = { status: 500, body: { message } }
        }
      }
      rec.status = reply.status
      log?.(`${method} ${rec.url} → ${reply.status}${rec.injected ? ' (injected)' : ''}`)
      const headers: Record<string, string> = { ...reply.headers }
      let payload: Buffer | undefined = reply.raw
      if (payload === undefined && reply.body !== undefined) {
        payload = Buffer.from(JSON.stringify(reply.body))
        headers['content-type'] ??= 'application/json; charset=utf-8'
      }
      if (payload) headers['content-length'] = String(payload.length)
      res.writeHead(reply.status, headers)
      res.end(payload)
    })
  })

  // ---- start ---------------------------------------------------------------------------------

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  ctx.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const fake: FakeGitHub = {
    url: ctx.base,
    owner,
    repo,
    fullName,
    repoId,
    defaultBranch,
    serverUrl,
    token: FAKE_TOKENS.github,
    spec: {
      loadMs: spec.loadMs,
      operations: spec.operationIds,
      totalOperations: spec.totalOperations
    },
    requests,
    violations,
    seedRun,
    ensureRun: (input) => {
      const existing = state.runs.get(input.id)
      return existing ? copyRun(existing) : seedRun(input)
    },
    updateRun,
    runs: () => [...state.runs.values()].map(copyRun),
    runtimeToken: results.runtimeToken,
    jobBackendId: jobBackendIdFor,
    seedArtifact,
    expireArtifact: (id) => {
      const a = state.artifacts.get(id)
      if (!a) throw new Error(`fake GitHub: no artifact ${id}`)
      a.expired = true
    },
    artifacts: () => [...state.artifacts.values()].map(publicArtifact),
    artifactFiles: (idOrName, o) => {
      const files = unzipSync(artifactZip(idOrName, o))
      // directories appear as zero-length entries ending in '/'
      return Object.fromEntries(Object.entries(files).filter(([name]) => !name.endsWith('/')))
    },
    artifactZip,
    seedComments,
    comments: (issueNumber) =>
      [...state.comments.values()]
        .filter((c) => c.issueNumber === issueNumber)
        .sort((a, b) => a.id - b.id)
        .map((c) => ({ ...c })),
    seedPull,
    fail: (f) => {
      const fault: Fault = { ...f, hits: 0 }
      state.faults.push(fault)
      return {
        get hits() {
          return fault.hits
        },
        clear: () => {
          state.faults = state.faults.filter((x) => x !== fault)
        }
      }
    },
    clearFaults: () => {
      state.faults = []
    },
    reset: () => {
      Object.assign(state, freshState(opts.workflows ?? ['bench.yml']))
      requests.length = 0
      violations.length = 0
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      })
  }
  return fake
}
