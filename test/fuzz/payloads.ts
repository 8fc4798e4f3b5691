/**
 * Hostile strings the operators splice into inputs. `FUZZINJ` marks a payload that tries to
 * inject a GitHub workflow command: seeing it at the start of a command line is an injection.
 */
export const INJECTION_MARK = 'FUZZINJ'

/** Kernel (or range, API call) names. Each is wrapped as `void k_<payload>()`. */
export const HOSTILE_NAMES: readonly string[] = [
  'a|b\\|c',
  '`x`',
  '``',
  '```',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="http://e">x</a>',
  '@user',
  ' @octo-org/team',
  '[x](http://e)',
  '![i](http://e/i.png)',
  'https://e.com',
  ' www.e.com ',
  ' http://e.com/x ',
  ' a@b.co ',
  '&#64;user',
  '\u061c',
  '\u2028x',
  '\u2029x',
  '\u00ad',
  '\u200b@user',
  '\u202eevil',
  '\u{e0001}\u{e0041}\u{e007f}',
  '\u200e\u200f\u2066\u2069',
  '\u001b]8;;http://e\u0007link\u001b]8;;\u0007',
  '\u001b[31mred\u001b[0m',
  `x\n::error::${INJECTION_MARK}`,
  `x\r\n::warning::${INJECTION_MARK}`,
  `x\r::error::${INJECTION_MARK}`,
  `::error::${INJECTION_MARK}`,
  '</details>',
  '<details><summary>x',
  '</code></td></tr></table>',
  '<!--',
  '*bold*',
  '_em_',
  '~~del~~',
  '\n# heading',
  '\n> quote',
  '\n- item',
  '| --- |',
  '&amp;',
  '\\',
  'a'.repeat(28) + '!',
  'x'.repeat(28),
  '\u0000',
  '\u0085\u009b31m',
  '\u0007\u0008\u007f',
  'x'.repeat(300),
  '\ud800',
  '😀'.repeat(50),
  ' ',
  '',
  // Appended (indices above are used by tests): a www link after `_`, the runner's older
  // command syntax, issue references.
  '_www.e.com',
  `x ##[error]${INJECTION_MARK}`,
  'fixes #1 o/r#2 GH-3'
]

/** Notes in a profile JSON (meta.notes), shown to people on stderr and in reports. */
export const HOSTILE_NOTES: readonly string[] = [
  '\u001b[31mred\u001b[0m',
  `x\n::error::${INJECTION_MARK}`,
  `\r::warning::${INJECTION_MARK}`,
  '\u202eevil',
  '\u0000',
  '@user [x](http://e) <img src=x>',
  'x'.repeat(100_000)
]

/** Prose nsys prints around tables, some naming another report than the table below. */
export const PROSE_LINES: readonly string[] = [
  '## cuda_api_sum',
  ' ** CUDA API Summary (cuda_api_sum):',
  ' ** OS Runtime Summary (osrt_sum):',
  ' ** CUDA GPU Kernel Summary (cuda_gpu_kern_sum):',
  'Processing [/tmp/r.sqlite] with [/opt/nvidia/nsight-systems/2023.4.4/host-linux-x64/reports/cuda_api_sum.py]... ',
  'Running [/opt/nvidia/nsight-systems/2022.4.2/target-linux-x64/reports/gpukernsum.py /tmp/r.sqlite]... ',
  'SKIPPED: /tmp/r.sqlite does not contain CUDA kernel data.',
  'NOTICE: Existing SQLite export found: /tmp/r.sqlite',
  'ERROR: something went wrong',
  '\u001b[1mCUDA Kernel Statistics:\u001b[0m',
  `::error::${INJECTION_MARK}`
]

/** Regular expressions that backtrack exponentially on names like `aaaa…!`. */
export const CATASTROPHIC_REGEXES: readonly string[] = [
  '(a+)+$',
  '(x+x+)+y',
  '^(a|a)*$',
  '(a|aa)+$',
  '(\\w+\\s?)*$'
]

/** Names those regexes choke on (they are also among HOSTILE_NAMES). */
export const ATTACK_NAMES: readonly string[] = ['a'.repeat(28) + '!', 'x'.repeat(28)]

export const NESTED_REGEXES: readonly string[] = [
  '('.repeat(10_000) + 'a' + ')'.repeat(10_000),
  '(?:'.repeat(5_000) + 'a' + ')'.repeat(5_000),
  '('.repeat(10_000)
]

export const INVALID_REGEXES: readonly string[] = ['[', '(?<', '*', 'a{2,1}', '\\', '(?<n>a)\\k<m>']

export const BENIGN_REGEXES: readonly string[] = ['^void', 'gemm', 'nccl', '^$']
