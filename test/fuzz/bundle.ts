/**
 * Bundles what the fuzzer runs, with the plugins of rollup.config.js (TypeScript one file at a
 * time, without type checking: tsc does that): the CLI from src/ (cli.mjs and the cli-main.cjs it
 * runs, for child processes), the worker that calls it in-process (worker.mjs) and, for
 * `npm run fuzz`, the driver (run.mjs).
 */
import { createHash } from 'node:crypto'
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join, relative } from 'node:path'
import commonjsModule from '@rollup/plugin-commonjs'
import jsonModule from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { rollup, type OutputOptions, type RollupOptions } from 'rollup'
import { projectFiles } from '../../scripts/rollup-typescript.mjs'

/**
 * The plugins' types describe CommonJS (`{ default: plugin }`) while Node's ESM import gives the
 * plugin itself: take whichever is there.
 */
type Plugin<M> = M extends { default: infer P } ? P : M
function plugin<M>(module: M): Plugin<M> {
  return ((module as { default?: unknown }).default ?? module) as Plugin<M>
}
const commonjs = plugin(commonjsModule)
const json = plugin(jsonModule)

/** Test-only packages stay imports, resolved from node_modules at run time. */
const EXTERNAL = /^(fast-check|micromark|micromark-extension-gfm|rollup|@rollup\/.*)$/u

export function fuzzRollupOptions(
  root: string,
  outDir: string,
  withDriver: boolean
): RollupOptions & { output: OutputOptions } {
  return {
    input: {
      worker: join(root, 'test/fuzz/worker.ts'),
      cli: join(root, 'src/cli.ts'),
      ...(withDriver ? { run: join(root, 'test/fuzz/run.ts') } : {})
    },
    external: (id) => EXTERNAL.test(id),
    plugins: plugins(root),
    onwarn,
    output: {
      dir: outDir,
      format: 'es',
      entryFileNames: '[name].mjs',
      chunkFileNames: 'chunks/[name]-[hash].mjs'
    }
  }
}

/**
 * The command line that cli.mjs runs from V8's code cache (src/cli.ts, src/cli/code-cache.ts):
 * cli-main.cjs beside it, a CommonJS script as in dist/.
 */
export function fuzzCliMainOptions(
  root: string,
  outDir: string
): RollupOptions & { output: OutputOptions } {
  return {
    input: join(root, 'src/cli-main.ts'),
    plugins: plugins(root),
    onwarn,
    output: {
      file: join(outDir, 'cli-main.cjs'),
      format: 'cjs',
      inlineDynamicImports: true,
      dynamicImportInCjs: false
    }
  }
}

function plugins(root: string): RollupOptions['plugins'] {
  return [
    projectFiles(root),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json()
  ]
}

const onwarn: RollupOptions['onwarn'] = (warning, warn) => {
  if (['THIS_IS_UNDEFINED', 'CIRCULAR_DEPENDENCY'].includes(warning.code ?? '')) return
  warn(warning)
}

function files(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? files(path) : [path]
    })
}

/** A hash of what goes into the bundle: src/ and test/fuzz/, and what compiles them. */
function stamp(root: string, withDriver: boolean): string {
  const hash = createHash('sha256').update(String(withDriver))
  const compiler = [join(root, 'scripts', 'rollup-typescript.mjs'), join(root, 'tsconfig.json')]
  for (const file of [
    ...files(join(root, 'src')),
    ...files(join(root, 'test', 'fuzz')),
    ...compiler
  ])
    hash.update(relative(root, file)).update(readFileSync(file))
  return hash.digest('hex')
}

/** Builds into outDir unless what goes into it (stamp) is unchanged since the last build there. */
export async function buildFuzzBundle(options: {
  root: string
  outDir: string
  withDriver?: boolean
}): Promise<{ dir: string; built: boolean }> {
  const { root, outDir, withDriver = false } = options
  const want = stamp(root, withDriver)
  const stampFile = join(outDir, '.stamp')
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want)
    return { dir: outDir, built: false }
  const tmp = `${outDir}.tmp-${process.pid}`
  rmSync(tmp, { recursive: true, force: true })
  for (const { output, ...input } of [
    fuzzRollupOptions(root, tmp, withDriver),
    fuzzCliMainOptions(root, tmp)
  ]) {
    const bundle = await rollup(input)
    try {
      await bundle.write(output)
    } finally {
      await bundle.close()
    }
  }
  writeFileSync(join(tmp, '.stamp'), want)
  rmSync(outDir, { recursive: true, force: true })
  renameSync(tmp, outDir)
  return { dir: outDir, built: true }
}
