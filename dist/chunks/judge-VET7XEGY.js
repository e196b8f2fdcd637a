import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-RU263ISA.js";import"./chunk-JVIYGPDH.js";import"./chunk-SYNOQ6LS.js";export{c as ATTRIBUTIONS,a as MIN_LATENCY_PAIRS,b as ROUTE_TIMEOUT_MS,e as SETUP_ERRORS,f as describeGroup,d as judge};
//# sourceMappingURL=judge-VET7XEGY.js.map
