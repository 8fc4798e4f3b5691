/**
 * What nsys's NVTX projection reports must print for a spec (sqlite.ts NsysDbSpec), worked out
 * from the spec alone, by the rule the reports' own help states: a GPU operation belongs to an
 * NVTX range when the CUDA API call that launched it (same correlation id) lies inside the range,
 * on the same thread. A range instance's projection runs from the start of its first GPU
 * operation to the end of its last; instances without GPU operations are not listed. A kernel
 * counts for every range around its launch, not only the innermost (nvtx_kern_sum).
 *
 * Independent of nsys and of the parser: used by the real-nsys harness to check nsys's output,
 * and by the parser tests to check what the parser reads from it.
 */
import type { NsysDbSpec } from './sqlite.js'

/** The name the reports print: `domain:text`, or the text in the default domain (≤ 2023.4). */
export function rangeName(n: { text: string; domain?: string }): string {
  return n.domain ? `${n.domain}:${n.text}` : n.text
}

interface GpuOp {
  start: number
  end: number
  /** The kernel's name; undefined for a memory operation. */
  kernel: string | undefined
  /** The launching API call. */
  call: { start: number; end: number; tid: number }
}

function gpuOps(spec: NsysDbSpec): GpuOp[] {
  const tid0 = spec.process?.tid ?? spec.process?.pid ?? 4242
  const calls = new Map(
    (spec.runtime ?? []).map((r) => [
      r.correlationId,
      { start: r.start, end: r.end, tid: r.tid ?? tid0 }
    ])
  )
  const ops: GpuOp[] = []
  const add = (
    e: { start: number; end: number; correlationId?: number },
    kernel: string | undefined
  ): void => {
    const call = calls.get(e.correlationId)
    if (call) ops.push({ start: e.start, end: e.end, kernel, call })
  }
  for (const k of spec.kernels ?? []) add(k, k.name)
  for (const m of spec.memcpys ?? []) add(m, undefined)
  for (const m of spec.memsets ?? []) add(m, undefined)
  return ops
}

function ranges(spec: NsysDbSpec) {
  const tid0 = spec.process?.tid ?? spec.process?.pid ?? 4242
  return (spec.nvtx ?? []).map((n, id) => ({
    id,
    name: rangeName(n),
    style: n.style === 'startend' ? 'StartEnd' : 'PushPop',
    start: n.start,
    end: n.end ?? n.start,
    tid: n.tid ?? tid0
  }))
}

const inside = (op: GpuOp, r: { start: number; end: number; tid: number }): boolean =>
  op.call.tid === r.tid && op.call.start >= r.start && op.call.end <= r.end

/** Per range name: the projected duration of each instance that launched GPU work. */
export function expectedProjections(spec: NsysDbSpec): Map<string, number[]> {
  const ops = gpuOps(spec)
  const out = new Map<string, number[]>()
  for (const r of ranges(spec)) {
    const mine = ops.filter((op) => inside(op, r))
    if (mine.length === 0) continue
    const projected = Math.max(...mine.map((o) => o.end)) - Math.min(...mine.map((o) => o.start))
    out.set(r.name, [...(out.get(r.name) ?? []), projected])
  }
  return out
}

/** GPU operations launched inside no range: their durations. */
export function outsideOperations(spec: NsysDbSpec): number[] {
  const rs = ranges(spec)
  return gpuOps(spec)
    .filter((op) => !rs.some((r) => inside(op, r)))
    .map((op) => op.end - op.start)
}

export interface KernelInRange {
  range: string
  kernel: string
  /** Each launch's duration. */
  durations: number[]
  /** Range instances that launched it. */
  rangeInstances: number
}

/** nvtx_kern_sum: per range name and kernel, over every range around each launch. */
export function expectedKernelsPerRange(spec: NsysDbSpec): KernelInRange[] {
  const ops = gpuOps(spec).filter((op) => op.kernel !== undefined)
  const out = new Map<string, KernelInRange & { ids: Set<number> }>()
  for (const r of ranges(spec)) {
    for (const op of ops) {
      if (!inside(op, r)) continue
      const key = JSON.stringify([r.name, op.kernel])
      const entry = out.get(key) ?? {
        range: r.name,
        kernel: op.kernel ?? '',
        durations: [],
        rangeInstances: 0,
        ids: new Set<number>()
      }
      entry.durations.push(op.end - op.start)
      entry.ids.add(r.id)
      entry.rangeInstances = entry.ids.size
      out.set(key, entry)
    }
  }
  return [...out.values()].map(({ range, kernel, durations, rangeInstances }) => ({
    range,
    kernel,
    durations,
    rangeInstances
  }))
}
