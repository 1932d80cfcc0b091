import {
  type QueueName,
  queues,
  type TableName,
  type TopicName,
  tableNames,
  topics,
} from '../lib/definition';
import { resourceName } from '../lib/naming';

export interface ResourceNames {
  readonly stage: string;
  readonly tables: Readonly<Record<TableName, string>>;
  readonly bucket: string;
  readonly queues: Readonly<Record<QueueName, { readonly name: string; readonly deadLetterName: string }>>;
  readonly topics: Readonly<Record<TopicName, string>>;
  readonly configurationSet: string;
}

/**
 * What a stage may be called: lowercase letters, digits and inner hyphens, at most 35 characters, so
 * that every name below is valid in AWS (an S3 bucket name has at most 63 characters and no capital
 * letter; a Lambda function name, `rekindle-<stage>-import-transactions`, at most 64).
 */
export const stagePattern = /^[a-z0-9](?:[a-z0-9-]{0,33}[a-z0-9])?$/;

/** Physical names of every resource of a stage, as the stack names them (`rekindle-<stage>-<kebab name>`). */
export const resourceNames = (stage: string): ResourceNames => {
  if (!stagePattern.test(stage))
    throw new Error(
      `Stage "${stage}" is not a valid stage name: lowercase letters, digits and inner hyphens, at most 35 characters`,
    );
  return namesOf(stage);
};

const namesOf = (stage: string): ResourceNames => ({
  stage,
  tables: Object.fromEntries(tableNames.map((name) => [name, resourceName(stage, name)])) as Record<
    TableName,
    string
  >,
  bucket: resourceName(stage, 'drop'),
  queues: Object.fromEntries(
    (Object.keys(queues) as QueueName[]).map((name) => [
      name,
      { name: resourceName(stage, name), deadLetterName: resourceName(stage, `${name}-dlq`) },
    ]),
  ) as ResourceNames['queues'],
  topics: Object.fromEntries(
    (Object.keys(topics) as TopicName[]).map((name) => [name, resourceName(stage, name)]),
  ) as Record<TopicName, string>,
  configurationSet: resourceName(stage, 'campaigns'),
});
