/**
 * The nvidia-smi readers on output shaped as nvidia-smi prints it (`--format=csv,nounits`: a
 * header naming the fields with their units, values separated by ", "; `[N/A]`, `[Not
 * Supported]` and old drivers' bare `N/A` for what a GPU cannot say; `nvidia-smi -L` with the MIG
 * devices indented under their GPU). The expected values are read off the text by hand.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  GPU_FIELDS,
  probeGpus,
  readComputeApps,
  readGpuList,
  readGpuQuery
} from '../../src/action/nvidia-smi.js'
import type { ProcessResult, RunProcess } from '../../src/action/process.js'
import { FIXTURES } from '../support/paths.js'

const HEADER =
  'index, uuid, name, pci.bus_id, driver_version, persistence_mode, mig.mode.current, ecc.mode.current, power.limit [W], clocks.current.sm [MHz], clocks.current.memory [MHz], clocks.max.sm [MHz], clocks.max.memory [MHz], temperature.gpu, power.draw [W]'

/** Two H100s of a DGX, clocks locked, one warmer than the other. */
const H100_X2 = `${HEADER}
0, GPU-8f2c1a3e-5b7d-4c9e-a1f0-3d2e1b9a7c55, NVIDIA H100 80GB HBM3, 00000000:18:00.0, 550.54.15, Enabled, Disabled, Enabled, 700.00, 1980, 2619, 1980, 2619, 34, 71.52
1, GPU-1b9a7c55-3d2e-4c9e-a1f0-8f2c1a3e5b7d, NVIDIA H100 80GB HBM3, 00000000:2A:00.0, 550.54.15, Enabled, Disabled, Enabled, 700.00, 1980, 2619, 1980, 2619, 41, 118.07
`

/** A consumer card: no MIG, no ECC, and a power limit the board does not report. */
const GEFORCE = `${HEADER}
0, GPU-0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6, NVIDIA GeForce RTX 4090, 00000000:01:00.0, 535.129.03, Disabled, [N/A], [N/A], [Not Supported], 210, 405, 3120, 10501, 38, [Not Supported]
`

/** An A100 split into two MIG instances: clocks as usual, MIG enabled. */
const A100_MIG = `${HEADER}
0, GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77, NVIDIA A100-SXM4-80GB, 00000000:07:00.0, 535.104.05, Enabled, Enabled, Enabled, 400.00, 1410, 1593, 1410, 1593, 30, 61.20
`

const A100_MIG_LIST = `GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77)
  MIG 3g.40gb     Device  0: (UUID: MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f)
  MIG 2g.20gb     Device  1: (UUID: MIG-0a4e1c77-9a51-5b9f-8a5c-2b0f6d3e7d11)
  MIG 1g.10gb     Device  2: (UUID: MIG-7e2d9b1a-6c3f-5a8e-9d0b-4f1e2a3c5b66)
GPU 1: NVIDIA A100-SXM4-80GB (UUID: GPU-9a7c551b-3d2e-4c9e-a1f0-8f2c1a3e5b7d)
`

