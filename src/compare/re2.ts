import { createRequire } from 'node:module'
import type * as Re2 from 're2js'

/**
 * RE2 (re2js), loaded on first use: only user patterns run on it (pattern.ts), and as part of a
 * bundle it was a third of the CLI's source, compiled at every start (docs/performance.md,
 * "Start-up"). In dist/ it is `re2.cjs`, beside the bundles (rollup.config.js, src/re2-file.ts);
 * from the sources, the package itself.
 */
export function re2(): typeof Re2.RE2JS {
  engine ??= loadRe2().RE2JS
  return engine
}

let engine: typeof Re2.RE2JS | undefined

const load = createRequire(import.meta.url)

function loadRe2(): typeof Re2 {
  try {
    return load('./re2.cjs') as typeof Re2
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error
    return load('re2js') as typeof Re2
  }
}
