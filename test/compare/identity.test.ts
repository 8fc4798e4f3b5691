import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { familyOf, joinCutNames } from '../../src/compare/identity.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadInput } from '../../src/load/index.js'
import { apiKey, kernelKey } from '../../src/profile/keys.js'
import type { Profile, Stat, Table } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'
import { profile } from '../support/profiles.js'
import { budget } from '../support/timing.js'

const rules = buildRules(undefined)

/** Do two spellings name the same kernel? A cut spelling matches the start of the full one. */
function sameKernel(a: string, b: string): boolean {
  const [ka, kb] = [kernelKey(a), kernelKey(b)]
  if (kb.endsWith('…')) return ka.startsWith(kb.slice(0, -1).trimEnd())
  if (ka.endsWith('…')) return kb.startsWith(ka.slice(0, -1).trimEnd())
  return ka === kb
}

describe('kernel keys survive demangler spellings', () => {
  // The spellings in the issue, as nsys 2021 and nsys 2023 print the same kernels.
  const pairs: [string, string][] = [
    ['void k(float const*, int)', 'void k(const float *, int)'],
    [
      'void vectorized_elementwise_kernel<0, 1, 4>(int)',
      'void vectorized_elementwise_kernel<(int)0, (int)1, (int)4>(int)'
    ],
    ['void gather<unsigned int>(unsigned int*, int)', 'void gather<unsigned>(unsigned *, int)'],
    ['void a<std::vector<int> >(x)', 'void a<std::vector<int>>(x)'],
    ['void a<true, false>(x)', 'void a<(bool)1, (bool)0>(x)'],
    ['void a<4096ul>(x)', 'void a<(unsigned long)4096>(x)'],
    ['void at::native::(anonymous namespace)::f<int>(x)', 'void at::native::<unnamed>::f<int>(x)'],
    ['void f<float, int>(float const*, int*)', 'void f<float, int>(const T1 *, T2 *)'],
    [
      'void k(phi::gpu::CudnnDataType<float>::BatchNormParamType const*)',
      'void k(const phi::gpu::CudnnDataType<float>::BatchNormParamType *)'
    ]
  ]
  for (const [a, b] of pairs) {
    it(`${a}  ~  ${b}`, () => expect(kernelKey(a)).toBe(kernelKey(b)))
  }

  it('keeps different kernels apart', () => {
    expect(kernelKey('void f<float>(float*)')).not.toBe(kernelKey('void f<double>(double*)'))
    expect(kernelKey('void f(float* const)')).not.toBe(kernelKey('void f(const float*)'))
    expect(kernelKey('void f<4>(int)')).not.toBe(kernelKey('void f<8>(int)'))
  })

  it('is cheap on hostile names: a 1 MB name passes unchanged, long ones skip the costly rules', () => {
    const huge = `void f<${' const,'.repeat(200_000)}>()`
    const limit = budget(500)
    const started = performance.now()
    expect(kernelKey(huge)).toBe(huge.trim())
    expect(performance.now() - started).toBeLessThan(limit)
  })
})

