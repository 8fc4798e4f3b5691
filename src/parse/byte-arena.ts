/**
 * Bytes held in WebAssembly memory, where two ranges of them are compared without a call into
 * Node's C++: Buffer's `compare` costs about 50-60 ns whatever it compares (its checks of the
 * arguments and the call), and a GPU trace's worker compares the end of every row, about 400
 * bytes, with the end kept for its kernel (row-tail.ts): 2 million comparisons in the benchmark's
 * trace. Compared in WebAssembly, sixteen bytes a step, the same comparison takes about 15 ns
 * (docs/performance.md, "Bytes in WebAssembly"). A line's end is found there too, sixty-four
 * bytes a step (lines.ts), where Buffer's `indexOf` costs about as much as `compare`.
 *
 * The memory is 16 MiB, made when first asked for and never grown: growing it would leave every
 * view of it empty. Pieces are handed out once and never given back (a reader's two chunk buffers,
 * the ends kept for each kernel), and once the memory is used up, or where WebAssembly cannot run
 * (Node's `--jitless`), `arenaBytes` answers undefined and the caller takes an ordinary Buffer,
 * which sameBytes compares natively: slower, never wrong.
 *
 * The module's source is byte-arena.wat beside this file; ARENA_WASM holds it assembled
 * (scripts/byte-arena-wasm.mjs), and a test assembles it again and compares.
 */
export const ARENA_WASM =
  'AGFzbQEAAAABCAFgA39/fwF/AwMCAAAFBgEBgAKAAgcYAwZtZW1vcnkCAARzYW1lAAAEZmluZAABCtUCAp4BACACQRBJBEACQANAIAJFDQEgAC0AACABLQAARwRAQQAPCyAAQQFqIQAgAUEBaiEBIAJBAWshAgwACwtBAQ8LIAAgAmpBEGv9AAQAIAEgAmpBEGv9AAQA/VH9UwRAQQAPCwJAA0AgAkEQSQ0BIAD9AAQAIAH9AAQA/VH9UwRAQQAPCyAAQRBqIQAgAUEQaiEBIAJBEGshAgwACwtBAQuyAQIBfwF7IAL9DyEEAkADQCAAQcAAaiABSw0BIAD9AAQAIAT9IyAA/QAEECAE/SP9UCAA/QAEICAE/SMgAP0ABDAgBP0j/VD9UP1TDQEgAEHAAGohAAwACwsCQANAIABBEGogAUsNASAA/QAEACAE/SP9ZCEDIAMEQCAAIANoag8LIABBEGohAAwACwsCQANAIAAgAU8NASAALQAAIAJGBEAgAA8LIABBAWohAAwACwtBfws='

/** The memory's bytes, once made; compared with a range's `buffer` to tell a view of it. */
export let arena: ArrayBuffer | undefined
/** Whether the n bytes at a and at b of `arena` are the same (1) or not (0). */
export let arenaSame: (a: number, b: number, n: number) => number = () => 0
/** Where the first `byte` of [at, end) of `arena` is, or −1. */
export let arenaFind: (at: number, end: number, byte: number) => number = () => -1

/**
 * Where `b` starts in `arena`, or −1 when it is not a view of it. The last buffer asked about is
 * remembered: a reader asks about the chunk it reads on every row.
 */
export function arenaOffset(b: Buffer): number {
  if (b !== asked) {
    asked = b
    askedOffset = arena !== undefined && b.buffer === arena ? b.byteOffset : -1
  }
  return askedOffset
}
let asked: Buffer | undefined
let askedOffset = -1

/** The next free byte of `arena`; pieces start on 16 bytes. */
let used = 0
/** Set when WebAssembly could not be used: nothing is tried again. */
let unavailable = false

/**
 * `size` bytes of WebAssembly memory as a Buffer (uninitialised), or undefined when there is no
 * room left or no WebAssembly (the caller then allocates a Buffer of its own).
 */
export function arenaBytes(size: number): Buffer | undefined {
  const memory = arena ?? instantiate()
  if (memory === undefined || size > memory.byteLength - used) return undefined
  const at = used
  used = Math.min(memory.byteLength, (at + size + 15) & ~15)
  return Buffer.from(memory, at, size)
}

function instantiate(): ArrayBuffer | undefined {
  if (unavailable) return undefined
  try {
    const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly
    if (wasm === undefined) throw new Error('no WebAssembly')
    const { exports } = new wasm.Instance(new wasm.Module(Buffer.from(ARENA_WASM, 'base64')))
    const { memory, same, find } = exports as {
      memory: { buffer: ArrayBuffer }
      same: (a: number, b: number, n: number) => number
      find: (at: number, end: number, byte: number) => number
    }
    arenaSame = same
    arenaFind = find
    arena = memory.buffer
    return arena
  } catch {
    // No WebAssembly here (`--jitless`, or a runtime without SIMD): ordinary Buffers.
    unavailable = true
    return undefined
  }
}

/** What this module uses of WebAssembly (which the ES library the project compiles with lacks). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: Record<string, unknown> }
}
