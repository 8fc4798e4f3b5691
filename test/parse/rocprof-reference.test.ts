import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadInput } from '../../src/load/index.js'
import { sniffFormat } from '../../src/load/sniff.js'
import { canonicalKey, type Profile, type Table } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'
import { seededRandom } from '../support/random.js'

/**
 * The rocprof loader checked against a reader written here, independently of it: a plain
 * RFC 4180 splitter (character by character), then the kernel table built from the format's
 * columns (rocprofv3 kernel_trace.csv: one row per dispatch, End_Timestamp − Start_Timestamp in
 * BigInt, so timestamps past 2^53 ns are exact; rocprofv3 kernel_stats.csv and rocprof v1
 * results.stats.csv: one row per kernel). Every real file of the repository's rocprof fixtures
 * and many generated files with hostile features are read by both and compared number for number.
 * The only thing shared with the code under test is the kernel-name key (src/profile/keys.ts),
 * which is not what is checked here.
 */

// ---------------------------------------------------------------------------------------------
// The reference reader.

interface RefRecord {
  cells: string[]
  line: number
  /** A blank line came before it. */
  afterBlank: boolean
}

/**
 * RFC 4180 records; a blank line is no record; a UTF-8 BOM starting a line is not data (the
 * start of a file, of files joined with `cat` too).
 */
function csvRecords(input: string): RefRecord[] {
  const text = input.replace(/(^|\n)\uFEFF/g, '$1')
  const out: RefRecord[] = []
  let afterBlank = false
  let cells: string[] = []
  let cell = ''
  let quoted = false
  let line = 1
  let recordLine = 1
  let blank = true
  const endCell = (): void => {
    cells.push(cell)
    cell = ''
  }
  const endRecord = (): void => {
    endCell()
    if (!(blank && cells.length === 1 && cells[0] === '')) {
      out.push({ cells, line: recordLine, afterBlank })
      afterBlank = false
    } else afterBlank = true
    cells = []
    blank = true
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i++
        } else quoted = false
      } else if (ch === '\r' && text[i + 1] === '\n') {
        // A line break inside a quoted cell of a CRLF file: one \n.
      } else {
        if (ch === '\n') line++
        cell += ch
      }
      continue
    }
    if (ch === '"' && cell === '') {
      quoted = true
      blank = false
    } else if (ch === ',') {
      endCell()
      blank = false
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++
      endRecord()
      line++
      recordLine = line
    } else {
      cell += ch
      blank = false
    }
  }
  if (cell !== '' || cells.length > 0) endRecord()
  return out
}

interface RefRow {
  name: string
  total: bigint
  instances: number
  min: bigint
  max: bigint
}

interface RefTable {
  kind: 'trace' | 'stats'
  rows: Map<string, RefRow>
  /** Rows that cannot be read honestly (End < Start, not numbers, inconsistent stats). */
  bad: number
  /** Trace rows of another Kind than KERNEL_DISPATCH. */
  others: number
}

const INTEGER = /^\d+$/

/** A decimal as rocprof prints it; undefined when it is not one. */
function decimal(cell: string): number | undefined {
  const t = cell.trim()
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined
  return Number(t)
}

const STATS = ['Name', 'Calls', 'TotalDurationNs', 'AverageNs', 'Percentage']
const STATS_V3 = [...STATS, 'MinNs', 'MaxNs', 'StdDev']

function headerKind(cells: string[]): 'trace' | 'stats' | undefined {
  const names = cells.map((c) => c.replace(/\s+/g, ''))
  if (['Kernel_Name', 'Start_Timestamp', 'End_Timestamp'].every((n) => names.includes(n)))
    return 'trace'
  if (names.join() === STATS.join() || names.join() === STATS_V3.join()) return 'stats'
  return undefined
}

function add(rows: Map<string, RefRow>, name: string, row: Omit<RefRow, 'name'>): void {
  const key = canonicalKey('kernels', name)
  const have = rows.get(key)
  if (!have) rows.set(key, { name, ...row })
  else {
    have.total += row.total
    have.instances += row.instances
    if (row.min < have.min) have.min = row.min
    if (row.max > have.max) have.max = row.max
  }
}