describe('template placeholders (T1, T2, …) take their template arguments', () => {
  // The rule as docs/nsys-notes.md states it, written out the plain way: the parameter list
  // starts at the first `(` outside `<>` (not `(anonymous namespace)`); a `>` just before it
  // closes a template list, found by scanning back to its `<`; its arguments are cut at commas
  // outside `<>` and `()`; each `T<n>` of the parameters is the n-th argument.
  function substituted(text: string): string {
    if (!/\bT\d+\b/.test(text)) return text
    let depth = 0
    let open = -1
    for (let i = 0; i < text.length && open < 0; i++) {
      const ch = text[i]
      if (ch === '<') depth++
      else if (ch === '>') depth--
      else if (ch === '(' && depth === 0) {
        if (text.startsWith('(anonymous namespace)', i)) i += 20
        else open = i
      }
    }
    if (open < 0 || text[open - 1] !== '>') return text
    let start = open - 1
    for (depth = 0; start >= 0; start--) {
      if (text[start] === '>') depth++
      else if (text[start] === '<' && --depth === 0) break
    }
    if (start < 0) return text
    const args: string[] = []
    let from = start + 1
    depth = 0
    for (let k = start + 1; k < open - 1; k++) {
      const ch = text[k]
      if (ch === '<' || ch === '(') depth++
      else if (ch === '>' || ch === ')') depth--
      else if (ch === ',' && depth === 0) {
        args.push(text.slice(from, k).trim())
        from = k + 1
      }
    }
    args.push(text.slice(from, open - 1).trim())
    const params = text
      .slice(open)
      .replace(/\bT(\d+)\b/g, (t, n: string) => args[Number(n) - 1] ?? t)
    return text.slice(0, open) + params
  }

  it('as real names print them', () => {
    expect(
      kernelKey(
        'void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl<at::native::AddFunctor<float>>(at::TensorIteratorBase&, const at::native::AddFunctor<float>&)::{lambda(int)#1}>(int, T3)'
      )
    ).toBe(
      'void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl<at::native::AddFunctor<float>>(at::TensorIteratorBase&, const at::native::AddFunctor<float>&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl<at::native::AddFunctor<float>>(at::TensorIteratorBase&, const at::native::AddFunctor<float>&)::{lambda(int)#1})'
    )
    expect(kernelKey('void at::native::(anonymous namespace)::f<float, 2>(T1*, T2)')).toBe(
      'void at::native::(anonymous namespace)::f<float, 2>(float*, 2)'
    )
    // No `>` before the parameters, a placeholder past the arguments, unbalanced brackets.
    expect(kernelKey('void f(T1*)')).toBe('void f(T1*)')
    expect(kernelKey('void f<int>(T1, T2)')).toBe('void f<int>(int, T2)')
    expect(kernelKey('void f<a<b>>(T1)')).toBe('void f<a<b>>(a<b>)')
    expect(kernelKey('void g>::f<a, b>(T2)')).toBe('void g>::f<a, b>(T2)')
  })

  it('as the plain reading gives them, on random names of brackets, commas and placeholders', () => {
    // Names of an alphabet no other spelling rule touches (a comma always followed by one space
    // and never last, no `*`, `&`, `const`, integral types or literal suffixes): the key is the
    // substitution alone.
    const tokens = [
      '<',
      '>',
      '(',
      ')',
      ', ',
      'T1',
      'T2',
      'T3',
      'T12',
      'aT1',
      'ab',
      'c::d',
      '2',
      '(anonymous namespace)'
    ]
    let state = 0x5eed
    const next = (n: number): number => {
      state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0
      return (state >>> 0) % n
    }
    const part = (most: number): string => {
      let text = ''
      const length = next(most + 1)
      for (let k = 0; k < length; k++) {
        const token = tokens[next(tokens.length)]!
        if (!(token === ', ' && text.endsWith(', '))) text += token
      }
      return text
    }
    let substitutions = 0
    for (let round = 0; round < 4000; round++) {
      // Half random, half in the shape of a function template (`f<…>(…)`) with noise in it.
      let name =
        round % 2 === 0
          ? `void f${part(30)}`
          : `void f${part(3)}<${part(12)}>${part(1)}(${part(6)}, T${1 + next(3)})${part(6)}`
      while (name.includes(', , ')) name = name.replace(', , ', ', ')
      // A comma ends no name (the comma rule would add its space).
      if (name.endsWith(', ')) name = name.slice(0, -2)
      const expected = substituted(name)
      if (expected !== name) substitutions += 1
      expect(kernelKey(name), name).toBe(expected)
    }
    // The names must exercise the rule, not only pass through it.
    expect(substitutions).toBeGreaterThan(150)
  })
})

describe('kernel keys of hostile names', () => {
  it('stay linear in the name: nested `A<B<x const> const> const` up to the 64 KiB limit', () => {
    const depth = 7000
    const name = `void f<${'A<'.repeat(depth)}x const${'> const'.repeat(depth)}>(int)`
    expect(name.length).toBeLessThan(64 * 1024)
    const limit = budget(300)
    const start = performance.now()
    const key = kernelKey(name)
    expect(performance.now() - start).toBeLessThan(limit)
    // The innermost consts still move; the name is never lost.
    expect(key.startsWith('void f<')).toBe(true)
  })

  it('stay linear with thousands of consts to move', () => {
    // Names just under the 64 KiB limit, with and without a `const` to move in every parameter.
    const names = (param: (i: number) => string, salt: string): string[] => {
      const text = `void f(${Array.from({ length: 8000 }, (_, i) => param(i)).join(', ')})`
      return Array.from({ length: 20 }, (_, i) => `${text.slice(0, 64 * 1024 - 20)}${salt}${i})`)
    }
    const time = (list: string[]): number => {
      const start = performance.now()
      for (const name of list) kernelKey(name)
      return performance.now() - start
    }
    const plain = time(names((i) => `a${i}*`, 'p'))
    const consts = time(names((i) => `a${i} const*`, 'c'))
    expect(consts).toBeLessThan(4 * plain + 150)
  })
})

