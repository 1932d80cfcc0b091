import { describe, expect, it } from 'vitest';
import { squashName } from './clean-text';
import {
  PROFILE_FIELDS,
  profileColumnAliases,
  TRANSACTION_FIELDS,
  transactionColumnAliases,
} from './column-aliases';
import { fieldForColumn, fieldsOfCells, planColumns, valuesMapper } from './plan-columns';

describe('column aliases', () => {
  it.each([
    ['E-mail', 'email'],
    ['Email Address', 'email'],
    ['邮箱', 'email'],
    ['电子邮件', 'email'],
    ['Mobile Phone', 'phone'],
    ['cell', 'phone'],
    ['TEL', 'phone'],
    ['手机号码', 'phone'],
    ['电话', 'phone'],
    ['Full Name', 'fullName'],
    ['姓名', 'fullName'],
    ['Given Name', 'firstName'],
    ['名', 'firstName'],
    ['Surname', 'lastName'],
    ['姓', 'lastName'],
    ['Customer No.', 'externalId'],
    ['会员号', 'externalId'],
    ['客户编号', 'externalId'],
    ['DOB', 'birthDate'],
    ['出生日期', 'birthDate'],
    ['Sex', 'gender'],
    ['城市', 'city'],
    ['Post Code', 'postalCode'],
    ['邮编', 'postalCode'],
    ['Email Opt-In', 'emailConsent'],
    ['SMS opt in', 'smsConsent'],
    ['Marketing Consent', 'marketingConsent'],
    ['ＥＭＡＩＬ', 'email'],
  ])('profile column %s -> %s', (name, field) => {
    expect(fieldForColumn(name, 'profiles')).toBe(field);
  });

  it.each([
    ['Order ID', 'orderId'],
    ['订单号', 'orderId'],
    ['Purchase Date', 'date'],
    ['下单时间', 'date'],
    ['Dollar Value', 'amount'],
    ['金额', 'amount'],
    ['币种', 'currency'],
    ['Number of CDs', 'quantity'],
    ['Qty', 'quantity'],
    ['商品编号', 'sku'],
    ['品类', 'category'],
    ['Type', 'type'],
    ['Event ID', 'eventId'],
    ['Customer ID', 'externalId'],
  ])('transaction column %s -> %s', (name, field) => {
    expect(fieldForColumn(name, 'transactions')).toBe(field);
  });

  it('every alias is unique within its table and no alias names another field', () => {
    for (const [fields, aliases] of [
      [PROFILE_FIELDS, profileColumnAliases],
      [TRANSACTION_FIELDS, transactionColumnAliases],
    ] as const) {
      const owner = new Map<string, string>();
      for (const field of fields) owner.set(squashName(field), field);
      for (const field of fields) {
        for (const alias of (aliases as Record<string, readonly string[]>)[field] ?? []) {
          const key = squashName(alias);
          expect(owner.get(key) ?? field, `${alias} of ${field}`).toBe(field);
          owner.set(key, field);
        }
      }
    }
  });
});

describe('planColumns', () => {
  it('maps by alias, ignores and reports unmapped columns by default', () => {
    const plan = planColumns(['E-mail', 'Mobile', 'Loyalty Tier', ''], 'profiles');
    expect(plan.targets).toEqual(['email', 'phone', undefined, undefined]);
    expect(plan.ignored).toEqual(['Loyalty Tier', 'column 4 (no name)']);
    expect(plan.errors).toEqual([]);
  });

  it('keeps unmapped columns as attributes when the manifest says so', () => {
    const plan = planColumns(['email', 'Loyalty Tier', '会员等级'], 'profiles', {
      unmappedColumns: 'attributes',
    });
    expect(plan.targets).toEqual(['email', 'attributes.Loyalty_Tier', 'attributes.column_3']);
    expect(plan.warnings).toEqual([
      'column 2 (Loyalty Tier) kept as attributes.Loyalty_Tier',
      'column 3 (会员等级) kept as attributes.column_3',
    ]);
  });

  it('lets the manifest columns win over aliases, and ignore columns', () => {
    const plan = planColumns(['Phone', 'Mobile', 'Ref'], 'profiles', {
      columns: { Phone: 'ignore', ref: 'externalId', Missing: 'email' },
    });
    expect(plan.targets).toEqual([undefined, 'phone', 'externalId']);
    expect(plan.columns.map((c) => c.by)).toEqual(['manifest', 'alias', 'manifest']);
    expect(plan.warnings).toEqual(['the manifest names column Missing, which the file does not have']);
  });

  it('two columns for one field is a file error with a clear reason', () => {
    const plan = planColumns(['Phone', 'Mobile'], 'profiles');
    expect(plan.errors).toEqual([
      "columns 1 (Phone) and 2 (Mobile) both map to phone: map one elsewhere or to ignore in the manifest's columns",
    ]);
  });

  it('a manifest mapping to an unknown field is a file error', () => {
    expect(planColumns(['a'], 'profiles', { columns: { a: 'shoeSize' } }).errors).toEqual([
      'the manifest maps column a to shoeSize, which is not a profile field',
    ]);
  });

  it('fieldsOfCells leaves out empty cells and refuses short rows and extra non-empty cells', () => {
    const plan = planColumns(['email', 'name'], 'profiles');
    expect(fieldsOfCells(plan, ['a@example.com', ' '])).toEqual({ fields: { email: 'a@example.com' } });
    expect(fieldsOfCells(plan, ['a@example.com', 'Ann', ''])).toEqual({
      fields: { email: 'a@example.com', fullName: 'Ann' },
    });
    expect(fieldsOfCells(plan, ['a@example.com'])).toEqual({ reason: 'has 1 fields, the header has 2' });
    expect(fieldsOfCells(plan, ['a', 'b', 'c'])).toEqual({ reason: 'has 3 fields, the header has 2' });
  });
});

describe('valuesMapper (JSON Lines)', () => {
  it('maps keys with the same rules and reports two keys for one field', () => {
    const mapper = valuesMapper('profiles');
    expect(mapper.map({ 'E-mail': 'a@example.com', shoe: '42', 'attributes.tier': 'gold' })).toEqual({
      fields: { email: 'a@example.com', 'attributes.tier': 'gold' },
    });
    expect([...mapper.ignored]).toEqual(['shoe']);
    expect(mapper.map({ email: 'a@example.com', 'e-mail': 'b@example.com' })).toEqual({
      reason: 'keys email and e-mail both map to email',
    });
  });
});
