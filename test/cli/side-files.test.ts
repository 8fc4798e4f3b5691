import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { hasMkfifo, withFifo } from '../support/fifo.js'
import { CORPUS } from '../support/paths.js'

/**
 * The CLI in process (src, not the committed bundle): the files it reads besides the inputs (the
 * rules file, `--history`, the record `verdict` reads) get the checks inputs get, and its
 * messages say what to do (no pointer to --help for what is not a usage error; no advice of an
 * option the command refuses).
 */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t)
  })
  return { code, stdout, stderr }
}

const KERN =
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n'

/** A base and a head: attn 500 µs → 600 µs (+20 %, a third of the time): a regression. */
function inputs(): { dir: string; base: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-side-'))
  const base = join(dir, 'base.csv')
  const head = join(dir, 'head.csv')
  writeFileSync(
    base,
    `${KERN}66.7,1000000,1,1000000.0,1000000.0,1000000,1000000,0.0,gemm\n33.3,500000,1,500000.0,500000.0,500000,500000,0.0,attn\n`
  )
  writeFileSync(
    head,
    `${KERN}62.5,1000000,1,1000000.0,1000000.0,1000000,1000000,0.0,gemm\n37.5,600000,1,600000.0,600000.0,600000,600000,0.0,attn\n`
  )
  return { dir, base, head }
}

/** One error line, without the pointer to --help. */
function oneLine(result: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(result.code).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr).toMatch(/^nsys-bench: error: [^\n]*\n$/)
  expect(result.stderr).toMatch(message)
}

describe('the rules file, the history and the record are read as inputs are', () => {
  it.skipIf(!hasMkfifo)('a FIFO is refused at once with one line naming it', async () => {
    const { dir, base, head } = inputs()
    const fifo = join(dir, 'fifo')
    await withFifo(fifo, async () => {
      oneLine(
        await cli('compare', base, head, '--rules', fifo),
        /^nsys-bench: error: cannot read the rules file ".*fifo": it is a named pipe \(FIFO\); give a regular file\n$/
      )
      oneLine(
        await cli('compare', base, head, '--history', fifo),
        /^nsys-bench: error: cannot read the history ".*fifo": it is a named pipe \(FIFO\); give a regular file\n$/
      )
      oneLine(
        await cli('verdict', fifo),
        /^nsys-bench: error: cannot read the comparison record ".*fifo": it is a named pipe \(FIFO\); give a regular file\n$/
      )
    })
  })

  it.skipIf(!existsSync('/dev/zero'))(
    'a link to /dev/zero is refused before anything is read',
    async () => {
      const { dir, base, head } = inputs()
      const zero = join(dir, 'zero.json')
      symlinkSync('/dev/zero', zero)
      for (const [args, what] of [
        [['compare', base, head, '--rules', zero], 'the rules file'],
        [['compare', base, head, '--history', zero], 'the history'],
        [['verdict', zero], 'the comparison record']
      ] as const)
        oneLine(
          await cli(...args),
          new RegExp(`^nsys-bench: error: cannot read ${what} ".*zero\\.json": it is a device`)
        )
    }
  )

  it('verdict skips a byte order mark, and says a record cut short is', async () => {
    const { dir, base, head } = inputs()
    const made = await cli('compare', base, head, '--format', 'json')
    expect(made.code).toBe(1)
    const record = join(dir, 'record.json')
    writeFileSync(record, `\uFEFF${made.stdout}`)
    const bom = await cli('verdict', record)
    expect(bom.code).toBe(1)
    expect(bom.stdout).toMatch(/^regression \(re-derived from the recorded inputs\)\n/)
    expect(bom.stderr).toBe('')
    writeFileSync(record, made.stdout.slice(0, Math.floor(made.stdout.length / 2)))
    oneLine(
      await cli('verdict', record),
      /^nsys-bench: error: the comparison record ".*record\.json" is not valid JSON: the file ends early \(an interrupted download or copy\?\): get it whole again\n$/
    )
    writeFileSync(record, '')
    oneLine(await cli('verdict', record), /is not valid JSON: the file is empty/)
  })

  it('--history: a history cut short or empty is said to be', async () => {
    const { dir, base, head } = inputs()
    const history = join(dir, 'history.json.gz')
    const whole = gzipSync(
      Buffer.from(JSON.stringify({ kind: 'nsys-bench/history', schemaVersion: 1, runs: [] }))
    )
    writeFileSync(history, whole.subarray(0, whole.length - 6))
    oneLine(
      await cli('compare', base, head, '--history', history),
      /history\.json\.gz: not a valid nsys-bench history: the gzip stream ends early: the file was cut/
    )
    writeFileSync(history, '')
    oneLine(
      await cli('compare', base, head, '--history', history),
      /not a valid nsys-bench history: the file is empty/
    )
  })
})

