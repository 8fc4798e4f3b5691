/**
 * `npm run fuzz [-- options]` (rollup.config.ts bundles this with src/; run.ts calls main()).
 *
 *   --cases N           CLI cases (default 10000)
 *   --action-cases N    action cases (default 300)
 *   --seed S            fast-check seed (default 20261129)
 *   --only OPERATOR     only cases with this operator (`flip-bytes`, `special:fifo`, `rules:deep`, …)
 *   --workers N         worker threads (default 2)
 *   --shrink-seconds N  shrinking time per failure class (default 15; 0: none), at most
 *   --shrink-total-seconds N  in all (default 180)
 *   --kill-ms N         stop a CLI case after this long (default 31000: a hang is > 30 s)
 *   --max-timeouts N    stopped cases per operator label before its cases are skipped (default 3)
 *   --out DIR           where failing cases go (default build/fuzz-failures)
 *   --replay DIR        run one written failure again and say whether it still fails
 *   --list              list the operators
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { ActionCase, CliCase } from './cases.js'
import { HANG_MS } from './contract.js'
import {
  classTable,
  fuzz,
  openSession,
  outcomeTable,
  runAction,
  runCliCase,
  type FuzzConfig
} from './driver.js'
import { OPERATORS } from './mutations.js'
import { SPECIALS, RULES_KINDS } from './cases.js'

export async function main(argv: string[], root: string, bundleDir: string): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: '10000' },
      'action-cases': { type: 'string', default: '300' },
      seed: { type: 'string', default: '20261129' },
      only: { type: 'string' },
      workers: { type: 'string', default: '2' },
      'shrink-seconds': { type: 'string', default: '15' },
      'shrink-total-seconds': { type: 'string', default: '180' },
      'kill-ms': { type: 'string', default: String(HANG_MS + 1000) },
      'max-timeouts': { type: 'string', default: '3' },
      out: { type: 'string', default: join(root, 'build', 'fuzz-failures') },
      replay: { type: 'string' },
      list: { type: 'boolean', default: false }
    }
  })
  const log = (line: string): void => void process.stdout.write(`${line}\n`)
  const tokens = [
    ...OPERATORS.map((o) => o.name),
    ...SPECIALS.map((s) => `special:${s}`),
    ...RULES_KINDS.filter((k) => k !== 'valid').map((k) => `rules:${k}`),
    ...['ignore:catastrophic', 'ignore:nested', 'ignore:invalid', 'threshold:bad']
  ]
  if (values.list) {
    log(tokens.join('\n'))
    return 0
  }
  if (values.only !== undefined && !tokens.includes(values.only)) {
    process.stderr.write(`fuzz: --only takes one of (see --list): ${tokens.join(', ')}\n`)
    return 2
  }
  const config: FuzzConfig = {
    root,
    bundleDir,
    actionScript: join(root, 'dist', 'index.js'),
    cases: Number(values.cases),
    actionCases: values.only ? 0 : Number(values['action-cases']),
    seed: Number(values.seed),
    ...(values.only ? { only: values.only } : {}),
    workers: Math.max(1, Number(values.workers)),
    killMs: Number(values['kill-ms']),
    actionKillMs: 60_000,
    shrinkSeconds: Number(values['shrink-seconds']),
    shrinkTotalSeconds: Number(values['shrink-total-seconds']),
    maxTimeoutsPerLabel: Number(values['max-timeouts']),
    failuresDir: resolve(values.out),
    log
  }
  if (values.replay) return replay(config, resolve(values.replay))

  log(
    `fuzz: ${config.cases} CLI cases, ${config.actionCases} action cases, seed ${config.seed}` +
      (config.only ? `, only ${config.only}` : '')
  )
  const report = await fuzz(config)
  log('')
  log('CLI outcomes by operator (a case counts in the row of each of its operators):')
  log(outcomeTable(report.outcomes, 'cli'))
  if (config.actionCases > 0) {
    log('')
    log('Action outcomes:')
    log(outcomeTable(report.outcomes, 'action'))
  }
  log('')
  for (const o of report.harnessErrors.slice(0, 5)) {
    const stderr = o.result === 'skipped' ? '' : o.result.stderr
    log(
      `HARNESS ERROR (a fuzzer bug) in ${o.target} case ${o.index}: ${JSON.stringify(o.recipe)}\n${stderr}`
    )
  }
  if (report.classes.length === 0) {
    log(`No contract violations (${report.seconds.toFixed(0)} s).`)
    return report.harnessErrors.length > 0 ? 2 : 0
  }
  log(`${report.classes.length} failure classes (violated clause × operator):`)
  log(classTable(report.classes))
  log('')
  log(`Each is in ${config.failuresDir}; replay one with npm run fuzz -- --replay <dir>`)
  log(`(${report.seconds.toFixed(0)} s)`)
  return 1
}

interface StoredCase {
  target: 'cli' | 'action'
  clause: string
  recipe: CliCase | ActionCase
}

async function replay(config: FuzzConfig, dir: string): Promise<number> {
  const stored = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as StoredCase
  const s = await openSession({ ...config, cases: 0, actionCases: 0 })
  try {
    const result =
      stored.target === 'cli'
        ? await runCliCase(s, stored.recipe as CliCase)
        : await runAction(s, stored.recipe as ActionCase)
    config.log(`command: ${result.argv.join(' ')}`)
    config.log(`outcome: ${result.outcome} in ${Math.round(result.ms)} ms`)
    config.log(`stdout (first 2000 chars):\n${result.stdout.slice(0, 2000)}`)
    config.log(`stderr (first 2000 chars):\n${result.stderr.slice(0, 2000)}`)
    for (const v of result.violations) config.log(`VIOLATION ${v.clause}: ${v.detail}`)
    const still = result.violations.some((v) => v.clause === stored.clause)
    config.log(
      still ? `still fails: ${stored.clause}` : `fixed: ${stored.clause} no longer violated`
    )
    return still ? 1 : 0
  } finally {
    await s.close()
  }
}
