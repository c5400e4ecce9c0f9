/** Keeps the last `limit` characters of a child process's output, for error messages. */
export class OutputTail {
  private buffer = '';

  constructor(private readonly limit = 16_000) {}

  append(chunk: string | Buffer): void {
    this.buffer += chunk.toString();
    if (this.buffer.length > this.limit * 2) this.buffer = this.buffer.slice(-this.limit);
  }

  text(): string {
    return this.buffer.slice(-this.limit);
  }
}
