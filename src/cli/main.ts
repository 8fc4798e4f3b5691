import { writeFile } from 'node:fs/promises'
import { compareProfiles, type Comparison } from '../compare/compare.js'
import type { Verdict } from '../compare/gate.js'
import { recordText, rederiveVerdict } from '../compare/record.js'
import { buildRules, type RulesOverrides } from '../compare/rules.js'
import { demoProfiles } from '../demo/demo.js'
import { fingerprintOf } from '../history/append.js'
import { decodeHistory, MAX_HISTORY_FILE_BYTES } from '../history/codec.js'
import type { History } from '../history/model.js'
import { historyView } from '../history/view.js'
import { errorMessage, InputError, isKnownError, UsageError } from '../errors.js'
import { readFileWithin, readJsonFile } from '../load/files.js'
import { inOrder, loadInput, loadRun, type LoadOptions } from '../load/index.js'
import { MAX_PROFILE_BYTES } from '../load/profile-json.js'
import { readRulesFile } from '../load/rules-file.js'
import { INPUT_FORMATS, isInputFormat } from '../load/sniff.js'
import { profileToJson } from '../profile/json.js'
import type { Note, Profile } from '../profile/model.js'
import { renderHtml } from '../render/html.js'
import { COMMENT_LIMIT, renderMarkdown } from '../render/markdown.js'
import { renderProfileText, renderText } from '../render/text.js'
import { clip, listed, quoted, visible } from '../text.js'
import { TOOL } from '../version.js'
import { parseOptions, type OptionSpec, type Parsed } from './args.js'

/** Where the CLI writes: the one output module (src never uses console). */
export interface Io {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Called now and then during long synchronous work (LoadOptions.progress). */
  progress?: () => void
}

/** Exit status by outcome. */
export const EXIT = { pass: 0, regression: 1, error: 2, inconclusive: 3 } as const

const VERDICT_EXIT: Readonly<Record<Verdict, number>> = {
  pass: EXIT.pass,
  accepted: EXIT.pass,
  regression: EXIT.regression,
  inconclusive: EXIT.inconclusive
}

const INPUTS = `Inputs: a directory of \`nsys stats --format csv --output <dir>/<base>\` files (.csv or
.csv.gz), captured \`nsys stats\` output, one report CSV, a profile JSON written by \`summarize --json\`, a Chrome
trace (PyTorch profiler, Perfetto JSON, rpd2tracing; .json or .json.gz) or a directory of them
(one run: one trace per rank), rocprof's
results.stats.csv, rocprofv3's kernel_stats.csv or kernel_trace.csv or its output directory
(-d; one run). The format is detected
from the content; --input-format names it instead.`

const INPUT_FORMAT_HELP = `  --input-format F    read every input as F: ${INPUT_FORMATS.join(', ')} (default: detected)`

/**
 * How texts of several captures are read. `summarize` reads one run: `--captures runs` (each
 * capture a run) is `compare`'s alone.
 */
const CAPTURE_OPTIONS = {
  'input-format': { type: 'string', value: 'F' },
  capture: { type: 'string', value: 'N' },
  lines: { type: 'string', value: 'A-B,C-D' }
} as const satisfies Record<string, OptionSpec>

