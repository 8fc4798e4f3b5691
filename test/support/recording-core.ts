import type { Core } from '../../src/main.js'

/** A warning or notice as the action gave it: its message and title. */
export interface Annotation {
  message: string
  title?: string
}

/**
 * @actions/core, recorded, for tests that run `run(deps)` in-process. Inputs come from a map,
 * trimmed as getInput trims them.
 */
export class RecordingCore implements Core {
  readonly outputs: Record<string, string> = {}
  /** every setOutput call, in order */
  readonly outputLog: [string, string][] = []
  readonly failures: string[] = []
  readonly warnings: Annotation[] = []
  readonly notices: Annotation[] = []
  readonly infos: string[] = []
  readonly debugs: string[] = []
  readonly groups: string[] = []
  /** outputs and failures, in the order they happened */
  readonly events: string[] = []
  openGroups = 0

  constructor(private readonly inputs: Record<string, string>) {}

  getInput(name: string, options?: { required?: boolean; trimWhitespace?: boolean }): string {
    const value = this.inputs[name] ?? ''
    if (options?.required && !value) throw new Error(`Input required and not supplied: ${name}`)
    return options?.trimWhitespace === false ? value : value.trim()
  }
  info(message: string): void {
    this.infos.push(message)
  }
  debug(message: string): void {
    this.debugs.push(message)
  }
  warning(message: string, properties?: { title?: string }): void {
    this.warnings.push({ message, ...(properties?.title ? { title: properties.title } : {}) })
  }
  notice(message: string, properties?: { title?: string }): void {
    this.notices.push({ message, ...(properties?.title ? { title: properties.title } : {}) })
  }
  setOutput(name: string, value: string | number): void {
    this.outputs[name] = String(value)
    this.outputLog.push([name, String(value)])
    this.events.push(`output ${name}`)
  }
  setFailed(message: string): void {
    this.failures.push(message)
    this.events.push('failed')
  }
  startGroup(name: string): void {
    this.groups.push(name)
    this.openGroups += 1
  }
  endGroup(): void {
    this.openGroups -= 1
  }
}
