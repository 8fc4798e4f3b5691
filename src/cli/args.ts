import { UsageError } from '../errors.js'
import { quoted } from '../text.js'

/**
 * The command line's options, read by hand rather than by node:util parseArgs, whose messages
 * are not ours ("argument is ambiguous" for `--threshold -5`): a value may start with `-`, an
 * unknown option gets a "did you mean", and every message names the command. An option that takes
 * one value may be given once (`multiple` ones are repeated); a flag given twice says the same.
 */
export interface OptionSpec {
  type: 'string' | 'boolean'
  multiple?: boolean
  /** Shown in the usage: `--format F`. */
  value?: string
}

export type Parsed<T extends Record<string, OptionSpec>> = {
  values: {
    [K in keyof T]?: T[K]['type'] extends 'boolean'
      ? boolean
      : T[K]['multiple'] extends true
        ? string[]
        : string
  }
  positionals: string[]
  help: boolean
}

export function parseOptions<T extends Record<string, OptionSpec>>(
  command: string,
  args: readonly string[],
  specs: T
): Parsed<T> {
  const values: Record<string, string | string[] | boolean> = {}
  const positionals: string[] = []
  let help = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ''
    if (arg === '--') {
      positionals.push(...args.slice(i + 1))
      break
    }
    if (arg === '--help' || arg === '-h') {
      help = true
      continue
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg))
        throw unknown(command, arg, specs)
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined
    if (!spec) throw unknown(command, `--${name}`, specs)
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`)
      values[name] = true
      continue
    }
    let value: string
    if (eq >= 0) value = arg.slice(eq + 1)
    else {
      const next = args[i + 1]
      if (next === undefined)
        throw new UsageError(`${command}: --${name} needs a value (${spec.value ?? 'VALUE'})`)
      value = next
      i += 1
    }
    if (spec.multiple) values[name] = [...((values[name] as string[] | undefined) ?? []), value]
    else {
      // Given twice, one value would be dropped without a word (a second --rules file: the first's
      // gates gone, its errors unread): refused.
      const earlier = values[name]
      if (typeof earlier === 'string')
        throw new UsageError(
          `${command}: --${name} is given twice (${quoted(earlier, 60)} and ${quoted(value, 60)}); give it once`
        )
      values[name] = value
    }
  }
  return { values: values as Parsed<T>['values'], positionals, help }
}

function unknown(command: string, option: string, specs: Record<string, OptionSpec>): UsageError {
  const names = Object.keys(specs).map((n) => `--${n}`)
  const close = names
    .map((n) => ({ n, d: distance(option, n) }))
    .filter((c) => c.d <= Math.max(2, Math.floor(option.length / 3)))
    .sort((a, b) => a.d - b.d)[0]
  return new UsageError(
    `${command}: unknown option ${quoted(option, 60)}${close ? `; did you mean ${close.n}?` : ''}`
  )
}

/** Levenshtein distance (short strings only: option names). */
function distance(a: string, b: string): number {
  if (a.length > 64) return Infinity
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      )
    }
    previous = row
  }
  return previous[b.length] ?? Infinity
}
