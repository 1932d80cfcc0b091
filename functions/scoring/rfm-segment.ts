// Named RFM segments from an R x FM grid, FM = round((F + M) / 2) with halves rounded up.
// The default grid is the widely used R x F(M) segment map (as popularised by the Putler and
// Kaggle "RFM segmentation" write-ups), with Lost split off Hibernating for R = 1:
//
//            FM=1                FM=2                FM=3                 FM=4              FM=5
//   R=5  New Customers      Potential Loyalist  Potential Loyalist   Champions         Champions
//   R=4  Promising          Potential Loyalist  Potential Loyalist   Loyal             Loyal
//   R=3  About to Sleep     About to Sleep      Need Attention       Loyal             Loyal
//   R=2  Hibernating        Hibernating         At Risk              At Risk           Cannot Lose Them
//   R=1  Lost               Lost                At Risk              At Risk           Cannot Lose Them

export const RFM_SEGMENTS = [
  'Champions',
  'Loyal',
  'Potential Loyalist',
  'New Customers',
  'Promising',
  'Need Attention',
  'About to Sleep',
  'At Risk',
  'Cannot Lose Them',
  'Hibernating',
  'Lost',
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/** map[R - 1][FM - 1] is the segment name. */
export type RfmSegmentMap = readonly (readonly string[])[];

export const DEFAULT_RFM_SEGMENT_MAP: RfmSegmentMap = [
  ['Lost', 'Lost', 'At Risk', 'At Risk', 'Cannot Lose Them'],
  ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', 'Cannot Lose Them'],
  ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal', 'Loyal'],
  ['Promising', 'Potential Loyalist', 'Potential Loyalist', 'Loyal', 'Loyal'],
  ['New Customers', 'Potential Loyalist', 'Potential Loyalist', 'Champions', 'Champions'],
];

/** The segment of scores r, f, m in 1-5; null when a score is 0 (customer not scored). */
export function rfmSegment(
  r: number,
  f: number,
  m: number,
  map: RfmSegmentMap = DEFAULT_RFM_SEGMENT_MAP,
): string | null {
  if (r < 1 || f < 1 || m < 1) return null;
  const fm = Math.floor((f + m + 1) / 2);
  const segment = map[r - 1]?.[fm - 1];
  if (segment === undefined) throw new Error(`RFM segment map has no cell for R=${r}, FM=${fm}`);
  return segment;
}
