import { PackedTable, keepKey, keyIdIn, keyIn, type KeyMemo } from './packed.js'
import { InputError } from '../errors.js'
import {
  canonicalKey,
  isTableName,
  TABLE_NAMES,
  TABLES,
  type GpuInfo,
  type GpuProcess,
  type Note,
  type Profile,
  type ProfileMeta,
  type Severity,
  type Stat,
  type Table,
  type TableName,
  type Unit
} from './model.js'
import { DurationSketch, RELATIVE_ERROR, SUB_BITS } from './sketch.js'
import { detach, statProblem } from './stat.js'
import type { DeviceTimeline, Gap, GpuTimeline, KernelLaunches } from './timeline.js'

/**
 * The profile JSON: the baseline artifact format, documented in docs/profile-format.md.
 *
 * Version 2 (version 1 files are read and upgraded). Compatibility rules: a later nsys-bench
 * reads every earlier version; a reader keeps the tables it does not know (later versions add
 * tables without a new schema version) and ignores fields it does not know; a profile of a newer
 * schema version is refused with a message saying to upgrade.
 */
export const SCHEMA_VERSION = 2
export const PROFILE_KIND = 'nsys-bench/profile'

/**
 * Field names carry the unit: `totalNs` for time tables, `totalBytes` for the size table,
 * `totalCalls` for a count of calls.
 */
export interface StatJson {
  name: string
  instances: number
  occurrences?: number
  truncated?: true
  sharedBy?: number
  [field: string]: string | number | boolean | undefined
}

const SUFFIX: Readonly<Record<Unit, string>> = { ns: 'Ns', bytes: 'Bytes', calls: 'Calls' }
const MEASURES = ['total', 'avg', 'min', 'max', 'med', 'stdDev'] as const

export function encodeStat(stat: Stat, unit: Unit): StatJson {
  const out = { name: stat.name } as StatJson
  writeStatFields(out, stat, unit)
  return out
}

/**
 * encodeStat's fields after the name, in its order, written into `out` (the comparison record
 * writes its sides with them, 40,000 of them for a large compare: no object in between).
 */
export function writeStatFields(out: Record<string, unknown>, stat: Stat, unit: Unit): void {
  const [total, avg, min, max, med, stdDev] = FIELDS[unit]
  out[total!] = round(stat.total)
  out.instances = stat.instances
  out[avg!] = round(stat.avg)
  out[min!] = round(stat.min)
  out[max!] = round(stat.max)
  if (stat.med !== undefined) out[med!] = round(stat.med)
  if (stat.stdDev !== undefined) out[stdDev!] = round(stat.stdDev)
  if (stat.occurrences !== undefined) out.occurrences = stat.occurrences
  if (stat.truncated) out.truncated = true
  if (stat.sharedBy !== undefined && stat.sharedBy > 1) out.sharedBy = stat.sharedBy
}

