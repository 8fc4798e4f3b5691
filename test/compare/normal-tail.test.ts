/**
 * The standard normal upper tail against a reference computed here in exact integer arithmetic:
 * P(Z > z) = 1/2 − (1/√(2π)) Σ (−1)^i z^(2i+1) / (2^i · i! · (2i + 1)), the Taylor series of the
 * integral of the density from 0 to z, in BigInt fixed point with enough digits that the series'
 * cancellation (terms up to e^(z²/2), about 10³¹³ at z = 38, against a tail of 10⁻³¹⁶) leaves
 * some 30 correct digits; π by Machin's formula, √(2π) by Newton's method on integers. The code
 * under test uses neither that series nor that arithmetic (a positive series and a continued
 * fraction in doubles).
 */
import { describe, expect, it } from 'vitest'
import { normalQuantile, normalUpperTail } from '../../src/compare/statistics.js'
import { seededRandom } from '../support/random.js'

/** atan(1 / x) · scale, by its alternating series in integers. */
function arctanInverse(x: bigint, scale: bigint): bigint {
  let power = scale / x // scale / x^(2i+1)
  let sum = power
  const x2 = x * x
  for (let i = 1n; power !== 0n; i++) {
    power /= x2
    const term = power / (2n * i + 1n)
    sum += i % 2n === 1n ? -term : term
  }
  return sum
}

/** ⌊√v⌋ by Newton's method on integers. */
function isqrt(v: bigint): bigint {
  if (v < 2n) return v
  let x = BigInt(`1${'0'.repeat(Math.ceil(v.toString().length / 2))}`) // above √v
  for (;;) {
    const next = (x + v / x) / 2n
    if (next >= x) return x
    x = next
  }
}

const MAX_DIGITS = 760
const GUARD = 20n
const PI_SCALE = 10n ** BigInt(MAX_DIGITS + 20)
// π = 16 atan(1/5) − 4 atan(1/239), to MAX_DIGITS + 20 digits less a few units.
const PI = 16n * arctanInverse(5n, PI_SCALE) - 4n * arctanInverse(239n, PI_SCALE)

/** A double as an exact fraction p / 2^e. */
function dyadic(z: number): { p: bigint; e: bigint } {
  let e = 0n
  let v = z
  while (!Number.isInteger(v)) {
    v *= 2 // exact: a power-of-two scaling
    e += 1n
  }
  return { p: BigInt(v), e }
}

/** P(Z > z) for z ≥ 0 from about 30 correct digits, rounded to a double. */
function referenceTail(z: number): number {
  // The terms peak near e^(z²/2) and the tail is near e^(−z²/2): 2 · 0.4343 · z²/2 digits apart.
  const digits = Math.ceil(0.4343 * z * z) + 60
  const scale = 10n ** BigInt(digits)
  const { p, e } = dyadic(z)
  const denominator = 1n << (2n * e)
  expect((p * scale) % (1n << e)).toBe(0n) // z · scale is exact
  let a = (p * scale) >> e // z^(2i+1) / (2^i i!) · scale
  let sum = a
  const p2 = p * p
  for (let i = 1n; a !== 0n; i++) {
    a = (a * p2) / (denominator * 2n * i)
    const term = a / (2n * i + 1n)
    sum += i % 2n === 1n ? -term : term
  }
  // √(2π) at `digits` + GUARD digits: 2π · 10^(2(digits + GUARD)) under the root.
  const fine = 10n ** (BigInt(digits) + GUARD)
  const twoPi = (2n * PI * fine * fine) / PI_SCALE
  const root = isqrt(twoPi) // √(2π) · fine
  const tail = scale / 2n - (sum * fine) / root // at scale 10^digits
  expect(tail > 0n).toBe(true)
  const text = tail.toString()
  // Its first 30 digits as a decimal with exponent (Number reads it correctly rounded).
  const exponent = text.length - 1 - digits
  return Number(`${text[0]}.${text.slice(1, 30)}e${exponent}`)
}

/** The smallest subnormal: the spacing of doubles where the tail is subnormal. */
const QUANTUM = 2 ** -1074
const MIN_NORMAL = 2 ** -1022

describe('the normal upper tail', () => {
  it('the reference itself: textbook values', () => {
    expect(referenceTail(0)).toBe(0.5)
    expect(referenceTail(1)).toBeCloseTo(0.15865525393145705, 16)
    expect(referenceTail(1.959963984540054) / 0.025).toBeCloseTo(1, 14)
    // Far out, 40-digit values (mpmath's erfc(z / √2) / 2), the last one subnormal.
    const far = (digits: string): number => Number(digits)
    expect(referenceTail(10) / far('7.619853024160526065973343251599308363502e-24')).toBeCloseTo(
      1,
      14
    )
    expect(referenceTail(37.5)).toBe(far('4.605353009581954843827969097610896238875e-308'))
    expect(referenceTail(38)).toBe(far('2.885428360068784308350970481566904094659e-316'))
  })

  it('is within 1e-13 relative of the reference on a grid of sixteenths, 0 to 37.5', () => {
    let worst = 0
    for (let k = 0; k <= 600; k++) {
      const z = k / 16
      const ref = referenceTail(z)
      expect(ref).toBeGreaterThanOrEqual(MIN_NORMAL)
      const error = Math.abs(normalUpperTail(z) - ref) / ref
      worst = Math.max(worst, error)
      expect(error, `z = ${z}`).toBeLessThan(1e-13)
    }
    // Before, at z = 10, the tail was 2 % off; at 37.5, by a factor.
    expect(worst).toBeLessThan(1e-13)
  })

  it('is within 1e-13 relative at random points in [0, 37.5], and of 1 − P below 0', () => {
    const next = seededRandom(20261201)
    for (let i = 0; i < 300; i++) {
      const z = next() * (i < 100 ? 3 : 37.5)
      const ref = referenceTail(z)
      const error = Math.abs(normalUpperTail(z) - ref) / ref
      expect(error, `z = ${z}`).toBeLessThan(1e-13)
      // Below 0: 1 − P(Z > |z|), off by the error of P and the rounding of 1 − P and 1 − ref.
      const below = Math.abs(normalUpperTail(-z) - (1 - ref))
      expect(below, `z = ${-z}`).toBeLessThanOrEqual(1e-13 * ref + 2 ** -52)
    }
  })

  it('where the tail is subnormal (37.5 to 38.5): within a unit of the last place, then 0', () => {
    for (let k = 601; k <= 640; k++) {
      const z = k / 16
      const ref = referenceTail(z)
      expect(Math.abs(normalUpperTail(z) - ref)).toBeLessThanOrEqual(QUANTUM)
      if (ref >= MIN_NORMAL) expect(Math.abs(normalUpperTail(z) - ref) / ref).toBeLessThan(1e-13)
    }
    expect(normalUpperTail(38)).toBeGreaterThan(0)
    expect(normalUpperTail(39)).toBe(0)
    expect(normalUpperTail(Infinity)).toBe(0)
    expect(normalUpperTail(-Infinity)).toBe(1)
    expect(normalUpperTail(Number.NaN)).toBeNaN()
  })

  it('its quantile inverts it (the bisection reads the tail)', () => {
    for (const p of [0.5, 0.9, 0.975, 0.995, 1 - 1e-6]) {
      expect(1 - normalUpperTail(normalQuantile(p))).toBeCloseTo(p, 12)
    }
  })
})
