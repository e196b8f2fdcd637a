// Images a real Clair recognises, built here from real package databases: this machine's Debian dpkg status and
// os-release, an Alpine apk database, an RPM database made with Debian's rpm tools, Python dist-info from this
// machine's Python packages, a Go binary built here with module information, and Maven jars. They take the
// corpus's shape (CorpusImage), so the blob server, the Quay database seeding and manifests are the demo's own.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { crc32, gzipSync } from 'node:zlib'
import {
  DOCKER_SCHEMA2_MANIFEST,
  OCI_IMAGE_MANIFEST,
  type CorpusImage,
  type CorpusLayer,
} from '../../../standin/corpus.ts'
import type { Ecosystem } from '../../../standin/catalogue.ts'
import { sha256Digest } from '../../../standin/rng.ts'
import { writeTar, type TarFile } from '../../../standin/tar.ts'
import { clairCacheDir, goVersion } from './build.ts'

const run = promisify(execFile)

export type RealImage = CorpusImage

interface Layer {
  layer: CorpusLayer
  diffId: string
}

function layerOf(files: TarFile[]): Layer {
  const tarBytes = writeTar(files)
  const bytes = gzipSync(tarBytes, { level: 6 })
  return { layer: { digest: sha256Digest(bytes), bytes, size: bytes.length }, diffId: sha256Digest(tarBytes) }
}

/** This machine's dpkg status, one stanza per installed package, sorted by name. */
function dpkgStanzas(): string[] {
  const text = readFileSync('/var/lib/dpkg/status', 'utf8')
  return text
    .split(/\n\n+/)
    .filter((s) => /^Status: install ok installed$/m.test(s))
    .sort((a, b) =>
      (/^Package: (.*)$/m.exec(a)?.[1] ?? '').localeCompare(/^Package: (.*)$/m.exec(b)?.[1] ?? ''),
    )
}

/** The status file and, as claircore's dpkg scanner requires beside it, the info directory's file lists. */
function dpkgFiles(picked: string[]): TarFile[] {
  const lists = picked.map((stanza) => {
    const name = /^Package: (.*)$/m.exec(stanza)?.[1] ?? ''
    const arch = /^Architecture: (.*)$/m.exec(stanza)?.[1] ?? ''
    const file = [`/var/lib/dpkg/info/${name}.list`, `/var/lib/dpkg/info/${name}:${arch}.list`].find(
      existsSync,
    )
    return { path: `var/lib/dpkg/info/${name}.list`, content: file ? readFileSync(file) : '' }
  })
  return [{ path: 'var/lib/dpkg/status', content: picked.join('\n\n') + '\n' }, ...lists]
}

function debianBase(variant: number, stanzas: string[]): Layer {
  // A different slice of the real status per variant keeps the reports distinct and small.
  const picked = stanzas.filter((_, i) => i % 12 === variant * 5 || i % 12 === variant * 5 + 1)
  return layerOf([{ path: 'etc/os-release', content: readFileSync('/etc/os-release') }, ...dpkgFiles(picked)])
}

/** A later layer rewrites the status file with more packages, as `apt-get install` does. */
function debianUpdate(variant: number, stanzas: string[]): Layer {
  const picked = stanzas.filter(
    (_, i) => i % 12 === variant * 5 || i % 12 === variant * 5 + 1 || i % 12 === 11,
  )
  return layerOf(dpkgFiles(picked))
}

// Alpine v3.19's own package versions (main repository).
const ALPINE_PACKAGES: Array<[string, string, string]> = [
  ['alpine-baselayout', '3.4.3-r2', 'alpine-baselayout'],
  ['alpine-keys', '2.4-r1', 'alpine-keys'],
  ['apk-tools', '2.14.0-r5', 'apk-tools'],
  ['busybox', '1.36.1-r15', 'busybox'],
  ['ca-certificates-bundle', '20230506-r0', 'ca-certificates'],
  ['libcrypto3', '3.1.4-r2', 'openssl'],
  ['libssl3', '3.1.4-r2', 'openssl'],
  ['musl', '1.2.4_git20230717-r4', 'musl'],
  ['musl-utils', '1.2.4_git20230717-r4', 'musl'],
  ['scanelf', '1.3.7-r2', 'pax-utils'],
  ['ssl_client', '1.36.1-r15', 'busybox'],
  ['zlib', '1.3-r2', 'zlib'],
]

