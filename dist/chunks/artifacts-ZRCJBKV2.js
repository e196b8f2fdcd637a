import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-NXFWH46N.js";import"./chunk-J6D3XF4U.js";import"./chunk-FQEJ47EG.js";import"./chunk-B6EXIVNA.js";import"./chunk-SYNOQ6LS.js";export{a as artifactName,b as artifactUrl,f as assertNoSecrets,c as listFiles,e as uploadHistoryRecord,d as uploadRunArtifacts};
//# sourceMappingURL=artifacts-ZRCJBKV2.js.map
