import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import type { Profile, TableName } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'

/**
 * Output of the real nsys 2022.4 and 2023.4 CLIs on an export built from a known spec
 * (test/fixtures/nsys-real, made by test/support/nsys): the expected numbers are computed from
 * the spec, independently of nsys and of the parser.
 */
const REAL = join(FIXTURES, 'nsys-real')

interface Span {
  start: number
  end: number
}
interface Spec {
  gpus: { id: number; name: string }[]
  kernels: (Span & { name: string })[]
  memcpys: (Span & { copyKind: number; bytes: number })[]
  memsets: (Span & { bytes: number })[]
  runtime: (Span & { name: string })[]
  nvtx: (Span & { text: string; domain?: string })[]
  osrt: (Span & { name: string })[]
}

const spec = JSON.parse(readFileSync(join(REAL, 'spec-hostile.json'), 'utf8')) as Spec
const COPY_KIND: Record<number, string> = {
  1: '[CUDA memcpy HtoD]',
  2: '[CUDA memcpy DtoH]',
  8: '[CUDA memcpy DtoD]',
  9: '[CUDA memcpy HtoH]',
  10: '[CUDA memcpy PtoP]',
  11: '[CUDA memcpy Unified HtoD]'
}

interface Expected {
  total: number
  instances: number
  min: number
  max: number
  bytes: number
}

function group<T>(
  items: T[],
  key: (item: T) => string,
  value: (item: T) => number,
  bytes: (item: T) => number = () => 0
): Map<string, Expected> {
  const out = new Map<string, Expected>()
  for (const item of items) {
    const k = key(item)
    const v = value(item)
    const e = out.get(k) ?? { total: 0, instances: 0, min: Infinity, max: -Infinity, bytes: 0 }
    out.set(k, {
      total: e.total + v,
      instances: e.instances + 1,
      min: Math.min(e.min, v),
      max: Math.max(e.max, v),
      bytes: e.bytes + bytes(item)
    })
  }
  return out
}

const duration = (s: Span): number => s.end - s.start
const memops = [
  ...spec.memcpys.map((m) => ({ ...m, key: COPY_KIND[m.copyKind] ?? `kind ${m.copyKind}` })),
  ...spec.memsets.map((m) => ({ ...m, key: '[CUDA memset]' }))
]
// The tables the parser fills (the derived ones are computed at compare time, tested in test/analyze).
const EXPECTED: Record<
  Exclude<
    TableName,
    | 'memSize'
    | 'gpuIdle'
    | 'kernelShapes'
    | 'nvtxGpu'
    | 'nvtxKernels'
    | 'categories'
    | 'hostApi'
    | 'hostSyncs'
    | 'gpuBusy'
  >,
  Map<string, Expected>
> = {
  kernels: group(spec.kernels, (k) => k.name, duration),
  memTime: group(
    memops,
    (m) => m.key,
    duration,
    (m) => m.bytes
  ),
  cudaApi: group(spec.runtime, (r) => r.name.replace(/_v\d+$/, ''), duration),
  nvtx: group(spec.nvtx, (n) => (n.domain ? `${n.domain}:${n.text}` : n.text), duration),
  osrt: group(spec.osrt, (o) => o.name, duration)
}

/** The column and boxed formats print a name over 100 code points as its first 99 and `…`. */
const cut = (name: string): string => {
  const points = [...name]
  return points.length > 100 ? `${points.slice(0, 99).join('')}\u2026` : name
}

