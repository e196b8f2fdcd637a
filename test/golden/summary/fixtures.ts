// Results behind the golden summaries, built by the real judge from synthetic records and differences.
import { judge } from '../../../src/judge/judge.ts'
import type { Difference, ManifestDiff, Result, RunInfo } from '../../../src/rundir/types.ts'
import { diffFor, difference, latencyRecords, manifestRecord, testRules } from '../../unit/judge/build.ts'
import { differencesByCause, historyRecord, runSettings } from '../../../src/history/record.ts'
import { runHistory } from '../../../src/history/baseline.ts'
import { NIGHTLY_CONFIG, severityChange } from '../../unit/history/build.ts'

export function runInfo(overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    schema: 'clair-canary/run/v1',
    tool: { name: 'clair-canary', version: '0.1.0' },
    started_at: '2026-03-02T04:05:06.000Z',
    finished_at: '2026-03-02T04:35:06.000Z',
    seed: 'golden',
    config: {},
    sides: {
      canary: {
        url: 'https://clair-canary.example.internal',
        index_state: '9d3b8d7c6f1e4a2b',
        version: { version: 'v4.8.1-12-gabcdef1', revision: 'abcdef1234567890', claircore_version: 'v1.5.49' },
        updaters: {
          'debian/updater/bookworm': { fingerprint: 'etag-2', date: '2026-03-02T01:00:00Z' },
          'rhel-vex': { fingerprint: 'vex-7', date: '2026-03-01T22:00:00Z' },
        },
      },
      production: {
        url: 'https://clair.example.internal',
        index_state: '9d3b8d7c6f1e4a2b',
        version: { version: 'v4.8.0', revision: '0123456789abcdef', claircore_version: 'v1.5.48' },
        updaters: {
          'debian/updater/bookworm': { fingerprint: 'etag-1', date: '2026-03-01T19:00:00Z' },
          'rhel-vex': { fingerprint: 'vex-7', date: '2026-03-01T22:00:00Z' },
        },
      },
    },
    sample: { source: 'quay-db', requested: 200, drawn: 200 },
    timings: { sample: 1200, replay: 1_500_000, compare: 9000 },
    ...overrides,
  }
}

const coverage = {
  manifests: 0,
  distributions: { 'debian 12': 90, 'ubi 9': 50, 'alpine 3.19': 40, 'ubuntu 22.04': 15 },
  ecosystems: { dpkg: 105, rpm: 50, apk: 40, python: 60, go: 30, java: 12 },
  updaters: { 'debian/updater/bookworm': 90, 'rhel-vex': 50, 'alpine-main-v3.19-updater': 40, osv: 100 },
}

function healthyRecords(n: number) {
  return latencyRecords(n, 'golden', (p, _i, noise) => p * noise)
}

export function passingResult(): Result {
  const records = healthyRecords(200)
  return judge({
    records,
    diffs: [
      diffFor(3, [
        difference({
          report: 'vulnerability',
          kind: 'vulnerability',
          change: 'added',
          key: 'CVE-2026-1111 libssl3 3.0.11-1~deb12u2 (debian/updater/bookworm)',
          attribution: 'drift',
          updater: 'debian/updater/bookworm',
          why: 'debian/updater/bookworm fingerprints differ: production etag-1, canary etag-2',
        }),
      ]),
    ],
    rules: testRules(),
    contractViolations: [],
    sample: { requested: 200, drawn: 200 },
    coverage: { ...coverage, manifests: 200 },
  })
}

/** A planted regression: python packages dropped on 18 manifests, plus 312 drift differences on 40. */
export function failingResult(): Result {
  const records = healthyRecords(200)
  const byDigest = new Map<number, Difference[]>()
  const add = (i: number, d: Difference) => byDigest.set(i, [...(byDigest.get(i) ?? []), d])
  for (let i = 0; i < 18; i++) {
    add(i * 7, difference({
      key: 'requests 2.31.0 (python, usr/lib/python3.11/site-packages)',
      ecosystem: 'python',
      before: { name: 'requests', version: '2.31.0' },
    }))
    if (i % 3 === 0)
      add(i * 7, difference({ key: 'urllib3 2.0.7 (python, usr/lib/python3.11/site-packages)', ecosystem: 'python', before: { name: 'urllib3', version: '2.0.7' } }))
  }
  // Vulnerabilities that follow from the dropped packages are code differences too.
  for (let i = 0; i < 4; i++)
    add(i * 7, difference({
      report: 'vulnerability',
      kind: 'vulnerability',
      key: `PYSEC-2023-74 requests 2.31.0 (osv)`,
      updater: 'osv',
      ecosystem: 'python',
      before: 'PYSEC-2023-74',
    }))
  for (let i = 0; i < 312; i++)
    add(100 + (i % 40), difference({
      report: 'vulnerability',
      kind: 'vulnerability',
      change: i % 5 === 0 ? 'removed' : 'added',
      key: `CVE-2026-${2000 + i} libc6 2.36-9+deb12u4 (debian/updater/bookworm)`,
      attribution: 'drift',
      updater: 'debian/updater/bookworm',
      ecosystem: 'dpkg',
      why: 'debian/updater/bookworm fingerprints differ: production etag-1, canary etag-2',
      after: i % 5 === 0 ? null : 'High',
    }))
  // A key full of characters markdown would otherwise interpret.
  add(150, difference({
    key: 'we|rd <pkg> `x` *y* 1.0 (go, bin/a|b)',
    ecosystem: 'go',
    change: 'changed',
    before: { name: 'we|rd', version: '1.0' },
    after: { name: 'we|rd', version: '1.0+<b>' },
    attribution: 'noise',
    why: 'differs between two reads of production',
  }))
  const diffs: ManifestDiff[] = [...byDigest.entries()].map(([i, ds]) => diffFor(i, ds))
  const failed = records.map((r, i) =>
    i === 199
      ? manifestRecord(199, {
          productionMs: 90,
          canaryMs: 90,
          productionError: { op: 'vulnerability_report', class: 'timeout', status: null, message: 'no answer in 30 s' },
        })
      : r,
  )
  return judge({
    records: failed,
    diffs,
    rules: testRules(),
    contractViolations: [],
    sample: { requested: 200, drawn: 200 },
    coverage: { ...coverage, manifests: 199 },
    expiredRules: [{ reason: 'python scanner rewrite drops egg-info', expires: '2026-02-01' }],
  })
}

