import type { Table } from '../profile/model.js'
import { scanRows } from '../profile/packed.js'
import { addRow } from '../profile/stat.js'
import type { FamilyRule } from './rules.js'

/**
 * Kernel identity beyond the canonical key (profile/keys.ts):
 *
 * - Cut names. nsys's column format cuts names at 100 characters; rows whose cut names collide
 *   are one item (`sharedBy`). When one side has cut names, the other side's full names that
 *   begin like a cut name join that item, so the group is compared as a whole.
 * - Families. When kernels disappear and others appear that differ only in what a library picks
 *   per build or per shape (a cuBLAS/CUTLASS tile configuration, a Triton kernel index or
 *   signature suffix, an nvc++ source-line suffix, template arguments of one function), they are
 *   paired as one "variant changed" item and judged as one.
 */

/** Longer keys cannot come from nsys's cuts (100 or 333 characters): ignored as cut items. */
const MAX_CUT_KEY = 1000

/**
 * Re-keys `other` so that its full names meet the cut names of `cut`: each row whose key starts
 * with what is left of a cut key (without its `…`) joins that cut item — the longest such prefix
 * when several fit. Keys are compared after normalisation (profile/keys.ts), so a name cut by one
 * nsys version still meets the full name another version spelled differently, as long as the
 * spellings agree up to the cut. Returns the table itself when nothing changes.
 */
export function joinCutNames(cut: readonly Table[], other: Table): Table {
  return cutNameJoiner(cut)(other)
}

/** joinCutNames for many tables against the same cut side: the cut items are indexed once. */
export function cutNameJoiner(cut: readonly Table[]): (other: Table) => Table {
  // Each cut item by what is left of its key, and by that less an unfinished token (cutPrefix):
  // a full name that begins like the former joins it first; the latter only serves when no
  // other cut item shares it.
  const prefixes = new Map<string, string>()
  const shorter = new Map<string, string | null>()
  for (const t of cut) {
    // Scanned (no Stat made a row), and the flag first: `endsWith` would flatten every key that
    // is a concatenation (keys.ts builds many), a copy of each for nothing where none is cut.
    scanRows(t, (key, stat) => {
      // nsys cuts at 100 (or, in 2019–2020, 333) characters: longer "cut" keys come from an
      // edited profile, and nested ones would make every lookup walk a long chain.
      if (!stat.truncated || !key.endsWith('…') || key.length > MAX_CUT_KEY) return
      const whole = key.slice(0, -1).trimEnd()
      prefixes.set(whole, key)
      const short = cutPrefix(whole)
      if (short === whole) return
      const seen = shorter.get(short)
      shorter.set(short, seen === undefined || seen === key ? key : null)
    })
  }
  const fallbacks = new Set<string>()
  for (const [short, key] of shorter) {
    if (key === null || prefixes.has(short)) continue
    prefixes.set(short, key)
    fallbacks.add(short)
  }
  if (prefixes.size === 0) return (other) => other
  const index = new PrefixIndex(prefixes.keys())
  return (other) => joinWith(prefixes, fallbacks, index, other)
}

/**
 * `fallbacks`: the prefixes less an unfinished token. A full name may join through them; a cut
 * name may not — `…unsigned l…` is not `…unsigned i…` cut shorter, it is another kernel.
 */
function joinWith(
  prefixes: Map<string, string>,
  fallbacks: ReadonlySet<string>,
  index: PrefixIndex,
  other: Table
): Table {
  let changed = false
  const out: Table = new Map()
  for (const [key, stat] of other) {
    let target = key
    // A name cut longer (nsys 2020 cut at 333 characters) also joins a shorter cut of it.
    if (!prefixes.has(key)) {
      // Longest first: the most specific cut item wins.
      for (const prefix of index.prefixesOf(key)) {
        const cutKey = prefixes.get(prefix)
        if (cutKey === undefined || (stat.truncated && fallbacks.has(prefix))) continue
        // The same cut item on both sides: it is itself, not a longer cut of a shorter one.
        if (cutKey === key) break
        target = cutKey
        changed = true
        break
      }
    }
    // addRow keeps the object it is given: the input table's stat stays the input's.
    if (target === key) addRow(out, key, { ...stat })
    else addRow(out, target, { ...stat, truncated: true, sharedBy: 1 })
  }
  return changed ? out : other
}

/**
 * The strings of a set that a text starts with, longest first, without trying each: the set is
 * sorted, each member knows the longest other member that is a prefix of it, and a text's
 * longest prefix in the set is found from the greatest member not above the text (linear in the
 * text plus the chain of nested prefixes, where a scan would take the set's size per text).
 */
class PrefixIndex {
  private readonly sorted: string[]
  private readonly parent: Int32Array

  constructor(prefixes: Iterable<string>) {
    this.sorted = [...prefixes].filter((p) => p.length > 0).sort()
    this.parent = new Int32Array(this.sorted.length).fill(-1)
    // Everything sorted between a string and a longer one it begins are longer ones it begins.
    const stack: number[] = []
    this.sorted.forEach((p, i) => {
      while (stack.length > 0 && !p.startsWith(this.sorted[stack[stack.length - 1]!]!)) stack.pop()
      this.parent[i] = stack.length > 0 ? stack[stack.length - 1]! : -1
      stack.push(i)
    })
  }

