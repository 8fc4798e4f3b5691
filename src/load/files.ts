import {
  closeSync,
  constants,
  createReadStream,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  type Stats
} from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { errorMessage, InputError } from '../errors.js'
import { arenaBytes } from '../parse/byte-arena.js'
import { zlib } from '../lazy-node.js'
import { clip, quoted, visible } from '../text.js'

/**
 * File access for inputs: only regular files and directories are read (a FIFO, /dev/zero or a
 * socket would block or never end), and every failure of the file system becomes an InputError
 * that says what was wrong with which path.
 *
 * Metadata, first bytes and files of one chunk are read synchronously: each is a few microseconds
 * of a file the system has cached, where a round trip through libuv's thread pool costs more
 * than the read, and a compare of a few hundred kernels reads dozens of such files (about 4 ms
 * of one run a side, 10 of five; docs/performance.md, "Start-up"). A larger file is read in the
 * thread pool while the caller parses the chunk before (readChunks).
 */

export type Kind = 'directory' | 'gzip' | 'report' | 'json' | 'text'

/** What a path is: a directory, or a file recognised by its name and first bytes. */
export function inspect(path: string): Kind {
  const info = statOf(path)
  if (info.isDirectory()) return 'directory'
  requireFile(path, info)
  if (/\.(nsys-rep|qdrep|qdstrm|sqlite)$/i.test(path)) return 'report'
  const head = readHead(path, 4096)
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head.subarray(0, 16).toString('latin1').startsWith('SQLite format 3')) return 'report'
  if (head.includes(0)) {
    throw new InputError(
      `${quoted(path)} is a binary file (it has NUL bytes), not nsys stats output or a profile JSON`
    )
  }
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
  return text.startsWith('{') ? 'json' : 'text'
}

/**
 * The stat of a regular file. A FIFO would block the reader forever and a device never ends, so
 * anything else is refused before it is opened.
 */
export function regularFile(path: string): Stats {
  const info = statOf(path)
  requireFile(path, info)
  return info
}

function requireFile(path: string, info: Stats): void {
  if (info.isFile()) return
  if (info.isDirectory())
    throw new InputError(`${quoted(path)} is a directory where a file was expected`)
  throw new InputError(`${quoted(path)} is ${notAFile(info)}; give a file or a directory`)
}

/** What a path that is neither a regular file nor a directory is, for a message. */
function notAFile(info: Stats): string {
  return info.isFIFO()
    ? 'a named pipe (FIFO)'
    : info.isCharacterDevice() || info.isBlockDevice()
      ? 'a device'
      : info.isSocket()
        ? 'a socket'
        : 'not a regular file'
}

export function statOf(path: string): Stats {
  try {
    return statSync(path)
  } catch (error) {
    throw fsError(path, error)
  }
}

export function listDirectory(path: string): string[] {
  try {
    return readdirSync(path).sort()
  } catch (error) {
    throw fsError(path, error)
  }
}

/**
 * Opens a file to read without waiting for a writer: a path that became a FIFO after its stat
 * was looked at does not block the thread (O_NONBLOCK changes nothing for a regular file).
 */
function openToRead(path: string): number {
  try {
    return openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw fsError(path, error)
  }
}

/** The first `bytes` bytes of a file (fewer when it is shorter). */
export function readHead(path: string, bytes: number): Buffer {
  const fd = openToRead(path)
  try {
    const buffer = Buffer.alloc(bytes)
    let read = 0
    for (let n; read < bytes && (n = readSync(fd, buffer, read, bytes - read, read)) > 0;) read += n
    return buffer.subarray(0, read)
  } catch (error) {
    throw fsError(path, error)
  } finally {
    closeSync(fd)
  }
}

/**
 * The bytes of a file as a stream whose errors name the file. The chunks are views of one buffer
 * that the next chunk overwrites: a consumer copies what it keeps (forEachLine does). Reading
 * into the same memory again and again keeps the process small and fast, where a fresh buffer
 * per chunk would make memory grow with the input until the collector runs. `offset`: where in
 * the file to start; `size`: chunks of 256 KiB, or 'large' for a file read on a thread of its
 * own (readLarge).
 */
