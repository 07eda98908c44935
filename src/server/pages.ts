/**
 * The two pages and their assets, all served by the tool (nothing is fetched from outside: the
 * office network may have no Internet). Plain HTML, one stylesheet, one small script per page
 * (ES2017, no framework: current Chromium-based browsers and Firefox). Every word comes from the
 * message catalogues, handed to the script in a JSON block.
 */
import type { Campaign, Department } from '../campaign/schema.js';
import { t, type MessageCode } from '../messages/index.js';
import { formatBeijing } from '../status/time.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The words the scripts need, by code. */
const SCRIPT_TEXT: MessageCode[] = [
  'serve/left', 'serve/over', 'serve/uploading', 'serve/checking', 'serve/accepted', 'serve/rejected', 'serve/receipt',
  'serve/material-stored', 'serve/summary-stored', 'serve/version-summary', 'serve/figures', 'serve/figure-empty', 'serve/no-versions', 'serve/failed', 'serve/network',
  'serve/version-accepted', 'serve/version-superseded', 'serve/version-rejected', 'serve/version-material', 'serve/download',
  'serve/running', 'serve/run-done', 'serve/run-failed', 'serve/updated', 'serve/copy', 'serve/findings-of', 'serve/warnings-only', 'serve/span',
];

function shell(title: string, body: string, data: unknown, script: string): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escape(title)}</title><link rel="stylesheet" href="/assets/app.css"></head>
<body>${body}<script type="application/json" id="data">${json}</script><script src="/assets/${script}"></script></body></html>`;
}

function words() {
  return Object.fromEntries(SCRIPT_TEXT.map((c) => [c, t(c)]));
}

export function departmentPage(campaign: Campaign, d: Department, page: { base: string; csrf: string; contact?: string | undefined }): string {
  const indicators = campaign.indicators.map((i) => ({ id: i.id, label: i.label, unit: i.unit }));
  const body = `<main>
<header><h1>${escape(d.name)}</h1><p class="campaign">${escape(campaign.title)}</p>
<p><strong>${escape(t('serve/deadline', { deadline: formatBeijing(campaign.deadline) }))}</strong> <span id="left"></span></p>
<p>${escape(t('serve/contact', { issuer: campaign.issuer, contact: page.contact ? `（${page.contact}）` : '' }))}</p></header>
<section><h2>${escape(t('serve/steps'))}</h2><ol>
<li>${escape(t('serve/step-fill'))} <a id="fill-in" href="${escape(page.base)}/fill-in.xlsx">${escape(t('serve/download-fill-in'))}</a></li>
<li>${escape(t('serve/step-materials'))}</li>
<li>${escape(t('serve/step-upload'))}</li></ol></section>
<section><h2>${escape(t('serve/upload-submission'))}</h2>
<input type="file" id="submission" accept=".xlsx,.xlsm,.yaml,.yml"> <button id="send-submission">${escape(t('serve/send'))}</button>
<progress id="progress-submission" max="100" value="0" hidden></progress><p id="say-submission" role="status"></p>
<pre id="findings" hidden></pre><div id="figures"></div></section>
<section><h2>${escape(t('serve/upload-materials'))}</h2>
<input type="file" id="material" multiple accept=".docx,image/*,video/*"> <button id="send-material">${escape(t('serve/send'))}</button>
<progress id="progress-material" max="100" value="0" hidden></progress><p id="say-material" role="status"></p></section>
<section><h2>${escape(t('serve/versions'))}</h2><div id="versions"></div></section>
</main>`;
  return shell(`${d.name} — ${campaign.title}`, body, { base: page.base, csrf: page.csrf, deadline: campaign.deadline, indicators, text: words() }, 'department.js');
}

export function bureauPage(campaign: Campaign, page: { base: string; csrf: string }): string {
  const body = `<main class="wide">
<header><h1>${escape(t('serve/bureau-title'))}</h1><p class="campaign">${escape(campaign.title)}</p>
<p><strong>${escape(t('serve/deadline', { deadline: formatBeijing(campaign.deadline) }))}</strong> <span id="left"></span> <span id="updated" class="dim"></span></p>
<p id="counts"></p></header>
<section><button id="run-merge">${escape(t('serve/run-merge'))}</button> <button id="run-pack">${escape(t('serve/run-pack'))}</button>
<p id="run-say" role="status"></p><pre id="run-output" hidden></pre><p id="run-downloads"></p></section>
<section><table id="board"><thead><tr><th>${escape(t('serve/col-department'))}</th><th>${escape(t('serve/col-state'))}</th><th>${escape(t('serve/col-when'))}</th><th>${escape(t('serve/col-contact'))}</th><th>${escape(t('serve/col-files'))}</th></tr></thead><tbody></tbody></table></section>
<section id="unknown-section" hidden><h2>${escape(t('serve/unknown-files'))}</h2><ul id="unknown"></ul></section>
<section><h2>${escape(t('serve/details'))}</h2><div id="details"></div></section>
</main>`;
  return shell(t('serve/bureau-title'), body, { base: page.base, csrf: page.csrf, deadline: campaign.deadline, text: words() }, 'bureau.js');
}

export function messagePage(text: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(text)}</title><link rel="stylesheet" href="/assets/app.css"></head><body><main><p class="notice">${escape(text)}</p></main></body></html>`;
}

