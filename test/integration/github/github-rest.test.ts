// The stand-in must refuse what GitHub refuses, or the check tests prove nothing.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startGitHubRest } from '../../support/github-rest.ts'

async function call(url: string, method: string, path: string, body: unknown, auth = 'token t') {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

test('valid create and update are accepted and annotations are appended', async (t) => {
  const gh = await startGitHubRest()
  t.after(() => gh.close())
  const created = await call(gh.url, 'POST', '/repos/o/r/check-runs', {
    name: 'c',
    head_sha: 'abc',
    status: 'in_progress',
  })
  assert.equal(created.status, 201)
  const id = created.body['id'] as number
  const annotation = { path: 'a', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm' }
  for (let i = 0; i < 2; i++) {
    const updated = await call(gh.url, 'PATCH', `/repos/o/r/check-runs/${id}`, {
      output: { title: 't', summary: 's', annotations: [annotation, annotation] },
    })
    assert.equal(updated.status, 200)
  }
  assert.equal(gh.checkRuns.get(id)!.annotations.length, 4)
  assert.deepEqual(gh.invalidCalls(), [])
})

test('what GitHub refuses is answered 422 and recorded as invalid', async (t) => {
  const gh = await startGitHubRest()
  t.after(() => gh.close())
  const annotation = { path: 'a', start_line: 1, end_line: 1, annotation_level: 'notice', message: 'm' }
  const bad: unknown[] = [
    { head_sha: 'abc' }, // no name
    { name: 'c', head_sha: 'abc', conclusion: 'passed' }, // not a conclusion
    { name: 'c', head_sha: 'abc', output: { title: 't', summary: 'x'.repeat(65_536) } },
    {
      name: 'c',
      head_sha: 'abc',
      output: { title: 't', summary: 's', annotations: Array(51).fill(annotation) },
    },
    {
      name: 'c',
      head_sha: 'abc',
      output: { title: 't', summary: 's', annotations: [{ ...annotation, title: 'x'.repeat(256) }] },
    },
    {
      name: 'c',
      head_sha: 'abc',
      output: { title: 't', summary: 's', annotations: [{ ...annotation, annotation_level: 'error' }] },
    },
    { name: 'c', head_sha: 'abc', annotations: [] }, // a typo: annotations belong in output
  ]
  for (const body of bad) {
    const res = await call(gh.url, 'POST', '/repos/o/r/check-runs', body)
    assert.equal(res.status, 422, JSON.stringify(body).slice(0, 100))
  }
  assert.equal(gh.invalidCalls().length, bad.length)
  assert.equal(gh.checkRuns.size, 0)
})

test('no token is 401; read-only is 403 with GitHub’s message', async (t) => {
  const gh = await startGitHubRest({ readOnly: true })
  t.after(() => gh.close())
  assert.equal((await call(gh.url, 'POST', '/repos/o/r/check-runs', {}, '')).status, 401)
  const res = await call(gh.url, 'POST', '/repos/o/r/check-runs', { name: 'c', head_sha: 'abc' })
  assert.equal(res.status, 403)
  assert.equal(res.body['message'], 'Resource not accessible by integration')
})
