import { clip, visible } from './text.js'

/**
 * Typed errors. Deep code throws these (with the `cause` they came from); `run()` and the CLI
 * catch once and print the message, which always says what was wrong and what to do.
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
  /** The message without the location (a worker sends both, and the same error is made again). */
  readonly detail: string

  constructor(message: string, location?: InputLocation, options?: { cause?: unknown }) {
    super(location ? `${formatLocation(location)}: ${message}` : message, options)
    this.location = location
    this.detail = message
  }
}

/** The command line or the action's inputs are wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** The benchmark failed, timed out, or wrote no report. */
export class BenchmarkError extends Error {
  override readonly name = 'BenchmarkError'
}

/** A tool the action runs (nsys, nvidia-smi) is missing or failed; or the runner lacks something. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError'
}

/** A GitHub service (the REST API, the artifact service) refused or failed. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError'
}

/** Errors whose message is meant for the user as it is (anything else is a bug of ours). */
export function isKnownError(error: unknown): boolean {
  return (
    error instanceof InputError ||
    error instanceof UsageError ||
    error instanceof BenchmarkError ||
    error instanceof EnvironmentError ||
    error instanceof ServiceError
  )
}

export function formatLocation(location: InputLocation): string {
  let text = visible(clip(location.file, 300))
  if (location.line !== undefined) text += `:${location.line}`
  if (location.column !== undefined) text += ` (column "${visible(clip(location.column, 80))}")`
  return text
}

/** A message for any thrown value: non-Error throws must not pass silently. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return `unexpected non-Error exception: ${String(error)}`
}
