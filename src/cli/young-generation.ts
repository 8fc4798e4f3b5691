import { v8 } from '../lazy-node.js'

/**
 * The young generation held at semi-spaces of 8 MB (docs/performance.md, "The young generation").
 *
 * A large compare keeps what it reads to its end (the runs' rows, 20,000 names and their keys,
 * the items), so most of what V8's young generation holds survives its collections, and V8 grows
 * it: to semi-spaces of 16 MB under Node 20 and 64 MB under Node 24, whose pages the process
 * touches for the first time. Held at 8 MB, the compare of 20,000 kernels × 10 runs a side peaks
 * at about 190 MB instead of 204 under Node 20, and 201 instead of 330 under Node 24, in the same
 * time; the benchmark's PyTorch trace at 147 MB instead of 160 under Node 24.
 *
 * V8 takes the largest size (`--max-semi-space-size`) only from the command line that starts
 * Node. The factor by which it grows the space (`--semi-space-growth-factor`) it reads each time it
 * grows it: once the space is seen at the cap, the factor is set to 1 and the space stays where
 * it is. Nothing else changes; a flag of the user's that sizes the young
 * generation or the heap (in Node's arguments or NODE_OPTIONS) is left to do what it says.
 */
export const SEMI_SPACE_CAP = 8 * 2 ** 20

/** What capYoungGeneration reads of V8 and changes in it. */
export interface YoungGeneration {
  /**
   * Whether the young generation (its two semi-spaces) holds `bytes` or more; undefined if V8
   * does not say.
   */
  reached(bytes: number): boolean | undefined
  /** Stops its growth where it is. */
  freeze(): void
  /** Calls `check` every few milliseconds until the function returned is called. */
  poll(check: () => void): () => void
}

/** A flag of the user's that sizes the young generation or the heap. */
const SIZED =
  /--(?:(?:max|min)[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|max[-_]heap[-_]size)\b/

/** Node as capYoungGeneration reads it: its flags, and NODE_OPTIONS. */
export interface Launch {
  readonly execArgv: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * Holds the young generation at SEMI_SPACE_CAP from the first look that finds it there on,
 * unless the user's flags size it (then undefined, and nothing is done). For a command of large
 * inputs (cli.ts): the looking is not worth a small one's start (docs/performance.md).
 *
 * It looks whenever the event loop turns, and whenever the function returned is called: long
 * synchronous work calls it now and then (the first profile JSON of a baseline, read cold, holds
 * the thread 150 ms or more, in which V8 grows the space from 2 × 2 MB past the cap). Calls
 * closer than POLL_MS to the last look cost a clock read.
 */
export function capYoungGeneration(
  launch: Launch,
  young: YoungGeneration = V8_YOUNG_GENERATION,
  now: () => number = performance.now.bind(performance)
): (() => void) | undefined {
  const flags = [...launch.execArgv, launch.env.NODE_OPTIONS ?? '']
  if (flags.some((flag) => SIZED.test(flag))) return undefined
  let done = false
  let last = -Infinity
  const look = (): void => {
    if (done) return
    last = now()
    const reached = young.reached(2 * SEMI_SPACE_CAP)
    // A V8 that names no new space: nothing to hold.
    if (reached === undefined || reached) {
      if (reached) young.freeze()
      done = true
      stop()
    }
  }
  const stop = young.poll(look)
  return () => {
    if (!done && now() - last >= POLL_MS) look()
  }
}

/** How often the young generation is looked at. V8 grows it at most once a collection. */
const POLL_MS = 5

const V8_YOUNG_GENERATION: YoungGeneration = {
  reached(bytes) {
    // The heap's total holds the young generation: while it is under `bytes`, so is the young
    // generation, and node:v8 (a millisecond to load) is not needed yet.
    if (process.memoryUsage().heapTotal < bytes) return false
    const size = v8()
      .getHeapSpaceStatistics()
      .find((space) => space.space_name === 'new_space')?.space_size
    return size === undefined ? undefined : size >= bytes
  },
  freeze: () => v8().setFlagsFromString('--semi-space-growth-factor=1'),
  poll(check) {
    // Whenever the event loop turns (files are read in chunks: it turns often), and keeping no
    // process alive. Not told by each collection (a PerformanceObserver of `gc`), whose loading
    // alone costs 5 ms under Node 20.
    const timer = setInterval(check, POLL_MS)
    timer.unref()
    return () => clearInterval(timer)
  }
}
