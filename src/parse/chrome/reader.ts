import type { EventKind, EventSink, TraceEvent } from '../../profile/events.js'
import {
  ascii,
  ByteScanner,
  ByteSyntaxError,
  COLON,
  COMMA,
  decodeString,
  type Micros,
  LBRACE,
  LBRACKET,
  NEED_MORE,
  QUOTE,
  RBRACE,
  RBRACKET,
  readInteger,
  STRUCTURAL,
  readMicros,
  readNumber
} from './bytes.js'

/**
 * A streaming reader of Chrome Trace Event JSON (the PyTorch profiler / Kineto, Perfetto's JSON
 * export, rpd2tracing), fed bytes in chunks of any size: it holds one event at a time (plus what
 * a chunk left over), never the file, so memory stays flat however large the trace is. See
 * docs/chrome-trace.md for the format as read.
 *
 * Each complete event (`ph: "X"`) of a category it models becomes a TraceEvent for the sink:
 * kernels, memory copies and sets, runtime and driver calls, user annotations. A duration written
 * as a `B`/`E` pair (the format's other way) becomes one too, at its `E`: the pairs of a thread
 * nest as a stack (Spans), in file order; a thread whose `B`/`E` come out of time order (which
 * the format allows, and pairs by time) has its durations counted as unreadable, not misread. Everything else (CPU operators, flows, counters, instants) is counted
 * by category and skipped; only the fields used are read (an event's `args` only for the kinds
 * that need them). Async events (`b`/`e`) of a modelled category are not paired: counted as
 * unreadable.
 *
 * Top level: an object (`traceEvents` and metadata: `deviceProperties`, `distributedInfo`, …,
 * in any order) or a bare array of events (rpd2tracing's default, with a leading `{}`).
 */

/** Kineto's categories (and their 2021 spellings) that feed the model, case-insensitively. */
const CATEGORIES: ReadonlyMap<string, EventKind> = new Map([
  ['kernel', 'kernel'],
  ['gpu_memcpy', 'memcpy'],
  ['memcpy', 'memcpy'],
  ['gpu_memset', 'memset'],
  ['memset', 'memset'],
  ['cuda_runtime', 'api'],
  ['cuda_driver', 'api'],
  ['runtime', 'api'],
  ['user_annotation', 'annotation'],
  ['gpu_user_annotation', 'gpuAnnotation']
])

/** Categories only Kineto writes: a trace with one of them is a PyTorch profiler trace. */
const KINETO_CATEGORIES = new Set([
  ...CATEGORIES.keys(),
  'cpu_op',
  'operator',
  'python_function',
  'cuda_sync',
  'ac2g',
  'fwdbwd',
  'trace'
])

/** Top-level keys read as metadata (small values); every other key is skipped unread. */
const METADATA_KEYS = new Set([
  'schemaVersion',
  'deviceProperties',
  'distributedInfo',
  'displayTimeUnit',
  'traceName',
  'cupti_version',
  'cuda_runtime_version',
  'cuda_driver_version',
  'hip_runtime_version',
  'roctracer_version'
])

/** An event (or a metadata value) larger than this is not one a profiler writes. */
const MAX_VALUE_BYTES = 64 * 1024 * 1024

const KEY = {
  ph: ascii('ph'),
  cat: ascii('cat'),
  name: ascii('name'),
  pid: ascii('pid'),
  tid: ascii('tid'),
  ts: ascii('ts'),
  dur: ascii('dur'),
  args: ascii('args'),
  stream: ascii('stream'),
  device: ascii('device'),
  correlation: ascii('correlation'),
  /** Kineto links an annotation's host range and its GPU-side ranges by it (2021: lowercase). */
  externalId: ascii('External id'),
  externalIdLower: ascii('external id'),
  grid: ascii('grid'),
  block: ascii('block'),
  bytes: ascii('bytes'),
  graphId: ascii('graph id'),
  desc: ascii('desc'),
  kernels: ascii('kernels')
} as const

export interface DistributedInfo {
  rank?: number
  worldSize?: number
  backend?: string
}

/** What the reader learned about the trace besides its events. */
export interface ChromeTraceInfo {
  /** `object` (`{"traceEvents": […]}`) or `array` (bare); undefined when nothing was read. */
  form?: 'object' | 'array'
  /** Who wrote it, as far as its content tells. */
  writer: 'kineto' | 'rpd' | 'unknown'
  /** Whether the input has an events array (`traceEvents`, or the bare array). */
  hasEvents: boolean
  /** Elements of the events array. */
  events: number
  /** Complete events (`ph: "X"`) per category as written (`(none)` without one). */
  categories: Map<string, number>
  /** deviceProperties: GPU index → name. */
  devices: Map<number, string>
  /** The GPUs the read events ran on. */
  usedDevices: Set<number>
  distributed?: DistributedInfo
  /** Scalar metadata (schemaVersion, cupti_version, cuda_runtime_version, displayTimeUnit, …). */
  metadata: Record<string, string | number>
  /** Metadata values that could not be read (invalid JSON), by key. */
  badMetadata: string[]
  /** Quotes read as part of a string: the invalid JSON of older exporters. */
  rawQuotes: number
  /**
   * Events of a modelled category without a usable time or duration, skipped; a `B` never ended
   * or ended before it began, and an async `b` (not read), count too.
   */
  unreadable: number
  /** Of `unreadable`: the `B`/`E` and `b`/`e` durations among them. */
  unreadablePairs: number
  /**
   * Of `unreadablePairs`: `B`/`E` durations whose thread's events came out of time order, so
   * that pairing them in file order would not be the format's pairing (by time).
   */
  unorderedPairs: number
  /** The first such event's name, for the note. */
  unreadableExample?: string
  /** Where the input ended inside the trace (a truncated file), in bytes. */
  truncatedAt?: number
  /** Bytes after the end of the trace, ignored. */
  trailing: number
  /**
   * The first of them (a `{` or `[`: another JSON document, such as a second trace written
   * after the first one).
   */
  trailingByte?: number
  bytes: number
  /** The origin of event start times (the first timed event): whole microseconds as written. */
  originMicros?: number
}

