import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a}from"./chunk-4SDIPHL4.js";import"./chunk-YD2TU2NS.js";import"./chunk-UAR2H2YO.js";import"./chunk-NMZ44BPE.js";import"./chunk-EB2O6B4G.js";import"./chunk-SYNOQ6LS.js";export{a as LiveCompare};
//# sourceMappingURL=live-SNYTL6K5.js.map
