import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{G as u,H as s}from"./chunk-AVEYLHPF.js";import{c as r,f as t}from"./chunk-SYNOQ6LS.js";var i=r(e=>{Object.defineProperty(e,"__esModule",{value:!0});e.Hash=void 0;var a=(s(),t(u));Object.defineProperty(e,"Hash",{enumerable:!0,get:function(){return a.Hash}})});export default i();
//# sourceMappingURL=dist-cjs-VFENN7IT.js.map
