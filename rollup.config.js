// Bundles the action (dist/index.js) and the CLI (dist/cli.js) into single ESM files that run
// with plain `node` and no node_modules, as the runner and a fresh clone need.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

const plugins = () => [
  typescript({ tsconfig: './tsconfig.build.json' }),
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

export default [
  {
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es', sourcemap: false, inlineDynamicImports: true },
    plugins: plugins(),
    onwarn
  },
  {
    input: 'src/cli.ts',
    output: {
      file: 'dist/cli.js',
      format: 'es',
      sourcemap: false,
      inlineDynamicImports: true,
      banner: '#!/usr/bin/env node'
    },
    plugins: plugins(),
    onwarn
  }
]
