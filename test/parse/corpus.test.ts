import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import type { Profile, TableName } from '../../src/profile/model.js'
import { CORPUS, SHARED_CORPUS } from '../support/paths.js'

/**
 * Every file of the corpus (test/fixtures/corpus/nsys: real nsys output from 2019.5 to 2025.3,
 * each file's first lines naming its source and version; see docs/nsys-notes.md "Sources") is
 * read, and its numbers are checked against the file: the values
 * below were transcribed from the files by hand, not from the parser.
 *
 * Files that hold no readable table must fail with the precise reason instead.
 */
interface Row {
  key: string
  name?: string
  total: number
  instances: number
  min?: number
  max?: number
  avg?: number
  med?: number | null
  stdDev?: number
  truncated?: boolean
}

interface Expected {
  tables: Partial<Record<TableName, number>>
  rows?: Partial<Record<TableName, Row[]>>
  notes?: RegExp[]
  /** Note codes the file must not get (a warning that would be wrong about it). */
  absent?: string[]
  version?: string
  reports?: Partial<Record<TableName, string>>
  gpus?: string[]
}

const H100 = 'NVIDIA H100 80GB HBM3'
const FLASH =
  'void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 128, 64, 4, cutlass::bfloat16_t>>, false, true, false, false, true, true, false>(flash::Flash_fwd_params)'
const FILL =
  'void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char *, 1>>(int, T2, T3)'
const TRITON = 'triton_poi_fused_add_"quoted"_0'

/** The synthetic report both generated nsys versions printed (corpus files generated_*). */
const GENERATED_KERNELS: Row[] = [
  {
    key: 'ampere_sgemm_128x64_tn',
    total: 3718568,
    instances: 3,
    min: 1234000,
    max: 1250001,
    avg: 1239522.7,
    med: 1234567,
    stdDev: 9078.9
  },
  {
    key: FLASH,
    total: 2100000,
    instances: 3,
    min: 690000,
    max: 710000,
    med: 700000,
    stdDev: 10000
  },
  { key: FILL, total: 20560, instances: 4, min: 5056, max: 5200, med: 5152 },
  { key: TRITON, total: 2048, instances: 1, min: 2048, max: 2048 }
]
const GENERATED_NVTX: Row[] = [
  { key: 'forward', total: 53392688, instances: 1 },
  { key: 'vllm:execute_model', total: 3999998, instances: 1 },
  { key: 'step, "warmup"', total: 2999999, instances: 1 }
]
const GENERATED_API: Row[] = [
  { key: 'cudaStreamSynchronize', total: 8000000, instances: 1 },
  { key: 'cudaLaunchKernel', total: 26000, instances: 13, avg: 2000 },
  { key: 'cudaMemsetAsync', total: 2000, instances: 1 }
]
const GENERATED_OSRT: Row[] = [
  { key: 'poll', total: 577184850, instances: 1 },
  { key: 'pthread_cond_timedwait', total: 1000000, instances: 1 },
  { key: 'ioctl', total: 352338, instances: 1 }
]
// nsys 2023.2+ prints the long memcpy labels; keys use the short ones so that versions compare.
const HTOD = (long: boolean): string =>
  long ? '[CUDA memcpy Host-to-Device]' : '[CUDA memcpy HtoD]'
const DTOH = (long: boolean): string =>
  long ? '[CUDA memcpy Device-to-Host]' : '[CUDA memcpy DtoH]'
const DTOD = (long: boolean): string =>
  long ? '[CUDA memcpy Device-to-Device]' : '[CUDA memcpy DtoD]'
