/**
 * JSON at the byte level, for the streaming Chrome trace reader: find where a string or a value
 * ends, compare a key, read a number, decode a string — on a Buffer, without building strings or
 * objects for what is only skipped.
 *
 * A value that runs past the bytes at hand throws NEED_MORE (the reader retries with more input);
 * a value that cannot be JSON throws a ByteSyntaxError with its offset.
 */

export const QUOTE = 0x22
export const BACKSLASH = 0x5c
export const COLON = 0x3a
export const COMMA = 0x2c
export const LBRACE = 0x7b
export const RBRACE = 0x7d
export const LBRACKET = 0x5b
export const RBRACKET = 0x5d

/**
 * Thrown when a value is cut by the end of the bytes at hand (not of the input): the reader waits
 * for more and retries. One instance, made once: throwing it costs no stack trace.
 */
class NeedMore extends Error {
  override readonly name = 'NeedMore'
}
export const NEED_MORE = new NeedMore('need more input')

export class ByteSyntaxError extends Error {
  override readonly name = 'ByteSyntaxError'
  constructor(
    message: string,
    /** Index in the buffer where it went wrong. */
    readonly at: number,
    /** The input ended inside a value (a truncated file), rather than holding a wrong byte. */
    readonly cut = false
  ) {
    super(message)
  }
}

/** The bytes of a string searched for its end in JS before a native search (most keys are shorter). */
const NEAR = 32

/** Nesting deeper than this is not a trace a profiler writes (and would cost unbounded work). */
const MAX_DEPTH = 512

/** 1 for the bytes skipNested acts on: quotes, brackets and braces. */
export const STRUCTURAL = new Uint8Array(256)
for (const c of [QUOTE, LBRACE, RBRACE, LBRACKET, RBRACKET]) STRUCTURAL[c] = 1

/** 1 for JSON's white space. */
const SPACE = new Uint8Array(256)
for (const c of [0x20, 0x0a, 0x0d, 0x09]) SPACE[c] = 1

/** 1 for the bytes that end a scalar: `,`, `}`, `]` and JSON's white space. */
const ENDS_SCALAR = new Uint8Array(256)
for (const c of [COMMA, RBRACE, RBRACKET, 0x20, 0x0a, 0x0d, 0x09]) ENDS_SCALAR[c] = 1

/**
 * A scanner over one buffer. `end` is where the bytes at hand stop; `final` says that no more
 * will come (the end of the input), so a look past `end` is an answer, not a wait.
 *
 * Strings are read tolerantly: before kineto's fix (pytorch/pytorch#146900) names holding a `"`
 * were written without escaping it. A `"` closes a string only when what follows can follow a
 * string in JSON (`:`, `}`, `]`, or `,` and the start of a value); otherwise it is part of the
 * string, and `rawQuotes` counts it. On valid JSON this is exactly the strict rule.
 */
export class ByteScanner {
  buf: Buffer = Buffer.alloc(0)
  end = 0
  final = false
  /** Quotes read as part of a string (invalid JSON of older exporters), since creation. */
  rawQuotes = 0

  reset(buf: Buffer, end: number, final: boolean): void {
    this.buf = buf
    this.end = end
    this.final = final
  }

  /** The first non-space index at or after `i` (may be `end`). */
  space(i: number): number {
    const { buf, end } = this
    const space = SPACE
    while (i < end && space[buf[i]!] === 1) i++
    return i
  }

  /** Like space, but the byte there must exist. */
  spaceTo(i: number): number {
    i = this.space(i)
    if (i >= this.end)
      throw this.final ? new ByteSyntaxError('the input ends early', i, true) : NEED_MORE
    return i
  }

  /**
   * The index of the quote that closes the string whose first byte is at `i`. Quotes are found
   * natively (indexOf); a quote after an odd number of backslashes is escaped.
   */
  stringEnd(i: number): number {
    const { buf, end } = this
    // The usual string, decided here: a short one whose first quote has no backslash before it
    // and is followed by what can only follow the end of a string (`:`, `}`, `]`, `, "`), which
    // is what closes() would say. Anything else takes the general way below.
    const near = i + NEAR < end ? i + NEAR : end
    let q = i
    while (q < near && buf[q] !== QUOTE) q++
    if (q === near) return this.stringEndFrom(i, near)
    if (q + 2 < end && buf[q - 1] !== BACKSLASH) {
      const n = buf[q + 1]
      if (n === COLON || n === RBRACE || n === RBRACKET) return q
      if (n === COMMA) {
        const m = buf[q + 2]
        if (m === QUOTE || (m === 0x20 && buf[q + 3] === QUOTE)) return q
      }
    }
    return this.stringEndFrom(i, i)
  }

