#!/usr/bin/env node
// @ts-check
/**
 * Download and unpack the real NVIDIA Nsight Systems CLI from Debian's non-free archive, for tests.
 *
 * One implementation, two entry points: `install.ts` re-exports `ensureNsys` with TypeScript types
 * (see `fetch-nsys.d.mts`), and this file is also a command line (Node 20 cannot run `.ts`):
 *
 *   node test/support/nsys/fetch-nsys.mjs [--profile] [--json] 2022.4|2023.4|all
 *
 * prints the absolute path of `nsys` (or the install as JSON). Exit 0 = ready, 2 = skipped (reason on
 * stderr: no apt-get, mirror unreachable, unsupported platform), 1 = a bug.
 *
 * Its Debian helpers (AptContext, unpack, missingLibs, withLock, …) are exported for
 * test/support/chromium/fetch-chromium.mjs, which fetches the browser the same way.
 *
 * Nothing on the system is changed: apt-get runs with a private configuration (its own sources list,
 * lists, cache and dpkg status, under the cache directory) that reuses the machine's Debian mirror
 * URI and keyring; packages are fetched with `apt-get download` and unpacked with `dpkg-deb -x`.
 *
 * Cache layout (`$NSYS_BENCH_CACHE`, else `${XDG_CACHE_HOME:-$HOME/.cache}/nsys-bench`):
 *
 *   apt-nonfree/ apt-main/      private apt state (lists, archives, status)
 *   nsys-2023.4/                the "root" NVIDIA's own layout expects:
 *     target-linux-x64/         nsight-systems-target: nsys, report scripts
 *     host-linux-x64/           nsight-systems (host): QdstrmImporter (only with profile: true)
 *     lib/                      libssh.so (+ libssh.so.4, libpfm.so.4) from Debian main
 *   tmp/                        units under construction
 *   .lock/                      held while downloading/unpacking
 *
 * Every unit (target-linux-x64, host-linux-x64, lib) is built in tmp/ and renamed into place, so a
 * unit that exists is complete; a lock directory serialises builders across vitest workers, and a
 * warm call (everything present) takes no lock and touches no network.
 */

import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import { clearTimeout, setTimeout } from 'node:timers'
import { fileURLToPath } from 'node:url'

/** @typedef {'2022.4' | '2023.4'} NsysVersion */
/**
 * @typedef {object} NsysInstall
 * @property {NsysVersion} version
 * @property {string} fullVersion     e.g. '2023.4.4.54'
 * @property {string} debVersion      e.g. '2023.4.4.54~12.4.1-2'
 * @property {string} nsys            absolute path of the nsys binary
 * @property {string} root            directory holding target-linux-x64/ (and host-linux-x64/, lib/)
 * @property {boolean} canProfile     host package, QdstrmImporter and libssh laid out for `nsys profile`
 * @property {string} [profileProblem] why canProfile is false, when profile was asked for
 * @property {Record<string, string>} env  extra environment for running nsys (LC_ALL=C, LD_LIBRARY_PATH)
 */
/** @typedef {{ skipped: string }} NsysSkipped */
/**
 * @typedef {object} EnsureOptions
 * @property {boolean} [profile]   also fetch the host package + libssh so `nsys profile` works
 * @property {string} [cacheDir]   override the cache directory
 * @property {(line: string) => void} [log]  progress messages (default: silent)
 */

/** @type {readonly NsysVersion[]} */
export const NSYS_VERSIONS = ['2022.4', '2023.4']

/**
 * Debian suite whose non-free component carries each version (docs/nsys-notes.md "Installing nsys
 * for the tests").
 */
const SUITES = /** @type {const} */ ({ 2022.4: 'bookworm', 2023.4: 'trixie' })
const TARGET_PKG = 'nsight-systems-target'
const HOST_PKG = 'nsight-systems'
/** Debian main packages that provide libraries the NVIDIA binaries link against. */
const SONAME_PACKAGES = /** @type {Record<string, string>} */ ({
  'libssh.so': 'libssh-4',
  'libssh.so.4': 'libssh-4',
  'libpfm.so.4': 'libpfm4',
  'libelf.so.1': 'libelf1',
  'libz.so.1': 'zlib1g'
})
/** Always put into lib/ when it is built: QdstrmImporter needs the unversioned `libssh.so`. */
const BASE_LIB_PACKAGES = ['libssh-4', 'libpfm4']
/** GUI-only parts of the host package (~210 MB of 430 MB); QdstrmImporter does not need them. */
const HOST_PRUNE = [
  'libexec',
  'resources',
  'translations',
  'nsys-ui',
  'nsys-ui.bin',
  'nsys-ui.png',
  'nsys-ui.desktop.template'
]
const MARKER = '.nsys-bench.json'
const LOCK_STALE_MS = 30 * 60_000
const LOCK_WAIT_MS = 25 * 60_000

