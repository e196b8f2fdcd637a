import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-R76U7YLQ.js";import"./chunk-YD2TU2NS.js";import"./chunk-SYNOQ6LS.js";export{a as QUAY_CONTRACT_SCHEMA,e as canaryOnlyViolations,d as checkQuayAnswer,b as checkQuayContract,c as contractRule};
//# sourceMappingURL=contract-5WVSINYT.js.map
