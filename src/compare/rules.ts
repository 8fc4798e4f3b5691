import { InputError, UsageError } from '../errors.js'
import {
  isTableName,
  TABLE_NAMES,
  TABLES,
  type TableName,
  type TableSpec
} from '../profile/model.js'
import { quoted } from '../text.js'
import { compilePattern, patternBudget, type Pattern, type PatternBudget } from './pattern.js'

/**
 * When a change counts. A change is called only when it passes BOTH the relative threshold
 * (percent of the base value) and the absolute floor (by default a share of the base's table
 * total: 0.1 % of total GPU kernel time for kernels), so tiny kernels cannot flip the gate.
 *
 * Precedence, lowest first: built-in defaults → the rules file's top level → command-line flags
 * (`--threshold`, `--min-share`) → the rules file's `tables.<name>` → the first matching entry
 * of the rules file's `rules` list.
 *
 * The rules file also holds the checks that make a comparison inconclusive (`checks`), accepted
 * regressions (`accept`), kernel families for variant pairing (`families`) and kernel categories
 * of the user's own (`categories`, tried before the built-in ones: analyze/categories.ts).
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
  match: Pattern
  ignore: boolean
}

/** The thresholds of the checks that make a comparison inconclusive (compare/checks.ts). */
export interface Checks {
  /** Share of the base's GPU kernel time, percent, that must be matched on the head. */
  minMatchedShare: number
  /** The same when the two sides ran different Nsight Systems major versions. */
  minMatchedShareAcrossVersions: number
  /**
   * Launches of the kernels both sides have: the head's count over the base's must lie within
   * [minInstanceRatio, 1 / minInstanceRatio], or the capture window changed.
   */
  minInstanceRatio: number
  /** Different GPU models: `inconclusive`, or only a warning. */
  gpuMismatch: 'inconclusive' | 'warn'
}

/** A known regression, accepted until a date, with the reason on record. */
export interface AcceptRule {
  pattern: Pattern
  reason: string
  /** Last day (UTC, `YYYY-MM-DD`) on which the acceptance holds. */
  until: string
  table?: TableName
}

/** Kernels whose names match belong to one family (variant pairing, compare/identity.ts). */
export interface FamilyRule {
  match: Pattern
  family: string
}

/** Kernels whose names match belong to a category (GPU time by category, analyze/categories.ts). */
export interface CategoryRule {
  match: Pattern
  category: string
}

export interface Rules {
  /** Significance level for repeated runs. */
  alpha: number
  /**
   * `threshold: auto`: each item's threshold comes from its history's band, with the fixed
   * threshold as the floor (history/band.ts, docs/history.md).
   */
  auto: boolean
  tables: Record<TableName, TableRules>
  rules: Rule[]
  ignore: Pattern[]
  checks: Checks
  accept: AcceptRule[]
  families: FamilyRule[]
  categories: CategoryRule[]
}

/** The longest category name a rules file may give (it is shown in every report). */
export const MAX_CATEGORY_LENGTH = 100

export const DEFAULT_THRESHOLD = 5
export const DEFAULT_MIN_SHARE = 0.1
export const DEFAULT_ALPHA = 0.05
export const DEFAULT_CHECKS: Readonly<Checks> = {
  minMatchedShare: 50,
  minMatchedShareAcrossVersions: 90,
  minInstanceRatio: 0.5,
  gpuMismatch: 'inconclusive'
}

export interface RulesOverrides {
  /** A number, or `auto` (the rules file's or the default threshold becomes the floor). */
  threshold?: number | 'auto'
  minShare?: number
  alpha?: number
  ignore?: readonly string[]
  gpuMismatch?: Checks['gpuMismatch']
}

/** The effective limits for one item. */
export interface Resolved extends Limits {
  ignored: boolean
  /** The rule that applied, as written (for the report). */
  rule?: string
  /** The rule set the threshold itself (it wins over `threshold: auto`). */
  ruleThreshold?: true
}

/**
 * The names a rule or an `accept` entry is matched against: the display name, the key, and for
 * an item that pairs variants, every member's name on both sides — a rule written for the base's
 * `…128x64…` still applies when the head runs `…128x128…` instead.
 */
export function itemNames(item: {
  name: string
  key: string
  variant?: { base: readonly string[]; head: readonly string[] }
}): string[] {
  return [
    item.name,
    item.key,
    ...(item.variant ? [...item.variant.base, ...item.variant.head] : [])
  ]
}

