/**
 * `mode: aggregate` end to end: the bundled action as each job of a matrix workflow runs it — the
 * legs in `mode: run` (with `comment: never`), then the aggregating job of the same run, or a
 * trusted `workflow_run` workflow for fork pull requests — against the fake GitHub (REST, the
 * Actions artifact service, the blob store).
 *
 * No nsys is needed: the legs read profile JSONs written here by hand (docs/profile-format.md),
 * and the large matrix's results artifacts are written directly, as a leg would have left them.
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { FAKE_TOKENS, type FakeGitHub } from './fakes/github.js'
import { useFakeGitHub } from './support/fake-lifecycle.js'
import { runAction, type ActionResult, type RunActionOptions } from './harness/run-action.js'
import { annotations, expectExit, H100, kernelProfileJson, prEvent } from './support/bench.js'
import { checkTables, renderHtml } from '../fuzz/check-markdown.js'
import { workflowRunEvent as sharedWorkflowRunEvent } from '../support/workflow-run-event.js'

let fake: FakeGitHub
let work: string

useFakeGitHub('aggregate', (f, w) => {
  fake = f
  work = w
})

const FORK = 'forker/llm-serve'
const GEMM = 'ampere_bf16_s16816gemm_bf16_128x256_ldg8_f2f_stages_64x3_tn'
const FLASH =
  'void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 64, 64, 4>>(Flash_fwd_params)'
const NORM = 'void vllm::rms_norm_kernel<c10::BFloat16>(c10::BFloat16*, const c10::BFloat16*, int)'
/** The base of every leg: 6.50 ms of kernels in all. */
const BASE = { [GEMM]: 4_000_000, [FLASH]: 2_000_000, [NORM]: 500_000 }
/** flash 2.00 → 3.00 ms: +50.0%, +1.00 ms; the total 6.50 → 7.50 ms, +15.4%. */
const SLOWER = { ...BASE, [FLASH]: 3_000_000 }

/** A profile JSON of one run, each kernel launched once. */
function profileJson(kernels: Record<string, number>, gpu = H100): string {
  return kernelProfileJson(kernels, { gpu: { name: gpu, driver: '535.104.05', cuda: '12.2' } })
}

async function file(name: string, content: string): Promise<string> {
  const p = path.join(work, name)
  await writeFile(p, content)
  return p
}

/** A completed push run on main holding each leg's baseline artifact. */
function seedBaselines(legs: Record<string, string>): { id: number; runNumber: number } {
  const run = fake.seedRun({ event: 'push', headBranch: fake.defaultBranch })
  for (const [leg, json] of Object.entries(legs))
    fake.seedArtifact(run.id, `nsys-bench-baseline-${leg}`, { 'run-1.json': json })
  return { id: run.id, runNumber: run.runNumber }
}

/** A results artifact as a leg leaves it (src/action/results.ts, schema version 2). */
function seedResults(
  runId: number,
  artifactName: string,
  record: { pullRequest: number; headSha: string; baselineRunId?: number; failure?: string },
  head?: string
): void {
  fake.seedArtifact(runId, artifactName, {
    'results.json': JSON.stringify({
      kind: 'nsys-bench/results',
      schemaVersion: 2,
      commentId: 'default',
      name: '',
      ...record
    }),
    ...(head === undefined ? {} : { 'head/run-1.json': head })
  })
}

function leg(opts: Omit<RunActionOptions, 'fake'>): Promise<ActionResult> {
  return runAction({ fake, timeoutMs: 60_000, completeRun: false, ...opts })
}

function aggregate(
  opts: Omit<RunActionOptions, 'fake' | 'inputs'> & { inputs?: Record<string, string> }
): Promise<ActionResult> {
  return runAction({
    fake,
    timeoutMs: 60_000,
    job: 'aggregate',
    ...opts,
    inputs: { mode: 'aggregate', ...opts.inputs }
  })
}

