// OpenAI carries tool-call arguments as JSON text; Anthropic, Bedrock and Ollama want the object.
// This only reads: each provider refuses arguments that are not an object in its own words.
import { isRecord } from './json-value';

/** The arguments as an object: blank text is {} (some clients send "" for no arguments); null when not a JSON object. */
export function parseToolArguments(text: string): Record<string, unknown> | null {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return isRecord(parsed) ? parsed : null;
}