export async function* readChunks(
  path: string,
  offset = 0,
  size: 'small' | 'large' = 'small'
): AsyncGenerator<Buffer> {
  if (size === 'large') {
    yield* readLarge(path, offset)
    return
  }
  if (yield* readSmall(path, offset)) return
  let handle: FileHandle | undefined
  // Buffers of the free list, or new ones: files read at once each hold two, and later files
  // take them over, so reading many files allocates no more than reading a few.
  const buffers = [
    FREE_BUFFERS.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK_SIZE),
    FREE_BUFFERS.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK_SIZE)
  ] as const
  let pending: Promise<{ bytesRead: number }> | undefined
  try {
    handle = await open(path, 'r')
    let current = 0
    let position = offset
    pending = handle.read(buffers[0], 0, SMALL_CHUNK_SIZE, position)
    for (;;) {
      const { bytesRead } = await pending
      pending = undefined
      if (bytesRead === 0) return
      position += bytesRead
      const chunk = buffers[current]!.subarray(0, bytesRead)
      // The next chunk is read into the other buffer while the caller parses this one (a chunk
      // is the caller's until it asks for the next): reading and parsing overlap.
      current ^= 1
      pending = handle.read(buffers[current]!, 0, SMALL_CHUNK_SIZE, position)
      yield chunk
    }
  } catch (error) {
    throw fsError(path, error)
  } finally {
    // A read still in flight writes into a buffer: it ends before the buffers are given back.
    if (pending) await pending.catch(() => undefined)
    FREE_BUFFERS.push(...buffers)
    await handle?.close().catch(() => undefined)
  }
}

/**
 * The chunks of a file read by a thread of its own (the readers of GPU and Chrome traces), in
 * chunks of 1 MiB, each read on this thread before it is handed over: the thread has nothing
 * else to do while it waits. A read handed to libuv's pool instead ran on a third thread, which on
 * two cores took its time from the two that parse, and left this one idle between chunks: the
 * 10-million-row GPU trace took 1.96 s and 3.44 s of CPU that way, 1.86 s and 3.13 s this way
 * (docs/performance.md, "Bytes in WebAssembly"). The buffer is in WebAssembly memory where there
 * is room (largeChunk). Only a regular file is read, as readSmall reads.
 */
function* readLarge(path: string, offset: number): Generator<Buffer> {
  const fd = openToRead(path)
  const buffer = FREE_LARGE_BUFFERS.pop() ?? largeChunk()
  try {
    regularFileOpen(path, fd)
    yield* readOpenFile(path, fd, buffer, offset)
  } finally {
    FREE_LARGE_BUFFERS.push(buffer)
    closeSync(fd)
  }
}

/**
 * The stat of the file open as `fd`, which must be a regular file: taken from the open file, so
 * that a path swapped for a FIFO since it was looked at is refused too.
 */
function regularFileOpen(path: string, fd: number): Stats {
  let info: Stats
  try {
    info = fstatSync(fd)
  } catch (error) {
    throw fsError(path, error)
  }
  requireFile(path, info)
  return info
}

/**
 * The bytes of the file open as `fd` from `position` to its end (read to its end should it grow),
 * read on this thread into `buffer`, each chunk a view of it that the next one overwrites.
 */
function* readOpenFile(
  path: string,
  fd: number,
  buffer: Buffer,
  position: number
): Generator<Buffer> {
  for (;;) {
    let n: number
    try {
      n = readSync(fd, buffer, 0, buffer.length, position)
    } catch (error) {
      throw fsError(path, error)
    }
    if (n === 0) return
    position += n
    yield buffer.subarray(0, n)
  }
}

/**
 * The chunks of a file of at most one chunk from `offset` on, read on this thread: true when it
 * was, false (nothing read) when it is larger. Only a regular file is read (its stat is taken from
 * the open file, so a path swapped for a FIFO since is refused too); one that grows while it is
 * read is read to its end.
 */
