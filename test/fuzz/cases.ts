/**
 * Cases: small, serializable recipes (which seed, which operators, which command line) drawn by
 * fast-check. A recipe is turned into files and an argv only when it runs (materialize.ts), so a
 * failing case is replayed from its JSON and fast-check can shrink its parameters.
 */
import fc from 'fast-check'
import { opArbitrary, type ArbitraryEnv, type OpCall } from './mutations.js'
import {
  ATTACK_NAMES,
  BENIGN_REGEXES,
  CATASTROPHIC_REGEXES,
  HOSTILE_NAMES,
  INJECTION_MARK,
  INVALID_REGEXES,
  NESTED_REGEXES
} from './payloads.js'

/** Inputs that are not a plain file. */
export const SPECIALS = [
  'fifo',
  'fifo-writer',
  'dev-zero',
  'dev-urandom',
  'empty-dir',
  'stats-dir',
  'symlink-loop',
  'missing',
  'newline-name'
] as const
export type Special = (typeof SPECIALS)[number]
/** Specials that can block a thread in a system call: they run as child processes. */
export const PROCESS_SPECIALS: ReadonlySet<Special> = new Set([
  'fifo',
  'fifo-writer',
  'dev-zero',
  'dev-urandom'
])

export interface InputRecipe {
  /** A seed id: a repository-relative fixture path, or `profile:<path>` for a generated profile JSON. */
  source: string
  ops: OpCall[]
  /** Multiplies the measurements after the operators (a head that got slower or faster). */
  scale?: number
  special?: Special
}

export const RULES_KINDS = [
  'valid',
  'catastrophic',
  'nested',
  'invalid-regex',
  'huge-number',
  'not-json',
  'wrong-type',
  'proto',
  'deep',
  'unknown-setting'
] as const
export type RulesKind = (typeof RULES_KINDS)[number]

export interface RulesRecipe {
  kind: RulesKind
  /** Which pattern / value of that kind. */
  pick: number
}

export type CliCommand = 'summarize' | 'summarize-json' | 'compare'
export type Format = 'text' | 'markdown' | 'json'

export interface CliCase {
  command: CliCommand
  /** One input for summarize; base and head for compare. */
  inputs: InputRecipe[]
  format?: Format
  rules?: RulesRecipe
  /** `--ignore` values, by kind and pick. */
  ignore?: { kind: 'benign' | 'catastrophic' | 'nested' | 'invalid'; pick: number }
  threshold?: string
}

/** `--threshold` values; the first ones are good usage. */
export const GOOD_THRESHOLDS = ['5', '0', '0.0001', '100', '1e-300'] as const
export const BAD_THRESHOLDS = ['-5', 'NaN', 'abc', '', 'Infinity', '5%', '0x10', '1e308'] as const

export function ignorePattern(ignore: NonNullable<CliCase['ignore']>): string {
  const list = {
    benign: BENIGN_REGEXES,
    catastrophic: CATASTROPHIC_REGEXES,
    nested: NESTED_REGEXES,
    invalid: INVALID_REGEXES
  }[ignore.kind]
  return list[ignore.pick % list.length] ?? '^void'
}

/** The flags are good usage: an exit 2 must then be about a file, and name it. */
export function flagsValid(c: CliCase): boolean {
  const threshold =
    c.threshold === undefined || (GOOD_THRESHOLDS as readonly string[]).includes(c.threshold)
  const ignore =
    c.ignore === undefined || c.ignore.kind === 'benign' || c.ignore.kind === 'catastrophic'
  return threshold && ignore
}

/**
 * The operator label of a case: its mutation operators, specials and hostile settings, sorted
 * (`none` for an unmutated input). Failures are grouped by it.
 */
export function caseTokens(c: CliCase): string[] {
  const tokens = new Set<string>()
  for (const input of c.inputs) {
    for (const op of input.ops) tokens.add(op.op)
    if (input.special) tokens.add(`special:${input.special}`)
  }
  if (c.rules && c.rules.kind !== 'valid') tokens.add(`rules:${c.rules.kind}`)
  if (c.ignore && c.ignore.kind !== 'benign') tokens.add(`ignore:${c.ignore.kind}`)
  if (c.threshold !== undefined && !(GOOD_THRESHOLDS as readonly string[]).includes(c.threshold))
    tokens.add('threshold:bad')
  return [...tokens].sort()
}

export function caseLabel(tokens: readonly string[]): string {
  return tokens.length === 0 ? 'none' : tokens.join('+')
}

export interface Seeds {
  /** Text inputs: captures and report CSVs. */
  text: string[]
  /** Profile JSONs. */
  json: string[]
  /** nsys 2023.4 report CSVs, for a stats directory (`run_<report>.csv`). */
  statsCsv: string[]
}