/** The rows of the first table of a Markdown text. */
function tableRows(markdown: string): string[] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((l) => l.startsWith('| Leg |'))
  const rows: string[] = []
  for (let i = start + 2; i < lines.length && lines[i]?.startsWith('|'); i++)
    rows.push(lines[i] as string)
  return rows
}

/**
 * The rendered HTML of a report holds no element from a leg: only the report's own elements, and
 * links only to the repository's runs and commits; no @mention; every <details> closed; every
 * table row has its header's cells.
 */
function expectSafe(markdown: string): void {
  const html = renderHtml(markdown)
  const elements = new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]))
  for (const tag of elements)
    expect([
      'h3',
      'h4',
      'p',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'code',
      'strong',
      'em',
      'sub',
      'details',
      'summary',
      'pre',
      'blockquote',
      'ul',
      'li',
      'a'
    ]).toContain(tag)
  for (const m of html.matchAll(/<a href="([^"]*)"/g))
    expect(m[1]).toMatch(/^https:\/\/github\.com\/octo-org\/llm-serve\/(actions\/runs|commit)\//)
  const text = html.replace(/<code>[\s\S]*?<\/code>/g, '').replace(/<[^>]*>/g, ' ')
  expect(text).not.toMatch(/@[A-Za-z]/)
  expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length)
  expect(checkTables(markdown)).toEqual([])
}

