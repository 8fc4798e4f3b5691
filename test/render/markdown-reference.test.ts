import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'
import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { comparisonToRecord } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import type { Drift } from '../../src/history/drift.js'
import { shortenApart } from '../../src/render/escape.js'
import { driftMarkdown } from '../../src/render/history.js'
import { COMMENT_LIMIT, renderMarkdown } from '../../src/render/markdown.js'
import { renderProfileText, renderText } from '../../src/render/text.js'
import type { Profile, TableName } from '../../src/profile/model.js'
import { profile } from '../support/profiles.js'
import { seededRandom } from '../support/random.js'

/**
 * The Markdown report (PR comment, job summary) read back by an independent reader and held
 * against what it reports on: GitHub-flavoured Markdown rendered by micromark (CommonMark + GFM,
 * as GitHub's parser), the tables taken cell by cell from the HTML, every number parsed back with
 * the precision it is printed at, and compared with the comparison's JSON record and with the
 * inputs themselves (medians, deltas, shares and the single-run status worked out here).
 *
 * What the report is allowed to change is written here, not taken from the renderer: a name may
 * be cut to `start…end` (never to something that is not the name's start and end), and a name
 * with `|` shows its backslashes as `\u{5c}` (GFM tables cannot hold `\|` in a code span
 * otherwise). Names are printable here; control characters and bidi marks have their own tests.
 */

type Unit = 'ns' | 'bytes' | 'calls'

/** What the report calls each table (README's report section). */
const TITLES: Partial<Record<TableName, string>> = {
  kernels: 'GPU kernels',
  memTime: 'GPU memory operations (time)',
  cudaApi: 'CUDA API calls',
  // Derived from the ones above in each run (categories of kernels, the host side of API calls).
  categories: 'GPU time by category',
  hostApi: 'Host API time by kind',
  hostSyncs: 'Host synchronisations (calls)'
}

/** The record's field suffix for a unit. */
const SUFFIX: Record<Unit, string> = { ns: 'Ns', bytes: 'Bytes', calls: 'Calls' }

// ---- generated inputs ------------------------------------------------------------------------

const PIECES = [
  'gemm',
  'flash_fwd',
  'void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl<float>>(int, T1)',
  'a|b',
  '**bold**',
  '_em_',
  '[link](x)',
  '<b>tag</b>',
  '&amp;',
  'back`tick',
  '``two',
  'µs é 日本',
  '#1',
  ' spaced  twice ',
  'x\\y'
]

interface Item {
  name: string
  /** Total per run, base and head (undefined: not on that side). */
  base?: number[]
  head?: number[]
  instances: number
}

/**
 * A template kernel's variants: the same long start and end, a flag in the middle (vLLM's
 * flash_fwd_splitkv_kernel, causal or not): shortened alike unless the report keeps them apart.
 */
function variant(random: () => number, i: number): string {
  const causal = random() < 0.5 ? 'true' : 'false'
  return `void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, v${i}, ${causal}, false, false, false, true, true, false, false>(flash::Flash_fwd_params)`
}

function name(random: () => number, i: number, both: boolean): string {
  // Only on both sides: a new and a removed kernel of one template are reported as one changed
  // variant (`a → b`), which is another test's.
  if (both && random() < 0.15) return variant(random, i)
  const parts = [`k${i}_`]
  const n = 1 + Math.floor(random() * 3)
  for (let k = 0; k < n; k++) parts.push(PIECES[Math.floor(random() * PIECES.length)]!)
  // Some names far past the report's 200 characters: cut in the middle there.
  if (random() < 0.2) parts.push('_tail'.repeat(30 + Math.floor(random() * 60)))
  parts.push(`_e${i}`)
  let text = parts.join('')
  // A leading or trailing space would be a different nsys name; keep names trimmed.
  text = text.trim()
  return text
}

function items(random: () => number, count: number, runs: number, scale: number): Item[] {
  const out: Item[] = []
  for (let i = 0; i < count; i++) {
    const typical = Math.round(scale * 10 ** (random() * 6))
    const instances = 1 + Math.floor(random() * 5000)
    const roll = random()
    const factor = roll < 0.15 ? 1.3 : roll < 0.3 ? 0.7 : roll < 0.4 ? 1.06 : roll < 0.5 ? 0.95 : 1
    const noise = (): number => 1 + (random() - 0.5) * 0.01
    const side = (f: number): number[] =>
      Array.from({ length: runs }, () => Math.max(1, Math.round(typical * f * noise())))
    const where = random()
    out.push({
      name: name(random, i, where >= 0.08 && where <= 0.92),
      base: where < 0.08 ? undefined : side(1),
      head: where > 0.92 ? undefined : side(factor),
      instances
    })
  }
  return out
}

interface Case {
  base: Profile[]
  head: Profile[]
  tables: Partial<Record<TableName, Item[]>>
  runs: number
}

