import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sameServer } from '../../../src/config/same-server.ts'

test('one server however it is spelled: loopback names, trailing slashes, default ports, case, a trailing dot', async () => {
  for (const [a, b] of [
    ['http://localhost:6060', 'http://127.0.0.1:6060/'],
    ['http://127.0.0.1:6060', 'http://[::1]:6060'],
    ['http://[::ffff:127.0.0.1]:6060', 'http://localhost:6060'],
    ['https://clair.example', 'https://CLAIR.example.:443/'],
    ['http://clair.example:80/api/', 'http://clair.example/api'],
    ['http://10.0.0.5:6060', 'http://10.0.0.5:6060//'],
  ])
    assert.equal(await sameServer(a!, b!), true, `${a} and ${b}`)
})

test('different ports, path prefixes or hosts are different servers', async () => {
  for (const [a, b] of [
    ['http://127.0.0.1:6060', 'http://127.0.0.1:6061'],
    ['https://clair.example', 'http://clair.example'],
    ['https://gw.example/canary', 'https://gw.example/production'],
    ['http://10.0.0.5:6060', 'http://10.0.0.6:6060'],
    // Two names on one ingress address are name-based virtual hosts, not one Clair.
    ['http://localhost:6060', 'http://clair-canary.invalid:6060'],
  ])
    assert.equal(await sameServer(a!, b!), false, `${a} and ${b}`)
})
