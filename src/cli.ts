import { fileURLToPath } from 'node:url'
import { homedir } from 'node:os'
import { cacheDirectory, cacheSignature, loadScript } from './cli/code-cache.js'
import { largeInputs } from './cli/large-inputs.js'
import { capYoungGeneration } from './cli/young-generation.js'

// The nsys-bench command. A command of large inputs first holds V8's young generation at a size
// that keeps its memory down at no cost in time (cli/young-generation.ts). Then the command line
// (cli-main.ts, bundled apart as dist/cli-main.cjs) runs from V8's code cache of the last run of
// the same command, and leaves one for the next where it had none (cli/code-cache.ts): the usual
// compare takes 5-12 ms less (docs/performance.md, "Start-up"). A large command does not
// write one: the flag it sets makes V8 refuse the cache in the next process.
const args = process.argv.slice(2)
const large = largeInputs(args)
const progress = large ? capYoungGeneration(process) : undefined
const commandLine = loadScript<{
  main(args: readonly string[], progress?: () => void): Promise<void>
}>(
  fileURLToPath(new URL('./cli-main.cjs', import.meta.url)),
  cacheDirectory({
    env: process.env,
    version: process.version,
    arch: process.arch,
    home: homedir
  }),
  cacheSignature(args),
  process.getuid?.()
)
await commandLine.exports.main(args, progress)
if (!large) commandLine.save()
// Done: the process ends here, rather than after Node takes its heap down (about 5 ms of a small
// compare under Node 24; docs/performance.md, "Start-up"). main() returns once every write to
// standard output and error has been answered, so a write that failed (ENOSPC, a closed pipe) is
// already in the exit status. Only once they hold nothing unwritten (a pipe is written
// asynchronously on some systems): otherwise Node ends as usual, after writing them.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit()
