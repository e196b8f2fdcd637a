// Sampler options for tests, built from inputs as the action's would be (defaults from action.yml's table).
import { INPUTS } from '../../src/config/inputs.ts'
import { parseSamplerSettings } from '../../src/config/sampler.ts'
import type { SamplerOptions } from '../../src/quay/options.ts'

/** `inputs` by name (e.g. strata, 'live-tags-only'); the rest take their action.yml defaults. */
export function samplerOptions(
  size: number,
  seed: string,
  inputs: Record<string, string> = {},
): SamplerOptions {
  const defaults = new Map(INPUTS.map((i) => [i.name, i.default]))
  const { currentIndexStateOnly: _, ...settings } = parseSamplerSettings(
    (name) => inputs[name] ?? defaults.get(name) ?? '',
  )
  return { ...settings, size, seed }
}
