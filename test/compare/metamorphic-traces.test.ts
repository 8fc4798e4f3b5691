import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { compareRecord } from '../support/compare-cli.js'
import { propertyRuns } from '../support/property.js'

/**
 * The verdict of one run a side from a timeline, where compare tests kernels launch by launch
 * (docs/timeline.md): generated launches written as an nsys GPU trace (`cuda_gpu_trace` CSV), a
 * PyTorch profiler trace (Chrome trace JSON) and a rocprofv3 kernel trace, by the writers below,
 * through the CLI in process, the base as given or as the action keeps it (the profile JSON of
 * `summarize --json`, launch sketches included). The same launches are a pass; launches that
 * vary as launches do are a pass; a kernel 30 % or more slower in every launch (past the floor),
 * or launched twice as often, is a regression that names it; a kernel made faster never is.
 */

type Format = 'nsys' | 'chrome' | 'rocprof'

const NAMES = [
  'void gemm_kernel<float, 128>(float const*, float*, int)',
  'ampere_bf16_s16816gemm_bf16_128x128_ldg8_f2f_stages_64x3_tn',
  'void flash_fwd_kernel<Flash_fwd_kernel_traits<128, 64, 64, 4, false, false, cutlass::half_t>, true>(Flash_fwd_params)',
  'void rms_norm_kernel<c10::Half>(c10::Half*, c10::Half const*, float, int)',
  'triton_poi_fused_add_mul_0',
  'kernel_ünïcödé_λ, with a comma'
]

interface Kernel {
  name: string
  /** Nanoseconds a launch, before its noise. */
  duration: number
}

interface Workload {
  kernels: Kernel[]
  iterations: number
}

const workloads: fc.Arbitrary<Workload> = fc
  .uniqueArray(fc.integer({ min: 0, max: NAMES.length - 1 }), { minLength: 2, maxLength: 5 })
  .chain((picked) =>
    fc.record({
      kernels: fc.tuple(
        ...picked.map((i) =>
          fc.record({
            name: fc.constant(NAMES[i]!),
            duration: fc.integer({ min: 5_000, max: 500_000 })
          })
        )
      ),
      iterations: fc.integer({ min: 40, max: 120 })
    })
  )

interface Launch {
  name: string
  start: number
  duration: number
}

/**
 * The launches of a run: every iteration launches each kernel once, in order, 2 µs apart on one
 * stream. Each launch's duration varies by ±`spread` (a deterministic draw from `seed`); `slow`
 * multiplies one kernel's.
 */
