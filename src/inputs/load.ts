import { createReadStream } from 'node:fs'
import { open, readdir, readFile, stat } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { InputError } from '../errors.js'
import {
  allReportNames,
  assembleProfile,
  lookupReport,
  parseNsysStats,
  reportFileName,
  type StatsParseResult
} from '../parse/nsys/index.js'
import { PROFILE_KIND, profileFromJson } from '../profile/json.js'
import type { Profile } from '../profile/model.js'
import { TOOL } from '../version.js'

/**
 * Input detection. One input is:
 * - a directory of `nsys stats --output` files (`<base>_<report>.csv`): one run per base name;
 * - a directory of profile JSONs written by nsys-bench: one run per file;
 * - a profile JSON;
 * - a single report file (`.csv`/`.tsv`/`.json`), or captured `nsys stats` output.
 */
export async function loadInput(path: string): Promise<Profile[]> {
  const info = await statOrFail(path)
  if (info.isDirectory()) return loadDirectory(path)
  return [await loadFile(path)]
}

/**
 * Several report files of one run (`summarize a_cuda_gpu_kern_sum.csv a_cuda_api_sum.csv`), or
 * one input of any kind that holds exactly one run.
 */
export async function loadRun(paths: readonly string[]): Promise<Profile> {
  if (paths.length === 1 && paths[0] !== undefined) {
    const runs = await loadInput(paths[0])
    if (runs.length !== 1 || !runs[0]) {
      throw new InputError(
        `${paths[0]} holds ${runs.length} runs; give one run (compare takes several per side)`
      )
    }
    return runs[0]
  }
  const results: StatsParseResult[] = []
  for (const path of paths) {
    const info = await statOrFail(path)
    if (info.isDirectory())
      throw new InputError(
        `${path} is a directory; to read one run from several inputs, give files`
      )
    const kind = await sniff(path)
    if (kind !== 'text')
      throw new InputError(
        `${path} is not nsys stats output; only report files combine into one run`
      )
    results.push(await readStatsFile(path))
  }
  return assembleProfile(results, TOOL, paths.join(', '))
}

async function loadDirectory(dir: string): Promise<Profile[]> {
  const names = (await readdir(dir)).sort()
  const known = allReportNames()
  const bases = new Map<string, string[]>()
  const profiles: string[] = []
  const reports: string[] = []
  const ignored: string[] = []
  for (const name of names) {
    const file = reportFileName(name, known)
    if (file) {
      if (lookupReport(file.report).kind !== 'used') {
        ignored.push(name)
        continue
      }
      const list = bases.get(file.base) ?? []
      list.push(name)
      bases.set(file.base, list)
    } else if (extname(name) === '.json') {
      profiles.push(name)
    } else if (/\.(nsys-rep|qdrep|sqlite)$/.test(name)) {
      reports.push(name)
    }
  }
  if (bases.size > 0 && profiles.length > 0) {
    throw new InputError(
      `${dir} holds both nsys stats files and JSON files (${profiles.slice(0, 3).join(', ')}); keep one kind per directory`
    )
  }
  if (profiles.length > 0) {
    return Promise.all(profiles.map((name) => loadFile(join(dir, name))))
  }
  if (bases.size === 0) {
    const hint =
      reports.length > 0
        ? ` It has ${reports.slice(0, 3).join(', ')}: turn a report into stats files with ` +
          '`LC_ALL=C nsys stats --force-export=true --force-overwrite=true --format csv ' +
          '--report cuda_gpu_kern_sum,cuda_api_sum,cuda_gpu_mem_time_sum,cuda_gpu_mem_size_sum,nvtx_sum,osrt_sum ' +
          `--output ${join(dir, 'run')} ${join(dir, reports[0] ?? 'report.nsys-rep')}` +
          '` (the action does this for you).'
        : ''
    throw new InputError(
      `${dir} has no nsys stats output files (<base>_<report>.csv, e.g. run_cuda_gpu_kern_sum.csv) and no profile JSON.${hint}`
    )
  }
  const runs: Profile[] = []
  for (const [base, files] of bases) {
    const results: StatsParseResult[] = []
    for (const name of files) results.push(await readStatsFile(join(dir, name)))
    const profile = assembleProfile(results, TOOL, `${join(dir, base)}_*`)
    for (const name of ignored) {
      if (name.startsWith(`${base}_`))
        profile.meta.notes.push(`${join(dir, name)}: not a report nsys-bench reads; ignored`)
    }
    runs.push(profile)
  }
  return runs
}

async function loadFile(path: string): Promise<Profile> {
  const kind = await sniff(path)
  switch (kind) {
    case 'gzip':
      throw new InputError(
        `${path} is gzip-compressed. nsys stats output is plain text; PyTorch/Perfetto traces (.json.gz) are not supported yet.`
      )
    case 'report':
      throw new InputError(
        `${path} is an Nsight Systems report, not stats output. Export its stats first: ` +
          '`LC_ALL=C nsys stats --force-export=true --force-overwrite=true --format csv ' +
          '--report cuda_gpu_kern_sum,cuda_api_sum,cuda_gpu_mem_time_sum,cuda_gpu_mem_size_sum,nvtx_sum,osrt_sum ' +
          `--output out/run ${path}\` and pass the out/ directory (the action does this for you).`
      )
    case 'json':
      return loadJson(path)
    case 'text':
      return assembleProfile([await readStatsFile(path)], TOOL, path)
  }
}

async function loadJson(path: string): Promise<Profile> {
  const info = await stat(path)
  if (info.size > 512 * 1024 * 1024) {
    throw new InputError(
      `${path} is a ${Math.round(info.size / 2 ** 20)} MiB JSON file, too large for a profile JSON`
    )
  }
  let value: unknown
  try {
    value = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new InputError(`${path} is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>
    if (record.kind === PROFILE_KIND) return profileFromJson(value, path)
    if ('traceEvents' in record) {
      throw new InputError(
        `${path} is a Chrome/Perfetto trace (PyTorch profiler); traces are not supported yet`
      )
    }
  }
  throw new InputError(
    `${path} is JSON but not a profile written by nsys-bench (expected "kind": "${PROFILE_KIND}")`
  )
}

/** Reads one file of nsys stats text (a report file or captured output). */
export async function readStatsFile(path: string): Promise<StatsParseResult> {
  const name = basename(path)
  const file = reportFileName(name, allReportNames())
  const strict = file && file.ext !== 'json' ? true : /\.(csv|tsv)$/i.test(name) ? 'auto' : false
  return parseNsysStats(createReadStream(path), {
    source: path,
    strict,
    ...(file ? { report: { name: file.report, variant: file.variant } } : {})
  })
}

type Kind = 'gzip' | 'report' | 'json' | 'text'

async function sniff(path: string): Promise<Kind> {
  if (/\.(nsys-rep|qdrep|qdstrm|sqlite)$/i.test(path)) return 'report'
  const handle = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0)
    const head = buffer.subarray(0, bytesRead)
    if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
    if (head.subarray(0, 16).toString('latin1').startsWith('SQLite format 3')) return 'report'
    const text = head
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart()
    return text.startsWith('{') ? 'json' : 'text'
  } finally {
    await handle.close()
  }
}

async function statOrFail(path: string): Promise<import('node:fs').Stats> {
  try {
    return await stat(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new InputError(`${path}: no such file or directory`)
    if (code === 'EACCES') throw new InputError(`${path}: permission denied`)
    throw new InputError(`${path}: cannot read (${(error as Error).message})`, undefined, {
      cause: error
    })
  }
}