const memTime = (long: boolean): Row[] => [
  {
    key: '[CUDA memcpy HtoD]',
    name: HTOD(long),
    total: 13868483,
    instances: 2,
    min: 1500,
    max: 13866983
  },
  { key: '[CUDA memcpy DtoH]', name: DTOH(long), total: 13399464, instances: 1 },
  { key: '[CUDA memcpy DtoD]', name: DTOD(long), total: 2100, instances: 1 },
  { key: '[CUDA memset]', total: 1200, instances: 1 }
]
// cuda_gpu_mem_size_sum prints MB (10^6 bytes) with three decimals.
const memSizeMb = (long: boolean): Row[] => [
  {
    key: '[CUDA memcpy HtoD]',
    name: HTOD(long),
    total: 134222000,
    instances: 2,
    min: 4000,
    max: 134218000
  },
  { key: '[CUDA memcpy DtoD]', name: DTOD(long), total: 1049000, instances: 1 },
  { key: '[CUDA memset]', total: 66000, instances: 1 }
]
const ALL_SIX = { kernels: 5, memTime: 4, memSize: 4, cudaApi: 5, nvtx: 3, osrt: 3 }

/** A text with several captures: refused without a choice; these captures checked (1-based). */
interface Captures {
  captures: number
  check: Record<number, Expected>
}

