import type { CliCommand, Format } from './cases.js'
import { checkMarkdown } from './check-markdown.js'
import { checkProfileJson } from './check-profile.js'
import { checkText } from './check-text.js'
import {
  CLI_EXIT_CODES,
  ERROR_PREFIX,
  EXIT_WITH_OUTPUT,
  HANG_MS,
  SLOW_MS,
  TIMED_INPUT_BYTES,
  violation,
  type Violation
} from './contract.js'

/** How one run of the CLI ended. */
export interface RunOutput {
  /** The exit code (null: killed or crashed). */
  code: number | null
  signal?: string | null
  stdout: string
  stderr: string
  /** Wall time of the command. */
  ms: number
  /** Set when the harness stopped it after this many milliseconds. */
  killedAfterMs?: number
  /** An uncaught exception, an out-of-memory stop, a promise never settled, … */
  crash?: { kind: string; message: string }
}

export interface CliCheckContext {
  command: CliCommand
  format?: Format
  /** The file paths on the command line, as given. */
  files: readonly string[]
  /** The flags are good usage: an exit 2 must then name a file. */
  flagsValid: boolean
  inputBytes: number
}

/** `exit 0`, `exit 2 input`, `timeout`, `crash:oom`, …: the outcome column of the report. */
export function outcomeOf(run: RunOutput): string {
  if (run.killedAfterMs !== undefined) return 'timeout'
  if (run.crash) return `crash:${run.crash.kind}`
  if (run.code === null) return `signal ${run.signal ?? '?'}`
  if (run.code !== 2) return `exit ${run.code}`
  if (run.stderr.includes('internal error')) return 'exit 2 internal'
  if (/^Run `nsys-bench/mu.test(run.stderr)) return 'exit 2 usage'
  return 'exit 2 input'
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/mu
const HELP_HINT = /^Run `nsys-bench( [\w-]+)? --help`/u

/** Every clause of the CLI contract except the profile read-back (it needs another run). */
export function checkCliRun(run: RunOutput, ctx: CliCheckContext): Violation[] {
  const out: Violation[] = [...checkTime(run, ctx)]
  if (run.crash) out.push(violation(`crash:${run.crash.kind}`, run.crash.message))
  else if (run.killedAfterMs === undefined && run.code === null)
    out.push(violation('crash:signal', `killed by ${run.signal ?? '?'}`))
  if (run.code !== null && !CLI_EXIT_CODES.includes(run.code))
    out.push(violation('exit-code', `exit code ${run.code}: ${run.stderr}`))
  if (run.code !== null && EXIT_WITH_OUTPUT.includes(run.code) && run.stdout.trim() === '')
    out.push(violation('output:empty', `exit ${run.code} with nothing on stdout`))
  if (run.code === 2) out.push(...checkError(run.stderr, ctx))
  out.push(...checkText(run.stderr, 'stderr'))
  if (run.code === null || !EXIT_WITH_OUTPUT.includes(run.code)) return out
  if (ctx.command === 'summarize' || (ctx.command === 'compare' && ctx.format === 'text'))
    out.push(...checkText(run.stdout, 'stdout'))
  if (ctx.command === 'compare' && ctx.format === 'markdown') out.push(...checkMarkdown(run.stdout))
  if (ctx.command === 'summarize-json') out.push(...checkProfileJson(run.stdout))
  if (ctx.command === 'compare' && ctx.format === 'json') {
    try {
      JSON.parse(run.stdout)
    } catch (error) {
      out.push(violation('compare-json:invalid', (error as Error).message))
    }
  }
  return out
}

function checkTime(run: RunOutput, ctx: CliCheckContext): Violation[] {
  const timed = ctx.inputBytes <= TIMED_INPUT_BYTES
  const ms = run.killedAfterMs ?? run.ms
  const killed = run.killedAfterMs !== undefined ? ' (stopped)' : ''
  if (ms > HANG_MS || (killed && ms >= HANG_MS))
    return [violation('time:hang', `${Math.round(ms)} ms${killed}`)]
  if (timed && ms > SLOW_MS)
    return [violation('time:slow', `${Math.round(ms)} ms${killed}, ${ctx.inputBytes} input bytes`)]
  return []
}

/** An exit 2: one `nsys-bench: error: ` line (plus a help hint for usage), naming the file. */
function checkError(stderr: string, ctx: CliCheckContext): Violation[] {
  const out: Violation[] = []
  const start = stderr.indexOf(ERROR_PREFIX)
  if (!stderr.startsWith(ERROR_PREFIX)) out.push(violation('error:prefix', stderr))
  // Notes printed before the error are a separate matter: judge the error from its prefix on.
  const error = start >= 0 ? stderr.slice(start) : stderr
  const lines = error.replace(/\n$/u, '').split('\n')
  if (lines.length > 2 || (lines.length === 2 && !HELP_HINT.test(lines[1] ?? '')))
    out.push(violation('error:lines', `${lines.length} lines: ${error}`))
  if (stderr.includes('internal error')) out.push(violation('error:internal', stderr))
  if (STACK.test(stderr)) out.push(violation('error:stack', stderr))
  if (
    ctx.flagsValid &&
    ctx.files.length > 0 &&
    !ctx.files.some((f) => stderr.includes(plainPrefix(f)))
  )
    out.push(violation('error:no-file-name', stderr))
  return out
}

/**
 * The part of a path any escaping leaves alone: up to its first character outside
 * [A-Za-z0-9._/+-] (the fuzzer's temporary directories and seed names are plain).
 */
export function plainPrefix(path: string): string {
  return /^[\w./+-]*/u.exec(path)?.[0] ?? ''
}
