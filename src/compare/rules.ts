import { UsageError } from '../errors.js'
import { TABLE_NAMES, type TableName } from '../profile/model.js'

/**
 * When a change counts. A change is called only when it passes BOTH the relative threshold
 * (percent of the base value) and the absolute floor (by default a share of the base's table
 * total: 0.1 % of total GPU kernel time for kernels), so tiny kernels cannot flip the gate.
 *
 * Precedence, lowest first: built-in defaults → the rules file's top level → command-line flags
 * (`--threshold`, `--min-share`) → the rules file's `tables.<name>` → the first matching entry
 * of the rules file's `rules` list.
 */
export type Direction = 'lower-is-better' | 'higher-is-better'

export interface Limits {
  /** Relative threshold, percent. */
  threshold: number
  /** Absolute floor as a percentage of the base's table total. */
  minShare: number
  /** Absolute floor in the table's unit (ns or bytes); replaces minShare when set. */
  minDelta?: number
  direction: Direction
  /** Whether a regression of this item fails the check. */
  gate: boolean
}

export interface TableRules extends Limits {
  /** Whether the table's total (e.g. total GPU kernel time) is gated too. */
  gateTotal: boolean
}

export interface Rule extends Partial<Limits> {
  table?: TableName
  match: RegExp
  ignore: boolean
}

export interface Rules {
  /** Significance level for repeated runs. */
  alpha: number
  tables: Record<TableName, TableRules>
  rules: Rule[]
  ignore: RegExp[]
}

export const DEFAULT_THRESHOLD = 5
export const DEFAULT_MIN_SHARE = 0.1
export const DEFAULT_ALPHA = 0.05

/** Kernels and memory-operation time gate by default; the rest is reported only. */
const DEFAULT_GATE: Readonly<Record<TableName, { gate: boolean; gateTotal: boolean }>> = {
  kernels: { gate: true, gateTotal: true },
  memTime: { gate: true, gateTotal: false },
  memSize: { gate: false, gateTotal: false },
  cudaApi: { gate: false, gateTotal: false },
  nvtx: { gate: false, gateTotal: false },
  osrt: { gate: false, gateTotal: false }
}

export interface RulesOverrides {
  threshold?: number
  minShare?: number
  alpha?: number
  ignore?: readonly string[]
}

/** The effective limits for one item. */
export interface Resolved extends Limits {
  ignored: boolean
  /** The rule that applied, as written (for the report). */
  rule?: string
}

export function resolveLimits(rules: Rules, table: TableName, name: string, key: string): Resolved {
  const base = rules.tables[table]
  const resolved: Resolved = {
    threshold: base.threshold,
    minShare: base.minShare,
    direction: base.direction,
    gate: base.gate,
    ignored: false
  }
  if (base.minDelta !== undefined) resolved.minDelta = base.minDelta
  if (rules.ignore.some((re) => re.test(name) || re.test(key))) {
    resolved.ignored = true
    return resolved
  }
  const rule = rules.rules.find(
    (r) => (r.table === undefined || r.table === table) && (r.match.test(name) || r.match.test(key))
  )
  if (!rule) return resolved
  resolved.rule = rule.match.source
  if (rule.ignore) resolved.ignored = true
  if (rule.threshold !== undefined) resolved.threshold = rule.threshold
  if (rule.minShare !== undefined) resolved.minShare = rule.minShare
  if (rule.minDelta !== undefined) resolved.minDelta = rule.minDelta
  if (rule.direction !== undefined) resolved.direction = rule.direction
  if (rule.gate !== undefined) resolved.gate = rule.gate
  return resolved
}

