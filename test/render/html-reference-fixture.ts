import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { appendRun, type RunEntry } from '../../src/history/append.js'
import { emptyHistory, type History } from '../../src/history/model.js'
import { historyView } from '../../src/history/view.js'
import { nvtxKernelName } from '../../src/profile/keys.js'
import type { Profile } from '../../src/profile/model.js'
import { profile } from '../support/profiles.js'
import { seededRandom } from '../support/random.js'

/**
 * Comparisons for the HTML report's reference reader (html-reference.test.ts): hostile names in
 * every table the profiles can carry, every status and reason, accepted regressions, a variant
 * pair, NVTX ranges with their kernels, a history, and each verdict. Built from profiles through
 * compareProfiles, as the CLI builds them; the numbers are seeded.
 */

/** Fragments that try to end an element, open a comment, hide or reorder text. */
export const HOSTILE_FRAGMENTS = [
  '</script>',
  '</SCRIPT >',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '"',
  "'",
  '&amp;',
  '&lt;b&gt;',
  '&',
  '<img src=x onerror="window.pwned=1">',
  '<svg/onload=window.pwned=2>',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u0000',
  '\u0001',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ud800',
  '\udfff',
  '😀',
  '\\u{0}',
  '`',
  '|',
  '@',
  'a  b',
  '\t',
  '\n'
]

const GPU = 'NVIDIA H100 80GB HBM3'
export const FINGERPRINT = { gpu: GPU, profiler: 'nsys', major: '', naming: 'demangled' }

/** A name of 1 to 3 hostile fragments around a word, distinct by its index. */
function hostileName(random: () => number, i: number): string {
  const parts: string[] = []
  const n = 1 + Math.floor(random() * 3)
  for (let k = 0; k < n; k++)
    parts.push(HOSTILE_FRAGMENTS[Math.floor(random() * HOSTILE_FRAGMENTS.length)]!)
  return `${parts.join('k')}_${i}`
}

/** Two names of 3,000 characters that differ only in the middle, and one of 600 of astral characters. */
export const LONG_NAMES = [
  `void ${'a'.repeat(1500)}X${'b'.repeat(1500)}(int)`,
  `void ${'a'.repeat(1500)}Y${'b'.repeat(1500)}(int)`,
  `astral_${'😀'.repeat(600)}`
]

/** Names of the kernels that the tests look for by what they are. */
export const SPECIAL = {
  accepted: 'accepted</script><img src=x onerror="window.pwned=3">',
  variantBase: 'gemm_variant_a<"v1">',
  variantHead: 'gemm_variant_b<"v2">',
  tiny: 'tiny\u202e_kernel',
  noisy: 'noisy<!--kernel',
  history: '<svg onload="window.pwned=4">history'
}

/** Kernel names a reader could take for blank, or for each other if spaces collapsed. */
export const BLANK_NAMES = [' ', '  lead  and  run ']

export const ACCEPT_REASON = 'known: </script><b>"accepted"</b> \u202eevil &amp; more'

interface Plan {
  name: string
  /** Base total (ns), or undefined: new. */
  base?: number
  /** Head factor, or undefined: removed. */
  factor?: number
  /** Relative noise per run. */
  noise: number
}

/**
 * Runs of each side: kernels of every status (regressed, improved, new, removed, unchanged under
 * the threshold, under the floor, not significant), an accepted regression, a variant pair; CUDA
 * API calls, NVTX ranges and their kernels, memory operations, all with hostile names.
 */
