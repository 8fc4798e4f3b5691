import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { comparisonToRecord } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { profile } from '../support/profiles.js'
import { seededRandom } from '../support/random.js'

/**
 * The rules file's semantics held against a reference written here from the README ("Rules
 * file", "Accepting a known regression", "How a change is judged", "Verdicts"), not from the code:
 *
 * - limits, lowest first: defaults (5 %, 0.1 % of the table's base total, lower is better, the
 *   table's default gate) → the file's top level → `tables.<name>` → the first matching entry of
 *   `rules` (an entry without `table` applies to every table);
 * - an item matching the top-level `ignore` list, or whose first matching rule has
 *   `"ignore": true`, is left out of its table and of the total (the floor is a share of what is
 *   left);
 * - `minDelta` is a floor instead of `minShare`: whichever the deciding layer sets;
 * - one run a side: a change counts past both the threshold and the floor;
 * - an accept entry holds to its `until` day inclusive (UTC); an expired one is said and does
 *   not accept; a label accepts every gated regression; a regressed total is accepted when the
 *   total without the accepted items' changes stays within its limits;
 * - verdict: regression when a gated item or total regressed unaccepted, accepted when there
 *   were gated regressions and all were accepted, inconclusive when nothing gated measured
 *   anything, else pass;
 * - a gating entry (`"gate": true`) that decides no item, shadowed or matching nothing, is said
 *   (`rule-unused`).
 */

type Direction = 'lower-is-better' | 'higher-is-better'
interface Limits {
  threshold?: number
  minShare?: number
  minDelta?: number
  direction?: Direction
  gate?: boolean
}
interface RuleEntry extends Limits {
  table?: string
  match: string
  ignore?: boolean
}
interface AcceptEntry {
  pattern: string
  reason: string
  until: string
  table?: string
}
interface RulesFile {
  threshold?: number
  minShare?: number
  ignore?: string[]
  tables?: Record<string, Limits & { gateTotal?: boolean }>
  rules?: RuleEntry[]
  accept?: AcceptEntry[]
}

const NOW = new Date('2026-06-15T12:00:00Z')
const TODAY = '2026-06-15'
const YESTERDAY = '2026-06-14'
const TOMORROW = '2026-06-16'

const LONG = `void cutlass::Kernel2<cutlass_80_wmma_tensorop_${'x'.repeat(1800)}_align8>(T1::Params)`
const NAMES = [
  'gemm_bf16_128x64',
  'flash_fwd_kernel',
  'ncclDevKernel_AllReduce_Sum_f32',
  'warmup_fill',
  'void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>>(int, T1)',
  'a.b*c+(d)[e]{f}|g^h$\\i?',
  '日本語_kernel_µs',
  '😀_emoji_kernel',
  'rms_norm_kernel',
  LONG
]

/** Patterns: literal (escaped) pieces of names, prefixes, classes, nothing, everything. */
const escape = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
const PATTERNS = [
  '^gemm',
  'kernel',
  'Kernel',
  '^void at::native',
  escape('a.b*c+(d)[e]{f}|g^h$\\i?'),
  '\\(d\\)\\[e\\]',
  '[日本]',
  '😀',
  '^.{1000,}$',
  'nomatch_xyz',
  '',
  '(?i)FLASH',
  'warmup',
  '^nccl',
  'norm'
]

const NATIVE: Record<string, RegExp> = {}
/** The reference matcher: JavaScript's own regular expressions, unicode mode (RE2 and JS agree on these). */
function matches(pattern: string, name: string): boolean {
  const inline = pattern.startsWith('(?i)')
  const source = inline ? pattern.slice(4) : pattern
  NATIVE[pattern] ??= new RegExp(source, inline ? 'iu' : 'u')
  return NATIVE[pattern].test(name)
}

interface Expected {
  ignored: boolean
  gated: boolean
  threshold: number
  floor: number
  direction: Direction
  rule?: string
  ruleIndex?: number
}

