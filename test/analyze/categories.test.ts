import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BUILT_IN_SPAN, Categorizer, categoryTable } from '../../src/analyze/categories.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadInput } from '../../src/load/index.js'
import type { Profile, Table } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'
import { profile } from '../support/profiles.js'

/**
 * GPU time by category. Kernel names are real: from the corpus (nsys, rocprof and PyTorch
 * profiler output in test/fixtures) unless marked otherwise; the category of each, and the
 * totals of real profiles, were worked out by hand.
 */

const builtIn = new Categorizer(buildRules(undefined))

describe('built-in categories of real kernel names', () => {
  const cases: [string, string][] = [
    // cuBLAS, cuBLASLt, CUTLASS, cuDNN convolutions, rocBLAS/Tensile
    [
      'sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas',
      'GEMM'
    ],
    ['ampere_sgemm_128x64_tn', 'GEMM'],
    ['nvjet_tst_320x64_64x4_2x1_2cta_v_bz_TNT', 'GEMM'],
    [
      'void cutlass::Kernel<cutlass_80_tensorop_s1688gemm_64x64_32x6_nn_align1>(cutlass_80_tensorop_s1688gemm_64x64_32x6_nn_align1::Params)',
      'GEMM'
    ],
    [
      'void splitKreduce_kernel<float, float, float, float, (bool)1, (bool)0>(cublasSplitKParams<T3>, const T1 *, const T2 *, T2 *, const T3 *, const T3 *, const T4 *, const T1 *, T4 *, void *, long, T3 *, int *)',
      'GEMM'
    ],
    [
      'void epilogue::impl::globalKernel<float, float, float, true, true>(int, int, long, float*, cublasLtEpilogue_t, int, float*, long, void*, long, long, long, float*, long, int*)',
      'GEMM'
    ],
    ['cudnn_ampere_scudnn_128x64_relu_xregs_large_nn_v1', 'GEMM'],
    [
      'sm80_xmma_fprop_implicit_gemm_indexed_tf32f32_tf32f32_f32_nhwckrsc_nchw_tilesize128x128x16_stage4_warpsize2x2x1_g1_tensor16x8x8_alignc4_execute_kernel_cudnn',
      'GEMM'
    ],
    [
      'Cijk_Alik_Bljk_SB_Bias_AS_SAV_UserArgs_MT64x16x32_MI16x16x1_SN_LDSB0_AFC1_AFEM1_AFEM1_ASEM1_CLR1_CADS0_EPS0_GRVWA2_GRVWB2_GSUAMB_ISA90a_IU1_K1',
      'GEMM'
    ],
    // FlashAttention 2, TensorRT-LLM's Blackwell FMHA, vLLM's KV-cache write
    [
      'void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, true, false, false, false, true, true, false, false>(flash::Flash_fwd_params)',
      'attention'
    ],
    [
      'fmhaSm100fKernel_QkvBfloat16OBfloat16H128PagedKvCausalP16VarSeqQ128Kv128PersistentContext',
      'attention'
    ],
    [
      'void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, __nv_bfloat16, (vllm::Fp8KVCacheDataType)0>(const __nv_bfloat16*, const __nv_bfloat16*, __nv_bfloat16*, __nv_bfloat16*, const long*, int, int, int, int, int, int, const float*, const float*)',
      'attention'
    ],
    // Normalisation: vLLM, Inductor's fused RMSNorm, Paddle's batch norm
    [
      'void vllm::rms_norm_kernel<c10::BFloat16>(c10::BFloat16*, const c10::BFloat16*, const c10::BFloat16*, float, int, int)',
      'normalisation'
    ],
    [
      'void vllm::fused_add_rms_norm_kernel<c10::BFloat16, 8>(c10::BFloat16*, c10::BFloat16*, const c10::BFloat16*, float, int, int)',
      'normalisation'
    ],
    ['triton_red_fused__to_copy_add_mean_mul_pow_rsqrt_0', 'normalisation'],
    [
      'void phi::BNForwardInference<float, (common::DataLayout)2>(float const*, phi::backends::gpu::CudnnDataType<float>::BatchNormParamType const*)',
      'normalisation'
    ],
    // Activations and element-wise kernels
    [
      'void vllm::act_and_mul_kernel<c10::BFloat16, &vllm::silu_kernel<c10::BFloat16>, true>(c10::BFloat16*, const c10::BFloat16*, int)',
      'activation/elementwise'
    ],
    ['triton_poi_fused_add_mul_0', 'activation/elementwise'],
    [
      'void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char *, 1>>(int, T2, T3)',
      'activation/elementwise'
    ],
    [
      'void <unnamed>::softmax_warp_forward<float, float, float, (int)7, (bool)1, (bool)0>(T2 *, const T1 *, int, int, int, const bool *, int, bool)',
      'activation/elementwise'
    ],
    [
      'void vllm::rotary_embedding_kernel<c10::BFloat16, true>(const long*, c10::BFloat16*, c10::BFloat16*, const c10::BFloat16*, int, long, long, int, int, int)',
      'activation/elementwise'
    ],
    // NCCL, and FlashInfer's all-reduce fused with RMSNorm: communication before anything else
    ['ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)', 'communication'],
    [
      'ncclDevKernel_AllGather_RING_LL(ncclDevKernelArgsStorage<(unsigned long)4096>)',
      'communication'
    ],
    [
      'void flashinfer::trtllm_allreduce_fusion::allreduce_fusion_kernel_twoshot_sync<(flashinfer::trtllm_allreduce_fusion::AllReduceFusionPattern)1>',
      'communication'
    ],
    // ROCm's runtime fills and copies with kernels of its own
    ['__amd_rocclr_fillBufferAligned', 'memory operations'],
    // Reductions, sorting, gathers, user kernels
    [
      'void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>>(at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>)',
      'other'
    ],
    ['NormKernel1(int, double, double, double const*, double*)', 'other'],
    ['vectorAdd(const float *, const float *, float *, int)', 'other'],
    [
      'void at::native::(anonymous namespace)::CatArrayBatchedCopy_aligned16_contig<at::native::(anonymous namespace)::OpaqueType<4u>, unsigned int, 1, 128, 1>',
      'other'
    ],
    ['void cub::DeviceScanInitKernel<cub::ScanTileState<int, (bool)1>>(T1, int)', 'other'],
    // Not in the corpus: spellings from the projects' sources (FlashAttention 3, FlashInfer,
    // vLLM's paged attention, custom all-reduce and fused MoE, TensorRT-LLM's MMHA).
    [
      'void cutlass::device_kernel<flash::enable_sm90_or_later<flash::FlashAttnFwdSm90<flash::CollectiveMainloopFwdSm90<2, cute::tuple<cute::C<1>>>>>>(T1::Params)',
      'attention'
    ],
    [
      'void flashinfer::BatchPrefillWithPagedKVCacheKernel<flashinfer::KernelTraits<(flashinfer::MaskMode)1, 128u>>(flashinfer::BatchPrefillPagedParams)',
      'attention'
    ],
    [
      'void vllm::paged_attention_v2_kernel<unsigned short, unsigned short, 128, 16, 128, (vllm::Fp8KVCacheDataType)0, false, 512>',
      'attention'
    ],
    ['void mmha::masked_multihead_attention_kernel<unsigned short, 128>', 'attention'],
    ['void vllm::cross_device_reduce_1stage<__nv_bfloat16, 2>(vllm::RankData*)', 'communication'],
    ['fused_moe_kernel', 'GEMM']
  ]
  it.each(cases)('%s', (name, category) => expect(builtIn.category(name)).toBe(category))

  it('reads a bounded span of a name: a 20 MB name costs no more than a short one', () => {
    const long = `nccl_${'x'.repeat(20_000_000)}`
    expect(builtIn.category(long)).toBe('communication')
    // A keyword past the span is not seen by the built-in patterns.
    expect(builtIn.category(`${'x'.repeat(BUILT_IN_SPAN)}gemm`)).toBe('other')
  })
})

