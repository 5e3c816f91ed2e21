// The per-attempt plumbing shared by chat and embeddings: translate with the account's adapter,
// apply upstream auth last, send, and read a JSON answer. Adapter refusals (UnsupportedParameter)
// propagate as the caller's 400; a broken account setup counts as a failed attempt.
import type { Readable } from 'node:stream';
import { KeyholdError } from '../errors';
import { getProviderApi } from './providers';
import { getAdapter } from './providers/adapters';
import type { ModelTarget, ProviderAdapter } from './providers/adapter';
import type { UpstreamRequest } from './providers/types';
import { ProviderConfigInvalid } from './providers/upstream-request';
import type { Attempt, AttemptOutcome } from './failover';
import type { Gateway } from './gateway';
import { isFailure, sendUpstream, type AbortSource, type UpstreamAnswer, type UpstreamFailure } from './upstream-call';
import { listSensitiveValues, scrubUpstreamMessage } from './upstream-error';
import { UpstreamStreamError } from './upstream-stream-error';
import { takeBufferedBody } from './buffered-body';

// A chat completion or an embeddings batch is at most a few MB of JSON.
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface SentAttempt {
  adapter: ProviderAdapter;
  answer: UpstreamAnswer;
  /** Scrubs anything this attempt's credential or signature could have put in a message. */
  scrub(text: string): string;
  label: string;
}

export function failure(kind: UpstreamFailure['kind'], message: string, status: number | null = null): { ok: false; failure: UpstreamFailure } {
  return { ok: false, failure: { kind, status, message, retryAfterMs: null } };
}

/** Build, sign and send one attempt; an UpstreamFailure when the upstream (or the account's setup) failed. */
export async function sendAttempt(
  gateway: Gateway,
  signal: AbortSource,
  attempt: Attempt,
  build: (adapter: ProviderAdapter, target: ModelTarget) => UpstreamRequest,
): Promise<SentAttempt | { ok: false; failure: UpstreamFailure }> {
  const account = attempt.candidate.account;
  const credential = attempt.credential.upstream;
  const label = `upstream ${account.name}`;
  const adapter = getAdapter(account.type);
  let unsigned: UpstreamRequest;
  let signed: UpstreamRequest;
  try {
    unsigned = build(adapter, { account: account.upstream, upstreamModel: attempt.candidate.upstreamModel });
    signed = await getProviderApi(account.type).applyUpstreamAuth(unsigned, account.upstream, credential);
  } catch (err) {
    if (err instanceof KeyholdError) throw err;
    // Our own config errors name fields, never values; anything else is not ours to repeat.
    return failure('server', `${label}: ${err instanceof ProviderConfigInvalid ? err.message : 'could not build the upstream request'}`);
  }
  const outcome = await sendUpstream(signed, {
    dispatcher: gateway.dispatcher,
    timeoutMs: account.upstream.timeoutMs ?? gateway.config.upstreamTimeoutMs,
    signal,
    credential,
    unsigned,
    label,
  });
  if (isFailure(outcome)) return { ok: false, failure: outcome };
  // Built only when a message needs scrubbing: a successful call never does.
  return { adapter, answer: outcome, scrub: (text) => scrubUpstreamMessage(text, listSensitiveValues(credential, unsigned, signed)), label };
}

export function isSent(value: SentAttempt | { ok: false; failure: UpstreamFailure }): value is SentAttempt {
  return 'answer' in value;
}

/** The whole body as text, refusing past MAX_ANSWER_BYTES. Stream events, not an async iterator: this runs on every call. */
function readAll(body: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        body.destroy();
        reject(new UpstreamStreamError(`the upstream answer is larger than ${MAX_ANSWER_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8')));
    body.once('error', reject);
  });
}

/** Read and parse a 2xx JSON answer, then translate it; a broken or unreadable answer is a failed attempt. */
export async function readJsonAnswer<T>(sent: SentAttempt, translate: (body: unknown) => T): Promise<AttemptOutcome<T>> {
  let text: string;
  try {
    // Usually whole in the buffer by now: undici parsed the packet with the headers to its end.
    const { body, contentLength } = sent.answer;
    const whole = contentLength <= MAX_ANSWER_BYTES ? takeBufferedBody(body, contentLength) : null;
    text = whole ? whole.toString('utf8') : await readAll(body);
  } catch (err) {
    if (err instanceof UpstreamStreamError) return failure('server', `${sent.label}: ${err.message}`);
    return failure('transport', `${sent.label}: the upstream broke off its answer`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return failure('server', `${sent.label}: the upstream answered with something that is not JSON`);
  }
  try {
    return { ok: true, value: translate(parsed) };
  } catch (err) {
    if (err instanceof UpstreamStreamError) return failure('server', sent.scrub(`${sent.label}: ${err.message}`));
    throw err;
  }
}
