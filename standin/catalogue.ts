// The software the synthetic images are made of. The corpus installs it and the synthetic
// vulnerability database is written against it, so package names and versions line up.

export type PackageManager = 'dpkg' | 'apk' | 'rpm'
export type Language = 'python' | 'go' | 'java'
export type Ecosystem = PackageManager | Language

export const LANGUAGES: readonly Language[] = ['python', 'go', 'java']

export interface DistributionSpec {
  /** Stable key, e.g. "debian-12"; CorpusImage.distribution. */
  key: string
  packageManager: PackageManager
  /** etc/os-release as the image carries it. */
  osRelease: Record<string, string>
  /** The updater whose vulnerabilities apply to this distribution's packages. */
  updater: string
  /** Content sets (root/buildinfo/content_manifests), RHEL only. */
  contentSets?: string[]
  arch: string
}

export const DISTRIBUTIONS: readonly DistributionSpec[] = [
  {
    key: 'debian-12',
    packageManager: 'dpkg',
    updater: 'debian-updater',
    arch: 'amd64',
    osRelease: {
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
      NAME: 'Debian GNU/Linux',
      VERSION_ID: '12',
      VERSION: '12 (bookworm)',
      VERSION_CODENAME: 'bookworm',
      ID: 'debian',
    },
  },
  {
    key: 'debian-11',
    packageManager: 'dpkg',
    updater: 'debian-updater',
    arch: 'amd64',
    osRelease: {
      PRETTY_NAME: 'Debian GNU/Linux 11 (bullseye)',
      NAME: 'Debian GNU/Linux',
      VERSION_ID: '11',
      VERSION: '11 (bullseye)',
      VERSION_CODENAME: 'bullseye',
      ID: 'debian',
    },
  },
  {
    key: 'ubuntu-22.04',
    packageManager: 'dpkg',
    updater: 'ubuntu/updater',
    arch: 'amd64',
    osRelease: {
      PRETTY_NAME: 'Ubuntu 22.04.4 LTS',
      NAME: 'Ubuntu',
      VERSION_ID: '22.04',
      VERSION: '22.04.4 LTS (Jammy Jellyfish)',
      VERSION_CODENAME: 'jammy',
      ID: 'ubuntu',
      ID_LIKE: 'debian',
    },
  },
  {
    key: 'alpine-3.19',
    packageManager: 'apk',
    updater: 'alpine-main-v3.19-updater',
    arch: 'x86_64',
    osRelease: {
      NAME: 'Alpine Linux',
      ID: 'alpine',
      VERSION_ID: '3.19',
      PRETTY_NAME: 'Alpine Linux v3.19',
    },
  },
  {
    key: 'rhel-9',
    packageManager: 'rpm',
    updater: 'RHEL9-rhel-9',
    arch: 'x86_64',
    contentSets: ['rhel-9-for-x86_64-baseos-rpms', 'rhel-9-for-x86_64-appstream-rpms'],
    osRelease: {
      NAME: 'Red Hat Enterprise Linux',
      VERSION: '9.4 (Plow)',
      ID: 'rhel',
      VERSION_ID: '9.4',
      PRETTY_NAME: 'Red Hat Enterprise Linux 9.4 (Plow)',
      CPE_NAME: 'cpe:/o:redhat:enterprise_linux:9::baseos',
    },
  },
]

export interface CatalogueEntry {
  name: string
  /** Source package name (dpkg Source:, apk origin, rpm SRPM); absent for languages. */
  source?: string
  /** Ascending: index order is version order. */
  versions: string[]
  /** rpm only: noarch packages. */
  noarch?: boolean
}

// [name, source, base version]. Epochs ("1:") appear on a few, as they do in Debian and Fedora.
const DPKG: ReadonlyArray<[string, string, string]> = [
  ['libc6', 'glibc', '2.36'],
  ['libc-bin', 'glibc', '2.36'],
  ['bsdutils', 'util-linux', '1:2.38.1'],
  ['util-linux', 'util-linux', '2.38.1'],
  ['libssl3', 'openssl', '3.0.11'],
  ['openssl', 'openssl', '3.0.11'],
  ['zlib1g', 'zlib', '1:1.2.13'],
  ['libcurl4', 'curl', '7.88.1'],
  ['curl', 'curl', '7.88.1'],
  ['tar', 'tar', '1.34'],
  ['gzip', 'gzip', '1.12'],
  ['bash', 'bash', '5.2.15'],
  ['coreutils', 'coreutils', '9.1'],
  ['libsystemd0', 'systemd', '252.22'],
  ['libudev1', 'systemd', '252.22'],
  ['perl-base', 'perl', '5.36.0'],
  ['libgnutls30', 'gnutls28', '3.7.9'],
  ['libxml2', 'libxml2', '2.9.14'],
  ['libsqlite3-0', 'sqlite3', '3.40.1'],
  ['ncurses-base', 'ncurses', '6.4'],
  ['libpcre2-8-0', 'pcre2', '10.42'],
  ['login', 'shadow', '1:4.13'],
  ['passwd', 'shadow', '1:4.13'],
  ['libgcrypt20', 'libgcrypt20', '1.10.1'],
  ['libexpat1', 'expat', '2.5.0'],
  ['ca-certificates', 'ca-certificates', '20230311'],
  ['git', 'git', '1:2.39.2'],
  ['python3.11', 'python3.11', '3.11.2'],
]

