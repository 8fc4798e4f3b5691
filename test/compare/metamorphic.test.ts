import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { compareRecord } from '../support/compare-cli.js'
import { propertyRuns } from '../support/property.js'

/**
 * The verdict under transformations that must not change it, or must change it one way: the
 * same runs compared with themselves, their rows and runs shuffled, as profile JSONs, with kernel
 * names spelled as another demangler spells them; and one heavy kernel made slower or faster.
 * The runs are generated, written as nsys 2023+ writes `cuda_gpu_kern_sum` CSV (by the writer
 * below, not by the code under test), and go through the CLI as a user runs it, in process.
 *
 * The properties say what a user relies on: nothing moved is a pass; the order nsys prints rows
 * in, the order of runs and the format of the baseline change nothing; a heavy kernel 30 % or
 * more slower in every run of five is a regression that names it; a kernel made faster is never
 * a regression.
 */

/** Kernel names: each with spellings other demanglers print for the same kernel (keys.ts). */
const NAMES: readonly (readonly string[])[] = [
  [
    'void gemm_kernel<float, 128>(float const*, float*, int)',
    'void gemm_kernel<float, 128>(const float *, float *, int)'
  ],
  ['ampere_bf16_s16816gemm_bf16_128x128_ldg8_f2f_stages_64x3_tn'],
  [
    'void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char*, 1> >(int, at::native::FillFunctor<float>, at::detail::Array<char*, 1>)',
    'void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char *, 1>>(int, at::native::FillFunctor<float>, at::detail::Array<char *, 1>)'
  ],
  [
    'void flash_fwd_kernel<Flash_fwd_kernel_traits<128, 64, 64, 4, false, false, cutlass::half_t>, true>(Flash_fwd_params)'
  ],
  [
    'ncclDevKernel_AllReduce_Sum_f16_RING_LL(ncclDevKernelArgsStorage<4096ul>)',
    'ncclDevKernel_AllReduce_Sum_f16_RING_LL(ncclDevKernelArgsStorage<4096>)'
  ],
  ['void rms_norm_kernel<c10::Half>(c10::Half*, c10::Half const*, float, int)'],
  ['triton_poi_fused_add_mul_0'],
  ['void scale_kernel(unsigned int, float)', 'void scale_kernel(unsigned, float)'],
  ['kernel_ünïcödé_λ'],
  ['void reduce<sum, 2>(float*, int), with a comma'],
  ['(anonymous namespace)::softmax_kernel(float*)', '<unnamed>::softmax_kernel(float*)'],
  ['act_and_mul_kernel']
]

const HEADER =
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name'

interface Row {
  name: string
  total: number
  instances: number
}

/** A kernel summary as nsys prints it: shares to 0.1 %, averages to 0.1 ns, names quoted at a comma. */
function kernSum(rows: readonly Row[], header = HEADER): string {
  const sum = rows.reduce((s, r) => s + r.total, 0)
  const lines = rows.map(({ name, total, instances }) => {
    const avg = total / instances
    const one = instances === 1
    const min = one ? total : Math.floor(avg * 0.9)
    const max = one ? total : Math.ceil(avg * 1.1)
    const cell = name.includes(',') ? `"${name}"` : name
    return [
      ((total / sum) * 100).toFixed(1),
      total,
      instances,
      avg.toFixed(1),
      avg.toFixed(1),
      min,
      max,
      one ? '0.0' : (avg * 0.05).toFixed(1),
      cell
    ].join(',')
  })
  return `${header}\n${lines.join('\n')}\n`
}

/** The same runs as older nsys and `--timeunit us` print them (docs/nsys-notes.md, formats by era). */
type Era = '2021' | '2022.4' | 'us'

/**
 * A kernel summary of another era: 2021.x (`gpukernsum`, Average/Minimum/Maximum, no median),
 * 2022.4 (`gpukernsum`, one row per launch shape: a kernel of two launches and more is split in
 * two shapes, its launches and time shared between them), or 2023+ with times in µs to three
 * decimals. Returns the file's report name and text.
 */
