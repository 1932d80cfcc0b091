import { describe, expect, it } from 'vitest';
import { replaceProfile } from '../profiles/profile-changes';
import { renderReactivationEmail } from './render-reactivation';

describe('renderReactivationEmail', () => {
  it('escapes personal values in HTML and keeps the subject on one line', () => {
    const profile = replaceProfile(
      'p',
      { firstName: '<script>alert("x")</script>' },
      undefined,
      '2026-01-01T00:00:00Z',
    );
    const email = renderReactivationEmail(
      profile,
      { subjectTemplate: 'We miss you, {{firstName}}\r\nBcc: evil@example.com', offer: '20% & more' },
      'https://api.example.com/unsubscribe?token=a.b',
    );
    expect(email.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('20% &amp; more');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).toContain('Unsubscribe: https://api.example.com/unsubscribe?token=a.b');
  });
});
