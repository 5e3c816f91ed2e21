// `npm run bench:vault`: median microseconds to open one credential field with Keyhold's cipher
// (AES-256-GCM under an unwrapped data key) versus the SDK's security.decrypt (PBKDF2 + AES per call).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import security from '@blocklet/sdk/lib/security';
import { prepareEnvironment } from '../../api/runtime-env';
import { createContext } from '../../api/context';
import { createLogger } from '../../api/log';
import { openField, sealField } from '../../api/vault/cipher';
import { median, percentile, sampleMicros } from './stats';

async function bench(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyhold-bench-'));
  process.env.KEYHOLD_DATA_DIR = dataDir;
  const { config } = prepareEnvironment();
  const ctx = await createContext(config, { log: createLogger({ level: 'silent' }) });
  const value = 'sk-proj-benchmark-0123456789abcdefghijklmnopqrstuvwxyz';
  const binding = { ownerId: '5b0f4f3e-2c1d-4a8e-9f00-000000000001', field: 'api_key' };
  const keyring = ctx.vault.keyring;
  const sealed = sealField(keyring, value, binding);
  const sdkSealed = security.encrypt(value, process.env.BLOCKLET_APP_EK, process.env.BLOCKLET_DID);

  // Warm up both paths so JIT and OpenSSL setup are not measured.
  sampleMicros(() => openField(keyring, sealed, binding), 20, 100);
  sampleMicros(() => security.decrypt(sdkSealed, process.env.BLOCKLET_APP_EK, process.env.BLOCKLET_DID), 5, 5);

  // Interleaved rounds, so both paths see the same background noise on this shared machine.
  const keyhold: number[] = [];
  const sdk: number[] = [];
  for (let round = 0; round < 60; round += 1) {
    keyhold.push(...sampleMicros(() => {
      if (openField(keyring, sealed, binding) !== value) throw new Error('wrong plaintext');
    }, 5, 100));
    sdk.push(...sampleMicros(() => {
      if (security.decrypt(sdkSealed, process.env.BLOCKLET_APP_EK, process.env.BLOCKLET_DID) !== value) throw new Error('wrong plaintext');
    }, 1, 5));
  }

  const k = median(keyhold);
  const s = median(sdk);
  const rows = [
    ['path', 'median µs', 'p99 µs', 'samples'],
    ['keyhold openField (AES-256-GCM)', k.toFixed(2), percentile(keyhold, 99).toFixed(2), `${keyhold.length}x100`],
    ['sdk security.decrypt', s.toFixed(2), percentile(sdk, 99).toFixed(2), `${sdk.length}x5`],
  ];
  for (const row of rows) process.stdout.write(`${row[0].padEnd(34)}${row[1].padStart(12)}${row[2].padStart(12)}${row[3].padStart(10)}\n`);
  process.stdout.write(`\nKeyhold is ${(s / k).toFixed(0)}x faster (target: <= 20 µs median and >= 50x).\n`);
  await ctx.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

bench().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
