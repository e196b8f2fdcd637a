import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-ID67LDKI.js";import"./chunk-UAR2H2YO.js";import"./chunk-EB2O6B4G.js";import"./chunk-B6EXIVNA.js";import"./chunk-SYNOQ6LS.js";export{a as HISTORY_SCHEMA,c as MAX_FIELDS,g as canaryCode,f as differencesByCause,e as historyRecord,h as parseHistoryRecord,b as runSettings,d as signatureText};
//# sourceMappingURL=record-4EH4XVMF.js.map
