import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { readChunks } from '../../src/load/files.js'
import { forEachLine } from '../../src/parse/lines.js'
import { parseNsysStats } from '../../src/parse/nsys/index.js'
import { NsysStatsParser, type StatsParseResult } from '../../src/parse/nsys/stats-text.js'
import { TableBlock } from '../../src/parse/nsys/block.js'
import {
  RowBatchReader,
  RowBatchWriter,
  rowRingBytes,
  type RowTaker
} from '../../src/parse/nsys/row-batch.js'
import { RowTail } from '../../src/parse/nsys/row-tail.js'
import { ROOT } from '../support/paths.js'

/**
 * The GPU trace report (`cuda_gpu_trace`, `gputrace`) read by an independent reader written
 * here from the format (docs/nsys-notes.md, "CSV": a cell is quoted only when it holds a comma,
 * quotes inside are never doubled; the name is the last cell), held to the loader's kernel and
 * memory tables on the real traces of the fixtures and on generated ones with the features that
 * the loader's fast paths (bytes, the scan mode of the worker, a row's repeating end) shortcut.
 */

interface RefStat {
  total: number
  instances: number
  min: number
  max: number
}
interface RefTables {
  kernels: Map<string, RefStat>
  memTime: Map<string, RefStat>
  memSize: Map<string, RefStat>
}
/** A device's timeline: activities, the window from the first start to the last end, busy time. */
interface RefDevice {
  activities: number
  window: number
  busy: number
}
/** Per device id: rows in order of start (as nsys prints them), busy = the union of intervals. */
class RefTimeline {
  readonly devices = new Map<
    number,
    RefDevice & { first: number; stretchStart: number; stretchEnd: number }
  >()
  add(device: number, start: number, duration: number): void {
    let d = this.devices.get(device)
    if (!d) {
      d = { activities: 0, window: 0, busy: 0, first: NaN, stretchStart: NaN, stretchEnd: NaN }
      this.devices.set(device, d)
    }
    d.activities += 1
    // A zero-length activity occupies no time (src/analyze/idle.ts's documentation).
    if (duration === 0) return
    const end = start + duration
    if (Number.isNaN(d.first)) {
      d.first = start
      d.stretchStart = start
      d.stretchEnd = end
    } else if (start > d.stretchEnd) {
      d.busy += d.stretchEnd - d.stretchStart
      d.stretchStart = start
      d.stretchEnd = end
    } else d.stretchEnd = Math.max(d.stretchEnd, end)
  }
  result(): Map<number, RefDevice> {
    const out = new Map<number, RefDevice>()
    for (const [id, d] of this.devices) {
      const started = !Number.isNaN(d.first)
      out.set(id, {
        activities: d.activities,
        window: started ? d.stretchEnd - d.first : 0,
        busy: started ? d.busy + d.stretchEnd - d.stretchStart : 0
      })
    }
    return out
  }
}

/** Digits a time unit is away from ns. */
const TIME_UNITS: Record<string, number> = { ns: 0, us: 3, ms: 6, sec: 9 }

/** `3718.568` us → 3718568 ns, from the digits; a fraction of a ns stays one. */
function toNs(cell: string, shift: number): number {
  const [whole = '', frac = ''] = cell.split('.')
  const digits = whole + frac.padEnd(shift, '0').slice(0, shift)
  const rest = frac.slice(shift)
  return Number(digits) + (rest === '' ? 0 : Number(`0.${rest}`))
}

/** `1.049` MB → 1049000 bytes, from the digits (no floating point). */
function mbToBytes(cell: string): number {
  const [whole = '', frac = ''] = cell.split('.')
  const digits = (whole + (frac + '000000').slice(0, 6)).replace(/^0+(?=\d)/, '')
  if (frac.length > 6) throw new Error(`reference: finer than a byte: ${cell}`)
  return Number(digits)
}

function toBytes(cell: string, unit: string): number {
  if (unit === 'MB') return mbToBytes(cell)
  if (unit === 'B') return Number(cell)
  throw new Error(`reference: no size unit ${unit}`)
}

