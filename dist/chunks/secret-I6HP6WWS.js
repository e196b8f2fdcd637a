import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a}from"./chunk-5KYOM4NF.js";import"./chunk-SYNOQ6LS.js";export{a as Secret};
//# sourceMappingURL=secret-I6HP6WWS.js.map
