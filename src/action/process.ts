import { spawn } from 'node:child_process'
import { StringDecoder } from 'node:string_decoder'

/**
 * Runs a program: streams its output to a log (line by line), keeps the last lines for error
 * messages, and stops it — with its whole process group — when it runs past a time limit.
 * The one way this action starts processes, so tests can replace it.
 */
export interface ProcessOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Kill the process group after this many milliseconds (SIGTERM, then SIGKILL 10 s later). */
  timeoutMs?: number
  /** Called with each line of output (stdout and stderr). */
  onLine?: (line: string) => void
  /** How many trailing lines to keep (default 40). */
  tailLines?: number
}

export interface ProcessResult {
  /** Exit code; null when killed by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  stdout: string
  stderr: string
  /** The last lines of stdout and stderr together, in arrival order. */
  tail: string[]
}

export type RunProcess = (
  command: string,
  args: readonly string[],
  options?: ProcessOptions
) => Promise<ProcessResult>

/**
 * The environment of the processes the action starts (the benchmark, nsys, nvidia-smi): the
 * job's, less what the runner hands this action alone. The benchmark is the pull request's code:
 * it must not read the action's inputs (`INPUT_GITHUB-TOKEN` holds the token) or the Actions
 * service's credentials.
 */
export function childEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(env)) if (!ACTION_ONLY.test(name)) out[name] = value
  return out
}

const ACTION_ONLY =
  /^(?:INPUT_|STATE_|ACTIONS_RUNTIME_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_RESULTS_URL$|ACTIONS_CACHE_URL$)/

/** Output kept in full is capped (the tail is always kept): a benchmark may print gigabytes. */
const KEEP_BYTES = 4 * 1024 * 1024

/**
 * The longest line handed on: a longer one (a benchmark printing megabytes without a line break)
 * is handed on in pieces of this length, so that memory stays bounded and nothing is lost.
 */
const MAX_LINE = 1024 * 1024

/** After SIGKILL, how long the output may stay open before it is closed from this side. */
const DRAIN_MS = 2_000

export const runProcess: RunProcess = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true // its own process group, so a timeout stops everything it started
    })
    const tailLimit = options.tailLines ?? 40
    const tail: string[] = []
    const kept = { stdout: '', stderr: '' }
    const partial = { stdout: '', stderr: '' }
    // A character's bytes can arrive in two reads.
    const decoder = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') }
    let timedOut = false
    let killTimer: NodeJS.Timeout | undefined
    let drainTimer: NodeJS.Timeout | undefined

    const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      take(stream, decoder[stream].write(chunk))
    }
    const take = (stream: 'stdout' | 'stderr', text: string): void => {
      if (kept[stream].length < KEEP_BYTES) kept[stream] += text
      // Only the new text is searched for line breaks: the unfinished line can be long.
      const end = text.lastIndexOf('\n')
      if (end >= 0) {
        const lines = (partial[stream] + text.slice(0, end)).split('\n')
        partial[stream] = text.slice(end + 1)
        for (const line of lines) emit(line)
      } else {
        partial[stream] += text
      }
      // Redrawn (a progress bar): only what a terminal shows is kept.
      if (text.includes('\r')) partial[stream] = shown(partial[stream])
      // A line with no end in sight: handed on in pieces.
      while (partial[stream].length > MAX_LINE) {
        let cut = MAX_LINE
        const last = partial[stream].charCodeAt(cut - 1)
        if (last >= 0xd800 && last <= 0xdbff) cut -= 1
        emit(partial[stream].slice(0, cut))
        partial[stream] = partial[stream].slice(cut)
      }
    }
    const emit = (raw: string): void => {
      const line = terminalLine(raw)
      tail.push(line)
      if (tail.length > tailLimit) tail.shift()
      options.onLine?.(line)
    }
    child.stdout.on('data', onData('stdout'))
    child.stderr.on('data', onData('stderr'))

    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            signalGroup(child.pid, 'SIGTERM')
            killTimer = setTimeout(() => {
              signalGroup(child.pid, 'SIGKILL')
              // A process outside the group (started in a session of its own) can still hold the
              // output open: stop reading it, so that the limit holds.
              drainTimer = setTimeout(() => {
                child.stdout.destroy()
                child.stderr.destroy()
              }, DRAIN_MS)
            }, 10_000)
          }, options.timeoutMs)
    const clearTimers = (): void => {
      if (timer) clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      if (drainTimer) clearTimeout(drainTimer)
    }

    child.on('error', (error) => {
      clearTimers()
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimers()
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = decoder[stream].end()
        if (rest) take(stream, rest)
        if (partial[stream]) emit(partial[stream])
      }
      resolve({ code, signal, timedOut, stdout: kept.stdout, stderr: kept.stderr, tail })
    })
  })

/**
 * What a terminal shows of a line: a progress bar (nsys's among them) redraws its line after each
 * carriage return, so only the last text between them is kept ("a\r" and "a\r\n" are "a").
 */
function terminalLine(raw: string): string {
  return raw.includes('\r') ? (raw.split('\r').filter(Boolean).pop() ?? '') : raw
}

/**
 * An unfinished line reduced to what a terminal shows of it so far (terminalLine), keeping a
 * carriage return it ends with (the next text redraws the line). A progress bar redrawn for hours
 * without a line break stays one redraw long.
 */
function shown(line: string): string {
  if (!line.includes('\r')) return line
  return `${terminalLine(line)}${line.endsWith('\r') ? '\r' : ''}`
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}
