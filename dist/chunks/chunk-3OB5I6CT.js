import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
var n=class extends Error{name="UserError"};function r(e){return e instanceof Error?e.message:String(e)}export{n as a,r as b};
//# sourceMappingURL=chunk-3OB5I6CT.js.map
