// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into single ESM files that run
// with plain `node` and no node_modules, as the runner and a fresh clone need.
// NSYS_BENCH_DIST_DIR builds elsewhere (the dist-freshness test compares such a build with dist/).
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { typescriptFiles } from './scripts/rollup-typescript.mjs'

const outDir = process.env.NSYS_BENCH_DIST_DIR ?? 'dist'

// TypeScript one file at a time, without a type check (npm run typecheck does that).
const plugins = () => [
  typescriptFiles('tsconfig.build.json'),
  nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
  commonjs(),
  json()
]

// Libraries that rely on `this` at module level or on circular imports make rollup talk; only
// real problems should stop the build.
const onwarn = (warning, warn) => {
  if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return
  warn(warning)
}

/**
 * V8 keeps a source of Latin-1 characters at one byte a character; a single character beyond
 * (`…`, `→` in messages) makes the whole bundle two-byte, slower to decode and to scan: about
 * 20 ms of the CLI's start on the development machine. Such characters are written as `\uXXXX`
 * escapes, which mean the same in strings, templates, regular expressions and comments — the
 * only places they occur in the CLI bundle (no tagged template reads them raw, no backslash
 * precedes one; checked when this was added).
 */
const latin1Source = () => ({
  name: 'latin1-source',
  renderChunk(code) {
    const escaped = code.replace(
      /[\u0100-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
    )
    return { code: escaped, map: null }
  }
})

const bundle = (input, file, banner, extra = [], external = undefined) => ({
  input,
  external,
  output: {
    file: `${outDir}/${file}`,
    format: 'es',
    sourcemap: false,
    inlineDynamicImports: true,
    banner
  },
  plugins: [...plugins(), ...extra],
  onwarn
})

export default [
  bundle('src/index.ts', 'index.js', undefined),
  // The command is a launcher that runs the command line, its sibling, from V8's code cache
  // (src/cli/code-cache.ts): a CommonJS script, which node:vm compiles with a cache.
  bundle('src/cli.ts', 'cli.js', '#!/usr/bin/env node', [latin1Source()]),
  {
    input: 'src/cli-main.ts',
    output: {
      file: `${outDir}/cli-main.cjs`,
      format: 'cjs',
      sourcemap: false,
      inlineDynamicImports: true,
      // node:vm runs the script without a loader for import(): a require in its place.
      dynamicImportInCjs: false
    },
    plugins: [...plugins(), latin1Source()],
    onwarn
  },
  // Started by both bundles for large Chrome traces (src/load/chrome-trace.ts): their sibling.
  bundle('src/load/chrome-worker.ts', 'chrome-worker.js', undefined, [latin1Source()]),
  // Started by both for large GPU trace reports (src/load/nsys-trace.ts): their sibling too.
  bundle('src/load/nsys-trace-worker.ts', 'nsys-trace-worker.js', undefined, [latin1Source()]),
  // RE2, which both load on first use with require (src/lazy-node.ts): their sibling as well.
  {
    input: 'src/re2-file.ts',
    output: { file: `${outDir}/re2.cjs`, format: 'cjs', sourcemap: false },
    plugins: [...plugins(), latin1Source()],
    onwarn
  }
]
