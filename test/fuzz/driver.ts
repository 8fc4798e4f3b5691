/**
 * The fuzz run: draw seeded cases with fast-check, run them all (a failure does not stop the
 * run), group the violations by clause × operator, shrink one case per group with fast-check
 * (replaying its path), and write each to a directory from which it replays with one command.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import fc from 'fast-check'
import { runActionCase } from './action.js'
import {
  actionCaseArbitrary,
  actionTokens,
  caseLabel,
  caseTokens,
  cliCaseArbitrary,
  GOOD_THRESHOLDS,
  type ActionCase,
  type CliCase,
  type Seeds
} from './cases.js'
import { SLOW_MS } from './contract.js'
import { HARNESS_ERROR, type CaseResult } from './evaluate.js'
import { materializeCli, SeedStore, seedFileName } from './materialize.js'
import { CasePool } from './pool.js'

export interface FuzzConfig {
  /** The repository root (fixtures are read from it). */
  root: string
  /** Holds worker.mjs and cli.mjs (see build.mjs). */
  bundleDir: string
  /** The action bundle run for action cases. */
  actionScript: string
  cases: number
  actionCases: number
  seed: number
  only?: string
  workers: number
  /** A CLI case still running after this long is stopped. */
  killMs: number
  actionKillMs: number
  /** fast-check shrinking time per failure class, and in all (0: no shrinking). */
  shrinkSeconds: number
  shrinkTotalSeconds: number
  /** After this many stopped cases with one operator label, its later cases are skipped. */
  maxTimeoutsPerLabel: number
  /** Where failing cases are written (one directory each); none: not written. */
  failuresDir?: string
  log: (line: string) => void
}

export type Target = 'cli' | 'action'

export interface Outcome {
  target: Target
  index: number
  tokens: string[]
  recipe: CliCase | ActionCase
  result: CaseResult | 'skipped'
}

export interface FailureClass {
  target: Target
  clause: string
  label: string
  count: number
  detail: string
  /** fast-check path of the first case (with the run's seed). */
  path: number
  recipe: CliCase | ActionCase
  result: CaseResult
  shrunk: boolean
  /** The seed alone (operators removed) violates the clause: `label` lost its operators. */
  attributed?: boolean
  /** The operator labels the class was seen with. */
  operators: string[]
  dir?: string
}

export interface FuzzReport {
  outcomes: Outcome[]
  classes: FailureClass[]
  /** Cases the fuzzer itself failed on (a bug here, not in the CLI). */
  harnessErrors: Outcome[]
  seconds: number
}

/**
 * Fixture paths (repository-relative) that seed the text inputs: nsys captures and reports, and
 * the other profilers' files read as text (the PyTorch profiler's traces not gzipped, rocprof and
 * rocprofv3 CSVs), which the CLI tells apart by their content.
 */
export function textSeedPaths(root: string): string[] {
  const corpus = 'test/fixtures/corpus/nsys'
  const real = 'test/fixtures/nsys-real'
  const found = readdirSync(join(root, corpus)).map((f) => `${corpus}/${f}`)
  for (const dir of [
    'test/fixtures/corpus/traces',
    'test/fixtures/corpus/rocm',
    'test/fixtures/rocprof'
  ])
    for (const f of readdirSync(join(root, dir)))
      if (/\.(json|csv|txt)$/u.test(f)) found.push(`${dir}/${f}`)
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const path = `${dir}/${name}`
      if (statSync(join(root, path)).isDirectory()) walk(path)
      else if (/\.(csv|txt)$/u.test(name)) found.push(path)
    }
  }
  walk(real)
  return found.sort()
}

/** The seeds: fixtures, and a profile JSON per fixture the current CLI summarizes. */
async function makeSeeds(config: FuzzConfig, pool: CasePool, seedsDir: string): Promise<Seeds> {
  const text = textSeedPaths(config.root)
  mkdirSync(seedsDir, { recursive: true })
  const generated = await Promise.all(
    text.map(async (path) => {
      const id = `profile:${path}`
      const ok = await pool.seed(join(config.root, path), join(seedsDir, seedFileName(id)))
      return ok ? id : undefined
    })
  )
  return {
    text,
    json: [
      'test/fixtures/profile-v1.json',
      ...generated.filter((id): id is string => id !== undefined)
    ],
    statsCsv: text.filter((p) => /nsys-real\/2023\.4\/hostile\/hostile_.+\.csv$/u.test(p))
  }
}

