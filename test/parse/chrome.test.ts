import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import { sniffFormat } from '../../src/load/sniff.js'
import { ByteScanner } from '../../src/parse/chrome/bytes.js'
import { ChromeTraceReader } from '../../src/parse/chrome/reader.js'
import { profileFromJson, profileToJson } from '../../src/profile/json.js'
import type { TraceEvent } from '../../src/profile/events.js'
import type { Profile, TableName } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'
import { tmpdir } from 'node:os'

/**
 * The Chrome trace reader on every trace of the corpus (test/fixtures/corpus/traces: real
 * PyTorch profiler traces from pytorch/kineto and HolisticTraceAnalysis, 2021–2024, CUDA and
 * ROCm; see docs/chrome-trace.md), checked against an independent reader written here: the test
 * gunzips and JSON.parses each file itself and sums `dur` per name and category.
 */
const TRACES = join(FIXTURES, 'corpus', 'traces')
const TRACE_FILES = readdirSync(TRACES).sort()

/** Kineto's categories (2023+ and 2021 spellings) for each table, as docs/chrome-trace.md lists. */
const TABLE_CATEGORIES: Partial<Record<TableName, readonly string[]>> = {
  kernels: ['kernel'],
  memTime: ['gpu_memcpy', 'memcpy', 'gpu_memset', 'memset'],
  cudaApi: ['cuda_runtime', 'cuda_driver', 'runtime'],
  nvtx: ['user_annotation']
}

interface JsonEvent {
  ph?: string
  cat?: string
  name?: string
  dur?: number
  args?: Record<string, unknown>
}

function parseWhole(file: string): { top: Record<string, unknown>; events: JsonEvent[] } {
  let bytes = readFileSync(join(TRACES, file))
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes)
  const top = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>
  return { top, events: top.traceEvents as JsonEvent[] }
}

/** name → [total ns, instances], summed by the test from the parsed JSON. */
function expected(events: JsonEvent[], cats: readonly string[]): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>()
  for (const e of events) {
    if (e.ph !== 'X' || !cats.includes((e.cat ?? '').toLowerCase())) continue
    const [total, n] = out.get(e.name ?? '') ?? [0, 0]
    out.set(e.name ?? '', [total + (e.dur ?? 0) * 1000, n + 1])
  }
  return out
}

function rows(profile: Profile, table: TableName): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>()
  for (const stat of profile.tables[table]?.values() ?? [])
    out.set(stat.name, [stat.total, stat.instances])
  return out
}

function readChunks(chunks: Iterable<Buffer>): TraceEvent[] {
  const events: TraceEvent[] = []
  const reader = new ChromeTraceReader((e) => events.push(e))
  for (const chunk of chunks) reader.push(chunk)
  reader.finish()
  return events
}

/**
 * The pieces of `bytes` handed out in one buffer that is overwritten once the reader has taken
 * each (as readChunks does with its two buffers): a reader that kept a view of an earlier chunk
 * would read the junk written over it.
 */
function* reused(bytes: Buffer, size: (i: number) => number): Iterable<Buffer> {
  const buffer = Buffer.alloc(8192)
  for (const piece of pieces(bytes, size)) {
    for (let at = 0; at < piece.length; at += buffer.length) {
      const part = piece.subarray(at, at + buffer.length)
      part.copy(buffer)
      yield buffer.subarray(0, part.length)
      buffer.fill('}"]{,')
    }
  }
}

function* pieces(bytes: Buffer, size: (i: number) => number): Iterable<Buffer> {
  let i = 0
  for (let k = 0; i < bytes.length; k++) {
    const n = size(k)
    yield bytes.subarray(i, i + n)
    i += n
  }
}

