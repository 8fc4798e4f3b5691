import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseTokens, cliCaseArbitrary, type CliCase } from './cases.js'
import { sampleCases } from './driver.js'
import {
  applyOps,
  isDataLine,
  opArbitrary,
  OPERATORS,
  scaleMeasurements,
  scaleNumbers,
  type MutationContext
} from './mutations.js'

const CSV = [
  'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name',
  '60.0,3000,3,1000.0,1000.0,900,1100,100.0,"void gemm<float, 4>(int)"',
  '40.0,2000,2,1000.0,1000.0,1000,1000,0.0,relu_kernel',
  ''
].join('\n')

const COLUMNS = [
  ' Time (%)  Total Time (ns)  Instances  Avg (ns)   Med (ns)  Min (ns)  Max (ns)  StdDev (ns)  Name',
  ' --------  ---------------  ---------  --------  --------  --------  --------  -----------  ----',
  '     60.0        3,000,000          3  1,000,000.0  1,000,000.0   900,000  1,100,000  100.0  void gemm<float, 4>(int)',
  ''
].join('\n')

const PROFILE = JSON.stringify({
  schemaVersion: 1,
  kind: 'nsys-bench/profile',
  meta: { notes: [] },
  tables: {
    kernels: {
      unit: 'ns',
      rows: { k: { name: 'k', totalNs: 30, instances: 3, avgNs: 10, minNs: 9, maxNs: 11 } }
    }
  }
})

const ctx: MutationContext = { read: () => Buffer.from('OTHER,1,2,3\n') }
const apply = (input: string, op: string, p: unknown): string =>
  applyOps(Buffer.from(input), [{ op, p }], ctx).toString('latin1')

