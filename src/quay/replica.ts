// Connecting to Quay's read replica: read-only sessions, a statement timeout, a small pool, and one-line
// errors that say what is wrong and how to fix it, with the password stripped from anything we print.
import pg from 'pg'
import { setTimeout as delay } from 'node:timers/promises'
import type { Logger } from '../log.ts'
import type { Secret } from '../secret.ts'
import { ReplicaUnavailable, UserError } from '../errors.ts'
import { SAMPLER_TABLES } from './schema.ts'

export interface ReplicaOptions {
  /** Pool size; the sampler needs few (default 2). */
  maxConnections?: number
  /** Per statement (default 30 s): a slow replica makes the run inconclusive, it never hangs it. */
  statementTimeoutMs?: number
  connectTimeoutMs?: number
  /** Tables that must exist and be readable (default: the ones the sampler reads). */
  tables?: readonly string[]
  /** When it aborts, the query each session is running is cancelled and the pool ends (SIGINT/SIGTERM). */
  signal?: AbortSignal
  /** Where each retry is said (the fault and the attempt), so a slow start is never silent. */
  log?: Logger
  /** How connecting and every query of the pool are retried (tests pass their own sleep). */
  retry?: Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'sleep'>
}

/** A DSN fit to print: no password (URL or key=value form), no query parameters that may hold one. */
export function redactDsn(dsn: string): string {
  if (/^postgres(ql)?:\/\//i.test(dsn)) {
    try {
      const url = new URL(dsn)
      if (url.password) url.password = 'redacted'
      url.search = ''
      return url.toString()
    } catch {
      return 'postgres://(unparseable DSN)'
    }
  }
  return dsn.replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, '$1redacted')
}

interface Target {
  where: string
  user: string
  database: string
}

