/**
 * GitHub's official REST description (`@octokit/openapi`, api.github.com) as a validator for the fake.
 *
 * The 13 MB document is parsed once per process (about 0.3–0.4 s). Only the operations the fake
 * implements are cut out, with the components they reference, into a small document that
 * openapi-backend routes and validates requests against (quick mode: validators compile lazily).
 * Response bodies are validated with one Ajv instance that holds the cut-out components, so each
 * schema (workflow-run, minimal-repository, …) compiles once and is shared by every operation.
 * The full path list is kept only to word "unknown route" errors.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { OpenAPIBackend, ValidationContext, type OpenAPIValidator } from 'openapi-backend'

type Ajv = ReturnType<OpenAPIValidator['getAjv']>
type ValidateFn = ReturnType<Ajv['compile']>
type AjvError = NonNullable<ValidateFn['errors']>[number]
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

/** The operations the fake serves, by GitHub's operationId. */
export const IMPLEMENTED_OPERATIONS = [
  'issues/list-comments',
  'issues/create-comment',
  'issues/get-comment',
  'issues/update-comment',
  'issues/delete-comment',
  'actions/list-workflow-runs',
  'actions/list-workflow-runs-for-repo',
  'actions/get-workflow-run',
  'actions/get-workflow-run-attempt',
  'actions/list-workflow-run-artifacts',
  'actions/list-artifacts-for-repo',
  'actions/get-artifact',
  'actions/delete-artifact',
  'actions/download-artifact',
  'users/get-authenticated',
  'pulls/get'
] as const
export type OperationId = (typeof IMPLEMENTED_OPERATIONS)[number]

export interface SpecRequest {
  method: string
  /** pathname only */
  path: string
  /** raw query string without `?` */
  query: string
  headers: Record<string, string | string[] | undefined>
  /** parsed JSON body, if any */
  body?: unknown
}

export interface MatchedOperation {
  operationId: OperationId
  /** path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments` */
  template: string
  /** raw (string) path parameters */
  params: Record<string, string>
  docsUrl: string
}

