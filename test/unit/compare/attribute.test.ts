import { test } from 'node:test'
import assert from 'node:assert/strict'
import { addToNoiseIndex } from '../../../src/compare/compare.ts'
import { emptyNoiseIndex } from '../../../src/compare/attribute.ts'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { compareManifest } from './helpers.ts'
import { indexPart, syntheticVulnerabilityReport } from './synthetic.ts'
import type { UpdateOperations, VulnerabilityReport } from '../../../src/clair/types.ts'
import type { CompareInput } from '../../../src/compare/compare.ts'
import type { NoiseIndex } from '../../../src/compare/attribute.ts'
import type { Rules } from '../../../src/config/types.ts'

function noiseOf(inputs: CompareInput[], rules: Rules): NoiseIndex {
  const noise = emptyNoiseIndex()
  for (const input of inputs) addToNoiseIndex(noise, input, rules)
  return noise
}

const base = syntheticVulnerabilityReport({
  packages: 10,
  matchesPerPackage: 2,
  seed: 42,
  descriptionLength: 10,
})

function input(production: VulnerabilityReport, canary: VulnerabilityReport): CompareInput {
  return {
    digest: production.manifest_hash,
    production: { index: indexPart(production), vulnerability: production },
    canary: { index: indexPart(canary), vulnerability: canary },
  }
}

/** A canary report with one extra package (index: added). */
function withExtraPackage(): VulnerabilityReport {
  const canary = structuredClone(base)
  canary.packages!['9999'] = { id: '9999', name: 'newpkg', version: '1.0', kind: 'binary', arch: 'amd64' }
  canary.environments!['9999'] = [
    { package_db: 'var/lib/dpkg/status', introduced_in: 'sha256:' + 'cd'.repeat(32), distribution_id: '' },
  ]
  return canary
}

/** A canary report where one debian vulnerability has another fix version (vulnerability: changed). */
function withNewFix(): { canary: VulnerabilityReport; updater: string } {
  const canary = structuredClone(base)
  const [vid, v] = Object.entries(canary.vulnerabilities!).find(
    ([, v]) => v.updater === 'debian-bullseye-updater',
  )!
  canary.vulnerabilities![vid] = { ...v, fixed_in_version: '99.0-1' }
  return { canary, updater: v.updater }
}

function ops(updater: string, fingerprint: string, date: string): UpdateOperations {
  return {
    [updater]: [
      { ref: '00000000-0000-0000-0000-000000000000', updater, fingerprint, date, kind: 'vulnerability' },
    ],
  }
}

function rules(extra: Partial<Rules>): Rules {
  return { ...structuredClone(DEFAULT_RULES), ...extra }
}

test('code: a difference nothing explains, with the reason in why', () => {
  const { canary } = withNewFix()
  const [d] = compareManifest(input(base, canary)).differences
  assert.equal(d?.kind, 'vulnerability')
  assert.equal(d?.change, 'changed')
  assert.equal(d?.attribution, 'code')
  assert.deepEqual(d?.after, { fixed_in_version: '99.0-1' })
  assert.match(d?.why ?? '', /update operations of production and canary unknown/)
})

test('drift: the updater fingerprints differ; the why names both', () => {
  const { canary, updater } = withNewFix()
  const [d] = compareManifest(input(base, canary), {
    updateOperations: {
      production: ops(updater, '7f3a00112233445566', '2026-11-21T06:00:00Z'),
      canary: ops(updater, '9c0100112233445566', '2026-11-22T06:00:00Z'),
    },
  }).differences
  assert.equal(d?.attribution, 'drift')
  assert.equal(d?.updater, updater)
  assert.equal(
    d?.why,
    `updater ${updater}: production fingerprint 7f3a0011… (2026-11-21), canary 9c010011… (2026-11-22)`,
  )
})

test('not drift when fingerprints are equal, or when one side is unknown', () => {
  const { canary, updater } = withNewFix()
  const same = ops(updater, 'abc', '2026-11-21T06:00:00Z')
  const [d] = compareManifest(input(base, canary), {
    updateOperations: { production: same, canary: same },
  }).differences
  assert.equal(d?.attribution, 'code')
  assert.match(d?.why ?? '', /same fingerprint abc/)
  const [e] = compareManifest(input(base, canary), { updateOperations: { production: same } }).differences
  assert.equal(e?.attribution, 'code')
  assert.match(e?.why ?? '', /update operations of canary unknown/)
})

