import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheDirectory, cacheSignature, loadScript } from '../../src/cli/code-cache.js'

const uid = process.getuid?.()

/** A CommonJS script: `value()` answers `answer`, from a function V8 compiles when first called. */
function script(dir: string, answer: number): string {
  const file = join(dir, 'script.cjs')
  // Enough code in the function that its compiled form shows in the cache's size.
  const body = Array.from({ length: 200 }, (_, i) => `  total += (x * ${i + 1}) % ${i + 7}`).join(
    '\n'
  )
  writeFileSync(
    file,
    `'use strict'\nfunction busy(x) {\n  let total = 0\n${body}\n  return total\n}\n` +
      `exports.busy = busy\nexports.value = () => ${answer}\n`
  )
  return file
}

type Exports = { value(): number; busy(x: number): number }

/**
 * The script under a name of its own, a hard link (the same file: the same size, time and inode,
 * so the same cache). V8 keeps what it compiled in this process by source and file name: under a
 * new name, it compiles the script again, from the cache file if it takes it.
 */
let links = 0
function fresh(file: string): string {
  const link = `${file}.${++links}.cjs`
  linkSync(file, link)
  return link
}

describe('cacheSignature', () => {
  it('names the command and its output format', () => {
    expect(cacheSignature(['compare', 'a', 'b'])).toBe('compare-text')
    expect(cacheSignature(['compare', 'a', 'b', '--format', 'json'])).toBe('compare-json')
    expect(cacheSignature(['compare', '--format=markdown', 'a', 'b'])).toBe('compare-markdown')
    expect(cacheSignature(['summarize', 'a', '--json'])).toBe('summarize-json')
    expect(cacheSignature(['demo', '--format', 'html'])).toBe('demo-html')
    expect(cacheSignature(['verdict', 'c.json'])).toBe('verdict-text')
    expect(cacheSignature(['--version'])).toBe('other-text')
    expect(cacheSignature([])).toBe('other-text')
    // Nothing of the user's reaches the file name but the names listed.
    expect(cacheSignature(['../../x', '--format', '../y'])).toBe('other-text')
    expect(cacheSignature(['compare', '--format'])).toBe('compare-text')
  })
})

describe('cacheDirectory', () => {
  const host = (env: Record<string, string>, home = '/home/u') => ({
    env,
    version: 'v24.1.0',
    arch: 'x64',
    home: () => {
      if (!home) throw new Error('no home')
      return home
    }
  })

  it("is a folder of the user's cache per Node, beside Node's own where the user chose one", () => {
    expect(cacheDirectory(host({}))).toBe('/home/u/.cache/nsys-bench/code-cache/v24.1.0-x64')
    expect(cacheDirectory(host({ XDG_CACHE_HOME: '/c' }))).toBe(
      '/c/nsys-bench/code-cache/v24.1.0-x64'
    )
    expect(cacheDirectory(host({ NODE_COMPILE_CACHE: '/n', XDG_CACHE_HOME: '/c' }))).toBe(
      '/n/nsys-bench-v24.1.0-x64'
    )
  })

  it("is none when Node's compile cache is turned off, or there is no home folder", () => {
    expect(
      cacheDirectory(host({ NODE_DISABLE_COMPILE_CACHE: '1', XDG_CACHE_HOME: '/c' }))
    ).toBeUndefined()
    expect(cacheDirectory(host({}, ''))).toBeUndefined()
  })
})

