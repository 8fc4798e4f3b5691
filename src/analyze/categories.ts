import type { Pattern } from '../compare/pattern.js'
import { resolveLimits, type Rules } from '../compare/rules.js'
import type { Table } from '../profile/model.js'
import { scanRows } from '../profile/packed.js'
import { RenamedSums } from '../profile/stat.js'

/**
 * GPU time by category: every kernel falls in one category by its name, memory operations
 * (`cuda_gpu_mem_time_sum`) are a category of their own, and the `categories` table holds each
 * category's summed time and launches. A rules file's `categories` entries are tried first, in
 * their order, then the built-in patterns below; a kernel no pattern matches is "other".
 *
 * The patterns were drawn from real kernel names (cuBLAS, CUTLASS, cuDNN, rocBLAS/Tensile,
 * FlashAttention 2/3, FlashInfer, TensorRT-LLM, vLLM, PyTorch and Inductor, NCCL/RCCL) and are
 * documented, with examples, in docs/categories-and-host.md ("Categories"). They run on RE2 (compare/
 * pattern.ts) like the rules file's: linear in the name whatever it holds.
 */

export const CATEGORIES = {
  gemm: 'GEMM',
  attention: 'attention',
  normalisation: 'normalisation',
  elementwise: 'activation/elementwise',
  communication: 'communication',
  memory: 'memory operations',
  other: 'other'
} as const

/**
 * The built-in patterns, tried in this order, anywhere in the lowercased name's first
 * BUILT_IN_SPAN characters (the function's name and its first template arguments, where a
 * kernel says what it is; the cost stays bounded however long a name is). The order
 * matters: NCCL kernels and fused all-reduce kernels are communication before anything else;
 * attention kernels are often CUTLASS kernels (`cutlass::device_kernel<flash::FlashAttnFwdSm90…>`,
 * `fmha_cutlassF…`), so attention comes before GEMM; GEMMs with a fused activation
 * (`…gemm…_relu`) are GEMMs, so GEMM comes before activations.
 */
const BUILT_IN: readonly (readonly [string, readonly string[]])[] = [
  [
    CATEGORIES.communication,
    [
      'nccl',
      'rccl',
      'msccl',
      'nvshmem',
      // `ncclDevKernel_AllReduce`, `trtllm_allreduce_fusion`, `custom_all_reduce`: not `smallreduce`.
      '(?:^|[^a-z])all_?(?:reduce|gather|to_?all)',
      'reduce_?scatter',
      'cross_device_reduce'
    ]
  ],
  // The runtime's own copy and fill kernels (ROCm implements memcpy and memset as kernels).
  [CATEGORIES.memory, ['__amd_rocclr_(?:copy|fill)']],
  [
    CATEGORIES.attention,
    [
      'attention',
      'attn',
      'fmha',
      '(?:^|[^a-z])m?mha(?:[^a-z]|$)',
      'flash_?(?:fwd|bwd)',
      'flash::',
      'sdpa',
      'xqa',
      'paged_?kv',
      '(?:batch|single)_?(?:prefill|decode)',
      // Writes of keys and values into the paged KV cache (vLLM).
      'reshape_and_cache',
      'concat_and_cache'
    ]
  ],
  [
    CATEGORIES.gemm,
    [
      'gemm',
      'gemv',
      'matmul',
      // cuBLAS 12.8+ (`nvjet_tst_…`), rocBLAS/Tensile (`Cijk_…`), cuBLAS's split-K reduction.
      'nvjet',
      '^cijk_',
      'cublas',
      'splitkreduce',
      // Marlin and Inductor's templates (`triton_tem_fused_mm_0`, `…_addmm_…`, `…_bmm_…`).
      'marlin',
      'triton_tem_fused_\\w*mm',
      'fused_moe_kernel',
      // Convolutions, which cuDNN runs as (implicit) GEMMs.
      'scudnn',
      'hcudnn',
      'winograd',
      '(?:^|[^a-z])conv(?:olution)?_?(?:fwd|bwd|forward|backward|kernel)',
      'fprop',
      'dgrad',
      'wgrad'
    ]
  ],
  [
    CATEGORIES.normalisation,
    [
      'rms_?norm',
      'layer_?norm',
      'group_?norm',
      'batch_?norm',
      'instance_?norm',
      'bnforward',
      'bnbackward',
      // Inductor's fused RMSNorm: `triton_red_fused__to_copy_add_mean_mul_pow_rsqrt_0`.
      'triton_\\w*rsqrt'
    ]
  ],
  [
    CATEGORIES.elementwise,
    [
      'act_and_mul',
      'silu',
      'gelu',
      'relu',
      'swiglu',
      'sigmoid',
      'tanh',
      'softplus',
      'softmax',
      'elementwise',
      'triton_poi_',
      'broadcast',
      'rotary',
      'dropout',
      'fillfunctor'
    ]
  ]
]

