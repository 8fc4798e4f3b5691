import { TABLE_NAMES } from '../../src/profile/model.js'
import { violation, type Violation } from './contract.js'

export const PROFILE_KIND = 'nsys-bench/profile'
const UNIT_SUFFIX: Readonly<Record<string, string>> = { ns: 'Ns', bytes: 'Bytes' }
const REQUIRED = ['total', 'avg', 'min', 'max'] as const
/** The tables a reader of this version reads, and the timeline's own two. */
const KNOWN_TABLES: ReadonlySet<string> = new Set([...TABLE_NAMES, 'gpuTimeline', 'kernelLaunches'])
const OPTIONAL = ['med', 'stdDev'] as const

/**
 * a ≤ b, allowing for the rounding of printed numbers: the parser takes a difference under one
 * step of the printing for rounding (profile/stat.ts statProblem), and the finest step nsys
 * prints is 1 ns, or 1 byte (a 58 ns minimum beside an average printed as 57.2 is under it).
 */
function atMost(a: number, b: number): boolean {
  return a <= b + 1 + 1e-9 * Math.max(Math.abs(a), Math.abs(b))
}

/**
 * The output of `summarize --json`: a profile whose every row is a sane summary of measurements
 * (finite, non-negative, whole instance counts, min ≤ avg/med ≤ max, avg × instances ≈ total),
 * and that says why when it holds no data.
 */
export function checkProfileJson(text: string): Violation[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return [violation('json:invalid', (error as Error).message)]
  }
  if (!isObject(value)) return [violation('json:invalid', 'not a JSON object')]
  if (value.kind !== PROFILE_KIND)
    return [violation('json:kind', `kind is ${JSON.stringify(value.kind)}`)]
  const out: Violation[] = []
  const tables = isObject(value.tables) ? value.tables : {}
  let rowsSeen = 0
  for (const [tableName, table] of Object.entries(tables)) {
    if (!isObject(table)) {
      out.push(violation('json:table', `${tableName} is not an object`))
      continue
    }
    // A table this version does not know is kept as read (docs/profile-format.md,
    // "Compatibility"): its rows are the file's, not the reader's, and are not checked here.
    if (!KNOWN_TABLES.has(tableName)) {
      if (typeof table.unit !== 'string')
        out.push(violation('json:table', `${tableName} has no unit: not a table`))
      continue
    }
    const suffix = UNIT_SUFFIX[String(table.unit)] ?? 'Ns'
    const rows = Array.isArray(table.rows)
      ? (table.rows as unknown[]).map((r, i) => [String(i), r] as const)
      : isObject(table.rows)
        ? Object.entries(table.rows)
        : []
    for (const [key, row] of rows) {
      rowsSeen++
      // The per-launch sketches have rows of their own shape (docs/profile-format.md).
      if (tableName === 'kernelLaunches') out.push(...checkLaunches(`${tableName}/${key}`, row))
      else out.push(...checkRow(`${tableName}/${key}`, row, suffix))
    }
  }
  const meta = isObject(value.meta) ? value.meta : {}
  const notes = Array.isArray(meta.notes) ? meta.notes : []
  if (rowsSeen === 0 && notes.length === 0)
    out.push(violation('json:empty-without-notes', 'no table has a row and meta.notes is empty'))
  return dedupeClauses(out)
}

/** A kernel's launch sketch: bucket index, count pairs whose counts add up to its launches. */
function checkLaunches(where: string, row: unknown): Violation[] {
  if (!isObject(row) || typeof row.name !== 'string' || !Array.isArray(row.buckets))
    return [violation('json:launches', `${where} has no name or no buckets`)]
  const list = row.buckets as unknown[]
  const whole = list.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0)
  let sum = 0
  for (let i = 1; i < list.length; i += 2) sum += list[i] as number
  if (!whole || list.length % 2 !== 0 || sum !== row.launches)
    return [
      violation('json:launches', `${where}: buckets do not add up to ${String(row.launches)}`)
    ]
  return []
}

function checkRow(where: string, row: unknown, suffix: string): Violation[] {
  if (!isObject(row)) return [violation('json:row', `${where} is not an object`)]
  const out: Violation[] = []
  const num = (field: string, required: boolean): number | undefined => {
    const v = row[field]
    if (v === undefined && !required) return undefined
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      out.push(violation('json:number', `${where}.${field} = ${JSON.stringify(v)}`))
      return undefined
    }
    return v
  }
  const instances = num('instances', true)
  if (instances !== undefined && !Number.isInteger(instances))
    out.push(violation('json:instances-not-whole', `${where}.instances = ${instances}`))
  const [total, avg, min, max] = REQUIRED.map((m) => num(m + suffix, true))
  const [med] = OPTIONAL.map((m) => num(m + suffix, false))
  for (const [name, v] of [
    ['avg', avg],
    ['med', med]
  ] as const) {
    if (v === undefined || min === undefined || max === undefined) continue
    if (!atMost(min, v) || !atMost(v, max))
      out.push(violation(`json:min-${name}-max`, `${where}: min ${min}, ${name} ${v}, max ${max}`))
  }
  if (avg !== undefined && total !== undefined && instances !== undefined) {
    // Sizes printed in MB with three decimals are rounded to 1000 bytes (avg and total alike).
    const step = suffix === 'Bytes' ? 1000 : 0.1
    const slack = step * instances + 10 * step + 1e-9 * Math.max(total, avg * instances)
    if (Math.abs(avg * instances - total) > slack)
      out.push(
        violation(
          'json:avg-times-instances',
          `${where}: avg ${avg} × ${instances} ≠ total ${total}`
        )
      )
  }
  return out
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function dedupeClauses(list: Violation[]): Violation[] {
  const seen = new Set<string>()
  return list.filter((v) => !seen.has(v.clause) && seen.add(v.clause) !== undefined)
}