function kernSumOf(era: Era, rows: readonly Row[]): [string, string] {
  const sum = rows.reduce((s, r) => s + r.total, 0)
  const share = (total: number): string => ((total / sum) * 100).toFixed(1)
  const cell = (name: string): string => (name.includes(',') ? `"${name}"` : name)
  const shape = (n: number): string => `${String(n).padStart(4)}    1    1`
  const us = (ns: number): string => (ns / 1000).toFixed(3)
  const lines: string[] = []
  for (const { name, total, instances } of rows) {
    const parts: [number, number][] =
      era === '2022.4' && instances >= 2
        ? [
            [
              Math.floor(instances / 2),
              Math.round((total * Math.floor(instances / 2)) / instances)
            ],
            [0, 0]
          ]
        : [[instances, total]]
    if (parts.length === 2) parts[1] = [instances - parts[0]![0], total - parts[0]![1]]
    parts.forEach(([n, t], p) => {
      const avg = t / n
      const min = n === 1 ? t : Math.floor(avg * 0.9)
      const max = n === 1 ? t : Math.ceil(avg * 1.1)
      const sd = n === 1 ? 0 : avg * 0.05
      if (era === '2021')
        lines.push([share(t), t, n, avg.toFixed(1), min, max, sd.toFixed(1), cell(name)].join(','))
      else if (era === '2022.4')
        lines.push(
          [
            share(t),
            t,
            n,
            avg.toFixed(1),
            avg.toFixed(1),
            min,
            max,
            sd.toFixed(1),
            shape(108 * (p + 1)),
            shape(256),
            cell(name)
          ].join(',')
        )
      else
        lines.push(
          [share(t), us(t), n, us(avg), us(avg), us(min), us(max), us(sd), cell(name)].join(',')
        )
    })
  }
  const header =
    era === '2021'
      ? 'Time(%),Total Time (ns),Instances,Average (ns),Minimum (ns),Maximum (ns),StdDev (ns),Name'
      : era === '2022.4'
        ? 'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),GridXYZ,BlockXYZ,Name'
        : HEADER.replace(/\(ns\)/g, '(us)')
  return [era === 'us' ? 'cuda_gpu_kern_sum' : 'gpukernsum', `${header}\n${lines.join('\n')}\n`]
}

/**
 * A kernel summary as `nsys stats` prints it to the terminal (the column format, 2023+): numbers
 * right-aligned under their headers, names cut to 100 characters with `…`, the report's title
 * above. One capture of captured output, as a user pastes it.
 */
function kernSumColumns(rows: readonly Row[], thousands = false): string {
  const sum = rows.reduce((s, r) => s + r.total, 0)
  // Under en_US.UTF-8 nsys groups thousands with commas (docs/nsys-notes.md, number formats).
  const n = (text: string): string =>
    thousands ? text.replace(/^(\d+)/, (d) => d.replace(/\B(?=(\d{3})+$)/g, ',')) : text
  const cells = rows.map(({ name, total, instances }) => {
    const avg = total / instances
    const one = instances === 1
    return [
      ((total / sum) * 100).toFixed(1),
      n(String(total)),
      n(String(instances)),
      n(avg.toFixed(1)),
      n(avg.toFixed(1)),
      n(String(one ? total : Math.floor(avg * 0.9))),
      n(String(one ? total : Math.ceil(avg * 1.1))),
      n(one ? '0.0' : (avg * 0.05).toFixed(1)),
      [...name].length > 100 ? `${[...name].slice(0, 99).join('')}…` : name
    ]
  })
  const header = HEADER.split(',')
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]!].length)))
  const line = (c: readonly string[], title = false): string =>
    ` ${c
      .map((cell, i) =>
        i === c.length - 1
          ? title
            ? cell.padStart(Math.floor((widths[i]! + cell.length) / 2)).padEnd(widths[i]!)
            : cell + ' '.repeat(widths[i]! - [...cell].length)
          : cell.padStart(widths[i]!)
      )
      .join('  ')}`
  return [
    'Processing [report.sqlite] with [/opt/nvidia/nsight-systems/reports/cuda_gpu_kern_sum.py]... ',
    '',
    ' ** CUDA GPU Kernel Summary (cuda_gpu_kern_sum):',
    '',
    line(header, true),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map((c) => line(c)),
    '',
    ''
  ].join('\n')
}

