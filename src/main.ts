// The GitHub Action: inputs -> Config, the pipeline, then publishing (check run, artifacts, job summary,
// annotations, outputs). The only place that calls core.setFailed. A started check run is always completed:
// with the verdict, as crashed, or as cancelled on SIGINT/SIGTERM with the partial verdict (src/interrupt.ts:
// the first signal stops the run, which then judges what it finished; the second makes it write that at once).
//
// Octokit, @actions/github and @actions/artifact are loaded only when needed, and not before the run has sent its
// first request to Clair: together they cost more than the 300 ms the action may take to reach it. The check run
// is created then (in_progress), while the first stages go on.
import * as core from '@actions/core'
import { buildActionConfig } from './config/config.ts'
import { parseBoolean } from './config/values.ts'
import { UserError, errorMessage } from './errors.ts'
import type { HistoryArtifactsApi } from './history/store.ts'
import type { Secret } from './secret.ts'
import type { CheckRun, PartialOutcome } from './github/checks.ts'
import { FORCED_EXIT_MS, installInterrupt, signalExitCode } from './interrupt.ts'
import { plural } from './format.ts'
import { setTimeout as delay } from 'node:timers/promises'
import type { Result, RunInfo } from './rundir/types.ts'
import { runPipeline } from './pipeline.ts'
import type { JudgeConfig } from './config/types.ts'
import { actionLogger as log } from './github/log.ts'
import { firstRequestSent } from './clair/undici.ts'

/** The longest the check run and earlier runs' artifacts wait for the run's first request. */
const HOLD_MS = 1000

/**
 * Runs the action. Returns the exit code the process should end with at once when SIGINT/SIGTERM cancelled the
 * run (130/143), else undefined (core.setFailed has set the exit code).
 */
