// The Quay sampler's cost must follow the sample, not the table: drawing 1,000 manifests from 1,000,000
// against ORDER BY random() over the same eligible rows, against a uniform TABLESAMPLE BERNOULLI draw (each row
// kept with the same probability, sized from the planner's row estimate to yield the draw), and the growth from
// 100,000 to 1,000,000. Every timed query gets one unmeasured warm-up run first, the anchors as the sampler.
import pg from 'pg'
import { INPUTS } from '../src/config/inputs.ts'
import { Secret } from '../src/secret.ts'
import { connectReplica } from '../src/quay/replica.ts'
import { sampleManifests } from '../src/quay/sampler.ts'
import { samplerOptions } from '../test/support/sampler.ts'
import { createQuaySchema, seedBulk } from '../standin/quay-db.ts'
import { templateUriBuilder } from '../src/quay/uris.ts'
import { startPostgres } from '../test/support/postgres.ts'
import { ratioOf, type BenchFigure } from './figure.ts'

const DRAW = 1000
// The strata the action draws by default (input strata): what a run costs the replica.
const DEFAULT_STRATA = INPUTS.find((i) => i.name === 'strata')!.default
const SMALL = 100_000
const LARGE = 1_000_000
const uris = templateUriBuilder('http://blobs.invalid/{namespace}/{repository}/blobs/{digest}')

// The same eligible rows the sampler draws from (COMPLETED v4, live repository, live visible tag).
const ORDER_BY_RANDOM = `
  SELECT m.id, m.digest, mt.name, m.manifest_bytes, u.username, r.name, mss.indexer_hash, mss.last_indexed
  FROM manifest m
  JOIN manifestsecuritystatus mss ON mss.manifest_id = m.id
  JOIN mediatype mt ON mt.id = m.media_type_id
  JOIN repository r ON r.id = m.repository_id
  JOIN "user" u ON u.id = r.namespace_user_id
  WHERE mss.index_status = 2 AND mss.indexer_version = 4 AND r.state <> 3
    AND EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = m.id AND t.hidden = false
                AND (t.lifetime_end_ms IS NULL OR t.lifetime_end_ms > (extract(epoch FROM now()) * 1000)::bigint))
  ORDER BY random() LIMIT ${DRAW}`

/** The same rows as ORDER_BY_RANDOM, drawn uniformly by TABLESAMPLE BERNOULLI at `percent` of the manifests. */
function tablesample(percent: number): string {
  return ORDER_BY_RANDOM.replace(
    'FROM manifest m',
    `FROM manifest m TABLESAMPLE BERNOULLI (${percent}) REPEATABLE (7)`,
  ).replace('ORDER BY random() ', '')
}

async function timeQuery(pool: pg.Pool, sql: string): Promise<number> {
  await pool.query(sql) // warm-up: caches and plans, as the sampler gets
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    await pool.query(sql)
    times.push(performance.now() - started)
  }
  return median(times)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function timeSampler(pool: pg.Pool, label: string, strata: string): Promise<number> {
  const times: number[] = []
  for (const seed of ['warm', 'a', 'b', 'c', 'd', 'e']) {
    const started = performance.now()
    const { sample } = await sampleManifests(pool, samplerOptions(DRAW, `${label}-${seed}`, { strata }), uris)
    if (sample.length !== DRAW) throw new Error(`sampler drew ${sample.length} of ${DRAW}`)
    if (seed !== 'warm') times.push(performance.now() - started)
  }
  return median(times)
}

export default async function (): Promise<BenchFigure[]> {
  const db = await startPostgres()
  const client = new pg.Client(db.url)
  let pool: pg.Pool | undefined
  try {
    await client.connect()
    await createQuaySchema(client)
    await seedBulk(client, SMALL)
    pool = await connectReplica(new Secret(db.url), { statementTimeoutMs: 600_000 })
    const small = await timeSampler(pool, 'small', DEFAULT_STRATA)
    await seedBulk(client, LARGE - SMALL)
    const large = await timeSampler(pool, 'large', DEFAULT_STRATA)
    // The anchor draws without strata: the like-for-like figure is the sampler without them too.
    const plain = await timeSampler(pool, 'plain', '')
    const random = await timeQuery(pool, ORDER_BY_RANDOM)
    // Twice the draw's share of the table, so the filters (live tag, indexed) still leave enough rows.
    await client.query('ANALYZE manifest')
    const estimate = await pool.query<{ rows: number }>(
      `SELECT reltuples::float8 AS rows FROM pg_class WHERE relname = 'manifest'`,
    )
    const rows = Math.max(DRAW, estimate.rows[0]?.rows ?? LARGE)
    const percent = Math.min(100, Number(((200 * DRAW) / rows).toPrecision(3)))
    const bernoulli = await timeQuery(pool, tablesample(percent))
    return [
      {
        name: `quay sampler: draw ${DRAW} of ${LARGE.toLocaleString('en')} manifests, no strata`,
        value: plain,
        unit: 'ms',
        anchor: `TABLESAMPLE BERNOULLI (${percent}) LIMIT ${DRAW} over the same rows (uniform)`,
        anchorValue: bernoulli,
        ratio: ratioOf(plain, bernoulli),
        goal: 'ratio <= 1',
        met: ratioOf(plain, bernoulli) <= 1,
      },
      {
        name: `quay sampler: draw ${DRAW} of ${LARGE.toLocaleString('en')} manifests, no strata`,
        value: plain,
        unit: 'ms',
        anchor: `ORDER BY random() LIMIT ${DRAW} over the same rows`,
        anchorValue: random,
        ratio: ratioOf(plain, random),
        goal: 'ratio <= 0.1',
        met: ratioOf(plain, random) <= 0.1,
      },
      {
        name: `quay sampler: draw ${DRAW} of ${LARGE.toLocaleString('en')} manifests, strata ${DEFAULT_STRATA}`,
        value: large,
        unit: 'ms',
        anchor: `ORDER BY random() LIMIT ${DRAW} over the same rows (no strata)`,
        anchorValue: random,
        ratio: ratioOf(large, random),
        goal: 'ratio <= 0.1',
        met: ratioOf(large, random) <= 0.1,
      },
      {
        name: `quay sampler: draw ${DRAW} of ${LARGE.toLocaleString('en')} manifests, strata ${DEFAULT_STRATA}`,
        value: large,
        unit: 'ms',
        anchor: `the same draw from ${SMALL.toLocaleString('en')} manifests`,
        anchorValue: small,
        ratio: ratioOf(large, small),
        goal: 'ratio < 2',
        met: ratioOf(large, small) < 2,
      },
    ]
  } finally {
    await pool?.end()
    await client.end().catch(() => undefined)
    await db.stop()
  }
}
