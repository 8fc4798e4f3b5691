/**
 * Adaptive repetitions against the artifact baseline, through the bundled action: a push saves a
 * baseline of 5 runs; pull requests set `repetitions: 3`, `max-repetitions: 8`, and head runs are
 * added one at a time while a change beyond the limits is not yet significant. The benchmark is a
 * small Node program (`profiler: none`) that writes a PyTorch-profiler-shaped Chrome trace whose
 * kernel durations come, run by run, from a list the test writes: how many runs it took is known
 * by hand from the spending rule's levels (α·3/8 at the first look, α/8 at each later one;
 * docs/adaptive-repetitions.md), the smallest Mann–Whitney p-values (2 / C(n + m, n)) and, at
 * the looks Mann–Whitney cannot decide, Student's t on the logarithms of the run values.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import type { FakeGitHub } from './fakes/github.js'
import { useFakeGitHub } from './support/fake-lifecycle.js'
import { bench, expectExit, prEvent, pushEvent, text, type BenchEnv } from './support/bench.js'

/**
 * Each run writes 10 launches of one kernel, `dur` µs each (the run's entry of durations.txt,
 * in order), 50 µs apart: the idle gaps are the same in every run, only the kernel moves, and the
 * GPU's busy time with it (ten launches, nothing overlapping): three gated quantities change, the
 * kernel, the kernels' total and the busy time's total.
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

    // Every head run is 30 % slower, within 1 % of each other. 5 base runs against 3 head runs:
    // Mann–Whitney's smallest p is 2/56 = 0.036, not below the first look's 0.05·3/8 = 0.019, so
    // Student's t decides: t ≈ 46 over 6 degrees of freedom, significant at once.
    const inputs = { ...common, repetitions: '3', 'max-repetitions': '8' }
    const quickDir = await workspace('quick', [130, 131, 129, 130.5, 129.5, 130, 131, 129])
    const quick = await bench(env, { fake, event: prEvent(fake), cwd: quickDir, inputs })
    expectExit(quick, 1)
    expect(quick.outputs.verdict).toBe('regression')
    expect(await runsOf(quickDir)).toBe(3)
    expect(quick.stdout).toContain(
      'Adaptive repetitions: look at 3 head runs (α = 0.0188): stop, 3 gated changes are significant at α = 0.0188.'
    )

    // Every head run is slower than every base run, but by 1.5 % to 60 %. By hand (t on the
    // logarithms, pooled spread, 5 + n − 2 degrees of freedom): n = 3 (101.5, 160, 130), t = 2.6,
    // p ≈ 0.04 > 0.019; n = 4 (+ 102), t = 2.0, p ≈ 0.09 > 0.00625; n = 5 (+ 150), t = 2.5,
    // p ≈ 0.04 > 0.00625. At n = 6 Mann–Whitney can decide (2/462 = 0.0043 < 0.00625), and
    // every head run slower than every base run gives that p: six head runs.
    const clearDir = await workspace('clear', [101.5, 160, 130, 102, 150, 140, 135, 145])
    const clearPr = prEvent(fake)
    const clear = await bench(env, { fake, event: clearPr, cwd: clearDir, inputs })
    expectExit(clear, 1)
    expect(clear.outputs.verdict).toBe('regression')
    expect(await runsOf(clearDir)).toBe(6)
    const log = clear.stdout
    expect(log).toContain(
      'Adaptive repetitions: look at 3 head runs (α = 0.0188): one more head run, 3 gated changes beyond the limits not significant yet at α = 0.0188.'
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
      "Runs: 6 head runs of at most 8 against the baseline's 5 (adaptive: 3, then 3 more, one at a time; stopped because 3 gated changes are significant at α = 0.0063)."
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

  test('a baseline of one run cannot be tested against: runs stay at repetitions, with a warning', async () => {
    const baseDir = await workspace('small-base', [100])
    expectExit(
      await bench(env, {
        fake,
        event: pushEvent(fake),
        cwd: baseDir,
        inputs: { ...common, repetitions: '1' }
      }),
      0
    )
    // One base run: no test over the runs is possible, however many head runs.
    const dir = await workspace('small-head', [130, 131, 129, 130, 131, 129, 130, 131])
    const r = await bench(env, {
      fake,
      event: prEvent(fake),
      cwd: dir,
      inputs: { ...common, repetitions: '3', 'max-repetitions': '8' }
    })
    expect(await runsOf(dir)).toBe(3)
    expect(r.stdout).toMatch(
      /max-repetitions: 8 cannot help here: the baseline has one run, and with one run a side no test over the runs is possible/
    )
    // One look, one base run against three head runs: judged on the limits alone.
    const record = JSON.parse(text(fake.artifactFiles('nsys-bench-report'), 'comparison.json')) as {
      runs: { base: number; head: number }
      method: { kind: string }
    }
    expect(record.runs).toEqual({ base: 1, head: 3 })
    expect(record.method.kind).toBe('single-run')
  }, 120_000)
})
