import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{e as a,f as b}from"./chunk-ZIYUDHNR.js";import"./chunk-BMKXGV6M.js";import"./chunk-SYNOQ6LS.js";export{a as context,b as getOctokit};
//# sourceMappingURL=github-HCJ7FIJV.js.map
