// Types for fetch-nsys.mjs (plain JS so that it also runs as a command line on Node 20).

export type NsysVersion = '2022.4' | '2023.4'

export interface NsysInstall {
  version: NsysVersion
  /** Product version, e.g. '2023.4.4.54'. */
  fullVersion: string
  /** Debian package version, e.g. '2023.4.4.54~12.4.1-2'. */
  debVersion: string
  /** Absolute path of the nsys binary (`<root>/target-linux-x64/nsys`). */
  nsys: string
  /** Directory holding target-linux-x64/ (and host-linux-x64/, lib/). */
  root: string
  /** Host package, QdstrmImporter and libssh are laid out so that `nsys profile` writes a .nsys-rep. */
  canProfile: boolean
  /** Why canProfile is false. */
  profileProblem?: string
  /** Extra environment for running nsys: always LC_ALL=C and LANG=C; LD_LIBRARY_PATH when lib/ exists. */
  env: Record<string, string>
}

export interface EnsureOptions {
  /** Also fetch the host package (QdstrmImporter) and libssh so that `nsys profile` works. */
  profile?: boolean
  /** Override the cache directory (default $NSYS_BENCH_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/nsys-bench). */
  cacheDir?: string
  /** Progress messages (default: silent). */
  log?: (line: string) => void
}

export declare const NSYS_VERSIONS: readonly NsysVersion[]
export declare function defaultCacheDir(opts?: EnsureOptions): string
export declare function ensureNsys(
  version: NsysVersion,
  opts?: EnsureOptions
): Promise<NsysInstall | { skipped: string }>
export declare function run(
  cmd: string,
  args: string[],
  o?: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }
): Promise<{ code: number; stdout: string; stderr: string }>
