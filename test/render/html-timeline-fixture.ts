import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadInput } from '../../src/load/index.js'
import type { Profile } from '../../src/profile/model.js'

/**
 * A base and a head written as nsys prints them (`cuda_gpu_trace`, `nvtx_gpu_proj_sum`,
 * `nvtx_kern_sum` CSV files, read by the real loader), for the HTML report's timeline sections.
 * Every figure a test expects comes from the specification below (launches, BIG_GAPS, PHASES),
 * not from the code under test. Names are written raw, as nsys writes them (no CSV quoting: the
 * name is the rest of the line).
 *
 * One GPU (device 0). Each side's launches run back to back in the order listed, each followed by
 * a gap of GAP ns, except where `after` in BIG_GAPS puts a longer gap after the launch at that
 * position. Kernels:
 * - `flash_attn_fwd<128>`: 50 launches, base 10,000 + 100·i ns, head 12,000 + 100·i: regressed.
 * - `gemm_bf16`: two shapes. Grid 128×4×1 (block 128×1×1): 30 launches, base 20,000 + 50·i, head
 *   24,000 + 50·i; grid 64×1×1 (block 256×1×1): 10 launches of 5,000 both sides. Regressed.
 * - `rms_norm`: 100 launches, base 3,000 + 10·(i mod 10), head 2,400 + 10·(i mod 10): improved.
 * - `elementwise`: 100 launches of 1,000 both sides: unchanged.
 * - HOSTILE_KERNEL: 5 launches of 2,000 both sides, the last launch of each side, after the
 *   longest gap: it is that gap's `after`.
 */
export const HOSTILE_KERNEL = '<img src=x onerror="window.pwned=1">'
export const HOSTILE_RANGE = '<script>window.pwned=2</script>'
export const GAP = 1_000

export interface Launch {
  name: string
  duration: number
  grid: string
  block: string
  stream: number
}

const range = (n: number, f: (i: number) => Launch): Launch[] =>
  Array.from({ length: n }, (_, i) => f(i))

function launches(side: 'base' | 'head'): Launch[] {
  const head = side === 'head'
  return [
    ...range(50, (i) => ({
      name: 'flash_attn_fwd<128>',
      duration: (head ? 12_000 : 10_000) + 100 * i,
      grid: '32,8,1',
      block: '128,1,1',
      stream: 7
    })),
    ...range(30, (i) => ({
      name: 'gemm_bf16',
      duration: (head ? 24_000 : 20_000) + 50 * i,
      grid: '128,4,1',
      block: '128,1,1',
      stream: 7
    })),
    ...range(10, () => ({
      name: 'gemm_bf16',
      duration: 5_000,
      grid: '64,1,1',
      block: '256,1,1',
      stream: 8
    })),
    ...range(100, (i) => ({
      name: 'rms_norm',
      duration: (head ? 2_400 : 3_000) + 10 * (i % 10),
      grid: '1024,1,1',
      block: '256,1,1',
      stream: 7
    })),
    ...range(100, () => ({
      name: 'elementwise',
      duration: 1_000,
      grid: '512,1,1',
      block: '128,1,1',
      stream: 7
    })),
    ...range(5, () => ({
      name: HOSTILE_KERNEL,
      duration: 2_000,
      grid: '1,1,1',
      block: '32,1,1',
      stream: 9
    }))
  ]
}

/** Longer gaps, after the launch at `after` (0-based), per side; every other gap is GAP ns. */
export const BIG_GAPS: Record<'base' | 'head', { after: number; gap: number }[]> = {
  // After the last flash_attn_fwd (49) before the first gemm_bf16; before the hostile kernel (290).
  base: [
    { after: 49, gap: 200_000 },
    { after: 289, gap: 2_000_000 }
  ],
  head: [
    { after: 49, gap: 200_000 },
    { after: 189, gap: 500_000 },
    { after: 289, gap: 3_000_000 }
  ]
}

/** Where the side's trace starts, ns from its origin. */
export const ORIGIN = { base: 1_000_000, head: 2_000_000 } as const

/** The side's launches with their start times (the specification above, laid out). */
export function laidOut(side: 'base' | 'head'): (Launch & { start: number })[] {
  let t = ORIGIN[side]
  return launches(side).map((launch, i) => {
    const start = t
    t += launch.duration + (BIG_GAPS[side].find((g) => g.after === i)?.gap ?? GAP)
    return { ...launch, start }
  })
}

