// Fixture: granted read on the profiles table only, it tries what its role allows and what it does not.
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

const dynamodb = new DynamoDBClient({});

const attempt = async (call: () => Promise<unknown>): Promise<string> => {
  try {
    await call();
    return 'ok';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
};

export const handler = async () => {
  const profiles = process.env['TABLE_PROFILES']!;
  const events = profiles.replace(/profiles$/, 'events');
  const key = { profileId: { S: 'nobody' } };
  return {
    readGranted: await attempt(() => dynamodb.send(new GetItemCommand({ TableName: profiles, Key: key }))),
    writeNotGranted: await attempt(() =>
      dynamodb.send(new PutItemCommand({ TableName: profiles, Item: key })),
    ),
    otherTable: await attempt(() =>
      dynamodb.send(
        new GetItemCommand({ TableName: events, Key: { profileId: { S: 'x' }, eventKey: { S: 'y' } } }),
      ),
    ),
  };
};
