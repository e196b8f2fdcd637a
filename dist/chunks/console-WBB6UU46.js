import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c}from"./chunk-QXA6SQDL.js";import"./chunk-SYNOQ6LS.js";export{a as DECISION_MARK,b as VERDICT_ANSWER,c as verdictLines};
//# sourceMappingURL=console-WBB6UU46.js.map
