import { describe, expect, it } from 'vitest'
import { DurationSketch, RELATIVE_ERROR } from '../../src/profile/sketch.js'

function exact(values: number[], q: number): number {
  const s = values.map((v) => Math.round(v)).sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((Math.round(q * 1000) * s.length) / 1000))
  return s[rank - 1]!
}

const cases: [string, number[]][] = [
  ['one', [1234]],
  ['zero', [0]],
  ['one ns', [1, 1, 1]],
  ['all equal', Array(1000).fill(5555)],
  ['two spikes', [...Array(899).fill(100), ...Array(101).fill(1e9)]],
  ['two spikes p99 edge', [...Array(990).fill(3), ...Array(10).fill(7e12)]],
  ['heavy tail', Array.from({ length: 10000 }, (_, i) => Math.floor(1000 / (1 - i / 10001) ** 2))],
  ['huge', [2 ** 40 - 1, 2 ** 40, 2 ** 52 + 3, 2 ** 60, 9e18]],
  ['powers', Array.from({ length: 64 }, (_, i) => 2 ** i)],
  ['powers minus one', Array.from({ length: 64 }, (_, i) => 2 ** i - 1)],
  ['fractional', [0.4, 0.6, 1.5, 127.5, 128.49, 255.5]]
]

describe('check: sketch quantiles against an exact sort', () => {
  for (const [name, values] of cases)
    it(name, () => {
      const sk = new DurationSketch()
      for (const v of values) sk.add(v)
      const got = sk.quantiles([0.5, 0.9, 0.99])
      ;[0.5, 0.9, 0.99].forEach((q, i) => {
        const e = exact(values, q)
        const err = e === 0 ? got[i]! : Math.abs(got[i]! - e) / e
        expect(err, `${name} q=${q} exact ${e} got ${got[i]}`).toBeLessThanOrEqual(
          RELATIVE_ERROR * (1 + 1e-12)
        )
      })
      // round-trip
      const rt = DurationSketch.fromArray(sk.toArray())
      expect(rt.quantiles([0.5, 0.9, 0.99])).toEqual(got)
    })
  it('random', () => {
    let x = 12345
    const r = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(r() * 300)
      const vals = Array.from({ length: n }, () => Math.floor(2 ** (r() * 45)))
      const sk = new DurationSketch()
      for (const v of vals) sk.add(v)
      const got = sk.quantiles([0.5, 0.9, 0.99])
      ;[0.5, 0.9, 0.99].forEach((q, i) => {
        const e = exact(vals, q)
        const err = e === 0 ? got[i]! : Math.abs(got[i]! - e) / e
        expect(err, `t${t} q=${q} exact ${e} got ${got[i]}`).toBeLessThanOrEqual(
          RELATIVE_ERROR * (1 + 1e-12)
        )
      })
    }
  })
})
