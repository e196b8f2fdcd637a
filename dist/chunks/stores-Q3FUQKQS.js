import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a}from"./chunk-EHAEF75T.js";import"./chunk-EB2O6B4G.js";import"./chunk-JRICOY5D.js";import"./chunk-SYNOQ6LS.js";export{a as compareStores};
//# sourceMappingURL=stores-Q3FUQKQS.js.map
