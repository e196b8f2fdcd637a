import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{c as a,d as b}from"./chunk-KTNFNWIX.js";import"./chunk-6VCZGG6E.js";import"./chunk-5KGXTUFT.js";import"./chunk-SYNOQ6LS.js";export{a as context,b as getOctokit};
//# sourceMappingURL=github-G5TADPN7.js.map
