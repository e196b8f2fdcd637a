// Live signals around the replay: Alertmanager is watched from the replay's start through the incubation after
// it; Prometheus is asked once at the end, over the replay window, after it has had time to scrape.
import { setTimeout as sleep } from 'node:timers/promises'
import type { SignalRules, SignalsOptions } from '../config/types.ts'
import type { Logger } from '../log.ts'
import type { FiredAlert, Gate } from '../rundir/types.ts'
import { AlertWatch } from './alertmanager.ts'
import { prometheusGates, type SignalWindow } from './prometheus.ts'

export interface SignalOutcome {
  gates: Gate[]
  alerts: FiredAlert[]
  window: { start: string; end: string }
}

export interface SignalWatch {
  /** Call when the replay has ended: waits out the incubation and the settle time, then judges. */
  finish(replayEnded: number): Promise<SignalOutcome>
}

/** Starts watching when some signal is configured; undefined when none is. */
export function watchSignals(
  options: SignalsOptions,
  rules: SignalRules,
  log: Logger,
  now: () => number = Date.now,
): SignalWatch | undefined {
  const { prometheusUrl, alertmanagerUrl } = options
  if (!prometheusUrl && !alertmanagerUrl) return undefined
  const start = now()
  const alerts = alertmanagerUrl ? new AlertWatch(alertmanagerUrl, rules.alerts.matchers) : undefined
  alerts?.start(rules.alerts.pollSeconds * 1000)
  return {
    async finish(replayEnded) {
      if (options.incubationMs > 0 && alerts) {
        log.info(`signals: watching alerts for ${options.incubationMs / 1000} s of incubation`)
        await sleep(Math.max(0, replayEnded + options.incubationMs - now()))
      }
      const gates: Gate[] = []
      let fired: FiredAlert[] = []
      if (alerts) {
        const watched = await alerts.stop()
        gates.push(watched.gate)
        fired = watched.alerts
      }
      const window: SignalWindow = { start, end: replayEnded }
      if (prometheusUrl) {
        // Prometheus sees the last requests only after its next scrape.
        const settled = replayEnded + rules.settleSeconds * 1000
        if (settled > now()) await sleep(settled - now())
        window.end = now()
        gates.push(...(await prometheusGates(prometheusUrl, rules, window)))
      }
      for (const g of gates)
        if (g.decision !== 'pass') log.warning(`signals: gate ${g.name} ${g.decision}: ${g.detail}`)
      return {
        gates,
        alerts: fired,
        window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() },
      }
    },
  }
}
