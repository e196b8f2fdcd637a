// The Alertmanager gate: alerts firing for the canary's labels while the replay (and the incubation after it)
// runs fail the run, and each is listed. Alertmanager's API hides resolved alerts, so it is polled through the
// whole window rather than asked once at the end. A poll that fails leaves a gap in the evidence: with no alert
// seen, the gate is then inconclusive, never pass.
import type { Decision, FiredAlert, Gate } from '../rundir/types.ts'
import { errorMessage } from '../errors.ts'
import { plural } from '../format.ts'
import { getJson, type HttpGet } from './http.ts'

interface ApiAlert {
  fingerprint: string
  labels: Record<string, string>
  annotations?: Record<string, string>
  startsAt: string
  status?: { state?: string }
}

export const ALERTS_GATE = 'alerts'

export class AlertWatch {
  readonly #url: string
  readonly #matchers: string[]
  readonly #get: HttpGet
  readonly #seen = new Map<string, FiredAlert>()
  #polls = 0
  #failed = 0
  #lastError = ''
  #timer: NodeJS.Timeout | undefined
  #inFlight: Promise<void> = Promise.resolve()

  constructor(url: string, matchers: string[], get: HttpGet = getJson) {
    this.#url = url
    this.#matchers = matchers
    this.#get = get
  }

  /** Polls now and every pollMs until stop(). */
  start(pollMs: number): void {
    this.#inFlight = this.poll()
    this.#timer = setInterval(() => {
      this.#inFlight = this.#inFlight.then(() => this.poll())
    }, pollMs)
    // A run that ends early (bad input) must not be kept alive by the watch.
    this.#timer.unref()
  }

  /** One look at the alerts firing now. */
  async poll(): Promise<void> {
    const url = new URL('api/v2/alerts', this.#url.endsWith('/') ? this.#url : `${this.#url}/`)
    url.searchParams.set('active', 'true')
    url.searchParams.set('silenced', 'false')
    url.searchParams.set('inhibited', 'false')
    for (const m of this.#matchers) url.searchParams.append('filter', m)
    this.#polls++
    try {
      const answer = await this.#get(url.toString())
      if (answer.status !== 200 || !Array.isArray(answer.body)) {
        const message = (answer.body as { message?: string } | undefined)?.message ?? answer.text.trim()
        throw new Error(`Alertmanager answered ${answer.status}: ${message.split('\n')[0]}`)
      }
      for (const alert of answer.body as ApiAlert[]) {
        if (alert.status?.state !== undefined && alert.status.state !== 'active') continue
        if (this.#seen.has(alert.fingerprint)) continue
        this.#seen.set(alert.fingerprint, {
          alertname: alert.labels['alertname'] ?? '(no alertname)',
          fingerprint: alert.fingerprint,
          labels: alert.labels,
          startsAt: alert.startsAt,
          ...(alert.annotations?.['summary'] ? { summary: alert.annotations['summary'] } : {}),
        })
      }
    } catch (error) {
      this.#failed++
      this.#lastError = errorMessage(error)
    }
  }

  /** A last poll, then the gate. */
  async stop(): Promise<{ gate: Gate; alerts: FiredAlert[] }> {
    clearInterval(this.#timer)
    await this.#inFlight
    await this.poll()
    const alerts = [...this.#seen.values()].sort(
      (a, b) => a.startsAt.localeCompare(b.startsAt) || a.alertname.localeCompare(b.alertname),
    )
    const matchers = this.#matchers.join(', ')
    let decision: Decision = 'pass'
    let detail = `no alert fired for ${matchers} over ${plural(this.#polls, 'look')} at Alertmanager`
    if (alerts.length > 0) {
      decision = 'fail'
      const named = alerts.map(
        (a) => `${a.alertname} (since ${a.startsAt})${a.summary ? `: ${a.summary}` : ''}`,
      )
      detail = `${plural(alerts.length, 'alert')} fired for ${matchers}: ${named.join('; ')}`
    } else if (this.#failed > 0) {
      decision = 'inconclusive'
      detail = `${this.#failed} of ${plural(this.#polls, 'look')} at Alertmanager ${this.#url} failed (${this.#lastError}), so an alert may have been missed`
    }
    return {
      gate: { name: ALERTS_GATE, value: alerts.length, threshold: 'no alert', decision, detail },
      alerts,
    }
  }
}
