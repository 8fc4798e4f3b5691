/**
 * Runs CLI cases without letting one hang the fuzzer: in worker threads (terminated and replaced
 * when a case runs past its time), or, for inputs that can block a thread in a system call (FIFOs,
 * /dev/zero), as child processes that are killed.
 */
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { PROCESS_SPECIALS, type CliCase } from './cases.js'
import { checkCliRun, outcomeOf, type RunOutput } from './check-cli.js'
import { violation } from './contract.js'
import { evaluateCli, OUTPUT_KEPT, type CaseResult, type Exec } from './evaluate.js'
import type { SeedStore } from './materialize.js'
import type { WorkerData, WorkerReply, WorkerTask } from './worker.js'

/** Heap limit of a worker; a case that needs more is an out-of-memory crash. */
const WORKER_HEAP_MB = 4096

type Started = Extract<WorkerReply, { kind: 'started' }>
/** The worker died or was stopped while running a task; `started` says what it was running. */
interface Lost {
  kind: 'lost'
  run: RunOutput
  started: Started | undefined
}

interface Pending {
  task: WorkerTask
  started?: Started
  startedAt: number
  settle: (reply: WorkerReply | Lost) => void
  timer?: NodeJS.Timeout
}

class Slot {
  worker: Worker
  pending: Pending | undefined

  constructor(
    private readonly script: string,
    private readonly data: WorkerData
  ) {
    this.worker = this.start()
  }

  private start(): Worker {
    const worker = new Worker(this.script, {
      workerData: this.data,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: true,
      stderr: true
    })
    worker.stdout.resume()
    worker.stderr.resume()
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending
      if (!p || reply.id !== p.task.id) return
      if (reply.kind === 'started') p.started = reply
      else this.finish(reply, reply.kind === 'done' && reply.polluted !== undefined)
    })
    worker.on('error', (error: Error & { code?: string }) => {
      const kind = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : 'uncaught'
      this.lose({ kind, message: `${error.name}: ${error.message}\n${error.stack ?? ''}` })
    })
    worker.on('exit', (code) => {
      if (worker !== this.worker) return
      this.lose({
        kind: code === 0 ? 'unsettled' : 'exit',
        message:
          code === 0
            ? 'the command returned nothing and nothing was left to run: a promise never settled (the CLI would exit 13)'
            : `the worker exited with code ${code}`
      })
    })
    return worker
  }

  run(task: WorkerTask, killMs: number): Promise<WorkerReply | Lost> {
    return new Promise((settle) => {
      const pending: Pending = { task, startedAt: performance.now(), settle }
      pending.timer = setTimeout(() => {
        this.lose(undefined, killMs)
      }, killMs)
      this.pending = pending
      this.worker.postMessage(task)
    })
  }

  private finish(reply: WorkerReply, restart = false): void {
    const p = this.pending
    if (!p) return
    clearTimeout(p.timer)
    this.pending = undefined
    if (restart) this.restart()
    p.settle(reply)
  }

  /** The worker died or is stopped: report the case, start a fresh worker. */
  private lose(crash: RunOutput['crash'], killedAfterMs?: number): void {
    const p = this.pending
    this.restart()
    if (!p) return
    clearTimeout(p.timer)
    this.pending = undefined
    const run: RunOutput = {
      code: null,
      stdout: '',
      stderr: '',
      ms: performance.now() - p.startedAt,
      ...(crash ? { crash } : {}),
      ...(killedAfterMs !== undefined ? { killedAfterMs } : {})
    }
    p.settle({ kind: 'lost', run, started: p.started })
  }

  private restart(): void {
    const old = this.worker
    this.worker = this.start()
    void old.terminate()
  }

  close(): Promise<number> {
    const w = this.worker
    this.worker = undefined as unknown as Worker
    return w.terminate()
  }
}

export interface PoolOptions {
  script: string
  data: WorkerData
  size: number
  /** The bundled CLI (`node cli.mjs …`), for cases that run as child processes. */
  cliScript: string
  store: SeedStore
}

/** A fixed number of workers; callers wait for a free one. */
export class CasePool {
  private readonly slots: Slot[]
  private readonly free: Slot[]
  private readonly waiting: ((slot: Slot) => void)[] = []
  private nextId = 1

  constructor(private readonly options: PoolOptions) {
    this.slots = Array.from({ length: options.size }, () => new Slot(options.script, options.data))
    this.free = [...this.slots]
  }

