import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as prettier from 'prettier'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
// @ts-expect-error -- a plain-JS script without types
import { updateReadme } from '../../scripts/action-docs.mjs'
import { ROOT } from '../support/paths.js'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8')
const action = parse(actionYml) as {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}

/** The ```yaml blocks of the README. */
function yamlBlocks(): string[] {
  return [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
}

describe('README', () => {
  it('has the inputs and outputs tables generated from action.yml (run `npm run docs`)', async () => {
    const config = (await prettier.resolveConfig(join(ROOT, 'README.md'))) ?? {}
    const fresh = await prettier.format(
      (updateReadme as (r: string, a: string) => string)(readme, actionYml),
      {
        ...config,
        parser: 'markdown'
      }
    )
    expect(fresh === readme, 'README.md tables are stale: run `npm run docs`').toBe(true)
  })

  it('uses only inputs that action.yml declares, in every workflow example', () => {
    const blocks = yamlBlocks()
    let steps = 0
    for (const block of blocks) {
      const text = block.replace(
        /^( +)- uses: nsys-bench\/nsys-bench@v0/gm,
        '$1- uses: nsys-bench/nsys-bench@v0'
      )
      const doc = parse(
        /^\s+- /.test(text) || /^ {2}\w/.test(text) ? `x:\n${text.replace(/^/gm, '  ')}` : text
      ) as unknown
      const found: Record<string, unknown>[] = []
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk)
        else if (node && typeof node === 'object') {
          const record = node as Record<string, unknown>
          if (typeof record.uses === 'string' && record.uses.startsWith('nsys-bench/nsys-bench'))
            found.push(record)
          Object.values(record).forEach(walk)
        }
      }
      walk(doc)
      for (const step of found) {
        steps += 1
        for (const input of Object.keys(step.with ?? {})) {
          expect(Object.keys(action.inputs), `README uses undeclared input "${input}"`).toContain(
            input
          )
        }
      }
    }
    expect(steps).toBeGreaterThanOrEqual(5)
  })

  it('shows a minimal workflow with an explicit permissions block', () => {
    const minimal = parse(yamlBlocks()[0] ?? '') as { permissions: Record<string, string> }
    expect(minimal.permissions).toEqual({
      contents: 'read',
      actions: 'read',
      'pull-requests': 'write'
    })
    expect(readme).toContain('## Permissions and fork pull requests')
  })
})
