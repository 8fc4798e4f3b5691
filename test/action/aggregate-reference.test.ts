/**
 * `mode: aggregate` in-process (the shared harness, test/support/action-harness.ts) against a
 * reference written here from README's contract: seeded matrices of legs that left every kind of
 * results artifact (compared: pass, regression, accepted, inconclusive for another GPU;
 * no baseline; failed; unusable: another commit, another pull request, unreadable, no head
 * profile; a clash of two legs of one name), legs named in `expected-legs` that left none, legs
 * that left results but are not named there, names that differ only in case or Unicode
 * normalisation, and `expected-legs` as lines or a JSON array with blanks and whitespace.
 *
 * Checked: the `verdict` (`regression` > `inconclusive` > `accepted` > `pass` > `no-baseline`),
 * `regressions` and `improvements` summed over the legs (accepted ones not counted), `legs` (valid
 * JSON, every leg once, its name exact, its verdict), and the comment (a row per leg).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startActionHarness, type ActionHarness } from '../support/action-harness.js'
import type { FakeGitHub } from '../e2e/fakes/github.js'
import { kernelProfileJson } from '../e2e/support/bench.js'
import { renderHtml } from '../fuzz/check-markdown.js'
import { seededRandom } from '../support/random.js'
import { workflowRunEvent } from '../support/workflow-run-event.js'

const GEMM = 'gemmKernel'
const FLASH = 'flashAttnKernel'
const NORM = 'rmsNormKernel'
const BASE = { [GEMM]: 4_000_000, [FLASH]: 2_000_000, [NORM]: 500_000 }
/** flash +50 %: one gated regression (and the total). */
const SLOWER = { ...BASE, [FLASH]: 3_000_000 }
/** gemm −25 %: one improvement, no regression. */
const FASTER = { ...BASE, [GEMM]: 3_000_000 }
const H100 = { name: 'NVIDIA H100 80GB HBM3', driver: '535.104.05', cuda: '12.2' }
const A100 = { name: 'NVIDIA A100-SXM4-80GB', driver: '535.104.05', cuda: '12.2' }
const HEAD = 'abcdef12'.padEnd(40, '0')
const OTHER = 'fedcba98'.padEnd(40, '0')
const PR = 7

let harness: ActionHarness
let fake: FakeGitHub

beforeAll(async () => {
  harness = await startActionHarness('nsys-bench-aggregate-ref-')
  fake = harness.fake
})
afterAll(async () => {
  await harness.close()
})
beforeEach(() => {
  fake.reset()
})

type Kind =
  | 'pass'
  | 'regression'
  | 'improved'
  | 'gpu'
  | 'no-baseline'
  | 'failed'
  | 'other-commit'
  | 'other-pr'
  | 'unreadable'
  | 'no-head'
  | 'missing'
const KINDS: Kind[] = [
  'pass',
  'regression',
  'improved',
  'gpu',
  'no-baseline',
  'failed',
  'other-commit',
  'other-pr',
  'unreadable',
  'no-head',
  'missing'
]

type RefVerdict =
  'pass' | 'regression' | 'inconclusive' | 'accepted' | 'no-baseline' | 'error' | 'missing'

/** What README says of a leg: its verdict, its regressions not accepted, its improvements. */
function reference(
  kind: Kind,
  accepted: boolean
): { verdict: RefVerdict; regressions: number; improvements: number } {
  switch (kind) {
    case 'pass':
      return { verdict: 'pass', regressions: 0, improvements: 0 }
    case 'regression':
      return accepted
        ? { verdict: 'accepted', regressions: 0, improvements: 0 }
        : { verdict: 'regression', regressions: 1, improvements: 0 }
    case 'improved':
      return { verdict: 'pass', regressions: 0, improvements: 1 }
    case 'gpu':
      return { verdict: 'inconclusive', regressions: 0, improvements: 0 }
    case 'no-baseline':
      return { verdict: 'no-baseline', regressions: 0, improvements: 0 }
    case 'missing':
      return { verdict: 'missing', regressions: 0, improvements: 0 }
    default:
      return { verdict: 'error', regressions: 0, improvements: 0 }
  }
}

