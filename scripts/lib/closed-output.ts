/**
 * Keeps a supervising script alive when its output goes away: with `npm start | tee log`, Ctrl-C ends tee too,
 * and the next line written would otherwise crash the script (EPIPE) before it has stopped what it started.
 */
export function surviveClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}
