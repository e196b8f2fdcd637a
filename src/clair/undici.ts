// The two parts of undici the client uses, its Agent and request(), without undici's index: the index loads all
// of undici (fetch, WebSocket, caches, mocks; its cookies load Node's own copy of undici too), which the action
// would pay for before its first request. The types are undici's own (undici-lib.d.ts).
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
