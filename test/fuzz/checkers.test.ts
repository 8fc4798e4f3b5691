import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURES } from '../support/paths.js'
import { checkActionRun, checkWorkflowCommands } from './check-action.js'
import { checkCliRun, plainPrefix, type CliCheckContext, type RunOutput } from './check-cli.js'
import { checkMarkdown, countCells } from './check-markdown.js'
import { checkProfileJson } from './check-profile.js'
import { checkText } from './check-text.js'

const clauses = (list: { clause: string }[]): string[] => list.map((v) => v.clause)

describe('Markdown checker', () => {
  const clean = [
    '## nsys-bench: REGRESSION',
    '',
    '| Kernel | Base | Head |',
    '| --- | ---: | ---: |',
    '| `void k<\\|>()` | 1.0 ms | 1.2 ms |',
    '',
    '<details><summary>All kernels</summary>',
    '',
    '| Kernel | Δ |',
    '| --- | --- |',
    '| `@user` | +5% |',
    '',
    '</details>',
    '',
    'Reported by @\u200bnsys-bench. <sub>**note**</sub>'
  ].join('\n')

  it('passes a report that keeps to the rules', () => {
    expect(checkMarkdown(clean)).toEqual([])
  })

  it('flags images, links, autolinks and elements outside the allow-list', () => {
    expect(clauses(checkMarkdown('look: <img src=x onerror=alert(1)>'))).toContain('md:image')
    expect(clauses(checkMarkdown('![i](http://e/i.png)'))).toContain('md:image')
    expect(clauses(checkMarkdown('see [x](http://e)'))).toEqual(['md:link'])
    expect(clauses(checkMarkdown('see https://e.com now'))).toEqual(['md:autolink'])
    expect(clauses(checkMarkdown('see www.e.com now'))).toEqual(['md:autolink'])
    expect(clauses(checkMarkdown('<b onclick=x>bold</b>'))).toEqual(['md:element(<b>)'])
    expect(clauses(checkMarkdown('a ~~b~~ c'))).toEqual(['md:element(<del>)'])
  })

  it('flags mentions outside code spans', () => {
    expect(clauses(checkMarkdown('ping @user'))).toEqual(['md:mention'])
    expect(clauses(checkMarkdown('ping &#64;user'))).toEqual(['md:mention'])
    expect(checkMarkdown('ping `@user` or @\u200buser or @&#8203;user')).toEqual([])
  })

  it('flags a table row with more or fewer cells than its header', () => {
    expect(clauses(checkMarkdown('| a | b |\n| - | - |\n| 1 | 2 | 3 |'))).toEqual([
      'md:table-cells'
    ])
    expect(clauses(checkMarkdown('| a | b |\n| - | - |\n| `x|y` | 2 |'))).toEqual([
      'md:table-cells'
    ])
    expect(clauses(checkMarkdown('| a | b |\n| - | - |\n| x\n::error::y | 2 |'))).toEqual([
      'md:table-cells'
    ])
    expect(checkMarkdown('| a | b |\n| - | - |\n| `x\\|y` | 2 |\n\nafter')).toEqual([])
    expect(countCells('| a | b \\| c |')).toBe(2)
    expect(countCells('a | b')).toBe(2)
  })

  it('flags an unclosed <details> and a report over the comment limit', () => {
    expect(clauses(checkMarkdown('<details><summary>x</summary>\n\ntext\n'))).toEqual([
      'md:details-unbalanced'
    ])
    expect(clauses(checkMarkdown('x'.repeat(65_537)))).toEqual(['md:too-long'])
  })
})

