// The two parts of undici the client uses, its Agent and request(), without undici's index: the index loads all
// of undici (fetch, WebSocket, caches, mocks; its cookies load Node's own copy of undici too), which the action
// would pay for before its first request. The types are undici's own (undici-lib.d.ts).
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { Dispatcher } from 'undici'
import Agent from 'undici/lib/dispatcher/agent.js'
import dispatchRequest from 'undici/lib/api/api-request.js'

export { Agent }

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path'>

/** undici's request(url, { dispatcher, ... }): the URL split into origin and path as undici's index does. */
export function request(
  url: string,
  dispatcher: Dispatcher,
  options: RequestOptions,
): Promise<Dispatcher.ResponseData> {
  const { origin, pathname, search } = new URL(url)
  return dispatchRequest.call(dispatcher, { ...options, origin, path: pathname + search })
}

const SEND_HEADERS = 'undici:client:sendHeaders'

/**
 * Resolves once this process has sent the head of an HTTP request through undici (undici publishes
 * undici:client:sendHeaders just before it writes one), or after withinMs, whichever comes first.
 */
export function firstRequestSent(withinMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      // Not from inside the publish that called it.
      queueMicrotask(() => unsubscribe(SEND_HEADERS, done))
      resolve()
    }
    // Waiting must not keep a finished process alive.
    const timer = setTimeout(done, withinMs).unref()
    subscribe(SEND_HEADERS, done)
  })
}
