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

/** Nesting deeper than this is not a trace a profiler writes (and would cost unbounded work). */
const MAX_DEPTH = 512

export function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

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
  /** Whether the last string found by stringEnd has escapes / non-ASCII bytes. */
  escaped = false
  high = false

  reset(buf: Buffer, end: number, final: boolean): void {
    this.buf = buf
    this.end = end
    this.final = final
  }

  /** The first non-space index at or after `i` (may be `end`). */
  space(i: number): number {
    const { buf, end } = this
    while (i < end && isSpace(buf[i])) i++
    return i
  }

  /** Like space, but the byte there must exist. */
  spaceTo(i: number): number {
    i = this.space(i)
    if (i >= this.end)
      throw this.final ? new ByteSyntaxError('the input ends early', i, true) : NEED_MORE
    return i
  }

  /** The index of the quote that closes the string whose first byte is at `i`. */
  stringEnd(i: number): number {
    const { buf, end } = this
    let escaped = false
    let high = false
    for (let k = i; k < end; k++) {
      const c = buf[k] as number
      if (c === QUOTE) {
        if (this.closes(k + 1)) {
          this.escaped = escaped
          this.high = high
          return k
        }
        this.rawQuotes += 1
      } else if (c === BACKSLASH) {
        escaped = true
        k += 1
      } else if (c >= 0x80) high = true
    }
    throw this.final ? new ByteSyntaxError('a string is not closed', i, true) : NEED_MORE
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

  /**
   * The index just after the value that starts at `i` (no space before it). Iterative: nesting
   * costs no stack, and is bounded.
   */
  valueEnd(i: number): number {
    const { buf, end } = this
    let depth = 0
    let k = i
    for (;;) {
      if (k >= end)
        throw this.final ? new ByteSyntaxError('the input ends early', k, true) : NEED_MORE
      const c = buf[k] as number
      if (c === QUOTE) {
        k = this.stringEnd(k + 1) + 1
      } else if (c === LBRACE || c === LBRACKET) {
        if (++depth > MAX_DEPTH) throw new ByteSyntaxError(`nesting deeper than ${MAX_DEPTH}`, k)
        k += 1
      } else if (c === RBRACE || c === RBRACKET) {
        if (depth === 0) throw new ByteSyntaxError(`unexpected "${String.fromCharCode(c)}"`, k)
        depth -= 1
        k += 1
      } else if (depth > 0) {
        k += 1
        continue
      } else {
        // A scalar at the top: it ends at a delimiter (or at the end of the input).
        while (k < end) {
          const d = buf[k]
          if (d === COMMA || d === RBRACE || d === RBRACKET || isSpace(d)) break
          k += 1
        }
        if (k >= end && !this.final) throw NEED_MORE
        if (k === i) throw new ByteSyntaxError('a value is missing', k)
        return k
      }
      if (depth === 0) return k
    }
  }

  /** Whether buf[s, e) holds exactly the bytes of `key`. */
  equals(s: number, e: number, key: Uint8Array): boolean {
    if (e - s !== key.length) return false
    const { buf } = this
    for (let k = 0; k < key.length; k++) if (buf[s + k] !== key[k]) return false
    return true
  }

  /**
   * Calls `visit` for each member of the object at buf[s, e) (its `{` at s, a complete value):
   * key span and value span (the value's first and past-last bytes).
   */
  members(
    s: number,
    e: number,
    visit: (ks: number, ke: number, vs: number, ve: number) => void
  ): void {
    const saved = { end: this.end, final: this.final }
    this.end = e
    this.final = true
    try {
      let p = this.spaceTo(s + 1)
      if (this.buf[p] === RBRACE) return
      for (;;) {
        if (this.buf[p] !== QUOTE) throw new ByteSyntaxError('expected a key', p)
        const ks = p + 1
        const ke = this.stringEnd(ks)
        p = this.spaceTo(ke + 1)
        if (this.buf[p] !== COLON) throw new ByteSyntaxError('expected ":"', p)
        const vs = this.spaceTo(p + 1)
        const ve = this.valueEnd(vs)
        visit(ks, ke, vs, ve)
        p = this.spaceTo(ve)
        const c = this.buf[p]
        if (c === COMMA) p = this.spaceTo(p + 1)
        else if (c === RBRACE) return
        else throw new ByteSyntaxError('expected "," or "}"', p)
      }
    } finally {
      this.end = saved.end
      this.final = saved.final
    }
  }
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0))
}