describe('text checker', () => {
  it('passes plain text with tabs and newlines', () => {
    expect(checkText('nsys-bench: pass\n\tkernel  1.0 ms\n', 'stdout')).toEqual([])
  })

  it('flags ESC, CR, other control characters, bidi controls and workflow commands', () => {
    expect(clauses(checkText('a \x1b[31mred\x1b[0m', 'stdout'))).toEqual(['text:ESC@stdout'])
    expect(clauses(checkText('progress\rdone', 'stderr'))).toEqual(['text:CR@stderr'])
    expect(clauses(checkText('nul\0', 'stderr'))).toEqual(['text:C0/C1@stderr'])
    expect(clauses(checkText('c1 \u009b', 'stderr'))).toEqual(['text:C0/C1@stderr'])
    expect(clauses(checkText('evil \u202e', 'stdout'))).toEqual(['text:bidi@stdout'])
    expect(clauses(checkText('x\n::error::pwned\n', 'stdout'))).toEqual([
      'text:workflow-command@stdout'
    ])
    expect(clauses(checkText('x\n  ::warning::pwned', 'stderr'))).toEqual([
      'text:workflow-command@stderr'
    ])
    expect(checkText('name ::error:: in the middle', 'stdout')).toEqual([])
    expect(clauses(checkText('k ##[error]pwned', 'stdout'))).toEqual(['text:legacy-command@stdout'])
    expect(checkText('k #\\u{23}[error]shown', 'stdout')).toEqual([])
  })
})

describe('profile JSON checker', () => {
  const profile = readFileSync(join(FIXTURES, 'profile-v1.json'), 'utf8')
  const edit = (change: (doc: any) => void): string => {
    const doc = JSON.parse(profile)
    change(doc)
    return JSON.stringify(doc)
  }
  const kernel = (doc: any): any => doc.tables.kernels.rows['ampere_sgemm_128x64_tn']

  it('passes the documented example profile', () => {
    expect(checkProfileJson(profile)).toEqual([])
  })

  it('flags rows that are not sane summaries', () => {
    expect(clauses(checkProfileJson(edit((d) => (kernel(d).minNs = 2e6))))).toContain(
      'json:min-avg-max'
    )
    expect(clauses(checkProfileJson(edit((d) => (kernel(d).medNs = 9e9))))).toEqual([
      'json:min-med-max'
    ])
    expect(clauses(checkProfileJson(edit((d) => (kernel(d).instances = 2.5))))).toContain(
      'json:instances-not-whole'
    )
    expect(clauses(checkProfileJson(edit((d) => (kernel(d).totalNs = 1))))).toEqual([
      'json:avg-times-instances'
    ])
    expect(clauses(checkProfileJson(edit((d) => (kernel(d).maxNs = null))))).toContain(
      'json:number'
    )
    expect(clauses(checkProfileJson(edit((d) => (kernel(d).stdDevNs = -1))))).toEqual([
      'json:number'
    ])
  })

  it('leaves the rows of a table of a later version alone, but not a member posing as a table', () => {
    const later = edit((d) => (d.tables.gpuPower = { unit: 'W', rows: { 0: { minW: [] } } }))
    expect(clauses(checkProfileJson(later))).toEqual([])
    expect(clauses(checkProfileJson(edit((d) => (d.tables.rows = { 0: {} }))))).toEqual([
      'json:table'
    ])
  })

  it('flags an empty profile without notes, invalid JSON and another kind', () => {
    const empty = edit((d) => {
      d.tables = { kernels: { unit: 'ns', rows: {} } }
      d.meta.notes = []
    })
    expect(clauses(checkProfileJson(empty))).toEqual(['json:empty-without-notes'])
    expect(clauses(checkProfileJson('{"kind":'))).toEqual(['json:invalid'])
    expect(clauses(checkProfileJson('{"kind":"x"}'))).toEqual(['json:kind'])
  })
})

