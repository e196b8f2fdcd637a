// The pipeline: target -> sample -> replay (indexing, reading and comparing each manifest as its reports arrive)
// -> compare (attribution with every re-read's noise) -> judge -> render, each stage reading and writing the run
// directory. A stage that fails is recorded in run.json `incomplete` and the run goes on with what it has, so
// partial results are always written; only a UserError (bad input) stops it.
//
// Modules needed only after the first request (replay engine, compare, judge, renderers, the contract schema)
// are imported when their stage starts: the action must reach its first request within 300 ms.
import { appendFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { ClairClient } from './clair/client.ts'
import { redactSecrets, redactUri, secretScrubber } from './clair/redact.ts'
import { Secret } from './secret.ts'
import { matchRevision, parseVersionInfo } from './clair/metrics.ts'
import { latestOperations } from './clair/operations.ts'
import type { IndexReport, UpdateOperations, VulnerabilityReport } from './clair/types.ts'
import { redactedConfig } from './config/config.ts'
import { UserError, errorMessage } from './errors.ts'
import { interruptedBy, untilAborted } from './interrupt.ts'
import { formatDuration } from './format.ts'
import {
  prepareRunDir,
  sidesWithoutUpdateOperations,
  writeJson,
  writeJsonl,
  writeReport,
} from './rundir/io.ts'
import { RUN_FILES, STORE_FILES, storeDir, type ReportStoreName } from './rundir/layout.ts'
import {
  drawSample,
  redactSample,
  repositoryLabels,
  repositoryNameScrubber,
  withRepositories,
} from './sample/source.ts'
import { seededRandom } from './seeded.ts'
import { partition } from './shard/partition.ts'
import { RateLimiter } from './replay/limiter.ts'
import { TOOL_VERSION } from './version.ts'
import type { ClairApi } from './clair/api.ts'
import type { ManifestReports } from './compare/compare.ts'
import type { CompareStoresResult } from './compare/stores.ts'
import type { ReportStore } from './rundir/io.ts'
import type { Rules } from './config/types.ts'
import type { SignalOutcome } from './signals/watch.ts'
import type { Config, HistoryOptions } from './config/types.ts'
import type { LoadedHistory } from './history/run.ts'
import type { HistoryArtifactsApi } from './history/store.ts'
import type { Logger } from './log.ts'
import type {
  EarlyStop,
  ManifestDiff,
  ManifestRecord,
  Result,
  RunInfo,
  SampledManifest,
  Side,
  SideInfo,
} from './rundir/types.ts'

export interface PipelineDeps {
  log: Logger
  /** Defaults to ClairClient over HTTP; tests may pass in-memory implementations. */
  clients?: { canary: ClairApi; production: ClairApi }
  /** Aborted by the first SIGINT/SIGTERM (src/interrupt.ts): requests, readiness, sample and replay stop at once. */
  signal?: AbortSignal
  /** Aborted by the second: comparing stops too, and the run writes what it knows. */
  force?: AbortSignal
  now?: () => Date
  /** Earlier runs' artifacts, where history records are read from when config.history has no dir. */
  historyArtifacts?: HistoryArtifactsApi
}

export interface PipelineOutcome {
  result: Result
  run: RunInfo
  runDir: string
  records: ManifestRecord[]
  diffs: ManifestDiff[]
  summaryPath: string
  htmlPath: string
}

/** What the sides stage learned of a store's side: index state and update operations. */
type SideStore = Pick<ReportStore, 'indexState' | 'updateOperations' | 'enrichmentUpdateOperations'>

export async function runPipeline(config: Config, deps: PipelineDeps): Promise<PipelineOutcome> {
  const now = deps.now ?? (() => new Date())
  const { log } = deps
  const runDir = config.runDir
  // Repository names join the secrets once the sample is drawn (unless publish-repository-names).
  let scrub = secretScrubber(configSecrets(config))
  const run: RunInfo = {
    schema: 'clair-canary/run/v1',
    tool: { name: 'clair-canary', version: TOOL_VERSION },
    started_at: now().toISOString(),
    seed: config.seed,
    config: redactedConfig(config),
    sides: {
      canary: { url: redactUri(config.canary.url) },
      production: { url: redactUri(config.production.url) },
    },
    sample: { source: config.source.kind, requested: config.sampleSize, drawn: 0 },
    timings: {},
    incomplete: [],
  }
  const incomplete = run.incomplete!
  // The previous run's results stay until the sample is drawn: bad input found there (a broken JSONL line, a
  // wrong password) must not have deleted them. Until then run.json is not written either.
  let prepared = false
  const saveRun = async (): Promise<void> => {
    if (prepared) await writeJson(join(runDir, RUN_FILES.run), run)
  }

  const signal = deps.signal
  /** What a stage cut short by a signal records: which signal, so the reader knows nothing else went wrong. */
  const cancelled = (by: AbortSignal | undefined = signal): string =>
    `cancelled by ${interruptedBy(by) ?? 'a signal'}`

  /** Runs one stage; a non-user error is recorded and the pipeline continues with partial results. */
  async function stage<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
    const started = performance.now()
    try {
      return await work()
    } catch (error) {
      // Whatever a stage throws once the run is cancelled (a cancelled query, a closed pool) is the cancel.
      const forced = deps.force?.aborted === true
      if (signal?.aborted || forced) {
        const reason = forced ? `${cancelled(deps.force)} (the second signal)` : cancelled()
        incomplete.push({ stage: name, reason })
        log.warning(`stage ${name} did not complete: ${reason}`)
        return undefined
      }
      if (error instanceof UserError) throw error
      const reason = scrub(errorMessage(error))
      incomplete.push({ stage: name, reason })
      log.warning(`stage ${name} did not complete: ${reason}`)
      return undefined
    } finally {
      run.timings[name] = Math.round(performance.now() - started)
      await saveRun()
    }
  }

  /** A stage that runs alone folds its lines under one heading (groups cannot interleave). */
  const soloStage = <T>(name: string, work: () => Promise<T>) => stage(name, () => log.group(name, work))

  // Production's cap holds for every request it gets, retries and the sides stage included; the legs of a
  // sharded run hit production at once, so each takes its share of the cap.
  const replayOptions = config.shard
    ? { ...config.replay, productionRate: config.replay.productionRate / config.shard.total }
    : config.replay
  const productionLimiter = new RateLimiter(replayOptions.productionRate)
  const clients = deps.clients ?? {
    canary: new ClairClient(config.canary, config.client, signal ? { signal } : {}),
    production: new ClairClient(config.production, config.client, {
      gate: (s) => productionLimiter.acquire(s),
      ...(signal ? { signal } : {}),
    }),
  }
  let records: ManifestRecord[] = []
  let diffs: ManifestDiff[] = []
  const contractViolations: Array<{ digest: string; side: Side; op: string; message: string }> = []
  const observed: typeof contractViolations = []
  /** The violations of POST answers, among those observed. */
  const posted = new WeakSet<(typeof observed)[number]>()
  let compareOutcome: CompareStoresResult | undefined
  let unknownUpdateOperations: Array<'production' | 'canary'> = []
  let signalsJudged: Promise<SignalOutcome | undefined> | undefined
  let earlyStop: EarlyStop | undefined

  // Earlier runs' records are read while the run goes on; awaited when judging.
  const earlier = config.history ? loadEarlierRuns(config, config.history, deps, log) : undefined
  earlier?.catch(() => undefined)

  try {
    // A broken record in history-dir is bad input, found before anything is sent.
    if (config.history?.dir) await earlier
    // Drawing the sample and waiting for the canary are independent: they run together. Bad input (a broken
    // JSONL line, a wrong DB password) still ends the run at once, and stops the readiness polling.
    const waiting = new AbortController()
    const stopWaiting = (): void => waiting.abort()
    signal?.addEventListener('abort', stopWaiting, { once: true })
    // A signal ends the stage at once; drawSample cancels its database query on the same signal.
    const sampling = stage('sample', () =>
      untilAborted(
        drawSample(config, log, {
          productionIndexState: async () => (await clients.production.indexState()).body?.state,
          ...(signal ? { signal } : {}),
        }),
        signal,
      ),
    )
    const targeting = stage('target', () => waitForCanary(clients.canary, config, log, waiting.signal))
    // The two run at once, so they share one group.
    const [drawn, ready] = await log.group('sample and target (wait for the canary)', async () => {
      try {
        return [await sampling, await targeting] as const
      } catch (error) {
        waiting.abort()
        await targeting.catch(() => undefined)
        throw error
      }
    })
    signal?.removeEventListener('abort', stopWaiting)
    // Only a signal ends the wait without an answer (bad input throws).
    if (ready === false) incomplete.push({ stage: 'target', reason: cancelled() })
    await prepareRunDir(runDir)
    prepared = true
    await saveRun()
    if (!config.canary.introspectionUrl)
      log.info('target: no canary-introspection-url, not waiting for /readyz')
    // A leg of a matrix replays only its part of the sample every leg drew.
    const sample: SampledManifest[] = config.shard
      ? partition(drawn?.sample ?? [], config.shard)
      : (drawn?.sample ?? [])
    // Numbered over the whole draw, so that every leg of a sharded run names a repository alike.
    const labels = repositoryLabels(drawn?.sample ?? [], config.publishRepositoryNames)
    /** A finished record as the run directory keeps it: its repository named, secrets gone. */
    const keep = (record: ManifestRecord): ManifestRecord => {
      const repository = labels.get(record.digest)
      if (repository) record.repository = repository
      return scrubRecord(record, scrub)
    }
    if (config.shard) run.shard = config.shard
    if (drawn) {
      run.sample = { ...run.sample, ...drawn.info, drawn: sample.length }
      if (config.shard) {
        // A leg records its own share, so the merged legs add up to one run: its part of what was requested,
        // its strata, and (on leg 0 only) what the shared draw skipped.
        run.sample.requested = Math.round(
          (config.sampleSize * sample.length) / Math.max(1, drawn.sample.length),
        )
        if (run.sample.strata) run.sample.strata = countBy(sample, (s) => s.origin?.stratum ?? 'unknown')
        if (config.shard.index !== 0) {
          delete run.sample.skipped
          delete run.sample.stale
        }
      }
      if (!config.publishRepositoryNames) {
        const secrets = scrub
        const names = repositoryNameScrubber(sample)
        scrub = (text) => names(secrets(text))
      }
      await writeJsonl(
        join(runDir, RUN_FILES.sample),
        redactSample(sample, config.publishRepositoryNames, labels),
      )
      // The Quay sampler has said how many it drew from how many candidates.
      if (config.source.kind !== 'quay-db')
        log.info(`sample: ${sample.length} manifests from ${config.source.kind}`)
    }

    const sideStores = { production: {}, canary: {} } as Record<Side, SideStore>
    await soloStage('sides', async () => {
      const [canary, production] = await Promise.all([
        describeSide(clients.canary, storeDir(runDir, 'canary')),
        describeSide(clients.production, storeDir(runDir, 'production')),
      ])
      run.sides = {
        canary: { ...run.sides.canary, ...canary.info },
        production: { ...run.sides.production, ...production.info },
      }
      sideStores.canary = canary.store
      sideStores.production = production.store
    })
    // Each manifest is compared as soon as both sides' first reports are in, from the bodies as they arrived
    // (parsed once, by the client); the reports are dropped once compared.
    unknownUpdateOperations = sidesWithoutUpdateOperations(sideStores)
    const { LiveCompare } = await import('./compare/live.ts')
    const { contextOfStores } = await import('./compare/stores.ts')
    const live = new LiveCompare({
      rules: config.rules,
      today: now().toISOString().slice(0, 10),
      ...contextOfStores(sideStores),
    })
    /** Reports that arrived and are not yet compared (or, for a manifest to be re-read, not yet re-read). */
    const arrived = new Map<string, Partial<Record<ReportStoreName, ManifestReports>>>()
    const reportsOf = (digest: string, side: ReportStoreName): ManifestReports =>
      arrived.get(digest)?.[side] ?? {}
    /** First reports of manifests compared already and still to be re-read, for the noise. */
    const awaitingReread = new Map<string, Partial<Record<ReportStoreName, ManifestReports>>>()

    if (ready && sample.length > 0) {
      const [
        { replay },
        { checkQuayAnswer, checkQuayContract, canaryOnlyViolations, contractRule },
        { SequentialJudge },
      ] = await Promise.all([
        import('./replay/replay.ts'),
        import('./clair/contract.ts'),
        import('./judge/sequential.ts'),
      ])
      // Checked after every finished manifest: a regression already certain stops the replay there.
      const sequential = new SequentialJudge(config.rules, sample.length)
      const stopping = new AbortController()
      const replaySignal = signal ? AbortSignal.any([signal, stopping.signal]) : stopping.signal
      const { watchSignals } = await import('./signals/watch.ts')
      const signals = watchSignals(config.signals, config.rules.signals, log)
      // The manifests finished so far, in the order they finished: all a cancelled run judges.
      const finished: ManifestRecord[] = []
      const replayed = await soloStage('replay', async () => {
        const recordsFile = join(runDir, RUN_FILES.records)
        const out = await replay(sample, replayOptions, {
          canary: clients.canary,
          production: clients.production,
          store: {
            write: async (side: ReportStoreName, report, digest, body, text) => {
              if (side === 'canary' || side === 'production') {
                const kind = report === 'index' ? 'index_report' : 'vulnerability_report'
                for (const message of checkQuayContract(kind, body))
                  observed.push({ digest, side, op: kind, message })
              }
              // Stored as the bytes that arrived, unless a layer URL in `err` must lose its signature.
              const stored = withoutSecrets(body, scrub)
              await writeReport(
                storeDir(runDir, side),
                report,
                digest,
                stored,
                stored === body ? text : undefined,
              )
              const reports = arrived.get(digest) ?? {}
              const reportsOfSide = (reports[side] ??= {})
              if (report === 'index') reportsOfSide.index = stored as IndexReport
              else reportsOfSide.vulnerability = stored as VulnerabilityReport
              arrived.set(digest, reports)
            },
          },
          observe: (side, op, digest, response) => {
            if (op === 'delete_index_report') return
            for (const message of checkQuayAnswer(op, response)) {
              const violation = { digest, side, op: op === 'index' ? 'index_report' : op, message }
              if (op === 'index') posted.add(violation)
              observed.push(violation)
            }
          },
          // Appended as each manifest finishes, so a killed run keeps what it finished; rewritten whole at the end.
          onRecord: async (record, plan) => {
            await appendFile(recordsFile, JSON.stringify(keep(record)) + '\n')
            finished.push(record)
            const diff = live.add(
              record.digest,
              reportsOf(record.digest, 'production'),
              reportsOf(record.digest, 'canary'),
            )
            const first = arrived.get(record.digest)
            arrived.delete(record.digest)
            if (plan.reread && first) awaitingReread.set(record.digest, first)
            // A leg of a sharded run replays its whole share: only the merged run judges.
            if (config.replay.earlyStop === false || config.shard) return
            sequential.addRecord(record)
            if (diff) sequential.addDiff(diff)
            const stop = sequential.stop
            if (stop && !stopping.signal.aborted) {
              earlyStop = stop
              run.early_stop = stop
              log.info(
                `replay: stopping early at manifest ${stop.manifest} of ${stop.planned}: ${stop.gate} is certain to fail (${stop.why})`,
              )
              stopping.abort()
            }
          },
          onReread: (record) => {
            const first = awaitingReread.get(record.digest) ?? {}
            for (const side of ['production', 'canary'] as const)
              live.addReread(
                record.digest,
                side,
                first[side] ?? {},
                reportsOf(record.digest, `${side}-reread`),
              )
            awaitingReread.delete(record.digest)
            arrived.delete(record.digest)
          },
          log,
          random: seededRandom(config.seed),
          ...(drawn?.sign ? { sign: drawn.sign } : {}),
          signal: replaySignal,
        })
        for (const [phase, ms] of Object.entries(out.timings)) run.timings[`replay.${phase}`] = Math.round(ms)
        if (out.aborted && !earlyStop)
          incomplete.push({
            stage: 'replay',
            reason: `${cancelled()} after ${finished.length} of ${sample.length} manifests finished`,
          })
        return out
      })
      // A cancelled run judges the manifests it finished: those in flight have half their requests, and a
      // request cut short says nothing about either side. records.jsonl then holds what a SIGKILL would have left.
      records = (signal?.aborted ? finished : (replayed?.records ?? [])).map(keep)
      // The incubation and Prometheus's settle time run alongside the comparison; a cancelled run waits for
      // neither.
      if (signals && signal?.aborted) incomplete.push({ stage: 'signals', reason: cancelled() })
      else if (signals) signalsJudged = stage('signals', () => signals.finish(Date.now()))
      // The first of each rule broken, then the rest; the POSTs' first, in sample order: the examples a summary
      // shows name every rule, and are the same from run to run whatever order overlapping requests were
      // answered in.
      const position = new Map(sample.map((s, i) => [s.manifest.hash, i]))
      const order = (v: (typeof observed)[number]): number =>
        (posted.has(v) ? 0 : sample.length) + (position.get(v.digest) ?? sample.length)
      observed.sort((a, b) => order(a) - order(b))
      const seenRules = new Set<string>()
      const firstOfRule = new WeakSet<(typeof observed)[number]>()
      for (const v of observed) {
        const rule = `${v.side} ${v.op} ${contractRule(v.message)}`
        if (!seenRules.has(rule)) firstOfRule.add(v)
        seenRules.add(rule)
      }
      observed.sort((a, b) => Number(firstOfRule.has(b)) - Number(firstOfRule.has(a)))
      contractViolations.push(...canaryOnlyViolations(observed))
      // A rollout during the replay (another run's deploy) would mean judging two images as one.
      const expected = config.expectRevision
      if (expected && !signal?.aborted)
        await stage('revision', async () => {
          const metrics = await clients.canary.metrics()
          const served = matchRevision(expected, metrics.body ? parseVersionInfo(metrics.body) : undefined)
          if (!served.match) throw new Error(`the canary changed revision during the replay: ${served.why}`)
        })
      await writeJsonl(join(runDir, RUN_FILES.records), records)
    } else {
      await writeJsonl(join(runDir, RUN_FILES.records), [])
    }

    // A second signal stops the comparison where it is: the run then judges its records alone.
    // Most of the comparing happened as reports arrived; what is left is the noise from re-reads.
    compareOutcome = await soloStage('compare', async () => {
      // The second signal means "judge the records alone", however far the comparison got.
      await untilAborted(Promise.resolve(), deps.force)
      // Manifests indexed but never read (a stop, a signal) may still have the POST's report on the canary.
      for (const [digest, reports] of arrived)
        if (reports.production || reports.canary)
          live.add(digest, reports.production ?? {}, reports.canary ?? {})
      arrived.clear()
      awaitingReread.clear()
      const outcome = live.result()
      // Attributed again with every re-read's noise, the differences behind an early stop may have turned out
      // to be noise: the stop then stands on nothing, and a sample cut short cannot pass.
      if (earlyStop && !stopHolds(earlyStop, outcome.diffs, config.rules)) {
        incomplete.push({
          stage: 'replay',
          reason: `stopped early at manifest ${earlyStop.manifest} of ${earlyStop.planned} on ${earlyStop.gate} that re-reads later showed to be noise`,
        })
        earlyStop = undefined
        delete run.early_stop
      }
      return outcome
    })
    diffs = withRepositories(compareOutcome?.diffs ?? [], (digest) => labels.get(digest))
    await writeJsonl(join(runDir, RUN_FILES.diffs), diffs)
  } finally {
    await signalsJudged?.catch(() => undefined)
    await Promise.allSettled([clients.canary.close(), clients.production.close()])
  }

  const history = config.history
  // A cancelled run reads no history (a network call) and leaves none: its verdict is partial.
  if (history && !signal?.aborted)
    await soloStage('history', async () => {
      const [{ readRunHistory }, { differencesByCause }] = await Promise.all([
        import('./history/run.ts'),
        import('./history/record.ts'),
      ])
      run.history = readRunHistory({
        loaded: await earlier!,
        history,
        run,
        fields: differencesByCause(diffs).fields,
        manifests: records.length,
        log,
      })
    })
  const { judge } = await import('./judge/judge.ts')
  const signalOutcome = await signalsJudged
  // A cancelled run is never a pass, even when the signal came after the last stage's work.
  if (signal?.aborted && incomplete.length === 0) incomplete.push({ stage: 'judge', reason: cancelled() })
  const result = judge({
    records,
    diffs,
    rules: config.rules,
    contractViolations,
    sample: { requested: config.sampleSize, drawn: run.sample.drawn },
    ...(compareOutcome ? { coverage: compareOutcome.coverage, newFields: compareOutcome.newFields } : {}),
    ...(compareOutcome?.expiredRules.length ? { expiredRules: compareOutcome.expiredRules } : {}),
    unknownUpdateOperations,
    incomplete,
    ...(signalOutcome ? { signals: signalOutcome } : {}),
    ...(earlyStop ? { earlyStop } : {}),
    ...(run.history ? { history: run.history } : {}),
  })
  run.finished_at = now().toISOString()
  const by = interruptedBy(signal)
  if (by) run.cancelled = { signal: by, second_signal: interruptedBy(deps.force) !== undefined }
  const outcome = await log.group('judge and write the report', () =>
    writeOutcome(runDir, run, result, records, diffs, log),
  )
  if (history && by) log.info(`history: a run cancelled by ${by} leaves no history record`)
  else if (history) await (await import('./history/run.ts')).writeHistoryRecord(history, outcome, log)
  // A leg of a sharded run holds part of the evidence: its verdict is not the run's, so it is not pushed.
  if (config.signals.pushgatewayUrl && by)
    log.info(`signals: a run cancelled by ${by} does not push its metrics (metrics.txt has them)`)
  else if (config.signals.pushgatewayUrl && config.shard)
    log.info('signals: a leg of a sharded run does not push its metrics (metrics.txt has them)')
  else if (config.signals.pushgatewayUrl) {
    const { pushMetrics } = await import('./signals/openmetrics.ts')
    await pushMetrics(config.signals.pushgatewayUrl, result, run, log)
  }
  return outcome
}

