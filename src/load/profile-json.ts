import { open, type FileHandle } from 'node:fs/promises'
import { InputError } from '../errors.js'
import { findDuplicateKey, readProfileJsonBytes } from '../parse/profile-json.js'
import { duplicateKeyError, PROFILE_KIND, profileFromJson } from '../profile/json.js'
import type { Profile } from '../profile/model.js'
import { quoted } from '../text.js'
import { fsError, jsonSyntaxProblem, regularFile, withoutBom } from './files.js'
import { ROCPROFV3_CSV } from './sniff.js'

/** The largest profile JSON read (a profile of 20,000 kernels is a few MB). */
export const MAX_PROFILE_BYTES = 512 * 1024 * 1024

/**
 * The bytes of a file, in a buffer of FREE_BUFFERS where one is free: a baseline of ten runs is
 * ten files of several MB, and memory the process has used before costs less than fresh memory
 * (docs/performance.md). The caller gives the buffer back. A file that grew since its stat is
 * read whole all the same.
 */
export async function readWhole(
  path: string,
  size: number
): Promise<{ bytes: Buffer; length: number }> {
  let bytes = FREE_BUFFERS.pop()
  // With room to spare: the runs of a baseline differ by a few bytes, and a buffer that fits
  // one fits the next.
  if (bytes === undefined || bytes.length < size + 1)
    bytes = Buffer.allocUnsafeSlow(size + 1 + (size >> 3))
  let handle: FileHandle | undefined
  let length = 0
  try {
    handle = await open(path, 'r')
    for (;;) {
      if (length === bytes.length) {
        if (length > MAX_PROFILE_BYTES) throw new InputError(tooLarge(path, length))
        const grown = Buffer.allocUnsafeSlow(length * 2)
        bytes.copy(grown, 0, 0, length)
        bytes = grown
      }
      const { bytesRead } = await handle.read(bytes, length, bytes.length - length, null)
      if (bytesRead === 0) break
      length += bytesRead
    }
  } catch (error) {
    throw fsError(path, error)
  } finally {
    await handle?.close().catch(() => undefined)
  }
  return { bytes, length }
}

const FREE_BUFFERS: Buffer[] = []
/** Files being read now; the release of FREE_BUFFERS when the last one ended. */
let reading = 0
let release: NodeJS.Immediate | undefined
/** Larger buffers are not kept for the next file. */
const MAX_KEPT_BYTES = 64 * 1024 * 1024

const tooLarge = (path: string, bytes: number): string =>
  `${quoted(path)} is a ${Math.round(bytes / 2 ** 20)} MiB JSON file, too large for a profile JSON`

/** Reads a profile JSON written by nsys-bench (untrusted: a baseline from an artifact). */
export async function loadProfileJson(path: string, progress?: () => void): Promise<Profile> {
  const info = regularFile(path)
  if (info.size > MAX_PROFILE_BYTES) throw new InputError(tooLarge(path, info.size))
  reading += 1
  if (release) clearImmediate(release)
  release = undefined
  let text: string
  try {
    const { bytes, length } = await readWhole(path, info.size)
    try {
      // The fast path: the rows read from the bytes (parse/profile-json.ts).
      const document = readProfileJsonBytes(bytes, length, undefined, progress, path)
      if (document?.kind === PROFILE_KIND) return profileFromJson(document, path)
      // The general path, which says what is wrong where the fast path stepped aside.
      // Decoded whole: readFile's own decoding goes chunk by chunk, several times slower. A byte
      // order mark is skipped, as the fast path skips it.
      text = withoutBom(bytes.toString('utf8', 0, length))
    } finally {
      if (bytes.length <= MAX_KEPT_BYTES) FREE_BUFFERS.push(bytes)
    }
  } finally {
    // The buffers are kept while files are being read, and let go when none is.
    if (--reading === 0) release = setImmediate(() => (FREE_BUFFERS.length = 0)).unref()
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InputError(`${quoted(path)} is not valid JSON: ${jsonSyntaxProblem(error, text)}`)
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>
    if (record.kind === PROFILE_KIND) {
      // JSON.parse kept the last of a key written twice: refused, as the fast path refuses it.
      const duplicate = findDuplicateKey(text)
      if (duplicate) throw duplicateKeyError(duplicate.where, duplicate.key, path)
      return profileFromJson(value, path)
    }
    if ('rocprofiler-sdk-tool' in record)
      throw new InputError(
        `${quoted(path)} is rocprofv3's JSON output (--output-format json), not a profile JSON; nsys-bench does not read it: ${ROCPROFV3_CSV}`
      )
    if ('traceEvents' in record) {
      throw new InputError(
        `${quoted(path)} is a Chrome trace (PyTorch profiler, Perfetto), not a profile JSON: give trace files one by one (without --input-format profile-json); a directory of traces is not read`
      )
    }
  }
  throw new InputError(
    `${quoted(path)} is JSON but not a profile written by nsys-bench (expected "kind": "${PROFILE_KIND}")`
  )
}