const CSS = `body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f4f5f7;color:#222;line-height:1.6}
main{max-width:860px;margin:0 auto;padding:16px 20px 40px;background:#fff;min-height:100vh}main.wide{max-width:1200px}
h1{font-size:24px;margin:8px 0 0}h2{font-size:18px;border-left:4px solid #b22;padding-left:8px;margin-top:28px}
.campaign{color:#555;margin:0}.dim{color:#888;font-size:13px}.notice{font-size:18px;padding:40px 0}
section{margin-bottom:12px}button{font-size:15px;padding:6px 16px;margin:4px 0;cursor:pointer}
progress{width:100%;height:18px}pre{background:#fff6f6;border:1px solid #e3b4b4;padding:10px;white-space:pre-wrap;word-break:break-all;font-size:14px}
pre.ok{background:#f3fbf3;border-color:#9c9}.ok{color:#17702b;font-weight:bold}.bad{color:#b22;font-weight:bold}.warn{color:#a66000}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#eef}
tr.submitted td:nth-child(2){color:#17702b}tr.late td:nth-child(2){color:#a66000}tr.invalid td:nth-child(2),tr.duplicate td:nth-child(2),tr.missing td:nth-child(2){color:#b22}
details{margin:6px 0;border:1px solid #ddd;padding:4px 8px}summary{cursor:pointer;font-weight:bold}textarea{width:100%;height:9em;font-size:13px}
.receipt{background:#f3fbf3;border:1px solid #9c9;padding:8px;word-break:break-all}`;

/** Shared by both scripts: words, the countdown, and JSON requests that carry the page's CSRF token. */
const COMMON = `"use strict";
var DATA=JSON.parse(document.getElementById("data").textContent);
function say(code,params){var s=DATA.text[code]||code;for(var k in params)s=s.split("{"+k+"}").join(String(params[k]));return s}
function el(tag,attrs,kids){var e=document.createElement(tag);for(var k in attrs||{})if(k==="text")e.textContent=attrs[k];else e.setAttribute(k,attrs[k]);(kids||[]).forEach(function(c){e.appendChild(typeof c==="string"?document.createTextNode(c):c)});return e}
function span(ms){var m=Math.floor(Math.abs(ms)/60000);return say("serve/span",{days:Math.floor(m/1440),hours:Math.floor(m%1440/60),minutes:m%60})}
function tick(){var ms=new Date(DATA.deadline).getTime()-Date.now();var e=document.getElementById("left");e.textContent=ms>=0?say("serve/left",{remaining:span(ms)}):say("serve/over",{remaining:span(ms)});e.className=ms>=0?"":"bad"}
tick();setInterval(tick,30000);
function getJson(path,done){var x=new XMLHttpRequest();x.open("GET",DATA.base+path);x.responseType="json";x.onload=function(){if(x.status===200)done(x.response)};x.send()}
function post(path,form,onProgress,done){var x=new XMLHttpRequest();x.open("POST",DATA.base+path);x.responseType="json";x.setRequestHeader("X-Report-CSRF",DATA.csrf);
if(onProgress)x.upload.onprogress=function(e){if(e.lengthComputable)onProgress(Math.floor(e.loaded*100/e.total))};
x.onload=function(){done(x.status,x.response||{})};x.onerror=function(){done(0,{error:say("serve/network")})};x.send(form)}
`;

