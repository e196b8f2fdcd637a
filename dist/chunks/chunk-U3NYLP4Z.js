import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
var e=Object.freeze({ignore:[],expected:[],byDesign:{allow:["added"]},ignoreDetector:!0,gates:{maxCanaryOnlyFailures:0,maxCodeDifferences:{index:0,vulnerability:0},latency:{maxRatio:{p50:1.25,p95:1.5,p99:2},alpha:.01,minEffect:1.1,indexP95Ms:12e4,indexMaxMs:3e5},minCompared:20,maxProductionErrorRate:.1,maxContractViolations:0}});export{e as a};
//# sourceMappingURL=chunk-U3NYLP4Z.js.map
