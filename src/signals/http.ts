// The one HTTP helper the live-signal clients share: a GET (or a PUT for the Pushgateway) with a timeout, the
// JSON body when there is one. Transport failures throw; every HTTP status is an answer.

export interface HttpAnswer {
  status: number
  body?: unknown
  text: string
}

export type HttpGet = (url: string) => Promise<HttpAnswer>

const TIMEOUT_MS = 10_000

export async function request(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  let res: Response
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (error) {
    // fetch's own message is "fetch failed"; the cause says what happened (ECONNREFUSED, a DNS failure).
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    throw new Error(cause?.code ?? cause?.message ?? (error as Error).message, { cause: error })
  }
  const text = await res.text()
  let body: unknown
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = undefined
  }
  return { status: res.status, body, text }
}

export const getJson: HttpGet = (url) => request(url)
