// The sampler on a real streaming hot standby (pg_basebackup -R from a primary), as on Quay's read replica.
import assert from 'node:assert/strict'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import pg from 'pg'
import { Secret } from '../../../src/secret.ts'
import { freePort } from '../../../standin/embedded-postgres.ts'
import { connectReplica } from '../../../src/quay/replica.ts'
import { sampleManifests } from '../../../src/quay/sampler.ts'
import { describeReplicaFailure, REPLICA_ATTEMPTS } from '../../../src/quay/replica.ts'
import { ReplicaUnavailable } from '../../../src/errors.ts'
import { samplerOptions } from '../../support/sampler.ts'
import { createQuaySchema, generateSeedImages, seedQuayDatabase } from '../../../standin/quay-db.ts'
import { templateUriBuilder } from '../../../src/quay/uris.ts'
import { findPostgresBinDir, postgresRunAs } from '../../support/debian-postgres.ts'

const BIN = findPostgresBinDir(['initdb', 'postgres', 'pg_basebackup'])
const SKIP = BIN
  ? false
  : 'no PostgreSQL bin dir with initdb, postgres and pg_basebackup (Debian postgresql package, or set CLAIR_CANARY_PG_BIN)'

describe('sampling from a streaming hot standby', { skip: SKIP }, () => {
  const dir = join(tmpdir(), `clair-canary-standby-${randomBytes(6).toString('hex')}`)
  const children: ChildProcess[] = []
  let primaryUrl = ''
  let standbyUrl = ''
  const ids = postgresRunAs()

  function run(bin: string, args: string[]): void {
    execFileSync(join(BIN as string, bin), args, {
      ...ids,
      stdio: 'pipe',
      env: { ...process.env, LC_ALL: 'C' },
    })
  }

  async function startServer(data: string, port: number, extra: string[] = []): Promise<string> {
    const child = spawn(
      join(BIN as string, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dir}`,
        '-c',
        'fsync=off',
        ...extra,
      ],
      { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    )
    let log = ''
    child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)))
    children.push(child)
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`
    for (let i = 0; i < 150; i++) {
      if (child.exitCode !== null) throw new Error(`postgres exited: ${log}`)
      const client = new pg.Client(url)
      try {
        await client.connect()
        await client.end()
        return url
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    throw new Error(`postgres did not accept connections: ${log}`)
  }

  before(async () => {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    if (ids.uid !== undefined) chownSync(dir, ids.uid, ids.gid!)
    run('initdb', ['-D', join(dir, 'primary'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'])
    primaryUrl = await startServer(join(dir, 'primary'), await freePort())
    const client = new pg.Client(primaryUrl)
    await client.connect()
    await createQuaySchema(client)
    await seedQuayDatabase(client, generateSeedImages({ seed: 'standby', count: 20, extras: true }))
    await client.end()
    const port = new URL(primaryUrl).port
    run('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      port,
      '-U',
      'postgres',
      '-D',
      join(dir, 'standby'),
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
    ])
    // A standby that cancels a conflicting query at once, instead of delaying replay for it (default 30 s).
    standbyUrl = await startServer(join(dir, 'standby'), await freePort(), [
      '-c',
      'max_standby_streaming_delay=0',
      '-c',
      'hot_standby_feedback=off',
    ])
  })

  after(async () => {
    for (const child of children.reverse()) {
      if (child.exitCode !== null) continue
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGINT')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('is a standby that follows the primary', async () => {
    const standby = new pg.Client(standbyUrl)
    await standby.connect()
    try {
      const { rows } = await standby.query<{ recovery: boolean }>('SELECT pg_is_in_recovery() AS recovery')
      assert.equal(rows[0]?.recovery, true)
      const primary = new pg.Client(primaryUrl)
      await primary.connect()
      await seedQuayDatabase(primary, generateSeedImages({ seed: 'later', count: 5 }))
      const { rows: want } = await primary.query<{ n: string }>('SELECT count(*) AS n FROM manifest')
      await primary.end()
      let have = ''
      for (let i = 0; i < 100 && have !== want[0]?.n; i++) {
        have = (await standby.query<{ n: string }>('SELECT count(*) AS n FROM manifest')).rows[0]!.n
        if (have !== want[0]?.n) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      assert.equal(have, want[0]?.n, 'rows written on the primary reach the standby')
    } finally {
      await standby.end()
    }
  })

  it('samples on the standby, and the server refuses a write there', async () => {
    const pool = await connectReplica(new Secret(standbyUrl))
    try {
      const uris = templateUriBuilder('http://blobs.test/{digest}')
      const a = await sampleManifests(pool, samplerOptions(10, 'hot', { strata: 'media_type' }), uris)
      const b = await sampleManifests(pool, samplerOptions(10, 'hot', { strata: 'media_type' }), uris)
      assert.equal(a.sample.length, 10)
      assert.deepEqual(a.sample, b.sample)
    } finally {
      await pool.end()
    }
    // Even a session that does not ask for read-only is refused: the standby itself is read-only.
    const plain = new pg.Client(standbyUrl)
    await plain.connect()
    try {
      await assert.rejects(plain.query(`INSERT INTO mediatype (name) VALUES ('x/y')`), { code: '25006' })
    } finally {
      await plain.end()
    }
  })
  /** A read held this long ends only by a conflict (or by the session's 30 s statement timeout, a failure). */
  const HELD_MS = 3_600_000

  /**
   * The pool with a query of its own in front of each sampler query, as a long read would be: it holds a lock on
   * manifest for `holdMs` (a real query on the standby), then the sampler's query runs. `codes` gets every
   * SQLSTATE the sampler met.
   */
  function slowed(pool: pg.Pool, holdMs: number, times: number): { pool: pg.Pool; codes: string[] } {
    const codes: string[] = []
    let left = times
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>
    const wrapped = new Proxy(pool, {
      get(target, prop, receiver) {
        if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown
        return async (...args: unknown[]) => {
          try {
            if (left-- > 0) await query(`SELECT pg_sleep(${holdMs / 1000}) FROM manifest LIMIT 1`)
            return await query(...args)
          } catch (error) {
            codes.push(String((error as { code?: unknown }).code))
            throw error
          }
        }
      },
    })
    return { pool: wrapped, codes }
  }

  /** ACCESS EXCLUSIVE on manifest on the primary: its WAL record conflicts with any reader of it on the standby. */
  async function lockOnPrimary(): Promise<void> {
    const primary = new pg.Client(primaryUrl)
    await primary.connect()
    try {
      await primary.query('BEGIN')
      await primary.query('LOCK TABLE manifest IN ACCESS EXCLUSIVE MODE')
      await primary.query('COMMIT')
    } finally {
      await primary.end()
    }
  }

  it('a recovery conflict (40001) cancels a query on the standby; the sampler retries it and draws the same sample', async () => {
    const replica = await connectReplica(new Secret(standbyUrl))
    try {
      const want = await sampleManifests(
        replica,
        samplerOptions(10, 'conflict', { strata: '' }),
        templateUriBuilder('http://blobs.test/{digest}'),
      )
      // The long read lasts until the conflict cancels it: a read of a few seconds could end before a loaded
      // machine had replayed the lock, and then nothing would conflict.
      const { pool, codes } = slowed(replica, HELD_MS, 1)
      const drawing = sampleManifests(
        pool,
        samplerOptions(10, 'conflict', { strata: '' }),
        templateUriBuilder('http://blobs.test/{digest}'),
      )
      // Lock on the primary once the long read is certainly running on the standby.
      for (;;) {
        const { rows } = await replica.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep%'",
        )
        if (rows[0]!.n > 0) break
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      await lockOnPrimary()
      const got = await drawing
      assert.deepEqual(codes, ['40001'], 'the standby cancelled the query for a conflict with recovery, once')
      assert.deepEqual(got.sample, want.sample)
    } finally {
      await replica.end()
    }
  })

  it('conflicts that go on are reported in one line once the retries are spent', async () => {
    const replica = await connectReplica(new Secret(standbyUrl))
    const { pool, codes } = slowed(replica, HELD_MS, Infinity)
    let conflicting = true
    const conflicts = (async () => {
      while (conflicting) {
        await lockOnPrimary()
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    })()
    try {
      await assert.rejects(
        sampleManifests(
          pool,
          samplerOptions(10, 'conflict', { strata: '' }),
          templateUriBuilder('http://blobs.test/{digest}'),
        ).catch((error: unknown) => {
          throw describeReplicaFailure(error, standbyUrl)
        }),
        (error: unknown) => {
          assert.ok(error instanceof ReplicaUnavailable, `a ReplicaUnavailable, got ${String(error)}`)
          assert.match(
            error.message,
            /^the Quay database at 127\.0\.0\.1:\d+\/postgres \(input quay-db-dsn\) failed the sample after \d+ attempts: canceling statement due to conflict with recovery \(40001\): the hot standby cancelled the sample's query for a conflict with recovery; raise max_standby_streaming_delay or turn on hot_standby_feedback on the replica$/,
          )
          return true
        },
      )
      assert.deepEqual(codes, Array(REPLICA_ATTEMPTS).fill('40001'), 'bounded: every attempt, and no more')
    } finally {
      conflicting = false
      await conflicts
      await replica.end()
    }
  })
})