/** Writes result.json, stats.json, summary.md, report.html and the final run.json. Shared with `compare`. */
export async function writeOutcome(
  runDir: string,
  run: RunInfo,
  result: Result,
  records: ManifestRecord[],
  diffs: ManifestDiff[],
  log: Logger,
): Promise<PipelineOutcome> {
  const [{ loadTestStats }, { renderSummary }, { renderHtmlReport }, { renderOpenMetrics }] =
    await Promise.all([
      import('./replay/stats.ts'),
      import('./report/summary.ts'),
      import('./report/html.ts'),
      import('./signals/openmetrics.ts'),
    ])
  const summaryPath = join(runDir, RUN_FILES.summary)
  const htmlPath = join(runDir, RUN_FILES.html)
  await writeJson(join(runDir, RUN_FILES.result), result)
  await writeJson(join(runDir, RUN_FILES.stats), loadTestStats(records))
  await writeFile(summaryPath, renderSummary(result, run))
  await writeFile(join(runDir, RUN_FILES.metrics), renderOpenMetrics(result, run))
  try {
    await writeFile(htmlPath, renderHtmlReport({ result, run, records, diffs }))
  } catch (error) {
    log.warning(`report.html was not written: ${errorMessage(error)}`)
  }
  await writeJson(join(runDir, RUN_FILES.run), run)
  return { result, run, runDir, records, diffs, summaryPath, htmlPath }
}

