import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openReportStore, writeJsonText, writeJsonl, writeReport } from '../../src/rundir/io.ts'
import { indexReportFile, vulnerabilityReportFile } from '../../src/rundir/layout.ts'

const digest = `sha256:${'cd'.repeat(32)}`

async function scratch(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clair-canary-io-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

test('a report is stored as the bytes that arrived, its store made on the first write', async (t) => {
  const store = join(await scratch(t), 'reports', 'canary')
  // Clair's own spacing and key order: what arrived is what is kept.
  const text = `{"manifest_hash":"${digest}","state":"IndexFinished",  "packages":{}}`
  await writeReport(store, 'index', digest, JSON.parse(text), text)
  assert.equal(await readFile(indexReportFile(store, digest), 'utf8'), text)
  const opened = await openReportStore(store)
  assert.deepEqual(opened.digests, [digest])
  assert.equal((await opened.indexReport(digest))?.state, 'IndexFinished')
})

test('a report without its text (a scrubbed err) is stored as its JSON', async (t) => {
  const store = await scratch(t)
  const body = { manifest_hash: digest, packages: {}, vulnerabilities: {} }
  await writeReport(store, 'vulnerability', digest, body)
  assert.deepEqual(JSON.parse(await readFile(vulnerabilityReportFile(store, digest), 'utf8')), body)
})

test('a rewrite replaces the file whole and leaves no temporary file behind', async (t) => {
  const dir = await scratch(t)
  const path = join(dir, 'deep', 'er', 'records.jsonl')
  await writeJsonl(path, [{ a: 1 }, { b: 2 }])
  await writeJsonl(path, [{ c: 3 }])
  assert.equal(await readFile(path, 'utf8'), '{"c":3}\n')
  assert.deepEqual(await readdir(join(dir, 'deep', 'er')), ['records.jsonl'])
})

test('a folder that cannot be made is an error, not a lost write', async (t) => {
  const dir = await scratch(t)
  await writeFile(join(dir, 'file'), 'not a folder')
  await assert.rejects(writeJsonText(join(dir, 'file', 'report.json'), '{}'), /ENOTDIR|EEXIST/)
})
