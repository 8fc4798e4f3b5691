import { InputError } from '../errors.js'

/**
 * Splits a byte or text stream into lines without ever holding more than one line and one chunk:
 * inputs reach gigabytes. Handles \n and \r\n; a lone \r stays in the line (progress bars).
 *
 * Each chunk is scanned once: a line that spans many chunks is kept as a list of pieces and
 * joined once, so time stays linear in the input whatever the line lengths. A line longer than
 * `maxLineLength` is refused (nsys never writes one; V8 cannot hold a string over ~512 MiB).
 */
export interface LineOptions {
  /** The file name, for the error on an over-long line. */
  source: string
  maxLineLength?: number
}

export const MAX_LINE_LENGTH = 4 * 1024 * 1024

export async function forEachLine(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  onLine: (line: string, lineNo: number, terminated: boolean) => void,
  options: LineOptions
): Promise<number> {
  const max = options.maxLineLength ?? MAX_LINE_LENGTH
  const decoder = new TextDecoder('utf-8')
  let pieces: string[] = []
  let pending = 0
  let lineNo = 0
  const emit = (last: string, terminated: boolean): void => {
    let line = pieces.length === 0 ? last : pieces.join('') + last
    pieces = []
    pending = 0
    if (terminated && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1)
    onLine(line, ++lineNo, terminated)
  }
  const take = (text: string): void => {
    let start = 0
    let newline = text.indexOf('\n')
    while (newline >= 0) {
      if (pending + newline - start > max) tooLong(lineNo + 1, max, options.source)
      emit(text.slice(start, newline), true)
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    if (start < text.length) {
      pending += text.length - start
      if (pending > max) tooLong(lineNo + 1, max, options.source)
      pieces.push(text.slice(start))
    }
  }
  for await (const chunk of chunks) {
    take(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))
  }
  take(decoder.decode())
  if (pending > 0) emit('', false)
  return lineNo
}

function tooLong(lineNo: number, max: number, source: string): never {
  throw new InputError(
    `line ${lineNo} is longer than ${max / (1024 * 1024)} MiB; nsys stats output has no such lines ` +
      '(is this a binary or a different kind of file?)',
    { file: source }
  )
}
