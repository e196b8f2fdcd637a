import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b}from"./chunk-IJEFJH6P.js";import"./chunk-4SDIPHL4.js";import"./chunk-YD2TU2NS.js";import"./chunk-UAR2H2YO.js";import"./chunk-NMZ44BPE.js";import"./chunk-EB2O6B4G.js";import"./chunk-SYNOQ6LS.js";export{a as compareStores,b as contextOfStores};
//# sourceMappingURL=stores-AEEUQTSS.js.map
