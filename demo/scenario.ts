// A local Clair scenario: blob server with a synthetic corpus, a production stand-in that has already indexed
// every manifest (as Quay had), and a canary stand-in running a chosen profile. Used by the demo and the
// integration tests, so both exercise exactly the same setup.
import { randomBytes } from 'node:crypto'
import { PskSigner } from '../src/clair/jwt.ts'
import { Secret } from '../src/secret.ts'
import { startBlobServer } from '../standin/blobs.ts'
import { corpusBlobs, corpusManifests, generateCorpus } from '../standin/corpus.ts'
import { startClairStandin } from '../standin/server.ts'
import pg from 'pg'
import { startEmbeddedPostgres } from '../standin/embedded-postgres.ts'
import { createQuaySchema, seedQuayDatabase } from '../standin/quay-db.ts'
import { s3PresignVerifier } from '../standin/s3-verify.ts'
import type { CorpusImage } from '../standin/corpus.ts'
import type { ScenarioProfile } from '../standin/profiles.ts'
import type { Manifest } from '../src/clair/types.ts'

export const CANARY_REVISION = 'c1a1c4a7e5e0d3b2a1f0e9d8c7b6a5f4e3d2c1b0'

export interface Scenario {
  psk: string
  images: CorpusImage[]
  manifests: Manifest[]
  blobs: { url: string }
  production: { url: string; introspectionUrl: string }
  canary: { url: string; introspectionUrl: string }
  /** The action inputs that point a run at this scenario (add manifests / run-dir / ...). */
  inputs: Record<string, string>
  close(): Promise<void>
}

export async function startScenario(opts: {
  count: number
  canaryProfile: string | ScenarioProfile
  corpusSeed?: string
  concurrencyLimit?: number
  /**
   * Draw the sample from a real PostgreSQL Quay database seeded with the corpus (embedded-postgres, or the
   * server in CLAIR_CANARY_PG_URL), with S3-presigned layer URLs that the blob server verifies.
   */
  quayDb?: boolean
  /** The S3 storage's clock, which says when a presigned URL has expired (default the real one). */
  storageNow?: () => Date
  /** The claircore release whose JSON each side renders (standin/render.ts). */
  claircore?: { production?: 'v1.5.48' | 'v1.5.52'; canary?: 'v1.5.48' | 'v1.5.52' }
  /** The canary's /readyz answers 503 for this long after it starts (a canary still rolling out). */
  canaryReadyAfterMs?: number
}): Promise<Scenario> {
  const psk = randomBytes(32).toString('base64')
  const images = generateCorpus({ seed: opts.corpusSeed ?? 'clair-canary-demo', count: opts.count })
  const closers: Array<() => Promise<void>> = []
  try {
    const blobs = await startBlobServer({ blobs: corpusBlobs(images) })
    closers.push(() => blobs.close())
    const limit = opts.concurrencyLimit !== undefined ? { concurrencyLimit: opts.concurrencyLimit } : {}
    // The same seed on both sides: one vulnerability database, as two deployments of one Clair would have.
    const production = await startClairStandin({
      psk,
      seed: 'demo-vulndb',
      profile: 'production',
      ...limit,
      ...(opts.claircore?.production ? { claircore: opts.claircore.production } : {}),
    })
    closers.push(() => production.close())
    const canary = await startClairStandin({
      psk,
      seed: 'demo-vulndb',
      profile: opts.canaryProfile,
      revision: CANARY_REVISION,
      ...limit,
      ...(opts.canaryReadyAfterMs !== undefined ? { readyAfterMs: opts.canaryReadyAfterMs } : {}),
      ...(opts.claircore?.canary ? { claircore: opts.claircore.canary } : {}),
    })
    closers.push(() => canary.close())
    const manifests = corpusManifests(images, blobs.url)
    await preindex(production.url, manifests, psk)
    const source = opts.quayDb ? await quayDatabaseSource(images, closers, undefined, opts.storageNow) : {}
    return {
      psk,
      images,
      manifests,
      blobs,
      production,
      canary,
      inputs: {
        'canary-url': canary.url,
        'canary-introspection-url': canary.introspectionUrl,
        'canary-psk': psk,
        'production-url': production.url,
        'production-introspection-url': production.introspectionUrl,
        'expect-revision': CANARY_REVISION,
        'ready-timeout': '30',
        'sample-size': String(opts.count),
        rate: '40',
        concurrency: '6',
        'production-rate': '50',
        'reread-fraction': '0.1',
        checks: 'false',
        artifacts: 'false',
        ...source,
      },
      close: async () => {
        await Promise.allSettled(closers.reverse().map((c) => c()))
      },
    }
  } catch (error) {
    await Promise.allSettled(closers.reverse().map((c) => c()))
    throw error
  }
}

