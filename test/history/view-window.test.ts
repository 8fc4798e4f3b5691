import { describe, expect, it } from 'vitest'
import { historyView } from '../../src/history/view.js'
import type { History, HistoryRun } from '../../src/history/model.js'

const FP = { gpu: 'G', profiler: 'nsys', major: '2024', naming: 'demangled' }
const run = (n: number): HistoryRun => ({
  sha: `sha${n}`,
  date: `2026-11-0${n}T00:00:00.000Z`,
  repetitions: 1,
  ...FP
})

describe('a history view of a window of runs', () => {
  const history: History = {
    runs: [run(1), run(2), run(3)],
    tables: {
      kernels: new Map([
        ['k', { name: 'k', value: [1, 2, 3], spread: [0, 0, 0], count: [1, 1, 1] }]
      ])
    }
  }

  it('of 0 runs uses none (slice(-0) is the whole list)', () => {
    const view = historyView(history, FP, { window: 0 })
    expect(view.comparable).toBe(0)
    expect(view.series('kernels', 'k')).toEqual([])
  })
})
