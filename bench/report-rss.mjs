// Preloaded into the measured process: reports its peak resident set size when it exits.
import { writeSync } from 'node:fs'

process.on('exit', () => {
  writeSync(2, `\n@@maxrss ${process.resourceUsage().maxRSS}\n`)
})
