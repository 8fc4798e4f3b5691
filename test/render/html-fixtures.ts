import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import type { Profile } from '../../src/profile/model.js'
import { DurationSketch } from '../../src/profile/sketch.js'
import type { KernelLaunches } from '../../src/profile/timeline.js'
import { profile } from '../support/profiles.js'

/** Kernel names that try to become markup, end the data element, or hide text. */
export const HOSTILE_HTML = [
  '<script>alert(1)</script>',
  '</script><script>alert(2)</script>',
  '<img src=x onerror="window.pwned=1">',
  '</textarea><textarea>',
  '"quoted" and \'single\' &amp;',
  '<!-- comment',
  'nul\u0000byte',
  'bidi \u202Eevil\u202C and zero\u200Bwidth',
  'line\u2028separator\u2029paragraph',
  'new\nline',
  '<svg onload="window.pwned=2"><a href="javascript:alert(3)">x</a></svg>',
  'plain_kernel'
]

/** Every hostile name regressed or improved (so each gets a row in the charted sections too). */
export function hostileHtmlComparison(): Comparison {
  const base = Object.fromEntries(HOSTILE_HTML.map((name, i) => [name, 100_000 + i]))
  const head = Object.fromEntries(
    HOSTILE_HTML.map((name, i) => [name, i % 2 === 0 ? 130_000 : 70_000])
  )
  return compareProfiles(
    [profile({ kernels: base })],
    [profile({ kernels: head })],
    buildRules(undefined)
  )
}

/** The bench generator's kernel names (bench/run.js): ~330 characters of templates each. */
export const longKernelName = (i: number): string =>
  `void at::native::elementwise_kernel<128, ${i % 8}, at::native::gpu_kernel_impl<at::native::kernel_${i}<c10::BFloat16, float>>(at::TensorIteratorBase&, const at::native::BinaryFunctor<c10::BFloat16, c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float>>&)::{lambda(int)#1}>(int, T3)`

/**
 * `count` kernels with long names, one run a side; every third kernel 20 % slower in the head,
 * every third 20 % faster, the rest the same. With `launches`, each kernel also has a launch
 * sketch of LAUNCHES launches spread over ±25 % of its mean (as a GPU trace gives), so that every
 * kernel row carries its distributions.
 */
export function largeRuns(count: number, launches = false): { base: Profile[]; head: Profile[] } {
  const base: Record<string, [number, number]> = {}
  const head: Record<string, [number, number]> = {}
  const baseLaunches: KernelLaunches = new Map()
  const headLaunches: KernelLaunches = new Map()
  let seed = 1
  const random = (): number => {
    seed = (seed * 48271) % 2147483647
    return seed / 2147483647
  }
  for (let i = 0; i < count; i++) {
    const name = longKernelName(i)
    const total = 1_000_000 + ((i * 7919) % 1_000_000)
    const factor = i % 3 === 0 ? 1.2 : i % 3 === 1 ? 0.8 : 1
    base[name] = [total, LAUNCHES]
    head[name] = [total * factor, LAUNCHES]
    if (!launches) continue
    for (const [map, sum] of [
      [baseLaunches, total],
      [headLaunches, total * factor]
    ] as const) {
      const sketch = new DurationSketch()
      for (let k = 0; k < LAUNCHES; k++) sketch.add((sum / LAUNCHES) * (0.75 + 0.5 * random()))
      // Keyed as profile() keys the kernels table: by the name.
      map.set(name, { name, sketch })
    }
  }
  const b = profile({ kernels: base })
  const h = profile({ kernels: head })
  if (launches) {
    b.launches = baseLaunches
    h.launches = headLaunches
  }
  return { base: [b], head: [h] }
}

/** Launches per kernel in largeRuns. */
export const LAUNCHES = 200

export function largeComparison(count: number): Comparison {
  const { base, head } = largeRuns(count)
  return compareProfiles(base, head, buildRules(undefined))
}