/** Thrown for environmental reasons; becomes `{ skipped }`. Anything else is a bug and propagates. */
export class SkipError extends Error {}

/** @param {EnsureOptions} [opts] */
export function defaultCacheDir(opts) {
  if (opts?.cacheDir) return path.resolve(opts.cacheDir)
  if (process.env.NSYS_BENCH_CACHE) return path.resolve(process.env.NSYS_BENCH_CACHE)
  const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  return path.join(xdg, 'nsys-bench')
}

/** @type {Map<string, Promise<NsysInstall | NsysSkipped>>} */
const inFlight = new Map()

/**
 * @param {NsysVersion} version
 * @param {EnsureOptions} [opts]
 * @returns {Promise<NsysInstall | NsysSkipped>}
 */
export function ensureNsys(version, opts = {}) {
  if (!Object.hasOwn(SUITES, version)) {
    throw new TypeError(
      `ensureNsys: unknown version ${JSON.stringify(version)} (use ${NSYS_VERSIONS.join(' or ')})`
    )
  }
  const key = `${defaultCacheDir(opts)}\0${version}\0${opts.profile ? 1 : 0}`
  let p = inFlight.get(key)
  if (!p) {
    p = ensureNsysUncached(version, opts).catch((/** @type {unknown} */ err) => {
      if (err instanceof SkipError) return { skipped: err.message }
      throw err
    })
    inFlight.set(key, p)
    // Don't memoise failures or skips: a later call may succeed (network back, lock released).
    p.then(
      (r) => ('skipped' in r ? inFlight.delete(key) : undefined),
      () => inFlight.delete(key)
    )
  }
  return p
}

/**
 * @param {NsysVersion} version
 * @param {EnsureOptions} opts
 * @returns {Promise<NsysInstall>}
 */
async function ensureNsysUncached(version, opts) {
  if (process.platform !== 'linux') {
    throw new SkipError(`Nsight Systems from Debian needs Linux (this is ${process.platform}).`)
  }
  if (process.arch !== 'x64') {
    throw new SkipError(
      `only x86-64 is supported (Debian's nsight-systems-target is amd64-only here; this is ${process.arch}).`
    )
  }
  const cache = defaultCacheDir(opts)
  const root = path.join(cache, `nsys-${version}`)
  const want = { profile: Boolean(opts.profile) }

  const warm = await readInstall(version, root, want)
  if (warm) return warm
  if (process.env.NSYS_BENCH_OFFLINE === '1') {
    throw new SkipError(
      `NSYS_BENCH_OFFLINE=1 and nsys ${version}${want.profile ? ' (with profile support)' : ''} is not in the cache ${cache}; unset it to download.`
    )
  }
  const log = opts.log ?? (() => {})
  await fsp.mkdir(cache, { recursive: true })
  return withLock(cache, log, async () => {
    const again = await readInstall(version, root, want)
    if (again) return again
    await build(version, cache, root, want, log)
    const done = await readInstall(version, root, want)
    if (!done) throw new Error(`nsys ${version}: install finished but ${root} is incomplete`)
    return done
  })
}

/**
 * Warm path: only stat()s and small JSON reads, no lock, no network.
 * @param {NsysVersion} version
 * @param {string} root
 * @param {{ profile: boolean }} want
 * @returns {Promise<NsysInstall | undefined>}
 */
