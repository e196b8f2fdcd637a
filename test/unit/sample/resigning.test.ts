import { test } from 'node:test'
import assert from 'node:assert/strict'
import { resigning } from '../../../src/sample/quay.ts'
import type { LayerBlob } from '../../../src/quay/uris.ts'

test('refresh signs every layer URI again for the blob it was made for', async () => {
  let generation = 0
  const uris = resigning({
    uri: async (blob: LayerBlob) => ({ uri: `https://s3.example/${blob.digest}?sig=${generation}` }),
  })
  const blob = (d: string): LayerBlob => ({
    digest: d,
    casPath: true,
    uuid: d,
    namespace: 'ns',
    repository: 'r',
  })
  const first = await Promise.all(['sha256:aa', 'sha256:bb'].map((d) => uris.uri(blob(d))))
  const manifest = {
    hash: 'sha256:cc',
    layers: [
      ...first.map((u, i) => ({ hash: `sha256:${i}`, uri: u.uri })),
      { hash: 'sha256:ff', uri: 'https://foreign.example/layer' },
    ],
  }
  generation = 1
  const fresh = await uris.refresh(manifest)
  assert.deepEqual(
    fresh.layers.map((l) => l.uri),
    [
      'https://s3.example/sha256:aa?sig=1',
      'https://s3.example/sha256:bb?sig=1',
      'https://foreign.example/layer',
    ],
  )
  generation = 2
  // a refreshed URI can be refreshed again
  assert.equal((await uris.refresh(fresh)).layers[0]!.uri, 'https://s3.example/sha256:aa?sig=2')
})
