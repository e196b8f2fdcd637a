import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-DEYEU74S.js";import"./chunk-ZAQBF3ST.js";import"./chunk-A6OZH7MH.js";import"./chunk-QXA6SQDL.js";import"./chunk-NMZ44BPE.js";import"./chunk-SYNOQ6LS.js";export{f as checkText,c as checkTitle,d as fitSummary,g as interruptedSummary,a as linksOf,e as minimalSummary,h as partialVerdict,b as verdictOutputs};
//# sourceMappingURL=output-ZYW6H4OY.js.map
