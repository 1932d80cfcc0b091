/**
 * Text made safe inside HTML, element content or a quoted attribute, with the entities liquidjs's
 * `escape` uses (so a link escaped here is found in a template's escaped output).
 */
export const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!,
  );
