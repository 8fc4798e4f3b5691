import { InputError } from '../errors.js'
import { arenaFind, arenaOffset } from './byte-arena.js'

/**
 * Splits a byte or text stream into lines without ever holding more than one line and one chunk:
 * inputs reach gigabytes. Handles \n and \r\n; a lone \r stays in the line (progress bars).
 *
 * Each chunk is scanned once: a line that spans many chunks is kept as a list of pieces and
 * joined once, so time stays linear in the input whatever the line lengths. A line longer than
 * `maxLineLength` is refused (nsys never writes one; V8 cannot hold a string over ~512 MiB).
 *
 * Bytes are split into lines as bytes. Each whole line is first offered to `sink.bytes` (a
 * parser's fast path, which reads a table row in place without making a string of it); a line
 * it does not take is decoded and given to `sink.text`. Lines are decoded one at a time: a line
 * break is ASCII, so no UTF-8 sequence spans two lines and each line decodes as it would in the
 * whole text.
 */
export interface LineOptions {
  /** The file name, for the error on an over-long line. */
  source: string
  maxLineLength?: number
  /** The number of the first line (a reader that starts past the start of a file). */
  firstLine?: number
}

export interface LineSink {
  /**
   * Offered every line of a byte stream that ends with a line break: bytes [start, end) of
   * `bytes`, without the line break (nor the \r of \r\n). True when it took the line; the bytes
   * are valid only during the call.
   */
  bytes?: (bytes: Buffer, start: number, end: number, lineNo: number) => boolean
  /** Every other line; `terminated` is false for a last line without a line break. */
  text: (line: string, lineNo: number, terminated: boolean) => void
}

export const MAX_LINE_LENGTH = 4 * 1024 * 1024

export async function forEachLine(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  sink: LineSink,
  options: LineOptions
): Promise<number> {
  const max = options.maxLineLength ?? MAX_LINE_LENGTH
  let lineNo = (options.firstLine ?? 1) - 1
  const tooLongHere = (): never => tooLong(lineNo + 1, max, options.source)

  // Text chunks (tests, the demo): pieces of a line are strings.
  let pieces: string[] = []
  let pending = 0
  const emitText = (last: string, terminated: boolean): void => {
    let line = pieces.length === 0 ? last : pieces.join('') + last
    pieces = []
    pending = 0
    if (terminated && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1)
    sink.text(line, ++lineNo, terminated)
  }
  const takeText = (text: string): void => {
    let start = 0
    let newline = text.indexOf('\n')
    while (newline >= 0) {
      if (pending + newline - start > max) tooLongHere()
      emitText(text.slice(start, newline), true)
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    if (start < text.length) {
      pending += text.length - start
      if (pending > max) tooLongHere()
      pieces.push(text.slice(start))
    }
  }

  // Byte chunks: the start of an unfinished line is copied into `carry` (the chunk may be reused
  // by its reader once taken), which grows by doubling up to the longest line allowed.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  let carry = Buffer.alloc(0)
  let carried = 0
  // Where the next \r of the current chunk is (-1: none after `crFrom`): a line with a \r inside
  // (a progress bar's redraw) goes the text path, which keeps what follows the last one.
  let cr = -1
  let crFrom = Infinity
  const hasCr = (bytes: Buffer, start: number, stop: number): boolean => {
    if (start < crFrom || (cr >= 0 && cr < start)) {
      cr = bytes.indexOf(13, start)
      crFrom = start
    }
    return cr >= 0 && cr < stop
  }
  const emitBytes = (bytes: Buffer, start: number, end: number, terminated: boolean): void => {
    let stop = end
    if (terminated && stop > start && bytes[stop - 1] === 13) stop -= 1
    lineNo += 1
    if (
      terminated &&
      sink.bytes &&
      !hasCr(bytes, start, stop) &&
      sink.bytes(bytes, start, stop, lineNo)
    )
      return
    sink.text(decoder.decode(bytes.subarray(start, stop)), lineNo, terminated)
  }
  const keep = (bytes: Uint8Array, start: number, end: number): void => {
    const need = carried + end - start
    if (need > max) tooLongHere()
    if (need > carry.length) {
      const grown = Buffer.allocUnsafe(Math.min(Math.max(need, 2 * carry.length, 4096), max))
      carry.copy(grown, 0, 0, carried)
      carry = grown
    }
    carry.set(bytes.subarray(start, end), carried)
    carried = need
  }
  const takeBytes = (bytes: Buffer): void => {
    crFrom = Infinity
    // A chunk in WebAssembly memory (read by a thread of its own) has its lines found there.
    const base = arenaOffset(bytes)
    const newlineFrom = (from: number): number => {
      if (base < 0) return bytes.indexOf(10, from)
      const at = arenaFind(base + from, base + bytes.length, 10)
      return at < 0 ? -1 : at - base
    }
    let start = 0
    let newline = newlineFrom(0)
    if (carried > 0) {
      if (newline < 0) {
        keep(bytes, 0, bytes.length)
        return
      }
      keep(bytes, 0, newline)
      crFrom = Infinity
      emitBytes(carry, 0, carried, true)
      carried = 0
      crFrom = Infinity
      start = newline + 1
      newline = newlineFrom(start)
    }
    while (newline >= 0) {
      if (newline - start > max) tooLongHere()
      emitBytes(bytes, start, newline, true)
      start = newline + 1
      newline = newlineFrom(start)
    }
    if (start < bytes.length) keep(bytes, start, bytes.length)
  }

  for await (const chunk of chunks) {
    if (typeof chunk === 'string') {
      if (carried > 0) {
        // Text after bytes (no reader mixes them; kept correct anyway): the bytes join as text.
        pieces.push(decoder.decode(carry.subarray(0, carried)))
        pending += carried
        carried = 0
      }
      takeText(chunk)
    } else {
      if (pieces.length > 0) {
        const text = new TextEncoder().encode(pieces.join(''))
        pieces = []
        pending = 0
        keep(text, 0, text.length)
      }
      // A Buffer view of other byte arrays: the sink reads with Buffer's native methods.
      takeBytes(
        Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
      )
    }
  }
  if (carried > 0) emitBytes(carry, 0, carried, false)
  else if (pending > 0) emitText('', false)
  return lineNo
}

function tooLong(lineNo: number, max: number, source: string): never {
  throw new InputError(
    `line ${lineNo} is longer than ${max / (1024 * 1024)} MiB; nsys stats output has no such lines ` +
      '(is this a binary or a different kind of file?)',
    { file: source }
  )
}
