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
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { unzipSync, zipSync } from 'fflate'
import { loadGitHubSpec, type MatchedOperation, type OperationId } from './openapi.js'

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

export type PermissionScope = 'actions' | 'contents' | 'issues' | 'pull_requests' | 'metadata'
export type PermissionLevel = 'read' | 'write'
export type TokenIdentity =
  | { kind: 'installation'; permissions: Partial<Record<PermissionScope, PermissionLevel>> }
  | { kind: 'user'; login: string; id?: number; name?: string }

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

export interface SeedRunInput {
  id?: number
  workflowFile?: string
  workflowName?: string
  headBranch?: string
  headSha?: string
  event?: string
  status?: RunStatus
  /** default: 'success' when status is 'completed', else null */
  conclusion?: RunConclusion | null
  /** default: the fake's own owner/repo */
  headRepoFullName?: string
  createdAt?: string | Date
  runNumber?: number
  runAttempt?: number
  actor?: string
  displayTitle?: string
  /** PR numbers listed in `pull_requests` (GitHub lists none for fork PRs) */
  pullRequests?: number[]
}
export type RunStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
export type RunConclusion =
  | 'success'
  | 'failure'
  | 'cancelled'
  | 'skipped'
  | 'neutral'
  | 'timed_out'
  | 'action_required'
  | 'stale'

export interface RunRecord {
  id: number
  /** the run's id in the Results service (a UUID, as on github.com) */
  backendId: string
  workflowId: number
  workflowFile: string
  workflowName: string
  headBranch: string
  headSha: string
  event: string
  status: RunStatus
  conclusion: RunConclusion | null
  headRepoFullName: string
  createdAt: string
  updatedAt: string
  runNumber: number
  runAttempt: number
  actor: string
  displayTitle: string
  pullRequests: number[]
}

export interface ArtifactRecord {
  id: number
  runId: number
  jobBackendId: string
  name: string
  size: number
  /** `sha256:<hex>` of the zip, once finalized */
  digest: string | null
  createdAt: string
  expiresAt: string
  expired: boolean
  finalized: boolean
  mimeType: string | null
  /** CreateArtifact `version` (7 for @actions/artifact ≥ 6.2) */
  version: number | null
}

export interface CommentUser {
  login: string
  id?: number
  type?: 'User' | 'Bot' | 'Organization'
}
export interface SeedCommentInput {
  body: string
  /** default: a human, `octocat` */
  user?: CommentUser
  createdAt?: string | Date
  updatedAt?: string | Date
  authorAssociation?: string
}
export interface CommentRecord {
  id: number
  issueNumber: number
  body: string
  user: Required<CommentUser>
  createdAt: string
  updatedAt: string
  authorAssociation: string
}

export interface SeedPullInput {
  number: number
  title?: string
  state?: 'open' | 'closed'
  headRef?: string
  headSha?: string
  /** default: the fake's own owner/repo; a different name makes it a fork PR */
  headRepoFullName?: string
  baseRef?: string
  baseSha?: string
  user?: string
  draft?: boolean
}

export interface RecordedRequest {
  method: string
  /** path and query, as received */
  url: string
  path: string
  query: Record<string, string>
  service: 'rest' | 'twirp' | 'blob' | 'unknown'
  /** REST operationId, `twirp/<Method>` or `blob/<Operation>` */
  operation?: string
  /** 0 until the response is sent */
  status: number
  headers: Record<string, string>
  /** the body as text when it is under 64 KiB and not binary */
  body?: string
  bodyBytes: number
  /** true when a `fail()` rule answered */
  injected?: boolean
}

export interface Violation {
  method: string
  url: string
  message: string
  kind: 'route' | 'request' | 'response' | 'auth' | 'protocol'
}

export interface FaultSpec {
  method?: string
  /** exact pathname, or a RegExp tested against pathname + query */
  path: string | RegExp
  status: number
  /** object → JSON; string → sent as is; default: a GitHub (or Twirp) error body */
  body?: unknown
  headers?: Record<string, string>
  /** how many requests it answers (default: unlimited) */
  times?: number
}
export interface FaultHandle {
  readonly hits: number
  clear(): void
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
  /** the Results-service job id a runtimeToken without `jobBackendId` carries */
  jobBackendId(runId: number): string

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

// ---------------------------------------------------------------------------------------------
// Constants

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/'
const BLOB_ACCOUNT = 'devstoreaccount1'
const BLOB_CONTAINER = 'actions-results'
const BOT: Required<CommentUser> = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
const HUMAN: Required<CommentUser> = { login: 'octocat', id: 583231, type: 'User' }
const MAX_COMMENT = 65536
const API_VERSIONS = ['2022-11-28']
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

/** What each operation needs from an installation token (any one of the alternatives). */
const REQUIRED_PERMISSION: Record<
  OperationId,
  { scopes: PermissionScope[]; level: PermissionLevel } | 'user-only'
> = {
  'issues/list-comments': { scopes: ['issues', 'pull_requests'], level: 'read' },
  'issues/get-comment': { scopes: ['issues', 'pull_requests'], level: 'read' },
  'issues/create-comment': { scopes: ['issues', 'pull_requests'], level: 'write' },
  'issues/update-comment': { scopes: ['issues', 'pull_requests'], level: 'write' },
  'issues/delete-comment': { scopes: ['issues', 'pull_requests'], level: 'write' },
  'actions/list-workflow-runs': { scopes: ['actions'], level: 'read' },
  'actions/list-workflow-runs-for-repo': { scopes: ['actions'], level: 'read' },
  'actions/get-workflow-run': { scopes: ['actions'], level: 'read' },
  'actions/list-workflow-run-artifacts': { scopes: ['actions'], level: 'read' },
  'actions/list-artifacts-for-repo': { scopes: ['actions'], level: 'read' },
  'actions/get-artifact': { scopes: ['actions'], level: 'read' },
  'actions/delete-artifact': { scopes: ['actions'], level: 'write' },
  'actions/download-artifact': { scopes: ['actions'], level: 'read' },
  'pulls/get': { scopes: ['pull_requests'], level: 'read' },
  'users/get-authenticated': 'user-only'
}

const TWIRP_STATUS: Record<string, number> = {
  invalid_argument: 400,
  malformed: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  failed_precondition: 412,
  internal: 500
}

type TwirpField = 'string' | 'int32' | 'int64' | 'timestamp'
const TWIRP_IDS = {
  workflow_run_backend_id: 'string',
  workflow_job_run_backend_id: 'string'
} as const
const TWIRP_METHODS: Record<string, Record<string, TwirpField>> = {
  CreateArtifact: {
    ...TWIRP_IDS,
    name: 'string',
    expires_at: 'timestamp',
    version: 'int32',
    mime_type: 'string'
  },
  FinalizeArtifact: { ...TWIRP_IDS, name: 'string', size: 'int64', hash: 'string' },
  ListArtifacts: { ...TWIRP_IDS, name_filter: 'string', id_filter: 'int64' },
  GetSignedArtifactURL: { ...TWIRP_IDS, name: 'string' },
  DeleteArtifact: { ...TWIRP_IDS, name: 'string' }
}

// ---------------------------------------------------------------------------------------------
// Internal state

interface Artifact extends ArtifactRecord {
  blobKey: string
}
interface Blob {
  data: Buffer
  contentType: string
}
interface Fault extends FaultSpec {
  hits: number
}
interface State {
  runs: Map<number, RunRecord>
  workflows: Map<string, number>
  artifacts: Map<number, Artifact>
  blocks: Map<string, Map<string, Buffer>>
  blobs: Map<string, Blob>
  comments: Map<number, CommentRecord>
  pulls: Map<number, Required<SeedPullInput>>
  faults: Fault[]
  nextRunId: number
  nextArtifactId: number
  nextCommentId: number
  nextWorkflowId: number
  clock: number
}

interface Reply {
  status: number
  headers?: Record<string, string>
  /** JSON value; undefined → no body */
  body?: unknown
  /** raw bytes (blob GET) */
  raw?: Buffer
}

class HttpError extends Error {
  constructor(
    readonly reply: Reply,
    readonly violation?: { kind: Violation['kind']; message: string }
  ) {
    super(violation?.message ?? `HTTP ${reply.status}`)
  }
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
  let base = ''

