import { createRequire as __clairCanaryRequire } from 'node:module'; const require = __clairCanaryRequire(import.meta.url);
import{a as tt,d as et,e as nt,f as rt}from"./chunk-F5GP7DSR.js";import{a as lt}from"./chunk-A6OZH7MH.js";import{a as S,b as B}from"./chunk-7KNCEIIF.js";import{a as J,c as K,d as X,g as Q}from"./chunk-G42KBX3N.js";import{b as Y}from"./chunk-DUH4TBQU.js";import"./chunk-ID67LDKI.js";import{a as I,b as V}from"./chunk-UAR2H2YO.js";import{a as T,b as Z}from"./chunk-QXA6SQDL.js";import{a as q,c as v,g as U,k as C,l as W,m as z}from"./chunk-NMZ44BPE.js";import"./chunk-EB2O6B4G.js";import"./chunk-QPIHIMKL.js";import"./chunk-B6EXIVNA.js";import{e as dt}from"./chunk-SYNOQ6LS.js";var it=dt(lt(),1);var ft=1e4,ht=200,D=40,t=o=>it.default.escape(String(o??"")),_={code:"#cf222e",drift:"#bf8700","by-design":"#0969da",noise:"#8c959f",allowed:"#1a7f37",canary:"#bc4c00",production:"#0969da"},F={pass:"#1a7f37",fail:"#cf222e",inconclusive:"#9a6700"};function qt(o){let{result:r,run:e,records:n,diffs:a}=o,i=a.flatMap(h=>h.differences.map(l=>({digest:h.digest,...h.repository?{repository:h.repository}:{},d:l}))),s=`clair-canary: ${r.verdict}`;return`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${t(s)}</title>
<style>${Rt}</style>
</head>
<body>
${$t(r,e)}
${gt(r)}
${mt(r,e)}
${yt(r,a)}
${pt(r,e)}
<section id="plots">
<h2>Plots</h2>
<div class="plots">
${xt(n)}
${st("Differences by kind","kind",i,h=>h.kind)}
${st("Differences by ecosystem","ecosystem",i,h=>h.ecosystem??h.updater??"(none)")}
${bt(n)}
</div>
</section>
${Mt(n)}
${wt(n)}
${ut(e)}
${kt(i)}
<footer>clair-canary ${t(e.tool.version)} \xB7 seed ${t(e.seed)} \xB7 started ${t(e.started_at)}${e.finished_at?` \xB7 finished ${t(e.finished_at)}`:""}</footer>
<script>${It}</script>
</body>
</html>
`}function pt(o,r){let e=tt(o,r);if(!e)return"";let n=[...e.rows].reverse(),a=n.map(d=>d.differences.code),i=n.map(d=>d.canaryIndex?.p50??null),s=n.map(d=>d.canaryIndex?.p95??null),h=n.map((d,f)=>`<rect x="${f*12}" y="2" width="10" height="14" rx="2" fill="${F[d.verdict]}"><title>${t(`${d.when}: ${d.verdict}`)}</title></rect>`).join(""),l=e.rows.map(d=>`<tr${d.when==="this run"?' class="current"':""}><td>${t(d.when)}</td><td><code>${t(d.commit.slice(0,7))}</code></td><td>${t(d.event)}</td><td style="color:${F[d.verdict]}">${t(d.verdict)}</td>${I.map(f=>`<td class="num">${d.differences[f]}</td>`).join("")}<td class="num">${d.canaryIndex?`${t(v(d.canaryIndex.p50))} / ${t(v(d.canaryIndex.p95))}`:"\u2014"}</td></tr>`).join(`
`),m=e.noisy.length?`<h3>Noisy fields</h3><p>These came back night after night without a code change. They are still judged; if they are noise, a rule like this allows them:</p><ul>${e.noisy.map(d=>`<li>${t(d.text)}: ${d.nights} of ${d.of} nights (${d.unchanged} without a code change)</li>`).join("")}</ul><pre>${t(["ignore:",...e.noisy.slice(0,3).flatMap(Y)].join(`
`))}</pre>`:"";return`<section id="history"><h2>History: ${e.rows.length-1} earlier runs on ${t(e.branch)}</h2>
<div class="sparks">
<figure><figcaption>Verdict</figcaption><svg id="spark-verdict" viewBox="0 0 ${n.length*12} 18" width="${n.length*12}" height="18" role="img" aria-label="verdicts, oldest first">${h}</svg></figure>
<figure><figcaption>Code differences</figcaption>${ot("spark-code",[a],[F.fail])}</figure>
<figure><figcaption>Canary index p50 / p95</figcaption>${ot("spark-latency",[i,s],["#bc4c00","#6e7781"])}</figure>
</div>
<table class="trend"><thead><tr><th>run</th><th>commit</th><th>event</th><th>verdict</th>${I.map(d=>`<th>${t(d)}</th>`).join("")}<th>canary index p50 / p95</th></tr></thead>
<tbody>${l}</tbody></table>
<p class="muted">Oldest on the left in the sparklines; the last point is this run. ${e.unavailable!==void 0?`No earlier run could be read: ${t(e.unavailable)}. The canary's index latency is not judged against past nights.`:`Baseline of the canary's index latency (scheduled runs, the last ${e.depth} at most): ${t(e.baseline)}.`}</p>
${m}</section>`}function ot(o,r,e){let i=Math.max(...r.map(p=>p.length)),s=r.flat().filter(p=>p!==null),h=Math.min(...s),l=Math.max(...s)-h||1,m=p=>i<=1?180/2:4+p*172/(i-1),d=p=>36-(p-h)/l*32,f=r.map((p,x)=>{let y="",u=!1;p.forEach((M,R)=>{if(M===null){u=!1;return}y+=`${u?"L":"M"}${m(R).toFixed(1)},${d(M).toFixed(1)}`,u=!0});let c=p.length-1,g=p[c],k=g!=null?`<circle cx="${m(c).toFixed(1)}" cy="${d(g).toFixed(1)}" r="2.5" fill="${e[x]}"/>`:"";return`<path d="${y}" fill="none" stroke="${e[x]}" stroke-width="1.5"/>${k}`});return`<svg id="${t(o)}" data-spark="${t(o)}" viewBox="0 0 180 40" width="180" height="40" role="img" aria-label="${t(o)}, oldest first">${f.join("")}</svg>`}function ut(o){let r=e=>{let n=o.sides[e];return`<tr><th>${e}</th><td>${t(n.url)}</td><td>${t(n.version?.revision??"")}</td><td><code>${t(n.index_state??"")}</code></td></tr>`};return`<section id="sides"><h2>Sides</h2><table class="sides"><thead><tr><th></th><th>URL</th><th>revision</th><th>index state</th></tr></thead>
<tbody>${r("canary")}${r("production")}</tbody></table></section>`}function $t(o,r){let e=o.counts,n=Date.parse(r.started_at),a=r.finished_at?Date.parse(r.finished_at)-n:Number.NaN,i=`${Number.isFinite(a)?`ran ${U(a)} on `:"started on "}${r.started_at.slice(0,10)}`,s=[[r.early_stop?`of ${r.early_stop.planned} planned manifests (stopped early)`:"manifests",e.manifests],["compared",e.compared],["with differences",e.different],["with code differences",e.code_different],["with errors",e.errors]],h=(r.incomplete??[]).map(l=>`<li>Stage <b>${t(l.stage)}</b> did not complete: ${t(l.reason)}</li>`).join("");return`<header>
<h1 id="verdict"><span class="verdict" style="background:${F[o.verdict]}">${T[o.verdict]} ${t(o.verdict)}</span> ${t(Z[o.verdict])}</h1>
<p class="counts" id="counts">${s.filter(([,l])=>l!==void 0).map(([l,m])=>`<span><b>${t(m)}</b> ${t(l)}</span>`).join(" ")}<span class="muted">clair-canary \xB7 ${t(i)}</span></p>
<h2>Why</h2>
<ul class="reasons">${o.reasons.map(l=>`<li>${t(l)}</li>`).join("")}</ul>
${h?`<ul class="incomplete">${h}</ul>`:""}
</header>`}function gt(o){return`<section id="gates"><h2>Gates</h2>
<table id="gates-table"><thead><tr><th>gate</th><th>value</th><th>threshold</th><th>decision</th><th>why</th></tr></thead>
<tbody>${o.gates.map(e=>`<tr class="${t(e.decision)}"><td>${t(e.name)}</td><td>${t(e.value??"n/a")}</td><td>${t(e.threshold)}</td><td><b>${T[e.decision]} ${t(e.decision)}</b></td><td>${t(e.detail)}</td></tr>`).join(`
`)}</tbody></table></section>`}function mt(o,r){let e=nt(o,r);return`<section id="what-next"><h2>What next</h2><ul>${[e?`<li><b>If these changes are intended</b>, add them to the rules file as expected changes (they expire, so they never hide a later regression):<pre>${t(e)}</pre></li>`:o.verdict==="inconclusive"?"<li><b>Inconclusive is not a pass</b>: fix what the reasons name (the canary, production or the sample), then re-run.</li>":o.verdict==="pass"?`<li>${t(et(o))}</li>`:"<li><b>Look at the failing gates</b> before re-running: the canary failed on evidence.</li>",`<li><b>Re-judge this run</b> with other rules, from the downloaded run directory: <code>${t(rt)}</code></li>`,"<li>Every difference is in <code>diffs.jsonl</code>, every request in <code>records.jsonl</code> (the run directory artifact).</li>"].join("")}</ul></section>`}var P=20;function yt(o,r){let e=o.aggregates.differences;if(e.length===0)return'<section id="difference-groups"><h2>Differences by cause</h2><p>No differences between the canary and production.</p></section>';let n=X(r),a=e.map(i=>{let s=n.get(K(i))??[],h=s.slice(0,P).map(({digest:d,repository:f,difference:p})=>`<tr><td title="${t(d)}"><code>${t(z(d))}</code>${t(C(f))}</td><td>${t(p.key)}</td><td><code>${t(N(p.before))}</code></td><td><code>${t(N(p.after))}</code></td><td>${t(p.why??"")}</td></tr>`).join(""),l=s.length>P?`<p class="muted">${s.length-P} more in the table below and in diffs.jsonl.</p>`:"",m=i.attribution==="code"?T.fail:"";return`<details class="group attr-${t(i.attribution)}"${i.attribution==="code"?" open":""} data-attribution="${t(i.attribution)}">
<summary>${m} <b>${t(J[i.attribution])}</b> \xB7 ${t(i.report)} report \xB7 ${t(Q(i))} \u2014 <b>${t(W(i.manifests,i.repositories))}</b>, ${t(q(i.differences,"difference"))}${i.why?` <span class="muted">\xB7 ${t(i.why)}</span>`:""}</summary>
<table><thead><tr><th>manifest</th><th>key</th><th>production</th><th>canary</th><th>why</th></tr></thead><tbody>${h}</tbody></table>${l}
</details>`});return`<section id="difference-groups"><h2>Differences by cause</h2>
<p>${t(q(o.counts.different,"manifest"))} differ, in ${t(q(e.length,"group"))}; code changes first and open, explained ones folded.</p>
${a.join(`
`)}</section>`}var A=460,j=260,$={top:28,right:16,bottom:40,left:56},E=A-$.left-$.right,w=j-$.top-$.bottom;function L(o,r,e=""){return`<figure><svg id="${t(o)}" data-plot="${t(o)}" viewBox="0 0 ${A} ${j}" width="${A}" height="${j}" role="img" aria-label="${t(r)}"${e}><text x="${$.left}" y="16" class="title">${t(r)}</text>`}function O(o,r,e){return`${L(o,r,' data-empty="true"')}<text x="${A/2}" y="${j/2}" text-anchor="middle" class="muted">${t(e)}</text></svg></figure>`}function H(o,r=$.left,e=j-8){let n=r;return o.map(([a,i])=>{let s=`<rect x="${n}" y="${e-9}" width="10" height="10" fill="${i}"/><text x="${n+14}" y="${e}" class="small">${t(a)}</text>`;return n+=24+a.length*6.5,s}).join("")}function at(o,r=4){if(o<=0)return[0];let e=o/r,n=10**Math.floor(Math.log10(e)),a=[1,2,5,10].map(s=>s*n).find(s=>s>=e)??e,i=[];for(let s=0;s<=o+a/2;s+=a)i.push(s);return i}function ct(o){let r=new Map;for(let e of o)for(let n of e.requests){if(n.error||(n.read??0)>0||n.op==="delete_index_report")continue;let a=r.get(n.op);a||r.set(n.op,a={canary:[],production:[]}),a[n.side].push(n.latency_ms)}return r}function xt(o){let r=ct(o);if(r.size===0)return O("latency-none","Latency","no successful requests recorded");let e=[];for(let[n,a]of r){let i=[...a.canary,...a.production].filter(u=>u>0),s=`latency-${n}`,h=`Latency ECDF: ${n.replace(/_/g," ")}`;if(i.length===0){e.push(O(s,h,"no latencies above 0 ms"));continue}let l=Math.min(...i),m=Math.max(...i);m/l<10&&(l=l/2,m=m*2);let d=Math.log10(l),f=Math.log10(m),p=u=>$.left+(Math.log10(Math.max(u,l))-d)/(f-d)*E,x=u=>$.top+(1-u)*w,y="";for(let u=Math.ceil(d);u<=Math.floor(f);u++){let c=10**u;y+=`<line x1="${p(c)}" x2="${p(c)}" y1="${$.top}" y2="${$.top+w}" class="grid"/><text x="${p(c)}" y="${$.top+w+14}" text-anchor="middle" class="small">${t(v(c))}</text>`}for(let u of[0,.5,.95])y+=`<line x1="${$.left}" x2="${$.left+E}" y1="${x(u)}" y2="${x(u)}" class="grid"/><text x="${$.left-4}" y="${x(u)+4}" text-anchor="end" class="small">${u}</text>`;for(let u of["production","canary"]){let c=B(a[u]);if(c.length===0)continue;let g=c.length,k=[],M=Math.min(ht,g);for(let R=0;R<=M;R++){let b=R/M;k.push(`${p(S(c,b)).toFixed(1)},${x(b).toFixed(1)}`)}y+=`<polyline class="series" data-series="${u}" data-n="${g}" data-p50="${S(c,.5)}" fill="none" stroke="${_[u]}" stroke-width="2" points="${k.join(" ")}"><title>${u}: ${g} requests, p50 ${t(v(S(c,.5)))}, p95 ${t(v(S(c,.95)))}</title></polyline>`}y+=`<text x="${$.left+E}" y="${j-8}" text-anchor="end" class="small">latency (log scale)</text>`,y+=H(["canary","production"].filter(u=>a[u].length>0).map(u=>[`${u} (${a[u].length})`,_[u]])),e.push(`${L(s,h)}${y}</svg></figure>`)}return e.join(`
`)}function st(o,r,e,n){let a=`differences-by-${r}`;if(e.length===0)return O(a,o,"no differences");let i=new Map;for(let{d:c}of e)i.set(n(c),[...i.get(n(c))??[],c]);let s=new Map([...i].map(([c,g])=>[c,V(g)])),h=c=>I.reduce((g,k)=>g+c[k],0),l=[...s.entries()].sort((c,g)=>h(g[1])-h(c[1])||c[0].localeCompare(g[0])).slice(0,10),m=Math.max(...l.map(([,c])=>h(c))),d=110,f=A-d-$.right,p=w/l.length,x=Math.min(18,p*.7),y="";for(let c of at(m)){let g=d+c/m*f;g>d+f+1||(y+=`<line x1="${g}" x2="${g}" y1="${$.top}" y2="${$.top+w}" class="grid"/><text x="${g}" y="${$.top+w+14}" text-anchor="middle" class="small">${c}</text>`)}l.forEach(([c,g],k)=>{let M=$.top+k*p+(p-x)/2;y+=`<text x="${d-6}" y="${M+x/2+4}" text-anchor="end" class="small">${t(c.length>16?c.slice(0,15)+"\u2026":c)}</text>`;let R=d;for(let b of I){if(!g[b])continue;let G=g[b]/m*f;y+=`<rect class="bar" data-category="${t(c)}" data-attribution="${b}" data-count="${g[b]}" x="${R.toFixed(1)}" y="${M.toFixed(1)}" width="${G.toFixed(1)}" height="${x.toFixed(1)}" fill="${_[b]}"><title>${t(c)}: ${g[b]} ${b}</title></rect>`,R+=G}});let u=I.filter(c=>l.some(([,g])=>g[c]>0));return y+=H(u.map(c=>[c,_[c]])),`${L(a,o)}${y}</svg></figure>`}function bt(o){let r="errors-over-time",e="Errors over the replay",n=o.flatMap(f=>f.requests);if(n.length===0)return O(r,e,"no requests recorded");let a=Math.max(1,...n.map(f=>f.scheduled_at_ms))+1,i=Array.from({length:D},()=>({canary:0,production:0,requests:0}));for(let f of n){let p=i[Math.min(D-1,Math.floor(f.scheduled_at_ms/a*D))];p.requests++,f.error&&p[f.side]++}if(i.reduce((f,p)=>f+p.canary+p.production,0)===0)return O(r,e,`no errors in ${n.length} requests`);let h=Math.max(...i.map(f=>f.canary+f.production)),l=E/D,m=f=>$.top+w-f/h*w,d="";for(let f of at(h))f>h||(d+=`<line x1="${$.left}" x2="${$.left+E}" y1="${m(f)}" y2="${m(f)}" class="grid"/><text x="${$.left-4}" y="${m(f)+4}" text-anchor="end" class="small">${f}</text>`);i.forEach((f,p)=>{let x=$.left+p*l+1,y=Math.round(p*a/D),u=0;for(let c of["production","canary"])f[c]&&(d+=`<rect class="bar" data-side="${c}" data-bin="${p}" data-count="${f[c]}" x="${x.toFixed(1)}" y="${m(u+f[c]).toFixed(1)}" width="${(l-2).toFixed(1)}" height="${(f[c]/h*w).toFixed(1)}" fill="${_[c]}"><title>${t(v(y))}: ${f[c]} ${c} errors of ${f.requests} requests</title></rect>`,u+=f[c])});for(let f of[0,.5,1])d+=`<text x="${$.left+f*E}" y="${$.top+w+14}" text-anchor="middle" class="small">${t(v(f*a))}</text>`;return d+=H([["canary",_.canary],["production",_.production]]),d+=`<text x="${$.left+E}" y="${j-8}" text-anchor="end" class="small">scheduled time in the replay</text>`,`${L(r,e)}${d}</svg></figure>`}function wt(o){let r=ct(o);if(r.size===0)return"";let e=[];for(let[n,a]of r)for(let i of["canary","production"]){let s=B(a[i]);if(s.length===0)continue;let h=l=>t(v(S(s,l)));e.push(`<tr><td>${t(n)}</td><td>${i}</td><td>${s.length}</td><td>${h(.5)}</td><td>${h(.95)}</td><td>${h(.99)}</td><td>${h(1)}</td></tr>`)}return`<section id="latency"><h2>Latency (successful first reads)</h2>
<table id="latency-table"><thead><tr><th>operation</th><th>side</th><th>requests</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead>
<tbody>${e.join(`
`)}</tbody></table></section>`}function vt(o){return[...new Set(o)].sort().map(r=>`<option value="${t(r)}">${t(r)}</option>`).join("")}function N(o){if(o==null)return"";let r=typeof o=="string"?o:JSON.stringify(o);return r.length>200?r.slice(0,199)+"\u2026":r}function kt(o){if(o.length===0)return'<section id="differences"><h2>Differences</h2><p>No differences.</p></section>';let r=s=>I.indexOf(s.attribution)*3+["removed","changed","added"].indexOf(s.change),e=[...o].sort((s,h)=>r(s.d)-r(h.d)),n=e.slice(0,ft),a=n.map(({digest:s,repository:h,d:l})=>{let m=l.ecosystem??"";return`<tr data-attribution="${t(l.attribution)}" data-kind="${t(l.kind)}" data-ecosystem="${t(m)}" data-change="${t(l.change)}"><td title="${t(s)}"><code>${t(z(s))}</code>${t(C(h))}</td><td>${t(l.report)}</td><td>${t(l.kind)}</td><td>${t(l.change)}</td><td>${t(l.key)}</td><td>${t(m||l.updater||"")}</td><td class="attr-${t(l.attribution)}">${t(l.attribution)}</td><td>${t(l.why??"")}</td><td><code>${t(N(l.before))}</code></td><td><code>${t(N(l.after))}</code></td></tr>`}).join(`
`),i=(s,h)=>`<label>${s} <select data-filter="${s}"><option value="">all</option>${vt(h)}</select></label>`;return`<section id="differences"><details id="all-differences"><summary><h2>Every difference, filterable (${e.length})</h2></summary>
<form class="filters" onsubmit="return false">
${i("attribution",n.map(s=>s.d.attribution))}
${i("kind",n.map(s=>s.d.kind))}
${i("ecosystem",n.map(s=>s.d.ecosystem??""))}
${i("change",n.map(s=>s.d.change))}
<label>text <input type="search" data-filter="text" placeholder="package, digest, why\u2026"></label>
<span><b id="shown">${n.length}</b> of ${n.length} shown</span>
</form>
${e.length>n.length?`<p class="muted">The first ${n.length} of ${e.length} differences (code first); diffs.jsonl in the artifact has every one.</p>`:""}
<table id="differences-table"><thead><tr><th>manifest</th><th>report</th><th>kind</th><th>change</th><th>key</th><th>ecosystem / updater</th><th>attribution</th><th>why</th><th>production</th><th>canary</th></tr></thead>
<tbody>
${a}
</tbody></table></details></section>`}function Mt(o){let r=new Map;for(let n of o)for(let a of n.requests){if(!a.error)continue;let i=`${a.side} ${a.op} ${a.error}`,s=r.get(i);s?s.count++:r.set(i,{side:a.side,op:a.op,error:a.error,count:1,example:`${n.digest}${C(n.repository)}: ${a.status===null?"no response":`HTTP ${a.status}`}${a.message?`, ${a.message}`:""}`})}return r.size===0?'<section id="errors"><h2>Errors</h2><p>No request errors.</p></section>':`<section id="errors"><h2>Errors</h2>
<table id="errors-table"><thead><tr><th>side</th><th>operation</th><th>class</th><th>requests</th><th>example</th></tr></thead>
<tbody>${[...r.values()].sort((n,a)=>a.count-n.count).map(n=>`<tr><td>${n.side}</td><td>${t(n.op)}</td><td>${t(n.error)}</td><td>${n.count}</td><td>${t(n.example)}</td></tr>`).join(`
`)}</tbody></table></section>`}var Rt=`
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
`,It=`
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
`;export{ft as MAX_TABLE_ROWS,qt as renderHtmlReport};
//# sourceMappingURL=html-JRX6CMQT.js.map