function add(map: Map<string, RefStat>, name: string, value: number): void {
  const s = map.get(name)
  if (!s) map.set(name, { total: value, instances: 1, min: value, max: value })
  else {
    s.total += value
    s.instances += 1
    s.min = Math.min(s.min, value)
    s.max = Math.max(s.max, value)
  }
}

/** The cells of one CSV row of `count` columns as nsys prints them; the name the rest. */
function refCells(line: string, count: number): string[] {
  const cells: string[] = []
  let pos = 0
  for (let i = 0; i < count - 1; i++) {
    if (line[pos] === '"') {
      const close = line.indexOf('",', pos + 1)
      if (close < 0) throw new Error(`reference: unclosed quote: ${line}`)
      cells.push(line.slice(pos + 1, close))
      pos = close + 2
    } else {
      const comma = line.indexOf(',', pos)
      if (comma < 0) throw new Error(`reference: too few cells: ${line}`)
      cells.push(line.slice(pos, comma))
      pos = comma + 1
    }
  }
  let name = line.slice(pos)
  if (name.includes(',')) {
    if (!(name.length >= 2 && name.startsWith('"') && name.endsWith('"')))
      throw new Error(`reference: unquoted comma in the name: ${line}`)
    name = name.slice(1, -1)
  }
  cells.push(name)
  return cells
}

/** The devices of the last trace referenceTables read. */
let lastDevices = new Map<number, RefDevice>()

