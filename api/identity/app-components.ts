// The components of this app as Blocklet Server describes them (the SDK's component registry).
//
// Loaded lazily: importing `@blocklet/sdk/lib/config` opens the SDK's notification websocket
// whenever BLOCKLET_* variables are set, which keeps short-lived processes (the CLI, test
// children) alive forever. Only the blocklet-mode verifier ever needs the registry.
type ComponentList = Array<{ did: string }>;

export function listAppComponentDids(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config = require('@blocklet/sdk/lib/config') as { getComponents(): ComponentList };
  return config.getComponents().map((component) => component.did);
}