/** Builds the rules from an optional rules file (already parsed JSON) and command-line overrides. */
export function buildRules(
  file: unknown,
  overrides: RulesOverrides = {},
  source = 'rules file'
): Rules {
  const fail = (message: string): UsageError => new UsageError(`${source}: ${message}`)
  const config = file === undefined ? {} : file
  if (!isObject(config)) throw fail('expected a JSON object')
  checkKeys(
    config,
    ['$schema', 'threshold', 'minShare', 'alpha', 'ignore', 'tables', 'rules'],
    '',
    fail
  )

  const threshold =
    overrides.threshold ?? optionalNumber(config, 'threshold', fail) ?? DEFAULT_THRESHOLD
  const minShare =
    overrides.minShare ?? optionalNumber(config, 'minShare', fail) ?? DEFAULT_MIN_SHARE
  const alpha = overrides.alpha ?? optionalNumber(config, 'alpha', fail) ?? DEFAULT_ALPHA
  checkPercent(threshold, 'threshold', fail)
  checkPercent(minShare, 'minShare', fail)
  if (!(alpha > 0 && alpha < 1)) throw fail(`"alpha" must be between 0 and 1, got ${alpha}`)

  const tables = {} as Record<TableName, TableRules>
  const tableConfig = config.tables === undefined ? {} : config.tables
  if (!isObject(tableConfig)) throw fail('"tables" must be an object')
  for (const key of Object.keys(tableConfig)) {
    if (!(TABLE_NAMES as readonly string[]).includes(key)) {
      throw fail(`unknown table "${key}" in "tables" (known: ${TABLE_NAMES.join(', ')})`)
    }
  }
  for (const name of TABLE_NAMES) {
    const entry = tableConfig[name] ?? {}
    if (!isObject(entry)) throw fail(`"tables.${name}" must be an object`)
    checkKeys(
      entry,
      ['threshold', 'minShare', 'minDelta', 'direction', 'gate', 'gateTotal'],
      `tables.${name}.`,
      fail
    )
    const limits = readLimits(entry, `tables.${name}`, fail)
    const table: TableRules = {
      threshold: limits.threshold ?? threshold,
      minShare: limits.minShare ?? minShare,
      direction: limits.direction ?? 'lower-is-better',
      gate: limits.gate ?? DEFAULT_GATE[name].gate,
      gateTotal:
        optionalBoolean(entry, 'gateTotal', `tables.${name}`, fail) ?? DEFAULT_GATE[name].gateTotal
    }
    if (limits.minDelta !== undefined) table.minDelta = limits.minDelta
    tables[name] = table
  }

  const ignore: RegExp[] = []
  const ignoreConfig = config.ignore === undefined ? [] : config.ignore
  if (!Array.isArray(ignoreConfig) || !ignoreConfig.every((p) => typeof p === 'string')) {
    throw fail('"ignore" must be an array of regular expressions (strings)')
  }
  for (const pattern of [...ignoreConfig, ...(overrides.ignore ?? [])]) {
    ignore.push(compile(pattern, 'ignore', fail))
  }

  const rules: Rule[] = []
  const ruleConfig = config.rules === undefined ? [] : config.rules
  if (!Array.isArray(ruleConfig)) throw fail('"rules" must be an array')
  ruleConfig.forEach((entry: unknown, i) => {
    const where = `rules[${i}]`
    if (!isObject(entry)) throw fail(`"${where}" must be an object`)
    checkKeys(
      entry,
      ['table', 'match', 'threshold', 'minShare', 'minDelta', 'direction', 'gate', 'ignore'],
      `${where}.`,
      fail
    )
    if (typeof entry.match !== 'string')
      throw fail(`"${where}.match" must be a regular expression (string)`)
    const rule: Rule = {
      match: compile(entry.match, `${where}.match`, fail),
      ignore: false,
      ...readLimits(entry, where, fail)
    }
    if (entry.table !== undefined) {
      if (
        typeof entry.table !== 'string' ||
        !(TABLE_NAMES as readonly string[]).includes(entry.table)
      ) {
        throw fail(`"${where}.table" must be one of ${TABLE_NAMES.join(', ')}`)
      }
      rule.table = entry.table as TableName
    }
    const ignored = optionalBoolean(entry, 'ignore', where, fail)
    if (ignored !== undefined) rule.ignore = ignored
    rules.push(rule)
  })
  return { alpha, tables, rules, ignore }
}

type Fail = (message: string) => UsageError

function readLimits(entry: Record<string, unknown>, where: string, fail: Fail): Partial<Limits> {
  const limits: Partial<Limits> = {}
  const threshold = optionalNumber(entry, 'threshold', fail, where)
  if (threshold !== undefined)
    limits.threshold = checkPercent(threshold, `${where}.threshold`, fail)
  const minShare = optionalNumber(entry, 'minShare', fail, where)
  if (minShare !== undefined) limits.minShare = checkPercent(minShare, `${where}.minShare`, fail)
  const minDelta = optionalNumber(entry, 'minDelta', fail, where)
  if (minDelta !== undefined) {
    if (minDelta < 0) throw fail(`"${where}.minDelta" must not be negative`)
    limits.minDelta = minDelta
  }
  if (entry.direction !== undefined) {
    if (entry.direction !== 'lower-is-better' && entry.direction !== 'higher-is-better') {
      throw fail(`"${where}.direction" must be "lower-is-better" or "higher-is-better"`)
    }
    limits.direction = entry.direction
  }
  const gate = optionalBoolean(entry, 'gate', where, fail)
  if (gate !== undefined) limits.gate = gate
  return limits
}

function compile(pattern: string, where: string, fail: Fail): RegExp {
  try {
    return new RegExp(pattern)
  } catch (error) {
    throw fail(
      `"${where}": invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`
    )
  }
}

function checkKeys(
  entry: Record<string, unknown>,
  allowed: string[],
  prefix: string,
  fail: Fail
): void {
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key))
      throw fail(`unknown setting "${prefix}${key}" (allowed: ${allowed.join(', ')})`)
  }
}

function optionalNumber(
  entry: Record<string, unknown>,
  key: string,
  fail: Fail,
  where?: string
): number | undefined {
  const value = entry[key]
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw fail(`"${where ? `${where}.` : ''}${key}" must be a number`)
  }
  return value
}

function optionalBoolean(
  entry: Record<string, unknown>,
  key: string,
  where: string,
  fail: Fail
): boolean | undefined {
  const value = entry[key]
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw fail(`"${where}.${key}" must be true or false`)
  return value
}

function checkPercent(value: number, what: string, fail: Fail): number {
  if (!(value >= 0 && value <= 1000))
    throw fail(`"${what}" must be a percentage between 0 and 1000, got ${value}`)
  return value
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
