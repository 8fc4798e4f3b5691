/**
 * Adaptive repetitions against the artifact baseline, through the bundled action: a push saves a
 * baseline of 5 runs; pull requests set `repetitions: 3`, `max-repetitions: 8`, and head runs are
 * added one at a time while a change beyond the limits is not yet significant. The benchmark is a
 * small Node program (`profiler: none`) that writes a PyTorch-profiler-shaped Chrome trace whose
 * kernel durations come, run by run, from a list the test writes: how many runs it took is known
 * by hand from the smallest Mann–Whitney p-values (2 / C(n + m, n)) and the spending rule's
 * levels (α·3/8 at the first look, α/8 at each later one; docs/adaptive-repetitions.md).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import type { FakeGitHub } from './fakes/github.js'
import { useFakeGitHub } from './support/fake-lifecycle.js'
import { bench, expectExit, prEvent, pushEvent, text, type BenchEnv } from './support/bench.js'

/**
 * Each run writes 10 launches of one kernel, `dur` µs each (the run's entry of durations.txt,
 * in order), 50 µs apart: the idle gaps are the same in every run, only the kernel moves.
 */
const GENERATOR = `
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
const durations = readFileSync('durations.txt', 'utf8').trim().split(/\\s+/).map(Number)
const n = existsSync('count.txt') ? Number(readFileSync('count.txt', 'utf8')) : 0
writeFileSync('count.txt', String(n + 1))
const dur = durations[n]
if (dur === undefined) throw new Error('run ' + (n + 1) + ' has no duration')
const traceEvents = []
let ts = 1000
for (let i = 0; i < 10; i++) {
  traceEvents.push({ ph: 'X', cat: 'kernel', name: 'gemm_bf16_kernel', pid: 0, tid: 7, ts, dur, args: { device: 0, stream: 7 } })
  ts += dur + 50
}
writeFileSync('trace.json', JSON.stringify({ traceEvents }))
`

let fake: FakeGitHub
let work: string
const env: BenchEnv = {}

useFakeGitHub('adaptive', (f, w) => {
  fake = f
  work = w
})

const BASE = [100, 101, 99, 100.5, 99.5]

async function workspace(name: string, durations: number[]): Promise<string> {
  const dir = await mkdtemp(path.join(work, `${name}-`))
  await writeFile(path.join(dir, 'gen.mjs'), GENERATOR)
  await writeFile(path.join(dir, 'durations.txt'), durations.join(' '))
  return dir
}

const runsOf = async (dir: string): Promise<number> =>
  Number(await readFile(path.join(dir, 'count.txt'), 'utf8'))

const common = { profiler: 'none', command: 'node gen.mjs', 'profile-path': 'trace.json' }

describe('adaptive repetitions against an artifact baseline', () => {
  test('a clear regression stops before the cap; noise goes to the cap and passes', async () => {
    const baseDir = await workspace('base', BASE)
    const push = await bench(env, {
      fake,
      event: pushEvent(fake),
      cwd: baseDir,
      inputs: { ...common, repetitions: '5' }
    })
    expectExit(push, 0)
    expect(push.outputs.verdict).toBe('no-baseline')
    expect(await runsOf(baseDir)).toBe(5)

    // Every head run is 30 % slower. 5 base runs against n head runs: the smallest p is
    // 2/56 = 0.036 (n = 3, level 0.05·3/8 = 0.019), 2/126 = 0.016 (n = 4), 2/252 = 0.0079
    // (n = 5), 2/462 = 0.0043 (n = 6), the first below 0.05/8 = 0.00625: six head runs.
    const clearDir = await workspace('clear', [130, 131, 129, 130.5, 129.5, 130, 131, 129])
    const inputs = { ...common, repetitions: '3', 'max-repetitions': '8' }
    const clearPr = prEvent(fake)
    const clear = await bench(env, { fake, event: clearPr, cwd: clearDir, inputs })
    expectExit(clear, 1)
    expect(clear.outputs.verdict).toBe('regression')
    expect(await runsOf(clearDir)).toBe(6)
    const log = clear.stdout
    expect(log).toContain(
      "Adaptive repetitions: look at 3 head runs (α = 0.0188): one more head run, 2 gated changes beyond the limits that the test cannot yet confirm with 3 head runs against the baseline's 5."
    )
    expect(log).toContain('Adaptive repetitions: look at 6 head runs (α = 0.0063): stop,')
    const clearReport = fake.artifactFiles('nsys-bench-report')
    expect(
      Object.keys(clearReport)
        .filter((f) => f.startsWith('profiles/'))
        .sort()
    ).toEqual([1, 2, 3, 4, 5, 6].map((i) => `profiles/run-${i}.json`))
    const record = JSON.parse(text(clearReport, 'comparison.json')) as {
      runs: { base: number; head: number }
      method: { alpha: number }
    }
    expect(record.runs).toEqual({ base: 5, head: 6 })
    expect(record.method.alpha).toBeCloseTo(0.05 / 8, 12)
    const [comment] = fake.comments(clearPr.number)
    expect(comment?.body).toContain(
      "Runs: 6 head runs of at most 8 against the baseline's 5 (adaptive: 3, then 3 more, one at a time; stopped because 2 gated changes are significant at α = 0.0063)."
    )

    // Noise around a higher median: beyond the 5 % threshold at every look (125, 122.5, 120,
    // 119, 118, 117 µs), never significant (three of the runs are faster than every base run).
    const noiseDir = await workspace('noise', [130, 80, 125, 120, 85, 118, 90, 116])
    const noisePr = prEvent(fake)
    const noise = await bench(env, { fake, event: noisePr, cwd: noiseDir, inputs })
    expectExit(noise, 0)
    expect(noise.outputs.verdict).toBe('pass')
    expect(await runsOf(noiseDir)).toBe(8)
    const [noted] = fake.comments(noisePr.number)
    expect(noted?.body).toMatch(
      /Runs: 8 head runs of at most 8 against the baseline's 5 \(adaptive: 3, then 5 more, one at a time; stopped because the cap \(max-repetitions: 8\) was reached with \d gated changes? beyond the limits not significant yet at α = 0\.0063\)/
    )
  }, 180_000)

  test('a baseline too small for any look to confirm: runs stay at repetitions, with a warning', async () => {
    const baseDir = await workspace('small-base', [100, 101])
    expectExit(
      await bench(env, {
        fake,
        event: pushEvent(fake),
        cwd: baseDir,
        inputs: { ...common, repetitions: '2' }
      }),
      0
    )
    // 2 base runs and at most 8 head runs: 2 / C(10, 2) = 0.044, never below 0.05/8.
    const dir = await workspace('small-head', [130, 131, 129, 130, 131, 129, 130, 131])
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      cwd: dir,
      inputs: { ...common, repetitions: '3', 'max-repetitions': '8' }
    })
    expect(await runsOf(dir)).toBe(3)
    expect(r.stdout).toMatch(
      /max-repetitions: 8 cannot help here: even with 8 head runs against the baseline's 2 the Mann–Whitney test cannot reach the last look's level α \/ 8 = 0\.0063/
    )
    // The one look keeps all of α.
    const record = JSON.parse(text(fake.artifactFiles('nsys-bench-report'), 'comparison.json')) as {
      method: { alpha: number }
    }
    expect(record.method.alpha).toBe(0.05)
  }, 120_000)
})
