/**
 * Mutation operators: each takes the bytes of a real input (an nsys stats capture, a report CSV,
 * a profile JSON) and a few parameters drawn by fast-check, and returns new bytes. Every operator
 * has a name: failures are grouped by it. Parameters are small plain values (positions are
 * fractions in ten-thousandths, so they fit any file and shrink towards its start), which keeps a
 * case a short, replayable recipe.
 */
import fc from 'fast-check'
import { HOSTILE_NAMES, HOSTILE_NOTES, PROSE_LINES } from './payloads.js'

/** One applied operator, as stored in a recipe. */
export interface OpCall {
  op: string
  p: unknown
}

export interface MutationContext {
  /** The bytes of another seed input (for operators that join captures). */
  read(id: string): Buffer
}

/** What the arbitraries may draw from. */
export interface ArbitraryEnv {
  /** Ids of text seeds (for `concat`). */
  textSeeds: readonly string[]
}

type Kind = 'text' | 'json' | 'any'

interface Operator<P> {
  name: string
  /** Text inputs (stats output), profile JSONs, or anything. */
  on: Kind
  /** Relative frequency. */
  weight: number
  params: (env: ArbitraryEnv) => fc.Arbitrary<P>
  apply: (input: Buffer, params: P, ctx: MutationContext) => Buffer
}

export interface AnyOperator {
  name: string
  on: Kind
  weight: number
  call: (env: ArbitraryEnv) => fc.Arbitrary<OpCall>
  apply: (input: Buffer, params: unknown, ctx: MutationContext) => Buffer
}

