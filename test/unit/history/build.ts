// History records built the way a run builds them: the real judge over synthetic records, then historyRecord.
import { judge } from '../../../src/judge/judge.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import {
  historyRecord,
  runSettings,
  type HistoryRecord,
  type RunSettings,
} from '../../../src/history/record.ts'
import { difference, manifestRecord } from '../judge/build.ts'
import type { Difference, ManifestDiff, ManifestRecord, RunInfo } from '../../../src/rundir/types.ts'

export function records(n: number, indexMs: number): ManifestRecord[] {
  return Array.from({ length: n }, (_, i) =>
    manifestRecord(i, { productionMs: 100, canaryMs: 100, indexMs: indexMs + (i % 7) }),
  )
}

/** The parts of run.json's config a nightly's index latency depends on, as examples/workflows/nightly.yml sets them. */
export const NIGHTLY_CONFIG = {
  replay: { rate: 4, concurrency: 16, deleteFirst: false },
  source: { kind: 'quay-db', sampler: { strata: ['media_type', 'recency'] }, layers: { mode: 's3' } },
}

/** The settings of a run with NIGHTLY_CONFIG. */
export const NIGHTLY_SETTINGS: RunSettings = runSettings(NIGHTLY_CONFIG)

export function runInfo(
  time: string,
  canaryRevision = 'abc1234',
  productionRevision = 'abc1234',
  config: unknown = NIGHTLY_CONFIG,
): RunInfo {
  return {
    schema: 'clair-canary/run/v1',
    tool: { name: 'clair-canary', version: '0.1.0' },
    started_at: time,
    seed: 's',
    config,
    sides: {
      canary: { url: 'http://canary', version: { version: 'v4.9.0', revision: canaryRevision } },
      production: { url: 'http://production', version: { version: 'v4.9.0', revision: productionRevision } },
    },
    sample: { source: 'jsonl', requested: 60, drawn: 60 },
    timings: {},
  }
}

/** A night: the real judge over `manifests` manifests (60) whose canary indexes in about indexMs. */
export function night(
  day: number,
  indexMs: number,
  diffs: ManifestDiff[] = [],
  revision = 'abc1234',
  opts: { config?: unknown; manifests?: number } = {},
): HistoryRecord {
  const time = `2026-11-${String(day).padStart(2, '0')}T03:17:00.000Z`
  const recs = records(opts.manifests ?? 60, indexMs)
  const result = judge({
    records: recs,
    diffs,
    rules: DEFAULT_RULES,
    contractViolations: [],
    sample: { requested: recs.length, drawn: recs.length },
  })
  return historyRecord({
    result,
    run: runInfo(time, revision, 'abc1234', opts.config ?? NIGHTLY_CONFIG),
    diffs,
    context: { branch: 'main', commit: revision.padEnd(40, '0'), event: 'schedule', runId: day },
  })
}

/** A code difference in one field: the severity Debian's updater gives a vulnerability, Low in production. */
export function severityChange(key: string): Difference {
  return difference({
    report: 'vulnerability',
    kind: 'vulnerability',
    change: 'changed',
    key,
    ecosystem: 'dpkg',
    updater: 'debian/updater/bookworm',
    before: { severity: 'Low' },
    after: { severity: 'Medium' },
  })
}
