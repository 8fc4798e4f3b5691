import type { EventKind, EventSink, TraceEvent } from '../../profile/events.js'
import {
  ascii,
  ByteScanner,
  ByteSyntaxError,
  COLON,
  COMMA,
  decodeString,
  LBRACE,
  LBRACKET,
  NEED_MORE,
  QUOTE,
  RBRACE,
  RBRACKET,
  readInteger,
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
 * kernels, memory copies and sets, runtime and driver calls, user annotations. Everything else
 * (CPU operators, flows, counters, instants) is counted by category and skipped; only the fields
 * used are read (an event's `args` only for the kinds that need them).
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
  grid: ascii('grid'),
  block: ascii('block'),
  bytes: ascii('bytes'),
  graphId: ascii('graph id'),
  desc: ascii('desc')
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
  /** Events of a modelled category without a usable time or duration, skipped. */
  unreadable: number
  /** The first such event's name, for the note. */
  unreadableExample?: string
  /** Where the input ended inside the trace (a truncated file), in bytes. */
  truncatedAt?: number
  /** Bytes after the end of the trace, ignored. */
  trailing: number
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

  clear(): void {
    this.ph = this.cat = this.name = this.pid = this.tid = this.ts = this.dur = this.args = -1
  }
}

export class ChromeTraceReader {
  private readonly scan = new ByteScanner()
  private readonly fields = new Fields()
  private buf: Buffer = Buffer.alloc(0)
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
  private readonly catKinds = new Map<string, EventKind | null>()
  /** rpd2tracing: the pids its `process_name` metadata calls `GPU<n>`. */
  private readonly gpuPids = new Set<string>()
  /** The first timed event's time: whole µs and ns fraction (starts are relative to it). */
  private originWhole: number | undefined
  private originFraction = 0

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
    trailing: 0,
    bytes: 0
  }

  constructor(private readonly sink: EventSink) {}

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
      this.base += this.pos
      this.buf = Buffer.concat([this.buf.subarray(this.pos), bytes])
    }
    this.pos = 0
    if (this.buf.length < this.waitFor) return
    this.pump(false)
  }

  /** The end of the input. Returns what was learned; events went to the sink as they came. */
  finish(): ChromeTraceInfo {
    this.pump(true)
    const info = this.info
    info.rawQuotes = this.scan.rawQuotes
    if (this.state !== 'end' && this.state !== 'start') info.truncatedAt = info.bytes
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
          // A byte-order mark.
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
          const key = decodeString(buf, p + 1, ke, scan.escaped, scan.high)
          p = scan.spaceTo(ke + 1)
          if (buf[p] !== COLON) this.fail('expected ":"', p)
          p = scan.spaceTo(p + 1)
          if (key === 'traceEvents') {
            if (buf[p] !== LBRACKET) this.fail('"traceEvents" is not an array', p)
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
          // Counted once read whole: an event cut by the chunk's end is read again.
          this.pos = c === LBRACE ? this.event(p) : scan.valueEnd(p)
          this.info.events += 1
          this.state = 'afterEvent'
          continue
        case 'end':
          this.info.trailing += end - p
          this.pos = end
          continue
      }
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
    if (buf[p] !== RBRACE) {
      for (;;) {
        if (buf[p] !== QUOTE) this.fail('expected a key in an event', p)
        const ks = p + 1
        const ke = scan.stringEnd(ks)
        p = scan.spaceTo(ke + 1)
        if (buf[p] !== COLON) this.fail('expected ":" in an event', p)
        const vs = scan.spaceTo(p + 1)
        const ve = scan.valueEnd(vs)
        this.field(ks, ke, vs, ve)
        p = scan.spaceTo(ve)
        const c = buf[p]
        if (c === COMMA) {
          p = scan.spaceTo(p + 1)
          continue
        }
        if (c === RBRACE) break
        this.fail('expected "," or "}" in an event', p)
      }
    }
    this.classify()
    return p + 1
  }

  /** Remembers where the value of a field the reader uses lies. */
  private field(ks: number, ke: number, vs: number, ve: number): void {
    const f = this.fields
    const scan = this.scan
    switch (ke - ks) {
      case 2:
        if (scan.equals(ks, ke, KEY.ph)) [f.ph, f.phEnd] = [vs, ve]
        else if (scan.equals(ks, ke, KEY.ts)) [f.ts, f.tsEnd] = [vs, ve]
        return
      case 3:
        if (scan.equals(ks, ke, KEY.cat)) [f.cat, f.catEnd] = [vs, ve]
        else if (scan.equals(ks, ke, KEY.dur)) [f.dur, f.durEnd] = [vs, ve]
        else if (scan.equals(ks, ke, KEY.pid)) [f.pid, f.pidEnd] = [vs, ve]
        else if (scan.equals(ks, ke, KEY.tid)) [f.tid, f.tidEnd] = [vs, ve]
        return
      case 4:
        if (scan.equals(ks, ke, KEY.name)) {
          // The flags of the string just scanned: valueEnd of a string calls stringEnd once.
          ;[f.name, f.nameEnd] = [vs, ve]
          f.nameEscaped = scan.escaped
          f.nameHigh = scan.high
        } else if (scan.equals(ks, ke, KEY.args)) [f.args, f.argsEnd] = [vs, ve]
        return
    }
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
    if (ph !== 0x58 /* X */) return
    const cat = this.text(f.cat, f.catEnd)
    const categories = this.info.categories
    const label = cat ?? '(none)'
    categories.set(label, (categories.get(label) ?? 0) + 1)
    let kind: EventKind | undefined
    if (cat !== undefined) {
      let known = this.catKinds.get(cat)
      if (known === undefined) {
        const lower = cat.toLowerCase()
        known = CATEGORIES.get(lower) ?? null
        if (KINETO_CATEGORIES.has(lower)) this.info.writer = 'kineto'
        this.catKinds.set(cat, known)
      }
      if (known === null) return
      kind = known
    } else {
      kind = this.rpdKind()
      if (kind === undefined) return
    }
    this.emit(kind)
  }

  /** `{"name": "process_name", "ph": "M", "pid": "2", "args": {"name": "GPU2"}}` (rpd2tracing). */
  private processName(): void {
    const f = this.fields
    if (f.args < 0 || f.pid < 0 || this.text(f.name, f.nameEnd) !== 'process_name') return
    let label: string | undefined
    this.scan.members(f.args, f.argsEnd, (ks, ke, vs, ve) => {
      if (this.scan.equals(ks, ke, KEY.name)) label = this.text(vs, ve)
    })
    if (label !== undefined && /^GPU ?\d{1,6}$/.test(label)) this.gpuPids.add(this.pidText())
  }

  private pidText(): string {
    const f = this.fields
    const s = f.pid
    const e = f.pidEnd
    return this.buf[s] === QUOTE
      ? this.buf.toString('latin1', s + 1, e - 1)
      : this.buf.toString('latin1', s, e)
  }

  /**
   * rpd2tracing writes no categories: GPU operations are on the pids named `GPU<n>`, with their
   * operation type in `args.desc`; the rest are HIP/HSA calls, except `UserMarker` ranges, whose
   * `desc` repeats their name. Graph launches (`Graph <id>`, `args.kernels`) are not kernels.
   */
  private rpdKind(): EventKind | undefined {
    if (this.gpuPids.size === 0) return undefined
    const f = this.fields
    let desc: string | undefined
    let graph = false
    if (f.args >= 0)
      this.scan.members(f.args, f.argsEnd, (ks, ke, vs, ve) => {
        if (this.scan.equals(ks, ke, KEY.desc)) desc = this.text(vs, ve)
        else if (ke - ks === 7 && this.buf.toString('latin1', ks, ke) === 'kernels') graph = true
      })
    if (this.gpuPids.has(this.pidText())) {
      if (graph || desc === undefined) return undefined
      if (/kernel/i.test(desc)) return 'kernel'
      if (/copy/i.test(desc)) return 'memcpy'
      if (/fill/i.test(desc)) return 'memset'
      return undefined
    }
    const name = this.text(f.name, f.nameEnd)
    return desc !== undefined && name !== undefined && desc === name ? 'annotation' : 'api'
  }

  private emit(kind: EventKind): void {
    const f = this.fields
    const buf = this.buf
    const info = this.info
    const ts = f.ts >= 0 ? readMicros(buf, f.ts, f.tsEnd) : undefined
    const dur = f.dur >= 0 ? readMicros(buf, f.dur, f.durEnd) : undefined
    const name =
      f.name >= 0 && buf[f.name] === QUOTE
        ? decodeString(buf, f.name + 1, f.nameEnd - 1, f.nameEscaped, f.nameHigh)
        : undefined
    const duration = dur ? dur.whole * 1000 + dur.fraction : NaN
    if (!ts || !(duration >= 0) || name === undefined || name.trim() === '') {
      info.unreadable += 1
      info.unreadableExample ??= name ?? '(no name)'
      return
    }
    if (this.originWhole === undefined) {
      this.originWhole = ts.whole
      this.originFraction = ts.fraction
    }
    const event: TraceEvent = {
      kind,
      name,
      start: (ts.whole - this.originWhole) * 1000 + (ts.fraction - this.originFraction),
      duration
    }
    if (kind !== 'annotation') this.gpuFields(event)
    this.sink(event)
  }

  /** Device, stream, correlation, grid/block, bytes and graph id, from `args`, pid and tid. */
  private gpuFields(event: TraceEvent): void {
    const f = this.fields
    const buf = this.buf
    const scan = this.scan
    if (f.args >= 0 && buf[f.args] === LBRACE) {
      scan.members(f.args, f.argsEnd, (ks, ke, vs, ve) => {
        switch (ke - ks) {
          case 4:
            if (scan.equals(ks, ke, KEY.grid)) setDim(event, 'grid', buf, vs, ve)
            else if (scan.equals(ks, ke, KEY.desc)) return
            return
          case 5:
            if (scan.equals(ks, ke, KEY.block)) setDim(event, 'block', buf, vs, ve)
            else if (scan.equals(ks, ke, KEY.bytes)) {
              const bytes = readNumber(buf, vs, ve)
              if (bytes !== undefined && bytes >= 0) event.bytes = bytes
            }
            return
          case 6:
            if (scan.equals(ks, ke, KEY.stream)) setInt(event, 'stream', buf, vs, ve)
            else if (scan.equals(ks, ke, KEY.device)) setInt(event, 'device', buf, vs, ve)
            return
          case 8:
            if (scan.equals(ks, ke, KEY.graphId)) setInt(event, 'graph', buf, vs, ve)
            return
          case 11:
            if (scan.equals(ks, ke, KEY.correlation)) setInt(event, 'correlation', buf, vs, ve)
            return
        }
      })
    }
    if (event.kind === 'api') return
    // GPU activity: pid is the device, tid the stream ("stream 7" in 2021 traces).
    if (event.device === undefined && f.pid >= 0) setInt(event, 'device', buf, f.pid, f.pidEnd)
    if (event.stream === undefined && f.tid >= 0) setInt(event, 'stream', buf, f.tid, f.tidEnd)
    if (event.device !== undefined) this.info.usedDevices.add(event.device)
  }
}

function setInt(
  event: TraceEvent,
  field: 'device' | 'stream' | 'correlation' | 'graph',
  buf: Buffer,
  s: number,
  e: number
): void {
  const value = readInteger(buf, s, e)
  if (value !== undefined) event[field] = value
}

/** `[x, y, z]` of whole numbers. */
function setDim(
  event: TraceEvent,
  field: 'grid' | 'block',
  buf: Buffer,
  s: number,
  e: number
): void {
  if (buf[s] !== LBRACKET || e - s > 100) return
  const parts = buf.toString('latin1', s + 1, e - 1).split(',')
  if (parts.length !== 3) return
  const [x, y, z] = parts.map((p) => Number(p))
  if (
    x !== undefined &&
    y !== undefined &&
    z !== undefined &&
    Number.isInteger(x) &&
    Number.isInteger(y) &&
    Number.isInteger(z)
  )
    event[field] = [x, y, z]
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