function generate(seed: number): Case {
  const random = seededRandom(seed)
  const runs = [1, 3, 5][seed % 3]!
  const tables: Partial<Record<TableName, Item[]>> = {
    kernels: items(random, 20 + Math.floor(random() * 40), runs, 1000),
    memTime: items(random, 1 + Math.floor(random() * 6), runs, 500),
    cudaApi: items(random, 1 + Math.floor(random() * 10), runs, 2000)
  }
  // Real CUDA API names too, so that the host side's tables (kinds, synchronisations) have rows.
  const api = [
    'cudaLaunchKernel',
    'cudaMemcpyAsync',
    'cudaStreamSynchronize',
    'cudaDeviceSynchronize',
    'cudaEventSynchronize',
    'cudaMalloc',
    'cudaFree'
  ]
  for (const [k, item] of tables.cudaApi!.entries()) if (k < api.length) item.name = api[k]!
  const sideRuns = (side: 'base' | 'head'): Profile[] =>
    Array.from({ length: runs }, (_, r) =>
      profile(
        Object.fromEntries(
          Object.entries(tables).map(([table, list]) => [
            table,
            Object.fromEntries(
              list
                .filter((i) => i[side] !== undefined)
                .map((i) => [i.name, [i[side]![r]!, i.instances] as [number, number]])
            )
          ])
        )
      )
    )
  return { base: sideRuns('base'), head: sideRuns('head'), tables, runs }
}

// ---- the independent reader --------------------------------------------------------------------

interface Block {
  /** The heading or <summary> text the table follows. */
  title: string
  header: string[]
  rows: string[][]
}

function decode(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
}

/** Every table of the rendered report, with the h4 or summary that comes before it. */
function blocks(markdown: string): { html: string; blocks: Block[] } {
  const html = micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()]
  })
  const out: Block[] = []
  let title = ''
  const token = /<h4>([\s\S]*?)<\/h4>|<summary>([\s\S]*?)<\/summary>|<table>([\s\S]*?)<\/table>/g
  let open: Block | undefined
  for (const m of html.matchAll(token)) {
    if (m[1] !== undefined || m[2] !== undefined) {
      // A heading or summary with no table after it (every row trimmed) is a block of no rows.
      title = decode(m[1] ?? m[2]!)
      open = { title, header: [], rows: [] }
      out.push(open)
      continue
    }
    const cells = (row: string, tag: string): string[] =>
      [...row.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((c) =>
        decode(c[1]!)
      )
    const rows = [...m[3]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => r[1]!)
    const block = {
      title,
      header: cells(rows[0]!, 'th'),
      rows: rows.slice(1).map((r) => cells(r, 'td'))
    }
    if (open && open.header.length === 0) Object.assign(open, block)
    else out.push(block)
    open = undefined
  }
  return { html, blocks: out }
}

const UNITS: Record<string, number> = {
  ns: 1,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  B: 1,
  kB: 1e3,
  MB: 1e6,
  GB: 1e9,
  call: 1,
  calls: 1
}

/** A printed quantity: its value and half the last printed digit (what rounding allows). */
function quantity(text: string): { value: number; within: number } {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?(?: (ns|µs|ms|s|B|kB|MB|GB|calls?))?$/u.exec(text.trim())
  if (!m) throw new Error(`not a quantity: ${JSON.stringify(text)}`)
  const factor = UNITS[m[4] ?? 'ns']!
  const digits = m[3]?.length ?? 0
  const value = Number(`${m[2]}.${m[3] ?? '0'}`) * factor * (m[1] === '-' ? -1 : 1)
  return { value, within: (0.5 * factor) / 10 ** digits }
}

function percent(text: string): { value: number; within: number } {
  const m = /^([+-]?)(\d+)\.(\d)%$/u.exec(text.trim())
  if (!m) throw new Error(`not a percentage: ${JSON.stringify(text)}`)
  return { value: Number(`${m[1]}${m[2]}.${m[3]}`), within: 0.05 }
}

/** `printed` says `actual`, to its precision (a relative 1e-9 for the float arithmetic). */
function says(printed: { value: number; within: number }, actual: number, what: string): void {
  const slack = printed.within + Math.abs(actual) * 1e-9 + 1e-9
  if (Math.abs(printed.value - actual) > slack)
    throw new Error(`${what}: printed ${printed.value} (±${printed.within}), actually ${actual}`)
}

/**
 * How the report may show a name: whole, or cut to its start and end around `…`, or to its
 * start, a part of its middle and its end (`start…middle…end`, names that would read alike
 * otherwise), in that order; in Markdown, `\` as `\u{5c}` in a name with `|`.
 */
