// The stand-in's matcher: a synthetic vulnerability database generated from a seed, written
// against the catalogue so that it matches corpus packages by name and version range.
import { createHash } from 'node:crypto'
import {
  DISTRIBUTIONS,
  compareVersions,
  languageCatalogue,
  osCatalogue,
  type CatalogueEntry,
  type DistributionSpec,
  type Ecosystem,
} from './catalogue.ts'
import type { ScenarioProfile } from './profiles.ts'
import { seededRng, type Rng } from './rng.ts'
import {
  LANGUAGE_REPOSITORIES,
  distributionKey,
  rhelRepository,
  type DistributionContent,
  type IndexContent,
  type PackageContent,
  type RepositoryContent,
} from './scanners.ts'

export const CVSS_ENRICHMENT_TYPE =
  'message/vnd.clair.map.vulnerability; enricher=clair.cvss schema=https://csrc.nist.gov/schema/nvd/api/2.0/cve_api_json_2.0.schema'
export const CVSS_UPDATER = 'clair.cvss'

export interface Cvss {
  version: '3.1'
  vectorString: string
  baseScore: number
  baseSeverity: string
}

/** One vulnerability as the matcher database holds it (no row id: that is assigned per instance). */
export interface VulnRecord {
  /** Content key, stable across instances and seeds' runs. */
  key: string
  updater: string
  name: string
  description: string
  issued: string
  links: string
  severity: string
  normalized_severity: 'Unknown' | 'Negligible' | 'Low' | 'Medium' | 'High' | 'Critical'
  package: { name: string; version: string; kind: 'binary'; arch?: string }
  distribution?: DistributionContent
  repository?: RepositoryContent
  fixed_in_version: string
  arch_op?: 'pattern match'
  cvss?: Cvss
  /** How the stand-in matches it: ecosystem, distribution key ("" for languages), package, fixed version. */
  match: { ecosystem: Ecosystem; distribution: string; name: string; fixed?: string }
}

export interface UpdaterData {
  updater: string
  kind: 'vulnerability' | 'enrichment'
  fingerprint: string
}

export interface VulnDb {
  updaters: UpdaterData[]
  vulns: VulnRecord[]
  /** ecosystem|distribution|package name -> vulnerabilities. */
  index: Map<string, VulnRecord[]>
}

interface UpdaterSpec {
  updater: string
  ecosystem: Ecosystem
  distributions: DistributionSpec[]
}

const byKey = (...keys: string[]) => DISTRIBUTIONS.filter((d) => keys.includes(d.key))

export const UPDATERS: readonly UpdaterSpec[] = [
  { updater: 'debian-updater', ecosystem: 'dpkg', distributions: byKey('debian-12', 'debian-11') },
  { updater: 'ubuntu/updater', ecosystem: 'dpkg', distributions: byKey('ubuntu-22.04') },
  { updater: 'alpine-main-v3.19-updater', ecosystem: 'apk', distributions: byKey('alpine-3.19') },
  { updater: 'RHEL9-rhel-9', ecosystem: 'rpm', distributions: byKey('rhel-9') },
  { updater: 'pyupio', ecosystem: 'python', distributions: [] },
  { updater: 'osv/pypi', ecosystem: 'python', distributions: [] },
  { updater: 'osv/go', ecosystem: 'go', distributions: [] },
  { updater: 'osv/maven', ecosystem: 'java', distributions: [] },
]

const SEVERITIES: Record<string, Array<[string, VulnRecord['normalized_severity']]>> = {
  'debian-updater': [
    ['unimportant', 'Negligible'],
    ['low', 'Low'],
    ['medium', 'Medium'],
    ['high', 'High'],
  ],
  'ubuntu/updater': [
    ['Negligible', 'Negligible'],
    ['Low', 'Low'],
    ['Medium', 'Medium'],
    ['High', 'High'],
    ['Critical', 'Critical'],
  ],
  'RHEL9-rhel-9': [
    ['Low', 'Low'],
    ['Moderate', 'Medium'],
    ['Important', 'High'],
    ['Critical', 'Critical'],
  ],
}

function distributionOf(spec: DistributionSpec): DistributionContent {
  const os = spec.osRelease
  if (spec.packageManager === 'rpm') {
    const major = (os['VERSION_ID'] ?? '').split('.')[0] ?? ''
    return {
      did: 'rhel',
      name: 'Red Hat Enterprise Linux Server',
      version: major,
      version_code_name: '',
      version_id: major,
      arch: '',
      cpe: `cpe:2.3:o:redhat:enterprise_linux:${major}:*:*:*:*:*:*:*`,
      pretty_name: `Red Hat Enterprise Linux Server ${major}`,
    }
  }
  return {
    did: os['ID'] ?? '',
    name: os['NAME'] ?? '',
    version: os['VERSION'] ?? '',
    version_code_name: os['VERSION_CODENAME'] ?? '',
    version_id: os['VERSION_ID'] ?? '',
    arch: '',
    cpe: '',
    pretty_name: os['PRETTY_NAME'] ?? '',
  }
}