function check(profile: Profile, withTrace: boolean, printed = (name: string) => name): void {
  for (const [table, expected] of Object.entries(EXPECTED) as [
    TableName,
    Map<string, Expected>
  ][]) {
    // Kernels by the name as printed (their keys are normalised spellings, tested elsewhere).
    const actual =
      table === 'kernels'
        ? new Map([...(profile.tables.kernels?.values() ?? [])].map((s) => [s.name, s]))
        : profile.tables[table]
    const as = (key: string): string => (table === 'kernels' ? printed(key) : key)
    expect([...(actual?.keys() ?? [])].sort(), table).toEqual([...expected.keys()].map(as).sort())
    for (const [key, e] of expected) {
      const stat = actual?.get(as(key))
      expect(stat?.total, `${table} ${key}`).toBe(e.total)
      expect(stat?.instances, `${table} ${key}`).toBe(e.instances)
      expect(stat?.min, `${table} ${key}`).toBe(e.min)
      expect(stat?.max, `${table} ${key}`).toBe(e.max)
    }
  }
  // Sizes are printed in MB with three decimals: each total is within 500 bytes.
  for (const [key, e] of EXPECTED.memTime) {
    const stat = profile.tables.memSize?.get(key)
    expect(stat?.instances, key).toBe(e.instances)
    expect(Math.abs((stat?.total ?? -1e9) - e.bytes), key).toBeLessThanOrEqual(500)
  }
  // nsys itself strips only 4-digit API version tags; the printed name is kept.
  expect(profile.tables.cudaApi?.get('cudaMemcpy')?.name).toBe('cudaMemcpy')
  expect(profile.tables.cudaApi?.get('cudaGraphLaunch')?.name).toBe('cudaGraphLaunch_v10000')
  if (withTrace)
    expect(profile.meta.gpus?.map((g) => g.name).sort()).toEqual(
      spec.gpus.map((g) => g.name).sort()
    )
}

describe('real nsys output of a known export', () => {
  for (const version of ['2022.4', '2023.4']) {
    it(`nsys ${version}: the files written by --output`, async () => {
      const dir = join(REAL, version, 'hostile')
      const runs = await loadInput(dir)
      expect(runs).toHaveLength(1)
      check(runs[0]!, true)
      // Nothing to say of the report files; the captured console output beside them is not
      // read as part of the run, and each such file is named (file-ignored).
      const notes = runs[0]!.meta.notes
      expect(notes.filter((n) => n.code !== 'file-ignored')).toEqual([])
      expect(notes.map((n) => `${n.severity} ${n.message.split(':')[0]!}`).sort()).toEqual(
        [
          'stderr_console_csv.txt',
          'stdout_console_csv.txt',
          'stdout_file_output.txt',
          'stdout_table.txt'
        ].map((f) => `info ${join(dir, f)}`)
      )
    })

    it(`nsys ${version}: CSV captured from the console`, async () => {
      const runs = await loadInput(join(REAL, version, 'hostile', 'stdout_console_csv.txt'))
      check(runs[0]!, true)
    })
  }

  for (const version of ['2022.4', '2023.4']) {
    it(`nsys ${version}: the boxed format (-f table), names with | inside | cells`, async () => {
      const runs = await loadInput(join(REAL, version, 'hostile', 'stdout_table.txt'))
      expect(runs).toHaveLength(1)
      check(runs[0]!, true, cut)
      const cutlass = [...runs[0]!.tables.kernels!.values()].find((s) => s.name.endsWith('…'))
      expect(cutlass?.truncated).toBe(true)
    })

    it(`nsys ${version}: the boxed format cuts names like the column format`, async () => {
      const [boxed] = await loadInput(join(REAL, version, 'cut-names', 'stdout_table.txt'))
      const [column] = await loadInput(join(REAL, version, 'cut-names', 'stdout_column.txt'))
      expect(boxed!.tables).toEqual(column!.tables)
      expect(boxed!.meta.notes.map((n) => n.code)).toEqual(['cut-names', 'cut-names'])
    })
  }

  it('nsys 2022.4 and 2023.4 agree key for key', async () => {
    const [old] = await loadInput(join(REAL, '2022.4', 'hostile'))
    const recent = await loadInput(join(REAL, '2023.4', 'hostile'))
    for (const table of ['kernels', 'memTime', 'memSize', 'cudaApi', 'nvtx', 'osrt'] as const) {
      expect([...(old?.tables[table]?.keys() ?? [])].sort()).toEqual(
        [...(recent[0]?.tables[table]?.keys() ?? [])].sort()
      )
    }
  })
})
