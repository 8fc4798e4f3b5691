import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import { ChromeTraceReader } from '../../src/parse/chrome/reader.js'
import { FIXTURES } from '../support/paths.js'

/**
 * The same kernels read twice from one run summed them twice (+100 % kernel time) with no more
 * than a warning: a trace whose `traceEvents` is written twice, and one trace kept plain and
 * compressed in a run's directory. Expected values come from the inputs, counted by hand or by
 * JSON.parse here.
 */
const kernel = (name: string, ts: string, dur: string): string =>
  `{"ph": "X", "cat": "kernel", "name": "${name}", "pid": 0, "tid": 7, "ts": ${ts}, "dur": ${dur}, "args": {"stream": 7, "device": 0, "correlation": 35}}`

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nsys-bench-chrome-'))
}

describe('the same events read twice', () => {
  it('refuses a trace whose "traceEvents" is written twice (JSON.parse keeps the last: summing both doubles it)', async () => {
    const text = `{"traceEvents": [${kernel('a', '1', '2')}], "traceEvents": [${kernel('a', '1', '2')}]}`
    // What a JSON reader makes of it: one kernel of 2 µs.
    const parsed = JSON.parse(text) as { traceEvents: unknown[] }
    expect(parsed.traceEvents).toHaveLength(1)
    const path = join(tempDir(), 'twice.json')
    writeFileSync(path, text)
    await expect(loadInput(path)).rejects.toThrow(/"traceEvents" written twice/)
    // Whatever the chunks: one byte at a time too.
    const reader = new ChromeTraceReader(() => undefined)
    expect(() => {
      for (const byte of Buffer.from(text)) reader.push(Buffer.from([byte]))
      reader.finish()
    }).toThrow(/"traceEvents" written twice/)
    // Once is read as ever.
    const once = join(tempDir(), 'once.json')
    writeFileSync(once, `{"traceEvents": [${kernel('a', '1', '2')}], "traceName": "x"}`)
    const [profile] = await loadInput(once)
    expect(profile?.tables.kernels?.get('a')).toMatchObject({ total: 2000, instances: 1 })
  })

  it('refuses one trace kept plain and compressed in a run directory, rather than reading it as two ranks', async () => {
    // A real single-GPU trace (no distributedInfo: nothing names a rank).
    const real = JSON.parse(
      gunzipSync(
        readFileSync(
          join(
            FIXTURES,
            'corpus',
            'traces',
            'HTA_tests-data_critical_path_simple_add_trace.json.gz'
          )
        )
      ).toString('utf8')
    ) as { distributedInfo?: unknown; traceEvents: { ph?: string; cat?: string; dur?: number }[] }
    delete real.distributedInfo
    const text = JSON.stringify(real)
    const dir = tempDir()
    writeFileSync(join(dir, 'worker0.pt.trace.json'), text)
    writeFileSync(join(dir, 'worker0.pt.trace.json.gz'), gzipSync(text))
    await expect(loadInput(dir)).rejects.toThrow(
      /worker0\.pt\.trace\.json" and ".*worker0\.pt\.trace\.json\.gz" hold the same trace/
    )
    // Alone, the directory's run is the trace's kernels once.
    const single = tempDir()
    writeFileSync(join(single, 'worker0.pt.trace.json.gz'), gzipSync(text))
    const [run] = await loadInput(single)
    const want = real.traceEvents
      .filter((e) => e.ph === 'X' && e.cat === 'kernel')
      .reduce((sum, e) => sum + (e.dur ?? 0) * 1000, 0)
    const got = [...(run?.tables.kernels?.values() ?? [])].reduce((sum, s) => sum + s.total, 0)
    expect(got).toBeCloseTo(want, 0)
  })
})
