import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-H7G2JMJD.js";import"./chunk-SYNOQ6LS.js";export{a as QUAY_CONTRACT_SCHEMA,e as canaryOnlyViolations,b as checkQuayContract,d as checkQuayIndexEtag,c as contractRule};
//# sourceMappingURL=contract-MQCJXNOX.js.map
