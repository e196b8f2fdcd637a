import { test } from 'node:test'
import assert from 'node:assert/strict'
import { progressLine, startProgress } from '../../../src/replay/progress.ts'
import { formatDuration } from '../../../src/format.ts'
import { recordingLogger } from '../../support/log.ts'

test('a progress line says done of total, errors, rate and ETA', () => {
  const log = recordingLogger()
  const opts = { label: 'replay: indexing on the canary', total: 2000, unit: 'manifests', log }
  assert.equal(
    progressLine(opts, { done: 120, errors: 3 }, 30_000),
    'replay: indexing on the canary 120/2000 manifests (6%), 3 errors, 4.0/s, ETA 7m50s',
  )
  assert.equal(
    progressLine(opts, { done: 0, errors: 1 }, 5000),
    'replay: indexing on the canary 0/2000 manifests (0%), 1 error, 0.0/s, ETA —',
  )
})

test('in a terminal the line carries a bar and is redrawn in place, then cleared', () => {
  const drawn: string[] = []
  const log = { ...recordingLogger(), status: (line: string) => void drawn.push(line) }
  let tick: () => void = () => {}
  let done = 0
  const stop = startProgress({
    label: 'replay: reading reports from both sides',
    total: 10,
    unit: 'manifests',
    log,
    read: () => ({ done, errors: 0 }),
    now: () => done * 1000,
    every: (fn) => {
      tick = fn
      return () => (tick = () => {})
    },
  })
  done = 5
  tick()
  stop()
  assert.deepEqual(drawn, [
    'replay: reading reports from both sides [##########----------] 5/10 manifests (50%), 0 errors, 1.0/s, ETA 5s',
    '',
  ])
  assert.deepEqual(log.infos, [], 'nothing is added to the log itself')
})

test('in a log, a line every interval', () => {
  const log = recordingLogger()
  const ticks: Array<() => void> = []
  let intervalMs = 0
  const stop = startProgress({
    label: 'x',
    total: 4,
    unit: 'manifests',
    log,
    read: () => ({ done: 2, errors: 1 }),
    now: () => 2000,
    intervalMs: 3000,
    every: (fn, ms) => {
      ticks.push(fn)
      intervalMs = ms
      return () => {}
    },
  })
  ticks[0]!()
  stop()
  assert.equal(intervalMs, 3000)
  assert.equal(log.infos.length, 1)
  assert.match(log.infos[0]!, /^x 2\/4 manifests \(50%\), 1 error/)
})

test('durations read at a glance', () => {
  assert.equal(formatDuration(42_000), '42s')
  assert.equal(formatDuration(470_000), '7m50s')
  assert.equal(formatDuration(3_720_000), '1h02m')
})
