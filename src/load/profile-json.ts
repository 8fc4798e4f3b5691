import { readFile } from 'node:fs/promises'
import { InputError } from '../errors.js'
import { PROFILE_KIND, profileFromJson } from '../profile/json.js'
import type { Profile } from '../profile/model.js'
import { clip, quoted, visible } from '../text.js'
import { fsError, regularFile } from './files.js'

/** The largest profile JSON read (a profile of 20,000 kernels is a few MB). */
const MAX_PROFILE_BYTES = 512 * 1024 * 1024

/** Reads a profile JSON written by nsys-bench (untrusted: a baseline from an artifact). */
export async function loadProfileJson(path: string): Promise<Profile> {
  const info = await regularFile(path)
  if (info.size > MAX_PROFILE_BYTES) {
    throw new InputError(
      `${quoted(path)} is a ${Math.round(info.size / 2 ** 20)} MiB JSON file, too large for a profile JSON`
    )
  }
  let text: string
  try {
    // Decoded whole: readFile's own decoding goes chunk by chunk, several times slower.
    text = (await readFile(path)).toString('utf8')
  } catch (error) {
    throw fsError(path, error)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InputError(
      `${quoted(path)} is not valid JSON: ${visible(clip((error as Error).message, 200))}`
    )
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>
    if (record.kind === PROFILE_KIND) return profileFromJson(value, path)
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