describe('readGpuQuery', () => {
  it('reads every field of each GPU, numbers as numbers, and the clocks as people read them', () => {
    const { gpus, notes } = readGpuQuery(H100_X2)
    expect(notes).toEqual([])
    expect(gpus).toEqual([
      {
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        uuid: 'GPU-8f2c1a3e-5b7d-4c9e-a1f0-3d2e1b9a7c55',
        pciBusId: '00000000:18:00.0',
        driver: '550.54.15',
        persistenceMode: 'Enabled',
        migMode: 'Disabled',
        eccMode: 'Enabled',
        powerLimitW: 700,
        smClockMHz: 1980,
        memClockMHz: 2619,
        maxSmClockMHz: 1980,
        maxMemClockMHz: 2619,
        temperatureC: 34,
        powerDrawW: 71.52,
        clocks: 'sm 1980 MHz (max 1980), mem 2619 MHz'
      },
      expect.objectContaining({ index: 1, pciBusId: '00000000:2A:00.0', temperatureC: 41 })
    ])
  })

  it('leaves out what the GPU cannot say ([N/A], [Not Supported]) instead of recording it', () => {
    const [gpu, ...more] = readGpuQuery(GEFORCE).gpus
    expect(more).toEqual([])
    expect(gpu).toEqual({
      index: 0,
      name: 'NVIDIA GeForce RTX 4090',
      uuid: 'GPU-0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
      pciBusId: '00000000:01:00.0',
      driver: '535.129.03',
      persistenceMode: 'Disabled',
      smClockMHz: 210,
      memClockMHz: 405,
      maxSmClockMHz: 3120,
      maxMemClockMHz: 10501,
      temperatureC: 38,
      clocks: 'sm 210 MHz (max 3120), mem 405 MHz'
    })
  })

  it("reads old drivers' bare N/A, and values that kept their unit", () => {
    const line =
      '0, GPU-11111111-2222-3333-4444-555555555555, Tesla V100-SXM2-16GB, 00000000:00:1E.0, 418.87.01, Enabled, N/A, Enabled, 300.00 W, 1530 MHz, 877 MHz, 1530 MHz, 877 MHz, 40, 43.21 W'
    const [gpu] = readGpuQuery(`${HEADER}\n${line}\n`).gpus
    expect(gpu).toMatchObject({ powerLimitW: 300, smClockMHz: 1530, powerDrawW: 43.21 })
    expect(gpu?.migMode).toBeUndefined()
  })

  it('reads MIG mode from the query; the layout comes from nvidia-smi -L', () => {
    expect(readGpuQuery(A100_MIG).gpus[0]).toMatchObject({
      migMode: 'Enabled',
      smClockMHz: 1410
    })
    expect([...readGpuList(A100_MIG_LIST)]).toEqual([
      ['GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77', ['3g.40gb', '2g.20gb', '1g.10gb']],
      ['GPU-9a7c551b-3d2e-4c9e-a1f0-8f2c1a3e5b7d', []]
    ])
  })

  it('a header with other fields, or a line with a value too many, is a note, never a shifted value', () => {
    const short = readGpuQuery('index, uuid, name\n0, GPU-1, H100\n')
    expect(short.gpus).toEqual([])
    expect(short.notes).toEqual([
      expect.objectContaining({
        code: 'gpu-query-unreadable',
        message: expect.stringContaining(`a header of 3 fields, not the ${GPU_FIELDS.length}`)
      })
    ])
    const extra = readGpuQuery(
      `${HEADER}\n0, GPU-1, NVIDIA H100, PCIe, 00000000:18:00.0, 550.54.15, Enabled, Disabled, Enabled, 700.00, 1980, 2619, 1980, 2619, 34, 71.52\n`
    )
    expect(extra.gpus).toEqual([])
    expect(extra.notes[0]?.message).toContain('has 16 values, not 15')
  })

  it('an empty answer is a note', () => {
    expect(readGpuQuery('\n').notes[0]?.code).toBe('gpu-query-unreadable')
  })
})

describe('readComputeApps', () => {
  it('reads each process; a name with ", " stays whole; MIG reports no memory ([N/A])', () => {
    const text = `gpu_uuid, pid, used_gpu_memory [MiB], process_name
GPU-8f2c1a3e-5b7d-4c9e-a1f0-3d2e1b9a7c55, 4242, 30512, /usr/bin/python3
GPU-8f2c1a3e-5b7d-4c9e-a1f0-3d2e1b9a7c55, 4301, 812, /opt/app/serve, worker 2
GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77, 977, [N/A], python
`
    expect(readComputeApps(text)).toEqual([
      {
        pid: 4242,
        name: '/usr/bin/python3',
        gpuUuid: 'GPU-8f2c1a3e-5b7d-4c9e-a1f0-3d2e1b9a7c55',
        usedMemoryMiB: 30512
      },
      {
        pid: 4301,
        name: '/opt/app/serve, worker 2',
        gpuUuid: 'GPU-8f2c1a3e-5b7d-4c9e-a1f0-3d2e1b9a7c55',
        usedMemoryMiB: 812
      },
      { pid: 977, name: 'python', gpuUuid: 'GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77' }
    ])
  })

  it('no processes: the header alone, or the sentence some drivers print', () => {
    expect(readComputeApps('gpu_uuid, pid, used_gpu_memory [MiB], process_name\n')).toEqual([])
    expect(readComputeApps('No running processes found\n')).toEqual([])
  })
})