const APK: ReadonlyArray<[string, string, string]> = [
  ['musl', 'musl', '1.2.4'],
  ['busybox', 'busybox', '1.36.1'],
  ['alpine-baselayout', 'alpine-baselayout', '3.4.3'],
  ['alpine-keys', 'alpine-keys', '2.4'],
  ['libcrypto3', 'openssl', '3.1.4'],
  ['libssl3', 'openssl', '3.1.4'],
  ['zlib', 'zlib', '1.3.1'],
  ['apk-tools', 'apk-tools', '2.14.0'],
  ['ca-certificates-bundle', 'ca-certificates', '20240226'],
  ['libcurl', 'curl', '8.5.0'],
  ['curl', 'curl', '8.5.0'],
  ['xz-libs', 'xz', '5.4.5'],
  ['sqlite-libs', 'sqlite', '3.44.2'],
  ['libexpat', 'expat', '2.6.0'],
  ['python3', 'python3', '3.11.8'],
  ['git', 'git', '2.43.0'],
]

const RPM: ReadonlyArray<[string, string, string, boolean?]> = [
  ['glibc', 'glibc', '2.34'],
  ['glibc-minimal-langpack', 'glibc', '2.34'],
  ['openssl-libs', 'openssl', '1:3.0.7'],
  ['zlib', 'zlib', '1.2.11'],
  ['bash', 'bash', '5.1.8'],
  ['coreutils-single', 'coreutils', '8.32'],
  ['libcurl-minimal', 'curl', '7.76.1'],
  ['curl-minimal', 'curl', '7.76.1'],
  ['systemd-libs', 'systemd', '252'],
  ['libxml2', 'libxml2', '2.9.13'],
  ['sqlite-libs', 'sqlite', '3.34.1'],
  ['expat', 'expat', '2.5.0'],
  ['gnutls', 'gnutls', '3.8.3'],
  ['ncurses-base', 'ncurses', '6.2', true],
  ['tzdata', 'tzdata', '2024a', true],
  ['redhat-release', 'redhat-release', '9.4'],
  ['python3', 'python3.9', '3.9.18'],
  ['krb5-libs', 'krb5', '1.21.1'],
]

const PYTHON: ReadonlyArray<[string, string]> = [
  ['requests', '2.28.1'],
  ['urllib3', '1.26.12'],
  ['certifi', '2022.9.24'],
  ['idna', '3.4.0'],
  ['charset-normalizer', '2.1.1'],
  ['Jinja2', '3.1.2'],
  ['MarkupSafe', '2.1.1'],
  ['Flask', '2.2.2'],
  ['Werkzeug', '2.2.2'],
  ['PyYAML', '6.0.0'],
  ['cryptography', '38.0.3'],
  ['setuptools', '65.5.0'],
  ['pip', '22.3.1'],
  ['wheel', '0.38.4'],
  ['Django', '4.1.3'],
  ['numpy', '1.23.5'],
  ['Pillow', '9.3.0'],
  ['aiohttp', '3.8.3'],
]

const GO: ReadonlyArray<[string, string]> = [
  ['golang.org/x/net', '0.17.0'],
  ['golang.org/x/crypto', '0.14.0'],
  ['golang.org/x/text', '0.13.0'],
  ['golang.org/x/sys', '0.13.0'],
  ['google.golang.org/grpc', '1.58.2'],
  ['google.golang.org/protobuf', '1.31.0'],
  ['github.com/prometheus/client_golang', '1.17.0'],
  ['github.com/sirupsen/logrus', '1.9.3'],
  ['github.com/spf13/cobra', '1.7.0'],
  ['github.com/gorilla/mux', '1.8.0'],
  ['github.com/jackc/pgx/v5', '5.4.3'],
  ['gopkg.in/yaml.v3', '3.0.1'],
  ['github.com/golang-jwt/jwt/v4', '4.5.0'],
  ['github.com/docker/docker', '24.0.6'],
]