async function readInstall(version, root, want) {
  const target = await readMarker(path.join(root, 'target-linux-x64'))
  if (!target) return undefined
  const nsys = path.join(root, 'target-linux-x64', 'nsys')
  if (!(await isFile(nsys))) return undefined
  const lib = await readMarker(path.join(root, 'lib'))
  if (target.needsLib && !lib) return undefined
  const host = await readMarker(path.join(root, 'host-linux-x64'))
  if (want.profile && (!host || !lib)) return undefined

  let canProfile = false
  /** @type {string | undefined} */
  let profileProblem
  if (host && lib) {
    const importer = path.join(root, 'host-linux-x64', 'QdstrmImporter')
    const ssh = path.join(root, 'lib', 'libssh.so')
    if (!(await isFile(importer))) profileProblem = `${importer} is missing`
    else if (!(await isFile(ssh))) profileProblem = `${ssh} is missing`
    else if (typeof host.problem === 'string') profileProblem = host.problem
    else canProfile = true
  } else {
    profileProblem = 'host package not fetched (call ensureNsys with { profile: true })'
  }

  /** @type {Record<string, string>} */
  const env = { LC_ALL: 'C', LANG: 'C' }
  if (lib) {
    const libDir = path.join(root, 'lib')
    const prev = process.env.LD_LIBRARY_PATH
    env.LD_LIBRARY_PATH = prev ? `${libDir}:${prev}` : libDir
  }
  return {
    version,
    fullVersion: String(target.fullVersion),
    debVersion: String(target.debVersion),
    nsys,
    root,
    canProfile,
    ...(canProfile ? {} : { profileProblem }),
    env
  }
}

/**
 * @param {NsysVersion} version
 * @param {string} cache
 * @param {string} root
 * @param {{ profile: boolean }} want
 * @param {(line: string) => void} log
 */
async function build(version, cache, root, want, log) {
  await fsp.mkdir(root, { recursive: true })
  const tmpRoot = path.join(cache, 'tmp')
  await fsp.rm(tmpRoot, { recursive: true, force: true }) // leftovers of a killed builder (we hold the lock)
  await fsp.mkdir(tmpRoot, { recursive: true })
  const apt = await AptContext.create(cache)
  const suite = SUITES[version]

  const targetDir = path.join(root, 'target-linux-x64')
  let target = await readMarker(targetDir)
  if (!target) {
    const tmp = await fsp.mkdtemp(path.join(tmpRoot, 'target-'))
    const deb = await apt.download('nonfree', `${TARGET_PKG}/${suite}`, tmp, log)
    const debVersion = await debField(deb, 'Version')
    await unpack(deb, path.join(tmp, 'x'), log)
    const src = path.join(
      tmp,
      'x',
      'usr',
      'lib',
      'x86_64-linux-gnu',
      'nsight-systems',
      'target-linux-x64'
    )
    if (!(await isFile(path.join(src, 'nsys')))) {
      throw new Error(
        `${path.basename(deb)} does not contain target-linux-x64/nsys (layout changed?)`
      )
    }
    const missing = await missingLibs(path.join(src, 'nsys'), {})
    target = {
      package: TARGET_PKG,
      suite,
      debVersion,
      fullVersion: debVersion.split('~')[0],
      needsLib: missing.length > 0,
      missingLibs: missing
    }
    await writeMarker(src, target)
    await fsp.rename(src, targetDir)
    await fsp.rm(tmp, { recursive: true, force: true })
    log(`nsys ${version}: ${TARGET_PKG} ${debVersion} unpacked in ${targetDir}`)
  }

  const libDir = path.join(root, 'lib')
  const needLib = want.profile || Boolean(target.needsLib)
  if (needLib && !(await readMarker(libDir))) {
    const missing = Array.isArray(target.missingLibs) ? target.missingLibs.map(String) : []
    const unknown = missing.filter((so) => !SONAME_PACKAGES[so])
    if (unknown.length) {
      throw new SkipError(
        `nsys ${version} needs libraries this helper cannot fetch: ${unknown.join(', ')} (install them with apt).`
      )
    }
    const pkgs = [
      ...new Set([...BASE_LIB_PACKAGES, ...missing.map((so) => String(SONAME_PACKAGES[so]))])
    ]
    const tmp = await fsp.mkdtemp(path.join(tmpRoot, 'lib-'))
    const out = path.join(tmp, 'lib')
    await fsp.mkdir(out)
    for (const pkg of pkgs) {
      const deb = await apt.download('main', `${pkg}/${apt.mainSuite}`, tmp, log)
      const x = path.join(tmp, `x-${pkg}`)
      await unpack(deb, x, log)
      await copySharedLibs(x, out)
    }
    if (!(await exists(path.join(out, 'libssh.so.4')))) {
      throw new Error(`libssh-4 (${apt.mainSuite}) did not provide libssh.so.4`)
    }
    // QdstrmImporter's NEEDED entry is the unversioned development name.
    await fsp.symlink('libssh.so.4', path.join(out, 'libssh.so'))
    await writeMarker(out, { packages: pkgs, suite: apt.mainSuite })
    await fsp.rename(out, libDir)
    await fsp.rm(tmp, { recursive: true, force: true })
    log(`nsys ${version}: ${pkgs.join(', ')} (${apt.mainSuite}) unpacked in ${libDir}`)
  }

  const hostDir = path.join(root, 'host-linux-x64')
  if (want.profile && !(await readMarker(hostDir))) {
    const tmp = await fsp.mkdtemp(path.join(tmpRoot, 'host-'))
    const deb = await apt.download('nonfree', `${HOST_PKG}/${suite}`, tmp, log)
    const debVersion = await debField(deb, 'Version')
    const targetVersion = String(target.debVersion)
    if (debVersion !== targetVersion) {
      // Different versions of target and host do not work together; the cached target is stale.
      throw new SkipError(
        `${HOST_PKG}/${suite} is ${debVersion} but the cached ${TARGET_PKG} is ${targetVersion}; delete ${root} to refetch both.`
      )
    }
    await unpack(deb, path.join(tmp, 'x'), log)
    const src = path.join(tmp, 'x', 'usr', 'lib', 'nsight-systems', 'host-linux-x64')
    if (!(await isFile(path.join(src, 'QdstrmImporter')))) {
      throw new Error(
        `${path.basename(deb)} does not contain host-linux-x64/QdstrmImporter (layout changed?)`
      )
    }
    for (const name of HOST_PRUNE)
      await fsp.rm(path.join(src, name), { recursive: true, force: true })
    for (const entry of await fsp.readdir(src)) {
      if (entry.startsWith('libQt6WebEngine')) await fsp.rm(path.join(src, entry), { force: true })
    }
    await completeHostPython(src, targetDir)
    const missing = await missingLibs(path.join(src, 'QdstrmImporter'), {
      LD_LIBRARY_PATH: libDir
    })
    /** @type {Record<string, unknown>} */
    const marker = { package: HOST_PKG, suite, debVersion, missingLibs: missing }
    if (missing.length) marker.problem = `QdstrmImporter cannot load ${missing.join(', ')}`
    await writeMarker(src, marker)
    await fsp.rename(src, hostDir)
    await fsp.rm(tmp, { recursive: true, force: true })
    log(`nsys ${version}: ${HOST_PKG} ${debVersion} unpacked in ${hostDir}`)
  }
}

