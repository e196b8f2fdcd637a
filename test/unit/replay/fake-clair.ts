// An in-memory ClairApi for replay tests. Production is read-only the way the real client is: a POST or
// DELETE throws, and is also remembered in `forbidden` so a test sees it even though replay() catches throws.
import type { ClairApi, ClairResponse } from '../../../src/clair/api.ts'
import type { IndexReport, Manifest, VulnerabilityReport } from '../../../src/clair/types.ts'
import type { ErrorClass } from '../../../src/rundir/types.ts'
import type { FakeClock } from './fake-clock.ts'

export type Method =
  'POST index_report' | 'DELETE index_report' | 'GET index_report' | 'GET vulnerability_report'

export interface Call {
  method: Method
  digest: string
  at: number
}

/** What to answer for one digest and method instead of success. */
export interface Fault {
  status: number | null
  error: ErrorClass
  body?: unknown
  /** Throw instead of answering (a client bug). */
  throws?: boolean
}

export function indexReport(digest: string, state = 'IndexFinished'): IndexReport {
  return { manifest_hash: digest, state, success: state === 'IndexFinished', packages: {}, distributions: {} }
}

export function vulnerabilityReport(digest: string): VulnerabilityReport {
  return {
    manifest_hash: digest,
    packages: {},
    vulnerabilities: {},
    package_vulnerabilities: {},
  }
}

export class FakeClair implements ClairApi {
  readonly side: 'canary' | 'production'
  readonly readOnly: boolean
  readonly calls: Call[] = []
  readonly forbidden: Call[] = []
  readonly faults = new Map<string, Fault>()
  readonly #clock: FakeClock
  readonly #latencyMs: number

  constructor(side: 'canary' | 'production', clock: FakeClock, latencyMs = 5) {
    this.side = side
    this.readOnly = side === 'production'
    this.#clock = clock
    this.#latencyMs = latencyMs
  }

  fault(method: Method, digest: string, fault: Fault): this {
    this.faults.set(`${method} ${digest}`, fault)
    return this
  }

  async #answer<T>(
    method: Method,
    digest: string,
    ok: () => { status: number; body?: T },
  ): Promise<ClairResponse<T>> {
    const call = { method, digest, at: this.#clock.now() }
    if (this.readOnly && !method.startsWith('GET')) {
      this.forbidden.push(call)
      throw new Error(`production is read-only: ${method}`)
    }
    this.calls.push(call)
    await this.#clock.sleep(this.#latencyMs)
    const fault = this.faults.get(`${method} ${digest}`)
    if (fault?.throws) throw new Error(`client exploded on ${method}`)
    if (fault) {
      return {
        status: fault.status,
        latencyMs: this.#latencyMs,
        attempts: 3,
        error: fault.error,
        message: `${method} ${fault.status ?? 'no response'}`,
        bytes: 0,
        ...(fault.body === undefined ? {} : { body: fault.body as T }),
      }
    }
    const { status, body } = ok()
    return {
      status,
      latencyMs: this.#latencyMs,
      attempts: 1,
      bytes: 100,
      ...(body === undefined ? {} : { body }),
    }
  }

  index(manifest: Manifest): Promise<ClairResponse<IndexReport>> {
    return this.#answer('POST index_report', manifest.hash, () => ({
      status: 201,
      body: indexReport(manifest.hash),
    }))
  }
  deleteIndexReport(digest: string): Promise<ClairResponse<null>> {
    return this.#answer('DELETE index_report', digest, () => ({ status: 204 }))
  }
  indexReport(digest: string): Promise<ClairResponse<IndexReport>> {
    return this.#answer('GET index_report', digest, () => ({ status: 200, body: indexReport(digest) }))
  }
  vulnerabilityReport(digest: string): Promise<ClairResponse<VulnerabilityReport>> {
    return this.#answer('GET vulnerability_report', digest, () => ({
      status: 200,
      body: vulnerabilityReport(digest),
    }))
  }
  indexState(): Promise<never> {
    throw new Error('not used by replay')
  }
  updateOperations(): Promise<never> {
    throw new Error('not used by replay')
  }
  readyz(): Promise<never> {
    throw new Error('not used by replay')
  }
  metrics(): Promise<never> {
    throw new Error('not used by replay')
  }
  async close(): Promise<void> {}
}
