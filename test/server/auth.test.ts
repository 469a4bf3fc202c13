import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignetApp } from '../../server/app.ts';
import { generateApiKey, hashSecret, parseApiKey } from '../../server/auth/api-key.ts';
import { resolveAuthMode } from '../../server/auth/resolve-auth-mode.ts';
import { API_KEYS_NAMESPACE, createStoreApiKeyStore } from '../../server/auth/store-api-key-store.ts';
import { verifyApiKey } from '../../server/auth/verify-api-key.ts';
import { openSqliteStore } from '../../src/store/index.ts';
import { keysFor, testApp } from './helpers.ts';

let app: SignetApp | undefined;
const folders: string[] = [];

afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

const execute = { signature: 'answer-question', inputs: { question: 'Capital of France?' } };

describe('API key authentication', () => {
  it('answers the auth matrix: no key 401, wrong key 401, wrong scope 403, right key 200', async () => {
    const { store, keys } = await keysFor(
      { name: 'reader', scopes: ['execute'] },
      { name: 'admin', scopes: ['admin'] },
    );
    const server = await testApp({ auth: { mode: 'on', keys: store } });
    app = server;
    const post = (url: string, headers: Record<string, string>, payload: object = execute) =>
      server.inject({ method: 'POST', url, headers, payload });
    const register = { name: 'x-y', version: '1.0.0', signature: 'questionText:string -> replyText:string' };
    const reader = keys.reader as string;
    const wrong = `${reader.slice(0, -4)}AAAA`;

    const missing = await post('/api/v1/dspy/execute', {});
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="signet"');
    expect(missing.json().error.code).toBe('SIGNET_UNAUTHORIZED');
    expect((await post('/api/v1/dspy/execute', { authorization: `Bearer ${wrong}` })).statusCode).toBe(401);
    expect((await post('/api/v1/dspy/execute', { 'x-api-key': 'sk_signet_nope' })).statusCode).toBe(401);
    expect((await post('/api/v1/dspy/signatures', { 'x-api-key': reader }, register)).statusCode).toBe(403);
    expect((await post('/api/v1/dspy/execute', { authorization: `Bearer ${reader}` })).statusCode).toBe(200);
    expect((await post('/api/v1/dspy/execute', { 'x-api-key': reader })).statusCode).toBe(200);
    expect((await post('/api/v1/dspy/execute', { 'x-api-key': keys.admin as string })).statusCode).toBe(200);
    expect(
      (await post('/api/v1/dspy/signatures', { 'x-api-key': keys.admin as string }, register)).statusCode,
    ).toBe(201);
  });

  it('refuses a revoked key and keeps health, readiness and unknown routes answering', async () => {
    const { store, keys } = await keysFor({ name: 'old', scopes: ['execute'] });
    app = await testApp({ auth: { mode: 'on', keys: store } });
    const key = keys.old as string;
    await store.revoke(parseApiKey(key)?.prefix ?? '');
    const revoked = await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      headers: { 'x-api-key': key },
      payload: execute,
    });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.message).toContain('revoked');
    expect((await app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/ready' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/no-such-route' })).statusCode).toBe(401);
  });

  it('lets every request through when auth is off', async () => {
    app = await testApp({ auth: { mode: 'off' } });
    const response = await app.inject({ method: 'POST', url: '/api/v1/dspy/execute', payload: execute });
    expect(response.statusCode).toBe(200);
  });

  it('never writes keys or prompt text to the logs', async () => {
    const lines: string[] = [];
    const { store, keys } = await keysFor({ name: 'app', scopes: ['execute'] });
    app = await testApp({
      auth: { mode: 'on', keys: store },
      logger: { level: 'trace', stream: { write: (line) => lines.push(line) } },
    });
    const key = keys.app as string;
    await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      headers: { authorization: `Bearer ${key}` },
      payload: { signature: 'answer-question', inputs: { question: 'my secret diagnosis' } },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/dspy/execute',
      headers: { 'x-api-key': `${key}x` },
      payload: execute,
    });
    app.log.info(
      { req: { headers: { authorization: `Bearer ${key}` } }, inputs: { question: 'my secret diagnosis' } },
      'probe',
    );
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    expect(log).not.toContain(parseApiKey(key)?.secret ?? 'unreachable');
    expect(log).not.toContain('my secret diagnosis');
    expect(log).toContain('[redacted]');
  });
});

