import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import {
  DEFAULT_RULES,
  TOOL_VERSION,
  compareStores,
  judge,
  parseRules,
  writeOutcome
} from "./chunk-KPQLV6T5.js";
import {
  RUN_FILES,
  UserError,
  openReportStore,
  writeJsonl
} from "./chunk-PUKMFQGW.js";
import "./chunk-3CMTUCYV.js";
import "./chunk-L45NKC2N.js";

// src/compare-command.ts
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
async function compareRunDirs(opts) {
  for (const [flag, dir] of [
    ["--baseline", opts.baseline],
    ["--candidate", opts.candidate]
  ]) {
    const st = await stat(dir).catch(() => void 0);
    if (!st?.isDirectory())
      throw new UserError(`compare: ${flag} ${dir} is not a directory (expected a report store)`);
  }
  let rules = DEFAULT_RULES;
  if (opts.rules) {
    const text = await readFile(opts.rules, "utf8").catch(() => {
      throw new UserError(`compare: cannot read --rules ${opts.rules}`);
    });
    rules = parseRules(text, opts.rules);
  }
  const started = /* @__PURE__ */ new Date();
  const production = await openReportStore(opts.baseline);
  const canary = await openReportStore(opts.candidate);
  if (production.digests.length === 0 && canary.digests.length === 0)
    throw new UserError(`compare: neither store holds any sha256-<hex>.index.json report`);
  const compared = await compareStores(production, canary, {
    rules,
    today: opts.today ?? started.toISOString().slice(0, 10)
  });
  await writeJsonl(join(opts.out, RUN_FILES.diffs), compared.diffs);
  const digests = /* @__PURE__ */ new Set([...production.digests, ...canary.digests]);
  const result = judge({
    records: [],
    diffs: compared.diffs,
    rules,
    contractViolations: [],
    sample: { requested: digests.size, drawn: digests.size },
    coverage: compared.coverage,
    newFields: compared.newFields,
    ...compared.expiredRules.length ? { expiredRules: compared.expiredRules } : {}
  });
  const run = {
    schema: "clair-canary/run/v1",
    tool: { name: "clair-canary", version: TOOL_VERSION },
    started_at: started.toISOString(),
    finished_at: (/* @__PURE__ */ new Date()).toISOString(),
    seed: "",
    config: {
      command: "compare",
      baseline: opts.baseline,
      candidate: opts.candidate,
      rules: opts.rules ?? null
    },
    sides: {
      canary: { url: opts.candidate, ...canary.indexState ? { index_state: canary.indexState.state } : {} },
      production: {
        url: opts.baseline,
        ...production.indexState ? { index_state: production.indexState.state } : {}
      }
    },
    sample: { source: "report stores", requested: digests.size, drawn: digests.size },
    timings: {}
  };
  return writeOutcome(opts.out, run, result, [], compared.diffs, opts.log);
}
export {
  compareRunDirs
};
