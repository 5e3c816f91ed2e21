// The root of the envelope: the Blocklet SDK security module, keyed by the app's BLOCKLET_APP_EK and
// BLOCKLET_DID. It only wraps data keys and `enc:` references; it never touches a credential row.
import security from '@blocklet/sdk/lib/security';
import type { RootKeyMaterial } from '../config';

export interface RootKey {
  wrap(plaintext: string): string;
  /** Returns null when the value does not open under this key (wrong key or damaged value). */
  unwrap(wrapped: string): string | null;
}

// Wrapped values carry this prefix inside the encryption, so a wrong root key (which the SDK answers
// with an empty string or garbage rather than an error) is detected instead of trusted.
const MAGIC = 'keyhold-root-v1:';

export function createRootKey(material: RootKeyMaterial): RootKey {
  // Explicit password and salt: the SDK falls back to plaintext when they are missing, which we never allow.
  const { appEk, appDid } = material;
  if (!appEk || !appDid) throw new Error('Root key material missing.');
  return {
    wrap: (plaintext) => security.encrypt(MAGIC + plaintext, appEk, appDid),
    unwrap: (wrapped) => {
      let opened: string;
      try {
        opened = security.decrypt(wrapped, appEk, appDid);
      } catch {
        return null;
      }
      return typeof opened === 'string' && opened.startsWith(MAGIC) ? opened.slice(MAGIC.length) : null;
    },
  };
}