export interface CaseOptions {
  /** Keep only cases whose label has this token (an operator, `special:fifo`, `rules:deep`, …). */
  only?: string
}

/** Head scale factors: a head slower or faster than its base, so that reports have changes. */
export const SCALES = [1, 1.07, 1.5, 2, 0.5] as const

type Setting = Pick<CliCase, 'rules' | 'ignore' | 'threshold'>

/**
 * Every CLI case. Most carry exactly one operator (or one hostile setting, or one special input),
 * so that a failure's label names its cause:
 * - summarize / summarize --json of a mutated seed;
 * - compare a seed with a mutated, scaled copy of itself (good flags, sometimes a valid rules file);
 * - compare a seed with a scaled copy under one hostile setting (rules file, --ignore, --threshold);
 * - a name that makes a backtracking regex blow up, and a rules file or --ignore with that regex;
 * - special files (FIFO, /dev/zero, a directory, a symlink loop, …).
 */
export function cliCaseArbitrary(seeds: Seeds, options: CaseOptions = {}): fc.Arbitrary<CliCase> {
  const env: ArbitraryEnv = { textSeeds: seeds.text }
  const only = options.only
  const opOnly = only !== undefined && !only.includes(':') ? only : undefined
  /** One operator, sometimes two (or none, when allowed). */
  const ops = (kind: 'text' | 'json', allowNone: boolean): fc.Arbitrary<OpCall[]> => {
    const op = opArbitrary(kind, env, opOnly)
    if (!op) return fc.constant([])
    return fc.oneof(
      { weight: allowNone && !opOnly ? 1 : 0, arbitrary: fc.constant<OpCall[]>([]) },
      { weight: 16, arbitrary: op.map((o) => [o]) },
      { weight: 2, arbitrary: fc.tuple(op, op) }
    )
  }
  const seed = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...seeds.text).map((s) => [s, 'text'] as const) },
    { weight: 1, arbitrary: fc.constantFrom(...seeds.json).map((s) => [s, 'json'] as const) }
  )
  const format = fc.constantFrom<Format>('text', 'markdown', 'markdown', 'json')
  const scale = fc.constantFrom(...SCALES)

  const summarize = seed.chain(([source, kind]) =>
    fc.record({
      command: fc.constantFrom<CliCommand>('summarize', 'summarize-json'),
      inputs: ops(kind, true).map((o) => [{ source, ops: o }])
    })
  )

  // Good flags only: valid rules, a harmless --ignore, a sane threshold (or none of them).
  const goodFlags: fc.Arbitrary<Setting> = fc
    .record({
      rules: fc.option(fc.constant<RulesRecipe>({ kind: 'valid', pick: 0 }), { freq: 4 }),
      ignore: fc.option(
        fc.record({ kind: fc.constant('benign' as const), pick: fc.nat({ max: 99 }) }),
        { freq: 6 }
      ),
      threshold: fc.option(fc.constantFrom<string>(...GOOD_THRESHOLDS), { freq: 6 })
    })
    .map(({ rules, ignore, threshold }) => ({
      ...(rules ? { rules } : {}),
      ...(ignore ? { ignore } : {}),
      ...(threshold !== null ? { threshold } : {})
    }))

  const compare = seed.chain(([source, kind]) =>
    fc
      .record({
        mutate: fc.constantFrom('head', 'head', 'head', 'base'),
        ops: ops(kind, false),
        scale,
        format,
        flags: goodFlags
      })
      .map(({ mutate, ops, scale, format, flags }): CliCase => {
        const mutated: InputRecipe = { source, ops, ...(scale !== 1 ? { scale } : {}) }
        const plain: InputRecipe = { source, ops: [] }
        return {
          command: 'compare',
          inputs:
            mutate === 'head'
              ? [plain, mutated]
              : [mutated, { source, ops: [], ...(scale !== 1 ? { scale } : {}) }],
          format,
          ...flags
        }
      })
  )

  const hostileSetting: fc.Arbitrary<Setting> = fc.oneof(
    fc.record({
      rules: fc.record({
        kind: fc.constantFrom(...RULES_KINDS.filter((k) => k !== 'valid')),
        pick: fc.nat({ max: 99 })
      })
    }),
    fc.record({
      ignore: fc.record({
        kind: fc.constantFrom<'catastrophic' | 'nested' | 'invalid'>(
          'catastrophic',
          'nested',
          'invalid'
        ),
        pick: fc.nat({ max: 99 })
      })
    }),
    fc.record({ threshold: fc.constantFrom<string>(...BAD_THRESHOLDS) })
  )
  const settings = fc
    .record({ source: fc.constantFrom(...seeds.text), scale, format, setting: hostileSetting })
    .map(({ source, scale, format, setting }): CliCase => ({
      command: 'compare',
      inputs: [
        { source, ops: [] },
        { source, ops: [], ...(scale !== 1 ? { scale } : {}) }
      ],
      format,
      ...setting
    }))

  // A name that makes a backtracking regex blow up, and a rules file or --ignore that has one.
  const attack = fc
    .record({
      source: fc.constantFrom(...seeds.text),
      name: fc.constantFrom(...ATTACK_NAMES),
      row: fc.nat({ max: 9999 }),
      via: fc.constantFrom<'rules' | 'ignore'>('rules', 'ignore'),
      pick: fc.nat({ max: 99 }),
      format
    })
    .map(({ source, name, row, via, pick, format }): CliCase => {
      const payload = HOSTILE_NAMES.indexOf(name)
      const head: InputRecipe = { source, ops: [{ op: 'hostile-name', p: [payload, row, true] }] }
      return {
        command: 'compare',
        inputs: [{ source, ops: [] }, head],
        format,
        ...(via === 'rules'
          ? { rules: { kind: 'catastrophic' as const, pick } }
          : { ignore: { kind: 'catastrophic' as const, pick } })
      }
    })

  const special = fc
    .record({
      special: fc.constantFrom(...SPECIALS),
      source: fc.constantFrom(...seeds.text),
      statsSource: fc.constantFrom(...seeds.statsCsv),
      ops: fc.oneof(
        { weight: 4, arbitrary: fc.constant<OpCall[]>([]) },
        { weight: 1, arbitrary: ops('text', false) }
      ),
      summarize: fc.boolean(),
      format
    })
    .map(({ special, source, statsSource, ops, summarize, format }): CliCase => {
      // Content does not matter to a FIFO nobody writes or a device: no operators there.
      const keepOps = !PROCESS_SPECIALS.has(special) || special === 'fifo-writer'
      const recipe: InputRecipe = {
        source: special === 'stats-dir' ? statsSource : source,
        ops: keepOps ? ops : [],
        special
      }
      return summarize
        ? { command: 'summarize', inputs: [recipe] }
        : { command: 'compare', inputs: [{ source: recipe.source, ops: [] }, recipe], format }
    })

  if (only === undefined)
    return fc.oneof(
      { weight: 40, arbitrary: summarize },
      { weight: 40, arbitrary: compare },
      { weight: 8, arbitrary: settings },
      { weight: 3, arbitrary: attack },
      { weight: 6, arbitrary: special }
    )
  // A family that can carry the token, then only the cases that do.
  const family = only.startsWith('special:')
    ? special
    : only.startsWith('rules:') || only.startsWith('ignore:') || only.startsWith('threshold:')
      ? fc.oneof(settings, attack)
      : fc.oneof(summarize, compare)
  return family.filter((c) => caseTokens(c).includes(only))
}

