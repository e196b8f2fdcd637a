// A real PostgreSQL database per call: on the server named by CLAIR_CANARY_PG_URL, or on one embedded
// server shared by every call in this process (node --test runs each test file in its own process).
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../standin/embedded-postgres.ts'

export interface TestDatabase {
  url: string
  stop(): Promise<void>
}

let shared: Promise<EmbeddedPostgres> | undefined
let users = 0
let idleTimer: NodeJS.Timeout | undefined

function databaseName(): string {
  return `clair_canary_test_${randomBytes(6).toString('hex')}`
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.toString()
}

export async function startPostgres(): Promise<TestDatabase> {
  const name = databaseName()
  const external = process.env['CLAIR_CANARY_PG_URL']
  if (external) {
    const admin = new pg.Client({ connectionString: external })
    await admin.connect()
    try {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`)
    } finally {
      await admin.end()
    }
    return {
      url: withDatabase(external, name),
      async stop() {
        const c = new pg.Client({ connectionString: external })
        await c.connect()
        try {
          await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)
        } finally {
          await c.end()
        }
      },
    }
  }

  clearTimeout(idleTimer)
  users++
  shared ??= startEmbeddedPostgres().catch((error: unknown) => {
    shared = undefined
    throw error
  })
  let server: EmbeddedPostgres
  try {
    server = await shared
    await server.createDatabase(name)
  } catch (error) {
    users--
    throw error
  }
  let stopped = false
  return {
    url: server.urlFor(name),
    async stop() {
      if (stopped) return
      stopped = true
      await server.dropDatabase(name)
      users--
      if (users > 0) return
      // The next test's before() usually follows at once: keep the server for a moment, then let the
      // process exit cleanly (a running child process would keep it alive).
      idleTimer = setTimeout(() => {
        if (users > 0 || !shared) return
        const stopping = shared
        shared = undefined
        void stopping.then((s) => s.stop())
      }, 250)
    },
  }
}
