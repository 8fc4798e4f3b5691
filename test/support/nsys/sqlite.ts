/**
 * Build an Nsight Systems `.sqlite` export for `nsys stats`, from a plain spec.
 *
 * The file has the real `nsys export` schema of nsys 2023.4.4 (schema 3.7.2,
 * test/fixtures/nsys-real/schema-2023.4.4.sql) and the real ENUM_* rows (enums-2023.4.4.sql),
 * filled with kernels, memcpys, memsets, CUDA API calls, NVTX ranges and OS runtime calls shaped
 * like those of a real capture. The report scripts of nsys 2022.4 and 2023.4 both run on it.
 *
 * Written by python3's built-in sqlite3 module (build-sqlite.py; Node 20 has no SQLite), with the
 * spec passed as JSON on stdin, so names travel byte-exact whatever they contain.
 *
 * Timestamps are integer nanoseconds on the report's clock (what `cuda_gpu_trace` prints as
 * `Start (ns)`); durations are `end - start`.
 */
import { spawn } from 'node:child_process'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const NSYS_SCHEMA_SQL = fileURLToPath(
  new URL('../../fixtures/nsys-real/schema-2023.4.4.sql', import.meta.url)
)
export const NSYS_ENUMS_SQL = fileURLToPath(
  new URL('../../fixtures/nsys-real/enums-2023.4.4.sql', import.meta.url)
)
const BUILDER = fileURLToPath(new URL('./build-sqlite.py', import.meta.url))

/** `ENUM_CUDA_MEMCPY_OPER.id` values (real export). */
export const MEMCPY_KIND = {
  Unknown: 0,
  HtoD: 1,
  DtoH: 2,
  HtoA: 3,
  AtoH: 4,
  AtoA: 5,
  AtoD: 6,
  DtoA: 7,
  DtoD: 8,
  HtoH: 9,
  PtoP: 10,
  UvmHtoD: 11,
  UvmDtoH: 12,
  UvmDtoD: 13
} as const

/** `ENUM_CUDA_MEM_KIND.id` values (real export). */
export const MEM_KIND = {
  Pageable: 0,
  Pinned: 1,
  Device: 2,
  Array: 3,
  Managed: 4,
  DeviceStatic: 5,
  ManagedStatic: 6,
  Unknown: 7
} as const

export interface NsysGpuSpec {
  id: number
  /** `TARGET_INFO_GPU.name`; cuda_gpu_trace prints `"<name> (<deviceId>)"`. */
  name: string
}

interface GpuOpSpec {
  start: number
  end: number
  deviceId?: number // default 0
  contextId?: number // default 1
  streamId?: number // default 7
  /** Links the op to a `runtime` entry with the same id; auto-assigned (unique) when absent. */
  correlationId?: number
}

export interface NsysKernelSpec extends GpuOpSpec {
  /** Demangled name with templates (`demangledName`): the default report name. */
  name: string
  /** Base name (`shortName`, reports' `:base` variant); defaults to `name`. */
  shortName?: string
  /** `mangledName` (`:mangled` variant); NULL when absent, as in older captures. */
  mangledName?: string
  grid?: [number, number, number] // default [1,1,1]
  block?: [number, number, number] // default [1,1,1]
  registersPerThread?: number // default 32
  staticSharedMemory?: number
  dynamicSharedMemory?: number
}

export interface NsysMemcpySpec extends GpuOpSpec {
  /** `ENUM_CUDA_MEMCPY_OPER.id`, see MEMCPY_KIND. */
  copyKind: number
  bytes: number
  /** `ENUM_CUDA_MEM_KIND.id`; defaults follow copyKind (HtoD: Pageable → Device …). */
  srcKind?: number
  dstKind?: number
}

export interface NsysMemsetSpec extends GpuOpSpec {
  bytes: number
  value?: number
  /** `ENUM_CUDA_MEM_KIND.id`, default Device. */
  memKind?: number
}

export interface NsysRuntimeSpec {
  /** As CUPTI records it, e.g. `cudaLaunchKernel_v7000` (reports strip 4-digit `_vNNNN`). */
  name: string
  start: number
  end: number
  correlationId?: number
  tid?: number
  returnValue?: number
  /** `runtime` (eventClass 0, default) or `driver` (eventClass 1). */
  api?: 'runtime' | 'driver'
}