/** Rows in a stable order: largest total first, then by key. */
export function sortedRows(table: Table): [string, Stat][] {
  return [...table.entries()].sort((a, b) => b[1].total - a[1].total || compareText(a[0], b[0]))
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export function profileToJson(profile: Profile): object {
  const tables: Record<string, unknown> = {}
  for (const name of TABLE_NAMES) {
    const table = profile.tables[name]
    // The derived tables (categories, hostApi, hostSyncs, gpuBusy) are recomputed by every compare
    // from the measured ones (analyze/derived.ts): a profile JSON holds only what was measured. A
    // reader still reads one found in a file (profileFromJson), and the compare replaces it.
    if (!table || 'derived' in TABLES[name]) continue
    const unit = TABLES[name].unit
    // Rows keyed by rank, largest total first: the reader keys them by their names (canonical
    // keys are recomputed), so each name is written once — a key beside each name would double
    // a file whose size is mostly names, and its reading time with it.
    tables[name] = {
      unit,
      rows: Object.fromEntries(
        sortedRows(table).map(([, stat], rank) => [String(rank), encodeStat(stat, unit)])
      )
    }
  }
  if (profile.timeline) tables[TIMELINE_TABLE] = encodeTimeline(profile.timeline)
  if (profile.launches) tables[LAUNCHES_TABLE] = encodeLaunches(profile.launches)
  for (const [name, value] of Object.entries(profile.unknownTables ?? {})) {
    if (!Object.hasOwn(tables, name)) tables[name] = value
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
  const { tables, unknown } = readTables(current.tables, fail)
  const profile: Profile = { meta: readMeta(current.meta, fail), tables }
  const timeline = unknown[TIMELINE_TABLE]
  if (timeline !== undefined) {
    profile.timeline = decodeTimeline(timeline, fail)
    delete unknown[TIMELINE_TABLE]
  }
  const launches = unknown[LAUNCHES_TABLE]
  if (launches !== undefined) {
    profile.launches = decodeLaunches(launches, fail)
    delete unknown[LAUNCHES_TABLE]
  }
  if (Object.keys(unknown).length > 0) profile.unknownTables = unknown
  return profile
}

/**
 * A key found twice in one object of a profile JSON (parse/profile-json.ts finds it, from the
 * bytes or in the text): JSON.parse would keep the last value, so which one the file means cannot
 * be told. `where` names the object (jsonPath; '' for the document).
 */
export function duplicateKeyError(where: string, key: string, source?: string): InputError {
  const shown = JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}…` : key)
  return new InputError(
    `not a valid nsys-bench profile: ${where === '' ? 'the document' : where}: key ${shown} appears twice: ` +
      'the file was edited or damaged (nsys-bench never writes a key twice, and which value counts cannot be told); get the file as nsys-bench wrote it (or make it again from the reports with `nsys-bench summarize --json`)',
    source === undefined ? undefined : { file: source }
  )
}

/** Upgrades older profile JSON to the current schema, one version at a time. */
function migrate(value: Record<string, unknown>, version: number): Record<string, unknown> {
  let current = value
  if (version < 2) {
    // Version 1 wrote notes as plain strings; they were information about how input was read.
    const meta = isObject(current.meta) ? current.meta : {}
    const notes = Array.isArray(meta.notes)
      ? meta.notes.map((note: unknown) =>
          typeof note === 'string' ? { code: 'input', severity: 'info', message: note } : note
        )
      : meta.notes
    current = { ...current, meta: { ...meta, notes }, schemaVersion: 2 }
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
    notes: readNotes(value.notes, fail)
  }
  if (typeof profiler.version === 'string') meta.profiler.version = profiler.version
  const reports = value.reports
  if (!isObject(reports)) throw fail('"meta.reports" must be an object')
  for (const [table, report] of Object.entries(reports)) {
    if (typeof report !== 'string') throw fail(`"meta.reports.${table}" must be a string`)
    if (isTableName(table)) meta.reports[table] = report
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
  if (value.gpuProcesses !== undefined) {
    if (!Array.isArray(value.gpuProcesses)) throw fail('"meta.gpuProcesses" must be an array')
    meta.gpuProcesses = value.gpuProcesses.map((p: unknown, i) => readGpuProcess(p, i, fail))
  }
  if (value.distributed !== undefined) {
    const d = value.distributed
    const rank = (r: unknown): r is number => Number.isSafeInteger(r) && (r as number) >= 0
    if (
      !isObject(d) ||
      !Array.isArray(d.ranks) ||
      d.ranks.length > 100_000 ||
      !d.ranks.every(rank) ||
      (d.worldSize !== undefined && !rank(d.worldSize))
    )
      throw fail('"meta.distributed" must have "ranks", whole numbers, and may have "worldSize"')
    meta.distributed = { ranks: d.ranks }
    if (d.worldSize !== undefined) meta.distributed.worldSize = d.worldSize
  }
  return meta
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info']

function readNotes(value: unknown, fail: Fail): Note[] {
  if (!Array.isArray(value)) throw fail('"meta.notes" must be an array')
  return value.map((note: unknown, i) => {
    if (
      !isObject(note) ||
      typeof note.code !== 'string' ||
      typeof note.message !== 'string' ||
      !SEVERITIES.includes(note.severity as Severity)
    ) {
      throw fail(`"meta.notes[${i}]" must have a string "code" and "message" and a "severity"`)
    }
    const read: Note = {
      code: note.code,
      severity: note.severity as Severity,
      message: note.message
    }
    // Written since 2026-12-01; a name this version does not know is dropped, as older readers do.
    if (typeof note.table === 'string' && isTableName(note.table)) read.table = note.table
    return read
  })
}

function readGpu(value: unknown, i: number, fail: Fail): GpuInfo {
  if (!isObject(value) || typeof value.name !== 'string')
    throw fail(`"meta.gpus[${i}].name" must be a string`)
  const gpu: GpuInfo = { name: value.name }
  for (const key of [
    'driver',
    'cuda',
    'clocks',
    'uuid',
    'pciBusId',
    'persistenceMode',
    'migMode',
    'eccMode'
  ] as const) {
    const field = value[key]
    if (field === undefined) continue
    if (typeof field !== 'string') throw fail(`"meta.gpus[${i}].${key}" must be a string`)
    gpu[key] = field
  }
  for (const key of [
    'powerLimitW',
    'smClockMHz',
    'memClockMHz',
    'maxSmClockMHz',
    'maxMemClockMHz',
    'temperatureC',
    'powerDrawW'
  ] as const) {
    const field = value[key]
    if (field === undefined) continue
    if (typeof field !== 'number' || !Number.isFinite(field))
      throw fail(`"meta.gpus[${i}].${key}" must be a number`)
    gpu[key] = field
  }
  if (value.migDevices !== undefined)
    gpu.migDevices = stringArray(value.migDevices, `meta.gpus[${i}].migDevices`, fail)
  return gpu
}

function readGpuProcess(value: unknown, i: number, fail: Fail): GpuProcess {
  if (
    !isObject(value) ||
    typeof value.name !== 'string' ||
    typeof value.pid !== 'number' ||
    !Number.isSafeInteger(value.pid)
  )
    throw fail(`"meta.gpuProcesses[${i}]" must have a whole number "pid" and a string "name"`)
  const p: GpuProcess = { pid: value.pid, name: value.name }
  if (value.gpuUuid !== undefined) {
    if (typeof value.gpuUuid !== 'string')
      throw fail(`"meta.gpuProcesses[${i}].gpuUuid" must be a string`)
    p.gpuUuid = value.gpuUuid
  }
  if (value.usedMemoryMiB !== undefined) {
    if (typeof value.usedMemoryMiB !== 'number' || !Number.isFinite(value.usedMemoryMiB))
      throw fail(`"meta.gpuProcesses[${i}].usedMemoryMiB" must be a number`)
    p.usedMemoryMiB = value.usedMemoryMiB
  }
  return p
}

function readTables(
  value: unknown,
  fail: Fail
): { tables: Partial<Record<TableName, Table>>; unknown: Record<string, unknown> } {
  if (!isObject(value)) throw fail('"tables" must be an object')
  const tables: Partial<Record<TableName, Table>> = {}
  const unknown: Record<string, unknown> = {}
  for (const [name, tableValue] of Object.entries(value)) {
    if (!isTableName(name)) {
      // A table of a later version: kept as it is, never read (but bounded, to be written back).
      // A table is an object with a unit, in every version: anything else is a damaged file
      // (a member moved out of its table), not a table to carry along.
      if (!isObject(tableValue) || typeof tableValue.unit !== 'string')
        throw fail(
          `"tables.${name}" is not a table (an object with a "unit"): the file is damaged or not a profile JSON`
        )
      if (depth(tableValue) > MAX_DEPTH)
        throw fail(
          `"tables.${name}" nests deeper than ${MAX_DEPTH} levels, as no table of any version does: the file is damaged or not written by nsys-bench`
        )
      unknown[name] = tableValue
      continue
    }
    if (!isObject(tableValue) || !isObject(tableValue.rows))
      throw fail(`"tables.${name}.rows" must be an object`)
    const unit = TABLES[name].unit
    if (tableValue.unit !== unit) throw fail(`"tables.${name}.unit" must be "${unit}"`)
    // Packed: a baseline of ten runs holds its rows for the whole compare (packed.ts).
    const rows = tableValue.rows
    if (rows instanceof RowsFromBytes && rows.name === name) {
      tables[name] = rows.table
      continue
    }
    const table = new PackedTable()
    for (const key in rows) {
      if (!Object.hasOwn(rows, key)) continue
      const stat = readStat(
        rows[key],
        unit,
        () => `tables.${name}.rows[${JSON.stringify(key)}]`,
        fail
      )
      // The name interned first (one hash of a fresh string a row): the key's memo, the table
      // and the compare then meet the same string object in every run.
      stat.name = detach(stat.name)
      // Keys are recomputed from the name: a profile written before a spelling was learned
      // (keys.ts) still meets newer ones.
      table.merge(canonicalKey(name, stat.name), stat)
    }
    tables[name] = table
  }
  return { tables, unknown }
}

/**
 * The rows of a stat table as the byte reader of profile JSON reads them (src/parse/profile-json.ts):
 * row by row, in file order, keyed "0", "1", … as profileToJson writes them, each row's fields
 * as JSON.parse would have read them, checked as readStat checks them (checkStat) and merged here
 * as it is read (ten files of 20,000 rows kept until the end would be copied by the collector). Each name was read once for the whole input, with a memo of its canonical keys.
 * JSON.parse never makes one of these: a file cannot pose as rows already checked.
 */
export class RowsFromBytes {
  readonly table = new PackedTable()
  private readonly unit: Unit
  private readonly slot: number

  constructor(readonly name: TableName) {
    this.unit = TABLES[name].unit
    this.slot = TABLE_NAMES.indexOf(name)
  }

  /**
   * Adds the next row; false when readStat refuses it (the caller then reads the file the
   * general way, which says what is wrong, in the order it checks things).
   */
  add(row: RawRow, memo: NameMemo | undefined): boolean {
    let stat: Stat
    try {
      // The message is never shown: a refused row sends the file the general way.
      stat = checkStat(row, this.unit, NOWHERE, REFUSED)
    } catch {
      return false
    }
    // A name read from bytes owns its characters (no detach) and has its key worked out once.
    if (memo) {
      const key =
        keyIn(memo, this.slot) ?? keepKey(memo, this.slot, canonicalKey(this.name, stat.name, true))
      this.table.merge(key, stat, keyIdIn(memo, this.slot, key))
    } else {
      stat.name = detach(stat.name)
      this.table.merge(canonicalKey(this.name, stat.name), stat)
    }
    return true
  }
}

const REFUSED: Fail = (message) => new InputError(message)
const NOWHERE = (): string => 'a row'

/** A name read from bytes (src/parse/intern.ts), with its keys (KeyMemo). */
export interface NameMemo extends KeyMemo {
  readonly text: string
}

/**
 * The step the numbers of a row were printed to, read from the row: nsys prints totals, extremes
 * and medians in whole units (ns, or 100 ns for `ms` with 4 decimals, …), so the largest power of
 * ten that divides all of them bounds the rounding. A value with a fraction counts as 1 ns. The
 * average is printed in the same unit, to as many decimals or more: one finer than the rest says
 * the row was printed finer still (an average of 1.5 ns beside a total of 100 is no rounding of
 * 100 ns steps, and nothing lets it through). Sizes may come from KiB (`287320.4` KiB,
 * 2019–2021), which the parser reads to a KiB: 1024 bytes at least.
 */
function printStep(stat: Stat, unit: Unit): number {
  const floor = unit === 'bytes' ? 1024 : 0
  return Math.max(floor, rowStep(stat))
}

function rowStep(stat: Stat): number {
  return valueStep(
    stat.avg,
    valueStep(stat.med, valueStep(stat.max, valueStep(stat.min, valueStep(stat.total, PRINT_STEP))))
  )
}

/**
 * The largest power of ten, at most `step`, that divides `value` (1 for a fraction). Whether
 * `p` divides a whole number under 2^53 is whether `value / p` is whole: the quotient is rounded
 * by less than 1/p, its distance from a whole number when `p` does not divide (a division, where
 * `%` of numbers beyond 2^31 is a call into C, a few per row of a baseline).
 */
export function valueStep(value: number | undefined, step: number): number {
  if (value === undefined || value === 0) return step
  if (!Number.isInteger(value)) return 1
  let power = 1
  while (power < step && Number.isInteger(value / (power * 10))) power *= 10
  return Math.min(step, power)
}

/** The coarsest step nsys prints numbers at, in ns (4 decimals of a second) or bytes. */
const PRINT_STEP = 1e5

/** Above this a number is not a measurement (2^53 ns is 104 days; 2^53 bytes, 9 PB). */
const MAX_VALUE = Number.MAX_SAFE_INTEGER

/** The fields of a row in each unit (`totalNs`, …): built once, read for every row. */
const FIELDS: Readonly<Record<Unit, readonly string[]>> = {
  ns: MEASURES.map((m) => `${m}${SUFFIX.ns}`),
  bytes: MEASURES.map((m) => `${m}${SUFFIX.bytes}`),
  calls: MEASURES.map((m) => `${m}${SUFFIX.calls}`)
}

/**
 * A row's fields as a reader found them, before any check: what readStat reads from a row object
 * of the file, and what the byte reader of profile JSON (src/parse/profile-json.ts) reads from
 * the bytes into one such object, reused row after row. An absent field is undefined.
 */
export interface RawRow {
  name: unknown
  total: unknown
  instances: unknown
  avg: unknown
  min: unknown
  max: unknown
  med: unknown
  stdDev: unknown
  occurrences: unknown
  truncated: unknown
  sharedBy: unknown
}

/** `where` is built only for an error: rows are read by the hundred thousand. */
function readStat(value: unknown, unit: Unit, where: () => string, fail: Fail): Stat {
  if (!isObject(value)) throw fail(`${where()}.name must be a non-empty string`)
  const [totalField, avgField, minField, maxField, medField, stdDevField] = FIELDS[unit]
  return checkStat(
    {
      name: value.name,
      total: value[totalField!],
      instances: value.instances,
      avg: value[avgField!],
      min: value[minField!],
      max: value[maxField!],
      med: value[medField!],
      stdDev: value[stdDevField!],
      occurrences: value.occurrences,
      truncated: value.truncated,
      sharedBy: value.sharedBy
    },
    unit,
    where,
    fail
  )
}

/** A row's fields checked, in readStat's order and with its messages, as a Stat. */
export function checkStat(row: RawRow, unit: Unit, where: () => string, fail: Fail): Stat {
  if (typeof row.name !== 'string' || row.name.trim() === '')
    throw fail(`${where()}.name must be a non-empty string`)
  const [totalField, avgField, minField, maxField, medField, stdDevField] = FIELDS[unit]
  const instances = measure(row.instances, 'instances', where, fail) ?? 0
  if (!Number.isInteger(instances)) throw fail(`${where()}.instances must be a whole number`)
  const stat: Stat = {
    name: row.name,
    total: measure(row.total, totalField!, where, fail) ?? 0,
    instances,
    avg: measure(row.avg, avgField!, where, fail) ?? 0,
    min: measure(row.min, minField!, where, fail) ?? 0,
    max: measure(row.max, maxField!, where, fail) ?? 0
  }
  const med = measure(row.med, medField!, where, fail, false)
  if (med !== undefined) stat.med = med
  const stdDev = measure(row.stdDev, stdDevField!, where, fail, false)
  if (stdDev !== undefined) stat.stdDev = stdDev
  if (row.occurrences !== undefined) {
    const occurrences = row.occurrences
    if (
      typeof occurrences !== 'number' ||
      !Number.isInteger(occurrences) ||
      occurrences < 0 ||
      occurrences > MAX_VALUE
    )
      throw fail(`${where()}.occurrences must be a whole number from 0 to ${MAX_VALUE}`)
    // Each launch was inside one of the range instances that launched the kernel, and each of
    // those launched it at least once: 1 to `instances` of them, none where nothing launched.
    if (instances > 0 ? occurrences < 1 || occurrences > instances : occurrences !== 0)
      throw fail(
        `${where()}.occurrences is ${occurrences} for ${instances} instance${instances === 1 ? '' : 's'}: ` +
          (instances > 0
            ? `the range instances that launched the kernel are 1 to ${instances}, one launch each at least`
            : 'a row of no instance occurred in no range instance')
      )
    stat.occurrences = occurrences
  }
  if (row.truncated === true) stat.truncated = true
  if (row.sharedBy !== undefined) {
    const shared = row.sharedBy
    if (typeof shared !== 'number' || !Number.isInteger(shared) || shared < 1 || shared > MAX_VALUE)
      throw fail(`${where()}.sharedBy must be a positive whole number`)
    stat.sharedBy = shared
  }
  // The numbers came from nsys, printed at its precision (down to 4 decimals of a second):
  // anything within that is rounding, beyond it a row that cannot be true.
  const problem = statProblem(stat, printStep(stat, unit))
  if (problem) throw fail(`${where()}: ${problem}`)
  return stat
}

/** A measure of a row (`field` names it in the message). */
function measure(
  v: unknown,
  field: string,
  where: () => string,
  fail: Fail,
  required = true
): number | undefined {
  if (v === undefined && !required) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > MAX_VALUE) {
    throw fail(`${where()}.${field} must be a number from 0 to ${MAX_VALUE}`)
  }
  return v
}

const MAX_DEPTH = 64

/** How deeply a JSON value nests (iterative: a hostile file cannot overflow the stack here). */
function depth(value: unknown): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [v, d] = stack.pop() ?? [undefined, 0]
    if (typeof v !== 'object' || v === null) continue
    deepest = Math.max(deepest, d)
    if (deepest > MAX_DEPTH) return deepest
    for (const child of Object.values(v)) stack.push([child, d + 1])
  }
  return deepest
}

function stringArray(value: unknown, where: string, fail: Fail): string[] {
  if (!Array.isArray(value)) throw fail(`"${where}" must be an array of strings`)
  return value.map((v: unknown) => {
    if (typeof v !== 'string') throw fail(`"${where}" must be an array of strings`)
    return v
  })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Three decimals are more than nsys prints; they keep the JSON stable and short. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

/** The timeline analyses' tables (profile/timeline.ts): shaped their own way, not stat rows. */
const TIMELINE_TABLE = 'gpuTimeline'
const LAUNCHES_TABLE = 'kernelLaunches'
const BUCKETS = `log-linear-${SUB_BITS}`

function encodeTimeline(timeline: GpuTimeline): object {
  return {
    unit: 'ns',
    devices: timeline.devices.map((d) => ({
      device: d.device,
      ...(d.rank === undefined ? {} : { rank: d.rank }),
      ...(d.start === undefined ? {} : { startNs: round(d.start) }),
      windowNs: round(d.window),
      busyNs: round(d.busy),
      idleNs: round(d.idle),
      activities: d.activities,
      gaps: d.gaps.map((g) => ({
        count: g.count,
        totalNs: round(g.total),
        minNs: round(g.min),
        maxNs: round(g.max)
      })),
      top: d.top.map((g) => ({
        startNs: round(g.start),
        durationNs: round(g.duration),
        before: g.before,
        after: g.after
      })),
      late: d.late
    }))
  }
}

function encodeLaunches(launches: KernelLaunches): object {
  const rows = [...launches.values()].sort(
    (a, b) => b.sketch.count - a.sketch.count || compareText(a.name, b.name)
  )
  return {
    unit: 'ns',
    buckets: BUCKETS,
    relativeError: RELATIVE_ERROR,
    rows: Object.fromEntries(
      rows.map((row, rank) => [
        String(rank),
        {
          name: row.name,
          launches: row.sketch.count,
          buckets: row.sketch.toArray(),
          ...(row.order ? { order: Array.from(row.order, round) } : {})
        }
      ])
    )
  }
}

const MAX_DEVICES = 4096
const MAX_BUCKET = 64 << SUB_BITS
/** Launches in order of one kernel at most (analyze/timeline.ts ORDER_LIMITS keeps fewer). */
const MAX_ORDER = 1 << 20

function decodeTimeline(value: unknown, fail: Fail): GpuTimeline {
  const where = `"tables.${TIMELINE_TABLE}"`
  if (!isObject(value) || value.unit !== 'ns' || !Array.isArray(value.devices))
    throw fail(`${where} must be an object with "unit": "ns" and a "devices" list`)
  if (value.devices.length > MAX_DEVICES)
    throw fail(`${where} lists more than ${MAX_DEVICES} devices`)
  const devices = value.devices.map((d: unknown, i): DeviceTimeline => {
    const at = `${where}.devices[${i}]`
    if (!isObject(d)) throw fail(`${at} must be an object`)
    const num = (field: string, of: Record<string, unknown> = d, path = at): number => {
      const v = of[field]
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw fail(`${path}.${field} must be a non-negative number`)
      return v
    }
    // A time from the trace's origin: negative for an activity that started before it (a
    // Chrome trace's origin is its first timed event in file order, not its earliest).
    const time = (field: string, of: Record<string, unknown> = d, path = at): number => {
      const v = of[field]
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw fail(`${path}.${field} must be a number`)
      return v
    }
    if (!Array.isArray(d.gaps) || !Array.isArray(d.top))
      throw fail(`${at} must have "gaps" and "top" lists`)
    if (d.gaps.length > 16 || d.top.length > 100) throw fail(`${at} has too many gaps listed`)
    const gaps = d.gaps.map((g: unknown, k) => {
      const path = `${at}.gaps[${k}]`
      if (!isObject(g)) throw fail(`${path} must be an object`)
      return {
        count: num('count', g, path),
        total: num('totalNs', g, path),
        min: num('minNs', g, path),
        max: num('maxNs', g, path)
      }
    })
    const top = d.top.map((g: unknown, k): Gap => {
      const path = `${at}.top[${k}]`
      if (!isObject(g)) throw fail(`${path} must be an object`)
      return {
        start: time('startNs', g, path),
        duration: num('durationNs', g, path),
        before: activityOf(g.before, `${path}.before`, fail),
        after: activityOf(g.after, `${path}.after`, fail)
      }
    })
    const device = num('device')
    if (!Number.isInteger(device)) throw fail(`${at}.device must be an integer`)
    const rank = d.rank === undefined ? undefined : num('rank')
    if (rank !== undefined && !Number.isInteger(rank)) throw fail(`${at}.rank must be an integer`)
    const out: DeviceTimeline = {
      device,
      ...(rank === undefined ? {} : { rank }),
      window: num('windowNs'),
      busy: num('busyNs'),
      idle: num('idleNs'),
      activities: num('activities'),
      gaps,
      top,
      late: num('late')
    }
    // Optional: files written before it was recorded lack it (docs/profile-format.md).
    if (d.startNs !== undefined) out.start = time('startNs')
    const problem = timelineProblem(out)
    if (problem)
      throw fail(
        `${at}: ${problem}: the figures contradict each other, so the file was edited or damaged; get it as nsys-bench wrote it`
      )
    return out
  })
  return { devices }
}

/**
 * What contradicts itself in one GPU's figures, or undefined: whatever the trace, busy time lies
 * inside the window, idle = window − busy = the sum of the gaps, a class of gaps holds its longest
 * one and nothing when it counts none, and no gap is longer than the window (analyze/idle.ts).
 * Allowed: the 3 decimals the figures are written to, and the doubles' error of sums over
 * millions of activities (a millionth of the window).
 */
function timelineProblem(d: DeviceTimeline): string | undefined {
  const slack = 1 + 1e-6 * d.window
  const fmt = round
  if (d.busy > d.window + slack)
    return `busyNs ${fmt(d.busy)} is more than windowNs ${fmt(d.window)}`
  if (Math.abs(d.window - d.busy - d.idle) > slack)
    return `idleNs ${fmt(d.idle)} is not windowNs ${fmt(d.window)} − busyNs ${fmt(d.busy)}`
  let gaps = 0
  for (const [k, g] of d.gaps.entries()) {
    gaps += g.total
    if (!Number.isInteger(g.count)) return `gaps[${k}].count ${g.count} is not a whole number`
    if (g.count === 0 && (g.total > 0 || g.max > 0))
      return `gaps[${k}] counts no gap but holds ${fmt(Math.max(g.total, g.max))} ns`
    if (g.max > g.total + slack)
      return `gaps[${k}].maxNs ${fmt(g.max)} is more than its totalNs ${fmt(g.total)}`
    if (g.min > g.max + slack)
      return `gaps[${k}].minNs ${fmt(g.min)} is more than its maxNs ${fmt(g.max)}`
  }
  if (Math.abs(gaps - d.idle) > slack)
    return `the gaps' totalNs add up to ${fmt(gaps)}, not idleNs ${fmt(d.idle)}`
  for (const [k, g] of d.top.entries())
    if (g.duration > d.window + slack)
      return `top[${k}].durationNs ${fmt(g.duration)} is more than windowNs ${fmt(d.window)}`
  return undefined
}

function activityOf(value: unknown, where: string, fail: Fail): Gap['before'] {
  if (!isObject(value) || typeof value.name !== 'string')
    throw fail(`${where} must be an object with a "name"`)
  if (value.stream === undefined) return { name: value.name }
  if (typeof value.stream !== 'number' || !Number.isFinite(value.stream))
    throw fail(`${where}.stream must be a number`)
  return { name: value.name, stream: value.stream }
}

function decodeLaunches(value: unknown, fail: Fail): KernelLaunches {
  const where = `"tables.${LAUNCHES_TABLE}"`
  if (!isObject(value) || value.unit !== 'ns' || !isObject(value.rows))
    throw fail(`${where} must be an object with "unit": "ns" and "rows"`)
  if (value.buckets !== BUCKETS) {
    // Another log-linear layout is a later version's choice of precision: say so, as a newer
    // schemaVersion is said, rather than call the file damaged.
    if (typeof value.buckets === 'string' && /^log-linear-\d+$/.test(value.buckets))
      throw fail(
        `${where}.buckets is "${value.buckets}", a sketch layout of a newer nsys-bench; this one reads "${BUCKETS}". Upgrade nsys-bench.`
      )
    throw fail(`${where}.buckets must be "${BUCKETS}" (the sketch layout this version reads)`)
  }
  const launches: KernelLaunches = new Map()
  const rows = value.rows
  for (const rank in rows) {
    if (!Object.hasOwn(rows, rank)) continue
    const row = rows[rank]
    const at = `${where}.rows[${JSON.stringify(rank)}]`
    if (!isObject(row) || typeof row.name !== 'string' || !Array.isArray(row.buckets))
      throw fail(`${at} must have a "name" and a "buckets" list`)
    const list = row.buckets as unknown[]
    if (list.length % 2 !== 0) throw fail(`${at}.buckets must hold index, count pairs`)
    for (let i = 0; i < list.length; i++) {
      const v = list[i]
      const bad =
        typeof v !== 'number' ||
        !Number.isInteger(v) ||
        v < 0 ||
        (i % 2 === 0 ? v >= MAX_BUCKET : v > Number.MAX_SAFE_INTEGER)
      if (bad) throw fail(`${at}.buckets[${i}] must be a bucket index or a count`)
    }
    const sketch = DurationSketch.fromArray(list as number[])
    if (row.launches !== sketch.count) throw fail(`${at}.launches must be the sum of its counts`)
    // Launch durations in order (files written before 2026-11-30 have none).
    let order: Float64Array | undefined
    if (row.order !== undefined) {
      const o = row.order
      if (!Array.isArray(o) || o.length !== sketch.count || o.length > MAX_ORDER)
        throw fail(
          `${at}.order must list each of the ${sketch.count} launches' durations (at most ${MAX_ORDER})`
        )
      for (let i = 0; i < o.length; i++) {
        const v: unknown = o[i]
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
          throw fail(`${at}.order[${i}] must be a non-negative number`)
      }
      order = Float64Array.from(o as number[])
    }
    const key = canonicalKey('kernels', row.name)
    const entry = launches.get(key)
    if (entry) {
      entry.sketch.merge(sketch)
      delete entry.order
    } else launches.set(key, order ? { name: row.name, sketch, order } : { name: row.name, sketch })
  }
  return launches
}
