import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { buildRules } from '../../src/compare/rules.js'
import { appendRun, fingerprintOf, runEntry } from '../../src/history/append.js'
import { decodeHistory, encodeHistory } from '../../src/history/codec.js'
import { emptyHistory, type History, type HistoryRun } from '../../src/history/model.js'
import { historyView } from '../../src/history/view.js'
import { profile } from '../support/profiles.js'

/**
 * Whatever a run measured, the history written with its baseline must read back on the next push:
 * a file the writer makes and the reader refuses drops every run before it, on every push (the
 * history never grows past one run, and `threshold: auto` never gets a band).
 */

const rules = buildRules(undefined)

function run(n: number): HistoryRun {
  return {
    sha: `sha${n}`,
    date: `2026-11-0${n}T00:00:00.000Z`,
    gpu: 'G',
    profiler: 'nsys',
    major: '2024',
    naming: 'demangled',
    repetitions: 1
  }
}

/** The history after `n` pushes of the same profiles (one push a day), encoded and decoded each time, as the action does. */
function pushes(
  n: number,
  make: (i: number) => ReturnType<typeof profile>,
  date?: string
): History {
  let history = emptyHistory()
  for (let i = 1; i <= n; i++) {
    const entry = runEntry([make(i)], rules, {
      sha: `sha${i}`,
      date: date ?? `2026-11-${String(i).padStart(2, '0')}T00:00:00.000Z`
    })
    history = decodeHistory(encodeHistory(appendRun(history, entry, 50)), 'history.json.gz')
  }
  return history
}

describe('a history written with a baseline reads back', () => {
  it('when a kernel name is longer than a key the file holds (10,000 characters)', () => {
    // A templated kernel's demangled name (CUTLASS, Eigen) of 12,000 characters, beside a short one.
    const long = `void cutlass::Kernel<${'cute::tuple<int, int>, '.repeat(521)}>` // 12,000+ characters
    expect(long.length).toBeGreaterThan(10_000)
    const h = pushes(3, (i) => profile({ kernels: { gemm: 1000 + i, [long]: 50 } }))
    expect(h.runs.map((r) => r.sha)).toEqual(['sha1', 'sha2', 'sha3'])
    expect(h.tables.kernels?.get('gemm')?.value).toEqual([1001, 1002, 1003])
    // The long one cannot be kept under its key: it is left out, not the other kernels with it.
    expect([...(h.tables.kernels?.keys() ?? [])]).toEqual(['gemm'])
  })

  it('when a display name is longer than the file holds (its key is not)', () => {
    const name = `k(${'int, '.repeat(2500)}int)`
    const history: History = {
      runs: [run(1), run(2)],
      tables: {
        kernels: new Map([['k', { name, value: [7, 7], spread: [0, 0], count: [1, 1] }]])
      }
    }
    const back = decodeHistory(encodeHistory(history), 'h')
    expect(back.tables.kernels?.get('k')?.value).toEqual([7, 7])
    // The display name is cut to what the file holds: its start is kept.
    const shown = back.tables.kernels?.get('k')?.name ?? ''
    expect(shown.length).toBeLessThanOrEqual(10_000)
    expect(name.startsWith(shown.slice(0, -1))).toBe(true)
  })

  it('when the profile says it was made at a time that is not a date', () => {
    // A profile JSON made elsewhere keeps its `createdAt`, any string (mode: compare).
    const h = pushes(2, () => profile({ kernels: { k: 5 } }), '')
    expect(h.runs).toHaveLength(2)
    for (const run of h.runs) expect(Number.isNaN(Date.parse(run.date))).toBe(false)
    expect(h.tables.kernels?.get('k')?.value).toEqual([5, 5])
  })

  it('when the GPU name or the profiler version is over 1000 characters, and the runs stay comparable', () => {
    const gpu = `NVIDIA ${'H'.repeat(1500)}`
    const make = (): ReturnType<typeof profile> =>
      profile(
        { kernels: { k: 5 } },
        { gpus: [{ name: gpu }], profiler: { name: 'nsys', version: `${'9'.repeat(1200)}.1` } }
      )
    const h = pushes(6, make)
    expect(h.runs).toHaveLength(6)
    // The head is measured like the runs: its fingerprint matches theirs.
    const view = historyView(h, fingerprintOf(make()))
    expect(view.comparable).toBe(6)
    expect(view.series('kernels', 'k')).toEqual([5, 5, 5, 5, 5, 5])
  })

  it('when a value is past what the file holds (not finite, or over 2^53): that run reads as without it', () => {
    const history: History = {
      runs: [run(1), run(2), run(3)],
      tables: {
        // A derived table sums its members: two kernels of 2^52.6 ns make a category past 2^53.
        categories: new Map([
          [
            'GEMM',
            { name: 'GEMM', value: [10, 2 ** 54, Number.NaN], spread: [0, 0, 0], count: [1, 2, 3] }
          ],
          ['Other', { name: 'Other', value: [1, 2, 3], spread: [0, 0, 0], count: [1, 1, 1] }]
        ])
      }
    }
    const bytes = encodeHistory(history)
    // What the file says, read independently: runs 2 and 3 have no GEMM, all three measures null.
    const json = JSON.parse(gunzipSync(bytes).toString('utf8')) as {
      tables: { categories: Record<string, { v: unknown[]; s: unknown[]; n: unknown[] }> }
    }
    expect(json.tables.categories.GEMM).toEqual({
      v: [10, null, null],
      s: [0, null, null],
      n: [1, null, null]
    })
    const back = decodeHistory(bytes, 'h')
    expect(back.runs).toHaveLength(3)
    expect(back.tables.categories?.get('Other')?.value).toEqual([1, 2, 3])
    expect(back.tables.categories?.get('GEMM')?.value).toEqual([10, null, null])
  })

  it('when the length asked for is more than a file holds (500 runs): the newest 500 are kept', () => {
    let history = emptyHistory()
    for (let i = 1; i <= 501; i++)
      history = appendRun(
        history,
        {
          run: { ...run(1), sha: `sha${i}` },
          tables: { kernels: new Map([['k', { name: 'k', value: i, spread: 0, count: 1 }]]) }
        },
        1000
      )
    const back = decodeHistory(encodeHistory(history), 'h')
    expect(back.runs).toHaveLength(500)
    expect(back.runs[0]?.sha).toBe('sha2')
    expect(back.runs.at(-1)?.sha).toBe('sha501')
    expect(back.tables.kernels?.get('k')?.value[0]).toBe(2)
  })
})
