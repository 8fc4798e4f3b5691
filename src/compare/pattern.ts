import type { RE2JS } from 're2js'
import { errorMessage, UsageError } from '../errors.js'
import { re2 } from '../lazy-node.js'
import { quoted } from '../text.js'

/**
 * Regular expressions that come from users (rules files, `--ignore`) — and, in the action's
 * comment mode, from places a pull request can influence — run on RE2 (re2js): matching takes
 * time linear in the input whatever the pattern, so `(a+)+$` cannot hang the gate. RE2 has no
 * look-around and no back-references; such patterns are refused with a message, never run on a
 * backtracking engine. Patterns are also bounded in length and compiled size.
 */
export interface Pattern {
  /** The pattern as written (for reports). */
  readonly source: string
  test(text: string): boolean
}

export const MAX_PATTERN_LENGTH = 1000
const MAX_PROGRAM_SIZE = 20_000

export function compilePattern(source: string, where: string): Pattern {
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new UsageError(
      `${where}: the regular expression is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are accepted`
    )
  }
  let re: RE2JS
  try {
    re = re2().compile(source)
  } catch (error) {
    throw new UsageError(
      `${where}: ${quoted(source)} is not a regular expression nsys-bench accepts (${errorMessage(error)}). ` +
        'Patterns use RE2 syntax: no look-ahead or look-behind, no back-references.'
    )
  }
  if (re.programSize() > MAX_PROGRAM_SIZE) {
    throw new UsageError(`${where}: the regular expression ${quoted(source)} is too complex`)
  }
  return { source, test: (text: string) => re.test(text) }
}
