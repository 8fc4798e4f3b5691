import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage, InputError } from '../errors.js'
import { readFileWithin } from '../load/files.js'
import { loadInput } from '../load/index.js'
import { profileToJson } from '../profile/json.js'
import type { Profile } from '../profile/model.js'
import { clip, visible } from '../text.js'
import { clashName, type Clash } from './artifacts.js'

/**
 * The results artifact: what a pull request's benchmark run hands to the `mode: comment`
 * workflow. Written and read here only. It is untrusted when read (the pull request's code ran
 * in the job that wrote it): it carries the head's profiles and which baseline run they were
 * compared with, never Markdown. It carries a baseline's numbers only for `baseline: ab`, where
 * the run measured the base itself: the reader uses them only where it trusts the run (the same
 * workflow run, or a pull request from this repository, never a fork's) and otherwise takes the
 * baseline from the base branch's own artifact, saying so.
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
  /** `baseline: ab`: the base commit the run measured itself (its profiles are under base/). */
  ab?: { baseSha: string; ref: string }
  /**
   * `baseline: path`: the file or directory the run compared with (its profiles are under
   * base/). Without it a reader would judge the head against the base branch's artifact, a
   * baseline the run never used.
   */
  basePath?: string
  /** Adaptive repetitions: runs at the first look, the cap, and the level the last look tested at. */
  adaptive?: { first: number; max: number; alpha: number }
  /** The attempt of the workflow run that wrote the results ("Re-run jobs" makes attempt 2). */
  runAttempt?: number
  /**
   * Another job of the same attempt had uploaded results under this leg's artifact name (two
   * legs with one `name`): these are that other job's, uploaded aside; the leg named here
   * cannot be told from it.
   */
  clashOf?: string
}

export interface ReadResults {
  results: Results
  head: Profile[]
  /** The base the run measured itself (`ab`) or read (`basePath`) in the results; else empty. */
  base: Profile[]
}

/** The longest failure message carried (it is shown in a code block). */
const FAILURE_LENGTH = 4000
/**
 * results.json holds a few fields (the profiles lie beside it): a larger one, or a pipe or device
 * in its place, is not one nsys-bench wrote, and is refused before it is read (readFileWithin).
 */
const RESULTS_MAX_BYTES = 1024 * 1024

export const RESULTS_KIND = 'nsys-bench/results'
/** 3 added `ab` (with base/) and `adaptive`; version 2 files are read as before. */
const RESULTS_VERSION = 3
const READS = new Set([2, 3])

export async function writeResults(
  dir: string,
  results: Results,
  head: readonly Profile[],
  base: readonly Profile[] = []
): Promise<void> {
  for (const [side, profiles] of [
    ['head', head],
    ['base', base]
  ] as const) {
    if (profiles.length === 0 && side === 'base') continue
    await mkdir(join(dir, side), { recursive: true })
    for (const [i, p] of profiles.entries()) {
      await writeFile(join(dir, side, `run-${i + 1}.json`), `${JSON.stringify(profileToJson(p))}\n`)
    }
  }
  const record = {
    kind: RESULTS_KIND,
    schemaVersion: RESULTS_VERSION,
    ...results,
    ...(results.failure === undefined ? {} : { failure: clip(results.failure, FAILURE_LENGTH) })
  }
  await writeFile(join(dir, 'results.json'), `${JSON.stringify(record, null, 2)}\n`)
}

