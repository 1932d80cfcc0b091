import { describe, expect, it } from 'vitest';
import { isFormulaCell, safeCsvCell, toCsvField } from './formula-cell';

describe('cells written back into CSV reports', () => {
  it('prefix anything a spreadsheet could evaluate, arithmetic included', () => {
    for (const cell of [
      '=HYPERLINK("http://x","y")',
      '+cmd|/C calc',
      '@SUM(1+1)',
      '+1-2',
      '-1-1',
      '+1/2',
      '-(1)',
      '+44 7911 123456',
      '\t=1',
    ]) {
      expect(safeCsvCell(cell), cell).toBe(`'${cell}`);
    }
  });

  it('leave plain numbers and ordinary text alone', () => {
    for (const cell of ['-12.50', '+3', '12,5', 'Ann', 'a=b', '']) expect(safeCsvCell(cell), cell).toBe(cell);
  });

  it('quote after neutralising', () => {
    expect(toCsvField('=A1,B1')).toBe(`"'=A1,B1"`);
  });

  it('do not warn about a phone number written with a sign', () => {
    expect(isFormulaCell('+44 7911 123456')).toBe(false);
    expect(isFormulaCell('=1+1')).toBe(true);
  });
});
