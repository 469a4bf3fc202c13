/**
 * Installs signet as a library user would and checks what they get: `tsx scripts/check-library-install.ts`.
 *
 * 1. Builds and `npm pack`s this checkout and installs the tarball into an empty project, without
 *    signet's optional peer dependencies (the local model stack, usearch, onnx-proto, the server's
 *    Fastify stack).
 * 2. Checks that install is at most 60 MB of node_modules (as `du` counts it) and holds none of them.
 * 3. Runs the README's example, and a cloud provider over a real socket (signet's own fake OpenAI
 *    upstream, streaming); a local model fails with SIGNET_DEPENDENCY_MISSING naming the line to run.
 * 4. Adds `@huggingface/transformers` (the line that error names) and runs a tiny generated ONNX model.
 *
 * Needs the npm registry (or npm's cache). Exits 1 on any failed check; `.ci/run` runs it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateTinyCausalLM } from '../src/testing/tiny-models/index.ts';

const LIMIT_BYTES = 60 * 1_000_000;
const OPTIONAL = [
  '@huggingface/transformers',
  'onnxruntime-node',
  'onnxruntime-web',
  'usearch',
  'onnx-proto',
  'fastify',
  'prom-client',
];
const repo = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'signet-library-'));
const project = join(work, 'project');
const env = {
  ...process.env,
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
};

const run = (command: string, args: string[], cwd: string): string =>
  execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

/** Bytes a folder takes on disk, as `du` counts them (allocated blocks), without following links. */
function diskBytes(path: string): number {
  const stat = lstatSync(path);
  let bytes = stat.blocks * 512;
  if (stat.isDirectory()) for (const entry of readdirSync(path)) bytes += diskBytes(join(path, entry));
  return bytes;
}
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

try {
  console.log('--- build, npm pack');
  run('npm', ['run', 'build'], repo);
  const tarball = join(
    work,
    run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], repo)
      .trim()
      .split('\n')
      .at(-1) as string,
  );
  execFileSync('mkdir', [project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'library-user', private: true, type: 'module' }),
  );
  console.log('--- npm install <tarball> (no optional peers)');
  run('npm', ['install', '--ignore-scripts', tarball], project);
  const modules = join(project, 'node_modules');
  const size = diskBytes(modules);
  check(size <= LIMIT_BYTES, `node_modules is ${mb(size)} (limit ${mb(LIMIT_BYTES)})`);
  for (const name of OPTIONAL) check(!existsSync(join(modules, name)), `${name} is not installed`);

  const model = await generateTinyCausalLM({ dir: join(work, 'tiny-lm') });
  writeFileSync(
    join(project, 'example.mjs'),
    `import { createCloudProvider, createOnnxEngine, defineSignature, predict } from 'signet';
import { createScriptedProvider, startFakeUpstream } from 'signet/testing';

const answer = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  signature: 'question:string "the question" -> answer:string, confidence:number(min 0, max 1)',
});
const scripted = createScriptedProvider({ replies: ['Answer: Paris\\nConfidence: 0.92'] });
const readme = await predict(answer).run({ question: 'Capital of France?' }, { ai: scripted });
console.log('readme', JSON.stringify(readme.outputs));

const upstream = await startFakeUpstream({ kind: 'openai', model: 'gpt-4o-mini' });
try {
  const ai = createCloudProvider({ kind: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-test', baseUrl: upstream.baseUrl });
  const cloud = await predict(answer).run({ question: 'Capital of France?' }, { ai });
  console.log('cloud', JSON.stringify(cloud.outputs), upstream.stats().chatRequests);
} finally {
  await upstream.close();
}

const engine = createOnnxEngine();
try {
  const local = await engine.generate({ model: ${JSON.stringify(model.dir)}, messages: [{ role: 'user', content: 'hi' }], maxTokens: 4 });
  console.log('local', local.usage.completionTokens);
} catch (error) {
  console.log('local-error', error.code, error.message);
} finally {
  await engine.dispose();
}
`,
  );
  // The README example's types, checked with this checkout's TypeScript against the installed package.
  writeFileSync(
    join(project, 'types.ts'),
    `import { defineSignature, predict } from 'signet';
import { createScriptedProvider } from 'signet/testing';

const answer = defineSignature({
  name: 'answer-question',
  version: '1.0.0',
  signature: 'question:string "the question" -> answer:string, confidence:number(min 0, max 1)',
});
const ai = createScriptedProvider({ replies: ['Answer: Paris\\nConfidence: 0.92'] });
const { outputs } = await predict(answer).run({ question: 'Capital of France?' }, { ai });
const confidence: number = outputs.confidence;
// @ts-expect-error the answer is a string, not a number
const wrong: number = outputs.answer;
export { confidence, wrong };
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'nodenext',
        target: 'es2022',
        skipLibCheck: true,
        typeRoots: [join(repo, 'node_modules/@types')],
        types: ['node'],
      },
      files: ['types.ts'],
    }),
  );
  console.log('--- tsc on the README example (output types inferred from the signature)');
  let typed = true;
  try {
    run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', project], project);
  } catch (error) {
    process.stdout.write(String((error as { stdout?: unknown }).stdout ?? error));
    typed = false;
  }
  check(typed, 'the README example type-checks, and a wrong output type is a compile error');

  console.log('--- the README example, a cloud provider, a local model (without the local stack)');
  const lean = run('node', ['example.mjs'], project);
  process.stdout.write(lean);
  check(lean.includes('readme {"answer":"Paris","confidence":0.92}'), 'the README example runs');
  check(/cloud \{"answer":"Paris","confidence":0\.9\} 1/.test(lean), 'a cloud provider runs over a socket');
  check(
    lean.includes('local-error SIGNET_DEPENDENCY_MISSING') &&
      lean.includes('npm install @huggingface/transformers'),
    'a local model says which package to install',
  );

  const cli = run(process.execPath, [join(modules, 'signet/bin/signet.js'), 'signatures', 'list'], project);
  check(cli.includes('answer-question'), 'the signet command runs from the installed package');

  console.log('--- npm install @huggingface/transformers (as that error says)');
  run('npm', ['install', '--ignore-scripts', '@huggingface/transformers'], project);
  console.log(`node_modules with the local stack: ${mb(diskBytes(modules))}`);
  const full = run('node', ['example.mjs'], project);
  process.stdout.write(full);
  check(/local [1-9]/.test(full), 'with it installed, a local ONNX model generates');
} finally {
  rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`${failures.length} check(s) failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('library install: all checks passed');
