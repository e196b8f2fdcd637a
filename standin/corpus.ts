// Deterministic synthetic container images: real gzip'd tar layers holding the files a scanner
// reads, docker schema2 or OCI manifests, and config blobs whose history drives Quay's layer list.
import { gzipSync } from 'node:zlib'
import type { Manifest } from '../src/clair/types.ts'
import {
  DISTRIBUTIONS,
  GO_TOOLCHAINS,
  LANGUAGES,
  languageCatalogue,
  osCatalogue,
  type CatalogueEntry,
  type DistributionSpec,
  type Ecosystem,
  type Language,
} from './catalogue.ts'
import { seededRng, sha256Digest, type Rng } from './rng.ts'
import { writeTar, type TarFile } from './tar.ts'

export const DOCKER_SCHEMA2_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
export const OCI_IMAGE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

/**
 * Quay sends this blob for every `empty_layer` history entry (image/docker/schema2 EMPTY_LAYER_BLOB_DIGEST).
 * EMPTY_LAYER_BLOB below is the exact 32-byte gzip of an empty tar that hashes to it.
 */
export const EMPTY_LAYER_BLOB_DIGEST =
  'sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4'
export const EMPTY_LAYER_BLOB = Buffer.from([
  31, 139, 8, 0, 0, 9, 110, 136, 0, 255, 98, 24, 5, 163, 96, 20, 140, 88, 0, 8, 0, 0, 255, 255, 46, 175, 181,
  239, 0, 4, 0, 0,
])

/**
 * The rpm database stand-in: real images carry a binary rpmdb (sqlite or bdb), which the stand-in
 * cannot usefully read, so rpm images carry this text file instead. Format: '#' comment lines, then
 * one package per line: NAME \t [EPOCH:]VERSION-RELEASE \t ARCH \t SOURCERPM \t MODULE.
 */
export const RPM_DB_STANDIN = 'var/lib/rpm/rpmdb.clair-standin'

/** Go binaries are represented by the text `go version -m` prints for them, in `<binary>.go-buildinfo`. */
export const GO_BUILDINFO_SUFFIX = '.go-buildinfo'

export interface CorpusLayer {
  digest: string
  bytes: Buffer
  size: number
}

export interface CorpusImage {
  namespace: string
  repository: string
  tag: string
  /** DOCKER_SCHEMA2_MANIFEST or OCI_IMAGE_MANIFEST. */
  mediaType: string
  manifestBytes: Buffer
  /** sha256 of manifestBytes. */
  digest: string
  config: { digest: string; bytes: Buffer }
  /** The manifest's layers (base first); empty_layer history entries have no blob here. */
  layers: CorpusLayer[]
  /** DistributionSpec key, e.g. "debian-12". */
  distribution: string
  /** The package manager first, then the languages installed, e.g. ["dpkg", "python"]. */
  ecosystems: Ecosystem[]
}

interface LayerPlan {
  layer: CorpusLayer
  diffId: string
  createdBy: string
}

interface HistoryEntry {
  created: string
  created_by: string
  empty_layer?: boolean
}

function layerOf(files: TarFile[], createdBy: string): LayerPlan {
  const tarBytes = writeTar(files)
  const bytes = gzipSync(tarBytes, { level: 6 })
  return {
    layer: { digest: sha256Digest(bytes), bytes, size: bytes.length },
    diffId: sha256Digest(tarBytes),
    createdBy,
  }
}

function osReleaseFile(dist: DistributionSpec): string {
  return Object.entries(dist.osRelease)
    .map(([k, v]) => `${k}=${/^[A-Za-z0-9._-]+$/.test(v) ? v : JSON.stringify(v)}`)
    .join('\n')
}

interface Installed {
  entry: CatalogueEntry
  version: string
}

