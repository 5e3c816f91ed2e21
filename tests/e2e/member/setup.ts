// Server-side setup for the member browser tests, done through the admin API as an admin would:
// one provider account on the fake upstream, the default policy set to deny, and one rule that
// allows the member exactly one model, so the UI's model lists can be checked against the rules.
import type { UiHarness } from '@tests/fixtures/browser';

export const MEMBER_DID = 'z-ui-member-1';
export const ACCOUNT = 'openai-main';
export const ALLOWED_MODEL = `${ACCOUNT}/model-a`;
export const DENIED_MODEL = `${ACCOUNT}/model-b`;

export interface MemberSetup {
  ruleId: string;
}

async function callAsOwner(ui: UiHarness, method: string, path: string, body: unknown, status: number) {
  const res = await ui.gateway.app.call(method, path, { role: 'owner', body });
  if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

export async function allowMemberOneModel(ui: UiHarness): Promise<MemberSetup> {
  await ui.addAccount({ type: 'openai', name: ACCOUNT, enabledModels: ['model-a', 'model-b'] });
  await callAsOwner(ui, 'PUT', '/api/admin/settings', { defaultPolicy: 'deny' }, 200);
  const rule = await callAsOwner(ui, 'POST', '/api/admin/rules', { name: 'ui member may use model-a', models: [ALLOWED_MODEL], users: [MEMBER_DID], effect: 'allow' }, 201);
  return { ruleId: rule.id };
}

export async function disableRule(ui: UiHarness, ruleId: string): Promise<void> {
  await callAsOwner(ui, 'PATCH', `/api/admin/rules/${ruleId}`, { enabled: false }, 200);
}

/** Sets (or with null, clears) the per-member requests-per-minute limit every member's calls share. */
export async function setMemberRpm(ui: UiHarness, rpm: number | null): Promise<void> {
  await callAsOwner(ui, 'PUT', '/api/admin/settings', { defaultLimits: rpm === null ? {} : { member: { rpm } } }, 200);
}