  // ---- helpers -------------------------------------------------------------------------------

  const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
  /** strictly increasing timestamps, so "newest first" is well defined without sleeping */
  const tick = (): string => {
    state.clock = Math.max(state.clock + 1000, Date.now())
    return new Date(state.clock).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }
  const iso = (d: string | Date): string => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const apiRepo = (full = fullName): string => `${base}/repos/${full}`
  const htmlRepo = (full = fullName): string => `${serverUrl}/${full}`

  const sign = (data: string): string =>
    createHmac('sha256', secret).update(data).digest('base64url')
  const b64u = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')

  const signedBlobUrl = (key: string, permission: 'r' | 'cw', ttlMs: number): string => {
    const se = new Date(Date.now() + ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const sig = sign(`${permission}\n${se}\n/${BLOB_CONTAINER}/${key}`)
    const q = new URLSearchParams({ sv: '2025-11-05', se, sr: 'b', sp: permission, sig })
    return `${base}/${BLOB_ACCOUNT}/${BLOB_CONTAINER}/${key}?${q.toString()}`
  }

  const workflowIdFor = (file: string): number => {
    let id = state.workflows.get(file)
    if (id === undefined) {
      id = state.nextWorkflowId++
      state.workflows.set(file, id)
    }
    return id
  }

  const userObject = (u: Required<CommentUser>): object =>
    u.type === 'Bot'
      ? spec.build('simple-user', {
          login: u.login,
          id: u.id,
          node_id: `MDM6Qm90${u.id}`,
          avatar_url: `https://avatars.githubusercontent.com/in/15368?v=4`,
          gravatar_id: '',
          url: `${base}/users/${encodeURIComponent(u.login)}`,
          html_url: `${serverUrl}/apps/${u.login.replace(/\[bot\]$/, '')}`,
          type: 'Bot',
          site_admin: false,
          user_view_type: 'public'
        })
      : spec.build('simple-user', {
          login: u.login,
          id: u.id,
          node_id: `MDQ6VXNlcj${u.id}`,
          avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
          gravatar_id: '',
          url: `${base}/users/${u.login}`,
          html_url: `${serverUrl}/${u.login}`,
          followers_url: `${base}/users/${u.login}/followers`,
          repos_url: `${base}/users/${u.login}/repos`,
          type: u.type,
          site_admin: false,
          user_view_type: 'public'
        })

  const repoOwnerLogin = (full: string): string => full.split('/')[0] ?? owner
  const repoObject = (schema: 'minimal-repository' | 'repository', full: string): object => {
    const login = repoOwnerLogin(full)
    const isOurs = full.toLowerCase() === fullName.toLowerCase()
    return spec.build(schema, {
      id: isOurs ? repoId : repoId + 1 + (hashInt(full) % 100000),
      node_id: `R_kgDO${hashInt(full)}`,
      name: full.split('/')[1] ?? repo,
      full_name: full,
      owner: userObject({
        login,
        id: hashInt(login),
        type: login === owner ? 'Organization' : 'User'
      }),
      private: false,
      fork: !isOurs,
      html_url: htmlRepo(full),
      url: apiRepo(full),
      default_branch: defaultBranch,
      description: null,
      visibility: 'public'
    })
  }

  const toRestRun = (r: RunRecord): object => {
    const runUrl = `${apiRepo()}/actions/runs/${r.id}`
    const actor = userObject({ login: r.actor, id: hashInt(r.actor), type: 'User' })
    const pulls =
      r.headRepoFullName === fullName
        ? r.pullRequests.map((n) => {
            const p = state.pulls.get(n)
            const repoRef = { id: repoId, url: apiRepo(), name: repo }
            return {
              id: 900000 + n,
              number: n,
              url: `${apiRepo()}/pulls/${n}`,
              head: {
                ref: p?.headRef ?? r.headBranch,
                sha: p?.headSha ?? r.headSha,
                repo: repoRef
              },
              base: {
                ref: p?.baseRef ?? defaultBranch,
                sha: p?.baseSha ?? '0'.repeat(40),
                repo: repoRef
              }
            }
          })
        : []
    return spec.build('workflow-run', {
      id: r.id,
      name: r.workflowName,
      node_id: `WFR_kwLO${r.id}`,
      check_suite_id: 80000000 + r.id,
      check_suite_node_id: `CS_kwDO${r.id}`,
      head_branch: r.headBranch,
      head_sha: r.headSha,
      path: `.github/workflows/${r.workflowFile}`,
      display_title: r.displayTitle,
      run_number: r.runNumber,
      run_attempt: r.runAttempt,
      referenced_workflows: [],
      event: r.event,
      status: r.status,
      conclusion: r.conclusion,
      workflow_id: r.workflowId,
      url: runUrl,
      html_url: `${htmlRepo()}/actions/runs/${r.id}`,
      pull_requests: pulls,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      run_started_at: r.createdAt,
      actor,
      triggering_actor: actor,
      jobs_url: `${runUrl}/jobs`,
      logs_url: `${runUrl}/logs`,
      check_suite_url: `${apiRepo()}/check-suites/${80000000 + r.id}`,
      artifacts_url: `${runUrl}/artifacts`,
      cancel_url: `${runUrl}/cancel`,
      rerun_url: `${runUrl}/rerun`,
      previous_attempt_url: r.runAttempt > 1 ? `${runUrl}/attempts/${r.runAttempt - 1}` : null,
      workflow_url: `${apiRepo()}/actions/workflows/${r.workflowId}`,
      head_commit: {
        id: r.headSha,
        tree_id: sha1(`tree:${r.headSha}`),
        message: r.displayTitle,
        timestamp: r.createdAt,
        author: { name: r.actor, email: `${r.actor}@users.noreply.github.com` },
        committer: { name: 'GitHub', email: 'noreply@github.com' }
      },
      repository: repoObject('minimal-repository', fullName),
      head_repository: repoObject('minimal-repository', r.headRepoFullName),
      head_repository_id:
        r.headRepoFullName === fullName
          ? repoId
          : repoId + 1 + (hashInt(r.headRepoFullName) % 100000)
    })
  }

  const isExpired = (a: Artifact): boolean => a.expired || Date.parse(a.expiresAt) <= Date.now()

  const toRestArtifact = (a: Artifact): object => {
    const run = state.runs.get(a.runId)
    return {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
      name: a.name,
      size_in_bytes: a.size,
      url: `${apiRepo()}/actions/artifacts/${a.id}`,
      archive_download_url: `${apiRepo()}/actions/artifacts/${a.id}/zip`,
      expired: isExpired(a),
      created_at: a.createdAt,
      updated_at: a.createdAt,
      expires_at: a.expiresAt,
      digest: a.digest,
      workflow_run: run
        ? {
            id: run.id,
            repository_id: repoId,
            head_repository_id:
              run.headRepoFullName === fullName
                ? repoId
                : repoId + 1 + (hashInt(run.headRepoFullName) % 100000),
            head_branch: run.headBranch,
            head_sha: run.headSha
          }
        : null
    }
  }

  const toRestComment = (c: CommentRecord): object => {
    const kind = state.pulls.has(c.issueNumber) ? 'pull' : 'issues'
    return {
      id: c.id,
      node_id: `IC_kwDO${c.id}`,
      url: `${apiRepo()}/issues/comments/${c.id}`,
      html_url: `${htmlRepo()}/${kind}/${c.issueNumber}#issuecomment-${c.id}`,
      body: c.body,
      user: userObject(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      issue_url: `${apiRepo()}/issues/${c.issueNumber}`,
      author_association: c.authorAssociation,
      performed_via_github_app: null,
      reactions: {
        url: `${apiRepo()}/issues/comments/${c.id}/reactions`,
        total_count: 0,
        '+1': 0,
        '-1': 0,
        laugh: 0,
        confused: 0,
        heart: 0,
        hooray: 0,
        eyes: 0,
        rocket: 0
      }
    }
  }

  const toRestPull = (p: Required<SeedPullInput>): object => {
    const user = userObject({ login: p.user, id: hashInt(p.user), type: 'User' })
    const side = (ref: string, sha: string, full: string): object => ({
      label: `${repoOwnerLogin(full)}:${ref}`,
      ref,
      sha,
      repo: repoObject('repository', full),
      user: userObject({
        login: repoOwnerLogin(full),
        id: hashInt(repoOwnerLogin(full)),
        type: 'User'
      })
    })
    const url = `${apiRepo()}/pulls/${p.number}`
    return spec.build('pull-request', {
      url,
      id: 900000 + p.number,
      node_id: `PR_kwDO${p.number}`,
      html_url: `${htmlRepo()}/pull/${p.number}`,
      diff_url: `${htmlRepo()}/pull/${p.number}.diff`,
      patch_url: `${htmlRepo()}/pull/${p.number}.patch`,
      issue_url: `${apiRepo()}/issues/${p.number}`,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${apiRepo()}/pulls/comments{/number}`,
      comments_url: `${apiRepo()}/issues/${p.number}/comments`,
      statuses_url: `${apiRepo()}/statuses/${p.headSha}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user,
      body: null,
      created_at: now(),
      updated_at: now(),
      closed_at: null,
      merged_at: null,
      merge_commit_sha: sha1(`merge:${p.number}:${p.headSha}`),
      draft: p.draft,
      head: side(p.headRef, p.headSha, p.headRepoFullName),
      base: side(p.baseRef, p.baseSha, fullName),
      author_association: 'CONTRIBUTOR',
      merged: false,
      mergeable: true,
      rebaseable: true,
      mergeable_state: 'clean',
      merged_by: null,
      comments: [...state.comments.values()].filter((c) => c.issueNumber === p.number).length,
      commits: 1,
      additions: 1,
      deletions: 0,
      changed_files: 1,
      maintainer_can_modify: false
    })
  }

  // ---- public seeding API --------------------------------------------------------------------

  const seedRun = (input: SeedRunInput = {}): RunRecord => {
    const id = input.id ?? state.nextRunId++
    if (state.runs.has(id)) throw new Error(`fake GitHub: run ${id} already exists`)
    state.nextRunId = Math.max(state.nextRunId, id + 1)
    const workflowFile = input.workflowFile ?? 'bench.yml'
    const status = input.status ?? 'completed'
    const createdAt = input.createdAt ? iso(input.createdAt) : tick()
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
      runAttempt: input.runAttempt ?? 1,
      actor: input.actor ?? HUMAN.login,
      displayTitle: input.displayTitle ?? `Run ${id}`,
      pullRequests: input.pullRequests ?? []
    }
    state.runs.set(id, run)
    return { ...run }
  }

  const updateRun = (id: number, patch: Partial<Omit<SeedRunInput, 'id'>>): RunRecord => {
    const run = state.runs.get(id)
    if (!run) throw new Error(`fake GitHub: no run ${id}`)
    const { createdAt, workflowFile, ...rest } = patch
    Object.assign(run, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)))
    if (workflowFile) {
      run.workflowFile = workflowFile
      run.workflowId = workflowIdFor(workflowFile)
    }
    if (createdAt) run.createdAt = iso(createdAt)
    if (patch.status === 'completed' && patch.conclusion === undefined && run.conclusion === null)
      run.conclusion = 'success'
    run.updatedAt = tick()
    return { ...run }
  }

