import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  buildClairManifest,
  EMPTY_LAYER_DIGEST,
  layersFromConfigHistory,
  MEDIA_TYPES,
  parseManifestBytes,
  type ParsedManifest,
} from '../../../src/quay/manifest.ts'
import { allocate } from '../../../src/quay/drawer.ts'
import { distributionHint, mediaTypeStratum } from '../../../src/quay/strata.ts'
import { templateUriBuilder } from '../../../src/quay/uris.ts'

const d = (c: string) => `sha256:${c.repeat(64)}`
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip'

function oci(layers: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.oci,
    config: { digest: d('c'), size: 1 },
    layers,
    ...extra,
  })
}

function parsed(mediaType: string, bytes: string): ParsedManifest {
  const result = parseManifestBytes(mediaType, bytes)
  assert.ok(result.ok, JSON.stringify(result))
  return result.value
}

describe('parseManifestBytes', () => {
  it('skips what Quay skips, with a reason', () => {
    const reason = (mediaType: string, bytes: string) => {
      const r = parseManifestBytes(mediaType, bytes)
      return r.ok ? 'ok' : r.reason
    }
    assert.equal(reason(MEDIA_TYPES.schema2List, '{}'), 'manifest_list')
    assert.equal(reason(MEDIA_TYPES.ociIndex, '{}'), 'manifest_list')
    assert.equal(reason('application/vnd.cncf.helm.config.v1+json', '{}'), 'unknown_media_type')
    assert.equal(reason(MEDIA_TYPES.oci, '{"schemaVersion": 2,'), 'not_json')
    assert.equal(reason(MEDIA_TYPES.oci, '[]'), 'malformed')
    assert.equal(reason(MEDIA_TYPES.oci, oci([])), 'no_layers')
    assert.equal(
      reason(
        MEDIA_TYPES.oci,
        oci([{ mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: d('1') }]),
      ),
      'not_container',
    )
    assert.equal(reason(MEDIA_TYPES.oci, oci([{ mediaType: OCI_LAYER, digest: 'md5:abc' }])), 'malformed')
    // Docker schema2 layers are container layers whatever they say (Quay's DockerV2ManifestImageLayer).
    assert.equal(reason(MEDIA_TYPES.schema2, oci([{ mediaType: 'anything', digest: d('1') }])), 'ok')
  })

  it('orders schema1 layers base first (fsLayers run leaf first)', () => {
    const bytes = JSON.stringify({
      schemaVersion: 1,
      fsLayers: [{ blobSum: d('3') }, { blobSum: d('2') }, { blobSum: d('1') }],
    })
    assert.deepEqual(
      parsed(MEDIA_TYPES.schema1Signed, bytes).layers.map((l) => l.digest),
      [d('1'), d('2'), d('3')],
    )
  })

  it('keeps foreign layer URLs', () => {
    const p = parsed(
      MEDIA_TYPES.schema2,
      oci([
        {
          mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
          digest: d('1'),
          urls: ['https://mcr/x'],
        },
      ]),
    )
    assert.deepEqual(p.layers, [{ digest: d('1'), urls: ['https://mcr/x'] }])
  })
})

describe('layersFromConfigHistory', () => {
  const p = parsed(
    MEDIA_TYPES.oci,
    oci([
      { mediaType: OCI_LAYER, digest: d('1') },
      { mediaType: OCI_LAYER, digest: d('2') },
    ]),
  )

  it("puts Quay's empty layer where the history has empty_layer", () => {
    const config = JSON.stringify({
      history: [{ empty_layer: true }, {}, { empty_layer: true }, {}, { empty_layer: true }],
    })
    assert.deepEqual(
      layersFromConfigHistory(p, config)?.map((l) => l.digest),
      [EMPTY_LAYER_DIGEST, d('1'), EMPTY_LAYER_DIGEST, d('2'), EMPTY_LAYER_DIGEST],
    )
  })

  it('uses layers[] without a history; refuses and drops exactly where Quay does', () => {
    assert.deepEqual(layersFromConfigHistory(p, '{}'), p.layers)
    // Less history than layers: MalformedOCIManifest / MalformedSchema2Manifest.
    assert.equal(layersFromConfigHistory(p, JSON.stringify({ history: [{}] })), undefined)
    // A non-empty entry past the last layer: "Missing history entry".
    assert.equal(layersFromConfigHistory(p, JSON.stringify({ history: [{}, {}, {}] })), undefined)
    // Enough entries, but too few non-empty ones: Quay's loop ends and the last layer is dropped.
    assert.deepEqual(
      layersFromConfigHistory(p, JSON.stringify({ history: [{}, { empty_layer: true }] }))?.map(
        (l) => l.digest,
      ),
      [d('1'), EMPTY_LAYER_DIGEST],
    )
    assert.equal(layersFromConfigHistory(p, 'not json'), undefined)
  })
})

