import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c}from"./chunk-ZO34DT5Y.js";import"./chunk-ZAQBF3ST.js";import"./chunk-G42KBX3N.js";import"./chunk-UAR2H2YO.js";import"./chunk-NMZ44BPE.js";import"./chunk-EB2O6B4G.js";import"./chunk-SYNOQ6LS.js";export{a as buildAnnotations,c as emitWorkflowAnnotations,b as limitAnnotations};
//# sourceMappingURL=annotations-TCN4SN23.js.map
