// The stand-in's indexer: scanners that read the files in layer archives, and the coalescing step
// that turns per-layer findings into one manifest's content (no database ids here).
import { createHash } from 'node:crypto'
import { DISTRIBUTIONS, normalizedVersion, type Ecosystem } from './catalogue.ts'
import { GO_BUILDINFO_SUFFIX, RPM_DB_STANDIN } from './corpus.ts'
import type { ScenarioProfile } from './profiles.ts'

export interface ScannerInfo {
  name: string
  version: string
  kind: 'package' | 'distribution' | 'repository'
}

const BASE_SCANNERS: readonly ScannerInfo[] = [
  { name: 'dpkg', version: '4', kind: 'package' },
  { name: 'apk', version: 'v0.0.1', kind: 'package' },
  { name: 'rpm', version: '10', kind: 'package' },
  { name: 'python', version: '3', kind: 'package' },
  { name: 'gobin', version: '8', kind: 'package' },
  { name: 'java', version: '6', kind: 'package' },
  { name: 'os-release', version: '2', kind: 'distribution' },
  { name: 'rhel-cpe-scanner', version: '1', kind: 'repository' },
]

const SCANNER_OF: Record<Ecosystem, string> = {
  dpkg: 'dpkg',
  apk: 'apk',
  rpm: 'rpm',
  python: 'python',
  go: 'gobin',
  java: 'java',
}

export function scannerSet(profile: ScenarioProfile): ScannerInfo[] {
  return BASE_SCANNERS.map((s) => ({ ...s, version: profile.scannerVersions?.[s.name] ?? s.version }))
}

/** libindex setState: hex MD5 over a magic string and the sorted name+version+kind of every scanner. */
export function indexState(scanners: readonly ScannerInfo[]): string {
  const hash = createHash('md5').update('clair-canary stand-in indexer state\n')
  for (const s of scanners.map((s) => s.name + s.version + s.kind).sort()) hash.update(s)
  return hash.digest('hex')
}

export interface DistributionContent {
  did: string
  name: string
  version: string
  version_code_name: string
  version_id: string
  arch: string
  cpe: string
  pretty_name: string
}

export interface RepositoryContent {
  name: string
  key?: string
  uri?: string
  cpe: string
}

export interface FoundPackage {
  ecosystem: Ecosystem
  name: string
  version: string
  arch?: string
  source?: { name: string; version: string }
  normalized_version: string
  package_db: string
  detector: string
}

export interface LayerContents {
  osRelease?: DistributionContent
  /** OS package databases present in this layer: package_db -> its whole content. */
  packageDbs: Map<string, FoundPackage[]>
  /** Language packages whose files are in this layer. */
  language: FoundPackage[]
  contentSets: string[]
}

export interface EnvironmentContent {
  package_db: string
  introduced_in: string
  distribution: DistributionContent | null
  repositories: RepositoryContent[]
}

export interface PackageContent extends FoundPackage {
  environments: EnvironmentContent[]
}

/** What one manifest holds, by content: the stand-in's database assigns ids when it renders. */
export interface IndexContent {
  distributions: DistributionContent[]
  repositories: RepositoryContent[]
  packages: PackageContent[]
}

export const LANGUAGE_REPOSITORIES: Record<'python' | 'go' | 'java', RepositoryContent> = {
  python: { name: 'pypi', uri: 'https://pypi.org/simple', cpe: '' },
  go: { name: 'go', uri: 'https://pkg.go.dev/', cpe: '' },
  java: { name: 'maven', uri: 'https://repo1.maven.apache.org/maven2', cpe: '' },
}

function parseKeyValues(text: string, sep: '=' | ':'): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const at = line.indexOf(sep)
    if (at <= 0) continue
    let value = line.slice(at + 1).trim()
    if (sep === '=' && value.startsWith('"')) value = JSON.parse(value) as string
    out[line.slice(0, at).trim()] = value
  }
  return out
}

