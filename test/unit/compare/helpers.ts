// Shared set-up for the compare tests: a context where nothing explains a difference (everything is `code`).
import { compareManifest as compare } from '../../../src/compare/compare.ts'
import { emptyNoiseIndex } from '../../../src/compare/attribute.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import type { CompareContext, CompareInput } from '../../../src/compare/compare.ts'
import type { NoiseIndex } from '../../../src/compare/attribute.ts'
import type { ManifestDiff } from '../../../src/rundir/types.ts'

export function context(overrides: Partial<CompareContext> = {}): CompareContext {
  return {
    rules: DEFAULT_RULES,
    indexStates: {},
    updateOperations: {},
    enrichmentOperations: {},
    today: '2026-06-01',
    ...overrides,
  }
}

export function emptyNoise(): NoiseIndex {
  return emptyNoiseIndex()
}

export function compareManifest(
  input: CompareInput,
  ctx: Partial<CompareContext> = {},
  noise: NoiseIndex = emptyNoise(),
): ManifestDiff {
  return compare(input, context(ctx), noise)
}
