// The command table: every `leadscore` command, in the order the help lists them.
import type { Command } from '../command';
import { calibrateCommand } from './calibrate';
import { evaluateCommand } from './evaluate';
import { rulesValidateCommand } from './rules-validate';
import { scoreCommand } from './score';

export const COMMANDS: readonly Command[] = [
  rulesValidateCommand,
  scoreCommand,
  calibrateCommand,
  evaluateCommand,
];
