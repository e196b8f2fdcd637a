import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
var r=class extends Error{name="UserError"},n=class extends Error{name="ReplicaUnavailable"};function s(e){return e instanceof Error?e.message:String(e)}export{r as a,n as b,s as c};
//# sourceMappingURL=chunk-B6EXIVNA.js.map
