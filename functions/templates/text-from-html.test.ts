import { describe, expect, it } from 'vitest';
import { textFromHtml } from './text-from-html';

describe('textFromHtml', () => {
  it('keeps links as text [url], and a url once when it is the text', () => {
    const html =
      '<p>Hello <a href="https://shop.example.com/?a=1&amp;b=2">Shop now</a></p>' +
      '<p><a href="https://example.com/u">https://example.com/u</a> <a href="#top">Top</a></p>';
    expect(textFromHtml(html)).toBe(
      'Hello Shop now [https://shop.example.com/?a=1&b=2]\n\nhttps://example.com/u Top',
    );
  });
  it('leaves out images, styles, scripts and the head; keeps heading case', () => {
    const html =
      '<html><head><title>T</title><style>p{color:red}</style></head><body>' +
      '<h1>Hi Ann</h1><img src="https://t.example.com/pixel.gif" alt="pixel"><script>x()</script><p>Bye</p></body></html>';
    expect(textFromHtml(html)).toBe('Hi Ann\n\nBye');
  });
  it('puts the cells of a layout table on lines of their own', () => {
    expect(textFromHtml('<table><tr><td>Left</td><td>Right</td></tr></table>')).toBe('Left\n\nRight');
  });
  it('decodes entities: the text part is text', () => {
    expect(textFromHtml('<p>Tom &amp; &lt;Jerry&gt;</p>')).toBe('Tom & <Jerry>');
  });
});
