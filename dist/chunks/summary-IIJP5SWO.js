import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d}from"./chunk-KK7E7AMF.js";import"./chunk-XQOYQ7LH.js";import"./chunk-WVUSMUA4.js";import"./chunk-Y4DZBXT7.js";import"./chunk-JRICOY5D.js";import"./chunk-SYNOQ6LS.js";export{a as DEFAULT_SUMMARY_BYTES,d as REJUDGE_COMMAND,c as expectedRulesYaml,b as renderSummary};
//# sourceMappingURL=summary-IIJP5SWO.js.map
