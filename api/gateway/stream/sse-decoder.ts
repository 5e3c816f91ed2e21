// Server-sent events in, one callback per event out (eventsource-parser does the framing,
// including events split across network chunks and multi-byte characters split across reads).
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseEvent {
  event: string | undefined;
  data: string;
}

export interface SseDecoder {
  /** Bytes as they arrive; returns the complete events they finish. */
  push(bytes: Uint8Array): SseEvent[];
}

export function createSseDecoder(): SseDecoder {
  const decoder = new TextDecoder('utf-8');
  let pending: SseEvent[] = [];
  const parser = createParser({ onEvent: (message: EventSourceMessage) => void pending.push({ event: message.event, data: message.data }) });
  return {
    push(bytes) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      const done = pending;
      pending = [];
      return done;
    },
  };
}