/**
 * The kernel tables of a text, one per header, in order. A table's rows are the records of its
 * header's width after it; a record of another width inside it counts as bad if it has commas,
 * and ends it if it has none or comes after a blank line (prose around the CSV in a pasted text).
 */
function referenceTables(text: string): RefTable[] {
  const tables: RefTable[] = []
  let table: RefTable | undefined
  let columns: Map<string, number> = new Map()
  let width = 0
  let v1 = false
  for (const { cells, afterBlank } of csvRecords(text)) {
    const kind = headerKind(cells)
    if (kind) {
      table = { kind, rows: new Map(), bad: 0, others: 0 }
      tables.push(table)
      columns = new Map(cells.map((c, i) => [c.replace(/\s+/g, ''), i]))
      width = cells.length
      v1 = width === 5
      continue
    }
    if (!table) continue
    if (cells.length !== width) {
      if (cells.length > 1 && !afterBlank) table.bad++
      else table = undefined
      continue
    }
    const get = (n: string): string => cells[columns.get(n)!] ?? ''
    if (table.kind === 'trace') {
      if (columns.has('Kind') && get('Kind') !== 'KERNEL_DISPATCH') {
        table.others++
        continue
      }
      const start = get('Start_Timestamp').trim()
      const end = get('End_Timestamp').trim()
      const name = get('Kernel_Name').trim()
      if (
        !INTEGER.test(start) ||
        !INTEGER.test(end) ||
        name === '' ||
        BigInt(end) < BigInt(start)
      ) {
        table.bad++
        continue
      }
      const d = BigInt(end) - BigInt(start)
      add(table.rows, name, { total: d, instances: 1, min: d, max: d })
    } else {
      const name = get('Name').trim()
      const calls = decimal(get('Calls'))
      const total = decimal(get('TotalDurationNs'))
      const avg = decimal(get('AverageNs'))
      const min = v1 ? 0 : decimal(get('MinNs'))
      const max = v1 ? total : decimal(get('MaxNs'))
      const stdDev = v1 ? 0 : decimal(get('StdDev'))
      if (
        stdDev === undefined ||
        name === '' ||
        calls === undefined ||
        total === undefined ||
        avg === undefined ||
        min === undefined ||
        max === undefined ||
        !Number.isInteger(calls) ||
        !Number.isInteger(total) ||
        // The average as printed: whole ns truncated (v1) or 6 decimals (v3).
        Math.abs(avg * calls - total) > calls * (v1 ? 1 : 1e-6) + 1e-9 * total ||
        min > avg + 1 ||
        avg > max + 1
      ) {
        table.bad++
        continue
      }
      add(table.rows, name, {
        total: BigInt(total),
        instances: calls,
        min: BigInt(Math.round(min)),
        max: BigInt(Math.round(max))
      })
    }
  }
  return tables
}

// ---------------------------------------------------------------------------------------------
// Comparison.

const codes = (p: Profile): string[] => p.meta.notes.map((n) => n.code)

function expectSameTable(actual: Table | undefined, ref: RefTable, what: string): void {
  expect(actual, what).toBeDefined()
  const got = actual!
  expect([...got.keys()].sort(), what).toEqual([...ref.rows.keys()].sort())
  for (const [key, want] of ref.rows) {
    const row = got.get(key)!
    const where = `${what}: ${JSON.stringify(key)}`
    expect(row.name, where).toBe(want.name)
    expect(row.instances, where).toBe(want.instances)
    // Exact integers, or the loader must not claim them.
    expect(Number.isSafeInteger(row.total), where).toBe(true)
    expect(BigInt(row.total), where).toBe(want.total)
    expect(BigInt(row.min), where).toBe(want.min)
    expect(BigInt(row.max), where).toBe(want.max)
    const avg = want.instances > 0 ? Number(want.total) / want.instances : 0
    expect(Math.abs(row.avg - avg), where).toBeLessThanOrEqual(1e-9 * Math.max(1, avg))
  }
}

