import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerKeysCommands } from '../../cli/commands/keys.ts';
import { parseApiKey } from '../../server/auth/api-key.ts';
import { createFileApiKeyStore } from '../../server/auth/file-api-key-store.ts';
import { verifyApiKey } from '../../server/auth/verify-api-key.ts';

const folders: string[] = [];

afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function setup() {
  const folder = await mkdtemp(join(tmpdir(), 'signet-cli-keys-'));
  folders.push(folder);
  const file = join(folder, '.signet', 'keys.json');
  const out: string[] = [];
  const err: string[] = [];
  const run = async (...args: string[]) => {
    const program = new Command('signet')
      .exitOverride()
      .configureOutput({ writeErr: (s) => err.push(s), writeOut: (s) => out.push(s) });
    registerKeysCommands(program, {
      io: { out: (line) => out.push(line), err: (line) => err.push(line) },
      defaultFile: file,
      now: () => new Date('2026-11-01T12:00:00.000Z'),
    });
    await program.parseAsync(['node', 'signet', 'keys', ...args]);
  };
  return { file, out, err, run };
}

describe('signet keys', () => {
  it('creates a key, prints it once on stdout, and stores only its hash with mode 0600', async () => {
    const { file, out, err, run } = await setup();
    await run('create', '--name', 'ci', '--scopes', 'execute,admin');
    expect(out).toHaveLength(1);
    const key = out[0] as string;
    const parsed = parseApiKey(key);
    expect(parsed).toBeDefined();
    expect(err.join('\n')).toContain('cannot be shown again');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(parsed?.secret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const verdict = await verifyApiKey(createFileApiKeyStore({ path: file }), key);
    expect(verdict).toEqual({
      ok: true,
      identity: { prefix: parsed?.prefix, name: 'ci', scopes: ['execute', 'admin'] },
    });
  });

  it('lists keys without secrets and revokes them by prefix', async () => {
    const { file, out, run } = await setup();
    await run('create', '--name', 'reader');
    const key = out.pop() as string;
    const prefix = parseApiKey(key)?.prefix as string;
    await run('list');
    expect(out.join('\n')).toMatch(
      new RegExp(`${prefix}\\s+reader\\s+execute\\s+2026-11-01T12:00:00.000Z\\s+active`),
    );
    await run('revoke', prefix);
    expect(out.at(-1)).toBe(`revoked key ${prefix}`);
    await run('list', '--json');
    const listed = JSON.parse(out.at(-1) as string);
    expect(listed).toEqual([
      {
        prefix,
        name: 'reader',
        scopes: ['execute'],
        createdAt: '2026-11-01T12:00:00.000Z',
        revokedAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain('secretHash');
    expect((await verifyApiKey(createFileApiKeyStore({ path: file }), key)).ok).toBe(false);
  });

  it('refuses unknown scopes, an empty name, and revoking a prefix that does not exist', async () => {
    const { run } = await setup();
    await expect(run('create', '--name', 'x', '--scopes', 'root')).rejects.toBeInstanceOf(CommanderError);
    await expect(run('create', '--name', '  ')).rejects.toBeInstanceOf(CommanderError);
    await expect(run('create')).rejects.toBeInstanceOf(CommanderError);
    await expect(run('revoke', 'abcdefabcdef')).rejects.toMatchObject({ exitCode: 1 });
  });

  it('uses --file over the default location', async () => {
    const { file, out, run } = await setup();
    const other = join(file, '..', 'other.json');
    await run('--file', other, 'create', '--name', 'elsewhere');
    expect(out).toHaveLength(1);
    expect((await createFileApiKeyStore({ path: other }).list()).map((r) => r.name)).toEqual(['elsewhere']);
    await expect(stat(file)).rejects.toThrow();
  });
});
