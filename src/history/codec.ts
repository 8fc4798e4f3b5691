import { InputError } from '../errors.js'
import { zlib } from '../lazy-node.js'
import { jsonSyntaxProblem, withoutBom } from '../load/files.js'
import { isTableName, TABLE_NAMES, type TableName } from '../profile/model.js'
import { quoted } from '../text.js'
import {
  HISTORY_KIND,
  HISTORY_VERSION,
  MAX_HISTORY_LENGTH,
  type History,
  type HistoryRun,
  type Series
} from './model.js'

/**
 * The history file (docs/history.md): compact JSON, gzip-compressed. Series are stored column by
 * column (one array per measure, aligned with `runs`): neighbouring runs measure nearly the same
 * numbers, which gzip packs well. Reading it is reading untrusted input (any push's artifact):
 * every field is checked, sizes are bounded, and a file that fails is refused with why — the
 * action then starts a fresh history, it never fails on one.
 */

/** Decompressed size refused above this (2,000 kernels × 50 runs take about 5 MB). */
const MAX_JSON_BYTES = 64 * 1024 * 1024
/**
 * The file itself, read only up to this (a FIFO, /dev/zero or a huge file is refused before it
 * is decoded): gzip makes JSON smaller (only data it cannot compress grows, by a few bytes a
 * block), so a file over MAX_JSON_BYTES would inflate past them too. The readers (the CLI's
 * --history, the action's baseline) pass it to readFileWithin.
 */
export const MAX_HISTORY_FILE_BYTES = MAX_JSON_BYTES
const MAX_ITEMS = 200_000
const MAX_TEXT = 10_000

export function encodeHistory(history: History): Buffer {
  // Null-prototype objects: a key named `__proto__` is a key like any other.
  const tables: Record<string, Record<string, unknown>> = Object.create(null) as Record<
    string,
    Record<string, unknown>
  >
  for (const name of TABLE_NAMES) {
    const series = history.tables[name]
    if (!series || series.size === 0) continue
    const out = Object.create(null) as Record<string, unknown>
    for (const [key, s] of series) {
      const entry: Record<string, unknown> = {}
      if (s.name !== key) entry.name = s.name
      entry.v = s.value.map(whole)
      entry.s = s.spread.map(whole)
      entry.n = s.count.map(whole)
      out[key] = entry
    }
    tables[name] = out
  }
  const json = JSON.stringify({
    kind: HISTORY_KIND,
    schemaVersion: HISTORY_VERSION,
    runs: history.runs,
    tables
  })
  return zlib().gzipSync(Buffer.from(json, 'utf8'), { level: 9 })
}

/** Whole units (ns, bytes, calls): a fraction of one is below any profiler's resolution. */
function whole(value: number | null): number | null {
  return value === null ? null : Math.round(value)
}

