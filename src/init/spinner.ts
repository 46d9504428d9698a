/**
 * A one-line spinner on stderr while init reads the account (frames and timer from listr2's Spinner).
 * Only for a person at a terminal: elsewhere the work runs silently.
 */
export async function withSpinner<T>(title: string, work: () => Promise<T>, stream: NodeJS.WriteStream = process.stderr): Promise<T> {
  if (!stream.isTTY || process.env.CI) return work();
  const { Spinner } = await import('listr2');
  const spinner = new Spinner();
  const draw = () => stream.write(`\r\x1b[2K${spinner.fetch()} ${title}`);
  spinner.start(draw, 80);
  draw();
  try {
    return await work();
  } finally {
    spinner.stop();
    stream.write('\r\x1b[2K');
  }
}
