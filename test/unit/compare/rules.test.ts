import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { DEFAULT_RULES } from '../../../src/config/default-rules.ts'
import { matchRule } from '../../../src/compare/rules.ts'
import { parseRules } from '../../../src/config/rules.ts'
import { UserError } from '../../../src/errors.ts'
import type { Difference } from '../../../src/rundir/types.ts'

function fails(text: string, message: string | RegExp): void {
  assert.throws(
    () => parseRules(text, 'rules.yml'),
    (e: unknown) => {
      assert.ok(e instanceof UserError, String(e))
      if (typeof message === 'string') assert.equal(e.message, message)
      else assert.match(e.message, message)
      return true
    },
  )
}

test('an empty file gives the defaults', () => {
  assert.deepEqual(parseRules('', 'rules.yml'), DEFAULT_RULES)
  assert.deepEqual(parseRules('# nothing\n', 'rules.yml'), DEFAULT_RULES)
})

test('a partial file is merged over the defaults', () => {
  const rules = parseRules(
    [
      'ignoreDetector: false',
      'byDesign: { allow: [added, changed] }',
      'ignore:',
      "  - { kind: package, key: 'gpg-pubkey *', reason: not a package }",
      'expected:',
      '  - updater: osv/go',
      '    change: added',
      '    expires: 2026-12-31',
      '    reason: pseudo-versions',
      'gates:',
      '  maxCodeDifferences: { vulnerability: 3 }',
      '  latency: { maxRatio: { p95: 1.8 } }',
    ].join('\n'),
    'rules.yml',
  )
  assert.equal(rules.ignoreDetector, false)
  assert.deepEqual(rules.byDesign.allow, ['added', 'changed'])
  assert.deepEqual(rules.ignore, [{ kind: 'package', key: 'gpg-pubkey *', reason: 'not a package' }])
  assert.deepEqual(rules.expected, [
    { updater: 'osv/go', change: 'added', expires: '2026-12-31', reason: 'pseudo-versions' },
  ])
  assert.deepEqual(rules.gates.maxCodeDifferences, { index: 0, vulnerability: 3 })
  assert.deepEqual(rules.gates.latency.maxRatio, { p50: 1.25, p95: 1.8, p99: 2 })
  assert.equal(rules.gates.minCompared, DEFAULT_RULES.gates.minCompared)
  // The defaults themselves are untouched.
  assert.deepEqual(DEFAULT_RULES.gates.latency.maxRatio, { p50: 1.25, p95: 1.5, p99: 2 })
})

test('the example rules file parses', () => {
  const path = new URL('../../../examples/clair-canary.rules.yml', import.meta.url)
  const rules = parseRules(readFileSync(path, 'utf8'), 'examples/clair-canary.rules.yml')
  assert.ok(rules.ignore.length > 0 && rules.expected.length > 0)
})

test('errors name file, line, column, path and what was expected', () => {
  fails('ignoreDetector: yes please\n', 'rules.yml:1:17: ignoreDetector must be true or false')
  fails('gates:\n  minCompared: -1\n', 'rules.yml:2:16: gates.minCompared must be an integer ≥ 0')
  fails(
    'gates:\n  latency:\n    alpha: 2\n',
    'rules.yml:3:12: gates.latency.alpha must be a number > 0 ≤ 0.5',
  )
  fails(
    'gates:\n  latncy: {}\n',
    /^rules\.yml:2:3: gates\.latncy must be one of the known keys .*unknown key$/,
  )
  fails(
    'byDesign:\n  allow: [added, dropped]\n',
    'rules.yml:2:18: byDesign.allow[1] must be one of added, removed, changed',
  )
  fails(
    'expected:\n  - kind: package\n    reason: r\n    expires: 2026-02-30\n',
    'rules.yml:4:14: expected[0].expires must be a date written YYYY-MM-DD',
  )
  fails(
    'expected:\n  - kind: package\n    reason: r\n',
    /^rules\.yml:2:5: expected\[0\]\.expires must be given/,
  )
  fails('ignore:\n  - { kind: package }\n', /^rules\.yml:2:5: ignore\[0\]\.reason must be given/)
  fails(
    'ignore:\n  - { reason: everything }\n',
    /^rules\.yml:2:5: ignore\[0\] must be a rule with at least one of/,
  )
  fails("ignore:\n  - { key: '', reason: r }\n", /^rules\.yml:2:12: ignore\[0\]\.key must be a glob/)
  fails(
    "ignore:\n  - { key: 'a/**', reason: r }\n",
    /^rules\.yml:2:12: ignore\[0\]\.key must be a glob.*write \* once/,
  )
  fails('ignore: {}\n', 'rules.yml:1:9: ignore must be a list')
  fails('- a\n', 'rules.yml:1:1: the rules file must be a mapping')
  fails('gates: [\n', /^rules\.yml:\d+:\d+: not valid YAML/)
})

test('matchRule: fields must all match; * spans any characters', () => {
  const d: Difference = {
    report: 'vulnerability',
    kind: 'vulnerability',
    change: 'added',
    key: 'CVE-2024-1 on openssl 1.1.1k (rpm, bdb:var/lib/rpm)',
    attribution: 'code',
    before: null,
    after: null,
    ecosystem: 'rpm',
    updater: 'RHEL8-rhel-8',
  }
  assert.ok(matchRule({ key: 'CVE-2024-* on openssl *' }, d))
  assert.ok(matchRule({ key: '*(rpm, bdb:var/lib/rpm)', updater: 'RHEL8-*' }, d))
  assert.ok(!matchRule({ key: 'CVE-2024-*', change: 'removed' }, d))
  assert.ok(!matchRule({ key: 'openssl*' }, d))
  assert.ok(!matchRule({ ecosystem: 'dpkg' }, d))
  assert.ok(matchRule({ key: 'CVE-2024-1 on openssl 1.1.1k (rpm, bdb:var/lib/rpm)' }, d))
  assert.ok(
    !matchRule({ key: 'CVE-2024-1 on openssl 1.1.1k (rpm, bdb:var/lib/rpm' }, d),
    'parentheses are literal',
  )
})
