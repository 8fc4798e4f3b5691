import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import { loadProfileJson, readWhole } from '../../src/load/profile-json.js'
import { ByteNames, hashBytes } from '../../src/parse/intern.js'
import { findDuplicateKey, HashedRun, readProfileJsonBytes } from '../../src/parse/profile-json.js'
import {
  PROFILE_KIND,
  profileFromJson,
  profileToJson,
  RowsFromBytes
} from '../../src/profile/json.js'
import { TABLE_NAMES, type Profile } from '../../src/profile/model.js'
import { keyIn } from '../../src/profile/packed.js'
import { CORPUS, FIXTURES } from '../support/paths.js'

/**
 * Profile JSON is read from its bytes where it has the shape profileToJson writes
 * (parse/profile-json.ts), and by JSON.parse of the whole text otherwise. JSON.parse is the
 * reference: on every input below, valid or not, the loader must give what JSON.parse and
 * profileFromJson give (the same profile, or the same error), and the fast path must have been
 * taken where the input is in its shape.
 */

const work = mkdtempSync(join(tmpdir(), 'nsys-bench-profile-json-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

type Outcome = { profile: string } | { error: string }

/** A profile as text that shows every row under its key, and everything profileToJson writes. */
function describeProfile(profile: Profile): string {
  const tables = TABLE_NAMES.flatMap((name) => {
    const table = profile.tables[name]
    return table ? [[name, [...table.entries()]]] : []
  })
  return JSON.stringify({ json: profileToJson(profile), tables })
}

function errorOf(error: unknown): Outcome {
  const message = (error as Error).message
  // The loader names the file and the key; the reference has none to name.
  if (/is not valid JSON/.test(message)) return { error: 'invalid JSON' }
  if (/: key ".*" appears twice: the file was edited or damaged/.test(message))
    return { error: 'a key twice' }
  return { error: message }
}

/**
 * Whether a JSON text (valid) writes a key twice in one object, told apart from the code under
 * test: the text's colons outside strings (one an object member) against the members of the
 * objects JSON.parse made (one a distinct key).
 */
function repeatsAKey(text: string, value: unknown): boolean {
  const colons = text.replace(/"(?:[^"\\]|\\.)*"/g, '""').split(':').length - 1
  let members = 0
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return
    if (!Array.isArray(v)) members += Object.keys(v).length
    Object.values(v).forEach(walk)
  }
  walk(value)
  return colons !== members
}

/**
 * The reference: JSON.parse of the whole text without its byte order mark, then profileFromJson
 * (as before the fast path); a profile that writes a key twice is refused.
 */
function reference(bytes: Buffer, path: string): Outcome {
  let value: unknown
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '')
  try {
    value = JSON.parse(text)
  } catch {
    return { error: 'invalid JSON' }
  }
  const record = value as Record<string, unknown> | null
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return { error: 'not a profile' }
  if (record.kind !== PROFILE_KIND) return { error: 'not a profile' }
  if (repeatsAKey(text, value)) return { error: 'a key twice' }
  try {
    return { profile: describeProfile(profileFromJson(value, path)) }
  } catch (error) {
    return errorOf(error)
  }
}

let written = 0
async function loaded(bytes: Buffer): Promise<{ outcome: Outcome; path: string }> {
  const path = join(work, `profile-${written++}.json`)
  writeFileSync(path, bytes)
  try {
    return { outcome: { profile: describeProfile(await loadProfileJson(path)) }, path }
  } catch (error) {
    const outcome = errorOf(error)
    if (
      'error' in outcome &&
      /not a profile written by nsys-bench|Chrome trace/.test(outcome.error)
    )
      return { outcome: { error: 'not a profile' }, path }
    return { outcome, path }
  }
}

/**
 * Loads `text` and checks it against the reference; answers whether the fast path took it (a
 * key written twice that it refused itself counts as taken).
 */
