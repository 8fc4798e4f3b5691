/**
 * The embedded demo: captured `nsys stats --format csv` output (Nsight Systems 2023.4 layout) of
 * an LLM-serving decode benchmark (Llama-style model, 32 layers, 512 decode steps, TP=2 on H100):
 * cuBLAS GEMMs, FlashAttention, RMSNorm, SiLU, rotary embedding, KV-cache writes, NCCL
 * all-reduce, sampling. The head is a pull request that fuses RMSNorm into the residual add and
 * bumps FlashAttention: attention got slower, the activation faster, a tiny Triton kernel jumped
 * by 44 % but stays under the absolute floor, and NCCL moved within its noise.
 *
 * Generated once by a script (numbers are synthetic but shaped like real vLLM profiles) and
 * kept verbatim here so that `npm run demo` runs the real parser on real-format text.
 */

export const BASELINE_CAPTURE = `Generating SQLite file baseline.sqlite from baseline.nsys-rep
Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/nvtx_sum.py]... 
Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Style,Range
50.5,1013760000,512,1980000.0,1960200.0,1683000,2574000,99000.0,PushPop,execute_model
46.1,924160000,512,1805000.0,1786950.0,1534250,2346500,90250.0,PushPop,forward
2.4,47616000,512,93000.0,91140.0,65099,148800,9300.0,PushPop,prepare_inputs
1.0,20992000,512,41000.0,40344.0,31160,60680,3280.0,PushPop,sample

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/osrt_sum.py]... 
Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
54.9,928200000,420,2210000.0,1989000.0,220999,8840000,1105000.0,poll
41.7,704000000,1100,640000.0,563200.0,63999,2944000,384000.0,pthread_cond_timedwait
3.0,50960000,9800,5200.0,4368.0,519,30160,4160.0,ioctl
0.4,6510000,3100,2100.0,1890.0,209,8400,1050.0,read

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_api_sum.py]... 
Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
90.9,942080000,512,1840000.0,1821600.0,1564000,2392000,92000.0,cudaStreamSynchronize
6.2,63897600,20480,3120.0,2995.2,1247,6864,624.0,cudaLaunchKernel
1.2,12902400,1536,8400.0,7896.0,840,23520,2520.0,cudaMemcpyAsync
0.8,8622080,2048,4210.0,4041.6,1683,9262,842.0,cuLaunchKernel
0.7,7270400,512,14200.0,13916.0,9940,22720,1420.0,cudaGraphLaunch_v10000
0.1,1546240,1024,1510.0,1449.6,603,3322,302.0,cudaEventRecord

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_kern_sum.py]... 
Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
34.5,702873600,32768,21450.0,21364.2,20163,24024,429.0,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas
19.0,387973120,32768,11840.0,11484.8,6512,22496,1776.0,ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)
14.0,284753920,16384,17380.0,17310.5,16337,19465,347.6,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas
11.4,232816640,16384,14210.0,14096.3,12504,17620,568.4,"void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, true, false, false, false, true, true, false, false>(flash::Flash_fwd_params)"
7.3,149422080,16384,9120.0,9065.3,8299,10761,273.6,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x64x64_warpgroupsize1x1x1_execute_segment_k_on_kernel__5x_cublas
3.9,79790080,16384,4870.0,4840.8,4431,5746,146.1,"void vllm::act_and_mul_kernel<c10::BFloat16, &vllm::silu_kernel<c10::BFloat16>, true>(c10::BFloat16*, const c10::BFloat16*, int)"
3.9,78970880,32768,2410.0,2385.9,2048,3133,120.5,"void vllm::rms_norm_kernel<c10::BFloat16>(c10::BFloat16*, const c10::BFloat16*, const c10::BFloat16*, float, int, int)"
2.4,49479680,16384,3020.0,3001.9,2748,3563,90.6,"void flash::flash_fwd_splitkv_combine_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, 4, 3, false>(flash::Flash_fwd_params)"
1.6,31621120,16384,1930.0,1914.6,1698,2393,77.2,"void vllm::rotary_embedding_kernel<c10::BFloat16, true>(const long*, c10::BFloat16*, c10::BFloat16*, const c10::BFloat16*, int, long, long, int, int, int)"
1.4,28016640,16384,1710.0,1692.9,1453,2223,85.5,"void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, __nv_bfloat16, (vllm::Fp8KVCacheDataType)0>(const __nv_bfloat16*, const __nv_bfloat16*, __nv_bfloat16*, __nv_bfloat16*, const long*, int, int, int, int, int, int, const float*, const float*)"
0.2,3194880,512,6240.0,6177.6,5304,8112,312.0,"void at::native::sbtopk::gatherTopK<float, unsigned int, 2, false>(at::cuda::detail::TensorInfo<const float, unsigned int>, unsigned int, unsigned int, bool, unsigned int, unsigned int, at::cuda::detail::TensorInfo<float, unsigned int>, unsigned int, at::cuda::detail::TensorInfo<long, unsigned int>, unsigned int)"
0.1,2058240,512,4020.0,3987.8,3537,4984,160.8,"void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>>(at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>)"
0.1,1812480,1536,1180.0,1168.2,1003,1534,59.0,"void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char *, 1>>(int, T2, T3)"
0.1,1592320,512,3110.0,3085.1,2736,3856,124.4,"void at::native::(anonymous namespace)::cunn_SoftMaxForward<4, float, float, float, at::native::(anonymous namespace)::SoftMaxForwardEpilogue>(float*, const float*, int)"
0.1,1510400,512,2950.0,2920.5,2507,3835,147.5,"void at::native::(anonymous namespace)::indexSelectLargeIndex<c10::BFloat16, long, unsigned int, 2, 2, -2, true>(at::cuda::detail::TensorInfo<c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<const c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<const long, unsigned int>, int, int, unsigned int, unsigned int, long)"
0.1,1141760,512,2230.0,2212.2,1962,2765,89.2,"void at::native::elementwise_kernel<128, 2, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, const at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, const at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}&)::{lambda(int)#1})"
0.0,727040,512,1420.0,1405.8,1207,1846,71.0,triton_poi_fused_add_mul_0

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_mem_time_sum.py]... 
Time (%),Total Time (ns),Count,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Operation
40.4,2990080,2048,1460.0,1430.8,1021,2336,146.0,[CUDA memcpy Device-to-Device]
39.9,2959360,1024,2890.0,2832.2,2022,4624,289.0,[CUDA memcpy Host-to-Device]
11.9,880640,512,1720.0,1685.6,1204,2752,172.0,[CUDA memcpy Device-to-Host]
7.8,578560,512,1130.0,1118.7,960,1469,56.5,[CUDA memset]

Processing [baseline.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_mem_size_sum.py]... 
Total (MB),Count,Avg (MB),Med (MB),Min (MB),Max (MB),StdDev (MB),Operation
4294.967,2048,2.097,2.097,2.097,2.097,0.000,[CUDA memcpy Device-to-Device]
134.218,1024,0.131,0.131,0.131,0.131,0.000,[CUDA memcpy Host-to-Device]
33.554,512,0.066,0.066,0.066,0.066,0.000,[CUDA memset]
2.097,512,0.004,0.004,0.004,0.004,0.000,[CUDA memcpy Device-to-Host]

`

