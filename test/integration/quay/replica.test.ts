import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { Secret } from '../../../src/secret.ts'
import { UserError } from '../../../src/errors.ts'
import { freePort } from '../../../standin/embedded-postgres.ts'
import { connectReplica, redactDsn, withReplicaRetry } from '../../../src/quay/replica.ts'
import { createQuaySchema, generateSeedImages, seedQuayDatabase } from '../../../standin/quay-db.ts'
import { startPostgres, type TestDatabase } from '../../support/postgres.ts'

function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url)
  u.username = user
  u.password = password
  return u.toString()
}

function rejectsWith(pattern: RegExp, secret: string) {
  return (error: unknown) => {
    assert.ok(error instanceof UserError, `a UserError, got ${String(error)}`)
    assert.match(error.message, pattern)
    assert.equal(error.message.includes(secret), false, 'the password is never printed')
    assert.equal(error.message.includes('\n'), false, 'one line')
    return true
  }
}

describe('connectReplica', () => {
  let db: TestDatabase
  let empty: TestDatabase
  before(async () => {
    db = await startPostgres()
    empty = await startPostgres()
    const client = new pg.Client(db.url)
    await client.connect()
    await createQuaySchema(client)
    await seedQuayDatabase(client, generateSeedImages({ seed: 'r', count: 5 }))
    await client.query(`DROP ROLE IF EXISTS canary_noselect`)
    await client.query(`CREATE ROLE canary_noselect LOGIN PASSWORD 'noselect-pw-123'`)
    await client.end()
  })
  after(async () => {
    // Roles are cluster-wide: drop it (and its grants) while the database is still there. After stop() the
    // server may be shutting down (its last user gone), and a new connection then is terminated.
    const client = new pg.Client(db.url)
    await client.connect()
    await client.query('DROP OWNED BY canary_noselect')
    await client.query('DROP ROLE IF EXISTS canary_noselect')
    await client.end()
    await db?.stop()
    await empty?.stop()
  })

  it('opens read-only sessions: the server refuses a write with 25006', async () => {
    const pool = await connectReplica(new Secret(db.url))
    try {
      await assert.rejects(pool.query(`INSERT INTO mediatype (name) VALUES ('x/y')`), { code: '25006' })
      const { rows } = await pool.query<{ app: string; timeout: string }>(
        `SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout`,
      )
      assert.deepEqual(rows[0], { app: 'clair-canary', timeout: '30s' })
    } finally {
      await pool.end()
    }
  })

  it('names a wrong password (28P01) without printing it', async () => {
    const url = withCredentials(db.url, 'postgres', 'wrong-pw-987')
    await assert.rejects(
      connectReplica(new Secret(url)),
      rejectsWith(/refused the password of user postgres \(28P01\)/, 'wrong-pw-987'),
    )
  })

  it('names a database without the Quay tables (42P01)', async () => {
    const password = decodeURIComponent(new URL(empty.url).password)
    await assert.rejects(
      connectReplica(new Secret(empty.url)),
      rejectsWith(/has no Quay table user \(42P01\)/, password),
    )
  })

  it('names a user without SELECT rights (42501) and the GRANT that fixes it', async () => {
    const url = withCredentials(db.url, 'canary_noselect', 'noselect-pw-123')
    await assert.rejects(
      connectReplica(new Secret(url)),
      rejectsWith(
        /user canary_noselect may not read table user .*\(42501\): GRANT SELECT ON user TO canary_noselect/,
        'noselect-pw-123',
      ),
    )
  })

  it('names an unreachable host', async () => {
    const port = await freePort()
    const url = `postgres://quay:unreach-pw-555@127.0.0.1:${port}/quay`
    await assert.rejects(
      connectReplica(new Secret(url), { connectTimeoutMs: 2000 }),
      rejectsWith(
        /cannot reach the Quay database at 127\.0\.0\.1:\d+\/quay \(ECONNREFUSED\)/,
        'unreach-pw-555',
      ),
    )
  })
})

describe('redactDsn', () => {
  it('strips passwords from URL and key=value DSNs', () => {
    assert.equal(
      redactDsn('postgres://u:s3cret@h:5432/quay?sslmode=require&password=x'),
      'postgres://u:redacted@h:5432/quay',
    )
    assert.equal(
      redactDsn("host=h user=u password='s3 cret' dbname=quay"),
      'host=h user=u password=redacted dbname=quay',
    )
  })
})

describe('withReplicaRetry', () => {
  it('retries a recovery conflict (40001) and a dropped connection, not a permission error', async () => {
    let calls = 0
    const result = await withReplicaRetry(
      async () => {
        calls++
        if (calls === 1)
          throw Object.assign(new Error('canceling statement due to conflict with recovery'), {
            code: '40001',
          })
        if (calls === 2) throw new Error('Connection terminated unexpectedly')
        return 'ok'
      },
      { sleep: async () => undefined },
    )
    assert.equal(result, 'ok')
    assert.equal(calls, 3)
    let denied = 0
    await assert.rejects(
      withReplicaRetry(
        async () => {
          denied++
          throw Object.assign(new Error('permission denied'), { code: '42501' })
        },
        { sleep: async () => undefined },
      ),
      { code: '42501' },
    )
    assert.equal(denied, 1)
  })

  it('gives up after the attempts', async () => {
    let calls = 0
    await assert.rejects(
      withReplicaRetry(
        async () => {
          calls++
          throw Object.assign(new Error('conflict'), { code: '40001' })
        },
        { attempts: 3, sleep: async () => undefined },
      ),
    )
    assert.equal(calls, 3)
  })
})
