/**
 * GitHub REST: routing and validation through GitHub's OpenAPI description (`./openapi.ts`),
 * tokens and permissions, the handlers, and the REST objects they answer with.
 */
import { randomBytes } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { MatchedOperation, OperationId } from './openapi.js'
import {
  HttpError,
  hashInt,
  isExpired,
  iso,
  lowerKeys,
  sha1,
  BOT,
  type Artifact,
  type CommentRecord,
  type CommentUser,
  type FakeContext,
  type PermissionLevel,
  type PermissionScope,
  type RecordedRequest,
  type Reply,
  type RunRecord,
  type SeedPullInput
} from './state.js'

const MAX_COMMENT = 65536
const API_VERSIONS = ['2022-11-28']

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
  'actions/get-workflow-run-attempt': { scopes: ['actions'], level: 'read' },
  'actions/list-workflow-run-artifacts': { scopes: ['actions'], level: 'read' },
  'actions/list-artifacts-for-repo': { scopes: ['actions'], level: 'read' },
  'actions/get-artifact': { scopes: ['actions'], level: 'read' },
  'actions/delete-artifact': { scopes: ['actions'], level: 'write' },
  'actions/download-artifact': { scopes: ['actions'], level: 'read' },
  'pulls/get': { scopes: ['pull_requests'], level: 'read' },
  'users/get-authenticated': 'user-only'
}

/** The REST handler: (request, URL, raw body) → reply; throws HttpError for refused requests. */
export function createRestHandler(
  ctx: FakeContext,
  signedBlobUrl: (key: string, permission: 'r', ttlMs: number) => string
): (rec: RecordedRequest, u: URL, body: Buffer) => Reply {
  const { spec, state, owner, repo, fullName, repoId, defaultBranch, serverUrl, tokens } = ctx
  const now = (): string => iso(new Date())
  /** our repository's id, or a stable one for any other (a fork) */
  const repoIdOf = (full: string): number =>
    full.toLowerCase() === fullName.toLowerCase() ? repoId : repoId + 1 + (hashInt(full) % 100000)
  const apiRepo = (full = fullName): string => `${ctx.base}/repos/${full}`
  const htmlRepo = (full = fullName): string => `${serverUrl}/${full}`

  const userObject = (u: Required<CommentUser>): object =>
    u.type === 'Bot'
      ? spec.build('simple-user', {
          login: u.login,
          id: u.id,
          node_id: `MDM6Qm90${u.id}`,
          avatar_url: `https://avatars.githubusercontent.com/in/15368?v=4`,
          gravatar_id: '',
          url: `${ctx.base}/users/${encodeURIComponent(u.login)}`,
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
          url: `${ctx.base}/users/${u.login}`,
          html_url: `${serverUrl}/${u.login}`,
          followers_url: `${ctx.base}/users/${u.login}/followers`,
          repos_url: `${ctx.base}/users/${u.login}/repos`,
          type: u.type,
          site_admin: false,
          user_view_type: 'public'
        })

  const repoOwnerLogin = (full: string): string => full.split('/')[0] ?? owner
  const repoObject = (schema: 'minimal-repository' | 'repository', full: string): object => {
    const login = repoOwnerLogin(full)
    const isOurs = full.toLowerCase() === fullName.toLowerCase()
    return spec.build(schema, {
      id: repoIdOf(full),
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

  /** A run as GitHub shows it: at its current attempt, or at an earlier `attempt` (1-based). */
  const toRestRun = (r: RunRecord, attempt = r.runAttempt): object => {
    const runUrl = `${apiRepo()}/actions/runs/${r.id}`
    const latest = attempt === r.runAttempt
    const started = r.attempts[attempt - 1]
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
      run_attempt: attempt,
      referenced_workflows: [],
      event: r.event,
      status: latest ? r.status : 'completed',
      conclusion: latest ? r.conclusion : (started?.conclusion ?? null),
      workflow_id: r.workflowId,
      url: runUrl,
      html_url: `${htmlRepo()}/actions/runs/${r.id}`,
      pull_requests: pulls,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
      // "The start time of the latest run. Resets on re-run." (GitHub's description)
      run_started_at: started?.startedAt ?? r.createdAt,
      actor,
      triggering_actor: actor,
      jobs_url: `${runUrl}/jobs`,
      logs_url: `${runUrl}/logs`,
      check_suite_url: `${apiRepo()}/check-suites/${80000000 + r.id}`,
      artifacts_url: `${runUrl}/artifacts`,
      cancel_url: `${runUrl}/cancel`,
      rerun_url: `${runUrl}/rerun`,
      previous_attempt_url: attempt > 1 ? `${runUrl}/attempts/${attempt - 1}` : null,
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
      head_repository_id: repoIdOf(r.headRepoFullName)
    })
  }

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
            head_repository_id: repoIdOf(run.headRepoFullName),
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
    for (const p of problems)
      ctx.violate(rec, 'response', `${op.operationId} → ${reply.status}: ${p}`)
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

    const injected = ctx.injectedReply(rec, u, (status) => ({
      message: STATUS_CODES[status] ?? 'Error',
      documentation_url: docs,
      status: String(status)
    }))
    if (injected) return injected

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
    const pageOf = <T>(items: T[]): { items: T[]; link?: string } => paginate(items, u, ctx.base)

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
          const created = ctx.addComment(Number(p.issue_number), {
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
          })
          return {
            status: 201,
            headers: { location: `${apiRepo()}/issues/comments/${created.id}` },
            body: toRestComment(created)
          }
        }
        const existing = state.comments.get(Number(p.comment_id))
        if (!existing) return restError(404, 'Not Found', docs)
        existing.body = text
        existing.updatedAt = ctx.tick()
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
      case 'actions/get-workflow-run-attempt': {
        const r = state.runs.get(Number(p.run_id))
        const attempt = Number(p.attempt_number)
        if (!r || !Number.isSafeInteger(attempt) || attempt < 1 || attempt > r.runAttempt)
          return restError(404, 'Not Found', docs)
        const run = toRestRun(r, attempt)
        return {
          status: 200,
          body: q.get('exclude_pull_requests') === 'true' ? { ...run, pull_requests: [] } : run
        }
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

  return handleRest
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

function levelAtLeast(have: PermissionLevel | undefined, need: PermissionLevel): boolean {
  return have === 'write' || (have === 'read' && need === 'read')
}
