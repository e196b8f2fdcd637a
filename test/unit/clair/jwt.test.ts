import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { decodePsk, PskSigner } from '../../../src/clair/jwt.ts'
import { Secret } from '../../../src/secret.ts'
import { UserError } from '../../../src/errors.ts'

const KEY = new TextEncoder().encode('secret')

function clock(startMs: number): { now: () => number; advance: (seconds: number) => void } {
  let t = startMs
  return { now: () => t, advance: (s) => (t += s * 1000) }
}

test('decodePsk decodes standard base64 as Clair does', () => {
  assert.deepEqual(decodePsk('c2VjcmV0', 'canary-psk'), KEY)
  assert.deepEqual(
    decodePsk('  c2Vj\ncmV0\n', 'canary-psk'),
    KEY,
    'surrounding space and newlines are skipped',
  )
  assert.deepEqual(decodePsk('YQ==', 'x'), new Uint8Array([0x61]))
  assert.deepEqual(decodePsk('YWI=', 'x'), new Uint8Array([0x61, 0x62]))
})

test('decodePsk rejects bad input with the input name and without the value', () => {
  const cases = [
    '',
    '   ',
    'c2VjcmV0!',
    'c2VjcmV',
    'c2VjcmV0=',
    'YQ=',
    'Y===',
    'c2Vj-cmV0',
    'c2Vj_cmV0',
    'YQ==YQ==',
  ]
  for (const value of cases) {
    assert.throws(
      () => decodePsk(value, 'production-psk'),
      (error: unknown) => {
        assert.ok(error instanceof UserError, `${JSON.stringify(value)} gives a UserError`)
        assert.match(error.message, /^production-psk: /)
        assert.ok(!error.message.includes('\n'))
        if (value.trim().length > 3)
          assert.ok(!error.message.includes(value.trim()), 'the value is not echoed')
        return true
      },
      JSON.stringify(value),
    )
  }
})

test('PskSigner mints an HS256 token Clair accepts: iss, iat, exp at most 300 s later', async () => {
  const c = clock(Date.UTC(2026, 0, 1))
  const signer = new PskSigner(new Secret(KEY), 'quay', { now: c.now })
  const token = await signer.token()
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' })
  const { payload } = await jwtVerify(token, KEY, {
    algorithms: ['HS256'],
    issuer: 'quay',
    currentDate: new Date(c.now()),
  })
  assert.equal(payload.iat, c.now() / 1000)
  assert.equal(payload.exp, c.now() / 1000 + 300)
  await assert.rejects(jwtVerify(token, new TextEncoder().encode('other'), { algorithms: ['HS256'] }))
})

test('PskSigner never mints a lifetime over 300 s', async () => {
  const c = clock(Date.UTC(2026, 0, 1))
  const token = await new PskSigner(new Secret(KEY), 'clairctl', {
    now: c.now,
    lifetimeSeconds: 3600,
  }).token()
  const { payload } = await jwtVerify(token, KEY, { issuer: 'clairctl', currentDate: new Date(c.now()) })
  assert.ok(payload.exp! - payload.iat! <= 300)
  assert.throws(() => new PskSigner(new Secret(KEY), 'quay', { lifetimeSeconds: 0 }))
})

test('PskSigner reuses the token until ~30 s before expiry, then re-mints', async () => {
  const c = clock(Date.UTC(2026, 0, 1))
  const signer = new PskSigner(new Secret(KEY), 'quay', { now: c.now })
  const first = await signer.token()
  c.advance(200)
  assert.equal(await signer.token(), first, 'reused well before expiry')
  c.advance(75) // 275 s in: 25 s left
  const second = await signer.token()
  assert.notEqual(second, first, 're-minted near expiry')
  const { payload } = await jwtVerify(second, KEY, { currentDate: new Date(c.now()) })
  assert.equal(payload.iat, c.now() / 1000)
  assert.equal(await signer.token(), second)
})

test('PskSigner shares one mint between concurrent callers', async () => {
  const signer = new PskSigner(new Secret(KEY), 'quay')
  const tokens = await Promise.all([signer.token(), signer.token(), signer.token()])
  assert.equal(new Set(tokens).size, 1)
})
