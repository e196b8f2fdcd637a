import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{inspect as e}from"node:util";var r=class{#r;constructor(t){this.#r=t}reveal(){return this.#r}toJSON(){return"[redacted]"}toString(){return"[redacted]"}[e.custom](){return"[redacted]"}};export{r as a};
//# sourceMappingURL=chunk-5KYOM4NF.js.map
