// A decrypted secret value that refuses to print itself: string conversion, JSON and
// util.inspect all give the mask. Only code that sends an upstream request calls reveal().
import { inspect } from 'node:util';
import { maskSecret } from './mask';
import { registerLiveSecret } from './live-secrets';

export class Secret {
  readonly #value: string;
  readonly masked: string;

  constructor(value: string) {
    this.#value = value;
    this.masked = maskSecret(value);
    // The log scrubber replaces any value it knows; every decrypted secret is known to it.
    registerLiveSecret(value);
  }

  /** The plaintext. Call it only at the last step before the value leaves for the upstream. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return this.masked;
  }

  toJSON(): string {
    return this.masked;
  }

  [inspect.custom](): string {
    return `Secret(${this.masked})`;
  }
}
