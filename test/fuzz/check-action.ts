import { ACTION_EXIT_CODES, violation, type Violation } from './contract.js'
import { INJECTION_MARK } from './payloads.js'

/** Workflow commands the action may print (`::name props::data`). */
export const ALLOWED_COMMANDS: ReadonlySet<string> = new Set([
  'error',
  'warning',
  'notice',
  'debug',
  'group',
  'endgroup'
])

const COMMAND = /^\s*::([^\s:]*)([^:]*)::(.*)$/u

/**
 * Lines the runner takes for workflow commands (it splits on CR as well as LF and ignores leading
 * blanks): only the allowed ones, data without a raw line break, nothing a payload injected.
 */
export function checkWorkflowCommands(text: string, stream: string): Violation[] {
  const out: Violation[] = []
  // The runner's older syntax (`##[error]x`), read anywhere in a line: the action writes none.
  const legacy = /[^\n]*##\[[^\n]*/u.exec(text)
  if (legacy) out.push(violation(`action:legacy-command@${stream}`, legacy[0]))
  for (const line of text.split('\n')) {
    const pieces = line.split('\r')
    if (/^\s*::/u.test(line) && pieces.length > 1)
      out.push(violation('action:command-raw-newline', line))
    for (const piece of pieces) {
      const m = COMMAND.exec(piece)
      if (!m) continue
      const name = m[1] ?? ''
      if (!ALLOWED_COMMANDS.has(name)) out.push(violation(`action:command(${name})`, piece))
      if ((m[3] ?? '').startsWith(INJECTION_MARK) || piece !== line)
        out.push(violation(`action:injection@${stream}`, piece))
    }
  }
  return dedupe(out)
}

function dedupe(list: Violation[]): Violation[] {
  const seen = new Set<string>()
  return list.filter((v) => !seen.has(v.clause) && seen.add(v.clause) !== undefined)
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/mu

export interface ActionRun {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
  ms: number
  timedOut: boolean
  /** Files that existed outside the runner's temp directory before the run and are gone. */
  deleted: string[]
}

export function checkActionRun(run: ActionRun): Violation[] {
  const out: Violation[] = []
  if (run.timedOut) out.push(violation('action:hang', `stopped after ${Math.round(run.ms)} ms`))
  else if (run.code === null || !ACTION_EXIT_CODES.includes(run.code))
    out.push(violation('action:exit-code', `exit ${run.code ?? run.signal ?? '?'}: ${run.stderr}`))
  for (const [stream, text] of [
    ['stdout', run.stdout],
    ['stderr', run.stderr]
  ] as const) {
    const stack = STACK.exec(text)
    if (stack)
      out.push(
        violation('action:stack', text.slice(Math.max(0, stack.index - 200), stack.index + 200))
      )
    out.push(...checkWorkflowCommands(text, stream))
  }
  if (run.deleted.length > 0)
    out.push(violation('action:deleted-outside-temp', run.deleted.join(', ')))
  return dedupe(out)
}