function packageDbFiles(dist: DistributionSpec, installed: Installed[]): TarFile[] {
  if (dist.packageManager === 'dpkg') {
    const stanzas = installed.map(({ entry, version }) =>
      [
        `Package: ${entry.name}`,
        'Status: install ok installed',
        'Priority: optional',
        `Architecture: ${dist.arch}`,
        ...(entry.source && entry.source !== entry.name ? [`Source: ${entry.source}`] : []),
        `Version: ${version}`,
        `Description: ${entry.name} (synthetic)`,
      ].join('\n'),
    )
    return [{ path: 'var/lib/dpkg/status', content: stanzas.join('\n\n') + '\n' }]
  }
  if (dist.packageManager === 'apk') {
    const records = installed.map(({ entry, version }) =>
      [`P:${entry.name}`, `V:${version}`, `A:${dist.arch}`, `o:${entry.source ?? entry.name}`, 'L:MIT'].join(
        '\n',
      ),
    )
    return [{ path: 'lib/apk/db/installed', content: records.join('\n\n') + '\n' }]
  }
  const lines = installed.map(({ entry, version }) => {
    const srpm = `${entry.source ?? entry.name}-${version.replace(/^\d+:/, '')}.src.rpm`
    return [entry.name, version, entry.noarch ? 'noarch' : dist.arch, srpm, ''].join('\t')
  })
  const files: TarFile[] = [
    {
      path: RPM_DB_STANDIN,
      content: `# clair-canary rpm database stand-in (real images carry a binary rpmdb)\n${lines.join('\n')}\n`,
    },
  ]
  if (dist.contentSets) {
    files.push({
      path: 'root/buildinfo/content_manifests/ubi9-container.json',
      content: JSON.stringify({ metadata: { icm_version: 1 }, content_sets: dist.contentSets }),
    })
  }
  return files
}

function pickInstalled(rng: Rng, catalogue: CatalogueEntry[], min: number, max: number): Installed[] {
  const count = Math.min(catalogue.length, rng.int(min, max))
  return rng
    .shuffle(catalogue)
    .slice(0, count)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => ({ entry, version: entry.versions[rng.int(0, entry.versions.length - 1)] as string }))
}

export function sitePackages(dist: DistributionSpec): string {
  return dist.key === 'rhel-9' ? 'usr/lib/python3.9/site-packages' : 'usr/local/lib/python3.11/site-packages'
}

function pythonFiles(dist: DistributionSpec, installed: Installed[], eggs: Installed[]): TarFile[] {
  const dir = sitePackages(dist)
  const meta = (i: Installed): string =>
    `Metadata-Version: 2.1\nName: ${i.entry.name}\nVersion: ${i.version}\nSummary: ${i.entry.name} (synthetic)\n`
  return [
    ...installed.map((i) => ({
      path: `${dir}/${i.entry.name}-${i.version}.dist-info/METADATA`,
      content: meta(i),
    })),
    // Older setuptools installs: only a scanner that also reads egg-info sees these.
    ...eggs.map((i) => ({
      path: `${dir}/${i.entry.name}-${i.version}-py3.11.egg-info/PKG-INFO`,
      content: meta(i),
    })),
  ]
}

function goFiles(rng: Rng, app: string, module: string): TarFile[] {
  const deps = pickInstalled(rng, languageCatalogue('go'), 3, 8)
  const toolchain = rng.pick(GO_TOOLCHAINS)
  const lines = [
    `usr/local/bin/${app}: go${toolchain}`,
    `\tpath\t${module}`,
    `\tmod\t${module}\t(devel)\t`,
    ...deps.map((d) => `\tdep\t${d.entry.name}\t${d.version}\th1:${rng.hex(8)}=`),
    '\tbuild\t-compiler=gc',
    '\tbuild\tCGO_ENABLED=0',
  ]
  return [
    { path: `usr/local/bin/${app}${GO_BUILDINFO_SUFFIX}`, content: lines.join('\n') + '\n' },
    { path: `usr/local/bin/${app}`, content: `#!/bin/sh\n# stand-in for the ${app} Go binary\n` },
  ]
}

function javaFiles(rng: Rng, app: string): TarFile[] {
  return pickInstalled(rng, languageCatalogue('java'), 2, 6).map(({ entry, version }) => {
    const [group, artifact] = entry.name.split(':') as [string, string]
    // A jar is a zip; here it is a directory of that name holding what the jar would.
    const jar = `opt/${app}/lib/${artifact}-${version}.jar`
    return {
      path: `${jar}/META-INF/maven/${group}/${artifact}/pom.properties`,
      content: `#Generated by Maven\ngroupId=${group}\nartifactId=${artifact}\nversion=${version}\n`,
    }
  })
}

const NAMESPACES = ['acme', 'quay-ci', 'platform', 'payments', 'data-eng', 'library', 'sre-tools', 'ml-team']
const WORDS = [
  'api',
  'worker',
  'gateway',
  'web',
  'batch',
  'auth',
  'search',
  'ingest',
  'billing',
  'proxy',
  'cron',
]
const DIST_WEIGHTS: ReadonlyArray<[string, number]> = [
  ['debian-12', 3],
  ['debian-11', 2],
  ['ubuntu-22.04', 2],
  ['alpine-3.19', 2],
  ['rhel-9', 2],
]

