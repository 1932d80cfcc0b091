import { IDENTIFIER_KINDS, type IdentifierKind } from './profile';

/**
 * The uniqueness key of an identifier, `kind#value` (`email#ann@example.com`, `phone#+447911123456`,
 * `externalId#C-1`): one profile at most holds each. The stores keep a marker per key; the row
 * processors plan with the same keys, so the encoding lives here, with the domain, once.
 */
export const identifierKey = (kind: IdentifierKind, value: string): string => `${kind}#${value}`;

/** The kind and value of a key `identifierKey` made (the value may itself contain `#`). */
export const identifierOfKey = (key: string): { kind: IdentifierKind; value: string } => {
  const at = key.indexOf('#');
  if (at < 0) return { kind: key as IdentifierKind, value: '' };
  return { kind: key.slice(0, at) as IdentifierKind, value: key.slice(at + 1) };
};

/** The uniqueness keys of whatever identifiers a record holds. */
export const identifierKeysOf = (
  fields: Partial<Record<IdentifierKind, string | undefined>>,
): { kind: IdentifierKind; key: string }[] =>
  IDENTIFIER_KINDS.flatMap((kind) =>
    fields[kind] ? [{ kind, key: identifierKey(kind, fields[kind]!) }] : [],
  );
