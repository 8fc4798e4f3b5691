/**
 * Time limits for the tests that guard against runaway work (quadratic loops, backtracking
 * regexes on hostile names). Those limits are generous on an idle machine, but CI and the
 * development machines are shared: with other jobs on the same 2 cores a linear pass can take
 * several times as long, and a fixed limit fails for the wrong reason. So a limit is scaled by
 * how slow the machine is right now: a fixed piece of reference work (string building, a Map,
 * split and join — what the parsers do) is timed just before, and compared with what it takes on
 * the idle development machine. Runaway work still fails: it is orders of magnitude over, not a
 * few times.
 */

/** The reference work's best time on the idle 2-core development machine (2026-11-29: 16 to 18 ms), ms. */
const REFERENCE_MS = 20

function referenceWork(): number {
  const seen = new Map<string, number>()
  let text = ''
  for (let i = 0; i < 20_000; i++) {
    const name = `void kernel_${i % 5000}<float, ${i % 7}>(float const*, int)`
    seen.set(name, (seen.get(name) ?? 0) + i)
    text += `${name},${i}\n`
  }
  return text.split('\n').length + seen.size
}

/** How many times slower than the idle reference the machine is now (at least 1). */
export function slowness(): number {
  let best = Infinity
  for (let k = 0; k < 3; k++) {
    const start = performance.now()
    referenceWork()
    best = Math.min(best, performance.now() - start)
  }
  return Math.max(1, best / REFERENCE_MS)
}

/** `ms` on the idle reference machine, scaled to how busy this one is right now. */
export function budget(ms: number): number {
  return ms * slowness()
}
