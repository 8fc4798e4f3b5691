import { spawn } from 'node:child_process'

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
    let timedOut = false
    let killTimer: NodeJS.Timeout | undefined

    const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      if (kept[stream].length < KEEP_BYTES) kept[stream] += text
      const lines = (partial[stream] + text).split('\n')
      partial[stream] = lines.pop() ?? ''
      for (const line of lines) emit(line)
    }
    const emit = (raw: string): void => {
      // What a terminal shows: a progress bar (nsys's among them) redraws its line after each
      // carriage return, so only the text after the last one is kept ("a\r" and "a\r\n" are "a").
      const line = raw.includes('\r') ? (raw.split('\r').filter(Boolean).pop() ?? '') : raw
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
            killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 10_000)
          }, options.timeoutMs)

    child.on('error', (error) => {
      if (timer) clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      for (const stream of ['stdout', 'stderr'] as const) if (partial[stream]) emit(partial[stream])
      resolve({ code, signal, timedOut, stdout: kept.stdout, stderr: kept.stderr, tail })
    })
  })

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}