export async function run(): Promise<number | undefined> {
  let check: CheckRun | undefined
  let checkStarting: Promise<unknown> | undefined
  let runEnded = (): void => undefined
  const partial: PartialOutcome = {}
  const interrupt = installInterrupt({ log })
  try {
    const read = (name: string) => core.getInput(name)
    // `merge` makes this the aggregate job of a sharded run: no replay, no canary or production inputs.
    const { config, secrets } = await buildActionConfig(read)
    for (const secret of secrets) core.setSecret(secret)

    // Octokit and @actions/artifact (the check run, earlier runs' artifacts) load once the run has sent its first
    // request to Clair, or ended, or after HOLD_MS: loading them alongside would hold that request back.
    const ended = new Promise<void>((resolve) => (runEnded = resolve))
    const afterFirstRequest =
      'merge' in config ? Promise.resolve() : Promise.race([firstRequestSent(HOLD_MS), ended])
    checkStarting = afterFirstRequest.then(() => startCheck(config)).then((started) => (check = started))

    // A run and the merge job of a sharded run both read earlier runs' history records from their artifacts.
    const history =
      config.history && !config.history.dir && config.github.token
        ? { historyArtifacts: historyArtifacts(config.github.token, afterFirstRequest) }
        : {}
    const running =
      'merge' in config
        ? (await import('./merge-command.ts')).mergeAndJudge(config, log, history)
        : runPipeline(config, { log, signal: interrupt.stop, force: interrupt.force, ...history })
    // After a second signal the runner sends SIGKILL within 2.5 s: a run that has not written by then is left
    // behind, so the check can still be completed.
    const outcome = await Promise.race([
      running,
      interrupt.forced.then(() => delay(FORCED_EXIT_MS / 2)).then(() => undefined),
    ]).finally(runEnded)
    await checkStarting
    if (interrupt.received) return await cancelled(interrupt.received, outcome, check)
    if (!outcome) throw new Error('internal: the run ended without an outcome')
    const { result, run: runInfo } = outcome
    Object.assign(partial, { result, run: runInfo })
    const {
      buildAnnotations,
      emitWorkflowAnnotations,
      artifactName,
      assertNoSecrets,
      uploadHistoryRecord,
      uploadRunArtifacts,
      historyArtifactName,
      verdictOutputs,
      writeJobSummary,
      renderSummary,
      verdictLines,
    } = await publishing()
    const annotations = config.github.annotations
      ? buildAnnotations(result, outcome.diffs, {
          path: config.github.annotationPath,
          records: outcome.records,
        })
      : []
    partial.annotations = annotations

    await log.group('publish (check run, artifacts, job summary)', async () => {
      // Nothing leaves the machine before it is scanned for every secret the run knew.
      await assertNoSecrets(config.runDir, secrets)
      const { context } = await import('@actions/github')
      const target = { serverUrl: context.serverUrl, ...context.repo, runId: context.runId }
      const uploaded = config.github.artifacts
        ? await uploadRunArtifacts({
            uploader: new (await import('@actions/artifact')).DefaultArtifactClient(),
            runDir: config.runDir,
            name: artifactName(
              config.github.artifactName,
              'shard' in config && config.shard ? { shard: config.shard } : {},
            ),
            report: !('shard' in config && config.shard),
            ...(config.github.retentionDays !== undefined
              ? { retentionDays: config.github.retentionDays }
              : {}),
            target,
            log,
          })
        : {}
      // Later runs read this run's history record from its own small artifact (kept the longest GitHub allows).
      if (config.github.artifacts && config.history)
        await uploadHistoryRecord({
          uploader: new (await import('@actions/artifact')).DefaultArtifactClient(),
          runDir: config.runDir,
          name: historyArtifactName(artifactName(config.github.artifactName), config.history.event),
          log,
        })
      const links = {
        ...(uploaded.run?.url ? { artifactUrl: uploaded.run.url } : {}),
        ...(uploaded.report?.url ? { reportUrl: uploaded.report.url } : {}),
      }
      const completion = check
        ? await check.completeOnce({ status: 'verdict', result, run: runInfo, annotations, ...links })
        : undefined
      await writeJobSummary(core.summary, renderSummary, { result, run: runInfo, ...links }, log)
      // The three functions, not the module: passing the namespace makes the bundle keep all of @actions/core
      // (its exec and io helpers too), loaded before the first request.
      if (!completion?.posted)
        emitWorkflowAnnotations(
          { error: core.error, warning: core.warning, notice: core.notice },
          annotations,
          'the job summary and the run artifact',
        )

      for (const [name, value] of Object.entries(
        verdictOutputs(result, config.github.conclusions[result.verdict]),
      ))
        core.setOutput(name, value)
      const revision = runInfo.sides.canary.version?.revision
      if (revision) core.setOutput('canary-revision', revision)
      core.setOutput('run-dir', outcome.runDir)
      core.setOutput('summary-path', outcome.summaryPath)
      if (check?.htmlUrl) core.setOutput('check-run-url', check.htmlUrl)
      if (uploaded.run?.id !== undefined) core.setOutput('artifact-id', uploaded.run.id)
      if (uploaded.report?.id !== undefined) core.setOutput('report-artifact-id', uploaded.report.id)
    })

    // The end of the log answers the question on its own: the verdict, why, and every gate.
    for (const line of verdictLines(result)) log.info(line)
    const why = result.reasons[0] ?? 'see the summary'
    if (result.verdict === 'fail') core.setFailed(`clair-canary: fail: ${why}`)
    else if (result.verdict === 'inconclusive' && config.failOn.inconclusive)
      core.setFailed(`clair-canary: inconclusive: ${why}`)
  } catch (error) {
    runEnded()
    await checkStarting?.catch(() => undefined)
    const { writeJobSummary, renderSummary } = await publishing()
    if (error instanceof UserError) {
      // A configuration error: one line, a summary saying what and how to fix it, a check titled so.
      check ??= await configurationCheck()
      await check?.completeOnce({ status: 'configuration', reason: error.message })
      await writeJobSummary(
        core.summary,
        renderSummary,
        { interrupted: 'configuration', reason: error.message },
        log,
      )
      core.setFailed(`clair-canary: configuration error: ${error.message}`)
      return
    }
    const message = `internal error: ${errorMessage(error)}`
    if (error instanceof Error && error.stack) log.debug(error.stack)
    if (check) await check.completeOnce({ status: 'crashed', reason: message, ...partial })
    await writeJobSummary(core.summary, renderSummary, { interrupted: 'crashed', reason: message }, log)
    core.setFailed(`clair-canary: ${message}`)
  } finally {
    interrupt.uninstall()
  }
  return undefined
}

/**
 * A run SIGINT/SIGTERM ended: the check is completed as cancelled first (the runner's SIGKILL may be seconds
 * away), with the partial verdict when the run wrote one, then the job summary and outputs. Nothing is uploaded:
 * an upload would not finish before SIGKILL; the check run and job summary carry the partial verdict.
 */
async function cancelled(
  signal: NodeJS.Signals,
  outcome: { result: Result; run: RunInfo; runDir: string; summaryPath: string } | undefined,
  check: CheckRun | undefined,
): Promise<number> {
  const { writeJobSummary, renderSummary, verdictLines, partialVerdict } = await publishing()
  const finished = outcome
    ? `the verdict judges the ${plural(outcome.result.counts.manifests, 'manifest')} that finished`
    : 'the run wrote no verdict in time'
  const reason = `Received ${signal}: the job was cancelled or timed out; ${finished}.`
  await check?.completeOnce({
    status: 'cancelled',
    reason,
    ...(outcome ? { result: outcome.result, run: outcome.run } : {}),
  })
  await writeJobSummary(
    core.summary,
    renderSummary,
    outcome
      ? { result: outcome.result, run: outcome.run, cancelled: reason }
      : { interrupted: 'cancelled', reason },
    log,
  )
  if (outcome) {
    for (const line of verdictLines(outcome.result)) log.info(line)
    core.setOutput('verdict', outcome.result.verdict)
    core.setOutput('run-dir', outcome.runDir)
    core.setOutput('summary-path', outcome.summaryPath)
  }
  if (check?.htmlUrl) core.setOutput('check-run-url', check.htmlUrl)
  core.setFailed(
    `clair-canary: cancelled by ${signal}${outcome ? `: ${partialVerdict(outcome.result, outcome.run)}` : ''}`,
  )
  return signalExitCode(signal)
}