function weightedDistribution(rng: Rng): DistributionSpec {
  const total = DIST_WEIGHTS.reduce((s, [, w]) => s + w, 0)
  let roll = rng.next() * total
  for (const [key, w] of DIST_WEIGHTS) {
    roll -= w
    if (roll < 0) return DISTRIBUTIONS.find((d) => d.key === key) as DistributionSpec
  }
  return DISTRIBUTIONS[0] as DistributionSpec
}

/** Generates `count` images from `seed`; the same arguments always give byte-identical images. */
export function generateCorpus(opts: { seed: string; count: number }): CorpusImage[] {
  const { seed, count } = opts
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`corpus count must be a non-negative integer, got ${count}`)
  const rng = seededRng(`corpus:${seed}`)
  // Shared layers, built once: two base builds per distribution and one Python runtime layer.
  const shared = new Map<string, { plan: LayerPlan; installed: Installed[] }>()
  const sharedLayer = (key: string, build: () => { plan: LayerPlan; installed: Installed[] }) => {
    let hit = shared.get(key)
    if (!hit) {
      hit = build()
      shared.set(key, hit)
    }
    return hit
  }
  const images: CorpusImage[] = []
  const epoch = Date.UTC(2024, 0, 1)
  for (let index = 0; index < count; index++) {
    const dist = weightedDistribution(rng)
    const variant = rng.int(0, 1)
    const base = sharedLayer(`base:${dist.key}:${variant}`, () => {
      const brng = seededRng(`base:${seed}:${dist.key}:${variant}`)
      const installed = pickInstalled(brng, osCatalogue(dist), 8, 14)
      const files = [
        { path: 'etc/os-release', content: osReleaseFile(dist) + '\n' },
        ...packageDbFiles(dist, installed),
      ]
      return { plan: layerOf(files, `/bin/sh -c #(nop) ADD file:${brng.hex(32)} in / `), installed }
    })
    const plans: LayerPlan[] = [base.plan]
    const ecosystems: Ecosystem[] = [dist.packageManager]
    const app = `${rng.pick(WORDS)}-${index}`
    const namespace = rng.pick(NAMESPACES)

    if (rng.chance(0.35)) {
      // An OS update layer rewrites the package database: some upgrades, one or two additions.
      const catalogue = osCatalogue(dist)
      const byName = new Map(base.installed.map((i) => [i.entry.name, i]))
      for (const extra of pickInstalled(rng, catalogue, 1, 2))
        if (!byName.has(extra.entry.name)) byName.set(extra.entry.name, extra)
      const updated = [...byName.values()]
        .map((i) => {
          const at = i.entry.versions.indexOf(i.version)
          return rng.chance(0.3) && at < i.entry.versions.length - 1
            ? { entry: i.entry, version: i.entry.versions[at + 1] as string }
            : i
        })
        .sort((a, b) => a.entry.name.localeCompare(b.entry.name))
      plans.push(layerOf(packageDbFiles(dist, updated), `/bin/sh -c update packages # ${app}`))
    }

    const languages = rng.shuffle<Language>(LANGUAGES).filter(() => rng.chance(0.4))
    for (const language of LANGUAGES.filter((l) => languages.includes(l))) {
      ecosystems.push(language)
      if (language === 'python') {
        if (rng.chance(0.5)) {
          plans.push(
            sharedLayer(`python-runtime:${dist.key}`, () => {
              const prng = seededRng(`python-runtime:${seed}:${dist.key}`)
              const runtime = languageCatalogue('python').filter((e) =>
                ['pip', 'setuptools', 'wheel'].includes(e.name),
              )
              const installed = runtime.map((entry) => ({ entry, version: prng.pick(entry.versions) }))
              return {
                plan: layerOf(pythonFiles(dist, installed, []), '/bin/sh -c python3 -m ensurepip'),
                installed,
              }
            }).plan,
          )
        }
        const installed = pickInstalled(rng, languageCatalogue('python'), 2, 7)
        const eggs = rng.chance(0.3) ? pickInstalled(rng, languageCatalogue('python'), 1, 1) : []
        plans.push(
          layerOf(pythonFiles(dist, installed, eggs), `/bin/sh -c pip install -r requirements.txt # ${app}`),
        )
      } else if (language === 'go') {
        plans.push(
          layerOf(
            goFiles(rng, app, `example.com/${namespace}/${app}`),
            `COPY ${app} /usr/local/bin/ # buildkit`,
          ),
        )
      } else {
        plans.push(layerOf(javaFiles(rng, app), `COPY target/lib /opt/${app}/lib # buildkit`))
      }
    }

    // Docker-built images record metadata instructions as empty_layer history entries.
    const withEmpty = rng.chance(0.2)
    const history: HistoryEntry[] = []
    const created = (i: number) => new Date(epoch + index * 3_600_000 + i * 1000).toISOString()
    plans.forEach((plan, i) => {
      history.push({ created: created(i), created_by: plan.createdBy })
      if (withEmpty && i === 0)
        history.push({
          created: created(i),
          created_by: '/bin/sh -c #(nop)  CMD ["bash"]',
          empty_layer: true,
        })
    })
    if (withEmpty) {
      history.push(
        {
          created: created(plans.length),
          created_by: `/bin/sh -c #(nop)  ENV APP=${app}`,
          empty_layer: true,
        },
        {
          created: created(plans.length),
          created_by: `/bin/sh -c #(nop)  ENTRYPOINT ["/usr/local/bin/${app}"]`,
          empty_layer: true,
        },
      )
    }
    const tag = `v1.${index}.${rng.int(0, 9)}`
    const config = {
      architecture: 'amd64',
      os: 'linux',
      created: created(plans.length),
      config: {
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        Labels: { 'io.clair-canary.image': `${namespace}/${app}:${tag}` },
      },
      rootfs: { type: 'layers', diff_ids: plans.map((p) => p.diffId) },
      history,
    }
    const oci = rng.chance(0.4)
    const configBytes = Buffer.from(JSON.stringify(config))
    const configDigest = sha256Digest(configBytes)
    const mediaType = oci ? OCI_IMAGE_MANIFEST : DOCKER_SCHEMA2_MANIFEST
    const manifest = {
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: oci
          ? 'application/vnd.oci.image.config.v1+json'
          : 'application/vnd.docker.container.image.v1+json',
        size: configBytes.length,
        digest: configDigest,
      },
      layers: plans.map((p) => ({
        mediaType: oci
          ? 'application/vnd.oci.image.layer.v1.tar+gzip'
          : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: p.layer.size,
        digest: p.layer.digest,
      })),
    }
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 3))
    images.push({
      namespace,
      repository: app.replace(/-\d+$/, ''),
      tag,
      mediaType,
      manifestBytes,
      digest: sha256Digest(manifestBytes),
      config: { digest: configDigest, bytes: configBytes },
      layers: plans.map((p) => p.layer),
      distribution: dist.key,
      ecosystems,
    })
  }
  return images
}

