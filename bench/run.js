// npm run bench: time and peak memory of `nsys-bench summarize` and `compare` (the committed
// bundle, as users run it) on generated inputs of realistic and extreme size.
// Timings vary with the machine: compare ratios within one run, not numbers across machines.
import { spawnSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  writeFileSync,
  createWriteStream,
  readdirSync,
  readFileSync,
  existsSync
} from 'node:fs'
import { availableParallelism, homedir, tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import { checkGoals, goalTable } from './goals.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
// BENCH_CLI: another build to measure on the same inputs (e.g. the previous commit's dist/cli.js).
const CLI = process.env.BENCH_CLI ?? join(ROOT, 'dist', 'cli.js')
const RESULTS = join(ROOT, 'bench', 'results.json')
// The peers: pandas from Debian's python3-pandas, DuckDB's Node API from npm (installed on the
// first run into a cache folder, never into the project's node_modules).
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3'
const DUCKDB_VERSION = '1.5.6-r.1'
const PEERS =
  process.env.NSYS_BENCH_PEERS ??
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'nsys-bench', 'peers')
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3)

// Deterministic pseudo-random numbers (mulberry32: 32-bit integer steps, exact in JavaScript).
// The linear congruence used before multiplied past 2^53 in doubles, lost bits and fell into a
// cycle of about 16,000 values: 20,000 generated kernels had 5,232 distinct totals.
let seed = 42
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const SUM_HEADER = (calls, name) =>
  `Time (%),Total Time (ns),${calls},Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),${name}`

/**
 * Rows as nsys prints them: sorted by total time, largest first, and consistent the way every
 * real row is (min ≤ avg ≤ max, avg × n = total, a deviation within the range, shares of the
 * listed total that add up to 100). An item keeps its launch count and typical duration from run
 * to run (traitsOf) and each run adds a little noise, as the runs of one benchmark do: the rows of
 * two runs come in nearly, not exactly, the same order.
 */
function rows(names, scale, calls) {
  const data = names.map((name) => {
    const { n, typical } = traitsOf(name)
    const avg = Math.round(typical * (0.98 + random() * 0.04) * scale)
    const total = n * avg
    const spread = n === 1 ? 0 : Math.round(avg * 0.1)
    return { name, n, avg, total, min: avg - spread, max: avg + 2 * spread, sd: spread / 2 }
  })
  data.sort((a, b) => b.total - a.total)
  const sum = data.reduce((a, r) => a + r.total, 0)
  return data.map((r) => {
    const quoted = r.name.includes(',') ? `"${r.name}"` : r.name
    const share = ((r.total * 100) / sum).toFixed(1)
    return `${share},${r.total},${r.n},${r.avg.toFixed(1)},${r.avg.toFixed(1)},${r.min},${r.max},${r.sd.toFixed(1)},${calls === 'Style' ? 'PushPop,' : ''}${quoted}`
  })
}

/** What stays the same for an item in every run: its launches and its typical duration. */
const TRAITS = new Map()
function traitsOf(name) {
  let traits = TRAITS.get(name)
  if (!traits) {
    traits = { n: 1 + Math.floor(random() * 1000), typical: 1000 + random() * 100000 }
    TRAITS.set(name, traits)
  }
  return traits
}

const kernelName = (i) =>
  `void at::native::elementwise_kernel<128, ${i % 8}, at::native::gpu_kernel_impl<at::native::kernel_${i}<c10::BFloat16, float>>(at::TensorIteratorBase&, const at::native::BinaryFunctor<c10::BFloat16, c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float>>&)::{lambda(int)#1}>(int, T3)`

