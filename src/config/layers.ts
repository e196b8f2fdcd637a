// The layer-URI inputs (how fresh layer URLs are made for Clair, src/quay/uris.ts) as one typed value. Every value
// given is checked here, at start-up; a required one that is missing is returned as the reason, because only a
// source that needs signing (a Quay database, or a sample file that keeps its blobs' storage) needs them.
import { UserError } from '../errors.ts'
import { redactUri } from '../clair/redact.ts'
import { Secret } from '../secret.ts'
import { httpUrl } from './url.ts'
import { integer, oneOf } from './values.ts'
import type { LayerUriOptions } from './types.ts'

const MODES = ['s3', 'registry', 'template'] as const

/** S3 presigned URLs may live at most 7 days (SigV4). */
const MAX_URL_EXPIRY = 604_800

/** Reads an input's text ('' = not given); `secret` also registers the value for masking, as `mask` does. */
interface Reader {
  get: (name: string) => string
  secret: (name: string) => string
  mask: (value: string) => void
}

/**
 * The layer-URI options, or `{ missing }` saying which required input is absent. S3 region and keys fall back to
 * the AWS_* variables of `env`, as the AWS tools do.
 */
export function layerUriOptions(
  { get, secret, mask }: Reader,
  env: Record<string, string | undefined>,
): LayerUriOptions | { missing: string } {
  const mode = oneOf('layer-uri-mode', get('layer-uri-mode'), MODES)
  const missing = (name: string, alternative = '') => ({
    missing: `input ${name} is required with layer-uri-mode ${mode}${alternative}`,
  })
  if (mode === 's3') {
    // Checked first, so that a wrong value is reported even when a required one is also missing.
    const expiresIn = integer('url-expiry', get('url-expiry'), 1, MAX_URL_EXPIRY)
    const endpoint = httpUrl('s3-endpoint', get('s3-endpoint'), false, 'e.g. http://127.0.0.1:9000')
    const fromEnv = (value: string, name: string) => value || (env[name] ?? '').trim()
    const secretFromEnv = (input: string, name: string) => {
      const value = fromEnv(secret(input), name)
      if (value) mask(value)
      return value
    }
    const bucket = get('s3-bucket')
    const region = fromEnv(fromEnv(get('s3-region'), 'AWS_REGION'), 'AWS_DEFAULT_REGION')
    const accessKeyId = secretFromEnv('aws-access-key-id', 'AWS_ACCESS_KEY_ID')
    const secretAccessKey = secretFromEnv('aws-secret-access-key', 'AWS_SECRET_ACCESS_KEY')
    const sessionToken = secretFromEnv('aws-session-token', 'AWS_SESSION_TOKEN')
    if (!bucket) return missing('s3-bucket')
    if (!region) return missing('s3-region', ' (or AWS_REGION in the environment)')
    if (!accessKeyId) return missing('aws-access-key-id', ' (or AWS_ACCESS_KEY_ID in the environment)')
    if (!secretAccessKey)
      return missing('aws-secret-access-key', ' (or AWS_SECRET_ACCESS_KEY in the environment)')
    const storagePath = get('s3-storage-path')
    return {
      mode,
      s3: {
        bucket,
        region,
        accessKeyId,
        secretAccessKey: new Secret(secretAccessKey),
        expiresIn,
        ...(sessionToken ? { sessionToken: new Secret(sessionToken) } : {}),
        ...(storagePath ? { storagePath } : {}),
        ...(endpoint ? { endpoint } : {}),
      },
    }
  }
  if (mode === 'registry') {
    const url = httpUrl('registry-url', get('registry-url'), false, 'e.g. https://quay.io')
    const token = secret('registry-token')
    const username = get('registry-username')
    const password = secret('registry-password')
    if (!url) return missing('registry-url')
    if (!token && !(username && password))
      return missing('registry-token', ' (or registry-username and registry-password)')
    return {
      mode,
      registry: {
        url,
        ...(token ? { token: new Secret(token) } : {}),
        ...(username ? { username } : {}),
        ...(password ? { password: new Secret(password) } : {}),
      },
    }
  }
  const template = get('uri-template')
  if (!template) return missing('uri-template')
  if (!/\{(digest|hex|path)\}/.test(template))
    throw new UserError(
      'input uri-template: expected {digest}, {hex} or {path} in it, or every layer gets the same URI',
    )
  if (!URL.canParse(template.replace(/\{[a-z]+\}/g, 'x')))
    throw new UserError(
      `input uri-template: expected a URL such as https://blobs.example/{digest}, got ${JSON.stringify(redactUri(template))}`,
    )
  return { mode, template }
}
