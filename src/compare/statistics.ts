/**
 * Statistics for repeated runs: the Mann–Whitney U test and the Hodges–Lehmann confidence
 * interval that goes with it (distribution-free; no assumption of normal run-to-run noise).
 *
 * Each sample is one run's total time for an item. The test asks whether head runs are
 * systematically slower or faster than base runs; the interval bounds the ratio head/base with
 * the matching confidence, taken from the order statistics of all pairwise ratios.
 */

export function median(values: readonly number[]): number {
  const n = values.length
  if (n === 0) return 0
  // Sorted in a scratch array kept between calls: compare takes a median per item and side, of
  // a few values (the runs), where allocating a typed array would cost more than the sort.
  if (n > scratch.length) scratch = new Float64Array(Math.max(n, scratch.length * 2))
  const sorted = scratch
  let ordered = true
  for (let i = 0; i < n; i++) {
    const value = values[i]!
    if (value !== value) ordered = false
    sorted[i] = value
  }
  if (n <= 16 && ordered) {
    // Insertion sort: the fastest for a handful of numbers (no NaN here: they sort last below).
    for (let i = 1; i < n; i++) {
      const value = sorted[i]!
      let j = i - 1
      while (j >= 0 && sorted[j]! > value) {
        sorted[j + 1] = sorted[j]!
        j--
      }
      sorted[j + 1] = value
    }
  } else sorted.subarray(0, n).sort()
  const mid = n >> 1
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

let scratch = new Float64Array(64)

/**
 * Null distribution of U for sample sizes (n, m) without ties: cdf[u] = P(U <= u).
 * Counts come from the recurrence f(n, m, u) = f(n - 1, m, u - m) + f(n, m - 1, u); the result
 * depends only on (n, m), so it is computed once per pair of sizes.
 */
const CDF_CACHE = new Map<string, Float64Array>()
const EXACT_LIMIT = 400 // n * m above this: normal approximation

export function uCdf(n: number, m: number): Float64Array | undefined {
  if (n * m > EXACT_LIMIT) return undefined
  const key = `${n},${m}`
  const cached = CDF_CACHE.get(key)
  if (cached) return cached
  // counts[i][j] = distribution of U for sizes (i, j), as an array over u (length i*j+1).
  let previous: Float64Array[] = [] // row i-1
  for (let i = 0; i <= n; i++) {
    const row: Float64Array[] = []
    for (let j = 0; j <= m; j++) {
      const dist = new Float64Array(i * j + 1)
      if (i === 0 || j === 0) dist[0] = 1
      else {
        const a = previous[j] // (i-1, j): U shifted by j
        const b = row[j - 1] // (i, j-1)
        if (a) for (let u = 0; u < a.length; u++) dist[u + j] = (dist[u + j] ?? 0) + (a[u] ?? 0)
        if (b) for (let u = 0; u < b.length; u++) dist[u] = (dist[u] ?? 0) + (b[u] ?? 0)
      }
      row.push(dist)
    }
    previous = row
  }
  const counts = previous[m] ?? new Float64Array(1)
  let total = 0
  for (const c of counts) total += c
  const cdf = new Float64Array(counts.length)
  let running = 0
  for (let u = 0; u < counts.length; u++) {
    running += counts[u] ?? 0
    cdf[u] = running / total
  }
  CDF_CACHE.set(key, cdf)
  return cdf
}

/** The smallest two-sided p-value any data can give with these sample sizes. */
export function minimumPValue(n: number, m: number): number {
  const cdf = uCdf(n, m)
  if (cdf) return Math.min(1, 2 * (cdf[0] ?? 1))
  return 0 // large samples: unbounded below
}

/**
 * The smallest two-sided p `mannWhitney` can give for these pooled values, over every split of
 * them into n base and m head values whose U lies on the side of n·m / 2 that `way` names: the
 * head's values above the base's (`way` > 0), below (`way` < 0), either (0). Without ties it is
 * minimumPValue(n, m), the bound of the sizes alone. With ties (a kernel missing from runs counts
 * 0 in each, call counts repeat across runs) it can be far above it: the most extreme split in
 * that direction gives the head the m largest values (or smallest), and when t copies of a tied
 * value straddle the boundary, k of them below it, each of the C(t, k) ways to choose those k is
 * as extreme, so the exact p there is 2 · C(t, k) / C(n + m, m); no split in that direction gives less (checked against every
 * split for every tie pattern of up to 10 values: test/compare/tied-reach.test.ts). The cost is a
 * sort and a pass, not the test's count of splits. Beyond the exact test's sizes
 * (n·m > EXACT_LIMIT) it is the normal approximation's p of that extreme split. All values tied:
 * no split moves either way, 1. A NaN makes the test give 1 whatever the split; the bound of the
 * sizes is kept for it, as without ties.
 */
export function leastPValue(base: readonly number[], head: readonly number[], way: number): number {
  const n = base.length
  const m = head.length
  const untied = minimumPValue(n, m)
  if (n === 0 || m === 0 || base.some(Number.isNaN) || head.some(Number.isNaN)) return untied
  const all = [...base, ...head].sort(ascending)
  let ties = false
  for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) ties = true
  if (!ties) return untied
  let least = 1
  for (const up of way > 0 ? [true] : way < 0 ? [false] : [true, false]) {
    // The extreme split: the head takes the top m values (up) or the bottom m.
    const cut = up ? n : m
    if (all[0] === all[all.length - 1]) continue // every value tied: U is n·m / 2 in every split
    if (n * m > EXACT_LIMIT) {
      const low = all.slice(0, cut)
      const high = all.slice(cut)
      least = Math.min(least, (up ? mannWhitney(low, high) : mannWhitney(high, low)).p)
      continue
    }
    // The tied value at the boundary: its t copies, k of them on the side below the cut.
    const value = all[cut - 1]!
    let t = 0
    let k = 0
    for (let i = 0; i < all.length; i++) {
      if (all[i] !== value) continue
      t += 1
      if (i < cut) k += 1
    }
    least = Math.min(least, (2 * binomial(t, k)) / binomial(n + m, m))
  }
  return Math.min(1, least)
}

