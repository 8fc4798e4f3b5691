import { buildRules, type Rules, type RulesOverrides } from '../compare/rules.js'
import { UsageError } from '../errors.js'
import { clip, visible } from '../text.js'
import { readJsonFile } from './files.js'

/**
 * The rules file (the CLI's `--rules`, the action's `rules-file`), read in this one place: JSON,
 * then checked by buildRules. Without a path, the defaults and the overrides.
 */
export async function readRulesFile(
  path: string | undefined,
  overrides: RulesOverrides
): Promise<Rules> {
  if (path === undefined) return buildRules(undefined, overrides)
  const json = await readJsonFile(
    path,
    'the rules file',
    (message, cause) => new UsageError(message, { cause })
  )
  return buildRules(json, overrides, visible(clip(path, 200)))
}
