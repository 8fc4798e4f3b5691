import { detach } from './stat.js'

/**
 * Canonical keys: the same item must get the same key whatever profiler version printed it, so
 * that a 2021 baseline compares with a 2024 head. The display name always stays the original.
 * The spellings handled here are described in docs/nsys-notes.md ("Names across versions").
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
  if (!text.startsWith('[CUDA ')) return text
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
 * `cuMemcpyHtoD_v2` → `cuMemcpyHtoD`, `cudaGetDeviceProperties_v2_v12000` →
 * `cudaGetDeviceProperties`. Versions of nsys strip some of these tags and not others (one prints
 * `cudaGetDeviceProperties_v2_v12000`, another `cudaGetDeviceProperties_v2`); removing every
 * trailing `_v<digits>` makes them meet. Only version tags go: an entry point and its `_v2` ABI
 * revision are one API call, and a program calls one of them.
 */
export function apiKey(name: string): string {
  // By hand, from the end: linear on any name (a pattern would backtrack on `_v1_v1…_v1x`).
  const text = name.trim()
  let end = text.length
  for (;;) {
    let i = end
    while (i > 0 && text.charCodeAt(i - 1) >= 48 && text.charCodeAt(i - 1) <= 57) i--
    if (i === end || i < 3 || text[i - 1] !== 'v' || text[i - 2] !== '_') break
    end = i - 2
  }
  return end === text.length ? text : text.slice(0, end)
}

/** NVTX: 2024+ prints default-domain ranges with a leading `:` (`:forward`); older ones do not. */
export function nvtxKey(name: string): string {
  const text = name.trim()
  return text.startsWith(':') ? text.slice(1) : text
}

/**
 * `nvtxKernels` items are a range and a kernel in one name, `<range> › <kernel>` (nvtxKernelName):
 * the key is the range's key and the kernel's, so that both meet across versions. A profile JSON
 * keeps only names, so the key must come from the name alone: it splits at the first separator.
 * A range whose own name holds ` › ` splits in the wrong place, on both sides alike, so the same
 * printed pair still gets the same key.
 */
export const NVTX_KERNEL_SEPARATOR = ' › '

export function nvtxKernelName(range: string, kernel: string): string {
  return `${range}${NVTX_KERNEL_SEPARATOR}${kernel}`
}

export function nvtxKernelKey(name: string, standalone = false): string {
  const at = name.indexOf(NVTX_KERNEL_SEPARATOR)
  if (at < 0) return plainKey(name)
  const range = nvtxKey(name.slice(0, at))
  const kernel = kernelKey(name.slice(at + NVTX_KERNEL_SEPARATOR.length), standalone)
  return `${range}${NVTX_KERNEL_SEPARATOR}${kernel}`
}

export function plainKey(name: string): string {
  return name.trim()
}

/**
 * Kernel names as demanglers of different releases spell the same C++ entity:
 * - `float const*` and `const float *` (const placement, spaces around `*` and `&`);
 * - `<0, 1, 4>` and `<(int)0, (int)1, (int)4>` (casts on integral template arguments), `4096ul`
 *   and `(unsigned long)4096`, `(bool)1` and `true`;
 * - `unsigned int` and `unsigned`, `long int` and `long`, `short int` and `short`;
 * - `> >` and `>>`, `<a,b>` and `<a, b>`, runs of spaces;
 * - `(anonymous namespace)` and `<unnamed>`;
 * - parameters spelled out (`(float const*, int)`) and as the template's placeholders
 *   (`(const T1 *, T2)` in a `<float, int>` template), which newer demanglers print.
 * - AMD code-object suffixes that rocprof v1 prints after a kernel's name, ` [clone .kd]` or `.kd`
 *   (depending on the ROCm version), which rocprofv3 and the PyTorch profiler do not print.
 * They all map to one key. Only spellings of the same type or value meet, so two different
 * kernels never do. Memoized: a GPU trace repeats a few thousand names millions of times.
 */
export function kernelKey(name: string, standalone = false): string {
  let key = KERNEL_KEYS.get(name)
  if (key === undefined) {
    key = normaliseKernelName(name)
    if (KERNEL_KEYS.size >= KERNEL_KEYS_LIMIT) KERNEL_KEYS.clear()
    // Detached: a name cut from a line, or parsed from a JSON text (V8 slices it from the
    // source), would keep that whole text alive. `standalone` names own their characters
    // (names decoded from bytes, src/parse/intern.ts): copying them would be work for nothing.
    if (standalone) KERNEL_KEYS.set(name, key)
    else {
      key = detach(key)
      KERNEL_KEYS.set(detach(name), key)
    }
  }
  return key
}

