import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage, InputError } from '../errors.js'
import { loadInput } from '../load/index.js'
import { profileToJson } from '../profile/json.js'
import type { Profile } from '../profile/model.js'
import { clip, visible } from '../text.js'

/**
 * The results artifact: what a pull request's benchmark run hands to the `mode: comment`
 * workflow. Written and read here only. It is untrusted when read (the pull request's code ran
 * in the job that wrote it): it carries the head's profiles and which baseline run they were
 * compared with, never Markdown and never the baseline's numbers — the comment workflow takes
 * the baseline from the base branch's own artifact.
 */
export interface Results {
  pullRequest: number
  headSha: string
  commentId: string
  name: string
  /** The push run whose baseline artifact the run compared with, if any. */
  baselineRunId?: number
  /**
   * The run failed before a verdict (then there are no head profiles): the comment workflow
   * updates the sticky comment to say so, as the run mode does, instead of leaving an older
   * commit's verdict in place.
   */
  failure?: string
}

/** The longest failure message carried (it is shown in a code block). */
const FAILURE_LENGTH = 4000

export const RESULTS_KIND = 'nsys-bench/results'
const RESULTS_VERSION = 2

export async function writeResults(
  dir: string,
  results: Results,
  head: readonly Profile[]
): Promise<void> {
  await mkdir(join(dir, 'head'), { recursive: true })
  for (const [i, p] of head.entries()) {
    await writeFile(join(dir, 'head', `run-${i + 1}.json`), `${JSON.stringify(profileToJson(p))}\n`)
  }
  const record = {
    kind: RESULTS_KIND,
    schemaVersion: RESULTS_VERSION,
    ...results,
    ...(results.failure === undefined ? {} : { failure: clip(results.failure, FAILURE_LENGTH) })
  }
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(record, null, 2)}\n`)
}

export async function readResults(dir: string): Promise<{ results: Results; head: Profile[] }> {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as Record<string, unknown>
  } catch (error) {
    throw new InputError(
      `the results artifact has no readable results.json: ${visible(clip(errorMessage(error), 200))}`
    )
  }
  const fail = (what: string): InputError =>
    new InputError(
      `results.json in the results artifact is not an nsys-bench results file: ${what}`
    )
  if (typeof value !== 'object' || value === null || value.kind !== RESULTS_KIND)
    throw fail('wrong "kind"')
  if (value.schemaVersion !== RESULTS_VERSION)
    throw fail(
      `"schemaVersion" ${clip(String(value.schemaVersion), 20)} (this nsys-bench reads ${RESULTS_VERSION}: use the same nsys-bench version in both workflows)`
    )
  const pr = value.pullRequest
  if (typeof pr !== 'number' || !Number.isSafeInteger(pr) || pr < 1) throw fail('bad "pullRequest"')
  const headSha = value.headSha
  if (typeof headSha !== 'string' || !/^[0-9a-f]{40}$/.test(headSha)) throw fail('bad "headSha"')
  const results: Results = {
    pullRequest: pr,
    headSha,
    commentId:
      typeof value.commentId === 'string' && /^[\w.-]{1,100}$/.test(value.commentId)
        ? value.commentId
        : 'default',
    name: typeof value.name === 'string' && /^[\w.-]{0,100}$/.test(value.name) ? value.name : ''
  }
  const run = value.baselineRunId
  if (run !== undefined) {
    if (typeof run !== 'number' || !Number.isSafeInteger(run) || run < 1)
      throw fail('bad "baselineRunId"')
    results.baselineRunId = run
  }
  if (value.failure !== undefined) {
    if (typeof value.failure !== 'string') throw fail('bad "failure"')
    results.failure = clip(value.failure, FAILURE_LENGTH)
    return { results, head: [] }
  }
  const names = await readdir(join(dir, 'head')).catch(() => [] as string[])
  if (!names.some((n) => n.endsWith('.json')))
    throw new InputError('the results artifact holds no head profile')
  return { results, head: await loadInput(join(dir, 'head')) }
}
