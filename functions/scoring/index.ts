// Public surface of the pure scoring models (no AWS, no I/O).
export * from './analytics-grids.ts';
export * from './back-test.ts';
export * from './bg-nbd.ts';
export * from './churn-band.ts';
export * from './clv.ts';
export * from './gamma-gamma.ts';
export * from './holdout-check.ts';
export * from './hyp2f1.ts';
export * from './lifecycle-stage.ts';
export * from './log-gamma.ts';
export * from './parse-cdnow.ts';
export * from './prepare-transactions.ts';
export * from './rfm-scores.ts';
export * from './rfm-segment.ts';
export * from './score-customers.ts';
export * from './value-risk-matrix.ts';
export * from './value-tier.ts';