/**
 * A kernel and its launch shape, `<kernel name> [grid X×Y×Z, block X×Y×Z]` (analyze/timeline.ts):
 * the kernel's key, then the shape as written.
 */
export function kernelShapeKey(name: string): string {
  const at = name.lastIndexOf(' [grid ')
  return at < 0 ? kernelKey(name) : `${kernelKey(name.slice(0, at))}${name.slice(at)}`
}

const KERNEL_KEYS = new Map<string, string>()
const KERNEL_KEYS_LIMIT = 200_000

/** Characters without which no rule below can apply: most names take the fast path. */
const SPELLING = /[ <>*&(,]/

const INTEGRAL_SPELLINGS: readonly [RegExp, string][] = [
  [/\bunsigned long long int\b/g, 'unsigned long long'],
  [/\blong long int\b/g, 'long long'],
  [/\bunsigned long int\b/g, 'unsigned long'],
  [/\blong unsigned int\b/g, 'unsigned long'],
  [/\bunsigned short int\b/g, 'unsigned short'],
  [/\bshort unsigned int\b/g, 'unsigned short'],
  [/\bunsigned int\b/g, 'unsigned'],
  [/\blong int\b/g, 'long'],
  [/\bshort int\b/g, 'short'],
  [/\bsigned int\b/g, 'int']
]

/** Cheap tests that let most names skip the rules that cannot apply to them. */
const INTEGRAL_HINT = /\b(?:unsigned|signed|long|short) int\b/

const INTEGRAL_TYPE =
  '(?:unsigned long long|long long|unsigned long|unsigned short|unsigned char|signed char|unsigned|long|short|char|int|bool|std::size_t|size_t)'
const CAST = new RegExp(`\\(${INTEGRAL_TYPE}\\)(-?\\d+)\\b`, 'g')
const LITERAL_SUFFIX = /(?<![\w.])(\d+)(?:ull|ul|ll|lu|llu|u|l)\b/gi
/** What CAST and LITERAL_SUFFIX need to find anything: a cast before a digit, a digit before u/l. */
const CAST_HINT = new RegExp(`\\(${INTEGRAL_TYPE}\\)-?\\d`)
const SUFFIX_HINT = /\d[ul]/i

/** Longer names (none is real) skip the rules whose cost grows with the name. */
const NORMALISE_LIMIT = 64 * 1024

/** ` [clone .kd]` / `.kd` at the end of an AMD kernel name (rocprof v1). */
const CODE_OBJECT_SUFFIX = /(?: \[clone \.kd\]|\.kd)$/

function normaliseKernelName(name: string): string {
  let text = name.trim()
  if (text.endsWith('.kd]') || text.endsWith('.kd')) text = text.replace(CODE_OBJECT_SUFFIX, '')
  if (!SPELLING.test(text) || text.length > NORMALISE_LIMIT) return text
  // Only when the replace changes something: a white space other than ' ', or two in a row.
  if (/[^\S ]| {2}/.test(text)) text = text.replace(/\s+/g, ' ')
  if (text.includes('<unnamed>')) text = text.replace(/<unnamed>/g, '(anonymous namespace)')
  // `> >` (C++03 demanglers) and `>>`.
  while (text.includes('> >')) text = text.replace(/> >/g, '>>')
  // Spaces around pointers and references carry no meaning.
  if (/ [*&]|[*&] /.test(text)) text = text.replace(/ ?([*&]) ?/g, '$1')
  if (/ ,|,(?! )/.test(text)) text = text.replace(/ ?, ?/g, ', ')
  if (INTEGRAL_HINT.test(text))
    for (const [pattern, replacement] of INTEGRAL_SPELLINGS)
      text = text.replace(pattern, replacement)
  if (text.includes('(bool)'))
    text = text.replace(/\(bool\)1\b/g, 'true').replace(/\(bool\)0\b/g, 'false')
  // Tested before replaced: a replace that finds nothing costs a call into the runtime.
  if (CAST_HINT.test(text)) text = text.replace(CAST, '$1')
  if (SUFFIX_HINT.test(text)) text = text.replace(LITERAL_SUFFIX, '$1')
  return withTemplateArguments(westConst(text))
}

/**
 * `void f<float, int>(const T1*, T2)` → `void f<float, int>(const float*, int)`: newer
 * demanglers name a function template's parameters by their template argument (T1, T2, …).
 *
 * The parameter list starts at the first `(` outside `<>` (not `(anonymous namespace)`); when a
 * `>` comes just before it, the template arguments are those of the list that `>` closes — the
 * last `<` met outside `<>` — cut at its commas outside `<>` and `()`. One pass finds both: a
 * first sight of a kernel name costs this, and most of nsys's names have placeholders.
 */
function withTemplateArguments(text: string): string {
  if (!/\bT\d+\b/.test(text)) return text
  let angles = 0
  let open = -1
  // The last list opened outside `<>`: where it starts, its nesting in `<>` and `()`, its cuts.
  let list = -1
  let nest = 0
  const cuts: number[] = []
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (ch === LT) {
      if (angles++ === 0) {
        list = i + 1
        nest = 0
        cuts.length = 0
      } else nest++
    } else if (ch === GT) {
      angles--
      nest--
    } else if (ch === LPAREN) {
      if (angles === 0) {
        // Holds no `<>`, no comma, and its parentheses balance: skipping it changes nothing else.
        if (text.startsWith('(anonymous namespace)', i)) {
          i += 20
          continue
        }
        open = i
        break
      }
      nest++
    } else if (ch === RPAREN) nest--
    else if (ch === COMMA && nest === 0 && list >= 0) cuts.push(i)
  }
  if (open < 0 || list < 0 || text.charCodeAt(open - 1) !== GT) return text
  const args: string[] = []
  let from = list
  for (const cut of cuts) {
    args.push(text.slice(from, cut).trim())
    from = cut + 1
  }
  args.push(text.slice(from, open - 1).trim())
  const params = text.slice(open).replace(/\bT(\d+)\b/g, (t, n: string) => args[Number(n) - 1] ?? t)
  return text.slice(0, open) + params
}