describe('errors that are not about usage have no pointer to --help', () => {
  it('a rules file whose content is wrong: one line, exit 2', async () => {
    const { dir, base, head } = inputs()
    const rules = join(dir, 'rules.json')
    writeFileSync(rules, '{"rules": [{"match": "^gemm", "threshold": "ten"}]}')
    oneLine(
      await cli('compare', base, head, '--rules', rules),
      /^nsys-bench: error: .*rules\.json: "rules\[0\]\.threshold" must be a number\n$/
    )
    writeFileSync(rules, '{"ignore": ["(a)\\\\1"]}')
    oneLine(
      await cli('compare', base, head, '--rules', rules),
      /rules\.json: "ignore\[0\]": "\(a\)\\1" is not a regular expression nsys-bench accepts/
    )
    // A wrong flag is still a usage error, with the pointer.
    const flag = await cli('compare', base, head, '--ignore', '(?=x)')
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/\nRun `nsys-bench compare --help` for usage\.\n$/)
  })

  it('an --output that cannot be written: one line, exit 2, even with --no-fail', async () => {
    const { dir, base, head } = inputs()
    const folder = join(dir, 'folder')
    mkdirSync(folder)
    oneLine(
      await cli('compare', base, head, '--output', folder, '--no-fail'),
      /^nsys-bench: error: cannot write ".*folder": EISDIR/
    )
    oneLine(
      await cli('compare', base, head, '--output', join(dir, 'missing', 'report.txt')),
      /^nsys-bench: error: cannot write ".*report\.txt": ENOENT/
    )
    // A path that can be written: the report is there, and the exit status is the verdict's.
    const out = join(dir, 'report.txt')
    expect((await cli('compare', base, head, '--output', out)).code).toBe(1)
    expect(readFileSync(out, 'utf8')).toMatch(/attn/)
  })
})

describe('summarize reads one run: it neither takes nor suggests --captures runs', () => {
  // Two captures: kernels at lines 2–33 and 35–43 (the file's own tables).
  const log = join(
    CORPUS,
    'LittleLittleCloud_dotLLM-Optimization_prefill-profiling_nsys-2024.6.2_csv.txt'
  )

  it('the advice for a log of two captures', async () => {
    const summarize = await cli('summarize', log)
    expect(summarize.code).toBe(2)
    expect(summarize.stderr).toMatch(/holds 2 captures of nsys stats output/)
    expect(summarize.stderr).toContain('Choose one with `--capture N`, or choose the lines')
    expect(summarize.stderr).not.toContain('--captures')
    // compare can read each capture as a run, and says so.
    const compare = await cli('compare', log, log)
    expect(compare.code).toBe(2)
    expect(compare.stderr).toContain('read each as one run with `--captures runs`')
  })

  it('--captures is an unknown option of summarize, and not in its help', async () => {
    const { base } = inputs()
    const refused = await cli('summarize', base, '--captures', 'runs')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toBe(
      'nsys-bench: error: summarize: unknown option "--captures"; did you mean --capture?\n' +
        'Run `nsys-bench summarize --help` for usage.\n'
    )
    expect((await cli('summarize', '--help')).stdout).not.toContain('--captures')
    expect((await cli('compare', '--help')).stdout).toContain('--captures runs')
    // Two ways of choosing at once: the message names the two given.
    const both = await cli('summarize', base, '--capture', '1', '--lines', '1-2')
    expect(both.stderr).toMatch(
      /^nsys-bench: error: --capture and --lines each choose what to read of a text: give one\n/
    )
  })

  it('--lines with a directory is refused, saying to give the file', async () => {
    const { dir } = inputs()
    const run = join(dir, 'run')
    mkdirSync(run)
    writeFileSync(
      join(run, 'run_cuda_gpu_kern_sum.csv'),
      `${KERN}100.0,100,1,100.0,100.0,100,100,0.0,gemm\n`
    )
    for (const args of [
      ['summarize', run, '--lines', '1-2'],
      ['compare', run, run, '--lines', '1-2']
    ]) {
      const result = await cli(...args)
      expect(result.code, args[0]).toBe(2)
      expect(result.stderr.split('\n')[0], args[0]).toMatch(
        /^nsys-bench: error: ".*run" is a directory; --lines chooses lines of one nsys stats text: give the file whose lines you mean$/
      )
    }
  })
})
