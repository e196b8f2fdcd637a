// The per-manifest replay: index on the canary (open loop, the load) and, as each POST is answered, read both
// sides' reports (production only ever sees GETs, through a rate limiter); then re-read a seeded fraction for
// noise.
import { errorMessage } from '../errors.ts'
import { reportProblem } from '../clair/shape.ts'
import { seededRandom } from '../seeded.ts'
import { realClock } from './clock.ts'
import { RateLimiter } from './limiter.ts'
import { runOpenLoop } from './scheduler.ts'
import type { ClairApi, ClairResponse } from '../clair/api.ts'
import type { IndexReport, Manifest } from '../clair/types.ts'
import type { ReplayOptions } from '../config/types.ts'
import type { ManifestRecord, Operation, RequestRecord, SampledManifest, Side } from '../rundir/types.ts'
import type { ReportStoreName } from '../rundir/layout.ts'
import type { Logger } from '../log.ts'
import { startProgress } from './progress.ts'
import type { Clock } from './clock.ts'
import type { Slot } from './scheduler.ts'

/** Where a report read during the replay goes: one of the run directory's report stores. */
export type SinkSide = ReportStoreName

/** Where reports go as they arrive (the run directory's report stores, in the pipeline). */
export interface ReportSink {
  /** `text` is the JSON the body was parsed from, as it arrived, when there is one. */
  write(
    side: SinkSide,
    report: 'index' | 'vulnerability',
    digest: string,
    body: unknown,
    text?: string,
  ): Promise<void>
}

export interface ReplayDeps {
  canary: ClairApi
  production: ClairApi
  store: ReportSink
  clock?: Clock
  /** Drives re-read selection and read order; pass seededRandom(config.seed) so a run can be reproduced. */
  random?: () => number
  signal?: AbortSignal
  log?: Logger
  /** Milliseconds between progress lines in the log (default 5000). */
  progressIntervalMs?: number
  /**
   * Called once per manifest when its first reads of both sides are done (re-reads may add to it later), so
   * the pipeline can append it to records.jsonl (a killed run keeps every finished manifest) and compare it at
   * once. `reread` says whether the manifest will be read again later.
   */
  onRecord?: (record: ManifestRecord, plan: { reread: boolean }) => Promise<void> | void
  /** Called when a manifest's re-reads of both sides are done (the re-read reports went to the sink). */
  onReread?: (record: ManifestRecord) => Promise<void> | void
  /**
   * Signs the layer URIs afresh just before the POST and before each retry: a sample's signed URLs expire
   * (600 s for Quay's S3) while the canary starts and the replay runs.
   */
  sign?: (entry: SampledManifest) => Promise<Manifest>
  /** Sees every POST and first read as it is answered (the pipeline checks Quay's contract on them). */
  observe?: (side: Side, op: Operation, digest: string, response: ClairResponse<unknown>) => void
}

export interface ReplayOutcome {
  /** One record per manifest that was started, in sample order. */
  records: ManifestRecord[]
  /** Phase name (index, fetch, reread) -> milliseconds. */
  timings: Record<string, number>
  /** Index POSTs per second actually started during the index phase. */
  achievedRate: number
  aborted: boolean
}

type Read = { side: Side; report: 'index' | 'vulnerability' }

const READS: readonly Read[] = [
  { side: 'canary', report: 'index' },
  { side: 'canary', report: 'vulnerability' },
  { side: 'production', report: 'index' },
  { side: 'production', report: 'vulnerability' },
]

/**
 * Latency conventions (RequestRecord):
 * - index phase (open loop): a request's schedule is its manifest's slot, so latency_ms = start lag + the
 *   client's latency and queueing behind the concurrency cap shows up in latency. The POST after a DELETE is
 *   scheduled when the DELETE ends: the DELETE is our doing, not the canary's indexing time.
 * - fetch and re-read phases are not load: each GET is scheduled when it is sent (start_lag_ms 0,
 *   latency_ms = the client's latency), so time spent in our production rate limiter or behind the other
 *   side's GET never counts against either side and paired latency stays fair.
 * - a read that was retried (a dropped connection, a 503) counts the final attempt's latency: our backoff is
 *   not the server's time, and a fault in front of one side must not read as that side being slow.
 * - `read` is set on re-reads only (1); absent means the first read.
 */