function writeRun(dir, base, size, slow) {
  const kernels = Array.from({ length: size.kernels }, (_, i) => kernelName(i))
  const files = {
    cuda_gpu_kern_sum: [SUM_HEADER('Instances', 'Name'), ...rows(kernels, slow, 'Instances')],
    cuda_api_sum: [
      SUM_HEADER('Num Calls', 'Name'),
      ...rows(
        Array.from({ length: size.api }, (_, i) => `cudaApiCall${i}_v7000`),
        1,
        'Num Calls'
      )
    ],
    cuda_gpu_mem_time_sum: [
      SUM_HEADER('Count', 'Operation'),
      ...rows(
        [
          '[CUDA memcpy Host-to-Device]',
          '[CUDA memcpy Device-to-Host]',
          '[CUDA memcpy Device-to-Device]',
          '[CUDA memset]'
        ],
        1,
        'Count'
      )
    ],
    cuda_gpu_mem_size_sum: [
      'Total (MB),Count,Avg (MB),Med (MB),Min (MB),Max (MB),StdDev (MB),Operation',
      '134.222,2,67.111,67.111,0.004,134.218,94.903,[CUDA memcpy Host-to-Device]',
      '1.049,1,1.049,1.049,1.049,1.049,0.000,[CUDA memcpy Device-to-Device]'
    ],
    nvtx_sum: [
      SUM_HEADER('Instances', 'Style,Range'),
      ...rows(
        Array.from({ length: size.nvtx }, (_, i) => `vllm:layer_${i}, forward`),
        1,
        'Style'
      )
    ],
    osrt_sum: [
      SUM_HEADER('Num Calls', 'Name'),
      ...rows(
        Array.from({ length: 100 }, (_, i) => `syscall_${i}`),
        1,
        'Num Calls'
      )
    ]
  }
  for (const [report, lines] of Object.entries(files))
    writeFileSync(join(dir, `${base}_${report}.csv`), `${lines.join('\n')}\n`)
}