type State = 'start' | 'key' | 'afterValue' | 'skip' | 'events' | 'afterEvent' | 'end'

/** Spans of the fields of one event, reused from event to event. */
class Fields {
  ph = -1
  phEnd = -1
  cat = -1
  catEnd = -1
  name = -1
  nameEnd = -1
  nameEscaped = false
  nameHigh = false
  pid = -1
  pidEnd = -1
  tid = -1
  tidEnd = -1
  ts = -1
  tsEnd = -1
  dur = -1
  durEnd = -1
  args = -1
  argsEnd = -1
  /** Where the `args` whose members were read as it was passed over lies (readArgs); -1: none. */
  argsRead = -1

  clear(): void {
    this.ph = this.cat = this.name = this.pid = this.tid = this.ts = this.dur = this.args = -1
    this.argsRead = -1
  }
}

export class ChromeTraceReader {
  private readonly scan = new ByteScanner()
  private readonly fields = new Fields()
  private buf: Buffer = Buffer.alloc(0)
  /**
   * Where an event cut by the end of a chunk is joined with the next chunk: kept and reused, so
   * that joining allocates nothing after the first chunks (it grows for an event larger than it).
   */
  private work: Buffer = Buffer.alloc(0)
  private pos = 0
  /** Input offset of buf[0]. */
  private base = 0
  private state: State = 'start'
  /** Pending bytes when the last attempt needed more: retry once there are twice as many. */
  private waitFor = 0
  /** Streaming skip of a top-level value: nesting and string state. */
  private skipDepth = 0
  private skipInString = false
  private skipEscape = false
  private readonly cats: Category[] = []
  /** Categories past MAX_CATEGORIES (a hostile trace): counted together. */
  private catOverflow = 0
  /** X events without a category (rpd2tracing writes none). */
  private uncategorised = 0
  private readonly args = new Args()
  private readonly names = new Map<string, NameEntry>()
  private readonly lastName: Partial<Record<EventKind, NameEntry>> = {}
  /** rpd2tracing: the pids its `process_name` metadata calls `GPU<n>`. */
  private readonly gpuPids = new Set<string>()
  /** The first timed event's time: whole µs and ns fraction (starts are relative to it). */
  private originWhole: number | undefined
  private originFraction = 0
  /** Host threads, by their pid and tid as written: TraceEvent.thread. */
  private readonly threads = new Map<string, number>()
  /** The bytes of the last thread's pid and tid, and its id: a run of one thread's events looks nothing up. */
  private readonly threadBytes = Buffer.alloc(64)
  private threadPidLength = -1
  private threadTidLength = -1
  private lastThread = -1
  /** The event's start and duration as read (reused from event to event). */
  private readonly ts: Micros = { whole: 0, fraction: 0 }
  private readonly dur: Micros = { whole: 0, fraction: 0 }
  /** The durations begun (`B`) and not yet ended, per thread (Spans). */
  private readonly spans = new Spans()

  readonly info: ChromeTraceInfo = {
    writer: 'unknown',
    hasEvents: false,
    events: 0,
    categories: new Map(),
    devices: new Map(),
    usedDevices: new Set(),
    metadata: {},
    badMetadata: [],
    rawQuotes: 0,
    unreadable: 0,
    unreadablePairs: 0,
    unorderedPairs: 0,
    trailing: 0,
    bytes: 0
  }

  constructor(private readonly sink: EventSink) {}

  /**
   * The next bytes of the input. The chunk is the caller's again once this returns (a reader of
   * files may read the next chunk into the same memory): what is left of it, an event cut by its
   * end, is copied into the reader's own work buffer.
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    this.info.bytes += chunk.length
    const bytes = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
    const pending = this.buf.length - this.pos
    if (pending === 0) {
      this.base += this.buf.length
      this.buf = bytes
    } else {
      // What is pending lies at the start of the work buffer (keepPending put it there).
      this.base += this.pos
      const need = pending + bytes.length
      if (this.work.length < need) {
        const grown = Buffer.allocUnsafeSlow(Math.max(need, this.work.length * 2))
        this.work.copy(grown, 0, 0, pending)
        this.work = grown
      }
      bytes.copy(this.work, pending)
      this.buf = this.work.subarray(0, need)
    }
    this.pos = 0
    if (this.buf.length >= this.waitFor) this.pump(false)
    this.keepPending()
  }

  /** Moves the unread bytes to the start of the work buffer: the caller's chunk is not kept. */
  private keepPending(): void {
    const pending = this.buf.length - this.pos
    if (pending === 0) return
    if (this.buf.buffer === this.work.buffer && this.buf.byteOffset === this.work.byteOffset) {
      if (this.pos > 0) this.work.copyWithin(0, this.pos, this.buf.length)
    } else {
      if (this.work.length < pending)
        this.work = Buffer.allocUnsafeSlow(Math.max(pending, 2 * this.work.length, 64 * 1024))
      this.buf.copy(this.work, 0, this.pos)
    }
    this.base += this.pos
    this.buf = this.work.subarray(0, pending)
    this.pos = 0
  }

  /** The end of the input. Returns what was learned; events went to the sink as they came. */
  finish(): ChromeTraceInfo {
    this.pump(true)
    const info = this.info
    info.rawQuotes = this.scan.rawQuotes
    for (const c of this.cats) if (c.count > 0) info.categories.set(c.label, c.count)
    if (this.catOverflow > 0) info.categories.set('(other categories)', this.catOverflow)
    if (this.uncategorised > 0) info.categories.set('(none)', this.uncategorised)
    if (this.state !== 'end' && this.state !== 'start') info.truncatedAt = info.bytes
    // Durations begun and never ended (a cut trace, or an `E` missing): not read, and counted.
    for (const stack of this.spans.drain()) {
      this.release(stack)
      for (const span of stack.spans) if (span) this.unpaired(span.event?.name)
    }
    if (this.originWhole !== undefined) info.originMicros = this.originWhole
    if (info.writer === 'unknown' && this.gpuPids.size > 0) info.writer = 'rpd'
    return info
  }

