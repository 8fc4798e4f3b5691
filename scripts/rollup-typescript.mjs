// A rollup plugin that turns the project's TypeScript into JavaScript one file at a time
// (ts.transpileModule), for the bundles of rollup.config.js and the fuzzer's (test/fuzz/bundle.ts).
//
// The project compiles under `isolatedModules` and `verbatimModuleSyntax` (tsconfig.json): each
// file's JavaScript depends on that file alone, so this gives what a whole program's emit gives,
// byte for byte (test/dist/dist.test.ts compares a build with the committed dist/), without
// building a program for each bundle. @rollup/plugin-typescript built and type-checked one for each
// of the six bundles: about 4 s and 350 MB apiece, 58 s and 2.6 GB for `npm run build` against
// 21 s and 0.8 GB this way (docs/performance.md, "Building"). Types are checked once, by
// `npm run typecheck` (part of `npm test`); a syntax error still stops the build here.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import ts from 'typescript'

/**
 * @param {string} tsconfig the tsconfig file whose compiler options apply
 * @param {Record<string, unknown>} [overrides] compiler options that replace the file's, as written in JSON
 * @returns {import('rollup').Plugin}
 */
export function typescriptFiles(tsconfig, overrides = {}) {
  const file = ts.readConfigFile(tsconfig, ts.sys.readFile)
  if (file.error) throw new Error(`${tsconfig}: ${message(file.error)}`)
  const config = {
    ...file.config,
    compilerOptions: { ...file.config.compilerOptions, ...overrides }
  }
  const parsed = ts.parseJsonConfigFileContent(
    config,
    ts.sys,
    dirname(resolve(tsconfig)),
    undefined,
    tsconfig
  )
  if (parsed.errors.length > 0) throw new Error(parsed.errors.map(message).join('\n'))
  const options = parsed.options
  return {
    name: 'typescript-files',
    // The project's imports name the JavaScript a file becomes ('./errors.js'): the TypeScript
    // source beside it is what is read.
    resolveId(source, importer) {
      if (!importer?.endsWith('.ts') || !source.startsWith('.') || !source.endsWith('.js'))
        return null
      const path = resolve(dirname(importer), `${source.slice(0, -'.js'.length)}.ts`)
      return existsSync(path) ? path : null
    },
    // In `load`, not `transform`: rollup takes the bundle's indentation from the code `load` gives,
    // and dist/ is indented as the JavaScript is (four spaces), as it was before this plugin.
    load(id) {
      if (!id.endsWith('.ts') || id.endsWith('.d.ts')) return null
      const out = ts.transpileModule(readFileSync(id, 'utf8'), {
        compilerOptions: options,
        fileName: id,
        reportDiagnostics: true
      })
      const problems = out.diagnostics ?? []
      if (problems.length > 0) this.error(problems.map(message).join('\n'))
      return { code: out.outputText, map: null }
    }
  }
}

/** A diagnostic as `file:line:column: message`, or the message alone where it has no place. */
function message(diagnostic) {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
  if (!diagnostic.file || diagnostic.start === undefined) return text
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
  return `${diagnostic.file.fileName}:${line + 1}:${character + 1}: ${text}`
}

/**
 * tsconfig.json's options (the whole project's: src/, test/, bench/), compiled for a bundle: the
 * fuzzer's (test/fuzz/bundle.ts).
 * @param {string} [root] the project's folder
 * @returns {import('rollup').Plugin}
 */
export function projectFiles(root = '.') {
  return typescriptFiles(join(root, 'tsconfig.json'), {
    module: 'esnext',
    moduleResolution: 'bundler'
  })
}

/** For rollup's command line: `--configPlugin ./scripts/rollup-typescript.mjs` (`npm run fuzz`). */
export default function configPlugin() {
  return projectFiles()
}
