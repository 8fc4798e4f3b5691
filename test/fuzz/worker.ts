/**
 * Worker-thread entry (bundled with src/ into build/fuzz/worker.mjs): runs CLI cases in-process
 * through runCli, one at a time. The main thread stops a case that runs too long by terminating
 * the worker, which interrupts even a runaway regular expression.
 */
import { writeFileSync } from 'node:fs'
import { parentPort, workerData } from 'node:worker_threads'
import { runCli } from '../../src/cli/main.js'
import type { CliCase } from './cases.js'
import type { RunOutput } from './check-cli.js'
import { evaluateCli, harnessResult, type CaseResult } from './evaluate.js'
import { SeedStore } from './materialize.js'

export interface WorkerData {
  root: string
  seedsDir: string
}

export type WorkerTask =
  | { id: number; kind: 'cli'; case: CliCase; dir: string }
  | { id: number; kind: 'seed'; source: string; out: string }

export type WorkerReply =
  | {
      id: number
      kind: 'started'
      argv: string[]
      files: string[]
      flagsValid: boolean
      inputBytes: number
    }
  | { id: number; kind: 'done'; result: CaseResult; polluted?: string }
  | { id: number; kind: 'seeded'; ok: boolean; message: string }

/** The CLI called in-process, timed. */
export async function runInProcess(argv: string[]): Promise<RunOutput> {
  const stdout: string[] = []
  const stderr: string[] = []
  const start = performance.now()
  try {
    const code = await runCli(argv, {
      stdout: (text) => void stdout.push(text),
      stderr: (text) => void stderr.push(text)
    })
    return { code, stdout: stdout.join(''), stderr: stderr.join(''), ms: performance.now() - start }
  } catch (error) {
    // A rejection escaping runCli: the real CLI dies of an unhandled top-level-await rejection.
    const e = error as Error
    return {
      code: null,
      stdout: stdout.join(''),
      stderr: stderr.join(''),
      ms: performance.now() - start,
      crash: { kind: 'uncaught', message: `${e?.name}: ${e?.message}\n${e?.stack ?? ''}` }
    }
  }
}

/** Own properties of the built-in prototypes: a case that adds one poisoned the process. */
function prototypeKeys(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype]
    .map((p) => Object.getOwnPropertyNames(p).sort().join(','))
    .join('|')
}

async function handle(
  task: WorkerTask,
  port: NonNullable<typeof parentPort>,
  store: SeedStore
): Promise<WorkerReply> {
  if (task.kind === 'seed') {
    const run = await runInProcess(['summarize', '--json', task.source])
    if (run.code !== 0) return { id: task.id, kind: 'seeded', ok: false, message: run.stderr }
    try {
      const doc = JSON.parse(run.stdout) as { meta?: { createdAt?: string } }
      if (doc.meta) doc.meta.createdAt = '2026-01-01T00:00:00.000Z'
      writeFileSync(task.out, `${JSON.stringify(doc, null, 2)}\n`)
      return { id: task.id, kind: 'seeded', ok: true, message: '' }
    } catch (error) {
      return { id: task.id, kind: 'seeded', ok: false, message: String(error) }
    }
  }
  const before = prototypeKeys()
  const result = await evaluateCli(
    task.case,
    task.dir,
    store,
    (argv) => runInProcess(argv),
    (m) =>
      port.postMessage({
        id: task.id,
        kind: 'started',
        argv: m.argv,
        files: m.files,
        flagsValid: m.flagsValid,
        inputBytes: m.inputBytes
      } satisfies WorkerReply)
  )
  const after = prototypeKeys()
  return { id: task.id, kind: 'done', result, ...(after !== before ? { polluted: after } : {}) }
}

const port = parentPort
if (port) {
  const data = workerData as WorkerData
  const store = new SeedStore(data.root, data.seedsDir)
  port.on('message', (task: WorkerTask) => {
    // While a case runs only the case keeps the thread alive: a promise that never settles lets
    // the worker exit, and the main thread reports it (the real CLI would exit with code 13).
    port.unref()
    void handle(task, port, store)
      .catch((error: unknown): WorkerReply =>
        task.kind === 'cli'
          ? { id: task.id, kind: 'done', result: harnessResult(error) }
          : { id: task.id, kind: 'seeded', ok: false, message: String(error) }
      )
      .then((reply) => {
        port.ref()
        port.postMessage(reply)
      })
  })
}
