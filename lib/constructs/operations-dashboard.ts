import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE, type MetricName } from '../../functions/shared/metric-names';

/** Each graph: its metrics, and the functions that record them (the `service` dimension). */
const GRAPHS: readonly {
  readonly title: string;
  readonly metrics: readonly MetricName[];
  readonly functions: readonly string[];
  readonly statistic: 'Sum' | 'Maximum';
}[] = [
  {
    title: 'Rows imported and rejected',
    metrics: [METRIC.rowsImported, METRIC.rowsRejected, METRIC.importsFailed],
    functions: ['import-profiles', 'import-transactions'],
    statistic: 'Sum',
  },
  {
    title: 'Events accepted and duplicate',
    metrics: [METRIC.eventsAccepted, METRIC.eventsDuplicate],
    functions: ['post-events'],
    statistic: 'Sum',
  },
  {
    title: 'Messages sent, throttled and failed',
    metrics: [METRIC.messagesSent, METRIC.messagesThrottled, METRIC.messagesFailed],
    functions: ['send-campaign-messages'],
    statistic: 'Sum',
  },
  {
    title: 'Scoring run duration (ms)',
    metrics: [METRIC.scoringRunDuration],
    functions: ['score-customers'],
    statistic: 'Maximum',
  },
];

/**
 * The operator's page: the figures the functions record (embedded metric format, namespace
 * `Rekindle`), the functions' errors and durations, and the state of every alarm.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(
    scope: Construct,
    id: string,
    props: {
      readonly stage: string;
      readonly functions: ReadonlyMap<string, IFunction>;
      readonly alarms: readonly Alarm[];
    },
  ) {
    super(scope, id);
    const fn = (name: string): IFunction => {
      const found = props.functions.get(name);
      if (!found) throw new Error(`The dashboard graphs ${name}, which the definition does not declare`);
      return found;
    };
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `rekindle-${props.stage}-operations`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Rekindle ${props.stage}\nImports, events, messages and scoring as the functions record them; errors, durations and alarms below.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      ...GRAPHS.map(
        (graph) =>
          new GraphWidget({
            title: graph.title,
            width: 12,
            left: graph.metrics.flatMap((metricName) =>
              graph.functions.map(
                (name) =>
                  new Metric({
                    namespace: METRICS_NAMESPACE,
                    metricName,
                    dimensionsMap: { service: fn(name).functionName },
                    statistic: graph.statistic,
                    period: Duration.hours(1),
                    label: graph.functions.length > 1 ? `${metricName} (${name})` : metricName,
                  }),
              ),
            ),
          }),
      ),
    );
    const all = [...props.functions.entries()];
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Function errors',
        width: 12,
        left: all.map(([name, f]) => f.metricErrors({ period: Duration.hours(1), label: name })),
      }),
      new GraphWidget({
        title: 'Function duration (p99, ms)',
        width: 12,
        left: all.map(([name, f]) =>
          f.metricDuration({ period: Duration.hours(1), statistic: 'p99', label: name }),
        ),
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 }),
    );
  }
}
