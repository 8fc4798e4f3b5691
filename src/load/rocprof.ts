import { basename } from 'node:path'
import { InputError } from '../errors.js'
import type { CaptureChoice } from '../parse/nsys/index.js'
import { forEachLine } from '../parse/lines.js'
import { RocprofParser, type RocprofCapture, type RocprofResult } from '../parse/rocprof/parser.js'
import { emptyMeta, type Profile } from '../profile/model.js'
import { clip, visible } from '../text.js'
import { TOOL } from '../version.js'
import { readChunks, regularFile } from './files.js'

/**
 * rocprof v1 stats, rocprofv3 stats and rocprofv3 kernel traces (CSV files, or text showing
 * them): one run per capture, chosen as for nsys stats text (`--capture N`, `--captures runs`).
 * See docs/rocprof.md.
 */
export async function loadRocprof(
  path: string,
  choice: CaptureChoice = {},
  /** The version the user named (`--input-format`): output of the other is refused. */
  expect?: 'rocprof' | 'rocprofv3'
): Promise<Profile[]> {
  await regularFile(path)
  const parser = new RocprofParser(path, basename(path))
  await forEachLine(
    readChunks(path),
    { text: (line, lineNo) => parser.push(line, lineNo) },
    { source: path }
  )
  const result = parser.finish()
  const other = result.captures.find((c) => expect !== undefined && c.profiler !== expect)
  if (other)
    throw new InputError(
      `holds ${other.profiler} output (lines ${other.first}–${other.last}), not ${expect}: name the format it is (--input-format ${other.profiler}), or let nsys-bench detect it`,
      { file: path }
    )
  return chooseCaptures(result, choice).map((capture) => rocprofProfile(result, capture))
}

function chooseCaptures(result: RocprofResult, choice: CaptureChoice): RocprofCapture[] {
  const { captures, source } = result
  if (captures.length === 0) {
    const why = result.notes.map((n) => n.message).join('; ')
    throw new InputError(
      `found no rocprof table: nsys-bench reads rocprof's results.stats.csv ` +
        '("Name","Calls","TotalDurationNs","AverageNs","Percentage"), rocprofv3\'s *_kernel_stats.csv and *_kernel_trace.csv' +
        (why ? `. What the input shows: ${why}` : ''),
      { file: source }
    )
  }
  if (choice.lines)
    throw new InputError('--lines chooses lines of nsys stats text, not of rocprof output', {
      file: source
    })
  if (choice.capture !== undefined) {
    const capture = captures[choice.capture - 1]
    if (!capture)
      throw new InputError(
        `there is no capture ${choice.capture}: the input holds ${captures.length} (${describe(captures)})`,
        { file: source }
      )
    return [capture]
  }
  if (captures.length === 1 || choice.captures === 'runs') return captures
  throw new InputError(
    `holds ${captures.length} captures of rocprof output (${describe(captures)}): tables of the same kind from different runs (or processes); ` +
      'nsys-bench never mixes them. Choose one with `--capture N`, or read each as one run with `--captures runs`.',
    { file: source }
  )
}

function describe(captures: readonly RocprofCapture[]): string {
  const shown = captures
    .slice(0, 10)
    .map((c, i) => `${i + 1}: lines ${c.first}–${c.last}`)
    .join(', ')
  return captures.length > 10 ? `${shown}, …` : shown
}

function rocprofProfile(result: RocprofResult, capture: RocprofCapture): Profile {
  const meta = emptyMeta(TOOL)
  meta.profiler = { name: capture.profiler }
  const source =
    result.captures.length > 1
      ? `${result.source} (capture ${result.captures.indexOf(capture) + 1})`
      : result.source
  meta.sources.push(source)
  meta.reports = { ...capture.reports }
  for (const note of [...result.notes, ...capture.notes])
    meta.notes.push({
      code: note.code,
      severity: note.severity,
      message: `${visible(clip(source, 300))}: ${note.message}`
    })
  const profile: Profile = { meta, tables: { ...capture.tables } }
  if (capture.timeline) profile.timeline = capture.timeline
  if (capture.launches) profile.launches = capture.launches
  return profile
}