  private fail(message: string, at: number): never {
    throw new ChromeTraceSyntaxError(`${message} at byte ${this.base + at}`, this.base + at)
  }

  private pump(final: boolean): void {
    const scan = this.scan
    scan.reset(this.buf, this.buf.length, final)
    try {
      this.run()
      this.waitFor = 0
    } catch (error) {
      if (error === NEED_MORE) {
        const pending = this.buf.length - this.pos
        if (pending > MAX_VALUE_BYTES)
          this.fail(
            `an event or value longer than ${MAX_VALUE_BYTES / 2 ** 20} MiB (not a trace a profiler writes)`,
            this.pos
          )
        this.waitFor = Math.max(pending + 1, 2 * pending)
        return
      }
      if (error instanceof ByteSyntaxError) {
        if (final && error.cut) {
          // A trace cut short (the profiler was killed while writing): what was read stands.
          this.state = 'end'
          this.info.truncatedAt = this.base + this.pos
          return
        }
        this.fail(error.message, error.at)
      }
      throw error
    }
  }

  /** Advances through the buffer as far as it goes; throws NEED_MORE when it must wait. */
  private run(): void {
    const buf = this.buf
    const end = buf.length
    const scan = this.scan
    for (;;) {
      if (this.state === 'skip') {
        this.skipStreaming()
        continue
      }
      let p = scan.space(this.pos)
      if (p >= end) {
        this.pos = p
        if (scan.final) return
        throw NEED_MORE
      }
      const c = buf[p]
      switch (this.state) {
        case 'start':
          // A byte-order mark (waited for whole, when a chunk ends inside it).
          if (c === 0xef && p + 3 > end && !scan.final) throw NEED_MORE
          if (c === 0xef && buf[p + 1] === 0xbb && buf[p + 2] === 0xbf) {
            this.pos = p + 3
            continue
          }
          if (c === LBRACE) {
            this.info.form = 'object'
            this.state = 'key'
          } else if (c === LBRACKET) {
            this.info.form = 'array'
            this.info.hasEvents = true
            this.state = 'events'
          } else this.fail('not a Chrome trace: it starts with neither "{" nor "["', p)
          this.pos = p + 1
          continue
        case 'key': {
          if (c === RBRACE) {
            this.state = 'end'
            this.pos = p + 1
            continue
          }
          if (c !== QUOTE) this.fail('expected a key', p)
          const ke = scan.stringEnd(p + 1)
          const key = decodeString(buf, p + 1, ke)
          p = scan.spaceTo(ke + 1)
          if (buf[p] !== COLON) this.fail('expected ":"', p)
          p = scan.spaceTo(p + 1)
          if (key === 'traceEvents') {
            if (buf[p] !== LBRACKET) this.fail('"traceEvents" is not an array', p)
            // A second one: JSON readers keep the last, summing both would count events twice.
            if (this.info.hasEvents) this.fail('"traceEvents" written twice in the object', p)
            this.info.hasEvents = true
            this.state = 'events'
            this.pos = p + 1
          } else if (METADATA_KEYS.has(key)) {
            const ve = scan.valueEnd(p)
            this.metadata(key, buf.toString('utf8', p, ve))
            this.state = 'afterValue'
            this.pos = ve
          } else {
            this.state = 'skip'
            this.skipDepth = 0
            this.skipInString = false
            this.skipEscape = false
            this.pos = p
          }
          continue
        }
        case 'afterValue':
          if (c === COMMA) this.state = 'key'
          else if (c === RBRACE) this.state = 'end'
          else this.fail('expected "," or "}" after a value', p)
          this.pos = p + 1
          continue
        case 'events':
        case 'afterEvent':
          if (c === RBRACKET) {
            this.state = this.info.form === 'object' ? 'afterValue' : 'end'
            this.pos = p + 1
            continue
          }
          if (this.state === 'afterEvent') {
            if (c !== COMMA) this.fail('expected "," or "]" between events', p)
            this.state = 'events'
            this.pos = p + 1
            continue
          }
          this.events(p)
          continue
        case 'end':
          if (this.info.trailing === 0) this.info.trailingByte = c
          this.info.trailing += end - p
          this.pos = end
          continue
      }
    }
  }

  /**
   * Reads events from buf[p] (the first one's first byte) for as long as `,` and another event
   * follow; returns with pos after the last one read, in state afterEvent, for run() to take the
   * rest (the end of the array, a wait for more input, an error).
   */
  private events(p: number): void {
    const buf = this.buf
    const end = buf.length
    const scan = this.scan
    const info = this.info
    for (;;) {
      // Counted once read whole: an event cut by the chunk's end is read again.
      this.pos = p = buf[p] === LBRACE ? this.event(p) : scan.valueEnd(p)
      info.events += 1
      this.state = 'afterEvent'
      p = scan.space(p)
      if (p >= end || buf[p] !== COMMA) return
      p = scan.space(p + 1)
      if (p >= end || buf[p] === RBRACKET) return
      this.state = 'events'
      this.pos = p
    }
  }

  /**
   * A top-level value nobody reads (a large `systemTraceEvents` string, log lines) is passed
   * over as it streams by, never held.
   */
  private skipStreaming(): void {
    const buf = this.buf
    const end = buf.length
    let p = this.pos
    let depth = this.skipDepth
    let inString = this.skipInString
    let escape = this.skipEscape
    try {
      for (; p < end; p++) {
        const c = buf[p]
        if (inString) {
          if (escape) escape = false
          else if (c === 0x5c) escape = true
          else if (c === QUOTE) inString = false
          continue
        }
        if (c === QUOTE) inString = true
        else if (c === LBRACE || c === LBRACKET) depth++
        else if (c === RBRACE || c === RBRACKET) {
          if (depth === 0) break
          depth--
        } else if (c === COMMA && depth === 0) break
      }
    } finally {
      this.skipDepth = depth
      this.skipInString = inString
      this.skipEscape = escape
    }
    this.pos = p
    if (p < end) {
      this.state = 'afterValue'
      return
    }
    if (this.scan.final) throw new ByteSyntaxError('the input ends early', p, true)
    throw NEED_MORE
  }