export interface GitHubSpec {
  /** ms spent reading, parsing and cutting the document (first load in this process) */
  readonly loadMs: number
  /** number of operations in the full description */
  readonly totalOperations: number
  readonly operationIds: readonly OperationId[]
  match(method: string, path: string): MatchedOperation | undefined
  /** an operation of the full description that matches, for error messages */
  findInFullSpec(
    method: string,
    path: string
  ): { operationId: string; template: string } | undefined
  /** spec violations of a request (empty when valid) */
  validateRequest(req: SpecRequest, operationId: OperationId): string[]
  /** spec violations of a response (empty when valid); `body` undefined means no body */
  validateResponse(
    operationId: OperationId,
    status: number,
    headers: Record<string, string>,
    body: unknown
  ): string[]
  /** a minimal valid instance of `components.schemas[name]`, deep-merged with `overrides` */
  build<T extends object = JsonObject>(schemaName: string, overrides?: object): T
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

let cached: Promise<GitHubSpec> | undefined

/** Loads (once per process) and returns the validator. */
export function loadGitHubSpec(): Promise<GitHubSpec> {
  cached ??= load()
  return cached
}

async function load(): Promise<GitHubSpec> {
  const started = performance.now()
  const require = createRequire(import.meta.url)
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json')
  const full = JSON.parse(await readFile(file, 'utf8')) as JsonObject
  const mini = cutDocument(full, new Set<string>(IMPLEMENTED_OPERATIONS))
  const fullRoutes = routeTable(full)
  const totalOperations = fullRoutes.length

  type Definition = Exclude<ConstructorParameters<typeof OpenAPIBackend>[0]['definition'], string>
  const backend = new OpenAPIBackend<Definition>({
    definition: structuredClone(mini) as unknown as Definition,
    quick: true,
    coerceTypes: true,
    ajvOpts: { allErrors: true },
    customizeAjv: (ajv) => addFormats(ajv)
  })
  await backend.init()

  // Response validation: one Ajv holding the components, schemas referenced by $ref.
  const ajv = backend.validator.getAjv(ValidationContext.Response, { allErrors: true })
  ajv.addSchema({ $id: 'gh', components: mini.components as Json }, 'gh')
  const compiled = new Map<string, ValidateFn>()
  const compile = (pointer: string): ValidateFn => {
    let fn = compiled.get(pointer)
    if (!fn) {
      fn = ajv.compile({ $ref: `gh${pointer}` })
      compiled.set(pointer, fn)
    }
    return fn
  }
  const operations = new Map<
    string,
    { template: string; method: string; op: JsonObject; pointer: string }
  >()
  for (const [template, item] of Object.entries(mini.paths as Record<string, JsonObject>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as JsonObject | undefined
      if (op) {
        const id = op.operationId as string
        operations.set(id, {
          template,
          method,
          op,
          pointer: `#/paths/${escapePointer(template)}/${method}`
        })
      }
    }
  }
  // paths live in the mini document too, so response schemas can be addressed by pointer
  ajv.addSchema({ $id: 'ghpaths', paths: rewriteRefs(mini.paths, 'gh') as Json }, 'ghpaths')
  const compilePath = (pointer: string): ValidateFn => {
    let fn = compiled.get(`paths:${pointer}`)
    if (!fn) {
      fn = ajv.compile({ $ref: `ghpaths${pointer}` })
      compiled.set(`paths:${pointer}`, fn)
    }
    return fn
  }
  const components = mini.components as {
    schemas: Record<string, Json>
    responses: Record<string, Json>
  }

  const resolve = (value: Json | undefined): Json | undefined => {
    let v = value
    for (
      let i = 0;
      i < 20 && v && typeof v === 'object' && !Array.isArray(v) && typeof v.$ref === 'string';
      i++
    ) {
      v = pointerGet(mini, v.$ref)
    }
    return v
  }

  const loadMs = performance.now() - started

  const spec: GitHubSpec = {
    loadMs,
    totalOperations,
    operationIds: IMPLEMENTED_OPERATIONS,
    match(method, path) {
      const op = backend.matchOperation({ method: method.toLowerCase(), path, headers: {} })
      if (!op?.operationId) return undefined
      const params = matchTemplate(op.path, path) ?? {}
      const docsUrl = op.externalDocs?.url ?? 'https://docs.github.com/rest'
      return { operationId: op.operationId as OperationId, template: op.path, params, docsUrl }
    },
    findInFullSpec(method, path) {
      const m = method.toLowerCase()
      const hit = fullRoutes.find((r) => r.method === m && r.regex.test(path))
      return hit && { operationId: hit.operationId, template: hit.template }
    },
    validateRequest(req, operationId) {
      const result = backend.validateRequest(
        {
          method: req.method.toLowerCase(),
          path: req.path,
          query: req.query,
          headers: flatHeaders(req.headers),
          body: req.body as never
        },
        operationId
      )
      return result.valid ? [] : (result.errors ?? []).map(formatError)
    },
    validateResponse(operationId, status, headers, body) {
      const entry = operations.get(operationId)
      if (!entry) return [`operation ${operationId} is not in the cut-out description`]
      const problems: string[] = []
      const responses = entry.op.responses as JsonObject
      const declared = resolve(responses[String(status)]) as JsonObject | undefined
      if (!declared) {
        if (status < 400) {
          return [
            `status ${status} is not declared for ${operationId} (declared: ${Object.keys(responses).join(', ')})`
          ]
        }
        // GitHub's description omits many error statuses; GitHub answers them with its error shape.
        const schemaName = status === 422 ? 'validation-error' : 'basic-error'
        const fn = compile(`#/components/schemas/${schemaName}`)
        if (body === undefined || !fn(body)) {
          problems.push(
            `undeclared error status ${status}: body is not a GitHub ${schemaName}: ${errorsOf(fn, body)}`
          )
        }
        return problems
      }
      const content = declared.content as JsonObject | undefined
      const json = content?.['application/json'] as JsonObject | undefined
      if (json?.schema) {
        // address the schema through the operation so $refs inside it resolve against the components
        const ref = responses[String(status)] as JsonObject
        const pointer =
          typeof ref.$ref === 'string'
            ? `${ref.$ref}/content/application~1json/schema`
            : `${entry.pointer}/responses/${status}/content/application~1json/schema`
        const fn = typeof ref.$ref === 'string' ? compile(pointer) : compilePath(pointer)
        if (body === undefined)
          problems.push(`status ${status} of ${operationId} must have a JSON body`)
        else if (!fn(body))
          problems.push(`response body does not match the schema: ${errorsOf(fn, body)}`)
      } else if (body !== undefined) {
        problems.push(`status ${status} of ${operationId} declares no body, but one was sent`)
      }
      const declaredHeaders = (declared.headers ?? {}) as JsonObject
      for (const name of Object.keys(declaredHeaders)) {
        const lower = name.toLowerCase()
        const value = headers[lower]
        // GitHub's description marks no header as required; a Location on 201/3xx is required in practice.
        if (value === undefined && lower === 'location')
          problems.push(`status ${status} of ${operationId} must send a Location header`)
        if (value !== undefined && lower === 'link' && !isLinkHeader(value))
          problems.push(`malformed Link header: ${value}`)
      }
      return problems
    },
    build<T extends object = JsonObject>(schemaName: string, overrides?: object): T {
      const schema = components.schemas[schemaName]
      if (schema === undefined)
        throw new Error(`no schema ${schemaName} in the cut-out description`)
      const base = minimalInstance(schema, schemaName, resolve, 0)
      return (overrides ? deepMerge(base, overrides as Json) : base) as T
    }
  }
  return spec
}

// ---------------------------------------------------------------------------------------------
// Document cutting

function cutDocument(full: JsonObject, ids: Set<string>): JsonObject {
  const paths: Record<string, JsonObject> = {}
  for (const [template, item] of Object.entries(full.paths as Record<string, JsonObject>)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as JsonObject | undefined
      if (op && ids.has(op.operationId as string)) (paths[template] ??= {})[method] = op
    }
  }
  const found = new Set<string>()
  for (const item of Object.values(paths))
    for (const op of Object.values(item)) found.add((op as JsonObject).operationId as string)
  const missing = [...ids].filter((id) => !found.has(id))
  if (missing.length)
    throw new Error(`operations missing from @octokit/openapi: ${missing.join(', ')}`)