describe('categories from the rules file', () => {
  it('come first, in their order, matched on the name and the canonical key', () => {
    const rules = buildRules({
      categories: [
        { match: '^ncclDevKernel_AllReduce', category: 'all-reduce' },
        { match: 'moe', category: 'MoE' },
        { match: 'nccl', category: 'never: the entry above matched first' },
        // The key spells `float const*` as `const float*`: a pattern on either spelling works.
        { match: 'k\\(const float\\*\\)', category: 'by key' }
      ]
    })
    const c = new Categorizer(rules)
    expect(c.category('ncclDevKernel_AllReduce_Sum_bf16_RING_LL(x)')).toBe('all-reduce')
    expect(c.category('fused_moe_kernel')).toBe('MoE')
    expect(c.category('void k(float const*)', 'void k(const float*)')).toBe('by key')
    // What no entry matches falls to the built-in patterns, then to "other".
    expect(c.category('ncclDevKernel_AllGather_RING_LL(x)')).toBe(
      'never: the entry above matched first'
    )
    expect(c.category('ampere_sgemm_128x64_tn')).toBe('GEMM')
    expect(c.category('my_kernel')).toBe('other')
  })
})

const rows = (table: Table | undefined) =>
  Object.fromEntries(
    [...(table ?? [])].map(([key, s]) => [key, { total: s.total, instances: s.instances }])
  )