async function writeTrace(path, rows) {
  const out = createWriteStream(path)
  out.write(
    'Start (ns),Duration (ns),CorrId,GrdX,GrdY,GrdZ,BlkX,BlkY,BlkZ,Reg/Trd,StcSMem (MB),DymSMem (MB),Bytes (MB),Throughput (MB/s),SrcMemKd,DstMemKd,Device,Ctx,GreenCtx,Strm,Name\n'
  )
  let chunk = ''
  for (let i = 0; i < rows; i++) {
    chunk += `${1e9 + i * 3000},${1000 + (i % 977)},${i},108,1,1,256,1,1,32,0.000,0.049,,,,,NVIDIA H100 80GB HBM3 (0),1,,7,"${kernelName(i % 2000)}"\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
}

/**
 * A PyTorch profiler trace as Kineto writes it (object form, pretty-printed events, µs with 3
 * decimals): per launch a CPU operator, its cudaLaunchKernel, the flow events and the kernel with
 * Kineto's args, over 2,000 kernel names; `bytes` of it, roughly.
 */
async function writeChromeTrace(path, bytes) {
  const out = createWriteStream(path)
  out.write(
    '{\n  "schemaVersion": 1,\n  "deviceProperties": [{"id": 0, "name": "NVIDIA H100 80GB HBM3", "totalGlobalMem": 85029158912, "computeMajor": 9, "computeMinor": 0, "numSms": 132}],\n  "distributedInfo": {"backend": "nccl", "rank": 0, "world_size": 8},\n  "traceEvents": [\n'
  )
  let written = 0
  let chunk = ''
  let ts = 1712195495505543
  for (let i = 0; written < bytes; i++) {
    const corr = 100000 + i
    const name = kernelName(i % 2000)
    ts += 5
    chunk +=
      `  {"ph": "X", "cat": "cpu_op", "name": "aten::mul", "pid": 1102, "tid": 1102, "ts": ${ts}.123, "dur": 12.345, "args": {"External id": ${i}, "Record function id": 0, "Sequence number": ${i}, "Fwd thread id": 0, "Ev Idx": ${i}, "Input Dims": [[4096, 4096], [4096, 4096]], "Input type": ["c10::BFloat16", "c10::BFloat16"]}},\n` +
      `  {"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 1102, "tid": 1102, "ts": ${ts + 1}.5, "dur": 4.25, "args": {"External id": ${i}, "cbid": 211, "correlation": ${corr}}},\n` +
      `  {"ph": "s", "id": ${corr}, "pid": 1102, "tid": 1102, "ts": ${ts + 1}.5, "cat": "ac2g", "name": "ac2g"},\n` +
      `  {"ph": "X", "cat": "kernel", "name": "${name}", "pid": 0, "tid": 7, "ts": ${ts + 3}.75, "dur": ${1 + (i % 977)}.${String(i % 1000).padStart(3, '0')}, "args": {"External id": ${i}, "queued": 0, "device": 0, "context": 1, "stream": 7, "correlation": ${corr}, "registers per thread": 32, "shared memory": 0, "blocks per SM": 1.939394, "warps per SM": 15.515152, "grid": [256, 1, 1], "block": [256, 1, 1], "est. achieved occupancy %": 24}},\n` +
      `  {"ph": "f", "id": ${corr}, "pid": 0, "tid": 7, "ts": ${ts + 3}.75, "cat": "ac2g", "name": "ac2g", "bp": "e"},\n`
    if (chunk.length > 1 << 20) {
      written += chunk.length
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.write(chunk)
  out.end(
    `  {"name": "Record Window End", "ph": "i", "s": "g", "pid": "", "tid": "", "ts": ${ts + 10}}\n  ],\n  "traceName": "/tmp/libkineto_activities_1102.json",\n  "displayTimeUnit": "ms",\n  "baseTimeNanoseconds": 1727743122000000000\n}\n`
  )
  await once(out, 'finish')
}

/**
 * Runs a command under a small Python parent that times it and reads its peak RSS from
 * getrusage(RUSAGE_CHILDREN): the same measure for nsys-bench and for its peers.
 */
function once_(argv, env) {
  const result = spawnSync(
    'python3',
    [
      '-c',
      'import resource, subprocess, sys, time\n' +
        't = time.perf_counter()\n' +
        'r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n' +
        'ms = (time.perf_counter() - t) * 1000\n' +
        'sys.stderr.write(r.stderr.decode(errors="replace")[-2000:])\n' +
        'print(f"@@ms {ms} @@rss {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} @@code {r.returncode}")',
      ...argv
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, ...env } }
  )
  const match = /@@ms ([\d.]+) @@rss (\d+) @@code (-?\d+)/.exec(result.stdout ?? '')
  if (!match) throw new Error(`${argv.join(' ')}: could not be measured:\n${result.stderr}`)
  const code = Number(match[3])
  if (code !== 0 && code !== 1)
    throw new Error(`${argv.join(' ')} failed (${code}):\n${result.stderr}`)
  return { ms: Number(match[1]), rss: Number(match[2]) / 1024 }
}

/**
 * Measures commands side by side: REPEAT rounds, each running every command once in turn, so
 * that the machine's noise falls on all of them alike. Median time and largest RSS of each.
 */
function measure(commands) {
  const results = rounds(commands, REPEAT)
  // A build before (BENCH_BEFORE, always the second command) that reads as faster is measured
  // again against ours alone in more rounds: on a noisy machine one slow round in three moves a
  // median, and a scenario should not read as slower on that alone.
  const prior = results[1]
  if (BEFORE && commands[1]?.argv[1] === BEFORE && results[0].ms > RECHECK_ABOVE * prior.ms) {
    const [ours, again] = rounds(commands.slice(0, 2), RECHECK)
    prior.recheck = { rounds: RECHECK, ours: ours.ms, before: again.ms }
  }
  return results
}

/** Measures a scenario's commands again when ours is this much slower than BENCH_BEFORE. */
const RECHECK_ABOVE = 1.05
const RECHECK = Number(process.env.BENCH_RECHECK ?? 7)

/**
 * A goal that sets ours against DuckDB and falls within this fraction of its line in the REPEAT
 * rounds is measured again: the two commands alone, in RECHECK alternating rounds, and the goal
 * decided on those (bench/goals.js), either way. On this machine one slow round in three moves a
 * median by more than that.
 */
const CLOSE_CALL = 0.1

/** The two commands alone, in alternating rounds (RECHECK): `{ rounds, ours, other }`, medians. */
function paired(oursCommand, otherCommand, count = RECHECK) {
  const [a, b] = rounds([oursCommand, otherCommand], count)
  return { rounds: count, ours: a.ms, other: b.ms }
}

/**
 * Rounds of a small command against `node -e 0` (the realistic compare's goal): a tenth of a
 * second each, and Node's own start moves by half between two benches an hour apart on a shared
 * machine (docs/performance.md), so the two are set against each other in the same rounds.
 */
const SMALL_PAIRED = Number(process.env.BENCH_SMALL_PAIRED ?? 21)

function rounds(commands, count) {
  const times = commands.map(() => [])
  const rss = commands.map(() => 0)
  for (let round = 0; round < count; round++) {
    commands.forEach(({ argv, env }, i) => {
      const r = once_(argv, env)
      times[i].push(r.ms)
      rss[i] = Math.max(rss[i], r.rss)
    })
  }
  return commands.map((_, i) => {
    const sorted = times[i].sort((a, b) => a - b)
    return { ms: sorted[Math.floor(sorted.length / 2)], rss: rss[i] }
  })
}

/** Installs an npm package into `prefix` (once: callers check first), never into the project. */
function npmInstall(prefix, spec) {
  mkdirSync(prefix, { recursive: true })
  console.error(`installing ${spec} into ${prefix} (once)…`)
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--prefix',
      prefix,
      spec
    ],
    { encoding: 'utf8' }
  )
  if (npm.status !== 0) console.error(npm.stderr)
}