function showsName(shown: string, name: string, markdown = true): boolean {
  const expected = markdown && name.includes('|') ? name.replace(/\\/g, '\\u{5c}') : name
  if (shown === expected) return true
  if (expected.includes('…')) return false
  const parts = shown.split('…')
  if (parts.length < 2 || parts.length > 3) return false
  const start = parts[0]!
  const end = parts[parts.length - 1]!
  if (start.length < 20 || end.length < 20) return false
  if (!expected.startsWith(start) || !expected.endsWith(end)) return false
  if (parts.length === 2) return start.length + end.length < expected.length
  const middle = parts[1]!
  const at = expected.indexOf(middle, start.length + 1)
  return middle.length > 0 && at > start.length && at + middle.length < expected.length - end.length
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

// ---- the checks --------------------------------------------------------------------------------

type RecordItem = {
  name: string
  status: string
  base: Record<string, number> | null
  head: Record<string, number> | null
  deltaPct: number | null
  sharePct: number
  gated: boolean
  threshold: number
  [field: string]: unknown
}
type RecordTable = {
  unit: Unit
  gated: boolean
  counts: Record<string, number>
  total: Record<string, number | string | boolean | null>
  items: RecordItem[]
}

function recordOf(comparison: Comparison): {
  verdict: string
  tables: Record<string, RecordTable>
} {
  return JSON.parse(JSON.stringify(comparisonToRecord(comparison))) as {
    verdict: string
    tables: Record<string, RecordTable>
  }
}

/** The record against the inputs: the sides' medians, the deltas, the single-run status. */
function checkRecordAgainstInputs(c: Case, record: ReturnType<typeof recordOf>): void {
  for (const [table, list] of Object.entries(c.tables) as [TableName, Item[]][]) {
    const t = record.tables[table]!
    const unit = t.unit
    const s = SUFFIX[unit]
    const byName = new Map(t.items.map((i) => [i.name, i]))
    expect(t.items.length, `${table}: one item per name`).toBe(list.length)
    const sumOf = (l: Item[] | undefined): number =>
      (l ?? []).reduce((sum, i) => sum + (i.base ? median(i.base) : 0), 0)
    // The floor is a share of the table's base total; memory-operation time's, of the GPU's
    // time: kernels and memory operations together (README, "How a change is judged").
    const baseTotal = sumOf(list) + (table === 'memTime' ? sumOf(c.tables.kernels) : 0)
    for (const item of list) {
      const r = byName.get(item.name)
      expect(r, `${table}: ${item.name}`).toBeDefined()
      const base = item.base ? median(item.base) : undefined
      const head = item.head ? median(item.head) : undefined
      expect(r!.base?.[`total${s}`], `${item.name} base`).toBe(base)
      expect(r!.head?.[`total${s}`], `${item.name} head`).toBe(head)
      expect(r!.status).toBe(
        base === undefined ? 'new' : head === undefined ? 'removed' : r!.status
      )
      if (base !== undefined && head !== undefined) {
        const pct = (100 * (head - base)) / base
        const delta = head - base
        const floor = (baseTotal * 0.1) / 100
        if (c.runs === 1) {
          // Thresholds only: past 5 % and past the floor (0.1 % of the base's total).
          const moved = Math.abs(pct) >= 5 && Math.abs(delta) >= floor
          const expected = !moved ? 'unchanged' : pct > 0 ? 'regressed' : 'improved'
          expect(r!.status, `${table}: ${item.name} ${pct.toFixed(3)}%`).toBe(expected)
          expect(r!.deltaPct!).toBeCloseTo(pct, 2)
        } else if (r!.status === 'regressed' || r!.status === 'improved') {
          // With repeated runs a test decides too, but never for a move under the limits (the
          // floor of a table total that is the median run's, not the sum of medians: within 2 %).
          const recorded = r![`floor${s}`] as number
          expect(Math.abs(recorded - floor) / floor, `${item.name}: floor`).toBeLessThan(0.02)
          expect(Math.abs(delta), `${item.name}: a move under the floor`).toBeGreaterThanOrEqual(
            recorded * (1 - 1e-9)
          )
          expect(Math.abs(pct), `${item.name}: a move under the threshold`).toBeGreaterThanOrEqual(
            5
          )
          expect(Math.sign(delta)).toBe(r!.status === 'regressed' ? 1 : -1)
        }
      }
    }
  }
}

/** The Markdown against the record: every row, every number, every count. */
function checkMarkdown(
  markdown: string,
  record: ReturnType<typeof recordOf>,
  whole: boolean
): void {
  const { blocks: found } = blocks(markdown)
  const heading = /^### (.+)$/mu.exec(markdown)?.[1] ?? ''
  const words: Record<string, RegExp> = {
    pass: /no GPU performance regression$/u,
    regression: /: GPU performance regression$/u,
    inconclusive: /inconclusive/u,
    accepted: /regression accepted$/u
  }
  expect(heading, `heading for ${record.verdict}`).toMatch(words[record.verdict]!)

  for (const [table, title] of Object.entries(TITLES) as [TableName, string][]) {
    const t = record.tables[table]
    if (!t) continue
    const unit = t.unit
    const s = SUFFIX[unit]
    if (t.items.length === 0) {
      // No rows on either side: named on one line, no block of its own.
      expect(markdown, `${title}: said to have no rows`).toMatch(
        new RegExp(`_No rows on either side: [^\n]*${title.replace(/[()]/g, '\\$&')}`, 'u')
      )
      continue
    }
    const full = found.filter((b) => b.title.startsWith(`${title}: `))
    expect(full.length, `${title}: one full table`).toBe(1)
    const block = full[0]!
    // The summary: totals, counts, gated or not.
    const summary =
      /^[^:]+: (.+?) → (.+?) \((.+?)\) · (\d+) regressed, (\d+) improved, (\d+) new, (\d+) removed, (\d+) unchanged(?: · (.+))?$/u.exec(
        block.title
      )
    expect(summary, block.title).not.toBeNull()
    says(quantity(summary![1]!), t.total[`base${s}`] as number, `${title} base total`)
    says(quantity(summary![2]!), t.total[`head${s}`] as number, `${title} head total`)
    if (t.total.deltaPct !== null)
      says(percent(summary![3]!), t.total.deltaPct as number, `${title} Δ %`)
    const counts = ['regressed', 'improved', 'new', 'removed', 'unchanged'].map(
      (k) => t.counts[k] ?? 0
    )
    expect(summary!.slice(4, 9).map(Number), `${title} counts`).toEqual(counts)
    const statuses = ['regressed', 'improved', 'new', 'removed', 'unchanged'].map(
      (k) => t.items.filter((i) => i.status === k).length
    )
    expect(counts, `${title}: counts are the items'`).toEqual(statuses)
    expect(summary![9] === undefined, `${title}: gated`).toBe(t.gated)

    const col = (label: string): number => block.header.indexOf(label)
    if (block.rows.length > 0) expect(col('Base')).toBeGreaterThan(0)
    if (whole) expect(block.rows.length, `${title}: every item a row`).toBe(t.items.length)
    const unmatched = new Set(t.items)
    const names = block.rows.map((r) => r[0]!)
    expect(new Set(names).size, `${title}: no two rows read alike`).toBe(names.length)
    for (const row of block.rows) {
      const candidates = [...unmatched].filter((i) => showsName(row[0]!, i.name))
      expect(candidates.length, `${title}: the row ${JSON.stringify(row[0])} is one item's`).toBe(1)
      const item = candidates[0]!
      unmatched.delete(item)
      checkRow(row, block.header, item, unit, `${title}: ${item.name}`)
    }
    if (!whole && block.rows.length < t.items.length) {
      const left = t.items.length - block.rows.length
      expect(markdown, `${title}: rows left out are said`).toContain(
        `${left} row${left === 1 ? '' : 's'} not shown`
      )
    }
  }

  // The line by category: each category's change and delta as the record has them, in bold
  // where it moved past the table's limits (reported, not gated).
  const categories = record.tables.categories
  if (categories && categories.items.length > 0) {
    const line = /^\*\*By category:\*\* (.+)$/mu.exec(markdown)?.[1]
    expect(line, 'a line by category').toBeDefined()
    const parts = new Map(
      line!.split(' · ').map((part) => {
        const m =
          /^(\*\*)?(.+?)\*{0,2} (new \((.+)\)|removed \((.+)\)|(\S+%)(?: \((.+)\))?)$/u.exec(part)
        expect(m, part).not.toBeNull()
        return [m![2]!, m!] as const
      })
    )
    for (const item of categories.items.slice(0, 12)) {
      const m = parts.get(item.name)
      expect(m, `category ${item.name} in the line`).toBeDefined()
      const moved = item.status === 'regressed' || item.status === 'improved'
      expect(m![1] !== undefined, `${item.name}: bold where it moved`).toBe(moved)
      if (item.status === 'new') says(quantity(m![4]!), item.head!.totalNs!, `${item.name} new`)
      else if (item.status === 'removed')
        says(quantity(m![5]!), -item.base!.totalNs!, `${item.name} removed`)
      else {
        says(percent(m![6]!), item.deltaPct!, `${item.name} Δ %`)
        if (m![7] !== undefined) says(quantity(m![7]), item.deltaNs as number, `${item.name} Δ`)
        else expect(item.deltaNs, `${item.name}: no delta shown, none there`).toBe(0)
      }
    }
  }

  // The sections above the tables: each lists only items of its status, each once.
  const kernels = record.tables.kernels
  if (kernels) {
    const sections: [RegExp, string][] = [
      [/^(?:Reported, not gated: )?Regressions \((\d+)\)$/u, 'regressed'],
      [/^Improvements \((\d+)\)$/u, 'improved'],
      [/^New kernels \((\d+)\)$/u, 'new'],
      [/^Removed kernels \((\d+)\)$/u, 'removed']
    ]
    for (const [pattern, status] of sections) {
      const of = kernels.items.filter((i) => i.status === status)
      const block = found.find((b) => pattern.test(b.title))
      if (of.length === 0) {
        expect(block, `no ${status} section`).toBeUndefined()
        continue
      }
      const heading4 = new RegExp(pattern.source.replace('^', '<h4>').replace('$', '</h4>'), 'u')
      if (!block) {
        // Trimmed to nothing: the heading stays, with its count, and says where the rows are.
        expect(whole, `a ${status} section`).toBe(false)
        continue
      }
      expect(Number(pattern.exec(block.title)![1]), `${status} count`).toBe(of.length)
      void heading4
      if (whole) expect(block.rows.length, `every ${status} kernel listed`).toBe(of.length)
      const unmatched = new Set(of)
      for (const row of block.rows) {
        const candidates = [...unmatched].filter((i) => showsName(row[0]!, i.name))
        expect(candidates.length, `${status}: ${JSON.stringify(row[0])}`).toBe(1)
        unmatched.delete(candidates[0]!)
        checkRow(
          row,
          block.header,
          candidates[0]!,
          kernels.unit,
          `${status}: ${candidates[0]!.name}`
        )
      }
    }
  }
}

function checkRow(
  row: string[],
  header: string[],
  item: RecordItem,
  unit: Unit,
  what: string
): void {
  const s = SUFFIX[unit]
  const cell = (label: string): string | undefined => {
    const k = header.indexOf(label)
    return k < 0 ? undefined : row[k]
  }
  const base = cell('Base')
  const head = cell('Head')
  if (base !== undefined) {
    if (item.base) says(quantity(base), item.base[`total${s}`]!, `${what} base`)
    else expect(base, `${what}: no base`).toBe('—')
  }
  if (head !== undefined) {
    if (item.head) says(quantity(head), item.head[`total${s}`]!, `${what} head`)
    else expect(head, `${what}: no head`).toBe('—')
  }
  const delta = cell('Δ')
  if (delta !== undefined) {
    const d = (item.head?.[`total${s}`] ?? 0) - (item.base?.[`total${s}`] ?? 0)
    says(quantity(delta), d, `${what} Δ`)
    expect(item[`delta${s}`], `${what}: the record's Δ`).toBeCloseTo(d, 2)
  }
  const pct = cell('Δ %')
  if (pct !== undefined) {
    if (item.deltaPct === null) expect(pct).toBe('n/a')
    else says(percent(pct), item.deltaPct, `${what} Δ %`)
  }
  const instances = cell('Instances')
  if (instances !== undefined) {
    // One count where the sides agree (or one side has the item), `base → head` where not.
    const [b, h] = instances.split(' → ')
    if (h === undefined)
      expect(Number(b), `${what} instances`).toBe((item.head ?? item.base!).instances)
    else {
      expect(Number(b), `${what} base instances`).toBe(item.base!.instances)
      expect(Number(h), `${what} head instances`).toBe(item.head!.instances)
      expect(b, `${what}: the arrow only where the counts differ`).not.toBe(h)
    }
  }
  const share = cell('Share') ?? cell('Share of head') ?? cell('Share of base')
  if (share !== undefined)
    says(percent(`+${share}`.replace('+-', '-')), item.sharePct, `${what} share`)
  // Repeated runs: the test's p and the confidence interval of Δ %, as the record has them.
  const p = cell('p')
  if (p !== undefined) {
    const sig = item.significance as
      { p: number; ciLowPct: number | null; ciHighPct: number | null } | undefined
    if (!sig) expect(p, `${what}: no test, no p`).toBe('')
    else {
      if (p === '<0.001') expect(sig.p).toBeLessThan(0.001)
      else says({ value: Number(p), within: 0.0005 }, sig.p, `${what} p`)
      const ci = /^(.+) … (.+)$/u.exec(cell('CI of Δ %') ?? '')
      expect(ci, `${what}: a confidence interval`).not.toBeNull()
      if (sig.ciLowPct !== null) says(percent(ci![1]!), sig.ciLowPct, `${what} CI low`)
      if (sig.ciHighPct !== null) says(percent(ci![2]!), sig.ciHighPct, `${what} CI high`)
    }
  }
  const status = cell('Status')
  if (status !== undefined) {
    const word = {
      regressed: 'regressed',
      improved: 'improved',
      new: 'new',
      removed: 'removed',
      unchanged: 'unchanged'
    }[item.status]!
    expect(status, `${what} status`).toContain(word)
  }
  const newOrRemoved = cell('Head') === undefined || cell('Base') === undefined
  if (newOrRemoved) {
    const value = cell('Head') ?? cell('Base')
    void value
  }
}

/** The terminal report (renderText) against the record: totals, counts, every changed item. */
function checkText(text: string, record: ReturnType<typeof recordOf>): void {
  const lines = text.split('\n')
  const titles: Record<string, string> = {
    regressed: 'Regressed',
    improved: 'Improved',
    new: 'New',
    removed: 'Removed'
  }
  for (const [table, title] of Object.entries(TITLES) as [TableName, string][]) {
    const t = record.tables[table]
    if (!t) continue
    const s = SUFFIX[t.unit]
    if (t.items.length === 0) continue
    const at = lines.findIndex((l) => l.startsWith(`${title}: `))
    expect(at, `${title} in the terminal report`).toBeGreaterThanOrEqual(0)
    const m =
      /^[^:]+: (.+?) -> (.+?) \((.+?)\); (\d+) regressed, (\d+) improved, (\d+) new, (\d+) removed, (\d+) unchanged( \(not gated\))?$/u.exec(
        lines[at]!
      )
    expect(m, lines[at]).not.toBeNull()
    says(quantity(m![1]!), t.total[`base${s}`] as number, `${title} base total (text)`)
    says(quantity(m![2]!), t.total[`head${s}`] as number, `${title} head total (text)`)
    expect(m!.slice(4, 9).map(Number)).toEqual(
      ['regressed', 'improved', 'new', 'removed', 'unchanged'].map((k) => t.counts[k] ?? 0)
    )
    expect(m![9] === undefined, `${title}: gated (text)`).toBe(t.gated)
    // The block of this table: up to the next blank line.
    let end = at + 1
    while (end < lines.length && lines[end] !== '') end++
    const block = lines.slice(at + 1, end)
    for (const status of ['regressed', 'improved', 'new', 'removed']) {
      const of = t.items.filter((i) => i.status === status)
      const start = block.indexOf(`  ${titles[status]}:`)
      if (of.length === 0) {
        expect(start, `${title}: no ${status} list`).toBe(-1)
        continue
      }
      expect(start, `${title}: a ${status} list`).toBeGreaterThanOrEqual(0)
      const rows: string[] = []
      for (let k = start + 1; k < block.length && block[k]!.startsWith('    '); k++)
        rows.push(block[k]!)
      const more = /^ {4}… and (\d+) more$/u.exec(rows[rows.length - 1] ?? '')
      if (more) rows.pop()
      expect(rows.length + Number(more?.[1] ?? 0), `${title}: every ${status} item counted`).toBe(
        of.length
      )
      const unmatched = new Set(of)
      const shownNames: string[] = []
      for (const row of rows) {
        const moved =
          /^ {4}\s*(\S+)\s+(\S+ \S+)\s+(\S+ \S+) -> (\S+ \S+)(?:\s+p=\S+)? {2}(.+)$/u.exec(row)
        const single = /^ {4}\s*(\S+ \S+)\s+x(\S+) {2}(.+)$/u.exec(row)
        const name = status === 'new' || status === 'removed' ? single?.[3] : moved?.[5]
        expect(name, `${title} ${status} row: ${row}`).toBeDefined()
        shownNames.push(name!)
        const candidates = [...unmatched].filter((i) => showsName(name!, i.name, false))
        expect(candidates.length, `${title} ${status}: ${JSON.stringify(name)}`).toBe(1)
        const item = candidates[0]!
        unmatched.delete(item)
        if (status === 'regressed' || status === 'improved') {
          const base = item.base![`total${s}`]!
          const head = item.head![`total${s}`]!
          if (item.deltaPct !== null) says(percent(moved![1]!), item.deltaPct, `${item.name} Δ %`)
          says(quantity(moved![3]!), base, `${item.name} base (text)`)
          says(quantity(moved![4]!), head, `${item.name} head (text)`)
          says(quantity(moved![2]!), head - base, `${item.name} Δ (text)`)
        } else {
          const side = status === 'new' ? item.head! : item.base!
          says(quantity(single![1]!), side[`total${s}`]!, `${item.name} value (text)`)
          expect(Number(single![2]), `${item.name} instances (text)`).toBe(side.instances)
        }
      }
      expect(new Set(shownNames).size, `${title} ${status}: no two rows alike (text)`).toBe(
        shownNames.length
      )
    }
  }
}

describe('the Markdown report read back (micromark, as GitHub renders it)', () => {
  const SEEDS = Array.from({ length: 24 }, (_, i) => 9100 + i)
  it.each(SEEDS)('seed %i: the record says what the inputs give', (seed) => {
    const c = generate(seed)
    const comparison = compareProfiles(c.base, c.head, buildRules(undefined))
    checkRecordAgainstInputs(c, recordOf(comparison))
  })
  it.each(SEEDS)('seed %i: every row and number of the whole report is the record’s', (seed) => {
    const c = generate(seed)
    const comparison = compareProfiles(c.base, c.head, buildRules(undefined))
    checkMarkdown(renderMarkdown(comparison), recordOf(comparison), true)
  })
  it.each(SEEDS)('seed %i: the terminal report says what the record says', (seed) => {
    const c = generate(seed)
    const comparison = compareProfiles(c.base, c.head, buildRules(undefined))
    checkText(renderText(comparison), recordOf(comparison))
  })
  it.each(SEEDS)(
    'seed %i: trimmed to a comment, what is shown is right and what is not is said',
    (seed) => {
      const c = generate(seed)
      const comparison = compareProfiles(c.base, c.head, buildRules(undefined))
      checkMarkdown(renderMarkdown(comparison, { maxChars: 6000 }), recordOf(comparison), false)
      checkMarkdown(
        renderMarkdown(comparison, { maxChars: COMMENT_LIMIT }),
        recordOf(comparison),
        false
      )
    }
  )
})

describe('names that differ only in their middle', () => {
  /** vLLM's FlashAttention split-KV kernel, causal or not: the flag sits in the cut middle. */
  const flash = (causal: boolean): string =>
    `void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, ${causal}, false, false, false, true, true, false, false>(flash::Flash_fwd_params)`

  function comparison(): Comparison {
    const base = profile({ kernels: { [flash(true)]: 100_000_000, [flash(false)]: 100_000_000 } })
    const head = profile({ kernels: { [flash(true)]: 130_000_000, [flash(false)]: 100_000_000 } })
    return compareProfiles([base], [head], buildRules(undefined))
  }

  it('are told apart in the comment: the regressed row shows its own flag', () => {
    const { blocks: found } = blocks(renderMarkdown(comparison(), { maxChars: COMMENT_LIMIT }))
    const full = found.find((b) => b.title.startsWith('GPU kernels: '))!
    const [regressed, unchanged] = [
      full.rows.find((r) => r[1]!.includes('regressed'))![0]!,
      full.rows.find((r) => r[1]!.includes('unchanged'))![0]!
    ]
    expect(regressed).not.toBe(unchanged)
    expect(regressed).toContain('>>, true, false')
    expect(unchanged).toContain('>>, false, false')
    expect(showsName(regressed, flash(true))).toBe(true)
    expect(showsName(unchanged, flash(false))).toBe(true)
    const section = found.find((b) => b.title.startsWith('Regressions'))!
    expect(section.rows[0]![0]).toBe(regressed)
  })

  it('are told apart in the terminal report', () => {
    const text = renderText(comparison())
    const lines = text.split('\n').filter((l) => l.includes('flash::flash_fwd_splitkv'))
    const regressed = lines.find((l) => l.includes('+30.0%'))!
    expect(regressed).toContain('>>, true, false')
    // The terminal lists what changed: the other kernel has no line to be confused with, but
    // its name is not what this line shows.
    expect(regressed).not.toContain('>>, false, false')
  })

  it('are told apart in the terminal summary of a profile', () => {
    const p = profile({ kernels: { [flash(true)]: 130_000_000, [flash(false)]: 100_000_000 } })
    const lines = renderProfileText(p)
      .split('\n')
      .filter((l) => l.includes('flash::flash_fwd_splitkv'))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain('>>, true, false')
    expect(lines[1]).toContain('>>, false, false')
  })

  it('are told apart in the drifts of the job summary', () => {
    const drift = (causal: boolean, pct: number): Drift => ({
      table: 'kernels',
      key: flash(causal),
      name: flash(causal),
      runs: 3,
      reference: 100,
      latest: 100 + pct,
      pct,
      worse: pct > 0
    })
    const { blocks: found } = blocks(driftMarkdown([drift(true, 12), drift(false, -9)], 30))
    const [first, second] = found[0]!.rows.map((r) => r[0]!)
    expect(first).toContain('>>, true, false')
    expect(second).toContain('>>, false, false')
    expect(showsName(first!, flash(true)) && showsName(second!, flash(false))).toBe(true)
  })

  it('a changed variant shows both of its names apart (old → new), in the comment and the terminal', () => {
    // The causal kernel gone, the non-causal one new: one family, paired as a changed variant.
    const base = profile({ kernels: { [flash(true)]: 100_000_000, other: 50_000_000 } })
    const head = profile({ kernels: { [flash(false)]: 130_000_000, other: 50_000_000 } })
    const comparison = compareProfiles([base], [head], buildRules(undefined))
    const item = comparison.tables[0]!.items.find((i) => i.variant)
    expect(item, 'paired as a changed variant').toBeDefined()
    const { blocks: found } = blocks(renderMarkdown(comparison, { maxChars: COMMENT_LIMIT }))
    const row = found
      .find((b) => b.title.startsWith('GPU kernels: '))!
      .rows.find((r) => r[0]!.includes(' → '))![0]!
    const [from, to] = row.split(' → ')
    expect(from).toContain('>>, true, false')
    expect(to).toContain('>>, false, false')
    expect(showsName(from!, flash(true)) && showsName(to!, flash(false))).toBe(true)
    const line = renderText(comparison)
      .split('\n')
      .find((l) => l.includes('variant changed'))!
    const [textFrom, textTo] = line.slice(line.indexOf('): ') + 3).split(' -> ')
    expect(textFrom).toContain('true, false')
    expect(textTo).toContain('false, false')
  })

  it('any family: every shown name distinct, within the length, the name’s own start, middle and end', () => {
    const random = seededRandom(77)
    for (let round = 0; round < 200; round++) {
      const stem = 'x'.repeat(150 + Math.floor(random() * 300))
      const count = 2 + Math.floor(random() * 12)
      const names = new Set<string>()
      while (names.size < count) {
        const at = 60 + Math.floor(random() * (stem.length - 120))
        names.add(`${stem.slice(0, at)}${Math.floor(random() * 1e6)}${stem.slice(at)}`)
      }
      const max = [60, 100, 160, 200][round % 4]!
      const shown = shortenApart(names, max)
      const texts = [...names].map((n) => shown(n))
      expect(new Set(texts).size, `round ${round}`).toBe(names.size)
      for (const [k, n] of [...names].entries()) {
        expect(showsName(texts[k]!, n) || texts[k]!.length <= max * 4).toBe(true)
        if (texts[k]!.split('…').length === 3) expect(texts[k]!.length).toBeLessThanOrEqual(max)
      }
    }
  })
})

describe('a difference that rounds to nothing', () => {
  it('reads 0 ns, unsigned, in the comment and the terminal (was -0 ns)', () => {
    // Medians of runs can be fractions: 100.5 against 100.2 ns is a 0.3 ns drop.
    const base = profile({ kernels: { tiny: 100.5, big: 1e9 } })
    const head = profile({ kernels: { tiny: 100.2, big: 1e9 } })
    const comparison = compareProfiles([base], [head], buildRules(undefined))
    const { blocks: found } = blocks(renderMarkdown(comparison))
    const full = found.find((b) => b.title.startsWith('GPU kernels: '))!
    const row = full.rows.find((r) => r[0] === 'tiny')!
    expect(row[full.header.indexOf('Δ')]).toBe('0 ns')
    expect(renderMarkdown(comparison)).not.toContain('-0 ns')
    expect(renderText(comparison)).not.toContain('-0 ns')
  })
})

describe('the terminal summary of a profile read back (summarize)', () => {
  it.each(Array.from({ length: 12 }, (_, i) => 9300 + i))(
    'seed %i: every table’s total and rows, largest first, with their share, count and average',
    (seed) => {
      const c = generate(seed)
      const p = c.base[0]!
      const lines = renderProfileText(p, { rows: 20 }).split('\n')
      for (const [table, title] of Object.entries(TITLES) as [TableName, string][]) {
        const rows = p.tables[table]
        if (!rows) continue
        const stats = [...rows.values()]
        const at = lines.findIndex((l) => l.startsWith(`${title} (`))
        expect(at, title).toBeGreaterThanOrEqual(0)
        if (stats.length === 0) {
          expect(lines[at], `${title}: empty`).toMatch(/: no data$/u)
          continue
        }
        const total = stats.reduce((s, r) => s + r.total, 0)
        const head = /: (\d+) items?, total (.+)$/u.exec(lines[at]!)
        expect(Number(head![1]), `${title}: items`).toBe(stats.length)
        says(quantity(head![2]!), total, `${title}: total`)
        // Largest first (ties in any order), the first 20, then how many more.
        const expected = [...stats].sort((a, b) => b.total - a.total)
        const shown = Math.min(20, expected.length)
        const body = lines.slice(at + 2, at + 2 + shown)
        const names: string[] = []
        for (const [k, line] of body.entries()) {
          const m = /^ {2}\s*(\S+ \S+)\s+(\S+)%\s+(\S+)\s+(\S+ \S+) {2}(.+)$/u.exec(line)
          expect(m, `${title}: ${line}`).not.toBeNull()
          const stat = expected[k]!
          const same = expected.filter((s) => s.total === stat.total)
          const mine = same.find((s) => showsName(m![5]!, s.name, false))
          expect(mine, `${title}: row ${k} ${JSON.stringify(m![5])}`).toBeDefined()
          says(quantity(m![1]!), mine!.total, `${mine!.name} total`)
          says(percent(`+${m![2]!}%`), (100 * mine!.total) / total, `${mine!.name} share`)
          expect(Number(m![3]), `${mine!.name} count`).toBe(mine!.instances)
          says(quantity(m![4]!), mine!.avg, `${mine!.name} average`)
          names.push(m![5]!)
        }
        expect(new Set(names).size, `${title}: no two rows alike`).toBe(names.length)
        const more = lines[at + 2 + shown] ?? ''
        if (expected.length > 20)
          expect(more).toBe(`  … and ${expected.length - 20} more (--json for all)`)
        else expect(more.startsWith('  ') && !more.startsWith('  …')).toBe(false)
      }
    }
  )
})