const EXPECTED: Record<string, Expected | Captures | { error: RegExp }> = {
  'JasonkayZK-blog_nsys-2023.1.2_nsys-stats_column.txt': {
    tables: { kernels: 1, memTime: 2, cudaApi: 5 },
    version: '2023.1.2',
    rows: {
      cudaApi: [
        {
          key: 'cudaMalloc',
          total: 204935456,
          instances: 3,
          avg: 68311818.7,
          med: 104741,
          min: 79097,
          max: 204751618,
          stdDev: 118160333
        },
        { key: 'cuModuleGetLoadingMode', total: 2429, instances: 1 }
      ],
      kernels: [
        {
          key: 'void add_kernel_inner_loop<float>(T1 *, const T1 *, const T1 *, unsigned long, unsigned long)',
          total: 160054287,
          instances: 1
        }
      ],
      memTime: [
        {
          key: '[CUDA memcpy HtoD]',
          total: 2318310,
          instances: 3,
          min: 761400,
          max: 793751,
          avg: 772770
        }
      ]
    }
  },
  'LittleLittleCloud_dotLLM-Optimization_prefill-profiling_nsys-2024.6.2_csv.txt': {
    // Two captures: kern_sum + api_sum, then kern_sum again after --force-export=true.
    captures: 2,
    check: {
      1: {
        tables: { kernels: 15, cudaApi: 11 },
        version: '2024.6.2',
        rows: {
          kernels: [
            {
              key: 'flash_attention_prefill_f16',
              total: 99385786,
              instances: 32,
              min: 2987340,
              max: 3777790,
              med: 3041179
            }
          ],
          cudaApi: [
            {
              key: 'cuMemcpyHtoD',
              name: 'cuMemcpyHtoD_v2',
              total: 1417580893,
              instances: 293,
              min: 6311,
              max: 125393723
            },
            { key: 'cudaLaunchKernel', total: 49911538, instances: 224 },
            { key: 'cuCtxSynchronize', total: 545103, instances: 1 }
          ]
        },
        notes: [/1 line inside the cuda_api_sum table at line 22 is not rows of it .*line 34/]
      },
      2: {
        tables: { kernels: 7 },
        version: '2024.6.2',
        rows: {
          kernels: [
            {
              key: 'flash_attention_prefill_f16',
              total: 1707204307,
              instances: 32,
              min: 51807255,
              max: 57816302,
              med: 53000722
            },
            { key: 'quantized_gemv_q6_k', total: 2513940, instances: 1 }
          ]
        }
      }
    }
  },
  'MooMooHorse_conv_kernel_note1_nsys-2019.5.2_profile-stats.txt': {
    tables: { kernels: 3, memTime: 2, memSize: 2, cudaApi: 5, osrt: 2 },
    version: '2019.5.2',
    rows: {
      cudaApi: [
        {
          key: 'cudaMemcpy',
          total: 1053104319,
          instances: 20,
          avg: 52655216,
          min: 35314,
          max: 585874693,
          med: null
        }
      ],
      kernels: [
        { key: 'conv_forward_kernel', total: 104424277, instances: 6, min: 9471, max: 81061518 },
        { key: 'do_not_remove_this_kernel', total: 2815, instances: 2, min: 1311, max: 1504 }
      ],
      memTime: [{ key: '[CUDA memcpy DtoH]', total: 972281014, instances: 6 }],
      // "CUDA Memory Operation Statistics (KiB)": 1723922.0 KiB
      memSize: [
        { key: '[CUDA memcpy DtoH]', total: 1723922 * 1024, instances: 6 },
        { key: '[CUDA memcpy HtoD]', total: 545660 * 1024, instances: 14 }
      ],
      osrt: [{ key: 'sem_timedwait', total: 98087295722, instances: 994 }]
    },
    notes: [/line 65/]
  },
  'argonne-lcf_ALCFBeginnersGuide_polaris-02_profiling_nsys-2022.4.2.1_gpukernsum.txt': {
    tables: { kernels: 6, memTime: 1, memSize: 1, cudaApi: 5, nvtx: 0, osrt: 3 },
    version: '2022.4.2.1',
    reports: { kernels: 'gpukernsum', nvtx: 'nvtxsum' },
    rows: {
      kernels: [
        {
          key: 'void add_kernel<double>(const T1 *, const T1 *, T1 *)',
          total: 58455846,
          instances: 100,
          min: 583165,
          max: 595325,
          med: 584109,
          stdDev: 2238.9
        },
        {
          key: 'void dot_kernel<double>(const T1 *, const T1 *, T1 *, int)',
          total: 43518576,
          instances: 100
        }
      ],
      osrt: [
        { key: 'poll', total: 600324911, instances: 20 },
        { key: 'ioctl', total: 97981690, instances: 1201 },
        { key: 'bind', total: 1142, instances: 1 }
      ],
      cudaApi: [{ key: 'cudaDeviceSynchronize', total: 197136841, instances: 401 }],
      memTime: [{ key: '[CUDA memcpy DtoH]', total: 61381882, instances: 103 }],
      memSize: [{ key: '[CUDA memcpy DtoH]', total: 805511000, instances: 103, max: 268435000 }]
    },
    notes: [/1 line inside the osrtsum table at line 10 is not rows of it .*line 14/]
  },
  'ayush-os_nsight-systems-deep-dive_README_profile-stats-true_2023x.txt': {
    tables: { kernels: 1, memTime: 2, memSize: 2, cudaApi: 6, nvtx: 2, osrt: 5 },
    rows: {
      nvtx: [
        { key: 'Profile_Loop', total: 3481709, instances: 1 },
        { key: 'Warmup', total: 182472, instances: 1 }
      ],
      osrt: [
        { key: 'sem_wait', total: 335987431, instances: 2 },
        { key: 'listen', total: 0, instances: 1 }
      ],
      cudaApi: [{ key: 'cudaLaunchKernel', total: 3201638, instances: 1010, min: 0, max: 138218 }],
      kernels: [
        {
          key: 'vectorAdd(const float *, const float *, float *, int)',
          total: 1831281,
          instances: 1010,
          min: 1791,
          max: 4705
        }
      ],
      memSize: [{ key: '[CUDA memcpy HtoD]', total: 0, instances: 2 }]
    },
    notes: [/osrt_sum table at line 19 is not rows of it .*line 25/]
  },
  'generated_nsys-2022.4.2_stats_default-reports_column.txt': {
    tables: ALL_SIX,
    reports: { kernels: 'gpukernsum', memTime: 'gpumemtimesum', cudaApi: 'cudaapisum' },
    rows: {
      kernels: [
        GENERATED_KERNELS[0]!,
        {
          key: 'void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4, false, false, cutlass::bfloat…',
          total: 2100000,
          instances: 3,
          truncated: true
        },
        GENERATED_KERNELS[3]!
      ],
      nvtx: GENERATED_NVTX,
      cudaApi: GENERATED_API,
      osrt: GENERATED_OSRT,
      memTime: memTime(false),
      memSize: memSizeMb(false)
    }
  },
  'generated_nsys-2022.4.2_stats_default-reports_csv.txt': {
    tables: ALL_SIX,
    reports: { kernels: 'gpukernsum', nvtx: 'nvtxsum', osrt: 'osrtsum' },
    rows: {
      kernels: GENERATED_KERNELS,
      nvtx: GENERATED_NVTX,
      cudaApi: GENERATED_API,
      osrt: GENERATED_OSRT,
      memTime: memTime(false),
      memSize: memSizeMb(false)
    }
  },
  'generated_nsys-2022.4.2_stats_new-names-unknown.txt': {
    error:
      /nsys could not find the report "cuda_gpu_kern_sum" \(nsys 2022\.4 and older know only the old report names/
  },
  'generated_nsys-2022.4.2_stats_trace-reports_csv.txt': {
    // gputrace (full names) wins over gpukernsum:base (short names): naming must match across runs.
    // nvtxgpuproj (2022.4's projection trace) is folded per range: one instance each here.
    tables: { kernels: 5, memTime: 4, memSize: 4, gpuIdle: 4, kernelShapes: 0, nvtxGpu: 3 },
    reports: {
      kernels: 'gputrace',
      memTime: 'gputrace',
      memSize: 'gputrace',
      nvtxGpu: 'nvtxgpuproj'
    },
    gpus: [H100],
    rows: {
      kernels: [
        {
          key: 'ampere_sgemm_128x64_tn',
          total: 1234567 + 1234000 + 1250001,
          instances: 3,
          min: 1234000,
          max: 1250001,
          med: null
        },
        { key: FLASH, total: 700000 + 710000 + 690000, instances: 3 },
        { key: FILL, total: 5120 + 5184 + 5056 + 5200, instances: 4, min: 5056, max: 5200 }
      ],
      memTime: [{ key: '[CUDA memcpy HtoD]', total: 13866983 + 1500, instances: 2 }],
      memSize: [
        { key: '[CUDA memcpy HtoD]', total: 134218000 + 4000, instances: 2 },
        { key: '[CUDA memset]', total: 66000, instances: 1 }
      ],
      nvtxGpu: [
        { key: 'forward', total: 33378888, instances: 1, min: 33378888, med: null },
        { key: 'step, "warmup"', total: 3769128, instances: 1 },
        { key: 'vllm:execute_model', total: 4688641, instances: 1, max: 4688641 }
      ]
    }
  },
  'generated_nsys-2023.4.4_profile-stats-true_console_and_exitcodes.txt': {
    // `nsys profile --stats=true` of a CPU-only program: every report ran, none had data.
    tables: { kernels: 0, memTime: 0, memSize: 0, cudaApi: 0, nvtx: 0, osrt: 0 }
  },
  'generated_nsys-2023.4.4_stats_column_en_US-thousands-separators.txt': {
    tables: { kernels: 5, memSize: 4, cudaApi: 5 },
    rows: {
      cudaApi: GENERATED_API,
      kernels: [GENERATED_KERNELS[0]!, GENERATED_KERNELS[3]!],
      memSize: memSizeMb(true)
    }
  },
  'generated_nsys-2023.4.4_stats_de_DE-locale_column_and_csv-timeunit-ms.txt': {
    // cuda_api_sum twice (column, then CSV, both in ms under de_DE): the same rows, read once.
    tables: { cudaApi: 5 },
    rows: {
      cudaApi: [
        { key: 'cudaStreamSynchronize', total: 8000000, instances: 1 },
        { key: 'cudaMalloc', total: 500000, instances: 1 },
        { key: 'cudaLaunchKernel', total: 26000, instances: 13, avg: 2000 }
      ]
    },
    notes: [/cuda_api_sum repeats the rows printed at line \d+ \(the same report exported again\)/],
    // Its column table's shares are misprinted (`93,0` for 93.7), not short: the table is whole.
    absent: ['rows-missing']
  },
  'generated_nsys-2023.4.4_stats_default-reports_column.txt': {
    tables: ALL_SIX,
    reports: { kernels: 'cuda_gpu_kern_sum' },
    rows: {
      kernels: [GENERATED_KERNELS[0]!, GENERATED_KERNELS[3]!],
      nvtx: GENERATED_NVTX,
      cudaApi: GENERATED_API,
      osrt: GENERATED_OSRT,
      memTime: memTime(true),
      memSize: memSizeMb(true)
    }
  },
  'generated_nsys-2023.4.4_stats_default-reports_csv.txt': {
    tables: ALL_SIX,
    reports: { kernels: 'cuda_gpu_kern_sum', memSize: 'cuda_gpu_mem_size_sum' },
    rows: {
      kernels: GENERATED_KERNELS,
      nvtx: GENERATED_NVTX,
      cudaApi: GENERATED_API,
      osrt: GENERATED_OSRT,
      memTime: memTime(true),
      memSize: memSizeMb(true)
    }
  },
  'generated_nsys-2023.4.4_stats_on_nsys-rep_sqlite-export-messages.txt': {
    tables: { kernels: 0, nvtx: 0, osrt: 3 },
    rows: {
      osrt: [
        { key: 'nanosleep', total: 200167603, instances: 1 },
        { key: 'fclose', total: 6980, instances: 2, min: 771, max: 6209, stdDev: 3845.2 },
        { key: 'fflush', total: 1702, instances: 2 }
      ]
    },
    notes: [
      /reused an existing SQLite export/,
      /nsys said "WARNING: Existing SQLite export found: cpu42\.sqlite"/
    ]
  },
  'generated_nsys-2023.4.4_stats_output-file-exists_rerun.txt': {
    error: /nsys did not write cuda_gpu_kern_sum: output file out\/ci_cuda_gpu_kern_sum\.csv exists/
  },
  'generated_nsys-2023.4.4_stats_output-files_contents.txt': {
    // Three files pasted one after the other; the `_base` variant does not replace the default names.
    tables: { kernels: 5, cudaApi: 5 },
    reports: { kernels: 'cuda_gpu_kern_sum' },
    rows: { kernels: GENERATED_KERNELS, cudaApi: GENERATED_API }
  },
  'generated_nsys-2023.4.4_stats_output-to-files_stdout.txt': {
    error: /cuda_gpu_kern_sum was written to "out\/ci_cuda_gpu_kern_sum\.csv", not to this output/
  },
  'generated_nsys-2023.4.4_stats_timeunits_nohdr_noconv_csv.txt': {
    // Captures of the same report in us, ms, and (after a headerless nohdr block, which is
    // reported, not guessed) noconv ns with cuda_gpu_trace, which gives exact bytes.
    captures: 3,
    check: {
      // Microseconds with 3 decimals: exact to the nanosecond for totals and extremes.
      1: {
        tables: { kernels: 5 },
        rows: {
          kernels: GENERATED_KERNELS.map(({ key, total, instances, min, max }) => ({
            key,
            total,
            instances,
            ...(min === undefined ? {} : { min }),
            ...(max === undefined ? {} : { max })
          }))
        }
      },
      // Milliseconds with 4 decimals; then a headerless (nohdr) block, reported, not guessed.
      2: {
        tables: { kernels: 5 },
        rows: { kernels: [{ key: 'ampere_sgemm_128x64_tn', total: 3718600, instances: 3 }] },
        notes: [/5 lines from line 20 look like table rows but no header precedes them/]
      },
      3: {
        tables: { kernels: 5, memTime: 4, memSize: 4, gpuIdle: 4, kernelShapes: 0 },
        rows: {
          kernels: GENERATED_KERNELS,
          memSize: [
            {
              key: '[CUDA memcpy HtoD]',
              name: '[CUDA memcpy Host-to-Device]',
              total: 134217728 + 4096,
              instances: 2
            },
            { key: '[CUDA memcpy DtoD]', name: DTOD(true), total: 1048576, instances: 1 },
            { key: '[CUDA memset]', total: 65536, instances: 1 }
          ]
        }
      }
    }
  },
  'generated_nsys-2023.4.4_stats_trace-and-variant-reports_csv.txt': {
    // nvtx_gpu_proj_sum wins over nvtx_gpu_proj_trace; nvtx_kern_sum: 5 + 2 + 5 range › kernel rows.
    tables: {
      kernels: 5,
      memTime: 4,
      memSize: 4,
      gpuIdle: 4,
      kernelShapes: 0,
      nvtxGpu: 3,
      nvtxKernels: 12
    },
    reports: {
      kernels: 'gpukernsum',
      memTime: 'cuda_gpu_trace',
      nvtxGpu: 'nvtx_gpu_proj_sum',
      nvtxKernels: 'nvtx_kern_sum'
    },
    gpus: [H100],
    rows: {
      kernels: GENERATED_KERNELS,
      memTime: memTime(true),
      nvtxGpu: [
        { key: 'forward', total: 33378888, instances: 1, med: 33378888, stdDev: 0 },
        { key: 'step, "warmup"', total: 3769128, instances: 1 },
        { key: 'vllm:execute_model', total: 4688641, instances: 1 }
      ],
      nvtxKernels: [
        {
          key: 'forward › ampere_sgemm_128x64_tn',
          total: 3718568,
          instances: 3,
          avg: 1239522.7,
          med: 1234567,
          min: 1234000,
          max: 1250001
        },
        { key: 'step, "warmup" › ampere_sgemm_128x64_tn', total: 3718568, instances: 3 },
        { key: 'vllm:execute_model › triton_poi_fused_add_"quoted"_0', total: 2048, instances: 1 }
      ]
    }
  },
  'generated_nsys-2023.4.4_stats_tsv_json.txt': {
    // TSV (kernels, NVTX), then NVTX again as JSON: the same rows, read once.
    tables: { kernels: 5, nvtx: 3 },
    rows: { kernels: GENERATED_KERNELS, nvtx: GENERATED_NVTX },
    notes: [/nvtx_sum repeats the rows printed at line \d+/]
  },
  'generated_nsys-2023.4.4_stats_unknown-report-name.txt': {
    tables: { kernels: 5 },
    rows: { kernels: GENERATED_KERNELS },
    notes: [
      /nsys could not find the report "no_such_report"/,
      /ERROR: Report 'no_such_report' could not be found/
    ]
  },
  'harp-lab_GPUJoin_optimization_nsys-2021.x_profile-stats.txt': {
    tables: { kernels: 6, memTime: 2, memSize: 1, cudaApi: 7 },
    rows: {
      cudaApi: [
        {
          key: 'cudaMallocManaged',
          total: 1007026419,
          instances: 4,
          min: 10500,
          max: 1006927952,
          stdDev: 503447565.4,
          med: null
        },
        { key: 'cudaStreamSynchronize', total: 28835, instances: 3 }
      ],
      kernels: [
        {
          key: 'gpu_get_join_data_dynamic(int *, int *, int *, int, int, int, int *, int, int, int)',
          total: 554278797,
          instances: 1
        },
        {
          key: 'void cub::DeviceScanKernel<cub::AgentScanPolicy<(int)128, (int)12, int, (cub::BlockLoadAlgorithm)0,…',
          total: 11968,
          instances: 1,
          truncated: true
        },
        {
          key: 'void cub::DeviceScanInitKernel<cub::ScanTileState<int, (bool)1>>(T1, int)',
          total: 4512,
          instances: 1
        }
      ],
      memTime: [
        {
          key: '[CUDA memcpy Unified HtoD]',
          name: '[CUDA Unified Memory memcpy HtoD]',
          total: 1244396,
          instances: 220,
          min: 3679,
          max: 57887
        },
        { key: '[CUDA memcpy DtoH]', total: 3328, instances: 1 }
      ],
      memSize: [
        {
          key: '[CUDA memcpy Unified HtoD]',
          name: '[CUDA Unified Memory memcpy HtoD]',
          total: 8806000,
          instances: 220
        }
      ]
    }
  },
  'ikawrakow_ik_llama.cpp_pr-1700_cuda_api_sum_excerpt.txt': {
    error: /9 lines from line 3 look like table rows but no header precedes them/
  },
  'ozakiryota_cuda_cpp_tutorial_print_array_with_prefetch_nsys-2022.1-2022.3.txt': {
    tables: { kernels: 1, memTime: 2, memSize: 2, cudaApi: 4, nvtx: 0, osrt: 3 },
    reports: { kernels: 'gpukernsum', cudaApi: 'cudaapisum', nvtx: 'nvtxsum' },
    rows: {
      osrt: [
        { key: 'poll', total: 231463209, instances: 17 },
        { key: 'bind', total: 2380, instances: 1 }
      ],
      cudaApi: [{ key: 'cudaMallocManaged', total: 190180906, instances: 1 }],
      kernels: [{ key: 'printArray(int *, unsigned long)', total: 43168, instances: 1 }],
      memTime: [
        {
          key: '[CUDA memcpy Unified HtoD]',
          name: '[CUDA Unified Memory memcpy HtoD]',
          total: 1856,
          instances: 1
        }
      ],
      memSize: [
        {
          key: '[CUDA memcpy Unified DtoH]',
          name: '[CUDA Unified Memory memcpy DtoH]',
          total: 4000,
          instances: 1
        }
      ]
    },
    notes: [/line 16/]
  },
  'unattributed-pi0-notes_nsys-2025.3.2_nsys-stats_default.txt': {
    // The excerpt ends with another run's SKIPPED kernel report: a second capture, with no data.
    captures: 2,
    check: {
      2: { tables: { kernels: 0 } },
      1: {
        tables: { kernels: 1, memTime: 2, memSize: 2, cudaApi: 7, nvtx: 5, osrt: 0 },
        version: '2025.3.2',
        rows: {
          nvtx: [
            {
              key: 'sample_actions_iter_0_num_steps_10',
              name: ':sample_actions_iter_0_num_steps_10',
              total: 23518204,
              instances: 1
            },
            {
              key: 'sample_actions_iter_3_num_steps_10',
              name: ':sample_actions_iter_3_num_steps_10',
              total: 21805076,
              instances: 1
            }
          ],
          cudaApi: [
            {
              key: 'cudaGraphLaunch',
              name: 'cudaGraphLaunch_v10000',
              total: 2474195,
              instances: 55
            },
            {
              key: 'cudaStreamIsCapturing',
              name: 'cudaStreamIsCapturing_v10000',
              total: 31751,
              instances: 55
            }
          ],
          kernels: [
            {
              key: 'void at::native::<unnamed>::multi_tensor_apply_kernel<at::native::<unnamed>::TensorListMetadata<(in…',
              total: 82112,
              instances: 45,
              truncated: true
            }
          ],
          memTime: [
            {
              key: '[CUDA memcpy DtoD]',
              name: '[CUDA memcpy Device-to-Device]',
              total: 76064,
              instances: 50
            }
          ],
          memSize: [{ key: '[CUDA memcpy DtoD]', name: DTOD(true), total: 9067000, instances: 50 }]
        }
      }
    }
  },
  'unattributed-zh-notes_nsys-2022.1.3_nsys-stats_pytorch-mnist.txt': {
    tables: { kernels: 8, memTime: 3, memSize: 3, cudaApi: 17, nvtx: 0, osrt: 2 },
    version: '2022.1.3',
    rows: {
      osrt: [{ key: 'poll', total: 80286890757, instances: 2283 }],
      cudaApi: [
        {
          key: 'cudaLaunchKernel',
          total: 2781618372,
          instances: 249116,
          min: 1392,
          max: 1587613933
        },
        {
          key: 'cudaStreamIsCapturing',
          name: 'cudaStreamIsCapturing_v10000',
          total: 1376055464,
          instances: 11854
        },
        // This row is shifted one column left in the source; cells are read by grammar, not position.
        { key: 'cuModuleUnload', total: 459241432, instances: 311, min: 2755, max: 132524991 }
      ],
      kernels: [
        {
          key: 'ampere_scudnn_winograd_128x128_ldg1_ldg4_relu_tile148t_nt_v1',
          total: 988839080,
          instances: 1652
        },
        { key: 'ampere_sgemm_128x64_tn', total: 265928530, instances: 1638 }
      ],
      memTime: [{ key: '[CUDA memset]', total: 12128482, instances: 8506 }],
      memSize: [{ key: '[CUDA memcpy HtoD]', total: 3085920000, instances: 3592 }]
    },
    notes: [/gpukernsum table at line 40 is not rows of it .*line 49/]
  },
  'vllm-project_vllm_pr-6317_cuda_gpu_kern_sum_excerpt.txt': {
    error: /7 lines from line 3 look like table rows but no header precedes them/
  }
}

describe('the nsys corpus', () => {
  it('has expectations for every corpus file, and nothing else', () => {
    expect(readdirSync(CORPUS).sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  it.runIf(existsSync(SHARED_CORPUS))('is an exact copy of ../shared/corpus', () => {
    for (const sub of ['nsys', 'rocm', 'traces']) {
      const shared = join(SHARED_CORPUS, sub)
      const ours = join(CORPUS, '..', sub)
      expect(readdirSync(ours).sort()).toEqual(readdirSync(shared).sort())
      for (const name of readdirSync(shared)) {
        expect(readFileSync(join(ours, name)).equals(readFileSync(join(shared, name))), name).toBe(
          true
        )
      }
    }
  })

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(file, async () => {
      const path = join(CORPUS, file)
      if ('error' in expected) {
        await expect(loadInput(path)).rejects.toThrow(expected.error)
        return
      }
      if ('captures' in expected) {
        // Never mixed: without a choice the text is refused, naming every capture.
        await expect(loadInput(path)).rejects.toThrow(
          new RegExp(`holds ${expected.captures} captures .*--capture N`)
        )
        expect(await loadInput(path, { captures: 'runs' })).toHaveLength(expected.captures)
        for (const [n, one] of Object.entries(expected.check)) {
          const runs = await loadInput(path, { capture: Number(n) })
          expect(runs).toHaveLength(1)
          check(runs[0] as Profile, one)
        }
        return
      }
      const runs = await loadInput(path)
      expect(runs).toHaveLength(1)
      check(runs[0] as Profile, expected)
    })
  }
})

function check(profile: Profile, expected: Expected): void {
  const counts = Object.fromEntries(
    Object.entries(profile.tables).map(([name, table]) => [name, table?.size])
  )
  expect(counts).toEqual(expected.tables)
  for (const [table, rows] of Object.entries(expected.rows ?? {}) as [TableName, Row[]][]) {
    for (const row of rows) {
      // Kernels are found by the name as printed: their keys are normalised spellings.
      const stat =
        table === 'kernels'
          ? [...(profile.tables.kernels?.values() ?? [])].find(
              (s) => s.name === (row.name ?? row.key)
            )
          : profile.tables[table]?.get(row.key)
      expect(stat, `${table} ${row.key}`).toBeDefined()
      if (!stat) continue
      expect(stat.name, `${row.key} name`).toBe(row.name ?? row.key)
      expect(stat.total, `${row.key} total`).toBeCloseTo(row.total, 3)
      expect(stat.instances, `${row.key} instances`).toBe(row.instances)
      if (row.min !== undefined) expect(stat.min, `${row.key} min`).toBeCloseTo(row.min, 3)
      if (row.max !== undefined) expect(stat.max, `${row.key} max`).toBeCloseTo(row.max, 3)
      if (row.avg !== undefined) expect(stat.avg, `${row.key} avg`).toBeCloseTo(row.avg, 3)
      if (row.med === null) expect(stat.med, `${row.key} med`).toBeUndefined()
      else if (row.med !== undefined) expect(stat.med, `${row.key} med`).toBeCloseTo(row.med, 3)
      if (row.stdDev !== undefined)
        expect(stat.stdDev, `${row.key} stdDev`).toBeCloseTo(row.stdDev, 1)
      expect(stat.truncated === true, `${row.key} truncated`).toBe(row.truncated === true)
    }
  }
  for (const note of expected.notes ?? []) {
    expect(
      profile.meta.notes.some((n) => note.test(n.message)),
      `note ${note}\n${profile.meta.notes.map((n) => n.message).join('\n')}`
    ).toBe(true)
  }
  if (!expected.notes) expect(profile.meta.notes.filter((n) => n.severity !== 'info')).toEqual([])
  for (const code of expected.absent ?? [])
    expect(profile.meta.notes.filter((n) => n.code === code)).toEqual([])
  if (expected.version) expect(profile.meta.profiler.version).toBe(expected.version)
  for (const [table, report] of Object.entries(expected.reports ?? {})) {
    expect(profile.meta.reports[table as TableName]).toBe(report)
  }
  if (expected.gpus) expect(profile.meta.gpus?.map((g) => g.name)).toEqual(expected.gpus)
}
