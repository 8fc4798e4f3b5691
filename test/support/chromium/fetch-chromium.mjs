#!/usr/bin/env node
// @ts-check
/**
 * Download and unpack Debian's headless Chromium (`chromium-headless-shell`), for the browser tests
 * of the HTML report. Never a browser download from anywhere else: the package comes from the
 * machine's Debian mirror, like Nsight Systems (test/support/nsys/fetch-nsys.mjs, whose private
 * apt configuration, lock and unpacking this reuses).
 *
 *   node test/support/chromium/fetch-chromium.mjs [--json]
 *
 * prints the absolute path of the browser (or the install as JSON). Exit 0 = ready, 2 = skipped
 * (reason on stderr: no apt-get, mirror unreachable, not linux/x86-64), 1 = a bug.
 *
 * The libraries the browser needs and this machine lacks are found with `ldd` (on the browser,
 * then on each library fetched, until nothing is missing) and fetched from Debian too, by the
 * package name Debian's policy gives a soname (libFLAC.so.12: libflac12; libopenh264.so.7:
 * libopenh264-7), with a table of the exceptions. A font package (DejaVu) is fetched as well and
 * is the only font the browser sees (a private fontconfig file), so that screenshots look the same
 * on every machine.
 *
 * Cache layout (`$NSYS_BENCH_CACHE`, else `${XDG_CACHE_HOME:-$HOME/.cache}/nsys-bench`):
 *
 *   chromium/apt-main/          private apt state (lists, archives, status)
 *   chromium/install/           the unit: browser/ (the packages), lib/, fonts/, fonts.conf
 *   chromium/tmp/               the unit under construction
 *   chromium/.lock/             held while downloading/unpacking
 *
 * The unit is built in tmp/ and renamed into place, so an install that exists is complete; a warm
 * call (the unit present) takes no lock and touches no network.
 */

import fsp from 'node:fs/promises'
import path from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import {
  AptContext,
  debField,
  defaultCacheDir,
  exists,
  isFile,
  missingLibs,
  readMarker,
  run,
  SkipError,
  tail,
  unpack,
  withLock,
  writeMarker
} from '../nsys/fetch-nsys.mjs'

/**
 * @typedef {object} ChromiumInstall
 * @property {string} executablePath  the browser binary
 * @property {string} debVersion      e.g. '150.0.7871.100-1~deb12u1'
 * @property {string[]} libraries     Debian packages fetched for libraries this machine lacked
 * @property {Record<string, string>} env  extra environment for the browser (LD_LIBRARY_PATH, FONTCONFIG_FILE)
 */
/**
 * @typedef {object} EnsureOptions
 * @property {string} [cacheDir]   override the cache directory
 * @property {(line: string) => void} [log]  progress messages (default: silent)
 */

const PACKAGE = 'chromium-headless-shell'
/** Its dependency of the same version: ICU data, V8 snapshots, resources, SwiftShader. */
const COMMON_PACKAGE = 'chromium-common'
/** What the headless browser never loads (a Vulkan validation layer and a mock driver: 23 MB). */
const COMMON_PRUNE = /^(libVkLayer_khronos_validation|libVkICD_mock_icd)\.so/
const BINARY = path.join('usr', 'lib', 'chromium', 'chromium-headless-shell')
const FONT_PACKAGE = 'fonts-dejavu-core'
/** How many times ldd is asked again after fetching libraries (each round: their own needs). */
const ROUNDS = 8

/**
 * Sonames whose Debian package is not the one the naming policy gives (`libfoo.so.N`: `libfooN`,
 * `libfoo-N` when the name ends in a digit).
 */
const EXCEPTIONS = /** @type {Record<string, string>} */ ({
  'libasound.so.2': 'libasound2',
  'libatk-1.0.so.0': 'libatk1.0-0',
  'libatk-bridge-2.0.so.0': 'libatk-bridge2.0-0',
  'libatspi.so.0': 'libatspi2.0-0',
  'libbrotlicommon.so.1': 'libbrotli1',
  'libbrotlidec.so.1': 'libbrotli1',
  'libgcc_s.so.1': 'libgcc-s1',
  'libgio-2.0.so.0': 'libglib2.0-0',
  'libglib-2.0.so.0': 'libglib2.0-0',
  'libgmodule-2.0.so.0': 'libglib2.0-0',
  'libgobject-2.0.so.0': 'libglib2.0-0',
  'libharfbuzz.so.0': 'libharfbuzz0b',
  'libjpeg.so.62': 'libjpeg62-turbo',
  'libnspr4.so': 'libnspr4',
  'libnss3.so': 'libnss3',
  'libnssutil3.so': 'libnss3',
  'libplc4.so': 'libnspr4',
  'libplds4.so': 'libnspr4',
  'libsmime3.so': 'libnss3',
  'libvorbis.so.0': 'libvorbis0a',
  'libz.so.1': 'zlib1g'
})

/**
 * The Debian package that ships a shared library, by the policy's naming rule or the exceptions.
 * @param {string} soname
 * @returns {string | undefined}
 */