/** One kernel of the generated workload: its name, launches a run and time a launch. */
interface Kernel {
  names: readonly string[]
  instances: number
  avg: number
}

interface Workload {
  kernels: Kernel[]
  /** Per run, per kernel: a factor within ±1 % (runs of one workload vary a little). */
  noise: number[][]
}

const workload = (runs: fc.Arbitrary<number>): fc.Arbitrary<Workload> =>
  fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: 0, max: NAMES.length - 1 }), { minLength: 2, maxLength: 8 }),
      runs
    )
    .chain(([picked, count]) =>
      fc.record({
        kernels: fc.tuple(
          ...picked.map((i) =>
            fc.record({
              names: fc.constant(NAMES[i]!),
              instances: fc.integer({ min: 1, max: 500 }),
              avg: fc.integer({ min: 2_000, max: 2_000_000 })
            })
          )
        ),
        noise: fc.array(
          fc.array(fc.double({ min: 0.99, max: 1.01, noNaN: true }), {
            minLength: picked.length,
            maxLength: picked.length
          }),
          { minLength: count, maxLength: count }
        )
      })
    )

/** The rows of each run; `scale` multiplies the times of one kernel (by index) in every run. */
function rowsOf(w: Workload, scale?: { kernel: number; by: number }, spelling = 0): Row[][] {
  return w.noise.map((factors) =>
    w.kernels.map((k, i) => {
      const by = scale?.kernel === i ? scale.by : 1
      return {
        name: k.names[spelling % k.names.length]!,
        instances: k.instances,
        total: Math.max(k.instances, Math.round(k.avg * k.instances * factors[i]! * by))
      }
    })
  )
}

const root = mkdtempSync(join(tmpdir(), 'nsys-bench-metamorphic-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let dirs = 0

/** A directory of runs, `run<n>_cuda_gpu_kern_sum.csv`, numbered in the order given. */
function writeRuns(runs: readonly Row[][], order?: readonly number[]): string {
  const dir = join(root, `side${dirs++}`)
  mkdirSync(dir)
  ;(order ?? runs.map((_, i) => i)).forEach((r, n) =>
    writeFileSync(join(dir, `run${n}_cuda_gpu_kern_sum.csv`), kernSum(runs[r]!))
  )
  return dir
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t)
  })
  return { code, stdout, stderr }
}

interface Record {
  verdict: string
  tables: { kernels: { items: { name: string; status: string; base?: Side; head?: Side }[] } }
}
interface Side {
  totalNs: number
  runs: number
}

const compare = (
  base: string | string[],
  head: string | string[],
  options: readonly string[] = []
): Promise<Record> => compareRecord<Record>(base, head, options)

/** Each kernel's base and head medians: what the comparison read on each side. */
const totals = (r: Record): [number | undefined, number | undefined][] =>
  r.tables.kernels.items.map((i) => [i.base?.totalNs, i.head?.totalNs])

const RUNS = fc.constantFrom(1, 3, 5)

