/**
 * Rows for one statement's JSON parameter (`json_each(?)`), pre-serialised and cut into arrays of
 * at most `maxChars` (D1 takes at most 2 MB a value, and a bounded chunk keeps one statement's work
 * bounded). Kept as text rather than arrays of arrays: a province's nag run writes 200,000 of them.
 */
export class JsonChunks {
  private readonly chunks: string[] = [];
  private current: string[] = [];
  private size = 0;
  constructor(private readonly maxChars = 1_000_000) {}
  get empty() {
    return this.chunks.length === 0 && this.current.length === 0;
  }
  add(item: string) {
    if (this.size + item.length + 1 > this.maxChars && this.current.length) this.flush();
    this.current.push(item);
    this.size += item.length + 1;
  }
  private flush() {
    this.chunks.push(`[${this.current.join(',')}]`);
    this.current = [];
    this.size = 0;
  }
  /** The chunks, each one JSON array; the collector is empty afterwards. */
  done(): string[] {
    if (this.current.length) this.flush();
    return this.chunks.splice(0);
  }
}
