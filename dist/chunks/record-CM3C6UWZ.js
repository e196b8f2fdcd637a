import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-OBUNALVP.js";import"./chunk-UAR2H2YO.js";import"./chunk-EB2O6B4G.js";import"./chunk-B6EXIVNA.js";import"./chunk-SYNOQ6LS.js";export{a as HISTORY_SCHEMA,b as MAX_FIELDS,f as canaryCode,e as differencesByCause,d as historyRecord,g as parseHistoryRecord,c as signatureText};
//# sourceMappingURL=record-CM3C6UWZ.js.map
