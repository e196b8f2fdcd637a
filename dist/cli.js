#!/usr/bin/env node
import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{c as j}from"./chunks/chunk-QXA6SQDL.js";import{a as I,b as p,c as T,e as _,f as D,g as P,i as A,j as x,k as F,n as y,p as b,s as v,t as U}from"./chunks/chunk-RKDYHGDE.js";import"./chunks/chunk-BMKXGV6M.js";import"./chunks/chunk-AQDS5TFU.js";import"./chunks/chunk-4LWDTUBR.js";import"./chunks/chunk-HQKDVOLJ.js";import"./chunks/chunk-ENEICJSQ.js";import"./chunks/chunk-CC7UQ44T.js";import"./chunks/chunk-LUWE7YJS.js";import"./chunks/chunk-62WWXDOD.js";import"./chunks/chunk-NMZ44BPE.js";import"./chunks/chunk-EB2O6B4G.js";import"./chunks/chunk-5KYOM4NF.js";import"./chunks/chunk-QPIHIMKL.js";import{a as l,b as L,c as g}from"./chunks/chunk-B6EXIVNA.js";import"./chunks/chunk-SYNOQ6LS.js";import{join as Y,resolve as $}from"node:path";import{parseArgs as H}from"node:util";function w(t,e,s,n={}){let i=[];for(let r=0;r<e.length;r++){let a=e[r],o=e[r+1],u=a.replace(/^--/,"");a.startsWith("--")&&!a.includes("=")&&s[u]?.type==="string"&&o&&/^-\d/.test(o)?(i.push(`${a}=${o}`),r++):i.push(a)}try{let r=H({args:i,options:{...s,help:{type:"boolean",short:"h"}},strict:!0,allowPositionals:n.positionals??!1});return{values:r.values,positionals:r.positionals}}catch(r){let a=r.code,o=/'(-{1,2}[^'=]+)/.exec(g(r))?.[1],u=`see ${n.help??`clair-canary ${t} --help`}`;if(a==="ERR_PARSE_ARGS_UNKNOWN_OPTION"&&o){let d=o.replace(/^-+/,""),h=n.notHere?.(d);if(h)throw new l(`${t}: ${o} ${h}`);let S=E(d,[...Object.keys(s),"help"]);throw new l(`${t}: unknown option ${o}${S?`; did you mean --${S}?`:""} (${u})`)}throw a==="ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL"?new l(`${t}: unexpected argument ${JSON.stringify(Q(r))} (${u})`):a==="ERR_PARSE_ARGS_INVALID_OPTION_VALUE"&&o?new l(`${t}: ${o} ${s[o.replace(/^-+/,"")]?.type==="boolean"?"takes no value":"needs a value"} (${u})`):new l(`${t}: ${g(r)}`)}}function Q(t){return/'([^']*)'/.exec(g(t))?.[1]??""}function E(t,e){let s=e.filter(i=>i.startsWith(t)||t.startsWith(i)),n;for(let i of e){let r=V(t,i);(!n||r<n.distance)&&(n={name:i,distance:r})}return n&&n.distance<=Math.max(2,Math.floor(t.length/4))?n.name:s.length===1?s[0]:void 0}function V(t,e){let s=Array.from({length:e.length+1},(n,i)=>i);for(let n=1;n<=t.length;n++){let i=[n];for(let r=1;r<=e.length;r++)i[r]=Math.min(s[r]+1,i[r-1]+1,s[r-1]+(t[n-1]===e[r-1]?0:1));s=i}return s[e.length]}function C(t={}){let e=t.write?t.tty:t.tty??(process.stderr.isTTY?process.stderr:void 0),s=!1,n=()=>{s&&e&&e.write("\r\x1B[2K"),s=!1},i=r=>{n(),t.write?t.write(r):console.error(r)};return{info:r=>i(r),warning:r=>i(`warning: ${r}`),debug:r=>{t.debug&&i(`debug: ${r}`)},group:(r,a)=>a(),...e?{status:r=>{n(),r!==""&&(e.write(r.slice(0,Math.max(20,(e.columns||120)-1))),s=!0)}}:{}}}var c={pass:0,fail:1,input:2,inconclusive:3,internal:4};function N(t){return c[t]}var R=`Exit codes: 0 pass, 1 fail, 2 bad input or configuration, 3 inconclusive, 4 internal error;
130/143 stopped by SIGINT/SIGTERM (the run directory holds what it finished).`,K=`clair-canary ${v}: replay Quay manifests against a canary Clair and judge it against production

