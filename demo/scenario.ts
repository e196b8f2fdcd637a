// A local Clair scenario: blob server with a synthetic corpus, a production stand-in that has already indexed
// every manifest (as Quay had), and a canary stand-in running a chosen profile. Used by the demo and the
// integration tests, so both exercise exactly the same setup.
import { randomBytes } from 'node:crypto'
import { PskSigner } from '../src/clair/jwt.ts'
import { Secret } from '../src/config/secret.ts'
import { startBlobServer } from '../standin/blobs.ts'
import { corpusBlobs, corpusManifests, generateCorpus } from '../standin/corpus.ts'
import { startClairStandin } from '../standin/server.ts'
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
}): Promise<Scenario> {
  const psk = randomBytes(32).toString('base64')
  const images = generateCorpus({ seed: opts.corpusSeed ?? 'clair-canary-demo', count: opts.count })
  const closers: Array<() => Promise<void>> = []
  try {
    const blobs = await startBlobServer({ blobs: corpusBlobs(images) })
    closers.push(() => blobs.close())
    const limit = opts.concurrencyLimit !== undefined ? { concurrencyLimit: opts.concurrencyLimit } : {}
    // The same seed on both sides: one vulnerability database, as two deployments of one Clair would have.
    const production = await startClairStandin({ psk, seed: 'demo-vulndb', profile: 'production', ...limit })
    closers.push(() => production.close())
    const canary = await startClairStandin({
      psk,
      seed: 'demo-vulndb',
      profile: opts.canaryProfile,
      revision: CANARY_REVISION,
      ...limit,
    })
    closers.push(() => canary.close())
    const manifests = corpusManifests(images, blobs.url)
    await preindex(production.url, manifests, psk)
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

/** Seeds the production stand-in directly: setup, not the tool (the tool never writes to production). */
async function preindex(url: string, manifests: Manifest[], psk: string): Promise<void> {
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