/** How much of a name the built-in patterns read (see BUILT_IN). */
export const BUILT_IN_SPAN = 1000

/** One category's patterns. */
interface Matcher {
  category: string
  pattern: Pattern
}

/** Assigns kernel names to categories; the answers are kept (names repeat across runs). */
export class Categorizer {
  private readonly user: Matcher[]
  /** countedCategory's answers, by name: a category, or IGNORED. */
  private readonly memo = new Map<string, string>()

  constructor(private readonly rules: Rules) {
    this.user = rules.categories.map((c) => ({ category: c.category, pattern: c.match }))
  }

  /**
   * The category of a kernel of a profile's kernel table, undefined when the rules ignore it
   * (resolveLimits): one lookup a row, where a table of 20,000 kernels in ten runs a side has
   * 400,000 rows and a rules file's patterns would otherwise run on each.
   */
  countedCategory(name: string, key: string): string | undefined {
    // By the name alone: a table's key is worked out from the name (keys.ts), so the name decides
    // both; a string built of the two would cost a copy and a hash of ~300 characters a call.
    let category = this.memo.get(name)
    if (category === undefined) {
      category = resolveLimits(this.rules, 'kernels', [name, key]).ignored
        ? IGNORED
        : this.category(name, key)
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear()
      this.memo.set(name, category)
    }
    return category === IGNORED ? undefined : category
  }

  /**
   * The category of a kernel, worked out (countedCategory keeps the answers). A rules file's
   * patterns see the name as printed and the canonical key, whole (as its `rules` do); the
   * built-in ones the name's beginning, lowercased.
   */
  category(name: string, key = name): string {
    for (const m of this.user)
      if (m.pattern.test(name) || (key !== name && m.pattern.test(key))) return m.category
    const text = name.slice(0, BUILT_IN_SPAN).toLowerCase()
    for (const m of builtIn()) if (m.pattern.test(text)) return m.category
    return CATEGORIES.other
  }
}

const MEMO_LIMIT = 100_000
/** countedCategory's mark of an ignored kernel: no category's name (they are never empty). */
const IGNORED = ''

let builtInMatchers: Matcher[] | undefined

/**
 * The built-in patterns, compiled once: one alternation per category. They are ours (literals,
 * classes and optional letters, no nested repetition), so V8's own engine runs them in time
 * linear in the text, which BUILT_IN_SPAN bounds; user patterns go through RE2 (pattern.ts).
 */
function builtIn(): Matcher[] {
  builtInMatchers ??= BUILT_IN.map(([category, parts]) => {
    const re = new RegExp(parts.join('|'))
    const pattern: Pattern = { source: re.source, test: (text) => re.test(text) }
    return { category, pattern }
  })
  return builtInMatchers
}

const CATEGORIZERS = new WeakMap<Rules, Categorizer>()

/** The categorizer of a set of rules (one a comparison, shared by its profiles). */
export function categorizerFor(rules: Rules): Categorizer {
  let categorizer = CATEGORIZERS.get(rules)
  if (!categorizer) {
    categorizer = new Categorizer(rules)
    CATEGORIZERS.set(rules, categorizer)
  }
  return categorizer
}

/**
 * The `categories` table of one profile: per category, the summed time and launches of its
 * kernels, and the memory operations as "memory operations". Items the rules ignore are left
 * out, as they are of the tables they come from. Without a kernel table there is no breakdown
 * (undefined); an empty kernel table gives an empty one.
 */
export function categoryTable(
  kernels: Table | undefined,
  memTime: Table | undefined,
  rules: Rules
): Table | undefined {
  if (!kernels) return undefined
  const categorizer = categorizerFor(rules)
  const sums = new RenamedSums()
  // The sums copy what they take (RenamedSum): the rows are scanned, not made.
  scanRows(kernels, (key, stat) => {
    const category = categorizer.countedCategory(stat.name, key)
    if (category !== undefined) sums.add(category, stat)
  })
  if (memTime)
    scanRows(memTime, (key, stat) => {
      if (!resolveLimits(rules, 'memTime', [stat.name, key]).ignored)
        sums.add(CATEGORIES.memory, stat)
    })
  return sums.table()
}
