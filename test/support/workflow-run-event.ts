/**
 * The event of a `workflow_run` workflow (mode: comment, mode: aggregate) started by the
 * completion of a pull request's benchmark run (`bench.yml`), as the runner's event file holds it.
 */
export function workflowRunEvent(
  runId: number,
  o: { headRepo: string; headSha: string; conclusion?: string }
): { name: string; payload: object } {
  return {
    name: 'workflow_run',
    payload: {
      action: 'completed',
      workflow_run: {
        id: runId,
        name: 'bench',
        path: '.github/workflows/bench.yml',
        event: 'pull_request',
        status: 'completed',
        conclusion: o.conclusion ?? 'failure',
        head_branch: 'feature',
        head_sha: o.headSha,
        head_repository: { full_name: o.headRepo },
        pull_requests: []
      },
      workflow: { name: 'bench', path: '.github/workflows/bench.yml' }
    }
  }
}
