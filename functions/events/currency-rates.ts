/** Rates to the base currency: an amount in `currency` times `rates[currency]` is in the base currency. */
export type CurrencyRates = Readonly<Record<string, number>>;

/**
 * Reads the `currencyRates` setting (JSON such as {"EUR":1.08,"GBP":1.27}). Anything that is not a
 * positive finite number under an ISO 4217 code fails at cold start with the reason.
 */
export const parseCurrencyRates = (json: string): CurrencyRates => {
  let value: unknown;
  try {
    value = JSON.parse(json === '' ? '{}' : json);
  } catch {
    throw new Error('setting currencyRates (CURRENCY_RATES) is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('setting currencyRates (CURRENCY_RATES) must be a JSON object of rates');
  }
  const rates: Record<string, number> = {};
  for (const [code, rate] of Object.entries(value)) {
    if (!/^[A-Z]{3}$/.test(code) || typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
      throw new Error(`setting currencyRates (CURRENCY_RATES): ${code} needs a positive rate`);
    }
    rates[code] = rate;
  }
  return rates;
};

/** The rate that turns `currency` into `base`, or undefined when none is configured. */
export const rateFor = (currency: string, base: string, rates: CurrencyRates): number | undefined =>
  currency === base ? 1 : rates[currency];

/** Digits after the decimal point of a currency's minor unit (USD 2, JPY 0, BHD 3). */
export const minorDigits = (currency: string): number => {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
};
