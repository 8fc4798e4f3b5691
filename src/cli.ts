import module from 'node:module'
import { largeInputs } from './cli/large-inputs.js'
import { capYoungGeneration } from './cli/young-generation.js'

// The nsys-bench command. A command of large inputs first holds V8's young generation at a size
// that keeps its memory down at no cost in time (cli/young-generation.ts). Then it turns on Node's
// compile cache and loads the command line (cli-main.ts, bundled apart as dist/cli-main.js): the
// cache must be on before the module it serves is compiled. With it, Node 22.1 and later keep the
// compiled bundle between runs (in NODE_COMPILE_CACHE, or a folder of the system's temporary
// directory; NODE_DISABLE_COMPILE_CACHE turns it off): each start is about 10 ms shorter on Node
// 24 (docs/performance.md, "Start-up"). Node 20 has no compile cache: there this file only costs
// its own load (1-2 ms).
if (largeInputs(process.argv.slice(2))) capYoungGeneration(process)
const enableCompileCache = (module as { enableCompileCache?: () => unknown }).enableCompileCache
enableCompileCache?.()

await import('./cli-main.js')
