import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c}from"./chunk-X3SJHJRI.js";import"./chunk-OVA6WQJP.js";import"./chunk-EZCMXBN4.js";import"./chunk-JVIYGPDH.js";import"./chunk-SYNOQ6LS.js";export{a as DEFAULT_SUMMARY_BYTES,b as renderSummary,c as utf8Bytes};
//# sourceMappingURL=summary-3TSLVZCZ.js.map
