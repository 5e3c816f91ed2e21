// `keyhold keys …`: API keys from the command line, through the same functions the API uses
// (audited as the CLI actor). The full key is printed once, by create and rotate.
import { parseArgs } from 'node:util';
import type { AppContext } from '../api/context';
import { CLI_ACTOR } from '../api/audit/actor';
import { parseInput } from '../api/http/validate';
import { createKeyForOwnerSchema } from '../api/identity/api-key-schemas';
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../api/identity/api-keys';

const list = (text: string | undefined) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

export async function runKeysCommand(ctx: AppContext, args: string[], out: (line: string) => void): Promise<void> {
  const [verb, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: 'string' }, owner: { type: 'string' }, role: { type: 'string' }, scopes: { type: 'string' }, models: { type: 'string' },
      'client-id': { type: 'string' }, expires: { type: 'string' }, all: { type: 'boolean' }, 'grace-hours': { type: 'string' },
    },
  });
  if (verb === 'create') {
    const input = parseInput(createKeyForOwnerSchema, {
      name: values.name, ownerDid: values.owner, ownerRole: values.role, scopes: list(values.scopes), models: list(values.models),
      clientId: values['client-id'], expiresAt: values.expires,
    });
    const issued = await createApiKey(ctx, CLI_ACTOR, { ...input, ownerDid: input.ownerDid ?? CLI_ACTOR.did, ownerRole: input.ownerRole ?? 'member' });
    out(`id:      ${issued.id}\nowner:   ${issued.ownerDid} (${issued.ownerRole})\nscopes:  ${issued.scopes.join(',')}\nexpires: ${issued.expiresAt ?? 'never'}`);
    out(`key:     ${issued.key}\n(shown once: store it now)`);
  } else if (verb === 'list') {
    const { data } = await listApiKeys({ ownerDid: values.owner, includeRevoked: values.all, limit: 500, offset: 0 });
    for (const key of data) out([key.id, key.name, key.ownerDid, key.ownerRole, key.scopes.join(','), key.revokedAt ? 'revoked' : (key.expiresAt ?? 'no-expiry')].join('\t'));
  } else if (verb === 'revoke' && positionals[0]) {
    const view = await revokeApiKey(ctx, CLI_ACTOR, positionals[0]);
    out(`revoked ${view.id} at ${view.revokedAt}`);
  } else if (verb === 'rotate' && positionals[0]) {
    const grace = values['grace-hours'] === undefined ? undefined : Number(values['grace-hours']);
    const issued = await rotateApiKey(ctx, CLI_ACTOR, positionals[0], { graceHours: grace });
    out(`key:     ${issued.key}\nprevious secret valid until: ${issued.previousSecretValidUntil ?? 'no longer valid'}`);
  } else {
    throw new Error('usage: keys create --name N [...] | keys list [--owner DID] [--all] | keys revoke ID | keys rotate ID [--grace-hours H]');
  }
}
