// The check run's lifecycle: created in_progress when the run starts (so the summary can link to it),
// annotations appended 50 per update, and always completed: with the verdict, as cancelled with the partial
// verdict on SIGINT/SIGTERM (src/main.ts), or as failed when the run crashed. Every GitHub failure here is a warning; the job summary and workflow
// annotations carry the result when no check can be written (fork PRs, Dependabot).
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { LIMITS, truncateChars } from './limits.ts'
import { utf8Bytes } from '../format.ts'
import { limitAnnotations, type Annotation } from './annotations.ts'
import {
  checkText,
  checkTitle,
  fitSummary,
  interruptedSummary,
  partialVerdict,
  linksOf,
  type Interruption,
  type Links,
  type RenderSummary,
} from './output.ts'
import { errorMessage } from '../errors.ts'
import type { Logger } from '../log.ts'
import type { CheckConclusion, GitHubOptions } from '../config/types.ts'
import type { Secret } from '../secret.ts'
import type { Result, RunInfo, Verdict } from '../rundir/types.ts'

interface CheckOutput {
  title: string
  summary: string
  text?: string
  annotations?: Annotation[]
}

/** The subset of octokit.rest.checks we call; tests may pass a fake. */
export interface ChecksClient {
  create(params: {
    owner: string
    repo: string
    name: string
    head_sha: string
    status: 'in_progress'
    started_at: string
    details_url?: string
    external_id?: string
    output?: CheckOutput
  }): Promise<{ data: { id: number; html_url: string | null } }>
  update(params: {
    owner: string
    repo: string
    check_run_id: number
    status?: 'in_progress' | 'completed'
    conclusion?: CheckConclusion
    completed_at?: string
    output?: CheckOutput
  }): Promise<unknown>
}

export interface OctokitOptions {
  /** REST API base URL; defaults to GITHUB_API_URL (the stand-in in tests). */
  baseUrl?: string
  log: Logger
  /** Milliseconds per unit of the retry plugins' back-off (1000 in production; tests shrink it). */
  retryAfterBaseValue?: number
  /** Turn the throttling plugin off (it spaces writes 1 s apart, which slows tests). */
  throttle?: boolean
}

/** An Octokit with retries for 5xx and waits for rate limits. The token is revealed only here. */
export function createOctokit(token: Secret<string>, opts: OctokitOptions): ReturnType<typeof getOctokit> {
  const base = opts.retryAfterBaseValue ?? 1000
  const onLimit =
    (kind: string, maxRetries: number) =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      const again = retryCount < maxRetries
      opts.log.warning(
        `GitHub ${kind} on ${options.method ?? ''} ${options.url ?? ''}: ` +
          (again ? `retrying in ${retryAfter} s` : 'giving up'),
      )
      return again
    }
  return getOctokit(
    token.reveal(),
    {
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
      retry: { retryAfterBaseValue: base },
      throttle: {
        enabled: opts.throttle ?? true,
        retryAfterBaseValue: base,
        onRateLimit: onLimit('rate limit', 2),
        onSecondaryRateLimit: onLimit('secondary rate limit', 1),
      },
      log: {
        debug: (m: string) => opts.log.debug(m),
        info: (m: string) => opts.log.debug(m),
        warn: (m: string) => opts.log.warning(m),
        error: (m: string) => opts.log.debug(m),
      },
    },
    retry,
    throttling,
  )
}

/** The parts of @actions/github's context we read. */
export interface EventContext {
  eventName: string
  sha: string
  payload: Record<string, unknown>
  repo: { owner: string; repo: string }
}

/**
 * The commit the check belongs to (as dorny/test-reporter resolves it): the PR head for pull requests (not
 * the merge commit in context.sha), the triggering run's head for workflow_run (its PR's head when the branch
 * matches), else context.sha.
 */
export function resolveHeadSha(ctx: EventContext): string {
  const payload = ctx.payload as {
    pull_request?: { head?: { sha?: string } }
    workflow_run?: {
      head_sha?: string
      head_branch?: string
      pull_requests?: Array<{ head?: { ref?: string; sha?: string } }>
    }
  }
  if (payload.pull_request?.head?.sha) return payload.pull_request.head.sha
  const run = payload.workflow_run
  if (ctx.eventName === 'workflow_run' && run) {
    const pr = run.pull_requests?.find((p) => p.head?.ref === run.head_branch)
    if (pr?.head?.sha) return pr.head.sha
    if (run.head_sha) return run.head_sha
  }
  return ctx.sha
}

