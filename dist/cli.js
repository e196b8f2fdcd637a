#!/usr/bin/env node
import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import {
  TOOL_VERSION,
  buildConfig,
  runPipeline
} from "./chunks/chunk-KPQLV6T5.js";
import {
  INPUTS,
  UserError,
  errorMessage
} from "./chunks/chunk-PUKMFQGW.js";
import "./chunks/chunk-3CMTUCYV.js";
import "./chunks/chunk-L45NKC2N.js";

// src/cli.ts
import { parseArgs } from "node:util";
import { join, resolve } from "node:path";
var EXIT = { pass: 0, fail: 1, input: 2, inconclusive: 3, internal: 4 };
function exitCodeFor(verdict) {
  return EXIT[verdict];
}
function envName(input) {
  return `CLAIR_CANARY_${input.toUpperCase().replace(/-/g, "_")}`;
}
var USAGE = `clair-canary ${TOOL_VERSION}: replay Quay manifests against a canary Clair and judge it against production

Usage:
  clair-canary run [--<input> <value> ...]     replay, compare, judge; writes the run directory
  clair-canary compare --baseline STORE --candidate STORE --out DIR [--rules FILE]
                                               re-judge two report stores (production = baseline)
  clair-canary sample --out FILE [--<input> <value> ...]
                                               draw a sample from the Quay database into a JSONL file
  clair-canary demo [--clean] [--run-dir DIR]  the whole pipeline against local stand-ins (no services needed)
  clair-canary --help | --version

Every action input is a flag of the same name, or an environment variable CLAIR_CANARY_<NAME>
(e.g. --canary-psk or CLAIR_CANARY_CANARY_PSK; prefer the variable for secrets).
Exit codes: 0 pass, 1 fail, 2 bad input or configuration, 3 inconclusive, 4 internal error.

Inputs:
${INPUTS.map((i) => `  --${i.name.padEnd(30)} ${i.description}${i.default ? ` (default: ${i.default})` : ""}`).join("\n")}
`;
var consoleLog = {
  info: (line) => console.error(line),
  warning: (line) => console.error(`warning: ${line}`)
};
async function main(argv) {
  const [command, ...rest] = argv;
  if (command === void 0 || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return command === void 0 ? EXIT.input : EXIT.pass;
  }
  if (command === "--version") {
    console.log(TOOL_VERSION);
    return EXIT.pass;
  }
  switch (command) {
    case "run":
      return runCommand(rest);
    case "compare":
      return compareCommand(rest);
    case "sample":
      return sampleCommand(rest);
    case "demo": {
      const { runDemo } = await import("./chunks/demo-OYPUWOYR.js");
      return runDemo(rest);
    }
    default:
      throw new UserError(
        `unknown command ${JSON.stringify(command)}; expected run, compare, sample or demo (see --help)`
      );
  }
}
function parseInputFlags(args, extra = {}) {
  const options = Object.fromEntries(INPUTS.map((i) => [i.name, { type: "string" }]));
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, ...extra, help: { type: "boolean" } },
      strict: true,
      allowPositionals: false
    });
  } catch (error) {
    throw new UserError(errorMessage(error));
  }
  const values = parsed.values;
  const read = (name) => {
    const flag = values[name];
    if (typeof flag === "string") return flag;
    return process.env[envName(name)];
  };
  return { values, read };
}
async function runCommand(args) {
  const { values, read } = parseInputFlags(args);
  if (values["help"]) {
    console.log(USAGE);
    return EXIT.pass;
  }
  const { config } = await buildConfig(read);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const outcome = await runPipeline(config, { log: consoleLog, signal: controller.signal });
    printResult(outcome.result, outcome.summaryPath);
    return exitCodeFor(outcome.result.verdict);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
async function compareCommand(args) {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        baseline: { type: "string" },
        candidate: { type: "string" },
        out: { type: "string" },
        rules: { type: "string" },
        help: { type: "boolean" }
      },
      strict: true,
      allowPositionals: false
    }).values;
  } catch (error) {
    throw new UserError(errorMessage(error));
  }
  if (values["help"]) {
    console.log(USAGE);
    return EXIT.pass;
  }
  for (const name of ["baseline", "candidate", "out"])
    if (typeof values[name] !== "string" || values[name] === "")
      throw new UserError(`compare: --${name} is required (see --help)`);
  const { compareRunDirs } = await import("./chunks/compare-command-KXFB3NMH.js");
  const outcome = await compareRunDirs({
    baseline: resolve(values["baseline"]),
    candidate: resolve(values["candidate"]),
    out: resolve(values["out"]),
    ...typeof values["rules"] === "string" ? { rules: values["rules"] } : {},
    log: consoleLog
  });
  printResult(outcome.result, outcome.summaryPath);
  return exitCodeFor(outcome.result.verdict);
}
async function sampleCommand(args) {
  const { values, read } = parseInputFlags(args, { out: { type: "string" } });
  if (values["help"]) {
    console.log(USAGE);
    return EXIT.pass;
  }
  const out = values["out"];
  if (typeof out !== "string" || out === "")
    throw new UserError("sample: --out FILE is required (where sample.jsonl goes)");
  const { sampleCommandToFile } = await import("./chunks/quay-OKIJER6G.js");
  const info = await sampleCommandToFile(read, resolve(out), consoleLog);
  console.log(`wrote ${info.drawn} manifests to ${out}`);
  return EXIT.pass;
}
function printResult(result, summaryPath) {
  console.log(`verdict: ${result.verdict.toUpperCase()}`);
  for (const reason of result.reasons) console.log(`  - ${reason}`);
  console.log(`summary: ${summaryPath}`);
  console.log(`report:  ${join(summaryPath, "..", "report.html")}`);
}
async function cli(argv) {
  try {
    return await main(argv);
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`clair-canary: ${error.message}`);
      return EXIT.input;
    }
    console.error(`clair-canary: internal error: ${errorMessage(error)}`);
    if (process.env["CLAIR_CANARY_DEBUG"]) console.error(error);
    return EXIT.internal;
  }
}
if (import.meta.main) process.exitCode = await cli(process.argv.slice(2));
export {
  EXIT,
  cli,
  envName,
  exitCodeFor,
  printResult
};
