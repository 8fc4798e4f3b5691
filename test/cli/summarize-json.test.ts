import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { FIXTURES } from '../support/paths.js'

/**
 * `nsys-bench summarize --json`, in process (src, not the committed bundle): what it writes of a
 * profile JSON it reads back, and of reports.
 */
async function summarizeJson(input: string): Promise<Record<string, any>> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(['summarize', input, '--json'], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t)
  })
  expect(stderr).toBe('')
  expect(code).toBe(0)
  return JSON.parse(stdout) as Record<string, any>
}

const KERN =
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n100.0,100,1,100.0,100.0,100,100,0.0,gemm\n'

describe('summarize --json', () => {
  it("keeps a profile JSON's createdAt (when its run ended), and stamps reports read now", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-summarize-'))
    const profile = JSON.parse(readFileSync(join(FIXTURES, 'profile-v1.json'), 'utf8')) as Record<
      string,
      any
    >
    profile.meta.createdAt = '2026-11-24T07:24:12.843Z'
    writeFileSync(join(dir, 'run.json'), JSON.stringify(profile))
    expect((await summarizeJson(join(dir, 'run.json'))).meta.createdAt).toBe(
      '2026-11-24T07:24:12.843Z'
    )
    writeFileSync(join(dir, 'x_cuda_gpu_kern_sum.csv'), KERN)
    const before = Date.now()
    const stamped = Date.parse(
      (await summarizeJson(join(dir, 'x_cuda_gpu_kern_sum.csv'))).meta.createdAt as string
    )
    expect(stamped).toBeGreaterThanOrEqual(before)
    expect(stamped).toBeLessThanOrEqual(Date.now())
  })

  it('leaves out a derived table its input held (an older writer wrote them back)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-summarize-'))
    const profile = JSON.parse(readFileSync(join(FIXTURES, 'profile-v1.json'), 'utf8')) as Record<
      string,
      any
    >
    profile.tables.categories = {
      unit: 'ns',
      rows: {
        '0': { name: 'GEMM', totalNs: 5000, instances: 2, avgNs: 2500, minNs: 2000, maxNs: 3000 }
      }
    }
    writeFileSync(join(dir, 'run.json'), JSON.stringify(profile))
    const tables = Object.keys((await summarizeJson(join(dir, 'run.json'))).tables as object)
    expect(tables).not.toContain('categories')
    expect(tables).toContain('kernels')
  })
})