function referenceTables(text: string, cutAt?: number): RefTables {
  const out: RefTables = { kernels: new Map(), memTime: new Map(), memSize: new Map() }
  const timeline = new RefTimeline()
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  if (lines.at(-1) === '') lines.pop()
  const header = lines[0]!.replace(/\r$/, '').split(',')
  const col = (label: RegExp): number => header.findIndex((h) => label.test(h))
  const durationAt = col(/^Duration \(/)
  const unit = /\((\w+)\)/.exec(header[durationAt]!)![1]!
  const shift = TIME_UNITS[unit]!
  const gridAt = col(/^GrdX$/)
  const startAt = col(/^Start \(/)
  const startShift = TIME_UNITS[/\((\w+)\)/.exec(header[startAt]!)![1]!]!
  const deviceAt = col(/^Device$/)
  const bytesAt = col(/^Bytes \(/)
  const bytesUnit = bytesAt < 0 ? 'MB' : /\((\w+)\)/.exec(header[bytesAt]!)![1]!
  const nameAt = header.length - 1
  for (const raw of lines.slice(1)) {
    const line = raw.replace(/\r$/, '')
    if (line === '') continue
    const cells = refCells(line, header.length)
    const printed = cells[nameAt]!
    const points = [...printed]
    const name =
      cutAt !== undefined && points.length > cutAt
        ? `${points.slice(0, cutAt - 1).join('')}…`
        : printed
    const duration = toNs(cells[durationAt]!, shift)
    const grid = cells[gridAt]!
    const device = Number(/\((\d+)\)$/.exec(cells[deviceAt]!)![1])
    const start = toNs(cells[startAt]!, startShift)
    if (grid !== '' && grid !== 'None') {
      add(out.kernels, name, duration)
      timeline.add(device, start, duration)
      continue
    }
    if (!name.startsWith('[CUDA ')) continue
    timeline.add(device, start, duration)
    add(out.memTime, name, duration)
    const bytes = cells[bytesAt]!
    if (bytes !== undefined && bytes !== '' && bytes !== 'None')
      add(out.memSize, name, toBytes(bytes, bytesUnit))
  }
  lastDevices = timeline.result()
  return out
}

type Loaded = Record<keyof RefTables, Map<string, RefStat>> & { devices: Map<number, RefDevice> }

function loadedTables(result: StatsParseResult, which = 0): Loaded {
  const occurrence = result.occurrences.filter((o) => o.report.family === 'gpuTrace')[which]
  if (!occurrence) throw new Error('no GPU trace read')
  const pick = (table: keyof RefTables): Map<string, RefStat> => {
    const map = new Map<string, RefStat>()
    for (const stat of occurrence.tables[table]?.values() ?? [])
      map.set(stat.name, {
        total: stat.total,
        instances: stat.instances,
        min: stat.min,
        max: stat.max
      })
    return map
  }
  const devices = new Map<number, RefDevice>()
  for (const d of occurrence.timeline?.timeline.devices ?? [])
    devices.set(d.device, { activities: d.activities, window: d.window, busy: d.busy })
  return {
    kernels: pick('kernels'),
    memTime: pick('memTime'),
    memSize: pick('memSize'),
    devices
  }
}

/** Chunks of `size` bytes: lines cut anywhere, some longer than a chunk. */
function* chunked(bytes: Buffer, size: number): Iterable<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

const SOURCE = 'run_cuda_gpu_trace.csv'

/** The loader on one thread (rows read from their bytes where they can be). */
async function loadOneThread(text: string | Buffer, chunk = 1 << 16): Promise<Loaded> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  return loadedTables(
    await parseNsysStats(chunked(bytes, chunk), {
      source: SOURCE,
      strict: true,
      report: { name: 'cuda_gpu_trace' }
    })
  )
}

/** The loader on text lines only (`--lines`: no byte path). */
async function loadText(text: string): Promise<Loaded> {
  return loadedTables(
    await parseNsysStats([text], {
      source: SOURCE,
      strict: true,
      report: { name: 'cuda_gpu_trace' },
      lines: [[1, Number.MAX_SAFE_INTEGER]]
    })
  )
}

/** Where loadScanned writes its files. */
const DIR = mkdtempSync(join(tmpdir(), 'nsys-bench-gpu-trace-ref-'))
let files = 0

/**
 * What load/nsys-trace.ts and its worker do, on this thread: the header pushed as text; the rest
 * of the file read as the worker reads it (readChunks 'large': WebAssembly memory), its rows by a
 * block in scan mode (TableBlock.acceptBytes, RowTail) written into row batches (a small name
 * limit: the numbering starts over) and taken back in order by the parser.
 */
async function loadScanned(text: string | Buffer, maxNames = 64): Promise<Loaded> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  const path = join(DIR, `run${files++}_cuda_gpu_trace.csv`)
  writeFileSync(path, bytes)
  const options = { source: SOURCE, strict: true, report: { name: 'cuda_gpu_trace' } }
  const newline = bytes.indexOf(10)
  const stop = newline > 0 && bytes[newline - 1] === 13 ? newline - 1 : newline
  const parser = new NsysStatsParser(options)
  parser.push(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, stop)), 1)
  const block = parser.scannableBlock()
  if (!block) throw new Error('not scannable')
  const scanner = new TableBlock(block.blockOptions)
  const columns = block.scanColumns.length
  const ring = new Float64Array(rowRingBytes(columns) / 8)
  const reader = new RowBatchReader(ring, columns)
  const take: RowTaker = {
    row: (values, at, name, device, line) =>
      parser.takeScannedRow(block, values, at, name, device, line),
    text: (line, lineNo, terminated) => parser.push(line, lineNo, terminated)
  }
  const writer = new RowBatchWriter(ring, columns, (batch) => reader.read(batch, take), maxNames)
  scanner.scanRowsTo(writer.row)
  await forEachLine(
    readChunks(path, newline + 1, 'large'),
    {
      bytes: (b, start, end, lineNo) => scanner.acceptBytes(b, start, end, lineNo),
      text: writer.text
    },
    { source: SOURCE, firstLine: 2 }
  )
  writer.flush()
  return loadedTables(parser.finish())
}

/** Runs `body` and answers how many rows' ends RowTail took for the kernel's last row's. */
async function tailHits(body: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(RowTail.prototype, 'matches')
  try {
    await body()
    return spy.mock.results.filter((r) => r.value === true).length
  } finally {
    spy.mockRestore()
  }
}