  private metadata(key: string, text: string): void {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      this.info.badMetadata.push(key)
      return
    }
    const info = this.info
    if (key === 'deviceProperties') {
      if (!Array.isArray(value)) return
      for (const device of value as unknown[]) {
        if (typeof device !== 'object' || device === null) continue
        const { id, name } = device as { id?: unknown; name?: unknown }
        if (typeof id === 'number' && typeof name === 'string') info.devices.set(id, name)
      }
    } else if (key === 'distributedInfo') {
      if (typeof value !== 'object' || value === null) return
      const d = value as { rank?: unknown; world_size?: unknown; backend?: unknown }
      const out: DistributedInfo = {}
      if (typeof d.rank === 'number') out.rank = d.rank
      if (typeof d.world_size === 'number') out.worldSize = d.world_size
      if (typeof d.backend === 'string') out.backend = d.backend
      info.distributed = out
    } else if (typeof value === 'string' || typeof value === 'number') {
      info.metadata[key] = value
    }
  }

  /** Reads the event object at buf[p] (its `{`), hands it on if modelled; returns its end. */
  private event(p: number): number {
    const buf = this.buf
    const scan = this.scan
    const f = this.fields
    f.clear()
    p = scan.spaceTo(p + 1)
    if (buf[p] === RBRACE) return p + 1
    for (;;) {
      if (buf[p] !== QUOTE) this.fail('expected a key in an event', p)
      const ks = p + 1
      const ke = scan.stringEnd(ks)
      p = scan.spaceTo(ke + 1)
      if (buf[p] !== COLON) this.fail('expected ":" in an event', p)
      const vs = scan.spaceTo(p + 1)
      // `args` is read member by member as it is passed over (not found first, then read again).
      const ve =
        buf[vs] === LBRACE && ke - ks === 4 && scan.equals(ks, ke, KEY.args)
          ? this.readArgs(vs)
          : scan.valueEnd(vs)
      // Most events are of no interest (CPU operators, flows): once ph or cat says so, the rest
      // of the object is passed over without looking at its members.
      if (this.field(ks, ke, vs, ve)) return scan.skipNested(ve, 1)
      p = scan.spaceTo(ve)
      const c = buf[p]
      if (c === COMMA) {
        p = scan.spaceTo(p + 1)
        continue
      }
      if (c === RBRACE) break
      this.fail('expected "," or "}" in an event', p)
    }
    this.classify()
    return p + 1
  }

  /**
   * Remembers where the value of a field the reader uses lies. True when the event is known to
   * be of no interest (its phase is not X or M; an X event of a category not modelled, counted).
   */
  private field(ks: number, ke: number, vs: number, ve: number): boolean {
    const f = this.fields
    const scan = this.scan
    const buf = this.buf
    // Told apart by length and first byte, then compared whole.
    const first = buf[ks]
    switch (ke - ks) {
      case 2:
        if (first === 0x70 /* p */ && scan.equals(ks, ke, KEY.ph)) {
          f.ph = vs
          f.phEnd = ve
          if (ve - vs !== 3) return true
          const ph = buf[vs + 1]
          if (ph === 0x58 /* X */) return f.cat >= 0 && this.unmodelled()
          if (ph === 0x4d /* M */) return false
          // A duration's end: of interest while one of a modelled category is open.
          if (ph === 0x45 /* E */) return this.spans.open === 0
          if (ph === 0x42 /* B */ || ph === 0x62 /* b */) return f.cat >= 0 && this.notSpanned()
          return true
        } else if (first === 0x74 /* t */ && scan.equals(ks, ke, KEY.ts)) {
          f.ts = vs
          f.tsEnd = ve
        }
        return false
      case 3:
        if (first === 0x63 /* c */) {
          if (!scan.equals(ks, ke, KEY.cat)) return false
          f.cat = vs
          f.catEnd = ve
          if (f.ph >= 0) {
            const ph = buf[f.ph + 1]
            if (ph === 0x58 /* X */) return this.unmodelled()
            if (ph === 0x42 /* B */ || ph === 0x62 /* b */) return this.notSpanned()
          }
        } else if (first === 0x64 /* d */) {
          if (!scan.equals(ks, ke, KEY.dur)) return false
          f.dur = vs
          f.durEnd = ve
        } else if (first === 0x70 /* p */) {
          if (!scan.equals(ks, ke, KEY.pid)) return false
          f.pid = vs
          f.pidEnd = ve
        } else if (first === 0x74 /* t */) {
          if (!scan.equals(ks, ke, KEY.tid)) return false
          f.tid = vs
          f.tidEnd = ve
        }
        return false
      case 4:
        if (first === 0x6e /* n */ && scan.equals(ks, ke, KEY.name)) {
          f.name = vs
          f.nameEnd = ve
        } else if (first === 0x61 /* a */ && scan.equals(ks, ke, KEY.args)) {
          f.args = vs
          f.argsEnd = ve
        }
        return false
      default:
        return false
    }
  }

  /** The category of an X event, looked up by its bytes; known and not modelled: counted, true. */
  private unmodelled(): boolean {
    const category = this.category()
    if (category === undefined || category.kind !== null) return false
    category.count += 1
    return true
  }

  /**
   * Whether a `B` (or `b`) event is of no interest: of a category not modelled, while no
   * duration of a modelled one is open (an unmodelled `B` inside one is kept on its thread's
   * stack, so that the `E`s pair as written).
   */
  private notSpanned(): boolean {
    if (this.spans.open > 0 && this.buf[this.fields.ph + 1] === 0x42) return false
    const category = this.category()
    return category !== undefined && category.kind === null
  }

  /** The entry of the event's category (its bytes compared natively: no string per event). */
  private category(): Category | undefined {
    const f = this.fields
    const buf = this.buf
    if (f.cat < 0 || buf[f.cat] !== QUOTE) return undefined
    const s = f.cat + 1
    const e = f.catEnd - 1
    // Compared here, byte by byte: categories are short, and Buffer#compare is a call into C++.
    for (const entry of this.cats) if (this.scan.equals(s, e, entry.bytes)) return entry
    const label = buf.toString('latin1', s, e)
    const lower = label.toLowerCase()
    const entry: Category = {
      bytes: Buffer.from(buf.subarray(s, e)),
      label,
      kind: CATEGORIES.get(lower) ?? null,
      count: 0
    }
    if (KINETO_CATEGORIES.has(lower)) this.info.writer = 'kineto'
    // A trace has a few dozen categories; a hostile one more: the list stays bounded.
    if (this.cats.length < MAX_CATEGORIES) this.cats.push(entry)
    else this.catOverflow += 1
    return entry
  }

  /** A string field's text, or undefined when the field is absent or not a string. */
  private text(s: number, e: number): string | undefined {
    if (s < 0 || this.buf[s] !== QUOTE) return undefined
    return this.buf.toString('latin1', s + 1, e - 1)
  }

  private classify(): void {
    const f = this.fields
    const buf = this.buf
    // Only complete events ("ph": "X") and process names (rpd2tracing's GPU pids).
    if (f.ph < 0 || f.phEnd - f.ph !== 3) return
    const ph = buf[f.ph + 1]
    if (ph === 0x4d /* M */) {
      this.processName()
      return
    }
    if (ph !== 0x58 /* X */) {
      if (ph === 0x42 /* B */) this.begin()
      else if (ph === 0x45 /* E */) this.end()
      else if (ph === 0x62 /* b */) {
        // An async duration (paired by id, not by thread): not read, and said.
        const kind = this.category()?.kind
        if (kind) this.unpaired(this.nameOf(kind))
      }
      return
    }
    let kind: EventKind | undefined
    if (f.cat >= 0) {
      const category = this.category()
      if (category) category.count += 1
      if (!category?.kind) return
      kind = category.kind
    } else {
      this.uncategorised += 1
      kind = this.rpdKind()
      if (kind === undefined) return
    }
    this.emit(kind)
  }

  /** `{"name": "process_name", "ph": "M", "pid": "2", "args": {"name": "GPU2"}}` (rpd2tracing). */
  private processName(): void {
    const f = this.fields
    if (f.args < 0 || f.pid < 0 || this.text(f.name, f.nameEnd) !== 'process_name') return
    const a = this.scanArgs()
    const label = this.text(a.name, a.nameEnd)
    if (label !== undefined && /^GPU ?\d{1,6}$/.test(label)) this.gpuPids.add(this.pidText())
  }

  private pidText(): string {
    const f = this.fields
    return this.text(f.pid, f.pidEnd) ?? this.buf.toString('latin1', f.pid, f.pidEnd)
  }

  /**
   * rpd2tracing writes no categories: GPU operations are on the pids named `GPU<n>`, with their
   * operation type in `args.desc`; the rest are HIP/HSA calls, except `UserMarker` ranges, whose
   * `desc` repeats their name. Graph launches (`Graph <id>`, `args.kernels`) are not kernels.
   */
  private rpdKind(): EventKind | undefined {
    if (this.gpuPids.size === 0) return undefined
    const f = this.fields
    const a = this.scanArgs()
    const desc = this.text(a.desc, a.descEnd)
    if (this.gpuPids.has(this.pidText())) {
      if (a.kernels >= 0 || desc === undefined) return undefined
      if (/kernel/i.test(desc)) return 'kernel'
      if (/copy/i.test(desc)) return 'memcpy'
      if (/fill/i.test(desc)) return 'memset'
      return undefined
    }
    const name = this.text(f.name, f.nameEnd)
    return desc !== undefined && name !== undefined && desc === name ? 'annotation' : 'api'
  }

  /**
   * The event's name as a string shared by every event of that name: the name expected next
   * (the one that followed the previous name of this kind last time) is compared by its bytes,
   * natively; only a miss decodes. A trace repeats its kernel sequence step after step.
   */
  private nameOf(kind: EventKind): string | undefined {
    const f = this.fields
    const buf = this.buf
    if (f.name < 0 || buf[f.name] !== QUOTE) return undefined
    const s = f.name + 1
    const e = f.nameEnd - 1
    const last = this.lastName[kind]
    const guess = last?.next
    if (guess && this.scan.equals(s, e, guess.bytes)) {
      this.lastName[kind] = guess
      return guess.text
    }
    const text = decodeString(buf, s, e)
    let entry = this.names.get(text)
    if (!entry) {
      if (this.names.size >= MAX_NAMES) this.names.clear()
      entry = { bytes: Buffer.from(buf.subarray(s, e)), text }
      this.names.set(text, entry)
    }
    if (last) last.next = entry
    this.lastName[kind] = entry
    return entry.text
  }

  private emit(kind: EventKind): void {
    const f = this.fields
    const dur = this.dur
    const duration =
      f.dur >= 0 && readMicros(this.buf, f.dur, f.durEnd, dur)
        ? dur.whole * 1000 + dur.fraction
        : NaN
    const event = this.timedEvent(kind, duration)
    if (event) this.sink(event)
  }

  /**
   * The event read, with the duration given (NaN: none; a `B`'s is set at its `E`); undefined,
   * counted as unreadable, without a usable start, duration or name.
   */
  private timedEvent(kind: EventKind, duration: number): TraceEvent | undefined {
    const f = this.fields
    const buf = this.buf
    const info = this.info
    const ts = this.ts
    const timed = f.ts >= 0 && readMicros(buf, f.ts, f.tsEnd, ts)
    const name = this.nameOf(kind)
    if (!timed || !(duration >= 0) || name === undefined || name.trim() === '') {
      info.unreadable += 1
      info.unreadableExample ??= name ?? '(no name)'
      return undefined
    }
    if (this.originWhole === undefined) {
      this.originWhole = ts.whole
      this.originFraction = ts.fraction
    }
    // Every field is in the literal, unset ones undefined: the object is allocated whole, and
    // every event has one shape (fields added one by one grow a second store, event after event).
    const event: TraceEvent = {
      kind,
      name,
      start: (ts.whole - this.originWhole) * 1000 + (ts.fraction - this.originFraction),
      duration,
      device: undefined,
      stream: undefined,
      correlation: undefined,
      thread: undefined,
      grid: undefined,
      block: undefined,
      bytes: undefined,
      instance: undefined,
      graph: undefined
    }
    if (kind !== 'annotation') this.gpuFields(event)
    if (kind === 'annotation' || kind === 'api') event.thread = this.threadOf()
    return event
  }

  /**
   * A `B` event: the start of a duration on its thread (pid and tid). Of a modelled category, the
   * event is read now and handed on at its `E`; any other only holds its place on the stack.
   */
  private begin(): void {
    const f = this.fields
    let kind: EventKind | null = null
    if (f.cat >= 0) {
      const category = this.category()
      if (category?.kind) {
        category.count += 1
        kind = category.kind
      }
    }
    const spans = this.spans
    const ts = this.ts
    if (kind === null) {
      if (spans.open > 0) {
        const timed = f.ts >= 0 && readMicros(this.buf, f.ts, f.tsEnd, ts)
        spans.push(this.spanThread(), null, timed ? ts : undefined)
      }
      return
    }
    if (spans.open >= MAX_OPEN_SPANS) {
      this.unpaired(this.nameOf(kind))
      return
    }
    // Its duration comes with its end: 0 until then (readable so far).
    const event = this.timedEvent(kind, 0)
    const span = { event, whole: ts.whole, fraction: ts.fraction }
    spans.push(this.spanThread(), span, event ? ts : undefined)
  }

  /** An `E` event: ends the last duration begun on its thread (the event handed on). */
  private end(): void {
    const spans = this.spans
    const f = this.fields
    const ts = this.ts
    const timed = f.ts >= 0 && readMicros(this.buf, f.ts, f.tsEnd, ts)
    const span = spans.pop(this.spanThread(), timed ? ts : undefined)
    const stack = spans.last
    if (!span || !stack) return
    const event = span.event
    if (event) {
      const duration = timed ? (ts.whole - span.whole) * 1000 + (ts.fraction - span.fraction) : NaN
      if (!(duration >= 0) || stack.unordered) {
        // An end before its begin, or a thread whose B/E events came out of time order: the
        // format pairs them by time, which file order does not give (nothing is sorted here).
        if (stack.unordered) this.info.unorderedPairs += 1
        this.unpaired(event.name)
      } else {
        event.duration = duration
        stack.held.push(event)
      }
    }
    // The durations ended inside a modelled one are held until the outermost ends: an end that
    // comes out of time order after them would have paired them wrongly (they are dropped then).
    if (stack.modelled === 0 || stack.held.length > MAX_OPEN_SPANS) this.release(stack)
    spans.settle()
  }

  /** Hands on the durations a thread held (or counts them, when its events were out of order). */
  private release(stack: SpanStack): void {
    for (const event of stack.held) {
      if (stack.unordered) {
        this.info.unorderedPairs += 1
        this.unpaired(event.name)
      } else this.sink(event)
    }
    stack.held.length = 0
  }

  /** A `B`/`E` or `b`/`e` duration not read: counted, as an unreadable event. */
  private unpaired(name: string | undefined): void {
    const info = this.info
    info.unreadable += 1
    info.unreadablePairs += 1
    info.unreadableExample ??= name ?? '(no name)'
  }

  /** The thread a `B`/`E` event is on: its pid and tid as written. */
  private spanThread(): string {
    const f = this.fields
    const buf = this.buf
    const pid = f.pid >= 0 ? buf.toString('latin1', f.pid, f.pidEnd) : ''
    const tid = f.tid >= 0 ? buf.toString('latin1', f.tid, f.tidEnd) : ''
    return `${pid}\u0000${tid}`
  }

  /**
   * The host thread of the event: its pid and tid as written (either may be absent), numbered in
   * order of first sight; -1 past MAX_THREADS distinct threads. The last thread's bytes are
   * compared first: host calls come in runs of one thread.
   */
  private threadOf(): number {
    const f = this.fields
    const buf = this.buf
    const ps = f.pid
    const ts = f.tid
    const pl = ps >= 0 ? f.pidEnd - ps : 0
    const tl = ts >= 0 ? f.tidEnd - ts : 0
    const last = this.threadBytes
    if (pl === this.threadPidLength && tl === this.threadTidLength) {
      let k = 0
      while (k < pl && buf[ps + k] === last[k]) k++
      if (k === pl) {
        let j = 0
        while (j < tl && buf[ts + j] === last[pl + j]) j++
        if (j === tl) return this.lastThread
      }
    }
    const pid = ps >= 0 ? buf.toString('latin1', ps, f.pidEnd) : ''
    const tid = ts >= 0 ? buf.toString('latin1', ts, f.tidEnd) : ''
    const key = `${pid}\u0000${tid}`
    let id = this.threads.get(key)
    if (id === undefined) {
      id = this.threads.size < MAX_THREADS ? this.threads.size : -1
      if (id >= 0) this.threads.set(key, id)
    }
    if (pl + tl <= last.length) {
      if (pl > 0) buf.copy(last, 0, ps, ps + pl)
      if (tl > 0) buf.copy(last, pl, ts, ts + tl)
      this.threadPidLength = pl
      this.threadTidLength = tl
      this.lastThread = id
    } else this.threadPidLength = -1
    return id
  }

  /**
   * Passes over the `args` object at buf[vs] (its `{`), noting where the members this reader uses
   * lie as it goes; returns the index just past it. Members that are not plain `"key": value`
   * pairs (invalid JSON) are left to scanArgs, and the object is passed over as any other value.
   * The same scanner functions read the same bytes either way, so the outcome (the end found, or
   * the error thrown) is the same as passing over it whole.
   */
  private readArgs(vs: number): number {
    const a = this.args
    a.clear()
    const buf = this.buf
    const scan = this.scan
    let p = scan.spaceTo(vs + 1)
    if (buf[p] === RBRACE) {
      this.fields.argsRead = vs
      return p + 1
    }
    for (;;) {
      if (buf[p] !== QUOTE) break
      const ks = p + 1
      const ke = scan.stringEnd(ks)
      p = scan.spaceTo(ke + 1)
      if (buf[p] !== COLON) break
      const s = scan.spaceTo(p + 1)
      const e = scan.valueEnd(s, 1)
      // A scalar holding a quote or an opening bracket would have been read otherwise.
      if (STRUCTURAL[buf[s]!] === 0 && !plainScalar(buf, s, e)) break
      a.take(scan, ks, ke, s, e)
      p = scan.spaceTo(e)
      const c = buf[p]
      if (c === RBRACE) {
        this.fields.argsRead = vs
        return p + 1
      }
      if (c !== COMMA) break
      p = scan.spaceTo(p + 1)
    }
    a.clear()
    return scan.skipNested(vs)
  }

  /** Where the members of `args` this reader uses lie (one scan, no closure). */
  private scanArgs(): Args {
    const a = this.args
    const f = this.fields
    // Read already, unless another `args` came later (the last one counts, as for every field).
    if (f.argsRead >= 0 && f.argsRead === f.args) return a
    a.clear()
    const buf = this.buf
    const scan = this.scan
    if (f.args < 0 || buf[f.args] !== LBRACE) return a
    const end = f.argsEnd
    let p = scan.space(f.args + 1)
    if (buf[p] === RBRACE) return a
    while (p < end) {
      if (buf[p] !== QUOTE) this.fail('expected a key in "args"', p)
      const ks = p + 1
      const ke = scan.stringEnd(ks)
      p = scan.space(ke + 1)
      if (buf[p] !== COLON) this.fail('expected ":" in "args"', p)
      const vs = scan.space(p + 1)
      const ve = scan.valueEnd(vs)
      a.take(scan, ks, ke, vs, ve)
      p = scan.space(ve)
      if (buf[p] !== COMMA) break
      p = scan.space(p + 1)
    }
    return a
  }

  /**
   * Device, stream, correlation, grid/block, bytes and graph id, from `args`, pid and tid; for a
   * GPU-side annotation, the range instance it projects (`args["External id"]`).
   */
  private gpuFields(event: TraceEvent): void {
    const f = this.fields
    const buf = this.buf
    const a = this.scanArgs()
    if (a.grid >= 0) setDim(event, 'grid', buf, a.grid, a.gridEnd)
    if (a.block >= 0) setDim(event, 'block', buf, a.block, a.blockEnd)
    if (a.bytes >= 0) {
      const bytes = readNumber(buf, a.bytes, a.bytesEnd)
      if (bytes !== undefined && bytes >= 0) event.bytes = bytes
    }
    if (a.stream >= 0) setInt(event, 'stream', buf, a.stream, a.streamEnd)
    if (a.device >= 0) setInt(event, 'device', buf, a.device, a.deviceEnd)
    if (a.graph >= 0) setInt(event, 'graph', buf, a.graph, a.graphEnd)
    if (a.correlation >= 0) setInt(event, 'correlation', buf, a.correlation, a.correlationEnd)
    if (event.kind === 'gpuAnnotation' && a.external >= 0)
      setInt(event, 'instance', buf, a.external, a.externalEnd)
    if (event.kind === 'api') return
    // GPU activity: pid is the device, tid the stream ("stream 7" in 2021 traces).
    if (event.device === undefined && f.pid >= 0) setInt(event, 'device', buf, f.pid, f.pidEnd)
    if (event.stream === undefined && f.tid >= 0) setInt(event, 'stream', buf, f.tid, f.tidEnd)
    if (event.device !== undefined) this.info.usedDevices.add(event.device)
  }
}