export function referenceRuns(
  seed: number,
  runs: number,
  options: { kernels?: number; gpu?: { base: string; head: string } } = {}
): { base: Profile[]; head: Profile[] } {
  const random = seededRandom(seed)
  const plans: Plan[] = []
  const count = options.kernels ?? 48
  const kinds = ['regressed', 'improved', 'new', 'removed', 'same', 'small'] as const
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length]!
    const name = hostileName(random, i)
    const base = 200_000 + Math.floor(random() * 800_000)
    if (kind === 'regressed') plans.push({ name, base, factor: 1.3 + random() * 0.5, noise: 0.01 })
    if (kind === 'improved') plans.push({ name, base, factor: 0.5 + random() * 0.2, noise: 0.01 })
    if (kind === 'new') plans.push({ name, factor: 1, base: undefined, noise: 0.01 })
    if (kind === 'removed') plans.push({ name, base, noise: 0.01 })
    if (kind === 'same') plans.push({ name, base, factor: 1, noise: 0.005 })
    if (kind === 'small') plans.push({ name, base, factor: 1.02, noise: 0.002 })
  }
  for (const name of LONG_NAMES) plans.push({ name, base: 300_000, factor: 1.5, noise: 0.01 })
  plans.push({ name: SPECIAL.accepted, base: 500_000, factor: 1.6, noise: 0.01 })
  plans.push({ name: SPECIAL.variantBase, base: 400_000, factor: undefined, noise: 0.01 })
  plans.push({ name: SPECIAL.variantHead, base: undefined, factor: 1, noise: 0.01 })
  // Under the floor: 50 % slower, but a share of the total far under 0.1 %.
  plans.push({ name: SPECIAL.tiny, base: 200, factor: 1.5, noise: 0.001 })
  // Not significant: moved 10 %, with noise of ±40 % a run.
  plans.push({ name: SPECIAL.noisy, base: 600_000, factor: 1.1, noise: 0.4 })
  plans.push({ name: SPECIAL.history, base: 100_000, factor: 1.12, noise: 0.001 })
  // Names of spaces: one of nothing but a space, one with a run of them and a leading one.
  for (const name of BLANK_NAMES) plans.push({ name, base: 250_000, factor: 1.4, noise: 0.01 })
  const side = (head: boolean): Profile[] =>
    Array.from({ length: runs }, (_, r) => {
      const kernels: Record<string, [number, number]> = {}
      for (const p of plans) {
        if (p.base === undefined && !head) continue
        if (p.factor === undefined && head) continue
        const value = (p.base ?? 300_000) * (head ? (p.factor ?? 1) : 1)
        const jitter = 1 + p.noise * (2 * random() - 1)
        kernels[p.name] = [Math.max(1, Math.round(value * jitter)), 10 + (r % 2)]
      }
      const api: Record<string, [number, number]> = {}
      const nvtxGpu: Record<string, [number, number]> = {}
      const nvtxKernels: Record<string, [number, number]> = {}
      const memSize: Record<string, [number, number]> = {}
      for (let i = 0; i < 12; i++) {
        const name = `cuda${hostileName(seededRandom(seed * 31 + i), i)}`
        api[name] = [Math.round((50_000 + i * 7_000) * (head && i % 3 === 0 ? 1.5 : 1)), 20 + i]
        const range = `range${hostileName(seededRandom(seed * 17 + i), i)}`
        // A range that runs twice as often in the head at the same time each: unchanged.
        const occurrences = head && i % 4 === 1 ? 8 : 4
        const perOccurrence = (100_000 + i * 10_000) * (head && i % 4 === 0 ? 1.4 : 1)
        nvtxGpu[range] = [Math.round(perOccurrence * occurrences), occurrences]
        for (let k = 0; k < 2; k++)
          nvtxKernels[nvtxKernelName(range, `k${k}  ${HOSTILE_FRAGMENTS[(i + k) % 12]}`)] = [
            Math.round((perOccurrence / 3) * occurrences * (head && k === 0 ? 1.2 : 1)),
            occurrences
          ]
      }
      // Names of nothing but spaces (the API table keys them as they are).
      api['  '] = [40_000, 3]
      api['   '] = [40_000, 3]
      memSize['[CUDA memcpy Host-to-Device]'] = [head ? 4_000_000 : 2_000_000, 10]
      memSize['[CUDA memset]'] = [1_000_000, 10]
      const gpuName = head ? (options.gpu?.head ?? GPU) : (options.gpu?.base ?? GPU)
      return profile(
        {
          kernels,
          cudaApi: api,
          nvtxGpu,
          nvtxKernels,
          memSize
        },
        {
          gpus: [{ name: gpuName, driver: '550.54', cuda: '12.4' }],
          runner: 'runner </p><script>window.pwned=5</script>'
        }
      )
    })
  return { base: side(false), head: side(true) }
}

/** A history of nine runs of SPECIAL.history and one of the long names. */
export function referenceHistory(): History {
  const values = [100, 92, 108, 96, 104, 100, 94, 106, 100].map((v) => v * 1000)
  return values.reduce(
    (h, v, i): History =>
      appendRun(
        h,
        {
          run: { sha: `s${i}`, date: '2026-11-01T00:00:00Z', repetitions: 1, ...FINGERPRINT },
          tables: {
            kernels: new Map([
              [SPECIAL.history, { name: SPECIAL.history, value: v, spread: 0, count: 1 }]
            ])
          }
        } satisfies RunEntry,
        50
      ),
    emptyHistory()
  )
}

export type Verdicts = 'regression' | 'pass' | 'accepted' | 'inconclusive'

/** A comparison with the given verdict (by construction; the tests check it). */
export function referenceComparison(verdict: Verdicts, seed = 7): Comparison {
  const rulesFile: Record<string, unknown> = {
    accept: [
      {
        pattern: '^accepted',
        reason: ACCEPT_REASON,
        until: '2099-12-31'
      }
    ],
    families: [{ match: '^gemm_variant_', family: 'gemm </script> family' }],
    tables: { cudaApi: { gateTotal: true } }
  }
  if (verdict === 'pass') {
    const base = [profile({ kernels: { a: 100_000, '<b>b</b>': 200_000, 'c\u0000': 300_000 } })]
    const head = [profile({ kernels: { a: 101_000, '<b>b</b>': 199_000, 'c\u0000': 300_500 } })]
    return compareProfiles(base, head, buildRules(undefined))
  }
  const { base, head } = referenceRuns(
    seed,
    verdict === 'regression' ? 6 : 1,
    verdict === 'inconclusive'
      ? { gpu: { base: GPU, head: 'NVIDIA A100 <script>x</script>\u202e' } }
      : {}
  )
  return compareProfiles(base, head, buildRules(rulesFile), {
    history: historyView(referenceHistory(), FINGERPRINT, { branch: 'main' }),
    now: new Date('2026-12-01T00:00:00Z'),
    ...(verdict === 'accepted' ? { acceptLabel: 'perf-ok </script>\u202e' } : {})
  })
}
