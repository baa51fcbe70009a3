// Lark's event crypto on Web Crypto, so one implementation serves Node and Workers.
const enc = new TextEncoder();
const dec = new TextDecoder();

const keyCache = new Map<string, Promise<CryptoKey>>();

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', enc.encode(text));
  return toHex(new Uint8Array(digest));
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** Lark: sha256(timestamp + nonce + encryptKey + rawBody), hex. */
export function signature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): Promise<string> {
  return sha256Hex(timestamp + nonce + encryptKey + rawBody);
}

/** Compares in time that depends only on the length, so a forger learns nothing from timing. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = enc.encode(a);
  const y = enc.encode(b);
  let diff = x.length ^ y.length;
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function aesKey(encryptKey: string): Promise<CryptoKey> {
  let key = keyCache.get(encryptKey);
  if (!key) {
    key = crypto.subtle
      .digest('SHA-256', enc.encode(encryptKey))
      .then((raw) => crypto.subtle.importKey('raw', raw, { name: 'AES-CBC' }, false, ['encrypt', 'decrypt']));
    keyCache.set(encryptKey, key);
  }
  return key;
}

/** AES-256-CBC, key = sha256(encryptKey), IV = the first 16 bytes of the decoded payload. */
export async function decrypt(encryptKey: string, base64: string): Promise<string> {
  const data = base64ToBytes(base64);
  if (data.length < 32 || data.length % 16 !== 0) throw new Error('ciphertext has a bad length');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-CBC', iv: data.slice(0, 16) },
    await aesKey(encryptKey),
    data.slice(16),
  );
  return dec.decode(plain);
}

/** The inverse of decrypt: what Lark (and our fake Lark, `say`, and the tests) send. */
export async function encrypt(encryptKey: string, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const cipher = await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, await aesKey(encryptKey), enc.encode(plain));
  const out = new Uint8Array(16 + cipher.byteLength);
  out.set(iv, 0);
  out.set(new Uint8Array(cipher), 16);
  return bytesToBase64(out);
}

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
