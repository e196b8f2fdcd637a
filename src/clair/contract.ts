// Quay's contract with Clair (FACTS 4.6): Quay validates every answer against its own, older schema
// (quay/quay util/secscan/v4/clair-v4.openapi.json) and treats a failure as an API failure, so a canary
// whose answers break it would break Quay. These are our own schemas expressing the same rules (required
// properties and JSON types); test/unit/clair/contract.test.ts checks them against Quay's file.
import { Ajv } from 'ajv'
import type { ErrorObject, SchemaObject, ValidateFunction } from 'ajv'
import { DISTRIBUTION_FIELDS, REPOSITORY_FIELDS } from './types.ts'

export type ContractKind = 'index_report' | 'vulnerability_report' | 'index_state'

const ID = 'https://clair-canary.invalid/quay-contract'
const ref = (name: string): SchemaObject => ({ $ref: `${ID}#/definitions/${name}` })
const string = { type: 'string' }
const mapOf = (items: SchemaObject): SchemaObject => ({ type: 'object', additionalProperties: items })

const packageProperties = {
  id: string,
  name: string,
  version: string,
  kind: string,
  normalized_version: string,
  arch: string,
  module: string,
  cpe: string,
}

/** JSON Schema (draft-07) of the parts of Clair's answers Quay checks. Unknown properties are allowed, as in Quay's. */
export const QUAY_CONTRACT_SCHEMA: SchemaObject = {
  $id: ID,
  definitions: {
    Digest: string,
    Environment: {
      type: 'object',
      properties: { package_db: string, introduced_in: ref('Digest'), distribution_id: string },
      required: ['package_db', 'introduced_in', 'distribution_id'],
    },
    // Quay types a source package's own `source` as a string; Clair omits it.
    SourcePackage: {
      type: 'object',
      properties: { ...packageProperties, source: string },
      required: ['id', 'name', 'version'],
    },
    Package: {
      type: 'object',
      properties: { ...packageProperties, source: ref('SourcePackage') },
      required: ['id', 'name', 'version'],
    },
    Distribution: {
      type: 'object',
      properties: Object.fromEntries(['id', ...DISTRIBUTION_FIELDS].map((key) => [key, string])),
      required: ['id', ...DISTRIBUTION_FIELDS],
    },
    Repository: {
      type: 'object',
      properties: Object.fromEntries(['id', ...REPOSITORY_FIELDS].map((key) => [key, string])),
    },
    Vulnerability: {
      type: 'object',
      properties: {
        id: string,
        updater: string,
        name: string,
        description: string,
        links: string,
        severity: string,
        normalized_severity: {
          type: 'string',
          enum: ['Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical'],
        },
        package: ref('Package'),
        distribution: ref('Distribution'),
        repository: ref('Repository'),
        issued: string,
        // Quay's schema says string; claircore encodes a Range object. Kept as Quay has it: it is Quay's rule.
        range: string,
        fixed_in_version: string,
      },
      required: [
        'id',
        'updater',
        'name',
        'description',
        'links',
        'severity',
        'normalized_severity',
        'fixed_in_version',
      ],
    },
    IndexReport: {
      type: 'object',
      properties: {
        manifest_hash: ref('Digest'),
        state: string,
        packages: mapOf(ref('Package')),
        distributions: mapOf(ref('Distribution')),
        environments: mapOf({ type: 'array', items: ref('Environment') }),
        success: { type: 'boolean' },
        err: string,
      },
      required: ['manifest_hash', 'state', 'packages', 'distributions', 'environments', 'success', 'err'],
    },
    VulnerabilityReport: {
      type: 'object',
      properties: {
        manifest_hash: ref('Digest'),
        packages: mapOf(ref('Package')),
        distributions: mapOf(ref('Distribution')),
        environments: mapOf({ type: 'array', items: ref('Environment') }),
        vulnerabilities: mapOf(ref('Vulnerability')),
        // Untyped in Quay's schema: only the values are checked (null passes).
        package_vulnerabilities: { additionalProperties: { type: 'array', items: string } },
      },
      required: [
        'manifest_hash',
        'packages',
        'distributions',
        'environments',
        'vulnerabilities',
        'package_vulnerabilities',
      ],
    },
    State: { type: 'object', properties: { state: string }, required: ['state'] },
  },
}

