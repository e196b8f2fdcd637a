#!/usr/bin/env node
import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{c as F}from"./chunks/chunk-BGE4QOCK.js";import{a as y,b as g,c as L,e as S,f as _,g as T,i as P,j as x,k as A,n as D,p as j,q as w,r as U}from"./chunks/chunk-LJ2ZZDAV.js";import"./chunks/chunk-5KGXTUFT.js";import"./chunks/chunk-ZKBIZNCU.js";import"./chunks/chunk-MPZGM3HO.js";import"./chunks/chunk-QXARCYP5.js";import"./chunks/chunk-5KYOM4NF.js";import"./chunks/chunk-JDDS6TML.js";import"./chunks/chunk-J6D3XF4U.js";import"./chunks/chunk-FQEJ47EG.js";import"./chunks/chunk-EB2O6B4G.js";import{a as l,b as N,c as d}from"./chunks/chunk-B6EXIVNA.js";import"./chunks/chunk-HZESTURO.js";import"./chunks/chunk-SYNOQ6LS.js";import{join as Q,resolve as b}from"node:path";import{parseArgs as H}from"node:util";function f(t,e,s,n={}){let o=[];for(let r=0;r<e.length;r++){let a=e[r],i=e[r+1],u=a.replace(/^--/,"");a.startsWith("--")&&!a.includes("=")&&s[u]?.type==="string"&&i&&/^-\d/.test(i)?(o.push(`${a}=${i}`),r++):o.push(a)}try{let r=H({args:o,options:{...s,help:{type:"boolean",short:"h"}},strict:!0,allowPositionals:n.positionals??!1});return{values:r.values,positionals:r.positionals}}catch(r){let a=r.code,i=/'(-{1,2}[^'=]+)/.exec(d(r))?.[1],u=`see ${n.help??`clair-canary ${t} --help`}`;if(a==="ERR_PARSE_ARGS_UNKNOWN_OPTION"&&i){let $=i.replace(/^-+/,""),v=n.notHere?.($);if(v)throw new l(`${t}: ${i} ${v}`);let O=R($,[...Object.keys(s),"help"]);throw new l(`${t}: unknown option ${i}${O?`; did you mean --${O}?`:""} (${u})`)}throw a==="ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"?new l(`${t}: unexpected argument ${JSON.stringify(V(r))} (${u})`):a==="ERR_PARSE_ARGS_INVALID_OPTION_VALUE"&&i?new l(`${t}: ${i} ${s[i.replace(/^-+/,"")]?.type==="boolean"?"takes no value":"needs a value"} (${u})`):new l(`${t}: ${d(r)}`)}}function V(t){return/'([^']*)'/.exec(d(t))?.[1]??""}function R(t,e){let s=e.filter(o=>o.startsWith(t)||t.startsWith(o)),n;for(let o of e){let r=Y(t,o);(!n||r<n.distance)&&(n={name:o,distance:r})}return n&&n.distance<=Math.max(2,Math.floor(t.length/4))?n.name:s.length===1?s[0]:void 0}function Y(t,e){let s=Array.from({length:e.length+1},(n,o)=>o);for(let n=1;n<=t.length;n++){let o=[n];for(let r=1;r<=e.length;r++)o[r]=Math.min(s[r]+1,o[r-1]+1,s[r-1]+(t[n-1]===e[r-1]?0:1));s=o}return s[e.length]}function C(t={}){let e=t.write?t.tty:t.tty??(process.stderr.isTTY?process.stderr:void 0),s=!1,n=()=>{s&&e&&e.write("\r\x1B[2K"),s=!1},o=r=>{n(),t.write?t.write(r):console.error(r)};return{info:r=>o(r),warning:r=>o(`warning: ${r}`),debug:r=>{t.debug&&o(`debug: ${r}`)},group:(r,a)=>a(),...e?{status:r=>{n(),r!==""&&(e.write(r.slice(0,Math.max(20,(e.columns||120)-1))),s=!0)}}:{}}}var c={pass:0,fail:1,input:2,inconclusive:3,internal:4};function E(t){return c[t]}var h=`Exit codes: 0 pass, 1 fail, 2 bad input or configuration, 3 inconclusive, 4 internal error;
130/143 stopped by SIGINT/SIGTERM (the run directory holds what it finished).`,K=`clair-canary ${w}: replay Quay manifests against a canary Clair and judge it against production

