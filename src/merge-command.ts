// The aggregate job of a sharded run (input `merge`, `clair-canary merge`): the legs' run directories become one
// run directory, judged once, so a sharded run has the verdict, gates, summary and history of one run.
import { join } from 'node:path'
import { writeOutcome } from './pipeline.ts'
import { judgeStores } from './rejudge.ts'
import { openRunStores, writeJsonl } from './rundir/io.ts'
import { RUN_FILES } from './rundir/layout.ts'
import { mergeRunDirs } from './shard/merge.ts'
import type { MergeConfig } from './config/types.ts'
import type { HistoryArtifactsApi } from './history/store.ts'
import type { Logger } from './log.ts'
import type { PipelineOutcome } from './pipeline.ts'
import type { ManifestDiff } from './rundir/types.ts'

export async function mergeAndJudge(
  config: MergeConfig,
  log: Logger,
  deps: {
    now?: () => Date
    /** Earlier runs' artifacts, where history records are read from when config.history has no dir. */
    historyArtifacts?: HistoryArtifactsApi
  } = {},
): Promise<PipelineOutcome> {
  const now = deps.now ?? (() => new Date())
  const history = config.history
  const earlier = history
    ? (async () => {
        const [{ loadHistoryRecords }, { artifactName }] = await Promise.all([
          import('./history/run.ts'),
          import('./github/artifacts.ts'),
        ])
        return loadHistoryRecords({
          history,
          artifactBase: artifactName(config.github.artifactName),
          api: deps.historyArtifacts,
          log,
        })
      })()
    : undefined
  earlier?.catch(() => undefined)
  const { run, records, conflicts } = await mergeRunDirs(config.merge, config.runDir)
  log.info(`merge: ${config.merge.length} location(s), ${records.length} manifests`)
  // Legs that saw a different canary or different vulnerability data are not one run: say so, never pass.
  const incomplete = [...(run.incomplete ?? []), ...conflicts.map((reason) => ({ stage: 'merge', reason }))]
  run.incomplete = incomplete
  const runDir = config.runDir
  // As a run does: this run's differences (for the noisy fields) and settings, all legs together.
  const historyOf = history
    ? await (async () => {
        const [{ readRunHistory }, { differencesByCause }, loaded] = await Promise.all([
          import('./history/run.ts'),
          import('./history/record.ts'),
          earlier!,
        ])
        return (diffs: ManifestDiff[]) =>
          (run.history = readRunHistory({
            loaded,
            history,
            run,
            fields: differencesByCause(diffs).fields,
            manifests: records.length,
            log,
          }))
      })()
    : undefined
  const { result, diffs } = await judgeStores({
    ...(await openRunStores(runDir)),
    rules: config.rules,
    today: now().toISOString().slice(0, 10),
    records,
    sample: run.sample,
    incomplete,
    ...(historyOf ? { history: historyOf } : {}),
  })
  await writeJsonl(join(runDir, RUN_FILES.diffs), diffs)
  const outcome = await writeOutcome(runDir, run, result, records, diffs, log)
  if (history) await (await import('./history/run.ts')).writeHistoryRecord(history, outcome, log)
  return outcome
}