Usage:
  clair-canary run [--<input> <value> ...]     replay, compare, judge; writes the run directory
  clair-canary compare --baseline RUN_DIR --out DIR [--rules FILE]
                                               re-judge a run from its run directory
  clair-canary compare --baseline STORE --candidate STORE --out DIR [--rules FILE]
                                               judge two report stores (production = baseline)
  clair-canary merge --out DIR [--rules FILE] [--history-dir DIR] RUN_DIR...
                                               merge the run directories of a sharded run's legs, judge once
  clair-canary sample --out FILE [--<input> <value> ...]
                                               draw a sample from the Quay database into a JSONL file
  clair-canary <command> --help                that command's flags
  clair-canary --help | --version
  npm run demo -- [--clean] [--count N]        (from a clone) the whole pipeline against local stand-ins

${R}
`;function M(t,e=[]){let s=[];for(let n of t){let i=I.filter(r=>r.group===n&&!p.has(r.name)&&!e.includes(r.name));if(i.length!==0){s.push("",`${T[n]}:`);for(let r of i)s.push(`  --${r.name.padEnd(30)} ${r.description}${r.default?` (default: ${r.default})`:""}${r.secret?` (secret: prefer ${_(r.name)})`:""}`)}}return s.join(`
`)}var G=`Every flag is also an environment variable CLAIR_CANARY_<NAME> (e.g. --canary-psk or CLAIR_CANARY_CANARY_PSK);
a flag wins over the variable. Prefer variables for secrets.`,q={run:()=>`Usage: clair-canary run [--<input> <value> ...]

Waits for the canary, draws the sample, replays it against the canary, reads both sides' reports, compares and
judges them, and writes the run directory (run.json, reports, diffs.jsonl, result.json, summary.md, report.html).

${G}
${M(["targets","sample","layers","replay","judge","signals"])}

${R}`,sample:()=>`Usage: clair-canary sample --out FILE [--<input> <value> ...]

