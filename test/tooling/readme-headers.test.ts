/**
 * The header advice in the README is what a host copies: each snippet must carry the app's own
 * Content-Security-Policy (the one vite.config.ts puts in the page's <meta>) and, beyond it,
 * frame-ancestors 'none', which a <meta> policy cannot say. A policy changed in one place only
 * would leave hosts with a header that blocks the app, or one that lets it be framed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../vite.config.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const directives = (policy: string) =>
  policy
    .split(';')
    .map((d) => d.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .sort();

describe('the README’s header advice for hosts', () => {
  const snippets = [...readme.matchAll(/Content-Security-Policy "([^"]+)"/g)].map((m) => m[1]!);

  it('gives the header for nginx and for Caddy', () => {
    expect(snippets).toHaveLength(2);
    expect(readme).toMatch(/```nginx\nadd_header Content-Security-Policy/);
    expect(readme).toMatch(/```caddyfile\nheader \{\n\tContent-Security-Policy/);
  });

  it('each is the app’s own policy with frame-ancestors added', () => {
    const expected = directives(`${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
    for (const s of snippets) expect(directives(s)).toEqual(expected);
  });
});
