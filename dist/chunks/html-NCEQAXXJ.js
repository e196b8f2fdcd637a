import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{c as H,d as U}from"./chunk-KK7E7AMF.js";import{a as V}from"./chunk-XQOYQ7LH.js";import{a as A,b as F,m as G}from"./chunk-WVUSMUA4.js";import{a as j}from"./chunk-Y4DZBXT7.js";import{a as _,c as v,e as B,i as N}from"./chunk-JRICOY5D.js";import{e as K}from"./chunk-SYNOQ6LS.js";var J=K(V(),1);var Q=1e4,Z=200,I=40,t=s=>J.default.escape(String(s??"")),T=["code","drift","by-design","noise","allowed"],M={code:"#cf222e",drift:"#bf8700","by-design":"#0969da",noise:"#8c959f",allowed:"#1a7f37",canary:"#bc4c00",production:"#0969da"},tt={pass:"#1a7f37",fail:"#cf222e",inconclusive:"#9a6700"};function wt(s){let{result:o,run:e,records:n,diffs:d}=s,i=d.flatMap(c=>c.differences.map(h=>({digest:c.digest,d:h}))),r=`clair-canary: ${o.verdict}`;return`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${t(r)}</title>
<style>${ut}</style>
</head>
<body>
${ot(o,e)}
${rt(o)}
${st(o,e)}
${at(o,i)}
<section id="plots">
<h2>Plots</h2>
<div class="plots">
${ct(n)}
${W("Differences by kind","kind",i,c=>c.kind)}
${W("Differences by ecosystem","ecosystem",i,c=>c.ecosystem??c.updater??"(none)")}
${dt(n)}
</div>
</section>
${pt(n)}
${lt(n)}
${nt(e)}
${ht(i)}
<footer>clair-canary ${t(e.tool.version)} \xB7 seed ${t(e.seed)} \xB7 started ${t(e.started_at)}${e.finished_at?` \xB7 finished ${t(e.finished_at)}`:""}</footer>
<script>${$t}</script>
</body>
</html>
`}var et={pass:"the canary can be promoted",fail:"do not promote this canary",inconclusive:"not judged: do not promote on this run"};function nt(s){let o=e=>{let n=s.sides[e];return`<tr><th>${e}</th><td>${t(n.url)}</td><td>${t(n.version?.revision??"")}</td><td><code>${t(n.index_state??"")}</code></td></tr>`};return`<section id="sides"><h2>Sides</h2><table class="sides"><thead><tr><th></th><th>URL</th><th>revision</th><th>index state</th></tr></thead>
<tbody>${o("canary")}${o("production")}</tbody></table></section>`}function ot(s,o){let e=s.counts,n=Date.parse(o.started_at),d=o.finished_at?Date.parse(o.finished_at)-n:Number.NaN,i=`${Number.isFinite(d)?`ran ${B(d)} on `:"started on "}${o.started_at.slice(0,10)}`,r=[["manifests",e.manifests],["compared",e.compared],["with differences",e.different],["with code differences",e.code_different],["with errors",e.errors]],c=(o.incomplete??[]).map(h=>`<li>Stage <b>${t(h.stage)}</b> did not complete: ${t(h.reason)}</li>`).join("");return`<header>
<h1 id="verdict"><span class="verdict" style="background:${tt[s.verdict]}">${j[s.verdict]} ${t(s.verdict)}</span> ${t(et[s.verdict])}</h1>
<p class="counts" id="counts">${r.filter(([,h])=>h!==void 0).map(([h,u])=>`<span><b>${t(u)}</b> ${t(h)}</span>`).join(" ")}<span class="muted">clair-canary \xB7 ${t(i)}</span></p>
<h2>Why</h2>
<ul class="reasons">${s.reasons.map(h=>`<li>${t(h)}</li>`).join("")}</ul>
${c?`<ul class="incomplete">${c}</ul>`:""}
</header>`}function rt(s){return`<section id="gates"><h2>Gates</h2>
<table id="gates-table"><thead><tr><th>gate</th><th>value</th><th>threshold</th><th>decision</th><th>why</th></tr></thead>
<tbody>${s.gates.map(e=>`<tr class="${t(e.decision)}"><td>${t(e.name)}</td><td>${t(e.value??"n/a")}</td><td>${t(e.threshold)}</td><td><b>${j[e.decision]} ${t(e.decision)}</b></td><td>${t(e.detail)}</td></tr>`).join(`
`)}</tbody></table></section>`}function st(s,o){let e=H(s,o);return`<section id="what-next"><h2>What next</h2><ul>${[e?`<li><b>If these changes are intended</b>, add them to the rules file as expected changes (they expire, so they never hide a later regression):<pre>${t(e)}</pre></li>`:s.verdict==="inconclusive"?"<li><b>Inconclusive is not a pass</b>: fix what the reasons name (the canary, production or the sample), then re-run.</li>":s.verdict==="pass"?"<li>Nothing to do: every gate passed on evidence.</li>":"<li><b>Look at the failing gates</b> before re-running: the canary failed on evidence.</li>",`<li><b>Re-judge this run</b> with other rules, from the downloaded run directory: <code>${t(U)}</code></li>`,"<li>Every difference is in <code>diffs.jsonl</code>, every request in <code>records.jsonl</code> (the run directory artifact).</li>"].join("")}</ul></section>`}var it={code:"code change",drift:"data drift","by-design":"by design",noise:"noise",allowed:"allowed by rule"},z=20;function at(s,o){let e=s.aggregates?.differences??[];if(e.length===0)return'<section id="difference-groups"><h2>Differences by cause</h2><p>No differences between the canary and production.</p></section>';let n=(i,r)=>r.report===i.report&&r.kind===i.kind&&r.change===i.change&&(r.ecosystem??null)===i.ecosystem&&r.attribution===i.attribution,d=e.map(i=>{let r=o.filter($=>n(i,$.d)),c=r.slice(0,z).map(({digest:$,d:l})=>`<tr><td title="${t($)}"><code>${t(N($))}</code></td><td>${t(l.key)}</td><td><code>${t(C(l.before))}</code></td><td><code>${t(C(l.after))}</code></td><td>${t(l.why??"")}</td></tr>`).join(""),h=r.length>z?`<p class="muted">${r.length-z} more in the table below and in diffs.jsonl.</p>`:"",u=i.attribution==="code"?j.fail:"";return`<details class="group attr-${t(i.attribution)}"${i.attribution==="code"?" open":""} data-attribution="${t(i.attribution)}">
<summary>${u} <b>${t(it[i.attribution]??i.attribution)}</b> \xB7 ${t(i.report)} report \xB7 ${t(G(i))} \u2014 <b>${t(_(i.manifests,"manifest"))}</b>, ${t(_(i.differences,"difference"))}${i.why?` <span class="muted">\xB7 ${t(i.why)}</span>`:""}</summary>
<table><thead><tr><th>manifest</th><th>key</th><th>production</th><th>canary</th><th>why</th></tr></thead><tbody>${c}</tbody></table>${h}
</details>`});return`<section id="difference-groups"><h2>Differences by cause</h2>
<p>${t(_(s.counts.different,"manifest"))} differ, in ${t(_(e.length,"group"))}; code changes first and open, explained ones folded.</p>
${d.join(`
`)}</section>`}var q=460,R=260,p={top:28,right:16,bottom:40,left:56},k=q-p.left-p.right,w=R-p.top-p.bottom;function L(s,o,e=""){return`<figure><svg id="${t(s)}" data-plot="${t(s)}" viewBox="0 0 ${q} ${R}" width="${q}" height="${R}" role="img" aria-label="${t(o)}"${e}><text x="${p.left}" y="16" class="title">${t(o)}</text>`}function O(s,o,e){return`${L(s,o,' data-empty="true"')}<text x="${q/2}" y="${R/2}" text-anchor="middle" class="muted">${t(e)}</text></svg></figure>`}function P(s,o=p.left,e=R-8){let n=o;return s.map(([d,i])=>{let r=`<rect x="${n}" y="${e-9}" width="10" height="10" fill="${i}"/><text x="${n+14}" y="${e}" class="small">${t(d)}</text>`;return n+=24+d.length*6.5,r}).join("")}function X(s,o=4){if(s<=0)return[0];let e=s/o,n=10**Math.floor(Math.log10(e)),d=[1,2,5,10].map(r=>r*n).find(r=>r>=e)??e,i=[];for(let r=0;r<=s+d/2;r+=d)i.push(r);return i}function Y(s){let o=new Map;for(let e of s)for(let n of e.requests){if(n.error||(n.read??0)>0||n.op==="delete_index_report")continue;let d=o.get(n.op);d||o.set(n.op,d={canary:[],production:[]}),d[n.side].push(n.latency_ms)}return o}function ct(s){let o=Y(s);if(o.size===0)return O("latency-none","Latency","no successful requests recorded");let e=[];for(let[n,d]of o){let i=[...d.canary,...d.production].filter(a=>a>0),r=`latency-${n}`,c=`Latency ECDF: ${n.replace(/_/g," ")}`;if(i.length===0){e.push(O(r,c,"no latencies above 0 ms"));continue}let h=Math.min(...i),u=Math.max(...i);u/h<10&&(h=h/2,u=u*2);let $=Math.log10(h),l=Math.log10(u),g=a=>p.left+(Math.log10(Math.max(a,h))-$)/(l-$)*k,m=a=>p.top+(1-a)*w,x="";for(let a=Math.ceil($);a<=Math.floor(l);a++){let f=10**a;x+=`<line x1="${g(f)}" x2="${g(f)}" y1="${p.top}" y2="${p.top+w}" class="grid"/><text x="${g(f)}" y="${p.top+w+14}" text-anchor="middle" class="small">${t(v(f))}</text>`}for(let a of[0,.5,.95])x+=`<line x1="${p.left}" x2="${p.left+k}" y1="${m(a)}" y2="${m(a)}" class="grid"/><text x="${p.left-4}" y="${m(a)+4}" text-anchor="end" class="small">${a}</text>`;for(let a of["production","canary"]){let f=F(d[a]);if(f.length===0)continue;let y=f.length,D=[],E=Math.min(Z,y);for(let b=0;b<=E;b++){let S=b/E;D.push(`${g(A(f,S)).toFixed(1)},${m(S).toFixed(1)}`)}x+=`<polyline class="series" data-series="${a}" data-n="${y}" data-p50="${A(f,.5)}" fill="none" stroke="${M[a]}" stroke-width="2" points="${D.join(" ")}"><title>${a}: ${y} requests, p50 ${t(v(A(f,.5)))}, p95 ${t(v(A(f,.95)))}</title></polyline>`}x+=`<text x="${p.left+k}" y="${R-8}" text-anchor="end" class="small">latency (log scale)</text>`,x+=P(["canary","production"].filter(a=>d[a].length>0).map(a=>[`${a} (${d[a].length})`,M[a]])),e.push(`${L(r,c)}${x}</svg></figure>`)}return e.join(`
`)}function W(s,o,e,n){let d=`differences-by-${o}`;if(e.length===0)return O(d,s,"no differences");let i=new Map;for(let{d:a}of e){let f=n(a),y=i.get(f);y||i.set(f,y={code:0,drift:0,"by-design":0,noise:0,allowed:0}),y[a.attribution]++}let r=a=>T.reduce((f,y)=>f+a[y],0),c=[...i.entries()].sort((a,f)=>r(f[1])-r(a[1])||a[0].localeCompare(f[0])).slice(0,10),h=Math.max(...c.map(([,a])=>r(a))),u=110,$=q-u-p.right,l=w/c.length,g=Math.min(18,l*.7),m="";for(let a of X(h)){let f=u+a/h*$;f>u+$+1||(m+=`<line x1="${f}" x2="${f}" y1="${p.top}" y2="${p.top+w}" class="grid"/><text x="${f}" y="${p.top+w+14}" text-anchor="middle" class="small">${a}</text>`)}c.forEach(([a,f],y)=>{let D=p.top+y*l+(l-g)/2;m+=`<text x="${u-6}" y="${D+g/2+4}" text-anchor="end" class="small">${t(a.length>16?a.slice(0,15)+"\u2026":a)}</text>`;let E=u;for(let b of T){if(!f[b])continue;let S=f[b]/h*$;m+=`<rect class="bar" data-category="${t(a)}" data-attribution="${b}" data-count="${f[b]}" x="${E.toFixed(1)}" y="${D.toFixed(1)}" width="${S.toFixed(1)}" height="${g.toFixed(1)}" fill="${M[b]}"><title>${t(a)}: ${f[b]} ${b}</title></rect>`,E+=S}});let x=T.filter(a=>c.some(([,f])=>f[a]>0));return m+=P(x.map(a=>[a,M[a]])),`${L(d,s)}${m}</svg></figure>`}function dt(s){let o="errors-over-time",e="Errors over the replay",n=s.flatMap(l=>l.requests);if(n.length===0)return O(o,e,"no requests recorded");let d=Math.max(1,...n.map(l=>l.scheduled_at_ms))+1,i=Array.from({length:I},()=>({canary:0,production:0,requests:0}));for(let l of n){let g=i[Math.min(I-1,Math.floor(l.scheduled_at_ms/d*I))];g.requests++,l.error&&g[l.side]++}if(i.reduce((l,g)=>l+g.canary+g.production,0)===0)return O(o,e,`no errors in ${n.length} requests`);let c=Math.max(...i.map(l=>l.canary+l.production)),h=k/I,u=l=>p.top+w-l/c*w,$="";for(let l of X(c))l>c||($+=`<line x1="${p.left}" x2="${p.left+k}" y1="${u(l)}" y2="${u(l)}" class="grid"/><text x="${p.left-4}" y="${u(l)+4}" text-anchor="end" class="small">${l}</text>`);i.forEach((l,g)=>{let m=p.left+g*h+1,x=Math.round(g*d/I),a=0;for(let f of["production","canary"])l[f]&&($+=`<rect class="bar" data-side="${f}" data-bin="${g}" data-count="${l[f]}" x="${m.toFixed(1)}" y="${u(a+l[f]).toFixed(1)}" width="${(h-2).toFixed(1)}" height="${(l[f]/c*w).toFixed(1)}" fill="${M[f]}"><title>${t(v(x))}: ${l[f]} ${f} errors of ${l.requests} requests</title></rect>`,a+=l[f])});for(let l of[0,.5,1])$+=`<text x="${p.left+l*k}" y="${p.top+w+14}" text-anchor="middle" class="small">${t(v(l*d))}</text>`;return $+=P([["canary",M.canary],["production",M.production]]),$+=`<text x="${p.left+k}" y="${R-8}" text-anchor="end" class="small">scheduled time in the replay</text>`,`${L(o,e)}${$}</svg></figure>`}function lt(s){let o=Y(s);if(o.size===0)return"";let e=[];for(let[n,d]of o)for(let i of["canary","production"]){let r=F(d[i]);if(r.length===0)continue;let c=h=>t(v(A(r,h)));e.push(`<tr><td>${t(n)}</td><td>${i}</td><td>${r.length}</td><td>${c(.5)}</td><td>${c(.95)}</td><td>${c(.99)}</td><td>${c(1)}</td></tr>`)}return`<section id="latency"><h2>Latency (successful first reads)</h2>
<table id="latency-table"><thead><tr><th>operation</th><th>side</th><th>requests</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead>
<tbody>${e.join(`
`)}</tbody></table></section>`}function ft(s){return[...new Set(s)].sort().map(o=>`<option value="${t(o)}">${t(o)}</option>`).join("")}function C(s){if(s==null)return"";let o=typeof s=="string"?s:JSON.stringify(s);return o.length>200?o.slice(0,199)+"\u2026":o}function ht(s){if(s.length===0)return'<section id="differences"><h2>Differences</h2><p>No differences.</p></section>';let o=r=>T.indexOf(r.attribution)*3+["removed","changed","added"].indexOf(r.change),e=[...s].sort((r,c)=>o(r.d)-o(c.d)),n=e.slice(0,Q),d=n.map(({digest:r,d:c})=>{let h=c.ecosystem??"";return`<tr data-attribution="${t(c.attribution)}" data-kind="${t(c.kind)}" data-ecosystem="${t(h)}" data-change="${t(c.change)}"><td title="${t(r)}"><code>${t(N(r))}</code></td><td>${t(c.report)}</td><td>${t(c.kind)}</td><td>${t(c.change)}</td><td>${t(c.key)}</td><td>${t(h||c.updater||"")}</td><td class="attr-${t(c.attribution)}">${t(c.attribution)}</td><td>${t(c.why??"")}</td><td><code>${t(C(c.before))}</code></td><td><code>${t(C(c.after))}</code></td></tr>`}).join(`
`),i=(r,c)=>`<label>${r} <select data-filter="${r}"><option value="">all</option>${ft(c)}</select></label>`;return`<section id="differences"><details id="all-differences"><summary><h2>Every difference, filterable (${e.length})</h2></summary>
<form class="filters" onsubmit="return false">
${i("attribution",n.map(r=>r.d.attribution))}
${i("kind",n.map(r=>r.d.kind))}
${i("ecosystem",n.map(r=>r.d.ecosystem??""))}
${i("change",n.map(r=>r.d.change))}
<label>text <input type="search" data-filter="text" placeholder="package, digest, why\u2026"></label>
<span><b id="shown">${n.length}</b> of ${n.length} shown</span>
</form>
${e.length>n.length?`<p class="muted">The first ${n.length} of ${e.length} differences (code first); diffs.jsonl in the artifact has every one.</p>`:""}
<table id="differences-table"><thead><tr><th>manifest</th><th>report</th><th>kind</th><th>change</th><th>key</th><th>ecosystem / updater</th><th>attribution</th><th>why</th><th>production</th><th>canary</th></tr></thead>
<tbody>
${d}
</tbody></table></details></section>`}function pt(s){let o=new Map;for(let n of s)for(let d of n.requests){if(!d.error)continue;let i=`${d.side} ${d.op} ${d.error}`,r=o.get(i);r?r.count++:o.set(i,{side:d.side,op:d.op,error:d.error,count:1,example:`${n.digest}: ${d.status===null?"no response":`HTTP ${d.status}`}${d.message?`, ${d.message}`:""}`})}return o.size===0?'<section id="errors"><h2>Errors</h2><p>No request errors.</p></section>':`<section id="errors"><h2>Errors</h2>
<table id="errors-table"><thead><tr><th>side</th><th>operation</th><th>class</th><th>requests</th><th>example</th></tr></thead>
<tbody>${[...o.values()].sort((n,d)=>d.count-n.count).map(n=>`<tr><td>${n.side}</td><td>${t(n.op)}</td><td>${t(n.error)}</td><td>${n.count}</td><td>${t(n.example)}</td></tr>`).join(`
`)}</tbody></table></section>`}var ut=`
body{font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.verdict{color:#fff;border-radius:6px;padding:4px 12px;text-transform:uppercase;font-size:20px;vertical-align:middle;margin-right:8px}
h1{font-size:24px}details.group{border:1px solid #d0d7de;border-radius:6px;margin:6px 0;padding:6px 10px}
details.group.attr-code{border-color:#cf222e;background:#fff8f8}details.group summary{cursor:pointer}
#all-differences summary h2{display:inline;border:0}pre{background:#f6f8fa;padding:8px;border-radius:6px;overflow:auto}
.counts span{margin-right:16px}.muted{color:#656d76}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}tr.fail td{background:#ffebe9}tr.inconclusive td{background:#fff8c5}
td code{font-size:12px;word-break:break-all}
#differences-table td:nth-child(5){max-width:420px;word-break:break-word}
.attr-code{color:#cf222e;font-weight:600}.attr-drift{color:#9a6700}.attr-allowed{color:#1a7f37}
.plots{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0;border:1px solid #d0d7de;border-radius:6px}
svg text{font-size:11px;fill:#1f2328}svg text.title{font-size:13px;font-weight:600}svg text.small{font-size:10px}
svg text.muted{fill:#656d76}svg .grid{stroke:#eaeef2;stroke-width:1}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}
footer{margin-top:32px;color:#656d76;font-size:12px}
`,$t=`
(function () {
  var table = document.getElementById('differences-table');
  if (!table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var controls = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var shown = document.getElementById('shown');
  function apply() {
    var want = {};
    controls.forEach(function (c) { want[c.getAttribute('data-filter')] = c.value.trim().toLowerCase(); });
    var n = 0;
    rows.forEach(function (r) {
      var ok = ['attribution', 'kind', 'ecosystem', 'change'].every(function (k) {
        return !want[k] || (r.getAttribute('data-' + k) || '').toLowerCase() === want[k];
      }) && (!want.text || r.textContent.toLowerCase().indexOf(want.text) >= 0 || r.cells[0].title.toLowerCase().indexOf(want.text) >= 0);
      r.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  controls.forEach(function (c) { c.addEventListener('input', apply); c.addEventListener('change', apply); });
  apply();
})();
`;export{Q as MAX_TABLE_ROWS,wt as renderHtmlReport};
//# sourceMappingURL=html-NCEQAXXJ.js.map
