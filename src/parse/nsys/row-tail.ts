import { arenaBytes, arenaOffset, arenaSame } from '../byte-arena.js'
import { sameBytes } from '../intern.js'

/**
 * The end of a GPU trace row that repeats from one launch of a kernel to the next: every cell
 * after the ones that change on each row (start, duration, correlation id), the name included —
 * grid, block, registers, shared memory, device, context, stream. A kernel launched in a loop
 * prints the same bytes there on every launch, so a row whose end is byte for byte the end of
 * that kernel's last row has the same numbers there, the same device and the same name: one
 * comparison of the bytes stands for reading those cells (TableBlock.acceptBytes in scan mode,
 * docs/performance.md "A row's repeating end").
 *
 * Nothing is assumed of what the bytes mean: the numbers and the device kept are those the block
 * read from these very bytes, so a row taken this way is the row reading it gives. A kernel whose
 * rows keep changing there (shapes that alternate, a stream per launch) would pay for a failed
 * comparison and a copy on every row: after MAX_MISSES misses in a row it is no longer compared,
 * and is tried again once every RETRY of its rows.
 */
export class RowTail {
  private bytes: Buffer = EMPTY
  /** Where `bytes` start in WebAssembly memory (byte-arena.ts), −1 where they are not in it. */
  private at = -1
  /** Bytes kept, −1 while none. */
  private length = -1
  /** The row's numbers from the first cell of the end on (TableBlock's numbers by column). */
  private numbers = new Float64Array(0)
  /** The device cell's text, '' where the table has none. */
  device = ''
  private misses = 0
  private waited = 0

  /** Whether bytes [start, end) of `b` are the end kept; counts the misses. */
  matches(b: Buffer, start: number, end: number): boolean {
    if (this.length < 0 || this.misses >= MAX_MISSES) return false
    const length = this.length
    if (length !== end - start) {
      this.misses += 1
      return false
    }
    // Both in WebAssembly memory (the usual case): compared there, without a call into C++.
    const offset = this.at >= 0 ? arenaOffset(b) : -1
    const same =
      offset >= 0
        ? arenaSame(this.at, offset + start, length) === 1
        : sameBytes(this.bytes, 0, b, start, length)
    if (same) this.misses = 0
    else this.misses += 1
    return same
  }

  /** Writes the numbers kept into `numbers` from column `from` on. */
  restore(numbers: Float64Array, from: number): void {
    const kept = this.numbers
    for (let k = 0; k < kept.length; k++) numbers[from + k] = kept[k]!
  }

  /**
   * Keeps the end of a row of this kernel read cell by cell: its bytes [start, end) of `b`, its
   * numbers from column `from` on and its device. Answers the bytes newly held (for the caller's
   * bound), 0 when it reused its buffer or did not keep the row (backing off).
   */
  keep(
    b: Buffer,
    start: number,
    end: number,
    numbers: Float64Array,
    from: number,
    device: string
  ): number {
    if (this.misses >= MAX_MISSES) {
      if (++this.waited < RETRY) return 0
      this.waited = 0
      this.misses = MAX_MISSES - 1
    }
    const length = end - start
    let grown = 0
    if (length > this.bytes.length) {
      grown = length - this.bytes.length
      // In WebAssembly memory where there is room: the rows it is compared with are read into
      // it too (readChunks), and sameBytes compares two ranges of it there.
      const kept = arenaBytes(length)
      this.bytes = kept ?? Buffer.allocUnsafeSlow(length)
      this.at = kept ? arenaOffset(kept) : -1
    }
    b.copy(this.bytes, 0, start, end)
    this.length = length
    if (this.numbers.length !== numbers.length - from) this.numbers = numbers.slice(from)
    else for (let k = 0; k < this.numbers.length; k++) this.numbers[k] = numbers[from + k]!
    this.device = device
    return grown
  }
}

const EMPTY = Buffer.alloc(0)
/** Misses in a row before a kernel's end is no longer compared. */
const MAX_MISSES = 3
/** Rows of such a kernel between two tries. */
const RETRY = 64

/**
 * The first cell of a row's repeating end in a GPU trace's columns: the one after the last of
 * start, duration and the correlation id (a column `CorrId`); −1 when there is no such cell
 * before the name (the last column), or no start or duration.
 */
export function rowTailCell(
  columns: readonly { base: string }[],
  start: number | undefined,
  duration: number | undefined
): number {
  if (start === undefined || duration === undefined) return -1
  const corrId = columns.findIndex((column) => column.base === 'CorrId')
  const cell = Math.max(start, duration, corrId) + 1
  return cell < columns.length - 1 ? cell : -1
}