export async function replay(
  sample: SampledManifest[],
  opts: ReplayOptions,
  deps: ReplayDeps,
): Promise<ReplayOutcome> {
  const clock = deps.clock ?? realClock
  const random = deps.random ?? seededRandom('clair-canary')
  const log = (line: string) => deps.log?.info(line)
  const { signal } = deps
  const limiter = new RateLimiter(opts.productionRate, clock)
  const t0 = clock.now()
  const rel = (ms: number): number => round(ms - t0)
  const timings: Record<string, number> = {}

  // Chosen before anything runs so the choice depends on the seed alone, never on timing.
  const rereads = chooseRereads(sample.length, opts.rereadFraction, random)
  const records: ManifestRecord[] = sample.map(({ manifest }) => ({ digest: manifest.hash, requests: [] }))
  /** Canary POST bodies not yet written: written only if no GET gives us the index report. */
  const postBodies = new Map<number, IndexReport>()

  const write = async (
    side: SinkSide,
    report: Read['report'],
    digest: string,
    body: unknown,
    text?: string,
  ): Promise<void> => {
    try {
      await deps.store.write(side, report, digest, body, text)
    } catch (error) {
      log(`replay: could not store the ${side} ${report} report of ${digest}: ${errorMessage(error)}`)
    }
  }

  const call = async <T>(fn: () => Promise<ClairResponse<T>>): Promise<ClairResponse<T>> => {
    const start = clock.now()
    try {
      return await fn()
    } catch (error) {
      // A client that throws is a bug, but one manifest's failure must never stop the run.
      return {
        status: null,
        latencyMs: clock.now() - start,
        attempts: 1,
        error: 'connection',
        message: `client failed: ${errorMessage(error)}`,
        bytes: 0,
      }
    }
  }

  const progress = (label: string, total: number, read: () => { done: number; errors: number }) =>
    deps.log
      ? startProgress({
          label,
          total,
          unit: 'manifests',
          log: deps.log,
          read,
          ...(deps.progressIntervalMs ? { intervalMs: deps.progressIntervalMs } : {}),
        })
      : () => {}
  let indexedSoFar = 0
  let readSoFar = 0
  const errors = (ops: readonly Operation[]): number =>
    records.reduce((n, r) => n + r.requests.filter((q) => q.error && ops.includes(q.op)).length, 0)

  // Indexing on the canary (open loop, the load) and reading both sides' reports run at once: a manifest's
  // reads start as soon as its POST is answered, so production's reads, paced by its cap, begin while the
  // canary still indexes, and the run ends near max(N / rate, production reads / production-rate).
  const indexDone = sample.map(() => deferred<boolean>())
  const started = clock.now()
  const stopIndexProgress = progress('replay: indexing on the canary', sample.length, () => ({
    done: indexedSoFar,
    errors: errors(['index']),
  }))
  const indexing = runOpenLoop(
    sample,
    { rate: opts.rate, concurrency: opts.concurrency, clock, ...(signal ? { signal } : {}) },
    async (entry, slot: Slot) => {
      const { manifest } = entry
      const record = records[slot.index] as ManifestRecord
      try {
        let deleted = false
        let scheduledAt = slot.scheduledAtMs
        if (opts.deleteFirst) {
          const response = await call(() => deps.canary.deleteIndexReport(manifest.hash))
          record.requests.push(
            loadRequest('delete_index_report', response, scheduledAt, slot.startLagMs, rel),
          )
          deleted = ok(response)
          scheduledAt += clock.now() - slot.startedAtMs
        }
        const sign = deps.sign ? () => deps.sign!(entry) : undefined
        let body = manifest
        if (sign)
          body = await sign().catch((error: unknown) => {
            log(`replay: could not sign the layer URLs of ${manifest.hash} again: ${errorMessage(error)}`)
            return manifest
          })
        const answer = await call(() => deps.canary.index(body, sign))
        // Quay's contract is judged on the answer as Quay would see it; the record says whether it is a report.
        deps.observe?.('canary', 'index', manifest.hash, answer)
        const response = notReportAsError('index', manifest.hash, answer)
        record.requests.push(loadRequest('index', response, scheduledAt, slot.startLagMs, rel))
        // Clair answers 201; the client also accepts 200. An IndexError body comes with an error class.
        const posted = ok(response) && isIndexReport(response.body)
        if (posted) {
          postBodies.set(slot.index, response.body as IndexReport)
          record.canary_state = (response.body as IndexReport).state
        }
        record.fresh_index = opts.deleteFirst && deleted && posted ? true : null
        indexedSoFar++
      } finally {
        indexDone[slot.index]!.resolve(true)
      }
    },
  )
    .then((out) => {
      timings['index'] = round(clock.now() - started)
      log(
        `replay: indexed ${out.results.length}/${sample.length} manifests on the canary in ` +
          `${(timings['index'] / 1000).toFixed(1)} s at ${fmtRate(out.achievedRate)} req/s ` +
          `(target ${opts.rate}), p99 start lag ${fmt(out.startLag.quantile(0.99))} ms, ${errors(['index'])} errors`,
      )
      return out
    })
    .finally(() => {
      stopIndexProgress()
      // Manifests never started (a stop, a signal) are never read.
      for (const done of indexDone) done.resolve(false)
    })

  // Reads one side's report once; the body goes to the sink as soon as it arrives, and the write joins `writes`:
  // the manifest's next read need not wait for the disk.
  const read = async (
    index: number,
    { side, report }: Read,
    reread: boolean,
    writes: Array<Promise<void>>,
  ): Promise<void> => {
    const record = records[index] as ManifestRecord
    const api = side === 'canary' ? deps.canary : deps.production
    // A paced client waits for the limiter before every attempt itself, retries included, and reports its sends.
    // Any other is counted from its release.
    if (side === 'production' && !api.paced) {
      try {
        const turn = await limiter.acquire(signal)
        turn.sent()
      } catch {
        return // aborted while waiting for production's turn: nothing was sent
      }
    }
    const sentAt = clock.now()
    const answer =
      report === 'index'
        ? await call<unknown>(() => api.indexReport(record.digest))
        : await call<unknown>(() => api.vulnerabilityReport(record.digest))
    const op: Operation = report === 'index' ? 'index_report' : 'vulnerability_report'
    if (!reread) deps.observe?.(side, op, record.digest, answer)
    const response = notReportAsError(report, record.digest, answer)
    record.requests.push({
      ...requestRecord(op, side, response, rel(sentAt), 0, response.attemptMs ?? response.latencyMs),
      ...(reread ? { read: 1 } : {}),
    })
    if (response.status !== 200 || response.body === undefined) return
    if (report === 'index' && !reread) {
      if (side === 'canary') postBodies.delete(index)
      if (isIndexReport(response.body))
        record[side === 'canary' ? 'canary_state' : 'production_state'] = response.body.state
    }
    writes.push(write(reread ? `${side}-reread` : side, report, record.digest, response.body, response.text))
  }

  const rereadSet = new Set(rereads)
  const firstReadDone = sample.map(() => deferred<boolean>())
  let firstReadsLeft = sample.length
  let fetchedAt: number | undefined
  const firstReadFinished = (index: number, read: boolean): void => {
    if (firstReadDone[index]!.settled) return
    firstReadDone[index]!.resolve(read)
    if (--firstReadsLeft === 0) fetchedAt = clock.now()
  }

  // Random order per manifest, so neither side is systematically first (caches, connection reuse). The order is
  // drawn when the manifest's turn comes, before waiting for its POST: the seed alone decides it.
  const readAll = async (index: number, reread: boolean): Promise<void> => {
    const order = shuffle(READS, random)
    const record = records[index] as ManifestRecord
    if (reread) {
      if (!(await firstReadDone[index]!.promise)) return
    } else if (!(await indexDone[index]!.promise)) {
      firstReadFinished(index, false)
      return
    }
    let done = 0
    const writes: Array<Promise<void>> = []
    for (const r of order) {
      if (signal?.aborted) break
      await read(index, r, reread, writes)
      done++
    }
    // Every report is in its store before the manifest counts as read (the hooks compare what was stored).
    await Promise.all(writes)
    if (reread) {
      await hook('re-read', record, () => deps.onReread?.(record))
      return
    }
    // Nothing learned is lost: a POST body stands in for an index report no GET returned.
    const posted = postBodies.get(index)
    if (posted) {
      postBodies.delete(index)
      await write('canary', 'index', record.digest, posted)
    }
    readSoFar++
    // A manifest cut short by a stop is not finished: its record holds cancelled reads, no evidence.
    const cut = done < READS.length || record.requests.some((q) => q.error === 'cancelled')
    if (!cut) await hook('record', record, () => deps.onRecord?.(record, { reread: rereadSet.has(index) }))
    firstReadFinished(index, !cut)
  }

  const hook = async (what: string, record: ManifestRecord, fn: () => unknown): Promise<void> => {
    try {
      await fn()
    } catch (error) {
      log(`replay: could not handle the ${what} of ${record.digest}: ${errorMessage(error)}`)
    }
  }

  // Every manifest's first reads, then the seeded re-read fraction (for noise), in one open loop paced at what
  // production allows (two GETs per manifest): manifests do not queue behind the limiter, and each manifest's
  // reads of the two sides stay close together in time.
  const readItems: Array<{ index: number; reread: boolean }> = [
    ...range(sample.length).map((index) => ({ index, reread: false })),
    ...rereads.map((index) => ({ index, reread: true })),
  ]
  const stopReadProgress = progress('replay: reading reports from both sides', sample.length, () => ({
    done: readSoFar,
    errors: errors(['index_report', 'vulnerability_report']),
  }))
  const reading = runOpenLoop(
    readItems,
    { rate: limiter.ratePerSecond / 2, concurrency: opts.concurrency, clock, ...(signal ? { signal } : {}) },
    ({ index, reread }) => readAll(index, reread),
  ).finally(() => {
    stopReadProgress()
    // Manifests whose turn never came (a stop, a signal) were not read.
    for (const [i, done] of firstReadDone.entries()) if (!done.settled) firstReadFinished(i, false)
  })

  let indexed: Awaited<typeof indexing>
  try {
    const [a] = await Promise.all([indexing, reading])
    indexed = a
  } finally {
    // A POST body whose manifest was never read still stands in for its index report.
    for (const [index, body] of postBodies)
      await write('canary', 'index', (records[index] as ManifestRecord).digest, body)
  }
  const finished = clock.now()
  timings['fetch'] = round((fetchedAt ?? finished) - started)
  const failed = errors(['index_report', 'vulnerability_report'])
  // After an early stop or a signal, say how many were read, not how many were planned.
  const total = sample.length
  const readCount = readSoFar < total ? `${readSoFar} of ${total}` : `${total}`
  const why = signal?.aborted ? ' (the replay was stopped)' : ''
  log(`replay: read reports of ${readCount} manifests from both sides, ${failed} errors${why}`)
  if (rereads.length > 0 && !signal?.aborted) {
    timings['reread'] = round(finished - (fetchedAt ?? finished))
    log(`replay: re-read ${rereads.length} manifests`)
  }

  return {
    records: records.slice(0, indexed.results.length),
    timings,
    achievedRate: indexed.achievedRate,
    aborted: signal?.aborted === true,
  }
}

