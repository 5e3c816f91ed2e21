// Secret references stored instead of a value: `env:NAME` (read from the environment at each use)
// and `enc:<ciphertext>` (sealed with the app's root key by `keyhold enc`).
import { RequestInvalid, SecretRefUnresolved } from '../errors';
import type { RootKey } from './root-key';

export type SecretRef = { kind: 'env'; name: string } | { kind: 'enc'; sealed: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const SEALED = /^[A-Za-z0-9+/=_-]{16,16384}$/;

export function parseSecretRef(text: string, param: string): SecretRef {
  if (text.startsWith('env:') && ENV_NAME.test(text.slice(4))) return { kind: 'env', name: text.slice(4) };
  if (text.startsWith('enc:') && SEALED.test(text.slice(4))) return { kind: 'enc', sealed: text.slice(4) };
  throw new RequestInvalid(`${param}: a secret reference is env:NAME or enc:<ciphertext from "keyhold enc">`, param);
}

export function sealEncRef(rootKey: RootKey, plaintext: string): string {
  return `enc:${rootKey.wrap(plaintext)}`;
}

export function resolveSecretRef(ref: SecretRef, rootKey: RootKey, env: NodeJS.ProcessEnv): string {
  if (ref.kind === 'env') {
    const value = env[ref.name];
    if (!value) throw new SecretRefUnresolved(`env:${ref.name}`);
    return value;
  }
  const opened = rootKey.unwrap(ref.sealed);
  // Name only the kind: the ciphertext itself is never echoed back.
  if (opened === null) throw new SecretRefUnresolved('enc:…');
  return opened;
}

/** What an API shows for a reference: the variable name, never a ciphertext. */
export function describeSecretRef(text: string): string {
  return text.startsWith('env:') ? text : 'enc:[sealed]';
}
