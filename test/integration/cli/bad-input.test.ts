// The bad-input table (issue 11): every user mistake is exit 2 with exactly one line naming the input and what was
// expected, found before anything is sent or any run directory is touched. The CLI runs in this process (the same
// cli() the binary calls); a few cases also run as a child process to show the binary says the same.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../../../src/cli.ts'
import { runCli } from '../../support/cli.ts'

let D = ''
const RUN = (): string[] => [
  'run',
  '--canary-url',
  'http://127.0.0.1:9/',
  '--production-url',
  'http://127.0.0.1:19/',
  '--manifests',
  `${D}/ok.jsonl`,
  '--run-dir',
  `${D}/rd`,
]
/** A Quay database source with the s3 layer inputs it needs. */
const QUAY_S3 = [
  '--quay-db-dsn',
  'postgresql://quay:pw@db/quay',
  '--s3-bucket',
  'b',
  '--s3-region',
  'us-east-1',
  '--aws-access-key-id',
  'AKIAEXAMPLE',
  '--aws-secret-access-key',
  'sekrit',
]
const QUAY_RUN = [
  'run',
  '--canary-url',
  'http://127.0.0.1:9/',
  '--production-url',
  'http://127.0.0.1:19/',
  ...QUAY_S3,
]
/** Values given as secrets in the table: no line may repeat them. */
const SECRETS = ['secretpw', 'sekrit', 'AKIAEXAMPLE', 'quay:pw']

before(async () => {
  D = await mkdtemp(join(tmpdir(), 'clair-canary-bad-input-'))
  const layer = { hash: `sha256:${'b'.repeat(64)}`, uri: 'https://blobs.example/b', headers: {} }
  await writeFile(
    join(D, 'ok.jsonl'),
    JSON.stringify({ hash: `sha256:${'a'.repeat(64)}`, layers: [layer] }) + '\n',
  )
  await mkdir(join(D, 'adir'))
  await writeFile(join(D, 'afile'), '')
  await writeFile(join(D, 'bad-rules.yml'), 'x: [\n')
  // A run directory whose records.jsonl was cut mid-line.
  const report = { manifest_hash: `sha256:${'a'.repeat(64)}`, state: 'IndexFinished', success: true, err: '' }
  await mkdir(join(D, 'cut-run', 'reports', 'production'), { recursive: true })
  await writeFile(
    join(D, 'cut-run', 'reports', 'production', `sha256-${'a'.repeat(64)}.index.json`),
    JSON.stringify(report),
  )
  await writeFile(join(D, 'cut-run', 'records.jsonl'), '{"digest":"sha256:\n')
  await mkdir(join(D, 'bad-history'))
  await writeFile(join(D, 'bad-history', 'night.history.json'), '{"schema":"clair-canary/history/v0"}')
})
after(() => rm(D, { recursive: true, force: true }))

