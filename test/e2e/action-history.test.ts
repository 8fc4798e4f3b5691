/**
 * The history end to end, through the bundled action and the loopback fakes: a baseline seeded
 * with a history of six runs, three pushes to the default branch (each saves a baseline whose
 * history grows by its run; the third sees a kernel that drifted), then a pull request with
 * `threshold: auto` — its comment has trends and says which limit applied.
 *
 * Inputs are profile JSONs (`profile-path`), no nsys: fast. The history file is written and read
 * here by hand (JSON and node's zlib), never by the code under test.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import type { FakeGitHub } from './fakes/github.js'
import { useFakeGitHub } from './support/fake-lifecycle.js'
import {
  annotations,
  bench,
  expectExit,
  H100,
  kernelProfileJson,
  MARKER,
  prEvent,
  pushEvent,
  seedBaseline,
  text
} from './support/bench.js'

let fake: FakeGitHub
let work: string

useFakeGitHub('history', (f, w) => {
  fake = f
  work = w
})

const GEMM = 'ampere_bf16_gemm_128x128'
const FLASH = 'flash_fwd_kernel'
const NORM = 'rms_norm_kernel'
const HOSTILE = 'evil_`|<img src=x onerror=alert(1)>@team'
const KERNELS = [GEMM, FLASH, NORM, HOSTILE]

/** A profile JSON of one run: kernel → total ns, 10 launches each, on an H100, nsys 2024. */
function profileJson(totals: Record<string, number>): string {
  return kernelProfileJson(totals, {
    launches: 10,
    nsys: '2024.1.1.59',
    gpu: { name: H100, driver: '550.54.15', cuda: '12.4' }
  })
}

/** Kernel totals in µs, per kernel in KERNELS order. */
const us = (values: number[]): Record<string, number> =>
  Object.fromEntries(KERNELS.map((k, i) => [k, (values[i] ?? 0) * 1000]))

/**
 * The seeded history (docs/history.md, written by hand): six runs on the H100 with nsys 2024.
 * gemm steady at 1 ms; flash noisy around 500 µs (MAD 20 µs: a band of ±17.79 %); the norm
 * kernel steady at 200 µs, then 212 µs in the seeded baseline's own run; the hostile name flat.
 */
const SEEDED = {
  [GEMM]: [1000, 1000, 1000, 1000, 1000, 1000],
  [FLASH]: [500, 460, 540, 480, 520, 500],
  [NORM]: [200, 200, 200, 200, 200, 212],
  [HOSTILE]: [300, 300, 300, 300, 300, 300]
}
const seededRuns = SEEDED[GEMM].map((_, i) => ({
  sha: `${String(i + 1).repeat(40)}`.slice(0, 40),
  date: `2026-11-0${i + 1}T12:00:00.000Z`,
  gpu: H100,
  profiler: 'nsys',
  major: '2024',
  naming: 'demangled',
  repetitions: 1
}))
function seededHistory(): Buffer {
  const kernels = Object.fromEntries(
    Object.entries(SEEDED).map(([name, values]) => [
      name,
      { v: values.map((v) => v * 1000), s: values.map(() => 0), n: values.map(() => 10) }
    ])
  )
  return gzipSync(
    JSON.stringify({
      kind: 'nsys-bench/history',
      schemaVersion: 1,
      runs: seededRuns,
      tables: { kernels }
    })
  )
}

interface HistoryJson {
  kind: string
  schemaVersion: number
  runs: { sha: string; gpu: string; major: string; repetitions: number }[]
  tables: { kernels: Record<string, { name?: string; v: number[]; s: number[]; n: number[] }> }
}

/** The history of a push run's baseline artifact, read with node's zlib. */
function savedHistory(runId: number): HistoryJson {
  const files = fake.artifactFiles('nsys-bench-baseline', { runId })
  const bytes = files['history.json.gz']
  if (!bytes)
    throw new Error(`no history.json.gz; the artifact holds ${Object.keys(files).join(', ')}`)
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as HistoryJson
}

