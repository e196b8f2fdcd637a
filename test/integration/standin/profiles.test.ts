import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { fetch } from 'undici'
import type {
  IndexReport,
  Manifest,
  UpdateOperations,
  VulnerabilityReport,
} from '../../../src/clair/types.ts'
import { startBlobServer, type BlobServer } from '../../../standin/blobs.ts'
import { corpusBlobs, corpusManifests, generateCorpus } from '../../../standin/corpus.ts'
import { PROFILES, resolveProfile } from '../../../standin/profiles.ts'
import { hashFraction } from '../../../standin/rng.ts'
import { startClairStandin, type ClairStandin } from '../../../standin/server.ts'
import { clair, matchKeys, packageKeys, post } from './helpers.ts'

const images = generateCorpus({ seed: 'profiles-it', count: 40 })
const regressed = resolveProfile('regression')

/** What the regression profile does to one production package key. */
function plantedRegression(key: string): string | undefined {
  if (key.includes('python:')) return undefined
  if (key.includes('var/lib/dpkg/status')) return key.replace(/^(\S+) \d+:/, '$1 ').replace(/\/\d+:/, '/')
  return key
}

describe('demo vs production differ exactly in the planted ways', () => {
  let blobs: BlobServer
  let production: ClairStandin
  let demo: ClairStandin
  let manifests: Manifest[]
  before(async () => {
    blobs = await startBlobServer({ blobs: corpusBlobs(images) })
    ;[production, demo] = await Promise.all([
      startClairStandin({ seed: 'v', profile: 'production' }),
      startClairStandin({ seed: 'v', profile: 'demo' }),
    ])
    manifests = corpusManifests(images, blobs.url)
  })
  after(async () => {
    await Promise.all([production.close(), demo.close(), blobs.close()])
  })

  test('the index state is the same: the regression hides behind unchanged scanner versions', async () => {
    const [a, b] = await Promise.all(
      [production, demo].map(async (s) => (await clair(s.url, '/indexer/api/v1/index_state')).json()),
    )
    assert.deepEqual(a, b)
  })

  test('python packages vanish, dpkg epochs are lost, a deterministic few fail with IndexError, nothing else', async () => {
    let failures = 0
    let droppedPython = 0
    for (const m of manifests) {
      const p = await post(production.url, m)
      const d = await post(demo.url, m)
      assert.equal(p.status, 201)
      const expectError = hashFraction('index-error', m.hash) < (regressed.indexErrorFraction ?? 0)
      if (expectError) {
        failures++
        assert.equal(d.status, 500)
        const stored = (await clair(demo.url, `/indexer/api/v1/index_report/${m.hash}`)).json() as IndexReport
        assert.equal(stored.state, 'IndexError')
        continue
      }
      assert.equal(d.status, 201)
      const before = packageKeys(p.json() as IndexReport)
      const after = packageKeys(d.json() as IndexReport)
      droppedPython += before.filter((k) => k.includes('python:')).length
      assert.deepEqual(after, before.flatMap((k) => plantedRegression(k) ?? []).sort(), m.hash)
    }
    assert.ok(droppedPython > 0, 'the corpus has python packages to lose')
    assert.equal(
      failures,
      manifests.filter((m) => hashFraction('index-error', m.hash) < (regressed.indexErrorFraction ?? 0))
        .length,
    )
  })

  test('only debian-updater drifts: its fingerprint differs, and matches differ only for it, python and dpkg', async () => {
    const [pOps, dOps] = await Promise.all(
      [production, demo].map(
        async (s) =>
          (
            await clair(s.url, '/matcher/api/v1/internal/update_operation?latest=true')
          ).json() as UpdateOperations,
      ),
    )
    const differing = Object.keys(pOps ?? {}).filter(
      (u) => pOps?.[u]?.[0]?.fingerprint !== dOps?.[u]?.[0]?.fingerprint,
    )
    assert.deepEqual(differing, ['debian-updater'])
    let debianDiffers = false
    for (const m of manifests) {
      const [pv, dv] = await Promise.all(
        [production, demo].map((s) => clair(s.url, `/matcher/api/v1/vulnerability_report/${m.hash}`)),
      )
      if (dv?.status !== 200) continue
      const untouched = (k: string) => !/\| (debian-updater|ubuntu\/updater|pyupio|osv\/pypi) /.test(k)
      const pk = matchKeys(pv?.json() as VulnerabilityReport)
      const dk = matchKeys(dv.json() as VulnerabilityReport)
      assert.deepEqual(dk.filter(untouched), pk.filter(untouched), m.hash)
      assert.deepEqual(
        dk.filter((k) => /\| (pyupio|osv\/pypi) /.test(k)),
        [],
        'no python packages, no python matches',
      )
      if (
        pk.filter((k) => k.includes('| debian-updater ')).join() !==
        dk.filter((k) => k.includes('| debian-updater ')).join()
      ) {
        debianDiffers = true
      }
    }
    assert.ok(debianDiffers)
  })
})

