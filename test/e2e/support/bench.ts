/**
 * Shared pieces of the action's end-to-end tests: the real nsys (or why it is missing), `.sqlite`
 * fixtures with GPU kernels, a fake `nvidia-smi`, event payloads, a baseline seeder, and a
 * `runAction` wrapper with the environment every test wants.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { expect } from 'vitest'
import type { FakeGitHub } from '../fakes/github.js'
import { runAction, type ActionResult, type RunActionOptions } from '../harness/run-action.js'
import {
  ensureNsys,
  isSkipped,
  type NsysInstall,
  type NsysVersion
} from '../../support/nsys/install.js'
import { buildNsysSqlite, type NsysDbSpec, type NsysKernelSpec } from '../../support/nsys/sqlite.js'
import { exclusiveNsysProfile } from '../../support/nsys/profile-lock.js'

export const MARKER = '<!-- nsys-bench:default -->'
export const H100 = 'NVIDIA H100 80GB HBM3'
export const A100 = 'NVIDIA A100-SXM4-80GB'

// ---------------------------------------------------------------------------------------------
// Nsight Systems

export interface NsysSetup {
  install?: NsysInstall
  /** why the tests that need it are skipped */
  skip?: string
}

/** The cached nsys `version`, or the reason it cannot be had (printed, so a skip is visible). */
export async function setupNsys(
  version: NsysVersion,
  opts: { profile?: boolean } = {}
): Promise<NsysSetup> {
  const r = await ensureNsys(version, opts)
  if (isSkipped(r)) {
    console.warn(
      `[e2e] nsys ${version} unavailable: its tests are skipped (they fail where NSYS_BENCH_REQUIRE_NSYS=1): ${r.skipped}`
    )
    return { skip: r.skipped }
  }
  if (opts.profile && !r.canProfile) {
    const skip = `nsys ${version} cannot profile here: ${r.profileProblem ?? 'unknown reason'}`
    console.warn(`[e2e] ${skip}`)
    return { install: r, skip }
  }
  return { install: r }
}

// ---------------------------------------------------------------------------------------------
// GPU kernels in a .sqlite export

/** The kernels of the benchmark: name → duration of one instance (ns). */
export const KERNELS = {
  gemm: {
    name: 'ampere_bf16_s16816gemm_bf16_128x128_ldg8_f2f_stages_64x3_tn',
    ns: 1_000_000
  },
  flash: {
    name: 'void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 64, 64, 4>, true>(Flash_fwd_params)',
    ns: 500_000
  },
  norm: {
    name: 'void vllm::rms_norm_kernel<c10::BFloat16>(c10::BFloat16 *, const c10::BFloat16 *, float, int, int)',
    ns: 200_000
  }
} as const
export type KernelId = keyof typeof KERNELS
export const INSTANCES = 10

/**
 * One run of the benchmark as an export: each kernel INSTANCES times, one after the other, each
 * duration scaled by `scale[kernel]` (default 1), with a cudaLaunchKernel call per launch.
 */
export function benchSpec(scale: Partial<Record<KernelId, number>> = {}): NsysDbSpec {
  const kernels: NsysKernelSpec[] = []
  const runtime: NonNullable<NsysDbSpec['runtime']> = []
  let t = 1_000_000
  let correlationId = 1
  for (let i = 0; i < INSTANCES; i++) {
    for (const [id, k] of Object.entries(KERNELS) as [KernelId, (typeof KERNELS)[KernelId]][]) {
      const ns = Math.round(k.ns * (scale[id] ?? 1))
      runtime.push({ name: 'cudaLaunchKernel_v7000', start: t, end: t + 5_000, correlationId })
      kernels.push({ name: k.name, start: t + 10_000, end: t + 10_000 + ns, correlationId })
      correlationId++
      t += ns + 50_000
    }
  }
  return { gpus: [{ id: 0, name: H100 }], kernels, runtime }
}

/** Total time of one kernel in one run built by benchSpec. */
export function kernelTotal(id: KernelId, scale = 1): number {
  return Math.round(KERNELS[id].ns * scale) * INSTANCES
}

export interface SqliteFixtures {
  dir: string
  /** the base branch's benchmark */
  base: string
  /** the same benchmark again (a pull request that changes nothing) */
  same: string
  /** flash attention 20 % slower */
  slower: string
}

export async function buildSqliteFixtures(dir: string): Promise<SqliteFixtures> {
  const [base, same, slower] = await Promise.all([
    buildNsysSqlite(path.join(dir, 'sqlite', 'base.sqlite'), benchSpec()),
    buildNsysSqlite(path.join(dir, 'sqlite', 'same.sqlite'), benchSpec({ gemm: 1.002 })),
    buildNsysSqlite(path.join(dir, 'sqlite', 'slower.sqlite'), benchSpec({ flash: 1.2 }))
  ])
  return { dir, base, same, slower }
}

// ---------------------------------------------------------------------------------------------
// A fake nvidia-smi

