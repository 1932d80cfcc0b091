import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { resourceName } from '../naming';

/** The generated secret (64 characters, no punctuation) that signs unsubscribe links. */
export class UnsubscribeSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: { readonly stage: string }) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      secretName: resourceName(props.stage, 'unsubscribe-signing-key'),
      description: 'Signs the one-click unsubscribe links of campaign messages.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret signs the unsubscribe links of messages already delivered, which must keep working for weeks after sending; automatic rotation would silently break every outstanding link, so rotation is a deliberate, manual operation.',
    });
  }
}
