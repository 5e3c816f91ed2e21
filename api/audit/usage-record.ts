// One usage record per model call, and the recorder interface the gateway hands it to. The
// gateway only produces records; persisting them (journal + batched database writes) is the
// usage capability's job. Until one is attached, records go to the log and to listeners.
import { fixedShapeLogger, type Logger } from '../log';

export interface UsageRecord {
  requestId: string;
  /** Unix milliseconds when the call started. */
  startedAt: number;
  endpoint: 'chat.completions' | 'embeddings';
  principalKind: 'user' | 'key' | 'component';
  did: string;
  role: string;
  keyId: string | null;
  clientId: string | null;
  componentDid: string | null;
  /** The model as requested, and the account/model that served it (null when none was reached). */
  model: string;
  accountId: string | null;
  account: string | null;
  upstreamModel: string | null;
  credentialId: string | null;
  /** The status the client received. */
  status: number;
  stream: boolean;
  promptTokens: number;
  completionTokens: number;
  /** true when the upstream reported no usage and the gateway counted the tokens itself. */
  tokensEstimated: boolean;
  /** Price table x real usage, in US dollars; null when the model has no price. */
  costUsd: number | null;
  latencyMs: number;
  /** Until the first byte of the answer was written to the client; null if nothing was. */
  ttfbMs: number | null;
  attempts: number;
  errorCode: string | null;
}

export interface UsageRecorder {
  /**
   * Takes the record; resolves once it is durable (journaled), never rejects. A handler that
   * promises "a client that saw the answer has its record" awaits it before the answer's last bytes.
   * `alone`: no other call is open, so no other record can join this one's write: write it now.
   */
  record(record: UsageRecord, alone?: boolean): Promise<void>;
}

/** A listener that persists returns when its copy is written; the promise must not reject. */
type Listener = (record: UsageRecord, alone: boolean) => void | Promise<void>;

const NOTHING_TO_WAIT_FOR: Promise<void> = Promise.resolve();

/** A count a record may hold (tokens, attempts): a whole number from 0 up, small enough to be exact. */
export const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** Fans records out to listeners (the persistence layer, tests) and writes one log line each (debug when it went well). */
export class UsageHub implements UsageRecorder {
  readonly #listeners = new Set<Listener>();
  readonly #line: Logger;

  constructor(private readonly log: Logger) {
    this.#line = fixedShapeLogger(log);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  record(record: UsageRecord, alone = false): Promise<void> {
    let written: Promise<void> | undefined;
    let more: Promise<void>[] | undefined;
    for (const listener of this.#listeners) {
      try {
        const done = listener(record, alone);
        if (done && written) (more ??= [written]).push(done);
        else if (done) written = done;
      } catch (err) {
        this.log.error({ err }, 'usage listener failed');
      }
    }
    // A call that went wrong is logged at info; one that went well only at debug, as the README
    // promises: the usage journal already holds every call, and the line cost about 26 µs of CPU
    // per call at info. The line waits for the next tick, off the caller's path.
    const level = record.status >= 400 || record.errorCode !== null ? 'info' : 'debug';
    if (this.#line.isLevelEnabled(level)) process.nextTick(() => this.#writeLine(level, record));
    if (more) return Promise.all(more).then(() => undefined);
    return written ?? NOTHING_TO_WAIT_FOR;
  }

  #writeLine(level: 'info' | 'debug', record: UsageRecord): void {
    this.#line[level](
      {
        requestId: record.requestId, did: record.did, keyId: record.keyId, model: record.model, account: record.account,
        credentialId: record.credentialId, status: record.status, stream: record.stream, promptTokens: record.promptTokens,
        completionTokens: record.completionTokens, latencyMs: record.latencyMs, ttfbMs: record.ttfbMs, attempts: record.attempts,
        errorCode: record.errorCode,
      },
      'model call',
    );
  }
}
