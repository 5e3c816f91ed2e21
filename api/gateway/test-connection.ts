// "Test connection" for one credential: the provider's cheapest list-models call, answered with
// ok + model count or a short scrubbed error. It stores nothing and marks no credential; callers do.
import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';
import { getProviderApi } from './providers';
import type { ProviderApi, UpstreamAccount, UpstreamCredential, UpstreamRequest } from './providers/types';
import { ProviderConfigInvalid } from './providers/upstream-request';
import { describeTransportFailure, extractUpstreamErrorMessage, listSensitiveValues, scrubUpstreamMessage } from './upstream-error';

export type TestConnectionResult =
  | { ok: true; status: number; latencyMs: number; models: number }
  | { ok: false; status: number | null; latencyMs: number; error: string };

export interface TestConnectionOptions {
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

export const DEFAULT_TEST_TIMEOUT_MS = 10_000;
// Large catalogues (OpenRouter, Bedrock) are a few MB at most; past this the answer is not a model list.
const MAX_BODY_BYTES = 8 * 1024 * 1024;

class UpstreamBodyTooLarge extends Error {}

async function readBodyText(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > maxBytes) {
      body.destroy();
      throw new UpstreamBodyTooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function countModels(api: ProviderApi, bodyText: string): number | null {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body !== 'object' || body === null || !Object.hasOwn(body, api.listedModelsField)) return null;
    const list: unknown = (body as Record<string, unknown>)[api.listedModelsField];
    return Array.isArray(list) ? list.length : null;
  } catch {
    return null;
  }
}

async function buildSignedRequest(account: UpstreamAccount, credential: UpstreamCredential) {
  const api = getProviderApi(account.type);
  const unsigned = api.buildListModelsRequest(account);
  const signed = await api.applyUpstreamAuth(unsigned, account, credential);
  return { api, unsigned, signed };
}

function describeSetupFailure(error: unknown): string {
  // Our own config errors name fields, never values; anything else is not ours to repeat.
  return error instanceof ProviderConfigInvalid ? error.message : 'could not build the upstream request';
}

function describeAnswer(status: number, bodyText: string): string {
  const message = extractUpstreamErrorMessage(bodyText);
  return message === null ? `upstream answered ${status}` : `upstream answered ${status}: ${message}`;
}

export async function testConnection(
  account: UpstreamAccount,
  credential: UpstreamCredential,
  opts: TestConnectionOptions = {},
): Promise<TestConnectionResult> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let sensitive = listSensitiveValues(credential);
  const fail = (status: number | null, message: string): TestConnectionResult => ({
    ok: false,
    status,
    latencyMs: elapsed(),
    error: scrubUpstreamMessage(message, sensitive),
  });

  let built: { api: ProviderApi; unsigned: UpstreamRequest; signed: UpstreamRequest };
  try {
    built = await buildSignedRequest(account, credential);
  } catch (error) {
    return fail(null, describeSetupFailure(error));
  }
  const { api, unsigned, signed } = built;
  sensitive = listSensitiveValues(credential, unsigned, signed);

  const timeoutMs = opts.timeoutMs ?? account.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  // One deadline for connect, headers and body alike: a slow trickle must not outlive it.
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let status: number | null = null;
  try {
    // Redirects are not followed (undici's default): a redirect must never carry our key elsewhere.
    const response = await request(signed.url, {
      method: signed.method,
      headers: signed.headers,
      body: signed.body,
      signal: controller.signal,
      dispatcher: opts.dispatcher,
    });
    status = response.statusCode;
    const bodyText = await readBodyText(response.body, MAX_BODY_BYTES);
    if (status < 200 || status >= 300) return fail(status, describeAnswer(status, bodyText));
    const models = countModels(api, bodyText);
    if (models === null) return fail(status, `upstream answered ${status} but not with a model list`);
    return { ok: true, status, latencyMs: elapsed(), models };
  } catch (error) {
    if (timedOut) return fail(status, `upstream did not answer within ${timeoutMs} ms`);
    if (error instanceof UpstreamBodyTooLarge) return fail(status, `upstream answer is larger than ${MAX_BODY_BYTES} bytes`);
    return fail(status, describeTransportFailure(error));
  } finally {
    clearTimeout(timer);
  }
}
