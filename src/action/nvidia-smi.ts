import type { GpuInfo, GpuProcess, Note } from '../profile/model.js'
import { clip, quoted } from '../text.js'
import type { RunProcess } from './process.js'

/**
 * The GPU's fingerprint from nvidia-smi: what each run records before it starts (model, UUID,
 * driver, CUDA, clocks, power limit, persistence mode, MIG and ECC state, temperature, power
 * draw) and the compute processes already on the GPU. The readers below are pure (text in,
 * values out) and tested on recorded output; `probeGpus` is the edge that runs nvidia-smi.
 *
 * Formats (nvidia-smi --help-query-gpu, --help-query-compute-apps): `--format=csv,nounits` prints
 * a header line naming the fields (units in brackets, e.g. `power.limit [W]`), then one line per
 * GPU (per process), the values separated by ", ". A value the GPU or driver cannot give is
 * `[N/A]`, `[Not Supported]`, or another bracketed word (`[Unknown Error]`, `[Insufficient
 * Permissions]`), `N/A` in old drivers: each is read as "unknown", never as a value.
 */

/** The fields asked for, in this order (the header names them; values are read by position). */
export const GPU_FIELDS = [
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'driver_version',
  'persistence_mode',
  'mig.mode.current',
  'ecc.mode.current',
  'power.limit',
  'clocks.sm',
  'clocks.mem',
  'clocks.max.sm',
  'clocks.max.mem',
  'temperature.gpu',
  'power.draw'
] as const

export const PROCESS_FIELDS = ['gpu_uuid', 'pid', 'used_memory', 'process_name'] as const

/** A value nvidia-smi could not give: bracketed (`[N/A]`, `[Not Supported]`, …) or bare `N/A`. */
function known(value: string | undefined): string | undefined {
  const v = value?.trim()
  if (!v || /^\[.{0,80}\]$/.test(v) || /^N\/A$/i.test(v)) return undefined
  return v
}

function numberOf(value: string | undefined): number | undefined {
  const v = known(value)
  if (v === undefined) return undefined
  // nounits drops the unit; a value that kept one ("1980 MHz") is read up to it.
  const match = /^(-?\d{1,12}(?:\.\d{1,6})?)(?:\s*[A-Za-z%]{1,4})?$/.exec(v)
  return match ? Number(match[1]) : undefined
}

/** The lines of a CSV answer: header (if any) and rows, without blank lines. */
function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
}

export interface GpuQuery {
  /** By nvidia-smi's index; `clocks` filled as people read it. */
  gpus: (GpuInfo & { index?: number })[]
  notes: Note[]
}

/**
 * Reads `nvidia-smi --query-gpu=<GPU_FIELDS> --format=csv,nounits` (a header line first). A line
 * whose number of values is not the number of fields cannot be read by position: it is left out,
 * with a note.
 */