describe('mode: aggregate in the same workflow run', () => {
  test('three legs (regressed, passed, failed) and a fourth that left nothing: one comment, updated in place on a re-run', async () => {
    const base = profileJson(BASE)
    seedBaselines({ h100: base, a100: base, mi300: base })
    const [slower, same] = await Promise.all([
      file('slower.json', profileJson(SLOWER)),
      file('same.json', profileJson(BASE))
    ])
    const pr = prEvent(fake)
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'in_progress',
      headSha: pr.headSha
    }).id
    const legInputs = (name: string, profile: string): Record<string, string> => ({
      name,
      'profile-path': profile,
      comment: 'never'
    })
    const h100 = await leg({
      runId: prRun,
      job: 'bench (h100)',
      event: pr,
      inputs: legInputs('h100', slower)
    })
    const a100 = await leg({
      runId: prRun,
      job: 'bench (a100)',
      event: pr,
      inputs: legInputs('a100', same)
    })
    const mi300 = await leg({
      runId: prRun,
      job: 'bench (mi300)',
      event: pr,
      inputs: legInputs('mi300', 'missing.json')
    })
    expectExit(h100, 1)
    expectExit(a100, 0)
    expectExit(mi300, 1)
    expect([h100, a100].map((r) => r.outputs['comment-status'])).toEqual([
      'skipped-by-setting',
      'skipped-by-setting'
    ])
    expect(fake.comments(pr.number)).toEqual([])

    const inputs = { 'expected-legs': 'h100\na100\nmi300\nl4' }
    const first = await aggregate({ runId: prRun, event: pr, inputs, completeRun: false })
    expectExit(first, 0)
    expect(first.outputs.verdict).toBe('regression')
    expect(first.outputs['comment-status']).toBe('created')
    expect(first.outputs.regressions).toBe('1')
    expect(JSON.parse(first.outputs.legs ?? '')).toEqual([
      expect.objectContaining({ name: 'a100', verdict: 'pass', regressions: 0 }),
      expect.objectContaining({ name: 'h100', verdict: 'regression', regressions: 1 }),
      expect.objectContaining({
        name: 'mi300',
        verdict: 'error',
        reasons: [expect.objectContaining({ code: 'leg-failed' })]
      }),
      expect.objectContaining({
        name: 'l4',
        verdict: 'missing',
        reasons: [expect.objectContaining({ code: 'leg-missing' })]
      })
    ])
    const reasons = JSON.parse(first.outputs.reasons ?? '') as { code: string }[]
    expect(reasons.map((r) => r.code)).toEqual(['leg-regressed', 'leg-error', 'leg-missing'])
    // The legs' problems are annotated where people look; the step itself does not fail.
    expect(annotations(first, 'warning')).toEqual([
      expect.stringMatching(/^leg "l4": missing: The leg left no results/),
      expect.stringMatching(/^GPU performance regression in the matrix: Leg "h100": regression — /)
    ])

    const comments = fake.comments(pr.number)
    expect(comments).toHaveLength(1)
    const body = comments[0]?.body ?? ''
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(
      body.startsWith(
        '<!-- nsys-bench:default -->\n### ❌ nsys-bench: GPU performance regression in 1 of 4 legs\n\n**Legs:** 1 ❌ regression · 1 ❗ error · 1 ❗ no results · 1 ✅ pass\n'
      )
    ).toBe(true)
    expect(tableRows(body)).toEqual([
      '| `h100` | ❌ regression: 1 gated item regressed (GPU kernels: 1), and the total of GPU kernels regressed. | 6.50 ms → 7.50 ms (+15.4%) | 1 | 0 | 0 | 0 | `void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 64, 64, 4>>(Flash_fwd_params)` +50.0% (+1.00 ms) |',
      '| `l4` | ❗ no results: the leg left no results (see its details) | — | — | — | — | — | — |',
      expect.stringMatching(
        /^\| `mi300` \| ❗ error: failed before a verdict: .*missing\.json.* \| — \| — \| — \| — \| — \| — \|$/
      ),
      '| `a100` | ✅ pass | 6.50 ms → 6.50 ms (0.0%) | 0 | 0 | 0 | 0 | — |'
    ])
    // Each leg's own report, folded.
    expect(body).toContain(
      '<details><summary>❌ regression · leg h100</summary>\n\n### ❌ nsys-bench (h100): GPU performance regression\n'
    )
    expect(body).toContain(
      '<details><summary>✅ pass · leg a100</summary>\n\n### ✅ nsys-bench (a100): no GPU performance regression\n'
    )
    expect(body).toMatch(
      /<details><summary>❗ error · leg mi300<\/summary>\n\nThe leg failed before a verdict; its message:\n\n```text\n[^`]*missing\.json[^`]*\n```\n/
    )
    expect(body).toContain(
      '<details><summary>❗ no results · leg l4</summary>\n\nThe leg left no results in this run'
    )
    expect(body).not.toContain('did not fit')
    expectSafe(body)
    // The job summary is the same report.
    expect(first.summary.trimEnd()).toBe(
      body.slice('<!-- nsys-bench:default -->\n'.length).trimEnd()
    )

    // Re-run the failed leg (it passes now), then the aggregating job: the same comment changes.
    fake.updateRun(prRun, { runAttempt: 2 })
    const again = await leg({
      runId: prRun,
      job: 'bench (mi300) 2',
      event: pr,
      inputs: legInputs('mi300', same)
    })
    expectExit(again, 0)
    const second = await aggregate({ runId: prRun, event: pr, inputs })
    expectExit(second, 0)
    expect(second.outputs['comment-status']).toBe('updated')
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url'])
    const after = fake.comments(pr.number)
    expect(after.map((c) => c.id)).toEqual([comments[0]?.id])
    expect(
      tableRows(after[0]?.body ?? '').map((r) => r.split(' | ')[0] + ' | ' + r.split(' | ')[1])
    ).toEqual([
      '| `h100` | ❌ regression: 1 gated item regressed (GPU kernels: 1), and the total of GPU kernels regressed.',
      '| `l4` | ❗ no results: the leg left no results (see its details)',
      '| `a100` | ✅ pass',
      '| `mi300` | ✅ pass'
    ])
  }, 120_000)
})

/** 20,000 kernels: 20 large ones (50 ms each) and the rest small, with long template names. */
function manyKernels(leg: string, factor: (i: number) => number): Record<string, number> {
  const out: Record<string, number> = {}
  for (let i = 0; i < 20_000; i++) {
    const base = i < 20 ? 50_000_000 : 10_000 + (i % 1000) * 10
    out[
      `void ${leg}::gemm_kernel_${i}<cutlass::bfloat16_t, ${i % 13}, ${i % 7}>(Params<${i}> const&, float*, int)`
    ] = Math.round(base * factor(i))
  }
  return out
}