/** Indices of round(fraction * n) manifests (at least one when the fraction is positive), in order. */
export function chooseRereads(n: number, fraction: number, random: () => number): number[] {
  if (!(fraction > 0) || n === 0) return []
  const k = Math.min(n, Math.max(1, Math.round(fraction * n)))
  return shuffle(range(n), random)
    .slice(0, k)
    .sort((a, b) => a - b)
}

function loadRequest(
  op: Operation,
  response: ClairResponse<unknown>,
  scheduledAt: number,
  startLagMs: number,
  rel: (ms: number) => number,
): RequestRecord {
  return requestRecord(op, 'canary', response, rel(scheduledAt), startLagMs, startLagMs + response.latencyMs)
}

function requestRecord(
  op: Operation,
  side: Side,
  response: ClairResponse<unknown>,
  scheduledAtMs: number,
  startLagMs: number,
  latencyMs: number,
): RequestRecord {
  return {
    op,
    side,
    status: response.status,
    latency_ms: round(latencyMs),
    start_lag_ms: round(startLagMs),
    scheduled_at_ms: scheduledAtMs,
    attempts: response.attempts,
    ...(response.error ? { error: response.error } : {}),
    ...(response.message ? { message: response.message } : {}),
    bytes: response.bytes,
  }
}

/** A 200 whose body is not the report of this manifest is an error of the side that answered (not_report). */
function notReportAsError<T>(
  report: 'index' | 'vulnerability',
  digest: string,
  response: ClairResponse<T>,
): ClairResponse<T> {
  if (response.error !== undefined || response.body === undefined) return response
  const problem = reportProblem(report, response.body, digest)
  if (problem === undefined) return response
  const { body: _dropped, ...rest } = response
  return {
    ...rest,
    error: 'not_report',
    message: `HTTP ${response.status} with a body that is not the ${report} report of ${digest}: ${problem}`,
  }
}

function ok(response: ClairResponse<unknown>): boolean {
  return (
    response.error === undefined &&
    response.status !== null &&
    response.status >= 200 &&
    response.status < 300
  )
}

function isIndexReport(body: unknown): body is IndexReport {
  return typeof body === 'object' && body !== null && typeof (body as IndexReport).state === 'string'
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

interface Deferred<T> {
  promise: Promise<T>
  resolve(value: T): void
  readonly settled: boolean
}

/** A promise settled from outside, once (later calls are ignored). */
function deferred<T>(): Deferred<T> {
  let settle!: (value: T) => void
  const out: Deferred<T> = {
    promise: new Promise<T>((resolve) => (settle = resolve)),
    settled: false,
    resolve(value: T) {
      if (out.settled) return
      ;(out as { settled: boolean }).settled = true
      settle(value)
    },
  }
  return out
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}

/** Microsecond precision is plenty and keeps records.jsonl small. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}

function fmt(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(1) : '-'
}

function fmtRate(rate: number): string {
  return Number.isFinite(rate) ? rate.toFixed(1) : '-'
}
