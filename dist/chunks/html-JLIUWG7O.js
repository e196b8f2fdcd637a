import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a as U}from"./chunk-OVA6WQJP.js";import{a as q,b as C}from"./chunk-ZXO6VIHY.js";import{b as v,f as j}from"./chunk-V36NVI4Q.js";import{e as N}from"./chunk-SYNOQ6LS.js";var B=N(U(),1);var W=1e4,G=200,E=40,t=i=>B.default.escape(String(i??"")),T=["code","drift","by-design","noise","allowed"],M={code:"#cf222e",drift:"#bf8700","by-design":"#0969da",noise:"#8c959f",allowed:"#1a7f37",canary:"#bc4c00",production:"#0969da"},J={pass:"#1a7f37",fail:"#cf222e",inconclusive:"#9a6700"};function it(i){let{result:r,run:s,records:e,diffs:a}=i,d=a.flatMap(c=>c.differences.map(p=>({digest:c.digest,d:p}))),o=`clair-canary: ${r.verdict}`;return`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${t(o)}</title>
<style>${nt}</style>
</head>
<body>
${V(r,s)}
${X(r)}
<section id="plots">
<h2>Plots</h2>
<div class="plots">
${Y(e)}
${F("Differences by kind","kind",d,c=>c.kind)}
${F("Differences by ecosystem","ecosystem",d,c=>c.ecosystem??c.updater??"(none)")}
${K(e)}
</div>
</section>
${Q(e)}
${tt(d)}
${et(e)}
<footer>clair-canary ${t(s.tool.version)} \xB7 seed ${t(s.seed)} \xB7 started ${t(s.started_at)}${s.finished_at?` \xB7 finished ${t(s.finished_at)}`:""}</footer>
<script>${ot}</script>
</body>
</html>
`}function V(i,r){let s=i.counts,e=d=>{let o=r.sides[d];return`<tr><th>${d}</th><td>${t(o.url)}</td><td>${t(o.version?.revision??"")}</td><td><code>${t(o.index_state??"")}</code></td></tr>`},a=(r.incomplete??[]).map(d=>`<li>Stage <b>${t(d.stage)}</b> did not complete: ${t(d.reason)}</li>`).join("");return`<header>
<h1><span class="verdict" style="background:${J[i.verdict]}">${t(i.verdict)}</span> clair-canary</h1>
<ul class="reasons">${i.reasons.map(d=>`<li>${t(d)}</li>`).join("")}</ul>
${a?`<ul class="incomplete">${a}</ul>`:""}
<p class="counts" id="counts">${Object.entries(s).map(([d,o])=>`<span><b>${t(o)}</b> ${t(d)}</span>`).join(" ")}</p>
<table class="sides"><thead><tr><th></th><th>URL</th><th>revision</th><th>index state</th></tr></thead>
<tbody>${e("canary")}${e("production")}</tbody></table>
</header>`}function X(i){return`<section id="gates"><h2>Gates</h2>
<table id="gates-table"><thead><tr><th>gate</th><th>value</th><th>threshold</th><th>decision</th><th>why</th></tr></thead>
<tbody>${i.gates.map(s=>`<tr class="${t(s.decision)}"><td>${t(s.name)}</td><td>${t(s.value??"n/a")}</td><td>${t(s.threshold)}</td><td><b>${t(s.decision)}</b></td><td>${t(s.detail)}</td></tr>`).join(`
`)}</tbody></table></section>`}var I=460,R=260,h={top:28,right:16,bottom:40,left:56},k=I-h.left-h.right,w=R-h.top-h.bottom;function D(i,r,s=""){return`<figure><svg id="${t(i)}" data-plot="${t(i)}" viewBox="0 0 ${I} ${R}" width="${I}" height="${R}" role="img" aria-label="${t(r)}"${s}><text x="${h.left}" y="16" class="title">${t(r)}</text>`}function _(i,r,s){return`${D(i,r,' data-empty="true"')}<text x="${I/2}" y="${R/2}" text-anchor="middle" class="muted">${t(s)}</text></svg></figure>`}function L(i,r=h.left,s=R-8){let e=r;return i.map(([a,d])=>{let o=`<rect x="${e}" y="${s-9}" width="10" height="10" fill="${d}"/><text x="${e+14}" y="${s}" class="small">${t(a)}</text>`;return e+=24+a.length*6.5,o}).join("")}function P(i,r=4){if(i<=0)return[0];let s=i/r,e=10**Math.floor(Math.log10(s)),a=[1,2,5,10].map(o=>o*e).find(o=>o>=s)??s,d=[];for(let o=0;o<=i+a/2;o+=a)d.push(o);return d}function H(i){let r=new Map;for(let s of i)for(let e of s.requests){if(e.error||(e.read??0)>0||e.op==="delete_index_report")continue;let a=r.get(e.op);a||r.set(e.op,a={canary:[],production:[]}),a[e.side].push(e.latency_ms)}return r}function Y(i){let r=H(i);if(r.size===0)return _("latency-none","Latency","no successful requests recorded");let s=[];for(let[e,a]of r){let d=[...a.canary,...a.production].filter(n=>n>0),o=`latency-${e}`,c=`Latency ECDF: ${e.replace(/_/g," ")}`;if(d.length===0){s.push(_(o,c,"no latencies above 0 ms"));continue}let p=Math.min(...d),$=Math.max(...d);$/p<10&&(p=p/2,$=$*2);let g=Math.log10(p),f=Math.log10($),u=n=>h.left+(Math.log10(Math.max(n,p))-g)/(f-g)*k,m=n=>h.top+(1-n)*w,b="";for(let n=Math.ceil(g);n<=Math.floor(f);n++){let l=10**n;b+=`<line x1="${u(l)}" x2="${u(l)}" y1="${h.top}" y2="${h.top+w}" class="grid"/><text x="${u(l)}" y="${h.top+w+14}" text-anchor="middle" class="small">${t(v(l))}</text>`}for(let n of[0,.5,.95])b+=`<line x1="${h.left}" x2="${h.left+k}" y1="${m(n)}" y2="${m(n)}" class="grid"/><text x="${h.left-4}" y="${m(n)+4}" text-anchor="end" class="small">${n}</text>`;for(let n of["production","canary"]){let l=C(a[n]);if(l.length===0)continue;let x=l.length,S=[],O=Math.min(G,x);for(let y=0;y<=O;y++){let A=y/O;S.push(`${u(q(l,A)).toFixed(1)},${m(A).toFixed(1)}`)}b+=`<polyline class="series" data-series="${n}" data-n="${x}" data-p50="${q(l,.5)}" fill="none" stroke="${M[n]}" stroke-width="2" points="${S.join(" ")}"><title>${n}: ${x} requests, p50 ${t(v(q(l,.5)))}, p95 ${t(v(q(l,.95)))}</title></polyline>`}b+=`<text x="${h.left+k}" y="${R-8}" text-anchor="end" class="small">latency (log scale)</text>`,b+=L(["canary","production"].filter(n=>a[n].length>0).map(n=>[`${n} (${a[n].length})`,M[n]])),s.push(`${D(o,c)}${b}</svg></figure>`)}return s.join(`
`)}function F(i,r,s,e){let a=`differences-by-${r}`;if(s.length===0)return _(a,i,"no differences");let d=new Map;for(let{d:n}of s){let l=e(n),x=d.get(l);x||d.set(l,x={code:0,drift:0,"by-design":0,noise:0,allowed:0}),x[n.attribution]++}let o=n=>T.reduce((l,x)=>l+n[x],0),c=[...d.entries()].sort((n,l)=>o(l[1])-o(n[1])||n[0].localeCompare(l[0])).slice(0,10),p=Math.max(...c.map(([,n])=>o(n))),$=110,g=I-$-h.right,f=w/c.length,u=Math.min(18,f*.7),m="";for(let n of P(p)){let l=$+n/p*g;l>$+g+1||(m+=`<line x1="${l}" x2="${l}" y1="${h.top}" y2="${h.top+w}" class="grid"/><text x="${l}" y="${h.top+w+14}" text-anchor="middle" class="small">${n}</text>`)}c.forEach(([n,l],x)=>{let S=h.top+x*f+(f-u)/2;m+=`<text x="${$-6}" y="${S+u/2+4}" text-anchor="end" class="small">${t(n.length>16?n.slice(0,15)+"\u2026":n)}</text>`;let O=$;for(let y of T){if(!l[y])continue;let A=l[y]/p*g;m+=`<rect class="bar" data-category="${t(n)}" data-attribution="${y}" data-count="${l[y]}" x="${O.toFixed(1)}" y="${S.toFixed(1)}" width="${A.toFixed(1)}" height="${u.toFixed(1)}" fill="${M[y]}"><title>${t(n)}: ${l[y]} ${y}</title></rect>`,O+=A}});let b=T.filter(n=>c.some(([,l])=>l[n]>0));return m+=L(b.map(n=>[n,M[n]])),`${D(a,i)}${m}</svg></figure>`}function K(i){let r="errors-over-time",s="Errors over the replay",e=i.flatMap(f=>f.requests);if(e.length===0)return _(r,s,"no requests recorded");let a=Math.max(1,...e.map(f=>f.scheduled_at_ms))+1,d=Array.from({length:E},()=>({canary:0,production:0,requests:0}));for(let f of e){let u=d[Math.min(E-1,Math.floor(f.scheduled_at_ms/a*E))];u.requests++,f.error&&u[f.side]++}if(d.reduce((f,u)=>f+u.canary+u.production,0)===0)return _(r,s,`no errors in ${e.length} requests`);let c=Math.max(...d.map(f=>f.canary+f.production)),p=k/E,$=f=>h.top+w-f/c*w,g="";for(let f of P(c))f>c||(g+=`<line x1="${h.left}" x2="${h.left+k}" y1="${$(f)}" y2="${$(f)}" class="grid"/><text x="${h.left-4}" y="${$(f)+4}" text-anchor="end" class="small">${f}</text>`);d.forEach((f,u)=>{let m=h.left+u*p+1,b=Math.round(u*a/E),n=0;for(let l of["production","canary"])f[l]&&(g+=`<rect class="bar" data-side="${l}" data-bin="${u}" data-count="${f[l]}" x="${m.toFixed(1)}" y="${$(n+f[l]).toFixed(1)}" width="${(p-2).toFixed(1)}" height="${(f[l]/c*w).toFixed(1)}" fill="${M[l]}"><title>${t(v(b))}: ${f[l]} ${l} errors of ${f.requests} requests</title></rect>`,n+=f[l])});for(let f of[0,.5,1])g+=`<text x="${h.left+f*k}" y="${h.top+w+14}" text-anchor="middle" class="small">${t(v(f*a))}</text>`;return g+=L([["canary",M.canary],["production",M.production]]),g+=`<text x="${h.left+k}" y="${R-8}" text-anchor="end" class="small">scheduled time in the replay</text>`,`${D(r,s)}${g}</svg></figure>`}function Q(i){let r=H(i);if(r.size===0)return"";let s=[];for(let[e,a]of r)for(let d of["canary","production"]){let o=C(a[d]);if(o.length===0)continue;let c=p=>t(v(q(o,p)));s.push(`<tr><td>${t(e)}</td><td>${d}</td><td>${o.length}</td><td>${c(.5)}</td><td>${c(.95)}</td><td>${c(.99)}</td><td>${c(1)}</td></tr>`)}return`<section id="latency"><h2>Latency (successful first reads)</h2>
<table id="latency-table"><thead><tr><th>operation</th><th>side</th><th>requests</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead>
<tbody>${s.join(`
`)}</tbody></table></section>`}function Z(i){return[...new Set(i)].sort().map(r=>`<option value="${t(r)}">${t(r)}</option>`).join("")}function z(i){if(i==null)return"";let r=typeof i=="string"?i:JSON.stringify(i);return r.length>200?r.slice(0,199)+"\u2026":r}function tt(i){if(i.length===0)return'<section id="differences"><h2>Differences</h2><p>No differences.</p></section>';let r=o=>T.indexOf(o.attribution)*3+["removed","changed","added"].indexOf(o.change),s=[...i].sort((o,c)=>r(o.d)-r(c.d)),e=s.slice(0,W),a=e.map(({digest:o,d:c})=>{let p=c.ecosystem??"";return`<tr data-attribution="${t(c.attribution)}" data-kind="${t(c.kind)}" data-ecosystem="${t(p)}" data-change="${t(c.change)}"><td title="${t(o)}"><code>${t(j(o))}</code></td><td>${t(c.report)}</td><td>${t(c.kind)}</td><td>${t(c.change)}</td><td>${t(c.key)}</td><td>${t(p||c.updater||"")}</td><td class="attr-${t(c.attribution)}">${t(c.attribution)}</td><td>${t(c.why??"")}</td><td><code>${t(z(c.before))}</code></td><td><code>${t(z(c.after))}</code></td></tr>`}).join(`
`),d=(o,c)=>`<label>${o} <select data-filter="${o}"><option value="">all</option>${Z(c)}</select></label>`;return`<section id="differences"><h2>Differences</h2>
<form class="filters" onsubmit="return false">
${d("attribution",e.map(o=>o.d.attribution))}
${d("kind",e.map(o=>o.d.kind))}
${d("ecosystem",e.map(o=>o.d.ecosystem??""))}
${d("change",e.map(o=>o.d.change))}
<label>text <input type="search" data-filter="text" placeholder="package, digest, why\u2026"></label>
<span><b id="shown">${e.length}</b> of ${e.length} shown</span>
</form>
${s.length>e.length?`<p class="muted">The first ${e.length} of ${s.length} differences (code first); diffs.jsonl in the artifact has every one.</p>`:""}
<table id="differences-table"><thead><tr><th>manifest</th><th>report</th><th>kind</th><th>change</th><th>key</th><th>ecosystem / updater</th><th>attribution</th><th>why</th><th>production</th><th>canary</th></tr></thead>
<tbody>
${a}
</tbody></table></section>`}function et(i){let r=new Map;for(let e of i)for(let a of e.requests){if(!a.error)continue;let d=`${a.side} ${a.op} ${a.error}`,o=r.get(d);o?o.count++:r.set(d,{side:a.side,op:a.op,error:a.error,count:1,example:`${e.digest}: ${a.status===null?"no response":`HTTP ${a.status}`}${a.message?`, ${a.message}`:""}`})}return r.size===0?'<section id="errors"><h2>Errors</h2><p>No request errors.</p></section>':`<section id="errors"><h2>Errors</h2>
<table id="errors-table"><thead><tr><th>side</th><th>operation</th><th>class</th><th>requests</th><th>example</th></tr></thead>
<tbody>${[...r.values()].sort((e,a)=>a.count-e.count).map(e=>`<tr><td>${e.side}</td><td>${t(e.op)}</td><td>${t(e.error)}</td><td>${e.count}</td><td>${t(e.example)}</td></tr>`).join(`
`)}</tbody></table></section>`}var nt=`
body{font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#1f2328;background:#fff}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.verdict{color:#fff;border-radius:6px;padding:2px 10px;text-transform:uppercase;font-size:16px;vertical-align:middle}
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
`,ot=`
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
`;export{W as MAX_TABLE_ROWS,it as renderHtmlReport};
//# sourceMappingURL=html-JLIUWG7O.js.map