export function debianPackageOf(soname) {
  if (Object.hasOwn(EXCEPTIONS, soname)) return EXCEPTIONS[soname]
  const match = /^(lib[A-Za-z0-9_+.-]+?)\.so\.(\d+)$/.exec(soname)
  if (!match) return undefined
  const name = String(match[1]).toLowerCase().replace(/_/g, '-')
  return /\d$/.test(name) ? `${name}-${match[2]}` : `${name}${match[2]}`
}

/** @type {Map<string, Promise<ChromiumInstall | { skipped: string }>>} */
const inFlight = new Map()

/**
 * The browser, downloaded on the first call and cached; `{ skipped }` only when it cannot be had
 * on this machine (no apt-get, mirror unreachable, not linux/x86-64); throws on bugs.
 * @param {EnsureOptions} [opts]
 * @returns {Promise<ChromiumInstall | { skipped: string }>}
 */
export function ensureChromium(opts = {}) {
  const key = defaultCacheDir(opts)
  let p = inFlight.get(key)
  if (!p) {
    p = ensureUncached(opts).catch((/** @type {unknown} */ err) => {
      if (err instanceof SkipError) return { skipped: err.message }
      throw err
    })
    inFlight.set(key, p)
    p.then(
      (r) => ('skipped' in r ? inFlight.delete(key) : undefined),
      () => inFlight.delete(key)
    )
  }
  return p
}

/**
 * @param {EnsureOptions} opts
 * @returns {Promise<ChromiumInstall>}
 */
async function ensureUncached(opts) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SkipError(
      `Debian's ${PACKAGE} is fetched for linux/x64 only (this is ${process.platform}/${process.arch}).`
    )
  }
  const cache = path.join(defaultCacheDir(opts), 'chromium')
  const root = path.join(cache, 'install')
  const warm = await readInstall(root)
  if (warm) return warm
  if (process.env.NSYS_BENCH_OFFLINE === '1') {
    throw new SkipError(
      `NSYS_BENCH_OFFLINE=1 and Chromium is not in the cache ${cache}; unset it to download.`
    )
  }
  const log = opts.log ?? (() => {})
  await fsp.mkdir(cache, { recursive: true })
  return withLock(cache, log, async () => {
    const again = await readInstall(root)
    if (again) return again
    await build(cache, root, log)
    const done = await readInstall(root)
    if (!done) throw new Error(`Chromium: install finished but ${root} is incomplete`)
    return done
  })
}

/**
 * Warm path: only stat()s and a small JSON read.
 * @param {string} root
 * @returns {Promise<ChromiumInstall | undefined>}
 */
async function readInstall(root) {
  const marker = await readMarker(root)
  const executablePath = path.join(root, 'browser', BINARY)
  if (!marker || !(await isFile(executablePath))) return undefined
  const libDir = path.join(root, 'lib')
  const previous = process.env.LD_LIBRARY_PATH
  return {
    executablePath,
    debVersion: String(marker.debVersion),
    libraries: Array.isArray(marker.libraries) ? marker.libraries.map(String) : [],
    env: {
      LD_LIBRARY_PATH: previous ? `${libDir}:${previous}` : libDir,
      FONTCONFIG_FILE: path.join(root, 'fonts.conf')
    }
  }
}

/**
 * @param {string} cache
 * @param {string} root
 * @param {(line: string) => void} log
 */
