import { Stack } from 'aws-cdk-lib';
import { ConfigurationSet, ConfigurationSetTlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { resourceName } from '../naming';
import { domainOfAddress } from '../settings';

export interface EmailSendingProps {
  readonly stage: string;
  /** The `fromAddress` setting: its domain is the SES identity functions may send from. */
  readonly fromAddress: string;
}

/** The SES configuration set every campaign email goes through, and the identity it is sent from. */
export class EmailSending extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  readonly identityArn: string;

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    this.configurationSetName = resourceName(props.stage, 'campaigns');
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: this.configurationSetName,
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    const stack = Stack.of(this);
    this.configurationSetArn = stack.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSetName,
    });
    this.identityArn = stack.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: domainOfAddress(props.fromAddress),
    });
  }
}
