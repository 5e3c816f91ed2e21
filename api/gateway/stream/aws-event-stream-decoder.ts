// AWS's binary event stream (Bedrock ConverseStream) in, decoded messages out. Framing by the
// 4-byte total-length prelude is done here; decoding and both CRC checks by @smithy/core's codec.
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { UpstreamStreamError } from '../upstream-stream-error';

export interface AwsEvent {
  /** `:message-type`: event or exception. */
  messageType: string;
  /** `:event-type` for events, `:exception-type` for exceptions. */
  type: string;
  /** The JSON payload, parsed. */
  payload: unknown;
}

// A Bedrock frame is a few KB; anything near this is not a frame we understand.
const MAX_FRAME_BYTES = 16 * 1024 * 1024;
const MIN_FRAME_BYTES = 16;

export interface AwsEventStreamDecoder {
  push(bytes: Uint8Array): AwsEvent[];
  /** Throws when the body ended inside a frame. */
  finish(): void;
}

function headerString(headers: Record<string, { type: string; value: unknown }>, name: string): string {
  const header = headers[name];
  return header && typeof header.value === 'string' ? header.value : '';
}

export function createAwsEventStreamDecoder(): AwsEventStreamDecoder {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  let buffered: Buffer = Buffer.alloc(0);

  const decodeFrame = (frame: Uint8Array): AwsEvent => {
    let message;
    try {
      message = codec.decode(frame);
    } catch {
      throw new UpstreamStreamError('the upstream sent a damaged event-stream frame');
    }
    const headers = message.headers as Record<string, { type: string; value: unknown }>;
    const messageType = headerString(headers, ':message-type');
    const type = messageType === 'event' ? headerString(headers, ':event-type') : headerString(headers, ':exception-type');
    let payload: unknown = null;
    const text = toUtf8(message.body);
    if (text !== '') {
      try {
        payload = JSON.parse(text);
      } catch {
        throw new UpstreamStreamError('the upstream sent an event whose payload is not JSON');
      }
    }
    return { messageType, type, payload };
  };

  return {
    push(bytes) {
      buffered = buffered.length === 0 ? Buffer.from(bytes) : Buffer.concat([buffered, bytes]);
      const events: AwsEvent[] = [];
      while (buffered.length >= 4) {
        const total = buffered.readUInt32BE(0);
        if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES) throw new UpstreamStreamError('the upstream sent an event-stream frame of impossible length');
        if (buffered.length < total) break;
        events.push(decodeFrame(buffered.subarray(0, total)));
        buffered = buffered.subarray(total);
      }
      return events;
    },
    finish() {
      if (buffered.length > 0) throw new UpstreamStreamError('the upstream stream ended inside an event');
    },
  };
}