describe('cut names meet full names without trying every pair', () => {
  const stat = (name: string, truncated = false): Stat => ({
    name,
    total: 1000,
    instances: 1,
    avg: 1000,
    min: 1000,
    max: 1000,
    ...(truncated ? { truncated: true, sharedBy: 1 } : {})
  })

  it('joins the longest cut prefix, among nested ones', () => {
    const cut: Table = new Map(
      ['void f<…', 'void f<int, …', 'void f<int, float…'].map((n) => [n, stat(n, true)])
    )
    const other: Table = new Map(
      ['void f<int, float>(int)', 'void f<int, double>(int)', 'void f<char>(char)', 'void g()'].map(
        (n) => [n, stat(n)]
      )
    )
    const joined = joinCutNames([cut], other)
    expect([...joined.keys()].sort()).toEqual(
      ['void f<int, float…', 'void f<int, …', 'void f<…', 'void g()'].sort()
    )
  })

  it('a cut name never joins another cut name through a shortened prefix', () => {
    const a = 'void gemm<unsigned int, float, 128, 64, 32, 2, 4, 8, true, false, true, false, tr…'
    const b = 'void gemm<unsigned int, float, 128, 64, 32, 2, 4, 8, true, false, true, false, fa…'
    const full = `${a.slice(0, -3)}false, 7>(float*)`
    const base: Table = new Map([[a, stat(a, true)]])
    const head: Table = new Map([a, b, full].map((n) => [n, stat(n, b === n || a === n)]))
    const joined = joinCutNames([base], head)
    // The full name joins `…, tr…` only by the shortened prefix (`…, `): it may; the other cut
    // kernel, `…, fa…`, stays itself, as does the same cut name on both sides.
    expect([...joined.keys()].sort()).toEqual([a, b].sort())
    expect(joined.get(b)?.total).toBe(1000)
    expect(joined.get(a)).toMatchObject({ total: 2000, sharedBy: 2 })
  })

  it('cut names against others: the work grows about linearly (10,000 → 40,000 names: under 12×, not 16×)', () => {
    const tables = (n: number): [Table, Table] => {
      const cut: Table = new Map()
      const other: Table = new Map()
      for (let i = 0; i < n; i++) {
        const c = `void kernel_${i}_with_a_long_common_prefix<float, int>(const float*, in…`
        cut.set(c, stat(c, true))
        const o = `void other_kernel_${i}<double>(double*)`
        other.set(o, stat(o))
      }
      return [cut, other]
    }
    // The best of three runs at each size: a machine busy with other work slows both alike, and a
    // quadratic join would take 16 times as long for 4 times the names.
    const best = (n: number): number => {
      const [cut, other] = tables(n)
      let fastest = Infinity
      for (let k = 0; k < 3; k++) {
        const start = performance.now()
        expect(joinCutNames([cut], other)).toBe(other)
        fastest = Math.min(fastest, performance.now() - start)
      }
      return fastest
    }
    const small = best(10_000)
    expect(best(40_000)).toBeLessThan(Math.max(12 * small, 100))
  })
})

describe('kernel families of hostile names', () => {
  it('stay linear on long runs of digits', () => {
    const limit = budget(300)
    const start = performance.now()
    const digits = `k${'1'.repeat(200_000)}`
    expect(familyOf(digits, digits, [])).toBeUndefined()
    const tile = `gemm_${'1'.repeat(100_000)}x64_tn`
    expect(familyOf(tile, tile, [])?.id).toBe('tile:gemm_#_##')
    expect(performance.now() - start).toBeLessThan(limit)
  })
})

describe('CUDA API keys drop version tags', () => {
  it.each([
    ['cudaLaunchKernel_v7000', 'cudaLaunchKernel'],
    ['cudaGraphLaunch_v10000', 'cudaGraphLaunch'],
    ['cudaGetDeviceProperties_v2_v12000', 'cudaGetDeviceProperties'],
    ['cudaGetDeviceProperties_v2', 'cudaGetDeviceProperties'],
    ['cuMemcpyHtoD_v2', 'cuMemcpyHtoD'],
    ['cudaMemcpy', 'cudaMemcpy'],
    ['cuda_v', 'cuda_v'],
    ['_v12', '_v12'],
    ['cudaFoo_v2x', 'cudaFoo_v2x']
  ])('%s → %s', (name, key) => {
    expect(apiKey(name)).toBe(key)
  })

  it('in linear time on a hostile name', () => {
    const name = `${'_v1'.repeat(200_000)}x`
    const limit = budget(1000)
    const start = performance.now()
    expect(apiKey(name)).toBe(name)
    expect(apiKey(`f${'_v1'.repeat(200_000)}`)).toBe('f')
    expect(performance.now() - start).toBeLessThan(limit)
  })
})

