/** The DynamoDB document client every adapter uses: made once per process, observable. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { observed } from './aws-observer';

export function dynamoDbDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(observed(new DynamoDBClient({}), 'dynamodb'), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
