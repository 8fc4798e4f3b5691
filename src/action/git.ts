import { mkdtemp, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { EnvironmentError, UsageError } from '../errors.js'
import { clip, quoted } from '../text.js'
import type { RunProcess } from './process.js'

/**
 * The git edge of `baseline: ab`: find the commit to compare with (the merge base of the checked
 * out commit and the base branch, fetching what a shallow checkout lacks) and check it out into a
 * worktree of its own beside the workspace, removed afterwards.
 */

export interface Git {
  run: RunProcess
  env: NodeJS.ProcessEnv
  log: (line: string) => void
}

/** A ref as git takes it on a command line: no option, no whitespace, no `..`, bounded. */
const REF = /^(?!-)(?!.*\.\.)[\w./@^~{}+-]{1,250}$/

async function git(
  g: Git,
  cwd: string,
  args: readonly string[],
  what: string
): Promise<{ code: number | null; stdout: string; tail: string[] }> {
  g.log(`git ${args.join(' ')}`)
  let result
  try {
    result = await g.run('git', args, {
      cwd,
      // Never a prompt for credentials on a runner: a fetch that needs them fails instead.
      env: { ...g.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      timeoutMs: 30 * 60_000,
      onLine: g.log
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new EnvironmentError(
      code === 'ENOENT'
        ? `git was not found on PATH: baseline: ab needs git to ${what}. Install git on the runner.`
        : `could not run git to ${what}: ${clip(String(error), 200)}`,
      { cause: error }
    )
  }
  return { code: result.code, stdout: result.stdout.trim(), tail: result.tail }
}

/** The root of the git checkout holding `dir`. */
export async function repositoryRoot(g: Git, dir: string): Promise<string> {
  const r = await git(g, dir, ['rev-parse', '--show-toplevel'], 'find the repository')
  if (r.code !== 0 || !r.stdout) {
    throw new EnvironmentError(
      `baseline: ab needs the repository checked out (actions/checkout) in the workspace, but ${quoted(dir)} is not inside a git checkout: ${quoted(r.tail.join(' '), 300)}`
    )
  }
  return r.stdout
}

async function commitOf(g: Git, root: string, ref: string): Promise<string | undefined> {
  const r = await git(g, root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], 'read refs')
  return r.code === 0 && /^[0-9a-f]{40,64}$/.test(r.stdout) ? r.stdout : undefined
}

export interface BaseCommit {
  /** The merge base of HEAD and the base ref. */
  sha: string
  /** The ref it was found from, as given (a branch, a tag or a commit). */
  ref: string
  /** HEAD: what the workspace holds. */
  head: string
  /** What had to be fetched (empty: the checkout had it all). */
  fetched: string[]
}

/**
 * The merge base of HEAD with `ref`. The ref is looked up locally (as given, then as
 * `origin/<ref>`); what is missing is fetched from `origin`: the ref itself, then, in a shallow
 * checkout without the common history, the rest of the history (`--unshallow`).
 */
export async function mergeBase(g: Git, root: string, ref: string): Promise<BaseCommit> {
  if (!REF.test(ref)) {
    throw new UsageError(
      `the base ref ${quoted(ref, 120)} is not a branch, tag or commit name git takes (letters, digits, ./@^~{}+-_, not starting with "-", no "..")`
    )
  }
  const head = await commitOf(g, root, 'HEAD')
  if (!head) throw new EnvironmentError(`the checkout at ${quoted(root)} has no commit at HEAD`)
  const fetched: string[] = []
  let base =
    (await commitOf(g, root, `refs/remotes/origin/${ref}`)) ?? (await commitOf(g, root, ref))
  if (!base) {
    const r = await git(g, root, ['fetch', '--no-tags', 'origin', ref], `fetch ${ref}`)
    if (r.code !== 0) {
      throw new EnvironmentError(
        `the base ref ${quoted(ref, 120)} is not in the checkout and could not be fetched from origin (exit code ${r.code}): ${quoted(r.tail.slice(-5).join(' '), 400)}. Check out with \`fetch-depth: 0\` (actions/checkout), or give an existing ref in \`ab-base-ref\`.`
      )
    }
    fetched.push(ref)
    base = await commitOf(g, root, 'FETCH_HEAD')
    if (!base)
      throw new EnvironmentError(`git fetched ${quoted(ref, 120)} but FETCH_HEAD names no commit`)
  }
  let found = await git(g, root, ['merge-base', head, base], 'find the merge base')
  if (found.code !== 0) {
    const shallow = await git(
      g,
      root,
      ['rev-parse', '--is-shallow-repository'],
      'read the checkout'
    )
    if (shallow.stdout === 'true') {
      const r = await git(
        g,
        root,
        ['fetch', '--no-tags', '--unshallow', 'origin', ref],
        'fetch the history'
      )
      if (r.code !== 0) {
        throw new EnvironmentError(
          `the shallow checkout lacks the history HEAD shares with ${quoted(ref, 120)}, and fetching it failed (exit code ${r.code}): ${quoted(r.tail.slice(-5).join(' '), 400)}. Check out with \`fetch-depth: 0\` (actions/checkout).`
        )
      }
      fetched.push('the history (--unshallow)')
      found = await git(g, root, ['merge-base', head, base], 'find the merge base')
    }
  }
  if (found.code !== 0 || !/^[0-9a-f]{40,64}$/.test(found.stdout)) {
    throw new EnvironmentError(
      `HEAD (${head.slice(0, 7)}) and ${quoted(ref, 120)} (${base.slice(0, 7)}) share no history: there is no merge base to compare with. Give the commit to compare with in \`ab-base-ref\`.`
    )
  }
  return { sha: found.stdout, ref, head, fetched }
}

export interface Worktree {
  dir: string
  remove: () => Promise<void>
}

/**
 * Checks `sha` out (detached) into a fresh directory beside the checkout, owned by this step:
 * the same depth below the same parent, so relative paths and the filesystem are the head's.
 */
export async function addWorktree(g: Git, root: string, sha: string): Promise<Worktree> {
  const dir = await mkdtemp(join(dirname(root), `${basename(root)}.nsys-bench-base-`))
  const r = await git(g, root, ['worktree', 'add', '--detach', dir, sha], 'check out the base')
  if (r.code !== 0) {
    await rm(dir, { recursive: true, force: true })
    throw new EnvironmentError(
      `could not check out the base ${sha.slice(0, 7)} into a worktree (exit code ${r.code}): ${quoted(r.tail.slice(-5).join(' '), 400)}`
    )
  }
  return {
    dir,
    remove: async () => {
      // --force: the setup built things there. Whatever git leaves, the directory goes.
      await git(g, root, ['worktree', 'remove', '--force', dir], 'remove the base worktree')
      await rm(dir, { recursive: true, force: true })
      await git(g, root, ['worktree', 'prune'], 'prune worktrees')
    }
  }
}