describe('mode: aggregate with two legs of one name', () => {
  /** Two legs that forgot a matrix dimension in `name`: one as fast as the base, one slower. */
  async function twoLegs(runAttempt: number, order: 'fast-first' | 'slow-first') {
    seedBaselines({ h100: profileJson(BASE) })
    const [slower, same] = await Promise.all([
      file('slower.json', profileJson(SLOWER)),
      file('same.json', profileJson(BASE))
    ])
    const pr = prEvent(fake)
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'in_progress',
      headSha: pr.headSha,
      runAttempt
    }).id
    const run = (model: string, profile: string) =>
      leg({
        runId: prRun,
        job: `bench (h100, ${model})`,
        event: pr,
        inputs: { name: 'h100', 'profile-path': profile, comment: 'never' }
      })
    const first = await run(
      order === 'fast-first' ? 'm1' : 'm2',
      order === 'fast-first' ? same : slower
    )
    const second = await run(
      order === 'fast-first' ? 'm2' : 'm1',
      order === 'fast-first' ? slower : same
    )
    const agg = await aggregate({ runId: prRun, event: pr, inputs: { 'expected-legs': 'h100' } })
    return { first, second, agg, prRun }
  }
  const CLASH =
    /Another job of this workflow run \(attempt \d\) uploaded an artifact named nsys-bench-results-h100: two jobs ran with the same `name`/

  test('attempt 1: the second leg fails, its results go aside, and the aggregate is inconclusive (not a pass)', async () => {
    const { first, second, agg, prRun } = await twoLegs(1, 'fast-first')
    expectExit(first, 0)
    // The slower leg regressed and clashed: both are said, the step fails.
    expectExit(second, 1)
    expect(second.stdout).toMatch(CLASH)
    const aside = fake
      .artifacts()
      .filter((a) => a.runId === prRun)
      .map((a) => a.name)
      .filter((n) => n.startsWith('nsys-bench-results-h100-clash-'))
    expect(aside).toHaveLength(1)
    expectExit(agg, 0)
    expect(agg.outputs.verdict).toBe('inconclusive')
    const legs = JSON.parse(agg.outputs.legs ?? '') as { name: string; verdict: string }[]
    expect(legs.map((l) => [l.name, l.verdict])).toEqual([
      ['h100', 'error'],
      [aside[0]!.slice('nsys-bench-results-'.length), 'error']
    ])
    expect(agg.summary).toContain('two jobs of the run ran with this name')
  })

  test('attempt 2 ("Re-run all jobs"): the second leg does not delete the first one\'s results of the same attempt', async () => {
    const { second, agg } = await twoLegs(2, 'slow-first')
    expectExit(second, 1)
    expect(second.stdout).toMatch(CLASH)
    expect(second.stdout).not.toContain('Deleted the nsys-bench-results-h100 artifact')
    expect(agg.outputs.verdict).toBe('inconclusive')
  })

  test('attempt 2 of one leg: its results of attempt 1 are replaced, as before', async () => {
    seedBaselines({ h100: profileJson(BASE) })
    const slower = await file('slower.json', profileJson(SLOWER))
    const pr = prEvent(fake)
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'in_progress',
      headSha: pr.headSha,
      runAttempt: 2
    }).id
    // Attempt 1 left results that failed before a verdict.
    fake.seedArtifact(prRun, 'nsys-bench-results-h100', {
      'results.json': JSON.stringify({
        kind: 'nsys-bench/results',
        schemaVersion: 3,
        commentId: 'h100',
        name: 'h100',
        pullRequest: pr.number,
        headSha: pr.headSha,
        failure: 'the benchmark timed out',
        runAttempt: 1
      })
    })
    const r = await leg({
      runId: prRun,
      job: 'bench (h100)',
      event: pr,
      inputs: { name: 'h100', 'profile-path': slower, comment: 'never' }
    })
    expectExit(r, 1)
    expect(r.stdout).toContain('Deleted the nsys-bench-results-h100 artifact of an earlier attempt')
    expect(r.stdout).not.toMatch(CLASH)
    const agg = await aggregate({ runId: prRun, event: pr, inputs: { 'expected-legs': 'h100' } })
    expect(agg.outputs.verdict).toBe('regression')
  })
})

