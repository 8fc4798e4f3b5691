/**
 * rocprofv3's answer to `--version`. rocprofv3.py (ROCm/rocprofiler-sdk, source/bin/rocprofv3.py,
 * `main()`) prints each entry of its CONST_VERSION_INFO as `print(f"    {key:>16}: {itr}")` and
 * returns 0: four blanks, the key right-aligned in 16 characters, ": ", the value. DOCS_SAMPLE is
 * the example its documentation gives (ROCm/rocm-systems,
 * projects/rocprofiler-sdk/source/docs/how-to/using-rocprofv3.rst, "rocprofv3 -v"), laid out as
 * that print statement lays it out. Expected values are read off the text by hand.
 */
import { describe, expect, it } from 'vitest'
import type { ProcessOptions, ProcessResult, RunProcess } from '../../src/action/process.js'
import {
  findRocprofv3Version,
  parseRocprofv3Version,
  VERSION_READ_LIMIT,
  VERSION_TIMEOUT_MS
} from '../../src/action/rocprofv3.js'
import { profilerMajor } from '../../src/profile/model.js'

/** `    {key:>16}: {value}`, as rocprofv3.py prints each line. */
const line = (key: string, value: string): string => `    ${key.padStart(16)}: ${value}`

const DOCS_SAMPLE = [
  line('version', '1.0.0'),
  line('git_revision', 'a1b2c3d4e5f6789012345678901234567890abcd'),
  line('library_arch', 'x86_64-linux-gnu'),
  line('system_name', 'Linux'),
  line('system_processor', 'x86_64'),
  line('system_version', '6.8.0-57-generic'),
  line('compiler_id', 'GNU'),
  line('compiler_version', '11.4.0'),
  line('rocm_version', '6.2.0'),
  ''
].join('\n')