function alpineBase(variant: number): Layer {
  const records = ALPINE_PACKAGES.filter((_, i) => variant === 0 || i % 2 === 0).map(
    ([name, version, origin]) =>
      [
        `C:Q1${sha256Digest(name).slice(7, 33)}=`,
        `P:${name}`,
        `V:${version}`,
        'A:x86_64',
        'S:100000',
        'I:200000',
        `T:${name}`,
        'U:https://alpinelinux.org',
        'L:MIT',
        `o:${origin}`,
        'm:Natanael Copa <ncopa@alpinelinux.org>',
        't:1700000000',
        `c:${sha256Digest(origin).slice(7, 47)}`,
      ].join('\n'),
  )
  return layerOf([
    {
      path: 'etc/os-release',
      content:
        'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n' +
        'HOME_URL="https://alpinelinux.org/"\nBUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"\n',
    },
    { path: 'etc/alpine-release', content: '3.19.1\n' },
    { path: 'lib/apk/db/installed', content: records.join('\n\n') + '\n\n' },
  ])
}

// Red Hat Enterprise Linux 9's own package versions; the database is made with Debian's rpm tools.
const RPM_PACKAGES: Array<[string, string, string, string]> = [
  ['bash', '0', '5.1.8', '9.el9'],
  ['coreutils-single', '0', '8.32', '35.el9'],
  ['glibc', '0', '2.34', '100.el9'],
  ['openssl-libs', '1', '3.0.7', '27.el9'],
  ['zlib', '0', '1.2.11', '40.el9'],
  ['python3', '0', '3.9.18', '3.el9'],
]

/**
 * The packages are built once into `dir` (each renamed into place whole); the database is made in a directory of
 * this call's own, since test files build images at the same time.
 */
async function rpmDatabase(dir: string, variant: number): Promise<Buffer> {
  const work = await mkdtemp(join(tmpdir(), 'clair-canary-rpm-'))
  try {
    const root = join(work, 'root')
    await mkdir(join(root, 'var/lib/rpm'), { recursive: true })
    await mkdir(join(dir, 'rpms'), { recursive: true })
    const rpms: string[] = []
    for (const [name, epoch, version, release] of RPM_PACKAGES.filter(
      (_, i) => variant === 0 || i % 2 === 1,
    )) {
      const file = `${name}-${version}-${release}.x86_64.rpm`
      const out = join(dir, 'rpms', file)
      if (!existsSync(out)) {
        const spec = join(work, `${name}.spec`)
        await writeFile(
          spec,
          `Name: ${name}\n${epoch === '0' ? '' : `Epoch: ${epoch}\n`}Version: ${version}\nRelease: ${release}\n` +
            `Summary: ${name}\nLicense: MIT\nBuildArch: x86_64\nVendor: Red Hat, Inc.\n%description\n${name}\n%files\n`,
        )
        const top = join(work, 'top')
        await run('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--target', 'x86_64', spec])
        await rename(join(top, 'RPMS', 'x86_64', file), out)
      }
      rpms.push(out)
    }
    await run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '--initdb'])
    await run('rpm', [
      ...['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--justdb', '--nodeps', '--noscripts'],
      ...['--nosignature', '--ignorearch', '--ignoreos', ...rpms],
    ])
    // A query checkpoints the write-ahead log into the database file.
    await run('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', '-qa'])
    return await readFile(join(root, 'var/lib/rpm/rpmdb.sqlite'))
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