/** Production unreachable part of the way: too few manifests compared to say anything. */
export function inconclusiveResult(): Result {
  const records = healthyRecords(20)
  return judge({
    records,
    diffs: [],
    rules: testRules(),
    contractViolations: [],
    sample: { requested: 200, drawn: 20 },
    coverage: { ...coverage, manifests: 20 },
    incomplete: [{ stage: 'replay', reason: 'production stopped answering (connection refused) after 20 manifests' }],
  })
}

/** 20,000 differences over many ecosystems and updaters: far more than any summary budget holds. */
export function hugeResult(): Result {
  const records = healthyRecords(2000)
  const ecosystems = ['dpkg', 'rpm', 'apk', 'python', 'go', 'java', 'gem', 'npm', 'cargo', 'nuget']
  const attributions = ['code', 'drift', 'by-design', 'noise', 'allowed'] as const
  const kinds = ['package', 'vulnerability', 'environment', 'repository'] as const
  const changes = ['added', 'removed', 'changed'] as const
  const diffs: ManifestDiff[] = []
  let n = 0
  for (let m = 0; m < 2000 && n < 20_000; m++) {
    const differences: Difference[] = []
    for (let k = 0; k < 10; k++, n++) {
      const kind = kinds[(m + k) % kinds.length]!
      differences.push(
        difference({
          report: kind === 'vulnerability' ? 'vulnerability' : 'index',
          kind,
          change: changes[(m * 3 + k) % changes.length]!,
          ecosystem: ecosystems[(m + 2 * k) % ecosystems.length]!,
          attribution: attributions[(m * 7 + k) % attributions.length]!,
          key: `package-${m}-${k} 1.${k}.${m}-r${m % 13} (with a | pipe and <angle> brackets, path/${'x'.repeat(40)})`,
          before: { name: `package-${m}-${k}`, version: `1.${k}.${m}` },
          after: null,
          updater: kind === 'vulnerability' ? `updater-${m % 12}` : undefined,
        }),
      )
    }
    diffs.push(diffFor(m, differences))
  }
  return judge({
    records,
    diffs,
    rules: testRules(),
    contractViolations: [],
    sample: { requested: 2000, drawn: 2000 },
    coverage: { ...coverage, manifests: 2000 },
  })
}

/**
 * A nightly judged against eight earlier nights, the two oldest at another rate (set aside): its canary indexes
 * 1.4× slower than the six comparable ones, and one field is noisy.
 */
export function nightlyResult(): { result: Result; run: RunInfo } {
  const severity = severityChange('CVE-2026-2222 in libxml2 2.9.14')

  const nightRecords = (indexMs: number) =>
    latencyRecords(200, 'golden', (p, _i, noise) => p * noise).map((r, i) => ({
      ...r,
      requests: r.requests.map((q) =>
        q.op === 'index' ? { ...q, latency_ms: indexMs + ((i * 37) % 400) } : q,
      ),
    }))
  const earlier = Array.from({ length: 8 }, (_, k) => {
    const day = 21 + k
    const diffs = k % 3 === 1 ? [] : [diffFor(k, [severity])]
    const result = judge({
      records: nightRecords(1800 + (k % 4) * 30),
      diffs,
      rules: testRules(),
      contractViolations: [],
      sample: { requested: 200, drawn: 200 },
    })
    const config = k < 2 ? { ...NIGHTLY_CONFIG, replay: { ...NIGHTLY_CONFIG.replay, rate: 2 } } : NIGHTLY_CONFIG
    const run = runInfo({ started_at: `2026-02-${day}T03:17:00.000Z`, config })
    run.sides.canary.version = run.sides.production.version
    return historyRecord({
      result,
      run,
      diffs,
      context: { branch: 'main', commit: `${String(k).repeat(7)}${'0'.repeat(33)}`, event: 'schedule', runId: 100 + k },
    })
  })
  const run = runInfo({
    config: {
      ...NIGHTLY_CONFIG,
      history: { commit: 'fedcba9876543210fedcba9876543210fedcba98', event: 'schedule' },
    },
  })
  run.sides.canary.version = run.sides.production.version
  const diffs = [diffFor(40, [severity])]
  const history = runHistory({
    records: earlier,
    depth: 14,
    branch: 'main',
    defaultBranch: 'main',
    source: 'artifacts',
    current: {
      event: 'schedule',
      fields: differencesByCause(diffs).fields,
      code: 'v4.8.0 0123456789abcdef v1.5.48',
      productionCode: 'v4.8.0 0123456789abcdef v1.5.48',
      time: run.started_at,
      settings: runSettings(run.config),
      manifests: 200,
    },
  })
  run.history = history
  const result = judge({
    records: nightRecords(2600),
    diffs,
    rules: testRules({ maxCodeDifferences: { index: 0, vulnerability: 5 } }),
    contractViolations: [],
    sample: { requested: 200, drawn: 200 },
    coverage: { ...coverage, manifests: 200 },
    history,
  })
  return { result, run }
}