function cvssFor(rng: Rng): Cvss {
  const c = rng.pick(['N', 'L', 'H'] as const)
  const i = rng.pick(['N', 'L', 'H'] as const)
  const a = rng.pick(['N', 'L', 'H'] as const)
  const baseScore = Math.round((2 + rng.next() * 8) * 10) / 10
  const baseSeverity =
    baseScore >= 9 ? 'CRITICAL' : baseScore >= 7 ? 'HIGH' : baseScore >= 4 ? 'MEDIUM' : 'LOW'
  return {
    version: '3.1',
    vectorString: `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:${c}/I:${i}/A:${a}`,
    baseScore,
    baseSeverity,
  }
}

function makeVuln(
  rng: Rng,
  spec: UpdaterSpec,
  dist: DistributionSpec | undefined,
  entry: CatalogueEntry,
  serial: number,
  unfixed = false,
): VulnRecord {
  // fixedAt === versions.length: not fixed yet, every installed version is affected.
  const fixedAt = unfixed ? entry.versions.length : rng.int(1, entry.versions.length)
  const fixed = entry.versions[fixedAt]
  const year = rng.int(2019, 2024)
  const cve = `CVE-${year}-${rng.int(10000, 49999)}`
  const severities = SEVERITIES[spec.updater]
  const [severity, normalized] = severities ? rng.pick(severities) : (['', 'Unknown'] as const)
  const pkgName = entry.name
  const base = {
    updater: spec.updater,
    description: `${pkgName}: synthetic flaw ${serial} in the stand-in's vulnerability data.`,
    issued: new Date(Date.UTC(year, rng.int(0, 11), rng.int(1, 28))).toISOString().replace('.000Z', 'Z'),
    package: { name: pkgName, version: '', kind: 'binary' as const },
    match: {
      ecosystem: spec.ecosystem,
      distribution: dist?.key ?? '',
      name: pkgName,
      ...(fixed ? { fixed } : {}),
    },
  }
  let v: Omit<VulnRecord, 'key'>
  switch (spec.updater) {
    case 'RHEL9-rhel-9':
      v = {
        ...base,
        name: `RHSA-${year}:${rng.int(1000, 9999)}: ${entry.source ?? pkgName} security update (${severity})`,
        links: `https://access.redhat.com/errata/RHSA-${year}:${serial} https://access.redhat.com/security/cve/${cve}`,
        severity,
        normalized_severity: normalized,
        package: { ...base.package, arch: 'aarch64|noarch|ppc64le|s390x|x86_64' },
        distribution: distributionOf(dist as DistributionSpec),
        repository: rhelRepository('rhel-9-for-x86_64-baseos-rpms'),
        fixed_in_version: fixed ?? '',
        arch_op: 'pattern match',
      }
      break
    case 'pyupio':
      v = {
        ...base,
        name: `pyup.io-${rng.int(30000, 70000)} (${cve})`,
        issued: '0001-01-01T00:00:00Z',
        links: '',
        severity: '',
        normalized_severity: 'Unknown',
        package: { ...base.package, version: fixed ? `<${fixed}` : '' },
        repository: LANGUAGE_REPOSITORIES.python,
        fixed_in_version: '',
      }
      break
    case 'osv/pypi':
    case 'osv/go':
    case 'osv/maven': {
      const id =
        spec.updater === 'osv/go'
          ? `GO-${year}-${rng.int(1000, 3000)}`
          : `GHSA-${rng.hex(2)}${rng.hex(2)}-${rng.hex(2)}x${rng.hex(1)}-${rng.hex(2)}p${rng.hex(1)}`
      const cvss = cvssFor(rng)
      v = {
        ...base,
        name: id,
        links: `https://osv.dev/vulnerability/${id} https://nvd.nist.gov/vuln/detail/${cve}`,
        severity: cvss.vectorString,
        normalized_severity:
          cvss.baseScore >= 9
            ? 'Critical'
            : cvss.baseScore >= 7
              ? 'High'
              : cvss.baseScore >= 4
                ? 'Medium'
                : 'Low',
        repository: LANGUAGE_REPOSITORIES[spec.ecosystem as 'python' | 'go' | 'java'],
        fixed_in_version: fixed ? `fixed=${encodeURIComponent(fixed)}&introduced=0` : 'introduced=0',
      }
      break
    }
    default:
      v = {
        ...base,
        name: cve,
        links: `https://security-tracker.debian.org/tracker/${cve}`,
        severity,
        normalized_severity: normalized,
        package: { ...base.package, version: '' },
        distribution: distributionOf(dist as DistributionSpec),
        fixed_in_version: fixed ?? '',
      }
      if (spec.updater === 'ubuntu/updater') v.links = `https://ubuntu.com/security/${cve}`
      if (spec.updater.startsWith('alpine')) v.links = `https://security.alpinelinux.org/vuln/${cve}`
  }
  if (/CVE-\d+-\d+/.test(v.name) || v.links.includes('CVE-')) v.cvss = v.cvss ?? cvssFor(rng)
  const key = createHash('sha256')
    .update(
      JSON.stringify([v.updater, v.name, v.package.name, v.match.distribution, v.fixed_in_version, serial]),
    )
    .digest('hex')
    .slice(0, 24)
  return { key, ...v }
}