function* readSmall(path: string, offset: number): Generator<Buffer, boolean> {
  const fd = openToRead(path)
  let buffer: Buffer | undefined
  try {
    const info = regularFileOpen(path, fd)
    if (info.size - offset > SMALL_CHUNK_SIZE) return false
    buffer = FREE_BUFFERS.pop() ?? Buffer.allocUnsafeSlow(SMALL_CHUNK_SIZE)
    yield* readOpenFile(path, fd, buffer, offset)
    return true
  } finally {
    if (buffer) FREE_BUFFERS.push(buffer)
    closeSync(fd)
  }
}

/**
 * The decompressed bytes of a gzip-compressed file, streamed (a GPU trace CSV the action kept
 * compressed reaches gigabytes): errors name the file, and a stream that ends before its gzip
 * trailer is an error — a cut file must not read as a shorter report.
 */
export async function* gunzipChunks(path: string): AsyncGenerator<Buffer> {
  const file = createReadStream(path, { highWaterMark: SMALL_CHUNK_SIZE })
  const gunzip = zlib().createGunzip({ chunkSize: SMALL_CHUNK_SIZE })
  // A read error of the file reaches the gunzip stream's consumer only through this.
  let fileError: unknown
  file.on('error', (error) => {
    fileError = error
    gunzip.destroy(error)
  })
  try {
    for await (const chunk of file.pipe(gunzip)) yield chunk as Buffer
  } catch (error) {
    if (fileError !== undefined) throw fsError(path, fileError)
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'Z_BUF_ERROR')
      throw new InputError(
        'the gzip stream ends early: the file was cut (an interrupted download or copy?); get it whole again',
        { file: path }
      )
    if (typeof code === 'string' && code.startsWith('Z_'))
      throw new InputError(`is not valid gzip (${errorMessage(error)})`, { file: path })
    throw error
  } finally {
    file.destroy()
    gunzip.destroy()
  }
}

const SMALL_CHUNK_SIZE = 256 * 1024
const FREE_BUFFERS: Buffer[] = []
/**
 * For one large file read by a thread of its own (a trace in a worker, readLarge): each read is a
 * call into the kernel, whose cost a larger chunk spreads over more rows.
 */
const LARGE_CHUNK_SIZE = 1024 * 1024

/**
 * A buffer for readLarge: in WebAssembly memory where there is room, since a reader on a thread
 * of its own compares each row's end there with bytes it kept in the same memory, and finds the
 * lines' ends there (src/parse/byte-arena.ts).
 */
function largeChunk(): Buffer {
  return arenaBytes(LARGE_CHUNK_SIZE) ?? Buffer.allocUnsafeSlow(LARGE_CHUNK_SIZE)
}
const FREE_LARGE_BUFFERS: Buffer[] = []

/** A file-system failure as an InputError that says what to do. */
export function fsError(path: string, error: unknown): InputError {
  if (error instanceof InputError) return error
  const code = (error as NodeJS.ErrnoException).code
  const name = quoted(path)
  const message = (() => {
    switch (code) {
      case 'ENOENT':
        return `${name}: no such file or directory`
      case 'EACCES':
      case 'EPERM':
        return `${name}: permission denied`
      case 'ELOOP':
        return `${name}: too many levels of symbolic links (a symlink loop?)`
      case 'ENOTDIR':
        return `${name}: a part of the path is not a directory`
      case 'EISDIR':
        return `${name} is a directory where a file was expected`
      case 'EMFILE':
      case 'ENFILE':
        return `${name}: too many open files (raise the limit, e.g. \`ulimit -n 4096\`)`
      case 'ENAMETOOLONG':
        return `${name}: the path is too long`
      default:
        return `${name}: cannot read (${code ?? (error instanceof Error ? error.message : String(error))})`
    }
  })()
  return new InputError(message, undefined, { cause: error })
}

/**
 * The bytes of a file read whole that is not an input profile (a rules file, a comparison record,
 * a history), with the checks inputs get: only a regular file is read, opened without waiting for
 * a writer and checked on the open file (a FIFO, or a link to /dev/stdin, would block forever;
 * /dev/zero would never end), and at most `maxBytes` of it (a file that grows past them while it
 * is read is refused too). `what` names the file in the refusals, InputErrors of one line
 * (`cannot read the rules file "r.json": it is a named pipe (FIFO); give a regular file`); a
 * failure of the file system keeps its error as the cause (`code` ENOENT: there is no such file).
 */
