// AWS Bedrock's wire basics: the regional control-plane and runtime endpoints, SigV4 signing and
// the list-models probe. The runtime calls themselves (Converse, InvokeModel) are built beside it.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ProviderApi, UpstreamAccount, UpstreamCredential, UpstreamRequest } from '../types';
import {
  ProviderConfigInvalid,
  buildGetRequest,
  findSecretField,
  joinUpstreamUrl,
  readPublicField,
  resolveBaseUrl,
  revealSecretField,
} from '../upstream-request';

export const BEDROCK_SIGNING_SERVICE = 'bedrock';

// The region becomes part of a host name: only AWS's shape (us-east-1, us-gov-west-1) is let through.
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function readBedrockRegion(account: UpstreamAccount): string {
  const region = account.region?.trim() ?? '';
  if (!REGION_PATTERN.test(region)) throw new ProviderConfigInvalid('aws-bedrock accounts need a valid region (e.g. us-east-1)');
  return region;
}

/** baseUrl, when set, replaces the endpoint (VPC endpoints, tests); the region still scopes the signature. */
export function resolveBedrockControlUrl(account: UpstreamAccount): URL {
  const region = readBedrockRegion(account);
  return resolveBaseUrl(account, `https://bedrock.${region}.amazonaws.com`);
}

/**
 * Converse and InvokeModel go to bedrock-runtime, not the control plane. baseUrl replaces this
 * endpoint too, as for the control plane; both sign as service `bedrock`.
 */
export function resolveBedrockRuntimeUrl(account: UpstreamAccount): URL {
  const region = readBedrockRegion(account);
  return resolveBaseUrl(account, `https://bedrock-runtime.${region}.amazonaws.com`);
}

/** SigV4-sign the finished request: method, URL, signed headers and body hash are all covered. */
export async function signBedrockRequest(
  request: UpstreamRequest,
  region: string,
  credential: UpstreamCredential,
  signingDate: Date = new Date(),
): Promise<UpstreamRequest> {
  const url = new URL(request.url);
  const sessionToken = findSecretField(credential, 'session_token');
  const signer = new SignatureV4({
    service: BEDROCK_SIGNING_SERVICE,
    region,
    sha256: Sha256,
    credentials: {
      accessKeyId: readPublicField(credential, 'access_key_id', 'aws-bedrock'),
      secretAccessKey: revealSecretField(credential, 'secret_access_key', 'aws-bedrock'),
      ...(sessionToken === null ? {} : { sessionToken }),
    },
  });
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    query[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      // Host is signed, so it is sent exactly as signed rather than left to the HTTP client.
      headers: { ...request.headers, host: url.host },
      body: request.body,
    },
    { signingDate },
  );
  return { ...request, headers: { ...signed.headers } };
}

export const awsBedrockApi: ProviderApi = {
  type: 'aws-bedrock',
  // No fixed default: the endpoint comes from the region (resolveBedrockControlUrl).
  defaultBaseUrl: null,
  listedModelsField: 'modelSummaries',
  buildListModelsRequest: (account) => buildGetRequest(joinUpstreamUrl(resolveBedrockControlUrl(account), '/foundation-models')),
  applyUpstreamAuth: (request, account, credential) => signBedrockRequest(request, readBedrockRegion(account), credential),
};
