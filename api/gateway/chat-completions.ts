// POST /v1/chat/completions: validate, resolve and authorize the model, then run the failover loop
// with the account's adapter, answering JSON or a stream; one usage record per call, whatever happened.
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseInput } from '../http/validate';
import { chatCompletionRequest, type ChatCompletionRequest } from './openai/chat-request';
import type { ChatCompletion, ChatCompletionChunk, Usage } from './openai/responses';
import type { ReplyContext } from './providers/adapter';
import { resolveModel } from './routing/resolve-model';
import { runWithFailover, type Attempt, type AttemptOutcome } from './failover';
import type { Gateway } from './gateway';
import type { GatewayCall } from './gateway-call';
import { writeJson } from './respond';
import { SseWriter } from './sse-writer';
import { failure, isSent, readJsonAnswer, sendAttempt } from './upstream-attempt';
import { countPromptTokens, countTextTokens } from './token-count';
import { describeTransportFailure } from './upstream-error';
import { UpstreamStreamError } from './upstream-stream-error';
import { BodyChunks } from './stream/body-chunks';
import { ClientClosedRequest } from '../errors';
import type { CallOutcome } from './usage-capture';
import { isCount } from '../audit/usage-record';
import { runModelCall } from './model-call';
import type { BodyReader } from './routes';

// Unique per process start plus a counter: ids need to be unique, not secret, and this costs no syscall.
const ID_PREFIX = `chatcmpl-${crypto.randomBytes(9).toString('base64url')}`;
let replyCounter = 0;

// Before the answer, its length is unknown: without max_tokens a call is counted as this long, then
// corrected to the real count (so a burst against a tight limit or budget is not waved through at 0).
const DEFAULT_COMPLETION_ESTIMATE = 256;

function newReplyContext(model: string): ReplyContext {
  replyCounter = (replyCounter + 1) % Number.MAX_SAFE_INTEGER;
  return { model, id: `${ID_PREFIX}${replyCounter.toString(36)}`, created: Math.floor(Date.now() / 1000) };
}

/** Text a stream produced, for counting when the upstream reports no usage. */
function collectText(chunk: ChatCompletionChunk, into: string[]): void {
  for (const choice of chunk.choices) {
    if (choice.delta.content) into.push(choice.delta.content);
    for (const call of choice.delta.tool_calls ?? []) if (call.function?.arguments) into.push(call.function.arguments);
  }
}

/**
 * The upstream's usage when it holds two counts; otherwise the call counted here. Any base URL can
 * be an account, and what it reports feeds limits, budgets and the usage table: a string would make
 * the cost NaN, which never exhausts a budget, and a negative count would give budget back. So a
 * string, a fraction, a negative or a missing count is not taken.
 */
function usageOrCount(request: ChatCompletionRequest, reported: Usage | null | undefined, produced: () => string): { usage: Usage; estimated: boolean } {
  if (reported && isCount(reported.prompt_tokens) && isCount(reported.completion_tokens)) return { usage: reported, estimated: false };
  const prompt = countPromptTokens(request);
  const completion = countTextTokens(produced());
  return { usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }, estimated: true };
}

async function attemptJson(gateway: Gateway, call: GatewayCall, request: ChatCompletionRequest, reply: ReplyContext, attempt: Attempt): Promise<AttemptOutcome<ChatCompletion>> {
  const sent = await sendAttempt(gateway, call.signal, attempt, (adapter, target) => adapter.buildChatRequest(request, target, { stream: false }));
  if (!isSent(sent)) return sent;
  return readJsonAnswer(sent, (body) => sent.adapter.parseChatResponse(body, reply));
}

