import { describe, expect, it } from 'vitest'
import { RangeKernels } from '../../src/analyze/range-kernels.js'
import type { TraceEvent } from '../../src/profile/events.js'

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

interface R {
  name: string
  start: number
  end: number
  thread: number
}
interface L {
  corr: number
  thread: number
  start: number
  dur: number
  kname: string
  kstart: number
  kdur: number
  mem: boolean
}

describe('check: ranges projected onto the GPU, against brute force', () => {
  it('random nested and overlapping ranges', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed)
      const ranges: R[] = []
      const nr = 1 + Math.floor(r() * 12)
      for (let i = 0; i < nr; i++) {
        const start = Math.floor(r() * 1000)
        ranges.push({
          name: `r${Math.floor(r() * 4)}`,
          start,
          end: start + Math.floor(r() * 600),
          thread: Math.floor(r() * 2)
        })
      }
      const launches: L[] = []
      const nl = Math.floor(r() * 30)
      for (let i = 0; i < nl; i++) {
        const start = Math.floor(r() * 1200)
        launches.push({
          corr: i + 1,
          thread: Math.floor(r() * 2),
          start,
          dur: 1 + Math.floor(r() * 10),
          kname: `k${Math.floor(r() * 3)}`,
          kstart: Math.floor(r() * 100000),
          kdur: Math.floor(r() * 500),
          mem: r() < 0.2
        })
      }
      const rk = new RangeKernels()
      for (const g of ranges)
        rk.add({
          kind: 'annotation',
          name: g.name,
          start: g.start,
          duration: g.end - g.start,
          thread: g.thread
        })
      for (const l of launches) {
        const api: TraceEvent = {
          kind: 'api',
          name: 'cudaLaunchKernel',
          start: l.start,
          duration: l.dur,
          thread: l.thread,
          correlation: l.corr
        }
        const k: TraceEvent = {
          kind: l.mem ? 'memcpy' : 'kernel',
          name: l.kname,
          start: l.kstart,
          duration: l.kdur,
          correlation: l.corr,
          device: 0
        }
        if (r() < 0.5) {
          rk.add(api)
          rk.add(k)
        } else {
          rk.add(k)
          rk.add(api)
        }
      }
      // brute force projection
      const proj = new Map<string, { total: number; n: number }>()
      const kern = new Map<string, { total: number; n: number }>()
      const occ = new Map<string, Set<R>>()
      for (const g of ranges) {
        const inside = launches.filter(
          (l) => l.thread === g.thread && l.start >= g.start && l.start + l.dur <= g.end
        )
        if (inside.length === 0) continue
        const from = Math.min(...inside.map((l) => l.kstart))
        const to = Math.max(...inside.map((l) => l.kstart + l.kdur))
        const p = proj.get(g.name) ?? { total: 0, n: 0 }
        p.total += to - from
        p.n += 1
        proj.set(g.name, p)
      }
      for (const l of launches) {
        if (l.mem) continue
        const around = ranges.filter(
          (g) => l.thread === g.thread && l.start >= g.start && l.start + l.dur <= g.end
        )
        const names = new Set(around.map((g) => g.name))
        for (const n of names) {
          const outer = around
            .filter((g) => g.name === n)
            .sort((a, b) => a.start - b.start || b.end - a.end)[0]!
          const o = occ.get(`${n} › ${l.kname}`) ?? new Set<R>()
          o.add(outer)
          occ.set(`${n} › ${l.kname}`, o)
          const key = `${n} › ${l.kname}`
          const e = kern.get(key) ?? { total: 0, n: 0 }
          e.total += l.kdur
          e.n += 1
          kern.set(key, e)
        }
      }
      const pt = rk.projection()!
      const kt = rk.table()!
      const got = new Map([...pt.values()].map((s) => [s.name, { total: s.total, n: s.instances }]))
      expect(got, `seed ${seed}`).toEqual(proj)
      const gotK = new Map(
        [...kt.values()].map((s) => [s.name, { total: s.total, n: s.instances }])
      )
      expect(gotK, `seed ${seed}`).toEqual(kern)
      const gotO = new Map([...kt.values()].map((s) => [s.name, s.occurrences]))
      expect(gotO, `seed ${seed}`).toEqual(new Map([...occ].map(([k, v]) => [k, v.size])))
    }
  })
})
