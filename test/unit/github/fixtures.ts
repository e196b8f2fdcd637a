// Synthetic run data for the publishing tests: generated, seeded, with hostile strings in keys.
import type {
  Attribution,
  Difference,
  DifferenceKind,
  ManifestDiff,
  ManifestRecord,
  RequestRecord,
  Result,
  RunInfo,
  Verdict,
} from '../../../src/rundir/types.ts'
import { mulberry32 } from '../../../src/seeded.ts'
import { judge } from '../../../src/judge/judge.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'

/** A small deterministic PRNG (mulberry32) so fixtures are the same on every run. */
export const prng = mulberry32

export function digest(i: number): string {
  return `sha256:${i.toString(16).padStart(8, '0').repeat(8)}`
}

const ECOSYSTEMS = ['rpm', 'dpkg', 'apk', 'python', 'go', 'java']
const KINDS: DifferenceKind[] = [
  'package',
  'distribution',
  'repository',
  'environment',
  'vulnerability',
  'enrichment',
]
const ATTRIBUTIONS: Attribution[] = ['code', 'code', 'drift', 'noise', 'allowed', 'by-design']

/** n differences spread over manifests; keys carry markdown/HTML metacharacters and non-ASCII. */
export function makeDiffs(n: number, seed = 1, manifests = Math.max(1, Math.ceil(n / 20))): ManifestDiff[] {
  const rnd = prng(seed)
  const byDigest = new Map<string, Difference[]>()
  for (let i = 0; i < n; i++) {
    const kind = KINDS[Math.floor(rnd() * KINDS.length)]!
    const ecosystem = ECOSYSTEMS[Math.floor(rnd() * ECOSYSTEMS.length)]!
    const attribution = ATTRIBUTIONS[Math.floor(rnd() * ATTRIBUTIONS.length)]!
    const change = (['added', 'removed', 'changed'] as const)[Math.floor(rnd() * 3)]!
    const d: Difference = {
      report: kind === 'vulnerability' || kind === 'enrichment' ? 'vulnerability' : 'index',
      kind,
      change,
      key: `lib-${i}|<script>alert(${i})</script> 1:${i}.0-ü (${ecosystem}, var/lib/*pkg*)`,
      attribution,
      before: change === 'added' ? null : { version: `${i}.0` },
      after: change === 'removed' ? null : { version: `${i}.1` },
      ecosystem,
      ...(attribution === 'drift'
        ? { updater: `rhel-vex-${i % 3}`, why: `rhel-vex-${i % 3} fingerprints differ` }
        : {}),
      ...(attribution === 'allowed' ? { why: 'rule: go stdlib versions (#123)' } : {}),
    }
    const dg = digest(Math.floor(rnd() * manifests))
    const list = byDigest.get(dg) ?? []
    list.push(d)
    byDigest.set(dg, list)
  }
  return [...byDigest.entries()].map(([digest, differences]) => ({ digest, differences }))
}

export function makeRecords(n: number, seed = 2): ManifestRecord[] {
  const rnd = prng(seed)
  const records: ManifestRecord[] = []
  for (let i = 0; i < n; i++) {
    const at = i * 500
    const req = (side: 'canary' | 'production', op: RequestRecord['op'], scale: number): RequestRecord => {
      const failed = rnd() < 0.05
      return {
        op,
        side,
        status: failed ? (rnd() < 0.5 ? null : 500) : 200,
        latency_ms: Math.round(scale * (20 + rnd() * 200 + (rnd() < 0.05 ? 2000 : 0))),
        start_lag_ms: Math.round(rnd() * 3),
        scheduled_at_ms: at,
        attempts: failed ? 3 : 1,
        ...(failed ? { error: rnd() < 0.5 ? 'timeout' : 'http_5xx', message: 'attempt 3: <b>boom</b>' } : {}),
      }
    }
    records.push({
      digest: digest(i),
      requests: [
        req('canary', 'index', 3),
        req('canary', 'vulnerability_report', 1.2),
        req('production', 'index_report', 1),
        req('production', 'vulnerability_report', 1),
      ],
      fresh_index: true,
      canary_state: 'IndexFinished',
      production_state: 'IndexFinished',
    })
  }
  return records
}

/**
 * A result with the verdict asked for and hand-made gates, reasons and counts; its aggregates (the groups of
 * differences and errors) are the real judge's over these diffs and records.
 */
export function makeResult(
  verdict: Verdict,
  diffs: ManifestDiff[] = [],
  records: ManifestRecord[] = [],
): Result {
  const judged = judgedResult(diffs, records)
  const errors = records.reduce((n, r) => n + r.requests.filter((q) => q.error).length, 0)
  const code = diffs.filter((d) => d.differences.some((x) => x.attribution === 'code')).length
  return {
    schema: 'clair-canary/result/v1',
    verdict,
    reasons:
      verdict === 'fail'
        ? [`${code} manifests have differences attributed to the code change (threshold 0)`]
        : verdict === 'inconclusive'
          ? ['only 3 manifests compared; at least 50 are needed']
          : ['every gate passed'],
    gates: [
      {
        name: 'code-differences-index',
        value: code,
        threshold: '≤ 0',
        decision: verdict === 'fail' ? 'fail' : 'pass',
        detail: `${code} manifests with code differences in index reports`,
      },
      {
        name: 'min-compared',
        value: verdict === 'inconclusive' ? 3 : Math.max(records.length, 50),
        threshold: '≥ 50',
        decision: verdict === 'inconclusive' ? 'inconclusive' : 'pass',
        detail: 'manifests compared on both sides',
      },
      {
        name: 'latency-p95',
        value: 1.04,
        threshold: '≤ 1.25 and significant',
        decision: 'pass',
        detail: 'p95 ratio 1.04 (p=0.4)',
      },
    ],
    counts: {
      ...judged.counts,
      manifests: Math.max(records.length, diffs.length),
      compared: records.length,
      different: diffs.length,
      errors,
    },
    aggregates: judged.aggregates,
  }
}

export function makeRun(): RunInfo {
  return {
    schema: 'clair-canary/run/v1',
    tool: { name: 'clair-canary', version: '0.1.0' },
    started_at: '2026-11-22T01:00:00.000Z',
    finished_at: '2026-11-22T01:10:00.000Z',
    seed: 'seed-1',
    config: { canary: { url: 'https://canary.example', psk: '[redacted]' } },
    sides: {
      canary: { url: 'https://canary.example', index_state: 'aaaa', version: { revision: 'abc123' } },
      production: { url: 'https://clair.example', index_state: 'aaaa', version: { revision: 'def456' } },
    },
    sample: { source: 'jsonl', requested: 100, drawn: 100 },
    timings: { replay: 500_000 },
  }
}

/** The judge's own result for these fixtures: aggregates (groups of differences) included. */
export function judgedResult(diffs: ManifestDiff[], records: ManifestRecord[]): Result {
  return judge({
    records,
    diffs,
    rules: DEFAULT_RULES,
    contractViolations: [],
    sample: { requested: records.length, drawn: records.length },
  })
}
