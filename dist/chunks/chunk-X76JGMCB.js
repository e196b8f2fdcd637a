import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
async function i(t,a={}){let e;try{e=await fetch(t,{...a,signal:AbortSignal.timeout(1e4)})}catch(n){let o=n.cause;throw new Error(o?.code??o?.message??n.message,{cause:n})}let s=await e.text(),r;try{r=s?JSON.parse(s):void 0}catch{r=void 0}return{status:e.status,body:r,text:s}}var c=t=>i(t);export{i as a,c as b};
//# sourceMappingURL=chunk-X76JGMCB.js.map
