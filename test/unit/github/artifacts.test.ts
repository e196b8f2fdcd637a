import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join, relative } from 'node:path'
import {
  artifactName,
  assertNoSecrets,
  uploadRunArtifacts,
  type ArtifactUploader,
  type UploadOptions,
} from '../../../src/github/artifacts.ts'
import { recordingLogger } from '../../support/log.ts'

async function runDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cc-artifacts-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const hex = 'ab'.repeat(32)
  for (const f of [
    'run.json',
    'sample.jsonl',
    'records.jsonl',
    'diffs.jsonl',
    'result.json',
    'stats.json',
    'summary.md',
  ]) {
    await writeFile(join(dir, f), '{}\n')
  }
  await writeFile(join(dir, 'report.html'), '<!doctype html><title>r</title>')
  for (const side of ['canary', 'production']) {
    await mkdir(join(dir, 'reports', side), { recursive: true })
    await writeFile(join(dir, 'reports', side, `sha256-${hex}.index.json`), '{}')
  }
  await writeFile(join(dir, 'result.json.123.tmp'), 'half')
  return dir
}

class FakeUploader implements ArtifactUploader {
  calls: Array<{ name: string; files: string[]; root: string; options?: UploadOptions; html?: string }> = []
  failOn?: RegExp
  async uploadArtifact(name: string, files: string[], root: string, options?: UploadOptions) {
    if (this.failOn?.test(name)) throw new Error('Unable to get the ACTIONS_RUNTIME_TOKEN env variable')
    // Check what @actions/artifact checks: single file for skipArchive, and then the name is the file's.
    if (options?.skipArchive) {
      assert.equal(files.length, 1)
      assert.equal(basename(files[0]!), name)
    }
    assert.doesNotMatch(name, /[":<>|*?\\/\r\n]/)
    const html = options?.skipArchive ? await readFile(files[0]!, 'utf8') : undefined
    this.calls.push({ name, files, root, ...(options ? { options } : {}), ...(html ? { html } : {}) })
    return { id: 100 + this.calls.length, size: 10 }
  }
}

const target = { serverUrl: 'https://github.com', owner: 'quay', repo: 'clair', runId: 77 }
const quiet = () => {
  const log = recordingLogger()
  return { warnings: log.warnings, log }
}

test('artifact names: forbidden characters replaced, shard and matrix legs distinct', () => {
  assert.equal(artifactName('clair-canary: "nightly" <x>|*?\\/'), 'clair-canary- -nightly- -x------')
  assert.equal(artifactName('canary', { shard: { index: 0, total: 4 } }), 'canary-shard-1-of-4')
  assert.equal(artifactName('canary', { shard: { index: 0, total: 1 } }), 'canary')
  assert.equal(
    artifactName('canary', { matrix: { region: 'us-east-1', arch: 'amd64', nested: { a: 1 } } }),
    'canary-amd64-us-east-1',
  )
  assert.equal(artifactName('  '), 'clair-canary')
})

test('uploads the whole run directory and report.html on its own, with ids and URLs', async (t) => {
  const dir = await runDir(t)
  const uploader = new FakeUploader()
  const { log, warnings } = quiet()
  const out = await uploadRunArtifacts({
    uploader,
    runDir: dir,
    name: 'clair-canary-shard-1-of-2',
    retentionDays: 5,
    target,
    log,
  })
  assert.deepEqual(warnings, [])
  const [whole, report] = uploader.calls
  assert.equal(whole!.root, dir)
  assert.deepEqual(whole!.files.map((f) => relative(dir, f)).sort(), [
    'diffs.jsonl',
    'records.jsonl',
    'report.html',
    'reports/canary/sha256-' + 'ab'.repeat(32) + '.index.json',
    'reports/production/sha256-' + 'ab'.repeat(32) + '.index.json',
    'result.json',
    'run.json',
    'sample.jsonl',
    'stats.json',
    'summary.md',
  ])
  assert.deepEqual(whole!.options, { retentionDays: 5 })
  assert.equal(report!.name, 'clair-canary-shard-1-of-2-report.html')
  assert.deepEqual(report!.options, { retentionDays: 5, skipArchive: true })
  assert.equal(report!.html, '<!doctype html><title>r</title>')
  assert.deepEqual(out.run, {
    name: 'clair-canary-shard-1-of-2',
    id: 101,
    size: 10,
    url: 'https://github.com/quay/clair/actions/runs/77/artifacts/101',
  })
  assert.equal(out.report?.url, 'https://github.com/quay/clair/actions/runs/77/artifacts/102')
})

test("a sharded run's leg uploads its run directory only, so the merge job's pattern matches run directories", async (t) => {
  const dir = await runDir(t)
  const uploader = new FakeUploader()
  const { log } = quiet()
  const out = await uploadRunArtifacts({
    uploader,
    runDir: dir,
    name: 'canary-leg-shard-1-of-4',
    report: false,
    target,
    log,
  })
  assert.deepEqual(
    uploader.calls.map((c) => c.name),
    ['canary-leg-shard-1-of-4'],
  )
  assert.equal(out.report, undefined)
})

test('a failed upload is a warning, and the other upload still happens', async (t) => {
  const dir = await runDir(t)
  const uploader = new FakeUploader()
  uploader.failOn = /^clair-canary$/
  const { log, warnings } = quiet()
  const out = await uploadRunArtifacts({ uploader, runDir: dir, name: 'clair-canary', target, log })
  assert.equal(out.run, undefined)
  assert.equal(out.report?.name, 'clair-canary-report.html')
  assert.equal(warnings.length, 1)
  assert.match(warnings[0]!, /not uploaded as an artifact: Unable to get the ACTIONS_RUNTIME_TOKEN/)
})

test('assertNoSecrets finds secrets as written, JSON-escaped, URL-encoded or base64, and never prints them', async (t) => {
  const dir = await runDir(t)
  const secrets = [
    { name: 'canary-psk', value: 'c2VjcmV0LXBzay1mb3ItY2FuYXJ5' },
    { name: 'quay-db-dsn', value: 'postgres://quay:pa"ss@db/quay' },
    { name: 'token', value: 'ghs_abcdef123456' },
    { name: 'aws-secret-access-key', value: 'wJalrXUtnFEMI/K7MDENG' },
  ]
  await assertNoSecrets(dir, secrets)
  await assertNoSecrets(dir, ['', 'ab']) // too short to search for
  const plant = [
    ['summary.md', `psk ${secrets[0]!.value}`],
    ['run.json', JSON.stringify({ dsn: secrets[1]!.value })],
    ['reports/canary/x.json', `https://h/?t=${encodeURIComponent(secrets[3]!.value)}`],
    ['report.html', Buffer.from(secrets[2]!.value).toString('base64')],
  ] as const
  for (const [file, text] of plant) {
    await writeFile(join(dir, file), text)
    await assert.rejects(assertNoSecrets(dir, secrets), (e: Error) => {
      assert.match(e.message, new RegExp(`${file.replace('.', '\\.')} contains`))
      for (const s of secrets) assert.ok(!e.message.includes(s.value))
      return true
    })
    await writeFile(join(dir, file), '{}')
  }
  await writeFile(join(dir, 'stats.json'), 'ghs_abcdef123456')
  await assert.rejects(assertNoSecrets(dir, ['ghs_abcdef123456']), /stats\.json contains secret #1/)
})
