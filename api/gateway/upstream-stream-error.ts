// An upstream failure discovered inside a stream (an error event, a cut-off body, a frame that does
// not parse). The message is for the client after scrubbing; status is the upstream's, when it said one.
export class UpstreamStreamError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'UpstreamStreamError';
  }
}