/** Earlier runs' records, read while the run goes on. */
async function loadEarlierRuns(
  config: Config,
  history: HistoryOptions,
  deps: PipelineDeps,
  log: Logger,
): Promise<LoadedHistory> {
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
}

/** How often the wait for readiness says where it stands. */
const WAIT_PROGRESS_MS = 10_000

/** Waits until the canary answers /readyz and, when asked, serves the expected revision. */
async function waitForCanary(
  canary: ClairApi,
  config: Config,
  log: Logger,
  signal: AbortSignal,
): Promise<boolean> {
  if (!config.canary.introspectionUrl) return true
  const started = Date.now()
  const deadline = started + config.readiness.timeoutMs
  let last = ''
  let lastSaid = started
  for (;;) {
    const ready = await canary.readyz()
    if (ready.status === 200) {
      if (!config.expectRevision) return true
      const metrics = await canary.metrics()
      const served = matchRevision(
        config.expectRevision,
        metrics.body ? parseVersionInfo(metrics.body) : undefined,
      )
      if (served.match) {
        log.info(`target: canary is ready and serves revision ${served.commit}`)
        return true
      }
      // A build without a commit never will serve one: say so now rather than after ready-timeout.
      if (served.final) throw new Error(served.why)
      last = served.why
    } else {
      last = `/readyz answered ${ready.status ?? ready.error ?? 'nothing'}`
    }
    if (signal.aborted) return false
    if (Date.now() >= deadline)
      throw new Error(
        `the canary did not become ready within ${config.readiness.timeoutMs / 1000} s (${last})`,
      )
    // Someone watching the log sees that the run waits, on what, and for how much longer.
    if (Date.now() - lastSaid >= WAIT_PROGRESS_MS) {
      const waited = formatDuration(Date.now() - started)
      log.info(
        `target: waiting for the canary (${last}); ${waited} of ${formatDuration(config.readiness.timeoutMs)}`,
      )
      lastSaid = Date.now()
    }
    // A signal ends the wait at once, not at the next poll.
    await delay(config.readiness.pollMs, undefined, { signal }).catch(() => undefined)
    if (signal.aborted) return false
  }
}

