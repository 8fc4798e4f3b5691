import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../support/paths.js'
import { buildFuzzBundle } from './bundle.js'
import { SLOW_MS } from './contract.js'
import { fuzz } from './driver.js'

/**
 * A quick seeded fuzz run (the full one is `npm run fuzz`): the CLI bundled from src/, a few
 * hundred mutated inputs, a few action runs. A failure lists each violated clause with the
 * operator that triggered it; the cases are in build/fuzz-failures-quick/, and
 * `npm run fuzz -- --replay <dir>` runs one again.
 */
describe('fuzz: the CLI and the action keep their contract on seeded hostile inputs', () => {
  it('200 CLI cases and 10 action cases', async () => {
    const { dir } = await buildFuzzBundle({ root: ROOT, outDir: join(ROOT, 'build', 'fuzz-test') })
    const report = await fuzz({
      root: ROOT,
      bundleDir: dir,
      actionScript: join(ROOT, 'dist', 'index.js'),
      cases: 200,
      actionCases: 10,
      seed: 20261129,
      workers: 2,
      // Slow is a failure already: no need to wait for a hang.
      killMs: SLOW_MS + 300,
      actionKillMs: 20_000,
      shrinkSeconds: 0,
      shrinkTotalSeconds: 0,
      maxTimeoutsPerLabel: 1,
      failuresDir: join(ROOT, 'build', 'fuzz-failures-quick'),
      log: () => undefined
    })
    const fuzzerBugs = report.harnessErrors.map((o) => JSON.stringify(o.recipe))
    expect(fuzzerBugs, 'cases the fuzzer itself failed on').toEqual([])
    const violated = report.classes.map(
      (c) => `${c.target}: ${c.clause} × ${c.label} (${c.count} cases; ${c.detail.slice(0, 160)})`
    )
    expect(violated, 'violated clauses (clause × operator)').toEqual([])
  }, 180_000)
})
