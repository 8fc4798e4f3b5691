import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { inspect } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import { arenaBytes } from '../../src/parse/byte-arena.js'
import { forEachLine } from '../../src/parse/lines.js'
import { TableBlock } from '../../src/parse/nsys/block.js'
import { allReportNames, parseNsysStats, reportFileName } from '../../src/parse/nsys/index.js'
import {
  RowBatchReader,
  RowBatchWriter,
  rowRingBytes,
  type RowTaker
} from '../../src/parse/nsys/row-batch.js'
import { NsysStatsParser, type StatsParseResult } from '../../src/parse/nsys/stats-text.js'
import { FIXTURES } from '../support/paths.js'

/**
 * Rows of CSV report files are read from their bytes (TableBlock.acceptBytes); every other line,
 * and any row of an unusual shape, from text. The text path is the reference: given the same
 * input as text chunks (which never take the byte path), the parser must produce the same
 * result, or fail with the same error, whatever the chunk sizes.
 */

type Outcome = { ok: unknown } | { error: string; line?: number }

async function parse(
  input: string | Uint8Array,
  chunk: number | 'text',
  source: string
): Promise<Outcome> {
  const file = reportFileName(basename(source), allReportNames())
  const options = {
    source,
    strict: true as const,
    ...(file ? { report: { name: file.report, variant: file.variant } } : {})
  }
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input
  const chunks: (string | Uint8Array)[] = []
  if (chunk === 'text') chunks.push(new TextDecoder().decode(bytes))
  else for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.slice(i, i + chunk))
  try {
    return { ok: await parseNsysStats(chunks, options) }
  } catch (error) {
    const e = error as Error & { line?: number }
    return { error: e.message, line: e.line }
  }
}

/**
 * The rows of a GPU trace read as load/nsys-trace.ts and its worker read them, on this thread:
 * line 1 by the parser; the rest by a block in scan mode made from the same options (cloned, as
 * they cross to the worker), whose rows cross a ring (numbered names starting over every three,
 * to exercise that) and are taken by the parser in order. Undefined where line 1 does not open
 * such a block (load/nsys-trace.ts then reads the file on one thread).
 */
async function parseSplit(
  input: Uint8Array,
  chunk: number,
  source: string
): Promise<Outcome | undefined> {
  const file = reportFileName(basename(source), allReportNames())
  const newline = input.indexOf(10)
  if (newline < 0) return undefined
  const stop = newline > 0 && input[newline - 1] === 13 ? newline - 1 : newline
  const parser = new NsysStatsParser({
    source,
    strict: true,
    ...(file ? { report: { name: file.report, variant: file.variant } } : {})
  })
  try {
    parser.push(new TextDecoder('utf-8', { ignoreBOM: true }).decode(input.subarray(0, stop)), 1)
  } catch {
    return undefined
  }
  const block = parser.scannableBlock()
  if (!block) return undefined
  try {
    const scanner = new TableBlock(structuredClone(block.blockOptions))
    const columns = scanner.scanColumns.length
    const ring = new Float64Array(rowRingBytes(columns) / 8)
    const reader = new RowBatchReader(ring, columns)
    const take: RowTaker = {
      row: (values, at, name, device, line) =>
        parser.takeScannedRow(block, values, at, name, device, line),
      text: (line, lineNo, terminated) => parser.push(line, lineNo, terminated)
    }
    const writer = new RowBatchWriter(
      ring,
      columns,
      (b) => reader.read(structuredClone(b), take),
      3
    )
    scanner.scanRowsTo(writer.row)
    const rest = input.subarray(newline + 1)
    const chunks: Uint8Array[] = []
    for (let i = 0; i < rest.length; i += chunk) chunks.push(rest.slice(i, i + chunk))
    // As the worker reads them (readChunks' large buffers): in WebAssembly memory, where a
    // row's end is compared with the one kept (byte-arena.ts). Chunks of 4096 bytes are read
    // from ordinary buffers instead, compared with the ends kept natively.
    function* inArena(): Generator<Uint8Array> {
      for (const piece of chunks) {
        ARENA_CHUNK.set(piece)
        yield ARENA_CHUNK.subarray(0, piece.length)
      }
    }
    try {
      await forEachLine(
        chunk === 4096 ? chunks : inArena(),
        {
          bytes: (b, start, end, lineNo) => scanner.acceptBytes(b, start, end, lineNo),
          text: writer.text
        },
        { source, firstLine: 2 }
      )
    } finally {
      // The worker sends what it read before it reports an error of its own.
      writer.flush()
    }
    return { ok: parser.finish() }
  } catch (error) {
    const e = error as Error & { line?: number }
    return { error: e.message, line: e.line }
  }
}