/** Index state, updater fingerprints and version of one side, also saved into its report store. */
async function describeSide(
  client: ClairApi,
  store: string,
): Promise<{ info: Partial<SideInfo>; store: SideStore }> {
  const info: Partial<SideInfo> = {}
  const kept: SideStore = {}
  const [state, vulns, enrich, metrics] = await Promise.all([
    client.indexState(),
    client.updateOperations('vulnerability'),
    client.updateOperations('enrichment'),
    client.metrics(),
  ])
  if (state.body) {
    info.index_state = state.body.state
    kept.indexState = state.body
    await writeJson(join(store, STORE_FILES.indexState), state.body)
  }
  if (vulns.body) {
    info.updaters = fingerprints(vulns.body)
    kept.updateOperations = vulns.body
    await writeJson(join(store, STORE_FILES.updateOperations), vulns.body)
  }
  if (enrich.body) {
    info.enrichers = fingerprints(enrich.body)
    kept.enrichmentUpdateOperations = enrich.body
    await writeJson(join(store, STORE_FILES.enrichmentUpdateOperations), enrich.body)
  }
  const version = metrics.body ? parseVersionInfo(metrics.body) : undefined
  if (version) info.version = version
  return { info, store: kept }
}

/** Whether the differences, as finally attributed, still fail the gate an early stop named. */
function stopHolds(stop: EarlyStop, diffs: ManifestDiff[], rules: Rules): boolean {
  const report =
    stop.gate === 'index-differences'
      ? 'index'
      : stop.gate === 'vulnerability-differences'
        ? 'vulnerability'
        : null
  if (!report) return true
  const code = diffs.filter((d) =>
    d.differences.some((x) => x.report === report && x.attribution === 'code'),
  ).length
  return code > rules.gates.maxCodeDifferences[report]
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1
  return out
}

