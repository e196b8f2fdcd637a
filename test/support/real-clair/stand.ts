// Two real Clairs side by side, as the demo's scenario sets up the stand-ins: one Debian PostgreSQL cluster (a
// database per Clair and one for Quay), the real test images in a Quay database behind S3-presigned layer URLs,
// production already holding an index report of every image (as Quay had made it index them), and each side
// loaded with vulnerability data by its own clairctl.
import { randomBytes } from 'node:crypto'
import { statSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorMessage } from '../../../src/errors.ts'
import { PskSigner } from '../../../src/clair/jwt.ts'
import type { IndexReport, Manifest } from '../../../src/clair/types.ts'
import { Secret } from '../../../src/secret.ts'
import { preindex, quayDatabaseSource } from '../../../demo/scenario.ts'
import { startBlobServer } from '../../../standin/blobs.ts'
import { corpusBlobs, corpusManifests } from '../../../standin/corpus.ts'
import { findPostgresBinDir, startPostgresCluster, type PostgresCluster } from '../debian-postgres.ts'
import { buildClair, RELEASES, type ClairBuild, type ClairRelease } from './build.ts'
import { importUpdates, startClair, type ClairOptions, type RealClair } from './clair.ts'
import { buildRealImages, realImagesUnavailable, type RealImage } from './images.ts'
import { updateOperationsFile } from './vulns.ts'

export interface RealStand {
  cluster: PostgresCluster
  production: RealClair
  canary: RealClair
  images: RealImage[]
  /** The Clair request bodies with plain (unsigned) blob-server URLs. */
  manifests: Manifest[]
  /** The action inputs that point a run at this stand (Quay database sample, S3 layer URLs). */
  inputs: Record<string, string>
  /** Production's index reports of every image, as the vulnerability data was written from them. */
  productionReports: IndexReport[]
  /** GET with a side's PSK (setup and assertions, not the tool). */
  get(side: 'production' | 'canary', path: string): Promise<Response>
  close(): Promise<void>
}

export interface StandOptions {
  production?: ClairRelease
  canary?: ClairRelease
  /** Updaters whose data differs on the canary (another fingerprint, other vulnerabilities). */
  drift?: readonly string[]
  log?: (line: string) => void
}

/**
 * Why real-Clair tests cannot run here, or false. On a developer's machine a missing piece skips them with this
 * line; with CI=true the tests run regardless, so a missing piece fails them loudly.
 */
export function realClairUnavailable(): string | false {
  if (process.env['CI'] === 'true') return false
  if (process.env['CLAIR_CANARY_REAL_CLAIR'] === 'skip') return 'CLAIR_CANARY_REAL_CLAIR=skip'
  if (!findPostgresBinDir()) return 'no Debian PostgreSQL (initdb, postgres): apt-get install postgresql'
  const images = realImagesUnavailable()
  if (images) return images
  if (!(process.env['PATH'] ?? '').split(':').some((dir) => dir && existsSyncSafe(join(dir, 'go'))))
    return 'no Go toolchain on PATH: real Clair is built from the Go module proxy'
  return false
}

function existsSyncSafe(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/**
 * startClair on ports the OS picked: another process may take one between the pick and Clair's bind (test files
 * run side by side), so a port clash is tried again with new ports.
 */
async function startOnFreePorts(build: ClairBuild, options: ClairOptions): Promise<RealClair> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startClair(build, options)
    } catch (error) {
      if (attempt >= 3 || !/is taken|address already in use/.test(errorMessage(error))) throw error
    }
  }
}

export async function startRealStand(options: StandOptions = {}): Promise<RealStand> {
  const closers: Array<() => Promise<void>> = []
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined)
  }
  try {
    const builds: ClairBuild[] = []
    for (const release of [options.production ?? RELEASES.newer, options.canary ?? RELEASES.newer])
      builds.push(await buildClair(release, options.log ? { log: options.log } : {}))
    const bin = findPostgresBinDir()
    if (!bin) throw new Error('no Debian PostgreSQL bin dir (apt-get install postgresql)')
    const cluster = await startPostgresCluster(bin)
    closers.push(() => cluster.stop())
    const psk = randomBytes(32).toString('base64')
    const [productionDb, canaryDb] = await Promise.all([
      cluster.createDatabase('clair_production'),
      cluster.createDatabase('clair_canary'),
    ])
    const [production, canary] = await Promise.all([
      startOnFreePorts(builds[0]!, { database: productionDb, psk }),
      startOnFreePorts(builds[1]!, { database: canaryDb, psk }),
    ])
    closers.push(
      () => production.stop(),
      () => canary.stop(),
    )

    const images = await buildRealImages()
    const blobs = await startBlobServer({ blobs: corpusBlobs(images) })
    closers.push(() => blobs.close())
    const manifests = corpusManifests(images, blobs.url)
    await preindex(production.url, manifests, psk)

    const signer = new PskSigner(new Secret(new Uint8Array(Buffer.from(psk, 'base64'))), 'quay')
    const get = async (side: 'production' | 'canary', path: string) =>
      fetch(new URL(path, side === 'production' ? production.url : canary.url), {
        headers: { authorization: `Bearer ${await signer.token()}` },
      })
    const productionReports: IndexReport[] = []
    for (const m of manifests) {
      // On a busy machine an index can fail (a layer fetch or scan lock that timed out): index it again, as
      // Quay would, before calling the stand broken.
      for (let attempt = 1; ; attempt++) {
        const res = await get('production', `indexer/api/v1/index_report/${m.hash}`)
        const report = (await res.json()) as IndexReport
        if (res.status === 200 && report.success) {
          productionReports.push(report)
          break
        }
        if (attempt >= 3)
          throw new Error(`production did not index ${m.hash}: HTTP ${res.status} ${report.err ?? ''}`)
        options.log?.(`production did not index ${m.hash} (${report.err ?? res.status}); indexing it again`)
        await preindex(production.url, [m], psk)
      }
    }

    const dir = await mkdtemp(join(tmpdir(), 'clair-canary-vulns-'))
    closers.push(() => rm(dir, { recursive: true, force: true }))
    const base = join(dir, 'updates.jsonl')
    await writeFile(base, updateOperationsFile(productionReports))
    await importUpdates(production, base)
    if (options.drift?.length) {
      const drifted = join(dir, 'updates-drift.jsonl')
      await writeFile(drifted, updateOperationsFile(productionReports, { drift: options.drift }))
      await importUpdates(canary, drifted)
    } else {
      await importUpdates(canary, base)
    }

    // The tests judge content and errors; a shared machine's timings are not behaviour, so the latency
    // gates are set out of reach.
    const rules = join(dir, 'rules.yml')
    await writeFile(
      rules,
      'gates:\n  latency:\n    maxRatio: { p50: 1000, p95: 1000, p99: 1000 }\n    minEffect: 1000\n',
    )
    const quayDb = await cluster.createDatabase('quay')
    const source = await quayDatabaseSource(images, closers, { url: quayDb, stop: async () => undefined })
    return {
      cluster,
      production,
      canary,
      images,
      manifests,
      productionReports,
      get,
      inputs: {
        'canary-url': canary.url,
        'canary-introspection-url': canary.introspectionUrl,
        'canary-psk': psk,
        'production-url': production.url,
        'production-introspection-url': production.introspectionUrl,
        'ready-timeout': '60',
        'sample-size': String(images.length),
        rate: '20',
        concurrency: '4',
        'production-rate': '50',
        'reread-fraction': '0.2',
        checks: 'false',
        artifacts: 'false',
        rules,
        ...source,
      },
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
