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

// The Debian helpers test/support/chromium/fetch-chromium.mjs shares.

/** Thrown for environmental reasons (no apt-get, mirror unreachable); becomes `{ skipped }`. */
export declare class SkipError extends Error {}
/** apt-get with a private configuration under `<cache>/apt-<which>`. */
export declare class AptContext {
  static create(cache: string): Promise<AptContext>
  readonly uri: string
  readonly mainSuite: string
  download(
    which: 'nonfree' | 'main',
    spec: string,
    dir: string,
    log: (line: string) => void
  ): Promise<string>
}
export declare function debField(deb: string, field: string): Promise<string>
export declare function unpack(
  deb: string,
  into: string,
  log: (line: string) => void
): Promise<void>
export declare function missingLibs(
  binary: string,
  extraEnv: Record<string, string>
): Promise<string[]>
export declare function copySharedLibs(unpacked: string, out: string): Promise<void>
export declare function withLock<T>(
  cache: string,
  log: (line: string) => void,
  fn: () => Promise<T>
): Promise<T>
export declare function readMarker(dir: string): Promise<Record<string, unknown> | undefined>
export declare function writeMarker(dir: string, data: Record<string, unknown>): Promise<void>
export declare function exists(p: string): Promise<boolean>
export declare function isFile(p: string): Promise<boolean>
export declare function tail(s: string): string