/** C(a, b), exact for the sizes the exact test allows (C(40, 20) < 2⁵³). */
function binomial(a: number, b: number): number {
  const k = Math.min(b, a - b)
  let c = 1
  for (let i = 0; i < k; i++) c = (c * (a - i)) / (i + 1)
  return c
}

export interface UTest {
  /** Number of (base, head) pairs with head > base, ties counting one half. */
  u: number
  /** Two-sided p-value. */
  p: number
  exact: boolean
}

/**
 * Two-sided Mann–Whitney U test of head against base. Exact while n·m ≤ EXACT_LIMIT: without ties
 * from the tabulated null distribution of U; with ties (across the sides or within one) from the
 * permutation distribution of U given the tie pattern (tiedExactP), as the normal approximation
 * with a handful of runs can fall well below the exact p (below even the smallest p the sizes
 * allow: 4 tied runs a side against 4 give 0.013 where 2 / C(8, 4) = 0.029 is the least possible). Larger samples: the normal
 * approximation with the tie correction and the continuity correction. A NaN has no rank: a sample
 * with one gives p = 1 (no evidence either way); ±Infinity ranks as the extreme it is.
 */
export function mannWhitney(base: readonly number[], head: readonly number[]): UTest {
  const n = base.length
  const m = head.length
  if (base.some(Number.isNaN) || head.some(Number.isNaN))
    return { u: Number.NaN, p: 1, exact: false }
  let u = 0
  for (const b of base) {
    for (const h of head) {
      if (h > b) u += 1
      else if (h === b) u += 0.5
    }
  }
  // Ties anywhere in the pooled values, within a side too: the splits the null distribution
  // counts move tied values across the sides, so it is the tabulated one only without any.
  const all = [...base, ...head].sort(ascending)
  let ties = false
  for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) ties = true
  if (n * m <= EXACT_LIMIT && ties) return { u, p: tiedExactP(base, head), exact: true }
  const cdf = ties ? undefined : uCdf(n, m)
  if (cdf) {
    // Without ties U is an integer and its null distribution symmetric about nm / 2: the upper
    // tail P(U ≥ u) is P(U ≤ nm − u), read off the cdf (1 − cdf[u − 1] would cancel digits).
    const tail = cdf[Math.min(u, n * m - u)] ?? 1
    return { u, p: Math.min(1, 2 * tail), exact: true }
  }
  // Normal approximation with tie correction and continuity correction.
  let tieTerm = 0
  for (let i = 0; i < all.length;) {
    let j = i
    while (j < all.length && all[j] === all[i]) j++
    const t = j - i
    tieTerm += t ** 3 - t
    i = j
  }
  const N = n + m
  const mean = (n * m) / 2
  const variance = ((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1)))
  if (variance <= 0) return { u, p: 1, exact: false }
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance)
  return { u, p: Math.min(1, 2 * normalUpperTail(z)), exact: false }
}