export async function readResults(dir: string): Promise<ReadResults> {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(
      (await readFileWithin(join(dir, 'results.json'), 'results.json', RESULTS_MAX_BYTES)).toString(
        'utf8'
      )
    ) as Record<string, unknown>
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
  if (typeof value.schemaVersion !== 'number' || !READS.has(value.schemaVersion))
    throw fail(
      `"schemaVersion" ${clip(String(value.schemaVersion), 20)} (this nsys-bench reads ${[...READS].join(' and ')}: use the same nsys-bench version in both workflows)`
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
  if (value.ab !== undefined) {
    const ab = value.ab as Record<string, unknown> | null
    if (
      typeof ab !== 'object' ||
      ab === null ||
      typeof ab.baseSha !== 'string' ||
      !/^[0-9a-f]{40}$/.test(ab.baseSha) ||
      typeof ab.ref !== 'string' ||
      ab.ref.length === 0
    )
      throw fail('bad "ab"')
    // Shown in code spans only; bounded here.
    results.ab = { baseSha: ab.baseSha, ref: clip(ab.ref, 200) }
  }
  if (value.basePath !== undefined) {
    if (typeof value.basePath !== 'string' || value.basePath.length === 0)
      throw fail('bad "basePath"')
    // Shown in code spans only; bounded here.
    results.basePath = clip(value.basePath, 200)
  }
  const attempt = value.runAttempt
  if (attempt !== undefined) {
    if (typeof attempt !== 'number' || !Number.isSafeInteger(attempt) || attempt < 1)
      throw fail('bad "runAttempt"')
    results.runAttempt = attempt
  }
  if (value.clashOf !== undefined) {
    if (typeof value.clashOf !== 'string' || value.clashOf.length > 100) throw fail('bad "clashOf"')
    results.clashOf = value.clashOf
  }
  if (value.adaptive !== undefined) {
    const a = value.adaptive as Record<string, unknown> | null
    const count = (x: unknown): x is number =>
      typeof x === 'number' && Number.isSafeInteger(x) && x >= 1 && x <= 100
    if (
      typeof a !== 'object' ||
      a === null ||
      !count(a.first) ||
      !count(a.max) ||
      a.max < a.first ||
      typeof a.alpha !== 'number' ||
      !(a.alpha > 0 && a.alpha < 1)
    )
      throw fail('bad "adaptive"')
    results.adaptive = { first: a.first, max: a.max, alpha: a.alpha }
  }
  if (value.failure !== undefined) {
    if (typeof value.failure !== 'string') throw fail('bad "failure"')
    results.failure = clip(value.failure, FAILURE_LENGTH)
    return { results, head: [], base: [] }
  }
  const profilesIn = async (side: string): Promise<Profile[]> => {
    const names = await readdir(join(dir, side)).catch(() => [] as string[])
    if (!names.some((n) => n.endsWith('.json')))
      throw new InputError(`the results artifact holds no ${side} profile`)
    return loadInput(join(dir, side))
  }
  return {
    results,
    head: await profilesIn('head'),
    base: results.ab || results.basePath !== undefined ? await profilesIn('base') : []
  }
}

/**
 * The clash policy of a results artifact (artifacts.ts, `Clash`): the artifact already in the
 * run is an earlier attempt's when its results say so (or say no attempt: an older writer, or
 * unreadable — as before, the re-run's are kept); else these results are another leg's of the
 * same name, uploaded aside as `<artifact>-clash-<random>` with `clashOf`.
 */
export function resultsClash(
  download: (id: number, path: string) => Promise<unknown>,
  temp: string,
  artifact: string,
  dir: string,
  attempt: number
): Clash {
  return {
    async whose({ id }) {
      try {
        const into = await mkdtemp(join(temp, 'nsys-bench-clash-'))
        await download(id, into)
        const other = JSON.parse(
          (
            await readFileWithin(join(into, 'results.json'), 'results.json', RESULTS_MAX_BYTES)
          ).toString('utf8')
        ) as {
          runAttempt?: unknown
        }
        return typeof other.runAttempt !== 'number' || other.runAttempt < attempt
          ? 'earlier'
          : 'this'
      } catch {
        return 'earlier'
      }
    },
    async aside() {
      const path = join(dir, 'results.json')
      const own = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
      await writeFile(
        path,
        `${JSON.stringify({ ...own, clashOf: typeof own.name === 'string' ? own.name : '' }, null, 2)}\n`
      )
      return clashName(artifact)
    },
    where: (uploaded) =>
      uploaded === undefined
        ? "This job's results were not uploaded."
        : `This job's artifact is uploaded as ${visible(uploaded)}, where mode: aggregate reports the clash.`
  }
}
