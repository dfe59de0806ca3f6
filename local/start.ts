/** `npm start`: the whole pipeline locally, with a sandbox CRM; Ctrl-C stops everything. */
import './quiet-sdk';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { WEBHOOK_ROUTES } from '../lib/pipeline-spec';
import { DEV_SECRETS_PATH, STACK_INFO_PATH } from './dev-secrets';
import { startLocalStack } from './stack';

const USAGE = `usage: npm start [-- --crm hubspot|salesforce] [--port 4000] [--rules FILE] [--verbose]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      crm: { type: 'string', default: 'hubspot' },
      port: { type: 'string', default: '4000' },
      rules: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void console.log(USAGE);
  if (values.crm !== 'hubspot' && values.crm !== 'salesforce')
    throw new Error(`--crm must be hubspot or salesforce\n${USAGE}`);
  console.log('leadscore: starting DynamoDB Local, the SQS emulator and a sandbox CRM…');
  const stack = await startLocalStack({
    crm: values.crm,
    port: Number(values.port),
    rulesFile: values.rules,
    log: values.verbose ? (line) => console.log(`  ${line}`) : undefined,
  });
  const crmUrl = (stack.hubspot ?? stack.salesforce)?.url ?? '';
  writeFileSync(
    STACK_INFO_PATH,
    JSON.stringify(
      { apiUrl: stack.apiUrl, crm: stack.crm, crmUrl, hubspotToken: stack.hubspot?.accessToken },
      null,
      2,
    ),
  );
  console.log(`
leadscore is running locally.

  Webhook API     ${stack.apiUrl}
${WEBHOOK_ROUTES.map((route) => `    POST ${stack.apiUrl}${route}`).join('\n')}
  Sandbox ${stack.crm.padEnd(10)} ${crmUrl}   (inspect: ${crmUrl}/__sandbox/records, /__sandbox/requests)
  DynamoDB Local  ${stack.aws.dynamodbEndpoint}   tables ${stack.aws.tables.leads}, ${stack.aws.tables.config}
  SQS emulator    ${stack.aws.sqsEndpoint}   queues events, writeback (+ DLQs)
  Local secrets   ${DEV_SECRETS_PATH}   (dev only: signing keys for every source)
  SES via SNS     sign with the local secrets' sns.privateKey, for topic sns.topicArn; the ingest gets
                  its certificate for the dev SigningCertURL (sns.certificateUrl) without any download

Try it, in another terminal:

  npm run demo

Ctrl-C stops everything.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nleadscore: stopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`leadscore: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
