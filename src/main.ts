import * as core from '@actions/core'
import { errorMessage } from './errors.js'

/**
 * The action. For now only the core exists (see issue: the action end to end); this entry point
 * fails clearly instead of pretending to work.
 */
export async function run(): Promise<void> {
  try {
    await Promise.resolve()
    throw new Error(
      'the nsys-bench action is not implemented yet; use the nsys-bench CLI (node dist/cli.js)'
    )
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}
