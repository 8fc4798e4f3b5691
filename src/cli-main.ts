import { EXIT, runCli } from './cli/main.js'
import { errorMessage } from './errors.js'
import { clip, visible } from './text.js'

// The nsys-bench command line, bundled as dist/cli-main.cjs and run by cli.ts (cli/code-cache.ts).
// All output goes through the Io passed to runCli; the exit status is left in process.exitCode.
// `progress`: called now and then during long synchronous work (cli/young-generation.ts).
export async function main(args: readonly string[], progress?: () => void): Promise<void> {
  const stdout = output(process.stdout)
  const stderr = output(process.stderr)
  let status = await runCli(args, {
    stdout: stdout.write,
    stderr: stderr.write,
    ...(progress ? { progress } : {})
  })
  // Every write answered before the status is decided: an error arrives after the write that
  // met it, and cli.ts ends the process as soon as this returns.
  await Promise.all([stdout.settled(), stderr.settled()])
  if (stdout.failure) {
    // Output that did not reach its place (a full disk, a device that fails): an error, whatever
    // the verdict, said on stderr if stderr still takes it.
    status = EXIT.error
    stderr.write(
      `nsys-bench: error: cannot write to standard output (${visible(clip(errorMessage(stdout.failure), 200))}), so the output is incomplete: send it where it can be written in full${args[0] === 'compare' ? ', or write the report with --output FILE' : ''}.\n`
    )
    await stderr.settled()
  }
  // Notes, warnings or an error lost the same way: nowhere left to say so but the status.
  if (stderr.failure) status = EXIT.error
  process.exitCode = status
}

interface Output {
  write: (text: string) => void
  /** Resolves once every write so far has been answered (written, or failed). */
  settled: () => Promise<void>
  /** The first error a write met, other than a reader that stopped early. */
  readonly failure: NodeJS.ErrnoException | undefined
}

/**
 * Standard output or error, whose failed writes are seen. A reader that stops early
 * (`nsys-bench compare … 2>&1 | head`) closes the pipe (EPIPE): the rest of the output is dropped
 * quietly, and the exit status is still the verdict's. Any other error (ENOSPC of `> /dev/full`,
 * EIO) is kept for `main` to report, and later writes are dropped.
 */
function output(stream: NodeJS.WriteStream): Output {
  let failure: NodeJS.ErrnoException | undefined
  let closed = false
  let pending = 0
  let waiting: (() => void)[] = []
  const failed = (error: NodeJS.ErrnoException): void => {
    if (closed || failure) return
    if (error.code === 'EPIPE') closed = true
    else failure = error
  }
  // Without a listener, the stream's error would end the process (status 1: "regression").
  stream.on('error', failed)
  const answered = (error?: Error | null): void => {
    if (error) failed(error)
    pending -= 1
    if (pending > 0) return
    const resolve = waiting
    waiting = []
    for (const done of resolve) done()
  }
  return {
    write: (text) => {
      if (closed || failure) return
      pending += 1
      stream.write(text, answered)
    },
    settled: () =>
      pending === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve)),
    get failure() {
      return failure
    }
  }
}