describe('API keys', () => {
  it('have the sk_signet_<prefix>_<secret> format with a 256-bit base64url secret', () => {
    const { key, prefix, secretHash } = generateApiKey();
    expect(key).toMatch(/^sk_signet_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseApiKey(key);
    expect(parsed?.prefix).toBe(prefix);
    expect(Buffer.from(parsed?.secret ?? '', 'base64url')).toHaveLength(32);
    expect(secretHash).toBe(hashSecret(parsed?.secret ?? ''));
    expect(generateApiKey().key).not.toBe(key);
  });

  it('are stored only as hashes in the store, and verified against it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'signet-keys-'));
    folders.push(folder);
    const sqlite = openSqliteStore({ dataDir: folder });
    const store = createStoreApiKeyStore(sqlite);
    const { key, prefix, secretHash } = generateApiKey();
    await store.add({
      prefix,
      name: 'ci',
      scopes: ['execute'],
      createdAt: '2026-01-01T00:00:00.000Z',
      secretHash,
    });
    const stored = await sqlite.get(API_KEYS_NAMESPACE, prefix);
    expect(stored?.value).not.toContain(parseApiKey(key)?.secret);
    expect(JSON.parse(stored?.value ?? '{}')).toMatchObject({ prefix, name: 'ci', secretHash });
    expect(await verifyApiKey(store, key)).toEqual({
      ok: true,
      identity: { prefix, name: 'ci', scopes: ['execute'] },
    });
    expect(await verifyApiKey(store, `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toEqual({
      ok: false,
      reason: 'unknown',
    });
    expect(await verifyApiKey(store, 'sk_signet_short')).toEqual({ ok: false, reason: 'malformed' });
    expect(await store.revoke(prefix)).toBe(true);
    expect(await verifyApiKey(store, key)).toEqual({ ok: false, reason: 'revoked' });
    expect(await store.revoke('000000000000')).toBe(false);
    await expect(store.add({ prefix, name: 'dup', scopes: [], createdAt: '', secretHash })).rejects.toThrow(
      /exists/,
    );
    await sqlite.close();
  });

  it('are seen by a running server as soon as another process adds them to the store', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'signet-keys-'));
    folders.push(folder);
    const serverSide = openSqliteStore({ dataDir: folder });
    const cliSide = openSqliteStore({ dataDir: folder });
    const server = createStoreApiKeyStore(serverSide);
    const { key, prefix, secretHash } = generateApiKey();
    expect(await server.list()).toEqual([]);
    await createStoreApiKeyStore(cliSide).add({
      prefix,
      name: 'late',
      scopes: ['admin'],
      createdAt: '2026-01-01T00:00:00.000Z',
      secretHash,
    });
    expect((await verifyApiKey(server, key)).ok).toBe(true);
    await serverSide.close();
    await cliSide.close();
  });
});

describe('resolveAuthMode', () => {
  it('is off on loopback hosts and on elsewhere, unless SIGNET_AUTH says otherwise', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3', '::ffff:127.0.0.1']) {
      expect(resolveAuthMode(host, {}).mode, host).toBe('off');
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'signet.example.com', '192.168.1.2']) {
      expect(resolveAuthMode(host, {}).mode, host).toBe('on');
    }
    expect(resolveAuthMode('0.0.0.0', { SIGNET_AUTH: 'off' })).toMatchObject({ mode: 'off' });
    expect(resolveAuthMode('127.0.0.1', { SIGNET_AUTH: 'on' })).toMatchObject({ mode: 'on' });
    expect(resolveAuthMode('0.0.0.0', {}).reason).toContain('SIGNET_AUTH=off');
    expect(() => resolveAuthMode('0.0.0.0', { SIGNET_AUTH: 'maybe' })).toThrow(/"on" or "off"/);
  });
});
