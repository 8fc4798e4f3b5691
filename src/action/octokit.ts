import { getOctokit } from '@actions/github'

/** The REST client: @actions/github's Octokit (GITHUB_API_URL is read when it is imported). */
export type Octokit = ReturnType<typeof getOctokit>

export function createOctokit(token: string): Octokit {
  return getOctokit(token)
}
