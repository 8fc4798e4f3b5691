import { duplicateKeyError, RowsFromBytes, type NameMemo, type RawRow } from '../profile/json.js'
import { isTableName, TABLES, type TableName, type Unit } from '../profile/model.js'
import { POWERS } from './nsys/numbers.js'
import { dataView, finishHash, sameBytes, SHARED_NAMES, type ByteNames } from './intern.js'

/**
 * The fast path of reading a profile JSON (the baseline format, profile/json.ts): the document
 * read from its bytes, without decoding the file into one string and without JSON.parse making a
 * fresh string of every name. A baseline of ten runs of 20,000 kernels is ten files of 9 MB,
 * mostly names, the same names in every file: here each name is decoded once for the whole
 * process (ByteNames), and its canonical key worked out once (RowsFromBytes).
 *
 * Only the rows of the stat tables are read here, and only in the shape profileToJson writes:
 * keys "0", "1", … in order, each row an object of the fields a row has, numbers, the name a
 * string. Every other value (meta, tables this version does not know, the timeline's tables)
 * is cut out whole and given to JSON.parse. A UTF-8 byte order mark before the document is
 * skipped (Windows editors and PowerShell's `Out-File` add one). Anything else, valid or not (an
 * unknown field, a `null`, an escape in a key, broken JSON), answers undefined and the caller
 * takes the general path, JSON.parse of the whole text, which reads it or says what is wrong:
 * that path is the reference, and a test holds the two to the same result on every input it
 * tries. A key that appears twice in one object is refused here, as there (findDuplicateKey),
 * with its path (`source` names the file in the error): JSON.parse would keep the last value, and
 * a profile JSON nsys-bench wrote never repeats a key.
 */
export function readProfileJsonBytes(
  bytes: Buffer,
  length = bytes.length,
  names: ByteNames = SHARED_NAMES,
  progress?: () => void,
  source?: string
): Record<string, unknown> | undefined {
  const reader = new Reader(bytes, length, names, progress, source)
  if (length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) reader.at = 3
  try {
    const document = reader.object(
      (key) => (key === 'tables' ? reader.tables() : reader.json()),
      ''
    )
    reader.space()
    return reader.at === length ? document : undefined
  } catch (error) {
    // JSON.parse refused a piece, or the reader met something it leaves to the general path.
    if (error === GENERAL || error instanceof SyntaxError) return undefined
    throw error
  }
}

/**
 * Whether the word `x` holds a quote, a backslash or a byte below 0x20: the zero-byte test of
 * `x ^ 0x22222222` and of `x ^ 0x5c5c5c5c`, and the test for a byte below 0x20, exact for any
 * byte. A kernel name of 300 bytes took 235 ns tested byte by byte, four bytes at a time about a
 * third of that.
 */
function special(x: number): boolean {
  const q = x ^ 0x22222222
  const s = x ^ 0x5c5c5c5c
  return (
    ((((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s) | ((x - 0x20202020) & ~x)) & 0x80808080) !==
    0
  )
}

/**
 * The end of a string's plain run, and its hash as ByteNames looks names up by it, in one pass: a
 * row's name is read once, not once for its end and again for its hash.
 */
export class HashedRun {
  /** hashBytes(b, start, end, seed) of the run that `end` last returned the end of. */
  hash = 0

  /**
   * The first quote, backslash or control character in bytes [start, end), or `end`; the hash of
   * the bytes before it in `hash`.
   */
  end(b: Uint8Array, start: number, end: number, seed: number): number {
    const view = dataView(b)
    // hashBytes' steps, eight bytes at a time while no byte of the eight ends the run.
    let a = seed ^ 0x9e3779b9
    let c = seed ^ 0x7f4a7c15
    let i = start
    for (; i + 8 <= end; i += 8) {
      const x = view.getInt32(i, true)
      const y = view.getInt32(i + 4, true)
      if (special(x) || special(y)) break
      a = Math.imul(a ^ x, 0xcc9e2d51)
      a = (a << 15) | (a >>> 17)
      c = Math.imul(c ^ y, 0x1b873593)
      c = (c << 13) | (c >>> 19)
    }
    // The run ends inside these eight bytes (or the input does): hashBytes reads them one by one.
    for (; i < end; i++) {
      const byte = b[i]!
      if (byte === QUOTE || byte === BACKSLASH || byte < 0x20) break
      a = Math.imul(a ^ byte, 0xcc9e2d51)
    }
    this.hash = finishHash(a, c, i - start)
    return i
  }
}

/**
 * The members of the objects in a value JSON.parse made, however deep (iterative: a hostile file
 * cannot overflow the stack). JSON.parse keeps one member a key, so fewer members than the text
 * has colons means a key written twice.
 */
function memberCount(value: unknown): number {
  let count = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v !== 'object' || v === null) continue
    if (Array.isArray(v)) {
      for (const item of v) if (typeof item === 'object' && item !== null) stack.push(item)
      continue
    }
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue
      count++
      const item = (v as Record<string, unknown>)[key]
      if (typeof item === 'object' && item !== null) stack.push(item)
    }
  }
  return count
}