  const components: Record<string, Record<string, Json>> = {}
  const queue: string[] = []
  const seen = new Set<string>()
  const collect = (v: Json | undefined): void => {
    if (Array.isArray(v)) v.forEach(collect)
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') {
          if (!seen.has(x) && !x.startsWith('#/components/examples/')) {
            seen.add(x)
            queue.push(x)
          }
        } else if (k !== 'examples') collect(x)
      }
    }
  }
  collect(paths)
  while (queue.length) {
    const ref = queue.pop() as string
    const [, , kind, name] = ref.split('/')
    if (!kind || !name) continue
    const value = pointerGet(full, ref)
    ;(components[kind] ??= {})[decodePointer(name)] = value as Json
    collect(value)
  }
  const doc = stripExamples({
    openapi: full.openapi as Json,
    info: full.info as Json,
    paths: paths as Json,
    components: components as Json
  }) as JsonObject
  relaxParameterOneOf(doc)
  return doc
}

/**
 * `workflow_id` is `oneOf: [integer, string]`. A path parameter arrives as a string and is coerced,
 * so "161335" matches both branches and `oneOf` fails; GitHub means "either". Parameters only.
 */
function relaxParameterOneOf(doc: JsonObject): void {
  const params: Json[] = Object.values(
    ((doc.components as JsonObject | undefined)?.parameters ?? {}) as JsonObject
  )
  for (const item of Object.values(doc.paths as JsonObject)) {
    for (const op of Object.values(item as JsonObject))
      params.push(...(((op as JsonObject).parameters ?? []) as Json[]))
  }
  for (const p of params) {
    const schema = (p as JsonObject | null)?.schema as JsonObject | undefined
    if (schema && Array.isArray(schema.oneOf)) {
      schema.anyOf = schema.oneOf
      delete schema.oneOf
    }
  }
}

/** Drops OpenAPI `example`/`examples` (they reference megabytes of components/examples). */
function stripExamples(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripExamples)
  if (v && typeof v === 'object') {
    const out: JsonObject = {}
    for (const [k, x] of Object.entries(v)) {
      // keep a *property* called example/examples (an object schema with a type)
      const isKeyword =
        (k === 'example' || k === 'examples') &&
        !(x && typeof x === 'object' && !Array.isArray(x) && 'type' in x)
      if (!isKeyword) out[k] = stripExamples(x)
    }
    return out
  }
  return v
}

function rewriteRefs(v: Json | undefined, prefix: string): Json | undefined {
  if (Array.isArray(v)) return v.map((x) => rewriteRefs(x, prefix) as Json)
  if (v && typeof v === 'object') {
    const out: JsonObject = {}
    for (const [k, x] of Object.entries(v))
      out[k] =
        k === '$ref' && typeof x === 'string' ? `${prefix}${x}` : (rewriteRefs(x, prefix) as Json)
    return out
  }
  return v
}

