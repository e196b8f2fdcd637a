import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c}from"./chunk-LSJJZ33J.js";import"./chunk-J75B5CPI.js";import"./chunk-OVA6WQJP.js";import"./chunk-GV4MFVU7.js";import"./chunk-ZXO6VIHY.js";import"./chunk-V36NVI4Q.js";import"./chunk-SYNOQ6LS.js";export{a as DEFAULT_SUMMARY_BYTES,b as renderSummary,c as utf8Bytes};
//# sourceMappingURL=summary-FK5UL34G.js.map
