// The one rule for an updater's latest update operation: the newest by date. Clair lists operations newest
// first, but that order is not part of its API, and dates compare as instants (offsets and fractions vary).
import type { UpdateOperation, UpdateOperations } from './types.ts'

export function latestOperation(list: readonly UpdateOperation[] | undefined): UpdateOperation | undefined {
  let latest: UpdateOperation | undefined
  for (const op of list ?? [])
    if (latest === undefined || Date.parse(op.date) > Date.parse(latest.date)) latest = op
  return latest
}

/** Updater -> its latest operation; tolerates a body read back from disk that is not a map of lists. */
export function latestOperations(ops: UpdateOperations): Record<string, UpdateOperation> {
  const out: Record<string, UpdateOperation> = {}
  if (typeof ops !== 'object' || ops === null) return out
  for (const [updater, list] of Object.entries(ops)) {
    const latest = Array.isArray(list) ? latestOperation(list) : undefined
    if (latest) out[updater] = latest
  }
  return out
}
