// Streams OpenAI chunks to the client as server-sent events. Headers go out with the first chunk
// (until then the gateway may still fail over); each write waits for the socket to drain, so a
// slow client slows the upstream read instead of filling memory.
import type { ServerResponse } from 'node:http';
import { sseData } from './respond';

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export class SseWriter {
  #committed = false;
  #corked = false;

  /** `headers`: the call's (GatewayCall.headers), written before the stream's own. */
  constructor(
    private readonly res: ServerResponse,
    private readonly headers: readonly string[],
    private readonly onFirstByte: () => void,
  ) {}

  get committed(): boolean {
    return this.#committed;
  }

  #commit(): void {
    if (this.#committed) return;
    this.#committed = true;
    this.res.writeHead(200, [
      ...this.headers,
      'content-type',
      'text/event-stream; charset=utf-8',
      'cache-control',
      'no-cache',
      'connection',
      'keep-alive',
      // Proxies in front (nginx, Blocklet Server's router) must pass chunks on as they come.
      'x-accel-buffering',
      'no',
    ]);
    this.onFirstByte();
  }

  /**
   * The chunks one upstream read produced, as one HTTP chunk. The socket stays corked until this
   * turn of the event loop is done with what it read (setImmediate: the upstream body's end comes
   * through ticks after its data), so when the same upstream read also ended the stream, done()
   * sends the chunks together with the closing [DONE]: one write instead of two.
   * Returns a promise only when the client's socket is full: the caller waits for it before reading more.
   */
  sendAll(values: readonly unknown[]): Promise<void> | undefined {
    this.#commit();
    if (this.res.destroyed || values.length === 0) return undefined;
    let text = '';
    for (const value of values) text += sseData(value);
    if (!this.#corked) {
      this.#corked = true;
      this.res.cork();
      setImmediate(() => this.#uncork());
    }
    this.res.write(text);
    return this.res.writableNeedDrain ? waitForDrain(this.res) : undefined;
  }

  #uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.res.uncork();
  }

  /** Ends a committed stream with OpenAI's in-stream error event (the openai client raises it as APIError). */
  fail(message: string, code: string): void {
    this.#commit();
    this.#end(sseData({ error: { message, type: 'server_error', code, param: null } }));
  }

  /** The last chunks (the usage chunk) and the closing [DONE], in one write with anything still corked. */
  done(last: readonly unknown[] = []): void {
    this.#commit();
    let tail = '';
    for (const value of last) tail += sseData(value);
    this.#end(`${tail}data: [DONE]\n\n`);
  }

  #end(text: string): void {
    // end() flushes the corked chunks with the tail; the pending uncork then has nothing to do.
    this.#corked = false;
    this.res.end(text);
  }
}
