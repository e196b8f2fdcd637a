import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{e as a,f as b,h as c,i as d,j as e,k as f,l as g,m as h}from"./chunk-WVUSMUA4.js";import"./chunk-JRICOY5D.js";import"./chunk-SYNOQ6LS.js";export{c as ATTRIBUTIONS,a as MIN_LATENCY_PAIRS,f as READ_ERRORS,b as ROUTE_TIMEOUT_MS,e as SETUP_ERRORS,h as describeGroup,d as judge,g as sideOutcome};
//# sourceMappingURL=judge-RFI6TDMZ.js.map
