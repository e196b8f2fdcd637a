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

  async function startServer(data: string, port: number): Promise<string> {
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
    standbyUrl = await startServer(join(dir, 'standby'), await freePort())
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
})