export async function readFileWithin(
  path: string,
  what: string,
  maxBytes: number
): Promise<Buffer> {
  const refused = (why: string, cause?: unknown): InputError =>
    new InputError(
      `cannot read ${what} ${quoted(path)}: ${why}`,
      undefined,
      cause === undefined ? undefined : { cause }
    )
  const failed = (error: unknown): InputError =>
    error instanceof InputError ? error : refused(visible(clip(errorMessage(error), 200)), error)
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw failed(error)
  }
  try {
    const info = await handle.stat()
    if (info.isDirectory()) throw refused('it is a directory, not a file')
    if (!info.isFile()) throw refused(`it is ${notAFile(info)}; give a regular file`)
    const tooLarge = (size: string): InputError =>
      new InputError(
        `${what} ${quoted(path)} is ${size}, larger than nsys-bench reads (${sizeText(maxBytes)}): is it the right file?`
      )
    if (info.size > maxBytes) throw tooLarge(`${info.size.toLocaleString('en-US')} bytes`)
    // One byte more than the file's size, to see that it ended; grown to the limit should it grow.
    let bytes = Buffer.allocUnsafe(info.size + 1)
    let length = 0
    for (;;) {
      if (length === bytes.length) {
        if (length > maxBytes) throw tooLarge(`over ${sizeText(maxBytes)}`)
        const grown = Buffer.allocUnsafe(Math.min(length * 2, maxBytes + 1))
        bytes.copy(grown, 0, 0, length)
        bytes = grown
      }
      const { bytesRead } = await handle.read(bytes, length, bytes.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
    return bytes.subarray(0, length)
  } catch (error) {
    throw failed(error)
  } finally {
    await handle.close().catch(() => undefined)
  }
}

/** A limit for a message: `4 MiB`, `64 KiB`, `100 bytes` (a whole number of its unit, or bytes). */
function sizeText(bytes: number): string {
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`
  if (bytes >= 2 ** 10 && bytes % 2 ** 10 === 0) return `${bytes / 2 ** 10} KiB`
  return `${bytes.toLocaleString('en-US')} bytes`
}

/**
 * Reads and parses a JSON file that is not an input profile (readFileWithin: a regular file of at
 * most `maxBytes`). `what` names it in the messages ("the rules file"); `error` makes the error
 * of the caller's kind from a message and its cause (an InputError by default). A UTF-8 byte
 * order mark before the JSON is skipped (Windows editors and PowerShell's `Out-File` add one),
 * and a file cut short is said to be (jsonSyntaxProblem).
 */
export async function readJsonFile(
  path: string,
  what: string,
  maxBytes: number,
  error?: (message: string, cause: unknown) => Error
): Promise<unknown> {
  let text: string
  try {
    text = withoutBom((await readFileWithin(path, what, maxBytes)).toString('utf8'))
  } catch (cause) {
    // readFileWithin's InputError as it is, or made the caller's kind.
    throw error ? error(errorMessage(cause), cause) : cause
  }
  try {
    return JSON.parse(text)
  } catch (cause) {
    const message = `${what} ${quoted(path)} is not valid JSON: ${jsonSyntaxProblem(cause, text)}`
    throw error ? error(message, cause) : new InputError(message, undefined, { cause })
  }
}

/** The text without a leading UTF-8 byte order mark (U+FEFF), which JSON.parse refuses. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * What JSON.parse's error on `text` means for the person who gave the file: an empty file, a file
 * that ends inside the JSON (where the parser stopped at its end: a cut download or copy), or
 * the parser's own message.
 */
export function jsonSyntaxProblem(error: unknown, text: string): string {
  if (text.trim() === '') return 'the file is empty: give the file as it was written'
  const message = errorMessage(error)
  const at = /at position (\d+)/.exec(message)
  if (/end of JSON input/.test(message) || (at && Number(at[1]) >= text.trimEnd().length))
    return 'the file ends early (an interrupted download or copy?): get it whole again'
  return visible(clip(message, 200))
}
