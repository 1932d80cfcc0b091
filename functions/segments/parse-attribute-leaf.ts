import { isDateValue, parseDateValue } from './date-value';
import { didYouMean } from './nearest-names';
import { listOf, onlyKeys, type RuleErrors } from './rule-errors';
import {
  ATTRIBUTES_PREFIX,
  type FieldType,
  opsFor,
  type SegmentField,
  type SegmentFieldCatalogue,
} from './segment-fields';
import { ATTRIBUTE_OPS, type AttributeOp, type AttributeRule, type Scalar } from './segment-rule';

// Validation of an attribute leaf `{"attribute": path, "op": op, "value": v}` against the field
// catalogue: the field exists, the op suits its type, and the value is of the type the op needs.

export const MAX_IN_VALUES = 500;
export const MAX_STRING_VALUE = 1000;

const TYPE_LABEL: Readonly<Record<FieldType, string>> = {
  string: 'a text',
  number: 'a number',
  boolean: 'true or false',
  'date-time': 'a date-time',
  date: 'a date',
  'string-list': 'a list of texts',
  enum: 'one of fixed values',
  scalar: 'a custom attribute',
};

const RANGE_OPS: readonly AttributeOp[] = ['gt', 'gte', 'lt', 'lte'];
const DATE_OPS: readonly AttributeOp[] = ['before', 'after'];

type Checked = { readonly value: Scalar } | undefined;

/** One value of the field's type (an element of an `in` list, or the value of eq / ne). */
const checkScalar = (field: SegmentField, value: unknown, path: string, errors: RuleErrors): Checked => {
  switch (field.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? { value }
        : errors.add(path, `${field.path} is a number: the value must be a number`);
    case 'boolean':
      return typeof value === 'boolean'
        ? { value }
        : errors.add(path, `${field.path} is true or false: the value must be true or false`);
    case 'date': {
      const date = parseDateValue(value);
      return isDateValue(date) ? { value: value as string } : errors.add(path, date.reason);
    }
    case 'scalar':
      if (typeof value === 'number' && !Number.isFinite(value))
        return errors.add(path, 'must be a finite number');
      if (typeof value === 'string' && value.length > MAX_STRING_VALUE)
        return errors.add(path, `must be at most ${MAX_STRING_VALUE} characters`);
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? { value }
        : errors.add(path, 'must be a text, a number or true/false (use notExists for a missing value)');
    default: {
      if (typeof value !== 'string' || value === '')
        return errors.add(
          path,
          `${field.path} is ${TYPE_LABEL[field.type]}: the value must be a non-empty text`,
        );
      if (value.length > MAX_STRING_VALUE)
        return errors.add(path, `must be at most ${MAX_STRING_VALUE} characters`);
      const normalised = field.normalise ? field.normalise(value) : value;
      if (field.values && !field.values.includes(normalised))
        return errors.add(
          path,
          `${value} is not a value of ${field.path} (values: ${listOf(field.values)})${didYouMean(value, field.values)}`,
        );
      return { value: normalised };
    }
  }
};

const checkValue = (
  field: SegmentField,
  op: AttributeOp,
  node: Record<string, unknown>,
  path: string,
  errors: RuleErrors,
): Checked | { readonly value: readonly Scalar[] } | 'none' => {
  const has = 'value' in node;
  const value = node.value;
  const at = `${path}.value`;
  if (op === 'exists' || op === 'notExists') return has ? errors.add(at, `${op} takes no value`) : 'none';
  if (!has || value === null)
    return errors.add(
      at,
      `${op} needs a value${value === null ? ' (use notExists for a missing value)' : ''}`,
    );
  if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(value) || value.length === 0)
      return errors.add(at, `${op} needs a non-empty array of values, e.g. ["a", "b"]`);
    if (value.length > MAX_IN_VALUES) return errors.add(at, `${op} takes at most ${MAX_IN_VALUES} values`);
    const element: SegmentField = field.type === 'string-list' ? { ...field, type: 'string' } : field;
    const out: Scalar[] = [];
    value.forEach((v, i) => {
      const checked = checkScalar(element, v, `${at}[${i}]`, errors);
      if (checked) out.push(checked.value);
    });
    return out.length === value.length ? { value: [...new Set(out)] } : undefined;
  }
  if (Array.isArray(value)) return errors.add(at, `${op} takes one value; in and notIn take a list`);
  if (
    DATE_OPS.includes(op) ||
    (RANGE_OPS.includes(op) && (field.type === 'date' || field.type === 'date-time'))
  ) {
    const date = parseDateValue(value);
    return isDateValue(date) ? { value: value as string } : errors.add(at, date.reason);
  }
  if (RANGE_OPS.includes(op)) {
    // number, or a custom attribute: a number, else a date.
    if (typeof value === 'number') return checkScalar({ ...field, type: 'number' }, value, at, errors);
    if (field.type === 'scalar') {
      const date = parseDateValue(value);
      if (isDateValue(date)) return { value: value as string };
      return errors.add(
        at,
        `${op} compares numbers or dates: the value must be a number or ${date.reason.replace(/^must be /, '')}`,
      );
    }
    return errors.add(at, `${field.path} is a number: the value must be a number`);
  }
  if (op === 'contains') {
    if (typeof value !== 'string' || value === '') return errors.add(at, 'contains needs a non-empty text');
    if (value.length > MAX_STRING_VALUE)
      return errors.add(at, `must be at most ${MAX_STRING_VALUE} characters`);
    return { value };
  }
  return checkScalar(field, value, at, errors);
};

/** The attribute leaf `node` at `path` checked, or undefined (errors added). */
export const parseAttributeLeaf = (
  node: Record<string, unknown>,
  path: string,
  fields: SegmentFieldCatalogue,
  errors: RuleErrors,
): AttributeRule | undefined => {
  const before = errors.count;
  onlyKeys(node, ['attribute', 'op', 'value'], path, 'an attribute leaf', errors);
  const name = node.attribute;
  let field: SegmentField | undefined;
  if (typeof name !== 'string' || name === '')
    errors.add(`${path}.attribute`, 'must be a field path such as country');
  else {
    field = fields.field(name);
    if (!field)
      errors.add(
        `${path}.attribute`,
        name.startsWith(ATTRIBUTES_PREFIX)
          ? 'custom attribute names are 1-64 of A-Z a-z 0-9 _ . -'
          : `unknown field ${name}${didYouMean(name, fields.paths)}`,
      );
  }
  const op = node.op;
  if (typeof op !== 'string' || !(ATTRIBUTE_OPS as readonly string[]).includes(op)) {
    errors.add(
      `${path}.op`,
      `${typeof op === 'string' ? `unknown op ${op}` : 'needs an op'}; ops are ${listOf(ATTRIBUTE_OPS)}`,
    );
    return undefined;
  }
  if (!field) return undefined;
  const valid = opsFor(field);
  if (!valid.includes(op as AttributeOp)) {
    const zeroHint =
      field.zeroWhenMissing && (op === 'exists' || op === 'notExists')
        ? `${field.path} reads 0 for a profile without purchases, so it always exists (compare it with gt 0 instead); `
        : '';
    errors.add(
      `${path}.op`,
      `${zeroHint}${op} is not valid for ${field.path} (${TYPE_LABEL[field.type]}); valid ops: ${listOf(valid)}`,
    );
    return undefined;
  }
  const checked = checkValue(field, op as AttributeOp, node, path, errors);
  if (!checked || errors.count > before) return undefined;
  return checked === 'none'
    ? { attribute: field.path, op: op as AttributeOp }
    : { attribute: field.path, op: op as AttributeOp, value: checked.value };
};
