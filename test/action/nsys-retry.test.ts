import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { profile, ProfiledRunError, type ProfileOptions } from '../../src/action/nsys.js'
import type { ProcessResult, RunProcess } from '../../src/action/process.js'

/**
 * `nsys profile` run once more after nsys failed before it launched the benchmark: the report
 * read must be the second attempt's, never one the failed first attempt left behind.
 */
const nsys = { path: '/opt/nsys/bin/nsys', version: '2023.4.4', major: 2023 }

const optionsFor = (output: string): ProfileOptions => ({
  command: './bench.sh',
  cwd: '/w',
  env: {},
  output,
  trace: 'cuda,nvtx,osrt',
  cudaGraphTrace: 'node',
  captureRange: 'none',
  nvtxCapture: '',
  captureRangeEnd: '',
  extraArgs: [],
  timeoutMs: 60_000,
  log: () => undefined,
  warn: () => undefined
})

describe('nsys profile run once more', () => {
  it('a report the failed first attempt wrote is not taken for the second attempt’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-nsys-retry-'))
    try {
      const output = join(dir, 'run-1')
      let calls = 0
      // First call: nsys writes a report of a session that never launched the benchmark, then
      // exits 1 (its agent lost). Second call: the benchmark launches and exits 0, but nsys
      // writes no report (its import failed).
      const run: RunProcess = (_command, _args, opts) => {
        calls += 1
        if (calls === 1) writeFileSync(`${output}.nsys-rep`, 'an empty session')
        else writeFileSync(opts!.env!.NSYS_BENCH_LAUNCHED!, '')
        const result: ProcessResult = {
          code: calls === 1 ? 1 : 0,
          signal: null,
          timedOut: false,
          stdout: '',
          stderr: '',
          tail: [calls === 1 ? 'Connection to Agent lost.' : 'bench output']
        }
        return Promise.resolve(result)
      }
      const profiled = profile(run, nsys, optionsFor(output))
      await expect(profiled).rejects.toThrow(ProfiledRunError)
      await expect(profiled).rejects.toThrow(/wrote no fresh run-1\.nsys-rep/)
      expect(calls).toBe(2)
      expect(existsSync(`${output}.nsys-rep`)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