function whole(verdicts: readonly RefVerdict[]): RefVerdict {
  if (verdicts.length === 0) return 'inconclusive'
  if (verdicts.includes('regression')) return 'regression'
  if (verdicts.some((v) => v === 'inconclusive' || v === 'error' || v === 'missing'))
    return 'inconclusive'
  if (verdicts.includes('accepted')) return 'accepted'
  if (verdicts.includes('pass')) return 'pass'
  return 'no-baseline'
}

/** Names an `expected-legs` input can hold (artifact names), in every spelling that trips. */
const NAMES = [
  'h100',
  'H100',
  'a100-llama-3.1-8b',
  'a100 bf16',
  '\u00e9t\u00e9',
  'e\u0301te\u0301',
  'mi300x_#1',
  '@octocat **b** [x](https://evil.example)',
  '~~s~~ `t` _u_ & &amp; <b>',
  'ziffer-\u0661\u0662',
  'x##[error]y'
]

const profileJson = (kernels: Record<string, number>, gpu = H100): string =>
  kernelProfileJson(kernels, { gpu })

function seedLeg(prRun: number, push: number, name: string, kind: Kind): void {
  if (kind === 'missing') return
  const baseline = kind === 'gpu' ? profileJson(BASE, A100) : profileJson(BASE)
  if (kind !== 'no-baseline')
    fake.seedArtifact(push, `nsys-bench-baseline-${name}`, { 'run-1.json': baseline })
  const head = profileJson(kind === 'regression' ? SLOWER : kind === 'improved' ? FASTER : BASE)
  const record = {
    kind: 'nsys-bench/results',
    schemaVersion: 3,
    commentId: 'default',
    name,
    pullRequest: kind === 'other-pr' ? PR + 1 : PR,
    headSha: kind === 'other-commit' ? OTHER : HEAD,
    runAttempt: 1,
    ...(kind === 'failed' ? { failure: 'the benchmark exited with 1' } : {})
  }
  fake.seedArtifact(prRun, `nsys-bench-results-${name}`, {
    'results.json': kind === 'unreadable' ? '{"kind": "nsys-bench/res' : JSON.stringify(record),
    ...(kind === 'failed' || kind === 'no-head' ? {} : { 'head/run-1.json': head })
  })
}

function prEvent(labels: string[]): { name: string; payload: object } {
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number: PR,
      pull_request: {
        number: PR,
        labels: labels.map((name) => ({ name })),
        merge_commit_sha: 'e'.repeat(40),
        head: { ref: 'feature', sha: HEAD, repo: { full_name: fake.fullName, fork: false } },
        base: { ref: fake.defaultBranch, sha: 'b'.repeat(40) }
      }
    }
  }
}

/** `expected-legs` as lines or a JSON array, with blank lines, blank entries and whitespace. */
function expectedInput(names: readonly string[], random: () => number): string {
  if (names.length === 0) return ''
  if (random() < 0.5) {
    const items: string[] = []
    for (const n of names) {
      if (random() < 0.3) items.push('  ')
      items.push(random() < 0.5 ? ` ${n}\t` : n)
    }
    return JSON.stringify(items)
  }
  return names.map((n) => (random() < 0.5 ? `  ${n}  ` : n)).join(random() < 0.5 ? '\n\n' : '\n')
}

interface OutputLeg {
  name: string
  verdict: string
  regressions: number
  improvements: number
  reasons: { code: string; severity: string; message: string }[]
}

const decode = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
const unshow = (text: string): string =>
  text.replace(/\\u\{([0-9a-f]+)\}/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))

/** The legs' names as the comment's table shows them, read back. */
function rowNames(markdown: string): string[] {
  const table = /<table>[\s\S]*?<\/table>/.exec(renderHtml(markdown))?.[0] ?? ''
  return [...table.matchAll(/<tr>\s*<td[^>]*><code>([\s\S]*?)<\/code><\/td>/g)].map((m) =>
    unshow(decode(m[1] ?? ''))
  )
}

