import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { clip, listed, visible } from '../text.js'

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
  /**
   * How long, after the program exits, the processes it started may go on (in its process group,
   * or holding its output open) before they are stopped (default LEFTOVER_MS).
   */
  leftoverMs?: number
}

/**
 * What the program left behind when it exited: processes of its group still running after
 * leftoverMs, then stopped (SIGTERM, then SIGKILL), or its output held open by a process outside
 * its group (one that started a session of its own), which is no longer read and keeps running.
 * `processes`: the group's members as `pid (command)`, where /proc lists them.
 */
export interface Leftover {
  kind: 'stopped' | 'output-held'
  processes: string[]
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
  /** Set when the program exited leaving processes behind (Leftover); absent otherwise. */
  leftover?: Leftover
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

/**
 * How long the processes a program started may outlive it before they are stopped: a server left
 * running by the benchmark would otherwise hold its output (and the step) until timeout-minutes,
 * or share the GPU with the next repetition.
 */
export const LEFTOVER_MS = 5_000
/** After SIGTERM to what a program left behind, how long before SIGKILL. */
const STOP_MS = 5_000
/** How often the group is looked at while it is given time to end. */
const POLL_MS = 50

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
              drainTimer = setTimeout(closeOutput, DRAIN_MS)
            }, 10_000)
          }, options.timeoutMs)
    const closeOutput = (): void => {
      child.stdout.destroy()
      child.stderr.destroy()
    }
    const leftoverMs = options.leftoverMs ?? LEFTOVER_MS
    let leftover: Leftover | undefined
    let leftoverTimer: NodeJS.Timeout | undefined
    let closed = false
    const clearTimers = (): void => {
      if (timer) clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      if (drainTimer) clearTimeout(drainTimer)
      if (leftoverTimer) clearTimeout(leftoverTimer)
    }

    // The program ended within its limit: what it started and left holding the output (a
    // server started with `&`) is given leftoverMs, then stopped, instead of holding the step
    // until the limit and reading as a benchmark that ran too long.
    child.on('exit', () => {
      if (timedOut) return
      if (timer) clearTimeout(timer)
      leftoverTimer = setTimeout(() => {
        if (closed) return
        const members = groupMembers(child.pid)
        if (members.alive) {
          leftover = { kind: 'stopped', processes: members.list }
          // Once the group is gone the output closes; what still holds it after that is not read.
          void stopGroup(child.pid).then(() => {
            if (!closed) drainTimer = setTimeout(closeOutput, DRAIN_MS)
          })
        } else {
          leftover = { kind: 'output-held', processes: [] }
          closeOutput()
        }
      }, leftoverMs)
    })
    child.on('error', (error) => {
      clearTimers()
      reject(error)
    })
    child.on('close', (code, signal) => {
      closed = true
      clearTimers()
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = decoder[stream].end()
        if (rest) take(stream, rest)
        if (partial[stream]) emit(partial[stream])
      }
      const finish = (): void =>
        resolve({
          code,
          signal,
          timedOut,
          stdout: kept.stdout,
          stderr: kept.stderr,
          tail,
          ...(leftover ? { leftover } : {})
        })
      if (timedOut || leftover) {
        finish()
        return
      }
      // The output closed, but processes of the group whose output went elsewhere may still run.
      void settleGroup(child.pid, leftoverMs).then((found) => {
        if (found) leftover = found
        finish()
      })
    })
  })

/**
 * The running members of a process group, as `pid (command)` where /proc lists them: a zombie
 * runs nothing (it waits for its parent to read its status) and is not counted. Without /proc,
 * whether a signal reaches any member.
 */
export function groupMembers(pgid: number | undefined): { alive: boolean; list: string[] } {
  if (pgid === undefined) return { alive: false, list: [] }
  try {
    process.kill(-pgid, 0)
  } catch (error) {
    // EPERM: a member this process may not signal (it still runs).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return { alive: false, list: [] }
  }
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return { alive: true, list: [] }
  }
  const list: string[] = []
  for (const entry of entries) {
    const first = entry.charCodeAt(0)
    if (first < 0x30 || first > 0x39) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1')
    } catch {
      continue // ended meanwhile
    }
    // "pid (command) state ppid pgrp …": the command may hold spaces and parentheses.
    const close = stat.lastIndexOf(')')
    const fields = stat.slice(close + 2).split(' ', 3)
    if (fields[0] === 'Z' || Number(fields[2]) !== pgid) continue
    list.push(`${entry} (${stat.slice(stat.indexOf('(') + 1, close)})`)
  }
  return { alive: list.length > 0, list }
}

/**
 * After the program's output closed: waits up to `ms` for the rest of its group to end by itself,
 * then stops it (stopGroup). What was left, or undefined when nothing was.
 */
async function settleGroup(pgid: number | undefined, ms: number): Promise<Leftover | undefined> {
  if (!groupMembers(pgid).alive || (await endsWithin(pgid, ms))) return undefined
  const processes = groupMembers(pgid).list
  await stopGroup(pgid)
  return { kind: 'stopped', processes }
}

/** SIGTERM to the group, SIGKILL after STOP_MS if any member still runs; then a last second. */
async function stopGroup(pgid: number | undefined): Promise<void> {
  signalGroup(pgid, 'SIGTERM')
  if (await endsWithin(pgid, STOP_MS)) return
  signalGroup(pgid, 'SIGKILL')
  await endsWithin(pgid, 1_000)
}

/** Whether every member of the group has ended within `ms` (looked at every POLL_MS). */
async function endsWithin(pgid: number | undefined, ms: number): Promise<boolean> {
  const until = Date.now() + ms
  while (groupMembers(pgid).alive) {
    if (Date.now() >= until) return false
    await sleep(POLL_MS)
  }
  return true
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

/**
 * A warning that `what` (the benchmark, the setup command) left processes behind: what was done
 * with them and what to do. Their names are the program's, shown escaped.
 */
export function leftoverWarning(
  what: string,
  leftover: Leftover,
  leftoverMs = LEFTOVER_MS
): string {
  const after = `${leftoverMs / 1000} s`
  if (leftover.kind === 'output-held')
    return `${what} exited, but a process it started in a session of its own (setsid, start_new_session) still held its output open ${after} later: its output is no longer read, and it was left running, since it is outside the command's process group. End what the command starts before the command ends.`
  const named =
    leftover.processes.length > 0
      ? `: ${listed(leftover.processes, 5, (p) => visible(clip(p, 80)))}`
      : ''
  return `${what} exited, but processes it started were still running ${after} later${named}. They were stopped (SIGTERM, then SIGKILL), so that they neither hold the step until timeout-minutes nor share the GPU with the next run. End what the command starts (a server it launched, a job in the background) before the command ends.`
}

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
