import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a as y,d as n,g as a,h as d}from"./chunk-DEYEU74S.js";import{a as o}from"./chunk-ZAQBF3ST.js";import"./chunk-A6OZH7MH.js";import"./chunk-QXA6SQDL.js";import{b as l}from"./chunk-NMZ44BPE.js";import{c as i}from"./chunk-B6EXIVNA.js";import"./chunk-SYNOQ6LS.js";async function S(m,s,r,c){try{let e=y(r),t;if(!("result"in r))t=a(r.interrupted,r.reason,e);else if(r.cancelled===void 0)t=n(s,r.result,r.run,o.jobSummaryBytes,e);else{let u=a("cancelled",r.cancelled,e,d(r.result,r.run)),f=o.jobSummaryBytes-l(u)-2;t=`${u}

${n(s,r.result,r.run,f,e)}`}return m.addRaw(t,!0),await m.write(),!0}catch(e){return c.warning(`The job summary was not written: ${i(e)}`),!1}}export{S as writeJobSummary};
//# sourceMappingURL=summary-6PR4SHUL.js.map
