// The compare settles an entry whose matches agree by comparing vulnerabilities in place (sameMatch), and
// interns identities only where they differ (of). The two must agree, or the shortcut would hide differences.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { Interner } from '../../../src/compare/intern.ts'
import {
  sameVulnerabilityData,
  VulnerabilityIdentities,
} from '../../../src/compare/vulnerability-identity.ts'
import type { Vulnerability } from '../../../src/clair/types.ts'

// Few values per field, every empty form among them, so that equal and unequal pairs both come up often.
const empty = fc.constantFrom<unknown>(undefined, null, '', [], {})
const field = (...values: string[]) => fc.oneof(empty, fc.constantFrom(...values))
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(fc.constantFrom(undefined, null), arb)

const vulnerability = fc.record(
  {
    id: fc.constantFrom('1', '2'),
    updater: field('debian', 'pyupio'),
    name: field('CVE-1', 'CVE-2'),
    range: field('<2.0'),
    arch_op: field('equals'),
    package: maybe(
      fc.record({
        name: field('openssl'),
        version: field('1.0', '1.1'),
        kind: field('binary'),
        source: maybe(fc.record({ name: field('openssl-src'), version: field('1.0') })),
      }),
    ),
    distribution: maybe(fc.record({ did: field('debian'), version_id: field('10', '11'), arch: field('') })),
    repository: maybe(fc.record({ name: field('pypi'), uri: field('https://pypi.org/simple') })),
    fixed_in_version: field('2.0'),
    severity: field('low', 'high'),
    normalized_severity: field('Low'),
    links: field('a b', 'b a', 'a'),
    issued: field('2023-10-18T00:00:00Z', '2023-10-18T02:00:00+02:00', '0001-01-01T00:00:00Z'),
    description: field('text'),
    Aliases: field('GHSA-1'),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Vulnerability>

const FIELDS = [
  'id',
  'updater',
  'name',
  'range',
  'arch_op',
  'package',
  'distribution',
  'repository',
  'fixed_in_version',
  'severity',
  'normalized_severity',
  'links',
  'issued',
  'description',
  'Aliases',
]

for (const extras of [[], ['Aliases']]) {
  test(`sameMatch holds exactly when of() gives one identity and the data agrees (extras: ${extras.join() || 'none'})`, () => {
    let equal = 0
    fc.assert(
      fc.property(vulnerability, vulnerability, fc.subarray(FIELDS, { maxLength: 2 }), (a, other, fields) => {
        // b is a with a few fields (or parts) taken from another: often the same match in another form.
        const b = { ...a } as Record<string, unknown>
        for (const f of fields) b[f] = (other as unknown as Record<string, unknown>)[f]
        const identities = new VulnerabilityIdentities(new Interner(), extras)
        const x = identities.of(a)
        const y = identities.of(b as Vulnerability)
        const expected = x.identity === y.identity && sameVulnerabilityData(x, y)
        if (expected) equal++
        assert.equal(identities.sameMatch(a, b as Vulnerability), expected)
        assert.equal(identities.sameMatch(b as Vulnerability, a), expected)
      }),
      { numRuns: 2000 },
    )
    // Both answers were exercised, not only "different".
    assert.ok(equal > 0, 'no equal pair was generated')
  })
}