describe('drift pairs found in public outputs (test/fixtures/public/name-drift-pairs.json)', () => {
  const pairs = JSON.parse(
    readFileSync(join(FIXTURES, 'public', 'name-drift-pairs.json'), 'utf8')
  ) as { a: string; b: string; kind: string }[]
  // Read by hand: these three pairs changed their parameter lists (another PyTorch or cuBLAS),
  // and one changed a type (`at::detail::Array` → `std::array`): different kernels, the same
  // function; the nvc++ pair is two source revisions. They meet as variants, never by name.
  const notSameKernel = new Set([
    'void at::native::(anonymous namespace)::nll_loss_forward_reduce_cuda_kernel_2d<float, float, long>(float*, float*, float*, long*, float*, bool, int, int, int, long)',
    'void at::native::(anonymous namespace)::nll_loss_backward_reduce_cuda_kernel_2d<float, long>(float*, float*, long*, float*, float*, bool, int, int, int, long)',
    'void magma_sgemmEx_kernel<float, float, float, true, false, 6, 4, 6, 3, 4>(int, int, int, Tensor, int, Tensor, int, Tensor, int, Tensor, int, int, int, float const*, float const*, float, float, int, cublasLtEpilogue_t, int, void const*)'
  ])
  it('has the pairs', () => expect(pairs.length).toBeGreaterThanOrEqual(17))
  for (const pair of pairs) {
    const variantOnly =
      notSameKernel.has(pair.a) ||
      pair.kind === 'nvcxx' ||
      (pair.kind === 'template' && !pair.b.includes('T1'))
    it(`${pair.kind}: ${pair.a.slice(0, 80)}…`, () => {
      if (variantOnly) {
        expect(sameKernel(pair.a, pair.b)).toBe(false)
        expect(familyOf(kernelKey(pair.a), pair.a, [])?.id).toBe(
          familyOf(kernelKey(pair.b), pair.b, [])?.id
        )
        expect(familyOf(kernelKey(pair.a), pair.a, [])).toBeDefined()
      } else {
        expect(sameKernel(pair.a, pair.b)).toBe(true)
      }
    })
  }
})

