// Synthetic Clair reports shaped like the real ones (FACTS.md 2.2-2.3): dpkg packages on a Debian
// distribution, python packages with a pypi repository, vulnerabilities from two updaters and a CVSS
// enrichment. Deterministic for a seed; used by the property tests and the bench.
import { rng } from './mutate.ts'
import type { Environment, Package, Vulnerability, VulnerabilityReport } from '../../../src/clair/types.ts'

export interface SyntheticOptions {
  packages: number
  /** Average vulnerability matches per package. */
  matchesPerPackage: number
  seed: number
  /** Description length, to make documents as heavy as real ones. */
  descriptionLength?: number
}

const LAYERS = [
  'sha256:2ff1d7c41c74a25258bfa6f0b8adb0a727f84518f55f65ca845ebc747976c408',
  'sha256:95200ab871bdbed0f4962f61926c67d1771dea166bb8469ce2036213bb406784',
  'sha256:a50df8fd88fecefc26fd331f832672108deb08cf9d2b303a5b86156a7f51b5d8',
]
const SEVERITIES = ['Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical']
const CVSS_TYPE =
  'message/vnd.clair.map.vulnerability; enricher=clair.cvss schema=https://csrc.nist.gov/schema/nvd/api/2.0/cve_api_json_2.0.schema'

/** A vulnerability report (which carries the index report's packages) with row ids like Clair's. */
export function syntheticVulnerabilityReport(o: SyntheticOptions): VulnerabilityReport {
  const random = rng(o.seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T
  const filler = 'x'.repeat(o.descriptionLength ?? 200)
  let id = 1000 + Math.floor(random() * 1000)
  const next = (): string => String(id++)

  const distId = next()
  const repoId = next()
  const packages: Record<string, Package> = {}
  const environments: Record<string, Environment[]> = {}
  const pkgIds: string[] = []
  for (let i = 0; i < o.packages; i++) {
    const pid = next()
    const python = i % 5 === 4
    const name = python ? `py-lib-${i}` : `lib-${i}`
    packages[pid] = {
      id: pid,
      name,
      version: python
        ? `${1 + (i % 7)}.${i % 13}.${i % 3}`
        : `${1 + (i % 4)}.${i % 10}-${1 + (i % 3)}+deb10u1`,
      kind: 'binary',
      source: python
        ? { id: next(), name: '', version: '' }
        : { id: next(), name: `src-${i >> 1}`, version: '1.0-1', kind: 'source' },
      normalized_version: python ? `pep440:0.${i % 7}.0.0.0.0.0.0.0.0` : '',
      arch: python ? '' : 'amd64',
      cpe: '',
    }
    environments[pid] = [
      {
        package_db: python ? 'python:usr/lib/python3/site-packages' : 'var/lib/dpkg/status',
        introduced_in: LAYERS[i % LAYERS.length] as string,
        distribution_id: python ? '' : distId,
        repository_ids: python ? [repoId] : null,
      },
    ]
    pkgIds.push(pid)
  }

  // Each vulnerability record is for one package name (as in Clair); matches pick records of their package.
  const vulnerabilities: Record<string, Vulnerability> = {}
  const packageVulnerabilities: Record<string, string[]> = {}
  const cvss: Record<string, unknown[]> = {}
  let cve = 1
  for (const pid of pkgIds) {
    const p = packages[pid] as Package
    const python = p.name.startsWith('py-')
    const n = Math.max(0, Math.round(o.matchesPerPackage * (0.5 + random())))
    const list: string[] = []
    for (let k = 0; k < n; k++) {
      const vid = next()
      const name = `CVE-20${10 + (cve % 15)}-${10000 + cve++}`
      vulnerabilities[vid] = {
        id: vid,
        updater: python ? 'pyupio' : 'debian-bullseye-updater',
        name,
        description: `${name} in ${p.name}: ${filler}`,
        issued: random() < 0.3 ? '0001-01-01T00:00:00Z' : '2023-10-18T00:00:00Z',
        links: `https://security-tracker.debian.org/tracker/${name} https://nvd.nist.gov/vuln/detail/${name}`,
        severity: python ? '' : pick(['low', 'medium', 'high', 'unimportant']),
        normalized_severity: pick(SEVERITIES),
        package: { id: '', name: p.name, version: python ? `<${2 + k}.0` : '', kind: 'binary' },
        distribution: python
          ? {
              id: '',
              did: '',
              name: '',
              version: '',
              version_code_name: '',
              version_id: '',
              arch: '',
              cpe: '',
              pretty_name: '',
            }
          : {
              id: '',
              did: 'debian',
              name: 'Debian GNU/Linux',
              version: '10 (buster)',
              version_code_name: 'buster',
              version_id: '10',
              arch: '',
              cpe: '',
              pretty_name: 'Debian GNU/Linux 10 (buster)',
            },
        repository: python ? { name: 'pypi', uri: 'https://pypi.org/simple' } : {},
        fixed_in_version: random() < 0.7 ? `${2 + k}.0-1` : '',
        ...(python ? {} : { arch_op: 'equals' }),
      }
      list.push(vid)
      if (random() < 0.5) {
        cvss[vid] = [
          {
            version: '3.1',
            baseScore: Math.round(random() * 100) / 10,
            baseSeverity: 'HIGH',
            vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N',
          },
        ]
      }
    }
    if (list.length > 0) packageVulnerabilities[pid] = list
  }

  return {
    manifest_hash: `sha256:${'ab'.repeat(32)}`,
    packages,
    distributions: {
      [distId]: {
        id: distId,
        did: 'debian',
        name: 'Debian GNU/Linux',
        version: '10 (buster)',
        version_code_name: 'buster',
        version_id: '10',
        arch: '',
        cpe: '',
        pretty_name: 'Debian GNU/Linux 10 (buster)',
      },
    },
    repository: { [repoId]: { id: repoId, name: 'pypi', uri: 'https://pypi.org/simple' } },
    environments,
    vulnerabilities,
    package_vulnerabilities: packageVulnerabilities,
    enrichments: { [CVSS_TYPE]: [cvss] },
  }
}

/** The index report part of a vulnerability report, as GET index_report returns it. */
export function indexPart(vr: VulnerabilityReport): import('../../../src/clair/types.ts').IndexReport {
  return {
    manifest_hash: vr.manifest_hash,
    state: 'IndexFinished',
    packages: vr.packages ?? {},
    distributions: vr.distributions ?? {},
    repository: vr.repository ?? {},
    environments: vr.environments ?? {},
    success: true,
    err: '',
  }
}
