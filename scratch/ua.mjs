import usearch from 'usearch';
const D=384, N=20000;
const m = new Float32Array(N*D); for (let i=0;i<m.length;i++) m[i]=Math.random()-0.5;
for (const [label, chunk, threads] of [['one-by-one t1',1,1],['chunk32 t0',32,0],['chunk32 t2',32,2],['all t0',N,0]]) {
  const idx = new usearch.Index({dimensions:D, metric:usearch.MetricKind.Cos, quantization:usearch.ScalarKind.F32, connectivity:16, expansion_add:128, expansion_search:128, multi:false});
  const t=performance.now();
  for (let s=0;s<N;s+=chunk){ const keys=new BigUint64Array(Math.min(chunk,N-s)); for(let j=0;j<keys.length;j++) keys[j]=BigInt(s+j+1); idx.add(keys, m.subarray(s*D,(s+keys.length)*D), threads); }
  console.log(label, ((performance.now()-t)/N*1000).toFixed(0),'µs/vector');
}