const LT = 60
const GT = 62
const LPAREN = 40
const RPAREN = 41
const COMMA = 44

const MAX_CONST_MOVES = 64

const BUILTIN_WORDS = new Set(['unsigned', 'signed', 'long', 'short', 'char', 'int', 'double'])

/**
 * `float const*` → `const float*`: a `const` written after a type (and before `*`, `&`, `,`,
 * `>`, `)` or the end) moves before it. A `const` after `*` (a const pointer) stays.
 */
function westConst(text: string): string {
  if (!text.includes(' const')) return text
  let out = text
  let from = 0
  // Each move scans back over its type and rebuilds the name: nested `A<B<x const> const> const`
  // or thousands of consts would be quadratic, so the scans share a budget linear in the name
  // and the moves stop at MAX_CONST_MOVES (real names have a few); past either, the rest is
  // left as printed.
  const budget = { left: 8 * text.length + 4096 }
  let moves = 0
  for (;;) {
    const at = out.indexOf(' const', from)
    if (at < 0) return out
    const after = out.charAt(at + 6)
    from = at + 6
    if (after !== '' && !'*&,>)'.includes(after)) continue
    const start = typeStart(out, at, budget)
    if (budget.left < 0) return out
    if (start === undefined || start === at) continue
    if (++moves > MAX_CONST_MOVES) return out
    const type = out.slice(start, at)
    out = `${out.slice(0, start)}const ${type}${out.slice(at + 6)}`
    from = start + 6 + type.length
  }
}

/**
 * Where the type that ends at `end` begins: a qualified name whose parts may carry template
 * arguments (`A<B>::C`, `std::vector<int>`), or builtin words (`unsigned long`).
 */
function typeStart(text: string, end: number, budget: { left: number }): number | undefined {
  let i = end
  for (;;) {
    const from = i
    while (i > 0 && /[\w:]/.test(text.charAt(i - 1))) i--
    budget.left -= from - i
    if (text.charAt(i - 1) !== '>') break
    // A template argument list: skip it, balanced, and go on with the name before it.
    let depth = 0
    let k = i - 1
    for (; k >= 0; k--) {
      if (--budget.left < 0) return undefined
      const ch = text.charAt(k)
      if (ch === '>') depth++
      else if (ch === '<' && --depth === 0) break
    }
    if (k <= 0) return undefined
    i = k
  }
  // Multi-word builtin types: `unsigned long const` → `const unsigned long`.
  for (;;) {
    const word = /(\w+) $/.exec(text.slice(Math.max(0, i - 10), i))
    if (!word?.[1] || !BUILTIN_WORDS.has(word[1])) break
    const current = text.slice(i, end).split(/[<:]/)[0] ?? ''
    if (!BUILTIN_WORDS.has(current.trim().split(' ')[0] ?? '')) break
    i -= word[1].length + 1
  }
  return /[A-Za-z_:]/.test(text.charAt(i)) ? i : undefined
}

/** The length of a text in Unicode code points. */
export function codePointLength(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0xdc00 || c > 0xdfff) n += 1
  }
  return n
}