async function build(cache, root, log) {
  const tmpRoot = path.join(cache, 'tmp')
  await fsp.rm(tmpRoot, { recursive: true, force: true }) // a killed builder's leftovers (we hold the lock)
  await fsp.mkdir(tmpRoot, { recursive: true })
  const apt = await AptContext.create(cache)
  const unit = path.join(tmpRoot, 'install')
  const work = path.join(tmpRoot, 'work')
  await fsp.mkdir(work, { recursive: true })

  const deb = await apt.download('main', `${PACKAGE}/${apt.mainSuite}`, work, log)
  const debVersion = await debField(deb, 'Version')
  await unpack(deb, path.join(unit, 'browser'), log)
  const binary = path.join(unit, 'browser', BINARY)
  if (!(await isFile(binary))) {
    throw new Error(`${path.basename(deb)} does not contain ${BINARY} (layout changed?)`)
  }
  const common = await apt.download('main', `${COMMON_PACKAGE}/${apt.mainSuite}`, work, log)
  const commonVersion = await debField(common, 'Version')
  if (commonVersion !== debVersion) {
    throw new SkipError(
      `${COMMON_PACKAGE} is ${commonVersion} but ${PACKAGE} is ${debVersion} on ${apt.uri}: the mirror is mid-update, try again later.`
    )
  }
  await unpack(common, path.join(unit, 'browser'), log)
  const browserDir = path.dirname(binary)
  for (const name of await fsp.readdir(browserDir)) {
    if (COMMON_PRUNE.test(name)) await fsp.rm(path.join(browserDir, name), { force: true })
  }
  await fsp.rm(path.join(unit, 'browser', 'usr', 'share', 'doc'), { recursive: true, force: true })
  const bundled = (await fsp.readdir(browserDir))
    .filter((name) => /\.so(\.\d+)*$/.test(name))
    .map((name) => path.join(browserDir, name))

  // Libraries: ask ldd, fetch what is missing, ask again about what was fetched.
  const libDir = path.join(unit, 'lib')
  await fsp.mkdir(libDir)
  const env = { LD_LIBRARY_PATH: libDir }
  /** @type {string[]} */
  const fetched = []
  for (let round = 0; ; round++) {
    const missing = new Set(await missingLibs(binary, env))
    for (const file of bundled) for (const so of await missingLibs(file, env)) missing.add(so)
    for (const file of await fsp.readdir(libDir)) {
      for (const so of await missingLibs(path.join(libDir, file), env)) missing.add(so)
    }
    if (missing.size === 0) break
    if (round === ROUNDS) {
      throw new SkipError(
        `Chromium still lacks ${[...missing].join(', ')} after ${ROUNDS} rounds of fetching libraries from Debian.`
      )
    }
    for (const soname of [...missing].sort()) {
      const pkg = debianPackageOf(soname)
      if (!pkg || fetched.includes(pkg)) {
        throw new SkipError(
          `Chromium needs ${soname}, which ${pkg ? `Debian's ${pkg} did not provide` : 'this helper cannot map to a Debian package'}: install it with apt.`
        )
      }
      const x = path.join(work, `x-${pkg}`)
      await unpack(await apt.download('main', `${pkg}/${apt.mainSuite}`, work, log), x, log)
      await copyLibraries(x, libDir)
      fetched.push(pkg)
    }
  }

  // Fonts: one known family, and nothing else (a private fontconfig file).
  const fonts = path.join(work, `x-${FONT_PACKAGE}`)
  await unpack(
    await apt.download('main', `${FONT_PACKAGE}/${apt.mainSuite}`, work, log),
    fonts,
    log
  )
  const fontDir = path.join(fonts, 'usr', 'share', 'fonts', 'truetype', 'dejavu')
  if (!(await exists(fontDir)))
    throw new Error(`${FONT_PACKAGE} has no ${fontDir} (layout changed?)`)
  await fsp.rename(fontDir, path.join(unit, 'fonts'))
  await fsp.writeFile(path.join(unit, 'fonts.conf'), fontsConf(root))

  // The browser starts: a broken unpack fails here, not in every test.
  const probe = await run(binary, ['--version'], {
    env: { ...process.env, ...env, FONTCONFIG_FILE: path.join(unit, 'fonts.conf') },
    timeoutMs: 60_000
  })
  if (probe.code !== 0 && /error while loading shared libraries/.test(probe.stderr)) {
    throw new SkipError(`Chromium does not start: ${tail(probe.stderr)}`)
  }
  await writeMarker(unit, {
    package: PACKAGE,
    suite: apt.mainSuite,
    debVersion,
    libraries: fetched
  })
  await fsp.rm(root, { recursive: true, force: true })
  await fsp.rename(unit, root)
  await fsp.rm(tmpRoot, { recursive: true, force: true })
  log(
    `Chromium ${debVersion} unpacked in ${root}${fetched.length ? ` with ${fetched.join(', ')}` : ''}`
  )
}

/**
 * The fontconfig file: the fetched fonts only, and a cache of its own (paths of the final unit).
 * @param {string} root
 */
function fontsConf(root) {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>${path.join(root, 'fonts')}</dir>
  <cachedir>${path.join(root, 'fontconfig-cache')}</cachedir>
</fontconfig>
`
}

/**
 * Every shared library under usr/lib/<triplet> and lib/<triplet> of an unpacked package, also in
 * subfolders (libpulse0 keeps libpulsecommon in pulseaudio/), into one flat folder.
 * @param {string} unpacked
 * @param {string} out
 */
async function copyLibraries(unpacked, out) {
  for (const dir of ['usr/lib/x86_64-linux-gnu', 'lib/x86_64-linux-gnu']) {
    const from = path.join(unpacked, dir)
    if (!(await exists(from))) continue
    for (const entry of await fsp.readdir(from, { withFileTypes: true, recursive: true })) {
      if (!/\.so(\.|$)/.test(entry.name) || entry.isDirectory()) continue
      const source = path.join(entry.parentPath, entry.name)
      const target = path.join(out, entry.name)
      if (await exists(target)) continue
      if (entry.isSymbolicLink()) await fsp.symlink(await fsp.readlink(source), target)
      else await fsp.copyFile(source, target)
    }
  }
}

async function main() {
  const json = process.argv.includes('--json')
  const r = await ensureChromium({ log: (l) => process.stderr.write(`[fetch-chromium] ${l}\n`) })
  if ('skipped' in r) {
    process.stderr.write(`[fetch-chromium] skipped: ${r.skipped}\n`)
    return 2
  }
  process.stdout.write(json ? `${JSON.stringify(r)}\n` : `${r.executablePath}\n`)
  return 0
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (/** @type {unknown} */ err) => {
      process.stderr.write(
        `[fetch-chromium] error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
      )
      process.exit(1)
    }
  )
}
