// The job summary: the same markdown as summary.md, fitted to the 1 MiB a step may write. Never fails the run.
import { LIMITS } from './limits.ts'
import {
  fitSummary,
  interruptedSummary,
  linksOf,
  partialVerdict,
  type Interruption,
  type Links,
  type RenderSummary,
} from './output.ts'
import { errorMessage } from '../errors.ts'
import { utf8Bytes } from '../format.ts'
import type { Logger } from '../log.ts'
import type { Result, RunInfo } from '../rundir/types.ts'

/** The subset of @actions/core's summary we use. */
export interface JobSummary {
  addRaw(text: string, addEOL?: boolean): unknown
  write(options?: { overwrite?: boolean }): Promise<unknown>
}

export type JobSummaryInput =
  /** cancelled: SIGINT/SIGTERM ended the run, and the result judges what it finished. */
  | ({ result: Result; run: RunInfo; cancelled?: string } & Links)
  | ({ interrupted: Interruption; reason: string } & Links)

/** Writes the summary; on any error (no $GITHUB_STEP_SUMMARY, unwritable file) warns and returns false. */
export async function writeJobSummary(
  summary: JobSummary,
  render: RenderSummary,
  input: JobSummaryInput,
  log: Logger,
): Promise<boolean> {
  try {
    const links = linksOf(input)
    let markdown: string
    if (!('result' in input)) markdown = interruptedSummary(input.interrupted, input.reason, links)
    else if (input.cancelled === undefined)
      markdown = fitSummary(render, input.result, input.run, LIMITS.jobSummaryBytes, links)
    else {
      // Said first: the verdict below is partial.
      const note = interruptedSummary(
        'cancelled',
        input.cancelled,
        links,
        partialVerdict(input.result, input.run),
      )
      const budget = LIMITS.jobSummaryBytes - utf8Bytes(note) - 2
      markdown = `${note}\n\n${fitSummary(render, input.result, input.run, budget, links)}`
    }
    summary.addRaw(markdown, true)
    await summary.write()
    return true
  } catch (error) {
    log.warning(`The job summary was not written: ${errorMessage(error)}`)
    return false
  }
}
