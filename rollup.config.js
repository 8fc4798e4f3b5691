// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into single ESM files that run
// with plain `node` and no node_modules, as the runner and a fresh clone need.
// NSYS_BENCH_DIST_DIR builds elsewhere (the dist-freshness test compares such a build with dist/).
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

const outDir = process.env.NSYS_BENCH_DIST_DIR ?? 'dist'

const plugins = () => [
  typescript({ tsconfig: './tsconfig.build.json', outDir }),
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

const bundle = (input, file, banner) => ({
  input,
  output: {
    file: `${outDir}/${file}`,
    format: 'es',
    sourcemap: false,
    inlineDynamicImports: true,
    banner
  },
  plugins: plugins(),
  onwarn
})

export default [
  bundle('src/index.ts', 'index.js', undefined),
  bundle('src/cli.ts', 'cli.js', '#!/usr/bin/env node')
]
