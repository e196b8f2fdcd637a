// Building and starting real Clair with bad input: no Go, no module proxy, a version that does not exist, a
// Clair that will not start, a port taken. Each gives one clear line (a UserError), and a failed build leaves
// nothing in the cache.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { UserError } from '../../../src/errors.ts'
import { freePort } from '../../../standin/embedded-postgres.ts'
import { buildClair, RELEASES, type ClairBuild } from '../../support/real-clair/build.ts'
import { startClair } from '../../support/real-clair/clair.ts'
import { realClairUnavailable } from '../../support/real-clair/stand.ts'

const SKIP = realClairUnavailable()

/** Rejects with a UserError whose first line matches. */
async function refuses(work: Promise<unknown>, first: RegExp): Promise<string> {
  const error = await work.then(
    () => assert.fail('expected a UserError'),
    (e: unknown) => e,
  )
  assert.ok(error instanceof UserError, String(error))
  assert.match(error.message.split('\n')[0]!, first)
  return error.message
}

describe('real Clair with bad input', { skip: SKIP }, () => {
  let cache: string
  let build: ClairBuild
  before(async () => {
    cache = await mkdtemp(join(tmpdir(), 'clair-canary-cache-'))
    build = await buildClair(RELEASES.newer)
  })
  after(async () => {
    if (cache) await rm(cache, { recursive: true, force: true })
  })

  test('no Go toolchain', async () => {
    await refuses(
      buildClair(RELEASES.newer, { cacheDir: cache, env: { ...process.env, PATH: '/nonexistent' } }),
      /^go: no Go toolchain on PATH/,
    )
    assert.deepEqual(await readdir(cache), [])
  })

  test('the build script says so in one line and exits 2', () => {
    const run = spawnSync(process.execPath, ['scripts/build-clair.ts'], {
      env: { ...process.env, PATH: '/nonexistent', CLAIR_CANARY_CLAIR_CACHE: cache },
      encoding: 'utf8',
    })
    assert.equal(run.status, 2)
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr)
    assert.match(run.stderr, /^build-clair: go: no Go toolchain on PATH/)
  })

  test('no module proxy', async () => {
    const modcache = await mkdtemp(join(tmpdir(), 'clair-canary-modcache-'))
    try {
      const env = {
        ...process.env,
        GOPROXY: `http://127.0.0.1:${await freePort()}`,
        GOMODCACHE: modcache,
        GOFLAGS: '-modcacherw',
      }
      await refuses(
        buildClair(RELEASES.older, { cacheDir: cache, env }),
        /^Go module proxy unreachable \(GOPROXY=http:\/\/127\.0\.0\.1:\d+\) while fetching github\.com\/quay\/clair\/v4@v4\.9\.0/,
      )
      assert.deepEqual(await readdir(cache), [])
    } finally {
      await rm(modcache, { recursive: true, force: true })
    }
  })

  test('a version that does not exist', async () => {
    await refuses(
      buildClair({ name: 'v4.99.0', clair: 'v4.99.0' }, { cacheDir: cache }),
      /^github\.com\/quay\/clair\/v4@v4\.99\.0: no such version on the Go module proxy/,
    )
    assert.deepEqual(await readdir(cache), [])
  })

  test('a Clair that will not start shows why, from its own log', async () => {
    const message = await refuses(
      startClair(build, { database: `postgres://postgres@127.0.0.1:${await freePort()}/none` }),
      /^Clair v4\.9\.0 exited \(\d+\) before it was ready; its log says:$/,
    )
    assert.match(message, /panic: migrate: failed to connect/)
    assert.match(message, /connection refused/)
  })

  test('a port taken', async () => {
    const server: Server = createServer()
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    )
    try {
      await refuses(
        startClair(build, { database: 'postgres://unused', port }),
        new RegExp(`^Clair v4\\.9\\.0 API: port ${port} on 127\\.0\\.0\\.1 is taken; give a free port$`),
      )
    } finally {
      server.close()
    }
  })
})
