import { expect, it } from 'vitest'
import { parseCsvNumber } from '../../src/parse/nsys/numbers.js'

// The fast path reads digits itself: it must agree with JavaScript's own conversion on every
// plain number a CSV cell can hold (200,000 generated, and the edge cases).
it('reads CSV numbers exactly as Number() does', () => {
  let seed = 1
  const r = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff
    return seed / 2147483648
  }
  const cases = [
    '0',
    '-0',
    '1',
    '0.0',
    '00.5',
    '9727.7',
    '123456789012345',
    '1234567890123456',
    '0.000000000000001',
    '-12.50',
    '1.',
    '.5',
    '1e5',
    '',
    ' 1',
    'None',
    '-',
    '1.2.3',
    '999999999999999',
    '99999999999999.9'
  ]
  for (let i = 0; i < 200000; i++) {
    const d = Math.floor(r() * 16)
    let s = String(Math.floor(r() * 10 ** d))
    if (r() < 0.6 && s.length > 1) {
      const p = 1 + Math.floor(r() * (s.length - 1))
      s = s.slice(0, p) + '.' + s.slice(p)
    }
    if (r() < 0.1) s = '-' + s
    cases.push(s)
  }
  for (const c of cases) {
    const got = parseCsvNumber(c)
    const t = c.trim()
    const want =
      t === '' || t === 'None'
        ? null
        : /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(t)
          ? Number(t)
          : undefined
    if (!Object.is(got, want) && !(got === 0 && want === 0))
      throw new Error(`${JSON.stringify(c)}: ${got} vs ${want}`)
  }
  expect(cases.length).toBeGreaterThan(1000)
})
