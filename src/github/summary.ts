// The job summary: the same markdown as summary.md, fitted to the 1 MiB a step may write. Never fails the run.
import { LIMITS } from './limits.ts'
import {
  fitSummary,
  interruptedSummary,
  type Interruption,
  type Links,
  type RenderSummary,
} from './output.ts'
import { errorMessage } from '../errors.ts'
import type { Logger } from '../log.ts'
import type { Result, RunInfo } from '../rundir/types.ts'

/** The subset of @actions/core's summary we use. */
export interface JobSummary {
  addRaw(text: string, addEOL?: boolean): unknown
  write(options?: { overwrite?: boolean }): Promise<unknown>
}

export type JobSummaryInput =
  ({ result: Result; run: RunInfo } & Links) | ({ interrupted: Interruption; reason: string } & Links)

/** Writes the summary; on any error (no $GITHUB_STEP_SUMMARY, unwritable file) warns and returns false. */
export async function writeJobSummary(
  summary: JobSummary,
  render: RenderSummary,
  input: JobSummaryInput,
  log: Logger,
): Promise<boolean> {
  try {
    const links: Links = {
      ...(input.artifactUrl ? { artifactUrl: input.artifactUrl } : {}),
      ...(input.reportUrl ? { reportUrl: input.reportUrl } : {}),
    }
    const markdown =
      'result' in input
        ? fitSummary(render, input.result, input.run, LIMITS.jobSummaryBytes, links)
        : interruptedSummary(input.interrupted, input.reason, links)
    summary.addRaw(markdown, true)
    await summary.write()
    return true
  } catch (error) {
    log.warning(`The job summary was not written: ${errorMessage(error)}`)
    return false
  }
}
