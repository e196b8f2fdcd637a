/**
 * A mistake in what the user gave us (an input, a flag, a rules file, a manifest line).
 * Entry points print its message on one line and exit 2; anything else is an internal error.
 */
export class UserError extends Error {
  override name = 'UserError'
}

/**
 * The Quay database failed the sample in a way that may pass (a recovery conflict, a statement timeout, a dropped
 * connection) and kept failing after bounded retries: not the user's mistake, and no evidence either way
 * (inconclusive, exit 3).
 */
export class ReplicaUnavailable extends Error {
  override name = 'ReplicaUnavailable'
}

/** The message of anything thrown, without a stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
