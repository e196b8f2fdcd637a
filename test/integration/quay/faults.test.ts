// Database faults in the middle of a sample, on a real PostgreSQL: a statement timeout, the connection ended by
// the server (pg_terminate_backend from another session), a permission taken away, a replica that refuses
// connections (restarting) at the start or mid-sample. Transient faults are retried within a bound and then
// reported in one classed line; a missing permission is the user's to fix (exit 2).
import assert from 'node:assert/strict'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { ReplicaUnavailable, UserError } from '../../../src/errors.ts'
import { connectReplica, describeReplicaFailure, REPLICA_ATTEMPTS } from '../../../src/quay/replica.ts'
import { sampleManifests } from '../../../src/quay/sampler.ts'
import { templateUriBuilder } from '../../../src/quay/uris.ts'
import { Secret } from '../../../src/secret.ts'
import { createQuaySchema, generateSeedImages, seedQuayDatabase } from '../../../standin/quay-db.ts'
import { freePort } from '../../../standin/embedded-postgres.ts'
import { startPostgres, type TestDatabase } from '../../support/postgres.ts'
import { recordingLogger } from '../../support/log.ts'
import { runCli } from '../../support/cli.ts'
import { samplerOptions } from '../../support/sampler.ts'

const uris = templateUriBuilder('http://blobs.test/{digest}')
const PASSWORD = 'fault-pw-4821'

/** The pool, with the SQLSTATE (or message) of every query that failed: what the sampler met and retried. */
function observed(pool: pg.Pool): { pool: pg.Pool; failures: string[] } {
  const failures: string[] = []
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>
  const watched = new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown
      return (...args: unknown[]) =>
        query(...args).catch((error: unknown) => {
          const code = (error as { code?: unknown }).code
          failures.push(typeof code === 'string' ? code : String((error as Error).message))
          throw error
        })
    },
  })
  return { pool: watched, failures }
}

/** Samples as the sample stage does: any failure becomes its one-line, classed error. */
async function sample(pool: pg.Pool, dsn: string) {
  return sampleManifests(pool, samplerOptions(10, 'faults', { strata: '' }), uris).catch((error: unknown) => {
    throw describeReplicaFailure(error, dsn)
  })
}

/**
 * The replica as a restart shows it: a port that refuses connections until listen(), then forwards them to the
 * real server; refuse() drops every connection and refuses again.
 */
function restartingReplica(port: number, target: URL) {
  let server: Server | undefined
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  }
  return {
    listen: () =>
      new Promise<void>((resolve, reject) => {
        server = createServer((client) => {
          const upstream = createConnection(Number(target.port), target.hostname)
          track(client)
          track(upstream)
          client.pipe(upstream).pipe(client)
          client.on('close', () => upstream.destroy())
          upstream.on('close', () => client.destroy())
        })
        server.once('error', reject)
        server.listen(port, '127.0.0.1', () => resolve())
      }),
    refuse: async () => {
      const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
      server = undefined
      for (const socket of sockets) socket.destroy()
      await closed
    },
  }
}

function withPort(dsn: string, port: number): string {
  const url = new URL(dsn)
  url.port = String(port)
  return url.toString()
}

function oneLine(error: Error, secret: string): void {
  assert.equal(error.message.includes('\n'), false, 'one line')
  assert.equal(error.message.includes(secret), false, 'the password is never printed')
}