/**
 * A key that appears twice in one object of a JSON text that JSON.parse read (`text` is valid
 * JSON): where the object is (jsonPath: `tables.kernels.rows`, '' for the document) and the key,
 * or undefined. The first found in the text's order. Iterative, for any depth.
 */
export function findDuplicateKey(text: string): { where: string; key: string } | undefined {
  // One entry an open object or array: its keys so far (undefined: an array), and the member
  // being read (the key, or the array index).
  const keys: (Set<string> | undefined)[] = []
  const member: (string | number)[] = []
  let expectKey = false
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      let end = text.indexOf('"', i + 1)
      // A quote after an odd run of backslashes is escaped.
      for (;;) {
        // No closing quote: not the valid JSON this is for.
        if (end < 0) return undefined
        let slashes = 0
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++
        if (slashes % 2 === 0) break
        end = text.indexOf('"', end + 1)
      }
      const top = keys.length - 1
      const set = keys[top]
      if (expectKey && set) {
        const raw = text.slice(i + 1, end)
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw
        if (set.has(key)) return { where: jsonPath(member.slice(0, top)), key }
        set.add(key)
        member[top] = key
        expectKey = false
      }
      i = end
    } else if (c === OPEN) {
      keys.push(new Set())
      member.push('')
      expectKey = true
    } else if (c === OPEN_ARRAY) {
      keys.push(undefined)
      member.push(0)
    } else if (c === CLOSE || c === CLOSE_ARRAY) {
      keys.pop()
      member.pop()
    } else if (c === COMMA) {
      const top = keys.length - 1
      if (keys[top]) expectKey = true
      else member[top] = (member[top] as number) + 1
    }
  }
  return undefined
}

/** `tables.kernels.rows["0"]`: names as they are, other keys quoted, indexes in brackets. */
export function jsonPath(members: readonly (string | number)[]): string {
  let path = ''
  for (const m of members) {
    if (typeof m === 'number') path += `[${m}]`
    else if (/^[A-Za-z_$][\w$]{0,63}$/.test(m)) path += path === '' ? m : `.${m}`
    else path += `[${JSON.stringify(m.length > 80 ? `${m.slice(0, 80)}…` : m)}]`
  }
  return path
}

/**
 * Thrown where the input is not in the fast path's shape: one object made once, since stepping
 * aside is not an error (its stack would say nothing).
 */
const GENERAL = new Error('not in the shape the fast path reads')
/** How many rows of a table the reader reads between calls of its `progress`. */
const PROGRESS_ROWS = 1024

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
const COMMA = 0x2c
const OPEN = 0x7b
const CLOSE = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const ZERO = 0x30
const NINE = 0x39
const POINT = 0x2e
const MINUS = 0x2d

/** JSON's whitespace: space, tab, line feed, carriage return. */
const isSpace = (c: number | undefined): boolean =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09

/**
 * The fields of a stat row in encodeStat's order, for each unit, as bytes: the order of RawRow's
 * fields, which a row's values are read into (setField).
 */
type Fields = readonly Buffer[]
function rowFields(suffix: string): Fields {
  const keys = ['name', `total${suffix}`, 'instances', `avg${suffix}`, `min${suffix}`]
  keys.push(
    `max${suffix}`,
    `med${suffix}`,
    `stdDev${suffix}`,
    'occurrences',
    'truncated',
    'sharedBy'
  )
  return keys.map((key) => Buffer.from(key, 'latin1'))
}
const ROW_FIELDS: Readonly<Record<Unit, Fields>> = {
  ns: rowFields('Ns'),
  bytes: rowFields('Bytes'),
  calls: rowFields('Calls')
}
/**
 * Each field's key as profileToJson writes it before the value: `"totalNs":`, quotes and colon
 * included, by its place in Fields. A row written that way is read one comparison a field.
 */