function table(): Array<[string[], string]> {
  const RUNARGS = RUN()
  return [
    [[...RUNARGS, '--rate', '-1'], 'clair-canary: input rate: expected a number above 0, got -1'],
    [[...RUNARGS, '--rate', '0'], 'clair-canary: input rate: expected a number above 0, got 0'],
    [[...RUNARGS, '--rate', 'abc'], 'clair-canary: input rate: expected a number, got "abc"'],
    [
      [...RUNARGS, '--rate', '0.00001'],
      'clair-canary: input rate: 200 requests at 0.00001 per second would take 5556 h, longer than a job may run (6 h); raise rate or lower sample-size',
    ],
    [
      [...RUNARGS, '--production-rate', '51'],
      'clair-canary: input production-rate: at most 50 requests per second (production is read-only and never load-tested), got 51',
    ],
    [
      [...RUNARGS, '--production-rate', '-5'],
      'clair-canary: input production-rate: expected a number above 0, got -5',
    ],
    [
      [...RUNARGS, '--production-rate', '0.001'],
      'clair-canary: input production-rate: 400 requests at 0.001 per second would take 111 h, longer than a job may run (6 h); raise production-rate or lower sample-size',
    ],
    [
      [...RUNARGS, '--concurrency', '0'],
      'clair-canary: input concurrency: expected a whole number from 1 to 10000, got 0',
    ],
    [
      [...RUNARGS, '--concurrency', '1.5'],
      'clair-canary: input concurrency: expected a whole number from 1 to 10000, got 1.5',
    ],
    [
      [...RUNARGS, '--sample-size', '0'],
      'clair-canary: input sample-size: expected a whole number from 1 to 1000000, got 0',
    ],
    [[...RUNARGS, '--sample-size', 'x'], 'clair-canary: input sample-size: expected a number, got "x"'],
    [
      [...RUNARGS, '--index-timeout', '3000000'],
      'clair-canary: input index-timeout: at most 2147483 seconds (about 24 days), got 3000000',
    ],
    [
      [...RUNARGS, '--request-timeout', '99999999'],
      'clair-canary: input request-timeout: at most 2147483 seconds (about 24 days), got 99999999',
    ],
    [
      [...RUNARGS, '--ready-timeout', '-1'],
      'clair-canary: input ready-timeout: expected a number above 0, got -1',
    ],
    [[...RUNARGS, '--retry-budget', '-1'], 'clair-canary: input retry-budget: expected 0 or more, got -1'],
    [
      [...RUNARGS, '--retry-budget', '3000000'],
      'clair-canary: input retry-budget: at most 2147483 seconds (about 24 days), got 3000000',
    ],
    [
      [...RUNARGS, '--max-attempts', '0'],
      'clair-canary: input max-attempts: expected a whole number from 1 to 20, got 0',
    ],
    [
      [...RUNARGS, '--max-attempts', '21'],
      'clair-canary: input max-attempts: expected a whole number from 1 to 20, got 21',
    ],
    [
      [...RUNARGS, '--max-response-mb', '0'],
      'clair-canary: input max-response-mb: expected a number above 0, got 0',
    ],
    [
      [...RUNARGS, '--reread-fraction', '1.5'],
      'clair-canary: input reread-fraction: expected a fraction from 0 to 1, got 1.5',
    ],
    [
      [...RUNARGS, '--reread-fraction', '-0.1'],
      'clair-canary: input reread-fraction: expected a fraction from 0 to 1, got -0.1',
    ],
    [
      [...RUNARGS, '--delete-first', 'maybe'],
      'clair-canary: input delete-first: expected true or false, got "maybe"',
    ],
    [
      [...RUNARGS, '--fail-on-inconclusive', 'perhaps'],
      'clair-canary: run: --fail-on-inconclusive is an input of the GitHub Action only: the CLI publishes nothing (it writes the run directory) and says the verdict with its exit code',
    ],
    [
      [...RUNARGS, '--inconclusive-conclusion', 'success'],
      'clair-canary: run: --inconclusive-conclusion is an input of the GitHub Action only: the CLI publishes nothing (it writes the run directory) and says the verdict with its exit code',
    ],
    [
      [...RUNARGS, '--check-name', ''],
      'clair-canary: run: --check-name is an input of the GitHub Action only: the CLI publishes nothing (it writes the run directory) and says the verdict with its exit code',
    ],
    [
      [...RUNARGS, '--history', 'true'],
      'clair-canary: input history needs history-dir outside GitHub Actions (a directory of history records)',
    ],
    [[...RUNARGS, '--history', 'maybe'], 'clair-canary: input history: expected true or false, got "maybe"'],
    [
      [...RUNARGS, '--history', 'true', '--history-dir', `${D}/h`, '--history-depth', '3'],
      'clair-canary: input history-depth: expected a whole number from 5 to 90, got 3',
    ],
    [
      [...RUNARGS, '--history', 'true', '--history-dir', `${D}/afile`],
      `clair-canary: input history-dir: ${D}/afile is a file (expected a directory)`,
    ],
    [
      [
        ...RUNARGS,
        '--history',
        'true',
        '--history-dir',
        `${D}/h`,
        '--shard-index',
        '0',
        '--shard-total',
        '2',
        '--seed',
        's',
      ],
      'clair-canary: input history: a leg of a sharded run keeps no history; give history to the merge job (input merge), which keeps one record for the whole run',
    ],
    [
      ['merge', '--out', `${D}/m`, '--history-depth', '7', `${D}/adir`],
      'clair-canary: merge: --history-depth needs --history-dir (the directory of history records)',
    ],
    [
      ['merge', '--out', `${D}/m`, '--history-dir', `${D}/afile`, `${D}/adir`],
      `clair-canary: input history-dir: ${D}/afile is a file (expected a directory)`,
    ],
    [
      [...RUNARGS, '--history', 'true', '--history-dir', `${D}/bad-history`],
      `clair-canary: history record ${D}/bad-history/night.history.json: expected schema "clair-canary/history/v1", got "clair-canary/history/v0"`,
    ],
    [
      [...RUNARGS, '--retention-days', '91'],
      'clair-canary: run: --retention-days is an input of the GitHub Action only: the CLI publishes nothing (it writes the run directory) and says the verdict with its exit code',
    ],
    [
      [...RUNARGS, '--manifests', `${D}/adir`],
      `clair-canary: input manifests: ${D}/adir is a directory (expected a JSONL file of manifests)`,
    ],
    [
      [...RUNARGS, '--run-dir', `${D}/afile`],
      `clair-canary: input run-dir: ${D}/afile is a file (expected a directory)`,
    ],
    [
      [...RUNARGS, '--run-dir', `${D}/afile/sub`],
      `clair-canary: input run-dir: ${D}/afile/sub is under ${D}/afile, which is a file (expected a directory)`,
    ],
    [
      [...RUNARGS, '--rules', `${D}/nope.yml`],
      `clair-canary: input rules: cannot read "${D}/nope.yml" (expected a YAML rules file)`,
    ],
    [
      [...RUNARGS, '--rules', `${D}/bad-rules.yml`],
      `clair-canary: ${D}/bad-rules.yml:2:1: not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])`,
    ],
    [
      [...RUNARGS, '--canary-url', 'ftp://x/'],
      'clair-canary: input canary-url: expected an http or https URL, got scheme ftp',
    ],
    [
      [...RUNARGS, '--canary-url', 'not a url'],
      'clair-canary: input canary-url: expected an http(s) URL with a scheme, e.g. https://clair.example:6060',
    ],
    [
      [...RUNARGS, '--canary-url', 'http://u:p@x/'],
      'clair-canary: input canary-url: credentials in the URL are not allowed; use the psk input',
    ],
    [
      [...RUNARGS, '--canary-url', 'http://x/?a=1'],
      'clair-canary: input canary-url: expected a base URL without query or fragment',
    ],
    [
      [...RUNARGS, '--production-url', ''],
      'clair-canary: input production-url is required: the base URL of a Clair API, e.g. https://clair.example:6060',
    ],
    [
      [...RUNARGS, '--production-url', 'http://127.0.0.1:9/'],
      'clair-canary: inputs canary-url and production-url name the same Clair (http://127.0.0.1:9/ and http://127.0.0.1:9/ reach one address, port and path): the canary is written to, production never is',
    ],
    [
      [...RUNARGS, '--canary-psk', '%%%'],
      'clair-canary: canary-psk: expected standard base64 (A-Z a-z 0-9 + / with = padding), found a character outside the standard base64 alphabet at position 1',
    ],
    [
      [...RUNARGS, '--expect-revision', 'xyz'],
      'clair-canary: input expect-revision: expected a commit sha (7 to 64 hex digits), got "xyz"',
    ],
    [
      [...RUNARGS, '--shard-index', '2', '--shard-total', '2', '--seed', 's'],
      'clair-canary: shard-index must be a whole number from 0 to 1 (0-based, below shard-total 2), got "2"',
    ],
    [
      [...RUNARGS, '--shard-index', '-1', '--shard-total', '2', '--seed', 's'],
      'clair-canary: shard-index must be a whole number from 0 to 1 (0-based, below shard-total 2), got "-1"',
    ],
    [
      [...RUNARGS, '--shard-total', '2'],
      'clair-canary: shard-index is empty but shard-total is "2": give both or neither',
    ],
    [
      [
        'run',
        '--canary-url',
        'http://127.0.0.1:9/',
        '--production-url',
        'http://127.0.0.1:19/',
        '--quay-db-dsn',
        'host=db user=quay',
        '--s3-bucket',
        'b',
      ],
      'clair-canary: input quay-db-dsn: key=value connection strings are not supported; give a postgresql:// URL',
    ],
    [
      [
        'run',
        '--canary-url',
        'http://127.0.0.1:9/',
        '--production-url',
        'http://127.0.0.1:19/',
        '--quay-db-dsn',
        'mysql://u:secretpw@db/quay',
      ],
      'clair-canary: input quay-db-dsn: expected a postgresql:// URL, got a mysql:// one',
    ],
    [
      ['run', '--canary-url', 'http://127.0.0.1:9/', '--production-url', 'http://127.0.0.1:19/'],
      'clair-canary: no manifest source: set input manifests (a JSONL file) or quay-db-dsn (a Quay read replica)',
    ],
    [
      [...RUNARGS, '--quay-db-dsn', 'postgresql://db/quay'],
      'clair-canary: inputs manifests and quay-db-dsn: give one manifest source, not both',
    ],
    [
      [...RUNARGS, '--no-such-flag', 'x'],
      'clair-canary: run: unknown option --no-such-flag (see clair-canary run --help)',
    ],
    [
      ['explode'],
      'clair-canary: unknown command "explode" (expected run, compare, merge, sample; see --help)',
    ],
    [
      ['compare'],
      'clair-canary: compare: --baseline is required: --baseline RUN_DIR alone, or --baseline STORE --candidate STORE (see clair-canary compare --help)',
    ],
    [
      ['compare', '--baseline', `${D}/afile`, '--candidate', `${D}/adir`, '--out', `${D}/o`],
      `clair-canary: compare: --baseline ${D}/afile is not a directory (expected a run directory or a report store such as <run dir>/reports/production)`,
    ],
    [
      ['compare', '--baseline', `${D}/adir`, '--candidate', `${D}/adir`, '--out', `${D}/o`],
      `clair-canary: compare: neither ${D}/adir nor ${D}/adir holds any sha256-<hex>.index.json report (a report store is a run directory's reports/production or reports/canary)`,
    ],
    [['merge'], 'clair-canary: merge: --out DIR is required (where the merged run directory goes)'],
    [['merge', '--out', `${D}/m`], 'clair-canary: merge: name the run directories to merge (see --help)'],
    [
      ['merge', '--out', `${D}/m`, `${D}/nope`],
      `clair-canary: merge: ${D}/nope is not a directory (expected a run directory or a folder of them)`,
    ],
    [
      ['merge', '--out', `${D}/m`, `${D}/adir`],
      `clair-canary: merge: ${D}/adir holds no run directory (no run.json in it or one level down)`,
    ],
    [['sample'], 'clair-canary: sample: --out FILE is required (where sample.jsonl goes)'],
    [
      [...QUAY_RUN, '--strata', 'bogus'],
      'clair-canary: input strata: unknown stratum "bogus"; expected any of media_type, distribution, recency',
    ],
    [
      [...QUAY_RUN, '--empty-layers', 'maybe'],
      'clair-canary: input empty-layers: expected one of quay, skip, got "maybe"',
    ],
    [
      [...QUAY_RUN, '--layer-uri-mode', 'ftp'],
      'clair-canary: input layer-uri-mode: expected one of s3, registry, template, got "ftp"',
    ],
    [
      [...QUAY_RUN, '--recent-days', '-3'],
      'clair-canary: input recent-days: expected a whole number from 1 to 36500, got -3',
    ],
    [
      [...QUAY_RUN, '--live-tags-only', 'perhaps'],
      'clair-canary: input live-tags-only: expected true or false, got "perhaps"',
    ],
    [
      [...QUAY_RUN, '--url-expiry', '0'],
      'clair-canary: input url-expiry: expected a whole number from 1 to 604800, got 0',
    ],
    [
      [...QUAY_RUN, '--url-expiry', '999999999'],
      'clair-canary: input url-expiry: expected a whole number from 1 to 604800, got 999999999',
    ],
    [
      [...QUAY_RUN, '--s3-endpoint', 'not a url'],
      'clair-canary: input s3-endpoint: expected an http(s) URL with a scheme, e.g. http://127.0.0.1:9000',
    ],
    [
      [...QUAY_RUN, '--layer-uri-mode', 'registry'],
      'clair-canary: input registry-url is required with layer-uri-mode registry',
    ],
    [
      [...QUAY_RUN, '--layer-uri-mode', 'template'],
      'clair-canary: input uri-template is required with layer-uri-mode template',
    ],
    [
      [...QUAY_RUN, '--layer-uri-mode', 'template', '--uri-template', 'https://x/{nothing}'],
      'clair-canary: input uri-template: expected {digest}, {hex} or {path} in it, or every layer gets the same URI',
    ],
    [
      [
        'run',
        '--canary-url',
        'http://127.0.0.1:9/',
        '--production-url',
        'http://127.0.0.1:19/',
        '--quay-db-dsn',
        'postgresql://quay:pw@db/quay',
      ],
      'clair-canary: input s3-bucket is required with layer-uri-mode s3',
    ],
    [
      [...RUNARGS, '--manifests', `${D}/ok.jsonl`, '--quay-db-dsn', 'postgresql://db/q'],
      'clair-canary: inputs manifests and quay-db-dsn: give one manifest source, not both',
    ],
    [
      [...RUNARGS, '--canary-introspection-url', 'gopher://x/'],
      'clair-canary: input canary-introspection-url: expected an http or https URL, got scheme gopher',
    ],
    [
      [...RUNARGS, '--production-introspection-url', 'http://x/#frag'],
      'clair-canary: input production-introspection-url: expected a base URL without query or fragment',
    ],
    [
      [...RUNARGS, '--sample-size', '1000001'],
      'clair-canary: input sample-size: expected a whole number from 1 to 1000000, got 1000001',
    ],
    [
      [...RUNARGS, '--concurrency', '10001'],
      'clair-canary: input concurrency: expected a whole number from 1 to 10000, got 10001',
    ],
    [[...RUNARGS, '--rate', 'Infinity'], 'clair-canary: input rate: expected a number, got "Infinity"'],
    [[...RUNARGS, '--rate', 'NaN'], 'clair-canary: input rate: expected a number, got "NaN"'],
    [
      [...RUNARGS, '--index-timeout', '0'],
      'clair-canary: input index-timeout: expected a number above 0, got 0',
    ],
    [
      [...RUNARGS, '--request-timeout', '1e9'],
      'clair-canary: input request-timeout: at most 2147483 seconds (about 24 days), got 1e9',
    ],
    [
      [...RUNARGS, '--ready-timeout', '2147484'],
      'clair-canary: input ready-timeout: at most 2147483 seconds (about 24 days), got 2147484',
    ],
    [
      [...RUNARGS, '--seed', 'x', '--shard-index', '0'],
      'clair-canary: shard-total is empty but shard-index is "0": give both or neither',
    ],
    [
      [...RUNARGS, '--shard-index', '0', '--shard-total', '0', '--seed', 's'],
      'clair-canary: shard-total must be a whole number from 1 to 256 (a matrix runs at most 256 jobs), got "0"',
    ],
    [
      [...RUNARGS, '--shard-index', 'a', '--shard-total', '2', '--seed', 's'],
      'clair-canary: shard-index must be a whole number from 0 to 1 (0-based, below shard-total 2), got "a"',
    ],
    [
      [...RUNARGS, '--rate', '1', '--sample-size', '100000'],
      'clair-canary: input rate: 100000 requests at 1 per second would take 28 h, longer than a job may run (6 h); raise rate or lower sample-size',
    ],
    [
      [...RUNARGS, '--production-rate', '3', '--shard-index', '0', '--shard-total', '4', '--seed', 's'],
      'clair-canary: input production-rate: the 4 legs of a sharded run share it and each needs at least 1 request per second, so it must be at least 4, got 3',
    ],
    [
      [...RUNARGS, '--production-rate', '1', '--sample-size', '20000'],
      'clair-canary: input production-rate: 40000 requests at 1 per second would take 11 h, longer than a job may run (6 h); raise production-rate or lower sample-size',
    ],
    [
      [...RUNARGS, '--expect-revision', 'abcdef1'],
      'clair-canary: input expect-revision needs canary-introspection-url (the revision is read from its /metrics)',
    ],
    [
      [...RUNARGS, '--canary-url', 'http://127.0.0.1:19/'],
      'clair-canary: inputs canary-url and production-url name the same Clair (http://127.0.0.1:19/ and http://127.0.0.1:19/ reach one address, port and path): the canary is written to, production never is',
    ],
    [
      [...RUNARGS, '--canary-psk', 'aGVsbG8=', '--production-psk', '!!'],
      'clair-canary: production-psk: expected standard base64 (A-Z a-z 0-9 + / with = padding), found a character outside the standard base64 alphabet at position 1',
    ],
    [
      ['run', '--help-me'],
      'clair-canary: run: unknown option --help-me; did you mean --help? (see clair-canary run --help)',
    ],
    [
      ['compare', '--baseline', `${D}/adir`, '--candidate', `${D}/adir`, '--out', `${D}/afile`],
      `clair-canary: compare: --out: ${D}/afile is a file (expected a directory)`,
    ],
    [
      ['compare', '--baseline', `${D}/nope`],
      'clair-canary: compare: --out is required: --baseline RUN_DIR alone, or --baseline STORE --candidate STORE (see clair-canary compare --help)',
    ],
    [
      ['compare', '--bogus'],
      'clair-canary: compare: unknown option --bogus (see clair-canary compare --help)',
    ],
    [
      ['merge', '--out', `${D}/afile`, `${D}/adir`],
      `clair-canary: merge: --out: ${D}/afile is a file (expected a directory)`,
    ],
    [
      ['merge', '--rules', `${D}/bad-rules.yml`, '--out', `${D}/m`, `${D}/adir`],
      `clair-canary: ${D}/bad-rules.yml:2:1: not valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])`,
    ],
    [
      ['sample', '--out', `${D}/s.jsonl`],
      'clair-canary: sample: input quay-db-dsn is required (a Quay database read replica)',
    ],
    [
      ['sample', '--out', `${D}/s.jsonl`, '--quay-db-dsn', 'host=x'],
      'clair-canary: input quay-db-dsn: key=value connection strings are not supported; give a postgresql:// URL',
    ],
    [
      ['sample', '--out', `${D}/s.jsonl`, '--quay-db-dsn', 'postgresql://db/quay'],
      'clair-canary: input s3-bucket is required with layer-uri-mode s3',
    ],
    [
      ['merge', '--out', `${D}/m`, '--rules', `${D}/adir`, `${D}/adir`],
      `clair-canary: merge: --rules: cannot read "${D}/adir" (expected a YAML rules file)`,
    ],
    [
      ['merge', '--out', '/proc/clair-canary-merged', `${D}/adir`],
      'clair-canary: merge: --out: /proc/clair-canary-merged is not writable (/proc refuses writes)',
    ],
    [
      [...RUNARGS, '--run-dir', '/proc/clair-canary-run'],
      'clair-canary: input run-dir: /proc/clair-canary-run is not writable (/proc refuses writes)',
    ],
    [
      [...RUNARGS, '--url-expiry', '-5'],
      'clair-canary: input url-expiry: expected a whole number from 1 to 604800, got -5',
    ],
    [
      [...RUNARGS, '--s3-endpoint', 'http://minio:secretpw@minio:9000'],
      'clair-canary: input s3-endpoint: credentials in the URL are not allowed (the URL is logged)',
    ],
    [
      [...RUNARGS, '--layer-uri-mode', 'template', '--uri-template', 'https://blobs/x'],
      'clair-canary: input uri-template: expected {digest}, {hex} or {path} in it, or every layer gets the same URI',
    ],
    [
      [...RUNARGS, '--current-index-state-only', 'maybe'],
      'clair-canary: input current-index-state-only: expected true or false, got "maybe"',
    ],
    [
      [...RUNARGS, '--current-index-state-only', 'true'],
      'clair-canary: input current-index-state-only applies to a sample drawn from quay-db-dsn; a manifests file is replayed as it is',
    ],
    [
      [...RUNARGS, '--canary-url', 'http://127.0.0.1:99999/'],
      'clair-canary: input canary-url: not a valid URL (check the host name, and that the port is 1 to 65535), e.g. https://clair.example:6060',
    ],
    [
      [...RUNARGS, '--canary-introspection-url', 'http://127.0.0.1:0/'],
      "clair-canary: input canary-introspection-url: port 0 is no server's port; expected 1 to 65535, e.g. https://clair.example:6060",
    ],
    [
      [...RUNARGS, '--max-response-mb', '1e12'],
      'clair-canary: input max-response-mb: at most 512 (a body is held and parsed in memory, and V8 strings end near 512 MiB), got 1e12',
    ],
    [
      [
        'run',
        '--canary-url',
        'http://127.0.0.1:9/',
        '--production-url',
        'http://127.0.0.1:19/',
        '--quay-db-dsn',
        'postgresql://quay:secretpw@db:99999/quay',
        '--s3-bucket',
        'b',
        '--s3-region',
        'us-east-1',
        '--aws-access-key-id',
        'AKIAEXAMPLE',
        '--aws-secret-access-key',
        'sekrit',
      ],
      'clair-canary: input quay-db-dsn: not a valid postgresql:// URL (check the host name, and that the port is 1 to 65535)',
    ],
    [
      [...QUAY_RUN, '--current-index-state-only', 'sometimes'],
      'clair-canary: input current-index-state-only: expected true or false, got "sometimes"',
    ],
    [
      ['sample', '--out', `${D}/adir`, ...QUAY_S3],
      `clair-canary: sample: --out: ${D}/adir is a directory (expected a file)`,
    ],
    [
      ['sample', '--out', `${D}/afile/s.jsonl`, ...QUAY_S3],
      `clair-canary: sample: --out: ${D}/afile/s.jsonl is under ${D}/afile, which is a file (expected a directory)`,
    ],
    [
      ['compare', '--baseline', `${D}/cut-run`, '--out', `${D}/cmp`],
      `clair-canary: compare: ${D}/cut-run/records.jsonl:1: not JSON (Unterminated string in JSON at position 18 (line 1 column 19))`,
    ],
    [[...RUNARGS, '--rate', '-1e3'], 'clair-canary: input rate: expected a number above 0, got -1e3'],
    [
      [...RUNARGS, '--concurrency', '-4'],
      'clair-canary: input concurrency: expected a whole number from 1 to 10000, got -4',
    ],
    [
      [...RUNARGS, '--sample-size', '-10'],
      'clair-canary: input sample-size: expected a whole number from 1 to 1000000, got -10',
    ],
    [
      [...RUNARGS, '--max-response-mb', '-1'],
      'clair-canary: input max-response-mb: expected a number above 0, got -1',
    ],
    [
      [...RUNARGS, '--index-timeout', '-600'],
      'clair-canary: input index-timeout: expected a number above 0, got -600',
    ],
  ]
}