export function conclusionFor(verdict: Verdict, conclusions: GitHubOptions['conclusions']): CheckConclusion {
  return conclusions[verdict]
}

export const DEFAULT_CONCLUSIONS: GitHubOptions['conclusions'] = {
  pass: 'success',
  fail: 'failure',
  // A required check accepts neutral as success: an undecided run must not let a change through.
  inconclusive: 'failure',
}

/** How the run ended. Partial results, when there are any, are shown for cancelled and crashed runs. */
export type CheckOutcome =
  | ({ status: 'verdict'; result: Result; run: RunInfo; annotations?: Annotation[] } & Links)
  | ({ status: Interruption; reason: string } & PartialOutcome)

/** Whatever exists when a run is interrupted. */
export interface PartialOutcome extends Links {
  result?: Result
  run?: RunInfo
  annotations?: Annotation[]
}

export interface CheckCompletion {
  /** False when no check run exists (read-only token, checks disabled) or completing it failed. */
  posted: boolean
  conclusion: CheckConclusion
  annotationsPosted: number
}

export interface CheckRunOptions {
  owner: string
  repo: string
  headSha: string
  name: string
  conclusions?: GitHubOptions['conclusions']
  /** Conclusion when the run crashed before a verdict (default failure: someone has to look). */
  crashConclusion?: CheckConclusion
  detailsUrl?: string
  externalId?: string
  /** The markdown renderer (src/report/summary.ts renderSummary). */
  renderSummary: RenderSummary
  /** At most this many annotations in all (default 250: 5 requests); the last says where the rest are. */
  maxAnnotations?: number
  log: Logger
  now?: () => Date
}

function isReadOnlyToken(error: unknown): boolean {
  const status = (error as { status?: unknown }).status
  return status === 403 || /Resource not accessible by integration/i.test(errorMessage(error))
}

export class CheckRun {
  readonly #client: ChecksClient | undefined
  readonly #opts: CheckRunOptions
  #completion: Promise<CheckCompletion> | undefined
  readonly id: number | undefined
  /** The check run's page, for the summary to link to. */
  readonly htmlUrl: string | undefined

  private constructor(
    client: ChecksClient | undefined,
    opts: CheckRunOptions,
    id?: number,
    htmlUrl?: string,
  ) {
    this.#client = client
    this.#opts = opts
    this.id = id
    this.htmlUrl = htmlUrl
  }

  /** Whether a check run exists to complete; when false, publish through workflow annotations instead. */
  get available(): boolean {
    return this.id !== undefined
  }

  /** Creates the check in_progress. Never throws: without a usable token the CheckRun is unavailable. */
  static async start(client: ChecksClient | undefined, opts: CheckRunOptions): Promise<CheckRun> {
    if (!client) return new CheckRun(undefined, opts)
    const now = opts.now ?? (() => new Date())
    try {
      const { data } = await client.create({
        owner: opts.owner,
        repo: opts.repo,
        name: opts.name,
        head_sha: opts.headSha,
        status: 'in_progress',
        started_at: now().toISOString(),
        ...(opts.detailsUrl ? { details_url: opts.detailsUrl } : {}),
        ...(opts.externalId ? { external_id: opts.externalId } : {}),
        output: {
          title: 'Replaying manifests…',
          summary: 'clair-canary is replaying manifests against the canary.',
        },
      })
      opts.log.info(`Check run "${opts.name}" created: ${data.html_url ?? data.id}`)
      return new CheckRun(client, opts, data.id, data.html_url ?? undefined)
    } catch (error) {
      opts.log.warning(
        isReadOnlyToken(error)
          ? `No check run: the token cannot write checks (${errorMessage(error)}). This is expected for pull ` +
              'requests from forks and Dependabot; the job summary and annotations carry the result. Give the job ' +
              '"permissions: checks: write", or report from a workflow_run workflow (examples/workflows/fork-pr-report.yml).'
          : `No check run: creating it failed (${errorMessage(error)}); the job summary and annotations carry the result.`,
      )
      return new CheckRun(undefined, opts)
    }
  }