describe('mode: aggregate with baseline: ab legs', () => {
  test('a leg that measured its own base (same run) is judged against it, not against its artifact', async () => {
    const pr = prEvent(fake)
    // The artifact's base is the fast one; the leg measured a base as slow as its head.
    const push = seedBaselines({ ab: profileJson(BASE) })
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'in_progress',
      headSha: pr.headSha
    })
    const baseSha = 'b0b0b0b'.padEnd(40, '1')
    fake.seedArtifact(prRun.id, 'nsys-bench-results-ab', {
      'results.json': JSON.stringify({
        kind: 'nsys-bench/results',
        schemaVersion: 3,
        commentId: 'default',
        name: 'ab',
        pullRequest: pr.number,
        headSha: pr.headSha,
        ab: { baseSha, ref: 'main' }
      }),
      'head/run-1.json': profileJson(SLOWER),
      'base/run-1.json': profileJson(SLOWER)
    })
    const r = await aggregate({ runId: prRun.id, event: pr })
    expectExit(r, 0)
    expect(r.outputs.verdict).toBe('pass')
    const body = fake.comments(pr.number)[0]?.body ?? ''
    expect(body).toContain(
      `Baseline: A/B on the benchmark run's runner, 1 pair, interleaved: base [\`b0b0b0b\`](https://github.com/octo-org/llm-serve/commit/${baseSha}), the merge base of HEAD and \`main\`.`
    )
    // The artifact was not consulted: its run's artifacts were never listed.
    expect(
      fake.requests.filter((q) => q.path.includes(`/actions/runs/${push.id}/artifacts`))
    ).toEqual([])
  })
})

describe('mode: aggregate with baseline: path legs', () => {
  test("a leg that compared with its baseline-path is judged against that file, not the base branch's artifact", async () => {
    // The base branch's artifact is as slow as the head; the leg's baseline-path file is fast.
    seedBaselines({ h100: profileJson(SLOWER) })
    const slower = await file('slower.json', profileJson(SLOWER))
    await file('base.json', profileJson(BASE))
    const pr = prEvent(fake)
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'in_progress',
      headSha: pr.headSha
    }).id
    const r = await leg({
      runId: prRun,
      job: 'bench (h100)',
      event: pr,
      cwd: work,
      inputs: {
        name: 'h100',
        'profile-path': slower,
        'baseline-path': 'base.json',
        comment: 'never'
      }
    })
    expectExit(r, 1)
    expect(r.outputs.verdict).toBe('regression')
    const agg = await aggregate({ runId: prRun, event: pr, inputs: { 'expected-legs': 'h100' } })
    expectExit(agg, 0)
    // As the leg: 6.50 → 7.50 ms of kernels against base.json (not 7.50 → 7.50 against the artifact).
    expect(agg.outputs.verdict).toBe('regression')
    const body = fake.comments(pr.number)[0]?.body ?? ''
    expect(body).toContain(
      'Baseline: `base.json` (1 run; `baseline-path`, as the benchmark run compared).'
    )
    expect(body).toContain('6.50 ms → 7.50 ms (+15.4%)')
  })
})