test('the bad-input table has at least 80 cases', () => {
  assert.ok(table().length >= 80, `${table().length} cases`)
})

test('every bad input: exit 2, exactly its one line, no secret, no run directory', async (t) => {
  const errors: string[] = []
  t.mock.method(console, 'error', (...a: unknown[]) => void errors.push(a.join(' ')))
  t.mock.method(console, 'log', () => {})
  for (const [args, line] of table()) {
    errors.length = 0
    const code = await cli(args)
    const what = args.join(' ')
    assert.equal(code, 2, `${what}: exit ${code}, said ${errors.join(' | ')}`)
    assert.deepEqual(errors, [line], what)
    for (const secret of SECRETS) assert.ok(!line.includes(secret), `${what}: the line repeats a secret`)
  }
  // Nothing was started: the run directory of every case was never created.
  assert.ok(!(await readdir(D)).includes('rd'))
})

test('a bad input found while sampling keeps the previous run directory as it was', async (t) => {
  t.mock.method(console, 'error', () => {})
  t.mock.method(console, 'log', () => {})
  const runDir = join(D, 'previous')
  await mkdir(join(runDir, 'reports', 'canary'), { recursive: true })
  await writeFile(join(runDir, 'result.json'), '{"verdict":"fail"}')
  await writeFile(join(D, 'broken.jsonl'), 'not json\n')
  const args = [...RUN().slice(0, 5), '--manifests', join(D, 'broken.jsonl'), '--run-dir', runDir]
  assert.equal(await cli(args), 2)
  assert.deepEqual((await readdir(runDir)).sort(), ['reports', 'result.json'])
})