/** Updater -> the fingerprint and date of its latest operation, as run.json records them. */
function fingerprints(ops: UpdateOperations): Record<string, { fingerprint: string; date?: string }> {
  const latest = latestOperations(ops)
  return Object.fromEntries(
    Object.entries(latest).map(([name, op]) => [name, { fingerprint: op.fingerprint, date: op.date }]),
  )
}

/**
 * A report as the run directory stores it: Clair's `err` embeds the URL of a layer it failed to fetch, signature
 * and all, and the run directory becomes an artifact.
 */
export function withoutSecrets(body: unknown, scrub: (text: string) => string = (t) => t): unknown {
  if (typeof body !== 'object' || body === null) return body
  const err = (body as { err?: unknown }).err
  return typeof err === 'string' && err !== '' ? { ...body, err: scrub(redactSecrets(err)) } : body
}

/** Every secret value in the config (Secret instances, wherever they sit), as the user gave it. */
export function configSecrets(config: unknown): string[] {
  const out: string[] = []
  const walk = (value: unknown, depth: number): void => {
    if (depth > 8 || value === null || typeof value !== 'object') return
    if (value instanceof Secret) {
      const revealed: unknown = value.reveal()
      if (typeof revealed === 'string') out.push(revealed)
      else if (revealed instanceof Uint8Array) out.push(Buffer.from(revealed).toString('base64'))
      return
    }
    for (const v of Object.values(value)) walk(v, depth + 1)
  }
  walk(config, 0)
  return out
}

/** Record messages quote Clair's error texts: the run's secrets go, in every encoding. */
function scrubRecord(record: ManifestRecord, scrub: (text: string) => string): ManifestRecord {
  for (const request of record.requests) if (request.message) request.message = scrub(request.message)
  return record
}