/** A category as written, and what it feeds. */
interface Category {
  bytes: Buffer
  label: string
  kind: EventKind | null
  count: number
}

interface NameEntry {
  bytes: Buffer
  text: string
  /** The name of this kind that followed this one last time. */
  next?: NameEntry
}

/** A duration begun (`B`) of a modelled category: its event (undefined: unreadable) and start. */
interface Span {
  event: TraceEvent | undefined
  whole: number
  fraction: number
}

/**
 * The `B` events not yet ended, a stack per thread (the format: an `E` ends the last `B` of its
 * pid and tid). Stacks are kept only while a duration of a modelled category is open (`open`):
 * then every `B` is pushed, a null for one of another category, so that the `E`s pair as
 * written. A `B` begun while none is open lies below every entry pushed after it on its thread,
 * so its `E`, which comes after theirs, never takes one; when the last modelled one ends, the
 * stacks are dropped.
 */
class Spans {
  /** Modelled durations open. */
  open = 0
  /** The thread stack of the last push or pop. */
  last: SpanStack | undefined
  private readonly threads = new Map<string, SpanStack>()

  push(thread: string, span: Span | null, at: Micros | undefined): void {
    let stack = this.threads.get(thread)
    if (!stack) {
      stack = { spans: [], modelled: 0, held: [], whole: -Infinity, fraction: 0, unordered: false }
      this.threads.set(thread, stack)
    }
    order(stack, at)
    this.last = stack
    stack.spans.push(span)
    if (span) {
      this.open += 1
      stack.modelled += 1
    }
  }

