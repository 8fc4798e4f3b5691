import type { TableName } from './model.js'

/**
 * Canonical keys: the same item must get the same key whatever nsys version printed it, so that
 * a 2022.4 baseline compares with a 2024.x head. The display name always stays the original.
 */

// 2023.2+ prints memcpy kinds from ENUM_CUDA_MEMCPY_OPER labels; earlier versions the short forms.
const MEMCPY_KIND: Readonly<Record<string, string>> = {
  'Host-to-Device': 'HtoD',
  'Device-to-Host': 'DtoH',
  'Device-to-Device': 'DtoD',
  'Host-to-Host': 'HtoH',
  'Peer-to-Peer': 'PtoP',
  'Host-to-Array': 'HtoA',
  'Array-to-Host': 'AtoH',
  'Array-to-Array': 'AtoA',
  'Array-to-Device': 'AtoD',
  'Device-to-Array': 'DtoA'
}

/** `[CUDA memcpy Host-to-Device]` → `[CUDA memcpy HtoD]`; UVM spellings of ≤2022 and 2023.4+ meet. */
export function memoryOperationKey(name: string): string {
  const text = name.trim()
  // ≤2022: "[CUDA Unified Memory memcpy HtoD]"; 2023.4+: "[CUDA memcpy Unified Host-to-Device]"
  const uvmOld = /^\[CUDA Unified Memory memcpy (\w+)\]$/.exec(text)
  if (uvmOld?.[1]) return `[CUDA memcpy Unified ${uvmOld[1]}]`
  const memcpy = /^\[CUDA memcpy (Unified )?([A-Za-z-]+)\]$/.exec(text)
  if (memcpy?.[2]) {
    const kind = MEMCPY_KIND[memcpy[2]] ?? memcpy[2]
    return `[CUDA memcpy ${memcpy[1] ?? ''}${kind}]`
  }
  return text
}

/**
 * `cudaLaunchKernel_v7000` → `cudaLaunchKernel`, `cudaGraphLaunch_v10000` → `cudaGraphLaunch`,
 * `cuMemcpyHtoD_v2` → `cuMemcpyHtoD`. Versions of nsys strip some of these tags and not others
 * (formats.md §1.3); removing every trailing `_v<digits>` makes them meet. It only removes a
 * version tag, so two different APIs never merge.
 */
export function apiKey(name: string): string {
  return name.trim().replace(/_v\d+$/, '')
}

/** NVTX: 2024+ prints default-domain ranges with a leading `:` (`:forward`); older ones do not. */
export function nvtxKey(name: string): string {
  const text = name.trim()
  return text.startsWith(':') ? text.slice(1) : text
}

export function canonicalKey(table: TableName, name: string): string {
  switch (table) {
    case 'memTime':
    case 'memSize':
      return memoryOperationKey(name)
    case 'cudaApi':
      return apiKey(name)
    case 'nvtx':
      return nvtxKey(name)
    case 'kernels':
    case 'osrt':
      return name.trim()
  }
}
