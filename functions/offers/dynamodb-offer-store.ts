import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../shared/is-condition-failure';
import type { IssuedOffer } from './issued-offer';
import type { OfferStore } from './offer-store';

const key = (code: string) => ({ pk: `OFFER#${code}`, sk: 'OFFER' });

/** Offer codes in the jobs table: `OFFER#<code>` / `OFFER`, beside the send record that carried it. */
export class DynamoDbOfferStore implements OfferStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(offer: IssuedOffer): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key(offer.code), ...offer },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async get(code: string): Promise<IssuedOffer | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key(code) }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...offer } = Item;
    return offer as IssuedOffer;
  }
}