async function expectSame(text: string | Buffer, what: string): Promise<boolean> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  const { outcome, path } = await loaded(bytes)
  expect(outcome, what).toEqual(reference(bytes, path))
  try {
    return readProfileJsonBytes(bytes, bytes.length, new ByteNames()) !== undefined
  } catch (error) {
    if (/appears twice/.test((error as Error).message)) return true
    throw error
  }
}

async function corpusProfiles(): Promise<Profile[]> {
  const profiles: Profile[] = []
  for (const dir of [CORPUS, join(FIXTURES, 'public')]) {
    for (const file of readdirSync(dir).filter((f) => /\.(txt|csv)$/.test(f))) {
      try {
        profiles.push(...(await loadInput(join(dir, file), { captures: 'runs' })))
      } catch {
        continue // refused inputs are tested elsewhere
      }
    }
  }
  return profiles
}

const SMALL = {
  schemaVersion: 2,
  kind: PROFILE_KIND,
  meta: {
    tool: { name: 'nsys-bench', version: '0.1.0' },
    profiler: { name: 'nsys' },
    sources: ['run_cuda_gpu_kern_sum.csv'],
    reports: { kernels: 'cuda_gpu_kern_sum' },
    kernelNaming: 'demangled',
    notes: []
  },
  tables: {
    kernels: {
      unit: 'ns',
      rows: {
        '0': {
          name: 'void gemm<float, 128>(float const*, int)',
          totalNs: 3000,
          instances: 3,
          avgNs: 1000,
          minNs: 900,
          maxNs: 1100,
          medNs: 1000,
          stdDevNs: 81.6
        },
        '1': {
          name: 'void gemm<float, 128>(const float *, int)',
          totalNs: 1000.5,
          instances: 1,
          avgNs: 1000.5,
          minNs: 1000.5,
          maxNs: 1000.5
        },
        '2': {
          name: 'flash_fwd_kernel',
          totalNs: 120,
          instances: 2,
          avgNs: 60,
          minNs: 50,
          maxNs: 70,
          truncated: true,
          sharedBy: 2
        }
      }
    },
    nvtxKernels: {
      unit: 'ns',
      rows: {
        '0': {
          name: 'decode › flash_fwd_kernel',
          totalNs: 120,
          instances: 2,
          avgNs: 60,
          minNs: 50,
          maxNs: 70,
          occurrences: 1
        }
      }
    },
    memSize: {
      unit: 'bytes',
      rows: {
        '0': {
          name: '[CUDA memcpy HtoD]',
          totalBytes: 4096,
          instances: 2,
          avgBytes: 2048,
          minBytes: 1024,
          maxBytes: 3072
        }
      }
    },
    someLaterTable: { rows: { a: [1, { b: null }] }, unit: 'widgets' }
  }
}
const SMALL_TEXT = JSON.stringify(SMALL)

