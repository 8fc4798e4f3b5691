import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { compareProfiles, type Comparison } from '../compare/compare.js'
import { buildRules, type Rules } from '../compare/rules.js'
import { demoProfiles } from '../demo/demo.js'
import { errorMessage, InputError, UsageError } from '../errors.js'
import { loadInput, loadRun } from '../inputs/load.js'
import { profileToJson } from '../profile/json.js'
import type { Profile } from '../profile/model.js'
import { comparisonToJson } from '../render/json.js'
import { COMMENT_LIMIT, renderMarkdown } from '../render/markdown.js'
import { renderProfileText, renderText } from '../render/text.js'
import { TOOL } from '../version.js'

/** Where the CLI writes: the one output module (src never uses console). */
export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export const EXIT = { pass: 0, regression: 1, error: 2 } as const

const HELP = `nsys-bench ${TOOL.version}: compare NVIDIA Nsight Systems profiles kernel by kernel

Usage:
  nsys-bench summarize <input>... [--json] [--rows N]
  nsys-bench compare <base> <head> [options]
  nsys-bench compare --base <input> [--base <input>...] --head <input> [--head <input>...] [options]
  nsys-bench demo [--format text|markdown|json] [--runs N]

Inputs: a directory of \`nsys stats --format csv --output <dir>/<base>\` files, captured
\`nsys stats\` output, one report CSV, or a profile JSON written by \`summarize --json\`.
Several --base/--head inputs (or a directory of profile JSONs) are repeated runs.

Compare options:
  --threshold PCT     relative change that counts (default 5)
  --min-share PCT     absolute floor, percent of the base's table total (default 0.1)
  --alpha A           significance level with repeated runs (default 0.05)
  --rules FILE        JSON rules: per-table and per-name (regex) limits, gates, ignores
  --ignore REGEX      ignore items whose name matches (repeatable)
  --format F          text (default), markdown or json
  --output FILE       write the report to FILE instead of stdout
  --no-fail           exit 0 even on a regression

Exit status: 0 pass, 1 regression, 2 bad input or usage.
`

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv
    switch (command) {
      case 'summarize':
        return await summarize(rest, io)
      case 'compare':
        return await compare(rest, io)
      case 'demo':
        return await demo(rest, io)
      case '--version':
      case '-v':
        io.stdout(`${TOOL.version}\n`)
        return EXIT.pass
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(HELP)
        return command === undefined ? EXIT.error : EXIT.pass
      default:
        throw new UsageError(`unknown command "${command}"`)
    }
  } catch (error) {
    const hint = error instanceof UsageError ? '\nRun `nsys-bench --help` for usage.' : ''
    const kind =
      error instanceof InputError || error instanceof UsageError ? 'error' : 'internal error'
    io.stderr(`nsys-bench: ${kind}: ${errorMessage(error)}${hint}\n`)
    return EXIT.error
  }
}

function parse<T extends ParseArgsConfig['options']>(
  args: readonly string[],
  options: T,
  positionals = true
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: positionals, strict: true })
  } catch (error) {
    throw new UsageError(errorMessage(error))
  }
}

async function summarize(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'boolean', default: false },
    rows: { type: 'string' }
  })
  if (positionals.length === 0) throw new UsageError('summarize needs at least one input')
  const profile = await loadRun(positionals)
  profile.meta.createdAt = new Date().toISOString()
  if (values.json) {
    io.stdout(`${JSON.stringify(profileToJson(profile), null, 2)}\n`)
  } else {
    io.stdout(renderProfileText(profile, { rows: positiveInt(values.rows, '--rows') ?? 20 }))
  }
  for (const note of profile.meta.notes) io.stderr(`nsys-bench: note: ${note}\n`)
  return EXIT.pass
}