/** Go toolchains the binaries were built with: the "stdlib" package. */
export const GO_TOOLCHAINS: readonly string[] = ['1.21.3', '1.21.5', '1.22.1', '1.22.9']

const JAVA: ReadonlyArray<[string, string]> = [
  ['com.fasterxml.jackson.core:jackson-databind', '2.13.4'],
  ['com.fasterxml.jackson.core:jackson-core', '2.13.4'],
  ['org.apache.logging.log4j:log4j-core', '2.17.0'],
  ['org.apache.commons:commons-text', '1.9.0'],
  ['org.springframework:spring-core', '5.3.23'],
  ['org.springframework:spring-web', '5.3.23'],
  ['org.yaml:snakeyaml', '1.33.0'],
  ['io.netty:netty-codec-http', '4.1.85'],
  ['com.google.guava:guava', '31.1.0'],
  ['org.postgresql:postgresql', '42.5.0'],
  ['ch.qos.logback:logback-classic', '1.2.11'],
]

/** Four ascending versions from a base "a.b.c": a patch, a minor bump and its patch. */
function ladder(base: string): string[] {
  const [maj = 0, min = 0, pat = 0] = base.split('.').map((s) => Number.parseInt(s, 10) || 0)
  return [`${maj}.${min}.${pat}`, `${maj}.${min}.${pat + 1}`, `${maj}.${min + 1}.0`, `${maj}.${min + 1}.2`]
}

function splitEpoch(version: string): [string, string] {
  const m = /^(\d+:)(.*)$/.exec(version)
  return m ? [m[1] as string, m[2] as string] : ['', version]
}

function dpkgVersions(base: string, dist: DistributionSpec): string[] {
  const [epoch, upstream] = splitEpoch(base)
  if (dist.key === 'ubuntu-22.04') {
    return [
      `${upstream}-1ubuntu1`,
      `${upstream}-1ubuntu1.1`,
      `${upstream}-1ubuntu1.3`,
      `${upstream}-2ubuntu0.1`,
    ].map((v) => epoch + v)
  }
  const u = dist.osRelease['VERSION_ID']
  return [`${upstream}-1`, `${upstream}-2`, `${upstream}-2+deb${u}u1`, `${upstream}-2+deb${u}u3`].map(
    (v) => epoch + v,
  )
}

/** The packages a distribution's package manager can install, with version ladders. */
export function osCatalogue(dist: DistributionSpec): CatalogueEntry[] {
  if (dist.packageManager === 'dpkg') {
    return DPKG.map(([name, source, base]) => ({ name, source, versions: dpkgVersions(base, dist) }))
  }
  if (dist.packageManager === 'apk') {
    return APK.map(([name, source, base]) => ({
      name,
      source,
      versions: ['r0', 'r1', 'r3', 'r4'].map((r) => `${base}-${r}`),
    }))
  }
  return RPM.map(([name, source, base, noarch]) => {
    const [epoch, upstream] = splitEpoch(base)
    return {
      name,
      source,
      noarch: noarch ?? false,
      versions: ['24.el9', '25.el9', '27.el9', '27.el9_4'].map((r) => `${epoch}${upstream}-${r}`),
    }
  })
}

export function languageCatalogue(language: Language): CatalogueEntry[] {
  if (language === 'python') return PYTHON.map(([name, base]) => ({ name, versions: ladder(base) }))
  if (language === 'go')
    return GO.map(([name, base]) => ({ name, versions: ladder(base).map((v) => `v${v}`) }))
  return JAVA.map(([name, base]) => ({ name, versions: ladder(base) }))
}

/**
 * The stand-in's version order: epoch first, then the digit groups left to right. It is not
 * dpkg's or rpm's algorithm, but it orders every ladder above correctly, which is all the
 * synthetic matcher needs.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): number[] => {
    const [epoch, rest] = splitEpoch(v.replace(/^v/, ''))
    const digits = rest.match(/\d+/g) ?? []
    return [Number.parseInt(epoch || '0', 10), ...digits.map((d) => Number.parseInt(d, 10))]
  }
  const x = parse(a)
  const y = parse(b)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1)
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/** claircore-style normalized version: "<kind>:" plus ten dot-separated integers. */
export function normalizedVersion(kind: 'pep440' | 'semver', version: string): string {
  const nums = (version.replace(/^v/, '').match(/\d+/g) ?? []).map((d) => Number.parseInt(d, 10))
  const ten = [0, ...nums].slice(0, 10)
  while (ten.length < 10) ten.push(0)
  return `${kind}:${ten.join('.')}`
}
