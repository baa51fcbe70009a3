import type * as lark from '@larksuiteoapi/node-sdk';
import { larkSdk } from './sdk.ts';
import type { Logger } from '../log.ts';

/**
 * LARK_EVENT_MODE=ws: events and card callbacks arrive over the SDK's long connection (WSClient)
 * instead of webhooks, for a server that can reach out but cannot be reached (政务外网/内网).
 * Each frame goes to `accept` — the webhook's own inbox path (stored before it is acknowledged,
 * once per event_id; a card callback answered inline) — and the SDK acknowledges the frame with
 * what `accept` returns once it resolves. Reconnecting is the SDK's: on a dropped connection it
 * asks /callback/ws/endpoint again and retries at the interval Feishu gives it. Feishu only (Lark
 * international has no long connection); a resident process (Node, not Workers). See
 * docs/adr/0016-long-connection.md.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'idle' | 'closed';

export interface LongConnectionStatus {
  state: ConnectionState;
  /** Successful connections since start (the first, then each reconnect). */
  connects: number;
  lastConnectedAt?: number;
  lastDisconnectedAt?: number;
  /** When the last frame (event or card callback) came down the connection. */
  lastEventAt?: number;
  error?: string;
}

export interface LongConnection {
  status(): LongConnectionStatus;
  close(): void;
}

export interface LongConnectionOptions {
  appId: string;
  appSecret: string;
  /** feishu, or a base URL (the fake Lark in tests and the sandbox). */
  domain: string;
  log: Logger;
  /** Stores the event (and answers a card callback); the frame is acknowledged once this resolves. */
  accept: (envelope: unknown) => Promise<unknown>;
}

export function startLongConnection(o: LongConnectionOptions): LongConnection {
  const st: LongConnectionStatus = { state: 'connecting', connects: 0 };
  let closed = false;

  // The SDK's dispatcher would flatten the envelope (header and event merged); the inbox keeps the
  // envelope as Feishu sent it, so this one hands the frame's JSON over untouched.
  class InboxDispatcher extends larkSdk.EventDispatcher {
    override async invoke(data: unknown): Promise<unknown> {
      st.lastEventAt = Date.now();
      return o.accept(data);
    }
  }
  const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  const dispatcher = new InboxDispatcher({ logger: quiet, loggerLevel: larkSdk.LoggerLevel.error });

  const connected = () => {
    st.connects++;
    st.state = 'connected';
    st.lastConnectedAt = Date.now();
    st.error = undefined;
  };
  const client = new larkSdk.WSClient({
    appId: o.appId,
    appSecret: o.appSecret,
    domain: o.domain === 'feishu' ? larkSdk.Domain.Feishu : o.domain,
    // The SDK's own lines (connect URLs carry a ticket) go to debug; state changes are logged below.
    logger: { error: (...a: unknown[]) => o.log.debug('lark ws', { detail: a.map(String).join(' ').slice(0, 300) }), warn: quiet.warn, info: quiet.info, debug: quiet.debug, trace: quiet.trace },
    loggerLevel: larkSdk.LoggerLevel.error,
    onReady: () => {
      connected();
      o.log.info('lark long connection ready');
    },
    onReconnecting: () => {
      st.state = 'reconnecting';
      st.lastDisconnectedAt = Date.now();
      o.log.warn('lark long connection dropped; reconnecting with the SDK backoff');
    },
    onReconnected: () => {
      connected();
      o.log.info('lark long connection reconnected', { connects: st.connects });
    },
    onError: (e: Error) => {
      st.state = 'failed';
      st.error = e.message;
      o.log.error('lark long connection failed for good', { error: e.message });
    },
  });
  void client.start({ eventDispatcher: dispatcher });

  return {
    status() {
      if (closed) return { ...st, state: 'closed' };
      // The SDK knows best whether its socket is open right now.
      const sdk = client.getConnectionStatus().state as ConnectionState;
      return { ...st, state: st.state === 'failed' ? 'failed' : sdk };
    },
    close() {
      closed = true;
      client.close({ force: true });
    },
  };
}
