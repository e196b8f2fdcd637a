import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
function o(t){let e;for(let n of t??[])(e===void 0||Date.parse(n.date)>Date.parse(e.date))&&(e=n);return e}function i(t){let e={};if(typeof t!="object"||t===null)return e;for(let[n,r]of Object.entries(t)){let a=Array.isArray(r)?o(r):void 0;a&&(e[n]=a)}return e}export{o as a,i as b};
//# sourceMappingURL=chunk-EB2O6B4G.js.map