describe('mutation operators', () => {
  it('truncate, flip and line operators do what they say', () => {
    expect(apply(CSV, 'truncate-byte', 0)).toBe('')
    expect(apply(CSV, 'truncate-after-header', 0)).toBe(`${CSV.split('\n')[0]}\n`)
    expect(apply('abc', 'flip-bytes', [{ at: 0, value: 0x5a }])).toBe('Zbc')
    expect(apply('a\nb\n', 'delete-line', 0)).toBe('b\n')
    expect(apply('a\nb\n', 'duplicate-line', 9999)).toBe('a\nb\nb\n')
    expect(apply('a\nb\n', 'move-line', [0, 9999])).toBe('b\na\n')
  })

  it('cell operators edit one header or row', () => {
    const header = apply(CSV, 'delete-cell', ['header', 0, 5600]).split('\n')[0]!
    expect(header.split(',')).toHaveLength(8)
    expect(header).not.toContain('Min (ns)')
    const row = apply(CSV, 'insert-cell', ['row', 9999, 0, 1]).split('\n')[2]!
    expect(row.startsWith('x,40.0')).toBe(true)
  })

  it('number-format writes a number the odd way', () => {
    expect(apply(CSV, 'number-format', [0, 1300, 0])).toContain('60.0,1,234,3,')
  })

  it('hostile-name replaces the name cell, quoting it for CSV', () => {
    const out = apply(CSV, 'hostile-name', [7, 0, true]).split('\n')[1]!
    expect(out).toBe('60.0,3000,3,1000.0,1000.0,900,1100,100.0,void k_@user()')
    const newline = apply(CSV, 'hostile-name', [26, 9999, true])
    expect(newline).toContain('"void k_x\n::error::FUZZINJ()"')
    const column = apply(COLUMNS, 'hostile-name', [4, 0, true])
    expect(column).toContain('100.0  void k_<script>alert(1)</script>()')
  })

  it('scaling multiplies times and sizes, not counts or percentages', () => {
    const grid = [
      'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),GridXYZ,BlockXYZ,Name',
      '61.6,3718568,3,1239522.7,1234567.0,1234000,1250001,9078.9, 108    1    1, 256    1    1,ampere_sgemm'
    ].join('\n')
    expect(scaleNumbers(grid, 2).split('\n')[1]).toBe(
      '61.6,7437136,3,2479045.4,2469134.0,2468000,2500002,18157.8, 108    1    1, 256    1    1,ampere_sgemm'
    )
    expect(scaleNumbers(CSV, 2).split('\n')[1]).toBe(
      '60.0,6000,3,2000.0,2000.0,1800,2200,200.0,"void gemm<float, 4>(int)"'
    )
    expect(scaleNumbers(COLUMNS, 2).split('\n')[2]).toContain(
      '60.0        6,000,000          3  2,000,000.0  2,000,000.0   1,800,000  2,200,000  200.0'
    )
    const profile = JSON.parse(scaleMeasurements(Buffer.from(PROFILE), 2).toString())
    expect(profile.tables.kernels.rows.k).toMatchObject({ totalNs: 60, instances: 3, avgNs: 20 })
  })

  it('encodings: CRLF, BOM, UTF-16LE', () => {
    expect(apply('a\nb\n', 'crlf', null)).toBe('a\r\nb\r\n')
    expect(applyOps(Buffer.from('a'), [{ op: 'bom', p: null }], ctx)).toEqual(
      Buffer.from([0xef, 0xbb, 0xbf, 0x61])
    )
    expect(applyOps(Buffer.from('a'), [{ op: 'utf16le', p: true }], ctx)).toEqual(
      Buffer.from([0xff, 0xfe, 0x61, 0])
    )
  })

  it('profile JSON operators splice raw values and own __proto__ keys', () => {
    expect(apply(PROFILE, 'json-field', [0, 2, 2])).toMatch(/"avgNs": 1e999/)
    expect(apply(PROFILE, 'json-proto', [4, 0])).toContain('"__proto__": {')
    expect(apply(PROFILE, 'json-deep', [0, 1000])).toContain('['.repeat(1000))
  })

  it('concat joins another seed', () => {
    expect(apply('a\n', 'concat', 'any')).toBe('a\n\nOTHER,1,2,3\n')
  })

  it('every operator turns any input into bytes without throwing', () => {
    const inputs = [CSV, COLUMNS, PROFILE, '', '\n\n', 'x']
    for (const kind of ['text', 'json'] as const) {
      const arb = fc.tuple(fc.constantFrom(...inputs), opArbitrary(kind, { textSeeds: ['any'] })!)
      fc.assert(
        fc.property(arb, ([input, call]) => {
          if (call.op === 'huge-name' || call.op === 'long-line') return true
          return Buffer.isBuffer(applyOps(Buffer.from(input), [call], ctx))
        }),
        { numRuns: 300, seed: 1 }
      )
    }
  })

  it('has unique names and recognizes data rows', () => {
    expect(new Set(OPERATORS.map((o) => o.name)).size).toBe(OPERATORS.length)
    expect(isDataLine(CSV.split('\n')[1]!)).toBe(true)
    expect(isDataLine(CSV.split('\n')[0]!)).toBe(false)
    expect(isDataLine(COLUMNS.split('\n')[2]!)).toBe(true)
  })
})

describe('cases', () => {
  const seeds = { text: ['a.txt', 'b.csv'], json: ['p.json'], statsCsv: ['h.csv'] }

  it('are reproducible from the seed', () => {
    const a = sampleCases(cliCaseArbitrary(seeds), 7, 50)
    const b = sampleCases(cliCaseArbitrary(seeds), 7, 50)
    expect(a).toEqual(b)
  })

  it('mostly carry one operator, so that a failure names its cause', () => {
    const cases: CliCase[] = sampleCases(cliCaseArbitrary(seeds), 3, 400)
    const single = cases.filter((c) => caseTokens(c).length <= 1).length
    expect(single / cases.length).toBeGreaterThan(0.8)
  })

  it('--only keeps the cases with that operator', () => {
    for (const only of ['flip-bytes', 'special:fifo', 'rules:deep', 'json-field']) {
      const cases = sampleCases(cliCaseArbitrary(seeds, { only }), 1, 20)
      expect(
        cases.every((c) => caseTokens(c).includes(only)),
        only
      ).toBe(true)
    }
  })
})
