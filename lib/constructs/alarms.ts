import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pascal } from '../naming';

/** CloudWatch alarms that notify the ops topic: any message in a dead-letter queue, any function error. */
export class Alarms extends Construct {
  private readonly action: SnsAction;
  /** Every alarm made here, for the dashboard. */
  readonly all: Alarm[] = [];

  constructor(scope: Construct, id: string, props: { readonly topic: ITopic }) {
    super(scope, id);
    this.action = new SnsAction(props.topic);
  }

  /** Alarms as soon as the dead-letter queue holds a message. */
  deadLetterQueue(name: string, queue: IQueue): Alarm {
    const alarm = new Alarm(this, `${pascal(name)}DeadLetters`, {
      alarmDescription: `Messages are waiting in the dead-letter queue of ${name}.`,
      metric: queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.all.push(alarm);
    return alarm;
  }

  /** Alarms on any error of the function. */
  functionErrors(name: string, fn: IFunction): Alarm {
    const alarm = new Alarm(this, `${pascal(name)}Errors`, {
      alarmDescription: `The function ${name} failed.`,
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.all.push(alarm);
    return alarm;
  }
}