describe('CLI run checker', () => {
  const ctx: CliCheckContext = {
    command: 'summarize',
    files: ['/tmp/f/in/a_cuda_gpu_kern_sum.csv'],
    flagsValid: true,
    inputBytes: 100
  }
  const run = (r: Partial<RunOutput>): RunOutput => ({
    code: 0,
    stdout: 'x\n',
    stderr: '',
    ms: 10,
    ...r
  })
  const error = (stderr: string): string[] =>
    clauses(checkCliRun(run({ code: 2, stdout: '', stderr }), ctx))

  it('accepts a one-line error that names the file, and a usage hint line', () => {
    expect(error('nsys-bench: error: /tmp/f/in/a_cuda_gpu_kern_sum.csv:2: bad\n')).toEqual([])
    expect(
      error(
        'nsys-bench: error: /tmp/f/in/a_cuda_gpu_kern_sum.csv: bad\nRun `nsys-bench --help` for usage.\n'
      )
    ).toEqual([])
  })

  it('flags internal errors, stack traces, extra lines, and errors that name no file', () => {
    expect(error('nsys-bench: internal error: x /tmp/f/in/a_cuda_gpu_kern_sum.csv\n')).toEqual([
      'error:prefix',
      'error:internal'
    ])
    expect(
      error(
        'nsys-bench: error: /tmp/f/in/a_cuda_gpu_kern_sum.csv\n    at parse (file:///x.js:1:2)\n'
      )
    ).toEqual(['error:lines', 'error:stack'])
    expect(error('nsys-bench: error: bad input\n')).toEqual(['error:no-file-name'])
  })

  it('flags other exit codes, empty output, slowness and crashes', () => {
    expect(clauses(checkCliRun(run({ code: 13 }), ctx))).toEqual(['exit-code'])
    expect(clauses(checkCliRun(run({ stdout: '' }), ctx))).toEqual(['output:empty'])
    expect(clauses(checkCliRun(run({ ms: 6000 }), ctx))).toEqual(['time:slow'])
    expect(clauses(checkCliRun(run({ ms: 6000 }), { ...ctx, inputBytes: 6e6 }))).toEqual([])
    expect(
      clauses(checkCliRun(run({ code: null, ms: 31_000, killedAfterMs: 31_000 }), ctx))
    ).toEqual(['time:hang'])
    expect(
      clauses(checkCliRun(run({ code: null, crash: { kind: 'oom', message: 'heap' } }), ctx))
    ).toEqual(['crash:oom'])
  })

  it('plainPrefix keeps the part of a path escaping cannot change', () => {
    expect(plainPrefix('/tmp/c1/a\n::error::x.csv')).toBe('/tmp/c1/a')
  })
})

describe('action checker', () => {
  it('allows the annotation and group commands', () => {
    expect(
      checkWorkflowCommands(
        '::error::x\n::warning title=t::y\n::group::g\n::endgroup::\n',
        'stdout'
      )
    ).toEqual([])
  })

  it('flags other commands, raw line breaks and injected commands', () => {
    expect(clauses(checkWorkflowCommands('::add-mask::secret\n', 'stdout'))).toEqual([
      'action:command(add-mask)'
    ])
    expect(clauses(checkWorkflowCommands('::set-output name=a::b\n', 'stdout'))).toEqual([
      'action:command(set-output)'
    ])
    expect(clauses(checkWorkflowCommands('::error::FUZZINJ\n', 'stdout'))).toEqual([
      'action:injection@stdout'
    ])
    expect(clauses(checkWorkflowCommands('verdict: x ##[stop-commands]t\n', 'stdout'))).toEqual([
      'action:legacy-command@stdout'
    ])
    expect(clauses(checkWorkflowCommands('::error::a\r::warning::b\n', 'stderr'))).toEqual([
      'action:command-raw-newline',
      'action:injection@stderr'
    ])
  })

  it('flags a stack trace, another exit code and deleted files', () => {
    const run = {
      code: 1,
      signal: null,
      stdout: '',
      stderr: 'SyntaxError: x\n    at JSON.parse (<anonymous>)\n',
      ms: 5,
      timedOut: false,
      deleted: ['workspace/canary.txt']
    }
    expect(clauses(checkActionRun(run))).toEqual(['action:stack', 'action:deleted-outside-temp'])
    expect(clauses(checkActionRun({ ...run, code: 7, stderr: '', deleted: [] }))).toEqual([
      'action:exit-code'
    ])
  })
})
