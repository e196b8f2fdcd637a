// The older build as production and the newer as the canary (Clair v4.9.0 on claircore v1.5.39 and on v1.5.48;
// see RELEASES for why not v4.8.0). What differs between them on the test images must be found, attributed and
// explained; the two releases' real answers are checked against Quay's schema; and the stand-in is held to the
// real canary: the same requests to both must give the same status codes, headers and body shapes.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { PskSigner } from '../../../src/clair/jwt.ts'
import { checkQuayAnswer, checkQuayContract, type ContractKind } from '../../../src/clair/contract.ts'
import type { IndexReport, Package } from '../../../src/clair/types.ts'
import { buildConfig } from '../../../src/config/config.ts'
import { Secret } from '../../../src/secret.ts'
import { runPipeline, type PipelineOutcome } from '../../../src/pipeline.ts'
import { startClairStandin, type ClairStandin } from '../../../standin/server.ts'
import { quietLogger } from '../../support/log.ts'
import { RELEASES } from '../../support/real-clair/build.ts'
import { realClairUnavailable, startRealStand, type RealStand } from '../../support/real-clair/stand.ts'

const SKIP = realClairUnavailable()
/** A package's `detector` (claircore >= v1.5.49), a vulnerability's `Self` and `Aliases` (v1.5.52). */
const LATER_FIELDS = new Set(['detector', 'Self', 'Aliases'])
const ID_KEYED = new Set(['packages', 'distributions', 'repository', 'environments', 'vulnerabilities'])
ID_KEYED.add('package_vulnerabilities').add('updaters')

/** A report's content without database ids: one line per package in each of its environments. */
function content(report: IndexReport): string[] {
  const lines: string[] = []
  for (const [id, envs] of Object.entries(report.environments ?? {})) {
    const p = report.packages?.[id] as Package
    for (const env of envs) {
      const dist = report.distributions?.[env.distribution_id]
      const repos = (env.repository_ids ?? []).map((r) => report.repository?.[r]?.name ?? '').sort()
      lines.push(
        [
          p.name,
          p.version,
          p.kind,
          p.arch ?? '',
          p.source?.name ?? '',
          p.source?.version ?? '',
          env.package_db,
        ]
          .concat([env.introduced_in, dist?.did ?? '', dist?.version ?? '', repos.join(',')])
          .join('|'),
      )
    }
  }
  return lines.sort()
}

