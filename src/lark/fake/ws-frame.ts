// The long connection's frame, `pbbp2.Frame` in the SDK (protobuf, proto2):
//   1 SeqID uint64 · 2 LogID uint64 · 3 service int32 · 4 method int32 (0 control, 1 data)
//   5 headers repeated Header { 1 key string · 2 value string }
//   6 payloadEncoding string · 7 payloadType string · 8 payload bytes · 9 LogIDNew string
// Written here from the SDK's generated code (node_modules/@larksuiteoapi/node-sdk, WSClient's
// `decode` and `pbbp2.Frame.encode`) rather than imported: the SDK does not export it, and an
// independent codec is what proves the fake speaks the SDK's wire format.

export interface Frame {
  seqId: number;
  logId: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  logIdNew?: string;
}

export const FRAME_CONTROL = 0;
export const FRAME_DATA = 1;

export const header = (f: Frame, key: string) => f.headers.find((h) => h.key === key)?.value;

const text = new TextEncoder();
const untext = new TextDecoder();

class Writer {
  private bytes: number[] = [];
  varint(n: number) {
    // Non-negative integers up to 2^53: enough for sequence ids and log ids.
    let v = n;
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }
  tag(field: number, wire: number) {
    this.varint(field * 8 + wire);
  }
  lengthDelimited(field: number, data: Uint8Array) {
    this.tag(field, 2);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
  }
  finish() {
    return Uint8Array.from(this.bytes);
  }
}

function encodeHeader(h: { key: string; value: string }): Uint8Array {
  const w = new Writer();
  w.lengthDelimited(1, text.encode(h.key));
  w.lengthDelimited(2, text.encode(h.value));
  return w.finish();
}

export function encodeFrame(f: Frame): Uint8Array {
  const w = new Writer();
  // SeqID, LogID, service and method are `required` in the SDK's proto: always written.
  w.tag(1, 0);
  w.varint(f.seqId);
  w.tag(2, 0);
  w.varint(f.logId);
  w.tag(3, 0);
  w.varint(f.service);
  w.tag(4, 0);
  w.varint(f.method);
  for (const h of f.headers) w.lengthDelimited(5, encodeHeader(h));
  if (f.payloadEncoding !== undefined) w.lengthDelimited(6, text.encode(f.payloadEncoding));
  if (f.payloadType !== undefined) w.lengthDelimited(7, text.encode(f.payloadType));
  if (f.payload !== undefined) w.lengthDelimited(8, f.payload);
  if (f.logIdNew !== undefined) w.lengthDelimited(9, text.encode(f.logIdNew));
  return w.finish();
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  get done() {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('frame: truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
  }
  bytes(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.buf.length) throw new Error('frame: truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number) {
    if (wire === 0) this.varint();
    else if (wire === 2) this.bytes();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else throw new Error(`frame: unsupported wire type ${wire}`);
  }
}

function decodeHeader(buf: Uint8Array): { key: string; value: string } {
  const r = new Reader(buf);
  const h = { key: '', value: '' };
  while (!r.done) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    if (field === 1) h.key = untext.decode(r.bytes());
    else if (field === 2) h.value = untext.decode(r.bytes());
    else r.skip(tag & 7);
  }
  return h;
}

export function decodeFrame(buf: Uint8Array): Frame {
  const r = new Reader(buf);
  const f: Frame = { seqId: 0, logId: 0, service: 0, method: 0, headers: [] };
  while (!r.done) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    switch (field) {
      case 1: f.seqId = r.varint(); break;
      case 2: f.logId = r.varint(); break;
      case 3: f.service = r.varint(); break;
      case 4: f.method = r.varint(); break;
      case 5: f.headers.push(decodeHeader(r.bytes())); break;
      case 6: f.payloadEncoding = untext.decode(r.bytes()); break;
      case 7: f.payloadType = untext.decode(r.bytes()); break;
      case 8: f.payload = Uint8Array.from(r.bytes()); break;
      case 9: f.logIdNew = untext.decode(r.bytes()); break;
      default: r.skip(tag & 7);
    }
  }
  return f;
}
