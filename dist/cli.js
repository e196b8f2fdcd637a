#!/usr/bin/env node
import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{b as L}from"./chunks/chunk-Y4DZBXT7.js";import{b as O,c as A,f as R,g as S}from"./chunks/chunk-Q4PIDXWV.js";import"./chunks/chunk-5KGXTUFT.js";import"./chunks/chunk-5QF4RXFO.js";import"./chunks/chunk-EB2O6B4G.js";import"./chunks/chunk-JRICOY5D.js";import"./chunks/chunk-B6VAWPJZ.js";import{a as w,b as g,c as _}from"./chunks/chunk-JBL3E7NQ.js";import"./chunks/chunk-UTWAMYO5.js";import"./chunks/chunk-QXARCYP5.js";import"./chunks/chunk-ZDGQ3SYA.js";import"./chunks/chunk-5KYOM4NF.js";import"./chunks/chunk-HZESTURO.js";import{a as l,b as d}from"./chunks/chunk-3OB5I6CT.js";import"./chunks/chunk-SYNOQ6LS.js";import{join as Y,resolve as f}from"node:path";import{parseArgs as j}from"node:util";function m(t,e,s,n={}){let o=[];for(let r=0;r<e.length;r++){let i=e[r],a=e[r+1],c=i.replace(/^--/,"");i.startsWith("--")&&!i.includes("=")&&s[c]?.type==="string"&&a&&/^-\d/.test(a)?(o.push(`${i}=${a}`),r++):o.push(i)}try{let r=j({args:o,options:{...s,help:{type:"boolean",short:"h"}},strict:!0,allowPositionals:n.positionals??!1});return{values:r.values,positionals:r.positionals}}catch(r){let i=r.code,a=/'(-{1,2}[^'=]+)/.exec(d(r))?.[1],c=`see ${n.help??`clair-canary ${t} --help`}`;if(i==="ERR_PARSE_ARGS_UNKNOWN_OPTION"&&a){let $=a.replace(/^-+/,""),v=n.notHere?.($);if(v)throw new l(`${t}: ${a} ${v}`);let N=I($,[...Object.keys(s),"help"]);throw new l(`${t}: unknown option ${a}${N?`; did you mean --${N}?`:""} (${c})`)}throw i==="ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"?new l(`${t}: unexpected argument ${JSON.stringify(M(r))} (${c})`):i==="ERR_PARSE_ARGS_INVALID_OPTION_VALUE"&&a?new l(`${t}: ${a} ${s[a.replace(/^-+/,"")]?.type==="boolean"?"takes no value":"needs a value"} (${c})`):new l(`${t}: ${d(r)}`)}}function M(t){return/'([^']*)'/.exec(d(t))?.[1]??""}function I(t,e){let s=e.filter(o=>o.startsWith(t)||t.startsWith(o)),n;for(let o of e){let r=G(t,o);(!n||r<n.distance)&&(n={name:o,distance:r})}return n&&n.distance<=Math.max(2,Math.floor(t.length/4))?n.name:s.length===1?s[0]:void 0}function G(t,e){let s=Array.from({length:e.length+1},(n,o)=>o);for(let n=1;n<=t.length;n++){let o=[n];for(let r=1;r<=e.length;r++)o[r]=Math.min(s[r]+1,o[r-1]+1,s[r-1]+(t[n-1]===e[r-1]?0:1));s=o}return s[e.length]}function T(t={}){let e=t.write?t.tty:t.tty??(process.stderr.isTTY?process.stderr:void 0),s=!1,n=()=>{s&&e&&e.write("\r\x1B[2K"),s=!1},o=r=>{n(),t.write?t.write(r):console.error(r)};return{info:r=>o(r),warning:r=>o(`warning: ${r}`),debug:r=>{t.debug&&o(`debug: ${r}`)},group:(r,i)=>i(),...e?{status:r=>{n(),r!==""&&(e.write(r.slice(0,Math.max(20,(e.columns||120)-1))),s=!0)}}:{}}}var u={pass:0,fail:1,input:2,inconclusive:3,internal:4};function E(t){return u[t]}function x(t){return`CLAIR_CANARY_${t.toUpperCase().replace(/-/g,"_")}`}var h="Exit codes: 0 pass, 1 fail, 2 bad input or configuration, 3 inconclusive, 4 internal error.",J=`clair-canary ${R}: replay Quay manifests against a canary Clair and judge it against production

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
`;function P(t,e=[]){let s=[];for(let n of t){let o=w.filter(r=>r.group===n&&!g.has(r.name)&&!e.includes(r.name));if(o.length!==0){s.push("",`${_[n]}:`);for(let r of o)s.push(`  --${r.name.padEnd(30)} ${r.description}${r.default?` (default: ${r.default})`:""}${r.secret?` (secret: prefer ${x(r.name)})`:""}`)}}return s.join(`
`)}var C=`Every flag is also an environment variable CLAIR_CANARY_<NAME> (e.g. --canary-psk or CLAIR_CANARY_CANARY_PSK);
a flag wins over the variable. Prefer variables for secrets.`,D={run:()=>`Usage: clair-canary run [--<input> <value> ...]

