import { runCli } from './cli/main.js'

// The nsys-bench command line. All output goes through the Io passed to runCli.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text)
})