const DEPARTMENT_JS = `${COMMON}
var stateWord={accepted:"serve/version-accepted",superseded:"serve/version-superseded",rejected:"serve/version-rejected",material:"serve/version-material"};
function showVersions(list){var box=document.getElementById("versions");box.textContent="";if(!list.length){box.appendChild(el("p",{text:say("serve/no-versions")}));return}
var t=el("table");list.slice().reverse().forEach(function(v){t.appendChild(el("tr",{"class":v.state},[el("td",{text:v.at}),el("td",{},[el("a",{href:DATA.base+"/file/"+v.seq,text:v.name})]),el("td",{text:v.sizeShown}),el("td",{text:say(v.kind==="summary"?"serve/version-summary":stateWord[v.state])+(v.published&&v.state==="material"?"："+v.published:"")}),el("td",{"class":"dim",text:"SHA-256 "+v.sha256})]))});box.appendChild(t)}
function refresh(){getJson("/state",function(s){showVersions(s.versions)})}
function showFigures(v){var box=document.getElementById("figures");box.textContent="";if(!v.figures)return;box.appendChild(el("h3",{text:say("serve/figures")}));var t=el("table");
DATA.indicators.forEach(function(i){if(!(i.id in v.figures))return;var x=v.figures[i.id];t.appendChild(el("tr",{},[el("td",{text:i.label+"（"+i.unit+"）"}),el("td",{text:x===null?say("serve/figure-empty"):String(x)})]))});box.appendChild(t)}
function send(which){var input=document.getElementById(which),files=[].slice.call(input.files);if(!files.length)return;var bar=document.getElementById("progress-"+which),out=document.getElementById("say-"+which);
var pre=document.getElementById("findings");if(which==="submission"){pre.hidden=true;document.getElementById("figures").textContent=""}out.textContent="";
(function next(){var f=files.shift();if(!f){input.value="";refresh();return}var form=new FormData();form.append("file",f,f.name);bar.hidden=false;bar.value=0;var line=el("p");out.appendChild(line);
post("/upload",form,function(p){bar.value=p;line.textContent=p<100?say("serve/uploading",{name:f.name,percent:p}):say("serve/checking")},function(status,r){bar.hidden=true;out.removeChild(line);
if(status!==200){out.appendChild(el("p",{"class":"bad",text:say("serve/failed",{reason:r.error||status})}));return next()}
var v=r.version;if(v.kind!=="submission"){out.appendChild(el("p",{"class":"ok",text:say(v.kind==="summary"?"serve/summary-stored":"serve/material-stored",{name:v.name,path:v.published})}));return next()}
if(v.state==="rejected"){var n=v.diagnostics.filter(function(d){return d.severity==="error"}).length;out.appendChild(el("p",{"class":"bad",text:say("serve/rejected",{count:n})}));pre.className="";pre.textContent=r.findings;pre.hidden=false}
else{out.appendChild(el("p",{"class":"ok",text:say("serve/accepted")}));out.appendChild(el("p",{"class":"receipt",id:"receipt",text:say("serve/receipt",{time:v.at,name:v.name,size:v.sizeShown,sha256:v.sha256})}));
if(r.findings){pre.className="ok";pre.textContent=say("serve/warnings-only")+"\\n"+r.findings;pre.hidden=false}}
showFigures(v);next()})})()}
document.getElementById("send-submission").onclick=function(){send("submission")};
document.getElementById("send-material").onclick=function(){send("material")};
refresh();
`;

const BUREAU_JS = `${COMMON}
function refresh(){getJson("/state",function(s){var body=document.querySelector("#board tbody");body.textContent="";
document.getElementById("counts").textContent=Object.keys(s.counts).map(function(k){return k+" "+s.counts[k]}).join("　");
s.departments.forEach(function(d){body.appendChild(el("tr",{"class":d.state,id:"row-"+d.id},[el("td",{text:d.name}),el("td",{text:d.stateLabel+(d.errorCount?"（"+d.errorCount+"）":"")}),el("td",{text:d.submittedAt}),el("td",{text:d.contact}),el("td",{text:d.files.join("、")})]))});
var box=document.getElementById("details"),open={};[].forEach.call(box.querySelectorAll("details[open]"),function(e){open[e.id]=true});box.textContent="";
s.departments.forEach(function(d){var kids=[el("summary",{text:d.name+" — "+d.stateLabel})];
if(d.reminder){var ta=el("textarea",{readonly:"readonly"});ta.value=d.reminder;var b=el("button",{text:say("serve/copy")});b.onclick=function(){ta.select();document.execCommand("copy")};kids.push(ta,b)}
d.versions.slice().reverse().forEach(function(v){kids.push(el("p",{},[v.at+" ",el("a",{href:DATA.base+"/file/"+d.id+"/"+v.seq,text:v.name})," "+v.sizeShown+" "+say("serve/version-"+(v.kind==="summary"?"summary":v.state))]));if(v.findings)kids.push(el("pre",{text:v.findings}))});
var e=el("details",{id:"detail-"+d.id},kids);if(open[e.id])e.open=true;box.appendChild(e)});
var u=document.getElementById("unknown");u.textContent="";s.unknown.forEach(function(x){u.appendChild(el("li",{text:x}))});document.getElementById("unknown-section").hidden=!s.unknown.length;
document.getElementById("updated").textContent=say("serve/updated",{time:new Date().toLocaleTimeString("zh-CN")})})}
function run(what){var out=document.getElementById("run-say"),pre=document.getElementById("run-output"),links=document.getElementById("run-downloads");out.textContent=say("serve/running");pre.hidden=true;links.textContent="";
post("/run/"+what,null,null,function(status,r){if(status!==200){out.textContent=say("serve/failed",{reason:r.error||status});return}out.textContent=r.ok?say("serve/run-done"):say("serve/run-failed");out.className=r.ok?"ok":"bad";
pre.textContent=r.output;pre.hidden=false;(r.downloads||[]).forEach(function(f){links.appendChild(el("a",{href:DATA.base+"/"+f.url,text:say("serve/download")+" "+f.name}));links.appendChild(el("br"))})})}
document.getElementById("run-merge").onclick=function(){run("merge")};document.getElementById("run-pack").onclick=function(){run("pack")};
refresh();setInterval(refresh,10000);
`;

export const ASSETS: Record<string, { type: string; body: string }> = {
  'app.css': { type: 'text/css; charset=utf-8', body: CSS },
  'department.js': { type: 'text/javascript; charset=utf-8', body: DEPARTMENT_JS },
  'bureau.js': { type: 'text/javascript; charset=utf-8', body: BUREAU_JS },
};