  /** Ends the last duration begun on the thread; settle() once what it held is handed on. */
  pop(thread: string, at: Micros | undefined): Span | null | undefined {
    const stack = this.threads.get(thread)
    this.last = stack
    if (!stack) return undefined
    order(stack, at)
    const span = stack.spans.pop()
    if (span) {
      this.open -= 1
      stack.modelled -= 1
    }
    return span
  }

  /** Drops the stacks once no modelled duration is open. */
  settle(): void {
    if (this.open === 0) {
      this.threads.clear()
      this.last = undefined
    }
  }

  /** The stacks left at the end of the input (durations never ended, durations held), and no more. */
  drain(): SpanStack[] {
    const stacks = [...this.threads.values()]
    this.threads.clear()
    this.last = undefined
    this.open = 0
    return stacks
  }
}

/**
 * Notes a time read on a thread's stack: earlier than the latest one read there, the thread's
 * B/E events are out of time order.
 */
function order(stack: SpanStack, at: Micros | undefined): void {
  if (at === undefined) return
  const d = at.whole - stack.whole || at.fraction - stack.fraction
  if (d < 0) stack.unordered = true
  else {
    stack.whole = at.whole
    stack.fraction = at.fraction
  }
}

/**
 * A thread's durations begun and not ended; the modelled ones ended inside a modelled one still
 * open, held until it ends (so that an end out of time order can still drop them); the latest
 * time read on the thread, and whether one came earlier than it (the events are out of order:
 * file order does not pair them as the format, by time, does).
 */