async function attemptStream(
  gateway: Gateway,
  call: GatewayCall,
  request: ChatCompletionRequest,
  reply: ReplyContext,
  attempt: Attempt,
  outcome: CallOutcome,
  settle: () => Promise<void>,
): Promise<AttemptOutcome<true>> {
  const sent = await sendAttempt(gateway, call.signal, attempt, (adapter, target) => adapter.buildChatRequest(request, target, { stream: true }));
  if (!isSent(sent)) return sent;
  const translator = sent.adapter.createStreamTranslator(reply);
  const writer = new SseWriter(call.res, call.headers, () => (outcome.ttfbMs = performance.now() - call.startedAt));
  const produced: string[] = [];
  // The usage chunk carries the same id and created as the chunks before it, as OpenAI's does.
  let last: Pick<ChatCompletionChunk, 'id' | 'created'> = reply;
  const forward = (chunks: ChatCompletionChunk[]): Promise<void> | undefined => {
    if (chunks.length === 0) return undefined;
    for (const chunk of chunks) collectText(chunk, produced);
    last = chunks[chunks.length - 1];
    return writer.sendAll(chunks);
  };
  try {
    // Not a `for await`: one that exits by throwing awaits the body's return(), which waits on
    // undici's coarse timers before the client could be told anything. BodyChunks says why not
    // the async iterator either.
    const body = new BodyChunks(sent.answer.body);
    for (let chunk = await body.next(); chunk !== null; chunk = await body.next()) await forward(translator.push(chunk));
    await forward(translator.finish());
  } catch (err) {
    sent.answer.body.destroy();
    if (call.signal.aborted) throw new ClientClosedRequest();
    const inStream = err instanceof UpstreamStreamError;
    const message = sent.scrub(`${sent.label}: ${inStream ? err.message : describeTransportFailure(err)}`);
    // Nothing reached the client yet: another credential may still answer.
    if (!writer.committed) return failure(inStream ? 'server' : 'transport', message, inStream ? err.status : null);
    const counted = usageOrCount(request, translator.usage, () => produced.join(''));
    Object.assign(outcome, { usage: counted.usage, estimated: counted.estimated, status: 502, errorCode: 'ERR_GATEWAY_UPSTREAM' });
    await settle();
    writer.fail(message, 'ERR_GATEWAY_UPSTREAM');
    return { ok: true, value: true };
  }
  const counted = usageOrCount(request, translator.usage, () => produced.join(''));
  Object.assign(outcome, { usage: counted.usage, estimated: counted.estimated });
  const usageChunk = { id: last.id, object: 'chat.completion.chunk', created: last.created, model: reply.model, choices: [], usage: counted.usage };
  await settle();
  writer.done(request.stream_options?.include_usage ? [usageChunk] : []);
  return { ok: true, value: true };
}

export async function handleChatCompletions(gateway: Gateway, call: GatewayCall, readBody: BodyReader): Promise<void> {
  await runModelCall(gateway, call, 'chat.completions', readBody, async ({ body, outcome, trace, settle, admit }) => {
    const request = parseInput(chatCompletionRequest, body);
    outcome.stream = request.stream === true;
    const candidates = resolveModel(gateway.catalog.snapshot, gateway.deps.access, call.principal, request.model);
    await admit(candidates, () => ({
      promptTokens: countPromptTokens(request),
      completionTokens: request.max_completion_tokens ?? request.max_tokens ?? DEFAULT_COMPLETION_ESTIMATE,
    }));
    const reply = newReplyContext(request.model);
    if (outcome.stream) {
      await runWithFailover(gateway, call.signal, request.model, candidates, trace, (attempt) => attemptStream(gateway, call, request, reply, attempt, outcome, settle));
      return;
    }
    const { value } = await runWithFailover(gateway, call.signal, request.model, candidates, trace, (attempt) => attemptJson(gateway, call, request, reply, attempt));
    const counted = usageOrCount(request, value.usage, () => value.choices.map((c) => c.message.content ?? '').join(''));
    outcome.usage = counted.usage;
    outcome.estimated = counted.estimated;
    outcome.ttfbMs = performance.now() - call.startedAt;
    await settle();
    // value is this call's own answer (each adapter makes or labels it for this call): set in place.
    value.usage = counted.usage;
    writeJson(call.res, 200, value, call.headers);
  });
}
