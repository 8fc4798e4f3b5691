import {
  emptyMeta,
  type Profile,
  type Stat,
  type Table,
  type TableName
} from '../../src/profile/model.js'

/** A profile from `{ kernels: { name: totalNs | [totalNs, instances] } }`, for compare tests. */
export function profile(
  tables: Partial<Record<TableName, Record<string, number | [number, number]>>>,
  meta: Partial<Profile['meta']> = {}
): Profile {
  const out: Profile = {
    meta: { ...emptyMeta({ name: 'nsys-bench', version: 'test' }), ...meta },
    tables: {}
  }
  for (const [name, rows] of Object.entries(tables) as [
    TableName,
    Record<string, number | [number, number]>
  ][]) {
    const table: Table = new Map()
    for (const [key, value] of Object.entries(rows)) {
      const [total, instances] = Array.isArray(value) ? value : [value, 1]
      const stat: Stat = {
        name: key,
        total,
        instances,
        avg: instances ? total / instances : 0,
        min: total / Math.max(instances, 1),
        max: total / Math.max(instances, 1)
      }
      table.set(key, stat)
    }
    out.tables[name] = table
  }
  return out
}

/** Runs of the same profile with each item's total scaled per run. */
export function runs(
  base: Record<string, number>,
  factors: number[],
  table: TableName = 'kernels'
): Profile[] {
  return factors.map((f) =>
    profile({
      [table]: Object.fromEntries(Object.entries(base).map(([k, v]) => [k, Math.round(v * f)]))
    })
  )
}
