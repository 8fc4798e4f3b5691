import { readFile } from 'node:fs/promises'
import { buildRules, type Rules, type RulesOverrides } from '../compare/rules.js'
import { errorMessage, UsageError } from '../errors.js'
import { clip, quoted, visible } from '../text.js'

/**
 * The rules file (the CLI's `--rules`, the action's `rules-file`), read in this one place: JSON,
 * then checked by buildRules. Without a path, the defaults and the overrides.
 */
export async function readRulesFile(
  path: string | undefined,
  overrides: RulesOverrides
): Promise<Rules> {
  if (path === undefined) return buildRules(undefined, overrides)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(
      `cannot read the rules file ${quoted(path)}: ${visible(clip(errorMessage(error), 200))}`,
      {
        cause: error
      }
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new UsageError(
      `the rules file ${quoted(path)} is not valid JSON: ${visible(clip(errorMessage(error), 200))}`,
      {
        cause: error
      }
    )
  }
  return buildRules(json, overrides, visible(clip(path, 200)))
}