const TABLE_DEFAULTS = {
  kernels: { gate: true, gateTotal: true },
  categories: { gate: false, gateTotal: false }
} as const

/** The limits of one item of `table` from the file alone (README precedence). */
function reference(
  file: RulesFile,
  table: 'kernels' | 'categories',
  name: string,
  baseTotal: () => number
): Expected {
  const t = file.tables?.[table] ?? {}
  let threshold = t.threshold ?? file.threshold ?? 5
  let share = t.minShare ?? file.minShare ?? 0.1
  let minDelta = t.minDelta
  let direction: Direction = t.direction ?? 'lower-is-better'
  let gated = t.gate ?? TABLE_DEFAULTS[table].gate
  if ((file.ignore ?? []).some((p) => matches(p, name)))
    return { ignored: true, gated, threshold, floor: 0, direction }
  const index = (file.rules ?? []).findIndex(
    (r) => (r.table === undefined || r.table === table) && matches(r.match, name)
  )
  const rule = file.rules?.[index]
  if (rule) {
    if (rule.ignore === true)
      return { ignored: true, gated, threshold, floor: 0, direction, rule: rule.match }
    threshold = rule.threshold ?? threshold
    // The entry that sets a floor decides which floor it is.
    if (rule.minShare !== undefined || rule.minDelta !== undefined) {
      share = rule.minShare ?? share
      minDelta = rule.minDelta
    }
    direction = rule.direction ?? direction
    gated = rule.gate ?? gated
  }
  const floor = minDelta ?? (share / 100) * baseTotal()
  const out: Expected = { ignored: false, gated, threshold, floor, direction }
  if (rule) {
    out.rule = rule.match
    out.ruleIndex = index
  }
  return out
}

type Status = 'regressed' | 'improved' | 'unchanged'
/** One run a side: both limits, then the direction (README "How a change is judged"). */
function judge(
  base: number,
  head: number,
  threshold: number,
  floor: number,
  direction: Direction
): Status {
  const delta = head - base
  if (delta === 0) return 'unchanged'
  if (base > 0 && (Math.abs(delta) / base) * 100 < threshold) return 'unchanged'
  if (Math.abs(delta) < floor) return 'unchanged'
  const worse = direction === 'lower-is-better' ? delta > 0 : delta < 0
  return worse ? 'regressed' : 'improved'
}

interface Case {
  file: RulesFile
  base: Record<string, number>
  head: Record<string, number>
  label?: string
}

function generate(seed: number): Case {
  const random = seededRandom(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
  const maybe = (p: number): boolean => random() < p
  const names = NAMES.filter(() => maybe(0.6))
  if (names.length === 0) names.push(pick(NAMES))
  const base: Record<string, number> = {}
  const head: Record<string, number> = {}
  for (const name of names) {
    base[name] = Math.round(1e5 + random() * 1e7)
    head[name] = Math.round(base[name] * pick([0.5, 0.9, 0.97, 1, 1, 1.03, 1.08, 1.2, 2, 5]))
  }
  const limits = (): Limits => {
    const l: Limits = {}
    if (maybe(0.4)) l.threshold = pick([0, 3, 10, 50])
    if (maybe(0.25)) l.minShare = pick([0, 1, 20])
    if (maybe(0.2)) l.minDelta = pick([0, 1e4, 1e6])
    if (maybe(0.25)) l.direction = pick(['lower-is-better', 'higher-is-better'] as const)
    if (maybe(0.5)) l.gate = maybe(0.5)
    return l
  }
  const file: RulesFile = {}
  if (maybe(0.3)) file.threshold = pick([1, 5, 20])
  if (maybe(0.3)) file.minShare = pick([0, 0.1, 5])
  if (maybe(0.3)) file.ignore = [pick(PATTERNS), ...(maybe(0.3) ? [pick(PATTERNS)] : [])]
  if (maybe(0.5)) {
    const t: Limits & { gateTotal?: boolean } = limits()
    // Not both floors in one entry: which wins is not the README's to say (see the report).
    if (t.minShare !== undefined && t.minDelta !== undefined) delete t.minDelta
    if (maybe(0.5)) t.gateTotal = maybe(0.5)
    file.tables = { kernels: t }
  }
  if (maybe(0.8)) {
    file.rules = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
      const r: RuleEntry = { match: pick(PATTERNS), ...limits() }
      if (r.minShare !== undefined && r.minDelta !== undefined) delete r.minDelta
      const table = pick([undefined, undefined, 'kernels', 'categories', 'nvtx'])
      if (table) r.table = table
      if (maybe(0.15)) r.ignore = true
      return r
    })
  }
  if (maybe(0.5)) {
    file.accept = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => {
      const a: AcceptEntry = {
        pattern: pick(PATTERNS),
        reason: `reason ${i}`,
        until: pick([YESTERDAY, TODAY, TOMORROW])
      }
      const table = pick([undefined, undefined, 'kernels', 'categories'])
      if (table) a.table = table
      return a
    })
  }
  const c: Case = { file, base, head }
  if (maybe(0.1)) c.label = 'nsys-bench:accept-regression'
  return c
}

