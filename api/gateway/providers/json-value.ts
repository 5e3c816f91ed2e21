// Narrowing parsed upstream JSON: every adapter reads `unknown` bodies and checks shapes with this.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