/**
 * Earlier runs' artifacts of this repository, through the REST API (list) and @actions/artifact (download), both
 * loaded on the first call once `ready` has settled.
 */
function historyArtifacts(token: Secret<string>, ready: Promise<unknown>): HistoryArtifactsApi {
  let api: Promise<HistoryArtifactsApi> | undefined
  const loaded = (): Promise<HistoryArtifactsApi> => (api ??= ready.then(() => loadHistoryArtifacts(token)))
  return {
    list: async (name, page) => (await loaded()).list(name, page),
    download: async (artifact, dir) => (await loaded()).download(artifact, dir),
  }
}

async function loadHistoryArtifacts(token: Secret<string>): Promise<HistoryArtifactsApi> {
  const [{ context }, { createOctokit }, { DefaultArtifactClient }, { githubHistoryApi }] = await Promise.all(
    [
      import('@actions/github'),
      import('./github/checks.ts'),
      import('@actions/artifact'),
      import('./history/store.ts'),
    ],
  )
  const octokit = createOctokit(token, { log, ...(context.apiUrl ? { baseUrl: context.apiUrl } : {}) })
  const client = new DefaultArtifactClient()
  return githubHistoryApi({
    listArtifactsForRepo: (params) => octokit.rest.actions.listArtifactsForRepo(params),
    downloadArtifact: (id, options) => client.downloadArtifact(id, options),
    ...context.repo,
    token: token.reveal(),
  })
}

/**
 * A check run for an input the action refused before its config existed: created from the raw token,
 * checks and check-name inputs when they allow it, else undefined (the job summary still says what was wrong).
 */
async function configurationCheck(): Promise<CheckRun | undefined> {
  const token = core.getInput('token')
  const checks = core.getInput('checks') || 'true'
  if (!token || token.startsWith('${{') || !checksOn(checks)) return undefined
  core.setSecret(token)
  const name = (core.getInput('check-name') || 'clair-canary').slice(0, 100)
  const [{ context }, { CheckRun, createOctokit, resolveHeadSha }, { renderSummary }] = await Promise.all([
    import('@actions/github'),
    import('./github/checks.ts'),
    import('./report/summary.ts'),
  ])
  const { Secret } = await import('./secret.ts')
  const octokit = createOctokit(new Secret(token), {
    log,
    ...(context.apiUrl ? { baseUrl: context.apiUrl } : {}),
  })
  return CheckRun.start(octokit.rest.checks, {
    owner: context.repo.owner,
    repo: context.repo.repo,
    headSha: resolveHeadSha(context),
    name,
    renderSummary,
    log,
  })
}

/** Creates the check run in_progress; undefined when checks are off. */
async function startCheck(config: JudgeConfig): Promise<CheckRun | undefined> {
  // buildConfig refuses checks without a token in the action.
  if (!config.github.checks || !config.github.token) return undefined
  const [{ context }, { CheckRun, createOctokit, resolveHeadSha }, { renderSummary }] = await Promise.all([
    import('@actions/github'),
    import('./github/checks.ts'),
    import('./report/summary.ts'),
  ])
  const octokit = createOctokit(config.github.token, {
    log,
    ...(context.apiUrl ? { baseUrl: context.apiUrl } : {}),
  })
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`
  return CheckRun.start(octokit.rest.checks, {
    owner: context.repo.owner,
    repo: context.repo.repo,
    headSha: resolveHeadSha(context),
    name: config.github.checkName,
    conclusions: config.github.conclusions,
    detailsUrl: runUrl,
    renderSummary,
    log,
  })
}

/**
 * What publishing needs: annotations, artifacts, outputs, the job summary and its renderer (he's entity tables
 * too). Loaded once the run has an outcome or has failed: none of it is needed before the first request.
 */
async function publishing() {
  const [annotations, artifacts, store, output, summary, report, lines] = await Promise.all([
    import('./github/annotations.ts'),
    import('./github/artifacts.ts'),
    import('./history/store.ts'),
    import('./github/output.ts'),
    import('./github/summary.ts'),
    import('./report/summary.ts'),
    import('./report/console.ts'),
  ])
  // No two of them export the same name.
  return { ...annotations, ...artifacts, ...store, ...output, ...summary, ...report, ...lines }
}

/** The checks input as the config would read it; a value it would refuse means no check. */
function checksOn(value: string): boolean {
  try {
    return parseBoolean('checks', value)
  } catch {
    return false
  }
}
