// A small multipart/form-data parser for the fake's upload endpoints.
// Why not `new Request(...).formData()`: the SDK uploads Buffers through axios + the `form-data`
// package, which writes the file part WITHOUT a filename. The WHATWG parser then treats that
// part as a text field and UTF-8-decodes it, corrupting any binary image. So we split the raw
// bytes ourselves and keep every part as bytes.

export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  bytes: Uint8Array;
}

export interface MultipartForm {
  /** The text fields (like image_type), decoded as UTF-8. */
  fields: Record<string, string>;
  /** Every part by name, as raw bytes — file parts included, whether or not they carry a filename. */
  parts: Record<string, MultipartPart>;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary from a `multipart/form-data; boundary=...` content type, or null if absent. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** Parses a whole multipart body. Throws on a body that does not follow the boundary framing. */
export function parseMultipart(body: Buffer, boundary: string): MultipartForm {
  const form: MultipartForm = { fields: {}, parts: {} };
  for (const raw of splitParts(body, boundary)) {
    const part = parsePart(raw);
    form.parts[part.name] = part;
    if (!isFilePart(part)) form.fields[part.name] = Buffer.from(part.bytes).toString('utf8');
  }
  return form;
}

/** form-data marks a Buffer with a binary content type even when it gives no filename; text fields get none. */
function isFilePart(part: MultipartPart): boolean {
  if (part.filename !== undefined) return true;
  return part.contentType !== undefined && !/^text\/plain/i.test(part.contentType);
}

/** The raw bytes between consecutive delimiters (each still starting with its headers). */
function splitParts(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  if (start < 0) throw new Error('multipart body has no boundary');
  const parts: Buffer[] = [];
  for (;;) {
    const afterDelimiter = start + delimiter.length;
    // "--" right after a delimiter marks the closing one.
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next < 0) throw new Error('multipart body is not terminated');
    // Content sits between the CRLF after this delimiter and the CRLF before the next one.
    parts.push(body.subarray(afterDelimiter + CRLF.length, next - CRLF.length));
    start = next;
  }
}

function parsePart(raw: Buffer): MultipartPart {
  const headerEnd = raw.indexOf(HEADER_END);
  if (headerEnd < 0) throw new Error('multipart part has no header terminator');
  const headers = parseHeaders(raw.subarray(0, headerEnd).toString('utf8'));
  const disposition = headers['content-disposition'] ?? '';
  const name = dispositionParam(disposition, 'name');
  if (name === undefined) throw new Error('multipart part has no name');
  return {
    name,
    filename: dispositionParam(disposition, 'filename'),
    contentType: headers['content-type'],
    bytes: new Uint8Array(raw.subarray(headerEnd + HEADER_END.length)),
  };
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** `form-data; name="image"; filename="a.png"` → the quoted value of one parameter. */
function dispositionParam(disposition: string, param: string): string | undefined {
  const match = new RegExp(`(?:^|;)\\s*${param}="([^"]*)"`, 'i').exec(disposition);
  return match ? match[1] : undefined;
}
