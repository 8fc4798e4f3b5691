import type { RE2JS } from 're2js'
import { errorMessage, UsageError } from '../errors.js'
import { re2 } from '../lazy-node.js'
import { quoted } from '../text.js'

/**
 * Regular expressions that come from users (rules files, `--ignore`) — and, in the action's
 * comment mode, from places a pull request can influence — run on RE2 (re2js): matching takes
 * time linear in the input whatever the pattern, so `(a+)+$` cannot hang the gate. RE2 has no
 * look-around and no back-references; such patterns are refused with a message, never run on a
 * backtracking engine. Patterns are also bounded in length and compiled size, one by one and,
 * through a PatternBudget, all of one rules file together.
 */
export interface Pattern {
  /** The pattern as written (for reports). */
  readonly source: string
  test(text: string): boolean
}

export const MAX_PATTERN_LENGTH = 1000
const MAX_PROGRAM_SIZE = 20_000
/**
 * The compiled size of all the patterns of one set of rules (a rules file with the `--ignore`
 * flags or the action's `ignore` input, or a record's inline rules). A compiled instruction holds
 * about 200 to 450 bytes of heap, and a pattern at MAX_PROGRAM_SIZE takes about 50 ms to compile:
 * 200,000 instructions are at most 90 MB and half a second, with room for thousands of plain
 * names (one of 70 characters is about 75 instructions). Without it, 1,500 patterns within the
 * bounds of one (a 100 KB file) took the process past its heap limit.
 */
export const MAX_TOTAL_PROGRAM_SIZE = 200_000

/** The patterns compiled so far for one set of rules, and their compiled size in all. */
export interface PatternBudget {
  used: number
  /** By source: a pattern written twice is compiled, and counted, once. */
  readonly compiled: Map<string, Pattern>
}

export function patternBudget(): PatternBudget {
  return { used: 0, compiled: new Map() }
}

/**
 * `fail`: the error of a pattern refused, by whom it came from: a UsageError for a flag or an
 * action input (the default), an InputError for a file's (a rules file, a record's rules).
 */
export function compilePattern(
  source: string,
  where: string,
  budget?: PatternBudget,
  fail: (message: string) => Error = (message) => new UsageError(message)
): Pattern {
  const known = budget?.compiled.get(source)
  if (known) return known
  if (source.length > MAX_PATTERN_LENGTH) {
    throw fail(
      `${where}: the regular expression is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are accepted`
    )
  }
  let re: RE2JS
  try {
    re = re2().compile(source)
  } catch (error) {
    throw fail(
      `${where}: ${quoted(source)} is not a regular expression nsys-bench accepts (${errorMessage(error)}). ` +
        'Patterns use RE2 syntax: no look-ahead or look-behind, no back-references.'
    )
  }
  const size = re.programSize()
  if (size > MAX_PROGRAM_SIZE) {
    throw fail(`${where}: the regular expression ${quoted(source)} is too complex`)
  }
  const pattern: Pattern = { source, test: (text: string) => re.test(text) }
  if (budget) {
    budget.used += size
    if (budget.used > MAX_TOTAL_PROGRAM_SIZE)
      throw fail(
        `${where}: the patterns up to this one compile to ${budget.used.toLocaleString('en-US')} RE2 instructions; at most ${MAX_TOTAL_PROGRAM_SIZE.toLocaleString('en-US')} are accepted for all the patterns together: use fewer or simpler patterns (a counted repeat such as {999} is compiled that many times)`
      )
    budget.compiled.set(source, pattern)
  }
  return pattern
}