const COMMANDS = {
  summarize: {
    usage: 'nsys-bench summarize <input>... [--json] [--rows N] [--capture N | --lines A-B,...]',
    about:
      "Reads one run and prints its tables, and from a trace each GPU's busy and idle time (or, with --json, its profile JSON).",
    options: {
      json: { type: 'boolean' },
      rows: { type: 'string', value: 'N' },
      ...CAPTURE_OPTIONS
    },
    help: `  --json              print the profile JSON (the baseline format) instead of tables
  --rows N            rows per table (default 20)
  --capture N         read only capture N of a text holding several (a log of several runs)
  --lines A-B,C-D     read only these lines of nsys stats text, as one run
${INPUT_FORMAT_HELP}`
  },
  compare: {
    usage:
      'nsys-bench compare <base> <head> [options]\n       nsys-bench compare --base <input> [--base <input>...] --head <input> [--head <input>...] [options]',
    about: 'Compares a base with a head, kernel by kernel, and exits with the verdict.',
    options: {
      base: { type: 'string', multiple: true, value: 'INPUT' },
      head: { type: 'string', multiple: true, value: 'INPUT' },
      threshold: { type: 'string', value: 'PCT' },
      'min-share': { type: 'string', value: 'PCT' },
      alpha: { type: 'string', value: 'A' },
      rules: { type: 'string', value: 'FILE' },
      history: { type: 'string', value: 'FILE' },
      ignore: { type: 'string', multiple: true, value: 'REGEX' },
      format: { type: 'string', value: 'F' },
      output: { type: 'string', value: 'FILE' },
      'no-fail': { type: 'boolean' },
      ...CAPTURE_OPTIONS,
      captures: { type: 'string', value: 'runs' }
    },
    help: `  --threshold PCT     relative change that counts (default 5); \`auto\`: each item's own
                      from its history's noise band (--history), this one as the floor
  --history FILE      the baseline's history (history.json.gz of a baseline artifact):
                      trends, and the limits of --threshold auto
  --min-share PCT     absolute floor, percent of the base's table total (default 0.1)
  --alpha A           significance level with repeated runs (default 0.05)
  --rules FILE        JSON rules: limits, gates, ignores, checks, accepted regressions, families,
                      categories
  --ignore REGEX      ignore items whose name matches (RE2 syntax; repeatable)
  --format F          text (default), markdown, json (the comparison record) or html (one
                      self-contained page: sortable tables, charts; open it in a browser)
  --output FILE       write the report to FILE instead of stdout
  --no-fail           exit 0 whatever the verdict (the report still says it)
  --capture N         read only capture N of texts holding several captures
  --captures runs     read each capture of such a text as one run (repetitions)
  --lines A-B,C-D     read only these lines of nsys stats text (a run chosen by hand)
${INPUT_FORMAT_HELP}`
  },
  verdict: {
    usage: 'nsys-bench verdict <comparison.json>',
    about:
      "Re-derives the verdict of a comparison record (compare --format json, the action's\n" +
      'comparison.json) from the inputs it records, without the profiles, and exits with it.',
    options: {},
    help: ''
  },
  demo: {
    usage: 'nsys-bench demo [--format text|markdown|json|html] [--runs N]',
    about: 'Compares the two embedded sample profiles of an LLM-serving benchmark.',
    options: { format: { type: 'string', value: 'F' }, runs: { type: 'string', value: 'N' } },
    help: `  --format F          text (default), markdown, json or html
  --runs N            runs a side (with jitter), for the statistics (default 1, at most 50)`
  }
} as const satisfies Record<
  string,
  { usage: string; about: string; options: Record<string, OptionSpec>; help: string }
>

type Command = keyof typeof COMMANDS

const HELP = `nsys-bench ${TOOL.version}: compare NVIDIA Nsight Systems profiles kernel by kernel

Usage:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.replace(/\n\s+/g, '\n  ')}`)
  .join('\n')}

${INPUTS}
Several --base/--head inputs (or a directory of profile JSONs) are repeated runs; the Chrome
traces in one directory are the ranks of one run.
\`nsys-bench <command> --help\` describes a command's options.

Exit status: 0 pass (or accepted), 1 regression, 2 bad input or usage, 3 inconclusive.
`

function commandHelp(command: Command): string {
  const c = COMMANDS[command]
  return `Usage: ${c.usage}\n\n${c.about}\n${c.help ? `\nOptions:\n${c.help}\n` : ''}${command === 'verdict' || command === 'demo' ? '' : `\n${INPUTS}\n`}\nExit status: 0 pass (or accepted), 1 regression, 2 bad input or usage, 3 inconclusive.\n`
}

