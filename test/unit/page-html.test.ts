import type { Html } from '../../src/transport/http/pages/html';
import { contentSecurityPolicy, newNonce } from '../../src/transport/http/pages/content-security-policy';
import { escapeHtml, html } from '../../src/transport/http/pages/html';

describe('html', () => {
  it('escapes the five characters that can end a text node or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes every value put into a template, and only the values', () => {
    const title = '<script>alert("x")</script>';
    expect(html`<p title="${title}">${title}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
    );
  });

  it('keeps markup made by html as it is, joins lists and leaves out null and undefined', () => {
    // Under another name, so that Prettier leaves the template's whitespace alone.
    const tag = html;
    const items = ['a<b', 'c'].map((text) => tag`<li>${text}</li>`);
    expect(tag`<ul>${items}</ul>${null}${undefined}${0}`.text).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
  });

  it('does not take a string that looks like markup for markup', () => {
    const forged = { text: '<script></script>' } as unknown as Html;
    expect(html`${String(forged.text)}`.text).toBe('&lt;script&gt;&lt;/script&gt;');
  });
});

describe('contentSecurityPolicy', () => {
  it('denies by default and allows scripts by the nonce alone', () => {
    const policy = contentSecurityPolicy('abc');
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'nonce-abc';");
    expect(policy).toContain("worker-src 'none'");
    expect(policy).toContain("connect-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe');
  });

  it('adds only the sources a page names', () => {
    const policy = contentSecurityPolicy('abc', { worker: ["'self'"], font: ['data:'] });
    expect(policy).toContain("worker-src 'self'");
    expect(policy).toContain("font-src 'self' data:");
    expect(policy).toContain("script-src 'nonce-abc';");
  });

  it('makes a different nonce of 128 bits each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
