import { constantTimeEqual, decrypt, signature } from './crypto.ts';
import { envelopeSchema, HANDLED_EVENT_TYPES, toInboundEvent, type Envelope, type InboundEvent } from './events.ts';
import type { Logger } from '../log.ts';

export const MAX_BODY_BYTES = 256 * 1024;

export interface IngestSecrets {
  encryptKey: string;
  verificationToken: string;
}

export interface IngestDeps {
  secrets: IngestSecrets | undefined;
  maxAgeSeconds: number;
  /** Wall clock in ms, for the freshness check of signed timestamps. */
  now: () => number;
  /** Durably records the event (`envelope` is `payload` parsed); resolves false when the event id was already inboxed. */
  inboxEvent(eventId: string, eventType: string, payload: string, envelope?: Envelope): Promise<boolean>;
  /** Card callbacks are answered inline; the returned object is the callback's response body. */
  answerCard(event: Extract<InboundEvent, { kind: 'card' }>): Promise<unknown>;
  /**
   * A card callback holds the event loop's foreground from the moment it is known to be one until
   * it is answered, so background work (the inbox worker) gives way to it; returns the release.
   */
  holdForeground?(): () => void;
  log: Logger;
}

export interface IngestResult {
  status: 200 | 400 | 401 | 413 | 503;
  body: unknown;
}

const refuse = (status: IngestResult['status'], error: string): IngestResult => ({ status, body: { error } });

/**
 * The webhook, in this order (docs/architecture.md): refuse without secrets → size → url_verification
 * → signature (constant time) and token → freshness → decrypt → inbox → acknowledge.
 * Nothing is written before every check has passed, so a refusal changes nothing.
 */
export async function ingest(raw: string, headers: (name: string) => string | undefined, deps: IngestDeps): Promise<IngestResult> {
  const { secrets } = deps;
  if (!secrets) return refuse(503, 'lark secrets are not configured');
  if (new TextEncoder().encode(raw).length > MAX_BODY_BYTES) return refuse(413, 'body too large');

  let outer: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return refuse(400, 'body is not a JSON object');
    outer = parsed as Record<string, unknown>;
  } catch {
    return refuse(400, 'body is not JSON');
  }

  const ts = headers('x-lark-request-timestamp');
  const nonce = headers('x-lark-request-nonce');
  const sig = headers('x-lark-signature');
  const signed = ts !== undefined && nonce !== undefined && sig !== undefined;
  if (signed) {
    const expected = await signature(ts, nonce, secrets.encryptKey, raw);
    if (!constantTimeEqual(expected, sig.toLowerCase())) return refuse(401, 'bad signature');
    const ageMs = Math.abs(deps.now() - Number(ts) * 1000);
    if (!Number.isFinite(ageMs) || ageMs > deps.maxAgeSeconds * 1000) return refuse(401, 'stale timestamp');
  }

  let body = outer;
  // The envelope as text, stored as it came: re-serialising it would only cost time.
  let text = raw;
  if (typeof outer.encrypt === 'string') {
    try {
      text = await decrypt(secrets.encryptKey, outer.encrypt);
      const plain: unknown = JSON.parse(text);
      if (!plain || typeof plain !== 'object') return refuse(400, 'decrypted body is not a JSON object');
      body = plain as Record<string, unknown>;
    } catch {
      return refuse(400, 'cannot decrypt body');
    }
  }

  // Lark's URL check may come unsigned; its token is what proves it is ours.
  if (body.type === 'url_verification') {
    if (typeof body.token !== 'string' || !constantTimeEqual(body.token, secrets.verificationToken)) return refuse(401, 'bad token');
    return { status: 200, body: { challenge: body.challenge } };
  }
  if (!signed) return refuse(401, 'missing signature');

  const env = envelopeSchema.safeParse(body);
  if (!env.success) return refuse(400, 'not a Lark 2.0 event envelope');
  const token = env.data.header.token ?? '';
  if (!constantTimeEqual(token, secrets.verificationToken)) return refuse(401, 'bad token');

  return accept(env.data, text, deps);
}

/**
 * An event that came down the long connection: the connection itself is authenticated (app id
 * and secret) and encrypted, so there is no signature to check; the rest is the webhook's path —
 * stored in the inbox before it is acknowledged, once per event_id, a card callback answered inline.
 */
export async function acceptLongConnectionEvent(body: unknown, deps: Pick<IngestDeps, 'inboxEvent' | 'answerCard' | 'log' | 'secrets'>): Promise<unknown> {
  let plain = body as Record<string, unknown>;
  if (typeof plain?.encrypt === 'string' && deps.secrets) plain = JSON.parse(await decrypt(deps.secrets.encryptKey, plain.encrypt)) as Record<string, unknown>;
  const env = envelopeSchema.safeParse(plain);
  if (!env.success) {
    deps.log.warn('long connection: not a Lark 2.0 event envelope; acknowledged and dropped');
    return undefined;
  }
  const result = await accept(env.data, JSON.stringify(plain), deps as IngestDeps);
  return result.body;
}

async function accept(env: Envelope, text: string, deps: IngestDeps): Promise<IngestResult> {
  const { event_id: eventId, event_type: eventType } = env.header;
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(eventType)) {
    deps.log.debug('event ignored', { eventId, eventType });
    return { status: 200, body: {} };
  }
  const release = eventType === 'card.action.trigger' ? deps.holdForeground?.() : undefined;
  try {
    const fresh = await deps.inboxEvent(eventId, eventType, text, env);
    if (!fresh) {
      deps.log.debug('duplicate event acknowledged', { eventId, eventType });
      return { status: 200, body: {} };
    }
    if (eventType === 'card.action.trigger') {
      const event = toInboundEvent(env);
      if (event?.kind === 'card') return { status: 200, body: await deps.answerCard(event) };
    }
    return { status: 200, body: {} };
  } finally {
    release?.();
  }
}
