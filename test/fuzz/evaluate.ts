/**
 * One CLI case, start to end: write its inputs, run the command, check every clause, read the
 * profile JSON back. The same code runs inside a worker thread (the CLI called in-process) and in
 * the main thread (the CLI as a child process, for inputs that can block a thread).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CliCase } from './cases.js'
import { checkCliRun, outcomeOf, type RunOutput } from './check-cli.js'
import { violation, type Violation } from './contract.js'
import { materializeCli, type MaterializedCli, type SeedStore } from './materialize.js'

export type Exec = (argv: string[], m: MaterializedCli) => Promise<RunOutput>

/** What comes back from a case (small: outputs are cut). */
export interface CaseResult {
  outcome: string
  violations: Violation[]
  ms: number
  argv: string[]
  inputBytes: number
  stdout: string
  stderr: string
}

export const OUTPUT_KEPT = 256 * 1024

/** The fuzzer itself failed on a case (not the CLI): reported apart from contract violations. */
export const HARNESS_ERROR = 'harness-error'

export function harnessResult(error: unknown, argv: string[] = []): CaseResult {
  const e = error as Error
  return {
    outcome: HARNESS_ERROR,
    violations: [],
    ms: 0,
    argv,
    inputBytes: 0,
    stdout: '',
    stderr: `${e?.stack ?? String(error)}`
  }
}

export async function evaluateCli(
  c: CliCase,
  dir: string,
  store: SeedStore,
  exec: Exec,
  onStart?: (m: MaterializedCli) => void
): Promise<CaseResult> {
  let m: MaterializedCli
  try {
    m = materializeCli(c, dir, store)
  } catch (error) {
    return harnessResult(error)
  }
  onStart?.(m)
  const run = await exec(m.argv, m)
  try {
    return await judge(c, dir, m, run, exec)
  } catch (error) {
    return harnessResult(error, m.argv)
  }
}

async function judge(
  c: CliCase,
  dir: string,
  m: MaterializedCli,
  run: RunOutput,
  exec: Exec
): Promise<CaseResult> {
  const violations = checkCliRun(run, {
    command: c.command,
    ...(c.format ? { format: c.format } : {}),
    files: m.files,
    flagsValid: m.flagsValid,
    inputBytes: m.inputBytes
  })
  if (
    c.command === 'summarize-json' &&
    run.code === 0 &&
    !violations.some((v) => v.clause === 'json:invalid')
  )
    violations.push(...(await readBack(run.stdout, dir, m, exec)))
  return {
    outcome: outcomeOf(run),
    violations,
    ms: run.killedAfterMs ?? run.ms,
    argv: m.argv,
    inputBytes: m.inputBytes,
    stdout: run.stdout.slice(0, OUTPUT_KEPT),
    stderr: run.stderr.slice(0, OUTPUT_KEPT)
  }
}

/** `summarize --json` output must be a profile `summarize` reads. */
async function readBack(
  json: string,
  dir: string,
  m: MaterializedCli,
  exec: Exec
): Promise<Violation[]> {
  const readback = join(dir, 'readback')
  mkdirSync(readback, { recursive: true })
  const path = join(readback, 'profile.json')
  writeFileSync(path, json)
  const again = await exec(['summarize', path], {
    ...m,
    argv: ['summarize', path],
    files: [path],
    fifos: []
  })
  if (again.code === 0) return []
  return [
    violation(
      'json:readback',
      `summarize of the --json output: ${outcomeOf(again)}: ${again.stderr}`
    )
  ]
}