/** What is kept of a result for the report: outputs only of failing cases, and not all of them. */
function slim(result: CaseResult): CaseResult {
  const keep = result.violations.length > 0 || result.outcome === HARNESS_ERROR ? 64 * 1024 : 0
  return { ...result, stdout: result.stdout.slice(0, keep), stderr: result.stderr.slice(0, keep) }
}

/** Runs `count` jobs with at most `width` at a time. */
async function parallel(
  count: number,
  width: number,
  job: (i: number) => Promise<void>
): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.max(1, width) }, async () => {
      while (next < count) await job(next++)
    })
  )
}

export interface Session {
  config: FuzzConfig
  pool: CasePool
  store: SeedStore
  seeds: Seeds
  tmp: string
  cliArbitrary: fc.Arbitrary<CliCase>
  actionArbitrary: fc.Arbitrary<ActionCase>
  counter: number
  close(): Promise<void>
}

export async function openSession(config: FuzzConfig): Promise<Session> {
  const tmp = mkdtempSync(join(tmpdir(), 'nsys-bench-fuzz-'))
  const seedsDir = join(tmp, 'seeds')
  const store = new SeedStore(config.root, seedsDir)
  const pool = new CasePool({
    script: join(config.bundleDir, 'worker.mjs'),
    cliScript: join(config.bundleDir, 'cli.mjs'),
    data: { root: config.root, seedsDir },
    size: config.workers,
    store
  })
  const seeds = await makeSeeds(config, pool, seedsDir)
  config.log(`seeds: ${seeds.text.length} text inputs, ${seeds.json.length} profile JSONs`)
  return {
    config,
    pool,
    store,
    seeds,
    tmp,
    cliArbitrary: cliCaseArbitrary(seeds, config.only === undefined ? {} : { only: config.only }),
    actionArbitrary: actionCaseArbitrary(seeds),
    counter: 0,
    close: async () => {
      await pool.close()
      rmSync(tmp, { recursive: true, force: true })
    }
  }
}

export function runCliCase(s: Session, c: CliCase, killMs = s.config.killMs): Promise<CaseResult> {
  return s.pool.run(c, join(s.tmp, `c${s.counter++}`), killMs)
}

