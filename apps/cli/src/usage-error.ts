/** A mistake in how the CLI was called (bad argument shape, unreadable local file): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