/**
 * With host-linux-x64 beside target-linux-x64, nsys runs the report scripts from
 * host-linux-x64/reports with host-linux-x64/python/lib on the path. Debian's 2023.4 host package
 * moved nsysstats.py/gpustats.py to /usr/lib/python3/dist-packages, leaving only kernel_helper.py,
 * so every report fails with "No module named 'nsysstats'". Copy the target's modules across.
 * @param {string} hostSrc
 * @param {string} targetDir
 */
async function completeHostPython(hostSrc, targetDir) {
  const hostLib = path.join(hostSrc, 'python', 'lib')
  const targetLib = path.join(targetDir, 'python', 'lib')
  if (!(await exists(hostLib)) || !(await exists(targetLib))) return
  const have = new Set(await fsp.readdir(hostLib))
  for (const f of await fsp.readdir(targetLib)) {
    if (f.endsWith('.py') && !have.has(f))
      await fsp.copyFile(path.join(targetLib, f), path.join(hostLib, f))
  }
}

/**
 * Copy usr/lib/<triplet>/*.so* (files and symlinks) from an unpacked package.
 * @param {string} unpacked
 * @param {string} out
 */
export async function copySharedLibs(unpacked, out) {
  for (const dir of ['usr/lib/x86_64-linux-gnu', 'lib/x86_64-linux-gnu']) {
    const d = path.join(unpacked, dir)
    if (!(await exists(d))) continue
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      if (!/\.so(\.|$)/.test(e.name) || e.isDirectory()) continue
      const from = path.join(d, e.name)
      const to = path.join(out, e.name)
      if (e.isSymbolicLink()) await fsp.symlink(await fsp.readlink(from), to)
      else await fsp.copyFile(from, to)
    }
  }
}

