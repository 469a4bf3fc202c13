import { describe, expect, it } from 'vitest';
import { createSignatureRegistry, defineSignature, type Signature, SignetError } from '../../src/index.ts';

function sig(name: string, version: string): Signature {
  return defineSignature({
    name,
    version,
    description: `${name} ${version}`,
    signature: 'question:string -> answer:string',
  });
}

function registry() {
  return createSignatureRegistry([
    sig('summarize', '1.0.0'),
    sig('summarize', '1.2.0'),
    sig('summarize', '2.0.0-beta.1'),
    sig('summarize', '2.1.0'),
    sig('translate', '1.0.0'),
  ]);
}

function notFound(fn: () => unknown): SignetError {
  try {
    fn();
  } catch (error) {
    if (SignetError.is(error) && error.code === 'SIGNET_SIGNATURE_NOT_FOUND') return error;
    throw error;
  }
  throw new Error('expected SIGNET_SIGNATURE_NOT_FOUND');
}

describe('signature registry', () => {
  it('returns the latest version for a bare name', () => {
    expect(registry().get('summarize').version).toBe('2.1.0');
  });

  it('resolves exact versions and semver ranges to the highest match', () => {
    const r = registry();
    expect(r.get('summarize@1.0.0').version).toBe('1.0.0');
    expect(r.get('summarize@^1').version).toBe('1.2.0');
    expect(r.get('summarize@~1.0').version).toBe('1.0.0');
    expect(r.get('summarize@>=2').version).toBe('2.1.0');
    expect(r.versions('summarize')).toEqual(['2.1.0', '2.0.0-beta.1', '1.2.0', '1.0.0']);
  });

  it('rejects a duplicate name and version at start-up', () => {
    expect(() => createSignatureRegistry([sig('a', '1.0.0'), sig('a', '1.0.0')])).toThrow(
      expect.objectContaining({ code: 'SIGNET_SIGNATURE_DUPLICATE' }),
    );
  });

  it('suggests the closest names for an unknown name', () => {
    const error = notFound(() => registry().get('sumarize'));
    expect(error.message).toContain('Did you mean "summarize"?');
    expect(error.details).toMatchObject({ suggestions: ['summarize'] });
    expect(error.statusCode).toBe(404);
  });

  it('lists available versions when no version matches, and explains a bad range', () => {
    expect(notFound(() => registry().get('translate@^2')).message).toContain('available: 1.0.0');
    expect(notFound(() => registry().get('translate@banana')).message).toContain(
      'not a version or semver range',
    );
    expect(registry().has('translate@1')).toBe(true);
    expect(registry().has('translate@3')).toBe(false);
  });

  it('lists one summary per name with metadata', () => {
    const list = registry().list();
    expect(list.map((s) => s.name)).toEqual(['summarize', 'translate']);
    expect(list[0]).toMatchObject({
      version: '2.1.0',
      versions: ['2.1.0', '2.0.0-beta.1', '1.2.0', '1.0.0'],
      description: 'summarize 2.1.0',
      inputs: ['question'],
      outputs: ['answer'],
    });
    expect(list[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps registries independent of each other', () => {
    const a = createSignatureRegistry();
    const b = createSignatureRegistry();
    a.register(sig('only-in-a', '1.0.0'));
    expect(a.size).toBe(1);
    expect(b.size).toBe(0);
  });
});
