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
  readdirSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
// BENCH_CLI: another build to measure on the same inputs (e.g. the previous commit's dist/cli.js).
const CLI = process.env.BENCH_CLI ?? join(ROOT, 'dist', 'cli.js')
const PRELOAD = join(ROOT, 'bench', 'report-rss.mjs')
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3)

// Deterministic pseudo-random numbers.
let seed = 42
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}

const SUM_HEADER = (calls, name) =>
  `Time (%),Total Time (ns),${calls},Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),${name}`

/**
 * Rows as nsys prints them, consistent the way every real row is (min ≤ avg ≤ max, avg × n =
 * total, a deviation within the range, shares of the listed total that add up to 100).
 */
function rows(names, scale, calls) {
  const data = names.map((name) => {
    const n = 1 + Math.floor(random() * 1000)
    const avg = Math.round((1000 + random() * 100000) * scale)
    const total = n * avg
    const spread = n === 1 ? 0 : Math.round(avg * 0.1)
    return { name, n, avg, total, min: avg - spread, max: avg + 2 * spread, sd: spread / 2 }
  })
  const sum = data.reduce((a, r) => a + r.total, 0)
  return data.map((r) => {
    const quoted = r.name.includes(',') ? `"${r.name}"` : r.name
    const share = ((r.total * 100) / sum).toFixed(1)
    return `${share},${r.total},${r.n},${r.avg.toFixed(1)},${r.avg.toFixed(1)},${r.min},${r.max},${r.sd.toFixed(1)},${calls === 'Style' ? 'PushPop,' : ''}${quoted}`
  })
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

function measure(args) {
  const times = []
  let rss = 0
  let code = 0
  for (let i = 0; i < REPEAT; i++) {
    const start = process.hrtime.bigint()
    const result = spawnSync(process.execPath, ['--import', PRELOAD, CLI, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30
    })
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
    code = result.status
    const match = /@@maxrss (\d+)/.exec(result.stderr)
    rss = Math.max(rss, match ? Number(match[1]) / 1024 : 0)
    if (code !== 0 && code !== 1)
      throw new Error(`nsys-bench ${args.join(' ')} failed (${code}):\n${result.stderr}`)
  }
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(times.length / 2)], rss, code }
}

function size(path) {
  const info = statSync(path)
  if (!info.isDirectory()) return info.size
  return readdirSync(path).reduce((n, f) => n + statSync(join(path, f)).size, 0)
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'nsys-bench-bench-'))
  const results = []
  try {
    const scenarios = [
      { name: 'realistic', kernels: 400, api: 60, nvtx: 200, runs: 1 },
      { name: 'realistic, 5 runs a side', kernels: 400, api: 60, nvtx: 200, runs: 5 },
      { name: 'extreme', kernels: 20_000, api: 500, nvtx: 2_000, runs: 10 }
    ]
    const baseline = measure(['--version'])
    results.push(['node startup (--version)', '', baseline.ms, baseline.rss])
    for (const s of scenarios) {
      const base = join(work, `${s.name}-base`)
      const head = join(work, `${s.name}-head`)
      mkdirSync(base)
      mkdirSync(head)
      for (let r = 0; r < s.runs; r++) {
        writeRun(base, `run${r}`, s, 1)
        writeRun(head, `run${r}`, s, 1.03)
      }
      // summarize reads one run: point it at one run's files.
      const one = join(work, `${s.name}-one`)
      mkdirSync(one)
      writeRun(one, 'run', s, 1)
      const sum = measure(['summarize', one, '--json'])
      results.push([
        `summarize ${s.name}: ${s.kernels} kernels, 6 reports`,
        mb(size(one)),
        sum.ms,
        sum.rss
      ])
      for (const format of ['json', 'markdown']) {
        const cmp = measure([
          'compare',
          '--base',
          base,
          '--head',
          head,
          '--format',
          format,
          '--no-fail'
        ])
        results.push([
          `compare ${s.name} (${s.runs}+${s.runs} runs, ${format})`,
          mb(size(base) + size(head)),
          cmp.ms,
          cmp.rss
        ])
      }
    }
    const trace = join(work, 'big_cuda_gpu_trace.csv')
    await writeTrace(trace, Number(process.env.BENCH_TRACE_ROWS ?? 2_000_000))
    const t = measure(['summarize', trace, '--json'])
    results.push([
      `summarize cuda_gpu_trace, ${process.env.BENCH_TRACE_ROWS ?? '2,000,000'} rows`,
      mb(size(trace)),
      t.ms,
      t.rss
    ])
  } finally {
    // BENCH_KEEP=1 keeps the generated inputs, to profile one scenario by hand.
    if (process.env.BENCH_KEEP === '1') console.error(`inputs kept in ${work}`)
    else rmSync(work, { recursive: true, force: true })
  }
  const lines = [
    '| scenario | input | time (median of ' + REPEAT + ') | peak RSS |',
    '| --- | --: | --: | --: |'
  ]
  for (const [name, input, ms, rss] of results)
    lines.push(`| ${name} | ${input} | ${ms.toFixed(0)} ms | ${rss.toFixed(0)} MB |`)
  console.log(lines.join('\n'))
}

await main()
