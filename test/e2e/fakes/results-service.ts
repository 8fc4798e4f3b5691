/**
 * The Actions Results service as @actions/artifact 6 speaks it: Twirp JSON
 * (`github.actions.results.api.v1.ArtifactService`) authorised by the runtime token (a JWT whose
 * `scp` carries `Actions.Results:<runBackendId>:<jobBackendId>`), and an Azure block-blob store
 * behind signed URLs with Azurite-style paths. See docs/actions-runtime.md §2.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type http from 'node:http'
import {
  HttpError,
  iso,
  jobBackendIdFor,
  blobKey,
  type Artifact,
  type FakeContext,
  type RecordedRequest,
  type Reply
} from './state.js'

export const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/'
export const BLOB_ACCOUNT = 'devstoreaccount1'
export const BLOB_CONTAINER = 'actions-results'
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

export interface ResultsService {
  handleTwirp: (rec: RecordedRequest, u: URL, body: Buffer) => Reply
  handleBlob: (
    rec: RecordedRequest,
    u: URL,
    body: Buffer,
    headers: http.IncomingHttpHeaders
  ) => Reply
  /** an ACTIONS_RUNTIME_TOKEN for the run's job (HS256, signed by this fake) */
  runtimeToken: (opts: { runId: number; jobBackendId?: string }) => string
  /** a SAS URL for a blob: `r` to read, `cw` to create and write */
  signedBlobUrl: (key: string, permission: 'r' | 'cw', ttlMs: number) => string
}

export function createResultsService(ctx: FakeContext): ResultsService {
  const { state, retentionDays } = ctx
  const sign = ctx.sign
  const b64u = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')

  const signedBlobUrl = (key: string, permission: 'r' | 'cw', ttlMs: number): string => {
    const se = new Date(Date.now() + ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const sig = sign(`${permission}\n${se}\n/${BLOB_CONTAINER}/${key}`)
    const q = new URLSearchParams({ sv: '2025-11-05', se, sr: 'b', sp: permission, sig })
    return `${ctx.base}/${BLOB_ACCOUNT}/${BLOB_CONTAINER}/${key}?${q.toString()}`
  }

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
      scp: `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${run.backendId}:${job ?? jobBackendIdFor(runId)} Actions.UploadArtifacts:00000000-0000-0000-0000-000000000000:${run.id} LocationService.Connect ReadAndUpdateBuildByUri:00000000-0000-0000-0000-000000000000/${run.id}`,
      iss: 'vstoken.actions.githubusercontent.com',
      aud: 'vso:00000000-0000-0000-0000-000000000000',
      nbf: nowS - 60,
      exp: nowS + 6 * 3600,
      ac: '[{"Scope":"refs/heads/main","Permission":3}]'
    })
    return `${header}.${payload}.${sign(`${header}.${payload}`)}`
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
    // Uploads and listings name the token's own job. Downloads and deletions name the job that
    // uploaded the artifact (@actions/artifact copies both ids from ListArtifacts), which may be
    // any job of the token's run: download-artifact reads another job's artifact this way.
    const ofArtifact = method === 'GetSignedArtifactURL' || method === 'DeleteArtifact'
    if (
      msg.workflow_run_backend_id !== runBackendId ||
      (!ofArtifact && msg.workflow_job_run_backend_id !== jobBackendIdOfToken)
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

    const injected = ctx.injectedReply(rec, u, (status) => ({
      code: twirpCode(status),
      msg: `injected ${status}`
    }))
    if (injected) return injected

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
        const createdAt = ctx.tick()
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
          ctx.violate(
            rec,
            'protocol',
            `FinalizeArtifact '${name}': size ${size} but the committed blob has ${blob.data.length} bytes`
          )
        if (msg.hash !== undefined && msg.hash !== digest)
          ctx.violate(
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
          .filter(
            (x) =>
              x.finalized && x.name === name && x.jobBackendId === msg.workflow_job_run_backend_id
          )
          .sort((x, y) => y.id - x.id)[0]
        if (!a) return twirpError(404, 'not_found', 'artifact not found')
        return { status: 200, body: { signed_url: signedBlobUrl(a.blobKey, 'r', 3600_000) } }
      }
      case 'DeleteArtifact': {
        const a = ofRun().find(
          (x) =>
            x.finalized && x.name === name && x.jobBackendId === msg.workflow_job_run_backend_id
        )
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

    const injected = ctx.injectedReply(rec, u, (status) => ({ message: `injected ${status}` }))
    if (injected) {
      return injected.raw
        ? injected
        : blobError(injected.status, 'InjectedFault', JSON.stringify(injected.body))
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

  return { handleTwirp, handleBlob, runtimeToken, signedBlobUrl }
}

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

export function twirpCode(status: number): string {
  return (
    Object.entries(TWIRP_STATUS).find(([, s]) => s === status)?.[0] ??
    (status >= 500 ? 'internal' : 'unknown')
  )
}
