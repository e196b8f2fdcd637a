// The GitHub Action: inputs -> Config, the pipeline, then publishing (check run, artifacts, job summary,
// annotations, outputs). The only place that calls core.setFailed. A started check run is always completed:
// with the verdict, as crashed, or as cancelled on SIGINT/SIGTERM.
import * as core from '@actions/core'
import * as github from '@actions/github'
import { DefaultArtifactClient } from '@actions/artifact'
import { buildConfig } from './config/config.ts'
import { UserError, errorMessage } from './errors.ts'
import { annotationPath, buildAnnotations, emitWorkflowAnnotations } from './github/annotations.ts'
import { artifactName, assertNoSecrets, uploadRunArtifacts } from './github/artifacts.ts'
import { CheckRun, completeOnSignals, conclusionFor, createOctokit, resolveHeadSha } from './github/checks.ts'
import type { PartialOutcome } from './github/checks.ts'
import { writeJobSummary } from './github/summary.ts'
import { runPipeline } from './pipeline.ts'
import { renderSummary } from './report/summary.ts'
import type { Config } from './config/types.ts'
import type { Logger } from './pipeline.ts'

const log: Logger = { info: (l) => core.info(l), warning: (l) => core.warning(l) }

export async function run(): Promise<void> {
  let check: CheckRun | undefined
  let uninstallSignals: (() => void) | undefined
  const partial: PartialOutcome = {}
  try {
    const { config, secrets } = await buildConfig((name) => core.getInput(name))
    for (const secret of secrets) core.setSecret(secret)

    check = await startCheck(config)
    if (check) uninstallSignals = completeOnSignals(check, () => partial, { log })

    const outcome = await runPipeline(config, { log })
    const { result, run: runInfo } = outcome
    Object.assign(partial, { result, run: runInfo })
    const annotations = config.github.annotations
      ? buildAnnotations(result, outcome.diffs, {
          path: annotationPath(process.env, config.rulesFile),
          records: outcome.records,
        })
      : []
    partial.annotations = annotations

    // Nothing leaves the machine before it is scanned for every secret the run knew.
    await assertNoSecrets(config.runDir, secrets)
    const target = {
      serverUrl: github.context.serverUrl,
      ...github.context.repo,
      runId: github.context.runId,
    }
    const uploaded = config.github.artifacts
      ? await uploadRunArtifacts({
          uploader: new DefaultArtifactClient(),
          runDir: config.runDir,
          name: artifactName(config.github.artifactName, {}),
          ...(config.github.retentionDays !== undefined
            ? { retentionDays: config.github.retentionDays }
            : {}),
          target,
          log,
        })
      : {}
    const links = {
      ...(uploaded.run?.url ? { artifactUrl: uploaded.run.url } : {}),
      ...(uploaded.report?.url ? { reportUrl: uploaded.report.url } : {}),
    }
    const completion = check
      ? await check.completeOnce({ status: 'verdict', result, run: runInfo, annotations, ...links })
      : undefined
    await writeJobSummary(core.summary, renderSummary, { result, run: runInfo, ...links }, log)
    if (!completion?.posted)
      emitWorkflowAnnotations(core, annotations, 'the job summary and the run artifact')

    core.setOutput('verdict', result.verdict)
    core.setOutput('conclusion', conclusionFor(result.verdict, config.github.conclusions))
    core.setOutput('manifests', result.counts.manifests)
    core.setOutput('compared', result.counts.compared)
    core.setOutput('different', result.counts.different)
    core.setOutput('code-differences', result.counts['code'] ?? 0)
    core.setOutput('errors', result.counts.errors)
    core.setOutput('run-dir', outcome.runDir)
    core.setOutput('summary-path', outcome.summaryPath)
    if (check?.htmlUrl) core.setOutput('check-run-url', check.htmlUrl)
    if (uploaded.run?.id !== undefined) core.setOutput('artifact-id', uploaded.run.id)
    if (uploaded.report?.id !== undefined) core.setOutput('report-artifact-id', uploaded.report.id)

    const why = result.reasons[0] ?? 'see the summary'
    if (result.verdict === 'fail') core.setFailed(`clair-canary: fail: ${why}`)
    else if (result.verdict === 'inconclusive' && config.failOn.inconclusive)
      core.setFailed(`clair-canary: inconclusive: ${why}`)
    else core.info(`clair-canary: ${result.verdict}: ${why}`)
  } catch (error) {
    const message = error instanceof UserError ? error.message : `internal error: ${errorMessage(error)}`
    if (!(error instanceof UserError) && error instanceof Error && error.stack) core.debug(error.stack)
    if (check) await check.completeOnce({ status: 'crashed', reason: message, ...partial })
    core.setFailed(`clair-canary: ${message}`)
  } finally {
    uninstallSignals?.()
  }
}

/** Creates the check run in_progress; undefined when checks are off or no token was given. */
async function startCheck(config: Config): Promise<CheckRun | undefined> {
  if (!config.github.checks) return undefined
  if (!config.github.token) {
    log.warning(
      'input checks is true but no token was given: the result goes to the job summary and annotations only',
    )
    return undefined
  }
  const ctx = github.context
  const octokit = createOctokit(config.github.token, { log, ...(ctx.apiUrl ? { baseUrl: ctx.apiUrl } : {}) })
  const runUrl = `${ctx.serverUrl}/${ctx.repo.owner}/${ctx.repo.repo}/actions/runs/${ctx.runId}`
  return CheckRun.start(octokit.rest.checks, {
    owner: ctx.repo.owner,
    repo: ctx.repo.repo,
    headSha: resolveHeadSha(ctx),
    name: config.github.checkName,
    conclusions: config.github.conclusions,
    detailsUrl: runUrl,
    renderSummary,
    log,
  })
}
