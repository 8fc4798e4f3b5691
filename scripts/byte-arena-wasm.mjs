// Assembles src/parse/byte-arena.wat with wabt (a devDependency) and prints the module in base64,
// as src/parse/byte-arena.ts holds it (ARENA_WASM): `node scripts/byte-arena-wasm.mjs`.
// test/parse/byte-arena.test.ts assembles it the same way and compares.
import { Buffer } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import wabt from 'wabt'

const path = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'parse', 'byte-arena.wat')
const module = (await wabt()).parseWat('byte-arena.wat', readFileSync(path, 'utf8'), { simd: true })
console.log(Buffer.from(module.toBinary({}).buffer).toString('base64'))
module.destroy()
