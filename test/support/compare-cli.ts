import { expect } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { rederiveVerdict } from '../../src/compare/record.js'

/**
 * `nsys-bench compare --format json` in process, each input its own --base or --head, with more
 * `options` where given: it must
 * succeed quietly (exit 0 with --no-fail, nothing on stderr), and the record it writes must
 * re-derive its own verdict as `nsys-bench verdict` reads it back (from the numbers, p values,
 * launch counts and limits it carries). The property tests of test/compare use it.
 */
export async function compareRecord<T>(
  base: string | string[],
  head: string | string[],
  options: readonly string[] = []
): Promise<T> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(
    [
      'compare',
      ...[base].flat().flatMap((b) => ['--base', b]),
      ...[head].flat().flatMap((h) => ['--head', h]),
      '--format',
      'json',
      '--no-fail',
      ...options
    ],
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }
  )
  expect(stderr).toBe('')
  expect(code).toBe(0)
  const record = JSON.parse(stdout) as { verdict: string; reasons: unknown; counts: unknown }
  const again = rederiveVerdict(record, 'record.json').gate
  expect({ verdict: again.verdict, reasons: again.reasons, counts: again.counts }).toEqual({
    verdict: record.verdict,
    reasons: record.reasons,
    counts: record.counts
  })
  return record as T
}
