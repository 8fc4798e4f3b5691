import { describe, expect, it } from 'vitest'
import { checkGoals, goalTable, type Result } from '../../bench/goals.js'

/** A result as bench/run.js records it; figures set by hand. */
function result(id: string, ms: number, rss: number, extra: Partial<Result> = {}): Result {
  return { id, name: id, input: '', ms, rss, peers: {}, ...extra }
}

describe("the bench's goal check", () => {
  it('holds each goal to its line, from one run', () => {
    const verdicts = checkGoals([
      result('node', 50, 39),
      result('compare-realistic-5-json', 100, 69),
      result('compare-extreme-json', 999, 200),
      result('compare-extreme-markdown', 1000, 199),
      result('compare-extreme-profile-json', 1001, 210),
      result('summarize-trace', 600, 150, {
        name: 'summarize cuda_gpu_trace, 2,000,000 rows',
        peers: { duckdb: { ms: 600, rss: 235 } }
      }),
      result('summarize-chrome-trace', 1500, 121, { input: '300.0 MB' })
    ])
    const held = Object.fromEntries(verdicts.map((v) => [`${v.goal} ${v.figure}`, v.held]))
    expect(held).toEqual({
      'compare 20,000 kernels × 10 runs (json): under 1 s (8) 999 ms': true,
      'the same: peak RSS under 200 MB (8) 200 MB': false,
      'compare 20,000 kernels × 10 runs (markdown): under 1 s (8) 1,000 ms': false,
      'the same: peak RSS under 200 MB (8) 199 MB': true,
      'the same from profile JSONs: no slower than from CSV (8) 1.00× the CSV run': false,
      'compare 400 kernels × 5 runs: within 2× of node -e 0 (8) 2.00× (100 ms)': true,
      "GPU trace, 2,000,000 rows: at least DuckDB's pace (8, 9) 600 ms, DuckDB 600 ms: 1.00×": true,
      'GPU trace, 2,000,000 rows: peak RSS under 150 MB (9) 150 MB': false,
      // 300 MB in 1.5 s.
      'PyTorch trace (300.0 MB): at least 200 MB/s (10) 200 MB/s': true,
      'the same: peak RSS under 200 MB (10) 121 MB': true
    })
    expect(goalTable(verdicts, 'v24.0.0')).toContain('this run with Node v24.0.0: 6 of 10 held')
  })

  it('decides a close call on its paired rounds, either way', () => {
    const verdicts = checkGoals([
      result('compare-extreme-json', 1000, 180),
      // 1.05× the CSV run in the first rounds; 0.98× when the two ran alone, in turn.
      result('compare-extreme-profile-json', 1050, 180, {
        pairedWith: { id: 'compare-extreme-json', rounds: 7, ours: 980, other: 1000 }
      }),
      // At DuckDB's pace in the first rounds; 1.04× its time in the paired ones.
      result('summarize-trace-5m', 970, 106, {
        name: 'summarize cuda_gpu_trace, 5 million rows',
        peers: { duckdb: { ms: 1000, rss: 234, paired: { rounds: 7, ours: 1040, other: 1000 } } }
      })
    ])
    const byGoal = Object.fromEntries(verdicts.map((v) => [v.goal, v]))
    expect(byGoal['the same from profile JSONs: no slower than from CSV (8)']).toEqual({
      goal: 'the same from profile JSONs: no slower than from CSV (8)',
      figure: '1.05× the CSV run; 0.98× in 7 paired rounds',
      held: true
    })
    expect(byGoal["GPU trace, 5 million rows: at least DuckDB's pace (8, 9)"]).toEqual({
      goal: "GPU trace, 5 million rows: at least DuckDB's pace (8, 9)",
      figure: '970 ms, DuckDB 1,000 ms: 0.97×; 1.04× in 7 paired rounds',
      held: false
    })
  })

  it('decides the realistic compare on its rounds paired with node -e 0', () => {
    // 2.2× Node's start as measured apart (Node had a quick round); 1.9× in the paired rounds.
    const goal = (pairedWith?: Result['pairedWith']): { figure: string; held: boolean } =>
      checkGoals([
        result('node', 50, 39),
        result('compare-realistic-5-json', 110, 69, pairedWith ? { pairedWith } : {})
      ]).find((v) => v.goal.startsWith('compare 400 kernels'))!
    expect(goal({ id: 'node', rounds: 21, ours: 114, other: 60 })).toMatchObject({
      figure: '2.20× (110 ms); 1.90× in 21 paired rounds',
      held: true
    })
    expect(goal({ id: 'node', rounds: 21, ours: 130, other: 60 })).toMatchObject({ held: false })
    expect(goal()).toMatchObject({ figure: '2.20× (110 ms)', held: false })
  })

  it('takes paired rounds only against the run they were measured with', () => {
    const [verdict] = checkGoals([
      result('compare-extreme-json', 1000, 180),
      result('compare-extreme-profile-json', 1050, 180, {
        pairedWith: { id: 'compare-realistic-json', rounds: 7, ours: 10, other: 100 }
      })
    ]).filter((v) => v.goal.startsWith('the same from profile JSONs'))
    expect(verdict).toMatchObject({ figure: '1.05× the CSV run', held: false })
  })

  it('leaves out the goals whose scenario or peer did not run', () => {
    const verdicts = checkGoals([
      result('summarize-trace-1m', 500, 104, { name: 'summarize cuda_gpu_trace, 1 million rows' })
    ])
    expect(verdicts.map((v) => v.goal)).toEqual([
      'GPU trace, 1 million rows: peak RSS under 150 MB (9)'
    ])
  })
})