function rpmBase(db: Buffer): Layer {
  return layerOf([
    {
      path: 'etc/os-release',
      content:
        'NAME="Red Hat Enterprise Linux"\nVERSION="9.4 (Plow)"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.4"\n' +
        'PLATFORM_ID="platform:el9"\nPRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"\n' +
        'CPE_NAME="cpe:/o:redhat:enterprise_linux:9::baseos"\n',
    },
    { path: 'etc/redhat-release', content: 'Red Hat Enterprise Linux release 9.4 (Plow)\n' },
    { path: 'var/lib/rpm/rpmdb.sqlite', content: db },
  ])
}

/** This machine's Python packages' dist-info METADATA (real wheels' metadata). */
function pythonLayer(base: 'dpkg' | 'apk' | 'rpm', variant: number): Layer {
  const dir = '/usr/lib/python3/dist-packages'
  const infos = existsSync(dir)
    ? readdirSync(dir)
        .filter((d) => d.endsWith('.dist-info'))
        .sort()
    : []
  const site = base === 'dpkg' ? 'usr/lib/python3/dist-packages' : 'usr/lib/python3.11/site-packages'
  const files: TarFile[] = infos
    .filter((_, i) => i % 2 === variant % 2 || i === 0)
    .filter((d) => existsSync(join(dir, d, 'METADATA')))
    .map((d) => ({ path: `${site}/${d}/METADATA`, content: readFileSync(join(dir, d, 'METADATA')) }))
  return layerOf(files)
}

/** A Go program built here with a module dependency, so its build info names real modules. */
async function goBinary(dir: string): Promise<Buffer> {
  const out = join(dir, 'app')
  if (existsSync(out)) return readFile(out)
  const src = await mkdtemp(join(tmpdir(), 'clair-canary-gobin-'))
  await writeFile(
    join(src, 'go.mod'),
    'module example.com/clair-canary/app\n\ngo 1.24\n\nrequire github.com/google/uuid v1.6.0\n',
  )
  await writeFile(
    join(src, 'main.go'),
    'package main\n\nimport (\n\t"fmt"\n\n\t"github.com/google/uuid"\n)\n\nfunc main() { fmt.Println(uuid.NewString()) }\n',
  )
  const { stdout: modcache } = await run('go', ['env', 'GOMODCACHE'])
  // github.com/google/uuid is one of Clair's own dependencies, so the module cache already holds it.
  const env = {
    ...process.env,
    CGO_ENABLED: '0',
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod -buildvcs=false',
    GOPROXY: `file://${modcache.trim()}/cache/download`,
    GONOSUMDB: 'github.com/google/uuid',
    GOSUMDB: 'off',
  }
  const tmp = `${out}.${process.pid}.tmp`
  try {
    await run('go', ['build', '-trimpath', '-o', tmp, '.'], { cwd: src, env })
  } finally {
    await rm(src, { recursive: true, force: true })
  }
  await rename(tmp, out)
  return readFile(out)
}

/** A stored (uncompressed) zip: what a jar is. */
function zip(entries: Array<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name)
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, data)
    centrals.push(central, nameBytes)
    offset += 30 + nameBytes.length + data.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

// Maven Central coordinates of real releases.
const JARS: Array<[string, string, string]> = [
  ['org.apache.logging.log4j', 'log4j-core', '2.14.1'],
  ['org.apache.commons', 'commons-text', '1.9'],
  ['com.fasterxml.jackson.core', 'jackson-databind', '2.13.0'],
]

function jar(group: string, artifact: string, version: string): Buffer {
  return zip([
    {
      name: 'META-INF/MANIFEST.MF',
      data: Buffer.from(
        `Manifest-Version: 1.0\r\nImplementation-Title: ${artifact}\r\nImplementation-Version: ${version}\r\n` +
          `Implementation-Vendor-Id: ${group}\r\n\r\n`,
      ),
    },
    {
      name: `META-INF/maven/${group}/${artifact}/pom.properties`,
      data: Buffer.from(`groupId=${group}\nartifactId=${artifact}\nversion=${version}\n`),
    },
  ])
}

function javaLayer(variant: number): Layer {
  return layerOf(
    JARS.filter((_, i) => variant === 0 || i !== 2).map(([g, a, v]) => ({
      path: `opt/app/lib/${a}-${v}.jar`,
      content: jar(g, a, v),
    })),
  )
}

