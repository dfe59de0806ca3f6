/** `npm start`: the whole pipeline locally, with a sandbox CRM; Ctrl-C stops everything. */
import './quiet-sdk';
import { writeFileSync } from 'node:fs';
import { STACK_INFO_PATH } from './dev-secrets';
import { startLocalStack, type LocalStack } from './stack';
import { parseStartOptions, startBanner, startFailureMessage, USAGE } from './start-cli';

async function main(): Promise<void> {
  // Checked before anything starts, so a typo costs no emulator start.
  const options = parseStartOptions(process.argv.slice(2));
  if (options.help) return void console.log(USAGE);
  let stack: LocalStack | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nleadscore: stopping…');
    // While starting, exiting is the stop: the JVM is killed on exit (dynamodb-local.ts), the rest goes with us.
    await stack?.stop();
    process.exit(0);
  };
  // SIGHUP: the terminal closed. A SIGKILL cannot be caught: DynamoDB Local's JVM would then outlive us.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop());
  console.log('leadscore: starting DynamoDB Local, the SQS emulator and a sandbox CRM…');
  try {
    stack = await startLocalStack({
      crm: options.crm,
      port: options.port,
      rulesFile: options.rulesFile,
      log: options.verbose ? (line) => console.log(`  ${line}`) : undefined,
    });
  } catch (error) {
    throw new Error(startFailureMessage(error, options.port), { cause: error });
  }
  const crmUrl = (stack.hubspot ?? stack.salesforce)?.url ?? '';
  writeFileSync(
    STACK_INFO_PATH,
    JSON.stringify(
      { apiUrl: stack.apiUrl, crm: stack.crm, crmUrl, hubspotToken: stack.hubspot?.accessToken },
      null,
      2,
    ),
  );
  console.log(startBanner(stack));
}

main().catch((error: unknown) => {
  console.error(`leadscore: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