/** The GPU query the action sends (nvidia-smi.ts GPU_FIELDS), and the header nvidia-smi answers with. */
const GPU_QUERY =
  '--query-gpu=index,uuid,name,pci.bus_id,driver_version,persistence_mode,mig.mode.current,ecc.mode.current,power.limit,clocks.sm,clocks.mem,clocks.max.sm,clocks.max.mem,temperature.gpu,power.draw'
const GPU_HEADER =
  'index, uuid, name, pci.bus_id, driver_version, persistence_mode, mig.mode.current, ecc.mode.current, power.limit [W], clocks.current.sm [MHz], clocks.current.memory [MHz], clocks.max.sm [MHz], clocks.max.memory [MHz], temperature.gpu, power.draw [W]'
const APPS_QUERY = '--query-compute-apps=gpu_uuid,pid,used_memory,process_name'
export const FAKE_GPU_UUID = 'GPU-5a8f3c1e-2b7d-4e9a-8c61-0f3d2e1b9a77'

/**
 * A directory holding an `nvidia-smi` that answers the action's calls like the real one does for
 * one `gpu` (driver 550.54.15, CUDA 12.4, clocks locked at 1980/2619 MHz): `-L`, the plain call
 * (with its `CUDA Version:` line), the GPU query and the compute-apps query in `csv,nounits`
 * (header first). The compute processes are the lines of the file `$FAKE_SMI_APPS` names, when it
 * exists (none otherwise: the header alone). Any other call exits 2.
 */
export async function fakeNvidiaSmi(dir: string, gpu: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  const script = `#!/bin/sh
if [ -n "$CUDA_VISIBLE_DEVICES" ] && [ "$1" = "--id=$CUDA_VISIBLE_DEVICES" ]; then shift; fi
case "$1" in
  -L)
    echo "GPU 0: ${gpu} (UUID: ${FAKE_GPU_UUID})"
    exit 0 ;;
  ${GPU_QUERY})
    if [ "$2" != "--format=csv,nounits" ]; then echo "unexpected: $*" >&2; exit 2; fi
    echo "${GPU_HEADER}"
    echo "0, ${FAKE_GPU_UUID}, ${gpu}, 00000000:18:00.0, 550.54.15, Enabled, Disabled, Enabled, 700.00, 1980, 2619, 1980, 2619, 34, 71.52"
    exit 0 ;;
  ${APPS_QUERY})
    if [ "$2" != "--format=csv,nounits" ]; then echo "unexpected: $*" >&2; exit 2; fi
    echo "gpu_uuid, pid, used_gpu_memory [MiB], process_name"
    if [ -n "$FAKE_SMI_APPS" ] && [ -f "$FAKE_SMI_APPS" ]; then cat "$FAKE_SMI_APPS"; fi
    exit 0 ;;
  "")
    cat <<'EOF'
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |
|-----------------------------------------+------------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |
|=========================================+========================+======================|
|   0  ${gpu.padEnd(26).slice(0, 26)}  On  |   00000000:18:00.0 Off |                    0 |
+-----------------------------------------+------------------------+----------------------+
EOF
    exit 0 ;;
  *) echo "fake nvidia-smi: unexpected arguments: $*" >&2; exit 2 ;;
esac
`
  const file = path.join(dir, 'nvidia-smi')
  await writeFile(file, script)
  await chmod(file, 0o755)
  return dir
}

// ---------------------------------------------------------------------------------------------
// Events

const hex40 = (seed: string): string =>
  Buffer.from(seed).toString('hex').padEnd(40, '0').slice(0, 40)

export interface PrEventOptions {
  number?: number
  headSha?: string
  headRef?: string
  baseRef?: string
  /** the head repository (a fork: another owner) */
  headRepo?: string
}

export function prEvent(
  fake: FakeGitHub,
  o: PrEventOptions = {}
): { name: 'pull_request'; payload: object; headSha: string; number: number } {
  const number = o.number ?? 7
  const headSha = o.headSha ?? hex40(`pr${number}head`)
  const headRepo = o.headRepo ?? fake.fullName
  return {
    name: 'pull_request',
    number,
    headSha,
    payload: {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        merge_commit_sha: hex40(`pr${number}merge`),
        head: {
          ref: o.headRef ?? 'feature',
          sha: headSha,
          repo: { full_name: headRepo, fork: headRepo !== fake.fullName }
        },
        base: { ref: o.baseRef ?? fake.defaultBranch, sha: hex40(`pr${number}base`) }
      }
    }
  }
}

export function pushEvent(
  fake: FakeGitHub,
  sha = hex40('push-main')
): { name: 'push'; payload: object } {
  return {
    name: 'push',
    payload: { ref: `refs/heads/${fake.defaultBranch}`, before: hex40('before'), after: sha }
  }
}

// ---------------------------------------------------------------------------------------------
// Baselines