describe('mode: aggregate under the size limit', () => {
  test('three legs of 20,000 kernels each: every leg keeps a row and a shortened report, and the note says so', async () => {
    const pr = prEvent(fake)
    const names = ['big-a', 'big-b', 'big-c']
    const push = seedBaselines(
      Object.fromEntries(names.map((n) => [n, profileJson(manyKernels(n, () => 1))]))
    )
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'in_progress',
      headSha: pr.headSha
    })
    for (const n of names) {
      // The 20 large kernels are 20% slower: 20 regressions a leg.
      const head = profileJson(manyKernels(n, (i) => (i < 20 ? 1.2 : 1)))
      seedResults(
        prRun.id,
        `nsys-bench-results-${n}`,
        {
          pullRequest: pr.number,
          headSha: pr.headSha,
          baselineRunId: push.id
        },
        head
      )
    }
    const r = await aggregate({ runId: prRun.id, event: pr })
    expectExit(r, 0)
    expect(r.outputs).toMatchObject({
      verdict: 'regression',
      regressions: '60',
      'comment-status': 'created'
    })
    const [comment] = fake.comments(pr.number)
    const body = comment?.body ?? ''
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body.length).toBeGreaterThan(60_000)
    const rows = tableRows(body)
    expect(rows).toHaveLength(3)
    for (const [i, n] of names.entries())
      expect(rows[i]).toMatch(
        new RegExp(
          `^\\| \`${n}\` \\| ❌ regression: 20 gated items regressed \\(GPU kernels: 20\\), and the total of GPU kernels regressed\\. \\| 1\\.300 s → 1\\.500 s \\(\\+15\\.4%\\) \\| 20 \\| 0 \\| 0 \\| 0 \\| \`void ${n}::gemm_kernel_\\d+<[^|]*\` \\+20\\.0% \\(\\+10\\.00 ms\\) \\|$`
        )
      )
    const runUrl = `https://github.com/octo-org/llm-serve/actions/runs/${prRun.id}`
    expect(body).toContain(
      `\n_To keep this report within GitHub's size limit, the details of 3 legs were shortened (\`big-a\`, \`big-b\`, \`big-c\`); the full reports are in the legs' report artifacts of [the benchmark run](${runUrl})._\n`
    )
    // Each leg keeps its own report, trimmed to a fair share, with its own note of what it lost.
    const parts = body.split('<details><summary>❌ regression · leg ').slice(1)
    expect(parts.map((p) => p.slice(0, 6))).toEqual(['big-a<', 'big-b<', 'big-c<'])
    for (const [i, part] of parts.entries()) {
      expect(part).toContain(`### ❌ nsys-bench (${names[i]}): GPU performance regression`)
      expect(part).toMatch(/_\d+ rows not shown to keep this report within GitHub's size limit/)
      expect(part.length).toBeGreaterThan(15_000)
    }
    expectSafe(body)
    // The job summary (1 MiB) holds more of each leg, and is trimmed the same way.
    expect(Buffer.byteLength(r.summary)).toBeLessThanOrEqual(1024 * 1024)
    expect(Buffer.byteLength(r.summary)).toBeGreaterThan(900_000)
    expect(r.summary).toContain('the details of 3 legs were shortened')
  }, 120_000)
})