const TRACE_HEADER =
  'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'

function traceCsv(side: 'base' | 'head'): string {
  const rows = laidOut(side).map(
    (l, i) =>
      `${l.start},${l.duration},${i + 1},${l.grid},${l.block},32,0.000,0.000,,,,,NVIDIA H100 80GB HBM3 (0),1,,${l.stream},${l.name}`
  )
  return [TRACE_HEADER, ...rows, ''].join('\n')
}

/**
 * NVTX phases, GPU time projected onto each range: total and occurrences per side. `decode` runs
 * twice as often in the head at the same time per occurrence (unchanged); `prefill` takes 15 %
 * longer an occurrence; the hostile range is 20 % faster.
 */
export const PHASES: { name: string; base: [number, number]; head: [number, number] }[] = [
  { name: 'prefill', base: [400_000, 2], head: [460_000, 2] },
  { name: 'decode', base: [800_000, 8], head: [1_600_000, 16] },
  { name: HOSTILE_RANGE, base: [50_000, 1], head: [40_000, 1] }
]

/** Kernels per range: [range, kernel, total, launches, range occurrences] per side. */
export const PHASE_KERNELS: Record<'base' | 'head', [string, string, number, number, number][]> = {
  base: [
    ['prefill', 'gemm_bf16', 300_000, 20, 2],
    ['decode', 'flash_attn_fwd<128>', 600_000, 40, 8]
  ],
  head: [
    ['prefill', 'gemm_bf16', 360_000, 20, 2],
    ['decode', 'flash_attn_fwd<128>', 1_200_000, 80, 16]
  ]
}

function nvtxGpuCsv(side: 'base' | 'head'): string {
  const rows = PHASES.map(({ name, ...sides }) => {
    const [total, n] = sides[side]
    const avg = total / n
    return `${name},PushPop,${total},${total * 2},${n},${avg.toFixed(1)},${avg.toFixed(1)},${avg},${avg},0.0,${n * 4},4.0,0.0,0.0`
  })
  return [
    'Range,Style,Total Proj Time (ns),Total Range Time (ns),Range Instances,Proj Avg (ns),Proj Med (ns),Proj Min (ns),Proj Max (ns),Proj StdDev (ns),Total GPU Ops,Avg GPU Ops,Avg Range Lvl,Avg Num Child',
    ...rows,
    ''
  ].join('\n')
}

function nvtxKernCsv(side: 'base' | 'head'): string {
  const rows = PHASE_KERNELS[side].map(([r, k, total, launches, occurrences]) => {
    const avg = total / launches
    return `${r},PushPop,4242,4242,${occurrences},${launches},${total},${avg.toFixed(1)},${avg.toFixed(1)},${avg},${avg},0.0,${k}`
  })
  return [
    'NVTX Range,Style,PID,TID,NVTX Inst,Kern Inst,Total Time (ns),Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Kernel Name',
    ...rows,
    ''
  ].join('\n')
}

/** Writes the side's files into a directory of their own, and returns it. */
export function writeSide(side: 'base' | 'head'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'nsys-bench-html-timeline-')), side)
  mkdirSync(dir)
  writeFileSync(join(dir, 'report_cuda_gpu_trace.csv'), traceCsv(side))
  writeFileSync(join(dir, 'report_nvtx_gpu_proj_sum.csv'), nvtxGpuCsv(side))
  writeFileSync(join(dir, 'report_nvtx_kern_sum.csv'), nvtxKernCsv(side))
  return dir
}

/** The side's files, read by the real loader. */
export async function timelineProfile(side: 'base' | 'head'): Promise<Profile> {
  const dir = writeSide(side)
  const [profile, ...more] = await loadInput(dir)
  if (!profile || more.length > 0) throw new Error(`expected one profile in ${dir}`)
  return profile
}

export async function timelineComparison(): Promise<{
  comparison: Comparison
  base: Profile[]
  head: Profile[]
}> {
  const base = [await timelineProfile('base')]
  const head = [await timelineProfile('head')]
  return { comparison: compareProfiles(base, head, buildRules(undefined)), base, head }
}