function launches(
  w: Workload,
  seed: number,
  spread: number,
  slow?: { kernel: number; by: number },
  twice?: number
): Launch[] {
  let state = seed >>> 0 || 1
  const next = (): number => {
    // xorshift32: the same launches for the same seed.
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
  const out: Launch[] = []
  let start = 1_000_000_000
  for (let i = 0; i < w.iterations; i++) {
    w.kernels.forEach((k, index) => {
      const by = slow?.kernel === index ? slow.by : 1
      for (let again = 0; again < (twice === index ? 2 : 1); again++) {
        const duration = Math.max(
          1_000,
          Math.round(k.duration * by * (1 + spread * (2 * next() - 1)))
        )
        out.push({ name: k.name, start, duration })
        start += duration + 2_000
      }
    })
  }
  return out
}

const TRACE_HEADER =
  'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'

/** A GPU trace as nsys 2023+ writes it (`nsys stats -r cuda_gpu_trace --format csv`). */
function nsysTrace(run: readonly Launch[]): string {
  const rows = run.map(
    (l, i) =>
      `${l.start},${l.duration},${i},108,1,1,256,1,1,32,0.000,0.049,,,,,NVIDIA H100 80GB HBM3 (0),1,,7,${l.name.includes(',') ? `"${l.name}"` : l.name}`
  )
  return `${TRACE_HEADER}\n${rows.join('\n')}\n`
}

/** A kernel trace as rocprofv3 writes it (`--kernel-trace --output-format csv`, ROCm 6.2 columns). */
function rocprofTrace(run: readonly Launch[]): string {
  const ids = new Map<string, number>()
  const rows = run.map((l, i) => {
    const id = ids.get(l.name) ?? ids.size + 1
    ids.set(l.name, id)
    const name = `"${l.name.replaceAll('"', '""')}"`
    return `"KERNEL_DISPATCH",8,1,4242,${i + 1},${id},${name},${i + 1},${l.start},${l.start + l.duration},0,0,256,1,1,27648,1,1`
  })
  return `"Kind","Agent_Id","Queue_Id","Thread_Id","Dispatch_Id","Kernel_Id","Kernel_Name","Correlation_Id","Start_Timestamp","End_Timestamp","Private_Segment_Size","Group_Segment_Size","Workgroup_Size_X","Workgroup_Size_Y","Workgroup_Size_Z","Grid_Size_X","Grid_Size_Y","Grid_Size_Z"\n${rows.join('\n')}\n`
}

/** A PyTorch profiler trace: kernel events in µs, as Kineto writes them. */
function chromeTrace(run: readonly Launch[]): string {
  const events = run.map((l, i) => ({
    ph: 'X',
    cat: 'kernel',
    name: l.name,
    pid: 0,
    tid: 7,
    ts: l.start / 1000,
    dur: l.duration / 1000,
    args: { device: 0, stream: 7, correlation: i, grid: [108, 1, 1], block: [256, 1, 1] }
  }))
  return JSON.stringify({
    schemaVersion: 1,
    deviceProperties: [{ id: 0, name: 'NVIDIA H100 80GB HBM3' }],
    traceEvents: events
  })
}

/**
 * The kernel summary nsys prints of the same launches (`cuda_gpu_kern_sum`, 2023+): per kernel the
 * total, launches, mean, median, min, max and sample standard deviation, to the printed steps.
 */
function kernSum(run: readonly Launch[]): string {
  const by = new Map<string, number[]>()
  for (const l of run) by.set(l.name, [...(by.get(l.name) ?? []), l.duration])
  const sum = run.reduce((t, l) => t + l.duration, 0)
  const rows = [...by].map(([name, d]) => {
    const sorted = [...d].sort((a, b) => a - b)
    const n = d.length
    const total = d.reduce((a, b) => a + b, 0)
    const avg = total / n
    const med = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
    const sd = n > 1 ? Math.sqrt(d.reduce((t, x) => t + (x - avg) ** 2, 0) / (n - 1)) : 0
    return [
      ((total / sum) * 100).toFixed(1),
      total,
      n,
      avg.toFixed(1),
      med.toFixed(1),
      sorted[0],
      sorted[n - 1],
      sd.toFixed(1),
      name.includes(',') ? `"${name}"` : name
    ].join(',')
  })
  return `Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n${rows.join('\n')}\n`
}

const root = mkdtempSync(join(tmpdir(), 'nsys-bench-metamorphic-traces-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let files = 0

function write(format: Format, run: readonly Launch[]): string {
  const [file, text] =
    format === 'nsys'
      ? ['run0_cuda_gpu_trace.csv', nsysTrace(run)]
      : format === 'chrome'
        ? ['run0.pt.trace.json', chromeTrace(run)]
        : ['4242_kernel_trace.csv', rocprofTrace(run)]
  const path = join(root, `${files++}`, file)
  mkdirSync(join(path, '..'))
  writeFileSync(path, text)
  return path
}

interface Item {
  name: string
  status: string
}

interface Side {
  totalNs: number
  instances: number
}

async function compare(
  base: string | string[],
  head: string | string[]
): Promise<{ verdict: string; kernels: Item[] }> {
  const record = await compareRecord<{ verdict: string; tables: { kernels: { items: Item[] } } }>(
    base,
    head
  )
  return { verdict: record.verdict, kernels: record.tables.kernels.items }
}

const FORMATS = fc.constantFrom<Format>('nsys', 'chrome', 'rocprof')

/**
 * A pass in which each of the `count` kernels read the same on both sides: unchanged, the same
 * total and the same launches (one side a trace, the other a summary of the same launches).
 */
function expectSameKernels(record: unknown, count: number): void {
  const r = record as {
    verdict: string
    tables: { kernels: { items: (Item & { base: Side; head: Side })[] } }
  }
  expect(r.verdict).toBe('pass')
  expect(r.tables.kernels.items).toHaveLength(count)
  for (const item of r.tables.kernels.items) {
    expect(item.status).toBe('unchanged')
    expect(item.head.totalNs).toBe(item.base.totalNs)
    expect(item.head.instances).toBe(item.base.instances)
  }
}

/** The verdict is a regression, and the one kernel that regressed is `name`. */
function expectRegressionOf(c: { verdict: string; kernels: Item[] }, name: string): void {
  expect(c.verdict).toBe('regression')
  expect(c.kernels.filter((i) => i.status === 'regressed').map((i) => i.name)).toEqual([name])
}

/**
 * The base as given, or as the action keeps it: the profile JSON `summarize --json` writes of it
 * (its launch sketches and timeline included), in a directory of its own.
 */
async function baseline(path: string, json: boolean): Promise<string> {
  if (!json) return path
  let stdout = ''
  const code = await runCli(['summarize', path, '--json'], {
    stdout: (t) => (stdout += t),
    stderr: () => undefined
  })
  expect(code).toBe(0)
  const dir = join(root, `${files++}`)
  mkdirSync(dir)
  writeFileSync(join(dir, 'run0.json'), stdout)
  return dir
}

describe('the verdict of one traced run a side (generated launches through the CLI)', () => {
  it('the same launches, or launches that vary by ±10 % each: a pass', async () => {
    await fc.assert(
      fc.asyncProperty(
        workloads,
        FORMATS,
        fc.nat(),
        fc.boolean(),
        async (w, format, seed, json) => {
          const base = await baseline(write(format, launches(w, seed, 0.1)), json)
          const same = await compare(base, write(format, launches(w, seed, 0.1)))
          expect(same.verdict).toBe('pass')
          expect(same.kernels).toHaveLength(w.kernels.length)
          for (const item of same.kernels) expect(item.status).toBe('unchanged')
          const other = await compare(base, write(format, launches(w, seed + 1, 0.1)))
          expect(other.verdict).toBe('pass')
          for (const item of other.kernels) expect(item.status).not.toBe('regressed')
        }
      ),
      propertyRuns(20, 20261136)
    )
  })

  it('any kernel 30 % or more slower in every launch (past the floor), or launched twice as often: a regression that names it', async () => {
    await fc.assert(
      fc.asyncProperty(
        workloads,
        FORMATS,
        fc.nat(),
        fc.nat(),
        fc.double({ min: 1.3, max: 4, noNaN: true }),
        fc.boolean(),
        fc.constantFrom('slower', 'twice'),
        async (w, format, seed, pick, by, json, change) => {
          const kernel = pick % w.kernels.length
          if (change === 'slower') {
            // The floor: 0.1 % of the base's kernel time (rules.ts), with room for the ±10 %.
            const share =
              w.kernels[kernel]!.duration / w.kernels.reduce((t, k) => t + k.duration, 0)
            fc.pre((by - 1) * share > 0.0015)
          }
          const head =
            change === 'slower'
              ? launches(w, seed + 1, 0.1, { kernel, by })
              : launches(w, seed + 1, 0.1, undefined, kernel)
          const c = await compare(
            await baseline(write(format, launches(w, seed, 0.1)), json),
            write(format, head)
          )
          expectRegressionOf(c, w.kernels[kernel]!.name)
        }
      ),
      propertyRuns(40, 20261137)
    )
  })

  it('a GPU trace against the kernel summary of the same launches: a pass, the same totals and launches', async () => {
    await fc.assert(
      fc.asyncProperty(workloads, fc.nat(), async (w, seed) => {
        const run = launches(w, seed, 0.1)
        const dir = join(root, `${files++}`)
        mkdirSync(dir)
        writeFileSync(join(dir, 'run0_cuda_gpu_kern_sum.csv'), kernSum(run))
        expectSameKernels(await compareRecord(dir, write('nsys', run)), w.kernels.length)
      }),
      propertyRuns(20, 20261140)
    )
  })

  it('five runs a side: launch noise is a pass; a kernel 30 % slower, or launched twice as often, in every run is a regression', async () => {
    await fc.assert(
      fc.asyncProperty(
        workloads,
        FORMATS,
        fc.nat(),
        fc.nat(),
        fc.constantFrom('same', 'slower', 'twice'),
        async (w, format, seed, pick, change) => {
          // The runs are the unit (Mann–Whitney over the per-run totals), not the launches.
          const kernel = pick % w.kernels.length
          const share = w.kernels[kernel]!.duration / w.kernels.reduce((t, k) => t + k.duration, 0)
          fc.pre(change === 'same' || 0.3 * share > 0.0015)
          const runs = (from: number, slow?: { kernel: number; by: number }, twice?: number) =>
            [0, 1, 2, 3, 4].map((r) => write(format, launches(w, from + r, 0.1, slow, twice)))
          const base = runs(seed)
          const head =
            change === 'same'
              ? runs(seed + 5)
              : change === 'slower'
                ? runs(seed + 5, { kernel, by: 1.3 })
                : runs(seed + 5, undefined, kernel)
          const c = await compare(base, head)
          if (change === 'same') {
            expect(c.verdict).toBe('pass')
            for (const item of c.kernels) expect(item.status).not.toBe('regressed')
          } else expectRegressionOf(c, w.kernels[kernel]!.name)
        }
      ),
      propertyRuns(20, 20261141)
    )
  })

  it('a rocprofv3 kernel trace against the kernel stats of the same dispatches: a pass, the same totals', async () => {
    await fc.assert(
      fc.asyncProperty(workloads, fc.nat(), async (w, seed) => {
        const run = launches(w, seed, 0.1)
        const by = new Map<string, number[]>()
        for (const l of run) by.set(l.name, [...(by.get(l.name) ?? []), l.duration])
        const sum = run.reduce((t, l) => t + l.duration, 0)
        // rocprofv3 --stats: every name quoted, averages and the deviation to six decimals.
        const rows = [...by].map(([name, d]) => {
          const n = d.length
          const total = d.reduce((a, b) => a + b, 0)
          const avg = total / n
          const sd = n > 1 ? Math.sqrt(d.reduce((t, x) => t + (x - avg) ** 2, 0) / (n - 1)) : 0
          return [
            `"${name.replaceAll('"', '""')}"`,
            n,
            total,
            avg.toFixed(6),
            ((total / sum) * 100).toFixed(6),
            Math.min(...d),
            Math.max(...d),
            sd.toFixed(6)
          ].join(',')
        })
        const dir = join(root, `${files++}`)
        mkdirSync(dir)
        const stats = join(dir, '4242_kernel_stats.csv')
        writeFileSync(
          stats,
          `"Name","Calls","TotalDurationNs","AverageNs","Percentage","MinNs","MaxNs","StdDev"\n${rows.join('\n')}\n`
        )
        expectSameKernels(await compareRecord(stats, write('rocprof', run)), w.kernels.length)
      }),
      propertyRuns(20, 20261149)
    )
  })

  it('copies and sets in a GPU trace against the memory summaries of the same operations: a pass, the same times', async () => {
    const KINDS = [
      ['[CUDA memcpy Host-to-Device]', 'Pageable', 'Device'],
      ['[CUDA memcpy Device-to-Host]', 'Device', 'Pageable'],
      ['[CUDA memcpy Device-to-Device]', 'Device', 'Device'],
      ['[CUDA memset]', 'Device', '']
    ] as const
    await fc.assert(
      fc.asyncProperty(
        workloads,
        fc.array(
          fc.record({
            kind: fc.integer({ min: 0, max: KINDS.length - 1 }),
            bytes: fc.integer({ min: 1, max: 2 ** 31 }),
            duration: fc.integer({ min: 1_000, max: 20_000_000 })
          }),
          { minLength: 1, maxLength: 40 }
        ),
        fc.nat(),
        async (w, ops, seed) => {
          // The kernels' launches, then the operations, one after the other.
          const run = launches(w, seed, 0.1)
          let start = run[run.length - 1]!.start + run[run.length - 1]!.duration + 2_000
          const rows = run.map(
            (l, i) =>
              `${l.start},${l.duration},${i},108,1,1,256,1,1,32,0.000,0.049,,,,,NVIDIA H100 80GB HBM3 (0),1,,7,${l.name.includes(',') ? `"${l.name}"` : l.name}`
          )
          for (const [i, op] of ops.entries()) {
            const [name, src, dst] = KINDS[op.kind]!
            const mb = (op.bytes / 1e6).toFixed(3)
            const throughput = (op.bytes / 1e6 / (op.duration / 1e9)).toFixed(3)
            rows.push(
              `${start},${op.duration},${run.length + i},,,,,,,,,,${mb},${throughput},${src},${dst},NVIDIA H100 80GB HBM3 (0),1,,7,${name}`
            )
            start += op.duration + 2_000
          }
          const trace = join(root, `${files++}`)
          mkdirSync(trace)
          writeFileSync(
            join(trace, 'run0_cuda_gpu_trace.csv'),
            `${TRACE_HEADER}\n${rows.join('\n')}\n`
          )

          // The summaries nsys prints of the same run: kernels, and memory by time and by size.
          const sums = join(root, `${files++}`)
          mkdirSync(sums)
          writeFileSync(join(sums, 'run0_cuda_gpu_kern_sum.csv'), kernSum(run))
          const byKind = KINDS.map(([name], k) => ({
            name,
            ops: ops.filter((o) => o.kind === k)
          })).filter((g) => g.ops.length > 0)
          const timeSum = byKind.reduce((t, g) => t + g.ops.reduce((u, o) => u + o.duration, 0), 0)
          const stats = (values: number[]) => {
            const sorted = [...values].sort((a, b) => a - b)
            const n = values.length
            const total = values.reduce((a, b) => a + b, 0)
            const avg = total / n
            const med = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
            const sd =
              n > 1 ? Math.sqrt(values.reduce((t, x) => t + (x - avg) ** 2, 0) / (n - 1)) : 0
            return { total, n, avg, med, min: sorted[0]!, max: sorted[n - 1]!, sd }
          }
          const timeRows = byKind.map((g) => {
            const s = stats(g.ops.map((o) => o.duration))
            return [
              ((s.total / timeSum) * 100).toFixed(1),
              s.total,
              s.n,
              s.avg.toFixed(1),
              s.med.toFixed(1),
              s.min,
              s.max,
              s.sd.toFixed(1),
              g.name
            ].join(',')
          })
          writeFileSync(
            join(sums, 'run0_cuda_gpu_mem_time_sum.csv'),
            `Time (%),Total Time (ns),Count,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Operation\n${timeRows.join('\n')}\n`
          )
          const sizeRows = byKind.map((g) => {
            const s = stats(g.ops.map((o) => o.bytes / 1e6))
            return [
              s.total.toFixed(3),
              s.n,
              s.avg.toFixed(3),
              s.med.toFixed(3),
              s.min.toFixed(3),
              s.max.toFixed(3),
              s.sd.toFixed(3),
              g.name
            ].join(',')
          })
          writeFileSync(
            join(sums, 'run0_cuda_gpu_mem_size_sum.csv'),
            `Total (MB),Count,Avg (MB),Med (MB),Min (MB),Max (MB),StdDev (MB),Operation\n${sizeRows.join('\n')}\n`
          )

          let stdout = ''
          let stderr = ''
          const code = await runCli(
            ['compare', '--base', sums, '--head', trace, '--format', 'json', '--no-fail'],
            { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }
          )
          expect(code, stderr).toBe(0)
          type Row = {
            name: string
            status: string
            base: { totalNs?: number; totalBytes?: number; instances: number }
            head: { totalNs?: number; totalBytes?: number; instances: number }
          }
          const record = JSON.parse(stdout) as {
            verdict: string
            tables: Record<string, { items: Row[] }>
          }
          expect(record.verdict).toBe('pass')
          for (const item of record.tables.memTime!.items) {
            expect(item.status).toBe('unchanged')
            expect(item.head.totalNs).toBe(item.base.totalNs)
            expect(item.head.instances).toBe(item.base.instances)
          }
          // Sizes: the summary rounds each total to 1 kB, the trace each operation.
          for (const item of record.tables.memSize!.items) {
            expect(item.head.instances).toBe(item.base.instances)
            expect(Math.abs(item.head.totalBytes! - item.base.totalBytes!)).toBeLessThanOrEqual(
              500 * (item.base.instances + 1)
            )
          }
        }
      ),
      propertyRuns(20, 20261142)
    )
  })

  it('the two sides from different profilers: inconclusive, whatever moved', async () => {
    await fc.assert(
      fc.asyncProperty(
        workloads,
        fc.constantFrom<[Format, Format]>(
          ['nsys', 'chrome'],
          ['chrome', 'rocprof'],
          ['rocprof', 'nsys']
        ),
        fc.nat(),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        async (w, [from, to], seed, by) => {
          const c = await compareRecord<{ verdict: string; reasons: { code: string }[] }>(
            write(from, launches(w, seed, 0.1)),
            write(to, launches(w, seed + 1, 0.1, { kernel: 0, by }))
          )
          expect(c.verdict).toBe('inconclusive')
          expect(c.reasons.map((r) => r.code)).toContain('profiler-mismatch')
        }
      ),
      propertyRuns(20, 20261147)
    )
  })

  it('a kernel made faster, by any amount: never a regression', async () => {
    await fc.assert(
      fc.asyncProperty(
        workloads,
        FORMATS,
        fc.nat(),
        fc.nat(),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        async (w, format, seed, pick, by) => {
          const kernel = pick % w.kernels.length
          const c = await compare(
            write(format, launches(w, seed, 0.1)),
            write(format, launches(w, seed + 1, 0.1, { kernel, by }))
          )
          expect(c.verdict).toBe('pass')
          for (const item of c.kernels) expect(item.status).not.toBe('regressed')
        }
      ),
      propertyRuns(20, 20261138)
    )
  })
})
