// src/interrupt.ts: what the first, second and third SIGINT/SIGTERM do, on an EventEmitter standing in for process.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
import {
  Interrupted,
  installInterrupt,
  interruptedBy,
  signalExitCode,
  untilAborted,
} from '../../src/interrupt.ts'
import { recordingLogger } from '../support/log.ts'

function setup() {
  const proc = new EventEmitter()
  const exits: number[] = []
  const log = recordingLogger()
  const interrupt = installInterrupt({ proc, log, exit: (code) => void exits.push(code), forcedExitMs: 1 })
  return { proc, exits, log, interrupt }
}

test('the first signal stops the run and says which signal it was', () => {
  const { proc, exits, log, interrupt } = setup()
  assert.equal(interrupt.received, undefined)
  proc.emit('SIGINT', 'SIGINT')
  assert.equal(interrupt.stop.aborted, true)
  assert.equal(interrupt.force.aborted, false)
  assert.equal(interrupt.received, 'SIGINT')
  assert.equal(interruptedBy(interrupt.stop), 'SIGINT')
  assert.deepEqual(exits, [])
  assert.match(log.warnings[0]!, /^received SIGINT: stopping the run/)
  interrupt.uninstall()
})

test('the second forces the write and exits with the first signal code if the run does not', async () => {
  const { proc, exits, log, interrupt } = setup()
  proc.emit('SIGINT', 'SIGINT')
  proc.emit('SIGTERM', 'SIGTERM')
  assert.equal(interrupt.force.aborted, true)
  assert.equal(interruptedBy(interrupt.force), 'SIGTERM')
  assert.equal(await interrupt.forced, 'SIGTERM')
  assert.equal(log.warnings[1], 'received SIGTERM again: writing what is known and exiting')
  while (exits.length === 0) await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(exits, [130], 'the first signal names the exit code')
  assert.equal(
    log.warnings[2],
    'exiting 0s after the second signal: what was not written by then is left behind',
  )
  interrupt.uninstall()
})

test('a third signal exits at once', () => {
  const { proc, exits, interrupt } = setup()
  for (const s of ['SIGTERM', 'SIGTERM', 'SIGINT'] as const) proc.emit(s, s)
  assert.deepEqual(exits, [143])
  interrupt.uninstall()
})

test('uninstall gives the signals back', () => {
  const { proc, interrupt } = setup()
  assert.equal(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM'), 2)
  interrupt.uninstall()
  assert.equal(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM'), 0)
})

test('exit codes are the shell convention: 128 + the signal number', () => {
  assert.equal(signalExitCode('SIGINT'), 130)
  assert.equal(signalExitCode('SIGTERM'), 143)
})

test('untilAborted gives the work its value, or the signal reason as soon as it aborts', async () => {
  assert.equal(await untilAborted(Promise.resolve(7), new AbortController().signal), 7)
  const controller = new AbortController()
  const never = new Promise<number>(() => {})
  const waiting = untilAborted(never, controller.signal)
  controller.abort(new Interrupted('SIGTERM'))
  await assert.rejects(
    waiting,
    (error: Error) => error instanceof Interrupted && error.message === 'received SIGTERM',
  )
  const failing = untilAborted(Promise.reject(new Error('boom')), controller.signal)
  await assert.rejects(failing, (error: Error) => error instanceof Interrupted, 'an aborted signal wins')
  await assert.rejects(untilAborted(Promise.reject(new Error('boom')), undefined), /boom/)
  // Another abort (an early stop) is not a signal.
  const other = new AbortController()
  other.abort()
  assert.equal(interruptedBy(other.signal), undefined)
})
