// The aggregate job of a sharded run (input `merge`, `clair-canary merge`): the legs' run directories become one
// run directory, judged once, so a sharded run has the verdict, gates and summary of one run.
import { join } from 'node:path'
import { canaryOnlyViolations, checkQuayContract } from './clair/contract.ts'
import { compareStores } from './compare/stores.ts'
import { judge } from './judge/judge.ts'
import { writeOutcome } from './pipeline.ts'
import { openReportStore, sidesWithoutUpdateOperations, writeJsonl } from './rundir/io.ts'
import { RUN_FILES, storeDir } from './rundir/layout.ts'
import { mergeRunDirs } from './shard/merge.ts'
import type { JudgeConfig } from './config/types.ts'
import type { Logger, PipelineOutcome } from './pipeline.ts'
import type { ReportStore } from './rundir/io.ts'
import type { Side } from './rundir/types.ts'

export async function mergeAndJudge(
  config: JudgeConfig & { merge: string[] },
  log: Logger,
  now: () => Date = () => new Date(),
): Promise<PipelineOutcome> {
  const { run, records, conflicts } = await mergeRunDirs(config.merge, config.runDir)
  log.info(`merge: ${config.merge.length} location(s), ${records.length} manifests`)
  // Legs that saw a different canary or different vulnerability data are not one run: say so, never pass.
  const incomplete = [...(run.incomplete ?? []), ...conflicts.map((reason) => ({ stage: 'merge', reason }))]
  run.incomplete = incomplete
  const runDir = config.runDir
  const production = await openReportStore(storeDir(runDir, 'production'))
  const canary = await openReportStore(storeDir(runDir, 'canary'))
  const compared = await compareStores(production, canary, {
    rules: config.rules,
    today: now().toISOString().slice(0, 10),
    rereads: {
      production: await openReportStore(join(runDir, 'reports', 'production-reread')),
      canary: await openReportStore(join(runDir, 'reports', 'canary-reread')),
    },
  })
  await writeJsonl(join(runDir, RUN_FILES.diffs), compared.diffs)
  const result = judge({
    records,
    diffs: compared.diffs,
    rules: config.rules,
    contractViolations: await storedContractViolations({ production, canary }),
    sample: { requested: run.sample.requested, drawn: run.sample.drawn },
    coverage: compared.coverage,
    newFields: compared.newFields,
    unknownUpdateOperations: sidesWithoutUpdateOperations({ production, canary }),
    ...(compared.expiredRules.length ? { expiredRules: compared.expiredRules } : {}),
    incomplete,
  })
  return writeOutcome(runDir, run, result, records, compared.diffs, log)
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
