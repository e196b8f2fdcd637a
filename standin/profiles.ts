// Scenario profiles: plain data describing how a stand-in deviates from a baseline Clair.
import type { Ecosystem } from './catalogue.ts'

/** Fractions (0..1) of API responses replaced by a fault. */
export interface FaultRates {
  /** A proxy's HTML error page (502, text/html). */
  html?: number
  /** 401 with an empty body, as Clair answers a bad token. */
  emptyUnauthorized?: number
  /** Headers promise the full body, the connection closes half-way. */
  truncated?: number
  /** The connection is reset before any response. */
  reset?: number
  /** A POST index_report answered 201 without its ETag (Quay asserts one). */
  noEtag?: number
  /** A 2xx answered with an empty body (Quay's resp.json() fails on it). */
  emptyOk?: number
}

export interface UpdaterDrift {
  updater: string
  /** Vulnerabilities only this side has. */
  add: number
  /** Vulnerabilities this side lacks. */
  remove: number
}

export interface ScenarioProfile {
  name: string
  description: string
  /** Scanner versions that differ from the baseline (this changes the index state). */
  scannerVersions?: Record<string, string>
  /** Ecosystems whose scanner silently finds nothing (a regression: same version, same index state). */
  dropEcosystems?: Ecosystem[]
  /** Ecosystems whose scanner loses version epochs: "1:2.38.1-2" becomes "2.38.1-2". */
  dropEpochs?: Ecosystem[]
  /** The Python scanner also reads egg-info metadata (finds packages the baseline does not). */
  readEggInfo?: boolean
  /** Fraction of manifests (chosen by digest, so the same ones every run) that fail with IndexError. */
  indexErrorFraction?: number
  /** Updaters whose vulnerability data differ from the baseline's. */
  drift?: UpdaterDrift[]
  faults?: FaultRates
  /** Added latency in ms before answering, +/- jitter (a fraction of the value). */
  latencyMs?: { index?: number; report?: number; jitter?: number }
  /** Fraction of packages (chosen by content) whose arch or normalized_version flips between reads. */
  flipFraction?: number
}

const production: ScenarioProfile = { name: 'production', description: 'baseline behaviour' }

const regression: ScenarioProfile = {
  name: 'regression',
  description:
    'the Python scanner finds nothing, the dpkg scanner drops epochs, and 5% of manifests fail with IndexError; scanner versions unchanged',
  dropEcosystems: ['python'],
  dropEpochs: ['dpkg'],
  indexErrorFraction: 0.05,
}

const drift: ScenarioProfile = {
  name: 'drift',
  description: 'debian-updater has a different fingerprint: 4 vulnerabilities more and 3 fewer',
  drift: [{ updater: 'debian-updater', add: 4, remove: 3 }],
}

export const PROFILES: Record<string, ScenarioProfile> = {
  production,
  clean: { name: 'clean', description: 'a canary identical in content to production' },
  regression,
  drift,
  demo: {
    ...regression,
    ...drift,
    name: 'demo',
    description: `regression (${regression.description}) plus drift (${drift.description})`,
  },
  'error-burst': {
    name: 'error-burst',
    description: 'half the manifests fail to index: a burst of 500s on POST index_report',
    indexErrorFraction: 0.5,
  },
  faulty: {
    name: 'faulty',
    description: 'some responses are HTML error pages, empty 401s, truncated bodies or connection resets',
    faults: { html: 0.04, emptyUnauthorized: 0.03, truncated: 0.03, reset: 0.03 },
  },
  slow: {
    name: 'slow',
    description: 'answers later: +150 ms on index, +40 ms on reports',
    latencyMs: { index: 150, report: 40, jitter: 0.3 },
  },
  'scanner-upgrade': {
    name: 'scanner-upgrade',
    description: 'the Python scanner is version 4 (new index state) and also reads egg-info packages',
    scannerVersions: { python: '4' },
    readEggInfo: true,
  },
  nondeterministic: {
    name: 'nondeterministic',
    description:
      '10% of packages have a field that flips between reads (noise), besides the usual random order',
    flipFraction: 0.1,
  },
}

/** A profile by name or as given; unknown names are an error that lists the known ones. */
export function resolveProfile(profile: ScenarioProfile | string | undefined): ScenarioProfile {
  if (profile === undefined) return production
  if (typeof profile !== 'string') return profile
  const found = PROFILES[profile]
  if (!found)
    throw new Error(`unknown stand-in profile "${profile}"; known: ${Object.keys(PROFILES).join(', ')}`)
  return found
}
