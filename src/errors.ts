/**
 * Typed errors. Deep code throws these; `run()` and the CLI catch once and print the message,
 * which always says what was wrong and what to do.
 */

export interface InputLocation {
  file: string
  line?: number
  column?: string
}

/** The input (a file, a directory, a profile JSON) is not what it should be. */
export class InputError extends Error {
  override readonly name = 'InputError'
  readonly location: InputLocation | undefined

  constructor(message: string, location?: InputLocation, options?: { cause?: unknown }) {
    super(location ? `${formatLocation(location)}: ${message}` : message, options)
    this.location = location
  }
}

/** The command line or the action's inputs are wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export function formatLocation(location: InputLocation): string {
  let text = location.file
  if (location.line !== undefined) text += `:${location.line}`
  if (location.column !== undefined) text += ` (column "${location.column}")`
  return text
}

/** A message for any thrown value: non-Error throws must not pass silently. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return `unexpected non-Error exception: ${String(error)}`
}
