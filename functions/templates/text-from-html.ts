import { compile } from 'html-to-text';

// The text part of an email that has none, from its rendered html (html-to-text, compiled once:
// building the converter costs more than a conversion). Choices: links as `text [url]` (the url
// alone when it is the text; none for `#anchors`), so the unsubscribe link survives; images left out
// (a text reader gets nothing from an image address or a tracking pixel); headings keep their case;
// each table cell on its own line, since email layouts are tables and their cells would run together;
// lines wrapped at 78 characters (RFC 5322's recommended line length).

const convert = compile({
  wordwrap: 78,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, noAnchorUrl: true } },
    { selector: 'img', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'td', format: 'block' },
    { selector: 'th', format: 'block' },
  ],
});

/** The plain text an email client shows for this html. */
export const textFromHtml = (html: string): string => convert(html);
