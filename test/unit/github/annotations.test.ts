import { test } from 'node:test'
import assert from 'node:assert/strict'
import { annotationPath } from '../../../src/config/env.ts'
import {
  buildAnnotations,
  emitWorkflowAnnotations,
  limitAnnotations,
  type Annotation,
  type AnnotationProperties,
} from '../../../src/github/annotations.ts'
import { digest, makeDiffs, makeRecords, makeResult } from './fixtures.ts'
import type { ManifestDiff } from '../../../src/rundir/types.ts'

const bytes = (s: string) => Buffer.byteLength(s, 'utf8')

test('failing gates come first, then code differences, then errors, then explained differences', () => {
  const diffs = makeDiffs(400)
  const records = makeRecords(200)
  const result = makeResult('fail', diffs, records)
  const annotations = buildAnnotations(result, diffs, { path: 'rules.yaml', records })
  const first = annotations[0]!
  assert.equal(first.annotation_level, 'failure')
  assert.match(first.title, /^Gate code-differences-index failed/)
  const kinds = annotations.map((a) =>
    a.title.startsWith('Gate')
      ? 0
      : / explained as /.test(a.title)
        ? 3
        : /(canary|production) \w+: /.test(a.title)
          ? 2
          : 1,
  )
  assert.deepEqual(
    kinds,
    [...kinds].sort((a, b) => a - b),
    'sections are in priority order',
  )
  assert.ok(kinds.includes(1) && kinds.includes(2) && kinds.includes(3))
  for (const a of annotations) {
    assert.equal(a.path, 'rules.yaml')
    assert.equal(a.start_line, 1)
    assert.equal(a.end_line, 1)
  }
})

test('code differences are grouped by cause, in the judge’s order (most manifests first); counts add up', () => {
  const diffs = makeDiffs(1000)
  const result = makeResult('fail', diffs)
  const annotations = buildAnnotations(result, diffs, { path: 'x' })
  const code = annotations.filter(
    (a) => /across \d+ manifests?/.test(a.title) && a.annotation_level === 'failure',
  )
  const expected = diffs.flatMap((d) => d.differences).filter((d) => d.attribution === 'code').length
  const counted = code.reduce((n, a) => n + Number(/^(\d+) /.exec(a.title)![1]), 0)
  assert.equal(counted, expected)
  // The same groups as the summary and report.html, in the same order.
  assert.equal(code.length, result.aggregates.differences.filter((g) => g.attribution === 'code').length)
  const manifests = code.map((a) => Number(/across (\d+) manifests?/.exec(a.title)![1]))
  assert.deepEqual(
    manifests,
    [...manifests].sort((a, b) => b - a),
  )
  // Every difference of a group is listed in raw_details (digest and key).
  const total = code.reduce((n, a) => n + (a.raw_details ?? '').split('\n').length, 0)
  assert.equal(total, expected)
})

test('a dropped package is named with its manifest and key', () => {
  const diffs: ManifestDiff[] = [
    {
      digest: digest(7),
      differences: [
        {
          report: 'index',
          kind: 'package',
          change: 'removed',
          key: 'openssl 1:1.1.1k-5.el8 (rpm, bdb:var/lib/rpm)',
          attribution: 'code',
          before: {},
          after: null,
          ecosystem: 'rpm',
        },
      ],
    },
  ]
  const [gate, dropped] = buildAnnotations(makeResult('fail', diffs), diffs, { path: 'x' })
  assert.ok(gate)
  assert.equal(dropped?.title, '1 package missing on the canary (rpm) across 1 manifest (index reports)')
  assert.match(dropped.message, /openssl 1:1\.1\.1k-5\.el8/)
  assert.match(dropped.message, new RegExp(digest(7)))
})

