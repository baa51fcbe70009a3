import { describe, expect, it } from 'vitest';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual, decrypt, encrypt, sha256Hex, signature } from '../src/lark/crypto.ts';

// Node computes the webhook's hash and AES with node:crypto, Workers with Web Crypto
// (docs/adr/0003). Both must agree with each other and with Lark's documented scheme.

const webSha256 = async (text: string) =>
  Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))).toString('hex');

describe('Lark crypto', () => {
  it('hashes like Web Crypto and signs timestamp + nonce + key + body', async () => {
    for (const text of ['', 'abc', '安全值守助手', 'x'.repeat(5000)]) expect(await sha256Hex(text)).toBe(await webSha256(text));
    expect(await signature('1700000000', 'n0nce', 'key', '{"a":1}')).toBe(await webSha256('1700000000n0nce' + 'key' + '{"a":1}'));
  });

  it('decrypts what Lark encrypts: AES-256-CBC, key = sha256(encryptKey), IV first', async () => {
    const key = 'lark-encrypt-key';
    const plain = JSON.stringify({ schema: '2.0', text: '储罐区静电接地断开' });
    const iv = randomBytes(16);
    const c = createCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
    const lark = Buffer.concat([iv, c.update(plain, 'utf8'), c.final()]).toString('base64');
    expect(await decrypt(key, lark)).toBe(plain);
    // Our own encrypt (Web Crypto) round-trips through decrypt (node:crypto on Node).
    expect(await decrypt(key, await encrypt(key, plain))).toBe(plain);
  });

  it('refuses a wrong key and a truncated body', async () => {
    const sealed = await encrypt('right', 'hello');
    await expect(decrypt('wrong', sealed)).rejects.toThrow();
    await expect(decrypt('right', sealed.slice(0, 20))).rejects.toThrow();
  });

  it('compares in constant time without false matches', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });
});
