// The two ways a command ends early: the user asked wrongly (exit 2) or the work failed (exit 1).

/** Bad arguments or options; main prints the message with a pointer to the help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An expected failure (unreadable file, invalid rules); main prints the message alone, exit code 1. */
export class CommandFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailedError';
  }
}