export function readGpuQuery(text: string): GpuQuery {
  const notes: Note[] = []
  const all = lines(text)
  const header = all[0]
  if (header === undefined) {
    return {
      gpus: [],
      notes: [
        { code: 'gpu-query-unreadable', severity: 'warning', message: 'nvidia-smi listed no GPU.' }
      ]
    }
  }
  const columns = header.split(',').length
  if (columns !== GPU_FIELDS.length || !/^index\b/i.test(header)) {
    return {
      gpus: [],
      notes: [
        {
          code: 'gpu-query-unreadable',
          severity: 'warning',
          message: `nvidia-smi answered the GPU query with a header of ${columns} fields, not the ${GPU_FIELDS.length} asked for: ${quoted(header, 200)}. The GPUs were not recorded.`
        }
      ]
    }
  }
  const gpus: GpuQuery['gpus'] = []
  for (const line of all.slice(1)) {
    const cells = line.split(', ')
    if (cells.length !== GPU_FIELDS.length) {
      notes.push({
        code: 'gpu-query-unreadable',
        severity: 'warning',
        message: `an nvidia-smi line has ${cells.length} values, not ${GPU_FIELDS.length}: ${quoted(line, 200)}; that GPU was not recorded.`
      })
      continue
    }
    const at = (field: (typeof GPU_FIELDS)[number]): string | undefined =>
      known(cells[GPU_FIELDS.indexOf(field)])
    const name = at('name')
    if (!name) continue
    const gpu: GpuInfo & { index?: number } = { name }
    const index = numberOf(at('index'))
    if (index !== undefined) gpu.index = index
    type TextKey = 'uuid' | 'pciBusId' | 'driver' | 'persistenceMode' | 'migMode' | 'eccMode'
    type NumberKey =
      | 'powerLimitW'
      | 'smClockMHz'
      | 'memClockMHz'
      | 'maxSmClockMHz'
      | 'maxMemClockMHz'
      | 'temperatureC'
      | 'powerDrawW'
    const text: [TextKey, (typeof GPU_FIELDS)[number]][] = [
      ['uuid', 'uuid'],
      ['pciBusId', 'pci.bus_id'],
      ['driver', 'driver_version'],
      ['persistenceMode', 'persistence_mode'],
      ['migMode', 'mig.mode.current'],
      ['eccMode', 'ecc.mode.current']
    ]
    for (const [key, field] of text) {
      const v = at(field)
      if (v !== undefined) gpu[key] = v
    }
    const numbers: [NumberKey, (typeof GPU_FIELDS)[number]][] = [
      ['powerLimitW', 'power.limit'],
      ['smClockMHz', 'clocks.sm'],
      ['memClockMHz', 'clocks.mem'],
      ['maxSmClockMHz', 'clocks.max.sm'],
      ['maxMemClockMHz', 'clocks.max.mem'],
      ['temperatureC', 'temperature.gpu'],
      ['powerDrawW', 'power.draw']
    ]
    for (const [key, field] of numbers) {
      const v = numberOf(at(field))
      if (v !== undefined) gpu[key] = v
    }
    if (gpu.smClockMHz !== undefined && gpu.memClockMHz !== undefined)
      gpu.clocks = `sm ${gpu.smClockMHz} MHz (max ${gpu.maxSmClockMHz ?? '?'}), mem ${gpu.memClockMHz} MHz`
    gpus.push(gpu)
  }
  return { gpus, notes }
}

/**
 * Reads `nvidia-smi --query-compute-apps=<PROCESS_FIELDS> --format=csv,nounits`: a header, then
 * one line per process (none: the header alone, or "No running processes found"). The process
 * name comes last, so that one holding ", " stays whole. With MIG, used memory is `[N/A]`.
 */
export function readComputeApps(text: string): GpuProcess[] {
  const out: GpuProcess[] = []
  for (const line of lines(text)) {
    if (/^gpu_uuid\b/i.test(line) || /^No running/i.test(line)) continue
    const [uuid, pid, memory, ...name] = line.split(', ')
    const id = Number(known(pid))
    if (!Number.isSafeInteger(id) || id <= 0) continue
    const p: GpuProcess = { pid: id, name: clip(known(name.join(', ')) ?? '', 300) }
    const gpuUuid = known(uuid)
    if (gpuUuid) p.gpuUuid = gpuUuid
    const used = numberOf(memory)
    if (used !== undefined) p.usedMemoryMiB = used
    out.push(p)
  }
  return out
}

/**
 * Reads `nvidia-smi -L`: each GPU's UUID and, with MIG on, its GPU instances' profiles in order
 * (`  MIG 3g.40gb     Device  0: (UUID: MIG-…)`); the MIG layout is the list of profiles.
 */
export function readGpuList(text: string): Map<string, string[]> {
  const layouts = new Map<string, string[]>()
  let current: string[] | undefined
  for (const raw of text.split(/\r?\n/)) {
    const gpu = /^GPU \d{1,4}: .{0,200}\(UUID: (GPU-[\w-]{1,100})\)\s*$/.exec(raw)
    if (gpu?.[1]) {
      current = []
      layouts.set(gpu[1], current)
      continue
    }
    const mig = /^\s+MIG (\S{1,40})\s+Device\s+\d{1,4}:/.exec(raw)
    if (mig?.[1] && current) current.push(mig[1])
  }
  return layouts
}