interface SpanStack {
  spans: (Span | null)[]
  modelled: number
  held: TraceEvent[]
  whole: number
  fraction: number
  unordered: boolean
}

/** Modelled durations open at once, all threads together (a trace nests a few dozen deep). */
const MAX_OPEN_SPANS = 65_536

/** Distinct names kept for reuse; past it, they are forgotten (memory stays bounded). */
const MAX_NAMES = 100_000
/** Distinct host threads told apart; past it a thread is -1 (a trace has a few hundred at most). */
const MAX_THREADS = 65_536
const MAX_CATEGORIES = 256

/** Spans of the members of `args` the reader uses. */
class Args {
  stream = -1
  streamEnd = -1
  device = -1
  deviceEnd = -1
  correlation = -1
  correlationEnd = -1
  external = -1
  externalEnd = -1
  grid = -1
  gridEnd = -1
  block = -1
  blockEnd = -1
  bytes = -1
  bytesEnd = -1
  graph = -1
  graphEnd = -1
  desc = -1
  descEnd = -1
  name = -1
  nameEnd = -1
  kernels = -1

  clear(): void {
    this.stream = this.device = this.correlation = this.external = this.grid = this.block = -1
    this.bytes = this.graph = this.desc = this.name = this.kernels = -1
  }

  take(scan: ByteScanner, ks: number, ke: number, vs: number, ve: number): void {
    // Told apart by length and first byte, then compared whole.
    const first = scan.buf[ks]
    switch (ke - ks) {
      case 4:
        if (first === 0x67 /* g */ && scan.equals(ks, ke, KEY.grid)) {
          this.grid = vs
          this.gridEnd = ve
        } else if (first === 0x64 /* d */ && scan.equals(ks, ke, KEY.desc)) {
          this.desc = vs
          this.descEnd = ve
        } else if (first === 0x6e /* n */ && scan.equals(ks, ke, KEY.name)) {
          this.name = vs
          this.nameEnd = ve
        }
        return
      case 5:
        if (first !== 0x62 /* b */) return
        if (scan.equals(ks, ke, KEY.block)) {
          this.block = vs
          this.blockEnd = ve
        } else if (scan.equals(ks, ke, KEY.bytes)) {
          this.bytes = vs
          this.bytesEnd = ve
        }
        return
      case 6:
        if (first === 0x73 /* s */ && scan.equals(ks, ke, KEY.stream)) {
          this.stream = vs
          this.streamEnd = ve
        } else if (first === 0x64 /* d */ && scan.equals(ks, ke, KEY.device)) {
          this.device = vs
          this.deviceEnd = ve
        }
        return
      case 7:
        if (first === 0x6b /* k */ && scan.equals(ks, ke, KEY.kernels)) this.kernels = vs
        return
      case 8:
        if (first === 0x67 /* g */ && scan.equals(ks, ke, KEY.graphId)) {
          this.graph = vs
          this.graphEnd = ve
        }
        return
      case 11:
        if (first === 0x63 /* c */) {
          if (scan.equals(ks, ke, KEY.correlation)) {
            this.correlation = vs
            this.correlationEnd = ve
          }
        } else if (
          (first === 0x45 /* E */ && scan.equals(ks, ke, KEY.externalId)) ||
          (first === 0x65 /* e */ && scan.equals(ks, ke, KEY.externalIdLower))
        ) {
          this.external = vs
          this.externalEnd = ve
        }
        return
    }
  }
}

