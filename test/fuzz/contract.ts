/**
 * The contract the fuzzer asserts, in one place: limits, exit codes, and the shape of a violation.
 * Each violated clause has a short id (`md:element(<img>)`, `time:slow`, …): failures are grouped
 * by clause × mutation operator.
 */

/** Exit codes the CLI may return: pass, regression, bad input/usage, inconclusive. */
export const CLI_EXIT_CODES: readonly number[] = [0, 1, 2, 3]
/** Exit codes that must come with output on stdout. */
export const EXIT_WITH_OUTPUT: readonly number[] = [0, 1, 3]
/** Exit codes the action may end with. */
export const ACTION_EXIT_CODES: readonly number[] = [0, 1]

/** Cases whose inputs total at most this many bytes must finish within SLOW_MS. */
export const TIMED_INPUT_BYTES = 5 * 1024 * 1024
export const SLOW_MS = 5_000
/** A case still running after this long is a hang. */
export const HANG_MS = 30_000

/** GitHub's limit on a comment body, in characters. */
export const MARKDOWN_MAX_CHARS = 65_536

export const ERROR_PREFIX = 'nsys-bench: error: '

export interface Violation {
  /** Short id of the violated clause, e.g. `error:stack` or `text:control(ESC)@stderr`. */
  clause: string
  /** What was seen (short, printable). */
  detail: string
}

export function violation(clause: string, detail: string): Violation {
  return { clause, detail: printable(detail, 240) }
}

/** A short, single-line, ASCII-safe excerpt of any text, for reports. */
export function printable(text: string, max = 120): string {
  const cut = text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text
  return cut.replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
}
