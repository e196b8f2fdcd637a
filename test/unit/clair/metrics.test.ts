import { test } from 'node:test'
import assert from 'node:assert/strict'
import { matchRevision, parseSamples, parseVersionInfo } from '../../../src/clair/metrics.ts'

const EXPOSITION = `# HELP clair_cmd_version_info Version information.
# TYPE clair_cmd_version_info gauge
clair_cmd_version_info{claircore_version="v1.5.52",goversion="go1.24.5",modified="false",revision="eb22407da3d3ee32534ed956be3696080754288d",version="v4.9.0-12-geb22407"} 1
# HELP clair_http_indexerv1_request_total A total count of http requests for the given path
# TYPE clair_http_indexerv1_request_total counter
clair_http_indexerv1_request_total{code="201",handler="/indexer/api/v1/index_report",method="post"} 12
clair_http_indexerv1_request_total{code="500",handler="/indexer/api/v1/index_report",method="post"} 2
clair_http_indexerv1_request_total{code="200",handler="/indexer/api/v1/index_state",method="get"} 4 1700000000000
clair_http_indexerv1_request_total_created{code="201",handler="/indexer/api/v1/index_report",method="post"} 1.7e9
# TYPE clair_http_indexerv1_request_duration_seconds histogram
clair_http_indexerv1_request_duration_seconds_bucket{code="201",handler="/indexer/api/v1/index_report",method="post",le="+Inf"} 12
go_gc_duration_seconds{quantile="0.5"} NaN
weird_label{path="C:\\\\temp",quote="say \\"hi\\", then {go}",multi="a\\nb"} 3
{"clair.utf8.metric",le="0.5"} 7
broken_line{code="200" 5
`

test('parseVersionInfo reads the build labels of clair_cmd_version_info', () => {
  assert.deepEqual(parseVersionInfo(EXPOSITION), {
    version: 'v4.9.0-12-geb22407',
    revision: 'eb22407da3d3ee32534ed956be3696080754288d',
    claircore_version: 'v1.5.52',
    goversion: 'go1.24.5',
    modified: 'false',
  })
  assert.equal(parseVersionInfo('# nothing here\nup 1\n'), undefined)
  assert.deepEqual(parseVersionInfo('clair_cmd_version_info{version="v4.8.0",revision=""} 1'), {
    version: 'v4.8.0',
  })
})

test('label values with escaped quotes, backslashes, newlines and braces parse', () => {
  const weird = parseSamples(EXPOSITION).find((s) => s.name === 'weird_label')
  assert.deepEqual(weird?.labels, { path: 'C:\\temp', quote: 'say "hi", then {go}', multi: 'a\nb' })
  const all = parseSamples(EXPOSITION)
  assert.ok(Number.isNaN(all.find((s) => s.name === 'go_gc_duration_seconds')?.value))
  assert.equal(all.find((s) => s.name.endsWith('_bucket'))?.value, 12)
  assert.deepEqual(
    all.find((s) => s.name === 'clair.utf8.metric'),
    { name: 'clair.utf8.metric', labels: { le: '0.5' }, value: 7 },
  )
  assert.equal(
    all.some((s) => s.name === 'broken_line'),
    false,
    'an unparseable line is skipped',
  )
})

// The label forms Clair v4.9.0's cmd/build.go gives (init): a git checkout, a release archive (git-export), a
// Dockerfile build with CLAIR_VERSION, and a Go module-proxy build that carries no commit.
const SHA = 'eb22407da3d3ee32534ed956be3696080754288d'
const FORMS = {
  checkout: { revision: SHA, version: `rev ${SHA}`, modified: 'false' },
  dirty: { revision: SHA, version: `rev ${SHA} (dirty)`, modified: 'true' },
  archive: { revision: 'eb22407d (2025-06-30T14:02:11+02:00)', version: 'v4.9.0' },
  dockerfile: { revision: SHA, version: 'v4.9.0 (user)' },
  moduleProxy: {
    revision: '$Format:%h (%cI)$',
    version: '(random source build)',
    claircore_version: 'v1.5.48',
  },
}

test('expect-revision matches every form of the revision label, commit prefixes either way', () => {
  for (const [form, info] of Object.entries(FORMS).filter(([f]) => f !== 'moduleProxy')) {
    for (const expected of [SHA, SHA.slice(0, 7), SHA.slice(0, 12), SHA.toUpperCase()])
      assert.ok(matchRevision(expected, info).match, `${form} served, ${expected} expected`)
    assert.equal(matchRevision('1234567', info).match, false, form)
  }
  // A short served commit matches the full expected one (the archive form abbreviates it).
  assert.deepEqual(matchRevision(SHA, FORMS.archive), { match: true, commit: 'eb22407d' })
  // Below the minimum length nothing matches, either way.
  assert.equal(matchRevision(SHA, { revision: 'eb224 (2025-06-30T14:02:11+02:00)' }).match, false)
  // An empty revision label: the version's `rev <sha>` names the commit.
  assert.ok(matchRevision(SHA.slice(0, 9), { version: `rev ${SHA}` }).match)
})

test('a module-proxy build carries no commit, and expect-revision says so plainly instead of waiting', () => {
  const served = matchRevision(SHA, FORMS.moduleProxy)
  assert.equal(served.match, false)
  assert.ok(!served.match && served.final)
  assert.match(!served.match ? served.why : '', /carries no commit .*Go module proxy.*drop expect-revision/)
  const unknown = matchRevision(SHA, undefined)
  assert.ok(!unknown.match && !unknown.final, 'no metrics yet: keep waiting')
})
