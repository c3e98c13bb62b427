/** Stable error codes; each maps to one exit code in {@link exitCodeFor}. */
export const errorCodes = [
  'TB_USAGE',
  'TB_SCENARIO_INVALID',
  'TB_INFRA_UNAVAILABLE',
  'TB_RUN_INVALID',
  'TB_ABORTED',
  'TB_INTERRUPTED',
  'TB_INTERNAL',
] as const
export type ErrorCode = (typeof errorCodes)[number]

export interface ErrorContext {
  cause?: unknown
  /** One line that tells the user what to do next. */
  fix?: string
  [key: string]: unknown
}

/** The one error type the CLI boundary knows how to print: a message, a fix and a stable code. */
export class TelcobenchError extends Error {
  readonly code: ErrorCode
  readonly fix: string | undefined
  constructor(code: ErrorCode, message: string, { cause, fix, ...context }: ErrorContext = {}) {
    super(message, { cause })
    this.name = 'TelcobenchError'
    this.code = code
    this.fix = fix
    Object.assign(this, context)
  }
}

/** The documented exit-code table (README "Exit codes"). */
export const ExitCode = {
  passed: 0,
  thresholdsFailed: 1,
  invalidInput: 2,
  infrastructure: 3,
  aborted: 4,
  runInvalid: 5,
  internal: 70,
  interrupted: 130,
} as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** Maps an error code to the process exit code. */
export function exitCodeFor(code: ErrorCode): ExitCodeValue {
  switch (code) {
    case 'TB_USAGE':
    case 'TB_SCENARIO_INVALID':
      return ExitCode.invalidInput
    case 'TB_INFRA_UNAVAILABLE':
      return ExitCode.infrastructure
    case 'TB_RUN_INVALID':
      return ExitCode.runInvalid
    case 'TB_ABORTED':
      return ExitCode.aborted
    case 'TB_INTERRUPTED':
      return ExitCode.interrupted
    case 'TB_INTERNAL':
      return ExitCode.internal
  }
}

/**
 * The exit code of a run that ended with results (README "Exit codes"): its state decides, and for an aborted run
 * its reasons: interrupted (130) or stopped by an abortOnFail threshold (4).
 */
export function exitCodeForRun(state: 'passed' | 'failed' | 'invalid' | 'aborted', reasonCodes: readonly string[]): ExitCodeValue {
  switch (state) {
    case 'passed':
      return ExitCode.passed
    case 'failed':
      return ExitCode.thresholdsFailed
    case 'invalid':
      return ExitCode.runInvalid
    case 'aborted':
      return reasonCodes.includes('interrupted') || !reasonCodes.includes('aborted') ? ExitCode.interrupted : ExitCode.aborted
  }
}