describe('the older build as production, the newer as canary', { skip: SKIP }, () => {
  let stand: RealStand
  let work: string
  let outcome: PipelineOutcome
  before(async () => {
    stand = await startRealStand({ production: RELEASES.older, canary: RELEASES.newer })
    work = await mkdtemp(join(tmpdir(), 'clair-canary-cross-'))
    const inputs: Record<string, string> = { ...stand.inputs, seed: 'cross', 'run-dir': join(work, 'run') }
    const { config } = await buildConfig((key) => inputs[key])
    outcome = await runPipeline(config, { log: quietLogger })
  })
  after(async () => {
    await stand?.close()
    if (work) await rm(work, { recursive: true, force: true })
  })

  const stored = async (side: 'production' | 'canary', suffix: string) => {
    const dir = join(outcome.runDir, 'reports', side)
    const names = (await readdir(dir)).filter((n) => n.endsWith(suffix)).sort()
    return Promise.all(
      names.map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as IndexReport),
    )
  }

  test('the two builds label themselves apart and run different scanner sets', async () => {
    const run = JSON.parse(await readFile(join(outcome.runDir, 'run.json'), 'utf8')) as {
      sides: Record<
        string,
        { index_state?: string; version?: { version?: string; claircore_version?: string } }
      >
    }
    assert.deepEqual(
      [run.sides['production']?.version?.version, run.sides['production']?.version?.claircore_version],
      ['v4.9.0+claircore-v1.5.39', 'v1.5.39'],
    )
    assert.deepEqual(
      [run.sides['canary']?.version?.version, run.sides['canary']?.version?.claircore_version],
      ['v4.9.0', 'v1.5.48'],
    )
    // claircore v1.5.40 reworked the RHEL scanners (rhel-repository-scanner 1.2 -> 3, a RHEL package scanner).
    assert.notEqual(run.sides['production']?.index_state, run.sides['canary']?.index_state)
  })

  test('finds what really differs: the index content is the same, only the JSON encoding changed', async () => {
    const production = await stored('production', '.index.json')
    const canary = await stored('canary', '.index.json')
    assert.equal(production.length, stand.images.length)
    // An independent look at the same reports: package by package, without ids, both sides agree...
    for (const [i, report] of production.entries()) assert.deepEqual(content(canary[i]!), content(report))
    // ...while the wire form differs: claircore v1.5.40 dropped omitempty from normalized_version and cpe.
    const has = (reports: IndexReport[], field: string) =>
      reports.some((r) => Object.values(r.packages ?? {}).some((p) => field in p))
    const missing = (reports: IndexReport[], field: string) =>
      reports.some((r) => Object.values(r.packages ?? {}).some((p) => !(field in p)))
    assert.ok(missing(production, 'cpe') && !missing(canary, 'cpe'))
    assert.ok(has(canary, 'normalized_version') && !missing(canary, 'normalized_version'))
    // The tool finds nothing to blame on the code: an absent field and its empty value mean the same.
    const code = outcome.diffs.flatMap((d) => d.differences.filter((x) => x.attribution === 'code'))
    assert.deepEqual(code, [])
    assert.equal(outcome.result.verdict, 'pass', outcome.result.reasons.join('\n'))
  })

  test("both releases' real answers satisfy Quay's schema", async () => {
    for (const side of ['production', 'canary'] as const) {
      const checks: Array<[ContractKind, unknown[]]> = [
        ['index_report', await stored(side, '.index.json')],
        ['vulnerability_report', await stored(side, '.vuln.json')],
      ]
      for (const [kind, bodies] of checks) {
        assert.ok(bodies.length > 0)
        for (const body of bodies) assert.deepEqual(checkQuayContract(kind, body), [], `${side} ${kind}`)
      }
      const state = await stand.get(side, 'indexer/api/v1/index_state')
      assert.deepEqual(checkQuayContract('index_state', await state.json()), [])
      // Quay records the ETag of POST index_report as the manifest's index state.
      const clair = side === 'production' ? stand.production : stand.canary
      const signer = new PskSigner(new Secret(new Uint8Array(Buffer.from(clair.psk, 'base64'))), 'quay')
      const posted = await fetch(new URL('indexer/api/v1/index_report', clair.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${await signer.token()}` },
        body: JSON.stringify(stand.manifests[0]),
      })
      assert.deepEqual(checkQuayContract('index_report', await posted.json()), [])
      const etag = posted.headers.get('etag')
      assert.deepEqual(checkQuayAnswer('index', { status: posted.status, ...(etag ? { etag } : {}) }), [])
    }
  })

  describe('the stand-in answers as real Clair does', () => {
    let standin: ClairStandin
    before(async () => {
      standin = await startClairStandin({ psk: stand.canary.psk, profile: 'production' })
    })
    after(async () => standin?.close())

    /**
     * A body's shape: keys and JSON types. Id-keyed maps merge the shapes of all their entries and arrays those
     * of their elements, so the shape says which fields a package (or environment, ...) can have and of what type.
     */
    function shape(value: unknown, key = '', depth = 0): unknown {
      if (value === null) return 'null'
      if (Array.isArray(value)) return value.length ? [merge(value.map((v) => shape(v, '', depth + 1)))] : []
      if (typeof value !== 'object') return typeof value
      const entries = Object.entries(value as Record<string, unknown>)
      // Enrichments come from data only the stand-in has (offline real Clair has none): compare the key only.
      if (key === 'enrichments') return 'object'
      if (depth === 1 && ID_KEYED.has(key))
        return entries.length ? { '<key>': merge(entries.map(([, v]) => shape(v, '', depth + 1))) } : {}
      return Object.fromEntries(
        entries
          // Fields of later claircores, which the stand-in carries as Clair's main does and v4.9.0 has not.
          .filter(([k]) => !LATER_FIELDS.has(k))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, shape(v, k, depth + 1)]),
      )
    }

    function merge(shapes: unknown[]): unknown {
      const objects = shapes.filter(
        (s): s is Record<string, unknown> => typeof s === 'object' && !Array.isArray(s),
      )
      if (objects.length === shapes.length) {
        const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))].sort()
        return Object.fromEntries(keys.map((k) => [k, merge(objects.flatMap((o) => (k in o ? [o[k]] : [])))]))
      }
      return [...new Set(shapes.map((s) => JSON.stringify(s)))].sort().join('|')
    }

    async function ask(base: string, method: string, path: string, body?: string, auth = true) {
      const signer = new PskSigner(
        new Secret(new Uint8Array(Buffer.from(stand.canary.psk, 'base64'))),
        'quay',
      )
      // Uncompressed: with gzip or zstd accepted, Clair compresses and sends no Content-Type at all.
      const headers: Record<string, string> = { 'accept-encoding': 'identity' }
      if (auth) headers['authorization'] = `Bearer ${await signer.token()}`
      if (body !== undefined) headers['content-type'] = 'application/json'
      const res = await fetch(new URL(path, base), {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
      })
      const text = await res.text()
      let parsed: unknown = text
      try {
        parsed = JSON.parse(text)
      } catch {
        // a plain-text body is compared as it is
      }
      return {
        status: res.status,
        contentType: res.headers.get('content-type'),
        etag: res.headers.get('etag') !== null,
        location: res.headers.get('location') !== null,
        cacheControl: res.headers.get('cache-control'),
        // update_operation is keyed by updater name, which depends on the data loaded.
        body: path.endsWith('update_operation') ? shape({ updaters: parsed }) : shape(parsed),
      }
    }

    test('status codes, headers and body shapes match', async () => {
      // A Debian image: the stand-in's scanners read dpkg's status file as real Clair does, so both find the
      // same packages and any difference in shape is one of fields, not of content.
      const manifest = stand.manifests.find((_, i) => stand.images[i]!.ecosystems.join() === 'dpkg')!
      const digest = manifest.hash
      const unknown = `sha256:${'f'.repeat(64)}`
      const requests: Array<[string, string, string?, boolean?]> = [
        ['POST', 'indexer/api/v1/index_report', JSON.stringify(manifest)],
        ['GET', `indexer/api/v1/index_report/${digest}`],
        ['GET', `indexer/api/v1/index_report/${unknown}`],
        ['GET', 'indexer/api/v1/index_report/not-a-digest'],
        ['GET', `matcher/api/v1/vulnerability_report/${digest}`],
        ['GET', `matcher/api/v1/vulnerability_report/${unknown}`],
        ['GET', 'indexer/api/v1/index_state'],
        ['GET', 'matcher/api/v1/internal/update_operation'],
        ['GET', 'indexer/api/v1/no-such-route'],
        ['GET', `indexer/api/v1/index_report/${digest}`, undefined, false],
        ['POST', 'indexer/api/v1/index_report', '{"hash":"not-a-digest"}'],
        ['POST', 'indexer/api/v1/index_report', 'not json'],
        ['DELETE', `indexer/api/v1/index_report/${digest}`],
        ['DELETE', `indexer/api/v1/index_report/${digest}`],
      ]
      for (const [method, path, body, auth] of requests) {
        const real = await ask(stand.canary.url, method, path, body, auth)
        const fake = await ask(standin.url, method, path, body, auth)
        assert.deepEqual(fake, real, `${method} ${path}${auth === false ? ' without a token' : ''}`)
      }
    })
  })
})