  private async acquire(): Promise<Slot> {
    const slot = this.free.pop()
    if (slot) return slot
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift()
    if (next) next(slot)
    else this.free.push(slot)
  }

  /** Generates a profile JSON seed from a fixture; false when the CLI refuses the fixture. */
  async seed(source: string, out: string): Promise<boolean> {
    const slot = await this.acquire()
    try {
      const reply = await slot.run({ id: this.nextId++, kind: 'seed', source, out }, 60_000)
      return reply.kind === 'seeded' && reply.ok
    } finally {
      this.release(slot)
    }
  }

  /** Runs one case in a fresh directory (removed afterwards unless `keep`), stopping it at killMs. */
  async run(c: CliCase, dir: string, killMs: number, keep = false): Promise<CaseResult> {
    const slot = await this.acquire()
    try {
      if (c.inputs.some((i) => i.special !== undefined && PROCESS_SPECIALS.has(i.special)))
        return await evaluateCli(
          c,
          dir,
          this.options.store,
          childExec(this.options.cliScript, killMs)
        )
      return await this.runInWorker(slot, c, dir, killMs)
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true })
      this.release(slot)
    }
  }

  private async runInWorker(
    slot: Slot,
    c: CliCase,
    dir: string,
    killMs: number
  ): Promise<CaseResult> {
    const reply = await slot.run({ id: this.nextId++, kind: 'cli', case: c, dir }, killMs)
    if (reply.kind === 'done') {
      const result = reply.result
      if (reply.polluted !== undefined)
        result.violations.push(violation('integrity:prototype-pollution', reply.polluted))
      return result
    }
    if (reply.kind !== 'lost') throw new Error(`unexpected reply ${reply.kind}`)
    // Stopped or crashed: judge what is known (the worker said what it was running).
    const info = reply.started
    const run = reply.run
    return {
      outcome: outcomeOf(run),
      violations: checkCliRun(run, {
        command: c.command,
        ...(c.format ? { format: c.format } : {}),
        files: info?.files ?? [],
        flagsValid: info?.flagsValid ?? false,
        inputBytes: info?.inputBytes ?? 0
      }),
      ms: run.killedAfterMs ?? run.ms,
      argv: info?.argv ?? [],
      inputBytes: info?.inputBytes ?? 0,
      stdout: '',
      stderr: ''
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.close()))
  }
}

/** A child CLI using more memory than this is stopped (and the case fails). */
const CHILD_MEMORY_BYTES = 3 * 2 ** 30

function residentBytes(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmRSS:\s+(\d+) kB/u.exec(status)?.[1] ?? 0) * 1024
  } catch {
    return 0
  }
}

/** Runs the bundled CLI as a child process; a FIFO gets a writer process when it has content. */
export function childExec(cliScript: string, killMs: number): Exec {
  return async (argv, m) => {
    const writers = m.fifos
      .filter((f) => f.content !== undefined)
      .map((f) => {
        const w = spawn('sh', ['-c', 'cat > "$1"', 'sh', f.path], {
          stdio: ['pipe', 'ignore', 'ignore']
        })
        w.stdin.on('error', () => undefined)
        w.stdin.end(f.content)
        return w
      })
    const start = performance.now()
    const child = spawn(process.execPath, [cliScript, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' }
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let kept = 0
    const keep = (list: Buffer[]) => (chunk: Buffer) => {
      if (kept < OUTPUT_KEPT * 4) list.push(chunk)
      kept += chunk.length
    }
    child.stdout.on('data', keep(out))
    child.stderr.on('data', keep(err))
    let killed = false
    let crash: RunOutput['crash']
    const timer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, killMs)
    // Reading /dev/zero into memory must not take the machine down with it.
    const watch = setInterval(() => {
      const rss = residentBytes(child.pid)
      if (rss > CHILD_MEMORY_BYTES) {
        crash = { kind: 'memory', message: `stopped at ${Math.round(rss / 2 ** 20)} MiB resident` }
        child.kill('SIGKILL')
      }
    }, 250)
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.once('close', (c, s) => resolve([c, s]))
    )
    clearTimeout(timer)
    clearInterval(watch)
    for (const w of writers) w.kill('SIGKILL')
    return {
      code: killed || crash ? null : code,
      signal,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
      ms: performance.now() - start,
      ...(crash ? { crash } : killed ? { killedAfterMs: killMs } : {})
    }
  }
}
