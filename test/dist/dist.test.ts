import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CORPUS, ROOT } from '../support/paths.js'

describe('dist/', () => {
  it('is in sync with src/ (run `npm run build` and commit dist/)', { timeout: 180_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'nsys-bench-dist-'))
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'rollup', 'dist', 'bin', 'rollup'), '--config', 'rollup.config.js', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, NSYS_BENCH_DIST_DIR: out },
      stdio: 'pipe'
    })
    // Every file the build makes, the bundles the others start included.
    const files = readdirSync(out).sort()
    expect(files).toEqual(readdirSync(join(ROOT, 'dist')).sort())
    expect(files).toEqual(
      expect.arrayContaining(['index.js', 'cli.js', 'cli-main.js', 'chrome-worker.js', 'nsys-trace-worker.js', 're2.cjs'])
    )
    for (const file of files) {
      const fresh = readFileSync(join(out, file), 'utf8')
      const committed = readFileSync(join(ROOT, 'dist', file), 'utf8')
      expect(committed === fresh, `dist/${file} is stale: run \`npm run build\` and commit dist/`).toBe(true)
    }
  })

  it('loads RE2 (dist/re2.cjs) only for a pattern of the user\'s, and runs it without node_modules', () => {
    // dist/ alone, as a fresh clone has it: no node_modules above it.
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-re2-'))
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true })
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}')
    // A preload that says, at exit, whether re2.cjs was loaded.
    const probe = join(dir, 'probe.cjs')
    writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write('re2 ' + Object.keys(require('node:module')._cache).some((k) => k.endsWith('re2.cjs')) + '\\n'))"
    )
    const csv = join(CORPUS, 'generated_nsys-2023.4.4_stats_default-reports_csv.txt')
    const run = (...extra: string[]) =>
      spawnSync(process.execPath, ['--require', probe, join(dir, 'dist', 'cli.js'), 'compare', csv, csv, '--format', 'json', ...extra], {
        encoding: 'utf8'
      })
    const plain = run()
    expect(plain.status, plain.stderr).toBe(0)
    expect(plain.stderr).toBe('re2 false\n')
    const ignoring = run('--ignore', '^cudaMemcpy')
    expect(ignoring.status, ignoring.stderr).toBe(0)
    expect(ignoring.stderr).toBe('re2 true\n')
    const record = JSON.parse(ignoring.stdout) as { rules: { ignore: string[] } }
    expect(record.rules.ignore).toEqual(['^cudaMemcpy'])
    // RE2's own refusal, from the file beside the bundle.
    const refused = run('--ignore', '(?=x)')
    expect(refused.status).toBe(2)
    expect(refused.stderr).toMatch(/Patterns use RE2 syntax: no look-ahead/)
  })

  it('keeps the CLI bundle to Latin-1, so that V8 holds its source one byte a character', () => {
    // Read as UTF-8: every character of the source, not its bytes (rollup.config.js, latin1Source).
    for (const file of ['cli.js', 'cli-main.js']) {
      const source = readFileSync(join(ROOT, 'dist', file), 'utf8')
      const beyond = [...source].filter((c) => c.codePointAt(0)! > 0xff)
      expect(beyond, file).toEqual([])
    }
    // The messages still read as written: the escapes mean the same characters.
    expect(readFileSync(join(ROOT, 'dist', 'cli-main.js'), 'utf8')).toContain('\\u2192')
  })

  it('starts the command line with Node\'s compile cache on, where Node has one (22.1 and later)', () => {
    // Node 20 has no module.enableCompileCache: a preload gives it one that says it was called.
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-cache-'))
    const preload = join(dir, 'preload.cjs')
    writeFileSync(
      preload,
      `const m = require('node:module')
m.enableCompileCache = () => {
  process.stderr.write('compile cache on\\n')
  return { status: 1, directory: ${JSON.stringify(dir)} }
}`
    )
    const out = spawnSync(process.execPath, ['--require', preload, join(ROOT, 'dist', 'cli.js'), '--version'], {
      encoding: 'utf8'
    })
    expect(out.status).toBe(0)
    expect(out.stderr).toBe('compile cache on\n')
    expect(out.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version)
    // Without the preload (on Node 20: no compile cache at all) the command runs as well.
    const plain = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' })
    expect(plain.status).toBe(0)
    expect(plain.stderr).toBe('')
  })
})
