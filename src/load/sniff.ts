import { InputError } from '../errors.js'
import { quoted } from '../text.js'
import { readHead, type Kind } from './files.js'

/** What to give instead of rocprofv3 output in a format that is not read. */
export const ROCPROFV3_CSV =
  'profile with `rocprofv3 --kernel-trace --stats --output-format csv` and give its output directory, *_kernel_trace.csv or *_kernel_stats.csv'

/**
 * The input formats, each read by one source in src/load/. `--input-format` (CLI) names one to
 * skip detection; otherwise a file's format is told by its first bytes (sniffFormat).
 */
export const INPUT_FORMATS = ['nsys', 'chrome', 'rocprof', 'rocprofv3', 'profile-json'] as const
export type InputFormat = (typeof INPUT_FORMATS)[number]

export function isInputFormat(value: string): value is InputFormat {
  return (INPUT_FORMATS as readonly string[]).includes(value)
}

/** How much of a file sniffing looks at: a Chrome trace's metadata comes before its events. */
const SNIFF_BYTES = 64 * 1024

const PROFILE_JSON = /"kind"\s*:\s*"nsys-bench\/profile"/
const CHROME_KEYS = /"(?:traceEvents|deviceProperties|distributedInfo|displayTimeUnit|ph)"\s*:/
const ROCPROF_STATS = /^\s*"Name","Calls","TotalDurationNs","AverageNs","Percentage"(,"MinNs")?/m
/** rocprofv3's kernel trace: a header line naming both columns, in any order (bounded looks). */
const ROCPROF_TRACE = /^(?=.{0,800}"Kernel_Name")(?=.{0,800}"Start_Timestamp")/m
/** rocprof v1's per-dispatch results.csv (refused by the rocprof parser, saying what to give). */
const ROCPROF_DISPATCHES = /^\s*"?Index"?,"?KernelName"?,/m
/** rocprofv3's `--output-format json` (rocprofiler-sdk's tool output). */
const ROCPROFV3_JSON = /^\s*\{\s*"rocprofiler-sdk-tool"\s*:/
/** Trace formats rocprofv3 writes that are not read, by their file name. */
const ROCPROFV3_BINARY = /\.(pftrace|otf2)$/i

/**
 * The format of a file that `inspect` recognised as gzip, JSON or text: gzip is a compressed
 * Chrome trace (nothing else we read is compressed); a JSON object is a profile JSON when it says
 * so and a Chrome trace when it has a trace's keys; text starting with `[` is a Chrome trace's
 * bare-array form; text with a rocprof header is rocprof output; the rest is nsys stats text.
 */
export function sniffFormat(
  path: string,
  kind: Exclude<Kind, 'directory' | 'report'>
): InputFormat {
  if (kind === 'gzip') return 'chrome'
  const binary = ROCPROFV3_BINARY.exec(path)
  if (binary)
    throw new InputError(
      `${quoted(path)} is a${binary[1]!.toLowerCase() === 'otf2' ? 'n OTF2' : ' Perfetto'} trace (rocprofv3 --output-format ${binary[1]!.toLowerCase()}), which nsys-bench does not read: ${ROCPROFV3_CSV}`
    )
  const head = readHead(path, SNIFF_BYTES)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
  if (kind === 'json') {
    if (PROFILE_JSON.test(head)) return 'profile-json'
    if (ROCPROFV3_JSON.test(head))
      throw new InputError(
        `${quoted(path)} is rocprofv3's JSON output (--output-format json), which nsys-bench does not read: ${ROCPROFV3_CSV}`
      )
    return CHROME_KEYS.test(head) ? 'chrome' : 'profile-json'
  }
  if (head.trimStart().startsWith('[')) return 'chrome'
  const stats = ROCPROF_STATS.exec(head)
  if (stats) return stats[1] ? 'rocprofv3' : 'rocprof'
  if (ROCPROF_TRACE.test(head)) return 'rocprofv3'
  if (ROCPROF_DISPATCHES.test(head)) return 'rocprof'
  return 'nsys'
}
