import type { RulesRecipe } from './cases.js'
import { CATASTROPHIC_REGEXES, INVALID_REGEXES, NESTED_REGEXES } from './payloads.js'

const nth = <T>(list: readonly T[], i: number): T => list[i % list.length]!

/** The text of a rules file (`--rules`, `rules-file`) of the recipe's kind. */
export function rulesText(recipe: RulesRecipe): string {
  const { kind, pick } = recipe
  switch (kind) {
    case 'valid':
      return JSON.stringify({
        threshold: 5,
        minShare: 0.1,
        ignore: ['^void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor'],
        tables: { kernels: { gate: true, gateTotal: true }, nvtx: { gate: true, threshold: 3 } },
        rules: [
          { table: 'kernels', match: '^ncclDevKernel', threshold: 15, minShare: 1 },
          { table: 'nvtx', match: 'tokens_per_second', direction: 'higher-is-better' },
          { match: 'warmup', ignore: true }
        ]
      })
    case 'catastrophic': {
      const regex = nth(CATASTROPHIC_REGEXES, pick)
      return JSON.stringify(
        pick % 2 === 0 ? { rules: [{ match: regex, threshold: 1 }] } : { ignore: [regex] }
      )
    }
    case 'nested':
      return JSON.stringify({ rules: [{ match: nth(NESTED_REGEXES, pick), threshold: 1 }] })
    case 'invalid-regex':
      return JSON.stringify({ ignore: [nth(INVALID_REGEXES, pick)] })
    case 'huge-number':
      return nth(
        [
          '{"threshold":1e308}',
          '{"threshold":1e999}',
          '{"minShare":-1}',
          '{"alpha":1e-400}',
          '{"rules":[{"match":"a","minDelta":1e308}]}',
          '{"tables":{"kernels":{"threshold":-1e999}}}',
          '{"threshold":99999999999999999999999999999}'
        ],
        pick
      )
    case 'not-json':
      return nth(
        ['{', '', 'null', '[]', '"x"', '{"threshold":5,}', '\u0000\u0001', '\ufeff{}'],
        pick
      )
    case 'wrong-type':
      return nth(
        [
          '{"threshold":"5"}',
          '{"rules":{}}',
          '{"tables":[]}',
          '{"ignore":"x"}',
          '{"rules":[{"match":5}]}',
          '{"rules":[null]}',
          '{"tables":{"kernels":null}}',
          '{"rules":[{"table":"nope","match":"a"}]}'
        ],
        pick
      )
    case 'proto':
      return nth(
        [
          '{"__proto__":{"threshold":0}}',
          '{"tables":{"__proto__":{"gate":true}}}',
          '{"tables":{"constructor":{"gate":true}}}',
          '{"rules":[{"match":"a","__proto__":{"ignore":true}}]}'
        ],
        pick
      )
    case 'deep': {
      const depth = [1_000, 10_000, 100_000][pick % 3]!
      return `{"rules":${'['.repeat(depth)}${']'.repeat(depth)}}`
    }
    case 'unknown-setting':
      return nth(['{"treshold":5}', '{"rules":[{"match":"a","theshold":1}]}'], pick)
  }
}
