import { readFileSync } from 'node:fs'
import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { leftoverWarning, runProcess } from '../../src/action/process.js'

/**
 * runProcess with real child processes: the time limit bounds the wait even when something
 * outside the process group keeps the output open, output without line breaks stays cheap and
 * bounded, and text is decoded as UTF-8 across reads.
 */
let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nsys-bench-process-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Runs a Node script as the child (no other interpreter needed). */
const node = (script: string, timeoutMs?: number, onLine?: (line: string) => void) =>
  runProcess(process.execPath, ['-e', script], {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(onLine ? { onLine } : {})
  })

describe('runProcess: the time limit holds', () => {
  it('a process in a session of its own that keeps the output open does not hold the run past the limit', async () => {
    // The benchmark starts a server in its own session (setsid, Popen(start_new_session=True))
    // and runs until the limit: the process group is stopped at the limit, but that process is
    // not in it and holds the pipes for 120 s.
    const pidFile = join(dir, 'server.pid')
    const started = Date.now()
    try {
      const result = await runProcess(
        'bash',
        ['-c', `setsid sleep 120 & echo $! > '${pidFile}'; echo started; sleep 60`],
        { timeoutMs: 1000 }
      )
      const waited = Date.now() - started
      // SIGTERM at 1 s, SIGKILL 10 s later, then a short wait for the output: well under 60 s.
      expect(waited).toBeLessThan(25_000)
      expect(result.timedOut).toBe(true)
      expect(result.tail).toEqual(['started'])
    } finally {
      killPidFile(pidFile)
    }
  }, 60_000)
})

/** SIGKILL to the process whose pid a test's script wrote to `file`, if it still runs. */
function killPidFile(file: string): void {
  let pid = 0
  try {
    pid = Number(readFileSync(file, 'utf8').trim())
  } catch {
    return
  }
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
}