/** The loader's runs of a file against the reference's tables, one capture a table. */
async function expectSameAsReference(
  path: string,
  format?: 'rocprof' | 'rocprofv3'
): Promise<Profile[]> {
  const ref = referenceTables(readFileSync(path, 'utf8')).filter((t) => t.rows.size + t.bad > 0)
  const runs = await loadInput(path, { captures: 'runs', ...(format ? { format } : {}) })
  // A table of API calls (rocprof v1's hsa_stats.csv) is read as such: the same numbers.
  const kernelRuns = runs.filter((r) => (r.tables.kernels ?? r.tables.cudaApi) !== undefined)
  expect(kernelRuns.length, path).toBe(ref.length)
  ref.forEach((table, i) => {
    const run = kernelRuns[i]!
    expectSameTable(run.tables.kernels ?? run.tables.cudaApi, table, `${path} capture ${i + 1}`)
    // Rows left out are never silent.
    if (table.bad > 0) expect(codes(run), path).toContain('rows-unreadable')
    else expect(codes(run), path).not.toContain('rows-unreadable')
  })
  return runs
}

// ---------------------------------------------------------------------------------------------
// Generated files.

/** Kernel names with what CSV must carry: commas, quotes, unicode, control characters. */
const NAMES = [
  'plain_kernel',
  'void gemm<float, 4>(float const*, float*, int, int)',
  'say "hi", then "bye"',
  '"quoted at both ends"',
  'ядро_核_µs_🚀',
  'tab\there\u0001ctl\u007fdel',
  'Cijk_Ailk_Bljk_HHS_BH_MT64x64x32_MI16x16x16x1 [clone .kd]',
  'line\nbreak(int)',
  'trailing comma,',
  ',leading comma'
]