Waits for the canary, draws the sample, replays it against the canary, reads both sides' reports, compares and
judges them, and writes the run directory (run.json, reports, diffs.jsonl, result.json, summary.md, report.html).

${C}
${P(["targets","sample","layers","replay","judge","signals"])}

${h}`,sample:()=>`Usage: clair-canary sample --out FILE [--<input> <value> ...]

Draws a sample from the Quay database (a read replica) and writes it as JSONL, layer URLs without signatures;
\`clair-canary run --manifests FILE\` replays it later.

  --out FILE                         where the JSONL goes (required)

${C}
${P(["sample","layers"],["manifests","shard-index","shard-total"])}

Exit codes: 0 written, 2 bad input or configuration, 4 internal error.`,compare:()=>`Usage:
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

${h}`},F=["run","compare","merge","sample"];function p(t){return console.log(D[t]()),u.pass}function W(t){return g.has(t)?"is an input of the GitHub Action only: the CLI publishes nothing (it writes the run directory) and says the verdict with its exit code":void 0}var y=T({debug:!!process.env.CLAIR_CANARY_DEBUG});async function k(t){let[e,...s]=t;if(e==="help"&&s[0]!==void 0&&s[0]in D)return p(s[0]);if(e===void 0||e==="--help"||e==="-h"||e==="help")return console.log(J),e===void 0?u.input:u.pass;if(e==="--version")return console.log(R),u.pass;switch(e){case"run":return q(s);case"compare":return H(s);case"sample":return B(s);case"merge":return V(s);default:{let n=I(e,[...F,"demo"]);throw new l(e==="demo"||n==="demo"?"the demo runs from a clone: npm run demo (npm run demo -- --help for its flags)":`unknown command ${JSON.stringify(e)}${n?`; did you mean ${n}?`:""} (expected ${F.join(", ")}; see --help)`)}}}function U(t,e,s={}){let n=Object.fromEntries(w.filter(i=>!g.has(i.name)).map(i=>[i.name,{type:"string"}])),{values:o}=m(t,e,{...n,...s},{notHere:W});return{values:o,read:i=>{if(g.has(i))return;let a=o[i];return typeof a=="string"?a:process.env[x(i)]}}}async function q(t){let{values:e,read:s}=U("run",t);if(e.help)return p("run");let{config:n}=await A(s),o=new AbortController,r=()=>o.abort();process.once("SIGINT",r),process.once("SIGTERM",r);try{let i=await S(n,{log:y,signal:o.signal});return b(i.result,i.summaryPath),E(i.result.verdict)}finally{process.off("SIGINT",r),process.off("SIGTERM",r)}}async function H(t){let{values:e}=m("compare",t,{baseline:{type:"string"},candidate:{type:"string"},out:{type:"string"},rules:{type:"string"}});if(e.help)return p("compare");for(let o of["baseline","out"])if(typeof e[o]!="string"||e[o]==="")throw new l(`compare: --${o} is required: --baseline RUN_DIR alone, or --baseline STORE --candidate STORE (see clair-canary compare --help)`);let{compareRunDirs:s}=await import("./chunks/compare-command-ZESCUUC3.js"),n=await s({baseline:f(e.baseline),...typeof e.candidate=="string"&&e.candidate!==""?{candidate:f(e.candidate)}:{},out:f(e.out),...typeof e.rules=="string"?{rules:e.rules}:{},log:y});return b(n.result,n.summaryPath),E(n.result.verdict)}async function V(t){let e=m("merge",t,{out:{type:"string"},rules:{type:"string"}},{positionals:!0});if(e.values.help)return p("merge");let s=e.values.out,n=e.values.rules;if(!s)throw new l("merge: --out DIR is required (where the merged run directory goes)");if(e.positionals.length===0)throw new l("merge: name the run directories to merge (see --help)");let o={merge:e.positionals.join(`
`),"run-dir":s,...n?{rules:n}:{}},{config:r}=await O(c=>o[c]),{mergeAndJudge:i}=await import("./chunks/merge-command-QKGLGJDB.js"),a=await i(r,y);return b(a.result,a.summaryPath),E(a.result.verdict)}async function B(t){let{values:e,read:s}=U("sample",t,{out:{type:"string"}});if(e.help)return p("sample");let n=e.out;if(typeof n!="string"||n==="")throw new l("sample: --out FILE is required (where sample.jsonl goes)");let{sampleCommandToFile:o}=await import("./chunks/quay-RWP7ZZS6.js"),r=await o(s,f(n),y);return console.log(`wrote ${r.drawn} manifests to ${n}`),u.pass}function b(t,e){for(let s of L(t))console.log(s);console.log(`summary: ${e}`),console.log(`report:  ${Y(e,"..","report.html")}`)}async function K(t){try{return await k(t)}catch(e){return e instanceof l?(console.error(`clair-canary: ${e.message}`),u.input):(console.error(`clair-canary: internal error: ${d(e)}`),process.env.CLAIR_CANARY_DEBUG&&console.error(e),u.internal)}}import.meta.main&&(process.exitCode=await K(process.argv.slice(2)));export{u as EXIT,K as cli,x as envName,E as exitCodeFor,b as printResult};
//# sourceMappingURL=cli.js.map