export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'summarize':
        return await summarize(rest, io)
      case 'compare':
        return await compare(rest, io)
      case 'verdict':
        return await verdict(rest, io)
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
        throw new UsageError(`unknown command ${quoted(command, 60)}`)
    }
  } catch (error) {
    const known = isKnownError(error)
    const usage =
      error instanceof UsageError
        ? `\nRun \`nsys-bench ${command && Object.hasOwn(COMMANDS, command) ? `${command} ` : ''}--help\` for usage.`
        : ''
    // One line: untrusted text in the message is already escaped; newlines never pass.
    const message = visible(clip(errorMessage(error), 2000))
    io.stderr(`nsys-bench: ${known ? 'error' : 'internal error'}: ${message}${usage}\n`)
    return EXIT.error
  }
}

function options<T extends Record<string, OptionSpec>>(
  command: Command,
  specs: T,
  args: readonly string[],
  io: Io
): Parsed<T> {
  const parsed = parseOptions(command, args, specs)
  if (parsed.help) io.stdout(commandHelp(command))
  return parsed
}

function loadOptions(
  values: {
    capture?: string
    captures?: string
    lines?: string
    'input-format'?: string
  },
  io: Io
): LoadOptions {
  const out: LoadOptions = io.progress ? { progress: io.progress } : {}
  const format = values['input-format']
  if (format !== undefined) {
    if (!isInputFormat(format))
      throw new UsageError(
        `--input-format takes ${INPUT_FORMATS.join(', ')}, not ${quoted(format, 40)}`
      )
    out.format = format
  }
  // `summarize` has no --captures: the message names the options given.
  const given = (['capture', 'captures', 'lines'] as const).filter((k) => values[k] !== undefined)
  if (given.length > 1)
    throw new UsageError(
      `${given.map((k) => `--${k}`).join(' and ')} each choose what to read of a text: give one`
    )
  if (values.lines !== undefined) out.lines = lineRanges(values.lines)
  if (values.capture !== undefined) out.capture = positiveInt(values.capture, '--capture')
  if (values.captures !== undefined) {
    if (values.captures !== 'runs' && values.captures !== 'one')
      throw new UsageError(`--captures takes "runs" (or "one"), not ${quoted(values.captures, 40)}`)
    out.captures = values.captures
  }
  return out
}

async function summarize(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals, help } = options('summarize', COMMANDS.summarize.options, args, io)
  if (help) return EXIT.pass
  if (positionals.length === 0) throw new UsageError('summarize needs at least one input')
  const rows = values.rows === undefined ? 20 : positiveInt(values.rows, '--rows')
  const profile = await loadRun(positionals, loadOptions(values, io))
  // When the profile was made: now for reports read, the input's own for a profile JSON (as
  // the action keeps a profile's, run-mode.ts finishProfiles).
  profile.meta.createdAt ??= new Date().toISOString()
  if (values.json) {
    // Written as it is, then the line break: joined, the text (two-byte as soon as one name or
    // label is outside Latin-1) would be copied once more to make one string of it.
    io.stdout(JSON.stringify(profileToJson(profile)))
    io.stdout('\n')
  } else {
    io.stdout(renderProfileText(profile, { rows }))
    printNotes(profile.meta.notes, io)
  }
  return EXIT.pass
}

