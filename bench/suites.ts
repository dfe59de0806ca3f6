// The benchmark suites `npm run bench` knows, in the order it runs them.
import { bundlesSuite } from './bundles';
import { crmSuite } from './crm';
import { engineSuite } from './engine';
import { pipelineSuite } from './pipeline';
import type { BenchSuite } from './suite';

export const SUITES: readonly BenchSuite[] = [engineSuite, bundlesSuite, pipelineSuite, crmSuite];
