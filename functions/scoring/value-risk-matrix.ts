// The value x churn-risk matrix: each value tier maps to a value level (high, medium, low), each
// churn band to a risk level, and each cell calls for an action. Defaults follow the usual
// retention-economics reading (Reinartz and Kumar, "The Mismanagement of Customer Loyalty",
// Harvard Business Review, July 2002; Gupta and Lehmann, "Managing Customers as Investments", 2005):
// spend to retain where expected value is high and at risk, nurture the valuable and safe,
// serve low value through cheap channels and let lapsed low value go.

export type ValueLevel = 'high' | 'medium' | 'low';

export interface MatrixAction {
  action: string;
  description: string;
}

export interface ValueRiskMatrixConfig {
  /** Value level of each value tier name. */
  valueLevels: Readonly<Record<string, ValueLevel>>;
  /** Action per cell key `${valueLevel}/${churnBandName}`. */
  actions: Readonly<Record<string, MatrixAction>>;
}

export const DEFAULT_VALUE_RISK_MATRIX: ValueRiskMatrixConfig = {
  valueLevels: {
    gold: 'high',
    key: 'high',
    quality: 'medium',
    general: 'medium',
    restricted: 'low',
    eliminated: 'low',
  },
  actions: {
    'high/low': {
      action: 'nurture-and-ask-referrals',
      description: 'Recognise and reward; ask for referrals and reviews; early access rather than discounts.',
    },
    'high/medium': {
      action: 'engage-personally',
      description: 'Proactive personal contact and loyalty benefits before the relationship cools.',
    },
    'high/high': {
      action: 'invest-to-retain',
      description:
        'Worth real retention spend: personal outreach, tailored win-back offer, service recovery.',
    },
    'medium/low': { action: 'grow', description: 'Cross-sell and upsell through regular campaigns.' },
    'medium/medium': {
      action: 'keep-engaged',
      description: 'Regular campaigns with relevant content and reminders.',
    },
    'medium/high': {
      action: 'reactivate-at-low-cost',
      description: 'Targeted reactivation with a modest incentive through owned channels.',
    },
    'low/low': { action: 'cheaper-touches', description: 'Automated, low-cost channels (email) only.' },
    'low/medium': { action: 'cheaper-touches', description: 'Automated, low-cost channels (email) only.' },
    'low/high': {
      action: 'let-go',
      description: 'No paid retention effort; keep only free, consented channels.',
    },
  },
};

export interface MatrixCell {
  key: string;
  valueLevel: ValueLevel;
  churnBand: string;
  action: string;
  description: string;
}

/** All cells for the given churn band names, in value-level then band order. */
export function matrixCells(
  churnBandNames: readonly string[],
  config: ValueRiskMatrixConfig = DEFAULT_VALUE_RISK_MATRIX,
): MatrixCell[] {
  const cells: MatrixCell[] = [];
  for (const valueLevel of ['high', 'medium', 'low'] as const) {
    for (const churnBand of churnBandNames) {
      const key = `${valueLevel}/${churnBand}`;
      const action = config.actions[key];
      if (!action) throw new Error(`value-risk matrix has no action for cell ${key}`);
      cells.push({ key, valueLevel, churnBand, ...action });
    }
  }
  return cells;
}

/** Index into matrixCells(...) of a tier name and churn band index. */
export function matrixCellIndex(
  tierName: string,
  churnBand: number,
  bandCount: number,
  config: ValueRiskMatrixConfig = DEFAULT_VALUE_RISK_MATRIX,
): number {
  const level = config.valueLevels[tierName];
  if (level === undefined) throw new Error(`value tier ${tierName} has no value level`);
  const row = level === 'high' ? 0 : level === 'medium' ? 1 : 2;
  return row * bandCount + churnBand;
}