// ---------------------------------------------------------------------------------------------
// The action.

export const EVENT_KINDS = [
  'push',
  'pull_request',
  'pr-hostile',
  'workflow_run',
  'invalid-json',
  'null',
  'array',
  'string',
  'huge',
  'deep',
  'missing',
  'directory'
] as const
export type EventKind = (typeof EVENT_KINDS)[number]

export const RUNNER_TEMPS = [
  'ok',
  'ok',
  'ok',
  'empty',
  'relative',
  'dot',
  'dotdot',
  'unset'
] as const
export type RunnerTemp = (typeof RUNNER_TEMPS)[number]

/** Hostile values for action inputs (kebab-case names as in action.yml). */
export const ACTION_INPUTS: Readonly<Record<string, readonly string[]>> = {
  'timeout-minutes': ['', '0', '-1', '1e308', 'NaN', 'abc', '9'.repeat(400), '0.0001'],
  threshold: ['x', '1e999', '-5', '5', ' '],
  'min-share': ['x', '-1', '1e308'],
  alpha: ['2', '-1', '0.05', 'x'],
  repetitions: ['0', '1.5', '101', '1e3', '-1', '2'],
  'warmup-runs': ['-1', '0.5', 'x'],
  'retention-days': ['0', '401', 'x', '1'],
  name: [
    '..',
    '.',
    'a\nb',
    `%0A::error::${INJECTION_MARK}`,
    'x'.repeat(300),
    '../x',
    'a b',
    '@user',
    '<script>'
  ],
  'comment-id': ['a\nb', '<!-- x -->', `x\n::error::${INJECTION_MARK}`, '../../x'],
  comment: ['sometimes', 'never', 'always', 'on-regression'],
  mode: ['comment', 'bogus', 'run', 'aggregate'],
  'expected-legs': [
    `x\n::error::${INJECTION_MARK}`,
    '["a", 1]',
    '[not json',
    'a/b',
    'h100\nh100',
    '<img src=x>\n@user'
  ],
  'baseline-artifact': ['a/b', 'x'.repeat(300), ''],
  'report-artifact': ['a:b', ''],
  'baseline-branch': ['../../x', `x\n::error::${INJECTION_MARK}`],
  'fail-on-regression': ['maybe', 'TRUE', 'false'],
  'gpu-mismatch': ['warn', 'fail', 'x'],
  'save-baseline': ['true', 'x', 'false'],
  'nsys-args': ["'unterminated", '"a b" c', '\\'],
  'capture-range': ['nvtx', 'bogus'],
  'profile-format': ['chrome', 'bogus', 'profile-json', 'nsys', `x\n::error::${INJECTION_MARK}`],
  'working-directory': ['..', '/nonexistent'],
  'github-token': ['', 'x\ny']
}