function image(index: number, layers: Layer[], real: Ecosystem[]): RealImage {
  const config = {
    architecture: 'amd64',
    os: 'linux',
    created: new Date(Date.UTC(2025, 0, 1) + index * 60_000).toISOString(),
    config: { Labels: { 'io.clair-canary.real': real.join('+') } },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({
      created: '2025-01-01T00:00:00Z',
      created_by: `layer ${i} of image ${index}`,
    })),
  }
  const configBytes = Buffer.from(JSON.stringify(config))
  const oci = index % 2 === 1
  const manifest = {
    schemaVersion: 2,
    mediaType: oci ? OCI_IMAGE_MANIFEST : DOCKER_SCHEMA2_MANIFEST,
    config: {
      mediaType: oci
        ? 'application/vnd.oci.image.config.v1+json'
        : 'application/vnd.docker.container.image.v1+json',
      size: configBytes.length,
      digest: sha256Digest(configBytes),
    },
    layers: layers.map((l) => ({
      mediaType: oci
        ? 'application/vnd.oci.image.layer.v1.tar+gzip'
        : 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      size: l.layer.size,
      digest: l.layer.digest,
    })),
  }
  const manifestBytes = Buffer.from(JSON.stringify(manifest))
  return {
    namespace: 'real',
    repository: real.join('-'),
    tag: `v${index}`,
    mediaType: manifest.mediaType,
    manifestBytes,
    digest: sha256Digest(manifestBytes),
    config: { digest: sha256Digest(configBytes), bytes: configBytes },
    layers: layers.map((l) => l.layer),
    distribution: real[0] ?? 'none',
    ecosystems: real,
  }
}

const APPS: Ecosystem[][] = [[], ['python'], ['go'], ['java'], ['python', 'go'], ['python', 'java']]

/** 36 images: every base (dpkg, apk, rpm) in two variants with every application mix. */
export async function buildRealImages(): Promise<RealImage[]> {
  const dir = join(clairCacheDir(), `fixtures-${await goVersion()}`)
  await mkdir(dir, { recursive: true })
  const stanzas = dpkgStanzas()
  const rpmDbs = [await rpmDatabase(dir, 0), await rpmDatabase(dir, 1)]
  const goBin = await goBinary(dir)
  const goLayer = layerOf([{ path: 'usr/local/bin/app', content: goBin }])
  const images: RealImage[] = []
  for (let index = 0; index < 36; index++) {
    const base = (['dpkg', 'apk', 'rpm'] as const)[index % 3]!
    const variant = Math.floor(index / 3) % 2
    const apps = APPS[Math.floor(index / 6) % APPS.length]!
    const layers: Layer[] = []
    if (base === 'dpkg') {
      layers.push(debianBase(variant, stanzas))
      if (index % 4 === 0) layers.push(debianUpdate(variant, stanzas))
    } else if (base === 'apk') layers.push(alpineBase(variant))
    else layers.push(rpmBase(rpmDbs[variant]!))
    for (const app of apps) {
      if (app === 'python') layers.push(pythonLayer(base, variant))
      else if (app === 'go') layers.push(goLayer)
      else layers.push(javaLayer(variant))
    }
    images.push(image(index, layers, [base, ...apps]))
  }
  return images
}

/** Whether this machine can build the images: Debian's dpkg status and rpm tools, and Go. */
export function realImagesUnavailable(): string | false {
  if (!existsSync('/var/lib/dpkg/status'))
    return 'no /var/lib/dpkg/status (the Debian images are built from it)'
  if (!existsSync('/usr/bin/rpmbuild')) return "no rpmbuild (Debian's rpm package builds the RPM database)"
  const python = '/usr/lib/python3/dist-packages'
  if (!existsSync(python) || !readdirSync(python).some((d) => d.endsWith('.dist-info')))
    return `no Python dist-info in ${python} (Debian's python3-pip has some)`
  return false
}