const DEFINITION: Record<ContractKind, string> = {
  index_report: 'IndexReport',
  vulnerability_report: 'VulnerabilityReport',
  index_state: 'State',
}

/** More than this many violations in one answer are summarised in a last line. */
const MAX_VIOLATIONS = 20

let validators: Map<ContractKind, ValidateFunction> | undefined

function validator(kind: ContractKind): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false })
    ajv.addSchema(QUAY_CONTRACT_SCHEMA)
    validators = new Map(
      (Object.keys(DEFINITION) as ContractKind[]).map((k) => [k, ajv.compile(ref(DEFINITION[k]))]),
    )
  }
  return validators.get(kind)!
}

/**
 * Where `body` breaks Quay's contract for `kind`, as short lines "<kind><JSON pointer>: <problem>".
 * Values are never quoted (an `err` may hold a signed URL). Empty: Quay would accept it.
 */
export function checkQuayContract(kind: ContractKind, body: unknown): string[] {
  const validate = validator(kind)
  if (validate(body)) return []
  const lines = (validate.errors ?? []).map((e) => `${kind}${e.instancePath}: ${describe(e, body)}`)
  const unique = [...new Set(lines)]
  if (unique.length <= MAX_VIOLATIONS) return unique
  return [
    ...unique.slice(0, MAX_VIOLATIONS),
    `${kind}: and ${unique.length - MAX_VIOLATIONS} more violations`,
  ]
}

const ID_KEYED = new Set([
  'packages',
  'distributions',
  'repository',
  'environments',
  'vulnerabilities',
  'package_vulnerabilities',
])

/**
 * A violation with its database ids and array indexes replaced by `*` (the vulnerability id in
 * "vulnerability_report/vulnerabilities/9001/range: ..." becomes a star). Ids differ between
 * deployments, so compare and count violations across canary and production by this form.
 */
export function contractRule(violation: string): string {
  const colon = violation.indexOf(': ')
  if (colon < 0) return violation
  const [kind = '', ...path] = violation.slice(0, colon).split('/')
  const masked = path.map((segment, i) =>
    (i === 1 && ID_KEYED.has(path[0] ?? '')) || (i >= 2 && /^\d+$/.test(segment)) ? '*' : segment,
  )
  return [kind, ...masked].join('/') + violation.slice(colon)
}

/** What Quay's client sees of one answer: its status, ETag, and how the body failed, if it did. */
export interface QuayAnswer {
  status: number | null
  etag?: string
  error?: string
}

/**
 * What Quay's client refuses before any schema (util/secscan/v4/api.py): a 2xx whose body is empty or not JSON
 * (is_valid_response calls resp.json(), which raises), and a POST index_report without an ETag (index() asserts
 * resp.headers["etag"]: it stores it as the manifest's indexer_hash). `op` is the request: index is the POST.
 */
export function checkQuayAnswer(
  op: 'index' | 'index_report' | 'vulnerability_report' | 'index_state',
  answer: QuayAnswer,
): string[] {
  const { status } = answer
  if (status === null || status < 200 || status > 299) return []
  const kind = op === 'index' ? 'index_report' : op
  const out: string[] = []
  if (answer.error === 'contract' || answer.error === 'not_json')
    out.push(
      `${kind}: HTTP ${status} with a body that is empty or not a JSON object (Quay's resp.json() fails)`,
    )
  if (op === 'index' && !answer.etag)
    out.push('index_report: no ETag header on the POST (Quay asserts one to record the index state)')
  return out
}

function describe(error: ErrorObject, body: unknown): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `missing required property '${String(params['missingProperty'])}'`
    case 'type':
      return `must be ${String(params['type'])}, got ${jsonType(at(body, error.instancePath))}`
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).join(', ')}`
    default:
      return error.message ?? error.keyword
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function at(body: unknown, pointer: string): unknown {
  let value = body
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[key]
  }
  return value
}

/**
 * Quay's old schema disagrees with today's Clair in places production shares (e.g. `range` is an object): only a
 * rule the canary breaks and production keeps is a regression of the contract.
 */
export function canaryOnlyViolations<
  T extends { side: 'canary' | 'production'; op: string; message: string },
>(observed: T[]): T[] {
  const production = new Set(
    observed.filter((v) => v.side === 'production').map((v) => `${v.op} ${contractRule(v.message)}`),
  )
  return observed.filter((v) => v.side === 'canary' && !production.has(`${v.op} ${contractRule(v.message)}`))
}