describe('loadScript', () => {
  it('writes the cache once the script has run, with the functions it called, and runs from it next time', () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-cc-'))
    const file = script(root, 1)
    // The same script, its function never called: the cache of a run that only loaded it.
    const idle = join(root, 'idle')
    const loadedOnly = loadScript<Exports>(fresh(file), idle, 'compare-json', uid)
    expect(loadedOnly.cache).toBe('absent')
    expect(loadedOnly.save()).toBe('written')
    const busy = join(root, 'busy')
    const first = loadScript<Exports>(fresh(file), busy, 'compare-json', uid)
    expect(first.cache).toBe('absent')
    expect(first.exports.value()).toBe(1)
    // An independent sum of what `busy` computes.
    let expected = 0
    for (let i = 0; i < 200; i++) expected += (3 * (i + 1)) % (i + 7)
    expect(first.exports.busy(3)).toBe(expected)
    expect(first.save()).toBe('written')
    const [idleFile] = readdirSync(idle)
    const [busyFile] = readdirSync(busy)
    expect(busyFile).toMatch(/^compare-json-[0-9a-f]{8}\.\d+-\d+-\d+\.v8$/)
    // The function compiled while the script ran is in the second cache, not in the first.
    expect(statSync(join(busy, busyFile!)).size).toBeGreaterThan(
      statSync(join(idle, idleFile!)).size + 1000
    )
    if (uid !== undefined) {
      expect(statSync(busy).mode & 0o777).toBe(0o700)
      expect(statSync(join(busy, busyFile!)).mode & 0o777).toBe(0o600)
    }
    const second = loadScript<Exports>(fresh(file), busy, 'compare-json', uid)
    expect(second.cache).toBe('accepted')
    expect(second.exports.busy(3)).toBe(expected)
    expect(second.save()).toBe('kept')
  })

  it('never runs the cache of another build, even of the same length', () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-cc-'))
    const dir = join(root, 'cache')
    const file = script(root, 1)
    const first = loadScript<Exports>(fresh(file), dir, 'compare-json', uid)
    first.exports.value()
    expect(first.save()).toBe('written')
    const [old] = readdirSync(dir)
    // Another build: the same number of bytes, another answer, a later modification time.
    script(root, 2)
    expect(readFileSync(file).length).toBe(statSync(file).size)
    const later = new Date(Date.now() + 5000)
    utimesSync(file, later, later)
    const rebuilt = loadScript<Exports>(fresh(file), dir, 'compare-json', uid)
    expect(rebuilt.cache).toBe('absent')
    expect(rebuilt.exports.value()).toBe(2)
    expect(rebuilt.save()).toBe('written')
    // The old build's cache is gone.
    expect(readdirSync(dir)).not.toContain(old)
    expect(readdirSync(dir)).toHaveLength(1)
    // Another command's cache, and another folder's (two checkouts run in turn), stay.
    const ours = old!.slice(0, old!.indexOf('.'))
    const hash = /^compare-json-([0-9a-f]{8})$/.exec(ours)?.[1]
    expect(hash).toBeDefined()
    const others = [
      'demo-html-00000000.1-2-3.v8',
      `compare-json-${hash === 'ffffffff' ? '00000000' : 'ffffffff'}.1-2-3.v8`
    ]
    for (const other of others) writeFileSync(join(dir, other), 'x')
    script(root, 3)
    const latest = new Date(Date.now() + 9000)
    utimesSync(file, latest, latest)
    const again = loadScript<Exports>(fresh(file), dir, 'compare-json', uid)
    expect(again.exports.value()).toBe(3)
    expect(again.save()).toBe('written')
    const names = readdirSync(dir)
    expect(names).toEqual(expect.arrayContaining(others))
    expect(names.filter((n) => n.startsWith(`${ours}.`))).toHaveLength(1)
    expect(names).toHaveLength(3)
  })

  it('keeps the folder bounded: the oldest caches of other folders go, as do dead partial files', () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-cc-'))
    const dir = join(root, 'cache')
    mkdirSync(dir, { mode: 0o700 })
    // Caches left by 60 bundles in other folders (checkouts long gone), the first the oldest.
    const start = Date.now() / 1000 - 10_000
    const left = Array.from({ length: 60 }, (_, i) => {
      const name = `compare-json-${i.toString(16).padStart(8, '0')}.1-2-3.v8`
      writeFileSync(join(dir, name), 'x')
      utimesSync(join(dir, name), start + i, start + i)
      return name
    })
    // A partial file of a process that died two hours ago, and one being written now.
    const dead = 'summarize-text-0000abcd.1-2-3.v8.123.partial'
    const live = 'summarize-text-0000abcd.1-2-3.v8.456.partial'
    writeFileSync(join(dir, dead), 'x')
    utimesSync(join(dir, dead), Date.now() / 1000 - 7200, Date.now() / 1000 - 7200)
    writeFileSync(join(dir, live), 'x')
    const file = script(root, 1)
    const loaded = loadScript<Exports>(fresh(file), dir, 'compare-json', uid)
    loaded.exports.value()
    expect(loaded.save()).toBe('written')
    const names = readdirSync(dir)
    // 48 caches: the one written and the 47 newest of the others.
    expect(names.filter((n) => n.endsWith('.v8'))).toHaveLength(48)
    expect(names).toEqual(expect.arrayContaining(left.slice(60 - 47)))
    for (const gone of left.slice(0, 60 - 47)) expect(names).not.toContain(gone)
    expect(names).not.toContain(dead)
    expect(names).toContain(live)
  })

  it('passes over a cache V8 refuses and writes it again', () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-cc-'))
    const dir = join(root, 'cache')
    const file = script(root, 7)
    expect(loadScript<Exports>(fresh(file), dir, 'other-text', uid).save()).toBe('written')
    const [name] = readdirSync(dir)
    writeFileSync(join(dir, name!), Buffer.alloc(4096, 0xab))
    const refused = loadScript<Exports>(fresh(file), dir, 'other-text', uid)
    expect(refused.cache).toBe('rejected')
    expect(refused.exports.value()).toBe(7)
    expect(refused.save()).toBe('written')
    expect(loadScript<Exports>(fresh(file), dir, 'other-text', uid).cache).toBe('accepted')
  })

  it("reads no cache from a folder others can write to, or another user's", () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-cc-'))
    const dir = join(root, 'cache')
    const file = script(root, 3)
    expect(loadScript<Exports>(fresh(file), dir, 'other-text', uid).save()).toBe('written')
    expect(loadScript<Exports>(fresh(file), dir, 'other-text', uid).cache).toBe('accepted')
    chmodSync(dir, 0o777)
    const open = loadScript<Exports>(fresh(file), dir, 'other-text', uid)
    expect(open.cache).toBe('absent')
    expect(open.exports.value()).toBe(3)
    expect(open.save()).toBe('failed')
    chmodSync(dir, 0o700)
    if (uid !== undefined)
      expect(loadScript<Exports>(fresh(file), dir, 'other-text', uid + 1).cache).toBe('absent')
    // No folder: nothing read or written.
    const off = loadScript<Exports>(fresh(file), undefined, 'other-text', uid)
    expect(off.cache).toBe('off')
    expect(off.save()).toBe('off')
  })

  it('fails quietly where the folder cannot be made', () => {
    const root = mkdtempSync(join(tmpdir(), 'nsys-bench-cc-'))
    const file = script(root, 4)
    const blocked = join(root, 'blocked')
    mkdirSync(blocked)
    writeFileSync(join(blocked, 'x'), '')
    const loaded = loadScript<Exports>(fresh(file), join(blocked, 'x', 'cache'), 'other-text', uid)
    expect(loaded.exports.value()).toBe(4)
    expect(loaded.save()).toBe('failed')
  })
})
