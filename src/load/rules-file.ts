import { buildRules, type Rules, type RulesOverrides } from '../compare/rules.js'
import { clip, visible } from '../text.js'
import { readJsonFile } from './files.js'

/**
 * The largest rules file read. The largest real ones are a few KB; 10,000 rules of a long pattern
 * each (the most buildRules takes) are about 2 MB.
 */
export const MAX_RULES_BYTES = 4 * 1024 * 1024

/**
 * The rules file (the CLI's `--rules`, the action's `rules-file`), read in this one place: a
 * regular file of at most MAX_RULES_BYTES (a rules file can come from a pull request, and a
 * committed symlink to /dev/stdin or /dev/zero must not hang the gate), JSON, then checked by
 * buildRules. Without a path, the defaults and the overrides. What is wrong with the file is an
 * InputError, as a profile's is: the command line was right.
 */
export async function readRulesFile(
  path: string | undefined,
  overrides: RulesOverrides
): Promise<Rules> {
  if (path === undefined) return buildRules(undefined, overrides)
  const json = await readJsonFile(path, 'the rules file', MAX_RULES_BYTES)
  return buildRules(json, overrides, visible(clip(path, 200)))
}