describe('mode: aggregate with hostile leg names', () => {
  test('names from artifacts are shown escaped everywhere: table, summaries, headings, log', async () => {
    const pr = prEvent(fake)
    const HOSTILE_KERNEL =
      'evil<img src=x onerror=alert(1)> @octocat | ``` [x](https://evil.example)'
    const hostile = [
      '<img src=x onerror=alert(1)>',
      '@octocat **bold** [click](https://evil.example) www.evil.example',
      'two\nlines | pipe `tick`',
      '</summary></details><h1>x</h1>',
      'x\n::error::pwned'
    ]
    const first = hostile[0] as string
    const push = seedBaselines({ [first]: profileJson({ ...BASE, [HOSTILE_KERNEL]: 100_000 }) })
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'in_progress',
      headSha: pr.headSha
    })
    for (const [i, name] of hostile.entries())
      seedResults(
        prRun.id,
        `nsys-bench-results-${name}`,
        {
          pullRequest: pr.number,
          headSha: pr.headSha,
          ...(i === 0 ? { baselineRunId: push.id } : {})
        },
        profileJson(i === 0 ? { ...BASE, [HOSTILE_KERNEL]: 900_000 } : BASE)
      )
    const r = await aggregate({ runId: prRun.id, event: pr })
    expectExit(r, 0)
    expect(r.outputs.verdict).toBe('regression')
    expect(annotations(r, 'error')).toEqual([])
    expect(r.commands.filter((c) => c.command === 'error')).toEqual([])
    expect(
      (JSON.parse(r.outputs.legs ?? '') as { name: string }[]).map((l) => l.name).sort()
    ).toEqual([...hostile].sort())
    const body = fake.comments(pr.number)[0]?.body ?? ''
    expectSafe(body)
    expectSafe(r.summary)
    const rows = tableRows(body)
    expect(rows).toHaveLength(5)
    expect(rows[0]).toBe(
      '| `<img src=x onerror=alert(1)>` | ❌ regression: 1 gated item regressed (GPU kernels: 1), and the total of GPU kernels regressed. | 6.60 ms → 7.40 ms (+12.1%) | 1 | 0 | 0 | 0 | ````evil<img src=x onerror=alert(1)> @octocat \\| ``` [x](https://evil.example)```` +800.0% (+800.00 µs) |'
    )
    expect(rows).toContain(
      '| `` two\\u{a}lines \\| pipe `tick` `` | 🆕 no baseline yet | — → 6.50 ms | — | — | — | — | — |'
    )
    expect(body).toContain(
      '<summary>❌ regression · leg &lt;img src=x onerror=alert(1)&gt;</summary>'
    )
    expect(body).toContain(
      '<summary>🆕 no baseline yet · leg @&#8203;octocat **bold** [click](https:&#8203;//evil.example) www&#8203;.evil.example</summary>'
    )
    expect(body).toContain(
      '<summary>🆕 no baseline yet · leg &lt;/summary&gt;&lt;/details&gt;&lt;h1&gt;x&lt;/h1&gt;</summary>'
    )
    expect(body).toContain('<summary>🆕 no baseline yet · leg x\\u{a}::error::pwned</summary>')
    // The leg's own heading, in Markdown prose.
    expect(body).toContain(
      '### nsys-bench (@&#8203;octocat \\*\\*bold\\*\\* \\[click\\](https:&#8203;//evil.example) www&#8203;.evil.example): profile recorded, no baseline to compare with'
    )
    expect(r.stdout).toContain('leg "x\\u{a}::error::pwned": no-baseline')
  }, 60_000)
})

/** The `workflow_run` event of the trusted workflow, after the benchmark run `runId`. */
function workflowRunEvent(runId: number, headSha: string) {
  return sharedWorkflowRunEvent(runId, { headRepo: FORK, headSha })
}