describe('Chrome traces of the corpus', () => {
  it.each(TRACE_FILES)('%s: every table matches an independent reader', async (file) => {
    const path = join(TRACES, file)
    expect(sniffFormat(path, file.endsWith('.gz') ? 'gzip' : 'json')).toBe('chrome')
    const [profile] = await loadInput(path)
    if (!profile) throw new Error('no profile')
    const { top, events } = parseWhole(file)
    expect(profile.meta.notes.find((n) => n.code === 'trace-read')?.message).toContain(
      `${events.length} events`
    )
    for (const [table, cats] of Object.entries(TABLE_CATEGORIES) as [TableName, string[]][]) {
      const want = expected(events, cats)
      const got = rows(profile, table)
      expect([...got.keys()].sort(), `${table} names`).toEqual([...want.keys()].sort())
      for (const [name, [total, n]] of want) {
        const [gotTotal, gotN] = got.get(name) ?? [NaN, NaN]
        expect(gotN, `${table} ${name}`).toBe(n)
        expect(gotTotal, `${table} ${name}`).toBeCloseTo(total, 3)
      }
    }
    // Memory sizes: the bytes of each operation, where the trace records them.
    const mem = events.filter(
      (e) => e.ph === 'X' && TABLE_CATEGORIES.memTime?.includes((e.cat ?? '').toLowerCase())
    )
    if (mem.every((e) => typeof e.args?.bytes === 'number')) {
      const bytes = new Map<string, number>()
      for (const e of mem)
        bytes.set(e.name ?? '', (bytes.get(e.name ?? '') ?? 0) + (e.args?.bytes as number))
      expect(new Map([...rows(profile, 'memSize')].map(([k, [t]]) => [k, t]))).toEqual(bytes)
    } else {
      expect(profile.tables.memSize).toBeUndefined()
      expect(profile.meta.notes.map((n) => n.code)).toContain('mem-size-missing')
    }
    // The GPUs the kernels ran on, named by deviceProperties.
    const devices = new Map(
      ((top.deviceProperties as { id: number; name: string }[] | undefined) ?? []).map((d) => [
        d.id,
        d.name
      ])
    )
    const used = new Set(
      events
        .filter((e) => e.ph === 'X' && (e.cat ?? '').toLowerCase() === 'kernel')
        .map((e) => devices.get(e.args?.device as number))
    )
    expect(profile.meta.gpus?.map((g) => g.name)).toEqual([...used].sort())
    expect(profile.meta.profiler.name).toBe('torch')
    expect(profile.meta.reports.kernels).toBe('chrome-trace')
    const rank = profile.meta.notes.find((n) => n.code === 'trace-rank')
    const info = top.distributedInfo as { rank?: number } | undefined
    if (info) expect(rank?.message).toMatch(new RegExp(`rank ${info.rank}\\b`))
    else expect(rank).toBeUndefined()
  })

  it('reads the values the files hold (by hand)', async () => {
    const load = async (file: string): Promise<Profile> => {
      const [p] = await loadInput(join(TRACES, file))
      return p!
    }
    // triton_example: one triton kernel, "dur": 1.76 µs; cuLaunchKernel 47.768 µs (cuda_driver).
    const triton = await load('HTA_tests-data_triton_example.json.gz')
    expect(triton.tables.kernels?.get('triton_poi_fused_add_cos_sin_0')).toMatchObject({
      total: 1760,
      instances: 1
    })
    expect(triton.tables.cudaApi?.get('cuLaunchKernel')?.total).toBe(47768)
    expect(triton.meta.gpus).toEqual([{ name: 'NVIDIA A100-PG509-200' }])
    // 2021 resnet50: "Kernel" category, integer µs, tid "stream 7".
    const resnet = await load('kineto_tb_plugin_samples_resnet50_2021_EXCERPT.pt.trace.json')
    expect(resnet.tables.kernels?.get('volta_scudnn_128x64_relu_medium_nn_v1')?.total).toBe(605000)
    // rank 0 of 1, NCCL (ns_resolution trace's distributedInfo).
    const rank = await load('HTA_tests-data_ns_resolution_trace_rank-0_2024_EXCERPT.pt.trace.json')
    expect(rank.meta.notes.find((n) => n.code === 'trace-rank')?.message).toMatch(
      /rank 0 of 1 \(nccl\)/
    )
    // ROCm 6.2: memcpy without bytes; kernels on device 2 ("pid": 2).
    const amd = await load('HTA_tests-data_amd_mi250_minitoy_train_ROCm6_2_kineto.json.gz')
    expect(amd.tables.memTime?.get('Memcpy HtoD (Host -> Device)')).toMatchObject({
      total: 38161,
      instances: 2
    })
    expect(amd.tables.cudaApi?.get('hipLaunchKernel')?.instances).toBe(12)
  })

  it('writes profile JSONs that read back: a GPU activity before the origin starts below 0', async () => {
    for (const file of TRACE_FILES) {
      const [p] = await loadInput(join(TRACES, file))
      const back = profileFromJson(JSON.parse(JSON.stringify(profileToJson(p!))), file)
      expect(back.timeline, file).toEqual(p!.timeline)
    }
    // ns_resolution: the origin is the first event read (a user_annotation at 1712195495520883.0
    // µs; the CPU operators before it are passed over), and the first GPU activity, a kernel at
    // 1712195495505583.0 µs, came earlier: 15.3 ms before the origin.
    const file = 'HTA_tests-data_ns_resolution_trace_rank-0_2024_EXCERPT.pt.trace.json'
    const [p] = await loadInput(join(TRACES, file))
    const back = profileFromJson(JSON.parse(JSON.stringify(profileToJson(p!))), file)
    expect(back.timeline?.devices[0]?.start).toBe(-15_300_000)
    expect(back.timeline?.devices[0]?.top.some((gap) => gap.start < 0)).toBe(true)
  })

  it('gives the same events whatever the chunks: 1 byte, odd sizes, the whole file', () => {
    for (const file of TRACE_FILES) {
      let bytes = readFileSync(join(TRACES, file))
      if (file.endsWith('.gz')) bytes = gunzipSync(bytes)
      // The largest file (300 kB) 1 byte at a time takes long: its first 40 kB, cut after an event.
      if (bytes.length > 100_000) {
        const cut = bytes.indexOf('\n  {', 40_000)
        bytes = Buffer.concat([bytes.subarray(0, cut), Buffer.from(']}')])
      }
      const whole = readChunks([bytes])
      expect(whole.length).toBeGreaterThan(0)
      expect(readChunks(pieces(bytes, () => 1)), file).toEqual(whole)
      expect(readChunks(pieces(bytes, (k) => 1 + ((k * 7919) % 4093))), file).toEqual(whole)
      expect(readChunks(reused(bytes, (k) => 1 + ((k * 7919) % 20011))), file).toEqual(whole)
    }
  })

  it('reads plain and gzip files alike (told by the magic bytes, not the name)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chrome-'))
    const plain = readFileSync(
      join(TRACES, 'kineto_tb_plugin_samples_resnet50_2021_EXCERPT.pt.trace.json')
    )
    writeFileSync(join(root, 'a.json'), plain)
    writeFileSync(join(root, 'b.json'), gzipSync(plain))
    writeFileSync(join(root, 'c.trace'), gzipSync(plain))
    const [a] = await loadInput(join(root, 'a.json'))
    const [b] = await loadInput(join(root, 'b.json'))
    const [c] = await loadInput(join(root, 'c.trace'))
    expect(b?.tables).toEqual(a?.tables)
    expect(c?.tables).toEqual(a?.tables)
  })
})

