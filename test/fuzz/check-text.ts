import { violation, type Violation } from './contract.js'

/**
 * Text for a terminal or a CI log (stdout of `--format text`, all stderr): no escape sequences,
 * no carriage returns, no control or bidi characters, no GitHub workflow commands.
 */
const RULES: readonly { name: string; pattern: RegExp }[] = [
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  { name: 'ESC', pattern: /\x1b/u },
  { name: 'CR', pattern: /\r/u },
  // C0 except \t and \n (and ESC, CR above); C1.
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  { name: 'C0/C1', pattern: /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x80-\x9f]/u },
  { name: 'bidi', pattern: /[\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]/u }
]

/**
 * A line the GitHub runner would take for a workflow command. The runner splits on CR as well as
 * LF and ignores leading white space (`  ::error::x` is a command).
 */
const WORKFLOW_COMMAND = /^[ \t]*::/u
/** The runner's older command syntax, which it reads anywhere in a line (`… ##[error]x`). */
const LEGACY_COMMAND = /##\[/u

export function checkText(text: string, stream: 'stdout' | 'stderr'): Violation[] {
  const out: Violation[] = []
  for (const { name, pattern } of RULES) {
    const match = pattern.exec(text)
    if (match) out.push(violation(`text:${name}@${stream}`, around(text, match.index)))
  }
  const line = text.split(/\r\n|\r|\n/u).find((l) => WORKFLOW_COMMAND.test(l))
  if (line !== undefined) out.push(violation(`text:workflow-command@${stream}`, line))
  const legacy = LEGACY_COMMAND.exec(text)
  if (legacy) out.push(violation(`text:legacy-command@${stream}`, around(text, legacy.index)))
  return out
}

function around(text: string, index: number): string {
  return text.slice(Math.max(0, index - 40), index + 40)
}