const hex = (n: number): string => n.toString(16).padStart(40, 'a')

/** Two repetitions of a push: each kernel ±`spread` µs around its value. */
async function push(n: number, values: number[], spread = 2) {
  const dir = path.join(work, `push${n}`)
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'a.json'), profileJson(us(values.map((v) => v - spread))))
  await writeFile(path.join(dir, 'b.json'), profileJson(us(values.map((v) => v + spread))))
  const r = await bench(
    {},
    {
      fake,
      cwd: dir,
      event: pushEvent(fake, hex(n)),
      inputs: { 'profile-path': 'a.json\nb.json', threshold: 'auto' }
    }
  )
  expectExit(r, 0)
  return r
}

describe('history across pushes, then a pull request', () => {
  test('three pushes grow the history; the third reports a drift; the PR comment has trends and auto limits', async () => {
    seedBaseline(
      fake,
      {
        'run-1.json': profileJson(us([1000, 500, 212, 300])),
        'history.json.gz': seededHistory()
      },
      { headSha: seededRuns[5]?.sha }
    )

    // Push 1: norm 212 → 220 µs (+3.8 %, under 5 %); flash 500 → 530 µs (+6 %, inside its band).
    const p1 = await push(1, [1000, 530, 220, 300])
    expect(p1.outputs.verdict).toBe('pass')
    const h1 = savedHistory(p1.runId)
    expect(h1.kind).toBe('nsys-bench/history')
    expect(h1.runs.map((r) => r.sha)).toEqual([...seededRuns.map((r) => r.sha), hex(1)])
    expect(h1.runs.at(-1)).toMatchObject({ gpu: H100, major: '2024', repetitions: 2 })
    // Two repetitions at 218 and 222 µs: median 220 µs, MAD 2 µs, 10 launches.
    expect(h1.tables.kernels[NORM]).toEqual({
      v: [...SEEDED[NORM].map((v) => v * 1000), 220_000],
      s: [0, 0, 0, 0, 0, 0, 2000],
      n: [10, 10, 10, 10, 10, 10, 10]
    })
    expect(h1.tables.kernels[HOSTILE]?.v).toHaveLength(7)
    // Seven values of norm: 200 ×5, 212, 220 — a streak of 3 needs 5 runs before it: no drift.
    expect(p1.summary).not.toContain('Drifts over the last merges')

    const p2 = await push(2, [1000, 470, 228, 300])
    expect(p2.outputs.verdict).toBe('pass')
    expect(savedHistory(p2.runId).runs).toHaveLength(8)
    // 212, 220, 228 all above 200 + 5 %: a drift of +14 % over 3 merges.
    expect(annotations(p2, 'warning')).toContainEqual(
      expect.stringContaining(`"${NORM}" drifted +14.0% over the last 3 merges`)
    )

    const p3 = await push(3, [1000, 510, 236, 300])
    expect(p3.outputs.verdict).toBe('pass')
    const h3 = savedHistory(p3.runId)
    expect(h3.runs).toHaveLength(9)
    expect(h3.tables.kernels[FLASH]?.v).toEqual([
      500_000, 460_000, 540_000, 480_000, 520_000, 500_000, 530_000, 470_000, 510_000
    ])
    // The profiles are still read from the artifact beside the history.
    const files = Object.keys(fake.artifactFiles('nsys-bench-baseline', { runId: p3.runId }))
    expect(files.sort()).toEqual(['history.json.gz', 'run-1.json', 'run-2.json'])
    // Before the last four (212 … 236) five runs of 200 µs: +18 % over 4 merges, in the summary.
    expect(annotations(p3, 'warning')).toContainEqual(
      expect.stringContaining(`"${NORM}" drifted +18.0% over the last 4 merges`)
    )
    expect(p3.summary).toContain('#### Drifts over the last merges (1)')
    expect(p3.summary).toContain(
      `| \`${NORM}\` | GPU kernels | 🔴 +18.0% | 4 merges | 200.00 µs → 236.00 µs |`
    )

    // The pull request: gemm +8 % (steady history: the fixed 5 % applies), flash +13.7 % (inside
    // its ±17.79 % band of 9 runs: not a regression), the hostile kernel −6.7 % (improved).
    const dir = path.join(work, 'pr')
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, 'head.json'), profileJson(us([1080, 580, 236, 280])))
    const pr = prEvent(fake, { number: 21 })
    const r = await bench(
      {},
      {
        fake,
        cwd: dir,
        event: pr,
        inputs: { 'profile-path': 'head.json', threshold: 'auto' }
      }
    )
    expectExit(r, 1)
    expect(r.outputs.verdict).toBe('regression')
    expect(r.outputs['baseline-run-id']).toBe(String(p3.runId))
    const [comment] = fake.comments(21)
    const body = comment?.body ?? ''
    expect(body.startsWith(MARKER)).toBe(true)
    expect(body).toContain(
      'History: last 9 runs on `main`, same GPU (NVIDIA H100 80GB HBM3), nsys 2024 · limits: `threshold: auto`.'
    )
    const regressions = /#### Regressions \(1\)\n\n([^]*?)\n\n/.exec(body)?.[1] ?? ''
    expect(regressions).toContain('| Limit | Trend |')
    // gemm: nine runs at 1 ms (▁), the head at 1.08 ms (█); its band is 0 %, so the fixed 5 %;
    // its share of the base: 1000 / (1000 + 510 + 236 + 300) µs = 48.9 %.
    expect(regressions).toContain(
      `| \`${GEMM}\` | 1.00 ms | 1.08 ms | +80.00 µs | +8.0% | 10 | 48.9% | ±5% (fixed; band ±0% of 9 runs) | \`▁▁▁▁▁▁▁▁▁→█\` |`
    )
    expect(regressions).not.toContain(FLASH)
    // The hostile name improved: flat history at 300 µs (█), the head lower (▁); in a code span.
    const improvements = /#### Improvements \(1\)\n\n([^]*?)\n\n/.exec(body)?.[1] ?? ''
    const span = '``evil_`\\|<img src=x onerror=alert(1)>@team``'
    expect(improvements).toContain(`| ${span} |`)
    expect(improvements).toContain('`█████████→▁`')
    // Every `<img` of the comment is inside that code span: none is live HTML.
    expect(body.split('<img').length).toBe(body.split(span).length)
    // flash is unchanged under its auto limit, and the record says where the limit came from.
    const report = fake.artifactFiles('nsys-bench-report', { runId: r.runId })
    const record = JSON.parse(text(report, 'comparison.json')) as {
      history: unknown
      tables: {
        kernels: {
          items: {
            name: string
            status: string
            threshold: number
            limit: unknown
            history: unknown
          }[]
        }
      }
    }
    const flash = record.tables.kernels.items.find((i) => i.name === FLASH)
    expect(flash).toMatchObject({
      status: 'unchanged',
      threshold: 17.79,
      limit: { source: 'history', runs: 9, bandPct: 17.79 },
      history: {
        values: [500_000, 460_000, 540_000, 480_000, 520_000, 500_000, 530_000, 470_000, 510_000],
        runs: 9
      }
    })
    // The HTML report has the trends too: the data of an item's trend chart (details.ts `tr`).
    expect(text(report, 'report.html')).toMatch(/"tr":\{"v":\[/)
    expect(record.history).toEqual({
      total: 9,
      comparable: 9,
      fingerprint: { gpu: H100, profiler: 'nsys', major: '2024', naming: 'demangled' },
      branch: 'main'
    })
  })

  test('a corrupt history is a warning and a fresh history, never a failure', async () => {
    seedBaseline(fake, {
      'run-1.json': profileJson(us([1000, 500, 200, 300])),
      'history.json.gz': Buffer.from('not gzip at all')
    })
    const r = await push(7, [1000, 500, 200, 300])
    expect(annotations(r, 'warning')).toContainEqual(
      expect.stringContaining("the baseline's history was left out")
    )
    const h = savedHistory(r.runId)
    expect(h.runs.map((x) => x.sha)).toEqual([hex(7)])
  })

  test('a kernel whose key is longer than a history holds is left out of it, with a warning; the rest is saved', async () => {
    seedBaseline(fake, { 'run-1.json': profileJson(us([1000, 500, 200, 300])) })
    // A templated name of 10,050 characters: past the 10,000 a history file holds for a key.
    const long = `cutlass_kernel<${'x'.repeat(10_034)}>`
    const dir = path.join(work, 'long-key')
    await rm(dir, { recursive: true, force: true })
    await mkdir(dir, { recursive: true })
    await writeFile(
      path.join(dir, 'a.json'),
      profileJson({ ...us([1000, 500, 200, 300]), [long]: 50_000 })
    )
    const r = await bench(
      {},
      {
        fake,
        cwd: dir,
        event: pushEvent(fake, hex(9)),
        inputs: { 'profile-path': 'a.json', threshold: 'auto' }
      }
    )
    expectExit(r, 0)
    const warnings = annotations(r, 'warning').filter((w) => w.includes('not kept in the history'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('One item has a key longer than 10,000 characters')
    expect(warnings[0]).toContain('cutlass_kernel<xxx')
    const h = savedHistory(r.runId)
    expect(h.runs.map((x) => x.sha)).toEqual([hex(9)])
    expect(Object.keys(h.tables.kernels).sort()).toEqual([...KERNELS].sort())
  })

  test('a baseline without history (an older one) starts one', async () => {
    seedBaseline(fake, { 'run-1.json': profileJson(us([1000, 500, 200, 300])) })
    const r = await push(8, [1000, 500, 200, 300])
    expect(annotations(r, 'warning').filter((w) => w.includes('history'))).toEqual([])
    expect(r.summary).toContain('threshold: auto, but the baseline has no history')
    expect(savedHistory(r.runId).runs).toHaveLength(1)
  })
})

describe('a newer baseline that cannot be downloaded', () => {
  test('the push compares with the older one and says that the history it saves misses the newer run', async () => {
    const older = seedBaseline(
      fake,
      { 'run-1.json': profileJson(us([1000, 500, 212, 300])), 'history.json.gz': seededHistory() },
      { headSha: seededRuns[5]?.sha }
    )
    // The newer baseline's history: the seeded six runs and its own (sha 7777…).
    const newerSha = '7'.repeat(40)
    const withNewer = JSON.parse(gunzipSync(seededHistory()).toString('utf8')) as HistoryJson
    withNewer.runs.push({ ...seededRuns[5]!, sha: newerSha })
    for (const series of Object.values(withNewer.tables.kernels)) {
      series.v.push(series.v.at(-1)!)
      series.s.push(0)
      series.n.push(10)
    }
    const newer = seedBaseline(
      fake,
      {
        'run-1.json': profileJson(us([1000, 500, 212, 300])),
        'history.json.gz': gzipSync(JSON.stringify(withNewer))
      },
      { headSha: newerSha }
    )
    // The newest baseline's download fails (once: the action does not come back to it).
    fake.fail({ method: 'GET', path: /\/actions\/artifacts\/\d+\/zip$/, status: 404, times: 1 })

    const r = await push(1, [1000, 500, 212, 300])
    expect(r.outputs['baseline-run-id']).toBe(String(older.runId))
    const warnings = annotations(r, 'warning')
    expect(warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^The history saved with this baseline goes on from run ${older.runId} \\(${seededRuns[5]!.sha.slice(0, 7)}\\): a newer baseline could not be downloaded \\(could not download nsys-bench-baseline from run ${newer.runId} \\(7777777\\)`
        )
      )
    )
    expect(warnings).toContainEqual(expect.stringContaining('so its run is missing from it'))
    // What was saved: the older baseline's six runs and this push, not the newer run.
    expect(savedHistory(r.runId).runs.map((x) => x.sha)).toEqual([
      ...seededRuns.map((x) => x.sha),
      hex(1)
    ])
  })
})
