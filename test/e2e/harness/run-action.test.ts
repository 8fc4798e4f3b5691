import { describe, expect, test } from 'vitest'
import {
  inputEnvName,
  parseActionDefaults,
  parseFileCommand,
  parseWorkflowCommands
} from './run-action.js'

describe('runner conventions the harness reproduces', () => {
  test('INPUT_ names: spaces become _, upper case, hyphens kept', () => {
    expect(inputEnvName('github-token')).toBe('INPUT_GITHUB-TOKEN')
    expect(inputEnvName('fail on regression')).toBe('INPUT_FAIL_ON_REGRESSION')
  })

  test('file commands: name=value and heredocs, CRLF tolerated, unterminated heredoc rejected', () => {
    const text = 'a=1\nb<<ghadelimiter_1\nx\n\ny=z\nghadelimiter_1\r\nc=\n'
    expect(parseFileCommand(text)).toEqual({ a: '1', b: 'x\n\ny=z', c: '' })
    expect(() => parseFileCommand('a<<EOF\nno end\n')).toThrow(/matching delimiter not found 'EOF'/)
  })

  test('workflow commands: properties and data unescaped as the runner does; stop-commands honoured', () => {
    const out = [
      '::warning title=Regression%3A gemm%2C 5%25,file=a.cu,line=3::slower%0Aby 5%25',
      'plain log line',
      '  ::error::boom',
      '::stop-commands::tok123',
      '::warning::not a command while stopped',
      '::tok123::',
      '::notice::back'
    ].join('\n')
    expect(parseWorkflowCommands(out)).toEqual([
      {
        command: 'warning',
        properties: { title: 'Regression: gemm, 5%', file: 'a.cu', line: '3' },
        message: 'slower\nby 5%',
        stream: 'stdout'
      },
      { command: 'error', properties: {}, message: 'boom', stream: 'stdout' },
      { command: 'notice', properties: {}, message: 'back', stream: 'stdout' }
    ])
  })

  test('action.yml input defaults: plain, quoted, block scalars, no default', () => {
    const yml = [
      'name: x',
      'inputs:',
      '  github-token:',
      '    description: >',
      '      folded',
      '    default: ${{ github.token }}',
      "  'quoted name':",
      "    default: 'it''s'",
      '  block:',
      '    default: |',
      '      one',
      '      two',
      '  none:',
      '    required: true',
      'outputs:',
      '  y:',
      '    default: ignored'
    ].join('\n')
    expect(parseActionDefaults(yml)).toEqual({
      'github-token': '${{ github.token }}',
      'quoted name': "it's",
      block: 'one\ntwo\n'
    })
  })
})