/** cpe:/o:vendor:product:version::edition -> CPE 2.3 formatted string. */
function cpe23(uri: string): string {
  const parts = uri.replace(/^cpe:\//, '').split(':')
  const field = (i: number) => (parts[i] ? parts[i] : '*')
  return `cpe:2.3:${field(0)}:${field(1)}:${field(2)}:${field(3)}:*:${field(5)}:*:*:*:*:*`
}

function distributionFromOsRelease(text: string): DistributionContent {
  const f = parseKeyValues(text, '=')
  return {
    did: f['ID'] ?? '',
    name: f['NAME'] ?? '',
    version: f['VERSION'] ?? '',
    version_code_name: f['VERSION_CODENAME'] ?? '',
    version_id: f['VERSION_ID'] ?? '',
    arch: '',
    cpe: f['CPE_NAME'] ? cpe23(f['CPE_NAME']) : '',
    pretty_name: f['PRETTY_NAME'] ?? '',
  }
}

/** The key a distribution is known by in the catalogue ("debian-12"), used by the matcher. */
export function distributionKey(d: DistributionContent): string {
  const spec = DISTRIBUTIONS.find(
    (s) => s.osRelease['ID'] === d.did && s.osRelease['VERSION_ID'] === d.version_id,
  )
  return spec?.key ?? `${d.did}-${d.version_id}`
}

export const RHEL_CONTENT_SET_CPE: Record<string, string> = {
  'rhel-9-for-x86_64-baseos-rpms': 'cpe:/o:redhat:enterprise_linux:9::baseos',
  'rhel-9-for-x86_64-appstream-rpms': 'cpe:/a:redhat:enterprise_linux:9::appstream',
}

export function rhelRepository(contentSet: string): RepositoryContent | undefined {
  const cpe = RHEL_CONTENT_SET_CPE[contentSet]
  return cpe ? { name: cpe, key: 'rhel-cpe-repository', cpe: cpe23(cpe) } : undefined
}

interface ScanContext {
  profile: ScenarioProfile
  detectors: Map<string, string>
}

function makePackage(ctx: ScanContext, p: Omit<FoundPackage, 'detector'>): FoundPackage | undefined {
  if (ctx.profile.dropEcosystems?.includes(p.ecosystem)) return undefined
  if (ctx.profile.dropEpochs?.includes(p.ecosystem)) {
    const noEpoch = (v: string) => v.replace(/^\d+:/, '')
    p = {
      ...p,
      version: noEpoch(p.version),
      ...(p.source ? { source: { ...p.source, version: noEpoch(p.source.version) } } : {}),
    }
  }
  return { ...p, detector: ctx.detectors.get(SCANNER_OF[p.ecosystem]) ?? '' }
}

function dpkgPackages(ctx: ScanContext, text: string): FoundPackage[] {
  return text
    .split(/\n\n+/)
    .map((stanza) => parseKeyValues(stanza, ':'))
    .filter((f) => f['Package'] && f['Version'] && (f['Status'] ?? '').endsWith(' installed'))
    .flatMap((f) => {
      const source = /^(\S+)(?: \((.+)\))?$/.exec(f['Source'] ?? '')
      const pkg = makePackage(ctx, {
        ecosystem: 'dpkg',
        name: f['Package'] as string,
        version: f['Version'] as string,
        arch: f['Architecture'] ?? '',
        source: {
          name: source?.[1] ?? (f['Package'] as string),
          version: source?.[2] ?? (f['Version'] as string),
        },
        normalized_version: '',
        package_db: 'var/lib/dpkg/status',
      })
      return pkg ? [pkg] : []
    })
}

function apkPackages(ctx: ScanContext, text: string): FoundPackage[] {
  return text
    .split(/\n\n+/)
    .map((record) => parseKeyValues(record, ':'))
    .filter((f) => f['P'] && f['V'])
    .flatMap((f) => {
      const pkg = makePackage(ctx, {
        ecosystem: 'apk',
        name: f['P'] as string,
        version: f['V'] as string,
        arch: f['A'] ?? '',
        source: { name: f['o'] ?? (f['P'] as string), version: f['V'] as string },
        normalized_version: '',
        package_db: 'lib/apk/db/installed',
      })
      return pkg ? [pkg] : []
    })
}

function rpmPackages(ctx: ScanContext, text: string): FoundPackage[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .flatMap((line) => {
      const [name = '', version = '', arch = '', srpm = ''] = line.split('\t')
      const m = /^(.+)-([^-]+-[^-]+)\.src\.rpm$/.exec(srpm)
      const pkg = makePackage(ctx, {
        ecosystem: 'rpm',
        name,
        version,
        arch,
        source: { name: m?.[1] ?? name, version: m?.[2] ?? version },
        normalized_version: '',
        package_db: 'sqlite:var/lib/rpm',
      })
      return pkg ? [pkg] : []
    })
}

/** Scans one layer's files. Pure: the same files and profile always give the same contents. */
export function scanLayer(files: Map<string, Buffer>, profile: ScenarioProfile): LayerContents {
  const detectors = new Map(
    scannerSet(profile).map((s) => [s.name, `urn:claircore:detector:${s.name}:${s.version}:${s.kind}`]),
  )
  const ctx: ScanContext = { profile, detectors }
  const out: LayerContents = { packageDbs: new Map(), language: [], contentSets: [] }
  for (const [path, bytes] of files) {
    const text = () => bytes.toString('utf8')
    if (path === 'etc/os-release' || path === 'usr/lib/os-release') {
      out.osRelease = distributionFromOsRelease(text())
    } else if (path === 'var/lib/dpkg/status') {
      out.packageDbs.set('var/lib/dpkg/status', dpkgPackages(ctx, text()))
    } else if (path === 'lib/apk/db/installed') {
      out.packageDbs.set('lib/apk/db/installed', apkPackages(ctx, text()))
    } else if (path === RPM_DB_STANDIN) {
      out.packageDbs.set('sqlite:var/lib/rpm', rpmPackages(ctx, text()))
    } else if (path.startsWith('root/buildinfo/content_manifests/') && path.endsWith('.json')) {
      const sets = (JSON.parse(text()) as { content_sets?: string[] }).content_sets ?? []
      out.contentSets.push(...sets)
    } else {
      const python = /^(.*\/site-packages)\/[^/]+\.(dist-info\/METADATA|egg-info\/PKG-INFO)$/.exec(path)
      if (python && (python[2] === 'dist-info/METADATA' || profile.readEggInfo)) {
        const f = parseKeyValues(text(), ':')
        const pkg =
          f['Name'] && f['Version']
            ? makePackage(ctx, {
                ecosystem: 'python',
                name: f['Name'],
                version: f['Version'],
                source: { name: '', version: '' },
                normalized_version: normalizedVersion('pep440', f['Version']),
                package_db: `python:${python[1]}`,
              })
            : undefined
        if (pkg) out.language.push(pkg)
      } else if (path.endsWith(GO_BUILDINFO_SUFFIX)) {
        out.language.push(...goPackages(ctx, path.slice(0, -GO_BUILDINFO_SUFFIX.length), text()))
      } else {
        const pom = /^(.+\.jar)\/META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.exec(path)
        if (pom) {
          const f = parseKeyValues(text(), '=')
          const pkg =
            f['groupId'] && f['artifactId'] && f['version']
              ? makePackage(ctx, {
                  ecosystem: 'java',
                  name: `${f['groupId']}:${f['artifactId']}`,
                  version: f['version'],
                  source: { name: '', version: '' },
                  normalized_version: '',
                  package_db: `maven:${pom[1]}`,
                })
              : undefined
          if (pkg) out.language.push(pkg)
        }
      }
    }
  }
  return out
}

function goPackages(ctx: ScanContext, binary: string, text: string): FoundPackage[] {
  const lines = text.split('\n')
  const toolchain = /: go(\S+)$/.exec(lines[0] ?? '')?.[1]
  const found: Array<[string, string]> = toolchain ? [['stdlib', toolchain]] : []
  for (const line of lines) {
    const [, kind, path, version] = line.split('\t')
    if (kind === 'dep' && path && version) found.push([path, version])
  }
  return found.flatMap(([name, version]) => {
    const pkg = makePackage(ctx, {
      ecosystem: 'go',
      name,
      version,
      source: { name: '', version: '' },
      normalized_version: normalizedVersion('semver', version),
      package_db: `go:${binary}`,
    })
    return pkg ? [pkg] : []
  })
}

const same = (a: FoundPackage, b: FoundPackage) =>
  a.name === b.name && a.version === b.version && a.arch === b.arch

/**
 * Coalesces layers (base first) into one manifest's content, the way claircore's linux and
 * language coalescers do: the topmost copy of a package database wins, and a package is
 * introduced in the lowest layer whose copy of that database already had it.
 */
export function coalesce(layers: ReadonlyArray<{ digest: string; contents: LayerContents }>): IndexContent {
  let distribution: DistributionContent | undefined
  const contentSets = new Set<string>()
  for (const { contents } of layers) {
    if (contents.osRelease) distribution = contents.osRelease
    for (const set of contents.contentSets) contentSets.add(set)
  }
  const rhelRepos = [...contentSets].flatMap((set) => rhelRepository(set) ?? [])
  const packages: PackageContent[] = []
  const dbs = new Set(layers.flatMap(({ contents }) => [...contents.packageDbs.keys()]))
  for (const db of dbs) {
    const copies = layers.filter(({ contents }) => contents.packageDbs.has(db))
    const top = copies[copies.length - 1]
    for (const pkg of top?.contents.packageDbs.get(db) ?? []) {
      const first = copies.find(({ contents }) => contents.packageDbs.get(db)?.some((p) => same(p, pkg)))
      packages.push({
        ...pkg,
        environments: [
          {
            package_db: db,
            introduced_in: (first ?? top)?.digest ?? '',
            distribution: distribution ?? null,
            repositories: pkg.ecosystem === 'rpm' ? rhelRepos : [],
          },
        ],
      })
    }
  }
  const seen = new Map<string, PackageContent>()
  for (const { digest, contents } of layers) {
    for (const pkg of contents.language) {
      const key = `${pkg.package_db}\0${pkg.name}\0${pkg.version}`
      if (seen.has(key)) continue
      const content: PackageContent = {
        ...pkg,
        environments: [
          {
            package_db: pkg.package_db,
            introduced_in: digest,
            distribution: null,
            repositories: [LANGUAGE_REPOSITORIES[pkg.ecosystem as 'python' | 'go' | 'java']],
          },
        ],
      }
      seen.set(key, content)
      packages.push(content)
    }
  }
  const repositories = new Map<string, RepositoryContent>()
  for (const p of packages)
    for (const e of p.environments) for (const r of e.repositories) repositories.set(JSON.stringify(r), r)
  return {
    distributions: distribution ? [distribution] : [],
    repositories: [...repositories.values()],
    packages,
  }
}