describe('the categories table', () => {
  it('of a real vLLM profile (Qwen-7B, nsys boxed table), by hand', async () => {
    const [p] = await loadInput(
      join(
        FIXTURES,
        'public',
        'unattributed_vllm-qwen7b-host-path_table-format_cuda_gpu_kern_sum_nsys-ncu2025.1.1-bundle.txt'
      )
    )
    const kernels = (p as Profile).tables.kernels
    const table = categoryTable(kernels, undefined, buildRules(undefined))
    // attention: 4 fmhaSm100f kernels (24038586640 + 3602652081 + 1300739111 + 26536208) and
    // reshape_and_cache_flash (1055128733); communication: ncclDevKernel_AllGather (979257472)
    // and FlashInfer's allreduce_fusion (88744119); GEMM: 3 nvjet (392092900 + 193165670 +
    // 29733109); element-wise: 11 rows of PyTorch element-wise kernels; other: repetition
    // penalties, argmax reduce, gather, slot mapping, rejection sampling.
    expect(rows(table)).toEqual({
      attention: { total: 30023642773, instances: 1053808 },
      communication: { total: 1068001591, instances: 13796 },
      GEMM: { total: 614991679, instances: 12836 },
      'activation/elementwise': { total: 3527544133, instances: 575900 },
      other: { total: 1061185619, instances: 122368 }
    })
    // Nothing lost: the categories add up to the kernel table.
    let kernelTotal = 0
    for (const s of kernels?.values() ?? []) kernelTotal += s.total
    let categoryTotal = 0
    for (const s of table?.values() ?? []) categoryTotal += s.total
    expect(categoryTotal).toBe(kernelTotal)
  })

  it('adds memory operations as a category, and leaves out what the rules ignore', () => {
    const p = profile({
      kernels: { ampere_sgemm_128x64_tn: [3000, 3], warmup_gemm: [1000, 1], my_kernel: 50 },
      memTime: { '[CUDA memcpy Host-to-Device]': [200, 2], '[CUDA memset]': 30 }
    })
    const table = categoryTable(
      p.tables.kernels,
      p.tables.memTime,
      buildRules({ ignore: ['^warmup'] })
    )
    expect(rows(table)).toEqual({
      GEMM: { total: 3000, instances: 3 },
      other: { total: 50, instances: 1 },
      'memory operations': { total: 230, instances: 3 }
    })
  })

  it('is absent without a kernel table, and empty with an empty one', () => {
    const rules = buildRules(undefined)
    expect(categoryTable(undefined, new Map(), rules)).toBeUndefined()
    expect(categoryTable(new Map(), undefined, rules)?.size).toBe(0)
  })
})
