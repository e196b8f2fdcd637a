// The aggregate job of a sharded run (input `merge`, `clair-canary merge`): the legs' run directories become one
// run directory, judged once, so a sharded run has the verdict, gates and summary of one run.
import { join } from 'node:path'
import { writeOutcome } from './pipeline.ts'
import { judgeStores } from './rejudge.ts'
import { openRunStores, writeJsonl } from './rundir/io.ts'
import { RUN_FILES } from './rundir/layout.ts'
import { mergeRunDirs } from './shard/merge.ts'
import type { JudgeConfig } from './config/types.ts'
import type { Logger } from './log.ts'
import type { PipelineOutcome } from './pipeline.ts'

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
  const { result, diffs } = await judgeStores({
    ...(await openRunStores(runDir)),
    rules: config.rules,
    today: now().toISOString().slice(0, 10),
    records,
    sample: run.sample,
    incomplete,
  })
  await writeJsonl(join(runDir, RUN_FILES.diffs), diffs)
  return writeOutcome(runDir, run, result, records, diffs, log)
}
