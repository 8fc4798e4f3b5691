import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'

function ns(text: string): bigint {
  const [int, frac = ''] = text.split('.')
  return BigInt(int!) * 1000n + BigInt((frac + '000').slice(0, 3))
}

const DIR = 'test/fixtures/corpus/traces'
const KINDS = new Set(['kernel', 'gpu_memcpy', 'memcpy', 'gpu_memset', 'memset'])

describe('check: Chrome corpus traces, idle against an independent reader', () => {
  for (const file of readdirSync(DIR).filter((f) => /json/.test(f)))
    it(file, async () => {
      const raw = readFileSync(join(DIR, file))
      const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8')
      const json = JSON.parse(text.replace(/"(ts|dur)"\s*:\s*(-?[0-9.]+)/g, '"$1":"$2"')) as unknown
      const events = (
        Array.isArray(json) ? json : (json as { traceEvents: unknown[] }).traceEvents
      ) as {
        cat?: string
        ph?: string
        ts?: string
        dur?: string
        args?: { device?: number }
      }[]
      const byDev = new Map<number, [bigint, bigint][]>()
      for (const e of events) {
        if (!e || e.ph !== 'X' || !KINDS.has((e.cat ?? '').toLowerCase())) continue
        const d = e.args?.device ?? 0
        const list = byDev.get(d) ?? []
        const ts = ns(e.ts!)
        list.push([ts, ts + ns(e.dur ?? '0')])
        byDev.set(d, list)
      }
      const runs = await loadInput(join(DIR, file), { captures: 'runs' })
      const tl = runs.find((p) => p.timeline)?.timeline
      if (byDev.size === 0) return
      expect(tl).toBeDefined()
      const got = tl!.devices.map((d) => [d.busy, d.window, d.gaps.map((g) => g.count), d.late])
      const t0 = [...byDev.values()].flat().reduce((m, x) => (x[0] < m ? x[0] : m), 2n ** 200n)
      const want = [...byDev.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([, big]) => {
          const iv = big.map(([a, b]) => [Number(a - t0), Number(b - t0)] as [number, number])
          iv.sort((a, b) => a[0] - b[0])
          let busy = 0
          const counts = [0, 0, 0, 0]
          let [s, e] = iv[0]!
          for (const [a, b] of iv.slice(1)) {
            if (a > e) {
              busy += e - s
              const g = a - e
              counts[g <= 10_000 ? 0 : g <= 100_000 ? 1 : g <= 1_000_000 ? 2 : 3]! += 1
              s = a
              e = b
            } else e = Math.max(e, b)
          }
          busy += e - s
          return [busy, e - iv[0]![0], counts, 0]
        })
      console.log(file, JSON.stringify(got), JSON.stringify(want))
      expect(got.length).toBe(want.length)
      got.forEach((g, i) => {
        expect(Math.abs((g[0] as number) - (want[i]![0] as number))).toBeLessThan(5)
        expect(Math.abs((g[1] as number) - (want[i]![1] as number))).toBeLessThan(5)
        expect(g[2]).toEqual(want[i]![2])
        expect(g[3]).toBe(0)
      })
    })
})
