// Which fields each credential type has, which are public and which secret, and how a create or
// replace request's `value` and `ref` split into them. Throws a 400 naming the offending field.
import { RequestInvalid } from '../errors';
import type { CredentialType } from '../models/credential';
import { parseSecretRef } from '../vault/secret-ref';

interface TypeLayout {
  publicFields: readonly string[];
  secretFields: readonly string[] | 'any';
  required: readonly string[];
  /** The field a bare string `ref` stands for. */
  primarySecret: string | null;
}

const LAYOUTS: Record<CredentialType, TypeLayout> = {
  api_key: { publicFields: [], secretFields: ['api_key'], required: ['api_key'], primarySecret: 'api_key' },
  access_key_pair: {
    publicFields: ['access_key_id'],
    secretFields: ['secret_access_key', 'session_token'],
    required: ['access_key_id', 'secret_access_key'],
    primarySecret: 'secret_access_key',
  },
  custom: { publicFields: [], secretFields: 'any', required: [], primarySecret: null },
};

export interface CredentialParts {
  publicFields: Record<string, string>;
  secretValues: Record<string, string>;
  secretRefs: Record<string, string>;
}

function isSecretField(layout: TypeLayout, field: string): boolean {
  return layout.secretFields === 'any' ? !layout.publicFields.includes(field) : layout.secretFields.includes(field);
}

export function splitCredentialInput(type: CredentialType, value: Record<string, string> | undefined, ref: string | Record<string, string> | undefined): CredentialParts {
  const layout = LAYOUTS[type];
  if (!value && ref === undefined) throw new RequestInvalid('value: either value or ref is required', 'value');
  const parts: CredentialParts = { publicFields: {}, secretValues: {}, secretRefs: {} };
  for (const [field, text] of Object.entries(value ?? {})) {
    if (layout.publicFields.includes(field)) parts.publicFields[field] = text;
    else if (isSecretField(layout, field)) parts.secretValues[field] = text;
    else throw new RequestInvalid(`value.${field}: not a field of a ${type} credential`, `value.${field}`);
  }
  let refs: Record<string, string> = {};
  if (typeof ref === 'string') {
    if (!layout.primarySecret) throw new RequestInvalid(`ref: a ${type} credential takes ref as { field: reference }`, 'ref');
    refs = { [layout.primarySecret]: ref };
  } else if (ref) {
    refs = ref;
  }
  for (const [field, text] of Object.entries(refs)) {
    const param = typeof ref === 'string' ? 'ref' : `ref.${field}`;
    if (!isSecretField(layout, field)) throw new RequestInvalid(`${param}: not a secret field of a ${type} credential`, param);
    if (field in parts.secretValues) throw new RequestInvalid(`${param}: ${field} is given both as value and as ref`, param);
    parseSecretRef(text, param);
    parts.secretRefs[field] = text;
  }
  for (const field of layout.required) {
    if (!(field in parts.publicFields) && !(field in parts.secretValues) && !(field in parts.secretRefs)) {
      throw new RequestInvalid(`value.${field}: is required for a ${type} credential`, `value.${field}`);
    }
  }
  if (type === 'custom' && !Object.keys(parts.secretValues).length && !Object.keys(parts.secretRefs).length) {
    throw new RequestInvalid('value: a custom credential needs at least one secret field', 'value');
  }
  return parts;
}
