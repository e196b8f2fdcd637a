/**
 * A mistake in what the user gave us (an input, a flag, a rules file, a manifest line).
 * Entry points print its message on one line and exit 2; anything else is an internal error.
 */
export class UserError extends Error {
  override name = 'UserError'
}

/** The message of anything thrown, without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
