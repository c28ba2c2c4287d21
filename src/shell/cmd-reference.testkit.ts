/**
 * Test-only: how cmd.exe and then a program's MSVCRT startup code split a command line, written from the
 * documented rules rather than from ./quote, so tests of quoteCmd (and the canary over every VBoxManage
 * builder) check it against an independent reading.
 */

/**
 * A reference reading of a cmd.exe command line, written from the documented rules rather than from
 * quoteCmd: cmd's own pass (leading `@`, carets, quote state, metacharacters), then CreateProcess taking
 * the program, then the MSVCRT argv rules for the rest. Anything that would make cmd do more than run one
 * program (an unquoted & | < > ( ), a line break, a % or ! expansion) throws.
 */
export function cmdThenMsvcrt(line: string): string[] {
  if (/[%!\r\n]/.test(line)) throw new Error(`cmd would expand or split: ${JSON.stringify(line)}`);
  let rest = line.startsWith('@') ? line.slice(1) : line;
  let processed = '';
  let quoted = false;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i]!;
    if (!quoted && ch === '^') {
      const next = rest[i + 1];
      if (next === undefined) throw new Error('a trailing caret would continue the line');
      processed += next;
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && '&|<>()'.includes(ch)) throw new Error(`unescaped ${ch} would be cmd syntax: ${JSON.stringify(line)}`);
    processed += ch;
  }
  rest = processed;
  // CreateProcess: a quoted program runs to the next quote, otherwise to the first space or tab.
  let program: string;
  if (rest.startsWith('"')) {
    const end = rest.indexOf('"', 1);
    program = rest.slice(1, end);
    rest = rest.slice(end + 1);
  } else {
    const end = rest.search(/[ \t]/);
    program = end < 0 ? rest : rest.slice(0, end);
    rest = end < 0 ? '' : rest.slice(end);
  }
  const argv = [program];
  let i = 0;
  for (;;) {
    while (rest[i] === ' ' || rest[i] === '\t') i++;
    if (i >= rest.length) break;
    let arg = '';
    let inQuotes = false;
    while (i < rest.length && (inQuotes || (rest[i] !== ' ' && rest[i] !== '\t'))) {
      let slashes = 0;
      while (rest[i] === '\\') {
        slashes++;
        i++;
      }
      if (rest[i] === '"') {
        arg += '\\'.repeat(Math.floor(slashes / 2));
        if (slashes % 2 === 1) arg += '"';
        else if (inQuotes && rest[i + 1] === '"') {
          arg += '"'; // msvcrt 2008+: "" inside quotes is a literal quote
          i++;
        } else inQuotes = !inQuotes;
        i++;
      } else {
        arg += '\\'.repeat(slashes);
        if (i < rest.length && (inQuotes || (rest[i] !== ' ' && rest[i] !== '\t'))) arg += rest[i++];
      }
    }
    argv.push(arg);
  }
  return argv;
}

/** `cmd /c X`: when X starts with a quote (and isn't the two-quote executable case) the first and last quotes go. */
export function slashC(commandLine: string): string {
  if (!commandLine.startsWith('"')) return commandLine;
  const last = commandLine.lastIndexOf('"');
  return commandLine.slice(1, last) + commandLine.slice(last + 1);
}
