import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b}from"./chunk-NV4M4T5D.js";import"./chunk-XTDTH64Q.js";import"./chunk-7UJT7D4R.js";import"./chunk-3OB5I6CT.js";import"./chunk-HZESTURO.js";import"./chunk-5KGXTUFT.js";import"./chunk-SYNOQ6LS.js";export{a as mergeAndJudge,b as storedContractViolations};
//# sourceMappingURL=merge-command-JEHNXHYS.js.map