function define<P>(op: Operator<P>): AnyOperator {
  return {
    name: op.name,
    on: op.on,
    weight: op.weight,
    call: (env) => op.params(env).map((p) => ({ op: op.name, p })),
    apply: (input, p, ctx) => op.apply(input, p as P, ctx)
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers. Text operators work on latin1 strings: one char per byte, so bytes survive unchanged.

const F = fc.nat({ max: 9999 })
/** Index into n things from a fraction in ten-thousandths. */
export function at(n: number, f: number): number {
  return Math.min(Math.max(n - 1, 0), Math.floor((f / 10_000) * n))
}
const str = (b: Buffer): string => b.toString('latin1')
const buf = (s: string): Buffer => Buffer.from(s, 'latin1')
/** A Unicode string as latin1 "bytes", for splicing into a latin1 view. */
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1')

/** Lines with their terminators. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/gu) ?? []
}

function mapLines(input: Buffer, edit: (lines: string[]) => void): Buffer {
  const lines = splitLines(str(input))
  edit(lines)
  return buf(lines.join(''))
}

/** nsys column output: numbers (possibly with thousands separators), then the name. */
const COLUMN_ROW = /^(\s*(?:-?[\d.,]+\s+){3,})(\S.*)$/u

const eol = (line: string): string => /\r?\n$/u.exec(line)?.[0] ?? ''
const body = (line: string): string => line.slice(0, line.length - eol(line).length)

/**
 * `,` or a tab for a CSV/TSV line; none for nsys column output, whose numbers may hold thousands
 * separators (`3,000,000`) and whose names may hold commas: a row is CSV when the part before its
 * first letter has commas that are not thousands separators.
 */
function separator(line: string): string | undefined {
  const text = body(line)
  if ((text.match(/\t/gu) ?? []).length >= 3) return '\t'
  const lead = /^[^A-Za-z_"<([]*/u.exec(text)?.[0] ?? ''
  if ((lead.match(/,(?!\d{3}(?!\d))/gu) ?? []).length >= 2) return ','
  if (lead.trim() !== '' && COLUMN_ROW.test(text)) return undefined
  return (text.match(/,/gu) ?? []).length >= 3 ? ',' : undefined
}

const NUMBER = /\d[\d,]*(?:\.\d+)?/gu
const HEADER = /\(ns\)|\(%\)|\bName\b|Instances|\bCount\b|\(MB\)|Operation/u

export function isHeaderLine(line: string): boolean {
  return HEADER.test(line)
}

/** A table row: a CSV/TSV line with numeric cells, or a column-format line of numbers then a name. */
export function isDataLine(line: string): boolean {
  if (isHeaderLine(line)) return false
  const sep = separator(line)
  if (sep) return line.split(sep).filter((c) => /^\s*"?[\d.,]+"?\s*$/u.test(c)).length >= 3
  return COLUMN_ROW.test(body(line))
}

function lineIndexes(lines: string[], test: (l: string) => boolean): number[] {
  return lines.flatMap((l, i) => (test(l) ? [i] : []))
}

/** The numeric part of a data row and the name part: [prefix, name, suffix]. */
function splitRow(line: string): [string, string, string] | undefined {
  const text = body(line)
  const sep = separator(text)
  if (sep) {
    // The name is the last cell; nsys quotes it when it holds the separator or a quote.
    let start: number
    if (text.endsWith('"')) {
      start = text.length - 1
      while (start > 0) {
        const q = text.lastIndexOf('"', start - 1)
        if (q < 0) break
        start = q
        if (text[q - 1] !== '"') break
        start = q - 1
      }
    } else start = text.lastIndexOf(sep) + 1
    return [text.slice(0, start), text.slice(start), eol(line)]
  }
  const m = COLUMN_ROW.exec(text)
  return m ? [m[1] ?? '', m[2] ?? '', eol(line)] : undefined
}

/** Where the numbers of a data row are, and which column each is in. */
interface Span {
  start: number
  end: number
  column: number
}

function numericSpans(line: string): Span[] {
  const text = body(line)
  const sep = separator(text)
  if (sep) {
    let pos = 0
    return text.split(sep).flatMap((cell, column) => {
      const start = pos
      pos += cell.length + 1
      return /^\s*\d[\d.]*\s*$/u.test(cell) ? [{ start, end: start + cell.length, column }] : []
    })
  }
  const m = COLUMN_ROW.exec(text)
  if (!m) return []
  return [...(m[1] ?? '').matchAll(NUMBER)].map((n, column) => ({
    start: n.index,
    end: n.index + n[0].length,
    column
  }))
}

/** Replaces the chosen numbers of a row (later spans first, so earlier offsets hold). */
function replaceSpans(
  line: string,
  spans: Span[],
  replace: (text: string, span: Span) => string
): string {
  let out = line
  for (const span of [...spans].sort((a, b) => b.start - a.start))
    out =
      out.slice(0, span.start) +
      replace(out.slice(span.start, span.end), span) +
      out.slice(span.end)
  return out
}

function csvQuote(name: string, sep: string | undefined): string {
  if (!sep) return name
  return /[",\t\r\n]/u.test(name) ? `"${name.replace(/"/gu, '""')}"` : name
}

/** Replaces the name of one data row (chosen by `row`) with `name` (a latin1 view of UTF-8). */
function renameRow(input: Buffer, row: number, name: string, quote: boolean): Buffer {
  return mapLines(input, (lines) => {
    const rows = lineIndexes(lines, isDataLine)
    if (rows.length === 0) return
    const i = rows[at(rows.length, row)]!
    const parts = splitRow(lines[i]!)
    if (!parts) return
    const sep = separator(body(lines[i]!))
    lines[i] = parts[0] + (quote ? csvQuote(name, sep) : name) + parts[2]
  })
}

/** Columns that hold a measurement (time or size), not a count or a percentage. */
const MEASURE_COLUMN =
  /\((ns|us|ms|s|B|KB|MB|GB|KiB|MiB|GiB)\)|^"?\s*(Total|Avg|Average|Med|Median|Min|Minimum|Max|Maximum|StdDev|Std ?Dev)\b/u
const NOT_MEASURE = /Instances|Count|Calls|%/u

function columnNames(header: string): string[] {
  const sep = separator(header)
  return sep
    ? body(header).split(sep)
    : body(header)
        .trim()
        .split(/\s{2,}/u)
}

/**
 * Multiplies the measurements (times, sizes) of every table row by `factor`, keeping counts and
 * percentages: a consistent capture of a run that was slower or faster. Columns are told apart by
 * the header line above the rows.
 */
export function scaleNumbers(text: string, factor: number): string {
  let header: string[] = []
  const measure = (span: Span): boolean => {
    const name = header[span.column] ?? ''
    return MEASURE_COLUMN.test(name) && !NOT_MEASURE.test(name)
  }
  const scaled = (n: string): string => formatLike(n, Number(n.replace(/,/gu, '')) * factor)
  return splitLines(text)
    .map((line) => {
      if (isHeaderLine(line)) header = columnNames(line)
      if (!isDataLine(line)) return line
      return replaceSpans(line, numericSpans(line).filter(measure), (n) => scaled(n.trim()))
    })
    .join('')
}

function formatLike(original: string, value: number): string {
  const decimals = /\.(\d+)$/u.exec(original)?.[1]?.length ?? 0
  if (!Number.isFinite(value)) return original
  if (original.includes(','))
    return value.toLocaleString('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals
    })
  return value.toFixed(decimals)
}

function cells(line: string): { sep: string; list: string[]; end: string } | undefined {
  const sep = separator(body(line))
  return sep ? { sep, list: body(line).split(sep), end: eol(line) } : undefined
}

/** Edits the cells of one CSV/TSV header or data line (split naively: it is a mutation). */
function editCells(
  input: Buffer,
  target: 'header' | 'row',
  line: number,
  edit: (list: string[]) => void
): Buffer {
  return mapLines(input, (lines) => {
    const pick = lineIndexes(lines, (l) =>
      separator(l) === undefined ? false : target === 'header' ? isHeaderLine(l) : isDataLine(l)
    )
    if (pick.length === 0) return
    const i = pick[at(pick.length, line)]!
    const c = cells(lines[i]!)
    if (!c) return
    edit(c.list)
    lines[i] = c.list.join(c.sep) + c.end
  })
}

const TARGET = fc.constantFrom<'header' | 'row'>('header', 'row')

/** Writes a number the way no nsys does (or a locale does). */
export const ODD_NUMBERS = [
  '1,234',
  '"1,234"',
  '1e308',
  '1e999',
  '-5',
  'NaN',
  'Infinity',
  '0x10',
  '1_000',
  '1e',
  '',
  ' ',
  '1.5.5',
  '99999999999999999999999',
  '-0',
  '1e-400',
  '١٢٣',
  '１２３',
  '12 345',
  '1.234,5'
] as const

const INSERTED_CELLS = ['', 'x', '1', '-1', 'NaN', '"a,b"', '1e308', '"', '""', 'void k()'] as const

// ---------------------------------------------------------------------------------------------
// Byte and line operators (any input).

const truncateByte = define<number>({
  name: 'truncate-byte',
  on: 'any',
  weight: 3,
  params: () => F,
  apply: (input, f) => input.subarray(0, at(input.length + 1, f))
})

const truncateAfterHeader = define<number>({
  name: 'truncate-after-header',
  on: 'text',
  weight: 2,
  params: () => F,
  apply: (input, f) => {
    const lines = splitLines(str(input))
    const headers = lineIndexes(lines, isHeaderLine)
    if (headers.length === 0) return input
    return buf(lines.slice(0, headers[at(headers.length, f)]! + 1).join(''))
  }
})

const truncateMidRow = define<[number, number]>({
  name: 'truncate-mid-row',
  on: 'text',
  weight: 2,
  params: () => fc.tuple(F, F),
  apply: (input, [row, cut]) => {
    const lines = splitLines(str(input))
    const rows = lineIndexes(lines, isDataLine)
    if (rows.length === 0) return input
    const i = rows[at(rows.length, row)]!
    const line = body(lines[i]!)
    return buf(lines.slice(0, i).join('') + line.slice(0, at(line.length, cut)))
  }
})

const flipBytes = define<{ at: number; value: number }[]>({
  name: 'flip-bytes',
  on: 'any',
  weight: 3,
  params: () =>
    fc.array(fc.record({ at: F, value: fc.nat({ max: 255 }) }), { minLength: 1, maxLength: 8 }),
  apply: (input, flips) => {
    const out = Buffer.from(input)
    for (const flip of flips) if (out.length > 0) out[at(out.length, flip.at)] = flip.value
    return out
  }
})

const deleteLine = define<number>({
  name: 'delete-line',
  on: 'any',
  weight: 2,
  params: () => F,
  apply: (input, f) => mapLines(input, (lines) => void lines.splice(at(lines.length, f), 1))
})

const duplicateLine = define<number>({
  name: 'duplicate-line',
  on: 'any',
  weight: 2,
  params: () => F,
  apply: (input, f) =>
    mapLines(input, (lines) => {
      const i = at(lines.length, f)
      const line = lines[i]
      if (line !== undefined) lines.splice(i, 0, line.endsWith('\n') ? line : `${line}\n`)
    })
})

const moveLine = define<[number, number]>({
  name: 'move-line',
  on: 'any',
  weight: 2,
  params: () => fc.tuple(F, F),
  apply: (input, [from, to]) =>
    mapLines(input, (lines) => {
      const [line] = lines.splice(at(lines.length, from), 1)
      if (line !== undefined)
        lines.splice(at(lines.length + 1, to), 0, line.endsWith('\n') ? line : `${line}\n`)
    })
})

// ---------------------------------------------------------------------------------------------
// Cells of CSV/TSV headers and rows.

const deleteCell = define<['header' | 'row', number, number]>({
  name: 'delete-cell',
  on: 'text',
  weight: 3,
  params: () => fc.tuple(TARGET, F, F),
  apply: (input, [target, line, cell]) =>
    editCells(input, target, line, (list) => void list.splice(at(list.length, cell), 1))
})

const duplicateCell = define<['header' | 'row', number, number]>({
  name: 'duplicate-cell',
  on: 'text',
  weight: 2,
  params: () => fc.tuple(TARGET, F, F),
  apply: (input, [target, line, cell]) =>
    editCells(input, target, line, (list) => {
      const i = at(list.length, cell)
      list.splice(i, 0, list[i] ?? '')
    })
})

const moveCell = define<['header' | 'row', number, number, number]>({
  name: 'move-cell',
  on: 'text',
  weight: 2,
  params: () => fc.tuple(TARGET, F, F, F),
  apply: (input, [target, line, from, to]) =>
    editCells(input, target, line, (list) => {
      const [cell] = list.splice(at(list.length, from), 1)
      if (cell !== undefined) list.splice(at(list.length + 1, to), 0, cell)
    })
})

const insertCell = define<['header' | 'row', number, number, number]>({
  name: 'insert-cell',
  on: 'text',
  weight: 2,
  params: () => fc.tuple(TARGET, F, F, fc.nat({ max: INSERTED_CELLS.length - 1 })),
  apply: (input, [target, line, cell, value]) =>
    editCells(
      input,
      target,
      line,
      (list) => void list.splice(at(list.length + 1, cell), 0, INSERTED_CELLS[value] ?? '')
    )
})

// ---------------------------------------------------------------------------------------------
// Numbers.

const numberFormat = define<[number, number, number]>({
  name: 'number-format',
  on: 'text',
  weight: 4,
  params: () => fc.tuple(F, F, fc.nat({ max: ODD_NUMBERS.length - 1 })),
  apply: (input, [row, token, value]) =>
    mapLines(input, (lines) => {
      const rows = lineIndexes(lines, isDataLine)
      if (rows.length === 0) return
      const i = rows[at(rows.length, row)]!
      const spans = numericSpans(lines[i]!)
      const span = spans[at(spans.length, token)]
      if (span) lines[i] = replaceSpans(lines[i]!, [span], () => utf8(ODD_NUMBERS[value] ?? ''))
    })
})

const scale = define<number>({
  name: 'scale-numbers',
  on: 'text',
  weight: 6,
  params: () => fc.constantFrom(1.07, 1.5, 2, 0.5, 0.9, 10, 1000, 0),
  apply: (input, factor) => buf(scaleNumbers(str(input), factor))
})

// ---------------------------------------------------------------------------------------------
// Prose and joined captures.

const proseLine = define<[number, number]>({
  name: 'prose-line',
  on: 'text',
  weight: 2,
  params: () => fc.tuple(F, fc.nat({ max: PROSE_LINES.length - 1 })),
  apply: (input, [line, prose]) =>
    mapLines(input, (lines) => {
      const headers = lineIndexes(lines, isHeaderLine)
      const i = headers.length > 0 ? headers[at(headers.length, line)]! : at(lines.length, line)
      lines.splice(i, 0, `${utf8(PROSE_LINES[prose] ?? '')}\n`)
    })
})

const concat = define<string>({
  name: 'concat',
  on: 'text',
  weight: 2,
  params: (env) => fc.constantFrom(...env.textSeeds),
  apply: (input, other, ctx) => Buffer.concat([input, Buffer.from('\n'), ctx.read(other)])
})

const concatSelfScaled = define<number>({
  name: 'concat-self-scaled',
  on: 'text',
  weight: 2,
  params: () => fc.constantFrom(1.5, 2, 0.5, 1),
  apply: (input, factor) => buf(`${str(input)}\n${scaleNumbers(str(input), factor)}`)
})

// ---------------------------------------------------------------------------------------------
// Encodings.

const crlf = define<null>({
  name: 'crlf',
  on: 'any',
  weight: 1,
  params: () => fc.constant(null),
  apply: (input) => buf(str(input).replace(/\r?\n/gu, '\r\n'))
})

const bom = define<null>({
  name: 'bom',
  on: 'any',
  weight: 1,
  params: () => fc.constant(null),
  apply: (input) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), input])
})

const utf16le = define<boolean>({
  name: 'utf16le',
  on: 'any',
  weight: 1,
  params: () => fc.boolean(),
  apply: (input, withBom) =>
    Buffer.from((withBom ? '\ufeff' : '') + input.toString('utf8'), 'utf16le')
})

const latin1 = define<null>({
  name: 'latin1',
  on: 'any',
  weight: 1,
  params: () => fc.constant(null),
  apply: (input) => Buffer.from(`${input.toString('utf8')}\nvoid kérnel_µ,1\n`, 'latin1')
})

const nulBytes = define<number[]>({
  name: 'nul-bytes',
  on: 'any',
  weight: 1,
  params: () => fc.array(F, { minLength: 1, maxLength: 4 }),
  apply: (input, positions) => {
    let out = str(input)
    for (const p of positions) {
      const i = at(out.length + 1, p)
      out = `${out.slice(0, i)}\0${out.slice(i)}`
    }
    return buf(out)
  }
})

// ---------------------------------------------------------------------------------------------
// Size.

const longLine = define<[number, 'x' | 'digits' | 'csv']>({
  name: 'long-line',
  on: 'any',
  weight: 1,
  params: () => fc.tuple(F, fc.constantFrom<'x' | 'digits' | 'csv'>('x', 'digits', 'csv')),
  apply: (input, [where, kind]) =>
    mapLines(input, (lines) => {
      const size = 1 << 20
      const line =
        kind === 'x'
          ? 'x'.repeat(size)
          : kind === 'digits'
            ? '9'.repeat(size)
            : '1,'.repeat(size / 2)
      lines.splice(at(lines.length + 1, where), 0, `${line}\n`)
    })
})

const hugeName = define<[number, number]>({
  name: 'huge-name',
  on: 'text',
  weight: 0.3,
  params: () => fc.tuple(fc.integer({ min: 1, max: 20 }), F),
  apply: (input, [mb, row]) => renameRow(input, row, `void k${'a'.repeat(mb * 1_000_000)}()`, true)
})

const hostileName = define<[number, number, boolean]>({
  name: 'hostile-name',
  on: 'text',
  weight: 8,
  params: () => fc.tuple(fc.nat({ max: HOSTILE_NAMES.length - 1 }), F, fc.boolean()),
  apply: (input, [payload, row, quote]) =>
    renameRow(input, row, utf8(`void k_${HOSTILE_NAMES[payload] ?? ''}()`), quote)
})

// ---------------------------------------------------------------------------------------------
// Profile JSON operators: edit the parsed document. Raw JSON (1e999, deep nesting, __proto__ keys)
// is spliced in through placeholders after serializing.

type Doc = Record<string, unknown>
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v)

function editJson(input: Buffer, edit: (doc: Doc, raw: (text: string) => string) => void): Buffer {
  let doc: unknown
  try {
    doc = JSON.parse(input.toString('utf8').replace(/^\uFEFF/u, ''))
  } catch {
    return input
  }
  if (!isObject(doc)) return input
  const raws: string[] = []
  edit(doc, (text) => `__FUZZ_RAW_${raws.push(text) - 1}__`)
  let out: string
  try {
    out = JSON.stringify(doc, null, 2)
  } catch {
    return input // nested too deep to serialize: leave it as it is
  }
  out = out.replace(/"__FUZZ_RAW_(\d+)__"/gu, (_, i: string) => raws[Number(i)] ?? 'null')
  return Buffer.from(out, 'utf8')
}

/** Every [table name, row key] of a profile document. */
function rowsOf(doc: Doc): [Doc, string][] {
  const tables = isObject(doc.tables) ? doc.tables : {}
  return Object.values(tables).flatMap((t) =>
    isObject(t) && isObject(t.rows)
      ? Object.keys(t.rows).map((k) => [t.rows as Doc, k] as [Doc, string])
      : []
  )
}

function setOwn(target: Doc, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true
  })
}

/** Raw JSON values where a number goes. */
export const ODD_JSON_VALUES = [
  '"12"',
  '1e308',
  '1e999',
  '-1',
  '-1e999',
  'null',
  'true',
  '{}',
  '[]',
  '1.5',
  '0',
  '-0',
  '9007199254740993',
  '"NaN"',
  '1e-400',
  '[1,2]',
  '{"valueOf":1}'
] as const
const ROW_FIELDS = [
  'totalNs',
  'instances',
  'avgNs',
  'minNs',
  'maxNs',
  'medNs',
  'stdDevNs',
  'name',
  'totalBytes',
  'truncated'
] as const

const jsonField = define<[number, number, number]>({
  name: 'json-field',
  on: 'json',
  weight: 5,
  params: () =>
    fc.tuple(
      F,
      fc.nat({ max: ROW_FIELDS.length - 1 }),
      fc.nat({ max: ODD_JSON_VALUES.length - 1 })
    ),
  apply: (input, [row, field, value]) =>
    editJson(input, (doc, raw) => {
      const rows = rowsOf(doc)
      const [table, key] = rows[at(rows.length, row)] ?? []
      const target = table && key !== undefined ? table[key] : undefined
      if (isObject(target))
        target[ROW_FIELDS[field] ?? 'totalNs'] = raw(ODD_JSON_VALUES[value] ?? 'null')
    })
})

const PROTO_PLACES = ['root', 'meta', 'tables', 'rows', 'row', 'table-name', 'row-key'] as const
const jsonProto = define<[number, number]>({
  name: 'json-proto',
  on: 'json',
  weight: 2,
  params: () => fc.tuple(fc.nat({ max: PROTO_PLACES.length - 1 }), fc.constantFrom(0, 1, 2)),
  apply: (input, [place, keyIndex]) =>
    editJson(input, (doc) => {
      const key = ['__proto__', 'constructor', 'hasOwnProperty'][keyIndex] ?? '__proto__'
      const polluted = { polluted: 1, kind: 'x', unit: 'bytes', rows: {} }
      const tables = isObject(doc.tables) ? doc.tables : {}
      const firstTable = Object.values(tables).find(isObject)
      const rows = isObject(firstTable?.rows) ? firstTable.rows : undefined
      const row = rows ? Object.values(rows).find(isObject) : undefined
      const where = PROTO_PLACES[place]
      if (where === 'root') setOwn(doc, key, polluted)
      else if (where === 'meta' && isObject(doc.meta)) setOwn(doc.meta, key, polluted)
      else if (where === 'tables') setOwn(tables, key, polluted)
      else if (where === 'rows' && rows) setOwn(rows, key, polluted)
      else if (where === 'row' && row) setOwn(row, key, polluted)
      else if (where === 'table-name' && firstTable) setOwn(tables, key, firstTable)
      else if (where === 'row-key' && rows && row) setOwn(rows, key, { ...row, name: key })
    })
})

const jsonUnknownTable = define<number>({
  name: 'json-unknown-table',
  on: 'json',
  weight: 1,
  params: () => fc.nat({ max: 3 }),
  apply: (input, which) =>
    editJson(input, (doc) => {
      const name = ['gpuTrace', 'kernels2', 'x'.repeat(1000), 'toString'][which] ?? 'gpuTrace'
      if (!isObject(doc.tables)) doc.tables = {}
      setOwn(doc.tables as Doc, name, {
        unit: 'ns',
        rows: { k: { name: 'k', totalNs: 1, instances: 1, avgNs: 1, minNs: 1, maxNs: 1 } }
      })
    })
})

const jsonHugeArray = define<[number, number]>({
  name: 'json-huge-array',
  on: 'json',
  weight: 1,
  params: () => fc.tuple(fc.nat({ max: 3 }), fc.integer({ min: 1_000, max: 200_000 })),
  apply: (input, [where, n]) =>
    editJson(input, (doc) => {
      const meta = isObject(doc.meta) ? doc.meta : ((doc.meta = {}) as Doc)
      if (where === 0) meta.notes = Array.from({ length: n }, (_, i) => `note ${i}`)
      else if (where === 1) meta.sources = Array.from({ length: n }, (_, i) => `s${i}.csv`)
      else if (where === 2) meta.gpus = Array.from({ length: n }, () => ({ name: 'GPU' }))
      else {
        const rows: Doc = {}
        for (let i = 0; i < n; i++)
          rows[`k${i}`] = { name: `k${i}`, totalNs: 2, instances: 1, avgNs: 2, minNs: 2, maxNs: 2 }
        doc.tables = { kernels: { unit: 'ns', rows } }
      }
    })
})

const jsonDeep = define<[number, number]>({
  name: 'json-deep',
  on: 'json',
  weight: 1,
  params: () => fc.tuple(fc.nat({ max: 2 }), fc.integer({ min: 1_000, max: 100_000 })),
  apply: (input, [where, depth]) =>
    editJson(input, (doc, raw) => {
      const deep = raw('['.repeat(depth) + ']'.repeat(depth))
      if (where === 0) doc.extra = deep
      else if (where === 1 && isObject(doc.meta)) doc.meta.notes = deep
      else
        doc.tables = raw(
          `{"kernels":{"unit":"ns","rows":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`
        )
    })
})

const jsonNotes = define<[number, number]>({
  name: 'json-notes',
  on: 'json',
  weight: 2,
  params: () => fc.tuple(fc.nat({ max: HOSTILE_NOTES.length - 1 }), fc.nat({ max: 3 })),
  apply: (input, [payload, form]) =>
    editJson(input, (doc) => {
      const note = HOSTILE_NOTES[payload] ?? ''
      if (!isObject(doc.meta)) return
      doc.meta.notes = [[note], [{ message: note, text: note }], [42, null], note][form]
    })
})

const jsonHostileName = define<[number, number, boolean]>({
  name: 'json-hostile-name',
  on: 'json',
  weight: 4,
  params: () => fc.tuple(fc.nat({ max: HOSTILE_NAMES.length - 1 }), F, fc.boolean()),
  apply: (input, [payload, row, alsoKey]) =>
    editJson(input, (doc) => {
      const rows = rowsOf(doc)
      const [table, key] = rows[at(rows.length, row)] ?? []
      if (!table || key === undefined || !isObject(table[key])) return
      const name = `void k_${HOSTILE_NAMES[payload] ?? ''}()`
      const value = { ...table[key], name }
      if (alsoKey) {
        delete table[key]
        setOwn(table, name, value)
      } else table[key] = value
    })
})

const SCHEMA_VALUES = ['2', '"1"', '0', '-1', '1e308', 'null', '1.5'] as const
const jsonSchema = define<[boolean, number]>({
  name: 'json-schema',
  on: 'json',
  weight: 1,
  params: () => fc.tuple(fc.boolean(), fc.nat({ max: SCHEMA_VALUES.length - 1 })),
  apply: (input, [kind, value]) =>
    editJson(input, (doc, raw) => {
      if (kind)
        doc.kind = ['nsys-bench/profile ', 'NSYS-BENCH/PROFILE', 'nsys-bench/results'][value % 3]
      else doc.schemaVersion = raw(SCHEMA_VALUES[value] ?? '2')
    })
})

const DROPPABLE = [
  'meta',
  'tables',
  'meta.notes',
  'meta.sources',
  'meta.kernelNaming',
  'meta.tool',
  'row.name',
  'row.totalNs',
  'row.instances',
  'table.unit',
  'table.rows'
] as const
const jsonDrop = define<[number, number]>({
  name: 'json-drop',
  on: 'json',
  weight: 2,
  params: () => fc.tuple(fc.nat({ max: DROPPABLE.length - 1 }), F),
  apply: (input, [what, row]) =>
    editJson(input, (doc) => {
      const [scope, field] = (DROPPABLE[what] ?? 'meta').split('.') as [string, string?]
      if (field === undefined) delete doc[scope]
      else if (scope === 'meta' && isObject(doc.meta)) delete doc.meta[field]
      else if (scope === 'row') {
        const rows = rowsOf(doc)
        const [table, key] = rows[at(rows.length, row)] ?? []
        const target = table && key !== undefined ? table[key] : undefined
        if (isObject(target)) delete target[field]
      } else if (scope === 'table' && isObject(doc.tables)) {
        const first = Object.values(doc.tables).find(isObject)
        if (first) delete first[field]
      }
    })
})

const META_EDITS = [
  ['sources', '"x"'],
  ['sources', 'null'],
  ['sources', '[1]'],
  ['kernelNaming', '"weird"'],
  ['reports', '5'],
  ['gpus', '[{"name":"\\u001b[31mGPU\\r\\n::error::FUZZINJ"}]'],
  ['createdAt', '{}'],
  ['command', '"x\\n::error::FUZZINJ"'],
  ['profiler', '"nsys"'],
  ['tool', '{"name":"nsys-bench","version":"99.0.0"}']
] as const
const jsonMeta = define<number>({
  name: 'json-meta',
  on: 'json',
  weight: 2,
  params: () => fc.nat({ max: META_EDITS.length - 1 }),
  apply: (input, which) =>
    editJson(input, (doc, raw) => {
      const [field, value] = META_EDITS[which] ?? META_EDITS[0]
      if (isObject(doc.meta)) doc.meta[field] = raw(value)
    })
})

/** A head that got slower or faster: every measurement of a stats file or profile JSON × factor. */
export function scaleMeasurements(input: Buffer, factor: number): Buffer {
  const json = editJson(input, (doc) => {
    for (const [table, key] of rowsOf(doc)) {
      const row = table[key]
      if (!isObject(row)) continue
      for (const [field, value] of Object.entries(row))
        if (/(Ns|Bytes)$/u.test(field) && typeof value === 'number') row[field] = value * factor
    }
  })
  return json !== input ? json : buf(scaleNumbers(str(input), factor))
}

/** Every operator, by name. */
export const OPERATORS: readonly AnyOperator[] = [
  truncateByte,
  truncateAfterHeader,
  truncateMidRow,
  flipBytes,
  deleteLine,
  duplicateLine,
  moveLine,
  deleteCell,
  duplicateCell,
  moveCell,
  insertCell,
  numberFormat,
  scale,
  proseLine,
  concat,
  concatSelfScaled,
  crlf,
  bom,
  utf16le,
  latin1,
  nulBytes,
  longLine,
  hugeName,
  hostileName,
  jsonField,
  jsonProto,
  jsonUnknownTable,
  jsonHugeArray,
  jsonDeep,
  jsonNotes,
  jsonHostileName,
  jsonSchema,
  jsonDrop,
  jsonMeta
]

const BY_NAME = new Map(OPERATORS.map((o) => [o.name, o]))

export function operator(name: string): AnyOperator {
  const op = BY_NAME.get(name)
  if (!op) throw new Error(`unknown mutation operator ${name}`)
  return op
}

/** Applies a recipe's operators in order. */
export function applyOps(input: Buffer, ops: readonly OpCall[], ctx: MutationContext): Buffer {
  return ops.reduce((bytes, call) => operator(call.op).apply(bytes, call.p, ctx), input)
}

/** One operator call for an input of this kind, weighted; `only` keeps one operator. */
export function opArbitrary(
  kind: 'text' | 'json',
  env: ArbitraryEnv,
  only?: string
): fc.Arbitrary<OpCall> | undefined {
  const ops = OPERATORS.filter(
    (o) => (o.on === 'any' || o.on === kind) && (only === undefined || o.name === only)
  )
  if (ops.length === 0) return undefined
  return fc.oneof(
    ...ops.map((o) => ({ arbitrary: o.call(env), weight: Math.max(1, Math.round(o.weight * 10)) }))
  )
}
