// Types for fetch-chromium.mjs (plain JS so that it also runs as a command line on Node 20).

export interface ChromiumInstall {
  /** The browser binary (`<cache>/chromium/install/browser/usr/lib/chromium/chromium-headless-shell`). */
  executablePath: string
  /** Debian package version, e.g. '150.0.7871.100-1~deb12u1'. */
  debVersion: string
  /** Debian packages fetched for libraries this machine lacked. */
  libraries: string[]
  /** Extra environment for the browser: LD_LIBRARY_PATH (fetched libraries), FONTCONFIG_FILE. */
  env: Record<string, string>
}

export interface EnsureOptions {
  /** Override the cache directory (default $NSYS_BENCH_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/nsys-bench). */
  cacheDir?: string
  /** Progress messages (default: silent). */
  log?: (line: string) => void
}

export declare function debianPackageOf(soname: string): string | undefined
export declare function ensureChromium(
  opts?: EnsureOptions
): Promise<ChromiumInstall | { skipped: string }>
