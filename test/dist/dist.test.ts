import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../support/paths.js'

describe('dist/', () => {
  it('is in sync with src/ (run `npm run build` and commit dist/)', { timeout: 180_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'nsys-bench-dist-'))
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'rollup', 'dist', 'bin', 'rollup'), '--config', 'rollup.config.js', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, NSYS_BENCH_DIST_DIR: out },
      stdio: 'pipe'
    })
    for (const file of ['index.js', 'cli.js', 'chrome-worker.js']) {
      const fresh = readFileSync(join(out, file), 'utf8')
      const committed = readFileSync(join(ROOT, 'dist', file), 'utf8')
      expect(committed === fresh, `dist/${file} is stale: run \`npm run build\` and commit dist/`).toBe(true)
    }
  })

  it('keeps the CLI bundle to Latin-1, so that V8 holds its source one byte a character', () => {
    // Read as UTF-8: every character of the source, not its bytes (rollup.config.js, latin1Source).
    const source = readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8')
    const beyond = [...source].filter((c) => c.codePointAt(0)! > 0xff)
    expect(beyond).toEqual([])
    // The messages still read as written: the escapes mean the same characters.
    expect(source).toContain('\\u2192')
  })
})
