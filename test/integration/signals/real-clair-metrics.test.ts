// Prometheus scrapes a real Clair v4.9.0 (built from the Go module proxy, see test/support/real-clair): the default
// PromQL gates read Clair's real series. An error burst (manifests whose layers cannot be fetched) fails the 5xx
// gate with a value taken from Clair's own counters, and the index-latency gate gets a number from Clair's own
// request-duration histogram: the metric and label names the defaults (and the stand-in) use are Clair's.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { PskSigner } from '../../../src/clair/jwt.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { Secret } from '../../../src/secret.ts'
import { prometheusGates } from '../../../src/signals/prometheus.ts'
import {
  findPostgresBinDir,
  startPostgresCluster,
  type PostgresCluster,
} from '../../support/debian-postgres.ts'
import { buildClair, RELEASES } from '../../support/real-clair/build.ts'
import { startClair, type RealClair } from '../../support/real-clair/clair.ts'
import { realClairUnavailable } from '../../support/real-clair/stand.ts'
import { freePort } from '../../../standin/embedded-postgres.ts'
import { skipUnlessInstalled, startPrometheus, type Server } from '../../support/prometheus.ts'

const skip = realClairUnavailable() || skipUnlessInstalled('prometheus')
const JOB = 'real-clair'

type Series = { metric: Record<string, string>; value: [number, string] }

async function query(prometheus: Server, promql: string): Promise<Series[]> {
  const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`
  const body = (await (await fetch(url)).json()) as { data: { result: Series[] } }
  return body.data.result
}

describe('Prometheus scraping a real Clair', { skip, timeout: 600_000 }, () => {
  let cluster: PostgresCluster
  let clair: RealClair
  let prometheus: Server

  before(async () => {
    const build = await buildClair(RELEASES.newer)
    cluster = await startPostgresCluster(findPostgresBinDir()!)
    clair = await startClair(build, { database: await cluster.createDatabase('clair_signals') })
    prometheus = await startPrometheus({ scrape: { [JOB]: new URL(clair.introspectionUrl).host } })
  })
  after(async () => {
    await Promise.allSettled([prometheus?.close(), clair?.stop()])
    await cluster?.stop()
  })

  test("a burst of failed index requests fails the 5xx gate on Clair's own counters", async () => {
    const start = Date.now()
    const signer = new PskSigner(new Secret(new Uint8Array(Buffer.from(clair.psk, 'base64'))), 'quay')
    // Layers on a loopback port nothing listens on: Clair cannot fetch them.
    const port = await freePort()
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const hex = (n: number) => n.toString(16).padStart(64, '0')
      const res = await fetch(new URL('indexer/api/v1/index_report', clair.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${await signer.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          hash: `sha256:${hex(1000 + i)}`,
          layers: [
            { hash: `sha256:${hex(2000 + i)}`, uri: `http://127.0.0.1:${port}/blob/${i}`, headers: {} },
          ],
        }),
      })
      await res.arrayBuffer()
      statuses.push(res.status)
    }
    assert.ok(
      statuses.every((s) => s >= 500),
      `Clair answers an unfetchable layer with 5xx: ${statuses.join(', ')}`,
    )
    // Clair's labels, as the stand-in exposes them: code as a string, method lower-case, the route template.
    const posts = `clair_http_indexerv1_request_total{job="${JOB}",handler="/indexer/api/v1/index_report",method="post"}`
    // Prometheus scrapes every second, later on a loaded machine: the test waits until it has scraped every POST
    // (a fixed sleep could look before that), bounded only so that a broken build cannot hang it.
    for (const bound = Date.now() + 120_000; ; await sleep(200)) {
      const [total] = await query(prometheus, `sum(${posts})`)
      if (Number(total?.value[1] ?? 0) >= statuses.length) break
      if (Date.now() > bound)
        throw new Error(`Prometheus never saw the ${statuses.length} POSTs: ${total?.value[1]}`)
    }
    const series = await query(prometheus, posts)
    assert.ok(
      series.some((s) => /^5\d\d$/.test(s.metric['code'] ?? '')),
      JSON.stringify(series.map((s) => s.metric)),
    )

    const gates = await prometheusGates(
      prometheus.url,
      { ...DEFAULT_RULES.signals, selector: `job="${JOB}"` },
      { start, end: Date.now() },
    )
    const ratio = gates.find((g) => g.name === 'canary-5xx-ratio')
    assert.equal(ratio?.decision, 'fail', ratio?.detail)
    assert.ok((ratio?.value as number) > 0.5, ratio?.detail)
    const latency = gates.find((g) => g.name === 'canary-index-p95-seconds')
    assert.equal(typeof latency?.value, 'number', latency?.detail)
    assert.notEqual(latency?.decision, 'inconclusive', latency?.detail)
  })
})
