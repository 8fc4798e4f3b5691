/**
 * fast-check settings of a property test: its own size and seed in the suite, so that a run of
 * `npm test` is the same every time; more cases and another seed where NSYS_BENCH_PROPERTY_RUNS
 * and NSYS_BENCH_PROPERTY_SEED say (the nightly fuzz workflow, .github/workflows/fuzz.yml). A
 * failure prints its seed and counterexample: the same two variables replay it.
 */
export function propertyRuns(numRuns: number, seed: number): { numRuns: number; seed: number } {
  const runs = Number(process.env.NSYS_BENCH_PROPERTY_RUNS)
  const other = Number(process.env.NSYS_BENCH_PROPERTY_SEED)
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : numRuns,
    seed: Number.isInteger(other) ? (seed ^ other) | 0 : seed
  }
}