describe('Chrome trace quirks', () => {
  const trace = (events: string[], head = ''): Buffer =>
    Buffer.from(`{${head}"traceEvents": [\n${events.join(',\n')}\n]}`)
  const kernel = (name: string, ts: string, dur: string, extra = ''): string =>
    `{"ph": "X", "cat": "kernel", "name": ${name}, "pid": 0, "tid": 7, "ts": ${ts}, "dur": ${dur}, "args": {"stream": 7, "device": 0, "correlation": 35${extra}}}`

  it('reads names with unescaped quotes (kineto before pytorch/pytorch#146900), with a warning', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chrome-'))
    const path = join(root, 'quirk.pt.trace.json')
    writeFileSync(
      path,
      trace([
        kernel('"triton_poi_fused_add_"quoted"_0"', '100.5', '2.25'),
        // A dynamo frame name with_stack=True: `"`, then `, line`.
        `{"ph": "X", "cat": "cpu_op", "name": "File "model.py", line 3, in forward", "pid": 1, "tid": 1, "ts": 101, "dur": 5}`,
        `{"ph": "X", "cat": "user_annotation", "name": "step "warmup"", "pid": 1, "tid": 1, "ts": 100, "dur": 10}`,
        kernel('"gemm"', '110', '1')
      ])
    )
    const [profile] = await loadInput(path)
    expect(profile?.tables.kernels?.get('triton_poi_fused_add_"quoted"_0')).toMatchObject({
      total: 2250,
      instances: 1
    })
    expect(profile?.tables.kernels?.get('gemm')?.total).toBe(1000)
    expect(profile?.tables.nvtx?.get('step "warmup"')?.total).toBe(10000)
    const note = profile?.meta.notes.find((n) => n.code === 'trace-invalid-json')
    expect(note?.severity).toBe('warning')
    // Two in the kernel name, two in the frame name, two in the annotation.
    expect(note?.message).toMatch(/6 quotes inside names were not escaped/)
  })

  it('reads `args` as it passes over it: the last `args` counts, members that are not JSON are read as before', () => {
    const event = (members: string): string =>
      `{"ph": "X", "cat": "kernel", "name": "k", "pid": 2, "tid": 7, "ts": 1, "dur": 1, ${members}}`
    const events = readChunks([
      trace([
        event('"args": {"stream": 3, "device": 1}, "args": {"stream": 4}'),
        event('"args": {"stream": 3, "device": 1}, "args": 5'),
        // No comma between members: the first is read, the rest of the object is passed over.
        event('"args": {"stream": 3 "device": 1}'),
        `{"args": {"stream": 9, "grid": [2, 1, 1]}, "ph": "X", "cat": "kernel", "name": "k", "pid": 2, "tid": 7, "ts": 1, "dur": 1}`,
        event('"args": {}'),
        event('"args": {"stream": 5, "grid": [4, 1, 1], "device": 1}')
      ])
    ])
    // Device and stream fall back to pid and tid where args gives none.
    expect(events.map((e) => [e.device, e.stream, e.grid?.[0]])).toEqual([
      [2, 4, undefined],
      [2, 7, undefined],
      [2, 3, undefined],
      [2, 9, 2],
      [2, 7, undefined],
      [1, 5, 4]
    ])
  })

  it('refuses values nested deeper than 512 levels, `args` counted as one of them', () => {
    const nested = (levels: number): Buffer =>
      trace([kernel('"k"', '1', '1', `, "x": ${'['.repeat(levels)}${']'.repeat(levels)}`)])
    expect(readChunks([nested(511)])).toHaveLength(1)
    expect(() => readChunks([nested(512)])).toThrow(/nesting deeper than 512/)
  })

  it('ends a string where the tolerant rule says, at every length around the bytes searched in JS', () => {
    // The rule, written here from its description (bytes.ts): a quote after an even number of
    // backslashes closes the string when what follows, past white space, is `:`, `}`, `]`, the
    // end of the input, or `,` and the start of a value; any other quote is part of the string.
    const space = (b: Buffer, k: number): number => {
      while (k < b.length && ' \n\r\t'.includes(String.fromCharCode(b[k]!))) k++
      return k
    }
    const closes = (b: Buffer, k: number): boolean => {
      k = space(b, k)
      if (k >= b.length) return true
      const c = String.fromCharCode(b[k]!)
      if (':}]'.includes(c)) return true
      if (c !== ',') return false
      k = space(b, k + 1)
      return k >= b.length || '"{[-0123456789tfn'.includes(String.fromCharCode(b[k]!))
    }
    const reference = (b: Buffer, i: number): { end: number; raw: number } => {
      let raw = 0
      for (let q = i; q < b.length; q++) {
        if (b[q] !== 0x22) continue
        let slashes = 0
        while (q - slashes - 1 >= i && b[q - slashes - 1] === 0x5c) slashes++
        if (slashes % 2 === 1) continue
        if (closes(b, q + 1)) return { end: q, raw }
        raw += 1
      }
      return { end: -1, raw }
    }
    // xorshift32: the same cases on every run.
    let seed = 7
    const random = (n: number): number => {
      seed ^= seed << 13
      seed ^= seed >>> 17
      seed ^= seed << 5
      return (seed >>> 0) % n
    }
    const alphabet = ['a', 'b', ' ', '"', '\\', ',', ':', '}', '<', 'µ']
    const tails = ['":', '"}', '"]', '", "x"', '",1', '", x', '"x', '"', '" :', '",\n "y"']
    let checked = 0
    let unclosed = 0
    for (let length = 0; length <= 80; length++) {
      for (let round = 0; round < 12; round++) {
        let body = ''
        // Mostly plain text, now and then a quote or a backslash (invalid JSON of old exporters).
        for (let k = 0; k < length; k++) body += random(6) === 0 ? alphabet[random(10)] : 'x'
        const tail = tails[random(tails.length)]!
        const bytes = Buffer.from(`"${body}${tail}`)
        const expected = reference(bytes, 1)
        const scanner = new ByteScanner()
        scanner.reset(bytes, bytes.length, true)
        if (expected.end < 0) {
          expect(() => scanner.stringEnd(1)).toThrow(/not closed/)
          unclosed += 1
        } else {
          expect(scanner.stringEnd(1), JSON.stringify(bytes.toString())).toBe(expected.end)
          expect(scanner.rawQuotes).toBe(expected.raw)
          checked += 1
        }
      }
    }
    // 779 strings closed and 193 not, with this seed: both ways are exercised.
    expect(checked).toBeGreaterThan(600)
    expect(unclosed).toBeGreaterThan(150)
  })

  it('counts each unescaped quote once, in names and in `args`', () => {
    const reader = new ChromeTraceReader(() => undefined)
    reader.push(trace([kernel('"a "b" c"', '1', '1', ', "note": "x "y" z"')]))
    expect(reader.finish().rawQuotes).toBe(4)
  })

  it('reads times exactly: µs with 3 decimals become whole ns, starts relative to the first event', () => {
    const events = readChunks([
      trace([
        kernel(
          '"a"',
          '2413669097444.592',
          '1.76',
          ', "grid": [1, 1, 1], "block": [128, 1, 1], "graph id": 4'
        ),
        kernel('"b"', '2413669097446.001', '0.001')
      ])
    ])
    expect(events).toEqual([
      {
        kind: 'kernel',
        name: 'a',
        start: 0,
        duration: 1760,
        stream: 7,
        device: 0,
        correlation: 35,
        grid: [1, 1, 1],
        block: [128, 1, 1],
        graph: 4
      },
      { kind: 'kernel', name: 'b', start: 1409, duration: 1, stream: 7, device: 0, correlation: 35 }
    ])
  })

  it('numbers host threads by pid and tid, for annotations and runtime calls', () => {
    const host = (cat: string, pid: string, tid: string, ts: number): string =>
      `{"ph": "X", "cat": "${cat}", "name": "x", "pid": ${pid}, "tid": ${tid}, "ts": ${ts}, "dur": 1, "args": {"correlation": ${ts}}}`
    const events = readChunks([
      trace([
        host('user_annotation', '10', '10', 1),
        host('cuda_runtime', '10', '11', 2),
        host('cuda_runtime', '10', '10', 3),
        host('cuda_driver', '11', '10', 4),
        host('user_annotation', '"10"', '10', 5),
        kernel('"k"', '6', '1')
      ])
    ])
    expect(events.map((e) => e.thread)).toEqual([0, 1, 0, 2, 3, undefined])
  })

  it('reads rpd2tracing output: a bare array with a leading {}, string numbers, no categories', async () => {
    // As tools/rpd2tracing.py writes it (--format array): GPU pids named GPU<n> first, GPU ops
    // with their type in args.desc, HIP calls with their arguments, UserMarker ranges.
    const text = [
      '[ {}',
      ',{"name": "process_name", "ph": "M", "pid":"2","args":{"name":"GPU2"}}',
      ',{"name": "process_sort_index", "ph": "M", "pid":"2","args":{"sort_index":"1000002"}}',
      ',{"name":"thread_name","ph":"M","pid":"4100","tid":"4101","args":{"name":"Hip 4101"}}',
      ',{"pid":"2","tid":"0","name":"Cijk_Alik_Bljk_HHS_BH","ts":"1520113900.141","dur":"12.5","ph":"X","args":{"desc":"KernelExecution"}}',
      ',{"pid":"2","tid":"0","name":"Cijk_Alik_Bljk_HHS_BH","ts":"1520113920.000","dur":"7.5","ph":"X","args":{"desc":"KernelExecution"}}',
      ',{"pid":"2","tid":"0","name":"CopyHostToDevice","ts":"1520113890","dur":"3","ph":"X","args":{"desc":"CopyHostToDevice"}}',
      ',{"pid":"2","tid":"0","name":"Graph 7","ts":"1520113930","dur":"40","ph":"X","args":{"kernels":"5"}}',
      ',{"pid":"4100","tid":"4101","name":"hipLaunchKernel","ts":"1520113899","dur":"2","ph":"X","args":{"desc":"stream=0 | kernel=Cijk"}}',
      ',{"pid":"4100","tid":"4101","name":"decode step","ts":"1520113880","dur":"100","ph":"X","args":{"desc":"decode step"}}',
      ',{"pid":"4100","tid":"4101","cat":"api_op","name":"api_op","ts":"1520113899","id":"1","ph":"s"}',
      ',{"pid":"2","name":"QueueDepth","ph":"C","ts":1520113899,"args":{"depth":1}}',
      ']'
    ].join('\n')
    const root = mkdtempSync(join(tmpdir(), 'chrome-'))
    const path = join(root, 'trace.json')
    writeFileSync(path, text)
    expect(sniffFormat(path, 'text')).toBe('chrome')
    const [profile] = await loadInput(path)
    expect(profile?.meta.profiler.name).toBe('rpd')
    expect(profile?.tables.kernels?.get('Cijk_Alik_Bljk_HHS_BH')).toMatchObject({
      total: 20000,
      instances: 2,
      min: 7500,
      max: 12500
    })
    expect(profile?.tables.kernels?.size).toBe(1)
    expect(profile?.tables.memTime?.get('CopyHostToDevice')?.total).toBe(3000)
    expect(profile?.tables.cudaApi?.get('hipLaunchKernel')?.total).toBe(2000)
    expect(profile?.tables.nvtx?.get('decode step')?.total).toBe(100000)
    // No correlation links its kernels to their calls: no kernels-per-range table, and a note.
    expect(profile?.tables.nvtxKernels).toBeUndefined()
    expect(profile?.meta.notes.find((n) => n.code === 'trace-nvtx-kernels')?.message).toMatch(
      /carry no correlation .*: there is no kernels-per-range table/
    )
  })

  it('reads a trace cut short, with a warning; refuses what is not a trace, saying where', async () => {
    const root = mkdtempSync(join(tmpdir(), 'chrome-'))
    const whole = trace([kernel('"a"', '1', '2'), kernel('"b"', '5', '3'), kernel('"c"', '9', '4')])
    const cut = join(root, 'cut.json')
    writeFileSync(cut, whole.subarray(0, whole.indexOf('"c"') + 1))
    const [profile] = await loadInput(cut)
    expect([...(profile?.tables.kernels?.keys() ?? [])].sort()).toEqual(['a', 'b'])
    expect(profile?.meta.notes.find((n) => n.code === 'trace-truncated')?.severity).toBe('warning')
    const cutGz = join(root, 'cut.json.gz')
    const gz = gzipSync(whole)
    writeFileSync(cutGz, gz.subarray(0, gz.length - 12))
    const [fromGz] = await loadInput(cutGz)
    expect(fromGz?.meta.notes.find((n) => n.code === 'trace-truncated')?.message).toMatch(
      /gzip stream is cut/
    )
    const bad = join(root, 'bad.json')
    // A missing comma after "ts": 1 — the byte of "dur" (67) is where the reader stops.
    writeFileSync(
      bad,
      '{"traceEvents": [{"ph": "X", "cat": "kernel", "name": "k", "ts": 1 "dur": 2}]}'
    )
    await expect(loadInput(bad)).rejects.toThrow(/expected "," or "}" in an event at byte 67/)
    const notGzip = join(root, 'not.json.gz')
    writeFileSync(notGzip, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))
    await expect(loadInput(notGzip)).rejects.toThrow(/starts like gzip but is not a valid gzip/)
  })

  it('reads durations written as B/E pairs: paired per thread as a stack, whatever the chunks', () => {
    const text = trace([
      // A kernel as a pair; the E names nothing (the format allows it).
      `{"ph": "B", "cat": "kernel", "name": "k1", "pid": 0, "tid": 7, "ts": 10.5, "args": {"stream": 7, "device": 0, "correlation": 3}}`,
      `{"ph": "E", "pid": 0, "tid": 7, "ts": 12.25}`,
      // An annotation holding a CPU operator (not read) holding a runtime call, on thread 1/2;
      // "ph" after "cat". The operator's E must not end the annotation.
      `{"cat": "user_annotation", "ph": "B", "name": "step", "pid": 1, "tid": 2, "ts": 20}`,
      `{"ph": "B", "cat": "cpu_op", "name": "aten::mm", "pid": 1, "tid": 2, "ts": 21}`,
      `{"ph": "B", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 1, "tid": 2, "ts": 22, "args": {"correlation": 9}}`,
      `{"ph": "E", "pid": 1, "tid": 2, "ts": 23.001}`,
      `{"ph": "E", "pid": 1, "tid": 2, "ts": 24}`,
      // Another thread's E meanwhile ends nothing of thread 1/2.
      `{"ph": "E", "pid": 1, "tid": 3, "ts": 24.5}`,
      `{"ph": "E", "pid": 1, "tid": 2, "ts": 30}`,
      // An X between them, as ever.
      kernel('"k2"', '31', '2')
    ])
    const want = [
      {
        kind: 'kernel',
        name: 'k1',
        start: 0,
        duration: 1750,
        stream: 7,
        device: 0,
        correlation: 3
      },
      {
        kind: 'api',
        name: 'cudaLaunchKernel',
        start: 11500,
        duration: 1001,
        correlation: 9,
        thread: 0
      },
      { kind: 'annotation', name: 'step', start: 9500, duration: 10000, thread: 0 },
      {
        kind: 'kernel',
        name: 'k2',
        start: 20500,
        duration: 2000,
        stream: 7,
        device: 0,
        correlation: 35
      }
    ]
    const read = (chunks: Iterable<Buffer>): TraceEvent[] =>
      readChunks(chunks).map(
        (e) =>
          Object.fromEntries(
            Object.entries(e).filter(([, v]) => v !== undefined)
          ) as unknown as TraceEvent
      )
    expect(read([text])).toEqual(want)
    expect(read(pieces(text, () => 1))).toEqual(want)
    expect(read(pieces(text, (i) => 7 + (i % 13)))).toEqual(want)
  })

  it('counts the durations it cannot read (async b/e, a B never ended, an E before its B), each said', () => {
    const reader = new ChromeTraceReader(() => undefined)
    reader.push(
      trace([
        `{"ph": "b", "cat": "kernel", "name": "async", "id": 1, "pid": 0, "tid": 7, "ts": 1}`,
        `{"ph": "e", "cat": "kernel", "name": "async", "id": 1, "pid": 0, "tid": 7, "ts": 2}`,
        `{"ph": "B", "cat": "kernel", "name": "backwards", "pid": 0, "tid": 7, "ts": 5}`,
        `{"ph": "E", "pid": 0, "tid": 7, "ts": 4}`,
        `{"ph": "B", "cat": "gpu_memcpy", "name": "never ended", "pid": 0, "tid": 8, "ts": 5}`,
        // Not of a category read: nothing to say.
        `{"ph": "b", "cat": "cpu_op", "name": "x", "id": 2, "pid": 0, "tid": 7, "ts": 1}`,
        `{"ph": "B", "cat": "cpu_op", "name": "y", "pid": 0, "tid": 9, "ts": 1}`
      ])
    )
    const info = reader.finish()
    expect(info.unreadable).toBe(3)
    expect(info.unreadablePairs).toBe(3)
    expect(info.unreadableExample).toBe('async')
  })

  it('a corpus trace with every second kernel written as a B/E pair reads as the original', async () => {
    const file = 'HTA_tests-data_critical_path_simple_add_trace.json.gz'
    const { top, events } = parseWhole(file)
    let k = 0
    const split = events.flatMap((e): object[] => {
      if (e.ph !== 'X' || e.cat !== 'kernel' || k++ % 2 === 0) return [e]
      const { dur, ...rest } = e as JsonEvent & { pid: unknown; tid: unknown; ts: number }
      return [
        { ...rest, ph: 'B' },
        { ph: 'E', pid: rest.pid, tid: rest.tid, ts: rest.ts + (dur ?? 0) }
      ]
    })
    expect(k).toBeGreaterThan(10)
    const root = mkdtempSync(join(tmpdir(), 'chrome-'))
    const path = join(root, 'pairs.json')
    writeFileSync(path, JSON.stringify({ ...top, traceEvents: split }))
    const [profile] = await loadInput(path)
    const want = expected(events, ['kernel'])
    const got = rows(profile!, 'kernels')
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort())
    for (const [name, [total, n]] of want) {
      expect(got.get(name)?.[1], name).toBe(n)
      expect(got.get(name)?.[0], name).toBeCloseTo(total, 3)
    }
    expect(profile!.meta.notes.map((n) => n.code)).not.toContain('trace-events-unreadable')
  })

  it('skips what it does not model, and a huge metadata value, without holding it', () => {
    const log = 'x'.repeat(200_000)
    const events = readChunks(
      pieces(
        trace(
          [
            `{"ph": "X", "cat": "cpu_op", "name": "aten::mm", "pid": 1, "tid": 1, "ts": 1, "dur": 9, "args": {"Input Dims": [[1, 2], [2, 3]], "Input type": ["float", "", "Scalar"]}}`,
            `{"ph": "i", "s": "t", "name": "[memory]", "pid": 1, "tid": 1, "ts": 2}`,
            kernel('"k"', '3', '1')
          ],
          `"systemTraceEvents": "${log}", "INFO": ["a \\"quoted\\" line", {"nested": [1, {"x": "}"}]}], `
        ),
        () => 4096
      )
    )
    expect(events.map((e) => e.name)).toEqual(['k'])
  })
})
