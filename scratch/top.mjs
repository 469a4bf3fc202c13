import fs from 'node:fs';
const f = process.argv[2];
const p = JSON.parse(fs.readFileSync(f));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; const total = dt.reduce((a,b)=>a+b,0);
p.samples.forEach((id,i)=>{ self.set(id,(self.get(id)??0)+dt[i]); });
// self time by function
const agg = new Map();
for (const [id,t] of self) { const n=byId.get(id); const k=`${n.callFrame.functionName||'(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; agg.set(k,(agg.get(k)??0)+t); }
console.log('total ms', total/1000);
[...agg].sort((a,b)=>b[1]-a[1]).slice(0,Number(process.argv[3]??30)).forEach(([k,t])=>console.log((t/1000).toFixed(0).padStart(6),k));
// inclusive for names matching
const parent = new Map(); for (const n of p.nodes) for (const c of n.children??[]) parent.set(c,n.id);
const pat = process.argv[4];
if (pat) { const inc=new Map(); for (const [id,t] of self){ let cur=id; const seen=new Set(); while(cur!==undefined){ const n=byId.get(cur); const k=`${n.callFrame.functionName} ${n.callFrame.url.split('/').slice(-1)}:${n.callFrame.lineNumber}`; if(new RegExp(pat).test(k)&&!seen.has(k)){seen.add(k);inc.set(k,(inc.get(k)??0)+t);} cur=parent.get(cur);} }
 console.log('--- inclusive'); [...inc].sort((a,b)=>b[1]-a[1]).slice(0,30).forEach(([k,t])=>console.log((t/1000).toFixed(0).padStart(6),k)); }