describe('probeGpus', () => {
  const answer = (stdout: string, code = 0): ProcessResult => ({
    code,
    signal: null,
    timedOut: false,
    stdout,
    stderr: '',
    tail: []
  })

  it('without nvidia-smi: an info note, no GPU, and no failure', async () => {
    const calls: string[][] = []
    const run: RunProcess = (command, args) => {
      calls.push([command, ...args])
      return Promise.reject(Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' }))
    }
    const snapshot = await (await probeGpus(run, {})).snapshot()
    expect(snapshot).toEqual({
      gpus: [],
      notes: [expect.objectContaining({ code: 'gpu-unrecorded', severity: 'info' })]
    })
    // Asked once; the snapshots do not try again.
    expect(calls).toEqual([['nvidia-smi', '-L']])
  })

  it('asks only for the GPUs of CUDA_VISIBLE_DEVICES, and keeps their processes alone', async () => {
    const calls: string[][] = []
    const run: RunProcess = (_command, args) => {
      calls.push([...args])
      if (args[0] === '-L') return Promise.resolve(answer(A100_MIG_LIST))
      if (args.length === 0) return Promise.resolve(answer('| CUDA Version: 12.2 |'))
      if (args[1]?.startsWith('--query-gpu=')) return Promise.resolve(answer(A100_MIG))
      return Promise.resolve(
        answer(
          'gpu_uuid, pid, used_gpu_memory [MiB], process_name\nGPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77, 977, [N/A], python\nGPU-9a7c551b-3d2e-4c9e-a1f0-8f2c1a3e5b7d, 12, 100, other\n'
        )
      )
    }
    const snapshot = await (await probeGpus(run, { CUDA_VISIBLE_DEVICES: '0' })).snapshot()
    expect(calls[2]?.[0]).toBe('--id=0')
    expect(snapshot.gpus).toEqual([
      expect.objectContaining({
        name: 'NVIDIA A100-SXM4-80GB',
        cuda: '12.2',
        migDevices: ['3g.40gb', '2g.20gb', '1g.10gb']
      })
    ])
    expect(snapshot.processes).toEqual([
      { pid: 977, name: 'python', gpuUuid: 'GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77' }
    ])
  })
})

/**
 * Real output of an H200 machine (test/fixtures/torch-h200, its README.md): the GPU query as the
 * action asks it, the compute processes (none: the header alone) and `nvidia-smi -L`. This
 * driver names `clocks.sm` and `clocks.mem` in the header as `clocks.current.sm [MHz]` and
 * `clocks.current.memory [MHz]`. The expected values are read off the files by hand.
 */
describe('the real output of an H200 (driver 580.159.04)', () => {
  const real = (file: string): string => readFileSync(join(FIXTURES, 'torch-h200', file), 'utf8')
  const query = real('nvidia-smi-query-gpu.csv')
  const apps = real('nvidia-smi-query-compute-apps.csv')
  const list = real('nvidia-smi-L.txt')
  const H200 = {
    name: 'NVIDIA H200',
    uuid: 'GPU-eb5f71c2-7687-4a65-b4e3-bdcde3b84ac9',
    pciBusId: '00000000:00:06.0',
    driver: '580.159.04',
    persistenceMode: 'Enabled',
    migMode: 'Disabled',
    eccMode: 'Enabled',
    powerLimitW: 700,
    // Idle: the SM clock down at 345 MHz, the memory clock at its maximum.
    smClockMHz: 345,
    memClockMHz: 3201,
    maxSmClockMHz: 1980,
    maxMemClockMHz: 3201,
    temperatureC: 34,
    powerDrawW: 79.99,
    clocks: 'sm 345 MHz (max 1980), mem 3201 MHz'
  }

  it('the header names the fields asked for, one column each', () => {
    const header = query.split('\n')[0]!.split(', ')
    expect(header).toHaveLength(GPU_FIELDS.length)
    expect(header[GPU_FIELDS.indexOf('clocks.sm')]).toBe('clocks.current.sm [MHz]')
    expect(header[GPU_FIELDS.indexOf('clocks.mem')]).toBe('clocks.current.memory [MHz]')
  })

  it('readGpuQuery reads every field of the GPU', () => {
    expect(readGpuQuery(query)).toEqual({ gpus: [{ index: 0, ...H200 }], notes: [] })
  })

  it('readComputeApps: the header alone is no process; readGpuList: one GPU, no MIG', () => {
    expect(readComputeApps(apps)).toEqual([])
    expect([...readGpuList(list)]).toEqual([['GPU-eb5f71c2-7687-4a65-b4e3-bdcde3b84ac9', []]])
  })

  it('probeGpus on these answers records the GPU and no other process', async () => {
    const answer = (stdout: string): ProcessResult => ({
      code: 0,
      signal: null,
      timedOut: false,
      stdout,
      stderr: '',
      tail: []
    })
    const run: RunProcess = (_command, args) => {
      if (args[0] === '-L') return Promise.resolve(answer(list))
      if (args[0]?.startsWith('--query-gpu=')) return Promise.resolve(answer(query))
      if (args[0]?.startsWith('--query-compute-apps=')) return Promise.resolve(answer(apps))
      // The plain call's table was not recorded: no CUDA version.
      return Promise.resolve(answer(''))
    }
    const snapshot = await (await probeGpus(run, {})).snapshot()
    expect(snapshot).toEqual({ gpus: [H200], processes: [], notes: [] })
  })
})