function expectSame(loaded: Loaded, ref: RefTables, devices = lastDevices): void {
  expect([...loaded.devices.entries()].sort(), 'devices').toEqual([...devices.entries()].sort())
  for (const table of ['kernels', 'memTime', 'memSize'] as const) {
    const got = [...loaded[table].entries()].sort()
    const want = [...ref[table].entries()].sort()
    expect(got, table).toEqual(want)
  }
}

async function expectAllPaths(text: string, chunk?: number): Promise<RefTables> {
  const ref = referenceTables(text)
  expectSame(await loadOneThread(text, chunk), ref)
  expectSame(await loadScanned(text), ref)
  expectSame(await loadText(text), ref)
  return ref
}

const HEADER_2023 =
  'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name'
const H100 = 'NVIDIA H100 80GB HBM3'

function kernelRow(start: number, duration: number, name: string, device = 0, stream = 7): string {
  return `${start},${duration},${start % 100000},108,1,1,256,1,1,32,0.000,0.049,,,,,${H100} (${device}),1,,${stream},${name}`
}
function memRow(
  start: number,
  duration: number,
  name: string,
  mb: string,
  src = 'Pageable',
  dst = 'Device',
  device = 0
): string {
  return `${start},${duration},${start % 100000},,,,,,,,,,${mb},1000.000,${src},${dst},${H100} (${device}),1,,7,${name}`
}