  *prefixesOf(text: string): Generator<string> {
    let lo = 0
    let hi = this.sorted.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (this.sorted[mid]! <= text) {
        found = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    if (found < 0) return
    // Every member that is a prefix of the text is a prefix of this one, within what they share.
    const candidate = this.sorted[found]!
    const max = Math.min(candidate.length, text.length)
    let common = 0
    while (common < max && candidate.charCodeAt(common) === text.charCodeAt(common)) common++
    for (let i = found; i >= 0; i = this.parent[i]!) {
      const prefix = this.sorted[i]!
      if (prefix.length <= common) yield prefix
    }
  }
}

/**
 * What a full key must start with to be the name nsys cut. The cut can fall inside a spelling the
 * keys normalise, so the unfinished token goes: a cast (`(int)1` is keyed `1`, so a cut `(int` or
 * `(int)` cannot be matched as printed) and a word after a space (`unsigned i…`).
 */
function cutPrefix(text: string): string {
  let end = text.length
  const open = text.lastIndexOf('(')
  // `(`, `(in`, `(unsigned int`, `(int)` at the very end: a cast whose value was cut off.
  if (open >= 0 && /^\((?:[\w ]*\)?)?$/.test(text.slice(open))) end = open
  else {
    const space = text.lastIndexOf(' ')
    if (space >= 0 && /^\w+$/.test(text.slice(space + 1))) end = space + 1
  }
  return text.slice(0, end).trimEnd()
}

export interface BuiltinFamily {
  /** Shown in reports: why the two names were paired. */
  label: string
  family: (name: string) => string | undefined
}

/** Built-in family rules, tried in this order after the user's. */
export const BUILTIN_FAMILIES: readonly BuiltinFamily[] = [
  {
    // nvc++ / OpenACC outlined kernels carry the source line: `main_F1L357_22` → `main_F1L355_20`.
    label: 'source-line suffix (nvc++)',
    family: (name) =>
      /_F\d+L\d+_\d+/.test(name) ? name.replace(/_F\d+L\d+_\d+/g, '_F#L#_#') : undefined
  },
  {
    // torch.compile's Triton kernels: `triton_poi_fused_add_0` → `_1`; older Triton releases also
    // appended a signature (`_0d1d2de`).
    label: 'Triton kernel index',
    family: (name) => {
      if (!name.startsWith('triton_')) return undefined
      const family = name.replace(/(?:_(?=[0-9de]*\d)[0-9de]+){1,2}$/, '')
      return family === name ? undefined : `triton:${family}`
    }
  },
  {
    // cuBLAS / cuDNN / CUTLASS kernels named after their tile configuration and layout:
    // `ampere_sgemm_128x64_tn` → `ampere_sgemm_128x128_nn`, `tilesize128x128x64` → `64x128x64`.
    label: 'tile configuration',
    family: (name) => {
      const family = name
        .replace(/(?<!\d)\d+(?:x\d+)+/g, '#') // the lookbehind: one try per digit run, not per digit
        .replace(/_(?:tn|nt|nn|tt)(?=_|$|\W)/g, '_##')
      return family === name ? undefined : `tile:${family}`
    }
  },
  {
    // The same function template with other template arguments (and so, often, other
    // parameter types): the qualified function name without either.
    label: 'template arguments',
    family: (name) => {
      const family = withoutTemplateArguments(name)
      if (family === undefined || family === name) return undefined
      const open = family.search(/\((?!anonymous namespace\))/)
      return `template:${(open < 0 ? family : family.slice(0, open)).trim()}`
    }
  }
]

/** The family of a kernel (by key), or undefined when it belongs to none. */
export function familyOf(
  key: string,
  name: string,
  user: readonly FamilyRule[]
): { id: string; label: string } | undefined {
  for (const rule of user) {
    if (rule.match.test(name) || rule.match.test(key))
      return { id: `user:${rule.family}`, label: `family "${rule.family}" (rules file)` }
  }
  for (const builtin of BUILTIN_FAMILIES) {
    const id = builtin.family(key)
    if (id !== undefined) return { id, label: builtin.label }
  }
  return undefined
}

/**
 * The bare function name of a demangled kernel signature, as nsys's `base` variant prints it:
 * `void ns::f<int, 4>(float*, int)` → `f`. Template arguments go (withoutTemplateArguments), then
 * the parameters (from the first `(` that does not open `(anonymous namespace)`), the namespaces
 * and the return type. Undefined where the name does not read as a signature.
 */
export function functionName(signature: string): string | undefined {
  const plain = signature.includes('<') ? withoutTemplateArguments(signature) : signature
  if (plain === undefined) return undefined
  const open = plain.search(/\((?!anonymous namespace\))/)
  if (open <= 0) return undefined
  const head = plain.slice(0, open).trimEnd()
  const colons = head.lastIndexOf('::')
  const name = head.slice(Math.max(colons < 0 ? 0 : colons + 2, head.lastIndexOf(' ') + 1))
  return BARE_NAME.test(name) ? name : undefined
}

/** A kernel name as nsys's `base` variant prints it: an identifier alone. */
export const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/

/**
 * A name without its template argument lists: `void f<128, 4>(P)` → `void f(P)`. Undefined when
 * the brackets do not balance or belong to operators (`operator<`, `->`).
 */
export function withoutTemplateArguments(name: string): string | undefined {
  if (!name.includes('<')) return undefined
  if (/operator\s*(?:<|>|->)|->/.test(name)) return undefined
  let depth = 0
  let out = ''
  for (const ch of name) {
    if (ch === '<') depth += 1
    else if (ch === '>') {
      depth -= 1
      if (depth < 0) return undefined
    } else if (depth === 0) out += ch
  }
  return depth === 0 ? out : undefined
}
