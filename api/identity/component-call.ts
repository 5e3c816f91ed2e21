// Signed component calls: the Blocklet SDK verifies the signature (app key over method, path, query,
// body, iat, exp); this adds what the SDK lacks: a replay cache (each signature once), a bound on
// clock skew and on the validity a signature may claim. Any failure is one ComponentSignatureInvalid.
import type { Request } from 'express';
import { LRUCache } from 'lru-cache';
import { getVerifyData, verify } from '@blocklet/sdk/lib/util/verify-sign';
import { ComponentSignatureInvalid } from '../errors';

export interface ComponentCallOptions {
  /** How far the caller's clock may be ahead of ours. */
  maxSkewSeconds?: number;
  /** Longest validity a signature may claim (the SDK signs for 5 minutes). */
  maxValiditySeconds?: number;
  /** Signatures remembered at most; past that the oldest are forgotten (they expire anyway). */
  replayCacheSize?: number;
  /**
   * The DIDs of this app's components, when known (under Blocklet Server). The SDK does not sign
   * x-component-did, so a caller may only claim a DID that is really a component of this app.
   */
  knownComponentDids?: () => string[] | null;
  now?: () => number;
}

const DID = /^[A-Za-z0-9:._-]{1,128}$/;

export class ComponentCallVerifier {
  readonly #seen: LRUCache<string, true>;
  readonly #skew: number;
  readonly #validity: number;
  readonly #now: () => number;
  readonly #known: () => string[] | null;

  constructor(options: ComponentCallOptions = {}) {
    this.#known = options.knownComponentDids ?? (() => null);
    this.#skew = options.maxSkewSeconds ?? 30;
    this.#validity = options.maxValiditySeconds ?? 5 * 60;
    this.#now = options.now ?? Date.now;
    // ttlAutopurge off: entries are checked on read; the LRU bound keeps memory flat under a flood.
    this.#seen = new LRUCache({ max: options.replayCacheSize ?? 100_000, ttl: (this.#validity + this.#skew) * 1000 });
  }

  /** The calling component's DID, or ComponentSignatureInvalid. */
  async verify(req: Request): Promise<{ componentDid: string }> {
    const fail = (reason: string): never => {
      throw new ComponentSignatureInvalid({ cause: { reason } });
    };
    const componentDid = req.get('x-component-did') ?? '';
    if (!DID.test(componentDid)) fail('missing or malformed x-component-did');
    const known = this.#known();
    if (known && !known.includes(componentDid)) fail('x-component-did is not a component of this app');
    let signed: ReturnType<typeof getVerifyData>;
    try {
      signed = getVerifyData(req);
    } catch (err) {
      return fail(`unreadable signature headers: ${(err as Error).message}`);
    }
    const { sig, data } = signed;
    const now = Math.floor(this.#now() / 1000);
    if (typeof sig !== 'string' || !sig) fail('no signature');
    if (!Number.isInteger(data.iat) || !Number.isInteger(data.exp)) fail('no validity window');
    if (data.iat > now + this.#skew) fail('signed in the future beyond the allowed clock skew');
    if (data.exp + this.#skew < now) fail('expired');
    if (data.exp - data.iat > this.#validity) fail('validity window too long');
    if (this.#seen.has(sig)) fail('replayed');
    let valid = false;
    try {
      valid = await verify(data, sig);
    } catch {
      valid = false;
    }
    if (!valid) fail('signature does not verify with this app key');
    // Marked only once verified: a forged flood cannot evict genuine entries or poison the cache.
    if (this.#seen.has(sig)) fail('replayed');
    this.#seen.set(sig, true);
    return { componentDid };
  }
}