describe('mode: aggregate for fork pull requests (workflow_run)', () => {
  test("the trusted workflow posts the legs' comment; a leg naming its own baseline is refused", async () => {
    const base = profileJson(BASE)
    const push = seedBaselines({ h100: base, a100: base })
    const [slower, same] = await Promise.all([
      file('fork-slower.json', profileJson(SLOWER)),
      file('fork-same.json', profileJson(BASE))
    ])
    const pr = prEvent(fake, { number: 12, headRepo: FORK })
    const prRun = fake.seedRun({
      event: 'pull_request',
      status: 'in_progress',
      headSha: pr.headSha,
      headRepoFullName: FORK
    }).id
    for (const [name, profile] of [
      ['h100', slower],
      ['a100', same]
    ] as const) {
      const r = await leg({
        runId: prRun,
        job: `bench (${name})`,
        token: FAKE_TOKENS.readOnly,
        event: pr,
        inputs: { name, 'profile-path': profile, comment: 'never' }
      })
      expectExit(r, name === 'h100' ? 1 : 0)
    }
    // A third "leg" of the fork's run uploads a doctored baseline and results that name it.
    fake.seedArtifact(prRun, 'nsys-bench-baseline-evil', { 'run-1.json': profileJson(SLOWER) })
    seedResults(
      prRun,
      'nsys-bench-results-evil',
      {
        pullRequest: 12,
        headSha: pr.headSha,
        baselineRunId: prRun
      },
      profileJson(SLOWER)
    )
    fake.updateRun(prRun, { status: 'completed', conclusion: 'failure' })
    fake.seedPull({ number: 12, headSha: pr.headSha, headRepoFullName: FORK })

    const r = await aggregate({
      workflowFile: 'bench-comment.yml',
      event: workflowRunEvent(prRun, pr.headSha)
    })
    expectExit(r, 0)
    expect(r.outputs).toMatchObject({ verdict: 'regression', 'comment-status': 'created' })
    const comments = fake.comments(12)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.user.login).toBe('github-actions[bot]')
    const body = comments[0]?.body ?? ''
    const runUrl = `https://github.com/octo-org/llm-serve/actions/runs/${prRun}`
    expect(body).toContain(
      `Head: \`${pr.headSha.slice(0, 7)}\` · 3 legs of [the benchmark run](${runUrl}), found by their \`nsys-bench-results\` artifacts.`
    )
    expect(tableRows(body)).toEqual([
      expect.stringMatching(/^\| `h100` \| ❌ regression: /),
      expect.stringMatching(
        new RegExp(
          `^\\| \`evil\` \\| ❗ error: results not usable: the results name baseline run ${prRun}, which is not a completed push run of octo-org/llm-serve on main; refusing it \\(a pull request cannot choose its own baseline\\) \\| — \\|`
        )
      ),
      expect.stringMatching(/^\| `a100` \| ✅ pass \| 6\.50 ms → 6\.50 ms/)
    ])
    // The baseline of each leg is the base branch's own artifact.
    expect(body).toContain(
      `Baseline: [run #${push.runNumber}](https://github.com/octo-org/llm-serve/actions/runs/${push.id}) of \`main\``
    )
    expect(body).toContain(`<sub>nsys-bench 0.1.0 · [benchmark run](${runUrl})</sub>`)
    expectSafe(body)

    // The pull request's branch has moved on (a newer push): an aggregate of this older run that
    // finishes now (a late or re-run comment workflow) judges the legs again but writes nothing.
    fake.seedPull({ number: 12, headSha: 'ba5eba11'.padEnd(40, '0'), headRepoFullName: FORK })
    let seen = fake.requests.length
    const stale = await aggregate({
      workflowFile: 'bench-comment.yml',
      event: workflowRunEvent(prRun, pr.headSha)
    })
    expectExit(stale, 0)
    expect(stale.outputs).toMatchObject({
      verdict: 'regression',
      'comment-status': 'skipped-stale',
      'comment-url': ''
    })
    expect(annotations(stale, 'error')).toEqual([])
    expect(annotations(stale, 'notice')).toEqual([
      `Pull request #12 has moved on: this run judged \`${pr.headSha.slice(0, 7)}\`, and its head is now \`ba5eba1\`. The sticky comment is left to the run of \`ba5eba1\` (a newer run's comment is never replaced by an older run's); this run's report is in the job summary.`
    ])
    expect(tableRows(stale.summary)).toEqual(tableRows(body))
    expect(
      fake.requests.slice(seen).filter((q) => q.service === 'rest' && q.method !== 'GET')
    ).toEqual([])
    expect(fake.comments(12).map((c) => c.body)).toEqual([body])

    // Results that name a pull request of another branch than the triggering run's: refused.
    fake.seedPull({
      number: 12,
      headSha: 'ba5eba11'.padEnd(40, '0'),
      headRef: 'elsewhere',
      headRepoFullName: FORK
    })
    seen = fake.requests.length
    const refused = await aggregate({
      workflowFile: 'bench-comment.yml',
      event: workflowRunEvent(prRun, pr.headSha)
    })
    expectExit(refused, 1)
    expect(annotations(refused, 'error')).toEqual([
      expect.stringMatching(
        /results name pull request #12, whose head is ba5eba1, not the triggering run's .*; refusing to comment/
      )
    ])
    expect(
      fake.requests.slice(seen).filter((q) => q.service === 'rest' && q.method !== 'GET')
    ).toEqual([])
    expect(fake.comments(12).map((c) => c.body)).toEqual([body])
  }, 120_000)
})