// BENCH_NODE: another Node to run nsys-bench (and the `node -e 0` baseline) with: a path, or a
// major version (`BENCH_NODE=24`: the action's Node), installed once from npm
// (`node-<platform>-<arch>`) into the peers' folder. The peers run with this script's Node.
function benchNode() {
  const wanted = process.env.BENCH_NODE
  if (wanted === undefined || wanted === '') return process.execPath
  if (!/^\d+$/.test(wanted)) return wanted
  const pkg = `node-${process.platform}-${process.arch}`
  const dir = join(PEERS, `node-${wanted}`)
  const bin = join(dir, 'node_modules', pkg, 'bin', 'node')
  if (!existsSync(bin)) npmInstall(dir, `${pkg}@${wanted}`)
  if (!existsSync(bin)) {
    console.error(
      `BENCH_NODE=${wanted}: ${pkg}@${wanted} could not be installed into ${dir} (see the npm output above)`
    )
    process.exit(2)
  }
  return bin
}
const NODE = benchNode()
const cli = (...args) => ({ argv: [NODE, CLI, ...args] })
// BENCH_BEFORE: an earlier build's dist/cli.js, measured in the same rounds (a paired ratio).
const BEFORE = process.env.BENCH_BEFORE
const before = (...args) => (BEFORE ? [{ argv: [NODE, BEFORE, ...args] }] : [])
const BEFORE_PEER = BEFORE ? ['before'] : []

function size(path) {
  const info = statSync(path)
  if (!info.isDirectory()) return info.size
  return readdirSync(path).reduce((n, f) => n + statSync(join(path, f)).size, 0)
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`

/** The peers that can run here: `{ pandas, duckdb }`, each a reason when it cannot. */
function peers() {
  const out = {}
  const pandas = spawnSync(PYTHON, ['-c', 'import pandas; print(pandas.__version__)'], {
    encoding: 'utf8'
  })
  out.pandas =
    pandas.status === 0
      ? { version: pandas.stdout.trim() }
      : {
          missing: `pandas is not importable by ${PYTHON} (install Debian's python3-pandas, or set BENCH_PYTHON)`
        }
  const module = join(PEERS, 'node_modules', '@duckdb', 'node-api', 'package.json')
  if (!existsSync(module)) npmInstall(PEERS, `@duckdb/node-api@${DUCKDB_VERSION}`)
  out.duckdb = existsSync(module)
    ? { version: JSON.parse(readFileSync(module, 'utf8')).version }
    : {
        missing: `@duckdb/node-api could not be installed into ${PEERS} (see the npm output above)`
      }
  return out
}

const PEER_DIR = join(ROOT, 'bench', 'peers')
const pandasCompare = (base, head) => ({
  argv: [PYTHON, join(PEER_DIR, 'compare.py'), base, head],
  // Debian's numpy with OPENBLAS_CORETYPE forced is slower than it need be; nothing here uses BLAS.
  env: { OPENBLAS_CORETYPE: '', OPENBLAS_L2_SIZE: '' }
})
const duckdb = (...args) => ({
  argv: [process.execPath, join(PEER_DIR, 'duckdb.mjs'), ...args],
  env: { NSYS_BENCH_PEERS: PEERS }
})

const ratio = (ours, peer) =>
  peer === undefined
    ? ''
    : ours <= peer
      ? `${(peer / ours).toFixed(2)}× faster`
      : `${(ours / peer).toFixed(2)}× slower`

