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
// Done: the process ends here, rather than after Node takes its heap down (about 5 ms of a small
// compare under Node 24; docs/performance.md, "Start-up"). Only once standard output and error
// hold nothing unwritten (a pipe is written asynchronously on some systems): otherwise Node ends
// as usual, after writing them. Node writes its compile cache either way.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit()
