/**
 * Names sent across threads with batches of numbers (event-batch.ts, parse/nsys/row-batch.ts):
 * the writer numbers each name the first time it uses it and sends the names numbered since its
 * last batch with the next one; the reader keeps them in order. Past a bound the numbering starts
 * over (memory stays bounded), which the next batch says.
 */

/** What a batch message carries of the names. */
export interface BatchNames {
  /** Names numbered from `firstName` on, in order. */
  names: string[]
  firstName: number
  /** The numbering started over before this batch's names. */
  namesReset: boolean
}

/** The writer's side. */
export class NameNumbers {
  private readonly ids = new Map<string, number>()
  private fresh: string[] = []
  private first = 0
  private reset = false

  get size(): number {
    return this.ids.size
  }

  get(name: string): number | undefined {
    return this.ids.get(name)
  }

  /** The name's number, given now if it has none. */
  number(name: string): number {
    let id = this.ids.get(name)
    if (id === undefined) {
      id = this.ids.size
      this.ids.set(name, id)
      this.fresh.push(name)
    }
    return id
  }

  /** Numbering starts over; the caller sends what is numbered the old way first. */
  startOver(): void {
    this.ids.clear()
    this.first = 0
    this.reset = true
  }

  /** Whether the next batch has names to carry (or a start over to say). */
  get pending(): boolean {
    return this.fresh.length > 0 || this.reset
  }

  /** The names for the next batch message; they are then sent. */
  take(): BatchNames {
    const out = { names: this.fresh, firstName: this.first, namesReset: this.reset }
    this.first += this.fresh.length
    this.fresh = []
    this.reset = false
    return out
  }
}

/** The reader's side: every name numbered so far, by number. */
export class NameList {
  private names: string[] = []

  /** Takes a batch's names; returns the list to look numbers up in. */
  add(batch: BatchNames): readonly string[] {
    if (batch.namesReset) this.names = []
    if (batch.firstName !== this.names.length)
      throw new Error(`batch: names from ${batch.firstName}, ${this.names.length} known`)
    for (const name of batch.names) this.names.push(name)
    return this.names
  }
}
