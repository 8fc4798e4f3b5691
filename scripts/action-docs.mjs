// Generates the README's inputs and outputs tables from action.yml (`npm run docs`).
// test/docs/readme.test.ts fails when the README is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

const cell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n+/g, ' ')
    .trim()

export function actionTables(actionYml) {
  const action = parse(actionYml)
  const inputs = [
    '| input | default | description |',
    '| --- | --- | --- |',
    ...Object.entries(action.inputs ?? {}).map(
      ([name, spec]) =>
        `| \`${name}\` | ${spec.default === undefined ? '' : `\`${cell(spec.default)}\``} | ${cell(spec.description)} |`
    )
  ]
  const outputs = [
    '| output | description |',
    '| --- | --- |',
    ...Object.entries(action.outputs ?? {}).map(
      ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`
    )
  ]
  return { inputs: inputs.join('\n'), outputs: outputs.join('\n') }
}

export function updateReadme(readme, actionYml) {
  const tables = actionTables(actionYml)
  let out = readme
  for (const [key, table] of Object.entries(tables)) {
    const start = `<!-- action-docs:${key}:start -->`
    const end = `<!-- action-docs:${key}:end -->`
    const a = out.indexOf(start)
    const b = out.indexOf(end)
    if (a < 0 || b < a) throw new Error(`README.md lacks the ${start} … ${end} markers`)
    out = `${out.slice(0, a + start.length)}\n\n${table}\n\n${out.slice(b)}`
  }
  return out
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readmePath = join(ROOT, 'README.md')
  const next = updateReadme(
    readFileSync(readmePath, 'utf8'),
    readFileSync(join(ROOT, 'action.yml'), 'utf8')
  )
  writeFileSync(readmePath, next)
  console.log('README.md: inputs and outputs tables updated from action.yml')
}