interface ItemRecord {
  name: string
  status: Status | 'new' | 'removed'
  gated: boolean
  threshold: number
  floorNs: number
  direction: Direction
  rule?: string
  deltaNs: number
  accepted?: { by: string; pattern?: string; until?: string }
}
interface TableRecord {
  ignored: number
  gated: boolean
  total: {
    baseNs: number
    headNs: number
    deltaNs: number
    status: Status
    gated: boolean
    threshold: number
    floorNs: number
    accepted?: unknown
  }
  items: ItemRecord[]
}
interface RecordShape {
  verdict: string
  reasons: { code: string; message: string }[]
  notes: { code: string; severity: string; message: string }[]
  tables: Record<string, TableRecord>
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-3 + 1e-9 * Math.abs(b)

/** The checks of one case; returns what disagreed (empty when all agree). */
function check(c: Case): string[] {
  const wrong: string[] = []
  // An entry shadowed for every table it names by an earlier one with the same pattern can never
  // apply: the file is refused, naming both.
  const list = c.file.rules ?? []
  const dead = list.findIndex(
    (r, i) =>
      r.gate === true &&
      r.ignore !== true &&
      list.some(
        (e, k) => k < i && e.match === r.match && (e.table === undefined || e.table === r.table)
      )
  )
  if (dead >= 0) {
    const first = list.findIndex(
      (e) =>
        e.match === list[dead]?.match && (e.table === undefined || e.table === list[dead]?.table)
    )
    let message = ''
    try {
      buildRules(c.file)
    } catch (error) {
      message = (error as Error).message
    }
    if (!message.includes(`"rules[${dead}]" can never apply: "rules[${first}]"`))
      wrong.push(`shadowed rules[${dead}] not refused (${message || 'accepted'})`)
    return wrong
  }
  const rules = buildRules(c.file)
  const comparison = compareProfiles(
    [profile({ kernels: c.base })],
    [profile({ kernels: c.head })],
    rules,
    c.label === undefined ? { now: NOW } : { now: NOW, acceptLabel: c.label }
  )
  const record = JSON.parse(JSON.stringify(comparisonToRecord(comparison))) as RecordShape
  const kernels = record.tables.kernels
  if (!kernels) return ['no kernels table']

  // Kernels: ignore, limits, status.
  const names = Object.keys(c.base)
  const kept = names.filter((n) => !reference(c.file, 'kernels', n, () => 0).ignored)
  const baseTotal = kept.reduce((s, n) => s + (c.base[n] ?? 0), 0)
  const headTotal = kept.reduce((s, n) => s + (c.head[n] ?? 0), 0)
  if (kernels.ignored !== names.length - kept.length)
    wrong.push(`ignored: ${kernels.ignored}, expected ${names.length - kept.length}`)
  if (!close(kernels.total.baseNs, baseTotal) || !close(kernels.total.headNs, headTotal))
    wrong.push(
      `totals ${kernels.total.baseNs}/${kernels.total.headNs}, expected ${baseTotal}/${headTotal}`
    )
  const decided = new Set<number>()
  interface Judged {
    table: string
    names: string[]
    status: Status
    gated: boolean
    delta: number
    totalGated: boolean
  }
  const judged: Judged[] = []
  const tk = c.file.tables?.kernels ?? {}
  const totalGated = tk.gateTotal ?? true
  for (const name of kept) {
    const item = kernels.items.find((i) => i.name === name)
    const e = reference(c.file, 'kernels', name, () => baseTotal)
    if (e.ruleIndex !== undefined) decided.add(e.ruleIndex)
    if (!item) {
      wrong.push(`${name.slice(0, 40)}: missing`)
      continue
    }
    const status = judge(c.base[name] ?? 0, c.head[name] ?? 0, e.threshold, e.floor, e.direction)
    const got = {
      gated: item.gated,
      threshold: item.threshold,
      floor: item.floorNs,
      direction: item.direction,
      rule: item.rule,
      status: item.status
    }
    const want = { ...e, status }
    if (
      got.gated !== want.gated ||
      got.threshold !== want.threshold ||
      !close(got.floor, Math.round(want.floor * 1000) / 1000) ||
      got.direction !== want.direction ||
      got.rule !== want.rule ||
      got.status !== want.status
    )
      wrong.push(
        `${name.slice(0, 40)}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`
      )
    judged.push({
      table: 'kernels',
      names: [name],
      status,
      gated: e.gated,
      delta: (c.head[name] ?? 0) - (c.base[name] ?? 0),
      totalGated
    })
  }
  // Categories: derived from the kernels; their statuses are the record's (not this audit's),
  // their limits and gate the rules'.
  const categories = record.tables.categories
  for (const item of categories?.items ?? []) {
    const e = reference(c.file, 'categories', item.name, () => categories?.total.baseNs ?? 0)
    if (e.ignored) continue
    if (e.ruleIndex !== undefined) decided.add(e.ruleIndex)
    if (item.gated !== e.gated || item.threshold !== e.threshold || item.rule !== e.rule)
      wrong.push(
        `category ${item.name}: got ${JSON.stringify(item)}, expected ${JSON.stringify(e)}`
      )
    if (item.status === 'regressed' || item.status === 'improved' || item.status === 'unchanged')
      judged.push({
        table: 'categories',
        names: [item.name],
        status: item.status,
        gated: e.gated,
        delta: item.deltaNs,
        totalGated: categories?.total.gated ?? false
      })
  }

  // Acceptances.
  let expiredSeen = false
  const acceptedDelta: Record<string, number> = {}
  let gatedRegressions = 0
  let unaccepted = 0
  for (const j of judged) {
    if (j.status !== 'regressed' || !(j.gated || j.totalGated)) continue
    let accepted = false
    if (c.label !== undefined) accepted = true
    else
      for (const a of c.file.accept ?? []) {
        if (a.table !== undefined && a.table !== j.table) continue
        if (!j.names.some((n) => matches(a.pattern, n))) continue
        if (a.until < TODAY) {
          expiredSeen = true
          continue
        }
        accepted = true
        break
      }
    const item = record.tables[j.table]?.items.find((i) => i.name === j.names[0])
    if (Boolean(item?.accepted) !== accepted)
      wrong.push(
        `${j.names[0]?.slice(0, 40)}: accepted ${JSON.stringify(item?.accepted)}, expected ${accepted}`
      )
    if (accepted) acceptedDelta[j.table] = (acceptedDelta[j.table] ?? 0) + j.delta
    if (j.gated) {
      gatedRegressions += 1
      if (!accepted) unaccepted += 1
    }
  }
  const expiredNote = record.notes.some((n) => n.code === 'acceptance-expired')
  if (expiredNote !== expiredSeen)
    wrong.push(`acceptance-expired note ${expiredNote}, expected ${expiredSeen}`)

  // The kernels' total.
  const tFloor = tk.minDelta ?? ((tk.minShare ?? c.file.minShare ?? 0.1) / 100) * baseTotal
  const tThreshold = tk.threshold ?? c.file.threshold ?? 5
  const tDirection = tk.direction ?? 'lower-is-better'
  const totalStatus = judge(baseTotal, headTotal, tThreshold, tFloor, tDirection)
  if (kernels.total.status !== totalStatus || kernels.total.gated !== totalGated)
    wrong.push(
      `total: ${kernels.total.status}/${kernels.total.gated}, expected ${totalStatus}/${totalGated}`
    )
  let totalAccepted = false
  if (totalStatus === 'regressed' && totalGated) {
    gatedRegressions += 1
    const d = acceptedDelta.kernels ?? 0
    totalAccepted =
      c.label !== undefined ||
      (d !== 0 && judge(baseTotal, headTotal - d, tThreshold, tFloor, tDirection) !== 'regressed')
    if (!totalAccepted) unaccepted += 1
  }
  if (Boolean(kernels.total.accepted) !== totalAccepted)
    wrong.push(
      `total accepted ${JSON.stringify(kernels.total.accepted)}, expected ${totalAccepted}`
    )
  const categoriesTotal = categories?.total
  if (categoriesTotal?.gated && categoriesTotal.status === 'regressed') {
    gatedRegressions += 1
    if (!categoriesTotal.accepted) unaccepted += 1
  }

  // Unused gating entries.
  const unused = (c.file.rules ?? []).filter(
    (r, i) => r.gate === true && r.ignore !== true && !decided.has(i)
  ).length
  const said = record.notes.filter((n) => n.code === 'rule-unused').length
  // Known (compare.ts unusedGateRules, below): a gating entry is taken as used when an item was
  // decided by any entry with the same pattern, so one shadowed by an earlier same-pattern entry
  // of one table is not said.
  const sharesPattern = list.some((r, i) =>
    list.some((e, k) => k < i && e.match === r.match && r.gate === true)
  )
  if (said !== unused && !sharesPattern)
    wrong.push(`rule-unused notes: ${said}, expected ${unused}`)

  // The verdict.
  const measured = judged.some((j) => j.gated) || (totalGated && (baseTotal > 0 || headTotal > 0))
  const verdict = !measured
    ? 'inconclusive'
    : unaccepted > 0
      ? 'regression'
      : gatedRegressions > 0
        ? 'accepted'
        : 'pass'
  if (record.verdict !== verdict)
    wrong.push(`verdict ${record.verdict} (${JSON.stringify(record.reasons)}), expected ${verdict}`)
  return wrong
}

describe('the rules file against a reference written from the README', () => {
  it('agrees on generated rules files, names and acceptances', () => {
    const failures: string[] = []
    for (let seed = 1; seed <= Number(process.env.SEEDS ?? 600); seed++) {
      const c = generate(seed)
      // Known: a gating entry without `table`, where the kernel table gates neither its items
      // nor its total, is not seen by the check of gated tables (checks.ts isGated): see below.
      const tk = c.file.tables?.kernels
      if (tk?.gate === false && tk.gateTotal === false) continue
      const wrong = check(c)
      if (wrong.length > 0)
        failures.push(
          `seed ${seed} ${JSON.stringify({ ...c.file, label: c.label })}\n  ${wrong.join('\n  ')}`
        )
    }
    expect(failures.slice(0, 5).join('\n')).toBe('')
  })
})

describe('defects this reference found', () => {
  const kernels = (gemm: number, other = 9e6) => profile({ kernels: { gemm_bf16: gemm, other } })

  it("a rule's minShare replaces the table's minDelta (it was silently ignored)", () => {
    // +30 % of a kernel that is 10 % of the time: 300 µs. The table's absolute floor is 1 ms;
    // the rule asks for 1 % of the table's total (100 µs) for this kernel.
    const rules = buildRules({
      tables: { kernels: { minDelta: 1e6, gateTotal: false } },
      rules: [{ match: '^gemm', minShare: 1 }]
    })
    const c = compareProfiles([kernels(1e6)], [kernels(1.3e6)], rules, { now: NOW })
    const item = c.tables[0]?.items.find((i) => i.name === 'gemm_bf16')
    expect(item?.floor).toBeCloseTo(1e5)
    expect(item?.status).toBe('regressed')
    expect(c.gate.verdict).toBe('regression')
  })

  it("a rule's minShare replaces a table's own floor (host synchronisations: 4 calls)", () => {
    const api = (n: number) =>
      profile({
        kernels: { k: 1e6 },
        cudaApi: { cudaStreamSynchronize: [n * 1000, n], cudaLaunchKernel: [1e6, 1000] }
      })
    const rules = buildRules({
      rules: [{ table: 'hostSyncs', match: '^stream synchronisations$', minShare: 0 }]
    })
    const c = compareProfiles([api(20)], [api(22)], rules, { now: NOW })
    const syncs = c.tables.find((t) => t.table === 'hostSyncs')
    // +2 calls, +10 %: under the 4-call floor of the table, past the rule's floor of 0 %.
    const item = syncs?.items.find((i) => i.name === 'stream synchronisations')
    expect(item?.rule).toBe('^stream synchronisations$')
    expect(item?.floor).toBe(0)
    expect(item?.status).toBe('regressed')
  })

  it('refuses a gating entry that an earlier one with the same pattern always shadows', () => {
    const refused = (rules: unknown[]) => () => buildRules({ rules })
    // Before: accepted, and the gate of the second entry was never in force, without a warning.
    expect(
      refused([
        { match: 'gemm', threshold: 50 },
        { table: 'kernels', match: 'gemm', gate: true, threshold: 0 }
      ])
    ).toThrow(
      /"rules\[1\]" can never apply: "rules\[0\]" has the same pattern "gemm" and is tried first for table kernels/
    )
    expect(
      refused([
        { table: 'nvtx', match: 'x', gate: false },
        { table: 'nvtx', match: 'x', gate: true }
      ])
    ).toThrow(/"rules\[1\]" can never apply: "rules\[0\]"/)
    // Not shadowed: other tables, or the earlier entry names one table and the later every table.
    expect(() =>
      buildRules({
        rules: [
          { table: 'kernels', match: 'x', threshold: 1 },
          { table: 'nvtx', match: 'x', gate: true },
          { match: 'x', gate: true }
        ]
      })
    ).not.toThrow()
    // An entry that does not gate is not refused (compare.test.ts writes one to show that the
    // first match wins); see the report on shadowed entries that set limits.
    expect(
      refused([
        { match: 'x', threshold: 15 },
        { match: 'x', threshold: 1 }
      ])
    ).not.toThrow()
  })

  // Outside the files this audit may change; kept as failing expectations to be fixed there.
  it.fails(
    'compare.ts unusedGateRules: a gating entry shadowed in its only table by a same-pattern entry is said',
    () => {
      const rules = buildRules({
        rules: [
          { table: 'kernels', match: '^gemm', threshold: 50 },
          { match: '^gemm', gate: true }
        ]
      })
      const c = compareProfiles([kernels(1e6)], [kernels(1e6)], rules, { now: NOW })
      expect(c.notes.some((n) => n.code === 'rule-unused')).toBe(true)
    }
  )

  it.fails(
    'checks.ts isGated: a gating entry without a table gates the kernels of a table that gates nothing itself',
    () => {
      const rules = buildRules({
        tables: { kernels: { gate: false, gateTotal: false } },
        rules: [{ match: '^gemm', gate: true }]
      })
      const c = compareProfiles([kernels(1e6)], [kernels(2e6)], rules, { now: NOW })
      expect(c.gate.verdict).toBe('regression')
    }
  )
})
