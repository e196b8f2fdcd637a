// Every input of the action, and every flag of the CLI (same names), in one table. action.yml, the CLI's --help
// and the README are checked against it by tests, so a user never meets an input nobody explained.

export type InputGroup = 'targets' | 'sample' | 'layers' | 'replay' | 'judge' | 'signals' | 'publish'

export interface InputSpec {
  name: string
  description: string
  /** The default as action.yml states it ('' = unset). */
  default: string
  group: InputGroup
  /** Values that must never be printed. */
  secret?: boolean
  /** Documented as required in action.yml (validated in config.ts with a clearer message). */
  required?: boolean
}

export const INPUTS: readonly InputSpec[] = [
  // Targets
  {
    name: 'canary-url',
    group: 'targets',
    default: '',
    description:
      'Base URL of the canary Clair API (indexer and matcher path-routed behind it, e.g. https://clair-canary.example:6060). Required, except in the merge job of a sharded run.',
  },
  {
    name: 'canary-introspection-url',
    group: 'targets',
    default: '',
    description:
      'Base URL of the canary introspection server (port 8089): /readyz and /metrics. When set, the run waits until the canary is ready (and serves expect-revision).',
  },
  {
    name: 'canary-psk',
    group: 'targets',
    default: '',
    secret: true,
    description: "Base64 PSK of the canary (Clair's auth.psk.key). Empty: no Authorization header.",
  },
  {
    name: 'production-url',
    group: 'targets',
    default: '',
    description:
      'Base URL of the production Clair API. Only GET requests are ever sent to it. Required, except in the merge job of a sharded run.',
  },
  {
    name: 'production-introspection-url',
    group: 'targets',
    default: '',
    description: 'Base URL of the production introspection server, to record its version in run.json.',
  },
  {
    name: 'production-psk',
    group: 'targets',
    default: '',
    secret: true,
    description: 'Base64 PSK of production. Empty: the canary PSK is used.',
  },
  {
    name: 'issuer',
    group: 'targets',
    default: 'quay',
    description: "JWT iss claim; must be listed in Clair's auth.psk.iss.",
  },
  {
    name: 'expect-revision',
    group: 'targets',
    default: '',
    description:
      "Commit the canary must serve (needs canary-introspection-url): the run waits until clair_cmd_version_info on /metrics names it. Commit prefixes match either way, at least 7 hex digits (a release archive's label is '<short sha> (<date>)'); a build that carries no commit (from the Go module proxy) is reported at once.",
  },
  {
    name: 'ready-timeout',
    group: 'targets',
    default: '600',
    description: 'Seconds to wait for the canary to become ready; past it the verdict is inconclusive.',
  },
  // Sample
  {
    name: 'manifests',
    group: 'sample',
    default: '',
    description:
      'Path to a JSONL file of Clair manifests ({"hash","layers"} or {"manifest","origin"} per line). Used instead of quay-db-dsn.',
  },
  {
    name: 'quay-db-dsn',
    group: 'sample',
    default: '',
    secret: true,
    description:
      'PostgreSQL connection string of a Quay database read replica. The session is read-only, with a statement timeout.',
  },
  {
    name: 'sample-size',
    group: 'sample',
    default: '200',
    description: 'How many manifests to replay.',
  },
  {
    name: 'seed',
    group: 'sample',
    default: '',
    description:
      'Seed for sampling and re-read selection. Empty: a fresh one, recorded in run.json to reproduce the run.',
  },
  {
    name: 'shard-index',
    group: 'sample',
    default: '',
    description:
      'This leg of a matrix (0-based: the matrix context strategy.job-index): replay only the manifests that hash to it. Every leg draws the same sample, so give them one seed.',
  },
  {
    name: 'shard-total',
    group: 'sample',
    default: '',
    description: 'How many legs share the sample (the matrix context strategy.job-total); with shard-index.',
  },
  {
    name: 'strata',
    group: 'sample',
    default: 'media_type,recency',
    description: 'Comma-separated strata for the Quay DB sample: media_type, distribution, recency.',
  },
  {
    name: 'recent-days',
    group: 'sample',
    default: '7',
    description: 'Manifests indexed within this many days form the "recent" stratum.',
  },
  {
    name: 'live-tags-only',
    group: 'sample',
    default: 'true',
    description:
      'Sample only manifests reachable from a live, visible tag: their own, or one on a manifest list or index that holds them (as Quay looks manifests up).',
  },
  {
    name: 'current-index-state-only',
    group: 'sample',
    default: 'false',
    description:
      "Sample only manifests whose stored indexer_hash equals production's current index state (so production's report is current); the stale ones are counted.",
  },
  {
    name: 'empty-layers',
    group: 'sample',
    default: 'quay',
    description:
      "quay: reproduce Quay's empty-layer entries from the config history; skip: send manifest layers only.",
  },
  {
    name: 'include-private-repositories',
    group: 'sample',
    default: 'false',
    description:
      "Sample manifests of private Quay repositories too (Quay's repository visibility). Off: public repositories only. Check runs, job summaries and artifacts of a public GitHub repository are public.",
  },
  {
    name: 'publish-repository-names',
    group: 'sample',
    default: 'false',
    description:
      'Keep Quay namespace and repository names in the run directory (sample.jsonl and what is built from it). Off: a manifest is named by its digest and an opaque label of its repository ("repository 3", numbered in the order of the sample) that groups a repository\'s manifests and reveals nothing else.',
  },
  // Layers
  {
    name: 'layer-uri-mode',
    group: 'layers',
    default: 's3',
    description:
      'How fresh layer URLs are made for Quay DB samples: s3 (presigned GET), registry (Quay /v2 API), template.',
  },
  { name: 's3-bucket', group: 'layers', default: '', description: 'S3 bucket of Quay storage (s3 mode).' },
  { name: 's3-region', group: 'layers', default: '', description: 'S3 region (s3 mode).' },
  {
    name: 's3-storage-path',
    group: 'layers',
    default: '',
    description: "Quay's storage_path prefix inside the bucket (s3 mode).",
  },
  {
    name: 's3-endpoint',
    group: 'layers',
    default: '',
    description: 'S3-compatible endpoint URL, path-style (RadosGW, MinIO). Empty: AWS.',
  },
  {
    name: 'aws-access-key-id',
    group: 'layers',
    default: '',
    secret: true,
    description: 'Read-only key for the storage bucket (s3 mode).',
  },
  {
    name: 'aws-secret-access-key',
    group: 'layers',
    default: '',
    secret: true,
    description: 'Secret key for the storage bucket (s3 mode).',
  },
  {
    name: 'aws-session-token',
    group: 'layers',
    default: '',
    secret: true,
    description: 'Session token for temporary credentials (s3 mode).',
  },
  {
    name: 'url-expiry',
    group: 'layers',
    default: '600',
    description: 'Seconds a presigned layer URL stays valid (Quay uses 600).',
  },
  {
    name: 'registry-url',
    group: 'layers',
    default: '',
    description:
      'Quay base URL for registry mode (layers fetched from /v2/<namespace>/<repo>/blobs/<digest>).',
  },
  {
    name: 'registry-token',
    group: 'layers',
    default: '',
    secret: true,
    description: 'Bearer token for registry mode. Empty: one is obtained with the robot credentials.',
  },
  {
    name: 'registry-username',
    group: 'layers',
    default: '',
    description: 'Quay robot account for registry mode.',
  },
  {
    name: 'registry-password',
    group: 'layers',
    default: '',
    secret: true,
    description: 'Quay robot token for registry mode.',
  },
  {
    name: 'uri-template',
    group: 'layers',
    default: '',
    description: 'Template mode: a URL with {digest}, {hex}, {namespace}, {repository}.',
  },
  // Replay
  {
    name: 'rate',
    group: 'replay',
    default: '2',
    description: 'Index requests per second sent to the canary (open loop).',
  },
  {
    name: 'concurrency',
    group: 'replay',
    default: '4',
    description:
      'At most this many canary requests in flight; further ones wait and their wait counts as latency.',
  },
  {
    name: 'production-rate',
    group: 'replay',
    default: '5',
    description:
      'GET requests per second against production, retries included (capped at 50: production is never load-tested). Holds in any one-second window. The legs of a sharded run share it: each leg takes rate / shard-total, in whole requests per second (so it must be at least shard-total).',
  },
  {
    name: 'delete-first',
    group: 'replay',
    default: 'true',
    description:
      'DELETE each manifest on the canary before indexing, so it really indexes instead of answering from cache.',
  },
  {
    name: 'early-stop',
    group: 'replay',
    default: 'true',
    description:
      'Stop the replay and fail as soon as a regression is certain (canary-only failures past their maximum, or a sequential latency test at alpha), saying at which manifest and why. A pass always needs the whole sample; a sharded leg never stops early (the merged run judges).',
  },
  {
    name: 'reread-fraction',
    group: 'replay',
    default: '0.1',
    description: 'Fraction of manifests read twice from both sides to measure noise (0 to 1).',
  },
  {
    name: 'index-timeout',
    group: 'replay',
    default: '600',
    description: 'Seconds before an indexer request times out (Quay uses 600).',
  },
  {
    name: 'request-timeout',
    group: 'replay',
    default: '30',
    description: 'Seconds before any other request times out (Quay uses 30).',
  },
  {
    name: 'max-attempts',
    group: 'replay',
    default: '4',
    description:
      'Attempts per request for 429, 503 and 202 (not ready) answers, and for GETs whose connection dropped or body was cut short, with backoff and jitter.',
  },
  {
    name: 'retry-budget',
    group: 'replay',
    default: '60',
    description: 'Seconds one request may spend waiting between attempts.',
  },
  {
    name: 'max-response-mb',
    group: 'replay',
    default: '64',
    description: 'A response body larger than this many MiB is recorded as too_large.',
  },
  // Judge
  {
    name: 'rules',
    group: 'judge',
    default: '',
    description: 'Path to a YAML rules file: ignores, expected changes with expiry dates, gate thresholds.',
  },
  {
    name: 'merge',
    group: 'judge',
    default: '',
    description:
      "The aggregate job of a sharded run: directories (one per line) holding the legs' run directories, as download-artifact leaves them. They are merged into run-dir and judged once; nothing is replayed, and no canary or production input is needed.",
  },
  {
    name: 'fail-on-inconclusive',
    group: 'judge',
    default: 'true',
    description:
      'Fail the step when the verdict is inconclusive (it always fails on fail), so a required job is not satisfied by a run that could not decide. false: the old behaviour, the step passes.',
  },
  {
    name: 'run-dir',
    group: 'judge',
    default: 'clair-canary-run',
    description:
      'Directory for the run directory (run.json, reports, diffs, result.json, summary.md, report.html).',
  },
  {
    name: 'history',
    group: 'judge',
    default: 'false',
    description:
      "Keep a history record of each run (history.json, also uploaded as the artifact <artifact-name>-history.json, or -history-nights.json for scheduled runs) and read the earlier ones: the summary and report.html show trends, the canary's index latency is judged against the last nights run with comparable settings (scheduled runs on the default branch; not judged, leaving the verdict to the other gates, with fewer than 5 or when earlier runs cannot be read), and fields that differ night after night without a code change are reported as noisy. The action reads earlier runs' artifacts (needs permissions actions: read); the CLI reads history-dir. In a sharded run, give it to the merge job, which keeps one record for the whole run.",
  },
  {
    name: 'history-depth',
    group: 'judge',
    default: '14',
    description:
      "How many earlier runs of this branch the trends show, and how many nights the index latency is judged against (5 to 90). History records are kept 90 days (or the repository's artifact retention, if shorter).",
  },
  {
    name: 'history-dir',
    group: 'judge',
    default: '',
    description:
      "A directory of history records (*.history.json, run directories too) read instead of artifacts; this run's record is added to it. Needed by the CLI with history: true. The branch, commit and event come from GITHUB_HEAD_REF or GITHUB_REF_NAME, GITHUB_SHA and GITHUB_EVENT_NAME when set (else local, unknown and manual).",
  },
  // Live signals
  {
    name: 'prometheus-url',
    group: 'signals',
    default: '',
    description:
      "Base URL of a Prometheus that scrapes the canary. The rules file's PromQL gates (default: the canary's 5xx ratio and index p95) are evaluated over the replay window; an unreachable Prometheus makes them inconclusive.",
  },
  {
    name: 'alertmanager-url',
    group: 'signals',
    default: '',
    description:
      "Base URL of the Alertmanager that receives the canary's alerts. Alerts firing for the rules file's matchers during the replay fail the run and are listed.",
  },
  {
    name: 'incubation',
    group: 'signals',
    default: '0',
    description: 'Seconds to keep watching Alertmanager after the replay (needs alertmanager-url).',
  },
  {
    name: 'pushgateway-url',
    group: 'signals',
    default: '',
    description:
      "Base URL of a Prometheus Pushgateway: the run's metrics (also in metrics.txt in the run directory) are pushed under job clair-canary (not from a leg of a sharded run). Failing to push is a warning.",
  },
  // Publish
  {
    name: 'token',
    group: 'publish',
    default: '${{ github.token }}',
    secret: true,
    description:
      'GitHub token for the check run (needs checks: write). A read-only token still gets a job summary.',
  },
  { name: 'checks', group: 'publish', default: 'true', description: 'Create a check run on the commit.' },
  {
    name: 'check-name',
    group: 'publish',
    default: 'clair-canary',
    description: 'Name of the check run (at most 100 characters).',
  },
  {
    name: 'inconclusive-conclusion',
    group: 'publish',
    default: 'failure',
    description:
      'Check conclusion for an inconclusive verdict: failure (titled "inconclusive"), action_required, or neutral and skipped (the old behaviour; branch protection counts both as passing).',
  },
  {
    name: 'annotations',
    group: 'publish',
    default: 'true',
    description: 'Annotate the check and the workflow run with the worst differences.',
  },
  {
    name: 'artifacts',
    group: 'publish',
    default: 'true',
    description: 'Upload the run directory and report.html as artifacts.',
  },
  {
    name: 'artifact-name',
    group: 'publish',
    default: 'clair-canary-run',
    description: 'Name of the run-directory artifact (report.html is uploaded as <name>-report.html).',
  },
  {
    name: 'retention-days',
    group: 'publish',
    default: '',
    description: "Days to keep the artifacts (1 to 90). Empty: the repository's setting.",
  },
]