async function compare(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {
    base: { type: 'string', multiple: true },
    head: { type: 'string', multiple: true },
    threshold: { type: 'string' },
    'min-share': { type: 'string' },
    alpha: { type: 'string' },
    rules: { type: 'string' },
    ignore: { type: 'string', multiple: true },
    format: { type: 'string', default: 'text' },
    output: { type: 'string' },
    'no-fail': { type: 'boolean', default: false }
  })
  const format = checkFormat(values.format)
  let baseInputs = values.base ?? []
  let headInputs = values.head ?? []
  if (positionals.length > 0) {
    if (positionals.length !== 2 || baseInputs.length > 0 || headInputs.length > 0) {
      throw new UsageError('compare takes <base> <head>, or --base/--head options (not both)')
    }
    baseInputs = [positionals[0] ?? '']
    headInputs = [positionals[1] ?? '']
  }
  if (baseInputs.length === 0 || headInputs.length === 0)
    throw new UsageError('compare needs a base and a head input')
  const rules = await readRules(values.rules, {
    threshold: number(values.threshold, '--threshold'),
    minShare: number(values['min-share'], '--min-share'),
    alpha: number(values.alpha, '--alpha'),
    ignore: values.ignore ?? []
  })
  const base = await loadRuns(baseInputs)
  const head = await loadRuns(headInputs)
  const comparison = compareProfiles(base, head, rules)
  await emit(render(comparison, format), values.output, io)
  if (comparison.verdict === 'regression' && !values['no-fail']) return EXIT.regression
  return EXIT.pass
}

async function demo(args: readonly string[], io: Io): Promise<number> {
  const { values } = parse(
    args,
    { format: { type: 'string', default: 'text' }, runs: { type: 'string' } },
    false
  )
  const format = checkFormat(values.format)
  const runs = positiveInt(values.runs, '--runs') ?? 1
  if (runs > 50) throw new UsageError('--runs takes at most 50')
  const { base, head } = await demoProfiles(runs)
  const comparison = compareProfiles(base, head, buildRules(undefined))
  io.stdout(render(comparison, format))
  if (format === 'text') {
    io.stderr(
      `\nThis was the embedded demo: a baseline and a head profile of an LLM-serving benchmark (nsys stats output in src/demo/). ` +
        `On real inputs \`nsys-bench compare\` would exit ${comparison.verdict === 'regression' ? '1 (regression)' : '0 (pass)'}.\n`
    )
  }
  return EXIT.pass
}

type Format = 'text' | 'markdown' | 'json'

function checkFormat(value: string | undefined): Format {
  if (value === 'text' || value === 'markdown' || value === 'json') return value
  throw new UsageError(`--format must be text, markdown or json, not "${value ?? ''}"`)
}

function render(comparison: Comparison, format: Format): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(comparisonToJson(comparison), null, 2)}\n`
    case 'markdown':
      return renderMarkdown(comparison, { maxChars: COMMENT_LIMIT })
    case 'text':
      return renderText(comparison)
  }
}

async function loadRuns(inputs: readonly string[]): Promise<Profile[]> {
  const runs: Profile[] = []
  for (const input of inputs) runs.push(...(await loadInput(input)))
  return runs
}

async function readRules(
  path: string | undefined,
  overrides: Parameters<typeof buildRules>[1]
): Promise<Rules> {
  if (path === undefined) return buildRules(undefined, overrides)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read the rules file ${path}: ${errorMessage(error)}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${errorMessage(error)}`)
  }
  return buildRules(json, overrides, path)
}

async function emit(text: string, output: string | undefined, io: Io): Promise<void> {
  if (output === undefined) {
    io.stdout(text)
    return
  }
  try {
    await writeFile(output, text)
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${errorMessage(error)}`)
  }
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new UsageError(`${flag} takes a number, not "${value}"`)
  return parsed
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  const parsed = number(value, flag)
  if (parsed === undefined) return undefined
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new UsageError(`${flag} takes a positive whole number, not "${value}"`)
  return parsed
}
