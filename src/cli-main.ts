import { runCli } from './cli/main.js'

// The nsys-bench command line, bundled as dist/cli-main.cjs and run by cli.ts (cli/code-cache.ts).
// All output goes through the Io passed to runCli; the exit status is left in process.exitCode.
// `progress`: called now and then during long synchronous work (cli/young-generation.ts).
export async function main(args: readonly string[], progress?: () => void): Promise<void> {
  // A reader that stops early (`nsys-bench compare … | head`) closes the pipe: the rest of the
  // output is dropped quietly, and the exit status is still the verdict's.
  let closed = false
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    closed = true
  })
  process.exitCode = await runCli(args, {
    stdout: (text) => {
      if (!closed) process.stdout.write(text)
    },
    stderr: (text) => process.stderr.write(text),
    ...(progress ? { progress } : {})
  })
}
