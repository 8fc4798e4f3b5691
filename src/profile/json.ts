import { InputError } from '../errors.js'
import {
  TABLE_NAMES,
  TABLE_UNIT,
  type GpuInfo,
  type Profile,
  type ProfileMeta,
  type Stat,
  type Table,
  type TableName,
  type Unit
} from './model.js'

/**
 * The profile JSON: the baseline artifact format, documented in docs/profile-format.md.
 *
 * Version 1. A later nsys-bench must keep reading every earlier version (migrate() below); a
 * profile from a newer nsys-bench is refused with a message saying to upgrade.
 */
export const SCHEMA_VERSION = 1
export const PROFILE_KIND = 'nsys-bench/profile'

/** Field names carry the unit: `totalNs` for time tables, `totalBytes` for the size table. */
export interface StatJson {
  name: string
  instances: number
  truncated?: true
  [field: string]: string | number | boolean | undefined
}

const SUFFIX: Readonly<Record<Unit, string>> = { ns: 'Ns', bytes: 'Bytes' }
const MEASURES = ['total', 'avg', 'min', 'max', 'med', 'stdDev'] as const

export function encodeStat(stat: Stat, unit: Unit): StatJson {
  const s = SUFFIX[unit]
  const out: StatJson = {
    name: stat.name,
    [`total${s}`]: round(stat.total),
    instances: stat.instances
  }
  out[`avg${s}`] = round(stat.avg)
  out[`min${s}`] = round(stat.min)
  out[`max${s}`] = round(stat.max)
  if (stat.med !== undefined) out[`med${s}`] = round(stat.med)
  if (stat.stdDev !== undefined) out[`stdDev${s}`] = round(stat.stdDev)
  if (stat.truncated) out.truncated = true
  return out
}

/** Rows in a stable order: largest total first, then by key. */
export function sortedRows(table: Table): [string, Stat][] {
  return [...table.entries()].sort((a, b) => b[1].total - a[1].total || compareText(a[0], b[0]))
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function profileToJson(profile: Profile): object {
  const tables: Record<string, object> = {}
  for (const name of TABLE_NAMES) {
    const table = profile.tables[name]
    if (!table) continue
    const unit = TABLE_UNIT[name]
    tables[name] = {
      unit,
      rows: Object.fromEntries(
        sortedRows(table).map(([key, stat]) => [key, encodeStat(stat, unit)])
      )
    }
  }
  return { schemaVersion: SCHEMA_VERSION, kind: PROFILE_KIND, meta: profile.meta, tables }
}

/** Reads a profile JSON value (already parsed). Untrusted input: everything is checked. */
export function profileFromJson(value: unknown, source: string): Profile {
  const fail = (message: string): InputError =>
    new InputError(`not a valid nsys-bench profile: ${message}`, { file: source })
  if (!isObject(value)) throw fail('expected a JSON object')
  if (value.kind !== PROFILE_KIND) throw fail(`"kind" must be "${PROFILE_KIND}"`)
  const version = value.schemaVersion
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw fail('"schemaVersion" must be a positive integer')
  }
  if (version > SCHEMA_VERSION) {
    throw new InputError(
      `this profile has schemaVersion ${version}, written by a newer nsys-bench; this one reads up ` +
        `to ${SCHEMA_VERSION}. Upgrade nsys-bench.`,
      { file: source }
    )
  }
  const current = migrate(value, version)
  return { meta: readMeta(current.meta, fail), tables: readTables(current.tables, fail) }
}

/** Upgrades older profile JSON to the current schema, one version at a time. */
function migrate(value: Record<string, unknown>, version: number): Record<string, unknown> {
  let current = value
  for (let v = version; v < SCHEMA_VERSION; v++) {
    // No version before 1 exists yet; when 2 arrives, its upgrade step goes here.
    current = { ...current, schemaVersion: v + 1 }
  }
  return current
}

type Fail = (message: string) => InputError

