import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rollup } from 'rollup'
import { describe, expect, it } from 'vitest'
import { typescriptFiles } from '../../scripts/rollup-typescript.mjs'

/** A project of its own: a tsconfig and the given files, in a fresh folder. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-rollup-ts-'))
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        verbatimModuleSyntax: true,
        isolatedModules: true,
        removeComments: true,
        strict: true
      }
    })
  )
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  return dir
}

async function bundle(dir: string, entry: string): Promise<string> {
  const build = await rollup({
    input: join(dir, entry),
    plugins: [typescriptFiles(join(dir, 'tsconfig.json'))]
  })
  try {
    const { output } = await build.generate({ format: 'es' })
    return output[0].code
  } finally {
    await build.close()
  }
}

describe('the build turns TypeScript into JavaScript one file at a time (scripts/rollup-typescript.mjs)', () => {
  it("reads the TypeScript file an import names by its JavaScript name, and drops types and comments", async () => {
    const dir = project({
      'src/main.ts': [
        "import type { Shape } from './shape.js'",
        "import { area } from './shape.js'",
        '// a comment the build drops',
        'const square: Shape = { side: 3 }',
        'console.log(area(square))'
      ].join('\n'),
      'src/shape.ts': [
        'export interface Shape { side: number }',
        'export function area(s: Shape): number { return s.side * s.side }'
      ].join('\n')
    })
    const code = await bundle(dir, 'src/main.ts')
    expect(code).toContain('function area(s) {')
    expect(code).toContain('const square = { side: 3 };')
    expect(code).not.toContain('interface')
    expect(code).not.toContain('a comment')
    expect(code).not.toContain(': Shape')
  })

  it('stops at a syntax error, saying where it is', async () => {
    const dir = project({ 'src/main.ts': 'const a = 1\nconst b = (a +;\n' })
    await expect(bundle(dir, 'src/main.ts')).rejects.toThrow(/main\.ts:2:\d+: Expression expected/)
  })

  it('leaves an import with no TypeScript file beside it to rollup', async () => {
    const dir = project({
      'src/main.ts': "import { two } from './plain.js'\nconsole.log(two)\n",
      'src/plain.js': 'export const two = 2\n'
    })
    expect(await bundle(dir, 'src/main.ts')).toContain('const two = 2')
  })

  it("refuses a tsconfig it cannot read, naming it", () => {
    const dir = project({})
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": ')
    expect(() => typescriptFiles(join(dir, 'tsconfig.json'))).toThrow(/tsconfig\.json/)
  })
})
