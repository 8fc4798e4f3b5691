import { describe, expect, it } from 'vitest'
import { idleReference } from '../support/idle-reference.js'
import { seededRandom } from '../support/random.js'
import { TimelineAnalysis } from '../../src/analyze/timeline.js'
import type { TraceEvent } from '../../src/profile/events.js'

describe('check: idle sweep against brute force', () => {
  for (const ordered of [false, true])
    it(`random intervals, several devices, ordered=${ordered}`, () => {
      for (let seed = 1; seed <= 200; seed++) {
        const r = seededRandom(seed)
        const n = 1 + Math.floor(r() * 60)
        const byDev = new Map<number, [number, number][]>()
        const events: TraceEvent[] = []
        for (let i = 0; i < n; i++) {
          const device = Math.floor(r() * 3)
          const start = Math.floor(r() * 3_000_000)
          const dur = r() < 0.2 ? 0 : Math.floor(r() * 200_000)
          events.push({
            kind: r() < 0.8 ? 'kernel' : 'memcpy',
            name: `k${i}`,
            start,
            duration: dur,
            device,
            stream: Math.floor(r() * 3)
          })
          const list = byDev.get(device) ?? []
          list.push([start, start + dur])
          byDev.set(device, list)
        }
        if (ordered) events.sort((a, b) => a.start - b.start)
        const t = new TimelineAnalysis(ordered)
        for (const e of events) t.add(e)
        const res = t.finish()
        for (const d of res.timeline.devices) {
          const b = idleReference(byDev.get(d.device)!)
          const ctx = `seed ${seed} device ${d.device}`
          expect(d.window, ctx).toBe(b.window)
          expect(d.busy, ctx).toBe(b.busy)
          expect(d.idle, ctx).toBe(b.window - b.busy)
          expect(d.late, ctx).toBe(0)
          const counts = [0, 0, 0, 0]
          const totals = [0, 0, 0, 0]
          for (const g of b.gaps) {
            const c = g <= 10_000 ? 0 : g <= 100_000 ? 1 : g <= 1_000_000 ? 2 : 3
            counts[c]! += 1
            totals[c]! += g
          }
          expect(
            d.gaps.map((g) => g.count),
            ctx
          ).toEqual(counts)
          expect(
            d.gaps.map((g) => g.total),
            ctx
          ).toEqual(totals)
        }
      }
    })
})

describe('check: idle sweep, long nearly ordered streams', () => {
  for (const ordered of [false, true])
    it(`100k activities with local disorder, ordered=${ordered}`, () => {
      const r = seededRandom(7)
      const evs: [number, number, number][] = []
      let t = 0
      for (let i = 0; i < 100_000; i++) {
        t += Math.floor(r() * 3000)
        evs.push([t, Math.floor(r() * 5000), Math.floor(r() * 2)])
      }
      // shuffle within blocks of 50
      for (let i = 0; i + 50 <= evs.length; i += 50)
        for (let j = i + 49; j > i; j--) {
          const k = i + Math.floor(r() * (j - i + 1))
          ;[evs[j], evs[k]] = [evs[k]!, evs[j]!]
        }
      const a = new TimelineAnalysis(ordered)
      for (const [s, d, dev] of evs)
        a.add({ kind: 'kernel', name: 'k', start: s, duration: d, device: dev, stream: 1 })
      const res = a.finish()
      for (const d of res.timeline.devices) {
        const b = idleReference(
          evs.filter((e) => e[2] === d.device).map((e) => [e[0], e[0] + e[1]])
        )
        if (!ordered) expect(d.late).toBe(0)
        if (d.late === 0) {
          expect(d.busy).toBe(b.busy)
          expect(d.window).toBe(b.window)
        }
        const cnt = [0, 0, 0, 0]
        for (const g of b.gaps)
          cnt[g <= 10_000 ? 0 : g <= 100_000 ? 1 : g <= 1_000_000 ? 2 : 3]! += 1
        if (d.late === 0) expect(d.gaps.map((g) => g.count)).toEqual(cnt)
      }
    })
})

describe('check: gap class boundaries', () => {
  it('a gap of exactly 10 µs, 100 µs or 1 ms is in the class below; 1 ns more moves it up', () => {
    const gaps = [10_000, 10_001, 100_000, 100_001, 1_000_000, 1_000_001, 0, 1]
    const a = new TimelineAnalysis(true)
    let t = 0
    a.add({ kind: 'kernel', name: 'k', start: t, duration: 100, device: 0, stream: 1 })
    t += 100
    for (const g of gaps) {
      t += g
      a.add({ kind: 'kernel', name: 'k', start: t, duration: 100, device: 0, stream: 1 })
      t += 100
    }
    const d = a.finish().timeline.devices[0]!
    // 0 touches (no gap); 1 ns, 10 µs → first; 10 001, 100 000 → second; …
    expect(d.gaps.map((g) => g.count)).toEqual([2, 2, 2, 1])
    expect(d.gaps.map((g) => g.total)).toEqual([10_001, 110_001, 1_100_001, 1_000_001])
    expect(d.idle).toBe(gaps.reduce((x, y) => x + y, 0))
  })
})

describe('check: figures that are not exact say so (late > 0)', () => {
  it('blocks of streams written apart, past the reorder buffer', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = seededRandom(seed)
      for (const ordered of [false, true]) {
        const evs: [number, number][] = []
        // stream A then stream B written after it, each sorted: B goes back in time by up to 40k activities
        const block = 10_000 + Math.floor(r() * 30_000)
        for (let s = 0; s < 2; s++) {
          let t = Math.floor(r() * 1000)
          for (let i = 0; i < block; i++) {
            t += Math.floor(r() * 4000)
            evs.push([t, Math.floor(r() * 3000)])
          }
        }
        const a = new TimelineAnalysis(ordered)
        for (const [s, d] of evs)
          a.add({ kind: 'kernel', name: 'k', start: s, duration: d, device: 0, stream: 1 })
        const d = a.finish().timeline.devices[0]!
        const b = idleReference(evs.map((e) => [e[0], e[0] + e[1]]))
        const exactNow = d.busy === b.busy && d.window === b.window
        if (!exactNow) expect(d.late, `seed ${seed} ordered ${ordered}`).toBeGreaterThan(0)
      }
    }
  })
})