function readMeta(value: unknown, fail: Fail): ProfileMeta {
  if (!isObject(value)) throw fail('"meta" must be an object')
  const tool = value.tool
  if (!isObject(tool) || typeof tool.name !== 'string' || typeof tool.version !== 'string') {
    throw fail('"meta.tool" must have string "name" and "version"')
  }
  const profiler = value.profiler
  if (!isObject(profiler) || typeof profiler.name !== 'string') {
    throw fail('"meta.profiler" must have a string "name"')
  }
  const naming = value.kernelNaming
  if (
    naming !== 'demangled' &&
    naming !== 'base' &&
    naming !== 'mangled' &&
    naming !== 'nvtx-name'
  ) {
    throw fail('"meta.kernelNaming" must be demangled, base, mangled or nvtx-name')
  }
  const meta: ProfileMeta = {
    tool: { name: tool.name, version: tool.version },
    profiler: { name: profiler.name },
    sources: stringArray(value.sources, 'meta.sources', fail),
    reports: {},
    kernelNaming: naming,
    notes: stringArray(value.notes, 'meta.notes', fail)
  }
  if (typeof profiler.version === 'string') meta.profiler.version = profiler.version
  const reports = value.reports
  if (!isObject(reports)) throw fail('"meta.reports" must be an object')
  for (const [table, report] of Object.entries(reports)) {
    if (!isTableName(table) || typeof report !== 'string') throw fail(`bad "meta.reports.${table}"`)
    meta.reports[table] = report
  }
  for (const key of ['createdAt', 'command', 'gitSha', 'runner'] as const) {
    const field = value[key]
    if (field === undefined) continue
    if (typeof field !== 'string') throw fail(`"meta.${key}" must be a string`)
    meta[key] = field
  }
  if (value.gpus !== undefined) {
    if (!Array.isArray(value.gpus)) throw fail('"meta.gpus" must be an array')
    meta.gpus = value.gpus.map((gpu: unknown, i) => readGpu(gpu, i, fail))
  }
  return meta
}

function readGpu(value: unknown, i: number, fail: Fail): GpuInfo {
  if (!isObject(value) || typeof value.name !== 'string')
    throw fail(`"meta.gpus[${i}].name" must be a string`)
  const gpu: GpuInfo = { name: value.name }
  for (const key of ['driver', 'cuda', 'clocks'] as const) {
    const field = value[key]
    if (field === undefined) continue
    if (typeof field !== 'string') throw fail(`"meta.gpus[${i}].${key}" must be a string`)
    gpu[key] = field
  }
  return gpu
}

function readTables(value: unknown, fail: Fail): Partial<Record<TableName, Table>> {
  if (!isObject(value)) throw fail('"tables" must be an object')
  const tables: Partial<Record<TableName, Table>> = {}
  for (const [name, tableValue] of Object.entries(value)) {
    if (!isTableName(name)) throw fail(`unknown table "${name}" (known: ${TABLE_NAMES.join(', ')})`)
    if (!isObject(tableValue) || !isObject(tableValue.rows))
      throw fail(`"tables.${name}.rows" must be an object`)
    const unit = TABLE_UNIT[name]
    if (tableValue.unit !== unit) throw fail(`"tables.${name}.unit" must be "${unit}"`)
    const table: Table = new Map()
    for (const [key, row] of Object.entries(tableValue.rows)) {
      table.set(key, readStat(row, unit, `tables.${name}.rows[${JSON.stringify(key)}]`, fail))
    }
    tables[name] = table
  }
  return tables
}

function readStat(value: unknown, unit: Unit, where: string, fail: Fail): Stat {
  if (!isObject(value) || typeof value.name !== 'string')
    throw fail(`${where}.name must be a string`)
  const s = SUFFIX[unit]
  const number = (field: string, required: boolean): number | undefined => {
    const v = value[field]
    if (v === undefined && !required) return undefined
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw fail(`${where}.${field} must be a non-negative number`)
    }
    return v
  }
  const instances = number('instances', true) ?? 0
  if (!Number.isInteger(instances)) throw fail(`${where}.instances must be a whole number`)
  const [total, avg, min, max, med, stdDev] = MEASURES.map((m, i) => number(`${m}${s}`, i < 4))
  const stat: Stat = {
    name: value.name,
    total: total ?? 0,
    instances,
    avg: avg ?? 0,
    min: min ?? 0,
    max: max ?? 0
  }
  if (med !== undefined) stat.med = med
  if (stdDev !== undefined) stat.stdDev = stdDev
  if (value.truncated === true) stat.truncated = true
  return stat
}

function stringArray(value: unknown, where: string, fail: Fail): string[] {
  if (!Array.isArray(value)) throw fail(`"${where}" must be an array of strings`)
  return value.map((v: unknown) => {
    if (typeof v !== 'string') throw fail(`"${where}" must be an array of strings`)
    return v
  })
}

function isTableName(name: string): name is TableName {
  return (TABLE_NAMES as readonly string[]).includes(name)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Three decimals are more than nsys prints; they keep the JSON stable and short. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