export const HEAD_CAPTURE = `Generating SQLite file head.sqlite from head.nsys-rep
Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/nvtx_sum.py]... 
Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Style,Range
50.6,1036800000,512,2025000.0,2004750.0,1721250,2632500,101250.0,PushPop,execute_model
46.1,945152000,512,1846000.0,1827540.0,1569100,2399800,92300.0,PushPop,forward
2.3,47616000,512,93000.0,91140.0,65099,148800,9300.0,PushPop,prepare_inputs
1.0,20992000,512,41000.0,40344.0,31160,60680,3280.0,PushPop,sample

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/osrt_sum.py]... 
Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
54.9,928200000,420,2210000.0,1989000.0,220999,8840000,1105000.0,poll
41.7,704000000,1100,640000.0,563200.0,63999,2944000,384000.0,pthread_cond_timedwait
3.0,50960000,9800,5200.0,4368.0,519,30160,4160.0,ioctl
0.4,6510000,3100,2100.0,1890.0,209,8400,1050.0,read

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_api_sum.py]... 
Time (%),Total Time (ns),Num Calls,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
90.9,967680000,512,1890000.0,1871100.0,1606500,2457000,94500.0,cudaStreamSynchronize
6.2,66124800,20992,3150.0,3024.0,1259,6930,630.0,cudaLaunchKernel
1.2,12902400,1536,8400.0,7896.0,840,23520,2520.0,cudaMemcpyAsync
0.8,8622080,2048,4210.0,4041.6,1683,9262,842.0,cuLaunchKernel
0.7,7270400,512,14200.0,13916.0,9940,22720,1420.0,cudaGraphLaunch_v10000
0.1,1546240,1024,1510.0,1449.6,603,3322,302.0,cudaEventRecord

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_kern_sum.py]... 
Time (%),Total Time (ns),Instances,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Name
34.5,702873600,32768,21450.0,21364.2,20163,24024,429.0,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas
19.3,393543680,32768,12010.0,11649.7,6605,22819,1801.5,ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)
14.0,284753920,16384,17380.0,17310.5,16337,19465,347.6,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas
12.5,254279680,16384,15520.0,15395.8,13657,19244,620.8,"void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, true, false, false, false, true, true, false, false>(flash::Flash_fwd_params)"
7.3,149422080,16384,9120.0,9065.3,8299,10761,273.6,sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x64x64_warpgroupsize1x1x1_execute_segment_k_on_kernel__5x_cublas
3.5,70615040,16384,4310.0,4284.1,3922,5085,129.3,"void vllm::act_and_mul_kernel<c10::BFloat16, &vllm::silu_kernel<c10::BFloat16>, true>(c10::BFloat16*, const c10::BFloat16*, int)"
2.9,59965440,32768,1830.0,1811.7,1555,2379,91.5,"void vllm::fused_add_rms_norm_kernel<c10::BFloat16, 8>(c10::BFloat16*, c10::BFloat16*, const c10::BFloat16*, float, int, int)"
2.4,49479680,16384,3020.0,3001.9,2748,3563,90.6,"void flash::flash_fwd_splitkv_combine_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t>>, 4, 3, false>(flash::Flash_fwd_params)"
1.6,31621120,16384,1930.0,1914.6,1698,2393,77.2,"void vllm::rotary_embedding_kernel<c10::BFloat16, true>(const long*, c10::BFloat16*, c10::BFloat16*, const c10::BFloat16*, int, long, long, int, int, int)"
1.4,28016640,16384,1710.0,1692.9,1453,2223,85.5,"void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, __nv_bfloat16, (vllm::Fp8KVCacheDataType)0>(const __nv_bfloat16*, const __nv_bfloat16*, __nv_bfloat16*, __nv_bfloat16*, const long*, int, int, int, int, int, int, const float*, const float*)"
0.2,3194880,512,6240.0,6177.6,5304,8112,312.0,"void at::native::sbtopk::gatherTopK<float, unsigned int, 2, false>(at::cuda::detail::TensorInfo<const float, unsigned int>, unsigned int, unsigned int, bool, unsigned int, unsigned int, at::cuda::detail::TensorInfo<float, unsigned int>, unsigned int, at::cuda::detail::TensorInfo<long, unsigned int>, unsigned int)"
0.1,2058240,512,4020.0,3987.8,3537,4984,160.8,"void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>>(at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>)"
0.1,1812480,1536,1180.0,1168.2,1003,1534,59.0,"void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>, at::detail::Array<char *, 1>>(int, T2, T3)"
0.1,1592320,512,3110.0,3085.1,2736,3856,124.4,"void at::native::(anonymous namespace)::cunn_SoftMaxForward<4, float, float, float, at::native::(anonymous namespace)::SoftMaxForwardEpilogue>(float*, const float*, int)"
0.1,1510400,512,2950.0,2920.5,2507,3835,147.5,"void at::native::(anonymous namespace)::indexSelectLargeIndex<c10::BFloat16, long, unsigned int, 2, 2, -2, true>(at::cuda::detail::TensorInfo<c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<const c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<const long, unsigned int>, int, int, unsigned int, unsigned int, long)"
0.1,1479680,512,2890.0,2861.1,2456,3757,144.5,triton_red_fused__to_copy_add_mean_mul_pow_rsqrt_0
0.1,1141760,512,2230.0,2212.2,1962,2765,89.2,"void at::native::elementwise_kernel<128, 2, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, const at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}>(at::TensorIteratorBase&, const at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda()#3}::operator()() const::{lambda()#10}::operator()() const::{lambda(c10::BFloat16)#1}&)::{lambda(int)#1})"
0.1,1049600,512,2050.0,2029.5,1742,2665,102.5,triton_poi_fused_add_mul_0

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_mem_time_sum.py]... 
Time (%),Total Time (ns),Count,Avg (ns),Med (ns),Min (ns),Max (ns),StdDev (ns),Operation
40.4,2990080,2048,1460.0,1430.8,1021,2336,146.0,[CUDA memcpy Device-to-Device]
39.9,2959360,1024,2890.0,2832.2,2022,4624,289.0,[CUDA memcpy Host-to-Device]
11.9,880640,512,1720.0,1685.6,1204,2752,172.0,[CUDA memcpy Device-to-Host]
7.8,578560,512,1130.0,1118.7,960,1469,56.5,[CUDA memset]

Processing [head.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_gpu_mem_size_sum.py]... 
Total (MB),Count,Avg (MB),Med (MB),Min (MB),Max (MB),StdDev (MB),Operation
4294.967,2048,2.097,2.097,2.097,2.097,0.000,[CUDA memcpy Device-to-Device]
134.218,1024,0.131,0.131,0.131,0.131,0.000,[CUDA memcpy Host-to-Device]
33.554,512,0.066,0.066,0.066,0.066,0.000,[CUDA memset]
2.097,512,0.004,0.004,0.004,0.004,0.000,[CUDA memcpy Device-to-Host]

`
