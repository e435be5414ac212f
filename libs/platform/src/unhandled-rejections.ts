/**
 * Node ends the process on a rejection nobody handled, and with it every player and partition it serves. The lint
 * rules keep such promises out of our code; one that still gets through (from a library, say) is a defect to log
 * loudly and report, not a reason to drop everyone.
 */
export function logUnhandledRejections(logger: { error(message: string): void }): void {
  process.on('unhandledRejection', (reason) => {
    logger.error(`unhandled rejection (a defect, please report it): ${reason instanceof Error ? reason.stack : String(reason)}`);
  });
}
