// OpenAI's chat completions call: the request is already OpenAI's, so the adapter only points
// it at the account (model name, stream usage) and re-labels the answer with the model the client asked for.
import type { ChatCompletionRequest } from '../../openai/chat-request';
import type { ChatCompletion } from '../../openai/responses';
import type { ModelTarget, ReplyContext } from '../adapter';
import type { UpstreamRequest } from '../types';
import { buildJsonPost, joinUpstreamUrl, resolveBaseUrl } from '../upstream-request';
import { isRecord } from '../json-value';
import { UpstreamStreamError } from '../../upstream-stream-error';

/**
 * The body sent upstream. Streams always ask for usage (the gateway records it), and the final
 * usage chunk is passed to the client only if it asked too. `model` is the upstream's own name.
 */
export function toOpenAiChatBody(request: ChatCompletionRequest, upstreamModel: string | null, stream: boolean): Record<string, unknown> {
  // Object.assign, not { ...request }: stream_options may be new to the copy, and a property added to
  // a spread copy takes V8's slow path (see withHeaders).
  const body: Record<string, unknown> = Object.assign({}, request);
  if (upstreamModel === null) delete body.model;
  else body.model = upstreamModel;
  if (stream) {
    body.stream = true;
    body.stream_options = { ...request.stream_options, include_usage: true };
  } else {
    delete body.stream;
    delete body.stream_options;
  }
  return body;
}

export function toOpenAiChatRequest(request: ChatCompletionRequest, target: ModelTarget, defaultBaseUrl: string | null, stream: boolean): UpstreamRequest {
  const url = joinUpstreamUrl(resolveBaseUrl(target.account, defaultBaseUrl), '/chat/completions');
  return buildJsonPost(url, toOpenAiChatBody(request, target.upstreamModel, stream), stream ? { accept: 'text/event-stream' } : {});
}

/** An OpenAI-shaped completion, checked enough that the client will not choke, labelled with the client's model. */
export function fromOpenAiChatResponse(body: unknown, reply: ReplyContext): ChatCompletion {
  if (!isRecord(body) || !Array.isArray(body.choices)) throw new UpstreamStreamError('the upstream answered without choices');
  // The gateway and every client read message.content of each choice: one without a message is not an answer.
  if (!body.choices.every((choice) => isRecord(choice) && isRecord(choice.message))) {
    throw new UpstreamStreamError('the upstream answered a choice without a message');
  }
  // Labelled in place: the parsed answer is the gateway's own, and a copy of it is one more object
  // per call. Keys the upstream sent keep their place and missing ones follow, as a spread gave.
  const completion = body as unknown as ChatCompletion;
  completion.id = typeof body.id === 'string' && body.id ? body.id : reply.id;
  completion.object = 'chat.completion';
  completion.created = typeof body.created === 'number' ? body.created : reply.created;
  completion.model = reply.model;
  return completion;
}
