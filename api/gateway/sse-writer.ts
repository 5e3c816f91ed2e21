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

  constructor(
    private readonly res: ServerResponse,
    private readonly onFirstByte: () => void,
  ) {}

  get committed(): boolean {
    return this.#committed;
  }

  #commit(): void {
    if (this.#committed) return;
    this.#committed = true;
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Proxies in front (nginx, Blocklet Server's router) must pass chunks on as they come.
      'x-accel-buffering': 'no',
    });
    this.onFirstByte();
  }

  /**
   * The chunks one upstream read produced, as one socket write (corked). Returns a promise only
   * when the client's socket is full: the caller waits for it before reading more.
   */
  sendAll(values: readonly unknown[]): Promise<void> | undefined {
    this.#commit();
    if (this.res.destroyed || values.length === 0) return undefined;
    this.res.cork();
    for (const value of values) this.res.write(sseData(value));
    this.res.uncork();
    return this.res.writableNeedDrain ? waitForDrain(this.res) : undefined;
  }

  /** Ends a committed stream with OpenAI's in-stream error event (the openai client raises it as APIError). */
  fail(message: string, code: string): void {
    this.#commit();
    this.res.end(sseData({ error: { message, type: 'server_error', code, param: null } }));
  }

  /** The last chunks (the usage chunk) and the closing [DONE], in one write. */
  done(last: readonly unknown[] = []): void {
    this.#commit();
    let tail = '';
    for (const value of last) tail += sseData(value);
    this.res.end(`${tail}data: [DONE]\n\n`);
  }
}
