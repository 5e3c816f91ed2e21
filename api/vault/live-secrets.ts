// The set of secret values alive in this process, so the scrubber can replace them
// wherever they appear (log lines, error messages). Holds values only; never prints them.
import { maskSecret } from './mask';

// Values shorter than this are not scrubbed by search: they would match ordinary text.
const MIN_SCRUB_LENGTH = 6;

const live = new Set<string>();
let pattern: RegExp | null = null;
let patternStale = false;

export function registerLiveSecret(value: string): void {
  if (value.length < MIN_SCRUB_LENGTH || live.has(value)) return;
  live.add(value);
  patternStale = true;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function currentPattern(): RegExp | null {
  if (patternStale) {
    // Longest first, so a secret that contains another is replaced whole. JSON-escaped forms too,
    // because a log line is serialized JSON.
    const forms = new Set<string>();
    for (const value of live) {
      forms.add(value);
      forms.add(JSON.stringify(value).slice(1, -1));
    }
    const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
    pattern = sorted.length ? new RegExp(sorted.join('|'), 'g') : null;
    patternStale = false;
  }
  return pattern;
}

/** Replace every known live secret in text with its mask. */
export function scrubSecrets(text: string): string {
  const re = currentPattern();
  if (!re || !text) return text;
  return text.replace(re, (match) => maskSecret(match));
}

/** For tests: forget every registered value. */
export function clearLiveSecrets(): void {
  live.clear();
  pattern = null;
  patternStale = false;
}