describe('parseRocprofv3Version', () => {
  it('reads the documented answer: rocprofiler-sdk 1.0.0, ROCm 6.2.0', () => {
    // The layout is the print statement's: "version" is right-aligned after 4 + 9 blanks.
    expect(DOCS_SAMPLE.split('\n')[0]).toBe('             version: 1.0.0')
    expect(parseRocprofv3Version(DOCS_SAMPLE)).toEqual({ version: '1.0.0', rocm: '6.2.0' })
  })

  it('reads an answer without rocm_version, a 0.x release, a packaged ROCm version, CRLF', () => {
    // Not every release prints rocm_version (an older key list): the version alone.
    const without = DOCS_SAMPLE.split('\n')
      .filter((l) => !l.includes('rocm_version'))
      .join('\n')
      .replace('1.0.0', '0.6.0')
    expect(parseRocprofv3Version(without)).toEqual({ version: '0.6.0' })
    // rocm_version is /opt/rocm/.info/version as written: packages add a build number.
    const packaged = DOCS_SAMPLE.replace('rocm_version: 6.2.0', 'rocm_version: 6.4.0-47')
    expect(parseRocprofv3Version(packaged).rocm).toBe('6.4.0-47')
    expect(parseRocprofv3Version(DOCS_SAMPLE.replace(/\n/g, '\r\n'))).toEqual({
      version: '1.0.0',
      rocm: '6.2.0'
    })
    // An empty git_revision (a build outside a git checkout) prints "git_revision: ".
    const noGit = DOCS_SAMPLE.replace('a1b2c3d4e5f6789012345678901234567890abcd', '')
    expect(parseRocprofv3Version(noGit).version).toBe('1.0.0')
  })

  it('takes no version from a line that is not one: an unsubstituted template, trailing text', () => {
    // configure_file not run (a development checkout): the placeholder is printed as is.
    const template = DOCS_SAMPLE.replace('version: 1.0.0', 'version: @FULL_VERSION_STRING@')
    const t = parseRocprofv3Version(template)
    expect(t.version).toBeUndefined()
    expect(t.problem).toBe(
      'its "version:" line holds "@FULL_VERSION_STRING@", not a version like 1.0.0'
    )
    expect(
      parseRocprofv3Version(DOCS_SAMPLE.replace('1.0.0', '1.0.0 ::error::x')).version
    ).toBeUndefined()
    expect(
      parseRocprofv3Version(DOCS_SAMPLE.replace(/rocm_version: .*/, 'rocm_version: x')).rocm
    ).toBeUndefined()
  })

  it("takes no version from other programs' lines, nor from two that disagree", () => {
    expect(parseRocprofv3Version('Python version: 3.10.12\n').version).toBeUndefined()
    expect(parseRocprofv3Version('rocprofv3 version 1.0.0\n')).toEqual({
      problem: 'it printed no "version: …" line (its first line: "rocprofv3 version 1.0.0")'
    })
    const two = `${DOCS_SAMPLE}${line('version', '0.6.0')}\n`
    expect(parseRocprofv3Version(two)).toEqual({
      rocm: '6.2.0',
      problem: 'it printed 2 different "version:" lines ("1.0.0", "0.6.0")'
    })
    // The same line twice is one version.
    expect(parseRocprofv3Version(`${DOCS_SAMPLE}${DOCS_SAMPLE}`).version).toBe('1.0.0')
  })

  it('hostile output: shown quoted and cut, never read past the limit', () => {
    expect(parseRocprofv3Version('::error::x\n')).toEqual({
      problem: 'it printed no "version: …" line (its first line: "::error::x")'
    })
    expect(parseRocprofv3Version('')).toEqual({
      problem: 'it printed no "version: …" line (nothing at all)'
    })
    const escape = parseRocprofv3Version('\u001b[2J\u202e"quoted"\n')
    expect(escape.problem).toBe(
      'it printed no "version: …" line (its first line: "\\u{1b}[2J\\u{202e}\\"quoted\\"")'
    )
    // A 1 MB line: its first 120 characters are shown; a version after the limit is not read.
    const huge = 'A'.repeat(1024 * 1024)
    const h = parseRocprofv3Version(`${huge}\n${DOCS_SAMPLE}`)
    expect(h.version).toBeUndefined()
    expect(h.problem).toBe(
      `it printed no "version: …" line (its first line: "${'A'.repeat(120)}…")`
    )
    expect(VERSION_READ_LIMIT).toBeLessThan(huge.length)
    // Before the limit, the version is read whatever follows.
    expect(parseRocprofv3Version(`${DOCS_SAMPLE}${huge}\n`).version).toBe('1.0.0')
    const long = parseRocprofv3Version(line('version', `1.0.0-${'x'.repeat(100_000)}`))
    expect(long.version).toBeUndefined()
    expect(long.problem?.length).toBeLessThan(200)
  })
})

/** A RunProcess that answers once, as given, and records what it was asked. */
function fakeRun(
  answer: Partial<ProcessResult> | Error,
  calls: { command: string; args: readonly string[]; options?: ProcessOptions }[]
): RunProcess {
  return (command, args, options) => {
    calls.push({ command, args, ...(options ? { options } : {}) })
    if (answer instanceof Error) return Promise.reject(answer)
    return Promise.resolve({
      code: 0,
      signal: null,
      timedOut: false,
      stdout: '',
      stderr: '',
      tail: [],
      ...answer
    })
  }
}

function errno(code: string): Error {
  return Object.assign(new Error(`spawn rocprofv3 ${code}`), { code })
}

