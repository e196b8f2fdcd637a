import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{c as a,d as b}from"./chunk-ZMXMNUMO.js";import"./chunk-6K7WJFNZ.js";import"./chunk-BRARLNZB.js";import"./chunk-SYNOQ6LS.js";export{a as context,b as getOctokit};
//# sourceMappingURL=github-CQZ5NEUP.js.map
