import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b}from"./chunk-I3O7FBMF.js";import"./chunk-OX7OLRA4.js";import"./chunk-YD2TU2NS.js";import"./chunk-FQEJ47EG.js";import"./chunk-UAR2H2YO.js";import"./chunk-EB2O6B4G.js";import"./chunk-SYNOQ6LS.js";export{a as compareStores,b as contextOfStores};
//# sourceMappingURL=stores-JTED6BCA.js.map
