// Types of goals.js (plain JavaScript, run by node without a build), for the tests.
export interface Result {
  id: string
  name: string
  input: string
  ms: number
  rss: number
  peers: Record<string, { ms: number; rss: number } | undefined>
}
export interface Verdict {
  goal: string
  figure: string
  held: boolean
}
export function checkGoals(results: Result[]): Verdict[]
export function goalTable(verdicts: Verdict[], node: string): string