export function decodeHistory(bytes: Uint8Array, source: string): History {
  const fail = (message: string, cause?: unknown): InputError =>
    new InputError(
      `not a valid nsys-bench history: ${message}`,
      { file: source },
      cause === undefined ? undefined : { cause }
    )
  let text: string
  try {
    // A byte order mark before the JSON is skipped, as in every JSON file read.
    text = withoutBom(
      zlib().gunzipSync(bytes, { maxOutputLength: MAX_JSON_BYTES }).toString('utf8')
    )
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw fail(
      bytes.length === 0
        ? 'the file is empty: give the history as it was written'
        : code === 'Z_BUF_ERROR'
          ? 'the gzip stream ends early: the file was cut (an interrupted download or copy?); get it whole again'
          : code === 'ERR_BUFFER_TOO_LARGE'
            ? `it inflates to more than ${MAX_JSON_BYTES / 1024 / 1024} MiB`
            : 'it is not gzip data',
      error
    )
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw fail(`it is not JSON: ${jsonSyntaxProblem(error, text)}`, error)
  }
  if (!isObject(value) || value.kind !== HISTORY_KIND) throw fail(`"kind" is not "${HISTORY_KIND}"`)
  const version = value.schemaVersion
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw fail('"schemaVersion" must be a whole number')
  if (version > HISTORY_VERSION)
    throw fail(
      `it has schema version ${version}, newer than this nsys-bench reads (${HISTORY_VERSION}): upgrade nsys-bench`
    )
  if (!Array.isArray(value.runs)) throw fail('"runs" must be an array')
  if (value.runs.length > MAX_HISTORY_LENGTH)
    throw fail(`"runs" has ${value.runs.length} entries; at most ${MAX_HISTORY_LENGTH} are read`)
  const runs = value.runs.map((r: unknown, i) => readRun(r, `runs[${i}]`, fail))
  if (!isObject(value.tables)) throw fail('"tables" must be an object')
  const tables: History['tables'] = {}
  let items = 0
  for (const [name, raw] of Object.entries(value.tables)) {
    // A table a later version added: not ours to judge, left out (the next write drops it).
    if (!isTableName(name)) continue
    if (!isObject(raw)) throw fail(`"tables.${name}" must be an object`)
    const map = new Map<string, Series>()
    for (const [key, entry] of Object.entries(raw)) {
      if ((items += 1) > MAX_ITEMS) throw fail(`it holds more than ${MAX_ITEMS} items`)
      map.set(key, readSeries(entry, key, name, runs.length, fail))
    }
    tables[name] = map
  }
  return { runs, tables }
}

type Fail = (message: string) => InputError

function readRun(value: unknown, where: string, fail: Fail): HistoryRun {
  if (!isObject(value)) throw fail(`"${where}" must be an object`)
  const text = (key: string): string => {
    const v = value[key]
    if (typeof v !== 'string' || v.length > 1000)
      throw fail(`"${where}.${key}" must be a string of at most 1000 characters`)
    return v
  }
  const date = text('date')
  if (Number.isNaN(Date.parse(date))) throw fail(`"${where}.date" must be an ISO 8601 date`)
  const repetitions = value.repetitions
  if (
    typeof repetitions !== 'number' ||
    !Number.isInteger(repetitions) ||
    repetitions < 1 ||
    repetitions > 1000
  )
    throw fail(`"${where}.repetitions" must be a whole number from 1 to 1000`)
  return {
    sha: text('sha'),
    date,
    gpu: text('gpu'),
    profiler: text('profiler'),
    major: text('major'),
    naming: text('naming'),
    repetitions
  }
}

function readSeries(
  value: unknown,
  key: string,
  table: TableName,
  runs: number,
  fail: Fail
): Series {
  const where = `tables.${table}[${quoted(key, 80)}]`
  if (key.length > MAX_TEXT) throw fail(`a key of "tables.${table}" is over ${MAX_TEXT} characters`)
  if (!isObject(value)) throw fail(`${where} must be an object`)
  const name = value.name === undefined ? key : value.name
  if (typeof name !== 'string' || name.length > MAX_TEXT)
    throw fail(`${where}.name must be a string of at most ${MAX_TEXT} characters`)
  const column = (field: string): (number | null)[] => {
    const list = value[field]
    if (!Array.isArray(list) || list.length !== runs)
      throw fail(`${where}.${field} must list ${runs} entries, one per run`)
    return list.map((x: unknown) => {
      if (x === null) return null
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > Number.MAX_SAFE_INTEGER)
        throw fail(
          `${where}.${field} holds ${quoted(JSON.stringify(x) ?? 'undefined', 40)}, not a number from 0 to 2^53`
        )
      return x
    })
  }
  const series: Series = { name, value: column('v'), spread: column('s'), count: column('n') }
  for (let i = 0; i < runs; i++) {
    const present = [series.value[i], series.spread[i], series.count[i]].map((x) => x !== null)
    if (present.some((p) => p !== present[0]))
      throw fail(`${where}: run ${i} has some measures and not others`)
  }
  return series
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
