// Reading an image or file sent inline as a base64 data: URL into its media type and payload.
// Which media types a provider takes, and how it refuses the rest, stays with each provider.

export interface DataUrlContent {
  /** Lower-cased, parameters left out: "image/png". */
  mediaType: string;
  /** The base64 payload as sent, not decoded. */
  data: string;
}

// data:<media type>[;<parameter>]*;base64,<data>. The scheme and "base64" match in any case, as
// URLs allow; a media type is required, since the providers that need one have nothing to fall back on.
const BASE64_DATA_URL = /^data:([^;,]+)(?:;[^;,]*)*;base64,(.*)$/is;

/** The media type and payload of a base64 data: URL; null for any other URL (http(s), or data: not in base64). */
export function parseBase64DataUrl(url: string): DataUrlContent | null {
  const match = BASE64_DATA_URL.exec(url);
  return match ? { mediaType: (match[1] ?? '').toLowerCase(), data: match[2] ?? '' } : null;
}
