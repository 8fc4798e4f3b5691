// Types of goals.js (plain JavaScript, run by node without a build), for the tests.
/** A close call measured again: ours and the other command alone, in alternating rounds. */
export interface Paired {
  rounds: number
  ours: number
  other: number
}
export interface Result {
  id: string
  name: string
  input: string
  ms: number
  rss: number
  peers: Record<string, { ms: number; rss: number; paired?: Paired } | undefined>
  pairedWith?: Paired & { id: string }
}
export interface Verdict {
  goal: string
  figure: string
  held: boolean
}
export function checkGoals(results: Result[]): Verdict[]
export function goalTable(verdicts: Verdict[], node: string): string
