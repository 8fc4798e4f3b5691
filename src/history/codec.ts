import { errorMessage, InputError } from '../errors.js'
import { zlib } from '../lazy-node.js'
import { jsonSyntaxProblem, withoutBom } from '../load/files.js'
import { findDuplicateKey } from '../parse/profile-json.js'
import { isTableName, TABLE_NAMES, type TableName } from '../profile/model.js'
import { clip, quoted, visible } from '../text.js'
import {
  HISTORY_KIND,
  HISTORY_VERSION,
  MAX_HISTORY_LENGTH,
  MAX_RUN_TEXT,
  storableRun,
  storableValue,
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
/** The longest key and display name read (a run's fields: MAX_RUN_TEXT). */
export const MAX_TEXT = 10_000

/**
 * The file of a history. It never holds what decodeHistory refuses, so that the next push reads
 * back every run (a file the reader refused would start the history again on every push):
 * an item whose key is longer than MAX_TEXT cannot be kept under its key and is left out (each is
 * given to `leftOut`), a longer display name is cut, a run's measures that no file holds (not
 * finite, negative, past 2^53) are written as the run not having the item, and a run's fields are
 * cut to MAX_RUN_TEXT (storableRun).
 */
export function encodeHistory(
  history: History,
  leftOut: (table: TableName, key: string) => void = () => undefined
): Buffer {
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
      if (key.length > MAX_TEXT) {
        leftOut(name, key)
        continue
      }
      const entry: Record<string, unknown> = {}
      const shown = s.name.length > MAX_TEXT ? clip(s.name, MAX_TEXT - 1) : s.name
      if (shown !== key) entry.name = shown
      const v = s.value.map(storableValue)
      const sp = s.spread.map(storableValue)
      const n = s.count.map(storableValue)
      // One measure a file cannot hold: the run reads as without the item (all three null).
      for (let i = 0; i < v.length; i++)
        if (v[i] === null || sp[i] === null || n[i] === null) v[i] = sp[i] = n[i] = null
      entry.v = v
      entry.s = sp
      entry.n = n
      out[key] = entry
    }
    tables[name] = out
  }
  const json = JSON.stringify({
    kind: HISTORY_KIND,
    schemaVersion: HISTORY_VERSION,
    runs: history.runs.map((run) => storableRun(run)),
    tables
  })
  return zlib().gzipSync(Buffer.from(json, 'utf8'), { level: 9 })
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
    // A byte order mark before the JSON is skipped, as in every JSON file read. The size is
    // bounded while inflating (maxOutputLength): a bomb stops at the bound, never held whole.
    text = withoutBom(
      zlib().gunzipSync(bytes, { maxOutputLength: MAX_JSON_BYTES }).toString('utf8')
    )
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // Gzip data starts with 1f 8b (RFC 1952): a file that does, and then fails, was damaged.
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b
    throw fail(
      bytes.length === 0
        ? 'the file is empty: give the history as it was written'
        : code === 'Z_BUF_ERROR'
          ? 'the gzip stream ends early: the file was cut (an interrupted download or copy?); get it whole again'
          : code === 'ERR_BUFFER_TOO_LARGE'
            ? `it inflates to more than ${MAX_JSON_BYTES / 1024 / 1024} MiB`
            : gzip
              ? `the gzip data is damaged (${visible(clip(errorMessage(error), 100))}): the file changed after it was written; get it again as the baseline artifact holds it`
              : 'it is not gzip data (a history.json.gz starts with the gzip header 1f 8b): give the history.json.gz of a baseline artifact',
      error
    )
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw fail(`it is not JSON: ${jsonSyntaxProblem(error, text)}`, error)
  }
  // JSON.parse keeps the last of a key written twice: which one the file means cannot be told
  // (and the first one's runs or series would be dropped without a word).
  const twice = findDuplicateKey(text)
  if (twice)
    throw fail(
      `${twice.where === '' ? 'the document' : twice.where}: key ${quoted(twice.key, 80)} appears twice: the file was edited or damaged (nsys-bench never writes a key twice, and which value counts cannot be told); get it as the baseline artifact holds it`
    )
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
    if (typeof v !== 'string' || v.length > MAX_RUN_TEXT)
      throw fail(`"${where}.${key}" must be a string of at most ${MAX_RUN_TEXT} characters`)
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
        throw fail(`${where}.${field} holds ${shownValue(x)}, not a number from 0 to 2^53`)
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

/**
 * A value of the file in a message, without walking it: a list or an object may nest as deep as
 * the file is long (JSON.stringify would overflow the stack on it).
 */
function shownValue(x: unknown): string {
  if (Array.isArray(x)) return 'a list'
  if (typeof x === 'object' && x !== null) return 'an object'
  if (typeof x === 'string') return quoted(x, 40)
  return String(x)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
