import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
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
      expect.arrayContaining(['index.js', 'cli.js', 'cli-main.cjs', 'chrome-worker.js', 'nsys-trace-worker.js', 're2.cjs'])
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
    for (const file of ['cli.js', 'cli-main.cjs']) {
      const source = readFileSync(join(ROOT, 'dist', file), 'utf8')
      const beyond = [...source].filter((c) => c.codePointAt(0)! > 0xff)
      expect(beyond, file).toEqual([])
    }
    // The messages still read as written: the escapes mean the same characters.
    expect(readFileSync(join(ROOT, 'dist', 'cli-main.cjs'), 'utf8')).toContain('\\u2192')
  })

  it('runs the command line from the code cache of its last run, and writes one where there is none', () => {
    const cache = mkdtempSync(join(tmpdir(), 'nsys-bench-code-cache-'))
    const csv = join(CORPUS, 'generated_nsys-2023.4.4_stats_default-reports_csv.txt')
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache }
    delete env.NODE_COMPILE_CACHE
    delete env.NODE_DISABLE_COMPILE_CACHE
    const run = (extra: Record<string, string> = {}) =>
      spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'compare', csv, csv, '--format', 'json'], {
        encoding: 'utf8',
        env: { ...env, ...extra }
      })
    const folder = join(cache, 'nsys-bench', 'code-cache', `${process.version}-${process.arch}`)
    const files = () => {
      try {
        return readdirSync(folder)
      } catch {
        return []
      }
    }
    const first = run()
    expect(first.status, first.stderr).toBe(0)
    const written = files()
    expect(written).toEqual([expect.stringMatching(/^compare-json-[0-9a-f]{8}\.\d+-\d+-\d+\.v8$/)])
    const file = join(folder, written[0]!)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(folder).mode & 0o777).toBe(0o700)
    const mtime = statSync(file).mtimeMs
    // Run again from it: the same record, and the cache V8 took is left as it is.
    const second = run()
    expect(second.status, second.stderr).toBe(0)
    expect(second.stdout).toBe(first.stdout)
    expect(files()).toEqual(written)
    expect(statSync(file).mtimeMs).toBe(mtime)
    // A cache V8 refuses (here, bytes that are none) is passed over and written again.
    writeFileSync(file, 'not a cache')
    const refused = run()
    expect(refused.status, refused.stderr).toBe(0)
    expect(refused.stdout).toBe(first.stdout)
    expect(statSync(file).size).toBeGreaterThan(100_000)
    // Another command keeps a cache of its own; NODE_DISABLE_COMPILE_CACHE turns them off.
    const version = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), '--version'], { encoding: 'utf8', env })
    expect(version.status).toBe(0)
    expect(files()).toHaveLength(2)
    expect(files()).toEqual(expect.arrayContaining([...written, expect.stringMatching(/^other-text-/)]))
    const off = mkdtempSync(join(tmpdir(), 'nsys-bench-code-cache-off-'))
    const disabled = run({ XDG_CACHE_HOME: off, NODE_DISABLE_COMPILE_CACHE: '1' })
    expect(disabled.status, disabled.stderr).toBe(0)
    expect(disabled.stdout).toBe(first.stdout)
    expect(readdirSync(off)).toEqual([])
  })
})