const MEMBER_OPENINGS: Readonly<Record<Unit, Fields>> = {
  ns: ROW_FIELDS.ns.map(opening),
  bytes: ROW_FIELDS.bytes.map(opening),
  calls: ROW_FIELDS.calls.map(opening)
}
function opening(key: Buffer): Buffer {
  return Buffer.concat([Buffer.from('"'), key, Buffer.from('":')])
}
const NAME = 0
const TRUNCATED = 9

/** Puts a field's value in its place in a RawRow (`field`: its place in Fields). */
function setField(row: RawRow, field: number, v: unknown): void {
  switch (field) {
    case 0:
      row.name = v
      break
    case 1:
      row.total = v
      break
    case 2:
      row.instances = v
      break
    case 3:
      row.avg = v
      break
    case 4:
      row.min = v
      break
    case 5:
      row.max = v
      break
    case 6:
      row.med = v
      break
    case 7:
      row.stdDev = v
      break
    case 8:
      row.occurrences = v
      break
    case 9:
      row.truncated = v
      break
    default:
      row.sharedBy = v
  }
}

/** A RawRow with no field. */
function emptyRow(): RawRow {
  return {
    name: undefined,
    total: undefined,
    instances: undefined,
    avg: undefined,
    min: undefined,
    max: undefined,
    med: undefined,
    stdDev: undefined,
    occurrences: undefined,
    truncated: undefined,
    sharedBy: undefined
  }
}

class Reader {
  at = 0
  /** The row being read: one object for every row (RowsFromBytes copies what it keeps). */
  private readonly raw: RawRow = emptyRow()
  /** The fields of `raw` set since it was last cleared, one bit each (by their place in Fields). */
  private filled = 0
  /** The memo of the last name read (name()), where it was read from bytes. */
  private memo: NameMemo | undefined
  private readonly run = new HashedRun()

  constructor(
    private readonly bytes: Buffer,
    private readonly end: number,
    private readonly names: ByteNames,
    /** Called every PROGRESS_ROWS rows of a table (readProfileJsonBytes). */
    private readonly progress: (() => void) | undefined,
    /** The file, named in the error of a key found twice. */
    private readonly source: string | undefined
  ) {}

  space(): void {
    while (this.at < this.end && isSpace(this.bytes[this.at])) this.at++
  }

  /** The next byte after whitespace, consumed; GENERAL where it is not `c`. */
  expect(c: number): void {
    this.space()
    if (this.at >= this.end || this.bytes[this.at] !== c) throw GENERAL
    this.at++
  }