/** Numeric order that keeps equal infinities equal (a − b is NaN for them). */
const ascending = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The exact two-sided p of the rank test with ties: under the null hypothesis every split of the
 * pooled values into n base and m head values is equally likely, so the rank sum of a side is
 * that of a random subset of the pooled midranks. Its distribution is counted by subset size and
 * sum (midranks doubled, so integers) over the smaller side; p = 2 · min(P(S ≤ s), P(S ≥ s)),
 * capped at 1, as without ties. U is the rank sum less a constant (or a constant less it), so the
 * tails of S are those of U.
 */
function tiedExactP(base: readonly number[], head: readonly number[]): number {
  // The side counted is the smaller one (fewer subsets to count); `counted` marks its values.
  const countHead = head.length <= base.length
  const all = [
    ...base.map((v) => ({ v, counted: !countHead })),
    ...head.map((v) => ({ v, counted: countHead }))
  ].sort((a, b) => ascending(a.v, b.v))
  const N = all.length
  const k = countHead ? head.length : base.length
  const ranks = new Array<number>(N) // doubled midranks: i + j + 1 for the tied run [i, j)
  let observed = 0
  for (let i = 0; i < N;) {
    let j = i
    while (j < N && all[j]!.v === all[i]!.v) j++
    for (let t = i; t < j; t++) {
      ranks[t] = i + j + 1
      if (all[t]!.counted) observed += i + j + 1
    }
    i = j
  }
  let max = 0
  for (let t = N - k; t < N; t++) max += ranks[t]!
  const width = max + 1
  // ways[j · width + s]: subsets of j of the ranks seen so far whose doubled sum is s.
  const ways = new Float64Array((k + 1) * width)
  ways[0] = 1
  // The sums reached so far are at most the ranks seen so far added up: nothing above is counted.
  let reach = 0
  for (let t = 0; t < N; t++) {
    const r = ranks[t]!
    const top = Math.min(reach, max - r)
    reach += r
    for (let j = Math.min(t + 1, k); j >= 1; j--) {
      const to = j * width
      const from = (j - 1) * width
      for (let s = top; s >= 0; s--) {
        const w = ways[from + s]!
        if (w !== 0) ways[to + s + r] = ways[to + s + r]! + w
      }
    }
  }
  let total = 0
  let low = 0
  let high = 0
  for (let s = 0; s <= max; s++) {
    const w = ways[k * width + s]!
    total += w
    if (s <= observed) low += w
    if (s >= observed) high += w
  }
  return Math.min(1, (2 * Math.min(low, high)) / total)
}

export interface RatioInterval {
  /** Hodges–Lehmann estimate: the median of all pairwise ratios head/base. */
  estimate: number
  low: number
  high: number
  /** The confidence actually achieved (≥ the one asked for, or the best these sizes allow). */
  confidence: number
}

/**
 * Confidence interval for the ratio head/base from the pairwise ratios' order statistics
 * (the interval that inverts the Mann–Whitney test). Undefined when a base sample is 0.
 */
export function ratioInterval(
  base: readonly number[],
  head: readonly number[],
  confidence: number
): RatioInterval | undefined {
  if (base.some((b) => b <= 0)) return undefined
  const ratios: number[] = []
  for (const b of base) for (const h of head) ratios.push(h / b)
  ratios.sort((a, b) => a - b)
  const k = ratios.length
  const alpha = 1 - confidence
  const cdf = uCdf(base.length, head.length)
  let c: number // 1-based rank of the lower bound
  if (cdf) {
    c = 0
    while (c < cdf.length && (cdf[c] ?? 1) <= alpha / 2) c++
    // cdf[c-1] <= alpha/2 < cdf[c]: the bound is the c-th smallest ratio.
  } else {
    const z = normalQuantile(1 - alpha / 2)
    const n = base.length
    const m = head.length
    c = Math.floor((n * m) / 2 - z * Math.sqrt((n * m * (n + m + 1)) / 12))
  }
  // The interval [D(r), D(nm+1-r)] covers the true ratio with probability 1 - 2 P(U <= r-1).
  const rank = Math.max(c, 1)
  return {
    estimate: median(ratios),
    low: ratios[rank - 1] ?? Number.NaN,
    high: ratios[k - rank] ?? Number.NaN,
    confidence: cdf ? 1 - 2 * (cdf[rank - 1] ?? 0) : confidence
  }
}