test('a sample file that needs layer inputs it was not given keeps the previous run directory as it was', async (t) => {
  const errors: string[] = []
  t.mock.method(console, 'error', (...a: unknown[]) => void errors.push(a.join(' ')))
  t.mock.method(console, 'log', () => {})
  const runDir = join(D, 'previous-signed')
  await mkdir(join(runDir, 'reports', 'canary'), { recursive: true })
  await writeFile(join(runDir, 'result.json'), '{"verdict":"pass"}')
  // A line as `sample --out` writes it: its layer URL must be signed afresh from the blob's storage.
  const layer = `sha256:${'c'.repeat(64)}`
  const file = join(D, 'sampled.jsonl')
  await writeFile(
    file,
    JSON.stringify({
      manifest: {
        hash: `sha256:${'d'.repeat(64)}`,
        layers: [{ hash: layer, uri: 'https://s3/x', headers: {} }],
      },
      origin: { namespace: 'ns', repository: 'app', storage: { [layer]: { cas_path: true, uuid: 'u' } } },
    }) + '\n',
  )
  const args = [...RUN().slice(0, 5), '--manifests', file, '--run-dir', runDir]
  assert.equal(await cli(args), 2)
  assert.deepEqual(errors, [
    `clair-canary: input manifests: ${file} holds sampled manifests whose layer URLs must be signed afresh, and input s3-bucket is required with layer-uri-mode s3`,
  ])
  assert.deepEqual((await readdir(runDir)).sort(), ['reports', 'result.json'])
})

test('the binary says the same as the table, on a few cases', async () => {
  for (const [args, line] of table().filter((_, i) => i % 25 === 0)) {
    const { code, err } = await runCli(args)
    assert.equal(code, 2, err)
    assert.equal(err.trim(), line)
  }
})
