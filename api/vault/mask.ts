// Masking of secret values for display: the one rule every API, log and page uses.
// Does not decide what is secret; callers pass only values they know to be secrets.

const MIN_PARTIAL_LENGTH = 12;

/** First four and last four characters with asterisks between; values under 12 characters fully masked. */
export function maskSecret(value: string): string {
  // A fixed mask: a short value's length is not told either.
  if (value.length < MIN_PARTIAL_LENGTH) return '********';
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}
