/** Turns recipes into files on disk and an argv. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import {
  flagsValid,
  ignorePattern,
  PROCESS_SPECIALS,
  type CliCase,
  type InputRecipe
} from './cases.js'
import { applyOps, scaleMeasurements } from './mutations.js'
import { INJECTION_MARK } from './payloads.js'
import { rulesText } from './rules-file.js'

/** Reads seed inputs: fixture files by repository-relative path, generated profile JSONs by id. */
export class SeedStore {
  private readonly cache = new Map<string, Buffer>()
  constructor(
    readonly root: string,
    readonly seedsDir: string
  ) {}

  read(id: string): Buffer {
    let bytes = this.cache.get(id)
    if (!bytes) {
      bytes = readFileSync(this.path(id))
      this.cache.set(id, bytes)
    }
    return bytes
  }

  path(id: string): string {
    return id.startsWith('profile:') ? join(this.seedsDir, seedFileName(id)) : join(this.root, id)
  }
}

/** Where the profile JSON generated from a fixture is kept. */
export function seedFileName(id: string): string {
  return `${id.replace(/^profile:/u, '').replace(/[^\w.-]/gu, '_')}.json`
}

/** The file name an input gets: its seed's, so that report-file names keep their meaning. */
export function inputName(recipe: InputRecipe): string {
  if (recipe.special === 'newline-name') return `a\n::error::${INJECTION_MARK}.csv`
  const name = basename(recipe.source.replace(/^profile:/u, ''))
  return recipe.source.startsWith('profile:') ? `${name}.json` : name
}

export interface MaterializedInput {
  /** The path as given on the command line. */
  path: string
  bytes: number
  /** A FIFO and what a writer should put into it (none: nobody writes). */
  fifo?: { content?: Buffer }
}

export function materializeInput(
  recipe: InputRecipe,
  dir: string,
  store: SeedStore
): MaterializedInput {
  mkdirSync(dir, { recursive: true })
  const name = inputName(recipe)
  const bytes = (): Buffer => {
    const mutated = applyOps(store.read(recipe.source), recipe.ops, store)
    return recipe.scale === undefined ? mutated : scaleMeasurements(mutated, recipe.scale)
  }
  const path = join(dir, name)
  switch (recipe.special) {
    case 'dev-zero':
      return { path: '/dev/zero', bytes: 0 }
    case 'dev-urandom':
      return { path: '/dev/urandom', bytes: 0 }
    case 'fifo':
    case 'fifo-writer': {
      execFileSync('mkfifo', [path])
      return recipe.special === 'fifo'
        ? { path, bytes: 0, fifo: {} }
        : { path, bytes: bytes().length, fifo: { content: bytes() } }
    }
    case 'empty-dir': {
      const empty = join(dir, 'empty')
      mkdirSync(empty)
      return { path: empty, bytes: 0 }
    }
    case 'stats-dir':
      return statsDir(recipe, join(dir, 'stats'), store, bytes())
    case 'symlink-loop': {
      symlinkSync(join(dir, 'loop-b.csv'), join(dir, 'loop-a.csv'))
      symlinkSync(join(dir, 'loop-a.csv'), join(dir, 'loop-b.csv'))
      return { path: join(dir, 'loop-a.csv'), bytes: 0 }
    }
    case 'missing':
      return { path: join(dir, 'missing', name), bytes: 0 }
    case 'newline-name':
    case undefined: {
      const content = bytes()
      writeFileSync(path, content)
      return { path, bytes: content.length }
    }
  }
}

/** A directory of `nsys stats --output` files: the seed's siblings, the seed itself mutated. */
function statsDir(
  recipe: InputRecipe,
  dir: string,
  store: SeedStore,
  mutated: Buffer
): MaterializedInput {
  mkdirSync(dir, { recursive: true })
  const sourceDir = dirname(recipe.source)
  let total = 0
  for (const file of readdirSync(join(store.root, sourceDir))) {
    const m = /^hostile_(.+\.csv)$/u.exec(file)
    if (!m) continue
    const content = file === basename(recipe.source) ? mutated : store.read(join(sourceDir, file))
    writeFileSync(join(dir, `run_${m[1]}`), content)
    total += content.length
  }
  return { path: dir, bytes: total }
}

export interface MaterializedCli {
  argv: string[]
  /** Every file path the command line names. */
  files: string[]
  inputBytes: number
  /** Good flags: an exit 2 must be about a file. */
  flagsValid: boolean
  /** Needs a child process (the input can block a thread in a system call). */
  process: boolean
  fifos: { path: string; content?: Buffer }[]
}

export function materializeCli(c: CliCase, dir: string, store: SeedStore): MaterializedCli {
  const sides = c.command === 'compare' ? ['base', 'head'] : ['input']
  const inputs = c.inputs.map((recipe, i) =>
    materializeInput(recipe, join(dir, sides[i] ?? `in${i}`), store)
  )
  const paths = inputs.map((i) => i.path)
  const files = [...paths]
  let argv: string[]
  let inputBytes = inputs.reduce((n, i) => n + i.bytes, 0)
  if (c.command === 'compare') {
    argv = ['compare', ...paths, `--format=${c.format ?? 'text'}`]
    if (c.rules) {
      const rules = join(dir, 'rules.json')
      const text = rulesText(c.rules)
      writeFileSync(rules, text)
      inputBytes += Buffer.byteLength(text)
      files.push(rules)
      argv.push('--rules', rules)
    }
    if (c.ignore) argv.push(`--ignore=${ignorePattern(c.ignore)}`)
    if (c.threshold !== undefined) argv.push(`--threshold=${c.threshold}`)
  } else {
    argv =
      c.command === 'summarize-json' ? ['summarize', '--json', ...paths] : ['summarize', ...paths]
  }
  return {
    argv,
    files,
    inputBytes,
    flagsValid: flagsValid(c),
    process: c.inputs.some((i) => i.special !== undefined && PROCESS_SPECIALS.has(i.special)),
    fifos: inputs.flatMap((i) => (i.fifo ? [{ path: i.path, ...i.fifo }] : []))
  }
}