  /**
   * An object whose members are read by `value` (called with the reader just before the value).
   * `__proto__` (which JSON.parse keeps as data) goes the general path; a key found twice is
   * refused, `where` naming the object (jsonPath).
   */
  object(value: (key: string) => unknown, where: string): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    this.expect(OPEN)
    if (this.closes()) return out
    for (;;) {
      const key = this.key()
      this.expect(COLON)
      this.space()
      if (key === '__proto__') throw GENERAL
      if (Object.hasOwn(out, key)) throw duplicateKeyError(where, key, this.source)
      out[key] = value(key)
      if (this.next()) return out
    }
  }

  /** Just inside an object: true (and past it) when it is empty. */
  private closes(): boolean {
    this.space()
    if (this.at >= this.end || this.bytes[this.at] !== CLOSE) return false
    this.at++
    return true
  }

  /** After a member: true at the object's end, false after a comma. */
  private next(): boolean {
    this.space()
    if (this.at >= this.end) throw GENERAL
    const c = this.bytes[this.at++]
    if (c === COMMA) return false
    if (c === CLOSE) return true
    throw GENERAL
  }

  /** A key without escapes, decoded as the whole text would be (UTF-8, invalid bytes replaced). */
  private key(): string {
    this.expect(QUOTE)
    const start = this.at
    const end = this.plainStringEnd()
    return this.bytes.toString('utf8', start, end)
  }

  /**
   * From just inside a string: its end when it has no escape and no control character (the
   * closing quote is consumed), GENERAL otherwise.
   */
  private plainStringEnd(): number {
    const b = this.bytes
    let i = this.at
    for (; i < this.end; i++) {
      const c = b[i]!
      if (c === QUOTE) {
        this.at = i + 1
        return i
      }
      if (c === BACKSLASH || c < 0x20) break
    }
    throw GENERAL
  }

  /**
   * A value of any kind, cut out whole and parsed by JSON.parse. JSON.parse keeps the last of a
   * key found twice: the members the value has (its colons) must be the members JSON.parse kept,
   * else the general path names the key (findDuplicateKey).
   */
  json(): unknown {
    const start = this.at
    const members = this.skipValue()
    const value = JSON.parse(this.bytes.toString('utf8', start, this.at)) as unknown
    if (members > 0 && memberCount(value) !== members) throw GENERAL
    return value
  }

  /**
   * Past one value, without checking it (JSON.parse does): a string to its closing quote, an
   * object or array to its matching bracket, anything else to the next delimiter. Answers the
   * colons outside strings, one an object member.
   */
  private skipValue(): number {
    const b = this.bytes
    let depth = 0
    let colons = 0
    let i = this.at
    for (; i < this.end; i++) {
      const c = b[i]!
      if (c === QUOTE) {
        i = this.stringEnd(i + 1)
        if (depth === 0) {
          i++
          break
        }
      } else if (c === COLON) colons++
      else if (c === OPEN || c === OPEN_ARRAY) depth++
      else if (c === CLOSE || c === CLOSE_ARRAY) {
        if (depth === 0) break
        if (--depth === 0) {
          i++
          break
        }
      } else if (depth === 0 && (c === COMMA || isSpace(c))) break
    }
    if (i === this.at) throw GENERAL
    this.at = i
    return colons
  }

  /** The index of the quote that closes a string starting at `i` (escapes skipped). */
  private stringEnd(i: number): number {
    const b = this.bytes
    for (; i < this.end; i++) {
      const c = b[i]
      if (c === QUOTE) return i
      if (c === BACKSLASH) i++
    }
    throw GENERAL
  }

  /** The `tables` object: stat tables' rows read here, every other table by JSON.parse. */
  tables(): Record<string, unknown> {
    return this.object((name) => {
      if (!isTableName(name)) return this.json()
      return this.object(
        (key) => (key === 'rows' ? this.rows(name) : this.json()),
        `tables.${name}`
      )
    }, 'tables')
  }

  private rows(table: TableName): RowsFromBytes {
    const unit = TABLES[table].unit
    const fields = ROW_FIELDS[unit]
    const openings = MEMBER_OPENINGS[unit]
    const out = new RowsFromBytes(table)
    const b = this.bytes
    this.expect(OPEN)
    if (this.closes()) return out
    for (let i = 0; ; i++) {
      this.expect(QUOTE)
      // The key must be i as String(i) writes it: JSON.parse's object would list integer keys
      // in their order, and this reader reads rows in the file's.
      const start = this.at
      const end = this.plainStringEnd()
      let n = 0
      for (let k = start; k < end; k++) {
        const c = b[k]!
        if (c < ZERO || c > NINE) throw GENERAL
        n = n * 10 + (c - ZERO)
      }
      if (n !== i || end === start || (b[start] === ZERO && end - start > 1)) throw GENERAL
      this.expect(COLON)
      if (i % PROGRESS_ROWS === 0) this.progress?.()
      this.row(fields, openings, out, i)
      if (this.next()) return out
    }
  }

  /**
   * One row (row `i` of its table): its fields in any order; one found twice is refused,
   * anything else unusual goes the general path.
   */
  private row(fields: Fields, openings: Fields, out: RowsFromBytes, i: number): void {
    const b = this.bytes
    const raw = this.raw
    // The fields the last row set go back to undefined: a row holds only its own.
    for (let f = 0; this.filled !== 0; f++, this.filled >>>= 1)
      if (this.filled & 1) setField(raw, f, undefined)
    let seen = 0
    let expected = 0
    this.expect(OPEN)
    const count = fields.length
    for (;;) {
      let field = -1
      // As profileToJson writes a row: the next field's key, in encodeStat's order, right here
      // (no space), with its colon.
      const opening = expected < count ? openings[expected]! : undefined
      if (
        opening !== undefined &&
        this.at + opening.length <= this.end &&
        sameBytes(opening, 0, b, this.at, opening.length)
      ) {
        field = expected
        this.at += opening.length
      } else {
        this.expect(QUOTE)
        const start = this.at
        const end = this.plainStringEnd()
        // encodeStat's order is tried first: the next field is usually the one after the last.
        for (let k = 0; k < count; k++) {
          const f = (expected + k) % count
          const word = fields[f]!
          if (word.length === end - start && sameBytes(word, 0, b, start, word.length)) {
            field = f
            break
          }
        }
        if (field < 0) throw GENERAL
        this.expect(COLON)
      }
      if (seen & (1 << field))
        throw duplicateKeyError(
          `tables.${out.name}.rows[${JSON.stringify(String(i))}]`,
          fields[field]!.toString('latin1'),
          this.source
        )
      seen |= 1 << field
      expected = field + 1
      this.space()
      setField(
        raw,
        field,
        field === NAME ? this.name() : field === TRUNCATED ? this.literal() : this.number()
      )
      this.filled |= 1 << field
      if (this.next()) break
    }
    if (!out.add(raw, this.memo)) throw GENERAL
  }

  /**
   * A row's name: looked up by its bytes when it has no escape (its memo left in `memo`), else
   * JSON.parse's string (no memo).
   */
  private name(): string {
    this.memo = undefined
    if (this.at >= this.end || this.bytes[this.at] !== QUOTE) throw GENERAL
    const open = this.at++
    const b = this.bytes
    const i = this.run.end(b, this.at, this.end, this.names.seed)
    if (i < this.end && b[i] === QUOTE) {
      this.at = i + 1
      this.memo = this.names.getHashed(b, open + 1, i, this.run.hash)
      return this.memo ? this.memo.text : b.toString('utf8', open + 1, i)
    }
    this.at = open
    const text = this.json()
    if (typeof text !== 'string') throw GENERAL
    return text
  }

  /** `true` or `false` (what encodeStat writes for `truncated`). */
  private literal(): boolean {
    const b = this.bytes
    const i = this.at
    if (i + 5 > this.end) throw GENERAL
    if (b[i] === 0x74 && b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65) {
      this.at += 4
      return true
    }
    if (
      b[i] === 0x66 &&
      b[i + 1] === 0x61 &&
      b[i + 2] === 0x6c &&
      b[i + 3] === 0x73 &&
      b[i + 4] === 0x65
    ) {
      this.at += 5
      return false
    }
    throw GENERAL
  }

  /**
   * A JSON number, exactly as JSON.parse reads it: plain digits with at most 15 significant
   * figures and no exponent are exact as an integer, and one division by an exact 10^k rounds
   * once, as the conversion does (parse/nsys/numbers.ts); any other number (a sign, an exponent,
   * more digits) is converted from its text after its grammar is checked.
   */
  private number(): number {
    const b = this.bytes
    const start = this.at
    let i = start
    let simple = true
    if (b[i] === MINUS) {
      simple = false
      i++
    }
    let digits = 0
    let count = 0
    const first = b[i]
    if (first === undefined || first < ZERO || first > NINE || i >= this.end) throw GENERAL
    if (first === ZERO) {
      i++
      count = 1
    } else {
      for (; i < this.end && b[i]! >= ZERO && b[i]! <= NINE; i++) {
        digits = digits * 10 + (b[i]! - ZERO)
        count++
      }
    }
    let fraction = 0
    if (i < this.end && b[i] === POINT) {
      i++
      const from = i
      for (; i < this.end && b[i]! >= ZERO && b[i]! <= NINE; i++) {
        digits = digits * 10 + (b[i]! - ZERO)
        count++
      }
      fraction = i - from
      if (fraction === 0) throw GENERAL
    }
    if (i < this.end && (b[i] === 0x65 || b[i] === 0x45)) {
      simple = false
      i++
      if (b[i] === 0x2b || b[i] === MINUS) i++
      const from = i
      while (i < this.end && b[i]! >= ZERO && b[i]! <= NINE) i++
      if (i === from) throw GENERAL
    }
    this.at = i
    if (simple && count <= 15) return fraction === 0 ? digits : digits / POWERS[fraction]!
    return Number(b.toString('latin1', start, i))
  }
}