function routeTable(
  full: JsonObject
): { method: string; template: string; operationId: string; regex: RegExp }[] {
  const out: { method: string; template: string; operationId: string; regex: RegExp }[] = []
  for (const [template, item] of Object.entries(full.paths as Record<string, JsonObject>)) {
    const regex = new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`
    )
    for (const method of HTTP_METHODS) {
      const op = item[method] as JsonObject | undefined
      if (op) out.push({ method, template, operationId: op.operationId as string, regex })
    }
  }
  // literal segments win over parameters (e.g. /user/repos before /user/{id}), like GitHub's router
  out.sort((a, b) => a.template.split('{').length - b.template.split('{').length)
  return out
}

function matchTemplate(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = []
  const regex = new RegExp(
    `^${template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name)
        return '([^/]+)'
      })}$`
  )
  const m = regex.exec(path)
  if (!m) return undefined
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]))
}

function pointerGet(doc: Json, ref: string): Json | undefined {
  let v: Json | undefined = doc
  for (const part of ref.replace(/^#\//, '').split('/')) {
    if (v && typeof v === 'object' && !Array.isArray(v)) v = v[decodePointer(part)]
    else return undefined
  }
  return v
}
const decodePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~')
const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')

// ---------------------------------------------------------------------------------------------
// Formats, errors, headers

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

function addFormats(ajv: Ajv): Ajv {
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s))
  })
  ajv.addFormat('date', { type: 'string', validate: (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) })
  ajv.addFormat('uri', {
    type: 'string',
    validate: (s: string) => {
      try {
        return new URL(s).protocol.length > 1
      } catch {
        return false
      }
    }
  })
  ajv.addFormat('uri-template', { type: 'string', validate: () => true })
  ajv.addFormat('email', { type: 'string', validate: (s: string) => /^[^\s@]+@[^\s@]+$/.test(s) })
  ajv.addFormat('uuid', {
    type: 'string',
    validate: (s: string) =>
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)
  })
  return ajv
}

function formatError(e: AjvError): string {
  const where = e.instancePath || '/'
  const extra =
    'additionalProperty' in e.params
      ? ` '${String(e.params.additionalProperty)}'`
      : 'allowedValues' in e.params
        ? ` ${JSON.stringify(e.params.allowedValues)}`
        : ''
  return `${where} ${e.message ?? e.keyword}${extra}`
}

function errorsOf(fn: ValidateFn, _body: unknown): string {
  const errors = fn.errors ?? []
  // oneOf/anyOf produce one error per branch; the first few tell the story
  return (
    errors.slice(0, 6).map(formatError).join('; ') +
    (errors.length > 6 ? ` (+${errors.length - 6} more)` : '')
  )
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  return out
}

const LINK_PART = /^<[^>]+>; rel="(next|prev|first|last)"$/
function isLinkHeader(value: string): boolean {
  return value.split(', ').every((part) => LINK_PART.test(part))
}

// ---------------------------------------------------------------------------------------------
// Minimal instances

function minimalInstance(
  schema: Json,
  name: string,
  resolve: (v: Json | undefined) => Json | undefined,
  depth: number
): Json {
  const s = resolve(schema) as JsonObject | undefined
  if (!s || typeof s !== 'object' || depth > 12) return null
  if (s.nullable === true) return null
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0] as Json
  if (Array.isArray(s.allOf)) {
    return s.allOf.reduce<Json>(
      (acc, part) => deepMerge(acc, minimalInstance(part, name, resolve, depth + 1)),
      {}
    )
  }
  const branches = (s.oneOf ?? s.anyOf) as Json[] | undefined
  if (Array.isArray(branches) && branches.length)
    return minimalInstance(branches[0] as Json, name, resolve, depth + 1)
  const type = Array.isArray(s.type) ? s.type[0] : s.type
  if (type === 'object' || (type === undefined && s.properties)) {
    const out: JsonObject = {}
    const props = (s.properties ?? {}) as JsonObject
    for (const key of (s.required ?? []) as string[])
      out[key] = minimalInstance(props[key] ?? {}, key, resolve, depth + 1)
    return out
  }
  if (type === 'array') return []
  if (type === 'integer' || type === 'number') return 0
  if (type === 'boolean') return false
  if (type === 'string') {
    if (s.format === 'date-time') return '2026-01-01T00:00:00Z'
    if (s.format === 'date') return '2026-01-01'
    if (s.format === 'uri') return `https://fake.invalid/${name}`
    if (s.format === 'email') return 'fake@example.com'
    return ''
  }
  return null
}

function deepMerge(base: Json, over: Json): Json {
  if (
    over &&
    typeof over === 'object' &&
    !Array.isArray(over) &&
    base &&
    typeof base === 'object' &&
    !Array.isArray(base)
  ) {
    const out: JsonObject = { ...base }
    for (const [k, v] of Object.entries(over)) {
      if (v === undefined) continue
      out[k] = k in base ? deepMerge(base[k] as Json, v) : v
    }
    return out
  }
  return over
}