/**
 * A Quay database holding the corpus, and S3 storage in front of the same blobs that only accepts valid
 * presigned URLs. Production indexed the manifests long ago (through URLs that have since expired); the tool must
 * sample them from the database and sign fresh URLs. Returns the inputs that select this source.
 */
export async function quayDatabaseSource(
  images: CorpusImage[],
  closers: Array<() => Promise<void>>,
  database?: { url: string; stop(): Promise<void> },
  storageNow?: () => Date,
): Promise<Record<string, string>> {
  const s3 = {
    accessKeyId: 'AKIDCLAIRCANARYDEMO',
    secretAccessKey: randomBytes(20).toString('hex'),
    region: 'us-east-1',
  }
  const storage = await startBlobServer({
    blobs: corpusBlobs(images),
    auth: {
      kind: 'verify',
      verify: s3PresignVerifier({ ...s3, ...(storageNow ? { now: storageNow } : {}) }),
    },
  })
  closers.push(() => storage.close())
  const db = database ?? (await startQuayDatabase())
  closers.push(() => db.stop())
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  try {
    await createQuaySchema(client)
    // Copies in private repositories, as a real Quay has: the sample leaves them out unless
    // include-private-repositories asks for them.
    const privateCopies = images.slice(0, 3).map((image) => ({
      ...image,
      namespace: 'internal',
      repository: `private-${image.repository}`,
      visibility: 'private' as const,
    }))
    await seedQuayDatabase(client, [...images, ...privateCopies])
  } finally {
    await client.end()
  }
  return {
    manifests: '',
    'quay-db-dsn': db.url,
    'layer-uri-mode': 's3',
    's3-endpoint': storage.url,
    's3-bucket': 'quay-storage',
    's3-region': s3.region,
    's3-storage-path': '/datastorage/registry',
    'aws-access-key-id': s3.accessKeyId,
    'aws-secret-access-key': s3.secretAccessKey,
  }
}

/** A fresh database: on CLAIR_CANARY_PG_URL's server when set, else an embedded PostgreSQL. */
async function startQuayDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const name = `quay_demo_${randomBytes(4).toString('hex')}`
  const existing = process.env['CLAIR_CANARY_PG_URL']
  if (existing) {
    const admin = new pg.Client({ connectionString: existing })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const url = new URL(existing)
    url.pathname = `/${name}`
    return {
      url: url.toString(),
      stop: async () => {
        const c = new pg.Client({ connectionString: existing })
        await c.connect()
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await c.end()
      },
    }
  }
  const server = await startEmbeddedPostgres()
  await server.createDatabase(name)
  return { url: server.urlFor(name), stop: () => server.stop() }
}

/** Seeds the production stand-in directly: setup, not the tool (the tool never writes to production). */
export async function preindex(url: string, manifests: Manifest[], psk: string): Promise<void> {
  const signer = new PskSigner(new Secret(new Uint8Array(Buffer.from(psk, 'base64'))), 'quay')
  let next = 0
  const worker = async () => {
    while (next < manifests.length) {
      const manifest = manifests[next++]!
      for (let attempt = 0; ; attempt++) {
        const res = await fetch(new URL('indexer/api/v1/index_report', url), {
          method: 'POST',
          headers: { authorization: `Bearer ${await signer.token()}`, 'content-type': 'application/json' },
          body: JSON.stringify(manifest),
        })
        await res.arrayBuffer()
        if (res.status !== 429 || attempt > 20) break
        await new Promise((r) => setTimeout(r, 20))
      }
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker))
}