test('by-design: index states differ and additions are allowed; removals are not', () => {
  const states = {
    production: 'aae368a064d7c5a433d0bf2c4f5554cc',
    canary: 'bbe368a064d7c5a433d0bf2c4f5554cc',
  }
  const added = compareManifest(input(base, withExtraPackage()), { indexStates: states }).differences
  assert.equal(added.length, 1)
  assert.equal(added[0]?.change, 'added')
  assert.equal(added[0]?.attribution, 'by-design')
  assert.match(added[0]?.why ?? '', /index states differ .* rules allow added/)

  const removed = compareManifest(input(withExtraPackage(), base), { indexStates: states }).differences
  assert.equal(removed[0]?.change, 'removed')
  assert.equal(removed[0]?.attribution, 'code')
  assert.match(removed[0]?.why ?? '', /removed is not allowed by design/)

  const equal = compareManifest(input(base, withExtraPackage()), {
    indexStates: { production: 'x', canary: 'x' },
  })
  assert.equal(equal.differences[0]?.attribution, 'code')
})

test('noise: a kind+key that differs between two reads of production is noise everywhere', () => {
  const { canary } = withNewFix()
  const first = input(base, canary)
  // Another manifest whose production re-read shows the same vulnerability flapping.
  const other: CompareInput = {
    ...input(base, base),
    digest: 'sha256:' + 'ef'.repeat(32),
    rereads: { production: input(base, canary).canary },
  }
  const noise = noiseOf([first, other], DEFAULT_RULES)
  const [d] = compareManifest(first, {}, noise).differences
  assert.equal(d?.attribution, 'noise')
  assert.match(d?.why ?? '', /two reads of production/)
})

test('noise seen only between two reads of the canary is flagged as new non-determinism', () => {
  const { canary } = withNewFix()
  const first: CompareInput = { ...input(base, canary), rereads: { canary: input(base, base).canary } }
  const noise = noiseOf([first], DEFAULT_RULES)
  assert.equal(noise.production.size, 0)
  const [d] = compareManifest(first, {}, noise).differences
  assert.equal(d?.attribution, 'noise')
  assert.match(d?.why ?? '', /canary only/)
})

test('allowed: an ignore rule, and an expected change until it expires', () => {
  const { canary } = withNewFix()
  const ignore = rules({
    ignore: [{ kind: 'vulnerability', key: 'CVE-* on lib-*', reason: 'debian feed churn' }],
  })
  const [d] = compareManifest(input(base, canary), { rules: ignore }).differences
  assert.equal(d?.attribution, 'allowed')
  assert.equal(d?.why, 'ignore rule: debian feed churn')

  const expected = rules({
    expected: [{ change: 'changed', updater: 'debian-*', expires: '2026-06-01', reason: 'new fix parser' }],
  })
  const [e] = compareManifest(input(base, canary), { rules: expected, today: '2026-06-01' }).differences
  assert.equal(e?.attribution, 'allowed')
  assert.equal(e?.why, 'expected change until 2026-06-01: new fix parser')
})

test('an expired expected change no longer applies, and the why says it expired', () => {
  const { canary } = withNewFix()
  const expected = rules({
    expected: [{ change: 'changed', expires: '2026-05-31', reason: 'new fix parser' }],
  })
  const [d] = compareManifest(input(base, canary), { rules: expected, today: '2026-06-01' }).differences
  assert.equal(d?.attribution, 'code')
  assert.match(d?.why ?? '', /expected-change rule "new fix parser" expired 2026-05-31$/)
})

test('a failed canary index is one state difference, never by design, not one per missing package', () => {
  const canary = {
    ...indexPart(base),
    state: 'IndexError',
    success: false,
    err: 'fetch https://s3/x?X-Amz-Signature=abc: 403',
    packages: {},
  }
  const diff = compareManifest(
    { digest: base.manifest_hash, production: { index: indexPart(base) }, canary: { index: canary } },
    {
      indexStates: { production: 'a', canary: 'b' },
      rules: rules({ byDesign: { allow: ['added', 'removed', 'changed'] } }),
    },
  )
  assert.equal(diff.differences.length, 1)
  const d = diff.differences[0]!
  assert.equal(d.kind, 'state')
  assert.equal(d.attribution, 'code')
  assert.deepEqual(d.after, { state: 'IndexError', success: false, err: 'fetch https://s3/x: 403' })
})

test('a changed package carries the vulnerabilities that changed with it', () => {
  const canary = structuredClone(base)
  const [pid, pkg] = Object.entries(canary.packages!).find(
    ([id]) => (canary.package_vulnerabilities![id]?.length ?? 0) > 0,
  )!
  pkg.version = '99.0'
  const dropped = canary.package_vulnerabilities![pid]!.length
  canary.package_vulnerabilities![pid] = []
  const diff = compareManifest(input(base, canary))
  assert.equal(diff.differences.length, 1)
  assert.equal(diff.differences[0]?.change, 'changed')
  assert.equal(diff.differences[0]?.vulnerabilities?.removed, dropped)
  assert.equal(diff.differences[0]?.vulnerabilities?.names.length, Math.min(20, dropped))
})