describe('the verdict under transformations (generated runs through the CLI)', () => {
  it('the same runs, rows and runs in another order, or as profile JSONs: a pass, nothing moved', async () => {
    await fc.assert(
      fc.asyncProperty(workload(RUNS), fc.integer({ min: 0, max: 1_000 }), async (w, seed) => {
        const runs = rowsOf(w)
        const base = writeRuns(runs)
        const same = await compare(base, writeRuns(runs))
        expect(same.verdict).toBe('pass')
        for (const item of same.tables.kernels.items) {
          expect(item.status).toBe('unchanged')
          expect(item.head?.totalNs).toBe(item.base?.totalNs)
        }

        // Rows in another order in each run, runs in another order.
        const shuffled = runs.map((rows, r) =>
          rows
            .map((row, i) => ({ row, k: (i * 7919 + seed + r * 31) % 101 }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.row)
        )
        const order = runs.map((_, i) => i).reverse()
        const moved = await compare(base, writeRuns(shuffled, order))
        expect(moved.verdict).toBe('pass')
        expect(totals(moved)).toEqual(totals(same))

        // The baseline as the action stores it: one profile JSON a run.
        const json = join(root, `json${dirs++}`)
        mkdirSync(json)
        for (let r = 0; r < runs.length; r++) {
          const one = writeRuns([runs[r]!])
          const out = await cli('summarize', one, '--json')
          expect(out.code).toBe(0)
          writeFileSync(join(json, `run${r}.json`), out.stdout)
        }
        const fromJson = await compare(json, base)
        expect(fromJson.verdict).toBe('pass')
        expect(totals(fromJson)).toEqual(totals(same))
      }),
      propertyRuns(25, 20261130)
    )
  })

  it('the base as nsys 2021 or 2022.4 (rows per launch shape) or in µs printed it: a pass, the same times', async () => {
    await fc.assert(
      fc.asyncProperty(
        workload(RUNS),
        fc.constantFrom<Era>('2021', '2022.4', 'us'),
        async (w, era) => {
          const runs = rowsOf(w)
          const dir = join(root, `era${dirs++}`)
          mkdirSync(dir)
          runs.forEach((rows, r) => {
            const [report, text] = kernSumOf(era, rows)
            writeFileSync(join(dir, `run${r}_${report}.csv`), text)
          })
          const c = await compare(dir, writeRuns(runs))
          expect(c.verdict).toBe('pass')
          expect(c.tables.kernels.items).toHaveLength(w.kernels.length)
          for (const item of c.tables.kernels.items) {
            expect(item.status).toBe('unchanged')
            // Printed in µs, a time is off by half a nanosecond at most.
            expect(Math.abs(item.head!.totalNs - item.base!.totalNs)).toBeLessThanOrEqual(
              era === 'us' ? 0.5 : 0
            )
          }
        }
      ),
      propertyRuns(30, 20261134)
    )
  })

  it('the base as captured terminal output (names cut to 100 characters, thousands grouped or not): a pass, the same times', async () => {
    await fc.assert(
      fc.asyncProperty(workload(RUNS), fc.boolean(), async (w, thousands) => {
        // Distinct names stay distinct in their first 99 characters (the NAMES above do).
        const runs = rowsOf(w)
        const base = runs.map((rows, r) => {
          const path = join(root, `column${dirs++}`, `run${r}.txt`)
          mkdirSync(join(path, '..'))
          writeFileSync(path, kernSumColumns(rows, thousands))
          return path
        })
        const c = await compare(base, writeRuns(runs))
        expect(c.verdict).toBe('pass')
        expect(c.tables.kernels.items).toHaveLength(w.kernels.length)
        for (const item of c.tables.kernels.items) {
          expect(item.status).toBe('unchanged')
          expect(item.head!.totalNs).toBe(item.base!.totalNs)
        }
      }),
      propertyRuns(30, 20261143)
    )
  })

  it('kernel names as another demangler spells them: the same kernels, a pass', async () => {
    await fc.assert(
      fc.asyncProperty(workload(RUNS), async (w) => {
        const base = writeRuns(rowsOf(w, undefined, 0))
        const head = writeRuns(rowsOf(w, undefined, 1))
        const c = await compare(base, head)
        expect(c.verdict).toBe('pass')
        expect(c.tables.kernels.items).toHaveLength(w.kernels.length)
        for (const item of c.tables.kernels.items) expect(item.status).toBe('unchanged')
      }),
      propertyRuns(25, 20261131)
    )
  })

  it('the heaviest kernel 30 % or more slower in every run: a regression that names it', async () => {
    await fc.assert(
      fc.asyncProperty(
        workload(fc.constantFrom(1, 5)),
        fc.double({ min: 1.3, max: 4, noNaN: true }),
        async (w, by) => {
          const heaviest = w.kernels.reduce(
            (best, k, i, all) =>
              k.avg * k.instances > all[best]!.avg * all[best]!.instances ? i : best,
            0
          )
          const base = writeRuns(rowsOf(w))
          const head = writeRuns(rowsOf(w, { kernel: heaviest, by }))
          const c = await compare(base, head)
          expect(c.verdict).toBe('regression')
          const names = w.kernels[heaviest]!.names
          const item = c.tables.kernels.items.find((i) => names.includes(i.name))
          expect(item?.status).toBe('regressed')
          // Nothing else was touched beyond the runs' own ±1 %.
          for (const other of c.tables.kernels.items)
            if (other !== item) expect(other.status).not.toBe('regressed')
        }
      ),
      propertyRuns(25, 20261132)
    )
  })

  it('runs that vary by 1 %, and a kernel slower by less than the floor, noise counted: never a regression', async () => {
    await fc.assert(
      fc.asyncProperty(workload(RUNS), workload(RUNS), fc.nat(), async (w, other, pick) => {
        // The head's runs vary on their own (their noise from another draw, ±1 % each).
        const head = {
          ...w,
          noise: other.noise.map((n) => w.kernels.map((_, i) => n[i % n.length]!))
        }
        // One kernel slower by less than the floor (0.1 % of the kernel total) with the noise
        // counted: its share and total can be 1 % off, and a run of the head 1.01/0.99 of the
        // base's (a seed of the property at 150 cases found the margin missing: +2.9 % under the
        // floor and +2 % of noise passed both the floor and the 5 % threshold).
        const kernel = pick % w.kernels.length
        const time = (k: Kernel): number => k.avg * k.instances
        const share = time(w.kernels[kernel]!) / w.kernels.reduce((t, k) => t + time(k), 0)
        const by = (1 + (0.0009 * 0.97) / (share * 1.03)) / (1.01 / 0.99)
        const c = await compare(writeRuns(rowsOf(w)), writeRuns(rowsOf(head, { kernel, by })))
        expect(c.verdict).toBe('pass')
        for (const item of c.tables.kernels.items) expect(item.status).not.toBe('regressed')
      }),
      propertyRuns(25, 20261135)
    )
  })

  it('a kernel made faster, by any amount: never a regression', async () => {
    await fc.assert(
      fc.asyncProperty(
        workload(RUNS),
        fc.nat(),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        async (w, pick, by) => {
          const kernel = pick % w.kernels.length
          const c = await compare(writeRuns(rowsOf(w)), writeRuns(rowsOf(w, { kernel, by })))
          expect(c.verdict).toBe('pass')
          for (const item of c.tables.kernels.items) expect(item.status).not.toBe('regressed')
        }
      ),
      propertyRuns(25, 20261133)
    )
  })
  it('the host side: API calls spelled with other version tags are a pass; more synchronisations a regression of their kind', async () => {
    // cuda_api_sum rows: each call with the spellings nsys prints for it (version tags, the
    // per-thread default stream), and whether it waits for the GPU (analyze/host.ts).
    const CALLS = [
      {
        names: ['cudaLaunchKernel', 'cudaLaunchKernel_v7000', 'cudaLaunchKernel_ptsz_v7000'],
        sync: undefined
      },
      {
        names: ['cudaMemcpyAsync', 'cudaMemcpyAsync_v3020', 'cudaMemcpyAsync_ptsz_v7000'],
        sync: undefined
      },
      { names: ['cudaMalloc', 'cudaMalloc_v3020'], sync: undefined },
      {
        names: [
          'cudaStreamSynchronize',
          'cudaStreamSynchronize_v3020',
          'cudaStreamSynchronize_ptsz'
        ],
        sync: 'stream synchronisations'
      },
      {
        names: ['cudaDeviceSynchronize', 'cudaDeviceSynchronize_v3020'],
        sync: 'device synchronisations'
      },
      {
        names: ['cudaEventSynchronize', 'cudaEventSynchronize_v3020'],
        sync: 'event synchronisations'
      }
    ] as const
    const API =
      'Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name'
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: CALLS.length - 1 }), {
          minLength: 2,
          maxLength: 6
        }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 6, maxLength: 6 }),
        RUNS,
        fc.nat(),
        async (picked, counts, runs, pick) => {
          const rowsWith = (spelling: number, more?: number): Row[] =>
            picked.map((c) => {
              const call = CALLS[c]!
              const n = counts[c]! * (c === more ? 3 : 1)
              return {
                name: call.names[spelling % call.names.length]!,
                instances: n,
                total: n * 4_000
              }
            })
          const side = (spelling: number, more?: number): string => {
            const dir = join(root, `host${dirs++}`)
            mkdirSync(dir)
            for (let r = 0; r < runs; r++) {
              writeFileSync(
                join(dir, `run${r}_cuda_gpu_kern_sum.csv`),
                kernSum([{ name: 'gemm', instances: 10, total: 1_000_000 }])
              )
              writeFileSync(
                join(dir, `run${r}_cuda_api_sum.csv`),
                kernSum(rowsWith(spelling, more), API)
              )
            }
            return dir
          }
          type Host = { tables: { hostSyncs?: { items: { name: string; status: string }[] } } }
          // Other spellings of the same calls: nothing moved.
          const respelled = (await compare(side(0), side(1 + (pick % 2)))) as Record & Host
          expect(respelled.verdict).toBe('pass')
          for (const item of respelled.tables.hostSyncs?.items ?? [])
            expect(item.status).toBe('unchanged')
          // Three times the calls of one synchronising call, every run: a regression of its kind.
          const syncs = picked.filter((c) => CALLS[c]!.sync !== undefined)
          fc.pre(syncs.length > 0)
          const more = syncs[pick % syncs.length]!
          // The table's floor is 4 calls (profile/model.ts, minDelta): two more of one are not a
          // regression, by design.
          fc.pre(2 * counts[more]! >= 4)
          const c = (await compare(side(0), side(0, more))) as Record & Host
          expect(c.verdict).toBe('regression')
          const regressed = (c.tables.hostSyncs?.items ?? []).filter(
            (i) => i.status === 'regressed'
          )
          expect(regressed.map((i) => i.name)).toEqual([CALLS[more]!.sync])
        }
      ),
      propertyRuns(25, 20261144)
    )
  })
  it('a higher threshold or floor, or a lower alpha, never adds a regression; an ignored kernel is left out', async () => {
    await fc.assert(
      fc.asyncProperty(
        workload(RUNS),
        fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 50 }),
        fc.constantFrom('--threshold', '--min-share', '--alpha', '--ignore'),
        fc.nat(),
        async (w, factors, raise, option, pick) => {
          // Each kernel moved by its own factor in every head run: some regress, some improve.
          const head = {
            ...w,
            noise: w.noise.map((n) => n.map((f, k) => f * factors[k]!))
          }
          const base = writeRuns(rowsOf(w))
          const moved = writeRuns(rowsOf(head))
          const regressed = (r: Record): string[] =>
            r.tables.kernels.items.filter((i) => i.status === 'regressed').map((i) => i.name)
          if (option === '--ignore') {
            // Left out of the table and its total, as if it had not run; the floor, a share of
            // that total, then follows the rest (by design: so an ignored giant does not hide
            // the changes of the others), so other verdicts may change.
            const kernel = w.kernels[pick % w.kernels.length]!
            const pattern = `^${kernel.names[0]!.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}$`
            const after = await compare(base, moved, ['--ignore', pattern])
            expect(after.tables.kernels.items.map((i) => i.name)).not.toContain(kernel.names[0])
            return
          }
          const before = await compare(base, moved)
          const stricter =
            option === '--threshold'
              ? ['--threshold', String(5 + raise)]
              : option === '--min-share'
                ? ['--min-share', String(0.1 + raise)]
                : ['--alpha', String(0.05 / (1 + raise))]
          const after = await compare(base, moved, stricter)
          for (const kernel of regressed(after)) expect(regressed(before)).toContain(kernel)
          if (before.verdict !== 'regression') expect(after.verdict).not.toBe('regression')
        }
      ),
      propertyRuns(30, 20261145)
    )
  })
  it('NVTX phases gated per occurrence: three times the iterations is a pass; a phase 30 % slower an occurrence is a regression of it', async () => {
    // kern_sum and nvtx_gpu_proj_sum of a benchmark of `steps` iterations of the given phases,
    // each phase's GPU time per occurrence `perStep` (×`slower` for one phase).
    const PROJ =
      'Range,Style,Total Proj Time (ns),Total Range Time (ns),Range Instances,Proj Avg (ns),Proj Med (ns),Proj Min (ns),Proj Max (ns),Proj StdDev (ns),Total GPU Ops,Avg GPU Ops,Avg Range Lvl,Avg Num Child'
    const rules = join(root, `rules${dirs++}.json`)
    writeFileSync(rules, JSON.stringify({ tables: { nvtxGpu: { gate: true } } }))
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom('prefill', 'decode', 'forward', 'sample'), {
          minLength: 1,
          maxLength: 4
        }),
        fc.array(fc.integer({ min: 50_000, max: 5_000_000 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 20, max: 200 }),
        fc.nat(),
        fc.constantFrom('more-steps', 'slower'),
        async (phases, perStep, steps, pick, change) => {
          const side = (n: number, slower?: number): string => {
            const dir = join(root, `nvtx${dirs++}`)
            mkdirSync(dir)
            const rows = phases.map((phase, i) => {
              const each = Math.round(perStep[i]! * (slower === i ? 1.3 : 1))
              const total = each * n
              return [
                phase,
                'PushPop',
                total,
                total + n * 1000,
                n,
                `${each}.0`,
                `${each}.0`,
                each,
                each,
                '0.0',
                n * 4,
                '4.0',
                '0.0',
                '0.0'
              ].join(',')
            })
            // The kernels those phases launch: one kernel a phase, four launches an occurrence.
            const kernels: Row[] = phases.map((phase, i) => ({
              name: `${phase}_kernel`,
              instances: 4 * n,
              total: Math.round(perStep[i]! * (slower === i ? 1.3 : 1)) * n
            }))
            writeFileSync(join(dir, 'run0_cuda_gpu_kern_sum.csv'), kernSum(kernels))
            writeFileSync(join(dir, 'run0_nvtx_gpu_proj_sum.csv'), `${PROJ}\n${rows.join('\n')}\n`)
            return dir
          }
          type Nvtx = {
            notes: { code: string }[]
            tables: { nvtxGpu?: { items: { name: string; status: string }[] } }
          }
          if (change === 'more-steps') {
            // Three times the launches of every kernel: the totals do not compare
            // (totals-not-comparable), and per occurrence nothing moved.
            const c = (await compare(side(steps), side(3 * steps), ['--rules', rules])) as Record &
              Nvtx
            expect(c.notes.map((n) => n.code)).toContain('totals-not-comparable')
            expect(c.verdict).toBe('pass')
            for (const item of c.tables.nvtxGpu!.items) expect(item.status).toBe('unchanged')
            return
          }
          const slower = pick % phases.length
          const c = (await compare(side(steps), side(steps, slower), [
            '--rules',
            rules
          ])) as Record & Nvtx
          expect(c.verdict).toBe('regression')
          expect(
            c.tables.nvtxGpu!.items.filter((i) => i.status === 'regressed').map((i) => i.name)
          ).toEqual([phases[slower]])
        }
      ),
      propertyRuns(25, 20261146)
    )
  })

  it('a head with no kernel data in some or all of its runs: inconclusive, never a pass', async () => {
    await fc.assert(
      fc.asyncProperty(
        workload(RUNS),
        fc.nat(),
        fc.constantFrom('empty file', 'header only'),
        async (w, pick, how) => {
          const runs = rowsOf(w)
          // nsys writes a 0-byte file for a report it SKIPPED, a header alone for one with no rows.
          const head = writeRuns(runs)
          const emptied = runs.map((_, r) => r).filter((r) => r === 0 || (pick >> r) % 2 === 1)
          for (const r of emptied)
            writeFileSync(
              join(head, `run${r}_cuda_gpu_kern_sum.csv`),
              how === 'empty file' ? '' : `${HEADER}\n`
            )
          const c = (await compare(writeRuns(runs), head)) as Record & {
            reasons: { code: string }[]
          }
          expect(c.verdict).toBe('inconclusive')
          expect(c.reasons.map((r) => r.code)).toContain(
            emptied.length === runs.length ? 'table-empty' : 'runs-without-data'
          )
        }
      ),
      propertyRuns(25, 20261148)
    )
  })
})