const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`

interface TraceOptions {
  seed: number
  dispatches: number
  /** The first dispatch's start (ns since boot). */
  base: bigint
  crlf?: boolean
  bom?: boolean
  /** Agent_Id as ROCm 6.3+ writes it ("Agent 2") rather than an integer. */
  agentText?: boolean
  shuffle?: boolean
  extraColumns?: boolean
  /** Lines left blank between rows, at random. */
  blankLines?: boolean
  /** Some dispatches end before they start (a damaged row). */
  endBeforeStart?: boolean
  /** Rows of another Kind (a merged trace). */
  otherKinds?: boolean
}

const TRACE_COLUMNS = [
  'Kind',
  'Agent_Id',
  'Queue_Id',
  'Stream_Id',
  'Thread_Id',
  'Dispatch_Id',
  'Kernel_Id',
  'Kernel_Name',
  'Correlation_Id',
  'Start_Timestamp',
  'End_Timestamp',
  'LDS_Block_Size',
  'Scratch_Size',
  'VGPR_Count',
  'Accum_VGPR_Count',
  'SGPR_Count',
  'Workgroup_Size_X',
  'Workgroup_Size_Y',
  'Workgroup_Size_Z',
  'Grid_Size_X',
  'Grid_Size_Y',
  'Grid_Size_Z'
]

function kernelTrace(o: TraceOptions): string {
  const r = seededRandom(o.seed)
  let columns = [...TRACE_COLUMNS]
  if (o.extraColumns) columns.splice(3, 0, 'Some_Future_Column', 'Another,One')
  if (o.shuffle)
    columns = columns
      .map((c) => [r(), c] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, c]) => c)
  const lines = [columns.map(quote).join(',')]
  let t = o.base
  for (let i = 0; i < o.dispatches; i++) {
    const name = NAMES[Math.floor(r() * NAMES.length)]!
    // Mostly short kernels; some zero-length; a few seconds long.
    const u = r()
    const duration =
      u < 0.05 ? 0n : u > 0.97 ? BigInt(Math.floor(r() * 5e9)) : BigInt(Math.floor(r() * 2e6))
    let start = t + BigInt(Math.floor(r() * 1e4))
    let end = start + duration
    if (o.endBeforeStart && r() < 0.05 && duration > 0n) [start, end] = [end, start]
    t = start + 1000n
    const agent = 1 + Math.floor(r() * 2)
    const kind = o.otherKinds && r() < 0.1 ? 'MEMORY_COPY' : 'KERNEL_DISPATCH'
    const cell: Record<string, string> = {
      Kind: quote(kind),
      Agent_Id: o.agentText ? quote(`Agent ${agent}`) : String(agent),
      Queue_Id: String(1 + Math.floor(r() * 3)),
      Stream_Id: '0',
      Thread_Id: '4242',
      Dispatch_Id: String(i + 1),
      Kernel_Id: String(10 + NAMES.indexOf(name)),
      Kernel_Name: quote(name),
      Correlation_Id: String(i + 7),
      Start_Timestamp: String(start),
      End_Timestamp: String(end),
      Some_Future_Column: quote('x, "y"'),
      'Another,One': '3.5e-02'
    }
    lines.push(columns.map((c) => cell[c] ?? '64').join(','))
    if (o.blankLines && r() < 0.1) lines.push('')
  }
  const eol = o.crlf ? '\r\n' : '\n'
  return (o.bom ? '\uFEFF' : '') + lines.join(eol) + eol
}

interface StatsOptions {
  seed: number
  rows: number
  v1?: boolean
  crlf?: boolean
  bom?: boolean
  /** One row whose total is not calls × average. */
  inconsistent?: boolean
}

function kernelStats(o: StatsOptions): string {
  const r = seededRandom(o.seed)
  const header = o.v1 ? STATS : STATS_V3
  const rows: string[] = []
  const names = NAMES.slice(0, o.rows)
  const totals = names.map(() => 1 + Math.floor(r() * 1e9))
  const sum = totals.reduce((a, b) => a + b, 0)
  names.forEach((name, i) => {
    const calls = 1 + Math.floor(r() * 5000)
    let total = Math.max(totals[i]!, calls)
    const avg = total / calls
    if (o.inconsistent && i === 1) total += 10 * calls
    const share = (100 * totals[i]!) / sum
    const cells = [quote(name), String(calls), String(total)]
    if (o.v1) cells.push(String(Math.floor(avg)), String(share))
    else {
      const min = Math.floor(avg / 2)
      const max = Math.ceil(avg * 2)
      cells.push(avg.toFixed(6), share >= 1 ? share.toFixed(2) : share.toExponential(3))
      cells.push(String(min), String(max), (avg / 3).toFixed(6))
    }
    rows.push(cells.join(','))
  })
  const eol = o.crlf ? '\r\n' : '\n'
  return (o.bom ? '\uFEFF' : '') + [header.map(quote).join(','), ...rows].join(eol) + eol
}

const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-rocprof-ref-'))
let written = 0
function write(name: string, text: string): string {
  const path = join(dir, `${++written}_${name}`)
  writeFileSync(path, text)
  return path
}

// ---------------------------------------------------------------------------------------------

describe('rocprof loader against an independent reader', () => {
  it('every real rocprof file of the repository', async () => {
    const dirs = [join(FIXTURES, 'corpus', 'rocm'), join(FIXTURES, 'rocprof')]
    let compared = 0
    for (const d of dirs)
      for (const f of readdirSync(d).filter((n) => !n.endsWith('.md'))) {
        const path = join(d, f)
        const ref = referenceTables(readFileSync(path, 'utf8'))
        if (!ref.some((t) => t.rows.size > 0)) continue
        await expectSameAsReference(path)
        compared++
      }
    expect(compared).toBe(6)
  })

  it('the real trace row by hand: 4484384343935074 − 4484384343929154 = 5920 ns', () => {
    const [trace] = referenceTables(
      readFileSync(join(FIXTURES, 'rocprof', 'rocprofv3_kernel_trace_rocm-6.2.csv'), 'utf8')
    )
    expect(trace?.rows.get('__amd_rocclr_fillBufferAligned')?.total).toBe(5920n)
  })

  const BASES: [string, bigint][] = [
    ['52 days up (the corpus)', 4484384343929154n],
    ['just past 2^53 ns', 2n ** 53n + 12_345n],
    ['19 digits', 1_800_000_000_123_456_789n],
    ['near 2^64', 18_446_744_000_000_000_000n]
  ]

  it.each(BASES)('generated kernel traces, timestamps %s', async (_what, base) => {
    const variants: Omit<TraceOptions, 'seed' | 'dispatches' | 'base'>[] = [
      {},
      { crlf: true },
      { agentText: true, shuffle: true },
      { extraColumns: true, shuffle: true, crlf: true },
      { otherKinds: true },
      { endBeforeStart: true }
    ]
    for (const [i, v] of variants.entries()) {
      const path = write(
        'kernel_trace.csv',
        kernelTrace({ seed: 100 + i, dispatches: 300, base, ...v })
      )
      // Columns in another order are found by name, and the file is told for a kernel trace
      // by its header's columns in any order.
      expect(sniffFormat(path, 'text')).toBe('rocprofv3')
      await expectSameAsReference(path)
    }
  })

  it('a UTF-8 BOM before the header', async () => {
    for (const base of [4484384343929154n, 2n ** 60n]) {
      const path = write(
        'kernel_trace.csv',
        kernelTrace({ seed: 7, dispatches: 50, base, bom: true })
      )
      await expectSameAsReference(path)
    }
    for (const v1 of [false, true]) {
      const path = write(
        v1 ? 'results.stats.csv' : 'kernel_stats.csv',
        kernelStats({ seed: 8, rows: 8, v1, bom: true })
      )
      await expectSameAsReference(path)
    }
  })

  it('blank lines between the rows of a kernel trace', async () => {
    const path = write(
      'kernel_trace.csv',
      kernelTrace({ seed: 11, dispatches: 200, base: 4484384343929154n, blankLines: true })
    )
    await expectSameAsReference(path)
  })

  it('generated kernel stats (v3 and v1), CRLF, a row whose total is not calls × average', async () => {
    for (const [i, o] of (
      [
        {},
        { crlf: true },
        { inconsistent: true },
        { v1: true },
        { v1: true, crlf: true, inconsistent: true }
      ] as Omit<StatsOptions, 'seed' | 'rows'>[]
    ).entries()) {
      const path = write(
        o.v1 ? 'results.stats.csv' : 'kernel_stats.csv',
        kernelStats({ seed: 30 + i, rows: NAMES.length, ...o })
      )
      await expectSameAsReference(path)
    }
  })

  it('files joined with cat (a header repeated, a BOM before each): one capture each', async () => {
    const a = kernelTrace({ seed: 51, dispatches: 40, base: 2n ** 55n, bom: true })
    const b = kernelTrace({ seed: 52, dispatches: 40, base: 2n ** 55n + 10n ** 12n, bom: true })
    const path = write('kernel_trace.csv', a + b)
    await expect(loadInput(path)).rejects.toThrow(/holds 2 captures/)
    const runs = await expectSameAsReference(path)
    expect(runs).toHaveLength(2)
    const s1 = kernelStats({ seed: 53, rows: 6, bom: true })
    const s2 = kernelStats({ seed: 54, rows: 6, bom: true, crlf: true })
    expect(await expectSameAsReference(write('kernel_stats.csv', s1 + s2))).toHaveLength(2)
  })

  it('stats joined without the second header: its shares pass 100 %, said, and the verdict is inconclusive', async () => {
    for (const v1 of [false, true]) {
      const s1 = kernelStats({ seed: 55, rows: 6, v1 })
      // The second file's rows without its header: other kernels (seed) in the first's table.
      const s2 = kernelStats({ seed: 56, rows: 8, v1 }).split('\n').slice(1).join('\n')
      const joined = write(v1 ? 'results.stats.csv' : 'kernel_stats.csv', s1 + s2)
      const [run] = await loadInput(joined)
      // The two files' Percentage columns, each adding up to 100 (printed to 2 decimals or
      // exponent form: within a rounding step).
      const note = run!.meta.notes.find((n) => n.code === 'rows-extra')
      expect(note?.severity).toBe('warning')
      expect(note?.table).toBe('kernels')
      expect(note?.message).toMatch(/add up to (199\.\d|200(\.\d)?)%, more than 100%/)
      const [whole] = await loadInput(
        write('kernel_stats.csv', kernelStats({ seed: 55, rows: 6, v1 }))
      )
      expect(whole!.meta.notes.map((n) => n.code)).not.toContain('rows-extra')
      const c = compareProfiles([whole!], [run!], buildRules({}))
      expect(c.evidence.head.incomplete).toEqual(['rows-extra:kernels'])
      expect(c.gate.verdict).toBe('inconclusive')
      expect(c.gate.reasons.map((r) => r.code)).toEqual(['input-incomplete'])
    }
  })

  it('blank lines inside a table: the rows after them are read, and said', async () => {
    const trace = kernelTrace({
      seed: 61,
      dispatches: 120,
      base: 2n ** 54n,
      blankLines: true,
      crlf: true
    })
    const [run] = await expectSameAsReference(write('kernel_trace.csv', trace))
    expect(codes(run!)).toContain('table-blank-lines')
    const stats = kernelStats({ seed: 62, rows: NAMES.length }).replace(
      /\n(?=")/g,
      (m, at: number) => (at % 2 === 0 ? '\n\n' : m)
    )
    await expectSameAsReference(write('kernel_stats.csv', stats))
    // Prose after a blank line still ends a table pasted in text; its rows are all read.
    const text = `${kernelStats({ seed: 63, rows: 4 })}\nThe second file has one row per dispatch, see "below", 2 columns.\n"An unclosed quote, in prose\n`
    const [pasted] = await expectSameAsReference(write('notes.txt', text))
    expect(codes(pasted!)).not.toContain('rows-unreadable')
  })

  it('timestamps a double cannot hold exactly are left out and counted, never rounded', async () => {
    const header = TRACE_COLUMNS.map(quote).join(',')
    const row = (name: string, start: string, end: string): string =>
      TRACE_COLUMNS.map((c) =>
        c === 'Kind'
          ? '"KERNEL_DISPATCH"'
          : c === 'Kernel_Name'
            ? quote(name)
            : c === 'Start_Timestamp'
              ? start
              : c === 'End_Timestamp'
                ? end
                : '1'
      ).join(',')
    const text = [
      header,
      // 2^53 + 1 and 2^53 + 4 in scientific notation: 3 ns, which doubles make 4.
      row('sci', '9.007199254740993e+15', '9.007199254740996e+15'),
      // More digits than a uint64 holds (not rocprofv3's): 1000 ns, which doubles make 0.
      row('long', '1234567890123456789012', '1234567890123456790012'),
      // With a decimal point past 2^53: 3 ns, which doubles make 4.
      row('dec', '9007199254740993.0', '9007199254740996.0'),
      // A duration past 2^53 ns (104 days): a damaged row, whose double is not exact either.
      row('huge', '1', '18446744073709551615'),
      // Exact: 16 digits; scientific notation below 2^53 (exact as a double).
      row('ok', '9007199254740993', '9007199254741993'),
      row('small', '4.484384343929154e+15', '4484384343935074'),
      ''
    ].join('\n')
    const [run] = await loadInput(write('kernel_trace.csv', text))
    // By hand: 9007199254741993 − 9007199254740993 = 1000; 4484384343935074 − 4484384343929154 = 5920.
    expect([...run!.tables.kernels!.values()].map((r) => [r.name, r.total])).toEqual([
      ['ok', 1000],
      ['small', 5920]
    ])
    expect(run!.meta.notes.find((n) => n.code === 'rows-unreadable')?.message).toMatch(
      /4 dispatches .*\(lines 2, 3, 4, 5\)/
    )
  })

  it('a kernel trace without End_Timestamp, or stats with unknown or reordered columns: refused', async () => {
    const trace = kernelTrace({ seed: 71, dispatches: 5, base: 1n << 40n })
    const noEnd = trace.replace('"End_Timestamp"', '"End"')
    await expect(
      loadInput(write('kernel_trace.csv', noEnd), { format: 'rocprofv3' })
    ).rejects.toThrow(/found no rocprof table/)
    const stats = kernelStats({ seed: 72, rows: 3 })
    const extra = stats
      .replace('"StdDev"', '"StdDev","Extra"')
      .replace(/\n(?=")/g, ',1\n')
      .replace(/\n$/, ',1\n')
    await expect(loadInput(write('kernel_stats.csv', extra))).rejects.toThrow()
    const swapped = stats.replace('"Calls","TotalDurationNs"', '"TotalDurationNs","Calls"')
    await expect(loadInput(write('kernel_stats.csv', swapped))).rejects.toThrow()
  })
})