Usage:
  clair-canary run [--<input> <value> ...]     replay, compare, judge; writes the run directory
  clair-canary compare --baseline RUN_DIR --out DIR [--rules FILE]
                                               re-judge a run from its run directory
  clair-canary compare --baseline STORE --candidate STORE --out DIR [--rules FILE]
                                               judge two report stores (production = baseline)
  clair-canary merge --out DIR [--rules FILE] RUN_DIR...
                                               merge the run directories of a sharded run's legs, judge once
  clair-canary sample --out FILE [--<input> <value> ...]
                                               draw a sample from the Quay database into a JSONL file
  clair-canary <command> --help                that command's flags
  clair-canary --help | --version
  npm run demo -- [--clean] [--count N]        (from a clone) the whole pipeline against local stand-ins

${h}
`;function M(t,e=[]){let s=[];for(let n of t){let o=y.filter(r=>r.group===n&&!g.has(r.name)&&!e.includes(r.name));if(o.length!==0){s.push("",`${L[n]}:`);for(let r of o)s.push(`  --${r.name.padEnd(30)} ${r.description}${r.default?` (default: ${r.default})`:""}${r.secret?` (secret: prefer ${S(r.name)})`:""}`)}}return s.join(`
`)}var G=`Every flag is also an environment variable CLAIR_CANARY_<NAME> (e.g. --canary-psk or CLAIR_CANARY_CANARY_PSK);
a flag wins over the variable. Prefer variables for secrets.`,W={run:()=>`Usage: clair-canary run [--<input> <value> ...]

Waits for the canary, draws the sample, replays it against the canary, reads both sides' reports, compares and
judges them, and writes the run directory (run.json, reports, diffs.jsonl, result.json, summary.md, report.html).

${G}
${M(["targets","sample","layers","replay","judge","signals"])}

${h}`,sample:()=>`Usage: clair-canary sample --out FILE [--<input> <value> ...]

