import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inputBytes, LARGE_INPUT_BYTES, largeInputs } from '../../src/cli/large-inputs.js'
import {
  capYoungGeneration,
  SEMI_SPACE_CAP,
  type YoungGeneration
} from '../../src/cli/young-generation.js'
import { ROOT } from '../support/paths.js'

/** A young generation that grows through `sizes` (bytes), one size a look. */
function fakeYoungGeneration(sizes: (number | undefined)[]) {
  const calls = { checks: 0, freezes: 0, stopped: false }
  let check: (() => void) | undefined
  const young: YoungGeneration = {
    reached: (bytes) => {
      const size = sizes[Math.min(calls.checks, sizes.length - 1)]
      calls.checks += 1
      return size === undefined ? undefined : size >= bytes
    },
    freeze: () => {
      calls.freezes += 1
    },
    poll: (f) => {
      check = f
      return () => {
        calls.stopped = true
      }
    }
  }
  // The poll's timer firing.
  const tick = (): void => check?.()
  return { young, calls, tick, polled: () => check !== undefined }
}

const MB = 2 ** 20

describe('the young generation is held at 8 MB semi-spaces', () => {
  it('freezes its growth once it reaches the cap, and stops looking', () => {
    const fake = fakeYoungGeneration([2 * MB, 4 * MB, 8 * MB, 16 * MB, 32 * MB])
    expect(capYoungGeneration({ execArgv: [], env: {} }, fake.young)).toBeTypeOf('function')
    for (let i = 0; i < 3; i++) fake.tick()
    // 8 MB: one semi-space of 4 MB each, under the cap.
    expect(fake.calls).toEqual({ checks: 3, freezes: 0, stopped: false })
    fake.tick()
    expect(fake.calls).toEqual({ checks: 4, freezes: 1, stopped: true })
    expect(SEMI_SPACE_CAP).toBe(8 * MB)
    fake.tick()
    expect(fake.calls.checks).toBe(4)
  })

  it('looks too when long synchronous work calls it, at most every 5 ms', () => {
    const fake = fakeYoungGeneration([4 * MB, 8 * MB, 16 * MB])
    let clock = 1000
    const progress = capYoungGeneration({ execArgv: [], env: {} }, fake.young, () => clock)!
    // The timer never fires (the thread is busy): the work's calls look.
    progress()
    expect(fake.calls.checks).toBe(1)
    clock += 4
    progress()
    expect(fake.calls.checks).toBe(1)
    clock += 1
    progress()
    expect(fake.calls).toEqual({ checks: 2, freezes: 0, stopped: false })
    clock += 5
    progress()
    expect(fake.calls).toEqual({ checks: 3, freezes: 1, stopped: true })
    // Held: no more looks, by the work or the timer.
    clock += 50
    progress()
    fake.tick()
    expect(fake.calls.checks).toBe(3)
  })

  it('stops looking, changing nothing, where V8 does not say', () => {
    const fake = fakeYoungGeneration([undefined])
    capYoungGeneration({ execArgv: [], env: {} }, fake.young)
    fake.tick()
    expect(fake.calls).toEqual({ checks: 1, freezes: 0, stopped: true })
  })

  it("leaves it to a flag of the user's that sizes it or the heap, in Node's arguments or NODE_OPTIONS", () => {
    for (const flag of [
      '--max-semi-space-size=16',
      '--max_semi_space_size=4',
      '--min-semi-space-size=2',
      '--semi-space-growth-factor=4',
      '--max-heap-size=4096'
    ]) {
      const given = fakeYoungGeneration([64 * MB])
      expect(capYoungGeneration({ execArgv: [flag], env: {} }, given.young), flag).toBeUndefined()
      expect(given.polled(), flag).toBe(false)
      const options = fakeYoungGeneration([64 * MB])
      expect(
        capYoungGeneration({ execArgv: [], env: { NODE_OPTIONS: `--foo ${flag}` } }, options.young),
        flag
      ).toBeUndefined()
      expect(options.polled(), flag).toBe(false)
    }
    // Other flags are no reason to leave it.
    const other = fakeYoungGeneration([64 * MB])
    expect(
      capYoungGeneration(
        { execArgv: ['--trace-warnings'], env: { NODE_OPTIONS: '--max-old-space-size=8192' } },
        other.young
      )
    ).toBeTypeOf('function')
    other.tick()
    expect(other.calls.freezes).toBe(1)
  })
})