/** The codes of the notes a look at the GPUs leaves on a profile. */
export const GPU_NOTES: ReadonlySet<string> = new Set([
  'gpu-unrecorded',
  'gpu-query-failed',
  'gpu-query-unreadable',
  'gpu-processes-unknown'
])

/** What one look at the GPUs found, before a run. */
export interface GpuSnapshot {
  gpus: GpuInfo[]
  /** Undefined when the processes could not be listed. */
  processes?: GpuProcess[]
  notes: Note[]
}

export interface GpuProbe {
  snapshot: () => Promise<GpuSnapshot>
}

/**
 * Starts looking at the GPUs: `nvidia-smi -L` (is it there; the MIG layout) and the plain call
 * (the CUDA version), once; then each snapshot queries the GPUs and their processes. Only the
 * GPUs of CUDA_VISIBLE_DEVICES, when it lists indices or GPU UUIDs. No nvidia-smi is a note, not
 * a failure: the profiles then record no GPU.
 */
export async function probeGpus(run: RunProcess, env: NodeJS.ProcessEnv): Promise<GpuProbe> {
  const smi = async (
    args: string[]
  ): Promise<{ code: number | null; stdout: string } | 'missing'> => {
    try {
      const r = await run('nvidia-smi', args, { env: { ...env, LC_ALL: 'C' }, timeoutMs: 60_000 })
      return { code: r.code, stdout: r.stdout }
    } catch {
      return 'missing'
    }
  }
  const list = await smi(['-L'])
  if (list === 'missing') {
    const note: Note = {
      code: 'gpu-unrecorded',
      severity: 'info',
      message:
        'nvidia-smi was not found: the GPU model, driver, clocks and other processes on the GPU were not recorded, so the checks that compare them could not run.'
    }
    return { snapshot: () => Promise.resolve({ gpus: [], notes: [note] }) }
  }
  const layouts = list.code === 0 ? readGpuList(list.stdout) : new Map<string, string[]>()
  const plain = await smi([])
  const cuda =
    plain !== 'missing'
      ? /CUDA Version:\s*(\d{1,3}(?:\.\d{1,3}){0,2})/.exec(plain.stdout)?.[1]
      : undefined
  const visible = env.CUDA_VISIBLE_DEVICES?.trim()
  const ids =
    visible && /^(?:\d{1,3}|GPU-[\w-]{1,100})(?:,(?:\d{1,3}|GPU-[\w-]{1,100})){0,63}$/.test(visible)
      ? [`--id=${visible}`]
      : []
  return {
    snapshot: async () => {
      const notes: Note[] = []
      const query = await smi([
        ...ids,
        `--query-gpu=${GPU_FIELDS.join(',')}`,
        '--format=csv,nounits'
      ])
      if (query === 'missing' || query.code !== 0) {
        return {
          gpus: [],
          notes: [
            {
              code: 'gpu-query-failed',
              severity: 'warning',
              message: `nvidia-smi failed to list the GPUs${query === 'missing' ? '' : ` (exit code ${query.code})`}: the GPU was not recorded for this run.`
            }
          ]
        }
      }
      const read = readGpuQuery(query.stdout)
      notes.push(...read.notes)
      const gpus: GpuInfo[] = read.gpus.map(({ index: _, ...gpu }) => {
        if (cuda) gpu.cuda = cuda
        const mig = gpu.uuid ? layouts.get(gpu.uuid) : undefined
        if (mig && mig.length > 0) gpu.migDevices = mig
        return gpu
      })
      const apps = await smi([
        `--query-compute-apps=${PROCESS_FIELDS.join(',')}`,
        '--format=csv,nounits'
      ])
      const snapshot: GpuSnapshot = { gpus, notes }
      if (apps !== 'missing' && apps.code === 0) {
        const mine = new Set(gpus.map((g) => g.uuid).filter(Boolean))
        snapshot.processes = readComputeApps(apps.stdout).filter(
          (p) => ids.length === 0 || !p.gpuUuid || mine.has(p.gpuUuid)
        )
      } else {
        notes.push({
          code: 'gpu-processes-unknown',
          severity: 'info',
          message:
            'nvidia-smi could not list the compute processes: other work on the GPU was not looked for.'
        })
      }
      return snapshot
    }
  }
}
