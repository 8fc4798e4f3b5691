// The speed goals of the issues, checked against one run's figures (bench/run.js prints them
// after its table): issue 8 (the large compare, profile-JSON baselines, the realistic compare,
// the GPU trace against DuckDB), issue 9 (the trace's memory) and issue 10 (Chrome traces,
// closed: kept as a guard). Each goal reads the results of one run only: ratios in one run are
// what this shared, noisy machine can tell (docs/performance.md).

/**
 * `paired`, `pairedWith`: ours and another command measured again, the two alone in alternating
 * rounds (bench/run.js: a close call against DuckDB, and always profile JSONs against CSV); the
 * goal is decided on them.
 * @typedef {{ rounds: number, ours: number, other: number }} Paired
 * @typedef {{ id: string, name: string, input: string, ms: number, rss: number,
 *   peers: Record<string, { ms: number, rss: number, paired?: Paired } | undefined>,
 *   pairedWith?: Paired & { id: string } }} Result
 * @typedef {{ goal: string, figure: string, held: boolean }} Verdict
 */

const ms = (v) => `${Math.round(v).toLocaleString('en')} ms`
const mib = (v) => `${Math.round(v)} MB`
const times = (v) => `${v.toFixed(2)}×`
/** @param {Paired | undefined} p */
const again = (p) => (p ? `; ${times(p.ours / p.other)} in ${p.rounds} paired rounds` : '')

/**
 * The goals that this run's results can tell, in the issues' order; a goal whose scenario or
 * peer did not run (a missing peer, BENCH_TRACE_SCALING unset) is left out.
 * @param {Result[]} results
 * @returns {Verdict[]}
 */
export function checkGoals(results) {
  const by = new Map(results.map((r) => [r.id, r]))
  /** @type {Verdict[]} */
  const out = []
  for (const format of ['json', 'markdown']) {
    const r = by.get(`compare-extreme-${format}`)
    if (!r) continue
    out.push({
      goal: `compare 20,000 kernels × 10 runs (${format}): under 1 s (8)`,
      figure: ms(r.ms),
      held: r.ms < 1000
    })
    out.push({
      goal: `the same: peak RSS under 200 MB (8)`,
      figure: mib(r.rss),
      held: r.rss < 200
    })
  }
  const csv = by.get('compare-extreme-json')
  const json = by.get('compare-extreme-profile-json')
  if (csv && json) {
    const paired = json.pairedWith?.id === csv.id ? json.pairedWith : undefined
    out.push({
      goal: 'the same from profile JSONs: no slower than from CSV (8)',
      figure: `${times(json.ms / csv.ms)} the CSV run${again(paired)}`,
      held: paired ? paired.ours <= paired.other : json.ms <= csv.ms
    })
  }
  const node = by.get('node')
  const realistic = by.get('compare-realistic-5-json')
  if (node && realistic) {
    // Measured again against node -e 0 in alternating rounds where the bench did (bench/run.js).
    const paired = realistic.pairedWith?.id === node.id ? realistic.pairedWith : undefined
    out.push({
      goal: 'compare 400 kernels × 5 runs: within 2× of node -e 0 (8)',
      figure: `${times(realistic.ms / node.ms)} (${ms(realistic.ms)})${again(paired)}`,
      held: paired ? paired.ours <= 2 * paired.other : realistic.ms <= 2 * node.ms
    })
  }
  for (const r of results.filter((x) => x.id.startsWith('summarize-trace'))) {
    const what = r.name.replace(/^summarize cuda_gpu_trace, /, 'GPU trace, ')
    const duckdb = r.peers.duckdb
    if (duckdb)
      out.push({
        goal: `${what}: at least DuckDB's pace (8, 9)`,
        figure: `${ms(r.ms)}, DuckDB ${ms(duckdb.ms)}: ${times(r.ms / duckdb.ms)}${again(duckdb.paired)}`,
        held: duckdb.paired ? duckdb.paired.ours <= duckdb.paired.other : r.ms <= duckdb.ms
      })
    out.push({ goal: `${what}: peak RSS under 150 MB (9)`, figure: mib(r.rss), held: r.rss < 150 })
  }
  const chrome = by.get('summarize-chrome-trace')
  const megabytes = chrome ? Number.parseFloat(chrome.input) : NaN
  if (chrome && Number.isFinite(megabytes)) {
    const rate = megabytes / (chrome.ms / 1000)
    out.push({
      goal: `PyTorch trace (${chrome.input}): at least 200 MB/s (10)`,
      figure: `${Math.round(rate)} MB/s`,
      held: rate >= 200
    })
    out.push({
      goal: 'the same: peak RSS under 200 MB (10)',
      figure: mib(chrome.rss),
      held: chrome.rss < 200
    })
  }
  return out
}

/**
 * The goals as a Markdown table, with how many held and the Node that ran nsys-bench (the
 * figures, and so the verdicts, depend on it: docs/performance.md).
 * @param {Verdict[]} verdicts
 * @param {string} node
 * @returns {string}
 */
export function goalTable(verdicts, node) {
  const held = verdicts.filter((v) => v.held).length
  return [
    `Goals (issue numbers in brackets), this run with Node ${node}: ${held} of ${verdicts.length} held`,
    '| goal | this run | held |',
    '| --- | --: | :-: |',
    ...verdicts.map((v) => `| ${v.goal} | ${v.figure} | ${v.held ? 'yes' : '**no**'} |`)
  ].join('\n')
}