  /**
   * The general way of stringEnd for the string whose first byte is at `i`, searching from `k`
   * (no quote lies in [i, k)).
   */
  private stringEndFrom(i: number, k: number): number {
    const { buf, end } = this
    for (;;) {
      // Past the first bytes (a long string: a kernel name), the quote is searched natively;
      // within them, a few bytes in JS cost less than a call into C++.
      let q = -1
      if (k > i) q = buf.indexOf(QUOTE, k)
      else {
        const near = Math.min(k + NEAR, end)
        for (let j = k; j < near; j++)
          if (buf[j] === QUOTE) {
            q = j
            break
          }
        if (q < 0 && near < end) q = buf.indexOf(QUOTE, near)
      }
      if (q < 0 || q >= end)
        throw this.final ? new ByteSyntaxError('a string is not closed', i, true) : NEED_MORE
      let b = q
      while (b > i && buf[b - 1] === BACKSLASH) b--
      if ((q - b) % 2 === 0) {
        if (this.closes(q + 1)) return q
        this.rawQuotes += 1
      }
      k = q + 1
    }
  }

  /**
   * The index just past the object or array whose opening bracket is at `i`. `outer`: the levels
   * it lies in that count towards MAX_DEPTH (the members of an object read one by one).
   */
  skipNested(i: number, depth = 0, outer = 0): number {
    const { buf, end } = this
    const structural = STRUCTURAL
    for (let k = i; k < end; k++) {
      const c = buf[k]!
      // One table lookup passes over the bytes that matter to nothing here (digits, letters, …).
      if (structural[c] === 0) continue
      if (c === QUOTE) k = this.stringEnd(k + 1)
      else if (c === LBRACE || c === LBRACKET) {
        if (++depth + outer > MAX_DEPTH)
          throw new ByteSyntaxError(`nesting deeper than ${MAX_DEPTH}`, k)
      } else if (c === RBRACE || c === RBRACKET) {
        if (--depth === 0) return k + 1
      }
    }
    throw this.final ? new ByteSyntaxError('the input ends early', end, true) : NEED_MORE
  }

  /** Can the bytes from `j` follow the end of a string? */
  private closes(j: number): boolean {
    const { buf, end } = this
    let k = this.space(j)
    if (k >= end) {
      if (this.final) return true
      throw NEED_MORE
    }
    const c = buf[k]
    if (c === COLON || c === RBRACE || c === RBRACKET) return true
    if (c !== COMMA) return false
    k = this.space(k + 1)
    if (k >= end) {
      if (this.final) return true
      throw NEED_MORE
    }
    const v = buf[k] as number
    return (
      v === QUOTE ||
      v === LBRACE ||
      v === LBRACKET ||
      v === 0x2d || // -
      (v >= 0x30 && v <= 0x39) ||
      v === 0x74 || // true
      v === 0x66 || // false
      v === 0x6e // null
    )
  }

  /** The index just after the value that starts at `i` (no space before it); `outer` as for skipNested. */
  valueEnd(i: number, outer = 0): number {
    const { buf, end } = this
    if (i >= end)
      throw this.final ? new ByteSyntaxError('the input ends early', i, true) : NEED_MORE
    const c = buf[i]
    if (c === QUOTE) return this.stringEnd(i + 1) + 1
    if (c === LBRACE || c === LBRACKET) return this.skipNested(i, 0, outer)
    // A scalar: it ends at a delimiter (or at the end of the input).
    const ends = ENDS_SCALAR
    let k = i
    while (k < end && ends[buf[k]!] === 0) k += 1
    if (k >= end && !this.final) throw NEED_MORE
    if (k === i) throw new ByteSyntaxError(`unexpected "${String.fromCharCode(c ?? 0)}"`, k)
    return k
  }

  /**
   * Whether buf[s, e) holds exactly the bytes of `key`: compared here when short, natively when
   * long (a call into C++ costs more than a short loop).
   */
  equals(s: number, e: number, key: Uint8Array): boolean {
    const n = key.length
    if (e - s !== n) return false
    const { buf } = this
    if (n > 64) return buf.compare(key, 0, n, s, e) === 0
    for (let k = 0; k < n; k++) if (buf[s + k] !== key[k]) return false
    return true
  }
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0))
}

/** The start of a number's bytes, without the quotes some writers put around it (rpd2tracing). */
function numberStart(buf: Buffer, s: number, e: number): number {
  return e - s >= 2 && buf[s] === QUOTE && buf[e - 1] === QUOTE ? s + 1 : s
}

/** Where a number's bytes end, without the quotes (see numberStart). */
function numberEnd(buf: Buffer, s: number, e: number): number {
  return e - s >= 2 && buf[s] === QUOTE && buf[e - 1] === QUOTE ? e - 1 : e
}

/**
 * A time in microseconds (a JSON number, or a number in a string), split so that nothing is lost
 * to floating point: `whole` microseconds and `fraction` nanoseconds (0 ≤ fraction < 1000, negative
 * for negative times). Kineto writes `<ns/1000>.<3 digits>`; `2413669097444.592` would lose its
 * last digit as nanoseconds in one double.
 */
export interface Micros {
  whole: number
  fraction: number
}