/** Whether `pid` runs (a zombie, which waits for its parent to read its status, does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}

describe('runProcess: what a program leaves running when it exits', () => {
  // Real processes, as a benchmark leaves them: `server &` in a script that then ends.
  it('a process of its group holding the output: stopped after leftoverMs, not read as a run past the limit', async () => {
    const pidFile = join(dir, 'left.pid')
    const started = Date.now()
    try {
      const result = await runProcess(
        'bash',
        ['-c', `sleep 120 & echo $! > '${pidFile}'; echo done`],
        { timeoutMs: 60_000, leftoverMs: 300 }
      )
      // Before: the run waited for the limit (60 s here) and said the benchmark ran too long.
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(result.code).toBe(0)
      expect(result.timedOut).toBe(false)
      expect(result.tail).toEqual(['done'])
      const pid = Number(readFileSync(pidFile, 'utf8').trim())
      expect(result.leftover).toEqual({ kind: 'stopped', processes: [`${pid} (sleep)`] })
      expect(running(pid)).toBe(false)
      const warning = leftoverWarning('the benchmark', result.leftover!, 300)
      expect(warning).toContain(`still running 0.3 s later: ${pid} (sleep)`)
      expect(warning).toContain('stopped (SIGTERM, then SIGKILL)')
    } finally {
      killPidFile(pidFile)
    }
  }, 30_000)

  it('a process of its group whose output went elsewhere: stopped too (it would share the GPU with the next run)', async () => {
    const pidFile = join(dir, 'quiet.pid')
    try {
      const result = await runProcess(
        'bash',
        ['-c', `sleep 120 >/dev/null 2>&1 & echo $! > '${pidFile}'; exit 3`],
        { leftoverMs: 300 }
      )
      // The exit code is the program's, whatever it left.
      expect(result.code).toBe(3)
      const pid = Number(readFileSync(pidFile, 'utf8').trim())
      expect(result.leftover).toEqual({ kind: 'stopped', processes: [`${pid} (sleep)`] })
      expect(running(pid)).toBe(false)
    } finally {
      killPidFile(pidFile)
    }
  }, 30_000)

  it('a process that ends by itself within leftoverMs is no leftover', async () => {
    const started = Date.now()
    const result = await runProcess('bash', ['-c', 'sleep 0.3 & echo done'], {
      leftoverMs: 5_000
    })
    expect(result.leftover).toBeUndefined()
    expect(result.tail).toEqual(['done'])
    // Waited for the short job, not for leftoverMs.
    expect(Date.now() - started).toBeLessThan(4_000)
  }, 30_000)

  it('a process that ignores SIGTERM is killed', async () => {
    const pidFile = join(dir, 'stubborn.pid')
    try {
      const result = await runProcess(
        'bash',
        ['-c', `(trap '' TERM; exec sleep 120) & echo $! > '${pidFile}'; echo done`],
        { leftoverMs: 300 }
      )
      const pid = Number(readFileSync(pidFile, 'utf8').trim())
      expect(result.leftover?.kind).toBe('stopped')
      expect(running(pid)).toBe(false)
    } finally {
      killPidFile(pidFile)
    }
  }, 30_000)

  it('a process in a session of its own holding the output: no longer read, left running, said', async () => {
    const pidFile = join(dir, 'session.pid')
    const started = Date.now()
    try {
      const result = await runProcess(
        'bash',
        ['-c', `setsid sleep 120 & echo $! > '${pidFile}'; echo done`],
        { timeoutMs: 60_000, leftoverMs: 300 }
      )
      expect(Date.now() - started).toBeLessThan(10_000)
      expect(result.timedOut).toBe(false)
      expect(result.code).toBe(0)
      expect(result.tail).toEqual(['done'])
      expect(result.leftover).toEqual({ kind: 'output-held', processes: [] })
      expect(leftoverWarning('the benchmark', result.leftover!, 300)).toContain(
        'its output is no longer read, and it was left running'
      )
    } finally {
      killPidFile(pidFile)
    }
  }, 30_000)

  it("a leftover's command, chosen by the program, is shown escaped in the warning", async () => {
    // The command /proc shows is the executable's file name (15 bytes at most): a copy of sleep
    // named with an escape sequence that would clear a terminal.
    const evil = join(dir, '\u001b[2Jx')
    await copyFile('/usr/bin/sleep', evil)
    await chmod(evil, 0o755)
    const pidFile = join(dir, 'evil.pid')
    try {
      const result = await runProcess(
        'bash',
        ['-c', `"$0" 120 & echo $! > '${pidFile}'; echo done`, evil],
        { leftoverMs: 300 }
      )
      const pid = Number(readFileSync(pidFile, 'utf8').trim())
      expect(result.leftover?.processes).toEqual([`${pid} (\u001b[2Jx)`])
      const warning = leftoverWarning('the benchmark', result.leftover!, 300)
      expect(warning).toContain(`${pid} (\\u{1b}[2Jx)`)
      expect(warning).not.toContain('\u001b')
    } finally {
      killPidFile(pidFile)
    }
  }, 30_000)
})

describe('runProcess: output without line breaks', () => {
  it('a progress bar redrawn with \\r for 20 MB is read in linear time, as a terminal shows it', async () => {
    // 100,000 redraws of 200 characters, no line break until the end: the log gets the last
    // redraw, then "done".
    const script = `
      const bar = 'x'.repeat(192)
      for (let i = 0; i < 100000; i++) process.stdout.write('\\r' + String(i).padStart(7, '0') + ' ' + bar)
      process.stdout.write('\\ndone\\n')`
    const lines: string[] = []
    const started = Date.now()
    const result = await node(script, 60_000, (l) => lines.push(l))
    const took = Date.now() - started
    expect(result.code).toBe(0)
    expect(lines).toEqual([`0099999 ${'x'.repeat(192)}`, 'done'])
    // Writing it takes well under a second; reading it must not take much longer (it took 25 s
    // on a 2-core machine when each read rescanned everything since the last line break).
    expect(took).toBeLessThan(8_000)
  }, 90_000)

  it('one 40 MB line is handed on in bounded pieces, none of it lost', async () => {
    const script = `
      const piece = 'abcdefghij'.repeat(100000)
      for (let i = 0; i < 40; i++) process.stdout.write(piece)
      process.stdout.write('\\nend\\n')`
    const lengths: number[] = []
    let total = 0
    let text = ''
    const result = await node(script, 60_000, (l) => {
      lengths.push(l.length)
      total += l.length
      if (text.length < 30) text += l.slice(0, 30)
    })
    expect(result.code).toBe(0)
    // 40 × 1,000,000 characters, then "end".
    expect(total).toBe(40_000_000 + 3)
    expect(text.startsWith('abcdefghijabcdefghijabcdefghij')).toBe(true)
    expect(Math.max(...lengths)).toBeLessThanOrEqual(1024 * 1024)
    expect(result.tail.at(-1)).toBe('end')
    for (const line of result.tail) expect(line.length).toBeLessThanOrEqual(1024 * 1024)
  }, 90_000)
})

describe('runProcess: UTF-8 across reads', () => {
  it('a character whose bytes arrive in two reads is read whole', async () => {
    // "é" is C3 A9: the first byte, a pause, then the second and a line break.
    const script = `
      process.stdout.write(Buffer.from([0xc3]))
      setTimeout(() => process.stdout.write(Buffer.from([0xa9, 0x0a])), 300)`
    const lines: string[] = []
    const result = await node(script, 10_000, (l) => lines.push(l))
    expect(lines).toEqual(['é'])
    expect(result.stdout).toBe('é\n')
    expect(result.tail).toEqual(['é'])
  })
})

describe('runProcess: redrawn lines across reads', () => {
  it('keeps, for each line, the text after its last carriage return, whatever the reads', async () => {
    // Written in pieces, with pauses between them: "abc\r" "de" "\rf\r" "\n" is one line a
    // terminal shows as "f"; "a\r\n" shows "a"; "zz\r" without a line break at the end, "zz".
    const script = `
      const parts = ['abc\\r', 'de', '\\rf\\r', '\\n', 'a\\r', '\\n', 'zz\\r']
      let i = 0
      const next = () => { if (i < parts.length) { process.stdout.write(parts[i++]); setTimeout(next, 100) } }
      next()`
    const lines: string[] = []
    const result = await node(script, 10_000, (l) => lines.push(l))
    expect(result.code).toBe(0)
    expect(lines).toEqual(['f', 'a', 'zz'])
    expect(result.stdout).toBe('abc\rde\rf\r\na\r\nzz\r')
  })
})
