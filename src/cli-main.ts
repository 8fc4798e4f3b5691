import { runCli } from './cli/main.js'

// The nsys-bench command line, loaded by cli.ts. All output goes through the Io passed to runCli.

// A reader that stops early (`nsys-bench compare … | head`) closes the pipe: the rest of the
// output is dropped quietly, and the exit status is still the verdict's.
let closed = false
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
  closed = true
})

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => {
    if (!closed) process.stdout.write(text)
  },
  stderr: (text) => process.stderr.write(text)
})