/** Every blob the images need, digest -> bytes: layers, configs and the shared empty-layer blob. */
export function corpusBlobs(images: readonly CorpusImage[]): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>([[EMPTY_LAYER_BLOB_DIGEST, EMPTY_LAYER_BLOB]])
  for (const image of images) {
    blobs.set(image.config.digest, image.config.bytes)
    for (const layer of image.layers) blobs.set(layer.digest, layer.bytes)
  }
  return blobs
}

/**
 * The layer list Quay sends (data/registry_model `_list_manifest_layers`): one entry per config
 * history entry, base first, with the shared empty-layer blob for `empty_layer` entries.
 */
export function quayLayerDigests(image: CorpusImage): string[] {
  const config = JSON.parse(image.config.bytes.toString('utf8')) as { history?: HistoryEntry[] }
  if (!config.history?.length) return image.layers.map((l) => l.digest)
  const digests: string[] = []
  let next = 0
  for (const entry of config.history) {
    if (entry.empty_layer) digests.push(EMPTY_LAYER_BLOB_DIGEST)
    else digests.push((image.layers[next++] as CorpusLayer).digest)
  }
  return digests
}

/** The Clair request bodies for the images, layer URIs at `<blobBaseUrl>/blobs/<digest>`. */
export function corpusManifests(images: readonly CorpusImage[], blobBaseUrl: string): Manifest[] {
  const base = blobBaseUrl.replace(/\/+$/, '')
  return images.map((image) => ({
    hash: image.digest,
    layers: quayLayerDigests(image).map((hash) => ({
      hash,
      uri: `${base}/blobs/${hash}`,
      headers: { Accept: ['application/gzip'] },
    })),
  }))
}
