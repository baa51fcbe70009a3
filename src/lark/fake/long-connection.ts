// The fake's long connection (长连接), as the SDK's WSClient expects it:
//   1. POST /callback/ws/endpoint {AppID, AppSecret} → {code: 0, data: {URL, ClientConfig}}
//   2. a WebSocket at URL carrying protobuf frames (ws-frame.ts): the client pings (control frame,
//      header type=ping) and gets a pong carrying ClientConfig; events and card callbacks arrive as
//      data frames (type=event, message_id, sum/seq, trace_id) with the JSON envelope as payload,
//      and the client acknowledges each by sending the frame back with payload {code, data?}
//      (data: the handler's answer, base64 JSON — a card callback's toast and card).
// Like Feishu, a message not acknowledged is pushed again: here, to the next connection after a drop.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, FRAME_CONTROL, FRAME_DATA, header, type Frame } from './ws-frame.ts';

export interface Delivery {
  /** The code the client acknowledged with: 200 when its handler succeeded, 500 when it threw. */
  code: number;
  /** The handler's answer (a card callback's `{toast, card}`), if it gave one. */
  body?: unknown;
  /** Wall-clock milliseconds from pushing the frame (the last time) to its acknowledgement. */
  ms: number;
  /** How many times the frame was pushed before it was acknowledged. */
  pushes: number;
}

interface Pending {
  messageId: string;
  payload: Uint8Array;
  pushes: number;
  pushedAt: number;
  resolve: (d: Delivery) => void;
}

export interface LongConnectionStatus {
  /** Open WebSocket connections now. */
  connections: number;
  /** Connections accepted since start (a reconnect adds one). */
  connects: number;
  /** Pushed and not yet acknowledged. */
  unacknowledged: number;
  pings: number;
  /** Frames acknowledged since start. */
  acknowledged: number;
}

const WS_PATH = '/callback/ws/connect';
const SERVICE_ID = 1;
/** What the endpoint and each pong tell the client: reconnect after 1 s, at once the first time. */
const CLIENT_CONFIG = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 };

export class FakeLongConnection {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  /**
   * Connections that have pinged. The SDK attaches its message handler a moment after the socket
   * opens, and pings on open: a frame pushed before that ping arrives could be missed, so frames
   * go only to connections that have pinged, and what waited goes on the first ping.
   */
  private readonly ready = new WeakSet<WebSocket>();
  /** Unacknowledged frames, in the order they were first pushed. */
  private readonly pending = new Map<string, Pending>();
  private seq = 0;
  private connects = 0;
  private pings = 0;
  private acknowledged = 0;

  constructor(
    private readonly appId: string,
    private readonly appSecret: string,
    private readonly baseUrl: () => string,
  ) {}

  /** POST /callback/ws/endpoint: the connect URL for a valid app id and secret. */
  endpoint(body: unknown): { code: number; msg: string; data?: unknown } {
    const b = (body ?? {}) as { AppID?: unknown; AppSecret?: unknown };
    // 514 is the SDK's ErrorCode.auth_failed: not retryable, the client gives up.
    if (b.AppID !== this.appId || b.AppSecret !== this.appSecret) return { code: 514, msg: 'auth failed: app id or secret' };
    const url = `${this.baseUrl().replace(/^http/, 'ws')}${WS_PATH}?device_id=fake_device&service_id=${SERVICE_ID}`;
    return { code: 0, msg: 'ok', data: { URL: url, ClientConfig: CLIENT_CONFIG } };
  }

  /** The HTTP server's 'upgrade' event: true when the request was the long connection's. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!req.url?.startsWith(WS_PATH)) return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws));
    return true;
  }

  /** Pushes an event envelope (or a card callback) and resolves when the client acknowledges it. */
  push(envelope: unknown): Promise<Delivery> {
    const messageId = `fake_ws_${++this.seq}`;
    return new Promise((resolve) => {
      const p: Pending = { messageId, payload: new TextEncoder().encode(JSON.stringify(envelope)), pushes: 0, pushedAt: 0, resolve };
      this.pending.set(messageId, p);
      const socket = this.openSocket();
      if (socket) this.send(socket, p);
    });
  }

  /** Cuts every connection without a close frame, as a network would; unacknowledged frames wait for the next. */
  drop(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** Cuts the connection the moment the client acknowledges the next frame, before the ack is read. */
  dropBeforeNextAck(): void {
    this.dropOnAck = true;
  }
  private dropOnAck = false;

  status(): LongConnectionStatus {
    return { connections: [...this.sockets].filter((s) => s.readyState === s.OPEN).length, connects: this.connects, unacknowledged: this.pending.size, pings: this.pings, acknowledged: this.acknowledged };
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }

  private openSocket(): WebSocket | undefined {
    // Cluster mode: one connection gets each message.
    return [...this.sockets].find((s) => s.readyState === s.OPEN && this.ready.has(s));
  }

  private attach(ws: WebSocket) {
    this.sockets.add(ws);
    this.connects++;
    ws.on('message', (data: Buffer) => this.receive(ws, data));
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('error', () => this.sockets.delete(ws));
  }

  private send(ws: WebSocket, p: Pending) {
    p.pushes++;
    p.pushedAt = performance.now();
    const frame: Frame = {
      seqId: ++this.seq,
      logId: this.seq,
      service: SERVICE_ID,
      method: FRAME_DATA,
      headers: [
        { key: 'type', value: 'event' },
        { key: 'message_id', value: p.messageId },
        { key: 'sum', value: '1' },
        { key: 'seq', value: '0' },
        { key: 'trace_id', value: `trace_${p.messageId}` },
      ],
      payload: p.payload,
    };
    ws.send(encodeFrame(frame));
  }

  private receive(ws: WebSocket, data: Buffer) {
    let frame: Frame;
    try {
      frame = decodeFrame(new Uint8Array(data));
    } catch {
      ws.terminate(); // not our protocol
      return;
    }
    if (frame.method === FRAME_CONTROL) {
      if (header(frame, 'type') !== 'ping') return;
      this.pings++;
      ws.send(encodeFrame({ seqId: 0, logId: 0, service: frame.service, method: FRAME_CONTROL, headers: [{ key: 'type', value: 'pong' }], payload: new TextEncoder().encode(JSON.stringify(CLIENT_CONFIG)) }));
      if (!this.ready.has(ws)) {
        this.ready.add(ws);
        // What was pushed and never acknowledged comes again, oldest first.
        for (const p of this.pending.values()) this.send(ws, p);
      }
      return;
    }
    const messageId = header(frame, 'message_id');
    const p = messageId ? this.pending.get(messageId) : undefined;
    if (!p) return;
    if (this.dropOnAck) {
      // The ack is lost with the connection: the frame stays unacknowledged and comes again.
      this.dropOnAck = false;
      ws.terminate();
      return;
    }
    this.pending.delete(p.messageId);
    this.acknowledged++;
    const ack = safeJson(new TextDecoder().decode(frame.payload ?? new Uint8Array())) as { code?: number; data?: string } | undefined;
    const body = typeof ack?.data === 'string' ? safeJson(Buffer.from(ack.data, 'base64').toString('utf8')) : undefined;
    p.resolve({ code: Number(ack?.code ?? 0), body, ms: performance.now() - p.pushedAt, pushes: p.pushes });
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
