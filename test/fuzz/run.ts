// The entry of `npm run fuzz`, bundled to build/fuzz/run.mjs (see main.ts for the options).
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { main } from './main.js'

const bundleDir = dirname(fileURLToPath(import.meta.url))
process.exitCode = await main(process.argv.slice(2), join(bundleDir, '..', '..'), bundleDir)
