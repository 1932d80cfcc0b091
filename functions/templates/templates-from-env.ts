import { resourceEnv } from '../../lib/definition';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv, setting } from '../shared/settings';
import { DynamoDbTemplateStore } from './dynamodb-template-store';
import { TemplateService } from './template-service';

export const templateServiceFromEnv = () =>
  new TemplateService({
    store: new DynamoDbTemplateStore(documentClient(), requiredEnv(resourceEnv.table('campaigns'))),
    smsOptOut: setting('smsOptOutText'),
  });