Draws a sample from the Quay database (a read replica) and writes it as JSONL, layer URLs without signatures;
\`clair-canary run --manifests FILE\` replays it later.

  --out FILE                         where the JSONL goes (required)

${G}
${M(["sample","layers"],["manifests","shard-index","shard-total","publish-repository-names"])}

Exit codes: 0 written, 2 bad input or configuration, 3 the Quay database kept failing, 4 internal error;
130/143 stopped by SIGINT/SIGTERM (the query is cancelled; the file is written whole or not at all).`,compare:()=>`Usage:
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

${R}`,merge:()=>`Usage: clair-canary merge --out DIR [--rules FILE] [--history-dir DIR] RUN_DIR...

Merges the run directories of a sharded run's legs (as download-artifact leaves them; a directory holding several
is searched) into --out, and judges them once, as one run.

  --out DIR            where the merged run directory goes (required)
  --rules FILE         a rules file (see the README's "Rules file")
  --history-dir DIR    keep the whole run's history record in DIR and judge it against the records there, as
                       run --history true --history-dir does (see the README's "History")
  --history-depth N    earlier runs shown and nights judged against (default 14)

${R}`},k=["run","compare","merge","sample"];function f(t){return console.log(q[t]()),c.pass}function X(t){return p.has(t)?"is an input of the GitHub Action only: the CLI publishes nothing (it writes the run directory) and says the verdict with its exit code":void 0}var J=P(),m=C({debug:J});async function z(t){let[e,...s]=t;if(e==="help"&&s[0]!==void 0&&s[0]in q)return f(s[0]);if(e===void 0||e==="--help"||e==="-h"||e==="help")return console.log(K),e===void 0?c.input:c.pass;if(e==="--version")return console.log(v),c.pass;switch(e){case"run":return B(s);case"compare":return Z(s);case"sample":return re(s);case"merge":return ee(s);default:{let n=E(e,[...k,"demo"]);throw new l(e==="demo"||n==="demo"?"the demo runs from a clone: npm run demo (npm run demo -- --help for its flags)":`unknown command ${JSON.stringify(e)}${n?`; did you mean ${n}?`:""} (expected ${k.join(", ")}; see --help)`)}}}function W(t,e,s={}){let n=Object.fromEntries(I.filter(o=>!p.has(o.name)).map(o=>[o.name,{type:"string"}])),{values:i}=w(t,e,{...n,...s},{notHere:X}),r=D(o=>{let u=i[o];return typeof u=="string"?u:void 0});return{values:i,read:o=>p.has(o)?void 0:r(o)}}async function B(t){let{values:e,read:s}=W("run",t);if(e.help)return f("run");let{config:n}=await x(s),i=b({log:m});try{let r=await U(n,{log:m,signal:i.stop,force:i.force});return O(r.result,r.summaryPath),i.received?y(i.received):N(r.result.verdict)}finally{i.uninstall()}}async function Z(t){let{values:e}=w("compare",t,{baseline:{type:"string"},candidate:{type:"string"},out:{type:"string"},rules:{type:"string"}});if(e.help)return f("compare");for(let i of["baseline","out"])if(typeof e[i]!="string"||e[i]==="")throw new l(`compare: --${i} is required: --baseline RUN_DIR alone, or --baseline STORE --candidate STORE (see clair-canary compare --help)`);let{compareRunDirs:s}=await import("./chunks/compare-command-SKGOZJJ2.js"),n=await s({baseline:$(e.baseline),...typeof e.candidate=="string"&&e.candidate!==""?{candidate:$(e.candidate)}:{},out:$(e.out),...typeof e.rules=="string"?{rules:e.rules}:{},log:m});return O(n.result,n.summaryPath),N(n.result.verdict)}async function ee(t){let e=w("merge",t,{out:{type:"string"},rules:{type:"string"},"history-dir":{type:"string"},"history-depth":{type:"string"}},{positionals:!0});if(e.values.help)return f("merge");let s=e.values.out,n=e.values.rules;if(!s)throw new l("merge: --out DIR is required (where the merged run directory goes)");if(e.positionals.length===0)throw new l("merge: name the run directories to merge (see --help)");let i=e.values["history-dir"],r=e.values["history-depth"];if(r!==void 0&&!i)throw new l("merge: --history-depth needs --history-dir (the directory of history records)");let a={merge:e.positionals.join(`
`),"run-dir":s,...n?{rules:n}:{},...i?{history:"true","history-dir":i}:{},...r!==void 0?{"history-depth":r}:{}},{config:o}=await A(h=>a[h],{names:{"run-dir":"merge: --out",rules:"merge: --rules"}}),{mergeAndJudge:u}=await import("./chunks/merge-command-PDVWTAH3.js"),d=await u(o,m);return O(d.result,d.summaryPath),N(d.result.verdict)}async function re(t){let{values:e,read:s}=W("sample",t,{out:{type:"string"}});if(e.help)return f("sample");let n=e.out;if(typeof n!="string"||n==="")throw new l("sample: --out FILE is required (where sample.jsonl goes)");let{config:i}=await F(s,n),{sampleCommandToFile:r}=await import("./chunks/quay-Q64AKAZX.js"),a=b();try{let o=await r(i,m,{signal:a.stop});return console.log(`wrote ${o.drawn} manifests to ${n}`),a.received?y(a.received):c.pass}catch(o){if(!a.received)throw o;return console.error(`clair-canary: sample: cancelled by ${a.received}: the Quay database query was cancelled and nothing was written to ${n}`),y(a.received)}finally{a.uninstall()}}function O(t,e){for(let s of j(t))console.log(s);console.log(`summary: ${e}`),console.log(`report:  ${Y(e,"..","report.html")}`)}async function te(t){try{return await z(t)}catch(e){return e instanceof l?(console.error(`clair-canary: ${e.message}`),c.input):e instanceof L?(console.error(`clair-canary: ${e.message}`),c.inconclusive):(console.error(`clair-canary: internal error: ${g(e)}`),J&&console.error(e),c.internal)}}if(import.meta.main){let t=await te(process.argv.slice(2));t>c.internal&&process.exit(t),process.exitCode=t}export{c as EXIT,te as cli,N as exitCodeFor,O as printResult};
//# sourceMappingURL=cli.js.map