Draws a sample from the Quay database (a read replica) and writes it as JSONL, layer URLs without signatures;
\`clair-canary run --manifests FILE\` replays it later.

  --out FILE                         where the JSONL goes (required)

${G}
${M(["sample","layers"],["manifests","shard-index","shard-total","publish-repository-names"])}

Exit codes: 0 written, 2 bad input or configuration, 3 the Quay database kept failing, 4 internal error.`,compare:()=>`Usage:
  clair-canary compare --baseline RUN_DIR --out DIR [--rules FILE]
  clair-canary compare --baseline STORE --candidate STORE --out DIR [--rules FILE]

Re-judges without replaying anything, and writes result.json, diffs.jsonl, summary.md and report.html into --out.

  --baseline RUN_DIR   a run directory: its own reports/production and reports/canary, records, re-reads and
                       sample are judged again with the run's own rules (or --rules), so the verdict is the
                       run's unless the rules changed
  --baseline STORE     production's report store (e.g. <run dir>/reports/production), with
  --candidate STORE    the canary's report store (e.g. <run dir>/reports/canary); a run directory here means
                       its reports/canary. Without records, the error and latency gates are left out.
  --out DIR            where the files go (not the run directory itself)
  --rules FILE         a rules file (see the README's "Rules file")

${h}`,merge:()=>`Usage: clair-canary merge --out DIR [--rules FILE] RUN_DIR...

Merges the run directories of a sharded run's legs (as download-artifact leaves them; a directory holding several
is searched) into --out, and judges them once, as one run.

  --out DIR      where the merged run directory goes (required)
  --rules FILE   a rules file (see the README's "Rules file")

${h}`},J=["run","compare","merge","sample"];function m(t){return console.log(W[t]()),c.pass}function X(t){return g.has(t)?"is an input of the GitHub Action only: the CLI publishes nothing (it writes the run directory) and says the verdict with its exit code":void 0}var k=T(),p=C({debug:k});async function z(t){let[e,...s]=t;if(e==="help"&&s[0]!==void 0&&s[0]in W)return m(s[0]);if(e===void 0||e==="--help"||e==="-h"||e==="help")return console.log(K),e===void 0?c.input:c.pass;if(e==="--version")return console.log(w),c.pass;switch(e){case"run":return B(s);case"compare":return Z(s);case"sample":return re(s);case"merge":return ee(s);default:{let n=R(e,[...J,"demo"]);throw new l(e==="demo"||n==="demo"?"the demo runs from a clone: npm run demo (npm run demo -- --help for its flags)":`unknown command ${JSON.stringify(e)}${n?`; did you mean ${n}?`:""} (expected ${J.join(", ")}; see --help)`)}}}function q(t,e,s={}){let n=Object.fromEntries(y.filter(i=>!g.has(i.name)).map(i=>[i.name,{type:"string"}])),{values:o}=f(t,e,{...n,...s},{notHere:X}),r=_(i=>{let u=o[i];return typeof u=="string"?u:void 0});return{values:o,read:i=>g.has(i)?void 0:r(i)}}async function B(t){let{values:e,read:s}=q("run",t);if(e.help)return m("run");let{config:n}=await x(s),o=j({log:p});try{let r=await U(n,{log:p,signal:o.stop,force:o.force});return I(r.result,r.summaryPath),o.received?D(o.received):E(r.result.verdict)}finally{o.uninstall()}}async function Z(t){let{values:e}=f("compare",t,{baseline:{type:"string"},candidate:{type:"string"},out:{type:"string"},rules:{type:"string"}});if(e.help)return m("compare");for(let o of["baseline","out"])if(typeof e[o]!="string"||e[o]==="")throw new l(`compare: --${o} is required: --baseline RUN_DIR alone, or --baseline STORE --candidate STORE (see clair-canary compare --help)`);let{compareRunDirs:s}=await import("./chunks/compare-command-2VIXTGQE.js"),n=await s({baseline:b(e.baseline),...typeof e.candidate=="string"&&e.candidate!==""?{candidate:b(e.candidate)}:{},out:b(e.out),...typeof e.rules=="string"?{rules:e.rules}:{},log:p});return I(n.result,n.summaryPath),E(n.result.verdict)}async function ee(t){let e=f("merge",t,{out:{type:"string"},rules:{type:"string"}},{positionals:!0});if(e.values.help)return m("merge");let s=e.values.out,n=e.values.rules;if(!s)throw new l("merge: --out DIR is required (where the merged run directory goes)");if(e.positionals.length===0)throw new l("merge: name the run directories to merge (see --help)");let o={merge:e.positionals.join(`
`),"run-dir":s,...n?{rules:n}:{}},{config:r}=await P(u=>o[u],{names:{"run-dir":"merge: --out",rules:"merge: --rules"}}),{mergeAndJudge:a}=await import("./chunks/merge-command-OIXC7DAU.js"),i=await a(r,p);return I(i.result,i.summaryPath),E(i.result.verdict)}async function re(t){let{values:e,read:s}=q("sample",t,{out:{type:"string"}});if(e.help)return m("sample");let n=e.out;if(typeof n!="string"||n==="")throw new l("sample: --out FILE is required (where sample.jsonl goes)");let{config:o}=await A(s,n),{sampleCommandToFile:r}=await import("./chunks/quay-52MUJ5P3.js"),a=await r(o,p);return console.log(`wrote ${a.drawn} manifests to ${n}`),c.pass}function I(t,e){for(let s of F(t))console.log(s);console.log(`summary: ${e}`),console.log(`report:  ${Q(e,"..","report.html")}`)}async function te(t){try{return await z(t)}catch(e){return e instanceof l?(console.error(`clair-canary: ${e.message}`),c.input):e instanceof N?(console.error(`clair-canary: ${e.message}`),c.inconclusive):(console.error(`clair-canary: internal error: ${d(e)}`),k&&console.error(e),c.internal)}}if(import.meta.main){let t=await te(process.argv.slice(2));t>c.internal&&process.exit(t),process.exitCode=t}export{c as EXIT,te as cli,E as exitCodeFor,I as printResult};
//# sourceMappingURL=cli.js.map
