import { DcodError } from '../errors';

/** Asks for a secret on the terminal without echoing it. */
export function promptSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new DcodError('AUTH_FAILED', `${question.trim()} — no terminal to ask on: pass it with --password-env NAME instead`));
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    let answer = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(answer));
        if (ch === '\u0003') return finish(() => reject(new DcodError('AUTH_FAILED', 'cancelled')));
        if (ch === '\u007f') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    const finish = (then: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      then();
    };
    stdin.on('data', onData);
  });
}