/**
 * Sonames `ldd` reports as "not found" (empty if ldd is unavailable).
 * @param {string} binary
 * @param {Record<string, string>} extraEnv
 */
export async function missingLibs(binary, extraEnv) {
  const r = await run('ldd', [binary], { env: { ...process.env, ...extraEnv, LC_ALL: 'C' } })
  if (r.code !== 0) return []
  const found = new Set()
  for (const m of r.stdout.matchAll(/^\s*(\S+) => not found/gm)) found.add(m[1])
  return [...found].map(String).sort()
}

// ---------------------------------------------------------------------------------------------
// apt with a private configuration

export class AptContext {
  /**
   * @param {string} cache
   * @param {string} uri
   * @param {string} keyring
   * @param {string} mainSuite
   */
  constructor(cache, uri, keyring, mainSuite) {
    this.cache = cache
    this.uri = uri
    this.keyring = keyring
    this.mainSuite = mainSuite
    /** @type {Set<string>} */
    this.updated = new Set()
  }

  /** @param {string} cache */
  static async create(cache) {
    if (!(await onPath('apt-get')) || !(await onPath('dpkg-deb'))) {
      throw new SkipError(
        'apt-get/dpkg-deb not found: fetching Nsight Systems needs a Debian-family system (the packages come from Debian non-free).'
      )
    }
    const { uri, keyring } = await findDebianMirror()
    return new AptContext(cache, uri, keyring, await hostSuite())
  }

  /** @param {'nonfree' | 'main'} which */
  dir(which) {
    return path.join(this.cache, `apt-${which}`)
  }

  /** @param {'nonfree' | 'main'} which */
  sourcesLines(which) {
    const opt = `[signed-by=${this.keyring}]`
    if (which === 'main') return [`deb ${opt} ${this.uri} ${this.mainSuite} main`]
    return [...new Set(Object.values(SUITES))].map((s) => `deb ${opt} ${this.uri} ${s} non-free`)
  }

  /** @param {'nonfree' | 'main'} which */
  async prepare(which) {
    const d = this.dir(which)
    for (const sub of [
      'lists/partial',
      'archives/partial',
      'sources.list.d',
      'preferences.d',
      'state'
    ]) {
      await fsp.mkdir(path.join(d, sub), { recursive: true })
    }
    const sources = this.sourcesLines(which).join('\n') + '\n'
    const sourcesFile = path.join(d, 'sources.list')
    const old = await fsp.readFile(sourcesFile, 'utf8').catch(() => '')
    if (old !== sources) {
      await fsp.writeFile(sourcesFile, sources)
      // Lists from another mirror/suite set are useless.
      await fsp.rm(path.join(d, 'lists'), { recursive: true, force: true })
      await fsp.mkdir(path.join(d, 'lists', 'partial'), { recursive: true })
    }
    const status = path.join(d, 'state', 'status')
    if (!(await exists(status))) await fsp.writeFile(status, '')
  }

  /** @param {'nonfree' | 'main'} which */
  args(which) {
    const d = this.dir(which)
    /** @type {string[]} */
    const o = [
      `Dir::Etc::sourcelist=${path.join(d, 'sources.list')}`,
      `Dir::Etc::sourceparts=${path.join(d, 'sources.list.d')}`,
      `Dir::Etc::preferences=${path.join(d, 'preferences')}`,
      `Dir::Etc::preferencesparts=${path.join(d, 'preferences.d')}`,
      `Dir::State=${path.join(d, 'state')}`,
      `Dir::State::lists=${path.join(d, 'lists')}`,
      `Dir::State::status=${path.join(d, 'state', 'status')}`,
      `Dir::Cache=${d}`,
      `Dir::Cache::archives=${path.join(d, 'archives')}`,
      'Dir::Cache::pkgcache=',
      'Dir::Cache::srcpkgcache=',
      'Debug::NoLocking=1', // our own lock serialises apt; never touch the system's lock files
      'Acquire::Languages=none',
      'Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false',
      'Acquire::Retries=2',
      'Acquire::http::Timeout=30',
      'APT::Get::Assume-Yes=true',
      'quiet=1'
    ]
    // As root, apt drops to the _apt user for downloads, which cannot write into e.g. /root/.cache.
    if (process.getuid?.() === 0) o.push('APT::Sandbox::User=root')
    return o.flatMap((x) => ['-o', x])
  }

