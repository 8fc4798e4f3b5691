// `npm run fuzz` builds with this (rollup --configPlugin ./scripts/rollup-typescript.mjs), then runs
// build/fuzz/run.mjs.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fuzzCliMainOptions, fuzzRollupOptions } from './bundle.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

export default [
  fuzzRollupOptions(root, join(root, 'build', 'fuzz'), true),
  fuzzCliMainOptions(root, join(root, 'build', 'fuzz'))
]
