import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c}from"./chunk-W7BXXIHU.js";import"./chunk-OVA6WQJP.js";import"./chunk-RU263ISA.js";import"./chunk-JVIYGPDH.js";import"./chunk-SYNOQ6LS.js";export{a as DEFAULT_SUMMARY_BYTES,b as renderSummary,c as utf8Bytes};
//# sourceMappingURL=summary-FC4S32SU.js.map