  const jobBackendId = (runId: number): string => uuidFrom(`job:${runId}`)

  const runtimeToken = ({
    runId,
    jobBackendId: job
  }: {
    runId: number
    jobBackendId?: string
  }): string => {
    const run = state.runs.get(runId)
    if (!run)
      throw new Error(
        `fake GitHub: runtimeToken for run ${runId}, which is not seeded (seedRun/ensureRun first)`
      )
    const header = b64u({ alg: 'HS256', typ: 'JWT', x5t: 'fake' })
    const nowS = Math.floor(Date.now() / 1000)
    const payload = b64u({
      nameid: 'dddddddd-dddd-dddd-dddd-dddddddddddd',
      scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${run.backendId}:${job ?? jobBackendId(runId)} Actions.UploadArtifacts:00000000-0000-0000-0000-000000000000:${run.id} LocationService.Connect ReadAndUpdateBuildByUri:00000000-0000-0000-0000-000000000000/${run.id}`,
      iss: 'vstoken.actions.githubusercontent.com',
      aud: 'vso:00000000-0000-0000-0000-000000000000',
      nbf: nowS - 60,
      exp: nowS + 6 * 3600,
      ac: '[{"Scope":"refs/heads/main","Permission":3}]'
    })
    return `${header}.${payload}.${sign(`${header}.${payload}`)}`
  }

  const seedArtifact: FakeGitHub['seedArtifact'] = (runId, name, files, o = {}) => {
    const run = state.runs.get(runId)
    if (!run) throw new Error(`fake GitHub: seedArtifact on run ${runId}, which is not seeded`)
    const zippable: Record<string, Uint8Array> = {}
    for (const [path, content] of Object.entries(files))
      zippable[path] = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
    const zip = Buffer.from(zipSync(zippable))
    const createdAt = o.createdAt ? iso(o.createdAt) : tick()
    const expiresAt = o.expiresAt
      ? iso(o.expiresAt)
      : o.expired
        ? iso(new Date(Date.now() - 86400_000))
        : iso(new Date(Date.parse(createdAt) + retentionDays * 86400_000))
    const id = state.nextArtifactId++
    const job = jobBackendId(runId)
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
    comments.map((c) => {
      const input = typeof c === 'string' ? { body: c } : c
      const user = { ...HUMAN, ...input.user } as Required<CommentUser>
      if (input.user && input.user.id === undefined)
        user.id = input.user.login === BOT.login ? BOT.id : hashInt(input.user.login)
      if (input.user && input.user.type === undefined)
        user.type = input.user.login.endsWith('[bot]') ? 'Bot' : 'User'
      const createdAt = input.createdAt ? iso(input.createdAt) : tick()
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
      return { ...record }
    })

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

  const violate = (rec: RecordedRequest, kind: Violation['kind'], message: string): void => {
    violations.push({ method: rec.method, url: rec.url, message, kind })
  }

  const matchFault = (method: string, path: string, pathAndQuery: string): Fault | undefined =>
    state.faults.find(
      (f) =>
        (f.times === undefined || f.hits < f.times) &&
        (!f.method || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? f.path === path : f.path.test(pathAndQuery))
    )

  const faultReply = (f: Fault, service: RecordedRequest['service'], docsUrl?: string): Reply => {
    f.hits++
    const headers = { ...f.headers }
    if (f.body === undefined) {
      const body =
        service === 'twirp'
          ? { code: twirpCode(f.status), msg: `injected ${f.status}` }
          : {
              message: http.STATUS_CODES[f.status] ?? 'Error',
              documentation_url: docsUrl ?? 'https://docs.github.com/rest',
              status: String(f.status)
            }
      return { status: f.status, headers, body }
    }
    if (typeof f.body === 'string' || f.body instanceof Uint8Array)
      return { status: f.status, headers, raw: Buffer.from(f.body) }
    return { status: f.status, headers, body: f.body }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const u = new URL(req.url ?? '/', base)
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
            ? handleTwirp(rec, u, body)
            : service === 'blob'
              ? handleBlob(rec, u, body, req.headers)
              : handleRest(rec, u, body)
      } catch (err) {
        if (err instanceof HttpError) {
          if (err.violation) violate(rec, err.violation.kind, err.violation.message)
          reply = err.reply
        } else {
          const message = `fake GitHub crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
          violate(rec, 'protocol', message)
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

  // ---- REST ----------------------------------------------------------------------------------

  let rateRemaining = 5000
  const restHeaders = (): Record<string, string> => ({
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(Math.max(0, --rateRemaining)),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-used': String(5000 - rateRemaining),
    'x-ratelimit-resource': 'core'
  })

  const restError = (
    status: number,
    message: string,
    docsUrl: string,
    headers?: Record<string, string>,
    extra?: object
  ): Reply => ({
    status,
    headers,
    body: { message, documentation_url: docsUrl, status: String(status), ...extra }
  })

  const handleRest = (rec: RecordedRequest, u: URL, body: Buffer): Reply => {
    const op = spec.match(rec.method, u.pathname)
    if (!op) {
      const known = spec.findInFullSpec(rec.method, u.pathname)
      const message = known
        ? `fake GitHub does not implement ${known.operationId} (${rec.method} ${known.template}); add it to IMPLEMENTED_OPERATIONS and a handler`
        : `no route ${rec.method} ${u.pathname} in GitHub's OpenAPI description`
      throw new HttpError(
        {
          status: 404,
          headers: restHeaders(),
          body: {
            message: `Not Found (${message})`,
            documentation_url: 'https://docs.github.com/rest',
            status: '404'
          }
        },
        { kind: 'route', message }
      )
    }
    rec.operation = op.operationId
    const reply = restRequest(rec, u, body, op)
    reply.headers = { ...restHeaders(), ...reply.headers }
    // Every response is checked against the description, error statuses and injected JSON included
    // (an injected non-JSON body is the test's deliberate choice).
    if (reply.raw && rec.injected) return reply
    const problems = spec.validateResponse(
      op.operationId,
      reply.status,
      lowerKeys(reply.headers),
      reply.body
    )
    if (reply.raw) problems.push('REST responses must be JSON')
    for (const p of problems) violate(rec, 'response', `${op.operationId} → ${reply.status}: ${p}`)
    return reply
  }

  const restRequest = (rec: RecordedRequest, u: URL, raw: Buffer, op: MatchedOperation): Reply => {
    const docs = op.docsUrl
    // headers that matter
    if (!rec.headers['user-agent']) {
      throw new HttpError(
        restError(
          403,
          'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).',
          docs
        ),
        { kind: 'request', message: 'no User-Agent header (GitHub rejects such requests)' }
      )
    }
    const version = rec.headers['x-github-api-version']
    if (version && !API_VERSIONS.includes(version)) {
      throw new HttpError(restError(400, `API version ${version} is not supported.`, docs), {
        kind: 'request',
        message: `unsupported X-GitHub-Api-Version ${version}`
      })
    }
    const accept = rec.headers.accept
    if (accept && !/(application\/(vnd\.github[^,]*|json)|\*\/\*)/.test(accept)) {
      throw new HttpError(restError(415, `Unsupported 'Accept' header: ${accept}`, docs), {
        kind: 'request',
        message: `Accept ${accept} asks for no JSON`
      })
    }
    let parsed: unknown
    if (raw.length) {
      const type = rec.headers['content-type'] ?? ''
      if (!/^application\/(json|vnd\.github[^;]*\+json)\b/.test(type)) {
        throw new HttpError(restError(415, `Unsupported Content-Type ${type}`, docs), {
          kind: 'request',
          message: `body sent with Content-Type '${type}', not application/json`
        })
      }
      try {
        parsed = JSON.parse(raw.toString('utf8'))
      } catch {
        throw new HttpError(restError(400, 'Problems parsing JSON', docs), {
          kind: 'request',
          message: 'body is not JSON'
        })
      }
    }
    const problems = spec.validateRequest(
      {
        method: rec.method,
        path: u.pathname,
        query: u.search.slice(1),
        headers: rec.headers,
        body: parsed
      },
      op.operationId
    )
    if (problems.length) {
      const message = `request violates GitHub's OpenAPI description of ${op.operationId}: ${problems.join('; ')}`
      throw new HttpError(restError(422, `Invalid request.\n\n${message}`, docs), {
        kind: 'request',
        message
      })
    }

    const fault = matchFault(rec.method, u.pathname, u.pathname + u.search)
    if (fault) {
      rec.injected = true
      return faultReply(fault, 'rest', docs)
    }

    // authentication and authorization
    const auth = rec.headers.authorization
    if (!auth)
      throw new HttpError(restError(401, 'Requires authentication', docs), {
        kind: 'auth',
        message: 'no Authorization header'
      })
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(auth)
    const identity = m?.[1] ? tokens.get(m[1]) : undefined
    if (!identity)
      throw new HttpError(restError(401, 'Bad credentials', docs), {
        kind: 'auth',
        message: `unknown token in '${auth.slice(0, 12)}…'`
      })
    const need = REQUIRED_PERMISSION[op.operationId]
    if (identity.kind === 'installation') {
      const notAccessible = (accepted: string): never => {
        throw new HttpError(
          restError(403, 'Resource not accessible by integration', docs, {
            'x-accepted-github-permissions': accepted
          })
        )
      }
      if (need === 'user-only') notAccessible('')
      else {
        const ok = need.scopes.some((s) => levelAtLeast(identity.permissions[s], need.level))
        if (!ok) notAccessible(need.scopes.map((s) => `${s}=${need.level}`).join('; '))
      }
    }

    const p = op.params
    if (p.owner !== undefined && `${p.owner}/${p.repo}`.toLowerCase() !== fullName.toLowerCase()) {
      return restError(404, 'Not Found', docs)
    }
    const q = u.searchParams
    const pageOf = <T>(items: T[]): { items: T[]; link?: string } => paginate(items, u, base)

    switch (op.operationId) {
      case 'issues/list-comments': {
        const issue = Number(p.issue_number)
        const since = q.get('since')
        const all = [...state.comments.values()]
          .filter(
            (c) =>
              c.issueNumber === issue && (!since || Date.parse(c.updatedAt) >= Date.parse(since))
          )
          .sort((a, b) => a.id - b.id)
        const { items, link } = pageOf(all)
        return { status: 200, headers: link ? { link } : {}, body: items.map(toRestComment) }
      }
      case 'issues/create-comment':
      case 'issues/update-comment': {
        const text = (parsed as { body: string }).body
        if (text.length > MAX_COMMENT) {
          return {
            status: 422,
            body: {
              message: 'Validation Failed',
              errors: [
                {
                  resource: 'IssueComment',
                  code: 'unprocessable',
                  field: 'data',
                  message: `Body is too long (maximum is ${MAX_COMMENT} characters)`
                }
              ],
              documentation_url: docs,
              status: '422'
            }
          }
        }
        if (op.operationId === 'issues/create-comment') {
          const [c] = seedComments(Number(p.issue_number), [
            {
              body: text,
              user:
                identity.kind === 'installation'
                  ? BOT
                  : {
                      login: identity.login,
                      id: identity.id ?? hashInt(identity.login),
                      type: 'User'
                    },
              authorAssociation:
                identity.kind === 'installation'
                  ? 'NONE'
                  : identity.login === owner
                    ? 'OWNER'
                    : 'MEMBER'
            }
          ])
          const created = state.comments.get((c as CommentRecord).id) as CommentRecord
          return {
            status: 201,
            headers: { location: `${apiRepo()}/issues/comments/${created.id}` },
            body: toRestComment(created)
          }
        }
        const existing = state.comments.get(Number(p.comment_id))
        if (!existing) return restError(404, 'Not Found', docs)
        existing.body = text
        existing.updatedAt = tick()
        return { status: 200, body: toRestComment(existing) }
      }
      case 'issues/get-comment': {
        const c = state.comments.get(Number(p.comment_id))
        return c ? { status: 200, body: toRestComment(c) } : restError(404, 'Not Found', docs)
      }
      case 'issues/delete-comment': {
        const id = Number(p.comment_id)
        if (!state.comments.delete(id)) return restError(404, 'Not Found', docs)
        return { status: 204 }
      }
      case 'actions/list-workflow-runs':
      case 'actions/list-workflow-runs-for-repo': {
        let runs = [...state.runs.values()]
        if (op.operationId === 'actions/list-workflow-runs') {
          const wf = p.workflow_id ?? ''
          const file = /^\d+$/.test(wf)
            ? [...state.workflows].find(([, id]) => String(id) === wf)?.[0]
            : state.workflows.has(wf)
              ? wf
              : undefined
          if (file === undefined) return restError(404, 'Not Found', docs)
          runs = runs.filter((r) => r.workflowFile === file)
        }
        runs = runs
          .filter((r) => runMatches(r, q))
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
        const { items, link } = pageOf(runs)
        const exclude = q.get('exclude_pull_requests') === 'true'
        const body = {
          total_count: runs.length,
          workflow_runs: items.map((r) => ({
            ...toRestRun(r),
            ...(exclude ? { pull_requests: [] } : {})
          }))
        }
        return { status: 200, headers: link ? { link } : {}, body }
      }
      case 'actions/get-workflow-run': {
        const r = state.runs.get(Number(p.run_id))
        return r ? { status: 200, body: toRestRun(r) } : restError(404, 'Not Found', docs)
      }
      case 'actions/list-workflow-run-artifacts':
      case 'actions/list-artifacts-for-repo': {
        let list = [...state.artifacts.values()].filter((a) => a.finalized)
        if (op.operationId === 'actions/list-workflow-run-artifacts') {
          const runId = Number(p.run_id)
          if (!state.runs.has(runId)) return restError(404, 'Not Found', docs)
          list = list.filter((a) => a.runId === runId)
        }
        const name = q.get('name')
        if (name !== null) list = list.filter((a) => a.name === name)
        list.sort((a, b) => (q.get('direction') === 'asc' ? a.id - b.id : b.id - a.id))
        const { items, link } = pageOf(list)
        return {
          status: 200,
          headers: link ? { link } : {},
          body: { total_count: list.length, artifacts: items.map(toRestArtifact) }
        }
      }
      case 'actions/get-artifact': {
        const a = state.artifacts.get(Number(p.artifact_id))
        return a?.finalized
          ? { status: 200, body: toRestArtifact(a) }
          : restError(404, 'Not Found', docs)
      }
      case 'actions/delete-artifact': {
        const a = state.artifacts.get(Number(p.artifact_id))
        if (!a?.finalized) return restError(404, 'Not Found', docs)
        state.artifacts.delete(a.id)
        state.blobs.delete(a.blobKey)
        return { status: 204 }
      }
      case 'actions/download-artifact': {
        const a = state.artifacts.get(Number(p.artifact_id))
        if (!a?.finalized || p.archive_format !== 'zip') return restError(404, 'Not Found', docs)
        if (isExpired(a)) return restError(410, 'Artifact has expired', docs)
        // GitHub: "The URL expires after 1 minute."
        return { status: 302, headers: { location: signedBlobUrl(a.blobKey, 'r', 60_000) } }
      }
      case 'users/get-authenticated': {
        if (identity.kind !== 'user')
          return restError(403, 'Resource not accessible by integration', docs)
        return {
          status: 200,
          body: spec.build('private-user', {
            ...userObject({
              login: identity.login,
              id: identity.id ?? hashInt(identity.login),
              type: 'User'
            }),
            name: identity.name ?? null,
            created_at: '2011-01-25T18:44:36Z',
            updated_at: now(),
            two_factor_authentication: true,
            user_view_type: 'private'
          })
        }
      }
      case 'pulls/get': {
        const pr = state.pulls.get(Number(p.pull_number))
        return pr ? { status: 200, body: toRestPull(pr) } : restError(404, 'Not Found', docs)
      }
    }
  }

  // ---- Twirp (Actions Results ArtifactService) -----------------------------------------------

  const twirpError = (status: number, code: string, msg: string): Reply => ({
    status,
    body: { code, msg }
  })
  const twirpFail = (code: string, msg: string, violation?: string): never => {
    throw new HttpError(
      twirpError(TWIRP_STATUS[code] ?? 500, code, msg),
      violation ? { kind: 'protocol', message: violation } : undefined
    )
  }

  const handleTwirp = (rec: RecordedRequest, u: URL, raw: Buffer): Reply => {
    const method = u.pathname.startsWith(TWIRP_PREFIX) ? u.pathname.slice(TWIRP_PREFIX.length) : ''
    rec.operation = `twirp/${method || u.pathname}`
    const fields = TWIRP_METHODS[method]
    if (!fields || rec.method !== 'POST') {
      return twirpFail(
        'bad_route',
        `no handler for ${rec.method} ${u.pathname}`,
        `unknown Twirp route ${rec.method} ${u.pathname}`
      )
    }
    const type = rec.headers['content-type'] ?? ''
    if (!type.startsWith('application/json'))
      twirpFail(
        'malformed',
        `unexpected Content-Type: ${type}`,
        `Twirp ${method} sent Content-Type '${type}'`
      )
    // auth: Bearer <runtime token>, signed by this fake, scp carries Actions.Results:<run>:<job>
    const auth = rec.headers.authorization ?? ''
    const token = /^Bearer (\S+)$/.exec(auth)?.[1]
    if (!token)
      twirpFail(
        'unauthenticated',
        'missing bearer token',
        `Twirp ${method} without 'Authorization: Bearer <ACTIONS_RUNTIME_TOKEN>'`
      )
    const scope = verifyRuntimeToken(token as string)
    if (typeof scope === 'string') twirpFail('unauthenticated', scope, `Twirp ${method}: ${scope}`)
    const { runBackendId, jobBackendIdOfToken } = scope as {
      runBackendId: string
      jobBackendIdOfToken: string
    }

    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>
    } catch {
      return twirpFail('malformed', 'body is not JSON', `Twirp ${method}: body is not JSON`)
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      twirpFail(
        'malformed',
        'body is not a JSON object',
        `Twirp ${method}: body is not a JSON object`
      )
    // protojson accepts proto names and lowerCamel names; the client sends proto (snake_case) names
    const msg: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(body))
      msg[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = v
    for (const [k, v] of Object.entries(msg)) {
      const t = fields[k]
      if (!t) twirpFail('malformed', `unknown field ${k}`, `Twirp ${method}: unknown field '${k}'`)
      if (!twirpTypeOk(t as TwirpField, v))
        twirpFail(
          'malformed',
          `field ${k}: expected ${t}`,
          `Twirp ${method}: field '${k}' is not a valid ${t} (${JSON.stringify(v)})`
        )
    }
    if (
      msg.workflow_run_backend_id !== runBackendId ||
      msg.workflow_job_run_backend_id !== jobBackendIdOfToken
    ) {
      twirpFail(
        'permission_denied',
        'backend ids do not match the token',
        `Twirp ${method}: backend ids ${String(msg.workflow_run_backend_id)}:${String(msg.workflow_job_run_backend_id)} differ from the token's ${runBackendId}:${jobBackendIdOfToken}`
      )
    }
    const run = [...state.runs.values()].find((r) => r.backendId === runBackendId)
    if (!run)
      return twirpFail(
        'not_found',
        'workflow run not found',
        `Twirp ${method}: token for a run the fake does not know`
      )
    const name = typeof msg.name === 'string' ? msg.name : ''
    if ('name' in fields && !['ListArtifacts'].includes(method) && !name)
      twirpFail('invalid_argument', 'name is required', `Twirp ${method}: empty name`)

    const fault = matchFault(rec.method, u.pathname, u.pathname + u.search)
    if (fault) {
      rec.injected = true
      return faultReply(fault, 'twirp')
    }

    const ofRun = (): Artifact[] => [...state.artifacts.values()].filter((a) => a.runId === run.id)
    switch (method) {
      case 'CreateArtifact': {
        if (ofRun().some((a) => a.finalized && a.name === name)) {
          return twirpError(
            409,
            'already_exists',
            'an artifact with this name already exists on the workflow run'
          )
        }
        for (const a of ofRun()) if (!a.finalized && a.name === name) state.artifacts.delete(a.id)
        const id = state.nextArtifactId++
        const createdAt = tick()
        const key = blobKey(run.backendId, jobBackendIdOfToken, name, id)
        state.artifacts.set(id, {
          id,
          runId: run.id,
          jobBackendId: jobBackendIdOfToken,
          name,
          size: 0,
          digest: null,
          createdAt,
          expiresAt:
            typeof msg.expires_at === 'string'
              ? iso(msg.expires_at)
              : iso(new Date(Date.parse(createdAt) + retentionDays * 86400_000)),
          expired: false,
          finalized: false,
          mimeType: typeof msg.mime_type === 'string' ? msg.mime_type : null,
          version: typeof msg.version === 'number' ? msg.version : null,
          blobKey: key
        })
        return {
          status: 200,
          body: { ok: true, signed_upload_url: signedBlobUrl(key, 'cw', 6 * 3600_000) }
        }
      }
      case 'FinalizeArtifact': {
        const a = ofRun().find((x) => !x.finalized && x.name === name)
        if (!a) return twirpError(404, 'not_found', 'artifact not found')
        const blob = state.blobs.get(a.blobKey)
        if (!blob)
          return twirpFail(
            'failed_precondition',
            'no blob was committed for this artifact',
            `FinalizeArtifact '${name}' before its block list was committed`
          )
        const size = Number(msg.size ?? 0)
        const digest = `sha256:${createHash('sha256').update(blob.data).digest('hex')}`
        if (size !== blob.data.length)
          violate(
            rec,
            'protocol',
            `FinalizeArtifact '${name}': size ${size} but the committed blob has ${blob.data.length} bytes`
          )
        if (msg.hash !== undefined && msg.hash !== digest)
          violate(
            rec,
            'protocol',
            `FinalizeArtifact '${name}': hash ${JSON.stringify(msg.hash)} but the committed blob is ${digest}`
          )
        a.finalized = true
        a.size = blob.data.length
        a.digest = typeof msg.hash === 'string' ? msg.hash : digest
        return { status: 200, body: { ok: true, artifact_id: String(a.id) } }
      }
      case 'ListArtifacts': {
        let list = ofRun().filter((a) => a.finalized)
        if (typeof msg.name_filter === 'string')
          list = list.filter((a) => a.name === msg.name_filter)
        if (msg.id_filter !== undefined)
          list = list.filter((a) => String(a.id) === String(msg.id_filter))
        return {
          status: 200,
          body: {
            artifacts: list.map((a) => ({
              workflow_run_backend_id: run.backendId,
              workflow_job_run_backend_id: a.jobBackendId,
              database_id: String(a.id),
              name: a.name,
              size: String(a.size),
              created_at: a.createdAt,
              ...(a.digest ? { digest: a.digest } : {})
            }))
          }
        }
      }
      case 'GetSignedArtifactURL': {
        const a = ofRun()
          .filter((x) => x.finalized && x.name === name)
          .sort((x, y) => y.id - x.id)[0]
        if (!a) return twirpError(404, 'not_found', 'artifact not found')
        return { status: 200, body: { signed_url: signedBlobUrl(a.blobKey, 'r', 3600_000) } }
      }
      case 'DeleteArtifact': {
        const a = ofRun().find((x) => x.finalized && x.name === name)
        if (!a) return twirpError(404, 'not_found', 'artifact not found')
        state.artifacts.delete(a.id)
        state.blobs.delete(a.blobKey)
        return { status: 200, body: { ok: true, artifact_id: String(a.id) } }
      }
    }
    return twirpFail('bad_route', `no handler for ${method}`)
  }

  const verifyRuntimeToken = (
    token: string
  ): string | { runBackendId: string; jobBackendIdOfToken: string } => {
    const parts = token.split('.')
    if (parts.length !== 3) return 'runtime token is not a JWT'
    const [h, p, s] = parts as [string, string, string]
    const expected = Buffer.from(sign(`${h}.${p}`))
    if (expected.length !== Buffer.from(s).length || !timingSafeEqual(expected, Buffer.from(s))) {
      return 'runtime token signature is invalid (mint it with fake.runtimeToken())'
    }
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as {
      scp?: string
      exp?: number
    }
    if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now())
      return 'runtime token expired'
    const scope = (payload.scp ?? '').split(' ').find((x) => x.startsWith('Actions.Results:'))
    const ids = scope?.split(':')
    if (!ids || ids.length !== 3)
      return 'runtime token carries no Actions.Results:<run>:<job> scope'
    return { runBackendId: ids[1] as string, jobBackendIdOfToken: ids[2] as string }
  }

  // ---- Blob (Azure block blob subset, Azurite-style path) --------------------------------------

  const blobError = (status: number, code: string, message: string): Reply => ({
    status,
    headers: {
      'content-type': 'application/xml',
      'x-ms-error-code': code,
      'x-ms-request-id': randomBytes(8).toString('hex')
    },
    raw: Buffer.from(
      `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
    )
  })
  const blobFail = (status: number, code: string, message: string): never => {
    throw new HttpError(blobError(status, code, message), {
      kind: 'protocol',
      message: `blob ${code}: ${message}`
    })
  }

  const handleBlob = (
    rec: RecordedRequest,
    u: URL,
    body: Buffer,
    headers: http.IncomingHttpHeaders
  ): Reply => {
    const prefix = `/${BLOB_ACCOUNT}/${BLOB_CONTAINER}/`
    if (!u.pathname.startsWith(prefix))
      return blobFail(400, 'InvalidUri', `path must be ${prefix}<blob>`)
    const key = decodeURIComponent(u.pathname.slice(prefix.length))
    const q = u.searchParams
    const comp = q.get('comp')
    rec.operation = `blob/${rec.method === 'GET' ? 'GetBlob' : comp === 'block' ? 'PutBlock' : comp === 'blocklist' ? 'PutBlockList' : rec.method === 'PUT' ? 'PutBlob' : rec.method}`
    // the SAS: sp, se, sig signed by this fake over permission, expiry and blob
    const sp = q.get('sp') ?? ''
    const se = q.get('se') ?? ''
    const sig = q.get('sig') ?? ''
    if (sig !== sign(`${sp}\n${se}\n/${BLOB_CONTAINER}/${key}`))
      blobFail(403, 'AuthenticationFailed', 'Signature did not match')
    if (Date.parse(se) < Date.now())
      blobFail(
        403,
        'AuthenticationFailed',
        `Signed expiry time [${se}] has to be after the current time`
      )
    const needs = rec.method === 'GET' || rec.method === 'HEAD' ? 'r' : 'w'
    if (!sp.includes(needs))
      blobFail(
        403,
        'AuthorizationPermissionMismatch',
        `This request is not authorized to perform this operation using this permission (sp=${sp})`
      )

    const fault = matchFault(rec.method, u.pathname, u.pathname + u.search)
    if (fault) {
      rec.injected = true
      const f = faultReply(fault, 'blob')
      return f.body === undefined || f.raw
        ? f
        : blobError(f.status, 'InjectedFault', JSON.stringify(f.body))
    }

    const common = {
      'x-ms-request-id': randomBytes(8).toString('hex'),
      'x-ms-version': String(headers['x-ms-version'] ?? '2025-11-05'),
      date: new Date().toUTCString()
    }
    if (rec.method === 'PUT' && comp === 'block') {
      const blockId = q.get('blockid')
      if (!blockId || !/^[A-Za-z0-9+/]+={0,2}$/.test(blockId))
        blobFail(400, 'InvalidQueryParameterValue', `blockid '${blockId}' is not base64`)
      const blocks = state.blocks.get(key) ?? new Map<string, Buffer>()
      const firstLength = blocks.keys().next().value?.length
      if (firstLength !== undefined && firstLength !== (blockId as string).length) {
        blobFail(400, 'InvalidBlobOrBlock', 'all block ids of a blob must have the same length')
      }
      if (body.length > 4000 * 1024 * 1024)
        blobFail(413, 'RequestBodyTooLarge', 'block over 4000 MiB')
      blocks.set(blockId as string, body)
      state.blocks.set(key, blocks)
      return {
        status: 201,
        headers: {
          ...common,
          'x-ms-request-server-encrypted': 'true',
          'content-md5': createHash('md5').update(body).digest('base64')
        }
      }
    }
    if (rec.method === 'PUT' && comp === 'blocklist') {
      const xml = body.toString('utf8')
      if (!/<BlockList>[\s\S]*<\/BlockList>/.test(xml))
        blobFail(400, 'InvalidXmlDocument', 'body is not a <BlockList>')
      const staged = state.blocks.get(key) ?? new Map<string, Buffer>()
      const committed = state.blobs.get(key)
      const parts: Buffer[] = []
      for (const m of xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)) {
        const [, kind, id] = m as unknown as [string, string, string]
        const data = kind === 'Committed' ? undefined : staged.get(id)
        if (!data)
          blobFail(
            400,
            'InvalidBlockList',
            `block ${id} (${kind}) is not staged${committed ? ' (committed blocks are not kept by the fake)' : ''}`
          )
        parts.push(data as Buffer)
      }
      const data = Buffer.concat(parts)
      state.blobs.set(key, {
        data,
        contentType: String(headers['x-ms-blob-content-type'] ?? 'application/octet-stream')
      })
      state.blocks.delete(key)
      return {
        status: 201,
        headers: {
          ...common,
          etag: `"0x${createHash('md5').update(data).digest('hex').slice(0, 15).toUpperCase()}"`,
          'last-modified': new Date().toUTCString(),
          'x-ms-request-server-encrypted': 'true'
        }
      }
    }
    if (rec.method === 'PUT' && !comp) {
      if (headers['x-ms-blob-type'] !== 'BlockBlob')
        blobFail(400, 'MissingRequiredHeader', 'x-ms-blob-type: BlockBlob is required')
      state.blobs.set(key, {
        data: body,
        contentType: String(headers['x-ms-blob-content-type'] ?? 'application/octet-stream')
      })
      return {
        status: 201,
        headers: { ...common, etag: '"0x1"', 'last-modified': new Date().toUTCString() }
      }
    }
    if (rec.method === 'GET') {
      const blob = state.blobs.get(key)
      if (!blob) return blobFail(404, 'BlobNotFound', 'The specified blob does not exist.')
      return {
        status: 200,
        headers: {
          ...common,
          'content-type': blob.contentType,
          'x-ms-blob-type': 'BlockBlob',
          'accept-ranges': 'bytes'
        },
        raw: blob.data
      }
    }
    return blobFail(
      400,
      'UnsupportedHttpVerb',
      `${rec.method} with comp=${comp} is not supported by the fake`
    )
  }

  // ---- start ---------------------------------------------------------------------------------

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const fake: FakeGitHub = {
    url: base,
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
      return existing ? { ...existing } : seedRun(input)
    },
    updateRun,
    runs: () => [...state.runs.values()].map((r) => ({ ...r })),
    runtimeToken,
    jobBackendId,
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

// ---------------------------------------------------------------------------------------------
// Pure helpers

function freshState(workflows: string[]): State {
  const state: State = {
    runs: new Map(),
    workflows: new Map(),
    artifacts: new Map(),
    blocks: new Map(),
    blobs: new Map(),
    comments: new Map(),
    pulls: new Map(),
    faults: [],
    nextRunId: 1001,
    nextArtifactId: 5001,
    nextCommentId: 2000001,
    nextWorkflowId: 161335,
    clock: 0
  }
  for (const w of workflows) state.workflows.set(w, state.nextWorkflowId++)
  return state
}

function publicArtifact(a: Artifact): ArtifactRecord {
  const { blobKey, ...rest } = a
  void blobKey
  return { ...rest, expired: a.expired || Date.parse(a.expiresAt) <= Date.now() }
}

function blobKey(runBackendId: string, jobBackendId: string, name: string, id: number): string {
  // production: <runBackendId>/workflow-job-run-<jobBackendId>/artifacts/<sha256hex>.zip
  return `${runBackendId}/workflow-job-run-${jobBackendId}/artifacts/${createHash('sha256').update(`${name}\n${id}`).digest('hex')}.zip`
}

function paginate<T>(all: T[], u: URL, base: string): { items: T[]; link?: string } {
  const perPage = Math.min(100, Math.max(1, Number(u.searchParams.get('per_page') ?? 30) || 30))
  const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1)
  const last = Math.max(1, Math.ceil(all.length / perPage))
  const items = all.slice((page - 1) * perPage, page * perPage)
  const at = (n: number): string => {
    const q = new URLSearchParams(u.searchParams)
    q.set('page', String(n))
    return `<${base}${u.pathname}?${q.toString()}>`
  }
  const parts: string[] = []
  if (page > 1) parts.push(`${at(Math.min(page - 1, last))}; rel="prev"`)
  if (page < last) parts.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`)
  if (page > 1) parts.push(`${at(1)}; rel="first"`)
  return parts.length ? { items, link: parts.join(', ') } : { items }
}

function runMatches(r: RunRecord, q: URLSearchParams): boolean {
  const branch = q.get('branch')
  const event = q.get('event')
  const status = q.get('status')
  const headSha = q.get('head_sha')
  const actor = q.get('actor')
  const created = q.get('created')
  const checkSuite = q.get('check_suite_id')
  if (branch !== null && r.headBranch !== branch) return false
  if (event !== null && r.event !== event) return false
  if (status !== null && r.status !== status && r.conclusion !== status) return false
  if (headSha !== null && r.headSha !== headSha) return false
  if (actor !== null && r.actor !== actor) return false
  if (checkSuite !== null && String(80000000 + r.id) !== checkSuite) return false
  if (created !== null && !dateMatches(r.createdAt, created)) return false
  return true
}

/** GitHub search date syntax: `>=2026-01-01`, `<2026-01-01T10:00:00Z`, `a..b`, or one day. */
function dateMatches(value: string, query: string): boolean {
  const t = Date.parse(value)
  const range = /^(.+)\.\.(.+)$/.exec(query)
  if (range)
    return (
      (range[1] === '*' || t >= Date.parse(range[1] as string)) &&
      (range[2] === '*' || t <= endOf(range[2] as string))
    )
  const cmp = /^(>=|<=|>|<)(.+)$/.exec(query)
  if (cmp) {
    const d = cmp[2] as string
    switch (cmp[1]) {
      case '>=':
        return t >= Date.parse(d)
      case '>':
        return t > endOf(d)
      case '<=':
        return t <= endOf(d)
      default:
        return t < Date.parse(d)
    }
  }
  return t >= Date.parse(query) && t <= endOf(query)
}
const endOf = (d: string): number =>
  /^\d{4}-\d{2}-\d{2}$/.test(d) ? Date.parse(d) + 86400_000 - 1 : Date.parse(d)

function twirpTypeOk(t: TwirpField, v: unknown): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string'
    case 'int32':
      return Number.isInteger(v)
    case 'int64':
      return (typeof v === 'string' && /^-?\d+$/.test(v)) || Number.isInteger(v)
    case 'timestamp':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v)
  }
}

function twirpCode(status: number): string {
  return (
    Object.entries(TWIRP_STATUS).find(([, s]) => s === status)?.[0] ??
    (status >= 500 ? 'internal' : 'unknown')
  )
}

function levelAtLeast(have: PermissionLevel | undefined, need: PermissionLevel): boolean {
  return have === 'write' || (have === 'read' && need === 'read')
}

function lowerKeys(h: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]))
}

function isText(b: Buffer): boolean {
  return !b.subarray(0, 512).includes(0)
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex')
}

function hashInt(s: string): number {
  return (createHash('sha1').update(s).digest().readUInt32BE(0) % 90_000_000) + 10_000_000
}

function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}