function describeTarget(dsn: string): Target {
  const parsed = pg.defaults
  let host = String(parsed.host ?? 'localhost')
  let port = String(parsed.port ?? 5432)
  let user = String(parsed.user ?? '')
  let database = String(parsed.database ?? '')
  if (/^postgres(ql)?:\/\//i.test(dsn) && URL.canParse(dsn)) {
    const url = new URL(dsn)
    host = url.hostname || host
    port = url.port || port
    user = decodeURIComponent(url.username) || user
    database = decodeURIComponent(url.pathname.replace(/^\//, '')) || database || user
  } else {
    const kv = (key: string) =>
      new RegExp(`(?:^|\\s)${key}\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'|\\S+)`).exec(dsn)?.[1]
    host = kv('host') ?? host
    port = kv('port') ?? port
    user = kv('user') ?? user
    database = kv('dbname') ?? (database || user)
  }
  return { where: `${host}:${port}/${database}`, user, database }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
])

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** A UserError for a connection or permission problem, or undefined when it is something else. */
export function explainReplicaError(error: unknown, dsn: string, table?: string): UserError | undefined {
  const t = describeTarget(dsn)
  const code = codeOf(error)
  const message = error instanceof Error ? error.message : String(error)
  if (
    (code && NETWORK_CODES.has(code)) ||
    /timeout expired|connection timeout|terminated due to connection timeout/i.test(message)
  )
    return new UserError(
      `cannot reach the Quay database at ${t.where} (${code ?? 'connect timeout'}): check the host and port in quay-db-dsn and that this runner may connect to the replica`,
    )
  if (code === '42501' && !table)
    return new UserError(
      `user ${t.user} may not read what the sample reads at ${t.where} (42501, ${firstLine(message)}): GRANT SELECT on Quay's tables to ${t.user} (input quay-db-dsn)`,
    )
  switch (code) {
    case '28P01':
      return new UserError(
        `the Quay database at ${t.where} refused the password of user ${t.user} (28P01): check the credentials in quay-db-dsn`,
      )
    case '28000':
      return new UserError(
        `the Quay database at ${t.where} does not let user ${t.user} connect (28000): check pg_hba.conf or the user in quay-db-dsn`,
      )
    case '3D000':
      return new UserError(
        `database ${t.database} does not exist at ${t.where} (3D000): quay-db-dsn must name Quay's database`,
      )
    case '42P01':
      return new UserError(
        `${t.where} has no Quay table ${table ?? '(unknown)'} (42P01): quay-db-dsn must point at Quay's database, not another one`,
      )
    case '42501':
      return new UserError(
        `user ${t.user} may not read table ${table ?? '(unknown)'} at ${t.where} (42501): GRANT SELECT ON ${table ?? '<table>'} TO ${t.user}`,
      )
  }
  return undefined
}

/**
 * Errors worth retrying on a hot standby: recovery conflicts (40001), a statement timeout (57014: a replica busy
 * for a moment), dropped or restarting connections (57P01 when an administrator ends the session), a refused
 * connection (a replica restarting).
 */
export function isRetryableReplicaError(error: unknown): boolean {
  const code = codeOf(error)
  // 57014 is also a cancel on request (pg_cancel_backend after SIGINT/SIGTERM): that one ends the sample.
  if (code === '57014') return error instanceof Error && /statement timeout/i.test(error.message)
  if (
    code &&
    ['40001', '40P01', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001'].includes(code)
  )
    return true
  if (code && ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED'].includes(code)) return true
  const message = error instanceof Error ? error.message : ''
  return /Connection terminated unexpectedly|Connection terminated|Client has encountered a connection error/i.test(
    message,
  )
}

const TRANSIENT_HINTS: Record<string, string> = {
  '40001':
    "the hot standby cancelled the sample's query for a conflict with recovery; raise max_standby_streaming_delay or turn on hot_standby_feedback on the replica",
  '57014': 'a query of the sample ran past the statement timeout; the replica is slow or overloaded',
  '57P01': "the sample's connection was ended by the server (pg_terminate_backend or a restart)",
  ECONNREFUSED: 'the replica stopped accepting connections after the sample began (a restart?)',
}

/** One line for any failure of the sample in the Quay database: a UserError, a ReplicaUnavailable, or the error. */
export function describeReplicaFailure(error: unknown, dsn: string): unknown {
  if (error instanceof UserError || error instanceof ReplicaUnavailable) return error
  // The replica was reached before the sample began: a refusal or reset now is the replica's (a restart), not a
  // wrong host in quay-db-dsn.
  if (!isRetryableReplicaError(error)) return explainReplicaError(error, dsn) ?? error
  const code = codeOf(error)
  const what = error instanceof Error ? firstLine(error.message) : String(error)
  const hint = (code && TRANSIENT_HINTS[code]) ?? 'the connection to the replica failed'
  return new ReplicaUnavailable(
    `the Quay database at ${describeTarget(dsn).where} (input quay-db-dsn) failed the sample after ${REPLICA_ATTEMPTS} attempts: ${what}${code && !what.includes(code) ? ` (${code})` : ''}: ${hint}`,
  )
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? ''
}

/** Attempts per query, counting the first. */
export const REPLICA_ATTEMPTS = 4

export interface RetryOptions {
  attempts?: number
  baseDelayMs?: number
  sleep?: (ms: number) => Promise<void>
  /** Once aborted, nothing is tried again: a signal's cancel is never retried, and a wait ends at once. */
  signal?: AbortSignal
  /** Called before each wait: the failure, and the attempt about to be made. */
  onRetry?: (error: unknown, next: number, attempts: number) => void
}

/** Runs fn again (with backoff and jitter) when the replica cancels it for recovery or drops the connection. */
export async function withReplicaRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? REPLICA_ATTEMPTS
  const base = opts.baseDelayMs ?? 200
  const sleep =
    opts.sleep ?? ((ms: number) => delay(ms, undefined, opts.signal ? { signal: opts.signal } : {}))
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      if (attempt >= attempts || !isRetryableReplicaError(error) || opts.signal?.aborted) throw error
      opts.onRetry?.(error, attempt + 1, attempts)
      await sleep(base * 2 ** (attempt - 1) * (0.5 + Math.random()))
      if (opts.signal?.aborted) throw error
    }
  }
}

/** Where a pool keeps its retry policy: a property, so that a Proxy over the pool (as tests use) sees it too. */
const RETRY = Symbol('clair-canary replica retry')

