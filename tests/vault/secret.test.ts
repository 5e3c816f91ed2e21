import { inspect } from 'node:util';
import { maskSecret } from '@api/vault/mask';
import { Secret } from '@api/vault/secret';
import { scrubSecrets } from '@api/vault/live-secrets';

describe('maskSecret', () => {
  it.each([
    ['sk-abcdefghijklmnop', 'sk-a***********mnop'],
    ['123456789012', '1234****9012'],
    ['12345678901', '********'],
    ['short', '********'],
    ['', '********'],
  ])('masks %j as %j', (value, masked) => {
    expect(maskSecret(value)).toBe(masked);
  });
});

describe('Secret', () => {
  const value = 'sk-live-0123456789abcdef';
  const secret = new Secret(value);

  it('prints a mask through String, template literals, JSON and util.inspect', () => {
    expect(String(secret)).toBe('sk-l****************cdef');
    expect(`${secret}`).not.toContain(value);
    expect(JSON.stringify({ secret })).toBe('{"secret":"sk-l****************cdef"}');
    expect(inspect({ nested: { secret } }, { depth: 5 })).not.toContain(value);
    expect(inspect(secret)).toBe('Secret(sk-l****************cdef)');
  });

  it('gives the plaintext only through reveal()', () => {
    expect(secret.reveal()).toBe(value);
    expect(Object.keys(secret)).not.toContain('value');
  });

  it('is known to the scrubber once created, also in JSON-escaped form', () => {
    const tricky = new Secret('abc"def\\ghi-jkl-123');
    expect(scrubSecrets(`upstream said: bad key ${value}`)).toBe('upstream said: bad key sk-l****************cdef');
    expect(scrubSecrets(JSON.stringify({ msg: tricky.reveal() }))).not.toContain('ghi-jkl');
  });
});
