import { forEachLine } from '../lines.js'
import { NsysStatsParser, type StatsParseResult, type StatsParserOptions } from './stats-text.js'

export { assembleProfile, splitCaptures, type CaptureChoice } from './assemble.js'
export { allReportNames, lookupReport, findReportName } from './reports.js'
export type {
  Capture,
  ParseNote,
  ReportOccurrence,
  StatsParseResult,
  StatsParserOptions
} from './stats-text.js'

/** Parses `nsys stats` output from a stream of bytes or text (see NsysStatsParser). */
export async function parseNsysStats(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: StatsParserOptions & { lines?: readonly LineRange[] }
): Promise<StatsParseResult> {
  const parser = new NsysStatsParser(options)
  const ranges = options.lines
  await forEachLine(
    chunks,
    {
      // Rows of report files are read from their bytes; with `--lines`, every line is text.
      ...(ranges
        ? {}
        : { bytes: (bytes, start, end, lineNo) => parser.pushBytes(bytes, start, end, lineNo) }),
      text: (line, lineNo, terminated) => {
        // Only the lines asked for (`--lines`): what lies between ranges is as if it were not there.
        if (!ranges || ranges.some(([from, to]) => lineNo >= from && lineNo <= to))
          parser.push(line, lineNo, terminated)
      }
    },
    { source: options.source }
  )
  return parser.finish()
}

/** Lines `from` to `to`, both included, 1-based. */
export type LineRange = readonly [number, number]

/**
 * Report output file names: `<base>_<report>[_<variant>].<ext>` (nsys stats --output), and a CSV
 * or TSV of them gzip-compressed (`.csv.gz`, as the action keeps GPU traces).
 */
export function reportFileName(
  fileName: string,
  knownNames: readonly string[]
): { base: string; report: string; variant?: string; ext: string; compressed?: true } | undefined {
  // `.csv.gz`: the action keeps GPU trace CSVs gzip-compressed in its report artifact.
  const match = /^(.*)\.(csv|tsv|json)(\.gz)?$/.exec(fileName)
  if (!match || (match[3] && match[2] === 'json')) return undefined
  const [, stem = '', ext = '', gz] = match
  const compressed = gz ? { compressed: true as const } : {}
  for (const variant of ['base', 'mangled', 'nvtx-name', undefined] as const) {
    const suffixStem = variant ? stem.slice(0, -(variant.length + 1)) : stem
    if (variant && !stem.endsWith(`_${variant}`)) continue
    for (const report of knownNames) {
      if (suffixStem.endsWith(`_${report}`)) {
        const base = suffixStem.slice(0, -(report.length + 1))
        return variant
          ? { base, report, variant, ext, ...compressed }
          : { base, report, ext, ...compressed }
      }
    }
  }
  return undefined
}