/** A successful push run on the default branch holding `files` as the baseline artifact. */
export function seedBaseline(
  fake: FakeGitHub,
  files: Record<string, string | Uint8Array>,
  o: { name?: string; headSha?: string; expired?: boolean; createdAt?: Date } = {}
): { runId: number; runNumber: number; headSha: string } {
  const run = fake.seedRun({
    event: 'push',
    headBranch: fake.defaultBranch,
    ...(o.headSha ? { headSha: o.headSha } : {}),
    ...(o.createdAt ? { createdAt: o.createdAt } : {})
  })
  fake.seedArtifact(run.id, o.name ?? 'nsys-bench-baseline', files, {
    ...(o.expired ? { expired: true } : {})
  })
  return { runId: run.id, runNumber: run.runNumber, headSha: run.headSha }
}

/**
 * A profile JSON as docs/profile-format.md describes it (schema 2): one run of GPU kernels, each
 * `kernel → total ns` launched `launches` times at its average, on `gpu` with nsys `nsys`.
 */
export function kernelProfileJson(
  totals: Record<string, number>,
  o: {
    launches?: number
    nsys?: string
    gpu?: { name: string; driver?: string; cuda?: string }
  } = {}
): string {
  const launches = o.launches ?? 1
  const rows = Object.entries(totals)
    .sort((a, b) => b[1] - a[1])
    .map(([name, total], i) => [
      String(i),
      {
        name,
        totalNs: total,
        instances: launches,
        avgNs: total / launches,
        minNs: total / launches,
        maxNs: total / launches
      }
    ])
  return JSON.stringify({
    schemaVersion: 2,
    kind: 'nsys-bench/profile',
    meta: {
      tool: { name: 'nsys-bench', version: 'test' },
      profiler: { name: 'nsys', version: o.nsys ?? '2023.4.4.54' },
      sources: ['run_cuda_gpu_kern_sum.csv'],
      reports: { kernels: 'cuda_gpu_kern_sum' },
      kernelNaming: 'demangled',
      notes: [],
      gpus: [o.gpu ?? { name: H100, driver: '535.104.05', cuda: '12.2' }]
    },
    tables: { kernels: { unit: 'ns', rows: Object.fromEntries(rows) } }
  })
}

/** A profile JSON (text) with its GPUs replaced. */
export function withGpu(profileJson: string, gpu: string): string {
  const value = JSON.parse(profileJson) as { meta: { gpus?: unknown } }
  value.meta.gpus = [{ name: gpu, driver: '535.104.05', cuda: '12.2' }]
  return `${JSON.stringify(value, null, 2)}\n`
}

// ---------------------------------------------------------------------------------------------
// Running the action

export interface BenchEnv {
  /** the nsys the action uses (its path goes to the `nsys` input unless one is given) */
  nsys?: NsysInstall
  /** a directory with a fake nvidia-smi, prepended to PATH */
  smiDir?: string
  /** the action runs `nsys profile`: one such run at a time across workers (profile-lock.ts) */
  profiles?: boolean
}

/** runAction with the nsys input and environment, the fake nvidia-smi on PATH, and a time limit. */
export async function bench(env: BenchEnv, opts: RunActionOptions): Promise<ActionResult> {
  const inputs: Record<string, string> = {
    ...(env.nsys ? { nsys: env.nsys.nsys } : {}),
    ...opts.inputs
  }
  const PATH = env.smiDir ? `${env.smiDir}:${process.env.PATH ?? ''}` : process.env.PATH
  const start = (): Promise<ActionResult> =>
    runAction({
      timeoutMs: 120_000,
      ...opts,
      inputs,
      env: { ...(env.nsys?.env ?? {}), PATH, ...opts.env }
    })
  return env.profiles ? exclusiveNsysProfile(start) : start()
}

// ---------------------------------------------------------------------------------------------
// Assertions

export function annotations(r: ActionResult, level: 'error' | 'warning' | 'notice'): string[] {
  return r.annotations.filter((a) => a.level === level).map((a) => a.message)
}

/** Everything the action printed, for messages when an expectation fails. */
export function logOf(r: ActionResult): string {
  // Debug lines (the artifact client's requests) would crowd out the action's own.
  const stdout = r.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::debug::'))
    .join('\n')
  return `exit ${r.code}\n--- stdout ---\n${stdout.slice(-6000)}\n--- stderr ---\n${r.stderr.slice(-3000)}\n--- job summary ---\n${r.summary.slice(0, 4000)}`
}

export function expectExit(r: ActionResult, code: number): void {
  expect(r.code, logOf(r)).toBe(code)
}

export function text(files: Record<string, Uint8Array>, name: string): string {
  const data = files[name]
  if (!data)
    throw new Error(`no ${name} in the artifact; it holds ${Object.keys(files).join(', ')}`)
  return Buffer.from(data).toString('utf8')
}

/** The kernels table of a profile JSON: name → totalNs. */
export function kernelTotals(profileJson: string): Record<string, number> {
  const value = JSON.parse(profileJson) as {
    tables: { kernels?: { rows: Record<string, { name: string; totalNs: number }> } }
  }
  return Object.fromEntries(
    Object.values(value.tables.kernels?.rows ?? {}).map((r) => [r.name, r.totalNs])
  )
}
