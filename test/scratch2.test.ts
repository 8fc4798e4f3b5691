import { createReadStream } from 'node:fs'
import { test } from 'vitest'
import { parseNsysStats } from '../src/parse/nsys/index.js'
test('s', async () => {
  const r = await parseNsysStats(createReadStream('test/fixtures/corpus/nsys/LittleLittleCloud_dotLLM-Optimization_prefill-profiling_nsys-2024.6.2_csv.txt'), { source: 'x', strict: 'auto' })
  console.log(r.occurrences.map(o => `${o.name} ${o.variant} line=${o.line} ${o.format} nodata=${o.noData} ${Object.entries(o.tables).map(([k,v]) => k+':'+v!.size)}`).join('\n'), r.notes)
})