  /** @param {'nonfree' | 'main'} which @param {(line: string) => void} log */
  async update(which, log) {
    await this.prepare(which)
    log(`apt-get update (${this.sourcesLines(which).join(' | ')})`)
    const r = await run('apt-get', [...this.args(which), 'update'], { timeoutMs: 5 * 60_000 })
    const lists = await fsp.readdir(path.join(this.dir(which), 'lists')).catch(() => [])
    const havePackages = lists.some((f) => f.includes('_Packages'))
    if (r.code !== 0 || !havePackages || /^(W|E): Failed to fetch/m.test(r.stderr + r.stdout)) {
      throw new SkipError(
        `cannot read the Debian archive ${this.uri} with a private apt configuration ` +
          `(apt-get update exit ${r.code}): ${tail(r.stderr || r.stdout)} — ` +
          'check network access to the Debian mirror (or set NSYS_BENCH_DEBIAN_MIRROR).'
      )
    }
    this.updated.add(which)
  }

  /**
   * `apt-get download <pkg>/<suite>` into dir; returns the .deb path.
   * @param {'nonfree' | 'main'} which
   * @param {string} spec
   * @param {string} dir
   * @param {(line: string) => void} log
   */
  async download(which, spec, dir, log) {
    await this.prepare(which)
    const lists = await fsp.readdir(path.join(this.dir(which), 'lists')).catch(() => [])
    if (!lists.some((f) => f.includes('_Packages'))) await this.update(which, log)
    const attempt = async () => {
      const dl = await fsp.mkdtemp(path.join(dir, 'dl-'))
      log(`apt-get download ${spec}`)
      const r = await run('apt-get', [...this.args(which), 'download', spec], {
        cwd: dl,
        timeoutMs: 15 * 60_000
      })
      const debs = (await fsp.readdir(dl)).filter((f) => f.endsWith('.deb'))
      return {
        r,
        deb: r.code === 0 && debs.length === 1 ? path.join(dl, String(debs[0])) : undefined
      }
    }
    let { r, deb } = await attempt()
    if (!deb && !this.updated.has(which)) {
      // Stale lists (the archive moved on: 404 / unknown version): refresh once and retry.
      await this.update(which, log)
      ;({ r, deb } = await attempt())
    }
    if (!deb) {
      throw new SkipError(
        `apt-get download ${spec} from ${this.uri} failed (exit ${r.code}): ${tail(r.stderr || r.stdout)}`
      )
    }
    return deb
  }
}

/**
 * Mirror URI + keyring of the machine's own Debian entries (deb822 *.sources or one-line lists),
 * or $NSYS_BENCH_DEBIAN_MIRROR, or deb.debian.org with the standard keyring.
 * @returns {Promise<{ uri: string, keyring: string }>}
 */
async function findDebianMirror() {
  const defaultKeyring = '/usr/share/keyrings/debian-archive-keyring.gpg'
  const override = process.env.NSYS_BENCH_DEBIAN_MIRROR
  /** @type {{ uri: string, keyring?: string }[]} */
  const found = []
  if (!override) {
    const files = []
    for (const dir of ['/etc/apt/sources.list.d']) {
      for (const f of await fsp.readdir(dir).catch(() => [])) files.push(path.join(dir, f))
    }
    files.push('/etc/apt/sources.list')
    for (const file of files.sort()) {
      const text = await fsp.readFile(file, 'utf8').catch(() => '')
      if (file.endsWith('.sources')) found.push(...parseDeb822(text))
      else if (file.endsWith('.list')) found.push(...parseOneLine(text))
    }
  }
  // The main archive, not debian-security / debian-debug / ports / backports mirrors.
  const entry = override
    ? { uri: override, keyring: process.env.NSYS_BENCH_DEBIAN_KEYRING }
    : found.find((e) => /\/debian\/?$/.test(e.uri))
  const uri = (entry?.uri ?? 'http://deb.debian.org/debian').replace(/\/+$/, '')
  const keyring = entry?.keyring ?? defaultKeyring
  if (!keyring.startsWith('/') || !(await exists(keyring))) {
    throw new SkipError(
      `no Debian archive keyring at ${keyring} (install debian-archive-keyring, or set NSYS_BENCH_DEBIAN_KEYRING).`
    )
  }
  return { uri, keyring }
}

