// The positive path with the SDK's own client: a component of the same app calls Keyhold with
// component.call, and is identified as that component (role component, never admin).
import { components } from '@blocklet/sdk/lib/config';
import { call } from '@blocklet/sdk/lib/component';
import { BlockletStatus } from '@blocklet/constant';
import { startTestApp, type TestApp } from '@tests/fixtures/test-app';

let app: TestApp;
const CALLER_DID = 'z8iZcallerComponent000000000000000000';

beforeAll(async () => {
  app = await startTestApp({ logLevel: 'silent' });
  process.env.BLOCKLET_COMPONENT_DID = CALLER_DID;
  // The SDK finds components in its registry; standalone it is empty, so register Keyhold as the callee.
  const port = Number(new URL(app.url).port);
  components.push({ did: 'z8keyhold', name: 'keyhold', title: 'Keyhold', mountPoint: '/', port, status: BlockletStatus.running, webEndpoint: app.url } as never);
});
afterAll(() => app.close());

describe('signed component calls through @blocklet/sdk component.call', () => {
  it('identifies the calling component', async () => {
    const res = await call({ name: 'keyhold', method: 'GET', path: '/api/me' }, { retries: 0 });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ kind: 'component', did: CALLER_DID, role: 'component', scopes: ['read', 'write'], keyId: null, clientId: null, componentDid: CALLER_DID });
  });

  it('signs a POST with a body, which is verified and still never grants admin', async () => {
    const failure = await call({ name: 'keyhold', method: 'POST', path: '/api/admin/accounts', data: { name: 'from-component', type: 'openai' } }, { retries: 0 }).catch((err: { response: { status: number } }) => err.response);
    expect(failure.status).toBe(403);
    expect((await app.call('GET', '/api/admin/accounts', { role: 'owner' })).json.data).toEqual([]);
  });
});