/** The limits of an item: ignored if any of its names matches `ignore`, else the first rule matching one. */
export function resolveLimits(rules: Rules, table: TableName, names: readonly string[]): Resolved {
  const base = rules.tables[table]
  const resolved: Resolved = {
    threshold: base.threshold,
    minShare: base.minShare,
    direction: base.direction,
    gate: base.gate,
    ignored: false
  }
  if (base.minDelta !== undefined) resolved.minDelta = base.minDelta
  if (rules.ignore.some((p) => names.some((n) => p.test(n)))) {
    resolved.ignored = true
    return resolved
  }
  const rule = rules.rules.find(
    (r) => (r.table === undefined || r.table === table) && names.some((n) => r.match.test(n))
  )
  if (!rule) return resolved
  resolved.rule = rule.match.source
  if (rule.ignore) resolved.ignored = true
  if (rule.threshold !== undefined) {
    resolved.threshold = rule.threshold
    resolved.ruleThreshold = true
  }
  // The entry that sets a floor decides which floor it is: a rule's `minShare` replaces an
  // absolute floor from the table (`tables.<name>.minDelta`, or a table's own, such as the 4
  // calls of host synchronisations), as the table's `minShare` replaces the table's own.
  if (rule.minShare !== undefined || rule.minDelta !== undefined) {
    if (rule.minShare !== undefined) resolved.minShare = rule.minShare
    if (rule.minDelta !== undefined) resolved.minDelta = rule.minDelta
    else delete resolved.minDelta
  }
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
  // What is wrong with the file is an InputError (no pointer to --help: the command line was
  // right); what is wrong with a flag or an action input, a UsageError.
  const fail = (message: string): InputError => new InputError(`${source}: ${message}`)
  const config = file === undefined ? {} : file
  if (!isObject(config)) throw fail('expected a JSON object')
  checkKeys(
    config,
    [
      '$schema',
      'threshold',
      'minShare',
      'alpha',
      'ignore',
      'tables',
      'rules',
      'checks',
      'accept',
      'families',
      'categories'
    ],
    '',
    fail
  )

  // Overrides (flags, action inputs) are checked by whoever read them, with their own names.
  const flag = (message: string): UsageError => new UsageError(message)
  // `"threshold": "auto"` (or the flag/input `auto`): the number, the file's or the default,
  // becomes the floor of each item's auto limit.
  const fileAuto = config.threshold === 'auto'
  if (typeof config.threshold === 'string' && !fileAuto)
    throw fail('"threshold" must be a number (percent) or "auto"')
  const fileThreshold = fileAuto ? undefined : optionalNumber(config, 'threshold', fail)
  const auto = overrides.threshold !== undefined ? overrides.threshold === 'auto' : fileAuto
  const threshold =
    typeof overrides.threshold === 'number'
      ? percent(overrides.threshold, 'the threshold', flag)
      : percent(fileThreshold ?? DEFAULT_THRESHOLD, '"threshold"', fail)
  const minShare =
    overrides.minShare !== undefined
      ? percent(overrides.minShare, 'the minimum share', flag)
      : percent(optionalNumber(config, 'minShare', fail) ?? DEFAULT_MIN_SHARE, '"minShare"', fail)
  const alpha = overrides.alpha ?? optionalNumber(config, 'alpha', fail) ?? DEFAULT_ALPHA
  if (!(alpha > 0 && alpha < 1))
    throw (overrides.alpha !== undefined ? flag : fail)(
      `${overrides.alpha !== undefined ? 'alpha' : '"alpha"'} must be between 0 and 1 (exclusive), got ${alpha}`
    )

  const tables = {} as Record<TableName, TableRules>
  const tableConfig = config.tables === undefined ? {} : config.tables
  if (!isObject(tableConfig)) throw fail('"tables" must be an object')
  for (const key of Object.keys(tableConfig)) {
    if (!isTableName(key)) {
      throw fail(
        `unknown table ${JSON.stringify(key)} in "tables" (known: ${TABLE_NAMES.join(', ')})`
      )
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
    // A table's own floor (a count of calls: a share of its total means nothing) holds unless
    // the entry sets one; the top level and the flags set shares for the tables that use them.
    const spec: TableSpec = TABLES[name]
    if (
      limits.minShare === undefined &&
      limits.minDelta === undefined &&
      spec.minDelta !== undefined
    )
      limits.minDelta = spec.minDelta
    const table: TableRules = {
      threshold: limits.threshold ?? threshold,
      minShare: limits.minShare ?? minShare,
      direction: limits.direction ?? 'lower-is-better',
      gate: limits.gate ?? TABLES[name].gate,
      gateTotal:
        optionalBoolean(entry, 'gateTotal', `tables.${name}`, fail) ?? TABLES[name].gateTotal
    }
    if (limits.minDelta !== undefined) table.minDelta = limits.minDelta
    tables[name] = table
  }

  // Every pattern of these rules, the flags' too, within one compiled size in all (pattern.ts).
  const budget = patternBudget()
  const ignore: Pattern[] = []
  list(config, 'ignore', fail).forEach((pattern, i) => {
    if (typeof pattern !== 'string')
      throw fail(`"ignore[${i}]" must be a regular expression (string)`)
    ignore.push(compilePattern(pattern, `${source}: "ignore[${i}]"`, budget, fileError))
  })
  for (const pattern of overrides.ignore ?? [])
    ignore.push(compilePattern(pattern, '--ignore', budget))

  const rules: Rule[] = list(config, 'rules', fail).map((entry, i) => {
    const where = `rules[${i}]`
    if (!isObject(entry)) throw fail(`"${where}" must be an object`)
    checkKeys(
      entry,
      ['table', 'match', 'threshold', 'minShare', 'minDelta', 'direction', 'gate', 'ignore'],
      `${where}.`,
      fail
    )
    const rule: Rule = {
      match: pattern(entry, 'match', where, source, budget, fail),
      ignore: optionalBoolean(entry, 'ignore', where, fail) ?? false,
      ...readLimits(entry, where, fail)
    }
    const table = optionalTable(entry, where, fail)
    if (table) rule.table = table
    return rule
  })
  // A gating entry that can never decide an item: an earlier one with the same pattern is tried
  // first for every table it applies to (only the first matching entry applies), so the gate it
  // asks for would never be in force — and compare's `rule-unused`, which knows entries by their
  // pattern, would take the earlier entry's items for its own and say nothing.
  rules.forEach((rule, i) => {
    if (rule.gate !== true || rule.ignore) return
    const j = rules.findIndex(
      (earlier, k) =>
        k < i &&
        earlier.match.source === rule.match.source &&
        (earlier.table === undefined || earlier.table === rule.table)
    )
    if (j >= 0)
      throw fail(
        `"rules[${i}]" can never apply: "rules[${j}]" has the same pattern ${quoted(rule.match.source, 120)} and is tried first for ${rule.table === undefined ? 'every table' : `table ${rule.table}`} (only the first matching entry applies); merge the two entries`
      )
  })

  const accept: AcceptRule[] = list(config, 'accept', fail).map((entry, i) => {
    const where = `accept[${i}]`
    if (!isObject(entry)) throw fail(`"${where}" must be an object`)
    checkKeys(entry, ['pattern', 'reason', 'until', 'table'], `${where}.`, fail)
    const reason = entry.reason
    if (typeof reason !== 'string' || reason.trim() === '')
      throw fail(`"${where}.reason" must say why the regression is accepted`)
    const until = entry.until
    if (typeof until !== 'string' || !isDate(until))
      throw fail(
        `"${where}.until" must be the last day the acceptance holds, as YYYY-MM-DD (an acceptance always ends)`
      )
    const rule: AcceptRule = {
      pattern: pattern(entry, 'pattern', where, source, budget, fail),
      reason: reason.trim().slice(0, 500),
      until
    }
    const table = optionalTable(entry, where, fail)
    if (table) rule.table = table
    return rule
  })

  const families: FamilyRule[] = list(config, 'families', fail).map((entry, i) => {
    const where = `families[${i}]`
    if (!isObject(entry)) throw fail(`"${where}" must be an object`)
    checkKeys(entry, ['match', 'family'], `${where}.`, fail)
    if (typeof entry.family !== 'string' || entry.family.trim() === '')
      throw fail(`"${where}.family" must name the family`)
    return {
      match: pattern(entry, 'match', where, source, budget, fail),
      family: entry.family.trim().slice(0, 200)
    }
  })

  const categories: CategoryRule[] = list(config, 'categories', fail).map((entry, i) => {
    const where = `categories[${i}]`
    if (!isObject(entry)) throw fail(`"${where}" must be an object`)
    checkKeys(entry, ['match', 'category'], `${where}.`, fail)
    const category = typeof entry.category === 'string' ? entry.category.trim() : ''
    if (category === '')
      throw fail(
        `"${where}.category" must name the category (e.g. "attention", or one of your own)`
      )
    if (category.length > MAX_CATEGORY_LENGTH)
      throw fail(`"${where}.category" is longer than ${MAX_CATEGORY_LENGTH} characters`)
    return { match: pattern(entry, 'match', where, source, budget, fail), category }
  })

  return {
    alpha,
    auto,
    tables,
    rules,
    ignore,
    checks: readChecks(config.checks, overrides, fail),
    accept,
    families,
    categories
  }
}

function readChecks(value: unknown, overrides: RulesOverrides, fail: Fail): Checks {
  const entry = value === undefined ? {} : value
  if (!isObject(entry)) throw fail('"checks" must be an object')
  checkKeys(entry, Object.keys(DEFAULT_CHECKS), 'checks.', fail)
  const checks: Checks = { ...DEFAULT_CHECKS }
  for (const key of ['minMatchedShare', 'minMatchedShareAcrossVersions'] as const) {
    const v = optionalNumber(entry, key, fail, 'checks')
    if (v !== undefined) {
      if (!(v >= 0 && v <= 100))
        throw fail(`"checks.${key}" must be a percentage from 0 to 100, got ${v}`)
      checks[key] = v
    }
  }
  const ratio = optionalNumber(entry, 'minInstanceRatio', fail, 'checks')
  if (ratio !== undefined) {
    if (!(ratio >= 0 && ratio <= 1))
      throw fail(`"checks.minInstanceRatio" must be from 0 to 1, got ${ratio}`)
    checks.minInstanceRatio = ratio
  }
  const gpu = entry.gpuMismatch
  if (gpu !== undefined) {
    if (gpu !== 'inconclusive' && gpu !== 'warn')
      throw fail('"checks.gpuMismatch" must be "inconclusive" or "warn"')
    checks.gpuMismatch = gpu
  }
  if (overrides.gpuMismatch) checks.gpuMismatch = overrides.gpuMismatch
  return checks
}

type Fail = (message: string) => Error

function readLimits(entry: Record<string, unknown>, where: string, fail: Fail): Partial<Limits> {
  const limits: Partial<Limits> = {}
  const threshold = optionalNumber(entry, 'threshold', fail, where)
  if (threshold !== undefined) limits.threshold = percent(threshold, `"${where}.threshold"`, fail)
  const minShare = optionalNumber(entry, 'minShare', fail, where)
  if (minShare !== undefined) limits.minShare = percent(minShare, `"${where}.minShare"`, fail)
  const minDelta = optionalNumber(entry, 'minDelta', fail, where)
  if (minDelta !== undefined) {
    if (minDelta < 0) throw fail(`"${where}.minDelta" must be ≥ 0, got ${minDelta}`)
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

function pattern(
  entry: Record<string, unknown>,
  key: string,
  where: string,
  source: string,
  budget: PatternBudget,
  fail: Fail
): Pattern {
  const value = entry[key]
  if (typeof value !== 'string')
    throw fail(`"${where}.${key}" must be a regular expression (string)`)
  return compilePattern(value, `${source}: "${where}.${key}"`, budget, fileError)
}

function optionalTable(
  entry: Record<string, unknown>,
  where: string,
  fail: Fail
): TableName | undefined {
  if (entry.table === undefined) return undefined
  if (typeof entry.table !== 'string' || !isTableName(entry.table))
    throw fail(`"${where}.table" must be one of ${TABLE_NAMES.join(', ')}`)
  return entry.table
}

function list(config: Record<string, unknown>, key: string, fail: Fail): unknown[] {
  const value = config[key]
  if (value === undefined) return []
  if (!Array.isArray(value)) throw fail(`"${key}" must be an array`)
  if (value.length > 10_000)
    throw fail(
      `"${key}" has ${value.length.toLocaleString('en-US')} entries; at most 10,000 are allowed`
    )
  return value
}

function checkKeys(
  entry: Record<string, unknown>,
  allowed: string[],
  prefix: string,
  fail: Fail
): void {
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key))
      throw fail(
        `unknown setting ${JSON.stringify(prefix + key).slice(0, 200)} (allowed: ${allowed.join(', ')})`
      )
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

/** A percentage limit: ≥ 0 (a negative limit would call every change), at most 1000. */
function percent(value: number, what: string, fail: Fail): number {
  if (value < 0) throw fail(`${what} must be ≥ 0, got ${value}`)
  if (!(value <= 1000)) throw fail(`${what} must be a percentage from 0 to 1000, got ${value}`)
  return value
}

/** A real calendar day written `YYYY-MM-DD` (not 2026-02-30). */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const date = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A file's pattern refused: an InputError (compilePattern's message names the file). */
function fileError(message: string): InputError {
  return new InputError(message)
}
