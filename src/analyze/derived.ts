import type { Rules } from '../compare/rules.js'
import { TABLE_NAMES, TABLES, type Profile, type Table, type TableName } from '../profile/model.js'
import { categoryTable } from './categories.js'
import { hostApiTable, hostSyncTable } from './host.js'
import { busyTable } from './idle.js'

/**
 * Tables derived from a profile's own tables when two sides are compared: GPU time by category
 * (from kernels and memory operations), the host side (from the API table) and GPU busy time
 * (from the per-device figures of a trace's timeline). Computed at compare time, the same way
 * for both sides and under the same rules (a rules file's categories), so that a baseline
 * written before these tables existed gets them too (the busy time where it had a trace). They are
 * marked `derived` in the table registry (profile/model.ts) and never written to a profile JSON.
 *
 * Returns a new profile; the one given is not changed. A derived table found in the input (a
 * profile JSON that holds one) is replaced by the one computed here, or removed when its
 * source is absent: only what the profile measured counts.
 */
export function withDerivedTables(profile: Profile, rules: Rules): Profile {
  const tables = { ...profile.tables }
  for (const name of DERIVED_TABLES) delete tables[name]
  const derived: Partial<Record<TableName, Table | undefined>> = {
    categories: categoryTable(tables.kernels, tables.memTime, rules),
    hostApi: tables.cudaApi && hostApiTable(tables.cudaApi),
    hostSyncs: tables.cudaApi && hostSyncTable(tables.cudaApi),
    gpuBusy: busyTable(profile.timeline)
  }
  for (const name of DERIVED_TABLES) {
    const table = derived[name]
    if (table) tables[name] = table
  }
  return { ...profile, tables }
}

/** The tables withDerivedTables computes. */
export const DERIVED_TABLES: readonly TableName[] = TABLE_NAMES.filter(
  (name) => 'derived' in TABLES[name]
)
