import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { SignetError } from '../../src/index.ts';
import { createRouter } from '../../src/router/index.ts';
import { PARIS, resolverFor, scripted, testApp } from './helpers.ts';

let apps: SignetApp[] = [];

afterEach(async () => {
  for (const app of apps) await app.close();
  apps = [];
});

async function app(options: Parameters<typeof testApp>[0] = {}): Promise<SignetApp> {
  const built = await testApp(options);
  apps.push(built);
  return built;
}

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const hasPromtool = promtool.status === 0;
if (!hasPromtool) {
  console.warn('skipping the promtool check: promtool is not on PATH (install Debian package "prometheus")');
}

/** The value of one sample line, e.g. `name{a="b"} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const execute = { signature: 'answer-question', inputs: { question: 'Capital?' } };

describe('/metrics', () => {
  it.skipIf(!hasPromtool)('passes promtool check metrics, default process metrics included', async () => {
    const server = await app({ metrics: { defaultMetrics: true } });
    await server.inject({ method: 'POST', url: '/api/v1/dspy/execute', payload: execute });
    await server.inject({ url: '/nope' });
    const text = (await server.inject({ url: '/metrics' })).body;
    expect(text).toContain('process_cpu_user_seconds_total');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('counts requests by route template, executions by outcome, provider calls, tokens and overhead', async () => {
    const ai = scripted({
      rules: [{ when: /fail/, reply: { error: new SignetError('SIGNET_PROVIDER_ERROR', 'boom') } }],
      fallback: { content: PARIS, usage: { promptTokens: 10, completionTokens: 5 } },
    });
    const server = await app({ ai });
    await server.inject({ method: 'POST', url: '/api/v1/dspy/execute', payload: execute });
    await server.inject({ method: 'POST', url: '/api/v1/dspy/execute', payload: execute });
    await server.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      payload: { ...execute, inputs: { question: 'fail' } },
    });
    await server.inject({ url: '/api/v1/dspy/signatures/answer-question' });
    await server.inject({ url: '/unknown/path/with-free-text' });
    const text = (await server.inject({ url: '/metrics' })).body;
    expect(
      sample(
        text,
        'signet_http_request_duration_seconds_count{route="/api/v1/dspy/execute",method="POST",status_code="200"}',
      ),
    ).toBe(2);
    expect(
      sample(
        text,
        'signet_http_request_duration_seconds_count{route="/api/v1/dspy/signatures/:name",method="GET",status_code="200"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'signet_http_request_duration_seconds_count{route="unmatched",method="GET",status_code="404"}',
      ),
    ).toBe(1);
    expect(text).not.toContain('with-free-text');
    expect(
      sample(
        text,
        'signet_program_executions_total{signature="answer-question",program="predict",outcome="success"}',
      ),
    ).toBe(2);
    expect(
      sample(
        text,
        'signet_program_executions_total{signature="answer-question",program="predict",outcome="SIGNET_PROVIDER_ERROR"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'signet_provider_request_duration_seconds_count{provider="scripted",model="scripted-model",outcome="ok"}',
      ),
    ).toBe(2);
    expect(
      sample(
        text,
        'signet_provider_request_duration_seconds_count{provider="scripted",model="scripted-model",outcome="error"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'signet_provider_tokens_total{provider="scripted",model="scripted-model",type="input"}'),
    ).toBe(20);
    expect(
      sample(text, 'signet_provider_tokens_total{provider="scripted",model="scripted-model",type="output"}'),
    ).toBe(10);
    expect(sample(text, 'signet_gateway_overhead_seconds_count{route="/api/v1/dspy/execute"}')).toBe(3);
    expect(text).not.toMatch(/req_[0-9a-f]{24}/);
  });

  it('counts re-asks after invalid output as retries', async () => {
    const ai = scripted({ replies: ['Answer: Paris\nConfidence: 7', PARIS] });
    const server = await app({ ai });
    const response = await server.inject({ method: 'POST', url: '/api/v1/dspy/execute', payload: execute });
    expect(response.json().attempts).toBe(2);
    const text = (await server.inject({ url: '/metrics' })).body;
    expect(
      sample(text, 'signet_provider_retries_total{provider="scripted",model="scripted-model",kind="reask"}'),
    ).toBe(1);
  });

  it("counts a router's upstream retries and fallbacks from the run trace", async () => {
    const failing = scripted({
      fallback: { error: new SignetError('SIGNET_PROVIDER_ERROR', 'upstream 502') },
    });
    const router = createRouter({
      deployments: [
        {
          id: 'primary',
          ai: failing,
          policy: { retry: { maxRetries: 1, initialDelayMs: 1, jitter: 'none' } },
        },
        { id: 'backup', ai: scripted() },
      ],
    });
    const server = await app({
      providers: resolverFor({ provider: 'router', model: 'scripted-model', ai: router }),
    });
    const response = await server.inject({ method: 'POST', url: '/api/v1/dspy/execute', payload: execute });
    expect(response.statusCode).toBe(200);
    expect(failing.calls).toHaveLength(2);
    const text = (await server.inject({ url: '/metrics' })).body;
    expect(
      sample(text, 'signet_provider_retries_total{provider="router",model="scripted-model",kind="upstream"}'),
    ).toBe(1);
    expect(
      sample(text, 'signet_provider_fallbacks_total{from_deployment="primary",to_deployment="backup"}'),
    ).toBe(1);
  });

  it('keeps a registry per app, so two apps in one process never share or collide', async () => {
    const first = await app();
    const second = await app();
    await first.inject({ method: 'POST', url: '/api/v1/dspy/execute', payload: execute });
    const firstText = (await first.inject({ url: '/metrics' })).body;
    const secondText = (await second.inject({ url: '/metrics' })).body;
    expect(firstText).toContain('signet_program_executions_total{signature="answer-question"');
    expect(secondText).not.toContain('signet_program_executions_total{signature="answer-question"');
  });

  it('serves metrics on a separate port when asked, and not on the API port', async () => {
    const server = await app({ metrics: { separatePort: 0 } });
    await server.listen({ host: '127.0.0.1', port: 0 });
    expect((await server.inject({ url: '/metrics' })).statusCode).toBe(404);
    const address = server.signet.metricsAddress();
    expect(address?.port).toBeGreaterThan(0);
    const response = await fetch(`http://127.0.0.1:${address?.port}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('signet_build_info{version="0.1.0"} 1');
  });
});
