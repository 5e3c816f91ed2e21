// Server-sent events in, one callback per event out: eventsource-parser does the framing (events
// split across network chunks), utf8-text the characters split across reads.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { createUtf8Text } from './utf8-text';

export interface SseEvent {
  event: string | undefined;
  data: string;
}

export interface SseDecoder {
  /** Bytes as they arrive; returns the complete events they finish. */
  push(bytes: Uint8Array): SseEvent[];
}

export function createSseDecoder(): SseDecoder {
  const text = createUtf8Text();
  let pending: SseEvent[] = [];
  const parser = createParser({ onEvent: (message: EventSourceMessage) => void pending.push({ event: message.event, data: message.data }) });
  return {
    push(bytes) {
      parser.feed(text.write(bytes));
      const done = pending;
      pending = [];
      return done;
    },
  };
}
