// The command table: every `leadscore` command, in the order the help lists them.
import type { Command } from '../command';
import { calibrateCommand } from './calibrate';
import { crmSetupCommand } from './crm-setup';
import { evaluateCommand } from './evaluate';
import { rescoreCommand } from './rescore';
import { rulesActivateCommand } from './rules-activate';
import { rulesDiffCommand } from './rules-diff';
import { rulesListCommand } from './rules-list';
import { rulesPushCommand } from './rules-push';
import { rulesRollbackCommand } from './rules-rollback';
import { rulesShowCommand } from './rules-show';
import { rulesSimulateCommand } from './rules-simulate';
import { rulesValidateCommand } from './rules-validate';
import { scoreCommand } from './score';

export const COMMANDS: readonly Command[] = [
  rulesValidateCommand,
  rulesPushCommand,
  rulesListCommand,
  rulesShowCommand,
  rulesDiffCommand,
  rulesActivateCommand,
  rulesRollbackCommand,
  rulesSimulateCommand,
  scoreCommand,
  rescoreCommand,
  crmSetupCommand,
  calibrateCommand,
  evaluateCommand,
];