/** Reads a time into `out` (see Micros); false when it is not a number. */
export function readMicros(buf: Buffer, start: number, stop: number, out: Micros): boolean {
  const s = numberStart(buf, start, stop)
  const e = numberEnd(buf, start, stop)
  let k = s
  let negative = false
  if (buf[k] === 0x2d) {
    negative = true
    k += 1
  }
  let whole = 0
  let digits = 0
  while (k < e) {
    const c = buf[k] as number
    if (c < 0x30 || c > 0x39) break
    whole = whole * 10 + (c - 0x30)
    digits += 1
    k += 1
  }
  let fraction = 0
  if (k < e && buf[k] === 0x2e) {
    k += 1
    let scale = 100
    while (k < e) {
      const c = buf[k] as number
      if (c < 0x30 || c > 0x39) break
      fraction += (c - 0x30) * scale
      scale /= 10
      digits += 1
      k += 1
    }
  }
  if (digits === 0) return false
  if (k < e) return readMicrosExponent(buf.toString('latin1', s, e), out)
  out.whole = negative ? -whole : whole
  out.fraction = negative ? -fraction : fraction
  return true
}

/**
 * A time written with an exponent (`1e-3`, `1.7e15`, `2.5E+1`: the rare case), read from its
 * digits as readMicros reads the others, so that nothing is lost to a double: `1.7000000000000001e15`
 * is 1700000000000000.1 µs, where a double holds 1700000000000000. Anything else is not a time.
 */
function readMicrosExponent(text: string, out: Micros): boolean {
  const m = /^(-?)(\d+)(?:\.(\d+))?[eE]([+-]?\d{1,4})$/.exec(text)
  if (!m) return false
  const digits = m[2]! + (m[3] ?? '')
  // The decimal point's place in `digits` once the exponent has moved it.
  const point = m[2]!.length + Number(m[4])
  if (point > 21) return false
  const int = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0')
  const rest = point >= 0 ? digits.slice(point) : '0'.repeat(-point) + digits
  const whole = Number(int)
  // Nanoseconds: the first three decimals, then what lies below a nanosecond.
  const ns = rest.slice(0, 3).padEnd(3, '0')
  const below = rest.length > 3 ? Number(`0.${rest.slice(3, 20)}`) : 0
  const fraction = Number(ns) + below
  const negative = m[1] === '-'
  out.whole = negative ? -whole : whole
  out.fraction = negative ? -fraction : fraction
  return true
}

/**
 * A whole number from a JSON number or string: `7`, `"7"`, `"0x1f"` (ROCm streams), `"stream 7"`
 * (2021 traces' tids). undefined when there is none.
 */
export function readInteger(buf: Buffer, start: number, stop: number): number | undefined {
  const s = numberStart(buf, start, stop)
  const e = numberEnd(buf, start, stop)
  if (e <= s || e - s > 40) return undefined
  if (e - s <= 15) {
    // The usual case, plain digits: below 10^15, so exact as they add up (as Number() reads them).
    let value = 0
    let k = s
    for (; k < e; k++) {
      const c = buf[k] as number
      if (c < 0x30 || c > 0x39) break
      value = value * 10 + (c - 0x30)
    }
    if (k === e) return value
  }
  if (e - s > 2 && buf[s] === 0x30 && (buf[s + 1] === 0x78 || buf[s + 1] === 0x58)) {
    const value = Number.parseInt(buf.toString('latin1', s + 2, e), 16)
    return Number.isSafeInteger(value) ? value : undefined
  }
  // Trailing digits (the whole text, or after "stream ").
  let k = e
  while (k > s && (buf[k - 1] as number) >= 0x30 && (buf[k - 1] as number) <= 0x39) k--
  if (k === e) {
    // Not digits at the end: a plain number with a fraction or exponent?
    const value = Number(buf.toString('latin1', s, e))
    return Number.isFinite(value) && Number.isInteger(value) ? value : undefined
  }
  if (k > s && !(buf[k - 1] === 0x20 || buf[k - 1] === 0x2d)) return undefined
  const value = Number(buf.toString('latin1', k, e))
  return buf[k - 1] === 0x2d && k - 1 === s ? -value : value
}

/** A number (JSON number or number in a string); undefined when it is not one. */
export function readNumber(buf: Buffer, start: number, stop: number): number | undefined {
  const s = numberStart(buf, start, stop)
  const e = numberEnd(buf, start, stop)
  if (e <= s || e - s > 64) return undefined
  const text = buf.toString('latin1', s, e)
  // A number as JSON writes one: Number() alone reads "" and " " as 0, and "0x10" as 16.
  if (!JSON_NUMBER.test(text)) return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

const JSON_NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/** The text of the string whose content is buf[s, e) (between its quotes), escapes undone. */
export function decodeString(buf: Buffer, s: number, e: number): string {
  const raw = buf.toString('utf8', s, e)
  return raw.includes('\\') ? unescape(raw) : raw
}

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f'
}

/** JSON escapes (`\n`, `\"`, `\u00e9`, …); a surrogate pair is two `\u` escapes, joined here. */
function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|[^u])/g, (_, e: string) =>
    e.length === 5 ? String.fromCharCode(Number.parseInt(e.slice(1), 16)) : (ESCAPES[e] ?? e)
  )
}
