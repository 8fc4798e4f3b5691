/**
 * A small CPU program with NVTX ranges and OS-runtime calls (prog/nvtx-osrt.c), and a helper that
 * profiles a program with the real `nsys profile`.
 */
import fsp from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { run } from './fetch-nsys.mjs'
import type { NsysInstall, RunResult } from './install.js'
import { exclusiveNsysProfile } from './profile-lock.js'

const PROG_DIR = fileURLToPath(new URL('./prog/', import.meta.url))
export const NVTX_PROGRAM_SOURCE = path.join(PROG_DIR, 'nvtx-osrt.c')

/** What nvtx-osrt.c does (see its header comment); tests assert against this. */
export const NVTX_PROGRAM_EXPECTED = {
  nvtx: [
    { range: 'forward', style: 'PushPop', instances: 3 },
    { range: 'step, "warmup"', style: 'PushPop', instances: 1 },
    { range: 'vllm:execute_model', style: 'PushPop', instances: 1 },
    { range: 'load', style: 'StartEnd', instances: 1 }
  ],
  osrt: [
    { name: 'usleep', calls: 5 },
    { name: 'nanosleep', calls: 1 }
  ]
} as const

/**
 * Compile prog/nvtx-osrt.c into `outDir` with gcc, against the NVTX v3 headers vendored in prog/
 * (Apache-2.0 WITH LLVM-exception; no CUDA install needed). Resolves to the binary's path, or
 * `{ skipped }` when there is no C compiler.
 */
export async function buildNvtxProgram(outDir: string): Promise<string | { skipped: string }> {
  await fsp.mkdir(outDir, { recursive: true })
  const out = path.join(outDir, 'nvtx-osrt')
  const cc = process.env.CC ?? 'gcc'
  const r = await run(cc, ['-O1', '-I', PROG_DIR, NVTX_PROGRAM_SOURCE, '-o', out, '-ldl'])
  if (r.code === -1) {
    return {
      skipped: `no C compiler (${cc}: ${r.stderr.trim()}); install gcc to build the NVTX test program`
    }
  }
  if (r.code !== 0) throw new Error(`${cc} failed to build ${NVTX_PROGRAM_SOURCE}:\n${r.stderr}`)
  return out
}

export interface ProfileArgs {
  /** Program to launch, and its arguments. */
  program: string
  programArgs?: string[]
  /** Output path without extension (nsys appends `.nsys-rep`). */
  output: string
  /** `-t` value, default `nvtx,osrt`. */
  trace?: string
  cwd?: string
  timeoutMs?: number
}

export interface ProfileResult extends RunResult {
  /** `<output>.nsys-rep` (check it exists: without QdstrmImporter only a .qdstrm is written). */
  rep: string
  args: string[]
}

/**
 * `nsys profile -t nvtx,osrt --sample=none --cpuctxsw=none -f true -o <output> <program> [args]`
 * with the install's environment (LC_ALL=C, LD_LIBRARY_PATH for libssh). The exit code is the
 * program's (nsys propagates it).
 */
export async function profileProgram(
  install: NsysInstall,
  args: ProfileArgs
): Promise<ProfileResult> {
  const argv = [
    'profile',
    '-t',
    args.trace ?? 'nvtx,osrt',
    '--sample=none',
    '--cpuctxsw=none',
    '-f',
    'true',
    '-o',
    args.output,
    args.program,
    ...(args.programArgs ?? [])
  ]
  // One nsys profile session at a time across workers (profile-lock.ts).
  const r = await exclusiveNsysProfile(() =>
    run(install.nsys, argv, {
      cwd: args.cwd,
      timeoutMs: args.timeoutMs ?? 300_000,
      env: { ...process.env, ...install.env }
    })
  )
  return { ...r, rep: `${args.output}.nsys-rep`, args: argv }
}