async function main() {
  const save = process.argv.includes('--save')
  const available = peers()
  if (NODE !== process.execPath) {
    const version = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim()
    console.error(`nsys-bench runs with ${NODE} (BENCH_NODE), ${version}`)
  }
  for (const [name, p] of Object.entries(available))
    console.error(p.missing ? `peer ${name}: MISSING — ${p.missing}` : `peer ${name} ${p.version}`)
  const usable = (name) => !available[name].missing
  const work = mkdtempSync(join(tmpdir(), 'nsys-bench-bench-'))
  /** { id, name, input, ms, rss, peers: { pandas?: {ms, rss}, duckdb?: {ms, rss} } } */
  const results = []
  const record = (id, name, input, [ours, ...others], peerNames = []) => {
    const entry = { id, name, input, ms: ours.ms, rss: ours.rss, peers: {} }
    peerNames.forEach((p, i) => (entry.peers[p] = others[i]))
    results.push(entry)
  }
  try {
    const scenarios = [
      { id: 'realistic', name: 'realistic', kernels: 400, api: 60, nvtx: 200, runs: 1 },
      {
        id: 'realistic-5',
        name: 'realistic, 5 runs a side',
        kernels: 400,
        api: 60,
        nvtx: 200,
        runs: 5
      },
      { id: 'extreme', name: 'extreme', kernels: 20_000, api: 500, nvtx: 2_000, runs: 10 }
    ]
    record('node', 'node alone (-e 0)', '', measure([{ argv: [NODE, '-e', '0'] }]))
    record(
      'startup',
      'nsys-bench --version',
      '',
      measure([cli('--version'), ...before('--version')]),
      BEFORE_PEER
    )
    for (const s of scenarios) {
      const base = join(work, `${s.id}-base`)
      const head = join(work, `${s.id}-head`)
      mkdirSync(base)
      mkdirSync(head)
      for (let r = 0; r < s.runs; r++) {
        writeRun(base, `run${r}`, s, 1)
        writeRun(head, `run${r}`, s, 1.03)
      }
      // summarize reads one run: point it at one run's files.
      const one = join(work, `${s.id}-one`)
      mkdirSync(one)
      writeRun(one, 'run', s, 1)
      record(
        `summarize-${s.id}`,
        `summarize ${s.name}: ${s.kernels} kernels, 6 reports`,
        mb(size(one)),
        measure([cli('summarize', one, '--json'), ...before('summarize', one, '--json')]),
        BEFORE_PEER
      )
      for (const format of ['json', 'markdown']) {
        const args = ['compare', '--base', base, '--head', head, '--format', format, '--no-fail']
        // The peers write JSON: they stand beside the JSON figure.
        const withPeers = format === 'json' ? ['pandas', 'duckdb'].filter((p) => usable(p)) : []
        const commands = [
          cli(...args),
          ...before(...args),
          ...withPeers.map((p) =>
            p === 'pandas' ? pandasCompare(base, head) : duckdb('compare', base, head)
          )
        ]
        record(
          `compare-${s.id}-${format}`,
          `compare ${s.name} (${s.runs}+${s.runs} runs, ${format})`,
          mb(size(base) + size(head)),
          measure(commands),
          [...BEFORE_PEER, ...withPeers]
        )
        // The goal of 2× Node's start: the two again, in alternating rounds, decide it.
        if (s.id === 'realistic-5' && format === 'json')
          results.at(-1).pairedWith = {
            id: 'node',
            ...paired(cli(...args), { argv: [NODE, '-e', '0'] }, SMALL_PAIRED)
          }
      }
    }
    // The action's case: the baseline is profile JSONs (one a run, written by summarize --json).
    {
      const s = scenarios.find((x) => x.id === 'extreme')
      const profiles = join(work, 'extreme-base-json')
      mkdirSync(profiles)
      for (let r = 0; r < s.runs; r++) {
        const dir = join(work, `extreme-run${r}`)
        mkdirSync(dir)
        writeRun(dir, 'run', s, 1)
        const out = spawnSync(NODE, [CLI, 'summarize', dir, '--json'], {
          encoding: 'utf8',
          maxBuffer: 1 << 30
        })
        if (out.status !== 0) throw new Error(`summarize --json failed:\n${out.stderr}`)
        writeFileSync(join(profiles, `run${r}.json`), out.stdout)
        rmSync(dir, { recursive: true })
      }
      const head = join(work, 'extreme-head')
      const args = ['compare', '--base', profiles, '--head', head, '--format', 'json', '--no-fail']
      record(
        'compare-extreme-profile-json',
        `compare extreme, base as profile JSONs (${s.runs}+${s.runs} runs, json)`,
        mb(size(profiles) + size(head)),
        measure([cli(...args), ...before(...args)]),
        BEFORE_PEER
      )
      // Its goal (no slower than from CSV) sets two scenarios against each other, each measured
      // in rounds of its own above: the two again, in alternating rounds, decide it.
      const csvArgs = ['compare', '--base', join(work, 'extreme-base'), '--head', head]
      results.at(-1).pairedWith = {
        id: 'compare-extreme-json',
        ...paired(cli(...args), cli(...csvArgs, '--format', 'json', '--no-fail'))
      }
    }
    const rows = Number(process.env.BENCH_TRACE_ROWS ?? 2_000_000)
    const trace = join(work, 'big_cuda_gpu_trace.csv')
    await writeTrace(trace, rows)
    const withPeers = usable('duckdb') ? ['duckdb'] : []
    // Its goal (at least DuckDB's pace), when a close call: the two again, in alternating rounds.
    const againstDuckdb = (file) => {
      const r = results.at(-1)
      const peer = r.peers.duckdb
      if (peer && Math.abs(r.ms / peer.ms - 1) <= CLOSE_CALL)
        peer.paired = paired(cli('summarize', file, '--json'), duckdb('trace', file))
    }
    record(
      'summarize-trace',
      `summarize cuda_gpu_trace, ${rows.toLocaleString('en')} rows`,
      mb(size(trace)),
      measure([
        cli('summarize', trace, '--json'),
        ...before('summarize', trace, '--json'),
        ...withPeers.map(() => duckdb('trace', trace))
      ]),
      [...BEFORE_PEER, ...withPeers]
    )
    againstDuckdb(trace)
    // BENCH_TRACE_SCALING=1: the trace pass at 1, 5 and 10 million rows (about 0.23, 1.2 and
    // 2.3 GB), beside DuckDB's GROUP BY on the same file: MB/s and peak RSS at each size.
    if (process.env.BENCH_TRACE_SCALING === '1') {
      for (const millions of [1, 5, 10]) {
        const file = join(work, `scaling_${millions}m_cuda_gpu_trace.csv`)
        await writeTrace(file, millions * 1_000_000)
        record(
          `summarize-trace-${millions}m`,
          `summarize cuda_gpu_trace, ${millions} million rows`,
          mb(size(file)),
          measure([
            cli('summarize', file, '--json'),
            ...withPeers.map(() => duckdb('trace', file))
          ]),
          withPeers
        )
        againstDuckdb(file)
        const r = results.at(-1)
        const rate = (ms) => `${(size(file) / 1e6 / (ms / 1000)).toFixed(0)} MB/s`
        console.error(
          `trace ${millions}M rows: ${rate(r.ms)}, peak RSS ${r.rss.toFixed(0)} MB` +
            (r.peers.duckdb
              ? `; DuckDB ${rate(r.peers.duckdb.ms)}, ${r.peers.duckdb.rss.toFixed(0)} MB`
              : '')
        )
        rmSync(file)
      }
    }
    // A PyTorch profiler trace (issue 10's goal: ≥ 200 MB/s, peak RSS under 200 MB at any size),
    // beside HTA's approach (json.load + pandas) on the same file.
    const chromeMb = Number(process.env.BENCH_CHROME_MB ?? 300)
    const chrome = join(work, 'big.pt.trace.json')
    await writeChromeTrace(chrome, chromeMb * 1e6)
    const chromePeers = usable('pandas') ? ['pandas'] : []
    // BENCH_BEFORE too where that build reads Chrome traces (builds before issue 10 do not): a
    // small trace of the corpus tells.
    const beforeReadsTraces =
      BEFORE !== undefined &&
      spawnSync(
        NODE,
        [
          BEFORE,
          'summarize',
          join(
            ROOT,
            'test',
            'fixtures',
            'corpus',
            'traces',
            'HTA_tests-data_triton_example.json.gz'
          )
        ],
        { stdio: 'ignore' }
      ).status === 0
    record(
      'summarize-chrome-trace',
      `summarize a PyTorch profiler trace (${mb(size(chrome))})`,
      mb(size(chrome)),
      measure([
        cli('summarize', chrome, '--json'),
        ...(beforeReadsTraces ? before('summarize', chrome, '--json') : []),
        ...chromePeers.map(() => ({
          argv: [PYTHON, join(PEER_DIR, 'hta.py'), chrome],
          env: { OPENBLAS_CORETYPE: '', OPENBLAS_L2_SIZE: '' }
        }))
      ]),
      [...(beforeReadsTraces ? BEFORE_PEER : []), ...chromePeers]
    )
    const traceResult = results.at(-1)
    console.error(
      `Chrome trace: ${(size(chrome) / 1e6 / (traceResult.ms / 1000)).toFixed(0)} MB/s, peak RSS ${traceResult.rss.toFixed(0)} MB` +
        (traceResult.peers.pandas
          ? `; json.load + pandas: ${(size(chrome) / 1e6 / (traceResult.peers.pandas.ms / 1000)).toFixed(0)} MB/s, ${traceResult.peers.pandas.rss.toFixed(0)} MB`
          : '')
    )
  } finally {
    // BENCH_KEEP=1 keeps the generated inputs, to profile one scenario by hand.
    if (process.env.BENCH_KEEP === '1') console.error(`inputs kept in ${work}`)
    else rmSync(work, { recursive: true, force: true })
  }

  const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : undefined
  const committed = new Map((previous?.results ?? []).map((r) => [r.id, r]))
  const lines = [
    `| scenario | input | time (median of ${REPEAT}) | peak RSS | vs results.json (time, RSS) | pandas | DuckDB |${BEFORE ? ' BENCH_BEFORE |' : ''}`,
    `| --- | --: | --: | --: | --: | --: | --: |${BEFORE ? ' --: |' : ''}`
  ]
  for (const r of results) {
    const old = committed.get(r.id)
    const change = old ? `${(r.ms / old.ms).toFixed(2)}×, ${(r.rss / old.rss).toFixed(2)}×` : 'new'
    const peer = (name) => {
      const p = r.peers[name]
      if (!p) return ''
      const again = p.recheck
        ? `; again in ${p.recheck.rounds} rounds: ours ${ratio(p.recheck.ours, p.recheck.before)}`
        : p.paired
          ? `; again in ${p.paired.rounds} paired rounds: ours ${ratio(p.paired.ours, p.paired.other)}`
          : ''
      return `${p.ms.toFixed(0)} ms, ${p.rss.toFixed(0)} MB: ours ${ratio(r.ms, p.ms)}${again}`
    }
    lines.push(
      `| ${r.name} | ${r.input} | ${r.ms.toFixed(0)} ms | ${r.rss.toFixed(0)} MB | ${change} | ${peer('pandas')} | ${peer('duckdb')} |${BEFORE ? ` ${peer('before')} |` : ''}`
    )
  }
  const node = results.find((r) => r.id === 'node')
  const realistic = results.find((r) => r.id === 'compare-realistic-5-json')
  if (node && realistic)
    console.log(
      `\ncompare realistic, 5 runs a side (JSON): ${(realistic.ms / node.ms).toFixed(2)}× the time of node alone`
    )
  console.log(lines.join('\n'))
  const nodeVersion = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout?.trim() || NODE
  console.log(`\n${goalTable(checkGoals(results), nodeVersion)}`)
  if (previous)
    console.log(
      `\nvs results.json: this run's figure / the committed one (${previous.date}, ${previous.commit}); ` +
        'machines differ and are noisy: a change says something only when it repeats.'
    )
  if (save) {
    const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8'
    })
    const file = {
      date: new Date().toISOString().slice(0, 10),
      commit: commit.stdout.trim() || 'unknown',
      node: nodeVersion,
      cpus: availableParallelism(),
      peers: Object.fromEntries(Object.entries(available).map(([k, v]) => [k, v.version ?? null])),
      results
    }
    writeFileSync(RESULTS, `${JSON.stringify(file, null, 2)}\n`)
    console.log(`\nsaved ${RESULTS}`)
  } else console.log('`npm run bench -- --save` makes these figures the new bench/results.json.')
}

await main()