  /** Completes the check; later calls return the first call's answer, so crash and signal paths may both call it. */
  completeOnce(outcome: CheckOutcome): Promise<CheckCompletion> {
    this.#completion ??= this.#complete(outcome)
    return this.#completion
  }

  get completed(): boolean {
    return this.#completion !== undefined
  }

  async #complete(outcome: CheckOutcome): Promise<CheckCompletion> {
    const opts = this.#opts
    const conclusion =
      outcome.status === 'verdict'
        ? conclusionFor(outcome.result.verdict, opts.conclusions ?? DEFAULT_CONCLUSIONS)
        : outcome.status === 'cancelled'
          ? 'cancelled'
          : outcome.status === 'configuration'
            ? 'failure'
            : (opts.crashConclusion ?? 'failure')
    const client = this.#client
    const id = this.id
    if (!client || id === undefined) return { posted: false, conclusion, annotationsPosted: 0 }

    const links = linksOf(outcome)
    const where = outcome.artifactUrl ? `the run artifact (${outcome.artifactUrl})` : 'the run artifact'
    const annotations = limitAnnotations(outcome.annotations ?? [], opts.maxAnnotations ?? 250, where)
    const output = this.#output(outcome, annotations, links)
    const base = { owner: opts.owner, repo: opts.repo, check_run_id: id }
    const batches: Annotation[][] = []
    for (let i = 0; i < annotations.length; i += LIMITS.annotationsPerRequest) {
      batches.push(annotations.slice(i, i + LIMITS.annotationsPerRequest))
    }

    // All batches but the last go in their own updates; the last rides with the completion.
    let posted = 0
    for (const batch of batches.slice(0, -1)) {
      try {
        await client.update({ ...base, status: 'in_progress', output: { ...output, annotations: batch } })
        posted += batch.length
      } catch (error) {
        opts.log.warning(`Could not add ${batch.length} annotations to the check run: ${errorMessage(error)}`)
      }
    }
    const last = batches.at(-1) ?? []
    const completion = {
      ...base,
      status: 'completed' as const,
      conclusion,
      completed_at: (opts.now ?? (() => new Date()))().toISOString(),
    }
    try {
      await client.update({ ...completion, output: last.length ? { ...output, annotations: last } : output })
      return { posted: true, conclusion, annotationsPosted: posted + last.length }
    } catch (error) {
      opts.log.warning(`Could not complete the check run: ${errorMessage(error)}; retrying without details`)
    }
    // A rejected body must not leave the check spinning forever: complete it with the title alone.
    try {
      await client.update({ ...completion, output: { title: output.title, summary: output.title } })
      return { posted: true, conclusion, annotationsPosted: posted }
    } catch (error) {
      opts.log.warning(`Could not complete the check run: ${errorMessage(error)}`)
      return { posted: false, conclusion, annotationsPosted: posted }
    }
  }

  #output(outcome: CheckOutcome, annotations: Annotation[], links: Links): CheckOutput {
    const max = LIMITS.checkOutputBytes
    const render = this.#opts.renderSummary
    const text = checkText(annotations, max, links)
    if (outcome.status === 'verdict') {
      return {
        title: checkTitle(outcome.result),
        summary: fitSummary(render, outcome.result, outcome.run, max, links),
        ...(text ? { text } : {}),
      }
    }
    const judged =
      outcome.status === 'cancelled' && outcome.result && outcome.run
        ? partialVerdict(outcome.result, outcome.run)
        : undefined
    const note = interruptedSummary(outcome.status, outcome.reason, links, judged)
    if (outcome.status === 'configuration')
      return {
        title: truncateChars(`configuration error: ${outcome.reason}`, LIMITS.checkTitleChars),
        summary: note,
      }
    const word = outcome.status === 'cancelled' ? 'cancelled' : 'internal error'
    if (outcome.result && outcome.run) {
      // Partial results: say so first, then show what exists.
      const partial = fitSummary(render, outcome.result, outcome.run, max - utf8Bytes(note) - 2, links)
      return {
        title:
          outcome.status === 'cancelled'
            ? truncateChars(`cancelled: ${judged}`, LIMITS.checkTitleChars)
            : `${word}: partial results, no verdict`,
        summary: `${note}\n\n${partial}`,
        ...(text ? { text } : {}),
      }
    }
    return { title: `${word}: no verdict`, summary: note, ...(text ? { text } : {}) }
  }
}