/** The retry policy connectReplica gave this pool (its signal, log and budget); every query of the sampler uses it. */
export function retryOptionsOf(pool: pg.Pool): RetryOptions {
  return (pool as pg.Pool & { [RETRY]?: RetryOptions })[RETRY] ?? {}
}

/**
 * A bounded pool of read-only sessions on the replica, checked before use: reachable, credentials
 * accepted, Quay's tables present and readable. Problems are one-line UserErrors.
 */
export async function connectReplica(dsn: Secret<string>, opts: ReplicaOptions = {}): Promise<pg.Pool> {
  const connectionString = dsn.reveal()
  const statementTimeout = Math.max(1, Math.trunc(opts.statementTimeoutMs ?? 30_000))
  const pool = new pg.Pool({
    connectionString,
    max: opts.maxConnections ?? 2,
    application_name: 'clair-canary',
    // Connection options: the server enforces them for every session, whatever a query does.
    options: `-c default_transaction_read_only=on -c statement_timeout=${statementTimeout}`,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 10_000,
  })
  // An idle session killed by the server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined)
  if (opts.signal) cancelOnAbort(pool, connectionString, opts.signal)
  const { where } = describeTarget(connectionString)
  const retry: RetryOptions = {
    ...opts.retry,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onRetry: (error, next, attempts) => {
      const code = codeOf(error)
      const what = error instanceof Error ? firstLine(error.message) : String(error)
      opts.log?.info(
        `quay-db-dsn: the Quay database at ${where} failed: ${what}${code && !what.includes(code) ? ` (${code})` : ''}; retrying (attempt ${next} of ${attempts})`,
      )
    },
  }
  ;(pool as pg.Pool & { [RETRY]?: RetryOptions })[RETRY] = retry
  let client: pg.PoolClient
  try {
    // A replica restarting refuses connections for a moment: connecting is retried like any query.
    client = await withReplicaRetry(() => pool.connect(), retry)
  } catch (error) {
    await closeReplica(pool).catch(() => undefined)
    throw explainReplicaError(error, connectionString) ?? error
  }
  try {
    for (const table of opts.tables ?? SAMPLER_TABLES) {
      try {
        await client.query(`SELECT 1 FROM ${client.escapeIdentifier(table)} LIMIT 0`)
      } catch (error) {
        throw explainReplicaError(error, connectionString, table) ?? error
      }
    }
  } catch (error) {
    client.release()
    await closeReplica(pool).catch(() => undefined)
    throw error
  }
  client.release()
  return pool
}

/** Ends the pool once, whoever asks first (a signal may have ended it already). */
export async function closeReplica(pool: pg.Pool): Promise<void> {
  if (!pool.ending) await pool.end()
}

/**
 * On abort, cancels what every session of the pool is running, as psql's Ctrl-C does (pg_cancel_backend on its
 * own sessions needs no privilege, and works on a hot standby), and ends the pool so no later query starts.
 * Without the cancel, the replica would go on with a query nobody waits for, until the statement timeout.
 */
function cancelOnAbort(pool: pg.Pool, connectionString: string, signal: AbortSignal): void {
  const sessions = new Set<pg.Client>()
  pool.on('connect', (client) => sessions.add(client as pg.Client))
  pool.on('remove', (client) => sessions.delete(client as pg.Client))
  const cancel = async (): Promise<void> => {
    // The server's id of each session (pg keeps it from the BackendKeyData message; not in its types).
    const pids = [...sessions]
      .map((c) => (c as unknown as { processID?: unknown }).processID)
      .filter((pid): pid is number => typeof pid === 'number')
    const ending = closeReplica(pool).catch(() => undefined)
    if (pids.length > 0) {
      const canceller = new pg.Client({
        connectionString,
        application_name: 'clair-canary',
        connectionTimeoutMillis: 5000,
      })
      canceller.on('error', () => undefined)
      try {
        await canceller.connect()
        await canceller.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [pids])
      } catch {
        // The replica is unreachable: the statement timeout ends the query there.
      } finally {
        await canceller.end().catch(() => undefined)
      }
    }
    await ending
  }
  if (signal.aborted) void cancel()
  else signal.addEventListener('abort', () => void cancel(), { once: true })
}
