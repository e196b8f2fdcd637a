import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-3M3OFCNR.js";import"./chunk-ID67LDKI.js";import"./chunk-UAR2H2YO.js";import"./chunk-EB2O6B4G.js";import"./chunk-B6EXIVNA.js";import"./chunk-SYNOQ6LS.js";export{e as githubHistoryApi,c as historyArtifactName,d as readHistoryArtifacts,a as readHistoryDir,b as saveToHistoryDir};
//# sourceMappingURL=store-YDKFOSIJ.js.map