/**
 * P(Z > z) for a standard normal Z, to within 1e-13 relative for every z whose tail is a normal
 * double (z up to 37.5; beyond, within a unit of the last place of the subnormal result, and 0
 * from about 38.5). The Abramowitz–Stegun polynomial used before (26.2.17) was good to 7.5e-8
 * absolute only: 2 % off at z = 10, and further off beyond. Here P(Z > z) = φ(z) · R(z), φ the
 * density: below z = 2.5, 1/2 − φ(z) · Σ z^(2i+1) / (1·3·…·(2i+1)) (the series of the integral
 * from 0 to z; its terms are all positive, so it loses only the digits 1/2 − P cancels, and
 * P ≥ 0.006 there); from 2.5 on, Mills' ratio R(z) by Laplace's continued fraction
 * 1 / (z + 1 / (z + 2 / (z + 3 / (z + …)))), evaluated forward (modified Lentz) until a step
 * changes it by less than a unit in the last place: at most about 70 steps at z = 2.5, 12 at 10.
 * e^(−z²/2) is taken as e^(−h²/2) · e^(−(z − h)(z + h)/2), h = z to a sixteenth, so that the
 * rounding of z² (an absolute error of up to 8e-14 in an exponent of 722 at z = 38) does not
 * become a relative error of the tail.
 */
export function normalUpperTail(z: number): number {
  if (z !== z) return Number.NaN
  if (z < 0) return 1 - normalUpperTail(-z)
  if (z > 40) return 0 // below half the least subnormal from about 38.5 on
  const h = Math.round(z * 16) / 16
  const density = Math.exp((-(z - h) * (z + h)) / 2) / Math.sqrt(2 * Math.PI)
  const gaussian = Math.exp((-h * h) / 2) // h² exact: h · 16 is an integer of at most 640 here
  if (z < 2.5) {
    let term = z
    let sum = z
    for (let i = 1; term > 1e-17 * sum; i++) {
      term *= (z * z) / (2 * i + 1)
      sum += term
    }
    return 0.5 - gaussian * (density * sum)
  }
  // Lentz: f = z + 1 / (z + 2 / (z + …)), R = 1 / f. Every term is positive: no zero to avoid.
  let f = z
  let c = z
  let d = 0
  for (let k = 1; k < 500; k++) {
    d = 1 / (z + k * d)
    c = z + k / c
    const step = c * d
    f *= step
    if (Math.abs(step - 1) < 1e-16) break
  }
  // The factors that are normal doubles first: one rounding where the result is subnormal.
  return gaussian * (density / f)
}

