import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
var t={pass:"\u2705",fail:"\u274C",inconclusive:"\u26A0\uFE0F"};function i(s){let n=[`${t[s.verdict]} verdict: ${s.verdict.toUpperCase()}`];for(let e of s.reasons)n.push(`  - ${e}`);n.push("","gates:");let o=Math.max(...s.gates.map(e=>e.name.length));for(let e of s.gates)n.push(`  ${t[e.decision]} ${e.decision.padEnd(12)} ${e.name.padEnd(o)}  ${e.value??"\u2014"} (threshold ${e.threshold})`);return n}export{t as a,i as b};
//# sourceMappingURL=chunk-Y4DZBXT7.js.map
