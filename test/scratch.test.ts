import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'vitest'
import { loadInput } from '../src/inputs/load.js'
import { profileToJson } from '../src/profile/json.js'

const dir = '/work/main/test/fixtures/corpus/nsys'
test('scratch', async () => {
  for (const f of readdirSync(dir)) {
    try {
      const [p] = await loadInput(join(dir, f))
      const j = profileToJson(p!) as any
      const summary = Object.entries(j.tables).map(([k, v]: any) => `${k}:${Object.keys(v.rows).length}`).join(' ')
      console.log(`OK ${f}\n   ${summary} v=${p!.meta.profiler.version} naming=${p!.meta.kernelNaming} reports=${JSON.stringify(p!.meta.reports)}\n   notes: ${p!.meta.notes.join('\n          ')}`)
    } catch (e) {
      console.log(`ERR ${f}: ${(e as Error).message}`)
    }
  }
})