describe('manifests as Quay parses them', () => {
  it('expands history only for an OCI image config (is_image_manifest)', () => {
    const layer = { mediaType: OCI_LAYER, digest: d('1') }
    assert.equal(parsed(MEDIA_TYPES.oci, oci([layer])).imageConfig, false)
    const image = oci([layer], {
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('c'), size: 1 },
    })
    assert.equal(parsed(MEDIA_TYPES.oci, image).imageConfig, undefined)
    assert.equal(parsed(MEDIA_TYPES.schema2, oci([layer])).imageConfig, undefined)
  })

  it('decides a foreign layer by its media type, not by urls', () => {
    const urls = ['https://mcr/x']
    // A distributable layer with urls is still fetched from storage.
    assert.deepEqual(parsed(MEDIA_TYPES.oci, oci([{ mediaType: OCI_LAYER, digest: d('1'), urls }])).layers, [
      { digest: d('1') },
    ])
    const nondistributable = 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip'
    assert.deepEqual(
      parsed(MEDIA_TYPES.oci, oci([{ mediaType: nondistributable, digest: d('1'), urls }])).layers,
      [{ digest: d('1'), urls }],
    )
    // A foreign layer without urls: Quay refuses the manifest ("missing `urls` for remote layer").
    const refused = parseManifestBytes(
      MEDIA_TYPES.oci,
      oci([{ mediaType: nondistributable, digest: d('1') }]),
    )
    assert.equal(refused.ok ? 'ok' : refused.reason, 'malformed')
  })
})

describe('buildClairManifest', () => {
  const uris = templateUriBuilder('http://b/{namespace}/{repository}/{digest}')
  const blob = (c: string) => ({ digest: d(c), casPath: true, uuid: c })

  it('resolves blobs, the global empty layer and foreign URLs, with Accept: application/gzip', async () => {
    const built = await buildClairManifest(
      {
        digest: d('f'),
        namespace: 'ns',
        repository: 'repo',
        layers: [
          { digest: EMPTY_LAYER_DIGEST },
          { digest: d('1') },
          { digest: d('2'), urls: ['https://foreign/2'] },
        ],
        blobs: new Map([[d('1'), blob('1')]]),
        emptyLayer: { digest: EMPTY_LAYER_DIGEST, casPath: true, uuid: 'e' },
      },
      uris,
    )
    assert.ok(built.ok)
    // The storage identity of every stored blob, for signing again; the foreign layer has none.
    assert.deepEqual(built.value.storage, {
      [EMPTY_LAYER_DIGEST]: { cas_path: true, uuid: 'e' },
      [d('1')]: { cas_path: true, uuid: '1' },
    })
    assert.deepEqual(built.value.manifest.layers, [
      {
        hash: EMPTY_LAYER_DIGEST,
        uri: `http://b/ns/repo/${EMPTY_LAYER_DIGEST}`,
        headers: { Accept: ['application/gzip'] },
      },
      { hash: d('1'), uri: `http://b/ns/repo/${d('1')}`, headers: { Accept: ['application/gzip'] } },
      { hash: d('2'), uri: 'https://foreign/2', headers: { Accept: ['application/gzip'] } },
    ])
  })

  it('skips a manifest whose layer has no storage row', async () => {
    const built = await buildClairManifest(
      { digest: d('f'), namespace: 'ns', repository: 'r', layers: [{ digest: d('1') }], blobs: new Map() },
      uris,
    )
    assert.equal(built.ok ? 'ok' : built.reason, 'missing_blob')
  })
})

describe('strata', () => {
  it('allocates round-robin over sorted strata, capped, in draw order', () => {
    const items = [
      ...Array.from({ length: 10 }, (_, i) => ({ stratum: 'oci', order: i })),
      { stratum: 'docker_v1', order: 10 },
      ...Array.from({ length: 5 }, (_, i) => ({ stratum: 'docker_v2', order: 11 + i })),
    ]
    const chosen = allocate(items, 7)
    assert.deepEqual(chosen.map((c) => c.stratum).sort(), [
      'docker_v1',
      'docker_v2',
      'docker_v2',
      'docker_v2',
      'oci',
      'oci',
      'oci',
    ])
    assert.deepEqual(
      chosen.map((c) => c.order),
      [...chosen.map((c) => c.order)].sort((a, b) => a - b),
    )
    assert.equal(allocate(items, 100, 2).length, 5)
  })

  it('names media types and derives a cheap distribution hint', () => {
    assert.equal(mediaTypeStratum(MEDIA_TYPES.schema1Signed), 'docker_v1')
    const annotated = parsed(
      MEDIA_TYPES.oci,
      oci([{ mediaType: OCI_LAYER, digest: d('1') }], {
        annotations: { 'org.opencontainers.image.base.name': 'registry.access.redhat.com/ubi9:latest' },
      }),
    )
    assert.equal(distributionHint(annotated, 'my-app'), 'rhel')
    const plain = parsed(MEDIA_TYPES.oci, oci([{ mediaType: OCI_LAYER, digest: d('1') }]))
    assert.equal(distributionHint(plain, 'alpine-tools'), 'alpine')
    assert.equal(distributionHint(plain, 'my-app'), 'unknown')
  })
})
