import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  BROWSER,
  nsysRequired,
  REQUIRE_BROWSER_ENV,
  REQUIRE_NSYS_ENV,
  skipOrFail
} from './skip-or-fail.js'

class Skipped extends Error {}

/** A stand-in for vitest's context: records the note and throws, as `ctx.skip()` does. */
function fakeContext() {
  const notes: (string | undefined)[] = []
  const ctx = {
    skip: (note?: string): never => {
      notes.push(note)
      throw new Skipped(note)
    }
  }
  return { ctx, notes }
}

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('skipOrFail', () => {
  it.each([undefined, '', '0', 'true'])(
    `skips with the reason when ${REQUIRE_NSYS_ENV} is %j`,
    (value) => {
      vi.stubEnv(REQUIRE_NSYS_ENV, value)
      expect(nsysRequired()).toBe(false)
      const { ctx, notes } = fakeContext()
      expect(() => skipOrFail(ctx, 'nsys 2023.4 unavailable: mirror unreachable')).toThrow(Skipped)
      expect(notes).toEqual(['nsys 2023.4 unavailable: mirror unreachable'])
    }
  )

  it(`fails with the reason, without skipping, when ${REQUIRE_NSYS_ENV}=1`, () => {
    vi.stubEnv(REQUIRE_NSYS_ENV, '1')
    expect(nsysRequired()).toBe(true)
    const { ctx, notes } = fakeContext()
    let thrown: unknown
    try {
      skipOrFail(ctx, 'nsys 2023.4 unavailable: mirror unreachable')
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(Error)
    expect(thrown).not.toBeInstanceOf(Skipped)
    expect((thrown as Error).message).toBe(
      `${REQUIRE_NSYS_ENV}=1: this real-nsys test must run, not be skipped: nsys 2023.4 unavailable: mirror unreachable`
    )
    expect(notes).toEqual([])
  })

  it('gives a reason even when the caller has none', () => {
    vi.stubEnv(REQUIRE_NSYS_ENV, '1')
    expect(() => skipOrFail(fakeContext().ctx, undefined)).toThrow(/must run.*: no reason given$/)
    vi.stubEnv(REQUIRE_NSYS_ENV, undefined)
    const { ctx, notes } = fakeContext()
    expect(() => skipOrFail(ctx, ' ')).toThrow(Skipped)
    expect(notes).toEqual(['no reason given'])
  })

  it(`fails a browser test when ${REQUIRE_BROWSER_ENV}=1, and only then`, () => {
    vi.stubEnv(REQUIRE_NSYS_ENV, '1')
    vi.stubEnv(REQUIRE_BROWSER_ENV, undefined)
    const skipped = fakeContext()
    expect(() => skipOrFail(skipped.ctx, 'no Chromium', BROWSER)).toThrow(Skipped)
    expect(skipped.notes).toEqual(['no Chromium'])
    vi.stubEnv(REQUIRE_BROWSER_ENV, '1')
    const failed = fakeContext()
    expect(() => skipOrFail(failed.ctx, 'no Chromium', BROWSER)).toThrow(
      `${REQUIRE_BROWSER_ENV}=1: this browser test must run, not be skipped: no Chromium`
    )
    expect(failed.notes).toEqual([])
  })

  it('nsysRequired reads the environment it is given', () => {
    expect(nsysRequired({ [REQUIRE_NSYS_ENV]: '1' })).toBe(true)
    expect(nsysRequired({})).toBe(false)
  })
})