describe('findRocprofv3Version', () => {
  it('asks `<path> --version` once, with a time limit, and keeps the version and ROCm', async () => {
    const calls: Parameters<typeof fakeRun>[1] = []
    const found = await findRocprofv3Version(
      fakeRun({ stdout: DOCS_SAMPLE, tail: DOCS_SAMPLE.trimEnd().split('\n') }, calls),
      '/opt/rocm/bin/rocprofv3',
      { PATH: '/usr/bin' }
    )
    expect(found).toEqual({ version: '1.0.0', rocm: '6.2.0' })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.command).toBe('/opt/rocm/bin/rocprofv3')
    expect(calls[0]?.args).toEqual(['--version'])
    expect(calls[0]?.options?.timeoutMs).toBe(VERSION_TIMEOUT_MS)
    expect(calls[0]?.options?.env).toEqual({ PATH: '/usr/bin' })
    // Its lines are not streamed into the log: only what was read is logged.
    expect(calls[0]?.options?.onLine).toBeUndefined()
  })

  it('an early rocprofv3 without --version (argparse, exit code 2): unknown, with a warning note', async () => {
    const stderr =
      'usage: rocprofv3 [options] -- <application> [application options]\nrocprofv3: error: unrecognized arguments: --version\n'
    const found = await findRocprofv3Version(
      fakeRun({ code: 2, stderr, tail: stderr.trimEnd().split('\n') }, []),
      'rocprofv3',
      {}
    )
    expect(found.version).toBeUndefined()
    expect(found.note).toEqual({
      code: 'rocprofv3-version-unknown',
      severity: 'warning',
      message:
        'rocprofv3\'s version is unknown: "rocprofv3 --version" exited with code 2 ("rocprofv3: error: unrecognized arguments: --version") (a rocprofv3 older than its --version option answers so). The profile is read as usual, but its rocprofv3 version is not recorded, so the comparison cannot warn about a different one.'
    })
  })

  it('not found, not executable, killed, timed out, or a version printed with a failure: unknown', async () => {
    const why = async (answer: Partial<ProcessResult> | Error): Promise<string> =>
      (await findRocprofv3Version(fakeRun(answer, []), 'rocprofv3', {})).note?.message ?? ''
    expect(await why(errno('ENOENT'))).toContain(
      '"rocprofv3 --version" could not be run: not found.'
    )
    expect(await why(errno('EACCES'))).toContain('could not be run: not executable.')
    expect(await why({ code: null, signal: 'SIGSEGV' })).toContain('was killed by SIGSEGV.')
    expect(await why({ code: null, signal: 'SIGTERM', timedOut: true })).toContain(
      'did not answer within 60 s and was stopped.'
    )
    // A non-zero exit is not trusted, whatever it printed.
    const failed = await findRocprofv3Version(
      fakeRun({ code: 1, stdout: DOCS_SAMPLE, tail: ['Fatal error: x'] }, []),
      'rocprofv3',
      {}
    )
    expect(failed.version).toBeUndefined()
    expect(failed.note?.message).toContain('exited with code 1 ("Fatal error: x").')
  })

  it('hostile answers: no version, the first line quoted and cut in the note; a hostile path too', async () => {
    const huge = `::error::x${'A'.repeat(1024 * 1024)}`
    const found = await findRocprofv3Version(
      fakeRun({ stdout: `${huge}\n`, tail: [huge] }, []),
      '::warning::path',
      {}
    )
    expect(found.version).toBeUndefined()
    const message = found.note?.message ?? ''
    expect(message.length).toBeLessThan(600)
    expect(message).toMatch(
      /^rocprofv3's version is unknown: "::warning::path --version" answered in a form nsys-bench does not know: it printed no "version: …" line \(its first line: "::error::xA+…"\)\./
    )
  })
})

describe('profilerMajor', () => {
  it('rocprofv3: the semantic-version major, with the minor of a 0.x release', () => {
    expect(profilerMajor({ name: 'rocprofv3', version: '1.0.0' })).toBe('1')
    expect(profilerMajor({ name: 'rocprofv3', version: '1.2.3' })).toBe('1')
    expect(profilerMajor({ name: 'rocprofv3', version: '0.6.0' })).toBe('0.6')
    expect(profilerMajor({ name: 'rocprofv3', version: '0.5.0' })).toBe('0.5')
    expect(profilerMajor({ name: 'rocprofv3' })).toBeUndefined()
  })

  it('nsys: the year; others: the text before the first dot', () => {
    expect(profilerMajor({ name: 'nsys', version: '2024.1.1.59' })).toBe('2024')
    expect(profilerMajor({ name: 'nsys', version: '0.6.0' })).toBe('0')
    expect(profilerMajor({ name: 'torch', version: '2.5.1' })).toBe('2')
    expect(profilerMajor({ name: 'nsys', version: '' })).toBeUndefined()
  })
})