/** One piece of WebAssembly memory, reused for every chunk (parseSplit). */
const ARENA_CHUNK = arenaBytes(1 << 20)!

async function expectSameAsText(input: string | Uint8Array, source = 'run_cuda_gpu_kern_sum.csv') {
  const reference = await parse(input, 'text', source)
  for (const chunk of [1, 7, 4096, 1 << 20]) {
    expect(await parse(input, chunk, source), `chunks of ${chunk} bytes`).toEqual(reference)
  }
  if (/gpu_?trace/.test(source)) {
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input
    for (const chunk of [1, 7, 4096, 1 << 20]) {
      const split = await parseSplit(bytes, chunk, source)
      if (split !== undefined) {
        expect(split, `rows scanned apart, chunks of ${chunk} bytes`).toEqual(reference)
        splitChecked += 1
      }
    }
  }
  return reference
}

/** Inputs the scanned-apart reading was held to (parseSplit). */
let splitChecked = 0

function csvFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return csvFiles(path)
    return name.endsWith('.csv') ? [path] : []
  })
}

const HEADER =
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name'
const TRACE_HEADER =
  'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'

describe('rows read from bytes agree with rows read from text', () => {
  const files = csvFiles(join(FIXTURES, 'nsys-real'))

  it('finds the real nsys report files', () => {
    expect(files.length).toBeGreaterThanOrEqual(20)
  })

  it.each(files.map((f) => [f.slice(FIXTURES.length + 1), f]))(
    '%s (real nsys output)',
    async (_, path) => {
      const outcome = await expectSameAsText(readFileSync(path), basename(path))
      // Every one of them is readable: a difference in an error would hide here otherwise.
      expect(outcome).toHaveProperty('ok')
    }
  )

  it('rows of every shape the byte path leaves to the text path', async () => {
    const rows = [
      '38.1,4000,2,2000.0,2000.0,1000,3000,1414.2,"void k<int, float>(int)"', // quoted name
      '19.0,2000,2,1000.0,1000.0,500,1500,707.1,"quoted"name', // quotes, no comma
      '9.5,1000,1,1000.0,1000.0,1000,1000,0.0, leading space',
      '9.5,1000,1,1000.0,1000.0,1000,1000,0.0,trailing space ',
      // A progress bar's redraw: what follows the last \r is the row.
      '1.0,1,1,1.0,1.0,1,1,0.0,overdrawn\r4.8,500,1,500.0,500.0,500,500,0.0,redrawn',
      '4.8,500,1,5e2,500.0,500,500,0.0,exponent',
      '4.8,500,1,500.0,500.0,500,500,,no deviation',
      '4.8,500,1,500.0,500.0,500,500,None,none',
      '4.8,500,1,500.0,500.0,500,500,0.0,ünïcödé ∑ kernel',
      '0.0,0,0,0.0,0.0,0,0,0.0,nothing',
      '0.0,"0,0",1,0.0,0.0,0,0,0.0,decimal comma'
    ]
    const outcome = await expectSameAsText(`${HEADER}\r\n${rows.join('\r\n')}\r\n`)
    expect(outcome).toHaveProperty('ok')
  })

  it('numbers of 16 digits and more', async () => {
    const row = '100.0,1234567890123456,1,1234567890123456,1,1,1234567890123456,0,k'
    expect(await expectSameAsText(`${HEADER}\n${row}\n`)).toHaveProperty('ok')
  })

  it('a last row without a line break, a byte-order mark, invalid UTF-8', async () => {
    await expectSameAsText(`\uFEFF${HEADER}\n100.0,10,1,10.0,10.0,10,10,0.0,k`)
    // Invalid UTF-8 of every kind (a lone continuation byte, cut sequences, overlong forms,
    // surrogates, values past U+10FFFF, bytes never used): one kernel each, replaced alike.
    const sequences = [
      [0xff],
      [0x80],
      [0xc3],
      [0xc3, 0x28],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x98],
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf8, 0x88, 0x80, 0x80, 0x80],
      [0xfe, 0xfe]
    ]
    const share = (100 / sequences.length).toFixed(1)
    const encode = (text: string): number[] => [...new TextEncoder().encode(text)]
    const invalid = new Uint8Array([
      ...encode(`${HEADER}\n`),
      ...sequences.flatMap((bytes, i) => [
        ...encode(`${share},10,1,10.0,10.0,10,10,0.0,bad${i} `),
        ...bytes,
        ...encode('x\n')
      ])
    ])
    const outcome = await expectSameAsText(invalid)
    expect(outcome).toHaveProperty('ok')
    // The names hold replacement characters (so the comparison above compared decoded names).
    expect(inspect(outcome, { depth: null, maxStringLength: null })).toContain('bad0 \ufffdx')
  })

  it.each([
    ['a negative number', '100.0,-10,1,-10.0,-10.0,-10,-10,0.0,k'],
    ['an unquoted comma', '100.0,10,1,10.0,10.0,10,10,0.0,k<a, b>'],
    ['an unclosed quote', '100.0,10,1,10.0,10.0,10,10,0.0,"k<a, b>'],
    ['a fractional count', '100.0,10,1.5,10.0,10.0,10,10,0.0,k'],
    ['an empty count', '100.0,10,,10.0,10.0,10,10,0.0,k'],
    ['a blank name', '100.0,10,1,10.0,10.0,10,10,0.0,   '],
    ['a missing cell', '100.0,10,1,10.0,10,10,0.0,k'],
    ['an inconsistent row', '100.0,10,1,99.0,10.0,10,10,0.0,k'],
    ['a repeated row', '50.0,10,1,10.0,10.0,10,10,0.0,k\n50.0,10,1,10.0,10.0,10,10,0.0,k'],
    ['a number too large', '100.0,9007199254740993,1,1,1,1,1,0,k']
  ])('%s fails the same way', async (_, row) => {
    const outcome = await expectSameAsText(`${HEADER}\n${row}\n`)
    expect(outcome).toHaveProperty('error')
  })

  it.each([
    ['a row with a cell too few', '1000,5,1,108,1,1,256,1,1,32,0.000,0.049,,,,,GPU (0),1,,7'],
    ['a negative duration', '1000,-5,1,108,1,1,256,1,1,32,0.000,0.049,,,,,GPU (0),1,,7,k'],
    ['a blank name', '1000,5,1,108,1,1,256,1,1,32,0.000,0.049,,,,,GPU (0),1,,7, '],
    ['a word for a start', 'soon,5,1,108,1,1,256,1,1,32,0.000,0.049,,,,,GPU (0),1,,7,k'],
    ['prose after the rows', 'That is all.']
  ])(
    'a GPU trace with %s after good rows fails the same way, rows scanned apart or not',
    async (_, bad) => {
      const good = Array.from(
        { length: 40 },
        (_, i) =>
          `${1000 + 10 * i},5,${i},108,1,1,256,1,1,32,0.000,0.049,,,,,GPU (0),1,,7,k${i % 3}`
      )
      const before = splitChecked
      const outcome = await expectSameAsText(
        `${TRACE_HEADER}\n${good.join('\n')}\n${bad}\n${good[0]}\n`,
        'run_cuda_gpu_trace.csv'
      )
      expect(outcome).toMatchObject({ error: expect.stringContaining(':42') })
      expect(splitChecked - before).toBe(4)
    }
  )

  it('a GPU trace whose last row has no line break fails the same way, rows scanned apart or not', async () => {
    const before = splitChecked
    const outcome = await expectSameAsText(
      `${TRACE_HEADER}\n1000,5,1,108,1,1,256,1,1,32,0.000,0.049,,,,,GPU (0),1,,7,k\n2000,5,1,108,1,1,256,1,1,32,0.000,0.049,,,,,GPU (0),1,,7,k`,
      'run_cuda_gpu_trace.csv'
    )
    expect(outcome).toMatchObject({ error: expect.stringContaining('no line break') })
    expect(splitChecked - before).toBe(4)
  })

  it('a GPU trace: kernels in changing order, memory operations, devices', async () => {
    const lines = [TRACE_HEADER]
    const kernels = ['"gemm<float, 128>(float*, int)"', 'softmax', '"gemm<float, 64>(float*, int)"']
    const devices = ['NVIDIA H100 80GB HBM3 (0)', 'NVIDIA H100 80GB HBM3 (1)']
    for (let i = 0; i < 300; i++) {
      // Iterations repeat an order, then change it; a copy every few rows; devices alternate.
      const kernel = kernels[(i * (i < 150 ? 1 : 2)) % kernels.length]!
      const device = devices[Math.floor(i / 100) % 2]!
      lines.push(
        `${1000 + i * 10},${5 + (i % 7)},${i},108,1,1,256,1,1,32,0.000,0.049,,,,,${device},1,,7,${kernel}`
      )
      if (i % 9 === 0)
        lines.push(
          `${1003 + i * 10},${2 + (i % 3)},${i},,,,,,,,,,1.049,1000,Pageable,Device,${device},1,,7,[CUDA memcpy Host-to-Device]`
        )
    }
    const spy = vi.spyOn(TableBlock.prototype, 'acceptBytes')
    const before = splitChecked
    const outcome = await expectSameAsText(`${lines.join('\n')}\n`, 'run_cuda_gpu_trace.csv')
    expect(splitChecked - before).toBe(4)
    expect(outcome).toHaveProperty('ok')
    // The byte path took the rows (all but none): the comparison above compared something.
    const taken = spy.mock.results.filter((r) => r.value === true).length
    spy.mockRestore()
    // Four readings from bytes, then four more scanned apart (parseSplit).
    expect(taken).toBe(8 * (lines.length - 1))
  })

  it('a row left to the text path on another GPU does not move the next rows to it', async () => {
    // The quoted device cell sends its row the text path; the rows after it name GPU 0 again,
    // as the row before it did, and are read from bytes. By hand: GPU 0 runs three kernels of
    // 1 µs, GPU 1 one.
    const row = (start: number, device: string, name: string): string =>
      `${start},1000,${start},108,1,1,256,1,1,32,0.000,0.049,,,,,${device},1,,7,${name}`
    const input = [
      TRACE_HEADER,
      row(1_000_000, 'NVIDIA H100 80GB HBM3 (0)', 'a'),
      row(1_010_000, '"NVIDIA H100 80GB HBM3 (1)"', 'b'),
      row(1_020_000, 'NVIDIA H100 80GB HBM3 (0)', 'c'),
      row(1_030_000, 'NVIDIA H100 80GB HBM3 (0)', 'c')
    ].join('\n')
    const before = splitChecked
    const outcome = await expectSameAsText(`${input}\n`, 'run_cuda_gpu_trace.csv')
    expect(splitChecked - before).toBe(4)
    const devices = JSON.stringify(outcome).match(/"device":\d+,"window":\d+,"busy":\d+/g)
    expect(devices).toEqual([
      '"device":0,"window":31000,"busy":3000',
      '"device":1,"window":1000,"busy":1000'
    ])
  })

  it("device cells that begin as the last row's does, and skipped cells of every length", async () => {
    // The byte path compares a row's device cell with the last row's where it starts, and skips
    // runs of unread cells (CorrId; Reg/Trd to DymSMem; Throughput to DstMemKd; Ctx, GreenCtx) in
    // one loop: a cell longer or shorter than the last one, a quote in a skipped cell, or a row
    // short of cells must still be read as the text path reads it.
    const devices = ['GPU (0)', 'GPU (0)x', 'GPU (0', 'GPU (0)', 'GPU (1)', '', 'GPU (0)']
    const skipped = ['', '7', '123456789012', '"7"', 'a b']
    const lines = [TRACE_HEADER]
    for (let i = 0; i < 140; i++) {
      const device = devices[i % devices.length]!
      const skip = skipped[Math.floor(i / 7) % skipped.length]!
      lines.push(
        `${1000 + i * 10},${5 + (i % 3)},${skip},108,1,1,256,1,1,${skip},${skip},0.049,,${skip},,${skip},${device},${skip},${skip},7,k${i % 4}`
      )
    }
    lines.push('2000,5,1,108,1,1,256,1,1,32,0.000,0.049,,,,,GPU (0)')
    const outcome = await expectSameAsText(`${lines.join('\n')}\n`, 'run_cuda_gpu_trace.csv')
    expect(outcome).toHaveProperty('error')
    const spy = vi.spyOn(TableBlock.prototype, 'acceptBytes')
    const withoutLast = await expectSameAsText(
      `${lines.slice(0, -1).join('\n')}\n`,
      'run_cuda_gpu_trace.csv'
    )
    const taken = spy.mock.results.filter((r) => r.value === true).length
    spy.mockRestore()
    // Every row but the 28 with a quoted skipped cell (i / 7 = 3, 8, 13, 18), in each of the
    // eight readings (four from bytes, four scanned apart): the byte path read the others.
    expect(taken).toBe(8 * (140 - 28))
    // By hand: 'GPU (0)x' and 'GPU (0' are GPUs of their own, not the 'GPU' of 'GPU (0)' and
    // 'GPU (1)' (an empty cell names none); every row counts, those with a quoted skipped cell
    // (read by the text path) too.
    const result = (withoutLast as { ok: StatsParseResult }).ok
    expect(result.gpus).toEqual(['GPU', 'GPU (0)x', 'GPU (0'])
    const kernels = result.occurrences[0]!.tables.kernels!
    for (let k = 0; k < 4; k++) {
      const rows = Array.from({ length: 140 }, (_, i) => i).filter((i) => i % 4 === k)
      expect(kernels.get(`k${k}`)).toMatchObject({
        instances: rows.length,
        total: rows.reduce((sum, i) => sum + 5 + (i % 3), 0)
      })
    }
  })

  it("rows whose end repeats their kernel's last row, and rows whose end changes", async () => {
    // Scan mode (parseSplit) takes a row whose cells after CorrId are, byte for byte, those of
    // the last row of the kernel it guesses, without reading them (RowTail). Per iteration: `a`
    // repeats its end; `b` alternates two grids that differ in their first byte (a miss on every launch: compared three times,
    // then tried once in 64 launches); `c` moves to GPU 1, then to stream 8, then to 64
    // registers; a quoted name; `kx` and `ky`, names of one length, trade places every third
    // iteration (the guessed name is the other one). The text path is the reference.
    const row =
      (i: number, grid: number, regs: number, device: number, stream: number) =>
      (name: string, duration: number): string =>
        `${1_000_000 + i * 1000},${duration},${i},${grid},1,1,256,1,1,${regs},0.000,0.049,,,,,NVIDIA H100 80GB HBM3 (${device}),1,,${stream},${name}`
    const lines = [TRACE_HEADER]
    const iterations = 400
    for (let i = 0; i < iterations; i++) {
      const plain = row(i, 108, 32, 0, 7)
      const c = row(i, 108, i < 300 ? 32 : 64, i < 100 ? 0 : 1, i < 200 ? 7 : 8)
      lines.push(plain('a', 10))
      lines.push(row(i, i % 2 === 0 ? 128 : 228, 32, 0, 7)('b', 20 + (i % 2)))
      lines.push(c('c', 30))
      lines.push(plain('"gemm<float, 64>(float*, int)"', 40))
      const pair = [plain('kx', 50), plain('ky', 60)]
      lines.push(...(i % 3 === 0 ? pair.reverse() : pair))
    }
    const { RowTail } = await import('../../src/parse/nsys/row-tail.js')
    const spy = vi.spyOn(RowTail.prototype, 'matches')
    const before = splitChecked
    const outcome = await expectSameAsText(`${lines.join('\n')}\n`, 'run_cuda_gpu_trace.csv')
    const hits = spy.mock.results.filter((r) => r.value === true).length
    spy.mockRestore()
    expect(splitChecked - before).toBe(4)
    // Four readings scanned apart, 2,400 rows each. By hand, in steady state a row is taken by
    // its end where its kernel was guessed and its end did not change: `a`, `c`, the quoted name,
    // and `kx` and `ky` except around a swap: about 3 rows an iteration, never `b`.
    expect(hits).toBeGreaterThan(4 * 1100)
    expect(hits).toBeLessThanOrEqual(4 * (2400 - 400))
    // By hand: every kernel launched once an iteration, `b` with two shapes of 200 launches.
    const result = (outcome as { ok: StatsParseResult }).ok
    const tables = result.occurrences[0]!.tables
    for (const [name, duration] of [
      ['a', 10],
      ['c', 30],
      ['gemm<float, 64>(float*, int)', 40],
      ['kx', 50],
      ['ky', 60]
    ] as const)
      expect(tables.kernels!.get(name)).toMatchObject({
        instances: iterations,
        total: iterations * duration
      })
    expect(tables.kernels!.get('b')).toMatchObject({ instances: iterations, total: 400 * 20 + 200 })
    expect(
      [...tables.kernelShapes!.values()].map((s) => [s.name, s.total, s.instances]).sort()
    ).toEqual([
      ['b [grid 128×1×1, block 256×1×1]', 200 * 20, 200],
      ['b [grid 228×1×1, block 256×1×1]', 200 * 21, 200]
    ])
    // `c` ran on GPU 1 from iteration 100 on: 300 launches of 30 ns there.
    const busy = JSON.stringify(outcome).match(/"device":\d+,"window":\d+,"busy":\d+/g)
    expect(busy?.[1]).toMatch(/"device":1,"window":\d+,"busy":9000$/)
  })

  it('random GPU traces with edited rows read alike, rows scanned apart or not (seeded)', async () => {
    // The CLI's fuzzing reads small files, which never take the worker's path: here traces of
    // kernels whose rows repeat, change shape, device or stream, with edits a hand or a tool
    // makes (a cell dropped or added, a quote, a word for a number, a blank name, a CR, a line
    // cut short), are held to the text path, 40 of them from a fixed seed.
    let state = Number(process.env.NSYS_BENCH_PROPERTY_SEED ?? 20261130) >>> 0
    const random = (n: number): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0
      return state % n
    }
    const names = [
      'a',
      'b',
      '"gemm<float, 64>(float*, int)"',
      'kx',
      'ky',
      '[CUDA memcpy Host-to-Device]'
    ]
    const edits: ((cells: string[]) => void)[] = [
      (c) => c.splice(5, 1),
      (c) => c.splice(5, 0, '1'),
      (c) => (c[9] = '"32"'),
      (c) => (c[3] = 'many'),
      (c) => (c[20] = ''),
      (c) => (c[16] = `"${c[16]}"`),
      (c) => (c[19] = `${c[19]}\r`),
      (c) => (c[1] = '-5'),
      (c) => c.splice(12)
    ]
    let failures = 0
    for (let t = 0; t < 40; t++) {
      const lines = [TRACE_HEADER]
      const order = names.slice(0, 2 + random(names.length - 1))
      const change = random(4) // how often a row's end changes: never, sometimes, often
      const rows = 60 + random(200)
      // From there on the first kernel runs on GPU 1: its end changes once and then repeats.
      const moved = random(rows)
      for (let i = 0; i < rows; i++) {
        const name = order[(i + (random(10) === 0 ? 1 : 0)) % order.length]!
        const memcpy = name.startsWith('[CUDA')
        const vary = change > 0 && random(5 - change) === 0
        const cells = [
          String(1_000_000 + i * 1000),
          String(10 + random(90)),
          String(i),
          ...(memcpy
            ? ['', '', '', '', '', '']
            : // Grids of one length: a row's end that differs in its first byte only.
              [String(vary ? [228, 328, 428][random(3)] : 128), '1', '1', '256', '1', '1']),
          memcpy ? '' : String(vary ? 64 : 32),
          memcpy ? '' : '0.000',
          memcpy ? '' : '0.049',
          memcpy ? '1.049' : '',
          memcpy ? '1000' : '',
          memcpy ? 'Pageable' : '',
          memcpy ? 'Device' : '',
          `NVIDIA H100 80GB HBM3 (${(vary && random(2) === 0) || (i >= moved && name === order[0]) ? 1 : 0})`,
          '1',
          '',
          String(vary && random(2) === 0 ? 8 : 7),
          name
        ]
        if (random(40) === 0) edits[random(edits.length)]!(cells)
        lines.push(cells.join(','))
      }
      const outcome = await expectSameAsText(`${lines.join('\n')}\n`, 'run_cuda_gpu_trace.csv')
      if (!('ok' in outcome)) failures += 1
    }
    // Both outcomes were met: traces read whole, and traces refused for an edit.
    expect(failures).toBeGreaterThan(0)
    expect(failures).toBeLessThan(40)
  })

  it('a name that is a key of two tables keeps the key of each, read again in any order', async () => {
    // Read from bytes, a name keeps one table's key (and its number) with it and the keys of
    // others apart (KeyMemo): an API call's key drops its version tag, a kernel's keeps it.
    const name = 'cudaTwoTables_v7000'
    const row = `100.0,1000,2,500.0,500.0,400,600,141.4,${name}`
    const kernels = `${HEADER}\n${row}\n`
    const api = `${HEADER.replace('Instances', 'Num Calls')}\n${row}\n`
    const keys = (outcome: Outcome, table: string): string[] => {
      const tables = (outcome as { ok: StatsParseResult }).ok.occurrences[0]!.tables
      return [...(tables[table as keyof typeof tables] as Map<string, unknown>).keys()]
    }
    for (let round = 0; round < 2; round++) {
      expect(keys(await expectSameAsText(kernels), 'kernels')).toEqual([name])
      expect(keys(await expectSameAsText(api, 'run_cuda_api_sum.csv'), 'cudaApi')).toEqual([
        'cudaTwoTables'
      ])
    }
    // The other order, with a name met first as an API call.
    const other = 'cudaOtherOrder_v7000'
    expect(
      keys(await expectSameAsText(api.replace(name, other), 'run_cuda_api_sum.csv'), 'cudaApi')
    ).toEqual(['cudaOtherOrder'])
    expect(keys(await expectSameAsText(kernels.replace(name, other)), 'kernels')).toEqual([other])
  })

  it('thousands of names that differ in one character', async () => {
    const n = 2000
    const rows = Array.from({ length: n }, (_, i) => {
      const share = i === 0 ? '100.0' : '0.0'
      const total = i === 0 ? 10_000_000 : 1
      return `${share},${total},1,${total}.0,${total}.0,${total},${total},0.0,kernel_${String(i).padStart(5, '0')}_tail`
    })
    const outcome = await expectSameAsText(`${HEADER}\n${rows.join('\n')}\n`)
    expect(outcome).toHaveProperty('ok')
  })
})
