import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a as D,b as z}from"./chunk-7KNCEIIF.js";import{a as Q,d as Z,e as tt}from"./chunk-HVLPSLGS.js";import{a as at}from"./chunk-AZ75BIFL.js";import{a as W,c as V,d as Y,g as J}from"./chunk-LW77GYRC.js";import{f as X}from"./chunk-YZY7ADEC.js";import{a as C,b as K}from"./chunk-BGE4QOCK.js";import"./chunk-JDDS6TML.js";import{a as S,c as v,g as G,k as N}from"./chunk-FQEJ47EG.js";import"./chunk-OBUNALVP.js";import{a as I,b as U}from"./chunk-UAR2H2YO.js";import"./chunk-EB2O6B4G.js";import"./chunk-B6EXIVNA.js";import{e as it}from"./chunk-SYNOQ6LS.js";var rt=it(at(),1);var ct=1e4,dt=200,A=40,t=o=>rt.default.escape(String(o??"")),_={code:"#cf222e",drift:"#bf8700","by-design":"#0969da",noise:"#8c959f",allowed:"#1a7f37",canary:"#bc4c00",production:"#0969da"},T={pass:"#1a7f37",fail:"#cf222e",inconclusive:"#9a6700"};function St(o){let{result:r,run:e,records:n,diffs:c}=o,a=c.flatMap(i=>i.differences.map(h=>({digest:i.digest,d:h}))),s=`clair-canary: ${r.verdict}`;return`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${t(s)}</title>
<style>${vt}</style>
</head>
<body>
${ht(r,e)}
${pt(r)}
${ut(r,e)}
${$t(r,c)}
${lt(r,e)}
<section id="plots">
<h2>Plots</h2>
<div class="plots">
${gt(n)}
${nt("Differences by kind","kind",a,i=>i.kind)}
${nt("Differences by ecosystem","ecosystem",a,i=>i.ecosystem??i.updater??"(none)")}
${mt(n)}
</div>
</section>
${wt(n)}
${yt(n)}
${ft(e)}
${bt(a)}
<footer>clair-canary ${t(e.tool.version)} \xB7 seed ${t(e.seed)} \xB7 started ${t(e.started_at)}${e.finished_at?` \xB7 finished ${t(e.finished_at)}`:""}</footer>
<script>${kt}</script>
</body>
</html>
`}function lt(o,r){let e=Q(o,r);if(!e)return"";let n=[...e.rows].reverse(),c=n.map(l=>l.differences.code),a=n.map(l=>l.canaryIndex?.p50??null),s=n.map(l=>l.canaryIndex?.p95??null),i=n.map((l,f)=>`<rect x="${f*12}" y="2" width="10" height="14" rx="2" fill="${T[l.verdict]}"><title>${t(`${l.when}: ${l.verdict}`)}</title></rect>`).join(""),h=e.rows.map(l=>`<tr${l.when==="this run"?' class="current"':""}><td>${t(l.when)}</td><td><code>${t(l.commit.slice(0,7))}</code></td><td>${t(l.event)}</td><td style="color:${T[l.verdict]}">${t(l.verdict)}</td>${I.map(f=>`<td class="num">${l.differences[f]}</td>`).join("")}<td class="num">${l.canaryIndex?`${t(v(l.canaryIndex.p50))} / ${t(v(l.canaryIndex.p95))}`:"\u2014"}</td></tr>`).join(`
`),m=e.noisy.length?`<h3>Noisy fields</h3><p>These came back night after night without a code change. They are still judged; if they are noise, a rule like this allows them:</p><ul>${e.noisy.map(l=>`<li>${t(l.text)}: ${l.nights} of ${l.of} nights (${l.unchanged} without a code change)</li>`).join("")}</ul><pre>${t(["ignore:",...e.noisy.slice(0,3).flatMap(X)].join(`
`))}</pre>`:"";return`<section id="history"><h2>History: ${e.rows.length-1} earlier runs on ${t(e.branch)}</h2>
<div class="sparks">
<figure><figcaption>Verdict</figcaption><svg id="spark-verdict" viewBox="0 0 ${n.length*12} 18" width="${n.length*12}" height="18" role="img" aria-label="verdicts, oldest first">${i}</svg></figure>
<figure><figcaption>Code differences</figcaption>${et("spark-code",[c],[T.fail])}</figure>
<figure><figcaption>Canary index p50 / p95</figcaption>${et("spark-latency",[a,s],["#bc4c00","#6e7781"])}</figure>
</div>
<table class="trend"><thead><tr><th>run</th><th>commit</th><th>event</th><th>verdict</th>${I.map(l=>`<th>${t(l)}</th>`).join("")}<th>canary index p50 / p95</th></tr></thead>
<tbody>${h}</tbody></table>
<p class="muted">Oldest on the left in the sparklines; the last point is this run. The canary's index latency is judged against ${e.nights} nights (scheduled runs on ${t(e.defaultBranch)}).</p>
${m}</section>`}function et(o,r,e){let a=Math.max(...r.map(u=>u.length)),s=r.flat().filter(u=>u!==null),i=Math.min(...s),h=Math.max(...s)-i||1,m=u=>a<=1?180/2:4+u*172/(a-1),l=u=>36-(u-i)/h*32,f=r.map((u,x)=>{let y="",p=!1;u.forEach((M,R)=>{if(M===null){p=!1;return}y+=`${p?"L":"M"}${m(R).toFixed(1)},${l(M).toFixed(1)}`,p=!0});let d=u.length-1,g=u[d],k=g!=null?`<circle cx="${m(d).toFixed(1)}" cy="${l(g).toFixed(1)}" r="2.5" fill="${e[x]}"/>`:"";return`<path d="${y}" fill="none" stroke="${e[x]}" stroke-width="1.5"/>${k}`});return`<svg id="${t(o)}" data-spark="${t(o)}" viewBox="0 0 180 40" width="180" height="40" role="img" aria-label="${t(o)}, oldest first">${f.join("")}</svg>`}function ft(o){let r=e=>{let n=o.sides[e];return`<tr><th>${e}</th><td>${t(n.url)}</td><td>${t(n.version?.revision??"")}</td><td><code>${t(n.index_state??"")}</code></td></tr>`};return`<section id="sides"><h2>Sides</h2><table class="sides"><thead><tr><th></th><th>URL</th><th>revision</th><th>index state</th></tr></thead>
<tbody>${r("canary")}${r("production")}</tbody></table></section>`}function ht(o,r){let e=o.counts,n=Date.parse(r.started_at),c=r.finished_at?Date.parse(r.finished_at)-n:Number.NaN,a=`${Number.isFinite(c)?`ran ${G(c)} on `:"started on "}${r.started_at.slice(0,10)}`,s=[[r.early_stop?`of ${r.early_stop.planned} planned manifests (stopped early)`:"manifests",e.manifests],["compared",e.compared],["with differences",e.different],["with code differences",e.code_different],["with errors",e.errors]],i=(r.incomplete??[]).map(h=>`<li>Stage <b>${t(h.stage)}</b> did not complete: ${t(h.reason)}</li>`).join("");return`<header>
<h1 id="verdict"><span class="verdict" style="background:${T[o.verdict]}">${C[o.verdict]} ${t(o.verdict)}</span> ${t(K[o.verdict])}</h1>
<p class="counts" id="counts">${s.filter(([,h])=>h!==void 0).map(([h,m])=>`<span><b>${t(m)}</b> ${t(h)}</span>`).join(" ")}<span class="muted">clair-canary \xB7 ${t(a)}</span></p>
<h2>Why</h2>
<ul class="reasons">${o.reasons.map(h=>`<li>${t(h)}</li>`).join("")}</ul>
${i?`<ul class="incomplete">${i}</ul>`:""}
</header>`}function pt(o){return`<section id="gates"><h2>Gates</h2>
<table id="gates-table"><thead><tr><th>gate</th><th>value</th><th>threshold</th><th>decision</th><th>why</th></tr></thead>
<tbody>${o.gates.map(e=>`<tr class="${t(e.decision)}"><td>${t(e.name)}</td><td>${t(e.value??"n/a")}</td><td>${t(e.threshold)}</td><td><b>${C[e.decision]} ${t(e.decision)}</b></td><td>${t(e.detail)}</td></tr>`).join(`
`)}</tbody></table></section>`}function ut(o,r){let e=Z(o,r);return`<section id="what-next"><h2>What next</h2><ul>${[e?`<li><b>If these changes are intended</b>, add them to the rules file as expected changes (they expire, so they never hide a later regression):<pre>${t(e)}</pre></li>`:o.verdict==="inconclusive"?"<li><b>Inconclusive is not a pass</b>: fix what the reasons name (the canary, production or the sample), then re-run.</li>":o.verdict==="pass"?"<li>Nothing to do: every gate passed on evidence.</li>":"<li><b>Look at the failing gates</b> before re-running: the canary failed on evidence.</li>",`<li><b>Re-judge this run</b> with other rules, from the downloaded run directory: <code>${t(tt)}</code></li>`,"<li>Every difference is in <code>diffs.jsonl</code>, every request in <code>records.jsonl</code> (the run directory artifact).</li>"].join("")}</ul></section>`}var B=20;function $t(o,r){let e=o.aggregates.differences;if(e.length===0)return'<section id="difference-groups"><h2>Differences by cause</h2><p>No differences between the canary and production.</p></section>';let n=Y(r),c=e.map(a=>{let s=n.get(V(a))??[],i=s.slice(0,B).map(({digest:l,difference:f})=>`<tr><td title="${t(l)}"><code>${t(N(l))}</code></td><td>${t(f.key)}</td><td><code>${t(F(f.before))}</code></td><td><code>${t(F(f.after))}</code></td><td>${t(f.why??"")}</td></tr>`).join(""),h=s.length>B?`<p class="muted">${s.length-B} more in the table below and in diffs.jsonl.</p>`:"",m=a.attribution==="code"?C.fail:"";return`<details class="group attr-${t(a.attribution)}"${a.attribution==="code"?" open":""} data-attribution="${t(a.attribution)}">
<summary>${m} <b>${t(W[a.attribution])}</b> \xB7 ${t(a.report)} report \xB7 ${t(J(a))} \u2014 <b>${t(S(a.manifests,"manifest"))}</b>, ${t(S(a.differences,"difference"))}${a.why?` <span class="muted">\xB7 ${t(a.why)}</span>`:""}</summary>
<table><thead><tr><th>manifest</th><th>key</th><th>production</th><th>canary</th><th>why</th></tr></thead><tbody>${i}</tbody></table>${h}
</details>`});return`<section id="difference-groups"><h2>Differences by cause</h2>
<p>${t(S(o.counts.different,"manifest"))} differ, in ${t(S(e.length,"group"))}; code changes first and open, explained ones folded.</p>
${c.join(`
`)}</section>`}var O=460,j=260,$={top:28,right:16,bottom:40,left:56},E=O-$.left-$.right,w=j-$.top-$.bottom;function L(o,r,e=""){return`<figure><svg id="${t(o)}" data-plot="${t(o)}" viewBox="0 0 ${O} ${j}" width="${O}" height="${j}" role="img" aria-label="${t(r)}"${e}><text x="${$.left}" y="16" class="title">${t(r)}</text>`}function q(o,r,e){return`${L(o,r,' data-empty="true"')}<text x="${O/2}" y="${j/2}" text-anchor="middle" class="muted">${t(e)}</text></svg></figure>`}function P(o,r=$.left,e=j-8){let n=r;return o.map(([c,a])=>{let s=`<rect x="${n}" y="${e-9}" width="10" height="10" fill="${a}"/><text x="${n+14}" y="${e}" class="small">${t(c)}</text>`;return n+=24+c.length*6.5,s}).join("")}function ot(o,r=4){if(o<=0)return[0];let e=o/r,n=10**Math.floor(Math.log10(e)),c=[1,2,5,10].map(s=>s*n).find(s=>s>=e)??e,a=[];for(let s=0;s<=o+c/2;s+=c)a.push(s);return a}function st(o){let r=new Map;for(let e of o)for(let n of e.requests){if(n.error||(n.read??0)>0||n.op==="delete_index_report")continue;let c=r.get(n.op);c||r.set(n.op,c={canary:[],production:[]}),c[n.side].push(n.latency_ms)}return r}function gt(o){let r=st(o);if(r.size===0)return q("latency-none","Latency","no successful requests recorded");let e=[];for(let[n,c]of r){let a=[...c.canary,...c.production].filter(p=>p>0),s=`latency-${n}`,i=`Latency ECDF: ${n.replace(/_/g," ")}`;if(a.length===0){e.push(q(s,i,"no latencies above 0 ms"));continue}let h=Math.min(...a),m=Math.max(...a);m/h<10&&(h=h/2,m=m*2);let l=Math.log10(h),f=Math.log10(m),u=p=>$.left+(Math.log10(Math.max(p,h))-l)/(f-l)*E,x=p=>$.top+(1-p)*w,y="";for(let p=Math.ceil(l);p<=Math.floor(f);p++){let d=10**p;y+=`<line x1="${u(d)}" x2="${u(d)}" y1="${$.top}" y2="${$.top+w}" class="grid"/><text x="${u(d)}" y="${$.top+w+14}" text-anchor="middle" class="small">${t(v(d))}</text>`}for(let p of[0,.5,.95])y+=`<line x1="${$.left}" x2="${$.left+E}" y1="${x(p)}" y2="${x(p)}" class="grid"/><text x="${$.left-4}" y="${x(p)+4}" text-anchor="end" class="small">${p}</text>`;for(let p of["production","canary"]){let d=z(c[p]);if(d.length===0)continue;let g=d.length,k=[],M=Math.min(dt,g);for(let R=0;R<=M;R++){let b=R/M;k.push(`${u(D(d,b)).toFixed(1)},${x(b).toFixed(1)}`)}y+=`<polyline class="series" data-series="${p}" data-n="${g}" data-p50="${D(d,.5)}" fill="none" stroke="${_[p]}" stroke-width="2" points="${k.join(" ")}"><title>${p}: ${g} requests, p50 ${t(v(D(d,.5)))}, p95 ${t(v(D(d,.95)))}</title></polyline>`}y+=`<text x="${$.left+E}" y="${j-8}" text-anchor="end" class="small">latency (log scale)</text>`,y+=P(["canary","production"].filter(p=>c[p].length>0).map(p=>[`${p} (${c[p].length})`,_[p]])),e.push(`${L(s,i)}${y}</svg></figure>`)}return e.join(`
`)}function nt(o,r,e,n){let c=`differences-by-${r}`;if(e.length===0)return q(c,o,"no differences");let a=new Map;for(let{d}of e)a.set(n(d),[...a.get(n(d))??[],d]);let s=new Map([...a].map(([d,g])=>[d,U(g)])),i=d=>I.reduce((g,k)=>g+d[k],0),h=[...s.entries()].sort((d,g)=>i(g[1])-i(d[1])||d[0].localeCompare(g[0])).slice(0,10),m=Math.max(...h.map(([,d])=>i(d))),l=110,f=O-l-$.right,u=w/h.length,x=Math.min(18,u*.7),y="";for(let d of ot(m)){let g=l+d/m*f;g>l+f+1||(y+=`<line x1="${g}" x2="${g}" y1="${$.top}" y2="${$.top+w}" class="grid"/><text x="${g}" y="${$.top+w+14}" text-anchor="middle" class="small">${d}</text>`)}h.forEach(([d,g],k)=>{let M=$.top+k*u+(u-x)/2;y+=`<text x="${l-6}" y="${M+x/2+4}" text-anchor="end" class="small">${t(d.length>16?d.slice(0,15)+"\u2026":d)}</text>`;let R=l;for(let b of I){if(!g[b])continue;let H=g[b]/m*f;y+=`<rect class="bar" data-category="${t(d)}" data-attribution="${b}" data-count="${g[b]}" x="${R.toFixed(1)}" y="${M.toFixed(1)}" width="${H.toFixed(1)}" height="${x.toFixed(1)}" fill="${_[b]}"><title>${t(d)}: ${g[b]} ${b}</title></rect>`,R+=H}});let p=I.filter(d=>h.some(([,g])=>g[d]>0));return y+=P(p.map(d=>[d,_[d]])),`${L(c,o)}${y}</svg></figure>`}function mt(o){let r="errors-over-time",e="Errors over the replay",n=o.flatMap(f=>f.requests);if(n.length===0)return q(r,e,"no requests recorded");let c=Math.max(1,...n.map(f=>f.scheduled_at_ms))+1,a=Array.from({length:A},()=>({canary:0,production:0,requests:0}));for(let f of n){let u=a[Math.min(A-1,Math.floor(f.scheduled_at_ms/c*A))];u.requests++,f.error&&u[f.side]++}if(a.reduce((f,u)=>f+u.canary+u.production,0)===0)return q(r,e,`no errors in ${n.length} requests`);let i=Math.max(...a.map(f=>f.canary+f.production)),h=E/A,m=f=>$.top+w-f/i*w,l="";for(let f of ot(i))f>i||(l+=`<line x1="${$.left}" x2="${$.left+E}" y1="${m(f)}" y2="${m(f)}" class="grid"/><text x="${$.left-4}" y="${m(f)+4}" text-anchor="end" class="small">${f}</text>`);a.forEach((f,u)=>{let x=$.left+u*h+1,y=Math.round(u*c/A),p=0;for(let d of["production","canary"])f[d]&&(l+=`<rect class="bar" data-side="${d}" data-bin="${u}" data-count="${f[d]}" x="${x.toFixed(1)}" y="${m(p+f[d]).toFixed(1)}" width="${(h-2).toFixed(1)}" height="${(f[d]/i*w).toFixed(1)}" fill="${_[d]}"><title>${t(v(y))}: ${f[d]} ${d} errors of ${f.requests} requests</title></rect>`,p+=f[d])});for(let f of[0,.5,1])l+=`<text x="${$.left+f*E}" y="${$.top+w+14}" text-anchor="middle" class="small">${t(v(f*c))}</text>`;return l+=P([["canary",_.canary],["production",_.production]]),l+=`<text x="${$.left+E}" y="${j-8}" text-anchor="end" class="small">scheduled time in the replay</text>`,`${L(r,e)}${l}</svg></figure>`}function yt(o){let r=st(o);if(r.size===0)return"";let e=[];for(let[n,c]of r)for(let a of["canary","production"]){let s=z(c[a]);if(s.length===0)continue;let i=h=>t(v(D(s,h)));e.push(`<tr><td>${t(n)}</td><td>${a}</td><td>${s.length}</td><td>${i(.5)}</td><td>${i(.95)}</td><td>${i(.99)}</td><td>${i(1)}</td></tr>`)}return`<section id="latency"><h2>Latency (successful first reads)</h2>
<table id="latency-table"><thead><tr><th>operation</th><th>side</th><th>requests</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead>
<tbody>${e.join(`
`)}</tbody></table></section>`}function xt(o){return[...new Set(o)].sort().map(r=>`<option value="${t(r)}">${t(r)}</option>`).join("")}function F(o){if(o==null)return"";let r=typeof o=="string"?o:JSON.stringify(o);return r.length>200?r.slice(0,199)+"\u2026":r}function bt(o){if(o.length===0)return'<section id="differences"><h2>Differences</h2><p>No differences.</p></section>';let r=s=>I.indexOf(s.attribution)*3+["removed","changed","added"].indexOf(s.change),e=[...o].sort((s,i)=>r(s.d)-r(i.d)),n=e.slice(0,ct),c=n.map(({digest:s,d:i})=>{let h=i.ecosystem??"";return`<tr data-attribution="${t(i.attribution)}" data-kind="${t(i.kind)}" data-ecosystem="${t(h)}" data-change="${t(i.change)}"><td title="${t(s)}"><code>${t(N(s))}</code></td><td>${t(i.report)}</td><td>${t(i.kind)}</td><td>${t(i.change)}</td><td>${t(i.key)}</td><td>${t(h||i.updater||"")}</td><td class="attr-${t(i.attribution)}">${t(i.attribution)}</td><td>${t(i.why??"")}</td><td><code>${t(F(i.before))}</code></td><td><code>${t(F(i.after))}</code></td></tr>`}).join(`
`),a=(s,i)=>`<label>${s} <select data-filter="${s}"><option value="">all</option>${xt(i)}</select></label>`;return`<section id="differences"><details id="all-differences"><summary><h2>Every difference, filterable (${e.length})</h2></summary>
<form class="filters" onsubmit="return false">
${a("attribution",n.map(s=>s.d.attribution))}
${a("kind",n.map(s=>s.d.kind))}
${a("ecosystem",n.map(s=>s.d.ecosystem??""))}
${a("change",n.map(s=>s.d.change))}
<label>text <input type="search" data-filter="text" placeholder="package, digest, why\u2026"></label>
<span><b id="shown">${n.length}</b> of ${n.length} shown</span>
</form>
${e.length>n.length?`<p class="muted">The first ${n.length} of ${e.length} differences (code first); diffs.jsonl in the artifact has every one.</p>`:""}
<table id="differences-table"><thead><tr><th>manifest</th><th>report</th><th>kind</th><th>change</th><th>key</th><th>ecosystem / updater</th><th>attribution</th><th>why</th><th>production</th><th>canary</th></tr></thead>
<tbody>
${c}
</tbody></table></details></section>`}function wt(o){let r=new Map;for(let n of o)for(let c of n.requests){if(!c.error)continue;let a=`${c.side} ${c.op} ${c.error}`,s=r.get(a);s?s.count++:r.set(a,{side:c.side,op:c.op,error:c.error,count:1,example:`${n.digest}: ${c.status===null?"no response":`HTTP ${c.status}`}${c.message?`, ${c.message}`:""}`})}return r.size===0?'<section id="errors"><h2>Errors</h2><p>No request errors.</p></section>':`<section id="errors"><h2>Errors</h2>
<table id="errors-table"><thead><tr><th>side</th><th>operation</th><th>class</th><th>requests</th><th>example</th></tr></thead>
<tbody>${[...r.values()].sort((n,c)=>c.count-n.count).map(n=>`<tr><td>${n.side}</td><td>${t(n.op)}</td><td>${t(n.error)}</td><td>${n.count}</td><td>${t(n.example)}</td></tr>`).join(`
`)}</tbody></table></section>`}var vt=`
.sparks{display:flex;gap:24px;flex-wrap:wrap}.sparks figure{margin:0}.sparks figcaption{font-size:12px;color:#59636e}
table.trend tr.current td{font-weight:600;background:#f6f8fa}td.num{text-align:right}
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
`,kt=`
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
`;export{ct as MAX_TABLE_ROWS,St as renderHtmlReport};
//# sourceMappingURL=html-W76GB3KP.js.map