describe('kernel families (variant pairing)', () => {
  const family = (name: string): string | undefined => familyOf(kernelKey(name), name, [])?.id
  const same: [string, string, string][] = [
    ['cuBLAS tile and layout', 'ampere_sgemm_128x64_tn', 'ampere_sgemm_128x128_nn'],
    [
      'cuBLAS tile size',
      'sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas',
      'sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas'
    ],
    [
      'CUTLASS configuration',
      'void cutlass::Kernel2<cutlass_80_tensorop_s16816gemm_relu_f16_64x64_32x6_tn_align8>(cutlass_80_tensorop_s16816gemm_relu_f16_64x64_32x6_tn_align8::Params)',
      'void cutlass::Kernel2<cutlass_80_tensorop_s16816gemm_relu_f16_128x64_32x6_tn_align8>(cutlass_80_tensorop_s16816gemm_relu_f16_128x64_32x6_tn_align8::Params)'
    ],
    ['Triton index', 'triton_poi_fused_add_mul_0', 'triton_poi_fused_add_mul_1'],
    [
      'Triton signature',
      'triton_red_fused_native_layer_norm_0d1d2d3de4e',
      'triton_red_fused_native_layer_norm_1'
    ],
    ['nvc++ source line', 'nvkernel__Z4main_F1L357_22', 'nvkernel__Z4main_F1L355_20'],
    [
      'template arguments of one function',
      'void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4>, true>(Flash_fwd_params)',
      'void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4>, false>(Flash_fwd_params)'
    ]
  ]
  for (const [what, a, b] of same) {
    it(`pairs ${what}`, () => {
      expect(family(a)).toBeDefined()
      expect(family(a)).toBe(family(b))
    })
  }

  it('does not pair different functions', () => {
    expect(family('void vllm::rms_norm_kernel<c10::BFloat16>(x)')).not.toBe(
      family('void vllm::fused_add_rms_norm_kernel<c10::BFloat16, 8>(x)')
    )
    expect(family('triton_poi_fused_add_0')).not.toBe(family('triton_poi_fused_mul_0'))
    expect(family('plain_kernel')).toBeUndefined()
  })

  it('takes user families from the rules file first', () => {
    const user = buildRules({ families: [{ match: '^my_gemm_v\\d+$', family: 'my gemm' }] })
    expect(familyOf('my_gemm_v1', 'my_gemm_v1', user.families)).toEqual({
      id: 'user:my gemm',
      label: 'family "my gemm" (rules file)'
    })
  })

  it('judges a changed variant as one item', () => {
    const base = profile({ kernels: { big: 10_000_000, ampere_sgemm_128x64_tn: 1_000_000 } })
    const head = profile({ kernels: { big: 10_000_000, ampere_sgemm_128x128_nn: 1_300_000 } })
    const comparison = compareProfiles([base], [head], rules)
    const kernels = comparison.tables.find((t) => t.table === 'kernels')
    expect(kernels?.counts).toMatchObject({ regressed: 1, new: 0, removed: 0 })
    const item = kernels?.items.find((i) => i.variant)
    expect(item).toMatchObject({
      status: 'regressed',
      delta: 300_000,
      variant: {
        family: 'tile configuration',
        base: ['ampere_sgemm_128x64_tn'],
        head: ['ampere_sgemm_128x128_nn']
      }
    })
    expect(item?.deltaPct).toBeCloseTo(30, 6)
    expect(comparison.gate.verdict).toBe('regression')
  })

  it('applies a rule written for either variant of a changed one', () => {
    const base = profile({ kernels: { big: 10_000_000, ampere_sgemm_128x64_tn: 1_000_000 } })
    const head = profile({ kernels: { big: 10_000_000, ampere_sgemm_128x128_nn: 1_300_000 } })
    // The rule names the base's tile only: the item (shown by the head's name) is still its.
    const relaxed = buildRules({ rules: [{ match: '_128x64_', gate: false }] })
    const item = compareProfiles([base], [head], relaxed).tables[0]?.items.find((i) => i.variant)
    expect(item).toMatchObject({ status: 'regressed', gated: false, rule: '_128x64_' })
    const wide = buildRules({ rules: [{ match: '_128x64_', threshold: 50 }] })
    const gate = compareProfiles([base], [head], wide).gate
    expect(gate.verdict).toBe('pass')
  })

  it('never pairs what was matched by name, nor ignored kernels', () => {
    const base = profile({ kernels: { big: 10_000_000, triton_poi_fused_add_0: 1_000_000 } })
    const head = profile({ kernels: { big: 10_000_000, triton_poi_fused_add_1: 5_000_000 } })
    const ignored = buildRules({ ignore: ['^triton_poi_fused_add_1$'] })
    const kernels = compareProfiles([base], [head], ignored).tables[0]
    expect(kernels?.items.some((i) => i.variant)).toBe(false)
    expect(kernels?.counts.removed).toBe(1)
    expect(kernels?.ignored).toBe(1)
  })
})

describe('names cut by the column format (real nsys output)', () => {
  const REAL = join(FIXTURES, 'nsys-real')
  for (const version of ['2022.4', '2023.4']) {
    it(`nsys ${version}: the column output matches the CSV of the same export, group by group`, async () => {
      const [column] = await loadInput(join(REAL, version, 'cut-names', 'stdout_column.txt'))
      const [csv] = await loadInput(join(REAL, version, 'cut-names'))
      const comparison = compareProfiles([csv as Profile], [column as Profile], rules)
      const kernels = comparison.tables.find((t) => t.table === 'kernels')
      // Every kernel of the CSV found its cut group: nothing new, nothing removed, nothing moved.
      expect(kernels?.counts).toMatchObject({ new: 0, removed: 0, regressed: 0, improved: 0 })
      expect(kernels?.total.base).toBe(kernels?.total.head)
      expect(comparison.gate.verdict).toBe('pass')
      const groups = kernels?.items.filter((i) => (i.head?.sharedBy ?? 0) > 1) ?? []
      expect(groups.length).toBeGreaterThanOrEqual(2)
      for (const group of groups) expect(group.base?.total).toBe(group.head?.total)
    })
  }
})