describe('database faults mid-sample, on a real PostgreSQL', () => {
  let db: TestDatabase
  let admin: pg.Client
  let dsn = ''
  const role = `canary_faults_${process.pid}`

  before(async () => {
    db = await startPostgres()
    admin = new pg.Client(db.url)
    await admin.connect()
    await createQuaySchema(admin)
    await seedQuayDatabase(admin, generateSeedImages({ seed: 'faults', count: 12 }))
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${PASSWORD}'`)
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`)
    const url = new URL(db.url)
    url.username = role
    url.password = PASSWORD
    dsn = url.toString()
  })
  after(async () => {
    // Roles are cluster-wide: drop it (and its grants) while the database is still there. After stop() the
    // server may be shutting down (its last user gone), and a new connection then is terminated.
    if (admin) {
      await admin.query(`DROP OWNED BY ${role}`)
      await admin.query(`DROP ROLE IF EXISTS ${role}`)
      await admin.end()
    }
    await db?.stop()
  })

  /** Holds an ACCESS EXCLUSIVE lock on manifest from another session until the returned release is called. */
  async function lockManifest(): Promise<{ client: pg.Client; release: () => Promise<void> }> {
    const client = new pg.Client(db.url)
    await client.connect()
    await client.query('BEGIN')
    await client.query('LOCK TABLE manifest IN ACCESS EXCLUSIVE MODE')
    let released = false
    return {
      client,
      release: async () => {
        if (released) return
        released = true
        await client.query('COMMIT')
        await client.end()
      },
    }
  }

  /** Backends of the sampler waiting on the lock. */
  async function waiting(client: pg.Client): Promise<number[]> {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE application_name = 'clair-canary' AND usename = $1 AND wait_event_type = 'Lock'`,
      [role],
    )
    return rows.map((r) => r.pid)
  }

  async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = await probe()
      if (value !== undefined) return value
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error('timed out waiting')
  }

  it('a statement timeout is retried, and a sample that still times out is one classed line (inconclusive)', async () => {
    const replica = await connectReplica(new Secret(dsn), { statementTimeoutMs: 250 })
    const { pool, failures } = observed(replica)
    try {
      // Once: the lock outlives the first attempt only, and the retry succeeds.
      const lock = await lockManifest()
      const drawing = sample(pool, dsn)
      await until(async () => (failures.length > 0 ? true : undefined))
      await lock.release()
      const { sample: drawn } = await drawing
      assert.equal(drawn.length, 10)
      assert.ok(failures.includes('57014'), `a statement timeout was met: ${failures.join(', ')}`)

      // Always: every attempt times out.
      failures.length = 0
      const held = await lockManifest()
      try {
        await assert.rejects(sample(pool, dsn), (error: unknown) => {
          assert.ok(error instanceof ReplicaUnavailable, `a ReplicaUnavailable, got ${String(error)}`)
          assert.match(
            error.message,
            new RegExp(
              `^the Quay database at 127\\.0\\.0\\.1:\\d+/clair_canary_test_\\w+ \\(input quay-db-dsn\\) failed the sample after ${REPLICA_ATTEMPTS} attempts: canceling statement due to statement timeout \\(57014\\): a query of the sample ran past the statement timeout`,
            ),
          )
          oneLine(error, PASSWORD)
          return true
        })
        assert.equal(
          failures.filter((f) => f === '57014').length,
          REPLICA_ATTEMPTS,
          'bounded: no more attempts',
        )
      } finally {
        await held.release()
      }
    } finally {
      await replica.end()
    }
  })

  it('a connection ended mid-query (pg_terminate_backend) is retried on a new, still read-only session', async () => {
    const replica = await connectReplica(new Secret(dsn))
    const { pool, failures } = observed(replica)
    try {
      const lock = await lockManifest()
      const drawing = sample(pool, dsn)
      const [pid] = await until(async () => {
        const pids = await waiting(lock.client)
        return pids.length > 0 ? pids : undefined
      })
      const { rows } = await lock.client.query<{ ended: boolean }>(
        'SELECT pg_terminate_backend($1) AS ended',
        [pid],
      )
      assert.equal(rows[0]?.ended, true)
      await lock.release()
      const { sample: drawn } = await drawing
      assert.equal(drawn.length, 10)
      assert.ok(
        failures.some((f) => f === '57P01' || /terminat/i.test(f)),
        `the ended connection was met: ${failures.join(', ')}`,
      )
      const { rows: settings } = await pool.query<{ ro: string }>(
        "SELECT current_setting('default_transaction_read_only') AS ro",
      )
      assert.equal(settings[0]?.ro, 'on', 'the new session is read-only too')
      await assert.rejects(pool.query(`INSERT INTO mediatype (name) VALUES ('x/y')`), { code: '25006' })
    } finally {
      await replica.end()
    }
  })

  it('a permission taken away mid-run is a user error naming the role and the input, never retried', async () => {
    const replica = await connectReplica(new Secret(dsn))
    const { pool, failures } = observed(replica)
    try {
      await admin.query(`REVOKE SELECT ON tag FROM ${role}`)
      await assert.rejects(sample(pool, dsn), (error: unknown) => {
        assert.ok(error instanceof UserError, `a UserError, got ${String(error)}`)
        assert.match(
          error.message,
          new RegExp(
            `^user ${role} may not read what the sample reads at 127\\.0\\.0\\.1:\\d+/\\w+ \\(42501, permission denied for table tag\\): GRANT SELECT on Quay's tables to ${role} \\(input quay-db-dsn\\)$`,
          ),
        )
        oneLine(error, PASSWORD)
        return true
      })
      assert.deepEqual(failures, ['42501'], 'not retried')
    } finally {
      await admin.query(`GRANT SELECT ON tag TO ${role}`)
      await replica.end()
    }
  })

  it('a replica refusing the first connection (restarting) is retried: the sample succeeds, the retry is logged', async () => {
    const port = await freePort()
    const via = withPort(dsn, port)
    const replica = restartingReplica(port, new URL(dsn))
    const log = recordingLogger()
    let waits = 0
    // The first refusal is met before the replica listens; it listens during the wait before the second attempt.
    const sleep = async () => {
      if (++waits === 1) await replica.listen()
    }
    const pool = await connectReplica(new Secret(via), { log, retry: { sleep } })
    try {
      const { sample: drawn } = await sample(pool, via)
      assert.equal(drawn.length, 10)
      assert.equal(waits, 1)
      assert.deepEqual(log.infos, [
        `quay-db-dsn: the Quay database at 127.0.0.1:${port}${new URL(dsn).pathname} failed: connect ECONNREFUSED 127.0.0.1:${port}; retrying (attempt 2 of ${REPLICA_ATTEMPTS})`,
      ])
      assert.ok(!log.infos.join('\n').includes(PASSWORD))
    } finally {
      await pool.end()
      await replica.refuse()
    }
  })

  it('a replica restarting mid-sample (its connections dropped, then refused) is retried on new sessions', async () => {
    const port = await freePort()
    const via = withPort(dsn, port)
    const replica = restartingReplica(port, new URL(dsn))
    await replica.listen()
    const log = recordingLogger()
    let waits = 0
    // Called only once the sample runs: connected and lock are set by then.
    const sleep = async () => {
      waits++
      // First wait: the dropped sessions have left the pool, so the next attempt connects anew and is refused.
      if (waits === 1) await until(async () => (connected.totalCount === 0 ? true : undefined))
      // Second: the replica is back.
      if (waits === 2) {
        await replica.listen()
        await lock.release()
      }
    }
    const connected = await connectReplica(new Secret(via), { log, retry: { sleep } })
    const { pool: watched, failures } = observed(connected)
    // Taken once connected: connecting reads every table the sample reads.
    const lock = await lockManifest()
    try {
      const drawing = sample(watched, via)
      await until(async () => ((await waiting(lock.client)).length > 0 ? true : undefined))
      await replica.refuse()
      const { sample: drawn } = await drawing
      assert.equal(drawn.length, 10)
      assert.equal(waits, 2)
      assert.equal(failures.length, 2, failures.join(', '))
      assert.match(failures[0]!, /Connection terminated unexpectedly/)
      assert.equal(failures[1], 'ECONNREFUSED')
      assert.match(log.infos[0]!, /failed: Connection terminated unexpectedly; retrying \(attempt 2 of 4\)$/)
      assert.match(
        log.infos[1]!,
        /failed: connect ECONNREFUSED 127\.0\.0\.1:\d+; retrying \(attempt 3 of 4\)$/,
      )
      assert.equal(log.infos.length, 2)
    } finally {
      await lock.release()
      await connected.end()
      await replica.refuse()
    }
  })

  it('a replica refusing past the retries mid-sample is one classed line (inconclusive), not a wrong host', async () => {
    const port = await freePort()
    const via = withPort(dsn, port)
    const replica = restartingReplica(port, new URL(dsn))
    await replica.listen()
    const log = recordingLogger()
    const pool = await connectReplica(new Secret(via), { log, retry: { sleep: async () => undefined } })
    try {
      await replica.refuse()
      await assert.rejects(sample(pool, via), (error: unknown) => {
        assert.ok(error instanceof ReplicaUnavailable, `a ReplicaUnavailable, got ${String(error)}`)
        assert.match(
          error.message,
          new RegExp(
            `^the Quay database at 127\\.0\\.0\\.1:${port}/\\w+ \\(input quay-db-dsn\\) failed the sample after ${REPLICA_ATTEMPTS} attempts: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}: the replica stopped accepting connections after the sample began \\(a restart\\?\\)$`,
          ),
        )
        oneLine(error, PASSWORD)
        return true
      })
      assert.equal(log.infos.length, REPLICA_ATTEMPTS - 1, log.infos.join('\n'))
    } finally {
      await pool.end()
    }
  })

  it('`clair-canary sample` against a port that keeps refusing: retried within the budget, then exit 2 naming quay-db-dsn', async () => {
    const port = await freePort()
    const via = withPort(dsn, port)
    const out = `${process.env['TMPDIR'] ?? '/tmp'}/clair-canary-refused-${process.pid}.jsonl`
    const run = await runCli(['sample', '--out', out, '--empty-layers', 'skip'], {
      CLAIR_CANARY_QUAY_DB_DSN: via,
      CLAIR_CANARY_LAYER_URI_MODE: 'template',
      CLAIR_CANARY_URI_TEMPLATE: 'http://blobs.test/{digest}',
    })
    const where = `127.0.0.1:${port}${new URL(dsn).pathname}`
    assert.equal(run.code, 2, run.err)
    assert.equal(
      run.err,
      [2, 3, 4]
        .map(
          (n) =>
            `quay-db-dsn: the Quay database at ${where} failed: connect ECONNREFUSED 127.0.0.1:${port}; retrying (attempt ${n} of ${REPLICA_ATTEMPTS})\n`,
        )
        .join('') +
        `clair-canary: cannot reach the Quay database at ${where} (ECONNREFUSED): check the host and port in quay-db-dsn and that this runner may connect to the replica\n`,
    )
    assert.ok(!run.err.includes(PASSWORD))
  })

  it("a role that may not read Quay's visibility table is told the GRANT before anything is sampled", async () => {
    await admin.query(`REVOKE SELECT ON visibility FROM ${role}`)
    try {
      await assert.rejects(connectReplica(new Secret(dsn)), (error: unknown) => {
        assert.ok(error instanceof UserError)
        assert.match(error.message, new RegExp(`GRANT SELECT ON visibility TO ${role}$`))
        oneLine(error, PASSWORD)
        return true
      })
    } finally {
      await admin.query(`GRANT SELECT ON visibility TO ${role}`)
    }
  })
})