/**
 * Inputs that mean something only in the action: publishing (check run, annotations, artifacts), the merge job
 * (the CLI has `merge`), and failing the step (the CLI has exit codes). The CLI neither offers nor reads them.
 */
export const ACTION_ONLY_INPUTS: ReadonlySet<string> = new Set([
  ...INPUTS.filter((i) => i.group === 'publish').map((i) => i.name),
  'merge',
  'fail-on-inconclusive',
])

export const INPUT_GROUP_TITLES: Record<InputGroup, string> = {
  targets: 'Canary and production',
  sample: 'Which manifests',
  layers: 'Fresh layer URLs (Quay database samples)',
  replay: 'Replay',
  judge: 'Judging',
  signals: 'Live signals (Prometheus, Alertmanager, Pushgateway)',
  publish: 'Publishing',
}

export interface OutputSpec {
  name: string
  description: string
}

export const OUTPUTS: readonly OutputSpec[] = [
  { name: 'verdict', description: 'pass, fail or inconclusive.' },
  {
    name: 'conclusion',
    description: 'The check conclusion the verdict maps to (success, failure, neutral, ...).',
  },
  { name: 'manifests', description: 'Manifests replayed.' },
  { name: 'compared', description: 'Manifests whose reports were compared on both sides.' },
  {
    name: 'different',
    description:
      'Manifests with at least one difference of any attribution, not counting manifests that failed on one side.',
  },
  {
    name: 'code-differences',
    description:
      'Manifests with at least one difference attributed to a code change (result.json counts.code_different).',
  },
  {
    name: 'errors',
    description:
      'Manifests with a failed request or a failed index on either side (result.json counts.errors; canary_errors and production_errors split it).',
  },
  {
    name: 'canary-revision',
    description: 'The commit the canary served (clair_cmd_version_info), when its /metrics was read.',
  },
  { name: 'run-dir', description: 'Absolute path of the run directory.' },
  { name: 'summary-path', description: 'Absolute path of summary.md.' },
  { name: 'check-run-url', description: 'URL of the check run, when one was created.' },
  { name: 'artifact-id', description: 'Id of the run-directory artifact, when uploaded.' },
  { name: 'report-artifact-id', description: 'Id of the report.html artifact, when uploaded.' },
]