/** The bytes of a number, without the quotes some writers put around it (rpd2tracing). */
function unquoted(buf: Buffer, s: number, e: number): [number, number] {
  if (e - s >= 2 && buf[s] === QUOTE && buf[e - 1] === QUOTE) return [s + 1, e - 1]
  return [s, e]
}

/**
 * A time in microseconds (a JSON number, or a number in a string), split so that nothing is lost
 * to floating point: `whole` microseconds and `fraction` nanoseconds (0 ≤ fraction < 1000, negative
 * for negative times). Kineto writes `<ns/1000>.<3 digits>`; `2413669097444.592` would lose its
 * last digit as nanoseconds in one double. undefined when it is not a number.
 */
export function readMicros(
  buf: Buffer,
  start: number,
  stop: number
): { whole: number; fraction: number } | undefined {
  const [s, e] = unquoted(buf, start, stop)
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
  if (digits === 0) return undefined
  if (k < e) {
    // An exponent (or anything else): the rare case, read as a double.
    const value = Number(buf.toString('latin1', s, e))
    if (!Number.isFinite(value)) return undefined
    const w = Math.trunc(value)
    return { whole: w, fraction: (value - w) * 1000 }
  }
  return negative ? { whole: -whole, fraction: -fraction } : { whole, fraction }
}

/**
 * A whole number from a JSON number or string: `7`, `"7"`, `"0x1f"` (ROCm streams), `"stream 7"`
 * (2021 traces' tids). undefined when there is none.
 */
export function readInteger(buf: Buffer, start: number, stop: number): number | undefined {
  const [s, e] = unquoted(buf, start, stop)
  if (e <= s || e - s > 40) return undefined
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
  const [s, e] = unquoted(buf, start, stop)
  if (e <= s || e - s > 64) return undefined
  const value = Number(buf.toString('latin1', s, e))
  return Number.isFinite(value) ? value : undefined
}

/**
 * The text of the string whose content is buf[s, e) (between its quotes). `escaped`/`high` come
 * from the scan that found it: most names are plain ASCII and are copied as they are.
 */
export function decodeString(
  buf: Buffer,
  s: number,
  e: number,
  escaped: boolean,
  high: boolean
): string {
  if (!escaped) return buf.toString(high ? 'utf8' : 'latin1', s, e)
  let out = ''
  let from = s
  for (let k = s; k < e; k++) {
    if (buf[k] !== BACKSLASH) continue
    out += buf.toString('utf8', from, k)
    const c = buf[k + 1]
    k += 1
    switch (c) {
      case 0x6e: // n
        out += '\n'
        break
      case 0x74: // t
        out += '\t'
        break
      case 0x72: // r
        out += '\r'
        break
      case 0x62: // b
        out += '\b'
        break
      case 0x66: // f
        out += '\f'
        break
      case 0x75: {
        // u: four hex digits (a surrogate pair is two of these, joined by the string itself)
        const code = Number.parseInt(buf.toString('latin1', k + 1, k + 5), 16)
        if (Number.isNaN(code)) out += '\\u'
        else {
          out += String.fromCharCode(code)
          k += 4
        }
        break
      }
      default:
        // \" \\ \/ and anything else: the character itself.
        if (c !== undefined) out += String.fromCharCode(c)
    }
    from = k + 1
  }
  return out + buf.toString('utf8', from, e)
}