export interface ActionCase {
  event: EventKind
  eventName: 'push' | 'pull_request' | 'workflow_run' | 'schedule' | ''
  /** profile-path: the head input, written into the workspace. */
  profile?: InputRecipe
  profilePath: 'absolute' | 'relative' | 'multi' | 'missing' | 'none'
  baseline: 'none' | 'artifact' | 'path'
  /** With baseline: path, the baseline input. */
  baselineInput?: InputRecipe
  rules?: RulesRecipe
  runnerTemp: RunnerTemp
  /** Hostile input values: [input name, index into ACTION_INPUTS[name]]. */
  inputs: [string, number][]
}

export function actionTokens(c: ActionCase): string[] {
  const tokens = new Set<string>()
  if (!['push', 'pull_request', 'workflow_run'].includes(c.event)) tokens.add(`event:${c.event}`)
  if (c.runnerTemp !== 'ok') tokens.add(`runner-temp:${c.runnerTemp}`)
  if (c.profilePath !== 'absolute' && c.profilePath !== 'relative')
    tokens.add(`profile-path:${c.profilePath}`)
  for (const input of [c.profile, c.baselineInput])
    for (const op of input?.ops ?? []) tokens.add(op.op)
  if (c.rules && c.rules.kind !== 'valid') tokens.add(`rules:${c.rules.kind}`)
  for (const [name] of c.inputs) tokens.add(`input:${name}`)
  return [...tokens].sort()
}

/**
 * Action cases: a benign runner (push, pull_request or workflow_run event; baseline none, path or
 * artifact) with one hostile piece: the event file, RUNNER_TEMP, profile-path, an input value, a
 * rules file, or a mutated profile.
 */
export function actionCaseArbitrary(seeds: Seeds): fc.Arbitrary<ActionCase> {
  const env: ArbitraryEnv = { textSeeds: seeds.text }
  const textOp = opArbitrary('text', env)!
  const clean = fc.record({
    source: fc.constantFrom(...seeds.text),
    ops: fc.constant<OpCall[]>([])
  })
  const benign = fc.record({
    event: fc.constantFrom<EventKind>('push', 'pull_request', 'workflow_run'),
    eventName: fc.constantFrom<ActionCase['eventName']>(
      'push',
      'pull_request',
      'workflow_run',
      'schedule',
      ''
    ),
    profile: clean,
    profilePath: fc.constantFrom<ActionCase['profilePath']>('absolute', 'relative'),
    baseline: fc.constantFrom<ActionCase['baseline']>('none', 'none', 'artifact', 'path'),
    baselineInput: clean,
    runnerTemp: fc.constant<RunnerTemp>('ok'),
    inputs: fc.constant<[string, number][]>([])
  })
  type Hostile = Partial<ActionCase>
  const hostile: fc.Arbitrary<Hostile> = fc.oneof(
    fc.record({
      event: fc.constantFrom(
        ...EVENT_KINDS.filter((e) => !['push', 'pull_request', 'workflow_run'].includes(e))
      )
    }),
    fc.record({ runnerTemp: fc.constantFrom(...RUNNER_TEMPS.filter((t) => t !== 'ok')) }),
    fc.record({
      profilePath: fc.constantFrom<ActionCase['profilePath']>('multi', 'missing', 'none')
    }),
    fc.record({
      inputs: fc
        .tuple(fc.constantFrom(...Object.keys(ACTION_INPUTS)), fc.nat({ max: 99 }))
        .map((i) => [i])
    }),
    fc.record({
      rules: fc.record({ kind: fc.constantFrom(...RULES_KINDS), pick: fc.nat({ max: 99 }) })
    }),
    fc.record({
      profile: fc.record({ source: fc.constantFrom(...seeds.text), ops: textOp.map((o) => [o]) })
    })
  )
  return fc.tuple(benign, hostile).map(([b, h]) => ({ ...b, ...h }))
}
