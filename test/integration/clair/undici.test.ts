// The client's undici parts (Agent and request() without undici's index) against a local server, and
// firstRequestSent, which the action waits on before it loads Octokit and @actions/artifact.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Agent, firstRequestSent, request } from '../../../src/clair/undici.ts'

describe('undici without its index', () => {
  let server: Server
  let url: string
  /** Requests the server holds without answering until the test releases them. */
  const held: Array<{ req: IncomingMessage; res: ServerResponse }> = []
  before(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/hold')) {
        held.push({ req, res })
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ method: req.method, url: req.url }))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(async () => {
    for (const { res } of held) res.destroy()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  test('request() sends the method, path and query string to the URL given', async () => {
    const agent = new Agent({ connections: 1 })
    try {
      const response = await request(`${url}/prefix/indexer/api/v1/index_state?x=1`, agent, {
        method: 'GET',
      })
      assert.equal(response.statusCode, 200)
      assert.deepEqual(await response.body.json(), {
        method: 'GET',
        url: '/prefix/indexer/api/v1/index_state?x=1',
      })
    } finally {
      await agent.close()
    }
  })

  test('firstRequestSent resolves once a request has gone out, before its answer', async () => {
    const agent = new Agent({ connections: 1 })
    try {
      const sent = firstRequestSent(600_000)
      let resolved = false
      void sent.then(() => (resolved = true))
      await new Promise((resolve) => setImmediate(resolve))
      assert.equal(resolved, false, 'nothing has been sent yet')
      let answered = false
      const pending = request(`${url}/hold`, agent, { method: 'GET' }).then((r) => {
        answered = true
        return r.body.text()
      })
      await sent
      assert.equal(answered, false, 'the server holds the request, yet its head was sent')
      await new Promise<void>((resolve) => {
        const poll = (): void => (held.length > 0 ? resolve() : void setImmediate(poll))
        poll()
      })
      held.shift()!.res.end('released')
      assert.equal(await pending, 'released')
    } finally {
      await agent.close()
    }
  })

  test('firstRequestSent resolves when no request is sent within its time', async () => {
    await firstRequestSent(1)
  })
})