describe('a command is large by the files its arguments name', () => {
  it('counts a file, a folder and its folders to two levels, nothing else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-inputs-'))
    writeFileSync(join(dir, 'a.csv'), 'x'.repeat(1000))
    mkdirSync(join(dir, 'run0', 'deeper'), { recursive: true })
    writeFileSync(join(dir, 'run0', 'b.csv'), 'x'.repeat(300))
    // Three levels down: not looked at.
    writeFileSync(join(dir, 'run0', 'deeper', 'c.csv'), 'x'.repeat(50))
    expect(inputBytes(join(dir, 'a.csv'))).toBe(1000)
    expect(inputBytes(join(dir, 'run0'))).toBe(350)
    expect(inputBytes(dir)).toBe(1300)
    expect(inputBytes(join(dir, 'missing'))).toBe(0)
    expect(inputBytes('--format')).toBe(0)
    expect(inputBytes('/dev/null')).toBe(0)
  })

  it('is large from LARGE_INPUT_BYTES in all its arguments', () => {
    const sizes: Record<string, number> = {
      base: LARGE_INPUT_BYTES / 2,
      head: LARGE_INPUT_BYTES / 2
    }
    const bytesOf = (path: string): number => sizes[path] ?? 0
    expect(largeInputs(['compare', 'base', 'head', '--format', 'json'], bytesOf)).toBe(true)
    sizes.head = LARGE_INPUT_BYTES / 2 - 1
    expect(largeInputs(['compare', 'base', 'head', '--format', 'json'], bytesOf)).toBe(false)
    // A real file of the size (sparse: its size is what counts).
    const file = join(mkdtempSync(join(tmpdir(), 'nsys-bench-inputs-')), 'trace.csv')
    writeFileSync(file, '')
    truncateSync(file, LARGE_INPUT_BYTES)
    expect(largeInputs(['summarize', file])).toBe(true)
    expect(largeInputs(['summarize', join(ROOT, 'package.json')])).toBe(false)
  })

  it("the bundle holds a large compare's young generation, with the same output", () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-young-'))
    // A preload that says, at its exit, the largest young generation it saw (its two semi-spaces).
    const probe = join(dir, 'probe.mjs')
    const seen = join(dir, 'seen.json')
    writeFileSync(
      probe,
      [
        "import { writeFileSync } from 'node:fs'",
        "import v8 from 'node:v8'",
        'let largest = 0',
        "const look = () => { largest = Math.max(largest, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size) }",
        'setInterval(look, 2).unref()',
        `process.on('exit', () => { look(); writeFileSync(${JSON.stringify(seen)}, JSON.stringify(largest)) })`,
        ''
      ].join('\n')
    )
    // 20,000 kernels a side, 5 MB each: together over LARGE_INPUT_BYTES.
    const header =
      'Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name\n'
    const row = (i: number): string =>
      `0.0,${1000 + i},1,${1000 + i}.0,${1000 + i}.0,${1000 + i},${1000 + i},0.0,"void k_${i}<float, ${'x'.repeat(200)}>(T1)"\n`
    const rows = Array.from({ length: 20_000 }, (_, i) => row(i)).join('')
    for (const side of ['base', 'head']) {
      mkdirSync(join(dir, side))
      writeFileSync(join(dir, side, `run_cuda_gpu_kern_sum.csv`), header + rows)
    }
    expect(largeInputs([join(dir, 'base'), join(dir, 'head')])).toBe(true)
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_OPTIONS: '',
      XDG_CACHE_HOME: join(dir, 'cache')
    }
    delete env.NODE_COMPILE_CACHE
    const run = (flags: string[]) => {
      const out = spawnSync(
        process.execPath,
        [
          ...flags,
          '--import',
          probe,
          join(ROOT, 'dist', 'cli.js'),
          'compare',
          join(dir, 'base'),
          join(dir, 'head'),
          '--format',
          'json'
        ],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 28,
          env
        }
      )
      expect(out.status, out.stderr).toBe(0)
      return { stdout: out.stdout, largest: JSON.parse(readFileSync(seen, 'utf8')) as number }
    }
    const held = run([])
    expect(held.largest).toBeLessThanOrEqual(2 * SEMI_SPACE_CAP)
    // The user's own growth factor (V8's default, 2): left alone, the same compare grows it
    // further (to 2 × 16 MB under Node 20, 2 × 64 MB under Node 24).
    const free = run(['--semi-space-growth-factor=2'])
    expect(free.largest).toBeGreaterThan(2 * SEMI_SPACE_CAP)
    expect(held.stdout).toBe(free.stdout)
    // The whole record, through a pipe, before the process ended (cli-main.ts).
    expect(JSON.parse(held.stdout)).toMatchObject({ kind: 'nsys-bench/comparison' })
    // A large command leaves no code cache: the flag it set makes V8 refuse it in the next
    // process (cli.ts).
    expect(existsSync(join(dir, 'cache'))).toBe(false)
    // A baseline of profile JSONs: the first is read cold, in one synchronous stretch of 100 ms
    // or more, in which the space would grow past the cap between two turns of the event loop.
    // The reader calls back every 1,024 rows, and the cap holds.
    const json = join(dir, 'base-json')
    mkdirSync(json)
    for (const run of ['run0', 'run1']) {
      const summary = spawnSync(
        process.execPath,
        [join(ROOT, 'dist', 'cli.js'), 'summarize', join(dir, 'base'), '--json'],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 28,
          env
        }
      )
      expect(summary.status, summary.stderr).toBe(0)
      writeFileSync(join(json, `${run}.json`), summary.stdout)
    }
    const fromJson = spawnSync(
      process.execPath,
      [
        '--import',
        probe,
        join(ROOT, 'dist', 'cli.js'),
        'compare',
        json,
        join(dir, 'head'),
        '--format',
        'json'
      ],
      { encoding: 'utf8', maxBuffer: 1 << 28, env }
    )
    expect(fromJson.status, fromJson.stderr).toBe(0)
    expect(JSON.parse(readFileSync(seen, 'utf8')) as number).toBeLessThanOrEqual(2 * SEMI_SPACE_CAP)
    // Three runs of the bundle on 10 MB: 9 s alone, over 30 s on two cores beside other test
    // files. A bound on a stuck run, not a speed check.
  }, 120_000)
})