describe('mode: aggregate on generated matrices, against the reference', () => {
  const random = seededRandom(4_242)
  const cases = Array.from({ length: 14 }, (_, c) => {
    const names = NAMES.filter(() => random() < 0.45)
    // A name an input cannot hold (artifact names can) only left results, unexpected.
    const expectable = (n: string): boolean => !/["':<>|*?\r\n\\/]/.test(n)
    const kinds = names.map((n) => {
      const kind = KINDS[Math.floor(random() * KINDS.length)] as Kind
      return kind === 'missing' && !expectable(n) ? 'pass' : kind
    })
    // Named in expected-legs: every missing leg, and some of the others.
    const expected = names.filter(
      (n, i) => expectable(n) && (kinds[i] === 'missing' || random() < 0.6)
    )
    const accepted = random() < 0.3
    return { c, names, kinds, expected, accepted, input: expectedInput(expected, random) }
  })

  for (const { c, names, kinds, expected, accepted, input } of cases) {
    it(`case ${c}: ${names.length} legs (${kinds.join(', ')})${accepted ? ', accept label' : ''}`, async () => {
      const push = fake.seedRun({ event: 'push', headBranch: fake.defaultBranch })
      const prRun = fake.seedRun({ event: 'pull_request', status: 'in_progress', headSha: HEAD })
      for (const [i, name] of names.entries()) seedLeg(prRun.id, push.id, name, kinds[i] as Kind)
      const r = await harness.runStep({
        inputs: {
          mode: 'aggregate',
          comment: 'always',
          'accept-label': 'perf-ok',
          ...(input ? { 'expected-legs': input } : {})
        },
        event: prEvent(accepted ? ['perf-ok'] : []),
        runId: prRun.id,
        artifacts: { listRun: prRun.id, upload: 'refuse' },
        runProcess: () => Promise.reject(new Error('no process expected'))
      })
      expect(r.core.failures).toEqual([])
      // The legs that left results, and the expected ones that did not.
      const known = names.filter((n, i) => kinds[i] !== 'missing' || expected.includes(n))
      const refs = new Map(
        known.map((n) => [n, reference(kinds[names.indexOf(n)] as Kind, accepted)])
      )
      const legs = JSON.parse(r.core.outputs.legs ?? 'null') as OutputLeg[]
      expect(legs.map((l) => l.name).sort()).toEqual([...known].sort())
      for (const leg of legs) {
        const ref = refs.get(leg.name)
        expect({ name: leg.name, ...ref }).toEqual({
          name: leg.name,
          verdict: leg.verdict,
          regressions: leg.regressions,
          improvements: leg.improvements
        })
        if (leg.verdict !== 'pass' && leg.verdict !== 'no-baseline')
          expect(leg.reasons.length).toBeGreaterThan(0)
      }
      const verdicts = [...refs.values()].map((x) => x.verdict)
      expect(r.core.outputs.verdict).toBe(whole(verdicts))
      const sum = (k: 'regressions' | 'improvements'): number =>
        [...refs.values()].reduce((n, x) => n + x[k], 0)
      expect(r.core.outputs.regressions).toBe(String(sum('regressions')))
      expect(r.core.outputs.improvements).toBe(String(sum('improvements')))
      const reasons = JSON.parse(r.core.outputs.reasons ?? 'null') as { code: string }[]
      expect(reasons).toHaveLength(
        known.length === 0 ? 1 : verdicts.filter((v) => v !== 'pass' && v !== 'no-baseline').length
      )

      // The comment: a row per leg, its name exact.
      const body = fake.comments(PR)[0]?.body ?? ''
      expect(body.length).toBeLessThanOrEqual(65_536)
      expect(rowNames(body).sort()).toEqual([...known].sort())
    })
  }
})

/** One aggregate step over the run `prRun` (same run, pull request `PR`). */
function aggregateStep(
  prRun: number,
  inputs: Record<string, string>,
  failing?: ReadonlyMap<number, string>,
  env?: Record<string, string>
) {
  return harness.runStep({
    inputs: { mode: 'aggregate', comment: 'always', ...inputs },
    event: prEvent([]),
    runId: prRun,
    ...(env ? { env } : {}),
    artifacts: { listRun: prRun, upload: 'refuse', ...(failing ? { failing } : {}) },
    runProcess: () => Promise.reject(new Error('no process expected'))
  })
}

describe('mode: aggregate, the legs that go wrong in ways the reference names', () => {
  it('an expected leg that left results under a name differing in case or normalisation: its row says which, and what to do', async () => {
    const push = fake.seedRun({ event: 'push', headBranch: fake.defaultBranch })
    const prRun = fake.seedRun({ event: 'pull_request', status: 'in_progress', headSha: HEAD })
    seedLeg(prRun.id, push.id, 'h100', 'pass')
    seedLeg(prRun.id, push.id, '\u00e9t\u00e9', 'pass')
    const r = await aggregateStep(prRun.id, {
      'expected-legs': 'H100\ne\u0301te\u0301\nl4'
    })
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('inconclusive')
    const legs = JSON.parse(r.core.outputs.legs ?? 'null') as OutputLeg[]
    const byName = new Map(legs.map((l) => [l.name, l]))
    expect(legs.map((l) => [l.name, l.verdict])).toEqual([
      ['h100', 'pass'],
      ['\u00e9t\u00e9', 'pass'],
      ['H100', 'missing'],
      ['e\u0301te\u0301', 'missing'],
      ['l4', 'missing']
    ])
    expect(byName.get('H100')?.reasons[0]?.message).toMatch(
      / A leg named "h100" left results: names differ only in case or Unicode normalisation, and are matched exactly\. Spell the leg in `expected-legs` as its `name` is\.$/
    )
    expect(byName.get('e\u0301te\u0301')?.reasons[0]?.message).toContain(
      'A leg named "\u00e9t\u00e9" left results'
    )
    expect(byName.get('l4')?.reasons[0]?.message).not.toContain('left results:')
    const body = fake.comments(PR)[0]?.body ?? ''
    expect(body).toContain(
      '| `H100` | ❗ no results: the leg left no results, but "h100" did: names differ only in case or Unicode normalisation (see its details) |'
    )
    expect(body).toContain(
      'A leg named `h100` left results: names differ only in case or Unicode normalisation, and are matched exactly.'
    )
  })

  it('two legs of one name whose aside results cannot be read: the artifact of that name is not judged as the leg', async () => {
    const push = fake.seedRun({ event: 'push', headBranch: fake.defaultBranch })
    const prRun = fake.seedRun({ event: 'pull_request', status: 'in_progress', headSha: HEAD })
    seedLeg(prRun.id, push.id, 'h100', 'pass')
    seedLeg(prRun.id, push.id, 'a100', 'pass')
    const aside = fake.seedArtifact(prRun.id, 'nsys-bench-results-h100-clash-0a1b2c3d', {
      'results.json': JSON.stringify({
        kind: 'nsys-bench/results',
        schemaVersion: 3,
        commentId: 'default',
        name: 'h100',
        pullRequest: PR,
        headSha: HEAD,
        runAttempt: 1,
        clashOf: 'h100'
      }),
      'head/run-1.json': profileJson(SLOWER)
    })
    const r = await aggregateStep(
      prRun.id,
      { 'expected-legs': '["h100", "a100"]' },
      new Map([[aside.id, 'Unable to download artifact: 503 Service Unavailable']])
    )
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('inconclusive')
    const legs = JSON.parse(r.core.outputs.legs ?? 'null') as OutputLeg[]
    expect(legs.map((l) => [l.name, l.verdict])).toEqual([
      ['a100', 'pass'],
      ['h100', 'error'],
      ['h100-clash-0a1b2c3d', 'error']
    ])
    expect(legs[1]?.reasons[0]?.message).toContain(
      'two jobs of the run ran with this name: the other uploaded its results aside ("nsys-bench-results-h100-clash-0a1b2c3d")'
    )
  })

  it('more results artifacts than a matrix has legs: those not read are rows saying so, not "no results", never dropped', async () => {
    const prRun = fake.seedRun({ event: 'pull_request', status: 'in_progress', headSha: HEAD })
    // 256 unreadable ones (cheap to judge) come first by name; two more after them.
    for (let i = 0; i < 256; i++)
      fake.seedArtifact(prRun.id, `nsys-bench-results-leg-${String(i).padStart(3, '0')}`, {
        'results.json': '{'
      })
    for (const name of ['zz-expected', 'zz-unexpected'])
      fake.seedArtifact(prRun.id, `nsys-bench-results-${name}`, { 'results.json': '{' })
    const r = await aggregateStep(prRun.id, { 'expected-legs': 'zz-expected' })
    expect(r.core.failures).toEqual([])
    expect(r.core.outputs.verdict).toBe('inconclusive')
    const legs = JSON.parse(r.core.outputs.legs ?? 'null') as OutputLeg[]
    expect(legs).toHaveLength(258)
    expect(legs.slice(-2).map((l) => [l.name, l.verdict])).toEqual([
      ['zz-expected', 'error'],
      ['zz-unexpected', 'error']
    ])
    expect(legs.at(-2)?.reasons[0]?.message).toContain(
      'its nsys-bench-results-zz-expected artifact was not read: the run has 258 artifacts named nsys-bench-results or nsys-bench-results-…, more than the 256 legs a matrix can have'
    )
    // Downloaded: only the first 256.
    expect(r.artifacts.downloads).toHaveLength(256)
  }, 60_000)

  it("a leg's results of an earlier attempt are judged, and its details say of which attempt", async () => {
    const push = fake.seedRun({ event: 'push', headBranch: fake.defaultBranch })
    const prRun = fake.seedRun({ event: 'pull_request', status: 'in_progress', headSha: HEAD })
    seedLeg(prRun.id, push.id, 'h100', 'regression')
    const r = await aggregateStep(prRun.id, {}, undefined, { GITHUB_RUN_ATTEMPT: '2' })
    expect(r.core.outputs.verdict).toBe('regression')
    expect(fake.comments(PR)[0]?.body).toContain(
      '\nThese results are of attempt 1 of the run; this is attempt 2: the leg was not re-run, or its re-run left no results (see its job).\n'
    )
    const same = await aggregateStep(prRun.id, {})
    expect(same.summary).not.toContain('These results are of attempt')
  })
})

describe('mode: aggregate for a fork (workflow_run) on generated matrices, against the reference', () => {
  const FORK = 'forker/llm-serve'
  const random = seededRandom(8_080)
  const cases = Array.from({ length: 5 }, (_, c) => {
    const names = NAMES.filter(() => random() < 0.4)
    const kinds = names.map(() => {
      const kind = KINDS[Math.floor(random() * KINDS.length)] as Kind
      // Results naming another pull request refuse the whole step (below).
      return kind === 'other-pr' ? 'pass' : kind
    })
    const expected = names.filter(
      (n, i) => !/["':<>|*?\r\n\\/]/.test(n) && (kinds[i] === 'missing' || random() < 0.6)
    )
    return {
      c,
      names,
      kinds: kinds.map((k, i) => (k === 'missing' && !expected.includes(names[i]!) ? 'pass' : k)),
      expected
    }
  })

  for (const { c, names, kinds, expected } of cases) {
    it(`case ${c}: ${names.length} legs (${kinds.join(', ')})`, async () => {
      const push = fake.seedRun({ event: 'push', headBranch: fake.defaultBranch })
      const prRun = fake.seedRun({
        event: 'pull_request',
        status: 'completed',
        conclusion: 'failure',
        headSha: HEAD,
        headBranch: 'feature',
        headRepoFullName: FORK
      })
      fake.seedPull({ number: PR, headSha: HEAD, headRef: 'feature', headRepoFullName: FORK })
      for (const [i, name] of names.entries()) seedLeg(prRun.id, push.id, name, kinds[i] as Kind)
      const r = await harness.runStep({
        inputs: {
          mode: 'aggregate',
          comment: 'always',
          ...(expected.length > 0 ? { 'expected-legs': JSON.stringify(expected) } : {})
        },
        event: workflowRunEvent(prRun.id, { headRepo: FORK, headSha: HEAD }),
        runId: 777_001,
        workflow: 'bench-comment.yml',
        artifacts: { upload: 'refuse' },
        runProcess: () => Promise.reject(new Error('no process expected'))
      })
      expect(r.core.failures).toEqual([])
      const known = names.filter((n, i) => kinds[i] !== 'missing' || expected.includes(n))
      const refs = new Map(known.map((n) => [n, reference(kinds[names.indexOf(n)] as Kind, false)]))
      const legs = JSON.parse(r.core.outputs.legs ?? 'null') as OutputLeg[]
      expect(legs.map((l) => l.name).sort()).toEqual([...known].sort())
      for (const leg of legs)
        expect([leg.name, leg.verdict, leg.regressions, leg.improvements]).toEqual([
          leg.name,
          refs.get(leg.name)?.verdict,
          refs.get(leg.name)?.regressions,
          refs.get(leg.name)?.improvements
        ])
      expect(r.core.outputs.verdict).toBe(whole([...refs.values()].map((x) => x.verdict)))
      if (known.some((n) => kinds[names.indexOf(n)] !== 'missing')) {
        const body = fake.comments(PR)[0]?.body ?? ''
        expect(rowNames(body).sort()).toEqual([...known].sort())
      }
    })
  }
})