/** @param {string} text */
function parseDeb822(text) {
  /** @type {{ uri: string, keyring?: string }[]} */
  const out = []
  for (const stanza of text.split(/\n\s*\n/)) {
    /** @type {Record<string, string>} */
    const f = {}
    let last = ''
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line)
      if (m) {
        last = String(m[1]).toLowerCase()
        f[last] = String(m[2])
      } else if (/^\s/.test(line) && last) f[last] += '\n' + line.trim()
    }
    if (f.enabled === 'no' || !/\bdeb\b/.test(f.types ?? '')) continue
    const signedBy = f['signed-by']?.trim()
    const keyring = signedBy && !signedBy.includes('\n') ? signedBy : undefined
    for (const uri of (f.uris ?? '').split(/\s+/).filter(Boolean)) out.push({ uri, keyring })
  }
  return out
}

/** @param {string} text */
function parseOneLine(text) {
  /** @type {{ uri: string, keyring?: string }[]} */
  const out = []
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim()
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)/.exec(line)
    if (!m) continue
    const keyring = /signed-by=(\S+)/.exec(m[1] ?? '')?.[1]
    out.push({ uri: String(m[2]), keyring })
  }
  return out
}

/** Debian codename of this machine (for main-component libraries), bookworm if unknown. */
async function hostSuite() {
  const text = await fsp.readFile('/etc/os-release', 'utf8').catch(() => '')
  const id = /^ID=(.*)$/m.exec(text)?.[1]?.replace(/"/g, '')
  const codename = /^VERSION_CODENAME=(.*)$/m.exec(text)?.[1]?.replace(/"/g, '')
  return id === 'debian' && codename ? codename : 'bookworm'
}

// ---------------------------------------------------------------------------------------------
// small utilities

/**
 * @param {string} deb
 * @param {string} field
 */
export async function debField(deb, field) {
  const r = await run('dpkg-deb', ['-f', deb, field])
  const v = r.stdout.trim()
  if (r.code !== 0 || !v) throw new Error(`dpkg-deb -f ${deb} ${field} failed: ${tail(r.stderr)}`)
  return v
}

/**
 * @param {string} deb
 * @param {string} into
 * @param {(line: string) => void} log
 */
export async function unpack(deb, into, log) {
  await fsp.mkdir(into, { recursive: true })
  log(`dpkg-deb -x ${path.basename(deb)}`)
  const r = await run('dpkg-deb', ['-x', deb, into], { timeoutMs: 10 * 60_000 })
  if (r.code !== 0) throw new Error(`dpkg-deb -x ${deb} failed (exit ${r.code}): ${tail(r.stderr)}`)
}

/**
 * Exclusive lock across processes: mkdir is atomic. A lock whose owner is dead (same host) or
 * that is older than LOCK_STALE_MS is broken.
 * @template T
 * @param {string} cache
 * @param {(line: string) => void} log
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function withLock(cache, log, fn) {
  const lock = path.join(cache, '.lock')
  const owner = path.join(lock, 'owner.json')
  const me = { pid: process.pid, host: os.hostname(), since: Date.now() }
  const deadline = Date.now() + LOCK_WAIT_MS
  let announced = false
  for (;;) {
    try {
      await fsp.mkdir(lock)
      await fsp.writeFile(owner, JSON.stringify(me))
      break
    } catch (err) {
      if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'EEXIST') throw err
    }
    if (await lockIsStale(lock, owner)) {
      await fsp.rm(lock, { recursive: true, force: true })
      continue
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${lock} (remove it if no download is running)`)
    if (!announced) log(`waiting for ${lock} (another process is downloading nsys)`)
    announced = true
    await new Promise((r) => setTimeout(r, 250))
  }
  try {
    return await fn()
  } finally {
    await fsp.rm(lock, { recursive: true, force: true })
  }
}

/**
 * @param {string} lock
 * @param {string} owner
 */
async function lockIsStale(lock, owner) {
  const st = await fsp.stat(lock).catch(() => undefined)
  if (!st) return false // vanished: retry mkdir
  /** @type {{ pid?: number, host?: string } | undefined} */
  let o
  try {
    const parsed = /** @type {unknown} */ (JSON.parse(await fsp.readFile(owner, 'utf8')))
    o = /** @type {{ pid?: number, host?: string }} */ (parsed)
  } catch {
    return Date.now() - st.mtimeMs > 60_000 // created but owner never written: its maker died
  }
  if (Date.now() - st.mtimeMs > LOCK_STALE_MS) return true
  if (o?.host === os.hostname() && typeof o.pid === 'number') {
    try {
      process.kill(o.pid, 0)
    } catch (err) {
      return /** @type {NodeJS.ErrnoException} */ (err).code === 'ESRCH'
    }
  }
  return false
}

/**
 * @param {string} dir
 * @returns {Promise<Record<string, unknown> | undefined>}
 */
export async function readMarker(dir) {
  try {
    const v = /** @type {unknown} */ (
      JSON.parse(await fsp.readFile(path.join(dir, MARKER), 'utf8'))
    )
    return v && typeof v === 'object' ? /** @type {Record<string, unknown>} */ (v) : undefined
  } catch {
    return undefined
  }
}

/**
 * @param {string} dir
 * @param {Record<string, unknown>} data
 */
export async function writeMarker(dir, data) {
  await fsp.writeFile(
    path.join(dir, MARKER),
    JSON.stringify({ ...data, at: new Date().toISOString() }, null, 2) + '\n'
  )
}

/** @param {string} p */
export async function exists(p) {
  return fsp.lstat(p).then(
    () => true,
    () => false
  )
}

/** @param {string} p */
export async function isFile(p) {
  return fsp.stat(p).then(
    (s) => s.isFile(),
    () => false
  )
}

/** @param {string} cmd */
async function onPath(cmd) {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    if (!dir) continue
    try {
      await fsp.access(path.join(dir, cmd), fs.constants.X_OK)
      return true
    } catch {
      // keep looking
    }
  }
  return false
}

/** @param {string} s */
export function tail(s) {
  const lines = s.trim().split('\n').filter(Boolean)
  return lines.slice(-4).join(' / ').slice(0, 600) || '(no output)'
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} [o]
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
export function run(cmd, args, o = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: o.cwd,
      env: o.env ?? { ...process.env, LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    /** @type {Buffer[]} */
    const out = []
    /** @type {Buffer[]} */
    const err = []
    child.stdout.on('data', (/** @type {Buffer} */ b) => out.push(b))
    child.stderr.on('data', (/** @type {Buffer} */ b) => err.push(b))
    const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs) : undefined
    child.on('error', (e) => {
      if (timer) clearTimeout(timer)
      resolve({ code: -1, stdout: '', stderr: String(e) })
    })
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + (signal ? `\n(killed by ${signal})` : '')
      })
    })
  })
}

