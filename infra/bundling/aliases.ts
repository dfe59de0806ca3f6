/** Packages replaced in the Lambda bundles (esbuild `alias`): shared by the CDK app and `npm run bench`. */
import { join } from 'node:path';

export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  // Never used on Node (see the shim); 270 KB of bundle and load time saved in the CRM-calling functions.
  'whatwg-url': join(__dirname, 'whatwg-url.cjs'),
};
