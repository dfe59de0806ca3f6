/** The SQS client every adapter uses: made once per process, observable. */
import { SQSClient } from '@aws-sdk/client-sqs';
import { observed } from './aws-observer';

export const sqsClient = (): SQSClient => observed(new SQSClient({}), 'sqs');
