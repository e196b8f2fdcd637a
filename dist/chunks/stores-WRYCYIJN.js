import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a}from"./chunk-3ITNONOT.js";import"./chunk-W6KAZ2UL.js";import"./chunk-U3NYLP4Z.js";import"./chunk-3OB5I6CT.js";import"./chunk-SYNOQ6LS.js";export{a as compareStores};
//# sourceMappingURL=stores-WRYCYIJN.js.map
