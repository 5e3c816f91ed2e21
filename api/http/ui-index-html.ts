// index.html as served: the mount prefix as <base href> (Vite builds with relative asset paths, so deep
// links and assets resolve under any prefix), Blocklet Server's __blocklet__.js when hosted there, and
// the security headers of the console's HTML. Never cached: it names the current hashed assets.
import type { Response } from 'express';
import type { RunMode } from '../config';

// 'unsafe-inline' styles only: emotion (MUI) injects <style> elements at run time. No inline scripts.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const SAFE_PREFIX = /^\/[A-Za-z0-9._~\-/]*$/;

/**
 * The prefix Blocklet Server mounted the component at (x-path-prefix), normalised to "/a/b/".
 * Standalone there is no proxy, so the header is ignored; an odd value falls back to "/".
 */
export function mountPrefixOf(mode: RunMode, header: string | string[] | undefined): string {
  const raw = mode === 'blocklet' && typeof header === 'string' ? header.trim() : '';
  if (!raw || !SAFE_PREFIX.test(raw) || raw.includes('//') || raw.split('/').includes('..')) return '/';
  return raw.endsWith('/') ? raw : `${raw}/`;
}

export function renderIndexHtml(template: string, options: { prefix: string; mode: RunMode }): string {
  // The prefix matched SAFE_PREFIX, so it needs no escaping inside the attribute.
  const head = [`<base href="${options.prefix}">`];
  if (options.mode === 'blocklet') head.push('<script src="__blocklet__.js"></script>');
  return template.replace(/<head>/i, `<head>\n    ${head.join('\n    ')}`);
}

export function setUiHtmlHeaders(res: Response): void {
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'SAMEORIGIN');
}
