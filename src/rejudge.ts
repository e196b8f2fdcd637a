// Judging report stores that are already on disk, without a replay: `clair-canary compare` (two stores) and the
// merge of a sharded run (the legs' stores). Reads only: the caller writes the differences and the verdict.
import { canaryOnlyViolations, checkQuayContract } from './clair/contract.ts'
import { compareStores } from './compare/stores.ts'
import { judge } from './judge/judge.ts'
import { withRepositories } from './sample/source.ts'
import { sidesWithoutUpdateOperations } from './rundir/io.ts'
import type { Rules } from './config/types.ts'
import type { ReportStore } from './rundir/io.ts'
import type { ManifestDiff, ManifestRecord, Result, RunInfo, Side } from './rundir/types.ts'

export async function judgeStores(opts: {
  stores: { production: ReportStore; canary: ReportStore }
  rereads?: { production?: ReportStore; canary?: ReportStore }
  rules: Rules
  today: string
  records: ManifestRecord[]
  sample: RunInfo['sample']
  incomplete?: NonNullable<RunInfo['incomplete']>
  earlyStop?: RunInfo['early_stop']
  /** What earlier runs gave this run, or how to make it from this run's differences (the merge job reads it). */
  history?: RunInfo['history'] | ((diffs: ManifestDiff[]) => RunInfo['history'])
}): Promise<{ result: Result; diffs: ManifestDiff[] }> {
  const { production, canary } = opts.stores
  const compared = await compareStores(production, canary, {
    rules: opts.rules,
    today: opts.today,
    ...(opts.rereads ? { rereads: opts.rereads } : {}),
  })
  const history = typeof opts.history === 'function' ? opts.history(compared.diffs) : opts.history
  // The records name each manifest's repository as the run published it; the stores know nothing of it.
  const repositories = new Map(opts.records.flatMap((r) => (r.repository ? [[r.digest, r.repository]] : [])))
  const diffs = withRepositories(compared.diffs, (digest) => repositories.get(digest))
  const result = judge({
    records: opts.records,
    diffs,
    rules: opts.rules,
    contractViolations: await storedContractViolations(opts.stores),
    sample: { requested: opts.sample.requested, drawn: opts.sample.drawn },
    coverage: compared.coverage,
    newFields: compared.newFields,
    unknownUpdateOperations: sidesWithoutUpdateOperations(opts.stores),
    missingReports: {
      canary: compared.missing.canary.length,
      production: compared.missing.production.length,
    },
    ...(compared.expiredRules.length ? { expiredRules: compared.expiredRules } : {}),
    ...(opts.incomplete ? { incomplete: opts.incomplete } : {}),
    ...(opts.earlyStop ? { earlyStop: opts.earlyStop } : {}),
    ...(history ? { history } : {}),
  })
  return { result, diffs }
}

/** Quay-contract violations the canary's stored reports have and production's do not. */
export async function storedContractViolations(stores: Record<Side, ReportStore>) {
  const observed: Array<{ digest: string; side: Side; op: string; message: string }> = []
  for (const side of ['production', 'canary'] as const) {
    const store = stores[side]
    for (const digest of store.digests) {
      const index = await store.indexReport(digest)
      if (index)
        for (const message of checkQuayContract('index_report', index))
          observed.push({ digest, side, op: 'index_report', message })
      const vuln = await store.vulnerabilityReport(digest)
      if (vuln)
        for (const message of checkQuayContract('vulnerability_report', vuln))
          observed.push({ digest, side, op: 'vulnerability_report', message })
    }
  }
  return canaryOnlyViolations(observed)
}