async function compare(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals, help } = options('compare', COMMANDS.compare.options, args, io)
  if (help) return EXIT.pass
  const format = checkFormat(values.format)
  let baseInputs = values.base ?? []
  let headInputs = values.head ?? []
  if (positionals.length > 0) {
    // `--base r0 r1 --head h0 h1` reads r1 and h1 as positionals: say how to give several runs.
    if (baseInputs.length > 0 || headInputs.length > 0) {
      throw new UsageError(
        `with --base and --head, each input takes its own option (--base r0 --base r1 --head h0 --head h1); ${listed(positionals, 4, (p) => quoted(p, 200))} ${positionals.length === 1 ? 'has' : 'have'} none`
      )
    }
    if (positionals.length !== 2)
      throw new UsageError(
        `compare takes <base> <head>, or --base/--head options; found ${positionals.length} input${positionals.length === 1 ? '' : 's'}`
      )
    baseInputs = [positionals[0] ?? '']
    headInputs = [positionals[1] ?? '']
  }
  if (baseInputs.length === 0 || headInputs.length === 0)
    throw new UsageError('compare needs a base and a head input')
  const overrides: RulesOverrides = {}
  const threshold =
    values.threshold?.trim() === 'auto' ? 'auto' : limit(values.threshold, '--threshold')
  if (threshold !== undefined) overrides.threshold = threshold
  const minShare = limit(values['min-share'], '--min-share')
  if (minShare !== undefined) overrides.minShare = minShare
  const alpha = number(values.alpha, '--alpha')
  if (alpha !== undefined) {
    if (!(alpha > 0 && alpha < 1))
      throw new UsageError(`--alpha must be between 0 and 1, got ${alpha}`)
    overrides.alpha = alpha
  }
  overrides.ignore = values.ignore ?? []
  const rules = await readRulesFile(values.rules, overrides)
  const load = loadOptions(values, io)
  // Both sides at once: the files of one are read while the other's are parsed.
  const [base = [], head = []] = await inOrder([baseInputs, headInputs], (inputs) =>
    loadRuns(inputs, load)
  )
  const history = values.history === undefined ? undefined : await readHistory(values.history)
  const last = head.at(-1)
  const comparison = compareProfiles(
    base,
    head,
    rules,
    history && last ? { history: historyView(history, fingerprintOf(last)) } : {}
  )
  await emit(render(comparison, format, { base, head }), values.output, io)
  if (format === 'text') printNotes(comparison.notes, io)
  if (values['no-fail']) return EXIT.pass
  return VERDICT_EXIT[comparison.gate.verdict]
}

/**
 * A history file (history.json.gz), a regular file of at most what decodeHistory reads; any
 * problem is the user's to fix, so it is an error here.
 */
async function readHistory(path: string): Promise<History> {
  return decodeHistory(await readFileWithin(path, 'the history', MAX_HISTORY_FILE_BYTES), path)
}

async function verdict(args: readonly string[], io: Io): Promise<number> {
  const { positionals, help } = options('verdict', COMMANDS.verdict.options, args, io)
  if (help) return EXIT.pass
  const [path] = positionals
  if (positionals.length !== 1 || path === undefined)
    throw new UsageError('verdict takes one comparison record (compare --format json)')
  // A regular file of at most an input profile's size (a FIFO or /dev/zero is refused at once);
  // a byte order mark is skipped, a file cut short said to be.
  const value = await readJsonFile(path, 'the comparison record', MAX_PROFILE_BYTES)
  const { recorded, gate } = rederiveVerdict(value, path)
  if (gate.verdict !== recorded) {
    throw new InputError(
      `the record says "${recorded}" but its inputs give "${gate.verdict}": the record was edited, or written by a different nsys-bench`,
      { file: path }
    )
  }
  io.stdout(`${gate.verdict} (re-derived from the recorded inputs)\n`)
  for (const reason of gate.reasons)
    io.stdout(`  ${reason.code}: ${visible(clip(reason.message, 400))}\n`)
  return VERDICT_EXIT[gate.verdict]
}

async function demo(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals, help } = options('demo', COMMANDS.demo.options, args, io)
  if (help) return EXIT.pass
  if (positionals.length > 0) throw new UsageError('demo takes no inputs')
  const format = checkFormat(values.format)
  const runs = values.runs === undefined ? 1 : positiveInt(values.runs, '--runs')
  if (runs > 50) throw new UsageError('--runs takes at most 50')
  const { base, head } = await demoProfiles(runs)
  const comparison = compareProfiles(base, head, buildRules(undefined))
  await emit(render(comparison, format, { base, head }), undefined, io)
  if (format === 'text') {
    io.stderr(
      `\nThis was the embedded demo: a baseline and a head profile of an LLM-serving benchmark (nsys stats output in src/demo/). ` +
        `On real inputs \`nsys-bench compare\` would exit ${VERDICT_EXIT[comparison.gate.verdict]} (${comparison.gate.verdict}).\n`
    )
  }
  return EXIT.pass
}