/** Inverse of the standard normal CDF by bisection (only used for large samples). */
export function normalQuantile(p: number): number {
  let lo = -10
  let hi = 10
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2
    if (1 - normalUpperTail(mid) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/**
 * The Mann–Whitney rank test on two distributions of launch durations given as sketch buckets
 * ([index, count] in increasing index, profile/sketch.ts): values in one bucket count as ties.
 * Large-sample normal approximation with the tie correction; launches are many (the test is used
 * only with at least MIN_LAUNCHES a side). `p` is two-sided; `shift` > 0 when the head's launches
 * tend to be longer. docs/timeline.md "Testing launch by launch".
 */
export function launchRankTest(
  base: readonly (readonly [number, number])[],
  head: readonly (readonly [number, number])[]
): { p: number; z: number } {
  let n = 0
  let m = 0
  for (const [, c] of base) n += c
  for (const [, c] of head) m += c
  if (n === 0 || m === 0) return { p: 1, z: 0 }
  // U of the head: pairs (base, head) with the head's launch longer, ties counted half.
  let u = 0
  let baseBelow = 0
  let ties = 0
  let i = 0
  let j = 0
  while (i < base.length || j < head.length) {
    const bi = i < base.length ? base[i]![0] : Infinity
    const hj = j < head.length ? head[j]![0] : Infinity
    const index = Math.min(bi, hj)
    const cb = bi === index ? base[i++]![1] : 0
    const ch = hj === index ? head[j++]![1] : 0
    u += ch * (baseBelow + cb / 2)
    baseBelow += cb
    const t = cb + ch
    ties += t * t * t - t
  }
  const total = n + m
  const variance = ((n * m) / 12) * (total + 1 - ties / (total * (total - 1)))
  if (!(variance > 0)) return { p: 1, z: 0 }
  const z = (u - (n * m) / 2) / Math.sqrt(variance)
  return { p: Math.min(1, 2 * normalUpperTail(Math.abs(z))), z }
}

/**
 * The launch test with the launches paired by order (docs/timeline.md "Testing launch by
 * launch"): the k-th launch of a kernel in one run against its k-th in the other, for two runs of
 * one program, which launch the same sizes in the same order. Wilcoxon's signed-rank test on the
 * pairs' log ratios (zero differences dropped, tied magnitudes given their mean rank); `z` from
 * its normal approximation with the tie correction. A kernel launched for several problem sizes (a
 * persistent GEMM, one grid for all) has launches of very different lengths: pooled, their ranks
 * see the sizes, not a shift inside each; paired, every pair shows it. `z` > 0 when the head's
 * launches tend to be longer. `p` is exact (the sign patterns counted, ties as they are) up to
 * SIGNED_RANK_EXACT_LIMIT pairs that differ, from the normal approximation beyond. Undefined
 * when no pair differs, or a duration is not positive.
 */
export function signedRankTest(
  base: ArrayLike<number>,
  head: ArrayLike<number>
): { p: number; z: number } | undefined {
  const n = Math.min(base.length, head.length)
  const d: number[] = []
  for (let k = 0; k < n; k++) {
    const b = base[k]!
    const h = head[k]!
    if (!(b > 0 && h > 0)) return undefined
    const x = Math.log(h / b)
    if (x !== 0) d.push(x)
  }
  const m = d.length
  if (m === 0) return undefined
  const order = d.map((_, i) => i).sort((a, b) => Math.abs(d[a]!) - Math.abs(d[b]!))
  let plus = 0
  let ties = 0
  const doubled = new Array<number>(m) // midranks doubled: integers
  for (let i = 0; i < m;) {
    let j = i
    while (j + 1 < m && Math.abs(d[order[j + 1]!]!) === Math.abs(d[order[i]!]!)) j++
    const rank = (i + j + 2) / 2
    for (let k = i; k <= j; k++) {
      doubled[k] = i + j + 2
      if (d[order[k]!]! > 0) plus += rank
    }
    const t = j - i + 1
    ties += t * t * t - t
    i = j + 1
  }
  const variance = (m * (m + 1) * (2 * m + 1)) / 24 - ties / 48
  if (!(variance > 0)) return undefined
  const z = (plus - (m * (m + 1)) / 4) / Math.sqrt(variance)
  if (m <= SIGNED_RANK_EXACT_LIMIT) return { p: signedRankExactP(doubled, 2 * plus), z }
  return { p: Math.min(1, 2 * normalUpperTail(Math.abs(z))), z }
}

/**
 * Up to this many pairs that differ, the signed-rank p is exact: the normal approximation with a
 * handful of pairs is far too bold (4 pairs all one way: 0.046 against the exact 2 / 2⁴ = 0.125).
 * 2⁵⁰ sign patterns still count exactly in a double.
 */
const SIGNED_RANK_EXACT_LIMIT = 50

/**
 * The exact two-sided p of the signed-rank statistic given its (doubled) midranks: under the null
 * hypothesis each pair's sign is + or − with probability one half, independently, so W+ is the
 * sum of a random subset of the ranks, each of the 2^m subsets equally likely. p = 2 · min(P(W+ ≤
 * w), P(W+ ≥ w)), capped at 1.
 */
function signedRankExactP(doubled: readonly number[], observed: number): number {
  let max = 0
  for (const r of doubled) max += r
  const ways = new Float64Array(max + 1)
  ways[0] = 1
  let reach = 0
  for (const r of doubled) {
    for (let s = reach; s >= 0; s--) if (ways[s] !== 0) ways[s + r] = ways[s + r]! + ways[s]!
    reach += r
  }
  let low = 0
  let high = 0
  let total = 0
  for (let s = 0; s <= max; s++) {
    total += ways[s]!
    if (s <= observed) low += ways[s]!
    if (s >= observed) high += ways[s]!
  }
  return Math.min(1, (2 * Math.min(low, high)) / total)
}

/**
 * Benjamini–Hochberg: which of `ps` are discoveries with the false discovery rate controlled at
 * `q` (the largest k with p(k) ≤ k·q/m, and every p up to it). m counts every p given; a NaN
 * counts in m as a p of 1 (sorted last, never a discovery).
 */
export function benjaminiHochberg(ps: readonly number[], q: number): boolean[] {
  const m = ps.length
  const key = (i: number): number => (Number.isNaN(ps[i]) ? Infinity : ps[i]!)
  const order = ps.map((_, i) => i).sort((a, b) => ascending(key(a), key(b)))
  let last = -1
  for (let k = 0; k < m; k++) if (ps[order[k]!]! <= ((k + 1) * q) / m) last = k
  const out = new Array<boolean>(m).fill(false)
  for (let k = 0; k <= last; k++) out[order[k]!] = true
  return out
}

export interface TTest {
  /** Two-sided p-value. */
  p: number
  /** Degrees of freedom: runs − 2. */
  df: number
  /** Head's mean less base's (of the logarithms when `log`): > 0 when the head is slower. */
  diff: number
  /** On the logarithms: the interval of the ratio head/base at the confidence asked for. */
  low: number
  high: number
  /** The values' logarithms were tested (all positive); otherwise the values themselves. */
  log: boolean
}

/**
 * Student's two-sample t test over the runs, for the few runs the Mann–Whitney test cannot
 * decide with (docs/timeline.md "Few runs"). Runs are the unit: with launches nested in runs and
 * runs drawn at random, the test of the difference between the sides is the t test over the
 * runs' values with runs − 2 degrees of freedom (the launches make each run's value, they add
 * no degrees of freedom). The values' logarithms are tested when all are positive, so a change
 * is a ratio and run-to-run noise proportional to the time is one spread: the test assumes the
 * run values log-normal with one spread on both sides. Needs two runs or more a side. Identical
 * runs on both sides with different values give p = 0 (a change with no noise at all), identical
 * everywhere p = 1. The interval of the ratio is the test inverted (undefined on raw values).
 * Undefined, too, when a value is NaN or infinite (the rank test orders those, the t test cannot).
 */
export function runTTest(
  base: readonly number[],
  head: readonly number[],
  confidence: number
): TTest | undefined {
  const n = base.length
  const m = head.length
  if (n < 2 || m < 2) return undefined
  // A value that is not finite has no mean or spread (the test would read p = 0 off a NaN).
  if (!base.every(Number.isFinite) || !head.every(Number.isFinite)) return undefined
  const log = base.every((v) => v > 0) && head.every((v) => v > 0)
  const a = log ? base.map(Math.log) : base
  const b = log ? head.map(Math.log) : head
  const meanA = mean(a)
  const meanB = mean(b)
  let squares = 0
  for (const v of a) squares += (v - meanA) ** 2
  for (const v of b) squares += (v - meanB) ** 2
  const df = n + m - 2
  const se = Math.sqrt((squares / df) * (1 / n + 1 / m))
  const diff = meanB - meanA
  const p = se > 0 ? studentTwoSided(diff / se, df) : diff === 0 ? 1 : 0
  const spread = se * studentQuantile(1 - confidence, df)
  return {
    p,
    df,
    diff,
    low: log ? Math.exp(diff - spread) : Number.NaN,
    high: log ? Math.exp(diff + spread) : Number.NaN,
    log
  }
}

function mean(values: readonly number[]): number {
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/** P(|T| > |t|) for Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function studentTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? 1 : 0
  return regularizedBeta(df / (df + t * t), df / 2, 0.5)
}

/** The t with P(|T| > t) = p (two-sided), by bisection on studentTwoSided. */
export function studentQuantile(p: number, df: number): number {
  if (p >= 1) return 0
  let lo = 0
  let hi = 1
  while (studentTwoSided(hi, df) > p && hi < 1e12) hi *= 2
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2
    if (studentTwoSided(mid, df) > p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/**
 * The regularized incomplete beta function I_x(a, b), by its continued fraction (modified
 * Lentz), on the side of x where it converges fast (I_x(a, b) = 1 − I_{1−x}(b, a)).
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x)
  )
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b
  return (front * betaFraction(x, a, b)) / a
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300
  const away = (v: number): number => (Math.abs(v) < tiny ? tiny : v)
  let c = 1
  let d = 1 / away(1 - ((a + b) * x) / (a + 1))
  let h = d
  for (let k = 1; k <= 300; k++) {
    const k2 = 2 * k
    // The fraction's even term, then its odd one: each multiplies h by the ratio of two
    // successive convergents; it has converged when that ratio is 1.
    const even = (k * (b - k) * x) / ((a + k2 - 1) * (a + k2))
    const odd = (-(a + k) * (a + b + k) * x) / ((a + k2) * (a + k2 + 1))
    let step = 1
    for (const term of [even, odd]) {
      d = 1 / away(1 + term * d)
      c = away(1 + term / c)
      step = d * c
      h *= step
    }
    if (Math.abs(step - 1) < 1e-15) break
  }
  return h
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let sum = LANCZOS[0]!
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7
]