export interface NsysNvtxSpec {
  text: string
  start: number
  /** null: never ended (reports close it at the last NVTX timestamp). */
  end: number | null
  /** Range in a domain: an NvtxDomainCreate event is added; nvtx_sum shows `domain:text`. */
  domain?: string
  style?: 'pushpop' | 'startend'
  /** Registered string: text goes to StringIds/textId instead of NVTX_EVENTS.text. */
  registered?: boolean
  tid?: number
}

export interface NsysOsrtSpec {
  name: string
  start: number
  end: number
  tid?: number
  returnValue?: number
}

export interface NsysDbSpec {
  /** The profiled process (default pid 4242, main tid = pid, name 'bench'). */
  process?: { pid?: number; tid?: number; name?: string }
  /** Default when GPU ops exist: `[{ id: 0, name: 'NVIDIA H100 80GB HBM3' }]`. */
  gpus?: NsysGpuSpec[]
  kernels?: NsysKernelSpec[]
  memcpys?: NsysMemcpySpec[]
  memsets?: NsysMemsetSpec[]
  runtime?: NsysRuntimeSpec[]
  nvtx?: NsysNvtxSpec[]
  osrt?: NsysOsrtSpec[]
}

export interface BuildNsysSqliteOptions {
  /**
   * Drop every table left empty, like a real (lazy) export, so reports print
   * `SKIPPED: … does not contain …` for missing data. Default true; false keeps all 179 tables.
   */
  lazy?: boolean
  /**
   * Leave these columns out of the schema, to imitate an export by an older nsys; e.g.
   * `['greenContextId']` (absent before 2023.4) makes 2023.4's cuda_gpu_trace — and every report
   * after it in the same `nsys stats` call — SKIP (docs/nsys-notes.md "Exit codes and files").
   */
  dropColumns?: string[]
  /** Python interpreter (default `$NSYS_BENCH_PYTHON` or `python3`). */
  python?: string
}

/** Write `outFile` (replaced atomically) and resolve to its path. */
export async function buildNsysSqlite(
  outFile: string,
  spec: NsysDbSpec,
  opts: BuildNsysSqliteOptions = {}
): Promise<string> {
  validateSpec(spec)
  await fsp.mkdir(path.dirname(path.resolve(outFile)), { recursive: true })
  const python = opts.python ?? process.env.NSYS_BENCH_PYTHON ?? 'python3'
  const request = JSON.stringify({
    out: outFile,
    schema: NSYS_SCHEMA_SQL,
    enums: NSYS_ENUMS_SQL,
    options: { lazy: opts.lazy ?? true, dropColumns: opts.dropColumns ?? [] },
    spec
  })
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(python, [BUILDER], { stdio: ['pipe', 'ignore', 'pipe'] })
      const err: Buffer[] = []
      child.stderr.on('data', (b: Buffer) => err.push(b))
      child.on('error', (e) =>
        reject(new Error(`cannot run ${python} (needed to write SQLite): ${e.message}`))
      )
      child.on('close', (c) => resolve({ code: c ?? -1, stderr: Buffer.concat(err).toString() }))
      child.stdin.end(request, 'utf8')
    }
  )
  if (code !== 0) throw new Error(`build-sqlite.py failed (exit ${code}):\n${stderr}`)
  return outFile
}

function validateSpec(spec: NsysDbSpec): void {
  const check = (what: string, e: { start: number; end: number | null }, i: number): void => {
    const ok =
      Number.isSafeInteger(e.start) &&
      e.start >= 0 &&
      (e.end === null || (Number.isSafeInteger(e.end) && e.end >= e.start))
    if (!ok) {
      throw new RangeError(
        `${what}[${i}]: start/end must be integer ns with 0 <= start <= end (got ${e.start}..${e.end})`
      )
    }
  }
  spec.kernels?.forEach((e, i) => check('kernels', e, i))
  spec.memcpys?.forEach((e, i) => check('memcpys', e, i))
  spec.memsets?.forEach((e, i) => check('memsets', e, i))
  spec.runtime?.forEach((e, i) => check('runtime', e, i))
  spec.nvtx?.forEach((e, i) => check('nvtx', e, i))
  spec.osrt?.forEach((e, i) => check('osrt', e, i))
}
