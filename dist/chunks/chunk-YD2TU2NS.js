import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
var n=["did","name","version","version_code_name","version_id","arch","cpe","pretty_name"],r=["name","key","uri","cpe"];export{n as a,r as b};
//# sourceMappingURL=chunk-YD2TU2NS.js.map