function setInt(
  event: TraceEvent,
  field: 'device' | 'stream' | 'correlation' | 'graph' | 'instance',
  buf: Buffer,
  s: number,
  e: number
): void {
  const value = readInteger(buf, s, e)
  if (value !== undefined) event[field] = value
}

/** `[x, y, z]` of whole numbers, read digit by digit. */
function setDim(
  event: TraceEvent,
  field: 'grid' | 'block',
  buf: Buffer,
  s: number,
  e: number
): void {
  if (buf[s] !== LBRACKET) return
  let x = -1
  let y = -1
  let z = -1
  let count = 0
  let value = -1
  for (let k = s + 1; k < e; k++) {
    const c = buf[k] as number
    if (c >= 0x30 && c <= 0x39) value = (value < 0 ? 0 : value * 10) + (c - 0x30)
    else if (c === COMMA || c === RBRACKET) {
      if (value < 0 || count === 3) return
      if (count === 0) x = value
      else if (count === 1) y = value
      else z = value
      count += 1
      value = -1
      if (c === RBRACKET) break
    } else if (c !== 0x20) return
  }
  if (count === 3) event[field] = [x, y, z]
}

/** Whether buf[s, e) holds no quote and no opening bracket (valueEnd stops at the closing ones). */
function plainScalar(buf: Buffer, s: number, e: number): boolean {
  for (let k = s; k < e; k++) {
    const c = buf[k]
    if (c === QUOTE || c === LBRACE || c === LBRACKET) return false
  }
  return true
}

export class ChromeTraceSyntaxError extends Error {
  override readonly name = 'ChromeTraceSyntaxError'
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message)
  }
}