describe('other profiles', () => {
  let blobs: BlobServer
  before(async () => {
    blobs = await startBlobServer({ blobs: corpusBlobs(images) })
  })
  after(async () => {
    await blobs.close()
  })

  test('every named profile is plain data and starts', async () => {
    for (const [name, profile] of Object.entries(PROFILES)) {
      assert.equal(profile.name, name)
      assert.deepEqual(JSON.parse(JSON.stringify(profile)), profile)
    }
    assert.throws(() => resolveProfile('nope'), /unknown stand-in profile "nope"/)
  })

  test('clean: same content and index state as production', async () => {
    const [p, c] = await Promise.all([
      startClairStandin({ profile: 'production' }),
      startClairStandin({ profile: 'clean' }),
    ])
    try {
      for (const m of corpusManifests(images, blobs.url).slice(0, 8)) {
        await Promise.all([post(p.url, m), post(c.url, m)])
        const [pv, cv] = await Promise.all(
          [p, c].map((s) => clair(s.url, `/matcher/api/v1/vulnerability_report/${m.hash}`)),
        )
        assert.deepEqual(
          matchKeys(cv?.json() as VulnerabilityReport),
          matchKeys(pv?.json() as VulnerabilityReport),
        )
        assert.deepEqual(
          packageKeys(cv?.json() as VulnerabilityReport),
          packageKeys(pv?.json() as VulnerabilityReport),
        )
      }
    } finally {
      await Promise.all([p.close(), c.close()])
    }
  })

  test('scanner-upgrade: a new index state and only added python packages', async () => {
    const [p, u] = await Promise.all([
      startClairStandin({ profile: 'production' }),
      startClairStandin({ profile: 'scanner-upgrade' }),
    ])
    try {
      const [ps, us] = await Promise.all(
        [p, u].map(async (s) => (await clair(s.url, '/indexer/api/v1/index_state')).json()),
      )
      assert.notDeepEqual(ps, us)
      let added = 0
      for (const m of corpusManifests(images, blobs.url)) {
        const [a, b] = await Promise.all([post(p.url, m), post(u.url, m)])
        const before = packageKeys(a.json() as IndexReport)
        const after = packageKeys(b.json() as IndexReport)
        const extra = after.filter((k) => !before.includes(k))
        for (const k of extra) assert.match(k, /python:/)
        added += extra.length
        assert.ok(before.every((k) => after.includes(k)))
      }
      assert.ok(added > 0)
    } finally {
      await Promise.all([p.close(), u.close()])
    }
  })

  test('nondeterministic: a field flips between reads of the same report', async () => {
    const s = await startClairStandin({
      profile: { name: 'flippy', description: 'every package flips', flipFraction: 1 },
    })
    try {
      const m = corpusManifests(images, blobs.url)[0] as Manifest
      await post(s.url, m)
      const reads = new Set<string>()
      for (let i = 0; i < 6; i++) {
        reads.add(
          packageKeys(
            (await clair(s.url, `/indexer/api/v1/index_report/${m.hash}`)).json() as IndexReport,
          ).join('\n'),
        )
      }
      assert.ok(reads.size > 1)
    } finally {
      await s.close()
    }
  })

  test('faulty: HTML pages, empty 401s, truncated bodies and resets', async () => {
    const s = await startClairStandin({
      profile: {
        name: 'all-faults',
        description: '',
        faults: { html: 0.25, emptyUnauthorized: 0.25, truncated: 0.25, reset: 0.25 },
      },
    })
    const seen = new Set<string>()
    try {
      for (let i = 0; i < 60; i++) {
        try {
          const res = await fetch(`${s.url}/indexer/api/v1/index_state`)
          const type = res.headers.get('content-type') ?? ''
          try {
            const body = await res.text()
            if (res.status === 502 && type.startsWith('text/html') && body.startsWith('<html>'))
              seen.add('html')
            else if (res.status === 401 && body === '') seen.add('401')
            else seen.add(`other ${res.status}`)
          } catch {
            seen.add('truncated')
          }
        } catch {
          seen.add('reset')
        }
      }
    } finally {
      await s.close()
    }
    assert.deepEqual([...seen].sort(), ['401', 'html', 'reset', 'truncated'])
  })
})