export async function runAction(s: Session, c: ActionCase): Promise<CaseResult> {
  const dir = join(s.tmp, `a${s.counter++}`)
  try {
    return await runActionCase(c, dir, {
      script: s.config.actionScript,
      store: s.store,
      killMs: s.config.actionKillMs
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The cases fast-check would run for this seed, in order: case i is the one `fc.check` replays
 * with `path: String(i)` (sampled through the same kind of property, so the streams agree).
 */
export function sampleCases<T>(arbitrary: fc.Arbitrary<T>, seed: number, count: number): T[] {
  const property = fc.asyncProperty(arbitrary, () => Promise.resolve(true))
  return (fc.sample(property, { seed, numRuns: count }) as unknown as [T][]).map(([c]) => c)
}

export async function fuzz(config: FuzzConfig): Promise<FuzzReport> {
  const started = performance.now()
  const s = await openSession(config)
  try {
    const outcomes: Outcome[] = []
    const timeouts = new Map<string, number>()
    /** Wall time spent per outcome and per operator, for the log. */
    const wall = new Map<string, number>()
    const byToken = new Map<string, number>()

    if (config.cases > 0) {
      const cases = sampleCases(s.cliArbitrary, config.seed, config.cases)
      await parallel(cases.length, config.workers, async (index) => {
        const c = cases[index]!
        const tokens = caseTokens(c)
        const label = caseLabel(tokens)
        // The first stopped case of a label may take the full hang limit; later ones only need
        // to prove slowness, and past a few the label's cases are skipped.
        const stopped = timeouts.get(label) ?? 0
        if (stopped >= config.maxTimeoutsPerLabel) {
          outcomes.push({ target: 'cli', index, tokens, recipe: c, result: 'skipped' })
          return
        }
        const started = performance.now()
        const result = await runCliCase(
          s,
          c,
          stopped === 0 ? config.killMs : Math.min(config.killMs, SLOW_MS + 1500)
        )
        const took = performance.now() - started
        wall.set(result.outcome, (wall.get(result.outcome) ?? 0) + took)
        for (const token of tokens.length > 0 ? tokens : ['none'])
          byToken.set(token, (byToken.get(token) ?? 0) + took)
        if (result.outcome === 'timeout') timeouts.set(label, (timeouts.get(label) ?? 0) + 1)
        outcomes.push({ target: 'cli', index, tokens, recipe: c, result: slim(result) })
        if (outcomes.length % 500 === 0)
          config.log(`  ${outcomes.length} / ${cases.length} CLI cases`)
      })
    }

    const seconds = (m: Map<string, number>, top = Infinity): string =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
        .join(', ')
    if (config.cases > 0) {
      config.log(`  CLI time by outcome: ${seconds(wall)}`)
      config.log(`  CLI time by operator (top 8): ${seconds(byToken, 8)}`)
    }
    if (config.actionCases > 0) {
      const actionStart = performance.now()
      const cases = sampleCases(s.actionArbitrary, config.seed, config.actionCases)
      await parallel(cases.length, config.workers, async (index) => {
        const c = cases[index]!
        const result = await runAction(s, c)
        outcomes.push({
          target: 'action',
          index,
          tokens: actionTokens(c),
          recipe: c,
          result: slim(result)
        })
      })
      config.log(
        `  ${cases.length} action cases in ${((performance.now() - actionStart) / 1000).toFixed(1)} s`
      )
    }

    const classes = await attribute(s, classify(outcomes))
    if (config.shrinkSeconds > 0 && classes.length > 0) {
      config.log(`shrinking ${classes.length} failure classes…`)
      const deadline = performance.now() + config.shrinkTotalSeconds * 1000
      await parallel(classes.length, config.workers, async (i) => {
        const budget = Math.min(config.shrinkSeconds * 1000, deadline - performance.now())
        if (budget > 0) await shrink(s, classes[i]!, budget)
      })
    }
    if (config.failuresDir) {
      rmSync(config.failuresDir, { recursive: true, force: true })
      mkdirSync(config.failuresDir, { recursive: true })
      classes.forEach((cls, i) => writeFailure(s, cls, i, config.failuresDir!))
    }
    const harnessErrors = outcomes.filter(
      (o) => o.result !== 'skipped' && o.result.outcome === HARNESS_ERROR
    )
    return { outcomes, classes, harnessErrors, seconds: (performance.now() - started) / 1000 }
  } finally {
    await s.close()
  }
}

function classify(outcomes: Outcome[]): FailureClass[] {
  const classes = new Map<string, FailureClass>()
  const sorted = [...outcomes].sort((a, b) => a.target.localeCompare(b.target) || a.index - b.index)
  for (const o of sorted) {
    if (o.result === 'skipped') continue
    const label = caseLabel(o.tokens)
    for (const v of o.result.violations) {
      // Slow and hung are one defect: the class takes the worse.
      const key = `${o.target}|${isTimeClause(v.clause) ? 'time' : v.clause}|${label}`
      const cls = classes.get(key)
      if (cls) {
        cls.count++
        if (v.clause === 'time:hang' && cls.clause !== v.clause) {
          cls.clause = v.clause
          cls.detail = v.detail
        }
      } else
        classes.set(key, {
          target: o.target,
          clause: v.clause,
          label,
          count: 1,
          detail: v.detail,
          path: o.index,
          recipe: o.recipe,
          result: o.result,
          shrunk: false,
          operators: [label]
        })
    }
  }
  return [...classes.values()]
}

const isTimeClause = (clause: string): boolean => clause.startsWith('time:')

/** The case without its mutation operators (specials and settings kept). */
function stripOps<T extends CliCase | ActionCase>(c: T): T {
  if ('command' in c) return { ...c, inputs: c.inputs.map((i) => ({ ...i, ops: [] })) }
  return {
    ...c,
    ...(c.profile ? { profile: { ...c.profile, ops: [] } } : {}),
    ...(c.baselineInput ? { baselineInput: { ...c.baselineInput, ops: [] } } : {})
  }
}

/** The CLI case without its hostile flags and rules file. */
function stripSettings(c: CliCase): CliCase {
  const rest = { ...c }
  if (rest.rules?.kind !== 'valid') delete rest.rules
  if (rest.ignore?.kind !== 'benign') delete rest.ignore
  if (
    rest.threshold !== undefined &&
    !(GOOD_THRESHOLDS as readonly string[]).includes(rest.threshold)
  )
    delete rest.threshold
  return rest
}

/** The CLI case with plain files in place of its special inputs (FIFO, directory, …). */
function stripSpecials(c: CliCase): CliCase {
  return {
    ...c,
    inputs: c.inputs.map((i) => {
      const plain = { ...i }
      delete plain.special
      return plain
    })
  }
}

/** Simpler versions of a case, simplest first. */
function controls(c: CliCase | ActionCase): (CliCase | ActionCase)[] {
  if (!('command' in c)) return [stripOps(c)]
  const plain = stripSpecials(stripSettings(stripOps(c)))
  return [plain, stripSettings(stripOps(c)), stripOps(c), stripSettings(c), stripSpecials(c)]
}

const violates = (r: CaseResult, clause: string): boolean =>
  r.violations.some((v) => v.clause === clause || (isTimeClause(clause) && isTimeClause(v.clause)))

/**
 * Is the operator the cause? Each class whose case has mutation operators runs once more without
 * them: when the seed alone violates the clause, the class belongs to the seed (label without the
 * operators), and classes that then coincide are merged.
 */
async function attribute(s: Session, classes: FailureClass[]): Promise<FailureClass[]> {
  const tokensOf = (target: Target, c: CliCase | ActionCase): string[] =>
    target === 'cli' ? caseTokens(c as CliCase) : actionTokens(c as ActionCase)
  await parallel(classes.length, s.config.workers, async (i) => {
    const cls = classes[i]!
    const tried = new Set([cls.label])
    for (const control of controls(cls.recipe)) {
      const label = caseLabel(tokensOf(cls.target, control))
      if (tried.has(label)) continue
      tried.add(label)
      const r =
        cls.target === 'cli'
          ? await runCliCase(
              s,
              control as CliCase,
              isTimeClause(cls.clause) ? Math.min(s.config.killMs, SLOW_MS + 1500) : s.config.killMs
            )
          : await runAction(s, control as ActionCase)
      if (!violates(r, cls.clause)) continue
      cls.recipe = control
      cls.label = label
      cls.result = r
      cls.attributed = true
      return
    }
  })
  const merged = new Map<string, FailureClass>()
  for (const cls of classes) {
    const key = `${cls.target}|${isTimeClause(cls.clause) ? 'time' : cls.clause}|${cls.label}`
    const into = merged.get(key)
    if (!into) merged.set(key, cls)
    else {
      into.count += cls.count
      into.operators.push(...cls.operators)
      if (into.attributed && !cls.attributed) {
        cls.count = into.count
        cls.operators = into.operators
        merged.set(key, cls)
      }
    }
  }
  return [...merged.values()]
}

/**
 * Replays the class's first case by its fast-check path and lets fast-check shrink it, keeping
 * candidates that violate the same clause with a subset of its operators.
 */
async function shrink(s: Session, cls: FailureClass, budgetMs: number): Promise<void> {
  if (cls.attributed) return // the unmutated seed: nothing to shrink in the recipe
  const deadline = performance.now() + budgetMs
  const original = new Set(cls.label === 'none' ? [] : cls.label.split('+'))
  const run = async (c: unknown): Promise<boolean> => {
    if (performance.now() > deadline) return true
    const tokens = cls.target === 'cli' ? caseTokens(c as CliCase) : actionTokens(c as ActionCase)
    if (original.size > 0 && (tokens.length === 0 || tokens.some((t) => !original.has(t))))
      return true
    const r =
      cls.target === 'cli'
        ? await runCliCase(
            s,
            c as CliCase,
            isTimeClause(cls.clause) ? Math.min(s.config.killMs, SLOW_MS + 1500) : s.config.killMs
          )
        : await runAction(s, c as ActionCase)
    if (!violates(r, cls.clause)) return true
    cls.recipe = c as CliCase | ActionCase
    cls.result = r
    cls.shrunk = true
    cls.detail = r.violations.find((v) => v.clause === cls.clause)?.detail ?? cls.detail
    return false
  }
  const arb = (cls.target === 'cli' ? s.cliArbitrary : s.actionArbitrary) as fc.Arbitrary<unknown>
  await fc.check(fc.asyncProperty(arb, run), {
    seed: s.config.seed,
    path: String(cls.path),
    numRuns: 1
  })
}

function slug(text: string): string {
  return text.replace(/[^\w.+-]+/gu, '_').slice(0, 60)
}

/** A shell word. */
export function shellQuote(arg: string): string {
  return /^[\w./=+:,-]+$/u.test(arg) ? arg : `'${arg.replace(/'/gu, `'\\''`)}'`
}

function writeFailure(s: Session, cls: FailureClass, i: number, root: string): void {
  const dir = join(
    root,
    `${String(i + 1).padStart(3, '0')}-${cls.target}-${slug(cls.clause)}--${slug(cls.label)}`
  )
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  let argv = cls.result.argv
  if (cls.target === 'cli') {
    try {
      argv = materializeCli(cls.recipe as CliCase, join(dir, 'inputs'), s.store).argv
    } catch (error) {
      writeFileSync(join(dir, 'inputs-error.txt'), String(error))
    }
  }
  const replay = `npm run fuzz -- --replay ${relative(s.config.root, dir) || dir}`
  cls.dir = dir
  writeFileSync(
    join(dir, 'case.json'),
    `${JSON.stringify(
      {
        target: cls.target,
        clause: cls.clause,
        operator: cls.label,
        count: cls.count,
        seenWith: [...new Set(cls.operators)],
        detail: cls.detail,
        shrunk: cls.shrunk,
        seed: s.config.seed,
        path: cls.path,
        replay,
        outcome: cls.result.outcome,
        violations: cls.result.violations,
        argv,
        recipe: cls.recipe
      },
      null,
      2
    )}\n`
  )
  writeFileSync(join(dir, 'stdout.txt'), cls.result.stdout)
  writeFileSync(join(dir, 'stderr.txt'), cls.result.stderr)
  if (cls.target === 'cli')
    writeFileSync(join(dir, 'command.sh'), `node dist/cli.js ${argv.map(shellQuote).join(' ')}\n`)
}

// ---------------------------------------------------------------------------------------------
// Reports.

/** Counts by outcome, one row per operator token (a case counts once in each of its rows). */
export function outcomeTable(outcomes: Outcome[], target: Target): string {
  const rows = new Map<string, Map<string, number>>()
  const columns = new Set<string>()
  const add = (row: string, column: string): void => {
    columns.add(column)
    const r = rows.get(row) ?? new Map<string, number>()
    r.set(column, (r.get(column) ?? 0) + 1)
    rows.set(row, r)
  }
  for (const o of outcomes.filter((x) => x.target === target)) {
    const outcome = o.result === 'skipped' ? 'skipped' : o.result.outcome
    const failing = o.result !== 'skipped' && o.result.violations.length > 0
    for (const token of o.tokens.length > 0 ? o.tokens : ['none']) {
      add(token, outcome)
      if (failing) add(token, 'FAILING')
    }
    add('(all cases)', outcome)
    if (failing) add('(all cases)', 'FAILING')
  }
  const cols = [...columns].sort((a, b) =>
    a === 'FAILING' ? 1 : b === 'FAILING' ? -1 : a.localeCompare(b)
  )
  const names = [...rows.keys()].sort((a, b) =>
    a === '(all cases)' ? 1 : b === '(all cases)' ? -1 : a.localeCompare(b)
  )
  return table(
    [target === 'cli' ? 'operator' : 'action case', ...cols],
    names.map((n) => [n, ...cols.map((c) => String(rows.get(n)?.get(c) ?? ''))])
  )
}

export function classTable(classes: FailureClass[]): string {
  return table(
    ['target', 'violated clause', 'operator', 'cases', 'example'],
    classes.map((c) => [
      c.target,
      c.clause,
      c.label,
      String(c.count),
      c.dir ? relative(process.cwd(), c.dir) : c.detail.slice(0, 60)
    ])
  )
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}