describe('profile JSON from bytes', () => {
  it('reads every profile of the corpus as JSON.parse does, each by the fast path', async () => {
    const profiles = await corpusProfiles()
    expect(profiles.length).toBeGreaterThan(40)
    for (const [i, profile] of profiles.entries()) {
      const text = JSON.stringify(profileToJson(profile))
      expect(await expectSame(text, `corpus profile ${i}`), `corpus profile ${i}`).toBe(true)
    }
  })

  it('reads the timeline tables of a GPU trace (cut out whole, given to JSON.parse)', async () => {
    const [profile] = await loadInput(
      join(CORPUS, 'generated_nsys-2023.4.4_stats_trace-and-variant-reports_csv.txt')
    )
    const text = JSON.stringify(profileToJson(profile!))
    expect(text).toContain('"gpuTimeline"')
    expect(text).toContain('"kernelLaunches"')
    expect(await expectSame(text, 'trace profile')).toBe(true)
  })

  it('takes the fast path for the shapes a writer may use', async () => {
    const variants: [string, string][] = [
      ['compact', SMALL_TEXT],
      ['indented', JSON.stringify(SMALL, null, 2)],
      ['tabs and CRLF', JSON.stringify(SMALL, null, '\t').replace(/\n/g, '\r\n')],
      ['trailing whitespace', `${SMALL_TEXT}\n\n  `],
      [
        'fields in another order',
        SMALL_TEXT.replace('"totalNs":3000,"instances":3', '"instances":3,"totalNs":3000')
      ],
      ['no rows', SMALL_TEXT.replace(/"rows":\{"0":\{"name":"\[CUDA.*?\}\}/, '"rows":{}')],
      ['an escaped name', SMALL_TEXT.replace('flash_fwd_kernel"', 'flash_\\"fwd\\u00e9\\/kernel"')],
      ['a name in UTF-8', SMALL_TEXT.replace('flash_fwd_kernel"', 'flash_fwd_核é"')],
      ['an exponent', SMALL_TEXT.replace('"totalNs":3000', '"totalNs":3e3')],
      ['a capital exponent with a sign', SMALL_TEXT.replace('"totalNs":3000', '"totalNs":30E+2')],
      ['a fraction', SMALL_TEXT.replace('"stdDevNs":81.6', '"stdDevNs":81.60000000000000001')],
      ['17 digits', SMALL_TEXT.replace('"totalNs":3000', '"totalNs":3000.0000000000001')],
      ['truncated false', SMALL_TEXT.replace('"truncated":true', '"truncated":false')],
      ['a BOM', `\uFEFF${SMALL_TEXT}`],
      [
        'meta after tables',
        JSON.stringify({ ...SMALL, meta: undefined, extra: [1], meta2: 1 }).replace(
          '"meta2":1',
          `"meta":${JSON.stringify(SMALL.meta)}`
        )
      ]
    ]
    for (const [what, text] of variants) expect(await expectSame(text, what), what).toBe(true)
  })

  it('steps aside for what it does not read, and the loader still gives what JSON.parse gives', async () => {
    const variants: [string, string | Buffer][] = [
      ['a BOM inside', SMALL_TEXT.replace('"tables":', '"tables":\uFEFF')],
      ['two BOMs', `\uFEFF\uFEFF${SMALL_TEXT}`],
      ['trailing garbage', `${SMALL_TEXT}x`],
      ['two documents', `${SMALL_TEXT}${SMALL_TEXT}`],
      ['an array', `[${SMALL_TEXT}]`],
      ['a null measure', SMALL_TEXT.replace('"medNs":1000', '"medNs":null')],
      ['a string measure', SMALL_TEXT.replace('"minNs":900', '"minNs":"900"')],
      [
        'an unknown row field',
        SMALL_TEXT.replace('"instances":3,', '"instances":3,"color":"red",')
      ],
      ['rows out of order', SMALL_TEXT.replace('"0":{"name":"void', '"5":{"name":"void')],
      ['a row key with a leading zero', SMALL_TEXT.replace('"1":{"name"', '"01":{"name"')],
      [
        '__proto__ as a row key',
        SMALL_TEXT.replace('"0":{"name":"void', '"__proto__":{"name":"void')
      ],
      ['__proto__ as a table', SMALL_TEXT.replace('"someLaterTable"', '"__proto__"')],
      ['rows as an array', SMALL_TEXT.replace(/"rows":\{"0":\{"name":"\[CUDA.*?\}\}/, '"rows":[]')],
      ['truncated as a string', SMALL_TEXT.replace('"truncated":true', '"truncated":"yes"')],
      [
        'a raw control character in a name',
        SMALL_TEXT.replace('flash_fwd_kernel"', 'flash\tkernel"')
      ],
      ['a bad escape in a name', SMALL_TEXT.replace('flash_fwd_kernel"', 'flash\\qkernel"')],
      ['a leading zero', SMALL_TEXT.replace('"totalNs":3000', '"totalNs":03000')],
      ['a point without digits', SMALL_TEXT.replace('"totalNs":3000', '"totalNs":3000.')],
      ['a plus sign', SMALL_TEXT.replace('"totalNs":3000', '"totalNs":+3000')],
      ['NaN', SMALL_TEXT.replace('"totalNs":3000', '"totalNs":NaN')],
      ['a missing comma', SMALL_TEXT.replace(',"instances":3', '"instances":3')],
      ['a trailing comma', SMALL_TEXT.replace('"stdDevNs":81.6}', '"stdDevNs":81.6,}')],
      ['a version 1 file', readFileSync(join(FIXTURES, 'profile-v1.json'))]
    ]
    for (const [what, text] of variants) expect(await expectSame(text, what), what).toBe(false)
  })

  it('refuses a key written twice, naming it and where it is, on either path', async () => {
    const refusals: [string, string, string, boolean][] = [
      // what, the text, where and which key, whether the fast path finds it itself
      [
        'a row key (the last row under the key of the first)',
        SMALL_TEXT.replace('"2":{"name":"flash', '"0":{"name":"flash'),
        'tables.kernels.rows: key "0"',
        false
      ],
      [
        'a row field',
        SMALL_TEXT.replace('"totalNs":3000,', '"totalNs":1,"totalNs":3000,'),
        'tables.kernels.rows["0"]: key "totalNs"',
        true
      ],
      [
        'a table, the empty copy first',
        SMALL_TEXT.replace(
          '"tables":{"kernels":',
          '"tables":{"kernels":{"unit":"ns","rows":{}},"kernels":'
        ),
        'tables: key "kernels"',
        true
      ],
      [
        'a table, the empty copy last',
        SMALL_TEXT.replace('"memSize":', '"kernels":{"unit":"ns","rows":{}},"memSize":'),
        'tables: key "kernels"',
        true
      ],
      [
        'tables',
        SMALL_TEXT.replace('"tables":', '"tables":{},"tables":'),
        'the document: key "tables"',
        true
      ],
      [
        'schemaVersion (3, then 2)',
        SMALL_TEXT.replace('"schemaVersion":2', '"schemaVersion":3,"schemaVersion":2'),
        'the document: key "schemaVersion"',
        true
      ],
      [
        'a unit',
        SMALL_TEXT.replace('"memSize":{"unit":"bytes"', '"memSize":{"unit":"ns","unit":"bytes"'),
        'tables.memSize: key "unit"',
        true
      ],
      [
        'a field of meta (cut out whole for JSON.parse)',
        SMALL_TEXT.replace('"kernelNaming":', '"kernelNaming":"base","kernelNaming":'),
        'meta: key "kernelNaming"',
        false
      ],
      [
        'a key in an unknown table',
        SMALL_TEXT.replace('"unit":"widgets"', '"unit":"widgets","unit":"widgets"'),
        'tables.someLaterTable: key "unit"',
        false
      ],
      [
        'a key spelled once with an escape (the general path)',
        SMALL_TEXT.replace('"memSize":', '"k\\u0065rnels":{"unit":"ns","rows":{}},"memSize":'),
        'tables: key "kernels"',
        false
      ],
      [
        'a key in an object in an array',
        SMALL_TEXT.replace(
          '"notes":[]',
          '"notes":[{"code":"a","code":"b","severity":"info","message":"m"}]'
        ),
        'meta.notes[0]: key "code"',
        false
      ]
    ]
    for (const [what, text, where, fast] of refusals) {
      const bytes = Buffer.from(text)
      // JSON.parse reads every one of these: the last value of the key would count.
      expect(() => JSON.parse(text) as unknown, what).not.toThrow()
      const path = join(work, `twice-${written++}.json`)
      writeFileSync(path, bytes)
      await expect(loadProfileJson(path), what).rejects.toThrow(
        `${path}: not a valid nsys-bench profile: ${where} appears twice: the file was edited or damaged (nsys-bench never writes a key twice, and which value counts cannot be told); get the file as nsys-bench wrote it (or make it again from the reports with \`nsys-bench summarize --json\`)`
      )
      expect(reference(bytes, path), what).toEqual({ error: 'a key twice' })
      let found = false
      try {
        readProfileJsonBytes(bytes, bytes.length, new ByteNames(), undefined, path)
      } catch (error) {
        expect((error as Error).message, what).toContain(`${where} appears twice`)
        found = true
      }
      expect(found, what).toBe(fast)
    }
  })

  it('finds the first key written twice in a JSON text, at any depth (findDuplicateKey)', () => {
    expect(findDuplicateKey('{"a":1,"b":{"c":[1,{"d":2}]}}')).toBeUndefined()
    expect(findDuplicateKey('{"a":1,"b":{"c":[1,{"d":2,"d":3}]}}')).toEqual({
      where: 'b.c[1]',
      key: 'd'
    })
    // The same key in sibling objects is no repeat; a string holding quotes, braces and colons
    // is a string.
    expect(findDuplicateKey('[{"a":"x\\":{\\"a\\":1}"},{"a":2}]')).toBeUndefined()
    expect(findDuplicateKey('{"x":{"a":1},"y":{"a":2},"x":3}')).toEqual({ where: '', key: 'x' })
    // Escaped spellings of one key are one key; a key not shaped as a name is quoted.
    expect(findDuplicateKey('{"rows":{"0":1,"\\u0030":2}}')).toEqual({ where: 'rows', key: '0' })
    expect(findDuplicateKey('{"a b":{"0":{"k":1,"k":2}}}')).toEqual({
      where: '["a b"]["0"]',
      key: 'k'
    })
    // Not JSON (a string never closed): no answer, and no endless loop.
    expect(findDuplicateKey('{"a":1,"a')).toBeUndefined()
    // 100,000 levels deep: no stack to overflow.
    const deep = `${'{"a":['.repeat(100_000)}{"k":1,"k":2}${']}'.repeat(100_000)}`
    expect(findDuplicateKey(deep)?.key).toBe('k')
  })

  it('says a file that ends inside the JSON was cut, and one with nothing in it is empty', async () => {
    const { path } = await loaded(Buffer.from(''))
    for (const end of [1, 100, 1000, SMALL_TEXT.length - 1]) {
      const cut = join(work, `cut-${end}.json`)
      writeFileSync(cut, SMALL_TEXT.slice(0, end))
      await expect(loadProfileJson(cut), `cut at ${end}`).rejects.toThrow(
        `"${cut}" is not valid JSON: the file ends early (an interrupted download or copy?): get it whole again`
      )
    }
    await expect(loadProfileJson(path)).rejects.toThrow(
      `"${path}" is not valid JSON: the file is empty: give the file as it was written`
    )
    // Broken inside, not at its end: the parser's own message.
    const broken = join(work, 'broken.json')
    writeFileSync(broken, SMALL_TEXT.replace('"instances":3,', '"instances":3,,'))
    await expect(loadProfileJson(broken)).rejects.toThrow(
      /is not valid JSON: Expected double-quoted property name in JSON at position \d+/
    )
  })

  it('leaves a row readStat refuses to the general path, which names it in its error', async () => {
    for (const [what, text] of [
      ['negative', SMALL_TEXT.replace('"totalNs":3000', '"totalNs":-3000')],
      ['too large', SMALL_TEXT.replace('"maxNs":1100', '"maxNs":1e300')],
      ['fractional instances', SMALL_TEXT.replace('"instances":3', '"instances":2.5')],
      ['inconsistent', SMALL_TEXT.replace('"avgNs":1000,', '"avgNs":7,')],
      ['an empty name', SMALL_TEXT.replace('"flash_fwd_kernel"', '" "')]
    ]) {
      expect(await expectSame(text!, what!), what).toBe(false)
      expect(reference(Buffer.from(text!), 'x.json'), what).toHaveProperty('error')
    }
  })

  it('reads minus zero as JSON.parse does', async () => {
    const text = SMALL_TEXT.replace('"minNs":50', '"minNs":-0')
    expect(await expectSame(text, 'minus zero')).toBe(true)
  })

  it('reads names with invalid UTF-8 as the decoded text does (replacement characters)', async () => {
    const at = SMALL_TEXT.indexOf('flash_fwd_kernel')
    const [before, after] = [SMALL_TEXT.slice(0, at), SMALL_TEXT.slice(at + 16)]
    for (const bad of [[0xff], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80]]) {
      const bytes = Buffer.concat([Buffer.from(`${before}k`), Buffer.from(bad), Buffer.from(after)])
      expect(await expectSame(bytes, `bytes ${bad.join(' ')}`)).toBe(true)
    }
  })

  it('gives what JSON.parse gives on every cut of a file', async () => {
    const text = JSON.stringify(SMALL, null, 1)
    for (let end = 0; end < text.length; end += 7)
      await expectSame(text.slice(0, end), `cut at ${end}`)
  })

  it('gives what JSON.parse gives on random edits of real profiles', async () => {
    const profiles = await corpusProfiles()
    const seeds = [SMALL_TEXT, ...profiles.slice(0, 6).map((p) => JSON.stringify(profileToJson(p)))]
    // A seeded generator: the same edits on every run.
    let state = 0x9e3779b9
    const random = (n: number): number => {
      state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0
      return (state >>> 0) % n
    }
    const pieces = [
      '"',
      '\\',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      ' ',
      '\n',
      '-',
      'e',
      '.',
      '0',
      '9',
      'true',
      'null',
      '\u00e9',
      '\u0001'
    ]
    let fast = 0
    let general = 0
    for (let round = 0; round < 400; round++) {
      const seed = Buffer.from(seeds[round % seeds.length]!)
      const at = random(seed.length)
      const piece = Buffer.from(pieces[random(pieces.length)]!)
      const edit = random(4)
      const bytes =
        edit === 0
          ? Buffer.concat([seed.subarray(0, at), seed.subarray(at + 1)])
          : edit === 1
            ? Buffer.concat([seed.subarray(0, at), piece, seed.subarray(at)])
            : edit === 2
              ? Buffer.concat([seed.subarray(0, at), piece, seed.subarray(at + 1)])
              : Buffer.concat([
                  seed.subarray(0, at),
                  Buffer.from([0x80 + random(128)]),
                  seed.subarray(at + 1)
                ])
      if (await expectSame(bytes, `round ${round}`)) fast += 1
      else general += 1
    }
    // Both paths were exercised: many edits land in a name or a number and leave the shape.
    expect(fast).toBeGreaterThan(50)
    expect(general).toBeGreaterThan(50)
  })

  it('reads a file shorter than the one read before it into the same buffer, without its tail', async () => {
    const long = Buffer.from(JSON.stringify(SMALL, null, 2))
    // The first half of the long file: as the buffer is reused, the long file's tail lies
    // after it in memory, and would complete it if the reader looked past the file's end.
    const cut = long.subarray(0, Math.floor(long.length / 2))
    expect((await loaded(long)).outcome).toHaveProperty('profile')
    expect((await loaded(cut)).outcome).toEqual({ error: 'invalid JSON' })
    expect((await loaded(Buffer.from(SMALL_TEXT))).outcome).toEqual((await loaded(long)).outcome)
  })

  it('reads a file whole even when it grew since its size was taken', async () => {
    const bytes = Buffer.from(JSON.stringify(SMALL, null, 2).repeat(20))
    const path = join(work, 'grown.json')
    writeFileSync(path, bytes)
    // The size a stat would have said before the file grew: the buffer grows as it is read.
    for (const size of [0, 10, bytes.length - 1, bytes.length]) {
      const read = await readWhole(path, size)
      expect(read.length, `size ${size}`).toBe(bytes.length)
      expect(read.bytes.subarray(0, read.length).equals(bytes), `size ${size}`).toBe(true)
    }
  })

  it('shares each name, and its key, across files (a memo by name for the whole process)', () => {
    const names = new ByteNames()
    const first = readProfileJsonBytes(Buffer.from(SMALL_TEXT), undefined, names)
    const second = readProfileJsonBytes(
      Buffer.from(JSON.stringify(SMALL, null, 2)),
      undefined,
      names
    )
    const rows = (doc: Record<string, unknown> | undefined): unknown =>
      (doc?.tables as Record<string, { rows: unknown }>).kernels!.rows
    expect(rows(first)).toBeInstanceOf(RowsFromBytes)
    const a = profileFromJson(first, 'a.json')
    const b = profileFromJson(second, 'b.json')
    // The two spellings of one kernel meet under one key, as through JSON.parse.
    expect([...a.tables.kernels!.keys()]).toEqual([...b.tables.kernels!.keys()])
    expect(a.tables.kernels!.size).toBe(2)
    // Each name's key was worked out once and kept with the name.
    const name = Buffer.from('void gemm<float, 128>(const float *, int)')
    const memo = names.get(name, 0, name.length)
    expect(memo && keyIn(memo, TABLE_NAMES.indexOf('kernels'))).toBe(
      'void gemm<float, 128>(const float*, int)'
    )
  })
})

describe('the end of a plain run of string bytes, and its hash (HashedRun)', () => {
  // The reference: byte by byte, the first quote, backslash or control character.
  const reference = (b: Uint8Array, start: number, end: number): number => {
    for (let i = start; i < end; i++) if (b[i] === 0x22 || b[i] === 0x5c || b[i]! < 0x20) return i
    return end
  }
  // HashedRun finds the same end, and the hash ByteNames gives the run's bytes (hashBytes).
  const run = new HashedRun()
  const check = (b: Buffer, start: number, end: number): void => {
    const expected = reference(b, start, end)
    expect(run.end(b, start, end, 0x5eed)).toBe(expected)
    expect(run.hash).toBe(hashBytes(b, start, expected, 0x5eed))
  }

  it('finds the first quote, backslash or control byte at every position and alignment', () => {
    // Around each special byte, the bytes a four-byte test could mistake for one: neighbours
    // of 0x22, 0x5c and 0x20, bytes above 0x7f (UTF-8), and runs that borrow across lanes.
    const special = [0x22, 0x5c, 0x00, 0x01, 0x0a, 0x1f]
    const plain = [0x20, 0x21, 0x23, 0x5b, 0x5d, 0x7f, 0x80, 0xa2, 0xdc, 0xff, 0x61]
    for (const s of special) {
      for (const filler of plain) {
        for (let length = 0; length <= 13; length++) {
          for (let at = 0; at <= length; at++) {
            for (const offset of [0, 1, 2, 3]) {
              const b = Buffer.alloc(offset + length + 2, filler)
              if (at < length) b[offset + at] = s
              check(b, offset, offset + length)
            }
          }
        }
      }
    }
  })

  it('agrees with the reference on random bytes', () => {
    let seed = 7
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff
      return seed / 2147483648
    }
    for (let round = 0; round < 3000; round++) {
      // Runs of several eight-byte steps too (a kernel name has 40 of them).
      const length = Math.floor(random() * (round % 4 === 0 ? 400 : 40))
      // Mostly printable bytes, a special one now and then.
      const b = Buffer.from(
        Array.from({ length: length + 8 }, () =>
          random() < (round % 4 === 0 ? 0.003 : 0.04)
            ? Math.floor(random() * 0x23)
            : 0x23 + Math.floor(random() * 0xdd)
        )
      )
      const start = Math.floor(random() * 4)
      check(b, start, Math.min(b.length, start + length))
    }
  })
})