/** Notes go to stderr, once each, one line each. */
function printNotes(notes: readonly Note[], io: Io): void {
  for (const note of notes)
    io.stderr(
      `nsys-bench: ${note.severity === 'info' ? 'note' : note.severity}: ${visible(clip(note.message, 1000))}\n`
    )
}

const FORMATS = ['text', 'markdown', 'json', 'html'] as const
type Format = (typeof FORMATS)[number]

function checkFormat(value: string | undefined): Format {
  if (value === undefined) return 'text'
  const format = FORMATS.find((f) => f === value)
  if (format) return format
  throw new UsageError(`--format must be text, markdown, json or html, not ${quoted(value, 40)}`)
}

/** `runs`: the profiles compared (the HTML report draws their per-launch sketches). */
function render(
  comparison: Comparison,
  format: Format,
  runs: { base: readonly Profile[]; head: readonly Profile[] }
): string | Iterable<string> {
  switch (format) {
    case 'json':
      // In pieces: a large comparison's record is never one string (record.ts recordJson).
      return recordText(comparison)
    case 'markdown':
      return renderMarkdown(comparison, { maxChars: COMMENT_LIMIT })
    case 'html':
      return renderHtml(comparison, { runs })
    case 'text':
      return renderText(comparison)
  }
}

async function loadRuns(inputs: readonly string[], options: LoadOptions): Promise<Profile[]> {
  // One input after another: each reads its own files a few at a time (loadInput), and pools
  // nested here would multiply how many files are open and held at once.
  const runs: Profile[] = []
  for (const input of inputs) runs.push(...(await loadInput(input, options)))
  return runs
}

async function emit(
  text: string | Iterable<string>,
  output: string | undefined,
  io: Io
): Promise<void> {
  if (output === undefined) {
    if (typeof text === 'string') io.stdout(text)
    else for (const piece of text) io.stdout(piece)
    return
  }
  try {
    await writeFile(output, text)
  } catch (error) {
    // A full disk or a folder in the way: the command line was right, --help would not help.
    throw new InputError(
      `cannot write ${quoted(output)}: ${visible(clip(errorMessage(error), 200))}`,
      undefined,
      { cause: error }
    )
  }
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new UsageError(`${flag} takes a number, not ${quoted(value, 40)}`)
  return parsed
}

/** A percentage limit: a number ≥ 0. */
function limit(value: string | undefined, flag: string): number | undefined {
  const parsed = number(value, flag)
  if (parsed === undefined) return undefined
  if (parsed < 0) throw new UsageError(`${flag} must be ≥ 0, got ${parsed}`)
  if (parsed > 1000) throw new UsageError(`${flag} must be at most 1000, got ${parsed}`)
  return parsed
}

/** `12-40,55-70`: line ranges, 1-based, both ends included. */
function lineRanges(text: string): [number, number][] {
  const ranges = text.split(',').map((part): [number, number] => {
    const match = /^\s*(\d{1,9})\s*-\s*(\d{1,9})\s*$/.exec(part)
    const from = Number(match?.[1])
    const to = Number(match?.[2])
    if (!match || from < 1 || to < from)
      throw new UsageError(`--lines takes ranges like 12-40,55-70, not ${quoted(text, 60)}`)
    return [from, to]
  })
  if (ranges.length > 1000) throw new UsageError('--lines takes at most 1,000 ranges')
  return ranges
}

function positiveInt(value: string, flag: string): number {
  const parsed = number(value, flag) ?? 0
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new UsageError(`${flag} takes a positive whole number, not ${quoted(value, 40)}`)
  return parsed
}