test('titles stay within 255 characters and messages within 64 KB', () => {
  const long = 'ü'.repeat(100_000)
  const diffs: ManifestDiff[] = [
    {
      digest: digest(1),
      differences: Array.from({ length: 300 }, (_, i) => ({
        report: 'index' as const,
        kind: 'package' as const,
        change: 'removed' as const,
        key: `${long}${i}`,
        attribution: 'code' as const,
        before: null,
        after: null,
        ecosystem: long,
      })),
    },
  ]
  const result = makeResult('fail', diffs)
  result.gates[0]!.name = long
  result.gates[0]!.detail = long
  for (const a of buildAnnotations(result, diffs, { path: 'x' })) {
    assert.ok([...a.title].length <= 255, `title has ${[...a.title].length} characters`)
    assert.ok(bytes(a.message) <= 64_000)
    assert.ok(bytes(a.raw_details ?? '') <= 64_000)
  }
})

test('without records, errors are one annotation carrying the count', () => {
  const result = makeResult('pass')
  result.counts.errors = 12
  const annotations = buildAnnotations(result, [], { path: 'x' })
  assert.equal(annotations.length, 1)
  assert.match(annotations[0]!.title, /^12 request errors/)
})

test('a passing run with no differences has no annotations', () => {
  assert.deepEqual(buildAnnotations(makeResult('pass'), [], { path: 'x' }), [])
})

test('annotation path: the rules file relative to the workspace, else the workflow file', () => {
  const env = {
    GITHUB_WORKSPACE: '/home/runner/work/clair/clair',
    GITHUB_WORKFLOW_REF: 'quay/clair/.github/workflows/canary.yml@refs/heads/main',
  }
  assert.equal(
    annotationPath(env, '/home/runner/work/clair/clair/.github/canary-rules.yaml'),
    '.github/canary-rules.yaml',
  )
  assert.equal(annotationPath(env, './canary/rules.yaml'), 'canary/rules.yaml')
  assert.equal(annotationPath(env, '/elsewhere/rules.yaml'), '.github/workflows/canary.yml')
  assert.equal(annotationPath(env), '.github/workflows/canary.yml')
  assert.equal(annotationPath({}), '.github')
})

test('limitAnnotations keeps the most important and says how many more', () => {
  const many: Annotation[] = Array.from({ length: 120 }, (_, i) => ({
    path: 'p',
    start_line: 1,
    end_line: 1,
    annotation_level: 'warning',
    title: `t${i}`,
    message: 'm',
  }))
  const kept = limitAnnotations(many, 50, 'the artifact')
  assert.equal(kept.length, 50)
  assert.equal(kept[0]!.title, 't0')
  assert.equal(kept[48]!.title, 't48')
  assert.match(kept[49]!.title, /^71 more annotations/)
  assert.equal(limitAnnotations(many.slice(0, 3), 50, 'x').length, 3)
})

function recordingLog() {
  const calls: Array<{ type: string; message: string; props: AnnotationProperties | undefined }> = []
  const make = (type: string) => (message: string, props?: AnnotationProperties) =>
    calls.push({ type, message, props })
  return { calls, log: { error: make('error'), warning: make('warning'), notice: make('notice') } }
}

test('workflow annotations: at most 10 per type, then one notice saying how many more and where', () => {
  const diffs = makeDiffs(3000)
  const records = makeRecords(500)
  const annotations = buildAnnotations(makeResult('fail', diffs, records), diffs, { path: 'x', records })
  const { calls, log } = recordingLog()
  const emitted = emitWorkflowAnnotations(log, annotations, 'the check run')
  assert.equal(emitted, calls.length)
  for (const type of ['error', 'warning', 'notice']) {
    assert.ok(calls.filter((c) => c.type === type).length <= 10, `${type} within 10`)
  }
  const last = calls.at(-1)!
  assert.equal(last.type, 'notice')
  const shown = calls.length - 1
  assert.equal(
    last.message,
    `${annotations.length - shown} more annotations are not shown here: see the check run.`,
  )
  for (const c of calls) assert.ok(c.message.length <= 4096)
  // The most important one is shown, with its title.
  assert.equal(calls[0]!.props?.title, annotations[0]!.title)
})

test('workflow annotations: few enough means all of them and no extra notice', () => {
  const annotations = buildAnnotations(makeResult('fail', makeDiffs(5, 3, 1)), makeDiffs(5, 3, 1), {
    path: 'x',
  })
  const { calls, log } = recordingLog()
  emitWorkflowAnnotations(log, annotations)
  assert.equal(calls.length, annotations.length)
  assert.equal(calls[0]!.type, 'error')
})