describe('GPU trace tables against an independent reader', () => {
  const real = [
    'test/fixtures/nsys-real/2023.4/hostile/hostile_cuda_gpu_trace.csv',
    'test/fixtures/nsys-real/2022.4/hostile/hostile_gputrace.csv'
  ]
  it.each(real)('the real trace %s', async (path) => {
    const text = readFileSync(join(ROOT, path), 'utf8')
    const ref = await expectAllPaths(text)
    expect(ref.kernels.size).toBeGreaterThan(0)
    expect(ref.memTime.size).toBeGreaterThan(0)
    // Chunks smaller than a line.
    expectSame(await loadOneThread(text, 7), ref)
    expectSame(await loadScanned(text, 2), ref)
  })

  /** The CSV GPU trace blocks of a console output: from a header `Start (…` to a blank line. */
  function traceBlocks(text: string): string[] {
    const blocks: string[] = []
    const lines = text.split('\n')
    for (let i = 0; i < lines.length; i++) {
      if (!/^Start \(\w+\),Duration \(\w+\),CorrId,/.test(lines[i]!)) continue
      let j = i
      while (j < lines.length && lines[j]!.trim() !== '') j++
      blocks.push(`${lines.slice(i, j).join('\n')}\n`)
      i = j
    }
    return blocks
  }
  it.each([
    'test/fixtures/corpus/nsys/generated_nsys-2023.4.4_stats_timeunits_nohdr_noconv_csv.txt',
    'test/fixtures/corpus/nsys/generated_nsys-2023.4.4_stats_trace-and-variant-reports_csv.txt',
    'test/fixtures/corpus/nsys/generated_nsys-2022.4.2_stats_trace-reports_csv.txt',
    'test/fixtures/nsys-real/2023.4/hostile/stdout_console_csv.txt',
    'test/fixtures/nsys-real/2022.4/hostile/stdout_console_csv.txt'
  ])('the real console output %s', async (path) => {
    const text = readFileSync(join(ROOT, path), 'utf8')
    const blocks = traceBlocks(text)
    expect(blocks.length).toBeGreaterThan(0)
    const result = await parseNsysStats([text], { source: path })
    for (const [i, block] of blocks.entries())
      expectSame(loadedTables(result, i), referenceTables(block))
  })

  it.each([
    ['test/fixtures/nsys-real/2023.4/hostile/stdout_table.txt', 'hostile_cuda_gpu_trace.csv'],
    ['test/fixtures/nsys-real/2022.4/hostile/stdout_table.txt', 'hostile_gputrace.csv']
  ])('the real boxed table %s, against the CSV of the same run', async (path, csv) => {
    const text = readFileSync(join(ROOT, path), 'utf8')
    // The boxed and column formats cut a name longer than 100 characters to its first 99 and
    // `…` (docs/nsys-notes.md, "Column format and cut names"): so does the reference here.
    const ref = referenceTables(readFileSync(join(ROOT, path, '..', csv), 'utf8'), 100)
    expectSame(loadedTables(await parseNsysStats([text], { source: path })), ref)
  })

  it.each([
    'test/fixtures/gpu-trace/hostile_nsys-2023.4_gpu-trace_column.txt',
    'test/fixtures/gpu-trace/hostile_nsys-2022.4_gpu-trace_column.txt'
  ])('the real column format %s is refused, naming the table and --format csv', async (path) => {
    // Read by the token grammar its cells shift (blank cells, `NVIDIA H100 80GB HBM3 (0)`):
    // refused, never read into other numbers.
    const text = readFileSync(join(ROOT, path), 'utf8')
    await expect(parseNsysStats([text], { source: path })).rejects.toThrow(
      /GPU trace at line 4 is in the column format.*--format csv/
    )
  })

  // The spellings nsys prints (2023.4, and 2022.4's older ones): one set per trace. Spellings of
  // both in one trace are one item (canonical keys, profile/keys.ts), a deliberate join.
  const MEMS_2023: [string, string, string, string][] = [
    ['[CUDA memcpy Host-to-Device]', '1.049', 'Pageable', 'Device'],
    ['[CUDA memcpy Device-to-Host]', '0.004', 'Device', 'Pageable'],
    ['[CUDA memcpy Device-to-Device]', '2.000', 'Device', 'Device'],
    ['[CUDA memcpy Peer-to-Peer]', '0.131', 'Device', 'Device'],
    ['[CUDA memcpy Host-to-Host]', '0.002', 'Pinned', 'Pinned'],
    ['[CUDA memset]', '0.000', 'Device', ''],
    ['[CUDA memcpy Unified Host-to-Device]', '0.066', 'Managed', 'Device'],
    ['[CUDA memcpy Unified Device-to-Host]', '0.066', 'Device', 'Managed']
  ]
  const MEMS_2022: [string, string, string, string][] = [
    ['[CUDA memcpy HtoD]', '1.000', 'Pageable', 'Device'],
    ['[CUDA memcpy DtoH]', '0.500', 'Device', 'Pinned'],
    ['[CUDA memcpy DtoD]', '0.250', 'Device', 'Device'],
    ['[CUDA memcpy PtoP]', '0.125', 'Device', 'Device'],
    ['[CUDA memcpy HtoH]', '0.001', 'Pinned', 'Pinned'],
    ['[CUDA memset]', '0.016', 'Device', ''],
    ['[CUDA Unified Memory memcpy HtoD]', '0.066', 'Managed', 'Device'],
    ['[CUDA Unified Memory memcpy DtoH]', '0.066', 'Device', 'Managed']
  ]
  it.each([
    ['2023.4', MEMS_2023],
    ['2022.4', MEMS_2022]
  ])(
    'names with commas, quotes, every memory kind of %s, several devices, CRLF',
    async (_, mems) => {
      const names = [
        '"void gemm<float, 128>(float const*, float*, int)"',
        'triton_poi_fused_add_"quoted"_0',
        '""leading quote, and trailing""',
        'softmax_kernel',
        '"a,"b"'
      ]
      const lines = [HEADER_2023]
      let start = 1000
      for (let i = 0; i < 3000; i++) {
        const device = Math.floor(i / 700) % 3
        lines.push(
          kernelRow((start += 997), 1000 + ((i * 37) % 911), names[i % names.length]!, device)
        )
        if (i % 7 === 0) {
          const [name, mb, src, dst] = mems[i % mems.length]!
          lines.push(memRow((start += 13), 100 + (i % 53), name, mb, src, dst, device))
        }
      }
      const text = `${lines.join('\n')}\n`
      const ref = await expectAllPaths(text)
      expect(ref.kernels.get('void gemm<float, 128>(float const*, float*, int)')).toBeDefined()
      expect(ref.kernels.get('a,"b')).toBeDefined()
      expect(ref.memTime.size).toBe(mems.length)
      await expectAllPaths(`${lines.join('\r\n')}\r\n`)
      await expectAllPaths(`${lines.join('\n')}\n`, 61)
    }
  )

  it('a name that differs from the last row of its kernel only in its last byte', async () => {
    // The row's repeating end (RowTail) is kept for the kernel that followed the last one: rows
    // alike but for the last byte of the name, or of the stream, or of the device, must not
    // be taken for it.
    const lines = [HEADER_2023]
    let start = 5000
    for (let i = 0; i < 2000; i++) {
      const variant = i % 10 === 9 ? 'kernelB' : 'kernelA'
      lines.push(kernelRow((start += 1000), 500 + (i % 5), 'prologue'))
      lines.push(kernelRow((start += 1000), 700 + (i % 3), variant, i % 13 === 12 ? 1 : 0))
      lines.push(kernelRow((start += 1000), 300, i % 17 === 3 ? 'epilogue1' : 'epilogue0'))
    }
    const text = `${lines.join('\n')}\n`
    let ref: RefTables | undefined
    expect(await tailHits(async () => (ref = await expectAllPaths(text)))).toBeGreaterThan(1000)
    ref = ref!
    expect(ref.kernels.get('kernelB')?.instances).toBe(200)
    expect(ref.kernels.get('epilogue1')?.instances).toBe(118)
  })

  it('the same row end but for other cells that the tail keeps (stream, grid)', async () => {
    const lines = [HEADER_2023]
    let start = 5000
    for (let i = 0; i < 3000; i++) {
      lines.push(kernelRow((start += 1000), 500, 'a', 0, 7))
      // Same name, stream 7 or 8, and sometimes a different grid: the same name must count all.
      const row = kernelRow((start += 1000), 600 + (i % 4), 'b', 0, i % 5 === 0 ? 8 : 7)
      lines.push(i % 11 === 0 ? row.replace(',108,', ',109,') : row)
    }
    expect(await tailHits(() => expectAllPaths(`${lines.join('\n')}\n`))).toBeGreaterThan(1000)
  })

  it('a name repeated 100,000 times, lines longer than a chunk', async () => {
    const long = `void k<${'float, '.repeat(20)}int>(${'x'.repeat(300)})`
    const lines = [HEADER_2023]
    let start = 1_000_000
    for (let i = 0; i < 100_000; i++) {
      lines.push(kernelRow((start += 2000), 1000 + (i % 97), i % 1000 === 5 ? `"${long}"` : 'hot'))
      if (i % 1000 === 0)
        lines.push(memRow((start += 10), 55, '[CUDA memset]', '0.016', 'Device', ''))
    }
    const text = `${lines.join('\n')}\n`
    const ref = referenceTables(text)
    expect(ref.kernels.get('hot')?.instances).toBe(99_900)
    expectSame(await loadOneThread(text), ref)
    expect(await tailHits(async () => expectSame(await loadScanned(text), ref))).toBeGreaterThan(
      90_000
    )
    expectSame(await loadScanned(text, 2), ref)
  }, 20_000)

  it('UTF-8 names, cut anywhere by the reader; a line longer than a read chunk', async () => {
    const huge = `void big<${'a'.repeat(1_500_000)}>()`
    const names = ['ker_λ', 'ядро', '核函数', '"emoji 🚀, kernel"', huge]
    const lines = [HEADER_2023]
    let start = 1000
    for (let i = 0; i < 40; i++)
      lines.push(kernelRow((start += 1000), 10 + i, names[i % names.length]!))
    const text = `${lines.join('\n')}\n`
    const ref = referenceTables(text)
    expect(ref.kernels.get(huge)?.instances).toBe(8)
    expectSame(await loadOneThread(text, 5), ref)
    expectSame(await loadOneThread(text, 1 << 20), ref)
    expectSame(await loadScanned(text), ref)
    expectSame(await loadText(text), ref)
  })

  it('more names than the row batches number before starting over', async () => {
    const lines = [HEADER_2023]
    let start = 1000
    for (let i = 0; i < 5000; i++) {
      lines.push(kernelRow((start += 1000), 10 + (i % 7), `k${(i * 7919) % 1500}`, i % 3))
      lines.push(kernelRow((start += 1000), 20, 'steady', i % 3))
    }
    const text = `${lines.join('\n')}\n`
    const ref = referenceTables(text)
    expectSame(await loadScanned(text, 2), ref)
    expectSame(await loadScanned(text, 3), ref)
    expectSame(await loadScanned(text, 100), ref)
  })

  it.each([
    ['us', 3],
    ['ms', 4]
  ])('times in %s (--timeunit), %i decimals', async (unit, decimals) => {
    const header = HEADER_2023.replace(
      'Start (ns),Duration (ns)',
      `Start (${unit}),Duration (${unit})`
    )
    const lines = [header]
    const scale = unit === 'us' ? 1e3 : 1e6
    const show = (ns: number): string => (ns / scale).toFixed(decimals)
    let start = 1_234_567
    for (let i = 0; i < 3000; i++) {
      const duration = 7 + ((i * 7919) % 100_000)
      lines.push(
        kernelRow(0, 0, `k${i % 5}`, i % 2).replace(/^0,0,/, `${show(start)},${show(duration)},`)
      )
      start += duration + ((i * 31) % 3000)
    }
    const text = `${lines.join('\n')}\n`
    const ref = await expectAllPaths(text)
    expect(ref.kernels.size).toBe(5)
  })

  it('a device cell without an id never shares a number with a GPU that has one', async () => {
    // nsys prints `<name> (<id>)`; a cell without an id is a GPU of its own, numbered after
    // the ids the trace gives, whichever comes first. By hand: GPU 0 runs one 10 ns kernel,
    // `Foo GPU` two, 4 µs apart.
    const row = (start: number, device: string): string =>
      `${start},10,1,108,1,1,256,1,1,32,0.000,0.049,,,,,${device},1,,7,k`
    const h100 = (start: number): string => row(start, 'NVIDIA H100 (0)')
    const foo = (start: number): string => row(start, 'Foo GPU')
    for (const rows of [
      [h100(1000), foo(1000), foo(5000)],
      [foo(1000), h100(1000), foo(5000)]
    ])
      for (const load of [loadOneThread, loadScanned, loadText]) {
        const loaded = await load(`${[HEADER_2023, ...rows].join('\n')}\n`)
        expect([...loaded.devices.entries()]).toEqual([
          [0, { activities: 1, window: 10, busy: 10 }],
          [1, { activities: 2, window: 4010, busy: 20 }]
        ])
      }
  })

  it('a BOM before the header', async () => {
    const lines = [HEADER_2023, kernelRow(1000, 10, 'k'), kernelRow(2000, 20, 'k')]
    const text = `\uFEFF${lines.join('\n')}\n`
    const ref = referenceTables(text)
    expectSame(await loadOneThread(text), ref)
    expectSame(await loadText(text), ref)
    // The worker's header is decoded with the BOM kept: the block is then not scannable and
    // load/nsys-trace.ts leaves the file to this thread (read as above), or it is scanned alike.
    await loadScanned(text).then(
      (t) => expectSame(t, ref),
      (e: unknown) => expect(String(e)).toContain('not scannable')
    )
  })

  it('starts or durations beyond 2^53 ns are refused, never silently rounded', async () => {
    for (const [start, duration] of [
      ['9007199254740993', '20'],
      ['2000', '9007199254740993']
    ] as const) {
      const row = kernelRow(0, 0, 'k').replace(/^0,0,/, `${start},${duration},`)
      const text = `${[HEADER_2023, kernelRow(1000, 10, 'k'), row].join('\n')}\n`
      await expect(loadOneThread(text)).rejects.toThrow(/:3 .*too large to be a measurement/)
      await expect(loadScanned(text)).rejects.toThrow(/:3 .*too large to be a measurement/)
    }
  })
})
