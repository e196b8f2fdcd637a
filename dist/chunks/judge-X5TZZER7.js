import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-GV4MFVU7.js";import"./chunk-ZXO6VIHY.js";import"./chunk-V36NVI4Q.js";import"./chunk-SYNOQ6LS.js";export{c as ATTRIBUTIONS,a as MIN_LATENCY_PAIRS,b as ROUTE_TIMEOUT_MS,e as SETUP_ERRORS,f as describeGroup,d as judge};
//# sourceMappingURL=judge-X5TZZER7.js.map
