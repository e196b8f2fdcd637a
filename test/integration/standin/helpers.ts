// Shared setup for the stand-in's integration tests: a corpus, a blob server, tokens, and a
// content view of reports (ids replaced by what they point at) to compare instances.
import { SignJWT } from 'jose'
import { fetch } from 'undici'
import type { IndexReport, VulnerabilityReport } from '../../../src/clair/types.ts'

export const PSK = Buffer.from('standin-test-key').toString('base64')

export async function token(claims: Record<string, unknown> = {}, key = PSK, alg = 'HS256'): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ iss: 'quay', exp: now + 300, ...claims })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .sign(Buffer.from(key, 'base64'))
}

export async function clair(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; auth?: boolean } = {},
) {
  const headers: Record<string, string> = { ...init.headers }
  if (init.auth !== false) headers['authorization'] = `Bearer ${await token()}`
  const res = await fetch(base + path, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined
      ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
      : {}),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown }
}

export const post = (base: string, manifest: unknown, headers?: Record<string, string>) =>
  clair(base, '/indexer/api/v1/index_report', {
    method: 'POST',
    body: manifest,
    ...(headers ? { headers } : {}),
  })

/** A package by content: everything but ids, with its environments resolved. */
export function packageKeys(report: IndexReport | VulnerabilityReport): string[] {
  const dists = report.distributions ?? {}
  const repos = report.repository ?? {}
  const out: string[] = []
  for (const [id, p] of Object.entries(report.packages ?? {})) {
    const envs = (report.environments?.[id] ?? []).map((e) => {
      const d = dists[e.distribution_id]
      const r = (e.repository_ids ?? []).map((rid) => repos[rid]?.name).sort()
      return `${e.package_db}@${e.introduced_in}@${d?.did ?? ''}${d?.version_id ?? ''}@${r.join(',')}`
    })
    out.push(
      `${p.name} ${p.version} ${p.kind} ${p.arch ?? ''} ${p.normalized_version ?? ''} ${p.source?.name ?? ''}/${p.source?.version ?? ''} [${envs.sort().join(' ')}]`,
    )
  }
  return out.sort()
}

/** (package name+version, updater, vulnerability name, fixed_in_version) for every match. */
export function matchKeys(report: VulnerabilityReport): string[] {
  const out: string[] = []
  for (const [pid, vids] of Object.entries(report.package_vulnerabilities ?? {})) {
    const p = report.packages?.[pid]
    for (const vid of vids) {
      const v = report.vulnerabilities?.[vid]
      out.push(`${p?.name} ${p?.version} | ${v?.updater} ${v?.name} ${v?.fixed_in_version}`)
    }
  }
  return out.sort()
}