// ---------------------------------------------------------------------------------------------
// command line

async function main() {
  const argv = process.argv.slice(2)
  const profile = argv.includes('--profile')
  const json = argv.includes('--json')
  const rest = argv.filter((a) => !a.startsWith('--'))
  if (rest.length !== 1 || argv.includes('--help')) {
    process.stderr.write(
      'usage: node test/support/nsys/fetch-nsys.mjs [--profile] [--json] 2022.4|2023.4|all\n' +
        'Downloads Nsight Systems from Debian non-free into the nsys-bench cache and prints the nsys path.\n'
    )
    return rest.length === 1 ? 0 : 1
  }
  const versions = rest[0] === 'all' ? NSYS_VERSIONS : [/** @type {NsysVersion} */ (rest[0])]
  let code = 0
  for (const v of versions) {
    const r = await ensureNsys(v, {
      profile,
      log: (l) => process.stderr.write(`[fetch-nsys] ${l}\n`)
    })
    if ('skipped' in r) {
      process.stderr.write(`[fetch-nsys] nsys ${v} skipped: ${r.skipped}\n`)
      code = 2
    } else {
      process.stdout.write(json ? JSON.stringify(r) + '\n' : r.nsys + '\n')
    }
  }
  return code
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (/** @type {unknown} */ err) => {
      process.stderr.write(
        `[fetch-nsys] error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
      )
      process.exit(1)
    }
  )
}