function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32)
}

function catalogueFor(spec: UpdaterSpec, dist: DistributionSpec | undefined): CatalogueEntry[] {
  return dist ? osCatalogue(dist) : languageCatalogue(spec.ecosystem as 'python' | 'go' | 'java')
}

/** The whole database for a seed; a profile's drift changes some updaters' data and fingerprints. */
export function buildVulnDb(seed: string, profile: ScenarioProfile): VulnDb {
  const vulns: VulnRecord[] = []
  const updaters: UpdaterData[] = []
  for (const spec of UPDATERS) {
    const rng = seededRng(`vulndb:${seed}:${spec.updater}`)
    let mine: VulnRecord[] = []
    let serial = 0
    for (const dist of spec.distributions.length ? spec.distributions : [undefined]) {
      for (const entry of catalogueFor(spec, dist)) {
        const n = rng.chance(0.45) ? (rng.chance(0.3) ? 2 : 1) : 0
        for (let i = 0; i < n; i++) mine.push(makeVuln(rng, spec, dist, entry, ++serial))
      }
    }
    const drift = profile.drift?.find((d) => d.updater === spec.updater)
    if (drift) {
      // Drift does not depend on the profile's name, so "drift" and "demo" plant the same change.
      const drng = seededRng(`drift:${seed}:${spec.updater}`)
      const removed = new Set(drng.shuffle(mine.map((v) => v.key)).slice(0, drift.remove))
      mine = mine.filter((v) => !removed.has(v.key))
      for (let i = 0; i < drift.add; i++) {
        const dist = spec.distributions.length ? drng.pick(spec.distributions) : undefined
        // Unfixed, so it matches every installed version of the package.
        mine.push(makeVuln(drng, spec, dist, drng.pick(catalogueFor(spec, dist)), 100000 + i, true))
      }
    }
    vulns.push(...mine)
    updaters.push({
      updater: spec.updater,
      kind: 'vulnerability',
      fingerprint: fingerprint(seed, spec.updater, drift ? JSON.stringify(drift) : ''),
    })
  }
  updaters.push({ updater: CVSS_UPDATER, kind: 'enrichment', fingerprint: fingerprint(seed, CVSS_UPDATER) })
  const index = new Map<string, VulnRecord[]>()
  for (const v of vulns) {
    const k = `${v.match.ecosystem}|${v.match.distribution}|${v.match.name}`
    index.set(k, [...(index.get(k) ?? []), v])
  }
  return { updaters, vulns, index }
}

/** Vulnerabilities affecting one package of a manifest. */
export function matchPackage(db: VulnDb, pkg: PackageContent): VulnRecord[] {
  const dists = pkg.environments.map((e) => (e.distribution ? distributionKey(e.distribution) : ''))
  const out: VulnRecord[] = []
  for (const dist of new Set(dists)) {
    for (const v of db.index.get(`${pkg.ecosystem}|${dist}|${pkg.name}`) ?? []) {
      if (v.match.fixed === undefined || compareVersions(pkg.version, v.match.fixed) < 0) out.push(v)
    }
  }
  return out
}

/** Every (package, vulnerability) pair of a manifest, by package index in content.packages. */
export function matchManifest(
  db: VulnDb,
  content: IndexContent,
): Array<{ pkg: number; vulns: VulnRecord[] }> {
  return content.packages
    .map((pkg, i) => ({ pkg: i, vulns: matchPackage(db, pkg) }))
    .filter((m) => m.vulns.length > 0)
}
