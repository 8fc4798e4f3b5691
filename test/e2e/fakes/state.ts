/**
 * The fake's shared state and the context its REST, Twirp and blob handlers are built on.
 * Public record and input types live here and are re-exported by `./github.ts`.
 */
import { createHash } from 'node:crypto'
import type { GitHubSpec } from './openapi.js'

// ---------------------------------------------------------------------------------------------
// Public types

export type PermissionScope = 'actions' | 'contents' | 'issues' | 'pull_requests' | 'metadata'
export type PermissionLevel = 'read' | 'write'
export type TokenIdentity =
  | { kind: 'installation'; permissions: Partial<Record<PermissionScope, PermissionLevel>> }
  | { kind: 'user'; login: string; id?: number; name?: string }

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
  /**
   * When each attempt started, attempt 1 first (default: attempt 1 at `createdAt`, each later
   * one a tick after the one before; `updateRun` starts a new attempt at a tick of its own)
   */
  attemptsStartedAt?: (string | Date)[]
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
  /** attempt k is `attempts[k - 1]`; the last is the run's current attempt */
  attempts: AttemptRecord[]
  actor: string
  displayTitle: string
  pullRequests: number[]
}

/** One attempt of a run ("Re-run jobs" starts the next one in the same run). */
export interface AttemptRecord {
  /** `run_started_at` of the attempt */
  startedAt: string
  /**
   * How an earlier attempt ended (GitHub re-runs only completed runs); the current attempt's
   * status and conclusion are the run's own
   */
  conclusion: RunConclusion
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

/** The identity GITHUB_TOKEN comments as, and the human default of seeded comments. */
export const BOT: Required<CommentUser> = {
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot'
}
export const HUMAN: Required<CommentUser> = { login: 'octocat', id: 583231, type: 'User' }

// ---------------------------------------------------------------------------------------------
// Internal state

export interface Artifact extends ArtifactRecord {
  blobKey: string
}
export interface Blob {
  data: Buffer
  contentType: string
}
export interface Fault extends FaultSpec {
  hits: number
}
export interface State {
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

export interface Reply {
  status: number
  headers?: Record<string, string>
  /** JSON value; undefined → no body */
  body?: unknown
  /** raw bytes (blob GET) */
  raw?: Buffer
}

export class HttpError extends Error {
  constructor(
    readonly reply: Reply,
    readonly violation?: { kind: Violation['kind']; message: string }
  ) {
    super(violation?.message ?? `HTTP ${reply.status}`)
  }
}

/** What the handlers share: configuration, state, signing, and the request bookkeeping. */
export interface FakeContext {
  readonly spec: GitHubSpec
  /** replaced field by field on reset, never reassigned */
  readonly state: State
  readonly owner: string
  readonly repo: string
  readonly fullName: string
  readonly repoId: number
  readonly defaultBranch: string
  readonly serverUrl: string
  readonly retentionDays: number
  readonly tokens: ReadonlyMap<string, TokenIdentity>
  /** http://127.0.0.1:PORT once listening */
  base: string
  /** HMAC-SHA256 (base64url) with this server's secret: runtime tokens and blob SAS */
  sign: (data: string) => string
  /** strictly increasing timestamps, so "newest first" is well defined without sleeping */
  tick: () => string
  violate: (rec: RecordedRequest, kind: Violation['kind'], message: string) => void
  /** the reply of the first `fail()` rule matching this request, if any (marks it injected) */
  injectedReply: (
    rec: RecordedRequest,
    u: URL,
    errorBody: (status: number) => unknown
  ) => Reply | undefined
  addComment: (issueNumber: number, input: SeedCommentInput) => CommentRecord
}

// ---------------------------------------------------------------------------------------------
// Helpers

export function freshState(workflows: string[]): State {
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

export function publicArtifact(a: Artifact): ArtifactRecord {
  const { blobKey, ...rest } = a
  void blobKey
  return { ...rest, expired: a.expired || Date.parse(a.expiresAt) <= Date.now() }
}

export function isExpired(a: Artifact): boolean {
  return a.expired || Date.parse(a.expiresAt) <= Date.now()
}

export function blobKey(
  runBackendId: string,
  jobBackendId: string,
  name: string,
  id: number
): string {
  // production: <runBackendId>/workflow-job-run-<jobBackendId>/artifacts/<sha256hex>.zip
  return `${runBackendId}/workflow-job-run-${jobBackendId}/artifacts/${createHash('sha256').update(`${name}\n${id}`).digest('hex')}.zip`
}

/**
 * The Results-service id of a job of a run: of its only job, or of the job named `job` (a
 * matrix leg, an aggregating job: each job of a run has its own id, and its runtime token names
 * it; the artifact service lists and serves every job's artifacts of the run to any of them).
 */
export function jobBackendIdFor(runId: number, job?: string): string {
  return uuidFrom(job === undefined ? `job:${runId}` : `job:${runId}:${job}`)
}

export function iso(d: string | Date): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex')
}

export function hashInt(s: string): number {
  return (createHash('sha1').update(s).digest().readUInt32BE(0) % 90_000_000) + 10_000_000
}

export function uuidFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export function lowerKeys(h: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]))
}

export function isText(b: Buffer): boolean {
  return !b.subarray(0, 512).includes(0)
}
